/*
 * otklik survey …: the instruments of an organization (list, show, add,
 * edit, publish, versions), where they are offered, invitations, the
 * results by the one methodology of R-SRV-5, the export of the answers,
 * the entry of paper forms (R-SRV-4) and the QR code of a survey's link.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "otklik.h"
#include "audit.h"
#include "cmd.h"
#include "db.h"
#include "org.h"
#include "qr.h"
#include "survey.h"

#define TEXTS_SHOWN_MAX 1000	/* --texts */
#define EXPORT_CSV_MAX	((size_t)1 << 30)
#define URL_MAX		500
#define QR_SCALE_DEFAULT 8

/* ---- shared by the commands ---- */

static int
instr(struct cmd_ctx *c, const char *code, struct srv_instr *in)
{
	struct err e;

	err_clear(&e);
	memset(in, 0, sizeof(*in));
	if (srv_instr_get(c->db, c->org->id, code, in, &e) != 0)
		return cmd_error(&e);
	return 0;
}

/* A moment in the organization's zone: "YYYY-MM-DD HH:MM". */
static void
local_time(int64_t t, const char *tz, char out[17])
{
	if (t == 0)
		snprintf(out, 17, "-");
	else
		time_format_local(t, tz, 0, out);
}

static void
print_version(int v)
{
	if (v > 0)
		printf("%d", v);
	else
		putchar('-');
}

/* A definition from a JSON file. */
static int
read_def(const char *path, struct srv_def *def)
{
	struct buf b;
	struct err e;

	err_clear(&e);
	memset(def, 0, sizeof(*def));
	buf_init(&b, SRV_DEF_MAX + 1);
	if (buf_read_file(&b, path, &e) != 0 ||
	    srv_def_parse(def, b.data, b.len, &e) != 0) {
		buf_free(&b);
		return cmd_fail(e.code != 0 ? e.code : EXIT_DATAERR, "%s: %s",
		    path, e.msg);
	}
	buf_free(&b);
	return 0;
}

/* ---- list ---- */

static int
cmd_survey_list_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct srv_instr *v;
	struct err	  e;
	size_t		  n, i;

	(void)argc;
	(void)argv;
	err_clear(&e);
	if (srv_instr_list(c->db, c->org->id, &v, &n, &e) != 0)
		return cmd_error(&e);
	for (i = 0; i < n; i++) {
		printf("%s\t%s\t%s\t%s\t%s\t", v[i].code,
		    v[i].standard[0] != '\0' ? v[i].standard : "-",
		    v[i].client, v[i].access, v[i].open ? "open" : "closed");
		print_version(v[i].current);
		putchar('\t');
		print_version(v[i].draft);
		printf("\t%" PRId64 "\t%s\n", v[i].responses,
		    v[i].title != NULL ? v[i].title : "");
		srv_instr_clear(&v[i]);
	}
	free(v);
	return EXIT_OK;
}

const struct cmd_entry cmd_survey_list_entry = {
	.name = "survey list",
	.args = "",
	.summary = "the instruments: code, standard, client, access, open, "
		   "version, draft, responses, title",
	.help = "One line per instrument, standard ones first, tab "
		"separated: the code, the\nstandard it is (or -), external or "
		"internal clients, open or invite access,\nopen or closed to "
		"answers, the published version and the draft (or -), the\n"
		"number of responses, and the title.",
	.flags = CMD_ORG,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_survey_list_exec,
};

/* ---- show ---- */

static const struct cmd_opt show_opts[] = {
	{"version", "N", "that version instead of the current one"},
	{"json", NULL, "print the definition as JSON (the format of 'survey "
		       "add')"},
	{NULL, NULL, NULL},
};

/* The id of version number want (0: the current, else the draft). */
static int
pick_version(struct cmd_ctx *c, const char *code, int64_t want,
    int64_t *id, int *number)
{
	struct srv_instr  in;
	struct srv_vinfo *v;
	struct err	  e;
	size_t		  n, i;
	int		  r;

	err_clear(&e);
	*id = 0;
	if (want == 0) {
		if ((r = instr(c, code, &in)) != 0)
			return r;
		*id = in.current_id != 0 ? in.current_id : in.draft_id;
		*number = in.current_id != 0 ? in.current : in.draft;
		srv_instr_clear(&in);
		return *id != 0 ? 0 : cmd_fail(EXIT_NOINPUT, "survey %s has "
		    "no version", code);
	}
	if (srv_versions(c->db, c->org->id, code, &v, &n, &e) != 0)
		return cmd_error(&e);
	for (i = 0; i < n; i++) {
		if (v[i].version == want) {
			*id = v[i].id;
			*number = v[i].version;
		}
		srv_vinfo_clear(&v[i]);
	}
	free(v);
	return *id != 0 ? 0 : cmd_fail(EXIT_NOINPUT, "survey %s has no "
	    "version %" PRId64, code, want);
}

static void
show_question(const struct srv_def *d, size_t i)
{
	const struct srv_question *q = &d->q[i];
	size_t			   k;

	printf("\n%zu. %s (%s%s)\n   %s\n", i + 1, q->code,
	    srv_qtype_name(q->type), q->required ? ", required" : "",
	    q->text_ru);
	if (q->text_en != NULL)
		printf("   %s\n", q->text_en);
	if (q->hint_ru != NULL)
		printf("   hint: %s\n", q->hint_ru);
	if (q->type == SRV_RATING)
		for (k = 1; k <= SRV_SCALE; k++)
			printf("   %zu  %s\n", k, srv_anchor_ru[k]);
	for (k = 0; k < q->noptions; k++)
		printf("   - %s: %s\n", q->options[k].code,
		    q->options[k].text_ru);
	if (q->type == SRV_TEXT && q->max > 0)
		printf("   at most %zu bytes\n", q->max);
	if (q->show_if != NULL) {
		printf("   shown when %s is", q->show_if);
		for (k = 0; k < q->nshow_any; k++)
			printf("%s %s", k > 0 ? " or" : "", q->show_any[k]);
		putchar('\n');
	}
}

static int
cmd_survey_show_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct srv_def d;
	struct err     e;
	int64_t	       want = 0, id;
	char	      *js;
	size_t	       i;
	int	       number, r;

	(void)argc;
	err_clear(&e);
	if (cmd_opt(c, 0) != NULL && cmd_parse_int("--version", cmd_opt(c, 0),
	    1, INT32_MAX, &want) != 0)
		return EXIT_USAGE;
	if ((r = pick_version(c, argv[0], want, &id, &number)) != 0)
		return r;
	if (srv_version_load(c->db, c->org->id, id, &d, &number, &e) != 0)
		return cmd_error(&e);
	if (cmd_flag(c, 1)) {
		js = srv_def_json(&d);
		printf("%s\n", js);
		free(js);
		srv_def_clear(&d);
		return EXIT_OK;
	}
	printf("%s, version %d: %s\n", d.code, number, d.title_ru);
	if (d.title_en != NULL)
		printf("%s\n", d.title_en);
	printf("clients %s, access %s, %zu questions\n", d.client, d.access,
	    d.nq);
	if (d.intro_ru != NULL)
		printf("\n%s\n", d.intro_ru);
	for (i = 0; i < d.nq; i++)
		show_question(&d, i);
	srv_def_clear(&d);
	return EXIT_OK;
}

const struct cmd_entry cmd_survey_show_entry = {
	.name = "survey show",
	.args = "CODE",
	.summary = "an instrument's questions as text, or its definition as "
		   "JSON",
	.help = "The current version (the draft when none is published), or "
		"--version N.\nEach question with its code, type, text, the "
		"scale's anchors or the options,\nand when it is shown.",
	.opts = show_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_survey_show_exec,
};

/* ---- add, edit, discard, publish, open, close, access ---- */

/* What an instrument is now, after a change: one line. */
static int
state_line(struct cmd_ctx *c, const char *code)
{
	struct srv_instr in;
	int		 r;

	if ((r = instr(c, code, &in)) != 0)
		return r;
	printf("%s\t%s\t%s\tversion ", in.code, in.open ? "open" : "closed",
	    in.access);
	print_version(in.current);
	printf("\tdraft ");
	print_version(in.draft);
	putchar('\n');
	srv_instr_clear(&in);
	return EXIT_OK;
}

static int
cmd_survey_add_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct srv_def d;
	struct err     e;
	int	       r;

	(void)argc;
	err_clear(&e);
	if ((r = read_def(argv[0], &d)) != 0)
		return r;
	r = srv_instr_add(c->db, c->actor, c->org->id, &d, &e);
	if (r != 0) {
		srv_def_clear(&d);
		return cmd_error(&e);
	}
	r = state_line(c, d.code);
	srv_def_clear(&d);
	return r;
}

const struct cmd_entry cmd_survey_add_entry = {
	.name = "survey add",
	.args = "FILE.json",
	.summary = "add an instrument from its definition, as a draft",
	.help = "FILE.json has the format of data/surveys/*.json ('survey "
		"show --json' prints\none). The instrument is a draft version "
		"1 until 'survey publish'.",
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_survey_add_exec,
};

static int
cmd_survey_edit_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct srv_def d;
	struct err     e;
	int	       r;

	(void)argc;
	err_clear(&e);
	if ((r = read_def(argv[1], &d)) != 0)
		return r;
	if (strcmp(d.code, argv[0]) != 0) {
		r = cmd_fail(EXIT_DATAERR, "%s: its code is %s, not %s; an "
		    "instrument's code cannot change", argv[1], d.code,
		    argv[0]);
		srv_def_clear(&d);
		return r;
	}
	r = srv_draft_save(c->db, c->actor, c->org->id, argv[0], &d, &e);
	srv_def_clear(&d);
	return r != 0 ? cmd_error(&e) : state_line(c, argv[0]);
}

const struct cmd_entry cmd_survey_edit_entry = {
	.name = "survey edit",
	.args = "CODE FILE.json",
	.summary = "save a changed definition as the instrument's draft",
	.help = "Into the draft when there is one, else as a new draft "
		"version; the published\nversion stays as it is, with its "
		"answers, until 'survey publish'.",
	.flags = CMD_ORG,
	.minargs = 2,
	.maxargs = 2,
	.exec = cmd_survey_edit_exec,
};

static int
simple(struct cmd_ctx *c, const char *code,
    int (*fn)(struct db *, const char *, int64_t, const char *,
	struct err *))
{
	struct err e;

	err_clear(&e);
	if (fn(c->db, c->actor, c->org->id, code, &e) != 0)
		return cmd_error(&e);
	return state_line(c, code);
}

static int
cmd_survey_discard_exec(struct cmd_ctx *c, int argc, char **argv)
{
	(void)argc;
	return simple(c, argv[0], srv_draft_discard);
}

const struct cmd_entry cmd_survey_discard_entry = {
	.name = "survey discard",
	.args = "CODE",
	.summary = "drop an instrument's unpublished draft",
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_survey_discard_exec,
};

static int
cmd_survey_publish_exec(struct cmd_ctx *c, int argc, char **argv)
{
	(void)argc;
	return simple(c, argv[0], srv_publish);
}

const struct cmd_entry cmd_survey_publish_entry = {
	.name = "survey publish",
	.args = "CODE",
	.summary = "publish the draft: it becomes the version answered",
	.help = "The version before is retired; its answers keep it.",
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_survey_publish_exec,
};

static int
set_open(struct cmd_ctx *c, const char *code, int open)
{
	struct err e;

	err_clear(&e);
	if (srv_set_open(c->db, c->actor, c->org->id, code, open, &e) != 0)
		return cmd_error(&e);
	return state_line(c, code);
}

static int
cmd_survey_open_exec(struct cmd_ctx *c, int argc, char **argv)
{
	(void)argc;
	return set_open(c, argv[0], 1);
}

const struct cmd_entry cmd_survey_open_entry = {
	.name = "survey open",
	.args = "CODE",
	.summary = "open a published instrument to answers",
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_survey_open_exec,
};

static int
cmd_survey_close_exec(struct cmd_ctx *c, int argc, char **argv)
{
	(void)argc;
	return set_open(c, argv[0], 0);
}

const struct cmd_entry cmd_survey_close_entry = {
	.name = "survey close",
	.args = "CODE",
	.summary = "stop taking answers (paper forms may still be entered)",
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_survey_close_exec,
};

static int
cmd_survey_access_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err e;

	(void)argc;
	err_clear(&e);
	if (strcmp(argv[1], "open") != 0 && strcmp(argv[1], "invite") != 0)
		return cmd_fail(EXIT_USAGE, "survey access: open or invite, "
		    "not '%s'", argv[1]);
	if (srv_set_access(c->db, c->actor, c->org->id, argv[0], argv[1],
	    &e) != 0)
		return cmd_error(&e);
	return state_line(c, argv[0]);
}

const struct cmd_entry cmd_survey_access_entry = {
	.name = "survey access",
	.args = "CODE open|invite",
	.summary = "who may answer: anyone with the link, or by invitation",
	.flags = CMD_ORG,
	.minargs = 2,
	.maxargs = 2,
	.exec = cmd_survey_access_exec,
};

static int
cmd_survey_versions_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct srv_vinfo *v;
	struct err	  e;
	char		  made[17], pub[17];
	size_t		  n, i;

	(void)argc;
	err_clear(&e);
	if (srv_versions(c->db, c->org->id, argv[0], &v, &n, &e) != 0)
		return cmd_error(&e);
	for (i = 0; i < n; i++) {
		local_time(v[i].created_at, c->org->tz, made);
		local_time(v[i].published_at, c->org->tz, pub);
		printf("%d\t%s\t%s\t%s\t%s\t%" PRId64 "\t%s\n", v[i].version,
		    v[i].state, made, v[i].created_by != NULL ?
		    v[i].created_by : "-", pub, v[i].responses,
		    v[i].title != NULL ? v[i].title : "");
		srv_vinfo_clear(&v[i]);
	}
	free(v);
	return EXIT_OK;
}

const struct cmd_entry cmd_survey_versions_entry = {
	.name = "survey versions",
	.args = "CODE",
	.summary = "an instrument's versions: number, state, made, by, "
		   "published, responses, title",
	.help = "Newest first; times in the organization's zone.",
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_survey_versions_exec,
};

/* ---- where it is offered ---- */

static const struct cmd_opt attach_opts[] = {
	{"touchpoint", "ID", "a touchpoint of the registry"},
	{"service", "NAME", "a state service"},
	{"situation", "NAME", "a life situation"},
	{NULL, NULL, NULL},
};

static int
cmd_survey_attach_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err  e;
	const char *kind = NULL, *name = NULL;
	int64_t	    tp = 0;
	int	    given;

	(void)argc;
	err_clear(&e);
	given = (cmd_opt(c, 0) != NULL) + (cmd_opt(c, 1) != NULL) +
	    (cmd_opt(c, 2) != NULL);
	if (given != 1)
		return cmd_fail(EXIT_USAGE, "survey attach: give one of "
		    "--touchpoint, --service or --situation");
	if (cmd_opt(c, 0) != NULL) {
		if (cmd_parse_int("--touchpoint", cmd_opt(c, 0), 1, INT64_MAX,
		    &tp) != 0)
			return EXIT_USAGE;
		kind = "touchpoint";
	} else if (cmd_opt(c, 1) != NULL) {
		kind = "service";
		name = cmd_opt(c, 1);
	} else {
		kind = "situation";
		name = cmd_opt(c, 2);
	}
	if (srv_attach(c->db, c->actor, c->org->id, argv[0], kind, tp, name,
	    &e) != 0)
		return cmd_error(&e);
	return EXIT_OK;
}

const struct cmd_entry cmd_survey_attach_entry = {
	.name = "survey attach",
	.args = "CODE",
	.summary = "offer an instrument at a touchpoint, for a service or a "
		   "life situation",
	.opts = attach_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_survey_attach_exec,
};

static int
cmd_survey_detach_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err e;
	int64_t	   id;

	(void)argc;
	err_clear(&e);
	if (cmd_parse_int("TARGET-ID", argv[1], 1, INT64_MAX, &id) != 0)
		return EXIT_USAGE;
	if (srv_detach(c->db, c->actor, c->org->id, argv[0], id, &e) != 0)
		return cmd_error(&e);
	return EXIT_OK;
}

const struct cmd_entry cmd_survey_detach_entry = {
	.name = "survey detach",
	.args = "CODE TARGET-ID",
	.summary = "stop offering an instrument there (ids: 'survey "
		   "targets')",
	.flags = CMD_ORG,
	.minargs = 2,
	.maxargs = 2,
	.exec = cmd_survey_detach_exec,
};

static int
cmd_survey_targets_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct srv_target *v;
	struct err	   e;
	size_t		   n, i;

	(void)argc;
	err_clear(&e);
	if (srv_targets(c->db, c->org->id, argv[0], &v, &n, &e) != 0)
		return cmd_error(&e);
	for (i = 0; i < n; i++) {
		printf("%" PRId64 "\t%s\t", v[i].id, v[i].kind);
		if (v[i].touchpoint_id != 0)
			printf("%" PRId64, v[i].touchpoint_id);
		else
			putchar('-');
		printf("\t%s\n", v[i].name != NULL ? v[i].name : "");
		srv_target_clear(&v[i]);
	}
	free(v);
	return EXIT_OK;
}

const struct cmd_entry cmd_survey_targets_entry = {
	.name = "survey targets",
	.args = "CODE",
	.summary = "where an instrument is offered: id, kind, touchpoint, "
		   "name",
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_survey_targets_exec,
};

/* ---- invitations ---- */

static const struct cmd_opt invite_opts[] = {
	{"count", "N", "how many invitations (1 to 10000)"},
	{"batch", "NAME", "the batch they belong to (default: today's date)"},
	{"url", "BASE", "print links BASE/ORG/s/CODE?k=TOKEN, not tokens"},
	{NULL, NULL, NULL},
};

/* BASE without its trailing slashes; refused when it is not a URL. */
static int
url_base(const char *opt, const char *base, char *out, size_t size)
{
	size_t l = strlen(base);

	if ((strncmp(base, "https://", 8) != 0 &&
	    strncmp(base, "http://", 7) != 0) || l > URL_MAX ||
	    strpbrk(base, " \t\r\n\"<>?#") != NULL)
		return cmd_fail(EXIT_USAGE, "%s %s: an http:// or https:// "
		    "address without spaces, query or fragment", opt, base);
	while (l > 0 && base[l - 1] == '/')
		l--;
	snprintf(out, size, "%.*s", (int)l, base);
	return 0;
}

static int
cmd_survey_invite_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err  e;
	char	    base[URL_MAX + 1], batch[11];
	char	  **tokens = NULL;
	const char *b = cmd_opt(c, 1);
	int64_t	    n;
	size_t	    i;
	int	    r;

	(void)argc;
	err_clear(&e);
	if (cmd_opt(c, 0) == NULL)
		return cmd_fail(EXIT_USAGE, "survey invite: --count N is "
		    "required");
	if (cmd_parse_int("--count", cmd_opt(c, 0), 1, SRV_INVITES_MAX, &n))
		return EXIT_USAGE;
	if (cmd_opt(c, 2) != NULL && (r = url_base("--url", cmd_opt(c, 2),
	    base, sizeof(base))) != 0)
		return r;
	if (b == NULL) {
		date_format(date_local(clock_now(), c->org->tz), batch);
		b = batch;
	}
	if (srv_invite_make(c->db, c->actor, c->org->id, argv[0], b,
	    (size_t)n, &tokens, &e) != 0)
		return cmd_error(&e);
	for (i = 0; i < (size_t)n; i++) {
		if (cmd_opt(c, 2) != NULL)
			printf("%s/%s/s/%s?k=%s\n", base, c->org->slug,
			    argv[0], tokens[i]);
		else
			printf("%s\n", tokens[i]);
		free(tokens[i]);
	}
	free(tokens);
	return EXIT_OK;
}

const struct cmd_entry cmd_survey_invite_entry = {
	.name = "survey invite",
	.args = "CODE",
	.summary = "make single-use invitations; prints a token or link a "
		   "line",
	.help = "Only the tokens' hashes are kept: what is printed cannot be "
		"printed again.\nUsing an invitation leaves no link between it "
		"and the answer (R-SRV-3).",
	.opts = invite_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_survey_invite_exec,
};

static int
cmd_survey_invites_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct srv_batch *v;
	struct err	  e;
	char		  made[17];
	size_t		  n, i;

	(void)argc;
	err_clear(&e);
	if (srv_invite_batches(c->db, c->org->id, argv[0], &v, &n, &e) != 0)
		return cmd_error(&e);
	for (i = 0; i < n; i++) {
		local_time(v[i].created_at, c->org->tz, made);
		printf("%s\t%" PRId64 "\t%" PRId64 "\t%s\n", v[i].batch,
		    v[i].made, v[i].used, made);
		free(v[i].batch);
	}
	free(v);
	return EXIT_OK;
}

const struct cmd_entry cmd_survey_invites_entry = {
	.name = "survey invites",
	.args = "CODE",
	.summary = "invitations per batch: batch, made, used, made at",
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_survey_invites_exec,
};

/* ---- results and export: the same filter ---- */

#define FILTER_OPTS							\
	{"from", "DAY", "answers of this day (YYYY-MM-DD) and later"},	\
	{"to", "DAY", "answers of this day and earlier"},		\
	{"touchpoint", "ID", "answers given at this touchpoint"},	\
	{"service", "NAME", "answers about this service"},		\
	{"situation", "NAME", "answers about this life situation"},	\
	{"offline", NULL, "paper forms only"},				\
	{"online", NULL, "answers given online only"}
enum { F_FROM, F_TO, F_TOUCHPOINT, F_SERVICE, F_SITUATION, F_OFFLINE,
	F_ONLINE, F__COUNT };

static int
read_filter(struct cmd_ctx *c, const char *code, struct srv_filter *f)
{
	int32_t d;
	int64_t tp;
	int	k;

	memset(f, 0, sizeof(*f));
	f->org_id = c->org->id;
	f->code = code;
	f->from = cmd_opt(c, F_FROM);
	f->to = cmd_opt(c, F_TO);
	f->service = cmd_opt(c, F_SERVICE);
	f->situation = cmd_opt(c, F_SITUATION);
	f->offline = -1;
	for (k = F_FROM; k <= F_TO; k++)
		if (cmd_opt(c, k) != NULL && (strlen(cmd_opt(c, k)) != 10 ||
		    date_parse(cmd_opt(c, k), &d) != 0))
			return cmd_fail(EXIT_USAGE, "--%s %s: expected "
			    "YYYY-MM-DD", k == F_FROM ? "from" : "to",
			    cmd_opt(c, k));
	if (f->from != NULL && f->to != NULL && strcmp(f->from, f->to) > 0)
		return cmd_fail(EXIT_USAGE, "--from %s is after --to %s",
		    f->from, f->to);
	if (cmd_opt(c, F_TOUCHPOINT) != NULL) {
		if (cmd_parse_int("--touchpoint", cmd_opt(c, F_TOUCHPOINT), 1,
		    INT64_MAX, &tp) != 0)
			return EXIT_USAGE;
		f->touchpoint_id = tp;
	}
	if (cmd_flag(c, F_OFFLINE) && cmd_flag(c, F_ONLINE))
		return cmd_fail(EXIT_USAGE, "--offline and --online exclude "
		    "each other");
	if (cmd_flag(c, F_OFFLINE))
		f->offline = 1;
	else if (cmd_flag(c, F_ONLINE))
		f->offline = 0;
	return 0;
}

static const struct cmd_opt results_opts[] = {
	FILTER_OPTS,
	{"texts", "N", "list the newest N free-text answers of each question"},
	{NULL, NULL, NULL},
};
#define R_TEXTS F__COUNT

static void
print_rating(const char *label, const struct srv_score *s)
{
	if (s->n == 0) {
		printf("%-24s n = 0\n", label);
		return;
	}
	printf("%-24s n = %-6" PRId64 " share 4–5 = %5.1f %%   index = "
	    "%5.1f\n", label, s->n, srv_score_share(s), srv_score_index(s));
}

/* A free text, its further lines indented under the first. */
static void
print_text(const char *t)
{
	const char *nl;

	fputs("  — ", stdout);
	while ((nl = strchr(t, '\n')) != NULL) {
		printf("%.*s\n    ", (int)(nl - t), t);
		t = nl + 1;
	}
	printf("%s\n", t);
}

static void
print_question(const struct srv_qresult *q)
{
	char   label[SRV_CODE_MAX + 16];
	size_t k;

	if (q->type == SRV_RATING) {
		print_rating(q->code, &q->score);
		return;
	}
	snprintf(label, sizeof(label), "%s (%s)", q->code,
	    srv_qtype_name(q->type));
	printf("%-24s n = %" PRId64 "\n", label, q->answered);
	/* A share of the responses that answered; n = 0 gives none. */
	for (k = 0; k < q->noptions; k++) {
		if (q->answered == 0)
			printf("  %-22s %6" PRId64 "\n", q->option_code[k],
			    q->option_count[k]);
		else
			printf("  %-22s %6" PRId64 "  %5.1f %%\n",
			    q->option_code[k], q->option_count[k],
			    100.0 * (double)q->option_count[k] /
				(double)q->answered);
	}
	for (k = 0; k < q->ntexts; k++)
		print_text(q->texts[k]);
}

static int
cmd_survey_results_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct srv_filter  f;
	struct srv_results res;
	struct err	   e;
	int64_t		   texts = 0;
	size_t		   i;
	int		   r;

	(void)argc;
	err_clear(&e);
	if ((r = read_filter(c, argv[0], &f)) != 0)
		return r;
	if (cmd_opt(c, R_TEXTS) != NULL && cmd_parse_int("--texts",
	    cmd_opt(c, R_TEXTS), 0, TEXTS_SHOWN_MAX, &texts) != 0)
		return EXIT_USAGE;
	if (srv_results(c->db, &f, (size_t)texts, &res, &e) != 0)
		return cmd_error(&e);
	printf("survey %s: %" PRId64 " responses, %" PRId64 " on paper\n",
	    argv[0], res.responses, res.offline);
	print_rating("all ratings", &res.overall);
	putchar('\n');
	for (i = 0; i < res.nq; i++)
		print_question(&res.q[i]);
	srv_results_clear(&res);
	return EXIT_OK;
}

const struct cmd_entry cmd_survey_results_entry = {
	.name = "survey results",
	.args = "CODE",
	.summary = "the figures: per question n, share of 4–5 in %, index "
		   "0–100, options",
	.help = "By the methodology of R-SRV-5: a rating r counts (r - 1) * "
		"25 in the index,\nthe share is the ratings of 4 or 5 out of "
		"all ratings; every figure stands\nwith its n, and a question "
		"nobody answered says n = 0. \"all ratings\" pools\nevery rating. "
		"Choices: each option's count and its share of the responses "
		"that\nanswered (a multiple choice may add up to more than "
		"100 %). Answers given\nagainst older versions count by "
		"question code.",
	.opts = results_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_survey_results_exec,
};

static const struct cmd_opt export_opts[] = {
	FILTER_OPTS,
	{"format", "FORMAT", "csv (default) or xlsx"},
	{"output", "FILE", "the file to write (default: standard output, "
			   "CSV only)"},
	{NULL, NULL, NULL},
};
#define X_FORMAT F__COUNT
#define X_OUTPUT (F__COUNT + 1)

/*
 * Every export is in the audit log, with what it held (the filter and
 * the count) and where it went, never the answers.
 */
static int
audit_export(struct cmd_ctx *c, const struct srv_filter *f, const char *fmt,
    const char *to, int64_t n, struct err *e)
{
	json_t *j;
	char   *js, obj[SRV_CODE_MAX + 16];
	int	r;

	j = json_pack("{s:s, s:s, s:I, s:s}", "format", fmt, "instrument",
	    f->code, "responses", (json_int_t)n, "to", to);
	if (f->from != NULL)
		json_object_set_new(j, "from", json_string(f->from));
	if (f->to != NULL)
		json_object_set_new(j, "until", json_string(f->to));
	if (f->touchpoint_id != 0)
		json_object_set_new(j, "touchpoint",
		    json_integer(f->touchpoint_id));
	if (f->service != NULL)
		json_object_set_new(j, "service", json_string(f->service));
	if (f->situation != NULL)
		json_object_set_new(j, "situation",
		    json_string(f->situation));
	if (f->offline >= 0)
		json_object_set_new(j, "offline", json_boolean(f->offline));
	js = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	snprintf(obj, sizeof(obj), "survey:%s", f->code);
	r = db_begin(c->db) != 0 || audit_append(c->db, c->actor, c->org->id,
	    "survey.export", obj, NULL, js, e) != 0 || db_commit(c->db) != 0;
	free(js);
	if (r) {
		db_rollback(c->db);
		if (e->msg[0] == '\0')
			err_set(e, EXIT_IOERR, "%s", db_errmsg(c->db));
		return -1;
	}
	return 0;
}

static int
cmd_survey_export_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct srv_filter f;
	struct err	  e;
	struct buf	  b;
	const char	 *fmt = cmd_opt(c, X_FORMAT), *out = cmd_opt(c, X_OUTPUT);
	int64_t		  n;
	int		  r, xlsx = 0;

	(void)argc;
	err_clear(&e);
	if (fmt != NULL && strcmp(fmt, "xlsx") == 0)
		xlsx = 1;
	else if (fmt != NULL && strcmp(fmt, "csv") != 0)
		return cmd_fail(EXIT_USAGE, "--format %s: csv or xlsx", fmt);
	if (xlsx && (out == NULL || strcmp(out, "-") == 0))
		return cmd_fail(EXIT_USAGE, "an XLSX export needs --output "
		    "FILE");
	if ((r = read_filter(c, argv[0], &f)) != 0)
		return r;
	if (xlsx) {
		if ((n = srv_export_xlsx(c->db, &f, out, &e)) < 0)
			return cmd_error(&e);
		/* Not recorded, not kept: the file goes if the log fails. */
		if (audit_export(c, &f, "xlsx", out, n, &e) != 0) {
			unlink(out);
			return cmd_error(&e);
		}
	} else {
		buf_init(&b, EXPORT_CSV_MAX);
		if ((n = srv_export_csv(c->db, &f, &b, &e)) < 0 ||
		    audit_export(c, &f, "csv", out != NULL ? out : "-", n,
		    &e) != 0 || buf_write_file(&b, out, &e) != 0) {
			buf_free(&b);
			return cmd_error(&e);
		}
		buf_free(&b);
	}
	if (out != NULL && strcmp(out, "-") != 0)
		fprintf(stderr, "%s: %" PRId64 " responses\n", out, n);
	return EXIT_OK;
}

const struct cmd_entry cmd_survey_export_entry = {
	.name = "survey export",
	.args = "CODE",
	.summary = "export the answers as CSV or XLSX, one row per response",
	.help = "Columns: №, Дата, Версия анкеты, Точка взаимодействия, "
		"Услуга, Жизненная\nситуация, Офлайн, Номер бланка, then one "
		"per question of the current version,\nheaded by its code "
		"(ratings 1–5, options as codes joined with \"; \", texts).\n"
		"An export of paper forms (--offline) can be read back by "
		"'survey\nimport-offline'. Every export is written to the "
		"audit log.",
	.opts = export_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_survey_export_exec,
};

/* ---- paper forms ---- */

static const struct cmd_opt import_opts[] = {
	{"dry-run", NULL, "check every row and count; store nothing"},
	{NULL, NULL, NULL},
};

static int
cmd_survey_import_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct buf  rep;
	struct err  e;
	const char *p, *nl;
	int64_t	    added, skipped;
	int	    r, dry = cmd_flag(c, 0);

	(void)argc;
	err_clear(&e);
	buf_init(&rep, (size_t)1 << 20);
	r = srv_import_offline(c->db, c->actor, c->org->id, argv[0], argv[1],
	    dry, &rep, &added, &skipped, &e);
	for (p = buf_str(&rep); *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p) - 1;
		fprintf(stderr, "%s: %.*s\n", argv[1], (int)(nl - p), p);
	}
	buf_free(&rep);
	if (r != 0)
		return cmd_error(&e);
	printf("%s%s: %" PRId64 " %s, %" PRId64 " already there\n",
	    dry ? "dry run: " : "", argv[1], added, dry ? "new" : "added",
	    skipped);
	return EXIT_OK;
}

const struct cmd_entry cmd_survey_import_offline_entry = {
	.name = "survey import-offline",
	.args = "CODE FILE",
	.summary = "enter paper forms from a CSV or XLSX file, marked offline",
	.help = "The header row names the columns: paper_ref (the form's "
		"number) and day\n(YYYY-MM-DD), optionally touchpoint (an id of "
		"the registry), service and\nsituation, then question codes "
		"of the current version: ratings 1–5, options\nas codes joined "
		"with \";\", texts. The titles of 'survey export' are read "
		"too.\nEvery row is checked as an online answer would be; if "
		"any is refused, each\nproblem is listed with row and column "
		"and nothing is stored (exit 65).\nForms whose number is "
		"stored already are skipped: importing a file twice\nadds "
		"nothing. The import is one entry of the audit log, without "
		"answers.",
	.opts = import_opts,
	.flags = CMD_ORG,
	.minargs = 2,
	.maxargs = 2,
	.exec = cmd_survey_import_exec,
};

/* ---- QR code ---- */

static const struct cmd_opt qr_opts[] = {
	{"url", "BASE", "the site's address, as the public sees it"},
	{"touchpoint", "ID", "the link of this touchpoint"},
	{"format", "FORMAT", "svg or png"},
	{"scale", "N", "PNG pixels per module (default 8)"},
	{"output", "FILE", "the file to write (default: standard output)"},
	{NULL, NULL, NULL},
};

/* A touchpoint of the organization's registry, or the exit code. */
static int
touchpoint_known(struct cmd_ctx *c, int64_t id)
{
	struct db_stmt *st;
	int		r;

	st = db_prepare(c->db, "SELECT 1 FROM touchpoint WHERE id = ? AND "
	    "org_id = ?", "ii", id, c->org->id);
	if (st == NULL || (r = db_step(st)) == DB_FAIL) {
		db_finalize(st);
		return cmd_fail(EXIT_IOERR, "%s", db_errmsg(c->db));
	}
	db_finalize(st);
	return r == DB_ROW ? 0 : cmd_fail(EXIT_NOINPUT, "--touchpoint %" PRId64
	    ": no such touchpoint in the registry of %s", id, c->org->slug);
}

static int
cmd_survey_qr_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct srv_instr in;
	struct buf	 out;
	struct err	 e;
	char		 base[URL_MAX + 1], *link;
	const char	*fmt = cmd_opt(c, 2);
	int64_t		 tp = 0, scale = QR_SCALE_DEFAULT;
	int		 r;

	(void)argc;
	err_clear(&e);
	if (cmd_opt(c, 0) == NULL)
		return cmd_fail(EXIT_USAGE, "survey qr: --url BASE is required");
	if (fmt == NULL || (strcmp(fmt, "svg") != 0 && strcmp(fmt, "png")))
		return cmd_fail(EXIT_USAGE, "survey qr: --format svg or png");
	if ((r = url_base("--url", cmd_opt(c, 0), base, sizeof(base))) != 0)
		return r;
	if (cmd_opt(c, 1) != NULL && cmd_parse_int("--touchpoint",
	    cmd_opt(c, 1), 1, INT64_MAX, &tp) != 0)
		return EXIT_USAGE;
	if (cmd_opt(c, 3) != NULL && cmd_parse_int("--scale", cmd_opt(c, 3),
	    1, QR_SCALE_MAX, &scale) != 0)
		return EXIT_USAGE;
	if (tp != 0 && (r = touchpoint_known(c, tp)) != 0)
		return r;
	if ((r = instr(c, argv[0], &in)) != 0)
		return r;
	if (tp != 0)
		link = xasprintf("%s/%s/s/%s/%" PRId64, base, c->org->slug,
		    in.code, tp);
	else
		link = xasprintf("%s/%s/s/%s", base, c->org->slug, in.code);
	buf_init(&out, (size_t)16 << 20);
	if (strcmp(fmt, "svg") == 0)
		r = qr_svg(link, in.title, &out, &e);
	else
		r = qr_png(link, (int)scale, &out, &e);
	if (r == 0)
		r = buf_write_file(&out, cmd_opt(c, 4), &e);
	buf_free(&out);
	free(link);
	srv_instr_clear(&in);
	return r != 0 ? cmd_error(&e) : EXIT_OK;
}

const struct cmd_entry cmd_survey_qr_entry = {
	.name = "survey qr",
	.args = "CODE",
	.summary = "the QR code of a survey's link, as SVG or PNG",
	.help = "The link is BASE/ORG/s/CODE, or BASE/ORG/s/CODE/ID for a "
		"touchpoint, so\nthat the answers given through it count for "
		"that touchpoint (the page\n/ORG/s/CODE/poster prints it on an "
		"A4 poster).",
	.opts = qr_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_survey_qr_exec,
};

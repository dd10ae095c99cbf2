/*
 * otklik pain …: the pain map of R-AN-4 on the command line: the ranked
 * problems of a period, what is decided about each (set by key, update
 * by id), the working group's confirmation of the order of
 * reengineering, and the decisions taken.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "otklik.h"
#include "cmd.h"
#include "db.h"
#include "org.h"
#include "pain.h"
#include "report.h"

/* ---- shared ---- */

/* --period (default: the current half-year) into days and its name. */
static int
period(struct cmd_ctx *c, const char *opt, int32_t *from, int32_t *to,
    char name[32])
{
	struct err e;
	int32_t	   pf, pt;

	err_clear(&e);
	if (opt == NULL) {
		report_period_current(date_local(clock_now(), c->org->tz),
		    name);
	} else
		snprintf(name, 32, "%s", opt);
	if (report_period(name, from, to, &pf, &pt, &e) != 0)
		return cmd_fail(EXIT_USAGE, "--%s", e.msg);
	return 0;
}

static int
clients(const char *v, const char **out)
{
	*out = v != NULL ? v : "external";
	if (strcmp(*out, "external") != 0 && strcmp(*out, "internal") != 0)
		return cmd_fail(EXIT_USAGE, "--clients: '%s' is not external "
		    "or internal", *out);
	return 0;
}

/* A text on one line of a tab-separated listing. */
static void
put_field(const char *s)
{
	if (s == NULL || *s == '\0') {
		putchar('-');
		return;
	}
	for (; *s != '\0'; s++)
		putchar(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

/* ---- list ---- */

static const struct cmd_opt list_opts[] = {
	{"period", "P", "2026H1, 2026Q3, 2026, 2026-05 or FROM..TO (default: "
			"the current half-year)"},
	{"clients", "C", "external (default) or internal"},
	{"json", NULL, "print the map as JSON"},
	{NULL, NULL, NULL},
};

static json_t *
pain_to_json(const struct pain *p)
{
	json_t *o;

	o = json_pack("{s:i, s:I, s:s, s:I, s:s?, s:s, s:s, s:s, s:s, s:s, "
	    "s:s, s:s, s:I, s:s?, s:s?, s:s}",
	    "rank", p->rank, "id", (json_int_t)p->id, "client", p->client,
	    "touchpoint_id", (json_int_t)p->touchpoint_id, "touchpoint",
	    p->touchpoint, "source", p->source, "ref", p->ref, "title",
	    p->title, "segment", p->segment, "journey_step", p->journey_step,
	    "cause", p->cause, "measure", p->measure, "unit_id",
	    (json_int_t)p->unit_id, "unit", p->unit, "due",
	    p->due[0] != '\0' ? p->due : NULL, "state", p->state);
	json_object_set_new(o, "complaints", json_integer(p->complaints));
	json_object_set_new(o, "negative", json_integer(p->negative));
	json_object_set_new(o, "low_ratings", json_integer(p->low_ratings));
	json_object_set_new(o, "signals", json_integer(p->signals));
	json_object_set_new(o, "contacts", json_integer(p->contacts));
	json_object_set_new(o, "weight", json_real(p->weight));
	json_object_set_new(o, "reach", json_real(p->reach));
	json_object_set_new(o, "score", json_real(p->score));
	return o;
}

static int
cmd_pain_list_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct pain *v;
	struct err   e;
	const char  *client;
	char	     pname[32], *s;
	int32_t	     from, to;
	size_t	     n, i;
	json_t	    *a;

	(void)argc;
	(void)argv;
	if (period(c, cmd_opt(c, 0), &from, &to, pname) != 0 ||
	    clients(cmd_opt(c, 1), &client) != 0)
		return EXIT_USAGE;
	err_clear(&e);
	if (pain_map(c->db, c->org->id, client, from, to, &v, &n, &e) != 0)
		return cmd_error(&e);
	if (cmd_flag(c, 2)) {
		a = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(a, pain_to_json(&v[i]));
		s = json_dumps(a, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(a);
		if (s != NULL)
			puts(s);
		free(s);
		pain_free(v, n);
		return EXIT_OK;
	}
	for (i = 0; i < n; i++) {
		printf("%d\t", v[i].rank);
		if (v[i].id != 0)
			printf("%" PRId64, v[i].id);
		else
			putchar('-');
		printf("\t%.1f\t%" PRId64 "\t", v[i].score, v[i].signals);
		if (v[i].touchpoint_id != 0) {
			printf("%" PRId64 " ", v[i].touchpoint_id);
			put_field(v[i].touchpoint);
		} else
			putchar('-');
		printf("\t%s:%s\t", v[i].source, v[i].ref);
		put_field(v[i].title);
		printf("\t%s\t", v[i].state);
		put_field(v[i].measure);
		putchar('\t');
		put_field(v[i].unit);
		putchar('\t');
		put_field(v[i].due);
		putchar('\n');
	}
	pain_free(v, n);
	return EXIT_OK;
}

const struct cmd_entry cmd_pain_list_entry = {
	.name = "pain list",
	.args = "",
	.summary = "the pain map of a period, ranked: the order of "
		   "reengineering",
	.help = "One line per problem, first to reengineer first, tab "
		"separated: rank, id (- while\nnothing is decided), score, "
		"signals, touchpoint (id and name, or -), source:ref,\n"
		"title, state, measure, responsible unit, due date.\n\n"
		"A signal weighs: an unsatisfied complaint 3, another complaint "
		"2, another\nnegative message 1, a rating of 1 2, of 2 1; W is "
		"their sum; reach R =\nsignals / contacts at the touchpoint "
		"(messages and rated responses, 1 at\nmost); score = W x (1 + "
		"R). Ties rank by more signals, then touchpoint and\nkey; "
		"problems without signals come last, in the order entered.",
	.opts = list_opts,
	.flags = CMD_ORG,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_pain_list_exec,
};

/* ---- set and update ---- */

/* Option indices shared by set and update (their tables begin alike). */
enum { O_TITLE, O_CAUSE, O_MEASURE, O_UNIT, O_DUE, O_STATE, O_SEGMENT,
	O_STEP, O_EDIT_END };

#define EDIT_OPTS \
	{"title", "T", "the problem in a few words"}, \
	{"cause", "T", "its cause"}, \
	{"measure", "T", "the measure proposed"}, \
	{"unit", "NAME|ID", "the responsible unit (\"\" clears it)"}, \
	{"due", "DATE", "the due date, YYYY-MM-DD (\"\" clears it)"}, \
	{"state", "S", "open, planned, in_work, done or rejected"}, \
	{"segment", "T", "the segment of clients affected"}, \
	{"step", "T", "the step of the client's journey"}

/* The edit from the options; the unit by name or id. */
static int
edit_from_opts(struct cmd_ctx *c, struct pain_edit *ed)
{
	const char *u = cmd_opt(c, O_UNIT);
	struct err  e;
	int64_t	    id;
	char	   *end;

	memset(ed, 0, sizeof(*ed));
	ed->title = cmd_opt(c, O_TITLE);
	ed->cause = cmd_opt(c, O_CAUSE);
	ed->measure = cmd_opt(c, O_MEASURE);
	ed->due = cmd_opt(c, O_DUE);
	ed->state = cmd_opt(c, O_STATE);
	ed->segment = cmd_opt(c, O_SEGMENT);
	ed->journey_step = cmd_opt(c, O_STEP);
	ed->unit_id = -1;
	if (u == NULL)
		return 0;
	if (*u == '\0') {
		ed->unit_id = 0;
		return 0;
	}
	id = strtoll(u, &end, 10);
	if (*end == '\0' && id > 0) {
		ed->unit_id = id;
		return 0;
	}
	err_clear(&e);
	if (unit_get(c->db, c->actor, c->org->id, u, 0, &ed->unit_id, &e) != 0)
		return cmd_fail(e.code, "--unit: %s", e.msg);
	return 0;
}

static const struct cmd_opt set_opts[] = {
	EDIT_OPTS,
	{"touchpoint", "ID", "the touchpoint (0: none, the default)"},
	{"source", "S", "topic, rating or manual"},
	{"ref", "REF", "topic: the id of the topic or reason; rating: the "
		       "question code; manual: a short code (default m<id>)"},
	{"clients", "C", "external (default) or internal"},
	{NULL, NULL, NULL},
};

static int
cmd_pain_set_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct pain_edit ed;
	struct err	 e;
	const char	*client;
	int64_t		 tp = 0, id;
	int		 r;

	(void)argc;
	(void)argv;
	if (cmd_opt(c, O_EDIT_END + 1) == NULL)
		return cmd_fail(EXIT_USAGE, "pain set: --source is required "
		    "(topic, rating or manual)");
	if (cmd_opt(c, O_EDIT_END) != NULL &&
	    cmd_parse_int("--touchpoint", cmd_opt(c, O_EDIT_END), 0,
	    INT64_MAX, &tp) != 0)
		return EXIT_USAGE;
	if (clients(cmd_opt(c, O_EDIT_END + 3), &client) != 0)
		return EXIT_USAGE;
	if ((r = edit_from_opts(c, &ed)) != 0)
		return r;
	err_clear(&e);
	if (pain_set(c->db, c->org->id, c->actor, client, tp,
	    cmd_opt(c, O_EDIT_END + 1), cmd_opt(c, O_EDIT_END + 2), &ed, &id,
	    &e) != 0)
		return cmd_error(&e);
	printf("%" PRId64 "\n", id);
	return EXIT_OK;
}

const struct cmd_entry cmd_pain_set_entry = {
	.name = "pain set",
	.args = "",
	.summary = "record what is decided about a problem, found by its key",
	.help = "The key is the clients, the touchpoint, the source and the "
		"ref: a problem of\nthe map ('otklik pain list' shows "
		"source:ref) gets its row on first use; a\nmanual one is "
		"entered with its --title. Options not given stay as they "
		"are.\nPrints the problem's id. Audited as pain.update.",
	.opts = set_opts,
	.flags = CMD_ORG,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_pain_set_exec,
};

static const struct cmd_opt update_opts[] = {
	EDIT_OPTS,
	{NULL, NULL, NULL},
};

static int
cmd_pain_update_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct pain_edit ed;
	struct err	 e;
	int64_t		 id;
	int		 r;

	(void)argc;
	if (cmd_parse_int("problem id", argv[0], 1, INT64_MAX, &id) != 0)
		return EXIT_USAGE;
	if ((r = edit_from_opts(c, &ed)) != 0)
		return r;
	err_clear(&e);
	if (pain_update(c->db, c->org->id, c->actor, id, &ed, &e) != 0)
		return cmd_error(&e);
	printf("%" PRId64 "\n", id);
	return EXIT_OK;
}

const struct cmd_entry cmd_pain_update_entry = {
	.name = "pain update",
	.args = "ID",
	.summary = "change what is decided about a problem, by its id",
	.help = "Options not given stay as they are; \"\" clears a text, the "
		"unit or the due\ndate. Audited as pain.update.",
	.opts = update_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_pain_update_exec,
};

/* ---- confirm ---- */

static const struct cmd_opt confirm_opts[] = {
	{"minutes-ref", "T", "the number and date of the working group's "
			     "minutes (required)"},
	{"note", "T", "a note on the decision"},
	{"period", "P", "the period ranked (default: the current half-year)"},
	{"clients", "C", "external (default) or internal"},
	{NULL, NULL, NULL},
};

static int
cmd_pain_confirm_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err  e;
	const char *client;
	char	    pname[32];
	int32_t	    from, to;
	int64_t	    id;

	(void)argc;
	(void)argv;
	if (cmd_opt(c, 0) == NULL)
		return cmd_fail(EXIT_USAGE, "pain confirm: --minutes-ref is "
		    "required: the number and date of the minutes");
	if (period(c, cmd_opt(c, 2), &from, &to, pname) != 0 ||
	    clients(cmd_opt(c, 3), &client) != 0)
		return EXIT_USAGE;
	err_clear(&e);
	if (pain_confirm(c->db, c->org->id, c->actor, client, pname, from, to,
	    cmd_opt(c, 0), cmd_opt(c, 1), &id, &e) != 0)
		return cmd_error(&e);
	printf("%" PRId64 "\n", id);
	return EXIT_OK;
}

const struct cmd_entry cmd_pain_confirm_entry = {
	.name = "pain confirm",
	.args = "",
	.summary = "record the working group's confirmation of the order of "
		   "reengineering",
	.help = "Stores the map of the period as ranked now with the minutes' "
		"reference; every\nranked problem gets a row, and those still "
		"open become planned. An empty\nmap is refused. Prints the "
		"decision's id. Audited as pain.confirm.",
	.opts = confirm_opts,
	.flags = CMD_ORG,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_pain_confirm_exec,
};

/* ---- decisions ---- */

static const struct cmd_opt decisions_opts[] = {
	{"json", NULL, "print the decisions as JSON, rankings included"},
	{NULL, NULL, NULL},
};

static int
cmd_pain_decisions_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct pain_decision *d;
	struct err	      e;
	json_t		     *a, *r, *o;
	json_error_t	      je;
	char		      at[17], *s;
	size_t		      n, i;

	(void)argc;
	(void)argv;
	err_clear(&e);
	if (pain_decisions(c->db, c->org->id, &d, &n, &e) != 0)
		return cmd_error(&e);
	a = json_array();
	for (i = 0; i < n; i++) {
		r = json_loads(d[i].ranking, 0, &je);
		time_format_local(d[i].decided_at, c->org->tz, 0, at);
		if (cmd_flag(c, 0)) {
			o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}",
			    "id", (json_int_t)d[i].id, "client", d[i].client,
			    "period", d[i].period, "minutes_ref",
			    d[i].minutes_ref, "note", d[i].note, "decided_at",
			    at, "decided_by", d[i].decided_by);
			json_object_set_new(o, "ranking",
			    r != NULL ? r : json_array());
			json_array_append_new(a, o);
			continue;
		}
		printf("%" PRId64 "\t%s\t%s\t%s\t%zu\t", d[i].id, at,
		    d[i].client, d[i].period, json_array_size(r));
		put_field(d[i].minutes_ref);
		printf("\t%s\n", d[i].decided_by);
		json_decref(r);
	}
	if (cmd_flag(c, 0)) {
		s = json_dumps(a, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (s != NULL)
			puts(s);
		free(s);
	}
	json_decref(a);
	pain_decisions_free(d, n);
	return EXIT_OK;
}

const struct cmd_entry cmd_pain_decisions_entry = {
	.name = "pain decisions",
	.args = "",
	.summary = "the working group's decisions on the order of "
		   "reengineering, newest first",
	.help = "One line per decision, tab separated: id, when, clients, "
		"period, problems\nranked, the minutes' reference, who "
		"recorded it.",
	.opts = decisions_opts,
	.flags = CMD_ORG,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_pain_decisions_exec,
};

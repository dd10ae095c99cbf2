/*
 * otklik feedback import: messages from another system's export (the
 * feedback platform, the portal) in CSV or XLSX (R-FB-10), all or
 * nothing, idempotent.  otklik feedback export: the messages as a file
 * that leaves the system, without the clients' contact details unless
 * the exporter's role allows them (R-PD-3).  Both exchange files in the
 * format of docs/import-format.md, so they share this file.
 */
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "otklik.h"
#include "cmd.h"
#include "db.h"
#include "feedback.h"
#include "feedback_import.h"
#include "org.h"
#include "pd.h"

static const struct cmd_opt import_opts[] = {
	{"map", "FILE", "mapping of another export's columns and values "
			"(data/import-maps/pos.map)"},
	{"source", "SOURCE", "direct, pos, epgu, survey or media (default: "
			     "the mapping's, else direct)"},
	{"create-topics", NULL, "add topics and reasons the dictionary lacks "
				"(else such rows are rejected)"},
	{"dry-run", NULL, "check every row and count; write nothing"},
	{NULL, NULL, NULL},
};

static void
print_problems(const char *path, const struct fb_import_report *rep)
{
	size_t i;

	for (i = 0; i < rep->n; i++) {
		if (rep->v[i].column != NULL)
			fprintf(stderr, "%s: row %ld, column «%s»: %s\n", path,
			    rep->v[i].row, rep->v[i].column, rep->v[i].msg);
		else
			fprintf(stderr, "%s: row %ld: %s\n", path,
			    rep->v[i].row, rep->v[i].msg);
	}
	if ((long)rep->n < rep->rejected)
		fprintf(stderr, "%s: and more rejected rows, not listed (the "
		    "first %d problems are)\n", path, FB_IMPORT_MAX_PROBLEMS);
}

static struct fb_map *
load_map(const char *path, struct err *e)
{
	struct fb_map *m;
	struct buf     b;

	buf_init(&b, FB_MAP_MAX_FILE + 1);
	if (buf_read_file(&b, path, e) != 0) {
		buf_free(&b);
		return NULL;
	}
	m = fb_map_parse(b.data != NULL ? b.data : "", b.len, path, e);
	buf_free(&b);
	return m;
}

static int
cmd_feedback_import_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct fb_import_opts	o;
	struct fb_import_report rep;
	struct fb_conf	       *conf = NULL;
	struct fb_map	       *map = NULL;
	struct buf		b;
	struct err		e;
	const char	       *path = argv[0];
	int			r, rc = EXIT_OK;

	(void)argc;
	err_clear(&e);
	memset(&o, 0, sizeof(o));
	o.name = path;
	o.source = cmd_opt(c, 1);
	o.create_topics = cmd_flag(c, 2);
	o.dry_run = cmd_flag(c, 3);
	if (cmd_opt(c, 0) != NULL && (map = load_map(cmd_opt(c, 0), &e)) ==
	    NULL)
		return cmd_error(&e);
	o.map = map;
	buf_init(&b, FB_IMPORT_MAX_FILE);
	if (buf_read_file(&b, path, &e) != 0) {
		rc = cmd_error(&e);
		goto out;
	}
	/*
	 * One long transaction of many small rows: a larger page cache keeps
	 * SQLite from spilling dirty pages to the WAL before the commit, and
	 * glibc's heap kept instead of trimmed after every burst of frees
	 * spares a system call per row (a third of the time, measured).
	 */
	if (strcmp(db_backend(c->db), "sqlite") == 0)
		db_exec(c->db, "PRAGMA cache_size = -65536");
#ifdef __GLIBC__
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
#endif
	if ((conf = fb_conf_load(c->db, c->org->id, &e)) == NULL) {
		rc = cmd_error(&e);
		goto out;
	}
	r = fb_import(c->db, conf, c->actor, b.data != NULL ? b.data : "",
	    b.len, &o, &rep, &e);
	buf_free(&b);
	print_problems(path, &rep);
	if (r != 0) {
		rc = cmd_fail(e.code != 0 ? e.code : EXIT_DATAERR, "%s: %s",
		    path, e.msg);
		fb_import_report_free(&rep);
		goto out;
	}
	printf("%s%s: read %ld, %s %ld, already there %ld, rejected %ld",
	    o.dry_run ? "dry run: " : "", path, rep.read,
	    rep.written ? "imported" : "new", rep.imported, rep.already,
	    rep.rejected);
	if (!rep.written)
		printf("; nothing was written");
	putchar('\n');
	if (rep.rejected > 0)
		rc = EXIT_DATAERR;
	fb_import_report_free(&rep);
out:
	buf_free(&b);
	fb_conf_free(conf);
	fb_map_free(map);
	return rc;
}

const struct cmd_entry cmd_feedback_import_entry = {
	.name = "feedback import",
	.args = "FILE",
	.summary = "import messages from an export (CSV or XLSX)",
	.help = "The file has a header row with the canonical columns "
		"(external_id, received_at,\nchannel, kind, client_type, form, "
		"touchpoint, topic, reason, text,\nacknowledged_at, "
		"answered_at, outcome, transfers, wait_minutes), or another\n"
		"system's columns named by --map. Every row is checked; if any "
		"is rejected,\nall are listed with row, column and reason and "
		"nothing is written (exit 65).\nOtherwise all rows are stored "
		"in one transaction. A row whose external_id is\nalready "
		"stored for the source is counted as already there: importing "
		"the\nsame file twice adds nothing. Contact details are not "
		"imported. See\ndocs/import-format.md.",
	.opts = import_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_feedback_import_exec,
};

static const struct cmd_opt export_opts[] = {
	{"format", "FORMAT", "csv (default) or xlsx"},
	{"with-contacts", NULL, "add name, email, phone, address (operators "
				"and admins only, with --user)"},
	{"output", "FILE", "the file to write (default: standard output, "
			   "CSV only)"},
	{NULL, NULL, NULL},
};

static int
cmd_feedback_export_exec(struct cmd_ctx *c, int argc, char **argv)
{
	enum fb_export_format f = FB_EXPORT_CSV;
	struct err	      e;
	const char	     *fmt = cmd_opt(c, 0), *out = cmd_opt(c, 2);
	int		      with = cmd_flag(c, 1);
	long		      n;

	(void)argc;
	(void)argv;
	err_clear(&e);
	if (fmt != NULL && strcmp(fmt, "xlsx") == 0)
		f = FB_EXPORT_XLSX;
	else if (fmt != NULL && strcmp(fmt, "csv") != 0)
		return cmd_fail(EXIT_USAGE, "--format %s: csv or xlsx", fmt);
	if (f == FB_EXPORT_XLSX && (out == NULL || strcmp(out, "-") == 0))
		return cmd_fail(EXIT_USAGE, "an XLSX export needs --output "
		    "FILE");
	/* R-PD-3: contact details leave only with someone entitled. */
	if (with && c->user == NULL)
		return cmd_fail(EXIT_USAGE, "--with-contacts needs --user "
		    "LOGIN of a feedback operator or an admin");
	if (with && !pd_may_see_login(c->db, c->user, c->org->id))
		return cmd_fail(EXIT_USAGE, "--with-contacts: %s is not a "
		    "feedback operator or an admin of %s; contact details are "
		    "not exported", c->user, c->org->slug);
	if (fb_export(c->db, c->org->id, c->actor, f, with, out, &n, &e) != 0)
		return cmd_error(&e);
	if (out != NULL && strcmp(out, "-") != 0)
		fprintf(stderr, "%s: %ld messages%s\n", out, n, with ?
		    ", with contact details" : "");
	return EXIT_OK;
}

const struct cmd_entry cmd_feedback_export_entry = {
	.name = "feedback export",
	.args = "",
	.summary = "export messages as CSV or XLSX (without contact details)",
	.help = "Writes the organization's messages in the canonical columns "
		"of 'feedback\nimport', then code and state. Contact details "
		"are left out unless\n--with-contacts is given by a feedback "
		"operator or admin (--user); every\nexport is written to the "
		"audit log (R-PD-3).",
	.opts = export_opts,
	.flags = CMD_ORG,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_feedback_export_exec,
};

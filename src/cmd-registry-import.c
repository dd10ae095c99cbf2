/*
 * otklik registry import: loads the registry in the official form from a
 * CSV or XLSX file (R-REG-8), all or nothing.  With --dry-run it shows
 * what would happen: every row it cannot read, the findings of the
 * checks, and how many entries would be added, changed and excluded.
 */
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "cmd.h"
#include "org.h"
#include "registry.h"
#include "table.h"

static const struct cmd_opt opts[] = {
	{"dry-run", NULL, "show what the import would do; write nothing"},
	{"client", "TYPE", "external (default) or internal: the clients of "
			   "entries that do not say"},
	{"note", "TEXT", "a note for the new version (the order's number, …)"},
	{NULL, NULL, NULL},
};

static void
print_problems(const char *path, const struct import_report *rep)
{
	size_t i;

	for (i = 0; i < rep->n; i++) {
		if (rep->v[i].col > 0)
			fprintf(stderr, "%s: row %ld, column %d: %s\n", path,
			    rep->v[i].line, rep->v[i].col, rep->v[i].msg);
		else
			fprintf(stderr, "%s: row %ld: %s\n", path,
			    rep->v[i].line, rep->v[i].msg);
	}
}

static int
cmd_registry_import_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct import_opts	io = {CLIENT_EXTERNAL};
	struct import_report	rep;
	struct reg_import_stats st;
	struct reg_findings	found;
	struct registry		reg;
	struct table		t;
	struct buf		b;
	struct err		e;
	const char	       *path = argv[0];
	int64_t			version;
	int			dry = cmd_flag(c, 0), r;

	(void)argc;
	err_clear(&e);
	if (cmd_opt(c, 1) != NULL) {
		if (strcmp(cmd_opt(c, 1), "internal") == 0)
			io.client = CLIENT_INTERNAL;
		else if (strcmp(cmd_opt(c, 1), "external") != 0)
			return cmd_fail(EXIT_USAGE,
			    "--client %s: external or internal", cmd_opt(c, 1));
	}
	buf_init(&b, TABLE_MAX_FILE);
	if (buf_read_file(&b, path, &e) != 0) {
		buf_free(&b);
		return cmd_error(&e);
	}
	r = table_read(b.data, b.len, &t, &e);
	buf_free(&b);
	if (r != 0)
		return cmd_fail(e.code ? e.code : EXIT_DATAERR, "%s: %s", path,
		    e.msg);
	r = registry_from_table(&t, &io, &reg, &rep);
	table_free(&t);
	if (r != 0) {
		print_problems(path, &rep);
		fprintf(stderr, "otklik: %s: %zu row%s cannot be read; nothing "
				"was written\n", path, rep.n,
		    rep.n == 1 ? "" : "s");
		import_report_free(&rep);
		registry_free(&reg);
		return EXIT_DATAERR;
	}
	import_report_free(&rep);

	r = registry_replace(c->db, c->org, c->actor, &reg,
	    cmd_opt(c, 2) ? cmd_opt(c, 2) : path, dry, &version, &st, &found,
	    &e);
	if (found.n > 0)
		findings_print(stdout, &found);
	findings_free(&found);
	if (r != 0) {
		registry_free(&reg);
		return cmd_error(&e);
	}
	printf("%s%s: %zu entries; %d added, %d changed, %d excluded, %d "
	       "unchanged",
	    dry ? "dry run: " : "", path, reg.n, st.added, st.changed,
	    st.excluded, st.unchanged);
	if (dry)
		printf("; nothing was written\n");
	else if (version == 0)
		printf("; the registry is already so, no new version\n");
	else
		printf("; version %lld\n", (long long)version);
	registry_free(&reg);
	return EXIT_OK;
}

const struct cmd_entry cmd_registry_import_entry = {
	.name = "registry import",
	.args = "FILE",
	.summary = "load the registry from the official form (CSV or XLSX)",
	.help = "The file holds the table of the official form: a header row "
		"with its titles,\noptionally the numbering row 1-6, then the "
		"entries; an empty cell means \"the\nsame as above\". The "
		"extended columns of 'registry export --extended' are read\n"
		"too. Entries are matched to the current registry by area, "
		"process and\ntouchpoint; what the file lacks is excluded. The "
		"whole file becomes one new\nversion, or, if any row cannot be "
		"read or a check fails, nothing is written\n(exit 65). CSV and "
		"XLSX are told apart by content.",
	.opts = opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_registry_import_exec,
};

/*
 * otklik registry list: the entries of the registry (of the latest
 * version, a given one, or as of a date), one line each for scripts;
 * otklik registry versions: the versions with their dates and authors.
 */
#include "otklik.h"
#include "cmd.h"
#include "db.h"
#include "org.h"
#include "registry.h"

static const struct cmd_opt list_opts[] = {
	{"version", "N", "the registry as included in version N"},
	{"as-of", "DATE", "the registry in force at the end of DATE"},
	{NULL, NULL, NULL},
};

int
cmd_registry_pick_version(struct cmd_ctx *c, int vopt, int dateopt,
    int64_t *v)
{
	struct err e;
	int32_t	   day;

	*v = 0;
	if (cmd_opt(c, vopt) != NULL && cmd_opt(c, dateopt) != NULL)
		return cmd_fail(EXIT_USAGE, "give --version or --as-of, not "
		    "both");
	if (cmd_opt(c, vopt) != NULL)
		return cmd_parse_int("--version", cmd_opt(c, vopt), 1,
			   INT64_MAX, v) != 0 ? EXIT_USAGE : 0;
	if (cmd_opt(c, dateopt) != NULL) {
		if (date_parse(cmd_opt(c, dateopt), &day) != 0)
			return cmd_fail(EXIT_USAGE, "--as-of %s: expected a "
			    "date YYYY-MM-DD", cmd_opt(c, dateopt));
		if (registry_version_at(c->db, c->org, day, v, &e) != 0)
			return cmd_error(&e);
		if (*v == 0)
			return cmd_fail(EXIT_NOINPUT, "the registry had no "
			    "version yet on %s", cmd_opt(c, dateopt));
	}
	return 0;
}

static int
cmd_registry_list_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct registry reg;
	struct err	e;
	int64_t		v;
	size_t		i;
	int		r;

	(void)argc;
	(void)argv;
	if ((r = cmd_registry_pick_version(c, 0, 1, &v)) != 0)
		return r;
	if (registry_load(c->db, c->org->id, v, &reg, &e) != 0)
		return cmd_error(&e);
	for (i = 0; i < reg.n; i++)
		printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
		    (long long)reg.v[i].id, channels[reg.v[i].channel].code,
		    kind_code(reg.v[i].kind), reg.v[i].is_key ? "key" : "-",
		    reg.v[i].area, reg.v[i].process, reg.v[i].name,
		    reg.v[i].needs);
	registry_free(&reg);
	return EXIT_OK;
}

const struct cmd_entry cmd_registry_list_entry = {
	.name = "registry list",
	.args = "",
	.summary = "list entries: id, channel, kind, key, area, process, "
		   "touchpoint, needs",
	.opts = list_opts,
	.flags = CMD_ORG,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_registry_list_exec,
};

static int
cmd_registry_versions_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct db_stmt *s;
	char		day[11];
	int		r;

	(void)argc;
	(void)argv;
	s = db_prepare(c->db,
	    "SELECT v.version, v.included_at, v.included_by, v.note, "
	    "(SELECT count(*) FROM registry_change ch WHERE ch.org_id = "
	    "v.org_id AND ch.version = v.version), "
	    "(SELECT min(p.published_at) FROM registry_publication p WHERE "
	    "p.org_id = v.org_id AND p.version >= v.version) "
	    "FROM registry_version v WHERE v.org_id = ? ORDER BY v.version",
	    "i", c->org->id);
	if (s == NULL)
		return cmd_fail(EXIT_IOERR, "%s", db_errmsg(c->db));
	while ((r = db_step(s)) == DB_ROW) {
		date_format_ru(date_local(db_col_int(s, 1), c->org->tz), day);
		printf("%lld\t%s\t%s\t%lld change%s\t", (long long)db_col_int(s, 0),
		    day, db_col_text(s, 2), (long long)db_col_int(s, 4),
		    db_col_int(s, 4) == 1 ? "" : "s");
		if (db_col_null(s, 5))
			printf("not published");
		else {
			date_format_ru(date_local(db_col_int(s, 5), c->org->tz),
			    day);
			printf("published %s", day);
		}
		printf("\t%s\n", db_col_null(s, 3) ? "" : db_col_text(s, 3));
	}
	db_finalize(s);
	return r == DB_FAIL ? cmd_fail(EXIT_IOERR, "%s", db_errmsg(c->db))
			    : EXIT_OK;
}

const struct cmd_entry cmd_registry_versions_entry = {
	.name = "registry versions",
	.args = "",
	.summary = "list versions: number, date, by whom, changes, "
		   "publication, note",
	.flags = CMD_ORG,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_registry_versions_exec,
};

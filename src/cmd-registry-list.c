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
	struct reg_version *v;
	struct err	    e;
	char		    day[11];
	int		    i, n;

	(void)argc;
	(void)argv;
	if ((n = registry_versions(c->db, c->org->id, 0, &v, &e)) < 0)
		return cmd_error(&e);
	for (i = 0; i < n; i++) {
		date_format_ru(date_local(v[i].at, c->org->tz), day);
		printf("%lld\t%s\t%s\t%lld change%s\t", (long long)v[i].version,
		    day, v[i].by, (long long)v[i].nchanges,
		    v[i].nchanges == 1 ? "" : "s");
		if (v[i].published_at == 0)
			printf("not published");
		else {
			date_format_ru(date_local(v[i].published_at,
			    c->org->tz), day);
			printf("published %s", day);
		}
		printf("\t%s\n", v[i].note != NULL ? v[i].note : "");
	}
	registry_versions_free(v, n);
	return EXIT_OK;
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

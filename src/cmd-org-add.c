/*
 * otklik org add: registers an organization (R-ORG-1).
 */
#include <stdlib.h>

#include "otklik.h"
#include "cmd.h"
#include "org.h"

static const struct cmd_opt opts[] = {
	{"name", "NAME", "full name (required)"},
	{"short", "NAME", "short name"},
	{"region", "CODE", "region for the working-day calendar: ru (default), "
			   "RU-TA, …"},
	{"tz", "ZONE", "time zone from the tz database (default "
		       "Europe/Moscow)"},
	{"site", "URL", "public site"},
	{NULL, NULL, NULL},
};

static int
cmd_org_add_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct org o = {0};
	struct err e;
	int64_t	   id;
	int	   r;

	(void)argc;
	err_clear(&e);
	if (cmd_opt(c, 0) == NULL)
		return cmd_fail(EXIT_USAGE, "org add: --name NAME is required");
	o.slug = argv[0];
	o.name = (char *)cmd_opt(c, 0);
	o.short_name = (char *)cmd_opt(c, 1);
	o.region = org_region_normalize(cmd_opt(c, 2) ? cmd_opt(c, 2) : "ru");
	if (o.region == NULL)
		return cmd_fail(EXIT_USAGE,
		    "--region %s: a region code such as ru, RU-TA or RU-BA",
		    cmd_opt(c, 2));
	o.tz = (char *)(cmd_opt(c, 3) ? cmd_opt(c, 3) : "Europe/Moscow");
	o.site_url = (char *)cmd_opt(c, 4);
	r = org_add(c->db, c->actor, &o, &id, &e);
	free(o.region);
	if (r != 0)
		return cmd_error(&e);
	printf("%s\n", o.slug);
	return EXIT_OK;
}

const struct cmd_entry cmd_org_add_entry = {
	.name = "org add",
	.args = "SLUG",
	.summary = "add an organization",
	.help = "SLUG names the organization in commands and addresses "
		"(lowercase Latin\nletters, digits and '-').",
	.opts = opts,
	.flags = CMD_DB,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_org_add_exec,
};

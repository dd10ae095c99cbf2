/*
 * otklik org list: the organizations of this installation.
 */
#include <stdlib.h>

#include "otklik.h"
#include "cmd.h"
#include "org.h"

static int
cmd_org_list_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct org *v;
	struct err  e;
	int	    n, i;

	(void)argc;
	(void)argv;
	if ((n = org_list(c->db, &v, &e)) < 0)
		return cmd_error(&e);
	for (i = 0; i < n; i++) {
		printf("%s\t%s\t%s\t%s\n", v[i].slug, v[i].region, v[i].tz,
		    v[i].name);
		org_clear(&v[i]);
	}
	free(v);
	return EXIT_OK;
}

const struct cmd_entry cmd_org_list_entry = {
	.name = "org list",
	.args = "",
	.summary = "list organizations (slug, region, zone, name)",
	.flags = CMD_DB,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_org_list_exec,
};

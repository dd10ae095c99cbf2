/*
 * otklik user list: the staff accounts, whether each has a password, and
 * their roles; with --org, only the people of that organization.
 */
#include <stdlib.h>

#include "otklik.h"
#include "cmd.h"
#include "org.h"
#include "session.h"

static int
cmd_user_list_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct staff_info *v;
	struct org	  *o = NULL;
	struct err	   e;
	int		   n, i, k;

	(void)argc;
	(void)argv;
	err_clear(&e);
	if (c->org_slug != NULL && (o = org_find(c->db, c->org_slug, &e)) ==
	    NULL)
		return cmd_error(&e);
	n = staff_list(c->db, o != NULL ? o->id : 0, &v, &e);
	org_free(o);
	if (n < 0)
		return cmd_error(&e);
	for (i = 0; i < n; i++) {
		printf("%s\t%s\t%s\t", v[i].login, v[i].name,
		    v[i].has_password ? "password" : "no password");
		for (k = 0; k < v[i].nroles; k++) {
			printf("%s%s:%s", k > 0 ? ", " : "", v[i].roles[k].org,
			    v[i].roles[k].role);
			if (v[i].roles[k].unit != NULL)
				printf(" (%s)", v[i].roles[k].unit);
		}
		printf("%s\n", v[i].nroles == 0 ? "-" : "");
	}
	staff_list_free(v, n);
	return EXIT_OK;
}

const struct cmd_entry cmd_user_list_entry = {
	.name = "user list",
	.args = "",
	.summary = "list staff accounts (login, name, password, roles)",
	.help = "One line per account: login, name, \"password\" or \"no "
		"password\" (such an\naccount cannot sign in), and its roles as "
		"ORG:ROLE, an editor's unit in\nparentheses. With --org, only "
		"the accounts holding a role there.",
	.flags = CMD_DB,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_user_list_exec,
};

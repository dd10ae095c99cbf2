/*
 * otklik user add: a staff account, optionally with a role in an
 * organization (R-ORG-2).  The audit log names accounts by login.
 */
#include "otklik.h"
#include "cmd.h"
#include "db.h"
#include "org.h"

static const struct cmd_opt opts[] = {
	{"name", "NAME", "the person's full name (required)"},
	{"role", "ROLE", "officer, editor, operator, analyst, group or admin "
			 "in --org"},
	{"unit", "NAME", "the unit of an editor"},
	{NULL, NULL, NULL},
};

static int
cmd_user_add_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err  e;
	struct org *o = NULL;
	int64_t	    id, unit = 0;
	int	    r = EXIT_OK;

	(void)argc;
	err_clear(&e);
	if (str_empty(cmd_opt(c, 0)))
		return cmd_fail(EXIT_USAGE, "user add: --name NAME is required");
	if (cmd_opt(c, 1) != NULL) {
		if (!role_valid(cmd_opt(c, 1)))
			return cmd_fail(EXIT_USAGE,
			    "--role %s: one of officer, editor, operator, "
			    "analyst, group, admin", cmd_opt(c, 1));
		o = c->org_slug ? org_find(c->db, c->org_slug, &e)
				: org_default(c->db, &e);
		if (o == NULL)
			return cmd_error(&e);
	}
	if (db_begin(c->db) != 0) {
		org_free(o);
		return cmd_fail(EXIT_IOERR, "%s", db_errmsg(c->db));
	}
	if (staff_add(c->db, c->actor, argv[0], cmd_opt(c, 0), &id, &e) != 0 ||
	    (o != NULL && cmd_opt(c, 2) != NULL &&
		unit_get(c->db, c->actor, o->id, cmd_opt(c, 2), 1, &unit, &e)) ||
	    (o != NULL && staff_grant(c->db, c->actor, argv[0], o->id,
			      cmd_opt(c, 1), unit, &e) != 0) ||
	    db_commit(c->db) != 0) {
		db_rollback(c->db);
		r = e.code ? cmd_error(&e)
			   : cmd_fail(EXIT_IOERR, "%s", db_errmsg(c->db));
	} else
		printf("%s\n", argv[0]);
	org_free(o);
	return r;
}

const struct cmd_entry cmd_user_add_entry = {
	.name = "user add",
	.args = "LOGIN",
	.summary = "add a staff account, with a role in an organization",
	.opts = opts,
	.flags = CMD_DB,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_user_add_exec,
};

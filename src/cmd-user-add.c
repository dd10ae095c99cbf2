/*
 * otklik user add: a staff account, optionally with a role in an
 * organization (R-ORG-2) and a password from standard input (R-ORG-4).
 * The audit log names accounts by login.
 */
#include <sodium.h>

#include "otklik.h"
#include "cmd.h"
#include "db.h"
#include "org.h"
#include "session.h"

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
	int	    r = EXIT_OK, have_pw;
	char	    pw[PASSWORD_MAX_BYTES + 2];

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
	/* The password is read and checked before anything is written. */
	if (staff_exists(c->db, argv[0])) {
		org_free(o);
		return cmd_fail(EXIT_DATAERR, "account '%s' exists already; "
		    "'otklik user role' and 'otklik user passwd' change it",
		    argv[0]);
	}
	if ((have_pw = cmd_read_password(pw, sizeof(pw), 0)) < 0 ||
	    (have_pw == 1 && password_ok(pw, &e) != 0)) {
		sodium_memzero(pw, sizeof(pw));
		org_free(o);
		return have_pw < 0 ? EXIT_DATAERR : cmd_error(&e);
	}
	if (db_begin(c->db) != 0) {
		sodium_memzero(pw, sizeof(pw));
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
	} else if (have_pw == 1 &&
	    password_set(c->db, c->actor, argv[0], pw, &e) != 0) {
		cmd_fail(e.code, "account '%s' added, but its password was not "
		    "set: %s; set it with 'otklik user passwd %s'", argv[0],
		    e.msg, argv[0]);
		r = e.code;
	} else
		printf("%s\n", argv[0]);
	sodium_memzero(pw, sizeof(pw));
	org_free(o);
	return r;
}

const struct cmd_entry cmd_user_add_entry = {
	.name = "user add",
	.args = "LOGIN",
	.summary = "add a staff account, with a role in an organization",
	.help = "When standard input is not a terminal, its first line "
		"becomes the account's\npassword (at least 10 characters), "
		"so that it never stands on a command line:\n\n"
		"  printf '%s\\n' \"$PASSWORD\" |\n"
		"      otklik --org moh user add ivanova --name \"$NAME\" "
		"--role officer\n\n"
		"Without one the account cannot sign in until 'otklik user "
		"passwd' sets it.",
	.opts = opts,
	.flags = CMD_DB,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_user_add_exec,
};

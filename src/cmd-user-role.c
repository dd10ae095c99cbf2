/*
 * otklik user role: grants a staff account a role of R-ORG-2 in an
 * organization, or takes it away with --revoke.  Both are audited; the
 * web checks roles on every request, so a change counts at once.
 */
#include <string.h>

#include "otklik.h"
#include "cmd.h"
#include "db.h"
#include "org.h"
#include "session.h"

enum { O_ROLE, O_UNIT, O_REVOKE };

static const struct cmd_opt opts[] = {
	[O_ROLE] = {"role", "ROLE", "officer, editor, operator, analyst, group "
				    "or admin (required)"},
	[O_UNIT] = {"unit", "NAME", "the unit of an editor; it must exist "
				    "('otklik unit add')"},
	[O_REVOKE] = {"revoke", NULL, "take the role away instead"},
	{NULL, NULL, NULL},
};

static int
cmd_user_role_exec(struct cmd_ctx *c, int argc, char **argv)
{
	const char *login = argv[0], *role = cmd_opt(c, O_ROLE);
	const char *unit = cmd_opt(c, O_UNIT);
	struct err  e;
	int64_t	    unit_id = 0;
	int	    held;

	(void)argc;
	err_clear(&e);
	if (role == NULL)
		return cmd_fail(EXIT_USAGE, "user role: --role ROLE is "
		    "required");
	if (!role_valid(role))
		return cmd_fail(EXIT_USAGE, "--role %s: one of officer, editor, "
		    "operator, analyst, group, admin", role);
	if (cmd_flag(c, O_REVOKE) && unit != NULL)
		return cmd_fail(EXIT_USAGE, "user role: --unit goes with a "
		    "grant, not with --revoke");
	if (!staff_exists(c->db, login))
		return cmd_fail(EXIT_NOINPUT, "no staff account '%s'; 'otklik "
		    "user list' shows them", login);
	if ((held = staff_role_held(c->db, login, c->org->id, role)) < 0)
		return cmd_fail(EXIT_IOERR, "%s", db_errmsg(c->db));
	if (!cmd_flag(c, O_REVOKE) && held)
		return cmd_fail(EXIT_DATAERR, "'%s' holds the role '%s' in %s "
		    "already; to change its unit, revoke it first", login,
		    role, c->org->slug);
	if (!cmd_flag(c, O_REVOKE) && unit != NULL &&
	    unit_get(c->db, c->actor, c->org->id, unit, 0, &unit_id, &e) != 0)
		return e.code == EXIT_NOINPUT
		    ? cmd_fail(EXIT_NOINPUT, "%s has no unit '%s'; 'otklik "
			"--org %s unit add NAME' adds one", c->org->slug, unit,
			c->org->slug)
		    : cmd_error(&e);

	if (db_begin(c->db) != 0)
		return cmd_fail(EXIT_IOERR, "%s", db_errmsg(c->db));
	if ((cmd_flag(c, O_REVOKE)
		    ? staff_revoke(c->db, c->actor, login, c->org->id, role, &e)
		    : staff_grant(c->db, c->actor, login, c->org->id, role,
			  unit_id, &e)) != 0 ||
	    db_commit(c->db) != 0) {
		db_rollback(c->db);
		return e.code ? cmd_error(&e)
			      : cmd_fail(EXIT_IOERR, "%s", db_errmsg(c->db));
	}
	printf("%s: %s in %s %s\n", login, role, c->org->slug,
	    cmd_flag(c, O_REVOKE) ? "revoked" : "granted");
	return EXIT_OK;
}

const struct cmd_entry cmd_user_role_entry = {
	.name = "user role",
	.args = "LOGIN",
	.summary = "grant a staff account a role in an organization, or "
		   "revoke it",
	.help = "Roles (R-ORG-2): officer (registry officer), editor (unit "
		"editor, with\n--unit), operator (feedback operator), analyst, "
		"group (working group\nmember), admin (every role in the "
		"organization). A person may hold several\nroles in several "
		"organizations; name the organization with --org.",
	.opts = opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_user_role_exec,
};

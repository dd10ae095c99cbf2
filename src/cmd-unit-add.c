/*
 * otklik unit add: adds a structural unit to an organization.
 */
#include "otklik.h"
#include "cmd.h"
#include "db.h"
#include "org.h"

static int
cmd_unit_add_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err e;
	int64_t	   id;

	(void)argc;
	err_clear(&e);
	if (str_empty(argv[0]))
		return cmd_fail(EXIT_USAGE, "unit add: the name is empty");
	if (db_begin(c->db) != 0)
		return cmd_fail(EXIT_IOERR, "%s", db_errmsg(c->db));
	if (unit_get(c->db, c->actor, c->org->id, argv[0], 1, &id, &e) != 0 ||
	    db_commit(c->db) != 0) {
		db_rollback(c->db);
		return e.code ? cmd_error(&e)
			      : cmd_fail(EXIT_IOERR, "%s", db_errmsg(c->db));
	}
	printf("%lld\n", (long long)id);
	return EXIT_OK;
}

const struct cmd_entry cmd_unit_add_entry = {
	.name = "unit add",
	.args = "NAME",
	.summary = "add a structural unit to the organization",
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_unit_add_exec,
};

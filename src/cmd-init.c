/*
 * otklik init: creates the database, or brings an old one up to date,
 * and puts the built-in calendars into it.
 */
#include "otklik.h"
#include "cal.h"
#include "cmd.h"
#include "db.h"

static int
cmd_init_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err e;
	struct db *db;
	int	   n, v;

	(void)argc;
	(void)argv;
	err_clear(&e);
	if ((db = db_open(c->dbpath, &e)) == NULL)
		return cmd_error(&e);
	if ((n = db_migrate(db, &e)) < 0 || cal_seed(db, c->actor, &e) != 0) {
		db_close(db);
		return cmd_error(&e);
	}
	v = db_schema_version(db);
	db_close(db);
	if (n == 0)
		printf("%s: up to date (schema %d)\n", c->dbpath, v);
	else
		printf("%s: applied %d migration%s (schema %d)\n", c->dbpath, n,
		    n == 1 ? "" : "s", v);
	return EXIT_OK;
}

const struct cmd_entry cmd_init_entry = {
	.name = "init",
	.args = "",
	.summary = "create the database or migrate it to this version",
	.help = "Creates the database named by --db (or $OTKLIK_DB, or "
		"./otklik.db) if it does not\nexist, applies the migrations it "
		"lacks and loads the built-in working-day\ncalendars. Running "
		"it again is harmless.",
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_init_exec,
};

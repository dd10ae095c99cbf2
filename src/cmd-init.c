/*
 * otklik init: creates the database, or brings an old one up to date,
 * and puts the built-in calendars into it, and the standard surveys into
 * organizations made before there were surveys; the rollups of the
 * analysis (rollup.h) are worked out when they come to a database that
 * holds messages or answers already.
 */
#include <stdlib.h>

#include "otklik.h"
#include "cal.h"
#include "cmd.h"
#include "db.h"
#include "org.h"
#include "rollup.h"
#include "survey.h"

/*
 * The standard surveys (R-SRV-2) for every organization, one transaction
 * each; srv_install_standard leaves those already there alone, so this
 * is harmless to repeat.
 */
static int
install_surveys(struct db *db, const char *actor, struct err *e)
{
	struct org *list;
	int	    n, i, r = 0;

	if ((n = org_list(db, &list, e)) < 0)
		return -1;
	for (i = 0; i < n && r == 0; i++) {
		if (db_begin(db) != 0) {
			r = err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
			break;
		}
		if (srv_install_standard(db, actor, list[i].id, e) != 0) {
			db_rollback(db);
			r = -1;
		} else if (db_commit(db) != 0) {
			r = err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
			db_rollback(db);
		}
	}
	for (i = 0; i < n; i++)
		org_clear(&list[i]);
	free(list);
	return r;
}

/* The schema that brought the rollups (0006-analysis.sql). */
#define SCHEMA_ROLLUPS 6

/*
 * Rollups that arrive with the migration are empty, while a database of
 * an earlier version may hold messages and answers already: those are
 * rolled up once, here (the write path keeps them up to date after).
 */
static int
rollups_fill(struct db *db, int before, struct err *e)
{
	struct rollup_stats st;
	struct db_stmt	   *s;
	int64_t		    rows = 0;

	if (before == 0 || before >= SCHEMA_ROLLUPS ||
	    db_schema_version(db) < SCHEMA_ROLLUPS)
		return 0;
	s = db_prepare(db, "SELECT (SELECT COUNT(*) FROM fb_message) + "
	    "(SELECT COUNT(*) FROM srv_response)", "");
	if (s == NULL || db_step(s) != DB_ROW) {
		db_finalize(s);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	rows = db_col_int(s, 0);
	db_finalize(s);
	if (rows == 0)
		return 0;
	if (rollup_rebuild(db, 0, &st, NULL, NULL, e) != 0)
		return -1;
	printf("rolled up %lld messages and %lld responses into %lld rollup "
	    "rows\n", (long long)st.messages, (long long)st.responses,
	    (long long)st.rows);
	return 0;
}

static int
cmd_init_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err e;
	struct db *db;
	int	   n, v, before;

	(void)argc;
	(void)argv;
	err_clear(&e);
	if ((db = db_open(c->dbpath, &e)) == NULL)
		return cmd_error(&e);
	before = db_schema_version(db);
	if ((n = db_migrate(db, &e)) < 0 || cal_seed(db, c->actor, &e) != 0 ||
	    install_surveys(db, c->actor, &e) != 0 ||
	    rollups_fill(db, before, &e) != 0) {
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
		"lacks, loads the built-in working-day\ncalendars and installs "
		"the standard surveys in organizations that lack\nthem. Running "
		"it again is harmless.",
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_init_exec,
};

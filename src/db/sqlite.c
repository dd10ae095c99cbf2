/*
 * The SQLite backend: one file, write-ahead log, a busy timeout so that
 * concurrent writers wait instead of failing, foreign keys enforced.
 */
#include <pthread.h>
#include <string.h>

#include <sqlite3.h>

#include "../otklik.h"
#include "../db_int.h"

#define BUSY_TIMEOUT_MS 10000

/*
 * Once per process, before the first connection: no memory statistics.
 * SQLite otherwise takes one global mutex around every allocation to keep
 * them, and every thread of the server (and the ingest writer) contends
 * for it.
 */
static void
sq_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static void *
sq_open(const char *where, struct err *e)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	sqlite3		     *h = NULL;
	int		      r;

	pthread_once(&once, sq_configure);
	r = sqlite3_open_v2(where, &h,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
		SQLITE_OPEN_URI,
	    NULL);
	if (r != SQLITE_OK) {
		err_set(e, EXIT_IOERR, "%s: %s", where,
		    h != NULL ? sqlite3_errmsg(h) : sqlite3_errstr(r));
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_busy_timeout(h, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(h, 1);
	if (sqlite3_exec(h,
		"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
		"PRAGMA foreign_keys=ON;",
		NULL, NULL, NULL) != SQLITE_OK) {
		err_set(e, EXIT_IOERR, "%s: %s", where, sqlite3_errmsg(h));
		sqlite3_close(h);
		return NULL;
	}
	return h;
}

static void
sq_close(void *c)
{
	sqlite3_close(c);
}

static const char *
sq_errmsg(void *c)
{
	return sqlite3_errmsg(c);
}

static int
sq_exec(void *c, const char *sql)
{
	return sqlite3_exec(c, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static void *
sq_prepare(void *c, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(c, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	return st;
}

static int
sq_bind_int(void *st, int i, int64_t v)
{
	return sqlite3_bind_int64(st, i, v) == SQLITE_OK ? 0 : -1;
}

static int
sq_bind_text(void *st, int i, const char *v)
{
	return sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT) == SQLITE_OK
	    ? 0
	    : -1;
}

static int
sq_bind_null(void *st, int i)
{
	return sqlite3_bind_null(st, i) == SQLITE_OK ? 0 : -1;
}

static int
sq_step(void *st)
{
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		return DB_ROW;
	case SQLITE_DONE:
		return DB_DONE;
	default:
		return DB_FAIL;
	}
}

static int
sq_ncols(void *st)
{
	return sqlite3_column_count(st);
}

static int64_t
sq_col_int(void *st, int i)
{
	return sqlite3_column_int64(st, i);
}

static const char *
sq_col_text(void *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static int
sq_col_null(void *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL;
}

static void
sq_finalize(void *st)
{
	sqlite3_finalize(st);
}

static void
sq_reset(void *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

const struct db_ops db_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.errmsg = sq_errmsg,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.bind_int = sq_bind_int,
	.bind_text = sq_bind_text,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.ncols = sq_ncols,
	.col_int = sq_col_int,
	.col_text = sq_col_text,
	.col_null = sq_col_null,
	.finalize = sq_finalize,
	.reset = sq_reset,
	.begin_sql = "BEGIN IMMEDIATE",
	.migrations = "sqlite",
};

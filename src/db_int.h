/*
 * What a storage backend provides to db.c.  Only db.c and the files in
 * db/ include this header.
 */
#ifndef OTKLIK_DB_INT_H
#define OTKLIK_DB_INT_H

#include <stdarg.h>

#include "db.h"

struct db_ops {
	const char *name;
	void *(*open)(const char *where, struct err *);
	void (*close)(void *conn);
	const char *(*errmsg)(void *conn);
	int (*exec)(void *conn, const char *sql);
	void *(*prepare)(void *conn, const char *sql);
	int (*bind_int)(void *stmt, int idx, int64_t);
	int (*bind_text)(void *stmt, int idx, const char *);
	int (*bind_null)(void *stmt, int idx);
	int (*step)(void *stmt);
	int (*ncols)(void *stmt);
	int64_t (*col_int)(void *stmt, int);
	const char *(*col_text)(void *stmt, int);
	int (*col_null)(void *stmt, int);
	void (*finalize)(void *stmt);
	/* Makes a statement ready to run again, with no parameters bound. */
	void (*reset)(void *stmt);
	const char *begin_sql;
	/* Name of the migration set embedded for this backend. */
	const char *migrations;
};

extern const struct db_ops db_sqlite_ops;

#endif

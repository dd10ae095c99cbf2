/*
 * The storage interface.  Domain code talks to the database only through
 * these functions; each backend (db/sqlite.c, later db/pgsql.c) fills a
 * struct db_ops, the way curl keeps its TLS backends behind one table.
 *
 * SQL written for this interface uses "?" placeholders and only what
 * SQLite and PostgreSQL share: INSERT ... RETURNING for new ids, integers
 * for times (unix seconds) and flags, TEXT "YYYY-MM-DD" for dates.
 */
#ifndef OTKLIK_DB_H
#define OTKLIK_DB_H

#include <stdint.h>

struct err;
struct db;
struct db_stmt;

/* Results of db_step(). */
#define DB_ROW	1
#define DB_DONE 0
#define DB_FAIL (-1)

/*
 * Opens the database named by "where": a PostgreSQL connection URI
 * ("postgresql://…") picks the PostgreSQL backend, anything else is the
 * path of an SQLite file.  Returns NULL and fills the error on failure.
 */
struct db *db_open(const char *where, struct err *);
/* Closes the database; db_close(NULL) is harmless. */
void	   db_close(struct db *);
/* The name of the backend: "sqlite" or "postgresql". */
const char *db_backend(const struct db *);
/* The last error the backend reported, for messages. */
const char *db_errmsg(const struct db *);

/* Runs one or more statements without parameters (migrations). */
int db_exec(struct db *, const char *sql);

/*
 * Prepares a statement and binds its parameters from a format string:
 * 'i' int64_t, 'I' an id (int64_t, 0 binds NULL),
 * 't' const char * (NULL binds NULL), 'n' NULL.  Returns NULL
 * on error (the message is in db_errmsg()).
 */
struct db_stmt *db_prepare(struct db *, const char *sql, const char *fmt, ...);
int		db_step(struct db_stmt *);
int		db_ncols(struct db_stmt *);
int64_t		db_col_int(struct db_stmt *, int);
/* Text of a column, NULL for SQL NULL; valid until the next step. */
const char     *db_col_text(struct db_stmt *, int);
/* Same, as a fresh copy ("" for NULL), owned by the caller. */
char	       *db_col_dup(struct db_stmt *, int);
int		db_col_null(struct db_stmt *, int);
/* Ends a statement (kept for reuse); db_finalize(NULL) is harmless. */
void		db_finalize(struct db_stmt *);

/*
 * Runs a statement to completion.  With an "out" pointer, the first
 * column of the first row is stored there (INSERT … RETURNING id).
 * Returns 0, or -1 with the backend's message in db_errmsg().
 */
int db_run(struct db *, int64_t *out, const char *sql, const char *fmt, ...);

/* Transactions: begin takes the write lock at once (BEGIN IMMEDIATE). */
int db_begin(struct db *);
int db_commit(struct db *);
int db_rollback(struct db *);

/* Statements stepped and nanoseconds spent in them, since the start. */
void db_stats(uint64_t *steps, uint64_t *ns);

/* Applies the embedded migrations that are missing; returns how many. */
int db_migrate(struct db *, struct err *);
/* The schema version recorded in the database (0 for none). */
int db_schema_version(struct db *);

#endif

/*
 * The storage front: picks a backend, binds parameters from a format
 * string, keeps prepared statements for reuse, runs transactions and the
 * embedded migrations.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "otklik.h"
#include "db_int.h"

/*
 * Prepared statements are kept by their SQL text and reused: parsing the
 * SQL is most of the cost of a small statement (an import of 10,000
 * touchpoints prepares a handful of statements 10,000 times each).  The
 * cache is two-way: a statement may sit in either slot of the pair its
 * hash names, and a miss takes the empty one or else the one used least
 * recently (when it is not in use), so that two busy statements whose
 * hashes meet both stay prepared.
 */
#define STMT_CACHE 128	/* slots, in pairs */

struct cached {
	char	*sql;
	void	*st;
	int	 busy;
	uint64_t used;		/* db->tick when last taken */
};

struct db {
	const struct db_ops *ops;
	void		    *conn;
	char		     msg[512];
	struct cached	     cache[STMT_CACHE];
	uint64_t	     tick;
};

struct db_stmt {
	struct db *db;
	void	  *st;
	int	   slot;	/* in db->cache, or -1 */
};

static unsigned
sql_hash(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return (h % (STMT_CACHE / 2)) * 2;
}

/*
 * The slot of sql in the pair at h: its own when cached and free (*hit
 * set), else the one a new statement may take (empty, or the free one
 * used least recently), else -1 when both are in use.
 */
static int
cache_slot(struct db *db, unsigned h, const char *sql, int *hit)
{
	struct cached *a = &db->cache[h], *b = &db->cache[h + 1];

	*hit = 1;
	if (a->sql != NULL && !a->busy && strcmp(a->sql, sql) == 0)
		return (int)h;
	if (b->sql != NULL && !b->busy && strcmp(b->sql, sql) == 0)
		return (int)h + 1;
	*hit = 0;
	if (a->sql == NULL)
		return (int)h;
	if (b->sql == NULL)
		return (int)h + 1;
	if (a->busy && b->busy)
		return -1;
	if (a->busy)
		return (int)h + 1;
	if (b->busy)
		return (int)h;
	return a->used <= b->used ? (int)h : (int)h + 1;
}

struct db *
db_open(const char *where, struct err *e)
{
	const struct db_ops *ops = &db_sqlite_ops;
	struct db	    *db;
	void		    *conn;

	if (strncmp(where, "postgresql:", 11) == 0 ||
	    strncmp(where, "postgres:", 9) == 0) {
		err_set(e, EXIT_USAGE,
		    "%s: this build has no PostgreSQL backend yet", where);
		return NULL;
	}
	if ((conn = ops->open(where, e)) == NULL)
		return NULL;
	db = xcalloc(1, sizeof(*db));
	db->ops = ops;
	db->conn = conn;
	return db;
}

void
db_close(struct db *db)
{
	size_t i;

	if (db == NULL)
		return;
	for (i = 0; i < STMT_CACHE; i++) {
		if (db->cache[i].st != NULL)
			db->ops->finalize(db->cache[i].st);
		free(db->cache[i].sql);
	}
	db->ops->close(db->conn);
	free(db);
}

const char *
db_backend(const struct db *db)
{
	return db->ops->name;
}

const char *
db_errmsg(const struct db *db)
{
	if (db->msg[0] != '\0')
		return db->msg;
	return db->ops->errmsg(db->conn);
}

int
db_exec(struct db *db, const char *sql)
{
	db->msg[0] = '\0';
	return db->ops->exec(db->conn, sql);
}

static struct db_stmt *
db_vprepare(struct db *db, const char *sql, const char *fmt, va_list ap)
{
	struct db_stmt *s;
	void	       *st;
	const char     *t;
	int64_t		v;
	int		i, r = 0, slot, hit;
	struct cached  *c;

	db->msg[0] = '\0';
	slot = cache_slot(db, sql_hash(sql), sql, &hit);
	if (hit)
		st = db->cache[slot].st;
	else if ((st = db->ops->prepare(db->conn, sql)) == NULL)
		return NULL;
	else if (slot >= 0) {
		c = &db->cache[slot];
		if (c->sql != NULL) {
			db->ops->finalize(c->st);
			free(c->sql);
		}
		c->sql = xstrdup(sql);
		c->st = st;
	}
	if (slot >= 0) {
		db->cache[slot].busy = 1;
		db->cache[slot].used = ++db->tick;
	}
	for (i = 0; fmt != NULL && fmt[i] != '\0' && r == 0; i++) {
		switch (fmt[i]) {
		case 'i':
			r = db->ops->bind_int(st, i + 1, va_arg(ap, int64_t));
			break;
		case 'I':
			v = va_arg(ap, int64_t);
			r = v != 0 ? db->ops->bind_int(st, i + 1, v)
				   : db->ops->bind_null(st, i + 1);
			break;
		case 't':
			t = va_arg(ap, const char *);
			r = t != NULL ? db->ops->bind_text(st, i + 1, t)
				      : db->ops->bind_null(st, i + 1);
			break;
		case 'n':
			r = db->ops->bind_null(st, i + 1);
			break;
		default:
			fatal("db_prepare: bad format character '%c'", fmt[i]);
		}
	}
	if (r != 0) {
		snprintf(db->msg, sizeof(db->msg), "binding parameter %d: %s",
		    i, db->ops->errmsg(db->conn));
		if (slot >= 0) {
			db->ops->reset(st);
			db->cache[slot].busy = 0;
		} else
			db->ops->finalize(st);
		return NULL;
	}
	s = xmalloc(sizeof(*s));
	s->db = db;
	s->st = st;
	s->slot = slot;
	return s;
}

struct db_stmt *
db_prepare(struct db *db, const char *sql, const char *fmt, ...)
{
	struct db_stmt *s;
	va_list		ap;

	va_start(ap, fmt);
	s = db_vprepare(db, sql, fmt, ap);
	va_end(ap);
	return s;
}

/* For /metrics: statements stepped and the time they took. */
static atomic_ullong stat_steps, stat_ns;

void
db_stats(uint64_t *steps, uint64_t *ns)
{
	*steps = stat_steps;
	*ns = stat_ns;
}

int
db_step(struct db_stmt *s)
{
	struct timespec a, b;
	int		r;

	clock_gettime(CLOCK_MONOTONIC, &a);
	r = s->db->ops->step(s->st);
	clock_gettime(CLOCK_MONOTONIC, &b);
	stat_steps++;
	stat_ns += (unsigned long long)((b.tv_sec - a.tv_sec) * 1000000000LL +
	    (b.tv_nsec - a.tv_nsec));
	return r;
}

int
db_ncols(struct db_stmt *s)
{
	return s->db->ops->ncols(s->st);
}

int64_t
db_col_int(struct db_stmt *s, int i)
{
	return s->db->ops->col_int(s->st, i);
}

const char *
db_col_text(struct db_stmt *s, int i)
{
	return s->db->ops->col_text(s->st, i);
}

char *
db_col_dup(struct db_stmt *s, int i)
{
	const char *t = s->db->ops->col_text(s->st, i);

	return xstrdup(t != NULL ? t : "");
}

int
db_col_null(struct db_stmt *s, int i)
{
	return s->db->ops->col_null(s->st, i);
}

void
db_finalize(struct db_stmt *s)
{
	if (s == NULL)
		return;
	if (s->slot >= 0) {
		s->db->ops->reset(s->st);
		s->db->cache[s->slot].busy = 0;
	} else
		s->db->ops->finalize(s->st);
	free(s);
}

int
db_run(struct db *db, int64_t *out, const char *sql, const char *fmt, ...)
{
	struct db_stmt *s;
	va_list		ap;
	int		r, first = 1;

	va_start(ap, fmt);
	s = db_vprepare(db, sql, fmt, ap);
	va_end(ap);
	if (s == NULL)
		return -1;
	while ((r = db_step(s)) == DB_ROW) {
		if (first && out != NULL)
			*out = db_col_int(s, 0);
		first = 0;
	}
	if (r == DB_FAIL) {
		snprintf(db->msg, sizeof(db->msg), "%s",
		    db->ops->errmsg(db->conn));
		db_finalize(s);
		return -1;
	}
	db_finalize(s);
	return 0;
}

int
db_begin(struct db *db)
{
	return db_exec(db, db->ops->begin_sql);
}

int
db_commit(struct db *db)
{
	return db_exec(db, "COMMIT");
}

int
db_rollback(struct db *db)
{
	return db_exec(db, "ROLLBACK");
}

int
db_schema_version(struct db *db)
{
	struct db_stmt *s;
	int		v = 0;

	s = db_prepare(db, "SELECT max(version) FROM schema_migration", NULL);
	if (s == NULL)
		return 0;
	if (db_step(s) == DB_ROW)
		v = (int)db_col_int(s, 0);
	db_finalize(s);
	return v;
}

/*
 * Migrations are embedded as "migrations/<backend>/NNNN-name.sql"; they
 * are applied in order, each in its own transaction with its record.
 */
int
db_migrate(struct db *db, struct err *e)
{
	char	    prefix[64];
	const char *name, *base;
	char	   *sql;
	size_t	    i, plen;
	int	    have, v, applied = 0;
	char	   *end;

	if (db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migration ("
			"version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
			"applied_at BIGINT NOT NULL)") != 0)
		return err_set(e, EXIT_IOERR, "creating schema_migration: %s",
		    db_errmsg(db));
	have = db_schema_version(db);
	snprintf(prefix, sizeof(prefix), "migrations/%s/", db->ops->migrations);
	plen = strlen(prefix);
	for (i = 0; i < embedded_nfiles; i++) {
		name = embedded_files[i].name;
		if (strncmp(name, prefix, plen) != 0)
			continue;
		base = name + plen;
		v = (int)strtol(base, &end, 10);
		if (end == base || *end != '-')
			fatal("embedded migration %s has no number", name);
		if (v <= have)
			continue;
		sql = xstrndup((const char *)embedded_files[i].data,
		    embedded_files[i].len);
		if (db_begin(db) != 0 || db_exec(db, sql) != 0 ||
		    db_run(db, NULL,
			"INSERT INTO schema_migration (version, name, "
			"applied_at) VALUES (?, ?, ?)",
			"iti", (int64_t)v, base, clock_now()) != 0 ||
		    db_commit(db) != 0) {
			err_set(e, EXIT_IOERR, "migration %s: %s", base,
			    db_errmsg(db));
			db_rollback(db);
			free(sql);
			return -1;
		}
		free(sql);
		applied++;
	}
	return applied;
}

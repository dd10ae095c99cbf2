/*
 * Bulk import of feedback messages (R-FB-10).  A file is read as a table
 * (table.h), its header row mapped onto the canonical columns (directly,
 * or through a mapping file for another system's export), and every row
 * becomes a message checked by fb_validate() and by the checks of its
 * own an import needs (times, dictionaries, the registry).  All rows are
 * stored in one transaction, and it is committed only if no row was
 * rejected: a file goes in whole or not at all.
 *
 * The table readers hold at most TABLE_MAX_ROWS rows of a file of at
 * most TABLE_MAX_FILE bytes, which a year of a large body's platform
 * export exceeds.  A large CSV is therefore cut at record ends into
 * parts, each read with the header row put in front of it (so that each
 * part picks the same separator), and the parts' row numbers are moved
 * back to the lines of the whole file.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "otklik.h"
#include "audit.h"
#include "db.h"
#include "feedback.h"
#include "feedback_import.h"
#include "registry.h"
#include "rollup.h"
#include "table.h"

const char *const fb_columns[FBC__COUNT] = {
	"external_id", "received_at", "channel", "kind", "client_type",
	"form", "touchpoint", "topic", "reason", "text", "acknowledged_at",
	"answered_at", "outcome", "transfers", "wait_minutes",
};

/* Columns every file must have (or a mapping must give a value for). */
static const int required[] = {
	FBC_EXTERNAL_ID, FBC_RECEIVED_AT, FBC_CHANNEL, FBC_KIND, FBC_TEXT,
};

/* A part of a large CSV: at most this many bytes or records. */
#define PART_BYTES   ((size_t)8 << 20)
#define PART_RECORDS 50000

#define MAX_TRANSFERS	1000
#define MAX_WAIT	(7 * 24 * 60)	/* minutes: a week is surely a typo */
#define CLOCK_SKEW	60

/* ------------------------------------------------------------------ */
/* The mapping file */

struct fb_value {
	int   col;
	char *from;	/* folded */
	char *to;
};

struct fb_map {
	char		*title[FBC__COUNT];	/* folded and squeezed */
	char		*constant[FBC__COUNT];
	struct fb_value *values;
	size_t		 nvalues;
	char		*source;
};

static int
col_from_name(const char *s, size_t len)
{
	int k;

	for (k = 0; k < FBC__COUNT; k++)
		if (strlen(fb_columns[k]) == len &&
		    strncmp(fb_columns[k], s, len) == 0)
			return k;
	return -1;
}

/* Folded, squeezed copy: how titles and values are compared. */
static char *
fold_key(const char *s)
{
	char *f = utf8_fold(s), *g;

	g = str_squeeze(f != NULL ? f : s);
	free(f);
	return g;
}

void
fb_map_free(struct fb_map *m)
{
	size_t i;
	int    k;

	if (m == NULL)
		return;
	for (k = 0; k < FBC__COUNT; k++) {
		free(m->title[k]);
		free(m->constant[k]);
	}
	for (i = 0; i < m->nvalues; i++) {
		free(m->values[i].from);
		free(m->values[i].to);
	}
	free(m->values);
	free(m->source);
	free(m);
}

const char *
fb_map_source(const struct fb_map *m)
{
	return m != NULL ? m->source : NULL;
}

static char *
trimmed(const char *s, size_t len)
{
	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	return xstrndup(s, len);
}

/* One statement of a mapping file; 0, or -1 with the error. */
static int
map_line(struct fb_map *m, const char *name, long ln, const char *s,
    struct err *e)
{
	const char *p = s, *rest, *eq;
	char	   *v, *w;
	int	    k, issource;

	while (*p == '_' || (*p >= 'a' && *p <= 'z'))
		p++;
	issource = (size_t)(p - s) == 6 && strncmp(s, "source", 6) == 0;
	k = col_from_name(s, (size_t)(p - s));
	if (k < 0 && !issource)
		return err_set(e, EXIT_DATAERR, "%s, line %ld: «%.*s» is not a "
		    "column; one of external_id, received_at, channel, kind, "
		    "client_type, form, touchpoint, topic, reason, text, "
		    "acknowledged_at, answered_at, outcome, transfers, "
		    "wait_minutes (or source)", name, ln, (int)(p - s), s);
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, ":=", 2) == 0) {
		v = trimmed(p + 2, strlen(p + 2));
		if (issource) {
			free(m->source);
			m->source = v;
		} else {
			free(m->constant[k]);
			m->constant[k] = v;
		}
		return 0;
	}
	if (issource)
		return err_set(e, EXIT_DATAERR, "%s, line %ld: the source is "
		    "given as \"source := pos\"", name, ln);
	if (*p == '=') {
		v = trimmed(p + 1, strlen(p + 1));
		if (*v == '\0') {
			free(v);
			return err_set(e, EXIT_DATAERR, "%s, line %ld: the "
			    "title of the column is missing after '='", name,
			    ln);
		}
		free(m->title[k]);
		m->title[k] = fold_key(v);
		free(v);
		return 0;
	}
	if (*p != ':')
		return err_set(e, EXIT_DATAERR, "%s, line %ld: expected "
		    "\"column = Title\", \"column := value\" or \"column: "
		    "their value = value\"", name, ln);
	rest = p + 1;
	/* The value's own text may hold '='; the code after it does not. */
	if ((eq = strrchr(rest, '=')) == NULL)
		return err_set(e, EXIT_DATAERR, "%s, line %ld: a value is "
		    "mapped as \"%s: their value = value\"", name, ln,
		    fb_columns[k]);
	if (m->nvalues >= FB_MAP_MAX_VALUES)
		return err_set(e, EXIT_DATAERR, "%s, line %ld: more than %d "
		    "value pairs", name, ln, FB_MAP_MAX_VALUES);
	v = trimmed(rest, (size_t)(eq - rest));
	w = trimmed(eq + 1, strlen(eq + 1));
	m->values = xreallocarray(m->values, m->nvalues + 1,
	    sizeof(*m->values));
	m->values[m->nvalues].col = k;
	m->values[m->nvalues].from = fold_key(v);
	m->values[m->nvalues].to = w;
	m->nvalues++;
	free(v);
	return 0;
}

struct fb_map *
fb_map_parse(const char *text, size_t len, const char *name, struct err *e)
{
	struct fb_map *m;
	const char    *p = text, *end = text + len, *nl;
	char	      *line, *s;
	long	       ln = 0, bad;

	if (len > FB_MAP_MAX_FILE) {
		err_set(e, EXIT_DATAERR, "%s: %zu bytes, more than the limit "
		    "of %d for a mapping", name, len, FB_MAP_MAX_FILE);
		return NULL;
	}
	if (memchr(text, '\0', len) != NULL ||
	    (bad = utf8_invalid_at(text, len)) >= 0) {
		err_set(e, EXIT_DATAERR, "%s: not UTF-8 text", name);
		return NULL;
	}
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	m = xcalloc(1, sizeof(*m));
	while (p < end) {
		ln++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		line = trimmed(p, (size_t)(nl - p));
		p = nl < end ? nl + 1 : end;
		s = line;
		if (*s == '\0' || *s == '#') {
			free(line);
			continue;
		}
		if (map_line(m, name, ln, s, e) != 0) {
			free(line);
			fb_map_free(m);
			return NULL;
		}
		free(line);
	}
	return m;
}

/* ------------------------------------------------------------------ */
/* The import */

struct topic {
	char   *key;	/* kind '\1' folded title */
	int64_t id;
};

struct imp {
	struct db		*db;
	const struct fb_conf	*conf;
	const char		*actor;
	const struct fb_import_opts *o;
	const struct fb_map	*map;
	const char		*source;
	struct fb_import_report *rep;
	struct err		*e;
	int64_t			 now;
	int			 col[FBC__COUNT];	/* -1: none */
	char			*title[FBC__COUNT];	/* the file's own */
	struct topic		*topics;
	size_t			 ntopics;
	int			 failed;	/* the database failed: stop */
	long			 problems;	/* found, listed or not */
	long			 part_records;	/* records of a CSV part */
	long			 created_topics;
};

static void
problem(struct imp *x, long row, int k, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
problem(struct imp *x, long row, int k, const char *fmt, ...)
{
	struct fb_import_report *rep = x->rep;
	va_list			 ap;
	char			*m;

	x->problems++;
	if (rep->n >= FB_IMPORT_MAX_PROBLEMS)
		return;
	va_start(ap, fmt);
	if (vasprintf(&m, fmt, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	rep->v = xreallocarray(rep->v, rep->n + 1, sizeof(*rep->v));
	rep->v[rep->n].row = row;
	rep->v[rep->n].column = k < 0 ? NULL : xstrdup(x->title[k] != NULL ?
	    x->title[k] : fb_columns[k]);
	rep->v[rep->n].msg = m;
	rep->n++;
}

void
fb_import_report_free(struct fb_import_report *rep)
{
	size_t i;

	if (rep == NULL)
		return;
	for (i = 0; i < rep->n; i++) {
		free(rep->v[i].column);
		free(rep->v[i].msg);
	}
	free(rep->v);
	memset(rep, 0, sizeof(*rep));
}

static int
topic_cmp(const void *a, const void *b)
{
	return strcmp(((const struct topic *)a)->key,
	    ((const struct topic *)b)->key);
}

static char *
topic_key(const char *kind, const char *title)
{
	char *f = fold_key(title), *k;

	k = xasprintf("%s\1%s", kind, f);
	free(f);
	return k;
}

static int
topics_load(struct imp *x)
{
	struct db_stmt *st;
	int		r;

	st = db_prepare(x->db, "SELECT id, kind, title FROM fb_topic WHERE "
	    "org_id = ?", "i", x->conf->org_id);
	if (st == NULL)
		return err_set(x->e, EXIT_IOERR, "reading topics: %s",
		    db_errmsg(x->db));
	while ((r = db_step(st)) == DB_ROW) {
		x->topics = xreallocarray(x->topics, x->ntopics + 1,
		    sizeof(*x->topics));
		x->topics[x->ntopics].id = db_col_int(st, 0);
		x->topics[x->ntopics].key = topic_key(db_col_text(st, 1),
		    db_col_text(st, 2));
		x->ntopics++;
	}
	db_finalize(st);
	if (r != DB_DONE)
		return err_set(x->e, EXIT_IOERR, "reading topics: %s",
		    db_errmsg(x->db));
	if (x->ntopics > 1)
		qsort(x->topics, x->ntopics, sizeof(*x->topics), topic_cmp);
	return 0;
}

/*
 * The id of a topic or reason by title; 0 and a problem when unknown,
 * unless --create-topics, when it is added (audited) inside the import's
 * transaction, so that a rejected file leaves no topics behind either.
 */
static int64_t
topic_id(struct imp *x, long row, int k, const char *kind, const char *title)
{
	struct topic  want, *t;
	struct err    e;
	char	     *tt;
	int64_t	      id = 0;

	want.key = topic_key(kind, title);
	t = x->ntopics == 0 ? NULL : bsearch(&want, x->topics, x->ntopics,
	    sizeof(*x->topics), topic_cmp);
	if (t != NULL) {
		free(want.key);
		return t->id;
	}
	if (!x->o->create_topics) {
		problem(x, row, k, "no %s «%s» in the dictionary; add it "
		    "first, or import with --create-topics", kind, title);
		free(want.key);
		return 0;
	}
	if (strlen(title) > FB_SUBJECT_MAX || utf8_invalid_at(title,
	    strlen(title)) >= 0) {
		problem(x, row, k, "a %s title is at most %d bytes of UTF-8",
		    kind, FB_SUBJECT_MAX);
		free(want.key);
		return 0;
	}
	tt = str_squeeze(title);
	if (db_run(x->db, &id, "INSERT INTO fb_topic (org_id, kind, title) "
	    "VALUES (?, ?, ?) RETURNING id", "itt", x->conf->org_id, kind,
	    tt) != 0) {
		err_set(x->e, EXIT_IOERR, "adding the %s «%s»: %s", kind, tt,
		    db_errmsg(x->db));
		x->failed = 1;
		goto out;
	}
	{
		json_t *j = json_pack("{s:s, s:s, s:I}", "kind", kind,
		    "title", tt, "id", (json_int_t)id);
		char   *js = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
		char   *obj = xasprintf("fb_topic:%lld", (long long)id);

		if (audit_append(x->db, x->actor, x->conf->org_id,
		    "feedback.topic.add", obj, NULL, js, &e) != 0) {
			*x->e = e;
			x->failed = 1;
		}
		free(obj);
		free(js);
		json_decref(j);
	}
	x->topics = xreallocarray(x->topics, x->ntopics + 1,
	    sizeof(*x->topics));
	x->topics[x->ntopics].key = want.key;
	x->topics[x->ntopics].id = id;
	x->ntopics++;
	want.key = NULL;
	qsort(x->topics, x->ntopics, sizeof(*x->topics), topic_cmp);
	x->created_topics++;
out:
	free(want.key);
	free(tt);
	return id;
}

/* The columns "feedback export" adds, which an import passes over: the
 * state follows from the times, and contacts are not imported. */
static int
export_only(const char *title)
{
	static const char *const cols[] = {"code", "state", "name", "email",
	    "phone", "address"};
	size_t i;

	for (i = 0; i < nitems(cols); i++)
		if (strcmp(title, cols[i]) == 0)
			return 1;
	return 0;
}

/*
 * Maps the header row: a title is a canonical name, or the title a
 * mapping gives.  Without a mapping an unknown title is an error (a typo
 * would lose a column's data); with one, the export's other columns are
 * ignored.
 */
static int
map_header(struct imp *x, const struct table_row *h)
{
	char	   *f;
	size_t	    c;
	int	    k, found, i;
	const char *how;

	for (k = 0; k < FBC__COUNT; k++)
		x->col[k] = -1;
	for (c = 0; c < h->ncells; c++) {
		f = fold_key(h->cells[c]);
		found = -1;
		for (k = 0; k < FBC__COUNT && found < 0; k++)
			if (x->map != NULL && x->map->title[k] != NULL &&
			    strcmp(x->map->title[k], f) == 0)
				found = k;
		for (k = 0; k < FBC__COUNT && found < 0; k++)
			if ((x->map == NULL || x->map->title[k] == NULL) &&
			    strcmp(fb_columns[k], f) == 0)
				found = k;
		free(f);
		if (found < 0) {
			if (x->map == NULL && !str_empty(h->cells[c]) &&
			    !export_only(h->cells[c])) {
				char cn[8];

				table_colname(c, cn);
				return err_set(x->e, EXIT_DATAERR, "row %ld, "
				    "column %s: «%s» is not a column of the "
				    "canonical format (see docs/import-"
				    "format.md), or use --map", h->line, cn,
				    h->cells[c]);
			}
			continue;
		}
		if (x->col[found] >= 0)
			return err_set(x->e, EXIT_DATAERR, "row %ld: two "
			    "columns give %s («%s»)", h->line,
			    fb_columns[found], h->cells[c]);
		x->col[found] = (int)c;
		x->title[found] = xstrdup(h->cells[c]);
	}
	for (i = 0; i < (int)nitems(required); i++) {
		k = required[i];
		if (x->col[k] >= 0 || (x->map != NULL &&
		    x->map->constant[k] != NULL))
			continue;
		how = x->map != NULL && x->map->title[k] != NULL ?
		    " (the mapping names its title; is it spelled as in the "
		    "file?)" : "";
		return err_set(x->e, EXIT_DATAERR, "row %ld: the column %s "
		    "is missing%s", h->line, fb_columns[k], how);
	}
	return 0;
}

/* The value of column k in a row: a constant, or the cell, translated
 * by the mapping's values; a fresh string with white space squeezed
 * (the text keeps its lines). */
static char *
value(struct imp *x, const struct table_row *row, int k)
{
	const char *v = "";
	char	   *f;
	size_t	    i;

	if (x->map != NULL && x->map->constant[k] != NULL)
		v = x->map->constant[k];
	else if (x->col[k] >= 0 && (size_t)x->col[k] < row->ncells)
		v = row->cells[x->col[k]];
	if (x->map != NULL && x->map->nvalues > 0 && *v != '\0') {
		f = fold_key(v);
		for (i = 0; i < x->map->nvalues; i++)
			if (x->map->values[i].col == k &&
			    strcmp(x->map->values[i].from, f) == 0) {
				v = x->map->values[i].to;
				break;
			}
		free(f);
	}
	if (k == FBC_TEXT)
		return str_squeeze_lines(v);
	f = str_squeeze(v);
	if (k == FBC_CHANNEL || k == FBC_KIND || k == FBC_CLIENT_TYPE ||
	    k == FBC_FORM || k == FBC_OUTCOME)
		for (i = 0; f[i] != '\0'; i++)
			f[i] = (char)tolower((unsigned char)f[i]);
	return f;
}

/*
 * A time: ISO 8601 with "Z" or an offset as written; a local time
 * without one ("2024-10-01 09:30", "01.10.2024 09:30", as Russian
 * exports write it) in the organization's zone.  0, or -1.
 */
static int
parse_time(const struct imp *x, const char *s, int64_t *t)
{
	static const int digit[] = {0, 1, 3, 4, 6, 7, 8, 9};
	char		 iso[48];
	const char	*rest;
	size_t		 i;
	int64_t		 u;

	if (strlen(s) >= 10 && s[2] == '.' && s[5] == '.') {
		for (i = 0; i < nitems(digit); i++)
			if (!isdigit((unsigned char)s[digit[i]]))
				return -1;
		rest = s + 10;
		while (*rest == ' ')
			rest++;
		if (strlen(rest) > 25)
			return -1;
		/* Rebuilt as ISO so that one parser checks the ranges. */
		snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2s%s%s", s + 6, s + 3,
		    s, *rest != '\0' ? "T" : "", rest);
		s = iso;
	}
	if (time_parse(s, &u) != 0)
		return -1;
	if (strlen(s) <= 10 || strpbrk(s + 10, "Z+-") == NULL) {
		/* Local: two steps find the offset in force then. */
		u -= tz_offset(u - tz_offset(u, x->conf->tz), x->conf->tz);
	}
	*t = u;
	return 0;
}

/* A whole number in [0, max]; "" leaves *out.  0, or -1. */
static int
parse_count(const char *s, long max, int *out)
{
	char *end;
	long  v;

	if (*s == '\0')
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || errno != 0 || v < 0 || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

/* Copies a code into a fixed field; a value too long is no code. */
static int
code_into(char *dst, size_t size, const char *v)
{
	if (strlen(v) >= size)
		return -1;
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

/* fb_validate's field names as the import's columns. */
static int
field_col(const char *field)
{
	int k;

	if (field == NULL)
		return -1;
	if (strcmp(field, "client") == 0)
		return FBC_CLIENT_TYPE;
	if (strcmp(field, "touchpoint_id") == 0)
		return FBC_TOUCHPOINT;
	if (strcmp(field, "topic_id") == 0)
		return FBC_TOPIC;
	if (strcmp(field, "reason_id") == 0)
		return FBC_REASON;
	for (k = 0; k < FBC__COUNT; k++)
		if (strcmp(field, fb_columns[k]) == 0)
			return k;
	return -1;
}

static int
touchpoint_known(struct imp *x, int64_t id)
{
	struct db_stmt *st;
	int		r;

	st = db_prepare(x->db, "SELECT 1 FROM touchpoint WHERE id = ? AND "
	    "org_id = ?", "ii", id, x->conf->org_id);
	if (st == NULL) {
		x->failed = 1;
		err_set(x->e, EXIT_IOERR, "%s", db_errmsg(x->db));
		return 0;
	}
	r = db_step(st);
	db_finalize(st);
	return r == DB_ROW;
}

/*
 * The state an imported message has reached, from its times (the source
 * system handled it): answered, and closed when it has an outcome;
 * acknowledged; else registered as any new message.  fb_insert() stores
 * a message as registered now, so the rest is written here: the message
 * was registered when the source system received it, and each transition
 * gets its event at the time the export gives (detail "import").  The
 * audit log keeps the truth of this system: the registration now, and
 * the import's entry with its counts.
 */
/*
 * The message's contribution to the rollups (rollup.h) as its row
 * stands, taken out (sign -1) before apply_state changes the row and put
 * back (+1) after.
 */
static int
rollup_row(struct imp *x, int64_t id, int sign)
{
	struct fb_msg cur;
	int	      r;

	if (fb_get(x->db, x->conf->org_id, id, &cur, x->e) != 0) {
		x->failed = 1;
		return -1;
	}
	r = rollup_fb_apply(x->db, x->conf, &cur, sign, x->e);
	fb_msg_clear(&cur);
	if (r != 0)
		x->failed = 1;
	return r;
}

static int
apply_state(struct imp *x, const struct fb_msg *m, const char *outcome)
{
	struct step {
		int64_t	    at;
		const char *action, *from, *to;
	} steps[3];
	const char *state = "registered", *prev = "registered";
	int	    n = 0, i;

	if (m->acknowledged_at != 0) {
		steps[n++] = (struct step){m->acknowledged_at, "acknowledged",
		    prev, "acknowledged"};
		state = prev = "acknowledged";
	}
	if (m->answered_at != 0) {
		steps[n++] = (struct step){m->answered_at, "answered", prev,
		    "answered"};
		state = prev = "answered";
		if (*outcome != '\0') {
			steps[n++] = (struct step){m->answered_at, "closed",
			    prev, "closed"};
			state = "closed";
		}
	}
	if (rollup_row(x, m->id, -1) != 0)
		return -1;
	if (db_run(x->db, NULL, "UPDATE fb_message SET state = ?, "
	    "registered_at = ?, acknowledged_at = ?, answered_at = ?, "
	    "closed_at = ?, outcome = ? WHERE id = ?", "tiIIIti", state,
	    m->received_at, m->acknowledged_at, m->answered_at,
	    *outcome != '\0' ? m->answered_at : 0,
	    *outcome != '\0' ? outcome : NULL, m->id) != 0 ||
	    db_run(x->db, NULL, "UPDATE fb_event SET at = ?, detail = 'import' "
	    "WHERE message_id = ? AND action = 'registered'", "ii",
	    m->received_at, m->id) != 0)
		goto fail;
	for (i = 0; i < n; i++)
		if (db_run(x->db, NULL, "INSERT INTO fb_event (message_id, "
		    "org_id, at, actor, action, from_state, to_state, detail) "
		    "VALUES (?, ?, ?, ?, ?, ?, ?, 'import')", "iiitttt",
		    m->id, x->conf->org_id, steps[i].at, x->actor,
		    steps[i].action, steps[i].from, steps[i].to) != 0)
			goto fail;
	return rollup_row(x, m->id, 1);
fail:
	x->failed = 1;
	return err_set(x->e, EXIT_IOERR, "message %lld: %s",
	    (long long)m->id, db_errmsg(x->db));
}

/* Checks one row into m; 0, or -1 after problems were recorded. */
static int
row_to_msg(struct imp *x, const struct table_row *row, struct fb_msg *m)
{
	char	  *v[FBC__COUNT];
	long	   line = row->line, before = x->problems;
	int64_t	   tp;
	char	  *end;
	int	   k, bad = 0;

	for (k = 0; k < FBC__COUNT; k++)
		v[k] = value(x, row, k);

	if (*v[FBC_EXTERNAL_ID] == '\0')
		problem(x, line, FBC_EXTERNAL_ID, "empty: every row needs the "
		    "message's id in the source system (it makes a second "
		    "import of the same file add nothing)");
	else if (strlen(v[FBC_EXTERNAL_ID]) > FB_EXTERNAL_MAX)
		problem(x, line, FBC_EXTERNAL_ID, "longer than %d bytes",
		    FB_EXTERNAL_MAX);
	else
		m->external_id = xstrdup(v[FBC_EXTERNAL_ID]);
	code_into(m->source, sizeof(m->source), x->source);
	if (*v[FBC_RECEIVED_AT] == '\0')
		problem(x, line, FBC_RECEIVED_AT, "empty: when the message "
		    "was received");
	else if (parse_time(x, v[FBC_RECEIVED_AT], &m->received_at) != 0)
		problem(x, line, FBC_RECEIVED_AT, "«%s» is not a time "
		    "(2024-10-01T09:30:00+03:00, or 01.10.2024 09:30 in the "
		    "organization's zone)", v[FBC_RECEIVED_AT]);
	/* The codes are checked here too, so that every wrong one of a row
	 * is listed (fb_validate stops at the first). */
	if (channel_from_code(v[FBC_CHANNEL]) < 0 || code_into(m->channel,
	    sizeof(m->channel), v[FBC_CHANNEL]) != 0)
		problem(x, line, FBC_CHANNEL, "«%s» is not a channel code; "
		    "one of site edms email pos phone callcentre reception "
		    "commission social messenger chatbot voice app api post "
		    "stand mfc workplace other", v[FBC_CHANNEL]);
	if (fb_code_find(fb_kinds, v[FBC_KIND]) == NULL || code_into(m->kind,
	    sizeof(m->kind), v[FBC_KIND]) != 0)
		problem(x, line, FBC_KIND, "«%s» is not a kind; one of %s",
		    v[FBC_KIND], fb_code_list(fb_kinds));
	if ((*v[FBC_CLIENT_TYPE] != '\0' &&
	    strcmp(v[FBC_CLIENT_TYPE], "external") != 0 &&
	    strcmp(v[FBC_CLIENT_TYPE], "internal") != 0) ||
	    code_into(m->client, sizeof(m->client), v[FBC_CLIENT_TYPE]) != 0)
		problem(x, line, FBC_CLIENT_TYPE, "«%s»: external, internal or "
		    "empty (external)", v[FBC_CLIENT_TYPE]);
	if ((*v[FBC_FORM] != '\0' && fb_code_find(fb_forms, v[FBC_FORM]) ==
	    NULL) || code_into(m->form, sizeof(m->form), v[FBC_FORM]) != 0)
		problem(x, line, FBC_FORM, "«%s» is not a form; one of %s",
		    v[FBC_FORM], fb_code_list(fb_forms));
	if (str_empty(v[FBC_TEXT]))
		problem(x, line, FBC_TEXT, "empty: the message itself");
	if (*v[FBC_TOUCHPOINT] != '\0') {
		errno = 0;
		tp = strtoll(v[FBC_TOUCHPOINT], &end, 10);
		if (*end != '\0' || errno != 0 || tp <= 0)
			problem(x, line, FBC_TOUCHPOINT, "«%s» is not the "
			    "number of a touchpoint", v[FBC_TOUCHPOINT]);
		else if (!touchpoint_known(x, tp)) {
			if (!x->failed)
				problem(x, line, FBC_TOUCHPOINT, "no "
				    "touchpoint %lld in the registry of the "
				    "organization", (long long)tp);
		} else
			m->touchpoint_id = tp;
	}
	if (*v[FBC_TOPIC] != '\0')
		m->topic_id = topic_id(x, line, FBC_TOPIC, "topic",
		    v[FBC_TOPIC]);
	if (*v[FBC_REASON] != '\0')
		m->reason_id = topic_id(x, line, FBC_REASON, "reason",
		    v[FBC_REASON]);
	m->text = xstrdup(v[FBC_TEXT]);
	if (*v[FBC_ACKNOWLEDGED_AT] != '\0' && parse_time(x,
	    v[FBC_ACKNOWLEDGED_AT], &m->acknowledged_at) != 0)
		problem(x, line, FBC_ACKNOWLEDGED_AT, "«%s» is not a time",
		    v[FBC_ACKNOWLEDGED_AT]);
	if (*v[FBC_ANSWERED_AT] != '\0' && parse_time(x, v[FBC_ANSWERED_AT],
	    &m->answered_at) != 0)
		problem(x, line, FBC_ANSWERED_AT, "«%s» is not a time",
		    v[FBC_ANSWERED_AT]);
	if (*v[FBC_OUTCOME] != '\0') {
		if (fb_code_find(fb_outcomes, v[FBC_OUTCOME]) == NULL)
			problem(x, line, FBC_OUTCOME, "«%s»: satisfied, "
			    "unsatisfied or empty", v[FBC_OUTCOME]);
		else if (*v[FBC_ANSWERED_AT] == '\0')
			problem(x, line, FBC_OUTCOME, "an outcome needs the "
			    "time of the answer (answered_at)");
		else
			code_into(m->outcome, sizeof(m->outcome),
			    v[FBC_OUTCOME]);
	}
	if (parse_count(v[FBC_TRANSFERS], MAX_TRANSFERS, &m->transfers) != 0)
		problem(x, line, FBC_TRANSFERS, "«%s» is not a count of "
		    "transfers from 0 to %d", v[FBC_TRANSFERS], MAX_TRANSFERS);
	if (parse_count(v[FBC_WAIT_MINUTES], MAX_WAIT, &m->wait_minutes) != 0)
		problem(x, line, FBC_WAIT_MINUTES, "«%s» is not a number of "
		    "minutes from 0 to %d", v[FBC_WAIT_MINUTES], MAX_WAIT);
	for (k = 0; k < FBC__COUNT; k++)
		free(v[k]);
	bad = x->problems != before || x->failed;
	return bad ? -1 : 0;
}

/* The checks that need the message as fb_validate left it. */
static int
row_check(struct imp *x, long line, struct fb_msg *m)
{
	struct fb_contact none;
	struct err	  e;
	const char	 *field = NULL;
	int64_t		  limit = x->now + CLOCK_SKEW;

	memset(&none, 0, sizeof(none));
	err_clear(&e);
	if (fb_validate(m, &none, &field, &e) != 0) {
		problem(x, line, field_col(field), "%s", e.msg);
		return -1;
	}
	if (m->acknowledged_at != 0 && (m->acknowledged_at < m->received_at ||
	    m->acknowledged_at > limit)) {
		problem(x, line, FBC_ACKNOWLEDGED_AT, "%s",
		    m->acknowledged_at > limit ? "in the future" :
		    "before the message was received");
		return -1;
	}
	if (m->answered_at != 0 && (m->answered_at < m->received_at ||
	    m->answered_at > limit || (m->acknowledged_at != 0 &&
	    m->answered_at < m->acknowledged_at))) {
		problem(x, line, FBC_ANSWERED_AT, "%s",
		    m->answered_at > limit ? "in the future" :
		    m->answered_at < m->received_at ? "before the message was "
		    "received" : "before the acknowledgement");
		return -1;
	}
	return 0;
}

static void
import_row(struct imp *x, const struct table_row *row)
{
	struct fb_msg	  m;
	struct fb_contact none;
	struct err	  e;
	char		  key[65], outcome[sizeof(m.outcome)];
	int		  r;

	x->rep->read++;
	if (x->rep->read > FB_IMPORT_MAX_ROWS) {
		err_set(x->e, EXIT_DATAERR, "row %ld: more than %d rows; split "
		    "the file", row->line, FB_IMPORT_MAX_ROWS);
		x->failed = 1;
		return;
	}
	fb_msg_init(&m);
	if (row_to_msg(x, row, &m) != 0 || row_check(x, row->line, &m) != 0) {
		x->rep->rejected++;
		fb_msg_clear(&m);
		return;
	}
	/*
	 * Valid rows are stored even after a rejected one, inside the
	 * transaction that is then rolled back: the report can so say
	 * how many rows are new and how many already there.
	 */
	memset(&none, 0, sizeof(none));
	err_clear(&e);
	/* A message is registered without an outcome; it comes after. */
	memcpy(outcome, m.outcome, sizeof(outcome));
	m.outcome[0] = '\0';
	r = fb_insert(x->db, x->conf, x->actor, &m, &none, key, &e);
	if (r == 1)
		x->rep->already++;
	else if (r == 0 && apply_state(x, &m, outcome) == 0)
		x->rep->imported++;
	else if (r == -1 && e.code == EXIT_DATAERR) {
		problem(x, row->line, -1, "%s", e.msg);
		x->rep->rejected++;
	} else if (r == -1) {
		*x->e = e;
		x->failed = 1;
	}
	fb_msg_clear(&m);
}

/* Rows after the header of a table whose row lines move by shift. */
static void
import_rows(struct imp *x, struct table *t, size_t from, long shift)
{
	size_t r;

	for (r = from; r < t->nrows && !x->failed; r++) {
		t->rows[r].line += shift;
		import_row(x, &t->rows[r]);
	}
}

/* ------------------------------------------------------------------ */
/* Cutting a large CSV into parts at record ends */

struct scan {
	const char *d;
	size_t	    len;
	size_t	    pos;
	long	    line;	/* physical line at pos, 1-based */
	char	    sep;
};

/* Moves past one record; returns 0 at the end of the data. */
static int
scan_record(struct scan *s)
{
	int    inq = 0, start = 1;
	char   c;

	if (s->pos >= s->len)
		return 0;
	while (s->pos < s->len) {
		c = s->d[s->pos++];
		if (c == '\r' || c == '\n') {
			if (c == '\r' && s->pos < s->len &&
			    s->d[s->pos] == '\n')
				s->pos++;
			s->line++;
			if (!inq)
				return 1;
			continue;
		}
		if (inq) {
			if (c == '"') {
				if (s->pos < s->len && s->d[s->pos] == '"')
					s->pos++;
				else
					inq = 0;
			}
		} else if (c == '"' && start) {
			inq = 1;
			start = 0;
		} else if (c == s->sep)
			start = 1;
		else if (c != ' ' && c != '\t')
			start = 0;
	}
	return 1;
}

/* The separator as csv.c chooses it (a "sep=" line, or the header). */
static char
scan_sep(const char *d, size_t len)
{
	size_t i, commas = 0, semis = 0;
	int    q = 0, seen = 0;

	if (len >= 5 && memcmp(d, "sep=", 4) == 0 && (d[4] == ',' ||
	    d[4] == ';'))
		return d[4];
	for (i = 0; i < len; i++) {
		if (d[i] == '"') {
			q = !q;
			seen = 1;
		} else if (q)
			continue;
		else if (d[i] == '\n' || d[i] == '\r') {
			if (seen)
				break;
		} else {
			if (d[i] == ',')
				commas++;
			else if (d[i] == ';')
				semis++;
			if (d[i] != ' ' && d[i] != '\t')
				seen = 1;
		}
	}
	return semis > 0 && semis >= commas ? ';' : ',';
}

static int
blank_between(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			return 0;
	return 1;
}

/*
 * The reader's messages count lines from the start of the part it was
 * given; this puts the file's line numbers in their place ("line 3" of
 * a part that begins at line 70001 after a 1-line header is line 70003).
 */
static void
fix_lines(struct err *e, long shift)
{
	struct buf  b;
	const char *q = e->msg, *p;
	char	   *end;
	long	    n;

	buf_init(&b, sizeof(e->msg));
	while ((p = strstr(q, "line ")) != NULL) {
		n = strtol(p + 5, &end, 10);
		if (end == p + 5) {
			buf_add(&b, q, (size_t)(p + 5 - q));
			q = p + 5;
			continue;
		}
		buf_add(&b, q, (size_t)(p - q));
		buf_printf(&b, "line %ld", n + shift);
		q = end;
	}
	buf_puts(&b, q);
	snprintf(e->msg, sizeof(e->msg), "%s", b.data != NULL ? b.data : "");
	buf_free(&b);
}

/*
 * The records of a part: PART_RECORDS, or fewer when OTKLIK_IMPORT_PART
 * says so, so that a test can cross parts with a small file.
 */
static long
part_records(void)
{
	const char *s = getenv("OTKLIK_IMPORT_PART");
	char	   *end;
	long	    n;

	if (s == NULL || *s == '\0')
		return PART_RECORDS;
	n = strtol(s, &end, 10);
	if (*end != '\0' || n < 2 || n > PART_RECORDS)
		return PART_RECORDS;
	return n;
}

static int
import_csv(struct imp *x, const char *data, size_t len)
{
	struct scan s = {data, len, 0, 1, 0}, back;
	struct table t;
	struct buf   part;
	size_t	     hstart, hend, pstart;
	long	     hlines, pline, recs;
	int	     r = 0, first = 1, too_long = 0;

	if (len > FB_IMPORT_MAX_FILE)
		return err_set(x->e, EXIT_DATAERR, "the file is %zu bytes, "
		    "more than the limit of %zu MiB", len,
		    FB_IMPORT_MAX_FILE >> 20);
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		s.pos = 3;
	s.sep = scan_sep(data + s.pos, len - s.pos);
	if (len - s.pos >= 5 && memcmp(data + s.pos, "sep=", 4) == 0)
		scan_record(&s);
	/* The header: the first record with text. */
	do {
		hstart = s.pos;
		if (!scan_record(&s))
			break;
	} while (blank_between(data + hstart, data + s.pos));
	hend = s.pos;
	hlines = s.line - 1;	/* lines of the prefix */

	if (hend > PART_BYTES)
		return err_set(x->e, EXIT_DATAERR, "the header row is longer "
		    "than %zu MiB", PART_BYTES >> 20);
	buf_init(&part, PART_BYTES + hend + 16);
	while (!x->failed && (first || s.pos < len)) {
		pstart = s.pos;
		pline = s.line;
		/* Records up to the limits; the one that would pass the
		 * byte limit starts the next part. */
		for (recs = 0; recs < x->part_records; recs++) {
			back = s;
			if (!scan_record(&s))
				break;
			if (s.pos - pstart > PART_BYTES) {
				if (recs > 0)
					s = back;
				else
					too_long = 1;
				break;
			}
		}
		if (too_long) {
			r = err_set(x->e, EXIT_DATAERR, "line %ld: a record "
			    "longer than %zu MiB", pline, PART_BYTES >> 20);
			break;
		}
		buf_reset(&part);
		if (buf_add(&part, data, first ? s.pos : hend) != 0 ||
		    (!first && buf_add(&part, data + pstart, s.pos - pstart) !=
		    0)) {
			r = err_set(x->e, EXIT_DATAERR, "the header row is "
			    "longer than %zu MiB", PART_BYTES >> 20);
			break;
		}
		if (table_read_csv(part.data, part.len, &t, x->e) != 0) {
			if (!first)
				fix_lines(x->e, pline - hlines - 1);
			if (x->e->code == 0)
				x->e->code = EXIT_DATAERR;
			r = -1;
			break;
		}
		if (first) {
			if (t.nrows == 0) {
				table_free(&t);
				r = err_set(x->e, EXIT_DATAERR, "the file has no "
				    "header row");
				break;
			}
			if (map_header(x, &t.rows[0]) != 0) {
				table_free(&t);
				r = -1;
				break;
			}
			import_rows(x, &t, 1, 0);
		} else if (t.nrows > 0)
			import_rows(x, &t, 1, pline - hlines - 1);
		table_free(&t);
		first = 0;
	}
	buf_free(&part);
	if (x->failed)
		r = -1;
	return r;
}

static int
import_xlsx(struct imp *x, const char *data, size_t len)
{
	struct table t;

	if (table_read_xlsx(data, len, &t, x->e) != 0) {
		if (x->e->code == 0)
			x->e->code = EXIT_DATAERR;
		return -1;
	}
	if (t.nrows == 0) {
		table_free(&t);
		return err_set(x->e, EXIT_DATAERR, "the sheet has no header "
		    "row");
	}
	if (map_header(x, &t.rows[0]) != 0) {
		table_free(&t);
		return -1;
	}
	import_rows(x, &t, 1, 0);
	table_free(&t);
	return x->failed ? -1 : 0;
}

static int
audit_import(struct imp *x)
{
	json_t *j;
	char   *js, *obj;
	int	r;

	j = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}", "file", x->o->name,
	    "source", x->source, "read", (json_int_t)x->rep->read,
	    "imported", (json_int_t)x->rep->imported, "already",
	    (json_int_t)x->rep->already, "topics_added",
	    (json_int_t)x->created_topics);
	js = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	obj = xasprintf("import:%s", x->o->name);
	r = audit_append(x->db, x->actor, x->conf->org_id, "feedback.import",
	    obj, NULL, js, x->e);
	free(obj);
	free(js);
	json_decref(j);
	return r;
}

int
fb_import(struct db *db, const struct fb_conf *conf, const char *actor,
    const char *data, size_t len, const struct fb_import_opts *o,
    struct fb_import_report *rep, struct err *e)
{
	struct imp x;
	size_t	   i;
	int	   r;

	memset(rep, 0, sizeof(*rep));
	memset(&x, 0, sizeof(x));
	x.db = db;
	x.conf = conf;
	x.actor = actor;
	x.o = o;
	x.map = o->map;
	x.rep = rep;
	x.e = e;
	x.now = clock_now();
	x.part_records = part_records();
	x.source = o->source != NULL ? o->source : fb_map_source(o->map) !=
	    NULL ? fb_map_source(o->map) : "direct";
	if (fb_code_find(fb_sources, x.source) == NULL)
		return err_set(e, EXIT_USAGE, "source «%s»: one of %s",
		    x.source, fb_code_list(fb_sources));
	if (db_begin(db) != 0)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if (topics_load(&x) != 0) {
		r = -1;
		goto out;
	}
	if (table_sniff(data, len) == TABLE_XLSX)
		r = import_xlsx(&x, data, len);
	else
		r = import_csv(&x, data, len);
	if (r == 0 && rep->rejected == 0 && !o->dry_run)
		r = audit_import(&x);
out:
	if (r == 0 && rep->rejected == 0 && !o->dry_run) {
		if (db_commit(db) != 0)
			r = err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
		else
			rep->written = 1;
	} else
		db_rollback(db);
	for (i = 0; i < x.ntopics; i++)
		free(x.topics[i].key);
	free(x.topics);
	for (i = 0; i < FBC__COUNT; i++)
		free(x.title[i]);
	return r;
}

/* ------------------------------------------------------------------ */
/* The export (R-PD-3) */

#define EXPORT_COLS	(FBC__COUNT + 2)	/* + code, state */
#define CONTACT_COLS	4			/* name, email, phone, address */

static const char *const export_extra[EXPORT_COLS - FBC__COUNT +
    CONTACT_COLS] = {"code", "state", "name", "email", "phone", "address"};

#define EXPORT_SQL							\
	"SELECT COALESCE(m.external_id, m.code), m.received_at, m.channel, "\
	"m.kind, m.client, m.form, m.touchpoint_id, t.title, r.title, "	\
	"m.text, m.acknowledged_at, m.answered_at, m.outcome, m.transfers, "\
	"m.wait_minutes, m.code, m.state, c.name, c.email, c.phone, "	\
	"c.address FROM fb_message m "					\
	"LEFT JOIN fb_topic t ON t.id = m.topic_id "			\
	"LEFT JOIN fb_topic r ON r.id = m.reason_id "			\
	"LEFT JOIN fb_contact c ON c.id = m.contact_id "		\
	"WHERE m.org_id = ? ORDER BY m.received_at, m.id"

/* Columns of the query that are times, and that clients wrote. */
static int
export_is_time(int k)
{
	return k == FBC_RECEIVED_AT || k == FBC_ACKNOWLEDGED_AT ||
	    k == FBC_ANSWERED_AT;
}

static int
export_is_typed(int k)
{
	return k == FBC_TEXT || k >= EXPORT_COLS;
}

/* The cell k of the current row, in buffer out (64 bytes) when built. */
static const char *
export_cell(struct db_stmt *st, int k, char out[64])
{
	const char *s;

	if (db_col_null(st, k))
		return "";
	if (export_is_time(k)) {
		time_format(db_col_int(st, k), out);
		return out;
	}
	if (k == FBC_TOUCHPOINT || k == FBC_TRANSFERS ||
	    k == FBC_WAIT_MINUTES) {
		snprintf(out, 64, "%lld", (long long)db_col_int(st, k));
		return out;
	}
	s = db_col_text(st, k);
	return s != NULL ? s : "";
}

/*
 * Would a spreadsheet run this cell as a formula?  "=", "@", and "+" or
 * "-" before a letter or a sign ("+cmd|…", "-2+…" is arithmetic, not a
 * call, but "+7 347 …" is a phone number and "- " a list).
 */
static int
formula_like(const char *s)
{
	if (*s == '=' || *s == '@')
		return 1;
	if (*s != '+' && *s != '-')
		return 0;
	return s[1] != '\0' && !isdigit((unsigned char)s[1]) && s[1] != ' ' &&
	    s[1] != '(' && s[1] != '\n';
}

/*
 * A CSV field.  What clients typed and looks like a formula gets a
 * leading apostrophe (OWASP's advice against CSV injection); the
 * canonical columns written by staff and the system are left as they are.
 */
static int
export_field(struct buf *b, const char *s, int typed)
{
	const char *q;
	int	    guard = typed && formula_like(s);

	if (!guard && strpbrk(s, ",\"\r\n") == NULL)
		return buf_puts(b, s);
	if (buf_putc(b, '"') == -1 || (guard && buf_putc(b, '\'') == -1))
		return -1;
	while ((q = strchr(s, '"')) != NULL) {
		if (buf_add(b, s, (size_t)(q - s) + 1) == -1 ||
		    buf_putc(b, '"') == -1)
			return -1;
		s = q + 1;
	}
	if (buf_puts(b, s) == -1 || buf_putc(b, '"') == -1)
		return -1;
	return 0;
}

static const char *
export_title(int k)
{
	return k < FBC__COUNT ? fb_columns[k] : export_extra[k - FBC__COUNT];
}

static int
export_csv(struct db_stmt *st, int ncols, FILE *f, long *count,
    struct err *e)
{
	struct buf b;
	char	   tmp[64];
	int	   k, r;

	buf_init(&b, (size_t)ncols * (FB_ANSWER_MAX * 2 + 64) + 1024);
	buf_puts(&b, "\xef\xbb\xbf");
	for (k = 0; k < ncols; k++) {
		if (k > 0)
			buf_putc(&b, ',');
		buf_puts(&b, export_title(k));
	}
	buf_puts(&b, "\r\n");
	while ((r = db_step(st)) == DB_ROW) {
		for (k = 0; k < ncols; k++)
			if ((k > 0 && buf_putc(&b, ',') == -1) ||
			    export_field(&b, export_cell(st, k, tmp),
			    export_is_typed(k)) == -1) {
				buf_free(&b);
				return err_set(e, EXIT_SOFTWARE, "message "
				    "%ld is larger than a row may be",
				    *count + 1);
			}
		buf_puts(&b, "\r\n");
		(*count)++;
		if (b.len > 65536) {
			if (fwrite(b.data, 1, b.len, f) != b.len)
				break;
			buf_reset(&b);
		}
	}
	if (b.len > 0)
		fwrite(b.data, 1, b.len, f);
	buf_free(&b);
	if (r != DB_DONE && r != DB_ROW)
		return err_set(e, EXIT_IOERR, "reading messages failed");
	if (fflush(f) != 0 || ferror(f) || r == DB_ROW)
		return err_set(e, EXIT_IOERR, "writing the export: %s",
		    strerror(errno));
	return 0;
}

static int
export_xlsx(struct db_stmt *st, int ncols, const char *path, long *count,
    struct err *e)
{
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
	lxw_workbook	    *wb;
	lxw_worksheet	    *ws;
	lxw_format	    *bold;
	lxw_error	     rc = LXW_NO_ERROR, rc2;
	char		     tmp[64];
	lxw_row_t	     row = 0;
	int		     k, r;
	FILE		    *f;

	if ((f = fopen(path, "wb")) == NULL)
		return err_set(e, EXIT_CANTCREAT, "%s: %s", path,
		    strerror(errno));
	fclose(f);
	if ((wb = workbook_new_opt(path, &opt)) == NULL)
		return err_set(e, EXIT_CANTCREAT, "%s: cannot start the "
		    "workbook", path);
	ws = workbook_add_worksheet(wb, "Обращения");
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	for (k = 0; k < ncols && ws != NULL; k++)
		worksheet_write_string(ws, 0, (lxw_col_t)k, export_title(k),
		    bold);
	while (ws != NULL && rc == LXW_NO_ERROR &&
	    (r = db_step(st)) == DB_ROW) {
		if (row + 1 >= LXW_ROW_MAX) {
			rc = LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE;
			break;
		}
		row++;
		for (k = 0; k < ncols && rc == LXW_NO_ERROR; k++)
			rc = worksheet_write_string(ws, row, (lxw_col_t)k,
			    export_cell(st, k, tmp), NULL);
		(*count)++;
	}
	rc2 = workbook_close(wb);
	if (ws == NULL || rc != LXW_NO_ERROR || rc2 != LXW_NO_ERROR) {
		unlink(path);
		return err_set(e, EXIT_IOERR, "%s: message %ld: %s", path,
		    *count, lxw_strerror(rc != LXW_NO_ERROR ? rc : rc2));
	}
	return 0;
}

int
fb_export(struct db *db, int64_t org_id, const char *actor,
    enum fb_export_format fmt, int with_contacts, const char *path,
    long *count, struct err *e)
{
	struct db_stmt *st;
	json_t	       *j;
	char	       *js;
	int64_t		n = 0;
	int		ncols = EXPORT_COLS + (with_contacts ? CONTACT_COLS : 0);
	int		r;
	FILE	       *f = stdout;

	*count = 0;
	st = db_prepare(db, "SELECT COUNT(*) FROM fb_message WHERE org_id = ?",
	    "i", org_id);
	if (st == NULL || db_step(st) != DB_ROW) {
		db_finalize(st);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	n = db_col_int(st, 0);
	db_finalize(st);
	/* Logged before the data leaves: an export never goes unrecorded. */
	j = json_pack("{s:s, s:I, s:b, s:s}", "format", fmt == FB_EXPORT_XLSX ?
	    "xlsx" : "csv", "messages", (json_int_t)n, "contacts",
	    with_contacts, "to", path != NULL ? path : "-");
	js = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	if (db_begin(db) != 0 || audit_append(db, actor, org_id,
	    "feedback.export", "fb_message", NULL, js, e) != 0 ||
	    db_commit(db) != 0) {
		db_rollback(db);
		free(js);
		if (e->msg[0] == '\0')
			err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
		return -1;
	}
	free(js);
	if (fmt == FB_EXPORT_CSV && path != NULL && strcmp(path, "-") != 0 &&
	    (f = fopen(path, "wb")) == NULL)
		return err_set(e, EXIT_CANTCREAT, "%s: %s", path,
		    strerror(errno));
	if ((st = db_prepare(db, EXPORT_SQL, "i", org_id)) == NULL) {
		if (f != stdout)
			fclose(f);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	if (fmt == FB_EXPORT_XLSX)
		r = export_xlsx(st, ncols, path, count, e);
	else
		r = export_csv(st, ncols, f, count, e);
	db_finalize(st);
	if (f != stdout && fclose(f) != 0 && r == 0)
		r = err_set(e, EXIT_IOERR, "%s: %s", path, strerror(errno));
	return r;
}

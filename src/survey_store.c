/*
 * Surveys in the database: instruments and their versions (a draft is
 * edited in place, publishing freezes it), where they are offered,
 * single-use invitations kept only as hashes, and the responses.  Every
 * change made by staff is audited; an answer is not (R-SRV-3: nothing
 * about it may be kept beyond what srv_response holds, not even its time).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "otklik.h"
#include "audit.h"
#include "db.h"
#include "rollup.h"
#include "survey.h"

#define BATCH_MAX	100	/* bytes of an invitation batch's name */
#define NAME_MAX_BYTES	1000	/* a service's or life situation's name */
#define HASH_HEX	65	/* BLAKE2b-256 in hex, with the NUL */
#define PAPER_REF_MAX	200	/* bytes of a paper form's number, at most */

/* Crockford's base32: no I, L, O, U to misread or misspell. */
static const char b32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

#define INSTR_SQL                                                          \
	"SELECT i.id, i.org_id, i.code, i.standard, i.client, i.access, "    \
	"i.open, c.id, c.version, d.id, d.version, "                         \
	"COALESCE(c.title, d.title, i.code), "                               \
	"(SELECT count(*) FROM srv_response r WHERE r.instrument_id = i.id) " \
	"FROM srv_instrument i "                                             \
	"LEFT JOIN srv_version c ON c.instrument_id = i.id "                 \
	"AND c.state = 'published' "                                         \
	"LEFT JOIN srv_version d ON d.instrument_id = i.id "                 \
	"AND d.state = 'draft' "

static void
col_code(struct db_stmt *s, int i, char *out, size_t size)
{
	const char *t = db_col_text(s, i);

	snprintf(out, size, "%s", t != NULL ? t : "");
}

static void
instr_from_row(struct db_stmt *s, struct srv_instr *in)
{
	memset(in, 0, sizeof(*in));
	in->id = db_col_int(s, 0);
	in->org_id = db_col_int(s, 1);
	col_code(s, 2, in->code, sizeof(in->code));
	col_code(s, 3, in->standard, sizeof(in->standard));
	col_code(s, 4, in->client, sizeof(in->client));
	col_code(s, 5, in->access, sizeof(in->access));
	in->open = db_col_int(s, 6) != 0;
	in->current_id = db_col_int(s, 7);
	in->current = (int)db_col_int(s, 8);
	in->draft_id = db_col_int(s, 9);
	in->draft = (int)db_col_int(s, 10);
	in->title = db_col_dup(s, 11);
	in->responses = db_col_int(s, 12);
}

void
srv_instr_clear(struct srv_instr *in)
{
	if (in == NULL)
		return;
	free(in->title);
	in->title = NULL;
}

int
srv_instr_list(struct db *db, int64_t org_id, struct srv_instr **list,
    size_t *n, struct err *e)
{
	struct db_stmt	 *s;
	struct srv_instr *v = NULL;
	size_t		  k = 0;
	int		  r;

	*list = NULL;
	*n = 0;
	s = db_prepare(db, INSTR_SQL "WHERE i.org_id = ? "
	    "ORDER BY i.standard IS NULL, i.code", "i", org_id);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	while ((r = db_step(s)) == DB_ROW) {
		v = xreallocarray(v, k + 1, sizeof(*v));
		instr_from_row(s, &v[k++]);
	}
	db_finalize(s);
	if (r == DB_FAIL) {
		while (k > 0)
			srv_instr_clear(&v[--k]);
		free(v);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	*list = v;
	*n = k;
	return 0;
}

int
srv_instr_get(struct db *db, int64_t org_id, const char *code,
    struct srv_instr *in, struct err *e)
{
	struct db_stmt *s;
	int		r;

	memset(in, 0, sizeof(*in));
	s = db_prepare(db, INSTR_SQL "WHERE i.org_id = ? AND i.code = ?",
	    "it", org_id, code);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if ((r = db_step(s)) == DB_ROW)
		instr_from_row(s, in);
	db_finalize(s);
	if (r == DB_ROW)
		return 0;
	if (r == DB_FAIL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	return err_set(e, EXIT_NOINPUT,
	    "no survey '%.*s'; 'otklik survey list' shows them", SRV_CODE_MAX,
	    code);
}

int
srv_version_load(struct db *db, int64_t org_id, int64_t version_id,
    struct srv_def *d, int *version, struct err *e)
{
	struct db_stmt *s;
	char	       *text = NULL;
	int		r, v = 0;

	memset(d, 0, sizeof(*d));
	/* Worded so that its place in db.c's statement cache is not that of
	 * the answers' INSERT, which runs for every answer. */
	s = db_prepare(db, "SELECT definition, version FROM srv_version "
	    "WHERE org_id = ? AND id = ?", "ii", org_id, version_id);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if ((r = db_step(s)) == DB_ROW) {
		text = db_col_dup(s, 0);
		v = (int)db_col_int(s, 1);
	}
	db_finalize(s);
	if (r == DB_FAIL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if (r == DB_DONE)
		return err_set(e, EXIT_NOINPUT, "no survey version %lld",
		    (long long)version_id);
	r = srv_def_parse(d, text, strlen(text), e);
	free(text);
	if (r != 0) {
		/* What was stored was checked when it was saved. */
		e->code = EXIT_SOFTWARE;
		return -1;
	}
	if (version != NULL)
		*version = v;
	return 0;
}

/* ---- changes made by staff ---- */

/* Runs inside a transaction of its own: r is the body's result. */
static int
tx_end(struct db *db, int r, struct err *e)
{
	if (r != 0) {
		db_rollback(db);
		return -1;
	}
	if (db_commit(db) != 0) {
		err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
		db_rollback(db);
		return -1;
	}
	return 0;
}

static int
tx_begin(struct db *db, struct err *e)
{
	if (db_begin(db) != 0)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	return 0;
}

/* Appends an audit entry on "survey:<code>"; j (stolen) is "after". */
static int
audit(struct db *db, const char *actor, int64_t org_id, const char *action,
    const char *code, json_t *before, json_t *after, struct err *e)
{
	char  obj[SRV_CODE_MAX + 16], *b = NULL, *a = NULL;
	int   r;

	snprintf(obj, sizeof(obj), "survey:%s", code);
	if (before != NULL)
		b = json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS);
	if (after != NULL)
		a = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(before);
	json_decref(after);
	r = audit_append(db, actor, org_id, action, obj, b, a, e);
	free(b);
	free(a);
	return r;
}

static json_t *
version_json(int version, const char *title)
{
	return json_pack("{s:i, s:s}", "version", version, "title",
	    title != NULL ? title : "");
}

/*
 * A definition as it will be stored: written canonically and read back,
 * which checks a definition built in memory (by the editor) as strictly
 * as a file.
 */
static char *
def_canonical(const struct srv_def *d, struct err *e)
{
	struct srv_def back;
	char	      *json;

	json = srv_def_json(d);
	if (srv_def_parse(&back, json, strlen(json), e) != 0) {
		free(json);
		return NULL;
	}
	srv_def_clear(&back);
	return json;
}

static int
version_insert(struct db *db, const char *actor, int64_t org_id,
    int64_t instrument_id, int version, int published, const char *title,
    const char *json, struct err *e)
{
	int64_t now = clock_now();

	if (db_run(db, NULL,
		"INSERT INTO srv_version (instrument_id, org_id, version, "
		"state, title, definition, created_at, created_by, "
		"published_at, published_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
		"?, ?)",
		"iiitttitIt", instrument_id, org_id, (int64_t)version,
		published ? "published" : "draft", title, json, now, actor,
		published ? now : (int64_t)0, published ? actor : NULL) != 0)
		return err_set(e, EXIT_IOERR, "storing a survey version: %s",
		    db_errmsg(db));
	return 0;
}

static int
instr_insert(struct db *db, int64_t org_id, const char *code,
    const char *standard, const char *client, const char *access, int open,
    int64_t *id, struct err *e)
{
	if (db_run(db, id,
		"INSERT INTO srv_instrument (org_id, code, standard, client, "
		"access, open, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
		"RETURNING id",
		"ittttii", org_id, code, standard, client, access,
		(int64_t)open, clock_now()) != 0)
		return err_set(e, EXIT_IOERR, "storing survey '%s': %s", code,
		    db_errmsg(db));
	return 0;
}

static int
instr_exists(struct db *db, int64_t org_id, const char *code, int *yes,
    struct err *e)
{
	struct db_stmt *s;
	int		r;

	s = db_prepare(db, "SELECT 1 FROM srv_instrument WHERE org_id = ? "
	    "AND code = ?", "it", org_id, code);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	r = db_step(s);
	db_finalize(s);
	if (r == DB_FAIL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	*yes = r == DB_ROW;
	return 0;
}

static int
install_one(struct db *db, const char *actor, int64_t org_id,
    const char *code, struct err *e)
{
	const struct embedded_file *f;
	struct srv_def		    d;
	char			    name[64], *json;
	int64_t			    id;
	int			    yes = 0, r;

	if (instr_exists(db, org_id, code, &yes, e) != 0)
		return -1;
	if (yes)
		return 0;
	snprintf(name, sizeof(name), "surveys/%s.json", code);
	if ((f = embedded_find(name)) == NULL)
		return err_set(e, EXIT_SOFTWARE, "%s is not built in", name);
	if (srv_def_parse(&d, (const char *)f->data, f->len, e) != 0) {
		e->code = EXIT_SOFTWARE;
		return -1;
	}
	if (strcmp(d.code, code) != 0) {
		srv_def_clear(&d);
		return err_set(e, EXIT_SOFTWARE, "%s has code '%s'", name,
		    d.code);
	}
	json = srv_def_json(&d);
	r = instr_insert(db, org_id, code, code, d.client, d.access, 1, &id,
	    e);
	if (r == 0)
		r = version_insert(db, actor, org_id, id, 1, 1, d.title_ru, json,
		    e);
	if (r == 0)
		r = audit(db, actor, org_id, "survey.install", code, NULL,
		    version_json(1, d.title_ru), e);
	free(json);
	srv_def_clear(&d);
	return r;
}

int
srv_install_standard(struct db *db, const char *actor, int64_t org_id,
    struct err *e)
{
	size_t i;

	for (i = 0; srv_standard_codes[i] != NULL; i++)
		if (install_one(db, actor, org_id, srv_standard_codes[i], e) !=
		    0)
			return -1;
	return 0;
}

int
srv_instr_add(struct db *db, const char *actor, int64_t org_id,
    const struct srv_def *d, struct err *e)
{
	char   *json;
	int64_t id;
	int	yes = 0, r;

	if ((json = def_canonical(d, e)) == NULL)
		return -1;
	if (tx_begin(db, e) != 0) {
		free(json);
		return -1;
	}
	r = instr_exists(db, org_id, d->code, &yes, e);
	if (r == 0 && yes)
		r = err_set(e, EXIT_DATAERR, "survey '%s' exists already",
		    d->code);
	if (r == 0)
		r = instr_insert(db, org_id, d->code, NULL, d->client,
		    d->access, 0, &id, e);
	if (r == 0)
		r = version_insert(db, actor, org_id, id, 1, 0, d->title_ru,
		    json, e);
	if (r == 0)
		r = audit(db, actor, org_id, "survey.add", d->code, NULL,
		    version_json(1, d->title_ru), e);
	free(json);
	return tx_end(db, r, e);
}

static int
draft_save(struct db *db, const char *actor, int64_t org_id,
    const char *code, const struct srv_def *d, const char *json,
    struct err *e)
{
	struct srv_instr in;
	struct db_stmt	*s;
	int		 next = 0, r;

	if (srv_instr_get(db, org_id, code, &in, e) != 0)
		return -1;
	if (in.draft_id != 0) {
		r = db_run(db, NULL, "UPDATE srv_version SET title = ?, "
		    "definition = ? WHERE id = ?", "tti", d->title_ru, json,
		    in.draft_id);
		if (r != 0)
			r = err_set(e, EXIT_IOERR, "saving the draft: %s",
			    db_errmsg(db));
		next = in.draft;
	} else {
		s = db_prepare(db, "SELECT COALESCE(max(version), 0) + 1 FROM "
		    "srv_version WHERE instrument_id = ?", "i", in.id);
		if (s != NULL && db_step(s) == DB_ROW)
			next = (int)db_col_int(s, 0);
		db_finalize(s);
		if (next == 0)
			r = err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
		else
			r = version_insert(db, actor, org_id, in.id, next, 0,
			    d->title_ru, json, e);
	}
	if (r == 0)
		r = audit(db, actor, org_id, "survey.draft", code, NULL,
		    version_json(next, d->title_ru), e);
	srv_instr_clear(&in);
	return r;
}

int
srv_draft_save(struct db *db, const char *actor, int64_t org_id,
    const char *code, const struct srv_def *d, struct err *e)
{
	char *json;
	int   r;

	if (d->code == NULL || strcmp(d->code, code) != 0)
		return err_set(e, EXIT_DATAERR,
		    "the definition's code must stay '%.*s'", SRV_CODE_MAX,
		    code);
	if ((json = def_canonical(d, e)) == NULL)
		return -1;
	if (tx_begin(db, e) != 0) {
		free(json);
		return -1;
	}
	r = draft_save(db, actor, org_id, code, d, json, e);
	free(json);
	return tx_end(db, r, e);
}

static int
draft_discard(struct db *db, const char *actor, int64_t org_id,
    const char *code, struct err *e)
{
	struct srv_instr in;
	int		 r;

	if (srv_instr_get(db, org_id, code, &in, e) != 0)
		return -1;
	if (in.draft_id == 0)
		r = err_set(e, EXIT_DATAERR, "survey '%s' has no draft", code);
	else if (in.current_id == 0)
		/* Never published: dropping it would leave an instrument
		 * with nothing to show. */
		r = err_set(e, EXIT_DATAERR,
		    "survey '%s' has no other version than its draft; edit "
		    "the draft instead", code);
	else if (db_run(db, NULL, "DELETE FROM srv_version WHERE id = ?", "i",
		     in.draft_id) != 0)
		r = err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	else
		r = audit(db, actor, org_id, "survey.discard", code,
		    version_json(in.draft, in.title), NULL, e);
	srv_instr_clear(&in);
	return r;
}

int
srv_draft_discard(struct db *db, const char *actor, int64_t org_id,
    const char *code, struct err *e)
{
	if (tx_begin(db, e) != 0)
		return -1;
	return tx_end(db, draft_discard(db, actor, org_id, code, e), e);
}

static int
publish(struct db *db, const char *actor, int64_t org_id, const char *code,
    struct err *e)
{
	struct srv_instr in;
	struct srv_def	 d;
	int		 r, v;

	if (srv_instr_get(db, org_id, code, &in, e) != 0)
		return -1;
	if (in.draft_id == 0) {
		srv_instr_clear(&in);
		return err_set(e, EXIT_DATAERR,
		    "survey '%s' has no draft to publish", code);
	}
	/* The client kind follows the content it describes. */
	r = srv_version_load(db, org_id, in.draft_id, &d, &v, e);
	if (r == 0 && in.current_id != 0 &&
	    db_run(db, NULL, "UPDATE srv_version SET state = 'retired' "
		"WHERE id = ?", "i", in.current_id) != 0)
		r = err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if (r == 0 &&
	    db_run(db, NULL, "UPDATE srv_version SET state = 'published', "
		"published_at = ?, published_by = ? WHERE id = ?", "iti",
		clock_now(), actor, in.draft_id) != 0)
		r = err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if (r == 0 &&
	    db_run(db, NULL, "UPDATE srv_instrument SET client = ? WHERE "
		"id = ?", "ti", d.client, in.id) != 0)
		r = err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if (r == 0)
		r = audit(db, actor, org_id, "survey.publish", code,
		    in.current_id != 0 ? json_pack("{s:i}", "version",
			in.current) : NULL,
		    version_json(in.draft, d.title_ru), e);
	srv_def_clear(&d);
	srv_instr_clear(&in);
	return r;
}

int
srv_publish(struct db *db, const char *actor, int64_t org_id,
    const char *code, struct err *e)
{
	if (tx_begin(db, e) != 0)
		return -1;
	return tx_end(db, publish(db, actor, org_id, code, e), e);
}

static int
set_open(struct db *db, const char *actor, int64_t org_id, const char *code,
    int open, struct err *e)
{
	struct srv_instr in;
	int		 r = 0;

	if (srv_instr_get(db, org_id, code, &in, e) != 0)
		return -1;
	if (open && in.current_id == 0)
		r = err_set(e, EXIT_DATAERR,
		    "survey '%s' has no published version; publish it first",
		    code);
	else if (in.open == open)
		;	/* nothing changes, nothing to record */
	else if (db_run(db, NULL, "UPDATE srv_instrument SET open = ? WHERE "
		     "id = ?", "ii", (int64_t)open, in.id) != 0)
		r = err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	else
		r = audit(db, actor, org_id, open ? "survey.open" :
		    "survey.close", code, json_pack("{s:b}", "open", in.open),
		    json_pack("{s:b}", "open", open), e);
	srv_instr_clear(&in);
	return r;
}

int
srv_set_open(struct db *db, const char *actor, int64_t org_id,
    const char *code, int open, struct err *e)
{
	if (tx_begin(db, e) != 0)
		return -1;
	return tx_end(db, set_open(db, actor, org_id, code, open != 0, e), e);
}

static int
set_access(struct db *db, const char *actor, int64_t org_id,
    const char *code, const char *access, struct err *e)
{
	struct srv_instr in;
	int		 r = 0;

	if (srv_instr_get(db, org_id, code, &in, e) != 0)
		return -1;
	if (strcmp(in.access, access) == 0)
		;
	else if (db_run(db, NULL, "UPDATE srv_instrument SET access = ? "
		     "WHERE id = ?", "ti", access, in.id) != 0)
		r = err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	else
		r = audit(db, actor, org_id, "survey.access", code,
		    json_pack("{s:s}", "access", in.access),
		    json_pack("{s:s}", "access", access), e);
	srv_instr_clear(&in);
	return r;
}

int
srv_set_access(struct db *db, const char *actor, int64_t org_id,
    const char *code, const char *access, struct err *e)
{
	if (access == NULL ||
	    (strcmp(access, "open") != 0 && strcmp(access, "invite") != 0))
		return err_set(e, EXIT_USAGE,
		    "access must be 'open' or 'invite'");
	if (tx_begin(db, e) != 0)
		return -1;
	return tx_end(db, set_access(db, actor, org_id, code, access, e), e);
}

/* ---- versions ---- */

int
srv_versions(struct db *db, int64_t org_id, const char *code,
    struct srv_vinfo **list, size_t *n, struct err *e)
{
	struct srv_instr  in;
	struct srv_vinfo *v = NULL;
	struct db_stmt	 *s;
	size_t		  k = 0;
	int		  r;

	*list = NULL;
	*n = 0;
	if (srv_instr_get(db, org_id, code, &in, e) != 0)
		return -1;
	s = db_prepare(db, "SELECT v.id, v.version, v.state, v.title, "
	    "v.created_at, v.created_by, v.published_at, (SELECT count(*) "
	    "FROM srv_response r WHERE r.instrument_id = v.instrument_id AND "
	    "r.version_id = v.id) FROM srv_version v WHERE v.instrument_id = ? "
	    "ORDER BY v.version DESC", "i", in.id);
	srv_instr_clear(&in);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	while ((r = db_step(s)) == DB_ROW) {
		v = xreallocarray(v, k + 1, sizeof(*v));
		memset(&v[k], 0, sizeof(v[k]));
		v[k].id = db_col_int(s, 0);
		v[k].version = (int)db_col_int(s, 1);
		col_code(s, 2, v[k].state, sizeof(v[k].state));
		v[k].title = db_col_dup(s, 3);
		v[k].created_at = db_col_int(s, 4);
		v[k].created_by = db_col_dup(s, 5);
		v[k].published_at = db_col_int(s, 6);
		v[k].responses = db_col_int(s, 7);
		k++;
	}
	db_finalize(s);
	if (r == DB_FAIL) {
		while (k > 0)
			srv_vinfo_clear(&v[--k]);
		free(v);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	*list = v;
	*n = k;
	return 0;
}

void
srv_vinfo_clear(struct srv_vinfo *v)
{
	if (v == NULL)
		return;
	free(v->title);
	free(v->created_by);
	v->title = v->created_by = NULL;
}

/* ---- targets ---- */

/* The touchpoint's name in the organization's current registry. */
static int
touchpoint_name(struct db *db, int64_t org_id, int64_t id, char **name,
    struct err *e)
{
	struct db_stmt *s;
	int		r;

	*name = NULL;
	s = db_prepare(db, "SELECT name FROM touchpoint_rev WHERE "
	    "touchpoint_id = ? AND org_id = ? AND valid_from IS NOT NULL AND "
	    "valid_to IS NULL", "ii", id, org_id);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if ((r = db_step(s)) == DB_ROW)
		*name = db_col_dup(s, 0);
	db_finalize(s);
	if (r == DB_FAIL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if (r == DB_DONE)
		return err_set(e, EXIT_NOINPUT,
		    "touchpoint %lld is not in the organization's current "
		    "registry", (long long)id);
	return 0;
}

static int
attach(struct db *db, const char *actor, int64_t org_id, const char *code,
    const char *kind, int64_t tp, const char *name, struct err *e)
{
	struct srv_instr in;
	struct db_stmt	*s;
	char		*tpname = NULL;
	json_t		*after;
	int		 r;

	if (srv_instr_get(db, org_id, code, &in, e) != 0)
		return -1;
	if (tp != 0 && touchpoint_name(db, org_id, tp, &tpname, e) != 0) {
		srv_instr_clear(&in);
		return -1;
	}
	s = db_prepare(db, "SELECT 1 FROM srv_target WHERE instrument_id = ? "
	    "AND kind = ? AND COALESCE(touchpoint_id, 0) = ? AND "
	    "COALESCE(name, '') = ?", "itit", in.id, kind, tp,
	    name != NULL ? name : "");
	r = s == NULL ? DB_FAIL : db_step(s);
	db_finalize(s);
	if (r == DB_FAIL)
		r = err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	else if (r == DB_ROW)
		r = err_set(e, EXIT_DATAERR, "survey '%s' is attached to that "
		    "%s already", code, kind);
	else if (db_run(db, NULL, "INSERT INTO srv_target (instrument_id, "
		     "org_id, kind, touchpoint_id, name) VALUES (?, ?, ?, ?, ?)",
		     "iitIt", in.id, org_id, kind, tp, name) != 0)
		r = err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	else {
		after = tp != 0 ? json_pack("{s:s, s:I, s:s}", "kind", kind,
				      "touchpoint_id", (json_int_t)tp, "name",
				      tpname)
				: json_pack("{s:s, s:s}", "kind", kind, "name",
				      name);
		r = audit(db, actor, org_id, "survey.attach", code, NULL,
		    after, e);
	}
	free(tpname);
	srv_instr_clear(&in);
	return r;
}

int
srv_attach(struct db *db, const char *actor, int64_t org_id,
    const char *code, const char *kind, int64_t touchpoint_id,
    const char *name, struct err *e)
{
	const char *why = NULL;
	char	   *clean = NULL;
	size_t	    i;
	int	    r;

	if (kind == NULL)
		kind = "";
	if (strcmp(kind, "touchpoint") == 0) {
		if (touchpoint_id <= 0)
			return err_set(e, EXIT_USAGE,
			    "a touchpoint target needs the touchpoint's id");
		name = NULL;
	} else if (strcmp(kind, "service") == 0 ||
	    strcmp(kind, "situation") == 0) {
		if (name == NULL || str_empty(name))
			return err_set(e, EXIT_USAGE, "a %s target needs its "
			    "name", kind);
		if (utf8_invalid_at(name, strlen(name)) >= 0)
			why = "is not valid UTF-8 text";
		for (i = 0; why == NULL && name[i] != '\0'; i++)
			if ((unsigned char)name[i] < 0x20 ||
			    name[i] == 0x7f)
				why = "contains control characters";
		if (why != NULL)
			return err_set(e, EXIT_DATAERR, "the %s name %s", kind,
			    why);
		clean = str_squeeze(name);
		if (strlen(clean) > NAME_MAX_BYTES) {
			free(clean);
			return err_set(e, EXIT_DATAERR,
			    "the %s name is longer than %d bytes", kind,
			    NAME_MAX_BYTES);
		}
		touchpoint_id = 0;
		name = clean;
	} else
		return err_set(e, EXIT_USAGE,
		    "the target kind must be touchpoint, service or situation");
	if (tx_begin(db, e) != 0) {
		free(clean);
		return -1;
	}
	r = attach(db, actor, org_id, code, kind, touchpoint_id, name, e);
	free(clean);
	return tx_end(db, r, e);
}

static int
detach(struct db *db, const char *actor, int64_t org_id, const char *code,
    int64_t target_id, struct err *e)
{
	struct srv_instr in;
	struct db_stmt	*s;
	json_t		*before = NULL;
	int		 r;

	if (srv_instr_get(db, org_id, code, &in, e) != 0)
		return -1;
	s = db_prepare(db, "SELECT kind, touchpoint_id, name FROM srv_target "
	    "WHERE id = ? AND instrument_id = ?", "ii", target_id, in.id);
	r = s == NULL ? DB_FAIL : db_step(s);
	if (r == DB_ROW)
		before = db_col_null(s, 1)
			     ? json_pack("{s:s, s:s}", "kind",
				   db_col_text(s, 0), "name", db_col_text(s, 2))
			     : json_pack("{s:s, s:I}", "kind",
				   db_col_text(s, 0), "touchpoint_id",
				   (json_int_t)db_col_int(s, 1));
	db_finalize(s);
	if (r == DB_FAIL)
		r = err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	else if (r == DB_DONE)
		r = err_set(e, EXIT_NOINPUT, "survey '%s' has no target %lld",
		    code, (long long)target_id);
	else if (db_run(db, NULL, "DELETE FROM srv_target WHERE id = ?", "i",
		     target_id) != 0)
		r = err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	else {
		r = audit(db, actor, org_id, "survey.detach", code, before,
		    NULL, e);
		before = NULL;
	}
	json_decref(before);
	srv_instr_clear(&in);
	return r;
}

int
srv_detach(struct db *db, const char *actor, int64_t org_id,
    const char *code, int64_t target_id, struct err *e)
{
	if (tx_begin(db, e) != 0)
		return -1;
	return tx_end(db, detach(db, actor, org_id, code, target_id, e), e);
}

int
srv_targets(struct db *db, int64_t org_id, const char *code,
    struct srv_target **list, size_t *n, struct err *e)
{
	struct srv_instr   in;
	struct srv_target *v = NULL;
	struct db_stmt	  *s;
	size_t		   k = 0;
	int		   r;

	*list = NULL;
	*n = 0;
	if (srv_instr_get(db, org_id, code, &in, e) != 0)
		return -1;
	/* A touchpoint since excluded keeps the last name it had. */
	s = db_prepare(db, "SELECT t.id, t.kind, t.touchpoint_id, "
	    "COALESCE(t.name, (SELECT r.name FROM touchpoint_rev r WHERE "
	    "r.touchpoint_id = t.touchpoint_id AND r.valid_from IS NOT NULL "
	    "ORDER BY r.valid_from DESC LIMIT 1), '') FROM srv_target t "
	    "WHERE t.instrument_id = ? ORDER BY t.kind, t.touchpoint_id, "
	    "t.name", "i", in.id);
	srv_instr_clear(&in);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	while ((r = db_step(s)) == DB_ROW) {
		v = xreallocarray(v, k + 1, sizeof(*v));
		memset(&v[k], 0, sizeof(v[k]));
		v[k].id = db_col_int(s, 0);
		col_code(s, 1, v[k].kind, sizeof(v[k].kind));
		v[k].touchpoint_id = db_col_int(s, 2);
		v[k].name = db_col_dup(s, 3);
		k++;
	}
	db_finalize(s);
	if (r == DB_FAIL) {
		while (k > 0)
			srv_target_clear(&v[--k]);
		free(v);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	*list = v;
	*n = k;
	return 0;
}

void
srv_target_clear(struct srv_target *t)
{
	if (t == NULL)
		return;
	free(t->name);
	t->name = NULL;
}

/* ---- invitations ---- */

static void
token_make(char out[SRV_TOKEN_LEN + 1])
{
	unsigned char rnd[SRV_TOKEN_LEN];
	size_t	      i;

	/* 32 divides 256: the low five bits of a random byte are uniform,
	 * so the token holds 5 * SRV_TOKEN_LEN = 130 random bits. */
	randombytes_buf(rnd, sizeof(rnd));
	for (i = 0; i < SRV_TOKEN_LEN; i++)
		out[i] = b32[rnd[i] & 31];
	out[SRV_TOKEN_LEN] = '\0';
	sodium_memzero(rnd, sizeof(rnd));
}

/*
 * A token as a person may type it from paper: any case, dashes and
 * spaces ignored, O for 0 and I or L for 1 as Crockford allows.
 */
static int
token_normalize(const char *in, char out[SRV_TOKEN_LEN + 1])
{
	size_t n = 0;
	int    ch;

	for (; *in != '\0'; in++) {
		ch = toupper((unsigned char)*in);
		if (ch == '-' || ch == ' ')
			continue;
		if (ch == 'O')
			ch = '0';
		else if (ch == 'I' || ch == 'L')
			ch = '1';
		if (strchr(b32, ch) == NULL || n == SRV_TOKEN_LEN)
			return -1;
		out[n++] = (char)ch;
	}
	out[n] = '\0';
	return n == SRV_TOKEN_LEN ? 0 : -1;
}

static void
token_hash(const char *token, char out[HASH_HEX])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)token,
	    strlen(token), NULL, 0);
	sodium_bin2hex(out, HASH_HEX, h, sizeof(h));
}

static int
invite_make(struct db *db, const char *actor, int64_t org_id,
    const char *code, const char *batch, size_t n, char **tok,
    struct err *e)
{
	struct srv_instr in;
	char		 hash[HASH_HEX];
	int64_t		 now = clock_now();
	size_t		 i;
	int		 r = 0;

	if (srv_instr_get(db, org_id, code, &in, e) != 0)
		return -1;
	for (i = 0; i < n && r == 0; i++) {
		tok[i] = xmalloc(SRV_TOKEN_LEN + 1);
		token_make(tok[i]);
		token_hash(tok[i], hash);
		if (db_run(db, NULL, "INSERT INTO srv_invite (token_hash, "
		    "instrument_id, org_id, batch, created_at) VALUES (?, ?, "
		    "?, ?, ?)", "tiiti", hash, in.id, org_id, batch, now) != 0)
			r = err_set(e, EXIT_IOERR, "storing invitations: %s",
			    db_errmsg(db));
	}
	if (r == 0)
		r = audit(db, actor, org_id, "survey.invite", code, NULL,
		    json_pack("{s:s, s:I}", "batch", batch, "count",
			(json_int_t)n), e);
	srv_instr_clear(&in);
	return r;
}

int
srv_invite_make(struct db *db, const char *actor, int64_t org_id,
    const char *code, const char *batch, size_t n, char ***tokens,
    struct err *e)
{
	char  **tok;
	size_t	i;
	int	r;

	*tokens = NULL;
	if (n == 0 || n > SRV_INVITES_MAX)
		return err_set(e, EXIT_USAGE,
		    "the number of invitations must be 1 to %d",
		    SRV_INVITES_MAX);
	if (batch == NULL || str_empty(batch) || strlen(batch) > BATCH_MAX)
		return err_set(e, EXIT_USAGE,
		    "the batch needs a name of 1 to %d bytes", BATCH_MAX);
	if (utf8_invalid_at(batch, strlen(batch)) >= 0)
		return err_set(e, EXIT_USAGE,
		    "the batch name is not valid UTF-8 text");
	for (i = 0; batch[i] != '\0'; i++)
		if ((unsigned char)batch[i] < 0x20 || batch[i] == 0x7f)
			return err_set(e, EXIT_USAGE,
			    "the batch name contains control characters");
	tok = xcalloc(n, sizeof(*tok));
	if (tx_begin(db, e) != 0) {
		free(tok);
		return -1;
	}
	r = tx_end(db, invite_make(db, actor, org_id, code, batch, n, tok, e),
	    e);
	if (r != 0) {
		for (i = 0; i < n; i++)
			free(tok[i]);
		free(tok);
		return -1;
	}
	*tokens = tok;
	return 0;
}

int
srv_invite_batches(struct db *db, int64_t org_id, const char *code,
    struct srv_batch **list, size_t *n, struct err *e)
{
	struct srv_instr  in;
	struct srv_batch *v = NULL;
	struct db_stmt	 *s;
	size_t		  k = 0;
	int		  r;

	*list = NULL;
	*n = 0;
	if (srv_instr_get(db, org_id, code, &in, e) != 0)
		return -1;
	s = db_prepare(db, "SELECT batch, count(*), COALESCE(sum(used), 0), "
	    "min(created_at) FROM srv_invite WHERE instrument_id = ? GROUP BY "
	    "batch ORDER BY min(created_at), batch", "i", in.id);
	srv_instr_clear(&in);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	while ((r = db_step(s)) == DB_ROW) {
		v = xreallocarray(v, k + 1, sizeof(*v));
		v[k].batch = db_col_dup(s, 0);
		v[k].made = db_col_int(s, 1);
		v[k].used = db_col_int(s, 2);
		v[k].created_at = db_col_int(s, 3);
		k++;
	}
	db_finalize(s);
	if (r == DB_FAIL) {
		while (k > 0)
			free(v[--k].batch);
		free(v);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	*list = v;
	*n = k;
	return 0;
}

int
srv_invite_valid(struct db *db, int64_t instrument_id, const char *token,
    struct err *e)
{
	struct db_stmt *s;
	char		norm[SRV_TOKEN_LEN + 1], hash[HASH_HEX];
	int		r;

	if (token == NULL || token_normalize(token, norm) != 0)
		return 0;
	token_hash(norm, hash);
	s = db_prepare(db, "SELECT 1 FROM srv_invite WHERE token_hash = ? AND "
	    "instrument_id = ? AND used = 0", "ti", hash, instrument_id);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	r = db_step(s);
	db_finalize(s);
	if (r == DB_FAIL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	return r == DB_ROW;
}

/* ---- responses ---- */

/*
 * The checks of a response that need the database, in one statement:
 * the version belongs to the instrument of the organization and is not a
 * draft, the instrument is open (paper excepted), an invitation-only
 * instrument gets a token, the touchpoint is the organization's.
 */
static int
response_check(struct db *db, const struct srv_resp *r, const char *token,
    struct err *e)
{
	struct db_stmt *s;
	int		st, open = 0, invite = 0, draft = 0, tp = 0;

	/* CASE rather than a comparison as a value: PostgreSQL would give
	 * a boolean. */
	s = db_prepare(db, "SELECT i.open, CASE WHEN i.access = 'invite' "
	    "THEN 1 ELSE 0 END, CASE WHEN v.state = 'draft' THEN 1 ELSE 0 "
	    "END, (SELECT count(*) FROM touchpoint t WHERE "
	    "t.id = ? AND t.org_id = i.org_id) FROM srv_instrument i JOIN "
	    "srv_version v ON v.instrument_id = i.id WHERE i.id = ? AND "
	    "i.org_id = ? AND v.id = ?", "iiii", r->touchpoint_id,
	    r->instrument_id, r->org_id, r->version_id);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if ((st = db_step(s)) == DB_ROW) {
		open = db_col_int(s, 0) != 0;
		invite = db_col_int(s, 1) != 0;
		draft = db_col_int(s, 2) != 0;
		tp = db_col_int(s, 3) != 0;
	}
	db_finalize(s);
	if (st == DB_FAIL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if (st == DB_DONE)
		return err_set(e, EXIT_NOINPUT, "no such survey version");
	if (draft)
		return err_set(e, EXIT_DATAERR,
		    "the survey version is a draft: it takes no answers");
	if (!open && !r->offline)
		return err_set(e, EXIT_DATAERR,
		    "the survey is closed: it takes no answers");
	if (invite && token == NULL && !r->offline)
		return err_set(e, EXIT_DATAERR,
		    "the survey takes answers by invitation only");
	if (r->touchpoint_id != 0 && !tp)
		return err_set(e, EXIT_DATAERR,
		    "touchpoint %lld is not the organization's",
		    (long long)r->touchpoint_id);
	return 0;
}

static int
paper_stored(struct db *db, const struct srv_resp *r, int *yes,
    struct err *e)
{
	struct db_stmt *s;
	int		st;

	s = db_prepare(db, "SELECT 1 FROM srv_response WHERE instrument_id = "
	    "? AND paper_ref = ?", "it", r->instrument_id, r->paper_ref);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	st = db_step(s);
	db_finalize(s);
	if (st == DB_FAIL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	*yes = st == DB_ROW;
	return 0;
}

/* Marks the invitation used: set used and nothing else, no time. */
static int
token_use(struct db *db, int64_t instrument_id, const char *token,
    struct err *e)
{
	char	norm[SRV_TOKEN_LEN + 1], hash[HASH_HEX];
	int64_t marked = 0;

	if (token_normalize(token, norm) != 0)
		return err_set(e, EXIT_DATAERR,
		    "the invitation is not a valid one");
	token_hash(norm, hash);
	if (db_run(db, &marked, "UPDATE srv_invite SET used = 1 WHERE "
	    "token_hash = ? AND instrument_id = ? AND used = 0 RETURNING 1",
	    "ti", hash, instrument_id) != 0)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if (marked != 1)
		return err_set(e, EXIT_DATAERR,
		    "the invitation is used already or unknown");
	return 0;
}

static int
answer_insert(struct db *db, int64_t rid, const char *question, int rating,
    const char *choice, const char *text, struct err *e)
{
	if (db_run(db, NULL, "INSERT INTO srv_answer (response_id, question, "
	    "rating, choice, text) VALUES (?, ?, ?, ?, ?)", "itItt", rid,
	    question, (int64_t)rating, choice, text) != 0)
		return err_set(e, EXIT_IOERR, "storing an answer: %s",
		    db_errmsg(db));
	return 0;
}

int
srv_response_insert(struct db *db, const struct srv_def *d,
    const struct srv_resp *r, const char *token, struct err *e)
{
	const struct srv_question *q;
	const struct srv_item	  *it;
	int32_t			   day;
	int64_t			   rid = 0;
	size_t			   i, k;
	int			   dup = 0;

	if (r->nitems != d->nq)
		return err_set(e, EXIT_SOFTWARE,
		    "the response has %zu answers for %zu questions",
		    r->nitems, d->nq);
	if (date_parse(r->day, &day) != 0)
		return err_set(e, EXIT_DATAERR, "the day '%.10s' is not a "
		    "date (YYYY-MM-DD)", r->day);
	/* The callers check these as the form or file gives them; this
	 * only keeps an unchecked one out of the table. */
	if ((r->service != NULL && strlen(r->service) > NAME_MAX_BYTES) ||
	    (r->situation != NULL && strlen(r->situation) > NAME_MAX_BYTES) ||
	    (r->paper_ref != NULL && strlen(r->paper_ref) > PAPER_REF_MAX))
		return err_set(e, EXIT_DATAERR, "the response's service, "
		    "situation or paper form number is too long");
	if (response_check(db, r, token, e) != 0)
		return -1;
	/* Only a paper form has a number to keep. */
	if (r->offline && r->paper_ref != NULL) {
		if (paper_stored(db, r, &dup, e) != 0)
			return -1;
		if (dup)
			return 1;
	}
	if (token != NULL && token_use(db, r->instrument_id, token, e) != 0)
		return -1;
	if (db_run(db, &rid, "INSERT INTO srv_response (org_id, "
	    "instrument_id, version_id, touchpoint_id, service, situation, "
	    "day, offline, paper_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
	    "RETURNING id", "iiiItttit", r->org_id, r->instrument_id,
	    r->version_id, r->touchpoint_id, r->service, r->situation, r->day,
	    (int64_t)(r->offline != 0), r->offline ? r->paper_ref : NULL) != 0 ||
	    rid == 0)
		return err_set(e, EXIT_IOERR, "storing a response: %s",
		    db_errmsg(db));
	for (i = 0; i < d->nq; i++) {
		q = &d->q[i];
		it = &r->items[i];
		switch (q->type) {
		case SRV_RATING:
			if (it->rating >= 1 && it->rating <= SRV_SCALE &&
			    answer_insert(db, rid, q->code, it->rating, NULL,
				NULL, e) != 0)
				return -1;
			break;
		case SRV_SINGLE:
		case SRV_MULTI:
			for (k = 0; k < it->nchoices; k++)
				if (answer_insert(db, rid, q->code, 0,
					it->choices[k], NULL, e) != 0)
					return -1;
			break;
		case SRV_TEXT:
			if (it->text != NULL &&
			    answer_insert(db, rid, q->code, 0, NULL, it->text,
				e) != 0)
				return -1;
			break;
		}
	}
	/* The response's counts in the rollups, in the same transaction. */
	return rollup_srv_apply(db, d, r, e);
}

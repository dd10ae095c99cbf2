/*
 * An organization's dictionaries of feedback: topics and reasons,
 * answer templates, channels, standards and working hours, each change
 * audited in its own transaction; and the classifier that suggests a
 * topic and a reason, built from the dictionary and the labelled
 * messages: for a command each time, for the server's pages once a
 * minute per organization at most (training on some thousands of texts
 * takes a noticeable part of a second, too much for every view of a
 * case).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "otklik.h"
#include "audit.h"
#include "classify.h"
#include "db.h"
#include "feedback_dict.h"
#include "registry.h"
#include "rollup.h"
#include "text.h"

/*
 * Common checks and the audit.
 */

/* Seconds of a clock that OTKLIK_NOW does not fix: cache ages. */
static int64_t
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

/* Valid UTF-8 without control characters (tab and line breaks allowed
 * where lines is set), at most max bytes. */
static int
text_ok(const char *v, size_t max, int lines, const char *name,
    struct err *e)
{
	const unsigned char *p;
	size_t		     n = strlen(v);

	if (n > max)
		return err_set(e, EXIT_DATAERR, "%s: longer than %zu bytes",
		    name, max);
	if (utf8_invalid_at(v, n) >= 0)
		return err_set(e, EXIT_DATAERR, "%s: not valid UTF-8", name);
	for (p = (const unsigned char *)v; *p != '\0'; p++) {
		if (*p >= 0x20 && *p != 0x7f)
			continue;
		if (lines && (*p == '\n' || *p == '\r' || *p == '\t'))
			continue;
		return err_set(e, EXIT_DATAERR,
		    "%s: holds a control character", name);
	}
	return 0;
}

/* Appends the audit entry of a change; json owned (decref'd) here. */
static int
audit_json(struct db *db, const char *actor, int64_t org_id,
    const char *action, const char *object, json_t *before, json_t *after,
    struct err *e)
{
	char *b = NULL, *a = NULL;
	int   r;

	if (before != NULL)
		b = json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS);
	if (after != NULL)
		a = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
	r = audit_append(db, actor, org_id, action, object, b, a, e);
	free(b);
	free(a);
	json_decref(before);
	json_decref(after);
	return r;
}

static int
db_fail(struct db *db, struct err *e)
{
	return err_set(e, EXIT_IOERR, "database: %s", db_errmsg(db));
}

/* Commits, or rolls back after r != 0; returns r (or -1). */
static int
finish(struct db *db, int r, struct err *e)
{
	if (r == 0 && db_commit(db) == 0)
		return 0;
	if (r == 0)
		db_fail(db, e);
	db_rollback(db);
	return -1;
}

static int
begin(struct db *db, struct err *e)
{
	if (db_begin(db) != 0)
		return db_fail(db, e);
	return 0;
}

/*
 * Topics and reasons.
 */

int
fb_topic_kind_valid(const char *k)
{
	return k != NULL && (strcmp(k, "topic") == 0 ||
	    strcmp(k, "reason") == 0) ? 0 : -1;
}

int
fb_topic_check(const char *title, const char *keywords, const char **field,
    struct err *e)
{
	struct classifier *c;
	int		   r;

	*field = "title";
	if (title != NULL) {
		if (str_empty(title))
			return err_set(e, EXIT_DATAERR, "title: empty");
		if (text_ok(title, FB_TITLE_MAX, 0, "title", e) != 0)
			return -1;
	}
	*field = "keywords";
	if (keywords == NULL || str_empty(keywords))
		return 0;
	if (text_ok(keywords, FB_KEYWORDS_MAX, 0, "keywords", e) != 0)
		return -1;
	/* The classifier is the judge of a pattern: a term that has no
	 * stem ("на", "+", "a||b") would never match anything. */
	c = classifier_new();
	r = classifier_add_keywords(c, "check", keywords);
	classifier_free(c);
	if (r != 0)
		return err_set(e, EXIT_DATAERR, "keywords: each alternative "
		    "between \"|\" needs words joined by \"+\", and each word "
		    "must be more than a stop word (like \"на\", \"и\")");
	*field = NULL;
	return 0;
}

void
fb_topic_clear(struct fb_topic *t)
{
	free(t->title);
	free(t->keywords);
	memset(t, 0, sizeof(*t));
}

void
fb_topics_free(struct fb_topic *v, int n)
{
	int i;

	for (i = 0; v != NULL && i < n; i++)
		fb_topic_clear(&v[i]);
	free(v);
}

static json_t *
topic_json(const struct fb_topic *t)
{
	return json_pack("{s:s, s:s, s:s, s:b}", "kind", t->kind, "title",
	    t->title, "keywords", t->keywords, "active", t->active);
}

static void
topic_row(struct db_stmt *st, struct fb_topic *t)
{
	const char *k;

	memset(t, 0, sizeof(*t));
	t->id = db_col_int(st, 0);
	k = db_col_text(st, 1);
	snprintf(t->kind, sizeof(t->kind), "%s", k != NULL ? k : "");
	t->title = db_col_dup(st, 2);
	t->keywords = db_col_dup(st, 3);
	t->active = (int)db_col_int(st, 4);
}

#define TOPIC_COLS "id, kind, title, keywords, active"

int
fb_topic_get(struct db *db, int64_t org_id, int64_t id, struct fb_topic *t,
    struct err *e)
{
	struct db_stmt *st;
	int		rc;

	st = db_prepare(db, "SELECT " TOPIC_COLS " FROM fb_topic "
	    "WHERE org_id = ? AND id = ?", "ii", org_id, id);
	if (st == NULL)
		return db_fail(db, e);
	rc = db_step(st);
	if (rc == DB_ROW)
		topic_row(st, t);
	db_finalize(st);
	if (rc == DB_FAIL)
		return db_fail(db, e);
	if (rc != DB_ROW)
		return err_set(e, EXIT_NOINPUT, "no topic or reason %lld",
		    (long long)id);
	return 0;
}

int
fb_topic_list(struct db *db, int64_t org_id, const char *kind,
    int active_only, struct fb_topic **out, struct err *e)
{
	struct db_stmt	*st;
	struct fb_topic *v;
	int		 n = 0, rc;

	*out = NULL;
	st = db_prepare(db, "SELECT " TOPIC_COLS " FROM fb_topic "
	    "WHERE org_id = ? AND (? IS NULL OR kind = ?) AND "
	    "(? = 0 OR active = 1) ORDER BY kind DESC, title LIMIT ?",
	    "ittii", org_id, kind, kind, (int64_t)active_only,
	    (int64_t)FB_DICT_ROWS_MAX);
	if (st == NULL)
		return db_fail(db, e);
	v = xcalloc(FB_DICT_ROWS_MAX, sizeof(*v));
	while ((rc = db_step(st)) == DB_ROW)
		topic_row(st, &v[n++]);
	db_finalize(st);
	if (rc == DB_FAIL) {
		fb_topics_free(v, n);
		return db_fail(db, e);
	}
	*out = v;
	return n;
}

int
fb_topic_find(struct db *db, int64_t org_id, const char *kind,
    const char *s, int64_t *id, struct err *e)
{
	struct fb_topic *v;
	char		*want, *have, *end;
	long long	 num;
	int		 n, i, found = -1;

	num = strtoll(s, &end, 10);
	n = fb_topic_list(db, org_id, kind, 0, &v, e);
	if (n < 0)
		return -1;
	want = utf8_fold(s);
	for (i = 0; i < n && found < 0; i++) {
		if (*s != '\0' && *end == '\0' && v[i].id == num) {
			found = i;
			break;
		}
		have = utf8_fold(v[i].title);
		if (strcmp(have, want) == 0)
			found = i;
		free(have);
	}
	free(want);
	if (found >= 0)
		*id = v[found].id;
	fb_topics_free(v, n);
	if (found < 0)
		return err_set(e, EXIT_NOINPUT, "no %s '%s'",
		    kind != NULL ? kind : "topic or reason", s);
	return 0;
}

int
fb_topic_add(struct db *db, const char *actor, int64_t org_id,
    const char *kind, const char *title, const char *keywords, int64_t *id,
    struct err *e)
{
	struct fb_topic t;
	const char     *field;
	char	       *tt, *kw;
	int		r;

	if (fb_topic_kind_valid(kind) != 0)
		return err_set(e, EXIT_USAGE, "kind: topic or reason");
	if (title == NULL || fb_topic_check(title, keywords, &field, e) != 0)
		return title == NULL ? err_set(e, EXIT_DATAERR, "title: empty")
				     : -1;
	if (fb_topic_find(db, org_id, kind, title, id, e) == 0)
		return err_set(e, EXIT_DATAERR, "title: a %s '%s' exists "
		    "already (%lld)", kind, title, (long long)*id);
	if (e->code != EXIT_NOINPUT)
		return -1;
	err_clear(e);
	if (begin(db, e) != 0)
		return -1;
	tt = str_squeeze(title);
	kw = str_squeeze(keywords != NULL ? keywords : "");
	r = db_run(db, id, "INSERT INTO fb_topic (org_id, kind, title, "
	    "keywords) VALUES (?, ?, ?, ?) RETURNING id", "ittt", org_id,
	    kind, tt, kw);
	if (r != 0)
		db_fail(db, e);
	else {
		memset(&t, 0, sizeof(t));
		snprintf(t.kind, sizeof(t.kind), "%s", kind);
		t.title = tt;
		t.keywords = kw;
		t.active = 1;
		r = audit_json(db, actor, org_id, "fb_topic.add",
		    "fb_topic", NULL, topic_json(&t), e);
	}
	free(tt);
	free(kw);
	if (finish(db, r, e) != 0)
		return -1;
	/* The next suggestions use the changed keywords. */
	fb_classifier_forget(org_id);
	return 0;
}

int
fb_topic_update(struct db *db, const char *actor, int64_t org_id,
    int64_t id, const char *title, const char *keywords, int active,
    struct err *e)
{
	struct fb_topic t;
	const char     *field;
	json_t	       *before;
	int64_t		other;
	int		r;

	if (fb_topic_check(title, keywords, &field, e) != 0)
		return -1;
	if (begin(db, e) != 0)
		return -1;
	if (fb_topic_get(db, org_id, id, &t, e) != 0)
		return finish(db, -1, e);
	if (title != NULL && fb_topic_find(db, org_id, t.kind, title, &other,
	    e) == 0 && other != id) {
		fb_topic_clear(&t);
		err_set(e, EXIT_DATAERR, "title: another %s is called so "
		    "(%lld)", t.kind, (long long)other);
		return finish(db, -1, e);
	}
	err_clear(e);
	before = topic_json(&t);
	if (title != NULL) {
		free(t.title);
		t.title = str_squeeze(title);
	}
	if (keywords != NULL) {
		free(t.keywords);
		t.keywords = str_squeeze(keywords);
	}
	if (active >= 0)
		t.active = active != 0;
	r = db_run(db, NULL, "UPDATE fb_topic SET title = ?, keywords = ?, "
	    "active = ? WHERE org_id = ? AND id = ?", "ttiii", t.title,
	    t.keywords, (int64_t)t.active, org_id, id);
	if (r != 0) {
		json_decref(before);
		db_fail(db, e);
	} else
		r = audit_json(db, actor, org_id, "fb_topic.edit", "fb_topic",
		    before, topic_json(&t), e);
	fb_topic_clear(&t);
	if (finish(db, r, e) != 0)
		return -1;
	/* The next suggestions use the changed keywords. */
	fb_classifier_forget(org_id);
	return 0;
}

/*
 * Answer templates.
 */

int
fb_template_check(const char *title, const char *body, const char **field,
    struct err *e)
{
	*field = "title";
	if (title != NULL) {
		if (str_empty(title))
			return err_set(e, EXIT_DATAERR, "title: empty");
		if (text_ok(title, FB_TITLE_MAX, 0, "title", e) != 0)
			return -1;
	}
	*field = "body";
	if (body != NULL) {
		if (str_empty(body))
			return err_set(e, EXIT_DATAERR, "body: empty");
		if (text_ok(body, FB_TEMPLATE_MAX, 1, "body", e) != 0)
			return -1;
	}
	*field = NULL;
	return 0;
}

void
fb_template_clear(struct fb_template *t)
{
	free(t->title);
	free(t->body);
	free(t->topic);
	free(t->updated_by);
	memset(t, 0, sizeof(*t));
}

void
fb_templates_free(struct fb_template *v, int n)
{
	int i;

	for (i = 0; v != NULL && i < n; i++)
		fb_template_clear(&v[i]);
	free(v);
}

#define TEMPLATE_COLS "t.id, t.title, t.body, t.topic_id, p.title, " \
	"t.active, t.uses, t.updated_at, t.updated_by"
#define TEMPLATE_FROM " FROM fb_template t LEFT JOIN fb_topic p ON " \
	"p.id = t.topic_id "

static void
template_row(struct db_stmt *st, struct fb_template *t)
{
	memset(t, 0, sizeof(*t));
	t->id = db_col_int(st, 0);
	t->title = db_col_dup(st, 1);
	t->body = db_col_dup(st, 2);
	t->topic_id = db_col_null(st, 3) ? 0 : db_col_int(st, 3);
	t->topic = db_col_null(st, 4) ? NULL : db_col_dup(st, 4);
	t->active = (int)db_col_int(st, 5);
	t->uses = (int)db_col_int(st, 6);
	t->updated_at = db_col_int(st, 7);
	t->updated_by = db_col_dup(st, 8);
}

static json_t *
template_json(const struct fb_template *t)
{
	return json_pack("{s:s, s:s, s:I, s:b}", "title", t->title, "body",
	    t->body, "topic_id", (json_int_t)t->topic_id, "active", t->active);
}

/* The topic must be one of this organization's (topics, not reasons). */
static int
topic_owned(struct db *db, int64_t org_id, int64_t topic_id, struct err *e)
{
	struct fb_topic t;

	if (topic_id == 0)
		return 0;
	if (fb_topic_get(db, org_id, topic_id, &t, e) != 0)
		return err_set(e, EXIT_DATAERR, "topic: no topic %lld here",
		    (long long)topic_id);
	fb_topic_clear(&t);
	return 0;
}

int
fb_template_get(struct db *db, int64_t org_id, int64_t id,
    struct fb_template *t, struct err *e)
{
	struct db_stmt *st;
	int		rc;

	st = db_prepare(db, "SELECT " TEMPLATE_COLS TEMPLATE_FROM
	    "WHERE t.org_id = ? AND t.id = ?", "ii", org_id, id);
	if (st == NULL)
		return db_fail(db, e);
	rc = db_step(st);
	if (rc == DB_ROW)
		template_row(st, t);
	db_finalize(st);
	if (rc == DB_FAIL)
		return db_fail(db, e);
	if (rc != DB_ROW)
		return err_set(e, EXIT_NOINPUT, "no template %lld",
		    (long long)id);
	return 0;
}

int
fb_template_add(struct db *db, const char *actor, int64_t org_id,
    const char *title, const char *body, int64_t topic_id, int64_t *id,
    struct err *e)
{
	struct fb_template t;
	const char	  *field;
	int		   r;

	if (title == NULL || body == NULL)
		return err_set(e, EXIT_DATAERR, "%s: empty",
		    title == NULL ? "title" : "body");
	if (fb_template_check(title, body, &field, e) != 0 ||
	    topic_owned(db, org_id, topic_id, e) != 0)
		return -1;
	if (begin(db, e) != 0)
		return -1;
	memset(&t, 0, sizeof(t));
	t.title = str_squeeze(title);
	t.body = str_squeeze_lines(body);
	t.topic_id = topic_id;
	t.active = 1;
	r = db_run(db, id, "INSERT INTO fb_template (org_id, title, body, "
	    "topic_id, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?) "
	    "RETURNING id", "ittIit", org_id, t.title, t.body, topic_id,
	    clock_now(), actor);
	if (r != 0)
		db_fail(db, e);
	else
		r = audit_json(db, actor, org_id, "fb_template.add",
		    "fb_template", NULL, template_json(&t), e);
	fb_template_clear(&t);
	return finish(db, r, e);
}

int
fb_template_update(struct db *db, const char *actor, int64_t org_id,
    int64_t id, const char *title, const char *body, int64_t topic_id,
    int active, struct err *e)
{
	struct fb_template t;
	const char	  *field;
	json_t		  *before;
	int		   r;

	if (fb_template_check(title, body, &field, e) != 0 ||
	    (topic_id > 0 && topic_owned(db, org_id, topic_id, e) != 0))
		return -1;
	if (begin(db, e) != 0)
		return -1;
	if (fb_template_get(db, org_id, id, &t, e) != 0)
		return finish(db, -1, e);
	before = template_json(&t);
	if (title != NULL) {
		free(t.title);
		t.title = str_squeeze(title);
	}
	if (body != NULL) {
		free(t.body);
		t.body = str_squeeze_lines(body);
	}
	if (topic_id >= 0)
		t.topic_id = topic_id;
	if (active >= 0)
		t.active = active != 0;
	r = db_run(db, NULL, "UPDATE fb_template SET title = ?, body = ?, "
	    "topic_id = ?, active = ?, updated_at = ?, updated_by = ? "
	    "WHERE org_id = ? AND id = ?", "ttIiitii", t.title, t.body,
	    t.topic_id, (int64_t)t.active, clock_now(), actor, org_id, id);
	if (r != 0) {
		json_decref(before);
		db_fail(db, e);
	} else
		r = audit_json(db, actor, org_id, "fb_template.edit",
		    "fb_template", before, template_json(&t), e);
	fb_template_clear(&t);
	return finish(db, r, e);
}

/* The stems of a text, as a list to search in. */
struct stems {
	char  **v;
	size_t	n, cap;
};

static void
stem_add(const char *s, size_t len, void *arg)
{
	struct stems *st = arg;

	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 16;
		st->v = xreallocarray(st->v, st->cap, sizeof(*st->v));
	}
	st->v[st->n++] = xstrndup(s, len);
}

static void
stems_free(struct stems *st)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		free(st->v[i]);
	free(st->v);
	memset(st, 0, sizeof(*st));
}

/* Does every query stem begin some stem of the template?  A query word
 * typed in part ("запи") then still finds "записаться". */
static int
template_matches(const struct stems *q, const struct fb_template *t)
{
	struct stems have = {0};
	size_t	     i, j;
	int	     all = 1;

	text_stems(t->title, stem_add, &have);
	text_stems(t->body, stem_add, &have);
	for (i = 0; i < q->n && all; i++) {
		for (j = 0; j < have.n; j++)
			if (strncmp(have.v[j], q->v[i], strlen(q->v[i])) == 0)
				break;
		all = j < have.n;
	}
	stems_free(&have);
	return all;
}

int
fb_template_list(struct db *db, int64_t org_id, const char *q,
    int active_only, int64_t topic_id, struct fb_template **out,
    struct err *e)
{
	struct db_stmt	   *st;
	struct fb_template *v;
	struct stems	    qs = {0};
	int		    n = 0, rc;

	*out = NULL;
	if (q != NULL && !str_empty(q) && text_stems(q, stem_add, &qs) == 0)
		return 0;	/* only stop words: nothing can match */
	st = db_prepare(db, "SELECT " TEMPLATE_COLS TEMPLATE_FROM
	    "WHERE t.org_id = ? AND (? = 0 OR t.active = 1) "
	    "ORDER BY t.topic_id = ? DESC, t.title LIMIT ?", "iiIi",
	    org_id, (int64_t)active_only, topic_id,
	    (int64_t)FB_DICT_ROWS_MAX);
	if (st == NULL) {
		stems_free(&qs);
		return db_fail(db, e);
	}
	v = xcalloc(FB_DICT_ROWS_MAX, sizeof(*v));
	while ((rc = db_step(st)) == DB_ROW) {
		template_row(st, &v[n]);
		if (qs.n > 0 && !template_matches(&qs, &v[n]))
			fb_template_clear(&v[n]);
		else
			n++;
	}
	db_finalize(st);
	stems_free(&qs);
	if (rc == DB_FAIL) {
		fb_templates_free(v, n);
		return db_fail(db, e);
	}
	*out = v;
	return n;
}

/*
 * Channels.
 */

static void
channel_default(int i, struct fb_channel_conf *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->channel, sizeof(c->channel), "%s", channels[i].code);
	c->enabled = 1;
	c->online = channels[i].kind == KIND_DIGITAL;
	snprintf(c->client, sizeof(c->client), "both");
}

int
fb_channel_list(struct db *db, int64_t org_id, struct fb_channel_conf **out,
    struct err *e)
{
	struct fb_channel_conf *v;
	struct db_stmt	       *st;
	const char	       *cl;
	int			i, rc;

	v = xcalloc(CH__COUNT, sizeof(*v));
	for (i = 0; i < CH__COUNT; i++)
		channel_default(i, &v[i]);
	st = db_prepare(db, "SELECT channel, enabled, online, client, "
	    "touchpoint_id FROM fb_channel WHERE org_id = ?", "i", org_id);
	if (st == NULL) {
		free(v);
		return db_fail(db, e);
	}
	while ((rc = db_step(st)) == DB_ROW) {
		if ((i = channel_from_code(db_col_text(st, 0))) < 0)
			continue;	/* a code this build does not know */
		v[i].enabled = (int)db_col_int(st, 1);
		v[i].online = (int)db_col_int(st, 2);
		cl = db_col_text(st, 3);
		snprintf(v[i].client, sizeof(v[i].client), "%s",
		    cl != NULL ? cl : "both");
		v[i].touchpoint_id = db_col_null(st, 4) ? 0
		    : db_col_int(st, 4);
		v[i].stored = 1;
	}
	db_finalize(st);
	if (rc == DB_FAIL) {
		free(v);
		return db_fail(db, e);
	}
	*out = v;
	return CH__COUNT;
}

int
fb_channel_set(struct db *db, const char *actor, int64_t org_id,
    const struct fb_channel_conf *c, struct err *e)
{
	json_t *after;
	int	r;

	if (channel_from_code(c->channel) < 0)
		return err_set(e, EXIT_DATAERR, "channel: '%s' is not a "
		    "channel type", c->channel);
	if (strcmp(c->client, "external") != 0 &&
	    strcmp(c->client, "internal") != 0 &&
	    strcmp(c->client, "both") != 0)
		return err_set(e, EXIT_DATAERR,
		    "client: one of external, internal, both");
	if (begin(db, e) != 0)
		return -1;
	r = db_run(db, NULL, "DELETE FROM fb_channel WHERE org_id = ? AND "
	    "channel = ?", "it", org_id, c->channel);
	if (r == 0)
		r = db_run(db, NULL, "INSERT INTO fb_channel (org_id, channel, "
		    "enabled, online, client, touchpoint_id) VALUES (?, ?, ?, "
		    "?, ?, ?)", "itiitI", org_id, c->channel,
		    (int64_t)(c->enabled != 0), (int64_t)(c->online != 0),
		    c->client, c->touchpoint_id);
	if (r != 0)
		return finish(db, db_fail(db, e), e);
	after = json_pack("{s:s, s:b, s:b, s:s}", "channel", c->channel,
	    "enabled", c->enabled, "online", c->online, "client", c->client);
	r = audit_json(db, actor, org_id, "fb_channel.set", "fb_channel",
	    NULL, after, e);
	return finish(db, r, e);
}

/*
 * Standards and working hours.
 */

int
fb_standard_list(struct db *db, int64_t org_id,
    struct std_conf std[STD__COUNT], int stored[STD__COUNT], struct err *e)
{
	struct db_stmt *st;
	int		i, u, rc;

	for (i = 0; i < STD__COUNT; i++) {
		std_conf_default(i, &std[i]);
		stored[i] = 0;
	}
	st = db_prepare(db, "SELECT code, amount, unit, working, enabled "
	    "FROM fb_standard WHERE org_id = ?", "i", org_id);
	if (st == NULL)
		return db_fail(db, e);
	while ((rc = db_step(st)) == DB_ROW) {
		i = std_from_code(db_col_text(st, 0));
		u = std_unit_from_code(db_col_text(st, 2));
		if (i < 0 || u < 0)
			continue;	/* unknown to this build: default */
		std[i].amount = (int)db_col_int(st, 1);
		std[i].unit = u;
		std[i].working = (int)db_col_int(st, 3);
		std[i].enabled = (int)db_col_int(st, 4);
		stored[i] = 1;
	}
	db_finalize(st);
	return rc == DB_FAIL ? db_fail(db, e) : 0;
}

static json_t *
std_json(enum std_code c, const struct std_conf *s)
{
	return json_pack("{s:s, s:i, s:s, s:b, s:b}", "code", std_defs[c].code,
	    "amount", s->amount, "unit", std_unit_code(s->unit), "working",
	    s->working, "enabled", s->enabled);
}

/*
 * The rollups judged every message against the standards and hours as
 * they were; a message taken out later would be judged by the new ones
 * and leave counts that never were.  So a change of either rebuilds the
 * organization's rollups from the messages (rollup.h), after the change
 * has committed: if that fails, the change stands and the error says to
 * run the rebuild by hand.
 */
static int
rejudge(struct db *db, int64_t org_id, struct err *e)
{
	char why[sizeof(e->msg)];

	if (rollup_rebuild(db, org_id, NULL, NULL, NULL, e) == 0)
		return 0;
	snprintf(why, sizeof(why), "%s", e->msg);
	return err_set(e, e->code, "the setting is saved, but the reports' "
	    "figures are not rebuilt (%.500s); run 'otklik rollup rebuild'",
	    why);
}

int
fb_standard_set(struct db *db, const char *actor, int64_t org_id,
    enum std_code c, const struct std_conf *s, struct err *e)
{
	struct std_conf all[STD__COUNT];
	int		stored[STD__COUNT], r;
	char		why[256];

	if ((unsigned)c >= STD__COUNT)
		return err_set(e, EXIT_DATAERR, "standard: unknown");
	if (std_conf_check(c, s, why, sizeof(why)) != 0)
		return err_set(e, EXIT_DATAERR, "%s: %s", std_defs[c].code,
		    why);
	if (begin(db, e) != 0)
		return -1;
	if (fb_standard_list(db, org_id, all, stored, e) != 0)
		return finish(db, -1, e);
	r = db_run(db, NULL, "DELETE FROM fb_standard WHERE org_id = ? AND "
	    "code = ?", "it", org_id, std_defs[c].code);
	if (r == 0)
		r = db_run(db, NULL, "INSERT INTO fb_standard (org_id, code, "
		    "amount, unit, working, enabled) VALUES (?, ?, ?, ?, ?, ?)",
		    "ititii", org_id, std_defs[c].code, (int64_t)s->amount,
		    std_unit_code(s->unit), (int64_t)(s->working != 0),
		    (int64_t)(s->enabled != 0));
	if (r != 0)
		return finish(db, db_fail(db, e), e);
	if (finish(db, audit_json(db, actor, org_id, "fb_standard.set",
	    "fb_standard", std_json(c, &all[c]), std_json(c, s), e), e) != 0)
		return -1;
	return rejudge(db, org_id, e);
}

int
fb_hours_get(struct db *db, int64_t org_id, struct work_hours *h,
    struct err *e)
{
	struct db_stmt *st;
	int		rc;

	h->start = 540;
	h->end = 1080;
	st = db_prepare(db, "SELECT work_start, work_end FROM fb_hours "
	    "WHERE org_id = ?", "i", org_id);
	if (st == NULL)
		return db_fail(db, e);
	if ((rc = db_step(st)) == DB_ROW) {
		h->start = (int)db_col_int(st, 0);
		h->end = (int)db_col_int(st, 1);
	}
	db_finalize(st);
	return rc == DB_FAIL ? db_fail(db, e) : 0;
}

int
fb_hours_set(struct db *db, const char *actor, int64_t org_id,
    const struct work_hours *h, struct err *e)
{
	struct work_hours old;
	char		  why[256];
	int		  r;

	if (work_hours_check(h, why, sizeof(why)) != 0)
		return err_set(e, EXIT_DATAERR, "hours: %s", why);
	if (begin(db, e) != 0)
		return -1;
	if (fb_hours_get(db, org_id, &old, e) != 0)
		return finish(db, -1, e);
	r = db_run(db, NULL, "DELETE FROM fb_hours WHERE org_id = ?", "i",
	    org_id);
	if (r == 0)
		r = db_run(db, NULL, "INSERT INTO fb_hours (org_id, work_start, "
		    "work_end) VALUES (?, ?, ?)", "iii", org_id,
		    (int64_t)h->start, (int64_t)h->end);
	if (r != 0)
		return finish(db, db_fail(db, e), e);
	if (finish(db, audit_json(db, actor, org_id, "fb_hours.set",
	    "fb_hours", json_pack("{s:i, s:i}", "start", old.start, "end",
	    old.end), json_pack("{s:i, s:i}", "start", h->start, "end",
	    h->end), e), e) != 0)
		return -1;
	return rejudge(db, org_id, e);
}

int
fb_hours_parse(const char *s)
{
	int h, m;

	if (s == NULL || strlen(s) != 5 || s[2] != ':' ||
	    s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' ||
	    s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

/*
 * The classifier of an organization.
 */

enum { K_TOPIC, K_REASON, K__COUNT };

/*
 * A classifier keeps the labelled texts it learned from, so that its
 * accuracy can be measured once (on the topics page) rather than on every
 * view.  Shared ones live in a small cache per organization, counted by
 * references: a rebuild replaces the cache's entry while pages still use
 * the old one.
 */
struct fb_classifier {
	struct classifier *cls[K__COUNT];
	struct fb_topic	  *rows;
	int		   nrows;
	int		   examples[K__COUNT];
	char		 **labels[K__COUNT], **texts[K__COUNT];
	int64_t		   org_id;
	int64_t		   built;	/* monotonic seconds */
	int		   refs;	/* under cache_lock */
	pthread_mutex_t	   lock;	/* for the accuracy below */
	int		   measured[K__COUNT];	/* 0 not yet, 1, -1 too few */
	struct cls_eval	   eval[K__COUNT];
};

#define CACHE_SLOTS 64
static pthread_mutex_t	     cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct fb_classifier *cache[CACHE_SLOTS];

static int
kind_index(const char *kind)
{
	return kind != NULL && strcmp(kind, "reason") == 0 ? K_REASON
							   : K_TOPIC;
}

static void
strings_free(char **v, int n)
{
	int i;

	for (i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

/* The labelled messages of a kind: labels (titles) and texts, newest
 * first; returns the count or -1.  Only active rows label. */
static int
labelled_load(struct db *db, int64_t org_id, int k, char ***labels,
    char ***texts, struct err *e)
{
	struct db_stmt *st;
	struct buf	b;
	int		n = 0, rc;

	st = db_prepare(db, k == K_REASON
	    ? "SELECT t.title, m.subject, m.text FROM fb_message m JOIN "
	      "fb_topic t ON t.id = m.reason_id WHERE m.org_id = ? AND "
	      "t.active = 1 ORDER BY m.id DESC LIMIT ?"
	    : "SELECT t.title, m.subject, m.text FROM fb_message m JOIN "
	      "fb_topic t ON t.id = m.topic_id WHERE m.org_id = ? AND "
	      "t.active = 1 ORDER BY m.id DESC LIMIT ?",
	    "ii", org_id, (int64_t)FB_EXAMPLES_MAX);
	if (st == NULL)
		return db_fail(db, e);
	*labels = xcalloc(FB_EXAMPLES_MAX, sizeof(char *));
	*texts = xcalloc(FB_EXAMPLES_MAX, sizeof(char *));
	while ((rc = db_step(st)) == DB_ROW) {
		buf_init(&b, TEXT_MAX + FB_TITLE_MAX * 4);
		if (!db_col_null(st, 1)) {
			buf_puts(&b, db_col_text(st, 1));
			buf_putc(&b, '\n');
		}
		buf_puts(&b, db_col_text(st, 2) != NULL ? db_col_text(st, 2)
							: "");
		(*labels)[n] = db_col_dup(st, 0);
		(*texts)[n++] = buf_detach(&b);
	}
	db_finalize(st);
	if (rc == DB_FAIL) {
		strings_free(*labels, n);
		strings_free(*texts, n);
		*labels = *texts = NULL;
		return db_fail(db, e);
	}
	return n;
}

struct fb_classifier *
fb_classifier_load(struct db *db, int64_t org_id, struct err *e)
{
	struct fb_classifier *fc;
	char		    **labels = NULL, **texts = NULL;
	int		      k, i, n;

	fc = xcalloc(1, sizeof(*fc));
	fc->refs = 1;
	fc->org_id = org_id;
	fc->built = mono_now();
	pthread_mutex_init(&fc->lock, NULL);
	for (k = 0; k < K__COUNT; k++)
		fc->cls[k] = classifier_new();
	fc->nrows = fb_topic_list(db, org_id, NULL, 1, &fc->rows, e);
	if (fc->nrows < 0)
		goto fail;
	for (i = 0; i < fc->nrows; i++)
		if (fc->rows[i].keywords[0] != '\0')
			/* A pattern the check let in earlier and a newer
			 * stemmer refuses only loses its keywords. */
			(void)classifier_add_keywords(
			    fc->cls[kind_index(fc->rows[i].kind)],
			    fc->rows[i].title, fc->rows[i].keywords);
	for (k = 0; k < K__COUNT; k++) {
		n = labelled_load(db, org_id, k, &labels, &texts, e);
		if (n < 0)
			goto fail;
		for (i = 0; i < n; i++)
			classifier_add_example(fc->cls[k], labels[i], texts[i]);
		fc->examples[k] = n;
		fc->labels[k] = labels;
		fc->texts[k] = texts;
		labels = texts = NULL;
		classifier_train(fc->cls[k]);
	}
	return fc;
fail:
	free(labels);
	free(texts);
	fb_classifier_free(fc);
	return NULL;
}

static void
classifier_destroy(struct fb_classifier *fc)
{
	int k;

	for (k = 0; k < K__COUNT; k++) {
		classifier_free(fc->cls[k]);
		strings_free(fc->labels[k], fc->examples[k]);
		strings_free(fc->texts[k], fc->examples[k]);
	}
	fb_topics_free(fc->rows, fc->nrows);
	pthread_mutex_destroy(&fc->lock);
	free(fc);
}

void
fb_classifier_free(struct fb_classifier *fc)
{
	int last;

	if (fc == NULL)
		return;
	pthread_mutex_lock(&cache_lock);
	last = --fc->refs == 0;
	pthread_mutex_unlock(&cache_lock);
	if (last)
		classifier_destroy(fc);
}

/* Empties slot i, under cache_lock; returns the classifier if that was
 * its last reference, for the caller to destroy once unlocked. */
static struct fb_classifier *
slot_take(int i)
{
	struct fb_classifier *fc = cache[i];

	cache[i] = NULL;
	return fc != NULL && --fc->refs == 0 ? fc : NULL;
}

struct fb_classifier *
fb_classifier_shared(struct db *db, int64_t org_id, struct err *e)
{
	struct fb_classifier *fc = NULL, *old;
	int64_t		      now = mono_now();
	int		      i, slot = -1;

	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < CACHE_SLOTS; i++)
		if (cache[i] != NULL && cache[i]->org_id == org_id &&
		    now - cache[i]->built < FB_CLASSIFIER_TTL) {
			fc = cache[i];
			fc->refs++;
			break;
		}
	pthread_mutex_unlock(&cache_lock);
	if (fc != NULL)
		return fc;
	/* Built outside the lock: other organizations need not wait. */
	if ((fc = fb_classifier_load(db, org_id, e)) == NULL)
		return NULL;
	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < CACHE_SLOTS && slot < 0; i++)
		if (cache[i] != NULL && cache[i]->org_id == org_id)
			slot = i;
	for (i = 0; i < CACHE_SLOTS && slot < 0; i++)
		if (cache[i] == NULL)
			slot = i;
	if (slot < 0)
		slot = (int)(org_id % CACHE_SLOTS);	/* full: evict one */
	old = slot_take(slot);
	cache[slot] = fc;
	fc->refs++;
	pthread_mutex_unlock(&cache_lock);
	if (old != NULL)
		classifier_destroy(old);
	return fc;
}

void
fb_classifier_forget(int64_t org_id)
{
	struct fb_classifier *gone[CACHE_SLOTS];
	int		      i, n = 0;

	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < CACHE_SLOTS; i++)
		if (cache[i] != NULL && cache[i]->org_id == org_id &&
		    (gone[n] = slot_take(i)) != NULL)
			n++;
	pthread_mutex_unlock(&cache_lock);
	for (i = 0; i < n; i++)
		classifier_destroy(gone[i]);
}

int
fb_classifier_accuracy(struct fb_classifier *fc, const char *kind, int k,
    struct cls_eval *ev)
{
	int i = kind_index(kind);

	pthread_mutex_lock(&fc->lock);
	if (fc->measured[i] == 0)
		fc->measured[i] = classifier_evaluate(
		    (const char **)fc->labels[i], (const char **)fc->texts[i],
		    fc->examples[i], k, &fc->eval[i], NULL) == 0 ? 1 : -1;
	*ev = fc->eval[i];
	pthread_mutex_unlock(&fc->lock);
	return fc->measured[i] == 1 ? 0 : -1;
}

int
fb_classifier_examples(const struct fb_classifier *fc, const char *kind)
{
	return fc != NULL ? fc->examples[kind_index(kind)] : 0;
}

int
fb_classifier_suggest(const struct fb_classifier *fc, const char *kind,
    const char *text, struct fb_suggestion *out, int n)
{
	struct suggestion s[16];
	int		  k = kind_index(kind), got, i, j, m = 0;

	if (fc == NULL || text == NULL || n <= 0)
		return 0;
	got = classifier_suggest(fc->cls[k], text, s,
	    n < (int)nitems(s) ? n : (int)nitems(s));
	for (i = 0; i < got; i++) {
		for (j = 0; j < fc->nrows; j++)
			if (kind_index(fc->rows[j].kind) == k &&
			    strcmp(fc->rows[j].title, s[i].label) == 0)
				break;
		if (j == fc->nrows)
			continue;
		out[m].id = fc->rows[j].id;
		out[m].title = fc->rows[j].title;
		out[m].confidence = s[i].confidence;
		out[m].why = s[i].why;
		m++;
	}
	return m;
}

int
fb_classifier_evaluate(struct db *db, int64_t org_id, const char *kind,
    int k, struct cls_eval *ev, struct buf *report, struct err *e)
{
	char **labels, **texts;
	int    n, r;

	n = labelled_load(db, org_id, kind_index(kind), &labels, &texts, e);
	if (n < 0)
		return -1;
	r = classifier_evaluate((const char **)labels, (const char **)texts,
	    n, k, ev, report);
	strings_free(labels, n);
	strings_free(texts, n);
	if (r != 0)
		return err_set(e, EXIT_NOINPUT, "too few labelled messages "
		    "to hold any out (%d)", n);
	return 0;
}

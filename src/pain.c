/*
 * The pain map of R-AN-4 (pain.h): problems measured from the rollups
 * an_tp and an_srv over a period, merged with what people decided
 * about them (an_pain), ranked by the score of pain.h; the edits of
 * those decisions and the working group's confirmation, audited.
 *
 * One signal counts in one problem only: a message classified by a
 * reason belongs to the reason's problem (ref = the reason's fb_topic
 * id), one with a topic and no reason to the topic's; a message with
 * neither is no problem yet (classify it).  A low rating belongs to the
 * problem of its question at its touchpoint.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "otklik.h"
#include "audit.h"
#include "db.h"
#include "pain.h"
#include "report.h"
#include "survey.h"

#define PAIN_REF_MAX	  100	  /* bytes of a ref */
#define PAIN_MINUTES_MAX  500	  /* bytes of the minutes' reference */
#define PAIN_PERIOD_MAX	  31	  /* bytes of a period's name */
#define PAIN_PROBLEMS_MAX 1000000 /* problems in one map */
#define PAIN_DECISIONS_MAX 10000  /* decisions listed */
#define PAIN_RANKING_MAX  ((size_t)64 << 20)

static const char *const pain_states[] = {
	"open", "planned", "in_work", "done", "rejected", NULL
};
static const char *const pain_sources[] = {"topic", "rating", "manual", NULL};

static int
one_of(const char *v, const char *const *set)
{
	for (; *set != NULL; set++)
		if (strcmp(v, *set) == 0)
			return 1;
	return 0;
}

static int
db_fail(struct db *db, struct err *e)
{
	return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
}

/* A text field: at most max bytes of UTF-8, no control characters but
 * line breaks and tabs where lines are allowed. */
static int
check_text(const char *name, const char *v, size_t max, int lines,
    struct err *e)
{
	const unsigned char *p;
	size_t		     n;

	if (v == NULL)
		return 0;
	n = strlen(v);
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

static int
check_client(const char *client, struct err *e)
{
	if (client == NULL || (strcmp(client, "external") != 0 &&
	    strcmp(client, "internal") != 0))
		return err_set(e, EXIT_DATAERR, "client: '%s' is not external "
		    "or internal", client != NULL ? client : "");
	return 0;
}

/* ---- the map ---- */

struct plist {
	struct pain *v;
	size_t	     n, cap;
};

static struct pain *
plist_add(struct plist *l, const char *client)
{
	struct pain *p;

	if (l->n >= PAIN_PROBLEMS_MAX)
		return NULL;
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 32 : l->cap * 2;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	p = &l->v[l->n++];
	memset(p, 0, sizeof(*p));
	snprintf(p->client, sizeof(p->client), "%s", client);
	snprintf(p->state, sizeof(p->state), "open");
	return p;
}

/* A sorted (id, count) or (id, name) table for look-ups. */
struct idval {
	int64_t id;
	int64_t n;
	char   *name;
};

static int
idval_cmp(const void *a, const void *b)
{
	const struct idval *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static struct idval *
idval_find(struct idval *v, size_t n, int64_t id)
{
	struct idval k = {.id = id};

	if (n == 0)
		return NULL;
	return bsearch(&k, v, n, sizeof(*v), idval_cmp);
}

static void
idval_free(struct idval *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* Rows of (id, text) from a query, sorted by id. */
static int
idname_load(struct db *db, struct db_stmt *s, struct idval **out, size_t *np,
    struct err *e)
{
	struct idval *v = NULL;
	size_t	      n = 0, cap = 0;
	int	      step;

	*out = NULL;
	*np = 0;
	if (s == NULL)
		return db_fail(db, e);
	while ((step = db_step(s)) == DB_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 32 : cap * 2;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n].id = db_col_int(s, 0);
		v[n].n = 0;
		v[n].name = db_col_dup(s, 1);
		n++;
	}
	db_finalize(s);
	if (step == DB_FAIL) {
		idval_free(v, n);
		return db_fail(db, e);
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), idval_cmp);
	*out = v;
	*np = n;
	return 0;
}

/*
 * Refs in a total order: numbers by value (topic 2 before topic 10) and
 * before other refs, which go by bytes.
 */
static int
ref_cmp(const char *a, const char *b)
{
	char	 *ea, *eb;
	long long x, y;
	int	  na, nb;

	x = strtoll(a, &ea, 10);
	y = strtoll(b, &eb, 10);
	na = *a != '\0' && *ea == '\0';
	nb = *b != '\0' && *eb == '\0';
	if (na != nb)
		return na ? -1 : 1;
	if (na && x != y)
		return x < y ? -1 : 1;
	return strcmp(a, b);
}

static int
key_cmp(const struct pain *a, const struct pain *b)
{
	int c;

	if (a->touchpoint_id != b->touchpoint_id)
		return a->touchpoint_id < b->touchpoint_id ? -1 : 1;
	if ((c = strcmp(a->source, b->source)) != 0)
		return c;
	return ref_cmp(a->ref, b->ref);
}

static int
key_qsort(const void *a, const void *b)
{
	return key_cmp(a, b);
}

/*
 * The order of pain.h: measured problems by score, then signals, then
 * touchpoint and key; those without signals after them, as entered.
 */
static int
rank_cmp(const void *va, const void *vb)
{
	const struct pain *a = va, *b = vb;
	int		   ma = a->signals > 0, mb = b->signals > 0;

	if (ma != mb)
		return ma ? -1 : 1;
	if (!ma)
		return a->id < b->id ? -1 : a->id > b->id;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->signals != b->signals)
		return a->signals > b->signals ? -1 : 1;
	return key_cmp(a, b);
}

/*
 * Sums per key over the spans of a period (report_spans): the rows of
 * every span are gathered, then sorted by key (touchpoint, id, ref) and
 * those of one key added into one, since a key's day rows and month
 * rows come apart.
 */
#define TALLY_MAX (3 * PAIN_PROBLEMS_MAX)	/* rows of 3 spans */

struct tally {
	int64_t	 tp;
	int64_t	 id;
	char	*ref;		/* a question's code, or NULL */
	int64_t	 v[4];
};

struct tallies {
	struct tally *v;
	size_t	      n, cap;
	int	      full;	/* rows were left out */
};

static struct tally *
tally_add(struct tallies *t, int64_t tp, int64_t id, const char *ref)
{
	struct tally *x;

	if (t->n >= TALLY_MAX) {
		t->full = 1;
		return NULL;
	}
	if (t->n == t->cap) {
		t->cap = t->cap == 0 ? 64 : t->cap * 2;
		t->v = xreallocarray(t->v, t->cap, sizeof(*t->v));
	}
	x = &t->v[t->n++];
	memset(x, 0, sizeof(*x));
	x->tp = tp;
	x->id = id;
	x->ref = ref != NULL ? xstrdup(ref) : NULL;
	return x;
}

static int
tally_cmp(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;

	if (x->tp != y->tp)
		return x->tp < y->tp ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if (x->ref == NULL || y->ref == NULL)
		return (x->ref != NULL) - (y->ref != NULL);
	return strcmp(x->ref, y->ref);
}

static void
tally_merge(struct tallies *t)
{
	size_t i, j, k;

	if (t->n > 1)
		qsort(t->v, t->n, sizeof(*t->v), tally_cmp);
	for (i = j = 0; i < t->n; i++) {
		if (j > 0 && tally_cmp(&t->v[j - 1], &t->v[i]) == 0) {
			for (k = 0; k < nitems(t->v[i].v); k++)
				t->v[j - 1].v[k] += t->v[i].v[k];
			free(t->v[i].ref);
		} else
			t->v[j++] = t->v[i];
	}
	t->n = j;
}

static void
tally_free(struct tallies *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].ref);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* A touchpoint of an_srv's dim 'touchpoint': its id, or 0 for an answer
 * at none ('online', 'paper'); -1 for what is neither. */
static int64_t
srv_touchpoint(const char *v)
{
	char	 *end;
	long long id;

	if (v == NULL)
		return -1;
	if (strcmp(v, "online") == 0 || strcmp(v, "paper") == 0)
		return 0;
	id = strtoll(v, &end, 10);
	return *v != '\0' && *end == '\0' && id > 0 ? id : -1;
}

/* Rows of (touchpoint, problem, sums). */
static int
tally_id_row(void *arg, struct db_stmt *s)
{
	struct tally *x;
	size_t	      k;

	if ((x = tally_add(arg, db_col_int(s, 0), db_col_int(s, 1),
	    NULL)) == NULL)
		return 0;
	for (k = 0; k < nitems(x->v) && k + 2 < (size_t)db_ncols(s); k++)
		x->v[k] = db_col_int(s, 2 + k);
	return 0;
}

/* Rows of (dim 'touchpoint' value, question, sums) of an_srv. */
static int
tally_srv_row(void *arg, struct db_stmt *s)
{
	struct tally *x;
	int64_t	      tp = srv_touchpoint(db_col_text(s, 0));
	size_t	      k;

	if (tp < 0)
		return 0;
	x = tally_add(arg, tp, 0, db_col_text(s, 1) != NULL ?
	    db_col_text(s, 1) : "");
	if (x == NULL)
		return 0;
	for (k = 0; k < nitems(x->v) && k + 2 < (size_t)db_ncols(s); k++)
		x->v[k] = db_col_int(s, 2 + k);
	return 0;
}

static int
too_many(struct err *e)
{
	return err_set(e, EXIT_DATAERR, "the pain map has more than %d "
	    "problems: choose a shorter period", PAIN_PROBLEMS_MAX);
}

/*
 * What the map measures, each rollup read once over the spans of the
 * period: an_tp per touchpoint and problem (messages, complaints,
 * negative, unsatisfied), an_srv's ratings per touchpoint and question
 * (n, 1s, 2s); problems and contacts both come from them.
 */
struct measured {
	struct tallies tp, srv;
};

static int
measure(struct db *db, int64_t org_id, const char *client, int32_t from,
    int32_t to, struct measured *m, struct err *e)
{
	memset(m, 0, sizeof(*m));
	if (report_spans(db, "SELECT touchpoint_id, problem, sum(messages), "
	    "sum(complaints), sum(negative), sum(unsatisfied) FROM an_tp "
	    "WHERE org_id = ? AND grain = ? AND day BETWEEN ? AND ? AND "
	    "client = ? GROUP BY touchpoint_id, problem", org_id, from, to,
	    client, tally_id_row, &m->tp, e) != 0 ||
	    report_spans(db, "SELECT value, question, sum(n), sum(r1), "
	    "sum(r2) FROM an_srv WHERE org_id = ? AND grain = ? AND day "
	    "BETWEEN ? AND ? AND client = ? AND dim = 'touchpoint' GROUP BY "
	    "value, question", org_id, from, to, client, tally_srv_row,
	    &m->srv, e) != 0)
		return -1;
	if (m->tp.full || m->srv.full)
		return too_many(e);
	tally_merge(&m->tp);
	tally_merge(&m->srv);
	return 0;
}

static void
measured_free(struct measured *m)
{
	tally_free(&m->tp);
	tally_free(&m->srv);
}

/* Problems of messages, by reason or topic, at their touchpoint. */
static int
load_topics(const struct measured *m, const char *client, struct plist *l,
    struct err *e)
{
	const struct tally *x;
	struct pain	   *p;
	int64_t		    complaints, negative, unsat;
	size_t		    i;

	for (i = 0; i < m->tp.n; i++) {
		x = &m->tp.v[i];
		complaints = x->v[1];
		negative = x->v[2];
		unsat = x->v[3];
		if (x->id == 0 || negative + complaints <= 0)
			continue;	/* unclassified: contacts only */
		if ((p = plist_add(l, client)) == NULL)
			return too_many(e);
		p->touchpoint_id = x->tp;
		snprintf(p->source, sizeof(p->source), "topic");
		p->ref = xasprintf("%" PRId64, x->id);
		/* Complaints are negative, unsatisfied ones complaints:
		 * the rollup says so, and the weights rely on it. */
		if (negative < complaints)
			negative = complaints;
		if (unsat > complaints)
			unsat = complaints;
		p->complaints = complaints;
		p->negative = negative;
		p->weight = 3.0 * (double)unsat +
		    2.0 * (double)(complaints - unsat) +
		    1.0 * (double)(negative - complaints);
	}
	return 0;
}

/*
 * Problems of low ratings, by question at a touchpoint; the answers at
 * none (online, on paper) at touchpoint 0.
 */
static int
load_ratings(const struct measured *m, const char *client, struct plist *l,
    struct err *e)
{
	const struct tally *x;
	struct pain	   *p;
	size_t		    i;

	for (i = 0; i < m->srv.n; i++) {
		x = &m->srv.v[i];
		if (x->v[1] + x->v[2] <= 0)
			continue;
		if ((p = plist_add(l, client)) == NULL)
			return too_many(e);
		p->touchpoint_id = x->tp;
		snprintf(p->source, sizeof(p->source), "rating");
		p->ref = xstrdup(x->ref);
		p->low_ratings = x->v[1] + x->v[2];
		p->weight = 2.0 * (double)x->v[1] + 1.0 * (double)x->v[2];
	}
	return 0;
}

/*
 * Contacts per touchpoint: messages, plus the rated responses, which are
 * the answers to the question "overall" there, or, where nobody answered
 * it (an instrument without it), the most answered question there.  The
 * tallies are sorted by touchpoint, so each is a run of entries.
 */
static void
load_contacts(const struct measured *m, struct idval **out, size_t *np)
{
	const struct tallies *t;
	struct idval	     *v;
	size_t		      n = 0, i, j, k;
	int64_t		      messages, overall, most;

	v = xcalloc(m->tp.n + m->srv.n + 1, sizeof(*v));
	for (k = 0; k < 2; k++) {
		t = k == 0 ? &m->tp : &m->srv;
		for (i = 0; i < t->n; i = j) {
			messages = overall = most = 0;
			for (j = i; j < t->n && t->v[j].tp == t->v[i].tp; j++) {
				messages += t->v[j].v[0];
				if (k == 1 && strcmp(t->v[j].ref, "overall") == 0)
					overall = t->v[j].v[0];
				if (t->v[j].v[0] > most)
					most = t->v[j].v[0];
			}
			if (t->v[i].tp == 0)
				continue;	/* no touchpoint, no contacts */
			v[n].id = t->v[i].tp;
			v[n++].n = k == 0 ? messages : overall > 0 ? overall :
			    most;
		}
	}
	/* Sum the two sources of a touchpoint into one entry. */
	if (n > 1)
		qsort(v, n, sizeof(*v), idval_cmp);
	for (i = j = 0; i < n; i++) {
		if (j > 0 && v[j - 1].id == v[i].id)
			v[j - 1].n += v[i].n;
		else
			v[j++] = v[i];
	}
	*out = v;
	*np = j;
}

/* What was decided, merged by key; problems only stored come after. */
static int
load_stored(struct db *db, int64_t org_id, const char *client,
    struct plist *l, struct err *e)
{
	struct db_stmt *s;
	struct pain	key, *p;
	size_t		measured = l->n;
	int		step;
	char	       *ref;

	s = db_prepare(db,
	    "SELECT p.id, COALESCE(p.touchpoint_id, 0), p.source, p.ref, "
	    "p.title, p.segment, p.journey_step, p.cause, p.measure, "
	    "COALESCE(p.unit_id, 0), u.name, COALESCE(p.due, ''), p.state "
	    "FROM an_pain p LEFT JOIN unit u ON u.id = p.unit_id "
	    "WHERE p.org_id = ? AND p.client = ? ORDER BY p.id",
	    "it", org_id, client);
	if (s == NULL)
		return db_fail(db, e);
	if (measured > 1)
		qsort(l->v, measured, sizeof(*l->v), key_qsort);
	while ((step = db_step(s)) == DB_ROW) {
		memset(&key, 0, sizeof(key));
		key.touchpoint_id = db_col_int(s, 1);
		snprintf(key.source, sizeof(key.source), "%s",
		    db_col_text(s, 2));
		ref = db_col_dup(s, 3);
		key.ref = ref;
		p = measured > 0 ? bsearch(&key, l->v, measured,
		    sizeof(*l->v), key_qsort) : NULL;
		if (p == NULL) {
			if ((p = plist_add(l, client)) == NULL) {
				free(ref);
				break;
			}
			p->touchpoint_id = key.touchpoint_id;
			memcpy(p->source, key.source, sizeof(p->source));
			p->ref = ref;
		} else
			free(ref);
		p->id = db_col_int(s, 0);
		free(p->title);
		p->title = db_col_dup(s, 4);
		p->segment = db_col_dup(s, 5);
		p->journey_step = db_col_dup(s, 6);
		p->cause = db_col_dup(s, 7);
		p->measure = db_col_dup(s, 8);
		p->unit_id = db_col_int(s, 9);
		p->unit = db_col_null(s, 10) ? NULL : db_col_dup(s, 10);
		snprintf(p->due, sizeof(p->due), "%s", db_col_text(s, 11));
		snprintf(p->state, sizeof(p->state), "%s", db_col_text(s, 12));
	}
	db_finalize(s);
	if (step == DB_FAIL)
		return db_fail(db, e);
	if (step == DB_ROW)
		return err_set(e, EXIT_DATAERR, "the pain map has more than "
		    "%d problems", PAIN_PROBLEMS_MAX);
	return 0;
}

/*
 * Rows of (dim, value, question, low ratings, ratings) of an_srv's dims
 * 'all' and 'form', tallied per question and form as the ref
 * "question\nform": a form's own, and all less the forms' under form ""
 * (the instruments of the organization's own, which ask about none).
 */
static int
tally_form_row(void *arg, struct db_stmt *s)
{
	struct tally *x;
	const char   *dim = db_col_text(s, 0), *form = db_col_text(s, 1);
	const char   *q = db_col_text(s, 2);
	char	     *ref;
	int	      sign = 1;

	if (dim == NULL || form == NULL || q == NULL)
		return 0;
	if (strcmp(dim, "form") == 0) {
		ref = xasprintf("%s\n%s", q, form);
		if ((x = tally_add(arg, 0, 0, ref)) != NULL) {
			x->v[0] = db_col_int(s, 3);
			x->v[1] = db_col_int(s, 4);
		}
		free(ref);
		sign = -1;
	}
	ref = xasprintf("%s\n", q);
	if ((x = tally_add(arg, 0, 0, ref)) != NULL) {
		x->v[0] = sign * db_col_int(s, 3);
		x->v[1] = sign * db_col_int(s, 4);
	}
	free(ref);
	return 0;
}

/*
 * The standard of the instrument each rating problem's low ratings
 * mostly came from (an_srv's dim 'form' is the instrument's form of
 * interaction: "service" for the standard "services"), so that a
 * question shared by instruments takes the wording its answers saw.
 * pref[i] is NULL for a problem of another source or without data.
 */
static int
preferred_standards(struct db *db, int64_t org_id, const char *client,
    const int32_t period[2], struct pain *v, size_t n, char **pref,
    struct err *e)
{
	struct tallies	t;
	struct tally   *best;
	const char     *form;
	size_t		i, j, k, qlen;

	memset(&t, 0, sizeof(t));
	if (report_spans(db, "SELECT dim, value, question, sum(r1) + sum(r2), "
	    "sum(n) FROM an_srv WHERE org_id = ? AND grain = ? AND day "
	    "BETWEEN ? AND ? AND client = ? AND dim IN ('all', 'form') "
	    "GROUP BY dim, value, question", org_id, period[0], period[1],
	    client, tally_form_row, &t, e) != 0) {
		tally_free(&t);
		return -1;
	}
	tally_merge(&t);
	/* Sorted by ref: a question's forms together, "" first. */
	for (i = 0; i < t.n; i = j) {
		qlen = strcspn(t.v[i].ref, "\n");
		best = NULL;
		for (j = i; j < t.n && strncmp(t.v[j].ref, t.v[i].ref,
		    qlen + 1) == 0; j++)
			if (t.v[j].v[1] > 0 && (best == NULL ||
			    t.v[j].v[0] > best->v[0]))
				best = &t.v[j];
		if (best == NULL)
			continue;
		form = best->ref + qlen + 1;
		for (k = 0; k < n; k++)
			if (v[k].title == NULL && pref[k] == NULL &&
			    strcmp(v[k].source, "rating") == 0 &&
			    strncmp(v[k].ref, best->ref, qlen) == 0 &&
			    v[k].ref[qlen] == '\0')
				pref[k] = xstrdup(strcmp(form, "service") == 0 ?
				    "services" : form);
	}
	tally_free(&t);
	return 0;
}

/*
 * The text of a question by code, from the organization's instruments
 * for these clients: the instrument its low ratings came from first,
 * then any; published versions before retired ones (a question since
 * dropped).  Left NULL if none has it.
 */
static int
question_titles(struct db *db, int64_t org_id, const char *client,
    const int32_t period[2], struct pain *v, size_t n, struct err *e)
{
	struct db_stmt *s;
	struct srv_def	d;
	struct err	pe;
	const char     *json, *std;
	char	      **pref;
	size_t		i, left = 0;
	int		step = DB_DONE, q, pass, r = 0;

	for (i = 0; i < n; i++)
		if (v[i].title == NULL && strcmp(v[i].source, "rating") == 0)
			left++;
	if (left == 0)
		return 0;
	pref = xcalloc(n, sizeof(*pref));
	if (period != NULL && preferred_standards(db, org_id, client, period,
	    v, n, pref, e) != 0) {
		r = -1;
		goto out;
	}
	for (pass = period != NULL ? 0 : 1; pass < 2 && left > 0; pass++) {
		s = db_prepare(db,
		    "SELECT v.definition, COALESCE(i.standard, '') FROM "
		    "srv_version v JOIN srv_instrument i ON i.id = "
		    "v.instrument_id WHERE v.org_id = ? AND i.client = ? AND "
		    "v.state <> 'draft' ORDER BY v.state = 'published' DESC, "
		    "i.standard IS NULL, i.code, v.version DESC",
		    "it", org_id, client);
		if (s == NULL) {
			r = db_fail(db, e);
			goto out;
		}
		while (left > 0 && (step = db_step(s)) == DB_ROW) {
			if ((json = db_col_text(s, 0)) == NULL)
				continue;
			std = db_col_text(s, 1);
			err_clear(&pe);
			if (srv_def_parse(&d, json, strlen(json), &pe) != 0)
				continue;	/* stored valid; skip if not */
			for (i = 0; i < n; i++) {
				if (v[i].title != NULL ||
				    strcmp(v[i].source, "rating") != 0)
					continue;
				if (pass == 0 && (pref[i] == NULL ||
				    std == NULL || strcmp(pref[i], std) != 0))
					continue;
				if ((q = srv_def_find(&d, v[i].ref)) < 0)
					continue;
				v[i].title = xstrdup(d.q[q].text_ru);
				left--;
			}
			srv_def_clear(&d);
		}
		db_finalize(s);
		if (step == DB_FAIL) {
			r = db_fail(db, e);
			goto out;
		}
	}
out:
	for (i = 0; i < n; i++)
		free(pref[i]);
	free(pref);
	return r;
}

/* Titles, touchpoint names, empty texts where nothing is decided. */
static int
fill_names(struct db *db, int64_t org_id, const char *client,
    const int32_t period[2], struct pain *v, size_t n, struct err *e)
{
	struct idval *topics = NULL, *tps = NULL, *f;
	size_t	      ntopics = 0, ntps = 0, i;
	char	     *end;
	long long     id;

	if (idname_load(db, db_prepare(db, "SELECT id, title FROM fb_topic "
	    "WHERE org_id = ?", "i", org_id), &topics, &ntopics, e) != 0)
		return -1;
	if (idname_load(db, db_prepare(db, "SELECT touchpoint_id, name FROM "
	    "touchpoint_rev WHERE org_id = ? AND valid_from IS NOT NULL AND "
	    "valid_to IS NULL", "i", org_id), &tps, &ntps, e) != 0) {
		idval_free(topics, ntopics);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (v[i].touchpoint_id != 0 &&
		    (f = idval_find(tps, ntps, v[i].touchpoint_id)) != NULL)
			v[i].touchpoint = xstrdup(f->name);
		if (v[i].title == NULL && strcmp(v[i].source, "topic") == 0) {
			id = strtoll(v[i].ref, &end, 10);
			if (*end == '\0' &&
			    (f = idval_find(topics, ntopics, id)) != NULL)
				v[i].title = xstrdup(f->name);
		}
	}
	idval_free(topics, ntopics);
	idval_free(tps, ntps);
	if (question_titles(db, org_id, client, period, v, n, e) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (v[i].title == NULL)
			v[i].title = xstrdup(v[i].ref);	/* deleted since */
		if (v[i].segment == NULL)
			v[i].segment = xstrdup("");
		if (v[i].journey_step == NULL)
			v[i].journey_step = xstrdup("");
		if (v[i].cause == NULL)
			v[i].cause = xstrdup("");
		if (v[i].measure == NULL)
			v[i].measure = xstrdup("");
	}
	return 0;
}

int
pain_map(struct db *db, int64_t org_id, const char *client, int32_t from,
    int32_t to, struct pain **list, size_t *np, struct err *e)
{
	struct plist	l = {NULL, 0, 0};
	struct measured	m;
	struct idval   *contacts = NULL, *c;
	struct pain    *p;
	size_t		ncontacts = 0, i;
	int32_t		period[2];

	*list = NULL;
	*np = 0;
	if (client == NULL)
		client = "external";
	if (check_client(client, e) != 0)
		return -1;
	if (from > to)
		return err_set(e, EXIT_USAGE, "period: it ends before it "
		    "starts");
	period[0] = from;
	period[1] = to;
	if (measure(db, org_id, client, from, to, &m, e) != 0 ||
	    load_topics(&m, client, &l, e) != 0 ||
	    load_ratings(&m, client, &l, e) != 0 ||
	    load_stored(db, org_id, client, &l, e) != 0) {
		measured_free(&m);
		pain_free(l.v, l.n);
		return -1;
	}
	load_contacts(&m, &contacts, &ncontacts);
	measured_free(&m);
	if (fill_names(db, org_id, client, period, l.v, l.n, e) != 0) {
		free(contacts);
		pain_free(l.v, l.n);
		return -1;
	}
	for (i = 0; i < l.n; i++) {
		p = &l.v[i];
		p->signals = p->negative + p->low_ratings;
		if (p->touchpoint_id != 0 && (c = idval_find(contacts,
		    ncontacts, p->touchpoint_id)) != NULL)
			p->contacts = c->n;
		if (p->touchpoint_id != 0 && p->contacts > 0) {
			p->reach = (double)p->signals / (double)p->contacts;
			if (p->reach > 1)
				p->reach = 1;
		}
		p->score = p->weight * (1 + p->reach);
	}
	free(contacts);
	if (l.n > 1)
		qsort(l.v, l.n, sizeof(*l.v), rank_cmp);
	for (i = 0; i < l.n; i++)
		l.v[i].rank = (int)i + 1;
	*list = l.v;
	*np = l.n;
	return 0;
}

void
pain_free(struct pain *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].touchpoint);
		free(v[i].ref);
		free(v[i].title);
		free(v[i].segment);
		free(v[i].journey_step);
		free(v[i].cause);
		free(v[i].measure);
		free(v[i].unit);
	}
	free(v);
}

/* ---- decisions about a problem ---- */

struct prow {
	int64_t id;
	char	client[12];
	int64_t touchpoint_id;
	char	source[8];
	char   *ref;
	char   *text[5];	/* title, segment, journey_step, cause, measure */
	int64_t unit_id;
	char	due[11];
	char	state[12];
};

static const char *const text_names[5] = {
	"title", "segment", "journey_step", "cause", "measure"
};

static void
prow_clear(struct prow *r)
{
	size_t i;

	free(r->ref);
	for (i = 0; i < nitems(r->text); i++)
		free(r->text[i]);
	memset(r, 0, sizeof(*r));
}

#define PROW_COLS "id, client, COALESCE(touchpoint_id, 0), source, ref, " \
	"title, segment, journey_step, cause, measure, COALESCE(unit_id, 0), " \
	"COALESCE(due, ''), state"

/* 1 found, 0 not, -1 error. */
static int
prow_read(struct db *db, struct db_stmt *s, struct prow *r, struct err *e)
{
	size_t i;
	int    step;

	memset(r, 0, sizeof(*r));
	if (s == NULL)
		return db_fail(db, e);
	step = db_step(s);
	if (step == DB_ROW) {
		r->id = db_col_int(s, 0);
		snprintf(r->client, sizeof(r->client), "%s",
		    db_col_text(s, 1));
		r->touchpoint_id = db_col_int(s, 2);
		snprintf(r->source, sizeof(r->source), "%s",
		    db_col_text(s, 3));
		r->ref = db_col_dup(s, 4);
		for (i = 0; i < nitems(r->text); i++)
			r->text[i] = db_col_dup(s, 5 + (int)i);
		r->unit_id = db_col_int(s, 10);
		snprintf(r->due, sizeof(r->due), "%s", db_col_text(s, 11));
		snprintf(r->state, sizeof(r->state), "%s",
		    db_col_text(s, 12));
	}
	db_finalize(s);
	if (step == DB_FAIL)
		return db_fail(db, e);
	return step == DB_ROW;
}

static int
exists(struct db *db, const char *sql, int64_t id, int64_t org_id,
    struct err *e)
{
	struct db_stmt *s;
	int		step;

	if ((s = db_prepare(db, sql, "ii", id, org_id)) == NULL)
		return db_fail(db, e);
	step = db_step(s);
	db_finalize(s);
	if (step == DB_FAIL)
		return db_fail(db, e);
	return step == DB_ROW;
}

/* The fields of an edit, each named in its error. */
static int
check_edit(struct db *db, int64_t org_id, const struct pain_edit *ed,
    struct err *e)
{
	const char *texts[5];
	int32_t	    day;
	size_t	    i;
	int	    r;

	texts[0] = ed->title;
	texts[1] = ed->segment;
	texts[2] = ed->journey_step;
	texts[3] = ed->cause;
	texts[4] = ed->measure;
	for (i = 0; i < nitems(texts); i++)
		if (check_text(text_names[i], texts[i], PAIN_TEXT_MAX, i >= 3,
		    e) != 0)
			return -1;
	if (ed->title != NULL && str_empty(ed->title))
		return err_set(e, EXIT_DATAERR, "title: cannot be empty");
	if (ed->due != NULL && *ed->due != '\0' &&
	    date_parse(ed->due, &day) != 0)
		return err_set(e, EXIT_DATAERR, "due: '%.40s' is not a date "
		    "YYYY-MM-DD", ed->due);
	if (ed->state != NULL && !one_of(ed->state, pain_states))
		return err_set(e, EXIT_DATAERR, "state: '%.40s' is not one of "
		    "open, planned, in_work, done, rejected", ed->state);
	if (ed->unit_id < -1)
		return err_set(e, EXIT_DATAERR, "unit: %" PRId64 " is not a "
		    "unit", ed->unit_id);
	if (ed->unit_id > 0) {
		r = exists(db, "SELECT 1 FROM unit WHERE id = ? AND org_id = ?",
		    ed->unit_id, org_id, e);
		if (r < 0)
			return -1;
		if (r == 0)
			return err_set(e, EXIT_DATAERR, "unit: no unit %" PRId64
			    " in this organization", ed->unit_id);
	}
	return 0;
}

/* The short fields as audited: key, and what changed. */
static json_t *
key_json(const struct prow *r)
{
	return json_pack("{s:s, s:I, s:s, s:s}", "client", r->client,
	    "touchpoint", (json_int_t)r->touchpoint_id, "source", r->source,
	    "ref", r->ref);
}

/*
 * Applies an edit to a stored row (old) inside the open transaction,
 * and audits it: the key, the names of the texts changed (never the
 * texts), the short fields before and after.
 */
static int
apply_edit(struct db *db, int64_t org_id, const char *actor,
    struct prow *old, const struct pain_edit *ed, int created, struct err *e)
{
	const char *texts[5], *nt[5];
	json_t	   *before, *after, *changed;
	char	   *b, *a, obj[40];
	const char *due, *state;
	int64_t	    unit;
	size_t	    i;
	int	    r;

	texts[0] = ed->title;
	texts[1] = ed->segment;
	texts[2] = ed->journey_step;
	texts[3] = ed->cause;
	texts[4] = ed->measure;
	before = json_object();
	after = key_json(old);
	changed = json_array();
	for (i = 0; i < nitems(texts); i++) {
		nt[i] = texts[i] != NULL ? texts[i] : old->text[i];
		if (strcmp(nt[i], old->text[i]) != 0)
			json_array_append_new(changed,
			    json_string(text_names[i]));
	}
	due = ed->due != NULL ? ed->due : old->due;
	if (strcmp(due, old->due) != 0) {
		json_array_append_new(changed, json_string("due"));
		json_object_set_new(before, "due", json_string(old->due));
		json_object_set_new(after, "due", json_string(due));
	}
	state = ed->state != NULL ? ed->state : old->state;
	if (strcmp(state, old->state) != 0) {
		json_array_append_new(changed, json_string("state"));
		json_object_set_new(before, "state", json_string(old->state));
		json_object_set_new(after, "state", json_string(state));
	}
	unit = ed->unit_id >= 0 ? ed->unit_id : old->unit_id;
	if (unit != old->unit_id) {
		json_array_append_new(changed, json_string("unit"));
		json_object_set_new(before, "unit", json_integer(old->unit_id));
		json_object_set_new(after, "unit", json_integer(unit));
	}
	if (json_array_size(changed) == 0 && !created) {
		json_decref(before);
		json_decref(after);
		json_decref(changed);
		return 0;
	}
	r = db_run(db, NULL, "UPDATE an_pain SET title = ?, segment = ?, "
	    "journey_step = ?, cause = ?, measure = ?, unit_id = ?, due = ?, "
	    "state = ?, updated_at = ?, updated_by = ? WHERE id = ?",
	    "tttttIttiti", nt[0], nt[1], nt[2], nt[3], nt[4], unit,
	    *due != '\0' ? due : NULL, state, clock_now(), actor, old->id);
	if (r != 0) {
		json_decref(before);
		json_decref(after);
		json_decref(changed);
		return db_fail(db, e);
	}
	if (created)
		json_object_set_new(after, "created", json_true());
	json_object_set_new(after, "changed", changed);
	b = json_object_size(before) > 0 ?
	    json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	a = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(before);
	json_decref(after);
	snprintf(obj, sizeof(obj), "pain:%" PRId64, old->id);
	r = audit_append(db, actor, org_id, "pain.update", obj, b, a, e);
	free(b);
	free(a);
	return r;
}

/* The title a measured problem gets when its row is made. */
static char *
source_title(struct db *db, int64_t org_id, const char *client,
    const char *source, const char *ref, struct err *e)
{
	struct pain p;
	char	   *t;

	memset(&p, 0, sizeof(p));
	snprintf(p.source, sizeof(p.source), "%s", source);
	p.ref = (char *)ref;
	if (fill_names(db, org_id, client, NULL, &p, 1, e) != 0)
		return NULL;
	t = p.title;
	free(p.touchpoint);
	free(p.segment);
	free(p.journey_step);
	free(p.cause);
	free(p.measure);
	return t;
}

static int
check_key(struct db *db, int64_t org_id, const char *client,
    int64_t touchpoint_id, const char *source, const char *ref,
    struct err *e)
{
	const char *p;
	char	   *end;
	long long   id;
	int	    r;

	if (check_client(client, e) != 0)
		return -1;
	if (source == NULL || !one_of(source, pain_sources))
		return err_set(e, EXIT_DATAERR, "source: '%.40s' is not one of "
		    "topic, rating, manual", source != NULL ? source : "");
	if (touchpoint_id < 0)
		return err_set(e, EXIT_DATAERR, "touchpoint: %" PRId64 " is not "
		    "a touchpoint", touchpoint_id);
	if (touchpoint_id > 0) {
		r = exists(db, "SELECT 1 FROM touchpoint WHERE id = ? AND "
		    "org_id = ?", touchpoint_id, org_id, e);
		if (r < 0)
			return -1;
		if (r == 0)
			return err_set(e, EXIT_DATAERR, "touchpoint: no "
			    "touchpoint %" PRId64 " in this organization",
			    touchpoint_id);
	}
	if (ref == NULL || *ref == '\0') {
		if (strcmp(source, "manual") == 0)
			return 0;	/* made from the id */
		return err_set(e, EXIT_DATAERR, "ref: required for a problem "
		    "of source %s", source);
	}
	if (check_text("ref", ref, PAIN_REF_MAX, 0, e) != 0)
		return -1;
	if (strcmp(source, "topic") == 0) {
		id = strtoll(ref, &end, 10);
		if (*end != '\0' || id <= 0)
			return err_set(e, EXIT_DATAERR, "ref: '%.40s' is not the "
			    "id of a topic or reason", ref);
		r = exists(db, "SELECT 1 FROM fb_topic WHERE id = ? AND "
		    "org_id = ?", id, org_id, e);
		if (r < 0)
			return -1;
		if (r == 0)
			return err_set(e, EXIT_DATAERR, "ref: no topic or reason "
			    "%lld in this organization", id);
	} else if (strcmp(source, "rating") == 0) {
		for (p = ref; *p != '\0'; p++)
			if (!((*p >= 'a' && *p <= 'z') ||
			    (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
				return err_set(e, EXIT_DATAERR, "ref: '%.40s' is "
				    "not a question code", ref);
		if (strlen(ref) > SRV_CODE_MAX)
			return err_set(e, EXIT_DATAERR, "ref: a question code "
			    "is at most %d bytes", SRV_CODE_MAX);
	}
	return 0;
}

int
pain_set(struct db *db, int64_t org_id, const char *actor,
    const char *client, int64_t touchpoint_id, const char *source,
    const char *ref, const struct pain_edit *ed, int64_t *id, struct err *e)
{
	struct prow row;
	char	   *title = NULL, *mref = NULL;
	int64_t	    newid = 0;
	int	    found, created = 0;

	if (id != NULL)
		*id = 0;
	if (client == NULL)
		client = "external";
	if (check_key(db, org_id, client, touchpoint_id, source, ref, e) != 0 ||
	    check_edit(db, org_id, ed, e) != 0)
		return -1;
	if (db_begin(db) != 0)
		return db_fail(db, e);
	found = 0;
	if (ref != NULL && *ref != '\0')
		found = prow_read(db, db_prepare(db, "SELECT " PROW_COLS
		    " FROM an_pain WHERE org_id = ? AND client = ? AND "
		    "COALESCE(touchpoint_id, 0) = ? AND source = ? AND ref = ?",
		    "itit" "t", org_id, client, touchpoint_id, source, ref),
		    &row, e);
	if (found < 0)
		goto fail;
	if (found == 0) {
		if (ed->title != NULL)
			title = xstrdup(ed->title);
		else if (strcmp(source, "manual") == 0) {
			err_set(e, EXIT_DATAERR, "title: required for a new "
			    "manual problem");
			goto fail;
		} else if ((title = source_title(db, org_id, client, source,
		    ref, e)) == NULL)
			goto fail;
		/* A manual problem without a ref gets "m<id>". */
		if (ref == NULL || *ref == '\0')
			ref = mref = xstrdup("\x01new");
		if (db_run(db, &newid, "INSERT INTO an_pain (org_id, client, "
		    "touchpoint_id, source, ref, title, created_at, updated_at, "
		    "updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		    "itIttt" "iit", org_id, client, touchpoint_id, source, ref,
		    title, clock_now(), clock_now(), actor) != 0) {
			db_fail(db, e);
			goto fail;
		}
		if (mref != NULL) {
			free(mref);
			ref = mref = xasprintf("m%" PRId64, newid);
			if (db_run(db, NULL, "UPDATE an_pain SET ref = ? WHERE "
			    "id = ?", "ti", ref, newid) != 0) {
				err_set(e, EXIT_DATAERR, "ref: %s is taken: give "
				    "the manual problem a ref of its own", ref);
				goto fail;
			}
		}
		found = prow_read(db, db_prepare(db, "SELECT " PROW_COLS
		    " FROM an_pain WHERE id = ?", "i", newid), &row, e);
		if (found <= 0) {
			if (found == 0)
				err_set(e, EXIT_SOFTWARE, "the new problem is gone");
			goto fail;
		}
		created = 1;
	}
	if (apply_edit(db, org_id, actor, &row, ed, created, e) != 0) {
		prow_clear(&row);
		goto fail;
	}
	if (id != NULL)
		*id = row.id;
	prow_clear(&row);
	free(title);
	free(mref);
	if (db_commit(db) != 0) {
		db_rollback(db);
		return db_fail(db, e);
	}
	return 0;
fail:
	free(title);
	free(mref);
	db_rollback(db);
	return -1;
}

int
pain_update(struct db *db, int64_t org_id, const char *actor, int64_t id,
    const struct pain_edit *ed, struct err *e)
{
	struct prow row;
	int	    found;

	if (check_edit(db, org_id, ed, e) != 0)
		return -1;
	if (db_begin(db) != 0)
		return db_fail(db, e);
	found = prow_read(db, db_prepare(db, "SELECT " PROW_COLS " FROM "
	    "an_pain WHERE id = ? AND org_id = ?", "ii", id, org_id), &row, e);
	if (found <= 0) {
		if (found == 0)
			err_set(e, EXIT_NOINPUT, "no problem %" PRId64 " in the "
			    "pain map of this organization", id);
		db_rollback(db);
		return -1;
	}
	if (apply_edit(db, org_id, actor, &row, ed, 0, e) != 0) {
		prow_clear(&row);
		db_rollback(db);
		return -1;
	}
	prow_clear(&row);
	if (db_commit(db) != 0) {
		db_rollback(db);
		return db_fail(db, e);
	}
	return 0;
}

/* ---- the working group's confirmation ---- */

/* Rows for the ranked problems that have none; open ones planned. */
static int
confirm_rows(struct db *db, int64_t org_id, const char *actor,
    struct pain *v, size_t n, int64_t *made, int64_t *planned, struct err *e)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i].id == 0) {
			if (db_run(db, &v[i].id, "INSERT INTO an_pain (org_id, "
			    "client, touchpoint_id, source, ref, title, state, "
			    "created_at, updated_at, updated_by) VALUES (?, ?, "
			    "?, ?, ?, ?, 'planned', ?, ?, ?) RETURNING id",
			    "itIttt" "iit", org_id, v[i].client,
			    v[i].touchpoint_id, v[i].source, v[i].ref,
			    v[i].title, clock_now(), clock_now(), actor) != 0)
				return db_fail(db, e);
			(*made)++;
			(*planned)++;
		} else if (strcmp(v[i].state, "open") == 0) {
			if (db_run(db, NULL, "UPDATE an_pain SET state = "
			    "'planned', updated_at = ?, updated_by = ? WHERE "
			    "id = ?", "iti", clock_now(), actor, v[i].id) != 0)
				return db_fail(db, e);
			(*planned)++;
		} else
			continue;
		snprintf(v[i].state, sizeof(v[i].state), "planned");
	}
	return 0;
}

static char *
ranking_json(const struct pain *v, size_t n)
{
	json_t *a = json_array();
	char   *s;
	size_t	i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I, s:i, s:f, s:s, s:I}",
		    "pain", (json_int_t)v[i].id, "rank", v[i].rank,
		    "score", round(v[i].score * 10) / 10, "title", v[i].title,
		    "signals", (json_int_t)v[i].signals));
	s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	if (s == NULL)
		fatal("pain: cannot write the ranking");
	return s;
}

int
pain_confirm(struct db *db, int64_t org_id, const char *actor,
    const char *client, const char *period, int32_t from, int32_t to,
    const char *minutes_ref, const char *note, int64_t *id, struct err *e)
{
	struct pain *v = NULL;
	size_t	     n = 0;
	char	     pname[PAIN_PERIOD_MAX + 1], dfrom[11], dto[11], obj[40];
	char	    *ranking = NULL, *after = NULL;
	int64_t	     did = 0, made = 0, planned = 0;

	if (id != NULL)
		*id = 0;
	if (client == NULL)
		client = "external";
	if (check_client(client, e) != 0)
		return -1;
	if (minutes_ref == NULL || str_empty(minutes_ref))
		return err_set(e, EXIT_DATAERR, "minutes_ref: required: the "
		    "number and date of the working group's minutes");
	if (check_text("minutes_ref", minutes_ref, PAIN_MINUTES_MAX, 0, e) != 0 ||
	    check_text("note", note, PAIN_TEXT_MAX, 1, e) != 0)
		return -1;
	if (period != NULL && *period != '\0') {
		if (check_text("period", period, PAIN_PERIOD_MAX, 0, e) != 0)
			return -1;
		snprintf(pname, sizeof(pname), "%s", period);
	} else {
		date_format(from, dfrom);
		date_format(to, dto);
		snprintf(pname, sizeof(pname), "%s..%s", dfrom, dto);
	}
	if (db_begin(db) != 0)
		return db_fail(db, e);
	if (pain_map(db, org_id, client, from, to, &v, &n, e) != 0)
		goto fail;
	if (n == 0) {
		err_set(e, EXIT_DATAERR, "the pain map of %s for %s clients is "
		    "empty: there is no order of reengineering to confirm",
		    pname, client);
		goto fail;
	}
	if (confirm_rows(db, org_id, actor, v, n, &made, &planned, e) != 0)
		goto fail;
	ranking = ranking_json(v, n);
	if (db_run(db, &did, "INSERT INTO an_pain_decision (org_id, client, "
	    "period, ranking, minutes_ref, note, decided_at, decided_by) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", "ittttt" "it",
	    org_id, client, pname, ranking, minutes_ref,
	    note != NULL ? note : "", clock_now(), actor) != 0) {
		db_fail(db, e);
		goto fail;
	}
	{
		json_t *a = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I}",
		    "client", client, "period", pname, "minutes_ref",
		    minutes_ref, "problems", (json_int_t)n, "rows_made",
		    (json_int_t)made, "planned", (json_int_t)planned);

		after = json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(a);
	}
	snprintf(obj, sizeof(obj), "pain_decision:%" PRId64, did);
	if (audit_append(db, actor, org_id, "pain.confirm", obj, NULL, after,
	    e) != 0)
		goto fail;
	if (db_commit(db) != 0) {
		db_fail(db, e);
		goto fail;
	}
	free(after);
	free(ranking);
	pain_free(v, n);
	if (id != NULL)
		*id = did;
	return 0;
fail:
	db_rollback(db);
	free(after);
	free(ranking);
	pain_free(v, n);
	return -1;
}

int
pain_decisions(struct db *db, int64_t org_id, struct pain_decision **out,
    size_t *np, struct err *e)
{
	struct db_stmt	     *s;
	struct pain_decision *v = NULL, *d;
	size_t		      n = 0, cap = 0;
	int		      step;

	*out = NULL;
	*np = 0;
	s = db_prepare(db, "SELECT id, client, period, ranking, minutes_ref, "
	    "note, decided_at, decided_by FROM an_pain_decision WHERE "
	    "org_id = ? ORDER BY decided_at DESC, id DESC LIMIT ?", "ii",
	    org_id, (int64_t)PAIN_DECISIONS_MAX);
	if (s == NULL)
		return db_fail(db, e);
	while ((step = db_step(s)) == DB_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		d = &v[n++];
		memset(d, 0, sizeof(*d));
		d->id = db_col_int(s, 0);
		snprintf(d->client, sizeof(d->client), "%s",
		    db_col_text(s, 1));
		d->period = db_col_dup(s, 2);
		d->ranking = db_col_dup(s, 3);
		d->minutes_ref = db_col_dup(s, 4);
		d->note = db_col_dup(s, 5);
		d->decided_at = db_col_int(s, 6);
		d->decided_by = db_col_dup(s, 7);
	}
	db_finalize(s);
	if (step == DB_FAIL) {
		pain_decisions_free(v, n);
		return db_fail(db, e);
	}
	*out = v;
	*np = n;
	return 0;
}

void
pain_decisions_free(struct pain_decision *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].period);
		free(v[i].ranking);
		free(v[i].minutes_ref);
		free(v[i].note);
		free(v[i].decided_by);
	}
	free(v);
}

/* ---- the report tables ---- */

/* "tp12-topic-7": [a-z0-9_-] only, within REPORT_KEY_MAX. */
static void
row_key(const struct pain *p, char out[REPORT_KEY_MAX])
{
	char   raw[REPORT_KEY_MAX * 2];
	size_t i, j;
	int    c;

	if (strcmp(p->source, "manual") == 0)
		snprintf(raw, sizeof(raw), "tp%" PRId64 "-manual-%" PRId64,
		    p->touchpoint_id, p->id);
	else
		snprintf(raw, sizeof(raw), "tp%" PRId64 "-%s-%s",
		    p->touchpoint_id, p->source, p->ref);
	for (i = j = 0; raw[i] != '\0' && j < REPORT_KEY_MAX - 1; i++) {
		c = (unsigned char)raw[i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_'))
			c = '_';
		out[j++] = (char)c;
	}
	out[j] = '\0';
}

static int
key_taken(const struct rtable *t, const char *key)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		if (strcmp(t->rows[i].key, key) == 0)
			return 1;
	return 0;
}

/* A row's key and its place, sorted to find the keys taken before. */
struct rkey {
	char   key[REPORT_KEY_MAX];
	size_t i;
};

static int
rkey_cmp(const void *a, const void *b)
{
	const struct rkey *x = a, *y = b;
	int		   c;

	if ((c = strcmp(x->key, y->key)) != 0)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * The row keys of the problems in order: row_key's, or "p-<rank>" where
 * an earlier problem has the same (names made alike by row_key).  By
 * sorting, not by looking back at every row: a map has thousands.
 */
static char (*row_keys(const struct pain *v, size_t n))[REPORT_KEY_MAX]
{
	char	    (*keys)[REPORT_KEY_MAX];
	struct rkey *k;
	size_t	     i;

	keys = xcalloc(n + 1, sizeof(*keys));
	k = xcalloc(n + 1, sizeof(*k));
	for (i = 0; i < n; i++) {
		row_key(&v[i], k[i].key);
		k[i].i = i;
	}
	if (n > 1)
		qsort(k, n, sizeof(*k), rkey_cmp);
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(k[i - 1].key, k[i].key) == 0)
			snprintf(keys[k[i].i], sizeof(keys[0]), "p-%d",
			    v[k[i].i].rank);
		else
			memcpy(keys[k[i].i], k[i].key, sizeof(keys[0]));
	}
	free(k);
	return keys;
}

static const char *const state_ru[] = {
	"открыта", "запланирована", "в работе", "выполнена", "отклонена"
};
static const char *const state_en[] = {
	"open", "planned", "in work", "done", "rejected"
};

static size_t
state_index(const char *s)
{
	size_t i;

	for (i = 0; pain_states[i] != NULL; i++)
		if (strcmp(pain_states[i], s) == 0)
			return i;
	return 0;
}

static void
pain_table(struct report *rep, struct pain *v, size_t n)
{
	static const struct rcol cols[] = {
		{"complaints", "Жалобы", "Complaints", RK_COUNT},
		{"negative", "Негативные сообщения", "Negative messages",
		    RK_COUNT},
		{"low_ratings", "Оценки 1 и 2", "Ratings of 1 and 2", RK_COUNT},
		{"reach", "Охват, %", "Reach, %", RK_SHARE},
		{"score", "Балл", "Score", RK_SCORE},
		{"rank", "Очередность", "Rank", RK_COUNT},
	};
	struct rtable *t;
	struct rrow   *r;
	char	     (*keys)[REPORT_KEY_MAX], *ru, *en;
	size_t	       i;

	t = report_table(rep, "pain", "Карта болей", "Pain map", cols,
	    nitems(cols));
	t->chart = RC_HEAT;
	t->chart_col = 4;
	report_note(t,
	    "Вес сигнала: неудовлетворенная жалоба 3, другая жалоба 2, другое "
	    "негативное сообщение 1, оценка 1 — 2, оценка 2 — 1; W — сумма "
	    "весов сигналов проблемы за период; охват R — сигналы / контакты "
	    "в точке взаимодействия (сообщения и ответы на анкеты; не более 1, "
	    "0 без точки); балл = W × (1 + R). При равенстве выше проблема с "
	    "большим числом сигналов. Проблемы без сигналов (внесенные "
	    "вручную) — после измеренных, в порядке внесения.",
	    "Weight of a signal: an unsatisfied complaint 3, another "
	    "complaint 2, another negative message 1, a rating of 1 → 2, of "
	    "2 → 1; W is the sum of the weights of the problem's signals in "
	    "the period; reach R = signals / contacts at the touchpoint "
	    "(messages and rated responses; 1 at most, 0 without a "
	    "touchpoint); score = W × (1 + R). Ties rank by more signals. "
	    "Problems without signals (entered by hand) come after the "
	    "measured ones, in the order entered.");
	keys = row_keys(v, n);
	for (i = 0; i < n; i++) {
		if (v[i].touchpoint != NULL) {
			ru = xasprintf("%s — %s", v[i].title, v[i].touchpoint);
			en = xstrdup(ru);
		} else if (v[i].touchpoint_id != 0) {
			ru = xasprintf("%s — точка %" PRId64, v[i].title,
			    v[i].touchpoint_id);
			en = xasprintf("%s — touchpoint %" PRId64, v[i].title,
			    v[i].touchpoint_id);
		} else {
			ru = xstrdup(v[i].title);
			en = xstrdup(v[i].title);
		}
		r = report_row(t, keys[i], ru, en);
		free(ru);
		free(en);
		report_set(r, 0, (double)v[i].complaints, v[i].signals);
		report_set(r, 1, (double)v[i].negative, v[i].signals);
		report_set(r, 2, (double)v[i].low_ratings, v[i].signals);
		report_set(r, 3, v[i].reach * 100, v[i].signals);
		report_set(r, 4, v[i].score, v[i].signals);
		report_set(r, 5, (double)v[i].rank, v[i].signals);
	}
	free(keys);
}

/* A row of the latest decision: what it is, and what is decided now. */
static void
decision_row(struct rtable *t, const struct pain *p, int64_t pid, int rank,
    double score, int64_t signals, const char *title)
{
	struct rrow *r;
	char	     key[REPORT_KEY_MAX], *ru, *en;
	const char  *measure = "", *unit = "", *due = "";
	size_t	     st = 0;

	if (p != NULL) {
		measure = p->measure;
		unit = p->unit != NULL ? p->unit : "";
		due = p->due;
		st = state_index(p->state);
	}
	ru = xasprintf("%d. %s; мера: %s; ответственный: %s; срок: %s; "
	    "статус: %s", rank, title, *measure ? measure : "—",
	    *unit ? unit : "—", *due ? due : "—", state_ru[st]);
	en = xasprintf("%d. %s; measure: %s; responsible: %s; due: %s; "
	    "state: %s", rank, title, *measure ? measure : "—",
	    *unit ? unit : "—", *due ? due : "—", state_en[st]);
	snprintf(key, sizeof(key), "pain-%" PRId64, pid);
	if (key_taken(t, key))
		snprintf(key, sizeof(key), "rank-%d", rank);
	r = report_row(t, key, ru, en);
	free(ru);
	free(en);
	report_set(r, 0, (double)rank, signals);
	report_set(r, 1, score, signals);
}

/* The organization's zone, for the day of a decision. */
static const char *
org_tz(struct db *db, int64_t org_id, char tz[64])
{
	struct db_stmt *s;

	snprintf(tz, 64, "Europe/Moscow");
	s = db_prepare(db, "SELECT tz FROM org WHERE id = ?", "i", org_id);
	if (s != NULL && db_step(s) == DB_ROW && db_col_text(s, 0) != NULL)
		snprintf(tz, 64, "%s", db_col_text(s, 0));
	db_finalize(s);
	return tz;
}

/* The latest decision for the report's clients, with today's states. */
static int
decision_table(struct db *db, struct report *rep, struct pain *v, size_t n,
    struct err *e)
{
	static const struct rcol cols[] = {
		{"rank", "Очередность", "Rank", RK_COUNT},
		{"score", "Балл", "Score", RK_SCORE},
	};
	struct pain_decision *d;
	struct rtable	     *t;
	json_t		     *a, *it;
	json_error_t	      je;
	size_t		      nd, i, k;
	const struct pain    *p;
	const char	     *title;
	char		      day[11], tz[64], *ru, *en;
	int64_t		      pid;

	if (pain_decisions(db, rep->org_id, &d, &nd, e) != 0)
		return -1;
	for (i = 0; i < nd; i++)
		if (strcmp(d[i].client, rep->client) == 0)
			break;
	if (i == nd) {
		pain_decisions_free(d, nd);
		return 0;
	}
	a = json_loads(d[i].ranking, 0, &je);
	if (a == NULL || !json_is_array(a)) {
		json_decref(a);
		pain_decisions_free(d, nd);
		return err_set(e, EXIT_SOFTWARE, "pain decision %" PRId64
		    ": the stored ranking is not a JSON array", d[i].id);
	}
	t = report_table(rep, "pain_decision",
	    "Решение рабочей группы об очередности реинжиниринга",
	    "The working group's order of reengineering", cols, nitems(cols));
	date_format(date_local(d[i].decided_at, org_tz(db, rep->org_id, tz)),
	    day);
	ru = xasprintf("Протокол: %s; период: %s; принято %s. Мера, "
	    "ответственное подразделение, срок и статус — на сегодня.",
	    d[i].minutes_ref, d[i].period, day);
	en = xasprintf("Minutes: %s; period: %s; decided %s. Measure, "
	    "responsible unit, due date and state as they stand today.",
	    d[i].minutes_ref, d[i].period, day);
	report_note(t, ru, en);
	free(ru);
	free(en);
	json_array_foreach(a, k, it) {
		pid = json_integer_value(json_object_get(it, "pain"));
		title = json_string_value(json_object_get(it, "title"));
		p = NULL;
		for (i = 0; i < n; i++)
			if (v[i].id == pid) {
				p = &v[i];
				break;
			}
		decision_row(t, p, pid,
		    (int)json_integer_value(json_object_get(it, "rank")),
		    json_number_value(json_object_get(it, "score")),
		    json_integer_value(json_object_get(it, "signals")),
		    title != NULL ? title : (p != NULL ? p->title : ""));
	}
	json_decref(a);
	pain_decisions_free(d, nd);
	return 0;
}

int
pain_report(struct db *db, struct report *rep, struct err *e)
{
	struct pain *v;
	size_t	     n;
	int	     r;
	const char  *client = rep->client[0] != '\0' ? rep->client :
	    "external";

	if (rep->client[0] == '\0')
		snprintf(rep->client, sizeof(rep->client), "%s", client);
	if (pain_map(db, rep->org_id, rep->client, rep->from, rep->to, &v, &n,
	    e) != 0)
		return -1;
	pain_table(rep, v, n);
	r = decision_table(db, rep, v, n, e);
	pain_free(v, n);
	return r;
}

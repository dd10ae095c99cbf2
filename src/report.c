/*
 * Reports (R-AN): the period a report covers, the half-year report of
 * R-AN-1…3 and the public yearly report of R-AN-6 built from the rollup
 * tables of rollup.h, suppression of small figures, and the publication
 * of the yearly report.
 *
 * The read path of DESIGN.md: every table is one GROUP BY over a rollup's
 * key prefix (org_id, grain, day, client …) run once per span of
 * rollup_spans (the month rows of whole months, the day rows of the
 * months in part) and added up here, so the cost grows with months and
 * dimensions, not with messages.  Besides the rollups only small
 * dictionaries are read (topics, current touchpoints, units, survey
 * definitions), and two bounded detail queries: the messages past their
 * deadline now (the queue index) and the latest breaches (LIMIT over the
 * receipt index).
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "otklik.h"
#include "audit.h"
#include "db.h"
#include "feedback.h"
#include "feedback_timer.h"
#include "level.h"
#include "pain.h"
#include "registry.h"
#include "report.h"
#include "rollup.h"
#include "survey.h"

#define PERIOD_YEARS_MAX 10	/* FROM..TO */
#define TOP_MAX		 10	/* reasons and topics shown by name */
#define BREACHES_MAX	 50	/* listed breaches */
#define BREACH_SCAN_MAX	 100000	/* messages looked at for them */
#define GROUPS_MAX	 100000	/* rows of one GROUP BY kept */
#define CHANNELS_MAX	 64	/* channel codes in one report */
#define SUMMARY_MAX	 4000	/* bytes of a publication's summary */
#define K_MAX		 1000

/* ---- periods ---- */

static int
parse_uint(const char *s, size_t len, int *out)
{
	size_t i;
	int    v = 0;

	if (len == 0 || len > 4)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int32_t
month_start(int y, int m)
{
	while (m < 1) {
		m += 12;
		y--;
	}
	while (m > 12) {
		m -= 12;
		y++;
	}
	return date_from_ymd(y, m, 1);
}

/* Months [y-m, y-(m+count)) and the same number of months before. */
static void
months(int y, int m, int count, int32_t *from, int32_t *to,
    int32_t *pfrom, int32_t *pto)
{
	*from = month_start(y, m);
	*to = month_start(y, m + count) - 1;
	*pfrom = month_start(y, m - count);
	*pto = *from - 1;
}

int
report_period(const char *p, int32_t *from, int32_t *to, int32_t *prev_from,
    int32_t *prev_to, struct err *e)
{
	const char *dots;
	char	    a[11], b[11];
	size_t	    len;
	int	    y, m, ey, em, ed;
	int32_t	    d1, d2, limit;

	if (p == NULL || *p == '\0')
		return err_set(e, EXIT_USAGE, "period: none given (2026H1, "
		    "2026Q2, 2026, 2026-05 or FROM..TO)");
	len = strlen(p);
	if ((dots = strstr(p, "..")) != NULL) {
		if ((size_t)(dots - p) != 10 || strlen(dots + 2) != 10)
			goto bad;
		memcpy(a, p, 10);
		a[10] = '\0';
		memcpy(b, dots + 2, 11);
		if (date_parse(a, &d1) != 0 || date_parse(b, &d2) != 0)
			goto bad;
		if (d2 < d1)
			return err_set(e, EXIT_USAGE, "period '%s': ends "
			    "before it begins", p);
		date_to_ymd(d1, &ey, &em, &ed);
		limit = date_from_ymd(ey + PERIOD_YEARS_MAX, em, ed) - 1;
		if (d2 > limit)
			return err_set(e, EXIT_USAGE, "period '%s': longer "
			    "than %d years", p, PERIOD_YEARS_MAX);
		*from = d1;
		*to = d2;
		*prev_to = d1 - 1;
		*prev_from = d1 - (d2 - d1 + 1);
		return 0;
	}
	if (len < 4 || parse_uint(p, 4, &y) != 0 || y < 1971 || y > 2100)
		goto bad;
	if (len == 4) {
		months(y, 1, 12, from, to, prev_from, prev_to);
		return 0;
	}
	if (len == 6 && p[4] == 'H' && (p[5] == '1' || p[5] == '2')) {
		months(y, p[5] == '1' ? 1 : 7, 6, from, to, prev_from, prev_to);
		return 0;
	}
	if (len == 6 && p[4] == 'Q' && p[5] >= '1' && p[5] <= '4') {
		months(y, (p[5] - '1') * 3 + 1, 3, from, to, prev_from,
		    prev_to);
		return 0;
	}
	if (len == 7 && p[4] == '-' && parse_uint(p + 5, 2, &m) == 0 &&
	    m >= 1 && m <= 12) {
		months(y, m, 1, from, to, prev_from, prev_to);
		return 0;
	}
bad:
	return err_set(e, EXIT_USAGE, "period '%s': expected 2026H1, 2026H2, "
	    "2026Q1…2026Q4, 2026, 2026-05 or YYYY-MM-DD..YYYY-MM-DD", p);
}

void
report_period_current(int32_t today, char out[8])
{
	int y, m, d;

	date_to_ymd(today, &y, &m, &d);
	snprintf(out, 8, "%04dH%d", y % 10000, m <= 6 ? 1 : 2);
}

/* ---- dictionaries ---- */

struct named {
	int64_t id;
	char   *name;
	char   *channel;	/* touchpoints */
	char   *kind;		/* topics: topic, reason */
};

struct dict {
	struct named *v;
	size_t	      n;
};

static void
dict_free(struct dict *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].name);
		free(d->v[i].channel);
		free(d->v[i].kind);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

static int
named_cmp(const void *a, const void *b)
{
	const struct named *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Rows of (id, name[, third]) into a dictionary sorted by id. */
static int
dict_load(struct db *db, struct dict *d, const char *sql, int64_t org_id,
    int third_is_kind, struct err *e)
{
	struct db_stmt *st;
	struct named   *x;
	size_t		cap = 0;
	int		r;

	memset(d, 0, sizeof(*d));
	if ((st = db_prepare(db, sql, "i", org_id)) == NULL)
		return err_set(e, EXIT_IOERR, "report: %s", db_errmsg(db));
	while ((r = db_step(st)) == DB_ROW) {
		if (d->n >= GROUPS_MAX)
			break;
		if (d->n == cap) {
			cap = cap == 0 ? 32 : cap * 2;
			d->v = xreallocarray(d->v, cap, sizeof(*d->v));
		}
		x = &d->v[d->n++];
		memset(x, 0, sizeof(*x));
		x->id = db_col_int(st, 0);
		x->name = db_col_dup(st, 1);
		if (db_ncols(st) > 2) {
			if (third_is_kind)
				x->kind = db_col_dup(st, 2);
			else
				x->channel = db_col_dup(st, 2);
		}
	}
	db_finalize(st);
	if (r == DB_FAIL) {
		dict_free(d);
		return err_set(e, EXIT_IOERR, "report: %s", db_errmsg(db));
	}
	if (d->n > 0)
		qsort(d->v, d->n, sizeof(*d->v), named_cmp);
	return 0;
}

static const struct named *
dict_find(const struct dict *d, int64_t id)
{
	struct named key;

	if (d->n == 0)
		return NULL;
	memset(&key, 0, sizeof(key));
	key.id = id;
	return bsearch(&key, d->v, d->n, sizeof(*d->v), named_cmp);
}

/* ---- survey labels: the rating parameters and segments ---- */

struct label {
	char *code;
	char *ru, *en;
	int   order;
};

struct labels {
	struct label *v;
	size_t	      n, cap;
};

static void
labels_free(struct labels *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].code);
		free(l->v[i].ru);
		free(l->v[i].en);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static const struct label *
labels_find(const struct labels *l, const char *code)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].code, code) == 0)
			return &l->v[i];
	return NULL;
}

static void
labels_add(struct labels *l, const char *code, const char *ru,
    const char *en)
{
	struct label *x;

	if (labels_find(l, code) != NULL || l->n >= 1000)
		return;
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 32 : l->cap * 2;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	x = &l->v[l->n];
	x->code = xstrdup(code);
	x->ru = xstrdup(ru);
	x->en = xstrdup(en != NULL ? en : ru);
	x->order = (int)l->n++;
}

/*
 * A rating question's parameter as a label: the standard instruments
 * name it before a colon ("Доступность: насколько легко…"); the
 * question coded "overall" differs per instrument and is the overall
 * rating; otherwise the question's text (the internal dimensions are
 * named by their whole text, as in 003 §3.2).
 */
static char *
param_label(const char *text)
{
	const char *colon = strchr(text, ':');

	if (colon != NULL && colon - text <= 120)
		return xstrndup(text, (size_t)(colon - text));
	return xstrdup(text);
}

static void
labels_from_def(struct labels *q, struct labels *seg, const struct srv_def *d)
{
	const struct srv_question *x;
	char			  *ru, *en;
	size_t			   i, j;

	for (i = 0; i < d->nq; i++) {
		x = &d->q[i];
		if (x->type == SRV_RATING) {
			if (strcmp(x->code, "overall") == 0) {
				labels_add(q, x->code, "В целом", "Overall");
				continue;
			}
			ru = param_label(x->text_ru);
			en = param_label(x->text_en != NULL ? x->text_en :
			    x->text_ru);
			labels_add(q, x->code, ru, en);
			free(ru);
			free(en);
		} else if (strcmp(x->code, "segment") == 0)
			for (j = 0; j < x->noptions; j++)
				labels_add(seg, x->options[j].code,
				    x->options[j].text_ru,
				    x->options[j].text_en);
	}
}

/* The standard instruments first (their order is the parameters'),
 * then the organization's published ones. */
static void
labels_load(struct db *db, int64_t org_id, struct labels *q,
    struct labels *seg)
{
	static const char *const std[] = {"surveys/services.json",
	    "surveys/appeals.json", "surveys/information.json",
	    "surveys/internal.json"};
	const struct embedded_file *f;
	struct db_stmt		   *st;
	struct srv_def		    d;
	struct err		    e;
	const char		   *json;
	size_t			    i, count = 0;

	for (i = 0; i < nitems(std); i++) {
		if ((f = embedded_find(std[i])) == NULL)
			continue;
		memset(&d, 0, sizeof(d));
		if (srv_def_parse(&d, (const char *)f->data, f->len, &e) == 0) {
			labels_from_def(q, seg, &d);
			srv_def_clear(&d);
		}
	}
	st = db_prepare(db, "SELECT definition FROM srv_version "
	    "WHERE org_id = ? AND state = 'published' ORDER BY id", "i",
	    org_id);
	while (st != NULL && db_step(st) == DB_ROW && count++ < 1000) {
		if ((json = db_col_text(st, 0)) == NULL)
			continue;
		memset(&d, 0, sizeof(d));
		if (srv_def_parse(&d, json, strlen(json), &e) == 0) {
			labels_from_def(q, seg, &d);
			srv_def_clear(&d);
		}
	}
	db_finalize(st);
}

/* ---- building ---- */

struct bctx {
	struct db	*db;
	struct report	*rep;
	struct err	*e;
	const char	*client;
	int64_t		 now;
	char		*tz;
	struct dict	 tps, units, topics;
	struct labels	 questions, segments;
};

static int
dberr(struct bctx *c)
{
	return err_set(c->e, EXIT_IOERR, "report: %s", db_errmsg(c->db));
}

int
report_spans(struct db *db, const char *sql, int64_t org_id, int32_t from,
    int32_t to, const char *client, int (*fn)(void *, struct db_stmt *),
    void *arg, struct err *e)
{
	struct rollup_span sp[3];
	struct db_stmt	  *st;
	int		   i, n, r;

	if (from > to)
		return 0;
	n = rollup_spans(from, to, sp);
	for (i = 0; i < n; i++) {
		if (client != NULL)
			st = db_prepare(db, sql, "itttt", org_id, sp[i].grain,
			    sp[i].lo, sp[i].hi, client);
		else
			st = db_prepare(db, sql, "ittt", org_id, sp[i].grain,
			    sp[i].lo, sp[i].hi);
		if (st == NULL)
			return err_set(e, EXIT_IOERR, "report: %s",
			    db_errmsg(db));
		while ((r = db_step(st)) == DB_ROW)
			if (fn(arg, st) != 0) {
				db_finalize(st);
				return -1;
			}
		db_finalize(st);
		if (r == DB_FAIL)
			return err_set(e, EXIT_IOERR, "report: %s",
			    db_errmsg(db));
	}
	return 0;
}

static const char *
channel_title(const char *code, int ru)
{
	int ch = channel_from_code(code);

	if (ch < 0)
		return code;
	return ru ? channels[ch].title_ru : channels[ch].title_en;
}

/* Rows of tables keyed by channel keep the order of channels[]. */
static int
channel_order(const char *code)
{
	int ch = channel_from_code(code);

	return ch < 0 ? CH__COUNT : ch;
}

/*
 * A key made of [a-z0-9_-] for a free name (a service, a situation): a
 * prefix and the name's FNV-1a hash, the same in every period.
 */
static void
name_key(char out[REPORT_KEY_MAX], const char *prefix, const char *name)
{
	uint32_t      h = 2166136261u;
	const uint8_t *p;

	for (p = (const uint8_t *)name; *p != '\0'; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	snprintf(out, REPORT_KEY_MAX, "%s%08" PRIx32, prefix, h);
}

static double
share(int64_t part, int64_t whole)
{
	return whole > 0 ? 100.0 * (double)part / (double)whole : 0;
}

/* A row of a grouped rollup: a key, labels, an order, and sums. */
#define SUMS 10
struct grp {
	char	key[REPORT_KEY_MAX];
	char   *ru, *en;
	int	order;
	int64_t s[SUMS];
};

struct grps {
	struct grp *v;
	size_t	    n, cap;
	size_t	   *idx;	/* open addressing: index + 1, 0 empty */
	size_t	    nidx;	/* a power of 2, at least twice n */
};

static void
grps_free(struct grps *g)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		free(g->v[i].ru);
		free(g->v[i].en);
	}
	free(g->v);
	free(g->idx);
	memset(g, 0, sizeof(*g));
}

static size_t
key_hash(const char *k)
{
	size_t h = 14695981039346656037u;

	for (; *k != '\0'; k++) {
		h ^= (unsigned char)*k;
		h *= 1099511628211u;
	}
	return h;
}

static void
grps_reindex(struct grps *g)
{
	size_t i, h;

	free(g->idx);
	g->nidx = g->nidx == 0 ? 64 : g->nidx * 2;
	g->idx = xcalloc(g->nidx, sizeof(*g->idx));
	for (i = 0; i < g->n; i++) {
		h = key_hash(g->v[i].key) & (g->nidx - 1);
		while (g->idx[h] != 0)
			h = (h + 1) & (g->nidx - 1);
		g->idx[h] = i + 1;
	}
}

/* The group of a key, made on first use (its labels then). */
static struct grp *
grps_get(struct grps *g, const char *key, const char *ru, const char *en,
    int order)
{
	struct grp *x;
	size_t	    h;

	if (g->nidx < 2 * (g->n + 1))
		grps_reindex(g);
	h = key_hash(key) & (g->nidx - 1);
	for (; g->idx[h] != 0; h = (h + 1) & (g->nidx - 1))
		if (strcmp(g->v[g->idx[h] - 1].key, key) == 0)
			return &g->v[g->idx[h] - 1];
	if (g->n >= GROUPS_MAX)
		return NULL;
	if (g->n == g->cap) {
		g->cap = g->cap == 0 ? 16 : g->cap * 2;
		g->v = xreallocarray(g->v, g->cap, sizeof(*g->v));
	}
	x = &g->v[g->n++];
	memset(x, 0, sizeof(*x));
	snprintf(x->key, sizeof(x->key), "%s", key);
	x->ru = xstrdup(ru);
	x->en = xstrdup(en != NULL ? en : ru);
	x->order = order;
	g->idx[h] = g->n;
	return x;
}

static int
grp_cmp(const void *a, const void *b)
{
	const struct grp *x = a, *y = b;
	int		  r;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	if ((r = strcmp(x->ru, y->ru)) != 0)
		return r;
	return strcmp(x->key, y->key);
}

/* Sorting moves the groups: the index is made again on next use. */
static void
grps_sort(struct grps *g)
{
	if (g->n > 1)
		qsort(g->v, g->n, sizeof(*g->v), grp_cmp);
	free(g->idx);
	g->idx = NULL;
	g->nidx = 0;
}

/* Grouped by count, largest first (ties by label), for top lists. */
static int
grp_cmp_count(const void *a, const void *b)
{
	const struct grp *x = a, *y = b;

	if (x->s[0] != y->s[0])
		return x->s[0] > y->s[0] ? -1 : 1;
	return grp_cmp(a, b);
}

/*
 * What the rows of the spans of a period are added to: report_spans
 * hands a callback the rows of one span after another, and a figure of
 * the period is the sum over its spans (a maximum the largest of them).
 */
typedef struct grp *(*sat_file_fn)(struct bctx *, struct grps *,
    const char *text, int64_t num);

struct fold {
	struct bctx	*c;
	struct grps	*g;	/* the groups, or sat_base's SB__COUNT */
	sat_file_fn	 file;
	int		 prev;	/* the sums of the previous period */
	int		 reasons;
	int64_t		 total, none;
	struct hists	*hs;
};

/* ---- R-AN-1: messages ---- */

/* Sums over an_fb per channel, the basis of three tables. */
enum { FB_MESSAGES, FB_ANSWERED, FB_ONTIME, FB_LATE, FB_MINSUM, FB_MINMAX,
	FB_COMPLAINTS, FB_SATISFIED, FB_UNSATISFIED };

static int
fb_row(void *arg, struct db_stmt *st)
{
	struct fold *f = arg;
	struct grp  *x;
	const char  *ch;
	int64_t	     v;
	int	     i;

	if ((ch = db_col_text(st, 0)) == NULL)
		return 0;
	x = grps_get(f->g, ch, channel_title(ch, 1), channel_title(ch, 0),
	    channel_order(ch));
	if (x == NULL)
		return 0;
	for (i = 0; i < 9; i++) {
		v = db_col_int(st, i + 1);
		if (i != FB_MINMAX)
			x->s[i] += v;
		else if (v > x->s[i])
			x->s[i] = v;
	}
	return 0;
}

static int
fb_sums(struct bctx *c, struct grps *g)
{
	struct fold f = {.c = c, .g = g};

	if (report_spans(c->db,
	    "SELECT channel, SUM(messages), SUM(answered), SUM(on_time), "
	    "SUM(late), SUM(minutes_sum), MAX(CASE WHEN answered > 0 THEN "
	    "minutes_max ELSE 0 END), "
	    "SUM(CASE WHEN kind = 'complaint' THEN messages ELSE 0 END), "
	    "SUM(CASE WHEN kind = 'complaint' THEN satisfied ELSE 0 END), "
	    "SUM(CASE WHEN kind = 'complaint' THEN unsatisfied ELSE 0 END) "
	    "FROM an_fb WHERE org_id = ? AND grain = ? AND day BETWEEN ? "
	    "AND ? AND client = ? GROUP BY channel", c->rep->org_id,
	    c->rep->from, c->rep->to, c->client, fb_row, &f, c->e) != 0)
		return -1;
	grps_sort(g);
	return 0;
}

static const struct rcol count_share_cols[] = {
	{"count", "Количество", "Count", RK_COUNT},
	{"share", "Доля, %", "Share, %", RK_SHARE},
};

static void
count_share_row(struct rtable *t, const char *key, const char *ru,
    const char *en, int64_t count, int64_t total)
{
	struct rrow *r = report_row(t, key, ru, en);

	report_set(r, 0, (double)count, count);
	if (total > 0)
		report_set(r, 1, share(count, total), count);
}

static void
table_contacts(struct bctx *c, const struct grps *g)
{
	struct rtable *t;
	int64_t	       total = 0;
	size_t	       i;

	for (i = 0; i < g->n; i++)
		total += g->v[i].s[FB_MESSAGES];
	t = report_table(c->rep, "contacts",
	    "Количество обратившихся посредством всех средств связи с "
	    "указанием доли в процентном соотношении по различным каналам",
	    "Contacts over all channels and each channel's share in %",
	    count_share_cols, 2);
	t->parts = 1;
	t->chart = RC_BARS;
	t->chart_col = 1;
	report_note(t, "Доля канала — его обращения в процентах от всех "
	    "обращений за период.", "A channel's share is its messages in "
	    "per cent of all messages of the period.");
	for (i = 0; i < g->n; i++)
		if (g->v[i].s[FB_MESSAGES] > 0)
			count_share_row(t, g->v[i].key, g->v[i].ru,
			    g->v[i].en, g->v[i].s[FB_MESSAGES], total);
	count_share_row(t, "total", "Всего", "Total", total, total);
	t->rows[t->nrows - 1].total = 1;
}

static int
ranked_row(void *arg, struct db_stmt *st)
{
	struct fold	   *f = arg;
	const struct named *nm;
	struct grp	   *x;
	char		    key[REPORT_KEY_MAX];
	int64_t		    id, cnt;

	id = db_col_int(st, 0);
	cnt = db_col_int(st, 1);
	f->total += cnt;
	if (id == 0) {
		f->none += cnt;
		return 0;
	}
	snprintf(key, sizeof(key), "%c%" PRId64, f->reasons ? 'r' : 't', id);
	nm = dict_find(&f->c->topics, id);
	if ((x = grps_get(f->g, key, nm != NULL ? nm->name : key, NULL,
	    0)) != NULL)
		x->s[0] += cnt;
	return 0;
}

/* Reasons or topics (kind) from an_topic: the ten largest, the rest,
 * the messages without one, the total. */
static int
table_ranked(struct bctx *c, int reasons)
{
	struct grps	    g;
	struct fold	    f = {.c = c, .g = &g, .reasons = reasons};
	struct rtable	   *t;
	int64_t		    total, none, other = 0;
	size_t		    i, shown = 0;

	memset(&g, 0, sizeof(g));
	if (report_spans(c->db, reasons ?
	    "SELECT reason_id, SUM(messages) FROM an_topic WHERE org_id = ? "
	    "AND grain = ? AND day BETWEEN ? AND ? AND client = ? "
	    "GROUP BY reason_id" :
	    "SELECT topic_id, SUM(messages) FROM an_topic WHERE org_id = ? "
	    "AND grain = ? AND day BETWEEN ? AND ? AND client = ? "
	    "GROUP BY topic_id", c->rep->org_id, c->rep->from, c->rep->to,
	    c->client, ranked_row, &f, c->e) != 0) {
		grps_free(&g);
		return -1;
	}
	total = f.total;
	none = f.none;
	if (g.n > 1)
		qsort(g.v, g.n, sizeof(*g.v), grp_cmp_count);
	free(g.idx);
	g.idx = NULL;
	g.nidx = 0;

	if (reasons)
		t = report_table(c->rep, "reasons",
		    "Основные причины, побудившие к отклику",
		    "Main reasons that prompted responses", count_share_cols,
		    2);
	else
		t = report_table(c->rep, "topics",
		    "Количество откликов по конкретной тематике",
		    "Responses per topic", count_share_cols, 2);
	t->parts = 1;
	t->chart = RC_BARS;
	t->chart_col = 1;
	report_note(t, "Первые 10 по числу откликов; остальные — в строке "
	    "«Прочие». Доля — в процентах от всех откликов за период.",
	    "The first 10 by responses; the rest in \"Other\". A share is "
	    "in per cent of all responses of the period.");
	for (i = 0; i < g.n; i++) {
		if (shown < TOP_MAX) {
			count_share_row(t, g.v[i].key, g.v[i].ru, g.v[i].en,
			    g.v[i].s[0], total);
			shown++;
		} else
			other += g.v[i].s[0];
	}
	count_share_row(t, "other", "Прочие", "Other", other, total);
	count_share_row(t, "none", reasons ? "Без причины" : "Без темы",
	    reasons ? "No reason" : "No topic", none, total);
	count_share_row(t, "total", "Всего", "Total", total, total);
	t->rows[t->nrows - 1].total = 1;
	grps_free(&g);
	return 0;
}

/* The merged histograms of time to answer, per channel and in all. */
struct hists {
	char	key[CHANNELS_MAX][REPORT_KEY_MAX];
	int64_t h[CHANNELS_MAX + 1][ROLLUP_BUCKETS];	/* last: all */
	size_t	n;
};

static int
hist_row(void *arg, struct db_stmt *st)
{
	struct hists *hs = ((struct fold *)arg)->hs;
	const char   *ch;
	int64_t	      b, n;
	size_t	      i;

	ch = db_col_text(st, 0);
	b = db_col_int(st, 1);
	n = db_col_int(st, 2);
	if (ch == NULL || b < 0 || b >= ROLLUP_BUCKETS)
		return 0;
	for (i = 0; i < hs->n; i++)
		if (strcmp(hs->key[i], ch) == 0)
			break;
	if (i == hs->n) {
		if (hs->n >= CHANNELS_MAX)
			return 0;
		snprintf(hs->key[hs->n++], REPORT_KEY_MAX, "%s", ch);
	}
	hs->h[i][b] += n;
	hs->h[CHANNELS_MAX][b] += n;
	return 0;
}

static int
hist_load(struct bctx *c, struct hists *hs)
{
	struct fold f = {.c = c, .hs = hs};

	return report_spans(c->db, "SELECT channel, bucket, SUM(n) FROM "
	    "an_fb_hist WHERE org_id = ? AND grain = ? AND day BETWEEN ? "
	    "AND ? AND client = ? GROUP BY channel, bucket", c->rep->org_id,
	    c->rep->from, c->rep->to, c->client, hist_row, &f, c->e);
}

static const int64_t *
hist_of(const struct hists *hs, const char *key)
{
	size_t i;

	if (key == NULL)
		return hs->h[CHANNELS_MAX];
	for (i = 0; i < hs->n; i++)
		if (strcmp(hs->key[i], key) == 0)
			return hs->h[i];
	return NULL;
}

static const struct rcol answer_cols[] = {
	{"mean", "Среднее время ответа", "Mean time to answer", RK_MINUTES},
	{"median", "Медиана", "Median", RK_MINUTES},
	{"p90", "90-й процентиль", "90th percentile", RK_MINUTES},
	{"max", "Максимум", "Maximum", RK_MINUTES},
	{"answered", "Дано ответов", "Answered", RK_COUNT},
	{"on_time", "В срок", "On time", RK_COUNT},
	{"late", "С нарушением срока", "Late", RK_COUNT},
	{"on_time_share", "Доля в срок, %", "On time, %", RK_SHARE},
	{"late_share", "Доля с нарушением срока, %", "Late, %", RK_SHARE},
};

static void
answer_row(struct rtable *t, const char *key, const char *ru, const char *en,
    const int64_t *s, const int64_t *hist)
{
	struct rrow *r = report_row(t, key, ru, en);
	int64_t	     answered = s[FB_ANSWERED];
	int64_t	     judged = s[FB_ONTIME] + s[FB_LATE];

	if (answered > 0) {
		report_set(r, 0, (double)s[FB_MINSUM] / (double)answered,
		    answered);
		if (hist != NULL && rollup_quantile(hist, 0.5) >= 0) {
			report_set(r, 1, rollup_quantile(hist, 0.5), answered);
			report_set(r, 2, rollup_quantile(hist, 0.9), answered);
		}
		report_set(r, 3, (double)s[FB_MINMAX], answered);
	}
	report_set(r, 4, (double)answered, answered);
	if (judged > 0) {
		report_set(r, 5, (double)s[FB_ONTIME], judged);
		report_set(r, 6, (double)s[FB_LATE], judged);
		report_set(r, 7, share(s[FB_ONTIME], judged), judged);
		report_set(r, 8, share(s[FB_LATE], judged), judged);
	}
}

static int
table_answer_time(struct bctx *c, const struct grps *g)
{
	struct hists  *hs;
	struct rtable *t;
	int64_t	       all[SUMS];
	size_t	       i, j;

	hs = xcalloc(1, sizeof(*hs));
	if (hist_load(c, hs) != 0) {
		free(hs);
		return -1;
	}
	t = report_table(c->rep, "answer_time",
	    "Время ожидания ответа (время, прошедшее с момента регистрации "
	    "обращения, жалобы до момента ответа заявителю)",
	    "Time to answer (from registration to the answer)", answer_cols,
	    nitems(answer_cols));
	t->parts = 1;
	t->chart = RC_BARS;
	t->chart_col = 0;
	report_note(t, "Среднее и максимум точны; медиана и 90-й процентиль "
	    "взяты из гистограммы и отличаются от точных не более чем на 2 %. "
	    "В срок и с нарушением — среди ответов на сообщения со сроком.",
	    "The mean and the maximum are exact; the median and the 90th "
	    "percentile come from a histogram and are within 2 % of the exact "
	    "ones.  On time and late count the answers to messages with a "
	    "deadline.");
	memset(all, 0, sizeof(all));
	for (i = 0; i < g->n; i++) {
		for (j = 0; j < SUMS; j++)
			all[j] += j == FB_MINMAX ? 0 : g->v[i].s[j];
		if (g->v[i].s[FB_MINMAX] > all[FB_MINMAX])
			all[FB_MINMAX] = g->v[i].s[FB_MINMAX];
		if (g->v[i].s[FB_MESSAGES] > 0)
			answer_row(t, g->v[i].key, g->v[i].ru, g->v[i].en,
			    g->v[i].s, hist_of(hs, g->v[i].key));
	}
	answer_row(t, "total", "Всего", "Total", all, hist_of(hs, NULL));
	t->rows[t->nrows - 1].total = 1;
	free(hs);
	return 0;
}

/*
 * The messages still waiting for an answer past its deadline now: a
 * detail query, bounded by the queue index (org_id, state, answer_due)
 * to the open states and the deadlines already past.  Answered messages
 * are not waiting, so only the three states before the answer count.
 */
static int
table_overdue(struct bctx *c)
{
	struct db_stmt *st;
	struct grps	g;
	struct grp     *x;
	struct rtable  *t;
	const char     *ch;
	int64_t		total = 0;
	size_t		i;
	int		r;

	memset(&g, 0, sizeof(g));
	st = db_prepare(c->db, "SELECT channel, COUNT(*) FROM fb_message "
	    "WHERE org_id = ? AND state IN ('registered', 'acknowledged', "
	    "'in_work') AND answer_due < ? AND client = ? GROUP BY channel",
	    "iit", c->rep->org_id, c->now, c->client);
	if (st == NULL)
		return dberr(c);
	while ((r = db_step(st)) == DB_ROW) {
		if ((ch = db_col_text(st, 0)) == NULL)
			continue;
		if ((x = grps_get(&g, ch, channel_title(ch, 1),
		    channel_title(ch, 0), channel_order(ch))) == NULL)
			break;
		x->s[0] = db_col_int(st, 1);
		total += x->s[0];
	}
	db_finalize(st);
	if (r == DB_FAIL) {
		grps_free(&g);
		return dberr(c);
	}
	grps_sort(&g);
	t = report_table(c->rep, "overdue",
	    "Сообщения без ответа с истекшим сроком (на момент отчета)",
	    "Messages past their deadline without an answer (now)",
	    count_share_cols, 1);
	t->parts = 1;
	report_note(t, "На момент построения отчета, за любой период "
	    "поступления.", "At the time the report was built, whenever "
	    "they were received.");
	for (i = 0; i < g.n; i++)
		count_share_row(t, g.v[i].key, g.v[i].ru, g.v[i].en,
		    g.v[i].s[0], 0);
	count_share_row(t, "total", "Всего", "Total", total, 0);
	t->rows[t->nrows - 1].total = 1;
	grps_free(&g);
	return 0;
}

static void
table_complaints(struct bctx *c, const struct grps *g)
{
	struct rtable *t;
	int64_t	       all = 0, sat = 0, unsat = 0;
	size_t	       i;

	for (i = 0; i < g->n; i++) {
		all += g->v[i].s[FB_COMPLAINTS];
		sat += g->v[i].s[FB_SATISFIED];
		unsat += g->v[i].s[FB_UNSATISFIED];
	}
	t = report_table(c->rep, "complaints",
	    "Количество и доля удовлетворенных и неудовлетворенных жалоб",
	    "Satisfied and unsatisfied complaints", count_share_cols, 2);
	t->parts = 1;
	t->chart = RC_BARS;
	t->chart_col = 1;
	report_note(t, "Доля — от числа всех жалоб, поступивших за период "
	    "(003 §2.5); жалобы без результата еще рассматриваются.",
	    "A share is of all complaints received in the period (003 "
	    "§2.5); those without an outcome are still being handled.");
	count_share_row(t, "satisfied",
	    "Количество и доля удовлетворенных жалоб",
	    "Satisfied complaints", sat, all);
	count_share_row(t, "unsatisfied",
	    "Количество и доля неудовлетворенных жалоб",
	    "Unsatisfied complaints", unsat, all);
	count_share_row(t, "pending", "Без результата", "No outcome yet",
	    all - sat - unsat, all);
	count_share_row(t, "total", "Всего жалоб", "All complaints", all, all);
	t->rows[t->nrows - 1].total = 1;
}

/* ---- R-AN-2: satisfaction ---- */

/* Sums of a group of ratings: now (n, 4–5, sum of ratings), before. */
enum { SAT_N, SAT_TOP, SAT_SUM, SAT_PN, SAT_PSUM, SAT__COUNT };

/* The sums of a row of an_srv, added to a group's now or before. */
#define SAT_SUMS_SQL \
	"SUM(n), SUM(r4 + r5), SUM(r1 + 2 * r2 + 3 * r3 + 4 * r4 + 5 * r5)"

static void
sat_add(struct grp *x, struct db_stmt *st, int col, int prev)
{
	if (prev) {
		x->s[SAT_PN] += db_col_int(st, col);
		x->s[SAT_PSUM] += db_col_int(st, col + 2);
	} else {
		x->s[SAT_N] += db_col_int(st, col);
		x->s[SAT_TOP] += db_col_int(st, col + 1);
		x->s[SAT_SUM] += db_col_int(st, col + 2);
	}
}

/* The spans of the period, then those of the previous one apart. */
static int
sat_spans(struct bctx *c, const char *sql, int with_prev,
    int (*fn)(void *, struct db_stmt *), struct fold *f)
{
	f->prev = 0;
	if (report_spans(c->db, sql, c->rep->org_id, c->rep->from,
	    c->rep->to, c->client, fn, f, c->e) != 0)
		return -1;
	if (!with_prev)
		return 0;
	f->prev = 1;
	return report_spans(c->db, sql, c->rep->org_id, c->rep->prev_from,
	    c->rep->prev_to, c->client, fn, f, c->e);
}

static int
sat_row_fold(void *arg, struct db_stmt *st)
{
	struct fold *f = arg;
	struct grp  *x;
	const char  *txt = db_col_text(st, 0);

	if ((x = f->file(f->c, f->g, txt != NULL ? txt : "", 0)) != NULL)
		sat_add(x, st, 1, f->prev);
	return 0;
}

/*
 * The ratings of an_srv grouped by the first column of sql (a constant:
 * SAT_BY_VALUE or SAT_BY_MONTH), filed by file.  The ratings with no
 * value of the dimension are those of all (the pooled sums of dim
 * 'all') less the others: with all given, they are filed under the
 * value "".
 */
#define SAT_BY(group, dim)						\
	"SELECT " group ", " SAT_SUMS_SQL " FROM an_srv WHERE org_id = ? "	\
	"AND grain = ? AND day BETWEEN ? AND ? AND client = ? AND dim = '"	\
	dim "' GROUP BY 1"
#define SAT_BY_VALUE(dim)	SAT_BY("value", dim)
#define SAT_BY_MONTH		SAT_BY("substr(day, 1, 7)", "all")

static int
sat_query(struct bctx *c, const char *sql, int with_prev,
    const int64_t *all, struct grps *g, sat_file_fn file)
{
	struct fold f = {.c = c, .g = g, .file = file};
	struct grp *x;
	int64_t	    rest[SAT__COUNT];
	size_t	    i, j;
	int	    any = 0;

	if (sat_spans(c, sql, with_prev, sat_row_fold, &f) != 0)
		return -1;
	if (all != NULL) {
		for (j = 0; j < SAT__COUNT; j++) {
			rest[j] = all[j];
			for (i = 0; i < g->n; i++)
				rest[j] -= g->v[i].s[j];
			any |= rest[j] != 0;
		}
		if (any && (x = file(c, g, "", 0)) != NULL)
			for (j = 0; j < SAT__COUNT; j++)
				x->s[j] += rest[j];
	}
	grps_sort(g);
	return 0;
}

static const struct rcol sat_cols[] = {
	{"n", "Число оценок", "Ratings", RK_COUNT},
	{"share", "Доля оценок 4–5, %", "Share of 4–5, %", RK_SHARE},
	{"index", "Индекс удовлетворенности (0–100)",
	    "Satisfaction index (0–100)", RK_INDEX},
	{"delta", "Изменение индекса к прошлому периоду",
	    "Change of the index on the previous period", RK_DELTA},
};

static const struct rcol sat_q_cols[] = {
	{"n", "Число оценок", "Ratings", RK_COUNT},
	{"share", "Доля оценок 4–5, %", "Share of 4–5, %", RK_SHARE},
	{"index", "Индекс удовлетворенности (0–100)",
	    "Satisfaction index (0–100)", RK_INDEX},
	{"mean", "Средняя оценка (1–5)", "Mean rating (1–5)", RK_MEAN},
	{"delta", "Изменение индекса к прошлому периоду",
	    "Change of the index on the previous period", RK_DELTA},
};

static double
sat_index(int64_t sum, int64_t n)
{
	return ((double)sum / (double)n - 1) * 25;
}

/* A row of pooled figures; with_mean for the per-question table. */
static void
sat_row(struct rtable *t, const char *key, const char *ru, const char *en,
    const int64_t *s, int with_mean)
{
	struct rrow *r = report_row(t, key, ru, en);
	size_t	     d = with_mean ? 4 : 3;

	report_set(r, 0, (double)s[SAT_N], s[SAT_N]);
	if (s[SAT_N] == 0)
		return;
	report_set(r, 1, share(s[SAT_TOP], s[SAT_N]), s[SAT_N]);
	report_set(r, 2, sat_index(s[SAT_SUM], s[SAT_N]), s[SAT_N]);
	if (with_mean)
		report_set(r, 3, (double)s[SAT_SUM] / (double)s[SAT_N],
		    s[SAT_N]);
	/* The change reveals the previous index: it counts the fewer. */
	if (s[SAT_PN] > 0)
		report_set(r, d, sat_index(s[SAT_SUM], s[SAT_N]) -
		    sat_index(s[SAT_PSUM], s[SAT_PN]),
		    s[SAT_PN] < s[SAT_N] ? s[SAT_PN] : s[SAT_N]);
}

/* Rows of groups, then the pooled total (the parts sum to it). */
static struct rtable *
sat_table(struct bctx *c, const char *key, const char *ru, const char *en,
    const struct grps *g, int with_mean, const char *total_ru,
    const char *total_en)
{
	struct rtable *t;
	int64_t	       all[SUMS];
	size_t	       i, j;

	t = report_table(c->rep, key, ru, en, with_mean ? sat_q_cols :
	    sat_cols, with_mean ? nitems(sat_q_cols) : nitems(sat_cols));
	t->parts = 1;
	t->chart = RC_BARS;
	t->chart_col = 2;
	report_note(t, "Индекс = (средняя оценка − 1) × 25; доля — оценки 4 "
	    "и 5 от всех оценок; изменение — в пунктах индекса к прошлому "
	    "периоду той же длины.", "Index = (mean rating - 1) × 25; the "
	    "share is of ratings 4 and 5 among all; the change is in index "
	    "points on the previous period of the same length.");
	memset(all, 0, sizeof(all));
	for (i = 0; i < g->n; i++) {
		for (j = 0; j < SUMS; j++)
			all[j] += g->v[i].s[j];
		if (g->v[i].s[SAT_N] > 0)
			sat_row(t, g->v[i].key, g->v[i].ru, g->v[i].en,
			    g->v[i].s, with_mean);
	}
	sat_row(t, "all", total_ru, total_en, all, with_mean);
	t->rows[t->nrows - 1].total = 1;
	return t;
}

static struct grp *
file_question(struct bctx *c, struct grps *g, const char *q, int64_t num)
{
	const struct label *l = labels_find(&c->questions, q);
	char		    key[REPORT_KEY_MAX];
	const char	   *p;

	(void)num;
	/* A question code is [a-z0-9_] by srv_def_parse; keep it so. */
	for (p = q; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '_' || *p == '-'))
			break;
	if (*p != '\0' || strlen(q) >= REPORT_KEY_MAX || *q == '\0')
		name_key(key, "q", q);
	else
		snprintf(key, sizeof(key), "%s", q);
	return grps_get(g, key, l != NULL ? l->ru : q, l != NULL ? l->en : q,
	    l != NULL ? l->order : 100000);
}

static struct grp *
file_touchpoint(struct bctx *c, struct grps *g, const char *txt, int64_t id)
{
	const struct named *nm = dict_find(&c->tps, id);
	char		    key[REPORT_KEY_MAX];

	(void)txt;
	if (id == 0)
		return grps_get(g, "none", "Без точки взаимодействия",
		    "No touchpoint", 1);
	snprintf(key, sizeof(key), "tp%" PRId64, id);
	if (nm == NULL)
		return grps_get(g, key, "Точка вне текущего реестра",
		    "A touchpoint not in the current registry", 0);
	return grps_get(g, key, nm->name, NULL, 0);
}

/* By the channel of the touchpoint; forms without one by their kind
 * (the number is -1 for an online form, -2 for a paper one). */
static struct grp *
file_channel(struct bctx *c, struct grps *g, const char *txt, int64_t id)
{
	const struct named *nm;

	(void)txt;
	if (id == -1)
		return grps_get(g, "online_form", "Анкета онлайн",
		    "Online form", CH__COUNT + 1);
	if (id == -2)
		return grps_get(g, "paper_form", "Бумажная анкета",
		    "Paper form", CH__COUNT + 2);
	if ((nm = dict_find(&c->tps, id)) == NULL || nm->channel == NULL)
		return grps_get(g, "unknown", "Канал не известен",
		    "Channel unknown", CH__COUNT + 3);
	return grps_get(g, nm->channel, channel_title(nm->channel, 1),
	    channel_title(nm->channel, 0), channel_order(nm->channel));
}

static struct grp *
file_form(struct bctx *c, struct grps *g, const char *form, int64_t num)
{
	const struct fb_code *f;
	int		      order = 0;

	(void)c;
	(void)num;
	if (*form == '\0')
		return grps_get(g, "own", "Анкета организации",
		    "The organization's own survey", 100);
	for (f = fb_forms; f->code != NULL; f++, order++)
		if (strcmp(f->code, form) == 0)
			return grps_get(g, f->code, f->title_ru, f->title_en,
			    order);
	return grps_get(g, "other", "Другая форма", "Another form", 99);
}

static struct grp *
file_segment(struct bctx *c, struct grps *g, const char *seg, int64_t num)
{
	const struct label *l;
	char		    key[REPORT_KEY_MAX];

	(void)num;
	if (*seg == '\0')
		return grps_get(g, "none", "Не указан", "Not given", 100000);
	l = labels_find(&c->segments, seg);
	name_key(key, "g", seg);
	return grps_get(g, key, l != NULL ? l->ru : seg,
	    l != NULL ? l->en : seg, l != NULL ? l->order : 1000);
}

/* Services and situations are names as feedback records them. */
static struct grp *
file_service(struct bctx *c, struct grps *g, const char *name, int64_t num)
{
	char key[REPORT_KEY_MAX];

	(void)c;
	(void)num;
	if (*name == '\0')
		return grps_get(g, "none", "Не указана", "Not given", 1);
	name_key(key, "s", name);
	return grps_get(g, key, name, NULL, 0);
}

static struct grp *
file_situation(struct bctx *c, struct grps *g, const char *name, int64_t num)
{
	char key[REPORT_KEY_MAX];

	(void)c;
	(void)num;
	if (*name == '\0')
		return grps_get(g, "none", "Не указана", "Not given", 1);
	name_key(key, "l", name);
	return grps_get(g, key, name, NULL, 0);
}

struct sat_dim {
	const char  *key;
	const char  *ru, *en;
	const char  *sql;	/* SAT_BY_VALUE of its dim of an_srv */
	sat_file_fn  file;
};

/* Dimensions of many values (names), each its own GROUP BY. */
static const struct sat_dim sat_service = {"sat_service",
    "Удовлетворенность по услугам", "Satisfaction per service", SAT_BY_VALUE("service"),
    file_service};
static const struct sat_dim sat_segment = {"sat_segment",
    "Удовлетворенность по сегментам клиентов",
    "Satisfaction per client segment", SAT_BY_VALUE("segment"),
    file_segment};
static const struct sat_dim sat_situation = {"sat_situation",
    "Удовлетворенность по жизненным ситуациям",
    "Satisfaction per life situation", SAT_BY_VALUE("situation"),
    file_situation};

/* The sums of SAT_* over all groups: every rating once, if g is a
 * partition (the questions). */
static void
sat_pooled(const struct grps *g, int64_t out[SAT__COUNT])
{
	size_t i, j;

	for (j = 0; j < SAT__COUNT; j++)
		for (i = 0, out[j] = 0; i < g->n; i++)
			out[j] += g->v[i].s[j];
}

/* q: the ratings per question, whose sum the dimension's values and
 * "not given" share. */
static int
table_sat_dim(struct bctx *c, const struct sat_dim *d, const struct grps *q)
{
	struct grps g;
	int64_t	    all[SAT__COUNT];

	memset(&g, 0, sizeof(g));
	sat_pooled(q, all);
	if (sat_query(c, d->sql, 1, all, &g, d->file) != 0) {
		grps_free(&g);
		return -1;
	}
	sat_table(c, d->key, d->ru, d->en, &g, 0, "Все оценки",
	    "All ratings");
	grps_free(&g);
	return 0;
}

/*
 * The dimensions of few values, read in one pass: the ratings of all
 * per question (b[0]), per touchpoint (b[1]) and its current channel
 * (b[2]), and per form of interaction (b[3]), pooled over questions.
 */
enum { SB_QUESTION, SB_TOUCHPOINT, SB_CHANNEL, SB_FORM, SB__COUNT };

static int
sat_base_row(void *arg, struct db_stmt *st)
{
	struct fold *f = arg;
	struct grps *b = f->g;
	struct grp  *x[2] = {NULL, NULL};
	const char  *dim, *val;
	char	    *end;
	int64_t	     tp;
	int	     i;

	dim = db_col_text(st, 0);
	val = db_col_text(st, 1);
	if (dim == NULL || val == NULL)
		return 0;
	if (strcmp(dim, "all") == 0) {
		val = db_col_text(st, 2);
		x[0] = file_question(f->c, &b[SB_QUESTION], val != NULL ? val :
		    "", 0);
	} else if (strcmp(dim, "form") == 0)
		x[0] = file_form(f->c, &b[SB_FORM], val, 0);
	else if (strcmp(dim, "touchpoint") == 0) {
		/* An answer at no touchpoint: a survey link or paper. */
		if (strcmp(val, "online") == 0 || strcmp(val, "paper") == 0) {
			tp = 0;
			x[1] = file_channel(f->c, &b[SB_CHANNEL], "",
			    *val == 'o' ? -1 : -2);
		} else {
			tp = strtoll(val, &end, 10);
			if (*val == '\0' || *end != '\0' || tp <= 0)
				return 0;
			x[1] = file_channel(f->c, &b[SB_CHANNEL], "", tp);
		}
		x[0] = file_touchpoint(f->c, &b[SB_TOUCHPOINT], "", tp);
	}
	for (i = 0; i < 2; i++)
		if (x[i] != NULL)
			sat_add(x[i], st, 3, f->prev);
	return 0;
}

static int
sat_base(struct bctx *c, struct grps b[SB__COUNT])
{
	struct fold f = {.c = c, .g = b};
	struct grp *x;
	int64_t	    all[SAT__COUNT], forms[SAT__COUNT];
	int	    i, any = 0;

	/*
	 * No GROUP BY: the key has the day before the value, so SQLite
	 * would sort every row to group them (a registry of a thousand
	 * touchpoints makes tens of thousands); filing adds them up anyway.
	 */
	if (sat_spans(c, "SELECT dim, value, question, n, r4 + r5, r1 + "
	    "2 * r2 + 3 * r3 + 4 * r4 + 5 * r5 FROM an_srv WHERE org_id = ? "
	    "AND grain = ? AND day BETWEEN ? AND ? AND client = ? AND dim IN "
	    "('all', 'touchpoint', 'form')", 1, sat_base_row, &f) != 0)
		return -1;
	/* An instrument of the organization's own asks about no form. */
	sat_pooled(&b[SB_QUESTION], all);
	sat_pooled(&b[SB_FORM], forms);
	for (i = 0; i < SAT__COUNT; i++)
		any |= (all[i] -= forms[i]) != 0;
	if (any && (x = file_form(c, &b[SB_FORM], "", 0)) != NULL)
		for (i = 0; i < SAT__COUNT; i++)
			x->s[i] += all[i];
	for (i = 0; i < SB__COUNT; i++)
		grps_sort(&b[i]);
	return 0;
}

static void
sat_base_free(struct grps b[SB__COUNT])
{
	int i;

	for (i = 0; i < SB__COUNT; i++)
		grps_free(&b[i]);
}

static void
table_satisfaction(struct bctx *c, const struct grps *q)
{
	sat_table(c, "satisfaction", "Удовлетворенность по параметрам оценки",
	    "Satisfaction per parameter", q, 1, "Все оценки", "All ratings");
}

static void
table_sat_touchpoint(struct bctx *c, const struct grps *g)
{
	sat_table(c, "sat_touchpoint",
	    "Удовлетворенность по точкам взаимодействия",
	    "Satisfaction per touchpoint", g, 0, "Все оценки", "All ratings");
}

/* The eight dimensions of the internal instrument (003 §3.2). */
static void
table_profile(struct bctx *c, const struct grps *g)
{
	static const char *const dims[] = {"career", "workplace",
	    "automation", "regulation", "manager", "cooperation", "hr",
	    "colleagues"};
	static const struct rcol cols[] = {
		{"index", "Индекс удовлетворенности (0–100)",
		    "Satisfaction index (0–100)", RK_INDEX},
		{"share", "Доля оценок 4–5, %", "Share of 4–5, %", RK_SHARE},
		{"n", "Число оценок", "Ratings", RK_COUNT},
	};
	const struct label *l;
	struct rtable	   *t;
	struct rrow	   *r;
	const struct grp   *x;
	size_t		    i, j;

	t = report_table(c->rep, "profile",
	    "Профиль удовлетворенности внутренних клиентов",
	    "Profile of internal clients' satisfaction", cols, nitems(cols));
	t->chart = RC_PROFILE;
	report_note(t, "Восемь параметров анализа удовлетворенности "
	    "внутренних клиентов (003 §3.2).", "The eight dimensions of "
	    "internal clients' satisfaction (003 §3.2).");
	for (i = 0; i < nitems(dims); i++) {
		l = labels_find(&c->questions, dims[i]);
		r = report_row(t, dims[i], l != NULL ? l->ru : dims[i],
		    l != NULL ? l->en : dims[i]);
		for (j = 0, x = NULL; j < g->n; j++)
			if (strcmp(g->v[j].key, dims[i]) == 0)
				x = &g->v[j];
		if (x == NULL || x->s[SAT_N] == 0)
			continue;
		report_set(r, 0, sat_index(x->s[SAT_SUM], x->s[SAT_N]),
		    x->s[SAT_N]);
		report_set(r, 1, share(x->s[SAT_TOP], x->s[SAT_N]),
		    x->s[SAT_N]);
		report_set(r, 2, (double)x->s[SAT_N], x->s[SAT_N]);
	}
}

/* ---- the trend: months of the period ---- */

static const char *const month_ru[] = {"январь", "февраль", "март",
    "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
    "ноябрь", "декабрь"};
static const char *const month_en[] = {"January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October",
    "November", "December"};

static struct grp *
file_month(struct bctx *c, struct grps *g, const char *month, int64_t num)
{
	(void)c;
	(void)num;
	return grps_get(g, month, month, NULL, 0);
}

static int
month_row(void *arg, struct db_stmt *st)
{
	struct fold *f = arg;
	struct grp  *x;
	const char  *m;

	if ((m = db_col_text(st, 0)) != NULL &&
	    (x = grps_get(f->g, m, m, NULL, 0)) != NULL)
		x->s[0] += db_col_int(st, 1);
	return 0;
}

static int
table_trend(struct bctx *c)
{
	static const struct rcol cols[] = {
		{"contacts", "Количество обращений", "Contacts", RK_COUNT},
		{"index", "Индекс удовлетворенности (0–100)",
		    "Satisfaction index (0–100)", RK_INDEX},
	};
	struct grps	  fb, srv;
	struct fold	  f = {.c = c, .g = &fb};
	struct rtable	 *t;
	struct rrow	 *r;
	char		  key[REPORT_KEY_MAX], ru[64], en[64];
	int64_t		  contacts = 0, n = 0, sum = 0, v;
	int		  y, mo, d, ty, tm;
	size_t		  i;

	memset(&fb, 0, sizeof(fb));
	memset(&srv, 0, sizeof(srv));
	/* A day row and a month row name their month alike. */
	if (report_spans(c->db, "SELECT substr(day, 1, 7), SUM(messages) "
	    "FROM an_fb WHERE org_id = ? AND grain = ? AND day BETWEEN ? "
	    "AND ? AND client = ? GROUP BY 1", c->rep->org_id, c->rep->from,
	    c->rep->to, c->client, month_row, &f, c->e) != 0) {
		grps_free(&fb);
		return -1;
	}
	if (sat_query(c, SAT_BY_MONTH, 0, NULL, &srv, file_month) != 0) {
		grps_free(&fb);
		grps_free(&srv);
		return -1;
	}
	t = report_table(c->rep, "trend", "Динамика по месяцам",
	    "Trend by month", cols, nitems(cols));
	t->parts = 1;
	t->chart = RC_LINES;
	t->chart_col = 1;
	date_to_ymd(c->rep->from, &y, &mo, &d);
	date_to_ymd(c->rep->to, &ty, &tm, &d);
	while (y < ty || (y == ty && mo <= tm)) {
		snprintf(key, sizeof(key), "%04d-%02d", y, mo);
		snprintf(ru, sizeof(ru), "%s %d", month_ru[mo - 1], y);
		snprintf(en, sizeof(en), "%s %d", month_en[mo - 1], y);
		r = report_row(t, key, ru, en);
		for (i = 0, v = 0; i < fb.n; i++)
			if (strcmp(fb.v[i].key, key) == 0)
				v = fb.v[i].s[0];
		report_set(r, 0, (double)v, v);
		contacts += v;
		for (i = 0; i < srv.n; i++)
			if (strcmp(srv.v[i].key, key) == 0 &&
			    srv.v[i].s[SAT_N] > 0) {
				report_set(r, 1, sat_index(srv.v[i].s[SAT_SUM],
				    srv.v[i].s[SAT_N]), srv.v[i].s[SAT_N]);
				n += srv.v[i].s[SAT_N];
				sum += srv.v[i].s[SAT_SUM];
			}
		if (++mo > 12) {
			mo = 1;
			y++;
		}
	}
	r = report_row(t, "all", "За период", "The period");
	r->total = 1;
	report_set(r, 0, (double)contacts, contacts);
	if (n > 0)
		report_set(r, 1, sat_index(sum, n), n);
	grps_free(&fb);
	grps_free(&srv);
	return 0;
}

/* ---- R-AN-3: standards ---- */

static const struct rcol std_cols[] = {
	{"kept", "Соблюден", "Kept", RK_COUNT},
	{"breached", "Нарушен", "Breached", RK_COUNT},
	{"share_kept", "Доля соблюдения, %", "Kept, %", RK_SHARE},
};

static void
std_row(struct rtable *t, const char *key, const char *ru, const char *en,
    int64_t kept, int64_t breached)
{
	struct rrow *r = report_row(t, key, ru, en);
	int64_t	     n = kept + breached;

	if (n == 0)
		return;
	report_set(r, 0, (double)kept, n);
	report_set(r, 1, (double)breached, n);
	report_set(r, 2, share(kept, n), n);
}

static const char *
std_title(const char *code, int ru)
{
	int s = std_from_code(code);

	if (s < 0)
		return code;
	return ru ? std_defs[s].title_ru : std_defs[s].title_en;
}

static int
std_fold(void *arg, struct db_stmt *st)
{
	struct fold *f = arg;
	struct grp  *x;
	char	     key[REPORT_KEY_MAX], *ru, *en;
	const char  *sc, *ch;
	int	     s;

	sc = db_col_text(st, 0);
	ch = db_col_text(st, 1);
	if (sc == NULL || ch == NULL)
		return 0;
	snprintf(key, sizeof(key), "%s-%s", sc, ch);
	ru = xasprintf("%s — %s", std_title(sc, 1), channel_title(ch, 1));
	en = xasprintf("%s — %s", std_title(sc, 0), channel_title(ch, 0));
	s = std_from_code(sc);
	x = grps_get(f->g, key, ru, en, (s < 0 ? STD__COUNT : s) *
	    (CH__COUNT + 1) + channel_order(ch));
	free(ru);
	free(en);
	if (x != NULL) {
		x->s[0] += db_col_int(st, 2);
		x->s[1] += db_col_int(st, 3);
	}
	return 0;
}

/*
 * A table of standards kept and broken: sql reads an_std grouped by what
 * the rows are (standard and channel, or unit), fold files its rows.
 */
static struct rtable *
std_table(struct bctx *c, const char *sql,
    int (*fold)(void *, struct db_stmt *), const char *key, const char *ru,
    const char *en)
{
	struct grps    g;
	struct fold    f = {.c = c, .g = &g};
	struct rtable *t = NULL;
	int64_t	       kept = 0, breached = 0;
	size_t	       i;

	memset(&g, 0, sizeof(g));
	if (report_spans(c->db, sql, c->rep->org_id, c->rep->from,
	    c->rep->to, c->client, fold, &f, c->e) != 0)
		goto out;
	grps_sort(&g);
	t = report_table(c->rep, key, ru, en, std_cols, nitems(std_cols));
	t->parts = 1;
	t->chart = RC_BARS;
	t->chart_col = 2;
	for (i = 0; i < g.n; i++) {
		std_row(t, g.v[i].key, g.v[i].ru, g.v[i].en, g.v[i].s[0],
		    g.v[i].s[1]);
		kept += g.v[i].s[0];
		breached += g.v[i].s[1];
	}
	std_row(t, "total", "Всего", "Total", kept, breached);
	t->rows[t->nrows - 1].total = 1;
out:
	grps_free(&g);
	return t;
}

static int
table_standards(struct bctx *c)
{
	struct rtable *t;

	t = std_table(c, "SELECT standard, channel, SUM(kept), SUM(breached) "
	    "FROM an_std WHERE org_id = ? AND grain = ? AND day BETWEEN ? "
	    "AND ? AND client = ? GROUP BY standard, channel", std_fold,
	    "standards", "Соблюдение стандартов обслуживания по каналам",
	    "Service standards kept per channel");
	if (t == NULL)
		return -1;
	report_note(t, "Сообщения, к которым применяется стандарт, после "
	    "остановки его таймера; идущие таймеры не учитываются.",
	    "Messages a standard applies to, once its timer has stopped; "
	    "running timers are not counted.");
	return 0;
}

static int
std_unit_fold(void *arg, struct db_stmt *st)
{
	struct fold	   *f = arg;
	const struct named *nm;
	struct grp	   *x;
	char		    key[REPORT_KEY_MAX];
	int64_t		    id = db_col_int(st, 0);

	snprintf(key, sizeof(key), "u%" PRId64, id);
	nm = dict_find(&f->c->units, id);
	if (id == 0)
		x = grps_get(f->g, "none", "Подразделение не назначено",
		    "No unit", 1);
	else
		x = grps_get(f->g, key, nm != NULL ? nm->name : key, NULL, 0);
	if (x != NULL) {
		x->s[0] += db_col_int(st, 1);
		x->s[1] += db_col_int(st, 2);
	}
	return 0;
}

static int
table_standards_unit(struct bctx *c)
{
	return std_table(c, "SELECT unit_id, SUM(kept), SUM(breached) FROM "
	    "an_std WHERE org_id = ? AND grain = ? AND day BETWEEN ? AND ? "
	    "AND client = ? GROUP BY unit_id", std_unit_fold, "standards_unit",
	    "Соблюдение стандартов обслуживания по подразделениям",
	    "Service standards kept per unit") != NULL ? 0 : -1;
}

/*
 * The first standard a stopped timer broke and by how much, judged by
 * rollup_std_judge, the rule the standards table above counts by, so
 * that the list agrees with it.  -1 when none was broken.
 */
static int
breach_of(const struct fb_conf *c, const struct fb_msg *m, int64_t *over,
    int *is_count)
{
	enum std_code a[STD__COUNT];
	int	      i, n;

	n = std_applies(m->channel, m->kind, m->source, a);
	for (i = 0; i < n; i++) {
		if (!c->std[a[i]].enabled ||
		    rollup_std_judge(c, m, a[i], over) != 0)
			continue;
		*is_count = a[i] == STD_PHONE_TRANSFERS;
		return a[i];
	}
	return -1;
}

static void
breach_msg(struct db_stmt *st, struct fb_msg *m)
{
	const char *v;

	fb_msg_init(m);
#define COPY(i, f) if ((v = db_col_text(st, i)) != NULL) \
		snprintf(m->f, sizeof(m->f), "%s", v)
	COPY(0, code);
	COPY(1, channel);
	COPY(2, kind);
	COPY(3, source);
#undef COPY
	m->unit_id = db_col_int(st, 4);
	m->received_at = db_col_int(st, 5);
	m->acknowledged_at = db_col_int(st, 6);
	m->answered_at = db_col_int(st, 7);
	m->closed_at = db_col_int(st, 8);
	m->ack_due = db_col_int(st, 9);
	m->answer_due = db_col_int(st, 10);
	m->extended = (int)db_col_int(st, 11);
	m->transfers = (int)db_col_int(st, 12);
	m->wait_minutes = db_col_null(st, 13) ? -1 : (int)db_col_int(st, 13);
}

/*
 * The latest breaches, listed from the detail rows: the newest
 * BREACH_SCAN_MAX messages of the period by the receipt index
 * (fb_message_received), of which those with a stopped timer past its
 * limit, BREACHES_MAX at most.
 */
static int
table_breaches(struct bctx *c)
{
	static const struct rcol cols[] = {
		{"over_minutes", "Превышение срока", "Over the limit",
		    RK_MINUTES},
		{"over_count", "Лишние переводы звонка", "Extra transfers",
		    RK_COUNT},
	};
	struct fb_conf	   *conf;
	struct fb_msg	    m;
	struct db_stmt	   *st;
	struct rtable	   *t;
	struct rrow	   *row;
	const struct named *nm;
	char		    key[REPORT_KEY_MAX], *ru, *en, *p;
	const char	   *unit_ru, *unit_en;
	int64_t		    t0, t1, over;
	int		    r = DB_DONE, s, is_count, listed = 0;

	if ((conf = fb_conf_load(c->db, c->rep->org_id, c->e)) == NULL)
		return -1;
	t0 = (int64_t)c->rep->from * 86400;
	t0 -= tz_offset(t0, c->tz);
	t1 = (int64_t)(c->rep->to + 1) * 86400;
	t1 -= tz_offset(t1, c->tz);
	/* In the index's order, so that reading stops at the 50th. */
	st = db_prepare(c->db, "SELECT code, channel, kind, source, unit_id, "
	    "received_at, acknowledged_at, answered_at, closed_at, ack_due, "
	    "answer_due, extended, transfers, wait_minutes, client "
	    "FROM fb_message WHERE org_id = ? AND received_at >= ? "
	    "AND received_at < ? ORDER BY received_at DESC, id DESC LIMIT ?",
	    "iiii", c->rep->org_id, t0, t1, (int64_t)BREACH_SCAN_MAX);
	if (st == NULL) {
		fb_conf_free(conf);
		return dberr(c);
	}
	t = report_table(c->rep, "breaches", "Нарушения стандартов (последние)",
	    "Breaches of the standards (latest)", cols, nitems(cols));
	t->listing = 1;
	report_note(t, "Не более 50 последних нарушений среди последних "
	    "100 000 сообщений периода.", "At most the 50 latest breaches "
	    "among the latest 100 000 messages of the period.");
	while (listed < BREACHES_MAX && (r = db_step(st)) == DB_ROW) {
		if (db_col_text(st, 14) == NULL ||
		    strcmp(db_col_text(st, 14), c->client) != 0)
			continue;
		breach_msg(st, &m);
		if ((s = breach_of(conf, &m, &over, &is_count)) < 0 ||
		    m.code[0] == '\0')
			continue;
		snprintf(key, sizeof(key), "%s", m.code);
		for (p = key; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		nm = dict_find(&c->units, m.unit_id);
		unit_ru = nm != NULL ? nm->name : "подразделение не назначено";
		unit_en = nm != NULL ? nm->name : "no unit";
		ru = xasprintf("%s — %s — %s — %s", m.code,
		    std_defs[s].title_ru, channel_title(m.channel, 1), unit_ru);
		en = xasprintf("%s — %s — %s — %s", m.code,
		    std_defs[s].title_en, channel_title(m.channel, 0), unit_en);
		row = report_row(t, key, ru, en);
		free(ru);
		free(en);
		report_set(row, is_count ? 1 : 0, (double)over, 1);
		listed++;
	}
	db_finalize(st);
	fb_conf_free(conf);
	if (r == DB_FAIL)
		return dberr(c);
	return 0;
}

/* ---- R-AN-6: the decisions of the working group ---- */

static const char *
pain_state_title(const char *s, int ru)
{
	static const char *const st[][3] = {
		{"open", "открыта", "open"},
		{"planned", "запланирована", "planned"},
		{"in_work", "в работе", "in work"},
		{"done", "выполнена", "done"},
		{"rejected", "отклонена", "rejected"},
	};
	size_t i;

	for (i = 0; i < nitems(st); i++)
		if (strcmp(st[i][0], s) == 0)
			return st[i][ru ? 1 : 2];
	return s;
}

/* A problem of the pain map as the public report names it. */
struct problem {
	int64_t id;
	char   *title, *measure, *state;
};

static void
problems_free(struct problem *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(p[i].title);
		free(p[i].measure);
		free(p[i].state);
	}
	free(p);
}

/* The problems' titles, measures and states, in one query. */
static int
problems_load(struct bctx *c, struct problem **out, size_t *n)
{
	struct db_stmt *st;
	struct problem *p = NULL;
	size_t		cap = 0;
	int		r;

	*out = NULL;	/* the caller frees it on error too */
	*n = 0;
	st = db_prepare(c->db, "SELECT id, title, measure, state FROM an_pain "
	    "WHERE org_id = ? ORDER BY id", "i", c->rep->org_id);
	if (st == NULL)
		return dberr(c);
	while ((r = db_step(st)) == DB_ROW && *n < GROUPS_MAX) {
		if (*n == cap) {
			cap = cap == 0 ? 32 : cap * 2;
			p = xreallocarray(p, cap, sizeof(*p));
		}
		p[*n].id = db_col_int(st, 0);
		p[*n].title = db_col_dup(st, 1);
		p[*n].measure = db_col_dup(st, 2);
		p[*n].state = db_col_dup(st, 3);
		(*n)++;
	}
	db_finalize(st);
	*out = p;
	if (r == DB_FAIL)
		return dberr(c);
	return 0;
}

/* A row per ranked problem: title, measure and state; its rank. */
static int
decision_rows(struct bctx *c, struct rtable *t, json_t *ranking)
{
	struct problem *ps, *p;
	struct rrow    *row;
	json_t	       *it;
	size_t		i, j, np;
	int64_t		id, rank;
	const char     *title, *measure, *state;
	char		key[REPORT_KEY_MAX], *ru, *en;

	if (problems_load(c, &ps, &np) != 0) {
		problems_free(ps, np);
		return -1;
	}
	json_array_foreach(ranking, i, it) {
		if (!json_is_object(it) || i >= 1000)
			continue;
		id = json_integer_value(json_object_get(it, "pain"));
		rank = json_integer_value(json_object_get(it, "rank"));
		for (j = 0, p = NULL; j < np && p == NULL; j++)
			if (ps[j].id == id)
				p = &ps[j];
		title = p != NULL ? p->title :
		    json_string_value(json_object_get(it, "title"));
		if (title == NULL)
			title = "";
		measure = p != NULL && *p->measure != '\0' ? p->measure : NULL;
		state = p != NULL ? p->state : "open";
		ru = xasprintf("%s. Мера: %s. Состояние: %s", title,
		    measure != NULL ? measure : "не определена",
		    pain_state_title(state, 1));
		en = xasprintf("%s. Measure: %s. State: %s", title,
		    measure != NULL ? measure : "not decided",
		    pain_state_title(state, 0));
		snprintf(key, sizeof(key), "p%" PRId64, id);
		row = report_row(t, key, ru, en);
		report_set(row, 0, (double)rank, 1);
		free(ru);
		free(en);
	}
	problems_free(ps, np);
	return 0;
}

/*
 * The latest decision of the year on the order of reengineering, with
 * each ranked problem's measure and state.  Only the minutes' reference
 * and date are shown, never who decided.
 */
static int
table_decisions(struct bctx *c, int year)
{
	static const struct rcol cols[] = {
		{"rank", "Очередность", "Order", RK_COUNT},
	};
	struct pain_decision *d = NULL, *best = NULL;
	struct rtable	     *t;
	json_t		     *ranking;
	json_error_t	      je;
	size_t		      n = 0, i;
	char		      day[11], *ru, *en;
	int		      y, m, dd, rc = 0;

	if (pain_decisions(c->db, c->rep->org_id, &d, &n, c->e) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		date_to_ymd(date_local(d[i].decided_at, c->tz), &y, &m, &dd);
		if (y != year || strcmp(d[i].client, c->client) != 0)
			continue;
		if (best == NULL || d[i].decided_at > best->decided_at)
			best = &d[i];
	}
	t = report_table(c->rep, "decisions",
	    "Решения, принятые по результатам обратной связи",
	    "Decisions taken on the feedback", cols, nitems(cols));
	t->listing = 1;
	if (best == NULL) {
		report_note(t, "В этом году решений об очередности "
		    "реинжиниринга не принималось.", "No decision on the "
		    "order of reengineering was taken this year.");
		goto out;
	}
	date_format_ru(date_local(best->decided_at, c->tz), day);
	ru = xasprintf("Очередность реинжиниринга утверждена рабочей группой "
	    "%s (%s) по итогам периода %s.", day, best->minutes_ref,
	    best->period);
	en = xasprintf("The order of reengineering was confirmed by the "
	    "working group on %s (%s) for the period %s.", day,
	    best->minutes_ref, best->period);
	report_note(t, ru, en);
	free(ru);
	free(en);
	if ((ranking = json_loads(best->ranking, 0, &je)) == NULL ||
	    !json_is_array(ranking)) {
		json_decref(ranking);
		goto out;
	}
	rc = decision_rows(c, t, ranking);
	json_decref(ranking);
out:
	pain_decisions_free(d, n);
	return rc;
}

/* ---- the whole ---- */

static int
build_full(struct bctx *c)
{
	struct grps g, b[SB__COUNT];
	int	    rc = -1;

	memset(&g, 0, sizeof(g));
	memset(b, 0, sizeof(b));
	if (fb_sums(c, &g) != 0)
		goto out;
	table_contacts(c, &g);
	if (table_ranked(c, 1) != 0 || table_ranked(c, 0) != 0 ||
	    table_answer_time(c, &g) != 0 || table_overdue(c) != 0)
		goto out;
	table_complaints(c, &g);
	if (sat_base(c, b) != 0)
		goto out;
	table_satisfaction(c, &b[SB_QUESTION]);
	table_sat_touchpoint(c, &b[SB_TOUCHPOINT]);
	if (table_sat_dim(c, &sat_service, &b[SB_QUESTION]) != 0)
		goto out;
	sat_table(c, "sat_channel", "Удовлетворенность по каналам",
	    "Satisfaction per channel", &b[SB_CHANNEL], 0, "Все оценки",
	    "All ratings");
	sat_table(c, "sat_form", "Удовлетворенность по формам взаимодействия",
	    "Satisfaction per form of interaction", &b[SB_FORM], 0,
	    "Все оценки", "All ratings");
	if (table_sat_dim(c, &sat_segment, &b[SB_QUESTION]) != 0 ||
	    table_sat_dim(c, &sat_situation,
	    &b[SB_QUESTION]) != 0)
		goto out;
	if (strcmp(c->client, "internal") == 0)
		table_profile(c, &b[SB_QUESTION]);
	if (table_trend(c) != 0 || table_standards(c) != 0 ||
	    table_standards_unit(c) != 0 || table_breaches(c) != 0)
		goto out;
	rc = 0;
out:
	grps_free(&g);
	sat_base_free(b);
	return rc;
}

static int
build_public(struct bctx *c, int year)
{
	struct grps g, b[SB__COUNT];
	int	    rc = -1;

	memset(&g, 0, sizeof(g));
	memset(b, 0, sizeof(b));
	if (fb_sums(c, &g) != 0)
		goto out;
	table_contacts(c, &g);
	if (table_answer_time(c, &g) != 0)
		goto out;
	table_complaints(c, &g);
	if (sat_base(c, b) != 0)
		goto out;
	table_satisfaction(c, &b[SB_QUESTION]);
	table_sat_touchpoint(c, &b[SB_TOUCHPOINT]);
	if (table_decisions(c, year) != 0)
		goto out;
	rc = 0;
out:
	grps_free(&g);
	sat_base_free(b);
	return rc;
}

static int
org_load(struct bctx *c)
{
	struct db_stmt *st;
	int		r;

	st = db_prepare(c->db, "SELECT slug, name, tz FROM org WHERE id = ?",
	    "i", c->rep->org_id);
	if (st == NULL)
		return dberr(c);
	if ((r = db_step(st)) != DB_ROW) {
		db_finalize(st);
		if (r == DB_FAIL)
			return dberr(c);
		return err_set(c->e, EXIT_NOINPUT, "report: no organization "
		    "%" PRId64, c->rep->org_id);
	}
	c->rep->org_slug = db_col_dup(st, 0);
	c->rep->org_name = db_col_dup(st, 1);
	c->tz = db_col_dup(st, 2);
	db_finalize(st);
	return 0;
}

static int
dicts_load(struct bctx *c)
{
	int64_t org = c->rep->org_id;

	if (dict_load(c->db, &c->tps, "SELECT touchpoint_id, name, channel "
	    "FROM touchpoint_rev WHERE org_id = ? AND valid_from IS NOT NULL "
	    "AND valid_to IS NULL", org, 0, c->e) != 0 ||
	    dict_load(c->db, &c->units, "SELECT id, name FROM unit "
	    "WHERE org_id = ?", org, 0, c->e) != 0 ||
	    dict_load(c->db, &c->topics, "SELECT id, title, kind FROM fb_topic "
	    "WHERE org_id = ?", org, 1, c->e) != 0)
		return -1;
	labels_load(c->db, org, &c->questions, &c->segments);
	return 0;
}

int
report_build(struct db *db, const struct report_opts *o, struct report *rep,
    struct err *e)
{
	struct bctx c;
	char	    cur[8];
	int	    rc = -1, y, m, d;

	memset(rep, 0, sizeof(*rep));
	memset(&c, 0, sizeof(c));
	c.db = db;
	c.rep = rep;
	c.e = e;
	c.client = o->client != NULL ? o->client : "external";
	if (strcmp(c.client, "external") != 0 &&
	    strcmp(c.client, "internal") != 0)
		return err_set(e, EXIT_USAGE, "clients '%s': expected external "
		    "or internal", c.client);
	if (o->k < 0 || o->k > K_MAX)
		return err_set(e, EXIT_USAGE, "k %d: expected 1 to %d", o->k,
		    K_MAX);
	rep->org_id = o->org_id;
	rep->what = o->what;
	rep->k = o->k > 0 ? o->k : REPORT_K_DEFAULT;
	c.now = o->now != 0 ? o->now : clock_now();
	rep->generated_at = c.now;
	snprintf(rep->client, sizeof(rep->client), "%s", c.client);
	if (org_load(&c) != 0)
		goto out;
	if (o->period == NULL) {
		if (o->what == RW_PUBLIC) {
			date_to_ymd(date_local(c.now, c.tz), &y, &m, &d);
			snprintf(cur, sizeof(cur), "%04d", y);
		} else
			report_period_current(date_local(c.now, c.tz), cur);
		snprintf(rep->period, sizeof(rep->period), "%s", cur);
	} else if (strlen(o->period) >= sizeof(rep->period)) {
		err_set(e, EXIT_USAGE, "period '%.40s…': too long", o->period);
		goto out;
	} else
		snprintf(rep->period, sizeof(rep->period), "%s", o->period);
	if (o->what == RW_PUBLIC && (strlen(rep->period) != 4 ||
	    strspn(rep->period, "0123456789") != 4)) {
		err_set(e, EXIT_USAGE, "period '%s': the public report is for "
		    "a year (2026)", rep->period);
		goto out;
	}
	if (report_period(rep->period, &rep->from, &rep->to, &rep->prev_from,
	    &rep->prev_to, e) != 0)
		goto out;
	if (dicts_load(&c) != 0)
		goto out;
	switch (o->what) {
	case RW_FULL:
		rc = build_full(&c);
		break;
	case RW_PAIN:
		rc = pain_report(db, rep, e);
		break;
	case RW_LEVEL:
		rc = level_report(db, rep, e);
		break;
	case RW_PUBLIC:
		rc = build_public(&c, (int)strtol(rep->period, NULL, 10));
		break;
	default:
		rc = err_set(e, EXIT_USAGE, "report: unknown kind %d",
		    (int)o->what);
		break;
	}
	if (rc == 0)
		report_suppress(rep, rep->k);
out:
	dict_free(&c.tps);
	dict_free(&c.units);
	dict_free(&c.topics);
	labels_free(&c.questions);
	labels_free(&c.segments);
	free(c.tz);
	if (rc != 0)
		report_free(rep);
	return rc;
}

/* ---- suppression ---- */

static int
suppressed(const struct rcell *x)
{
	return x->supp == RS_SMALL || x->supp == RS_COMPLEMENT;
}

/* Hides a cell and the cells of its row that come from the same n. */
static void
hide(const struct rtable *t, struct rrow *r, size_t col, enum rsupp why)
{
	int64_t n = r->cells[col].n;
	size_t	j;

	for (j = 0; j < t->ncols; j++)
		if (r->cells[j].supp == RS_SHOWN && (j == col ||
		    (r->cells[j].n == n && !r->cells[j].exempt)))
			r->cells[j].supp = why;
}

/* Counting columns: their parts sum to the total (shares too: they
 * are the counts over one total). */
static int
additive(const struct rcol *c)
{
	return c->kind == RK_COUNT || c->kind == RK_SHARE;
}

/*
 * One pass of complementary suppression over a table with parts: in a
 * column with a shown total and exactly one hidden part, the smallest
 * other shown part is hidden too (the total itself when there is no
 * other).  Returns whether anything changed.
 */
static int
complement_pass(struct rtable *t)
{
	struct rrow *tot, *best;
	size_t	     i, j, hidden;
	int	     changed = 0;

	for (j = 0; j < t->ncols; j++) {
		if (!additive(&t->cols[j]))
			continue;
		tot = NULL;
		hidden = 0;
		best = NULL;
		for (i = 0; i < t->nrows; i++) {
			struct rrow *r = &t->rows[i];

			if (r->total) {
				if (tot == NULL)
					tot = r;
				continue;
			}
			if (suppressed(&r->cells[j]))
				hidden++;
			else if (r->cells[j].supp == RS_SHOWN &&
			    (best == NULL || r->cells[j].value <
			    best->cells[j].value))
				best = r;
		}
		if (tot == NULL || tot->cells[j].supp != RS_SHOWN ||
		    hidden != 1)
			continue;
		if (best != NULL)
			hide(t, best, j, RS_COMPLEMENT);
		else
			hide(t, tot, j, RS_COMPLEMENT);
		changed = 1;
	}
	return changed;
}

void
report_suppress(struct report *rep, int k)
{
	struct rtable *t;
	struct rrow   *r;
	size_t	       i, j, c, rounds;

	if (k <= 0)
		k = REPORT_K_DEFAULT;
	for (i = 0; i < rep->ntables; i++) {
		t = &rep->tables[i];
		if (t->listing)
			continue;
		for (j = 0; j < t->nrows; j++) {
			r = &t->rows[j];
			for (c = 0; c < t->ncols; c++)
				if (r->cells[c].supp == RS_SHOWN &&
				    !r->cells[c].exempt && r->cells[c].n < k)
					hide(t, r, c, RS_SMALL);
		}
		/* Each pass hides at least one more cell, so this ends. */
		rounds = 0;
		while (t->parts && complement_pass(t) &&
		    rounds++ < t->nrows * t->ncols + 1)
			;
		/* Withheld in every output, whoever reads the model. */
		for (j = 0; j < t->nrows; j++)
			for (c = 0; c < t->ncols; c++)
				if (suppressed(&t->rows[j].cells[c])) {
					t->rows[j].cells[c].value = 0;
					t->rows[j].cells[c].n = 0;
				}
	}
}

/* ---- publication ---- */

int
report_publish(struct db *db, int64_t org_id, int year, const char *actor,
    const char *summary, struct err *e)
{
	struct report_opts o;
	struct report	   rep;
	struct buf	   b;
	char		   period[8], object[32];
	json_t		  *after;
	char		  *after_s;
	int		   rc;

	if (year < 1971 || year > 2100)
		return err_set(e, EXIT_USAGE, "year %d: expected 1971 to 2100",
		    year);
	if (summary == NULL)
		summary = "";
	if (strlen(summary) > SUMMARY_MAX)
		return err_set(e, EXIT_DATAERR, "summary: longer than %d "
		    "bytes", SUMMARY_MAX);
	if (utf8_invalid_at(summary, strlen(summary)) >= 0)
		return err_set(e, EXIT_DATAERR, "summary: not valid UTF-8");
	snprintf(period, sizeof(period), "%04d", year);
	memset(&o, 0, sizeof(o));
	o.org_id = org_id;
	o.what = RW_PUBLIC;
	o.period = period;
	if (report_build(db, &o, &rep, e) != 0)
		return -1;
	buf_init(&b, BUF_MAX_DEFAULT);
	report_json(&rep, &b);
	report_free(&rep);
	snprintf(object, sizeof(object), "report:%d", year);
	after = json_pack("{s:i, s:s}", "year", year, "summary", summary);
	after_s = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(after);
	rc = -1;
	if (db_begin(db) != 0) {
		err_set(e, EXIT_IOERR, "publish: %s", db_errmsg(db));
		goto out;
	}
	if (db_run(db, NULL, "INSERT INTO an_publication (org_id, year, body, "
	    "summary, published_at, published_by) VALUES (?, ?, ?, ?, ?, ?) "
	    "ON CONFLICT (org_id, year) DO UPDATE SET body = excluded.body, "
	    "summary = excluded.summary, published_at = excluded.published_at, "
	    "published_by = excluded.published_by", "iittit", org_id,
	    (int64_t)year, buf_str(&b), summary, clock_now(), actor) != 0) {
		err_set(e, EXIT_IOERR, "publish: %s", db_errmsg(db));
		db_rollback(db);
		goto out;
	}
	if (audit_append(db, actor, org_id, "report.publish", object, NULL,
	    after_s, e) != 0) {
		db_rollback(db);
		goto out;
	}
	if (db_commit(db) != 0) {
		err_set(e, EXIT_IOERR, "publish: %s", db_errmsg(db));
		db_rollback(db);
		goto out;
	}
	rc = 0;
out:
	free(after_s);
	buf_free(&b);
	return rc;
}

int
report_published(struct db *db, int64_t org_id, int year, struct report *rep,
    char **summary, int64_t *published_at, struct err *e)
{
	struct db_stmt *st;
	int		r;

	memset(rep, 0, sizeof(*rep));
	if (summary != NULL)
		*summary = NULL;
	st = db_prepare(db, "SELECT body, summary, published_at FROM "
	    "an_publication WHERE org_id = ? AND year = ?", "ii", org_id,
	    (int64_t)year);
	if (st == NULL)
		return err_set(e, EXIT_IOERR, "report: %s", db_errmsg(db));
	if ((r = db_step(st)) != DB_ROW) {
		db_finalize(st);
		if (r == DB_FAIL)
			return err_set(e, EXIT_IOERR, "report: %s",
			    db_errmsg(db));
		return 1;
	}
	if (report_from_json(db_col_text(st, 0), rep, e) != 0) {
		db_finalize(st);
		return -1;
	}
	if (summary != NULL)
		*summary = db_col_dup(st, 1);
	if (published_at != NULL)
		*published_at = db_col_int(st, 2);
	db_finalize(st);
	return 0;
}

int
report_years(struct db *db, int64_t org_id, int **years, size_t *n,
    struct err *e)
{
	struct db_stmt *st;
	size_t		cap = 0;
	int		r;

	*years = NULL;
	*n = 0;
	st = db_prepare(db, "SELECT year FROM an_publication WHERE org_id = ? "
	    "ORDER BY year DESC", "i", org_id);
	if (st == NULL)
		return err_set(e, EXIT_IOERR, "report: %s", db_errmsg(db));
	while ((r = db_step(st)) == DB_ROW && *n < 1000) {
		if (*n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			*years = xreallocarray(*years, cap, sizeof(**years));
		}
		(*years)[(*n)++] = (int)db_col_int(st, 0);
	}
	db_finalize(st);
	if (r == DB_FAIL) {
		free(*years);
		*years = NULL;
		*n = 0;
		return err_set(e, EXIT_IOERR, "report: %s", db_errmsg(db));
	}
	return 0;
}

/*
 * The client-centricity level of R-AN-5 (level.h): five components read
 * from the rollups, the registry and the publications, each 0–100 with
 * the count behind it, and their weighted mean; the same for every
 * organization of the database, so that a region can compare them.
 *
 * Choices the formula leaves open, made here:
 *   - satisfaction, standards and complaints are read over the period;
 *     standards and complaints over all clients (a complaint's outcome
 *     is what it is whoever filed it), satisfaction over external ones;
 *   - registry: a finding names the entry it is about (an area-wide
 *     error, "no key touchpoint", names the area's first entry); n is
 *     the number of current touchpoints;
 *   - publication: the registry part counts when there is a registry
 *     (a version included); the report part always does (the year
 *     before the end of the period); n is the number of parts counted.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "db.h"
#include "level.h"
#include "org.h"
#include "registry.h"
#include "report.h"

#define LEVEL_ORGS_MAX 100000

static const struct {
	const char *key, *ru, *en;
	double	    weight;
} parts[LEVEL__COUNT] = {
	{"satisfaction", "Удовлетворенность внешних клиентов",
	    "External clients' satisfaction", 0.40},
	{"standards", "Соблюдение стандартов обслуживания",
	    "Service standards kept", 0.20},
	{"complaints", "Доля удовлетворенных жалоб",
	    "Share of satisfied complaints", 0.20},
	{"registry", "Перечень точек взаимодействия без ошибок",
	    "Registry touchpoints without errors", 0.10},
	{"publication", "Публикация перечня и годового отчета",
	    "Registry and yearly report published", 0.10},
};

static int
db_fail(struct db *db, struct err *e)
{
	return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
}

/* Sums of the integer columns of one row of a query. */
static int
sums(struct db *db, struct db_stmt *s, int64_t *out, int n, struct err *e)
{
	int i, step;

	for (i = 0; i < n; i++)
		out[i] = 0;
	if (s == NULL)
		return db_fail(db, e);
	step = db_step(s);
	if (step == DB_ROW)
		for (i = 0; i < n; i++)
			out[i] = db_col_int(s, i);
	db_finalize(s);
	if (step == DB_FAIL)
		return db_fail(db, e);
	return 0;
}

static void
set_part(struct level_part *p, double value, int64_t n)
{
	p->n = n;
	p->have = n > 0;
	p->value = n > 0 ? value : 0;
}

/* The sums of the first n integer columns of a query's rows. */
struct acc {
	int	n;
	int64_t v[5];
};

static int
add_row(void *arg, struct db_stmt *s)
{
	struct acc *a = arg;
	int	    i;

	for (i = 0; i < a->n; i++)
		a->v[i] += db_col_int(s, i);
	return 0;
}

/* The sums of n columns over the spans of a period (report_spans). */
static int
span_sums(struct db *db, const char *sql, int64_t org_id, int32_t from,
    int32_t to, const char *client, int64_t *out, int n, struct err *e)
{
	struct acc a;

	memset(&a, 0, sizeof(a));
	a.n = n;
	if (report_spans(db, sql, org_id, from, to, client, add_row, &a, e) !=
	    0)
		return -1;
	memcpy(out, a.v, n * sizeof(*out));
	return 0;
}

#define SRV_SUMS "SELECT sum(r1), sum(r2), sum(r3), sum(r4), sum(r5) " \
	"FROM an_srv WHERE org_id = ? AND grain = ? AND day BETWEEN ? " \
	"AND ? AND client = ? AND dim = 'all'"

/* The index (r - 1) × 25 of "overall", else of every external rating. */
static int
satisfaction(struct db *db, int64_t org_id, int32_t from, int32_t to,
    struct level_part *p, struct err *e)
{
	int64_t r[5], n = 0, sum = 0;
	int	i, pooled;

	for (pooled = 0; pooled < 2; pooled++) {
		if (span_sums(db, pooled ? SRV_SUMS :
		    SRV_SUMS " AND question = 'overall'", org_id, from, to,
		    "external", r, 5, e) != 0)
			return -1;
		for (i = n = sum = 0; i < 5; i++) {
			n += r[i];
			sum += r[i] * (i + 1);
		}
		if (n > 0)
			break;
	}
	set_part(p, n > 0 ? ((double)sum / (double)n - 1) * 25 : 0, n);
	return 0;
}

/*
 * kept / (kept + breached), and satisfied / (satisfied + unsatisfied),
 * of all clients (the SQL has no client "?").
 */
static int
ratio(struct db *db, const char *sql, int64_t org_id, int32_t from,
    int32_t to, struct level_part *p, struct err *e)
{
	int64_t v[2];

	if (span_sums(db, sql, org_id, from, to, NULL, v, 2, e) != 0)
		return -1;
	set_part(p, v[0] + v[1] > 0 ? 100.0 * (double)v[0] /
	    (double)(v[0] + v[1]) : 0, v[0] + v[1]);
	return 0;
}

/* Current touchpoints that no error-level finding names. */
static int
registry_part(struct db *db, int64_t org_id, struct level_part *p,
    struct err *e)
{
	struct registry	    reg;
	struct reg_findings f;
	unsigned char	   *bad;
	size_t		    i, good = 0;

	if (registry_load(db, org_id, 0, &reg, e) != 0)
		return -1;
	if (reg.version == 0 || reg.n == 0) {
		registry_free(&reg);
		set_part(p, 0, 0);
		return 0;
	}
	registry_check(&reg, &f);
	bad = xcalloc(reg.n, 1);
	for (i = 0; i < f.n; i++)
		if (f.v[i].level == FIND_ERROR && f.v[i].entry >= 0 &&
		    (size_t)f.v[i].entry < reg.n)
			bad[f.v[i].entry] = 1;
	for (i = 0; i < reg.n; i++)
		good += !bad[i];
	set_part(p, 100.0 * (double)good / (double)reg.n, (int64_t)reg.n);
	free(bad);
	findings_free(&f);
	registry_free(&reg);
	return 0;
}

/* The registry's latest version published; last year's report published. */
static int
publication_part(struct db *db, int64_t org_id, int32_t to,
    struct level_part *p, struct err *e)
{
	int64_t latest, pubv, pubat, v[1], n = 0;
	double	sum = 0;
	int	y, m, d;

	if (registry_latest_version(db, org_id, &latest, e) != 0 ||
	    registry_published(db, org_id, &pubv, &pubat, e) != 0)
		return -1;
	if (latest > 0) {
		n++;
		sum += pubv >= latest ? 100 : 0;
	}
	date_to_ymd(to, &y, &m, &d);
	if (sums(db, db_prepare(db, "SELECT count(*) FROM an_publication WHERE "
	    "org_id = ? AND year = ?", "ii", org_id, (int64_t)(y - 1)), v, 1,
	    e) != 0)
		return -1;
	n++;
	sum += v[0] > 0 ? 100 : 0;
	set_part(p, sum / (double)n, n);
	return 0;
}

int
level_compute(struct db *db, int64_t org_id, int32_t from, int32_t to,
    struct level *lv, struct err *e)
{
	struct level_part *p = lv->part;
	double		   w = 0, acc = 0;
	size_t		   i;

	memset(lv, 0, sizeof(*lv));
	lv->org_id = org_id;
	for (i = 0; i < LEVEL__COUNT; i++) {
		p[i].key = parts[i].key;
		p[i].ru = parts[i].ru;
		p[i].en = parts[i].en;
		p[i].weight = parts[i].weight;
	}
	if (from > to)
		return err_set(e, EXIT_USAGE, "period: it ends before it "
		    "starts");
	if (satisfaction(db, org_id, from, to, &p[LEVEL_SATISFACTION],
	    e) != 0 ||
	    ratio(db, "SELECT sum(kept), sum(breached) FROM an_std WHERE "
	    "org_id = ? AND grain = ? AND day BETWEEN ? AND ?", org_id, from,
	    to, &p[LEVEL_STANDARDS], e) != 0 ||
	    ratio(db, "SELECT sum(satisfied), sum(unsatisfied) FROM an_fb "
	    "WHERE org_id = ? AND grain = ? AND day BETWEEN ? AND ?", org_id,
	    from, to, &p[LEVEL_COMPLAINTS], e) != 0 ||
	    registry_part(db, org_id, &p[LEVEL_REGISTRY], e) != 0 ||
	    publication_part(db, org_id, to, &p[LEVEL_PUBLICATION], e) != 0)
		return -1;
	for (i = 0; i < LEVEL__COUNT; i++) {
		if (!p[i].have) {
			lv->partial = 1;
			continue;
		}
		lv->have = 1;
		w += p[i].weight;
		acc += p[i].weight * p[i].value;
	}
	lv->index = w > 0 ? acc / w : 0;
	return 0;
}

static int
level_cmp(const void *va, const void *vb)
{
	const struct level *a = va, *b = vb;

	if (a->have != b->have)
		return a->have ? -1 : 1;
	if (a->index != b->index)
		return a->index > b->index ? -1 : 1;
	return a->org_id < b->org_id ? -1 : a->org_id > b->org_id;
}

int
level_region(struct db *db, int32_t from, int32_t to, struct level **out,
    size_t *np, struct err *e)
{
	struct org   *orgs;
	struct level *v;
	int	      n, i, k;

	*out = NULL;
	*np = 0;
	if ((n = org_list(db, &orgs, e)) < 0)
		return -1;
	if (n > LEVEL_ORGS_MAX) {
		for (i = 0; i < n; i++)
			org_clear(&orgs[i]);
		free(orgs);
		return err_set(e, EXIT_DATAERR, "more than %d organizations",
		    LEVEL_ORGS_MAX);
	}
	v = xcalloc(n > 0 ? (size_t)n : 1, sizeof(*v));
	for (i = 0; i < n; i++)
		if (level_compute(db, orgs[i].id, from, to, &v[i], e) != 0)
			break;
	for (k = 0; k < n; k++)
		org_clear(&orgs[k]);
	free(orgs);
	if (i < n) {
		free(v);
		return -1;
	}
	if (n > 1)
		qsort(v, (size_t)n, sizeof(*v), level_cmp);
	*out = v;
	*np = (size_t)n;
	return 0;
}

/* ---- the report tables ---- */

static int64_t
total_n(const struct level *lv)
{
	int64_t n = 0;
	size_t	i;

	for (i = 0; i < LEVEL__COUNT; i++)
		n += lv->part[i].n;
	return n;
}

/*
 * The registry's and the publication's components count touchpoints and
 * publications, not people: k does not hide them, or a small ministry's
 * level would stand beside its neighbours' without two of its parts.
 */
static int
things(size_t part)
{
	return part == LEVEL_REGISTRY || part == LEVEL_PUBLICATION;
}

/*
 * The count the level stands on, for suppression: the smallest count of
 * the components about people that went into it.  A level built partly
 * from three answers is withheld like those answers, or the hidden
 * satisfaction could be worked back from the level and the other parts.
 * A level of the registry and publication alone stands on things.
 */
static int64_t
level_n(const struct level *lv, int *things_only)
{
	int64_t n = 0;
	size_t	i;

	*things_only = 1;
	for (i = 0; i < LEVEL__COUNT; i++) {
		if (!lv->part[i].have || things(i))
			continue;
		if (*things_only || lv->part[i].n < n)
			n = lv->part[i].n;
		*things_only = 0;
	}
	return *things_only ? total_n(lv) : n;
}

static double
used_weight(const struct level *lv, size_t i)
{
	double w = 0;
	size_t k;

	if (!lv->part[i].have)
		return 0;
	for (k = 0; k < LEVEL__COUNT; k++)
		if (lv->part[k].have)
			w += lv->part[k].weight;
	return w > 0 ? lv->part[i].weight / w : 0;
}

static const char level_note_ru[] =
    "Уровень клиентоцентричности = 0,40 × удовлетворенность (индекс "
    "оценки «в целом» внешних анкет, (r − 1) × 25; без нее — всех "
    "внешних оценок) + 0,20 × соблюдение стандартов (соблюдено / "
    "(соблюдено + нарушено) × 100) + 0,20 × доля удовлетворенных жалоб "
    "+ 0,10 × доля точек перечня без ошибок проверки + 0,10 × публикация "
    "(среднее: текущая версия перечня опубликована — 100 или 0; отчет за "
    "предыдущий год опубликован — 100 или 0). Компонент без данных "
    "исключается, веса остальных пересчитываются до суммы 1, уровень "
    "помечается как частичный. Вес в таблице — примененный.";
static const char level_note_en[] =
    "Client-centricity level = 0.40 × satisfaction (the index of the "
    "rating \"overall\" of the external instruments, (r − 1) × 25; "
    "without it, of all external ratings) + 0.20 × standards kept "
    "(kept / (kept + breached) × 100) + 0.20 × share of satisfied "
    "complaints + 0.10 × share of registry touchpoints without an error "
    "of the checks + 0.10 × publication (the mean of: the registry's "
    "current version published, 100 or 0; the report of the year before "
    "published, 100 or 0). A component without data is left out and the "
    "others' weights are scaled to sum to 1; the level is then partial. "
    "The weight shown is the one applied.";

static void
level_table(struct report *rep, const struct level *lv)
{
	static const struct rcol cols[] = {
		{"value", "Значение", "Value", RK_SCORE},
		{"weight", "Вес, %", "Weight, %", RK_SHARE},
		{"n", "Число наблюдений", "Count behind it", RK_COUNT},
	};
	struct rtable *t;
	struct rrow   *r;
	const struct level_part *p;
	void	     (*set)(struct rrow *, size_t, double, int64_t);
	size_t	       i;
	int64_t	       n;
	int	       only;

	t = report_table(rep, "level", "Уровень клиентоцентричности",
	    "Client-centricity level", cols, nitems(cols));
	t->chart = RC_BARS;
	t->chart_col = 0;
	report_note(t, level_note_ru, level_note_en);
	for (i = 0; i < LEVEL__COUNT; i++) {
		p = &lv->part[i];
		r = report_row(t, p->key, p->ru, p->en);
		set = things(i) ? report_set_things : report_set;
		set(r, 0, p->value, p->n);
		set(r, 1, used_weight(lv, i) * 100, p->n);
		set(r, 2, (double)p->n, p->n);
	}
	r = report_row(t, "level", lv->partial ?
	    "Уровень клиентоцентричности (частичный)" :
	    "Уровень клиентоцентричности", lv->partial ?
	    "Client-centricity level (partial)" : "Client-centricity level");
	if (lv->have) {
		n = level_n(lv, &only);
		set = only ? report_set_things : report_set;
		set(r, 0, lv->index, n);
		set(r, 1, 100, n);
		set(r, 2, (double)total_n(lv), n);
	}
}

static void
region_table(struct db *db, struct report *rep, const struct level *v,
    size_t n)
{
	static const struct rcol cols[] = {
		{"level", "Уровень клиентоцентричности",
		    "Client-centricity level", RK_SCORE},
		{"satisfaction", "Удовлетворенность", "Satisfaction", RK_SCORE},
		{"standards", "Стандарты", "Standards", RK_SCORE},
		{"complaints", "Доля удовлетворенных жалоб",
		    "Share of satisfied complaints", RK_SCORE},
		{"registry", "Перечень", "Registry", RK_SCORE},
		{"publication", "Публикация", "Publication", RK_SCORE},
	};
	struct rtable  *t;
	struct rrow    *r;
	struct db_stmt *s;
	char	       *slug, *name;
	size_t		i, k;
	int64_t		ln;
	int		only;

	t = report_table(rep, "level_region",
	    "Уровень клиентоцентричности организаций",
	    "Client-centricity level of the organizations", cols,
	    nitems(cols));
	t->chart = RC_BARS;
	t->chart_col = 0;
	report_note(t, "Одна формула для всех организаций; по убыванию "
	    "уровня.", "One formula for every organization; highest first.");
	for (i = 0; i < n; i++) {
		slug = name = NULL;
		s = db_prepare(db, "SELECT slug, name FROM org WHERE id = ?",
		    "i", v[i].org_id);
		if (s != NULL && db_step(s) == DB_ROW) {
			slug = db_col_dup(s, 0);
			name = db_col_dup(s, 1);
		}
		db_finalize(s);
		if (slug == NULL) {
			slug = xasprintf("org-%" PRId64, v[i].org_id);
			name = xstrdup(slug);
		}
		r = report_row(t, slug, name, name);
		if (v[i].have) {
			ln = level_n(&v[i], &only);
			(only ? report_set_things : report_set)(r, 0,
			    v[i].index, ln);
		}
		for (k = 0; k < LEVEL__COUNT; k++)
			(things(k) ? report_set_things : report_set)(r, k + 1,
			    v[i].part[k].value, v[i].part[k].n);
		free(slug);
		free(name);
	}
}

int
level_report(struct db *db, struct report *rep, struct err *e)
{
	struct level  lv, *v;
	size_t	      n;

	if (level_compute(db, rep->org_id, rep->from, rep->to, &lv, e) != 0)
		return -1;
	level_table(rep, &lv);
	if (level_region(db, rep->from, rep->to, &v, &n, e) != 0)
		return -1;
	region_table(db, rep, v, n);
	free(v);
	return 0;
}

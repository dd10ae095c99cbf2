/*
 * Unit tests of level.c: three organizations with rollup rows, a
 * registry and publications put in by hand, and their levels worked out
 * by hand: every component, the weights scaled when some are missing
 * (the level then partial), the region highest first, the report tables.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "otklik.h"
#include "db.h"
#include "level.h"
#include "org.h"
#include "report.h"

#define NOW_TEXT "2026-03-02T07:00:00Z"

struct env {
	char	path[64];
	struct db *db;
	int64_t org[3];		/* moh: everything; edu: some; tax: none */
	int32_t from, to;
};

static void
check(int r, const struct err *e)
{
	if (r != 0)
		fail_msg("%s", e->msg);
}

static void
run(struct env *t, const char *sql, int64_t org)
{
	if (db_run(t->db, NULL, sql, "i", org) != 0)
		fail_msg("%s: %s", sql, db_errmsg(t->db));
}

/*
 * A rollup row as rollup.c writes a contribution: its day's (grain 'd')
 * and its month's ('m', day "YYYY-MM"); sql's "?" are org_id, grain and
 * day.  The rows here have keys of their own, so a month's row is the
 * day's.
 */
static void
rollup(struct env *t, const char *sql, int64_t org, const char *day)
{
	char d[11];
	int  g;

	for (g = 0; g < 2; g++) {
		snprintf(d, sizeof(d), "%.*s", g == 0 ? 10 : 7, day);
		if (db_run(t->db, NULL, sql, "itt", org, g == 0 ? "d" : "m",
		    d) != 0)
			fail_msg("%s: %s", sql, db_errmsg(t->db));
	}
}

/* A current registry entry of version 1. */
static void
entry(struct env *t, int64_t org, int pos, const char *name,
    const char *needs, int key)
{
	int64_t tp;

	assert_int_equal(db_run(t->db, &tp, "INSERT INTO touchpoint (org_id, "
	    "created_at) VALUES (?, 0) RETURNING id", "i", org), 0);
	assert_int_equal(db_run(t->db, NULL, "INSERT INTO touchpoint_rev "
	    "(touchpoint_id, org_id, valid_from, pos, area, process, name, "
	    "channel, kind, client, needs, is_key) VALUES (?, ?, 1, ?, "
	    "'Услуги', 'Прием', ?, 'phone', 'offline', 'external', ?, ?)",
	    "iiitti", tp, org, (int64_t)pos, name, needs, (int64_t)key), 0);
}

static int
setup(void **state)
{
	struct env *t = xcalloc(1, sizeof(*t));
	struct org  o;
	struct err  e;
	size_t	    i;
	int	    fd;
	static const char *const slugs[3] = {"moh", "edu", "tax"};

	setenv("OTKLIK_NOW", NOW_TEXT, 1);
	snprintf(t->path, sizeof(t->path), "/tmp/otklik-level-XXXXXX");
	fd = mkstemp(t->path);
	assert_true(fd >= 0);
	close(fd);
	t->db = db_open(t->path, &e);
	assert_non_null(t->db);
	assert_true(db_migrate(t->db, &e) >= 6);
	for (i = 0; i < 3; i++) {
		memset(&o, 0, sizeof(o));
		o.slug = (char *)slugs[i];
		o.name = (char *)slugs[i];
		o.region = "ru";
		o.tz = "Europe/Moscow";
		check(org_add(t->db, "test", &o, &t->org[i], &e), &e);
	}

	/*
	 * moh: overall 1 1 0 3 5 → mean 4, index 75 (the other external
	 * question and the internal overall do not count); standards 8 of
	 * 10 kept; complaints 3 of 4 satisfied; registry 3 of 4 without an
	 * error (one declares no needs); the registry published, the 2025
	 * report not: 50.  0.4×75 + 0.2×80 + 0.2×75 + 0.1×75 + 0.1×50 = 73.5
	 */
	rollup(t, "INSERT INTO an_srv VALUES (?, ?, ?, 'external', 'all', "
	    "'', 'overall', 10, 1, 1, 0, 3, 5)", t->org[0], "2026-02-01");
	rollup(t, "INSERT INTO an_srv VALUES (?, ?, ?, 'external', 'all', "
	    "'', 'access', 4, 4, 0, 0, 0, 0)", t->org[0], "2026-02-01");
	/* The same ratings split by touchpoint count once, under 'all'. */
	rollup(t, "INSERT INTO an_srv VALUES (?, ?, ?, 'external', "
	    "'touchpoint', 'online', 'overall', 10, 1, 1, 0, 3, 5)", t->org[0],
	    "2026-02-01");
	rollup(t, "INSERT INTO an_srv VALUES (?, ?, ?, 'internal', 'all', "
	    "'', 'overall', 5, 5, 0, 0, 0, 0)", t->org[0], "2026-02-01");
	rollup(t, "INSERT INTO an_srv VALUES (?, ?, ?, 'external', 'all', "
	    "'', 'overall', 9, 9, 0, 0, 0, 0)", t->org[0], "2025-12-31");
	rollup(t, "INSERT INTO an_std VALUES (?, ?, ?, 'external', "
	    "'email', 0, 'answer', 5, 2)", t->org[0], "2026-03-01");
	rollup(t, "INSERT INTO an_std VALUES (?, ?, ?, 'internal', "
	    "'email', 0, 'ack', 3, 0)", t->org[0], "2026-03-02");
	rollup(t, "INSERT INTO an_fb VALUES (?, ?, ?, 'external', 'site', "
	    "'complaint', 4, 4, 0, 0, 0, 0, 3, 1)", t->org[0], "2026-03-01");
	run(t, "INSERT INTO registry_version VALUES (?, 1, 0, 'test', NULL)",
	    t->org[0]);
	entry(t, t->org[0], 1, "Телефон", "info", 1);
	entry(t, t->org[0], 2, "Приемная", "info consult", 0);
	entry(t, t->org[0], 3, "Сайт", "", 0);
	entry(t, t->org[0], 4, "Почта", "submit:documents", 0);
	run(t, "INSERT INTO registry_publication (org_id, version, "
	    "published_at, published_by) VALUES (?, 1, 0, 'test')", t->org[0]);
	run(t, "INSERT INTO an_publication (org_id, year, body, published_at, "
	    "published_by) VALUES (?, 2024, '{}', 0, 'test')", t->org[0]);

	/*
	 * edu: no "overall": all external ratings, 5 5 3 3 → 75; complaints
	 * 1 of 2: 50; no standards, no registry; the 2025 report published:
	 * 100 of 1.  (0.4×75 + 0.2×50 + 0.1×100) / 0.7 = 50 / 0.7
	 */
	rollup(t, "INSERT INTO an_srv VALUES (?, ?, ?, 'external', 'all', "
	    "'', 'access', 4, 0, 0, 2, 0, 2)", t->org[1], "2026-02-01");
	rollup(t, "INSERT INTO an_fb VALUES (?, ?, ?, 'external', 'site', "
	    "'complaint', 2, 2, 0, 0, 0, 0, 1, 1)", t->org[1], "2026-06-30");
	run(t, "INSERT INTO an_publication (org_id, year, body, published_at, "
	    "published_by) VALUES (?, 2025, '{}', 0, 'test')", t->org[1]);

	/* tax: nothing but an unpublished report: 0, partial. */
	t->from = date_from_ymd(2026, 1, 1);
	t->to = date_from_ymd(2026, 6, 30);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct env *t = *state;
	char	    p[80];

	db_close(t->db);
	unlink(t->path);
	snprintf(p, sizeof(p), "%s-wal", t->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", t->path);
	unlink(p);
	free(t);
	return 0;
}

static void
near(double got, double want, const char *what)
{
	if (fabs(got - want) > 1e-9)
		fail_msg("%s: %.12g, expected %.12g", what, got, want);
}

static void
test_all(void **state)
{
	struct env  *t = *state;
	struct level lv;
	struct err   e;
	static const double value[LEVEL__COUNT] = {75, 80, 75, 75, 50};
	static const int64_t n[LEVEL__COUNT] = {10, 10, 4, 4, 2};
	static const double weight[LEVEL__COUNT] = {0.4, 0.2, 0.2, 0.1, 0.1};
	static const char *const keys[LEVEL__COUNT] = {"satisfaction",
	    "standards", "complaints", "registry", "publication"};
	size_t	     i;

	check(level_compute(t->db, t->org[0], t->from, t->to, &lv, &e), &e);
	for (i = 0; i < LEVEL__COUNT; i++) {
		assert_string_equal(lv.part[i].key, keys[i]);
		near(lv.part[i].value, value[i], keys[i]);
		assert_int_equal(lv.part[i].n, n[i]);
		near(lv.part[i].weight, weight[i], keys[i]);
		assert_true(lv.part[i].have);
	}
	assert_string_equal(lv.part[LEVEL_COMPLAINTS].ru,
	    "Доля удовлетворенных жалоб");
	near(lv.index, 73.5, "level");
	assert_true(lv.have);
	assert_false(lv.partial);

	/* The period before: only last year's overall (all 1s): index 0,
	 * and the same registry and publication. */
	check(level_compute(t->db, t->org[0], date_from_ymd(2025, 7, 1),
	    date_from_ymd(2025, 12, 31), &lv, &e), &e);
	near(lv.part[LEVEL_SATISFACTION].value, 0, "satisfaction 2025H2");
	assert_int_equal(lv.part[LEVEL_SATISFACTION].n, 9);
	/* The report of 2024 is published. */
	near(lv.part[LEVEL_PUBLICATION].value, 100, "publication 2025H2");
	assert_false(lv.part[LEVEL_STANDARDS].have);
	assert_true(lv.partial);
	/* (0.4×0 + 0.1×75 + 0.1×100) / 0.6 */
	near(lv.index, 17.5 / 0.6, "level 2025H2");

	/* February whole (its month rows) and March 1 (its day rows): the
	 * internal standard of March 2 is not in it. */
	check(level_compute(t->db, t->org[0], date_from_ymd(2026, 2, 1),
	    date_from_ymd(2026, 3, 1), &lv, &e), &e);
	near(lv.part[LEVEL_SATISFACTION].value, 75, "satisfaction Feb");
	assert_int_equal(lv.part[LEVEL_SATISFACTION].n, 10);
	near(lv.part[LEVEL_STANDARDS].value, 500.0 / 7, "standards Feb");
	assert_int_equal(lv.part[LEVEL_STANDARDS].n, 7);
	assert_int_equal(lv.part[LEVEL_COMPLAINTS].n, 4);
	/* March 2 alone: the day row, not March's month row. */
	check(level_compute(t->db, t->org[0], date_from_ymd(2026, 3, 2),
	    date_from_ymd(2026, 3, 2), &lv, &e), &e);
	near(lv.part[LEVEL_STANDARDS].value, 100, "standards Mar 2");
	assert_int_equal(lv.part[LEVEL_STANDARDS].n, 3);
	assert_false(lv.part[LEVEL_COMPLAINTS].have);
}

static void
test_missing(void **state)
{
	struct env  *t = *state;
	struct level lv;
	struct err   e;

	check(level_compute(t->db, t->org[1], t->from, t->to, &lv, &e), &e);
	near(lv.part[LEVEL_SATISFACTION].value, 75, "pooled satisfaction");
	assert_int_equal(lv.part[LEVEL_SATISFACTION].n, 4);
	near(lv.part[LEVEL_COMPLAINTS].value, 50, "complaints");
	assert_false(lv.part[LEVEL_STANDARDS].have);
	assert_int_equal(lv.part[LEVEL_STANDARDS].n, 0);
	assert_false(lv.part[LEVEL_REGISTRY].have);
	near(lv.part[LEVEL_PUBLICATION].value, 100, "publication");
	assert_int_equal(lv.part[LEVEL_PUBLICATION].n, 1);
	near(lv.index, 50 / 0.7, "level");
	assert_true(lv.partial);
	assert_true(lv.have);

	check(level_compute(t->db, t->org[2], t->from, t->to, &lv, &e), &e);
	near(lv.index, 0, "level of tax");
	assert_true(lv.partial);
	assert_int_equal(lv.part[LEVEL_PUBLICATION].n, 1);

	assert_int_equal(level_compute(t->db, t->org[0], t->to, t->from, &lv,
	    &e), -1);
	assert_non_null(strstr(e.msg, "period"));
}

static void
test_region(void **state)
{
	struct env   *t = *state;
	struct level *v;
	struct err    e;
	size_t	      n;

	check(level_region(t->db, t->from, t->to, &v, &n, &e), &e);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].org_id, t->org[0]);
	assert_int_equal(v[1].org_id, t->org[1]);
	assert_int_equal(v[2].org_id, t->org[2]);
	near(v[0].index, 73.5, "first");
	near(v[1].index, 50 / 0.7, "second");
	free(v);
}

static const struct rtable *
table(const struct report *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->ntables; i++)
		if (strcmp(r->tables[i].key, key) == 0)
			return &r->tables[i];
	fail_msg("no table %s", key);
	abort();
}

static void
test_report(void **state)
{
	struct env	    *t = *state;
	struct report	     rep;
	const struct rtable *l;
	struct err	     e;

	memset(&rep, 0, sizeof(rep));
	rep.org_id = t->org[1];
	rep.what = RW_LEVEL;
	rep.from = t->from;
	rep.to = t->to;
	check(level_report(t->db, &rep, &e), &e);
	l = table(&rep, "level");
	assert_non_null(l);
	assert_int_equal(l->nrows, LEVEL__COUNT + 1);
	assert_string_equal(l->rows[0].key, "satisfaction");
	assert_string_equal(l->rows[5].key, "level");
	assert_non_null(strstr(l->rows[5].label_ru, "частичный"));
	near(l->rows[5].cells[0].value, 50 / 0.7, "level cell");
	/* Weights applied: 0.4 / 0.7 of the level. */
	near(l->rows[0].cells[1].value, 40 / 0.7, "weight applied");
	assert_int_equal(l->rows[1].cells[0].supp, RS_NONE);
	assert_int_equal(l->rows[0].cells[2].n, 4);
	assert_non_null(strstr(l->note_ru, "0,40"));
	l = table(&rep, "level_region");
	assert_non_null(l);
	assert_int_equal(l->chart, RC_BARS);
	assert_int_equal(l->nrows, 3);
	assert_string_equal(l->rows[0].key, "moh");
	assert_string_equal(l->rows[1].key, "edu");
	assert_string_equal(l->rows[2].key, "tax");
	near(l->rows[0].cells[0].value, 73.5, "moh level");
	near(l->rows[0].cells[2].value, 80, "moh standards");

	/*
	 * With k = 5: the four answers of satisfaction are withheld, and so
	 * is the level built on them (it would give them back by
	 * subtraction); the one publication counts a thing, not people,
	 * and stays.
	 */
	report_suppress(&rep, 5);
	l = table(&rep, "level");
	assert_int_equal(l->rows[LEVEL_SATISFACTION].cells[0].supp, RS_SMALL);
	assert_int_equal(l->rows[LEVEL_PUBLICATION].cells[0].supp, RS_SHOWN);
	near(l->rows[LEVEL_PUBLICATION].cells[0].value, 100, "publication");
	assert_int_equal(l->rows[5].cells[0].supp, RS_SMALL);
	l = table(&rep, "level_region");
	/* moh: complaints from 4 withheld, registry (4 touchpoints) and
	 * publication (2) shown. */
	assert_int_equal(l->rows[0].cells[1 + LEVEL_COMPLAINTS].supp,
	    RS_SMALL);
	assert_int_equal(l->rows[0].cells[1 + LEVEL_REGISTRY].supp, RS_SHOWN);
	assert_int_equal(l->rows[0].cells[1 + LEVEL_PUBLICATION].supp,
	    RS_SHOWN);
	assert_int_equal(l->rows[0].cells[0].supp, RS_SMALL);
	report_free(&rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_region, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	setenv("OTKLIK_NOW", NOW_TEXT, 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

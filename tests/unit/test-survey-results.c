/*
 * Unit tests of survey_results.c and survey_export.c: a hand-made set
 * of responses in a scratch database, and for a table of filters (days,
 * touchpoint, service, situation, paper or online) the exact n, share of
 * 4–5, index, option counts, answered counts and newest texts; answers
 * of an older version counted by question code; the CSV export's rows.
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
#include "org.h"
#include "survey.h"

#define NOW_TEXT "2026-03-02T07:00:00Z"

static const char def_v1[] =
    "{\"code\": \"t\", \"title_ru\": \"Тест\", \"client\": \"external\", "
    "\"access\": \"open\", \"questions\": ["
    "{\"code\": \"a\", \"type\": \"rating\", \"text_ru\": \"А\", "
    "\"required\": true},"
    "{\"code\": \"b\", \"type\": \"rating\", \"text_ru\": \"Б\"},"
    "{\"code\": \"c\", \"type\": \"single\", \"text_ru\": \"В\", "
    "\"options\": [{\"code\": \"x\", \"text_ru\": \"икс\"}, "
    "{\"code\": \"y\", \"text_ru\": \"игрек\"}]},"
    "{\"code\": \"m\", \"type\": \"multi\", \"text_ru\": \"Г\", "
    "\"options\": [{\"code\": \"p\", \"text_ru\": \"п\"}, "
    "{\"code\": \"q\", \"text_ru\": \"к\"}, "
    "{\"code\": \"r\", \"text_ru\": \"р\"}]},"
    "{\"code\": \"t\", \"type\": \"text\", \"text_ru\": \"Д\"}]}";

/* Version 2: b is gone, z is new; a and c stay by code. */
static const char def_v2[] =
    "{\"code\": \"t\", \"title_ru\": \"Тест 2\", \"client\": \"external\", "
    "\"access\": \"open\", \"questions\": ["
    "{\"code\": \"a\", \"type\": \"rating\", \"text_ru\": \"А\", "
    "\"required\": true},"
    "{\"code\": \"z\", \"type\": \"rating\", \"text_ru\": \"Я\"},"
    "{\"code\": \"c\", \"type\": \"single\", \"text_ru\": \"В\", "
    "\"options\": [{\"code\": \"x\", \"text_ru\": \"икс\"}, "
    "{\"code\": \"y\", \"text_ru\": \"игрек\"}]}]}";

/* The responses, by hand. */
static const struct {
	const char *day;
	int	    tp;		/* index into env.tp, -1 none */
	int	    offline;
	const char *paper;
	const char *service;
	const char *situation;
	int	    a, b;
	const char *c;		/* NULL: none */
	const char *m[3];
	const char *t;
} answers[] = {
	{"2026-02-01", 0, 0, NULL, "S", NULL, 5, 4, "x", {"p", "q"}, "первый"},
	{"2026-02-01", 0, 0, NULL, NULL, "L", 4, 0, "y", {"q"}, NULL},
	{"2026-02-02", 1, 0, NULL, NULL, NULL, 3, 2, "x", {NULL}, "второй"},
	{"2026-02-03", -1, 1, "P1", "S", NULL, 1, 5, "x", {"p", "q", "r"},
	    NULL},
	{"2026-02-04", 1, 1, "P2", NULL, NULL, 2, 0, NULL, {NULL}, "третий"},
	{"2026-02-05", 0, 0, NULL, NULL, NULL, 5, 5, "y", {"r"}, NULL},
};

struct env {
	char	path[64];
	struct db *db;
	int64_t org;
	int64_t tp[2];
};

static void
check(int r, const struct err *e)
{
	if (r != 0)
		fail_msg("%s", e->msg);
}

static void
add_response(struct env *t, const struct srv_def *d,
    const struct srv_instr *in, size_t i)
{
	struct srv_resp r;
	struct err	e;
	size_t		k;

	srv_resp_init(&r, d->nq);
	r.org_id = t->org;
	r.instrument_id = in->id;
	r.version_id = in->current_id;
	r.touchpoint_id = answers[i].tp >= 0 ? t->tp[answers[i].tp] : 0;
	snprintf(r.day, sizeof(r.day), "%s", answers[i].day);
	r.offline = answers[i].offline;
	r.paper_ref = answers[i].paper ? xstrdup(answers[i].paper) : NULL;
	r.service = answers[i].service ? xstrdup(answers[i].service) : NULL;
	r.situation = answers[i].situation ? xstrdup(answers[i].situation)
					   : NULL;
	r.items[0].rating = answers[i].a;
	r.items[1].rating = answers[i].b;
	if (answers[i].c != NULL) {
		r.items[2].choices = xcalloc(1, sizeof(char *));
		r.items[2].choices[0] = xstrdup(answers[i].c);
		r.items[2].nchoices = 1;
	}
	for (k = 0; k < 3 && answers[i].m[k] != NULL; k++) {
		r.items[3].choices = xreallocarray(r.items[3].choices, k + 1,
		    sizeof(char *));
		r.items[3].choices[k] = xstrdup(answers[i].m[k]);
		r.items[3].nchoices = k + 1;
	}
	if (answers[i].t != NULL)
		r.items[4].text = xstrdup(answers[i].t);
	assert_int_equal(srv_validate(d, &r, NULL, 0), 0);
	check(srv_response_insert(t->db, d, &r, NULL, &e), &e);
	srv_resp_clear(&r);
}

static int
setup(void **state)
{
	struct env	*t = xcalloc(1, sizeof(*t));
	struct srv_def	 d;
	struct srv_instr in;
	struct org	 o;
	struct err	 e;
	size_t		 i;
	int		 fd;

	setenv("OTKLIK_NOW", NOW_TEXT, 1);
	snprintf(t->path, sizeof(t->path), "/tmp/otklik-srv-XXXXXX");
	fd = mkstemp(t->path);
	assert_true(fd >= 0);
	close(fd);
	t->db = db_open(t->path, &e);
	assert_non_null(t->db);
	assert_true(db_migrate(t->db, &e) >= 5);
	memset(&o, 0, sizeof(o));
	o.slug = "moh";
	o.name = "Министерство";
	o.region = "ru";
	o.tz = "Europe/Moscow";
	check(org_add(t->db, "test", &o, &t->org, &e), &e);
	for (i = 0; i < 2; i++)
		assert_int_equal(db_run(t->db, &t->tp[i], "INSERT INTO "
		    "touchpoint (org_id, created_at) VALUES (?, 0) RETURNING "
		    "id", "i", t->org), 0);

	check(srv_def_parse(&d, def_v1, strlen(def_v1), &e), &e);
	check(srv_instr_add(t->db, "test", t->org, &d, &e), &e);
	check(srv_publish(t->db, "test", t->org, "t", &e), &e);
	check(srv_set_open(t->db, "test", t->org, "t", 1, &e), &e);
	check(srv_instr_get(t->db, t->org, "t", &in, &e), &e);
	assert_int_equal(db_begin(t->db), 0);
	for (i = 0; i < nitems(answers); i++)
		add_response(t, &d, &in, i);
	assert_int_equal(db_commit(t->db), 0);
	srv_instr_clear(&in);
	srv_def_clear(&d);
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

/*
 * What a filter gives, worked out by hand from answers[]: responses (of
 * them offline), question a's n, count of 4–5 and sum; b's n and sum;
 * c's x and y; m's answered, p, q, r.
 */
static const struct {
	const char *name;
	const char *from, *to;
	int	    tp;		/* index into env.tp, -1 all */
	const char *service, *situation;
	int	    offline;
	int64_t	    responses, paper;
	int64_t	    a_n, a_top, a_sum;
	double	    a_share, a_index;
	int64_t	    b_n, b_sum;
	int64_t	    x, y;
	int64_t	    m_answered, p, q, r;
	int64_t	    t_answered;
} cases[] = {
	/* a 5 4 3 1 2 5; b 4 2 5 5 */
	{"all", NULL, NULL, -1, NULL, NULL, -1, 6, 2,
	    6, 3, 20, 50.0, 14.0 * 25 / 6, 4, 16, 3, 2, 4, 2, 3, 2, 3},
	/* forms 3, 4, 5: a 3 1 2; b 2 5 */
	{"days", "2026-02-02", "2026-02-04", -1, NULL, NULL, -1, 3, 2,
	    3, 0, 6, 0.0, 25.0, 2, 7, 2, 0, 1, 1, 1, 1, 2},
	/* one day, both ends */
	{"one day", "2026-02-01", "2026-02-01", -1, NULL, NULL, -1, 2, 0,
	    2, 2, 9, 100.0, 87.5, 1, 4, 1, 1, 2, 1, 2, 0, 1},
	/* forms 1, 2, 6: a 5 4 5; b 4 5 */
	{"touchpoint", NULL, NULL, 0, NULL, NULL, -1, 3, 0,
	    3, 3, 14, 100.0, 11.0 * 25 / 3, 2, 9, 1, 2, 3, 1, 2, 1, 1},
	/* forms 4, 5 */
	{"paper", NULL, NULL, -1, NULL, NULL, 1, 2, 2,
	    2, 0, 3, 0.0, 12.5, 1, 5, 1, 0, 1, 1, 1, 1, 1},
	/* forms 1, 2, 3, 6: a 5 4 3 5 */
	{"online", NULL, NULL, -1, NULL, NULL, 0, 4, 0,
	    4, 3, 17, 75.0, 81.25, 3, 11, 2, 2, 3, 1, 2, 1, 2},
	/* forms 1 and 4: a 5 1 */
	{"service", NULL, NULL, -1, "S", NULL, -1, 2, 1,
	    2, 1, 6, 50.0, 50.0, 2, 9, 2, 0, 2, 2, 2, 1, 1},
	/* form 2 */
	{"situation", NULL, NULL, -1, NULL, "L", -1, 1, 0,
	    1, 1, 4, 100.0, 75.0, 0, 0, 0, 1, 1, 0, 1, 0, 0},
	/* nothing: every n is 0, the figures NAN */
	{"none", "2026-03-01", NULL, -1, NULL, NULL, -1, 0, 0,
	    0, 0, 0, NAN, NAN, 0, 0, 0, 0, 0, 0, 0, 0, 0},
	/* a touchpoint and paper: form 5 */
	{"touchpoint paper", NULL, NULL, 1, NULL, NULL, 1, 1, 1,
	    1, 0, 2, 0.0, 25.0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
};

static void
assert_figure(double got, double want, const char *what, const char *name)
{
	if (isnan(want)) {
		if (!isnan(got))
			fail_msg("%s, %s: %g, expected NAN", name, what, got);
		return;
	}
	if (fabs(got - want) > 1e-9)
		fail_msg("%s, %s: %.12g, expected %.12g", name, what, got,
		    want);
}

static void
test_filters(void **state)
{
	struct env	  *t = *state;
	struct srv_filter  f;
	struct srv_results res;
	struct err	   e;
	size_t		   i;

	for (i = 0; i < nitems(cases); i++) {
		memset(&f, 0, sizeof(f));
		f.org_id = t->org;
		f.code = "t";
		f.from = cases[i].from;
		f.to = cases[i].to;
		f.touchpoint_id = cases[i].tp >= 0 ? t->tp[cases[i].tp] : 0;
		f.service = cases[i].service;
		f.situation = cases[i].situation;
		f.offline = cases[i].offline;
		check(srv_results(t->db, &f, 10, &res, &e), &e);
		assert_int_equal(res.nq, 5);
		assert_int_equal(res.responses, cases[i].responses);
		assert_int_equal(res.offline, cases[i].paper);
		assert_string_equal(res.q[0].code, "a");
		assert_int_equal(res.q[0].type, SRV_RATING);
		assert_int_equal(res.q[0].score.n, cases[i].a_n);
		assert_int_equal(res.q[0].answered, cases[i].a_n);
		assert_int_equal(res.q[0].score.count[4] +
		    res.q[0].score.count[5], cases[i].a_top);
		assert_int_equal(res.q[0].score.sum, cases[i].a_sum);
		assert_figure(srv_score_share(&res.q[0].score),
		    cases[i].a_share, "a share", cases[i].name);
		assert_figure(srv_score_index(&res.q[0].score),
		    cases[i].a_index, "a index", cases[i].name);
		assert_int_equal(res.q[1].score.n, cases[i].b_n);
		assert_int_equal(res.q[1].score.sum, cases[i].b_sum);
		assert_int_equal(res.overall.n, cases[i].a_n + cases[i].b_n);
		assert_int_equal(res.overall.sum, cases[i].a_sum +
		    cases[i].b_sum);
		assert_int_equal(res.q[2].noptions, 2);
		assert_string_equal(res.q[2].option_code[0], "x");
		assert_int_equal(res.q[2].option_count[0], cases[i].x);
		assert_int_equal(res.q[2].option_count[1], cases[i].y);
		assert_int_equal(res.q[2].answered, cases[i].x + cases[i].y);
		assert_int_equal(res.q[3].noptions, 3);
		assert_int_equal(res.q[3].answered, cases[i].m_answered);
		assert_int_equal(res.q[3].option_count[0], cases[i].p);
		assert_int_equal(res.q[3].option_count[1], cases[i].q);
		assert_int_equal(res.q[3].option_count[2], cases[i].r);
		assert_int_equal(res.q[4].type, SRV_TEXT);
		assert_int_equal(res.q[4].answered, cases[i].t_answered);
		assert_int_equal(res.q[4].ntexts, cases[i].t_answered);
		/* Figures of a choice or a text have no ratings. */
		assert_int_equal(res.q[2].score.n, 0);
		assert_int_equal(res.q[4].score.n, 0);
		srv_results_clear(&res);
	}
}

static void
test_all_figures(void **state)
{
	struct env	  *t = *state;
	struct srv_filter  f;
	struct srv_results res;
	struct err	   e;

	memset(&f, 0, sizeof(f));
	f.org_id = t->org;
	f.code = "t";
	f.offline = -1;
	check(srv_results(t->db, &f, 2, &res, &e), &e);
	/* a 5 4 3 1 2 5 and b 4 2 5 5 pooled: 10 ratings, 6 of 4–5. */
	assert_int_equal(res.overall.n, 10);
	assert_int_equal(res.overall.count[1], 1);
	assert_int_equal(res.overall.count[2], 2);
	assert_int_equal(res.overall.count[3], 1);
	assert_int_equal(res.overall.count[4], 2);
	assert_int_equal(res.overall.count[5], 4);
	assert_figure(srv_score_share(&res.overall), 60.0, "share", "all");
	assert_figure(srv_score_index(&res.overall), 65.0, "index", "all");
	assert_int_equal(res.q[1].score.count[2], 1);
	assert_int_equal(res.q[1].score.count[4], 1);
	assert_int_equal(res.q[1].score.count[5], 2);
	assert_figure(srv_score_share(&res.q[1].score), 75.0, "b share",
	    "all");
	assert_figure(srv_score_index(&res.q[1].score), 75.0, "b index",
	    "all");
	assert_string_equal(res.q[2].option_ru[1], "игрек");
	/* Newest first, at most 2. */
	assert_int_equal(res.q[4].answered, 3);
	assert_int_equal(res.q[4].ntexts, 2);
	assert_string_equal(res.q[4].texts[0], "третий");
	assert_string_equal(res.q[4].texts[1], "второй");
	srv_results_clear(&res);
	srv_results_clear(&res);	/* harmless twice */
	srv_results_clear(NULL);

	/* No texts asked for: none kept. */
	check(srv_results(t->db, &f, 0, &res, &e), &e);
	assert_int_equal(res.q[4].ntexts, 0);
	assert_null(res.q[4].texts);
	srv_results_clear(&res);

	f.code = "nosuch";
	assert_int_equal(srv_results(t->db, &f, 0, &res, &e), -1);
	assert_int_equal(e.code, EXIT_NOINPUT);
	f.code = "t";
	f.from = "2026-02-30";
	assert_int_equal(srv_results(t->db, &f, 0, &res, &e), -1);
	assert_int_equal(e.code, EXIT_DATAERR);
	assert_non_null(strstr(e.msg, "from"));
}

/* A new version: its questions, the old answers counted by code. */
static void
test_new_version(void **state)
{
	struct env	  *t = *state;
	struct srv_filter  f;
	struct srv_results res;
	struct srv_def	   d;
	struct err	   e;

	check(srv_def_parse(&d, def_v2, strlen(def_v2), &e), &e);
	check(srv_draft_save(t->db, "test", t->org, "t", &d, &e), &e);
	srv_def_clear(&d);
	/* A draft does not change the figures. */
	memset(&f, 0, sizeof(f));
	f.org_id = t->org;
	f.code = "t";
	f.offline = -1;
	check(srv_results(t->db, &f, 0, &res, &e), &e);
	assert_int_equal(res.nq, 5);
	srv_results_clear(&res);
	check(srv_publish(t->db, "test", t->org, "t", &e), &e);
	check(srv_results(t->db, &f, 0, &res, &e), &e);
	assert_int_equal(res.nq, 3);
	assert_string_equal(res.q[0].code, "a");
	assert_int_equal(res.q[0].score.n, 6);
	assert_int_equal(res.q[0].score.sum, 20);
	assert_string_equal(res.q[1].code, "z");
	assert_int_equal(res.q[1].score.n, 0);
	assert_true(isnan(srv_score_index(&res.q[1].score)));
	assert_int_equal(res.q[2].option_count[0], 3);
	/* b is not a question any more: out of the pool too. */
	assert_int_equal(res.overall.n, 6);
	assert_int_equal(res.responses, 6);
	srv_results_clear(&res);
}

/* The CSV export: a header, then a row per response in day order. */
static void
test_export_csv(void **state)
{
	struct env	 *t = *state;
	struct srv_filter f;
	struct buf	  b;
	struct err	  e;
	const char	 *p;
	size_t		  lines = 0;

	memset(&f, 0, sizeof(f));
	f.org_id = t->org;
	f.code = "t";
	f.offline = -1;
	buf_init(&b, 1 << 20);
	assert_int_equal(srv_export_csv(t->db, &f, &b, &e), 6);
	for (p = buf_str(&b); (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	assert_int_equal(lines, 7);
	assert_non_null(strstr(buf_str(&b), "\xef\xbb\xbf№,Дата,Версия "
	    "анкеты,Точка взаимодействия,Услуга,Жизненная ситуация,Офлайн,"
	    "Номер бланка,a,b,c,m,t\r\n"));
	assert_non_null(strstr(buf_str(&b), ",S,,нет,,5,4,x,p; q,первый\r\n"));
	assert_non_null(strstr(buf_str(&b), "4,2026-02-03,1,,S,,да,P1,1,5,x,"
	    "p; q; r,\r\n"));
	buf_reset(&b);
	f.offline = 1;
	f.from = "2026-02-04";
	assert_int_equal(srv_export_csv(t->db, &f, &b, &e), 1);
	assert_non_null(strstr(buf_str(&b), "\r\n1,2026-02-04,1,"));
	/* A buffer too small is an error, not a cut file. */
	buf_free(&b);
	buf_init(&b, 64);
	f.offline = -1;
	f.from = NULL;
	assert_int_equal(srv_export_csv(t->db, &f, &b, &e), -1);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_figures, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_new_version, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_export_csv, setup,
		    teardown),
	};

	if (sodium_init() < 0)
		return 1;
	setenv("OTKLIK_NOW", NOW_TEXT, 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

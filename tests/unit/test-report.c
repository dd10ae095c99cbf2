/*
 * Unit tests of report.c and report_out.c: periods (table-driven, with
 * the errors), every table of the half-year report over rollup rows put
 * in by hand with the figures worked out by hand, suppression (small
 * figures and the complementary ones, so that nothing hidden can be
 * worked out by subtraction), the JSON read back into the model, CSV,
 * figures as text, and the publication of the yearly report.
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
#include <jansson.h>

#include "otklik.h"
#include "db.h"
#include "org.h"
#include "report.h"
#include "rollup.h"

#define NOW_TEXT "2026-06-20T07:00:00Z"

struct env {
	char	   path[64];
	struct db *db;
	int64_t	   org;
	int64_t	   tp;		/* "Приемная", reception */
	int64_t	   unit;
	int64_t	   reason[12];
	int64_t	   topic;
	int64_t	   now;
};

static void
check(int r, const struct err *e)
{
	if (r != 0)
		fail_msg("%s", e->msg);
}

/* ---- periods ---- */

static const struct {
	const char *p;
	const char *from, *to, *pfrom, *pto;
} periods[] = {
	{"2026H1", "2026-01-01", "2026-06-30", "2025-07-01", "2025-12-31"},
	{"2026H2", "2026-07-01", "2026-12-31", "2026-01-01", "2026-06-30"},
	{"2026Q1", "2026-01-01", "2026-03-31", "2025-10-01", "2025-12-31"},
	{"2026Q3", "2026-07-01", "2026-09-30", "2026-04-01", "2026-06-30"},
	{"2026", "2026-01-01", "2026-12-31", "2025-01-01", "2025-12-31"},
	{"2026-03", "2026-03-01", "2026-03-31", "2026-02-01", "2026-02-28"},
	{"2024-03", "2024-03-01", "2024-03-31", "2024-02-01", "2024-02-29"},
	{"2026-01", "2026-01-01", "2026-01-31", "2025-12-01", "2025-12-31"},
	{"2026-01-10..2026-01-19", "2026-01-10", "2026-01-19", "2025-12-31",
	    "2026-01-09"},
	{"2026-05-05..2026-05-05", "2026-05-05", "2026-05-05", "2026-05-04",
	    "2026-05-04"},
	{"2026-01-01..2035-12-31", "2026-01-01", "2035-12-31", "2016-01-02",
	    "2025-12-31"},
};

static const struct {
	const char *p;
	const char *msg;
} bad_periods[] = {
	{"2026H3", "period '2026H3': expected"},
	{"2026Q5", "period '2026Q5': expected"},
	{"26H1", "period '26H1': expected"},
	{"2026-13", "period '2026-13': expected"},
	{"2026-1", "period '2026-1': expected"},
	{"2026h1", "period '2026h1': expected"},
	{"2026-02-30..2026-03-01", "period '2026-02-30..2026-03-01': expected"},
	{"2026-03-01..2026-02-01", "period '2026-03-01..2026-02-01': ends "
	    "before it begins"},
	{"2026-01-01..2036-01-01", "period '2026-01-01..2036-01-01': longer "
	    "than 10 years"},
	{"2026-01-01..", "period '2026-01-01..': expected"},
	{"", "period: none given"},
};

static void
test_period(void **state)
{
	struct err e;
	int32_t	   f, t, pf, pt;
	char	   a[11], b[11], c[11], d[11], cur[8];
	size_t	   i;

	(void)state;
	for (i = 0; i < nitems(periods); i++) {
		err_clear(&e);
		check(report_period(periods[i].p, &f, &t, &pf, &pt, &e), &e);
		date_format(f, a);
		date_format(t, b);
		date_format(pf, c);
		date_format(pt, d);
		assert_string_equal(a, periods[i].from);
		assert_string_equal(b, periods[i].to);
		assert_string_equal(c, periods[i].pfrom);
		assert_string_equal(d, periods[i].pto);
	}
	for (i = 0; i < nitems(bad_periods); i++) {
		err_clear(&e);
		assert_int_equal(report_period(bad_periods[i].p, &f, &t, &pf,
		    &pt, &e), -1);
		assert_int_equal(e.code, EXIT_USAGE);
		if (strstr(e.msg, bad_periods[i].msg) == NULL)
			fail_msg("%s: got '%s'", bad_periods[i].p, e.msg);
	}
	report_period_current(date_from_ymd(2026, 6, 30), cur);
	assert_string_equal(cur, "2026H1");
	report_period_current(date_from_ymd(2026, 7, 1), cur);
	assert_string_equal(cur, "2026H2");
	report_period_current(date_from_ymd(2027, 1, 1), cur);
	assert_string_equal(cur, "2027H1");
}

/* ---- the data, by hand ---- */

/*
 * Every row goes in twice, as rollup.c writes a contribution: into its
 * day's row (grain 'd') and its month's ('m', day "YYYY-MM"), added to
 * what is there.  A report that read both for one day would count it
 * twice, one that read neither not at all.
 */
static const char *const grains[2] = {"d", "m"};

static void
grain_day(char out[11], int g, const char *day)
{
	snprintf(out, 11, "%.*s", g == 0 ? 10 : 7, day);
}

static void
fb(struct env *t, const char *day, const char *client, const char *channel,
    const char *kind, int64_t messages, int64_t answered, int64_t on_time,
    int64_t late, int64_t msum, int64_t mmax, int64_t sat, int64_t unsat)
{
	char d[11];
	int  g;

	for (g = 0; g < 2; g++) {
		grain_day(d, g, day);
		assert_int_equal(db_run(t->db, NULL, "INSERT INTO an_fb "
		    "(org_id, grain, day, client, channel, kind, messages, "
		    "answered, on_time, late, minutes_sum, minutes_max, "
		    "satisfied, unsatisfied) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
		    "?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, grain, day, "
		    "client, channel, kind) DO UPDATE SET messages = messages "
		    "+ excluded.messages, answered = answered + "
		    "excluded.answered, on_time = on_time + excluded.on_time, "
		    "late = late + "
		    "excluded.late, minutes_sum = minutes_sum + "
		    "excluded.minutes_sum, minutes_max = max(minutes_max, "
		    "excluded.minutes_max), satisfied = satisfied + "
		    "excluded.satisfied, unsatisfied = unsatisfied + "
		    "excluded.unsatisfied", "ittttt" "iiiiiiii", t->org,
		    grains[g], d, client, channel, kind, messages, answered,
		    on_time, late, msum, mmax, sat, unsat), 0);
	}
}

/* count answers of m minutes into the histogram of a channel and day */
static void
hist(struct env *t, const char *day, const char *channel, int64_t m,
    int64_t count)
{
	char d[11];
	int  g;

	for (g = 0; g < 2; g++) {
		grain_day(d, g, day);
		assert_int_equal(db_run(t->db, NULL, "INSERT INTO an_fb_hist "
		    "(org_id, grain, day, client, channel, bucket, n) VALUES "
		    "(?, ?, ?, 'external', ?, ?, ?) ON CONFLICT (org_id, "
		    "grain, day, client, channel, bucket) DO UPDATE SET n = "
		    "n + excluded.n", "ittt" "ii", t->org, grains[g], d,
		    channel, (int64_t)rollup_bucket(m), count), 0);
	}
}

static void
topic(struct env *t, const char *day, int64_t topic_id, int64_t reason_id,
    int64_t messages)
{
	char d[11];
	int  g;

	for (g = 0; g < 2; g++) {
		grain_day(d, g, day);
		assert_int_equal(db_run(t->db, NULL, "INSERT INTO an_topic "
		    "(org_id, grain, day, client, topic_id, reason_id, "
		    "messages, complaints, negative, unsatisfied) VALUES (?, "
		    "?, ?, 'external', ?, ?, ?, 0, 0, 0) ON CONFLICT (org_id, "
		    "grain, day, client, topic_id, reason_id) DO UPDATE SET "
		    "messages = messages + excluded.messages", "itt" "iii",
		    t->org, grains[g], d, topic_id, reason_id, messages), 0);
	}
}

/* One row of an_srv, a dimension's value, at both grains. */
static void
srv_dim(struct env *t, const char *day, const char *client, const char *dim,
    const char *value, const char *question, const int r[5])
{
	int64_t n = r[0] + r[1] + r[2] + r[3] + r[4];
	char	d[11];
	int	g;

	for (g = 0; g < 2; g++) {
		grain_day(d, g, day);
		assert_int_equal(db_run(t->db, NULL, "INSERT INTO an_srv "
		    "(org_id, grain, day, client, dim, value, question, n, r1, "
		    "r2, r3, r4, r5) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		    "?, ?) ON CONFLICT (org_id, grain, dim, day, client, "
		    "value, question) DO UPDATE SET n = n + excluded.n, r1 = "
		    "r1 + excluded.r1, r2 = r2 + excluded.r2, r3 = r3 + "
		    "excluded.r3, r4 = r4 + excluded.r4, r5 = r5 + excluded.r5",
		    "ittttttiiiiii", t->org, grains[g], d, client, dim, value,
		    question, n, (int64_t)r[0], (int64_t)r[1], (int64_t)r[2],
		    (int64_t)r[3], (int64_t)r[4]), 0);
	}
}

/* Ratings of a question, under 'all' and each dimension given. */
static void
srv(struct env *t, const char *day, const char *client, const char *form,
    int64_t tp, const char *service, const char *segment, int64_t offline,
    const char *question, const int r[5])
{
	char v[32];

	srv_dim(t, day, client, "all", "", question, r);
	if (tp != 0)
		snprintf(v, sizeof(v), "%lld", (long long)tp);
	else
		snprintf(v, sizeof(v), "%s", offline ? "paper" : "online");
	srv_dim(t, day, client, "touchpoint", v, question, r);
	if (*form != '\0')
		srv_dim(t, day, client, "form", form, question, r);
	if (*service != '\0')
		srv_dim(t, day, client, "service", service, question, r);
	if (*segment != '\0')
		srv_dim(t, day, client, "segment", segment, question, r);
}

static void
std(struct env *t, const char *day, const char *channel, int64_t unit,
    const char *standard, int64_t kept, int64_t breached)
{
	char d[11];
	int  g;

	for (g = 0; g < 2; g++) {
		grain_day(d, g, day);
		assert_int_equal(db_run(t->db, NULL, "INSERT INTO an_std "
		    "(org_id, grain, day, client, channel, unit_id, standard, "
		    "kept, breached) VALUES (?, ?, ?, 'external', ?, ?, ?, ?, "
		    "?) ON CONFLICT (org_id, grain, day, client, channel, "
		    "unit_id, standard) DO UPDATE SET kept = kept + "
		    "excluded.kept, breached = breached + excluded.breached",
		    "ittt" "itii", t->org, grains[g], d, channel, unit,
		    standard, kept, breached), 0);
	}
}

static int64_t
at(const char *iso)
{
	int64_t v;

	assert_int_equal(time_parse(iso, &v), 0);
	return v;
}

/* A detail row for the two detail queries (overdue, breaches). */
static void
message(struct env *t, const char *code, const char *state,
    const char *received, const char *acked, const char *ack_due,
    const char *answer_due)
{
	assert_int_equal(db_run(t->db, NULL, "INSERT INTO fb_message (org_id, "
	    "code, source, channel, kind, client, text, state, received_at, "
	    "registered_at, acknowledged_at, ack_due, answer_due, unit_id) "
	    "VALUES (?, ?, 'direct', 'email', 'appeal', 'external', 'текст', "
	    "?, ?, ?, ?, ?, ?, ?)", "ittiiIIiI", t->org, code, state,
	    at(received), at(received), acked != NULL ? at(acked) : 0,
	    ack_due != NULL ? at(ack_due) : 0, at(answer_due), t->unit), 0);
}

static int
setup(void **state)
{
	static const int r_access[5] = {0, 1, 0, 1, 2};	/* 16 / 4 */
	static const int r_overall[5] = {0, 0, 1, 0, 1};	/* 8 / 2 */
	static const int r_prev[5] = {0, 0, 2, 0, 0};	/* 6 / 2 */
	static const int r_internal[5] = {1, 0, 0, 0, 0};
	struct env *t = xcalloc(1, sizeof(*t));
	struct org  o;
	struct err  e;
	char	    title[32];
	int	    i, fd;

	setenv("OTKLIK_NOW", NOW_TEXT, 1);
	t->now = at(NOW_TEXT);
	snprintf(t->path, sizeof(t->path), "/tmp/otklik-rep-XXXXXX");
	fd = mkstemp(t->path);
	assert_true(fd >= 0);
	close(fd);
	t->db = db_open(t->path, &e);
	assert_non_null(t->db);
	assert_true(db_migrate(t->db, &e) >= 6);
	memset(&o, 0, sizeof(o));
	o.slug = "moh";
	o.name = "Министерство";
	o.region = "ru";
	o.tz = "Europe/Moscow";
	check(org_add(t->db, "test", &o, &t->org, &e), &e);
	check(unit_get(t->db, "test", t->org, "Отдел обращений", 1, &t->unit,
	    &e), &e);
	assert_int_equal(db_run(t->db, &t->tp, "INSERT INTO touchpoint "
	    "(org_id, created_at) VALUES (?, 0) RETURNING id", "i", t->org), 0);
	assert_int_equal(db_run(t->db, NULL, "INSERT INTO touchpoint_rev "
	    "(touchpoint_id, org_id, valid_from, valid_to, pos, area, process, "
	    "name, channel, kind, client) VALUES (?, ?, 1, NULL, 1, 'Услуги', "
	    "'Прием', 'Приемная', 'reception', 'offline', 'external')", "ii",
	    t->tp, t->org), 0);
	for (i = 0; i < 12; i++) {
		snprintf(title, sizeof(title), "Причина %02d", i + 1);
		assert_int_equal(db_run(t->db, &t->reason[i], "INSERT INTO "
		    "fb_topic (org_id, kind, title) VALUES (?, 'reason', ?) "
		    "RETURNING id", "it", t->org, title), 0);
	}
	assert_int_equal(db_run(t->db, &t->topic, "INSERT INTO fb_topic "
	    "(org_id, kind, title) VALUES (?, 'topic', 'Полис ОМС') "
	    "RETURNING id", "i", t->org), 0);

	/* Messages: email 10 + 6 (complaints), phone 4; noise outside. */
	fb(t, "2026-02-01", "external", "email", "appeal", 10, 8, 6, 2,
	    800, 300, 0, 0);
	fb(t, "2026-03-05", "external", "email", "complaint", 6, 6, 5,
	    1, 600, 200, 4, 2);
	fb(t, "2026-02-10", "external", "phone", "appeal", 4, 4, 0, 0, 40,
	    20, 0, 0);
	fb(t, "2026-02-10", "internal", "email", "appeal", 100, 0, 0, 0, 0,
	    0, 0, 0);
	fb(t, "2025-12-31", "external", "email", "appeal", 50, 50, 50, 0,
	    5000, 9000, 0, 0);
	fb(t, "2026-07-01", "external", "email", "appeal", 50, 50, 50, 0,
	    5000, 9000, 0, 0);
	/* Email: 7 answers of 50 minutes and 7 of 150; phone: 4 of 10. */
	hist(t, "2026-02-01", "email", 50, 7);
	hist(t, "2026-03-05", "email", 150, 7);
	hist(t, "2026-02-10", "phone", 10, 4);
	hist(t, "2025-12-31", "email", 9000, 50);
	/* Reasons 1…12 with 12…1 messages, 5 without a reason, 20 messages
	 * of one topic, 58 without. */
	for (i = 0; i < 12; i++)
		topic(t, "2026-02-01", i == 0 ? t->topic : 0, t->reason[i],
		    12 - i);
	topic(t, "2026-02-02", t->topic, 0, 5);
	topic(t, "2025-12-01", t->topic, 0, 500);
	/* Ratings now: access at the reception, overall on paper; before:
	 * access only. */
	srv(t, "2026-04-01", "external", "service", t->tp, "Полис", "citizen",
	    0, "access", r_access);
	srv(t, "2026-05-01", "external", "appeals", 0, "", "", 1, "overall",
	    r_overall);
	srv(t, "2025-11-01", "external", "service", t->tp, "Полис", "citizen",
	    0, "access", r_prev);
	srv(t, "2026-04-01", "internal", "internal", 0, "", "", 0, "career",
	    r_internal);
	/* Standards. */
	std(t, "2026-02-01", "email", t->unit, "answer_59fz", 9, 1);
	std(t, "2026-02-01", "email", 0, "ack_written", 4, 0);
	std(t, "2026-02-02", "phone", 0, "phone_transfers", 3, 2);
	/* Detail rows: one waiting past its deadline, one acknowledged two
	 * days late, one answered (not waiting). */
	message(t, "AAAA-BBBBBB", "in_work", "2026-05-01T10:00:00Z", NULL,
	    NULL, "2026-06-01T10:00:00Z");
	message(t, "CCCC-DDDDDD", "acknowledged", "2026-02-02T10:00:00Z",
	    "2026-02-05T10:00:00Z", "2026-02-03T10:00:00Z",
	    "2026-12-01T10:00:00Z");
	message(t, "EEEE-FFFFFF", "answered", "2026-05-02T10:00:00Z", NULL,
	    NULL, "2026-06-01T10:00:00Z");
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct env *t = *state;

	db_close(t->db);
	unlink(t->path);
	free(t);
	return 0;
}

/* ---- reading the model ---- */

static const struct rtable *
table(const struct report *rep, const char *key)
{
	size_t i;

	for (i = 0; i < rep->ntables; i++)
		if (strcmp(rep->tables[i].key, key) == 0)
			return &rep->tables[i];
	fail_msg("no table %s", key);
	abort();
}

static const struct rrow *
row(const struct report *rep, const char *tkey, const char *rkey)
{
	const struct rtable *t = table(rep, tkey);
	size_t		     i;

	for (i = 0; i < t->nrows; i++)
		if (strcmp(t->rows[i].key, rkey) == 0)
			return &t->rows[i];
	fail_msg("no row %s.%s", tkey, rkey);
	abort();
}

/* The cell "TABLE.ROW.COL". */
static const struct rcell *
fig(const struct report *rep, const char *key)
{
	char		     tk[REPORT_KEY_MAX], rk[REPORT_KEY_MAX];
	const char	    *a = strchr(key, '.'), *b;
	const struct rtable *t;
	const struct rrow   *r;
	size_t		     c;

	assert_non_null(a);
	b = strchr(a + 1, '.');
	assert_non_null(b);
	snprintf(tk, sizeof(tk), "%.*s", (int)(a - key), key);
	snprintf(rk, sizeof(rk), "%.*s", (int)(b - a - 1), a + 1);
	t = table(rep, tk);
	r = row(rep, tk, rk);
	for (c = 0; c < t->ncols; c++)
		if (strcmp(t->cols[c].key, b + 1) == 0)
			return &r->cells[c];
	fail_msg("no column %s", key);
	abort();
}

static void
shown(const struct report *rep, const char *key, double v, int64_t n)
{
	const struct rcell *c = fig(rep, key);

	if (c->supp != RS_SHOWN)
		fail_msg("%s: not shown (%d)", key, (int)c->supp);
	if (fabs(c->value - v) > 1e-9 * (fabs(v) > 1 ? fabs(v) : 1))
		fail_msg("%s: %.10g, expected %.10g", key, c->value, v);
	if (c->n != n)
		fail_msg("%s: n %lld, expected %lld", key, (long long)c->n,
		    (long long)n);
}

static void
status(const struct report *rep, const char *key, enum rsupp s)
{
	const struct rcell *c = fig(rep, key);

	if (c->supp != s)
		fail_msg("%s: status %d, expected %d", key, (int)c->supp,
		    (int)s);
}

static void
build(struct env *t, enum rwhat what, const char *period, const char *client,
    int k, struct report *rep)
{
	struct report_opts o;
	struct err	   e;

	memset(&o, 0, sizeof(o));
	o.org_id = t->org;
	o.what = what;
	o.period = period;
	o.client = client;
	o.k = k;
	o.now = t->now;
	err_clear(&e);
	check(report_build(t->db, &o, rep, &e), &e);
}

/* ---- the half-year report ---- */

static void
test_full_messages(void **state)
{
	struct env   *t = *state;
	struct report rep;

	build(t, RW_FULL, "2026H1", NULL, 1, &rep);
	assert_string_equal(rep.org_slug, "moh");
	assert_string_equal(rep.client, "external");
	assert_string_equal(table(&rep, "contacts")->title_ru,
	    "Количество обратившихся посредством всех средств связи с "
	    "указанием доли в процентном соотношении по различным каналам");
	/* Channels in the order of channels[]: email before phone. */
	assert_string_equal(table(&rep, "contacts")->rows[0].key, "email");
	assert_string_equal(table(&rep, "contacts")->rows[0].label_ru,
	    "Электронная почта");
	shown(&rep, "contacts.email.count", 16, 16);
	shown(&rep, "contacts.email.share", 80, 16);
	shown(&rep, "contacts.phone.count", 4, 4);
	shown(&rep, "contacts.phone.share", 20, 4);
	shown(&rep, "contacts.total.count", 20, 20);
	shown(&rep, "contacts.total.share", 100, 20);
	assert_true(row(&rep, "contacts", "total")->total);

	/* The ten largest reasons, the two smallest in "other". */
	shown(&rep, "reasons.other.count", 3, 3);
	shown(&rep, "reasons.none.count", 5, 5);
	shown(&rep, "reasons.total.count", 83, 83);
	assert_int_equal(table(&rep, "reasons")->nrows, 13);
	assert_string_equal(table(&rep, "reasons")->rows[0].label_ru,
	    "Причина 01");
	assert_string_equal(table(&rep, "reasons")->rows[9].label_ru,
	    "Причина 10");
	shown(&rep, "reasons.total.share", 100, 83);
	assert_true(fabs(fig(&rep, "reasons.other.share")->value -
	    300.0 / 83) < 1e-9);
	assert_string_equal(table(&rep, "reasons")->title_ru,
	    "Основные причины, побудившие к отклику");
	assert_string_equal(table(&rep, "topics")->rows[0].label_ru,
	    "Полис ОМС");
	{
		char k[64];

		snprintf(k, sizeof(k), "topics.t%lld.count",
		    (long long)t->topic);
		shown(&rep, k, 17, 17);
	}
	shown(&rep, "topics.none.count", 66, 66);
	status(&rep, "topics.other.count", RS_NONE);

	/* Time to answer: email 1400 / 14, phone 40 / 4, all 1440 / 18. */
	shown(&rep, "answer_time.email.mean", 100, 14);
	shown(&rep, "answer_time.email.max", 300, 14);
	shown(&rep, "answer_time.email.answered", 14, 14);
	shown(&rep, "answer_time.email.on_time", 11, 14);
	shown(&rep, "answer_time.email.late", 3, 14);
	shown(&rep, "answer_time.email.on_time_share", 1100.0 / 14, 14);
	shown(&rep, "answer_time.email.median",
	    rollup_bucket_value(rollup_bucket(50)), 14);
	shown(&rep, "answer_time.email.p90",
	    rollup_bucket_value(rollup_bucket(150)), 14);
	assert_true(fabs(fig(&rep, "answer_time.email.median")->value - 50) <=
	    50 * ROLLUP_ALPHA);
	shown(&rep, "answer_time.phone.mean", 10, 4);
	status(&rep, "answer_time.phone.on_time", RS_NONE);
	status(&rep, "answer_time.phone.late_share", RS_NONE);
	shown(&rep, "answer_time.total.mean", 80, 18);
	shown(&rep, "answer_time.total.max", 300, 18);
	shown(&rep, "answer_time.total.median",
	    rollup_bucket_value(rollup_bucket(50)), 18);
	shown(&rep, "answer_time.total.p90",
	    rollup_bucket_value(rollup_bucket(150)), 18);

	/* Waiting past the deadline now: one (the answered one is not). */
	shown(&rep, "overdue.email.count", 1, 1);
	shown(&rep, "overdue.total.count", 1, 1);

	/* Complaints: 4 satisfied, 2 not, of 6. */
	shown(&rep, "complaints.satisfied.count", 4, 4);
	shown(&rep, "complaints.satisfied.share", 400.0 / 6, 4);
	shown(&rep, "complaints.unsatisfied.count", 2, 2);
	shown(&rep, "complaints.unsatisfied.share", 200.0 / 6, 2);
	status(&rep, "complaints.pending.count", RS_NONE);
	shown(&rep, "complaints.total.count", 6, 6);
	report_free(&rep);
}

static void
test_full_satisfaction(void **state)
{
	struct env   *t = *state;
	struct report rep;
	char	      k[64];

	build(t, RW_FULL, "2026H1", NULL, 1, &rep);
	/* access: 2×5, 1×4, 1×2 = 16 / 4; before 2×3 = 6 / 2. */
	assert_string_equal(row(&rep, "satisfaction", "access")->label_ru,
	    "Доступность");
	assert_string_equal(row(&rep, "satisfaction", "overall")->label_ru,
	    "В целом");
	/* The order of the standard instruments: access before overall. */
	assert_string_equal(table(&rep, "satisfaction")->rows[0].key,
	    "access");
	shown(&rep, "satisfaction.access.n", 4, 4);
	shown(&rep, "satisfaction.access.share", 75, 4);
	shown(&rep, "satisfaction.access.index", 75, 4);
	shown(&rep, "satisfaction.access.mean", 4, 4);
	shown(&rep, "satisfaction.access.delta", 25, 2);
	/* overall: 5 and 3; nothing before. */
	shown(&rep, "satisfaction.overall.share", 50, 2);
	shown(&rep, "satisfaction.overall.index", 75, 2);
	status(&rep, "satisfaction.overall.delta", RS_NONE);
	/* Pooled: 24 / 6, four of 4–5; before 6 / 2. */
	shown(&rep, "satisfaction.all.n", 6, 6);
	shown(&rep, "satisfaction.all.share", 400.0 / 6, 6);
	shown(&rep, "satisfaction.all.index", 75, 6);
	shown(&rep, "satisfaction.all.delta", 25, 2);
	/* Per touchpoint, channel, service, form, segment, situation. */
	snprintf(k, sizeof(k), "sat_touchpoint.tp%lld.index", (long long)t->tp);
	shown(&rep, k, 75, 4);
	snprintf(k, sizeof(k), "sat_touchpoint.tp%lld.delta", (long long)t->tp);
	shown(&rep, k, 25, 2);
	shown(&rep, "sat_touchpoint.none.n", 2, 2);
	shown(&rep, "sat_channel.reception.n", 4, 4);
	assert_string_equal(row(&rep, "sat_channel", "reception")->label_ru,
	    "Личный прием");
	shown(&rep, "sat_channel.paper_form.n", 2, 2);
	assert_string_equal(row(&rep, "sat_channel", "paper_form")->label_ru,
	    "Бумажная анкета");
	shown(&rep, "sat_channel.all.index", 75, 6);
	shown(&rep, "sat_form.service.n", 4, 4);
	shown(&rep, "sat_form.appeals.index", 75, 2);
	shown(&rep, "sat_service.none.n", 2, 2);
	assert_string_equal(table(&rep, "sat_service")->rows[0].label_ru,
	    "Полис");
	assert_int_equal(table(&rep, "sat_service")->rows[0].cells[0].n, 4);
	assert_string_equal(table(&rep, "sat_segment")->rows[0].label_ru,
	    "гражданин");
	shown(&rep, "sat_segment.none.n", 2, 2);
	shown(&rep, "sat_situation.none.n", 6, 6);
	/* External clients have no profile; internal ratings stay out. */
	for (size_t i = 0; i < rep.ntables; i++)
		assert_string_not_equal(rep.tables[i].key, "profile");

	/* The trend: contacts in February and March, ratings in April and
	 * May; every month of the half-year is a row. */
	assert_int_equal(table(&rep, "trend")->nrows, 7);
	assert_string_equal(row(&rep, "trend", "2026-02")->label_ru,
	    "февраль 2026");
	shown(&rep, "trend.2026-02.contacts", 14, 14);
	shown(&rep, "trend.2026-03.contacts", 6, 6);
	status(&rep, "trend.2026-01.contacts", RS_NONE);
	shown(&rep, "trend.2026-04.index", 75, 4);
	shown(&rep, "trend.2026-05.index", 75, 2);
	shown(&rep, "trend.all.contacts", 20, 20);
	shown(&rep, "trend.all.index", 75, 6);
	report_free(&rep);

	/* Internal clients: the eight dimensions as a profile. */
	build(t, RW_FULL, "2026H1", "internal", 1, &rep);
	assert_int_equal(table(&rep, "profile")->nrows, 8);
	assert_int_equal(table(&rep, "profile")->chart, RC_PROFILE);
	assert_string_equal(table(&rep, "profile")->rows[0].label_ru,
	    "Возможность профессионального развития и должностного роста");
	shown(&rep, "profile.career.index", 0, 1);
	status(&rep, "profile.colleagues.index", RS_NONE);
	shown(&rep, "contacts.email.count", 100, 100);
	report_free(&rep);
}

static void
test_full_standards(void **state)
{
	struct env   *t = *state;
	struct report rep;
	char	      k[64];
	const struct rtable *b;

	build(t, RW_FULL, "2026H1", NULL, 1, &rep);
	shown(&rep, "standards.answer_59fz-email.kept", 9, 10);
	shown(&rep, "standards.answer_59fz-email.breached", 1, 10);
	shown(&rep, "standards.answer_59fz-email.share_kept", 90, 10);
	shown(&rep, "standards.phone_transfers-phone.share_kept", 60, 5);
	shown(&rep, "standards.total.kept", 16, 19);
	shown(&rep, "standards.total.breached", 3, 19);
	/* ack_written comes first: the order of the standards. */
	assert_string_equal(table(&rep, "standards")->rows[0].key,
	    "ack_written-email");
	snprintf(k, sizeof(k), "standards_unit.u%lld.kept", (long long)t->unit);
	shown(&rep, k, 9, 10);
	assert_string_equal(table(&rep, "standards_unit")->rows[0].label_ru,
	    "Отдел обращений");
	shown(&rep, "standards_unit.none.breached", 2, 9);
	/* The breach: acknowledged two days after its deadline. */
	b = table(&rep, "breaches");
	assert_true(b->listing);
	assert_int_equal(b->nrows, 1);
	assert_string_equal(b->rows[0].key, "cccc-dddddd");
	assert_non_null(strstr(b->rows[0].label_ru, "CCCC-DDDDDD"));
	assert_non_null(strstr(b->rows[0].label_ru, "Электронная почта"));
	assert_non_null(strstr(b->rows[0].label_ru, "Отдел обращений"));
	shown(&rep, "breaches.cccc-dddddd.over_minutes", 2880, 1);
	report_free(&rep);

	/* Another period: a quarter without ratings before it. */
	build(t, RW_FULL, "2026Q2", NULL, 1, &rep);
	status(&rep, "contacts.total.count", RS_NONE);
	shown(&rep, "satisfaction.access.index", 75, 4);
	status(&rep, "satisfaction.access.delta", RS_NONE);
	assert_int_equal(table(&rep, "trend")->nrows, 4);
	report_free(&rep);
}

/*
 * A period of two whole months (February, March: their month rows) and
 * of parts of two more (January from the 20th, April to the 10th: their
 * day rows).  The rows just outside it, in the same months as its ends,
 * are in the month rows of January and April, so a report that read
 * those, or read a day both ways, would count them.
 */
static void
test_spans(void **state)
{
	static const int r_in[5] = {0, 0, 0, 0, 1};
	static const int r_out[5] = {9, 0, 0, 0, 0};
	static const int r_before[5] = {0, 0, 2, 0, 0};
	struct env   *t = *state;
	struct report rep;
	char	      k[64];

	fb(t, "2026-01-19", "external", "email", "appeal", 1000, 1000, 0, 0,
	    1000, 99999, 0, 0);
	fb(t, "2026-01-20", "external", "email", "appeal", 1, 1, 0, 0, 700,
	    700, 0, 0);
	fb(t, "2026-01-31", "external", "email", "complaint", 2, 0, 0, 0, 0, 0,
	    1, 0);
	fb(t, "2026-04-10", "external", "email", "appeal", 3, 0, 0, 0, 0, 0, 0,
	    0);
	fb(t, "2026-04-11", "external", "email", "appeal", 2000, 2000, 0, 0,
	    2000, 99999, 0, 0);
	topic(t, "2026-04-10", t->topic, 0, 4);
	topic(t, "2026-04-11", t->topic, 0, 400);
	std(t, "2026-01-20", "email", t->unit, "answer_59fz", 1, 0);
	std(t, "2026-01-19", "email", t->unit, "answer_59fz", 0, 70);
	srv(t, "2026-04-10", "external", "service", t->tp, "Полис", "citizen",
	    0, "access", r_in);
	srv(t, "2026-04-11", "external", "service", t->tp, "Полис", "citizen",
	    0, "access", r_out);
	/* The previous period, 2025-10-31..2026-01-19, ends in January's
	 * day rows too. */
	srv(t, "2026-01-19", "external", "service", t->tp, "Полис", "citizen",
	    0, "access", r_before);

	build(t, RW_FULL, "2026-01-20..2026-04-10", NULL, 1, &rep);
	/* email 10 + 6 in the whole months, 1 + 2 + 3 at the ends. */
	shown(&rep, "contacts.email.count", 22, 22);
	shown(&rep, "contacts.phone.count", 4, 4);
	shown(&rep, "contacts.total.count", 26, 26);
	shown(&rep, "complaints.total.count", 8, 8);
	shown(&rep, "complaints.satisfied.count", 5, 5);
	/* 800 + 600 + 700 minutes over 8 + 6 + 1 answers; the maximum of
	 * the day rows, not of January's month row. */
	shown(&rep, "answer_time.email.mean", 2100.0 / 15, 15);
	shown(&rep, "answer_time.email.max", 700, 15);
	snprintf(k, sizeof(k), "topics.t%lld.count", (long long)t->topic);
	shown(&rep, k, 21, 21);
	shown(&rep, "standards.answer_59fz-email.kept", 10, 11);
	shown(&rep, "standards.answer_59fz-email.breached", 1, 11);
	/* access: 2×5, 1×4, 1×2 and a 5: 21 / 5; before: 2×3 twice
	 * (November's month row, January's day row): 12 / 4. */
	shown(&rep, "satisfaction.access.n", 5, 5);
	shown(&rep, "satisfaction.access.mean", 21.0 / 5, 5);
	shown(&rep, "satisfaction.access.delta", (21.0 / 5 - 1) * 25 - 50, 4);
	snprintf(k, sizeof(k), "sat_touchpoint.tp%lld.n", (long long)t->tp);
	shown(&rep, k, 5, 5);
	shown(&rep, "sat_service.all.n", 5, 5);
	/* The trend: January and April from day rows. */
	assert_int_equal(table(&rep, "trend")->nrows, 5);
	shown(&rep, "trend.2026-01.contacts", 3, 3);
	shown(&rep, "trend.2026-02.contacts", 14, 14);
	shown(&rep, "trend.2026-04.contacts", 3, 3);
	shown(&rep, "trend.2026-04.index", (21.0 / 5 - 1) * 25, 5);
	shown(&rep, "trend.all.contacts", 26, 26);
	report_free(&rep);
}

/* Many groups (the index of groups grows): 300 services of one rating. */
static void
test_many_groups(void **state)
{
	static const int five[5] = {0, 0, 0, 0, 1};
	struct env   *t = *state;
	struct report rep;
	char	      name[32];
	const struct rtable *s;
	size_t	      i, found = 0;

	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "Услуга %03zu", i);
		srv(t, "2026-04-02", "external", "service", 0, name, "", 0,
		    "speed", five);
	}
	build(t, RW_FULL, "2026H1", NULL, 1, &rep);
	s = table(&rep, "sat_service");
	/* 300 + «Полис» + «Не указана» + all */
	assert_int_equal(s->nrows, 303);
	for (i = 0; i < s->nrows; i++)
		if (strncmp(s->rows[i].label_ru, "Услуга ", 13) == 0) {
			found++;
			assert_int_equal(s->rows[i].cells[0].n, 1);
			assert_true(s->rows[i].cells[2].value == 100);
		}
	assert_int_equal(found, 300);
	assert_string_equal(s->rows[0].label_ru, "Полис");
	assert_string_equal(s->rows[1].label_ru, "Услуга 000");
	shown(&rep, "sat_service.all.n", 306, 306);
	shown(&rep, "satisfaction.speed.n", 300, 300);
	report_free(&rep);
	/* At k = 5 every one of them is hidden, and nothing can be told. */
	build(t, RW_FULL, "2026H1", NULL, 5, &rep);
	s = table(&rep, "sat_service");
	assert_int_equal(s->rows[1].cells[0].supp, RS_SMALL);
	report_free(&rep);
}

static void
test_build_errors(void **state)
{
	struct env	  *t = *state;
	struct report_opts o;
	struct report	   rep;
	struct err	   e;

	memset(&o, 0, sizeof(o));
	o.org_id = t->org;
	o.now = t->now;
	o.client = "both";
	assert_int_equal(report_build(t->db, &o, &rep, &e), -1);
	assert_int_equal(e.code, EXIT_USAGE);
	assert_non_null(strstr(e.msg, "clients 'both'"));
	o.client = NULL;
	o.period = "2026H9";
	assert_int_equal(report_build(t->db, &o, &rep, &e), -1);
	assert_non_null(strstr(e.msg, "period '2026H9'"));
	o.period = "2026H1";
	o.what = RW_PUBLIC;
	assert_int_equal(report_build(t->db, &o, &rep, &e), -1);
	assert_non_null(strstr(e.msg, "the public report is for a year"));
	/* No period: the current half-year (20 June 2026). */
	o.period = NULL;
	o.what = RW_FULL;
	check(report_build(t->db, &o, &rep, &e), &e);
	assert_string_equal(rep.period, "2026H1");
	assert_int_equal(rep.k, REPORT_K_DEFAULT);
	report_free(&rep);
}

/* ---- suppression ---- */

static const struct rcol sc[] = {
	{"count", "Количество", "Count", RK_COUNT},
	{"share", "Доля, %", "Share, %", RK_SHARE},
	{"mean", "Среднее", "Mean", RK_MEAN},
};

/* A table of parts with counts (shares of their sum) and a total. */
static struct rtable *
parts_table(struct report *rep, const char *key, const int64_t *v, size_t n)
{
	struct rtable *t = report_table(rep, key, key, key, sc, nitems(sc));
	struct rrow   *r;
	char	       k[16];
	int64_t	       total = 0;
	size_t	       i;

	t->parts = 1;
	for (i = 0; i < n; i++)
		total += v[i];
	for (i = 0; i < n; i++) {
		snprintf(k, sizeof(k), "p%zu", i);
		r = report_row(t, k, k, k);
		report_set(r, 0, (double)v[i], v[i]);
		if (v[i] > 0)
			report_set(r, 1, 100.0 * (double)v[i] / (double)total,
			    v[i]);
		report_set(r, 2, 3.0, v[i]);
	}
	r = report_row(t, "total", "total", "total");
	r->total = 1;
	report_set(r, 0, (double)total, total);
	report_set(r, 1, 100, total);
	report_set(r, 2, 3.0, total);
	return t;
}

/*
 * Nothing hidden can be worked out: in every additive column with a
 * shown total, the hidden parts are none or at least two; a hidden
 * figure's value and n are withheld.
 */
static void
assert_safe(const struct rtable *t)
{
	size_t i, c, hidden;

	for (c = 0; c < t->ncols; c++) {
		const struct rrow *tot = NULL;

		if (t->cols[c].kind != RK_COUNT && t->cols[c].kind != RK_SHARE)
			continue;

		hidden = 0;
		for (i = 0; i < t->nrows; i++) {
			const struct rcell *x = &t->rows[i].cells[c];

			if (t->rows[i].total) {
				tot = &t->rows[i];
				continue;
			}
			if (x->supp == RS_SMALL || x->supp == RS_COMPLEMENT) {
				hidden++;
				assert_true(x->value == 0 && x->n == 0);
			}
		}
		if (tot != NULL && tot->cells[c].supp == RS_SHOWN)
			assert_true(hidden != 1);
	}
}

static void
test_suppress(void **state)
{
	static const int64_t one[] = {3, 10, 20, 40};
	static const int64_t two[] = {3, 2, 20, 40};
	static const int64_t alone[] = {3, 0};
	static const int64_t chain[] = {4, 6, 6, 50};
	static const int64_t none[] = {10, 20};
	struct report	     rep;
	struct rtable	    *t;
	struct rrow	    *r;
	size_t		     i;

	(void)state;
	memset(&rep, 0, sizeof(rep));
	/* One small part: the smallest other one goes too, with the
	 * share that comes from the same n; the total stays. */
	t = parts_table(&rep, "one", one, nitems(one));
	/* Two small parts: nothing more to hide. */
	parts_table(&rep, "two", two, nitems(two));
	/* The only other part has no data: the total would tell. */
	parts_table(&rep, "alone", alone, nitems(alone));
	/* The smallest other part ties; hiding one is enough. */
	parts_table(&rep, "chain", chain, nitems(chain));
	parts_table(&rep, "none", none, nitems(none));
	/* A listing is not suppressed. */
	t = report_table(&rep, "list", "list", "list", sc, 1);
	t->listing = 1;
	report_set(report_row(t, "x", "x", "x"), 0, 42, 1);
	/* Without parts only small figures go; a change from fewer
	 * answers than its row goes alone. */
	t = report_table(&rep, "free", "free", "free", sc, 3);
	r = report_row(t, "a", "a", "a");
	report_set(r, 0, 10, 10);
	report_set(r, 1, 50, 10);
	report_set(r, 2, 1.5, 2);
	r = report_row(t, "b", "b", "b");
	report_set(r, 0, 4, 4);

	report_suppress(&rep, 5);

	t = &rep.tables[0];
	assert_int_equal(t->rows[0].cells[0].supp, RS_SMALL);
	assert_int_equal(t->rows[0].cells[1].supp, RS_SMALL);
	assert_int_equal(t->rows[0].cells[2].supp, RS_SMALL);
	assert_int_equal(t->rows[1].cells[0].supp, RS_COMPLEMENT);
	assert_int_equal(t->rows[1].cells[1].supp, RS_COMPLEMENT);
	assert_int_equal(t->rows[1].cells[2].supp, RS_COMPLEMENT);
	assert_int_equal(t->rows[2].cells[0].supp, RS_SHOWN);
	assert_int_equal(t->rows[3].cells[0].supp, RS_SHOWN);
	assert_int_equal(t->rows[4].cells[0].supp, RS_SHOWN);
	assert_true(t->rows[4].cells[0].value == 73);

	t = &rep.tables[1];
	assert_int_equal(t->rows[0].cells[0].supp, RS_SMALL);
	assert_int_equal(t->rows[1].cells[0].supp, RS_SMALL);
	assert_int_equal(t->rows[2].cells[0].supp, RS_SHOWN);
	assert_int_equal(t->rows[3].cells[0].supp, RS_SHOWN);

	t = &rep.tables[2];
	assert_int_equal(t->rows[0].cells[0].supp, RS_SMALL);
	assert_int_equal(t->rows[1].cells[0].supp, RS_NONE);
	assert_int_equal(t->rows[2].cells[0].supp, RS_SMALL);	/* total 3 */

	t = &rep.tables[3];
	assert_int_equal(t->rows[0].cells[0].supp, RS_SMALL);
	assert_int_equal(t->rows[1].cells[0].supp +
	    t->rows[2].cells[0].supp, RS_COMPLEMENT + RS_SHOWN);
	assert_int_equal(t->rows[3].cells[0].supp, RS_SHOWN);

	t = &rep.tables[4];
	for (i = 0; i < t->nrows; i++)
		assert_int_equal(t->rows[i].cells[0].supp, RS_SHOWN);

	for (i = 0; i < 5; i++)
		assert_safe(&rep.tables[i]);

	t = &rep.tables[5];
	assert_int_equal(t->rows[0].cells[0].supp, RS_SHOWN);
	assert_true(t->rows[0].cells[0].value == 42);

	t = &rep.tables[6];
	assert_int_equal(t->rows[0].cells[0].supp, RS_SHOWN);
	assert_int_equal(t->rows[0].cells[1].supp, RS_SHOWN);
	assert_int_equal(t->rows[0].cells[2].supp, RS_SMALL);
	assert_int_equal(t->rows[1].cells[0].supp, RS_SMALL);
	assert_int_equal(t->rows[1].cells[1].supp, RS_NONE);
	report_free(&rep);
}

/* The built report at k = 5: small channels and their complements. */
static void
test_suppress_built(void **state)
{
	struct env   *t = *state;
	struct report rep;
	size_t	      i;

	build(t, RW_FULL, "2026H1", NULL, 5, &rep);
	/* phone 4 < 5; email, the only other part, would tell it. */
	status(&rep, "contacts.phone.count", RS_SMALL);
	status(&rep, "contacts.phone.share", RS_SMALL);
	status(&rep, "contacts.email.count", RS_COMPLEMENT);
	status(&rep, "contacts.email.share", RS_COMPLEMENT);
	shown(&rep, "contacts.total.count", 20, 20);
	/* A withheld figure keeps neither value nor n. */
	assert_true(fig(&rep, "contacts.phone.count")->value == 0);
	assert_int_equal(fig(&rep, "contacts.phone.count")->n, 0);
	/* overall has 2 ratings; access (4) goes with it. */
	status(&rep, "satisfaction.overall.index", RS_SMALL);
	status(&rep, "satisfaction.access.n", RS_SMALL);
	shown(&rep, "satisfaction.all.index", 75, 6);
	status(&rep, "satisfaction.all.delta", RS_SMALL);
	/* Complaints: unsatisfied 2 and satisfied 4 small; the total 6. */
	status(&rep, "complaints.unsatisfied.count", RS_SMALL);
	shown(&rep, "complaints.total.count", 6, 6);
	for (i = 0; i < rep.ntables; i++)
		if (rep.tables[i].parts && !rep.tables[i].listing)
			assert_safe(&rep.tables[i]);
	/* The breaches list is not suppressed. */
	shown(&rep, "breaches.cccc-dddddd.over_minutes", 2880, 1);
	report_free(&rep);
}

/* ---- JSON, CSV, text ---- */

static void
test_json(void **state)
{
	struct env   *t = *state;
	struct report rep, back;
	struct buf    a, b;
	struct err    e;
	json_t	     *j;

	build(t, RW_FULL, "2026H1", NULL, 5, &rep);
	buf_init(&a, BUF_MAX_DEFAULT);
	buf_init(&b, BUF_MAX_DEFAULT);
	report_json(&rep, &a);
	assert_non_null(strstr(a.data, "\"contacts.total.count\": {"));
	assert_non_null(strstr(a.data, "\"suppressed\": \"small\""));
	assert_non_null(strstr(a.data, "\"suppressed\": \"complement\""));
	assert_non_null(strstr(a.data, "\"none\": true"));
	assert_non_null(strstr(a.data, "\"generated_at\": "
	    "\"2026-06-20T07:00:00Z\""));
	err_clear(&e);
	check(report_from_json(a.data, &back, &e), &e);
	report_json(&back, &b);
	assert_string_equal(a.data, b.data);
	assert_int_equal(back.ntables, rep.ntables);
	assert_int_equal(back.from, rep.from);
	assert_int_equal(back.prev_to, rep.prev_to);
	assert_int_equal(back.k, 5);
	report_free(&back);
	/* The other reports read back the same way. */
	{
		static const enum rwhat whats[] = {RW_PAIN, RW_LEVEL,
		    RW_PUBLIC};
		struct report o;
		size_t	      w;

		for (w = 0; w < nitems(whats); w++) {
			build(t, whats[w], whats[w] == RW_PUBLIC ? "2026" :
			    "2026H1", NULL, 5, &o);
			buf_reset(&a);
			buf_reset(&b);
			report_json(&o, &a);
			check(report_from_json(a.data, &back, &e), &e);
			report_json(&back, &b);
			assert_string_equal(a.data, b.data);
			assert_int_equal(back.what, whats[w]);
			report_free(&back);
			report_free(&o);
		}
	}

	/* Strict: errors name the member. */
	j = json_loads(a.data, 0, NULL);
	assert_non_null(j);
	json_object_set_new(json_array_get(json_object_get(j, "tables"), 0),
	    "colour", json_string("red"));
	{
		char *s = json_dumps(j, 0);

		assert_int_equal(report_from_json(s, &back, &e), -1);
		assert_non_null(strstr(e.msg, "tables[0].colour: unknown "
		    "member"));
		free(s);
	}
	json_decref(j);
	assert_int_equal(report_from_json("{\"org\": 1}", &back, &e), -1);
	assert_non_null(strstr(e.msg, "org: expected an object"));
	assert_int_equal(report_from_json("[", &back, &e), -1);
	assert_int_equal(e.code, EXIT_DATAERR);
	buf_free(&a);
	buf_free(&b);
	report_free(&rep);
}

static void
test_csv(void **state)
{
	struct env   *t = *state;
	struct report rep;
	struct buf    b;

	build(t, RW_FULL, "2026H1", NULL, 5, &rep);
	buf_init(&b, BUF_MAX_DEFAULT);
	report_csv(&rep, 0, &b);
	assert_true(strncmp(b.data, "table,row,column,key,value,n,status\r\n",
	    37) == 0);
	assert_non_null(strstr(b.data, "Contacts over all channels and "
	    "each channel's share in %,Total,Count,contacts.total.count,20,20,shown\r\n"));
	assert_non_null(strstr(b.data, "each channel's share in %,Phone,"
	    "Count,contacts.phone.count,,,small\r\n"));
	assert_non_null(strstr(b.data, ",contacts.email.share,,,complement"));
	buf_reset(&b);
	report_csv(&rep, 1, &b);
	assert_true(strncmp(b.data, "Таблица,Строка,Показатель,Ключ,Значение,"
	    "n,Статус\r\n", strlen("Таблица,Строка,Показатель,Ключ,Значение,"
	    "n,Статус\r\n")) == 0);
	assert_non_null(strstr(b.data, "по различным каналам,"
	    "Всего,\"Доля, %\",contacts.total.share,100,20,показано\r\n"));
	assert_non_null(strstr(b.data, ",satisfaction.all.share,\"66,6667\","
	    "6,показано\r\n"));
	buf_free(&b);
	report_free(&rep);
}

static const struct {
	double	   v;
	enum rkind k;
	enum rsupp s;
	const char *ru, *en;
} texts[] = {
	{42.5, RK_SHARE, RS_SHOWN, "42,5 %", "42.5%"},
	{100, RK_SHARE, RS_SHOWN, "100,0 %", "100.0%"},
	{1234, RK_COUNT, RS_SHOWN, "1 234", "1,234"},
	{1234567, RK_COUNT, RS_SHOWN, "1 234 567", "1,234,567"},
	{7, RK_COUNT, RS_SHOWN, "7", "7"},
	{72.54, RK_INDEX, RS_SHOWN, "72,5", "72.5"},
	{4.256, RK_MEAN, RS_SHOWN, "4,26", "4.26"},
	{45, RK_MINUTES, RS_SHOWN, "45 мин", "45 min"},
	{190, RK_MINUTES, RS_SHOWN, "3 ч 10 мин", "3 h 10 min"},
	{180, RK_MINUTES, RS_SHOWN, "3 ч", "3 h"},
	{3120, RK_MINUTES, RS_SHOWN, "2 дн 4 ч", "2 d 4 h"},
	{2880.4, RK_MINUTES, RS_SHOWN, "2 дн", "2 d"},
	{2.5, RK_DELTA, RS_SHOWN, "+2,5", "+2.5"},
	{-1, RK_DELTA, RS_SHOWN, "\xe2\x88\x92" "1,0", "-1.0"},
	{0, RK_DELTA, RS_SHOWN, "0,0", "0.0"},
	{12.25, RK_SCORE, RS_SHOWN, "12,2", "12.2"},
	{5, RK_SHARE, RS_SMALL, "—", "—"},
	{5, RK_COUNT, RS_COMPLEMENT, "—", "—"},
	{0, RK_SHARE, RS_NONE, "нет данных", "no data"},
};

static void
test_cell_text(void **state)
{
	struct rcell c;
	char	     out[64];
	size_t	     i;

	(void)state;
	for (i = 0; i < nitems(texts); i++) {
		c.value = texts[i].v;
		c.n = 10;
		c.supp = texts[i].s;
		report_cell_text(&c, texts[i].k, 1, out, sizeof(out));
		if (strcmp(out, texts[i].ru) != 0)
			fail_msg("%zu: '%s', expected '%s'", i, out,
			    texts[i].ru);
		report_cell_text(&c, texts[i].k, 0, out, sizeof(out));
		if (strcmp(out, texts[i].en) != 0)
			fail_msg("%zu: '%s', expected '%s'", i, out,
			    texts[i].en);
	}
}

/* ---- the public report and its publication ---- */

static void
test_publish(void **state)
{
	struct env   *t = *state;
	struct report rep, built;
	struct buf    a, b;
	struct err    e;
	char	     *summary = NULL;
	int64_t	      pain, when = 0;
	int	     *years;
	size_t	      n, i;

	/* A decision of the working group in 2026 on one problem. */
	assert_int_equal(db_run(t->db, &pain, "INSERT INTO an_pain (org_id, "
	    "client, source, ref, title, measure, state, created_at, "
	    "updated_at, updated_by) VALUES (?, 'external', 'manual', 'x', "
	    "'Очереди в приемной', 'Электронная очередь', 'in_work', 0, 0, "
	    "'t') RETURNING id", "i", t->org), 0);
	{
		char *ranking = xasprintf("[{\"pain\": %lld, \"rank\": 1, "
		    "\"score\": 3.5, \"title\": \"Очереди в приемной\"}]",
		    (long long)pain);

		assert_int_equal(db_run(t->db, NULL, "INSERT INTO "
		    "an_pain_decision (org_id, client, period, ranking, "
		    "minutes_ref, decided_at, decided_by) VALUES (?, "
		    "'external', '2026H1', ?, '№ 3', ?, 'Иванов')", "iti",
		    t->org, ranking, at("2026-06-10T10:00:00Z")), 0);
		free(ranking);
	}
	build(t, RW_PUBLIC, "2026", NULL, 0, &built);
	assert_int_equal(built.what, RW_PUBLIC);
	for (i = 0; i < built.ntables; i++) {
		assert_string_not_equal(built.tables[i].key, "breaches");
		assert_string_not_equal(built.tables[i].key, "standards_unit");
		assert_string_not_equal(built.tables[i].key, "overdue");
	}
	table(&built, "contacts");
	table(&built, "answer_time");
	table(&built, "complaints");
	table(&built, "satisfaction");
	table(&built, "sat_touchpoint");
	{
		char k[64];

		snprintf(k, sizeof(k), "decisions.p%lld.rank",
		    (long long)pain);
		shown(&built, k, 1, 1);
		snprintf(k, sizeof(k), "p%lld", (long long)pain);
		assert_non_null(strstr(row(&built, "decisions", k)->label_ru,
		    "Электронная очередь"));
		assert_non_null(strstr(row(&built, "decisions", k)->label_ru,
		    "в работе"));
		/* Never who decided. */
		assert_null(strstr(table(&built, "decisions")->note_ru,
		    "Иванов"));
		assert_non_null(strstr(table(&built, "decisions")->note_ru,
		    "№ 3"));
	}

	err_clear(&e);
	assert_int_equal(report_published(t->db, t->org, 2026, &rep, NULL,
	    NULL, &e), 1);
	check(report_publish(t->db, t->org, 2026, "test", "Итоги года", &e),
	    &e);
	check(report_publish(t->db, t->org, 2025, "test", NULL, &e), &e);
	check(report_publish(t->db, t->org, 2026, "test", "Итоги года, v2",
	    &e), &e);
	check(report_years(t->db, t->org, &years, &n, &e), &e);
	assert_int_equal(n, 2);
	assert_int_equal(years[0], 2026);
	assert_int_equal(years[1], 2025);
	free(years);
	assert_int_equal(report_published(t->db, t->org, 2026, &rep, &summary,
	    &when, &e), 0);
	assert_string_equal(summary, "Итоги года, v2");
	assert_true(when == t->now);
	buf_init(&a, BUF_MAX_DEFAULT);
	buf_init(&b, BUF_MAX_DEFAULT);
	report_json(&rep, &a);
	report_json(&built, &b);
	/* As it stood when published: the same as the build at k = 5,
	 * but for the moment it was made. */
	assert_int_equal(rep.k, 5);
	assert_int_equal(rep.ntables, built.ntables);
	assert_string_equal(strstr(a.data, "\"tables\""),
	    strstr(b.data, "\"tables\""));
	{
		int64_t entries = 0;
		struct db_stmt *st = db_prepare(t->db, "SELECT COUNT(*) FROM "
		    "audit WHERE action = 'report.publish'", "");

		assert_non_null(st);
		assert_int_equal(db_step(st), DB_ROW);
		entries = db_col_int(st, 0);
		db_finalize(st);
		assert_int_equal(entries, 3);
	}
	assert_int_equal(report_publish(t->db, t->org, 1900, "test", NULL, &e),
	    -1);
	assert_non_null(strstr(e.msg, "year 1900"));
	free(summary);
	buf_free(&a);
	buf_free(&b);
	report_free(&rep);
	report_free(&built);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_period),
		cmocka_unit_test_setup_teardown(test_full_messages, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_full_satisfaction, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_full_standards, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_spans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_groups, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_build_errors, setup,
		    teardown),
		cmocka_unit_test(test_suppress),
		cmocka_unit_test_setup_teardown(test_suppress_built, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
		cmocka_unit_test(test_cell_text),
		cmocka_unit_test_setup_teardown(test_publish, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

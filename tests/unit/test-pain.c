/*
 * Unit tests of pain.c: rollup rows put in by hand, and the map worked
 * out by hand from them: weights, reach, scores, ranks and the order of
 * ties; the merge with what is stored; pain_set and pain_update with
 * every bad field named and their audit entries (no long texts); the
 * confirmation storing the ranking and moving states; the report tables.
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
#include <sodium.h>

#include "otklik.h"
#include "db.h"
#include "org.h"
#include "pain.h"
#include "report.h"
#include "survey.h"

#define NOW_TEXT "2026-03-02T07:00:00Z"

struct env {
	char	path[64];
	struct db *db;
	int64_t org;
	int64_t tp[2];		/* A, B */
	int64_t topic[3];	/* T1 topic, R1 reason, T2 topic */
	int64_t unit;
	int32_t from, to;
};

static void
check(int r, const struct err *e)
{
	if (r != 0)
		fail_msg("%s", e->msg);
}

/*
 * Messages per touchpoint and problem (an_tp, and an_topic without the
 * touchpoint): day, client, touchpoint (index, -1 none), topic, reason
 * (index, -1 none), messages, complaints, negative, unsatisfied.  The
 * messages at a touchpoint are its contacts: A 10 + 3 + 1 + 6 = 20, B
 * 5 + 5 = 10 in the first half of 2026.
 */
static const struct {
	const char *day, *client;
	int	    tp, topic, reason;
	int	    messages, complaints, negative, unsat;
} topic_rows[] = {
	{"2026-02-01", "external", 0, 0, -1, 10, 2, 4, 1},	/* A T1 */
	{"2026-02-02", "external", 0, 0, 1, 3, 1, 2, 1},	/* A R1 */
	{"2026-02-03", "external", 0, -1, 1, 1, 0, 1, 0},	/* A R1 */
	{"2026-03-01", "external", 1, 2, -1, 5, 0, 3, 0},	/* B T2 */
	{"2025-12-31", "external", 0, 0, -1, 5, 5, 5, 0},	/* before */
	{"2026-02-01", "internal", 0, 0, -1, 3, 3, 3, 0},	/* internal */
	{"2026-02-01", "external", -1, 2, -1, 2, 1, 1, 0},	/* - T2 */
	{"2026-02-05", "external", 1, 0, -1, 5, 0, 0, 0},	/* no signal */
	{"2026-04-01", "external", -1, -1, 1, 2, 0, 2, 0},	/* - R1 */
	{"2026-04-01", "external", -1, 0, -1, 2, 0, 2, 0},	/* - T1 */
	{"2026-03-05", "external", 0, -1, -1, 6, 2, 2, 0},	/* no topic */
	{"2025-06-01", "external", 0, -1, -1, 100, 0, 0, 0},	/* before */
};

/* an_srv, dims 'all', 'touchpoint' and 'form' ('appeals'), on
 * 2026-02-10: touchpoint, question, n, r1 … r5. */
static const struct {
	int	    tp;
	const char *question;
	int	    n, r[5];
} srv_rows[] = {
	{0, "overall", 10, {1, 1, 2, 3, 3}},
	{0, "access", 12, {2, 0, 4, 3, 3}},
	{1, "access", 5, {0, 1, 1, 1, 2}},
	{1, "clarity", 4, {0, 0, 1, 1, 2}},
};

/*
 * Rollup rows as rollup.c writes a contribution: into its day's row
 * (grain 'd') and its month's ('m', day "YYYY-MM"), added to what is
 * there.
 */
static void
grain_day(char out[11], int g, const char *day)
{
	snprintf(out, 11, "%.*s", g == 0 ? 10 : 7, day);
}

/* A message's sums in an_topic (topic, reason) and in an_tp. */
static void
ins_topic(struct env *t, const char *day, const char *client, int64_t tp,
    int64_t topic, int64_t reason, int64_t messages, int64_t complaints,
    int64_t negative, int64_t unsat)
{
	static const char *const sql[2] = {
		"INSERT INTO an_topic VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
		"ON CONFLICT DO UPDATE SET messages = messages + "
		"excluded.messages, complaints = complaints + "
		"excluded.complaints, negative = negative + excluded.negative, "
		"unsatisfied = unsatisfied + excluded.unsatisfied",
		"INSERT INTO an_tp VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
		"ON CONFLICT DO UPDATE SET messages = messages + "
		"excluded.messages, complaints = complaints + "
		"excluded.complaints, negative = negative + excluded.negative, "
		"unsatisfied = unsatisfied + excluded.unsatisfied",
	};
	char d[11];
	int  g, k;

	for (k = 0; k < 2; k++)
		for (g = 0; g < 2; g++) {
			grain_day(d, g, day);
			assert_int_equal(db_run(t->db, NULL, sql[k],
			    "itttiiiiii", t->org, g == 0 ? "d" : "m", d, client,
			    k == 0 ? topic : tp, k == 0 ? reason :
			    reason != 0 ? reason : topic, messages, complaints,
			    negative, unsat), 0);
		}
}

/* Ratings of a question under one value of a dimension of an_srv. */
static void
ins_srv(struct env *t, const char *day, const char *dim, const char *value,
    const char *question, const int r[5])
{
	char d[11];
	int  g;

	for (g = 0; g < 2; g++) {
		grain_day(d, g, day);
		assert_int_equal(db_run(t->db, NULL, "INSERT INTO an_srv "
		    "(org_id, grain, day, client, dim, value, question, n, r1, "
		    "r2, r3, r4, r5) VALUES (?, ?, ?, 'external', ?, ?, ?, ?, "
		    "?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + "
		    "excluded.n, r1 = r1 + excluded.r1, r2 = r2 + excluded.r2, "
		    "r3 = r3 + excluded.r3, r4 = r4 + excluded.r4, r5 = r5 + "
		    "excluded.r5", "ittttt" "iiiiii", t->org, g == 0 ? "d" :
		    "m", d, dim, value, question, (int64_t)(r[0] + r[1] + r[2] +
		    r[3] + r[4]), (int64_t)r[0], (int64_t)r[1], (int64_t)r[2],
		    (int64_t)r[3], (int64_t)r[4]), 0);
	}
}

static int64_t
id_at(const int64_t *v, int i)
{
	return i < 0 ? 0 : v[i];
}

static int
setup(void **state)
{
	struct env *t = xcalloc(1, sizeof(*t));
	struct org  o;
	struct err  e;
	size_t	    i;
	int	    fd;
	char	    tp[24];
	static const char *const names[2] = {"Телефон", "Приемная"};

	setenv("OTKLIK_NOW", NOW_TEXT, 1);
	snprintf(t->path, sizeof(t->path), "/tmp/otklik-pain-XXXXXX");
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
	check(unit_get(t->db, "test", t->org, "Отдел качества", 1, &t->unit,
	    &e), &e);
	for (i = 0; i < 2; i++) {
		assert_int_equal(db_run(t->db, &t->tp[i], "INSERT INTO "
		    "touchpoint (org_id, created_at) VALUES (?, 0) RETURNING "
		    "id", "i", t->org), 0);
		/* A draft revision must not give the name. */
		assert_int_equal(db_run(t->db, NULL, "INSERT INTO "
		    "touchpoint_rev (touchpoint_id, org_id, valid_from, pos, "
		    "area, process, name, channel, kind, client) VALUES (?, ?, "
		    "NULL, 1, 'a', 'p', 'Черновик', 'phone', 'offline', "
		    "'external')", "ii", t->tp[i], t->org), 0);
		assert_int_equal(db_run(t->db, NULL, "INSERT INTO "
		    "touchpoint_rev (touchpoint_id, org_id, valid_from, pos, "
		    "area, process, name, channel, kind, client) VALUES (?, ?, "
		    "1, 1, 'a', 'p', ?, 'phone', 'offline', 'external')", "iit",
		    t->tp[i], t->org, names[i]), 0);
	}
	assert_int_equal(db_run(t->db, &t->topic[0], "INSERT INTO fb_topic "
	    "(org_id, kind, title) VALUES (?, 'topic', 'Полисы ОМС') "
	    "RETURNING id", "i", t->org), 0);
	assert_int_equal(db_run(t->db, &t->topic[1], "INSERT INTO fb_topic "
	    "(org_id, kind, title) VALUES (?, 'reason', 'Грубость') "
	    "RETURNING id", "i", t->org), 0);
	assert_int_equal(db_run(t->db, &t->topic[2], "INSERT INTO fb_topic "
	    "(org_id, kind, title) VALUES (?, 'topic', 'Запись на прием') "
	    "RETURNING id", "i", t->org), 0);
	for (i = 0; i < nitems(topic_rows); i++)
		ins_topic(t, topic_rows[i].day, topic_rows[i].client,
		    id_at(t->tp, topic_rows[i].tp),
		    id_at(t->topic, topic_rows[i].topic),
		    id_at(t->topic, topic_rows[i].reason),
		    topic_rows[i].messages, topic_rows[i].complaints,
		    topic_rows[i].negative, topic_rows[i].unsat);
	for (i = 0; i < nitems(srv_rows); i++) {
		snprintf(tp, sizeof(tp), "%lld",
		    (long long)t->tp[srv_rows[i].tp]);
		ins_srv(t, "2026-02-10", "all", "", srv_rows[i].question,
		    srv_rows[i].r);
		ins_srv(t, "2026-02-10", "touchpoint", tp,
		    srv_rows[i].question, srv_rows[i].r);
		ins_srv(t, "2026-02-10", "form", "appeals",
		    srv_rows[i].question, srv_rows[i].r);
	}
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

/* The text of a question in the first external standard instrument. */
static char *
question_text(struct env *t, const char *code)
{
	struct srv_instr in;
	struct srv_def	 d;
	struct err	 e;
	char		*s;
	int		 v, q;

	check(srv_instr_get(t->db, t->org, "appeals", &in, &e), &e);
	check(srv_version_load(t->db, t->org, in.current_id, &d, &v, &e), &e);
	q = srv_def_find(&d, code);
	assert_true(q >= 0);
	s = xstrdup(d.q[q].text_ru);
	srv_def_clear(&d);
	srv_instr_clear(&in);
	return s;
}

/*
 * The map by hand.  Contacts: A = 20 messages + 10 rated (overall);
 * B = 10 messages + 5 (no overall there: the most answered question).
 */
struct want {
	int	    tp;		/* index, -1 none */
	const char *source;
	int	    ref;	/* topic index, or -1 for a question */
	const char *question;
	int64_t	    complaints, negative, low, signals, contacts;
	double	    weight, reach, score;
};

static const struct want map[] = {
	/* A T1: 1 unsatisfied 3 + 1 other complaint 2 + 2 negative 1 */
	{0, "topic", 0, NULL, 2, 4, 0, 4, 30, 7, 4.0 / 30, 7 * (1 + 4.0 / 30)},
	/* A R1: the reason wins over topic T1: 3 + 2 × 1 */
	{0, "topic", 1, NULL, 1, 3, 0, 3, 30, 5, 0.1, 5.5},
	/* A access: 2 ratings of 1 */
	{0, "rating", -1, "access", 0, 0, 2, 2, 30, 4, 2.0 / 30,
	    4 * (1 + 2.0 / 30)},
	/* B T2 */
	{1, "topic", 2, NULL, 0, 3, 0, 3, 15, 3, 0.2, 3.6},
	/* A overall: a 1 and a 2 */
	{0, "rating", -1, "overall", 0, 0, 2, 2, 30, 3, 2.0 / 30,
	    3 * (1 + 2.0 / 30)},
	/* Ties at 2: two signals before one; then by key (T1 < R1). */
	{-1, "topic", 0, NULL, 0, 2, 0, 2, 0, 2, 0, 2},
	{-1, "topic", 1, NULL, 0, 2, 0, 2, 0, 2, 0, 2},
	{-1, "topic", 2, NULL, 1, 1, 0, 1, 0, 2, 0, 2},
	/* B access: a 2 */
	{1, "rating", -1, "access", 0, 0, 1, 1, 15, 1, 1.0 / 15,
	    1 + 1.0 / 15},
};

static void
near(double got, double want, const char *what, size_t i)
{
	if (fabs(got - want) > 1e-9)
		fail_msg("problem %zu, %s: %.12g, expected %.12g", i + 1, what,
		    got, want);
}

static void
assert_map(struct env *t, struct pain *v, size_t n)
{
	char   ref[32], *access = question_text(t, "access");
	size_t i;

	assert_true(n >= nitems(map));
	for (i = 0; i < nitems(map); i++) {
		const struct want *w = &map[i];

		assert_int_equal(v[i].rank, (int)i + 1);
		assert_int_equal(v[i].touchpoint_id, id_at(t->tp, w->tp));
		assert_string_equal(v[i].source, w->source);
		if (w->ref >= 0)
			snprintf(ref, sizeof(ref), "%lld",
			    (long long)t->topic[w->ref]);
		else
			snprintf(ref, sizeof(ref), "%s", w->question);
		assert_string_equal(v[i].ref, ref);
		assert_int_equal(v[i].complaints, w->complaints);
		assert_int_equal(v[i].negative, w->negative);
		assert_int_equal(v[i].low_ratings, w->low);
		assert_int_equal(v[i].signals, w->signals);
		assert_int_equal(v[i].contacts, w->contacts);
		near(v[i].weight, w->weight, "weight", i);
		near(v[i].reach, w->reach, "reach", i);
		near(v[i].score, w->score, "score", i);
		if (w->tp == 0)
			assert_string_equal(v[i].touchpoint, "Телефон");
		else if (w->tp == 1)
			assert_string_equal(v[i].touchpoint, "Приемная");
		else
			assert_null(v[i].touchpoint);
	}
	assert_string_equal(v[0].title, "Полисы ОМС");
	assert_string_equal(v[1].title, "Грубость");
	assert_string_equal(v[2].title, access);
	assert_string_equal(v[3].title, "Запись на прием");
	free(access);
}

static void
test_map(void **state)
{
	struct env  *t = *state;
	struct pain *v;
	struct err   e;
	size_t	     n, i;

	check(pain_map(t->db, t->org, "external", t->from, t->to, &v, &n, &e),
	    &e);
	assert_int_equal(n, nitems(map));
	assert_map(t, v, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(v[i].id, 0);
		assert_string_equal(v[i].state, "open");
	}
	pain_free(v, n);

	/* Internal clients: only the internal row, no contacts. */
	check(pain_map(t->db, t->org, "internal", t->from, t->to, &v, &n, &e),
	    &e);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].complaints, 3);
	near(v[0].weight, 6, "weight", 0);
	pain_free(v, n);

	/* A period with nothing. */
	check(pain_map(t->db, t->org, "external", date_from_ymd(2027, 1, 1),
	    date_from_ymd(2027, 6, 30), &v, &n, &e), &e);
	assert_int_equal(n, 0);
	pain_free(v, n);

	assert_int_equal(pain_map(t->db, t->org, "both", t->from, t->to, &v,
	    &n, &e), -1);
	assert_non_null(strstr(e.msg, "client"));
}

static int64_t
count(struct env *t, const char *q)
{
	struct db_stmt *s = db_prepare(t->db, q, NULL);
	int64_t		n = -1;

	assert_non_null(s);
	if (db_step(s) == DB_ROW)
		n = db_col_int(s, 0);
	db_finalize(s);
	return n;
}

static char *
text(struct env *t, const char *q)
{
	struct db_stmt *s = db_prepare(t->db, q, NULL);
	char	       *r = NULL;

	assert_non_null(s);
	if (db_step(s) == DB_ROW)
		r = db_col_dup(s, 0);
	db_finalize(s);
	assert_non_null(r);
	return r;
}

static void
test_merge(void **state)
{
	struct env	*t = *state;
	struct pain_edit ed;
	struct pain	*v;
	struct err	 e;
	size_t		 n;
	int64_t		 id_b, id_old, id_man;
	char		 ref[32], *a;

	/* A decision on B T2 shows beside its figures. */
	memset(&ed, 0, sizeof(ed));
	ed.unit_id = t->unit;
	ed.measure = "Расширить запись";
	ed.cause = "Секретная причина, длинный текст";
	ed.due = "2026-05-01";
	ed.state = "in_work";
	snprintf(ref, sizeof(ref), "%lld", (long long)t->topic[2]);
	check(pain_set(t->db, t->org, "analyst", "external", t->tp[1],
	    "topic", ref, &ed, &id_b, &e), &e);
	assert_true(id_b > 0);
	/* The same key again finds the same row. */
	memset(&ed, 0, sizeof(ed));
	ed.unit_id = -1;
	ed.segment = "Пенсионеры";
	check(pain_set(t->db, t->org, "analyst", "external", t->tp[1],
	    "topic", ref, &ed, &id_old, &e), &e);
	assert_int_equal(id_old, id_b);
	/* A stored problem without signals, and a manual one. */
	snprintf(ref, sizeof(ref), "%lld", (long long)t->topic[0]);
	ed.segment = NULL;
	ed.cause = "Старая";
	check(pain_set(t->db, t->org, "analyst", "external", t->tp[1],
	    "topic", ref, &ed, &id_old, &e), &e);
	ed.cause = NULL;
	ed.title = "Очереди в приемной";
	check(pain_set(t->db, t->org, "analyst", "external", 0, "manual",
	    NULL, &ed, &id_man, &e), &e);
	assert_true(id_old > id_b && id_man > id_old);

	check(pain_map(t->db, t->org, "external", t->from, t->to, &v, &n, &e),
	    &e);
	assert_int_equal(n, nitems(map) + 2);
	assert_map(t, v, n);
	assert_int_equal(v[3].id, id_b);
	assert_string_equal(v[3].measure, "Расширить запись");
	assert_string_equal(v[3].unit, "Отдел качества");
	assert_string_equal(v[3].due, "2026-05-01");
	assert_string_equal(v[3].state, "in_work");
	assert_string_equal(v[3].segment, "Пенсионеры");
	/* After the measured ones, as entered. */
	assert_int_equal(v[9].id, id_old);
	assert_int_equal(v[9].rank, 10);
	assert_int_equal(v[9].signals, 0);
	near(v[9].score, 0, "score", 9);
	assert_string_equal(v[9].title, "Полисы ОМС");
	assert_string_equal(v[9].touchpoint, "Приемная");
	assert_int_equal(v[10].id, id_man);
	assert_string_equal(v[10].source, "manual");
	assert_string_equal(v[10].title, "Очереди в приемной");
	snprintf(ref, sizeof(ref), "m%lld", (long long)id_man);
	assert_string_equal(v[10].ref, ref);
	pain_free(v, n);

	/* Audited with the key and the fields changed, never the texts. */
	assert_int_equal(count(t, "SELECT count(*) FROM audit WHERE action = "
	    "'pain.update'"), 4);
	a = text(t, "SELECT after_json FROM audit WHERE action = "
	    "'pain.update' ORDER BY seq LIMIT 1");
	assert_non_null(strstr(a, "\"state\":\"in_work\""));
	assert_non_null(strstr(a, "\"cause\""));
	assert_non_null(strstr(a, "\"source\":\"topic\""));
	assert_null(strstr(a, "Секретная"));
	assert_null(strstr(a, "Расширить"));
	free(a);

	/* pain_update by id: a state change, audited before and after. */
	memset(&ed, 0, sizeof(ed));
	ed.unit_id = 0;
	ed.state = "done";
	ed.due = "";
	check(pain_update(t->db, t->org, "analyst", id_b, &ed, &e), &e);
	a = text(t, "SELECT before_json || ' ' || after_json FROM audit "
	    "ORDER BY seq DESC LIMIT 1");
	assert_non_null(strstr(a, "{\"due\":\"2026-05-01\",\"state\":"
	    "\"in_work\""));
	assert_non_null(strstr(a, "\"state\":\"done\""));
	free(a);
	assert_int_equal(count(t, "SELECT count(*) FROM an_pain WHERE "
	    "unit_id IS NULL AND due IS NULL AND state = 'done'"), 1);
	/* Nothing changed: no audit entry. */
	n = (size_t)count(t, "SELECT count(*) FROM audit");
	check(pain_update(t->db, t->org, "analyst", id_b, &ed, &e), &e);
	assert_int_equal(count(t, "SELECT count(*) FROM audit"), (int64_t)n);
	assert_int_equal(pain_update(t->db, t->org, "analyst", 999, &ed, &e),
	    -1);
	assert_int_equal(e.code, EXIT_NOINPUT);
}

static void
test_bad_input(void **state)
{
	struct env	*t = *state;
	struct pain_edit ed;
	struct err	 e;
	char		 ref[32], *big;
	int64_t		 id;
	size_t		 i;
	static const struct {
		const char *field;
		const char *title, *cause, *due, *state;
		int64_t	    unit;
	} bad[] = {
		{"state", NULL, NULL, NULL, "finished", -1},
		{"due", NULL, NULL, "2026-02-30", NULL, -1},
		{"due", NULL, NULL, "tomorrow", NULL, -1},
		{"unit", NULL, NULL, NULL, NULL, 999},
		{"title", "\xff\xfe", NULL, NULL, NULL, -1},
		{"title", "   ", NULL, NULL, NULL, -1},
		{"title", "a\001b", NULL, NULL, NULL, -1},
		{"cause", NULL, "\xc3", NULL, NULL, -1},
	};

	snprintf(ref, sizeof(ref), "%lld", (long long)t->topic[0]);
	for (i = 0; i < nitems(bad); i++) {
		memset(&ed, 0, sizeof(ed));
		ed.title = bad[i].title;
		ed.cause = bad[i].cause;
		ed.due = bad[i].due;
		ed.state = bad[i].state;
		ed.unit_id = bad[i].unit;
		err_clear(&e);
		assert_int_equal(pain_set(t->db, t->org, "a", "external",
		    t->tp[0], "topic", ref, &ed, &id, &e), -1);
		if (strncmp(e.msg, bad[i].field, strlen(bad[i].field)) != 0)
			fail_msg("case %zu: '%s' does not name %s", i, e.msg,
			    bad[i].field);
		assert_int_equal(e.code, EXIT_DATAERR);
	}
	memset(&ed, 0, sizeof(ed));
	ed.unit_id = -1;
	big = xmalloc(PAIN_TEXT_MAX + 2);
	memset(big, 'x', PAIN_TEXT_MAX + 1);
	big[PAIN_TEXT_MAX + 1] = '\0';
	ed.measure = big;
	assert_int_equal(pain_set(t->db, t->org, "a", "external", t->tp[0],
	    "topic", ref, &ed, &id, &e), -1);
	assert_non_null(strstr(e.msg, "measure: longer than 2000 bytes"));
	big[PAIN_TEXT_MAX] = '\0';	/* exactly the limit is fine */
	check(pain_set(t->db, t->org, "a", "external", t->tp[0], "topic", ref,
	    &ed, &id, &e), &e);
	free(big);
	ed.measure = NULL;

	assert_int_equal(pain_set(t->db, t->org, "a", "both", 0, "topic", ref,
	    &ed, &id, &e), -1);
	assert_non_null(strstr(e.msg, "client"));
	assert_int_equal(pain_set(t->db, t->org, "a", "external", 0, "survey",
	    ref, &ed, &id, &e), -1);
	assert_non_null(strstr(e.msg, "source"));
	assert_int_equal(pain_set(t->db, t->org, "a", "external", 0, "topic",
	    "999", &ed, &id, &e), -1);
	assert_non_null(strstr(e.msg, "ref: no topic or reason 999"));
	assert_int_equal(pain_set(t->db, t->org, "a", "external", 0, "topic",
	    NULL, &ed, &id, &e), -1);
	assert_non_null(strstr(e.msg, "ref: required"));
	assert_int_equal(pain_set(t->db, t->org, "a", "external", 0, "rating",
	    "Bad Code", &ed, &id, &e), -1);
	assert_non_null(strstr(e.msg, "ref:"));
	assert_int_equal(pain_set(t->db, t->org, "a", "external", 999, "topic",
	    ref, &ed, &id, &e), -1);
	assert_non_null(strstr(e.msg, "touchpoint: no touchpoint 999"));
	assert_int_equal(pain_set(t->db, t->org, "a", "external", 0, "manual",
	    NULL, &ed, &id, &e), -1);
	assert_non_null(strstr(e.msg, "title: required"));
	/* Only the one good edit made a row. */
	assert_int_equal(count(t, "SELECT count(*) FROM an_pain"), 1);
}

static void
test_confirm(void **state)
{
	struct env	     *t = *state;
	struct pain_edit      ed;
	struct pain_decision *d;
	struct err	      e;
	json_t		     *a, *it;
	json_error_t	      je;
	size_t		      n, i;
	int64_t		      id, pid;
	char		      ref[32];

	/* Internal: nothing in 2027, and nothing stored: refused. */
	assert_int_equal(pain_confirm(t->db, t->org, "group", "internal",
	    "2027H1", date_from_ymd(2027, 1, 1), date_from_ymd(2027, 6, 30),
	    "Протокол № 1", NULL, &id, &e), -1);
	assert_non_null(strstr(e.msg, "empty"));
	assert_int_equal(pain_confirm(t->db, t->org, "group", "external",
	    "2026H1", t->from, t->to, " ", NULL, &id, &e), -1);
	assert_non_null(strstr(e.msg, "minutes_ref"));

	/* One problem decided beforehand, in work: it stays in work. */
	memset(&ed, 0, sizeof(ed));
	ed.unit_id = -1;
	ed.state = "in_work";
	snprintf(ref, sizeof(ref), "%lld", (long long)t->topic[1]);
	check(pain_set(t->db, t->org, "a", "external", t->tp[0], "topic", ref,
	    &ed, &pid, &e), &e);
	check(pain_confirm(t->db, t->org, "group", "external", "2026H1",
	    t->from, t->to, "Протокол № 3 от 01.03.2026", "Принято", &id, &e),
	    &e);
	assert_true(id > 0);
	assert_int_equal(count(t, "SELECT count(*) FROM an_pain"),
	    (int64_t)nitems(map));
	assert_int_equal(count(t, "SELECT count(*) FROM an_pain WHERE state = "
	    "'planned'"), (int64_t)nitems(map) - 1);
	assert_int_equal(count(t, "SELECT count(*) FROM an_pain WHERE state = "
	    "'in_work'"), 1);
	assert_int_equal(count(t, "SELECT count(*) FROM audit WHERE action = "
	    "'pain.confirm'"), 1);

	check(pain_decisions(t->db, t->org, &d, &n, &e), &e);
	assert_int_equal(n, 1);
	assert_int_equal(d[0].id, id);
	assert_string_equal(d[0].period, "2026H1");
	assert_string_equal(d[0].minutes_ref, "Протокол № 3 от 01.03.2026");
	assert_string_equal(d[0].note, "Принято");
	assert_string_equal(d[0].decided_by, "group");
	a = json_loads(d[0].ranking, 0, &je);
	assert_non_null(a);
	assert_int_equal(json_array_size(a), nitems(map));
	json_array_foreach(a, i, it) {
		assert_int_equal(json_integer_value(json_object_get(it,
		    "rank")), (json_int_t)i + 1);
		assert_true(json_integer_value(json_object_get(it, "pain")) >
		    0);
		near(json_number_value(json_object_get(it, "score")),
		    round(map[i].score * 10) / 10, "stored score", i);
	}
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(a, 1), "pain")), pid);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(a, 0), "title")), "Полисы ОМС");
	json_decref(a);
	pain_decisions_free(d, n);
}

static int
has_table(const struct report *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->ntables; i++)
		if (strcmp(r->tables[i].key, key) == 0)
			return 1;
	return 0;
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
	const struct rtable *p;
	struct err	     e;
	char		     key[64];
	int64_t		     id;

	memset(&rep, 0, sizeof(rep));
	rep.org_id = t->org;
	rep.what = RW_PAIN;
	snprintf(rep.client, sizeof(rep.client), "external");
	rep.from = t->from;
	rep.to = t->to;
	check(pain_report(t->db, &rep, &e), &e);
	assert_false(has_table(&rep, "pain_decision"));
	p = table(&rep, "pain");
	assert_non_null(p);
	assert_int_equal(p->chart, RC_HEAT);
	assert_int_equal(p->nrows, nitems(map));
	assert_non_null(p->note_ru);
	assert_non_null(strstr(p->note_en, "score = W × (1 + R)"));
	snprintf(key, sizeof(key), "tp%lld-topic-%lld", (long long)t->tp[0],
	    (long long)t->topic[0]);
	assert_string_equal(p->rows[0].key, key);
	snprintf(key, sizeof(key), "tp%lld-rating-access", (long long)t->tp[0]);
	assert_string_equal(p->rows[2].key, key);
	assert_string_equal(p->rows[0].label_ru, "Полисы ОМС — Телефон");
	near(p->rows[0].cells[0].value, 2, "complaints", 0);
	near(p->rows[0].cells[3].value, 400.0 / 30, "reach", 0);
	near(p->rows[0].cells[4].value, map[0].score, "score", 0);
	near(p->rows[8].cells[5].value, 9, "rank", 8);
	assert_int_equal(p->rows[0].cells[4].n, 4);
	assert_int_equal(p->rows[0].cells[4].supp, RS_SHOWN);
	report_free(&rep);

	/* After a confirmation: the decision's table, with today's states. */
	check(pain_confirm(t->db, t->org, "group", "external", "2026H1",
	    t->from, t->to, "Протокол № 4", NULL, &id, &e), &e);
	memset(&rep, 0, sizeof(rep));
	rep.org_id = t->org;
	snprintf(rep.client, sizeof(rep.client), "external");
	rep.from = t->from;
	rep.to = t->to;
	check(pain_report(t->db, &rep, &e), &e);
	p = table(&rep, "pain_decision");
	assert_non_null(p);
	assert_int_equal(p->nrows, nitems(map));
	assert_non_null(strstr(p->rows[0].label_ru, "1. Полисы ОМС; мера: —"));
	assert_non_null(strstr(p->rows[0].label_ru, "статус: запланирована"));
	assert_non_null(strstr(p->note_ru, "Протокол № 4"));
	near(p->rows[1].cells[0].value, 2, "rank", 1);
	assert_int_equal(p->rows[1].cells[0].n, 3);
	report_free(&rep);
}

/* The pain map's problem of a key; the test fails if there is none. */
static const struct pain *
find(const struct pain *v, size_t n, int64_t tp, const char *source,
    const char *ref)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].touchpoint_id == tp &&
		    strcmp(v[i].source, source) == 0 &&
		    strcmp(v[i].ref, ref) == 0)
			return &v[i];
	fail_msg("no problem %s %s at touchpoint %lld", source, ref,
	    (long long)tp);
	abort();
}

/*
 * February whole (its month rows) and parts of January and March (their
 * day rows): March 1 is in, the 6 messages at A of March 5 are not,
 * though March's month row holds them.
 */
static void
test_spans(void **state)
{
	struct env	  *t = *state;
	struct pain	  *v;
	const struct pain *p;
	struct err	   e;
	char		   ref[32];
	size_t		   n;

	check(pain_map(t->db, t->org, "external", date_from_ymd(2026, 1, 20),
	    date_from_ymd(2026, 3, 1), &v, &n, &e), &e);
	/* A: 10 + 3 + 1 messages and 10 rated; B: 5 + 5 and 5 rated. */
	snprintf(ref, sizeof(ref), "%lld", (long long)t->topic[0]);
	assert_non_null(p = find(v, n, t->tp[0], "topic", ref));
	assert_int_equal(p->contacts, 24);
	assert_int_equal(p->negative, 4);
	near(p->score, 7 * (1 + 4.0 / 24), "score", 0);
	snprintf(ref, sizeof(ref), "%lld", (long long)t->topic[2]);
	assert_non_null(p = find(v, n, t->tp[1], "topic", ref));
	assert_int_equal(p->contacts, 15);
	assert_int_equal(p->negative, 3);
	pain_free(v, n);
}

/*
 * Ratings given at no touchpoint (a survey link, a paper form) are the
 * problems of touchpoint 0, online and paper together, with no contacts
 * and no reach; they add no contacts to a touchpoint either.
 */
static void
test_no_touchpoint(void **state)
{
	static const int low[5] = {1, 1, 0, 0, 3};
	struct env	  *t = *state;
	struct pain	  *v;
	const struct pain *p;
	struct err	   e;
	char		   ref[32];
	size_t		   n;

	ins_srv(t, "2026-02-11", "all", "", "speed", low);
	ins_srv(t, "2026-02-11", "touchpoint", "online", "speed", low);
	ins_srv(t, "2026-02-12", "all", "", "speed", low);
	ins_srv(t, "2026-02-12", "touchpoint", "paper", "speed", low);
	ins_srv(t, "2026-02-12", "all", "", "overall", low);
	ins_srv(t, "2026-02-12", "touchpoint", "paper", "overall", low);
	check(pain_map(t->db, t->org, "external", t->from, t->to, &v, &n, &e),
	    &e);
	assert_int_equal(n, nitems(map) + 2);
	assert_non_null(p = find(v, n, 0, "rating", "speed"));
	assert_int_equal(p->low_ratings, 4);
	near(p->weight, 6, "weight", 0);
	assert_int_equal(p->contacts, 0);
	near(p->reach, 0, "reach", 0);
	assert_null(p->touchpoint);
	assert_non_null(p = find(v, n, 0, "rating", "overall"));
	assert_int_equal(p->low_ratings, 2);
	snprintf(ref, sizeof(ref), "%lld", (long long)t->topic[0]);
	assert_non_null(p = find(v, n, t->tp[0], "topic", ref));
	assert_int_equal(p->contacts, 30);
	pain_free(v, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_map, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_touchpoint, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_confirm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	setenv("OTKLIK_NOW", NOW_TEXT, 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

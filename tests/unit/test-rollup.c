/*
 * Unit tests of rollup.c: random messages and survey answers written
 * through the real write path (fb_insert, every lifecycle step, the
 * client's reply, srv_response_insert) with the clock moving over many
 * months, after which the rollups kept up to date must equal the rollups
 * rebuilt from the detail rows, and every month row the sum of its day
 * rows; the spans a period reads (rollup_spans), by table and against
 * every day of random periods; the histogram's error bound against exact
 * nearest-rank percentiles, and its merging; minutes_max kept exact, in
 * day and month rows, when the message holding it is taken out.  Prints
 * what the hook costs on fb_insert (set ROLLUP_BENCH_N for the count; no
 * assertion on time).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "otklik.h"
#include "cal.h"
#include "db.h"
#include "feedback.h"
#include "org.h"
#include "rollup.h"
#include "survey.h"

#define START	"2026-03-02T07:00:00Z"	/* Monday, 10:00 in Moscow */
#define NORGS	2
#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* A small deterministic generator, so that a failure can be replayed. */
static uint64_t rng_state = 88172645463325252ULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int
pick(int n)
{
	return (int)(rng() % (uint64_t)n);
}

static double
unif(void)
{
	return ((double)(rng() >> 11) + 0.5) / 9007199254740992.0;
}

static int64_t clock_at;

static void
clock_set(int64_t t)
{
	char buf[21];

	clock_at = t;
	time_format(t, buf);
	setenv("OTKLIK_NOW", buf, 1);
}

struct org_env {
	int64_t		id;
	struct fb_conf *conf;
	int64_t		unit[2];
	int64_t		staff[2];
	int64_t		topic[2], reason[2];
};

struct env {
	char		path[64];
	struct db      *db;
	struct org_env	org[NORGS];
	int64_t	       *msgs;	/* ids, with their org in orgof */
	int	       *orgof;
	size_t		nmsgs;
};

static int64_t
q_int(struct db *db, const char *sql, int64_t arg)
{
	struct db_stmt *s;
	int64_t		v;

	s = db_prepare(db, sql, "i", arg);
	assert_non_null(s);
	assert_int_equal(db_step(s), DB_ROW);
	v = db_col_int(s, 0);
	db_finalize(s);
	return v;
}

/* The same with one or two text parameters after the number. */
static int64_t
q_int_t(struct db *db, const char *sql, int64_t arg, const char *a,
    const char *b)
{
	struct db_stmt *s;
	int64_t		v;

	s = b != NULL ? db_prepare(db, sql, "itt", arg, a, b)
		      : db_prepare(db, sql, "it", arg, a);
	assert_non_null(s);
	assert_int_equal(db_step(s), DB_ROW);
	v = db_col_int(s, 0);
	db_finalize(s);
	return v;
}

static void
org_make(struct env *t, int i, const char *slug, const char *tz)
{
	struct org_env *o = &t->org[i];
	struct org	org;
	struct err	e;
	char		name[32];
	int		k;

	memset(&org, 0, sizeof(org));
	org.slug = (char *)slug;
	org.name = (char *)slug;
	org.region = "ru";
	org.tz = (char *)tz;
	if (org_add(t->db, "test", &org, &o->id, &e) != 0)
		fail_msg("org_add: %s", e.msg);
	assert_int_equal(db_begin(t->db), 0);
	for (k = 0; k < 2; k++) {
		snprintf(name, sizeof(name), "Отдел %d", k + 1);
		if (unit_get(t->db, "t", o->id, name, 1, &o->unit[k], &e) != 0)
			fail_msg("unit_get: %s", e.msg);
		snprintf(name, sizeof(name), "%s-s%d", slug, k);
		if (staff_add(t->db, "t", name, name, &o->staff[k], &e) != 0 ||
		    staff_grant(t->db, "t", name, o->id, "officer", 0, &e) != 0)
			fail_msg("staff: %s", e.msg);
		snprintf(name, sizeof(name), "Тема %d", k + 1);
		assert_int_equal(db_run(t->db, &o->topic[k], "INSERT INTO "
		    "fb_topic (org_id, kind, title) VALUES (?, 'topic', ?) "
		    "RETURNING id", "it", o->id, name), 0);
		snprintf(name, sizeof(name), "Причина %d", k + 1);
		assert_int_equal(db_run(t->db, &o->reason[k], "INSERT INTO "
		    "fb_topic (org_id, kind, title) VALUES (?, 'reason', ?) "
		    "RETURNING id", "it", o->id, name), 0);
	}
	assert_int_equal(db_commit(t->db), 0);
}

static int
setup(void **state)
{
	struct env *t = xcalloc(1, sizeof(*t));
	struct err  e;
	int	    fd, i;

	clock_set(0);
	assert_int_equal(time_parse(START, &clock_at), 0);
	clock_set(clock_at);
	/* In memory where there is /dev/shm: the walk commits often. */
	snprintf(t->path, sizeof(t->path), "%s/otklik-rollup-XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	fd = mkstemp(t->path);
	assert_true(fd >= 0);
	close(fd);
	t->db = db_open(t->path, &e);
	assert_non_null(t->db);
	assert_true(db_migrate(t->db, &e) >= 6);
	/* A scratch database need not wait for the disk at every commit
	 * (the random walk commits a few thousand times). */
	assert_int_equal(db_exec(t->db, "PRAGMA synchronous = OFF"), 0);
	assert_int_equal(cal_seed(t->db, "test", &e), 0);
	org_make(t, 0, "moh", "Europe/Moscow");
	org_make(t, 1, "vlad", "Asia/Vladivostok");
	/* The second organization tightens a standard, switches one off
	 * and counts answers on working time: the rollups follow its
	 * configuration, not the defaults. */
	assert_int_equal(db_run(t->db, NULL, "INSERT INTO fb_standard (org_id, "
	    "code, amount, unit, working, enabled) VALUES (?, 'ack_written', "
	    "12, 'hours', 1, 1), (?, 'reception_wait', 15, 'minutes', 0, 0), "
	    "(?, 'social_appeal', 1, 'hours', 0, 1)", "iii", t->org[1].id,
	    t->org[1].id, t->org[1].id), 0);
	for (i = 0; i < NORGS; i++) {
		t->org[i].conf = fb_conf_load(t->db, t->org[i].id, &e);
		if (t->org[i].conf == NULL)
			fail_msg("fb_conf_load: %s", e.msg);
	}
	assert_int_equal(t->org[1].conf->std[STD_RECEPTION_WAIT].enabled, 0);
	assert_int_equal(t->org[1].conf->std[STD_ACK_WRITTEN].amount, 12);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct env *t = *state;
	char	    p[80];
	int	    i;

	for (i = 0; i < NORGS; i++)
		fb_conf_free(t->org[i].conf);
	db_close(t->db);
	unlink(t->path);
	snprintf(p, sizeof(p), "%s-wal", t->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", t->path);
	unlink(p);
	free(t->msgs);
	free(t->orgof);
	free(t);
	unsetenv("OTKLIK_NOW");
	return 0;
}

/* The rows of a query, one line each, appended to b. */
static void
dump_query(struct db *db, struct buf *b, const char *sql)
{
	struct db_stmt *s;
	int		c, n;

	s = db_prepare(db, sql, "");
	if (s == NULL)
		fail_msg("%s: %s", sql, db_errmsg(db));
	while (db_step(s) == DB_ROW) {
		n = db_ncols(s);
		for (c = 0; c < n; c++)
			buf_printf(b, "%s%s", c ? "|" : "",
			    db_col_null(s, c) ? "NULL" : db_col_text(s, c));
		buf_putc(b, '\n');
	}
	db_finalize(s);
}

/* Every rollup row, sorted by its key, one line each. */
static char *
dump(struct db *db)
{
	static const char *const q[] = {
		"SELECT * FROM an_fb ORDER BY org_id, grain, day, client, "
		"channel, kind",
		"SELECT * FROM an_fb_hist ORDER BY org_id, grain, day, client, "
		"channel, bucket",
		"SELECT * FROM an_topic ORDER BY org_id, grain, day, client, "
		"topic_id, reason_id",
		"SELECT * FROM an_tp ORDER BY org_id, grain, day, client, "
		"touchpoint_id, problem",
		"SELECT * FROM an_std ORDER BY org_id, grain, day, client, "
		"channel, unit_id, standard",
		"SELECT * FROM an_srv ORDER BY org_id, grain, dim, day, client, "
		"value, question",
	};
	struct buf b;
	size_t	   i;

	buf_init(&b, BUF_MAX_DEFAULT);
	for (i = 0; i < nitems(q); i++) {
		buf_printf(&b, "== %zu\n", i);
		dump_query(db, &b, q[i]);
	}
	return buf_detach(&b);
}

/*
 * Every month row is the sum of its day rows (the largest, for
 * minutes_max), and every day row has its month row: per table, the
 * month rows as stored and as the day rows add up, in the same order.
 */
static void
check_months(struct env *t)
{
	static const struct {
		const char *table, *month, *sum;
	} q[] = {
		{ "an_fb",
		  "SELECT org_id, day, client, channel, kind, messages, "
		  "answered, on_time, late, minutes_sum, minutes_max, "
		  "satisfied, unsatisfied FROM an_fb WHERE grain = 'm' "
		  "ORDER BY 1, 2, 3, 4, 5",
		  "SELECT org_id, substr(day, 1, 7), client, channel, kind, "
		  "SUM(messages), SUM(answered), SUM(on_time), SUM(late), "
		  "SUM(minutes_sum), MAX(minutes_max), SUM(satisfied), "
		  "SUM(unsatisfied) FROM an_fb WHERE grain = 'd' "
		  "GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5" },
		{ "an_fb_hist",
		  "SELECT org_id, day, client, channel, bucket, n FROM "
		  "an_fb_hist WHERE grain = 'm' ORDER BY 1, 2, 3, 4, 5",
		  "SELECT org_id, substr(day, 1, 7), client, channel, bucket, "
		  "SUM(n) FROM an_fb_hist WHERE grain = 'd' "
		  "GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5" },
		{ "an_topic",
		  "SELECT org_id, day, client, topic_id, reason_id, messages, "
		  "complaints, negative, unsatisfied FROM an_topic WHERE "
		  "grain = 'm' ORDER BY 1, 2, 3, 4, 5",
		  "SELECT org_id, substr(day, 1, 7), client, topic_id, "
		  "reason_id, SUM(messages), SUM(complaints), SUM(negative), "
		  "SUM(unsatisfied) FROM an_topic WHERE grain = 'd' "
		  "GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5" },
		{ "an_tp",
		  "SELECT org_id, day, client, touchpoint_id, problem, "
		  "messages, complaints, negative, unsatisfied FROM an_tp "
		  "WHERE grain = 'm' ORDER BY 1, 2, 3, 4, 5",
		  "SELECT org_id, substr(day, 1, 7), client, touchpoint_id, "
		  "problem, SUM(messages), SUM(complaints), SUM(negative), "
		  "SUM(unsatisfied) FROM an_tp WHERE grain = 'd' "
		  "GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5" },
		{ "an_std",
		  "SELECT org_id, day, client, channel, unit_id, standard, "
		  "kept, breached FROM an_std WHERE grain = 'm' "
		  "ORDER BY 1, 2, 3, 4, 5, 6",
		  "SELECT org_id, substr(day, 1, 7), client, channel, unit_id, "
		  "standard, SUM(kept), SUM(breached) FROM an_std WHERE "
		  "grain = 'd' GROUP BY 1, 2, 3, 4, 5, 6 "
		  "ORDER BY 1, 2, 3, 4, 5, 6" },
		{ "an_srv",
		  "SELECT org_id, day, client, dim, value, question, n, r1, "
		  "r2, r3, r4, r5 FROM an_srv WHERE grain = 'm' "
		  "ORDER BY 1, 2, 3, 4, 5, 6",
		  "SELECT org_id, substr(day, 1, 7), client, dim, value, "
		  "question, SUM(n), SUM(r1), SUM(r2), SUM(r3), SUM(r4), "
		  "SUM(r5) FROM an_srv WHERE grain = 'd' "
		  "GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6" },
	};
	struct buf a, b;
	size_t	   i;

	for (i = 0; i < nitems(q); i++) {
		buf_init(&a, BUF_MAX_DEFAULT);
		buf_init(&b, BUF_MAX_DEFAULT);
		dump_query(t->db, &a, q[i].month);
		dump_query(t->db, &b, q[i].sum);
		if (a.len != b.len ||
		    (a.len > 0 && memcmp(a.data, b.data, a.len) != 0)) {
			fprintf(stderr, "%s month rows:\n%.*s\nday rows "
			    "summed:\n%.*s\n", q[i].table, (int)a.len, a.data,
			    (int)b.len, b.data);
			fail_msg("%s: the month rows are not the sums of their "
			    "day rows", q[i].table);
		}
		buf_free(&a);
		buf_free(&b);
	}
	/* Grains and days of the right shape, and no row counting
	 * nothing (rows that fall to zero are deleted). */
	assert_int_equal(q_int(t->db, "SELECT COUNT(*) + 0 * ? FROM ("
	    "SELECT grain, day FROM an_fb UNION ALL "
	    "SELECT grain, day FROM an_fb_hist UNION ALL "
	    "SELECT grain, day FROM an_topic UNION ALL "
	    "SELECT grain, day FROM an_tp UNION ALL "
	    "SELECT grain, day FROM an_std UNION ALL "
	    "SELECT grain, day FROM an_srv) WHERE NOT ((grain = 'd' AND "
	    "length(day) = 10) OR (grain = 'm' AND length(day) = 7))", 0), 0);
	assert_int_equal(q_int(t->db, "SELECT (SELECT COUNT(*) FROM an_fb "
	    "WHERE messages <= 0) + (SELECT COUNT(*) FROM an_fb_hist WHERE "
	    "n <= 0) + (SELECT COUNT(*) FROM an_topic WHERE messages <= 0) + "
	    "(SELECT COUNT(*) FROM an_tp WHERE messages <= 0) + (SELECT "
	    "COUNT(*) FROM an_std WHERE kept + breached <= 0) + (SELECT "
	    "COUNT(*) FROM an_srv WHERE n <= 0) + 0 * ?", 0), 0);
}

/* The rollups as they stand equal the rollups rebuilt (for one
 * organization, then for all), and rebuilding twice changes nothing. */
static void
check_rebuild(struct env *t)
{
	struct rollup_stats st;
	struct err	    e;
	char		   *before, *after;

	before = dump(t->db);
	if (rollup_rebuild(t->db, t->org[1].id, &st, NULL, NULL, &e) != 0)
		fail_msg("rollup_rebuild: %s", e.msg);
	after = dump(t->db);
	if (strcmp(before, after) != 0) {
		fprintf(stderr, "incremental:\n%s\nrebuilt (org %lld):\n%s\n",
		    before, (long long)t->org[1].id, after);
		fail_msg("the rollups rebuilt differ from the incremental");
	}
	free(after);
	if (rollup_rebuild(t->db, 0, &st, NULL, NULL, &e) != 0)
		fail_msg("rollup_rebuild: %s", e.msg);
	after = dump(t->db);
	if (strcmp(before, after) != 0) {
		fprintf(stderr, "incremental:\n%s\nrebuilt:\n%s\n", before,
		    after);
		fail_msg("the rollups rebuilt differ from the incremental");
	}
	assert_int_equal(st.messages,
	    q_int(t->db, "SELECT COUNT(*) + 0 * ? FROM fb_message", 0));
	assert_true(st.rows > 0);
	free(before);
	free(after);
	check_months(t);
}

static const char *const channels[] = {
	"email", "site", "pos", "post", "social", "messenger", "phone",
	"callcentre", "reception", "app",
};
static const char *const kinds[] = {
	"appeal", "complaint", "request", "comment", "mention", "post",
	"proposal",
};
static const char *const forms[] = {
	"", "service", "support", "appeals", "information", "internal",
};

static void
remember(struct env *t, int64_t id, int o)
{
	t->msgs = xreallocarray(t->msgs, t->nmsgs + 1, sizeof(*t->msgs));
	t->orgof = xreallocarray(t->orgof, t->nmsgs + 1, sizeof(*t->orgof));
	t->msgs[t->nmsgs] = id;
	t->orgof[t->nmsgs] = o;
	t->nmsgs++;
}

/* A new message of random traits, received up to two days ago. */
static void
random_insert(struct env *t, int o)
{
	struct org_env *g = &t->org[o];
	struct fb_msg	m;
	struct fb_contact ct;
	struct err	e;
	const char     *field;
	char		key[65];
	int		r;

	fb_msg_init(&m);
	memset(&ct, 0, sizeof(ct));
	snprintf(m.channel, sizeof(m.channel), "%s",
	    channels[pick(nitems(channels))]);
	snprintf(m.kind, sizeof(m.kind), "%s", kinds[pick(nitems(kinds))]);
	snprintf(m.client, sizeof(m.client), "%s",
	    pick(4) == 0 ? "internal" : "external");
	snprintf(m.form, sizeof(m.form), "%s", forms[pick(nitems(forms))]);
	if (pick(5) == 0)
		snprintf(m.source, sizeof(m.source), "pos");
	m.text = xstrdup("Текст обращения");
	m.rating = pick(3) == 0 ? 1 + pick(5) : 0;
	if (pick(3) == 0)
		m.topic_id = g->topic[pick(2)];
	if (pick(4) == 0)
		m.reason_id = g->reason[pick(2)];
	if (pick(3) == 0)
		m.unit_id = g->unit[pick(2)];
	if (strcmp(m.channel, "reception") == 0)
		m.wait_minutes = pick(4) == 0 ? -1 : pick(40);
	if (strcmp(m.channel, "phone") == 0)
		m.transfers = pick(4);
	m.received_at = clock_at - pick(2 * 86400);
	if (fb_validate(&m, &ct, &field, &e) != 0)
		fail_msg("fb_validate %s: %s", field, e.msg);
	assert_int_equal(db_begin(t->db), 0);
	r = fb_insert(t->db, g->conf, "t", &m, &ct, key, &e);
	if (r != 0)
		fail_msg("fb_insert: %s", e.msg);
	assert_int_equal(db_commit(t->db), 0);
	remember(t, m.id, o);
	fb_msg_clear(&m);
}

/* A random step on a random message; refusals (a wrong state) are part
 * of the test: a refused step must leave the rollups as they were. */
static int
random_step(struct env *t)
{
	struct org_env *g;
	struct fb_msg	m;
	struct err	e;
	size_t		i;
	int64_t		id;
	int		o, r = -1;

	if (t->nmsgs == 0)
		return -1;
	/* Two steps in three on recent messages, so that cases go the whole
	 * way through their life. */
	i = (size_t)pick((int)t->nmsgs);
	if (pick(3) != 0 && t->nmsgs > 12)
		i = t->nmsgs - 1 - (size_t)pick(12);
	id = t->msgs[i];
	o = t->orgof[i];
	g = &t->org[o];
	switch (pick(14)) {
	case 0:
		r = fb_acknowledge(t->db, g->conf, "t", g->id, id, &e);
		break;
	case 1:
	case 11:
		r = fb_take(t->db, g->conf, "t", g->id, id, &e);
		break;
	case 2:
	case 3:
	case 12:
	case 13:
		r = fb_answer(t->db, g->conf, "t", g->id, id, "Ответ", 0, &e);
		break;
	case 4:
		r = fb_close(t->db, g->conf, "t", g->id, id,
		    pick(2) ? "satisfied" : "unsatisfied", &e);
		if (r != 0)
			r = fb_close(t->db, g->conf, "t", g->id, id, NULL, &e);
		break;
	case 5:
		r = fb_reopen(t->db, g->conf, "t", g->id, id, "ещё раз", &e);
		break;
	case 6:
		r = fb_assign(t->db, "t", g->id, id,
		    pick(2) ? g->unit[pick(2)] : 0, g->staff[pick(2)], &e);
		break;
	case 7:
		r = fb_classify(t->db, "t", g->id, id,
		    pick(2) ? g->topic[pick(2)] : 0,
		    pick(2) ? g->reason[pick(2)] : 0,
		    pick(2) ? forms[pick(nitems(forms))] : NULL, &e);
		break;
	case 8:
		r = fb_extend(t->db, g->conf, "t", g->id, id, 1 + pick(30),
		    "Продление срока", &e);
		break;
	case 9:
	case 10:
		if (fb_get(t->db, g->id, id, &m, &e) != 0)
			fail_msg("fb_get: %s", e.msg);
		r = fb_client_reply(t->db, g->conf, m.code, pick(2), &e);
		fb_msg_clear(&m);
		break;
	}
	if (r != 0 && e.code == EXIT_IOERR)
		fail_msg("step on message %lld: %s", (long long)id, e.msg);
	return r;
}

static void
choose(struct srv_item *it, const char *a)
{
	it->choices = xcalloc(1, sizeof(char *));
	it->choices[0] = xstrdup(a);
	it->nchoices = 1;
}

/* A response to a random standard instrument, online or on paper. */
static int
random_response(struct env *t, int o, int serial)
{
	static const char *const services[] = {
		NULL, "Выдача справок", "Приём заявлений",
	};
	struct srv_error err[SRV_QUESTIONS_MAX];
	struct srv_instr in;
	struct srv_def	 d;
	struct srv_resp	 r;
	struct err	 e;
	const struct srv_question *q;
	char		 ref[32];
	size_t		 i, k;
	int		 rc;

	memset(&in, 0, sizeof(in));
	memset(&d, 0, sizeof(d));
	if (srv_instr_get(t->db, t->org[o].id, srv_standard_codes[pick(4)],
	    &in, &e) != 0)
		fail_msg("srv_instr_get: %s", e.msg);
	if (srv_version_load(t->db, t->org[o].id, in.current_id, &d, NULL,
	    &e) != 0)
		fail_msg("srv_version_load: %s", e.msg);
	srv_resp_init(&r, d.nq);
	r.org_id = t->org[o].id;
	r.instrument_id = in.id;
	r.version_id = in.current_id;
	date_format(date_local(clock_at, t->org[o].conf->tz), r.day);
	if ((k = (size_t)pick(nitems(services))) != 0)
		r.service = xstrdup(services[k]);
	if (pick(4) == 0)
		r.situation = xstrdup("Рождение ребёнка");
	/* An instrument by invitation takes paper forms here. */
	if (pick(3) == 0 || strcmp(in.access, "invite") == 0) {
		r.offline = 1;
		snprintf(ref, sizeof(ref), "P-%d", serial);
		r.paper_ref = xstrdup(ref);
	}
	for (i = 0; i < d.nq; i++) {
		q = &d.q[i];
		if (q->type == SRV_RATING)
			r.items[i].rating = q->required || pick(3) ?
			    1 + pick(5) : 0;
		else if (q->type == SRV_SINGLE &&
		    (q->required || pick(3) != 0))
			choose(&r.items[i], q->options[pick((int)
			    q->noptions)].code);
	}
	rc = -1;
	if (srv_validate(&d, &r, err, nitems(err)) == 0) {
		assert_int_equal(db_begin(t->db), 0);
		rc = srv_response_insert(t->db, &d, &r, NULL, &e);
		if (rc < 0)
			fail_msg("srv_response_insert: %s", e.msg);
		assert_int_equal(db_commit(t->db), 0);
	}
	srv_resp_clear(&r);
	srv_def_clear(&d);
	srv_instr_clear(&in);
	return rc;
}

/*
 * The rollups of one grain agree with the detail rows on plain counts:
 * each message once in an_fb, an_topic and an_tp; each rating once under
 * 'all' and once under 'touchpoint', under 'service' when the response
 * names one, under 'form' always (every standard instrument has one).
 */
static void
check_counts(struct env *t, const char *grain)
{
	static const char *const per_message[] = {
		"SELECT SUM(messages) + 0 * ? FROM an_fb WHERE org_id = ? AND "
		"grain = ?",
		"SELECT SUM(messages) + 0 * ? FROM an_topic WHERE org_id = ? "
		"AND grain = ?",
		"SELECT SUM(messages) + 0 * ? FROM an_tp WHERE org_id = ? AND "
		"grain = ?",
	};
	static const char *const dims[] = { "all", "touchpoint", "form" };
	struct db_stmt *s;
	int64_t		org = t->org[0].id, ratings;
	size_t		i;

	for (i = 0; i < nitems(per_message); i++) {
		s = db_prepare(t->db, per_message[i], "iit", (int64_t)0, org,
		    grain);
		assert_non_null(s);
		assert_int_equal(db_step(s), DB_ROW);
		assert_int_equal(db_col_int(s, 0), q_int(t->db, "SELECT "
		    "COUNT(*) FROM fb_message WHERE org_id = ?", org));
		db_finalize(s);
	}
	assert_int_equal(q_int_t(t->db, "SELECT SUM(answered) FROM an_fb "
	    "WHERE org_id = ? AND grain = ?", org, grain, NULL),
	    q_int(t->db, "SELECT COUNT(*) FROM fb_message WHERE answered_at "
	    "IS NOT NULL AND org_id = ?", org));
	assert_int_equal(q_int_t(t->db, "SELECT SUM(minutes_sum) FROM an_fb "
	    "WHERE org_id = ? AND grain = ?", org, grain, NULL),
	    q_int(t->db, "SELECT COALESCE(SUM(MAX(0, (answered_at - "
	    "registered_at) / 60)), 0) FROM fb_message WHERE answered_at IS "
	    "NOT NULL AND org_id = ?", org));
	ratings = q_int(t->db, "SELECT COUNT(*) FROM srv_answer a JOIN "
	    "srv_response r ON r.id = a.response_id WHERE a.rating IS NOT "
	    "NULL AND r.org_id = ?", org);
	assert_true(ratings > 0);
	for (i = 0; i < nitems(dims); i++)
		assert_int_equal(q_int_t(t->db, "SELECT SUM(n) FROM an_srv "
		    "WHERE org_id = ? AND grain = ? AND dim = ?", org, grain,
		    dims[i]), ratings);
	assert_int_equal(q_int_t(t->db, "SELECT SUM(n) FROM an_srv WHERE "
	    "org_id = ? AND grain = ? AND dim = ?", org, grain, "service"),
	    q_int(t->db, "SELECT COUNT(*) FROM srv_answer a JOIN srv_response "
	    "r ON r.id = a.response_id WHERE a.rating IS NOT NULL AND "
	    "COALESCE(r.service, '') <> '' AND r.org_id = ?", org));
	/* Touchpoints: this walk answers at none, online or on paper. */
	assert_int_equal(q_int_t(t->db, "SELECT SUM(n) FROM an_srv WHERE "
	    "org_id = ? AND grain = ? AND dim = 'touchpoint' AND value = ?",
	    org, grain, "paper"), q_int(t->db, "SELECT COUNT(*) FROM "
	    "srv_answer a JOIN srv_response r ON r.id = a.response_id WHERE "
	    "a.rating IS NOT NULL AND r.offline = 1 AND r.org_id = ?", org));
}

static void
test_random(void **state)
{
	struct env *t = *state;
	int	    i, steps_ok = 0, responses = 0, round;

	for (round = 0; round < 4; round++) {
		for (i = 0; i < 400; i++) {
			/* Minutes to days between events. */
			switch (pick(4)) {
			case 0:
				clock_set(clock_at + 60 + pick(600));
				break;
			case 1:
				clock_set(clock_at + pick(6 * 3600));
				break;
			case 2:
				clock_set(clock_at + pick(3 * 86400));
				break;
			default:
				break;
			}
			if (pick(6) == 0)
				random_insert(t, pick(NORGS));
			else if (pick(10) == 0)
				responses += random_response(t, pick(NORGS),
				    round * 1000 + i) == 0;
			else
				steps_ok += random_step(t) == 0;
		}
		check_rebuild(t);
	}
	printf("# %zu messages, %d steps done, %d responses over %lld "
	    "months; answered %lld, kept %lld, breached %lld\n", t->nmsgs,
	    steps_ok, responses, (long long)q_int(t->db, "SELECT "
	    "COUNT(DISTINCT day) FROM an_fb WHERE grain = 'm' AND org_id > ?",
	    0), (long long)q_int(t->db, "SELECT SUM(answered) FROM an_fb "
	    "WHERE grain = 'd' AND org_id > ?", 0), (long long)q_int(t->db,
	    "SELECT SUM(kept) FROM an_std WHERE grain = 'd' AND org_id > ?",
	    0), (long long)q_int(t->db, "SELECT SUM(breached) FROM an_std "
	    "WHERE grain = 'd' AND org_id > ?", 0));
	/* The random walk reached what the rollups count, over months
	 * enough for the month rows to sum many days. */
	assert_true(steps_ok > 50);
	assert_true(responses > 10);
	assert_true(q_int(t->db, "SELECT COUNT(DISTINCT day) FROM an_fb "
	    "WHERE grain = 'm' AND org_id > ?", 0) >= 3);
	assert_true(q_int(t->db, "SELECT SUM(answered) FROM an_fb WHERE "
	    "grain = 'd' AND org_id > ?", 0) > 10);
	assert_true(q_int(t->db, "SELECT SUM(satisfied) + SUM(unsatisfied) "
	    "FROM an_fb WHERE grain = 'd' AND org_id > ?", 0) > 0);
	assert_true(q_int(t->db, "SELECT SUM(kept) FROM an_std WHERE "
	    "grain = 'd' AND org_id > ?", 0) > 0);
	assert_true(q_int(t->db, "SELECT SUM(breached) FROM an_std WHERE "
	    "grain = 'd' AND org_id > ?", 0) > 0);
	assert_true(q_int(t->db, "SELECT COUNT(*) FROM an_srv WHERE "
	    "dim = 'segment' AND org_id > ?", 0) > 0);
	assert_true(q_int(t->db, "SELECT COUNT(*) FROM an_tp WHERE "
	    "problem <> 0 AND org_id > ?", 0) > 0);
	/* Every trait that decides a count occurred. */
	assert_true(q_int(t->db, "SELECT COUNT(*) FROM fb_message WHERE "
	    "solved = 0 AND kind <> 'complaint' AND org_id > ?", 0) > 0);
	assert_true(q_int(t->db, "SELECT COUNT(*) FROM fb_message WHERE "
	    "extended = 1 AND answered_at IS NOT NULL AND org_id > ?", 0) > 0);
	assert_true(q_int(t->db, "SELECT COUNT(*) FROM fb_message WHERE "
	    "transfers > 0 AND answered_at IS NOT NULL AND org_id > ?", 0) > 0);
	assert_true(q_int(t->db, "SELECT COUNT(*) FROM fb_message WHERE "
	    "reopened > 0 AND org_id > ?", 0) > 0);
	/* The switched-off standard counts nowhere. */
	assert_int_equal(q_int(t->db, "SELECT COUNT(*) FROM an_std WHERE "
	    "standard = 'reception_wait' AND org_id = ?", t->org[1].id), 0);
	check_counts(t, "d");
	check_counts(t, "m");
}

/* ------------------------------------------------------------------ */
/* Spans */

static int32_t
day_of(const char *s)
{
	int32_t d;

	if (date_parse(s, &d) != 0)
		fail_msg("bad day %s", s);
	return d;
}

static void
test_spans(void **state)
{
	static const struct {
		const char *from, *to;
		int	    n;
		const char *want;	/* "grain lo hi;" per span */
	} cases[] = {
		/* One day. */
		{ "2026-03-15", "2026-03-15", 1, "d 2026-03-15 2026-03-15;" },
		/* Inside a month, touching neither end or one of them. */
		{ "2026-03-02", "2026-03-30", 1, "d 2026-03-02 2026-03-30;" },
		{ "2026-03-01", "2026-03-30", 1, "d 2026-03-01 2026-03-30;" },
		{ "2026-03-02", "2026-03-31", 1, "d 2026-03-02 2026-03-31;" },
		/* A whole month, and the first and last days of it. */
		{ "2026-04-01", "2026-04-30", 1, "m 2026-04 2026-04;" },
		{ "2026-03-01", "2026-03-01", 1, "d 2026-03-01 2026-03-01;" },
		{ "2026-03-31", "2026-03-31", 1, "d 2026-03-31 2026-03-31;" },
		/* A whole year, and a half. */
		{ "2025-01-01", "2025-12-31", 1, "m 2025-01 2025-12;" },
		{ "2026-01-01", "2026-06-30", 1, "m 2026-01 2026-06;" },
		/* Starts on the 1st, ends inside a month. */
		{ "2026-01-01", "2026-03-15", 2,
		  "m 2026-01 2026-02;d 2026-03-01 2026-03-15;" },
		/* Ends on the last day, starts inside a month. */
		{ "2026-01-10", "2026-03-31", 2,
		  "d 2026-01-10 2026-01-31;m 2026-02 2026-03;" },
		/* February: the 29th ends a leap year's, the 28th does not;
		 * 2000 was a leap year, 2100 will not be. */
		{ "2024-01-10", "2024-02-29", 2,
		  "d 2024-01-10 2024-01-31;m 2024-02 2024-02;" },
		{ "2024-02-01", "2024-02-28", 1, "d 2024-02-01 2024-02-28;" },
		{ "2025-02-01", "2025-02-28", 1, "m 2025-02 2025-02;" },
		{ "2000-02-01", "2000-02-28", 1, "d 2000-02-01 2000-02-28;" },
		{ "2100-02-01", "2100-02-28", 1, "m 2100-02 2100-02;" },
		{ "2023-12-20", "2024-02-29", 2,
		  "d 2023-12-20 2023-12-31;m 2024-01 2024-02;" },
		/* Across a year's end: parts of two months, or of two months
		 * and whole ones between. */
		{ "2025-12-15", "2026-01-20", 2,
		  "d 2025-12-15 2025-12-31;d 2026-01-01 2026-01-20;" },
		{ "2025-11-15", "2026-02-10", 3, "d 2025-11-15 2025-11-30;"
		  "m 2025-12 2026-01;d 2026-02-01 2026-02-10;" },
		{ "2025-12-01", "2026-01-31", 1, "m 2025-12 2026-01;" },
		{ "2025-12-31", "2026-01-01", 2,
		  "d 2025-12-31 2025-12-31;d 2026-01-01 2026-01-01;" },
		/* Half a year from the middle of a month. */
		{ "2026-01-15", "2026-07-14", 3, "d 2026-01-15 2026-01-31;"
		  "m 2026-02 2026-06;d 2026-07-01 2026-07-14;" },
		/* An empty period reads nothing. */
		{ "2026-03-10", "2026-03-09", 1, "d 2026-03-10 2026-03-09;" },
	};
	struct rollup_span sp[3];
	struct buf	   b;
	size_t		   i;
	int		   n, k;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		n = rollup_spans(day_of(cases[i].from), day_of(cases[i].to), sp);
		buf_init(&b, BUF_MAX_DEFAULT);
		for (k = 0; k < n && k < 3; k++)
			buf_printf(&b, "%s %s %s;", sp[k].grain, sp[k].lo,
			    sp[k].hi);
		buf_putc(&b, '\0');
		if (n != cases[i].n || strcmp(b.data, cases[i].want) != 0)
			fail_msg("%s..%s: %d spans \"%s\", expected %d \"%s\"",
			    cases[i].from, cases[i].to, n, b.data, cases[i].n,
			    cases[i].want);
		buf_free(&b);
	}
}

/*
 * Random periods over two centuries: the spans cover every day of the
 * period once and no day outside it, are in order, a day span never
 * leaves its month, and a month is read as a whole whenever the period
 * covers it.
 */
static void
test_spans_cover(void **state)
{
	struct rollup_span sp[3];
	int32_t		   lo = date_from_ymd(1999, 1, 1), from, to, d;
	char		   day[11], month[11];
	int		   i, k, n, hits, whole, y, m, dd;

	(void)state;
	for (i = 0; i < 20000; i++) {
		from = lo + pick(200 * 365);
		to = from + (i % 4 == 0 ? pick(40) : pick(800));
		n = rollup_spans(from, to, sp);
		assert_true(n >= 1 && n <= 3);
		for (k = 1; k < n; k++)
			assert_true(strcmp(sp[k - 1].hi, sp[k].lo) < 0);
		for (k = 0; k < n; k++)
			if (sp[k].grain[0] == 'd')
				assert_memory_equal(sp[k].lo, sp[k].hi, 7);
		for (d = from - 3; d <= to + 3; d++) {
			date_format(d, day);
			memcpy(month, day, 7);
			month[7] = '\0';
			hits = 0;
			for (k = 0; k < n; k++) {
				if (sp[k].grain[0] == 'd')
					hits += strcmp(sp[k].lo, day) <= 0 &&
					    strcmp(day, sp[k].hi) <= 0;
				else
					hits += strcmp(sp[k].lo, month) <= 0 &&
					    strcmp(month, sp[k].hi) <= 0;
			}
			if (hits != (d >= from && d <= to))
				fail_msg("%d..%d: day %s read %d times", from,
				    to, day, hits);
			/* A month the period covers whole is a month row. */
			date_to_ymd(d, &y, &m, &dd);
			whole = dd == 1 && d >= from &&
			    date_from_ymd(m == 12 ? y + 1 : y,
			    m == 12 ? 1 : m + 1, 1) - 1 <= to;
			for (k = 0; whole && k < n; k++)
				if (sp[k].grain[0] == 'd' &&
				    strcmp(sp[k].lo, day) == 0)
					fail_msg("%d..%d: month %s read by "
					    "days", from, to, month);
		}
	}
}

/* ------------------------------------------------------------------ */
/* The histogram */

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Nearest rank: the ceil(q n)-th smallest. */
static int64_t
exact(const int64_t *sorted, size_t n, double q)
{
	size_t rank = (size_t)ceil(q * (double)n - 1e-9);

	if (rank < 1)
		rank = 1;
	return sorted[rank - 1];
}

static void
check_quantiles(const int64_t *v, size_t n, const char *what)
{
	static const double qs[] = {0.5, 0.9, 0.99, 1.0, 0.01, 0.25};
	int64_t *s, hist[ROLLUP_BUCKETS];
	size_t	 i;
	double	 est, x;

	memset(hist, 0, sizeof(hist));
	s = xreallocarray(NULL, n, sizeof(*s));
	for (i = 0; i < n; i++) {
		s[i] = v[i];
		hist[rollup_bucket(v[i])]++;
	}
	qsort(s, n, sizeof(*s), cmp64);
	for (i = 0; i < nitems(qs); i++) {
		est = rollup_quantile(hist, qs[i]);
		x = (double)exact(s, n, qs[i]);
		if (fabs(est - x) > ROLLUP_ALPHA * x + 1e-9)
			fail_msg("%s, n %zu, q %.2f: estimate %.3f, exact %.0f",
			    what, n, qs[i], est, x);
	}
	free(s);
}

static void
test_hist_bound(void **state)
{
	int64_t *v, m;
	size_t	 n, i, sizes[] = {1, 2, 3, 7, 1000, 20000};
	size_t	 si;
	double	 u, z, val;

	(void)state;
	/* Every minute up to a year and a sample beyond: the bucket's value
	 * is within alpha of it, and buckets never go down. */
	for (m = 0; m < 525600; m++) {
		val = rollup_bucket_value(rollup_bucket(m));
		if (fabs(val - (double)m) > ROLLUP_ALPHA * (double)m + 1e-9)
			fail_msg("%lld minutes: bucket %d, value %f",
			    (long long)m, rollup_bucket(m), val);
		if (m > 0 && rollup_bucket(m) < rollup_bucket(m - 1))
			fail_msg("bucket of %lld below that of %lld",
			    (long long)m, (long long)(m - 1));
	}
	assert_int_equal(rollup_bucket(0), 0);
	assert_int_equal(rollup_bucket(-5), 0);
	assert_true(rollup_bucket_value(0) == 0);
	assert_int_equal(rollup_bucket(INT64_MAX), ROLLUP_BUCKETS - 1);
	/* About 16 years still fit, within the bound. */
	m = (int64_t)15 * 525600;
	assert_true(rollup_bucket(m) < ROLLUP_BUCKETS - 1);
	assert_true(fabs(rollup_bucket_value(rollup_bucket(m)) - (double)m) <=
	    ROLLUP_ALPHA * (double)m);

	v = xreallocarray(NULL, 20000, sizeof(*v));
	for (si = 0; si < nitems(sizes); si++) {
		n = sizes[si];
		for (i = 0; i < n; i++)
			v[i] = pick(10000);
		check_quantiles(v, n, "uniform");
		for (i = 0; i < n; i++) {
			/* Box-Muller: a lognormal around 3 hours. */
			u = unif();
			z = sqrt(-2 * log(u)) * cos(2 * M_PI * unif());
			v[i] = (int64_t)exp(log(180) + 1.5 * z);
		}
		check_quantiles(v, n, "lognormal");
		for (i = 0; i < n; i++)	/* Pareto, alpha 1.1 */
			v[i] = (int64_t)(10 / pow(unif(), 1 / 1.1));
		check_quantiles(v, n, "heavy tail");
		for (i = 0; i < n; i++)
			v[i] = 137;
		check_quantiles(v, n, "all equal");
		for (i = 0; i < n; i++)
			v[i] = i % 3 == 0 ? 0 : 1 + pick(5);
		check_quantiles(v, n, "within minutes");
	}
	free(v);
}

static void
test_hist_merge(void **state)
{
	int64_t a[ROLLUP_BUCKETS], b[ROLLUP_BUCKETS], u[ROLLUP_BUCKETS];
	int64_t merged[ROLLUP_BUCKETS], x;
	double	qs[] = {0.1, 0.5, 0.9, 1.0};
	int	i, k;

	(void)state;
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	memset(u, 0, sizeof(u));
	assert_true(rollup_quantile(a, 0.5) == -1);
	for (i = 0; i < 3000; i++) {
		/* Two days of different answers: fast ones and slow ones. */
		x = i % 2 ? pick(120) : 1000 + pick(50000);
		if (i % 2)
			a[rollup_bucket(x)]++;
		else
			b[rollup_bucket(x)]++;
		u[rollup_bucket(x)]++;
	}
	for (k = 0; k < ROLLUP_BUCKETS; k++)
		merged[k] = a[k] + b[k];
	assert_memory_equal(merged, u, sizeof(u));
	for (k = 0; k < (int)nitems(qs); k++)
		assert_true(rollup_quantile(merged, qs[k]) ==
		    rollup_quantile(u, qs[k]));
	/* Merging moves the median between the parts'. */
	assert_true(rollup_quantile(a, 0.5) < rollup_quantile(merged, 0.5) ||
	    rollup_quantile(merged, 0.5) < rollup_quantile(b, 0.5));
}

/* ------------------------------------------------------------------ */
/* minutes_max */

#define MAX_SQL "SELECT minutes_max FROM an_fb WHERE org_id = ? AND " \
	"grain = ? AND day = ? AND client = 'external' AND " \
	"channel = 'email' AND kind = 'appeal'"

/* minutes_max of the external email appeals of a day or a month. */
static int64_t
an_max(struct env *t, const char *grain, const char *day)
{
	return q_int_t(t->db, MAX_SQL, t->org[0].id, grain, day);
}

/* Rows of the email appeals' key (an_fb) or channel (an_fb_hist). */
static int64_t
an_rows(struct env *t, const char *table, const char *day)
{
	static const char *const sql[] = {
		"SELECT COUNT(*) FROM an_fb WHERE org_id = ? AND day = ? AND "
		"channel = 'email'",
		"SELECT COUNT(*) FROM an_fb_hist WHERE org_id = ? AND day = ? "
		"AND channel = 'email'",
	};

	return q_int_t(t->db, sql[strcmp(table, "an_fb") != 0], t->org[0].id,
	    day, NULL);
}

static int64_t
add_email(struct env *t)
{
	struct fb_msg	  m;
	struct fb_contact ct;
	struct err	  e;
	const char	 *field;
	char		  key[65];
	int64_t		  id;

	fb_msg_init(&m);
	memset(&ct, 0, sizeof(ct));
	snprintf(m.channel, sizeof(m.channel), "email");
	snprintf(m.kind, sizeof(m.kind), "appeal");
	m.text = xstrdup("Прошу ответить");
	assert_int_equal(fb_validate(&m, &ct, &field, &e), 0);
	assert_int_equal(db_begin(t->db), 0);
	if (fb_insert(t->db, t->org[0].conf, "t", &m, &ct, key, &e) != 0)
		fail_msg("fb_insert: %s", e.msg);
	assert_int_equal(db_commit(t->db), 0);
	id = m.id;
	fb_msg_clear(&m);
	assert_int_equal(fb_take(t->db, t->org[0].conf, "t", t->org[0].id, id,
	    &e), 0);
	return id;
}

static void
answer_at(struct env *t, int64_t id, int64_t at)
{
	struct err e;

	clock_set(at);
	if (fb_answer(t->db, t->org[0].conf, "t", t->org[0].id, id, "Ответ",
	    0, &e) != 0)
		fail_msg("fb_answer: %s", e.msg);
}

/*
 * Moves the messages to another key (the channel "post"), the way a step
 * does: the contribution taken out, the row changed, the new one put in.
 * In a transaction the caller rolls back.
 */
static void
take_out(struct env *t, const int64_t *id, size_t n)
{
	struct fb_msg m;
	struct err    e;
	size_t	      i;
	int	      sign;

	assert_int_equal(db_begin(t->db), 0);
	for (i = 0; i < n; i++) {
		for (sign = -1; sign <= 1; sign += 2) {
			if (fb_get(t->db, t->org[0].id, id[i], &m, &e) != 0)
				fail_msg("fb_get: %s", e.msg);
			if (rollup_fb_apply(t->db, t->org[0].conf, &m, sign,
			    &e) != 0)
				fail_msg("rollup_fb_apply: %s", e.msg);
			fb_msg_clear(&m);
			if (sign < 0)
				assert_int_equal(db_run(t->db, NULL, "UPDATE "
				    "fb_message SET channel = 'post' WHERE "
				    "id = ?", "i", id[i]), 0);
		}
	}
}

/*
 * A step takes a message's contribution out and puts the new one in, so
 * the message holding the largest minutes leaves its rows for a moment
 * at every step (and for good when it is answered again sooner by an
 * import): the day row must then get the exact next largest of its day's
 * messages, the month row the largest of its other day rows.
 */
static void
test_max(void **state)
{
	struct env *t = *state;
	struct err  e;
	int64_t	    t0 = clock_at, id[5];

	/* Three appeals on 2 March, answered in 10, 50 and 30 minutes. */
	id[0] = add_email(t);
	id[1] = add_email(t);
	id[2] = add_email(t);
	answer_at(t, id[0], t0 + 10 * 60);
	answer_at(t, id[2], t0 + 30 * 60);
	answer_at(t, id[1], t0 + 50 * 60);
	assert_int_equal(an_max(t, "d", "2026-03-02"), 50);
	assert_int_equal(an_max(t, "m", "2026-03"), 50);
	/* Reopened, the second still has its answer of 50 minutes... */
	clock_set(t0 + 60 * 60);
	assert_int_equal(fb_reopen(t->db, t->org[0].conf, "t", t->org[0].id,
	    id[1], "не решено", &e), 0);
	assert_int_equal(an_max(t, "d", "2026-03-02"), 50);
	assert_int_equal(an_max(t, "m", "2026-03"), 50);
	assert_int_equal(q_int_t(t->db, "SELECT answered FROM an_fb WHERE "
	    "org_id = ? AND grain = 'm' AND day = ?", t->org[0].id, "2026-03",
	    NULL), 3);
	/* ...until it is answered again, much later. */
	answer_at(t, id[1], t0 + 200 * 60);
	assert_int_equal(an_max(t, "d", "2026-03-02"), 200);
	assert_int_equal(an_max(t, "m", "2026-03"), 200);
	/* One on 3 March in 40 minutes, one on 1 April in 70. */
	clock_set(t0 + 86400);
	id[3] = add_email(t);
	answer_at(t, id[3], t0 + 86400 + 40 * 60);
	clock_set(t0 + 30 * 86400);
	id[4] = add_email(t);
	answer_at(t, id[4], t0 + 30 * 86400 + 70 * 60);
	assert_int_equal(an_max(t, "d", "2026-03-03"), 40);
	assert_int_equal(an_max(t, "m", "2026-03"), 200);
	assert_int_equal(an_max(t, "d", "2026-04-01"), 70);
	assert_int_equal(an_max(t, "m", "2026-04"), 70);
	assert_int_equal(q_int_t(t->db, "SELECT minutes_sum FROM an_fb WHERE "
	    "org_id = ? AND grain = 'm' AND day = ?", t->org[0].id, "2026-03",
	    NULL), 10 + 200 + 30 + 40);
	check_rebuild(t);

	/* The 200 taken out: its day falls to the next of that day, its
	 * month to the largest of its other days; the key it went to has
	 * it. */
	take_out(t, &id[1], 1);
	assert_int_equal(an_max(t, "d", "2026-03-02"), 30);
	assert_int_equal(an_max(t, "m", "2026-03"), 40);
	assert_int_equal(an_max(t, "m", "2026-04"), 70);
	assert_int_equal(q_int_t(t->db, "SELECT minutes_max FROM an_fb WHERE "
	    "org_id = ? AND grain = 'm' AND day = ? AND channel = 'post'",
	    t->org[0].id, "2026-03", NULL), 200);
	assert_int_equal(db_rollback(t->db), 0);
	assert_int_equal(an_max(t, "m", "2026-03"), 200);
	/* With 3 March's out too, the month's is 2 March's next. */
	take_out(t, &id[1], 3);
	assert_int_equal(an_max(t, "d", "2026-03-02"), 10);
	assert_int_equal(an_rows(t, "an_fb", "2026-03-03"), 0);
	assert_int_equal(an_max(t, "m", "2026-03"), 10);
	assert_int_equal(db_rollback(t->db), 0);
	/* A message below the largest leaves it as it is. */
	take_out(t, &id[3], 1);
	assert_int_equal(an_rows(t, "an_fb", "2026-03-03"), 0);
	assert_int_equal(an_rows(t, "an_fb_hist", "2026-03-03"), 0);
	assert_int_equal(an_max(t, "m", "2026-03"), 200);
	assert_int_equal(db_rollback(t->db), 0);
	/* All of March out: its rows of the key go, day and month alike,
	 * the histogram's too; April's stay. */
	take_out(t, id, 4);
	assert_int_equal(q_int_t(t->db, "SELECT COUNT(*) FROM an_fb WHERE "
	    "org_id = ? AND channel = 'email' AND day LIKE ?", t->org[0].id,
	    "2026-03%", NULL), 0);
	assert_int_equal(q_int_t(t->db, "SELECT COUNT(*) FROM an_fb_hist "
	    "WHERE org_id = ? AND channel = 'email' AND day LIKE ?",
	    t->org[0].id, "2026-03%", NULL), 0);
	assert_int_equal(q_int_t(t->db, "SELECT SUM(n) FROM an_fb_hist WHERE "
	    "org_id = ? AND channel = 'post' AND day = ?", t->org[0].id,
	    "2026-03", NULL), 4);
	assert_int_equal(an_max(t, "m", "2026-04"), 70);
	check_months(t);
	assert_int_equal(db_rollback(t->db), 0);

	check_rebuild(t);
	/* The histogram holds the five answers, each once per grain. */
	assert_int_equal(q_int(t->db, "SELECT SUM(n) FROM an_fb_hist WHERE "
	    "org_id = ? AND grain = 'd'", t->org[0].id), 5);
	assert_int_equal(q_int(t->db, "SELECT SUM(n) FROM an_fb_hist WHERE "
	    "org_id = ? AND grain = 'm'", t->org[0].id), 5);
	assert_int_equal(q_int(t->db, "SELECT MAX(bucket) FROM an_fb_hist "
	    "WHERE org_id = ?", t->org[0].id), rollup_bucket(200));
}

/* ------------------------------------------------------------------ */
/* What the hook costs */

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
test_cost(void **state)
{
	struct env	 *t = *state;
	struct fb_msg	 *v;
	struct fb_contact ct;
	struct err	  e;
	const char	 *field, *env = getenv("ROLLUP_BENCH_N");
	char		  key[65];
	long		  n = env != NULL ? strtol(env, NULL, 10) : 2000, i;
	double		  t0, with, hook;

	if (n < 1 || n > 1000000)
		n = 2000;
	v = xcalloc((size_t)n, sizeof(*v));
	memset(&ct, 0, sizeof(ct));
	for (i = 0; i < n; i++) {
		fb_msg_init(&v[i]);
		snprintf(v[i].channel, sizeof(v[i].channel), "%s",
		    channels[i % nitems(channels)]);
		snprintf(v[i].kind, sizeof(v[i].kind), "%s",
		    kinds[i % nitems(kinds)]);
		v[i].text = xstrdup("Текст");
		v[i].received_at = clock_at - (i % 5000) * 60;
		assert_int_equal(fb_validate(&v[i], &ct, &field, &e), 0);
	}
	/* fb_insert, hook included, in one transaction. */
	assert_int_equal(db_begin(t->db), 0);
	t0 = seconds();
	for (i = 0; i < n; i++)
		if (fb_insert(t->db, t->org[0].conf, "t", &v[i], &ct, key,
		    &e) != 0)
			fail_msg("fb_insert: %s", e.msg);
	with = seconds() - t0;
	assert_int_equal(db_commit(t->db), 0);
	/* The hook alone on the same messages, undone. */
	assert_int_equal(db_begin(t->db), 0);
	t0 = seconds();
	for (i = 0; i < n; i++)
		assert_int_equal(rollup_fb_apply(t->db, t->org[0].conf, &v[i],
		    1, &e), 0);
	hook = seconds() - t0;
	assert_int_equal(db_rollback(t->db), 0);
	printf("# %ld fb_insert in one transaction: %.3f s with the rollup "
	    "hook; the hook alone %.3f s, so about %.3f s without it "
	    "(+%.0f %%)\n", n, with, hook, with - hook,
	    with > hook ? 100 * hook / (with - hook) : 0.0);
	assert_int_equal(q_int(t->db, "SELECT SUM(messages) FROM an_fb WHERE "
	    "grain = 'd' AND org_id = ?", t->org[0].id), n);
	assert_int_equal(q_int(t->db, "SELECT SUM(messages) FROM an_fb WHERE "
	    "grain = 'm' AND org_id = ?", t->org[0].id), n);
	for (i = 0; i < n; i++)
		fb_msg_clear(&v[i]);
	free(v);
	check_rebuild(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spans),
		cmocka_unit_test(test_spans_cover),
		cmocka_unit_test(test_hist_bound),
		cmocka_unit_test(test_hist_merge),
		cmocka_unit_test_setup_teardown(test_random, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cost, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

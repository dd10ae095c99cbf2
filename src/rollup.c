/*
 * Rollups (rollup.h, 0006-analysis.sql): what a message or a survey
 * response adds to the an_* tables, worked out once, and two places for
 * it to go: the tables themselves, inside the write transaction that
 * changed the detail row (incremental), or an in-memory sum written once
 * (rollup_rebuild).  Since both go through the same contribution
 * functions, a rebuilt rollup equals the incremental one.
 *
 * Every delta goes to two rows (put2): its day's, grain 'd' and day
 * "YYYY-MM-DD", then its month's, grain 'm' and day "YYYY-MM".  The day
 * row goes first, because the month's minutes_max is worked out again
 * from the day rows.
 *
 * The rules of a message's contribution (fb_contrib):
 *   day	the local date of received_at in the organization's zone;
 *   keys	never NULL: "" for none, 0 for no unit, touchpoint, topic;
 *   an_fb	(client, channel, kind): messages 1; answered when
 *		answered_at is set; minutes from registration to answer,
 *		max(0, (answered_at - registered_at) / 60), summed and
 *		maxed over the answered; on_time / late: answered with an
 *		answer_due, by it or after; satisfied / unsatisfied: the
 *		complaint's outcome;
 *   an_fb_hist	(client, channel): the answered, in bucket
 *		rollup_bucket(minutes);
 *   an_topic	(client, topic, reason) and
 *   an_tp	(client, touchpoint, problem = reason, else topic, else 0):
 *		messages 1; complaints: kind complaint; negative: a
 *		complaint, a rating of 1 or 2, or the client's "not
 *		solved"; unsatisfied: outcome unsatisfied;
 *   an_std	(client, channel, unit, standard): for every standard
 *		std_applies() gives and the organization has on, once its
 *		timer has stopped (a standard still running counts in
 *		neither kept nor breached, so that a rollup never changes
 *		by the clock alone):
 *		ack_written	the acknowledgement (or the answer, if it
 *				came first) by ack_due; a message without
 *				ack_due is not judged;
 *		social_mention, social_appeal, answer_pos
 *				the answer by the standard's own deadline,
 *				timer_deadline() from received_at with the
 *				organization's terms (as fb_deadlines sets
 *				them; answer_due keeps only the earliest);
 *		answer_59fz	the same, or answer_due once the 59-FZ
 *				extension moved it;
 *		phone_transfers	transfers <= the limit, once answered or
 *				closed;
 *		reception_wait	wait_minutes <= the limit, when the wait is
 *				known.
 * A survey response's (srv_contrib): per rating answered, one count in
 * an_srv under (dim, value) 'all' '', 'touchpoint' (the id, or 'online'
 * / 'paper' at none), and 'service', 'situation', 'segment', 'form' when
 * the response has a value for them (srv_dims).
 *
 * The contribution depends on the organization's zone and standards
 * (struct fb_conf): after they change, the rollups of the organization
 * are to be rebuilt (`otklik rollup rebuild --org SLUG`).
 *
 * Counts that fall to zero delete their row (0006-analysis.sql).  The
 * exact minutes_max cannot be taken out by subtraction: when the message
 * taken out held it, a day row's is worked out again from the other
 * detail rows of its key and local day (fb_max_day), and a month row's
 * from its key's day rows of that month (fb_max_month), which are exact
 * by then: at most 31 rows instead of a month of messages.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "db.h"
#include "feedback.h"
#include "rollup.h"
#include "survey.h"

#define DAY		86400
#define NS		4	/* text keys of a row, at most */
#define NK		2	/* whole-number keys */
#define NV		8	/* counts */
#define SRV_DIMS	6	/* (dim, value) rows of one rating, at most */
#define PROGRESS_EVERY	4096
/* Rollup rows a rebuild may hold in memory: far more than any number of
 * keys a region makes (days and months x the few keys of a table). */
#define REBUILD_ROWS_MAX ((size_t)64 << 20)

enum tbl { T_FB, T_HIST, T_TOPIC, T_TP, T_STD, T_SRV };

/*
 * One delta to one rollup row.  day is "YYYY-MM-DD" for a day row and
 * "YYYY-MM" for a month row, which also tells the grain (row_grain).
 * The meaning of s[], k[] and v[] is the table's (put_*); unused slots
 * are NULL and 0.
 */
struct row {
	enum tbl    t;
	int64_t	    org;
	char	    day[11];
	const char *s[NS];
	int64_t	    k[NK];
	int64_t	    v[NV];
};
/* an_fb's v[] */
enum { FB_MESSAGES, FB_ANSWERED, FB_ON_TIME, FB_LATE, FB_MIN_SUM,
	FB_MIN_MAX, FB_SATISFIED, FB_UNSATISFIED };

/*
 * The sums of a rebuild: the rows in the order they came, and an open
 * addressing index over them that holds only their hashes and places, so
 * that a probe stays within a few cache lines.
 */
struct hslot {
	uint32_t h;	/* the row's hash */
	uint32_t i;	/* 1 + its index in rows; 0 for an empty slot */
};
struct hash {
	struct hslot *v;
	size_t	      cap;	/* a power of 2 */
	struct row   *rows;	/* strings owned */
	size_t	      n, rcap;
};

/* Where deltas go: the tables (db), or the sums of a rebuild (h). */
struct sink {
	struct db	     *db;
	struct hash	     *h;
	const struct fb_conf *c;
	const struct fb_msg  *m;	/* taken out: for minutes_max */
};

static const char *
row_grain(const struct row *r)
{
	return r->day[7] == '\0' ? "m" : "d";
}

/* ------------------------------------------------------------------ */
/* The histogram */

static double
hist_gamma(void)
{
	return (1.0 + ROLLUP_ALPHA) / (1.0 - ROLLUP_ALPHA);
}

/*
 * Bucket b >= 1 holds the minutes m with gamma^(b-2) < m <= gamma^(b-1),
 * so that its value 2 gamma^(b-1) / (gamma + 1) is within alpha of every
 * m in it.  The logarithm gives the bucket; the two loops settle a
 * rounding at a boundary.
 */
int
rollup_bucket(int64_t minutes)
{
	double g = hist_gamma(), x = (double)minutes;
	int    k;

	if (minutes <= 0)
		return 0;
	k = (int)ceil(log(x) / log(g));
	if (k >= ROLLUP_BUCKETS)
		return ROLLUP_BUCKETS - 1;
	while (k > 0 && x <= pow(g, k - 1))
		k--;
	while (x > pow(g, k))
		k++;
	return k + 1 > ROLLUP_BUCKETS - 1 ? ROLLUP_BUCKETS - 1 : k + 1;
}

double
rollup_bucket_value(int bucket)
{
	double g = hist_gamma();

	if (bucket <= 0)
		return 0;
	if (bucket > ROLLUP_BUCKETS - 1)
		bucket = ROLLUP_BUCKETS - 1;
	return 2.0 * pow(g, bucket - 1) / (g + 1.0);
}

double
rollup_quantile(const int64_t hist[ROLLUP_BUCKETS], double q)
{
	int64_t n = 0, rank, seen = 0;
	int	b;

	for (b = 0; b < ROLLUP_BUCKETS; b++)
		if (hist[b] > 0)
			n += hist[b];
	if (n == 0 || !(q > 0))
		return -1;
	if (q > 1)
		q = 1;
	/* The epsilon keeps 0.9 * 10 from ranking 10th. */
	rank = (int64_t)ceil(q * (double)n - 1e-9);
	if (rank < 1)
		rank = 1;
	for (b = 0; b < ROLLUP_BUCKETS; b++) {
		if (hist[b] > 0)
			seen += hist[b];
		if (seen >= rank)
			return rollup_bucket_value(b);
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* Periods as spans of day and month rows */

static int32_t
month_first(int32_t day)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	return day - (d - 1);
}

static int32_t
month_last(int32_t day)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	return (m == 12 ? date_from_ymd(y + 1, 1, 1)
			: date_from_ymd(y, m + 1, 1)) - 1;
}

static void
span_set(struct rollup_span *s, int month, int32_t lo, int32_t hi)
{
	snprintf(s->grain, sizeof(s->grain), "%s", month ? "m" : "d");
	date_format(lo, s->lo);
	date_format(hi, s->hi);
	if (month)
		s->lo[7] = s->hi[7] = '\0';
}

/*
 * lo..hi are the whole months: from, or the first of the month after
 * it, up to to, or the last day of the month before it.  A period that
 * is empty (from > to) is one span that reads nothing.
 */
int
rollup_spans(int32_t from, int32_t to, struct rollup_span out[3])
{
	int32_t lo, hi;
	int	n = 0;

	if (from > to) {
		span_set(&out[0], 0, from, to);
		return 1;
	}
	lo = month_first(from) == from ? from : month_last(from) + 1;
	hi = month_last(to) == to ? to : month_first(to) - 1;
	if (lo > hi) {
		/* No whole month: within one month, or across one border. */
		hi = month_last(from);
		span_set(&out[n++], 0, from, to < hi ? to : hi);
		if (to > hi)
			span_set(&out[n++], 0, hi + 1, to);
		return n;
	}
	if (from < lo)
		span_set(&out[n++], 0, from, lo - 1);
	span_set(&out[n++], 1, lo, hi);
	if (hi < to)
		span_set(&out[n++], 0, hi + 1, to);
	return n;
}

/* ------------------------------------------------------------------ */
/* The incremental sink: upserts with sign into the tables */

static const char *
str0(const char *s)
{
	return s != NULL ? s : "";
}

/*
 * Runs an upsert that returns the row's count after it (and, for an_fb,
 * its minutes_max); the caller deletes the row when the count is 0 or
 * less (a delta taken out of a row that was never there leaves nothing
 * either).
 */
static int
upsert_step(struct db *db, struct db_stmt *s, int64_t *count, int64_t *max,
    struct err *e)
{
	int r;

	*count = 0;
	if (max != NULL)
		*max = 0;
	if (s == NULL || (r = db_step(s)) == DB_FAIL) {
		db_finalize(s);
		return err_set(e, EXIT_IOERR, "rollup: %s", db_errmsg(db));
	}
	*count = r == DB_ROW ? db_col_int(s, 0) : 0;
	if (max != NULL)
		*max = r == DB_ROW ? db_col_int(s, 1) : 0;
	db_finalize(s);
	return 0;
}

static int
run(struct db *db, int r, struct err *e)
{
	return r == 0 ? 0 : err_set(e, EXIT_IOERR, "rollup: %s",
	    db_errmsg(db));
}

/* The minutes an answered message took (an_fb). */
static int64_t
fb_minutes(int64_t registered_at, int64_t answered_at)
{
	int64_t d = (answered_at - registered_at) / 60;

	return d > 0 ? d : 0;
}

/*
 * The largest minutes of the answered messages under a key on a local
 * day, leaving out the message being taken out.  The day's messages are
 * found by fb_message_received (org_id, received_at) over a span wide
 * enough for any zone; the local day is checked here.
 */
static int
fb_max_day(struct sink *k, const struct row *r, int64_t *max, struct err *e)
{
	struct db_stmt *s;
	int32_t		day;
	int64_t		from, to, v;
	int		st;

	*max = 0;
	day = date_local(k->m->received_at, k->c->tz);
	from = ((int64_t)day - 1) * DAY;
	to = ((int64_t)day + 2) * DAY;
	s = db_prepare(k->db, "SELECT received_at, registered_at, "
	    "answered_at FROM fb_message WHERE org_id = ? AND received_at >= ? "
	    "AND received_at < ? AND id <> ? AND answered_at IS NOT NULL AND "
	    "answered_at <> 0 AND client = ? AND channel = ? AND kind = ?",
	    "iiiittt", r->org, from, to, k->m->id, r->s[0], r->s[1], r->s[2]);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "rollup: %s", db_errmsg(k->db));
	while ((st = db_step(s)) == DB_ROW) {
		if (date_local(db_col_int(s, 0), k->c->tz) != day)
			continue;
		v = fb_minutes(db_col_int(s, 1), db_col_int(s, 2));
		if (v > *max)
			*max = v;
	}
	db_finalize(s);
	if (st == DB_FAIL)
		return err_set(e, EXIT_IOERR, "rollup: %s", db_errmsg(k->db));
	return 0;
}

/*
 * The same for a month: the largest minutes_max of the key's day rows of
 * that month.  put2 has just brought the day row up to date, the message
 * taken out included, and day rows are exact, so this is the month's
 * exact maximum, from a month's day rows rather than its messages.
 */
static int
fb_max_month(struct sink *k, const struct row *r, int64_t *max,
    struct err *e)
{
	struct db_stmt *s;
	char		lo[11], hi[11];

	/* r->day is "YYYY-MM-DD": its month's first and last possible day. */
	memcpy(lo, r->day, 7);
	memcpy(lo + 7, "-01", 4);
	memcpy(hi, r->day, 7);
	memcpy(hi + 7, "-31", 4);
	s = db_prepare(k->db, "SELECT COALESCE(MAX(minutes_max), 0) FROM "
	    "an_fb WHERE org_id = ? AND grain = 'd' AND day BETWEEN ? AND ? "
	    "AND client = ? AND channel = ? AND kind = ?", "itttt" "t",
	    r->org, lo, hi, r->s[0], r->s[1], r->s[2]);
	if (s == NULL || db_step(s) != DB_ROW) {
		db_finalize(s);
		return err_set(e, EXIT_IOERR, "rollup: %s", db_errmsg(k->db));
	}
	*max = db_col_int(s, 0);
	db_finalize(s);
	return 0;
}

/* an_fb: s = client, channel, kind. */
static int
put_fb(struct sink *k, const struct row *r, struct err *e)
{
	struct db_stmt *s;
	const char     *g = row_grain(r);
	int64_t		count = 0, max = 0, again = 0;
	int		rc;

	s = db_prepare(k->db, "INSERT INTO an_fb (org_id, grain, day, client, "
	    "channel, kind, messages, answered, on_time, late, minutes_sum, "
	    "minutes_max, satisfied, unsatisfied) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
	    "ON CONFLICT (org_id, grain, day, client, channel, kind) "
	    "DO UPDATE SET "
	    "messages = an_fb.messages + excluded.messages, "
	    "answered = an_fb.answered + excluded.answered, "
	    "on_time = an_fb.on_time + excluded.on_time, "
	    "late = an_fb.late + excluded.late, "
	    "minutes_sum = an_fb.minutes_sum + excluded.minutes_sum, "
	    "minutes_max = CASE WHEN excluded.messages > 0 AND "
	    "excluded.minutes_max > an_fb.minutes_max THEN excluded.minutes_max "
	    "ELSE an_fb.minutes_max END, "
	    "satisfied = an_fb.satisfied + excluded.satisfied, "
	    "unsatisfied = an_fb.unsatisfied + excluded.unsatisfied "
	    "RETURNING messages, minutes_max",
	    "itttt" "t" "iiiiiiii", r->org, g, r->day, r->s[0], r->s[1],
	    r->s[2], r->v[0], r->v[1], r->v[2], r->v[3], r->v[4], r->v[5],
	    r->v[6], r->v[7]);
	if (upsert_step(k->db, s, &count, &max, e) != 0)
		return -1;
	if (count <= 0)
		return run(k->db, db_run(k->db, NULL, "DELETE FROM an_fb WHERE "
		    "org_id = ? AND grain = ? AND day = ? AND client = ? AND "
		    "channel = ? AND kind = ?", "itttt" "t", r->org, g, r->day,
		    r->s[0], r->s[1], r->s[2]), e);
	/* Taken out: was it the one with the most minutes? */
	if (r->v[FB_MESSAGES] < 0 && r->v[FB_ANSWERED] != 0 &&
	    -r->v[FB_MIN_SUM] >= max) {
		rc = *g == 'm' ? fb_max_month(k, r, &again, e)
			       : fb_max_day(k, r, &again, e);
		if (rc != 0)
			return -1;
		if (again != max)
			return run(k->db, db_run(k->db, NULL, "UPDATE an_fb SET "
			    "minutes_max = ? WHERE org_id = ? AND grain = ? AND "
			    "day = ? AND client = ? AND channel = ? AND "
			    "kind = ?", "iittt" "tt", again, r->org, g, r->day,
			    r->s[0], r->s[1], r->s[2]), e);
	}
	return 0;
}

/* an_fb_hist: s = client, channel; k = bucket. */
static int
put_hist(struct sink *k, const struct row *r, struct err *e)
{
	struct db_stmt *s;
	const char     *g = row_grain(r);
	int64_t		count = 0;

	s = db_prepare(k->db, "INSERT INTO an_fb_hist (org_id, grain, day, "
	    "client, channel, bucket, n) VALUES (?, ?, ?, ?, ?, ?, ?) ON "
	    "CONFLICT (org_id, grain, day, client, channel, bucket) DO UPDATE "
	    "SET n = an_fb_hist.n + excluded.n RETURNING n", "itttt" "ii",
	    r->org, g, r->day, r->s[0], r->s[1], r->k[0], r->v[0]);
	if (upsert_step(k->db, s, &count, NULL, e) != 0)
		return -1;
	if (count > 0)
		return 0;
	return run(k->db, db_run(k->db, NULL, "DELETE FROM an_fb_hist WHERE "
	    "org_id = ? AND grain = ? AND day = ? AND client = ? AND "
	    "channel = ? AND bucket = ?", "itttt" "i", r->org, g, r->day,
	    r->s[0], r->s[1], r->k[0]), e);
}

/*
 * an_topic and an_tp, the same counts under two keys: s = client;
 * k = topic_id, reason_id (an_topic) or touchpoint_id, problem (an_tp).
 */
static const struct {
	const char *upsert, *del;
} msg_sql[2] = {
	{ "INSERT INTO an_topic (org_id, grain, day, client, topic_id, "
	  "reason_id, messages, complaints, negative, unsatisfied) VALUES "
	  "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, grain, day, "
	  "client, topic_id, reason_id) DO UPDATE SET "
	  "messages = an_topic.messages + excluded.messages, "
	  "complaints = an_topic.complaints + excluded.complaints, "
	  "negative = an_topic.negative + excluded.negative, "
	  "unsatisfied = an_topic.unsatisfied + excluded.unsatisfied "
	  "RETURNING messages",
	  "DELETE FROM an_topic WHERE org_id = ? AND grain = ? AND day = ? "
	  "AND client = ? AND topic_id = ? AND reason_id = ?" },
	{ "INSERT INTO an_tp (org_id, grain, day, client, touchpoint_id, "
	  "problem, messages, complaints, negative, unsatisfied) VALUES "
	  "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, grain, day, "
	  "client, touchpoint_id, problem) DO UPDATE SET "
	  "messages = an_tp.messages + excluded.messages, "
	  "complaints = an_tp.complaints + excluded.complaints, "
	  "negative = an_tp.negative + excluded.negative, "
	  "unsatisfied = an_tp.unsatisfied + excluded.unsatisfied "
	  "RETURNING messages",
	  "DELETE FROM an_tp WHERE org_id = ? AND grain = ? AND day = ? "
	  "AND client = ? AND touchpoint_id = ? AND problem = ?" },
};

static int
put_msgs(struct sink *k, const struct row *r, struct err *e)
{
	struct db_stmt *s;
	const char     *g = row_grain(r);
	int64_t		count = 0;
	int		i = r->t == T_TP;

	s = db_prepare(k->db, msg_sql[i].upsert, "itttiiiiii", r->org, g,
	    r->day, r->s[0], r->k[0], r->k[1], r->v[0], r->v[1], r->v[2],
	    r->v[3]);
	if (upsert_step(k->db, s, &count, NULL, e) != 0)
		return -1;
	if (count > 0)
		return 0;
	return run(k->db, db_run(k->db, NULL, msg_sql[i].del, "ittt" "ii",
	    r->org, g, r->day, r->s[0], r->k[0], r->k[1]), e);
}

/* an_std: s = client, channel, standard; k = unit_id. */
static int
put_std(struct sink *k, const struct row *r, struct err *e)
{
	struct db_stmt *s;
	const char     *g = row_grain(r);
	int64_t		count = 0;

	s = db_prepare(k->db, "INSERT INTO an_std (org_id, grain, day, client, "
	    "channel, unit_id, standard, kept, breached) VALUES (?, ?, ?, ?, "
	    "?, ?, ?, ?, ?) ON CONFLICT (org_id, grain, day, client, channel, "
	    "unit_id, standard) DO UPDATE SET "
	    "kept = an_std.kept + excluded.kept, "
	    "breached = an_std.breached + excluded.breached "
	    "RETURNING kept + breached", "itttt" "itii", r->org, g, r->day,
	    r->s[0], r->s[1], r->k[0], r->s[2], r->v[0], r->v[1]);
	if (upsert_step(k->db, s, &count, NULL, e) != 0)
		return -1;
	if (count > 0)
		return 0;
	return run(k->db, db_run(k->db, NULL, "DELETE FROM an_std WHERE "
	    "org_id = ? AND grain = ? AND day = ? AND client = ? AND "
	    "channel = ? AND unit_id = ? AND standard = ?", "itttt" "it",
	    r->org, g, r->day, r->s[0], r->s[1], r->k[0], r->s[2]), e);
}

/*
 * an_srv: s = client, dim, value, question; v = n, r1 … r5.  Responses
 * are never taken out, so a row never falls to zero.
 */
static int
put_srv(struct sink *k, const struct row *r, struct err *e)
{
	return run(k->db, db_run(k->db, NULL, "INSERT INTO an_srv (org_id, "
	    "grain, day, client, dim, value, question, n, r1, r2, r3, r4, r5) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
	    "(org_id, grain, dim, day, client, value, question) DO UPDATE SET "
	    "n = an_srv.n + excluded.n, "
	    "r1 = an_srv.r1 + excluded.r1, r2 = an_srv.r2 + excluded.r2, "
	    "r3 = an_srv.r3 + excluded.r3, r4 = an_srv.r4 + excluded.r4, "
	    "r5 = an_srv.r5 + excluded.r5", "itttt" "tt" "iiiiii", r->org,
	    row_grain(r), r->day, r->s[0], r->s[1], r->s[2], r->s[3], r->v[0],
	    r->v[1], r->v[2], r->v[3], r->v[4], r->v[5]), e);
}

static int
put_db(struct sink *k, const struct row *r, struct err *e)
{
	switch (r->t) {
	case T_FB:
		return put_fb(k, r, e);
	case T_HIST:
		return put_hist(k, r, e);
	case T_TOPIC:
	case T_TP:
		return put_msgs(k, r, e);
	case T_STD:
		return put_std(k, r, e);
	case T_SRV:
		return put_srv(k, r, e);
	}
	return err_set(e, EXIT_SOFTWARE, "rollup: no table %d", (int)r->t);
}

/* ------------------------------------------------------------------ */
/* The rebuild's sink: sums in memory */

/*
 * The hash of a row's key, eight bytes at a time: a rebuild hashes a row
 * for every delta, tens of millions of them, and a byte at a time was a
 * tenth of its time.
 */
static uint64_t
mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

static uint64_t
mix_str(uint64_t h, const char *s)
{
	uint64_t w;
	size_t	 n = strlen(s), i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = mix(h, w);
	}
	w = 0;
	memcpy(&w, s + i, n - i);
	/* The length in the top byte, which the tail never fills. */
	return mix(h, w ^ ((uint64_t)n << 56));
}

static uint64_t
row_hash(const struct row *r)
{
	uint64_t h = mix(0, (uint64_t)r->t);
	int	 i;

	h = mix(h, (uint64_t)r->org);
	h = mix_str(h, r->day);
	for (i = 0; i < NS; i++)
		h = mix_str(h, str0(r->s[i]));
	for (i = 0; i < NK; i++)
		h = mix(h, (uint64_t)r->k[i]);
	return h;
}

static int
row_same(const struct row *a, const struct row *b)
{
	int i;

	if (a->t != b->t || a->org != b->org || strcmp(a->day, b->day) != 0 ||
	    memcmp(a->k, b->k, sizeof(a->k)) != 0)
		return 0;
	for (i = 0; i < NS; i++)
		if (strcmp(str0(a->s[i]), str0(b->s[i])) != 0)
			return 0;
	return 1;
}

static void
hash_grow(struct hash *h)
{
	uint32_t hv;
	size_t	 i, j;

	free(h->v);
	h->cap = h->cap == 0 ? 1024 : h->cap * 2;
	h->v = xcalloc(h->cap, sizeof(*h->v));
	for (i = 0; i < h->n; i++) {
		hv = (uint32_t)row_hash(&h->rows[i]);
		for (j = hv & (h->cap - 1); h->v[j].i != 0;
		    j = (j + 1) & (h->cap - 1))
			;
		h->v[j].h = hv;
		h->v[j].i = (uint32_t)i + 1;
	}
}

static void
hash_free(struct hash *h)
{
	size_t i;
	int    k;

	for (i = 0; i < h->n; i++)
		for (k = 0; k < NS; k++)
			free((char *)h->rows[i].s[k]);
	free(h->rows);
	free(h->v);
	memset(h, 0, sizeof(*h));
}

static int
put_hash(struct hash *h, const struct row *r, struct err *e)
{
	struct row *x;
	uint32_t    hv = (uint32_t)row_hash(r);
	size_t	    j;
	int	    i;

	if ((h->n + 1) * 2 > h->cap) {
		if (h->n >= REBUILD_ROWS_MAX)
			return err_set(e, EXIT_SOFTWARE, "rollup: more than "
			    "%zu rollup rows", REBUILD_ROWS_MAX);
		hash_grow(h);
	}
	for (j = hv & (h->cap - 1); h->v[j].i != 0; j = (j + 1) & (h->cap - 1))
		if (h->v[j].h == hv && row_same(&h->rows[h->v[j].i - 1], r))
			break;
	if (h->v[j].i == 0) {
		if (h->n == h->rcap) {
			h->rcap = h->rcap == 0 ? 1024 : h->rcap * 2;
			h->rows = xreallocarray(h->rows, h->rcap,
			    sizeof(*h->rows));
		}
		x = &h->rows[h->n];
		*x = *r;
		for (i = 0; i < NS; i++)
			x->s[i] = r->s[i] != NULL ? xstrdup(r->s[i]) : NULL;
		h->v[j].h = hv;
		h->v[j].i = (uint32_t)++h->n;
		return 0;
	}
	x = &h->rows[h->v[j].i - 1];
	for (i = 0; i < NV; i++) {
		if (r->t == T_FB && i == FB_MIN_MAX) {
			if (r->v[i] > x->v[i])
				x->v[i] = r->v[i];
		} else
			x->v[i] += r->v[i];
	}
	return 0;
}

static int
cmp_s(const char *a, const char *b)
{
	return strcmp(str0(a), str0(b));
}

static int
cmp_k(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

/*
 * The order of the tables' primary keys (0006-analysis.sql), so that a
 * rebuild appends to each table's b-tree instead of writing all over it.
 */
static int
row_cmp(const void *pa, const void *pb)
{
	const struct row *a = *(const struct row *const *)pa;
	const struct row *b = *(const struct row *const *)pb;
	int		  c;

	if ((c = cmp_k(a->t, b->t)) != 0 || (c = cmp_k(a->org, b->org)) != 0 ||
	    (c = strcmp(row_grain(a), row_grain(b))) != 0)
		return c;
	if (a->t == T_SRV) {
		/* (dim, day, client, value, question) */
		if ((c = cmp_s(a->s[1], b->s[1])) != 0 ||
		    (c = strcmp(a->day, b->day)) != 0 ||
		    (c = cmp_s(a->s[0], b->s[0])) != 0 ||
		    (c = cmp_s(a->s[2], b->s[2])) != 0)
			return c;
		return cmp_s(a->s[3], b->s[3]);
	}
	if ((c = strcmp(a->day, b->day)) != 0 ||
	    (c = cmp_s(a->s[0], b->s[0])) != 0)
		return c;
	switch (a->t) {
	case T_FB:		/* channel, kind */
		if ((c = cmp_s(a->s[1], b->s[1])) != 0)
			return c;
		return cmp_s(a->s[2], b->s[2]);
	case T_HIST:		/* channel, bucket */
		if ((c = cmp_s(a->s[1], b->s[1])) != 0)
			return c;
		return cmp_k(a->k[0], b->k[0]);
	case T_STD:		/* channel, unit_id, standard */
		if ((c = cmp_s(a->s[1], b->s[1])) != 0 ||
		    (c = cmp_k(a->k[0], b->k[0])) != 0)
			return c;
		return cmp_s(a->s[2], b->s[2]);
	default:		/* topic and reason, touchpoint and problem */
		if ((c = cmp_k(a->k[0], b->k[0])) != 0)
			return c;
		return cmp_k(a->k[1], b->k[1]);
	}
}

static int
put(struct sink *k, const struct row *r, struct err *e)
{
	return k->h != NULL ? put_hash(k->h, r, e) : put_db(k, r, e);
}


/*
 * A delta to its day row, then to its month row: the day first, for the
 * month's minutes_max is worked out from the day rows (fb_max_month).  A
 * rebuild sums the day rows only and the month rows from them once, at
 * the end (rebuild_write): the same sums, for half the work on the many
 * deltas.
 */
static int
put2(struct sink *k, struct row *r, struct err *e)
{
	if (put(k, r, e) != 0)
		return -1;
	if (k->h != NULL)
		return 0;
	r->day[7] = '\0';
	return put(k, r, e);
}

/* ------------------------------------------------------------------ */
/* A message's contribution */

/* day is "YYYY-MM-DD"; copied without snprintf, which showed in the
 * profile of a rebuild (a row is started for every delta). */
static void
row_start(struct row *r, enum tbl t, int64_t org, const char *day)
{
	size_t n = strnlen(day, sizeof(r->day) - 1);

	memset(r, 0, sizeof(*r));
	r->t = t;
	r->org = org;
	memcpy(r->day, day, n);
}

static int64_t
own_due(const struct fb_conf *c, const struct fb_msg *m, enum std_code k)
{
	const struct std_conf *sc = &c->std[k];

	if (sc->unit == STD_COUNT)
		return 0;
	return timer_deadline(c->cal, c->tz, &c->hours, m->received_at,
	    sc->amount, sc->unit, sc->working);
}

int
rollup_std_judge(const struct fb_conf *c, const struct fb_msg *m, int std,
    int64_t *over)
{
	const struct std_conf *sc = &c->std[std];
	int64_t		       done, due, limit, x = 0;
	int		       kept;

	switch (std) {
	case STD_ACK_WRITTEN:
		done = m->acknowledged_at;
		if (m->answered_at != 0 && (done == 0 || m->answered_at < done))
			done = m->answered_at;
		if (done == 0 || m->ack_due == 0)
			return -1;
		kept = done <= m->ack_due;
		x = (done - m->ack_due + 59) / 60;
		break;
	case STD_SOCIAL_MENTION:
	case STD_SOCIAL_APPEAL:
	case STD_ANSWER_59FZ:
	case STD_ANSWER_POS:
		if (m->answered_at == 0)
			return -1;
		if (std == STD_ANSWER_59FZ && m->extended && m->answer_due != 0)
			due = m->answer_due;
		else
			due = own_due(c, m, std);
		if (due == 0)
			return -1;
		kept = m->answered_at <= due;
		x = (m->answered_at - due + 59) / 60;
		break;
	case STD_PHONE_TRANSFERS:
		if (m->answered_at == 0 && m->closed_at == 0)
			return -1;
		kept = m->transfers <= sc->amount;
		x = m->transfers - sc->amount;
		break;
	case STD_RECEPTION_WAIT:
		if (m->wait_minutes < 0)
			return -1;
		limit = sc->amount;
		if (sc->unit == STD_HOURS)
			limit *= 60;
		else if (sc->unit == STD_DAYS || sc->unit == STD_WORKDAYS)
			limit *= 1440;
		kept = m->wait_minutes <= limit;
		x = m->wait_minutes - limit;
		break;
	default:
		return -1;
	}
	if (over != NULL)
		*over = kept ? 0 : x;
	return kept;
}

/* What an_topic and an_tp count of a message, under their keys. */
static void
msg_counts(struct row *r, const struct fb_msg *m, int sign)
{
	r->s[0] = m->client;
	r->v[0] = sign;
	r->v[1] = sign * (strcmp(m->kind, "complaint") == 0);
	r->v[2] = sign * (strcmp(m->kind, "complaint") == 0 ||
	    (m->rating >= 1 && m->rating <= 2) || m->solved == 0);
	r->v[3] = sign * (strcmp(m->outcome, "unsatisfied") == 0);
}

static int
fb_contrib(struct sink *k, const struct fb_conf *c, const struct fb_msg *m,
    int sign, struct err *e)
{
	enum std_code a[STD__COUNT];
	struct row    r;
	char	      day[11];
	int64_t	      minutes = 0;
	int	      i, n, answered, judged;

	date_format(date_local(m->received_at, c->tz), day);
	answered = m->answered_at != 0;
	if (answered)
		minutes = fb_minutes(m->registered_at, m->answered_at);

	row_start(&r, T_FB, m->org_id, day);
	r.s[0] = m->client;
	r.s[1] = m->channel;
	r.s[2] = m->kind;
	r.v[FB_MESSAGES] = sign;
	r.v[FB_ANSWERED] = sign * answered;
	r.v[FB_ON_TIME] = sign * (answered && m->answer_due != 0 &&
	    m->answered_at <= m->answer_due);
	r.v[FB_LATE] = sign * (answered && m->answer_due != 0 &&
	    m->answered_at > m->answer_due);
	r.v[FB_MIN_SUM] = sign * minutes;
	r.v[FB_MIN_MAX] = minutes;
	r.v[FB_SATISFIED] = sign * (strcmp(m->outcome, "satisfied") == 0);
	r.v[FB_UNSATISFIED] = sign * (strcmp(m->outcome, "unsatisfied") == 0);
	if (put2(k, &r, e) != 0)
		return -1;

	if (answered) {
		row_start(&r, T_HIST, m->org_id, day);
		r.s[0] = m->client;
		r.s[1] = m->channel;
		r.k[0] = rollup_bucket(minutes);
		r.v[0] = sign;
		if (put2(k, &r, e) != 0)
			return -1;
	}

	row_start(&r, T_TOPIC, m->org_id, day);
	msg_counts(&r, m, sign);
	r.k[0] = m->topic_id;
	r.k[1] = m->reason_id;
	if (put2(k, &r, e) != 0)
		return -1;

	row_start(&r, T_TP, m->org_id, day);
	msg_counts(&r, m, sign);
	r.k[0] = m->touchpoint_id;
	r.k[1] = m->reason_id != 0 ? m->reason_id : m->topic_id;
	if (put2(k, &r, e) != 0)
		return -1;

	n = std_applies(m->channel, m->kind, m->source, a);
	for (i = 0; i < n; i++) {
		if (!c->std[a[i]].enabled ||
		    (judged = rollup_std_judge(c, m, a[i], NULL)) < 0)
			continue;
		row_start(&r, T_STD, m->org_id, day);
		r.s[0] = m->client;
		r.s[1] = m->channel;
		r.s[2] = std_defs[a[i]].code;
		r.k[0] = m->unit_id;
		r.v[0] = sign * (judged == 1);
		r.v[1] = sign * (judged == 0);
		if (put2(k, &r, e) != 0)
			return -1;
	}
	return 0;
}

int
rollup_fb_apply(struct db *db, const struct fb_conf *c,
    const struct fb_msg *m, int sign, struct err *e)
{
	struct sink k;

	if (c == NULL || m->org_id != c->org_id)
		return err_set(e, EXIT_SOFTWARE, "rollup: message %lld is not "
		    "of the organization %lld", (long long)m->id,
		    (long long)(c != NULL ? c->org_id : 0));
	memset(&k, 0, sizeof(k));
	k.db = db;
	k.c = c;
	k.m = m;
	return fb_contrib(&k, c, m, sign < 0 ? -1 : 1, e);
}

/* ------------------------------------------------------------------ */
/* A survey response's contribution */

/* What a response's ratings are counted under: its (dim, value) rows. */
struct srv_key {
	int64_t	    org;
	const char *day;
	const char *client;
	const char *dim[SRV_DIMS];
	const char *value[SRV_DIMS];
	int	    n;
	char	    tp[24];	/* the touchpoint's id as text */
};

/* The form of interaction an instrument's standard asks about. */
static const char *
srv_form(const char *standard)
{
	if (standard == NULL)
		return "";
	if (strcmp(standard, "services") == 0)
		return "service";
	if (strcmp(standard, "appeals") == 0 ||
	    strcmp(standard, "information") == 0 ||
	    strcmp(standard, "internal") == 0)
		return standard;
	return "";
}

static void
srv_dim(struct srv_key *sk, const char *dim, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	sk->dim[sk->n] = dim;
	sk->value[sk->n] = value;
	sk->n++;
}

/*
 * The rows of 0006-analysis.sql: 'all' and 'touchpoint' always, the
 * others when the response has a value for them.  The strings must
 * outlive the key.
 */
static void
srv_dims(struct srv_key *sk, const char *form, int64_t touchpoint_id,
    int offline, const char *service, const char *situation,
    const char *segment)
{
	sk->n = 0;
	sk->dim[sk->n] = "all";
	sk->value[sk->n++] = "";
	if (touchpoint_id != 0)
		snprintf(sk->tp, sizeof(sk->tp), "%lld",
		    (long long)touchpoint_id);
	else
		snprintf(sk->tp, sizeof(sk->tp), "%s",
		    offline ? "paper" : "online");
	srv_dim(sk, "touchpoint", sk->tp);
	srv_dim(sk, "service", service);
	srv_dim(sk, "situation", situation);
	srv_dim(sk, "segment", segment);
	srv_dim(sk, "form", form);
}

/* One rating: the one function both sinks get a response's counts from. */
static int
srv_contrib(struct sink *k, const struct srv_key *sk, const char *question,
    int rating, struct err *e)
{
	struct row r;
	int	   i;

	if (rating < 1 || rating > SRV_SCALE)
		return 0;
	for (i = 0; i < sk->n; i++) {
		row_start(&r, T_SRV, sk->org, sk->day);
		r.s[0] = sk->client;
		r.s[1] = sk->dim[i];
		r.s[2] = sk->value[i];
		r.s[3] = question;
		r.v[0] = 1;
		r.v[rating] = 1;
		if (put2(k, &r, e) != 0)
			return -1;
	}
	return 0;
}

int
rollup_srv_apply(struct db *db, const struct srv_def *d,
    const struct srv_resp *resp, struct err *e)
{
	struct db_stmt		  *s;
	struct sink		   k;
	struct srv_key		   sk;
	const struct srv_question *q;
	const char		  *segment = NULL;
	char			   form[16], client[12];
	size_t			   i;
	int			   r;

	s = db_prepare(db, "SELECT standard, client FROM srv_instrument "
	    "WHERE id = ? AND org_id = ?", "ii", resp->instrument_id,
	    resp->org_id);
	if (s == NULL || (r = db_step(s)) == DB_FAIL) {
		db_finalize(s);
		return err_set(e, EXIT_IOERR, "rollup: %s", db_errmsg(db));
	}
	if (r != DB_ROW) {
		db_finalize(s);
		return err_set(e, EXIT_SOFTWARE, "rollup: no instrument %lld",
		    (long long)resp->instrument_id);
	}
	snprintf(form, sizeof(form), "%s", srv_form(db_col_text(s, 0)));
	snprintf(client, sizeof(client), "%s", str0(db_col_text(s, 1)));
	db_finalize(s);

	for (i = 0; i < d->nq && i < resp->nitems; i++) {
		q = &d->q[i];
		if (strcmp(q->code, "segment") == 0 &&
		    (q->type == SRV_SINGLE || q->type == SRV_MULTI) &&
		    resp->items[i].nchoices > 0) {
			segment = resp->items[i].choices[0];
			break;
		}
	}
	memset(&sk, 0, sizeof(sk));
	sk.org = resp->org_id;
	sk.day = resp->day;
	sk.client = client;
	srv_dims(&sk, form, resp->touchpoint_id, resp->offline,
	    resp->service, resp->situation, segment);
	memset(&k, 0, sizeof(k));
	k.db = db;
	for (i = 0; i < d->nq && i < resp->nitems; i++)
		if (d->q[i].type == SRV_RATING &&
		    srv_contrib(&k, &sk, d->q[i].code, resp->items[i].rating,
		    e) != 0)
			return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Rebuild */

struct progress {
	void	(*fn)(void *, int64_t, int64_t);
	void	 *arg;
	int64_t	  done, total;
};

static void
tick(struct progress *p)
{
	if (++p->done % PROGRESS_EVERY == 0 && p->fn != NULL)
		p->fn(p->arg, p->done, p->total);
}

static int
count_rows(struct db *db, const char *all, const char *one, int64_t org_id,
    int64_t *n, struct err *e)
{
	struct db_stmt *s;

	s = org_id != 0 ? db_prepare(db, one, "i", org_id)
			: db_prepare(db, all, "");
	if (s == NULL || db_step(s) != DB_ROW) {
		db_finalize(s);
		return err_set(e, EXIT_IOERR, "rollup: %s", db_errmsg(db));
	}
	*n = db_col_int(s, 0);
	db_finalize(s);
	return 0;
}

static void
col_code(struct db_stmt *s, int i, char *out, size_t size)
{
	snprintf(out, size, "%s", str0(db_col_text(s, i)));
}

/* The columns fb_contrib reads, as fb_get reads them (NULL as 0, "",
 * or -1 for wait_minutes and solved). */
#define REBUILD_MSG_COLS                                                     \
	"SELECT id, org_id, source, channel, kind, client, form, "            \
	"touchpoint_id, rating, topic_id, reason_id, outcome, received_at, " \
	"registered_at, acknowledged_at, answered_at, closed_at, ack_due, "  \
	"answer_due, extended, unit_id, transfers, wait_minutes, solved "    \
	"FROM fb_message "

static void
msg_read(struct db_stmt *s, struct fb_msg *m)
{
	fb_msg_init(m);
	m->id = db_col_int(s, 0);
	m->org_id = db_col_int(s, 1);
	col_code(s, 2, m->source, sizeof(m->source));
	col_code(s, 3, m->channel, sizeof(m->channel));
	col_code(s, 4, m->kind, sizeof(m->kind));
	col_code(s, 5, m->client, sizeof(m->client));
	col_code(s, 6, m->form, sizeof(m->form));
	m->touchpoint_id = db_col_int(s, 7);
	m->rating = (int)db_col_int(s, 8);
	m->topic_id = db_col_int(s, 9);
	m->reason_id = db_col_int(s, 10);
	col_code(s, 11, m->outcome, sizeof(m->outcome));
	m->received_at = db_col_int(s, 12);
	m->registered_at = db_col_int(s, 13);
	m->acknowledged_at = db_col_int(s, 14);
	m->answered_at = db_col_int(s, 15);
	m->closed_at = db_col_int(s, 16);
	m->ack_due = db_col_int(s, 17);
	m->answer_due = db_col_int(s, 18);
	m->extended = (int)db_col_int(s, 19);
	m->unit_id = db_col_int(s, 20);
	m->transfers = (int)db_col_int(s, 21);
	m->wait_minutes = db_col_null(s, 22) ? -1 : (int)db_col_int(s, 22);
	m->solved = db_col_null(s, 23) ? -1 : (int)db_col_int(s, 23);
}

static int
rebuild_messages(struct db *db, int64_t org_id, struct hash *h,
    struct progress *p, struct rollup_stats *st, struct err *e)
{
	struct db_stmt *s;
	struct fb_conf *c = NULL;
	struct fb_msg	m;
	struct sink	k;
	int		r;

	/*
	 * Sums do not depend on the order, so one organization's messages
	 * are read in the table's own order ("+org_id" keeps the planner
	 * off the index and a sort of every row); all organizations' by
	 * organization, for one fb_conf at a time.
	 */
	s = org_id != 0
	    ? db_prepare(db, REBUILD_MSG_COLS "WHERE +org_id = ?", "i", org_id)
	    : db_prepare(db, REBUILD_MSG_COLS "ORDER BY org_id", "");
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "rollup: %s", db_errmsg(db));
	memset(&k, 0, sizeof(k));
	k.h = h;
	while ((r = db_step(s)) == DB_ROW) {
		msg_read(s, &m);
		if (c == NULL || c->org_id != m.org_id) {
			fb_conf_free(c);
			if ((c = fb_conf_load(db, m.org_id, e)) == NULL)
				break;
		}
		k.c = c;
		k.m = &m;
		if (fb_contrib(&k, c, &m, 1, e) != 0)
			break;
		st->messages++;
		tick(p);
	}
	db_finalize(s);
	fb_conf_free(c);
	if (r == DB_FAIL)
		return err_set(e, EXIT_IOERR, "rollup: %s", db_errmsg(db));
	return r == DB_DONE ? 0 : -1;
}

/* A response's ratings as they are read, until the next response. */
struct resp_acc {
	int64_t	       id;
	struct srv_key sk;
	int64_t	       touchpoint_id;
	int	       offline;
	char	       day[11], client[12], form[16];
	char	      *service, *situation, *segment;
	char	     **question;
	int	      *rating;
	size_t	       n, cap;
};

static void
acc_reset(struct resp_acc *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->question[i]);
	free(a->service);
	free(a->situation);
	free(a->segment);
	a->service = a->situation = a->segment = NULL;
	a->n = 0;
	a->id = 0;
}

static int
acc_flush(struct resp_acc *a, struct sink *k, struct err *e)
{
	size_t i;

	if (a->id == 0)
		return 0;
	a->sk.day = a->day;
	a->sk.client = a->client;
	srv_dims(&a->sk, a->form, a->touchpoint_id, a->offline, a->service,
	    a->situation, a->segment);
	for (i = 0; i < a->n; i++)
		if (srv_contrib(k, &a->sk, a->question[i], a->rating[i],
		    e) != 0)
			return -1;
	acc_reset(a);
	return 0;
}

/*
 * The columns of a response and of those of its answers that count: the
 * ratings and the choices of the question coded "segment", in the order
 * they were stored (the first choice is the segment, as
 * rollup_srv_apply takes it).
 */
#define REBUILD_SRV                                                          \
	"SELECT r.id, r.org_id, r.day, i.standard, i.client, r.touchpoint_id, " \
	"r.service, r.situation, r.offline, a.question, a.rating, a.choice "  \
	"FROM srv_response r JOIN srv_instrument i ON i.id = r.instrument_id " \
	"JOIN srv_answer a ON a.response_id = r.id WHERE (a.rating IS NOT "   \
	"NULL OR (a.question = 'segment' AND a.choice IS NOT NULL)) "

static void
acc_start(struct resp_acc *a, struct db_stmt *s)
{
	a->id = db_col_int(s, 0);
	memset(&a->sk, 0, sizeof(a->sk));
	a->sk.org = db_col_int(s, 1);
	col_code(s, 2, a->day, sizeof(a->day));
	snprintf(a->form, sizeof(a->form), "%s", srv_form(db_col_text(s, 3)));
	col_code(s, 4, a->client, sizeof(a->client));
	a->touchpoint_id = db_col_int(s, 5);
	a->service = db_col_null(s, 6) ? NULL : db_col_dup(s, 6);
	a->situation = db_col_null(s, 7) ? NULL : db_col_dup(s, 7);
	a->offline = db_col_int(s, 8) != 0;
}

static void
acc_add(struct resp_acc *a, struct db_stmt *s)
{
	if (db_col_null(s, 10)) {
		if (a->segment == NULL)
			a->segment = db_col_dup(s, 11);
		return;
	}
	if (a->n == a->cap) {
		a->cap = a->cap == 0 ? 16 : a->cap * 2;
		a->question = xreallocarray(a->question, a->cap,
		    sizeof(*a->question));
		a->rating = xreallocarray(a->rating, a->cap,
		    sizeof(*a->rating));
	}
	a->question[a->n] = db_col_dup(s, 9);
	a->rating[a->n] = (int)db_col_int(s, 10);
	a->n++;
}

static int
rebuild_responses(struct db *db, int64_t org_id, struct hash *h,
    struct progress *p, struct rollup_stats *st, struct err *e)
{
	struct db_stmt *s;
	struct resp_acc a;
	struct sink	k;
	int		r, bad = 0;

	s = org_id != 0
	    ? db_prepare(db, REBUILD_SRV "AND r.org_id = ? ORDER BY r.id, "
		  "a.rowid", "i", org_id)
	    : db_prepare(db, REBUILD_SRV "ORDER BY r.id, a.rowid", "");
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "rollup: %s", db_errmsg(db));
	memset(&a, 0, sizeof(a));
	memset(&k, 0, sizeof(k));
	k.h = h;
	while ((r = db_step(s)) == DB_ROW) {
		if (db_col_int(s, 0) != a.id) {
			if (acc_flush(&a, &k, e) != 0) {
				bad = 1;
				break;
			}
			acc_start(&a, s);
			st->responses++;
			tick(p);
		}
		acc_add(&a, s);
	}
	db_finalize(s);
	if (!bad && r == DB_DONE && acc_flush(&a, &k, e) != 0)
		bad = 1;
	acc_reset(&a);
	free(a.question);
	free(a.rating);
	if (r == DB_FAIL)
		return err_set(e, EXIT_IOERR, "rollup: %s", db_errmsg(db));
	return bad ? -1 : 0;
}

static int
rebuild_clear(struct db *db, int64_t org_id, struct err *e)
{
	static const char *const del_all[] = {
		"DELETE FROM an_fb", "DELETE FROM an_fb_hist",
		"DELETE FROM an_topic", "DELETE FROM an_tp",
		"DELETE FROM an_std", "DELETE FROM an_srv",
	};
	static const char *const del_org[] = {
		"DELETE FROM an_fb WHERE org_id = ?",
		"DELETE FROM an_fb_hist WHERE org_id = ?",
		"DELETE FROM an_topic WHERE org_id = ?",
		"DELETE FROM an_tp WHERE org_id = ?",
		"DELETE FROM an_std WHERE org_id = ?",
		"DELETE FROM an_srv WHERE org_id = ?",
	};
	size_t i;
	int    r;

	for (i = 0; i < sizeof(del_all) / sizeof(del_all[0]); i++) {
		r = org_id != 0 ? db_run(db, NULL, del_org[i], "i", org_id)
				: db_run(db, NULL, del_all[i], "");
		if (r != 0)
			return err_set(e, EXIT_IOERR, "rollup: %s",
			    db_errmsg(db));
	}
	return 0;
}

/*
 * The month rows summed from the day rows (put2), then every row written
 * in the order of its table's key.
 */
static int
rebuild_write(struct db *db, struct hash *h, struct rollup_stats *st,
    struct err *e)
{
	struct sink  k;
	struct row **order, m;
	size_t	     i, ndays = h->n;
	int	     r = 0;

	for (i = 0; i < ndays; i++) {
		m = h->rows[i];
		m.day[7] = '\0';
		if (put_hash(h, &m, e) != 0)
			return -1;
	}
	order = xreallocarray(NULL, h->n > 0 ? h->n : 1, sizeof(*order));
	for (i = 0; i < h->n; i++)
		order[i] = &h->rows[i];
	qsort(order, h->n, sizeof(*order), row_cmp);
	memset(&k, 0, sizeof(k));
	k.db = db;
	for (i = 0; i < h->n && r == 0; i++)
		if ((r = put_db(&k, order[i], e)) == 0)
			st->rows++;
	free(order);
	return r;
}

int
rollup_rebuild(struct db *db, int64_t org_id, struct rollup_stats *st,
    void (*progress)(void *, int64_t, int64_t), void *arg, struct err *e)
{
	struct rollup_stats mine;
	struct progress	    p;
	struct hash	    h;
	int64_t		    nm, nr;
	int		    r = -1;

	if (st == NULL)
		st = &mine;
	memset(st, 0, sizeof(*st));
	memset(&h, 0, sizeof(h));
	memset(&p, 0, sizeof(p));
	p.fn = progress;
	p.arg = arg;
	if (db_begin(db) != 0)
		return err_set(e, EXIT_IOERR, "rollup: %s", db_errmsg(db));
	if (count_rows(db, "SELECT COUNT(*) FROM fb_message",
	    "SELECT COUNT(*) FROM fb_message WHERE org_id = ?", org_id, &nm,
	    e) != 0 ||
	    count_rows(db, "SELECT COUNT(*) FROM srv_response",
	    "SELECT COUNT(*) FROM srv_response WHERE org_id = ?", org_id, &nr,
	    e) != 0)
		goto out;
	p.total = nm + nr;
	if (rebuild_clear(db, org_id, e) != 0 ||
	    rebuild_messages(db, org_id, &h, &p, st, e) != 0 ||
	    rebuild_responses(db, org_id, &h, &p, st, e) != 0 ||
	    rebuild_write(db, &h, st, e) != 0)
		goto out;
	if (progress != NULL)
		progress(arg, p.total, p.total);
	if (db_commit(db) != 0) {
		err_set(e, EXIT_IOERR, "rollup: %s", db_errmsg(db));
		goto out;
	}
	r = 0;
out:
	if (r != 0)
		db_rollback(db);
	hash_free(&h);
	return r;
}

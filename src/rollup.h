/*
 * Rollups (DESIGN.md, read path): the tables of 0006-analysis.sql that
 * reports read, kept up to date inside the transaction that changes the
 * detail rows, and rebuilt from those rows on demand.
 *
 * One mechanism serves both: a detail row's contribution is worked out
 * once, in C (rollup_fb_apply, rollup_srv_apply), as a set of deltas to
 * rollup keys.  Kept up to date, the deltas go straight into the tables
 * (a message's old contribution is taken out before a change and its new
 * one put in after).  Rebuilt, the same deltas of every detail row are
 * summed in memory and written once.  Rebuilt therefore equals
 * incremental by construction, and a test checks it on random data.
 */
#ifndef OTKLIK_ROLLUP_H
#define OTKLIK_ROLLUP_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct err;
struct fb_conf;
struct fb_msg;
struct srv_def;
struct srv_resp;

/*
 * The time-to-answer histogram: buckets of relative width, so that any
 * percentile read from merged buckets is within ROLLUP_ALPHA (2 %) of the
 * exact nearest-rank percentile of the same answers (log-spaced buckets
 * with ratio gamma = (1 + alpha) / (1 - alpha), the value of a bucket
 * taken at 2 gamma^k / (gamma + 1)).  Bucket 0 holds answers within the
 * minute (0 minutes, reported as 0 exactly); times beyond the last
 * bucket (about 16 years) count in the last one.
 */
#define ROLLUP_ALPHA	0.02
#define ROLLUP_BUCKETS	400
int	rollup_bucket(int64_t minutes);		/* 0 … ROLLUP_BUCKETS - 1 */
double	rollup_bucket_value(int bucket);	/* the estimate for a bucket */
/*
 * The q-quantile (0 < q <= 1) of a histogram of n values by nearest rank:
 * the value of the bucket holding the ceil(q * n)-th smallest.  -1 when
 * the histogram is empty.
 */
double	rollup_quantile(const int64_t hist[ROLLUP_BUCKETS], double q);

/*
 * The rollup rows a period of days (from..to, inclusive) reads, as at
 * most three spans of one grain each, in order: the day rows ('d') of a
 * month covered in part at the start, the month rows ('m', lo and hi
 * "YYYY-MM") of the months covered whole, the day rows of a month
 * covered in part at the end.  Returns how many spans (1 to 3).  A
 * reader runs its query once per span (grain = ? AND day BETWEEN ? AND
 * ?) and adds the results up.
 */
struct rollup_span {
	char grain[2];		/* "d" or "m" */
	char lo[11], hi[11];
};
int	rollup_spans(int32_t from, int32_t to, struct rollup_span out[3]);

/*
 * A message's contribution, added (sign +1) or taken out (sign -1), in
 * the caller's open transaction.  The day is the local date of
 * received_at in c->tz.  The standards that apply (std_applies) are
 * judged kept or breached once their timer has stopped: acknowledgement
 * by acknowledged_at against ack_due, the answer standards by
 * answered_at against answer_due, phone transfers by count, the reception
 * wait by wait_minutes.  Returns 0, or -1 with the error.
 */
int rollup_fb_apply(struct db *, const struct fb_conf *, const struct fb_msg *,
    int sign, struct err *);

/*
 * Whether a message kept a standard (enum std_code of feedback_timer.h)
 * that applies to it: 1 kept, 0 breached, -1 not judged while its timer
 * runs; on a breach *over (when not NULL) gets by how much: minutes, or
 * transfers for the phone.  The rules are at the top of rollup.c; the
 * report's list of breaches uses them too, so list and counts agree.
 */
int rollup_std_judge(const struct fb_conf *, const struct fb_msg *, int std,
    int64_t *over);

/*
 * A survey response's contribution, added in the caller's open
 * transaction right after srv_response_insert stored it: one count per
 * rating answered, under the instrument's client and form, the
 * response's touchpoint, service, situation, day, offline flag and
 * segment (the option chosen for the question coded "segment", '' if
 * none).  Responses are never changed, so there is no taking out.
 */
int rollup_srv_apply(struct db *, const struct srv_def *,
    const struct srv_resp *, struct err *);

/*
 * Rebuilds every rollup of one organization (org_id > 0) or of all
 * (org_id 0) from the detail rows, in one transaction of its own.
 * Progress, when not NULL, is called now and then with rows done and
 * rows in all.  Returns 0, or -1 with the error (and nothing changed).
 */
struct rollup_stats {
	int64_t messages;	/* detail rows read */
	int64_t responses;
	int64_t rows;		/* rollup rows written */
};
int rollup_rebuild(struct db *, int64_t org_id, struct rollup_stats *,
    void (*progress)(void *, int64_t done, int64_t total), void *arg,
    struct err *);

#endif

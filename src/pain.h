/*
 * The pain map of R-AN-4 [003 §3.3–3.4] (pain.c): problems gathered from
 * complaints, negative messages (by topic and reason) and low survey
 * ratings, each tied to a touchpoint, measured over a period from the
 * rollups, ranked by a documented score; what people decide about each
 * (cause, measure, responsible unit, due date, state) is kept in an_pain,
 * and the working group's confirmation of the order of reengineering in
 * an_pain_decision.  Every change is audited.
 *
 * The score (docs/reports.md gives it with an example):
 *   weight of a signal: an unsatisfied complaint 3, another complaint 2,
 *   another negative message 1, a survey rating of 1 → 2, of 2 → 1;
 *   W = the sum of the weights of the problem's signals in the period;
 *   reach R = signals / contacts at the touchpoint in the period
 *   (messages plus rated responses; 1 at most, 0 without a touchpoint);
 *   score = W × (1 + R).
 * Ties rank by more signals, then by touchpoint and key.  A problem
 * entered by hand (source 'manual') has no signals and ranks after
 * measured ones, in the order entered; so does a stored problem without
 * signals in the period (decided on in an earlier one).
 */
#ifndef OTKLIK_PAIN_H
#define OTKLIK_PAIN_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct err;
struct report;

#define PAIN_TEXT_MAX 2000	/* bytes of cause, measure, title */

struct pain {
	int64_t id;		/* 0: measured but nothing decided yet */
	char	client[12];
	int64_t touchpoint_id;	/* 0: none */
	char   *touchpoint;	/* its name in the current registry, or NULL */
	char	source[8];	/* topic, rating, manual */
	char   *ref;		/* fb_topic id as text, or the question code */
	char   *title;		/* the topic's or reason's title, the question's */
	char   *segment;
	char   *journey_step;
	char   *cause;
	char   *measure;
	int64_t unit_id;
	char   *unit;		/* the unit's name, or NULL */
	char	due[11];	/* YYYY-MM-DD or "" */
	char	state[12];	/* open, planned, in_work, done, rejected */

	/* Figures over the period asked for. */
	int64_t complaints;
	int64_t negative;	/* negative messages, complaints included */
	int64_t low_ratings;	/* ratings of 1 and 2 */
	int64_t signals;	/* negative + low_ratings */
	int64_t contacts;	/* at the touchpoint: messages + rated responses */
	double	weight;		/* W */
	double	reach;		/* R */
	double	score;
	int	rank;		/* 1 = first to reengineer */
};

/* The map for a period, ranked (rank 1 first).  Frees with pain_free. */
int  pain_map(struct db *, int64_t org_id, const char *client, int32_t from,
    int32_t to, struct pain **list, size_t *n, struct err *);
void pain_free(struct pain *, size_t n);

/*
 * Records what is decided about a problem, found by its key (client,
 * touchpoint, source, ref): the row is made on first use.  NULL leaves a
 * field as it is; "" clears it.  due is YYYY-MM-DD; state one of the
 * five; unit_id -1 leaves it, 0 clears it.  Errors name the field.
 * *id gets the problem's id.  Audited as "pain.update".
 */
struct pain_edit {
	const char *title;	/* required for a new 'manual' problem */
	const char *segment;
	const char *journey_step;
	const char *cause;
	const char *measure;
	int64_t	    unit_id;
	const char *due;
	const char *state;
};
int pain_set(struct db *, int64_t org_id, const char *actor,
    const char *client, int64_t touchpoint_id, const char *source,
    const char *ref, const struct pain_edit *, int64_t *id, struct err *);
/* The same by id. */
int pain_update(struct db *, int64_t org_id, const char *actor, int64_t id,
    const struct pain_edit *, struct err *);

/*
 * The working group confirms the order of reengineering: the map of the
 * period as ranked now is stored, every ranked problem without a row
 * gets one, and problems still 'open' become 'planned'.  minutes_ref
 * (the minutes' number and date) is required.  Audited as
 * "pain.confirm".  *id gets the decision's id.
 */
int pain_confirm(struct db *, int64_t org_id, const char *actor,
    const char *client, const char *period, int32_t from, int32_t to,
    const char *minutes_ref, const char *note, int64_t *id, struct err *);

struct pain_decision {
	int64_t id;
	char	client[12];
	char   *period;
	char   *ranking;	/* JSON [{"pain": id, "rank": n, "score": s, "title": t,
				   "signals": k}] */
	char   *minutes_ref;
	char   *note;
	int64_t decided_at;
	char   *decided_by;
};
int  pain_decisions(struct db *, int64_t org_id, struct pain_decision **,
    size_t *n, struct err *);
void pain_decisions_free(struct pain_decision *, size_t n);

/* The map as a report table ("pain"), for report_build (RW_PAIN,
 * RW_PUBLIC) and its outputs. */
int pain_report(struct db *, struct report *, struct err *);

#endif

/*
 * The service standards of R-FB-5 and their timers: which standards a
 * message falls under, when each is due on calendar or working time in
 * an organization's zone, and where a running timer stands.  Pure domain
 * code: no database, no HTTP; the calendar comes from cal.h.
 */
#ifndef OTKLIK_FEEDBACK_TIMER_H
#define OTKLIK_FEEDBACK_TIMER_H

#include <stddef.h>
#include <stdint.h>

struct cal;

/* An organization's working hours, minutes after local midnight; a shortened
 * (pre-holiday) day ends 60 minutes earlier (Labour Code art. 95). */
struct work_hours { int start; int end; };   /* default 540, 1080 */
#define WORK_HOURS_DEFAULT {540, 1080}

/*
 * 0 if the hours can be used: 0 <= start, end <= 1440, and a shortened
 * day still open (end - start > 60); else -1 with why filled.  The timer
 * functions take NULL or hours that fail this check as the default.
 */
int work_hours_check(const struct work_hours *, char *why, size_t whylen);

enum std_unit { STD_MINUTES, STD_HOURS, STD_DAYS, STD_WORKDAYS, STD_COUNT };
/* The unit as the database spells it: "minutes", "hours", "days",
 * "workdays", "count"; std_unit_from_code gives -1 if unknown. */
const char *std_unit_code(enum std_unit);
int	    std_unit_from_code(const char *);
/* The standards of R-FB-5. */
enum std_code {
	STD_ACK_WRITTEN,	/* written channels: acknowledge within 24 h */
	STD_SOCIAL_MENTION,	/* social networks/chats: answer a mention in 4 h */
	STD_SOCIAL_APPEAL,	/* ... an official appeal or a comment on an official post: 2 h */
	STD_PHONE_TRANSFERS,	/* phone: at most 2 transfers */
	STD_RECEPTION_WAIT,	/* personal reception: wait at most 15 min */
	STD_ANSWER_59FZ,	/* appeals under 59-FZ: answer in 30 days, extendable once by <= 30 */
	STD_ANSWER_POS,		/* the feedback platform (ПОС): answer in 8 days */
	STD__COUNT
};
struct std_def {
	const char   *code;	/* "ack_written", "social_mention", "social_appeal",
				   "phone_transfers", "reception_wait", "answer_59fz", "answer_pos" */
	const char   *title_ru, *title_en;
	int	      amount;	/* default limit */
	enum std_unit unit;
	int	      working;	/* default: 1 counts only working time (R-CAL) */
	const char   *basis;	/* "004 §17.2" etc., the seed paragraph */
};
extern const struct std_def std_defs[STD__COUNT];
int std_from_code(const char *);	/* -1 if unknown */

/* A standard as an organization configured it (may only tighten: amount <= default). */
struct std_conf { int amount; enum std_unit unit; int working; int enabled; };
void std_conf_default(enum std_code, struct std_conf *);
/*
 * 0, or -1 with why filled ("the limit may only be tightened: at most 24 hours").
 * Tightening: a smaller amount; minutes for hours; calendar days for
 * working days; calendar hours for working hours; for days, closing time
 * for the end of the day.  The statutory terms (59-FZ, the platform)
 * cannot be switched off; the recommendations of 004 can.
 */
int  std_conf_check(enum std_code, const struct std_conf *, char *why, size_t whylen);

/*
 * Which standards apply to a message: channel is an R-REG-1 channel code ("email",
 * "site", "pos", "post", "edms", "phone", "callcentre", "reception", "social",
 * "messenger", "chatbot", ... see src/registry.c channels[]), kind one of appeal,
 * complaint, request, comment, mention, post, proposal; source one of direct, pos,
 * epgu, survey, media.  Fills out[] (up to STD__COUNT) and returns the count.
 * Rules: written channels (site, email, pos, post, edms, app, api, mfc) -> ack_written;
 * social/messenger/chatbot: mention or post -> social_mention, appeal/complaint/
 * request/comment -> social_appeal; phone/callcentre -> phone_transfers;
 * reception/commission -> reception_wait; kind appeal/complaint/request on any channel
 * except social ones answered under social_* -> answer_59fz; source pos or channel pos
 * -> answer_pos.  The edge cases are decided and explained in
 * feedback_timer.c.  out[] is in the order of enum std_code; NULL
 * arguments count as unknown values.
 */
int std_applies(const char *channel, const char *kind, const char *source,
    enum std_code out[STD__COUNT]);

/*
 * The deadline of a time limit that starts at t0 (unix seconds) in zone tz:
 * STD_MINUTES/HOURS on calendar time add seconds; with working set they count only
 * working hours of working days of the calendar (shortened days end 60 min earlier),
 * starting from t0 or the next opening if t0 is outside hours.  STD_DAYS: calendar days,
 * the deadline is the end of the local day t0 + n days; if that day is not a working
 * day it moves to the end of the next working day (Civil Code art. 193).
 * STD_WORKDAYS: end of the n-th working day after t0's local day (cal_add).
 * "End of day" = the working day's closing time when working, else 23:59:59 local.
 * Returns the deadline in unix seconds.  A negative amount counts as 0;
 * STD_COUNT is no time limit and gives 0.
 */
int64_t timer_deadline(struct cal *, const char *tz, const struct work_hours *,
    int64_t t0, int amount, enum std_unit, int working);
/* Seconds of (working, if set) time from a to b; 0 if b <= a.  Moments
 * are taken within 1970-2100 (clamped), as everywhere here. */
int64_t timer_elapsed(struct cal *, const char *tz, const struct work_hours *,
    int64_t a, int64_t b, int working);

enum timer_state { TIMER_RUNNING, TIMER_DUE_SOON, TIMER_BREACHED, TIMER_MET, TIMER_MET_LATE };
/* State at "now" of a timer started at t0 with deadline due, stopped at done (0 if
 * still running).  Due soon: less than a quarter of the allowed span remains (span
 * measured in the same time as the timer: working or calendar).  A timer
 * stopped after "now" is still running at "now"; breached means now > due.
 * due 0 is no deadline: running until done, then met. */
enum timer_state timer_state(struct cal *, const char *tz, const struct work_hours *,
    int64_t t0, int64_t due, int64_t done, int64_t now, int working);
const char *timer_state_code(enum timer_state);	/* "running", "due_soon", ... */

/* 59-FZ art. 12 part 2: one extension by at most 30 days, with notice to the
 * applicant.  New deadline = old due + days (calendar days, moved off a day off as
 * above); 0, or -1 with why ("already extended once", "at most 30 days").
 * The new deadline keeps the old one's local time of day, except that a
 * deadline at closing time moves to the closing time of the new day. */
int timer_extend_59fz(struct cal *, const char *tz, const struct work_hours *,
    int64_t due, int days, int already_extended, int64_t *newdue, char *why, size_t whylen);

#endif

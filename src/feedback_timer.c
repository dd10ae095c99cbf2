/*
 * Service standards of R-FB-5 as timers.  The figures come from the
 * methodological recommendations (seed 004 §15-19, repeated in 001 §3.2),
 * the law on citizens' appeals (59-FZ) and the feedback platform; an
 * organization may only tighten them.  Deadlines are worked out in the
 * organization's zone on its working hours and production calendar, one
 * step per working day at most, so that a term of months stays cheap.
 */
#include <stdio.h>
#include <string.h>

#include "otklik.h"
#include "cal.h"
#include "feedback_timer.h"

/* No configured limit comes near this; it keeps the loops finite. */
#define TIMER_AMOUNT_MAX 100000

/*
 * Moments are taken within 1970-2100, the years the zone tables of
 * clock.c cover; outside them a time is a mistake, and clamping keeps a
 * walk over working days short and the arithmetic from overflowing.
 */
#define TIME_MIN ((int64_t)0)
#define TIME_MAX ((int64_t)4102444800)	/* 2100-01-01 */

/* 59-FZ art. 12 part 2: one extension, by at most 30 days. */
#define EXTEND_59FZ_MAX 30

/*
 * Written interaction acknowledges within 24 hours [004 §18.1]; social
 * networks answer in 4 hours a mention and in 2 hours an official appeal
 * or a comment on an official post [004 §15.3, 001 §3.2]; these are hours
 * of the working day, since the seeds ask the staff, not a robot, to
 * answer.  The phone passes a caller on at most twice [004 §17.1]; the
 * wait at reception is real time [004 §19.8].  59-FZ counts calendar days
 * (art. 12 part 1).  The platform's target is read as working days, like
 * the platform's own reports; an organization reading it as calendar days
 * tightens it to STD_DAYS.
 */
const struct std_def std_defs[STD__COUNT] = {
	[STD_ACK_WRITTEN] = {"ack_written",
	    "Уведомление о получении письменного обращения",
	    "Acknowledgement of a written message",
	    24, STD_HOURS, 1, "004 §18.1; 001 §3.2"},
	[STD_SOCIAL_MENTION] = {"social_mention",
	    "Ответ на упоминание в социальных сетях",
	    "Answer to a mention in social networks",
	    4, STD_HOURS, 1, "004 §15.3; 001 §3.2"},
	[STD_SOCIAL_APPEAL] = {"social_appeal",
	    "Ответ на официальное обращение или комментарий к записи в "
	    "социальных сетях",
	    "Answer to an official appeal or a comment on an official post "
	    "in social networks",
	    2, STD_HOURS, 1, "004 §15.3; 001 §3.2"},
	[STD_PHONE_TRANSFERS] = {"phone_transfers",
	    "Количество переключений на других сотрудников",
	    "Transfers of a caller to other staff",
	    2, STD_COUNT, 0, "004 §17.1; 001 §3.2"},
	[STD_RECEPTION_WAIT] = {"reception_wait",
	    "Время ожидания обслуживания при очном взаимодействии",
	    "Waiting time at personal reception",
	    15, STD_MINUTES, 0, "004 §19.8"},
	[STD_ANSWER_59FZ] = {"answer_59fz",
	    "Срок рассмотрения обращения (59-ФЗ)",
	    "Answer to an appeal under 59-FZ",
	    30, STD_DAYS, 0, "59-FZ art. 12"},
	[STD_ANSWER_POS] = {"answer_pos",
	    "Срок ответа на сообщение в ПОС",
	    "Answer on the feedback platform",
	    8, STD_WORKDAYS, 1, "R-FB-5"},
};

static const struct work_hours hours_default = WORK_HOURS_DEFAULT;

static int
fail(char *why, size_t len, const char *msg)
{
	if (why != NULL && len > 0)
		snprintf(why, len, "%s", msg);
	return -1;
}

int
work_hours_check(const struct work_hours *wh, char *why, size_t len)
{
	if (wh == NULL)
		return fail(why, len, "no working hours");
	if (wh->start < 0 || wh->start >= 1440)
		return fail(why, len, "the start must be from 00:00 to 23:59");
	if (wh->end <= wh->start || wh->end > 1440)
		return fail(why, len, "the end must be after the start, "
		    "at 24:00 at the latest");
	/* Art. 95: a shortened day loses an hour and must keep some. */
	if (wh->end - wh->start <= 60)
		return fail(why, len, "the working day must be longer than "
		    "an hour");
	return 0;
}

static const struct work_hours *
hours_or_default(const struct work_hours *wh)
{
	if (wh == NULL || work_hours_check(wh, NULL, 0) == -1)
		return &hours_default;
	return wh;
}

int
std_from_code(const char *code)
{
	int i;

	if (code == NULL)
		return -1;
	for (i = 0; i < STD__COUNT; i++)
		if (strcmp(std_defs[i].code, code) == 0)
			return i;
	return -1;
}

static const char *const unit_codes[] = {
	[STD_MINUTES] = "minutes",
	[STD_HOURS] = "hours",
	[STD_DAYS] = "days",
	[STD_WORKDAYS] = "workdays",
	[STD_COUNT] = "count",
};

const char *
std_unit_code(enum std_unit u)
{
	if ((unsigned)u >= nitems(unit_codes))
		return "unknown";
	return unit_codes[u];
}

int
std_unit_from_code(const char *code)
{
	size_t i;

	if (code == NULL)
		return -1;
	for (i = 0; i < nitems(unit_codes); i++)
		if (strcmp(unit_codes[i], code) == 0)
			return (int)i;
	return -1;
}

void
std_conf_default(enum std_code s, struct std_conf *sc)
{
	memset(sc, 0, sizeof(*sc));
	if ((unsigned)s >= STD__COUNT)
		return;
	sc->amount = std_defs[s].amount;
	sc->unit = std_defs[s].unit;
	sc->working = std_defs[s].working;
	sc->enabled = 1;
}

static const char *
unit_name(enum std_unit u, int64_t n)
{
	static const char *const one[] = {"minute", "hour", "day",
	    "working day", "transfer"};
	static const char *const many[] = {"minutes", "hours", "days",
	    "working days", "transfers"};

	if ((unsigned)u > STD_COUNT)
		return "?";
	return n == 1 ? one[u] : many[u];
}

/* "the limit may only be tightened: at most 24 hours" */
static int
looser(const struct std_def *d, char *why, size_t len)
{
	char msg[128];

	snprintf(msg, sizeof(msg), "the limit may only be tightened: at most "
	    "%d %s", d->amount, unit_name(d->unit, d->amount));
	return fail(why, len, msg);
}

static int
is_time_unit(enum std_unit u)
{
	return u == STD_MINUTES || u == STD_HOURS;
}

static int
is_day_unit(enum std_unit u)
{
	return u == STD_DAYS || u == STD_WORKDAYS;
}

/*
 * A limit is tighter when every deadline it gives comes no later.  Across
 * units only the safe moves are allowed: hours to minutes, working days
 * to calendar days (the n-th working day is never before day n, moved
 * off a day off).  Working time only lengthens a limit in hours, while
 * for days it ends the day at closing time instead of midnight.
 */
static int
check_time(const struct std_def *d, const struct std_conf *sc, char *why,
    size_t len)
{
	int64_t mine, dflt;

	if (!is_time_unit(sc->unit))
		return fail(why, len, "the unit must be minutes or hours");
	if (sc->amount < 1)
		return fail(why, len, "the limit must be at least 1");
	mine = (int64_t)sc->amount * (sc->unit == STD_HOURS ? 60 : 1);
	dflt = (int64_t)d->amount * (d->unit == STD_HOURS ? 60 : 1);
	if (mine > dflt)
		return looser(d, why, len);
	if (sc->working && !d->working)
		return fail(why, len, "the limit may only be tightened: it "
		    "counts calendar time, not working time");
	return 0;
}

static int
check_days(const struct std_def *d, const struct std_conf *sc, char *why,
    size_t len)
{
	if (!is_day_unit(sc->unit))
		return fail(why, len, "the unit must be days or working days");
	if (d->unit == STD_DAYS && sc->unit == STD_WORKDAYS)
		return fail(why, len, "the limit may only be tightened: "
		    "calendar days, not working days");
	if (sc->amount < 1)
		return fail(why, len, "the limit must be at least 1 day");
	if (sc->amount > d->amount)
		return looser(d, why, len);
	if (!sc->working && d->working)
		return fail(why, len, "the limit may only be tightened: the "
		    "last day ends at closing time, not at midnight");
	return 0;
}

int
std_conf_check(enum std_code s, const struct std_conf *sc, char *why,
    size_t len)
{
	const struct std_def *d;

	if ((unsigned)s >= STD__COUNT)
		return fail(why, len, "unknown standard");
	d = &std_defs[s];
	if (sc->enabled != 0 && sc->enabled != 1)
		return fail(why, len, "enabled must be 0 or 1");
	if (sc->working != 0 && sc->working != 1)
		return fail(why, len, "working must be 0 or 1");
	if ((unsigned)sc->unit > STD_COUNT)
		return fail(why, len, "unknown unit");
	/* Terms set by law or by the platform's rules are not optional. */
	if (!sc->enabled && s == STD_ANSWER_59FZ)
		return fail(why, len, "the term is set by law (59-FZ art. 12) "
		    "and cannot be switched off");
	if (!sc->enabled && s == STD_ANSWER_POS)
		return fail(why, len, "the feedback platform's term cannot be "
		    "switched off");
	if (sc->amount > TIMER_AMOUNT_MAX)
		return looser(d, why, len);
	if (d->unit == STD_COUNT) {
		if (sc->unit != STD_COUNT)
			return fail(why, len, "the limit is a number of "
			    "transfers");
		if (sc->amount < 0)
			return fail(why, len, "the limit cannot be negative");
		return sc->amount > d->amount ? looser(d, why, len) : 0;
	}
	if (is_time_unit(d->unit))
		return check_time(d, sc, why, len);
	return check_days(d, sc, why, len);
}

static int
in_list(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

static const char *const written_channels[] = {"site", "email", "pos",
    "post", "edms", "app", "api", "mfc", NULL};
static const char *const social_channels[] = {"social", "messenger",
    "chatbot", NULL};
static const char *const phone_channels[] = {"phone", "callcentre", "voice",
    NULL};
static const char *const inperson_channels[] = {"reception", "commission",
    "workplace", NULL};
static const char *const formal_kinds[] = {"appeal", "complaint", "request",
    NULL};
static const char *const addressed_kinds[] = {"appeal", "complaint",
    "request", "comment", "proposal", NULL};

/*
 * The rules of the header, with these edge cases decided:
 *
 * - A message from the platform (source pos) counts as sent on channel
 *   pos even when it came through the platform's form on an official page
 *   in a social network: it is answered on the platform's terms, not as a
 *   chat, so social_* give way to ack_written and answer_pos.
 * - Source media is content analysis [003 §2.1]: nobody wrote to the
 *   body, so nothing is acknowledged and 59-FZ does not apply; a mention
 *   found in a social network is still answered (004 §15.2 starts the
 *   interaction on a mention).
 * - Source survey: a questionnaire is not a letter; its form confirms
 *   receipt itself, so no ack_written.
 * - Chat-bots and personal chats (004 §16) have no figure of their own;
 *   they are answered like social networks.  A voice assistant belongs to
 *   the phone (004 §17.5): what counts is how often the caller is passed
 *   on.  A workplace visit of an internal client [001 §4.2] is in-person
 *   interaction, whose wait 004 §19.8 caps, like reception.
 * - On a social channel a proposal is addressed to the body (an appeal),
 *   and a kind not given or unknown is taken as a mention, the looser
 *   term, since nothing says it was an official appeal.
 * - 59-FZ covers oral appeals too (art. 4, art. 13), so an appeal by
 *   phone or at reception also runs the 30 days; a proposal is reported
 *   apart (R-FB-11) and a citizen's formal one is registered as an appeal.
 * - The platform's own term and 59-FZ may both run; the earlier governs.
 */
int
std_applies(const char *channel, const char *kind, const char *source,
    enum std_code out[STD__COUNT])
{
	int n = 0, social, media;

	if (channel == NULL)
		channel = "";
	if (kind == NULL)
		kind = "";
	if (source == NULL)
		source = "";
	if (strcmp(source, "pos") == 0)
		channel = "pos";
	media = strcmp(source, "media") == 0;
	social = in_list(channel, social_channels);
	if (in_list(channel, written_channels) && !media &&
	    strcmp(source, "survey") != 0)
		out[n++] = STD_ACK_WRITTEN;
	if (social)
		out[n++] = in_list(kind, addressed_kinds) ?
		    STD_SOCIAL_APPEAL : STD_SOCIAL_MENTION;
	if (in_list(channel, phone_channels))
		out[n++] = STD_PHONE_TRANSFERS;
	if (in_list(channel, inperson_channels))
		out[n++] = STD_RECEPTION_WAIT;
	if (in_list(kind, formal_kinds) && !social && !media)
		out[n++] = STD_ANSWER_59FZ;
	if (strcmp(channel, "pos") == 0)
		out[n++] = STD_ANSWER_POS;
	return n;
}

static int64_t
clamp_time(int64_t t)
{
	return t < TIME_MIN ? TIME_MIN : t > TIME_MAX ? TIME_MAX : t;
}

/* The moment a local time of a day is reached in the zone. */
static int64_t
local_to_utc(int32_t day, int sec, const char *tz)
{
	int64_t local = (int64_t)day * 86400 + sec;

	/* The offset at the moment found with the offset at "local" as UTC. */
	return local - tz_offset(local - tz_offset(local, tz), tz);
}

/* Seconds after local midnight at which a working day closes. */
static int
closing(struct cal *c, const struct work_hours *wh, int32_t d)
{
	return (cal_is_short(c, d) ? wh->end - 60 : wh->end) * 60;
}

/* The working hours of a day as [*a, *b) in unix seconds; 0 on a day off. */
static int
day_window(struct cal *c, const char *tz, const struct work_hours *wh,
    int32_t d, int64_t *a, int64_t *b)
{
	if (!cal_is_working(c, d))
		return 0;
	*a = local_to_utc(d, wh->start * 60, tz);
	*b = local_to_utc(d, closing(c, wh, d), tz);
	return *b > *a;
}

/* The end of a day: closing time on working time, else 23:59:59. */
static int64_t
day_end(struct cal *c, const char *tz, const struct work_hours *wh,
    int32_t d, int working)
{
	return local_to_utc(d, working ? closing(c, wh, d) : 86399, tz);
}

/* Civil Code art. 193: a term ending on a day off ends on the next
 * working day. */
static int32_t
off_day_moved(struct cal *c, int32_t d)
{
	return cal_is_working(c, d) ? d : cal_add(c, d, 1);
}

/*
 * need seconds of working time from t0: one step per working day, the
 * days off between skipped at once by cal_add.
 */
static int64_t
add_working(struct cal *c, const char *tz, const struct work_hours *wh,
    int64_t t0, int64_t need)
{
	int32_t d = date_local(t0, tz), next;
	int64_t a, b, from;

	if (need <= 0)
		return t0;
	for (;;) {
		if (day_window(c, tz, wh, d, &a, &b)) {
			from = t0 > a ? t0 : a;
			if (from < b) {
				if (need <= b - from)
					return from + need;
				need -= b - from;
			}
		}
		/* At the calendar's last day (year 9999) time runs out. */
		if ((next = cal_add(c, d, 1)) <= d)
			return day_end(c, tz, wh, d, 0);
		d = next;
	}
}

int64_t
timer_deadline(struct cal *c, const char *tz, const struct work_hours *wh,
    int64_t t0, int amount, enum std_unit unit, int working)
{
	int64_t secs;
	int32_t d;

	wh = hours_or_default(wh);
	t0 = clamp_time(t0);
	if (amount < 0)
		amount = 0;
	if (amount > TIMER_AMOUNT_MAX)
		amount = TIMER_AMOUNT_MAX;
	switch (unit) {
	case STD_MINUTES:
		secs = (int64_t)amount * 60;
		break;
	case STD_HOURS:
		secs = (int64_t)amount * 3600;
		break;
	case STD_DAYS:
		d = off_day_moved(c, date_local(t0, tz) + amount);
		return day_end(c, tz, wh, d, working);
	case STD_WORKDAYS:
		d = off_day_moved(c, cal_add(c, date_local(t0, tz), amount));
		return day_end(c, tz, wh, d, working);
	default:
		return 0;
	}
	return working ? add_working(c, tz, wh, t0, secs) : t0 + secs;
}

int64_t
timer_elapsed(struct cal *c, const char *tz, const struct work_hours *wh,
    int64_t a, int64_t b, int working)
{
	int64_t sum = 0, wa, wb, lo, hi;
	int32_t d, last, next;

	a = clamp_time(a);
	b = clamp_time(b);
	if (b <= a)
		return 0;
	if (!working)
		return b - a;
	wh = hours_or_default(wh);
	last = date_local(b, tz);
	for (d = date_local(a, tz); d <= last; d = next) {
		if (day_window(c, tz, wh, d, &wa, &wb)) {
			lo = a > wa ? a : wa;
			hi = b < wb ? b : wb;
			if (hi > lo)
				sum += hi - lo;
		}
		if ((next = cal_add(c, d, 1)) <= d)
			break;
	}
	return sum;
}

enum timer_state
timer_state(struct cal *c, const char *tz, const struct work_hours *wh,
    int64_t t0, int64_t due, int64_t done, int64_t now, int working)
{
	int64_t span, left;

	if (done != 0 && done <= now)
		return done <= due || due == 0 ? TIMER_MET : TIMER_MET_LATE;
	if (due == 0)
		return TIMER_RUNNING;
	if (now > due)
		return TIMER_BREACHED;
	span = timer_elapsed(c, tz, wh, t0, due, working);
	left = timer_elapsed(c, tz, wh, now, due, working);
	return left * 4 < span ? TIMER_DUE_SOON : TIMER_RUNNING;
}

const char *
timer_state_code(enum timer_state s)
{
	static const char *const codes[] = {
		[TIMER_RUNNING] = "running",
		[TIMER_DUE_SOON] = "due_soon",
		[TIMER_BREACHED] = "breached",
		[TIMER_MET] = "met",
		[TIMER_MET_LATE] = "met_late",
	};

	if ((unsigned)s >= nitems(codes))
		return "unknown";
	return codes[s];
}

int
timer_extend_59fz(struct cal *c, const char *tz, const struct work_hours *wh,
    int64_t due, int days, int already_extended, int64_t *newdue, char *why,
    size_t len)
{
	int32_t d0, d;
	int64_t tod;

	if (already_extended)
		return fail(why, len, "already extended once");
	if (days < 1)
		return fail(why, len, "the extension must be at least 1 day");
	if (days > EXTEND_59FZ_MAX)
		return fail(why, len, "at most 30 days");
	wh = hours_or_default(wh);
	due = clamp_time(due);
	d0 = date_local(due, tz);
	tod = due + tz_offset(due, tz) - (int64_t)d0 * 86400;
	d = off_day_moved(c, d0 + days);
	/* A term that ended at closing time ends at the new day's closing. */
	if (cal_is_working(c, d0) && tod == closing(c, wh, d0))
		*newdue = day_end(c, tz, wh, d, 1);
	else
		*newdue = local_to_utc(d, (int)tod, tz);
	return 0;
}

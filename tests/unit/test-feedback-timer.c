/*
 * Unit tests of feedback_timer.c: which standards a message falls under,
 * what an organization may configure, deadlines worked out by hand over
 * the May holidays of 2025 in two zones, the 59-FZ term and its
 * extension, timer states, and properties over thousands of random
 * starts checked against a plain day-by-day reference.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "otklik.h"
#include "cal.h"
#include "feedback_timer.h"

static const struct work_hours office = WORK_HOURS_DEFAULT;

static int64_t
T(const char *s)
{
	int64_t t;

	if (time_parse(s, &t) != 0)
		fail_msg("bad time in the test: %s", s);
	return t;
}

static int32_t
D(const char *s)
{
	int32_t d;

	if (date_parse(s, &d) != 0)
		fail_msg("bad date in the test: %s", s);
	return d;
}

static struct cal *
open_builtin(const char *region)
{
	struct err  e;
	struct cal *c;

	err_clear(&e);
	if ((c = cal_open(NULL, region, &e)) == NULL)
		fail_msg("cal_open(%s): %s", region, e.msg);
	return c;
}

static void
assert_time(int64_t got, const char *want)
{
	char s[21];

	time_format(got, s);
	if (got != T(want))
		fail_msg("got %s, want %s", s, want);
}

static void
test_defs(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < STD__COUNT; i++) {
		assert_int_equal(std_from_code(std_defs[i].code), i);
		assert_non_null(std_defs[i].title_ru);
		assert_non_null(std_defs[i].title_en);
		assert_non_null(std_defs[i].basis);
	}
	assert_int_equal(std_from_code("ack"), -1);
	assert_int_equal(std_from_code(""), -1);
	assert_int_equal(std_from_code(NULL), -1);
	/* The figures of R-FB-5. */
	assert_int_equal(std_defs[STD_ACK_WRITTEN].amount, 24);
	assert_int_equal(std_defs[STD_ACK_WRITTEN].unit, STD_HOURS);
	assert_int_equal(std_defs[STD_SOCIAL_MENTION].amount, 4);
	assert_int_equal(std_defs[STD_SOCIAL_APPEAL].amount, 2);
	assert_int_equal(std_defs[STD_PHONE_TRANSFERS].amount, 2);
	assert_int_equal(std_defs[STD_PHONE_TRANSFERS].unit, STD_COUNT);
	assert_int_equal(std_defs[STD_RECEPTION_WAIT].amount, 15);
	assert_int_equal(std_defs[STD_RECEPTION_WAIT].unit, STD_MINUTES);
	assert_int_equal(std_defs[STD_ANSWER_59FZ].amount, 30);
	assert_int_equal(std_defs[STD_ANSWER_59FZ].unit, STD_DAYS);
	assert_int_equal(std_defs[STD_ANSWER_POS].amount, 8);
	assert_string_equal(std_defs[STD_ANSWER_59FZ].code, "answer_59fz");
	for (i = STD_MINUTES; i <= STD_COUNT; i++)
		assert_int_equal(std_unit_from_code(std_unit_code(i)), i);
	assert_string_equal(std_unit_code(STD_WORKDAYS), "workdays");
	assert_int_equal(std_unit_from_code("weeks"), -1);
	assert_int_equal(std_unit_from_code(NULL), -1);
}

static const struct {
	const char *channel, *kind, *source;
	const char *want;
} applies[] = {
	/* written channels acknowledge; formal kinds run 59-FZ */
	{"email", "appeal", "direct", "ack_written answer_59fz"},
	{"email", "comment", "direct", "ack_written"},
	{"site", "complaint", "direct", "ack_written answer_59fz"},
	{"post", "request", "direct", "ack_written answer_59fz"},
	{"edms", "proposal", "direct", "ack_written"},
	{"app", "appeal", "direct", "ack_written answer_59fz"},
	{"api", "comment", "direct", "ack_written"},
	{"mfc", "request", "direct", "ack_written answer_59fz"},
	{"site", "complaint", "epgu", "ack_written answer_59fz"},
	/* the platform */
	{"pos", "appeal", "pos", "ack_written answer_59fz answer_pos"},
	{"pos", "comment", "direct", "ack_written answer_pos"},
	{"site", "comment", "pos", "ack_written answer_pos"},
	/* the platform's form on a social page is not a chat */
	{"social", "appeal", "pos", "ack_written answer_59fz answer_pos"},
	{"social", "mention", "pos", "ack_written answer_pos"},
	/* social networks, public chats, chat-bots */
	{"social", "mention", "direct", "social_mention"},
	{"social", "post", "direct", "social_mention"},
	{"social", "post", "media", "social_mention"},
	{"social", "appeal", "direct", "social_appeal"},
	{"social", "complaint", "direct", "social_appeal"},
	{"social", "request", "direct", "social_appeal"},
	{"social", "comment", "direct", "social_appeal"},
	{"social", "proposal", "direct", "social_appeal"},
	{"social", "", "direct", "social_mention"},
	{"social", "gossip", "media", "social_mention"},
	{"messenger", "mention", "direct", "social_mention"},
	{"messenger", "comment", "direct", "social_appeal"},
	{"chatbot", "request", "direct", "social_appeal"},
	{"chatbot", "post", "direct", "social_mention"},
	/* voice */
	{"phone", "appeal", "direct", "phone_transfers answer_59fz"},
	{"phone", "comment", "direct", "phone_transfers"},
	{"callcentre", "request", "direct", "phone_transfers answer_59fz"},
	{"voice", "comment", "direct", "phone_transfers"},
	/* in person */
	{"reception", "appeal", "direct", "reception_wait answer_59fz"},
	{"reception", "comment", "direct", "reception_wait"},
	{"commission", "proposal", "direct", "reception_wait"},
	{"workplace", "request", "direct", "reception_wait answer_59fz"},
	/* neither answered nor acknowledged */
	{"stand", "comment", "direct", ""},
	{"other", "complaint", "epgu", "answer_59fz"},
	{"nonsense", "appeal", "direct", "answer_59fz"},
	{"site", "comment", "survey", ""},
	{"site", "complaint", "survey", "answer_59fz"},
	{"email", "complaint", "media", ""},
	{"site", "mention", "media", ""},
	{NULL, NULL, NULL, ""},
};

static void
test_applies(void **state)
{
	enum std_code out[STD__COUNT];
	char	      got[256];
	size_t	      k, used;
	int	      n, i;

	(void)state;
	for (k = 0; k < nitems(applies); k++) {
		memset(out, 0xff, sizeof(out));
		n = std_applies(applies[k].channel, applies[k].kind,
		    applies[k].source, out);
		assert_in_range(n, 0, STD__COUNT);
		got[0] = '\0';
		for (i = 0, used = 0; i < n; i++) {
			assert_in_range(out[i], 0, STD__COUNT - 1);
			if (i > 0)
				assert_true(out[i] > out[i - 1]);
			used += (size_t)snprintf(got + used, sizeof(got) - used,
			    "%s%s", i > 0 ? " " : "", std_defs[out[i]].code);
			assert_true(used < sizeof(got));
		}
		if (strcmp(got, applies[k].want) != 0)
			fail_msg("%s/%s/%s: got \"%s\", want \"%s\"",
			    applies[k].channel, applies[k].kind,
			    applies[k].source, got, applies[k].want);
	}
}

static const struct {
	enum std_code std;
	struct std_conf conf;
	const char *why;	/* NULL: accepted */
} confs[] = {
	{STD_ACK_WRITTEN, {24, STD_HOURS, 1, 1}, NULL},
	{STD_ACK_WRITTEN, {8, STD_HOURS, 1, 1}, NULL},
	{STD_ACK_WRITTEN, {24, STD_HOURS, 0, 1}, NULL},	/* calendar: sooner */
	{STD_ACK_WRITTEN, {1440, STD_MINUTES, 1, 1}, NULL},
	{STD_ACK_WRITTEN, {24, STD_HOURS, 1, 0}, NULL},	/* a recommendation */
	{STD_ACK_WRITTEN, {25, STD_HOURS, 1, 1},
	    "the limit may only be tightened: at most 24 hours"},
	{STD_ACK_WRITTEN, {1441, STD_MINUTES, 1, 1},
	    "the limit may only be tightened: at most 24 hours"},
	{STD_ACK_WRITTEN, {1, STD_DAYS, 1, 1},
	    "the unit must be minutes or hours"},
	{STD_ACK_WRITTEN, {0, STD_HOURS, 1, 1}, "at least 1"},
	{STD_ACK_WRITTEN, {-5, STD_HOURS, 1, 1}, "at least 1"},
	{STD_ACK_WRITTEN, {24, STD_HOURS, 2, 1}, "working must be 0 or 1"},
	{STD_ACK_WRITTEN, {24, STD_HOURS, 1, 7}, "enabled must be 0 or 1"},
	{STD_ACK_WRITTEN, {24, (enum std_unit)9, 1, 1}, "unknown unit"},
	{STD_SOCIAL_MENTION, {4, STD_HOURS, 1, 1}, NULL},
	{STD_SOCIAL_MENTION, {5, STD_HOURS, 1, 1},
	    "the limit may only be tightened: at most 4 hours"},
	{STD_SOCIAL_APPEAL, {90, STD_MINUTES, 1, 1}, NULL},
	{STD_SOCIAL_APPEAL, {121, STD_MINUTES, 1, 1},
	    "the limit may only be tightened: at most 2 hours"},
	{STD_PHONE_TRANSFERS, {0, STD_COUNT, 0, 1}, NULL},
	{STD_PHONE_TRANSFERS, {3, STD_COUNT, 0, 1},
	    "the limit may only be tightened: at most 2 transfers"},
	{STD_PHONE_TRANSFERS, {-1, STD_COUNT, 0, 1}, "cannot be negative"},
	{STD_PHONE_TRANSFERS, {2, STD_MINUTES, 0, 1},
	    "the limit is a number of transfers"},
	{STD_RECEPTION_WAIT, {10, STD_MINUTES, 0, 1}, NULL},
	{STD_RECEPTION_WAIT, {16, STD_MINUTES, 0, 1},
	    "the limit may only be tightened: at most 15 minutes"},
	{STD_RECEPTION_WAIT, {1, STD_HOURS, 0, 1},
	    "the limit may only be tightened: at most 15 minutes"},
	{STD_RECEPTION_WAIT, {15, STD_MINUTES, 1, 1},
	    "counts calendar time, not working time"},
	{STD_ANSWER_59FZ, {30, STD_DAYS, 0, 1}, NULL},
	{STD_ANSWER_59FZ, {15, STD_DAYS, 1, 1}, NULL},
	{STD_ANSWER_59FZ, {31, STD_DAYS, 0, 1},
	    "the limit may only be tightened: at most 30 days"},
	{STD_ANSWER_59FZ, {20, STD_WORKDAYS, 0, 1},
	    "calendar days, not working days"},
	{STD_ANSWER_59FZ, {30, STD_DAYS, 0, 0},
	    "set by law (59-FZ art. 12) and cannot be switched off"},
	{STD_ANSWER_59FZ, {720, STD_HOURS, 0, 1},
	    "the unit must be days or working days"},
	{STD_ANSWER_POS, {8, STD_WORKDAYS, 1, 1}, NULL},
	{STD_ANSWER_POS, {8, STD_DAYS, 1, 1}, NULL},
	{STD_ANSWER_POS, {9, STD_WORKDAYS, 1, 1},
	    "the limit may only be tightened: at most 8 working days"},
	{STD_ANSWER_POS, {8, STD_WORKDAYS, 0, 1},
	    "ends at closing time, not at midnight"},
	{STD_ANSWER_POS, {8, STD_WORKDAYS, 1, 0}, "cannot be switched off"},
	{(enum std_code)STD__COUNT, {1, STD_HOURS, 1, 1}, "unknown standard"},
};

static void
test_conf(void **state)
{
	struct std_conf sc;
	char		why[128];
	size_t		k;
	int		i, r;

	(void)state;
	for (i = 0; i < STD__COUNT; i++) {
		std_conf_default(i, &sc);
		assert_int_equal(sc.amount, std_defs[i].amount);
		assert_int_equal(sc.unit, std_defs[i].unit);
		assert_int_equal(sc.working, std_defs[i].working);
		assert_int_equal(sc.enabled, 1);
		assert_int_equal(std_conf_check(i, &sc, why, sizeof(why)), 0);
	}
	for (k = 0; k < nitems(confs); k++) {
		snprintf(why, sizeof(why), "untouched");
		r = std_conf_check(confs[k].std, &confs[k].conf, why,
		    sizeof(why));
		if (confs[k].why == NULL) {
			if (r != 0)
				fail_msg("case %zu refused: %s", k, why);
			continue;
		}
		if (r != -1)
			fail_msg("case %zu accepted, want \"%s\"", k,
			    confs[k].why);
		if (strstr(why, confs[k].why) == NULL)
			fail_msg("case %zu: \"%s\", want \"%s\"", k, why,
			    confs[k].why);
	}
	/* The reason is cut to the room given, never overrun. */
	sc = confs[5].conf;
	assert_int_equal(std_conf_check(STD_ACK_WRITTEN, &sc, why, 9), -1);
	assert_string_equal(why, "the limi");
	assert_int_equal(std_conf_check(STD_ACK_WRITTEN, &sc, NULL, 0), -1);
}

static void
test_work_hours(void **state)
{
	static const struct {
		struct work_hours wh;
		int		  ok;
	} cases[] = {
		{{540, 1080}, 1}, {{0, 1440}, 1}, {{480, 541}, 1},
		{{480, 540}, 0}, {{600, 540}, 0}, {{-1, 600}, 0},
		{{540, 1441}, 0}, {{1440, 1500}, 0},
	};
	struct cal *c = open_builtin("ru");
	struct work_hours bad = {600, 600};
	char	    why[128];
	size_t	    k;
	int64_t	    t0 = T("2025-05-05T10:00:00+03:00");

	(void)state;
	for (k = 0; k < nitems(cases); k++) {
		why[0] = '\0';
		assert_int_equal(work_hours_check(&cases[k].wh, why,
		    sizeof(why)), cases[k].ok ? 0 : -1);
		if (!cases[k].ok)
			assert_true(why[0] != '\0');
	}
	assert_int_equal(work_hours_check(NULL, why, sizeof(why)), -1);
	/* Unusable hours, or none, mean the office's 9 to 18. */
	assert_int_equal(timer_deadline(c, "Europe/Moscow", &bad, t0, 9,
	    STD_HOURS, 1), timer_deadline(c, "Europe/Moscow", &office, t0,
	    9, STD_HOURS, 1));
	assert_time(timer_deadline(c, "Europe/Moscow", NULL, t0, 9,
	    STD_HOURS, 1), "2025-05-06T10:00:00+03:00");
	/* A shop open 8 to 20 gets there the same day. */
	bad.start = 480;
	bad.end = 1200;
	assert_time(timer_deadline(c, "Europe/Moscow", &bad, t0, 9,
	    STD_HOURS, 1), "2025-05-05T19:00:00+03:00");
	cal_close(c);
}

/*
 * A written message at 17:59 on 30.04.2025: a shortened day (closed at
 * 17:00), then 1-4 May off.  24 working hours from 5 May 09:00 are 9 h on
 * the 5th, 9 h on the 6th and 6 h on the 7th: 15:00 on 7 May.  The same
 * local times hold in Vladivostok, seven hours ahead.
 */
static void
test_may_holidays(void **state)
{
	static const struct {
		const char *tz, *t0, *due;
	} cases[] = {
		{"Europe/Moscow", "2025-04-30T17:59:00+03:00",
		    "2025-05-07T15:00:00+03:00"},
		{"Asia/Vladivostok", "2025-04-30T17:59:00+10:00",
		    "2025-05-07T15:00:00+10:00"},
		/* One minute still left on the short day: 14:59. */
		{"Europe/Moscow", "2025-04-30T16:59:00+03:00",
		    "2025-05-07T14:59:00+03:00"},
		{"Asia/Vladivostok", "2025-04-30T16:59:00+10:00",
		    "2025-05-07T14:59:00+10:00"},
		/* Sent at night on the holiday: the same as at 17:59. */
		{"Europe/Moscow", "2025-05-02T03:00:00+03:00",
		    "2025-05-07T15:00:00+03:00"},
	};
	struct cal *c = open_builtin("ru");
	size_t	    k;
	int64_t	    t0, due;

	(void)state;
	assert_true(cal_is_short(c, D("2025-04-30")));
	assert_false(cal_is_working(c, D("2025-05-02")));
	assert_false(cal_is_short(c, D("2025-05-07")));
	for (k = 0; k < nitems(cases); k++) {
		t0 = T(cases[k].t0);
		due = timer_deadline(c, cases[k].tz, &office, t0, 24,
		    STD_HOURS, 1);
		assert_time(due, cases[k].due);
		assert_int_equal(timer_elapsed(c, cases[k].tz, &office, t0,
		    due, 1), 24 * 3600);
		/* The same in minutes. */
		assert_int_equal(timer_deadline(c, cases[k].tz, &office, t0,
		    1440, STD_MINUTES, 1), due);
		/* On calendar time 24 hours are 24 hours. */
		assert_int_equal(timer_deadline(c, cases[k].tz, &office, t0,
		    24, STD_HOURS, 0), t0 + 86400);
	}
	/* Half an hour left on the short day, then 5 May from 09:00. */
	assert_time(timer_deadline(c, "Europe/Moscow", &office,
	    T("2025-04-30T16:30:00+03:00"), 1, STD_HOURS, 1),
	    "2025-05-05T09:30:00+03:00");
	/* Exactly the rest of a day ends at closing time, not the next day. */
	assert_time(timer_deadline(c, "Europe/Moscow", &office,
	    T("2025-04-30T16:00:00+03:00"), 1, STD_HOURS, 1),
	    "2025-04-30T17:00:00+03:00");
	assert_time(timer_deadline(c, "Europe/Moscow", &office,
	    T("2025-05-07T17:00:00+03:00"), 1, STD_HOURS, 1),
	    "2025-05-07T18:00:00+03:00");
	/* 7 May 17:00 -> 8-11 May off -> 12 May. */
	assert_time(timer_deadline(c, "Europe/Moscow", &office,
	    T("2025-05-07T17:00:00+03:00"), 2, STD_HOURS, 1),
	    "2025-05-12T10:00:00+03:00");
	/* Elapsed working time over the holidays is that of 30.04 only. */
	assert_int_equal(timer_elapsed(c, "Europe/Moscow", &office,
	    T("2025-04-30T08:00:00+03:00"), T("2025-05-05T09:00:00+03:00"), 1),
	    8 * 3600);
	assert_int_equal(timer_elapsed(c, "Europe/Moscow", &office,
	    T("2025-04-30T08:00:00+03:00"), T("2025-05-05T09:00:00+03:00"), 0),
	    T("2025-05-05T09:00:00+03:00") - T("2025-04-30T08:00:00+03:00"));
	assert_int_equal(timer_elapsed(c, "Europe/Moscow", &office,
	    T("2025-05-05T09:00:00+03:00"), T("2025-04-30T08:00:00+03:00"), 1),
	    0);
	cal_close(c);
}

/*
 * 59-FZ: registered on Friday 19.09.2025, day 30 is Sunday 19.10: the
 * term ends on Monday 20.10.  Registered on 03.10.2025, day 30 is Sunday
 * 02.11, and 3-4 November are off too: Wednesday 05.11.
 */
static void
test_days(void **state)
{
	struct cal *c = open_builtin("ru");
	const char *msk = "Europe/Moscow";
	int64_t	    t0;

	(void)state;
	assert_int_equal(date_weekday(D("2025-10-19")), 7);
	t0 = T("2025-09-19T11:20:00+03:00");
	assert_time(timer_deadline(c, msk, &office, t0, 30, STD_DAYS, 0),
	    "2025-10-20T23:59:59+03:00");
	assert_time(timer_deadline(c, msk, &office, t0, 30, STD_DAYS, 1),
	    "2025-10-20T18:00:00+03:00");
	/* Day 29 is a Saturday, moved as well; day 31 is Monday itself. */
	assert_time(timer_deadline(c, msk, &office, t0, 29, STD_DAYS, 0),
	    "2025-10-20T23:59:59+03:00");
	assert_time(timer_deadline(c, msk, &office, t0, 31, STD_DAYS, 0),
	    "2025-10-20T23:59:59+03:00");
	assert_time(timer_deadline(c, msk, &office, t0, 32, STD_DAYS, 0),
	    "2025-10-21T23:59:59+03:00");
	/* Late in the evening it is still the day of registration. */
	t0 = T("2025-10-03T23:30:00+03:00");
	assert_int_equal(date_weekday(D("2025-11-02")), 7);
	assert_time(timer_deadline(c, msk, &office, t0, 30, STD_DAYS, 0),
	    "2025-11-05T23:59:59+03:00");
	/* The same moment is 4 October in Vladivostok: day 30 is 03.11. */
	assert_time(timer_deadline(c, "Asia/Vladivostok", &office, t0, 30,
	    STD_DAYS, 0), "2025-11-05T23:59:59+10:00");
	assert_time(timer_deadline(c, "Asia/Vladivostok", &office, t0, 31,
	    STD_DAYS, 0), "2025-11-05T23:59:59+10:00");
	/* Ending on the working Saturday 01.11.2025, a shortened day. */
	assert_true(cal_is_short(c, D("2025-11-01")));
	assert_time(timer_deadline(c, msk, &office,
	    T("2025-10-02T10:00:00+03:00"), 30, STD_DAYS, 1),
	    "2025-11-01T17:00:00+03:00");
	/*
	 * The platform's 8 working days from 30.04.2025: 5, 6, 7, 12, 13,
	 * 14, 15 and 16 May.
	 */
	t0 = T("2025-04-30T12:00:00+03:00");
	assert_time(timer_deadline(c, msk, &office, t0, 8, STD_WORKDAYS, 1),
	    "2025-05-16T18:00:00+03:00");
	assert_time(timer_deadline(c, msk, &office, t0, 8, STD_WORKDAYS, 0),
	    "2025-05-16T23:59:59+03:00");
	/* A count is no time limit. */
	assert_int_equal(timer_deadline(c, msk, &office, t0, 2, STD_COUNT, 0),
	    0);
	cal_close(c);
}

static void
test_extend(void **state)
{
	struct cal *c = open_builtin("ru");
	const char *msk = "Europe/Moscow";
	char	    why[64];
	int64_t	    due = T("2025-10-20T23:59:59+03:00"), nd;

	(void)state;
	assert_int_equal(timer_extend_59fz(c, msk, &office, due, 30, 0, &nd,
	    why, sizeof(why)), 0);
	assert_time(nd, "2025-11-19T23:59:59+03:00");
	/* Landing on Sunday 02.11, and 3-4 November off. */
	assert_int_equal(timer_extend_59fz(c, msk, &office, due, 13, 0, &nd,
	    why, sizeof(why)), 0);
	assert_time(nd, "2025-11-05T23:59:59+03:00");
	/* A term at closing time lands at the closing of the new day. */
	due = T("2025-10-20T18:00:00+03:00");
	assert_int_equal(timer_extend_59fz(c, msk, &office, due, 12, 0, &nd,
	    why, sizeof(why)), 0);
	assert_time(nd, "2025-11-01T17:00:00+03:00");
	assert_int_equal(timer_extend_59fz(c, msk, &office, due, 10, 0, &nd,
	    why, sizeof(why)), 0);
	assert_time(nd, "2025-10-30T18:00:00+03:00");
	/* Once only, by 1 to 30 days; nothing is written on refusal. */
	nd = 42;
	assert_int_equal(timer_extend_59fz(c, msk, &office, due, 10, 1, &nd,
	    why, sizeof(why)), -1);
	assert_string_equal(why, "already extended once");
	assert_int_equal(timer_extend_59fz(c, msk, &office, due, 31, 0, &nd,
	    why, sizeof(why)), -1);
	assert_string_equal(why, "at most 30 days");
	assert_int_equal(timer_extend_59fz(c, msk, &office, due, 0, 0, &nd,
	    why, sizeof(why)), -1);
	assert_non_null(strstr(why, "at least 1 day"));
	assert_int_equal(nd, 42);
	cal_close(c);
}

static void
test_state(void **state)
{
	struct cal *c = open_builtin("ru");
	const char *msk = "Europe/Moscow";
	int64_t	    t0 = T("2025-05-05T09:00:00+03:00"), due;
	int64_t	    rt0 = T("2025-05-05T10:00:00+03:00"), rdue;

	(void)state;
	/* 24 working hours: 9 + 9 + 6, due 7 May 15:00; a quarter is 6 h. */
	due = timer_deadline(c, msk, &office, t0, 24, STD_HOURS, 1);
	assert_time(due, "2025-05-07T15:00:00+03:00");
#define ST(done, now) timer_state(c, msk, &office, t0, due, (done), \
    T(now), 1)
	assert_int_equal(ST(0, "2025-05-05T09:00:00+03:00"), TIMER_RUNNING);
	assert_int_equal(ST(0, "2025-05-06T23:00:00+03:00"), TIMER_RUNNING);
	assert_int_equal(ST(0, "2025-05-07T09:00:00+03:00"), TIMER_RUNNING);
	assert_int_equal(ST(0, "2025-05-07T09:00:01+03:00"), TIMER_DUE_SOON);
	assert_int_equal(ST(0, "2025-05-07T15:00:00+03:00"), TIMER_DUE_SOON);
	assert_int_equal(ST(0, "2025-05-07T15:00:01+03:00"), TIMER_BREACHED);
	assert_int_equal(ST(0, "2025-06-01T00:00:00+03:00"), TIMER_BREACHED);
	assert_int_equal(ST(T("2025-05-06T12:00:00+03:00"),
	    "2025-05-07T16:00:00+03:00"), TIMER_MET);
	assert_int_equal(ST(due, "2025-05-07T16:00:00+03:00"), TIMER_MET);
	assert_int_equal(ST(due + 1, "2025-05-08T10:00:00+03:00"),
	    TIMER_MET_LATE);
	/* Stopped later than "now": at "now" it still ran. */
	assert_int_equal(ST(due + 1, "2025-05-06T10:00:00+03:00"),
	    TIMER_RUNNING);
#undef ST
	/* On calendar time: 15 minutes at reception, a quarter is 225 s. */
	rdue = timer_deadline(c, msk, &office, rt0, 15, STD_MINUTES, 0);
	assert_int_equal(rdue, rt0 + 900);
	assert_int_equal(timer_state(c, msk, &office, rt0, rdue, 0, rt0 + 675,
	    0), TIMER_RUNNING);
	assert_int_equal(timer_state(c, msk, &office, rt0, rdue, 0, rt0 + 676,
	    0), TIMER_DUE_SOON);
	assert_int_equal(timer_state(c, msk, &office, rt0, rdue, 0, rt0 + 901,
	    0), TIMER_BREACHED);
	assert_int_equal(timer_state(c, msk, &office, rt0, rdue, rt0 + 60,
	    rt0 + 901, 0), TIMER_MET);
	/* No deadline (due 0) is never breached. */
	assert_int_equal(timer_state(c, msk, &office, rt0, 0, 0, rt0 + 86400 *
	    400, 0), TIMER_RUNNING);
	assert_int_equal(timer_state(c, msk, &office, rt0, 0, rt0 + 5,
	    rt0 + 10, 0), TIMER_MET);
	assert_string_equal(timer_state_code(TIMER_RUNNING), "running");
	assert_string_equal(timer_state_code(TIMER_DUE_SOON), "due_soon");
	assert_string_equal(timer_state_code(TIMER_BREACHED), "breached");
	assert_string_equal(timer_state_code(TIMER_MET), "met");
	assert_string_equal(timer_state_code(TIMER_MET_LATE), "met_late");
	cal_close(c);
}

/* splitmix64: the same sequence on every libc. */
static uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int64_t
rnd_in(uint64_t *s, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnd(s) % (uint64_t)(hi - lo + 1));
}

/*
 * The reference: every calendar day in turn, its hours placed with the
 * zone's offset at the day's UTC midnight (Russian zones change offset
 * at night, if at all).
 */
static int64_t
naive_elapsed(struct cal *c, const char *tz, int64_t a, int64_t b)
{
	int32_t d;
	int64_t sum = 0, off, wa, wb, lo, hi;
	int	end;

	for (d = date_local(a, tz); d <= date_local(b, tz); d++) {
		if (!cal_is_working(c, d))
			continue;
		end = cal_is_short(c, d) ? office.end - 60 : office.end;
		off = tz_offset((int64_t)d * 86400, tz);
		wa = (int64_t)d * 86400 + office.start * 60 - off;
		wb = (int64_t)d * 86400 + end * 60 - off;
		lo = a > wa ? a : wa;
		hi = b < wb ? b : wb;
		if (hi > lo)
			sum += hi - lo;
	}
	return sum;
}

/* Seconds after local midnight. */
static int64_t
local_tod(int64_t t, const char *tz)
{
	return t + tz_offset(t, tz) - (int64_t)date_local(t, tz) * 86400;
}

static void
test_random(void **state)
{
	static const char *const zones[] = {"Europe/Moscow",
	    "Asia/Vladivostok", "Europe/Kaliningrad", "Asia/Yekaterinburg",
	    "Europe/Samara"};
	static const char *const regions[] = {"ru", "ru-ta"};
	struct cal *c;
	const char *tz;
	uint64_t    seed = 20250430;
	int32_t	    lo = D("2013-01-01"), hi = D("2026-11-30"), d0, dd, d;
	int64_t	    t0, due, prev, secs, tod;
	int	    i, n, unit, close;
	size_t	    r;

	(void)state;
	for (r = 0; r < nitems(regions); r++) {
		c = open_builtin(regions[r]);
		for (i = 0; i < 3000; i++) {
			tz = zones[rnd(&seed) % nitems(zones)];
			d0 = (int32_t)rnd_in(&seed, lo, hi);
			if (i % 4 != 0) {
				/* Within hours of a working day. */
				d0 = cal_is_working(c, d0) ? d0 :
				    cal_add(c, d0, 1);
				close = cal_is_short(c, d0) ? 1020 : 1080;
				t0 = (int64_t)d0 * 86400 - tz_offset(
				    (int64_t)d0 * 86400, tz) +
				    rnd_in(&seed, 540 * 60, close * 60 - 61);
			} else	/* any moment at all */
				t0 = (int64_t)d0 * 86400 +
				    rnd_in(&seed, 0, 86399);
			unit = rnd(&seed) % 2 ? STD_HOURS : STD_MINUTES;
			n = (int)rnd_in(&seed, 1, unit == STD_HOURS ? 300 :
			    3000);
			secs = (int64_t)n * (unit == STD_HOURS ? 3600 : 60);

			/* Calendar time is plain addition. */
			assert_int_equal(timer_deadline(c, tz, &office, t0, n,
			    unit, 0), t0 + secs);
			assert_int_equal(timer_elapsed(c, tz, &office, t0,
			    t0 + secs, 0), secs);

			/* Working time: exact, on a working day, in hours. */
			due = timer_deadline(c, tz, &office, t0, n, unit, 1);
			if (timer_elapsed(c, tz, &office, t0, due, 1) != secs)
				fail_msg("%s: elapsed(t0, deadline(%d)) = %lld",
				    tz, n, (long long)timer_elapsed(c, tz,
				    &office, t0, due, 1));
			if (i % 3 == 0)
				assert_int_equal(naive_elapsed(c, tz, t0, due),
				    secs);
			dd = date_local(due, tz);
			assert_true(cal_is_working(c, dd));
			tod = local_tod(due, tz);
			assert_true(tod > 540 * 60);
			assert_true(tod <= (cal_is_short(c, dd) ? 1020 : 1080)
			    * 60);
			/* Monotonic in n, never earlier than calendar time. */
			prev = timer_deadline(c, tz, &office, t0, n - 1, unit,
			    1);
			assert_true(prev < due);
			assert_true(due >= t0 + secs);
			/* Within hours the start counts at once. */
			if (i % 4 != 0)
				assert_int_equal(timer_deadline(c, tz, &office,
				    t0, 1, STD_MINUTES, 1), t0 + 60);

			/* Calendar days, moved off days off. */
			n = (int)rnd_in(&seed, 1, 60);
			d0 = date_local(t0, tz);
			due = timer_deadline(c, tz, &office, t0, n, STD_DAYS,
			    rnd(&seed) % 2);
			dd = date_local(due, tz);
			assert_true(cal_is_working(c, dd));
			assert_true(dd >= d0 + n);
			for (d = d0 + n; d < dd; d++)
				assert_false(cal_is_working(c, d));
			assert_true(timer_deadline(c, tz, &office, t0, n + 1,
			    STD_DAYS, 0) >= timer_deadline(c, tz, &office, t0,
			    n, STD_DAYS, 0));
			/* Working days: the n-th one after t0's day. */
			due = timer_deadline(c, tz, &office, t0, n,
			    STD_WORKDAYS, 0);
			dd = date_local(due, tz);
			assert_int_equal(cal_between(c, d0, dd), n);
			assert_int_equal(local_tod(due, tz), 86399);
			assert_true(due >= timer_deadline(c, tz, &office, t0,
			    n, STD_DAYS, 0));
		}
		cal_close(c);
	}
}

/*
 * Long terms stay cheap: 20,000 deadlines of 30 working days (270
 * working hours) and their elapsed times, checked against each other;
 * the test's timeout would catch a minute-by-minute walk.
 */
static void
test_many(void **state)
{
	struct cal *c = open_builtin("ru");
	int64_t	    t0 = T("2014-01-09T09:00:00+04:00"), due;
	int	    i;

	(void)state;
	for (i = 0; i < 20000; i++) {
		due = timer_deadline(c, "Europe/Moscow", &office,
		    t0 + (int64_t)i * 5 * 3607, 270, STD_HOURS, 1);
		assert_int_equal(timer_elapsed(c, "Europe/Moscow", &office,
		    t0 + (int64_t)i * 5 * 3607, due, 1), 270 * 3600);
	}
	/* Absurd moments are clamped, not walked or overflowed. */
	assert_int_equal(timer_elapsed(c, "Europe/Moscow", &office, INT64_MIN,
	    INT64_MIN + 5, 1), 0);
	assert_true(timer_elapsed(c, "Europe/Moscow", &office, INT64_MIN,
	    INT64_MAX, 1) > (int64_t)100 * 240 * 9 * 3600);
	assert_int_equal(timer_deadline(c, "Europe/Moscow", &office,
	    INT64_MAX, 2, STD_HOURS, 0), T("2100-01-01T02:00:00Z"));
	/*
	 * A year of working time: 2025 has 247 working days, 4 of them
	 * shortened (1972 hours on a 40-hour week); 9 to 18 gives 9 h a day.
	 */
	assert_int_equal(timer_elapsed(c, "Europe/Moscow", &office,
	    T("2025-01-01T00:00:00+03:00"), T("2026-01-01T00:00:00+03:00"), 1),
	    (int64_t)(247 * 9 - 4) * 3600);
	cal_close(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defs),
		cmocka_unit_test(test_applies),
		cmocka_unit_test(test_conf),
		cmocka_unit_test(test_work_hours),
		cmocka_unit_test(test_may_holidays),
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_extend),
		cmocka_unit_test(test_state),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

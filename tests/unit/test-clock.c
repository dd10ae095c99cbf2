/*
 * Unit tests of clock.c: day numbers, ISO dates and times, time zones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "otklik.h"

static void
test_days(void **state)
{
	static const struct {
		int	y, m, d;
		int32_t day;
		int	wd;
	} t[] = {
		{1970, 1, 1, 0, 4},	  {2000, 2, 29, 11016, 2},
		{2024, 5, 16, 19859, 4},  {2026, 1, 9, 20462, 5},
		{1969, 12, 31, -1, 3},	  {2100, 3, 1, 47541, 1},
	};
	size_t i;
	int    y, m, d;
	char   s[11];

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		assert_int_equal(date_from_ymd(t[i].y, t[i].m, t[i].d), t[i].day);
		date_to_ymd(t[i].day, &y, &m, &d);
		assert_int_equal(y * 10000 + m * 100 + d,
		    t[i].y * 10000 + t[i].m * 100 + t[i].d);
		assert_int_equal(date_weekday(t[i].day), t[i].wd);
	}
	/* Every day from 1990 to 2100 round-trips through its text. */
	for (int32_t day = 7305; day < 47482; day++) {
		int32_t back;

		date_format(day, s);
		assert_int_equal(date_parse(s, &back), 0);
		assert_int_equal(back, day);
	}
	date_format_ru(19859, s);
	assert_string_equal(s, "16.05.2024");
}

static void
test_parse(void **state)
{
	static const struct {
		const char *s;
		int	    ok;
		int64_t	    t;
	} t[] = {
		{"2024-05-16", 1, 1715817600},
		{"2024-05-16T10:00:00Z", 1, 1715853600},
		{"2024-05-16T10:00:00+05:00", 1, 1715835600},
		{"2024-05-16T10:00+0500", 1, 1715835600},
		{"2024-05-16T10:00:00.123-03:00", 1, 1715864400},
		{"2024-05-16 10:00:00", 1, 1715853600},
		{"2024-02-30", 0, 0}, {"2024-13-01", 0, 0}, {"24-05-16", 0, 0},
		{"2024-05-16T25:00", 0, 0}, {"2024-05-16X", 0, 0}, {"", 0, 0},
		{"2024-05-16T10:00:00+5", 0, 0},
	};
	size_t	i;
	int64_t v;
	int32_t d;
	char	out[21];

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		assert_int_equal(time_parse(t[i].s, &v) == 0, t[i].ok);
		if (t[i].ok)
			assert_int_equal(v, t[i].t);
	}
	assert_int_equal(date_parse("2024-05-16T10:00", &d), -1);
	time_format(1715853600, out);
	assert_string_equal(out, "2024-05-16T10:00:00Z");
}

static void
test_zones(void **state)
{
	int64_t t;

	(void)state;
	/* 18:30 UTC on 15.05 is 23:30 in Yekaterinburg, 04:30 next day in
	 * Vladivostok. */
	assert_int_equal(time_parse("2024-05-15T18:30:00Z", &t), 0);
	assert_int_equal(date_local(t, "Asia/Yekaterinburg"),
	    date_from_ymd(2024, 5, 15));
	assert_int_equal(date_local(t, "Asia/Vladivostok"),
	    date_from_ymd(2024, 5, 16));
	assert_true(tz_valid("Europe/Moscow"));
	assert_true(tz_valid("Asia/Sakhalin"));
	assert_false(tz_valid("Mars/Olympus"));
	assert_false(tz_valid("../../etc/passwd"));
	assert_false(tz_valid("/etc/passwd"));
	assert_false(tz_valid(""));
	setenv("OTKLIK_NOW", "2024-10-22T10:00:00Z", 1);
	assert_int_equal(clock_now(), 1729591200);
	unsetenv("OTKLIK_NOW");
}

/* Wall time in a zone, across a change of day and before 1970. */
static void
test_local(void **state)
{
	char	out[17];
	int64_t t;

	(void)state;
	assert_int_equal(time_parse("2025-04-30T14:59:00Z", &t), 0);
	time_format_local(t, "Asia/Vladivostok", 0, out);
	assert_string_equal(out, "2025-05-01 00:59");
	time_format_local(t, "Asia/Vladivostok", 1, out);
	assert_string_equal(out, "01.05.2025 00:59");
	time_format_local(t, "Europe/Moscow", 1, out);
	assert_string_equal(out, "30.04.2025 17:59");
	time_format_local(-60, "UTC", 0, out);
	assert_string_equal(out, "1969-12-31 23:59");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_zones),
		cmocka_unit_test(test_local),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

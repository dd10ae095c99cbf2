/*
 * Unit tests of cal.c: known days of the federal and Tatarstan calendars,
 * yearly totals against the official production calendars, cal_add and
 * cal_between on fixed cases and as inverses over random dates, the
 * Labour Code fallback, the XML reader on good and hostile input, and
 * seeding and loading an SQLite database without leaving half a year.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "otklik.h"
#include "cal.h"
#include "db.h"

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
	c = cal_open(NULL, region, &e);
	if (c == NULL)
		fail_msg("cal_open(%s): %s", region, e.msg);
	return c;
}

/* Days whose kind is known from the published calendars. */
static const struct {
	const char *region, *day;
	int	    kind;
} facts[] = {
	{"ru", "2026-01-09", CAL_OFF},	 /* transfer from Saturday 01.03 */
	{"ru", "2026-12-31", CAL_OFF},	 /* transfer from Sunday 01.04 */
	{"ru", "2026-01-12", CAL_WORK},
	{"ru", "2026-04-30", CAL_SHORT},
	{"ru", "2026-05-11", CAL_OFF},
	{"ru", "2026-03-09", CAL_OFF},
	{"ru", "2026-02-23", CAL_OFF},
	{"ru", "2026-01-10", CAL_OFF},	 /* a plain Saturday */
	{"ru", "2026-07-15", CAL_WORK},	 /* a plain Wednesday */
	{"ru", "2025-11-01", CAL_SHORT}, /* a working Saturday */
	{"ru", "2025-11-03", CAL_OFF},
	{"ru", "2025-05-02", CAL_OFF},
	{"ru", "2025-05-05", CAL_WORK},
	{"ru", "2024-04-27", CAL_WORK},	 /* a working Saturday */
	{"ru", "2024-12-28", CAL_WORK},
	{"ru", "2024-01-08", CAL_OFF},
	{"ru", "2023-04-21", CAL_WORK},
	{"ru", "2022-03-05", CAL_SHORT},
	{"ru", "2021-11-02", CAL_OFF},	 /* non-working days of 2021 */
	{"ru", "2020-04-15", CAL_OFF},	 /* non-working days of 2020 */
	{"ru", "2016-02-20", CAL_SHORT},
	{"ru", "2013-12-31", CAL_SHORT},
	{"ru-ta", "2023-04-21", CAL_OFF}, /* Uraza Bayram */
	{"ru-ta", "2023-04-20", CAL_SHORT},
	{"ru-ta", "2023-08-30", CAL_OFF}, /* Republic Day */
	{"ru-ta", "2022-08-30", CAL_OFF},
	{"ru-ta", "2023-05-08", CAL_OFF}, /* the federal days stay */
	{"ru-ta", "2024-04-27", CAL_WORK},
	{"ru-ta", "2024-01-08", CAL_OFF},
	{"ru-ta", "2026-01-09", CAL_OFF}, /* no overlay that year */
	{"RU-TA", "2023-04-21", CAL_OFF}, /* the code is normalized */
	{"ru-xx", "2023-04-21", CAL_WORK}, /* unknown: federal */
	{"", "2026-01-09", CAL_OFF},
};

static void
test_facts(void **state)
{
	struct cal *c;
	char	    buf[64];
	size_t	    i;
	int	    k;

	(void)state;
	for (i = 0; i < nitems(facts); i++) {
		c = open_builtin(facts[i].region);
		k = cal_kind(c, D(facts[i].day));
		if (k != facts[i].kind)
			fail_msg("%s %s: kind %d, expected %d", facts[i].region,
			    facts[i].day, k, facts[i].kind);
		assert_int_equal(cal_is_working(c, D(facts[i].day)),
		    facts[i].kind != CAL_OFF);
		assert_int_equal(cal_is_short(c, D(facts[i].day)),
		    facts[i].kind == CAL_SHORT);
		assert_int_equal(cal_fallback_used(c, buf, sizeof(buf)), 0);
		cal_close(c);
	}
}

/* Working days per year, as the official production calendars give. */
static const struct {
	const char *region;
	int	    year, work, shortened;
} totals[] = {
	{"ru", 2013, 247, 6}, {"ru", 2014, 247, 6}, {"ru", 2015, 247, 5},
	{"ru", 2016, 247, 2}, {"ru", 2017, 247, 3}, {"ru", 2018, 247, 6},
	{"ru", 2019, 247, 6}, {"ru", 2022, 247, 3}, {"ru", 2023, 247, 3},
	{"ru", 2024, 248, 5}, {"ru", 2025, 247, 4}, {"ru", 2026, 247, 4},
	{"ru-ta", 2023, 244, 6},
};

static void
test_totals(void **state)
{
	struct cal_day *days;
	struct cal     *c;
	size_t		i;
	int		n, j, s, w;
	int32_t		a;

	(void)state;
	for (i = 0; i < nitems(totals); i++) {
		c = open_builtin(totals[i].region);
		a = date_from_ymd(totals[i].year, 1, 1);
		w = cal_between(c, a, date_from_ymd(totals[i].year, 12, 31)) +
		    cal_is_working(c, a);
		if (w != totals[i].work)
			fail_msg("%s %d: %d working days, expected %d",
			    totals[i].region, totals[i].year, w,
			    totals[i].work);
		n = cal_year_days(c, totals[i].year, &days);
		assert_true(n > 0);
		for (j = 0, s = 0; j < n; j++) {
			s += days[j].kind == CAL_SHORT;
			if (j > 0)
				assert_true(days[j].day > days[j - 1].day);
		}
		assert_int_equal(s, totals[i].shortened);
		free(days);
		cal_close(c);
	}
}

static const struct {
	const char *region, *from;
	int	    n;
	const char *want;
} adds[] = {
	{"ru", "2026-01-08", 1, "2026-01-12"},
	{"ru", "2026-01-08", 0, "2026-01-08"},
	{"ru", "2026-01-10", 0, "2026-01-10"},	/* even a day off */
	{"ru", "2026-01-08", 10, "2026-01-23"},
	{"ru", "2025-12-30", 1, "2026-01-12"},
	{"ru", "2026-05-08", 1, "2026-05-12"},
	{"ru", "2026-01-12", -1, "2025-12-30"},
	{"ru", "2026-01-11", -1, "2025-12-30"},	/* from a day off */
	{"ru", "2026-01-23", -10, "2025-12-30"},	/* 01-08 is off */
	{"ru", "2026-01-23", -9, "2026-01-12"},
	{"ru", "2025-10-31", 1, "2025-11-01"},	/* a working Saturday */
	{"ru", "2026-12-30", 1, "2027-01-11"},	/* into a fallback year */
	{"ru-ta", "2023-04-20", 1, "2023-04-24"},
	{"ru", "2023-04-20", 1, "2023-04-21"},
	{"ru", "2026-01-01", 247, "2026-12-30"},
	{"ru", "2026-01-01", 248, "2027-01-11"},
};

static void
test_add_cases(void **state)
{
	struct cal *c;
	char	    got[11];
	size_t	    i;

	(void)state;
	for (i = 0; i < nitems(adds); i++) {
		c = open_builtin(adds[i].region);
		date_format(cal_add(c, D(adds[i].from), adds[i].n), got);
		if (strcmp(got, adds[i].want) != 0)
			fail_msg("%s: %s + %d = %s, expected %s",
			    adds[i].region, adds[i].from, adds[i].n, got,
			    adds[i].want);
		assert_int_equal(cal_between(c, D(adds[i].from),
		    D(adds[i].want)), adds[i].n);
		cal_close(c);
	}
}

static const struct {
	const char *a, *b;
	int	    want;
} betweens[] = {
	{"2026-01-08", "2026-01-12", 1},
	{"2026-01-12", "2026-01-08", 0},	/* [01-08, 01-12) are off */
	{"2026-01-12", "2026-01-12", 0},
	{"2025-12-30", "2026-01-12", 1},
	{"2026-01-12", "2025-12-30", -1},
	{"2025-12-31", "2026-12-31", 247},
	{"2026-12-31", "2025-12-31", -247},
	{"2026-03-06", "2026-03-10", 1},
	{"2026-03-10", "2026-03-06", -1},
};

static void
test_between_cases(void **state)
{
	struct cal *c = open_builtin("ru");
	size_t	    i;
	int	    n;

	(void)state;
	for (i = 0; i < nitems(betweens); i++) {
		n = cal_between(c, D(betweens[i].a), D(betweens[i].b));
		if (n != betweens[i].want)
			fail_msg("between %s %s = %d, expected %d",
			    betweens[i].a, betweens[i].b, n, betweens[i].want);
	}
	cal_close(c);
}

/* The counts done the slow way, a day at a time. */
static int
naive_between(struct cal *c, int32_t a, int32_t b)
{
	int32_t d;
	int	n = 0;

	if (a <= b) {
		for (d = a + 1; d <= b; d++)
			n += cal_is_working(c, d);
		return n;
	}
	for (d = b; d < a; d++)
		n -= cal_is_working(c, d);
	return n;
}

static void
test_inverse_random(void **state)
{
	static const char *const regions[] = {"ru", "ru-ta"};
	struct cal		*c;
	int32_t			 lo = D("2013-01-01"), hi = D("2026-12-31");
	int32_t			 d, r, e;
	size_t			 k;
	int			 i, n;

	(void)state;
	srand(20260109);
	for (k = 0; k < nitems(regions); k++) {
		c = open_builtin(regions[k]);
		for (i = 0; i < 4000; i++) {
			d = lo + rand() % (hi - lo + 1);
			n = rand() % 601 - 300;
			r = cal_add(c, d, n);
			if (cal_between(c, d, r) != n)
				fail_msg("%s: between(d, add(d, %d)) = %d",
				    regions[k], n, cal_between(c, d, r));
			if (n != 0)
				assert_true(cal_is_working(c, r));
			if (cal_is_working(c, d))
				assert_int_equal(cal_add(c, r, -n), d);
			if (i % 8 == 0) {
				e = lo + rand() % (hi - lo + 1);
				assert_int_equal(cal_between(c, d, e),
				    naive_between(c, d, e));
			}
		}
		cal_close(c);
	}
}

/* 10,000 deadlines must cost next to nothing. */
static void
test_many_deadlines(void **state)
{
	struct cal *c = open_builtin("ru-ta");
	int32_t	    d = D("2014-01-01"), r;
	int	    i;

	(void)state;
	for (i = 0; i < 10000; i++) {
		r = cal_add(c, d + i % 4000, 10 + i % 200);
		assert_int_equal(cal_between(c, d + i % 4000, r), 10 + i % 200);
	}
	/* A long term walks many years at a time. */
	r = cal_add(c, d, 100000);
	assert_int_equal(cal_between(c, d, r), 100000);
	cal_close(c);
}

static void
test_fallback(void **state)
{
	static const struct {
		const char *day;
		int	    kind;
	} f[] = {
		{"2031-01-01", CAL_OFF}, {"2031-01-07", CAL_OFF},
		{"2031-01-08", CAL_OFF}, {"2031-01-09", CAL_WORK},
		{"2031-02-23", CAL_OFF}, {"2031-02-24", CAL_OFF},
		{"2031-03-07", CAL_SHORT}, {"2031-03-10", CAL_OFF},
		{"2031-04-30", CAL_SHORT}, {"2031-05-01", CAL_OFF},
		{"2031-05-08", CAL_SHORT}, {"2031-05-09", CAL_OFF},
		{"2031-05-12", CAL_WORK}, {"2031-06-12", CAL_OFF},
		{"2031-11-04", CAL_OFF}, {"2031-11-05", CAL_WORK},
		{"2031-12-31", CAL_SHORT},
	};
	struct cal *c = open_builtin("ru");
	char	    buf[64], tiny[6];
	size_t	    i;

	(void)state;
	assert_int_equal(cal_fallback_used(c, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(cal_kind(c, D("2026-06-12")), CAL_OFF);
	assert_int_equal(cal_fallback_used(c, NULL, 0), 0);
	for (i = 0; i < nitems(f); i++)
		if (cal_kind(c, D(f[i].day)) != f[i].kind)
			fail_msg("%s: kind %d, expected %d", f[i].day,
			    cal_kind(c, D(f[i].day)), f[i].kind);
	assert_int_equal(cal_fallback_used(c, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "2031");
	/* 2027: May 1 and 9 fall on a weekend and move to Mondays. */
	assert_int_equal(cal_kind(c, D("2027-05-03")), CAL_OFF);
	assert_int_equal(cal_kind(c, D("2027-05-10")), CAL_OFF);
	assert_int_equal(cal_kind(c, D("2027-06-14")), CAL_OFF);
	assert_int_equal(cal_kind(c, D("2027-04-30")), CAL_SHORT);
	cal_kind(c, D("2033-01-01"));
	cal_kind(c, D("2034-01-01"));
	assert_int_equal(cal_fallback_used(c, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "2027, 2031, 2033-2034");
	assert_int_equal(cal_fallback_used(c, tiny, sizeof(tiny)), 1);
	assert_int_equal(strlen(tiny), sizeof(tiny) - 1);
	assert_string_equal(tiny + strlen(tiny) - 3, "...");
	/* A year with no data is 249 working days in 2031. */
	assert_int_equal(cal_between(c, D("2030-12-31"), D("2031-12-31")),
	    249);
	cal_close(c);
}

static void
test_bounds(void **state)
{
	struct cal *c = open_builtin("ru");
	int32_t	    last = date_from_ymd(9999, 12, 31);
	int32_t	    first = date_from_ymd(1, 1, 1);

	(void)state;
	assert_int_equal(cal_add(c, D("2026-01-01"), INT32_MAX), last);
	assert_int_equal(cal_add(c, D("2026-01-01"), INT32_MIN), first);
	assert_true(cal_is_working(c, INT32_MAX) ||
	    !cal_is_working(c, INT32_MAX));
	assert_true(cal_between(c, INT32_MIN, INT32_MAX) > 0);
	assert_int_equal(cal_year_days(c, 0, &(struct cal_day *){NULL}), -1);
	cal_close(c);
	cal_close(NULL);
}

/* The XML reader. */
#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define XML(days)                                                        \
	HEAD "<calendar year=\"2027\" lang=\"ru\" country=\"ru\">\n"     \
	     "<holidays><holiday id=\"1\" title=\"Новый год\"/></holidays>\n" \
	     "<days>\n" days "</days>\n</calendar>\n"

static const struct {
	const char *xml;
	const char *want;	/* in the message; NULL when it is good */
	int	    line;
} parses[] = {
	{XML("<day d=\"01.01\" t=\"1\" h=\"1\"/>\n<day d=\"05.10\" t=\"1\" "
	     "f=\"05.09\"/>\n<day d=\"11.06\" t=\"3\"/>\n"), NULL, 0},
	{XML(""), NULL, 0},
	{XML("<day d=\"05.01\" t=\"1\"\"/>\n"), "attributes construct", 5},
	{XML("<day d=\"02.29\" t=\"1\"/>\n"), "not a day of 2027", 5},
	{XML("<day d=\"13.01\" t=\"1\"/>\n"), "not a day of 2027", 5},
	{XML("<day d=\"1.1\" t=\"1\"/>\n"), "expected MM.DD", 5},
	{XML("<day t=\"1\"/>\n"), "without d=", 5},
	{XML("<day d=\"01.01\" t=\"4\"/>\n"), "t must be 1", 5},
	{XML("<day d=\"01.01\" t=\"\"/>\n"), "t must be 1", 5},
	{XML("<day d=\"01.01\"/>\n"), "t must be 1", 5},
	{XML("<day d=\"05.05\" t=\"3\"/>\n"), "weekday", 5},
	{XML("<day d=\"01.01\" t=\"1\"/>\n<day d=\"01.01\" t=\"2\"/>\n"),
	    "given twice", 6},
	{XML("<day d=\"01.01\" t=\"1\" h=\"2\"/>\n"), "no <holiday id=\"2\">",
	    5},
	{XML("<day d=\"01.01\" t=\"1\" h=\"x\"/>\n"), "no <holiday", 5},
	{XML("<day d=\"01.11\" t=\"1\" f=\"02.30\"/>\n"), "f=\"02.30\"", 5},
	{XML("<day d=\"01.01\" t=\"1\" x=\"1\"/>\n"), "unknown attribute 'x'",
	    5},
	{XML("<dya d=\"01.01\" t=\"1\"/>\n"), "unexpected element <dya>", 5},
	{XML("text\n"), "unexpected text", 5},
	{XML("<day d=\"01.01\" t=\"1\"><x/></day>\n"),
	    "unexpected element <x>", 5},
	{XML("<day d=\"01.01\" t=\"1\"> <!-- new year --> </day>\n"), NULL,
	    0},
	{HEAD "<calendar year=\"2027\"><days/><days/></calendar>",
	    "a second <days>", 2},
	{HEAD "<calendar year=\"2027\"></calendar>", "without <days>", 2},
	{HEAD "<calendar year=\"27\"><days/></calendar>", "expected a year", 2},
	{HEAD "<calendar year=\"3000\"><days/></calendar>", "expected a year",
	    2},
	{HEAD "<calendar><days/></calendar>", "expected a year", 2},
	{HEAD "<calendar year=\"2027\" bad=\"1\"><days/></calendar>",
	    "unknown attribute 'bad'", 2},
	{HEAD "<kalendar year=\"2027\"><days/></kalendar>", "expected "
	    "<calendar>", 2},
	{HEAD "<calendar xmlns=\"urn:x\" year=\"2027\"><days/></calendar>",
	    "in a namespace", 2},
	{HEAD "<!DOCTYPE calendar [<!ENTITY a \"aaaa\">]>\n"
	      "<calendar year=\"2027\"><days/></calendar>", "declaration", 2},
	{HEAD "<!-- <!ENTITY ok> -->\n<calendar year=\"2027\"><days/>"
	      "</calendar>", NULL, 0},
	{HEAD "<calendar year=\"2027\"><days>&amp;</days></calendar>",
	    "unexpected text", 2},
	{HEAD "<calendar year=\"2027\"><days>", "", 2},
	{"", "empty", 0},
	{"not xml", "", 1},
	{HEAD "<calendar year=\"2024\"><days><day d=\"02.29\" t=\"1\"/></days>"
	      "</calendar>", NULL, 0},
	{HEAD "<calendar year=\"2027\"><holidays><holiday id=\"1\"/><holiday "
	      "id=\"1\"/></holidays><days/></calendar>", "given twice", 2},
	{HEAD "<calendar year=\"2027\"><holidays><holiday id=\"0\"/>"
	      "</holidays><days/></calendar>", "id=\"0\"", 2},
};

static void
test_parse(void **state)
{
	struct cal_xml x;
	struct err     e;
	char	       where[32];
	size_t	       i;
	int	       r;

	(void)state;
	for (i = 0; i < nitems(parses); i++) {
		err_clear(&e);
		r = cal_parse_xml(parses[i].xml, strlen(parses[i].xml), "t.xml",
		    &x, &e);
		if (parses[i].want == NULL) {
			if (r != 0)
				fail_msg("case %zu: %s", i, e.msg);
			assert_int_equal(x.year, strstr(parses[i].xml,
			    "\"2024\"") != NULL ? 2024 : 2027);
			cal_xml_free(&x);
			continue;
		}
		if (r == 0)
			fail_msg("case %zu: accepted, expected '%s'", i,
			    parses[i].want);
		assert_int_equal(e.code, EXIT_DATAERR);
		if (strstr(e.msg, parses[i].want) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, e.msg,
			    parses[i].want);
		if (parses[i].line > 0) {
			snprintf(where, sizeof(where), "t.xml:%d: ",
			    parses[i].line);
			if (strncmp(e.msg, where, strlen(where)) != 0)
				fail_msg("case %zu: '%s' does not start with "
				    "'%s'", i, e.msg, where);
		} else
			assert_true(strncmp(e.msg, "t.xml", 5) == 0);
		cal_xml_free(&x);
	}
}

static void
test_parse_content(void **state)
{
	const char    *xml = XML("<day d=\"01.01\" t=\"1\" h=\"1\"/>\n"
			      "<day d=\"05.10\" t=\"1\" f=\"05.09\"/>\n"
			      "<day d=\"11.06\" t=\"3\"/>\n"
			      "<day d=\"11.05\" t=\"2\"/>\n");
	struct cal_xml x;
	struct err     e;

	(void)state;
	assert_int_equal(cal_parse_xml(xml, strlen(xml), "t.xml", &x, &e), 0);
	assert_int_equal(x.year, 2027);
	assert_string_equal(x.country, "ru");
	assert_int_equal(x.ndays, 4);
	assert_int_equal(x.days[0].day, D("2027-01-01"));
	assert_int_equal(x.days[0].kind, CAL_OFF);
	assert_string_equal(x.days[0].note, "Новый год");
	assert_int_equal(x.days[0].line, 5);
	assert_string_equal(x.days[1].note, "перенос с 09.05");
	assert_int_equal(x.days[2].kind, CAL_WORK);
	assert_null(x.days[2].note);
	assert_int_equal(x.days[3].kind, CAL_SHORT);
	cal_xml_free(&x);
	cal_xml_free(&x);
	cal_xml_free(NULL);
}

static void
test_parse_limits(void **state)
{
	static const char lol[] = HEAD "<!DOCTYPE c [<!ENTITY a "
	    "\"&#38;a;&#38;a;\">]><calendar year=\"2027\">&a;</calendar>";
	static const char nul[] = HEAD "<calendar year=\"2027\"><days>\0"
	    "</days></calendar>";
	struct cal_xml	  x;
	struct err	  e;
	char		 *big;
	size_t		  n = CAL_XML_MAX + 1;

	(void)state;
	big = xmalloc(n);
	memset(big, ' ', n);
	memcpy(big, HEAD, strlen(HEAD));
	assert_int_equal(cal_parse_xml(big, n, "big.xml", &x, &e), -1);
	assert_non_null(strstr(e.msg, "big.xml: larger than"));
	free(big);
	/* A billion laughs never reaches the parser. */
	assert_int_equal(cal_parse_xml(lol, sizeof(lol) - 1, "lol.xml", &x,
	    &e), -1);
	assert_non_null(strstr(e.msg, "declaration"));
	/* A NUL byte inside the document. */
	assert_int_equal(cal_parse_xml(nul, sizeof(nul) - 1, "nul.xml", &x,
	    &e), -1);
	assert_int_equal(e.code, EXIT_DATAERR);
	assert_true(strncmp(e.msg, "nul.xml:2: ", 11) == 0);
}

/* The database: a scratch SQLite file per test. */
struct dbt {
	char	   dir[64];
	char	   path[128];
	struct db *db;
};

static int
db_setup(void **state)
{
	struct dbt *t = xcalloc(1, sizeof(*t));
	struct err  e;

	snprintf(t->dir, sizeof(t->dir), "/tmp/otklik-cal.XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	snprintf(t->path, sizeof(t->path), "%s/t.db", t->dir);
	if ((t->db = db_open(t->path, &e)) == NULL || db_migrate(t->db, &e) < 0)
		fail_msg("%s", e.msg);
	*state = t;
	return 0;
}

static int
db_teardown(void **state)
{
	struct dbt *t = *state;
	char	    p[160];

	db_close(t->db);
	unlink(t->path);
	snprintf(p, sizeof(p), "%s-wal", t->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", t->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s/y.xml", t->dir);
	unlink(p);
	rmdir(t->dir);
	free(t);
	return 0;
}

static int64_t
count(struct db *db, const char *sql)
{
	struct db_stmt *s = db_prepare(db, sql, NULL);
	int64_t		n = -1;

	assert_non_null(s);
	if (db_step(s) == DB_ROW)
		n = db_col_int(s, 0);
	db_finalize(s);
	return n;
}

/* Everything the calendar and the audit log hold, as one text. */
static char *
snapshot(struct db *db)
{
	struct db_stmt *s;
	struct buf	b;

	buf_init(&b, BUF_MAX_DEFAULT);
	s = db_prepare(db, "SELECT region || day || kind || coalesce(note, '') "
	    "FROM calendar_day UNION ALL SELECT region || year || source || "
	    "loaded_at FROM calendar_year UNION ALL SELECT seq || hash FROM "
	    "audit ORDER BY 1", NULL);
	assert_non_null(s);
	while (db_step(s) == DB_ROW)
		buf_printf(&b, "%s\n", db_col_text(s, 0));
	db_finalize(s);
	return buf_detach(&b);
}

static const char *
write_xml(struct dbt *t, const char *xml)
{
	static char p[160];
	FILE	   *f;

	snprintf(p, sizeof(p), "%s/y.xml", t->dir);
	assert_non_null(f = fopen(p, "w"));
	fputs(xml, f);
	fclose(f);
	return p;
}

static void
test_seed(void **state)
{
	struct dbt *t = *state;
	struct cal *a, *b;
	struct err  e;
	int32_t	    d;

	err_clear(&e);
	assert_int_equal(cal_seed(t->db, "test", &e), 0);
	assert_int_equal(count(t->db, "SELECT count(*) FROM calendar_year"),
	    17);
	assert_int_equal(count(t->db, "SELECT count(*) FROM audit"), 2);
	assert_int_equal(count(t->db, "SELECT count(*) FROM audit WHERE "
	    "action = 'calendar.seed' AND object = 'calendar:ru-ta'"), 1);
	/* Again: nothing new, nothing audited. */
	assert_int_equal(cal_seed(t->db, "test", &e), 0);
	assert_int_equal(count(t->db, "SELECT count(*) FROM audit"), 2);
	/* A missing year is seeded alone. */
	assert_int_equal(db_exec(t->db, "DELETE FROM calendar_year WHERE "
	    "region = 'ru' AND year = 2020"), 0);
	assert_int_equal(cal_seed(t->db, "test", &e), 0);
	assert_int_equal(count(t->db, "SELECT count(*) FROM audit"), 3);
	assert_int_equal(count(t->db, "SELECT count(*) FROM calendar_day "
	    "WHERE region = 'ru' AND day LIKE '2020-%'"), 62);

	/* The database says what the built-in data says. */
	a = cal_open(t->db, "ru-ta", &e);
	b = open_builtin("ru-ta");
	assert_non_null(a);
	for (d = D("2013-01-01"); d <= D("2026-12-31"); d++)
		if (cal_kind(a, d) != cal_kind(b, d))
			fail_msg("day %d differs", (int)d);
	assert_int_equal(cal_fallback_used(a, NULL, 0), 0);
	assert_string_equal(cal_region(a), "ru-ta");
	cal_close(a);
	cal_close(b);
}

#define Y2027                                                            \
	HEAD "<calendar year=\"2027\" country=\"ru\"><days>\n"           \
	     "<day d=\"01.01\" t=\"1\"/><day d=\"01.11\" t=\"1\"/>\n"    \
	     "<day d=\"05.03\" t=\"1\"/><day d=\"04.30\" t=\"2\"/>\n"    \
	     "</days></calendar>\n"

static void
test_load(void **state)
{
	struct dbt *t = *state;
	struct cal *c;
	struct err  e;
	char	   *before, *after, buf[32];
	int	    year = 0;

	err_clear(&e);
	assert_int_equal(cal_seed(t->db, "test", &e), 0);
	if (cal_load_xml(t->db, "test", "ru", write_xml(t, Y2027), &year,
	    &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(year, 2027);
	c = cal_open(t->db, "ru", &e);
	assert_int_equal(cal_kind(c, D("2027-01-11")), CAL_OFF);
	assert_int_equal(cal_kind(c, D("2027-02-23")), CAL_WORK); /* as told */
	assert_int_equal(cal_kind(c, D("2027-04-30")), CAL_SHORT);
	assert_int_equal(cal_fallback_used(c, buf, sizeof(buf)), 0);
	cal_close(c);
	assert_int_equal(count(t->db, "SELECT count(*) FROM audit WHERE "
	    "action = 'calendar.load' AND object = 'calendar:ru:2027' AND "
	    "before_json IS NULL AND after_json LIKE '%\"off\":3%'"), 1);

	/* Each broken file fails and leaves everything as it was. */
	before = snapshot(t->db);
	{
		static const char *const bad[] = {
			HEAD "<calendar year=\"2027\"><days>\n<day d=\"05.01\" "
			     "t=\"1\"\"/>\n</days></calendar>",
			HEAD "<calendar year=\"2027\"><days>\n<day d=\"02.29\" "
			     "t=\"1\"/>\n</days></calendar>",
			HEAD "<calendar year=\"2027\" country=\"tatar\"><days>"
			     "</days></calendar>",
			"",
		};
		size_t i;

		for (i = 0; i < nitems(bad); i++) {
			err_clear(&e);
			assert_int_equal(cal_load_xml(t->db, "test", "ru",
			    write_xml(t, bad[i]), &year, &e), -1);
			assert_int_equal(e.code, EXIT_DATAERR);
			assert_non_null(strstr(e.msg, "y.xml"));
			after = snapshot(t->db);
			assert_string_equal(before, after);
			free(after);
		}
	}
	assert_int_equal(cal_load_xml(t->db, "test", "ru", "/nonexistent.xml",
	    &year, &e), -1);
	assert_int_equal(e.code, EXIT_NOINPUT);
	assert_int_equal(cal_load_xml(t->db, "test", "r u", write_xml(t,
	    Y2027), &year, &e), -1);
	assert_int_equal(e.code, EXIT_USAGE);
	after = snapshot(t->db);
	assert_string_equal(before, after);
	free(after);
	free(before);

	/* Loading the same year again replaces it, before and after kept. */
	assert_int_equal(cal_load_xml(t->db, "test", "ru", write_xml(t,
	    HEAD "<calendar year=\"2027\"><days><day d=\"01.01\" t=\"1\"/>"
	    "</days></calendar>"), &year, &e), 0);
	assert_int_equal(count(t->db, "SELECT count(*) FROM calendar_day "
	    "WHERE region = 'ru' AND day LIKE '2027-%'"), 1);
	assert_int_equal(count(t->db, "SELECT count(*) FROM audit WHERE "
	    "object = 'calendar:ru:2027' AND before_json LIKE '%\"off\":3%'"),
	    1);

	/* A failure inside the transaction (the audit log) undoes it all. */
	assert_int_equal(db_exec(t->db, "DELETE FROM audit_head"), 0);
	before = snapshot(t->db);
	assert_int_equal(cal_load_xml(t->db, "test", "ru", write_xml(t, Y2027),
	    &year, &e), -1);
	assert_int_equal(e.code, EXIT_IOERR);
	after = snapshot(t->db);
	assert_string_equal(before, after);
	free(after);
	free(before);
}

static void
test_load_overlay(void **state)
{
	struct dbt *t = *state;
	struct cal *c;
	struct err  e;
	int	    year;

	err_clear(&e);
	assert_int_equal(cal_seed(t->db, "test", &e), 0);
	/* No federal 2027 yet. */
	assert_int_equal(cal_load_xml(t->db, "test", "RU-TA", write_xml(t,
	    HEAD "<calendar year=\"2027\" country=\"tatar\"><days/>"
	    "</calendar>"), &year, &e), -1);
	assert_int_equal(e.code, EXIT_DATAERR);
	assert_non_null(strstr(e.msg, "federal calendar of 2027"));
	assert_int_equal(cal_load_xml(t->db, "test", "ru", write_xml(t,
	    Y2027), &year, &e), 0);
	/*
	 * The regional file repeats federal days, adds 08.27 and 08.30, and
	 * would make the federal 01.11 a working day: that one is ignored.
	 */
	if (cal_load_xml(t->db, "test", "RU-TA", write_xml(t,
	    HEAD "<calendar year=\"2027\" country=\"tatar\"><days>"
	    "<day d=\"01.01\" t=\"1\"/><day d=\"05.03\" t=\"1\"/>"
	    "<day d=\"04.30\" t=\"2\"/><day d=\"08.30\" t=\"1\"/>"
	    "<day d=\"08.27\" t=\"2\"/><day d=\"01.11\" t=\"2\"/>"
	    "</days></calendar>"), &year, &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(count(t->db, "SELECT count(*) FROM calendar_day "
	    "WHERE region = 'ru-ta' AND day LIKE '2027-%'"), 2);
	assert_int_equal(count(t->db, "SELECT count(*) FROM audit WHERE "
	    "object = 'calendar:ru-ta:2027' AND after_json LIKE "
	    "'%\"ignored\":[\"2027-01-11 short (federal: off)\"]%'"), 1);
	c = cal_open(t->db, "ru-ta", &e);
	assert_int_equal(cal_kind(c, D("2027-08-30")), CAL_OFF);
	assert_int_equal(cal_kind(c, D("2027-08-27")), CAL_SHORT);
	assert_int_equal(cal_kind(c, D("2027-01-11")), CAL_OFF);
	assert_int_equal(cal_kind(c, D("2023-04-21")), CAL_OFF);
	cal_close(c);
	c = cal_open(t->db, "ru", &e);
	assert_int_equal(cal_kind(c, D("2027-08-30")), CAL_WORK);
	cal_close(c);
	/* A federal file is not a region's. */
	assert_int_equal(cal_load_xml(t->db, "test", "ru-ta", write_xml(t,
	    Y2027), &year, &e), -1);
	assert_non_null(strstr(e.msg, "country=\"ru\""));
}

static void
test_db_empty(void **state)
{
	struct dbt *t = *state;
	struct cal *c;
	struct err  e;
	char	    buf[32];

	/* Without seeding every year is a fallback year. */
	c = cal_open(t->db, "ru", &e);
	assert_non_null(c);
	assert_int_equal(cal_kind(c, D("2026-01-09")), CAL_WORK);
	assert_int_equal(cal_fallback_used(c, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "2026");
	cal_close(c);
	/* A corrupt row is reported, not guessed at. */
	assert_int_equal(db_exec(t->db, "INSERT INTO calendar_day VALUES "
	    "('ru', '2026-02-30', 'off', NULL)"), 0);
	assert_null(cal_open(t->db, "ru", &e));
	assert_non_null(strstr(e.msg, "2026-02-30"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_facts),
		cmocka_unit_test(test_totals),
		cmocka_unit_test(test_add_cases),
		cmocka_unit_test(test_between_cases),
		cmocka_unit_test(test_inverse_random),
		cmocka_unit_test(test_many_deadlines),
		cmocka_unit_test(test_fallback),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_content),
		cmocka_unit_test(test_parse_limits),
		cmocka_unit_test_setup_teardown(test_seed, db_setup,
		    db_teardown),
		cmocka_unit_test_setup_teardown(test_load, db_setup,
		    db_teardown),
		cmocka_unit_test_setup_teardown(test_load_overlay, db_setup,
		    db_teardown),
		cmocka_unit_test_setup_teardown(test_db_empty, db_setup,
		    db_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * otklik calendar add|between|show|load: the working-day calendar of
 * R-CAL from the command line.  add, between and show read the database
 * when there is one and the calendars built into the program when there
 * is none, so they work before "otklik init"; load puts one year of an
 * xmlcalendar file into the database.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "otklik.h"
#include "cal.h"
#include "cmd.h"
#include "db.h"
#include "org.h"

/* The largest term "calendar add" takes, in working days (~400 years). */
#define ADD_MAX 100000

static const struct cmd_opt region_opts[] = {
	{"region", "CODE", "this region's calendar (ru, RU-TA, ...); "
			   "default: that of --org, else ru"},
	{NULL, NULL, NULL},
};

static const struct cmd_opt load_opts[] = {
	{"region", "CODE", "the region the file is for (default ru, the "
			   "federal calendar)"},
	{NULL, NULL, NULL},
};

static const char *const weekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri",
    "Sat", "Sun"};

/*
 * The calendar of --region, else of the organization of --org, else the
 * federal one; from the database if there is one, else the built-in one.
 * NULL after printing an error, whose exit code is in *rc.
 */
static struct cal *
open_cal(struct cmd_ctx *c, int *rc)
{
	struct db  *db = NULL;
	struct org *o = NULL;
	struct cal *cal = NULL;
	struct err  e;
	char	   *region = NULL;

	err_clear(&e);
	if (cmd_opt(c, 0) != NULL &&
	    (region = org_region_normalize(cmd_opt(c, 0))) == NULL) {
		*rc = cmd_fail(EXIT_USAGE, "--region %s: a region code such "
		    "as ru, RU-TA or RU-BA", cmd_opt(c, 0));
		return NULL;
	}
	if (access(c->dbpath, F_OK) == 0 ||
	    strncmp(c->dbpath, "postgres", 8) == 0) {
		if ((db = db_open(c->dbpath, &e)) == NULL) {
			*rc = cmd_error(&e);
			goto out;
		}
		if (db_schema_version(db) == 0) {
			*rc = cmd_fail(EXIT_NOINPUT, "%s: not initialized; run "
			    "'otklik --db %s init'", c->dbpath, c->dbpath);
			goto out;
		}
	}
	if (region == NULL && c->org_slug != NULL) {
		if (db == NULL) {
			*rc = cmd_fail(EXIT_NOINPUT, "--org %s: %s: no "
			    "database here; create it with 'otklik --db %s "
			    "init'",
			    c->org_slug, c->dbpath, c->dbpath);
			goto out;
		}
		if ((o = org_find(db, c->org_slug, &e)) == NULL) {
			*rc = cmd_error(&e);
			goto out;
		}
		region = xstrdup(o->region);
	}
	if ((cal = cal_open(db, region != NULL ? region : "ru", &e)) == NULL)
		*rc = cmd_error(&e);
out:
	org_free(o);
	db_close(db);
	free(region);
	return cal;
}

static void
warn_fallback(struct cal *cal)
{
	char years[256];

	if (cal_fallback_used(cal, years, sizeof(years))) {
		fflush(stdout);
		fprintf(stderr, "warning: no calendar for %s; the Labour Code "
		    "holidays were assumed\n", years);
	}
}

static int
parse_date(const char *what, const char *s, int32_t *day)
{
	if (date_parse(s, day) == 0)
		return 0;
	cmd_fail(EXIT_USAGE, "%s: '%s' is not a date (YYYY-MM-DD, from 1900 "
	    "to 2200)", what, s);
	return -1;
}

static int
cmd_calendar_add_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct cal *cal;
	int32_t	    day;
	int64_t	    n;
	char	    out[11];
	int	    rc = EXIT_SOFTWARE;

	(void)argc;
	if (parse_date("DATE", argv[0], &day) != 0 ||
	    cmd_parse_int("N", argv[1], -ADD_MAX, ADD_MAX, &n) != 0)
		return EXIT_USAGE;
	if ((cal = open_cal(c, &rc)) == NULL)
		return rc;
	date_format(cal_add(cal, day, (int)n), out);
	printf("%s\n", out);
	warn_fallback(cal);
	cal_close(cal);
	return EXIT_OK;
}

static int
cmd_calendar_between_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct cal *cal;
	int32_t	    a, b;
	int	    rc = EXIT_SOFTWARE;

	(void)argc;
	if (parse_date("A", argv[0], &a) != 0 ||
	    parse_date("B", argv[1], &b) != 0)
		return EXIT_USAGE;
	if ((cal = open_cal(c, &rc)) == NULL)
		return rc;
	printf("%d\n", cal_between(cal, a, b));
	warn_fallback(cal);
	cal_close(cal);
	return EXIT_OK;
}

/* "247 working days (5 shortened), 118 days off" for a year. */
static void
print_totals(struct cal *cal, int year, int nshort)
{
	int32_t first = date_from_ymd(year, 1, 1);
	int32_t last = date_from_ymd(year, 12, 31);
	int	work;

	work = cal_between(cal, first, last) + cal_is_working(cal, first);
	printf("%d: %d working days (%d shortened), %d days off\n", year, work,
	    nshort, last - first + 1 - work);
}

static int
cmd_calendar_show_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct cal_day *days;
	struct cal     *cal;
	int64_t		year;
	char		d[11];
	int		i, n, nshort = 0, rc = EXIT_SOFTWARE;

	(void)argc;
	if (cmd_parse_int("YEAR", argv[0], 1900, 2200, &year) != 0)
		return EXIT_USAGE;
	if ((cal = open_cal(c, &rc)) == NULL)
		return rc;
	if ((n = cal_year_days(cal, (int)year, &days)) < 0) {
		cal_close(cal);
		return cmd_fail(EXIT_SOFTWARE, "calendar show: year %d",
		    (int)year);
	}
	for (i = 0; i < n; i++) {
		date_format(days[i].day, d);
		printf("%s\t%s\t%s\t%s\n", d,
		    weekdays[date_weekday(days[i].day) - 1],
		    days[i].kind == CAL_OFF ? "off"
		    : days[i].kind == CAL_SHORT ? "short" : "work",
		    days[i].note != NULL ? days[i].note : "");
		nshort += days[i].kind == CAL_SHORT;
	}
	free(days);
	print_totals(cal, (int)year, nshort);
	warn_fallback(cal);
	cal_close(cal);
	return EXIT_OK;
}

static int
cmd_calendar_load_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct cal_day *days;
	struct cal     *cal;
	struct err	e;
	char	       *region;
	int		year, n, i, nshort = 0;

	(void)argc;
	err_clear(&e);
	region = org_region_normalize(cmd_opt(c, 0) != NULL ? cmd_opt(c, 0)
							     : "ru");
	if (region == NULL)
		return cmd_fail(EXIT_USAGE, "--region %s: a region code such "
		    "as ru, RU-TA or RU-BA", cmd_opt(c, 0));
	if (cal_load_xml(c->db, c->actor, region, argv[0], &year, &e) != 0) {
		free(region);
		return cmd_error(&e);
	}
	printf("%s %d: loaded from %s\n", region, year, argv[0]);
	/* What the year now is, as the organizations of the region see it. */
	if ((cal = cal_open(c->db, region, &e)) != NULL) {
		if ((n = cal_year_days(cal, year, &days)) >= 0) {
			for (i = 0; i < n; i++)
				nshort += days[i].kind == CAL_SHORT;
			free(days);
		}
		print_totals(cal, year, nshort);
		cal_close(cal);
	}
	free(region);
	return EXIT_OK;
}

const struct cmd_entry cmd_calendar_add_entry = {
	.name = "calendar add",
	.args = "DATE N",
	.summary = "the date N working days after DATE",
	.help = "Prints the date N working days after DATE (YYYY-MM-DD). The "
		"term starts the day\nafter DATE (Civil Code art. 191): N = 1 "
		"is the first working day after it.\nN = 0 prints DATE itself, "
		"even a day off. A negative N counts back: -1 is\nthe last "
		"working day before DATE (write it after '--':\n'otklik "
		"calendar add -- 2026-05-12 -3'). N is from "
		"-100000 to 100000.\n'calendar between DATE RESULT' gives N "
		"back. Without a database the built-in\ncalendars are used; "
		"for a year with no calendar the Labour Code holidays\nare "
		"assumed, with a warning.",
	.opts = region_opts,
	.flags = 0,
	.minargs = 2,
	.maxargs = 2,
	.exec = cmd_calendar_add_exec,
};

const struct cmd_entry cmd_calendar_between_entry = {
	.name = "calendar between",
	.args = "A B",
	.summary = "the number of working days after A up to B",
	.help = "Prints the number of working days in (A, B]: after A, up to "
		"and including B,\nso that 'calendar add A N' gives a B with "
		"'calendar between A B' = N. When B\nis before A it counts "
		"back the same way, from the day before A down to and\n"
		"including B, "
		"and is negative. Without a database the built-in calendars "
		"are\nused; for a year with no calendar the Labour Code "
		"holidays are assumed, with\na warning.",
	.opts = region_opts,
	.flags = 0,
	.minargs = 2,
	.maxargs = 2,
	.exec = cmd_calendar_between_exec,
};

const struct cmd_entry cmd_calendar_show_entry = {
	.name = "calendar show",
	.args = "YEAR",
	.summary = "list a year's days off, shortened and working weekend days",
	.help = "Lists, one per line (date, weekday, kind, note), the days of "
		"YEAR that are not\nwhat their weekday says: days off from "
		"Monday to Friday, shortened days\n(short), working Saturdays "
		"and Sundays (work), and the holidays that fall on\na weekend; "
		"then the year's totals.",
	.opts = region_opts,
	.flags = 0,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_calendar_show_exec,
};

const struct cmd_entry cmd_calendar_load_entry = {
	.name = "calendar load",
	.args = "FILE",
	.summary = "load a year's calendar from an xmlcalendar XML file",
	.help = "Loads the year of FILE (the xmlcalendar format: <calendar "
		"year=...><days><day\nd=\"MM.DD\" t=\"1|2|3\"/>...) into the "
		"database, replacing that year of the region.\nFor a region "
		"other than ru only the days it adds to the federal calendar "
		"are\nkept, so the federal year must be there first. A file "
		"with any error is\nrefused with its line, and nothing is "
		"written. Audited.",
	.opts = load_opts,
	.flags = CMD_DB,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_calendar_load_exec,
};

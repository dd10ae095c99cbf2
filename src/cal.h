/*
 * Working days (R-CAL): the Russian production calendar with a region's
 * own days off laid over it.  Days are day numbers (see clock.c).
 *
 * A term of N working days "from" a day starts the day after it (Civil
 * Code art. 191): cal_add(c, d, 10) is the tenth working day after d, and
 * cal_between(c, a, b) counts the working days in (a, b], so that
 * cal_between(c, d, cal_add(c, d, n)) == n.
 */
#ifndef OTKLIK_CAL_H
#define OTKLIK_CAL_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct err;
struct cal;

/*
 * Loads the calendar of a region ("ru", "ru-ta") from the database, or
 * from the data built into the program when db is NULL.  Never fails for
 * an unknown region: it gets the federal calendar.
 */
struct cal *cal_open(struct db *, const char *region, struct err *);
void	    cal_close(struct cal *);

/*
 * A struct cal holds every year it was asked about in memory (built on
 * first use, under a lock, so one calendar may serve several threads).
 * Days are taken within the years 1..9999; a day outside counts as the
 * nearest bound.
 */
int	    cal_is_working(struct cal *, int32_t day);
/* 1 if the day is a shortened (pre-holiday) working day. */
int	    cal_is_short(struct cal *, int32_t day);
/*
 * n = 0 gives the day itself, even a day off.  A negative n counts back
 * the same way: cal_add(c, d, -1) is the last working day before d.
 * Together with cal_between this keeps cal_between(c, d, cal_add(c, d,
 * n)) == n for every n, as long as the result stays within the years
 * 1..9999 (it is clamped to them).
 */
int32_t	    cal_add(struct cal *, int32_t day, int n);
/*
 * Counting always starts after a and ends on b: for b before a the result
 * is minus the working days in [b, a).
 */
int	    cal_between(struct cal *, int32_t a, int32_t b);
/*
 * 1 if a year had no data and the Labour Code's holidays (art. 112) were
 * assumed for it; the years so assumed since cal_open are listed in buf.
 */
int	    cal_fallback_used(struct cal *, char *years, size_t len);

/*
 * Puts the data built into the program into the database (at init);
 * years already there are left alone.  Returns 0 or -1.
 */
int	    cal_seed(struct db *, const char *actor, struct err *);

/*
 * Loads one year from a file in the xmlcalendar format (the format of
 * data/calendar in the sources: <calendar year=…><days><day d="MM.DD"
 * t="1|2|3"/>…).  For a regional file whose days repeat the federal ones,
 * only the differences are kept.  Replaces that year of the region;
 * audited.  Prints nothing; fills *year.
 */
int	    cal_load_xml(struct db *, const char *actor, const char *region,
	const char *path, int *year, struct err *);
/*
 * (For a region, the differences kept are the days it makes off, or
 * shortened, against the federal year already in the database, which
 * must be there; a region cannot turn a federal day off into a working
 * day, so such days are left out and named in the audit entry.  The
 * file's country="…" must agree: "ru" or none for ru, not "ru" for a
 * region.  A file with any error writes nothing.)
 */

/*
 * What follows was added for "otklik calendar show", the tests and the
 * fuzzer.  Kinds of a day:
 */
#define CAL_WORK  0	/* a working day */
#define CAL_SHORT 1	/* a working day one hour shorter (art. 95) */
#define CAL_OFF	  2	/* a day off */

/* The kind of a day, one of CAL_*. */
int	    cal_kind(struct cal *, int32_t day);

/* The region the calendar was opened for, normalized ("ru", "ru-ta"). */
const char *cal_region(const struct cal *);

struct cal_day {
	int32_t	    day;
	int	    kind;	/* CAL_* */
	const char *note;	/* holiday or transfer, or NULL; lives as
				   long as the struct cal */
};

/*
 * The days of a year worth listing: days off from Monday to Friday,
 * shortened days, working Saturdays and Sundays, and holidays the
 * calendar names even where they fall on a weekend.  Fills *days (the
 * caller frees it) in date order and returns the count, or -1 for a year
 * outside 1..9999.  A year without data counts as a fallback year.
 */
int	    cal_year_days(struct cal *, int year, struct cal_day **days);

/* The largest calendar file cal_load_xml and cal_parse_xml accept. */
#define CAL_XML_MAX ((size_t)1 << 20)

struct cal_xml_day {
	int32_t day;
	int	kind;	/* CAL_OFF for t=1, CAL_SHORT t=2, CAL_WORK t=3 */
	int	line;	/* in the file, for messages */
	char   *note;	/* the holiday's title, a transfer, or NULL */
};

struct cal_xml {
	int		    year;
	char		    country[32];	/* "" when absent */
	int		    ndays;
	struct cal_xml_day *days;		/* in the order of the file */
};

/*
 * Parses a calendar in the xmlcalendar format held in memory, touching
 * neither the database nor the network, printing nothing: no DTD or
 * entity declaration, at most CAL_XML_MAX bytes, only the elements and
 * attributes of the format, every day a real date of the year given once
 * with t from 1 to 3 (3 only on a Saturday or Sunday), every h naming a
 * <holiday>.  "name" is used in messages ("FILE:LINE: problem").  Returns
 * 0, or -1 with an EXIT_DATAERR error; free the result with cal_xml_free
 * (also after a failure).
 */
int	    cal_parse_xml(const char *data, size_t len, const char *name,
	struct cal_xml *, struct err *);
void	    cal_xml_free(struct cal_xml *);

#endif

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

int	    cal_is_working(struct cal *, int32_t day);
/* 1 if the day is a shortened (pre-holiday) working day. */
int	    cal_is_short(struct cal *, int32_t day);
int32_t	    cal_add(struct cal *, int32_t day, int n);
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

#endif

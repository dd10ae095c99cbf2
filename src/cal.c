/*
 * Working days (R-CAL): the federal production calendar with a region's
 * overlay, read from the database or from the files built into the
 * program (data/calendar/<region>.cal), the Labour Code holidays for a
 * year with no data, the reader of the xmlcalendar XML format, and the
 * loading of such a file into the database.
 *
 * A calendar keeps each year it was asked about as one byte per day and
 * a running count of working days, so that cal_add and cal_between cost
 * a step per year crossed and a binary search, not a step per day.
 */
#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

#include "otklik.h"
#include "audit.h"
#include "cal.h"
#include "db.h"
#include "org.h"

#define YEAR_MIN   1
#define YEAR_MAX   9999
/* Years kept once built; others are rebuilt on each use. */
#define CACHE_MIN  1900
#define CACHE_MAX  2299
#define NCACHE	   (CACHE_MAX - CACHE_MIN + 1)
/* Years a calendar file or the database may hold (those of date_parse). */
#define DATA_MIN   1900
#define DATA_MAX   2200
#define REGION_MAX 16
#define NOTE_MAX   300	 /* bytes of a holiday's title */
#define LINE_MAX_  1024	 /* bytes of a line of a .cal file */
#define HOLIDAYS_MAX 64

/* A listed day: from the federal calendar or from the region's overlay. */
struct ex {
	int32_t day;
	uint8_t kind;
	uint8_t overlay;
	char   *note;
};

struct yr {
	int	 year;
	int	 fallback;	/* no federal data: the Labour Code assumed */
	int	 len;		/* 365 or 366 */
	int	 total;		/* working days */
	int32_t	 first;		/* January 1 */
	uint8_t	 kind[366];
	uint16_t cum[367];	/* working days before day i of the year */
};

struct cal {
	char		region[REGION_MAX];
	pthread_mutex_t lock;
	struct ex      *ex;	/* by day, the federal day before the overlay */
	size_t		nex;
	int	       *fyears;	/* federal years with data, ascending */
	size_t		nfyears;
	struct yr      *cache[NCACHE];
	uint8_t		used[YEAR_MAX / 8 + 1];	/* fallback years consulted */
};

static const char *const kind_names[] = {"work", "short", "off"};

/*
 * Labour Code art. 112: the non-working holidays.  One falling on a
 * Saturday or Sunday gives a day off on the next working day, except the
 * January ones, whose transfers the government decides each year.
 */
static const struct {
	int	    m, d, moves;
	const char *note, *moved;
} lc_holidays[] = {
	{1, 1, 0, "Новогодние каникулы", NULL},
	{1, 2, 0, "Новогодние каникулы", NULL},
	{1, 3, 0, "Новогодние каникулы", NULL},
	{1, 4, 0, "Новогодние каникулы", NULL},
	{1, 5, 0, "Новогодние каникулы", NULL},
	{1, 6, 0, "Новогодние каникулы", NULL},
	{1, 7, 0, "Рождество Христово", NULL},
	{1, 8, 0, "Новогодние каникулы", NULL},
	{2, 23, 1, "День защитника Отечества", "перенос с 23.02"},
	{3, 8, 1, "Международный женский день", "перенос с 08.03"},
	{5, 1, 1, "Праздник Весны и Труда", "перенос с 01.05"},
	{5, 9, 1, "День Победы", "перенос с 09.05"},
	{6, 12, 1, "День России", "перенос с 12.06"},
	{11, 4, 1, "День народного единства", "перенос с 04.11"},
};

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31};

	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

static int
plain_kind(int32_t day)
{
	return date_weekday(day) >= 6 ? CAL_OFF : CAL_WORK;
}

static int
kind_parse(const char *s, size_t n)
{
	int k;

	for (k = 0; k < (int)nitems(kind_names); k++)
		if (strlen(kind_names[k]) == n &&
		    strncmp(kind_names[k], s, n) == 0)
			return k;
	return -1;
}

static int32_t
clamp_day(int32_t day)
{
	int32_t lo = date_from_ymd(YEAR_MIN, 1, 1);
	int32_t hi = date_from_ymd(YEAR_MAX, 12, 31);

	return day < lo ? lo : day > hi ? hi : day;
}

static int
region_ok(const char *s)
{
	char *n;
	int   ok;

	if (s == NULL || (n = org_region_normalize(s)) == NULL)
		return 0;
	ok = strcmp(n, s) == 0 && strlen(n) < REGION_MAX;
	free(n);
	return ok;
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_ex(const void *a, const void *b)
{
	const struct ex *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return (int)x->overlay - (int)y->overlay;
}

/* The first listed day on or after "day". */
static size_t
ex_lower(const struct cal *c, int32_t day)
{
	size_t lo = 0, hi = c->nex, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->ex[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
year_known(const struct cal *c, int y)
{
	return c->nfyears > 0 && bsearch(&y, c->fyears, c->nfyears,
	    sizeof(int), cmp_int) != NULL;
}

/* Marks the Labour Code holidays of year y (and their transfers). */
static void
fallback_apply(struct yr *yr, const char **notes)
{
	size_t	i;
	int	doy, j;
	int32_t day;

	for (i = 0; i < nitems(lc_holidays); i++) {
		doy = date_from_ymd(yr->year, lc_holidays[i].m,
		    lc_holidays[i].d) - yr->first;
		yr->kind[doy] = CAL_OFF;
		if (notes != NULL)
			notes[doy] = lc_holidays[i].note;
	}
	/* Transfers, once every holiday is in place. */
	for (i = 0; i < nitems(lc_holidays); i++) {
		day = date_from_ymd(yr->year, lc_holidays[i].m,
		    lc_holidays[i].d);
		if (!lc_holidays[i].moves || date_weekday(day) < 6)
			continue;
		for (j = day - yr->first + 1; j < yr->len; j++)
			if (date_weekday(yr->first + j) < 6 &&
			    yr->kind[j] != CAL_OFF)
				break;
		if (j < yr->len) {
			yr->kind[j] = CAL_OFF;
			if (notes != NULL)
				notes[j] = lc_holidays[i].moved;
		}
	}
	/* Art. 95: the working day before a holiday is an hour shorter. */
	for (i = 0; i < nitems(lc_holidays); i++) {
		doy = date_from_ymd(yr->year, lc_holidays[i].m,
		    lc_holidays[i].d) - yr->first;
		if (doy > 0 && yr->kind[doy - 1] == CAL_WORK)
			yr->kind[doy - 1] = CAL_SHORT;
	}
	/* December 31 comes before the New Year holidays. */
	if (yr->kind[yr->len - 1] == CAL_WORK)
		yr->kind[yr->len - 1] = CAL_SHORT;
}

/*
 * Builds year y: the weekday rule, then the federal days (or the Labour
 * Code when the year has no federal data), then the region's overlay.
 */
static void
year_build(const struct cal *c, int y, struct yr *yr, const char **notes)
{
	size_t i;
	int    d, known;

	yr->year = y;
	yr->first = date_from_ymd(y, 1, 1);
	yr->len = is_leap(y) ? 366 : 365;
	known = year_known(c, y);
	yr->fallback = !known;
	for (d = 0; d < yr->len; d++) {
		yr->kind[d] = (uint8_t)plain_kind(yr->first + d);
		if (notes != NULL)
			notes[d] = NULL;
	}
	if (!known)
		fallback_apply(yr, notes);
	for (i = ex_lower(c, yr->first);
	    i < c->nex && c->ex[i].day < yr->first + yr->len; i++) {
		if (!c->ex[i].overlay && !known)
			continue;
		d = c->ex[i].day - yr->first;
		yr->kind[d] = c->ex[i].kind;
		if (notes != NULL)
			notes[d] = c->ex[i].note;
	}
	yr->cum[0] = 0;
	for (d = 0; d < yr->len; d++)
		yr->cum[d + 1] = (uint16_t)(yr->cum[d] +
		    (yr->kind[d] != CAL_OFF));
	yr->total = yr->cum[yr->len];
}

/*
 * The year y, built on first use; outside the cached years it is built
 * into *scratch.  Records a fallback year.  Called with the lock held.
 */
static const struct yr *
year_get(struct cal *c, int y, struct yr *scratch)
{
	struct yr *yr;

	if (y >= CACHE_MIN && y <= CACHE_MAX) {
		if ((yr = c->cache[y - CACHE_MIN]) == NULL) {
			yr = xmalloc(sizeof(*yr));
			year_build(c, y, yr, NULL);
			c->cache[y - CACHE_MIN] = yr;
		}
	} else {
		year_build(c, y, scratch, NULL);
		yr = scratch;
	}
	if (yr->fallback)
		c->used[y / 8] |= (uint8_t)(1u << (y % 8));
	return yr;
}

static void
day_locate(int32_t day, int *y, int *doy)
{
	int m, d;

	date_to_ymd(day, y, &m, &d);
	*doy = day - date_from_ymd(*y, 1, 1);
}

int
cal_kind(struct cal *c, int32_t day)
{
	const struct yr *yr;
	struct yr	 scratch;
	int		 y, doy, k;

	day = clamp_day(day);
	day_locate(day, &y, &doy);
	pthread_mutex_lock(&c->lock);
	yr = year_get(c, y, &scratch);
	k = yr->kind[doy];
	pthread_mutex_unlock(&c->lock);
	return k;
}

int
cal_is_working(struct cal *c, int32_t day)
{
	return cal_kind(c, day) != CAL_OFF;
}

int
cal_is_short(struct cal *c, int32_t day)
{
	return cal_kind(c, day) == CAL_SHORT;
}

/* Working days in (a, b] for a < b, both within the years. */
static int
between_locked(struct cal *c, int32_t a, int32_t b)
{
	const struct yr *yr;
	struct yr	 scratch;
	int		 ya, oa, yb, ob, y, n;

	day_locate(a, &ya, &oa);
	day_locate(b, &yb, &ob);
	yr = year_get(c, ya, &scratch);
	if (ya == yb)
		return yr->cum[ob + 1] - yr->cum[oa + 1];
	n = yr->total - yr->cum[oa + 1];
	for (y = ya + 1; y < yb; y++)
		n += year_get(c, y, &scratch)->total;
	yr = year_get(c, yb, &scratch);
	return n + yr->cum[ob + 1];
}

int
cal_between(struct cal *c, int32_t a, int32_t b)
{
	const struct yr *yr;
	struct yr	 scratch;
	int		 n, y, doy;

	a = clamp_day(a);
	b = clamp_day(b);
	if (a == b)
		return 0;
	pthread_mutex_lock(&c->lock);
	if (a < b)
		n = between_locked(c, a, b);
	else {
		/* Backwards: minus the working days in [b, a). */
		day_locate(b, &y, &doy);
		yr = year_get(c, y, &scratch);
		n = -(yr->kind[doy] != CAL_OFF);
		if (a - 1 > b)
			n -= between_locked(c, b, a - 1);
	}
	pthread_mutex_unlock(&c->lock);
	return n;
}

int32_t
cal_add(struct cal *c, int32_t day, int n)
{
	const struct yr *yr;
	struct yr	 scratch;
	int64_t		 t;
	int32_t		 r;
	int		 y, doy, lo, hi, mid;

	if (n == 0)
		return day;
	day = clamp_day(day);
	day_locate(day, &y, &doy);
	pthread_mutex_lock(&c->lock);
	yr = year_get(c, y, &scratch);
	/*
	 * t: the target as a running count of working days from January 1
	 * of y; forward, the n-th working day after the day, backward the
	 * -n-th before it.  The first day whose count reaches t is it.
	 */
	t = n > 0 ? (int64_t)yr->cum[doy + 1] + n
		  : (int64_t)yr->cum[doy] + n + 1;
	for (;;) {
		if (t > yr->total) {
			if (y == YEAR_MAX) {
				r = date_from_ymd(YEAR_MAX, 12, 31);
				break;
			}
			t -= yr->total;
			yr = year_get(c, ++y, &scratch);
		} else if (t <= 0) {
			if (y == YEAR_MIN) {
				r = date_from_ymd(YEAR_MIN, 1, 1);
				break;
			}
			yr = year_get(c, --y, &scratch);
			t += yr->total;
		} else {
			/* The first day whose running count reaches t. */
			lo = 0;
			hi = yr->len - 1;
			while (lo < hi) {
				mid = lo + (hi - lo) / 2;
				if (yr->cum[mid + 1] >= t)
					hi = mid;
				else
					lo = mid + 1;
			}
			r = yr->first + lo;
			break;
		}
	}
	pthread_mutex_unlock(&c->lock);
	return r;
}

/* Appends to a bounded string; on overflow ends it with "...". */
static void
list_add(char *buf, size_t len, size_t *used, const char *s)
{
	size_t n = strlen(s);

	if (buf == NULL || len == 0 || *used == (size_t)-1)
		return;
	if (*used + n + 1 > len) {
		if (len >= 4)
			memcpy(buf + (*used + 4 <= len ? *used : len - 4),
			    "...", 4);
		*used = (size_t)-1;
		return;
	}
	memcpy(buf + *used, s, n + 1);
	*used += n;
}

int
cal_fallback_used(struct cal *c, char *years, size_t len)
{
	char   item[32];
	size_t used = 0;
	int    y, from, any = 0;

	if (years != NULL && len > 0)
		years[0] = '\0';
	pthread_mutex_lock(&c->lock);
	for (y = YEAR_MIN; y <= YEAR_MAX; y++) {
		if (!(c->used[y / 8] & (1u << (y % 8))))
			continue;
		from = y;
		while (y < YEAR_MAX &&
		    (c->used[(y + 1) / 8] & (1u << ((y + 1) % 8))))
			y++;
		if (from == y)
			snprintf(item, sizeof(item), "%s%d", any ? ", " : "",
			    y);
		else
			snprintf(item, sizeof(item), "%s%d-%d",
			    any ? ", " : "", from, y);
		list_add(years, len, &used, item);
		any = 1;
	}
	pthread_mutex_unlock(&c->lock);
	return any;
}

const char *
cal_region(const struct cal *c)
{
	return c->region;
}

int
cal_year_days(struct cal *c, int year, struct cal_day **days)
{
	struct yr   yr;
	const char *notes[366];
	int	    d, n = 0;

	*days = NULL;
	if (year < YEAR_MIN || year > YEAR_MAX)
		return -1;
	pthread_mutex_lock(&c->lock);
	year_build(c, year, &yr, notes);
	if (yr.fallback)
		c->used[year / 8] |= (uint8_t)(1u << (year % 8));
	pthread_mutex_unlock(&c->lock);
	*days = xcalloc((size_t)yr.len, sizeof(**days));
	for (d = 0; d < yr.len; d++) {
		if (yr.kind[d] == plain_kind(yr.first + d) && notes[d] == NULL)
			continue;
		(*days)[n].day = yr.first + d;
		(*days)[n].kind = yr.kind[d];
		(*days)[n].note = notes[d];
		n++;
	}
	return n;
}

/*
 * The files built into the program: data/calendar/<region>.cal, whose
 * format the header of each file describes.
 */
struct calfile {
	char	   region[REGION_MAX];
	int	  *years;
	size_t	   nyears;
	struct ex *days;
	size_t	   ndays;
};

static void
calfile_free(struct calfile *f)
{
	size_t i;

	for (i = 0; i < f->ndays; i++)
		free(f->days[i].note);
	free(f->days);
	free(f->years);
	memset(f, 0, sizeof(*f));
}

static int
calfile_line(const char *name, int ln, const char *s, size_t n,
    struct calfile *f, size_t *capy, size_t *capd, struct err *e)
{
	char	line[LINE_MAX_];
	int32_t day;
	int	y, m, d, k;
	size_t	w, i;

	if (n >= sizeof(line))
		return err_set(e, EXIT_SOFTWARE, "%s:%d: line longer than %zu "
		    "bytes", name, ln, sizeof(line) - 1);
	memcpy(line, s, n);
	line[n] = '\0';
	if (f->region[0] == '\0') {
		if (strncmp(line, "region ", 7) != 0 || !region_ok(line + 7))
			return err_set(e, EXIT_SOFTWARE, "%s:%d: expected "
			    "'region CODE' first", name, ln);
		memcpy(f->region, line + 7, strlen(line + 7) + 1);
		return 0;
	}
	if (strncmp(line, "year ", 5) == 0) {
		if (f->ndays > 0)
			return err_set(e, EXIT_SOFTWARE, "%s:%d: a year line "
			    "after the days", name, ln);
		if (strlen(line) != 9 || !isdigit((unsigned char)line[5]) ||
		    !isdigit((unsigned char)line[6]) ||
		    !isdigit((unsigned char)line[7]) ||
		    !isdigit((unsigned char)line[8]))
			return err_set(e, EXIT_SOFTWARE, "%s:%d: expected "
			    "'year YYYY'", name, ln);
		y = (int)strtol(line + 5, NULL, 10);
		if (y < DATA_MIN || y > DATA_MAX || (f->nyears > 0 &&
		    y <= f->years[f->nyears - 1]))
			return err_set(e, EXIT_SOFTWARE, "%s:%d: year %d "
			    "out of order or range", name, ln, y);
		if (f->nyears == *capy) {
			*capy = *capy != 0 ? *capy * 2 : 16;
			f->years = xreallocarray(f->years, *capy, sizeof(int));
		}
		f->years[f->nyears++] = y;
		return 0;
	}
	if (n < 10 || (line[10] != ' ' && line[10] != '\0'))
		return err_set(e, EXIT_SOFTWARE, "%s:%d: expected 'YYYY-MM-DD "
		    "KIND [NOTE]'", name, ln);
	line[10] = '\0';
	if (date_parse(line, &day) != 0)
		return err_set(e, EXIT_SOFTWARE, "%s:%d: '%s' is not a date",
		    name, ln, line);
	date_to_ymd(day, &y, &m, &d);
	if (f->nyears == 0 ||
	    bsearch(&y, f->years, f->nyears, sizeof(int), cmp_int) == NULL)
		return err_set(e, EXIT_SOFTWARE, "%s:%d: %s is in no year "
		    "line", name, ln, line);
	if (f->ndays > 0 && day <= f->days[f->ndays - 1].day)
		return err_set(e, EXIT_SOFTWARE, "%s:%d: %s is out of order",
		    name, ln, line);
	s = n > 10 ? line + 11 : "";
	w = strcspn(s, " ");
	if ((k = kind_parse(s, w)) < 0)
		return err_set(e, EXIT_SOFTWARE, "%s:%d: kind '%.*s': expected "
		    "off, short or work", name, ln, (int)(w < 20 ? w : 20), s);
	s += w;
	if (*s == ' ')
		s++;
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return err_set(e, EXIT_SOFTWARE, "%s:%d: a control "
			    "character in the note", name, ln);
	if (utf8_invalid_at(s, strlen(s)) != -1)
		return err_set(e, EXIT_SOFTWARE, "%s:%d: the note is not UTF-8",
		    name, ln);
	if (f->ndays == *capd) {
		*capd = *capd != 0 ? *capd * 2 : 64;
		f->days = xreallocarray(f->days, *capd, sizeof(*f->days));
	}
	f->days[f->ndays].day = day;
	f->days[f->ndays].kind = (uint8_t)k;
	f->days[f->ndays].overlay = 0;
	f->days[f->ndays].note = *s != '\0' ? xstrdup(s) : NULL;
	f->ndays++;
	return 0;
}

static int
calfile_parse(const char *name, const char *data, size_t len,
    struct calfile *f, struct err *e)
{
	const char *p = data, *end = data + len, *nl;
	size_t	    n, capy = 0, capd = 0;
	int	    ln = 0;

	memset(f, 0, sizeof(*f));
	for (; p < end; p = nl + 1) {
		ln++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n == 0 || p[0] == '#')
			continue;
		if (calfile_line(name, ln, p, n, f, &capy, &capd, e) != 0) {
			calfile_free(f);
			return -1;
		}
	}
	if (f->region[0] == '\0') {
		calfile_free(f);
		return err_set(e, EXIT_SOFTWARE, "%s: no 'region' line", name);
	}
	return 0;
}

static int
calfile_embedded(const char *region, struct calfile *f, int *found,
    struct err *e)
{
	const struct embedded_file *ef;
	char			    name[64];

	*found = 0;
	snprintf(name, sizeof(name), "calendar/%s.cal", region);
	if ((ef = embedded_find(name)) == NULL)
		return 0;
	if (calfile_parse(name, (const char *)ef->data, ef->len, f, e) != 0)
		return -1;
	if (strcmp(f->region, region) != 0) {
		err_set(e, EXIT_SOFTWARE, "%s: holds region '%s'", name,
		    f->region);
		calfile_free(f);
		return -1;
	}
	*found = 1;
	return 0;
}

/* Moves the days of a file into the calendar's list. */
static void
cal_take(struct cal *c, struct calfile *f, int overlay, size_t *cap)
{
	size_t i;

	for (i = 0; i < f->ndays; i++) {
		if (c->nex == *cap) {
			*cap = *cap != 0 ? *cap * 2 : 512;
			c->ex = xreallocarray(c->ex, *cap, sizeof(*c->ex));
		}
		c->ex[c->nex] = f->days[i];
		c->ex[c->nex++].overlay = (uint8_t)overlay;
	}
	f->ndays = 0;
}

static int
cal_load_embedded(struct cal *c, struct err *e)
{
	struct calfile f;
	size_t	       cap = 0;
	int	       found;

	if (calfile_embedded("ru", &f, &found, e) != 0)
		return -1;
	if (found) {
		c->fyears = f.years;
		c->nfyears = f.nyears;
		f.years = NULL;
		cal_take(c, &f, 0, &cap);
		calfile_free(&f);
	}
	if (strcmp(c->region, "ru") == 0)
		return 0;
	if (calfile_embedded(c->region, &f, &found, e) != 0)
		return -1;
	if (found) {
		cal_take(c, &f, 1, &cap);
		calfile_free(&f);
	}
	return 0;
}

static int
cal_load_db(struct cal *c, struct db *db, struct err *e)
{
	struct db_stmt *s;
	const char     *reg, *day, *kind, *note;
	size_t		cap = 0, capy = 0;
	int32_t		d;
	int		k, r;

	s = db_prepare(db, "SELECT year FROM calendar_year WHERE region = ? "
	    "ORDER BY year", "t", "ru");
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "calendar: %s", db_errmsg(db));
	while ((r = db_step(s)) == DB_ROW) {
		if (c->nfyears == capy) {
			capy = capy != 0 ? capy * 2 : 32;
			c->fyears = xreallocarray(c->fyears, capy, sizeof(int));
		}
		c->fyears[c->nfyears++] = (int)db_col_int(s, 0);
	}
	db_finalize(s);
	if (r == DB_FAIL)
		return err_set(e, EXIT_IOERR, "calendar: %s", db_errmsg(db));

	s = db_prepare(db, "SELECT region, day, kind, note FROM calendar_day "
	    "WHERE region = ? OR region = ?", "tt", "ru", c->region);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "calendar: %s", db_errmsg(db));
	while ((r = db_step(s)) == DB_ROW) {
		reg = db_col_text(s, 0);
		day = db_col_text(s, 1);
		kind = db_col_text(s, 2);
		note = db_col_text(s, 3);
		if (reg == NULL || day == NULL || kind == NULL ||
		    date_parse(day, &d) != 0 ||
		    (k = kind_parse(kind, strlen(kind))) < 0) {
			err_set(e, EXIT_DATAERR, "calendar_day (region %s, day "
			    "%s): not a date and a kind (off, short, work)",
			    reg != NULL ? reg : "NULL",
			    day != NULL ? day : "NULL");
			db_finalize(s);
			return -1;
		}
		if (c->nex == cap) {
			cap = cap != 0 ? cap * 2 : 512;
			c->ex = xreallocarray(c->ex, cap, sizeof(*c->ex));
		}
		c->ex[c->nex].day = d;
		c->ex[c->nex].kind = (uint8_t)k;
		c->ex[c->nex].overlay = strcmp(reg, "ru") != 0;
		c->ex[c->nex].note = note != NULL && *note != '\0'
		    ? xstrdup(note) : NULL;
		c->nex++;
	}
	db_finalize(s);
	if (r == DB_FAIL)
		return err_set(e, EXIT_IOERR, "calendar: %s", db_errmsg(db));
	return 0;
}

struct cal *
cal_open(struct db *db, const char *region, struct err *e)
{
	struct cal *c;
	char	   *norm = NULL;
	int	    r;

	c = xcalloc(1, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	if (region != NULL && *region != '\0')
		norm = org_region_normalize(region);
	snprintf(c->region, sizeof(c->region), "%s",
	    norm != NULL && strlen(norm) < REGION_MAX ? norm : "ru");
	free(norm);
	r = db != NULL ? cal_load_db(c, db, e) : cal_load_embedded(c, e);
	if (r != 0) {
		cal_close(c);
		return NULL;
	}
	if (c->nex > 1)
		qsort(c->ex, c->nex, sizeof(*c->ex), cmp_ex);
	if (c->nfyears > 1)
		qsort(c->fyears, c->nfyears, sizeof(int), cmp_int);
	return c;
}

void
cal_close(struct cal *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < NCACHE; i++)
		free(c->cache[i]);
	for (i = 0; i < c->nex; i++)
		free(c->ex[i].note);
	free(c->ex);
	free(c->fyears);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* JSON helpers for the audit log. */
static json_t *
jstr(const char *s)
{
	json_t *j;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) == NULL)
		j = json_string("(not UTF-8)");
	if (j == NULL)
		fatal("out of memory");
	return j;
}

static char *
jdump(json_t *j)
{
	char *s;

	if ((s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT)) == NULL)
		fatal("out of memory");
	json_decref(j);
	return s;
}

static void
year_range(int y, char from[11], char to[11])
{
	date_format(date_from_ymd(y, 1, 1), from);
	date_format(date_from_ymd(y, 12, 31), to);
}

/* Inserts the days of one year of a file (embedded) for a region. */
static int
seed_year(struct db *db, const struct calfile *f, int y, int64_t now,
    int *ndays, struct err *e)
{
	char   from[11], to[11], day[11];
	size_t i;
	int    yy, m, d;

	year_range(y, from, to);
	if (db_run(db, NULL, "DELETE FROM calendar_day WHERE region = ? AND "
	    "day >= ? AND day <= ?", "ttt", f->region, from, to) != 0)
		return err_set(e, EXIT_IOERR, "calendar: %s", db_errmsg(db));
	for (i = 0; i < f->ndays; i++) {
		date_to_ymd(f->days[i].day, &yy, &m, &d);
		if (yy != y)
			continue;
		date_format(f->days[i].day, day);
		if (db_run(db, NULL, "INSERT INTO calendar_day (region, day, "
		    "kind, note) VALUES (?, ?, ?, ?)", "tttt", f->region, day,
		    kind_names[f->days[i].kind], f->days[i].note) != 0)
			return err_set(e, EXIT_IOERR, "calendar: %s",
			    db_errmsg(db));
		(*ndays)++;
	}
	if (db_run(db, NULL, "INSERT INTO calendar_year (region, year, "
	    "source, loaded_at) VALUES (?, ?, ?, ?)", "titi", f->region,
	    (int64_t)y, "built-in", now) != 0)
		return err_set(e, EXIT_IOERR, "calendar: %s", db_errmsg(db));
	return 0;
}

/* Seeds the years of one region that the database lacks. */
static int
seed_region(struct db *db, const char *actor, const struct calfile *f,
    struct err *e)
{
	struct db_stmt *s;
	json_t	       *after, *years;
	char	       *have, *text, obj[64];
	size_t		i;
	int		y, r, ndays = 0, nnew = 0;
	int64_t		now = clock_now();

	have = xcalloc(DATA_MAX - DATA_MIN + 1, 1);
	s = db_prepare(db, "SELECT year FROM calendar_year WHERE region = ?",
	    "t", f->region);
	if (s == NULL) {
		free(have);
		return err_set(e, EXIT_IOERR, "calendar: %s", db_errmsg(db));
	}
	while ((r = db_step(s)) == DB_ROW) {
		y = (int)db_col_int(s, 0);
		if (y >= DATA_MIN && y <= DATA_MAX)
			have[y - DATA_MIN] = 1;
	}
	db_finalize(s);
	if (r == DB_FAIL) {
		free(have);
		return err_set(e, EXIT_IOERR, "calendar: %s", db_errmsg(db));
	}
	years = json_array();
	for (i = 0; i < f->nyears; i++) {
		y = f->years[i];
		if (have[y - DATA_MIN])
			continue;
		if (seed_year(db, f, y, now, &ndays, e) != 0) {
			json_decref(years);
			free(have);
			return -1;
		}
		json_array_append_new(years, json_integer(y));
		nnew++;
	}
	free(have);
	if (nnew == 0) {
		json_decref(years);
		return 0;
	}
	after = json_object();
	json_object_set_new(after, "region", jstr(f->region));
	json_object_set_new(after, "source", jstr("built-in"));
	json_object_set_new(after, "years", years);
	json_object_set_new(after, "days", json_integer(ndays));
	text = jdump(after);
	snprintf(obj, sizeof(obj), "calendar:%s", f->region);
	r = audit_append(db, actor, 0, "calendar.seed", obj, NULL, text, e);
	free(text);
	return r;
}

int
cal_seed(struct db *db, const char *actor, struct err *e)
{
	struct calfile f;
	const char    *n;
	size_t	       i, l;
	int	       pass;

	if (db_begin(db) != 0)
		return err_set(e, EXIT_IOERR, "calendar: %s", db_errmsg(db));
	/* The federal calendar first, then the regions, in table order. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < embedded_nfiles; i++) {
			n = embedded_files[i].name;
			l = strlen(n);
			if (strncmp(n, "calendar/", 9) != 0 || l <= 13 ||
			    strcmp(n + l - 4, ".cal") != 0)
				continue;
			if ((strcmp(n, "calendar/ru.cal") == 0) != (pass == 0))
				continue;
			if (calfile_parse(n,
			    (const char *)embedded_files[i].data,
			    embedded_files[i].len, &f, e) != 0)
				goto fail;
			if (strlen(f.region) != l - 13 ||
			    strncmp(f.region, n + 9, l - 13) != 0) {
				err_set(e, EXIT_SOFTWARE, "%s: holds region "
				    "'%s'", n, f.region);
				calfile_free(&f);
				goto fail;
			}
			if (seed_region(db, actor, &f, e) != 0) {
				calfile_free(&f);
				goto fail;
			}
			calfile_free(&f);
		}
	}
	if (db_commit(db) != 0) {
		err_set(e, EXIT_IOERR, "calendar: %s", db_errmsg(db));
		goto fail;
	}
	return 0;
fail:
	db_rollback(db);
	return -1;
}

/*
 * The xmlcalendar reader.  libxml2 parses (no network, no DTD, no entity
 * substitution: a document declaring any is refused before parsing); the
 * tree is then checked element by element, attribute by attribute.
 */
struct xml_state {
	const char *name;
	int	    line;
	char	    msg[256];
};

#if LIBXML_VERSION >= 21200
static void
xml_error(void *ctx, const xmlError *err)
#else
static void
xml_error(void *ctx, xmlErrorPtr err)
#endif
{
	xmlParserCtxtPtr  ctxt = ctx;
	struct xml_state *st;
	size_t		  n;

	if (ctxt == NULL || (st = ctxt->_private) == NULL || err == NULL ||
	    st->msg[0] != '\0' || err->level < XML_ERR_ERROR)
		return;
	st->line = err->line;
	snprintf(st->msg, sizeof(st->msg), "%s",
	    err->message != NULL ? err->message : "not well-formed XML");
	n = strlen(st->msg);
	while (n > 0 && (st->msg[n - 1] == '\n' || st->msg[n - 1] == ' '))
		st->msg[--n] = '\0';
}

/* A value for a message: at most 24 bytes, control characters as '?'. */
static const char *
shown(const xmlChar *v, char out[32])
{
	size_t i;

	if (v == NULL)
		return "";
	for (i = 0; v[i] != '\0' && i < 24; i++)
		out[i] = v[i] < 0x20 || v[i] == 0x7f ? '?' : (char)v[i];
	out[i] = '\0';
	if (v[i] != '\0' && i >= 3)
		memcpy(out + i - 3, "...", 4);
	return out;
}

static int xml_fail(struct err *, const char *, long, const char *, ...)
    PRINTFLIKE(4, 5);

static int
xml_fail(struct err *e, const char *name, long line, const char *fmt, ...)
{
	char	msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		return err_set(e, EXIT_DATAERR, "%s:%ld: %s", name, line, msg);
	return err_set(e, EXIT_DATAERR, "%s: %s", name, msg);
}

/* Refuses declarations: only comments and CDATA may start with "<!". */
static int
xml_prescan(const char *data, size_t len, const char *name, struct err *e)
{
	const char *p = data, *end = data + len, *q;
	long	    line = 1;

	for (; p < end; p++) {
		if (*p == '\n')
			line++;
		if (*p != '<' || end - p < 2 || p[1] != '!')
			continue;
		if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			for (q = p + 4;
			    q + 3 <= end && memcmp(q, "-->", 3) != 0; q++)
				if (*q == '\n')
					line++;
			p = q + 3 <= end ? q + 2 : end - 1;
			continue;
		}
		if (end - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0)
			continue;
		return xml_fail(e, name, line, "a document type or entity "
		    "declaration (<!...>) is not allowed in a calendar");
	}
	return 0;
}

/*
 * The line where a text node's first visible character is: libxml2 gives
 * a text node the line where it ends.
 */
static long
text_line(xmlNodePtr n)
{
	const xmlChar *p = n->content;
	long	       line = xmlGetLineNo(n);

	if (n->type != XML_TEXT_NODE || p == NULL || line <= 0)
		return line;
	while (*p != '\0' && (*p == ' ' || *p == '\t' || *p == '\r' ||
	    *p == '\n'))
		p++;
	for (; *p != '\0'; p++)
		if (*p == '\n')
			line--;
	if (n->parent != NULL && xmlGetLineNo(n->parent) > line)
		line = xmlGetLineNo(n->parent);
	return line;
}

/* Only comments and white space may stand between the elements. */
static int
xml_other(xmlNodePtr n, const char *name, struct err *e)
{
	if (n->type == XML_COMMENT_NODE)
		return 0;
	if (n->type == XML_TEXT_NODE && xmlIsBlankNode(n))
		return 0;
	if (n->type == XML_ELEMENT_NODE)
		return xml_fail(e, name, xmlGetLineNo(n), "unexpected element "
		    "<%s>", (const char *)n->name);
	return xml_fail(e, name, text_line(n), "unexpected text or node in "
	    "<%s>", n->parent != NULL && n->parent->name != NULL
	    ? (const char *)n->parent->name : "?");
}

static int
xml_is(xmlNodePtr n, const char *el)
{
	return n->type == XML_ELEMENT_NODE && n->ns == NULL &&
	    strcmp((const char *)n->name, el) == 0;
}

/* Every attribute of n is one of the names in "allowed" (NULL-ended). */
static int
xml_attrs(xmlNodePtr n, const char *const *allowed, const char *name,
    struct err *e)
{
	xmlAttrPtr a;
	size_t	   i;

	for (a = n->properties; a != NULL; a = a->next) {
		for (i = 0; allowed[i] != NULL; i++)
			if (a->ns == NULL &&
			    strcmp((const char *)a->name, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL)
			return xml_fail(e, name, xmlGetLineNo(n), "<%s>: "
			    "unknown attribute '%s'", (const char *)n->name,
			    (const char *)a->name);
	}
	return 0;
}

/* "MM.DD", a real day of year y; the day number, or -1. */
static int
md_parse(const xmlChar *v, int y, int32_t *day)
{
	int m, d;

	if (v == NULL || strlen((const char *)v) != 5 || !isdigit(v[0]) ||
	    !isdigit(v[1]) || v[2] != '.' || !isdigit(v[3]) || !isdigit(v[4]))
		return -1;
	m = (v[0] - '0') * 10 + (v[1] - '0');
	d = (v[3] - '0') * 10 + (v[4] - '0');
	if (m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return -1;
	*day = date_from_ymd(y, m, d);
	return 0;
}

/* A positive number of at most 4 digits, or -1. */
static int
small_int(const xmlChar *v)
{
	int i, n = 0;

	if (v == NULL || v[0] == '\0' || v[0] == '0')
		return -1;
	for (i = 0; v[i] != '\0'; i++) {
		if (i >= 4 || !isdigit(v[i]))
			return -1;
		n = n * 10 + (v[i] - '0');
	}
	return n;
}

struct holiday {
	int   id;
	char *title;
};

static int
xml_holidays(xmlNodePtr hs, const char *name, struct holiday *h, int *nh,
    struct err *e)
{
	static const char *const attrs[] = {"id", "title", NULL};
	xmlNodePtr		 n;
	xmlChar			*id, *title;
	char			 sh[32], *t;
	int			 i, v;
	long			 line;

	for (n = hs->children; n != NULL; n = n->next) {
		if (!xml_is(n, "holiday")) {
			if (xml_other(n, name, e) != 0)
				return -1;
			continue;
		}
		line = xmlGetLineNo(n);
		if (xml_attrs(n, attrs, name, e) != 0)
			return -1;
		id = xmlGetNoNsProp(n, (const xmlChar *)"id");
		title = xmlGetNoNsProp(n, (const xmlChar *)"title");
		v = small_int(id);
		if (v < 0) {
			xml_fail(e, name, line, "<holiday id=\"%s\">: expected "
			    "a number from 1 to 9999", shown(id, sh));
			goto bad;
		}
		for (i = 0; i < *nh; i++)
			if (h[i].id == v) {
				xml_fail(e, name, line, "<holiday id=\"%d\"> "
				    "is given twice", v);
				goto bad;
			}
		if (*nh >= HOLIDAYS_MAX) {
			xml_fail(e, name, line, "more than %d holidays",
			    HOLIDAYS_MAX);
			goto bad;
		}
		t = str_squeeze(title != NULL ? (const char *)title : "");
		if (strlen(t) > NOTE_MAX) {
			free(t);
			xml_fail(e, name, line, "<holiday id=\"%d\">: the "
			    "title is longer than %d bytes", v, NOTE_MAX);
			goto bad;
		}
		for (i = 0; t[i] != '\0'; i++)
			if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
				t[i] = ' ';
		h[*nh].id = v;
		h[*nh].title = t;
		(*nh)++;
		xmlFree(id);
		xmlFree(title);
		continue;
	bad:
		xmlFree(id);
		xmlFree(title);
		return -1;
	}
	return 0;
}

static int
xml_day(xmlNodePtr n, const char *name, int year, const struct holiday *h,
    int nh, int *seen, struct cal_xml *x, struct err *e)
{
	static const char *const attrs[] = {"d", "t", "h", "f", NULL};
	struct cal_xml_day	*xd;
	xmlNodePtr		 c;
	xmlChar			*d, *t, *hv, *f;
	char			 sh[32], sh2[32], *note = NULL, *tmp;
	const char		*title = NULL;
	int32_t			 day, from;
	int			 kind, hid, i, doy, r = -1;
	long			 line = xmlGetLineNo(n);

	if (xml_attrs(n, attrs, name, e) != 0)
		return -1;
	for (c = n->children; c != NULL; c = c->next)
		if (xml_other(c, name, e) != 0)
			return -1;
	d = xmlGetNoNsProp(n, (const xmlChar *)"d");
	t = xmlGetNoNsProp(n, (const xmlChar *)"t");
	hv = xmlGetNoNsProp(n, (const xmlChar *)"h");
	f = xmlGetNoNsProp(n, (const xmlChar *)"f");
	if (d == NULL) {
		xml_fail(e, name, line, "<day> without d=\"MM.DD\"");
		goto out;
	}
	if (md_parse(d, year, &day) != 0) {
		xml_fail(e, name, line, "<day d=\"%s\">: not a day of %d "
		    "(expected MM.DD)", shown(d, sh), year);
		goto out;
	}
	if (t == NULL || strlen((const char *)t) != 1 || t[0] < '1' ||
	    t[0] > '3') {
		xml_fail(e, name, line, "<day d=\"%s\" t=\"%s\">: t must be 1 "
		    "(day off), 2 (shortened day) or 3 (working day)",
		    (const char *)d, shown(t, sh2));
		goto out;
	}
	kind = t[0] == '1' ? CAL_OFF : t[0] == '2' ? CAL_SHORT : CAL_WORK;
	if (kind == CAL_WORK && date_weekday(day) < 6) {
		xml_fail(e, name, line, "<day d=\"%s\" t=\"3\">: t=3 marks a "
		    "working Saturday or Sunday, and %s is a weekday",
		    (const char *)d, (const char *)d);
		goto out;
	}
	doy = day - date_from_ymd(year, 1, 1);
	if (seen[doy] != 0) {
		xml_fail(e, name, line, "<day d=\"%s\"> is given twice (also "
		    "on line %d)", (const char *)d, seen[doy]);
		goto out;
	}
	seen[doy] = line > 0 && line < INT_MAX ? (int)line : 1;
	if (hv != NULL) {
		hid = small_int(hv);
		for (i = 0; i < nh; i++)
			if (h[i].id == hid)
				title = h[i].title;
		if (hid < 0 || title == NULL) {
			xml_fail(e, name, line, "<day d=\"%s\" h=\"%s\">: no "
			    "<holiday id=\"%s\"> in <holidays>",
			    (const char *)d, shown(hv, sh), shown(hv, sh2));
			goto out;
		}
		if (*title != '\0')
			note = xstrdup(title);
	}
	if (f != NULL) {
		if (md_parse(f, year, &from) != 0) {
			xml_fail(e, name, line, "<day d=\"%s\" f=\"%s\">: not "
			    "a day of %d (expected MM.DD)", (const char *)d,
			    shown(f, sh), year);
			goto out;
		}
		tmp = xasprintf("%s%sперенос с %c%c.%c%c",
		    note != NULL ? note : "", note != NULL ? "; " : "", f[3],
		    f[4], f[0], f[1]);
		free(note);
		note = tmp;
	}
	xd = &x->days[x->ndays++];
	xd->day = day;
	xd->kind = kind;
	xd->line = seen[doy];
	xd->note = note;
	note = NULL;
	r = 0;
out:
	free(note);
	xmlFree(d);
	xmlFree(t);
	xmlFree(hv);
	xmlFree(f);
	return r;
}

static int
xml_calendar(xmlDocPtr doc, const char *name, struct cal_xml *x,
    struct err *e)
{
	static const char *const attrs[] = {"year", "lang", "date", "country",
	    NULL};
	struct holiday	h[HOLIDAYS_MAX];
	xmlNodePtr	root, n, days = NULL, hs = NULL;
	xmlChar	       *year, *country;
	char		sh[32];
	int		nh = 0, i, r = -1, *seen = NULL;

	if ((root = xmlDocGetRootElement(doc)) == NULL)
		return xml_fail(e, name, 0, "no root element");
	if (doc->intSubset != NULL || doc->extSubset != NULL)
		return xml_fail(e, name, 0, "a document type declaration is "
		    "not allowed in a calendar");
	if (!xml_is(root, "calendar"))
		return xml_fail(e, name, xmlGetLineNo(root), "the root element "
		    "is <%s>%s, expected <calendar>", (const char *)root->name,
		    root->ns != NULL ? " in a namespace" : "");
	if (xml_attrs(root, attrs, name, e) != 0)
		return -1;
	year = xmlGetNoNsProp(root, (const xmlChar *)"year");
	if (year == NULL || strlen((const char *)year) != 4 ||
	    !isdigit(year[0]) || !isdigit(year[1]) || !isdigit(year[2]) ||
	    !isdigit(year[3]) ||
	    (x->year = (int)strtol((const char *)year, NULL, 10)) < DATA_MIN ||
	    x->year > DATA_MAX) {
		xml_fail(e, name, xmlGetLineNo(root), "<calendar year=\"%s\">: "
		    "expected a year from %d to %d", shown(year, sh), DATA_MIN,
		    DATA_MAX);
		xmlFree(year);
		return -1;
	}
	xmlFree(year);
	country = xmlGetNoNsProp(root, (const xmlChar *)"country");
	if (country != NULL) {
		if (strlen((const char *)country) >= sizeof(x->country)) {
			xml_fail(e, name, xmlGetLineNo(root), "<calendar "
			    "country=\"%s\">: too long", shown(country, sh));
			xmlFree(country);
			return -1;
		}
		for (i = 0; country[i] != '\0'; i++)
			x->country[i] = (char)tolower(country[i]);
		x->country[i] = '\0';
		xmlFree(country);
	}
	for (n = root->children; n != NULL; n = n->next) {
		if (xml_is(n, "holidays") && hs == NULL)
			hs = n;
		else if (xml_is(n, "days") && days == NULL)
			days = n;
		else if (xml_is(n, "holidays") || xml_is(n, "days"))
			return xml_fail(e, name, xmlGetLineNo(n), "a second "
			    "<%s>", (const char *)n->name);
		else if (xml_other(n, name, e) != 0)
			return -1;
	}
	if (days == NULL)
		return xml_fail(e, name, xmlGetLineNo(root), "<calendar> "
		    "without <days>");
	if ((hs != NULL && (xml_attrs(hs, attrs + 4, name, e) != 0 ||
	    xml_holidays(hs, name, h, &nh, e) != 0)) ||
	    xml_attrs(days, attrs + 4, name, e) != 0)
		goto out;
	x->days = xcalloc(366, sizeof(*x->days));
	seen = xcalloc(366, sizeof(int));
	for (n = days->children; n != NULL; n = n->next) {
		if (!xml_is(n, "day")) {
			if (xml_other(n, name, e) != 0)
				goto out;
			continue;
		}
		if (xml_day(n, name, x->year, h, nh, seen, x, e) != 0)
			goto out;
	}
	r = 0;
out:
	free(seen);
	for (i = 0; i < nh; i++)
		free(h[i].title);
	return r;
}

int
cal_parse_xml(const char *data, size_t len, const char *name,
    struct cal_xml *x, struct err *e)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr	 doc;
	struct xml_state st;
	int		 r;

	memset(x, 0, sizeof(*x));
	if (name == NULL)
		name = "calendar";
	if (len > CAL_XML_MAX)
		return xml_fail(e, name, 0, "larger than the limit of %zu KiB",
		    CAL_XML_MAX >> 10);
	if (len == 0)
		return xml_fail(e, name, 0, "the file is empty");
	if (xml_prescan(data, len, name, e) != 0)
		return -1;
	xmlInitParser();
	if ((ctxt = xmlNewParserCtxt()) == NULL)
		fatal("out of memory");
	memset(&st, 0, sizeof(st));
	st.name = name;
	ctxt->_private = &st;
	if (ctxt->sax != NULL)
		ctxt->sax->serror = xml_error;
	doc = xmlCtxtReadMemory(ctxt, data, (int)len, name, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_BIG_LINES);
	if (doc == NULL || !ctxt->wellFormed) {
		if (st.msg[0] == '\0')
			snprintf(st.msg, sizeof(st.msg), "not well-formed XML");
		xml_fail(e, name, st.line, "%s", st.msg);
		xmlFreeDoc(doc);
		xmlFreeParserCtxt(ctxt);
		return -1;
	}
	xmlFreeParserCtxt(ctxt);
	r = xml_calendar(doc, name, x, e);
	xmlFreeDoc(doc);
	return r;
}

void
cal_xml_free(struct cal_xml *x)
{
	int i;

	if (x == NULL)
		return;
	for (i = 0; i < x->ndays; i++)
		free(x->days[i].note);
	free(x->days);
	memset(x, 0, sizeof(*x));
}

/* The rows of one year of a region, as JSON for the audit log. */
static json_t *
load_snapshot(struct db *db, const char *region, int y, struct err *e)
{
	struct db_stmt *s;
	json_t	       *j, *days;
	char		from[11], to[11];
	int		r, n[3] = {0, 0, 0}, k, any = 0;
	const char     *kind;

	j = json_object();
	days = json_object();
	s = db_prepare(db, "SELECT source, loaded_at FROM calendar_year WHERE "
	    "region = ? AND year = ?", "ti", region, (int64_t)y);
	if (s == NULL)
		goto fail;
	if ((r = db_step(s)) == DB_ROW) {
		json_object_set_new(j, "source", jstr(db_col_text(s, 0)));
		json_object_set_new(j, "loaded_at",
		    json_integer(db_col_int(s, 1)));
		any = 1;
	}
	db_finalize(s);
	if (r == DB_FAIL)
		goto fail;
	year_range(y, from, to);
	s = db_prepare(db, "SELECT day, kind FROM calendar_day WHERE "
	    "region = ? AND day >= ? AND day <= ? ORDER BY day", "ttt", region,
	    from, to);
	if (s == NULL)
		goto fail;
	while ((r = db_step(s)) == DB_ROW) {
		kind = db_col_text(s, 1);
		k = kind_parse(kind != NULL ? kind : "", kind != NULL ?
		    strlen(kind) : 0);
		if (k >= 0)
			n[k]++;
		json_object_set_new(days, db_col_text(s, 0) != NULL ?
		    db_col_text(s, 0) : "?", jstr(kind));
		any = 1;
	}
	db_finalize(s);
	if (r == DB_FAIL)
		goto fail;
	if (!any) {
		json_decref(days);
		json_decref(j);
		return json_null();
	}
	json_object_set_new(j, "region", jstr(region));
	json_object_set_new(j, "year", json_integer(y));
	json_object_set_new(j, "off", json_integer(n[CAL_OFF]));
	json_object_set_new(j, "short", json_integer(n[CAL_SHORT]));
	json_object_set_new(j, "work", json_integer(n[CAL_WORK]));
	json_object_set_new(j, "days", days);
	return j;
fail:
	json_decref(days);
	json_decref(j);
	err_set(e, EXIT_IOERR, "calendar: %s", db_errmsg(db));
	return NULL;
}

/*
 * Keeps of a regional file the days it makes less of a working day than
 * the federal calendar (a region adds days off, R-CAL-2; it cannot make a
 * federal day off a working day); lists the others in "ignored".
 */
static int
load_overlay(struct db *db, struct cal_xml *x, const char *path,
    json_t *ignored, struct err *e)
{
	static const int rank[] = {0, 1, 2};	/* work < short < off */
	struct cal	*fed;
	char		 day[11], *item;
	int		 i, o = 0, fk;

	if ((fed = cal_open(db, "ru", e)) == NULL)
		return -1;
	if (!year_known(fed, x->year)) {
		cal_close(fed);
		return err_set(e, EXIT_DATAERR, "%s: the federal calendar of "
		    "%d is not in the database; load it first (otklik "
		    "calendar load FILE)", path, x->year);
	}
	for (i = 0; i < x->ndays; i++) {
		fk = cal_kind(fed, x->days[i].day);
		if (rank[x->days[i].kind] > rank[fk]) {
			x->days[o++] = x->days[i];
			continue;
		}
		if (rank[x->days[i].kind] < rank[fk]) {
			date_format(x->days[i].day, day);
			item = xasprintf("%s %s (federal: %s)", day,
			    kind_names[x->days[i].kind], kind_names[fk]);
			json_array_append_new(ignored, jstr(item));
			free(item);
		}
		free(x->days[i].note);
	}
	x->ndays = o;
	cal_close(fed);
	return 0;
}

static int
load_write(struct db *db, const char *region, const struct cal_xml *x,
    const char *path, struct err *e)
{
	char from[11], to[11], day[11];
	int  i;

	year_range(x->year, from, to);
	if (db_run(db, NULL, "DELETE FROM calendar_day WHERE region = ? AND "
	    "day >= ? AND day <= ?", "ttt", region, from, to) != 0 ||
	    db_run(db, NULL, "DELETE FROM calendar_year WHERE region = ? AND "
	    "year = ?", "ti", region, (int64_t)x->year) != 0)
		return err_set(e, EXIT_IOERR, "calendar: %s", db_errmsg(db));
	for (i = 0; i < x->ndays; i++) {
		date_format(x->days[i].day, day);
		if (db_run(db, NULL, "INSERT INTO calendar_day (region, day, "
		    "kind, note) VALUES (?, ?, ?, ?)", "tttt", region, day,
		    kind_names[x->days[i].kind], x->days[i].note) != 0)
			return err_set(e, EXIT_IOERR, "calendar: %s",
			    db_errmsg(db));
	}
	if (db_run(db, NULL, "INSERT INTO calendar_year (region, year, source, "
	    "loaded_at) VALUES (?, ?, ?, ?)", "titi", region, (int64_t)x->year,
	    path, clock_now()) != 0)
		return err_set(e, EXIT_IOERR, "calendar: %s", db_errmsg(db));
	return 0;
}

int
cal_load_xml(struct db *db, const char *actor, const char *region,
    const char *path, int *year, struct err *e)
{
	struct buf     b;
	struct cal_xml x;
	json_t	      *before = NULL, *after = NULL, *ignored;
	char	      *reg, *bt = NULL, *at = NULL, obj[64];
	int	       fed, r = -1;

	memset(&x, 0, sizeof(x));
	if ((reg = org_region_normalize(region != NULL ? region : "ru")) ==
	    NULL || strlen(reg) >= REGION_MAX) {
		free(reg);
		return err_set(e, EXIT_USAGE, "region '%s': not a region code "
		    "(ru, RU-TA, RU-BA, ...)", region != NULL ? region : "ru");
	}
	fed = strcmp(reg, "ru") == 0;
	ignored = json_array();
	buf_init(&b, CAL_XML_MAX);
	if (buf_read_file(&b, path, e) != 0 ||
	    cal_parse_xml(b.data, b.len, path, &x, e) != 0)
		goto out;
	if (fed && x.country[0] != '\0' && strcmp(x.country, "ru") != 0) {
		err_set(e, EXIT_DATAERR, "%s: the calendar of country=\"%s\", "
		    "not the federal one; give its region (--region)", path,
		    x.country);
		goto out;
	}
	if (!fed && strcmp(x.country, "ru") == 0) {
		err_set(e, EXIT_DATAERR, "%s: the federal calendar "
		    "(country=\"ru\"), not that of %s", path, reg);
		goto out;
	}
	if (!fed && load_overlay(db, &x, path, ignored, e) != 0)
		goto out;

	if (db_begin(db) != 0) {
		err_set(e, EXIT_IOERR, "calendar: %s", db_errmsg(db));
		goto out;
	}
	if ((before = load_snapshot(db, reg, x.year, e)) == NULL ||
	    load_write(db, reg, &x, path, e) != 0 ||
	    (after = load_snapshot(db, reg, x.year, e)) == NULL)
		goto rollback;
	if (json_array_size(ignored) > 0 && json_is_object(after))
		json_object_set(after, "ignored", ignored);
	bt = json_is_null(before) ? NULL : jdump(before);
	at = jdump(after);
	before = after = NULL;
	snprintf(obj, sizeof(obj), "calendar:%s:%d", reg, x.year);
	if (audit_append(db, actor, 0, "calendar.load", obj, bt, at, e) != 0)
		goto rollback;
	if (db_commit(db) != 0) {
		err_set(e, EXIT_IOERR, "calendar: %s", db_errmsg(db));
		goto rollback;
	}
	if (year != NULL)
		*year = x.year;
	r = 0;
	goto out;
rollback:
	db_rollback(db);
out:
	json_decref(before);
	json_decref(after);
	json_decref(ignored);
	free(bt);
	free(at);
	free(reg);
	buf_free(&b);
	cal_xml_free(&x);
	return r;
}

/*
 * Time and dates.  Days are numbered from 1970-01-01 in the proleptic
 * Gregorian calendar; the conversions are the classic civil-from-days
 * arithmetic.  Local dates in an organization's zone go through the C
 * library's tz database under a lock, since TZ is process-wide.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "otklik.h"

int64_t
clock_now(void)
{
	const char *s;
	int64_t	    t;

	if ((s = getenv("OTKLIK_NOW")) != NULL && time_parse(s, &t) == 0)
		return t;
	return (int64_t)time(NULL);
}

int32_t
date_from_ymd(int y, int m, int d)
{
	int	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

void
date_to_ymd(int32_t z, int *yp, int *mp, int *dp)
{
	int era, doe, yoe, y, doy, mp_, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp_ = (5 * doy + 2) / 153;
	d = doy - (153 * mp_ + 2) / 5 + 1;
	m = mp_ + (mp_ < 10 ? 3 : -9);
	*yp = y + (m <= 2);
	*mp = m;
	*dp = d;
}

int
date_weekday(int32_t day)
{
	/* 1970-01-01 was a Thursday (4). */
	int w = (int)((day % 7 + 7 + 3) % 7);

	return w + 1;
}

static int
digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static int
ymd_parse(const char *s, int *y, int *m, int *d)
{
	if (digits(s, 4, y) == -1 || s[4] != '-' || digits(s + 5, 2, m) == -1 ||
	    s[7] != '-' || digits(s + 8, 2, d) == -1)
		return -1;
	if (*y < 1900 || *y > 2200 || *m < 1 || *m > 12 || *d < 1 ||
	    *d > days_in_month(*y, *m))
		return -1;
	return 0;
}

int
date_parse(const char *s, int32_t *day)
{
	int y, m, d;

	if (s == NULL || strlen(s) != 10 || ymd_parse(s, &y, &m, &d) == -1)
		return -1;
	*day = date_from_ymd(y, m, d);
	return 0;
}

/* Writes n decimal digits of v (taken modulo 10^n). */
static char *
put_digits(char *p, int v, int n)
{
	int i;

	if (v < 0)
		v = -v;
	for (i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

void
date_format(int32_t day, char out[11])
{
	int   y, m, d;
	char *p = out;

	date_to_ymd(day, &y, &m, &d);
	p = put_digits(p, y, 4);
	*p++ = '-';
	p = put_digits(p, m, 2);
	*p++ = '-';
	p = put_digits(p, d, 2);
	*p = '\0';
}

void
date_format_ru(int32_t day, char out[11])
{
	int   y, m, d;
	char *p = out;

	date_to_ymd(day, &y, &m, &d);
	p = put_digits(p, d, 2);
	*p++ = '.';
	p = put_digits(p, m, 2);
	*p++ = '.';
	p = put_digits(p, y, 4);
	*p = '\0';
}

int
time_parse(const char *s, int64_t *t)
{
	int	y, mo, d, h = 0, mi = 0, se = 0, oh = 0, om = 0, sign = 0;
	size_t	len = s != NULL ? strlen(s) : 0;
	const char *p;

	if (len < 10 || ymd_parse(s, &y, &mo, &d) == -1)
		return -1;
	p = s + 10;
	if (*p == 'T' || *p == ' ') {
		if (digits(p + 1, 2, &h) == -1 || p[3] != ':' ||
		    digits(p + 4, 2, &mi) == -1)
			return -1;
		p += 6;
		if (*p == ':') {
			if (digits(p + 1, 2, &se) == -1)
				return -1;
			p += 3;
		}
		if (*p == '.')
			for (p++; isdigit((unsigned char)*p); p++)
				;
		if (*p == 'Z')
			p++;
		else if (*p == '+' || *p == '-') {
			sign = *p == '-' ? -1 : 1;
			if (digits(p + 1, 2, &oh) == -1)
				return -1;
			p += 3;
			if (*p == ':')
				p++;
			if (digits(p, 2, &om) == -1)
				return -1;
			p += 2;
		}
	}
	if (*p != '\0' || h > 23 || mi > 59 || se > 60 || oh > 14 || om > 59)
		return -1;
	*t = (int64_t)date_from_ymd(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    se - sign * (oh * 3600 + om * 60);
	return 0;
}

void
time_format(int64_t t, char out[21])
{
	int64_t day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int64_t sec = t - day * 86400;
	char	*p;

	date_format((int32_t)day, out);
	p = out + 10;
	*p++ = 'T';
	p = put_digits(p, (int)(sec / 3600), 2);
	*p++ = ':';
	p = put_digits(p, (int)(sec / 60 % 60), 2);
	*p++ = ':';
	p = put_digits(p, (int)(sec % 60), 2);
	*p++ = 'Z';
	*p = '\0';
}

void
time_format_local(int64_t t, const char *tz, int ru, char out[17])
{
	int64_t l = t + tz_offset(t, tz);
	int64_t day = l >= 0 ? l / 86400 : (l - 86399) / 86400;
	int64_t sec = l - day * 86400;
	char   *p;

	if (ru)
		date_format_ru((int32_t)day, out);
	else
		date_format((int32_t)day, out);
	p = out + 10;
	*p++ = ' ';
	p = put_digits(p, (int)(sec / 3600), 2);
	*p++ = ':';
	p = put_digits(p, (int)(sec / 60 % 60), 2);
	*p = '\0';
}

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;

int
tz_valid(const char *tz)
{
	char path[512];

	if (tz == NULL || *tz == '\0' || tz[0] == '/' || strstr(tz, "..") ||
	    strlen(tz) > 200)
		return 0;
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
	return access(path, R_OK) == 0;
}

/*
 * A zone's UTC offsets, 1970–2100, as a list of transitions, built once
 * per zone: after that no lookup touches TZ, which other threads of the
 * server may be reading.  A transition is found to the second by sampling
 * day by day and bisecting the day where the offset changed.
 */
struct zone {
	char	    *name;
	size_t	     n;
	int64_t	    *at;	/* from this moment … */
	int32_t	    *off;	/* … this offset in seconds */
	struct zone *next;
};

static struct zone *zones;

#define ZONE_FROM ((int64_t)0)			/* 1970-01-01 */
#define ZONE_TO	  ((int64_t)4102444800)		/* 2100-01-01 */

/* The offset at t in the zone TZ is set to (see zone_build). */
static int32_t
offset_at(int64_t t)
{
	struct tm tm;
	time_t	  tt = (time_t)t;

	localtime_r(&tt, &tm);
	return (int32_t)tm.tm_gmtoff;
}

static struct zone *
zone_build(const char *tz)
{
	struct zone *z = xcalloc(1, sizeof(*z));
	size_t	     cap = 16;
	int64_t	     t, lo, hi, mid;
	int32_t	     cur, o;
	char	    *old;

	/* TZ is process-wide: set once for the whole table, then restored. */
	old = getenv("TZ") != NULL ? xstrdup(getenv("TZ")) : NULL;
	setenv("TZ", tz, 1);
	tzset();
	z->name = xstrdup(tz);
	z->at = xreallocarray(NULL, cap, sizeof(*z->at));
	z->off = xreallocarray(NULL, cap, sizeof(*z->off));
	cur = offset_at(ZONE_FROM);
	z->at[0] = INT64_MIN;
	z->off[0] = cur;
	z->n = 1;
	for (t = ZONE_FROM + 86400; t <= ZONE_TO; t += 86400) {
		if ((o = offset_at(t)) == cur)
			continue;
		for (lo = t - 86400, hi = t; hi - lo > 1;) {
			mid = lo + (hi - lo) / 2;
			if (offset_at(mid) == cur)
				lo = mid;
			else
				hi = mid;
		}
		if (z->n == cap) {
			cap *= 2;
			z->at = xreallocarray(z->at, cap, sizeof(*z->at));
			z->off = xreallocarray(z->off, cap, sizeof(*z->off));
		}
		z->at[z->n] = hi;
		z->off[z->n] = o;
		z->n++;
		cur = o;
	}
	if (old != NULL) {
		setenv("TZ", old, 1);
		free(old);
	} else
		unsetenv("TZ");
	tzset();
	return z;
}

static const struct zone *
zone_get(const char *tz)
{
	struct zone *z;

	if (tz == NULL)
		tz = "Europe/Moscow";
	pthread_mutex_lock(&tz_lock);
	for (z = zones; z != NULL && strcmp(z->name, tz) != 0; z = z->next)
		;
	if (z == NULL) {
		z = zone_build(tz);
		z->next = zones;
		zones = z;
	}
	pthread_mutex_unlock(&tz_lock);
	return z;
}

void
tz_warm(const char *tz)
{
	(void)zone_get(tz);
}

int64_t
tz_offset(int64_t t, const char *tz)
{
	const struct zone *z = zone_get(tz);
	size_t		   lo = 0, hi = z->n, mid;

	/* The last transition at or before t. */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (z->at[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return z->off[lo];
}

int32_t
date_local(int64_t t, const char *tz)
{
	int64_t local = t + tz_offset(t, tz);

	return (int32_t)(local >= 0 ? local / 86400 : (local - 86399) / 86400);
}

/*
 * Unit tests of svg.c: report tables built by hand, their charts read
 * back from the markup.  Bars as wide as their values, the title and the
 * text alternative naming the largest figure, labels escaped, withheld
 * figures as gaps that the text alternative names, a heat map darker for
 * larger values with readable text on every cell, no NaN or infinity
 * whatever the values, and at most SVG_ROWS_MAX rows drawn.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "otklik.h"
#include "html.h"
#include "report.h"
#include "svg.h"

static const struct rcol share_cols[] = {
	{ "share", "Доля, %", "Share, %", RK_SHARE },
	{ "count", "Количество обращений", "Messages", RK_COUNT },
};

/* A table of channels: shares and counts, with a total row. */
static struct rtable *
channels(struct report *rep, enum rchart chart)
{
	static const struct {
		const char *key, *ru, *en;
		double	    share;
		int64_t	    n;
	} rows[] = {
		{ "email", "Электронная почта", "Email", 42.5, 85 },
		{ "phone", "Телефон", "Phone", 20, 40 },
		{ "post", "Почта", "Post", 10.25, 21 },
		{ "visit", "Личный приём", "Visit", 5, 10 },
	};
	struct rtable *t;
	struct rrow   *r;
	size_t	       i;

	t = report_table(rep, "contacts", "Каналы обращений",
	    "Channels", share_cols, nitems(share_cols));
	t->chart = chart;
	t->chart_col = 0;
	for (i = 0; i < nitems(rows); i++) {
		r = report_row(t, rows[i].key, rows[i].ru, rows[i].en);
		report_set(r, 0, rows[i].share, rows[i].n);
		report_set(r, 1, (double)rows[i].n, rows[i].n);
	}
	r = report_row(t, "total", "Всего", "Total");
	r->total = 1;
	report_set(r, 0, 100, 200);
	report_set(r, 1, 200, 200);
	return t;
}

static char *
render(const struct rtable *t, int ru)
{
	struct buf  b;
	struct html h;

	buf_init(&b, BUF_MAX_DEFAULT);
	html_init(&h, &b);
	svg_chart(t, ru, "c1", &h);
	assert_false(h.failed);
	assert_int_equal(h.depth, 0);
	return buf_detach(&b);
}

/* The value of attribute name in the tag starting at p, or -1. */
static long
attr_num(const char *p, const char *name)
{
	const char *gt = strchr(p, '>'), *a;
	char	    pat[32];

	snprintf(pat, sizeof(pat), " %s=\"", name);
	a = strstr(p, pat);
	if (a == NULL || gt == NULL || a > gt)
		return -1;
	return strtol(a + strlen(pat), NULL, 10);
}

/* The widths of the elements starting with tag, in order. */
static size_t
widths(const char *s, const char *tag, long *w, size_t max)
{
	size_t n = 0;

	while ((s = strstr(s, tag)) != NULL && n < max) {
		w[n++] = attr_num(s, "width");
		s++;
	}
	return n;
}

static size_t
count(const char *s, const char *what)
{
	size_t n = 0;

	while ((s = strstr(s, what)) != NULL) {
		n++;
		s += strlen(what);
	}
	return n;
}

/* The text of the element <tag id="c1-…"> in s, copied. */
static char *
element(const char *s, const char *open, const char *close)
{
	const char *a = strstr(s, open), *b;

	assert_non_null(a);
	a += strlen(open);
	b = strstr(a, close);
	assert_non_null(b);
	return xstrndup(a, (size_t)(b - a));
}

static void
no_nan(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		if (strncasecmp(p, "nan", 3) == 0 || strncasecmp(p, "inf", 3)
		    == 0)
			fail_msg("NaN or infinity in the chart at %.40s", p);
}

static void
test_bars_proportional(void **state)
{
	static const double v[] = { 42.5, 20, 10.25, 5 };
	struct report	    rep;
	char		   *s;
	long		    w[16];
	size_t		    n, i;

	(void)state;
	memset(&rep, 0, sizeof(rep));
	s = render(channels(&rep, RC_BARS), 1);
	/* One bar per row that is not the total. */
	n = widths(s, "<rect class=\"bar\"", w, nitems(w));
	assert_int_equal(n, nitems(v));
	assert_true(w[0] > 100);
	for (i = 1; i < n; i++)
		if (labs(w[i] - lround(w[0] * v[i] / v[0])) > 1)
			fail_msg("bar %zu is %ld wide, not %ld", i, w[i],
			    lround(w[0] * v[i] / v[0]));
	assert_non_null(strstr(s, "viewbox=\"0 0 "));
	assert_null(strstr(s, "Всего"));
	free(s);
	report_free(&rep);
}

static void
test_title_desc(void **state)
{
	struct report rep;
	struct rtable *t;
	char	      *s, *title, *desc, v[64], want[256];

	(void)state;
	memset(&rep, 0, sizeof(rep));
	t = channels(&rep, RC_BARS);
	s = render(t, 1);
	assert_non_null(strstr(s, "<svg class=\"chart\" role=\"img\" "
	    "aria-labelledby=\"c1-title c1-desc\""));
	title = element(s, "<title id=\"c1-title\">", "</title>");
	assert_string_equal(title, "Каналы обращений");
	desc = element(s, "<desc id=\"c1-desc\">", "</desc>");
	report_cell_text(&t->rows[0].cells[0], RK_SHARE, 1, v, sizeof(v));
	snprintf(want, sizeof(want), "Наибольшая доля: Электронная почта, %s",
	    v);
	if (strstr(desc, want) == NULL)
		fail_msg("desc \"%s\" lacks \"%s\"", desc, want);
	report_cell_text(&t->rows[3].cells[0], RK_SHARE, 1, v, sizeof(v));
	snprintf(want, sizeof(want), "наименьшая: Личный приём, %s", v);
	assert_non_null(strstr(desc, want));
	/* The value is printed beside its bar, too. */
	report_cell_text(&t->rows[0].cells[0], RK_SHARE, 1, v, sizeof(v));
	snprintf(want, sizeof(want), ">%s</text>", v);
	assert_non_null(strstr(s, want));
	free(title);
	free(desc);
	free(s);

	/* In English. */
	s = render(t, 0);
	desc = element(s, "<desc id=\"c1-desc\">", "</desc>");
	assert_non_null(strstr(desc, "Largest share: Email, "));
	free(desc);
	free(s);
	report_free(&rep);
}

static void
test_escaping(void **state)
{
	struct report rep;
	struct rtable *t;
	char	      *s;

	(void)state;
	memset(&rep, 0, sizeof(rep));
	t = channels(&rep, RC_BARS);
	free(t->rows[1].label_ru);
	t->rows[1].label_ru = xstrdup("<b>Т&Т \"сеть\"</b>");
	free(t->title_ru);
	t->title_ru = xstrdup("Каналы <script>");
	s = render(t, 1);
	assert_null(strstr(s, "<b>"));
	assert_null(strstr(s, "<script>"));
	assert_non_null(strstr(s, "&lt;b&gt;Т&amp;Т &quot;сеть&quot;"));
	assert_non_null(strstr(s, "Каналы &lt;script&gt;</title>"));
	free(s);
	report_free(&rep);
}

static void
test_suppressed_gaps(void **state)
{
	struct report rep;
	struct rtable *t;
	char	      *s, *desc, *d;
	long	       w[16];

	(void)state;
	memset(&rep, 0, sizeof(rep));
	t = channels(&rep, RC_BARS);
	t->rows[2].cells[0].supp = RS_SMALL;
	t->rows[3].cells[0].supp = RS_COMPLEMENT;
	s = render(t, 1);
	assert_int_equal(widths(s, "<rect class=\"bar\"", w, nitems(w)), 2);
	/* Each gap is a dash where its bar would be. */
	assert_int_equal(count(s, ">—</text>"), 2);
	desc = element(s, "<desc id=\"c1-desc\">", "</desc>");
	assert_non_null(strstr(desc, "Нет значения"));
	assert_non_null(strstr(desc, "Почта, Личный приём"));
	/* The largest and smallest are of the shown rows only. */
	assert_non_null(strstr(desc, "наименьшая: Телефон"));
	free(desc);
	free(s);

	/* Trend lines break at a gap: points 0 1 | gap gap. */
	t->chart = RC_LINES;
	s = render(t, 1);
	d = element(s, "<path d=\"", "\"");
	assert_int_equal(count(d, "M"), 1);
	assert_int_equal(count(d, "L"), 1);
	free(d);
	free(s);
	/* Points 0 | gap | 2 3: two pieces. */
	t->rows[2].cells[0].supp = RS_SHOWN;
	t->rows[3].cells[0].supp = RS_SHOWN;
	t->rows[1].cells[0].supp = RS_NONE;
	s = render(t, 1);
	d = element(s, "<path d=\"", "\"");
	assert_int_equal(count(d, "M"), 2);
	assert_int_equal(count(d, "L"), 1);
	free(d);
	free(s);
	report_free(&rep);
}

static double
lum(const char *hex)
{
	unsigned rgb[3];
	double	 l[3], c;
	int	 i;

	assert_int_equal(sscanf(hex, "#%2x%2x%2x", &rgb[0], &rgb[1], &rgb[2]),
	    3);
	for (i = 0; i < 3; i++) {
		c = rgb[i] / 255.0;
		l[i] = c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
	}
	return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
}

static void
test_heat(void **state)
{
	static const struct rcol cols[] = {
		{ "freq", "Частота", "Frequency", RK_COUNT },
		{ "score", "Балл боли", "Pain score", RK_SCORE },
	};
	static const double v[][2] = {
		{ 12, 3.5 }, { 40, 1.0 }, { 7, 9.9 }, { 25, 5.0 },
	};
	struct report rep;
	struct rtable *t;
	struct rrow   *r;
	const char    *p, *f;
	char	      *s, key[8], fill[5][2][8], ink[8];
	size_t	       i, j, k;
	double	       l1, l2, bg, fg, ratio;

	(void)state;
	memset(&rep, 0, sizeof(rep));
	t = report_table(&rep, "pain", "Карта болевых точек", "Pain map", cols,
	    nitems(cols));
	t->chart = RC_HEAT;
	for (i = 0; i < nitems(v); i++) {
		snprintf(key, sizeof(key), "p%zu", i);
		r = report_row(t, key, key, key);
		report_set(r, 0, v[i][0], 10);
		report_set(r, 1, v[i][1], 10);
	}
	s = render(t, 1);
	/* Cells go column by column, rows in order. */
	p = s;
	for (j = 0; j < 2; j++)
		for (i = 0; i < nitems(v); i++) {
			p = strstr(p, "<rect class=\"cell\"");
			assert_non_null(p);
			f = strstr(p, " fill=\"");
			snprintf(fill[i][j], 8, "%.7s", f + 7);
			/* The value on it: black or white, 4.5:1 at least. */
			f = strstr(p, "<text");
			f = strstr(f, " fill=\"");
			snprintf(ink, sizeof(ink), "%.7s", f + 7);
			bg = lum(fill[i][j]);
			fg = lum(ink);
			ratio = (fmax(bg, fg) + 0.05) / (fmin(bg, fg) + 0.05);
			if (ratio < 4.5)
				fail_msg("text %s on %s: %.2f:1", ink,
				    fill[i][j], ratio);
			p++;
		}
	/* Within a column: the larger the value, the darker. */
	for (j = 0; j < 2; j++)
		for (i = 0; i < nitems(v); i++)
			for (k = 0; k < nitems(v); k++) {
				if (v[i][j] <= v[k][j])
					continue;
				l1 = lum(fill[i][j]);
				l2 = lum(fill[k][j]);
				if (!(l1 < l2))
					fail_msg("column %zu: %g is not darker "
					    "than %g (%s, %s)", j, v[i][j],
					    v[k][j], fill[i][j], fill[k][j]);
			}
	free(s);

	/* A withheld cell is a gap with a dash, named in the text. */
	t->rows[1].cells[1].supp = RS_SMALL;
	s = render(t, 1);
	assert_int_equal(count(s, "<rect class=\"cell\""), 7);
	assert_non_null(strstr(s, ">—</text>"));
	assert_non_null(strstr(s, "Нет значения (нет данных или скрыто для "
	    "защиты ответивших): p1"));
	free(s);
	report_free(&rep);
}

static void
test_degenerate(void **state)
{
	static const enum rchart charts[] = {
		RC_BARS, RC_LINES, RC_HEAT, RC_PROFILE,
	};
	struct report rep;
	struct rtable *t;
	struct rrow   *r;
	char	      *s;
	size_t	       i, rows;

	(void)state;
	for (rows = 0; rows <= 3; rows++)
		for (i = 0; i < nitems(charts); i++) {
			memset(&rep, 0, sizeof(rep));
			t = report_table(&rep, "z", "Нули", "Zeros",
			    share_cols, nitems(share_cols));
			t->chart = charts[i];
			t->chart_col = 0;
			if (rows >= 1) {
				r = report_row(t, "a", "А", "A");
				report_set(r, 0, 0, 10);
				report_set(r, 1, 0, 10);
			}
			if (rows >= 2) {
				r = report_row(t, "b", "Б", "B");
				report_set(r, 0, 0, 10);
				report_set(r, 1, 0, 10);
			}
			if (rows == 3) {	/* all withheld */
				r = report_row(t, "c", "В", "C");
				r->cells[0].supp = RS_SMALL;
				t->rows[0].cells[0].supp = RS_SMALL;
				t->rows[1].cells[0].supp = RS_COMPLEMENT;
				t->rows[0].cells[1].supp = RS_SMALL;
				t->rows[1].cells[1].supp = RS_SMALL;
			}
			s = render(t, 1);
			assert_non_null(strstr(s, "<svg"));
			no_nan(s);
			free(s);
			report_free(&rep);
		}
	/* No chart, or a column that is not there: nothing. */
	memset(&rep, 0, sizeof(rep));
	t = channels(&rep, RC_NONE);
	s = render(t, 1);
	assert_string_equal(s, "");
	free(s);
	t->chart = RC_BARS;
	t->chart_col = 7;
	s = render(t, 1);
	assert_string_equal(s, "");
	free(s);
	report_free(&rep);
}

static void
test_profile_lines(void **state)
{
	static const struct rcol cols[] = {
		{ "now", "Индекс, текущий период", "Index, this period",
		  RK_INDEX },
		{ "n", "Ответов", "Answers", RK_COUNT },
		{ "prev", "Индекс, прошлый период", "Index, last period",
		  RK_INDEX },
	};
	struct report rep;
	struct rtable *t;
	struct rrow   *r;
	char	      *s, *desc, key[8];
	long	       w[32];
	size_t	       i;

	(void)state;
	memset(&rep, 0, sizeof(rep));
	t = report_table(&rep, "dims", "Восемь измерений", "Eight dimensions",
	    cols, nitems(cols));
	t->chart = RC_PROFILE;
	t->chart_col = 0;
	for (i = 0; i < 8; i++) {
		snprintf(key, sizeof(key), "d%zu", i);
		r = report_row(t, key, key, key);
		report_set(r, 0, 50 + (double)i * 5, 20);
		report_set(r, 1, 20, 20);
		report_set(r, 2, 45 + (double)i * 5, 20);
	}
	s = render(t, 1);
	/* Two series of the same kind (the count is another scale). */
	assert_int_equal(widths(s, "<rect class=\"bar\"", w, nitems(w)), 16);
	assert_true(w[0] > w[1]);
	assert_true(w[14] > w[0]);
	/* A legend names both. */
	assert_non_null(strstr(s, ">Индекс, текущий период</text>"));
	assert_non_null(strstr(s, ">Индекс, прошлый период</text>"));
	desc = element(s, "<desc id=\"c1-desc\">", "</desc>");
	assert_non_null(strstr(desc, "«Индекс, текущий период»: наибольшее: "
	    "d7"));
	free(desc);
	free(s);

	/* The same rows as periods: two lines, with ticks. */
	t->chart = RC_LINES;
	s = render(t, 0);
	assert_int_equal(count(s, "<path d=\"M"), 2);
	assert_int_equal(count(s, "stroke-dasharray=\"6 3\""), 2);
	assert_non_null(strstr(s, ">100</text>"));
	assert_non_null(strstr(s, ">0</text>"));
	desc = element(s, "<desc id=\"c1-desc\">", "</desc>");
	assert_non_null(strstr(desc, "«Index, this period»: first period "
	    "d0, "));
	assert_non_null(strstr(desc, "; last d7, "));
	free(desc);
	no_nan(s);
	free(s);
	report_free(&rep);
}

static void
test_rows_bounded(void **state)
{
	struct report rep;
	struct rtable *t;
	struct rrow   *r;
	char	      *s, key[16];
	long	       w[64];
	size_t	       i;

	(void)state;
	memset(&rep, 0, sizeof(rep));
	t = report_table(&rep, "topics", "Темы", "Topics", share_cols,
	    nitems(share_cols));
	t->chart = RC_BARS;
	for (i = 0; i < 55; i++) {
		snprintf(key, sizeof(key), "t%zu", i);
		r = report_row(t, key, key, key);
		report_set(r, 0, 1 + (double)i, 10);
	}
	s = render(t, 1);
	assert_int_equal(widths(s, "<rect class=\"bar\"", w, nitems(w)),
	    SVG_ROWS_MAX);
	assert_non_null(strstr(s, "На диаграмме первые 40 строк из 55"));
	/* The largest is past the rows drawn, and still said. */
	assert_non_null(strstr(s, "Наибольшая доля: t54"));
	free(s);
	report_free(&rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bars_proportional),
		cmocka_unit_test(test_title_desc),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_suppressed_gaps),
		cmocka_unit_test(test_heat),
		cmocka_unit_test(test_degenerate),
		cmocka_unit_test(test_profile_lines),
		cmocka_unit_test(test_rows_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

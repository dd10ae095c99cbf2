/*
 * Unit tests of report_html.c and report_xlsx.c: a report built by hand
 * (the model's building blocks, no database) written as a standalone
 * HTML document and compared with tests/golden/report-doc.html
 * (OTKLIK_UPDATE_GOLDEN=1 rewrites it), its figures, withheld cells and
 * their footnotes checked; then as XLSX, read back: the summary sheet
 * through the project's table reader, the sheets' names and figures and
 * the native charts from the parts of the file (libzip).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <zip.h>

#include "otklik.h"
#include "html.h"
#include "report.h"
#include "table.h"

/* 2026-07-01T09:30:00Z */
#define GENERATED 1782898200

static const struct rcol channel_cols[] = {
	{ "count", "Количество обращений по всем каналам", "Messages, all "
	  "channels", RK_COUNT },
	{ "share", "Доля канала, %", "Channel share, %", RK_SHARE },
};

static const struct rcol trend_cols[] = {
	{ "index", "Индекс удовлетворенности", "Satisfaction index",
	  RK_INDEX },
	{ "n", "Ответов", "Answers", RK_COUNT },
};

static const struct rcol dim_cols[] = {
	{ "now", "Текущий период", "This period", RK_INDEX },
	{ "prev", "Прошлый период", "Last period", RK_INDEX },
};

static const struct rcol pain_cols[] = {
	{ "freq", "Частота", "Frequency", RK_COUNT },
	{ "score", "Балл", "Score", RK_SCORE },
};

static void
build(struct report *rep)
{
	static const struct {
		const char *key, *ru, *en;
		int64_t	    n;
		double	    share;
		enum rsupp  supp;
	} ch[] = {
		{ "email", "Электронная почта", "Email", 1234, 61.7, RS_SHOWN },
		{ "phone", "Телефон <горячая линия> & «112»", "Phone", 700, 35,
		  RS_SHOWN },
		{ "post", "Почта", "Post", 3, 0.15, RS_SMALL },
		{ "visit", "Личный приём", "Visit", 63, 3.15, RS_COMPLEMENT },
	};
	struct rtable *t;
	struct rrow   *r;
	size_t	       i;
	char	       key[8], label[32];

	memset(rep, 0, sizeof(*rep));
	rep->org_id = 1;
	rep->org_slug = xstrdup("test");
	rep->org_name = xstrdup("Министерство «Тест» & <К°>");
	rep->what = RW_FULL;
	snprintf(rep->period, sizeof(rep->period), "2026H1");
	rep->from = date_from_ymd(2026, 1, 1);
	rep->to = date_from_ymd(2026, 6, 30);
	rep->prev_from = date_from_ymd(2025, 7, 1);
	rep->prev_to = date_from_ymd(2025, 12, 31);
	snprintf(rep->client, sizeof(rep->client), "external");
	rep->k = 5;
	rep->generated_at = GENERATED;

	t = report_table(rep, "contacts", "Количество обращений по всем "
	    "каналам", "Messages over all channels", channel_cols,
	    nitems(channel_cols));
	report_note(t, "Доля канала = обращения по каналу / все обращения "
	    "× 100", "Share = the channel's messages / all messages × 100");
	t->chart = RC_BARS;
	t->chart_col = 1;
	t->parts = 1;
	for (i = 0; i < nitems(ch); i++) {
		r = report_row(t, ch[i].key, ch[i].ru, ch[i].en);
		report_set(r, 0, (double)ch[i].n, ch[i].n);
		report_set(r, 1, ch[i].share, ch[i].n);
		r->cells[0].supp = r->cells[1].supp = ch[i].supp;
		if (ch[i].supp != RS_SHOWN)
			r->cells[0].value = r->cells[1].value = 0;
	}
	r = report_row(t, "total", "Всего", "Total");
	r->total = 1;
	report_set(r, 0, 2000, 2000);
	report_set(r, 1, 100, 2000);

	t = report_table(rep, "trend", "Индекс удовлетворенности по "
	    "кварталам", "Satisfaction index by quarter", trend_cols,
	    nitems(trend_cols));
	t->chart = RC_LINES;
	for (i = 0; i < 4; i++) {
		snprintf(key, sizeof(key), "q%zu", i + 1);
		snprintf(label, sizeof(label), "2025Q%zu", i + 1);
		r = report_row(t, key, label, label);
		report_set(r, 0, 60 + 4.5 * (double)i, 40 + (int64_t)i);
		report_set(r, 1, 40 + (double)i, 40 + (int64_t)i);
	}
	t->rows[2].cells[0].supp = RS_NONE;

	t = report_table(rep, "dims", "Восемь измерений", "Eight dimensions",
	    dim_cols, nitems(dim_cols));
	t->chart = RC_PROFILE;
	for (i = 0; i < 3; i++) {
		snprintf(key, sizeof(key), "d%zu", i + 1);
		snprintf(label, sizeof(label), "Измерение %zu", i + 1);
		r = report_row(t, key, label, label);
		report_set(r, 0, 70 + 3 * (double)i, 30);
		report_set(r, 1, 68 + 2 * (double)i, 30);
	}

	t = report_table(rep, "pain", "Карта болевых точек", "Pain map",
	    pain_cols, nitems(pain_cols));
	t->chart = RC_HEAT;
	for (i = 0; i < 3; i++) {
		snprintf(key, sizeof(key), "p%zu", i + 1);
		snprintf(label, sizeof(label), "Проблема %zu", i + 1);
		r = report_row(t, key, label, label);
		report_set(r, 0, 10 * (double)(3 - i), 10);
		report_set(r, 1, 2.5 * (double)(i + 1), 10);
	}

	/* Same title twice, and one with what a sheet name cannot hold. */
	t = report_table(rep, "plain", "Нарушения стандартов [по каналам]: "
	    "*?/\\ сроки ответа по каждому каналу", "Breaches", pain_cols, 1);
	r = report_row(t, "a", "А", "A");
	report_set(r, 0, 7, 7);
	t = report_table(rep, "plain2", "Нарушения стандартов [по каналам]: "
	    "*?/\\ сроки ответа по каждому каналу", "Breaches", pain_cols, 1);
	r = report_row(t, "a", "А", "A");
	report_set(r, 0, 8, 8);
}

static void
golden(const char *name, const char *data, size_t len)
{
	const char *src = getenv("SRCDIR");
	const char *upd = getenv("OTKLIK_UPDATE_GOLDEN");
	struct buf  want;
	struct err  e;
	char	   *path;
	FILE	   *f;
	size_t	    i;

	if (src == NULL)
		fail_msg("SRCDIR is not set: run the test through meson test");
	path = xasprintf("%s/tests/golden/%s", src, name);
	if (upd != NULL && strcmp(upd, "1") == 0) {
		if ((f = fopen(path, "wb")) == NULL ||
		    fwrite(data, 1, len, f) != len || fclose(f) != 0)
			fail_msg("%s: cannot write: %s", path, strerror(errno));
		printf("# rewrote %s\n", path);
		free(path);
		return;
	}
	buf_init(&want, BUF_MAX_DEFAULT);
	err_clear(&e);
	if (buf_read_file(&want, path, &e) == -1)
		fail_msg("%s; make it with OTKLIK_UPDATE_GOLDEN=1", e.msg);
	for (i = 0; i < len && i < want.len; i++)
		if (data[i] != want.data[i])
			break;
	if (i < len || i < want.len)
		fail_msg("%s differs from the output at byte %zu (golden %zu "
		    "bytes, output %zu): \"%.60s\"; if the change is intended, "
		    "rewrite it with OTKLIK_UPDATE_GOLDEN=1", path, i,
		    want.len, len, data + (i < len ? i : len));
	buf_free(&want);
	free(path);
}

static void
has(const char *s, const char *what)
{
	if (strstr(s, what) == NULL)
		fail_msg("the output lacks \"%s\"", what);
}

static void
test_doc_golden(void **state)
{
	struct report rep;
	struct buf    b;
	char	      v[64], want[256];

	(void)state;
	build(&rep);
	buf_init(&b, BUF_MAX_DEFAULT);
	report_html_doc(&rep, 1, &b);
	golden("report-doc.html", b.data, b.len);

	/* A whole document, self-contained, printable. */
	assert_true(strncmp(b.data, "<!doctype html>\n<html lang=\"ru\">", 31)
	    == 0);
	has(b.data, "<meta charset=\"utf-8\">");
	has(b.data, "name=\"viewport\"");
	has(b.data, "@media print");
	has(b.data, "@page{size:A4");
	assert_null(strstr(b.data, "<script"));
	assert_null(strstr(b.data, "http:"));
	assert_null(strstr(b.data, "https:"));
	assert_null(strstr(b.data, "<link"));
	assert_true(b.data[b.len - 1] == '\n');
	assert_non_null(strstr(b.data, "</html>\n"));

	/* The header block. */
	has(b.data, "<dd>Министерство «Тест» &amp; &lt;К°&gt;</dd>");
	has(b.data, "<dd>01.01.2026–30.06.2026 (2026H1)</dd>");
	has(b.data, "<dd>внешние</dd>");
	has(b.data, "<dd>01.07.2026 09:30 UTC</dd>");
	has(b.data, "менее чем по 5 ответам");

	/* A section per table, with the formula, chart and table. */
	has(b.data, "<section class=\"report-table\" id=\"r-contacts\" "
	    "aria-labelledby=\"r-contacts-h\"><h2 id=\"r-contacts-h\">"
	    "Количество обращений по всем каналам</h2>");
	has(b.data, "<p class=\"formula\">Доля канала = ");
	has(b.data, "<figure><svg class=\"chart\" role=\"img\" "
	    "aria-labelledby=\"chart-contacts-title chart-contacts-desc\"");
	has(b.data, "<figcaption>Рисунок 1. ");
	has(b.data, "<caption>Таблица 1. Количество обращений");
	has(b.data, "<th scope=\"col\">Категория</th>");
	has(b.data, "<th scope=\"col\">Период</th>");
	has(b.data, "<th scope=\"row\">Телефон &lt;горячая линия&gt; &amp; "
	    "«112»</th>");
	/* Numbers as the report writes them, right-aligned. */
	report_cell_text(&rep.tables[0].rows[0].cells[0], RK_COUNT, 1, v,
	    sizeof(v));
	snprintf(want, sizeof(want), "<td class=\"num\">%s</td>", v);
	has(b.data, want);
	report_cell_text(&rep.tables[0].rows[0].cells[1], RK_SHARE, 1, v,
	    sizeof(v));
	snprintf(want, sizeof(want), "<td class=\"num\">%s</td>", v);
	has(b.data, want);
	has(b.data, "<tr class=\"total\"><th scope=\"row\">Всего</th>");
	/* Withheld cells and their footnotes. */
	has(b.data, "<td class=\"num supp\"><abbr title=\"менее 5 ответов\">"
	    "—</abbr></td>");
	has(b.data, "<td class=\"num supp\"><abbr title=\"скрыто, чтобы "
	    "нельзя было вычислить скрытое значение\">—</abbr></td>");
	has(b.data, "<ul class=\"report-notes\"><li>— менее 5 ответов</li>"
	    "<li>— скрыто, чтобы нельзя было вычислить скрытое значение</li>"
	    "</ul>");
	/* No data is said in words, not as a dash or a zero. */
	has(b.data, "<td class=\"num none\">нет данных</td>");
	assert_null(strstr(b.data, "<li>— нет данных"));
	/* A withheld figure's value is nowhere: not 0,15 nor 63. */
	assert_null(strstr(b.data, ">0,2 %<"));
	assert_null(strstr(b.data, ">63<"));
	buf_free(&b);

	/* In English. */
	buf_init(&b, BUF_MAX_DEFAULT);
	report_html_doc(&rep, 0, &b);
	has(b.data, "<html lang=\"en\">");
	has(b.data, "<dd>2026-01-01–2026-06-30 (2026H1)</dd>");
	has(b.data, "<abbr title=\"fewer than 5 answers\">—</abbr>");
	has(b.data, "<h2 id=\"r-contacts-h\">Messages over all channels</h2>");
	has(b.data, "Largest share: Email");
	buf_free(&b);
	report_free(&rep);
}

static void
test_page_fragment(void **state)
{
	struct report rep;
	struct buf    b;
	struct html   h;

	(void)state;
	build(&rep);
	buf_init(&b, BUF_MAX_DEFAULT);
	html_init(&h, &b);
	html_open(&h, "main", NULL);
	report_html(&rep, 1, &h);
	assert_int_equal(h.depth, 1);
	html_close(&h);
	assert_false(h.failed);
	/* Inside a page: no document of its own, no h1. */
	assert_null(strstr(b.data, "<html"));
	assert_null(strstr(b.data, "<h1"));
	assert_null(strstr(b.data, "<style"));
	has(b.data, "<dl class=\"report-meta\">");
	/* A report without tables says so. */
	buf_reset(&b);
	report_free(&rep);
	memset(&rep, 0, sizeof(rep));
	rep.k = 5;
	html_init(&h, &b);
	report_html(&rep, 1, &h);
	has(b.data, "В отчёте нет таблиц");
	buf_free(&b);
}

static char *
tmp_path(void)
{
	const char *dir = getenv("TMPDIR");
	char	   *p;
	int	    fd;

	p = xasprintf("%s/otklik-test-report.XXXXXX",
	    dir != NULL && *dir != '\0' ? dir : "/tmp");
	fd = mkstemp(p);
	assert_true(fd != -1);
	close(fd);
	return p;
}

/* A part of the zip, or NULL when it has none by that name. */
static char *
part(const char *path, const char *name)
{
	zip_t	   *z;
	zip_file_t *f;
	zip_stat_t  st;
	char	   *data;
	int	    zerr;

	z = zip_open(path, ZIP_RDONLY, &zerr);
	if (z == NULL)
		fail_msg("%s: libzip cannot open it (%d)", path, zerr);
	if (zip_stat(z, name, 0, &st) == -1 ||
	    (f = zip_fopen(z, name, 0)) == NULL) {
		zip_close(z);
		return NULL;
	}
	data = xmalloc((size_t)st.size + 1);
	if (zip_fread(f, data, st.size) != (zip_int64_t)st.size)
		fail_msg("%s: cannot read %s", path, name);
	data[st.size] = '\0';
	zip_fclose(f);
	zip_close(z);
	return data;
}

/* The <c> element of a cell in a sheet's XML, up to its end. */
static char *
sheet_cell(const char *xml, const char *ref)
{
	char	    pat[32];
	const char *a, *b;

	snprintf(pat, sizeof(pat), "<c r=\"%s\"", ref);
	if ((a = strstr(xml, pat)) == NULL)
		fail_msg("no cell %s", ref);
	if ((b = strstr(a, "</c>")) == NULL)
		fail_msg("cell %s is not closed", ref);
	return xstrndup(a, (size_t)(b - a));
}

static void
test_xlsx(void **state)
{
	struct report rep;
	struct table  tab;
	struct buf    file;
	struct err    e;
	char	     *path, *x, *c, *p, *q, name[128];
	size_t	      i, j, nnames = 0;
	char	      names[16][128];

	(void)state;
	build(&rep);
	path = tmp_path();
	err_clear(&e);
	if (report_xlsx(&rep, 1, path, &e) != 0)
		fail_msg("report_xlsx: %s", e.msg);

	/* The first sheet, through the project's reader. */
	buf_init(&file, BUF_MAX_DEFAULT);
	assert_int_equal(buf_read_file(&file, path, &e), 0);
	memset(&tab, 0, sizeof(tab));
	if (table_read_xlsx(file.data, file.len, &tab, &e) != 0)
		fail_msg("table_read_xlsx: %s", e.msg);
	assert_string_equal(table_cell(&tab, 0, 0), "Отчёт");
	for (i = 0; i < tab.nrows; i++)
		if (strcmp(table_cell(&tab, i, 0), "Организация") == 0)
			break;
	assert_true(i < tab.nrows);
	assert_string_equal(table_cell(&tab, i, 1),
	    "Министерство «Тест» & <К°>");
	assert_string_equal(table_cell(&tab, i + 1, 1),
	    "01.01.2026–30.06.2026 (2026H1)");
	assert_string_equal(table_cell(&tab, i + 2, 1), "внешние");
	assert_string_equal(table_cell(&tab, i + 3, 1), "5");
	assert_string_equal(table_cell(&tab, i + 4, 1), "01.07.2026 09:30 UTC");
	/* The list of tables: a row per table, sheet and title. */
	for (; i < tab.nrows; i++)
		if (strcmp(table_cell(&tab, i, 0), "Лист") == 0)
			break;
	assert_int_equal(tab.nrows - i - 1, rep.ntables);
	assert_string_equal(table_cell(&tab, i + 1, 1),
	    "Количество обращений по всем каналам");
	table_free(&tab);
	buf_free(&file);

	/* Sheet names: unique, at most 31 characters, none of []:*?/\. */
	x = part(path, "xl/workbook.xml");
	assert_non_null(x);
	for (p = x; (p = strstr(p, "<sheet name=\"")) != NULL; p = q) {
		p += strlen("<sheet name=\"");
		q = strchr(p, '"');
		snprintf(name, sizeof(name), "%.*s", (int)(q - p), p);
		for (i = 0, j = 0; name[i] != '\0'; i++)
			j += ((unsigned char)name[i] & 0xc0) != 0x80;
		if (j > 31 || strpbrk(name, "[]:*?/\\") != NULL)
			fail_msg("sheet name \"%s\"", name);
		for (i = 0; i < nnames; i++)
			assert_string_not_equal(names[i], name);
		snprintf(names[nnames++], sizeof(names[0]), "%s", name);
	}
	assert_int_equal(nnames, rep.ntables + 1);
	assert_string_equal(names[0], "Сводка");
	assert_string_equal(names[1], "Количество обращений по");
	assert_string_equal(names[5], "Нарушения стандартов -по");
	assert_string_equal(names[6], "Нарушения стандартов -по (2)");
	free(x);

	/* The figures of the first table: numbers as numbers, withheld as
	 * text, and the note under the table. */
	x = part(path, "xl/worksheets/sheet2.xml");
	assert_non_null(x);
	c = sheet_cell(x, "B5");
	has(c, "<v>1234</v>");
	assert_null(strstr(c, "t=\"s\""));
	free(c);
	c = sheet_cell(x, "C5");
	has(c, "<v>61.7</v>");
	free(c);
	c = sheet_cell(x, "C7");	/* Почта: fewer than k */
	has(c, "t=\"s\"");
	free(c);
	assert_null(strstr(x, "<v>0.15</v>"));
	assert_null(strstr(x, "<v>63</v>"));
	free(x);
	x = part(path, "xl/sharedStrings.xml");
	has(x, "— менее 5 ответов");
	has(x, "— скрыто, чтобы нельзя было вычислить скрытое значение");
	has(x, "<t>нет данных</t>");
	assert_null(strstr(x, "— нет данных"));
	free(x);

	/* Native charts: bars, a line, clustered columns; the heat map a
	 * colour scale; no chart for a table without one. */
	x = part(path, "xl/charts/chart1.xml");
	assert_non_null(x);
	has(x, "<c:barChart>");
	has(x, "<c:barDir val=\"bar\"/>");
	/* Withheld figures are gaps (no "zero" or "span"), and the hidden
	 * copy of the figures is drawn (no plotVisOnly). */
	assert_null(strstr(x, "<c:dispBlanksAs"));
	assert_null(strstr(x, "<c:plotVisOnly"));
	/* Rows in the table's order, top down. */
	has(x, "<c:orientation val=\"maxMin\"/>");
	/* Two of the four points, the withheld ones not there at all. */
	c = strstr(x, "<c:numCache>");
	assert_non_null(c);
	has(c, "<c:ptCount val=\"4\"/><c:pt idx=\"0\"><c:v>61.7</c:v></c:pt>"
	    "<c:pt idx=\"1\"><c:v>35</c:v></c:pt></c:numCache>");
	free(x);
	x = part(path, "xl/charts/chart2.xml");
	assert_non_null(x);
	has(x, "<c:lineChart>");
	free(x);
	x = part(path, "xl/charts/chart3.xml");
	assert_non_null(x);
	has(x, "<c:barChart>");
	has(x, "<c:barDir val=\"col\"/>");
	assert_int_equal(strstr(x, "<c:ser>") != NULL, 1);
	free(x);
	assert_null(part(path, "xl/charts/chart4.xml"));
	x = part(path, "xl/worksheets/sheet5.xml");
	assert_non_null(x);
	has(x, "<colorScale>");
	free(x);

	/* The same report gives the same file. */
	buf_init(&file, BUF_MAX_DEFAULT);
	assert_int_equal(buf_read_file(&file, path, &e), 0);
	p = tmp_path();
	assert_int_equal(report_xlsx(&rep, 1, p, &e), 0);
	{
		struct buf two;

		buf_init(&two, BUF_MAX_DEFAULT);
		assert_int_equal(buf_read_file(&two, p, &e), 0);
		assert_int_equal(two.len, file.len);
		assert_memory_equal(two.data, file.data, file.len);
		buf_free(&two);
	}
	buf_free(&file);
	unlink(p);
	free(p);

	/* An English workbook. */
	assert_int_equal(report_xlsx(&rep, 0, path, &e), 0);
	x = part(path, "xl/workbook.xml");
	has(x, "<sheet name=\"Summary\"");
	free(x);
	unlink(path);
	free(path);

	/* A file that cannot be made is an error naming it. */
	err_clear(&e);
	assert_int_equal(report_xlsx(&rep, 1, "/nonexistent/dir/r.xlsx", &e),
	    -1);
	assert_int_equal(e.code, EXIT_CANTCREAT);
	has(e.msg, "/nonexistent/dir/r.xlsx");
	report_free(&rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doc_golden),
		cmocka_unit_test(test_page_fragment),
		cmocka_unit_test(test_xlsx),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * A report as an XLSX workbook (report.h), with libxlsxwriter: a first
 * sheet «Сводка» saying what the report covers and listing its tables,
 * then a sheet per table with the figures as numbers (a format per kind)
 * and, where the table has a chart, a native Excel chart of it: bars,
 * lines or clustered columns.  The heat map becomes a three-colour scale
 * over each column, which is how a spreadsheet draws one.
 *
 * A withheld figure is the text «—» in the table, and a note under the
 * table says why; one with no data behind it says «нет данных».  Excel would plot that text as zero, so the charts
 * read a hidden copy of the figures beside the table in which withheld
 * ones are blank cells, drawn as gaps.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "otklik.h"
#include "report.h"

#define ROW_TITLE  0
#define ROW_NOTE   1
#define ROW_HEAD   3
#define ROW_DATA   4
#define CHART_ROWS 200	/* categories a native chart draws */
#define SERIES_MAX 8
#define NAME_CHARS 27	/* of a sheet name before " (2)" (Excel: 31) */
#define SUMMARY_RU "Сводка"
#define SUMMARY_EN "Summary"

struct xw {
	lxw_workbook  *wb;
	lxw_worksheet *ws;
	lxw_error      rc;
	lxw_format    *title, *bold, *head, *text, *dash, *num[RK_SCORE + 1],
		      *numb[RK_SCORE + 1], *note;
};

static const char *
T(int ru, const char *r, const char *e)
{
	return ru ? r : e;
}

static void
put_str(struct xw *x, lxw_row_t r, lxw_col_t c, const char *s,
    lxw_format *f)
{
	if (x->rc == LXW_NO_ERROR)
		x->rc = worksheet_write_string(x->ws, r, c, s, f);
}

static void
put_num(struct xw *x, lxw_row_t r, lxw_col_t c, double v, lxw_format *f)
{
	if (x->rc == LXW_NO_ERROR)
		x->rc = worksheet_write_number(x->ws, r, c, v, f);
}

static void
width(struct xw *x, lxw_col_t c1, lxw_col_t c2, double w)
{
	if (x->rc == LXW_NO_ERROR)
		x->rc = worksheet_set_column(x->ws, c1, c2, w, NULL);
}

static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* The number format of a kind, as Excel writes it (the reader's locale
 * shows the separators). */
static const char *
num_format(enum rkind k)
{
	switch (k) {
	case RK_COUNT:
	case RK_MINUTES:
		return "#,##0";
	case RK_MEAN:
		return "0.00";
	case RK_DELTA:
		return "+0.0;-0.0;0.0";
	case RK_SHARE:
	case RK_INDEX:
	case RK_SCORE:
		break;
	}
	return "0.0";
}

static void
formats(struct xw *x)
{
	int k;

	x->title = workbook_add_format(x->wb);
	format_set_bold(x->title);
	format_set_font_size(x->title, 14);
	x->bold = workbook_add_format(x->wb);
	format_set_bold(x->bold);
	x->head = workbook_add_format(x->wb);
	format_set_bold(x->head);
	format_set_text_wrap(x->head);
	format_set_align(x->head, LXW_ALIGN_VERTICAL_TOP);
	format_set_bottom(x->head, LXW_BORDER_THIN);
	x->text = workbook_add_format(x->wb);
	format_set_text_wrap(x->text);
	format_set_align(x->text, LXW_ALIGN_VERTICAL_TOP);
	x->dash = workbook_add_format(x->wb);
	format_set_align(x->dash, LXW_ALIGN_RIGHT);
	format_set_font_color(x->dash, 0x444444);
	x->note = workbook_add_format(x->wb);
	format_set_italic(x->note);
	format_set_font_color(x->note, 0x444444);
	for (k = 0; k <= RK_SCORE; k++) {
		x->num[k] = workbook_add_format(x->wb);
		format_set_num_format(x->num[k], num_format((enum rkind)k));
		x->numb[k] = workbook_add_format(x->wb);
		format_set_num_format(x->numb[k], num_format((enum rkind)k));
		format_set_bold(x->numb[k]);
	}
}

/*
 * A sheet name from a title: Excel refuses []:*?/\, a name longer than
 * 31 characters, an apostrophe at either end and two sheets whose names
 * differ only in case.  Case is compared folded (utf8_fold), Cyrillic
 * included; a name taken gets " (2)", " (3)"…
 */
static char *
sheet_name(const char *title, size_t num, char **taken, size_t ntaken)
{
	char   base[4 * NAME_CHARS + 8], *stem, *name, *fold, *f2;
	size_t i, n = 0, len = 0, space = 0, dup;
	int    try;

	/* Whole characters only: the loop stops at a lead byte. */
	for (i = 0; title[i] != '\0' && len + 1 < sizeof(base); i++) {
		if (((unsigned char)title[i] & 0xc0) != 0x80 &&
		    n++ == NAME_CHARS)
			break;
		/* A break that costs a few characters at most. */
		if (title[i] == ' ' && n > NAME_CHARS - 5)
			space = len;
		base[len++] = strchr("[]:*?/\\", title[i]) != NULL ? '-' :
		    title[i];
	}
	/* A title cut short ends at a word if that keeps most of it. */
	if (title[i] != '\0' && space > 0)
		len = space;
	base[len] = '\0';
	stem = str_squeeze(base);
	len = strlen(stem);
	while (len > 0 && stem[len - 1] == '\'')
		stem[--len] = '\0';
	if (str_empty(stem + strspn(stem, "'"))) {
		free(stem);
		stem = xasprintf("%zu", num);
	}
	name = xstrdup(stem + strspn(stem, "'"));
	for (try = 2;; try++) {
		fold = utf8_fold(name);
		for (i = 0, dup = 0; i < ntaken && !dup; i++) {
			f2 = utf8_fold(taken[i]);
			dup = strcmp(fold, f2) == 0;
			free(f2);
		}
		free(fold);
		if (!dup)
			break;
		free(name);
		name = xasprintf("%s (%d)", stem + strspn(stem, "'"), try);
	}
	free(stem);
	return name;
}

static void
summary(struct xw *x, const struct report *rep, int ru, char **names)
{
	char   from[11], to[11], when[17], line[256];
	size_t i;

	(ru ? date_format_ru : date_format)(rep->from, from);
	(ru ? date_format_ru : date_format)(rep->to, to);
	width(x, 0, 0, 24);
	width(x, 1, 1, 60);
	put_str(x, 0, 0, T(ru, "Отчёт", "Report"), x->title);
	put_str(x, 2, 0, T(ru, "Организация", "Organization"), x->bold);
	put_str(x, 2, 1, rep->org_name != NULL ? rep->org_name : "", x->text);
	snprintf(line, sizeof(line), "%s–%s%s%s%s", from, to,
	    rep->period[0] != '\0' ? " (" : "", rep->period,
	    rep->period[0] != '\0' ? ")" : "");
	put_str(x, 3, 0, T(ru, "Период", "Period"), x->bold);
	put_str(x, 3, 1, line, NULL);
	put_str(x, 4, 0, T(ru, "Клиенты", "Clients"), x->bold);
	put_str(x, 4, 1, strcmp(rep->client, "internal") == 0 ?
	    T(ru, "внутренние", "internal") : T(ru, "внешние", "external"),
	    NULL);
	put_str(x, 5, 0, T(ru, "Порог k", "Threshold k"), x->bold);
	put_num(x, 5, 1, rep->k, NULL);
	time_format_local(rep->generated_at, "UTC", ru, when);
	snprintf(line, sizeof(line), "%s UTC", when);
	put_str(x, 6, 0, T(ru, "Сформирован", "Generated"), x->bold);
	put_str(x, 6, 1, line, NULL);
	put_str(x, 8, 0, T(ru, "Лист", "Sheet"), x->head);
	put_str(x, 8, 1, T(ru, "Таблица", "Table"), x->head);
	for (i = 0; i < rep->ntables; i++) {
		put_str(x, (lxw_row_t)(9 + i), 0, names[i], NULL);
		put_str(x, (lxw_row_t)(9 + i), 1, ru ? rep->tables[i].title_ru :
		    rep->tables[i].title_en, x->text);
	}
}

static void
supp_text(enum rsupp s, int k, int ru, char *out, size_t size)
{
	switch (s) {
	case RS_NONE:
		snprintf(out, size, "— %s", T(ru, "нет данных", "no data"));
		break;
	case RS_SMALL:
		snprintf(out, size, ru ? "— менее %d ответов" :
		    "— fewer than %d answers", k);
		break;
	case RS_COMPLEMENT:
		snprintf(out, size, "— %s", T(ru, "скрыто, чтобы нельзя было "
		    "вычислить скрытое значение", "withheld so that a "
		    "withheld figure cannot be worked out"));
		break;
	case RS_SHOWN:
		out[0] = '\0';
		break;
	}
}

/* The figures; returns the reasons seen, a bit per enum rsupp. */
static unsigned
figures(struct xw *x, const struct rtable *t, int ru)
{
	const struct rrow  *r;
	const struct rcell *c;
	unsigned	    seen = 0;
	size_t		    i, j, w = 14;
	lxw_row_t	    row;

	put_str(x, ROW_HEAD, 0, t->chart == RC_LINES ? T(ru, "Период",
	    "Period") : T(ru, "Категория", "Category"), x->head);
	for (j = 0; j < t->ncols; j++)
		put_str(x, ROW_HEAD, (lxw_col_t)(j + 1), ru ? t->cols[j].ru :
		    t->cols[j].en, x->head);
	for (i = 0; i < t->nrows; i++) {
		r = &t->rows[i];
		row = (lxw_row_t)(ROW_DATA + i);
		put_str(x, row, 0, ru ? r->label_ru : r->label_en,
		    r->total ? x->bold : x->text);
		if (chars(ru ? r->label_ru : r->label_en) + 2 > w)
			w = chars(ru ? r->label_ru : r->label_en) + 2;
		for (j = 0; j < t->ncols; j++) {
			c = &r->cells[j];
			if (c->supp == RS_SHOWN)
				put_num(x, row, (lxw_col_t)(j + 1), c->value,
				    (r->total ? x->numb : x->num)
				    [t->cols[j].kind]);
			else if (c->supp == RS_NONE)
				put_str(x, row, (lxw_col_t)(j + 1), T(ru,
				    "нет данных", "no data"), x->dash);
			else {
				put_str(x, row, (lxw_col_t)(j + 1), "—",
				    x->dash);
				seen |= 1u << c->supp;
			}
		}
	}
	width(x, 0, 0, (double)(w > 50 ? 50 : w));
	if (t->ncols > 0)
		width(x, 1, (lxw_col_t)t->ncols, 16);
	return seen;
}

/* The series a chart draws: the chart's column, then the others of the
 * same kind, as svg.c draws them. */
static size_t
series(const struct rtable *t, int *cols)
{
	size_t i, n = 0;

	if (t->chart_col < 0 || (size_t)t->chart_col >= t->ncols)
		return 0;
	cols[n++] = t->chart_col;
	if (t->chart == RC_BARS)
		return n;
	for (i = 0; i < t->ncols && n < SERIES_MAX; i++)
		if ((int)i != t->chart_col &&
		    t->cols[i].kind == t->cols[t->chart_col].kind)
			cols[n++] = (int)i;
	return n;
}

/* The heat map: a colour scale per column, over the rows that are not
 * totals (each run of them), light to darker blue, black text on all. */
static void
heat(struct xw *x, const struct rtable *t)
{
	lxw_conditional_format cf;
	size_t		       i, j, start;

	for (j = 0; j < t->ncols; j++)
		for (i = 0; i < t->nrows; i = start + 1) {
			while (i < t->nrows && t->rows[i].total)
				i++;
			for (start = i; start < t->nrows &&
			    !t->rows[start].total; start++)
				;
			if (start == i || x->rc != LXW_NO_ERROR)
				break;
			memset(&cf, 0, sizeof(cf));
			cf.type = LXW_CONDITIONAL_3_COLOR_SCALE;
			cf.min_color = 0xF7FBFF;
			cf.mid_color = 0x9ECAE1;
			cf.max_color = 0x4292C6;
			x->rc = worksheet_conditional_format_range(x->ws,
			    (lxw_row_t)(ROW_DATA + i), (lxw_col_t)(j + 1),
			    (lxw_row_t)(ROW_DATA + start - 1),
			    (lxw_col_t)(j + 1), &cf);
		}
}

/* A native chart of the hidden copy of the figures, placed at row. */
static void
chart(struct xw *x, const struct rtable *t, int ru, const char *sheet,
    lxw_row_t at)
{
	lxw_row_col_options hidden = { .hidden = 1 };
	lxw_chart_options   place;
	lxw_chart_series   *s;
	lxw_chart	   *ch;
	int		    cols[SERIES_MAX];
	size_t		    ns, i, j, n = 0;
	lxw_col_t	    cb = (lxw_col_t)(t->ncols + 3);
	uint8_t		    type;

	if ((ns = series(t, cols)) == 0 || x->rc != LXW_NO_ERROR)
		return;
	for (j = 0; j < ns; j++)
		put_str(x, ROW_HEAD, (lxw_col_t)(cb + 1 + j), ru ?
		    t->cols[cols[j]].ru : t->cols[cols[j]].en, NULL);
	for (i = 0; i < t->nrows && n < CHART_ROWS; i++) {
		if (t->rows[i].total)
			continue;
		put_str(x, (lxw_row_t)(ROW_DATA + n), cb, ru ?
		    t->rows[i].label_ru : t->rows[i].label_en, NULL);
		for (j = 0; j < ns; j++)
			if (t->rows[i].cells[cols[j]].supp == RS_SHOWN)
				put_num(x, (lxw_row_t)(ROW_DATA + n),
				    (lxw_col_t)(cb + 1 + j),
				    t->rows[i].cells[cols[j]].value, NULL);
		n++;
	}
	if (n == 0 || x->rc != LXW_NO_ERROR)
		return;
	x->rc = worksheet_set_column_opt(x->ws, cb, (lxw_col_t)(cb + ns),
	    12, NULL, &hidden);
	type = t->chart == RC_BARS ? LXW_CHART_BAR : t->chart == RC_LINES ?
	    LXW_CHART_LINE : LXW_CHART_COLUMN;
	if (x->rc != LXW_NO_ERROR ||
	    (ch = workbook_add_chart(x->wb, type)) == NULL) {
		if (x->rc == LXW_NO_ERROR)
			x->rc = LXW_ERROR_MEMORY_MALLOC_FAILED;
		return;
	}
	chart_title_set_name(ch, ru ? t->title_ru : t->title_en);
	for (j = 0; j < ns; j++) {
		if ((s = chart_add_series(ch, NULL, NULL)) == NULL) {
			x->rc = LXW_ERROR_MEMORY_MALLOC_FAILED;
			return;
		}
		chart_series_set_categories(s, sheet, ROW_DATA, cb,
		    (lxw_row_t)(ROW_DATA + n - 1), cb);
		chart_series_set_values(s, sheet, ROW_DATA,
		    (lxw_col_t)(cb + 1 + j), (lxw_row_t)(ROW_DATA + n - 1),
		    (lxw_col_t)(cb + 1 + j));
		chart_series_set_name_range(s, sheet, ROW_HEAD,
		    (lxw_col_t)(cb + 1 + j));
		if (ns == 1)
			chart_series_set_labels(s);
	}
	if (ns == 1)
		chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
	else
		chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
	/* Bars run down the page in the table's order. */
	if (type == LXW_CHART_BAR)
		chart_axis_set_reverse(ch->y_axis);
	chart_show_blanks_as(ch, LXW_CHART_BLANKS_AS_GAP);
	chart_show_hidden_data(ch);
	memset(&place, 0, sizeof(place));
	place.x_scale = 1.5;
	/* Taller with more bars, up to about two screens. */
	place.y_scale = type == LXW_CHART_LINE ? 1.2 : 1.0 + (double)(n *
	    ns) / 16.0;
	if (place.y_scale > 6)
		place.y_scale = 6;
	x->rc = worksheet_insert_chart_opt(x->ws, at, 0, ch, &place);
}

static void
table_sheet(struct xw *x, const struct rtable *t, int k, int ru,
    const char *sheet)
{
	static const enum rsupp reasons[] = { RS_SMALL, RS_COMPLEMENT };
	const char *note = ru ? t->note_ru : t->note_en;
	char	    line[256];
	unsigned    seen;
	size_t	    i;
	lxw_row_t   row = (lxw_row_t)(ROW_DATA + t->nrows + 1);

	put_str(x, ROW_TITLE, 0, ru ? t->title_ru : t->title_en, x->title);
	if (note != NULL)
		put_str(x, ROW_NOTE, 0, note, x->note);
	seen = figures(x, t, ru);
	for (i = 0; i < nitems(reasons); i++)
		if (seen & (1u << reasons[i])) {
			supp_text(reasons[i], k, ru, line, sizeof(line));
			put_str(x, row++, 0, line, x->note);
		}
	worksheet_freeze_panes(x->ws, ROW_DATA, 1);
	if (t->chart == RC_HEAT)
		heat(x, t);
	else if (t->chart != RC_NONE)
		chart(x, t, ru, sheet, row + 1);
	if (x->rc == LXW_NO_ERROR) {
		worksheet_set_paper(x->ws, 9);	/* A4 */
		worksheet_fit_to_pages(x->ws, 1, 0);
	}
}

int
report_xlsx(const struct report *rep, int ru, const char *path,
    struct err *e)
{
	lxw_doc_properties props;
	struct xw	   x;
	lxw_error	   rc;
	char		 **names;
	FILE		  *f;
	size_t		   i;

	if ((size_t)rep->ntables + 1 > 255)
		return err_set(e, EXIT_SOFTWARE, "%s: %zu tables do not fit "
		    "in a workbook", path, rep->ntables);
	/* Checked here so that the message is ours, not the library's. */
	if ((f = fopen(path, "wb")) == NULL)
		return err_set(e, EXIT_CANTCREAT, "%s: %s", path,
		    strerror(errno));
	fclose(f);
	memset(&x, 0, sizeof(x));
	if ((x.wb = workbook_new(path)) == NULL)
		return err_set(e, EXIT_CANTCREAT, "%s: cannot start the "
		    "workbook", path);
	memset(&props, 0, sizeof(props));
	props.title = (char *)T(ru, "Отчёт", "Report");
	props.company = rep->org_name;
	props.author = (char *)"otklik";
	/* The report's own time, so the same report gives the same file. */
	props.created = rep->generated_at > 0 ? (time_t)rep->generated_at : 1;
	workbook_set_properties(x.wb, &props);
	formats(&x);

	names = xcalloc(rep->ntables + 1, sizeof(*names));
	names[0] = xstrdup(T(ru, SUMMARY_RU, SUMMARY_EN));
	for (i = 0; i < rep->ntables; i++)
		names[i + 1] = sheet_name(ru ? rep->tables[i].title_ru :
		    rep->tables[i].title_en, i + 1, names, i + 1);
	x.rc = LXW_NO_ERROR;
	if ((x.ws = workbook_add_worksheet(x.wb, names[0])) == NULL)
		x.rc = LXW_ERROR_MEMORY_MALLOC_FAILED;
	summary(&x, rep, ru, names + 1);
	for (i = 0; i < rep->ntables && x.rc == LXW_NO_ERROR; i++) {
		if ((x.ws = workbook_add_worksheet(x.wb, names[i + 1])) ==
		    NULL) {
			x.rc = LXW_ERROR_SHEETNAME_ALREADY_USED;
			break;
		}
		table_sheet(&x, &rep->tables[i], rep->k, ru, names[i + 1]);
	}
	errno = 0;
	rc = workbook_close(x.wb);
	for (i = 0; i < rep->ntables + 1; i++)
		free(names[i]);
	free(names);
	if (x.rc != LXW_NO_ERROR || rc != LXW_NO_ERROR) {
		unlink(path);
		if (x.rc != LXW_NO_ERROR)
			return err_set(e, EXIT_IOERR, "%s: %s", path,
			    lxw_strerror(x.rc));
		return err_set(e, rc == LXW_ERROR_CREATING_XLSX_FILE ?
		    EXIT_CANTCREAT : EXIT_IOERR, "%s: %s%s%s", path,
		    lxw_strerror(rc), errno != 0 ? ": " : "",
		    errno != 0 ? strerror(errno) : "");
	}
	return 0;
}

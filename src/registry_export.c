/*
 * The registry in the official form of R-REG-7 ([000 Приложение],
 * [001 Приложение]): six numbered columns, an area and a process spanning
 * their rows, N counting the areas.  Written as a printable HTML page, as
 * CSV for spreadsheets and re-import, and as XLSX with merged cells and
 * the header repeated on every printed page.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "otklik.h"
#include "html.h"
#include "registry.h"

const char *const registry_titles[6] = {
	"N",
	"Направление деятельности",
	"Наименование конкретного процесса",
	"Точка взаимодействия",
	"Осуществляемое взаимодействие с клиентом",
	"Особенности взаимодействия с клиентом",
};

const char *const registry_ext_titles[REGISTRY_EXT_COLUMNS] = {
	"Тип канала",
	"Вид точки",
	"Клиент",
	"Потребности",
	"Ключевая",
	"Маловостребованная",
	"Учет обращений не ведется",
	"Телефон",
	"Электронная почта",
	"Адрес сайта",
	"Адрес",
	"Кабинет",
	"Подразделение",
	"Основание",
	"Реквизиты основания",
};

#define FORM_TITLE "Перечень точек взаимодействия с клиентом"
#define NCOLS	   6
#define MAXCOLS	   (NCOLS + REGISTRY_EXT_COLUMNS)

static const char *
S(const char *s)
{
	return s != NULL ? s : "";
}

/* Column 6: the features, or the kind of the point as the seeds write it. */
static const char *
features_text(const struct reg_entry *e)
{
	if (!str_empty(e->features))
		return e->features;
	return e->kind == KIND_DIGITAL ? "цифровая точка" : "офлайн точка";
}

/* The end (one past) of the area group that starts at entry i. */
static size_t
area_end(const struct registry *r, size_t i)
{
	size_t j;

	for (j = i + 1; j < r->n; j++)
		if (strcmp(S(r->v[j].area), S(r->v[i].area)) != 0)
			break;
	return j;
}

/* The end of the process group starting at i, inside its area group. */
static size_t
process_end(const struct registry *r, size_t i, size_t aend)
{
	size_t j;

	for (j = i + 1; j < aend; j++)
		if (strcmp(S(r->v[j].process), S(r->v[i].process)) != 0)
			break;
	return j;
}

/* Otklik's own columns 7… of an entry, in registry_ext_titles order. */
static void
ext_values(const struct reg_entry *e, const char *v[REGISTRY_EXT_COLUMNS])
{
	v[0] = (unsigned)e->channel < CH__COUNT ? channels[e->channel].code
						 : "";
	/* Empty when the kind follows the channel, so that a re-import
	 * keeps it following (the importer takes a kind given as set by
	 * hand). */
	v[1] = e->kind_explicit ? kind_code(e->kind) : "";
	v[2] = client_code(e->client);
	v[3] = S(e->needs);
	v[4] = e->is_key ? "1" : "0";
	v[5] = e->low_demand ? "1" : "0";
	v[6] = e->not_counted ? "1" : "0";
	v[7] = S(e->phone);
	v[8] = S(e->email);
	v[9] = S(e->url);
	v[10] = S(e->address);
	v[11] = S(e->room);
	v[12] = S(e->unit);
	v[13] = S(basis_code(e->basis));
	v[14] = S(e->basis_ref);
}

/* "Версия 3 от 22.10.2024" */
static void
version_line(const struct export_meta *m, char *out, size_t len)
{
	char d[11];

	date_format_ru(m->date, d);
	snprintf(out, len, "Версия %lld от %s", (long long)m->version, d);
}

/*
 * HTML.  The page stands alone (the site publishes it as it is): styles
 * are embedded and made for printing on A4 landscape, with the header
 * repeated on every page and rows kept whole.  Each area is a <tbody> of
 * its own, so that its header cell can have scope="rowgroup".
 */
static const char html_css[] =
    "@page { size: A4 landscape; margin: 12mm 10mm 14mm 10mm; }\n"
    "html { background: #fff; color: #000; }\n"
    "body { margin: 1.5rem; font-family: \"PT Sans\", \"Liberation Sans\", "
    "Arial, sans-serif;\n"
    "  font-size: 12pt; line-height: 1.35; }\n"
    "header { text-align: center; margin: 0 0 1em; }\n"
    "h1 { font-size: 15pt; margin: 0; }\n"
    "header p { margin: .3em 0 0; }\n"
    ".org { font-size: 13pt; font-weight: bold; }\n"
    "table { border-collapse: collapse; width: 100%; }\n"
    "th, td { border: 1px solid #000; padding: .3em .45em; text-align: left;\n"
    "  vertical-align: top; white-space: pre-line; overflow-wrap: anywhere; }\n"
    "thead { display: table-header-group; }\n"
    "thead th { text-align: center; vertical-align: middle; "
    "background: #e6e6e6; }\n"
    "thead td { text-align: center; font-size: 10pt; }\n"
    "tbody th { font-weight: normal; }\n"
    "td.n { text-align: center; }\n"
    ".c1 { width: 4%; } .c2 { width: 15%; } .c3 { width: 19%; }\n"
    ".c4 { width: 22%; } .c5 { width: 25%; } .c6 { width: 15%; }\n"
    "tr { break-inside: avoid; page-break-inside: avoid; }\n"
    "@media print {\n"
    "  body { margin: 0; font-size: 10.5pt; }\n"
    "  h1 { font-size: 13pt; }\n"
    "  .org { font-size: 11.5pt; }\n"
    "  thead th { background: none; }\n"
    "  thead td { font-size: 9pt; }\n"
    "}\n";

static void
html_row(struct html *h, const struct registry *r, size_t k, size_t astart,
    size_t aend, size_t pstart, size_t pend, int num)
{
	const struct reg_entry *e = &r->v[k];
	char			arows[24], prows[24], n[24];
	int			d;

	snprintf(arows, sizeof(arows), "%zu", aend - astart);
	snprintf(prows, sizeof(prows), "%zu", pend - pstart);
	snprintf(n, sizeof(n), "%d", num);
	d = html_open(h, "tr", NULL);
	if (k == astart) {
		html_elem(h, "td", n, "rowspan",
		    aend - astart > 1 ? arows : NULL, "class", "n", NULL);
		html_elem(h, "th", S(e->area), "scope", "rowgroup", "rowspan",
		    aend - astart > 1 ? arows : NULL, NULL);
	}
	if (k == pstart)
		html_elem(h, "th", S(e->process), "scope", "row", "rowspan",
		    pend - pstart > 1 ? prows : NULL, NULL);
	html_elem(h, "td", S(e->name), NULL);
	html_elem(h, "td", S(e->interaction), NULL);
	html_elem(h, "td", features_text(e), NULL);
	html_close_to(h, d);
	html_raw(h, "\n");
}

/*
 * The table of the official form alone, for the export and for the public
 * page of the site: N and area span the rows of an area (a <tbody> each, so
 * the area's header cell has scope="rowgroup"), the process spans its rows.
 */
void
registry_html_table(struct html *h, const struct registry *r,
    const char *labelledby)
{
	char   cls[8];
	size_t i, j, k, aend, pend;
	int    num = 0, d, c;

	d = html_open(h, "table", "aria-labelledby", labelledby, NULL);
	html_raw(h, "\n");
	html_open(h, "colgroup", NULL);
	for (c = 1; c <= NCOLS; c++) {
		snprintf(cls, sizeof(cls), "c%d", c);
		html_void(h, "col", "class", cls, NULL);
	}
	html_close(h);
	html_raw(h, "\n");
	html_open(h, "thead", NULL);
	html_raw(h, "\n");
	html_open(h, "tr", NULL);
	for (c = 0; c < NCOLS; c++)
		html_elem(h, "th", registry_titles[c], "scope", "col", NULL);
	html_close(h);
	html_raw(h, "\n");
	html_open(h, "tr", NULL);
	for (c = 1; c <= NCOLS; c++) {
		snprintf(cls, sizeof(cls), "%d", c);
		html_elem(h, "td", cls, NULL);
	}
	html_close(h);
	html_raw(h, "\n");
	html_close(h);			/* thead */
	html_raw(h, "\n");

	if (r->n == 0) {
		html_open(h, "tbody", NULL);
		html_open(h, "tr", NULL);
		html_elem(h, "td", "В перечне нет точек взаимодействия.",
		    "colspan", "6", NULL);
		html_close(h);
		html_close(h);
		html_raw(h, "\n");
	}
	for (i = 0; i < r->n; i = aend) {
		aend = area_end(r, i);
		num++;
		html_open(h, "tbody", NULL);
		html_raw(h, "\n");
		for (j = i; j < aend; j = pend) {
			pend = process_end(r, j, aend);
			for (k = j; k < pend; k++)
				html_row(h, r, k, i, aend, j, pend, num);
		}
		html_close(h);
		html_raw(h, "\n");
	}
	html_close_to(h, d);		/* table */
	html_raw(h, "\n");
}

int
registry_export_html(const struct registry *r, const struct export_meta *m,
    struct buf *out, struct err *e)
{
	struct html h;
	char	    ver[64];
	size_t	    old = out->len;
	int	    d;

	html_init(&h, out);
	version_line(m, ver, sizeof(ver));
	html_raw(&h, "<!DOCTYPE html>\n");
	html_open(&h, "html", "lang", "ru", NULL);
	html_raw(&h, "\n");
	html_open(&h, "head", NULL);
	html_raw(&h, "\n");
	html_void(&h, "meta", "charset", "utf-8", NULL);
	html_raw(&h, "\n");
	html_void(&h, "meta", "name", "viewport", "content",
	    "width=device-width, initial-scale=1", NULL);
	html_raw(&h, "\n");
	d = html_open(&h, "title", NULL);
	html_text(&h, FORM_TITLE);
	if (!str_empty(m->org_name)) {
		html_text(&h, " — ");
		html_text(&h, m->org_name);
	}
	html_close_to(&h, d);
	html_raw(&h, "\n");
	d = html_open(&h, "style", NULL);
	html_raw(&h, "\n");
	html_raw(&h, html_css);
	html_close_to(&h, d);
	html_raw(&h, "\n");
	html_close(&h);			/* head */
	html_raw(&h, "\n");
	html_open(&h, "body", NULL);
	html_raw(&h, "\n");
	html_open(&h, "main", NULL);
	html_raw(&h, "\n");

	d = html_open(&h, "header", NULL);
	html_raw(&h, "\n");
	html_elem(&h, "h1", FORM_TITLE, "id", "registry-title", NULL);
	html_raw(&h, "\n");
	if (!str_empty(m->org_name)) {
		html_elem(&h, "p", m->org_name, "class", "org", NULL);
		html_raw(&h, "\n");
	}
	html_elem(&h, "p", ver, "class", "version", NULL);
	html_raw(&h, "\n");
	html_close_to(&h, d);
	html_raw(&h, "\n");

	registry_html_table(&h, r, "registry-title");
	html_close(&h);			/* main */
	html_raw(&h, "\n");
	html_close(&h);			/* body */
	html_raw(&h, "\n");
	html_close_to(&h, 0);		/* html */
	html_raw(&h, "\n");
	if (h.failed) {
		if (out->data != NULL) {
			out->len = old;
			out->data[old] = '\0';
		}
		return err_set(e, EXIT_DATAERR, "the registry as HTML is "
		    "larger than the limit of %zu bytes", out->max);
	}
	return 0;
}

/*
 * CSV (RFC 4180): UTF-8 with a byte order mark so that Excel reads the
 * Cyrillic right, comma separated, CRLF line ends, a field quoted when it
 * holds a comma, a quote or a line break.  Area and process are written
 * on every row so that each row stands alone when sorted or filtered; N
 * only on the first row of its area, as the form has it.
 */
static int
csv_field(struct buf *b, const char *s)
{
	const char *q;

	if (strpbrk(s, ",\"\r\n") == NULL)
		return buf_puts(b, s);
	if (buf_putc(b, '"') == -1)
		return -1;
	while ((q = strchr(s, '"')) != NULL) {
		if (buf_add(b, s, (size_t)(q - s) + 1) == -1 ||
		    buf_putc(b, '"') == -1)
			return -1;
		s = q + 1;
	}
	if (buf_puts(b, s) == -1 || buf_putc(b, '"') == -1)
		return -1;
	return 0;
}

static int
csv_row(struct buf *b, const char *const *cells, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((i > 0 && buf_putc(b, ',') == -1) ||
		    csv_field(b, cells[i]) == -1)
			return -1;
	return buf_puts(b, "\r\n");
}

int
registry_export_csv(const struct registry *r, const struct export_meta *m,
    struct buf *out, struct err *e)
{
	const char *cells[MAXCOLS];
	char	    nums[MAXCOLS][4], n[24];
	size_t	    ncols = m->extended ? MAXCOLS : NCOLS, c, i, aend = 0;
	size_t	    old = out->len;
	int	    num = 0;

	if (buf_puts(out, "\xef\xbb\xbf") == -1)
		goto full;
	for (c = 0; c < ncols; c++)
		cells[c] = c < NCOLS ? registry_titles[c]
				     : registry_ext_titles[c - NCOLS];
	if (csv_row(out, cells, ncols) == -1)
		goto full;
	for (c = 0; c < ncols; c++) {
		snprintf(nums[c], sizeof(nums[c]), "%zu", c + 1);
		cells[c] = nums[c];
	}
	if (csv_row(out, cells, ncols) == -1)
		goto full;
	for (i = 0; i < r->n; i++) {
		const struct reg_entry *en = &r->v[i];

		if (i == aend) {
			aend = area_end(r, i);
			snprintf(n, sizeof(n), "%d", ++num);
			cells[0] = n;
		} else
			cells[0] = "";
		cells[1] = S(en->area);
		cells[2] = S(en->process);
		cells[3] = S(en->name);
		cells[4] = S(en->interaction);
		cells[5] = features_text(en);
		if (m->extended)
			ext_values(en, cells + NCOLS);
		if (csv_row(out, cells, ncols) == -1)
			goto full;
	}
	return 0;
full:
	if (out->data != NULL) {
		out->len = old;
		out->data[old] = '\0';
	}
	return err_set(e, EXIT_DATAERR, "the registry as CSV is larger than "
	    "the limit of %zu bytes", out->max);
}

/*
 * XLSX.  Rows 1–2 carry the title and the version, rows 3–4 the titles
 * and the numbering of the columns (repeated on every printed page), the
 * entries follow.  N, area and process groups are merged cells.  The
 * printed page is A4 landscape, one page wide, and with --extended only
 * the six official columns are printed.  The creation time comes from
 * the version's date, so that the same version gives the same file.
 */
#define XROW_TITLE 0
#define XROW_VER   1
#define XROW_HEAD  2
#define XROW_NUM   3
#define XROW_DATA  4

static const double xwidths[MAXCOLS] = {
	5, 24, 30, 34, 48, 22,
	11, 10, 10, 24, 10, 12, 12, 18, 22, 24, 24, 10, 24, 12, 28,
};

/* A worksheet and the first error met writing it; later writes do nothing. */
struct xw {
	lxw_worksheet *ws;
	lxw_error      rc;
	lxw_row_t      row;	/* where the error was met */
};

static void
x_str(struct xw *x, lxw_row_t row, lxw_col_t col, const char *s,
    lxw_format *f)
{
	if (x->rc != LXW_NO_ERROR)
		return;
	if ((x->rc = worksheet_write_string(x->ws, row, col, s, f)) !=
	    LXW_NO_ERROR)
		x->row = row;
}

static void
x_num(struct xw *x, lxw_row_t row, lxw_col_t col, double v, lxw_format *f)
{
	if (x->rc != LXW_NO_ERROR)
		return;
	if ((x->rc = worksheet_write_number(x->ws, row, col, v, f)) !=
	    LXW_NO_ERROR)
		x->row = row;
}

/* A cell spanning rows first..last of a column (or just one cell). */
static void
x_span(struct xw *x, lxw_row_t first, lxw_row_t last, lxw_col_t col,
    const char *s, lxw_format *f)
{
	if (x->rc != LXW_NO_ERROR)
		return;
	if (last == first)
		x_str(x, first, col, s, f);
	else if ((x->rc = worksheet_merge_range(x->ws, first, col, last, col,
	    s, f)) != LXW_NO_ERROR)
		x->row = first;
}

static void
x_merge_row(struct xw *x, lxw_row_t row, lxw_col_t last, const char *s,
    lxw_format *f)
{
	if (x->rc != LXW_NO_ERROR)
		return;
	if ((x->rc = worksheet_merge_range(x->ws, row, 0, row, last, s, f)) !=
	    LXW_NO_ERROR)
		x->row = row;
}

/* Characters in a UTF-8 string, for sizing the title row. */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static lxw_format *
x_format(lxw_workbook *wb, int bold, uint8_t align, uint8_t valign,
    double size)
{
	lxw_format *f;

	if ((f = workbook_add_format(wb)) == NULL)
		fatal("out of memory making a cell format");
	format_set_font_name(f, "Arial");
	format_set_font_size(f, size);
	if (bold)
		format_set_bold(f);
	format_set_align(f, align);
	format_set_align(f, valign);
	format_set_text_wrap(f);
	return f;
}

int
registry_export_xlsx(const struct registry *r, const struct export_meta *m,
    const char *path, struct err *e)
{
	lxw_workbook	  *wb;
	lxw_doc_properties props;
	FILE		  *f;
	lxw_format	  *f_title, *f_ver, *f_head, *f_num, *f_cell, *f_n;
	struct xw	   x;
	const char	  *ext[REGISTRY_EXT_COLUMNS];
	char		  *title;
	char		   ver[64];
	size_t		   ncols = m->extended ? MAXCOLS : NCOLS, c, i, j, k;
	size_t		   aend, pend, lines;
	lxw_row_t	   last;
	lxw_error	   rc;
	int		   num = 0;

	if (r->n > LXW_ROW_MAX - XROW_DATA)
		return err_set(e, EXIT_DATAERR, "%zu entries do not fit in "
		    "a worksheet", r->n);
	/* Checked here so that the message is ours, not the library's. */
	if ((f = fopen(path, "wb")) == NULL)
		return err_set(e, EXIT_CANTCREAT, "%s: %s", path,
		    strerror(errno));
	fclose(f);
	if ((wb = workbook_new(path)) == NULL)
		return err_set(e, EXIT_CANTCREAT, "%s: cannot start the "
		    "workbook", path);
	title = str_empty(m->org_name) ? xstrdup(FORM_TITLE)
	    : xasprintf("%s — %s", FORM_TITLE, m->org_name);
	version_line(m, ver, sizeof(ver));

	memset(&props, 0, sizeof(props));
	props.title = (char *)FORM_TITLE;
	props.subject = ver;
	props.company = (char *)S(m->org_name);
	props.author = (char *)"otklik";
	/* Noon UTC of the version's day: never 0, which means "now". */
	props.created = (time_t)m->date * 86400 + 12 * 3600;
	workbook_set_properties(wb, &props);

	memset(&x, 0, sizeof(x));
	x.rc = LXW_NO_ERROR;
	if ((x.ws = workbook_add_worksheet(wb, "Перечень")) == NULL) {
		x.rc = LXW_ERROR_MEMORY_MALLOC_FAILED;
		goto close;
	}

	f_title = x_format(wb, 1, LXW_ALIGN_CENTER, LXW_ALIGN_VERTICAL_CENTER,
	    14);
	f_ver = x_format(wb, 0, LXW_ALIGN_CENTER, LXW_ALIGN_VERTICAL_CENTER,
	    11);
	f_head = x_format(wb, 1, LXW_ALIGN_CENTER, LXW_ALIGN_VERTICAL_CENTER,
	    11);
	format_set_border(f_head, LXW_BORDER_THIN);
	format_set_bg_color(f_head, 0xE6E6E6);
	f_num = x_format(wb, 0, LXW_ALIGN_CENTER, LXW_ALIGN_VERTICAL_CENTER,
	    9);
	format_set_border(f_num, LXW_BORDER_THIN);
	f_cell = x_format(wb, 0, LXW_ALIGN_LEFT, LXW_ALIGN_VERTICAL_TOP, 11);
	format_set_border(f_cell, LXW_BORDER_THIN);
	f_n = x_format(wb, 0, LXW_ALIGN_CENTER, LXW_ALIGN_VERTICAL_TOP, 11);
	format_set_border(f_n, LXW_BORDER_THIN);

	for (c = 0; c < ncols && x.rc == LXW_NO_ERROR; c++)
		x.rc = worksheet_set_column(x.ws, (lxw_col_t)c, (lxw_col_t)c,
		    xwidths[c], NULL);

	/* The title wraps at about 110 characters over the six columns. */
	lines = utf8_chars(title) / 110 + 1;
	if (x.rc == LXW_NO_ERROR)
		x.rc = worksheet_set_row(x.ws, XROW_TITLE, 20.0 * (double)lines,
		    NULL);
	x_merge_row(&x, XROW_TITLE, NCOLS - 1, title, f_title);
	x_merge_row(&x, XROW_VER, NCOLS - 1, ver, f_ver);
	for (c = 0; c < ncols; c++) {
		x_str(&x, XROW_HEAD, (lxw_col_t)c, c < NCOLS ?
		    registry_titles[c] : registry_ext_titles[c - NCOLS],
		    f_head);
		x_num(&x, XROW_NUM, (lxw_col_t)c, (double)(c + 1), f_num);
	}

	for (i = 0; i < r->n; i = aend) {
		aend = area_end(r, i);
		num++;
		/* N and the area span the area; write N over the merge. */
		x_span(&x, XROW_DATA + i, XROW_DATA + aend - 1, 0, "", f_n);
		x_num(&x, XROW_DATA + i, 0, num, f_n);
		x_span(&x, XROW_DATA + i, XROW_DATA + aend - 1, 1,
		    S(r->v[i].area), f_cell);
		for (j = i; j < aend; j = pend) {
			pend = process_end(r, j, aend);
			x_span(&x, XROW_DATA + j, XROW_DATA + pend - 1, 2,
			    S(r->v[j].process), f_cell);
			for (k = j; k < pend; k++) {
				const struct reg_entry *en = &r->v[k];
				lxw_row_t		row = XROW_DATA + k;

				x_str(&x, row, 3, S(en->name), f_cell);
				x_str(&x, row, 4, S(en->interaction), f_cell);
				x_str(&x, row, 5, features_text(en), f_cell);
				if (!m->extended)
					continue;
				ext_values(en, ext);
				for (c = 0; c < REGISTRY_EXT_COLUMNS; c++)
					x_str(&x, row, (lxw_col_t)(NCOLS + c),
					    ext[c], f_cell);
			}
		}
	}
	if (x.rc != LXW_NO_ERROR)
		goto close;

	last = r->n > 0 ? (lxw_row_t)(XROW_DATA + r->n - 1) : XROW_NUM;
	worksheet_set_landscape(x.ws);
	worksheet_set_paper(x.ws, 9);	/* A4 */
	worksheet_set_margins(x.ws, 0.4, 0.4, 0.5, 0.6);
	worksheet_fit_to_pages(x.ws, 1, 0);
	worksheet_center_horizontally(x.ws);
	worksheet_freeze_panes(x.ws, XROW_DATA, 0);
	if ((x.rc = worksheet_repeat_rows(x.ws, XROW_HEAD, XROW_NUM)) !=
	    LXW_NO_ERROR)
		goto close;
	if (m->extended && (x.rc = worksheet_print_area(x.ws, 0, 0, last,
	    NCOLS - 1)) != LXW_NO_ERROR)
		goto close;
	x.rc = worksheet_set_footer(x.ws, "&C&P / &N");

close:
	free(title);
	errno = 0;
	rc = workbook_close(wb);
	if (x.rc != LXW_NO_ERROR) {
		unlink(path);
		if (x.rc == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED &&
		    x.row < XROW_DATA)
			return err_set(e, EXIT_DATAERR, "the title is longer "
			    "than the 32767 characters a cell can hold");
		if (x.rc == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
			return err_set(e, EXIT_DATAERR, "entry %ld: a text is "
			    "longer than the 32767 characters a cell can hold",
			    (long)x.row - XROW_DATA + 1);
		return err_set(e, EXIT_SOFTWARE, "%s: %s", path,
		    lxw_strerror(x.rc));
	}
	if (rc != LXW_NO_ERROR) {
		unlink(path);
		return err_set(e, rc == LXW_ERROR_CREATING_XLSX_FILE ?
		    EXIT_CANTCREAT : EXIT_IOERR, "%s: %s%s%s", path,
		    lxw_strerror(rc), errno != 0 ? ": " : "",
		    errno != 0 ? strerror(errno) : "");
	}
	return 0;
}

/*
 * Text, for a terminal: the same form read top to bottom, areas numbered
 * as in column 1, processes under them, each touchpoint with columns 5
 * and 6 beneath it.
 */
int
registry_export_text(const struct registry *r, const struct export_meta *m,
    struct buf *out, struct err *e)
{
	char   vl[64];
	size_t i, j, k, aend, pend;
	int    num = 0, pnum, bad = 0;

	version_line(m, vl, sizeof(vl));
	bad |= buf_printf(out, "%s\n%s\n%s\n", FORM_TITLE, S(m->org_name), vl);
	for (i = 0; i < r->n && !bad; i = aend) {
		aend = area_end(r, i);
		bad |= buf_printf(out, "\n%d. %s\n", ++num, S(r->v[i].area));
		pnum = 0;
		for (j = i; j < aend && !bad; j = pend) {
			pend = process_end(r, j, aend);
			bad |= buf_printf(out, "   %d.%d. %s\n", num, ++pnum,
			    S(r->v[j].process));
			for (k = j; k < pend && !bad; k++)
				bad |= buf_printf(out,
				    "        - %s\n          %s\n          %s\n",
				    S(r->v[k].name), S(r->v[k].interaction),
				    features_text(&r->v[k]));
		}
	}
	if (bad)
		return err_set(e, EXIT_SOFTWARE, "the registry is too large "
		    "to show as text");
	return 0;
}

/*
 * A report as HTML (report.h): a header block saying what the report
 * covers, then a section per table with its formula, its chart (svg.c)
 * in a figure and the data table beside it.  report_html writes into a
 * page that the staff and public pages frame; report_html_doc makes a
 * whole document to save or print, with its style sheet inline and
 * nothing fetched or run.
 *
 * A withheld figure is "—" in an <abbr> that says why, and a footnote
 * under the table says it in words, so the reason does not depend on a
 * mouse hovering; a figure with no data behind it says "нет данных".
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "otklik.h"
#include "html.h"
#include "report.h"
#include "svg.h"

#define ID_MAX (REPORT_KEY_MAX + 16)

/*
 * The standalone document's own style sheet: the same look as the site's
 * report block (otklik.css) without the site's chrome, and A4 pages.
 */
static const char doc_css[] =
    ":root{--ink:#111;--paper:#fff;--accent:#0b4f8a;--muted:#444;"
    "--line:#767676}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;color:var(--ink);background:var(--paper);"
    "font-family:\"PT Sans\",\"Liberation Sans\",Arial,sans-serif;"
    "line-height:1.5}\n"
    "main{max-width:80rem;margin:0 auto;padding:1rem}\n"
    "h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem}\n"
    "h2{font-size:1.3rem;margin:1.5rem 0 .75rem}\n"
    "dl.report-meta{display:grid;grid-template-columns:max-content 1fr;"
    "gap:.2rem 1rem;margin:1rem 0}\n"
    "dl.report-meta dt{font-weight:bold}\n"
    "dl.report-meta dd{margin:0}\n"
    "table{border-collapse:collapse;margin:0 0 .5rem;min-width:16rem}\n"
    "caption{text-align:left;font-weight:bold;padding:.25rem 0}\n"
    "th,td{border:1px solid var(--line);padding:.3rem .5rem;"
    "text-align:left;vertical-align:top;overflow-wrap:break-word}\n"
    "thead th{background:#eef2f6;vertical-align:bottom}\n"
    "tbody th{font-weight:normal}\n"
    ".report-table .num{text-align:right;white-space:nowrap;"
    "font-variant-numeric:tabular-nums}\n"
    ".report-table tr.total th,.report-table tr.total td{font-weight:bold}\n"
    ".report-table abbr,.report-table td.none{text-decoration:none;"
    "color:var(--muted)}\n"
    ".report-body{display:flex;flex-wrap:wrap;gap:1rem 2rem;"
    "align-items:flex-start}\n"
    ".report-body figure{margin:0;flex:1 1 28rem;max-width:40rem;"
    "min-width:0;overflow-x:auto}\n"
    ".report-body figure.wide{flex-basis:100%;max-width:64rem}\n"
    ".report-body .table-wrap{flex:1 1 auto;max-width:100%;min-width:0;"
    "overflow-x:auto}\n"
    ".report-table th[scope=row]{min-width:9rem}\n"
    "svg.chart{display:block;width:100%;min-width:28rem;height:auto}\n"
    "figcaption,.formula,.report-notes{color:var(--muted);"
    "font-size:.92rem}\n"
    ".report-notes{margin:.25rem 0 0;padding-left:1.2rem}\n"
    "@media (prefers-contrast:more){:root{--line:#000;--muted:#000}}\n"
    "@media print{\n"
    "  @page{size:A4 portrait;margin:15mm 12mm}\n"
    "  main{max-width:none;padding:0}\n"
    "  body{font-size:10pt}\n"
    "  section.report-table{break-inside:avoid-page}\n"
    "  .report-body figure,.report-body .table-wrap{overflow:visible}\n"
    "  svg.chart{min-width:0}\n"
    "  thead{display:table-header-group}\n"
    "  tr{break-inside:avoid}\n"
    "}\n";

static const char *
T(int ru, const char *r, const char *e)
{
	return ru ? r : e;
}

static const char *
what_title(enum rwhat w, int ru)
{
	switch (w) {
	case RW_PAIN:
		return T(ru, "Карта болевых точек", "Pain map");
	case RW_LEVEL:
		return T(ru, "Уровень клиентоцентричности",
		    "Client-centricity level");
	case RW_PUBLIC:
		return T(ru, "Публичный отчёт за год", "Public yearly report");
	case RW_FULL:
		break;
	}
	return T(ru, "Отчёт о клиентоцентричности", "Client-centricity report");
}

static void
meta_item(struct html *h, const char *term, const char *value)
{
	html_elem(h, "dt", term, NULL);
	html_elem(h, "dd", value, NULL);
}

/* The header block: organization, period, clients, k, when made. */
static void
meta(const struct report *rep, int ru, struct html *h)
{
	char from[11], to[11], when[17], line[256];

	html_open(h, "dl", "class", "report-meta", NULL);
	if (rep->org_name != NULL)
		meta_item(h, T(ru, "Организация", "Organization"),
		    rep->org_name);
	(ru ? date_format_ru : date_format)(rep->from, from);
	(ru ? date_format_ru : date_format)(rep->to, to);
	if (rep->period[0] != '\0')
		snprintf(line, sizeof(line), "%s–%s (%s)", from, to,
		    rep->period);
	else
		snprintf(line, sizeof(line), "%s–%s", from, to);
	meta_item(h, T(ru, "Период", "Period"), line);
	if (strcmp(rep->client, "internal") == 0)
		meta_item(h, T(ru, "Клиенты", "Clients"), T(ru, "внутренние",
		    "internal"));
	else if (strcmp(rep->client, "external") == 0 ||
	    rep->client[0] == '\0')
		meta_item(h, T(ru, "Клиенты", "Clients"), T(ru, "внешние",
		    "external"));
	else
		meta_item(h, T(ru, "Клиенты", "Clients"), rep->client);
	snprintf(line, sizeof(line), ru ? "показатель, рассчитанный менее "
	    "чем по %d ответам или обращениям, не показывается" : "a figure "
	    "from fewer than %d answers or messages is not shown", rep->k);
	meta_item(h, T(ru, "Порог", "Threshold"), line);
	time_format_local(rep->generated_at, "UTC", ru, when);
	snprintf(line, sizeof(line), "%s UTC", when);
	meta_item(h, T(ru, "Сформирован", "Generated"), line);
	html_close(h);
}

/* Why a figure is withheld, in the words of the footnote. */
static void
supp_reason(enum rsupp s, int k, int ru, char *out, size_t size)
{
	switch (s) {
	case RS_NONE:
		snprintf(out, size, "%s", T(ru, "нет данных", "no data"));
		break;
	case RS_SMALL:
		snprintf(out, size, ru ? "менее %d ответов" :
		    "fewer than %d answers", k);
		break;
	case RS_COMPLEMENT:
		snprintf(out, size, "%s", T(ru, "скрыто, чтобы нельзя было "
		    "вычислить скрытое значение", "withheld so that a "
		    "withheld figure cannot be worked out"));
		break;
	case RS_SHOWN:
		out[0] = '\0';
		break;
	}
}

static void
cell(const struct rtable *t, size_t col, const struct rcell *c, int k,
    int ru, struct html *h, unsigned *seen)
{
	char text[128];

	/* No data is said in words ("нет данных"), never as 0. */
	if (c->supp == RS_SHOWN || c->supp == RS_NONE) {
		report_cell_text(c, t->cols[col].kind, ru, text, sizeof(text));
		html_elem(h, "td", text, "class", c->supp == RS_SHOWN ? "num" :
		    "num none", NULL);
		return;
	}
	*seen |= 1u << c->supp;
	supp_reason(c->supp, k, ru, text, sizeof(text));
	html_open(h, "td", "class", "num supp", NULL);
	html_elem(h, "abbr", "—", "title", text, NULL);
	html_close(h);
}

static void
data_table(const struct rtable *t, int ru, int k, int num, struct html *h)
{
	static const enum rsupp reasons[] = { RS_SMALL, RS_COMPLEMENT };
	const struct rrow *r;
	unsigned	   seen = 0;
	size_t		   i, j;
	char		   cap[64], why[128];
	int		   d;

	html_open(h, "div", "class", "table-wrap", NULL);
	d = html_open(h, "table", NULL);
	html_open(h, "caption", NULL);
	snprintf(cap, sizeof(cap), ru ? "Таблица %d. " : "Table %d. ", num);
	html_text(h, cap);
	html_text(h, ru ? t->title_ru : t->title_en);
	html_close(h);
	html_open(h, "thead", NULL);
	html_open(h, "tr", NULL);
	html_elem(h, "th", t->chart == RC_LINES ? T(ru, "Период", "Period") :
	    T(ru, "Категория", "Category"), "scope", "col", NULL);
	for (j = 0; j < t->ncols; j++)
		html_elem(h, "th", ru ? t->cols[j].ru : t->cols[j].en,
		    "scope", "col", NULL);
	html_close(h);
	html_close(h);
	html_open(h, "tbody", NULL);
	for (i = 0; i < t->nrows; i++) {
		r = &t->rows[i];
		html_open(h, "tr", "class", r->total ? "total" : NULL, NULL);
		html_elem(h, "th", ru ? r->label_ru : r->label_en, "scope",
		    "row", NULL);
		for (j = 0; j < t->ncols; j++)
			cell(t, j, &r->cells[j], k, ru, h, &seen);
		html_close(h);
	}
	html_close_to(h, d);
	if (seen != 0) {
		html_open(h, "ul", "class", "report-notes", NULL);
		for (i = 0; i < nitems(reasons); i++) {
			if (!(seen & (1u << reasons[i])))
				continue;
			supp_reason(reasons[i], k, ru, why, sizeof(why));
			html_open(h, "li", NULL);
			html_textf(h, "— %s", why);
			html_close(h);
		}
		html_close(h);
	}
	html_close(h);
}

static void
section(const struct rtable *t, int ru, int k, int num, struct html *h)
{
	char sid[ID_MAX], hid[ID_MAX], cid[ID_MAX], cap[64];
	int  d;

	snprintf(sid, sizeof(sid), "r-%s", t->key);
	snprintf(hid, sizeof(hid), "r-%s-h", t->key);
	snprintf(cid, sizeof(cid), "chart-%s", t->key);
	d = html_open(h, "section", "class", "report-table", "id", sid,
	    "aria-labelledby", hid, NULL);
	html_elem(h, "h2", ru ? t->title_ru : t->title_en, "id", hid, NULL);
	if ((ru ? t->note_ru : t->note_en) != NULL)
		html_elem(h, "p", ru ? t->note_ru : t->note_en, "class",
		    "formula", NULL);
	html_open(h, "div", "class", "report-body", NULL);
	if (t->chart != RC_NONE && t->nrows > 0) {
		/* A heat map is as wide as its columns need. */
		html_open(h, "figure", "class", t->chart == RC_HEAT ? "wide" :
		    NULL, NULL);
		svg_chart(t, ru, cid, h);
		html_open(h, "figcaption", NULL);
		snprintf(cap, sizeof(cap), ru ? "Рисунок %d. " : "Figure %d. ",
		    num);
		html_text(h, cap);
		html_text(h, ru ? t->title_ru : t->title_en);
		html_text(h, T(ru, ". Значения — в таблице рядом.",
		    ". The figures are in the table beside it."));
		html_close(h);
		html_close(h);
	}
	data_table(t, ru, k, num, h);
	html_close_to(h, d);
}

void
report_html(const struct report *rep, int ru, struct html *h)
{
	size_t i;

	meta(rep, ru, h);
	if (rep->ntables == 0)
		html_elem(h, "p", T(ru, "В отчёте нет таблиц за этот период.",
		    "The report has no tables for this period."), NULL);
	for (i = 0; i < rep->ntables; i++)
		section(&rep->tables[i], ru, rep->k, (int)i + 1, h);
}

void
report_html_doc(const struct report *rep, int ru, struct buf *out)
{
	struct html h;
	char	    title[512];

	if (rep->org_name != NULL)
		snprintf(title, sizeof(title), "%s — %s",
		    what_title(rep->what, ru), rep->org_name);
	else
		snprintf(title, sizeof(title), "%s", what_title(rep->what, ru));
	html_init(&h, out);
	html_raw(&h, "<!doctype html>\n");
	html_open(&h, "html", "lang", ru ? "ru" : "en", NULL);
	html_open(&h, "head", NULL);
	html_void(&h, "meta", "charset", "utf-8", NULL);
	html_void(&h, "meta", "name", "viewport", "content",
	    "width=device-width, initial-scale=1", NULL);
	html_elem(&h, "title", title, NULL);
	html_open(&h, "style", NULL);
	html_raw(&h, doc_css);
	html_close(&h);
	html_close(&h);
	html_raw(&h, "\n");
	html_open(&h, "body", NULL);
	html_open(&h, "main", NULL);
	html_elem(&h, "h1", title, NULL);
	report_html(rep, ru, &h);
	html_close_to(&h, 0);
	html_raw(&h, "\n");
}

void
report_html_doc_csp(char *out, size_t size)
{
	unsigned char hash[crypto_hash_sha256_BYTES];
	char	      b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES,
			  sodium_base64_VARIANT_ORIGINAL)];

	crypto_hash_sha256(hash, (const unsigned char *)doc_css,
	    sizeof(doc_css) - 1);
	sodium_bin2base64(b64, sizeof(b64), hash, sizeof(hash),
	    sodium_base64_VARIANT_ORIGINAL);
	snprintf(out, size, "default-src 'none'; img-src data:; "
	    "style-src 'sha256-%s'; frame-ancestors 'none'; "
	    "form-action 'none'; base-uri 'none'", b64);
}

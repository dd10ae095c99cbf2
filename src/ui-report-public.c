/*
 * The yearly public report as the public sees it (R-AN-6, R-PUB-1,
 * R-PUB-2): the years an organization has published, one year's report
 * as a page with its charts and data tables, as a standalone printable
 * document, and its figures as CSV.  What is shown is what the working
 * group published (an_publication): figures with suppression applied, no
 * personal data, no staff names.
 */
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "html.h"
#include "http.h"
#include "org.h"
#include "report.h"
#include "routes.h"
#include "ui.h"

static int
is_ru(const struct req *r)
{
	return strcmp(L(r, "ru", "en"), "ru") == 0;
}

static int
no_report(struct req *r)
{
	return req_error(r, 404, NULL, L(r, "Отчёт за этот год не "
	    "опубликован.", "The report of this year is not published."));
}

/* Loads the published report of a year: 0, or -1 with the page answered
 * (404 when there is none). */
static int
load(struct req *r, int64_t year, struct report *rep, char **summary,
    int64_t *at)
{
	struct err e;
	int	   rc;

	memset(rep, 0, sizeof(*rep));
	*summary = NULL;
	if (year < 1 || year > 9999) {
		no_report(r);
		return -1;
	}
	err_clear(&e);
	rc = report_published(r->db, r->org->id, (int)year, rep, summary, at,
	    &e);
	if (rc < 0) {
		ui_fail(r, &e);
		return -1;
	}
	if (rc == 1) {
		no_report(r);
		return -1;
	}
	return 0;
}

int
ui_pubrep_list(struct req *r)
{
	struct html h;
	struct err  e;
	size_t	    n = 0, i;
	char	   *p, label[32];
	int	   *years = NULL;

	err_clear(&e);
	if (report_years(r->db, r->org->id, &years, &n, &e) != 0)
		return ui_fail(r, &e);
	ui_begin(r, &h, L(r, "Публичные отчёты", "Public reports"));
	html_elem(&h, "h1", L(r, "Публичные отчёты о работе с обращениями",
	    "Public reports on the handling of appeals"), NULL);
	html_elem(&h, "p", r->org->name, "class", "org", NULL);
	if (n == 0)
		html_elem(&h, "p", L(r, "Отчёт ещё не опубликован.",
		    "No report is published yet."), NULL);
	else {
		html_open(&h, "ul", NULL);
		for (i = 0; i < n; i++) {
			p = ui_opath(r, "/report/%d", years[i]);
			snprintf(label, sizeof(label), is_ru(r) ? "Отчёт за %d "
			    "год" : "Report for %d", years[i]);
			html_open(&h, "li", NULL);
			html_elem(&h, "a", label, "href", p, NULL);
			html_close(&h);
			free(p);
		}
		html_close(&h);
	}
	ui_fb_quick(r, &h);	/* R-PUB-3 */
	ui_end(r, &h);
	free(years);
	return 0;
}

/* The summary the working group wrote, a paragraph per line. */
static void
summary_html(struct html *h, const char *s)
{
	const char *e;
	char	   *line;

	while (s != NULL && *s != '\0') {
		e = strchr(s, '\n');
		line = e != NULL ? xstrndup(s, (size_t)(e - s)) : xstrdup(s);
		if (!str_empty(line))
			html_elem(h, "p", line, NULL);
		free(line);
		s = e != NULL ? e + 1 : NULL;
	}
}

int
ui_pubrep_year(struct req *r)
{
	struct report rep;
	struct html   h;
	int64_t	      at = 0;
	char	     *summary, *title, *p, day[11];
	int	      d;

	if (load(r, r->id, &rep, &summary, &at) != 0)
		return 0;
	title = xasprintf(is_ru(r) ? "Отчёт за %lld год" : "Report for %lld",
	    (long long)r->id);
	ui_begin(r, &h, title);
	html_elem(&h, "h1", title, NULL);
	html_elem(&h, "p", r->org->name, "class", "org", NULL);
	if (at > 0) {
		date_format_ru(date_local(at, r->org->tz), day);
		html_open(&h, "p", "class", "meta", NULL);
		html_textf(&h, "%s %s", L(r, "Опубликован", "Published"), day);
		html_close(&h);
	}
	if (!str_empty(summary)) {
		d = html_open(&h, "section", "aria-labelledby",
		    "summary-title", NULL);
		html_elem(&h, "h2", L(r, "Резюме", "Summary"), "id",
		    "summary-title", NULL);
		summary_html(&h, summary);
		html_close_to(&h, d);
	}
	html_open(&h, "ul", "class", "inline downloads noprint", "aria-label",
	    L(r, "Другие виды отчёта", "Other forms of the report"), NULL);
	p = ui_opath(r, "/report/%lld/print", (long long)r->id);
	html_open(&h, "li", NULL);
	html_elem(&h, "a", L(r, "Версия для печати", "Printable version"),
	    "href", p, NULL);
	html_close(&h);
	free(p);
	p = ui_opath(r, "/report/%lld.csv", (long long)r->id);
	html_open(&h, "li", NULL);
	html_elem(&h, "a", L(r, "Цифры отчёта (CSV)", "The figures (CSV)"),
	    "href", p, NULL);
	html_close(&h);
	free(p);
	p = ui_opath(r, "/report");
	html_open(&h, "li", NULL);
	html_elem(&h, "a", L(r, "Все отчёты", "All reports"), "href", p, NULL);
	html_close(&h);
	free(p);
	html_close(&h);
	html_elem(&h, "p", L(r, "Цифры, полученные менее чем из 5 ответов, не "
	    "показываются, чтобы нельзя было узнать отдельных людей.",
	    "Figures from fewer than 5 answers are not shown, so that no one "
	    "can be singled out."), "class", "hint", NULL);
	report_html(&rep, is_ru(r), &h);
	ui_fb_quick(r, &h);	/* R-PUB-3 */
	ui_end(r, &h);
	free(title);
	free(summary);
	report_free(&rep);
	return 0;
}

int
ui_pubrep_print(struct req *r)
{
	struct report rep;
	int64_t	      at = 0;
	char	     *summary, csp[256];

	if (load(r, r->id, &rep, &summary, &at) != 0)
		return 0;
	buf_reset(&r->out);
	report_html_doc(&rep, is_ru(r), &r->out);
	r->ctype = "text/html; charset=utf-8";
	report_html_doc_csp(csp, sizeof(csp));
	req_header(r, "Content-Security-Policy", csp);
	free(summary);
	report_free(&rep);
	return 0;
}

/* GET /{org}/report/{name}: "2026.csv", the figures of a year. */
int
ui_pubrep_file(struct req *r)
{
	const char   *name = r->ncapture > 1 ? r->capture[1] : "";
	struct report rep;
	struct buf    out;
	int64_t	      at = 0;
	char	     *summary, *end, *fname;
	long	      year;

	year = strtol(name, &end, 10);
	if (end == name || strcmp(end, ".csv") != 0)
		return req_error(r, 404, NULL, L(r, "Такой страницы нет.",
		    "There is no such page."));
	if (load(r, year, &rep, &summary, &at) != 0)
		return 0;
	buf_init(&out, BUF_MAX_DEFAULT);
	report_csv(&rep, is_ru(r), &out);
	fname = xasprintf("report-%s-%ld.csv", r->org->slug, year);
	req_file(r, "text/csv; charset=utf-8", fname, out.data, out.len);
	free(fname);
	buf_free(&out);
	free(summary);
	report_free(&rep);
	return 0;
}

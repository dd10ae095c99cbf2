/*
 * What the public sees (R-PUB-1, R-PUB-2): the list of organizations, and
 * each one's published registry of touchpoints in the official form with
 * its version and publication date, printable, without JavaScript.  Also
 * the things every page needs: the style sheet, the language switch, and
 * the health and metrics endpoints.
 */
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "html.h"
#include "http.h"
#include "org.h"
#include "registry.h"
#include "routes.h"
#include "session.h"
#include "ui.h"

int
ui_home(struct req *r)
{
	struct html h;
	struct org *v;
	struct err  e;
	struct buf  href;
	int	    n, i;

	if ((n = org_list(r->db, &v, &e)) < 0)
		return req_error(r, 500, NULL, e.msg);
	ui_begin(r, &h, L(r, "Организации", "Organizations"));
	html_elem(&h, "h1", L(r, "Органы власти и их перечни точек "
				 "взаимодействия",
				 "Public bodies and their touchpoint "
				 "registries"), NULL);
	if (n == 0)
		html_elem(&h, "p", L(r, "Организаций пока нет.",
				       "There are no organizations yet."),
		    NULL);
	html_open(&h, "ul", NULL);
	buf_init(&href, 4096);
	for (i = 0; i < n; i++) {
		html_open(&h, "li", NULL);
		buf_reset(&href);
		buf_putc(&href, '/');
		html_url_arg(&href, v[i].slug);
		buf_puts(&href, r->session != NULL ? "/" : "/registry");
		html_elem(&h, "a", v[i].name, "href", buf_str(&href), NULL);
		html_close(&h);
		org_clear(&v[i]);
	}
	buf_free(&href);
	free(v);
	html_close(&h);
	ui_end(r, &h);
	return 0;
}

int
ui_public_registry(struct req *r)
{
	struct registry reg;
	struct html	h;
	struct err	e;
	int64_t		version, at;
	char		day[11], line[128], *path;

	if (registry_published(r->db, r->org->id, &version, &at, &e) != 0)
		return req_error(r, 500, NULL, e.msg);
	if (version == 0)
		return req_error(r, 404, NULL,
		    L(r, "Перечень этой организации ещё не опубликован.",
			"This organization has not published its registry "
			"yet."));
	if (registry_load(r->db, r->org->id, version, &reg, &e) != 0)
		return req_error(r, 500, NULL, e.msg);
	registry_sort(&reg);
	ui_begin(r, &h, L(r, "Перечень точек взаимодействия",
			    "Registry of touchpoints"));
	html_elem(&h, "h1", "Перечень точек взаимодействия с клиентом", "id",
	    "registry-title", "lang", "ru", NULL);
	html_elem(&h, "p", r->org->name, "class", "org", NULL);
	date_format_ru(date_local(at, r->org->tz), day);
	snprintf(line, sizeof(line), "%s %lld, %s %s",
	    L(r, "Версия", "Version"), (long long)version,
	    L(r, "опубликована", "published"), day);
	html_elem(&h, "p", line, NULL);
	html_open(&h, "div", "class", "table-wrap", NULL);
	registry_html_table(&h, &reg, "registry-title");
	html_close(&h);
	/* The yearly public report (R-AN-6, ui-report-public.c). */
	path = ui_opath(r, "/report");
	html_open(&h, "p", "class", "noprint", NULL);
	html_elem(&h, "a", L(r, "Публичные отчёты о работе с обращениями",
	    "Public reports on the handling of appeals"), "href", path, NULL);
	html_close(&h);
	free(path);
	ui_fb_quick(r, &h);	/* R-PUB-3, ui-feedback-public.c */
	ui_end(r, &h);
	registry_free(&reg);
	return 0;
}

int
ui_static_css(struct req *r)
{
	const struct embedded_file *f = embedded_find("static/otklik.css");

	if (f == NULL)
		return req_error(r, 404, NULL, "no style sheet");
	buf_add(&r->out, f->data, f->len);
	r->ctype = "text/css; charset=utf-8";
	req_header(r, "Cache-Control", "public, max-age=3600");
	return 0;
}

/* /lang?to=en&back=/path: remembers the language, goes back. */
int
ui_lang(struct req *r)
{
	const char *to = req_param(r, "to"), *back = req_param(r, "back");

	req_header(r, "Set-Cookie", strcmp(to, "en") == 0
	    ? "lang=en; Path=/; Max-Age=31536000; SameSite=Lax"
	    : "lang=ru; Path=/; Max-Age=31536000; SameSite=Lax");
	if (back == NULL || back[0] != '/' || back[1] == '/' ||
	    strchr(back, '\\') != NULL)
		back = "/";
	return req_redirect(r, back);
}

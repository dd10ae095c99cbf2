/*
 * The frame of every page: head, skip link, header with the signed-in
 * person and the language switch, <main>, footer; error pages that say
 * which field is wrong and why but never repeat what was sent (OpenBSD
 * httpd); the style sheet.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "html.h"
#include "http.h"
#include "org.h"
#include "session.h"
#include "ui.h"

const char *
L(const struct req *r, const char *ru, const char *en)
{
	return r != NULL && r->lang != NULL && strcmp(r->lang, "en") == 0
	    ? en
	    : ru;
}

void
ui_csrf(struct req *r, struct html *h)
{
	if (r->session == NULL)
		return;
	html_void(h, "input", "type", "hidden", "name", "csrf", "value",
	    r->session->csrf, NULL);
}

void
ui_begin(struct req *r, struct html *h, const char *title)
{
	struct buf sw;
	int	   d;

	html_init(h, &r->out);
	buf_reset(&r->out);
	r->ctype = "text/html; charset=utf-8";
	html_raw(h, "<!DOCTYPE html>\n");
	html_open(h, "html", "lang", L(r, "ru", "en"), NULL);
	html_open(h, "head", NULL);
	html_void(h, "meta", "charset", "utf-8", NULL);
	html_void(h, "meta", "name", "viewport", "content",
	    "width=device-width, initial-scale=1", NULL);
	d = html_open(h, "title", NULL);
	html_text(h, title);
	html_text(h, " — Otklik");
	html_close_to(h, d);
	html_void(h, "link", "rel", "stylesheet", "href", "/static/otklik.css",
	    NULL);
	html_close(h);	/* head */
	html_raw(h, "\n");
	html_open(h, "body", NULL);
	html_elem(h, "a", L(r, "Перейти к содержанию", "Skip to content"),
	    "class", "skip", "href", "#main", NULL);

	d = html_open(h, "header", "class", "site", NULL);
	html_elem(h, "a", L(r, "Отклик — клиентоцентричность",
			      "Otklik — client-centricity"),
	    "class", "brand", "href", "/", NULL);
	html_open(h, "nav", "aria-label", L(r, "Меню", "Menu"), NULL);
	html_open(h, "ul", NULL);
	if (r->session != NULL) {
		html_open(h, "li", NULL);
		html_text(h, r->session->name);
		html_close(h);
		html_open(h, "li", NULL);
		html_open(h, "form", "method", "post", "action", "/logout",
		    NULL);
		ui_csrf(r, h);
		html_elem(h, "button", L(r, "Выйти", "Sign out"), "type",
		    "submit", "class", "linklike", NULL);
		html_close(h);	/* form */
		html_close(h);	/* li */
	} else {
		html_open(h, "li", NULL);
		html_elem(h, "a", L(r, "Вход для сотрудников", "Staff sign-in"),
		    "href", "/login", NULL);
		html_close(h);
	}
	/* The language switch: a link that sets a cookie and comes back. */
	buf_init(&sw, 4096);
	buf_puts(&sw, "/lang?to=");
	buf_puts(&sw, L(r, "en", "ru"));
	buf_puts(&sw, "&back=");
	html_url_arg(&sw, r->path != NULL ? r->path : "/");
	html_open(h, "li", NULL);
	html_elem(h, "a", L(r, "English", "Русский"), "href", buf_str(&sw),
	    "lang", L(r, "en", "ru"), "hreflang", L(r, "en", "ru"), NULL);
	html_close(h);
	buf_free(&sw);
	html_close_to(h, d);
	html_raw(h, "\n");
	html_open(h, "main", "id", "main", "tabindex", "-1", NULL);
}

void
ui_end(struct req *r, struct html *h)
{
	html_close(h);	/* main */
	html_raw(h, "\n");
	html_open(h, "footer", NULL);
	html_text(h, L(r, "Отклик: перечень точек взаимодействия, обратная "
			  "связь и клиентоцентричность органов власти.",
			  "Otklik: touchpoints, feedback and client-centricity "
			  "of public bodies."));
	html_close(h);
	html_raw(h, "\n");
	html_close_to(h, 0);
	html_raw(h, "\n");
	if (h->failed) {
		buf_reset(&r->out);
		buf_puts(&r->out, "the page is too large");
		r->status = 500;
		r->ctype = "text/plain; charset=utf-8";
	}
}

static const char *
status_title(const struct req *r, int status)
{
	switch (status) {
	case 400:
		return L(r, "Неверный запрос", "Bad request");
	case 401:
	case 403:
		return L(r, "Нет доступа", "Forbidden");
	case 404:
		return L(r, "Страница не найдена", "Not found");
	case 405:
		return L(r, "Метод не поддерживается", "Method not allowed");
	case 413:
		return L(r, "Слишком большой запрос", "Request too large");
	case 429:
		return L(r, "Слишком много попыток", "Too many attempts");
	default:
		return L(r, "Ошибка сервера", "Server error");
	}
}

void
ui_error_page(struct req *r, int status, const char *field,
    const char *reason)
{
	struct html h;

	ui_begin(r, &h, status_title(r, status));
	html_elem(&h, "h1", status_title(r, status), NULL);
	html_open(&h, "p", "class", "alert", "role", "alert", NULL);
	if (field != NULL) {
		html_text(&h, L(r, "Поле «", "Field “"));
		html_text(&h, field);
		html_text(&h, L(r, "»: ", "”: "));
	}
	html_text(&h, reason);
	html_close(&h);
	html_open(&h, "p", NULL);
	html_elem(&h, "a", L(r, "На главную", "Home"), "href", "/", NULL);
	html_close(&h);
	ui_end(r, &h);
	r->status = status;
}

char *
ui_opath(const struct req *r, const char *fmt, ...)
{
	struct buf b;
	va_list	   ap;

	buf_init(&b, 8192);
	buf_putc(&b, '/');
	buf_puts(&b, r->org->slug);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return buf_detach(&b);
}

int
ui_redirect(struct req *r, char *path)
{
	req_redirect(r, path);
	free(path);
	return 0;
}

int
ui_fail(struct req *r, const struct err *e)
{
	int status;

	switch (e->code) {
	case EXIT_NOINPUT:
		status = 404;
		break;
	case EXIT_USAGE:
	case EXIT_DATAERR:
		status = 409;
		break;
	default:
		status = 500;
		break;
	}
	return req_error(r, status, NULL, e->msg[0] != '\0' ? e->msg
	    : L(r, "Внутренняя ошибка.", "Internal error."));
}

void
ui_when(const struct req *r, int64_t t, char out[32])
{
	if (t == 0)
		snprintf(out, 32, "—");
	else
		time_format_local(t, r->org->tz, 1, out);
}

char *
ui_file_name(const char *name, const char *fallback)
{
	char  *s;
	size_t n;

	if (name == NULL || *name == '\0' ||
	    utf8_invalid_at(name, strlen(name)) >= 0)
		return xstrdup(fallback);
	s = str_squeeze(name);
	/* Cut at 255 bytes, back to the start of a character. */
	if ((n = strlen(s)) > 255) {
		n = 255;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		s[n] = '\0';
	}
	if (*s == '\0') {
		free(s);
		return xstrdup(fallback);
	}
	return s;
}

const char *
ui_plural_ru(long n, const char *one, const char *few, const char *many)
{
	long m = n < 0 ? -n : n;

	if (m % 100 >= 11 && m % 100 <= 14)
		return many;
	if (m % 10 == 1)
		return one;
	if (m % 10 >= 2 && m % 10 <= 4)
		return few;
	return many;
}

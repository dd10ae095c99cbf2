/*
 * Signing in and out (R-ORG-4): the staff sign-in form, the POST that
 * checks it through session_login() and sets the session cookie, and the
 * two sign-out forms (this browser; every browser of the account).  The
 * cookie is HttpOnly, SameSite=Lax, Path=/, and Secure under the name
 * "__Host-otklik" when the site is served over TLS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "otklik.h"
#include "html.h"
#include "http.h"
#include "routes.h"
#include "session.h"
#include "ui.h"

/*
 * Where to go after signing in: a path of this site only.  "//host" and
 * "/\host" are other sites to a browser; control characters would split
 * the Location header.
 */
static int
next_ok(const char *next)
{
	const char *p;

	if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return 0;
	for (p = next; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return 0;
	return 1;
}

/* The form, with a message and the fields to mark when it comes back. */
static int
login_page(struct req *r, int status, const char *message, int bad_login,
    int bad_password)
{
	struct html h;
	const char *next = req_param(r, "next"), *login = NULL;
	int	    d;

	if (strcmp(r->method, "POST") == 0)
		login = req_param(r, "login");
	ui_begin(r, &h, L(r, "Вход для сотрудников", "Staff sign-in"));
	html_elem(&h, "h1", L(r, "Вход для сотрудников", "Staff sign-in"),
	    NULL);
	if (r->session != NULL) {
		html_open(&h, "p", "class", "notice", NULL);
		html_text(&h, L(r, "Вы уже вошли: ", "You are signed in as "));
		html_text(&h, r->session->name);
		html_text(&h, L(r, ". Войдите снова, чтобы сменить "
				   "учётную запись.",
				   ". Sign in again to change accounts."));
		html_close(&h);
	}
	if (message != NULL)
		html_elem(&h, "p", message, "class", "alert", "role", "alert",
		    "id", "login-error", NULL);

	d = html_open(&h, "form", "method", "post", "action", "/login",
	    "class", "stack", NULL);
	ui_csrf(r, &h);
	if (next_ok(next))
		html_void(&h, "input", "type", "hidden", "name", "next",
		    "value", next, NULL);
	html_elem(&h, "label", L(r, "Логин", "Login"), "for", "login", NULL);
	html_void(&h, "input", "type", "text", "id", "login", "name", "login",
	    "value", login, "autocomplete", "username", "autocapitalize",
	    "none", "spellcheck", "false", "required", "",
	    "aria-invalid", bad_login ? "true" : NULL,
	    "aria-describedby", bad_login ? "login-error" : NULL,
	    "autofocus", r->session == NULL && message == NULL ? "" : NULL,
	    NULL);
	html_elem(&h, "label", L(r, "Пароль", "Password"), "for", "password",
	    NULL);
	html_void(&h, "input", "type", "password", "id", "password", "name",
	    "password", "autocomplete", "current-password", "required", "",
	    "aria-invalid", bad_password ? "true" : NULL,
	    "aria-describedby", bad_password ? "login-error" : NULL, NULL);
	html_open(&h, "p", NULL);
	html_elem(&h, "button", L(r, "Войти", "Sign in"), "type", "submit",
	    NULL);
	html_close_to(&h, d);

	if (r->session != NULL) {
		html_elem(&h, "h2", L(r, "Выход", "Signing out"), NULL);
		d = html_open(&h, "form", "method", "post", "action",
		    "/logout-all", NULL);
		ui_csrf(r, &h);
		html_elem(&h, "p", L(r, "Завершить все сеансы этой учётной "
					"записи — на этом и на других "
					"устройствах.",
					"End every session of this account, "
					"on this device and on others."),
		    "class", "hint", "id", "logout-all-hint", NULL);
		html_elem(&h, "button", L(r, "Выйти на всех устройствах",
					    "Sign out everywhere"),
		    "type", "submit", "class", "secondary", "aria-describedby",
		    "logout-all-hint", NULL);
		html_close_to(&h, d);
	}
	ui_end(r, &h);
	if (r->status != 500)
		r->status = status;
	return 0;
}

int
ui_login_form(struct req *r)
{
	return login_page(r, 200, NULL, 0, 0);
}

static void
set_cookie(struct req *r, const char *value, int clear)
{
	char c[256];

	snprintf(c, sizeof(c), "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s",
	    session_cookie_name(r->secure), value,
	    clear ? "; Max-Age=0" : "", r->secure ? "; Secure" : "");
	req_header(r, "Set-Cookie", c);
	sodium_memzero(c, sizeof(c));
}

int
ui_login(struct req *r)
{
	const char     *login = req_param(r, "login");
	const char     *pw = req_param(r, "password");
	const char     *next = req_param(r, "next");
	struct session *s = NULL;
	struct err	e;
	char	       *cookie = NULL, msg[300], retry[16];
	int		mins = 15;

	if (str_empty(login) || pw == NULL || *pw == '\0')
		return login_page(r, 400,
		    L(r, "Введите логин и пароль.",
			"Enter your login and password."),
		    str_empty(login), pw == NULL || *pw == '\0');
	err_clear(&e);
	if (session_login(r->db, login, pw, r->remote, &cookie, &s, &e) != 0) {
		switch (e.code) {
		case SESSION_DENIED:
			return login_page(r, 403,
			    L(r, "Неверный логин или пароль.",
				"Wrong login or password."), 1, 1);
		case SESSION_THROTTLED:
			sscanf(e.msg, "too many failed sign-in attempts; try "
			    "again in %d", &mins);
			snprintf(retry, sizeof(retry), "%d", mins * 60);
			req_header(r, "Retry-After", retry);
			snprintf(msg, sizeof(msg), "%s%d%s",
			    L(r, "Слишком много неудачных попыток входа. "
				 "Повторите попытку через ",
				"Too many failed sign-in attempts. Try again "
				"in "), mins, L(r, " мин.", " min."));
			return login_page(r, 429, msg, 0, 0);
		default:
			return req_error(r, 500, NULL,
			    L(r, "Вход сейчас невозможен: ошибка базы данных.",
				"Signing in is not possible now: a database "
				"error."));
		}
	}
	/* The session this browser had ends: a sign-in always starts a new
	 * one, with a new id. */
	if (r->session != NULL)
		session_logout(r->db, r->session);
	set_cookie(r, cookie, 0);
	sodium_memzero(cookie, strlen(cookie));
	free(cookie);
	session_free(s);
	return req_redirect(r, next_ok(next) ? next : "/");
}

int
ui_logout(struct req *r)
{
	if (session_logout(r->db, r->session) != 0)
		return req_error(r, 500, NULL,
		    L(r, "Выйти не удалось: ошибка базы данных.",
			"Signing out failed: a database error."));
	set_cookie(r, "", 1);
	return req_redirect(r, "/");
}

int
ui_logout_all(struct req *r)
{
	if (session_logout_all(r->db, r->session->staff_id) != 0)
		return req_error(r, 500, NULL,
		    L(r, "Выйти не удалось: ошибка базы данных.",
			"Signing out failed: a database error."));
	set_cookie(r, "", 1);
	return req_redirect(r, "/login");
}

/*
 * Administration pages (R-ORG-1…4): the organizations of the installation,
 * and for one organization its units, its people with their roles and
 * passwords, and its audit log, filterable and paginated.  Every change is
 * a POST form carrying the session's CSRF token and answered by a 303
 * redirect (post/redirect/get); a form with mistakes comes back with each
 * message next to its field.  Changes go through the domain functions of
 * org.c and session.c, which write the audit log.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "otklik.h"
#include "audit.h"
#include "db.h"
#include "feedback.h"
#include "html.h"
#include "http.h"
#include "org.h"
#include "routes.h"
#include "session.h"
#include "ui.h"

#define AUDIT_PAGE	  50
#define AUDIT_MAX_PAGE	  1000000
#define LOGIN_MAX	  64
#define NAME_MAX_CHARS	  500
#define UNIT_MAX_CHARS	  300
#define URL_MAX		  500

/* The zones of Russia, offered as suggestions (any tz zone is accepted). */
static const char *const ru_zones[] = {
	"Europe/Kaliningrad", "Europe/Moscow", "Europe/Kirov",
	"Europe/Volgograd", "Europe/Astrakhan", "Europe/Saratov",
	"Europe/Ulyanovsk", "Europe/Samara", "Asia/Yekaterinburg",
	"Asia/Omsk", "Asia/Novosibirsk", "Asia/Barnaul", "Asia/Tomsk",
	"Asia/Novokuznetsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Chita",
	"Asia/Yakutsk", "Asia/Khandyga", "Asia/Vladivostok", "Asia/Ust-Nera",
	"Asia/Magadan", "Asia/Sakhalin", "Asia/Srednekolymsk",
	"Asia/Kamchatka", "Asia/Anadyr",
};

/* Roles of R-ORG-2 as people read them. */
static const struct {
	const char *code, *ru, *en;
} role_names[] = {
	{"officer", "уполномоченное лицо (перечень)", "registry officer"},
	{"editor", "редактор подразделения", "unit editor"},
	{"operator", "оператор обратной связи", "feedback operator"},
	{"analyst", "аналитик", "analyst"},
	{"group", "член рабочей группы", "working group member"},
	{"admin", "администратор", "administrator"},
};

/* Actions of the audit log as people read them; others show their code. */
static const struct {
	const char *code, *ru, *en;
} action_names[] = {
	{"org.add", "Добавлена организация", "Organization added"},
	{"unit.add", "Добавлено подразделение", "Unit added"},
	{"staff.add", "Добавлен сотрудник", "Person added"},
	{"staff.grant", "Выдана роль", "Role granted"},
	{"staff.revoke", "Снята роль", "Role revoked"},
	{"staff.passwd", "Установлен пароль", "Password set"},
};

/* Messages shown after a redirect (?done=…); the request is never echoed. */
static const struct {
	const char *code, *ru, *en;
} done_names[] = {
	{"org", "Организация добавлена. Вы — её администратор.",
	    "The organization is added. You are its administrator."},
	{"unit", "Подразделение добавлено.", "The unit is added."},
	{"person", "Сотрудник добавлен.", "The person is added."},
	{"grant", "Роль выдана.", "The role is granted."},
	{"revoke", "Роль снята.", "The role is revoked."},
	{"password", "Пароль установлен; все сеансы этого сотрудника "
		     "завершены.",
	    "The password is set; all of that person's sessions are ended."},
};

/*
 * The mistakes found in one submitted form: which form of the page
 * (scope, and the person for a per-person form), and a message per
 * field, already in the request's language.
 */
#define FORM_MAX_ERRORS 12
struct form {
	const char *scope;
	int64_t	    row;
	int	    n;
	const char *field[FORM_MAX_ERRORS];
	const char *msg[FORM_MAX_ERRORS];
};

static void
form_error(struct form *f, const char *field, const char *msg)
{
	if (f->n < FORM_MAX_ERRORS) {
		f->field[f->n] = field;
		f->msg[f->n] = msg;
		f->n++;
	}
}

/* The error of a field of the form in scope (and row), or NULL. */
static const char *
form_msg(const struct form *f, const char *scope, int64_t row,
    const char *field)
{
	int i;

	if (f == NULL || strcmp(f->scope, scope) != 0 || f->row != row)
		return NULL;
	for (i = 0; i < f->n; i++)
		if (strcmp(f->field[i], field) == 0)
			return f->msg[i];
	return NULL;
}

/* What was typed into a field of the form that failed, to show again. */
static const char *
form_value(const struct req *r, const struct form *f, const char *scope,
    int64_t row, const char *field)
{
	if (f == NULL || strcmp(f->scope, scope) != 0 || f->row != row)
		return NULL;
	return req_param(r, field);
}

static const char *
role_label(const struct req *r, const char *code)
{
	size_t i;

	for (i = 0; i < nitems(role_names); i++)
		if (strcmp(role_names[i].code, code) == 0)
			return L(r, role_names[i].ru, role_names[i].en);
	return code;
}

/* Counts characters (not bytes) of UTF-8 text. */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* A path with the organization's slug: "/" slug suffix. */
static char *
org_path(const struct org *o, const char *suffix)
{
	struct buf b;

	buf_init(&b, 4096);
	buf_putc(&b, '/');
	html_url_arg(&b, o->slug);
	buf_puts(&b, suffix);
	return buf_detach(&b);
}

static int
redirect_org(struct req *r, const char *suffix)
{
	char *p = org_path(r->org, suffix);

	req_redirect(r, p);
	free(p);
	return 0;
}

/* Form fields. */

struct field {
	const char *id;		/* element id; "-hint"/"-error" are added */
	const char *name;
	const char *type;	/* text, password, url, date */
	const char *label;
	const char *hint;	/* NULL: none */
	const char *value;	/* NULL: empty */
	const char *error;	/* NULL: none */
	const char *list;	/* the id of a datalist, or NULL */
	const char *autocomplete;
	int	    required;
};

/* The label, hint and error ids a field's aria-describedby names. */
static void
field_ids(const char *id, const char *hint, const char *error,
    char hint_id[96], char err_id[96], char described[200])
{
	snprintf(hint_id, 96, "%s-hint", id);
	snprintf(err_id, 96, "%s-error", id);
	snprintf(described, 200, "%s%s%s", hint != NULL ? hint_id : "",
	    hint != NULL && error != NULL ? " " : "",
	    error != NULL ? err_id : "");
}

static void
field_head(struct req *r, struct html *h, const char *id, const char *label,
    const char *hint, const char *error, int required)
{
	char hint_id[96], err_id[96], described[200];
	int  d;

	field_ids(id, hint, error, hint_id, err_id, described);
	html_elem(h, "label", label, "for", id, "class",
	    required ? "required" : NULL, NULL);
	if (hint != NULL)
		html_elem(h, "p", hint, "class", "hint", "id", hint_id, NULL);
	if (error != NULL) {
		d = html_open(h, "p", "class", "error", "id", err_id, NULL);
		html_elem(h, "span", L(r, "Ошибка: ", "Error: "), "class",
		    "visually-hidden", NULL);
		html_text(h, error);
		html_close_to(h, d);
	}
}

static void
put_field(struct req *r, struct html *h, const struct field *f)
{
	char hint_id[96], err_id[96], described[200];
	int  d;

	field_ids(f->id, f->hint, f->error, hint_id, err_id, described);
	d = html_open(h, "div", "class", "field", NULL);
	field_head(r, h, f->id, f->label, f->hint, f->error, f->required);
	html_void(h, "input", "type", f->type, "id", f->id, "name", f->name,
	    "value", f->value != NULL ? f->value : "",
	    "list", f->list, "autocomplete", f->autocomplete,
	    "required", f->required ? "" : NULL,
	    "aria-invalid", f->error != NULL ? "true" : NULL,
	    "aria-describedby", described[0] != '\0' ? described : NULL, NULL);
	html_close_to(h, d);
}

struct choice {
	const char *value, *label;
};

static void
put_select(struct req *r, struct html *h, const struct field *f,
    const struct choice *opt, int nopt)
{
	char hint_id[96], err_id[96], described[200];
	int  d, i;

	field_ids(f->id, f->hint, f->error, hint_id, err_id, described);
	d = html_open(h, "div", "class", "field", NULL);
	field_head(r, h, f->id, f->label, f->hint, f->error, f->required);
	html_open(h, "select", "id", f->id, "name", f->name,
	    "required", f->required ? "" : NULL,
	    "aria-invalid", f->error != NULL ? "true" : NULL,
	    "aria-describedby", described[0] != '\0' ? described : NULL, NULL);
	for (i = 0; i < nopt; i++)
		html_elem(h, "option", opt[i].label, "value", opt[i].value,
		    "selected", f->value != NULL &&
			strcmp(f->value, opt[i].value) == 0 ? "" : NULL, NULL);
	html_close_to(h, d);
}

/* A summary of the mistakes at the top of a form, each a link to its field. */
static void
put_error_summary(struct req *r, struct html *h, const struct form *f,
    const char *idprefix)
{
	char href[128];
	int  d, i;

	if (f == NULL || f->n == 0)
		return;
	d = html_open(h, "div", "class", "alert", "role", "alert", NULL);
	html_elem(h, "p", L(r, "Данные не сохранены. Исправьте ошибки:",
			      "Nothing was saved. Please correct:"), NULL);
	html_open(h, "ul", NULL);
	for (i = 0; i < f->n; i++) {
		html_open(h, "li", NULL);
		snprintf(href, sizeof(href), "#%s-%s", idprefix, f->field[i]);
		html_elem(h, "a", f->msg[i], "href", href, NULL);
		html_close(h);
	}
	html_close_to(h, d);
}

/* The notice after a redirect: ?done=code. */
static void
put_done(struct req *r, struct html *h)
{
	const char *done = req_param(r, "done");
	size_t	    i;

	if (done == NULL)
		return;
	for (i = 0; i < nitems(done_names); i++)
		if (strcmp(done, done_names[i].code) == 0)
			html_elem(h, "p", L(r, done_names[i].ru,
					      done_names[i].en),
			    "class", "notice", "role", "status", NULL);
}

/* Navigation between the administration pages of an organization. */
static void
put_org_nav(struct req *r, struct html *h, const char *current)
{
	static const struct {
		const char *suffix, *ru, *en;
	} pages[] = {
		{"/admin/units", "Подразделения", "Units"},
		{"/admin/people", "Сотрудники и роли", "People and roles"},
		{"/audit", "Журнал аудита", "Audit log"},
	};
	char  *p;
	size_t i;
	int    d, admin;

	admin = session_has_role(r->db, r->session, r->org->id, "admin");
	html_elem(h, "p", r->org->name, "class", "org", NULL);
	d = html_open(h, "nav", "class", "subnav", "aria-label",
	    L(r, "Администрирование", "Administration"), NULL);
	html_open(h, "ul", NULL);
	if (session_has_role(r->db, r->session, 0, "admin")) {
		html_open(h, "li", NULL);
		html_elem(h, "a", L(r, "Все организации", "All organizations"),
		    "href", "/admin/orgs", NULL);
		html_close(h);
	}
	for (i = 0; i < nitems(pages); i++) {
		if (!admin && strcmp(pages[i].suffix, "/audit") != 0)
			continue;
		p = org_path(r->org, pages[i].suffix);
		html_open(h, "li", NULL);
		html_elem(h, "a", L(r, pages[i].ru, pages[i].en), "href", p,
		    "aria-current", strcmp(current, pages[i].suffix) == 0
			? "page" : NULL, NULL);
		html_close(h);
		free(p);
	}
	html_close_to(h, d);
}

/* A page title, with "Ошибка: " in front when a form came back. */
static void
begin_page(struct req *r, struct html *h, const char *title,
    const struct form *f)
{
	char t[256];

	if (f != NULL && f->n > 0) {
		snprintf(t, sizeof(t), "%s%s", L(r, "Ошибка: ", "Error: "),
		    title);
		ui_begin(r, h, t);
	} else
		ui_begin(r, h, title);
	html_elem(h, "h1", title, NULL);
}

/* The end of a page; a form that came back answers 422. */
static int
end_page(struct req *r, struct html *h, const struct form *f)
{
	ui_end(r, h);
	if (f != NULL && f->n > 0 && r->status == 0)
		r->status = 422;
	return 0;
}

/* Organizations (installation administrators). */

/*
 * An installation administrator holds the admin role in some
 * organization (the first one is made with "otklik user add … --role
 * admin"): see docs/admin-guide.md.
 */
static int
installation_admin(struct req *r)
{
	return r->session != NULL &&
	    session_has_role(r->db, r->session, 0, "admin");
}

static void
put_datalist(struct html *h, const char *id, const char *const *v, size_t n)
{
	size_t i;

	html_open(h, "datalist", "id", id, NULL);
	for (i = 0; i < n; i++)
		html_elem(h, "option", "", "value", v[i], NULL);
	html_close(h);
}

static int
orgs_page(struct req *r, const struct form *f)
{
	struct html h;
	struct org *v;
	struct err  e;
	char	   *p;
	int	    n, i, d;

	if ((n = org_list(r->db, &v, &e)) < 0)
		return req_error(r, 500, NULL, e.msg);
	begin_page(r, &h, L(r, "Организации", "Organizations"), f);
	put_done(r, &h);

	d = html_open(&h, "div", "class", "table-wrap", NULL);
	html_open(&h, "table", NULL);
	html_elem(&h, "caption", L(r, "Организации установки",
				     "Organizations of this installation"),
	    NULL);
	html_open(&h, "thead", NULL);
	html_open(&h, "tr", NULL);
	html_elem(&h, "th", L(r, "Краткое имя (в адресах)", "Slug"), "scope",
	    "col", NULL);
	html_elem(&h, "th", L(r, "Наименование", "Name"), "scope", "col",
	    NULL);
	html_elem(&h, "th", L(r, "Сокращённое наименование", "Short name"),
	    "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Регион", "Region"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Часовой пояс", "Time zone"), "scope", "col",
	    NULL);
	html_elem(&h, "th", L(r, "Сайт", "Site"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Администрирование", "Administration"),
	    "scope", "col", NULL);
	html_close(&h);
	html_close(&h);	/* thead */
	html_open(&h, "tbody", NULL);
	for (i = 0; i < n; i++) {
		html_open(&h, "tr", NULL);
		html_elem(&h, "th", v[i].slug, "scope", "row", NULL);
		html_elem(&h, "td", v[i].name, NULL);
		html_elem(&h, "td", v[i].short_name != NULL ? v[i].short_name
							   : "", NULL);
		html_elem(&h, "td", v[i].region, NULL);
		html_elem(&h, "td", v[i].tz, NULL);
		html_open(&h, "td", NULL);
		if (!str_empty(v[i].site_url))
			html_elem(&h, "a", v[i].site_url, "href",
			    v[i].site_url, "rel", "noopener noreferrer", NULL);
		html_close(&h);
		html_open(&h, "td", NULL);
		if (session_has_role(r->db, r->session, v[i].id, "admin")) {
			p = xasprintf("/%s/admin/people", v[i].slug);
			html_elem(&h, "a", L(r, "Сотрудники", "People"), "href",
			    p, NULL);
			free(p);
			html_text(&h, " · ");
			p = xasprintf("/%s/admin/units", v[i].slug);
			html_elem(&h, "a", L(r, "Подразделения", "Units"),
			    "href", p, NULL);
			free(p);
			html_text(&h, " · ");
			p = xasprintf("/%s/audit", v[i].slug);
			html_elem(&h, "a", L(r, "Журнал", "Audit log"), "href",
			    p, NULL);
			free(p);
		}
		html_close(&h);
		html_close(&h);	/* tr */
		org_clear(&v[i]);
	}
	free(v);
	html_close_to(&h, d);
	if (n == 0)
		html_elem(&h, "p", L(r, "Организаций пока нет.",
				       "There are no organizations yet."),
		    NULL);

	html_elem(&h, "h2", L(r, "Добавить организацию",
				"Add an organization"), "id", "add", NULL);
	d = html_open(&h, "form", "method", "post", "action", "/admin/orgs",
	    "class", "stack", "aria-labelledby", "add", "novalidate", "", NULL);
	ui_csrf(r, &h);
	put_error_summary(r, &h, f, "org");
	html_elem(&h, "p", L(r, "Поля, отмеченные *, обязательны.",
			       "Fields marked * are required."), "class",
	    "hint", NULL);
	put_field(r, &h, &(struct field){"org-slug", "slug", "text",
	    L(r, "Краткое имя для адресов", "Slug for addresses"),
	    L(r, "От 2 до 40 строчных латинских букв, цифр и «-», начиная с "
		 "буквы: например, minzdrav. Не меняется после создания.",
		 "2 to 40 lowercase Latin letters, digits and '-', starting "
		 "with a letter: e.g. minzdrav. Cannot be changed later."),
	    form_value(r, f, "org", 0, "slug"), form_msg(f, "org", 0, "slug"),
	    NULL, "off", 1});
	put_field(r, &h, &(struct field){"org-name", "name", "text",
	    L(r, "Полное наименование", "Full name"), NULL,
	    form_value(r, f, "org", 0, "name"), form_msg(f, "org", 0, "name"),
	    NULL, "organization", 1});
	put_field(r, &h, &(struct field){"org-short_name", "short_name", "text",
	    L(r, "Сокращённое наименование", "Short name"), NULL,
	    form_value(r, f, "org", 0, "short_name"),
	    form_msg(f, "org", 0, "short_name"), NULL, "off", 0});
	put_field(r, &h, &(struct field){"org-region", "region", "text",
	    L(r, "Код региона", "Region code"),
	    L(r, "По ISO 3166-2, например RU-TA или RU-BA; определяет "
		 "региональный производственный календарь. Пусто — "
		 "федеральный.",
		 "ISO 3166-2, e.g. RU-TA or RU-BA; chooses the regional "
		 "working-day calendar. Empty: the federal one."),
	    form_value(r, f, "org", 0, "region"),
	    form_msg(f, "org", 0, "region"), NULL, "off", 0});
	put_field(r, &h, &(struct field){"org-tz", "tz", "text",
	    L(r, "Часовой пояс", "Time zone"),
	    L(r, "Зона базы tz, например Asia/Vladivostok; в ней считаются "
		 "сроки и показывается время.",
		 "A tz database zone, e.g. Asia/Vladivostok; deadlines and "
		 "times are counted in it."),
	    f != NULL ? form_value(r, f, "org", 0, "tz") : "Europe/Moscow",
	    form_msg(f, "org", 0, "tz"), "tz-list", "off", 1});
	put_datalist(&h, "tz-list", ru_zones, nitems(ru_zones));
	put_field(r, &h, &(struct field){"org-site_url", "site_url", "url",
	    L(r, "Официальный сайт", "Official site"),
	    L(r, "Адрес, начинающийся с https:// или http://.",
		 "An address starting with https:// or http://."),
	    form_value(r, f, "org", 0, "site_url"),
	    form_msg(f, "org", 0, "site_url"), NULL, "url", 0});
	html_elem(&h, "button", L(r, "Добавить организацию",
				    "Add the organization"), "type", "submit",
	    NULL);
	html_close_to(&h, d);
	return end_page(r, &h, f);
}

int
ui_admin_orgs(struct req *r)
{
	if (!installation_admin(r))
		return req_error(r, 403, NULL,
		    L(r, "Список организаций доступен администраторам.",
			"Only administrators may see this page."));
	return orgs_page(r, NULL);
}

static int
url_ok(const char *s)
{
	const char *p;

	if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
		return 0;
	if (strlen(s) > URL_MAX || strlen(s) <= 8)
		return 0;
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == '"' || *p == '<' ||
		    *p == '>' || *p == '\\' || *p == 0x7f)
			return 0;
	return 1;
}

int
ui_admin_org_add(struct req *r)
{
	struct form f = {.scope = "org"};
	struct org  o = {0}, *old;
	struct err  e;
	const char *slug = req_param(r, "slug"), *tz = req_param(r, "tz");
	const char *region = req_param(r, "region");
	const char *site = req_param(r, "site_url");
	char	   *name = NULL, *short_name = NULL;
	int64_t	    id;
	int	    rc = 0;

	if (!installation_admin(r))
		return req_error(r, 403, NULL,
		    L(r, "Добавлять организации могут администраторы.",
			"Only administrators may add organizations."));
	err_clear(&e);
	if (str_empty(slug))
		form_error(&f, "slug", L(r, "Укажите краткое имя для адресов.",
					   "Enter a slug."));
	else if (!org_slug_valid(slug))
		form_error(&f, "slug", L(r, "Краткое имя: от 2 до 40 строчных "
					     "латинских букв, цифр и «-», "
					     "начиная с буквы.",
					     "Slug: 2 to 40 lowercase Latin "
					     "letters, digits and '-', "
					     "starting with a letter."));
	else {
		if (org_slug_reserved(slug))
			form_error(&f, "slug", L(r, "Это имя занято адресами "
			    "самого сайта; выберите другое.",
			    "The site uses this name itself; choose "
			    "another."));
		else if ((old = org_find(r->db, slug, &e)) != NULL) {
			org_free(old);
			form_error(&f, "slug", L(r, "Организация с таким "
						     "кратким именем уже есть.",
						     "An organization with "
						     "this slug exists "
						     "already."));
		}
	}
	name = str_squeeze(req_param(r, "name") ? req_param(r, "name") : "");
	if (*name == '\0')
		form_error(&f, "name", L(r, "Укажите полное наименование.",
					   "Enter the full name."));
	else if (utf8_chars(name) > NAME_MAX_CHARS)
		form_error(&f, "name", L(r, "Наименование длиннее 500 знаков.",
					   "The name is longer than 500 "
					   "characters."));
	short_name = str_squeeze(req_param(r, "short_name")
		? req_param(r, "short_name") : "");
	if (utf8_chars(short_name) > NAME_MAX_CHARS)
		form_error(&f, "short_name", L(r, "Сокращённое наименование "
						  "длиннее 500 знаков.",
						  "The short name is longer "
						  "than 500 characters."));
	o.region = org_region_normalize(str_empty(region) ? "ru" : region);
	if (o.region == NULL)
		form_error(&f, "region", L(r, "Код региона — как RU-TA: «RU-» "
					      "и две-три латинские буквы.",
					      "A region code looks like RU-TA: "
					      "'RU-' and two or three Latin "
					      "letters."));
	if (str_empty(tz))
		form_error(&f, "tz", L(r, "Укажите часовой пояс, например "
					  "Europe/Moscow.",
					  "Enter a time zone, e.g. "
					  "Europe/Moscow."));
	else if (!tz_valid(tz))
		form_error(&f, "tz", L(r, "Такой зоны нет в базе tz; выберите "
					  "из списка, например "
					  "Asia/Yekaterinburg.",
					  "There is no such tz database zone; "
					  "pick one from the list, e.g. "
					  "Asia/Yekaterinburg."));
	if (!str_empty(site) && !url_ok(site))
		form_error(&f, "site_url", L(r, "Адрес сайта начинается с "
						"https:// или http:// и не "
						"содержит пробелов.",
						"The site's address starts "
						"with https:// or http:// and "
						"has no spaces."));
	if (f.n > 0) {
		rc = orgs_page(r, &f);
		goto out;
	}
	o.slug = (char *)slug;
	o.name = name;
	o.short_name = *short_name != '\0' ? short_name : NULL;
	o.tz = (char *)tz;
	o.site_url = !str_empty(site) ? (char *)site : NULL;
	if (org_add(r->db, r->session->login, &o, &id, &e) != 0) {
		rc = req_error(r, 500, NULL, e.msg);
		goto out;
	}
	/* Whoever adds an organization administers it, until handing on. */
	err_clear(&e);
	if (db_begin(r->db) != 0 ||
	    staff_grant(r->db, r->session->login, r->session->login, id,
		"admin", 0, &e) != 0 ||
	    db_commit(r->db) != 0) {
		db_rollback(r->db);
		rc = req_error(r, 500, NULL, e.code ? e.msg
						    : db_errmsg(r->db));
		goto out;
	}
	req_redirect(r, "/admin/orgs?done=org");
out:
	free(name);
	free(short_name);
	free(o.region);
	return rc;
}

/* Units of an organization. */

struct unit_row {
	int64_t id;
	char   *name;
	int64_t people;
};

static int
units_load(struct db *db, int64_t org_id, struct unit_row **list,
    struct err *e)
{
	struct db_stmt	*s;
	struct unit_row *v = NULL;
	int		 n = 0, st;

	s = db_prepare(db,
	    "SELECT u.id, u.name, COUNT(DISTINCT sr.staff_id) FROM unit u "
	    "LEFT JOIN staff_role sr ON sr.unit_id = u.id "
	    "WHERE u.org_id = ? GROUP BY u.id, u.name ORDER BY u.name",
	    "i", org_id);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	while ((st = db_step(s)) == DB_ROW) {
		v = xreallocarray(v, (size_t)n + 1, sizeof(*v));
		v[n].id = db_col_int(s, 0);
		v[n].name = db_col_dup(s, 1);
		v[n].people = db_col_int(s, 2);
		n++;
	}
	db_finalize(s);
	if (st == DB_FAIL) {
		while (n > 0)
			free(v[--n].name);
		free(v);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	*list = v;
	return n;
}

static void
units_free(struct unit_row *v, int n)
{
	while (n > 0)
		free(v[--n].name);
	free(v);
}

static int
units_page(struct req *r, const struct form *f)
{
	struct unit_row *v;
	struct html	 h;
	struct err	 e;
	char		*action, num[24];
	int		 n, i, d;

	if ((n = units_load(r->db, r->org->id, &v, &e)) < 0)
		return req_error(r, 500, NULL, e.msg);
	begin_page(r, &h, L(r, "Подразделения", "Units"), f);
	put_org_nav(r, &h, "/admin/units");
	put_done(r, &h);
	if (n == 0)
		html_elem(&h, "p", L(r, "Подразделений пока нет.",
				       "There are no units yet."), NULL);
	else {
		d = html_open(&h, "div", "class", "table-wrap", NULL);
		html_open(&h, "table", NULL);
		html_elem(&h, "caption", L(r, "Структурные подразделения",
					     "Structural units"), NULL);
		html_open(&h, "thead", NULL);
		html_open(&h, "tr", NULL);
		html_elem(&h, "th", L(r, "Наименование", "Name"), "scope",
		    "col", NULL);
		html_elem(&h, "th", L(r, "Сотрудников с ролью в нём",
					"People with a role in it"), "scope",
		    "col", NULL);
		html_close(&h);
		html_close(&h);
		html_open(&h, "tbody", NULL);
		for (i = 0; i < n; i++) {
			html_open(&h, "tr", NULL);
			html_elem(&h, "th", v[i].name, "scope", "row", NULL);
			snprintf(num, sizeof(num), "%lld",
			    (long long)v[i].people);
			html_elem(&h, "td", num, "class", "n", NULL);
			html_close(&h);
		}
		html_close_to(&h, d);
	}
	units_free(v, n);

	html_elem(&h, "h2", L(r, "Добавить подразделение", "Add a unit"), "id",
	    "add", NULL);
	action = org_path(r->org, "/admin/units");
	d = html_open(&h, "form", "method", "post", "action", action, "class",
	    "stack", "aria-labelledby", "add", "novalidate", "", NULL);
	free(action);
	ui_csrf(r, &h);
	put_error_summary(r, &h, f, "unit");
	put_field(r, &h, &(struct field){"unit-name", "name", "text",
	    L(r, "Наименование подразделения", "Name of the unit"),
	    L(r, "Например: Отдел кадровой и организационной работы.",
		 "For example: Human resources department."),
	    form_value(r, f, "unit", 0, "name"), form_msg(f, "unit", 0, "name"),
	    NULL, "off", 1});
	html_elem(&h, "button", L(r, "Добавить подразделение", "Add the unit"),
	    "type", "submit", NULL);
	html_close_to(&h, d);
	return end_page(r, &h, f);
}

int
ui_admin_units(struct req *r)
{
	return units_page(r, NULL);
}

int
ui_admin_unit_add(struct req *r)
{
	struct form f = {.scope = "unit"};
	struct err  e;
	char	   *name;
	int64_t	    id;
	int	    rc = 0;

	err_clear(&e);
	name = str_squeeze(req_param(r, "name") ? req_param(r, "name") : "");
	if (*name == '\0')
		form_error(&f, "name", L(r, "Укажите наименование "
					    "подразделения.",
					    "Enter the unit's name."));
	else if (utf8_chars(name) > UNIT_MAX_CHARS)
		form_error(&f, "name", L(r, "Наименование длиннее 300 знаков.",
					   "The name is longer than 300 "
					   "characters."));
	else if (unit_get(r->db, NULL, r->org->id, name, 0, &id, &e) == 0)
		form_error(&f, "name", L(r, "Такое подразделение уже есть.",
					   "This unit exists already."));
	else if (e.code != EXIT_NOINPUT) {
		rc = req_error(r, 500, NULL, e.msg);
		goto out;
	}
	if (f.n > 0) {
		rc = units_page(r, &f);
		goto out;
	}
	err_clear(&e);
	if (db_begin(r->db) != 0 ||
	    unit_get(r->db, r->session->login, r->org->id, name, 1, &id,
		&e) != 0 ||
	    db_commit(r->db) != 0) {
		db_rollback(r->db);
		rc = req_error(r, 500, NULL, e.code ? e.msg
						    : db_errmsg(r->db));
		goto out;
	}
	rc = redirect_org(r, "/admin/units?done=unit");
out:
	free(name);
	return rc;
}

/* People and roles of an organization. */

static int
role_options(const struct req *r, struct choice *opt)
{
	size_t i;

	opt[0].value = "";
	opt[0].label = L(r, "— выберите роль —", "— choose a role —");
	for (i = 0; i < nitems(role_names); i++) {
		opt[i + 1].value = role_names[i].code;
		opt[i + 1].label = L(r, role_names[i].ru, role_names[i].en);
	}
	return (int)nitems(role_names) + 1;
}

/* Unit options; the values point into ids[], which the caller keeps. */
static int
unit_options(const struct req *r, const struct unit_row *u, int nu,
    struct choice *opt, char (*ids)[24])
{
	int i;

	opt[0].value = "";
	opt[0].label = L(r, "— без подразделения —", "— no unit —");
	for (i = 0; i < nu; i++) {
		snprintf(ids[i], 24, "%lld", (long long)u[i].id);
		opt[i + 1].value = ids[i];
		opt[i + 1].label = u[i].name;
	}
	return nu + 1;
}

/* The role and unit selects of a grant form. */
static void
put_role_unit(struct req *r, struct html *h, const struct form *f,
    const char *scope, int64_t row, const char *prefix,
    const struct unit_row *u, int nu)
{
	struct choice ropt[nitems(role_names) + 1], *uopt;
	char	      (*ids)[24], id_role[64], id_unit[64];
	int	      nr, nuo;

	snprintf(id_role, sizeof(id_role), "%s-role", prefix);
	snprintf(id_unit, sizeof(id_unit), "%s-unit", prefix);
	nr = role_options(r, ropt);
	put_select(r, h, &(struct field){id_role, "role", NULL,
	    L(r, "Роль", "Role"), NULL, form_value(r, f, scope, row, "role"),
	    form_msg(f, scope, row, "role"), NULL, NULL, 1}, ropt, nr);
	uopt = xreallocarray(NULL, (size_t)nu + 1, sizeof(*uopt));
	ids = xreallocarray(NULL, (size_t)nu + 1, sizeof(*ids));
	nuo = unit_options(r, u, nu, uopt, ids);
	put_select(r, h, &(struct field){id_unit, "unit", NULL,
	    L(r, "Подразделение", "Unit"),
	    L(r, "Обязательно для редактора подразделения.",
		 "Required for a unit editor."),
	    form_value(r, f, scope, row, "unit"),
	    form_msg(f, scope, row, "unit"), NULL, NULL, 0},
	    uopt, nuo);
	free(uopt);
	free(ids);
}

static void
put_password_pair(struct req *r, struct html *h, const struct form *f,
    const char *scope, int64_t row, const char *prefix)
{
	char id1[64], id2[64];

	snprintf(id1, sizeof(id1), "%s-password", prefix);
	snprintf(id2, sizeof(id2), "%s-password2", prefix);
	put_field(r, h, &(struct field){id1, "password", "password",
	    L(r, "Пароль", "Password"),
	    L(r, "Не короче 10 знаков. Сообщите его сотруднику лично.",
		 "At least 10 characters. Tell it to the person yourself."),
	    NULL, form_msg(f, scope, row, "password"), NULL, "new-password",
	    1});
	put_field(r, h, &(struct field){id2, "password2", "password",
	    L(r, "Пароль ещё раз", "Password again"), NULL, NULL,
	    form_msg(f, scope, row, "password2"), NULL, "new-password", 1});
}

/*
 * Whose password the signed-in person may set: only an account whose
 * roles all lie in organizations they administer.  Else an administrator
 * of one body could take over an account that also has rights in another.
 */
struct pw_scope {
	struct staff_info *all;		/* every account, with all its roles */
	int		   nall;
	char		 **slugs;	/* the organizations administered */
	int		   nslugs;
};

static void
pw_scope_free(struct pw_scope *ps)
{
	staff_list_free(ps->all, ps->nall);
	while (ps->nslugs > 0)
		free(ps->slugs[--ps->nslugs]);
	free(ps->slugs);
	memset(ps, 0, sizeof(*ps));
}

static int
pw_scope_load(struct req *r, struct pw_scope *ps, struct err *e)
{
	struct org *o;
	int	    n, i;

	memset(ps, 0, sizeof(*ps));
	if ((n = org_list(r->db, &o, e)) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (session_has_role(r->db, r->session, o[i].id, "admin")) {
			ps->slugs = xreallocarray(ps->slugs,
			    (size_t)ps->nslugs + 1, sizeof(*ps->slugs));
			ps->slugs[ps->nslugs++] = xstrdup(o[i].slug);
		}
		org_clear(&o[i]);
	}
	free(o);
	if ((ps->nall = staff_list(r->db, 0, &ps->all, e)) < 0) {
		ps->nall = 0;
		pw_scope_free(ps);
		return -1;
	}
	return 0;
}

static int
pw_scope_allows(const struct pw_scope *ps, int64_t staff_id)
{
	int i, k, j;

	for (i = 0; i < ps->nall; i++) {
		if (ps->all[i].id != staff_id)
			continue;
		for (k = 0; k < ps->all[i].nroles; k++) {
			for (j = 0; j < ps->nslugs; j++)
				if (strcmp(ps->slugs[j],
					ps->all[i].roles[k].org) == 0)
					break;
			if (j == ps->nslugs)
				return 0;
		}
		return 1;
	}
	return 0;
}

/* One person's row: login, name, roles with revoke buttons, the forms. */
static void
put_person(struct req *r, struct html *h, const struct staff_info *p,
    const struct form *f, const struct unit_row *u, int nu, int may_pw)
{
	char   *roles_action, *pw_action, prefix[48], label[512];
	int	d, k, open;

	snprintf(prefix, sizeof(prefix), "p%lld", (long long)p->id);
	snprintf(label, sizeof(label), "/admin/people/%lld/roles",
	    (long long)p->id);
	roles_action = org_path(r->org, label);
	snprintf(label, sizeof(label), "/admin/people/%lld/password",
	    (long long)p->id);
	pw_action = org_path(r->org, label);

	d = html_open(h, "tr", "id", prefix, NULL);
	html_elem(h, "th", p->login, "scope", "row", NULL);
	html_elem(h, "td", p->name, NULL);

	/* Roles, each with its own small revoke form. */
	html_open(h, "td", NULL);
	html_open(h, "ul", NULL);
	for (k = 0; k < p->nroles; k++) {
		html_open(h, "li", NULL);
		html_text(h, role_label(r, p->roles[k].role));
		if (p->roles[k].unit != NULL) {
			html_text(h, " (");
			html_text(h, p->roles[k].unit);
			html_text(h, ")");
		}
		html_text(h, " ");
		html_open(h, "form", "method", "post", "action", roles_action,
		    "class", "inline", NULL);
		ui_csrf(r, h);
		html_void(h, "input", "type", "hidden", "name", "op", "value",
		    "revoke", NULL);
		html_void(h, "input", "type", "hidden", "name", "role",
		    "value", p->roles[k].role, NULL);
		snprintf(label, sizeof(label), "%s «%s» %s %s",
		    L(r, "Снять роль", "Revoke the role"),
		    role_label(r, p->roles[k].role), L(r, "у", "from"),
		    p->login);
		html_elem(h, "button", L(r, "Снять", "Revoke"), "type",
		    "submit", "class", "secondary", "aria-label", label, NULL);
		html_close(h);	/* form */
		html_close(h);	/* li */
	}
	html_close(h);	/* ul */
	if (form_msg(f, "row", p->id, "op") != NULL) {
		snprintf(label, sizeof(label), "%s-roles-op", prefix);
		html_elem(h, "p", form_msg(f, "row", p->id, "op"), "class",
		    "error", "id", label, "tabindex", "-1", NULL);
	}
	html_close(h);	/* td */

	html_elem(h, "td", p->has_password ? L(r, "задан", "set")
					   : L(r, "не задан", "not set"), NULL);

	/* Granting a role and setting a password, folded away. */
	open = f != NULL && f->row == p->id &&
	    (strcmp(f->scope, "row") == 0 || strcmp(f->scope, "pw") == 0);
	html_open(h, "td", NULL);
	html_open(h, "details", "open", open ? "" : NULL, NULL);
	snprintf(label, sizeof(label), "%s %s", L(r, "Изменить:", "Change:"),
	    p->login);
	html_elem(h, "summary", label, NULL);

	snprintf(label, sizeof(label), "%s-roles", prefix);
	html_open(h, "form", "method", "post", "action", roles_action, "class",
	    "stack", "novalidate", "", NULL);
	ui_csrf(r, h);
	html_void(h, "input", "type", "hidden", "name", "op", "value", "grant",
	    NULL);
	html_open(h, "fieldset", NULL);
	html_elem(h, "legend", L(r, "Выдать роль", "Grant a role"), NULL);
	put_role_unit(r, h, f, "row", p->id, label, u, nu);
	html_elem(h, "button", L(r, "Выдать", "Grant"), "type", "submit",
	    NULL);
	html_close(h);	/* fieldset */
	html_close(h);	/* form */

	if (!may_pw) {
		html_elem(h, "p", L(r, "Пароль задаёт администратор всех "
		    "организаций, где у сотрудника есть роли.",
		    "The password is set by an administrator of every "
		    "organization where the person holds a role."),
		    "class", "hint", NULL);
		html_close_to(h, d);
		free(roles_action);
		free(pw_action);
		return;
	}
	snprintf(label, sizeof(label), "%s-pw", prefix);
	html_open(h, "form", "method", "post", "action", pw_action, "class",
	    "stack", "novalidate", "", NULL);
	ui_csrf(r, h);
	html_open(h, "fieldset", NULL);
	html_elem(h, "legend", L(r, "Новый пароль", "New password"), NULL);
	put_password_pair(r, h, f, "pw", p->id, label);
	html_elem(h, "button", L(r, "Установить пароль", "Set the password"),
	    "type", "submit", NULL);
	html_close_to(h, d);
	free(roles_action);
	free(pw_action);
}

static int
people_page(struct req *r, const struct form *f)
{
	struct staff_info *v = NULL;
	struct unit_row	  *u = NULL;
	struct pw_scope	   ps;
	struct html	   h;
	struct err	   e;
	char		  *action, prefix[48];
	int		   n, nu, i, d;

	if ((n = staff_list(r->db, r->org->id, &v, &e)) < 0)
		return req_error(r, 500, NULL, e.msg);
	if ((nu = units_load(r->db, r->org->id, &u, &e)) < 0) {
		staff_list_free(v, n);
		return req_error(r, 500, NULL, e.msg);
	}
	if (pw_scope_load(r, &ps, &e) != 0) {
		staff_list_free(v, n);
		units_free(u, nu);
		return req_error(r, 500, NULL, e.msg);
	}
	begin_page(r, &h, L(r, "Сотрудники и роли", "People and roles"), f);
	put_org_nav(r, &h, "/admin/people");
	put_done(r, &h);
	/* A person's form that came back: the summary at the top. */
	if (f != NULL && f->row != 0) {
		snprintf(prefix, sizeof(prefix), "p%lld-%s", (long long)f->row,
		    strcmp(f->scope, "pw") == 0 ? "pw" : "roles");
		put_error_summary(r, &h, f, prefix);
	}

	d = html_open(&h, "div", "class", "table-wrap", NULL);
	html_open(&h, "table", NULL);
	html_elem(&h, "caption", L(r, "Сотрудники с ролями в организации",
				     "People with roles in the organization"),
	    NULL);
	html_open(&h, "thead", NULL);
	html_open(&h, "tr", NULL);
	html_elem(&h, "th", L(r, "Логин", "Login"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "ФИО", "Name"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Роли", "Roles"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Пароль", "Password"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Действия", "Actions"), "scope", "col", NULL);
	html_close(&h);
	html_close(&h);	/* thead */
	html_open(&h, "tbody", NULL);
	for (i = 0; i < n; i++)
		put_person(r, &h, &v[i], f, u, nu,
		    pw_scope_allows(&ps, v[i].id));
	html_close_to(&h, d);
	if (n == 0)
		html_elem(&h, "p", L(r, "Ни у кого пока нет ролей в этой "
				       "организации.",
				       "Nobody holds a role here yet."), NULL);

	action = org_path(r->org, "/admin/people");

	html_elem(&h, "h2", L(r, "Новый сотрудник", "New person"), "id",
	    "add", NULL);
	d = html_open(&h, "form", "method", "post", "action", action, "class",
	    "stack", "aria-labelledby", "add", "novalidate", "", NULL);
	ui_csrf(r, &h);
	html_void(&h, "input", "type", "hidden", "name", "op", "value", "add",
	    NULL);
	put_error_summary(r, &h, f != NULL && strcmp(f->scope, "add") == 0
	    ? f : NULL, "add");
	html_elem(&h, "p", L(r, "Поля, отмеченные *, обязательны.",
			       "Fields marked * are required."), "class",
	    "hint", NULL);
	put_field(r, &h, &(struct field){"add-login", "login", "text",
	    L(r, "Логин", "Login"),
	    L(r, "От 2 до 64 строчных латинских букв, цифр, «.», «_» и «-».",
		 "2 to 64 lowercase Latin letters, digits, '.', '_' and '-'."),
	    form_value(r, f, "add", 0, "login"), form_msg(f, "add", 0, "login"),
	    NULL, "off", 1});
	put_field(r, &h, &(struct field){"add-name", "name", "text",
	    L(r, "ФИО", "Full name"), NULL, form_value(r, f, "add", 0, "name"),
	    form_msg(f, "add", 0, "name"), NULL, "off", 1});
	put_role_unit(r, &h, f, "add", 0, "add", u, nu);
	put_password_pair(r, &h, f, "add", 0, "add");
	html_elem(&h, "button", L(r, "Добавить сотрудника", "Add the person"),
	    "type", "submit", NULL);
	html_close_to(&h, d);

	html_elem(&h, "h2", L(r, "Роль для существующей учётной записи",
				"A role for an existing account"), "id",
	    "grant", NULL);
	html_elem(&h, "p", L(r, "Если у человека уже есть учётная запись "
			       "(например, в другой организации), выдайте "
			       "ему роль здесь по его логину.",
			       "If the person has an account already (in "
			       "another organization, say), grant a role here "
			       "by their login."), "class", "hint", NULL);
	d = html_open(&h, "form", "method", "post", "action", action, "class",
	    "stack", "aria-labelledby", "grant", "novalidate", "", NULL);
	ui_csrf(r, &h);
	html_void(&h, "input", "type", "hidden", "name", "op", "value",
	    "grant", NULL);
	put_error_summary(r, &h, f != NULL && strcmp(f->scope, "grant") == 0
	    ? f : NULL, "grant");
	put_field(r, &h, &(struct field){"grant-login", "login", "text",
	    L(r, "Логин", "Login"), NULL, form_value(r, f, "grant", 0, "login"),
	    form_msg(f, "grant", 0, "login"), NULL, "off", 1});
	put_role_unit(r, &h, f, "grant", 0, "grant", u, nu);
	html_elem(&h, "button", L(r, "Выдать роль", "Grant the role"), "type",
	    "submit", NULL);
	html_close_to(&h, d);
	free(action);
	staff_list_free(v, n);
	units_free(u, nu);
	pw_scope_free(&ps);
	return end_page(r, &h, f);
}

int
ui_admin_people(struct req *r)
{
	return people_page(r, NULL);
}

static int
login_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n < 2 || n > LOGIN_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
			(s[i] >= '0' && s[i] <= '9') ||
			(i > 0 && (s[i] == '.' || s[i] == '_' || s[i] == '-'))))
			return 0;
	return 1;
}

/*
 * Checks the role and unit fields of a grant; *unit_id is the unit, 0
 * for none.  The unit must be one of this organization's.
 */
static void
check_role_unit(struct req *r, struct form *f, int64_t *unit_id)
{
	const char	*role = req_param(r, "role");
	const char	*unit = req_param(r, "unit");
	struct unit_row *u;
	struct err	 e;
	char		*end;
	long long	 id;
	int		 nu, i, found = 0;

	*unit_id = 0;
	if (str_empty(role))
		form_error(f, "role", L(r, "Выберите роль.", "Choose a role."));
	else if (!role_valid(role))
		form_error(f, "role", L(r, "Такой роли нет; выберите из "
		    "списка.", "There is no such role; choose one from the "
		    "list."));
	if (!str_empty(unit)) {
		id = strtoll(unit, &end, 10);
		if (*end == '\0' && id > 0 &&
		    (nu = units_load(r->db, r->org->id, &u, &e)) >= 0) {
			for (i = 0; i < nu; i++)
				if (u[i].id == id)
					found = 1;
			units_free(u, nu);
		}
		if (!found)
			form_error(f, "unit", L(r, "Такого подразделения в "
						   "организации нет.",
						   "There is no such unit in "
						   "this organization."));
		else
			*unit_id = id;
	} else if (!str_empty(role) && strcmp(role, "editor") == 0)
		form_error(f, "unit", L(r, "Редактору нужно подразделение, "
					   "изменения которого он готовит.",
					   "An editor needs the unit whose "
					   "changes they prepare."));
}

static void
check_passwords(struct req *r, struct form *f)
{
	const char *p1 = req_param(r, "password");
	const char *p2 = req_param(r, "password2");
	struct err  e;

	if (str_empty(p1)) {
		form_error(f, "password", L(r, "Введите пароль.",
					       "Enter a password."));
		return;
	}
	if (password_ok(p1, &e) != 0) {
		form_error(f, "password", L(r, "Пароль не подходит: не короче "
						  "10 знаков, без управляющих "
						  "символов, не длиннее 1024 "
						  "байт.",
						  "The password is not "
						  "acceptable: at least 10 "
						  "characters, no control "
						  "characters, at most 1024 "
						  "bytes."));
		return;
	}
	if (p2 == NULL || strcmp(p1, p2) != 0)
		form_error(f, "password2", L(r, "Пароли не совпадают.",
						"The passwords differ."));
}

int
ui_admin_person_add(struct req *r)
{
	struct form f = {0};
	struct err  e;
	const char *op = req_param(r, "op"), *login = req_param(r, "login");
	const char *role = req_param(r, "role");
	char	   *name = NULL;
	int64_t	    id, unit_id = 0;
	int	    rc = 0, held;

	err_clear(&e);
	if (op == NULL || (strcmp(op, "add") != 0 && strcmp(op, "grant") != 0))
		return req_error(r, 400, "op", "expected add or grant");
	f.scope = strcmp(op, "add") == 0 ? "add" : "grant";
	if (strcmp(op, "add") == 0) {
		if (str_empty(login))
			form_error(&f, "login", L(r, "Укажите логин.",
						     "Enter a login."));
		else if (!login_ok(login))
			form_error(&f, "login", L(r, "Логин: от 2 до 64 "
			    "строчных латинских букв, цифр, «.», «_» и «-», "
			    "начиная с буквы или цифры.",
			    "Login: 2 to 64 lowercase Latin letters, digits, "
			    "'.', '_' and '-', starting with a letter or "
			    "digit."));
		else if (staff_exists(r->db, login))
			form_error(&f, "login", L(r, "Этот логин уже занят. "
			    "Чтобы выдать роль его владельцу, воспользуйтесь "
			    "формой «Роль для существующей учётной записи».",
			    "This login is taken. To give its holder a role, "
			    "use the form “A role for an existing account”."));
		name = str_squeeze(req_param(r, "name") ? req_param(r, "name")
							: "");
		if (*name == '\0')
			form_error(&f, "name", L(r, "Укажите ФИО.",
						    "Enter the full name."));
		else if (utf8_chars(name) > NAME_MAX_CHARS)
			form_error(&f, "name", L(r, "ФИО длиннее 500 знаков.",
						    "The name is longer than "
						    "500 characters."));
		check_role_unit(r, &f, &unit_id);
		check_passwords(r, &f);
	} else {
		if (str_empty(login))
			form_error(&f, "login", L(r, "Укажите логин.",
						     "Enter a login."));
		else if (!staff_exists(r->db, login))
			form_error(&f, "login", L(r, "Учётной записи с таким "
			    "логином нет. Новому сотруднику создайте её "
			    "формой «Новый сотрудник».",
			    "There is no account with this login. Make one "
			    "for a new person with the form “New person”."));
		check_role_unit(r, &f, &unit_id);
		if (f.n == 0 && (held = staff_role_held(r->db, login,
				     r->org->id, role)) != 0) {
			if (held < 0) {
				rc = req_error(r, 500, NULL, db_errmsg(r->db));
				goto out;
			}
			form_error(&f, "role", L(r, "У этого сотрудника уже "
			    "есть эта роль здесь.",
			    "This person holds this role here already."));
		}
	}
	if (f.n > 0) {
		rc = people_page(r, &f);
		goto out;
	}
	if (db_begin(r->db) != 0) {
		rc = req_error(r, 500, NULL, db_errmsg(r->db));
		goto out;
	}
	if ((strcmp(op, "add") == 0 &&
		staff_add(r->db, r->session->login, login, name, &id, &e) !=
		    0) ||
	    staff_grant(r->db, r->session->login, login, r->org->id, role,
		unit_id, &e) != 0 ||
	    db_commit(r->db) != 0) {
		db_rollback(r->db);
		rc = req_error(r, 500, NULL, e.code ? e.msg
						    : db_errmsg(r->db));
		goto out;
	}
	/* password_set runs its own transaction (the hash is slow). */
	if (strcmp(op, "add") == 0 &&
	    password_set(r->db, r->session->login, login,
		req_param(r, "password"), &e) != 0) {
		rc = req_error(r, 500, NULL, e.msg);
		goto out;
	}
	rc = redirect_org(r, strcmp(op, "add") == 0
	    ? "/admin/people?done=person" : "/admin/people?done=grant");
out:
	free(name);
	return rc;
}

/* The person of the {id} segment, among those with a role here. */
static struct staff_info *
person_find(struct staff_info *v, int n, int64_t id)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i].id == id)
			return &v[i];
	return NULL;
}

/* How many people hold the admin role in the organization. */
static int
count_admins(const struct staff_info *v, int n)
{
	int i, k, c = 0;

	for (i = 0; i < n; i++)
		for (k = 0; k < v[i].nroles; k++)
			if (strcmp(v[i].roles[k].role, "admin") == 0)
				c++;
	return c;
}

int
ui_admin_person_roles(struct req *r)
{
	struct form	   f = {.scope = "row", .row = r->id};
	struct staff_info *v = NULL, *p;
	struct err	   e;
	const char	  *op = req_param(r, "op");
	const char	  *role = req_param(r, "role");
	char		  *login = NULL;
	int64_t		   unit_id = 0;
	int		   n = 0, rc = 0, held, still_admin;

	err_clear(&e);
	if (op == NULL || (strcmp(op, "grant") != 0 &&
			      strcmp(op, "revoke") != 0))
		return req_error(r, 400, "op", "expected grant or revoke");
	if ((n = staff_list(r->db, r->org->id, &v, &e)) < 0)
		return req_error(r, 500, NULL, e.msg);
	if ((p = person_find(v, n, r->id)) == NULL) {
		staff_list_free(v, n);
		return req_error(r, 404, NULL,
		    L(r, "У этого сотрудника нет ролей в организации.",
			"This person holds no role in this organization."));
	}
	login = xstrdup(p->login);
	staff_list_free(v, n);
	v = NULL;
	n = 0;

	if (strcmp(op, "grant") == 0) {
		check_role_unit(r, &f, &unit_id);
		if (f.n == 0 && (held = staff_role_held(r->db, login,
				     r->org->id, role)) != 0) {
			if (held < 0) {
				rc = req_error(r, 500, NULL, db_errmsg(r->db));
				goto out;
			}
			form_error(&f, "role", L(r, "Эта роль у сотрудника "
			    "уже есть.", "The person holds this role "
			    "already."));
		}
		if (f.n > 0) {
			rc = people_page(r, &f);
			goto out;
		}
		if (db_begin(r->db) != 0 ||
		    staff_grant(r->db, r->session->login, login, r->org->id,
			role, unit_id, &e) != 0 ||
		    db_commit(r->db) != 0) {
			db_rollback(r->db);
			rc = req_error(r, 500, NULL, e.code ? e.msg
							    : db_errmsg(r->db));
			goto out;
		}
		rc = redirect_org(r, "/admin/people?done=grant");
		goto out;
	}

	/* Revoking: never the last administrator, decided under the lock. */
	if (str_empty(role) || !role_valid(role)) {
		rc = req_error(r, 400, "role", "expected one of officer, "
		    "editor, operator, analyst, group, admin");
		goto out;
	}
	if (db_begin(r->db) != 0) {
		rc = req_error(r, 500, NULL, db_errmsg(r->db));
		goto out;
	}
	if (strcmp(role, "admin") == 0) {
		if ((n = staff_list(r->db, r->org->id, &v, &e)) < 0) {
			db_rollback(r->db);
			rc = req_error(r, 500, NULL, e.msg);
			goto out;
		}
		if (count_admins(v, n) <= 1 && staff_role_held(r->db, login,
						   r->org->id, "admin") == 1) {
			db_rollback(r->db);
			form_error(&f, "op", L(r, "Нельзя снять роль у "
			    "единственного администратора организации: "
			    "сначала назначьте другого.",
			    "The organization's only administrator cannot "
			    "lose the role: appoint another first."));
			rc = people_page(r, &f);
			goto out;
		}
	}
	if (staff_revoke(r->db, r->session->login, login, r->org->id, role,
		&e) != 0) {
		db_rollback(r->db);
		if (e.code == EXIT_NOINPUT) {
			form_error(&f, "op", L(r, "У сотрудника нет этой роли.",
						  "The person does not hold "
						  "this role."));
			rc = people_page(r, &f);
		} else
			rc = req_error(r, 500, NULL, e.msg);
		goto out;
	}
	if (db_commit(r->db) != 0) {
		db_rollback(r->db);
		rc = req_error(r, 500, NULL, db_errmsg(r->db));
		goto out;
	}
	/* An administrator who revoked their own role has nothing left here. */
	still_admin = session_has_role(r->db, r->session, r->org->id, "admin");
	rc = still_admin ? redirect_org(r, "/admin/people?done=revoke")
			 : req_redirect(r, "/");
out:
	staff_list_free(v, n);
	free(login);
	return rc;
}

int
ui_admin_person_password(struct req *r)
{
	struct form	   f = {.scope = "pw", .row = r->id};
	struct staff_info *v, *p;
	struct pw_scope	   ps;
	struct err	   e;
	char		  *login;
	int		   n, rc = 0, may;

	err_clear(&e);
	if ((n = staff_list(r->db, r->org->id, &v, &e)) < 0)
		return req_error(r, 500, NULL, e.msg);
	if ((p = person_find(v, n, r->id)) == NULL) {
		staff_list_free(v, n);
		return req_error(r, 404, NULL,
		    L(r, "У этого сотрудника нет ролей в организации.",
			"This person holds no role in this organization."));
	}
	login = xstrdup(p->login);
	staff_list_free(v, n);
	if (pw_scope_load(r, &ps, &e) != 0) {
		rc = req_error(r, 500, NULL, e.msg);
		goto out;
	}
	may = pw_scope_allows(&ps, r->id);
	pw_scope_free(&ps);
	if (!may) {
		rc = req_error(r, 403, NULL,
		    L(r, "У сотрудника есть роли в организациях, которые вы не "
			 "администрируете; пароль ему задаёт администратор "
			 "всех этих организаций.",
			 "The person holds roles in organizations you do not "
			 "administer; an administrator of all of them sets the "
			 "password."));
		goto out;
	}
	check_passwords(r, &f);
	if (f.n > 0) {
		rc = people_page(r, &f);
		goto out;
	}
	if (password_set(r->db, r->session->login, login,
		req_param(r, "password"), &e) != 0) {
		rc = req_error(r, 500, NULL, e.msg);
		goto out;
	}
	/* Setting one's own password ends one's own sessions too. */
	rc = strcmp(login, r->session->login) == 0
	    ? req_redirect(r, "/login")
	    : redirect_org(r, "/admin/people?done=password");
out:
	free(login);
	return rc;
}

/* The audit log of an organization. */

/* "DD.MM.YYYY HH:MM" in the zone, and the ISO form for <time>. */
static void
time_local_ru(int64_t t, const char *tz, char out[24])
{
	int64_t lt = t + tz_offset(t, tz);
	int64_t day = lt >= 0 ? lt / 86400 : (lt - 86399) / 86400;
	int64_t sec = lt - day * 86400;
	char	d[11];

	date_format_ru((int32_t)day, d);
	snprintf(out, 24, "%s %02d:%02d", d, (int)(sec / 3600),
	    (int)(sec / 60 % 60));
}

/* The moment a local calendar day begins in the zone. */
static int64_t
day_start(int32_t day, const char *tz)
{
	int64_t t = (int64_t)day * 86400;

	return t - tz_offset(t - tz_offset(t, tz), tz);
}

/* Reads a date typed as YYYY-MM-DD or DD.MM.YYYY; 0 or -1. */
static int
date_read(const char *s, int32_t *day)
{
	char iso[11];

	if (strlen(s) == 10 && s[2] == '.' && s[5] == '.') {
		memcpy(iso, s + 6, 4);
		iso[4] = '-';
		memcpy(iso + 5, s + 3, 2);
		iso[7] = '-';
		memcpy(iso + 8, s, 2);
		iso[10] = '\0';
		return date_parse(iso, day);
	}
	return date_parse(s, day);
}

/* A LIKE pattern matching the text exactly ("!" escapes), plus "%" for a
 * prefix. */
static char *
like_pattern(const char *s, int prefix)
{
	struct buf b;

	buf_init(&b, 4096);
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '%' || *s == '_' || *s == '!')
			buf_putc(&b, '!');
		buf_putc(&b, *s);
	}
	if (prefix || b.len == 0)
		buf_putc(&b, '%');
	return buf_detach(&b);
}

/* One side of a change: its JSON indented, or "none". */
static void
put_json(struct req *r, struct html *h, const char *title, const char *text)
{
	json_t	    *j;
	json_error_t je;
	char	    *s = NULL;
	int	     d;

	html_elem(h, "dt", title, NULL);
	d = html_open(h, "dd", NULL);
	if (text == NULL) {
		html_text(h, L(r, "нет", "none"));
		html_close_to(h, d);
		return;
	}
	if ((j = json_loads(text, JSON_DECODE_ANY, &je)) != NULL) {
		s = json_dumps(j, JSON_INDENT(2) | JSON_ENCODE_ANY);
		json_decref(j);
	}
	html_elem(h, "pre", s != NULL ? s : text, NULL);
	html_close_to(h, d);
	free(s);
}

static const char *
action_label(const struct req *r, const char *code)
{
	const struct fb_code *fc;
	size_t		      i;

	for (i = 0; i < nitems(action_names); i++)
		if (strcmp(action_names[i].code, code) == 0)
			return L(r, action_names[i].ru, action_names[i].en);
	/* The steps of a message's case, as its history names them. */
	if (strncmp(code, "feedback.", 9) == 0 &&
	    (fc = fb_code_find(fb_actions, code + 9)) != NULL)
		return L(r, fc->title_ru, fc->title_en);
	return NULL;
}

/* The query string of the current filters, for links to other pages. */
static char *
audit_query(const char *since, const char *until, const char *action,
    const char *actor, int64_t page)
{
	struct buf b;

	buf_init(&b, 8192);
	buf_printf(&b, "?page=%lld", (long long)page);
	if (since != NULL) {
		buf_puts(&b, "&since=");
		html_url_arg(&b, since);
	}
	if (until != NULL) {
		buf_puts(&b, "&until=");
		html_url_arg(&b, until);
	}
	if (!str_empty(action)) {
		buf_puts(&b, "&action=");
		html_url_arg(&b, action);
	}
	if (!str_empty(actor)) {
		buf_puts(&b, "&actor=");
		html_url_arg(&b, actor);
	}
	return buf_detach(&b);
}

static void
put_audit_verify(struct req *r, struct html *h)
{
	struct audit_report rep;
	struct err	    e;
	int		    v;
	char		    line[512];

	v = audit_verify(r->db, &rep, &e);
	if (v == 0) {
		snprintf(line, sizeof(line), "%s %lld. %s %.16s…",
		    L(r, "Цепочка журнала цела: проверено записей всей "
			 "установки —",
			 "The log's chain is intact: entries of the whole "
			 "installation checked:"),
		    (long long)rep.entries,
		    L(r, "Хеш последней записи:", "Hash of the last entry:"),
		    rep.head);
		html_elem(h, "p", line, "class", "notice", "role", "status",
		    NULL);
	} else if (v == 1) {
		snprintf(line, sizeof(line), "%s %lld: %s",
		    L(r, "Цепочка журнала нарушена начиная с записи",
			 "The log's chain is broken from entry"),
		    (long long)rep.first_bad, rep.reason);
		html_elem(h, "p", line, "class", "alert", "role", "alert",
		    NULL);
	} else
		html_elem(h, "p", L(r, "Проверить цепочку журнала не "
				      "удалось.",
				      "The log's chain could not be checked."),
		    "class", "alert", "role", "alert", NULL);
}

/* The filter form of the audit log. */
static void
put_audit_filters(struct req *r, struct html *h, const struct form *f,
    const char *since, const char *until, const char *const *actions,
    int nactions)
{
	char *action;
	int   d;

	action = org_path(r->org, "/audit");
	d = html_open(h, "form", "method", "get", "action", action, "class",
	    "stack filters", "novalidate", "", NULL);
	free(action);
	html_open(h, "fieldset", NULL);
	html_elem(h, "legend", L(r, "Отбор записей", "Filter entries"), NULL);
	put_error_summary(r, h, f, "audit");
	put_field(r, h, &(struct field){"audit-since", "since", "date",
	    L(r, "С даты", "From"),
	    L(r, "ДД.ММ.ГГГГ или ГГГГ-ММ-ДД, по времени организации.",
		 "DD.MM.YYYY or YYYY-MM-DD, in the organization's time."),
	    since, form_msg(f, "audit", 0, "since"), NULL,
	    "off", 0});
	put_field(r, h, &(struct field){"audit-until", "until", "date",
	    L(r, "По дату включительно", "To (inclusive)"),
	    L(r, "ДД.ММ.ГГГГ или ГГГГ-ММ-ДД.", "DD.MM.YYYY or YYYY-MM-DD."),
	    until, form_msg(f, "audit", 0, "until"), NULL,
	    "off", 0});
	put_field(r, h, &(struct field){"audit-action", "action", "text",
	    L(r, "Действие", "Action"),
	    L(r, "Начало кода действия: например, staff. или registry.",
		 "The start of the action's code: e.g. staff. or registry."),
	    req_param(r, "action"), form_msg(f, "audit", 0, "action"),
	    "audit-actions", "off", 0});
	put_datalist(h, "audit-actions", actions, (size_t)nactions);
	put_field(r, h, &(struct field){"audit-actor", "actor", "text",
	    L(r, "Кто (логин)", "Who (login)"), NULL, req_param(r, "actor"),
	    form_msg(f, "audit", 0, "actor"), NULL, "off", 0});
	html_elem(h, "button", L(r, "Показать", "Show"), "type", "submit",
	    NULL);
	html_text(h, " ");
	action = org_path(r->org, "/audit");
	html_elem(h, "a", L(r, "Сбросить отбор", "Clear the filter"), "href",
	    action, NULL);
	free(action);
	html_close_to(h, d);
}

/* The distinct actions of the organization's log, for suggestions. */
static int
audit_actions(struct db *db, int64_t org_id, char ***out)
{
	struct db_stmt *s;
	char	      **v = NULL;
	int		n = 0;

	s = db_prepare(db, "SELECT DISTINCT action FROM audit WHERE org_id = ? "
			   "ORDER BY action", "i", org_id);
	while (s != NULL && db_step(s) == DB_ROW && n < 200) {
		v = xreallocarray(v, (size_t)n + 1, sizeof(*v));
		v[n++] = db_col_dup(s, 0);
	}
	db_finalize(s);
	*out = v;
	return n;
}

/* The filters, bound as org_id, from, to, action pattern, actor pattern. */
#define AUDIT_WHERE                                                      \
	"WHERE a.org_id = ? AND a.at >= ? AND a.at < ? "                \
	"AND a.action LIKE ? ESCAPE '!' AND a.actor LIKE ? ESCAPE '!'"

int
ui_admin_audit(struct req *r)
{
	struct form	f = {.scope = "audit"};
	struct html	h;
	struct db_stmt *s = NULL;
	const char     *since = req_param(r, "since");
	const char     *until = req_param(r, "until");
	const char     *action = req_param(r, "action");
	const char     *actor = req_param(r, "actor");
	const char     *pagep = req_param(r, "page"), *label;
	char	      **actions, *act_like = NULL, *actor_like = NULL, *q;
	char		when[24], iso[21], num[32];
	char		since_iso[11], until_iso[11];
	int64_t		from = 0, to = INT64_MAX, page = 1, total = 0, pages;
	int32_t		day;
	int		nactions, i, d, st, shown = 0;

	/* A date that cannot be read is not shown again: a date field's
	 * value is YYYY-MM-DD or nothing. */
	if (!str_empty(since)) {
		if (date_read(since, &day) != 0) {
			form_error(&f, "since", L(r, "Дата — как "
			    "22.10.2024 или 2024-10-22.", "A date looks like "
			    "22.10.2024 or 2024-10-22."));
			since = NULL;
		} else {
			from = day_start(day, r->org->tz);
			date_format(day, since_iso);
			since = since_iso;
		}
	} else
		since = NULL;
	if (!str_empty(until)) {
		if (date_read(until, &day) != 0) {
			form_error(&f, "until", L(r, "Дата — как "
			    "22.10.2024 или 2024-10-22.", "A date looks like "
			    "22.10.2024 or 2024-10-22."));
			until = NULL;
		} else {
			to = day_start(day + 1, r->org->tz);
			date_format(day, until_iso);
			until = until_iso;
			if (to <= from)
				form_error(&f, "until", L(r, "Конец периода "
							     "раньше его "
							     "начала.",
							     "The end comes "
							     "before the "
							     "start."));
		}
	} else
		until = NULL;
	if (!str_empty(pagep)) {
		page = strtoll(pagep, NULL, 10);
		if (page < 1 || page > AUDIT_MAX_PAGE)
			page = 1;
	}

	nactions = audit_actions(r->db, r->org->id, &actions);
	begin_page(r, &h, L(r, "Журнал аудита", "Audit log"), &f);
	put_org_nav(r, &h, "/audit");
	put_audit_verify(r, &h);
	put_audit_filters(r, &h, &f, since, until,
	    (const char *const *)actions, nactions);
	for (i = 0; i < nactions; i++)
		free(actions[i]);
	free(actions);
	if (f.n > 0) {
		ui_end(r, &h);
		r->status = 400;
		return 0;
	}

	act_like = like_pattern(action, 1);
	actor_like = like_pattern(actor, 0);
	s = db_prepare(r->db, "SELECT COUNT(*) FROM audit a " AUDIT_WHERE,
	    "iiitt", r->org->id, from, to, act_like, actor_like);
	if (s == NULL || db_step(s) != DB_ROW)
		goto fail;
	total = db_col_int(s, 0);
	db_finalize(s);
	pages = (total + AUDIT_PAGE - 1) / AUDIT_PAGE;

	html_open(&h, "p", "role", "status", NULL);
	snprintf(num, sizeof(num), "%lld", (long long)total);
	html_text(&h, L(r, "Найдено записей: ", "Entries found: "));
	html_text(&h, num);
	if (pages > 1) {
		snprintf(num, sizeof(num), "%lld / %lld", (long long)page,
		    (long long)pages);
		html_text(&h, L(r, ", страница ", ", page "));
		html_text(&h, num);
	}
	html_close(&h);

	s = db_prepare(r->db,
	    "SELECT a.seq, a.at, a.actor, st.name, a.action, a.object, "
	    "a.before_json, a.after_json FROM audit a "
	    "LEFT JOIN staff st ON st.login = a.actor " AUDIT_WHERE
	    " ORDER BY a.seq DESC LIMIT ? OFFSET ?",
	    "iiittii", r->org->id, from, to, act_like, actor_like,
	    (int64_t)AUDIT_PAGE, (page - 1) * AUDIT_PAGE);
	if (s == NULL)
		goto fail;
	d = html_open(&h, "div", "class", "table-wrap", NULL);
	html_open(&h, "table", NULL);
	html_elem(&h, "caption", L(r, "Записи журнала, новые сверху",
				     "Log entries, newest first"), NULL);
	html_open(&h, "thead", NULL);
	html_open(&h, "tr", NULL);
	html_elem(&h, "th", "№", "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Время", "Time"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Кто", "Who"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Действие", "Action"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Объект", "Object"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Было и стало", "Before and after"), "scope",
	    "col", NULL);
	html_close(&h);
	html_close(&h);	/* thead */
	html_open(&h, "tbody", NULL);
	while ((st = db_step(s)) == DB_ROW) {
		shown++;
		html_open(&h, "tr", NULL);
		snprintf(num, sizeof(num), "%lld", (long long)db_col_int(s, 0));
		html_elem(&h, "th", num, "scope", "row", NULL);
		time_local_ru(db_col_int(s, 1), r->org->tz, when);
		time_format(db_col_int(s, 1), iso);
		html_open(&h, "td", NULL);
		html_elem(&h, "time", when, "datetime", iso, NULL);
		html_close(&h);
		html_open(&h, "td", NULL);
		html_text(&h, db_col_text(s, 2));
		if (!db_col_null(s, 3)) {
			html_void(&h, "br", NULL);
			html_elem(&h, "span", db_col_text(s, 3), "class",
			    "hint", NULL);
		}
		html_close(&h);
		html_open(&h, "td", NULL);
		if ((label = action_label(r, db_col_text(s, 4))) != NULL) {
			html_text(&h, label);
			html_text(&h, " ");
		}
		html_elem(&h, "code", db_col_text(s, 4), NULL);
		html_close(&h);
		html_elem(&h, "td", db_col_text(s, 5), NULL);
		html_open(&h, "td", NULL);
		if (db_col_null(s, 6) && db_col_null(s, 7))
			html_text(&h, "—");
		else {
			html_open(&h, "details", NULL);
			html_elem(&h, "summary", L(r, "Показать", "Show"),
			    NULL);
			html_open(&h, "dl", NULL);
			put_json(r, &h, L(r, "Было", "Before"),
			    db_col_text(s, 6));
			put_json(r, &h, L(r, "Стало", "After"),
			    db_col_text(s, 7));
			html_close(&h);	/* dl */
			html_close(&h);	/* details */
		}
		html_close(&h);	/* td */
		html_close(&h);	/* tr */
	}
	db_finalize(s);
	s = NULL;
	html_close_to(&h, d);
	if (st == DB_FAIL)
		goto fail;
	if (shown == 0)
		html_elem(&h, "p", total > 0
		    ? L(r, "На этой странице записей нет.",
			"There are no entries on this page.")
		    : L(r, "Записей нет.", "There are no entries."), NULL);

	if (pages > 1) {
		char *base = org_path(r->org, "/audit"), *href;

		d = html_open(&h, "nav", "aria-label", L(r, "Страницы журнала",
							 "Pages of the log"),
		    NULL);
		html_open(&h, "ul", "class", "inline", NULL);
		if (page > 1) {
			q = audit_query(since, until, action, actor, page - 1);
			href = xasprintf("%s%s", base, q);
			html_open(&h, "li", NULL);
			html_elem(&h, "a", L(r, "← Новее", "← Newer"), "href",
			    href, "rel", "prev", NULL);
			html_close(&h);
			free(href);
			free(q);
		}
		if (page < pages) {
			q = audit_query(since, until, action, actor, page + 1);
			href = xasprintf("%s%s", base, q);
			html_open(&h, "li", NULL);
			html_elem(&h, "a", L(r, "Старее →", "Older →"), "href",
			    href, "rel", "next", NULL);
			html_close(&h);
			free(href);
			free(q);
		}
		html_close_to(&h, d);
		free(base);
	}
	free(act_like);
	free(actor_like);
	ui_end(r, &h);
	return 0;
fail:
	db_finalize(s);
	free(act_like);
	free(actor_like);
	return req_error(r, 500, NULL, db_errmsg(r->db));
}

/*
 * The public pages of feedback (R-FB-4, R-FB-8, R-FB-9, R-PD-1, R-PUB-1..3):
 * the form to send an appeal, complaint, proposal or comment; the
 * confirmation with the tracking code; the tracking page with the answer
 * and the question whether the problem is solved; the client's own
 * history and the withdrawal of the consent; and the quick "was this page
 * useful" form every public page carries.  No sign-in, no JavaScript:
 * every state comes back from the server as a page.
 *
 * The history key is a secret that opens the client's messages, so it
 * never travels in a URL: an address ends up in the access log, in the
 * browser's history and (Referrer-Policy same-origin) in the Referer of
 * every request the page makes.  It is shown once in the page that the
 * POST itself answers, and it is sent back only in form bodies (POST
 * /{org}/my, /{org}/my/withdraw).  Those answers are not cached.  A
 * redirect with the key held in memory for the next GET was the other
 * way: it keeps a secret in the server longer, loses it when the GET
 * reaches another process, and gains nothing, because the form's
 * one-time id already makes a repeated POST harmless (the same message,
 * and no key the second time).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "otklik.h"
#include "feedback.h"
#include "feedback_dict.h"
#include "html.h"
#include "http.h"
#include "ingest.h"
#include "org.h"
#include "pd.h"
#include "registry.h"
#include "routes.h"
#include "ui.h"

#define ONCE_LEN	32	/* hex digits of the form's one-time id */
#define RATE_COMMENT_MAX 2000	/* bytes of the quick form's comment */
#define ACTOR		"site"	/* who the audit log names for the public */

/* The kinds a client chooses from; the rest (request, mention, post)
 * come from other channels. */
static const char *const public_kinds[] = {"appeal", "complaint",
    "proposal", "comment"};

/* The fields of the feedback form, by the names the form, the API and
 * fb_validate() use. */
enum pf {
	PF_KIND, PF_FORM, PF_TOUCHPOINT, PF_SUBJECT, PF_TEXT, PF_ANON,
	PF_NAME, PF_EMAIL, PF_PHONE, PF_ADDRESS, PF_CONSENT, PF_KEY, PF__COUNT
};
static const struct {
	const char *name, *ru, *en;
} pfields[PF__COUNT] = {
	{"kind", "Вид сообщения", "Kind of message"},
	{"form", "Чего касается сообщение", "What the message concerns"},
	{"touchpoint", "Точка взаимодействия", "Touchpoint"},
	{"subject", "Тема", "Subject"},
	{"text", "Текст сообщения", "Your message"},
	{"anonymous", "Нужен ли ответ", "Do you want an answer"},
	{"name", "Фамилия, имя, отчество", "Full name"},
	{"email", "Электронная почта", "E-mail"},
	{"phone", "Телефон", "Phone"},
	{"address", "Почтовый адрес", "Postal address"},
	{"consent", "Согласие на обработку персональных данных",
	    "Consent to the processing of personal data"},
	{"key", "Ключ истории", "History key"},
};

/* Messages of a form that comes back, one per field at most. */
struct pform {
	const char *err[PF__COUNT];
	int	    nerr;
	const char *alert;	/* a problem of no one field */
};

/* What a deferred send carries from the request thread to done(), which
 * runs on the writer thread and so must not touch r->db. */
struct send_job {
	struct fb_msg	  m;
	struct fb_contact c;
	struct registry	  reg;		/* the touchpoints, for the form */
	char		  key[65];	/* a new history key, or "" */
	int		  dup;		/* the form was sent before */
};

/* The confirmation of a message sent: its code, and the history key
 * when one was made (NULL otherwise). */
static void sent_page(struct req *, const char *code, const char *key);

static void
send_job_free(void *p)
{
	struct send_job *j = p;

	if (j == NULL)
		return;
	fb_msg_clear(&j->m);
	fb_contact_clear(&j->c);
	registry_free(&j->reg);
	sodium_memzero(j->key, sizeof(j->key));
	free(j);
}

static const char *
code_title(const struct req *r, const struct fb_code *t, const char *code)
{
	const struct fb_code *c = fb_code_find(t, code);

	return c == NULL ? code : L(r, c->title_ru, c->title_en);
}

/* "Отзыв" is what a client calls a comment on the body's work. */
static const char *
kind_title(const struct req *r, const char *kind)
{
	if (strcmp(kind, "comment") == 0)
		return L(r, "Отзыв", "Comment");
	return code_title(r, fb_kinds, kind);
}

static int
hex_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
			(s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[n] == '\0';
}

/*
 * A tracking code as people type it ("k7m4 q2xp9d", "K7M4-Q2XP9D") made
 * canonical; 0, or -1 if it cannot be one.
 */
static int
code_normalize(const char *in, char out[FB_CODE_LEN + 1])
{
	char   c[16];
	size_t n = 0;

	for (; in != NULL && *in != '\0'; in++) {
		if (*in == ' ' || *in == '-')
			continue;
		if (n == 10)
			return -1;
		c[n] = *in >= 'a' && *in <= 'z' ? (char)(*in - 'a' + 'A') : *in;
		if (!((c[n] >= '0' && c[n] <= '9') ||
			(c[n] >= 'A' && c[n] <= 'Z')))
			return -1;
		n++;
	}
	if (n != 10)
		return -1;
	snprintf(out, FB_CODE_LEN + 1, "%.4s-%.6s", c, c + 4);
	return 0;
}

/* Validators of the route table. */

int
ui_fbp_check_kind(const char *v, char *why, size_t len)
{
	size_t i;

	for (i = 0; i < nitems(public_kinds); i++)
		if (strcmp(v, public_kinds[i]) == 0)
			return 0;
	snprintf(why, len, "expected one of appeal, complaint, proposal, "
			   "comment");
	return -1;
}

int
ui_fbp_check_form(const char *v, char *why, size_t len)
{
	if (fb_code_find(fb_forms, v) != NULL)
		return 0;
	snprintf(why, len, "expected one of %s", fb_code_list(fb_forms));
	return -1;
}

int
ui_fbp_check_once(const char *v, char *why, size_t len)
{
	if (strlen(v) == ONCE_LEN && hex_ok(v, ONCE_LEN))
		return 0;
	snprintf(why, len, "expected %d hexadecimal digits", ONCE_LEN);
	return -1;
}

int
ui_fbp_check_rating(const char *v, char *why, size_t len)
{
	if (v[0] >= '1' && v[0] <= '5' && v[1] == '\0')
		return 0;
	snprintf(why, len, "expected a whole number from 1 to 5");
	return -1;
}

int
ui_fbp_check_reply(const char *v, char *why, size_t len)
{
	if (strcmp(v, "closed") == 0 || strcmp(v, "reopened") == 0)
		return 0;
	snprintf(why, len, "expected closed or reopened");
	return -1;
}

/* The page a quick rating is about: the pattern of a public page of an
 * organization, so that no tracking code is stored with the rating. */
int
ui_fbp_check_page(const char *v, char *why, size_t len)
{
	size_t i;

	for (i = 0; i < nroutes; i++)
		if ((routes[i].flags & ROUTE_PUBLIC) &&
		    strcmp(routes[i].method, "GET") == 0 &&
		    strncmp(routes[i].pattern, "/{org}/", 7) == 0 &&
		    strcmp(routes[i].pattern, v) == 0)
			return 0;
	snprintf(why, len, "not a public page of an organization");
	return -1;
}

/* A path of this organization's pages to come back to: letters, digits,
 * "/", "-", "_" and "." only, so it can go into Location as it is. */
static int
back_ok(const struct req *r, const char *back)
{
	size_t n = strlen(r->org->slug);
	const char *p;

	if (back == NULL || back[0] != '/' ||
	    strncmp(back + 1, r->org->slug, n) != 0 || back[n + 1] != '/' ||
	    strstr(back, "//") != NULL || strstr(back, "..") != NULL)
		return 0;
	for (p = back; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			(*p >= '0' && *p <= '9') || strchr("/-_.", *p) != NULL))
			return 0;
	return 1;
}

/*
 * The organization's configuration of the site as a channel (R-FB-2): is
 * it taking feedback, and the touchpoint quick ratings belong to.
 */
static int
site_channel(struct req *r, int64_t *touchpoint)
{
	struct fb_channel_conf *v;
	struct err		e;
	int			n, i, enabled = 1;

	*touchpoint = 0;
	if ((n = fb_channel_list(r->db, r->org->id, &v, &e)) < 0)
		return 1;	/* the defaults: enabled */
	for (i = 0; i < n; i++)
		if (strcmp(v[i].channel, "site") == 0) {
			enabled = v[i].enabled;
			*touchpoint = v[i].touchpoint_id;
		}
	free(v);
	return enabled;
}

static int
site_closed(struct req *r)
{
	return req_error(r, 404, NULL,
	    L(r, "Эта организация не принимает сообщения через сайт.",
		"This organization does not take messages on this site."));
}

/* The queue of the writer is full: come back in a moment. */
static int
busy(struct req *r)
{
	req_header(r, "Retry-After", "5");
	return req_error(r, 503, NULL,
	    L(r, "Сервер перегружен, сообщение не сохранено. Отправьте его "
		 "ещё раз через несколько секунд.",
		"The server is overloaded; the message was not saved. Send it "
		"again in a few seconds."));
}

/* The answers that hold the history key or the client's messages: not
 * kept by the browser or a proxy, not shown again by "back". */
static void
no_store(struct req *r)
{
	req_header(r, "Cache-Control", "no-store");
}

/* ------------------------------------------------------------------ */
/* Quick feedback on the page (R-PUB-3).                               */

static void
quick_form(struct req *r, struct html *h, const char *page, const char *back,
    const char *err)
{
	char *action = ui_opath(r, "/rate");
	char  id[32], label[8];
	int   d, i;

	d = html_open(h, "aside", "class", "quick noprint", "aria-labelledby",
	    "quick-title", NULL);
	html_open(h, "form", "method", "post", "action", action, "class",
	    "stack", "novalidate", "", NULL);
	html_open(h, "fieldset", "class", "scale", "aria-describedby",
	    err != NULL ? "quick-hint quick-err" : "quick-hint", NULL);
	html_elem(h, "legend", L(r, "Была ли страница полезной?",
				    "Was this page useful?"),
	    "id", "quick-title", "class", "required", NULL);
	html_elem(h, "p", L(r, "Оценка от 1 (совсем нет) до 5 (очень).",
			      "A rating from 1 (not at all) to 5 (very)."),
	    "class", "hint", "id", "quick-hint", NULL);
	if (err != NULL) {
		html_open(h, "p", "class", "error", "id", "quick-err", NULL);
		html_elem(h, "strong", L(r, "Ошибка:", "Error:"), NULL);
		html_text(h, " ");
		html_text(h, err);
		html_close(h);
	}
	html_open(h, "div", "class", "scale-options", NULL);
	for (i = 1; i <= 5; i++) {
		snprintf(id, sizeof(id), "quick-%d", i);
		snprintf(label, sizeof(label), "%d", i);
		html_open(h, "span", "class", "check", NULL);
		html_void(h, "input", "type", "radio", "name", "rating",
		    "value", label, "id", id, "required", "", "aria-invalid",
		    err != NULL ? "true" : NULL, NULL);
		html_elem(h, "label", label, "for", id, NULL);
		html_close(h);
	}
	html_close(h);	/* div */
	html_close(h);	/* fieldset */
	html_elem(h, "label", L(r, "Что можно улучшить (необязательно)",
				 "What could be better (optional)"),
	    "for", "quick-comment", NULL);
	html_open(h, "textarea", "id", "quick-comment", "name", "comment",
	    "rows", "2", "aria-describedby", "quick-comment-hint", NULL);
	html_text(h, req_param(r, "comment"));	/* kept when it comes back */
	html_close(h);
	html_elem(h, "p", L(r, "Не пишите здесь персональные данные: это "
			       "анонимная оценка, ответа на неё не будет.",
			       "Do not write personal data here: the rating "
			       "is anonymous and gets no answer."),
	    "class", "hint", "id", "quick-comment-hint", NULL);
	html_void(h, "input", "type", "hidden", "name", "page", "value", page,
	    NULL);
	if (back_ok(r, back))
		html_void(h, "input", "type", "hidden", "name", "back",
		    "value", back, NULL);
	html_open(h, "p", NULL);
	html_elem(h, "button", L(r, "Отправить оценку", "Send the rating"),
	    "type", "submit", "class", "secondary", NULL);
	html_close(h);	/* p */
	html_close(h);	/* form */
	/* The way to say more, from every public page (R-PUB-1). */
	free(action);
	html_open(h, "ul", "class", "inline", NULL);
	html_open(h, "li", NULL);
	action = ui_opath(r, "/feedback");
	html_elem(h, "a", L(r, "Написать обращение, жалобу или предложение",
			      "Write an appeal, a complaint or a proposal"),
	    "href", action, NULL);
	free(action);
	html_close(h);
	html_open(h, "li", NULL);
	action = ui_opath(r, "/track");
	html_elem(h, "a", L(r, "Узнать статус сообщения по коду",
			      "Check a message's status by its code"),
	    "href", action, NULL);
	free(action);
	html_close_to(h, d);
}

void
ui_fb_quick(struct req *r, struct html *h)
{
	/* A page a POST answers has no address to come back to. */
	if (r->org == NULL || r->route == NULL ||
	    strcmp(r->route->method, "GET") != 0)
		return;
	quick_form(r, h, r->route->pattern, r->path, NULL);
}

/* ------------------------------------------------------------------ */
/* The feedback form.                                                  */

static void
error_summary(struct req *r, struct html *h, const struct pform *fm)
{
	char anchor[48];
	int  f;

	if (fm->nerr == 0 && fm->alert == NULL)
		return;
	/* Focused on load, so that a screen reader starts with what is
	 * wrong; each item leads to its field. */
	html_open(h, "div", "class", "alert", "role", "alert", "tabindex",
	    "-1", "autofocus", "", "aria-labelledby", "errors-title", "id",
	    "errors", NULL);
	html_elem(h, "h2", L(r, "Сообщение не отправлено: исправьте ошибки",
			       "The message was not sent: correct the errors"),
	    "id", "errors-title", NULL);
	if (fm->alert != NULL)
		html_elem(h, "p", fm->alert, NULL);
	html_open(h, "ul", NULL);
	for (f = 0; f < PF__COUNT; f++) {
		if (fm->err[f] == NULL)
			continue;
		snprintf(anchor, sizeof(anchor), "#f-%s", pfields[f].name);
		html_open(h, "li", NULL);
		html_open(h, "a", "href", anchor, NULL);
		html_text(h, L(r, pfields[f].ru, pfields[f].en));
		html_text(h, ": ");
		html_text(h, fm->err[f]);
		html_close(h);
		html_close(h);
	}
	html_close(h);
	html_close(h);
}

static void
field_error(struct req *r, struct html *h, const struct pform *fm, enum pf f,
    struct buf *desc)
{
	char id[48];

	if (fm->err[f] == NULL)
		return;
	snprintf(id, sizeof(id), "f-%s-err", pfields[f].name);
	html_open(h, "p", "class", "error", "id", id, NULL);
	html_elem(h, "strong", L(r, "Ошибка:", "Error:"), NULL);
	html_text(h, " ");
	html_text(h, fm->err[f]);
	html_close(h);
	buf_printf(desc, "%s%s", desc->len ? " " : "", id);
}

/*
 * The label, hint and error of a field; the ids of the hint and the error
 * go into desc for aria-describedby.
 */
static void
field_head(struct req *r, struct html *h, const struct pform *fm, enum pf f,
    int required, const char *hint, struct buf *desc)
{
	char id[48];

	snprintf(id, sizeof(id), "f-%s", pfields[f].name);
	html_elem(h, "label", L(r, pfields[f].ru, pfields[f].en), "for", id,
	    "class", required ? "required" : NULL, NULL);
	if (hint != NULL) {
		snprintf(id, sizeof(id), "f-%s-hint", pfields[f].name);
		html_elem(h, "p", hint, "class", "hint", "id", id, NULL);
		buf_printf(desc, "%s%s", desc->len ? " " : "", id);
	}
	field_error(r, h, fm, f, desc);
}

static void
input_field(struct req *r, struct html *h, const struct pform *fm, enum pf f,
    const char *type, const char *autocomplete, int required,
    const char *hint)
{
	struct buf desc;
	char	   id[48];

	snprintf(id, sizeof(id), "f-%s", pfields[f].name);
	buf_init(&desc, 512);
	html_open(h, "div", "class", "field", NULL);
	field_head(r, h, fm, f, required, hint, &desc);
	html_void(h, "input", "type", type, "id", id, "name", pfields[f].name,
	    "value", req_param(r, pfields[f].name), "autocomplete",
	    autocomplete, "required", required ? "" : NULL, "spellcheck",
	    strcmp(type, "text") != 0 || f == PF_KEY ? "false" : NULL,
	    "aria-describedby", desc.len ? buf_str(&desc) : NULL,
	    "aria-invalid", fm->err[f] != NULL ? "true" : NULL, NULL);
	html_close(h);
	buf_free(&desc);
}

static void
textarea_field(struct req *r, struct html *h, const struct pform *fm,
    enum pf f, const char *autocomplete, const char *rows, int required,
    const char *hint)
{
	struct buf desc;
	char	   id[48];

	snprintf(id, sizeof(id), "f-%s", pfields[f].name);
	buf_init(&desc, 512);
	html_open(h, "div", "class", "field", NULL);
	field_head(r, h, fm, f, required, hint, &desc);
	html_open(h, "textarea", "id", id, "name", pfields[f].name, "rows",
	    rows, "autocomplete", autocomplete, "required",
	    required ? "" : NULL, "aria-describedby",
	    desc.len ? buf_str(&desc) : NULL, "aria-invalid",
	    fm->err[f] != NULL ? "true" : NULL, NULL);
	html_text(h, req_param(r, pfields[f].name));
	html_close(h);
	html_close(h);
	buf_free(&desc);
}

/* A group of radio buttons in a fieldset; the first one carries the
 * field's id, so the error summary can lead to it. */
static void
radio_field(struct req *r, struct html *h, const struct pform *fm, enum pf f,
    const char *const *values, const char *const *labels, size_t n,
    const char *checked, const char *hint)
{
	struct buf desc;
	char	   id[48];
	size_t	   i;

	buf_init(&desc, 512);
	if (hint != NULL) {
		snprintf(id, sizeof(id), "f-%s-hint", pfields[f].name);
		buf_printf(&desc, "%s", id);
	}
	if (fm->err[f] != NULL)
		buf_printf(&desc, "%sf-%s-err", desc.len ? " " : "",
		    pfields[f].name);
	html_open(h, "fieldset", "class", "choices", "aria-describedby",
	    desc.len ? buf_str(&desc) : NULL, NULL);
	html_elem(h, "legend", L(r, pfields[f].ru, pfields[f].en), "class",
	    f == PF_KIND ? "required" : NULL, NULL);
	if (hint != NULL) {
		snprintf(id, sizeof(id), "f-%s-hint", pfields[f].name);
		html_elem(h, "p", hint, "class", "hint", "id", id, NULL);
	}
	buf_reset(&desc);
	field_error(r, h, fm, f, &desc);
	for (i = 0; i < n; i++) {
		if (i == 0)
			snprintf(id, sizeof(id), "f-%s", pfields[f].name);
		else
			snprintf(id, sizeof(id), "f-%s-%s", pfields[f].name,
			    values[i]);
		html_open(h, "div", "class", "check", NULL);
		html_void(h, "input", "type", "radio", "id", id, "name",
		    pfields[f].name, "value", values[i], "required",
		    f == PF_KIND ? "" : NULL, "checked",
		    checked != NULL && strcmp(checked, values[i]) == 0 ? ""
									: NULL,
		    "aria-invalid", fm->err[f] != NULL ? "true" : NULL, NULL);
		html_elem(h, "label", labels[i], "for", id, NULL);
		html_close(h);
	}
	html_close(h);
	buf_free(&desc);
}

static void
form_select(struct req *r, struct html *h, const struct pform *fm)
{
	struct buf  desc;
	const char *v = req_param(r, "form");
	int	    i, sel;

	buf_init(&desc, 512);
	html_open(h, "div", "class", "field", NULL);
	field_head(r, h, fm, PF_FORM, 0, L(r, "Если не знаете, оставьте "
					      "«не выбрано».",
					      "If you do not know, leave "
					      "“not chosen”."), &desc);
	html_open(h, "select", "id", "f-form", "name", "form",
	    "aria-describedby", buf_str(&desc), "aria-invalid",
	    fm->err[PF_FORM] != NULL ? "true" : NULL, NULL);
	html_elem(h, "option", L(r, "— не выбрано —", "— not chosen —"),
	    "value", "", NULL);
	/* The internal processes of employees are not a client's matter. */
	for (i = 0; fb_forms[i].code != NULL; i++) {
		if (strcmp(fb_forms[i].code, "internal") == 0)
			continue;
		sel = v != NULL && strcmp(v, fb_forms[i].code) == 0;
		html_elem(h, "option", L(r, fb_forms[i].title_ru,
					    fb_forms[i].title_en),
		    "value", fb_forms[i].code, "selected", sel ? "" : NULL,
		    NULL);
	}
	html_close(h);
	html_close(h);
	buf_free(&desc);
}

/* The published touchpoints, grouped by area. */
static void
touchpoint_select(struct req *r, struct html *h, const struct pform *fm,
    const struct registry *reg)
{
	struct buf  desc;
	const char *v = req_param(r, "touchpoint"), *area = NULL;
	char	    id[24];
	size_t	    i;

	if (reg == NULL || reg->n == 0)
		return;
	buf_init(&desc, 512);
	html_open(h, "div", "class", "field", NULL);
	field_head(r, h, fm, PF_TOUCHPOINT, 0,
	    L(r, "Где вы столкнулись с тем, о чём пишете: сайт, телефон, "
		 "приёмная…",
		"Where you met what you write about: the site, a phone line, "
		"a reception…"), &desc);
	html_open(h, "select", "id", "f-touchpoint", "name", "touchpoint",
	    "aria-describedby", buf_str(&desc), "aria-invalid",
	    fm->err[PF_TOUCHPOINT] != NULL ? "true" : NULL, NULL);
	html_elem(h, "option", L(r, "— не выбрано —", "— not chosen —"),
	    "value", "", NULL);
	for (i = 0; i < reg->n; i++) {
		if (area == NULL || strcmp(area, reg->v[i].area) != 0) {
			if (area != NULL)
				html_close(h);
			area = reg->v[i].area;
			html_open(h, "optgroup", "label", area, NULL);
		}
		snprintf(id, sizeof(id), "%lld", (long long)reg->v[i].id);
		html_elem(h, "option", reg->v[i].name, "value", id, "selected",
		    v != NULL && strcmp(v, id) == 0 ? "" : NULL, NULL);
	}
	if (area != NULL)
		html_close(h);
	html_close(h);
	html_close(h);
	buf_free(&desc);
}

/* The text of the consent of R-PD-1: operator, purpose, data, actions,
 * term, withdrawal.  Its version is the text_version pd_basis records. */
static void
consent_text(struct req *r, struct html *h)
{
	html_open(h, "div", "class", "consent", "id", "consent-text", NULL);
	html_open(h, "p", NULL);
	html_text(h, L(r, "Я даю согласие оператору — ", "I consent to the "
							  "operator, "));
	html_elem(h, "strong", r->org->name, NULL);
	html_text(h, L(r, " — на обработку моих персональных данных: "
			  "фамилии, имени, отчества, адреса электронной "
			  "почты, номера телефона и почтового адреса (тех из "
			  "них, что я указал(а) в этой форме).",
			  ", processing my personal data: my full name, "
			  "e-mail address, phone number and postal address "
			  "(those of them I gave in this form)."));
	html_close(h);
	html_elem(h, "p", L(r, "Цель обработки: рассмотрение моего сообщения "
			       "и ответ на него.",
			       "Purpose: considering my message and "
			       "answering it."), NULL);
	html_elem(h, "p", L(r, "Действия с данными: сбор, запись, "
			       "систематизация, накопление, хранение, "
			       "уточнение, извлечение, использование, удаление "
			       "и уничтожение, с использованием средств "
			       "автоматизации и без них. Данные не передаются "
			       "третьим лицам и не публикуются.",
			       "Actions: collection, recording, "
			       "systematization, accumulation, storage, "
			       "clarification, retrieval, use, erasure and "
			       "destruction, automated and not.  The data is "
			       "neither passed on nor published."), NULL);
	html_elem(h, "p", L(r, "Срок: пять лет со дня отправки сообщения или "
			       "до отзыва согласия.",
			       "Term: five years from sending the message, or "
			       "until the consent is withdrawn."), NULL);
	html_elem(h, "p", L(r, "Отозвать согласие можно в любой момент на "
			       "странице «Мои сообщения» с ключом истории, "
			       "который вы получите после отправки, или "
			       "письменным заявлением оператору. После отзыва "
			       "данные уничтожаются в течение 30 дней, если "
			       "для их обработки не остаётся другого "
			       "законного основания (Федеральный закон "
			       "от 27.07.2006 № 152-ФЗ «О персональных "
			       "данных»).",
			       "You can withdraw the consent at any time on "
			       "the “My messages” page with the history key "
			       "you get after sending, or by a written "
			       "statement to the operator.  After that the "
			       "data is destroyed within 30 days unless "
			       "another legal basis for it remains (Federal "
			       "Law No. 152-FZ of 27.07.2006 “On Personal "
			       "Data”)."), NULL);
	html_close(h);
}

/* The consent, a separate document of its own (R-PD-1): its full text
 * above its own checkbox. */
static void
consent_fieldset(struct req *r, struct html *h, const struct pform *fm)
{
	const char *v = req_param(r, "consent");
	struct buf  desc;

	html_open(h, "fieldset", NULL);
	html_elem(h, "legend", L(r, "Согласие на обработку персональных "
				     "данных",
				     "Consent to the processing of personal "
				     "data"), NULL);
	html_elem(h, "p", L(r, "Нужно, только если вы оставляете контакты "
			       "с предложением или отзывом. Для обращения и "
			       "жалобы контакты обрабатываются для ответа по "
			       "закону (59-ФЗ), согласие не требуется.",
			       "Needed only when you leave contact details "
			       "with a proposal or a comment.  For an appeal "
			       "or a complaint the law (59-FZ) provides for "
			       "processing them to answer; no consent is "
			       "needed."),
	    "class", "hint", "id", "f-consent-hint", NULL);
	consent_text(r, h);
	buf_init(&desc, 256);
	buf_puts(&desc, "f-consent-hint");
	field_error(r, h, fm, PF_CONSENT, &desc);
	html_open(h, "div", "class", "check", NULL);
	html_void(h, "input", "type", "checkbox", "id", "f-consent",
	    "name", "consent", "value", "1", "checked",
	    v != NULL && strcmp(v, "1") == 0 ? "" : NULL,
	    "aria-describedby", buf_str(&desc), "aria-invalid",
	    fm->err[PF_CONSENT] != NULL ? "true" : NULL, NULL);
	html_elem(h, "label", L(r, "Я согласен(на) на обработку "
				    "моих персональных данных на "
				    "этих условиях",
				    "I consent to the processing of "
				    "my personal data on these "
				    "terms"), "for", "f-consent", NULL);
	html_close(h);
	buf_free(&desc);
	html_close(h);	/* fieldset */
}

static void
steps(struct req *r, struct html *h, int step)
{
	char line[96];

	snprintf(line, sizeof(line), "%s %d %s 2: %s", L(r, "Шаг", "Step"),
	    step, L(r, "из", "of"), step == 1 ? L(r, "сообщение", "message")
					      : L(r, "подтверждение",
						    "confirmation"));
	html_elem(h, "p", line, "class", "steps", NULL);
}

static void
form_page(struct req *r, int status, const struct pform *fm,
    const struct registry *reg, const char *once)
{
	static const char *const reply_values[] = {"1", "0"};
	const char *kind_labels[nitems(public_kinds)], *reply_labels[2];
	const char *anon = req_param(r, "anonymous");
	char	   *action = ui_opath(r, "/feedback"), *track = ui_opath(r, "/track");
	char	   *my = ui_opath(r, "/my");
	struct html h;
	size_t	    i;
	int	    d;

	for (i = 0; i < nitems(public_kinds); i++)
		kind_labels[i] = kind_title(r, public_kinds[i]);
	reply_labels[0] = L(r, "Анонимно, без ответа",
	    "Anonymously, without an answer");
	reply_labels[1] = L(r, "Я хочу получить ответ — укажу контакты",
	    "I want an answer: here are my contact details");

	ui_begin(r, &h, L(r, "Обратная связь", "Feedback"));
	html_elem(&h, "h1", L(r, "Обратная связь", "Feedback"), NULL);
	html_elem(&h, "p", r->org->name, "class", "org", NULL);
	steps(r, &h, 1);
	error_summary(r, &h, fm);
	html_open(&h, "p", NULL);
	html_text(&h, L(r, "Напишите обращение, жалобу, предложение или "
			   "отзыв. Вы получите код, по которому можно "
			   "следить за рассмотрением на странице ",
			   "Write an appeal, a complaint, a proposal or a "
			   "comment.  You will get a code to follow its "
			   "handling on the page "));
	html_elem(&h, "a", L(r, "«Статус сообщения»", "“Message status”"),
	    "href", track, NULL);
	html_text(&h, ".");
	html_close(&h);
	html_elem(&h, "p", L(r, "Поля, отмеченные звёздочкой (*), "
				"обязательны.",
				"Fields marked with an asterisk (*) are "
				"required."), "class", "hint", NULL);

	d = html_open(&h, "form", "method", "post", "action", action, "class",
	    "stack", "novalidate", "", NULL);
	html_open(&h, "fieldset", NULL);
	html_elem(&h, "legend", L(r, "Сообщение", "The message"), NULL);
	radio_field(r, &h, fm, PF_KIND, public_kinds, kind_labels,
	    nitems(public_kinds), req_param(r, "kind"),
	    L(r, "Обращение и жалоба рассматриваются в срок до 30 дней "
		 "(Федеральный закон № 59-ФЗ).",
		"Appeals and complaints are answered within 30 days "
		"(Federal Law No. 59-FZ)."));
	form_select(r, &h, fm);
	touchpoint_select(r, &h, fm, reg);
	input_field(r, &h, fm, PF_SUBJECT, "text", "off", 0,
	    L(r, "Коротко, в нескольких словах.", "Briefly, in a few words."));
	textarea_field(r, &h, fm, PF_TEXT, "off", "8", 1,
	    L(r, "Не более 20 000 байт — около 10 000 букв русского текста.",
		"At most 20,000 bytes: about 10,000 Cyrillic or 20,000 Latin "
		"letters."));
	html_close(&h);	/* fieldset */

	html_open(&h, "fieldset", NULL);
	html_elem(&h, "legend", L(r, "Ответ и контактные данные",
				   "Answer and contact details"), NULL);
	radio_field(r, &h, fm, PF_ANON, reply_values, reply_labels, 2,
	    anon != NULL ? anon : "1",
	    L(r, "На анонимное сообщение ответ не направляется, но его "
		 "статус можно смотреть по коду.",
		"An anonymous message gets no answer, but its status can be "
		"followed with the code."));
	input_field(r, &h, fm, PF_NAME, "text", "name", 0, NULL);
	input_field(r, &h, fm, PF_EMAIL, "email", "email", 0,
	    L(r, "Например: ivanov@example.ru", "For example: "
						 "ivanov@example.ru"));
	input_field(r, &h, fm, PF_PHONE, "tel", "tel", 0,
	    L(r, "Например: +7 347 123-45-67", "For example: "
						"+7 347 123-45-67"));
	textarea_field(r, &h, fm, PF_ADDRESS, "street-address", "2", 0,
	    L(r, "Индекс, населённый пункт, улица, дом, квартира.",
		"Postcode, town, street, house, flat."));
	html_close(&h);	/* fieldset */

	consent_fieldset(r, &h, fm);

	html_open(&h, "fieldset", NULL);
	html_elem(&h, "legend", L(r, "Если вы уже писали нам",
				   "If you have written to us before"), NULL);
	input_field(r, &h, fm, PF_KEY, "text", "off", 0,
	    L(r, "Ключ истории из подтверждения прошлого сообщения: 64 знака. "
		 "С ним новое сообщение попадёт в вашу историю; выберите "
		 "«Я хочу получить ответ», контакты можно не повторять.",
		"The history key from the confirmation of an earlier message: "
		"64 characters.  With it the new message joins your history; "
		"choose “I want an answer”, no need to repeat your contact "
		"details."));
	html_close(&h);	/* fieldset */

	if (once != NULL)
		html_void(&h, "input", "type", "hidden", "name", "once",
		    "value", once, NULL);
	html_open(&h, "p", NULL);
	html_elem(&h, "button", L(r, "Отправить сообщение", "Send the message"),
	    "type", "submit", NULL);
	html_close_to(&h, d);

	html_open(&h, "p", NULL);
	html_elem(&h, "a", L(r, "Мои сообщения (по ключу истории)",
			       "My messages (with the history key)"),
	    "href", my, NULL);
	html_close(&h);
	quick_form(r, &h, "/{org}/feedback", action, NULL);
	ui_end(r, &h);
	if (r->status != 500)
		r->status = status;
	free(action);
	free(track);
	free(my);
}

/* The published registry, for the touchpoint field; empty if none. */
static void
published(struct req *r, struct registry *reg)
{
	struct err e;
	int64_t	   version, at;

	memset(reg, 0, sizeof(*reg));
	if (registry_published(r->db, r->org->id, &version, &at, &e) != 0 ||
	    version == 0)
		return;
	if (registry_load(r->db, r->org->id, version, reg, &e) != 0) {
		registry_free(reg);
		memset(reg, 0, sizeof(*reg));
		return;
	}
	registry_sort(reg);
}

static void
new_once(char out[ONCE_LEN + 1])
{
	unsigned char b[ONCE_LEN / 2];

	randombytes_buf(b, sizeof(b));
	sodium_bin2hex(out, ONCE_LEN + 1, b, sizeof(b));
}

int
ui_fb_form(struct req *r)
{
	struct registry reg;
	struct pform	fm = {0};
	char		once[ONCE_LEN + 1];
	int64_t		tp;

	if (!site_channel(r, &tp))
		return site_closed(r);
	published(r, &reg);
	new_once(once);
	form_page(r, 200, &fm, &reg, once);
	registry_free(&reg);
	return 0;
}

/* What to tell the client about a field fb_validate() refused. */
static const char *
field_message(struct req *r, enum pf f, const struct send_job *j)
{
	switch (f) {
	case PF_KIND:
		return L(r, "выберите вид сообщения.",
		    "choose the kind of message.");
	case PF_FORM:
		return L(r, "выберите значение из списка.",
		    "choose one of the list.");
	case PF_TOUCHPOINT:
		return L(r, "выберите точку взаимодействия из списка.",
		    "choose a touchpoint of the list.");
	case PF_SUBJECT:
		return L(r, "не длиннее 500 байт (около 250 букв), без "
			    "управляющих символов.",
		    "at most 500 bytes (about 250 Cyrillic letters), without "
		    "control characters.");
	case PF_TEXT:
		return j->m.text == NULL
		    ? L(r, "напишите текст сообщения.",
			"write the text of your message.")
		    : L(r, "не длиннее 20 000 байт (около 10 000 букв), без "
			   "управляющих символов.",
			"at most 20,000 bytes (about 10,000 Cyrillic "
			"letters), without control characters.");
	case PF_NAME:
		return L(r, "не длиннее 1000 байт, одной строкой.",
		    "at most 1,000 bytes, on one line.");
	case PF_EMAIL:
		return j->c.email != NULL
		    ? L(r, "укажите адрес полностью, например "
			   "ivanov@example.ru.",
			"give the whole address, e.g. ivanov@example.ru.")
		    : L(r, "для ответа укажите электронную почту, телефон или "
			   "почтовый адрес.",
			"give an e-mail address, a phone or a postal address "
			"for the answer.");
	case PF_PHONE:
		return L(r, "от 5 до 20 цифр, можно со знаками + ( ) - и "
			    "пробелами, например +7 347 123-45-67.",
		    "5 to 20 digits, with + ( ) - and spaces if you like, e.g. "
		    "+7 347 123-45-67.");
	case PF_ADDRESS:
		return L(r, "не длиннее 1000 байт.", "at most 1,000 bytes.");
	case PF_CONSENT:
		return L(r, "контакты с предложением или отзывом можно "
			    "оставить только с согласием на их обработку: "
			    "отметьте согласие или выберите «Анонимно».",
		    "contact details with a proposal or a comment need the "
		    "consent to process them: tick it, or choose "
		    "“Anonymously”.");
	case PF_KEY:
		return L(r, "64 знака: цифры 0–9 и буквы a–f. Скопируйте ключ "
			    "из подтверждения прошлого сообщения.",
		    "64 characters: digits 0–9 and letters a–f.  Copy the key "
		    "from the confirmation of an earlier message.");
	default:
		return L(r, "неверное значение.", "not a valid value.");
	}
}

static void
form_error(struct pform *fm, enum pf f, const char *msg)
{
	if (fm->err[f] == NULL)
		fm->nerr++;
	fm->err[f] = msg;
}

static char *
param_dup(const struct req *r, const char *name)
{
	const char *v = req_param(r, name);

	return v != NULL && *v != '\0' ? xstrdup(v) : NULL;
}

/* The form's fields into the message and the contact; the checks that
 * belong to the form rather than to the message are made here. */
static void
send_parse(struct req *r, struct send_job *j, struct pform *fm)
{
	const char *v, *anon = req_param(r, "anonymous");
	size_t	    i;
	int	    found;

	fb_msg_init(&j->m);
	snprintf(j->m.channel, sizeof(j->m.channel), "site");
	snprintf(j->m.source, sizeof(j->m.source), "direct");
	snprintf(j->m.client, sizeof(j->m.client), "external");
	if ((v = req_param(r, "kind")) != NULL)
		snprintf(j->m.kind, sizeof(j->m.kind), "%s", v);
	if (j->m.kind[0] == '\0')
		form_error(fm, PF_KIND, field_message(r, PF_KIND, j));
	if ((v = req_param(r, "form")) != NULL)
		snprintf(j->m.form, sizeof(j->m.form), "%s", v);
	if ((v = req_param(r, "touchpoint")) != NULL && *v != '\0') {
		j->m.touchpoint_id = strtoll(v, NULL, 10);
		for (i = 0, found = 0; i < j->reg.n && !found; i++)
			found = j->reg.v[i].id == j->m.touchpoint_id;
		if (!found)
			form_error(fm, PF_TOUCHPOINT,
			    field_message(r, PF_TOUCHPOINT, j));
	}
	j->m.subject = param_dup(r, "subject");
	j->m.text = param_dup(r, "text");
	if (str_empty(j->m.text))
		form_error(fm, PF_TEXT, L(r, "напишите текст сообщения.",
					    "write the text of your message."));
	/* A form sent twice (a double click, "resend" after a lost answer)
	 * is one message: the form's one-time id makes it idempotent. */
	if ((v = req_param(r, "once")) != NULL && *v != '\0')
		j->m.external_id = xasprintf("site-form:%s", v);

	j->c.name = param_dup(r, "name");
	j->c.email = param_dup(r, "email");
	j->c.phone = param_dup(r, "phone");
	j->c.address = param_dup(r, "address");
	j->c.key = param_dup(r, "key");
	j->c.consent = (v = req_param(r, "consent")) != NULL &&
	    strcmp(v, "1") == 0;
	/* The form always sends the choice; a client that does not means
	 * what its fields say. */
	if (anon != NULL ? strcmp(anon, "1") == 0 : fb_contact_empty(&j->c)) {
		/* Anonymous: nothing may tie the message to the client. */
		if (!fb_contact_empty(&j->c))
			form_error(fm, PF_ANON,
			    L(r, "вы выбрали «Анонимно», но заполнили "
				 "контакты или ключ истории: выберите «Я хочу "
				 "получить ответ» или очистите эти поля.",
				"you chose “Anonymously” but gave contact "
				"details or a history key: choose “I want an "
				"answer”, or clear those fields."));
	} else if (str_empty(j->c.email) && str_empty(j->c.phone) &&
	    str_empty(j->c.address) && str_empty(j->c.key))
		form_error(fm, PF_EMAIL,
		    L(r, "для ответа укажите электронную почту, телефон или "
			 "почтовый адрес — или выберите «Анонимно».",
			"give an e-mail address, a phone or a postal address "
			"for the answer, or choose “Anonymously”."));
}

static enum pf
pf_find(const char *name)
{
	int f;

	for (f = 0; f < PF__COUNT; f++)
		if (strcmp(pfields[f].name, name) == 0)
			return (enum pf)f;
	return PF__COUNT;
}

/* On the writer thread, inside its transaction. */
static int
send_write(struct req *r, struct db *db, struct err *e)
{
	struct send_job	     *j = r->job;
	const struct fb_conf *conf;
	int		      rc;

	if ((conf = ingest_conf(r->org->id, e)) == NULL)
		return -1;
	rc = fb_insert(db, conf, ACTOR, &j->m, &j->c, j->key, e);
	if (rc < 0)
		return -1;
	j->dup = rc == 1;
	return 0;
}

/*
 * After the commit (or its failure), on the writer thread: no r->db here.
 * A message with contact details gets its history key in this very answer
 * — not through a redirect, whose address would carry it into logs — and
 * a form sent again (j->dup) only its code: the key was shown the first
 * time and is not kept.
 */
static void
send_done(struct req *r, const struct err *e)
{
	struct send_job *j = r->job;
	struct pform	 fm = {0};
	char		*loc;

	if (e != NULL && e->code == EXIT_DATAERR) {
		/* Refused by the store: a key or touchpoint it does not
		 * know (checked only there, against the committed data). */
		if (strstr(e->msg, "key") != NULL)
			form_error(&fm, PF_KEY,
			    L(r, "такой ключ истории не найден; проверьте его "
				 "или очистите поле.",
				"no such history key; check it or clear the "
				"field."));
		else if (strstr(e->msg, "touchpoint") != NULL)
			form_error(&fm, PF_TOUCHPOINT,
			    field_message(r, PF_TOUCHPOINT, j));
		else
			fm.alert = L(r, "Сообщение не принято.",
			    "The message was not accepted.");
		form_page(r, 400, &fm, &j->reg, req_param(r, "once"));
		return;
	}
	if (e != NULL) {
		req_error(r, 500, NULL, L(r, "Сообщение не сохранено из-за "
					    "ошибки сервера. Отправьте его "
					    "ещё раз.",
					    "The message was not saved because "
					    "of a server error.  Send it "
					    "again."));
		return;
	}
	if (j->key[0] != '\0' && !j->dup) {
		no_store(r);
		sent_page(r, j->m.code, j->key);
		sodium_memzero(j->key, sizeof(j->key));
		return;
	}
	loc = xasprintf("/%s/feedback/sent/%s", r->org->slug, j->m.code);
	req_redirect(r, loc);
	free(loc);
}

int
ui_fb_send(struct req *r)
{
	struct send_job *j;
	struct pform	 fm = {0};
	struct err	 e;
	const char	*field;
	int64_t		 tp;
	enum pf		 f;

	if (!site_channel(r, &tp))
		return site_closed(r);
	j = xcalloc(1, sizeof(*j));
	published(r, &j->reg);
	send_parse(r, j, &fm);
	if (fm.nerr == 0 && fb_validate(&j->m, &j->c, &field, &e) != 0) {
		if ((f = pf_find(field)) != PF__COUNT)
			form_error(&fm, f, field_message(r, f, j));
		else
			fm.alert = L(r, "Сообщение не принято: неверное "
				       "значение поля.",
				"The message was not accepted: a field has a "
				"wrong value.");
	}
	if (fm.nerr > 0 || fm.alert != NULL) {
		form_page(r, 400, &fm, &j->reg, req_param(r, "once"));
		send_job_free(j);
		return 0;
	}
	r->job = j;
	r->job_free = send_job_free;
	if (req_defer(r, send_write, send_done) != 0)
		return busy(r);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The confirmation.                                                   */

static void
sent_page(struct req *r, const char *code, const char *key)
{
	struct html h;
	char	   *track, *my = ui_opath(r, "/my"), *self;
	int	    d;

	track = xasprintf("/%s/track/%s", r->org->slug, code);
	self = ui_opath(r, "/feedback");
	ui_begin(r, &h, L(r, "Сообщение отправлено", "Message sent"));
	html_elem(&h, "h1", L(r, "Сообщение отправлено", "Message sent"),
	    NULL);
	html_elem(&h, "p", r->org->name, "class", "org", NULL);
	steps(r, &h, 2);
	d = html_open(&h, "div", "class", "notice", "role", "status", NULL);
	html_elem(&h, "p", L(r, "Ваш код для отслеживания:",
			       "Your tracking code:"), NULL);
	html_elem(&h, "p", code, "class", "code", "id", "tracking-code", NULL);
	html_elem(&h, "p", L(r, "Запишите его: по коду можно узнать, как "
			       "идёт рассмотрение, и прочитать ответ.",
			       "Write it down: with the code you can follow "
			       "the handling and read the answer."), NULL);
	html_close_to(&h, d);
	html_open(&h, "p", NULL);
	html_elem(&h, "a", L(r, "Посмотреть статус сообщения",
			       "See the status of the message"),
	    "href", track, NULL);
	html_close(&h);

	if (key != NULL) {
		d = html_open(&h, "section", "class", "key-box",
		    "aria-labelledby", "key-title", NULL);
		html_elem(&h, "h2", L(r, "Ваш ключ истории",
					"Your history key"), "id", "key-title",
		    NULL);
		html_elem(&h, "p", L(r, "Ключ показывается только один раз и "
				       "нигде не хранится в открытом виде: "
				       "сохраните его. С ним можно увидеть все "
				       "ваши сообщения, добавить к ним новые "
				       "и отозвать согласие на обработку "
				       "персональных данных. Никому его не "
				       "сообщайте.",
				       "The key is shown only this once and is "
				       "not kept anywhere in the clear: save "
				       "it.  With it you can see all your "
				       "messages, add new ones to them and "
				       "withdraw your consent to the "
				       "processing of personal data.  Do not "
				       "tell it to anyone."), "id", "key-hint",
		    NULL);
		html_elem(&h, "p", key, "class", "key", "id", "history-key",
		    NULL);
		html_open(&h, "form", "method", "post", "action", my, NULL);
		html_void(&h, "input", "type", "hidden", "name", "key",
		    "value", key, NULL);
		html_elem(&h, "button", L(r, "Открыть мои сообщения",
					    "Open my messages"),
		    "type", "submit", "class", "secondary", NULL);
		html_close_to(&h, d);
	}
	html_open(&h, "p", NULL);
	html_elem(&h, "a", L(r, "Написать ещё одно сообщение",
			       "Write another message"), "href", self, NULL);
	html_close(&h);
	quick_form(r, &h, "/{org}/feedback/sent/{name}",
	    key == NULL ? r->path : self, NULL);
	ui_end(r, &h);
	free(track);
	free(my);
	free(self);
}

/* The {name} segment: the last capture. */
static const char *
capture_name(const struct req *r)
{
	return r->ncapture > 0 ? r->capture[r->ncapture - 1] : NULL;
}

/* A message of this organization by its code; 0, or -1 (answered). */
static int
load_message(struct req *r, const char *name, struct fb_msg *m)
{
	struct err e;
	char	   code[FB_CODE_LEN + 1];

	fb_msg_init(m);
	if (code_normalize(name, code) != 0 ||
	    fb_get_code(r->db, code, m, &e) != 0 || m->org_id != r->org->id) {
		fb_msg_clear(m);
		req_error(r, 404, NULL, L(r, "Сообщения с таким кодом нет. "
					    "Проверьте код.",
					    "There is no message with this "
					    "code.  Check the code."));
		return -1;
	}
	return 0;
}

int
ui_fb_sent(struct req *r)
{
	struct fb_msg m;

	if (load_message(r, capture_name(r), &m) != 0)
		return 0;
	sent_page(r, m.code, NULL);
	fb_msg_clear(&m);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Tracking.                                                           */

static void
track_form(struct req *r, int status, const char *err)
{
	struct html h;
	char	   *action = ui_opath(r, "/track");
	int	    d;

	ui_begin(r, &h, L(r, "Статус сообщения", "Message status"));
	html_elem(&h, "h1", L(r, "Статус сообщения", "Message status"), NULL);
	html_elem(&h, "p", r->org->name, "class", "org", NULL);
	if (err != NULL) {
		html_open(&h, "div", "class", "alert", "role", "alert",
		    "tabindex", "-1", "autofocus", "", "id", "errors", NULL);
		html_open(&h, "p", NULL);
		html_open(&h, "a", "href", "#f-code", NULL);
		html_text(&h, L(r, "Код: ", "Code: "));
		html_text(&h, err);
		html_close(&h);
		html_close(&h);
		html_close(&h);
	}
	d = html_open(&h, "form", "method", "get", "action", action, "class",
	    "stack", "novalidate", "", NULL);
	html_elem(&h, "label", L(r, "Код сообщения", "Message code"), "for",
	    "f-code", "class", "required", NULL);
	html_elem(&h, "p", L(r, "10 знаков из подтверждения, например "
			       "K7M4-Q2XP9D.",
			       "10 characters from the confirmation, e.g. "
			       "K7M4-Q2XP9D."), "class", "hint", "id",
	    "f-code-hint", NULL);
	if (err != NULL) {
		html_open(&h, "p", "class", "error", "id", "f-code-err", NULL);
		html_elem(&h, "strong", L(r, "Ошибка:", "Error:"), NULL);
		html_text(&h, " ");
		html_text(&h, err);
		html_close(&h);
	}
	html_void(&h, "input", "type", "text", "id", "f-code", "name", "code",
	    "value", req_param(r, "code"), "required", "", "autocomplete",
	    "off", "autocapitalize", "characters", "spellcheck", "false",
	    "aria-describedby", err != NULL ? "f-code-hint f-code-err"
					    : "f-code-hint",
	    "aria-invalid", err != NULL ? "true" : NULL, NULL);
	html_open(&h, "p", NULL);
	html_elem(&h, "button", L(r, "Показать статус", "Show the status"),
	    "type", "submit", NULL);
	html_close_to(&h, d);
	quick_form(r, &h, "/{org}/track", action, NULL);
	ui_end(r, &h);
	if (r->status != 500)
		r->status = status;
	free(action);
}

int
ui_fb_track_form(struct req *r)
{
	const char   *v = req_param(r, "code");
	struct fb_msg m;
	struct err    e;
	char	      code[FB_CODE_LEN + 1], *loc;

	if (v == NULL || *v == '\0') {
		track_form(r, v == NULL ? 200 : 400, v == NULL ? NULL
		    : L(r, "введите код.", "enter the code."));
		return 0;
	}
	if (code_normalize(v, code) != 0) {
		track_form(r, 400, L(r, "код состоит из 10 латинских букв и "
					"цифр, например K7M4-Q2XP9D.",
					"the code is 10 Latin letters and "
					"digits, e.g. K7M4-Q2XP9D."));
		return 0;
	}
	fb_msg_init(&m);
	if (fb_get_code(r->db, code, &m, &e) != 0 || m.org_id != r->org->id) {
		fb_msg_clear(&m);
		track_form(r, 404, L(r, "сообщения с таким кодом нет; "
					"проверьте код.",
					"there is no message with this code; "
					"check it."));
		return 0;
	}
	fb_msg_clear(&m);
	loc = xasprintf("/%s/track/%s", r->org->slug, code);
	req_redirect(r, loc);
	free(loc);
	return 0;
}

/* What a state means for the client, in a sentence. */
static const char *
state_explained(const struct req *r, const char *state)
{
	if (strcmp(state, "registered") == 0)
		return L(r, "Сообщение получено и зарегистрировано.",
		    "The message has been received and registered.");
	if (strcmp(state, "acknowledged") == 0)
		return L(r, "Получение подтверждено, сообщение ждёт "
			    "рассмотрения.",
		    "Receipt confirmed; the message awaits handling.");
	if (strcmp(state, "in_work") == 0)
		return L(r, "Сообщение рассматривается.",
		    "The message is being handled.");
	if (strcmp(state, "answered") == 0)
		return L(r, "Дан ответ — он ниже.",
		    "It has been answered: the answer is below.");
	if (strcmp(state, "closed") == 0)
		return L(r, "Рассмотрение завершено.", "Handling is complete.");
	return "";
}

/* One step of the history in words, or NULL for the internal ones
 * (assignment, classification) that say nothing to the client. */
static const char *
event_words(const struct req *r, const struct fb_event *ev)
{
	if (ev->action != NULL && strstr(ev->action, "extend") != NULL)
		return L(r, "Срок ответа продлён (59-ФЗ)",
		    "The answer deadline was extended (59-FZ)");
	if (ev->action != NULL && strcmp(ev->action, "client_solved") == 0)
		return L(r, "Вы подтвердили, что проблема решена; закрыто",
		    "You confirmed the problem is solved; closed");
	if (ev->action != NULL && strcmp(ev->action, "client_not_solved") == 0)
		return L(r, "Вы ответили, что проблема не решена; возвращено "
			    "в работу",
		    "You said the problem is not solved; back in work");
	if (ev->action != NULL && strstr(ev->action, "reopen") != NULL)
		return L(r, "Возвращено в работу", "Reopened");
	if (ev->to_state != NULL && *ev->to_state != '\0' &&
	    (ev->from_state == NULL ||
		strcmp(ev->from_state, ev->to_state) != 0))
		return code_title(r, fb_states, ev->to_state);
	return NULL;
}

static void
dl_item(struct html *h, const char *term, const char *value)
{
	html_elem(h, "dt", term, NULL);
	html_elem(h, "dd", value, NULL);
}

static void
stamp_item(struct req *r, struct html *h, const char *term, int64_t t)
{
	char s[40];

	if (t == 0)
		return;
	ui_when(r, t, s);
	dl_item(h, term, s);
}

static void
track_timeline(struct req *r, struct html *h, const struct fb_msg *m)
{
	struct fb_event *ev;
	struct err	 e;
	const char	*w;
	char		 s[40];
	int		 n, i;

	if ((n = fb_events(r->db, m->id, &ev, &e)) < 0)
		return;
	html_elem(h, "h2", L(r, "Ход рассмотрения", "Handling so far"),
	    "id", "timeline-title", NULL);
	html_open(h, "ol", "class", "timeline", "aria-labelledby",
	    "timeline-title", NULL);
	for (i = 0; i < n; i++) {
		if ((w = event_words(r, &ev[i])) == NULL)
			continue;
		ui_when(r, ev[i].at, s);
		html_open(h, "li", NULL);
		html_elem(h, "span", s, "class", "when", NULL);
		html_text(h, " — ");
		html_text(h, w);
		html_close(h);
	}
	html_close(h);
	fb_events_free(ev, n);
}

static void
track_reply_form(struct req *r, struct html *h, const struct fb_msg *m)
{
	char *action = xasprintf("/%s/track/%s", r->org->slug, m->code);
	int   d;

	d = html_open(h, "section", "class", "reply", "aria-labelledby",
	    "solved-title", NULL);
	html_elem(h, "h2", L(r, "Решена ли ваша проблема?",
			       "Is your problem solved?"), "id",
	    "solved-title", NULL);
	html_elem(h, "p", L(r, "Если нет, сообщение вернётся в работу и "
			       "будет рассмотрено снова.",
			       "If not, the message goes back into work and "
			       "is handled again."), "class", "hint", NULL);
	html_open(h, "form", "method", "post", "action", action, "class",
	    "actions", NULL);
	html_elem(h, "button", L(r, "Да, проблема решена",
				   "Yes, it is solved"), "type", "submit",
	    "name", "solved", "value", "1", NULL);
	html_elem(h, "button", L(r, "Нет, проблема не решена",
				   "No, it is not solved"), "type", "submit",
	    "name", "solved", "value", "0", "class", "secondary", NULL);
	html_close_to(h, d);
	free(action);
}

static void
track_page(struct req *r, int status, const struct fb_msg *m,
    const char *notice, const char *alert)
{
	struct html h;
	char	    title[64], s[40], *self;
	int	    d;

	snprintf(title, sizeof(title), "%s %s", L(r, "Сообщение",
						   "Message"), m->code);
	ui_begin(r, &h, title);
	html_elem(&h, "h1", title, NULL);
	html_elem(&h, "p", r->org->name, "class", "org", NULL);
	if (notice != NULL)
		html_elem(&h, "p", notice, "class", "notice", "role", "status",
		    NULL);
	if (alert != NULL)
		html_elem(&h, "p", alert, "class", "alert", "role", "alert",
		    NULL);
	d = html_open(&h, "dl", "class", "summary", NULL);
	dl_item(&h, L(r, "Вид", "Kind"), kind_title(r, m->kind));
	stamp_item(r, &h, L(r, "Получено", "Received"), m->received_at);
	html_elem(&h, "dt", L(r, "Статус", "Status"), NULL);
	html_open(&h, "dd", NULL);
	html_elem(&h, "strong", code_title(r, fb_states, m->state), "class",
	    "state", NULL);
	html_text(&h, ". ");
	html_text(&h, state_explained(r, m->state));
	html_close(&h);
	if (strcmp(m->state, "registered") == 0)
		stamp_item(r, &h, L(r, "Подтвердить получение до",
				    "Receipt to be confirmed by"), m->ack_due);
	if (m->answer_due != 0 && m->answered_at == 0) {
		ui_when(r, m->answer_due, s);
		if (m->extended)
			snprintf(s + strlen(s), sizeof(s) - strlen(s), " %s",
			    L(r, "(продлён)", "(extended)"));
		dl_item(&h, L(r, "Срок ответа", "Answer due by"), s);
	}
	stamp_item(r, &h, L(r, "Ответ дан", "Answered"), m->answered_at);
	stamp_item(r, &h, L(r, "Закрыто", "Closed"), m->closed_at);
	if (m->outcome[0] != '\0')
		dl_item(&h, L(r, "Итог по жалобе", "Outcome of the complaint"),
		    code_title(r, fb_outcomes, m->outcome));
	if (m->solved >= 0)
		dl_item(&h, L(r, "Ваша оценка ответа", "Your verdict"),
		    m->solved ? L(r, "проблема решена", "solved")
			      : L(r, "проблема не решена", "not solved"));
	html_close_to(&h, d);

	track_timeline(r, &h, m);
	if (m->answer != NULL && *m->answer != '\0') {
		d = html_open(&h, "section", "aria-labelledby", "answer-title",
		    NULL);
		html_elem(&h, "h2", L(r, "Ответ", "The answer"), "id",
		    "answer-title", NULL);
		html_elem(&h, "div", m->answer, "class", "answer", NULL);
		html_close_to(&h, d);
		if (m->solved < 0 && (strcmp(m->state, "answered") == 0 ||
					 strcmp(m->state, "closed") == 0))
			track_reply_form(r, &h, m);
	}
	self = xasprintf("/%s/track/%s", r->org->slug, m->code);
	quick_form(r, &h, "/{org}/track/{name}", self, NULL);
	free(self);
	ui_end(r, &h);
	if (r->status != 500)
		r->status = status;
}

int
ui_fb_track(struct req *r)
{
	const char   *done = req_param(r, "done");
	const char   *notice = NULL;
	struct fb_msg m;

	if (load_message(r, capture_name(r), &m) != 0)
		return 0;
	if (done != NULL && strcmp(done, "closed") == 0)
		notice = L(r, "Спасибо! Вы подтвердили, что проблема решена; "
			      "сообщение закрыто.",
		    "Thank you!  You confirmed the problem is solved; the "
		    "message is closed.");
	else if (done != NULL && strcmp(done, "reopened") == 0)
		notice = L(r, "Сообщение возвращено в работу и будет "
			      "рассмотрено снова.",
		    "The message is back in work and will be handled again.");
	track_page(r, 200, &m, notice, NULL);
	fb_msg_clear(&m);
	return 0;
}

int
ui_fb_track_reply(struct req *r)
{
	const char     *v = req_param(r, "solved");
	struct fb_conf *conf;
	struct fb_msg	m;
	struct err	e;
	char	       *loc;
	int		solved;

	if (load_message(r, capture_name(r), &m) != 0)
		return 0;
	if (v == NULL || (strcmp(v, "1") != 0 && strcmp(v, "0") != 0)) {
		track_page(r, 400, &m, NULL, L(r, "Нажмите «Да» или «Нет».",
						"Press “Yes” or “No”."));
		goto out;
	}
	solved = strcmp(v, "1") == 0;
	if ((conf = fb_conf_load(r->db, r->org->id, &e)) == NULL) {
		req_error(r, 500, NULL, e.msg);
		goto out;
	}
	if (fb_client_reply(r->db, conf, m.code, solved, &e) != 0) {
		fb_conf_free(conf);
		if (e.code != EXIT_DATAERR) {
			req_error(r, 500, NULL, L(r, "Ответ не сохранён из-за "
						    "ошибки сервера.",
						    "Your reply was not saved "
						    "because of a server "
						    "error."));
			goto out;
		}
		track_page(r, 409, &m, NULL,
		    L(r, "Ответ на этот вопрос уже получен или сообщение "
			 "ещё не рассмотрено.",
			"This question has been answered already, or the "
			"message has not been answered yet."));
		goto out;
	}
	fb_conf_free(conf);
	loc = xasprintf("/%s/track/%s?done=%s", r->org->slug, m.code,
	    solved ? "closed" : "reopened");
	req_redirect(r, loc);
	free(loc);
out:
	fb_msg_clear(&m);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The client's history and consent (R-FB-4, R-PD-2).                 */

static void
my_form(struct req *r, int status, const char *err)
{
	struct html h;
	char	   *action = ui_opath(r, "/my");
	int	    d;

	no_store(r);
	ui_begin(r, &h, L(r, "Мои сообщения", "My messages"));
	html_elem(&h, "h1", L(r, "Мои сообщения", "My messages"), NULL);
	html_elem(&h, "p", r->org->name, "class", "org", NULL);
	if (err != NULL) {
		html_open(&h, "div", "class", "alert", "role", "alert",
		    "tabindex", "-1", "autofocus", "", "id", "errors", NULL);
		html_open(&h, "p", NULL);
		html_open(&h, "a", "href", "#f-key", NULL);
		html_text(&h, L(r, "Ключ истории: ", "History key: "));
		html_text(&h, err);
		html_close(&h);
		html_close(&h);
		html_close(&h);
	}
	html_elem(&h, "p", L(r, "Введите ключ истории, который вы получили "
			       "после отправки сообщения с контактными "
			       "данными.",
			       "Enter the history key you got after sending a "
			       "message with your contact details."), NULL);
	d = html_open(&h, "form", "method", "post", "action", action, "class",
	    "stack", "novalidate", "", NULL);
	html_elem(&h, "label", L(r, "Ключ истории", "History key"), "for",
	    "f-key", "class", "required", NULL);
	html_elem(&h, "p", L(r, "64 знака: цифры 0–9 и буквы a–f.",
			       "64 characters: digits 0–9 and letters a–f."),
	    "class", "hint", "id", "f-key-hint", NULL);
	if (err != NULL) {
		html_open(&h, "p", "class", "error", "id", "f-key-err", NULL);
		html_elem(&h, "strong", L(r, "Ошибка:", "Error:"), NULL);
		html_text(&h, " ");
		html_text(&h, err);
		html_close(&h);
	}
	html_void(&h, "input", "type", "text", "id", "f-key", "name", "key",
	    "required", "", "autocomplete", "off", "spellcheck", "false",
	    "aria-describedby", err != NULL ? "f-key-hint f-key-err"
					    : "f-key-hint",
	    "aria-invalid", err != NULL ? "true" : NULL, NULL);
	html_open(&h, "p", NULL);
	html_elem(&h, "button", L(r, "Показать", "Show"), "type", "submit",
	    NULL);
	html_close_to(&h, d);
	quick_form(r, &h, "/{org}/my", action, NULL);
	ui_end(r, &h);
	if (r->status != 500)
		r->status = status;
	free(action);
}

int
ui_fb_my_form(struct req *r)
{
	my_form(r, 200, NULL);
	return 0;
}

/* The key as typed, made canonical (lower case, no spaces); NULL if it
 * cannot be a key. */
static char *
key_normalize(const char *in)
{
	char  *k;
	size_t n = 0;

	if (in == NULL)
		return NULL;
	k = xcalloc(1, 65);
	for (; *in != '\0'; in++) {
		if (*in == ' ' || *in == '\t' || *in == '\n' || *in == '\r')
			continue;
		if (n == 64)
			goto bad;
		k[n++] = *in >= 'A' && *in <= 'F' ? (char)(*in - 'A' + 'a')
						  : *in;
	}
	if (n == 64 && hex_ok(k, 64))
		return k;
bad:
	sodium_memzero(k, 65);
	free(k);
	return NULL;
}

static void
history_page(struct req *r, const char *key, struct fb_msg *v, int n,
    const char *notice)
{
	struct html h;
	char	   *action = ui_opath(r, "/my/withdraw"), *href, s[40];
	int	    i, d;

	no_store(r);
	ui_begin(r, &h, L(r, "Мои сообщения", "My messages"));
	html_elem(&h, "h1", L(r, "Мои сообщения", "My messages"), NULL);
	html_elem(&h, "p", r->org->name, "class", "org", NULL);
	if (notice != NULL)
		html_elem(&h, "p", notice, "class", "notice", "role", "status",
		    "tabindex", "-1", "autofocus", "", NULL);
	html_open(&h, "div", "class", "table-wrap", NULL);
	d = html_open(&h, "table", NULL);
	html_elem(&h, "caption", L(r, "Ваши сообщения, новые сверху",
				     "Your messages, newest first"), NULL);
	html_open(&h, "thead", NULL);
	html_open(&h, "tr", NULL);
	html_elem(&h, "th", L(r, "Код", "Code"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Получено", "Received"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Вид", "Kind"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Тема", "Subject"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Статус", "Status"), "scope", "col", NULL);
	html_close(&h);
	html_close(&h);
	html_open(&h, "tbody", NULL);
	for (i = 0; i < n; i++) {
		href = xasprintf("/%s/track/%s", r->org->slug, v[i].code);
		html_open(&h, "tr", NULL);
		html_open(&h, "th", "scope", "row", NULL);
		html_elem(&h, "a", v[i].code, "href", href, NULL);
		html_close(&h);
		ui_when(r, v[i].received_at, s);
		html_elem(&h, "td", s, NULL);
		html_elem(&h, "td", kind_title(r, v[i].kind), NULL);
		html_elem(&h, "td", v[i].subject != NULL ? v[i].subject : "—",
		    NULL);
		html_elem(&h, "td", code_title(r, fb_states, v[i].state),
		    NULL);
		html_close(&h);
		free(href);
	}
	html_close_to(&h, d);
	html_close(&h);	/* div */

	d = html_open(&h, "section", "aria-labelledby", "withdraw-title",
	    NULL);
	html_elem(&h, "h2", L(r, "Отзыв согласия на обработку персональных "
				"данных",
				"Withdrawing the consent to the processing of "
				"personal data"), "id", "withdraw-title", NULL);
	html_elem(&h, "p", L(r, "После отзыва ваши контактные данные будут "
			       "уничтожены в течение 30 дней. Если по "
			       "обращению или жалобе ещё готовится ответ, "
			       "данные хранятся до ответа: этого требует "
			       "закон (59-ФЗ). Сами сообщения останутся, но "
			       "без ваших данных.",
			       "After withdrawal your contact details are "
			       "destroyed within 30 days.  If an appeal or a "
			       "complaint of yours is still being answered, "
			       "they are kept until the answer, as the law "
			       "(59-FZ) requires.  The messages themselves "
			       "stay, without your details."), "id",
	    "withdraw-hint", NULL);
	html_open(&h, "form", "method", "post", "action", action, NULL);
	html_void(&h, "input", "type", "hidden", "name", "key", "value", key,
	    NULL);
	html_elem(&h, "button", L(r, "Отозвать согласие",
				    "Withdraw the consent"), "type", "submit",
	    "class", "secondary", "aria-describedby", "withdraw-hint", NULL);
	html_close_to(&h, d);
	free(action);
	action = ui_opath(r, "/my");
	quick_form(r, &h, "/{org}/my", action, NULL);
	ui_end(r, &h);
	free(action);
}

/* The history of the key in the request, with a notice on top; the form
 * again when the key is not one. */
static int
history(struct req *r, const char *notice)
{
	struct fb_msg *v = NULL;
	struct err     e;
	char	      *key;
	int	       n, i;

	if ((key = key_normalize(req_param(r, "key"))) == NULL) {
		my_form(r, 400, str_empty(req_param(r, "key"))
		    ? L(r, "введите ключ.", "enter the key.")
		    : L(r, "ключ — 64 знака: цифры 0–9 и буквы a–f.",
			"the key is 64 characters: digits 0–9 and letters "
			"a–f."));
		return 0;
	}
	n = fb_history(r->db, r->org->id, key, &v, &e);
	if (n < 0 && e.code != EXIT_NOINPUT && e.code != EXIT_DATAERR) {
		req_error(r, 500, NULL, L(r, "Ошибка базы данных.",
					    "A database error."));
		goto out;
	}
	if (n <= 0) {
		my_form(r, 404, L(r, "такой ключ не найден.",
				   "there is no such key."));
		goto out;
	}
	history_page(r, key, v, n, notice);
out:
	for (i = 0; i < n; i++)
		fb_msg_clear(&v[i]);
	free(v);
	sodium_memzero(key, strlen(key));
	free(key);
	return 0;
}

int
ui_fb_my(struct req *r)
{
	return history(r, NULL);
}

int
ui_fb_withdraw(struct req *r)
{
	struct pd_withdrawal w;
	struct err	     e;
	char		    *key, day[11], *msg = NULL;
	int		     rc;

	if ((key = key_normalize(req_param(r, "key"))) == NULL)
		return history(r, NULL);
	memset(&w, 0, sizeof(w));
	rc = pd_withdraw(r->db, ACTOR, r->org->id, key, 0, "site",
	    clock_now(), &w, &e);
	sodium_memzero(key, strlen(key));
	free(key);
	if (rc != 0 && e.code == EXIT_NOINPUT) {
		my_form(r, 404, L(r, "такой ключ не найден, или ваши данные "
				     "уже уничтожены.",
				     "there is no such key, or your data has "
				     "been destroyed already."));
		return 0;
	}
	if (rc != 0)
		return req_error(r, 500, NULL, L(r, "Согласие не отозвано "
						   "из-за ошибки сервера.",
						   "The consent was not "
						   "withdrawn because of a "
						   "server error."));
	if (w.withdrawn == 0)
		return history(r, L(r, "Действующего согласия нет: отзывать "
				       "нечего.",
				       "There is no consent in force: nothing "
				       "to withdraw."));
	if (w.law_remains)
		return history(r, L(r, "Согласие отозвано. Данные хранятся "
				       "только для ответа на ваше обращение "
				       "(59-ФЗ) и будут уничтожены в течение "
				       "30 дней после него.",
				       "The consent is withdrawn.  The data is "
				       "kept only to answer your appeal "
				       "(59-FZ) and destroyed within 30 days "
				       "after that."));
	date_format_ru(date_local(w.destroy_by, r->org->tz), day);
	msg = xasprintf("%s %s.", L(r, "Согласие отозвано. Ваши контактные "
				    "данные будут уничтожены не позднее",
				    "The consent is withdrawn.  Your contact "
				    "details will be destroyed by"), day);
	rc = history(r, msg);
	free(msg);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Quick ratings.                                                      */

struct rate_job {
	struct fb_msg m;
	char	      back[2048];
};

static void
rate_job_free(void *p)
{
	struct rate_job *j = p;

	if (j == NULL)
		return;
	fb_msg_clear(&j->m);
	free(j);
}

static int
rate_write(struct req *r, struct db *db, struct err *e)
{
	struct rate_job	     *j = r->job;
	const struct fb_conf *conf;
	char		      key[65];

	if ((conf = ingest_conf(r->org->id, e)) == NULL)
		return -1;
	return fb_insert(db, conf, ACTOR, &j->m, NULL, key, e) < 0 ? -1 : 0;
}

static void
rate_done(struct req *r, const struct err *e)
{
	struct rate_job *j = r->job;
	struct buf	 loc;

	if (e != NULL) {
		req_error(r, 500, NULL, L(r, "Оценка не сохранена из-за ошибки "
					    "сервера.",
					    "The rating was not saved because "
					    "of a server error."));
		return;
	}
	buf_init(&loc, 4096);
	buf_printf(&loc, "/%s/rate/thanks", r->org->slug);
	if (j->back[0] != '\0') {
		buf_puts(&loc, "?back=");
		html_url_arg(&loc, j->back);
	}
	req_redirect(r, buf_str(&loc));
	buf_free(&loc);
}

static void
rate_page(struct req *r, int status, const char *err)
{
	struct html h;
	const char *page = req_param(r, "page");

	ui_begin(r, &h, L(r, "Оценка страницы", "Rating a page"));
	html_elem(&h, "h1", L(r, "Оценка страницы", "Rating a page"), NULL);
	html_open(&h, "div", "class", "alert", "role", "alert", "tabindex",
	    "-1", "autofocus", "", "id", "errors", NULL);
	html_open(&h, "p", NULL);
	html_elem(&h, "a", err, "href", "#quick-1", NULL);
	html_close(&h);
	html_close(&h);
	quick_form(r, &h, page != NULL ? page : "/{org}/feedback",
	    req_param(r, "back"), err);
	ui_end(r, &h);
	if (r->status != 500)
		r->status = status;
}

int
ui_fb_rate(struct req *r)
{
	const char	*rating = req_param(r, "rating");
	const char	*comment = req_param(r, "comment");
	const char	*page = req_param(r, "page");
	const char	*back = req_param(r, "back");
	struct rate_job *j;
	struct err	 e;
	const char	*field;
	int64_t		 tp;

	if (rating == NULL || *rating == '\0') {
		rate_page(r, 400, L(r, "выберите оценку от 1 до 5.",
				     "choose a rating from 1 to 5."));
		return 0;
	}
	if (comment != NULL && strlen(comment) > RATE_COMMENT_MAX) {
		rate_page(r, 400, L(r, "комментарий — не длиннее 2000 байт "
				     "(около 1000 букв).",
				     "the comment is at most 2,000 bytes "
				     "(about 1,000 Cyrillic letters)."));
		return 0;
	}
	site_channel(r, &tp);
	j = xcalloc(1, sizeof(*j));
	fb_msg_init(&j->m);
	snprintf(j->m.channel, sizeof(j->m.channel), "site");
	snprintf(j->m.source, sizeof(j->m.source), "direct");
	snprintf(j->m.client, sizeof(j->m.client), "external");
	snprintf(j->m.kind, sizeof(j->m.kind), "comment");
	snprintf(j->m.form, sizeof(j->m.form), "information");
	j->m.touchpoint_id = tp;
	j->m.rating = rating[0] - '0';
	/* The page's pattern, not its address: a tracking code in the
	 * address would tie the rating to a message. */
	j->m.subject = xasprintf("Оценка страницы %s",
	    page != NULL ? page : "(не указана)");
	j->m.text = !str_empty(comment) ? xstrdup(comment)
	    : xasprintf("Оценка %d из 5, без комментария.", j->m.rating);
	if (back_ok(r, back))
		snprintf(j->back, sizeof(j->back), "%s", back);
	if (fb_validate(&j->m, NULL, &field, &e) != 0) {
		rate_job_free(j);
		rate_page(r, 400, L(r, "комментарий — обычный текст без "
				     "управляющих символов.",
				     "the comment must be plain text without "
				     "control characters."));
		return 0;
	}
	r->job = j;
	r->job_free = rate_job_free;
	if (req_defer(r, rate_write, rate_done) != 0)
		return busy(r);
	return 0;
}

int
ui_fb_rate_thanks(struct req *r)
{
	struct html h;
	const char *back = req_param(r, "back");
	int	    d;

	ui_begin(r, &h, L(r, "Спасибо за оценку", "Thank you for the rating"));
	html_elem(&h, "h1", L(r, "Спасибо за оценку",
				"Thank you for the rating"), NULL);
	html_elem(&h, "p", L(r, "Ваша оценка принята. Она поможет сделать "
			       "страницы удобнее.",
			       "Your rating has been received.  It helps to "
			       "make the pages better."), "class", "notice",
	    "role", "status", NULL);
	d = html_open(&h, "p", NULL);
	if (back_ok(r, back))
		html_elem(&h, "a", L(r, "Вернуться на страницу",
				       "Back to the page"), "href", back, NULL);
	else
		html_elem(&h, "a", L(r, "На главную", "Home"), "href", "/",
		    NULL);
	html_close_to(&h, d);
	ui_end(r, &h);
	return 0;
}

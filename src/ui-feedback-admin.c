/*
 * The dictionaries of feedback in the browser (feedback_dict.c): topics
 * and reasons with their keywords and the classifier's measured accuracy,
 * the knowledge base of answer templates with a search by words, and the
 * channels with the service standards and the working hours.  Each list
 * has its add form; each row an edit form that can also deactivate it
 * (rows stay, since messages refer to them).  A refused value comes back
 * as the same form, marked at its field, with what was typed kept.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "classify.h"
#include "db.h"
#include "feedback_dict.h"
#include "html.h"
#include "http.h"
#include "org.h"
#include "registry.h"
#include "routes.h"
#include "session.h"
#include "ui.h"

#define HELD_OUT_EVERY 5	/* every 5th labelled message is held out */

/* A form's one error: which field, and why (the domain's message). */
struct ferr {
	const char *field;
	char	    msg[1100];
};

static void
ferr_set(struct ferr *fe, const char *field, const struct req *r,
    const struct err *e)
{
	fe->field = field != NULL ? field : "title";
	snprintf(fe->msg, sizeof(fe->msg), "%s%s", L(r, "неверное значение: ",
	    "wrong value: "), e->msg);
}

static const struct {
	const char *code, *ru, *en;
} notices[] = {
	{"added", "Добавлено.", "Added."},
	{"saved", "Сохранено.", "Saved."},
};

int
ui_fbd_check_done(const char *v, char *why, size_t len)
{
	size_t i;

	for (i = 0; i < nitems(notices); i++)
		if (strcmp(v, notices[i].code) == 0)
			return 0;
	snprintf(why, len, "not a known result");
	return -1;
}

int
ui_fbd_check_kind(const char *v, char *why, size_t len)
{
	if (fb_topic_kind_valid(v) == 0)
		return 0;
	snprintf(why, len, "expected topic or reason");
	return -1;
}

int
ui_fbd_check_std(const char *v, char *why, size_t len)
{
	if (std_from_code(v) >= 0)
		return 0;
	snprintf(why, len, "not a standard's code");
	return -1;
}

int
ui_fbd_check_unit(const char *v, char *why, size_t len)
{
	if (std_unit_from_code(v) >= 0)
		return 0;
	snprintf(why, len, "expected minutes, hours, days, workdays or count");
	return -1;
}

int
ui_fbd_check_time(const char *v, char *why, size_t len)
{
	if (fb_hours_parse(v) >= 0)
		return 0;
	snprintf(why, len, "expected a time HH:MM");
	return -1;
}

int
ui_fbd_check_client(const char *v, char *why, size_t len)
{
	return http_check_one_of(v, "external|internal|both", why, len);
}

static void
notice(struct req *r, struct html *h)
{
	const char *done = req_param(r, "done");
	size_t	    i;

	for (i = 0; done != NULL && i < nitems(notices); i++)
		if (strcmp(done, notices[i].code) == 0) {
			html_open(h, "div", "class", "notice", "role",
			    "status", NULL);
			html_elem(h, "p", L(r, notices[i].ru, notices[i].en),
			    NULL);
			html_close(h);
		}
}

/*
 * Form fields: a label, the error tied to the field, the value kept.
 */

static void
field_err(struct req *r, struct html *h, const struct ferr *fe,
    const char *name, const char *prefix, char *eid, size_t len)
{
	eid[0] = '\0';
	if (fe == NULL || fe->field == NULL || strcmp(fe->field, name) != 0)
		return;
	snprintf(eid, len, "%s-%s-err", prefix, name);
	html_open(h, "p", "class", "error", "id", eid, NULL);
	html_elem(h, "strong", L(r, "Ошибка:", "Error:"), NULL);
	html_text(h, " ");
	html_text(h, fe->msg);
	html_close(h);
}

static void
text_input(struct req *r, struct html *h, const struct ferr *fe,
    const char *prefix, const char *name, const char *label,
    const char *value, const char *hint, int required, int area)
{
	char id[64], eid[80], hid[80];
	struct buf desc;

	snprintf(id, sizeof(id), "%s-%s", prefix, name);
	snprintf(hid, sizeof(hid), "%s-%s-hint", prefix, name);
	buf_init(&desc, 256);
	html_open(h, "div", "class", "field", NULL);
	html_elem(h, "label", label, "for", id, "class",
	    required ? "required" : NULL, NULL);
	if (hint != NULL) {
		html_elem(h, "p", hint, "class", "hint", "id", hid, NULL);
		buf_puts(&desc, hid);
	}
	field_err(r, h, fe, name, prefix, eid, sizeof(eid));
	if (eid[0] != '\0')
		buf_printf(&desc, "%s%s", desc.len ? " " : "", eid);
	if (area) {
		html_open(h, "textarea", "id", id, "name", name, "rows", "6",
		    "required", required ? "" : NULL, "aria-describedby",
		    desc.len ? buf_str(&desc) : NULL, "aria-invalid",
		    eid[0] != '\0' ? "true" : NULL, NULL);
		html_text(h, value);
		html_close(h);
	} else
		html_void(h, "input", "type", "text", "id", id, "name", name,
		    "value", value, "required", required ? "" : NULL,
		    "aria-describedby", desc.len ? buf_str(&desc) : NULL,
		    "aria-invalid", eid[0] != '\0' ? "true" : NULL, NULL);
	html_close(h);
	buf_free(&desc);
}

static void yes_no(struct req *, struct html *, const char *, const char *,
    const char *, int, const char *, const char *, const char *,
    const char *, int);

static void
active_box(struct req *r, struct html *h, const char *prefix, int active)
{
	char id[64];

	snprintf(id, sizeof(id), "%s-active", prefix);
	html_open(h, "div", "class", "field", NULL);
	yes_no(r, h, "active", id, L(r, "Действует", "Active"), active,
	    "действует", "active", "не действует (больше не предлагать)",
	    "inactive (offer it no more)", 0);
	html_close(h);
}

static int
active_param(struct req *r)
{
	const char *v = req_param(r, "active");

	return v == NULL || strcmp(v, "0") != 0;
}

/*
 * Topics and reasons.
 */

static const char *keywords_hint_ru =
    "Через «|» — варианты, через «+» — слова, которые должны встретиться "
    "вместе; любая форма слова: «запис+приём|очеред».";
static const char *keywords_hint_en =
    "“|” separates alternatives, “+” joins words that must occur "
    "together; any form of a word: “запис+приём|очеред”.";

static void
accuracy(struct req *r, struct html *h, const char *kind)
{
	struct fb_classifier *fc;
	struct cls_eval	      ev;
	struct err	      e;
	int		      rc = -1;

	err_clear(&e);
	memset(&ev, 0, sizeof(ev));
	if ((fc = fb_classifier_shared(r->db, r->org->id, &e)) != NULL)
		rc = fb_classifier_accuracy(fc, kind, HELD_OUT_EVERY, &ev);
	fb_classifier_free(fc);
	html_open(h, "p", "class", "meta", NULL);
	if (rc != 0)
		html_text(h, L(r, "Точность подсказок пока не измерить: мало "
				  "обращений с указанной темой.",
		    "The accuracy of the suggestions cannot be measured yet: "
		    "too few messages carry a topic."));
	else {
		html_text(h, L(r, "Точность подсказок, измеренная на ",
		    "accuracy measured on "));
		html_textf(h, "%d", ev.total);
		html_text(h, L(r, " отложенных обращениях: ",
		    " held-out messages: "));
		html_textf(h, "%.0f %%", ev.accuracy * 100);
		html_text(h, L(r, " (верная — среди первых трёх: ",
		    " (the right one among the first three: "));
		html_textf(h, "%.0f %%).", ev.top3 * 100);
	}
	html_close(h);
}

static void
topics_table(struct req *r, struct html *h, struct fb_topic *v, int n,
    const char *kind)
{
	char *p;
	int   i;

	html_open(h, "div", "class", "table-wrap", NULL);
	html_open(h, "table", NULL);
	html_elem(h, "caption", strcmp(kind, "topic") == 0
	    ? L(r, "Темы", "Topics") : L(r, "Причины", "Reasons"), NULL);
	html_open(h, "thead", NULL);
	html_open(h, "tr", NULL);
	html_elem(h, "th", L(r, "Название", "Title"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Ключевые слова", "Keywords"), "scope", "col",
	    NULL);
	html_elem(h, "th", L(r, "Действует", "Active"), "scope", "col", NULL);
	html_close(h);
	html_close(h);
	html_open(h, "tbody", NULL);
	for (i = 0; i < n; i++) {
		if (strcmp(v[i].kind, kind) != 0)
			continue;
		html_open(h, "tr", NULL);
		html_open(h, "th", "scope", "row", NULL);
		p = ui_opath(r, "/feedback/topics/%lld", (long long)v[i].id);
		html_elem(h, "a", v[i].title, "href", p, NULL);
		free(p);
		html_close(h);
		html_elem(h, "td", v[i].keywords, NULL);
		html_elem(h, "td", v[i].active ? L(r, "да", "yes")
					       : L(r, "нет", "no"), NULL);
		html_close(h);
	}
	html_close(h);
	html_close(h);
	html_close(h);
}

static void
topics_page(struct req *r, int status, const struct ferr *fe)
{
	struct fb_topic *v;
	struct html	 h;
	struct err	 e;
	const char	*k = req_param(r, "kind");
	char		*action;
	int		 n;

	err_clear(&e);
	if ((n = fb_topic_list(r->db, r->org->id, NULL, 0, &v, &e)) < 0) {
		ui_fail(r, &e);
		return;
	}
	ui_begin(r, &h, L(r, "Темы и причины", "Topics and reasons"));
	ui_fb_subnav(r, &h, 2);
	html_elem(&h, "h1", L(r, "Темы и причины обращений",
	    "Topics and reasons of messages"), NULL);
	notice(r, &h);
	accuracy(r, &h, "topic");
	topics_table(r, &h, v, n, "topic");
	topics_table(r, &h, v, n, "reason");
	fb_topics_free(v, n);

	action = ui_opath(r, "/feedback/topics");
	html_open(&h, "form", "method", "post", "action", action, "class",
	    "stack", NULL);
	ui_csrf(r, &h);
	html_open(&h, "fieldset", NULL);
	html_elem(&h, "legend", L(r, "Добавить тему или причину",
	    "Add a topic or a reason"), NULL);
	html_open(&h, "div", "class", "field", NULL);
	html_elem(&h, "label", L(r, "Что это", "What it is"), "for", "t-kind",
	    NULL);
	html_open(&h, "select", "id", "t-kind", "name", "kind", NULL);
	html_elem(&h, "option", L(r, "тема", "topic"), "value", "topic", NULL);
	html_elem(&h, "option", L(r, "причина", "reason"), "value", "reason",
	    "selected", k != NULL && strcmp(k, "reason") == 0 ? "" : NULL,
	    NULL);
	html_close(&h);
	html_close(&h);
	text_input(r, &h, fe, "t", "title", L(r, "Название", "Title"),
	    fe != NULL ? req_param(r, "title") : NULL, NULL, 1, 0);
	text_input(r, &h, fe, "t", "keywords", L(r, "Ключевые слова",
	    "Keywords"), fe != NULL ? req_param(r, "keywords") : NULL,
	    L(r, keywords_hint_ru, keywords_hint_en), 0, 0);
	html_elem(&h, "button", L(r, "Добавить", "Add"), "type", "submit",
	    NULL);
	html_close(&h);
	html_close(&h);
	free(action);
	ui_end(r, &h);
	r->status = status;
}

int
ui_fbd_topics(struct req *r)
{
	topics_page(r, 200, NULL);
	return 0;
}

int
ui_fbd_topic_add(struct req *r)
{
	struct ferr fe = {0};
	struct err  e;
	const char *field;
	const char *kind = req_param(r, "kind");
	int64_t	    id;

	err_clear(&e);
	if (fb_topic_check(req_param(r, "title") != NULL
	    ? req_param(r, "title") : "", req_param(r, "keywords"), &field,
	    &e) != 0 ||
	    fb_topic_add(r->db, r->session->login, r->org->id,
	    kind != NULL ? kind : "topic", req_param(r, "title"),
	    req_param(r, "keywords"), &id, &e) != 0) {
		if (e.code != EXIT_DATAERR && e.code != EXIT_USAGE)
			return ui_fail(r, &e);
		ferr_set(&fe, strncmp(e.msg, "keywords", 8) == 0 ? "keywords"
		    : "title", r, &e);
		topics_page(r, 400, &fe);
		return 0;
	}
	return ui_redirect(r, ui_opath(r, "/feedback/topics?done=added"));
}

static void
topic_form(struct req *r, int status, const struct fb_topic *t,
    const struct ferr *fe)
{
	struct html h;
	char	   *action = ui_opath(r, "/feedback/topics/%lld",
	    (long long)t->id), *back = ui_opath(r, "/feedback/topics");

	ui_begin(r, &h, t->title);
	ui_fb_subnav(r, &h, 2);
	html_elem(&h, "h1", t->title, NULL);
	notice(r, &h);
	html_open(&h, "p", NULL);
	html_elem(&h, "a", L(r, "← Все темы и причины", "← All topics"),
	    "href", back, NULL);
	html_close(&h);
	html_open(&h, "form", "method", "post", "action", action, "class",
	    "stack", NULL);
	ui_csrf(r, &h);
	text_input(r, &h, fe, "e", "title", L(r, "Название", "Title"),
	    fe != NULL ? req_param(r, "title") : t->title, NULL, 1, 0);
	text_input(r, &h, fe, "e", "keywords", L(r, "Ключевые слова",
	    "Keywords"), fe != NULL ? req_param(r, "keywords") : t->keywords,
	    L(r, keywords_hint_ru, keywords_hint_en), 0, 0);
	active_box(r, &h, "e", t->active);
	html_elem(&h, "button", L(r, "Сохранить", "Save"), "type", "submit",
	    NULL);
	html_close(&h);
	free(action);
	free(back);
	ui_end(r, &h);
	r->status = status;
}

int
ui_fbd_topic(struct req *r)
{
	struct fb_topic t;
	struct err	e;

	err_clear(&e);
	if (fb_topic_get(r->db, r->org->id, r->id, &t, &e) != 0)
		return ui_fail(r, &e);
	topic_form(r, 200, &t, NULL);
	fb_topic_clear(&t);
	return 0;
}

int
ui_fbd_topic_save(struct req *r)
{
	struct fb_topic t;
	struct ferr	fe = {0};
	struct err	e;
	const char     *kw = req_param(r, "keywords");

	err_clear(&e);
	if (fb_topic_get(r->db, r->org->id, r->id, &t, &e) != 0)
		return ui_fail(r, &e);
	if (fb_topic_update(r->db, r->session->login, r->org->id, r->id,
	    req_param(r, "title") != NULL ? req_param(r, "title") : "",
	    kw != NULL ? kw : "", active_param(r), &e) != 0) {
		if (e.code != EXIT_DATAERR) {
			fb_topic_clear(&t);
			return ui_fail(r, &e);
		}
		ferr_set(&fe, strncmp(e.msg, "keywords", 8) == 0 ? "keywords"
		    : "title", r, &e);
		topic_form(r, 400, &t, &fe);
		fb_topic_clear(&t);
		return 0;
	}
	fb_topic_clear(&t);
	return ui_redirect(r, ui_opath(r, "/feedback/topics/%lld?done=saved",
	    (long long)r->id));
}

/*
 * Answer templates.
 */

static void
topic_choice(struct req *r, struct html *h, const char *id, int64_t cur)
{
	struct fb_topic *v;
	struct err	 e;
	char		 val[24];
	int		 n, i;

	err_clear(&e);
	html_open(h, "div", "class", "field", NULL);
	html_elem(h, "label", L(r, "Тема", "Topic"), "for", id, NULL);
	html_open(h, "select", "id", id, "name", "topic", NULL);
	html_elem(h, "option", L(r, "любая", "any"), "value", "0", NULL);
	n = fb_topic_list(r->db, r->org->id, "topic", 1, &v, &e);
	for (i = 0; i < n; i++) {
		snprintf(val, sizeof(val), "%lld", (long long)v[i].id);
		html_elem(h, "option", v[i].title, "value", val, "selected",
		    v[i].id == cur ? "" : NULL, NULL);
	}
	if (n >= 0)
		fb_topics_free(v, n);
	html_close(h);
	html_close(h);
}

static int64_t
topic_param(struct req *r)
{
	const char *v = req_param(r, "topic");

	return str_empty(v) ? 0 : strtoll(v, NULL, 10);
}

static void
templates_page(struct req *r, int status, const struct ferr *fe)
{
	struct fb_template *v;
	struct html	    h;
	struct err	    e;
	char		   *action, *p;
	int		    n, i;

	err_clear(&e);
	n = fb_template_list(r->db, r->org->id, req_param(r, "q"), 0, 0, &v,
	    &e);
	if (n < 0) {
		ui_fail(r, &e);
		return;
	}
	ui_begin(r, &h, L(r, "Шаблоны ответов", "Answer templates"));
	ui_fb_subnav(r, &h, 3);
	html_elem(&h, "h1", L(r, "Шаблоны ответов", "Answer templates"), NULL);
	notice(r, &h);
	action = ui_opath(r, "/feedback/templates");
	html_open(&h, "form", "method", "get", "action", action, "class",
	    "search", "role", "search", NULL);
	html_elem(&h, "label", L(r, "Найти по словам", "Find by words"), "for",
	    "s-q", NULL);
	html_void(&h, "input", "type", "search", "id", "s-q", "name", "q",
	    "value", req_param(r, "q"), NULL);
	html_elem(&h, "button", L(r, "Найти", "Search"), "type", "submit",
	    NULL);
	html_close(&h);
	html_open(&h, "div", "class", "table-wrap", NULL);
	html_open(&h, "table", NULL);
	html_elem(&h, "caption", L(r, "База знаний", "Knowledge base"), NULL);
	html_open(&h, "thead", NULL);
	html_open(&h, "tr", NULL);
	html_elem(&h, "th", L(r, "Название", "Title"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Тема", "Topic"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Использован, раз", "Times used"), "scope",
	    "col", NULL);
	html_elem(&h, "th", L(r, "Действует", "Active"), "scope", "col", NULL);
	html_close(&h);
	html_close(&h);
	html_open(&h, "tbody", NULL);
	for (i = 0; i < n; i++) {
		html_open(&h, "tr", NULL);
		html_open(&h, "th", "scope", "row", NULL);
		p = ui_opath(r, "/feedback/templates/%lld", (long long)v[i].id);
		html_elem(&h, "a", v[i].title, "href", p, NULL);
		free(p);
		html_close(&h);
		html_elem(&h, "td", v[i].topic != NULL ? v[i].topic
		    : L(r, "любая", "any"), NULL);
		html_open(&h, "td", "class", "n", NULL);
		html_textf(&h, "%d", v[i].uses);
		html_close(&h);
		html_elem(&h, "td", v[i].active ? L(r, "да", "yes")
						: L(r, "нет", "no"), NULL);
		html_close(&h);
	}
	html_close(&h);
	html_close(&h);
	html_close(&h);
	if (n == 0)
		html_elem(&h, "p", L(r, "Шаблонов нет.", "No templates."),
		    NULL);
	fb_templates_free(v, n);

	html_open(&h, "form", "method", "post", "action", action, "class",
	    "stack", NULL);
	ui_csrf(r, &h);
	html_open(&h, "fieldset", NULL);
	html_elem(&h, "legend", L(r, "Добавить шаблон", "Add a template"),
	    NULL);
	text_input(r, &h, fe, "n", "title", L(r, "Название", "Title"),
	    fe != NULL ? req_param(r, "title") : NULL, NULL, 1, 0);
	topic_choice(r, &h, "n-topic", fe != NULL ? topic_param(r) : 0);
	text_input(r, &h, fe, "n", "body", L(r, "Текст ответа",
	    "Text of the answer"), fe != NULL ? req_param(r, "body") : NULL,
	    NULL, 1, 1);
	html_elem(&h, "button", L(r, "Добавить", "Add"), "type", "submit",
	    NULL);
	html_close(&h);
	html_close(&h);
	free(action);
	ui_end(r, &h);
	r->status = status;
}

int
ui_fbd_templates(struct req *r)
{
	templates_page(r, 200, NULL);
	return 0;
}

int
ui_fbd_template_add(struct req *r)
{
	struct ferr fe = {0};
	struct err  e;
	const char *t = req_param(r, "title"), *b = req_param(r, "body");
	int64_t	    id;

	err_clear(&e);
	if (fb_template_add(r->db, r->session->login, r->org->id,
	    t != NULL ? t : "", b != NULL ? b : "", topic_param(r), &id,
	    &e) != 0) {
		if (e.code != EXIT_DATAERR)
			return ui_fail(r, &e);
		ferr_set(&fe, strncmp(e.msg, "body", 4) == 0 ? "body"
		    : strncmp(e.msg, "topic", 5) == 0 ? "title" : "title", r,
		    &e);
		templates_page(r, 400, &fe);
		return 0;
	}
	return ui_redirect(r, ui_opath(r, "/feedback/templates?done=added"));
}

static void
template_form(struct req *r, int status, const struct fb_template *t,
    const struct ferr *fe)
{
	struct html h;
	char	    n[24];
	char	   *action = ui_opath(r, "/feedback/templates/%lld",
	    (long long)t->id), *back = ui_opath(r, "/feedback/templates");

	ui_begin(r, &h, t->title);
	ui_fb_subnav(r, &h, 3);
	html_elem(&h, "h1", t->title, NULL);
	notice(r, &h);
	html_open(&h, "p", NULL);
	html_elem(&h, "a", L(r, "← Все шаблоны", "← All templates"), "href",
	    back, NULL);
	html_close(&h);
	snprintf(n, sizeof(n), "%d", t->uses);
	html_open(&h, "p", "class", "meta", NULL);
	html_textf(&h, "%s: %s", L(r, "Использован, раз", "Times used"), n);
	html_close(&h);
	html_open(&h, "form", "method", "post", "action", action, "class",
	    "stack", NULL);
	ui_csrf(r, &h);
	text_input(r, &h, fe, "e", "title", L(r, "Название", "Title"),
	    fe != NULL ? req_param(r, "title") : t->title, NULL, 1, 0);
	topic_choice(r, &h, "e-topic", fe != NULL ? topic_param(r)
						  : t->topic_id);
	text_input(r, &h, fe, "e", "body", L(r, "Текст ответа",
	    "Text of the answer"), fe != NULL ? req_param(r, "body") : t->body,
	    NULL, 1, 1);
	active_box(r, &h, "e", t->active);
	html_elem(&h, "button", L(r, "Сохранить", "Save"), "type", "submit",
	    NULL);
	html_close(&h);
	free(action);
	free(back);
	ui_end(r, &h);
	r->status = status;
}

int
ui_fbd_template(struct req *r)
{
	struct fb_template t;
	struct err	   e;

	err_clear(&e);
	if (fb_template_get(r->db, r->org->id, r->id, &t, &e) != 0)
		return ui_fail(r, &e);
	template_form(r, 200, &t, NULL);
	fb_template_clear(&t);
	return 0;
}

int
ui_fbd_template_save(struct req *r)
{
	struct fb_template t;
	struct ferr	   fe = {0};
	struct err	   e;
	const char	  *ti = req_param(r, "title"), *b = req_param(r, "body");

	err_clear(&e);
	if (fb_template_get(r->db, r->org->id, r->id, &t, &e) != 0)
		return ui_fail(r, &e);
	if (fb_template_update(r->db, r->session->login, r->org->id, r->id,
	    ti != NULL ? ti : "", b != NULL ? b : "", topic_param(r),
	    active_param(r), &e) != 0) {
		if (e.code != EXIT_DATAERR) {
			fb_template_clear(&t);
			return ui_fail(r, &e);
		}
		ferr_set(&fe, strncmp(e.msg, "body", 4) == 0 ? "body"
							     : "title", r, &e);
		template_form(r, 400, &t, &fe);
		fb_template_clear(&t);
		return 0;
	}
	fb_template_clear(&t);
	return ui_redirect(r, ui_opath(r, "/feedback/templates/%lld?done=saved",
	    (long long)r->id));
}

/*
 * Channels, standards, working hours.
 */

static void
yes_no(struct req *r, struct html *h, const char *name, const char *id,
    const char *label, int cur, const char *yes_ru, const char *yes_en,
    const char *no_ru, const char *no_en, int hidden)
{
	html_elem(h, "label", label, "for", id, "class",
	    hidden ? "visually-hidden" : NULL, NULL);
	html_open(h, "select", "id", id, "name", name, NULL);
	html_elem(h, "option", L(r, yes_ru, yes_en), "value", "1", "selected",
	    cur ? "" : NULL, NULL);
	html_elem(h, "option", L(r, no_ru, no_en), "value", "0", "selected",
	    cur ? NULL : "", NULL);
	html_close(h);
}

/* One row of the channels: its own small form (a row is a change). */
static void
channel_row(struct req *r, struct html *h, const struct fb_channel_conf *c,
    int i, const char *action)
{
	static const char *const cl[][3] = {
		{"both", "внешние и внутренние", "both"},
		{"external", "внешние", "external"},
		{"internal", "внутренние", "internal"},
	};
	const char *title = L(r, channels[i].title_ru, channels[i].title_en);
	char	    id[64];
	size_t	    k;

	html_open(h, "tr", NULL);
	html_elem(h, "th", title, "scope", "row", "id", c->channel, NULL);
	html_open(h, "td", NULL);
	html_open(h, "form", "method", "post", "action", action, "class",
	    "inline-form", "aria-labelledby", c->channel, NULL);
	ui_csrf(r, h);
	html_void(h, "input", "type", "hidden", "name", "channel", "value",
	    c->channel, NULL);
	snprintf(id, sizeof(id), "ch-%s-enabled", c->channel);
	yes_no(r, h, "enabled", id, L(r, "Принимает обращения",
	    "Takes messages"), c->enabled, "принимает", "takes messages",
	    "не принимает", "closed", 1);
	snprintf(id, sizeof(id), "ch-%s-online", c->channel);
	yes_no(r, h, "online", id, L(r, "Как поступают", "How they arrive"),
	    c->online, "онлайн", "online", "регистрирует сотрудник",
	    "registered by staff", 1);
	snprintf(id, sizeof(id), "ch-%s-client", c->channel);
	html_elem(h, "label", L(r, "Клиенты", "Clients"), "for", id, "class",
	    "visually-hidden", NULL);
	html_open(h, "select", "id", id, "name", "client", NULL);
	for (k = 0; k < nitems(cl); k++)
		html_elem(h, "option", L(r, cl[k][1], cl[k][2]), "value",
		    cl[k][0], "selected", strcmp(c->client, cl[k][0]) == 0
		    ? "" : NULL, NULL);
	html_close(h);
	html_elem(h, "button", L(r, "Сохранить", "Save"), "type", "submit",
	    "class", "secondary", NULL);
	html_close(h);	/* form */
	html_close(h);	/* td */
	html_close(h);	/* tr */
}

static const char *
unit_title(const struct req *r, enum std_unit u)
{
	switch (u) {
	case STD_MINUTES:
		return L(r, "минут", "minutes");
	case STD_HOURS:
		return L(r, "часов", "hours");
	case STD_DAYS:
		return L(r, "календарных дней", "calendar days");
	case STD_WORKDAYS:
		return L(r, "рабочих дней", "working days");
	default:
		return L(r, "раз", "times");
	}
}

static void
standard_row(struct req *r, struct html *h, int i, const struct std_conf *s,
    int stored, const char *action, const struct ferr *fe)
{
	char id[64], eid[80], amount[16], rowid[40];
	int  u;

	snprintf(rowid, sizeof(rowid), "std-%s", std_defs[i].code);
	html_open(h, "tr", NULL);
	html_open(h, "th", "scope", "row", "id", rowid, NULL);
	html_text(h, L(r, std_defs[i].title_ru, std_defs[i].title_en));
	html_open(h, "span", "class", "meta", NULL);
	html_textf(h, " (%s; %s %d %s%s)", std_defs[i].basis,
	    L(r, "по умолчанию", "default"), std_defs[i].amount,
	    unit_title(r, std_defs[i].unit), stored ? "" : L(r, ", действует",
	    ", in force"));
	html_close(h);
	html_close(h);
	html_open(h, "td", NULL);
	html_open(h, "form", "method", "post", "action", action, "class",
	    "inline-form", "aria-labelledby", rowid, NULL);
	ui_csrf(r, h);
	html_void(h, "input", "type", "hidden", "name", "code", "value",
	    std_defs[i].code, NULL);
	field_err(r, h, fe != NULL && fe->field != NULL &&
	    strcmp(fe->field, std_defs[i].code) == 0 ? fe : NULL,
	    std_defs[i].code, "std", eid, sizeof(eid));
	snprintf(id, sizeof(id), "std-%s-amount", std_defs[i].code);
	snprintf(amount, sizeof(amount), "%d", s->amount);
	html_elem(h, "label", L(r, "Предел", "Limit"), "for", id, "class",
	    "visually-hidden", NULL);
	html_void(h, "input", "type", "number", "id", id, "name", "amount",
	    "min", "0", "value", amount, "aria-describedby",
	    eid[0] != '\0' ? eid : NULL, "aria-invalid",
	    eid[0] != '\0' ? "true" : NULL, NULL);
	snprintf(id, sizeof(id), "std-%s-unit", std_defs[i].code);
	html_elem(h, "label", L(r, "Единица", "Unit"), "for", id, "class",
	    "visually-hidden", NULL);
	html_open(h, "select", "id", id, "name", "unit", NULL);
	for (u = 0; u <= STD_COUNT; u++) {
		if ((u == STD_COUNT) != (std_defs[i].unit == STD_COUNT))
			continue;
		html_elem(h, "option", unit_title(r, u), "value",
		    std_unit_code(u), "selected", (int)s->unit == u ? "" : NULL,
		    NULL);
	}
	html_close(h);
	snprintf(id, sizeof(id), "std-%s-working", std_defs[i].code);
	yes_no(r, h, "working", id, L(r, "Время", "Time"), s->working,
	    "рабочее время", "working time", "календарное время",
	    "calendar time", 1);
	snprintf(id, sizeof(id), "std-%s-enabled", std_defs[i].code);
	yes_no(r, h, "enabled", id, L(r, "Отслеживается", "Tracked"),
	    s->enabled, "отслеживается", "tracked", "не отслеживается",
	    "not tracked", 1);
	html_elem(h, "button", L(r, "Сохранить", "Save"), "type", "submit",
	    "class", "secondary", NULL);
	html_close(h);
	html_close(h);
	html_close(h);
}

static void
hours_form(struct req *r, struct html *h, const struct work_hours *wh,
    const struct ferr *fe)
{
	char s[32], e[32], eid[80], *action = ui_opath(r, "/feedback/hours");

	snprintf(s, sizeof(s), "%02d:%02d", wh->start / 60, wh->start % 60);
	snprintf(e, sizeof(e), "%02d:%02d", wh->end / 60, wh->end % 60);
	html_open(h, "form", "method", "post", "action", action, "class",
	    "stack", NULL);
	ui_csrf(r, h);
	html_open(h, "fieldset", NULL);
	html_elem(h, "legend", L(r, "Рабочее время (для сроков в рабочих "
				 "часах)",
	    "Working hours (for limits in working time)"), NULL);
	field_err(r, h, fe, "hours", "w", eid, sizeof(eid));
	html_open(h, "div", "class", "field", NULL);
	html_elem(h, "label", L(r, "Начало", "Start"), "for", "w-start", NULL);
	html_void(h, "input", "type", "time", "id", "w-start", "name", "start",
	    "value", s, "required", "", "aria-describedby",
	    eid[0] != '\0' ? eid : NULL, NULL);
	html_close(h);
	html_open(h, "div", "class", "field", NULL);
	html_elem(h, "label", L(r, "Конец", "End"), "for", "w-end", NULL);
	html_void(h, "input", "type", "time", "id", "w-end", "name", "end",
	    "value", e, "required", "", "aria-describedby",
	    eid[0] != '\0' ? eid : NULL, NULL);
	html_close(h);
	html_elem(h, "p", L(r, "В предпраздничный день — на час короче "
			      "(ст. 95 ТК РФ).",
	    "A pre-holiday day ends an hour earlier (Labour Code art. 95)."),
	    "class", "hint", NULL);
	html_elem(h, "button", L(r, "Сохранить", "Save"), "type", "submit",
	    NULL);
	html_close(h);
	html_close(h);
	free(action);
}

static void
channels_page(struct req *r, int status, const struct ferr *fe)
{
	struct fb_channel_conf *ch;
	struct std_conf		std[STD__COUNT];
	struct work_hours	wh;
	struct html		h;
	struct err		e;
	char		       *a_ch, *a_std;
	int			stored[STD__COUNT], n, i;

	err_clear(&e);
	if ((n = fb_channel_list(r->db, r->org->id, &ch, &e)) < 0 ||
	    fb_standard_list(r->db, r->org->id, std, stored, &e) != 0 ||
	    fb_hours_get(r->db, r->org->id, &wh, &e) != 0) {
		if (n >= 0)
			free(ch);
		ui_fail(r, &e);
		return;
	}
	a_ch = ui_opath(r, "/feedback/channels");
	a_std = ui_opath(r, "/feedback/standards");
	ui_begin(r, &h, L(r, "Каналы и стандарты", "Channels and standards"));
	ui_fb_subnav(r, &h, 4);
	html_elem(&h, "h1", L(r, "Каналы и стандарты обслуживания",
	    "Channels and service standards"), NULL);
	notice(r, &h);
	if (fe != NULL && fe->field != NULL)
		html_elem(&h, "p", L(r, "Изменение не сохранено: см. сообщение "
					"у поля.", "Not saved: see the message "
					"at the field."), "class", "alert",
		    "role", "alert", NULL);

	html_elem(&h, "h2", L(r, "Стандарты обслуживания",
	    "Service standards"), "id", "standards", NULL);
	html_elem(&h, "p", L(r, "Стандарт можно только ужесточить: меньший "
			      "срок, минуты вместо часов, календарное время "
			      "вместо рабочего. Сроки по закону не "
			      "отключаются.",
	    "A standard may only be tightened: a shorter limit, minutes "
	    "instead of hours, calendar instead of working time. Statutory "
	    "terms cannot be switched off."), "class", "hint", NULL);
	html_open(&h, "div", "class", "table-wrap", NULL);
	html_open(&h, "table", "aria-labelledby", "standards", NULL);
	html_open(&h, "thead", NULL);
	html_open(&h, "tr", NULL);
	html_elem(&h, "th", L(r, "Стандарт", "Standard"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Как настроен", "As configured"), "scope",
	    "col", NULL);
	html_close(&h);
	html_close(&h);
	html_open(&h, "tbody", NULL);
	for (i = 0; i < STD__COUNT; i++)
		standard_row(r, &h, i, &std[i], stored[i], a_std, fe);
	html_close(&h);
	html_close(&h);
	html_close(&h);

	hours_form(r, &h, &wh, fe);

	html_elem(&h, "h2", L(r, "Каналы обратной связи", "Feedback channels"),
	    "id", "channels", NULL);
	html_open(&h, "div", "class", "table-wrap", NULL);
	html_open(&h, "table", "aria-labelledby", "channels", NULL);
	html_open(&h, "thead", NULL);
	html_open(&h, "tr", NULL);
	html_elem(&h, "th", L(r, "Канал", "Channel"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Приём, способ, клиенты",
	    "Taking, arrival, clients"), "scope", "col", NULL);
	html_close(&h);
	html_close(&h);
	html_open(&h, "tbody", NULL);
	for (i = 0; i < n; i++)
		channel_row(r, &h, &ch[i], i, a_ch);
	html_close(&h);
	html_close(&h);
	html_close(&h);
	free(ch);
	free(a_ch);
	free(a_std);
	ui_end(r, &h);
	r->status = status;
}

int
ui_fbd_channels(struct req *r)
{
	channels_page(r, 200, NULL);
	return 0;
}

static int
flag(struct req *r, const char *name, int dflt)
{
	const char *v = req_param(r, name);

	return v == NULL || *v == '\0' ? dflt : strcmp(v, "1") == 0;
}

int
ui_fbd_channel_set(struct req *r)
{
	struct fb_channel_conf *v, *c = NULL;
	struct err		e;
	const char	       *ch = req_param(r, "channel");
	const char	       *cl = req_param(r, "client");
	int			n, i, rc;

	err_clear(&e);
	if ((n = fb_channel_list(r->db, r->org->id, &v, &e)) < 0)
		return ui_fail(r, &e);
	for (i = 0; i < n; i++)
		if (strcmp(v[i].channel, ch) == 0)
			c = &v[i];
	if (c == NULL) {
		free(v);
		return req_error(r, 400, "channel", L(r, "нет такого канала",
		    "no such channel"));
	}
	c->enabled = flag(r, "enabled", c->enabled);
	c->online = flag(r, "online", c->online);
	if (!str_empty(cl))
		snprintf(c->client, sizeof(c->client), "%s", cl);
	rc = fb_channel_set(r->db, r->session->login, r->org->id, c, &e);
	free(v);
	if (rc != 0)
		return ui_fail(r, &e);
	return ui_redirect(r, ui_opath(r, "/feedback/channels?done=saved"));
}

int
ui_fbd_standard_set(struct req *r)
{
	struct std_conf std[STD__COUNT];
	struct ferr	fe = {0};
	struct err	e;
	const char     *v;
	int		stored[STD__COUNT], c;

	err_clear(&e);
	c = std_from_code(req_param(r, "code"));
	if (fb_standard_list(r->db, r->org->id, std, stored, &e) != 0)
		return ui_fail(r, &e);
	if (!str_empty(v = req_param(r, "amount")))
		std[c].amount = (int)strtol(v, NULL, 10);
	if (!str_empty(v = req_param(r, "unit")))
		std[c].unit = std_unit_from_code(v);
	std[c].working = flag(r, "working", std[c].working);
	std[c].enabled = flag(r, "enabled", std[c].enabled);
	if (fb_standard_set(r->db, r->session->login, r->org->id, c, &std[c],
	    &e) != 0) {
		if (e.code != EXIT_DATAERR)
			return ui_fail(r, &e);
		fe.field = std_defs[c].code;
		snprintf(fe.msg, sizeof(fe.msg), "%s", e.msg);
		channels_page(r, 400, &fe);
		return 0;
	}
	return ui_redirect(r, ui_opath(r, "/feedback/channels?done=saved"));
}

int
ui_fbd_hours_set(struct req *r)
{
	struct work_hours wh;
	struct ferr	  fe = {0};
	struct err	  e;

	err_clear(&e);
	wh.start = fb_hours_parse(req_param(r, "start"));
	wh.end = fb_hours_parse(req_param(r, "end"));
	if (fb_hours_set(r->db, r->session->login, r->org->id, &wh, &e) != 0) {
		if (e.code != EXIT_DATAERR)
			return ui_fail(r, &e);
		fe.field = "hours";
		snprintf(fe.msg, sizeof(fe.msg), "%s", e.msg);
		channels_page(r, 400, &fe);
		return 0;
	}
	return ui_redirect(r, ui_opath(r, "/feedback/channels?done=saved"));
}

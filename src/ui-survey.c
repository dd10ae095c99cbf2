/*
 * The staff pages of surveys (R-SRV-1, R-SRV-4, R-SRV-5 in the browser):
 * an organization's instruments; one instrument with its versions, where
 * it is offered, its public link and QR code, and its invitations; the
 * builder, which edits the draft one question at a time with small POST
 * forms; the preview; the results, with the number of answers behind
 * every figure, and their export; and the entry of paper forms, one at a
 * time or from a CSV file.  Every change goes through survey.h, which
 * checks and audits it; the pages show what it refused next to the field
 * or the question it concerns.
 *
 * Roles (R-ORG-2): analysts build, publish, attach and invite; analysts
 * and the working group see results; operators enter paper forms; any
 * staff member of the organization may look at the list and an overview.
 */
#include <ctype.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "otklik.h"
#include "audit.h"
#include "db.h"
#include "html.h"
#include "http.h"
#include "org.h"
#include "registry.h"
#include "routes.h"
#include "session.h"
#include "survey.h"
#include "ui-survey.h"
#include "ui.h"

#define TEXTS_MAX	200		/* free-text answers listed */
#define PAPER_FILE_MAX	UI_SRVS_PAPER_MAX
#define PAPER_REF_MAX	64		/* a paper form's number */
#define BATCH_MAX	100		/* an invitation batch's name */
#define FERR_MAX	12		/* messages on one form */

/*
 * Small pieces: roles, codes, numbers, notices, fields with their errors.
 */

/* Does the signed-in person hold the role here (admin holds every one)? */
static int
holds(struct req *r, const char *role)
{
	return r->session != NULL && r->org != NULL &&
	    session_has_role(r->db, r->session, r->org->id, role) == 1;
}

/*
 * A route takes one role.  The pages that serve two (results: analysts
 * and the working group) take any staff role in the route table and
 * check the pair here; -1 when refused, with the 403 answered.
 */
static int
need_either(struct req *r, const char *a, const char *b)
{
	if (holds(r, a) || (b != NULL && holds(r, b)))
		return 0;
	req_error(r, 403, NULL, "your roles do not allow this here");
	return -1;
}

/*
 * A code of an instrument (safe in a path), a question or an option, as
 * survey.c takes it: a-z first, then a-z, 0-9, '_' and '-', at most
 * SRV_CODE_MAX.
 */
static int
code_ok(const char *s)
{
	size_t i, n = s != NULL ? strlen(s) : 0;

	if (n == 0 || n > SRV_CODE_MAX || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
			return 0;
	return 1;
}

static const char *
code_of(const struct req *r)
{
	return r->ncapture > 1 ? r->capture[1] : "";
}

static int
is_ru(const struct req *r)
{
	return strcmp(L(r, "ru", "en"), "ru") == 0;
}

/* L() for a format: both literals stand in the expression, so that the
 * compiler checks the arguments against each. */
#define LF(r, ru, en) (is_ru(r) ? (ru) : (en))

/* A figure with one decimal, a comma in Russian. */
static void
num1(const struct req *r, double v, char out[32])
{
	char *p;

	snprintf(out, 32, "%.1f", v);
	if (is_ru(r) && (p = strchr(out, '.')) != NULL)
		*p = ',';
}

static char *
trimmed(const char *v)
{
	return str_empty(v) ? NULL : str_squeeze(v);
}

/* Replaces a string the definition owns. */
static void
set_str(char **dst, char *v)
{
	free(*dst);
	*dst = v;
}

/* Messages of a form, each for a field (NULL: the form as a whole). */
struct ferrs {
	const char *form;	/* which form of the page they belong to */
	int	    keep;	/* show the values sent again */
	struct {
		const char *field;
		char	    msg[600];
	} v[FERR_MAX];
	size_t n;
};

static void
ferrs_init(struct ferrs *fe, const char *form)
{
	memset(fe, 0, sizeof(*fe));
	fe->form = form;
}

static void PRINTFLIKE(3, 4)
ferr(struct ferrs *fe, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (fe->n == FERR_MAX)
		return;
	fe->v[fe->n].field = field;
	va_start(ap, fmt);
	vsnprintf(fe->v[fe->n].msg, sizeof(fe->v[fe->n].msg), fmt, ap);
	va_end(ap);
	fe->n++;
}

/* The message for a field of a form, or NULL. */
static const char *
ferr_get(const struct ferrs *fe, const char *form, const char *field)
{
	size_t i;

	if (fe == NULL || fe->form == NULL || strcmp(fe->form, form) != 0)
		return NULL;
	for (i = 0; i < fe->n; i++)
		if ((field == NULL && fe->v[i].field == NULL) ||
		    (field != NULL && fe->v[i].field != NULL &&
			strcmp(field, fe->v[i].field) == 0))
			return fe->v[i].msg;
	return NULL;
}

/* A labelled input (or textarea, or select's frame) with hint and error. */
struct fld {
	const char *id;
	const char *name;
	const char *label;
	const char *hint;	/* NULL: none */
	const char *err;	/* NULL: none */
	const char *type;	/* input type, or "textarea" */
	const char *value;
	int	    required;
	const char *extra;	/* "min" for a number, "max" for a date */
	const char *extra_v;
};

/* Writes "id-hint id-err" (those there are) into desc. */
static void
described(const struct fld *f, char *desc, size_t len)
{
	snprintf(desc, len, "%s%s%s%s%s", f->hint != NULL ? f->id : "",
	    f->hint != NULL ? "-hint" : "",
	    f->hint != NULL && f->err != NULL ? " " : "",
	    f->err != NULL ? f->id : "", f->err != NULL ? "-err" : "");
}

static void
fld_head(struct req *r, struct html *h, const struct fld *f)
{
	char id[96];

	html_elem(h, "label", f->label, "for", f->id, "class",
	    f->required ? "required" : NULL, NULL);
	if (f->hint != NULL) {
		snprintf(id, sizeof(id), "%s-hint", f->id);
		html_elem(h, "p", f->hint, "class", "hint", "id", id, NULL);
	}
	if (f->err != NULL) {
		snprintf(id, sizeof(id), "%s-err", f->id);
		html_open(h, "p", "class", "error", "id", id, NULL);
		html_elem(h, "strong", L(r, "Ошибка:", "Error:"), NULL);
		html_text(h, " ");
		html_text(h, f->err);
		html_close(h);
	}
}

static void
fld(struct req *r, struct html *h, const struct fld *f)
{
	char desc[200];

	described(f, desc, sizeof(desc));
	html_open(h, "div", "class", "field", NULL);
	fld_head(r, h, f);
	if (strcmp(f->type, "textarea") == 0) {
		html_open(h, "textarea", "id", f->id, "name", f->name, "rows",
		    "4", "required", f->required ? "" : NULL,
		    "aria-describedby", desc[0] != '\0' ? desc : NULL,
		    "aria-invalid", f->err != NULL ? "true" : NULL, NULL);
		html_text(h, f->value != NULL ? f->value : "");
		html_close(h);
	} else
		html_void(h, "input", "type", f->type, "id", f->id, "name",
		    f->name, "value", f->value, "required",
		    f->required ? "" : NULL, "aria-describedby",
		    desc[0] != '\0' ? desc : NULL, "aria-invalid",
		    f->err != NULL ? "true" : NULL, f->extra, f->extra_v, NULL);
	html_close(h);
}

/* An alert at the top of a form that failed. */
static void
form_alert(struct req *r, struct html *h, const struct ferrs *fe,
    const char *form, const char *ru, const char *en)
{
	const char *general;

	if (fe == NULL || fe->form == NULL || strcmp(fe->form, form) != 0 ||
	    fe->n == 0)
		return;
	html_open(h, "div", "class", "alert", "role", "alert", NULL);
	html_elem(h, "p", L(r, ru, en), NULL);
	if ((general = ferr_get(fe, form, NULL)) != NULL)
		html_elem(h, "p", general, NULL);
	html_close(h);
}

/* A form with one button that posts to path (a hidden field or none). */
static void
button_form(struct req *r, struct html *h, const char *path,
    const char *label, const char *cls, const char *name, const char *value)
{
	html_open(h, "form", "method", "post", "action", path, "class",
	    "inline", NULL);
	ui_csrf(r, h);
	if (name != NULL)
		html_void(h, "input", "type", "hidden", "name", name, "value",
		    value, NULL);
	html_elem(h, "button", label, "type", "submit", "class", cls, NULL);
	html_close(h);
}

/* What a form did, shown after its redirect; only these fixed texts. */
static const struct {
	const char *code, *ru, *en;
} notices[] = {
	{"added", "Анкета создана: черновик версии 1. Добавьте вопросы и "
		  "опубликуйте её.",
	    "The instrument is made as a draft of version 1. Add questions "
	    "and publish it."},
	{"saved", "Черновик сохранён.", "The draft is saved."},
	{"published", "Черновик опубликован: ответы принимаются по новой "
		      "версии, прежние ответы сохраняют свою.",
	    "The draft is published: answers are taken against the new "
	    "version; earlier answers keep theirs."},
	{"discarded", "Черновик удалён.", "The draft is discarded."},
	{"opened", "Приём ответов открыт.", "The survey takes answers."},
	{"closed", "Приём ответов закрыт.", "The survey no longer takes "
					    "answers."},
	{"access", "Порядок доступа изменён.", "Who may answer is changed."},
	{"attached", "Место проведения добавлено.", "The place is added."},
	{"detached", "Место проведения удалено.", "The place is removed."},
	{"paper", "Бумажная анкета внесена.", "The paper form is entered."},
	{"imported", "Анкеты из файла внесены.",
	    "The forms of the file are entered."},
};

int
ui_srvs_check_done(const char *v, char *why, size_t len)
{
	size_t i;

	for (i = 0; i < nitems(notices); i++)
		if (strcmp(v, notices[i].code) == 0)
			return 0;
	snprintf(why, len, "not a known result");
	return -1;
}

static void
notice(struct req *r, struct html *h)
{
	const char *done = req_param(r, "done"), *n, *sk;
	size_t	    i;

	if (str_empty(done))
		return;
	for (i = 0; i < nitems(notices); i++) {
		if (strcmp(done, notices[i].code) != 0)
			continue;
		html_open(h, "div", "class", "notice", "role", "status", NULL);
		html_open(h, "p", NULL);
		html_text(h, L(r, notices[i].ru, notices[i].en));
		n = req_param(r, "n");
		sk = req_param(r, "skipped");
		if (strcmp(done, "imported") == 0 && !str_empty(n))
			html_textf(h, " %s %s; %s %s.", L(r, "Внесено:",
			    "Entered:"), n, L(r, "пропущено (уже были):",
			    "skipped (there already):"), str_empty(sk) ? "0"
			    : sk);
		html_close(h);
		html_close(h);
	}
}

/* Validators of the parameters the route table declares for these pages. */
int
ui_srvs_check_op(const char *v, char *why, size_t len)
{
	return http_check_one_of(v, "title|save|add|del|up|down", why, len);
}

int
ui_srvs_check_channel(const char *v, char *why, size_t len)
{
	return http_check_one_of(v, "all|online|paper", why, len);
}

int
ui_srvs_check_access(const char *v, char *why, size_t len)
{
	return http_check_one_of(v, "open|invite", why, len);
}

int
ui_srvs_check_target(const char *v, char *why, size_t len)
{
	return http_check_one_of(v, "touchpoint|service|situation", why, len);
}

/*
 * The instrument of the {name} segment; -1 when there is none (answered
 * 404).  Cleared with srv_instr_clear() after a 0.
 */
static int
instr_load(struct req *r, struct srv_instr *in)
{
	struct err e;

	memset(in, 0, sizeof(*in));
	if (!code_ok(code_of(r))) {
		req_error(r, 404, NULL, L(r, "Такой анкеты нет.",
		    "There is no such survey."));
		return -1;
	}
	err_clear(&e);
	if (srv_instr_get(r->db, r->org->id, code_of(r), in, &e) != 0) {
		memset(in, 0, sizeof(*in));
		ui_fail(r, &e);
		return -1;
	}
	return 0;
}

/* A version's definition: the draft first (for the builder) or the
 * current one first (for paper forms); -1 after answering. */
static int
def_load(struct req *r, const struct srv_instr *in, int draft_first,
    struct srv_def *d, int *version)
{
	struct err e;
	int64_t	   vid;

	memset(d, 0, sizeof(*d));
	vid = draft_first ? (in->draft_id != 0 ? in->draft_id : in->current_id)
			  : in->current_id;
	if (vid == 0) {
		req_error(r, 409, NULL, draft_first
		    ? L(r, "У анкеты нет ни черновика, ни опубликованной "
			   "версии.",
			  "The survey has neither a draft nor a published "
			  "version.")
		    : L(r, "Анкета ещё не опубликована.",
			  "The survey is not published yet."));
		return -1;
	}
	err_clear(&e);
	if (srv_version_load(r->db, r->org->id, vid, d, version, &e) != 0) {
		memset(d, 0, sizeof(*d));
		ui_fail(r, &e);
		return -1;
	}
	return 0;
}

/*
 * The respondents' little script (ui-survey-public.c), which hides a
 * conditional question until it applies: the preview shows what they
 * see, and paper forms are entered the way they were filled in.  The
 * forms work the same without it.
 */
static void
survey_script(struct html *h)
{
	html_open(h, "script", "src", "/static/survey.js", "defer", "", NULL);
	html_close(h);
}

/* The pages of one instrument, as a navigation. */
enum spage { P_OVERVIEW, P_EDIT, P_PREVIEW, P_RESULTS, P_PAPER, P_NONE };

static void
instr_nav(struct req *r, struct html *h, const char *code, enum spage cur)
{
	static const struct {
		enum spage  p;
		const char *path, *ru, *en, *role, *role2;
	} items[] = {
		{P_OVERVIEW, "", "Обзор", "Overview", NULL, NULL},
		{P_EDIT, "/edit", "Конструктор", "Builder", "analyst", NULL},
		{P_PREVIEW, "/preview", "Предпросмотр", "Preview", "analyst",
		    NULL},
		{P_RESULTS, "/results", "Результаты", "Results", "analyst",
		    "group"},
		{P_PAPER, "/paper", "Бумажные анкеты", "Paper forms",
		    "operator", NULL},
	};
	size_t i;
	char  *p;

	html_open(h, "nav", "class", "subnav", "aria-label",
	    L(r, "Анкета", "Survey"), NULL);
	html_open(h, "ul", NULL);
	p = ui_opath(r, "/surveys");
	html_open(h, "li", NULL);
	html_elem(h, "a", L(r, "Все анкеты", "All surveys"), "href", p, NULL);
	html_close(h);
	free(p);
	for (i = 0; i < nitems(items); i++) {
		if (items[i].role != NULL && !holds(r, items[i].role) &&
		    (items[i].role2 == NULL || !holds(r, items[i].role2)))
			continue;
		p = ui_opath(r, "/surveys/%s%s", code, items[i].path);
		html_open(h, "li", NULL);
		html_elem(h, "a", L(r, items[i].ru, items[i].en), "href", p,
		    "aria-current", items[i].p == cur ? "page" : NULL, NULL);
		html_close(h);
		free(p);
	}
	html_close(h);
	html_close(h);
}

static const char *
client_word(const struct req *r, const char *client)
{
	return strcmp(client, "internal") == 0
	    ? L(r, "внутренние (сотрудники)", "internal (employees)")
	    : L(r, "внешние", "external");
}

static const char *
access_word(const struct req *r, const char *access)
{
	return strcmp(access, "invite") == 0
	    ? L(r, "по приглашениям", "by invitation")
	    : L(r, "по открытой ссылке", "by open link");
}

static const char *
state_word(const struct req *r, const char *state)
{
	if (strcmp(state, "draft") == 0)
		return L(r, "черновик", "draft");
	if (strcmp(state, "published") == 0)
		return L(r, "действующая", "current");
	return L(r, "прежняя", "retired");
}

static const char *
type_word(const struct req *r, enum srv_qtype t)
{
	switch (t) {
	case SRV_RATING:
		return L(r, "оценка 1–5", "rating 1–5");
	case SRV_SINGLE:
		return L(r, "один вариант", "single choice");
	case SRV_MULTI:
		return L(r, "несколько вариантов", "multiple choice");
	default:
		return L(r, "свободный ответ", "free text");
	}
}

/* The current registry's touchpoints, for select lists; NULL if none. */
static struct registry *
touchpoints(struct req *r)
{
	struct registry *reg = xcalloc(1, sizeof(*reg));
	struct err	 e;

	err_clear(&e);
	if (registry_load(r->db, r->org->id, 0, reg, &e) != 0 || reg->n == 0) {
		registry_free(reg);
		free(reg);
		return NULL;
	}
	registry_sort(reg);
	return reg;
}

static void
touchpoints_free(struct registry *reg)
{
	if (reg != NULL) {
		registry_free(reg);
		free(reg);
	}
}

static const char *
tp_name(const struct registry *reg, int64_t id)
{
	size_t i;

	for (i = 0; reg != NULL && i < reg->n; i++)
		if (reg->v[i].id == id)
			return reg->v[i].name;
	return NULL;
}

/* A select of touchpoints grouped by area; any: the text of "none". */
static void
tp_select(struct req *r, struct html *h, const char *id, const char *name,
    const char *label, const struct registry *reg, const char *cur,
    const char *any, const char *err)
{
	const char *area = NULL;
	char	    v[24], eid[64];
	size_t	    i;

	snprintf(eid, sizeof(eid), "%s-err", id);
	html_open(h, "div", "class", "field", NULL);
	fld_head(r, h, &(struct fld){.id = id, .label = label, .err = err});
	html_open(h, "select", "id", id, "name", name, "aria-describedby",
	    err != NULL ? eid : NULL, "aria-invalid", err != NULL ? "true"
	    : NULL, NULL);
	if (any != NULL)
		html_elem(h, "option", any, "value", "", NULL);
	for (i = 0; reg != NULL && i < reg->n; i++) {
		if (area == NULL || strcmp(area, reg->v[i].area) != 0) {
			if (area != NULL)
				html_close(h);
			area = reg->v[i].area;
			html_open(h, "optgroup", "label", area, NULL);
		}
		snprintf(v, sizeof(v), "%lld", (long long)reg->v[i].id);
		html_elem(h, "option", reg->v[i].name, "value", v, "selected",
		    cur != NULL && strcmp(cur, v) == 0 ? "" : NULL, NULL);
	}
	if (area != NULL)
		html_close(h);
	html_close(h);
	html_close(h);
}

/*
 * The instruments: GET and POST /{org}/surveys.
 */

static void
list_page(struct req *r, const struct ferrs *fe, int status)
{
	struct srv_instr *v = NULL;
	struct html	  h;
	struct err	  e;
	size_t		  n = 0, i;
	char		  num[32], *p;
	const char	 *cl;

	err_clear(&e);
	if (srv_instr_list(r->db, r->org->id, &v, &n, &e) != 0) {
		ui_fail(r, &e);
		return;
	}
	ui_begin(r, &h, L(r, "Анкеты", "Surveys"));
	html_elem(&h, "h1", L(r, "Анкеты", "Surveys"), NULL);
	notice(r, &h);
	html_elem(&h, "p", L(r, "Анонимные анкеты удовлетворённости: четыре "
			       "стандартные и собственные. У каждой анкеты есть "
			       "версии; ответ всегда хранит версию, по которой "
			       "он дан.",
			       "Anonymous satisfaction surveys: the four "
			       "standard ones and the organization's own. Each "
			       "has versions; an answer always keeps the "
			       "version it was given against."), NULL);
	html_open(&h, "div", "class", "table-wrap", NULL);
	html_open(&h, "table", NULL);
	html_elem(&h, "caption", L(r, "Анкеты организации",
	    "The organization's surveys"), NULL);
	html_open(&h, "thead", NULL);
	html_open(&h, "tr", NULL);
	html_elem(&h, "th", L(r, "Анкета", "Survey"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Вид", "Kind"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Клиенты", "Clients"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Приём ответов", "Answers"), "scope", "col",
	    NULL);
	html_elem(&h, "th", L(r, "Доступ", "Access"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Действующая версия", "Current version"),
	    "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Черновик", "Draft"), "scope", "col", NULL);
	html_elem(&h, "th", L(r, "Ответов", "Responses"), "scope", "col",
	    NULL);
	html_close(&h);
	html_close(&h);
	html_open(&h, "tbody", NULL);
	for (i = 0; i < n; i++) {
		html_open(&h, "tr", NULL);
		html_open(&h, "th", "scope", "row", NULL);
		p = ui_opath(r, "/surveys/%s", v[i].code);
		html_elem(&h, "a", v[i].title != NULL ? v[i].title : v[i].code,
		    "href", p, NULL);
		free(p);
		html_open(&h, "div", "class", "meta", NULL);
		html_text(&h, v[i].code);
		html_close(&h);
		html_close(&h);
		html_elem(&h, "td", v[i].standard[0] != '\0'
		    ? L(r, "стандартная", "standard")
		    : L(r, "собственная", "own"), NULL);
		html_elem(&h, "td", client_word(r, v[i].client), NULL);
		html_elem(&h, "td", v[i].open ? L(r, "открыт", "open")
					      : L(r, "закрыт", "closed"), NULL);
		html_elem(&h, "td", access_word(r, v[i].access), NULL);
		snprintf(num, sizeof(num), "%d", v[i].current);
		html_elem(&h, "td", v[i].current_id != 0 ? num : "—", "class",
		    "n", NULL);
		snprintf(num, sizeof(num), "%d", v[i].draft);
		html_elem(&h, "td", v[i].draft_id != 0 ? num : "—", "class",
		    "n", NULL);
		snprintf(num, sizeof(num), "%lld", (long long)v[i].responses);
		html_elem(&h, "td", num, "class", "n", NULL);
		html_close(&h);
	}
	html_close(&h);
	html_close(&h);
	html_close(&h);
	if (n == 0)
		html_elem(&h, "p", L(r, "Анкет пока нет.", "No surveys yet."),
		    NULL);

	if (holds(r, "analyst")) {
		html_open(&h, "section", "aria-labelledby", "new-heading", NULL);
		html_elem(&h, "h2", L(r, "Новая анкета", "A new survey"), "id",
		    "new-heading", NULL);
		form_alert(r, &h, fe, "new", "Анкета не создана: исправьте "
					     "поля с ошибками.",
		    "The survey is not made: correct the fields marked.");
		p = ui_opath(r, "/surveys");
		html_open(&h, "form", "method", "post", "action", p, "class",
		    "stack", NULL);
		free(p);
		ui_csrf(r, &h);
		fld(r, &h, &(struct fld){"new-code", "code",
		    L(r, "Код (часть адреса)", "Code (part of the address)"),
		    L(r, "Латинская строчная буква, затем такие буквы, цифры, "
			 "«-» и «_», до 40 знаков; не меняется.",
			"A lower-case Latin letter, then such letters, digits, "
			"'-' and '_', up to 40; it never changes."),
		    ferr_get(fe, "new", "code"), "text", req_param(r, "code"),
		    1, NULL, NULL});
		fld(r, &h, &(struct fld){"new-title", "title",
		    L(r, "Название", "Title"), NULL,
		    ferr_get(fe, "new", "title"), "text",
		    req_param(r, "title"), 1, NULL, NULL});
		cl = req_param(r, "client");
		html_open(&h, "div", "class", "field", NULL);
		html_elem(&h, "label", L(r, "Клиенты", "Clients"), "for",
		    "new-client", NULL);
		html_open(&h, "select", "id", "new-client", "name", "client",
		    NULL);
		html_elem(&h, "option", client_word(r, "external"), "value",
		    "external", NULL);
		html_elem(&h, "option", client_word(r, "internal"), "value",
		    "internal", "selected", cl != NULL &&
		    strcmp(cl, "internal") == 0 ? "" : NULL, NULL);
		html_close(&h);
		html_close(&h);
		html_elem(&h, "button", L(r, "Создать анкету", "Make the survey"),
		    "type", "submit", NULL);
		html_close(&h);
		html_close(&h);
	}
	ui_end(r, &h);
	if (status != 0)
		r->status = status;
	for (i = 0; i < n; i++)
		srv_instr_clear(&v[i]);
	free(v);
}

int
ui_srvs_list(struct req *r)
{
	list_page(r, NULL, 0);
	return 0;
}

/* A first question, so that the new draft can be previewed at once. */
static void
first_question(struct srv_def *d)
{
	struct srv_question *q;

	d->q = xcalloc(1, sizeof(*d->q));
	d->nq = 1;
	q = &d->q[0];
	q->code = xstrdup("overall");
	q->type = SRV_RATING;
	q->text_ru = xstrdup("Насколько вы удовлетворены в целом?");
	q->text_en = xstrdup("How satisfied are you overall?");
	q->required = 1;
}

int
ui_srvs_add(struct req *r)
{
	struct ferrs   fe;
	struct srv_def d;
	struct err     e;
	const char    *code = req_param(r, "code"), *cl = req_param(r, "client");
	char	      *title = trimmed(req_param(r, "title"));

	ferrs_init(&fe, "new");
	if (str_empty(code))
		ferr(&fe, "code", "%s", L(r, "укажите код анкеты.",
		    "give the survey's code."));
	else if (!code_ok(code))
		ferr(&fe, "code", "%s", L(r, "сначала латинская строчная буква, "
					    "затем такие буквы, цифры, «-» и "
					    "«_», до 40 знаков.",
		    "a lower-case Latin letter first, then such letters, "
		    "digits, '-' and '_', up to 40."));
	if (title == NULL)
		ferr(&fe, "title", "%s", L(r, "укажите название.",
		    "give the title."));
	else if (strlen(title) > SRV_TITLE_MAX)
		ferr(&fe, "title", LF(r, "название длиннее %d байт.",
		    "the title is longer than %d bytes."), SRV_TITLE_MAX);
	if (fe.n > 0) {
		free(title);
		list_page(r, &fe, 422);
		return 0;
	}
	memset(&d, 0, sizeof(d));
	d.code = xstrdup(code);
	d.title_ru = title;
	snprintf(d.client, sizeof(d.client), "%s", cl != NULL &&
	    strcmp(cl, "internal") == 0 ? "internal" : "external");
	snprintf(d.access, sizeof(d.access), "open");
	first_question(&d);
	err_clear(&e);
	if (srv_instr_add(r->db, r->session->login, r->org->id, &d, &e) != 0) {
		srv_def_clear(&d);
		if (e.code != EXIT_DATAERR && e.code != EXIT_USAGE)
			return ui_fail(r, &e);
		ferr(&fe, "code", "%s", e.msg);
		list_page(r, &fe, 409);
		return 0;
	}
	srv_def_clear(&d);
	return ui_redirect(r, ui_opath(r, "/surveys/%s/edit?done=added",
	    code));
}

/*
 * One instrument: GET /{org}/surveys/{name}, and its small POST forms.
 */

static void
dl_item(struct html *h, const char *term, const char *value)
{
	html_elem(h, "dt", term, NULL);
	html_elem(h, "dd", value, NULL);
}

static void
versions_table(struct req *r, struct html *h, const char *code)
{
	struct srv_vinfo *v = NULL;
	struct err	  e;
	size_t		  n = 0, i;
	char		  num[32], when[32];

	err_clear(&e);
	if (srv_versions(r->db, r->org->id, code, &v, &n, &e) != 0) {
		html_elem(h, "p", e.msg, "class", "alert", NULL);
		return;
	}
	html_open(h, "div", "class", "table-wrap", NULL);
	html_open(h, "table", NULL);
	html_elem(h, "caption", L(r, "Версии, новые сверху",
	    "Versions, newest first"), NULL);
	html_open(h, "thead", NULL);
	html_open(h, "tr", NULL);
	html_elem(h, "th", L(r, "Версия", "Version"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Состояние", "State"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Название", "Title"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Создана", "Made"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Опубликована", "Published"), "scope", "col",
	    NULL);
	html_elem(h, "th", L(r, "Ответов", "Responses"), "scope", "col", NULL);
	html_close(h);
	html_close(h);
	html_open(h, "tbody", NULL);
	for (i = 0; i < n; i++) {
		html_open(h, "tr", NULL);
		snprintf(num, sizeof(num), "%d", v[i].version);
		html_elem(h, "th", num, "scope", "row", "class", "n", NULL);
		html_elem(h, "td", state_word(r, v[i].state), NULL);
		html_elem(h, "td", v[i].title != NULL ? v[i].title : "", NULL);
		ui_when(r, v[i].created_at, when);
		html_open(h, "td", NULL);
		html_text(h, when);
		if (v[i].created_by != NULL && *v[i].created_by != '\0') {
			html_text(h, ", ");
			html_text(h, v[i].created_by);
		}
		html_close(h);
		ui_when(r, v[i].published_at, when);
		html_elem(h, "td", when, NULL);
		snprintf(num, sizeof(num), "%lld", (long long)v[i].responses);
		html_elem(h, "td", num, "class", "n", NULL);
		html_close(h);
	}
	html_close(h);
	html_close(h);
	html_close(h);
	for (i = 0; i < n; i++)
		srv_vinfo_clear(&v[i]);
	free(v);
}

static const char *
target_kind_word(const struct req *r, const char *kind)
{
	if (strcmp(kind, "touchpoint") == 0)
		return L(r, "точка взаимодействия", "touchpoint");
	if (strcmp(kind, "service") == 0)
		return L(r, "услуга", "service");
	return L(r, "жизненная ситуация", "life situation");
}

/* The public link, its QR code and the poster: for the survey, or for a
 * touchpoint (tp > 0). */
static void
public_links(struct req *r, struct html *h, const char *code, int64_t tp,
    const char *tpname)
{
	char *q = tp > 0 ? xasprintf("?tp=%lld", (long long)tp) : xstrdup("");
	char *link = tp > 0 ? ui_opath(r, "/s/%s/%lld", code, (long long)tp)
			    : ui_opath(r, "/s/%s", code);
	char *svg = ui_opath(r, "/s/%s/qr.svg%s", code, q);
	char *png = ui_opath(r, "/s/%s/qr.png%s", code, q);
	char *poster = ui_opath(r, "/s/%s/poster%s", code, q);
	char *alt;

	alt = tpname != NULL
	    ? xasprintf("%s «%s»", L(r, "QR-код ссылки на анкету для точки",
		  "QR code of the survey's link for the touchpoint"), tpname)
	    : xstrdup(L(r, "QR-код ссылки на анкету",
		  "QR code of the survey's link"));
	html_open(h, "div", "class", "qr", NULL);
	html_void(h, "img", "src", svg, "alt", alt, "width", "160", "height",
	    "160", NULL);
	html_open(h, "ul", NULL);
	html_open(h, "li", NULL);
	html_elem(h, "a", link, "href", link, NULL);
	html_close(h);
	html_open(h, "li", NULL);
	html_elem(h, "a", L(r, "QR-код в PNG", "QR code as PNG"), "href", png,
	    NULL);
	html_close(h);
	html_open(h, "li", NULL);
	html_elem(h, "a", L(r, "Плакат A4 для печати", "A4 poster to print"),
	    "href", poster, NULL);
	html_close(h);
	html_close(h);
	html_close(h);
	free(alt);
	free(q);
	free(link);
	free(svg);
	free(png);
	free(poster);
}

static void
targets_section(struct req *r, struct html *h, const struct srv_instr *in,
    const struct ferrs *fe, int analyst)
{
	struct srv_target *v = NULL;
	struct registry	  *reg;
	struct err	   e;
	size_t		   n = 0, i;
	char		  *p;

	html_open(h, "section", "aria-labelledby", "targets-title", NULL);
	html_elem(h, "h2", L(r, "Где проводится анкетирование",
	    "Where the survey is offered"), "id", "targets-title", NULL);
	err_clear(&e);
	if (srv_targets(r->db, r->org->id, in->code, &v, &n, &e) != 0)
		html_elem(h, "p", e.msg, "class", "alert", NULL);
	if (n == 0)
		html_elem(h, "p", L(r, "Анкета пока ни к чему не привязана: она "
				      "доступна по общей ссылке.",
				      "The survey is not attached to anything "
				      "yet: it is reached by its general "
				      "link."), NULL);
	else {
		html_open(h, "ul", "class", "targets", NULL);
		for (i = 0; i < n; i++) {
			html_open(h, "li", NULL);
			html_textf(h, "%s: ", target_kind_word(r, v[i].kind));
			html_elem(h, "strong", v[i].name != NULL ? v[i].name
			    : "—", NULL);
			if (analyst) {
				html_text(h, " ");
				p = ui_opath(r, "/surveys/%s/targets/%lld/"
						"detach", in->code,
				    (long long)v[i].id);
				html_open(h, "form", "method", "post",
				    "action", p, "class", "inline", NULL);
				ui_csrf(r, h);
				html_open(h, "button", "type", "submit",
				    "class", "secondary", NULL);
				html_text(h, L(r, "Отвязать", "Detach"));
				html_elem(h, "span", v[i].name != NULL
				    ? v[i].name : "", "class",
				    "visually-hidden", NULL);
				html_close(h);
				html_close(h);
				free(p);
			}
			if (strcmp(v[i].kind, "touchpoint") == 0 &&
			    in->current_id != 0)
				public_links(r, h, in->code,
				    v[i].touchpoint_id, v[i].name);
			html_close(h);
		}
		html_close(h);
	}
	if (analyst) {
		form_alert(r, h, fe, "attach", "Не привязано: исправьте поле с "
					       "ошибкой.",
		    "Not attached: correct the field marked.");
		reg = touchpoints(r);
		p = ui_opath(r, "/surveys/%s/targets", in->code);
		if (reg != NULL) {
			html_open(h, "form", "method", "post", "action", p,
			    "class", "stack", NULL);
			ui_csrf(r, h);
			html_void(h, "input", "type", "hidden", "name", "kind",
			    "value", "touchpoint", NULL);
			tp_select(r, h, "at-touchpoint", "touchpoint",
			    L(r, "Точка взаимодействия из перечня",
				"A touchpoint of the registry"), reg,
			    req_param(r, "touchpoint"), NULL,
			    ferr_get(fe, "attach", "touchpoint"));
			html_elem(h, "button", L(r, "Привязать к точке",
			    "Attach to the touchpoint"), "type", "submit",
			    NULL);
			html_close(h);
		}
		touchpoints_free(reg);
		html_open(h, "form", "method", "post", "action", p, "class",
		    "stack", NULL);
		ui_csrf(r, h);
		html_void(h, "input", "type", "hidden", "name", "kind",
		    "value", "service", NULL);
		fld(r, h, &(struct fld){"at-service", "name",
		    L(r, "Услуга (название)", "A service (its name)"), NULL,
		    ferr_get(fe, "attach", "service"), "text", NULL, 0,
		    NULL, NULL});
		html_elem(h, "button", L(r, "Привязать к услуге",
		    "Attach to the service"), "type", "submit", NULL);
		html_close(h);
		html_open(h, "form", "method", "post", "action", p, "class",
		    "stack", NULL);
		ui_csrf(r, h);
		html_void(h, "input", "type", "hidden", "name", "kind",
		    "value", "situation", NULL);
		fld(r, h, &(struct fld){"at-situation", "name",
		    L(r, "Жизненная ситуация (название)",
			"A life situation (its name)"), NULL,
		    ferr_get(fe, "attach", "situation"), "text", NULL, 0,
		    NULL, NULL});
		html_elem(h, "button", L(r, "Привязать к ситуации",
		    "Attach to the situation"), "type", "submit", NULL);
		html_close(h);
		free(p);
	}
	html_close(h);
	for (i = 0; i < n; i++)
		srv_target_clear(&v[i]);
	free(v);
}

static void
invites_section(struct req *r, struct html *h, const struct srv_instr *in,
    const struct ferrs *fe)
{
	struct srv_batch *v = NULL;
	struct err	  e;
	struct buf	  base;
	size_t		  n = 0, i;
	char		  num[32], when[32], *p;

	html_open(h, "section", "aria-labelledby", "inv-title", NULL);
	html_elem(h, "h2", L(r, "Приглашения", "Invitations"), "id",
	    "inv-title", NULL);
	html_elem(h, "p", L(r, "Одноразовые ссылки для рассылки: каждая "
			      "принимает один ответ, и связь ссылки с ответом "
			      "не сохраняется. Ссылки показываются один раз — "
			      "в скачиваемом файле; в базе хранятся только их "
			      "хеши.",
			      "Single-use links for mailings: each takes one "
			      "answer, and nothing links it to the answer. The "
			      "links are shown once, in the file downloaded; "
			      "only their hashes are stored."), NULL);
	err_clear(&e);
	if (srv_invite_batches(r->db, r->org->id, in->code, &v, &n, &e) != 0)
		html_elem(h, "p", e.msg, "class", "alert", NULL);
	else if (n > 0) {
		html_open(h, "div", "class", "table-wrap", NULL);
		html_open(h, "table", NULL);
		html_elem(h, "caption", L(r, "Выпущенные приглашения",
		    "Invitations made"), NULL);
		html_open(h, "thead", NULL);
		html_open(h, "tr", NULL);
		html_elem(h, "th", L(r, "Партия", "Batch"), "scope", "col",
		    NULL);
		html_elem(h, "th", L(r, "Выпущено", "Made"), "scope", "col",
		    NULL);
		html_elem(h, "th", L(r, "Использовано", "Used"), "scope",
		    "col", NULL);
		html_elem(h, "th", L(r, "Когда", "When"), "scope", "col", NULL);
		html_close(h);
		html_close(h);
		html_open(h, "tbody", NULL);
		for (i = 0; i < n; i++) {
			html_open(h, "tr", NULL);
			html_elem(h, "th", v[i].batch, "scope", "row", NULL);
			snprintf(num, sizeof(num), "%lld", (long long)v[i].made);
			html_elem(h, "td", num, "class", "n", NULL);
			snprintf(num, sizeof(num), "%lld", (long long)v[i].used);
			html_elem(h, "td", num, "class", "n", NULL);
			ui_when(r, v[i].created_at, when);
			html_elem(h, "td", when, NULL);
			html_close(h);
		}
		html_close(h);
		html_close(h);
		html_close(h);
	}
	form_alert(r, h, fe, "invite", "Приглашения не выпущены: исправьте "
				       "поля с ошибками.",
	    "No invitations made: correct the fields marked.");
	p = ui_opath(r, "/surveys/%s/invites", in->code);
	html_open(h, "form", "method", "post", "action", p, "class", "stack",
	    NULL);
	free(p);
	ui_csrf(r, h);
	snprintf(num, sizeof(num), "%d", SRV_INVITES_MAX);
	fld(r, h, &(struct fld){"inv-n", "n", L(r, "Сколько приглашений",
	    "How many invitations"), L(r, "От 1 до 10 000.",
	    "From 1 to 10,000."), ferr_get(fe, "invite", "n"), "number",
	    req_param(r, "n"), 1, "max", num});
	fld(r, h, &(struct fld){"inv-batch", "batch", L(r, "Название партии",
	    "Batch name"), L(r, "Например, «Рассылка сотрудникам, май».",
	    "E.g. \"Mailing to the staff, May\"."),
	    ferr_get(fe, "invite", "batch"), "text", req_param(r, "batch"), 1,
	    NULL, NULL});
	buf_init(&base, 1024);
	if (!str_empty(req_param(r, "base")))
		buf_puts(&base, req_param(r, "base"));
	else
		req_base_url(r, &base);
	fld(r, h, &(struct fld){"inv-base", "base", L(r, "Адрес сайта "
	    "«Отклика» для ссылок", "The address of this site for the links"),
	    L(r, "Начало ссылок, например https://otklik.example.ru; пусто — "
	    "адрес, по которому открыта эта страница.", "Where the links "
	    "start, e.g. https://otklik.example.ru; empty: the address this "
	    "page is open at."), ferr_get(fe, "invite", "base"), "url",
	    buf_str(&base), 0, NULL, NULL});
	buf_free(&base);
	html_elem(h, "button", L(r, "Выпустить и скачать CSV",
	    "Make them and download the CSV"), "type", "submit", NULL);
	html_close(h);
	html_close(h);
	for (i = 0; i < n; i++)
		free(v[i].batch);
	free(v);
}

static void
overview_page(struct req *r, const struct srv_instr *in,
    const struct ferrs *fe, int status)
{
	struct html h;
	int	    analyst = holds(r, "analyst");
	char	    num[64], *p;
	const char *title = in->title != NULL ? in->title : in->code;

	ui_begin(r, &h, title);
	instr_nav(r, &h, in->code, P_OVERVIEW);
	html_elem(&h, "h1", title, NULL);
	notice(r, &h);
	form_alert(r, &h, fe, "state", "Действие не выполнено.",
	    "Not done.");
	html_open(&h, "dl", "class", "summary", NULL);
	dl_item(&h, L(r, "Код", "Code"), in->code);
	dl_item(&h, L(r, "Вид", "Kind"), in->standard[0] != '\0'
	    ? L(r, "стандартная (R-SRV-2)", "standard (R-SRV-2)")
	    : L(r, "собственная", "own"));
	dl_item(&h, L(r, "Клиенты", "Clients"), client_word(r, in->client));
	dl_item(&h, L(r, "Приём ответов", "Answers"), in->open
	    ? L(r, "открыт", "open") : L(r, "закрыт", "closed"));
	dl_item(&h, L(r, "Доступ", "Access"), access_word(r, in->access));
	snprintf(num, sizeof(num), "%d", in->current);
	dl_item(&h, L(r, "Действующая версия", "Current version"),
	    in->current_id != 0 ? num : L(r, "нет (не опубликована)",
	    "none (not published)"));
	snprintf(num, sizeof(num), "%d", in->draft);
	dl_item(&h, L(r, "Черновик", "Draft"), in->draft_id != 0 ? num
	    : L(r, "нет", "none"));
	snprintf(num, sizeof(num), "%lld", (long long)in->responses);
	dl_item(&h, L(r, "Ответов всего", "Responses in all"), num);
	html_close(&h);

	if (analyst) {
		html_open(&h, "div", "class", "actions", NULL);
		if (in->draft_id != 0) {
			snprintf(num, sizeof(num), "%s %d", L(r, "Опубликовать "
			    "черновик версии", "Publish the draft of version"),
			    in->draft);
			p = ui_opath(r, "/surveys/%s/publish", in->code);
			button_form(r, &h, p, num, NULL, NULL, NULL);
			free(p);
			p = ui_opath(r, "/surveys/%s/discard", in->code);
			button_form(r, &h, p, L(r, "Удалить черновик",
			    "Discard the draft"), "secondary", NULL, NULL);
			free(p);
		}
		if (in->current_id != 0) {
			p = ui_opath(r, "/surveys/%s/open", in->code);
			button_form(r, &h, p, in->open
			    ? L(r, "Закрыть приём ответов", "Stop taking "
				   "answers")
			    : L(r, "Открыть приём ответов", "Take answers"),
			    "secondary", "open", in->open ? "0" : "1");
			free(p);
		}
		p = ui_opath(r, "/surveys/%s/access", in->code);
		html_open(&h, "form", "method", "post", "action", p, "class",
		    "inline", NULL);
		free(p);
		ui_csrf(r, &h);
		html_elem(&h, "label", L(r, "Кто может ответить", "Who may "
		    "answer"), "for", "access", NULL);
		html_text(&h, " ");
		html_open(&h, "select", "id", "access", "name", "access", NULL);
		html_elem(&h, "option", access_word(r, "open"), "value", "open",
		    "selected", strcmp(in->access, "open") == 0 ? "" : NULL,
		    NULL);
		html_elem(&h, "option", access_word(r, "invite"), "value",
		    "invite", "selected", strcmp(in->access, "invite") == 0
		    ? "" : NULL, NULL);
		html_close(&h);
		html_text(&h, " ");
		html_elem(&h, "button", L(r, "Изменить", "Change"), "type",
		    "submit", "class", "secondary", NULL);
		html_close(&h);
		html_close(&h);
	}

	html_open(&h, "section", "aria-labelledby", "versions-title", NULL);
	html_elem(&h, "h2", L(r, "Версии", "Versions"), "id",
	    "versions-title", NULL);
	versions_table(r, &h, in->code);
	html_close(&h);

	if (in->current_id != 0) {
		html_open(&h, "section", "aria-labelledby", "link-title", NULL);
		html_elem(&h, "h2", L(r, "Ссылка и QR-код", "Link and QR code"),
		    "id", "link-title", NULL);
		if (!in->open)
			html_elem(&h, "p", L(r, "Приём ответов закрыт: по ссылке "
					       "анкета не откроется.",
					       "The survey takes no answers: "
					       "the link will not open it."),
			    "class", "hint", NULL);
		public_links(r, &h, in->code, 0, NULL);
		html_close(&h);
	}
	targets_section(r, &h, in, fe, analyst);
	if (analyst)
		invites_section(r, &h, in, fe);
	ui_end(r, &h);
	if (status != 0)
		r->status = status;
}

int
ui_srvs_overview(struct req *r)
{
	struct srv_instr in;

	if (instr_load(r, &in) != 0)
		return 0;
	overview_page(r, &in, NULL, 0);
	srv_instr_clear(&in);
	return 0;
}

/* A refusal of a state change, shown on the overview. */
static int
state_refused(struct req *r, const struct err *e)
{
	struct srv_instr in;
	struct ferrs	 fe;

	if (e->code != EXIT_DATAERR && e->code != EXIT_USAGE)
		return ui_fail(r, e);
	if (instr_load(r, &in) != 0)
		return 0;
	ferrs_init(&fe, "state");
	ferr(&fe, NULL, "%s", e->msg);
	overview_page(r, &in, &fe, 409);
	srv_instr_clear(&in);
	return 0;
}

int
ui_srvs_publish(struct req *r)
{
	struct err e;

	err_clear(&e);
	if (!code_ok(code_of(r)))
		return req_error(r, 404, NULL, L(r, "Такой анкеты нет.",
		    "There is no such survey."));
	if (srv_publish(r->db, r->session->login, r->org->id, code_of(r),
		&e) != 0)
		return state_refused(r, &e);
	return ui_redirect(r, ui_opath(r, "/surveys/%s?done=published",
	    code_of(r)));
}

int
ui_srvs_discard(struct req *r)
{
	struct err e;

	err_clear(&e);
	if (!code_ok(code_of(r)))
		return req_error(r, 404, NULL, L(r, "Такой анкеты нет.",
		    "There is no such survey."));
	if (srv_draft_discard(r->db, r->session->login, r->org->id,
		code_of(r), &e) != 0)
		return state_refused(r, &e);
	return ui_redirect(r, ui_opath(r, "/surveys/%s?done=discarded",
	    code_of(r)));
}

int
ui_srvs_open(struct req *r)
{
	const char *v = req_param(r, "open");
	int	    open = v != NULL && strcmp(v, "1") == 0;
	struct err  e;

	err_clear(&e);
	if (!code_ok(code_of(r)))
		return req_error(r, 404, NULL, L(r, "Такой анкеты нет.",
		    "There is no such survey."));
	if (srv_set_open(r->db, r->session->login, r->org->id, code_of(r),
		open, &e) != 0)
		return state_refused(r, &e);
	return ui_redirect(r, ui_opath(r, "/surveys/%s?done=%s", code_of(r),
	    open ? "opened" : "closed"));
}

int
ui_srvs_access(struct req *r)
{
	const char *v = req_param(r, "access");
	struct err  e;

	err_clear(&e);
	if (!code_ok(code_of(r)))
		return req_error(r, 404, NULL, L(r, "Такой анкеты нет.",
		    "There is no such survey."));
	if (srv_set_access(r->db, r->session->login, r->org->id, code_of(r),
		v, &e) != 0)
		return state_refused(r, &e);
	return ui_redirect(r, ui_opath(r, "/surveys/%s?done=access",
	    code_of(r)));
}

int
ui_srvs_attach(struct req *r)
{
	const char	*kind = req_param(r, "kind"), *tp = req_param(r, "touchpoint");
	struct srv_instr in;
	struct ferrs	 fe;
	struct err	 e;
	char		*name = trimmed(req_param(r, "name"));
	int64_t		 tpid = 0;
	int		 is_tp = strcmp(kind, "touchpoint") == 0;

	ferrs_init(&fe, "attach");
	if (is_tp) {
		if (str_empty(tp))
			ferr(&fe, "touchpoint", "%s", L(r, "выберите точку.",
			    "choose a touchpoint."));
		else
			tpid = strtoll(tp, NULL, 10);
	} else if (name == NULL)
		ferr(&fe, kind, "%s", L(r, "укажите название.",
		    "give the name."));
	else if (strlen(name) > SRV_TITLE_MAX)
		ferr(&fe, kind, LF(r, "название длиннее %d байт.",
		    "the name is longer than %d bytes."), SRV_TITLE_MAX);
	err_clear(&e);
	if (fe.n == 0 && srv_attach(r->db, r->session->login, r->org->id,
		code_of(r), kind, tpid, is_tp ? NULL : name, &e) != 0) {
		if (e.code != EXIT_DATAERR && e.code != EXIT_USAGE) {
			free(name);
			return ui_fail(r, &e);
		}
		ferr(&fe, is_tp ? "touchpoint" : kind, "%s", e.msg);
	}
	free(name);
	if (fe.n > 0) {
		if (instr_load(r, &in) != 0)
			return 0;
		overview_page(r, &in, &fe, 422);
		srv_instr_clear(&in);
		return 0;
	}
	return ui_redirect(r, ui_opath(r, "/surveys/%s?done=attached",
	    code_of(r)));
}

int
ui_srvs_detach(struct req *r)
{
	struct err e;

	err_clear(&e);
	if (!code_ok(code_of(r)))
		return req_error(r, 404, NULL, L(r, "Такой анкеты нет.",
		    "There is no such survey."));
	if (srv_detach(r->db, r->session->login, r->org->id, code_of(r),
		r->id, &e) != 0)
		return state_refused(r, &e);
	return ui_redirect(r, ui_opath(r, "/surveys/%s?done=detached",
	    code_of(r)));
}

/* The start of the links: http(s)://host[:port], nothing after. */
static char *
base_check(const char *v)
{
	const char *host;
	char	   *b;
	size_t	    n, i;

	if (v == NULL)
		return NULL;
	if (strncmp(v, "https://", 8) == 0)
		host = v + 8;
	else if (strncmp(v, "http://", 7) == 0)
		host = v + 7;
	else
		return NULL;
	n = strlen(host);
	while (n > 0 && host[n - 1] == '/')
		n--;
	if (n == 0 || n > 200)
		return NULL;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)host[i]) && host[i] != '.' &&
		    host[i] != '-' && host[i] != ':' && host[i] != '[' &&
		    host[i] != ']')
			return NULL;
	b = xmalloc((size_t)(host - v) + n + 1);
	memcpy(b, v, (size_t)(host - v) + n);
	b[(host - v) + n] = '\0';
	return b;
}

int
ui_srvs_invite(struct req *r)
{
	struct srv_instr in;
	struct ferrs	 fe;
	struct err	 e;
	struct buf	 csv;
	const char	*pn = req_param(r, "n");
	char		*batch = trimmed(req_param(r, "batch"));
	char		*base = NULL;
	char		**tok = NULL, *name;
	long		 n = str_empty(pn) ? 0 : strtol(pn, NULL, 10);
	size_t		 i;

	ferrs_init(&fe, "invite");
	if (!str_empty(req_param(r, "base")))
		base = base_check(req_param(r, "base"));
	else {
		/* The address the page was open at, as the QR codes use. */
		buf_init(&csv, 1024);
		if (req_base_url(r, &csv) == 0)
			base = base_check(buf_str(&csv));
		buf_free(&csv);
	}
	if (n < 1 || n > SRV_INVITES_MAX)
		ferr(&fe, "n", "%s", L(r, "укажите число от 1 до 10 000.",
		    "give a number from 1 to 10,000."));
	if (batch == NULL)
		ferr(&fe, "batch", "%s", L(r, "назовите партию.",
		    "name the batch."));
	else if (strlen(batch) > BATCH_MAX)
		ferr(&fe, "batch", LF(r, "название длиннее %d байт.",
		    "the name is longer than %d bytes."), BATCH_MAX);
	if (base == NULL)
		ferr(&fe, "base", "%s", L(r, "укажите адрес вида "
					    "https://имя-сайта, без пути.",
		    "give an address like https://site-name, without a path."));
	err_clear(&e);
	if (fe.n == 0 && srv_invite_make(r->db, r->session->login,
		r->org->id, code_of(r), batch, (size_t)n, &tok, &e) != 0) {
		if (e.code != EXIT_DATAERR && e.code != EXIT_USAGE) {
			free(batch);
			free(base);
			return ui_fail(r, &e);
		}
		ferr(&fe, NULL, "%s", e.msg);
	}
	if (fe.n > 0) {
		free(batch);
		free(base);
		if (instr_load(r, &in) != 0)
			return 0;
		overview_page(r, &in, &fe, 422);
		srv_instr_clear(&in);
		return 0;
	}
	/* Shown once: the tokens exist in clear only in this answer. */
	buf_init(&csv, BUF_MAX_DEFAULT);
	buf_puts(&csv, "link\r\n");
	for (i = 0; i < (size_t)n; i++) {
		buf_printf(&csv, "%s/%s/s/%s?k=%s\r\n", base, r->org->slug,
		    code_of(r), tok[i]);
		sodium_memzero(tok[i], strlen(tok[i]));
		free(tok[i]);
	}
	free(tok);
	name = xasprintf("invitations-%s-%s.csv", r->org->slug, code_of(r));
	/* Staff pages go out with "Cache-Control: no-store" (http.c). */
	req_file(r, "text/csv; charset=utf-8", name, csv.data, csv.len);
	sodium_memzero(csv.data, csv.len);
	buf_free(&csv);
	free(name);
	free(batch);
	free(base);
	return 0;
}

/*
 * The builder: GET and POST /{org}/surveys/{name}/edit.  Every action is
 * a small form that loads the draft (or the current version, which the
 * first save turns into a new draft), changes one thing, and saves it
 * through srv_draft_save, which checks the whole definition.
 */

/* Options as the textarea holds them: "code = текст | text", a line each. */
static void
options_text(const struct srv_question *q, struct buf *b)
{
	size_t i;

	for (i = 0; i < q->noptions; i++) {
		buf_printf(b, "%s = %s", q->options[i].code,
		    q->options[i].text_ru != NULL ? q->options[i].text_ru : "");
		if (q->options[i].text_en != NULL &&
		    *q->options[i].text_en != '\0')
			buf_printf(b, " | %s", q->options[i].text_en);
		buf_putc(b, '\n');
	}
}

static void
show_any_text(const struct srv_question *q, struct buf *b)
{
	size_t i;

	for (i = 0; i < q->nshow_any; i++)
		buf_printf(b, "%s%s", i > 0 ? ", " : "", q->show_any[i]);
}

static void
options_free(struct srv_option *o, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(o[i].code);
		free(o[i].text_ru);
		free(o[i].text_en);
	}
	free(o);
}

static void
question_free(struct srv_question *q)
{
	size_t i;

	free(q->code);
	free(q->text_ru);
	free(q->text_en);
	free(q->hint_ru);
	free(q->hint_en);
	options_free(q->options, q->noptions);
	free(q->show_if);
	for (i = 0; i < q->nshow_any; i++)
		free(q->show_any[i]);
	free(q->show_any);
	memset(q, 0, sizeof(*q));
}

/* A copy of a piece of text, without the white space around it. */
static char *
span_dup(const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return n == 0 ? NULL : xstrndup(s, n);
}

/*
 * Reads the options' textarea: a line "code = текст" or "code = текст |
 * text" per option, empty lines skipped.  The first problem is reported
 * with its line; returns 0 or -1.
 */
static int
options_parse(const struct req *r, const char *text, struct srv_option **out,
    size_t *nout, struct ferrs *fe)
{
	struct srv_option *o = NULL;
	const char	  *line = text, *end, *eq, *bar;
	size_t		   n = 0, k;
	long		   ln = 0;
	char		  *code;

	*out = NULL;
	*nout = 0;
	for (; line != NULL && *line != '\0'; line = *end != '\0' ? end + 1
							       : end) {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		ln++;
		if ((code = span_dup(line, (size_t)(end - line))) == NULL)
			continue;
		free(code);
		if (n == SRV_OPTIONS_MAX) {
			ferr(fe, "options", LF(r, "строка %ld: вариантов больше "
			    "%d.", "line %ld: more than %d options."), ln,
			    SRV_OPTIONS_MAX);
			goto fail;
		}
		eq = memchr(line, '=', (size_t)(end - line));
		if (eq == NULL) {
			ferr(fe, "options", LF(r, "строка %ld: нет знака «=» "
			    "между кодом и текстом.", "line %ld: no '=' "
			    "between the code and the text."), ln);
			goto fail;
		}
		o = xreallocarray(o, n + 1, sizeof(*o));
		memset(&o[n], 0, sizeof(o[n]));
		o[n].code = span_dup(line, (size_t)(eq - line));
		n++;
		bar = memchr(eq + 1, '|', (size_t)(end - eq - 1));
		o[n - 1].text_ru = span_dup(eq + 1, (size_t)((bar != NULL ? bar
		    : end) - eq - 1));
		if (bar != NULL)
			o[n - 1].text_en = span_dup(bar + 1,
			    (size_t)(end - bar - 1));
		if (o[n - 1].code == NULL || !code_ok(o[n - 1].code)) {
			ferr(fe, "options", LF(r, "строка %ld: код варианта — "
			    "латинская строчная буква, затем такие буквы, "
			    "цифры, «-», «_», до %d знаков.", "line %ld: an "
			    "option's code is a lower-case Latin letter, then "
			    "such letters, digits, '-', '_', up to %d."), ln,
			    SRV_CODE_MAX);
			goto fail;
		}
		for (k = 0; k + 1 < n; k++)
			if (strcmp(o[k].code, o[n - 1].code) == 0) {
				ferr(fe, "options", LF(r, "строка %ld: код «%s» "
				    "уже есть.", "line %ld: the code '%s' is "
				    "there already."), ln, o[n - 1].code);
				goto fail;
			}
		if (o[n - 1].text_ru == NULL) {
			ferr(fe, "options", LF(r, "строка %ld: нет текста "
			    "варианта после «=».", "line %ld: no text of the "
			    "option after '='."), ln);
			goto fail;
		}
		if (strlen(o[n - 1].text_ru) > SRV_TITLE_MAX ||
		    (o[n - 1].text_en != NULL &&
			strlen(o[n - 1].text_en) > SRV_TITLE_MAX)) {
			ferr(fe, "options", LF(r, "строка %ld: текст длиннее %d "
			    "байт.", "line %ld: the text is longer than %d "
			    "bytes."), ln, SRV_TITLE_MAX);
			goto fail;
		}
	}
	*out = o;
	*nout = n;
	return 0;
fail:
	options_free(o, n);
	return -1;
}

/* "a, b c;d" into codes. */
static void
codes_parse(const char *text, char ***out, size_t *nout)
{
	const char *p = text, *s;
	char	  **v = NULL;
	size_t	    n = 0;

	while (p != NULL && *p != '\0') {
		while (*p == ',' || *p == ';' || isspace((unsigned char)*p))
			p++;
		s = p;
		while (*p != '\0' && *p != ',' && *p != ';' &&
		    !isspace((unsigned char)*p))
			p++;
		if (p > s && n < SRV_OPTIONS_MAX) {
			v = xreallocarray(v, n + 1, sizeof(*v));
			v[n++] = xstrndup(s, (size_t)(p - s));
		}
	}
	*out = v;
	*nout = n;
}

/* A text field of a question: trimmed, NULL when empty, within max. */
static char *
qtext(const struct req *r, const char *name, size_t max, int required,
    struct ferrs *fe, const char *ru, const char *en)
{
	char *v = trimmed(req_param(r, name));

	if (v == NULL && required)
		ferr(fe, name, "%s", L(r, ru, en));
	if (v != NULL && strlen(v) > max) {
		ferr(fe, name, LF(r, "длиннее %zu байт.",
		    "longer than %zu bytes."), max);
		free(v);
		v = NULL;
	}
	return v;
}

/*
 * A question from its form; i is its place (d->nq for a new one).  Each
 * problem goes next to its field; returns the number of problems.
 */
static size_t
question_read(const struct req *r, const struct srv_def *d, size_t i,
    struct srv_question *q, struct ferrs *fe)
{
	const char *code = req_param(r, "code"), *type = req_param(r, "type");
	const char *req = req_param(r, "required"), *max = req_param(r, "max");
	const char *opts = req_param(r, "options");
	size_t	    k, n0 = fe->n;
	int	    t, sif;

	memset(q, 0, sizeof(*q));
	if (str_empty(code))
		ferr(fe, "code", "%s", L(r, "укажите код вопроса.",
		    "give the question's code."));
	else if (!code_ok(code))
		ferr(fe, "code", LF(r, "код — латинская строчная буква, затем "
		    "такие буквы, цифры, «-», «_», до %d знаков.", "a code is "
		    "a lower-case Latin letter, then such letters, digits, "
		    "'-', '_', up to %d."), SRV_CODE_MAX);
	else {
		for (k = 0; k < d->nq; k++)
			if (k != i && strcmp(d->q[k].code, code) == 0)
				break;
		if (k < d->nq)
			ferr(fe, "code", LF(r, "этот код уже у вопроса %zu.",
			    "question %zu has this code already."), k + 1);
		q->code = xstrdup(code);
	}
	t = type != NULL ? srv_qtype_parse(type) : -1;
	if (t < 0)
		ferr(fe, "type", "%s", L(r, "выберите тип вопроса.",
		    "choose the question's type."));
	q->type = t < 0 ? SRV_RATING : (enum srv_qtype)t;
	q->text_ru = qtext(r, "text_ru", SRV_TITLE_MAX, 1, fe,
	    "напишите текст вопроса.", "write the question.");
	q->text_en = qtext(r, "text_en", SRV_TITLE_MAX, 0, fe, "", "");
	q->hint_ru = qtext(r, "hint_ru", SRV_INTRO_MAX, 0, fe, "", "");
	q->hint_en = qtext(r, "hint_en", SRV_INTRO_MAX, 0, fe, "", "");
	q->required = req != NULL && strcmp(req, "1") == 0;
	if (!str_empty(max)) {
		q->max = (size_t)strtoul(max, NULL, 10);
		if (q->type != SRV_TEXT)
			ferr(fe, "max", "%s", L(r, "предел длины — только для "
			    "свободного ответа.", "a length limit is for free "
			    "text only."));
		else if (q->max < 1 || q->max > SRV_ANSWER_MAX)
			ferr(fe, "max", LF(r, "от 1 до %d байт.",
			    "from 1 to %d bytes."), SRV_ANSWER_MAX);
	}
	if (q->type == SRV_SINGLE || q->type == SRV_MULTI) {
		if (options_parse(r, opts, &q->options, &q->noptions, fe) == 0 &&
		    q->noptions == 0)
			ferr(fe, "options", "%s", L(r, "у вопроса с выбором "
			    "должны быть варианты: строка на каждый.",
			    "a choice question needs options: a line each."));
	} else if (!str_empty(opts))
		ferr(fe, "options", "%s", L(r, "варианты бывают только у "
		    "вопросов с выбором: очистите поле или смените тип.",
		    "only choice questions have options: empty the field or "
		    "change the type."));
	if (!str_empty(req_param(r, "show_if"))) {
		q->show_if = xstrdup(req_param(r, "show_if"));
		sif = srv_def_find(d, q->show_if);
		if (sif < 0 || (size_t)sif >= i)
			ferr(fe, "show_if", "%s", L(r, "условие может ссылаться "
			    "только на вопрос выше.", "the condition can only "
			    "name a question above."));
		codes_parse(req_param(r, "show_any"), &q->show_any,
		    &q->nshow_any);
		if (q->nshow_any == 0)
			ferr(fe, "show_any", "%s", L(r, "перечислите коды "
			    "вариантов, при которых вопрос показывается.",
			    "list the options' codes that show the "
			    "question."));
	} else if (!str_empty(req_param(r, "show_any")))
		ferr(fe, "show_if", "%s", L(r, "выберите вопрос, от ответа на "
		    "который зависит показ.", "choose the question whose "
		    "answer shows this one."));
	return fe->n - n0;
}

/*
 * One question's form: the question itself, or (q NULL) a new one.  When
 * the failed form is this one, the values sent are shown again.
 */
static void
question_form(struct req *r, struct html *h, const struct srv_def *d,
    size_t i, const struct srv_question *q, const struct ferrs *fe)
{
	static const char *const fnames[] = {"code", "type", "text_ru",
	    "text_en", "hint_ru", "hint_en", "required", "options", "max",
	    "show_if", "show_any"};
	struct buf  opts, any;
	char	    id[11][40], num[24], *p, fid[16];
	const char *form, *cur_type, *cur_sif, *req;
	int	    again, k;
	size_t	    j;

	snprintf(fid, sizeof(fid), "q%zu", i);
	form = q != NULL ? fid : "add";
	again = fe != NULL && fe->keep && fe->form != NULL &&
	    strcmp(fe->form, form) == 0;
	buf_init(&opts, 1 << 20);
	buf_init(&any, 65536);
	if (q != NULL && !again) {
		options_text(q, &opts);
		show_any_text(q, &any);
	}
	for (k = 0; k < 11; k++)
		snprintf(id[k], sizeof(id[k]), "%s-%s", form, fnames[k]);
#define V(name, have) (again ? req_param(r, name) : (have))
	p = ui_opath(r, "/surveys/%s/edit", d->code);
	html_open(h, "form", "method", "post", "action", p, "class", "stack",
	    NULL);
	free(p);
	ui_csrf(r, h);
	html_void(h, "input", "type", "hidden", "name", "op", "value",
	    q != NULL ? "save" : "add", NULL);
	snprintf(num, sizeof(num), "%zu", i);
	html_void(h, "input", "type", "hidden", "name", "i", "value", num,
	    NULL);
	if (q != NULL)
		html_void(h, "input", "type", "hidden", "name", "at", "value",
		    q->code, NULL);
	fld(r, h, &(struct fld){id[0], "code", L(r, "Код вопроса",
	    "Question code"), L(r, "Один и тот же показатель — один код во "
	    "всех версиях и анкетах (access, clarity…): так сравниваются "
	    "результаты.", "The same measure keeps the same code in every "
	    "version and survey (access, clarity…): that is how results "
	    "compare."), ferr_get(fe, form, "code"), "text",
	    V("code", q != NULL ? q->code : NULL), 1, NULL, NULL});
	cur_type = V("type", q != NULL ? srv_qtype_name(q->type) : "rating");
	html_open(h, "div", "class", "field", NULL);
	fld_head(r, h, &(struct fld){.id = id[1], .label = L(r, "Тип",
	    "Type"), .err = ferr_get(fe, form, "type")});
	html_open(h, "select", "id", id[1], "name", "type", NULL);
	for (k = SRV_RATING; k <= SRV_TEXT; k++)
		html_elem(h, "option", type_word(r, (enum srv_qtype)k), "value",
		    srv_qtype_name((enum srv_qtype)k), "selected",
		    cur_type != NULL && strcmp(cur_type,
			srv_qtype_name((enum srv_qtype)k)) == 0 ? "" : NULL,
		    NULL);
	html_close(h);
	html_close(h);
	fld(r, h, &(struct fld){id[2], "text_ru", L(r, "Текст вопроса "
	    "(по-русски)", "Question (Russian)"), NULL,
	    ferr_get(fe, form, "text_ru"), "textarea",
	    V("text_ru", q != NULL ? q->text_ru : NULL), 1, NULL, NULL});
	fld(r, h, &(struct fld){id[3], "text_en", L(r, "Текст вопроса "
	    "(по-английски)", "Question (English)"), NULL,
	    ferr_get(fe, form, "text_en"), "text",
	    V("text_en", q != NULL ? q->text_en : NULL), 0, NULL, NULL});
	fld(r, h, &(struct fld){id[4], "hint_ru", L(r, "Пояснение "
	    "(по-русски)", "Hint (Russian)"), NULL,
	    ferr_get(fe, form, "hint_ru"), "text",
	    V("hint_ru", q != NULL ? q->hint_ru : NULL), 0, NULL, NULL});
	fld(r, h, &(struct fld){id[5], "hint_en", L(r, "Пояснение "
	    "(по-английски)", "Hint (English)"), NULL,
	    ferr_get(fe, form, "hint_en"), "text",
	    V("hint_en", q != NULL ? q->hint_en : NULL), 0, NULL, NULL});
	req = again ? req_param(r, "required") : q == NULL || q->required
	    ? "1" : NULL;
	html_open(h, "div", "class", "check", NULL);
	html_void(h, "input", "type", "checkbox", "id", id[6], "name",
	    "required", "value", "1", "checked", req != NULL &&
	    strcmp(req, "1") == 0 ? "" : NULL, NULL);
	html_elem(h, "label", L(r, "Обязательный вопрос", "Required"), "for",
	    id[6], NULL);
	html_close(h);
	fld(r, h, &(struct fld){id[7], "options", L(r, "Варианты ответа",
	    "Options"), L(r, "Для вопросов с выбором: строка на вариант, "
	    "«код = текст» или «код = текст | text in English».",
	    "For choice questions: a line each, \"code = текст\" or "
	    "\"code = текст | text in English\"."),
	    ferr_get(fe, form, "options"), "textarea",
	    V("options", buf_str(&opts)), 0, NULL, NULL});
	snprintf(num, sizeof(num), "%zu", q != NULL && q->max > 0 ? q->max
	    : (size_t)0);
	fld(r, h, &(struct fld){id[8], "max", L(r, "Предел длины ответа, байт",
	    "Answer length limit, bytes"), L(r, "Только для свободного "
	    "ответа; пусто — 4000.", "Free text only; empty: 4000."),
	    ferr_get(fe, form, "max"), "number", V("max", q != NULL &&
	    q->max > 0 ? num : NULL), 0, "min", "1"});
	/* The condition: an earlier choice question and its options. */
	cur_sif = V("show_if", q != NULL ? q->show_if : NULL);
	html_open(h, "div", "class", "field", NULL);
	fld_head(r, h, &(struct fld){.id = id[9], .label = L(r, "Показывать, "
	    "только если на вопрос…", "Show only when the question…"),
	    .err = ferr_get(fe, form, "show_if")});
	html_open(h, "select", "id", id[9], "name", "show_if", NULL);
	html_elem(h, "option", L(r, "— показывать всегда —",
	    "— always show —"), "value", "", NULL);
	for (j = 0; j < i && j < d->nq; j++) {
		if (d->q[j].type != SRV_SINGLE && d->q[j].type != SRV_MULTI)
			continue;
		p = xasprintf("%zu. %s (%s)", j + 1, d->q[j].text_ru,
		    d->q[j].code);
		html_elem(h, "option", p, "value", d->q[j].code, "selected",
		    cur_sif != NULL && strcmp(cur_sif, d->q[j].code) == 0
		    ? "" : NULL, NULL);
		free(p);
	}
	html_close(h);
	html_close(h);
	fld(r, h, &(struct fld){id[10], "show_any", L(r, "…дан один из "
	    "вариантов (коды)", "…got one of the options (codes)"),
	    L(r, "Коды через запятую.", "Codes, separated by commas."),
	    ferr_get(fe, form, "show_any"), "text",
	    V("show_any", buf_str(&any)), 0, NULL, NULL});
#undef V
	html_elem(h, "button", q != NULL ? L(r, "Сохранить вопрос",
	    "Save the question") : L(r, "Добавить вопрос", "Add the question"),
	    "type", "submit", NULL);
	html_close(h);
	buf_free(&opts);
	buf_free(&any);
}

/* Up, down, delete: a button each, with the question named for screen
 * readers. */
static void
question_moves(struct req *r, struct html *h, const struct srv_def *d,
    size_t i)
{
	static const struct {
		const char *op, *ru, *en;
	} moves[] = {
		{"up", "Выше", "Move up"},
		{"down", "Ниже", "Move down"},
		{"del", "Удалить", "Delete"},
	};
	char   num[24], *p;
	size_t k;

	snprintf(num, sizeof(num), "%zu", i);
	p = ui_opath(r, "/surveys/%s/edit", d->code);
	html_open(h, "div", "class", "actions", NULL);
	for (k = 0; k < nitems(moves); k++) {
		if ((k == 0 && i == 0) || (k == 1 && i + 1 == d->nq))
			continue;
		html_open(h, "form", "method", "post", "action", p, "class",
		    "inline", NULL);
		ui_csrf(r, h);
		html_void(h, "input", "type", "hidden", "name", "op", "value",
		    moves[k].op, NULL);
		html_void(h, "input", "type", "hidden", "name", "i", "value",
		    num, NULL);
		html_void(h, "input", "type", "hidden", "name", "at", "value",
		    d->q[i].code, NULL);
		html_open(h, "button", "type", "submit", "class", "secondary",
		    NULL);
		html_text(h, L(r, moves[k].ru, moves[k].en));
		html_open(h, "span", "class", "visually-hidden", NULL);
		html_textf(h, ": %s %zu", L(r, "вопрос", "question"), i + 1);
		html_close(h);
		html_close(h);
		html_close(h);
	}
	html_close(h);
	free(p);
}

static void
edit_page(struct req *r, const struct srv_instr *in, const struct srv_def *d,
    int version, const struct ferrs *fe, int status)
{
	struct html h;
	char	   *title, hid[24], *p;
	const char *err;
	size_t	    i;
	int	    again;

	title = xasprintf("%s: %s", L(r, "Конструктор", "Builder"),
	    d->title_ru != NULL ? d->title_ru : d->code);
	ui_begin(r, &h, title);
	instr_nav(r, &h, in->code, P_EDIT);
	html_elem(&h, "h1", title, NULL);
	notice(r, &h);
	form_alert(r, &h, fe, "stale", "Черновик изменился с тех пор, как "
				       "страница была показана: вот он сейчас. "
				       "Повторите действие.",
	    "The draft changed since the page was shown: here it is now. Do "
	    "it again.");
	html_open(&h, "p", NULL);
	if (in->draft_id != 0)
		html_textf(&h, LF(r, "Черновик версии %d. Изменения видны "
				    "респондентам только после публикации.",
				    "The draft of version %d. Respondents see "
				    "changes only once it is published."),
		    version);
	else
		html_textf(&h, LF(r, "Опубликованная версия %d. Первое "
				    "сохранение создаст черновик версии %d; "
				    "опубликованная остаётся как есть, с её "
				    "ответами.",
				    "Published version %d. The first save makes "
				    "a draft of version %d; the published one "
				    "stays as it is, with its answers."),
		    version, version + 1);
	html_close(&h);
	html_open(&h, "div", "class", "actions", NULL);
	p = ui_opath(r, "/surveys/%s/preview", in->code);
	html_elem(&h, "a", L(r, "Предпросмотр", "Preview"), "href", p, NULL);
	free(p);
	if (in->draft_id != 0) {
		p = ui_opath(r, "/surveys/%s/publish", in->code);
		button_form(r, &h, p, L(r, "Опубликовать черновик",
		    "Publish the draft"), NULL, NULL, NULL);
		free(p);
	}
	html_close(&h);

	/* The title and the introduction. */
	again = fe != NULL && fe->keep && fe->form != NULL &&
	    strcmp(fe->form, "title") == 0;
	html_open(&h, "section", "aria-labelledby", "t-title", NULL);
	html_elem(&h, "h2", L(r, "Название и вступление",
	    "Title and introduction"), "id", "t-title", NULL);
	form_alert(r, &h, fe, "title", "Не сохранено: исправьте поля с "
				       "ошибками.",
	    "Not saved: correct the fields marked.");
	p = ui_opath(r, "/surveys/%s/edit", in->code);
	html_open(&h, "form", "method", "post", "action", p, "class", "stack",
	    NULL);
	free(p);
	ui_csrf(r, &h);
	html_void(&h, "input", "type", "hidden", "name", "op", "value",
	    "title", NULL);
	fld(r, &h, &(struct fld){"t-ru", "title_ru", L(r, "Название "
	    "(по-русски)", "Title (Russian)"), L(r, "Официальное название "
	    "сохраняется точно.", "An official title is kept exactly."),
	    ferr_get(fe, "title", "title_ru"), "text", again
	    ? req_param(r, "title_ru") : d->title_ru, 1, NULL, NULL});
	fld(r, &h, &(struct fld){"t-en", "title_en", L(r, "Название "
	    "(по-английски)", "Title (English)"), NULL,
	    ferr_get(fe, "title", "title_en"), "text", again
	    ? req_param(r, "title_en") : d->title_en, 0, NULL, NULL});
	fld(r, &h, &(struct fld){"t-intro-ru", "intro_ru", L(r, "Вступление "
	    "(по-русски)", "Introduction (Russian)"), NULL,
	    ferr_get(fe, "title", "intro_ru"), "textarea", again
	    ? req_param(r, "intro_ru") : d->intro_ru, 0, NULL, NULL});
	fld(r, &h, &(struct fld){"t-intro-en", "intro_en", L(r, "Вступление "
	    "(по-английски)", "Introduction (English)"), NULL,
	    ferr_get(fe, "title", "intro_en"), "textarea", again
	    ? req_param(r, "intro_en") : d->intro_en, 0, NULL, NULL});
	html_elem(&h, "button", L(r, "Сохранить", "Save"), "type", "submit",
	    NULL);
	html_close(&h);
	html_close(&h);

	/* The questions, in order. */
	html_open(&h, "section", "aria-labelledby", "qs-title", NULL);
	html_elem(&h, "h2", L(r, "Вопросы", "Questions"), "id", "qs-title",
	    NULL);
	if (d->nq == 0)
		html_elem(&h, "p", L(r, "Вопросов пока нет.",
		    "No questions yet."), NULL);
	for (i = 0; i < d->nq; i++) {
		char fid[24], hdid[32];

		snprintf(hid, sizeof(hid), "q-%zu", i + 1);
		snprintf(hdid, sizeof(hdid), "q-%zu-title", i + 1);
		snprintf(fid, sizeof(fid), "q%zu", i);
		html_open(&h, "section", "class", "question", "id", hid,
		    "aria-labelledby", hdid, NULL);
		html_open(&h, "h3", "id", hdid, NULL);
		html_textf(&h, "%s %zu: %s", L(r, "Вопрос", "Question"), i + 1,
		    d->q[i].code);
		html_close(&h);
		html_open(&h, "p", "class", "meta", NULL);
		html_text(&h, type_word(r, d->q[i].type));
		if (d->q[i].required)
			html_textf(&h, ", %s", L(r, "обязательный",
			    "required"));
		if (d->q[i].show_if != NULL)
			html_textf(&h, ", %s «%s»", L(r, "показывается по "
			    "ответу на", "shown by the answer to"),
			    d->q[i].show_if);
		html_close(&h);
		if ((err = ferr_get(fe, fid, NULL)) != NULL)
			html_elem(&h, "p", err, "class", "alert", "role",
			    "alert", NULL);
		if (fe != NULL && fe->form != NULL &&
		    strcmp(fe->form, fid) == 0 && fe->n > 0 &&
		    ferr_get(fe, fid, NULL) == NULL)
			html_elem(&h, "p", L(r, "Вопрос не сохранён: исправьте "
			    "поля с ошибками.", "The question is not saved: "
			    "correct the fields marked."), "class", "alert",
			    "role", "alert", NULL);
		question_form(r, &h, d, i, &d->q[i], fe);
		question_moves(r, &h, d, i);
		html_close(&h);	/* section */
	}
	html_close(&h);

	html_open(&h, "section", "aria-labelledby", "add-title", NULL);
	html_elem(&h, "h2", L(r, "Новый вопрос", "A new question"), "id",
	    "add-title", NULL);
	form_alert(r, &h, fe, "add", "Вопрос не добавлен: исправьте поля с "
				     "ошибками.",
	    "The question is not added: correct the fields marked.");
	if (d->nq < SRV_QUESTIONS_MAX)
		question_form(r, &h, d, d->nq, NULL, fe);
	else
		html_elem(&h, "p", L(r, "В анкете уже 100 вопросов.",
		    "The survey has 100 questions already."), NULL);
	html_close(&h);
	ui_end(r, &h);
	free(title);
	if (status != 0)
		r->status = status;
}

int
ui_srvs_edit(struct req *r)
{
	struct srv_instr in;
	struct srv_def	 d;
	int		 version;

	if (instr_load(r, &in) != 0)
		return 0;
	if (def_load(r, &in, 1, &d, &version) == 0) {
		edit_page(r, &in, &d, version, NULL, 0);
		srv_def_clear(&d);
	}
	srv_instr_clear(&in);
	return 0;
}

/* The title form's fields into the definition; the number of problems. */
static size_t
title_read(const struct req *r, struct srv_def *d, struct ferrs *fe)
{
	char *ru, *en, *iru, *ien;

	ru = qtext(r, "title_ru", SRV_TITLE_MAX, 1, fe, "укажите название.",
	    "give the title.");
	en = qtext(r, "title_en", SRV_TITLE_MAX, 0, fe, "", "");
	iru = qtext(r, "intro_ru", SRV_INTRO_MAX, 0, fe, "", "");
	ien = qtext(r, "intro_en", SRV_INTRO_MAX, 0, fe, "", "");
	if (fe->n > 0) {
		free(ru);
		free(en);
		free(iru);
		free(ien);
		return fe->n;
	}
	set_str(&d->title_ru, ru);
	set_str(&d->title_en, en);
	set_str(&d->intro_ru, iru);
	set_str(&d->intro_en, ien);
	return 0;
}

/* Applies one action of the builder to the definition; 0, or -1 with
 * the problems in fe. */
static int
edit_apply(struct req *r, struct srv_def *d, const char *op, size_t i,
    struct ferrs *fe)
{
	struct srv_question q, t;

	if (strcmp(op, "title") == 0)
		return title_read(r, d, fe) == 0 ? 0 : -1;
	if (strcmp(op, "add") == 0) {
		if (d->nq >= SRV_QUESTIONS_MAX) {
			ferr(fe, NULL, LF(r, "в анкете уже %d вопросов.",
			    "the survey has %d questions already."),
			    SRV_QUESTIONS_MAX);
			return -1;
		}
		if (question_read(r, d, d->nq, &q, fe) != 0) {
			question_free(&q);
			return -1;
		}
		d->q = xreallocarray(d->q, d->nq + 1, sizeof(*d->q));
		d->q[d->nq++] = q;
		return 0;
	}
	if (strcmp(op, "save") == 0) {
		if (question_read(r, d, i, &q, fe) != 0) {
			question_free(&q);
			return -1;
		}
		question_free(&d->q[i]);
		d->q[i] = q;
	} else if (strcmp(op, "del") == 0) {
		question_free(&d->q[i]);
		memmove(&d->q[i], &d->q[i + 1], (d->nq - i - 1) *
		    sizeof(*d->q));
		d->nq--;
	} else if (strcmp(op, "up") == 0 && i > 0) {
		t = d->q[i - 1];
		d->q[i - 1] = d->q[i];
		d->q[i] = t;
	} else if (strcmp(op, "down") == 0 && i + 1 < d->nq) {
		t = d->q[i + 1];
		d->q[i + 1] = d->q[i];
		d->q[i] = t;
	}
	return 0;
}

int
ui_srvs_edit_post(struct req *r)
{
	struct srv_instr in;
	struct srv_def	 d;
	struct ferrs	 fe;
	struct err	 e;
	const char	*op = req_param(r, "op"), *pi = req_param(r, "i");
	const char	*at = req_param(r, "at");
	size_t		 i = str_empty(pi) ? 0 : (size_t)strtoul(pi, NULL, 10);
	int		 version, status = 422;
	char		 fid[24];

	if (instr_load(r, &in) != 0)
		return 0;
	if (def_load(r, &in, 1, &d, &version) != 0)
		goto out;
	snprintf(fid, sizeof(fid), "q%zu", i);
	if (strcmp(op, "title") == 0 || strcmp(op, "add") == 0) {
		ferrs_init(&fe, op);
		fe.keep = 1;
	} else if (i >= d.nq || at == NULL || strcmp(d.q[i].code, at) != 0) {
		/* The page shown is older than the draft. */
		ferrs_init(&fe, "stale");
		ferr(&fe, NULL, "%s", L(r, "вопроса с этим кодом на этом месте "
		    "больше нет.", "no question with this code is at this "
		    "place any more."));
		status = 409;
		goto again;
	} else {
		ferrs_init(&fe, fid);
		fe.keep = strcmp(op, "save") == 0;
	}
	if (edit_apply(r, &d, op, i, &fe) != 0)
		goto again;
	err_clear(&e);
	if (srv_draft_save(r->db, r->session->login, r->org->id, in.code, &d,
		&e) == 0) {
		if (strcmp(op, "title") == 0)
			ui_redirect(r, ui_opath(r, "/surveys/%s/edit?done=saved"
			    "#t-title", in.code));
		else if (strcmp(op, "del") == 0)
			ui_redirect(r, ui_opath(r, "/surveys/%s/edit?done=saved"
			    "#qs-title", in.code));
		else
			ui_redirect(r, ui_opath(r, "/surveys/%s/edit?done=saved"
			    "#q-%zu", in.code, strcmp(op, "add") == 0 ? d.nq
			    : strcmp(op, "up") == 0 ? i : strcmp(op, "down")
			    == 0 ? i + 2 : i + 1));
		srv_def_clear(&d);
		goto out;
	}
	if (e.code != EXIT_DATAERR && e.code != EXIT_USAGE) {
		ui_fail(r, &e);
		srv_def_clear(&d);
		goto out;
	}
	/* srv_def_parse names the question ("question 4 (x): …"). */
	ferr(&fe, NULL, "%s %s", L(r, "Черновик не сохранён:",
	    "The draft is not saved:"), e.msg);
	status = 409;
again:
	/* Shown from the draft as stored, the failed form as it was sent. */
	srv_def_clear(&d);
	srv_instr_clear(&in);
	if (instr_load(r, &in) != 0)
		return 0;
	if (def_load(r, &in, 1, &d, &version) != 0)
		goto out;
	edit_page(r, &in, &d, version, &fe, status);
	srv_def_clear(&d);
out:
	srv_instr_clear(&in);
	return 0;
}

/*
 * The preview: GET /{org}/surveys/{name}/preview?version=N, the form as
 * respondents see it, with its button disabled.
 */
int
ui_srvs_preview(struct req *r)
{
	struct srv_instr  in;
	struct srv_vinfo *v = NULL;
	struct srv_def	  d;
	struct html	  h;
	struct err	  e;
	const char	 *pv = req_param(r, "version"), *state = "";
	size_t		  n = 0, k;
	int64_t		  vid;
	int		  want = str_empty(pv) ? 0 : (int)strtol(pv, NULL, 10);
	int		  version = 0;
	char		 *title, *p, num[24];

	if (instr_load(r, &in) != 0)
		return 0;
	err_clear(&e);
	if (srv_versions(r->db, r->org->id, in.code, &v, &n, &e) != 0) {
		ui_fail(r, &e);
		goto out;
	}
	vid = in.draft_id != 0 ? in.draft_id : in.current_id;
	for (k = 0; k < n; k++)
		if (want != 0 ? v[k].version == want : v[k].id == vid)
			break;
	if (k == n) {
		req_error(r, 404, "version", L(r, "такой версии нет.",
		    "there is no such version."));
		goto out;
	}
	vid = v[k].id;
	state = state_word(r, v[k].state);
	if (srv_version_load(r->db, r->org->id, vid, &d, &version, &e) != 0) {
		ui_fail(r, &e);
		goto out;
	}
	title = xasprintf("%s: %s", L(r, "Предпросмотр", "Preview"),
	    srv_text(d.title_ru, d.title_en, r->lang));
	ui_begin(r, &h, title);
	instr_nav(r, &h, in.code, P_PREVIEW);
	html_open(&h, "div", "class", "preview-banner", "role", "note", NULL);
	html_open(&h, "p", NULL);
	html_elem(&h, "strong", L(r, "Предпросмотр", "Preview"), NULL);
	html_textf(&h, " %s %d (%s). %s", L(r, "версии", "of version"),
	    version, state, L(r, "Так анкету увидит респондент; ответы "
	    "здесь не отправляются и не сохраняются.", "This is how a "
	    "respondent sees the survey; answers are neither sent nor "
	    "stored here."));
	html_close(&h);
	if (n > 1) {
		html_open(&h, "p", NULL);
		html_text(&h, L(r, "Другие версии: ", "Other versions: "));
		for (k = 0; k < n; k++) {
			if (v[k].id == vid)
				continue;
			snprintf(num, sizeof(num), "%d", v[k].version);
			p = ui_opath(r, "/surveys/%s/preview?version=%d",
			    in.code, v[k].version);
			html_elem(&h, "a", num, "href", p, NULL);
			html_text(&h, " ");
			free(p);
		}
		html_close(&h);
	}
	html_close(&h);
	html_elem(&h, "h1", srv_text(d.title_ru, d.title_en, r->lang), NULL);
	if (srv_text(d.intro_ru, d.intro_en, r->lang) != NULL)
		html_elem(&h, "p", srv_text(d.intro_ru, d.intro_en, r->lang),
		    "class", "intro", NULL);
	html_open(&h, "form", "class", "stack survey", "aria-label",
	    L(r, "Анкета (предпросмотр)", "Survey (preview)"), NULL);
	ui_srv_questions(r, &h, &d, NULL, NULL, 0);
	html_elem(&h, "button", L(r, "Отправить ответы", "Send the answers"),
	    "type", "submit", "disabled", "", NULL);
	html_close(&h);
	survey_script(&h);
	ui_end(r, &h);
	free(title);
	srv_def_clear(&d);
out:
	for (k = 0; k < n; k++)
		srv_vinfo_clear(&v[k]);
	free(v);
	srv_instr_clear(&in);
	return 0;
}

/*
 * Results (R-SRV-5): GET /{org}/surveys/{name}/results, and the export
 * of the answers behind them as CSV and XLSX.
 */

struct rfilter {
	struct srv_filter f;
	char		  from[11], to[11];
	char		  tp[24];
	const char	 *channel;	/* all, online, paper */
};

/* The filter of the query; the default period is the current half-year
 * (R-AN-1).  Problems go into fe. */
static void
rfilter_read(struct req *r, const char *code, struct rfilter *rf,
    struct ferrs *fe)
{
	const char *from = req_param(r, "from"), *to = req_param(r, "to");
	const char *tp = req_param(r, "tp"), *ch = req_param(r, "channel");
	int32_t	    today, a, b;
	int	    y, m, d;

	memset(rf, 0, sizeof(*rf));
	today = date_local(clock_now(), r->org->tz);
	date_to_ymd(today, &y, &m, &d);
	if (!str_empty(from))
		snprintf(rf->from, sizeof(rf->from), "%s", from);
	else
		date_format(date_from_ymd(y, m <= 6 ? 1 : 7, 1), rf->from);
	if (!str_empty(to))
		snprintf(rf->to, sizeof(rf->to), "%s", to);
	else
		date_format(date_from_ymd(y, m <= 6 ? 6 : 12, m <= 6 ? 30 : 31),
		    rf->to);
	if (date_parse(rf->from, &a) == 0 && date_parse(rf->to, &b) == 0 &&
	    a > b)
		ferr(fe, "to", "%s", L(r, "конец периода раньше начала.",
		    "the period ends before it starts."));
	if (!str_empty(tp))
		snprintf(rf->tp, sizeof(rf->tp), "%s", tp);
	rf->channel = str_empty(ch) ? "all" : ch;
	rf->f.org_id = r->org->id;
	rf->f.code = code;
	rf->f.from = rf->from;
	rf->f.to = rf->to;
	rf->f.touchpoint_id = rf->tp[0] != '\0' ? strtoll(rf->tp, NULL, 10)
	    : 0;
	rf->f.offline = strcmp(rf->channel, "online") == 0 ? 0
	    : strcmp(rf->channel, "paper") == 0 ? 1 : -1;
}

/* The filter as a query string, for the download links. */
static void
rfilter_query(const struct rfilter *rf, struct buf *b)
{
	buf_puts(b, "?from=");
	html_url_arg(b, rf->from);
	buf_puts(b, "&to=");
	html_url_arg(b, rf->to);
	if (rf->tp[0] != '\0') {
		buf_puts(b, "&tp=");
		html_url_arg(b, rf->tp);
	}
	buf_puts(b, "&channel=");
	html_url_arg(b, rf->channel);
}

/* "n = 12; доля удовлетворённых (4–5): 75,0 %; индекс 0–100: 68,8", or
 * "нет ответов". */
static void
score_text(struct req *r, const struct srv_score *s, struct buf *b)
{
	char share[32], index[32];

	if (s->n == 0) {
		buf_puts(b, L(r, "нет ответов (n = 0)", "no answers (n = 0)"));
		return;
	}
	num1(r, srv_score_share(s), share);
	num1(r, srv_score_index(s), index);
	buf_printf(b, "n = %lld; %s: %s %%; %s: %s", (long long)s->n,
	    L(r, "доля удовлетворённых (4–5)", "share satisfied (4–5)"), share,
	    L(r, "индекс 0–100", "index 0–100"), index);
}

/* A bar for a share, beside the numbers that say it (so hidden from
 * screen readers). */
static void
bar(struct html *h, double pct)
{
	char w[16];

	snprintf(w, sizeof(w), "%d", (int)lround(pct * 1.6));
	html_open(h, "svg", "class", "bar", "width", "160", "height", "12",
	    "aria-hidden", "true", "focusable", "false", NULL);
	/* Closed, not void: in SVG a <rect> without "/>" stays open. */
	html_open(h, "rect", "width", "160", "height", "12", "fill", "#eef2f6",
	    NULL);
	html_close(h);
	html_open(h, "rect", "width", w, "height", "12", "fill", "#0b4f8a",
	    NULL);
	html_close(h);
	html_close(h);
}

static void
summary_table(struct req *r, struct html *h, const struct srv_results *res)
{
	char   num[32];
	size_t i;

	html_open(h, "div", "class", "table-wrap", NULL);
	html_open(h, "table", "class", "results", NULL);
	html_elem(h, "caption", L(r, "Оценки по вопросам: число ответов, доля "
				    "удовлетворённых и индекс",
	    "Ratings by question: answers, share satisfied and index"), NULL);
	html_open(h, "thead", NULL);
	html_open(h, "tr", NULL);
	html_elem(h, "th", L(r, "Вопрос", "Question"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Ответов (n)", "Answers (n)"), "scope", "col",
	    NULL);
	html_elem(h, "th", L(r, "Доля удовлетворённых (4–5), %",
	    "Share satisfied (4–5), %"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Индекс 0–100", "Index 0–100"), "scope", "col",
	    NULL);
	html_close(h);
	html_close(h);
	html_open(h, "tbody", NULL);
	for (i = 0; i < res->nq; i++) {
		const struct srv_qresult *q = &res->q[i];

		if (q->type != SRV_RATING)
			continue;
		html_open(h, "tr", NULL);
		html_elem(h, "th", srv_text(q->text_ru, q->text_en, r->lang),
		    "scope", "row", NULL);
		snprintf(num, sizeof(num), "%lld", (long long)q->score.n);
		html_elem(h, "td", num, "class", "n", NULL);
		if (q->score.n == 0) {
			html_elem(h, "td", L(r, "нет ответов", "no answers"),
			    "class", "none", NULL);
			html_elem(h, "td", L(r, "нет ответов", "no answers"),
			    "class", "none", NULL);
		} else {
			num1(r, srv_score_share(&q->score), num);
			html_elem(h, "td", num, "class", "n", NULL);
			num1(r, srv_score_index(&q->score), num);
			html_elem(h, "td", num, "class", "n", NULL);
		}
		html_close(h);
	}
	html_close(h);
	html_open(h, "tfoot", NULL);
	html_open(h, "tr", NULL);
	html_elem(h, "th", L(r, "Все оценки всех вопросов",
	    "Every rating of every question"), "scope", "row", NULL);
	snprintf(num, sizeof(num), "%lld", (long long)res->overall.n);
	html_elem(h, "td", num, "class", "n", NULL);
	if (res->overall.n == 0) {
		html_elem(h, "td", L(r, "нет ответов", "no answers"), "class",
		    "none", NULL);
		html_elem(h, "td", L(r, "нет ответов", "no answers"), "class",
		    "none", NULL);
	} else {
		num1(r, srv_score_share(&res->overall), num);
		html_elem(h, "td", num, "class", "n", NULL);
		num1(r, srv_score_index(&res->overall), num);
		html_elem(h, "td", num, "class", "n", NULL);
	}
	html_close(h);
	html_close(h);
	html_close(h);
	html_close(h);
}

static void
rating_detail(struct req *r, struct html *h, const struct srv_qresult *q,
    size_t i)
{
	struct buf b;
	char	   id[32], num[32], pct[32], *row;
	int	   k;
	double	   share;

	snprintf(id, sizeof(id), "res-%zu", i + 1);
	html_open(h, "section", "class", "result", "aria-labelledby", id,
	    NULL);
	html_elem(h, "h3", srv_text(q->text_ru, q->text_en, r->lang), "id", id,
	    NULL);
	buf_init(&b, 1024);
	score_text(r, &q->score, &b);
	html_elem(h, "p", buf_str(&b), "class", "figures", NULL);
	buf_free(&b);
	html_open(h, "table", "class", "distribution", NULL);
	html_open(h, "caption", NULL);
	html_textf(h, "%s (n = %lld)", L(r, "Распределение оценок",
	    "Ratings given"), (long long)q->score.n);
	html_close(h);
	html_open(h, "thead", NULL);
	html_open(h, "tr", NULL);
	html_elem(h, "th", L(r, "Оценка", "Rating"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Ответов", "Answers"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Доля, %", "Share, %"), "scope", "col", NULL);
	html_elem(h, "td", "", NULL);
	html_close(h);
	html_close(h);
	html_open(h, "tbody", NULL);
	for (k = SRV_SCALE; k >= 1; k--) {
		html_open(h, "tr", NULL);
		row = xasprintf("%d — %s", k, L(r, srv_anchor_ru[k],
		    srv_anchor_en[k]));
		html_elem(h, "th", row, "scope", "row", NULL);
		free(row);
		snprintf(num, sizeof(num), "%lld", (long long)q->score.count[k]);
		html_elem(h, "td", num, "class", "n", NULL);
		share = q->score.n > 0 ? 100.0 * (double)q->score.count[k] /
		    (double)q->score.n : 0;
		if (q->score.n > 0)
			num1(r, share, pct);
		else
			snprintf(pct, sizeof(pct), "—");
		html_elem(h, "td", pct, "class", "n", NULL);
		html_open(h, "td", NULL);
		bar(h, share);
		html_close(h);
		html_close(h);
	}
	html_close(h);
	html_close(h);
	html_close(h);
}

static void
choice_detail(struct req *r, struct html *h, const struct srv_qresult *q,
    size_t i)
{
	char   id[32], num[32], pct[32];
	size_t k;
	double share;

	snprintf(id, sizeof(id), "res-%zu", i + 1);
	html_open(h, "section", "class", "result", "aria-labelledby", id,
	    NULL);
	html_elem(h, "h3", srv_text(q->text_ru, q->text_en, r->lang), "id", id,
	    NULL);
	html_open(h, "p", "class", "figures", NULL);
	if (q->answered == 0)
		html_text(h, L(r, "нет ответов (n = 0)", "no answers (n = 0)"));
	else
		html_textf(h, "n = %lld %s", (long long)q->answered,
		    q->type == SRV_MULTI ? L(r, "(можно было выбрать "
		    "несколько: сумма долей больше 100 %)", "(several could be "
		    "chosen: the shares add up to more than 100 %)") : "");
	html_close(h);
	html_open(h, "table", "class", "distribution", NULL);
	html_open(h, "caption", NULL);
	html_textf(h, "%s (n = %lld)", L(r, "Выбранные варианты",
	    "Options chosen"), (long long)q->answered);
	html_close(h);
	html_open(h, "thead", NULL);
	html_open(h, "tr", NULL);
	html_elem(h, "th", L(r, "Вариант", "Option"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Ответов", "Answers"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Доля ответивших, %", "Share of those who "
	    "answered, %"), "scope", "col", NULL);
	html_elem(h, "td", "", NULL);
	html_close(h);
	html_close(h);
	html_open(h, "tbody", NULL);
	for (k = 0; k < q->noptions; k++) {
		html_open(h, "tr", NULL);
		html_elem(h, "th", srv_text(q->option_ru[k], q->option_en[k],
		    r->lang), "scope", "row", NULL);
		snprintf(num, sizeof(num), "%lld",
		    (long long)q->option_count[k]);
		html_elem(h, "td", num, "class", "n", NULL);
		share = q->answered > 0 ? 100.0 * (double)q->option_count[k] /
		    (double)q->answered : 0;
		if (q->answered > 0)
			num1(r, share, pct);
		else
			snprintf(pct, sizeof(pct), "—");
		html_elem(h, "td", pct, "class", "n", NULL);
		html_open(h, "td", NULL);
		bar(h, share);
		html_close(h);
		html_close(h);
	}
	html_close(h);
	html_close(h);
	html_close(h);
}

static void
text_detail(struct req *r, struct html *h, const struct srv_qresult *q,
    size_t i)
{
	char   id[32];
	size_t k;

	snprintf(id, sizeof(id), "res-%zu", i + 1);
	html_open(h, "section", "class", "result", "aria-labelledby", id,
	    NULL);
	html_elem(h, "h3", srv_text(q->text_ru, q->text_en, r->lang), "id", id,
	    NULL);
	html_open(h, "p", "class", "figures", NULL);
	html_textf(h, "n = %lld", (long long)q->answered);
	if (q->ntexts < (size_t)q->answered)
		html_textf(h, LF(r, "; показаны последние %zu",
		    "; the latest %zu shown"), q->ntexts);
	html_close(h);
	if (q->ntexts == 0)
		html_elem(h, "p", L(r, "нет ответов", "no answers"), NULL);
	else {
		html_open(h, "ul", "class", "texts", NULL);
		for (k = 0; k < q->ntexts; k++)
			html_elem(h, "li", q->texts[k], NULL);
		html_close(h);
	}
	html_close(h);
}

static void
results_filter_form(struct req *r, struct html *h, const char *code,
    const struct rfilter *rf, const struct ferrs *fe)
{
	static const struct {
		const char *v, *ru, *en;
	} chans[] = {
		{"all", "все", "all"},
		{"online", "только онлайн", "online only"},
		{"paper", "только бумажные", "paper only"},
	};
	struct registry *reg = touchpoints(r);
	size_t		 i;
	char		*p;

	p = ui_opath(r, "/surveys/%s/results", code);
	html_open(h, "form", "method", "get", "action", p, "class",
	    "filter-form", "aria-label", L(r, "Отбор ответов",
	    "Which answers"), NULL);
	free(p);
	fld(r, h, &(struct fld){"f-from", "from", L(r, "С", "From"), NULL,
	    ferr_get(fe, "filter", "from"), "date", rf->from, 0, NULL, NULL});
	fld(r, h, &(struct fld){"f-to", "to", L(r, "По", "To"), NULL,
	    ferr_get(fe, "filter", "to"), "date", rf->to, 0, NULL, NULL});
	tp_select(r, h, "f-tp", "tp", L(r, "Точка взаимодействия",
	    "Touchpoint"), reg, rf->tp, L(r, "все", "all"), NULL);
	touchpoints_free(reg);
	html_open(h, "div", "class", "field", NULL);
	html_elem(h, "label", L(r, "Канал ответа", "How answered"), "for",
	    "f-channel", NULL);
	html_open(h, "select", "id", "f-channel", "name", "channel", NULL);
	for (i = 0; i < nitems(chans); i++)
		html_elem(h, "option", L(r, chans[i].ru, chans[i].en), "value",
		    chans[i].v, "selected", strcmp(rf->channel, chans[i].v)
		    == 0 ? "" : NULL, NULL);
	html_close(h);
	html_close(h);
	html_elem(h, "button", L(r, "Показать", "Show"), "type", "submit",
	    NULL);
	html_close(h);
}

int
ui_srvs_results(struct req *r)
{
	struct srv_instr   in;
	struct srv_results res;
	struct rfilter	   rf;
	struct ferrs	   fe;
	struct html	   h;
	struct err	   e;
	struct buf	   q;
	char		  *title, *p, d1[11], d2[11];
	int32_t		   day;
	size_t		   i;

	if (need_either(r, "analyst", "group") != 0)
		return 0;
	if (instr_load(r, &in) != 0)
		return 0;
	ferrs_init(&fe, "filter");
	rfilter_read(r, in.code, &rf, &fe);
	memset(&res, 0, sizeof(res));
	err_clear(&e);
	if (fe.n == 0 && srv_results(r->db, &rf.f, TEXTS_MAX, &res, &e) != 0) {
		ui_fail(r, &e);
		srv_instr_clear(&in);
		return 0;
	}
	title = xasprintf("%s: %s", L(r, "Результаты", "Results"),
	    in.title != NULL ? in.title : in.code);
	ui_begin(r, &h, title);
	instr_nav(r, &h, in.code, P_RESULTS);
	html_elem(&h, "h1", title, NULL);
	form_alert(r, &h, &fe, "filter", "Исправьте отбор.",
	    "Correct the filter.");
	results_filter_form(r, &h, in.code, &rf, &fe);
	if (fe.n > 0)
		goto end;
	html_open(&h, "p", "class", "figures", NULL);
	d1[0] = d2[0] = '\0';
	if (date_parse(rf.from, &day) == 0)
		date_format_ru(day, d1);
	if (date_parse(rf.to, &day) == 0)
		date_format_ru(day, d2);
	html_textf(&h, "%s %s — %s: %s %lld, %s %lld.", L(r, "За период",
	    "From"), d1, d2, L(r, "анкет", "responses"),
	    (long long)res.responses, L(r, "из них бумажных", "of them on "
	    "paper"), (long long)res.offline);
	html_close(&h);
	buf_init(&q, 4096);
	rfilter_query(&rf, &q);
	if (holds(r, "analyst")) {
		html_open(&h, "ul", "class", "inline downloads", NULL);
		p = ui_opath(r, "/surveys/%s/results.csv%s", in.code,
		    buf_str(&q));
		html_open(&h, "li", NULL);
		html_elem(&h, "a", L(r, "Скачать ответы (CSV)",
		    "Download the answers (CSV)"), "href", p, NULL);
		html_close(&h);
		free(p);
		p = ui_opath(r, "/surveys/%s/results.xlsx%s", in.code,
		    buf_str(&q));
		html_open(&h, "li", NULL);
		html_elem(&h, "a", L(r, "Скачать ответы (XLSX)",
		    "Download the answers (XLSX)"), "href", p, NULL);
		html_close(&h);
		free(p);
		html_close(&h);
	}
	buf_free(&q);
	html_elem(&h, "p", L(r, "Оценка r переводится в индекс как (r − 1) × "
			       "25; доля удовлетворённых — оценки 4 и 5 среди "
			       "всех оценок. Рядом с каждой цифрой — число "
			       "ответов, из которых она получена.",
			       "A rating r maps to the index as (r − 1) × 25; "
			       "the share satisfied is the ratings of 4 and 5 "
			       "among all. Every figure stands with the number "
			       "of answers behind it."), "class", "hint", NULL);
	html_open(&h, "section", "aria-labelledby", "sum-title", NULL);
	html_elem(&h, "h2", L(r, "Сводка", "Summary"), "id", "sum-title", NULL);
	summary_table(r, &h, &res);
	html_close(&h);
	html_open(&h, "section", "aria-labelledby", "det-title", NULL);
	html_elem(&h, "h2", L(r, "По вопросам", "By question"), "id",
	    "det-title", NULL);
	for (i = 0; i < res.nq; i++) {
		if (res.q[i].type == SRV_RATING)
			rating_detail(r, &h, &res.q[i], i);
		else if (res.q[i].type == SRV_TEXT)
			text_detail(r, &h, &res.q[i], i);
		else
			choice_detail(r, &h, &res.q[i], i);
	}
	html_close(&h);
end:
	ui_end(r, &h);
	if (fe.n > 0)
		r->status = 422;
	free(title);
	srv_results_clear(&res);
	srv_instr_clear(&in);
	return 0;
}

/* XLSX through a temporary file: libxlsxwriter writes only to files. */
static int64_t
xlsx_bytes(struct req *r, const struct srv_filter *f, struct buf *out,
    struct err *e)
{
	const char *dir = getenv("TMPDIR");
	char	   *tmp;
	int64_t	    n;
	int	    fd;

	tmp = xasprintf("%s/otklik-srv.XXXXXX", dir != NULL && *dir != '\0'
	    ? dir : "/tmp");
	if ((fd = mkstemp(tmp)) == -1) {
		free(tmp);
		return err_set(e, EXIT_CANTCREAT, "cannot make a temporary "
		    "file");
	}
	close(fd);
	n = srv_export_xlsx(r->db, f, tmp, e);
	if (n >= 0 && buf_read_file(out, tmp, e) != 0)
		n = -1;
	unlink(tmp);
	free(tmp);
	return n;
}

/* Recorded before the data leaves, as the feedback export is (R-ORG-3). */
static int
export_audit(struct req *r, const struct rfilter *rf, const char *fmt,
    int64_t rows, struct err *e)
{
	json_t *j;
	char   *js, *obj;
	int	rc = 0;

	j = json_pack("{s:s, s:s, s:s, s:I, s:s, s:I}", "format", fmt, "from",
	    rf->from, "to", rf->to, "touchpoint",
	    (json_int_t)rf->f.touchpoint_id, "channel", rf->channel, "rows",
	    (json_int_t)rows);
	js = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	obj = xasprintf("survey:%s", rf->f.code);
	if (db_begin(r->db) != 0 || audit_append(r->db, r->session->login,
	    r->org->id, "survey.export", obj, NULL, js, e) != 0 ||
	    db_commit(r->db) != 0) {
		db_rollback(r->db);
		if (e->msg[0] == '\0')
			err_set(e, EXIT_IOERR, "%s", db_errmsg(r->db));
		rc = -1;
	}
	free(obj);
	free(js);
	return rc;
}

static int
export(struct req *r, int xlsx)
{
	struct srv_instr in;
	struct rfilter	 rf;
	struct ferrs	 fe;
	struct err	 e;
	struct buf	 out;
	int64_t		 rows;
	char		*name;

	if (instr_load(r, &in) != 0)
		return 0;
	ferrs_init(&fe, "filter");
	rfilter_read(r, in.code, &rf, &fe);
	if (fe.n > 0) {
		srv_instr_clear(&in);
		return req_error(r, 400, fe.v[0].field, fe.v[0].msg);
	}
	buf_init(&out, BUF_MAX_DEFAULT);
	err_clear(&e);
	rows = xlsx ? xlsx_bytes(r, &rf.f, &out, &e)
		    : srv_export_csv(r->db, &rf.f, &out, &e);
	if (rows < 0 || export_audit(r, &rf, xlsx ? "xlsx" : "csv", rows,
	    &e) != 0) {
		ui_fail(r, &e);
		goto out;
	}
	name = xasprintf("survey-%s-%s-%s-%s.%s", r->org->slug, in.code,
	    rf.from, rf.to, xlsx ? "xlsx" : "csv");
	req_file(r, xlsx ? "application/vnd.openxmlformats-officedocument."
			   "spreadsheetml.sheet" : "text/csv; charset=utf-8",
	    name, out.data, out.len);
	free(name);
out:
	buf_free(&out);
	srv_instr_clear(&in);
	return 0;
}

int
ui_srvs_export_csv(struct req *r)
{
	return export(r, 0);
}

int
ui_srvs_export_xlsx(struct req *r)
{
	return export(r, 1);
}

/*
 * Paper forms (R-SRV-4): GET and POST /{org}/surveys/{name}/paper, one
 * form as the respondent filled it in, and the upload of a CSV file of
 * them, checked first (nothing written) and then confirmed.
 *
 * One form goes through req_defer, the group-commit write path the
 * answers given online take: the writer thread holds the database's
 * write lock in batches, so a second writer on this thread would only
 * queue behind it, and the answer is sent once the form is durable.  A
 * file is one all-or-nothing transaction of its own (srv_import_offline),
 * as the imports of feedback are.
 */

static void
paper_page(struct req *r, const struct srv_instr *in, const struct srv_def *d,
    const struct srv_resp *prefill, const struct srv_error *errs,
    size_t nerrs, const struct ferrs *fe, int status)
{
	struct registry *reg;
	struct html	 h;
	struct buf	 cols;
	char		*title, *p, today[11], tp[24];
	const char	*day = req_param(r, "day");
	size_t		 i;

	title = xasprintf("%s: %s", L(r, "Бумажные анкеты", "Paper forms"),
	    in->title != NULL ? in->title : in->code);
	ui_begin(r, &h, title);
	instr_nav(r, &h, in->code, P_PAPER);
	html_elem(&h, "h1", title, NULL);
	notice(r, &h);
	html_elem(&h, "p", L(r, "Анкета, заполненная на бумаге, вносится так, "
			       "как её заполнил респондент, и отмечается как "
			       "бумажная. Номер бумажной анкеты не даёт внести "
			       "её дважды.",
			       "A form filled in on paper is entered as the "
			       "respondent filled it in, and marked as paper. "
			       "Its number keeps it from being entered twice."),
	    NULL);

	html_open(&h, "section", "aria-labelledby", "one-title", NULL);
	html_elem(&h, "h2", L(r, "Одна анкета", "One form"), "id", "one-title",
	    NULL);
	if (nerrs > 0 || (fe != NULL && fe->form != NULL &&
	    strcmp(fe->form, "paper") == 0 && fe->n > 0)) {
		html_open(&h, "div", "class", "alert", "role", "alert", NULL);
		html_elem(&h, "p", L(r, "Анкета не внесена: исправьте отмеченные "
		    "поля и вопросы.", "The form is not entered: correct the "
		    "fields and questions marked."), NULL);
		if (ferr_get(fe, "paper", NULL) != NULL)
			html_elem(&h, "p", ferr_get(fe, "paper", NULL), NULL);
		html_close(&h);
	}
	p = ui_opath(r, "/surveys/%s/paper", in->code);
	html_open(&h, "form", "method", "post", "action", p, "class",
	    "stack survey", NULL);
	free(p);
	ui_csrf(r, &h);
	html_open(&h, "fieldset", NULL);
	html_elem(&h, "legend", L(r, "Бумажная анкета", "The paper form"),
	    NULL);
	fld(r, &h, &(struct fld){"p-ref", "paper_ref", L(r, "Номер анкеты",
	    "Form number"), L(r, "Номер, написанный на бланке.",
	    "The number written on the form."),
	    ferr_get(fe, "paper", "paper_ref"), "text",
	    req_param(r, "paper_ref"), 1, NULL, NULL});
	date_format(date_local(clock_now(), r->org->tz), today);
	fld(r, &h, &(struct fld){"p-day", "day", L(r, "Дата заполнения",
	    "Day filled in"), NULL, ferr_get(fe, "paper", "day"), "date",
	    str_empty(day) ? today : day, 1, "max", today});
	reg = touchpoints(r);
	tp[0] = '\0';
	if (prefill != NULL && prefill->touchpoint_id > 0)
		snprintf(tp, sizeof(tp), "%lld",
		    (long long)prefill->touchpoint_id);
	tp_select(r, &h, "p-tp", "touchpoint", L(r, "Где заполнена (точка "
	    "взаимодействия)", "Where filled in (touchpoint)"), reg, tp,
	    L(r, "— не указано —", "— not given —"),
	    ferr_get(fe, "paper", "touchpoint"));
	touchpoints_free(reg);
	fld(r, &h, &(struct fld){"p-service", "service", L(r, "Услуга",
	    "Service"), L(r, "Если анкета о конкретной услуге.",
	    "If the form is about a particular service."),
	    ferr_get(fe, "paper", "service"), "text",
	    req_param(r, "service"), 0, NULL, NULL});
	fld(r, &h, &(struct fld){"p-situation", "situation", L(r,
	    "Жизненная ситуация", "Life situation"), NULL,
	    ferr_get(fe, "paper", "situation"), "text",
	    req_param(r, "situation"), 0, NULL, NULL});
	html_close(&h);
	ui_srv_questions(r, &h, d, prefill, errs, nerrs);
	html_elem(&h, "button", L(r, "Внести анкету", "Enter the form"),
	    "type", "submit", NULL);
	html_close(&h);
	survey_script(&h);
	html_close(&h);

	html_open(&h, "section", "aria-labelledby", "file-title", NULL);
	html_elem(&h, "h2", L(r, "Много анкет из файла",
	    "Many forms from a file"), "id", "file-title", NULL);
	buf_init(&cols, 65536);
	buf_puts(&cols, "paper_ref, day, touchpoint, service, situation");
	for (i = 0; i < d->nq; i++)
		buf_printf(&cols, ", %s", d->q[i].code);
	html_open(&h, "p", NULL);
	html_text(&h, L(r, "CSV в UTF-8 или XLSX, до 2 МБ. Строка заголовков "
			   "со столбцами: ", "CSV in UTF-8 or XLSX, up to 2 MB. "
			   "A header row with the columns: "));
	html_elem(&h, "code", buf_str(&cols), NULL);
	html_text(&h, L(r, ". Оценки — числа 1–5, варианты — их коды через "
			   "«;». Сначала файл проверяется: каждая ошибка "
			   "показывается со строкой и столбцом, и ничего не "
			   "записывается до подтверждения.",
			   ". Ratings are 1–5, options their codes joined by "
			   "';'. The file is checked first: every error is "
			   "shown with its row and column, and nothing is "
			   "written until you confirm."));
	html_close(&h);
	buf_free(&cols);
	p = ui_opath(r, "/surveys/%s/paper/upload", in->code);
	html_open(&h, "form", "method", "post", "action", p, "enctype",
	    "multipart/form-data", "class", "stack", NULL);
	free(p);
	ui_csrf(r, &h);
	html_open(&h, "div", "class", "field", NULL);
	fld_head(r, &h, &(struct fld){.id = "p-file", .label = L(r, "Файл CSV или XLSX",
	    "CSV or XLSX file"), .required = 1, .err = ferr_get(fe, "upload",
	    "file")});
	html_void(&h, "input", "type", "file", "id", "p-file", "name", "file",
	    "accept", ".csv,.xlsx,text/csv", "required", "", "aria-describedby",
	    ferr_get(fe, "upload", "file") != NULL ? "p-file-err" : NULL,
	    "aria-invalid", ferr_get(fe, "upload", "file") != NULL ? "true"
	    : NULL, NULL);
	html_close(&h);
	html_elem(&h, "button", L(r, "Проверить файл", "Check the file"),
	    "type", "submit", NULL);
	html_close(&h);
	html_close(&h);
	ui_end(r, &h);
	free(title);
	if (status != 0)
		r->status = status;
}

int
ui_srvs_paper_form(struct req *r)
{
	struct srv_instr in;
	struct srv_def	 d;
	int		 version;

	if (instr_load(r, &in) != 0)
		return 0;
	if (def_load(r, &in, 0, &d, &version) == 0) {
		paper_page(r, &in, &d, NULL, NULL, 0, NULL, 0);
		srv_def_clear(&d);
	}
	srv_instr_clear(&in);
	return 0;
}

struct paper_job {
	struct srv_instr in;
	struct srv_def	 d;
	struct srv_resp	 resp;
	int		 dup;	/* the number was entered before */
};

static void
paper_job_free(void *p)
{
	struct paper_job *j = p;

	srv_instr_clear(&j->in);
	srv_def_clear(&j->d);
	srv_resp_clear(&j->resp);
	free(j);
}

static int
paper_write(struct req *r, struct db *db, struct err *e)
{
	struct paper_job *j = r->job;
	int		  rc;

	if ((rc = srv_response_insert(db, &j->d, &j->resp, NULL, e)) < 0)
		return -1;
	j->dup = rc == 1;
	return 0;
}

static void
paper_done(struct req *r, const struct err *e)
{
	struct paper_job *j = r->job;
	struct ferrs	  fe;

	ferrs_init(&fe, "paper");
	if (e != NULL && e->code != EXIT_DATAERR) {
		req_error(r, 500, NULL, e->msg);
		return;
	}
	if (e != NULL)
		ferr(&fe, NULL, "%s", e->msg);
	else if (j->dup)
		ferr(&fe, "paper_ref", LF(r, "анкета с номером «%s» уже внесена; "
		    "ничего не записано.", "the form numbered '%s' is entered "
		    "already; nothing is written."), j->resp.paper_ref);
	if (fe.n > 0) {
		paper_page(r, &j->in, &j->d, &j->resp, NULL, 0, &fe,
		    e != NULL ? 422 : 409);
		return;
	}
	ui_redirect(r, ui_opath(r, "/surveys/%s/paper?done=paper",
	    j->in.code));
}

/* A service's or life situation's name: one line of text, or NULL. */
static char *
paper_name(struct req *r, const char *field, struct ferrs *fe)
{
	char	   *s = trimmed(req_param(r, field));
	const char *p;

	for (p = s; p != NULL && *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			ferr(fe, field, "%s", L(r, "только текст в одну строку.",
			    "text on one line only."));
			break;
		}
	return s;
}

/* The fields around the answers: number, day, touchpoint, service,
 * life situation. */
static void
paper_fields(struct req *r, struct srv_resp *resp, struct ferrs *fe)
{
	const char *ref = req_param(r, "paper_ref"), *day = req_param(r, "day");
	const char *tp = req_param(r, "touchpoint");
	struct registry *reg;
	int32_t		 d, today = date_local(clock_now(), r->org->tz);
	char		*s = trimmed(ref);

	resp->service = paper_name(r, "service", fe);
	resp->situation = paper_name(r, "situation", fe);

	if (s == NULL)
		ferr(fe, "paper_ref", "%s", L(r, "укажите номер анкеты.",
		    "give the form's number."));
	else if (strlen(s) > PAPER_REF_MAX)
		ferr(fe, "paper_ref", LF(r, "номер длиннее %d байт.",
		    "the number is longer than %d bytes."), PAPER_REF_MAX);
	resp->paper_ref = s;
	if (str_empty(day) || date_parse(day, &d) != 0)
		ferr(fe, "day", "%s", L(r, "укажите дату как ГГГГ-ММ-ДД.",
		    "give the day as YYYY-MM-DD."));
	else if (d > today)
		ferr(fe, "day", "%s", L(r, "дата ещё не наступила.",
		    "the day is in the future."));
	else
		date_format(d, resp->day);
	if (!str_empty(tp)) {
		resp->touchpoint_id = strtoll(tp, NULL, 10);
		reg = touchpoints(r);
		if (tp_name(reg, resp->touchpoint_id) == NULL)
			ferr(fe, "touchpoint", "%s", L(r, "такой точки нет в "
			    "действующем перечне.", "the registry in force has "
			    "no such touchpoint."));
		touchpoints_free(reg);
	}
}

int
ui_srvs_paper(struct req *r)
{
	struct srv_error *errs;
	struct paper_job *j;
	struct ferrs	  fe;
	size_t		  nerrs;
	int		  version;

	j = xcalloc(1, sizeof(*j));
	r->job = j;
	r->job_free = paper_job_free;
	if (instr_load(r, &j->in) != 0)
		return 0;
	if (def_load(r, &j->in, 0, &j->d, &version) != 0)
		return 0;
	srv_resp_init(&j->resp, j->d.nq);
	ui_srv_read(r, &j->d, &j->resp);
	j->resp.org_id = r->org->id;
	j->resp.instrument_id = j->in.id;
	j->resp.version_id = j->in.current_id;
	j->resp.offline = 1;
	ferrs_init(&fe, "paper");
	paper_fields(r, &j->resp, &fe);
	errs = xcalloc(j->d.nq + 1, sizeof(*errs));
	nerrs = srv_validate(&j->d, &j->resp, errs, j->d.nq + 1);
	if (fe.n > 0 || nerrs > 0) {
		paper_page(r, &j->in, &j->d, &j->resp, errs, nerrs, &fe, 422);
		free(errs);
		return 0;
	}
	free(errs);
	if (req_defer(r, paper_write, paper_done) != 0) {
		req_header(r, "Retry-After", "5");
		return req_error(r, 503, NULL, L(r, "Сервер перегружен, "
		    "повторите через несколько секунд.", "The server is busy; "
		    "try again in a few seconds."));
	}
	return 0;
}

static void
temp_remove(char *path)
{
	char *slash = strrchr(path, '/');

	unlink(path);
	if (slash != NULL) {
		*slash = '\0';
		rmdir(path);
	}
	free(path);
}

/*
 * The file's bytes under its own name in a temporary directory, for
 * srv_import_offline, whose audit entry and messages name the file.
 * Returns the path; temp_remove() takes both away.
 */
static char *
temp_file(const void *data, size_t len, const char *name, struct err *e)
{
	const char *tdir = getenv("TMPDIR");
	char	   *dir, *path, *base, *c;
	int	    fd;
	ssize_t	    w;
	size_t	    off = 0;

	dir = xasprintf("%s/otklik-paper.XXXXXX", tdir != NULL && *tdir != '\0'
	    ? tdir : "/tmp");
	if (mkdtemp(dir) == NULL) {
		err_set(e, EXIT_CANTCREAT, "cannot make a temporary directory");
		free(dir);
		return NULL;
	}
	base = xstrdup(name[0] != '.' ? name : "file.csv");
	for (c = base; *c != '\0'; c++)
		if (*c == '/' || *c == '\\')
			*c = '_';
	path = xasprintf("%s/%s", dir, base);
	free(base);
	free(dir);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1) {
		err_set(e, EXIT_CANTCREAT, "cannot make a temporary file");
		goto fail;
	}
	while (off < len) {
		if ((w = write(fd, (const char *)data + off, len - off)) <= 0) {
			err_set(e, EXIT_IOERR, "cannot write a temporary file");
			close(fd);
			goto fail;
		}
		off += (size_t)w;
	}
	close(fd);
	return path;
fail:
	temp_remove(path);
	return NULL;
}

/* What an import of the file did or would do. */
struct pimport {
	struct buf report;
	int64_t	   added, skipped;
	int	   ok;
	char	   why[1024];	/* the error when not ok */
};

static int
pimport_run(struct req *r, const char *code, const char *name,
    const void *data, size_t len, int dry_run, struct pimport *pi)
{
	struct err e;
	char	  *tmp;
	size_t	   n;

	memset(pi, 0, sizeof(*pi));
	buf_init(&pi->report, 1 << 20);
	err_clear(&e);
	if ((tmp = temp_file(data, len, name, &e)) == NULL)
		return ui_fail(r, &e), -1;
	pi->ok = srv_import_offline(r->db, r->session->login, r->org->id, code,
	    tmp, dry_run, &pi->report, &pi->added, &pi->skipped, &e) == 0;
	/* The temporary directory means nothing to the person. */
	n = (size_t)(strrchr(tmp, '/') - tmp) + 1;
	if (strncmp(e.msg, tmp, n) == 0)
		memmove(e.msg, e.msg + n, strlen(e.msg + n) + 1);
	temp_remove(tmp);
	if (!pi->ok && e.code != EXIT_DATAERR && e.code != EXIT_USAGE &&
	    e.code != EXIT_NOINPUT)
		return ui_fail(r, &e), -1;
	snprintf(pi->why, sizeof(pi->why), "%s", e.msg);
	return 0;
}

/* The check of a file; b64: the file to confirm with, NULL when it
 * cannot be imported. */
static void
pimport_page(struct req *r, const struct srv_instr *in, const char *name,
    const struct pimport *pi, const char *b64, int status)
{
	struct html h;
	char	   *title, *p;
	const char *line, *end;

	title = xasprintf("%s «%s»", L(r, "Проверка файла", "Checking file"),
	    name);
	ui_begin(r, &h, title);
	instr_nav(r, &h, in->code, P_PAPER);
	html_elem(&h, "h1", title, NULL);
	html_open(&h, "div", "class", pi->ok ? "notice" : "alert", "role",
	    pi->ok ? "status" : "alert", NULL);
	html_elem(&h, "p", L(r, "Ничего не записано.", "Nothing is written."),
	    NULL);
	if (pi->ok) {
		html_open(&h, "p", NULL);
		html_textf(&h, "%s %lld; %s %lld.", L(r, "Будет внесено анкет:",
		    "Forms to be entered:"), (long long)pi->added,
		    L(r, "пропущено (номера уже внесены):",
		    "skipped (numbers entered already):"),
		    (long long)pi->skipped);
		html_close(&h);
	} else {
		html_elem(&h, "p", L(r, "Этот файл внести нельзя: исправьте "
		    "его и загрузите снова.", "This file cannot be entered: "
		    "correct it and upload it again."), NULL);
		if (pi->why[0] != '\0')
			html_elem(&h, "p", pi->why, NULL);
	}
	html_close(&h);
	if (pi->report.len > 0) {
		html_open(&h, "section", "aria-labelledby", "rep-title", NULL);
		html_elem(&h, "h2", L(r, "Ошибки по строкам и столбцам",
		    "Errors by row and column"), "id", "rep-title", NULL);
		html_open(&h, "ul", "class", "report", NULL);
		for (line = buf_str(&pi->report); *line != '\0';
		    line = *end != '\0' ? end + 1 : end) {
			end = strchr(line, '\n');
			if (end == NULL)
				end = line + strlen(line);
			if (end == line)
				continue;
			p = xstrndup(line, (size_t)(end - line));
			html_elem(&h, "li", p, NULL);
			free(p);
		}
		html_close(&h);
		html_close(&h);
	}
	html_open(&h, "div", "class", "actions", NULL);
	if (b64 != NULL && pi->ok && pi->added > 0) {
		p = ui_opath(r, "/surveys/%s/paper/import", in->code);
		html_open(&h, "form", "method", "post", "action", p, "class",
		    "inline", NULL);
		free(p);
		ui_csrf(r, &h);
		html_void(&h, "input", "type", "hidden", "name", "name",
		    "value", name, NULL);
		html_void(&h, "input", "type", "hidden", "name", "data",
		    "value", b64, NULL);
		html_open(&h, "button", "type", "submit", NULL);
		html_textf(&h, "%s: %lld", L(r, "Внести анкеты",
		    "Enter the forms"), (long long)pi->added);
		html_close(&h);
		html_close(&h);
	}
	p = ui_opath(r, "/surveys/%s/paper", in->code);
	html_elem(&h, "a", L(r, "Загрузить другой файл",
	    "Upload another file"), "href", p, "class", "button secondary",
	    NULL);
	free(p);
	html_close(&h);
	ui_end(r, &h);
	free(title);
	if (status != 0)
		r->status = status;
}

int
ui_srvs_paper_upload(struct req *r)
{
	struct srv_instr in;
	struct srv_def	 d;
	struct pimport	 pi;
	struct ferrs	 fe;
	char		*name, *b64 = NULL;
	size_t		 len;
	int		 version;

	if (instr_load(r, &in) != 0)
		return 0;
	if (r->upload.len == 0 || r->upload.len > PAPER_FILE_MAX) {
		ferrs_init(&fe, "upload");
		ferr(&fe, "file", "%s", r->upload.len == 0
		    ? L(r, "выберите файл CSV или XLSX.",
			"choose a CSV or XLSX file.")
		    : L(r, "файл больше 2 МБ.", "the file is larger than 2 MB."));
		if (def_load(r, &in, 0, &d, &version) == 0) {
			paper_page(r, &in, &d, NULL, NULL, 0, &fe,
			    r->upload.len == 0 ? 422 : 413);
			srv_def_clear(&d);
		}
		srv_instr_clear(&in);
		return 0;
	}
	name = ui_file_name(r->upload_name, "file.csv");
	if (pimport_run(r, in.code, name, r->upload.data, r->upload.len, 1,
	    &pi) != 0) {
		free(name);
		goto out;
	}
	if (pi.ok) {
		len = sodium_base64_ENCODED_LEN(r->upload.len,
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		b64 = xmalloc(len);
		sodium_bin2base64(b64, len,
		    (const unsigned char *)r->upload.data, r->upload.len,
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	}
	pimport_page(r, &in, name, &pi, b64, pi.ok ? 0 : 422);
	free(b64);
	free(name);
	buf_free(&pi.report);
out:
	srv_instr_clear(&in);
	return 0;
}

int
ui_srvs_paper_import(struct req *r)
{
	struct srv_instr in;
	struct pimport	 pi;
	const char	*b64 = req_param(r, "data");
	char		*name = ui_file_name(req_param(r, "name"), "file.csv");
	unsigned char	*bin;
	size_t		 len, binlen;

	if (instr_load(r, &in) != 0) {
		free(name);
		return 0;
	}
	len = b64 != NULL ? strlen(b64) : 0;
	bin = xmalloc(len / 4 * 3 + 4);
	if (len == 0 || sodium_base642bin(bin, len / 4 * 3 + 4, b64, len, NULL,
	    &binlen, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    binlen > PAPER_FILE_MAX) {
		req_error(r, 400, "data", L(r, "файл не читается: загрузите его "
		    "снова.", "the file cannot be read: upload it again."));
		goto out;
	}
	/* Checked again as it is written: all or nothing. */
	if (pimport_run(r, in.code, name, bin, binlen, 0, &pi) != 0)
		goto out;
	if (!pi.ok)
		pimport_page(r, &in, name, &pi, NULL, 422);
	else
		ui_redirect(r, ui_opath(r, "/surveys/%s/paper?done=imported&"
		    "n=%lld&skipped=%lld", in.code, (long long)pi.added,
		    (long long)pi.skipped));
	buf_free(&pi.report);
out:
	free(bin);
	free(name);
	srv_instr_clear(&in);
	return 0;
}

/*
 * The respondent's side of surveys (R-SRV-3, R-SRV-4, R-PUB-2, R-FB-9):
 * the list of open surveys of an organization, the form of an instrument
 * (for a touchpoint, or under a single-use invitation), its answer, the
 * thank-you page, and the QR code and A4 poster that lead to the form.
 * Also the rendering and reading of questions that the staff pages share
 * (ui-survey.h).
 *
 * Anonymity is the design constraint: every route here is ROUTE_ANON (the
 * access log keeps neither the address nor the person, no session is
 * loaded), an answer is stored with its day only, the rate limit keys
 * addresses by a keyed hash held in memory (ratelimit.c), and an
 * invitation's token travels only in the form's body and in the address
 * the respondent was given, never in a link this site writes; pages under
 * an invitation send no Referer at all.  The form needs no JavaScript;
 * survey.js only hides conditional questions until they apply.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "otklik.h"
#include "db.h"
#include "feedback.h"
#include "html.h"
#include "http.h"
#include "ingest.h"
#include "org.h"
#include "qr.h"
#include "ratelimit.h"
#include "registry.h"
#include "routes.h"
#include "survey.h"
#include "ui-survey.h"
#include "ui.h"

/* Numbered "Вопрос 3 из 12" from this many questions on. */
#define PROGRESS_FROM 5

/* ------------------------------------------------------------------ */
/* Questions as form controls (ui-survey.h).                           */

static const char *
qtext(const struct req *r, const struct srv_question *q)
{
	return srv_text(q->text_ru, q->text_en, r->lang);
}

static const char *
otext(const struct req *r, const struct srv_option *o)
{
	return srv_text(o->text_ru, o->text_en, r->lang);
}

static const struct srv_error *
error_of(const struct srv_error *errs, size_t nerrs, size_t i)
{
	size_t k;

	for (k = 0; errs != NULL && k < nerrs; k++)
		if (errs[k].q == i)
			return &errs[k];
	return NULL;
}

static int
chosen(const struct srv_resp *p, size_t i, const char *code)
{
	size_t k;

	if (p == NULL || i >= p->nitems)
		return 0;
	for (k = 0; k < p->items[i].nchoices; k++)
		if (p->items[i].choices[k] != NULL &&
		    strcmp(p->items[i].choices[k], code) == 0)
			return 1;
	return 0;
}

/* The summary of errors at the top: focused when the page loads, so a
 * screen reader starts with it; each item leads to its question.  Opens
 * the box and its list; returns the depth to close to. */
static int
error_box(struct req *r, struct html *h)
{
	int dd;

	dd = html_open(h, "div", "class", "alert", "role", "alert", "tabindex",
	    "-1", "autofocus", "", "aria-labelledby", "errors-title", "id",
	    "errors", NULL);
	html_elem(h, "h2", L(r, "Ответы не отправлены: проверьте вопросы",
			       "The answers were not sent: check the "
			       "questions"), "id", "errors-title", NULL);
	html_open(h, "ul", NULL);
	return dd;
}

static void
error_item(struct html *h, const char *anchor, const char *what,
    const char *why)
{
	html_open(h, "li", NULL);
	html_open(h, "a", "href", anchor, NULL);
	html_text(h, what);
	html_text(h, " — ");
	html_text(h, why);
	html_close(h);
	html_close(h);
}

static void
error_items(struct req *r, struct html *h, const struct srv_def *d,
    const struct srv_error *errs, size_t nerrs)
{
	char   anchor[SRV_CODE_MAX + 8];
	size_t k;

	for (k = 0; k < nerrs; k++) {
		if (errs[k].q >= d->nq)
			continue;
		snprintf(anchor, sizeof(anchor), "#q-%s", d->q[errs[k].q].code);
		error_item(h, anchor, qtext(r, &d->q[errs[k].q]),
		    L(r, errs[k].why_ru, errs[k].why_en));
	}
}

/*
 * The note of a conditional question, which is all a form without
 * JavaScript has: "Ответьте, если в вопросе «…» вы выбрали «…»".
 */
static void
cond_note(struct req *r, struct html *h, const struct srv_def *d,
    const struct srv_question *q, const char *id)
{
	const struct srv_question *p;
	int			   c, k;
	size_t			   j;

	if ((c = srv_def_find(d, q->show_if)) < 0)
		return;
	p = &d->q[c];
	html_open(h, "p", "class", "cond", "id", id, NULL);
	html_text(h, L(r, "Ответьте, если в вопросе «", "Answer if, in the "
							 "question “"));
	html_text(h, qtext(r, p));
	html_text(h, L(r, "» вы выбрали ", "”, you chose "));
	for (j = 0; j < q->nshow_any; j++) {
		for (k = 0; k < (int)p->noptions; k++)
			if (strcmp(p->options[k].code, q->show_any[j]) == 0)
				break;
		if (j > 0)
			html_text(h, L(r, " или ", " or "));
		html_text(h, L(r, "«", "“"));
		html_text(h, k < (int)p->noptions ? otext(r, &p->options[k])
						  : q->show_any[j]);
		html_text(h, L(r, "»", "”"));
	}
	html_text(h, ".");
	html_close(h);
}

/* The ids of what describes a question, for aria-describedby: its
 * number, hint, condition and error, as question_notes writes them. */
static void
describedby(const struct srv_question *q, int numbered, int err,
    struct buf *desc)
{
	if (numbered)
		buf_printf(desc, "q-%s-num ", q->code);
	if (q->hint_ru != NULL)
		buf_printf(desc, "q-%s-hint ", q->code);
	if (q->show_if != NULL)
		buf_printf(desc, "q-%s-cond ", q->code);
	if (err)
		buf_printf(desc, "q-%s-err ", q->code);
	if (desc->len > 0)
		desc->data[--desc->len] = '\0';
}

static void
question_notes(struct req *r, struct html *h, const struct srv_def *d,
    size_t i, const struct srv_error *err)
{
	const struct srv_question *q = &d->q[i];
	char			   id[SRV_CODE_MAX + 16];

	if (q->hint_ru != NULL) {
		snprintf(id, sizeof(id), "q-%s-hint", q->code);
		html_elem(h, "p", srv_text(q->hint_ru, q->hint_en, r->lang),
		    "class", "hint", "id", id, NULL);
	}
	if (q->show_if != NULL) {
		snprintf(id, sizeof(id), "q-%s-cond", q->code);
		cond_note(r, h, d, q, id);
	}
	if (err != NULL) {
		snprintf(id, sizeof(id), "q-%s-err", q->code);
		html_open(h, "p", "class", "error", "id", id, NULL);
		html_elem(h, "strong", L(r, "Ошибка:", "Error:"), NULL);
		html_text(h, " ");
		html_text(h, L(r, err->why_ru, err->why_en));
		html_close(h);
	}
}

/* One radio button or checkbox with its label; the first of a question
 * carries the question's id, where the error summary leads. */
static void
check_input(struct html *h, const char *type, const struct srv_question *q,
    int first, const char *value, const char *label, int checked,
    int required, int invalid)
{
	char id[2 * SRV_CODE_MAX + 8], name[SRV_CODE_MAX + 4];

	if (first)
		snprintf(id, sizeof(id), "q-%s", q->code);
	else
		snprintf(id, sizeof(id), "q-%s-%s", q->code, value);
	snprintf(name, sizeof(name), "q.%s", q->code);
	html_open(h, "div", "class", "check", NULL);
	html_void(h, "input", "type", type, "id", id, "name", name, "value",
	    value, "checked", checked ? "" : NULL, "required",
	    required ? "" : NULL, "aria-invalid", invalid ? "true" : NULL,
	    NULL);
	html_elem(h, "label", label, "for", id, NULL);
	html_close(h);
}

static void
rating_inputs(struct req *r, struct html *h, const struct srv_question *q,
    int given, int invalid)
{
	char	value[4], label[SRV_TITLE_MAX];
	int	k;

	html_open(h, "div", "class", "scale-list", NULL);
	for (k = 1; k <= SRV_SCALE; k++) {
		snprintf(value, sizeof(value), "%d", k);
		snprintf(label, sizeof(label), "%d — %s", k,
		    L(r, srv_anchor_ru[k], srv_anchor_en[k]));
		check_input(h, "radio", q, k == 1, value, label, given == k,
		    q->required, invalid);
	}
	/* A way out of a rating one cannot give, and back from a click
	 * made by mistake (a radio button cannot be cleared). */
	if (!q->required)
		check_input(h, "radio", q, 0, "0", L(r, "Затрудняюсь ответить",
		    "Hard to say"), 0, 0, invalid);
	html_close(h);
}

static void
choice_inputs(struct req *r, struct html *h, const struct srv_question *q,
    const struct srv_resp *p, size_t i, int invalid)
{
	size_t k;

	html_open(h, "div", "class", "choice-list", NULL);
	for (k = 0; k < q->noptions; k++)
		check_input(h, q->type == SRV_MULTI ? "checkbox" : "radio", q,
		    k == 0, q->options[k].code, otext(r, &q->options[k]),
		    chosen(p, i, q->options[k].code),
		    q->required && q->type == SRV_SINGLE, invalid);
	html_close(h);
}

static void
question(struct req *r, struct html *h, const struct srv_def *d, size_t i,
    const struct srv_resp *p, const struct srv_error *err, int numbered)
{
	const struct srv_question *q = &d->q[i];
	const struct srv_item	  *it = p != NULL && i < p->nitems
	    ? &p->items[i] : NULL;
	struct buf		   desc, any;
	char			   id[SRV_CODE_MAX + 16], line[64];
	size_t			   k;
	int			   dq;

	buf_init(&desc, 1024);
	buf_init(&any, 4096);
	for (k = 0; k < q->nshow_any; k++)
		buf_printf(&any, "%s%s", k > 0 ? " " : "", q->show_any[k]);
	snprintf(id, sizeof(id), "qq-%s", q->code);
	dq = html_open(h, "div", "class", "question", "id", id,
	    "data-show-if", q->show_if, "data-show-any",
	    q->show_if != NULL ? buf_str(&any) : NULL, NULL);
	if (numbered) {
		snprintf(id, sizeof(id), "q-%s-num", q->code);
		snprintf(line, sizeof(line), "%s %zu %s %zu",
		    L(r, "Вопрос", "Question"), i + 1, L(r, "из", "of"), d->nq);
		html_elem(h, "p", line, "class", "qnum", "id", id, NULL);
	}
	describedby(q, numbered, err != NULL, &desc);
	if (q->type == SRV_TEXT) {
		snprintf(id, sizeof(id), "q-%s", q->code);
		html_elem(h, "label", qtext(r, q), "for", id, "class",
		    q->required ? "required" : NULL, NULL);
		question_notes(r, h, d, i, err);
		snprintf(line, sizeof(line), "q.%s", q->code);
		html_open(h, "textarea", "id", id, "name", line, "rows", "4",
		    "required", q->required ? "" : NULL, "aria-required",
		    q->required ? "true" : NULL, "aria-describedby",
		    desc.len ? buf_str(&desc) : NULL, "aria-invalid",
		    err != NULL ? "true" : NULL, NULL);
		if (it != NULL && it->text != NULL)
			html_text(h, it->text);
		html_close(h);
	} else {
		/* The group's description is read when focus enters it:
		 * the number, the hint, the condition, the error. */
		html_open(h, "fieldset", "class", q->type == SRV_RATING
		    ? "scale" : "choices", "aria-describedby",
		    desc.len ? buf_str(&desc) : NULL, NULL);
		html_elem(h, "legend", qtext(r, q), "class",
		    q->required ? "required" : NULL, NULL);
		question_notes(r, h, d, i, err);
		if (q->type == SRV_RATING)
			rating_inputs(r, h, q, it != NULL ? it->rating : 0,
			    err != NULL);
		else
			choice_inputs(r, h, q, p, i, err != NULL);
		html_close(h);	/* fieldset */
	}
	html_close_to(h, dq);
	buf_free(&desc);
	buf_free(&any);
}

static void
questions(struct req *r, struct html *h, const struct srv_def *d,
    const struct srv_resp *prefill, const struct srv_error *errs,
    size_t nerrs)
{
	size_t i;

	for (i = 0; i < d->nq; i++)
		question(r, h, d, i, prefill, error_of(errs, nerrs, i),
		    d->nq >= PROGRESS_FROM);
}

void
ui_srv_questions(struct req *r, struct html *h, const struct srv_def *d,
    const struct srv_resp *prefill, const struct srv_error *errs,
    size_t nerrs)
{
	int dd;

	if (errs != NULL && nerrs > 0) {
		dd = error_box(r, h);
		error_items(r, h, d, errs, nerrs);
		html_close_to(h, dd);
	}
	questions(r, h, d, prefill, errs, nerrs);
}

/* A rating as the form sends it: "1"…"5"; "0" or "" for "hard to say";
 * anything else -1, which srv_validate reports. */
static int
rating_value(const char *v)
{
	if (v == NULL || *v == '\0' || strcmp(v, "0") == 0)
		return 0;
	if (v[0] >= '1' && v[0] <= '0' + SRV_SCALE && v[1] == '\0')
		return v[0] - '0';
	return -1;
}

static void
item_empty(struct srv_item *it)
{
	size_t k;

	for (k = 0; k < it->nchoices; k++)
		free(it->choices[k]);
	free(it->choices);
	free(it->text);
	memset(it, 0, sizeof(*it));
}

/*
 * The response passed in is one srv_resp_init made for this definition,
 * or a zeroed one, which gets its items here; what its items held is
 * replaced by what the form says.
 */
void
ui_srv_read(const struct req *r, const struct srv_def *d,
    struct srv_resp *p)
{
	const char		  *v[SRV_OPTIONS_MAX + 1];
	const struct srv_question *q;
	struct srv_item		  *it;
	char			   name[SRV_CODE_MAX + 4];
	size_t			   i, k, n;

	if (p->items == NULL || p->nitems != d->nq) {
		for (i = 0; p->items != NULL && i < p->nitems; i++)
			item_empty(&p->items[i]);
		free(p->items);
		p->items = xcalloc(d->nq > 0 ? d->nq : 1, sizeof(*p->items));
		p->nitems = d->nq;
	}
	for (i = 0; i < d->nq; i++) {
		q = &d->q[i];
		it = &p->items[i];
		item_empty(it);
		snprintf(name, sizeof(name), "q.%s", q->code);
		n = req_field_all(r, name, v, nitems(v));
		if (n == 0)
			continue;
		switch (q->type) {
		case SRV_RATING:
			it->rating = n > 1 ? -1 : rating_value(v[0]);
			break;
		case SRV_SINGLE:
		case SRV_MULTI:
			/* More than there can be options: one past the
			 * limit is enough for srv_validate to see a
			 * repeat or an unknown option. */
			if (n > nitems(v))
				n = nitems(v);
			it->choices = xcalloc(n, sizeof(*it->choices));
			for (k = 0; k < n; k++)
				if (*v[k] != '\0')
					it->choices[it->nchoices++] =
					    xstrdup(v[k]);
			break;
		case SRV_TEXT:
			if (!str_empty(v[0]))
				it->text = xstrdup(v[0]);
			break;
		}
	}
}

/* ------------------------------------------------------------------ */
/* The public pages.                                                   */

#define ACTOR	      "site"	/* who the feedback case names */
#define RATE_MAX      20	/* answers from one address … */
#define RATE_WINDOW   600	/* … in this many seconds */
#define RATE_SLOTS    65536	/* addresses the limit remembers */
#define COMMENT_MAX   2000	/* bytes of the comment for a case */
#define PNG_SCALE     10	/* pixels a module */

/* One table for the process, made on first use; "otklik serve
 * --answers-per-address" sets its limit before the threads start. */
static struct ratelimit *limiter;
static pthread_once_t	 limiter_once = PTHREAD_ONCE_INIT;
static int		 rate_max = RATE_MAX;

static void
limiter_make(void)
{
	if (rate_max > 0)
		limiter = ratelimit_new(RATE_SLOTS, rate_max, RATE_WINDOW);
}

void
ui_srvp_set_limit(int max)
{
	rate_max = max;
}

/* The contact section of the form (R-FB-9), by field. */
enum cf { CF_NAME, CF_EMAIL, CF_PHONE, CF_COMMENT, CF_CONSENT, CF__COUNT };
static const struct {
	const char *name, *ru, *en;
} cfields[CF__COUNT] = {
	{"name", "Как к вам обращаться", "Your name"},
	{"email", "Электронная почта", "E-mail"},
	{"phone", "Телефон", "Phone"},
	{"comment", "Что пошло не так", "What went wrong"},
	{"consent", "Согласие на обработку персональных данных",
	    "Consent to the processing of personal data"},
};

/* What the form's page needs besides the definition. */
struct form {
	struct srv_instr in;
	struct def_ref	*ref;		/* holds def */
	const struct srv_def *def;
	char		*tpname;	/* the touchpoint's name, or NULL */
	const char	*token;		/* an invitation, as given */
	const char	*cerr[CF__COUNT];	/* the contact's errors */
	int		 ncerr;
};

/* What a deferred answer carries to write() and done(). */
struct answer_job {
	struct def_ref	 *ref;		/* holds def */
	const struct srv_def *def;
	struct srv_resp	  resp;
	char		 *token;
	char		  code[SRV_CODE_MAX + 1];	/* the instrument */
	int		  open_case;	/* low rating, contact, consent */
	int		  contact_dropped;	/* given without a low rating */
	struct fb_msg	  m;
	struct fb_contact c;
	char		  key[65];
};

/*
 * Published definitions, parsed once: a published version never changes
 * (editing makes a new draft), so its parsed form can be shared by every
 * request that shows or checks it, by version id.  An entry in use (refs)
 * stays; one not in use gives way to a new version when the table is
 * full, the least recently used first; with every entry in use, a
 * request gets a definition of its own.
 */
#define DEFS_MAX 64

struct def_ref {
	int64_t	       version_id;	/* 0: free */
	int64_t	       org_id;
	struct srv_def def;
	int	       refs;
	int	       own;		/* not in the table: freed at put */
	uint64_t       tick;
};

static struct def_ref  defs[DEFS_MAX];
static uint64_t	       defs_tick;
static pthread_mutex_t defs_lock = PTHREAD_MUTEX_INITIALIZER;

static struct def_ref *
def_find(int64_t org_id, int64_t version_id)
{
	int i;

	for (i = 0; i < DEFS_MAX && version_id != 0; i++)
		if (defs[i].version_id == version_id &&
		    defs[i].org_id == org_id) {
			defs[i].refs++;
			defs[i].tick = ++defs_tick;
			return &defs[i];
		}
	return NULL;
}

static struct def_ref *
def_get(struct req *r, int64_t version_id, struct err *e)
{
	struct def_ref *ref, *v = NULL;
	struct srv_def	d;
	int		i;

	pthread_mutex_lock(&defs_lock);
	ref = def_find(r->org->id, version_id);
	pthread_mutex_unlock(&defs_lock);
	if (ref != NULL)
		return ref;
	/* Parsed outside the lock; another thread may do the same. */
	if (srv_version_load(r->db, r->org->id, version_id, &d, NULL, e) != 0)
		return NULL;
	pthread_mutex_lock(&defs_lock);
	if ((ref = def_find(r->org->id, version_id)) != NULL) {
		pthread_mutex_unlock(&defs_lock);
		srv_def_clear(&d);
		return ref;
	}
	for (i = 0; i < DEFS_MAX && (v == NULL || v->version_id != 0); i++)
		if (defs[i].refs == 0 && (v == NULL ||
			defs[i].version_id == 0 || defs[i].tick < v->tick))
			v = &defs[i];
	if (v != NULL) {
		if (v->version_id != 0)
			srv_def_clear(&v->def);
		ref = v;
		ref->version_id = version_id;
	} else {
		ref = xcalloc(1, sizeof(*ref));
		ref->own = 1;
	}
	ref->org_id = r->org->id;
	ref->def = d;
	ref->refs = 1;
	ref->tick = ++defs_tick;
	pthread_mutex_unlock(&defs_lock);
	return ref;
}

static void
def_put(struct def_ref *ref)
{
	if (ref == NULL)
		return;
	if (ref->own) {
		srv_def_clear(&ref->def);
		free(ref);
		return;
	}
	pthread_mutex_lock(&defs_lock);
	ref->refs--;
	pthread_mutex_unlock(&defs_lock);
}

/*
 * The instrument of the address, with what the pages need: its id, code,
 * client, access, whether it is open, its published version.  Not
 * srv_instr_get, which also counts the instrument's answers: that count
 * is a scan of every answer, on every form shown.
 */
static int
instr_find(struct req *r, const char *code, struct srv_instr *in,
    struct err *e)
{
	struct db_stmt *s;
	int		st;

	memset(in, 0, sizeof(*in));
	s = db_prepare(r->db, "SELECT i.id, i.code, i.client, i.access, "
	    "i.open, v.id, v.version FROM srv_instrument i LEFT JOIN "
	    "srv_version v ON v.instrument_id = i.id AND v.state = "
	    "'published' WHERE i.org_id = ? AND i.code = ?", "it", r->org->id,
	    code);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(r->db));
	if ((st = db_step(s)) == DB_ROW) {
		in->id = db_col_int(s, 0);
		in->org_id = r->org->id;
		snprintf(in->code, sizeof(in->code), "%s", db_col_text(s, 1));
		snprintf(in->client, sizeof(in->client), "%s",
		    db_col_text(s, 2));
		snprintf(in->access, sizeof(in->access), "%s",
		    db_col_text(s, 3));
		in->open = db_col_int(s, 4) != 0;
		in->current_id = db_col_int(s, 5);
		in->current = (int)db_col_int(s, 6);
	}
	db_finalize(s);
	if (st == DB_FAIL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(r->db));
	if (st == DB_DONE)
		return err_set(e, EXIT_NOINPUT, "no such survey");
	return 0;
}

static void
answer_job_free(void *p)
{
	struct answer_job *j = p;

	if (j == NULL)
		return;
	def_put(j->ref);
	srv_resp_clear(&j->resp);
	free(j->token);
	fb_msg_clear(&j->m);
	fb_contact_clear(&j->c);
	sodium_memzero(j->key, sizeof(j->key));
	free(j);
}

static void
form_clear(struct form *f)
{
	srv_instr_clear(&f->in);
	def_put(f->ref);
	free(f->tpname);
}

/* Validators of the route table. */

int
ui_srvp_check_token(const char *v, char *why, size_t len)
{
	const char *p;

	for (p = v; *p != '\0'; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
			(*p >= 'a' && *p <= 'z')))
			break;
	if (*p == '\0' && p - v <= 64)
		return 0;
	snprintf(why, len, "expected the invitation's code: letters and "
			   "digits");
	return -1;
}

/* About how long the instrument takes, in whole minutes: a rating or a
 * choice some eight seconds, a text (most are optional) fifteen. */
static int
minutes(const struct srv_def *d)
{
	size_t i, s = 0;

	for (i = 0; i < d->nq; i++)
		s += d->q[i].type == SRV_TEXT ? 15 : 8;
	return s < 90 ? 1 : (int)((s + 30) / 60);
}

static void
minutes_text(struct req *r, const struct srv_def *d, char *out, size_t len)
{
	int m = minutes(d);

	if (strcmp(r->lang, "en") == 0)
		snprintf(out, len, "about %d minute%s", m, m == 1 ? "" : "s");
	else
		snprintf(out, len, "около %d %s", m,
		    ui_plural_ru(m, "минуты", "минут", "минут"));
}

/* What R-SRV-3 promises, in a line: of one survey or of all. */
static void
anonymity_line(struct req *r, struct html *h, int all)
{
	html_open(h, "p", "class", "anon", NULL);
	html_text(h, all ? L(r, "Анкеты анонимные", "The surveys are "
						   "anonymous")
			 : L(r, "Анкета анонимная", "The survey is anonymous"));
	html_text(h, L(r, ": мы не сохраняем ни имени, ни адреса вашего "
			  "устройства (IP), ни сведений о браузере, а вместо "
			  "времени ответа — только дату.",
			  ": we keep neither your name, nor your device's (IP) "
			  "address, nor anything about your browser, and of "
			  "the time of your answer only the date."));
	html_close(h);
}

/* The touchpoint's name in the organization's current registry; NULL
 * when it is not one of the organization's. */
static char *
touchpoint_name(struct req *r, int64_t id)
{
	struct db_stmt *s;
	char	       *name = NULL;

	s = db_prepare(r->db, "SELECT name FROM touchpoint_rev WHERE "
	    "touchpoint_id = ? AND org_id = ? AND valid_from IS NOT NULL AND "
	    "valid_to IS NULL", "ii", id, r->org->id);
	if (s != NULL && db_step(s) == DB_ROW)
		name = db_col_dup(s, 0);
	db_finalize(s);
	return name;
}

static int
closed_page(struct req *r)
{
	return req_error(r, 404, NULL, L(r, "Такой анкеты нет, или она сейчас "
					    "не принимает ответы.",
					    "There is no such survey, or it "
					    "takes no answers now."));
}

/* Pages reached with an invitation: no Referer leaves them (the address
 * holds the token), and nothing keeps them. */
static void
header_once(struct req *r, const char *name, const char *value)
{
	int i;

	for (i = 0; i < r->nheaders; i++)
		if (strcmp(r->hname[i], name) == 0)
			return;
	req_header(r, name, value);
}

static void
private_page(struct req *r)
{
	header_once(r, "Referrer-Policy", "no-referrer");
	header_once(r, "Cache-Control", "no-store");
}

static int
invite_refused(struct req *r, int status)
{
	private_page(r);
	return req_error(r, status, NULL,
	    L(r, "Эта анкета заполняется только по приглашению, а ссылка "
		 "недействительна или уже использована: по каждому "
		 "приглашению можно ответить один раз. Откройте ссылку из "
		 "приглашения полностью, как она была прислана.",
		"This survey is answered by invitation only, and the link is "
		"not valid or has been used: each invitation takes one "
		"answer.  Open the link of your invitation in full, as it was "
		"sent."));
}

/*
 * Loads what the form's address names: the instrument (open, with a
 * published version), the touchpoint, the invitation.  Answers the
 * request itself and returns -1 when the form cannot be shown.
 */
static int
form_load(struct req *r, struct form *f)
{
	struct err  e;
	const char *name = r->capture[1];

	memset(f, 0, sizeof(*f));
	if (instr_find(r, name, &f->in, &e) != 0) {
		if (e.code == EXIT_NOINPUT)
			return closed_page(r), -1;
		return ui_fail(r, &e), -1;
	}
	if (!f->in.open || f->in.current_id == 0)
		return closed_page(r), -1;
	if (r->id != 0 && (f->tpname = touchpoint_name(r, r->id)) == NULL)
		return req_error(r, 404, NULL,
		    L(r, "У организации нет такой точки взаимодействия.",
			"The organization has no such touchpoint.")), -1;
	if (strcmp(f->in.access, "invite") == 0) {
		f->token = req_param(r, "k");
		if (str_empty(f->token))
			return invite_refused(r, 403), -1;
		if (srv_invite_valid(r->db, f->in.id, f->token, &e) != 1)
			return invite_refused(r, 403), -1;
	}
	if ((f->ref = def_get(r, f->in.current_id, &e)) == NULL)
		return ui_fail(r, &e), -1;
	f->def = &f->ref->def;
	return 0;
}

static void
contact_input(struct req *r, struct html *h, const struct form *f, enum cf c,
    const char *type, const char *autocomplete, const char *hint)
{
	char id[32], hid[40], eid[40];
	struct buf desc;

	snprintf(id, sizeof(id), "c-%s", cfields[c].name);
	snprintf(hid, sizeof(hid), "c-%s-hint", cfields[c].name);
	snprintf(eid, sizeof(eid), "c-%s-err", cfields[c].name);
	buf_init(&desc, 128);
	if (hint != NULL)
		buf_puts(&desc, hid);
	if (f->cerr[c] != NULL)
		buf_printf(&desc, "%s%s", desc.len ? " " : "", eid);
	html_open(h, "div", "class", "field", NULL);
	html_elem(h, "label", L(r, cfields[c].ru, cfields[c].en), "for", id,
	    NULL);
	if (hint != NULL)
		html_elem(h, "p", hint, "class", "hint", "id", hid, NULL);
	if (f->cerr[c] != NULL) {
		html_open(h, "p", "class", "error", "id", eid, NULL);
		html_elem(h, "strong", L(r, "Ошибка:", "Error:"), NULL);
		html_text(h, " ");
		html_text(h, f->cerr[c]);
		html_close(h);
	}
	if (strcmp(type, "textarea") == 0) {
		html_open(h, "textarea", "id", id, "name", id, "rows", "3",
		    "aria-describedby", desc.len ? buf_str(&desc) : NULL,
		    "aria-invalid", f->cerr[c] != NULL ? "true" : NULL, NULL);
		html_text(h, req_param(r, id));
		html_close(h);
	} else
		html_void(h, "input", "type", type, "id", id, "name", id,
		    "value", req_param(r, id), "autocomplete", autocomplete,
		    "spellcheck", strcmp(type, "text") != 0 ? "false" : NULL,
		    "aria-describedby", desc.len ? buf_str(&desc) : NULL,
		    "aria-invalid", f->cerr[c] != NULL ? "true" : NULL, NULL);
	html_close(h);
	buf_free(&desc);
}

/*
 * The consent of R-PD-1 for the contact, a document of its own above its
 * own checkbox: operator, purpose, data, actions, term, withdrawal.  The
 * feedback form's text is private to it and speaks of a message; this
 * one speaks of the survey's low rating, with the same terms.
 */
static void
consent_part(struct req *r, struct html *h, const struct form *f)
{
	const char *v = req_param(r, "c-consent");
	const char *desc = f->cerr[CF_CONSENT] != NULL
	    ? "c-consent-text c-consent-err" : "c-consent-text";

	html_open(h, "div", "class", "consent", "id", "c-consent-text", NULL);
	html_open(h, "p", NULL);
	html_text(h, L(r, "Я даю согласие оператору — ", "I consent to the "
							  "operator, "));
	html_elem(h, "strong", r->org->name, NULL);
	html_text(h, L(r, " — на обработку моих персональных данных: имени, "
			  "адреса электронной почты и номера телефона (тех "
			  "из них, что я указал(а) в этой форме).",
			  ", processing my personal data: my name, e-mail "
			  "address and phone number (those of them I gave "
			  "in this form)."));
	html_close(h);
	html_elem(h, "p", L(r, "Цель обработки: связаться со мной, чтобы "
			       "разобраться в том, что меня не устроило, и "
			       "ответить мне.",
			       "Purpose: contacting me to look into what did "
			       "not satisfy me, and answering me."), NULL);
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
	html_elem(h, "p", L(r, "Срок: пять лет со дня отправки или до отзыва "
			       "согласия. Отозвать согласие можно в любой "
			       "момент на странице «Мои сообщения» с ключом "
			       "истории, который вы получите после отправки, "
			       "или письменным заявлением оператору "
			       "(Федеральный закон от 27.07.2006 № 152-ФЗ "
			       "«О персональных данных»).",
			       "Term: five years from sending, or until the "
			       "consent is withdrawn.  You can withdraw it at "
			       "any time on the “My messages” page with the "
			       "history key you get after sending, or by a "
			       "written statement to the operator (Federal "
			       "Law No. 152-FZ of 27.07.2006 “On Personal "
			       "Data”)."), NULL);
	html_close(h);
	if (f->cerr[CF_CONSENT] != NULL) {
		html_open(h, "p", "class", "error", "id", "c-consent-err",
		    NULL);
		html_elem(h, "strong", L(r, "Ошибка:", "Error:"), NULL);
		html_text(h, " ");
		html_text(h, f->cerr[CF_CONSENT]);
		html_close(h);
	}
	html_open(h, "div", "class", "check", NULL);
	html_void(h, "input", "type", "checkbox", "id", "c-consent", "name",
	    "c-consent", "value", "1", "checked",
	    v != NULL && strcmp(v, "1") == 0 ? "" : NULL, "aria-describedby",
	    desc, "aria-invalid", f->cerr[CF_CONSENT] != NULL ? "true" : NULL,
	    NULL);
	html_elem(h, "label", L(r, "Я согласен(на) на обработку моих "
				    "персональных данных на этих условиях",
				    "I consent to the processing of my "
				    "personal data on these terms"),
	    "for", "c-consent", NULL);
	html_close(h);
}

/* "Хотите, чтобы с вами связались?" (R-FB-9): kept apart from the
 * answers, and used only with a low rating. */
static void
contact_section(struct req *r, struct html *h, const struct form *f)
{
	char line[160];

	html_open(h, "fieldset", "class", "contact", "aria-describedby",
	    "contact-hint", NULL);
	html_elem(h, "legend", L(r, "Хотите, чтобы с вами связались?",
				 "Would you like us to contact you?"), NULL);
	snprintf(line, sizeof(line), "%d", SRV_LOW_RATING);
	html_open(h, "p", "class", "hint", "id", "contact-hint", NULL);
	html_text(h, L(r, "Необязательно. Если вы поставили хотя бы одну "
			  "оценку ", "Optional.  If you gave at least one "
				     "rating of "));
	html_text(h, line);
	html_text(h, L(r, " или ниже и оставите контакты с согласием на их "
			  "обработку, мы заведём обращение и свяжемся с вами. "
			  "Контакты хранятся отдельно от ответов анкеты и не "
			  "связываются с ними; без низких оценок они не "
			  "сохраняются.",
			  " or lower and leave your contact details with the "
			  "consent to process them, we open a case and "
			  "contact you.  The details are kept apart from the "
			  "survey's answers and are not linked to them; "
			  "without a low rating they are not kept."));
	html_close(h);
	contact_input(r, h, f, CF_NAME, "text", "name", NULL);
	contact_input(r, h, f, CF_EMAIL, "email", "email",
	    L(r, "Электронная почта или телефон: например, "
		 "ivanov@example.ru", "An e-mail address or a phone: for "
				      "example, ivanov@example.ru"));
	contact_input(r, h, f, CF_PHONE, "tel", "tel",
	    L(r, "Например: +7 347 123-45-67", "For example: "
						"+7 347 123-45-67"));
	contact_input(r, h, f, CF_COMMENT, "textarea", NULL,
	    L(r, "Коротко: что случилось. Не более 2000 байт.",
		"Briefly, what happened.  At most 2,000 bytes."));
	consent_part(r, h, f);
	html_close(h);	/* fieldset */
}

static void
form_page(struct req *r, int status, struct form *f,
    const struct srv_resp *prefill, const struct srv_error *errs,
    size_t nerrs)
{
	const char *title = srv_text(f->def->title_ru, f->def->title_en, r->lang);
	char	    anchor[32], took[64];
	struct html h;
	int	    d, c;

	if (f->token != NULL)
		private_page(r);
	ui_begin(r, &h, title);
	html_elem(&h, "h1", title, NULL);
	html_elem(&h, "p", r->org->name, "class", "org", NULL);
	if (f->tpname != NULL) {
		html_open(&h, "p", "class", "where", NULL);
		html_text(&h, L(r, "Точка взаимодействия: ", "Touchpoint: "));
		html_text(&h, f->tpname);
		html_close(&h);
	}
	if (nerrs > 0 || f->ncerr > 0) {
		d = error_box(r, &h);
		error_items(r, &h, f->def, errs, nerrs);
		for (c = 0; c < CF__COUNT; c++) {
			if (f->cerr[c] == NULL)
				continue;
			snprintf(anchor, sizeof(anchor), "#c-%s",
			    cfields[c].name);
			error_item(&h, anchor, L(r, cfields[c].ru,
			    cfields[c].en), f->cerr[c]);
		}
		html_close_to(&h, d);
	}
	if (f->def->intro_ru != NULL)
		html_elem(&h, "p", srv_text(f->def->intro_ru, f->def->intro_en,
		    r->lang), "class", "intro", NULL);
	anonymity_line(r, &h, 0);
	minutes_text(r, f->def, took, sizeof(took));
	html_open(&h, "p", "class", "hint", NULL);
	html_text(&h, L(r, "Это займёт ", "It takes "));
	html_text(&h, took);
	html_text(&h, L(r, ". Вопросы, отмеченные звёздочкой (*), "
			   "обязательны.",
			   ".  Questions marked with an asterisk (*) are "
			   "required."));
	html_close(&h);

	d = html_open(&h, "form", "method", "post", "action", r->path,
	    "class", "stack survey", "novalidate", "", NULL);
	/* The invitation goes back in the body only: in the form's address
	 * it would reach the access log and the browser's history. */
	if (f->token != NULL)
		html_void(&h, "input", "type", "hidden", "name", "k", "value",
		    f->token, NULL);
	questions(r, &h, f->def, prefill, errs, nerrs);
	contact_section(r, &h, f);
	html_open(&h, "p", NULL);
	html_elem(&h, "button", L(r, "Отправить ответы", "Send the answers"),
	    "type", "submit", NULL);
	html_close_to(&h, d);
	/* Hides conditional questions until they apply; the form works
	 * the same without it. */
	html_open(&h, "script", "src", "/static/survey.js", "defer", "",
	    NULL);
	html_close(&h);
	ui_end(r, &h);
	if (r->status != 500)
		r->status = status;
}

int
ui_srvp_form(struct req *r)
{
	struct form f;

	if (form_load(r, &f) == 0)
		form_page(r, 200, &f, NULL, NULL, 0);
	form_clear(&f);
	return 0;
}

static int
too_many(struct req *r, int wait)
{
	char v[16];

	snprintf(v, sizeof(v), "%d", wait);
	req_header(r, "Retry-After", v);
	return req_error(r, 429, NULL,
	    L(r, "С этого адреса сейчас отправлено слишком много ответов. "
		 "Попробуйте позже.",
		"Too many answers have been sent from this address just now. "
		"Please try again later."));
}

static int
busy(struct req *r)
{
	req_header(r, "Retry-After", "5");
	return req_error(r, 503, NULL,
	    L(r, "Сервер перегружен, ответы не сохранены. Отправьте их ещё "
		 "раз через несколько секунд.",
		"The server is overloaded; the answers were not saved.  Send "
		"them again in a few seconds."));
}

static char *
param_dup(const struct req *r, const char *name)
{
	const char *v = req_param(r, name);

	return str_empty(v) ? NULL : xstrdup(v);
}

static void
contact_error(struct form *f, enum cf c, const char *msg)
{
	if (f->cerr[c] == NULL)
		f->ncerr++;
	f->cerr[c] = msg;
}

/* Is any rating shown and given at SRV_LOW_RATING or below? */
static int
low_rating(const struct srv_def *d, const struct srv_resp *p)
{
	size_t i;

	for (i = 0; i < d->nq; i++)
		if (d->q[i].type == SRV_RATING && p->items[i].rating >= 1 &&
		    p->items[i].rating <= SRV_LOW_RATING)
			return 1;
	return 0;
}

/*
 * The feedback case of R-FB-9.  Its text names the parameters rated low,
 * not the ratings, and not the other answers: the case holds the contact,
 * so the less of the response it repeats, the less it could be matched
 * to the response, which stays anonymous.
 */
static void
case_build(struct req *r, struct answer_job *j)
{
	const struct srv_def *d = j->def;
	struct buf	      t;
	size_t		      i;
	int		      n = 0;

	fb_msg_init(&j->m);
	snprintf(j->m.source, sizeof(j->m.source), "survey");
	snprintf(j->m.kind, sizeof(j->m.kind), "comment");
	snprintf(j->m.channel, sizeof(j->m.channel), "site");
	snprintf(j->m.client, sizeof(j->m.client), "%s", d->client);
	j->m.touchpoint_id = j->resp.touchpoint_id;
	/* Russian: the case is read by the organization's staff. */
	buf_init(&t, FB_TEXT_MAX);
	buf_printf(&t, "Анкета «%s»: оценка %d или ниже по параметрам: ",
	    d->title_ru, SRV_LOW_RATING);
	for (i = 0; i < d->nq; i++)
		if (d->q[i].type == SRV_RATING &&
		    j->resp.items[i].rating >= 1 &&
		    j->resp.items[i].rating <= SRV_LOW_RATING)
			buf_printf(&t, "%s«%s»", n++ > 0 ? "; " : "",
			    d->q[i].text_ru);
	buf_puts(&t, ".");
	if (!str_empty(req_param(r, "c-comment")))
		buf_printf(&t, "\nКомментарий: %s", req_param(r, "c-comment"));
	j->m.subject = xasprintf("Низкая оценка в анкете «%.300s»",
	    d->title_ru);
	j->m.text = buf_detach(&t);
	j->c.name = param_dup(r, "c-name");
	j->c.email = param_dup(r, "c-email");
	j->c.phone = param_dup(r, "c-phone");
	j->c.consent = 1;
}

/*
 * The contact section: taken only with a low rating; then it needs an
 * e-mail or a phone and the consent, and fb_validate's checks.
 */
static void
contact_read(struct req *r, struct answer_job *j, struct form *f)
{
	const char *consent = req_param(r, "c-consent");
	const char *field;
	struct err  e;
	int	    any;

	any = !str_empty(req_param(r, "c-name")) ||
	    !str_empty(req_param(r, "c-email")) ||
	    !str_empty(req_param(r, "c-phone")) ||
	    !str_empty(req_param(r, "c-comment"));
	if (!any)
		return;
	if (!low_rating(j->def, &j->resp)) {
		j->contact_dropped = 1;
		return;
	}
	if (str_empty(req_param(r, "c-email")) &&
	    str_empty(req_param(r, "c-phone")))
		contact_error(f, CF_EMAIL, L(r, "чтобы с вами связались, "
						"укажите электронную почту или "
						"телефон.",
						"give an e-mail address or a "
						"phone to be contacted."));
	if (strlen(req_param(r, "c-comment") != NULL
	    ? req_param(r, "c-comment") : "") > COMMENT_MAX)
		contact_error(f, CF_COMMENT, L(r, "не длиннее 2000 байт — "
						  "около 1000 букв.",
						  "at most 2,000 bytes."));
	if (consent == NULL || strcmp(consent, "1") != 0)
		contact_error(f, CF_CONSENT, L(r, "контакты можно оставить "
						  "только с согласием на их "
						  "обработку: отметьте его или "
						  "очистите поля контактов.",
						  "contact details need the "
						  "consent to process them: "
						  "tick it, or clear the "
						  "contact fields."));
	if (f->ncerr > 0)
		return;
	case_build(r, j);
	if (fb_validate(&j->m, &j->c, &field, &e) == 0) {
		j->open_case = 1;
		return;
	}
	if (strcmp(field, "email") == 0)
		contact_error(f, CF_EMAIL, L(r, "укажите адрес полностью, "
						"например ivanov@example.ru.",
						"give the whole address, e.g. "
						"ivanov@example.ru."));
	else if (strcmp(field, "phone") == 0)
		contact_error(f, CF_PHONE, L(r, "от 5 до 20 цифр, можно со "
						"знаками + ( ) - и пробелами.",
						"5 to 20 digits, with + ( ) - "
						"and spaces if you like."));
	else if (strcmp(field, "name") == 0)
		contact_error(f, CF_NAME, L(r, "не длиннее 1000 байт, одной "
					       "строкой.",
					       "at most 1,000 bytes, on one "
					       "line."));
	else
		contact_error(f, CF_COMMENT, L(r, "не длиннее 2000 байт, без "
						  "управляющих символов.",
						  "at most 2,000 bytes, "
						  "without control "
						  "characters."));
}

/*
 * On the writer thread, in the batch's transaction.  The response and the
 * case are two rows that name nothing of each other, on purpose: the
 * response is anonymous (R-SRV-3) and the case holds a name and an
 * address; a link either way would make the answers of a person who left
 * a contact theirs, and so would storing the response's id in the case's
 * text or the case's code with the response.
 */
static int
answer_write(struct req *r, struct db *db, struct err *e)
{
	struct answer_job    *j = r->job;
	const struct fb_conf *conf;

	if (srv_response_insert(db, j->def, &j->resp, j->token, e) < 0)
		return -1;
	if (!j->open_case)
		return 0;
	if ((conf = ingest_conf(r->org->id, e)) == NULL)
		return -1;
	return fb_insert(db, conf, ACTOR, &j->m, &j->c, j->key, e) < 0 ? -1
									: 0;
}

static void thanks_page(struct req *, const struct answer_job *);

static void
answer_done(struct req *r, const struct err *e)
{
	struct answer_job *j = r->job;
	struct err	   ie;
	char		  *loc;

	if (e != NULL && e->code == EXIT_DATAERR) {
		/* Decided against the committed data: an invitation used in
		 * the meantime, or the survey closed.  Which one, the data
		 * says (the writer's message is not a contract). */
		if (j->token != NULL && srv_invite_valid(r->db,
		    j->resp.instrument_id, j->token, &ie) != 1) {
			invite_refused(r, 409);
			return;
		}
		req_error(r, 409, NULL, L(r, "Ответы не приняты: анкета сейчас "
					    "не принимает ответы.",
					    "The answers were not accepted: "
					    "the survey takes no answers "
					    "now."));
		return;
	}
	if (e != NULL) {
		req_error(r, 500, NULL, L(r, "Ответы не сохранены из-за ошибки "
					    "сервера. Отправьте их ещё раз.",
					    "The answers were not saved "
					    "because of a server error.  "
					    "Send them again."));
		return;
	}
	if (j->open_case || j->contact_dropped) {
		thanks_page(r, j);
		return;
	}
	loc = xasprintf("/%s/s/%s/thanks", r->org->slug, j->code);
	req_redirect(r, loc);
	free(loc);
}

int
ui_srvp_answer(struct req *r)
{
	struct answer_job *j;
	struct form	   f;
	struct srv_error   errs[SRV_QUESTIONS_MAX];
	size_t		   nerrs;
	int		   wait;

	/* Before anything: an address over the limit is refused at once.
	 * Only answers taken count (below), so that a form sent back for
	 * corrections costs nothing.  The address is hashed there and not
	 * kept. */
	pthread_once(&limiter_once, limiter_make);
	if (limiter != NULL &&
	    (wait = ratelimit_peek(limiter, r->remote, clock_now())) > 0)
		return too_many(r, wait);
	if (form_load(r, &f) != 0) {
		form_clear(&f);
		return 0;
	}
	j = xcalloc(1, sizeof(*j));
	srv_resp_init(&j->resp, f.def->nq);
	ui_srv_read(r, f.def, &j->resp);
	nerrs = srv_validate(f.def, &j->resp, errs, nitems(errs));
	if (nerrs > nitems(errs))
		nerrs = nitems(errs);
	/* The definition moves to the job: contact_read needs it. */
	j->ref = f.ref;
	j->def = f.def;
	f.ref = NULL;
	j->resp.org_id = r->org->id;
	j->resp.instrument_id = f.in.id;
	j->resp.version_id = f.in.current_id;
	j->resp.touchpoint_id = r->id;
	if (nerrs == 0)
		contact_read(r, j, &f);
	if (nerrs > 0 || f.ncerr > 0) {
		f.ref = j->ref;
		j->ref = NULL;
		form_page(r, 400, &f, &j->resp, errs, nerrs);
		form_clear(&f);
		answer_job_free(j);
		return 0;
	}
	/* The day, not the time (R-SRV-3), in the organization's zone. */
	date_format(date_local(clock_now(), r->org->tz), j->resp.day);
	j->token = f.token != NULL ? xstrdup(f.token) : NULL;
	snprintf(j->code, sizeof(j->code), "%s", f.in.code);
	form_clear(&f);
	r->job = j;
	r->job_free = answer_job_free;
	if (j->token != NULL)
		private_page(r);
	/* Counted now; several at once from one address may have passed
	 * the look above. */
	if (limiter != NULL &&
	    (wait = ratelimit_take(limiter, r->remote, clock_now())) > 0)
		return too_many(r, wait);
	if (req_defer(r, answer_write, answer_done) != 0)
		return busy(r);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Thanks.                                                             */

static void
thanks_body(struct req *r, struct html *h)
{
	char *list = ui_opath(r, "/s");

	html_elem(h, "h1", L(r, "Спасибо за ответы!", "Thank you for your "
							"answers!"), NULL);
	html_elem(h, "p", r->org->name, "class", "org", NULL);
	html_open(h, "div", "class", "notice", "role", "status", NULL);
	html_elem(h, "p", L(r, "Ваши ответы сохранены анонимно. Они помогут "
			       "сделать обслуживание лучше.",
			       "Your answers have been saved anonymously.  "
			       "They help to make the service better."), NULL);
	html_close(h);
	html_open(h, "p", NULL);
	html_elem(h, "a", L(r, "Другие анкеты организации",
			       "The organization's other surveys"),
	    "href", list, NULL);
	html_close(h);
	free(list);
}

/* The answer to a POST that left a contact: the case's code and history
 * key are shown here once, never in an address. */
static void
thanks_page(struct req *r, const struct answer_job *j)
{
	struct html h;
	char	   *track, *my;
	int	    d;

	header_once(r, "Cache-Control", "no-store");
	ui_begin(r, &h, L(r, "Спасибо за ответы", "Thank you"));
	thanks_body(r, &h);
	if (j->contact_dropped)
		html_elem(&h, "p", L(r, "Вы оставили контакты, но не поставили "
				       "низких оценок, поэтому они не "
				       "сохранены. Если хотите сообщить о "
				       "проблеме, напишите обращение.",
				       "You left contact details but gave no "
				       "low rating, so they were not kept.  To "
				       "report a problem, write an appeal."),
		    NULL);
	if (j->open_case) {
		track = xasprintf("/%s/track/%s", r->org->slug, j->m.code);
		my = ui_opath(r, "/my");
		d = html_open(&h, "section", "class", "key-box",
		    "aria-labelledby", "case-title", NULL);
		html_elem(&h, "h2", L(r, "Мы свяжемся с вами",
					"We will contact you"), "id",
		    "case-title", NULL);
		html_elem(&h, "p", L(r, "По вашим оценкам заведено обращение. "
				       "Его код для отслеживания:",
				       "A case has been opened on your "
				       "ratings.  Its tracking code:"), NULL);
		html_elem(&h, "p", j->m.code, "class", "code", "id",
		    "tracking-code", NULL);
		html_open(&h, "p", NULL);
		html_elem(&h, "a", L(r, "Посмотреть статус обращения",
				       "See the status of the case"),
		    "href", track, NULL);
		html_close(&h);
		if (j->key[0] != '\0') {
			html_elem(&h, "p", L(r, "Ключ истории (показывается "
					       "один раз; с ним можно отозвать "
					       "согласие на странице «Мои "
					       "сообщения»):",
					       "History key (shown only once; "
					       "with it you can withdraw the "
					       "consent on the “My messages” "
					       "page):"), NULL);
			html_elem(&h, "p", j->key, "class", "key", "id",
			    "history-key", NULL);
			html_open(&h, "p", NULL);
			html_elem(&h, "a", L(r, "Мои сообщения",
					       "My messages"), "href", my,
			    NULL);
			html_close(&h);
		}
		html_close_to(&h, d);
		free(track);
		free(my);
	}
	ui_end(r, &h);
	if (r->status != 500)
		r->status = 200;
}

int
ui_srvp_thanks(struct req *r)
{
	struct html h;

	ui_begin(r, &h, L(r, "Спасибо за ответы", "Thank you"));
	thanks_body(r, &h);
	ui_fb_quick(r, &h);	/* R-PUB-3; the form itself is feedback */
	ui_end(r, &h);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The list of open surveys.                                           */

int
ui_srvp_list(struct req *r)
{
	struct srv_instr *v;
	struct def_ref	 *ref;
	const struct srv_def *d;
	struct err	  e;
	struct html	  h;
	size_t		  n, i, shown = 0;
	char		 *href, took[64];
	int		  dl;

	if (srv_instr_list(r->db, r->org->id, &v, &n, &e) != 0)
		return ui_fail(r, &e);
	ui_begin(r, &h, L(r, "Анкеты", "Surveys"));
	html_elem(&h, "h1", L(r, "Анкеты", "Surveys"), NULL);
	html_elem(&h, "p", r->org->name, "class", "org", NULL);
	anonymity_line(r, &h, 1);
	dl = html_open(&h, "ul", "class", "surveys", NULL);
	for (i = 0; i < n; i++) {
		/* Invitation-only surveys are reached by their invitations,
		 * not from here. */
		if (!v[i].open || v[i].current_id == 0 ||
		    strcmp(v[i].access, "open") != 0)
			continue;
		if ((ref = def_get(r, v[i].current_id, &e)) == NULL)
			continue;
		d = &ref->def;
		href = ui_opath(r, "/s/%s", v[i].code);
		html_open(&h, "li", NULL);
		html_elem(&h, "a", srv_text(d->title_ru, d->title_en, r->lang),
		    "href", href, NULL);
		minutes_text(r, d, took, sizeof(took));
		html_text(&h, " — ");
		html_text(&h, took);
		html_close(&h);
		free(href);
		def_put(ref);
		shown++;
	}
	html_close_to(&h, dl);
	if (shown == 0)
		html_elem(&h, "p", L(r, "Сейчас открытых анкет нет.",
				       "There are no open surveys now."), NULL);
	ui_fb_quick(r, &h);
	ui_end(r, &h);
	for (i = 0; i < n; i++)
		srv_instr_clear(&v[i]);
	free(v);
	return 0;
}

/* ------------------------------------------------------------------ */
/* QR codes and the poster (R-SRV-4).                                  */

/*
 * The instrument of the address and the touchpoint of "tp" (checked),
 * with the absolute link to the form into link.  Answers the request
 * and returns -1 when there is none.
 */
static int
qr_target(struct req *r, struct form *f, struct buf *link)
{
	struct err  e;
	const char *tp = req_param(r, "tp");
	int64_t	    id = 0;

	memset(f, 0, sizeof(*f));
	if (instr_find(r, r->capture[1], &f->in, &e) != 0 ||
	    f->in.current_id == 0)
		return closed_page(r), -1;
	if (!str_empty(tp)) {
		id = strtoll(tp, NULL, 10);
		if ((f->tpname = touchpoint_name(r, id)) == NULL)
			return req_error(r, 404, "tp",
			    L(r, "у организации нет такой точки "
				 "взаимодействия.",
				"the organization has no such touchpoint.")),
			    -1;
	}
	if ((f->ref = def_get(r, f->in.current_id, &e)) == NULL)
		return ui_fail(r, &e), -1;
	f->def = &f->ref->def;
	if (req_base_url(r, link) != 0)
		return req_error(r, 400, NULL,
		    L(r, "Адрес сайта неизвестен: запрос пришёл без "
			 "заголовка Host, а сервер запущен без --public-url.",
			"The site's address is not known: the request has no "
			"Host header and the server runs without "
			"--public-url.")), -1;
	buf_printf(link, "/%s/s/%s", r->org->slug, f->in.code);
	if (id != 0)
		buf_printf(link, "/%lld", (long long)id);
	return 0;
}

int
ui_srvp_qr_svg(struct req *r)
{
	struct form f;
	struct buf  link;
	struct err  e;

	buf_init(&link, 4096);
	if (qr_target(r, &f, &link) == 0) {
		buf_reset(&r->out);
		if (qr_svg(buf_str(&link), L(r, "QR-код: ссылка на анкету",
		    "QR code: the link to the survey"), &r->out, &e) != 0)
			ui_fail(r, &e);
		else {
			r->ctype = "image/svg+xml";
			req_header(r, "Cache-Control", "public, max-age=300");
		}
	}
	buf_free(&link);
	form_clear(&f);
	return 0;
}

int
ui_srvp_qr_png(struct req *r)
{
	struct form f;
	struct buf  link;
	struct err  e;

	buf_init(&link, 4096);
	if (qr_target(r, &f, &link) == 0) {
		buf_reset(&r->out);
		if (qr_png(buf_str(&link), PNG_SCALE, &r->out, &e) != 0)
			ui_fail(r, &e);
		else {
			r->ctype = "image/png";
			req_header(r, "Cache-Control", "public, max-age=300");
		}
	}
	buf_free(&link);
	form_clear(&f);
	return 0;
}

/* An A4 sheet for a reception desk: what to rate, where, the code, the
 * link to type, and that it is anonymous and short. */
int
ui_srvp_poster(struct req *r)
{
	struct form f;
	struct buf  link, img;
	struct html h;
	const char *title, *shown;
	char	    took[64];
	int	    d;

	buf_init(&link, 4096);
	buf_init(&img, 4096);
	if (qr_target(r, &f, &link) != 0)
		goto out;
	title = srv_text(f.def->title_ru, f.def->title_en, r->lang);
	buf_printf(&img, "/%s/s/%s/qr.svg", r->org->slug, f.in.code);
	if (f.tpname != NULL)
		buf_printf(&img, "?tp=%s", req_param(r, "tp"));
	/* The link as people type it: without the scheme. */
	shown = strstr(buf_str(&link), "://");
	shown = shown != NULL ? shown + 3 : buf_str(&link);
	ui_begin(r, &h, title);
	d = html_open(&h, "div", "class", "poster", NULL);
	html_elem(&h, "p", L(r, "Оцените, как вас обслужили",
			       "Rate how you were served"), "class",
	    "poster-call", NULL);
	html_elem(&h, "h1", title, NULL);
	html_elem(&h, "p", r->org->name, "class", "org", NULL);
	if (f.tpname != NULL)
		html_elem(&h, "p", f.tpname, "class", "poster-where", NULL);
	html_void(&h, "img", "src", buf_str(&img), "alt",
	    L(r, "QR-код: ссылка на анкету", "QR code: the link to the "
					     "survey"), "class", "poster-qr",
	    NULL);
	html_elem(&h, "p", L(r, "Наведите камеру телефона на код или "
			       "откройте ссылку:",
			       "Point your phone's camera at the code, or "
			       "open the link:"), NULL);
	html_elem(&h, "p", shown, "class", "poster-link", NULL);
	anonymity_line(r, &h, 0);
	minutes_text(r, f.def, took, sizeof(took));
	html_open(&h, "p", "class", "poster-time", NULL);
	html_text(&h, L(r, "Это займёт ", "It takes "));
	html_text(&h, took);
	html_text(&h, ".");
	html_close(&h);
	if (strcmp(f.in.access, "invite") == 0)
		html_elem(&h, "p", L(r, "Эта анкета заполняется по "
				       "приглашениям: ссылку без приглашения "
				       "она не примет.",
				       "This survey is answered by "
				       "invitation: it does not take the bare "
				       "link."), "class", "hint noprint", NULL);
	html_close_to(&h, d);
	html_elem(&h, "p", L(r, "Напечатайте эту страницу на листе A4 "
			       "(Ctrl+P).",
			       "Print this page on an A4 sheet (Ctrl+P)."),
	    "class", "hint noprint", NULL);
	ui_end(r, &h);
out:
	buf_free(&link);
	buf_free(&img);
	form_clear(&f);
	return 0;
}

/* The little script of the form (data/static/survey.js). */
int
ui_srvp_script(struct req *r)
{
	const struct embedded_file *f = embedded_find("static/survey.js");

	if (f == NULL)
		return req_error(r, 404, NULL, "no script");
	buf_add(&r->out, f->data, f->len);
	r->ctype = "text/javascript; charset=utf-8";
	req_header(r, "Cache-Control", "public, max-age=3600");
	return 0;
}

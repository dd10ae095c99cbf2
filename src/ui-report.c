/*
 * The staff pages of the analysis (R-AN-1..7 in the browser): the
 * half-year report of a period with its downloads, the pain map with
 * what is decided about each problem and the working group's
 * confirmation of the order of reengineering, the client-centricity
 * level with the region's comparison, and the preview and publication of
 * the yearly public report.  The figures come from report.h, pain.h and
 * level.h, which also audit every change; these pages only ask and show.
 *
 * Roles (R-ORG-2): analysts and the working group see every page (the
 * route table lets any staff member in and the pages check the pair);
 * analysts record what is decided about a problem; the working group
 * confirms the order and publishes the yearly report.  Admins pass every
 * check.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "otklik.h"
#include "audit.h"
#include "db.h"
#include "html.h"
#include "http.h"
#include "level.h"
#include "org.h"
#include "pain.h"
#include "report.h"
#include "routes.h"
#include "session.h"
#include "ui.h"

#define PERIOD_MAX	 40	/* bytes of a period as typed */
#define MINUTES_REF_MAX	 200	/* bytes of a minutes' reference */
#define NOTE_MAX	 2000	/* bytes of a decision's note */
#define SUMMARY_MAX	 8000	/* bytes of a yearly report's summary */
#define FERR_MAX	 8	/* messages on one form */
#define DECISIONS_SHOWN	 50	/* past decisions listed */
#define YEARS_OFFERED	 6	/* years in the select of the public report */

/*
 * Small pieces: roles, language, messages of a form.
 */

static int
holds(struct req *r, const char *role)
{
	return r->session != NULL && r->org != NULL &&
	    session_has_role(r->db, r->session, r->org->id, role) == 1;
}

/* Every page here is for analysts and the working group; the route table
 * lets any staff member in, so the pair is checked here (ui-survey.c
 * does the same for results).  -1 when refused, with the 403 answered. */
static int
need_staff(struct req *r)
{
	if (holds(r, "analyst") || holds(r, "group"))
		return 0;
	req_error(r, 403, NULL, "your roles do not allow this here");
	return -1;
}

static int
is_ru(const struct req *r)
{
	return strcmp(L(r, "ru", "en"), "ru") == 0;
}

struct ferrs {
	struct {
		const char *field;	/* the input's name; NULL: the form */
		const char *label;	/* for the summary */
		char	    msg[400];
	} v[FERR_MAX];
	size_t n;
};

static void PRINTFLIKE(4, 5)
ferr(struct ferrs *fe, const char *field, const char *label,
    const char *fmt, ...)
{
	va_list ap;

	if (fe->n == FERR_MAX)
		return;
	fe->v[fe->n].field = field;
	fe->v[fe->n].label = label;
	va_start(ap, fmt);
	vsnprintf(fe->v[fe->n].msg, sizeof(fe->v[fe->n].msg), fmt, ap);
	va_end(ap);
	fe->n++;
}

static const char *
ferr_get(const struct ferrs *fe, const char *field)
{
	size_t i;

	if (fe == NULL)
		return NULL;
	for (i = 0; i < fe->n; i++)
		if (fe->v[i].field != NULL && strcmp(fe->v[i].field, field) == 0)
			return fe->v[i].msg;
	return NULL;
}

/* The summary of what is wrong, at the top of the page: each item leads
 * to its field (ids are "f-" and the field's name). */
static void
error_summary(struct req *r, struct html *h, const struct ferrs *fe,
    const char *ru, const char *en)
{
	char   anchor[64];
	size_t i;
	int    d;

	if (fe == NULL || fe->n == 0)
		return;
	d = html_open(h, "div", "class", "alert", "role", "alert", "tabindex",
	    "-1", "aria-labelledby", "errors-title", "id", "errors", NULL);
	html_elem(h, "h2", L(r, ru, en), "id", "errors-title", NULL);
	html_open(h, "ul", NULL);
	for (i = 0; i < fe->n; i++) {
		html_open(h, "li", NULL);
		if (fe->v[i].field != NULL) {
			snprintf(anchor, sizeof(anchor), "#f-%s",
			    fe->v[i].field);
			html_open(h, "a", "href", anchor, NULL);
			html_text(h, fe->v[i].label);
			html_text(h, ": ");
			html_text(h, fe->v[i].msg);
			html_close(h);
		} else
			html_text(h, fe->v[i].msg);
		html_close(h);
	}
	html_close_to(h, d);
}

/* A field's label, hint and error; desc gets the ids that describe it. */
static void
field_head(struct req *r, struct html *h, const char *name, const char *label,
    const char *hint, const char *err, int required, char *desc, size_t len)
{
	char id[64], hid[72], eid[72];

	snprintf(id, sizeof(id), "f-%s", name);
	snprintf(hid, sizeof(hid), "f-%s-hint", name);
	snprintf(eid, sizeof(eid), "f-%s-err", name);
	snprintf(desc, len, "%s%s%s", hint != NULL ? hid : "",
	    hint != NULL && err != NULL ? " " : "", err != NULL ? eid : "");
	html_elem(h, "label", label, "for", id, "class",
	    required ? "required" : NULL, NULL);
	if (hint != NULL)
		html_elem(h, "p", hint, "class", "hint", "id", hid, NULL);
	if (err != NULL) {
		html_open(h, "p", "class", "error", "id", eid, NULL);
		html_elem(h, "strong", L(r, "Ошибка:", "Error:"), NULL);
		html_text(h, " ");
		html_text(h, err);
		html_close(h);
	}
}

/* An input (type given) or a textarea (type "textarea"). */
static void
field(struct req *r, struct html *h, const char *type, const char *name,
    const char *label, const char *hint, const struct ferrs *fe,
    const char *value, int required)
{
	const char *err = ferr_get(fe, name);
	char	    id[64], desc[160];

	snprintf(id, sizeof(id), "f-%s", name);
	html_open(h, "div", "class", "field", NULL);
	field_head(r, h, name, label, hint, err, required, desc, sizeof(desc));
	if (strcmp(type, "textarea") == 0) {
		html_open(h, "textarea", "id", id, "name", name, "rows", "4",
		    "required", required ? "" : NULL, "aria-describedby",
		    desc[0] != '\0' ? desc : NULL, "aria-invalid",
		    err != NULL ? "true" : NULL, NULL);
		html_text(h, value != NULL ? value : "");
		html_close(h);
	} else
		html_void(h, "input", "type", type, "id", id, "name", name,
		    "value", value != NULL ? value : "", "required",
		    required ? "" : NULL, "aria-describedby",
		    desc[0] != '\0' ? desc : NULL, "aria-invalid",
		    err != NULL ? "true" : NULL, NULL);
	html_close(h);
}

/* Opens a select inside its field; the caller writes the options and
 * closes twice (select, field). */
static void
select_open(struct req *r, struct html *h, const char *name,
    const char *label, const char *hint, const struct ferrs *fe)
{
	const char *err = ferr_get(fe, name);
	char	    id[64], desc[160];

	snprintf(id, sizeof(id), "f-%s", name);
	html_open(h, "div", "class", "field", NULL);
	field_head(r, h, name, label, hint, err, 0, desc, sizeof(desc));
	html_open(h, "select", "id", id, "name", name, "aria-describedby",
	    desc[0] != '\0' ? desc : NULL, "aria-invalid",
	    err != NULL ? "true" : NULL, NULL);
}

static void
option(struct html *h, const char *value, const char *label, int selected)
{
	html_elem(h, "option", label, "value", value, "selected",
	    selected ? "" : NULL, NULL);
}

static void
hidden(struct html *h, const char *name, const char *value)
{
	html_void(h, "input", "type", "hidden", "name", name, "value", value,
	    NULL);
}

/* What a form did, shown after its redirect; only these fixed texts. */
static const struct {
	const char *code, *ru, *en;
} notices[] = {
	{"saved", "Решение по проблеме сохранено.",
	    "What is decided about the problem is saved."},
	{"confirmed", "Порядок реинжиниринга утверждён и записан; открытые "
		      "проблемы переведены в запланированные.",
	    "The order of reengineering is confirmed and recorded; open "
	    "problems are now planned."},
	{"published", "Публичный отчёт опубликован.",
	    "The public report is published."},
};

int
ui_rep_check_done(const char *v, char *why, size_t len)
{
	size_t i;

	for (i = 0; i < nitems(notices); i++)
		if (strcmp(v, notices[i].code) == 0)
			return 0;
	snprintf(why, len, "not a known result");
	return -1;
}

int
ui_rep_check_what(const char *v, char *why, size_t len)
{
	return http_check_one_of(v, "full|pain|level", why, len);
}

static void
notice(struct req *r, struct html *h)
{
	const char *done = req_param(r, "done");
	size_t	    i;

	if (str_empty(done))
		return;
	for (i = 0; i < nitems(notices); i++)
		if (strcmp(done, notices[i].code) == 0)
			html_elem(h, "p", L(r, notices[i].ru, notices[i].en),
			    "class", "notice", "role", "status", NULL);
}

/*
 * The period and the clients a page shows, from the query: "custom" (a
 * period typed in, such as FROM..TO) wins over "period" (the select); the
 * default is the current half-year in the organization's zone.
 */
struct rq {
	char	    period[PERIOD_MAX + 1];	/* the one in effect */
	char	    client[12];
	const char *custom;	/* as typed, to show again */
	int32_t	    from, to, pf, pt;
};

static const char *
period_label(const struct req *r)
{
	return L(r, "Период", "Period");
}

static const char *
custom_label(const struct req *r)
{
	return L(r, "Или свой период", "Or a period of your own");
}

/* 0, or -1 with the message in fe (next to the field it came from). */
static int
rq_read(struct req *r, struct rq *q, struct ferrs *fe)
{
	const char *custom = req_param(r, "custom");
	const char *period = req_param(r, "period");
	const char *client = req_param(r, "clients");
	const char *field = NULL, *src;
	char	   *typed = NULL;
	struct err  e;
	int	    rc = 0;

	memset(q, 0, sizeof(*q));
	snprintf(q->client, sizeof(q->client), "%s", str_empty(client)
	    ? "external" : client);
	q->custom = custom;
	if (!str_empty(custom)) {
		field = "custom";
		src = typed = str_squeeze(custom);
	} else if (!str_empty(period)) {
		field = "period";
		src = period;
	} else {
		report_period_current(date_local(clock_now(), r->org->tz),
		    q->period);
		src = q->period;
	}
	err_clear(&e);
	if (strlen(src) > PERIOD_MAX || report_period(src, &q->from, &q->to,
	    &q->pf, &q->pt, &e) != 0) {
		if (field == NULL)
			field = "period";
		ferr(fe, field, strcmp(field, "custom") == 0 ? custom_label(r)
		    : period_label(r), "%s", L(r, "период не распознан: "
		    "ожидается 2026H1, 2026Q3, 2026, 2026-05 или "
		    "ГГГГ-ММ-ДД..ГГГГ-ММ-ДД (не более 10 лет).",
		    "not a period: expected 2026H1, 2026Q3, 2026, 2026-05 or "
		    "YYYY-MM-DD..YYYY-MM-DD (10 years at most)."));
		rc = -1;
	} else if (src != q->period)
		snprintf(q->period, sizeof(q->period), "%s", src);
	free(typed);
	return rc;
}

/* "?period=…&clients=…" for links that keep the choice. */
static void
rq_query(const struct rq *q, struct buf *b)
{
	buf_puts(b, "?period=");
	html_url_arg(b, q->period);
	buf_puts(b, "&clients=");
	html_url_arg(b, q->client);
}

static char *
rq_path(struct req *r, const struct rq *q, const char *page,
    const char *extra)
{
	struct buf b;
	char	  *p;

	buf_init(&b, 4096);
	rq_query(q, &b);
	if (extra != NULL)
		buf_puts(&b, extra);
	p = ui_opath(r, "/reports%s%s", page, buf_str(&b));
	buf_free(&b);
	return p;
}

/* "01.01.2026 — 30.06.2026" */
static void
span_text(int32_t from, int32_t to, char out[32])
{
	char a[11], b[11];

	date_format_ru(from, a);
	date_format_ru(to, b);
	snprintf(out, 32, "%s — %s", a, b);
}

/*
 * The navigation between the four pages.  Pages of a period keep it.
 */
enum rpage { RP_REPORT, RP_PAIN, RP_LEVEL, RP_PUBLIC };

static void
subnav(struct req *r, struct html *h, const struct rq *q, enum rpage cur)
{
	static const struct {
		enum rpage  p;
		const char *path, *ru, *en;
	} items[] = {
		{RP_REPORT, "", "Отчёт", "Report"},
		{RP_PAIN, "/pain", "Карта болей", "Pain map"},
		{RP_LEVEL, "/level", "Уровень клиентоцентричности",
		    "Client-centricity level"},
		{RP_PUBLIC, "/public", "Публичный отчёт", "Public report"},
	};
	size_t i;
	char  *p;

	html_open(h, "nav", "class", "subnav", "aria-label",
	    L(r, "Отчёты", "Reports"), NULL);
	html_open(h, "ul", NULL);
	for (i = 0; i < nitems(items); i++) {
		if (q != NULL && items[i].p != RP_PUBLIC)
			p = rq_path(r, q, items[i].path, NULL);
		else
			p = ui_opath(r, "/reports%s", items[i].path);
		html_open(h, "li", NULL);
		html_elem(h, "a", L(r, items[i].ru, items[i].en), "href", p,
		    "aria-current", items[i].p == cur ? "page" : NULL, NULL);
		html_close(h);
		free(p);
	}
	html_close(h);
	html_close(h);
}

/* The option of a period, selected when it is the one in effect; 1 then. */
static int
period_option(struct html *h, const struct rq *q, const char *v,
    const char *label)
{
	int sel = strcmp(q->period, v) == 0 && str_empty(q->custom);

	option(h, v, label, sel);
	return sel;
}

/* The recent half-years, quarters and years, newest first; 1 when one
 * of them is the period in effect. */
static int
period_options(struct req *r, struct html *h, const struct rq *q)
{
	int found = 0;

	char v[16], label[64];
	int  y, m, d, k, half, quarter, yy, pp;

	date_to_ymd(date_local(clock_now(), r->org->tz), &y, &m, &d);
	half = m <= 6 ? 1 : 2;
	quarter = (m - 1) / 3 + 1;
	html_open(h, "optgroup", "label", L(r, "Полугодия", "Half-years"),
	    NULL);
	for (k = 0; k < 4; k++) {
		pp = half - k;
		yy = y;
		while (pp < 1) {
			pp += 2;
			yy--;
		}
		snprintf(v, sizeof(v), "%dH%d", yy, pp);
		if (is_ru(r))
			snprintf(label, sizeof(label), "%d-е полугодие %d", pp,
			    yy);
		else
			snprintf(label, sizeof(label), "%s half of %d", pp == 1
			    ? "First" : "Second", yy);
		found |= period_option(h, q, v, label);
	}
	html_close(h);
	html_open(h, "optgroup", "label", L(r, "Кварталы", "Quarters"), NULL);
	for (k = 0; k < 5; k++) {
		pp = quarter - k;
		yy = y;
		while (pp < 1) {
			pp += 4;
			yy--;
		}
		snprintf(v, sizeof(v), "%dQ%d", yy, pp);
		if (is_ru(r))
			snprintf(label, sizeof(label), "%d-й квартал %d", pp,
			    yy);
		else
			snprintf(label, sizeof(label), "Q%d %d", pp, yy);
		found |= period_option(h, q, v, label);
	}
	html_close(h);
	html_open(h, "optgroup", "label", L(r, "Годы", "Years"), NULL);
	for (k = 0; k < 3; k++) {
		snprintf(v, sizeof(v), "%d", y - k);
		if (is_ru(r))
			snprintf(label, sizeof(label), "%d год", y - k);
		else
			snprintf(label, sizeof(label), "Year %d", y - k);
		found |= period_option(h, q, v, label);
	}
	html_close(h);
	return found;
}

/* The GET form of a period and the clients, for the pages of a period. */
static void
period_form(struct req *r, struct html *h, const struct rq *q,
    const char *page, const struct ferrs *fe)
{
	char *p = ui_opath(r, "/reports%s", page);
	int   d, other;

	d = html_open(h, "form", "method", "get", "action", p, "class",
	    "filter-form", "aria-label", L(r, "Период и клиенты",
	    "Period and clients"), NULL);
	free(p);
	select_open(r, h, "period", period_label(r), NULL, fe);
	/* A period of the links that is not among the recent ones. */
	other = !period_options(r, h, q) && str_empty(q->custom) &&
	    q->period[0] != '\0';
	if (other)
		option(h, q->period, q->period, 1);
	html_close(h);
	html_close(h);
	field(r, h, "text", "custom", custom_label(r), L(r, "Например, "
	    "2026-01-01..2026-03-31, 2026Q3 или 2026.", "For instance "
	    "2026-01-01..2026-03-31, 2026Q3 or 2026."), fe, q->custom, 0);
	select_open(r, h, "clients", L(r, "Клиенты", "Clients"), NULL, fe);
	option(h, "external", L(r, "внешние", "external"),
	    strcmp(q->client, "external") == 0);
	option(h, "internal", L(r, "внутренние", "internal"),
	    strcmp(q->client, "internal") == 0);
	html_close(h);
	html_close(h);
	html_elem(h, "button", L(r, "Показать", "Show"), "type", "submit",
	    NULL);
	html_close_to(h, d);
}

/* "Период: 01.01.2026 — 30.06.2026; клиенты: внешние." */
static void
period_line(struct req *r, struct html *h, const struct rq *q)
{
	char span[32];

	span_text(q->from, q->to, span);
	html_open(h, "p", "class", "figures", NULL);
	html_textf(h, "%s: %s (%s); %s: %s.", period_label(r), span, q->period,
	    L(r, "клиенты", "clients"), strcmp(q->client, "internal") == 0 ?
	    L(r, "внутренние", "internal") : L(r, "внешние", "external"));
	html_close(h);
}

static int
build(struct req *r, const struct rq *q, enum rwhat what, const char *period,
    struct report *rep, struct err *e)
{
	struct report_opts o;

	memset(&o, 0, sizeof(o));
	memset(rep, 0, sizeof(*rep));
	o.org_id = r->org->id;
	o.what = what;
	o.period = period != NULL ? period : q->period;
	o.client = q != NULL ? q->client : "external";
	return report_build(r->db, &o, rep, e);
}

/*
 * The half-year report: GET /{org}/reports, and its downloads.
 */

static void
downloads(struct req *r, struct html *h, const struct rq *q, const char *what)
{
	static const struct {
		const char *ext, *ru, *en;
	} fmts[] = {
		{"csv", "Скачать (CSV)", "Download (CSV)"},
		{"xlsx", "Скачать (XLSX, с диаграммами)",
		    "Download (XLSX, with charts)"},
		{"json", "Скачать (JSON)", "Download (JSON)"},
	};
	size_t i;
	char  *p, extra[32], page[32];

	snprintf(extra, sizeof(extra), "&what=%s", what);
	html_open(h, "ul", "class", "inline downloads", "aria-label",
	    L(r, "Скачать отчёт", "Download the report"), NULL);
	for (i = 0; i < nitems(fmts); i++) {
		snprintf(page, sizeof(page), "/report.%s", fmts[i].ext);
		p = rq_path(r, q, page, strcmp(what, "full") != 0 ? extra
		    : NULL);
		html_open(h, "li", NULL);
		html_elem(h, "a", L(r, fmts[i].ru, fmts[i].en), "href", p,
		    NULL);
		html_close(h);
		free(p);
	}
	html_close(h);
}

int
ui_rep_report(struct req *r)
{
	struct report rep;
	struct ferrs  fe;
	struct html   h;
	struct err    e;
	struct rq     q;
	int	      bad;

	if (need_staff(r) != 0)
		return 0;
	memset(&fe, 0, sizeof(fe));
	memset(&rep, 0, sizeof(rep));
	bad = rq_read(r, &q, &fe) != 0;
	err_clear(&e);
	if (!bad && build(r, &q, RW_FULL, NULL, &rep, &e) != 0)
		return ui_fail(r, &e);
	ui_begin(r, &h, L(r, "Отчёт за период", "Report for a period"));
	subnav(r, &h, bad ? NULL : &q, RP_REPORT);
	html_elem(&h, "h1", L(r, "Отчёт за период", "Report for a period"),
	    NULL);
	error_summary(r, &h, &fe, "Отчёт не построен: исправьте период",
	    "No report: correct the period");
	period_form(r, &h, &q, "", &fe);
	if (!bad) {
		downloads(r, &h, &q, "full");
		report_html(&rep, is_ru(r), &h);
	}
	ui_end(r, &h);
	if (bad)
		r->status = 400;
	report_free(&rep);
	return 0;
}

/* XLSX through a temporary file: libxlsxwriter writes only to files. */
static int
xlsx_bytes(const struct report *rep, int ru, struct buf *out, struct err *e)
{
	const char *dir = getenv("TMPDIR");
	char	   *tmp;
	int	    fd, rc;

	tmp = xasprintf("%s/otklik-rep.XXXXXX", dir != NULL && *dir != '\0'
	    ? dir : "/tmp");
	if ((fd = mkstemp(tmp)) == -1) {
		free(tmp);
		return err_set(e, EXIT_CANTCREAT, "cannot make a temporary "
		    "file");
	}
	close(fd);
	rc = report_xlsx(rep, ru, tmp, e);
	if (rc == 0 && buf_read_file(out, tmp, e) != 0)
		rc = -1;
	unlink(tmp);
	free(tmp);
	return rc;
}

/* Recorded before the data leaves, as the survey export is (R-ORG-3). */
static int
export_audit(struct req *r, const struct rq *q, const char *what,
    const char *fmt, struct err *e)
{
	json_t *j;
	char   *js, *obj;
	int	rc = 0;

	j = json_pack("{s:s, s:s, s:s, s:s}", "format", fmt, "period",
	    q->period, "clients", q->client, "what", what);
	js = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	obj = xasprintf("report:%s", what);
	if (db_begin(r->db) != 0 || audit_append(r->db, r->session->login,
	    r->org->id, "report.export", obj, NULL, js, e) != 0 ||
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

enum rfmt { RF_CSV, RF_XLSX, RF_JSON };

static int
export(struct req *r, enum rfmt fmt)
{
	static const char *exts[] = {"csv", "xlsx", "json"};
	static const char *ctypes[] = {"text/csv; charset=utf-8",
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	    "application/json"};
	const char   *what = req_param(r, "what");
	struct report rep;
	struct ferrs  fe;
	struct err    e;
	struct buf    out;
	struct rq     q;
	enum rwhat    w;
	char	     *name, *p;
	int	      rc;

	if (need_staff(r) != 0)
		return 0;
	memset(&fe, 0, sizeof(fe));
	if (rq_read(r, &q, &fe) != 0)
		return req_error(r, 400, fe.v[0].field, fe.v[0].msg);
	if (str_empty(what))
		what = "full";
	w = strcmp(what, "pain") == 0 ? RW_PAIN : strcmp(what, "level") == 0
	    ? RW_LEVEL : RW_FULL;
	err_clear(&e);
	if (build(r, &q, w, NULL, &rep, &e) != 0)
		return ui_fail(r, &e);
	buf_init(&out, BUF_MAX_DEFAULT);
	switch (fmt) {
	case RF_CSV:
		report_csv(&rep, is_ru(r), &out);
		rc = 0;
		break;
	case RF_XLSX:
		rc = xlsx_bytes(&rep, is_ru(r), &out, &e);
		break;
	default:
		report_json(&rep, &out);
		rc = 0;
		break;
	}
	if (rc != 0 || export_audit(r, &q, what, exts[fmt], &e) != 0) {
		ui_fail(r, &e);
		goto out;
	}
	/* Two dots of a range make a poor file name. */
	name = xasprintf("report-%s-%s-%s-%s.%s", r->org->slug, what, q.period,
	    q.client, exts[fmt]);
	while ((p = strstr(name, "..")) != NULL) {
		*p = '_';
		memmove(p + 1, p + 2, strlen(p + 2) + 1);
	}
	req_file(r, ctypes[fmt], name, out.data, out.len);
	free(name);
out:
	buf_free(&out);
	report_free(&rep);
	return 0;
}

int
ui_rep_export_csv(struct req *r)
{
	return export(r, RF_CSV);
}

int
ui_rep_export_xlsx(struct req *r)
{
	return export(r, RF_XLSX);
}

int
ui_rep_export_json(struct req *r)
{
	return export(r, RF_JSON);
}

/*
 * The pain map: GET /{org}/reports/pain, one problem's decisions
 * (GET and POST /{org}/reports/pain/{id or key}), and the working
 * group's confirmation (POST /{org}/reports/pain/confirm).
 */

static const struct {
	const char *v, *ru, *en;
} states[] = {
	{"open", "открыта", "open"},
	{"planned", "запланирована", "planned"},
	{"in_work", "в работе", "in work"},
	{"done", "решена", "done"},
	{"rejected", "отклонена", "rejected"},
};

static const char *
state_word(const struct req *r, const char *s)
{
	size_t i;

	for (i = 0; i < nitems(states); i++)
		if (strcmp(s, states[i].v) == 0)
			return L(r, states[i].ru, states[i].en);
	return s;
}

/* A reference safe in a path as it is: what topic ids and question codes
 * are made of. */
static int
ref_ok(const char *s)
{
	size_t i, n = s != NULL ? strlen(s) : 0;

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
			return 0;
	return 1;
}

/*
 * A problem's address: its id once something is decided about it, else
 * its key "client.touchpoint.source.ref".  NULL when the key cannot be
 * written safely (no edit link then).
 */
static char *
pain_name(const struct pain *p)
{
	if (p->id > 0)
		return xasprintf("%lld", (long long)p->id);
	if (!ref_ok(p->ref))
		return NULL;
	return xasprintf("%s.%lld.%s.%s", p->client,
	    (long long)p->touchpoint_id, p->source, p->ref);
}

/* Finds the problem a name means in the map; NULL if none. */
static struct pain *
pain_find(struct pain *list, size_t n, const char *name)
{
	char  *s, *q;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((s = pain_name(&list[i])) == NULL)
			continue;
		if (strcmp(s, name) == 0) {
			free(s);
			return &list[i];
		}
		free(s);
		/* A problem that got its row since the link was made. */
		if (list[i].id > 0 && ref_ok(list[i].ref)) {
			q = xasprintf("%s.%lld.%s.%s", list[i].client,
			    (long long)list[i].touchpoint_id, list[i].source,
			    list[i].ref);
			if (strcmp(q, name) == 0) {
				free(q);
				return &list[i];
			}
			free(q);
		}
	}
	return NULL;
}

/* A problem by id that the period's map does not hold (nothing measured
 * in it, or entered by hand): its decided fields only.  NULL if none. */
static struct pain *
pain_load(struct req *r, int64_t id)
{
	struct db_stmt *s;
	struct pain    *p = NULL;
	const char     *v;

	s = db_prepare(r->db, "SELECT p.client, COALESCE(p.touchpoint_id, 0), "
	    "p.source, p.ref, p.title, p.segment, p.journey_step, p.cause, "
	    "p.measure, COALESCE(p.unit_id, 0), COALESCE(p.due, ''), p.state, "
	    "u.name FROM an_pain p LEFT JOIN unit u ON u.id = p.unit_id "
	    "WHERE p.id = ? AND p.org_id = ?", "ii", id, r->org->id);
	if (s != NULL && db_step(s) == DB_ROW) {
		p = xcalloc(1, sizeof(*p));
		p->id = id;
		snprintf(p->client, sizeof(p->client), "%s",
		    db_col_text(s, 0));
		p->touchpoint_id = db_col_int(s, 1);
		snprintf(p->source, sizeof(p->source), "%s",
		    db_col_text(s, 2));
		p->ref = db_col_dup(s, 3);
		p->title = db_col_dup(s, 4);
		p->segment = db_col_dup(s, 5);
		p->journey_step = db_col_dup(s, 6);
		p->cause = db_col_dup(s, 7);
		p->measure = db_col_dup(s, 8);
		p->unit_id = db_col_int(s, 9);
		snprintf(p->due, sizeof(p->due), "%s", db_col_text(s, 10));
		snprintf(p->state, sizeof(p->state), "%s",
		    db_col_text(s, 11));
		v = db_col_text(s, 12);
		p->unit = v != NULL ? xstrdup(v) : NULL;
	}
	db_finalize(s);
	return p;
}

static void
num_cell(struct req *r, struct html *h, double v, int decimals)
{
	char  num[32], *c;

	snprintf(num, sizeof(num), "%.*f", decimals, v);
	if (is_ru(r) && (c = strchr(num, '.')) != NULL)
		*c = ',';
	html_elem(h, "td", num, "class", "n", NULL);
}

static void
int_cell(struct html *h, int64_t v)
{
	char num[32];

	snprintf(num, sizeof(num), "%lld", (long long)v);
	html_elem(h, "td", num, "class", "n", NULL);
}

/* The ranked problems with what is decided and a link to decide more. */
static void
pain_list(struct req *r, struct html *h, const struct rq *q,
    struct pain *list, size_t n)
{
	struct buf b;
	size_t	   i;
	char	  *name, *p;
	int	   d;

	d = html_open(h, "section", "aria-labelledby", "problems-title", NULL);
	html_elem(h, "h2", L(r, "Проблемы и решения по ним",
	    "Problems and what is decided"), "id", "problems-title", NULL);
	if (n == 0) {
		html_elem(h, "p", L(r, "За период проблем не найдено.",
		    "No problems were found in the period."), NULL);
		html_close_to(h, d);
		return;
	}
	html_open(h, "div", "class", "table-wrap", NULL);
	html_open(h, "table", NULL);
	html_elem(h, "caption", L(r, "Проблемы в порядке реинжиниринга: "
	    "балл, сигналы, причина, мера, ответственный, срок, состояние",
	    "Problems in the order of reengineering: score, signals, cause, "
	    "measure, responsible unit, due date, state"), NULL);
	html_open(h, "thead", NULL);
	html_open(h, "tr", NULL);
	html_elem(h, "th", L(r, "Место", "Rank"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Проблема", "Problem"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Точка взаимодействия", "Touchpoint"), "scope",
	    "col", NULL);
	html_elem(h, "th", L(r, "Балл", "Score"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Сигналов", "Signals"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Причина", "Cause"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Мера", "Measure"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Ответственный", "Responsible"), "scope", "col",
	    NULL);
	html_elem(h, "th", L(r, "Срок", "Due"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Состояние", "State"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Действие", "Action"), "scope", "col", NULL);
	html_close(h);
	html_close(h);
	html_open(h, "tbody", NULL);
	buf_init(&b, 4096);
	for (i = 0; i < n; i++) {
		const struct pain *pp = &list[i];

		html_open(h, "tr", NULL);
		if (pp->rank > 0)
			int_cell(h, pp->rank);
		else
			html_elem(h, "td", "—", "class", "n", NULL);
		html_elem(h, "th", pp->title != NULL ? pp->title : pp->ref,
		    "scope", "row", NULL);
		html_elem(h, "td", pp->touchpoint != NULL ? pp->touchpoint
		    : "—", NULL);
		num_cell(r, h, pp->score, 1);
		int_cell(h, pp->signals);
		html_elem(h, "td", !str_empty(pp->cause) ? pp->cause : "—",
		    NULL);
		html_elem(h, "td", !str_empty(pp->measure) ? pp->measure : "—",
		    NULL);
		html_elem(h, "td", pp->unit != NULL ? pp->unit : "—", NULL);
		html_elem(h, "td", pp->due[0] != '\0' ? pp->due : "—", NULL);
		html_elem(h, "td", state_word(r, pp->state[0] != '\0' ?
		    pp->state : "open"), NULL);
		html_open(h, "td", NULL);
		if ((name = pain_name(pp)) != NULL) {
			buf_reset(&b);
			buf_puts(&b, "/pain/");
			buf_puts(&b, name);
			p = rq_path(r, q, buf_str(&b), NULL);
			html_open(h, "a", "href", p, NULL);
			html_text(h, L(r, "Решение", "Decide"));
			html_text(h, " ");
			html_elem(h, "span", pp->title != NULL ? pp->title
			    : pp->ref, "class", "visually-hidden", NULL);
			html_close(h);
			free(p);
			free(name);
		}
		html_close(h);
		html_close(h);
	}
	buf_free(&b);
	html_close_to(h, d);
}

/* The working group's confirmation of the order (group and admins). */
static void
confirm_form(struct req *r, struct html *h, const struct rq *q,
    const struct ferrs *fe)
{
	char *p;
	int   d;

	d = html_open(h, "section", "aria-labelledby", "confirm-title", NULL);
	html_elem(h, "h2", L(r, "Утвердить порядок реинжиниринга",
	    "Confirm the order of reengineering"), "id", "confirm-title",
	    NULL);
	html_elem(h, "p", L(r, "Рабочая группа утверждает порядок, в котором "
	    "проблемы показаны выше. Порядок записывается вместе с реквизитами "
	    "протокола; открытые проблемы становятся запланированными.",
	    "The working group confirms the order shown above.  The order is "
	    "recorded with the minutes' reference; open problems become "
	    "planned."), "class", "hint", NULL);
	p = ui_opath(r, "/reports/pain/confirm");
	html_open(h, "form", "method", "post", "action", p, "class", "stack",
	    "novalidate", "", NULL);
	free(p);
	ui_csrf(r, h);
	hidden(h, "period", q->period);
	hidden(h, "clients", q->client);
	field(r, h, "text", "minutes_ref", L(r, "Протокол: номер и дата",
	    "Minutes: number and date"), L(r, "Например, № 3 от 15.07.2026.",
	    "For instance No. 3 of 15.07.2026."), fe,
	    fe != NULL && fe->n > 0 ? req_param(r, "minutes_ref") : NULL, 1);
	field(r, h, "textarea", "note", L(r, "Примечание", "Note"), NULL, fe,
	    fe != NULL && fe->n > 0 ? req_param(r, "note") : NULL, 0);
	html_elem(h, "button", L(r, "Утвердить порядок", "Confirm the order"),
	    "type", "submit", NULL);
	html_close_to(h, d);
}

/* "5 проблем; первые: A; B; C" from a decision's ranking JSON. */
static void
ranking_text(struct req *r, const char *ranking, struct buf *b)
{
	json_t	   *j, *v, *t;
	size_t	    i, n;

	j = json_loads(ranking != NULL ? ranking : "[]", 0, NULL);
	n = json_is_array(j) ? json_array_size(j) : 0;
	buf_printf(b, "%s: %zu", L(r, "проблем", "problems"), n);
	for (i = 0; i < n && i < 3; i++) {
		v = json_array_get(j, i);
		t = json_object_get(v, "title");
		buf_puts(b, i == 0 ? (is_ru(r) ? "; первые: " : "; first: ")
		    : "; ");
		buf_printf(b, "%zu. %s", i + 1, json_is_string(t) ?
		    json_string_value(t) : "—");
	}
	json_decref(j);
}

static void
decisions(struct req *r, struct html *h)
{
	struct pain_decision *v = NULL;
	struct err	      e;
	struct buf	      b;
	size_t		      n = 0, i;
	char		      when[32];
	int		      d;

	err_clear(&e);
	d = html_open(h, "section", "aria-labelledby", "decisions-title",
	    NULL);
	html_elem(h, "h2", L(r, "Решения рабочей группы",
	    "Decisions of the working group"), "id", "decisions-title", NULL);
	if (pain_decisions(r->db, r->org->id, &v, &n, &e) != 0) {
		html_elem(h, "p", e.msg, "class", "error", NULL);
		html_close_to(h, d);
		return;
	}
	if (n == 0) {
		html_elem(h, "p", L(r, "Решений ещё не было.",
		    "No decision yet."), NULL);
		html_close_to(h, d);
		return;
	}
	html_open(h, "div", "class", "table-wrap", NULL);
	html_open(h, "table", NULL);
	html_elem(h, "caption", L(r, "Утверждённые порядки реинжиниринга, "
	    "последние первыми", "Confirmed orders of reengineering, latest "
	    "first"), NULL);
	html_open(h, "thead", NULL);
	html_open(h, "tr", NULL);
	html_elem(h, "th", L(r, "Когда", "When"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Протокол", "Minutes"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Период", "Period"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Клиенты", "Clients"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Порядок", "Order"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Примечание", "Note"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Кто записал", "Recorded by"), "scope", "col",
	    NULL);
	html_close(h);
	html_close(h);
	html_open(h, "tbody", NULL);
	buf_init(&b, 65536);
	for (i = 0; i < n && i < DECISIONS_SHOWN; i++) {
		html_open(h, "tr", NULL);
		ui_when(r, v[i].decided_at, when);
		html_elem(h, "td", when, NULL);
		html_elem(h, "th", v[i].minutes_ref, "scope", "row", NULL);
		html_elem(h, "td", v[i].period, NULL);
		html_elem(h, "td", strcmp(v[i].client, "internal") == 0 ?
		    L(r, "внутренние", "internal") : L(r, "внешние",
		    "external"), NULL);
		buf_reset(&b);
		ranking_text(r, v[i].ranking, &b);
		html_elem(h, "td", buf_str(&b), NULL);
		html_elem(h, "td", !str_empty(v[i].note) ? v[i].note : "—",
		    NULL);
		html_elem(h, "td", v[i].decided_by, NULL);
		html_close(h);
	}
	buf_free(&b);
	html_close_to(h, d);
	pain_decisions_free(v, n);
}

/* The page; fe holds the confirmation's messages (or the period's). */
static void
pain_page(struct req *r, struct ferrs *fe, int status)
{
	struct report rep;
	struct pain  *list = NULL;
	struct ferrs  pfe;
	struct html   h;
	struct err    e;
	struct rq     q;
	size_t	      n = 0;
	int	      bad;

	memset(&pfe, 0, sizeof(pfe));
	memset(&rep, 0, sizeof(rep));
	bad = rq_read(r, &q, &pfe) != 0;
	err_clear(&e);
	if (!bad && (build(r, &q, RW_PAIN, NULL, &rep, &e) != 0 ||
	    pain_map(r->db, r->org->id, q.client, q.from, q.to, &list, &n,
	    &e) != 0)) {
		report_free(&rep);
		ui_fail(r, &e);
		return;
	}
	ui_begin(r, &h, L(r, "Карта болей", "Pain map"));
	subnav(r, &h, bad ? NULL : &q, RP_PAIN);
	html_elem(&h, "h1", L(r, "Карта болей", "Pain map"), NULL);
	notice(r, &h);
	error_summary(r, &h, &pfe, "Карта не построена: исправьте период",
	    "No map: correct the period");
	error_summary(r, &h, fe, "Порядок не утверждён: исправьте ошибки",
	    "The order is not confirmed: correct the errors");
	period_form(r, &h, &q, "/pain", &pfe);
	if (!bad) {
		downloads(r, &h, &q, "pain");
		report_html(&rep, is_ru(r), &h);
		pain_list(r, &h, &q, list, n);
		if (holds(r, "group"))
			confirm_form(r, &h, &q, fe);
	}
	decisions(r, &h);
	ui_end(r, &h);
	r->status = bad ? 400 : status;
	pain_free(list, n);
	report_free(&rep);
}

int
ui_rep_pain(struct req *r)
{
	if (need_staff(r) != 0)
		return 0;
	pain_page(r, NULL, 200);
	return 0;
}

int
ui_rep_confirm(struct req *r)
{
	const char *ref = req_param(r, "minutes_ref");
	const char *note = req_param(r, "note");
	struct ferrs fe;
	struct err   e;
	struct rq    q;
	char	    *mref = NULL, *path;
	int64_t	     id;

	memset(&fe, 0, sizeof(fe));
	if (rq_read(r, &q, &fe) != 0)
		return req_error(r, 400, fe.v[0].field, fe.v[0].msg);
	if (str_empty(ref))
		ferr(&fe, "minutes_ref", L(r, "Протокол", "Minutes"), "%s",
		    L(r, "укажите номер и дату протокола рабочей группы.",
		    "give the number and date of the working group's "
		    "minutes."));
	else if (strlen(ref) > MINUTES_REF_MAX)
		ferr(&fe, "minutes_ref", L(r, "Протокол", "Minutes"), "%s",
		    L(r, "не длиннее 200 байт.", "200 bytes at most."));
	if (note != NULL && strlen(note) > NOTE_MAX)
		ferr(&fe, "note", L(r, "Примечание", "Note"), "%s",
		    L(r, "не длиннее 2000 байт.", "2000 bytes at most."));
	if (fe.n > 0) {
		pain_page(r, &fe, 422);
		return 0;
	}
	mref = str_squeeze(ref);
	err_clear(&e);
	if (pain_confirm(r->db, r->org->id, r->session->login, q.client,
	    q.period, q.from, q.to, mref, note != NULL ? note : "", &id,
	    &e) != 0) {
		free(mref);
		if (e.code != EXIT_USAGE && e.code != EXIT_DATAERR)
			return ui_fail(r, &e);
		ferr(&fe, NULL, NULL, "%s", e.msg);
		pain_page(r, &fe, 409);
		return 0;
	}
	free(mref);
	path = rq_path(r, &q, "/pain", "&done=confirmed");
	return ui_redirect(r, path);
}

/* The unit select of a problem: the organization's units. */
static void
unit_select(struct req *r, struct html *h, const struct ferrs *fe,
    int64_t cur)
{
	struct db_stmt *s;
	char		v[24];

	select_open(r, h, "unit", L(r, "Ответственное подразделение",
	    "Responsible unit"), NULL, fe);
	option(h, "0", L(r, "не назначено", "none"), cur == 0);
	s = db_prepare(r->db, "SELECT id, name FROM unit WHERE org_id = ? "
	    "ORDER BY name LIMIT 1000", "i", r->org->id);
	while (s != NULL && db_step(s) == DB_ROW) {
		snprintf(v, sizeof(v), "%lld", (long long)db_col_int(s, 0));
		option(h, v, db_col_text(s, 1), db_col_int(s, 0) == cur);
	}
	db_finalize(s);
	html_close(h);
	html_close(h);
}

static void
dl_item(struct html *h, const char *term, const char *value)
{
	html_elem(h, "dt", term, NULL);
	html_elem(h, "dd", value, NULL);
}

static void
pain_figures(struct req *r, struct html *h, const struct pain *p)
{
	char v[64], *c;

	html_open(h, "dl", "class", "summary", NULL);
	dl_item(h, L(r, "Точка взаимодействия", "Touchpoint"),
	    p->touchpoint != NULL ? p->touchpoint : "—");
	snprintf(v, sizeof(v), "%d", p->rank);
	dl_item(h, L(r, "Место в порядке", "Rank"), p->rank > 0 ? v : "—");
	snprintf(v, sizeof(v), "%.1f", p->score);
	if (is_ru(r) && (c = strchr(v, '.')) != NULL)
		*c = ',';
	dl_item(h, L(r, "Балл", "Score"), v);
	snprintf(v, sizeof(v), "%lld", (long long)p->complaints);
	dl_item(h, L(r, "Жалоб", "Complaints"), v);
	snprintf(v, sizeof(v), "%lld", (long long)p->negative);
	dl_item(h, L(r, "Негативных сообщений (с жалобами)",
	    "Negative messages (complaints included)"), v);
	snprintf(v, sizeof(v), "%lld", (long long)p->low_ratings);
	dl_item(h, L(r, "Низких оценок (1 и 2)", "Low ratings (1 and 2)"), v);
	snprintf(v, sizeof(v), "%lld / %lld", (long long)p->signals,
	    (long long)p->contacts);
	dl_item(h, L(r, "Сигналов / обращений к точке",
	    "Signals / contacts at the touchpoint"), v);
	html_close(h);
}

/* Values of the form: what was sent again after an error, else stored. */
static const char *
kept(struct req *r, const struct ferrs *fe, const char *name,
    const char *stored)
{
	return fe != NULL && fe->n > 0 ? req_param(r, name) : stored;
}

static void
pain_edit_page(struct req *r, const struct rq *q, const char *name,
    const struct pain *p, const struct ferrs *fe, int status)
{
	struct html h;
	const char *st;
	char	   *title, *path, *back;
	size_t	    i;
	int	    d;

	title = xasprintf("%s: %s", L(r, "Проблема", "Problem"),
	    p->title != NULL ? p->title : p->ref);
	ui_begin(r, &h, title);
	subnav(r, &h, q, RP_PAIN);
	html_elem(&h, "h1", title, NULL);
	error_summary(r, &h, fe, "Решение не сохранено: исправьте ошибки",
	    "Nothing saved: correct the errors");
	period_line(r, &h, q);
	pain_figures(r, &h, p);
	path = ui_opath(r, "/reports/pain/%s", name);
	d = html_open(&h, "form", "method", "post", "action", path, "class",
	    "stack", "novalidate", "", NULL);
	free(path);
	ui_csrf(r, &h);
	hidden(&h, "period", q->period);
	hidden(&h, "clients", q->client);
	field(r, &h, "text", "segment", L(r, "Затронутый сегмент клиентов",
	    "Segment affected"), NULL, fe, kept(r, fe, "segment", p->segment),
	    0);
	field(r, &h, "text", "journey_step", L(r, "Этап пути клиента",
	    "Step of the client's journey"), NULL, fe, kept(r, fe,
	    "journey_step", p->journey_step), 0);
	field(r, &h, "textarea", "cause", L(r, "Причина", "Cause"), NULL, fe,
	    kept(r, fe, "cause", p->cause), 0);
	field(r, &h, "textarea", "measure", L(r, "Предлагаемая мера",
	    "Proposed measure"), NULL, fe, kept(r, fe, "measure", p->measure),
	    0);
	unit_select(r, &h, fe, fe != NULL && fe->n > 0 && req_param(r, "unit")
	    != NULL ? strtoll(req_param(r, "unit"), NULL, 10) : p->unit_id);
	field(r, &h, "date", "due", L(r, "Срок", "Due date"), L(r,
	    "ГГГГ-ММ-ДД", "YYYY-MM-DD"), fe, kept(r, fe, "due", p->due), 0);
	st = kept(r, fe, "state", p->state[0] != '\0' ? p->state : "open");
	select_open(r, &h, "state", L(r, "Состояние", "State"), NULL, fe);
	for (i = 0; i < nitems(states); i++)
		option(&h, states[i].v, L(r, states[i].ru, states[i].en),
		    st != NULL && strcmp(st, states[i].v) == 0);
	html_close(&h);
	html_close(&h);
	html_elem(&h, "button", L(r, "Сохранить", "Save"), "type", "submit",
	    NULL);
	html_close_to(&h, d);
	back = rq_path(r, q, "/pain", NULL);
	html_open(&h, "p", NULL);
	html_elem(&h, "a", L(r, "К карте болей", "Back to the pain map"),
	    "href", back, NULL);
	html_close(&h);
	free(back);
	ui_end(r, &h);
	r->status = status;
	free(title);
}

/* The problem a path names, in the period's map or stored; *list and *n
 * are the map to free; NULL with the page answered when there is none. */
static struct pain *
pain_get(struct req *r, const struct rq *q, struct pain **list, size_t *n,
    int *loaded)
{
	const char *name = r->ncapture > 1 ? r->capture[1] : "";
	struct pain *p;
	struct err   e;
	char	     *end;
	long long    id;

	*list = NULL;
	*n = 0;
	*loaded = 0;
	err_clear(&e);
	if (pain_map(r->db, r->org->id, q->client, q->from, q->to, list, n,
	    &e) != 0) {
		ui_fail(r, &e);
		return NULL;
	}
	if ((p = pain_find(*list, *n, name)) != NULL)
		return p;
	id = strtoll(name, &end, 10);
	if (*end == '\0' && id > 0 && (p = pain_load(r, id)) != NULL) {
		*loaded = 1;
		return p;
	}
	req_error(r, 404, NULL, L(r, "Такой проблемы нет в карте этого "
	    "периода.", "There is no such problem in the map of the period."));
	return NULL;
}

int
ui_rep_pain_form(struct req *r)
{
	struct pain *list, *p;
	struct ferrs fe;
	struct rq    q;
	size_t	     n;
	int	     loaded;

	if (need_staff(r) != 0)
		return 0;
	memset(&fe, 0, sizeof(fe));
	if (rq_read(r, &q, &fe) != 0)
		return req_error(r, 400, fe.v[0].field, fe.v[0].msg);
	if ((p = pain_get(r, &q, &list, &n, &loaded)) == NULL)
		goto out;
	pain_edit_page(r, &q, r->capture[1], p, NULL, 200);
	if (loaded)
		pain_free(p, 1);
out:
	pain_free(list, n);
	return 0;
}

/* The field an error of pain.c names, when its message starts with it. */
static const char *
field_of(const char *msg)
{
	static const char *names[] = {"segment", "journey_step", "cause",
	    "measure", "unit", "due", "state", "title"};
	size_t i, k;

	for (i = 0; i < nitems(names); i++) {
		k = strlen(names[i]);
		if (strncmp(msg, names[i], k) == 0 && (msg[k] == ':' ||
		    msg[k] == ' '))
			return names[i];
	}
	return NULL;
}

/* The label of a field of the decision form, for the summary. */
static const char *
field_label(struct req *r, const char *f)
{
	static const struct {
		const char *name, *ru, *en;
	} labels[] = {
		{"segment", "Сегмент", "Segment"},
		{"journey_step", "Этап пути клиента", "Step of the journey"},
		{"cause", "Причина", "Cause"},
		{"measure", "Мера", "Measure"},
		{"unit", "Подразделение", "Unit"},
		{"due", "Срок", "Due date"},
		{"state", "Состояние", "State"},
		{"title", "Проблема", "Problem"},
	};
	size_t i;

	for (i = 0; i < nitems(labels); i++)
		if (strcmp(f, labels[i].name) == 0)
			return L(r, labels[i].ru, labels[i].en);
	return f;
}

/* A text field of the form: NULL when not sent (left as it is). */
static const char *
text_param(struct req *r, struct ferrs *fe, const char *name,
    const char *label)
{
	const char *v = req_param(r, name);

	if (v != NULL && strlen(v) > PAIN_TEXT_MAX)
		ferr(fe, name, label, "%s", L(r, "не длиннее 2000 байт.",
		    "2000 bytes at most."));
	return v;
}

int
ui_rep_pain_save(struct req *r)
{
	struct pain_edit ed;
	struct pain	*list, *p;
	struct ferrs	 fe;
	struct err	 e;
	struct rq	 q;
	const char	*unit = req_param(r, "unit"), *f;
	size_t		 n, i;
	int32_t		 day;
	int64_t		 id;
	int		 loaded, rc, known;

	memset(&fe, 0, sizeof(fe));
	if (rq_read(r, &q, &fe) != 0)
		return req_error(r, 400, fe.v[0].field, fe.v[0].msg);
	if ((p = pain_get(r, &q, &list, &n, &loaded)) == NULL)
		goto out;
	memset(&ed, 0, sizeof(ed));
	ed.segment = text_param(r, &fe, "segment", L(r, "Сегмент",
	    "Segment"));
	ed.journey_step = text_param(r, &fe, "journey_step", L(r,
	    "Этап пути клиента", "Step of the journey"));
	ed.cause = text_param(r, &fe, "cause", L(r, "Причина", "Cause"));
	ed.measure = text_param(r, &fe, "measure", L(r, "Мера", "Measure"));
	ed.due = req_param(r, "due");
	if (!str_empty(ed.due) && date_parse(ed.due, &day) != 0)
		ferr(&fe, "due", L(r, "Срок", "Due date"), "%s", L(r,
		    "дата в виде ГГГГ-ММ-ДД.", "a date as YYYY-MM-DD."));
	else if (ed.due != NULL && str_empty(ed.due))
		ed.due = "";
	ed.state = req_param(r, "state");
	if (ed.state != NULL) {
		for (i = known = 0; i < nitems(states); i++)
			known |= strcmp(ed.state, states[i].v) == 0;
		if (!known)
			ferr(&fe, "state", L(r, "Состояние", "State"), "%s",
			    L(r, "выберите одно из предложенных.",
			    "choose one of those offered."));
	}
	ed.unit_id = unit != NULL ? strtoll(unit, NULL, 10) : -1;
	id = 0;
	if (ed.unit_id > 0 && db_run(r->db, &id, "SELECT id FROM unit WHERE "
	    "id = ? AND org_id = ?", "ii", ed.unit_id, r->org->id) == 0 &&
	    id != ed.unit_id)
		ferr(&fe, "unit", L(r, "Подразделение", "Unit"), "%s", L(r,
		    "такого подразделения нет.", "there is no such unit."));
	if (fe.n > 0) {
		pain_edit_page(r, &q, r->capture[1], p, &fe, 422);
		goto done;
	}
	err_clear(&e);
	if (p->id > 0)
		rc = pain_update(r->db, r->org->id, r->session->login, p->id,
		    &ed, &e);
	else {
		ed.title = p->title;
		rc = pain_set(r->db, r->org->id, r->session->login, p->client,
		    p->touchpoint_id, p->source, p->ref, &ed, &id, &e);
	}
	if (rc != 0) {
		if (e.code != EXIT_USAGE && e.code != EXIT_DATAERR) {
			ui_fail(r, &e);
			goto done;
		}
		f = field_of(e.msg);
		ferr(&fe, f, f != NULL ? field_label(r, f) : NULL, "%s",
		    e.msg);
		pain_edit_page(r, &q, r->capture[1], p, &fe, 422);
		goto done;
	}
	ui_redirect(r, rq_path(r, &q, "/pain", "&done=saved"));
done:
	if (loaded)
		pain_free(p, 1);
out:
	pain_free(list, n);
	return 0;
}

/*
 * The level: GET /{org}/reports/level.
 */

int
ui_rep_level(struct req *r)
{
	struct report rep;
	struct level  lv;
	struct ferrs  fe;
	struct html   h;
	struct err    e;
	struct rq     q;
	char	      num[32], *c;
	int	      bad;

	if (need_staff(r) != 0)
		return 0;
	memset(&fe, 0, sizeof(fe));
	memset(&rep, 0, sizeof(rep));
	memset(&lv, 0, sizeof(lv));
	bad = rq_read(r, &q, &fe) != 0;
	err_clear(&e);
	if (!bad && (level_compute(r->db, r->org->id, q.from, q.to, &lv,
	    &e) != 0 || build(r, &q, RW_LEVEL, NULL, &rep, &e) != 0)) {
		report_free(&rep);
		return ui_fail(r, &e);
	}
	ui_begin(r, &h, L(r, "Уровень клиентоцентричности",
	    "Client-centricity level"));
	subnav(r, &h, bad ? NULL : &q, RP_LEVEL);
	html_elem(&h, "h1", L(r, "Уровень клиентоцентричности",
	    "Client-centricity level"), NULL);
	error_summary(r, &h, &fe, "Уровень не рассчитан: исправьте период",
	    "No level: correct the period");
	period_form(r, &h, &q, "/level", &fe);
	if (!bad) {
		html_open(&h, "p", "class", "figures", NULL);
		if (!lv.have)
			html_text(&h, L(r, "Уровень за период: нет данных.",
			    "The level of the period: no data."));
		else {
			snprintf(num, sizeof(num), "%.1f", lv.index);
			if (is_ru(r) && (c = strchr(num, '.')) != NULL)
				*c = ',';
			html_textf(&h, "%s: %s %s", L(r, "Уровень за период",
			    "The level of the period"), num, L(r, "из 100",
			    "of 100"));
			if (lv.partial)
				html_textf(&h, " (%s)", L(r, "рассчитан не по "
				    "всем составляющим: веса остальных "
				    "пересчитаны", "not every component has "
				    "data: the others' weights are scaled"));
			html_text(&h, ".");
		}
		html_close(&h);
		downloads(r, &h, &q, "level");
		report_html(&rep, is_ru(r), &h);
	}
	ui_end(r, &h);
	if (bad)
		r->status = 400;
	report_free(&rep);
	return 0;
}

/*
 * The yearly public report: GET /{org}/reports/public (a preview of a
 * year and what is published) and POST (publish, group and admins).
 */

static int
this_year(struct req *r)
{
	int y, m, d;

	date_to_ymd(date_local(clock_now(), r->org->tz), &y, &m, &d);
	return y;
}

/* The year of the query (default: the year before this one); 0 when out
 * of range, with the message in fe. */
static int
year_read(struct req *r, struct ferrs *fe)
{
	const char *v = req_param(r, "year");
	long	    y;

	if (str_empty(v))
		return this_year(r) - 1;
	y = strtol(v, NULL, 10);
	if (y < 2000 || y > this_year(r)) {
		ferr(fe, "year", L(r, "Год", "Year"), "%s", L(r, "год от 2000 "
		    "до текущего.", "a year from 2000 to this one."));
		return 0;
	}
	return (int)y;
}

static void
published_list(struct req *r, struct html *h, const int *years, size_t n)
{
	size_t i;
	char  *p, label[32];
	int    d;

	d = html_open(h, "section", "aria-labelledby", "published-title",
	    NULL);
	html_elem(h, "h2", L(r, "Опубликовано", "Published"), "id",
	    "published-title", NULL);
	if (n == 0)
		html_elem(h, "p", L(r, "Публичных отчётов ещё нет.",
		    "No public report yet."), NULL);
	else {
		html_open(h, "ul", NULL);
		for (i = 0; i < n; i++) {
			p = ui_opath(r, "/report/%d", years[i]);
			snprintf(label, sizeof(label), is_ru(r) ? "%d год"
			    : "Year %d", years[i]);
			html_open(h, "li", NULL);
			html_elem(h, "a", label, "href", p, NULL);
			html_close(h);
			free(p);
		}
		html_close(h);
	}
	html_close_to(h, d);
}

static void
public_page(struct req *r, int year, struct ferrs *fe, int status)
{
	struct report rep;
	struct html   h;
	struct err    e;
	size_t	      n = 0, i;
	char	      v[16], *p, *head;
	int	     *years = NULL, y, d, published = 0;

	memset(&rep, 0, sizeof(rep));
	err_clear(&e);
	snprintf(v, sizeof(v), "%d", year);
	if (report_years(r->db, r->org->id, &years, &n, &e) != 0 ||
	    (year > 0 && build(r, NULL, RW_PUBLIC, v, &rep, &e) != 0)) {
		free(years);
		report_free(&rep);
		ui_fail(r, &e);
		return;
	}
	for (i = 0; i < n; i++)
		published |= years[i] == year;
	ui_begin(r, &h, L(r, "Публичный отчёт", "Public report"));
	subnav(r, &h, NULL, RP_PUBLIC);
	html_elem(&h, "h1", L(r, "Публичный отчёт за год",
	    "The yearly public report"), NULL);
	notice(r, &h);
	error_summary(r, &h, fe, "Отчёт не опубликован: исправьте ошибки",
	    "Not published: correct the errors");
	p = ui_opath(r, "/reports/public");
	d = html_open(&h, "form", "method", "get", "action", p, "class",
	    "filter-form", "aria-label", L(r, "Год отчёта", "Year of the "
	    "report"), NULL);
	select_open(r, &h, "year", L(r, "Год", "Year"), NULL, fe);
	for (y = this_year(r); y > this_year(r) - YEARS_OFFERED; y--) {
		snprintf(v, sizeof(v), "%d", y);
		option(&h, v, v, y == year);
	}
	html_close(&h);
	html_close(&h);
	html_elem(&h, "button", L(r, "Показать", "Show"), "type", "submit",
	    NULL);
	html_close_to(&h, d);
	published_list(r, &h, years, n);
	if (year > 0) {
		head = xasprintf(is_ru(r) ? "Предпросмотр отчёта за %d год"
		    : "Preview of the report for %d", year);
		d = html_open(&h, "section", "aria-labelledby",
		    "preview-title", NULL);
		html_elem(&h, "h2", head, "id", "preview-title", NULL);
		free(head);
		html_elem(&h, "p", L(r, "Так отчёт увидят посетители сайта: без "
		    "персональных данных, цифры из менее чем 5 ответов скрыты.",
		    "This is what visitors will see: no personal data, figures "
		    "from fewer than 5 answers withheld."), "class", "hint",
		    NULL);
		report_html(&rep, is_ru(r), &h);
		html_close_to(&h, d);
		if (holds(r, "group")) {
			d = html_open(&h, "section", "aria-labelledby",
			    "publish-title", NULL);
			head = xasprintf(is_ru(r) ? "Опубликовать отчёт за %d "
			    "год" : "Publish the report for %d", year);
			html_elem(&h, "h2", head, "id", "publish-title", NULL);
			free(head);
			if (published)
				html_elem(&h, "p", L(r, "Отчёт за этот год уже "
				    "опубликован; новая публикация заменит "
				    "его.", "The report of this year is "
				    "published already; publishing again "
				    "replaces it."), "class", "hint", NULL);
			html_open(&h, "form", "method", "post", "action", p,
			    "class", "stack", "novalidate", "", NULL);
			ui_csrf(r, &h);
			snprintf(v, sizeof(v), "%d", year);
			hidden(&h, "year", v);
			field(r, &h, "textarea", "summary", L(r, "Краткое "
			    "резюме для посетителей", "A short summary for "
			    "visitors"), L(r, "Необязательно. Какие решения "
			    "приняты по итогам года.", "Optional. What was "
			    "decided after the year."), fe, fe != NULL &&
			    fe->n > 0 ? req_param(r, "summary") : NULL, 0);
			html_elem(&h, "button", L(r, "Опубликовать",
			    "Publish"), "type", "submit", NULL);
			html_close_to(&h, d);
		}
	}
	free(p);
	ui_end(r, &h);
	r->status = status;
	free(years);
	report_free(&rep);
}

int
ui_rep_public(struct req *r)
{
	struct ferrs fe;
	int	     year;

	if (need_staff(r) != 0)
		return 0;
	memset(&fe, 0, sizeof(fe));
	year = year_read(r, &fe);
	public_page(r, year, &fe, fe.n > 0 ? 400 : 200);
	return 0;
}

int
ui_rep_publish(struct req *r)
{
	const char  *summary = req_param(r, "summary");
	struct ferrs fe;
	struct err   e;
	char	    *s = NULL;
	int	     year;

	memset(&fe, 0, sizeof(fe));
	if ((year = year_read(r, &fe)) == 0)
		return req_error(r, 400, "year", fe.v[0].msg);
	if (summary != NULL && strlen(summary) > SUMMARY_MAX) {
		ferr(&fe, "summary", L(r, "Резюме", "Summary"), "%s",
		    L(r, "не длиннее 8000 байт.", "8000 bytes at most."));
		public_page(r, year, &fe, 422);
		return 0;
	}
	if (!str_empty(summary))
		s = str_squeeze_lines(summary);
	err_clear(&e);
	if (report_publish(r->db, r->org->id, year, r->session->login,
	    s != NULL ? s : "", &e) != 0) {
		free(s);
		if (e.code != EXIT_USAGE && e.code != EXIT_DATAERR)
			return ui_fail(r, &e);
		ferr(&fe, NULL, NULL, "%s", e.msg);
		public_page(r, year, &fe, 409);
		return 0;
	}
	free(s);
	return ui_redirect(r, ui_opath(r, "/reports/public?year=%d"
	    "&done=published", year));
}

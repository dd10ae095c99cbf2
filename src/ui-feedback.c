/*
 * The staff side of feedback (R-FB-1…7 in the browser): the queue of
 * cases in deadline order with the timers of the service standards as
 * words ("осталось 3 ч", "просрочено на 2 дня"), external and internal
 * clients kept apart; the registration of an offline contact (phone,
 * reception, post) in a few keystrokes; and one case with every field,
 * its timers, its history, and each step of its life as a small POST
 * form: acknowledge, take, assign, classify with the classifier's
 * suggestions, answer from a template edited first, close, reopen, and
 * the 59-FZ extension.  Every step goes through feedback_store.c, which
 * checks the state it starts from; the page only shows what it refused.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "db.h"
#include "feedback.h"
#include "feedback_dict.h"
#include "html.h"
#include "http.h"
#include "ingest.h"
#include "org.h"
#include "pd.h"
#include "registry.h"
#include "routes.h"
#include "session.h"
#include "ui.h"

#define QUEUE_PAGE	100
#define SUGGESTIONS	3
#define EXCERPT_CHARS	120

/*
 * Small pieces: paths, errors, words.
 */

static const char *
code_title(const struct req *r, const struct fb_code *table,
    const char *code)
{
	const struct fb_code *c = fb_code_find(table, code);

	if (c == NULL)
		return code != NULL && *code != '\0' ? code : "—";
	return L(r, c->title_ru, c->title_en);
}

static const char *
channel_name(const struct req *r, const char *code)
{
	int i = channel_from_code(code);

	return i < 0 ? code : L(r, channels[i].title_ru, channels[i].title_en);
}

static const char *
client_name(const struct req *r, const char *client)
{
	return strcmp(client, "internal") == 0 ? L(r, "внутренний", "internal")
					       : L(r, "внешний", "external");
}

/* A span of time in words: "40 мин", "3 ч", "2 дня". */
static void
span_text(const struct req *r, int64_t s, struct buf *b)
{
	long n;

	if (s < 0)
		s = -s;
	if (s < 3600) {
		n = (long)((s + 59) / 60);
		buf_printf(b, "%ld %s", n, L(r, "мин", "min"));
	} else if (s < 2 * 86400) {
		n = (long)((s + 1799) / 3600);
		buf_printf(b, "%ld %s", n, L(r, "ч", "h"));
	} else {
		n = (long)((s + 43199) / 86400);
		buf_printf(b, "%ld %s", n, L(r, ui_plural_ru(n, "день", "дня",
		    "дней"), n == 1 ? "day" : "days"));
	}
}

/*
 * Timers (R-FB-5): where each deadline of a case stands, in words, so
 * that no state is told by colour alone.
 */

struct timer {
	enum timer_state state;
	int		 on;	/* the case has this deadline */
	int64_t		 due;
};

/* Is any standard of the set that applies to the message on working
 * time?  The due time itself is stored; this only weighs "due soon". */
static int
timer_working(const struct fb_conf *conf, const struct fb_msg *m, int ack)
{
	enum std_code out[STD__COUNT];
	int	      n, i;

	n = std_applies(m->channel, m->kind, m->source, out);
	for (i = 0; i < n; i++) {
		if (ack != (out[i] == STD_ACK_WRITTEN))
			continue;
		if (out[i] == STD_PHONE_TRANSFERS ||
		    out[i] == STD_RECEPTION_WAIT)
			continue;
		if (conf->std[out[i]].working)
			return 1;
	}
	return 0;
}

static int64_t
first_of(int64_t a, int64_t b)
{
	if (a == 0)
		return b;
	if (b == 0)
		return a;
	return a < b ? a : b;
}

static void
timers_of(const struct fb_conf *conf, const struct fb_msg *m, int64_t now,
    struct timer *ack, struct timer *ans)
{
	int64_t acked;

	/* Taking a case into work or answering it acknowledges it too. */
	acked = first_of(first_of(m->acknowledged_at, m->in_work_at),
	    first_of(m->answered_at, m->closed_at));
	ack->on = m->ack_due != 0;
	ack->due = m->ack_due;
	if (ack->on)
		ack->state = timer_state(conf->cal, conf->tz, &conf->hours,
		    m->received_at, m->ack_due, acked, now,
		    timer_working(conf, m, 1));
	ans->on = m->answer_due != 0;
	ans->due = m->answer_due;
	/* A reopened case runs its answer timer again. */
	if (ans->on)
		ans->state = timer_state(conf->cal, conf->tz, &conf->hours,
		    m->received_at, m->answer_due,
		    strcmp(m->state, "answered") == 0 ||
		    strcmp(m->state, "closed") == 0
		    ? first_of(m->answered_at, m->closed_at) : 0, now,
		    timer_working(conf, m, 0));
}

static void
timer_text(const struct req *r, const struct timer *t, int64_t now,
    struct buf *b)
{
	switch (t->state) {
	case TIMER_RUNNING:
		buf_puts(b, L(r, "осталось ", ""));
		span_text(r, t->due - now, b);
		buf_puts(b, L(r, "", " left"));
		break;
	case TIMER_DUE_SOON:
		buf_puts(b, L(r, "скоро срок: осталось ",
		    "due soon: "));
		span_text(r, t->due - now, b);
		buf_puts(b, L(r, "", " left"));
		break;
	case TIMER_BREACHED:
		buf_puts(b, L(r, "просрочено на ", "overdue by "));
		span_text(r, now - t->due, b);
		break;
	case TIMER_MET:
		buf_puts(b, L(r, "выполнено в срок", "met in time"));
		break;
	case TIMER_MET_LATE:
		buf_puts(b, L(r, "выполнено с опозданием", "met late"));
		break;
	}
}

static const char *
timer_class(const struct timer *t)
{
	switch (t->state) {
	case TIMER_BREACHED:
	case TIMER_MET_LATE:
		return "late";
	case TIMER_DUE_SOON:
		return "soon";
	default:
		return NULL;
	}
}

/* One timer as a line: "Ответ: просрочено на 2 дня (срок 01.06.2024 18:00)". */
static void
timer_line(struct req *r, struct html *h, const char *label,
    const struct timer *t, int64_t now)
{
	struct buf b;
	char	   w[32];

	if (!t->on)
		return;
	buf_init(&b, 1024);
	timer_text(r, t, now, &b);
	ui_when(r, t->due, w);
	html_open(h, "span", "class", timer_class(t), NULL);
	html_textf(h, "%s: %s (%s %s)", label, buf_str(&b),
	    L(r, "срок", "due"), w);
	html_close(h);
	buf_free(&b);
}

/* Breaches of the standards that are counts, not times: transfers of a
 * call, minutes waited at a reception. */
static int
count_breaches(const struct fb_conf *conf, const struct fb_msg *m,
    int *transfers, int *wait)
{
	const struct std_conf *t = &conf->std[STD_PHONE_TRANSFERS];
	const struct std_conf *w = &conf->std[STD_RECEPTION_WAIT];

	*transfers = t->enabled && m->transfers > t->amount;
	*wait = w->enabled && m->wait_minutes >= 0 &&
	    m->wait_minutes > w->amount;
	return *transfers || *wait;
}

/*
 * Parameters the route table declares.
 */

static const struct {
	const char *code, *ru, *en;
} notices[] = {
	{"new", "Обращение зарегистрировано.", "The message is registered."},
	{"ack", "Получение подтверждено.", "Receipt acknowledged."},
	{"take", "Обращение взято в работу.", "The case is taken into work."},
	{"assign", "Ответственный назначен.", "The case is assigned."},
	{"classify", "Тема и причина сохранены.",
	    "The topic and reason are saved."},
	{"answer", "Ответ отправлен.", "The answer is sent."},
	{"close", "Обращение закрыто.", "The case is closed."},
	{"reopen", "Обращение снова в работе.", "The case is reopened."},
	{"extend", "Срок продлён, уведомление заявителю записано.",
	    "The term is extended and the notice to the applicant recorded."},
};

int
ui_fb_check_done(const char *v, char *why, size_t len)
{
	size_t i;

	for (i = 0; i < nitems(notices); i++)
		if (strcmp(v, notices[i].code) == 0)
			return 0;
	snprintf(why, len, "not a known result");
	return -1;
}

int
ui_fb_check_outcome(const char *v, char *why, size_t len)
{
	if (fb_code_find(fb_outcomes, v) != NULL)
		return 0;
	snprintf(why, len, "expected one of %s", fb_code_list(fb_outcomes));
	return -1;
}

int
ui_fb_check_days(const char *v, char *why, size_t len)
{
	char *end;
	long  n = strtol(v, &end, 10);

	if (*v != '\0' && *end == '\0' && n >= 1 && n <= 30)
		return 0;
	snprintf(why, len, "expected a whole number of days from 1 to 30");
	return -1;
}

int
ui_fb_check_minutes(const char *v, char *why, size_t len)
{
	char *end;
	long  n;

	if (*v == '\0')
		return 0;
	n = strtol(v, &end, 10);
	if (*end == '\0' && n >= 0 && n <= 1440)
		return 0;
	snprintf(why, len, "expected a whole number from 0 to 1440");
	return -1;
}

/* "YYYY-MM-DDTHH:MM" as a datetime-local field sends it. */
int
ui_fb_check_local_time(const char *v, char *why, size_t len)
{
	int32_t d;
	char	day[11];

	if (*v == '\0')
		return 0;
	if (strlen(v) == 16 && v[10] == 'T' && v[13] == ':' &&
	    v[11] >= '0' && v[11] <= '2' && v[12] >= '0' && v[12] <= '9' &&
	    v[14] >= '0' && v[14] <= '5' && v[15] >= '0' && v[15] <= '9' &&
	    (v[11] - '0') * 10 + (v[12] - '0') < 24) {
		memcpy(day, v, 10);
		day[10] = '\0';
		if (date_parse(day, &d) == 0)
			return 0;
	}
	snprintf(why, len, "expected a date and time YYYY-MM-DDTHH:MM");
	return -1;
}

static int64_t
local_time(const struct req *r, const char *v)
{
	int32_t d;
	char	day[11];
	int64_t t;

	memcpy(day, v, 10);
	day[10] = '\0';
	if (date_parse(day, &d) != 0)
		return 0;
	t = (int64_t)d * 86400 + ((v[11] - '0') * 10 + (v[12] - '0')) * 3600 +
	    ((v[14] - '0') * 10 + (v[15] - '0')) * 60;
	return t - tz_offset(t, r->org->tz);
}

static void
notice(struct req *r, struct html *h)
{
	const char *done = req_param(r, "done");
	size_t	    i;

	if (str_empty(done))
		return;
	for (i = 0; i < nitems(notices); i++)
		if (strcmp(done, notices[i].code) == 0) {
			html_open(h, "div", "class", "notice", "role",
			    "status", NULL);
			html_elem(h, "p", L(r, notices[i].ru, notices[i].en),
			    NULL);
			html_close(h);
		}
}

/* The navigation of the staff pages of feedback (also the dictionaries'
 * pages of ui-feedback-admin.c): cur is the item shown, -1 none. */
void
ui_fb_subnav(struct req *r, struct html *h, int cur)
{
	static const struct {
		const char *path, *ru, *en;
	} items[] = {
		{"/cases", "Очередь обращений", "Queue"},
		{"/cases/new", "Зарегистрировать", "Register"},
		{"/feedback/topics", "Темы и причины", "Topics"},
		{"/feedback/templates", "Шаблоны ответов", "Templates"},
		{"/feedback/channels", "Каналы и стандарты",
		    "Channels and standards"},
	};
	size_t i;
	char  *p;

	html_open(h, "nav", "class", "subnav", "aria-label",
	    L(r, "Обратная связь", "Feedback"), NULL);
	html_open(h, "ul", NULL);
	for (i = 0; i < nitems(items); i++) {
		p = ui_opath(r, "%s", items[i].path);
		html_open(h, "li", NULL);
		html_elem(h, "a", L(r, items[i].ru, items[i].en), "href", p,
		    "aria-current", (int)i == cur ? "page" : NULL, NULL);
		html_close(h);
		free(p);
	}
	html_close(h);
	html_close(h);
}

static struct fb_conf *
conf_or_fail(struct req *r)
{
	struct fb_conf *conf;
	struct err	e;

	err_clear(&e);
	if ((conf = fb_conf_load(r->db, r->org->id, &e)) == NULL)
		ui_fail(r, &e);
	return conf;
}

/*
 * The queue.
 */

static void
select_codes(struct req *r, struct html *h, const char *name,
    const char *label, const struct fb_code *table, const char *cur,
    const char *any)
{
	char id[32];
	int  i;

	snprintf(id, sizeof(id), "q-%s", name);
	html_open(h, "div", "class", "field", NULL);
	html_elem(h, "label", label, "for", id, NULL);
	html_open(h, "select", "id", id, "name", name, NULL);
	if (any != NULL)
		html_elem(h, "option", any, "value", "", NULL);
	for (i = 0; table[i].code != NULL; i++)
		html_elem(h, "option", L(r, table[i].title_ru,
		    table[i].title_en), "value", table[i].code, "selected",
		    cur != NULL && strcmp(cur, table[i].code) == 0 ? "" : NULL,
		    NULL);
	html_close(h);
	html_close(h);
}

static void
select_channel(struct req *r, struct html *h, const char *id,
    const char *cur, const char *any, int staff)
{
	int pass, i;

	html_open(h, "select", "id", id, "name", "channel", "autofocus",
	    staff ? "" : NULL, NULL);
	if (any != NULL)
		html_elem(h, "option", any, "value", "", NULL);
	/* For registration by staff the offline channels come first: they
	 * are what a person at a desk registers. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < CH__COUNT; i++) {
			if (staff && (pass == 0) !=
			    (channels[i].kind == KIND_OFFLINE))
				continue;
			if (!staff && pass == 1)
				continue;
			html_elem(h, "option", L(r, channels[i].title_ru,
			    channels[i].title_en), "value", channels[i].code,
			    "selected", cur != NULL &&
			    strcmp(cur, channels[i].code) == 0 ? "" : NULL,
			    NULL);
		}
	html_close(h);
}

static const struct fb_code state_filter[] = {
	{"open", "открытые (все, кроме закрытых)", "open (all but closed)"},
	{"registered", "зарегистрировано", "registered"},
	{"acknowledged", "получение подтверждено", "acknowledged"},
	{"in_work", "в работе", "in work"},
	{"answered", "дан ответ", "answered"},
	{"closed", "закрыто", "closed"},
	{NULL, NULL, NULL},
};

static const struct fb_code client_codes[] = {
	{"external", "внешний", "external"},
	{"internal", "внутренний (сотрудник органа)",
	    "internal (an employee of the body)"},
	{NULL, NULL, NULL},
};

static const struct fb_code client_filter[] = {
	{"external", "внешние", "external"},
	{"internal", "внутренние", "internal"},
	{NULL, NULL, NULL},
};

static void
queue_filter(struct req *r, struct html *h)
{
	const char *v;
	char	   *action = ui_opath(r, "/cases");

	html_open(h, "form", "method", "get", "action", action, "class",
	    "search", "aria-label", L(r, "Отбор", "Filter"), NULL);
	select_codes(r, h, "state", L(r, "Состояние", "State"), state_filter,
	    req_param(r, "state"), L(r, "все", "all"));
	select_codes(r, h, "client", L(r, "Клиенты", "Clients"),
	    client_filter, req_param(r, "client"),
	    L(r, "внешние и внутренние", "both"));
	select_codes(r, h, "kind", L(r, "Вид", "Kind"), fb_kinds,
	    req_param(r, "kind"), L(r, "все", "all"));
	html_open(h, "div", "class", "field", NULL);
	html_elem(h, "label", L(r, "Канал", "Channel"), "for", "q-channel",
	    NULL);
	select_channel(r, h, "q-channel", req_param(r, "channel"),
	    L(r, "все", "all"), 0);
	html_close(h);
	html_open(h, "div", "class", "field", NULL);
	html_elem(h, "label", L(r, "Слова, код", "Words, code"), "for", "q-q",
	    NULL);
	html_void(h, "input", "type", "search", "id", "q-q", "name", "q",
	    "value", req_param(r, "q"), NULL);
	html_close(h);
	v = req_param(r, "overdue");
	html_open(h, "div", "class", "check", NULL);
	html_void(h, "input", "type", "checkbox", "id", "q-overdue", "name",
	    "overdue", "value", "1", "checked",
	    v != NULL && strcmp(v, "1") == 0 ? "" : NULL, NULL);
	html_elem(h, "label", L(r, "только просроченные", "overdue only"),
	    "for", "q-overdue", NULL);
	html_close(h);
	html_elem(h, "button", L(r, "Показать", "Show"), "type", "submit",
	    NULL);
	html_close(h);
	free(action);
}

static void
excerpt(struct html *h, const struct fb_msg *m)
{
	const char *s = m->subject != NULL && *m->subject != '\0' ? m->subject
								 : m->text;
	size_t	    i, chars = 0;

	if (s == NULL)
		return;
	/* Cut at a character boundary, not inside a UTF-8 sequence. */
	for (i = 0; s[i] != '\0'; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 &&
		    ++chars > EXCERPT_CHARS)
			break;
	if (s[i] == '\0') {
		html_text(h, s);
		return;
	}
	{
		char *cut = xstrndup(s, i);

		html_text(h, cut);
		html_text(h, "…");
		free(cut);
	}
}

static void
queue_table(struct req *r, struct html *h, const struct fb_conf *conf,
    struct fb_msg *v, int n, int64_t now, const char *caption)
{
	struct timer ack, ans;
	char	     w[32], *p;
	int	     i, tr, wt;

	html_open(h, "div", "class", "table-wrap", NULL);
	html_open(h, "table", NULL);
	html_elem(h, "caption", caption, NULL);
	html_open(h, "thead", NULL);
	html_open(h, "tr", NULL);
	html_elem(h, "th", L(r, "Код", "Code"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Поступило", "Received"), "scope", "col",
	    NULL);
	html_elem(h, "th", L(r, "Вид, канал", "Kind, channel"), "scope", "col",
	    NULL);
	html_elem(h, "th", L(r, "Суть", "Subject"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Состояние", "State"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Сроки", "Timers"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Ответственный", "Assignee"), "scope", "col",
	    NULL);
	html_close(h);
	html_close(h);
	html_open(h, "tbody", NULL);
	for (i = 0; i < n; i++) {
		timers_of(conf, &v[i], now, &ack, &ans);
		html_open(h, "tr", NULL);
		html_open(h, "th", "scope", "row", NULL);
		p = ui_opath(r, "/cases/%lld", (long long)v[i].id);
		html_elem(h, "a", v[i].code, "href", p, NULL);
		free(p);
		html_close(h);
		ui_when(r, v[i].received_at, w);
		html_elem(h, "td", w, NULL);
		html_open(h, "td", NULL);
		html_textf(h, "%s, %s", code_title(r, fb_kinds, v[i].kind),
		    channel_name(r, v[i].channel));
		html_close(h);
		html_open(h, "td", NULL);
		excerpt(h, &v[i]);
		html_close(h);
		html_elem(h, "td", code_title(r, fb_states, v[i].state), NULL);
		html_open(h, "td", NULL);
		timer_line(r, h, L(r, "Подтверждение", "Acknowledgement"), &ack,
		    now);
		if (ack.on && ans.on)
			html_void(h, "br", NULL);
		timer_line(r, h, L(r, "Ответ", "Answer"), &ans, now);
		if (count_breaches(conf, &v[i], &tr, &wt)) {
			if (ack.on || ans.on)
				html_void(h, "br", NULL);
			html_elem(h, "span", tr
			    ? L(r, "нарушение: много переключений звонка",
				  "breach: too many call transfers")
			    : L(r, "нарушение: долгое ожидание приёма",
				  "breach: long wait at reception"),
			    "class", "late", NULL);
		}
		html_close(h);
		html_elem(h, "td", v[i].assignee != NULL &&
		    *v[i].assignee != '\0' ? v[i].assignee : "—", NULL);
		html_close(h);
	}
	html_close(h);
	html_close(h);
	html_close(h);
}

static void
filter_from(struct req *r, struct fb_filter *f)
{
	const char *v;

	memset(f, 0, sizeof(*f));
	f->org_id = r->org->id;
	if (!str_empty(v = req_param(r, "state")))
		f->state = v;
	if (!str_empty(v = req_param(r, "kind")))
		f->kind = v;
	if (!str_empty(v = req_param(r, "channel")))
		f->channel = v;
	if (!str_empty(v = req_param(r, "q")))
		f->q = v;
	f->overdue = (v = req_param(r, "overdue")) != NULL &&
	    strcmp(v, "1") == 0;
	f->limit = QUEUE_PAGE;
	if (!str_empty(v = req_param(r, "page")))
		f->offset = (int)strtol(v, NULL, 10) * QUEUE_PAGE;
}

/* The queue's address with the same filters, on another page. */
static char *
queue_link(struct req *r, int page)
{
	static const char *const keep[] = {"state", "client", "kind",
		"channel", "overdue", "q"};
	struct buf  b;
	const char *v;
	size_t	    i;

	buf_init(&b, 4096);
	buf_printf(&b, "/%s/cases?page=%d", r->org->slug, page);
	for (i = 0; i < nitems(keep); i++)
		if (!str_empty(v = req_param(r, keep[i]))) {
			buf_printf(&b, "&%s=", keep[i]);
			html_url_arg(&b, v);
		}
	return buf_detach(&b);
}

static void
pager(struct req *r, struct html *h, const struct fb_filter *f, int n,
    int total)
{
	int   page = f->offset / QUEUE_PAGE;
	char *p;

	if (page == 0 && total <= n)
		return;
	html_open(h, "p", "class", "pager", NULL);
	if (page > 0) {
		p = queue_link(r, page - 1);
		html_elem(h, "a", L(r, "← Предыдущие", "← Previous"), "href",
		    p, NULL);
		free(p);
		html_text(h, " ");
	}
	if (f->offset + n < total) {
		p = queue_link(r, page + 1);
		html_elem(h, "a", L(r, "Следующие →", "Next →"), "href", p,
		    NULL);
		free(p);
	}
	html_close(h);
}

/* One part of the queue: the external or the internal clients (R-FB-1
 * keeps them apart).  Returns the count, or -1 after an error page. */
static int
queue_part(struct req *r, struct html *h, const struct fb_conf *conf,
    struct fb_filter *f, const char *client, int64_t now)
{
	struct fb_msg *v;
	struct err     e;
	struct buf     cap;
	int	       n, total, i;

	err_clear(&e);
	f->client = client;
	if ((n = fb_list(r->db, f, now, &v, &total, &e)) < 0)
		return -1;
	buf_init(&cap, 1024);
	buf_printf(&cap, "%s: %d", strcmp(client, "internal") == 0
	    ? L(r, "Внутренние клиенты", "Internal clients")
	    : L(r, "Внешние клиенты", "External clients"), total);
	if (total > n && n > 0)
		buf_printf(&cap, " (%s %d–%d)", L(r, "показаны",
		    "shown:"), f->offset + 1, f->offset + n);
	if (n > 0)
		queue_table(r, h, conf, v, n, now, buf_str(&cap));
	else {
		html_elem(h, "h2", buf_str(&cap), NULL);
		html_elem(h, "p", L(r, "Нет обращений.", "No messages."), NULL);
	}
	pager(r, h, f, n, total);
	buf_free(&cap);
	for (i = 0; i < n; i++)
		fb_msg_clear(&v[i]);
	free(v);
	return total;
}

/* The breaches at now, all clients: every overdue open case. */
static void
breaches(struct req *r, struct html *h, const struct fb_conf *conf,
    int64_t now)
{
	struct fb_filter f;
	struct fb_msg	*v;
	struct timer	 ack, ans;
	struct err	 e;
	char		*p;
	int		 n, total, i;

	memset(&f, 0, sizeof(f));
	f.org_id = r->org->id;
	f.overdue = 1;
	f.state = "open";
	f.limit = QUEUE_PAGE;
	err_clear(&e);
	if ((n = fb_list(r->db, &f, now, &v, &total, &e)) < 0)
		return;
	html_open(h, "section", "aria-labelledby", "breaches", NULL);
	html_open(h, "h2", "id", "breaches", NULL);
	html_textf(h, "%s: %d", L(r, "Нарушения сроков", "Breaches"), total);
	html_close(h);
	if (n == 0)
		html_elem(h, "p", L(r, "Просроченных обращений нет.",
		    "Nothing is overdue."), NULL);
	else
		html_open(h, "ul", NULL);
	for (i = 0; i < n; i++) {
		timers_of(conf, &v[i], now, &ack, &ans);
		html_open(h, "li", NULL);
		p = ui_opath(r, "/cases/%lld", (long long)v[i].id);
		html_elem(h, "a", v[i].code, "href", p, NULL);
		free(p);
		html_text(h, " — ");
		if (ans.on && ans.state == TIMER_BREACHED)
			timer_line(r, h, L(r, "Ответ", "Answer"), &ans, now);
		else
			timer_line(r, h, L(r, "Подтверждение",
			    "Acknowledgement"), &ack, now);
		html_close(h);
	}
	if (n > 0)
		html_close(h);
	html_close(h);
	for (i = 0; i < n; i++)
		fb_msg_clear(&v[i]);
	free(v);
}

int
ui_fb_cases(struct req *r)
{
	struct fb_filter f;
	struct fb_conf	*conf;
	struct html	 h;
	const char	*client = req_param(r, "client");
	int64_t		 now = clock_now();
	char		*p;

	if ((conf = conf_or_fail(r)) == NULL)
		return 0;
	filter_from(r, &f);
	ui_begin(r, &h, L(r, "Обращения", "Cases"));
	ui_fb_subnav(r, &h, 0);
	html_elem(&h, "h1", L(r, "Очередь обращений", "Queue of cases"), NULL);
	notice(r, &h);
	html_open(&h, "p", NULL);
	p = ui_opath(r, "/cases/new");
	html_elem(&h, "a", L(r, "Зарегистрировать обращение (телефон, приём, "
				"почта)", "Register a message (phone, "
				"reception, post)"), "href", p, "class",
	    "button", NULL);
	free(p);
	html_close(&h);
	queue_filter(r, &h);
	breaches(r, &h, conf, now);
	html_elem(&h, "h2", L(r, "Обращения по ближайшему сроку",
	    "Cases by the nearest deadline"), NULL);
	if ((str_empty(client) || strcmp(client, "external") == 0) &&
	    queue_part(r, &h, conf, &f, "external", now) < 0)
		goto fail;
	if ((str_empty(client) || strcmp(client, "internal") == 0) &&
	    queue_part(r, &h, conf, &f, "internal", now) < 0)
		goto fail;
	ui_end(r, &h);
	fb_conf_free(conf);
	return 0;
fail:
	fb_conf_free(conf);
	return req_error(r, 500, NULL, L(r, "Очередь не прочитана.",
	    "The queue could not be read."));
}

/*
 * Registration of an offline contact by staff.
 */

enum nf { NF_CHANNEL, NF_KIND, NF_CLIENT, NF_SUBJECT, NF_TEXT, NF_NAME,
	NF_PHONE, NF_EMAIL, NF_ADDRESS, NF_CONSENT, NF_WAIT, NF_TRANSFERS,
	NF_RECEIVED, NF__COUNT };

static const struct {
	const char *name, *ru, *en;
} nfields[NF__COUNT] = {
	[NF_CHANNEL] = {"channel", "Канал", "Channel"},
	[NF_KIND] = {"kind", "Вид", "Kind"},
	[NF_CLIENT] = {"client", "Клиент", "Client"},
	[NF_SUBJECT] = {"subject", "Тема (кратко)", "Subject (short)"},
	[NF_TEXT] = {"text", "Текст обращения", "Text of the message"},
	[NF_NAME] = {"name", "Имя заявителя", "Applicant's name"},
	[NF_PHONE] = {"phone", "Телефон", "Phone"},
	[NF_EMAIL] = {"email", "Электронная почта", "E-mail"},
	[NF_ADDRESS] = {"address", "Почтовый адрес", "Postal address"},
	[NF_CONSENT] = {"consent", "Заявитель дал согласие на обработку "
				   "персональных данных",
	    "The applicant consented to the processing of personal data"},
	[NF_WAIT] = {"wait", "Ожидание в очереди на приём, минут",
	    "Wait at the reception, minutes"},
	[NF_TRANSFERS] = {"transfers", "Переключений звонка",
	    "Transfers of the call"},
	[NF_RECEIVED] = {"received", "Поступило (если не сейчас)",
	    "Received (if not now)"},
};

struct nform {
	const char *err[NF__COUNT];
	char	   *msg[NF__COUNT];	/* owned messages */
	int	    nerr;
};

static void
nform_error(struct nform *fm, enum nf f, const char *msg, int owned)
{
	if (fm->err[f] != NULL)
		return;
	fm->err[f] = msg;
	if (owned)
		fm->msg[f] = (char *)msg;
	fm->nerr++;
}

static void
nform_free(struct nform *fm)
{
	int i;

	for (i = 0; i < NF__COUNT; i++)
		free(fm->msg[i]);
}

/* The label, the error under it (tied to the field), and the id. */
static void
nf_head(struct req *r, struct html *h, const struct nform *fm, enum nf f,
    int required, char *id, size_t idlen, char *eid, size_t eidlen)
{
	snprintf(id, idlen, "n-%s", nfields[f].name);
	snprintf(eid, eidlen, "n-%s-err", nfields[f].name);
	html_elem(h, "label", L(r, nfields[f].ru, nfields[f].en), "for", id,
	    "class", required ? "required" : NULL, NULL);
	if (fm->err[f] != NULL) {
		html_open(h, "p", "class", "error", "id", eid, NULL);
		html_elem(h, "strong", L(r, "Ошибка:", "Error:"), NULL);
		html_text(h, " ");
		html_text(h, fm->err[f]);
		html_close(h);
	}
}

static void
nf_input(struct req *r, struct html *h, const struct nform *fm, enum nf f,
    const char *type, const char *autocomplete, int required)
{
	char id[32], eid[40];

	html_open(h, "div", "class", "field", NULL);
	nf_head(r, h, fm, f, required, id, sizeof(id), eid, sizeof(eid));
	html_void(h, "input", "type", type, "id", id, "name", nfields[f].name,
	    "value", req_param(r, nfields[f].name), "autocomplete",
	    autocomplete, "required", required ? "" : NULL,
	    "aria-describedby", fm->err[f] != NULL ? eid : NULL,
	    "aria-invalid", fm->err[f] != NULL ? "true" : NULL, NULL);
	html_close(h);
}

static void
nf_select(struct req *r, struct html *h, const struct nform *fm, enum nf f,
    const struct fb_code *table, const char *dflt)
{
	const char *cur = req_param(r, nfields[f].name);
	char	    id[32], eid[40];
	int	    i;

	if (str_empty(cur))
		cur = dflt;
	html_open(h, "div", "class", "field", NULL);
	nf_head(r, h, fm, f, 1, id, sizeof(id), eid, sizeof(eid));
	html_open(h, "select", "id", id, "name", nfields[f].name,
	    "aria-describedby", fm->err[f] != NULL ? eid : NULL, NULL);
	for (i = 0; table[i].code != NULL; i++)
		html_elem(h, "option", L(r, table[i].title_ru,
		    table[i].title_en), "value", table[i].code, "selected",
		    strcmp(cur, table[i].code) == 0 ? "" : NULL, NULL);
	html_close(h);
	html_close(h);
}


static void
new_page(struct req *r, int status, const struct nform *fm)
{
	struct html h;
	char	    id[32], eid[40], *action = ui_opath(r, "/cases/new");
	const char *v;

	ui_begin(r, &h, L(r, "Регистрация обращения", "Register a message"));
	ui_fb_subnav(r, &h, 1);
	html_elem(&h, "h1", L(r, "Регистрация обращения",
	    "Register a message"), NULL);
	html_elem(&h, "p", L(r, "Для обращений по телефону, на личном приёме "
				"и по почте. Контакты — только с согласия "
				"заявителя или если закон требует ответа "
				"(59-ФЗ).",
	    "For messages by phone, at a reception and by post. Contact "
	    "details only with the applicant's consent or where the law "
	    "requires an answer (59-FZ)."), "class", "hint", NULL);
	if (fm->nerr > 0)
		html_elem(&h, "p", L(r, "Обращение не зарегистрировано: "
					"исправьте поля с ошибками.",
		    "The message is not registered: correct the fields "
		    "marked."), "class", "alert", "role", "alert", NULL);
	html_open(&h, "form", "method", "post", "action", action, "class",
	    "stack", NULL);
	ui_csrf(r, &h);
	/* The channel first and focused: the rest follows from it. */
	html_open(&h, "div", "class", "field", NULL);
	nf_head(r, &h, fm, NF_CHANNEL, 1, id, sizeof(id), eid, sizeof(eid));
	select_channel(r, &h, id, req_param(r, "channel"), NULL, 1);
	html_close(&h);
	nf_select(r, &h, fm, NF_KIND, fb_kinds, "appeal");
	nf_select(r, &h, fm, NF_CLIENT, client_codes, "external");
	nf_input(r, &h, fm, NF_SUBJECT, "text", "off", 0);
	html_open(&h, "div", "class", "field", NULL);
	nf_head(r, &h, fm, NF_TEXT, 1, id, sizeof(id), eid, sizeof(eid));
	html_open(&h, "textarea", "id", id, "name", "text", "rows", "6",
	    "required", "", "aria-describedby",
	    fm->err[NF_TEXT] != NULL ? eid : NULL, "aria-invalid",
	    fm->err[NF_TEXT] != NULL ? "true" : NULL, NULL);
	html_text(&h, req_param(r, "text"));
	html_close(&h);
	html_close(&h);
	html_open(&h, "fieldset", NULL);
	html_elem(&h, "legend", L(r, "Контакты для ответа (необязательно)",
	    "Contact for the answer (optional)"), NULL);
	nf_input(r, &h, fm, NF_NAME, "text", "off", 0);
	nf_input(r, &h, fm, NF_PHONE, "tel", "off", 0);
	nf_input(r, &h, fm, NF_EMAIL, "email", "off", 0);
	nf_input(r, &h, fm, NF_ADDRESS, "text", "off", 0);
	v = req_param(r, "consent");
	html_open(&h, "div", "class", "check", NULL);
	html_void(&h, "input", "type", "checkbox", "id", "n-consent", "name",
	    "consent", "value", "1", "checked",
	    v != NULL && strcmp(v, "1") == 0 ? "" : NULL, "aria-describedby",
	    fm->err[NF_CONSENT] != NULL ? "n-consent-err" : NULL, NULL);
	html_elem(&h, "label", L(r, nfields[NF_CONSENT].ru,
	    nfields[NF_CONSENT].en), "for", "n-consent", NULL);
	if (fm->err[NF_CONSENT] != NULL)
		html_elem(&h, "p", fm->err[NF_CONSENT], "class", "error",
		    "id", "n-consent-err", NULL);
	html_close(&h);
	html_close(&h);	/* fieldset */
	html_open(&h, "fieldset", NULL);
	html_elem(&h, "legend", L(r, "Для стандартов обслуживания",
	    "For the service standards"), NULL);
	nf_input(r, &h, fm, NF_WAIT, "number", "off", 0);
	nf_input(r, &h, fm, NF_TRANSFERS, "number", "off", 0);
	nf_input(r, &h, fm, NF_RECEIVED, "datetime-local", "off", 0);
	html_close(&h);
	html_elem(&h, "button", L(r, "Зарегистрировать", "Register"), "type",
	    "submit", NULL);
	html_close(&h);	/* form */
	free(action);
	ui_end(r, &h);
	r->status = status;
}

int
ui_fb_case_new_form(struct req *r)
{
	struct nform fm = {0};

	new_page(r, 200, &fm);
	return 0;
}

struct new_job {
	struct fb_msg	  m;
	struct fb_contact c;
	char		  key[65];
	char		 *actor;
};

static void
new_job_free(void *p)
{
	struct new_job *j = p;

	fb_msg_clear(&j->m);
	fb_contact_clear(&j->c);
	free(j->actor);
	free(j);
}

static char *
param_dup(struct req *r, const char *name)
{
	const char *v = req_param(r, name);

	return str_empty(v) ? NULL : xstrdup(v);
}

static int
new_write(struct req *r, struct db *db, struct err *e)
{
	struct new_job	     *j = r->job;
	const struct fb_conf *conf;

	if ((conf = ingest_conf(r->org->id, e)) == NULL)
		return -1;
	return fb_insert(db, conf, j->actor, &j->m, &j->c, j->key, e) < 0
	    ? -1 : 0;
}

static void
new_done(struct req *r, const struct err *e)
{
	struct new_job *j = r->job;
	char	       *loc;

	if (e != NULL) {
		req_error(r, e->code == EXIT_DATAERR ? 400 : 500, NULL,
		    e->msg);
		return;
	}
	loc = xasprintf("/%s/cases/%lld?done=new", r->org->slug,
	    (long long)j->m.id);
	req_redirect(r, loc);
	free(loc);
}

/* Where a message of fb_validate belongs on this form. */
static enum nf
nf_find(const char *field)
{
	static const struct {
		const char *field;
		enum nf	    f;
	} map[] = {
		{"channel", NF_CHANNEL}, {"kind", NF_KIND},
		{"client", NF_CLIENT}, {"subject", NF_SUBJECT},
		{"text", NF_TEXT}, {"name", NF_NAME}, {"phone", NF_PHONE},
		{"email", NF_EMAIL}, {"address", NF_ADDRESS},
		{"consent", NF_CONSENT}, {"wait_minutes", NF_WAIT},
		{"transfers", NF_TRANSFERS}, {"received_at", NF_RECEIVED},
	};
	size_t i;

	for (i = 0; field != NULL && i < nitems(map); i++)
		if (strcmp(map[i].field, field) == 0)
			return map[i].f;
	return NF_TEXT;
}

int
ui_fb_case_new(struct req *r)
{
	struct nform	fm = {0};
	struct new_job *j;
	struct err	e;
	const char     *field, *v;

	j = xcalloc(1, sizeof(*j));
	fb_msg_init(&j->m);
	snprintf(j->m.channel, sizeof(j->m.channel), "%s",
	    (v = req_param(r, "channel")) != NULL ? v : "");
	snprintf(j->m.kind, sizeof(j->m.kind), "%s",
	    (v = req_param(r, "kind")) != NULL ? v : "");
	snprintf(j->m.client, sizeof(j->m.client), "%s",
	    (v = req_param(r, "client")) != NULL ? v : "");
	j->m.subject = param_dup(r, "subject");
	j->m.text = param_dup(r, "text");
	if (!str_empty(v = req_param(r, "wait")))
		j->m.wait_minutes = (int)strtol(v, NULL, 10);
	if (!str_empty(v = req_param(r, "transfers")))
		j->m.transfers = (int)strtol(v, NULL, 10);
	if (!str_empty(v = req_param(r, "received")))
		j->m.received_at = local_time(r, v);
	j->c.name = param_dup(r, "name");
	j->c.phone = param_dup(r, "phone");
	j->c.email = param_dup(r, "email");
	j->c.address = param_dup(r, "address");
	j->c.consent = (v = req_param(r, "consent")) != NULL &&
	    strcmp(v, "1") == 0;
	if (str_empty(j->m.channel))
		nform_error(&fm, NF_CHANNEL, L(r, "выберите канал.",
		    "choose the channel."), 0);
	if (j->m.text == NULL)
		nform_error(&fm, NF_TEXT, L(r, "запишите текст обращения.",
		    "write down the text of the message."), 0);
	err_clear(&e);
	if (fm.nerr == 0 && fb_validate(&j->m, &j->c, &field, &e) != 0)
		nform_error(&fm, nf_find(field), xasprintf("%s%s",
		    L(r, "неверное значение: ", "wrong value: "), e.msg), 1);
	if (fm.nerr > 0) {
		new_page(r, 400, &fm);
		nform_free(&fm);
		new_job_free(j);
		return 0;
	}
	j->actor = xstrdup(r->session->login);
	r->job = j;
	r->job_free = new_job_free;
	if (req_defer(r, new_write, new_done) != 0) {
		req_header(r, "Retry-After", "5");
		return req_error(r, 503, NULL, L(r, "Сервер перегружен, "
		    "повторите через несколько секунд.", "The server is busy; "
		    "try again in a few seconds."));
	}
	return 0;
}

/*
 * One case.
 */

struct casepage {
	struct fb_msg	      m;
	struct fb_conf	     *conf;
	struct fb_event	     *ev;
	int		      nev;
	struct fb_topic	     *topics;
	int		      ntopics;
	struct fb_classifier *cls;
};

static void
casepage_free(struct casepage *cp)
{
	fb_msg_clear(&cp->m);
	fb_conf_free(cp->conf);
	fb_events_free(cp->ev, cp->nev);
	fb_topics_free(cp->topics, cp->ntopics);
	fb_classifier_free(cp->cls);
}

static void
dl_row(struct html *h, const char *dt, const char *dd)
{
	html_elem(h, "dt", dt, NULL);
	html_elem(h, "dd", dd != NULL && *dd != '\0' ? dd : "—", NULL);
}

static void
dl_time(struct req *r, struct html *h, const char *dt, int64_t t)
{
	char w[32];

	ui_when(r, t, w);
	dl_row(h, dt, w);
}

/* R-PD-3: the contact details, only to those whose work needs them. */
static void
contact_rows(struct req *r, struct html *h, const struct fb_msg *m)
{
	struct db_stmt *st;
	static const char *const ru[] = {"Имя", "Электронная почта",
		"Телефон", "Почтовый адрес"};
	static const char *const en[] = {"Name", "E-mail", "Phone",
		"Postal address"};
	int i;

	if (m->contact_id == 0) {
		dl_row(h, L(r, "Заявитель", "Applicant"),
		    L(r, "анонимно", "anonymous"));
		return;
	}
	if (!pd_may_see(r->db, r->session, r->org->id)) {
		dl_row(h, L(r, "Заявитель", "Applicant"),
		    L(r, "контакты скрыты: ваша роль их не требует",
			"contact details hidden: your role does not need "
			"them"));
		return;
	}
	st = db_prepare(r->db, "SELECT name, email, phone, address, "
	    "destroyed_at FROM fb_contact WHERE id = ? AND org_id = ?", "ii",
	    m->contact_id, r->org->id);
	if (st == NULL || db_step(st) != DB_ROW) {
		db_finalize(st);
		return;
	}
	if (!db_col_null(st, 4))
		dl_row(h, L(r, "Заявитель", "Applicant"),
		    L(r, "персональные данные уничтожены",
			"personal data destroyed"));
	else
		for (i = 0; i < 4; i++)
			if (!db_col_null(st, i))
				dl_row(h, L(r, ru[i], en[i]),
				    db_col_text(st, i));
	db_finalize(st);
}

static void
case_fields(struct req *r, struct html *h, const struct casepage *cp)
{
	const struct fb_msg *m = &cp->m;
	char		     n[32];

	html_open(h, "dl", "class", "summary", NULL);
	dl_row(h, L(r, "Состояние", "State"), code_title(r, fb_states,
	    m->state));
	dl_row(h, L(r, "Вид", "Kind"), code_title(r, fb_kinds, m->kind));
	dl_row(h, L(r, "Канал", "Channel"), channel_name(r, m->channel));
	dl_row(h, L(r, "Источник", "Source"), code_title(r, fb_sources,
	    m->source));
	dl_row(h, L(r, "Клиент", "Client"), client_name(r, m->client));
	dl_row(h, L(r, "Форма взаимодействия", "Form of interaction"),
	    m->form[0] != '\0' ? code_title(r, fb_forms, m->form) : NULL);
	dl_row(h, L(r, "Точка взаимодействия", "Touchpoint"), m->touchpoint);
	dl_row(h, L(r, "Услуга", "Service"), m->service);
	dl_row(h, L(r, "Жизненная ситуация", "Life situation"), m->situation);
	dl_row(h, L(r, "Тема", "Topic"), m->topic);
	dl_row(h, L(r, "Причина", "Reason"), m->reason);
	dl_time(r, h, L(r, "Поступило", "Received"), m->received_at);
	dl_time(r, h, L(r, "Зарегистрировано", "Registered"),
	    m->registered_at);
	dl_time(r, h, L(r, "Получение подтверждено", "Acknowledged"),
	    m->acknowledged_at);
	dl_time(r, h, L(r, "Взято в работу", "Taken into work"), m->in_work_at);
	dl_time(r, h, L(r, "Дан ответ", "Answered"), m->answered_at);
	dl_time(r, h, L(r, "Закрыто", "Closed"), m->closed_at);
	dl_row(h, L(r, "Подразделение", "Unit"), m->unit);
	dl_row(h, L(r, "Ответственный", "Assignee"), m->assignee);
	snprintf(n, sizeof(n), "%d", m->transfers);
	dl_row(h, L(r, "Переключений звонка", "Call transfers"), n);
	if (m->wait_minutes >= 0) {
		snprintf(n, sizeof(n), "%d", m->wait_minutes);
		dl_row(h, L(r, "Ожидание приёма, мин", "Reception wait, min"),
		    n);
	}
	if (m->rating > 0) {
		snprintf(n, sizeof(n), "%d / 5", m->rating);
		dl_row(h, L(r, "Оценка", "Rating"), n);
	}
	if (m->extended)
		dl_row(h, L(r, "Срок продлён (59-ФЗ)", "Extended (59-FZ)"),
		    m->extension_note);
	if (m->outcome[0] != '\0')
		dl_row(h, L(r, "Итог", "Outcome"), code_title(r, fb_outcomes,
		    m->outcome));
	if (m->solved >= 0)
		dl_row(h, L(r, "Ответ заявителя", "Applicant's reply"),
		    m->solved ? L(r, "вопрос решён", "solved")
			      : L(r, "вопрос не решён", "not solved"));
	contact_rows(r, h, m);
	html_close(h);
	html_elem(h, "h2", L(r, "Текст", "Text"), NULL);
	if (m->subject != NULL && *m->subject != '\0')
		html_elem(h, "p", m->subject, "class", "meta", NULL);
	html_elem(h, "p", m->text, "class", "message-text", NULL);
	if (m->answer != NULL && *m->answer != '\0') {
		html_elem(h, "h2", L(r, "Ответ", "Answer"), NULL);
		html_elem(h, "p", m->answer, "class", "message-text", NULL);
	}
}

static void
case_timers(struct req *r, struct html *h, const struct casepage *cp,
    int64_t now)
{
	struct timer ack, ans;
	int	     tr, wt;

	timers_of(cp->conf, &cp->m, now, &ack, &ans);
	html_open(h, "section", "aria-labelledby", "timers", NULL);
	html_elem(h, "h2", L(r, "Сроки", "Timers"), "id", "timers", NULL);
	html_open(h, "ul", NULL);
	if (ack.on) {
		html_open(h, "li", NULL);
		timer_line(r, h, L(r, "Подтверждение получения",
		    "Acknowledgement"), &ack, now);
		html_close(h);
	}
	if (ans.on) {
		html_open(h, "li", NULL);
		timer_line(r, h, L(r, "Ответ", "Answer"), &ans, now);
		html_close(h);
	}
	if (count_breaches(cp->conf, &cp->m, &tr, &wt)) {
		if (tr)
			html_elem(h, "li", L(r, "нарушение: звонок "
						"переключали больше "
						"допустимого",
			    "breach: the call was transferred more than "
			    "allowed"), "class", "late", NULL);
		if (wt)
			html_elem(h, "li", L(r, "нарушение: ожидание приёма "
						"дольше допустимого",
			    "breach: the wait at the reception was longer "
			    "than allowed"), "class", "late", NULL);
	}
	if (!ack.on && !ans.on && !tr && !wt)
		html_elem(h, "li", L(r, "стандарты сроков к этому обращению "
					"не применяются",
		    "no time standard applies to this message"), NULL);
	html_close(h);
	html_close(h);
}

static void
case_events(struct req *r, struct html *h, const struct casepage *cp)
{
	char w[32];
	int  i;

	html_elem(h, "h2", L(r, "История", "History"), "id", "history", NULL);
	html_open(h, "div", "class", "table-wrap", NULL);
	html_open(h, "table", "aria-labelledby", "history", NULL);
	html_open(h, "thead", NULL);
	html_open(h, "tr", NULL);
	html_elem(h, "th", L(r, "Когда", "When"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Кто", "Who"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Действие", "Action"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Состояние", "State"), "scope", "col", NULL);
	html_elem(h, "th", L(r, "Подробности", "Details"), "scope", "col",
	    NULL);
	html_close(h);
	html_close(h);
	html_open(h, "tbody", NULL);
	for (i = 0; i < cp->nev; i++) {
		html_open(h, "tr", NULL);
		ui_when(r, cp->ev[i].at, w);
		html_elem(h, "td", w, NULL);
		html_elem(h, "td", cp->ev[i].actor, NULL);
		html_elem(h, "td", code_title(r, fb_actions, cp->ev[i].action),
		    NULL);
		html_open(h, "td", NULL);
		if (cp->ev[i].to_state != NULL && *cp->ev[i].to_state != '\0')
			html_textf(h, "%s → %s",
			    code_title(r, fb_states, cp->ev[i].from_state),
			    code_title(r, fb_states, cp->ev[i].to_state));
		html_close(h);
		html_elem(h, "td", cp->ev[i].detail != NULL ? cp->ev[i].detail
							    : "", NULL);
		html_close(h);
	}
	html_close(h);
	html_close(h);
	html_close(h);
}

/* A form that posts one step of the case. */
static int
step_open(struct req *r, struct html *h, const struct casepage *cp,
    const char *step, const char *legend)
{
	char *p = ui_opath(r, "/cases/%lld/%s", (long long)cp->m.id, step);
	int   d;

	d = html_open(h, "form", "method", "post", "action", p, "class",
	    "stack", NULL);
	ui_csrf(r, h);
	html_open(h, "fieldset", NULL);
	html_elem(h, "legend", legend, NULL);
	free(p);
	return d;
}

static void
step_button(struct req *r, struct html *h, const struct casepage *cp,
    const char *step, const char *label)
{
	char *p = ui_opath(r, "/cases/%lld/%s", (long long)cp->m.id, step);

	html_open(h, "form", "method", "post", "action", p, "class",
	    "inline", NULL);
	ui_csrf(r, h);
	html_elem(h, "button", label, "type", "submit", NULL);
	html_close(h);
	free(p);
}

static void
id_option(struct html *h, int64_t id, const char *title, int64_t cur)
{
	char v[24];

	snprintf(v, sizeof(v), "%lld", (long long)id);
	html_elem(h, "option", title, "value", v, "selected",
	    id == cur ? "" : NULL, NULL);
}

static void
assign_form(struct req *r, struct html *h, const struct casepage *cp)
{
	struct staff_info *st = NULL;
	struct db_stmt	  *q;
	struct err	   e;
	int		   d, n, i;

	err_clear(&e);
	d = step_open(r, h, cp, "assign", L(r, "Назначить ответственного",
	    "Assign"));
	html_open(h, "div", "class", "field", NULL);
	html_elem(h, "label", L(r, "Подразделение", "Unit"), "for", "a-unit",
	    NULL);
	html_open(h, "select", "id", "a-unit", "name", "unit", NULL);
	html_elem(h, "option", L(r, "не указано", "none"), "value", "0", NULL);
	q = db_prepare(r->db, "SELECT id, name FROM unit WHERE org_id = ? "
	    "ORDER BY name LIMIT 1000", "i", r->org->id);
	while (q != NULL && db_step(q) == DB_ROW)
		id_option(h, db_col_int(q, 0), db_col_text(q, 1),
		    cp->m.unit_id);
	db_finalize(q);
	html_close(h);
	html_close(h);
	html_open(h, "div", "class", "field", NULL);
	html_elem(h, "label", L(r, "Сотрудник", "Person"), "for",
	    "a-assignee", NULL);
	html_open(h, "select", "id", "a-assignee", "name", "assignee", NULL);
	html_elem(h, "option", L(r, "не указан", "none"), "value", "0", NULL);
	n = staff_list(r->db, r->org->id, &st, &e);
	for (i = 0; i < n; i++)
		id_option(h, st[i].id, st[i].name, cp->m.assignee_id);
	if (n >= 0)
		staff_list_free(st, n);
	html_close(h);
	html_close(h);
	html_elem(h, "button", L(r, "Назначить", "Assign"), "type", "submit",
	    NULL);
	html_close_to(h, d);
}

static void
topic_select(struct req *r, struct html *h, const struct casepage *cp,
    const char *kind, const char *id, const char *label, int64_t cur,
    int64_t suggested)
{
	int i;

	html_open(h, "div", "class", "field", NULL);
	html_elem(h, "label", label, "for", id, NULL);
	html_open(h, "select", "id", id, "name", kind, NULL);
	html_elem(h, "option", L(r, "не указано", "none"), "value", "0", NULL);
	for (i = 0; i < cp->ntopics; i++)
		if (strcmp(cp->topics[i].kind, kind) == 0)
			id_option(h, cp->topics[i].id, cp->topics[i].title,
			    cur != 0 ? cur : suggested);
	html_close(h);
	html_close(h);
}

/* The suggestions for one kind, as text: "Запись на приём — 82 %". */
static int64_t
suggestions(struct req *r, struct html *h, const struct casepage *cp,
    const char *kind, const char *label)
{
	struct fb_suggestion s[SUGGESTIONS];
	struct buf	     text;
	int		     n, i;

	buf_init(&text, FB_TEXT_MAX + FB_SUBJECT_MAX + 2);
	if (cp->m.subject != NULL) {
		buf_puts(&text, cp->m.subject);
		buf_putc(&text, '\n');
	}
	buf_puts(&text, cp->m.text != NULL ? cp->m.text : "");
	n = fb_classifier_suggest(cp->cls, kind, buf_str(&text), s,
	    SUGGESTIONS);
	buf_free(&text);
	html_open(h, "p", "class", "hint", NULL);
	html_text(h, label);
	html_text(h, ": ");
	if (n == 0)
		html_text(h, L(r, "подсказок нет", "no suggestion"));
	for (i = 0; i < n; i++)
		html_textf(h, "%s%s — %.0f %% (%s)", i > 0 ? "; " : "",
		    s[i].title, s[i].confidence * 100,
		    strncmp(s[i].why, "dictionary", 10) == 0
		    ? L(r, "по ключевым словам", "by keywords")
		    : L(r, "по похожим обращениям", "by similar messages"));
	html_close(h);
	return n > 0 ? s[0].id : 0;
}

static void
classify_form(struct req *r, struct html *h, const struct casepage *cp)
{
	int64_t top, rea;
	int	d, i;

	d = step_open(r, h, cp, "classify", L(r, "Тема, причина, форма",
	    "Topic, reason, form"));
	top = suggestions(r, h, cp, "topic", L(r, "Подсказки темы",
	    "Suggested topics"));
	rea = suggestions(r, h, cp, "reason", L(r, "Подсказки причины",
	    "Suggested reasons"));
	topic_select(r, h, cp, "topic", "c-topic", L(r, "Тема", "Topic"),
	    cp->m.topic_id, top);
	topic_select(r, h, cp, "reason", "c-reason", L(r, "Причина",
	    "Reason"), cp->m.reason_id, rea);
	html_open(h, "div", "class", "field", NULL);
	html_elem(h, "label", L(r, "Форма взаимодействия",
	    "Form of interaction"), "for", "c-form", NULL);
	html_open(h, "select", "id", "c-form", "name", "form", NULL);
	html_elem(h, "option", L(r, "не указана", "none"), "value", "", NULL);
	for (i = 0; fb_forms[i].code != NULL; i++)
		html_elem(h, "option", L(r, fb_forms[i].title_ru,
		    fb_forms[i].title_en), "value", fb_forms[i].code,
		    "selected", strcmp(cp->m.form, fb_forms[i].code) == 0 ? ""
		    : NULL, NULL);
	html_close(h);
	html_close(h);
	html_elem(h, "button", L(r, "Сохранить", "Save"), "type", "submit",
	    NULL);
	html_close_to(h, d);
}

/* The templates: a search by words and a choice, each a GET back to this
 * page, which puts the chosen text into the answer for editing. */
static void
template_picker(struct req *r, struct html *h, const struct casepage *cp,
    struct fb_template *v, int n)
{
	char *self = ui_opath(r, "/cases/%lld", (long long)cp->m.id);
	int   i;

	html_open(h, "form", "method", "get", "action", self, "class",
	    "search", "aria-label", L(r, "Шаблоны ответов",
	    "Answer templates"), NULL);
	html_open(h, "div", "class", "field", NULL);
	html_elem(h, "label", L(r, "Найти шаблон по словам",
	    "Find a template by words"), "for", "t-q", NULL);
	html_void(h, "input", "type", "search", "id", "t-q", "name", "tq",
	    "value", req_param(r, "tq"), NULL);
	html_close(h);
	html_open(h, "div", "class", "field", NULL);
	html_elem(h, "label", L(r, "Начать с шаблона", "Start from a template"),
	    "for", "t-id", NULL);
	html_open(h, "select", "id", "t-id", "name", "template", NULL);
	html_elem(h, "option", L(r, "без шаблона", "no template"), "value", "",
	    NULL);
	for (i = 0; i < n; i++)
		id_option(h, v[i].id, v[i].title, 0);
	html_close(h);
	html_close(h);
	html_elem(h, "button", L(r, "Найти или подставить",
	    "Search or use"), "type", "submit", "class", "secondary", NULL);
	html_close(h);
	free(self);
}

static void
answer_form(struct req *r, struct html *h, const struct casepage *cp)
{
	struct fb_template *v = NULL, t;
	struct err	    e;
	const char	   *tid = req_param(r, "template"), *text = "";
	char		    idv[24] = "";
	int		    n, d, have = 0;

	err_clear(&e);
	n = fb_template_list(r->db, r->org->id, req_param(r, "tq"), 1,
	    cp->m.topic_id, &v, &e);
	if (n < 0)
		n = 0;
	html_elem(h, "h2", L(r, "Ответ", "Answer"), "id", "answer", NULL);
	template_picker(r, h, cp, v, n);
	if (!str_empty(req_param(r, "tq")))
		html_elem(h, "p", n == 0 ? L(r, "Шаблонов с этими словами нет.",
		    "No template has these words.")
		    : L(r, "Найденные шаблоны — в списке «Начать с шаблона».",
		    "The templates found are in “Start from a template”."),
		    "class", "hint", "role", "status", NULL);
	if (!str_empty(tid) && fb_template_get(r->db, r->org->id,
	    strtoll(tid, NULL, 10), &t, &e) == 0) {
		text = t.body;
		snprintf(idv, sizeof(idv), "%lld", (long long)t.id);
		have = 1;
	}
	d = step_open(r, h, cp, "answer", L(r, "Текст ответа заявителю",
	    "The answer to the applicant"));
	html_void(h, "input", "type", "hidden", "name", "template_id", "value",
	    idv, NULL);
	html_open(h, "div", "class", "field", NULL);
	html_elem(h, "label", L(r, "Ответ (отредактируйте перед отправкой)",
	    "Answer (edit before sending)"), "for", "s-answer", NULL);
	html_open(h, "textarea", "id", "s-answer", "name", "answer", "rows",
	    "8", "required", "", "autofocus", have ? "" : NULL, NULL);
	html_text(h, text);
	html_close(h);
	html_close(h);
	html_elem(h, "button", L(r, "Отправить ответ", "Send the answer"),
	    "type", "submit", NULL);
	html_close_to(h, d);
	if (have)
		fb_template_clear(&t);
	fb_templates_free(v, n);
}

static void
close_form(struct req *r, struct html *h, const struct casepage *cp)
{
	int d, i;

	d = step_open(r, h, cp, "close", L(r, "Закрыть", "Close"));
	if (strcmp(cp->m.kind, "complaint") == 0) {
		html_open(h, "div", "class", "field", NULL);
		html_elem(h, "label", L(r, "Итог жалобы", "Outcome of the "
		    "complaint"), "for", "x-outcome", "class", "required",
		    NULL);
		html_open(h, "select", "id", "x-outcome", "name", "outcome",
		    "required", "", NULL);
		for (i = 0; fb_outcomes[i].code != NULL; i++)
			html_elem(h, "option", L(r, fb_outcomes[i].title_ru,
			    fb_outcomes[i].title_en), "value",
			    fb_outcomes[i].code, NULL);
		html_close(h);
		html_close(h);
	}
	html_elem(h, "button", L(r, "Закрыть обращение", "Close the case"),
	    "type", "submit", NULL);
	html_close_to(h, d);
}

static void
reopen_form(struct req *r, struct html *h, const struct casepage *cp)
{
	int d;

	d = step_open(r, h, cp, "reopen", L(r, "Вернуть в работу", "Reopen"));
	html_open(h, "div", "class", "field", NULL);
	html_elem(h, "label", L(r, "Почему", "Why"), "for", "o-why", NULL);
	html_void(h, "input", "type", "text", "id", "o-why", "name", "why",
	    NULL);
	html_close(h);
	html_elem(h, "button", L(r, "Вернуть в работу", "Reopen"), "type",
	    "submit", NULL);
	html_close_to(h, d);
}

static void
extend_form(struct req *r, struct html *h, const struct casepage *cp)
{
	int d;

	d = step_open(r, h, cp, "extend", L(r, "Продлить срок (59-ФЗ, ст. 12)",
	    "Extend the term (59-FZ art. 12)"));
	html_elem(h, "p", L(r, "Один раз, не более чем на 30 дней, с "
			      "уведомлением заявителя.",
	    "Once, by at most 30 days, with a notice to the applicant."),
	    "class", "hint", "id", "e-hint", NULL);
	html_open(h, "div", "class", "field", NULL);
	html_elem(h, "label", L(r, "На сколько дней", "By how many days"),
	    "for", "e-days", "class", "required", NULL);
	html_void(h, "input", "type", "number", "id", "e-days", "name", "days",
	    "min", "1", "max", "30", "required", "", "aria-describedby",
	    "e-hint", NULL);
	html_close(h);
	html_open(h, "div", "class", "field", NULL);
	html_elem(h, "label", L(r, "Уведомление заявителю",
	    "Notice to the applicant"), "for", "e-notice", "class",
	    "required", NULL);
	html_open(h, "textarea", "id", "e-notice", "name", "notice", "rows",
	    "3", "required", "", NULL);
	html_close(h);
	html_close(h);
	html_elem(h, "button", L(r, "Продлить", "Extend"), "type", "submit",
	    NULL);
	html_close_to(h, d);
}

static void
case_actions(struct req *r, struct html *h, const struct casepage *cp)
{
	const char *s = cp->m.state;
	int	    open = strcmp(s, "closed") != 0;

	html_open(h, "section", "class", "actions", "aria-labelledby",
	    "actions", NULL);
	html_elem(h, "h2", L(r, "Действия", "Actions"), "id", "actions", NULL);
	if (strcmp(s, "registered") == 0)
		step_button(r, h, cp, "ack", L(r, "Подтвердить получение",
		    "Acknowledge receipt"));
	if (strcmp(s, "registered") == 0 || strcmp(s, "acknowledged") == 0)
		step_button(r, h, cp, "take", L(r, "Взять в работу",
		    "Take into work"));
	if (open)
		assign_form(r, h, cp);
	classify_form(r, h, cp);
	if (strcmp(s, "acknowledged") == 0 || strcmp(s, "in_work") == 0)
		answer_form(r, h, cp);
	if (strcmp(s, "answered") == 0)
		close_form(r, h, cp);
	if (strcmp(s, "answered") == 0 || strcmp(s, "closed") == 0)
		reopen_form(r, h, cp);
	if (open && strcmp(s, "answered") != 0 && cp->m.answer_due != 0 &&
	    !cp->m.extended)
		extend_form(r, h, cp);
	html_close(h);
}

static int
casepage_load(struct req *r, struct casepage *cp)
{
	struct err e;

	memset(cp, 0, sizeof(*cp));
	fb_msg_init(&cp->m);
	err_clear(&e);
	if (fb_get(r->db, r->org->id, r->id, &cp->m, &e) != 0 ||
	    (cp->conf = fb_conf_load(r->db, r->org->id, &e)) == NULL ||
	    (cp->nev = fb_events(r->db, cp->m.id, &cp->ev, &e)) < 0 ||
	    (cp->ntopics = fb_topic_list(r->db, r->org->id, NULL, 1,
	    &cp->topics, &e)) < 0 ||
	    (cp->cls = fb_classifier_shared(r->db, r->org->id, &e)) == NULL) {
		if (cp->nev < 0)
			cp->nev = 0;
		if (cp->ntopics < 0)
			cp->ntopics = 0;
		ui_fail(r, &e);
		return -1;
	}
	return 0;
}

int
ui_fb_case(struct req *r)
{
	struct casepage cp;
	struct html	h;
	struct buf	title;
	int64_t		now = clock_now();
	char	       *p;

	if (casepage_load(r, &cp) != 0) {
		casepage_free(&cp);
		return 0;
	}
	buf_init(&title, 1024);
	buf_printf(&title, "%s %s", L(r, "Обращение", "Case"), cp.m.code);
	ui_begin(r, &h, buf_str(&title));
	ui_fb_subnav(r, &h, -1);
	html_elem(&h, "h1", buf_str(&title), NULL);
	notice(r, &h);
	p = ui_opath(r, "/cases");
	html_open(&h, "p", NULL);
	html_elem(&h, "a", L(r, "← К очереди", "← Back to the queue"), "href",
	    p, NULL);
	html_close(&h);
	free(p);
	case_timers(r, &h, &cp, now);
	case_fields(r, &h, &cp);
	case_actions(r, &h, &cp);
	case_events(r, &h, &cp);
	ui_end(r, &h);
	buf_free(&title);
	casepage_free(&cp);
	return 0;
}

/*
 * The steps, each a POST answered by a redirect to the case.
 */

static int
step_done(struct req *r, int rc, const struct err *e, const char *done)
{
	if (rc != 0)
		return ui_fail(r, e);
	return ui_redirect(r, ui_opath(r, "/cases/%lld?done=%s", (long long)r->id,
	    done));
}

static int64_t
param_id(struct req *r, const char *name)
{
	const char *v = req_param(r, name);

	return str_empty(v) ? 0 : strtoll(v, NULL, 10);
}

/* A step that needs the configuration (timers, calendar). */
static int
conf_step(struct req *r, const char *done,
    int (*fn)(struct req *, const struct fb_conf *, struct err *))
{
	struct fb_conf *conf;
	struct err	e;
	int		rc;

	if ((conf = conf_or_fail(r)) == NULL)
		return 0;
	err_clear(&e);
	rc = fn(r, conf, &e);
	fb_conf_free(conf);
	return step_done(r, rc, &e, done);
}

static int
do_ack(struct req *r, const struct fb_conf *c, struct err *e)
{
	return fb_acknowledge(r->db, c, r->session->login, r->org->id, r->id,
	    e);
}

static int
do_take(struct req *r, const struct fb_conf *c, struct err *e)
{
	return fb_take(r->db, c, r->session->login, r->org->id, r->id, e);
}

static int
do_answer(struct req *r, const struct fb_conf *c, struct err *e)
{
	const char *a = req_param(r, "answer");

	if (str_empty(a))
		return err_set(e, EXIT_DATAERR, "%s", L(r, "ответ: пустой",
		    "answer: empty"));
	return fb_answer(r->db, c, r->session->login, r->org->id, r->id, a,
	    param_id(r, "template_id"), e);
}

static int
do_close(struct req *r, const struct fb_conf *c, struct err *e)
{
	const char *o = req_param(r, "outcome");

	return fb_close(r->db, c, r->session->login, r->org->id, r->id,
	    str_empty(o) ? NULL : o, e);
}

static int
do_reopen(struct req *r, const struct fb_conf *c, struct err *e)
{
	const char *w = req_param(r, "why");

	return fb_reopen(r->db, c, r->session->login, r->org->id, r->id,
	    str_empty(w) ? "staff" : w, e);
}

static int
do_extend(struct req *r, const struct fb_conf *c, struct err *e)
{
	const char *n = req_param(r, "notice");

	if (str_empty(n))
		return err_set(e, EXIT_DATAERR, "%s", L(r, "уведомление: "
		    "напишите текст уведомления заявителю", "notice: write "
		    "the notice to the applicant"));
	return fb_extend(r->db, c, r->session->login, r->org->id, r->id,
	    (int)strtol(req_param(r, "days"), NULL, 10), n, e);
}

int
ui_fb_ack(struct req *r)
{
	return conf_step(r, "ack", do_ack);
}

int
ui_fb_take(struct req *r)
{
	return conf_step(r, "take", do_take);
}

int
ui_fb_answer(struct req *r)
{
	return conf_step(r, "answer", do_answer);
}

int
ui_fb_close(struct req *r)
{
	return conf_step(r, "close", do_close);
}

int
ui_fb_reopen(struct req *r)
{
	return conf_step(r, "reopen", do_reopen);
}

int
ui_fb_extend(struct req *r)
{
	return conf_step(r, "extend", do_extend);
}

int
ui_fb_assign(struct req *r)
{
	struct err e;

	err_clear(&e);
	return step_done(r, fb_assign(r->db, r->session->login, r->org->id,
	    r->id, param_id(r, "unit"), param_id(r, "assignee"), &e), &e,
	    "assign");
}

int
ui_fb_classify(struct req *r)
{
	struct err  e;
	const char *f = req_param(r, "form");

	err_clear(&e);
	return step_done(r, fb_classify(r->db, r->session->login, r->org->id,
	    r->id, param_id(r, "topic"), param_id(r, "reason"),
	    str_empty(f) ? NULL : f, &e), &e, "classify");
}

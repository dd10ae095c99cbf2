/*
 * Feedback (R-FB): the code tables and the checks a message passes as it
 * arrives, the same for the public form, the API, staff registration and
 * import; what an organization's configuration means for a new message
 * (fb_conf) and the deadlines it gets.  Storage is in feedback_store.c.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "cal.h"
#include "db.h"
#include "feedback.h"
#include "registry.h"

/* A message time may lie this far ahead of our clock (another system's
 * clock, a staff member's watch). */
#define CLOCK_SKEW	60
#define WAIT_MAX	(7 * 24 * 60)	/* minutes: a week of queueing */
#define TRANSFERS_MAX	100
#define PHONE_DIGITS_MIN 5
#define PHONE_DIGITS_MAX 20

const struct fb_code fb_kinds[] = {
	{"appeal", "Обращение", "Appeal"},
	{"complaint", "Жалоба", "Complaint"},
	{"request", "Запрос", "Request"},
	{"comment", "Комментарий", "Comment"},
	{"mention", "Упоминание", "Mention"},
	{"post", "Публикация", "Post"},
	{"proposal", "Предложение", "Proposal"},
	{NULL, NULL, NULL},
};

const struct fb_code fb_states[] = {
	{"registered", "Зарегистрировано", "Registered"},
	{"acknowledged", "Получение подтверждено", "Acknowledged"},
	{"in_work", "В работе", "In work"},
	{"answered", "Дан ответ", "Answered"},
	{"closed", "Закрыто", "Closed"},
	{NULL, NULL, NULL},
};

/* The forms of interaction of R-FB-3 [003 §1.4]. */
const struct fb_code fb_forms[] = {
	{"service", "Предоставление государственной услуги",
	    "A state service"},
	{"support", "Предоставление меры поддержки", "A support measure"},
	{"control", "Контрольная (надзорная) деятельность",
	    "Control and supervision"},
	{"prevention", "Профилактика нарушений обязательных требований",
	    "Prevention of violations"},
	{"appeals", "Рассмотрение обращений и запросов",
	    "Handling of appeals and requests"},
	{"information", "Доступ к информации о деятельности органа",
	    "Access to information about the body"},
	{"internal", "Внутренние процессы гражданских служащих",
	    "Internal processes of employees"},
	{NULL, NULL, NULL},
};

const struct fb_code fb_sources[] = {
	{"direct", "Поступило непосредственно", "Received directly"},
	{"pos", "Платформа обратной связи (ПОС)", "Feedback platform (POS)"},
	{"epgu", "Единый портал государственных услуг (ЕПГУ)",
	    "State services portal (EPGU)"},
	{"survey", "Анкетирование", "Survey"},
	{"media", "Анализ СМИ и социальных сетей",
	    "Media and social network analysis"},
	{NULL, NULL, NULL},
};

const struct fb_code fb_outcomes[] = {
	{"satisfied", "Удовлетворена", "Satisfied"},
	{"unsatisfied", "Не удовлетворена", "Unsatisfied"},
	{NULL, NULL, NULL},
};

/* The steps of a message's history (fb_event.action). */
const struct fb_code fb_actions[] = {
	{"registered", "Зарегистрировано", "Registered"},
	{"acknowledged", "Подтверждено получение", "Receipt acknowledged"},
	{"taken", "Взято в работу", "Taken into work"},
	{"assigned", "Назначен ответственный", "Assigned"},
	{"transferred", "Передано другому сотруднику", "Transferred"},
	{"classified", "Указаны тема и причина", "Classified"},
	{"answered", "Дан ответ", "Answered"},
	{"extended", "Срок продлён (59-ФЗ)", "Deadline extended (59-FZ)"},
	{"closed", "Закрыто", "Closed"},
	{"reopened", "Возвращено в работу", "Reopened"},
	{"client_solved", "Заявитель: проблема решена",
	    "Client: the problem is solved"},
	{"client_not_solved", "Заявитель: проблема не решена",
	    "Client: the problem is not solved"},
	{NULL, NULL, NULL},
};

static const struct fb_code fb_clients[] = {
	{"external", "Внешний клиент", "External client"},
	{"internal", "Внутренний клиент", "Internal client"},
	{NULL, NULL, NULL},
};

/*
 * The joined lists, written out so that fb_code_list needs neither
 * memory nor a lock (the server calls it from many threads); the unit
 * test checks that they agree with the tables.
 */
static const struct {
	const struct fb_code *table;
	const char	     *list;
} code_lists[] = {
	{fb_kinds, "appeal, complaint, request, comment, mention, post, "
		   "proposal"},
	{fb_states, "registered, acknowledged, in_work, answered, closed"},
	{fb_forms, "service, support, control, prevention, appeals, "
		   "information, internal"},
	{fb_sources, "direct, pos, epgu, survey, media"},
	{fb_outcomes, "satisfied, unsatisfied"},
	{fb_clients, "external, internal"},
};

const struct fb_code *
fb_code_find(const struct fb_code *t, const char *code)
{
	if (t == NULL || code == NULL)
		return NULL;
	for (; t->code != NULL; t++)
		if (strcmp(t->code, code) == 0)
			return t;
	return NULL;
}

const char *
fb_code_list(const struct fb_code *t)
{
	size_t i;

	for (i = 0; i < nitems(code_lists); i++)
		if (code_lists[i].table == t)
			return code_lists[i].list;
	return "";
}

void
fb_msg_init(struct fb_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->wait_minutes = -1;
	m->solved = -1;
}

void
fb_msg_clear(struct fb_msg *m)
{
	free(m->external_id);
	free(m->service);
	free(m->situation);
	free(m->subject);
	free(m->text);
	free(m->extension_note);
	free(m->answer);
	free(m->topic);
	free(m->reason);
	free(m->unit);
	free(m->assignee);
	free(m->assignee_login);
	free(m->touchpoint);
	fb_msg_init(m);
}

void
fb_contact_clear(struct fb_contact *c)
{
	free(c->name);
	free(c->email);
	free(c->phone);
	free(c->address);
	free(c->key);
	memset(c, 0, sizeof(*c));
}

int
fb_contact_empty(const struct fb_contact *c)
{
	return c == NULL || (c->name == NULL && c->email == NULL &&
	    c->phone == NULL && c->address == NULL && c->key == NULL);
}

/*
 * The checks of one text: valid UTF-8 and no control characters (line
 * breaks and tabs only where lines are allowed).  C1 controls
 * (U+0080–U+009F) count as control characters too: they reach us from
 * badly converted files and show as nothing.
 */
static int
text_bad(const char *s, int lines, const char **why)
{
	const unsigned char *p;

	if (utf8_invalid_at(s, strlen(s)) >= 0) {
		*why = "is not valid UTF-8 text";
		return 1;
	}
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (lines && (*p == '\n' || *p == '\t' || *p == '\r'))
			continue;
		if (*p < 0x20 || *p == 0x7f ||
		    (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)) {
			*why = "contains control characters";
			return 1;
		}
	}
	return 0;
}

/*
 * Checks and normalizes one optional text field in place: white space
 * squeezed (line breaks kept when lines is set), an empty value becomes
 * NULL.  max is in bytes after squeezing.
 */
static int
check_text(char **v, const char *name, size_t max, int lines,
    const char **field, struct err *e)
{
	const char *why;
	char	   *t;
	size_t	    len;

	if (*v == NULL)
		return 0;
	/* A value far past the limit is refused before it is copied. */
	len = strlen(*v);
	if (len > 4 * max)
		goto toolong;
	if (text_bad(*v, lines, &why)) {
		*field = name;
		return err_set(e, EXIT_DATAERR, "%s %s", name, why);
	}
	t = lines ? str_squeeze_lines(*v) : str_squeeze(*v);
	free(*v);
	*v = NULL;
	if (*t == '\0') {
		free(t);
		return 0;
	}
	*v = t;
	if (strlen(t) > max)
		goto toolong;
	return 0;
toolong:
	*field = name;
	return err_set(e, EXIT_DATAERR, "%s is longer than %zu bytes", name,
	    max);
}

int
fb_text_check(char **text, const char *name, size_t max, int lines,
    struct err *e)
{
	const char *field;

	return check_text(text, name, max, lines, &field, e);
}

static void
lower_ascii(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

/*
 * A code field: lower-cased in place, then looked up.  An empty one takes
 * def (NULL: it is required).
 */
static int
check_code(char *v, size_t size, const char *name, const struct fb_code *t,
    const char *def, const char **field, struct err *e)
{
	lower_ascii(v);
	if (*v == '\0' && def != NULL)
		snprintf(v, size, "%s", def);
	if (*v == '\0') {
		*field = name;
		return err_set(e, EXIT_DATAERR, "%s is required: one of %s",
		    name, fb_code_list(t));
	}
	if (fb_code_find(t, v) == NULL) {
		*field = name;
		return err_set(e, EXIT_DATAERR, "%s is not one of %s", name,
		    fb_code_list(t));
	}
	return 0;
}

static int
check_channel(struct fb_msg *m, const char **field, struct err *e)
{
	lower_ascii(m->channel);
	if (m->channel[0] == '\0' || channel_from_code(m->channel) < 0) {
		*field = "channel";
		return err_set(e, EXIT_DATAERR, "channel %s: a channel code of "
		    "the registry (site, email, pos, phone, reception, social "
		    "…)", m->channel[0] == '\0' ? "is required" : "is unknown");
	}
	return 0;
}

static int
check_codes(struct fb_msg *m, const char **field, struct err *e)
{
	if (check_code(m->kind, sizeof(m->kind), "kind", fb_kinds, NULL,
		field, e) != 0 ||
	    check_channel(m, field, e) != 0 ||
	    check_code(m->source, sizeof(m->source), "source", fb_sources,
		"direct", field, e) != 0 ||
	    check_code(m->client, sizeof(m->client), "client", fb_clients,
		"external", field, e) != 0)
		return -1;
	lower_ascii(m->form);
	if (m->form[0] != '\0' && fb_code_find(fb_forms, m->form) == NULL) {
		*field = "form";
		return err_set(e, EXIT_DATAERR, "form is not one of %s",
		    fb_code_list(fb_forms));
	}
	return 0;
}

static int
check_numbers(struct fb_msg *m, const char **field, struct err *e)
{
	int64_t now = clock_now();

	if (m->rating != 0 && (m->rating < 1 || m->rating > 5)) {
		*field = "rating";
		return err_set(e, EXIT_DATAERR, "rating must be from 1 to 5");
	}
	if (m->received_at == 0)
		m->received_at = now;
	if (m->received_at < 0 || m->received_at > now + CLOCK_SKEW) {
		*field = "received_at";
		return err_set(e, EXIT_DATAERR, "received_at lies in the "
		    "future");
	}
	if (m->wait_minutes < -1 || m->wait_minutes > WAIT_MAX) {
		*field = "wait_minutes";
		return err_set(e, EXIT_DATAERR, "wait_minutes must be from 0 "
		    "to %d", WAIT_MAX);
	}
	if (m->transfers < 0 || m->transfers > TRANSFERS_MAX) {
		*field = "transfers";
		return err_set(e, EXIT_DATAERR, "transfers must be from 0 to "
		    "%d", TRANSFERS_MAX);
	}
	if (m->touchpoint_id < 0) {
		*field = "touchpoint";
		return err_set(e, EXIT_DATAERR, "touchpoint is not an id");
	}
	return 0;
}

/* local@domain.tld without spaces: enough to catch a typo or a name typed
 * into the wrong box; the address is proved only by an answer reaching
 * it. */
static int
email_ok(const char *s)
{
	const char *at = strchr(s, '@'), *dot;

	if (at == NULL || at == s || strchr(at + 1, '@') != NULL ||
	    strchr(s, ' ') != NULL)
		return 0;
	dot = strrchr(at + 1, '.');
	return dot != NULL && dot > at + 1 && dot[1] != '\0';
}

/* Digits with the usual + ( ) - . and spaces; the number of digits of a
 * short internal extension up to an international number with a prefix. */
static int
phone_ok(const char *s)
{
	int digits = 0;

	for (; *s != '\0'; s++) {
		if (isdigit((unsigned char)*s))
			digits++;
		else if (strchr("+()-. ", *s) == NULL)
			return 0;
	}
	return digits >= PHONE_DIGITS_MIN && digits <= PHONE_DIGITS_MAX;
}

static int
key_ok(char *k)
{
	size_t i;

	lower_ascii(k);
	if (strlen(k) != 64)
		return 0;
	for (i = 0; i < 64; i++)
		if (!isxdigit((unsigned char)k[i]))
			return 0;
	return 1;
}

static int
wants_answer_by_law(const char *kind)
{
	return strcmp(kind, "appeal") == 0 || strcmp(kind, "complaint") == 0;
}

/*
 * Contact details.  Without the consent only an appeal or a complaint may
 * carry them, because 59-FZ requires the address to answer it.  A name
 * alone, on an appeal or a complaint, is a client who wants an answer and
 * gave no way to send it; anonymous ones (no details at all) are allowed
 * (R-FB-8), and the law lets them go unanswered.  The history key is not
 * personal data by itself: it points at a contact already held.
 */
static int
check_contact(const struct fb_msg *m, struct fb_contact *c,
    const char **field, struct err *e)
{
	if (c == NULL)
		return 0;
	if (check_text(&c->name, "name", FB_FIELD_MAX, 0, field, e) != 0 ||
	    check_text(&c->email, "email", FB_FIELD_MAX, 0, field, e) != 0 ||
	    check_text(&c->phone, "phone", FB_FIELD_MAX, 0, field, e) != 0 ||
	    check_text(&c->address, "address", FB_FIELD_MAX, 1, field, e) != 0 ||
	    check_text(&c->key, "key", 64, 0, field, e) != 0)
		return -1;
	if (c->email != NULL && !email_ok(c->email)) {
		*field = "email";
		return err_set(e, EXIT_DATAERR, "email is not an e-mail "
		    "address (name@example.ru)");
	}
	if (c->phone != NULL && !phone_ok(c->phone)) {
		*field = "phone";
		return err_set(e, EXIT_DATAERR, "phone must have %d to %d "
		    "digits (and only + ( ) - . and spaces besides)",
		    PHONE_DIGITS_MIN, PHONE_DIGITS_MAX);
	}
	if (c->key != NULL && !key_ok(c->key)) {
		*field = "key";
		return err_set(e, EXIT_DATAERR, "key is not a history key "
		    "(64 hexadecimal digits)");
	}
	if (c->name == NULL && c->email == NULL && c->phone == NULL &&
	    c->address == NULL)
		return 0;
	if (!c->consent && !wants_answer_by_law(m->kind)) {
		*field = "consent";
		return err_set(e, EXIT_DATAERR, "consent is needed to keep "
		    "contact details with a message of kind %s (only an appeal "
		    "or a complaint is answered by law)", m->kind);
	}
	if (wants_answer_by_law(m->kind) && c->key == NULL &&
	    c->email == NULL && c->phone == NULL && c->address == NULL) {
		*field = "email";
		return err_set(e, EXIT_DATAERR, "email, phone or address: an "
		    "appeal or a complaint with a name needs one of them for "
		    "the answer");
	}
	return 0;
}

int
fb_validate(struct fb_msg *m, struct fb_contact *c, const char **field,
    struct err *e)
{
	static const char *none = "";

	*field = none;
	if (check_codes(m, field, e) != 0 ||
	    check_text(&m->text, "text", FB_TEXT_MAX, 1, field, e) != 0)
		return -1;
	if (m->text == NULL) {
		*field = "text";
		return err_set(e, EXIT_DATAERR, "text is required");
	}
	if (check_text(&m->subject, "subject", FB_SUBJECT_MAX, 0, field, e) ||
	    check_text(&m->service, "service", FB_FIELD_MAX, 0, field, e) ||
	    check_text(&m->situation, "situation", FB_FIELD_MAX, 0, field, e) ||
	    check_text(&m->external_id, "external_id", FB_EXTERNAL_MAX, 0,
		field, e) ||
	    check_numbers(m, field, e) != 0 ||
	    check_contact(m, c, field, e) != 0)
		return -1;
	return 0;
}

/* The unit of a standard as stored in fb_standard. */
static int
unit_from_text(const char *s, enum std_unit *u)
{
	static const char *const names[] = {"minutes", "hours", "days",
	    "workdays", "count"};
	size_t i;

	for (i = 0; s != NULL && i < nitems(names); i++)
		if (strcmp(s, names[i]) == 0) {
			*u = (enum std_unit)i;
			return 0;
		}
	return -1;
}

static int
conf_org(struct db *db, struct fb_conf *c, struct err *e)
{
	struct db_stmt *s;
	int		r;

	s = db_prepare(db, "SELECT tz, region FROM org WHERE id = ?", "i",
	    c->org_id);
	if (s == NULL || (r = db_step(s)) == DB_FAIL) {
		db_finalize(s);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	if (r != DB_ROW) {
		db_finalize(s);
		return err_set(e, EXIT_NOINPUT, "no organization %lld",
		    (long long)c->org_id);
	}
	c->tz = db_col_dup(s, 0);
	c->region = db_col_dup(s, 1);
	db_finalize(s);
	return 0;
}

static int
conf_hours(struct db *db, struct fb_conf *c, struct err *e)
{
	struct db_stmt	 *s;
	struct work_hours h;
	char		  why[128];
	int		  r;

	s = db_prepare(db, "SELECT work_start, work_end FROM fb_hours WHERE "
			   "org_id = ?", "i", c->org_id);
	if (s == NULL || (r = db_step(s)) == DB_FAIL) {
		db_finalize(s);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	if (r == DB_ROW) {
		h.start = (int)db_col_int(s, 0);
		h.end = (int)db_col_int(s, 1);
		/* Hours the timers could not use keep the default, as the
		 * timer functions would. */
		if (work_hours_check(&h, why, sizeof(why)) == 0)
			c->hours = h;
	}
	db_finalize(s);
	return 0;
}

/*
 * The organization's standards over the defaults.  A row that would
 * loosen a standard (it cannot be stored through the dictionaries, but a
 * database may be edited by hand) is ignored: the default holds.
 */
static int
conf_standards(struct db *db, struct fb_conf *c, struct err *e)
{
	struct db_stmt *s;
	struct std_conf sc;
	char		why[160];
	int		k, r;

	for (k = 0; k < STD__COUNT; k++)
		std_conf_default((enum std_code)k, &c->std[k]);
	s = db_prepare(db, "SELECT code, amount, unit, working, enabled FROM "
			   "fb_standard WHERE org_id = ?", "i", c->org_id);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	while ((r = db_step(s)) == DB_ROW) {
		if ((k = std_from_code(db_col_text(s, 0))) < 0 ||
		    unit_from_text(db_col_text(s, 2), &sc.unit) != 0)
			continue;
		sc.amount = (int)db_col_int(s, 1);
		sc.working = db_col_int(s, 3) != 0;
		sc.enabled = db_col_int(s, 4) != 0;
		if (std_conf_check((enum std_code)k, &sc, why,
			sizeof(why)) == 0)
			c->std[k] = sc;
	}
	db_finalize(s);
	if (r == DB_FAIL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	return 0;
}

struct fb_conf *
fb_conf_load(struct db *db, int64_t org_id, struct err *e)
{
	struct fb_conf		*c;
	const struct work_hours def = WORK_HOURS_DEFAULT;

	c = xcalloc(1, sizeof(*c));
	c->org_id = org_id;
	c->hours = def;
	if (conf_org(db, c, e) != 0 || conf_hours(db, c, e) != 0 ||
	    conf_standards(db, c, e) != 0 ||
	    (c->cal = cal_open(db, c->region, e)) == NULL) {
		fb_conf_free(c);
		return NULL;
	}
	return c;
}

void
fb_conf_free(struct fb_conf *c)
{
	if (c == NULL)
		return;
	cal_close(c->cal);
	free(c->tz);
	free(c->region);
	free(c);
}

static int64_t
std_due(const struct fb_conf *c, enum std_code k, int64_t t0)
{
	const struct std_conf *sc = &c->std[k];

	if (!sc->enabled || sc->unit == STD_COUNT)
		return 0;
	return timer_deadline(c->cal, c->tz, &c->hours, t0, sc->amount,
	    sc->unit, sc->working);
}

static int64_t
earlier(int64_t a, int64_t b)
{
	if (a == 0)
		return b;
	if (b == 0)
		return a;
	return a < b ? a : b;
}

/*
 * Every timer starts when the message was received.  For a message
 * registered here that is the registration within minutes; for an
 * imported one it is the date of the other system, where the client's
 * clock started.  Starting at receipt rather than at our registration is
 * also the stricter reading of 59-FZ (30 days from registration, which
 * must follow receipt within 3 days).
 *
 * The acknowledgement is due under ack_written.  The answer is due under
 * answer_59fz or answer_pos, the earlier when both apply (an appeal
 * through the platform); a social network or a chat is answered within
 * its social_* hours instead, and since that answer is the first reply
 * there is no separate acknowledgement.  Phone transfers and the
 * reception queue are limits on a count and a wait, not deadlines.
 */
void
fb_deadlines(const struct fb_conf *c, struct fb_msg *m)
{
	enum std_code applies[STD__COUNT];
	int	      i, n;
	int64_t	      t0 = m->received_at;

	m->ack_due = 0;
	m->answer_due = 0;
	n = std_applies(m->channel, m->kind, m->source, applies);
	for (i = 0; i < n; i++) {
		switch (applies[i]) {
		case STD_ACK_WRITTEN:
			m->ack_due = std_due(c, applies[i], t0);
			break;
		case STD_SOCIAL_MENTION:
		case STD_SOCIAL_APPEAL:
		case STD_ANSWER_59FZ:
		case STD_ANSWER_POS:
			m->answer_due = earlier(m->answer_due,
			    std_due(c, applies[i], t0));
			break;
		default:
			break;
		}
	}
}

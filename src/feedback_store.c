/*
 * Feedback in the database: messages stored with their tracking codes,
 * contacts and their legal basis, the lifecycle of a case (R-FB-4) with
 * an event and an audit entry for every step, the staff lists and the
 * client's history.  Audit entries and events name the message and its
 * codes, never the client nor the text (they outlive a contact's
 * destruction, R-PD-2).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "otklik.h"
#include "audit.h"
#include "db.h"
#include "feedback.h"
#include "rollup.h"

#define CODE_CHARS	10
#define CODE_TRIES	8
#define KEY_BYTES	32
#define LIST_DEFAULT	100
#define LIST_MAX	1000
#define HISTORY_MAX	1000
#define NOTE_MAX	FB_FIELD_MAX
#define DAY		86400
/* Personal data is destroyed within 30 days of its basis ending (R-PD-2,
 * 152-FZ art. 21 part 5). */
#define DESTROY_DAYS	30
/*
 * Contact details are kept five years after the answer (or the consent),
 * the term the standard list of archival documents of Rosarkhiv (order
 * No. 236 of 20.12.2019) sets for citizens' appeals.  The consent text
 * (version "1") states the same term.
 */
#define KEEP_YEARS	5
#define PURPOSE		"рассмотрение обращения и ответ на него"
#define CONSENT_VERSION "1"

#define MSG_COLS                                                             \
	"m.id, m.org_id, m.code, m.external_id, m.source, m.channel, m.kind, " \
	"m.client, m.form, m.touchpoint_id, m.service, m.situation, "        \
	"m.subject, m.text, m.rating, m.topic_id, m.reason_id, m.state, "    \
	"m.outcome, m.received_at, m.registered_at, m.acknowledged_at, "     \
	"m.in_work_at, m.answered_at, m.closed_at, m.ack_due, m.answer_due, " \
	"m.extended, m.extension_note, m.unit_id, m.assignee_id, "           \
	"m.transfers, m.wait_minutes, m.answer, m.template_id, m.solved, "   \
	"m.reopened, m.contact_id, tt.title, tr.title, u.name, s.name, "     \
	"s.login, (SELECT r.name FROM touchpoint_rev r WHERE "                \
	"r.touchpoint_id = m.touchpoint_id AND r.valid_from IS NOT NULL "    \
	"ORDER BY r.valid_from DESC LIMIT 1) "
#define MSG_FROM                                                        \
	"FROM fb_message m LEFT JOIN fb_topic tt ON tt.id = m.topic_id "    \
	"LEFT JOIN fb_topic tr ON tr.id = m.reason_id "                     \
	"LEFT JOIN unit u ON u.id = m.unit_id "                             \
	"LEFT JOIN staff s ON s.id = m.assignee_id "

static char *
col_opt(struct db_stmt *s, int i)
{
	return db_col_null(s, i) ? NULL : db_col_dup(s, i);
}

static void
col_code(struct db_stmt *s, int i, char *out, size_t size)
{
	const char *t = db_col_text(s, i);

	snprintf(out, size, "%s", t != NULL ? t : "");
}

static void
msg_from_row(struct db_stmt *s, struct fb_msg *m)
{
	fb_msg_init(m);
	m->id = db_col_int(s, 0);
	m->org_id = db_col_int(s, 1);
	col_code(s, 2, m->code, sizeof(m->code));
	m->external_id = col_opt(s, 3);
	col_code(s, 4, m->source, sizeof(m->source));
	col_code(s, 5, m->channel, sizeof(m->channel));
	col_code(s, 6, m->kind, sizeof(m->kind));
	col_code(s, 7, m->client, sizeof(m->client));
	col_code(s, 8, m->form, sizeof(m->form));
	m->touchpoint_id = db_col_int(s, 9);
	m->service = col_opt(s, 10);
	m->situation = col_opt(s, 11);
	m->subject = col_opt(s, 12);
	m->text = db_col_dup(s, 13);
	m->rating = (int)db_col_int(s, 14);
	m->topic_id = db_col_int(s, 15);
	m->reason_id = db_col_int(s, 16);
	col_code(s, 17, m->state, sizeof(m->state));
	col_code(s, 18, m->outcome, sizeof(m->outcome));
	m->received_at = db_col_int(s, 19);
	m->registered_at = db_col_int(s, 20);
	m->acknowledged_at = db_col_int(s, 21);
	m->in_work_at = db_col_int(s, 22);
	m->answered_at = db_col_int(s, 23);
	m->closed_at = db_col_int(s, 24);
	m->ack_due = db_col_int(s, 25);
	m->answer_due = db_col_int(s, 26);
	m->extended = (int)db_col_int(s, 27);
	m->extension_note = col_opt(s, 28);
	m->unit_id = db_col_int(s, 29);
	m->assignee_id = db_col_int(s, 30);
	m->transfers = (int)db_col_int(s, 31);
	m->wait_minutes = db_col_null(s, 32) ? -1 : (int)db_col_int(s, 32);
	m->answer = col_opt(s, 33);
	m->template_id = db_col_int(s, 34);
	m->solved = db_col_null(s, 35) ? -1 : (int)db_col_int(s, 35);
	m->reopened = (int)db_col_int(s, 36);
	m->contact_id = db_col_int(s, 37);
	m->topic = col_opt(s, 38);
	m->reason = col_opt(s, 39);
	m->unit = col_opt(s, 40);
	m->assignee = col_opt(s, 41);
	m->assignee_login = col_opt(s, 42);
	m->touchpoint = col_opt(s, 43);
}

/* Hex of BLAKE2b-256 of a history key: what fb_contact keeps. */
static void
key_hash(const char *key, char out[65])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)key,
	    strlen(key), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

static void
code_make(char out[FB_CODE_LEN + 1])
{
	/* Crockford's base32: no I, L, O, U to misread or misspell. */
	static const char digits[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	unsigned char	  rnd[CODE_CHARS];
	int		  i, j = 0;

	/* One call for all the characters: a system call each would cost
	 * more than the rest of a message's insertion.  32 divides 256, so
	 * the low five bits of a byte are uniform. */
	randombytes_buf(rnd, sizeof(rnd));
	for (i = 0; i < CODE_CHARS; i++) {
		if (i == 4)
			out[j++] = '-';
		out[j++] = digits[rnd[i] & 31];
	}
	out[j] = '\0';
}

/*
 * A code as a client may type it: any case, with or without the dash or
 * spaces, O for 0 and I or L for 1 as Crockford allows.  0 and the
 * canonical form, or -1.
 */
static int
code_normalize(const char *in, char out[FB_CODE_LEN + 1])
{
	static const char digits[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	char		  raw[CODE_CHARS];
	int		  n = 0, ch, i, j = 0;

	for (; *in != '\0'; in++) {
		ch = toupper((unsigned char)*in);
		if (ch == '-' || ch == ' ')
			continue;
		if (ch == 'O')
			ch = '0';
		else if (ch == 'I' || ch == 'L')
			ch = '1';
		if (ch == '\0' || strchr(digits, ch) == NULL || n == CODE_CHARS)
			return -1;
		raw[n++] = (char)ch;
	}
	if (n != CODE_CHARS)
		return -1;
	for (i = 0; i < CODE_CHARS; i++) {
		if (i == 4)
			out[j++] = '-';
		out[j++] = raw[i];
	}
	out[j] = '\0';
	return 0;
}

/* The same calendar date KEEP_YEARS later (29 February: the 28th). */
static int64_t
add_years(int64_t t, int years)
{
	int32_t day = (int32_t)(t >= 0 ? t / DAY : (t - DAY + 1) / DAY);
	int64_t sec = t - (int64_t)day * DAY;
	int	y, mo, d;

	date_to_ymd(day, &y, &mo, &d);
	if (mo == 2 && d == 29)
		d = 28;
	return (int64_t)date_from_ymd(y + years, mo, d) * DAY + sec;
}

static char *
codes_json(const struct fb_msg *m, const char *state)
{
	json_t *j;
	char   *s;

	j = json_pack("{s:s, s:s}", "code", m->code, "state", state);
	if (m->outcome[0] != '\0')
		json_object_set_new(j, "outcome", json_string(m->outcome));
	s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

/*
 * One step of a message: its event and its audit entry, in the open
 * transaction.  The audit entry holds the codes and the states only.
 */
static int
record(struct db *db, const char *actor, const struct fb_msg *m,
    const char *action, const char *from, const char *to,
    const char *detail, int64_t at, struct err *e)
{
	char  obj[48], act[48];
	char *before = NULL, *after;
	int   r;

	if (db_run(db, NULL,
		"INSERT INTO fb_event (message_id, org_id, at, actor, action, "
		"from_state, to_state, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		"iiitttt" "t", m->id, m->org_id, at, actor, action, from, to,
		detail) != 0)
		return err_set(e, EXIT_IOERR, "message %lld: event: %s",
		    (long long)m->id, db_errmsg(db));
	snprintf(obj, sizeof(obj), "message:%lld", (long long)m->id);
	snprintf(act, sizeof(act), "feedback.%s", action);
	if (from != NULL)
		before = codes_json(m, from);
	after = codes_json(m, to != NULL ? to : m->state);
	r = audit_append(db, actor, m->org_id, act, obj, before, after, e);
	free(before);
	free(after);
	return r;
}

static int
find_external(struct db *db, struct fb_msg *m, struct err *e)
{
	struct db_stmt *s;
	int		r;

	s = db_prepare(db, "SELECT id, code FROM fb_message WHERE org_id = ? "
			   "AND source = ? AND external_id = ?",
	    "itt", m->org_id, m->source, m->external_id);
	if (s == NULL || (r = db_step(s)) == DB_FAIL) {
		db_finalize(s);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	if (r == DB_ROW) {
		m->id = db_col_int(s, 0);
		col_code(s, 1, m->code, sizeof(m->code));
		db_finalize(s);
		return 1;
	}
	db_finalize(s);
	return 0;
}

static int
exists(struct db *db, const char *sql, int64_t a, int64_t b, struct err *e)
{
	struct db_stmt *s;
	int		r;

	s = db_prepare(db, sql, "ii", a, b);
	if (s == NULL || (r = db_step(s)) == DB_FAIL) {
		db_finalize(s);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	db_finalize(s);
	return r == DB_ROW;
}

/* The data a basis covers, as the consent names it. */
static void
data_list(const struct fb_contact *ct, char *out, size_t size)
{
	struct buf b;

	buf_init(&b, size);
	if (ct->name != NULL)
		buf_puts(&b, "имя");
	if (ct->email != NULL)
		buf_printf(&b, "%sадрес электронной почты", b.len ? ", " : "");
	if (ct->phone != NULL)
		buf_printf(&b, "%sномер телефона", b.len ? ", " : "");
	if (ct->address != NULL)
		buf_printf(&b, "%sпочтовый адрес", b.len ? ", " : "");
	if (b.len == 0)		/* a history key alone */
		buf_puts(&b, "контактные данные, указанные ранее");
	snprintf(out, size, "%s", buf_str(&b));
	buf_free(&b);
}

/*
 * A legal basis of the contact details given with this message: the
 * consent, whose term runs from now, or the law, whose term ends
 * KEEP_YEARS after the answer and is set when the case closes (see
 * basis_close).
 */
static int
basis_add(struct db *db, const struct fb_msg *m, int64_t contact_id,
    const struct fb_contact *ct, int consent, int64_t now, struct err *e)
{
	char	list[256];
	int64_t ends = 0, destroy = 0;

	data_list(ct, list, sizeof(list));
	if (consent) {
		ends = add_years(now, KEEP_YEARS);
		destroy = ends + (int64_t)DESTROY_DAYS * DAY;
	}
	if (db_run(db, NULL,
		"INSERT INTO pd_basis (org_id, contact_id, basis, purpose, "
		"data_list, text_version, granted_at, ends_at, destroy_by) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"iitttti" "II", m->org_id, contact_id,
		consent ? "consent" : "law", PURPOSE, list,
		consent ? CONSENT_VERSION : NULL, now, ends, destroy) != 0)
		return err_set(e, EXIT_IOERR, "personal data basis: %s",
		    db_errmsg(db));
	return 0;
}

static int
contact_has_data(const struct fb_contact *ct)
{
	return ct->name != NULL || ct->email != NULL || ct->phone != NULL ||
	    ct->address != NULL;
}

/* A client's earlier contact by history key; newer details given now
 * replace the old ones. */
static int
contact_by_key(struct db *db, struct fb_msg *m, const struct fb_contact *ct,
    struct err *e)
{
	struct db_stmt *s;
	char		h[65];
	int		r;

	key_hash(ct->key, h);
	s = db_prepare(db, "SELECT id FROM fb_contact WHERE key_hash = ? AND "
			   "org_id = ? AND destroyed_at IS NULL",
	    "ti", h, m->org_id);
	if (s == NULL || (r = db_step(s)) == DB_FAIL) {
		db_finalize(s);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	if (r != DB_ROW) {
		db_finalize(s);
		return err_set(e, EXIT_DATAERR, "key: no history has this key");
	}
	m->contact_id = db_col_int(s, 0);
	db_finalize(s);
	if (contact_has_data(ct) &&
	    db_run(db, NULL,
		"UPDATE fb_contact SET name = COALESCE(?, name), email = "
		"COALESCE(?, email), phone = COALESCE(?, phone), address = "
		"COALESCE(?, address) WHERE id = ?",
		"tttti", ct->name, ct->email, ct->phone, ct->address,
		m->contact_id) != 0)
		return err_set(e, EXIT_IOERR, "contact: %s", db_errmsg(db));
	return 0;
}

static int
contact_store(struct db *db, struct fb_msg *m, const struct fb_contact *ct,
    char key_out[65], int64_t now, struct err *e)
{
	unsigned char raw[KEY_BYTES];
	char	      key[2 * KEY_BYTES + 1], h[65];

	if (ct->key != NULL) {
		if (contact_by_key(db, m, ct, e) != 0)
			return -1;
	} else {
		randombytes_buf(raw, sizeof(raw));
		sodium_bin2hex(key, sizeof(key), raw, sizeof(raw));
		sodium_memzero(raw, sizeof(raw));
		key_hash(key, h);
		if (db_run(db, &m->contact_id,
			"INSERT INTO fb_contact (org_id, name, email, phone, "
			"address, key_hash, created_at) VALUES (?, ?, ?, ?, ?, "
			"?, ?) RETURNING id",
			"itttt" "ti", m->org_id, ct->name, ct->email, ct->phone,
			ct->address, h, now) != 0) {
			sodium_memzero(key, sizeof(key));
			return err_set(e, EXIT_IOERR, "contact: %s",
			    db_errmsg(db));
		}
		if (key_out != NULL)
			memcpy(key_out, key, sizeof(key));
		sodium_memzero(key, sizeof(key));
	}
	/* The consent covers what it names; an appeal or a complaint is
	 * answered under 59-FZ whatever the consent, so that a withdrawal
	 * cannot destroy the address of a case still open.  A history key
	 * alone adds the law's basis for this message too. */
	if (contact_has_data(ct) && ct->consent &&
	    basis_add(db, m, m->contact_id, ct, 1, now, e) != 0)
		return -1;
	if (strcmp(m->kind, "appeal") == 0 || strcmp(m->kind, "complaint") == 0)
		return basis_add(db, m, m->contact_id, ct, 0, now, e);
	return 0;
}

static int
insert_row(struct db *db, struct fb_msg *m, struct err *e)
{
	int tries;

	for (tries = 0; tries < CODE_TRIES; tries++) {
		code_make(m->code);
		if (db_run(db, &m->id,
			"INSERT INTO fb_message (org_id, code, external_id, "
			"source, channel, kind, client, form, touchpoint_id, "
			"service, situation, topic_id, reason_id, subject, "
			"text, rating, state, received_at, registered_at, "
			"ack_due, answer_due, unit_id, assignee_id, transfers, "
			"wait_minutes, contact_id) VALUES (?, ?, ?, ?, ?, ?, "
			"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
			"NULLIF(?, -1), ?) RETURNING id",
			"ittttttt" "Itt" "II" "tt" "I" "t" "ii" "II" "II" "i"
			"i" "I",
			m->org_id, m->code, m->external_id, m->source,
			m->channel, m->kind, m->client,
			m->form[0] != '\0' ? m->form : NULL, m->touchpoint_id,
			m->service, m->situation, m->topic_id, m->reason_id,
			m->subject, m->text, (int64_t)m->rating, m->state,
			m->received_at, m->registered_at, m->ack_due,
			m->answer_due, m->unit_id, m->assignee_id,
			(int64_t)m->transfers, (int64_t)m->wait_minutes,
			m->contact_id) == 0)
			return 0;
		/* Two messages drawing the same of 32^10 codes: draw again. */
		if (strstr(db_errmsg(db), "fb_message.code") == NULL)
			break;
	}
	return err_set(e, EXIT_IOERR, "storing the message: %s",
	    db_errmsg(db));
}

/*
 * The rollups (rollup.h) get the message as insert_row stored it: the
 * times and the outcome an import brings are written after, by the
 * import's own update (feedback_import.c), which moves the message's
 * contribution then.
 */
static int
rollup_new(struct db *db, const struct fb_conf *c, const struct fb_msg *m,
    struct err *e)
{
	struct fb_msg s = *m;

	s.acknowledged_at = s.in_work_at = s.answered_at = s.closed_at = 0;
	s.outcome[0] = '\0';
	s.extended = 0;
	s.solved = -1;
	s.reopened = 0;
	return rollup_fb_apply(db, c, &s, 1, e);
}

int
fb_insert(struct db *db, const struct fb_conf *c, const char *actor,
    struct fb_msg *m, const struct fb_contact *ct, char key_out[65],
    struct err *e)
{
	int64_t now = clock_now();
	int	r;

	if (key_out != NULL)
		key_out[0] = '\0';
	m->org_id = c->org_id;
	m->contact_id = 0;
	if (m->external_id != NULL && (r = find_external(db, m, e)) != 0)
		return r;
	if (m->touchpoint_id != 0) {
		r = exists(db, "SELECT 1 FROM touchpoint WHERE id = ? AND "
			       "org_id = ?", m->touchpoint_id, m->org_id, e);
		if (r < 0)
			return -1;
		if (r == 0)
			return err_set(e, EXIT_DATAERR, "touchpoint: no "
			    "touchpoint %lld in the registry",
			    (long long)m->touchpoint_id);
	}
	if (!fb_contact_empty(ct) &&
	    contact_store(db, m, ct, key_out, now, e) != 0)
		return -1;
	snprintf(m->state, sizeof(m->state), "registered");
	m->registered_at = now;
	fb_deadlines(c, m);
	if (insert_row(db, m, e) != 0 || rollup_new(db, c, m, e) != 0)
		return -1;
	return record(db, actor, m, "registered", NULL, "registered", NULL,
	    now, e);
}

int
fb_get(struct db *db, int64_t org_id, int64_t id, struct fb_msg *m,
    struct err *e)
{
	struct db_stmt *s;
	int		r;

	s = db_prepare(db, "SELECT " MSG_COLS MSG_FROM
			   "WHERE m.id = ? AND m.org_id = ?", "ii", id, org_id);
	if (s == NULL || (r = db_step(s)) == DB_FAIL) {
		db_finalize(s);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	if (r != DB_ROW) {
		db_finalize(s);
		return err_set(e, EXIT_NOINPUT, "no message %lld", (long long)id);
	}
	msg_from_row(s, m);
	db_finalize(s);
	return 0;
}

int
fb_get_code(struct db *db, const char *code, struct fb_msg *m,
    struct err *e)
{
	struct db_stmt *s;
	char		norm[FB_CODE_LEN + 1];
	int		r;

	if (code == NULL || code_normalize(code, norm) != 0)
		return err_set(e, EXIT_NOINPUT, "a tracking code has 10 "
		    "letters and digits, like K7M4-Q2XP9D");
	s = db_prepare(db, "SELECT " MSG_COLS MSG_FROM "WHERE m.code = ?", "t",
	    norm);
	if (s == NULL || (r = db_step(s)) == DB_FAIL) {
		db_finalize(s);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	if (r != DB_ROW) {
		db_finalize(s);
		return err_set(e, EXIT_NOINPUT, "no message has the code %s",
		    norm);
	}
	msg_from_row(s, m);
	db_finalize(s);
	return 0;
}

/*
 * The deadline that matters for an open message: the acknowledgement's
 * while it waits for one, then the answer's.
 */
#define DEADLINE                                                        \
	"(CASE WHEN m.state = 'registered' AND m.ack_due IS NOT NULL "      \
	"THEN m.ack_due ELSE m.answer_due END)"
/*
 * One statement for every filter, each condition switched off by its
 * NULL (or 0) parameter, so that it is prepared once and cached.
 */
#define LIST_WHERE                                                        \
	"WHERE m.org_id = ? "                                               \
	"AND (? IS NULL OR m.state = ? OR (? = 'open' AND "                 \
	"m.state <> 'closed')) "                                            \
	"AND (? IS NULL OR m.client = ?) AND (? IS NULL OR m.kind = ?) "    \
	"AND (? IS NULL OR m.channel = ?) "                                 \
	"AND (? = 0 OR m.unit_id = ?) AND (? = 0 OR m.assignee_id = ?) "    \
	"AND (? = 0 OR (m.state IN ('registered', 'acknowledged', "          \
	"'in_work') AND " DEADLINE " < ?)) "                                \
	"AND (? = 0 OR m.received_at >= ?) AND (? = 0 OR m.received_at < ?) "
#define LIST_ARGS(f, now)                                                 \
	(f)->org_id, (f)->state, (f)->state, (f)->state, (f)->client,       \
	    (f)->client, (f)->kind, (f)->kind, (f)->channel, (f)->channel,  \
	    (f)->unit_id, (f)->unit_id, (f)->assignee_id, (f)->assignee_id, \
	    (int64_t)(f)->overdue, (now), (f)->from, (f)->from, (f)->to,   \
	    (f)->to
#define LIST_FMT "ittttttttt" "iiii" "ii" "iiii"

/* The words of a search, folded; every one must occur. */
static int
words_match(char **words, int n, const struct fb_msg *m)
{
	struct buf b;
	char	  *hay;
	int	   i, ok = 1;

	buf_init(&b, BUF_MAX_DEFAULT);
	buf_printf(&b, "%s %s %s", m->code, m->subject ? m->subject : "",
	    m->text ? m->text : "");
	hay = utf8_fold(buf_str(&b));
	buf_free(&b);
	for (i = 0; i < n && ok; i++)
		ok = strstr(hay, words[i]) != NULL;
	free(hay);
	return ok;
}

static int
split_words(const char *q, char ***out)
{
	char  *f, *p, *tok, **w = NULL;
	int    n = 0;

	f = utf8_fold(q);
	for (p = strtok_r(f, " \t\r\n", &tok); p != NULL && n < 16;
	     p = strtok_r(NULL, " \t\r\n", &tok)) {
		w = xreallocarray(w, (size_t)n + 1, sizeof(*w));
		w[n++] = xstrdup(p);
	}
	free(f);
	*out = w;
	return n;
}

static int
list_count(struct db *db, const struct fb_filter *f, int64_t now, int *total,
    struct err *e)
{
	struct db_stmt *s;

	s = db_prepare(db, "SELECT count(*) FROM fb_message m " LIST_WHERE,
	    LIST_FMT, LIST_ARGS(f, now));
	if (s == NULL || db_step(s) != DB_ROW) {
		db_finalize(s);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	*total = (int)db_col_int(s, 0);
	db_finalize(s);
	return 0;
}

/*
 * The words of a search are matched here, on folded text, because SQL's
 * lower() knows no Cyrillic: with q the rows of the other filters are
 * read in order and the limit applies to those that match.
 */
int
fb_list(struct db *db, const struct fb_filter *f, int64_t now,
    struct fb_msg **list, int *total, struct err *e)
{
	struct db_stmt *s;
	struct fb_msg  *v = NULL, m;
	char	      **words = NULL;
	int		nwords = 0, limit, n = 0, seen = 0, skip, r, i;

	*list = NULL;
	limit = f->limit <= 0 ? LIST_DEFAULT
			      : f->limit > LIST_MAX ? LIST_MAX : f->limit;
	if (!str_empty(f->q))
		nwords = split_words(f->q, &words);
	s = db_prepare(db, "SELECT " MSG_COLS MSG_FROM LIST_WHERE
			   "ORDER BY m.state NOT IN ('registered', "
			   "'acknowledged', 'in_work'), " DEADLINE " IS NULL, "
			   DEADLINE ", m.received_at, m.id LIMIT ? OFFSET ?",
	    LIST_FMT "ii", LIST_ARGS(f, now),
	    nwords > 0 ? (int64_t)INT32_MAX : (int64_t)limit,
	    nwords > 0 ? (int64_t)0 : (int64_t)(f->offset > 0 ? f->offset : 0));
	if (s == NULL) {
		r = err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
		goto out;
	}
	v = xcalloc((size_t)limit, sizeof(*v));
	skip = nwords > 0 && f->offset > 0 ? f->offset : 0;
	while ((r = db_step(s)) == DB_ROW) {
		msg_from_row(s, &m);
		if ((nwords > 0 && !words_match(words, nwords, &m)) ||
		    seen++ < skip || n >= limit) {
			fb_msg_clear(&m);
			continue;
		}
		v[n++] = m;
	}
	db_finalize(s);
	if (r == DB_FAIL) {
		r = err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
		goto out;
	}
	r = 0;
	if (total != NULL) {
		if (nwords > 0)
			*total = seen;
		else
			r = list_count(db, f, now, total, e);
	}
out:
	for (i = 0; i < nwords; i++)
		free(words[i]);
	free(words);
	if (r != 0) {
		for (i = 0; i < n; i++)
			fb_msg_clear(&v[i]);
		free(v);
		return -1;
	}
	*list = v;
	return n;
}

/*
 * The start of a step: its transaction and the message as it stands,
 * whose contribution to the rollups (rollup.h) is taken out here and put
 * back as the message is after the step, in step_end.
 */
static int
step_begin(struct db *db, const struct fb_conf *c, int64_t org_id,
    int64_t id, struct fb_msg *m, struct err *e)
{
	fb_msg_init(m);
	if (db_begin(db) != 0)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if (fb_get(db, org_id, id, m, e) != 0 ||
	    rollup_fb_apply(db, c, m, -1, e) != 0) {
		db_rollback(db);
		fb_msg_clear(m);
		return -1;
	}
	return 0;
}

/* The message's contribution to the rollups as the step left it. */
static int
rollup_after(struct db *db, const struct fb_conf *c, const struct fb_msg *m,
    struct err *e)
{
	struct fb_msg now;
	int	      r;

	if (fb_get(db, m->org_id, m->id, &now, e) != 0)
		return -1;
	r = rollup_fb_apply(db, c, &now, 1, e);
	fb_msg_clear(&now);
	return r;
}

static int
step_end(struct db *db, const struct fb_conf *c, struct fb_msg *m, int r,
    struct err *e)
{
	if (r == 0)
		r = rollup_after(db, c, m, e);
	if (r == 0 && db_commit(db) != 0)
		r = err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if (r != 0)
		db_rollback(db);
	fb_msg_clear(m);
	return r;
}

static int
state_is(const struct fb_msg *m, const char *a, const char *b)
{
	return strcmp(m->state, a) == 0 || (b != NULL && strcmp(m->state, b) == 0);
}

static int
wrong_state(const struct fb_msg *m, const char *which, const char *done,
    struct err *e)
{
	return err_set(e, EXIT_DATAERR, "message %lld is %s; only %s message "
	    "can be %s", (long long)m->id, m->state, which, done);
}

static int
db_fail(struct db *db, const struct fb_msg *m, struct err *e)
{
	return err_set(e, EXIT_IOERR, "message %lld: %s", (long long)m->id,
	    db_errmsg(db));
}

int
fb_acknowledge(struct db *db, const struct fb_conf *c, const char *actor,
    int64_t org_id, int64_t id, struct err *e)
{
	struct fb_msg m;
	int64_t	      now = clock_now();
	int	      r;

	if (step_begin(db, c, org_id, id, &m, e) != 0)
		return -1;
	if (!state_is(&m, "registered", NULL))
		r = wrong_state(&m, "a registered", "acknowledged", e);
	else if (db_run(db, NULL, "UPDATE fb_message SET state = "
				  "'acknowledged', acknowledged_at = ? WHERE id = ?",
		     "ii", now, m.id) != 0)
		r = db_fail(db, &m, e);
	else
		r = record(db, actor, &m, "acknowledged", m.state,
		    "acknowledged", NULL, now, e);
	return step_end(db, c, &m, r, e);
}

int
fb_take(struct db *db, const struct fb_conf *c, const char *actor,
    int64_t org_id, int64_t id, struct err *e)
{
	struct fb_msg m;
	int64_t	      now = clock_now();
	int	      r;

	if (step_begin(db, c, org_id, id, &m, e) != 0)
		return -1;
	if (!state_is(&m, "registered", "acknowledged"))
		r = wrong_state(&m, "a registered or acknowledged",
		    "taken into work", e);
	else if (db_run(db, NULL, "UPDATE fb_message SET state = 'in_work', "
				  "in_work_at = ? WHERE id = ?",
		     "ii", now, m.id) != 0)
		r = db_fail(db, &m, e);
	else
		r = record(db, actor, &m, "taken", m.state, "in_work", NULL,
		    now, e);
	return step_end(db, c, &m, r, e);
}

/* Counts a template's use; it must be the organization's own. */
static int
template_use(struct db *db, const struct fb_msg *m, int64_t template_id,
    struct err *e)
{
	int64_t got = 0;

	if (db_run(db, &got, "UPDATE fb_template SET uses = uses + 1 WHERE "
			     "id = ? AND org_id = ? RETURNING id",
		"ii", template_id, m->org_id) != 0)
		return db_fail(db, m, e);
	if (got == 0)
		return err_set(e, EXIT_DATAERR, "template: no template %lld",
		    (long long)template_id);
	return 0;
}

/*
 * A new answer clears the client's reply to the previous one, so that the
 * client can reply once to each answer.  Only the latest answer is kept
 * with the message; the events record each answer's time and template,
 * not its text, since an answer may well name the client.
 */
int
fb_answer(struct db *db, const struct fb_conf *c, const char *actor,
    int64_t org_id, int64_t id, const char *answer, int64_t template_id,
    struct err *e)
{
	struct fb_msg m;
	char	     *text, detail[64] = "";
	int64_t	      now = clock_now();
	int	      r;

	text = answer != NULL ? xstrdup(answer) : NULL;
	if (fb_text_check(&text, "answer", FB_ANSWER_MAX, 1, e) != 0)
		goto fail;
	if (text == NULL) {
		err_set(e, EXIT_DATAERR, "answer is required");
		goto fail;
	}
	if (step_begin(db, c, org_id, id, &m, e) != 0)
		goto fail;
	if (template_id != 0)
		snprintf(detail, sizeof(detail), "template %lld",
		    (long long)template_id);
	if (!state_is(&m, "acknowledged", "in_work"))
		r = wrong_state(&m, "an acknowledged or in_work", "answered", e);
	else if (template_id != 0 && template_use(db, &m, template_id, e) != 0)
		r = -1;
	else if (db_run(db, NULL, "UPDATE fb_message SET state = 'answered', "
				  "answer = ?, template_id = ?, answered_at = ?, "
				  "solved = NULL WHERE id = ?",
		     "tIii", text, template_id, now, m.id) != 0)
		r = db_fail(db, &m, e);
	else
		r = record(db, actor, &m, "answered", m.state, "answered",
		    detail[0] ? detail : NULL, now, e);
	free(text);
	return step_end(db, c, &m, r, e);
fail:
	free(text);
	return -1;
}

static int
needs_answer(const struct fb_msg *m)
{
	return strcmp(m->kind, "appeal") == 0 ||
	    strcmp(m->kind, "complaint") == 0 ||
	    strcmp(m->kind, "request") == 0;
}

/*
 * When a contact's last open case closes, the basis the law gave for its
 * details ends KEEP_YEARS after the answer; while another case of the
 * same client is open the law still needs them.  A later close moves the
 * end further, never nearer.
 */
static int
basis_close(struct db *db, const struct fb_msg *m, int64_t now,
    struct err *e)
{
	int64_t ends;

	if (m->contact_id == 0)
		return 0;
	ends = add_years(m->answered_at != 0 ? m->answered_at : now,
	    KEEP_YEARS);
	if (db_run(db, NULL,
		"UPDATE pd_basis SET ends_at = ?, destroy_by = ? WHERE "
		"contact_id = ? AND basis = 'law' AND withdrawn_at IS NULL AND "
		"(ends_at IS NULL OR ends_at < ?) AND NOT EXISTS (SELECT 1 FROM "
		"fb_message WHERE contact_id = ? AND state <> 'closed' AND "
		"id <> ?)",
		"iiiiii", ends, ends + (int64_t)DESTROY_DAYS * DAY,
		m->contact_id, ends, m->contact_id, m->id) != 0)
		return db_fail(db, m, e);
	return 0;
}

static int
close_check(const struct fb_msg *m, const char *outcome, struct err *e)
{
	int complaint = strcmp(m->kind, "complaint") == 0;

	if (!state_is(m, "answered", NULL) &&
	    (needs_answer(m) || state_is(m, "closed", NULL)))
		return wrong_state(m, "an answered", "closed", e);
	if (complaint && fb_code_find(fb_outcomes, outcome) == NULL)
		return err_set(e, EXIT_DATAERR, "outcome: a complaint closes "
		    "as satisfied or unsatisfied");
	if (!complaint && !str_empty(outcome))
		return err_set(e, EXIT_DATAERR, "outcome: only a complaint has "
		    "an outcome; message %lld is of kind %s",
		    (long long)m->id, m->kind);
	return 0;
}

/*
 * Appeals, complaints and requests close once answered.  A comment, a
 * mention, a post or a proposal needs no answer and may close from any
 * open state (otherwise every "thank you" would wait in the queue).
 */
int
fb_close(struct db *db, const struct fb_conf *c, const char *actor,
    int64_t org_id, int64_t id, const char *outcome, struct err *e)
{
	struct fb_msg m;
	int64_t	      now = clock_now();
	int	      r;

	if (step_begin(db, c, org_id, id, &m, e) != 0)
		return -1;
	if ((r = close_check(&m, outcome, e)) == 0) {
		if (strcmp(m.kind, "complaint") == 0)
			snprintf(m.outcome, sizeof(m.outcome), "%s", outcome);
		if (db_run(db, NULL, "UPDATE fb_message SET state = 'closed', "
				     "closed_at = ?, outcome = ? WHERE id = ?",
			"iti", now, m.outcome[0] ? m.outcome : NULL, m.id) != 0)
			r = db_fail(db, &m, e);
		else if ((r = basis_close(db, &m, now, e)) == 0)
			r = record(db, actor, &m, "closed", m.state, "closed",
			    NULL, now, e);
	}
	return step_end(db, c, &m, r, e);
}

int
fb_reopen(struct db *db, const struct fb_conf *c, const char *actor,
    int64_t org_id, int64_t id, const char *why, struct err *e)
{
	struct fb_msg m;
	char	     *note;
	int64_t	      now = clock_now();
	int	      r;

	note = why != NULL ? xstrdup(why) : NULL;
	if (fb_text_check(&note, "why", NOTE_MAX, 0, e) != 0) {
		free(note);
		return -1;
	}
	if (step_begin(db, c, org_id, id, &m, e) != 0) {
		free(note);
		return -1;
	}
	m.outcome[0] = '\0';
	if (!state_is(&m, "answered", "closed"))
		r = wrong_state(&m, "an answered or closed", "reopened", e);
	else if (db_run(db, NULL, "UPDATE fb_message SET state = 'in_work', "
				  "in_work_at = ?, closed_at = NULL, outcome = NULL, "
				  "reopened = reopened + 1 WHERE id = ?",
		     "ii", now, m.id) != 0)
		r = db_fail(db, &m, e);
	else
		r = record(db, actor, &m, "reopened", m.state, "in_work", note,
		    now, e);
	free(note);
	return step_end(db, c, &m, r, e);
}

/* A unit of the organization, and a person with a role in it: a case
 * is not handed to someone who cannot see it. */
static int
assign_check(struct db *db, const struct fb_msg *m, int64_t unit_id,
    int64_t assignee_id, struct err *e)
{
	int r;

	if (unit_id != 0) {
		r = exists(db, "SELECT 1 FROM unit WHERE id = ? AND org_id = ?",
		    unit_id, m->org_id, e);
		if (r <= 0)
			return r < 0 ? -1 : err_set(e, EXIT_DATAERR, "unit: no "
			    "unit %lld in the organization", (long long)unit_id);
	}
	if (assignee_id != 0) {
		r = exists(db, "SELECT 1 FROM staff_role WHERE staff_id = ? AND "
			       "org_id = ?", assignee_id, m->org_id, e);
		if (r <= 0)
			return r < 0 ? -1 : err_set(e, EXIT_DATAERR, "assignee: "
			    "staff %lld has no role in the organization",
			    (long long)assignee_id);
	}
	if (unit_id == 0 && assignee_id == 0)
		return err_set(e, EXIT_DATAERR, "assign: name a unit or a "
		    "person");
	return 0;
}

/*
 * Handing a case from one person to another is a transfer (R-FB-4; the
 * phone standard counts them too); the first assignment is not.  Zero
 * leaves the unit or the person as it was.
 */
int
fb_assign(struct db *db, const char *actor, int64_t org_id, int64_t id,
    int64_t unit_id, int64_t assignee_id, struct err *e)
{
	struct fb_msg	m;
	struct fb_conf *c;
	char		detail[96];
	int64_t		now = clock_now();
	int		r, transfer;

	/* The rollups need the organization's zone and standards. */
	if ((c = fb_conf_load(db, org_id, e)) == NULL)
		return -1;
	if (step_begin(db, c, org_id, id, &m, e) != 0) {
		fb_conf_free(c);
		return -1;
	}
	transfer = assignee_id != 0 && m.assignee_id != 0 &&
	    m.assignee_id != assignee_id;
	snprintf(detail, sizeof(detail), "unit %lld, staff %lld",
	    (long long)(unit_id != 0 ? unit_id : m.unit_id),
	    (long long)(assignee_id != 0 ? assignee_id : m.assignee_id));
	if (state_is(&m, "closed", NULL))
		r = wrong_state(&m, "an open", "assigned", e);
	else if ((r = assign_check(db, &m, unit_id, assignee_id, e)) != 0)
		;
	else if (db_run(db, NULL, "UPDATE fb_message SET unit_id = "
				  "COALESCE(?, unit_id), assignee_id = COALESCE(?, "
				  "assignee_id), transfers = transfers + ? WHERE id = ?",
		     "IIii", unit_id, assignee_id, (int64_t)transfer, m.id) != 0)
		r = db_fail(db, &m, e);
	else
		r = record(db, actor, &m, transfer ? "transferred" : "assigned",
		    NULL, NULL, detail, now, e);
	r = step_end(db, c, &m, r, e);
	fb_conf_free(c);
	return r;
}

int
fb_extend(struct db *db, const struct fb_conf *c, const char *actor,
    int64_t org_id, int64_t id, int days, const char *notice, struct err *e)
{
	struct fb_msg m;
	char	     *note, why[160], detail[64];
	int64_t	      now = clock_now(), due;
	int	      r;

	if (days < 1)
		return err_set(e, EXIT_DATAERR, "days: the extension is from 1 "
		    "to 30 days");
	note = notice != NULL ? xstrdup(notice) : NULL;
	if (fb_text_check(&note, "notice", NOTE_MAX, 1, e) != 0)
		goto fail;
	if (note == NULL) {
		err_set(e, EXIT_DATAERR, "notice: the extension needs the "
		    "notice sent to the applicant (59-FZ art. 12 part 2)");
		goto fail;
	}
	if (step_begin(db, c, org_id, id, &m, e) != 0)
		goto fail;
	snprintf(detail, sizeof(detail), "%d days", days);
	if (!state_is(&m, "registered", "acknowledged") &&
	    !state_is(&m, "in_work", NULL))
		r = wrong_state(&m, "an unanswered", "extended", e);
	else if (!needs_answer(&m) || m.answer_due == 0)
		r = err_set(e, EXIT_DATAERR, "message %lld has no answer "
		    "deadline under 59-FZ to extend", (long long)m.id);
	else if (timer_extend_59fz(c->cal, c->tz, &c->hours, m.answer_due,
		     days, m.extended, &due, why, sizeof(why)) != 0)
		r = err_set(e, EXIT_DATAERR, "message %lld: %s",
		    (long long)m.id, why);
	else if (db_run(db, NULL, "UPDATE fb_message SET answer_due = ?, "
				  "extended = 1, extension_note = ? WHERE id = ?",
		     "iti", due, note, m.id) != 0)
		r = db_fail(db, &m, e);
	else
		r = record(db, actor, &m, "extended", NULL, NULL, detail, now,
		    e);
	free(note);
	return step_end(db, c, &m, r, e);
fail:
	free(note);
	return -1;
}

static int
topic_check(struct db *db, const struct fb_msg *m, int64_t tid,
    const char *kind, struct err *e)
{
	struct db_stmt *s;
	int		r;

	if (tid == 0)
		return 0;
	s = db_prepare(db, "SELECT 1 FROM fb_topic WHERE id = ? AND org_id = ? "
			   "AND kind = ?", "iit", tid, m->org_id, kind);
	if (s == NULL || (r = db_step(s)) == DB_FAIL) {
		db_finalize(s);
		return db_fail(db, m, e);
	}
	db_finalize(s);
	if (r != DB_ROW)
		return err_set(e, EXIT_DATAERR, "%s: no %s %lld in the "
		    "organization's dictionary", kind, kind, (long long)tid);
	return 0;
}

/* Zero ids and a NULL form leave what is there; "" clears the form. */
int
fb_classify(struct db *db, const char *actor, int64_t org_id, int64_t id,
    int64_t topic_id, int64_t reason_id, const char *form, struct err *e)
{
	struct fb_msg	m;
	struct fb_conf *c;
	char		detail[96];
	int64_t		now = clock_now();
	int		r;

	if (form != NULL && *form != '\0' && fb_code_find(fb_forms, form) == NULL)
		return err_set(e, EXIT_DATAERR, "form is not one of %s",
		    fb_code_list(fb_forms));
	/* The rollups need the organization's zone and standards. */
	if ((c = fb_conf_load(db, org_id, e)) == NULL)
		return -1;
	if (step_begin(db, c, org_id, id, &m, e) != 0) {
		fb_conf_free(c);
		return -1;
	}
	snprintf(detail, sizeof(detail), "topic %lld, reason %lld, form %s",
	    (long long)(topic_id ? topic_id : m.topic_id),
	    (long long)(reason_id ? reason_id : m.reason_id),
	    form != NULL ? (*form ? form : "-") : (m.form[0] ? m.form : "-"));
	if ((r = topic_check(db, &m, topic_id, "topic", e)) != 0 ||
	    (r = topic_check(db, &m, reason_id, "reason", e)) != 0)
		;
	else if (db_run(db, NULL, "UPDATE fb_message SET topic_id = COALESCE(?, "
				  "topic_id), reason_id = COALESCE(?, reason_id), "
				  "form = CASE WHEN ? = 1 THEN NULLIF(?, '') ELSE form "
				  "END WHERE id = ?",
		     "IIiti", topic_id, reason_id, (int64_t)(form != NULL),
		     form != NULL ? form : "", m.id) != 0)
		r = db_fail(db, &m, e);
	else
		r = record(db, actor, &m, "classified", NULL, NULL, detail,
		    now, e);
	r = step_end(db, c, &m, r, e);
	fb_conf_free(c);
	return r;
}

static int
reply_check(const struct fb_msg *m, const struct fb_conf *c, struct err *e)
{
	if (m->org_id != c->org_id)
		return err_set(e, EXIT_NOINPUT, "no message has the code %s",
		    m->code);
	if (m->answered_at != 0 && m->solved != -1)
		return err_set(e, EXIT_DATAERR, "message %s: the reply to this "
		    "answer is given already", m->code);
	if (m->answered_at == 0 || !state_is(m, "answered", "closed"))
		return err_set(e, EXIT_DATAERR, "message %s has no answer to "
		    "reply to yet", m->code);
	return 0;
}

/*
 * "Solved" closes the case (it may be closed already by staff); a
 * complaint not yet given an outcome gets "satisfied", an outcome staff
 * set stays.  "Not solved" takes the case back into work, counts the
 * reopening and clears the outcome, which staff set again when they
 * close it.  Either way the reply stays with the answer it concerns
 * until the next answer.  The actor is "client".
 */
int
fb_client_reply(struct db *db, const struct fb_conf *c, const char *code,
    int solved, struct err *e)
{
	struct fb_msg m;
	const char   *to, *outcome;
	int64_t	      now = clock_now(), closed;
	int	      r;

	fb_msg_init(&m);
	if (db_begin(db) != 0)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if (fb_get_code(db, code, &m, e) != 0) {
		db_rollback(db);
		fb_msg_clear(&m);
		return -1;
	}
	if ((r = reply_check(&m, c, e)) != 0 ||
	    (r = rollup_fb_apply(db, c, &m, -1, e)) != 0)
		return step_end(db, c, &m, r, e);
	to = solved ? "closed" : "in_work";
	closed = solved ? (m.closed_at != 0 ? m.closed_at : now) : 0;
	outcome = NULL;
	if (solved && strcmp(m.kind, "complaint") == 0)
		outcome = m.outcome[0] ? m.outcome : "satisfied";
	if (db_run(db, NULL, "UPDATE fb_message SET state = ?, solved = ?, "
			     "closed_at = ?, outcome = ?, reopened = reopened + ?, "
			     "in_work_at = CASE WHEN ? = 1 THEN ? ELSE in_work_at END "
			     "WHERE id = ?",
		"tiItiiii", to, (int64_t)(solved != 0), closed, outcome,
		(int64_t)(solved == 0), (int64_t)(solved == 0), now, m.id) != 0)
		return step_end(db, c, &m, db_fail(db, &m, e), e);
	snprintf(m.outcome, sizeof(m.outcome), "%s", outcome ? outcome : "");
	r = 0;
	if (solved && strcmp(m.state, "closed") != 0)
		r = basis_close(db, &m, now, e);
	if (r == 0)
		r = record(db, "client", &m, solved ? "client_solved"
		    : "client_not_solved", m.state, to, NULL, now, e);
	return step_end(db, c, &m, r, e);
}

int
fb_events(struct db *db, int64_t message_id, struct fb_event **list,
    struct err *e)
{
	struct db_stmt	*s;
	struct fb_event *v = NULL;
	int		 n = 0, r;

	*list = NULL;
	s = db_prepare(db, "SELECT at, actor, action, from_state, to_state, "
			   "detail FROM fb_event WHERE message_id = ? ORDER BY "
			   "at, id", "i", message_id);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	while ((r = db_step(s)) == DB_ROW) {
		v = xreallocarray(v, (size_t)n + 1, sizeof(*v));
		v[n].at = db_col_int(s, 0);
		v[n].actor = db_col_dup(s, 1);
		v[n].action = db_col_dup(s, 2);
		v[n].from_state = col_opt(s, 3);
		v[n].to_state = col_opt(s, 4);
		v[n].detail = col_opt(s, 5);
		n++;
	}
	db_finalize(s);
	if (r == DB_FAIL) {
		fb_events_free(v, n);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	*list = v;
	return n;
}

void
fb_events_free(struct fb_event *v, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(v[i].actor);
		free(v[i].action);
		free(v[i].from_state);
		free(v[i].to_state);
		free(v[i].detail);
	}
	free(v);
}

int
fb_history(struct db *db, int64_t org_id, const char *key,
    struct fb_msg **list, struct err *e)
{
	struct db_stmt *s;
	struct fb_msg  *v = NULL;
	char		h[65], low[2 * KEY_BYTES + 1];
	int		n = 0, r;

	*list = NULL;
	if (key == NULL || strlen(key) != 2 * KEY_BYTES)
		return err_set(e, EXIT_NOINPUT, "no history has this key");
	/* Keys are made in lower case; one copied in capitals still works. */
	for (n = 0; n < 2 * KEY_BYTES; n++)
		low[n] = (char)tolower((unsigned char)key[n]);
	low[n] = '\0';
	n = 0;
	key_hash(low, h);
	s = db_prepare(db, "SELECT " MSG_COLS MSG_FROM "WHERE m.contact_id = "
			   "(SELECT id FROM fb_contact WHERE key_hash = ? AND "
			   "org_id = ? AND destroyed_at IS NULL) ORDER BY "
			   "m.received_at DESC, m.id DESC LIMIT ?",
	    "tii", h, org_id, (int64_t)HISTORY_MAX);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	while ((r = db_step(s)) == DB_ROW) {
		v = xreallocarray(v, (size_t)n + 1, sizeof(*v));
		fb_msg_init(&v[n]);
		msg_from_row(s, &v[n]);
		n++;
	}
	db_finalize(s);
	if (r == DB_FAIL) {
		while (n > 0)
			fb_msg_clear(&v[--n]);
		free(v);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	if (n == 0)
		return err_set(e, EXIT_NOINPUT, "no history has this key");
	*list = v;
	return n;
}

/*
 * Unit tests of feedback.c and feedback_store.c: fb_validate field by
 * field (a table of broken messages, each naming its field), the code
 * lists, deadlines by channel and kind, and in a scratch SQLite database
 * the tracking codes, contacts with their legal basis and history keys,
 * idempotent external ids, every lifecycle step and its refusals, the
 * client's reply, and the lists with their filters and order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "otklik.h"
#include "audit.h"
#include "cal.h"
#include "db.h"
#include "feedback.h"
#include "org.h"

#define NOW_TEXT "2026-03-02T07:00:00Z"	/* Monday, 10:00 in Moscow */
#define DAY	 86400

static int64_t
now(void)
{
	return clock_now();
}

/* A message that passes: an appeal by e-mail, anonymous. */
static void
good(struct fb_msg *m, struct fb_contact *c)
{
	fb_msg_init(m);
	memset(c, 0, sizeof(*c));
	snprintf(m->channel, sizeof(m->channel), "email");
	snprintf(m->kind, sizeof(m->kind), "appeal");
	m->text = xstrdup("Прошу разъяснить порядок записи на приём.");
}

static void set_nothing(struct fb_msg *m, struct fb_contact *c) { (void)m; (void)c; }
static void set_kind_bad(struct fb_msg *m, struct fb_contact *c) { (void)c; snprintf(m->kind, sizeof(m->kind), "praise"); }
static void set_kind_none(struct fb_msg *m, struct fb_contact *c) { (void)c; m->kind[0] = '\0'; }
static void set_channel_bad(struct fb_msg *m, struct fb_contact *c) { (void)c; snprintf(m->channel, sizeof(m->channel), "pigeon"); }
static void set_channel_none(struct fb_msg *m, struct fb_contact *c) { (void)c; m->channel[0] = '\0'; }
static void set_source_bad(struct fb_msg *m, struct fb_contact *c) { (void)c; snprintf(m->source, sizeof(m->source), "radio"); }
static void set_client_bad(struct fb_msg *m, struct fb_contact *c) { (void)c; snprintf(m->client, sizeof(m->client), "robot"); }
static void set_form_bad(struct fb_msg *m, struct fb_contact *c) { (void)c; snprintf(m->form, sizeof(m->form), "tax"); }
static void set_text_none(struct fb_msg *m, struct fb_contact *c) { (void)c; free(m->text); m->text = NULL; }
static void set_text_blank(struct fb_msg *m, struct fb_contact *c) { (void)c; free(m->text); m->text = xstrdup("  \n\t "); }
static void set_text_utf8(struct fb_msg *m, struct fb_contact *c) { (void)c; free(m->text); m->text = xstrdup("жалоба \xd0"); }
static void set_text_ctl(struct fb_msg *m, struct fb_contact *c) { (void)c; free(m->text); m->text = xstrdup("bell\x07 here"); }
static void set_text_c1(struct fb_msg *m, struct fb_contact *c) { (void)c; free(m->text); m->text = xstrdup("next\xc2\x85line"); }
static void set_text_del(struct fb_msg *m, struct fb_contact *c) { (void)c; free(m->text); m->text = xstrdup("del\x7f"); }

static void
set_text_big(struct fb_msg *m, struct fb_contact *c)
{
	(void)c;
	free(m->text);
	m->text = xmalloc(FB_TEXT_MAX + 2);
	memset(m->text, 'a', FB_TEXT_MAX + 1);
	m->text[FB_TEXT_MAX + 1] = '\0';
}

static void
set_text_huge(struct fb_msg *m, struct fb_contact *c)
{
	(void)c;
	free(m->text);
	m->text = xmalloc(5 * FB_TEXT_MAX + 1);
	memset(m->text, ' ', 5 * FB_TEXT_MAX);
	m->text[0] = 'x';
	m->text[5 * FB_TEXT_MAX] = '\0';
}

static void
set_subject_big(struct fb_msg *m, struct fb_contact *c)
{
	(void)c;
	m->subject = xmalloc(FB_SUBJECT_MAX + 2);
	memset(m->subject, 'b', FB_SUBJECT_MAX + 1);
	m->subject[FB_SUBJECT_MAX + 1] = '\0';
}

static void set_subject_ctl(struct fb_msg *m, struct fb_contact *c) { (void)c; m->subject = xstrdup("a\x1b[31m"); }
static void set_service_utf8(struct fb_msg *m, struct fb_contact *c) { (void)c; m->service = xstrdup("\xff\xfe"); }
static void set_situation_ctl(struct fb_msg *m, struct fb_contact *c) { (void)c; m->situation = xstrdup("line\nbreak\x01"); }

static void
set_external_big(struct fb_msg *m, struct fb_contact *c)
{
	(void)c;
	m->external_id = xmalloc(FB_EXTERNAL_MAX + 2);
	memset(m->external_id, '7', FB_EXTERNAL_MAX + 1);
	m->external_id[FB_EXTERNAL_MAX + 1] = '\0';
}

static void set_rating_6(struct fb_msg *m, struct fb_contact *c) { (void)c; m->rating = 6; }
static void set_rating_neg(struct fb_msg *m, struct fb_contact *c) { (void)c; m->rating = -1; }
static void set_rating_5(struct fb_msg *m, struct fb_contact *c) { (void)c; m->rating = 5; }
static void set_future(struct fb_msg *m, struct fb_contact *c) { (void)c; m->received_at = now() + 3600; }
static void set_skew(struct fb_msg *m, struct fb_contact *c) { (void)c; m->received_at = now() + 30; }
static void set_negative_time(struct fb_msg *m, struct fb_contact *c) { (void)c; m->received_at = -5; }
static void set_wait_bad(struct fb_msg *m, struct fb_contact *c) { (void)c; m->wait_minutes = -2; }
static void set_transfers_bad(struct fb_msg *m, struct fb_contact *c) { (void)c; m->transfers = -1; }
static void set_touchpoint_bad(struct fb_msg *m, struct fb_contact *c) { (void)c; m->touchpoint_id = -3; }

static void
set_comment_contact(struct fb_msg *m, struct fb_contact *c)
{
	snprintf(m->kind, sizeof(m->kind), "comment");
	c->name = xstrdup("Иван");
	c->email = xstrdup("ivan@example.ru");
}

static void
set_comment_consent(struct fb_msg *m, struct fb_contact *c)
{
	set_comment_contact(m, c);
	c->consent = 1;
}

static void set_appeal_name_only(struct fb_msg *m, struct fb_contact *c) { (void)m; c->name = xstrdup("Иван Петров"); }
static void set_appeal_address(struct fb_msg *m, struct fb_contact *c) { (void)m; c->address = xstrdup("г. Казань,\nул. Баумана, 1"); }
static void set_complaint_phone(struct fb_msg *m, struct fb_contact *c) { snprintf(m->kind, sizeof(m->kind), "complaint"); c->phone = xstrdup("+7 (843) 123-45-67"); }
static void set_email_bad(struct fb_msg *m, struct fb_contact *c) { (void)m; c->email = xstrdup("ivan at example"); }
static void set_email_two_at(struct fb_msg *m, struct fb_contact *c) { (void)m; c->email = xstrdup("a@b@c.ru"); }
static void set_phone_short(struct fb_msg *m, struct fb_contact *c) { (void)m; c->phone = xstrdup("12"); }
static void set_phone_letters(struct fb_msg *m, struct fb_contact *c) { (void)m; c->phone = xstrdup("8800CALLME1"); }
static void set_key_bad(struct fb_msg *m, struct fb_contact *c) { (void)m; c->key = xstrdup("not-a-key"); }
static void set_name_ctl(struct fb_msg *m, struct fb_contact *c) { (void)m; c->name = xstrdup("Ив\x02ан"); c->email = xstrdup("i@example.ru"); }

static void
set_address_big(struct fb_msg *m, struct fb_contact *c)
{
	(void)m;
	c->address = xmalloc(FB_FIELD_MAX + 2);
	memset(c->address, 'z', FB_FIELD_MAX + 1);
	c->address[FB_FIELD_MAX + 1] = '\0';
}

static void
set_upper_codes(struct fb_msg *m, struct fb_contact *c)
{
	(void)c;
	snprintf(m->kind, sizeof(m->kind), "APPEAL");
	snprintf(m->channel, sizeof(m->channel), "Email");
	snprintf(m->form, sizeof(m->form), "Service");
}

static const struct {
	const char *name;
	void	  (*set)(struct fb_msg *, struct fb_contact *);
	const char *field;	/* NULL: passes */
} cases[] = {
	{"a plain appeal", set_nothing, NULL},
	{"unknown kind", set_kind_bad, "kind"},
	{"no kind", set_kind_none, "kind"},
	{"unknown channel", set_channel_bad, "channel"},
	{"no channel", set_channel_none, "channel"},
	{"unknown source", set_source_bad, "source"},
	{"unknown client", set_client_bad, "client"},
	{"unknown form", set_form_bad, "form"},
	{"missing text", set_text_none, "text"},
	{"blank text", set_text_blank, "text"},
	{"broken UTF-8", set_text_utf8, "text"},
	{"a control character", set_text_ctl, "text"},
	{"a C1 control character", set_text_c1, "text"},
	{"DEL", set_text_del, "text"},
	{"text one byte too long", set_text_big, "text"},
	{"text far too long", set_text_huge, "text"},
	{"subject too long", set_subject_big, "subject"},
	{"escape in the subject", set_subject_ctl, "subject"},
	{"broken service", set_service_utf8, "service"},
	{"control in the situation", set_situation_ctl, "situation"},
	{"external id too long", set_external_big, "external_id"},
	{"rating 6", set_rating_6, "rating"},
	{"rating -1", set_rating_neg, "rating"},
	{"rating 5", set_rating_5, NULL},
	{"received in the future", set_future, "received_at"},
	{"received within the skew", set_skew, NULL},
	{"received before 1970", set_negative_time, "received_at"},
	{"wait below -1", set_wait_bad, "wait_minutes"},
	{"negative transfers", set_transfers_bad, "transfers"},
	{"negative touchpoint", set_touchpoint_bad, "touchpoint"},
	{"comment with contact, no consent", set_comment_contact, "consent"},
	{"comment with contact and consent", set_comment_consent, NULL},
	{"appeal with a name only", set_appeal_name_only, "email"},
	{"appeal with an address, by law", set_appeal_address, NULL},
	{"complaint with a phone, by law", set_complaint_phone, NULL},
	{"e-mail without @", set_email_bad, "email"},
	{"e-mail with two @", set_email_two_at, "email"},
	{"phone too short", set_phone_short, "phone"},
	{"phone with letters", set_phone_letters, "phone"},
	{"bad history key", set_key_bad, "key"},
	{"control in the name", set_name_ctl, "name"},
	{"address too long", set_address_big, "address"},
	{"codes in capitals", set_upper_codes, NULL},
};

static void
test_validate_table(void **state)
{
	struct fb_msg	  m;
	struct fb_contact c;
	struct err	  e;
	const char	 *field;
	size_t		  i;
	int		  r;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		good(&m, &c);
		cases[i].set(&m, &c);
		err_clear(&e);
		field = NULL;
		r = fb_validate(&m, &c, &field, &e);
		if (cases[i].field == NULL && r != 0)
			fail_msg("%s: refused (%s: %s)", cases[i].name, field,
			    e.msg);
		if (cases[i].field != NULL) {
			if (r != -1)
				fail_msg("%s: passed", cases[i].name);
			if (field == NULL || strcmp(field, cases[i].field) != 0)
				fail_msg("%s: field %s, expected %s",
				    cases[i].name, field ? field : "(null)",
				    cases[i].field);
			if (e.code != EXIT_DATAERR ||
			    strstr(e.msg, cases[i].field) == NULL)
				fail_msg("%s: message '%s' does not name %s",
				    cases[i].name, e.msg, cases[i].field);
		}
		fb_msg_clear(&m);
		fb_contact_clear(&c);
	}
}

/* Refusals do not echo what was sent (it may be personal data). */
static void
test_validate_no_echo(void **state)
{
	struct fb_msg	  m;
	struct fb_contact c;
	struct err	  e;
	const char	 *field;

	(void)state;
	good(&m, &c);
	c.email = xstrdup("secret-person-at-example");
	assert_int_equal(fb_validate(&m, &c, &field, &e), -1);
	assert_string_equal(field, "email");
	assert_null(strstr(e.msg, "secret-person"));
	fb_msg_clear(&m);
	fb_contact_clear(&c);
}

static void
test_validate_normalizes(void **state)
{
	struct fb_msg	  m;
	struct fb_contact c;
	struct err	  e;
	const char	 *field;

	(void)state;
	good(&m, &c);
	free(m.text);
	m.text = xstrdup("  Первая   строка\n\n\n\nвторая  ");
	m.subject = xstrdup("   ");
	snprintf(m.kind, sizeof(m.kind), "Complaint");
	c.email = xstrdup("  ivan@example.ru ");
	assert_int_equal(fb_validate(&m, &c, &field, &e), 0);
	assert_string_equal(m.kind, "complaint");
	assert_string_equal(m.source, "direct");
	assert_string_equal(m.client, "external");
	assert_null(m.subject);
	assert_string_equal(c.email, "ivan@example.ru");
	assert_null(strstr(m.text, "   "));
	assert_int_equal(strncmp(m.text, "Первая строка", strlen("Первая "
	    "строка")), 0);
	assert_true(m.received_at == now());
	fb_msg_clear(&m);
	fb_contact_clear(&c);
}

static void
check_list(const struct fb_code *t)
{
	const char *l = fb_code_list(t);
	char	    want[512] = "";
	size_t	    i;

	for (i = 0; t[i].code != NULL; i++) {
		if (i > 0)
			strcat(want, ", ");
		strcat(want, t[i].code);
		assert_non_null(t[i].title_ru);
		assert_non_null(t[i].title_en);
		assert_ptr_equal(fb_code_find(t, t[i].code), &t[i]);
	}
	assert_string_equal(l, want);
}

static void
test_code_tables(void **state)
{
	(void)state;
	check_list(fb_kinds);
	check_list(fb_states);
	check_list(fb_forms);
	check_list(fb_sources);
	check_list(fb_outcomes);
	assert_null(fb_code_find(fb_kinds, "Appeal"));
	assert_null(fb_code_find(fb_kinds, NULL));
}

/* A scratch database with one organization in Moscow time. */
struct env {
	char		path[64];
	struct db      *db;
	struct fb_conf *conf;
	int64_t		org;
};

static int
setup(void **state)
{
	struct env *t = xcalloc(1, sizeof(*t));
	struct org  o;
	struct err  e;
	int	    fd;

	setenv("OTKLIK_NOW", NOW_TEXT, 1);
	snprintf(t->path, sizeof(t->path), "/tmp/otklik-fb-XXXXXX");
	fd = mkstemp(t->path);
	assert_true(fd >= 0);
	close(fd);
	t->db = db_open(t->path, &e);
	assert_non_null(t->db);
	assert_true(db_migrate(t->db, &e) >= 4);
	assert_int_equal(cal_seed(t->db, "test", &e), 0);
	memset(&o, 0, sizeof(o));
	o.slug = "moh";
	o.name = "Министерство";
	o.region = "ru";
	o.tz = "Europe/Moscow";
	assert_int_equal(org_add(t->db, "test", &o, &t->org, &e), 0);
	t->conf = fb_conf_load(t->db, t->org, &e);
	if (t->conf == NULL)
		fail_msg("fb_conf_load: %s", e.msg);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct env *t = *state;
	char	    p[80];

	fb_conf_free(t->conf);
	db_close(t->db);
	unlink(t->path);
	snprintf(p, sizeof(p), "%s-wal", t->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", t->path);
	unlink(p);
	free(t);
	unsetenv("OTKLIK_NOW");
	return 0;
}

static int64_t
q_int(struct db *db, const char *sql, int64_t arg)
{
	struct db_stmt *s;
	int64_t		v;

	s = db_prepare(db, sql, "i", arg);
	assert_non_null(s);
	assert_int_equal(db_step(s), DB_ROW);
	v = db_col_int(s, 0);
	db_finalize(s);
	return v;
}

/* Stores a message in its own transaction; returns fb_insert's result. */
static int
add(struct env *t, const char *channel, const char *kind, const char *text,
    struct fb_contact *c, struct fb_msg *m, char key[65])
{
	struct err  e;
	const char *field;
	int	    r;

	fb_msg_init(m);
	snprintf(m->channel, sizeof(m->channel), "%s", channel);
	snprintf(m->kind, sizeof(m->kind), "%s", kind);
	m->text = xstrdup(text);
	if (fb_validate(m, c, &field, &e) != 0)
		fail_msg("validate: %s", e.msg);
	assert_int_equal(db_begin(t->db), 0);
	r = fb_insert(t->db, t->conf, "tester", m, c, key, &e);
	if (r < 0)
		fail_msg("fb_insert: %s", e.msg);
	assert_int_equal(db_commit(t->db), 0);
	return r;
}

static int
code_char(char ch)
{
	return ch != '\0' && strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", ch);
}

static void
test_insert_codes(void **state)
{
	struct env   *t = *state;
	struct fb_msg m, g;
	struct err    e;
	char	      key[65], low[16], bare[16];
	int	      i, j;

	assert_int_equal(add(t, "email", "appeal", "Где мой полис?", NULL, &m,
			     key), 0);
	assert_string_equal(key, "");
	assert_int_equal(strlen(m.code), FB_CODE_LEN);
	assert_int_equal(m.code[4], '-');
	for (i = 0; i < FB_CODE_LEN; i++)
		if (i != 4 && !code_char(m.code[i]))
			fail_msg("code %s: '%c' is not Crockford", m.code,
			    m.code[i]);
	/* Lower case and without the dash find the same message. */
	for (i = 0, j = 0; m.code[i] != '\0'; i++) {
		low[i] = (char)(m.code[i] >= 'A' && m.code[i] <= 'Z'
			? m.code[i] + 32 : m.code[i]);
		if (m.code[i] != '-')
			bare[j++] = m.code[i];
	}
	low[i] = '\0';
	bare[j] = '\0';
	fb_msg_init(&g);
	assert_int_equal(fb_get_code(t->db, low, &g, &e), 0);
	assert_int_equal(g.id, m.id);
	fb_msg_clear(&g);
	assert_int_equal(fb_get_code(t->db, bare, &g, &e), 0);
	assert_string_equal(g.code, m.code);
	assert_string_equal(g.state, "registered");
	assert_string_equal(g.text, "Где мой полис?");
	assert_int_equal(g.wait_minutes, -1);
	assert_int_equal(g.solved, -1);
	fb_msg_clear(&g);
	assert_int_equal(fb_get_code(t->db, "ZZZZ-ZZZZZZ", &g, &e), -1);
	assert_int_equal(e.code, EXIT_NOINPUT);
	assert_int_equal(fb_get_code(t->db, "K7M4-Q2XP9U", &g, &e), -1);
	assert_int_equal(fb_get_code(t->db, "short", &g, &e), -1);
	/* The event and the audit entry, which holds no text. */
	assert_int_equal(q_int(t->db, "SELECT count(*) FROM fb_event WHERE "
				      "message_id = ? AND action = 'registered'",
			     m.id), 1);
	assert_int_equal(q_int(t->db, "SELECT count(*) FROM audit WHERE "
				      "action = 'feedback.registered' AND object = "
				      "'message:' || ?", m.id), 1);
	assert_int_equal(q_int(t->db, "SELECT count(*) FROM audit WHERE "
				      "after_json LIKE '%полис%' OR ? = 0", 1), 0);
	/* Many codes, all different. */
	for (i = 0; i < 50; i++) {
		fb_msg_clear(&m);
		add(t, "site", "comment", "ещё", NULL, &m, key);
	}
	assert_int_equal(q_int(t->db, "SELECT count(DISTINCT code) FROM "
				      "fb_message WHERE org_id = ?", t->org), 51);
	fb_msg_clear(&m);
}

static void
test_deadlines(void **state)
{
	struct env   *t = *state;
	struct fb_msg m;
	int64_t	      received = now();

	fb_msg_init(&m);
	m.received_at = received;
	snprintf(m.source, sizeof(m.source), "direct");
	snprintf(m.channel, sizeof(m.channel), "email");
	snprintf(m.kind, sizeof(m.kind), "appeal");
	fb_deadlines(t->conf, &m);
	/* Written: acknowledge within a day; 59-FZ: about 30 days. */
	assert_true(m.ack_due > received && m.ack_due <= received + 4 * DAY);
	assert_true(m.answer_due >= received + 30 * DAY &&
	    m.answer_due <= received + 34 * DAY);

	snprintf(m.channel, sizeof(m.channel), "social");
	snprintf(m.kind, sizeof(m.kind), "mention");
	fb_deadlines(t->conf, &m);
	assert_int_equal(m.ack_due, 0);
	assert_true(m.answer_due > received &&
	    m.answer_due <= received + 3 * DAY);

	/* Through the platform the 8 days come before the 30. */
	snprintf(m.channel, sizeof(m.channel), "pos");
	snprintf(m.source, sizeof(m.source), "pos");
	snprintf(m.kind, sizeof(m.kind), "appeal");
	fb_deadlines(t->conf, &m);
	assert_true(m.answer_due >= received + 8 * DAY &&
	    m.answer_due <= received + 12 * DAY);

	/* A phone comment has no deadline. */
	snprintf(m.channel, sizeof(m.channel), "phone");
	snprintf(m.source, sizeof(m.source), "direct");
	snprintf(m.kind, sizeof(m.kind), "comment");
	fb_deadlines(t->conf, &m);
	assert_int_equal(m.ack_due, 0);
	assert_int_equal(m.answer_due, 0);
	fb_msg_clear(&m);
}

static void
test_contact_and_history(void **state)
{
	struct env	 *t = *state;
	struct fb_contact c;
	struct fb_msg	  m1, m2, *h;
	struct err	  e;
	const char	 *field;
	char		  key[65], key2[65], hash[65];
	unsigned char	  raw[32];
	int		  n, i;

	memset(&c, 0, sizeof(c));
	c.email = xstrdup("ivan@example.ru");
	c.name = xstrdup("Иван");
	assert_int_equal(add(t, "email", "appeal", "первое", &c, &m1, key), 0);
	assert_int_equal(strlen(key), 64);
	assert_true(m1.contact_id > 0);
	/* Only the hash of the key is stored. */
	crypto_generichash(raw, sizeof(raw), (unsigned char *)key, 64, NULL, 0);
	sodium_bin2hex(hash, sizeof(hash), raw, sizeof(raw));
	{
		struct db_stmt *s = db_prepare(t->db, "SELECT key_hash, email "
			"FROM fb_contact WHERE id = ?", "i", m1.contact_id);
		assert_int_equal(db_step(s), DB_ROW);
		assert_string_equal(db_col_text(s, 0), hash);
		assert_string_equal(db_col_text(s, 1), "ivan@example.ru");
		db_finalize(s);
	}
	/* An appeal without consent: the law, its end set on closing. */
	assert_int_equal(q_int(t->db, "SELECT count(*) FROM pd_basis WHERE "
				      "contact_id = ? AND basis = 'law' AND ends_at "
				      "IS NULL AND data_list LIKE '%почт%'",
			     m1.contact_id), 1);
	fb_contact_clear(&c);

	/* The key joins the next message to the same history. */
	c.key = xstrdup(key);
	assert_int_equal(add(t, "site", "complaint", "второе", &c, &m2, key2),
	    0);
	assert_string_equal(key2, "");
	assert_int_equal(m2.contact_id, m1.contact_id);
	for (i = 0; i < 64; i++)
		key2[i] = (char)(key[i] >= 'a' && key[i] <= 'f' ? key[i] - 32
								 : key[i]);
	key2[64] = '\0';
	n = fb_history(t->db, t->org, key2, &h, &e);
	assert_int_equal(n, 2);
	assert_int_equal(h[0].id, m2.id);
	assert_int_equal(h[1].id, m1.id);
	for (i = 0; i < n; i++)
		fb_msg_clear(&h[i]);
	free(h);
	fb_contact_clear(&c);
	fb_msg_clear(&m2);

	/* An unknown key is refused and stores nothing. */
	c.key = xstrdup("00000000000000000000000000000000000000000000000000000"
			"00000000000");
	fb_msg_init(&m2);
	snprintf(m2.channel, sizeof(m2.channel), "site");
	snprintf(m2.kind, sizeof(m2.kind), "appeal");
	m2.text = xstrdup("третье");
	assert_int_equal(fb_validate(&m2, &c, &field, &e), 0);
	assert_int_equal(db_begin(t->db), 0);
	assert_int_equal(fb_insert(t->db, t->conf, "t", &m2, &c, key2, &e), -1);
	assert_int_equal(e.code, EXIT_DATAERR);
	assert_non_null(strstr(e.msg, "key"));
	db_rollback(t->db);
	assert_int_equal(fb_history(t->db, t->org, c.key, &h, &e), -1);
	fb_contact_clear(&c);
	fb_msg_clear(&m2);

	/* A consent for a comment: five years. */
	c.phone = xstrdup("+7 900 000-00-00");
	c.consent = 1;
	assert_int_equal(add(t, "site", "comment", "спасибо", &c, &m2, key2), 0);
	assert_int_equal(q_int(t->db, "SELECT count(*) FROM pd_basis WHERE "
				      "contact_id = ? AND basis = 'consent' AND "
				      "text_version = '1' AND ends_at - granted_at "
				      "BETWEEN 1826 * 86400 AND 1827 * 86400 AND "
				      "destroy_by = ends_at + 30 * 86400",
			     m2.contact_id), 1);
	fb_contact_clear(&c);
	fb_msg_clear(&m1);
	fb_msg_clear(&m2);
}

static void
test_external_idempotent(void **state)
{
	struct env   *t = *state;
	struct fb_msg m, again;
	char	      key[65];
	int64_t	      id;
	char	      code[FB_CODE_LEN + 1];

	fb_msg_init(&m);
	snprintf(m.source, sizeof(m.source), "pos");
	m.external_id = xstrdup("POS-123");
	snprintf(m.channel, sizeof(m.channel), "pos");
	snprintf(m.kind, sizeof(m.kind), "appeal");
	m.text = xstrdup("из платформы");
	assert_int_equal(db_begin(t->db), 0);
	{
		struct err  e;
		const char *field;

		assert_int_equal(fb_validate(&m, NULL, &field, &e), 0);

		assert_int_equal(fb_insert(t->db, t->conf, "import", &m, NULL,
				     key, &e), 0);
		id = m.id;
		snprintf(code, sizeof(code), "%s", m.code);
		fb_msg_init(&again);
		snprintf(again.source, sizeof(again.source), "pos");
		again.external_id = xstrdup("POS-123");
		snprintf(again.channel, sizeof(again.channel), "pos");
		snprintf(again.kind, sizeof(again.kind), "appeal");
		again.text = xstrdup("из платформы, снова");
		assert_int_equal(fb_validate(&again, NULL, &field, &e), 0);
		assert_int_equal(fb_insert(t->db, t->conf, "import", &again,
				     NULL, key, &e), 1);
		assert_int_equal(again.id, id);
		assert_string_equal(again.code, code);
		/* Another source may use the same id. */
		fb_msg_clear(&again);
		snprintf(again.source, sizeof(again.source), "epgu");
		again.external_id = xstrdup("POS-123");
		snprintf(again.channel, sizeof(again.channel), "site");
		snprintf(again.kind, sizeof(again.kind), "appeal");
		again.text = xstrdup("с портала");
		assert_int_equal(fb_validate(&again, NULL, &field, &e), 0);
		assert_int_equal(fb_insert(t->db, t->conf, "import", &again,
				     NULL, key, &e), 0);
		assert_int_not_equal(again.id, id);
	}
	assert_int_equal(db_commit(t->db), 0);
	assert_int_equal(q_int(t->db, "SELECT count(*) FROM fb_message WHERE "
				      "external_id = 'POS-123' AND org_id = ?",
			     t->org), 2);
	fb_msg_clear(&m);
	fb_msg_clear(&again);
}

static void
expect_refusal(int r, struct err *e, const char *words)
{
	assert_int_equal(r, -1);
	if (strstr(e->msg, words) == NULL)
		fail_msg("'%s' does not say '%s'", e->msg, words);
}

static void
get(struct env *t, int64_t id, struct fb_msg *m)
{
	struct err e;

	fb_msg_clear(m);
	if (fb_get(t->db, t->org, id, m, &e) != 0)
		fail_msg("fb_get: %s", e.msg);
}

static void
test_lifecycle(void **state)
{
	struct env	 *t = *state;
	struct fb_contact c;
	struct fb_msg	  m;
	struct err	  e;
	char		  key[65];
	int64_t		  id, tpl, due;

	memset(&c, 0, sizeof(c));
	c.address = xstrdup("г. Москва, ул. Тверская, 1");
	add(t, "post", "appeal", "письмо", &c, &m, key);
	fb_contact_clear(&c);
	id = m.id;
	due = m.answer_due;
	assert_true(due > 0);

	expect_refusal(fb_answer(t->db, t->conf, "a", t->org, id, "x", 0, &e),
	    &e, "message 1 is registered; only an acknowledged or in_work "
		"message can be answered");
	expect_refusal(fb_close(t->db, t->conf, "a", t->org, id, NULL, &e), &e,
	    "only an answered message");
	expect_refusal(fb_reopen(t->db, t->conf, "a", t->org, id, NULL, &e),
	    &e, "only an answered or closed message");
	assert_int_equal(fb_acknowledge(t->db, t->conf, "a", t->org, id, &e),
	    0);
	expect_refusal(fb_acknowledge(t->db, t->conf, "a", t->org, id, &e),
	    &e, "is acknowledged; only a registered message");
	assert_int_equal(fb_take(t->db, t->conf, "a", t->org, id, &e), 0);
	expect_refusal(fb_take(t->db, t->conf, "a", t->org, id, &e), &e,
	    "is in_work; only a registered or acknowledged message can be "
	    "taken into work");

	/* The extension: once, at most 30 days, with a notice. */
	expect_refusal(fb_extend(t->db, t->conf, "a", t->org, id, 10, "  ",
			   &e), &e, "notice");
	expect_refusal(fb_extend(t->db, t->conf, "a", t->org, id, 0,
			   "уведомление", &e), &e, "days");
	expect_refusal(fb_extend(t->db, t->conf, "a", t->org, id, 31,
			   "уведомление", &e), &e, "30");
	assert_int_equal(fb_extend(t->db, t->conf, "a", t->org, id, 10,
			     "уведомление направлено", &e), 0);
	get(t, id, &m);
	assert_int_equal(m.extended, 1);
	assert_true(m.answer_due >= due + 10 * DAY - 3600);
	expect_refusal(fb_extend(t->db, t->conf, "a", t->org, id, 5,
			   "ещё раз", &e), &e, "once");

	/* An answer from a template counts its use. */
	assert_int_equal(db_run(t->db, &tpl, "INSERT INTO fb_template (org_id, "
					     "title, body, updated_at, updated_by) "
					     "VALUES (?, 'Запись', 'Ответ', 0, 't') "
					     "RETURNING id", "i", t->org), 0);
	expect_refusal(fb_answer(t->db, t->conf, "a", t->org, id, " \n ", tpl,
			   &e), &e, "answer is required");
	expect_refusal(fb_answer(t->db, t->conf, "a", t->org, id, "ответ",
			   tpl + 100, &e), &e, "template");
	assert_int_equal(fb_answer(t->db, t->conf, "a", t->org, id,
			     "Ответ: запишитесь по телефону.", tpl, &e), 0);
	assert_int_equal(q_int(t->db, "SELECT uses FROM fb_template WHERE "
				      "id = ?", tpl), 1);
	get(t, id, &m);
	assert_string_equal(m.state, "answered");
	assert_string_equal(m.answer, "Ответ: запишитесь по телефону.");
	assert_int_equal(m.template_id, tpl);
	assert_true(m.answered_at == now());

	/* Not a complaint: no outcome. */
	expect_refusal(fb_close(t->db, t->conf, "a", t->org, id, "satisfied",
			   &e), &e, "only a complaint has an outcome");
	assert_int_equal(fb_close(t->db, t->conf, "a", t->org, id, NULL, &e),
	    0);
	/* The law's basis ends five years after the answer. */
	get(t, id, &m);
	assert_int_equal(q_int(t->db, "SELECT count(*) FROM pd_basis WHERE "
				      "contact_id = ? AND basis = 'law' AND ends_at "
				      "- granted_at BETWEEN 1826 * 86400 AND 1827 "
				      "* 86400", m.contact_id), 1);
	assert_int_equal(fb_reopen(t->db, t->conf, "a", t->org, id,
			     "повторное обращение", &e), 0);
	get(t, id, &m);
	assert_string_equal(m.state, "in_work");
	assert_int_equal(m.reopened, 1);
	assert_int_equal(m.closed_at, 0);

	/* Every step is an event, and the audit chain holds. */
	assert_int_equal(q_int(t->db, "SELECT count(*) FROM fb_event WHERE "
				      "message_id = ?", id), 7);
	{
		struct audit_report ar;

		assert_int_equal(audit_verify(t->db, &ar, &e), 0);
	}
	expect_refusal(fb_acknowledge(t->db, t->conf, "a", t->org, 9999, &e),
	    &e, "no message 9999");
	assert_int_equal(e.code, EXIT_NOINPUT);
	fb_msg_clear(&m);
}

static void
test_complaint_and_reply(void **state)
{
	struct env   *t = *state;
	struct fb_msg m;
	struct err    e;
	char	      key[65];
	int64_t	      id;

	add(t, "site", "complaint", "нагрубили", NULL, &m, key);
	id = m.id;
	expect_refusal(fb_client_reply(t->db, t->conf, m.code, 1, &e), &e,
	    "no answer");
	assert_int_equal(fb_take(t->db, t->conf, "a", t->org, id, &e), 0);
	assert_int_equal(fb_answer(t->db, t->conf, "a", t->org, id,
			     "Проведена беседа.", 0, &e), 0);
	expect_refusal(fb_close(t->db, t->conf, "a", t->org, id, NULL, &e),
	    &e, "satisfied or unsatisfied");
	expect_refusal(fb_close(t->db, t->conf, "a", t->org, id, "maybe", &e),
	    &e, "satisfied or unsatisfied");

	/* "Not solved" reopens; the next answer may be replied to again. */
	assert_int_equal(fb_client_reply(t->db, t->conf, m.code, 0, &e), 0);
	get(t, id, &m);
	assert_string_equal(m.state, "in_work");
	assert_int_equal(m.solved, 0);
	assert_int_equal(m.reopened, 1);
	expect_refusal(fb_client_reply(t->db, t->conf, m.code, 1, &e), &e,
	    "given already");
	assert_int_equal(fb_answer(t->db, t->conf, "a", t->org, id,
			     "Сотрудник наказан.", 0, &e), 0);
	get(t, id, &m);
	assert_int_equal(m.solved, -1);
	assert_int_equal(fb_close(t->db, t->conf, "a", t->org, id,
			     "unsatisfied", &e), 0);
	/* Closed by staff, then "solved": the staff's outcome stays. */
	assert_int_equal(fb_client_reply(t->db, t->conf, m.code, 1, &e), 0);
	get(t, id, &m);
	assert_string_equal(m.state, "closed");
	assert_string_equal(m.outcome, "unsatisfied");
	assert_int_equal(m.solved, 1);
	expect_refusal(fb_client_reply(t->db, t->conf, m.code, 0, &e), &e,
	    "given already");
	assert_int_equal(q_int(t->db, "SELECT count(*) FROM fb_event WHERE "
				      "message_id = ? AND actor = 'client'", id), 2);
	fb_msg_clear(&m);

	/* An answered complaint the client calls solved closes satisfied. */
	add(t, "site", "complaint", "опять", NULL, &m, key);
	id = m.id;
	assert_int_equal(fb_acknowledge(t->db, t->conf, "a", t->org, id, &e),
	    0);
	assert_int_equal(fb_answer(t->db, t->conf, "a", t->org, id, "Ок", 0,
			     &e), 0);
	assert_int_equal(fb_client_reply(t->db, t->conf, m.code, 1, &e), 0);
	get(t, id, &m);
	assert_string_equal(m.state, "closed");
	assert_string_equal(m.outcome, "satisfied");
	assert_true(m.closed_at > 0);
	fb_msg_clear(&m);
}

static void
test_assign_and_classify(void **state)
{
	struct env   *t = *state;
	struct fb_msg m;
	struct err    e;
	char	      key[65];
	int64_t	      unit, a, b, topic, id;

	add(t, "phone", "request", "справка", NULL, &m, key);
	id = m.id;
	assert_int_equal(db_begin(t->db), 0);
	assert_int_equal(unit_get(t->db, "t", t->org, "Отдел", 1, &unit, &e),
	    0);
	assert_int_equal(staff_add(t->db, "t", "a", "Анна", &a, &e), 0);
	assert_int_equal(staff_add(t->db, "t", "b", "Борис", &b, &e), 0);
	assert_int_equal(staff_grant(t->db, "t", "a", t->org, "officer", 0,
			     &e), 0);
	assert_int_equal(staff_grant(t->db, "t", "b", t->org, "officer", 0,
			     &e), 0);
	assert_int_equal(db_commit(t->db), 0);
	assert_int_equal(fb_assign(t->db, "t", t->org, id, unit, a, &e), 0);
	get(t, id, &m);
	assert_int_equal(m.transfers, 0);
	assert_string_equal(m.unit, "Отдел");
	assert_string_equal(m.assignee, "Анна");
	assert_string_equal(m.assignee_login, "a");
	assert_int_equal(fb_assign(t->db, "t", t->org, id, 0, b, &e), 0);
	assert_int_equal(fb_assign(t->db, "t", t->org, id, 0, b, &e), 0);
	get(t, id, &m);
	assert_int_equal(m.transfers, 1);
	assert_int_equal(m.unit_id, unit);
	expect_refusal(fb_assign(t->db, "t", t->org, id, unit + 50, 0, &e),
	    &e, "unit");
	expect_refusal(fb_assign(t->db, "t", t->org, id, 0, 0, &e), &e,
	    "name a unit or a person");

	assert_int_equal(db_run(t->db, &topic, "INSERT INTO fb_topic (org_id, "
					       "kind, title) VALUES (?, 'topic', "
					       "'Запись') RETURNING id", "i",
			     t->org), 0);
	expect_refusal(fb_classify(t->db, "t", t->org, id, 0, topic, NULL,
			   &e), &e, "reason");
	expect_refusal(fb_classify(t->db, "t", t->org, id, 0, 0, "tax", &e),
	    &e, "form");
	assert_int_equal(fb_classify(t->db, "t", t->org, id, topic, 0,
			     "service", &e), 0);
	get(t, id, &m);
	assert_int_equal(m.topic_id, topic);
	assert_string_equal(m.topic, "Запись");
	assert_string_equal(m.form, "service");
	assert_int_equal(fb_classify(t->db, "t", t->org, id, 0, 0, "", &e), 0);
	get(t, id, &m);
	assert_string_equal(m.form, "");
	assert_int_equal(m.topic_id, topic);
	fb_msg_clear(&m);
}

static int
list(struct env *t, struct fb_filter *f, int64_t at, struct fb_msg **v,
    int *total)
{
	struct err e;
	int	   n;

	f->org_id = t->org;
	n = fb_list(t->db, f, at, v, total, &e);
	if (n < 0)
		fail_msg("fb_list: %s", e.msg);
	return n;
}

static void
list_free(struct fb_msg *v, int n)
{
	while (n > 0)
		fb_msg_clear(&v[--n]);
	free(v);
}

static void
test_list(void **state)
{
	struct env	*t = *state;
	struct fb_msg	 m, *v;
	struct fb_filter f;
	struct err	 e;
	char		 key[65];
	int64_t		 social, email, phone;
	int		 n, total, i;

	add(t, "email", "appeal", "Запись к ВРАЧУ невозможна", NULL, &m, key);
	email = m.id;
	fb_msg_clear(&m);
	add(t, "social", "mention", "врач опоздал", NULL, &m, key);
	social = m.id;
	fb_msg_clear(&m);
	add(t, "phone", "comment", "спасибо за помощь", NULL, &m, key);
	phone = m.id;
	fb_msg_clear(&m);

	/* The 4 hours of the social network first; no deadline last. */
	memset(&f, 0, sizeof(f));
	n = list(t, &f, now(), &v, &total);
	assert_int_equal(n, 3);
	assert_int_equal(total, 3);
	assert_int_equal(v[0].id, social);
	assert_int_equal(v[1].id, email);
	assert_int_equal(v[2].id, phone);
	list_free(v, n);

	/* Words in any case, Cyrillic too. */
	f.q = "врач";
	n = list(t, &f, now(), &v, &total);
	assert_int_equal(n, 2);
	assert_int_equal(total, 2);
	list_free(v, n);
	f.q = "ЗАПИСЬ врачу";
	n = list(t, &f, now(), &v, NULL);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, email);
	list_free(v, n);
	f.q = "врач";
	f.limit = 1;
	f.offset = 1;
	n = list(t, &f, now(), &v, &total);
	assert_int_equal(n, 1);
	assert_int_equal(total, 2);
	assert_int_equal(v[0].id, email);
	list_free(v, n);

	memset(&f, 0, sizeof(f));
	f.kind = "comment";
	n = list(t, &f, now(), &v, NULL);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, phone);
	list_free(v, n);

	/* A day later only the social mention is overdue; in two days the
	 * e-mail's acknowledgement too (24 working hours from Monday). */
	memset(&f, 0, sizeof(f));
	f.overdue = 1;
	n = list(t, &f, now() + DAY, &v, NULL);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, social);
	list_free(v, n);
	n = list(t, &f, now() + 4 * DAY, &v, NULL);
	assert_int_equal(n, 2);
	list_free(v, n);
	/* Acknowledged, the e-mail waits for its answer: not overdue. */
	assert_int_equal(fb_acknowledge(t->db, t->conf, "a", t->org, email,
			     &e), 0);
	n = list(t, &f, now() + 4 * DAY, &v, NULL);
	assert_int_equal(n, 1);
	list_free(v, n);

	memset(&f, 0, sizeof(f));
	f.state = "acknowledged";
	n = list(t, &f, now(), &v, NULL);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, email);
	list_free(v, n);
	assert_int_equal(fb_close(t->db, t->conf, "a", t->org, phone, NULL, &e),
	    0);
	f.state = "open";
	n = list(t, &f, now(), &v, &total);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++)
		assert_int_not_equal(v[i].id, phone);
	list_free(v, n);
	f.state = "closed";
	n = list(t, &f, now(), &v, NULL);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, phone);
	list_free(v, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate_table),
		cmocka_unit_test(test_validate_no_echo),
		cmocka_unit_test(test_validate_normalizes),
		cmocka_unit_test(test_code_tables),
		cmocka_unit_test_setup_teardown(test_insert_codes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_deadlines, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_contact_and_history,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_external_idempotent,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_lifecycle, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_complaint_and_reply,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_assign_and_classify,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_list, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	setenv("OTKLIK_NOW", NOW_TEXT, 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

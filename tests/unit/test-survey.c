/*
 * Unit tests of survey.c and survey_store.c: definitions refused with
 * the question named (a table of broken ones), the four standard
 * instruments read and written back unchanged, answers checked against a
 * definition with conditional display, the index arithmetic of R-SRV-5,
 * and in a scratch SQLite database the installation of the standard
 * instruments, versions and publication, invitations used once, the
 * responses stored with nothing but the day, paper forms stored once,
 * targets, and an audit chain that still verifies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <math.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "otklik.h"
#include "audit.h"
#include "cal.h"
#include "db.h"
#include "org.h"
#include "survey.h"

#define NOW_TEXT "2026-03-02T07:00:00Z"	/* Monday, 10:00 in Moscow */

/* ---- definitions ---- */

/* A question list wrapped into an instrument. */
static char *
wrap(const char *questions)
{
	return xasprintf("{\"code\": \"t\", \"title_ru\": \"Тест\", "
	    "\"questions\": [%s]}", questions);
}

#define RQ(c) "{\"code\": \"" c "\", \"type\": \"rating\", \"text_ru\": \"Q\"}"
#define YN(c)                                                          \
	"{\"code\": \"" c "\", \"type\": \"single\", \"text_ru\": \"Q\", " \
	"\"options\": [{\"code\": \"yes\", \"text_ru\": \"Да\"}, "         \
	"{\"code\": \"no\", \"text_ru\": \"Нет\"}]}"

static void
test_parse_errors(void **state)
{
	static const struct {
		int	    whole;	/* 1: text is the whole document */
		const char *text;
		const char *msg;
	} t[] = {
		{1, "{\"code\": \"t\", \"title_ru\": \"T\", \"colour\": 1, "
		    "\"questions\": [" RQ("a") "]}", "unknown member 'colour'"},
		{1, "{\"code\": \"t\", \"title_ru\": \"T\", \"questions\": []}",
		    "questions must be an array of at least one question"},
		{1, "{\"code\": \"t\", \"title_ru\": \"T\", \"client\": "
		    "\"robot\", \"questions\": [" RQ("a") "]}",
		    "client must be 'external' or 'internal'"},
		{1, "{\"code\": \"T!\", \"title_ru\": \"T\", \"questions\": ["
		    RQ("a") "]}", "code must be 1 to 40 of a-z"},
		{1, "{\"code\": \"t\", \"title_ru\": \"a\\u0007b\", "
		    "\"questions\": [" RQ("a") "]}",
		    "title_ru contains control characters"},
		{1, "{\"code\": \"t\", \"code\": \"u\"}", "is not JSON"},
		{1, "{\"code\": \"t\",", "is not JSON: line 1"},
		{1, "[1, 2]", "the definition must be a JSON object"},
		{0, RQ("a") ", {\"code\": \"b\", \"type\": \"rating\", "
		    "\"text_ru\": \"Q\", \"foo\": 1}",
		    "question 2 (b): unknown member 'foo'"},
		{0, RQ("a") ", " RQ("a"),
		    "question 2 (a): the code is that of question 1 too"},
		{0, "{\"code\": \"a\", \"type\": \"scale\", \"text_ru\": \"Q\"}",
		    "question 1 (a): type must be rating, single, multi or "
		    "text"},
		{0, "{\"code\": \"a\", \"type\": \"rating\"}",
		    "question 1 (a): text_ru is missing"},
		{0, "{\"type\": \"rating\", \"text_ru\": \"Q\"}",
		    "question 1: code is missing"},
		{0, "{\"code\": \"a\", \"type\": \"single\", \"text_ru\": \"Q\"}",
		    "question 1 (a): a single question needs options"},
		{0, "{\"code\": \"a\", \"type\": \"multi\", \"text_ru\": \"Q\", "
		    "\"options\": []}",
		    "question 1 (a): a multi question needs options"},
		{0, "{\"code\": \"a\", \"type\": \"rating\", \"text_ru\": \"Q\", "
		    "\"options\": [{\"code\": \"x\", \"text_ru\": \"X\"}]}",
		    "question 1 (a): options are only for single and multi"},
		{0, "{\"code\": \"a\", \"type\": \"single\", \"text_ru\": \"Q\", "
		    "\"options\": [{\"code\": \"x\", \"text_ru\": \"X\"}, "
		    "{\"code\": \"x\", \"text_ru\": \"Y\"}]}",
		    "question 1 (a): option 2 (x): the code is that of option 1"},
		{0, "{\"code\": \"a\", \"type\": \"single\", \"text_ru\": \"Q\", "
		    "\"options\": [{\"code\": \"x\"}]}",
		    "question 1 (a): option 1 (x): text_ru is missing"},
		{0, "{\"code\": \"a\", \"type\": \"rating\", \"text_ru\": \"Q\", "
		    "\"max\": 10}", "question 1 (a): max is only for text"},
		{0, "{\"code\": \"a\", \"type\": \"text\", \"text_ru\": \"Q\", "
		    "\"max\": 4001}", "question 1 (a): max must be a number of "
		    "bytes from 1 to 4000"},
		{0, "{\"code\": \"a\", \"type\": \"text\", \"text_ru\": \"Q\", "
		    "\"required\": \"yes\"}",
		    "question 1 (a): required must be true or false"},
		{0, YN("booked") ", {\"code\": \"booking\", \"type\": "
		    "\"rating\", \"text_ru\": \"Q\", \"show_if\": \"x\", "
		    "\"show_any\": [\"yes\"]}",
		    "question 2 (booking): show_if names 'x', which is not an "
		    "earlier question"},
		{0, "{\"code\": \"booking\", \"type\": \"rating\", \"text_ru\": "
		    "\"Q\", \"show_if\": \"booked\", \"show_any\": [\"yes\"]}, "
		    YN("booked"),
		    "question 1 (booking): show_if names 'booked', which is not "
		    "an earlier question"},
		{0, RQ("a") ", {\"code\": \"b\", \"type\": \"rating\", "
		    "\"text_ru\": \"Q\", \"show_if\": \"a\", \"show_any\": "
		    "[\"yes\"]}", "question 2 (b): show_if names 'a', which is "
		    "not a single or multi question"},
		{0, YN("a") ", {\"code\": \"b\", \"type\": \"rating\", "
		    "\"text_ru\": \"Q\", \"show_if\": \"a\", \"show_any\": "
		    "[\"maybe\"]}", "question 2 (b): show_any names 'maybe', "
		    "which is not an option of 'a'"},
		{0, YN("a") ", {\"code\": \"b\", \"type\": \"rating\", "
		    "\"text_ru\": \"Q\", \"show_if\": \"a\"}",
		    "question 2 (b): show_any must list the options of 'a'"},
		{0, YN("a") ", {\"code\": \"b\", \"type\": \"rating\", "
		    "\"text_ru\": \"Q\", \"show_any\": [\"yes\"]}",
		    "question 2 (b): show_any without show_if"},
		{0, RQ("a") ", {\"code\": \"b\", \"type\": \"text\", "
		    "\"text_ru\": \"Q\", \"hint_ru\": \"\\u001b[31m\"}",
		    "question 2 (b): hint_ru contains control characters"},
		{0, "{\"code\": \"a\", \"type\": \"rating\", \"text_ru\": "
		    "\"  \"}", "question 1 (a): text_ru is empty"},
		{0, "7", "question 1: must be an object"},
	};
	struct srv_def d;
	struct err     e;
	size_t	       i;
	char	      *doc;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		doc = t[i].whole ? xstrdup(t[i].text) : wrap(t[i].text);
		err_clear(&e);
		memset(&d, 0x5a, sizeof(d));
		if (srv_def_parse(&d, doc, strlen(doc), &e) == 0)
			fail_msg("case %zu: accepted %s", i, doc);
		if (strstr(e.msg, t[i].msg) == NULL)
			fail_msg("case %zu: \"%s\", expected \"%s\"", i, e.msg,
			    t[i].msg);
		assert_int_equal(e.code, EXIT_DATAERR);
		/* Left empty: clearing it again is harmless. */
		assert_null(d.code);
		assert_null(d.q);
		assert_int_equal(d.nq, 0);
		srv_def_clear(&d);
		free(doc);
	}
}

static void
test_parse_limits(void **state)
{
	struct srv_def d;
	struct err     e;
	struct buf     b;
	int	       i;

	(void)state;
	/* One question too many. */
	buf_init(&b, BUF_MAX_DEFAULT);
	buf_puts(&b, "{\"code\": \"t\", \"title_ru\": \"T\", \"questions\": [");
	for (i = 0; i <= SRV_QUESTIONS_MAX; i++)
		buf_printf(&b, "%s{\"code\": \"q%d\", \"type\": \"rating\", "
		    "\"text_ru\": \"Q\"}", i > 0 ? ", " : "", i);
	buf_puts(&b, "]}");
	assert_int_equal(srv_def_parse(&d, b.data, b.len, &e), -1);
	assert_non_null(strstr(e.msg, "more than 100 questions"));
	/* A document past SRV_DEF_MAX is refused before it is read. */
	buf_reset(&b);
	buf_puts(&b, "{\"code\": \"t\", \"title_ru\": \"");
	for (i = 0; i < SRV_DEF_MAX; i++)
		buf_putc(&b, 'a');
	buf_puts(&b, "\"}");
	assert_int_equal(srv_def_parse(&d, b.data, b.len, &e), -1);
	assert_non_null(strstr(e.msg, "larger than 262144 bytes"));
	/* A title past SRV_TITLE_MAX. */
	buf_reset(&b);
	buf_puts(&b, "{\"code\": \"t\", \"title_ru\": \"");
	for (i = 0; i <= SRV_TITLE_MAX; i++)
		buf_putc(&b, 'a');
	buf_puts(&b, "\", \"questions\": [" RQ("a") "]}");
	assert_int_equal(srv_def_parse(&d, b.data, b.len, &e), -1);
	assert_non_null(strstr(e.msg, "title_ru is longer than 500 bytes"));
	buf_free(&b);
}

static void
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_true(a == b);
	else
		assert_string_equal(a, b);
}

/* Field by field: what parse(json(d)) must give back. */
static void
def_equal(const struct srv_def *a, const struct srv_def *b)
{
	const struct srv_question *p, *q;
	size_t			   i, k;

	str_eq(a->code, b->code);
	str_eq(a->title_ru, b->title_ru);
	str_eq(a->title_en, b->title_en);
	str_eq(a->intro_ru, b->intro_ru);
	str_eq(a->intro_en, b->intro_en);
	assert_string_equal(a->client, b->client);
	assert_string_equal(a->access, b->access);
	assert_int_equal(a->nq, b->nq);
	for (i = 0; i < a->nq; i++) {
		p = &a->q[i];
		q = &b->q[i];
		str_eq(p->code, q->code);
		assert_int_equal(p->type, q->type);
		str_eq(p->text_ru, q->text_ru);
		str_eq(p->text_en, q->text_en);
		str_eq(p->hint_ru, q->hint_ru);
		str_eq(p->hint_en, q->hint_en);
		assert_int_equal(p->required, q->required);
		assert_int_equal(p->max, q->max);
		assert_int_equal(p->noptions, q->noptions);
		for (k = 0; k < p->noptions; k++) {
			str_eq(p->options[k].code, q->options[k].code);
			str_eq(p->options[k].text_ru, q->options[k].text_ru);
			str_eq(p->options[k].text_en, q->options[k].text_en);
		}
		str_eq(p->show_if, q->show_if);
		assert_int_equal(p->nshow_any, q->nshow_any);
		for (k = 0; k < p->nshow_any; k++)
			str_eq(p->show_any[k], q->show_any[k]);
	}
}

static void
read_data(const char *code, struct buf *b)
{
	const char *src = getenv("SRCDIR");
	struct err  e;
	char	    path[512];

	if (src == NULL)
		fail_msg("SRCDIR is not set: run the test through meson test");
	snprintf(path, sizeof(path), "%s/data/surveys/%s.json", src, code);
	buf_init(b, SRV_DEF_MAX);
	if (buf_read_file(b, path, &e) != 0)
		fail_msg("%s", e.msg);
}

static const char *const external_codes[] = {
	"needs", "needs_other", "booked", "access", "clarity", "booking",
	"informing", "documents", "speed", "overall", "proposals", "segment",
};
static const char *const internal_codes[] = {
	"career", "workplace", "automation", "regulation", "manager",
	"cooperation", "hr", "colleagues", "overall", "proposals",
};

static void
check_standard(const struct srv_def *d)
{
	static const struct {
		const char *code, *title, *client, *access;
	} std[] = {
		{"services", "Оценка удовлетворенности внешних клиентов оказанием "
		    "Министерством государственных услуг", "external", "open"},
		{"appeals", "Оценка удовлетворенности внешних клиентов "
		    "рассмотрением обращений в Министерстве", "external", "open"},
		{"information", "Оценка удовлетворенности внешних клиентов "
		    "доступностью информации о деятельности Министерства",
		    "external", "open"},
		{"internal", "Оценка удовлетворенности организацией прохождения "
		    "государственной гражданской службы внутренних клиентов "
		    "Министерства", "internal", "invite"},
	};
	const char *const *codes;
	size_t		   i, n;
	int		   b;

	for (i = 0; i < nitems(std); i++)
		if (strcmp(std[i].code, d->code) == 0)
			break;
	assert_true(i < nitems(std));
	assert_string_equal(d->title_ru, std[i].title);
	assert_string_equal(d->client, std[i].client);
	assert_string_equal(d->access, std[i].access);
	assert_non_null(d->title_en);
	if (strcmp(d->code, "internal") == 0) {
		codes = internal_codes;
		n = nitems(internal_codes);
	} else {
		codes = external_codes;
		n = nitems(external_codes);
	}
	assert_int_equal(d->nq, n);
	for (i = 0; i < n; i++) {
		assert_string_equal(d->q[i].code, codes[i]);
		assert_non_null(d->q[i].text_en);
	}
	if (codes == internal_codes) {
		assert_string_equal(d->q[0].text_ru, "Возможность "
		    "профессионального развития и должностного роста");
		assert_string_equal(d->q[7].text_ru,
		    "Взаимоотношение между коллегами в коллективе");
		for (i = 0; i < 9; i++) {
			assert_int_equal(d->q[i].type, SRV_RATING);
			assert_true(d->q[i].required);
		}
		return;
	}
	/* Booking: rated only by those who booked, and not required. */
	b = srv_def_find(d, "booking");
	assert_int_equal(d->q[b].type, SRV_RATING);
	assert_false(d->q[b].required);
	assert_string_equal(d->q[b].show_if, "booked");
	assert_int_equal(d->q[b].nshow_any, 1);
	assert_string_equal(d->q[b].show_any[0], "yes");
	assert_int_equal(d->q[srv_def_find(d, "needs")].type, SRV_MULTI);
	assert_int_equal(d->q[srv_def_find(d, "segment")].type, SRV_SINGLE);
	assert_false(d->q[srv_def_find(d, "segment")].required);
	assert_int_equal(d->q[srv_def_find(d, "proposals")].type, SRV_TEXT);
	assert_int_equal(d->q[srv_def_find(d, "needs_other")].type, SRV_TEXT);
	assert_string_equal(d->q[srv_def_find(d, "needs_other")].show_if,
	    "needs");
}

static void
test_roundtrip(void **state)
{
	const struct embedded_file *f;
	struct srv_def		    a, b;
	struct err		    e;
	struct buf		    file;
	char			   *j1, *j2, name[64];
	size_t			    i;

	(void)state;
	for (i = 0; srv_standard_codes[i] != NULL; i++) {
		read_data(srv_standard_codes[i], &file);
		if (srv_def_parse(&a, file.data, file.len, &e) != 0)
			fail_msg("%s: %s", srv_standard_codes[i], e.msg);
		assert_string_equal(a.code, srv_standard_codes[i]);
		check_standard(&a);
		j1 = srv_def_json(&a);
		if (srv_def_parse(&b, j1, strlen(j1), &e) != 0)
			fail_msg("%s written back: %s", srv_standard_codes[i],
			    e.msg);
		def_equal(&a, &b);
		/* Canonical: writing it again gives the same text. */
		j2 = srv_def_json(&b);
		assert_string_equal(j1, j2);
		/* The binary carries the same file. */
		snprintf(name, sizeof(name), "surveys/%s.json",
		    srv_standard_codes[i]);
		f = embedded_find(name);
		assert_non_null(f);
		assert_int_equal(f->len, file.len);
		assert_memory_equal(f->data, file.data, file.len);
		free(j1);
		free(j2);
		srv_def_clear(&a);
		srv_def_clear(&b);
		buf_free(&file);
	}
	assert_null(srv_standard_codes[4]);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(srv_qtype_name(SRV_RATING), "rating");
	assert_string_equal(srv_qtype_name(SRV_TEXT), "text");
	assert_int_equal(srv_qtype_parse("multi"), SRV_MULTI);
	assert_int_equal(srv_qtype_parse("single"), SRV_SINGLE);
	assert_int_equal(srv_qtype_parse("Multi"), -1);
	assert_int_equal(srv_qtype_parse(NULL), -1);
	assert_string_equal(srv_anchor_ru[1],
	    "неудовлетворительно, не устраивает");
	assert_string_equal(srv_anchor_ru[3],
	    "удовлетворительно, но со значительными недостатками");
	assert_string_equal(srv_anchor_ru[5],
	    "отлично, полностью удовлетворен(а)");
	assert_string_equal(srv_anchor_en[5], "excellent, fully satisfied");
	assert_string_equal(srv_text("да", "yes", "en"), "yes");
	assert_string_equal(srv_text("да", "yes", "ru"), "да");
	assert_string_equal(srv_text("да", NULL, "en"), "да");
	assert_string_equal(srv_text("да", "", "en"), "да");
}

/* ---- answers ---- */

static const char validate_def[] =
    "{\"code\": \"v\", \"title_ru\": \"V\", \"questions\": ["
    "{\"code\": \"booked\", \"type\": \"single\", \"text_ru\": \"Q\", "
    "\"required\": true, \"options\": [{\"code\": \"yes\", \"text_ru\": "
    "\"Да\"}, {\"code\": \"no\", \"text_ru\": \"Нет\"}]}, "
    "{\"code\": \"booking\", \"type\": \"rating\", \"text_ru\": \"Q\", "
    "\"required\": true, \"show_if\": \"booked\", \"show_any\": [\"yes\"]}, "
    "{\"code\": \"access\", \"type\": \"rating\", \"text_ru\": \"Q\", "
    "\"required\": true}, "
    "{\"code\": \"needs\", \"type\": \"multi\", \"text_ru\": \"Q\", "
    "\"options\": [{\"code\": \"a\", \"text_ru\": \"A\"}, {\"code\": \"b\", "
    "\"text_ru\": \"B\"}, {\"code\": \"other\", \"text_ru\": \"C\"}]}, "
    "{\"code\": \"other\", \"type\": \"text\", \"text_ru\": \"Q\", "
    "\"show_if\": \"needs\", \"show_any\": [\"other\"]}, "
    "{\"code\": \"when\", \"type\": \"single\", \"text_ru\": \"Q\", "
    "\"show_if\": \"other\", \"show_any\": [\"x\"], \"options\": "
    "[{\"code\": \"x\", \"text_ru\": \"X\"}]}"
    "]}";

static void
load_def(struct srv_def *d, const char *json)
{
	struct err e;

	if (srv_def_parse(d, json, strlen(json), &e) != 0)
		fail_msg("%s", e.msg);
}

static void
choose(struct srv_item *it, const char *a, const char *b)
{
	it->choices = xcalloc(2, sizeof(char *));
	it->choices[0] = xstrdup(a);
	it->nchoices = 1;
	if (b != NULL) {
		it->choices[1] = xstrdup(b);
		it->nchoices = 2;
	}
}

/* The definition used for srv_validate: the last question removed
 * (it names a text question and is refused, as test_parse checks). */
static void
small_def(struct srv_def *d)
{
	char *s = xstrdup(validate_def), *p;

	p = strstr(s, ", {\"code\": \"when\"");
	assert_non_null(p);
	memcpy(p, "]}", 3);
	load_def(d, s);
	free(s);
}

static void
test_validate(void **state)
{
	struct srv_def	 d;
	struct srv_resp	 r;
	struct srv_error err[8];
	struct err	 e;
	char		 big[64];

	(void)state;
	/* A show_if on a text question is refused. */
	assert_int_equal(srv_def_parse(&d, validate_def, strlen(validate_def),
			     &e), -1);
	assert_non_null(strstr(e.msg, "question 6 (when): show_if names "
				      "'other', which is not a single or multi"));
	small_def(&d);
	assert_int_equal(d.nq, 5);

	/* Nothing given: the two required questions shown are in error. */
	srv_resp_init(&r, d.nq);
	assert_int_equal(srv_validate(&d, &r, err, 8), 2);
	assert_int_equal(err[0].q, 0);
	assert_int_equal(err[1].q, 2);
	assert_string_equal(err[0].why_en, "Please answer this question.");
	assert_non_null(err[0].why_ru);
	/* Room for one: the first. */
	assert_int_equal(srv_validate(&d, &r, err, 1), 1);
	assert_int_equal(err[0].q, 0);

	/* "no": booking is hidden, its answer dropped. */
	choose(&r.items[0], "no", NULL);
	r.items[1].rating = 4;
	r.items[2].rating = 5;
	assert_int_equal(srv_validate(&d, &r, err, 8), 0);
	assert_int_equal(r.items[1].rating, 0);
	/* A rating given to a choice question is dropped too. */
	r.items[3].rating = 3;
	r.items[4].text = xstrdup("hidden: needs has no 'other'");
	assert_int_equal(srv_validate(&d, &r, err, 8), 0);
	assert_int_equal(r.items[3].rating, 0);
	assert_null(r.items[4].text);
	srv_resp_clear(&r);

	/* "yes": booking is shown and required. */
	srv_resp_init(&r, d.nq);
	choose(&r.items[0], "yes", NULL);
	r.items[2].rating = 1;
	assert_int_equal(srv_validate(&d, &r, err, 8), 1);
	assert_int_equal(err[0].q, 1);
	r.items[1].rating = 6;
	assert_int_equal(srv_validate(&d, &r, err, 8), 1);
	assert_string_equal(err[0].why_en, "The rating must be from 1 to 5.");
	r.items[1].rating = -1;
	assert_int_equal(srv_validate(&d, &r, err, 8), 1);
	r.items[1].rating = 2;
	assert_int_equal(srv_validate(&d, &r, err, 8), 0);
	srv_resp_clear(&r);

	/* An option that does not exist; two for a single choice. */
	srv_resp_init(&r, d.nq);
	choose(&r.items[0], "maybe", NULL);
	r.items[2].rating = 3;
	assert_int_equal(srv_validate(&d, &r, err, 8), 1);
	assert_int_equal(err[0].q, 0);
	assert_string_equal(err[0].why_en, "There is no such option.");
	srv_resp_clear(&r);
	srv_resp_init(&r, d.nq);
	choose(&r.items[0], "yes", "no");
	r.items[1].rating = 3;
	r.items[2].rating = 3;
	assert_int_equal(srv_validate(&d, &r, err, 8), 1);
	assert_string_equal(err[0].why_en, "Choose one option.");
	srv_resp_clear(&r);

	/* Multiple choice: repeats refused; "other" shows the text. */
	srv_resp_init(&r, d.nq);
	choose(&r.items[0], "no", NULL);
	r.items[2].rating = 3;
	choose(&r.items[3], "a", "a");
	assert_int_equal(srv_validate(&d, &r, err, 8), 1);
	assert_int_equal(err[0].q, 3);
	assert_string_equal(err[0].why_en, "An option is chosen twice.");
	free(r.items[3].choices[1]);
	r.items[3].choices[1] = xstrdup("other");
	r.items[4].text = xstrdup("  курсы \t  повышения \n\n\n квалификации ");
	assert_int_equal(srv_validate(&d, &r, err, 8), 0);
	assert_string_equal(r.items[4].text, "курсы повышения\nквалификации");
	/* Control characters, invalid UTF-8, too long, blank. */
	free(r.items[4].text);
	r.items[4].text = xstrdup("bell\x07");
	assert_int_equal(srv_validate(&d, &r, err, 8), 1);
	assert_int_equal(err[0].q, 4);
	assert_string_equal(err[0].why_en,
	    "The text contains characters that are not allowed.");
	free(r.items[4].text);
	r.items[4].text = xstrdup("next\xc2\x85line");
	assert_int_equal(srv_validate(&d, &r, err, 8), 1);
	free(r.items[4].text);
	r.items[4].text = xstrdup("\xd0");
	assert_int_equal(srv_validate(&d, &r, err, 8), 1);
	free(r.items[4].text);
	r.items[4].text = xmalloc(SRV_ANSWER_MAX + 2);
	memset(r.items[4].text, 'x', SRV_ANSWER_MAX + 1);
	r.items[4].text[SRV_ANSWER_MAX + 1] = '\0';
	assert_int_equal(srv_validate(&d, &r, err, 8), 1);
	assert_string_equal(err[0].why_en, "The text is too long.");
	r.items[4].text[SRV_ANSWER_MAX] = '\0';
	assert_int_equal(srv_validate(&d, &r, err, 8), 0);
	free(r.items[4].text);
	r.items[4].text = xstrdup(" \n\t ");
	assert_int_equal(srv_validate(&d, &r, err, 8), 0);
	assert_null(r.items[4].text);
	srv_resp_clear(&r);
	srv_def_clear(&d);

	/* A text question's own max. */
	load_def(&d, "{\"code\": \"m\", \"title_ru\": \"M\", \"questions\": "
	    "[{\"code\": \"t\", \"type\": \"text\", \"text_ru\": \"Q\", "
	    "\"max\": 10, \"required\": true}]}");
	srv_resp_init(&r, d.nq);
	r.items[0].text = xstrdup("0123456789");
	assert_int_equal(srv_validate(&d, &r, err, 8), 0);
	free(r.items[0].text);
	snprintf(big, sizeof(big), "0123456789A");
	r.items[0].text = xstrdup(big);
	assert_int_equal(srv_validate(&d, &r, err, 8), 1);
	free(r.items[0].text);
	r.items[0].text = NULL;
	assert_int_equal(srv_validate(&d, &r, err, 8), 1);
	assert_string_equal(err[0].why_en, "Please answer this question.");
	srv_resp_clear(&r);
	/* A response of another shape is refused outright. */
	srv_resp_init(&r, 3);
	assert_int_equal(srv_validate(&d, &r, err, 8), 1);
	srv_resp_clear(&r);
	srv_def_clear(&d);
}

static void
test_visible(void **state)
{
	struct srv_def	d;
	struct srv_resp r;

	(void)state;
	/* c shows on a's yes, d on c's "x" or "y": a chain. */
	load_def(&d, "{\"code\": \"c\", \"title_ru\": \"C\", \"questions\": ["
	    YN("a") ", " RQ("b") ", "
	    "{\"code\": \"c\", \"type\": \"multi\", \"text_ru\": \"Q\", "
	    "\"show_if\": \"a\", \"show_any\": [\"yes\"], \"options\": "
	    "[{\"code\": \"x\", \"text_ru\": \"X\"}, {\"code\": \"y\", "
	    "\"text_ru\": \"Y\"}, {\"code\": \"z\", \"text_ru\": \"Z\"}]}, "
	    "{\"code\": \"d\", \"type\": \"text\", \"text_ru\": \"Q\", "
	    "\"show_if\": \"c\", \"show_any\": [\"x\", \"y\"]}]}");
	srv_resp_init(&r, d.nq);
	assert_true(srv_visible(&d, &r, 0));
	assert_true(srv_visible(&d, &r, 1));
	assert_false(srv_visible(&d, &r, 2));
	assert_false(srv_visible(&d, &r, 3));
	assert_false(srv_visible(&d, &r, 4));	/* past the end */
	choose(&r.items[2], "z", "y");
	/* c answered but hidden: d stays hidden. */
	assert_false(srv_visible(&d, &r, 3));
	choose(&r.items[0], "yes", NULL);
	assert_true(srv_visible(&d, &r, 2));
	assert_true(srv_visible(&d, &r, 3));
	free(r.items[2].choices[1]);
	r.items[2].nchoices = 1;
	assert_false(srv_visible(&d, &r, 3));
	assert_false(srv_visible(&d, NULL, 2));
	assert_true(srv_visible(&d, NULL, 1));
	srv_resp_clear(&r);
	srv_def_clear(&d);
}

static void
test_score(void **state)
{
	struct srv_score s;
	int		 i;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_true(isnan(srv_score_index(&s)));
	assert_true(isnan(srv_score_share(&s)));
	for (i = 1; i <= 5; i++)
		srv_score_add(&s, i);
	/* Not ratings: ignored. */
	srv_score_add(&s, 0);
	srv_score_add(&s, 6);
	srv_score_add(&s, -3);
	assert_int_equal(s.n, 5);
	assert_int_equal(s.sum, 15);
	assert_int_equal(s.count[4], 1);
	assert_true(srv_score_index(&s) == 50.0);
	assert_true(srv_score_share(&s) == 40.0);

	memset(&s, 0, sizeof(s));
	srv_score_add(&s, 5);
	srv_score_add(&s, 5);
	srv_score_add(&s, 4);
	/* (100 + 100 + 75) / 3 */
	assert_true(fabs(srv_score_index(&s) - 275.0 / 3.0) < 1e-9);
	assert_true(srv_score_share(&s) == 100.0);

	memset(&s, 0, sizeof(s));
	srv_score_add(&s, 1);
	assert_true(srv_score_index(&s) == 0.0);
	assert_true(srv_score_share(&s) == 0.0);
	srv_score_add(&s, 3);
	srv_score_add(&s, 3);
	srv_score_add(&s, 4);
	/* (0 + 50 + 50 + 75) / 4; one of four satisfied. */
	assert_true(srv_score_index(&s) == 43.75);
	assert_true(srv_score_share(&s) == 25.0);
}

/* ---- the store ---- */

struct env {
	char	    path[64];
	struct db  *db;
	int64_t	    org;
};

static int
setup(void **state)
{
	struct env *t = xcalloc(1, sizeof(*t));
	struct org  o;
	struct err  e;
	int	    fd;

	setenv("OTKLIK_NOW", NOW_TEXT, 1);
	snprintf(t->path, sizeof(t->path), "/tmp/otklik-srv-XXXXXX");
	fd = mkstemp(t->path);
	assert_true(fd >= 0);
	close(fd);
	t->db = db_open(t->path, &e);
	assert_non_null(t->db);
	assert_true(db_migrate(t->db, &e) >= 5);
	memset(&o, 0, sizeof(o));
	o.slug = "moh";
	o.name = "Министерство";
	o.region = "ru";
	o.tz = "Europe/Moscow";
	if (org_add(t->db, "test", &o, &t->org, &e) != 0)
		fail_msg("org_add: %s", e.msg);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct env *t = *state;
	char	    p[80];

	db_close(t->db);
	unlink(t->path);
	snprintf(p, sizeof(p), "%s-wal", t->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", t->path);
	unlink(p);
	free(t);
	return 0;
}

/* The first column of the one row of a query with one parameter or
 * none. */
static int64_t
q_row(struct db_stmt *s)
{
	int64_t v;

	assert_non_null(s);
	assert_int_equal(db_step(s), DB_ROW);
	v = db_col_int(s, 0);
	db_finalize(s);
	return v;
}

static int64_t
q_int(struct db *db, const char *sql, int64_t arg)
{
	return q_row(db_prepare(db, sql, "i", arg));
}

static int64_t
q_text(struct db *db, const char *sql, const char *arg)
{
	return q_row(db_prepare(db, sql, "t", arg));
}

static int64_t
q_none(struct db *db, const char *sql)
{
	return q_row(db_prepare(db, sql, NULL));
}

static void
audit_ok(struct env *t)
{
	struct audit_report rep;
	struct err	    e;

	memset(&rep, 0, sizeof(rep));
	if (audit_verify(t->db, &rep, &e) != 0)
		fail_msg("audit chain: %s (entry %lld)", rep.reason,
		    (long long)rep.first_bad);
}

static int64_t
audits(struct env *t, const char *action)
{
	return q_text(t->db, "SELECT count(*) FROM audit WHERE action = ?",
	    action);
}

static void
test_install(void **state)
{
	struct env	 *t = *state;
	struct srv_instr *v, one;
	struct srv_def	  d;
	struct err	  e;
	size_t		  n, i;
	int		  ver;

	assert_int_equal(srv_instr_list(t->db, t->org, &v, &n, &e), 0);
	assert_int_equal(n, 4);
	assert_string_equal(v[0].code, "appeals");
	assert_string_equal(v[1].code, "information");
	assert_string_equal(v[2].code, "internal");
	assert_string_equal(v[3].code, "services");
	for (i = 0; i < n; i++) {
		assert_string_equal(v[i].standard, v[i].code);
		assert_true(v[i].open);
		assert_int_equal(v[i].current, 1);
		assert_true(v[i].current_id > 0);
		assert_int_equal(v[i].draft_id, 0);
		assert_int_equal(v[i].responses, 0);
		assert_int_equal(srv_version_load(t->db, t->org,
				     v[i].current_id, &d, &ver, &e), 0);
		assert_int_equal(ver, 1);
		assert_string_equal(d.code, v[i].code);
		assert_string_equal(v[i].title, d.title_ru);
		assert_string_equal(v[i].client, d.client);
		assert_string_equal(v[i].access, d.access);
		srv_def_clear(&d);
		srv_instr_clear(&v[i]);
	}
	free(v);
	assert_int_equal(audits(t, "survey.install"), 4);
	/* Again: nothing more. */
	assert_int_equal(db_begin(t->db), 0);
	assert_int_equal(srv_install_standard(t->db, "test", t->org, &e), 0);
	assert_int_equal(db_commit(t->db), 0);
	assert_int_equal(audits(t, "survey.install"), 4);
	assert_int_equal(q_int(t->db, "SELECT count(*) FROM srv_version WHERE "
			     "org_id = ?", t->org), 4);
	assert_int_equal(srv_instr_get(t->db, t->org, "nope", &one, &e), -1);
	assert_int_equal(e.code, EXIT_NOINPUT);
	assert_int_equal(srv_version_load(t->db, t->org, 9999, &d, &ver, &e),
	    -1);
	assert_int_equal(e.code, EXIT_NOINPUT);
	audit_ok(t);
}

/* A response of a few answers to the current version of an instrument. */
static void
answers(struct env *t, const char *code, struct srv_def *d,
    struct srv_resp *r, struct srv_instr *in)
{
	struct srv_error err[SRV_QUESTIONS_MAX];
	struct err	 e;
	size_t		 i, n;

	if (srv_instr_get(t->db, t->org, code, in, &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(srv_version_load(t->db, t->org, in->current_id, d,
			     NULL, &e), 0);
	srv_resp_init(r, d->nq);
	r->org_id = t->org;
	r->instrument_id = in->id;
	r->version_id = in->current_id;
	snprintf(r->day, sizeof(r->day), "2026-03-02");
	for (i = 0; i < d->nq; i++)
		if (d->q[i].type == SRV_RATING)
			r->items[i].rating = (int)(i % 5) + 1;
	if ((i = (size_t)srv_def_find(d, "booked")) < d->nq)
		choose(&r->items[i], "no", NULL);
	if ((i = (size_t)srv_def_find(d, "needs")) < d->nq)
		choose(&r->items[i], d->q[i].options[0].code,
		    d->q[i].options[1].code);
	if ((i = (size_t)srv_def_find(d, "proposals")) < d->nq)
		r->items[i].text = xstrdup("Продлите часы приёма.");
	n = srv_validate(d, r, err, nitems(err));
	if (n != 0)
		fail_msg("%s: question %zu: %s", code, err[0].q,
		    err[0].why_en);
}

static int
insert(struct env *t, const struct srv_def *d, const struct srv_resp *r,
    const char *token, struct err *e)
{
	int rc;

	assert_int_equal(db_begin(t->db), 0);
	rc = srv_response_insert(t->db, d, r, token, e);
	if (rc < 0)
		assert_int_equal(db_rollback(t->db), 0);
	else
		assert_int_equal(db_commit(t->db), 0);
	return rc;
}

static void
test_versions(void **state)
{
	struct env	 *t = *state;
	struct srv_instr  in, cur;
	struct srv_vinfo *vi;
	struct srv_def	  d, d2;
	struct srv_resp	  r;
	struct err	  e;
	size_t		  n, i;
	int64_t		  v1;

	answers(t, "services", &d, &r, &in);
	v1 = in.current_id;
	assert_int_equal(insert(t, &d, &r, NULL, &e), 0);
	srv_resp_clear(&r);

	/* Editing a published instrument: version 2, a draft. */
	free(d.title_en);
	d.title_en = xstrdup("Satisfaction with state services");
	assert_int_equal(srv_draft_save(t->db, "editor", t->org, "services",
			     &d, &e), 0);
	assert_int_equal(srv_instr_get(t->db, t->org, "services", &cur, &e),
	    0);
	assert_int_equal(cur.current, 1);
	assert_int_equal(cur.current_id, v1);
	assert_int_equal(cur.draft, 2);
	assert_true(cur.open);
	assert_int_equal(cur.responses, 1);
	/* Saving again edits the draft in place. */
	free(d.q[0].text_en);
	d.q[0].text_en = xstrdup("What did you need?");
	assert_int_equal(srv_draft_save(t->db, "editor", t->org, "services",
			     &d, &e), 0);
	assert_int_equal(srv_version_load(t->db, t->org, cur.draft_id, &d2,
			     NULL, &e), 0);
	def_equal(&d, &d2);
	srv_def_clear(&d2);
	srv_instr_clear(&cur);
	assert_int_equal(srv_instr_get(t->db, t->org, "services", &cur, &e),
	    0);
	assert_int_equal(cur.draft, 2);
	/* The answer keeps version 1. */
	assert_int_equal(q_int(t->db, "SELECT version_id FROM srv_response "
			     "WHERE instrument_id = ?", in.id), v1);
	assert_int_equal(srv_versions(t->db, t->org, "services", &vi, &n, &e),
	    0);
	assert_int_equal(n, 2);
	assert_int_equal(vi[0].version, 2);
	assert_string_equal(vi[0].state, "draft");
	assert_string_equal(vi[0].created_by, "editor");
	assert_int_equal(vi[0].responses, 0);
	assert_int_equal(vi[1].version, 1);
	assert_string_equal(vi[1].state, "published");
	assert_int_equal(vi[1].responses, 1);
	assert_true(vi[1].published_at > 0);
	for (i = 0; i < n; i++)
		srv_vinfo_clear(&vi[i]);
	free(vi);

	/* The code cannot change. */
	free(d.code);
	d.code = xstrdup("other");
	assert_int_equal(srv_draft_save(t->db, "editor", t->org, "services",
			     &d, &e), -1);
	assert_int_equal(e.code, EXIT_DATAERR);

	/* Publishing retires version 1. */
	assert_int_equal(srv_publish(t->db, "editor", t->org, "services", &e),
	    0);
	srv_instr_clear(&cur);
	assert_int_equal(srv_instr_get(t->db, t->org, "services", &cur, &e),
	    0);
	assert_int_equal(cur.current, 2);
	assert_int_equal(cur.draft_id, 0);
	assert_int_equal(q_int(t->db, "SELECT count(*) FROM srv_version WHERE "
			     "id = ? AND state = 'retired'", v1), 1);
	assert_int_equal(srv_publish(t->db, "editor", t->org, "services", &e),
	    -1);
	assert_int_equal(e.code, EXIT_DATAERR);
	assert_int_equal(srv_draft_discard(t->db, "editor", t->org,
			     "services", &e), -1);

	/* A draft 3, discarded. */
	free(d.code);
	d.code = xstrdup("services");
	assert_int_equal(srv_draft_save(t->db, "editor", t->org, "services",
			     &d, &e), 0);
	assert_int_equal(srv_draft_discard(t->db, "editor", t->org,
			     "services", &e), 0);
	assert_int_equal(srv_versions(t->db, t->org, "services", &vi, &n, &e),
	    0);
	assert_int_equal(n, 2);
	assert_string_equal(vi[0].state, "published");
	assert_string_equal(vi[1].state, "retired");
	for (i = 0; i < n; i++)
		srv_vinfo_clear(&vi[i]);
	free(vi);
	srv_instr_clear(&cur);
	srv_instr_clear(&in);

	/* A new instrument: a closed draft until published and opened. */
	free(d.code);
	d.code = xstrdup("reception");
	assert_int_equal(srv_instr_add(t->db, "editor", t->org, &d, &e), 0);
	assert_int_equal(srv_instr_add(t->db, "editor", t->org, &d, &e), -1);
	assert_int_equal(e.code, EXIT_DATAERR);
	assert_int_equal(srv_instr_get(t->db, t->org, "reception", &cur, &e),
	    0);
	assert_string_equal(cur.standard, "");
	assert_int_equal(cur.draft, 1);
	assert_int_equal(cur.current_id, 0);
	assert_false(cur.open);
	srv_instr_clear(&cur);
	assert_int_equal(srv_set_open(t->db, "editor", t->org, "reception", 1,
			     &e), -1);
	assert_int_equal(srv_draft_discard(t->db, "editor", t->org,
			     "reception", &e), -1);
	assert_int_equal(srv_publish(t->db, "editor", t->org, "reception", &e),
	    0);
	assert_int_equal(srv_set_open(t->db, "editor", t->org, "reception", 1,
			     &e), 0);
	assert_int_equal(srv_set_access(t->db, "editor", t->org, "reception",
			     "invite", &e), 0);
	assert_int_equal(srv_set_access(t->db, "editor", t->org, "reception",
			     "everyone", &e), -1);
	assert_int_equal(e.code, EXIT_USAGE);
	assert_int_equal(srv_instr_get(t->db, t->org, "reception", &cur, &e),
	    0);
	assert_true(cur.open);
	assert_string_equal(cur.access, "invite");
	assert_int_equal(cur.current, 1);
	srv_instr_clear(&cur);
	/* A definition broken in memory is refused like a file. */
	free(d.q[1].show_if);
	d.q[1].show_if = xstrdup("nowhere");
	assert_int_equal(srv_draft_save(t->db, "editor", t->org, "reception",
			     &d, &e), -1);
	assert_non_null(strstr(e.msg, "question 2 (needs_other): show_if "
				      "names 'nowhere'"));
	srv_def_clear(&d);

	assert_int_equal(audits(t, "survey.draft"), 3);
	assert_int_equal(audits(t, "survey.publish"), 2);
	assert_int_equal(audits(t, "survey.discard"), 1);
	assert_int_equal(audits(t, "survey.add"), 1);
	assert_int_equal(audits(t, "survey.open"), 1);
	assert_int_equal(audits(t, "survey.access"), 1);
	audit_ok(t);
}

static int
crockford(const char *s)
{
	size_t i;

	if (strlen(s) != SRV_TOKEN_LEN)
		return 0;
	for (i = 0; i < SRV_TOKEN_LEN; i++)
		if (strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", s[i]) == NULL)
			return 0;
	return 1;
}

static void
test_invites(void **state)
{
	struct env	 *t = *state;
	struct srv_instr  in;
	struct srv_batch *b;
	struct srv_def	  d;
	struct srv_resp	  r;
	struct err	  e;
	char		**tok, **none, lower[SRV_TOKEN_LEN + 1];
	size_t		  n, i;
	int64_t		  before;

	assert_int_equal(srv_invite_make(t->db, "hr", t->org, "internal",
			     "Отдел кадров", 3, &tok, &e), 0);
	for (i = 0; i < 3; i++)
		assert_true(crockford(tok[i]));
	assert_string_not_equal(tok[0], tok[1]);
	assert_string_not_equal(tok[1], tok[2]);
	/* Only hashes are kept. */
	assert_int_equal(q_text(t->db, "SELECT count(*) FROM srv_invite WHERE "
			     "token_hash = ?", tok[0]), 0);
	assert_int_equal(q_none(t->db, "SELECT count(*) FROM srv_invite WHERE "
			     "length(token_hash) = 64"), 3);

	answers(t, "internal", &d, &r, &in);
	assert_int_equal(srv_invite_valid(t->db, in.id, tok[0], &e), 1);
	/* As typed from paper: in lower case. */
	for (i = 0; i <= SRV_TOKEN_LEN; i++)
		lower[i] = (char)tolower((unsigned char)tok[0][i]);
	assert_int_equal(srv_invite_valid(t->db, in.id, lower, &e), 1);
	assert_int_equal(srv_invite_valid(t->db, in.id + 1000, tok[0], &e), 0);
	assert_int_equal(srv_invite_valid(t->db, in.id, "nonsense", &e), 0);

	/* Invitation only: none given is refused online. */
	before = q_none(t->db, "SELECT count(*) FROM audit");
	assert_int_equal(insert(t, &d, &r, NULL, &e), -1);
	assert_int_equal(e.code, EXIT_DATAERR);
	assert_int_equal(insert(t, &d, &r, lower, &e), 0);
	assert_int_equal(srv_invite_valid(t->db, in.id, tok[0], &e), 0);
	/* Used once: the second use is refused and stores nothing. */
	assert_int_equal(insert(t, &d, &r, tok[0], &e), -1);
	assert_int_equal(e.code, EXIT_DATAERR);
	assert_int_equal(insert(t, &d, &r, "0000000000000000000000000Z", &e),
	    -1);
	assert_int_equal(insert(t, &d, &r, tok[1], &e), 0);
	assert_int_equal(q_int(t->db, "SELECT count(*) FROM srv_response "
			     "WHERE instrument_id = ?", in.id), 2);
	/* Answers leave no audit entry. */
	assert_int_equal(q_none(t->db, "SELECT count(*) FROM audit"), before);

	assert_int_equal(srv_invite_make(t->db, "hr", t->org, "internal",
			     "Отдел кадров", 0, &none, &e), -1);
	assert_int_equal(e.code, EXIT_USAGE);
	assert_null(none);
	assert_int_equal(srv_invite_make(t->db, "hr", t->org, "internal",
			     "", 1, &none, &e), -1);
	assert_int_equal(srv_invite_make(t->db, "hr", t->org, "nope", "x", 1,
			     &none, &e), -1);
	assert_int_equal(e.code, EXIT_NOINPUT);
	for (i = 0; i < 3; i++)
		free(tok[i]);
	free(tok);
	assert_int_equal(srv_invite_batches(t->db, t->org, "internal", &b, &n,
			     &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(b[0].batch, "Отдел кадров");
	assert_int_equal(b[0].made, 3);
	assert_int_equal(b[0].used, 2);
	free(b[0].batch);
	free(b);
	assert_int_equal(audits(t, "survey.invite"), 1);
	audit_ok(t);
	srv_resp_clear(&r);
	srv_def_clear(&d);
	srv_instr_clear(&in);
}

static void
test_responses(void **state)
{
	struct env	*t = *state;
	struct srv_instr in;
	struct srv_def	 d;
	struct srv_resp	 r;
	struct err	 e;
	int64_t		 id, rows, before;
	int		 booking;

	before = q_none(t->db, "SELECT count(*) FROM audit");
	answers(t, "services", &d, &r, &in);
	r.service = xstrdup("Выдача лицензий");
	booking = srv_def_find(&d, "booking");
	assert_int_equal(insert(t, &d, &r, NULL, &e), 0);
	id = q_int(t->db, "SELECT max(id) FROM srv_response WHERE org_id = ?",
	    t->org);
	assert_int_equal(q_int(t->db, "SELECT count(*) FROM srv_response "
			     "WHERE id = ? AND day = '2026-03-02' AND "
			     "offline = 0 AND paper_ref IS NULL AND service = "
			     "'Выдача лицензий' AND touchpoint_id IS NULL",
			     id), 1);
	/* Six ratings (booking hidden), two choices of needs, booked,
	 * proposals. */
	rows = q_int(t->db, "SELECT count(*) FROM srv_answer WHERE "
	    "response_id = ?", id);
	assert_int_equal(rows, 6 + 2 + 1 + 1);
	assert_int_equal(q_int(t->db, "SELECT count(*) FROM srv_answer WHERE "
			     "response_id = ? AND question = 'booking'", id), 0);
	assert_int_equal(r.items[booking].rating, 0);
	assert_int_equal(q_int(t->db, "SELECT rating FROM srv_answer WHERE "
			     "question = 'overall' AND response_id = ?", id), (srv_def_find(&d, "overall") % 5) + 1);
	assert_int_equal(q_int(t->db, "SELECT count(*) FROM srv_answer WHERE "
			     "response_id = ? AND text = 'Продлите часы "
			     "приёма.'", id), 1);
	/* The response's columns are the schema's, nothing about who. */
	assert_int_equal(q_none(t->db, "SELECT count(*) FROM "
			     "pragma_table_info('srv_response') WHERE name "
			     "NOT IN ('id', 'org_id', 'instrument_id', "
			     "'version_id', 'touchpoint_id', 'service', "
			     "'situation', 'day', 'offline', 'paper_ref')"), 0);

	/* Closed: online answers refused, paper ones taken, once each. */
	assert_int_equal(srv_set_open(t->db, "editor", t->org, "services", 0,
			     &e), 0);
	assert_int_equal(insert(t, &d, &r, NULL, &e), -1);
	assert_int_equal(e.code, EXIT_DATAERR);
	assert_non_null(strstr(e.msg, "closed"));
	r.offline = 1;
	r.paper_ref = xstrdup("П-0001");
	snprintf(r.day, sizeof(r.day), "2026-02-27");
	assert_int_equal(insert(t, &d, &r, NULL, &e), 0);
	assert_int_equal(insert(t, &d, &r, NULL, &e), 1);
	assert_int_equal(q_text(t->db, "SELECT count(*) FROM srv_response "
			     "WHERE paper_ref = ?", "П-0001"), 1);
	assert_int_equal(q_text(t->db, "SELECT count(*) FROM srv_response "
			     "WHERE offline = 1 AND day = ?", "2026-02-27"), 1);
	/* A bad day, a touchpoint of nobody, a foreign version. */
	free(r.paper_ref);
	r.paper_ref = xstrdup("П-0002");
	snprintf(r.day, sizeof(r.day), "2026-13-01");
	assert_int_equal(insert(t, &d, &r, NULL, &e), -1);
	snprintf(r.day, sizeof(r.day), "2026-02-27");
	r.touchpoint_id = 424242;
	assert_int_equal(insert(t, &d, &r, NULL, &e), -1);
	r.touchpoint_id = 0;
	r.version_id += 1;
	assert_int_equal(insert(t, &d, &r, NULL, &e), -1);
	assert_int_equal(e.code, EXIT_NOINPUT);
	r.version_id -= 1;
	assert_int_equal(q_int(t->db, "SELECT count(*) FROM srv_response "
			     "WHERE instrument_id = ?", in.id), 2);
	/* Closing is audited; the answers are not. */
	assert_int_equal(q_none(t->db, "SELECT count(*) FROM audit"),
	    before + 1);
	assert_int_equal(audits(t, "survey.close"), 1);
	/* Closing again changes nothing. */
	assert_int_equal(srv_set_open(t->db, "editor", t->org, "services", 0,
			     &e), 0);
	assert_int_equal(audits(t, "survey.close"), 1);
	audit_ok(t);
	srv_resp_clear(&r);
	srv_def_clear(&d);
	srv_instr_clear(&in);
}

/* A touchpoint in the current registry (valid_to NULL) or not. */
static int64_t
touchpoint(struct env *t, const char *name, int current)
{
	int64_t id = 0;

	assert_int_equal(db_run(t->db, &id, "INSERT INTO touchpoint (org_id, "
			     "created_at) VALUES (?, 0) RETURNING id", "i",
			     t->org), 0);
	assert_int_equal(db_run(t->db, NULL, "INSERT INTO touchpoint_rev "
			     "(touchpoint_id, org_id, valid_from, valid_to, "
			     "pos, area, process, name, channel, kind, client) "
			     "VALUES (?, ?, 1, ?, 1, 'Услуги', 'Прием', ?, "
			     "'reception', 'offline', 'external')", "iiIt", id,
			     t->org, current ? (int64_t)0 : (int64_t)2, name),
	    0);
	return id;
}

static void
test_targets(void **state)
{
	struct env	  *t = *state;
	struct srv_target *v;
	struct err	   e;
	size_t		   n, i;
	int64_t		   tp, old;

	tp = touchpoint(t, "Окно приема документов", 1);
	old = touchpoint(t, "Закрытая касса", 0);
	assert_int_equal(srv_attach(t->db, "editor", t->org, "services",
			     "touchpoint", tp, NULL, &e), 0);
	assert_int_equal(srv_attach(t->db, "editor", t->org, "services",
			     "touchpoint", tp, NULL, &e), -1);
	assert_int_equal(e.code, EXIT_DATAERR);
	assert_int_equal(srv_attach(t->db, "editor", t->org, "services",
			     "touchpoint", old, NULL, &e), -1);
	assert_int_equal(e.code, EXIT_NOINPUT);
	assert_int_equal(srv_attach(t->db, "editor", t->org, "services",
			     "touchpoint", 777, NULL, &e), -1);
	assert_int_equal(srv_attach(t->db, "editor", t->org, "services",
			     "service", 0, "  Выдача   лицензий ", &e), 0);
	assert_int_equal(srv_attach(t->db, "editor", t->org, "services",
			     "situation", 0, "Рождение ребенка", &e), 0);
	assert_int_equal(srv_attach(t->db, "editor", t->org, "services",
			     "situation", 0, "a\x01", &e), -1);
	assert_int_equal(srv_attach(t->db, "editor", t->org, "services",
			     "service", 0, "", &e), -1);
	assert_int_equal(srv_attach(t->db, "editor", t->org, "services",
			     "channel", 0, "x", &e), -1);
	assert_int_equal(e.code, EXIT_USAGE);
	assert_int_equal(srv_attach(t->db, "editor", t->org, "nope",
			     "service", 0, "x", &e), -1);
	assert_int_equal(e.code, EXIT_NOINPUT);

	assert_int_equal(srv_targets(t->db, t->org, "services", &v, &n, &e),
	    0);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].kind, "service");
	assert_string_equal(v[0].name, "Выдача лицензий");
	assert_string_equal(v[1].kind, "situation");
	assert_string_equal(v[2].kind, "touchpoint");
	assert_int_equal(v[2].touchpoint_id, tp);
	assert_string_equal(v[2].name, "Окно приема документов");
	assert_int_equal(srv_detach(t->db, "editor", t->org, "services",
			     v[1].id, &e), 0);
	assert_int_equal(srv_detach(t->db, "editor", t->org, "services",
			     v[1].id, &e), -1);
	assert_int_equal(e.code, EXIT_NOINPUT);
	/* A target of another instrument is not this one's. */
	assert_int_equal(srv_detach(t->db, "editor", t->org, "appeals",
			     v[0].id, &e), -1);
	for (i = 0; i < n; i++)
		srv_target_clear(&v[i]);
	free(v);
	assert_int_equal(srv_targets(t->db, t->org, "services", &v, &n, &e),
	    0);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++)
		srv_target_clear(&v[i]);
	free(v);
	assert_int_equal(audits(t, "survey.attach"), 3);
	assert_int_equal(audits(t, "survey.detach"), 1);
	audit_ok(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_limits),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_visible),
		cmocka_unit_test(test_score),
		cmocka_unit_test_setup_teardown(test_install, setup, teardown),
		cmocka_unit_test_setup_teardown(test_versions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_invites, setup, teardown),
		cmocka_unit_test_setup_teardown(test_responses, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_targets, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	setenv("OTKLIK_NOW", NOW_TEXT, 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

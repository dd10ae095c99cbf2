/*
 * The JSON API of feedback (R-FB) under /api/v1/orgs/{org}/messages: a
 * message from any channel or system comes in (POST), its status can be
 * asked by tracking code (public, nothing identifying: R-FB-8), and staff
 * read the queue.  A POST is checked whole on the HTTP thread — strict
 * types, no unknown members, valid UTF-8, fb_validate() — and only then
 * handed to the writer thread (req_defer): its 201 is sent once the batch
 * holding it has committed.  A refused message stores nothing.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "otklik.h"
#include "db.h"
#include "feedback.h"
#include "http.h"
#include "ingest.h"
#include "org.h"
#include "routes.h"
#include "session.h"

#define NAME_MAX_SHOWN 40	/* an unknown member's name is told up to this */

/* Validators of the queue's parameters. */

int
api_check_fb_state(const char *v, char *why, size_t len)
{
	if (strcmp(v, "open") == 0 || fb_code_find(fb_states, v) != NULL)
		return 0;
	snprintf(why, len, "expected open or one of %s",
	    fb_code_list(fb_states));
	return -1;
}

int
api_check_fb_kind(const char *v, char *why, size_t len)
{
	if (fb_code_find(fb_kinds, v) != NULL)
		return 0;
	snprintf(why, len, "expected one of %s", fb_code_list(fb_kinds));
	return -1;
}

/* Small pieces. */

static json_t *
jtime(int64_t t)
{
	char s[21];

	if (t == 0)
		return json_null();
	time_format(t, s);
	return json_string(s);
}

static json_t *
jcode(const char *s)
{
	return s == NULL || *s == '\0' ? json_null() : json_string(s);
}

static void
track_url(struct req *r, const char *code, char *out, size_t len)
{
	snprintf(out, len, "/%s/track/%s", r->org->slug, code);
}

/* A server-side failure: logged, not described to the client. */
static int
server_error(struct req *r, const struct err *e)
{
	fprintf(stderr, "otklik: %s %s: %s\n", r->method, r->path, e->msg);
	return req_error(r, 500, NULL, "the message could not be stored or "
	    "read; try again later");
}

/*
 * Where in the object a byte that is not UTF-8 sits: jansson refuses the
 * whole body, so the body is parsed again with each bad byte replaced by
 * DEL (valid UTF-8, refused by every text field anyway) and the member
 * holding one is named.  Returns a static member name or "body".
 */
/* Does a member hold the DEL that marks a byte that was not UTF-8? */
static int
marked(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) && memchr(json_string_value(v), 0x7f,
	    json_string_length(v)) != NULL;
}

/*
 * Where in the object a byte that is not UTF-8 sits: jansson refuses the
 * whole body, so the body is parsed again with each bad byte replaced by
 * DEL (valid UTF-8, refused by every text field anyway) and the member
 * holding one is named — only from the list of members known here, so
 * that nothing of the request is echoed.  "body" when it is elsewhere.
 */
static const char *
bad_utf8_field(const struct buf *body)
{
	static const char *const names[] = {"kind", "channel", "text",
	    "subject", "client", "form", "service", "situation", "source",
	    "external_id", "received_at", "contact.name", "contact.email",
	    "contact.phone", "contact.address", "contact.key"};
	const char *found = "body";
	char	   *copy;
	size_t	    len = body->len, off = 0, i;
	long	    at;
	json_t	   *j, *c;

	copy = xmalloc(len + 1);
	memcpy(copy, body->data, len);
	copy[len] = '\0';
	while (off < len && (at = utf8_invalid_at(copy + off, len - off)) >= 0) {
		copy[off + (size_t)at] = 0x7f;
		off += (size_t)at + 1;
	}
	j = json_loadb(copy, len, JSON_REJECT_DUPLICATES, NULL);
	free(copy);
	c = json_object_get(j, "contact");
	for (i = 0; i < nitems(names) && json_is_object(j); i++) {
		if (strncmp(names[i], "contact.", 8) == 0 ?
		    marked(c, names[i] + 8) : marked(j, names[i])) {
			found = names[i];
			break;
		}
	}
	json_decref(j);
	return found;
}

/* The body as a JSON object; NULL after a 400. */
static json_t *
body_object(struct req *r)
{
	json_error_t je;
	json_t	    *j;
	char	     why[160];

	if (r->body.len == 0) {
		req_error(r, 400, "body", "expected a JSON object");
		return NULL;
	}
	/* Only positions are told: the parser's own text quotes input. */
	j = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES |
	    JSON_ALLOW_NUL, &je);
	if (j == NULL && json_error_code(&je) == json_error_invalid_utf8) {
		snprintf(why, sizeof(why), "not valid UTF-8 (at byte %d of "
		    "the body)", je.position);
		req_error(r, 400, bad_utf8_field(&r->body), why);
		return NULL;
	}
	if (j == NULL) {
		snprintf(why, sizeof(why), "not valid JSON (line %d, column %d)",
		    je.line, je.column);
		req_error(r, 400, "body", why);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		req_error(r, 400, "body", "expected a JSON object");
		return NULL;
	}
	return j;
}

/* Refuses members not in the list, naming a plain name. */
static int
only_members(struct req *r, json_t *o, const char *prefix,
    const char *const *names, size_t n)
{
	const char *key, *p;
	json_t	   *v;
	char	    field[64];
	size_t	    i;
	int	    plain;

	json_object_foreach(o, key, v) {
		for (i = 0; i < n; i++)
			if (strcmp(names[i], key) == 0)
				break;
		if (i < n)
			continue;
		plain = *key != '\0' && strlen(key) <= NAME_MAX_SHOWN;
		for (p = key; *p != '\0' && plain; p++)
			plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' &&
			    *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_';
		if (!plain) {
			req_error(r, 400, prefix[0] != '\0' ? "contact" : "body",
			    "has a member that is not known");
			return -1;
		}
		snprintf(field, sizeof(field), "%s%s", prefix, key);
		req_error(r, 400, field, "not a known member");
		return -1;
	}
	return 0;
}

/*
 * A string member: 0 absent or null, 1 set (*out a fresh copy), -1 after
 * a 400.  Sizes and contents are fb_validate()'s to judge; the body's
 * limit bounds the copy.
 */
static int
get_str(struct req *r, json_t *o, const char *key, const char *field,
    char **out)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		req_error(r, 400, field, "expected a string");
		return -1;
	}
	free(*out);
	*out = xstrndup(json_string_value(v), json_string_length(v));
	if (strlen(*out) != json_string_length(v)) {
		req_error(r, 400, field, "contains a NUL character");
		return -1;
	}
	return 1;
}

/* A code into one of the message's fixed arrays. */
static int
get_code(struct req *r, json_t *o, const char *key, char *out, size_t size,
    const char *expected)
{
	char *s = NULL;
	int   set;

	if ((set = get_str(r, o, key, key, &s)) <= 0) {
		free(s);
		return set;
	}
	if (strlen(s) >= size) {
		free(s);
		req_error(r, 400, key, expected);
		return -1;
	}
	memcpy(out, s, strlen(s) + 1);
	free(s);
	return 1;
}

/* An integer member: 0 absent or null, 1 set, -1 after a 400. */
static int
get_int(struct req *r, json_t *o, const char *key, int64_t *out)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_integer(v)) {
		req_error(r, 400, key, "expected a whole number");
		return -1;
	}
	*out = json_integer_value(v);
	return 1;
}

/* The message and contact of a POST body; 0, or -1 after a 400. */
static int
parse_message(struct req *r, json_t *j, struct fb_msg *m,
    struct fb_contact *c)
{
	static const char *const top[] = {"kind", "channel", "text", "subject",
	    "client", "form", "touchpoint", "service", "situation", "source",
	    "external_id", "received_at", "rating", "contact"};
	static const char *const cm[] = {"name", "email", "phone", "address",
	    "consent", "key"};
	json_t *ct, *v;
	char   *when = NULL, why[160];
	int64_t n;
	int	set;

	if (only_members(r, j, "", top, nitems(top)) != 0)
		return -1;
	snprintf(why, sizeof(why), "expected one of %s",
	    fb_code_list(fb_kinds));
	if (get_code(r, j, "kind", m->kind, sizeof(m->kind), why) < 0)
		return -1;
	if (get_code(r, j, "channel", m->channel, sizeof(m->channel),
	    "not a channel type") < 0)
		return -1;
	if (get_code(r, j, "client", m->client, sizeof(m->client),
	    "expected external or internal") < 0)
		return -1;
	snprintf(why, sizeof(why), "expected one of %s",
	    fb_code_list(fb_forms));
	if (get_code(r, j, "form", m->form, sizeof(m->form), why) < 0)
		return -1;
	snprintf(why, sizeof(why), "expected one of %s",
	    fb_code_list(fb_sources));
	if (get_code(r, j, "source", m->source, sizeof(m->source), why) < 0)
		return -1;
	if (get_str(r, j, "text", "text", &m->text) < 0 ||
	    get_str(r, j, "subject", "subject", &m->subject) < 0 ||
	    get_str(r, j, "service", "service", &m->service) < 0 ||
	    get_str(r, j, "situation", "situation", &m->situation) < 0 ||
	    get_str(r, j, "external_id", "external_id", &m->external_id) < 0)
		return -1;
	if ((set = get_int(r, j, "touchpoint", &n)) < 0)
		return -1;
	if (set && n <= 0) {
		req_error(r, 400, "touchpoint", "expected a touchpoint's id");
		return -1;
	}
	m->touchpoint_id = set ? n : 0;
	if ((set = get_int(r, j, "rating", &n)) < 0)
		return -1;
	if (set && (n < 1 || n > 5)) {
		req_error(r, 400, "rating", "expected 1 to 5");
		return -1;
	}
	m->rating = set ? (int)n : 0;
	if ((set = get_str(r, j, "received_at", "received_at", &when)) < 0) {
		free(when);
		return -1;
	}
	if (set && time_parse(when, &m->received_at) != 0) {
		free(when);
		req_error(r, 400, "received_at", "expected a date-time such as "
		    "2024-05-22T10:00:00+05:00");
		return -1;
	}
	free(when);
	if (m->kind[0] == '\0') {
		req_error(r, 400, "kind", "required, and missing");
		return -1;
	}
	if (m->channel[0] == '\0') {
		req_error(r, 400, "channel", "required, and missing");
		return -1;
	}
	if (m->text == NULL) {
		req_error(r, 400, "text", "required, and missing");
		return -1;
	}

	ct = json_object_get(j, "contact");
	if (ct == NULL || json_is_null(ct))
		return 0;
	if (!json_is_object(ct)) {
		req_error(r, 400, "contact", "expected an object");
		return -1;
	}
	if (only_members(r, ct, "contact.", cm, nitems(cm)) != 0)
		return -1;
	if (get_str(r, ct, "name", "contact.name", &c->name) < 0 ||
	    get_str(r, ct, "email", "contact.email", &c->email) < 0 ||
	    get_str(r, ct, "phone", "contact.phone", &c->phone) < 0 ||
	    get_str(r, ct, "address", "contact.address", &c->address) < 0 ||
	    get_str(r, ct, "key", "contact.key", &c->key) < 0)
		return -1;
	v = json_object_get(ct, "consent");
	if (v != NULL && !json_is_null(v) && !json_is_boolean(v)) {
		req_error(r, 400, "contact.consent", "expected true or false");
		return -1;
	}
	c->consent = v != NULL && json_is_true(v);
	return 0;
}

/* POST /api/v1/orgs/{org}/messages */

struct post_job {
	struct fb_msg	  m;
	struct fb_contact c;
	char		  key[65];
	int		  existed;
};

static void
post_job_free(void *p)
{
	struct post_job *pj = p;

	if (pj == NULL)
		return;
	fb_msg_clear(&pj->m);
	fb_contact_clear(&pj->c);
	free(pj);
}

/* On the writer thread, inside the batch's transaction. */
static int
post_write(struct req *r, struct db *db, struct err *e)
{
	struct post_job	     *pj = r->job;
	const struct fb_conf *conf;
	int		      rc;

	if ((conf = ingest_conf(r->org->id, e)) == NULL)
		return -1;
	rc = fb_insert(db, conf, r->session != NULL ? r->session->login
						      : "api",
	    &pj->m, &pj->c, pj->key, e);
	if (rc < 0)
		return -1;
	pj->existed = rc == 1;
	return 0;
}

/* Which field an error of fb_insert concerns (it names none). */
static const char *
insert_field(const struct post_job *pj, const struct err *e)
{
	if (pj->c.key != NULL && strstr(e->msg, "key") != NULL)
		return "contact.key";
	if (pj->m.touchpoint_id != 0 && strstr(e->msg, "touchpoint") != NULL)
		return "touchpoint";
	return NULL;
}

/* On the connection's thread, once the batch has committed (or not). */
static void
post_done(struct req *r, const struct err *e)
{
	struct post_job *pj = r->job;
	struct fb_msg	 cur;
	struct err	 ge;
	json_t		*j;
	char		 url[256];
	int		 status = 201;

	if (e != NULL && e->code == EXIT_DATAERR) {
		req_error(r, 400, insert_field(pj, e), e->msg);
		return;
	}
	if (e != NULL) {
		fprintf(stderr, "otklik: %s %s: %s\n", r->method, r->path,
		    e->msg);
		req_header(r, "Retry-After", "1");
		req_error(r, 503, NULL, "the message was not stored; send it "
		    "again");
		return;
	}
	fb_msg_init(&cur);
	if (pj->existed) {
		/* Sent before (the same external_id): the stored message. */
		status = 200;
		if (fb_get_code(r->db, pj->m.code, &cur, &ge) != 0) {
			server_error(r, &ge);
			fb_msg_clear(&cur);
			return;
		}
	}
	track_url(r, pj->m.code, url, sizeof(url));
	j = json_pack("{s:s, s:o, s:o, s:o, s:s}",
	    "code", pj->m.code,
	    "state", jcode(pj->existed ? cur.state : pj->m.state),
	    "ack_due", jtime(pj->existed ? cur.ack_due : pj->m.ack_due),
	    "answer_due", jtime(pj->existed ? cur.answer_due
					    : pj->m.answer_due),
	    "track_url", url);
	if (pj->key[0] != '\0')
		json_object_set_new(j, "key", json_string(pj->key));
	fb_msg_clear(&cur);
	if (status == 201)
		req_header(r, "Location", url);
	req_json(r, status, j);
}

/* fb_validate names the contact's fields as the form does; here they
 * sit under "contact". */
static const char *
contact_field(const char *field)
{
	static const char *const names[] = {"contact.name", "contact.email",
	    "contact.phone", "contact.address", "contact.key",
	    "contact.consent"};
	size_t i;

	for (i = 0; field != NULL && i < nitems(names); i++)
		if (strcmp(names[i] + 8, field) == 0)
			return names[i];
	return field;
}

int
api_messages_post(struct req *r)
{
	struct post_job *pj;
	struct err	 e;
	const char	*field = NULL;
	json_t		*j;

	if ((j = body_object(r)) == NULL)
		return 0;
	pj = xcalloc(1, sizeof(*pj));
	fb_msg_init(&pj->m);
	pj->m.org_id = r->org->id;
	if (parse_message(r, j, &pj->m, &pj->c) != 0) {
		json_decref(j);
		post_job_free(pj);
		return 0;
	}
	json_decref(j);
	if (fb_validate(&pj->m, &pj->c, &field, &e) != 0) {
		post_job_free(pj);
		return req_error(r, 400, contact_field(field), e.msg);
	}
	if (pj->m.state[0] == '\0')
		memcpy(pj->m.state, "registered", sizeof("registered"));
	r->job = pj;
	r->job_free = post_job_free;
	if (req_defer(r, post_write, post_done) != 0) {
		req_header(r, "Retry-After", "1");
		return req_error(r, 503, NULL, "too many messages at once; "
		    "send it again in a second");
	}
	return 0;
}

/* GET /api/v1/orgs/{org}/messages/{name}: public, by tracking code. */
int
api_message_status(struct req *r)
{
	struct fb_msg m;
	struct err    e;
	json_t	     *j;
	const char   *code = r->capture[1];

	if (strlen(code) > FB_CODE_LEN + 4)
		return req_error(r, 404, NULL, "no message with this code");
	fb_msg_init(&m);
	if (fb_get_code(r->db, code, &m, &e) != 0) {
		fb_msg_clear(&m);
		if (e.code == EXIT_NOINPUT || e.code == EXIT_DATAERR ||
		    e.code == EXIT_USAGE)
			return req_error(r, 404, NULL, "no message with this "
			    "code");
		return server_error(r, &e);
	}
	/* Another organization's code is not found here either. */
	if (m.org_id != r->org->id) {
		fb_msg_clear(&m);
		return req_error(r, 404, NULL, "no message with this code");
	}
	/* No text, no contact, no answer: only where the case stands. */
	j = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
		      "s:b, s:b}",
	    "code", m.code, "kind", m.kind, "state", m.state,
	    "received_at", jtime(m.received_at),
	    "registered_at", jtime(m.registered_at),
	    "acknowledged_at", jtime(m.acknowledged_at),
	    "in_work_at", jtime(m.in_work_at),
	    "answered_at", jtime(m.answered_at),
	    "closed_at", jtime(m.closed_at),
	    "ack_due", jtime(m.ack_due),
	    "answer_due", jtime(m.answer_due),
	    "answered", m.answered_at != 0,
	    "extended", m.extended != 0);
	fb_msg_clear(&m);
	return req_json(r, 200, j);
}

/* GET /api/v1/orgs/{org}/messages: the staff queue. */

static json_t *
list_item(const struct fb_msg *m, int64_t now)
{
	int64_t due = m->answer_due != 0 ? m->answer_due : m->ack_due;
	json_t *j;

	j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, "
		      "s:o, s:o, s:b}",
	    "id", (json_int_t)m->id, "code", m->code, "kind", m->kind,
	    "channel", m->channel, "client", m->client, "source", m->source,
	    "state", m->state,
	    "subject", api_text(m->subject),
	    "received_at", jtime(m->received_at),
	    "ack_due", jtime(m->ack_due),
	    "answer_due", jtime(m->answer_due),
	    "topic", m->topic != NULL && *m->topic != '\0'
		? api_text(m->topic) : json_null(),
	    "overdue", due != 0 && due < now && strcmp(m->state, "closed") != 0
		&& m->answered_at == 0);
	if (j == NULL)
		return json_null();
	json_object_set_new(j, "text", api_text(m->text));
	json_object_set_new(j, "unit", m->unit != NULL && *m->unit != '\0'
	    ? api_text(m->unit) : json_null());
	json_object_set_new(j, "assignee", m->assignee_login != NULL &&
	    *m->assignee_login != '\0' ? api_text(m->assignee_login)
				       : json_null());
	return j;
}

int
api_messages_list(struct req *r)
{
	struct fb_filter f;
	struct fb_msg	*list = NULL;
	struct err	 e;
	const char	*v;
	json_t		*j, *a;
	int64_t		 now = clock_now();
	int		 n, i, total = 0;

	memset(&f, 0, sizeof(f));
	f.org_id = r->org->id;
	f.state = req_param(r, "state");
	f.client = req_param(r, "client");
	f.kind = req_param(r, "kind");
	f.q = req_param(r, "q");
	f.overdue = (v = req_param(r, "overdue")) != NULL && strcmp(v, "1") == 0;
	if ((v = req_param(r, "limit")) != NULL) {
		f.limit = (int)strtol(v, NULL, 10);
		if (f.limit < 1 || f.limit > 1000)
			return req_error(r, 400, "limit", "expected 1 to 1000");
	}
	if ((v = req_param(r, "offset")) != NULL) {
		if (strlen(v) > 9)
			return req_error(r, 400, "offset", "too large");
		f.offset = (int)strtol(v, NULL, 10);
	}
	if ((n = fb_list(r->db, &f, now, &list, &total, &e)) < 0)
		return server_error(r, &e);
	a = json_array();
	for (i = 0; i < n; i++) {
		json_array_append_new(a, list_item(&list[i], now));
		fb_msg_clear(&list[i]);
	}
	free(list);
	j = json_pack("{s:i, s:i, s:i, s:o}", "total", total, "offset",
	    f.offset, "limit", f.limit != 0 ? f.limit : 100, "messages", a);
	return req_json(r, 200, j);
}

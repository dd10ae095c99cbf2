/*
 * otklik feedback …: staff registration of a message received offline
 * (a call, a visit, a letter), the queue, one message with its history,
 * and every step of its lifecycle (R-FB-4) on the command line.
 * Messages are named by number or by tracking code.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "cmd.h"
#include "db.h"
#include "feedback.h"
#include "feedback_dict.h"
#include "org.h"

#define SNIPPET_CHARS 60
#define TEXT_READ_MAX ((size_t)4 * FB_TEXT_MAX)

/* The local time of a moment in the organization's zone. */
static void
local_time(int64_t t, const char *tz, char out[17])
{
	if (t == 0)
		snprintf(out, 17, "-");
	else
		time_format_local(t, tz, 1, out);
}

/* A time as given: ISO 8601; without a zone, the organization's. */
static int
parse_time(const char *s, const char *tz, int64_t *t)
{
	const char *rest;

	if (time_parse(s, t) != 0)
		return -1;
	rest = s + 10;
	if (strchr(rest, 'Z') == NULL && strchr(rest, '+') == NULL &&
	    strchr(rest, '-') == NULL)
		*t -= tz_offset(*t, tz);
	return 0;
}

/* A message by number or by tracking code, within the organization. */
static int
message_id(struct cmd_ctx *c, const char *arg, int64_t *id)
{
	struct fb_msg m;
	struct err    e;
	const char   *p;

	for (p = arg; isdigit((unsigned char)*p); p++)
		;
	if (*arg != '\0' && *p == '\0')
		return cmd_parse_int("message", arg, 1, INT64_MAX, id) != 0
		    ? EXIT_USAGE : 0;
	fb_msg_init(&m);
	if (fb_get_code(c->db, arg, &m, &e) != 0)
		return cmd_error(&e);
	*id = m.id;
	if (m.org_id != c->org->id) {
		fb_msg_clear(&m);
		return cmd_fail(EXIT_NOINPUT, "no message has the code %s in "
		    "organization %s", arg, c->org->slug);
	}
	fb_msg_clear(&m);
	return 0;
}

static struct fb_conf *
conf(struct cmd_ctx *c, int *r)
{
	struct fb_conf *fc;
	struct err	e;

	if ((fc = fb_conf_load(c->db, c->org->id, &e)) == NULL)
		*r = cmd_error(&e);
	return fc;
}

/* The text argument, or standard input for "-". */
static char *
read_text(const char *arg, struct err *e)
{
	struct buf b;

	if (strcmp(arg, "-") != 0)
		return xstrdup(arg);
	buf_init(&b, TEXT_READ_MAX);
	if (buf_read_file(&b, "-", e) != 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

static const struct cmd_opt add_opts[] = {
	{"channel", "CODE", "channel of the registry: phone, reception, "
			    "post, email …"},
	{"kind", "KIND", "appeal, complaint, request, comment, mention, "
			 "post or proposal"},
	{"client", "C", "external (default) or internal"},
	{"form", "FORM", "service, support, control, prevention, appeals, "
			 "information or internal"},
	{"source", "S", "direct (default), pos, epgu, survey or media"},
	{"touchpoint", "ID", "the touchpoint of the registry"},
	{"subject", "S", "a short subject"},
	{"service", "S", "the state service concerned"},
	{"situation", "S", "the life situation concerned"},
	{"name", "N", "the client's name"},
	{"email", "E", "the client's e-mail"},
	{"phone", "P", "the client's phone"},
	{"address", "A", "the client's postal address"},
	{"consent", NULL, "the client consented to the processing of the "
			  "contact details"},
	{"key", "KEY", "the client's history key from an earlier message"},
	{"received", "TIME", "when it was received (ISO 8601; without a "
			     "zone, local time; default now)"},
	{"wait-minutes", "N", "minutes the client waited at the reception"},
	{"transfers", "N", "times a call was transferred"},
	{"rating", "N", "a rating from 1 to 5"},
	{"external-id", "ID", "the message's id in another system"},
	{NULL, NULL, NULL},
};
enum { A_CHANNEL, A_KIND, A_CLIENT, A_FORM, A_SOURCE, A_TOUCHPOINT,
	A_SUBJECT, A_SERVICE, A_SITUATION, A_NAME, A_EMAIL, A_PHONE,
	A_ADDRESS, A_CONSENT, A_KEY, A_RECEIVED, A_WAIT, A_TRANSFERS,
	A_RATING, A_EXTERNAL };

static char *
opt_dup(struct cmd_ctx *c, int i)
{
	return cmd_opt(c, i) != NULL ? xstrdup(cmd_opt(c, i)) : NULL;
}

static void
opt_code(struct cmd_ctx *c, int i, char *out, size_t size)
{
	snprintf(out, size, "%s", cmd_opt(c, i) != NULL ? cmd_opt(c, i) : "");
}

static int
add_numbers(struct cmd_ctx *c, struct fb_msg *m)
{
	int64_t v;

	if (cmd_opt(c, A_TOUCHPOINT) != NULL) {
		if (cmd_parse_int("--touchpoint", cmd_opt(c, A_TOUCHPOINT), 1,
			INT64_MAX, &v) != 0)
			return EXIT_USAGE;
		m->touchpoint_id = v;
	}
	if (cmd_opt(c, A_WAIT) != NULL) {
		if (cmd_parse_int("--wait-minutes", cmd_opt(c, A_WAIT), 0,
			100000, &v) != 0)
			return EXIT_USAGE;
		m->wait_minutes = (int)v;
	}
	if (cmd_opt(c, A_TRANSFERS) != NULL) {
		if (cmd_parse_int("--transfers", cmd_opt(c, A_TRANSFERS), 0,
			1000, &v) != 0)
			return EXIT_USAGE;
		m->transfers = (int)v;
	}
	if (cmd_opt(c, A_RATING) != NULL) {
		if (cmd_parse_int("--rating", cmd_opt(c, A_RATING), 1, 5,
			&v) != 0)
			return EXIT_USAGE;
		m->rating = (int)v;
	}
	if (cmd_opt(c, A_RECEIVED) != NULL &&
	    parse_time(cmd_opt(c, A_RECEIVED), c->org->tz,
		&m->received_at) != 0)
		return cmd_fail(EXIT_USAGE, "--received %s: expected "
		    "YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]",
		    cmd_opt(c, A_RECEIVED));
	return 0;
}

static void
add_fill(struct cmd_ctx *c, struct fb_msg *m, struct fb_contact *ct)
{
	opt_code(c, A_CHANNEL, m->channel, sizeof(m->channel));
	opt_code(c, A_KIND, m->kind, sizeof(m->kind));
	opt_code(c, A_CLIENT, m->client, sizeof(m->client));
	opt_code(c, A_FORM, m->form, sizeof(m->form));
	opt_code(c, A_SOURCE, m->source, sizeof(m->source));
	m->subject = opt_dup(c, A_SUBJECT);
	m->service = opt_dup(c, A_SERVICE);
	m->situation = opt_dup(c, A_SITUATION);
	m->external_id = opt_dup(c, A_EXTERNAL);
	ct->name = opt_dup(c, A_NAME);
	ct->email = opt_dup(c, A_EMAIL);
	ct->phone = opt_dup(c, A_PHONE);
	ct->address = opt_dup(c, A_ADDRESS);
	ct->key = opt_dup(c, A_KEY);
	ct->consent = cmd_flag(c, A_CONSENT);
}

static int
add_store(struct cmd_ctx *c, struct fb_msg *m, struct fb_contact *ct)
{
	struct fb_conf *fc;
	struct err	e;
	char		key[65];
	int		r = EXIT_OK, ins;

	if ((fc = conf(c, &r)) == NULL)
		return r;
	if (db_begin(c->db) != 0) {
		fb_conf_free(fc);
		return cmd_fail(EXIT_IOERR, "%s", db_errmsg(c->db));
	}
	ins = fb_insert(c->db, fc, c->actor, m, ct, key, &e);
	if (ins < 0 || db_commit(c->db) != 0) {
		db_rollback(c->db);
		r = ins < 0 ? cmd_error(&e)
			    : cmd_fail(EXIT_IOERR, "%s", db_errmsg(c->db));
	} else if (ins == 1) {
		printf("%s\n", m->code);
		fprintf(stderr, "otklik: external id %s is message %lld "
		    "already; nothing added\n", m->external_id,
		    (long long)m->id);
	} else {
		printf("%s\n", m->code);
		if (key[0] != '\0')
			printf("key %s\n", key);
	}
	fb_conf_free(fc);
	return r;
}

static int
cmd_feedback_add_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct fb_msg	  m;
	struct fb_contact ct;
	struct err	  e;
	const char	 *field;
	int		  r;

	(void)argc;
	fb_msg_init(&m);
	memset(&ct, 0, sizeof(ct));
	if ((r = add_numbers(c, &m)) != 0)
		goto out;
	add_fill(c, &m, &ct);
	if ((m.text = read_text(argv[0], &e)) == NULL) {
		r = cmd_error(&e);
		goto out;
	}
	if (fb_validate(&m, &ct, &field, &e) != 0) {
		r = cmd_error(&e);
		goto out;
	}
	r = add_store(c, &m, &ct);
out:
	fb_msg_clear(&m);
	fb_contact_clear(&ct);
	return r;
}

const struct cmd_entry cmd_feedback_add_entry = {
	.name = "feedback add",
	.args = "TEXT|-",
	.summary = "register a message received offline; prints its "
		   "tracking code",
	.help = "TEXT is the message (\"-\": read from standard input). "
		"Prints the tracking code\nfor the client, and with contact "
		"details a line \"key KEY\": the key of the\nclient's history, "
		"shown only this once. Contact details need --consent,\n"
		"except for an appeal or a complaint, which the law (59-FZ) "
		"requires to answer.\nA message whose --external-id is "
		"stored already is not added again.",
	.opts = add_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_feedback_add_exec,
};

/*
 * The timer a message is on: the acknowledgement's while it waits for
 * one, then the answer's.  The answer's standard is the first that
 * applies and is on, as in fb_deadlines.
 */
static const char *
timer_of(const struct fb_conf *fc, const struct fb_msg *m, int64_t now,
    int64_t *due)
{
	enum std_code a[STD__COUNT];
	int	      i, n, working = 0, found = 0;
	int64_t	      done;

	*due = 0;
	n = std_applies(m->channel, m->kind, m->source, a);
	if (strcmp(m->state, "registered") == 0 && m->ack_due != 0) {
		*due = m->ack_due;
		done = m->acknowledged_at;
		working = fc->std[STD_ACK_WRITTEN].working;
	} else if (m->answer_due != 0) {
		*due = m->answer_due;
		done = m->answered_at;
		for (i = 0; i < n && !found; i++)
			if (a[i] != STD_ACK_WRITTEN && fc->std[a[i]].enabled &&
			    fc->std[a[i]].unit != STD_COUNT) {
				working = fc->std[a[i]].working;
				found = 1;
			}
	} else
		return "-";
	if (done == 0 && strcmp(m->state, "closed") == 0)
		return "-";
	return timer_state_code(timer_state(fc->cal, fc->tz, &fc->hours,
	    m->received_at, *due, done, now, working));
}

/* The start of a text on one line, cut at a character boundary. */
static void
snippet(const struct fb_msg *m, char *out, size_t size)
{
	const char *s = m->subject != NULL ? m->subject : m->text;
	size_t	    i = 0, chars = 0;

	for (; s != NULL && *s != '\0' && i + 5 < size; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80 &&
		    ++chars > SNIPPET_CHARS) {
			memcpy(out + i, "…", strlen("…"));
			i += strlen("…");
			break;
		}
		out[i++] = (*s == '\n' || *s == '\t' || *s == '\r') ? ' ' : *s;
	}
	out[i] = '\0';
}

static const struct cmd_opt list_opts[] = {
	{"state", "S", "registered, acknowledged, in_work, answered, closed "
		       "or open"},
	{"overdue", NULL, "only those past their deadline"},
	{"client", "C", "external or internal"},
	{"kind", "K", "appeal, complaint, request …"},
	{"channel", "CODE", "a channel of the registry"},
	{"q", "WORDS", "words of the text, the subject or the code"},
	{"limit", "N", "at most N messages (default 100, at most 1000)"},
	{NULL, NULL, NULL},
};

static int
list_filter(struct cmd_ctx *c, struct fb_filter *f)
{
	int64_t v;

	memset(f, 0, sizeof(*f));
	f->org_id = c->org->id;
	f->state = cmd_opt(c, 0);
	f->overdue = cmd_flag(c, 1);
	f->client = cmd_opt(c, 2);
	f->kind = cmd_opt(c, 3);
	f->channel = cmd_opt(c, 4);
	f->q = cmd_opt(c, 5);
	if (f->state != NULL && strcmp(f->state, "open") != 0 &&
	    fb_code_find(fb_states, f->state) == NULL)
		return cmd_fail(EXIT_USAGE, "--state %s: one of %s or open",
		    f->state, fb_code_list(fb_states));
	if (f->kind != NULL && fb_code_find(fb_kinds, f->kind) == NULL)
		return cmd_fail(EXIT_USAGE, "--kind %s: one of %s", f->kind,
		    fb_code_list(fb_kinds));
	if (f->client != NULL && strcmp(f->client, "external") != 0 &&
	    strcmp(f->client, "internal") != 0)
		return cmd_fail(EXIT_USAGE, "--client %s: external or internal",
		    f->client);
	if (cmd_opt(c, 6) != NULL) {
		if (cmd_parse_int("--limit", cmd_opt(c, 6), 1, 1000, &v) != 0)
			return EXIT_USAGE;
		f->limit = (int)v;
	}
	return 0;
}

static int
cmd_feedback_list_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct fb_filter f;
	struct fb_conf	*fc;
	struct fb_msg	*v;
	struct err	 e;
	char		 recv[17], due_s[17], text[4 * SNIPPET_CHARS + 8];
	const char	*ts;
	int64_t		 now = clock_now(), due;
	int		 n, i, r = EXIT_OK;

	(void)argc;
	(void)argv;
	if ((r = list_filter(c, &f)) != 0)
		return r;
	if ((fc = conf(c, &r)) == NULL)
		return r;
	if ((n = fb_list(c->db, &f, now, &v, NULL, &e)) < 0) {
		fb_conf_free(fc);
		return cmd_error(&e);
	}
	for (i = 0; i < n; i++) {
		local_time(v[i].received_at, fc->tz, recv);
		ts = timer_of(fc, &v[i], now, &due);
		local_time(due, fc->tz, due_s);
		snippet(&v[i], text, sizeof(text));
		printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", v[i].code, recv,
		    v[i].kind, v[i].channel, v[i].state, due_s, ts, text);
		fb_msg_clear(&v[i]);
	}
	free(v);
	fb_conf_free(fc);
	return EXIT_OK;
}

const struct cmd_entry cmd_feedback_list_entry = {
	.name = "feedback list",
	.args = "",
	.summary = "the queue: code, received, kind, channel, state, "
		   "deadline, timer, subject",
	.help = "Nearest deadline first: the acknowledgement's while a "
		"message waits for one,\nthen the answer's. Times are the "
		"organization's local time. The timer is\nrunning, due_soon, "
		"breached, met or met_late.",
	.opts = list_opts,
	.flags = CMD_ORG,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_feedback_list_exec,
};

static void
show_field(const char *name, const char *value)
{
	if (value != NULL && *value != '\0')
		printf("%-14s %s\n", name, value);
}

static void
show_time(const char *name, int64_t t, const char *tz)
{
	char s[17];

	if (t == 0)
		return;
	local_time(t, tz, s);
	show_field(name, s);
}

static void
show_id(const char *name, int64_t id, const char *title)
{
	char s[64];

	if (id == 0)
		return;
	snprintf(s, sizeof(s), "%lld", (long long)id);
	printf("%-14s %s%s%s\n", name, s, title != NULL ? " " : "",
	    title != NULL ? title : "");
}

static void
show_message(const struct fb_msg *m, const char *tz)
{
	char n[32];

	show_id("id", m->id, NULL);
	show_field("code", m->code);
	show_field("state", m->state);
	show_field("outcome", m->outcome);
	show_field("kind", m->kind);
	show_field("channel", m->channel);
	show_field("source", m->source);
	show_field("client", m->client);
	show_field("form", m->form);
	show_field("external_id", m->external_id);
	show_id("touchpoint", m->touchpoint_id, m->touchpoint);
	show_field("service", m->service);
	show_field("situation", m->situation);
	show_id("topic", m->topic_id, m->topic);
	show_id("reason", m->reason_id, m->reason);
	show_id("unit", m->unit_id, m->unit);
	show_id("assignee", m->assignee_id, m->assignee_login);
	show_time("received", m->received_at, tz);
	show_time("registered", m->registered_at, tz);
	show_time("acknowledged", m->acknowledged_at, tz);
	show_time("in_work", m->in_work_at, tz);
	show_time("answered", m->answered_at, tz);
	show_time("closed", m->closed_at, tz);
	show_time("ack_due", m->ack_due, tz);
	show_time("answer_due", m->answer_due, tz);
	if (m->extended)
		show_field("extended", m->extension_note);
	if (m->rating != 0) {
		snprintf(n, sizeof(n), "%d", m->rating);
		show_field("rating", n);
	}
	if (m->wait_minutes >= 0) {
		snprintf(n, sizeof(n), "%d", m->wait_minutes);
		show_field("wait_minutes", n);
	}
	snprintf(n, sizeof(n), "%d", m->transfers);
	show_field("transfers", n);
	snprintf(n, sizeof(n), "%d", m->reopened);
	show_field("reopened", n);
	show_field("solved", m->solved == 1 ? "yes" : m->solved == 0 ? "no"
								    : NULL);
	show_field("contact", m->contact_id != 0 ? "yes" : "anonymous");
	show_field("subject", m->subject);
	printf("\n%s\n", m->text);
	if (m->answer != NULL) {
		if (m->template_id != 0)
			printf("\nanswer (template %lld)\n",
			    (long long)m->template_id);
		else
			printf("\nanswer\n");
		printf("%s\n", m->answer);
	}
}

static int
cmd_feedback_show_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct fb_msg	 m;
	struct fb_event *ev;
	struct err	 e;
	char		 at[17];
	int64_t		 id;
	int		 r, n, i;

	(void)argc;
	if ((r = message_id(c, argv[0], &id)) != 0)
		return r;
	fb_msg_init(&m);
	if (fb_get(c->db, c->org->id, id, &m, &e) != 0)
		return cmd_error(&e);
	show_message(&m, c->org->tz);
	if ((n = fb_events(c->db, m.id, &ev, &e)) < 0) {
		fb_msg_clear(&m);
		return cmd_error(&e);
	}
	printf("\nhistory\n");
	for (i = 0; i < n; i++) {
		local_time(ev[i].at, c->org->tz, at);
		printf("%s\t%s\t%s\t%s\t%s\t%s\n", at, ev[i].actor,
		    ev[i].action, ev[i].from_state ? ev[i].from_state : "-",
		    ev[i].to_state ? ev[i].to_state : "-",
		    ev[i].detail ? ev[i].detail : "");
	}
	fb_events_free(ev, n);
	fb_msg_clear(&m);
	return EXIT_OK;
}

const struct cmd_entry cmd_feedback_show_entry = {
	.name = "feedback show",
	.args = "ID|CODE",
	.summary = "one message: every field, the answer and the history",
	.help = "The history lists time, actor, action, state before and "
		"after, detail.\nContact details are not shown.",
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_feedback_show_exec,
};

/*
 * The steps without options.  Each prints the message's new state, so
 * that a script sees what happened.
 */
static int
step_done(struct cmd_ctx *c, int64_t id)
{
	struct fb_msg m;
	struct err    e;

	fb_msg_init(&m);
	if (fb_get(c->db, c->org->id, id, &m, &e) != 0)
		return cmd_error(&e);
	printf("%s\t%s\n", m.code, m.state);
	fb_msg_clear(&m);
	return EXIT_OK;
}

static int
simple_step(struct cmd_ctx *c, const char *arg,
    int (*fn)(struct db *, const struct fb_conf *, const char *, int64_t,
	int64_t, struct err *))
{
	struct fb_conf *fc;
	struct err	e;
	int64_t		id;
	int		r;

	if ((r = message_id(c, arg, &id)) != 0 || (fc = conf(c, &r)) == NULL)
		return r;
	r = fn(c->db, fc, c->actor, c->org->id, id, &e);
	fb_conf_free(fc);
	return r != 0 ? cmd_error(&e) : step_done(c, id);
}

static int
cmd_feedback_ack_exec(struct cmd_ctx *c, int argc, char **argv)
{
	(void)argc;
	return simple_step(c, argv[0], fb_acknowledge);
}

const struct cmd_entry cmd_feedback_ack_entry = {
	.name = "feedback ack",
	.args = "ID|CODE",
	.summary = "acknowledge receipt of a registered message",
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_feedback_ack_exec,
};

static int
cmd_feedback_take_exec(struct cmd_ctx *c, int argc, char **argv)
{
	(void)argc;
	return simple_step(c, argv[0], fb_take);
}

const struct cmd_entry cmd_feedback_take_entry = {
	.name = "feedback take",
	.args = "ID|CODE",
	.summary = "take a registered or acknowledged message into work",
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_feedback_take_exec,
};

static const struct cmd_opt answer_opts[] = {
	{"text", "TEXT", "the answer (\"-\": read from standard input)"},
	{"template", "ID", "the answer template used; its text when --text "
			   "is not given"},
	{NULL, NULL, NULL},
};

/* The answer: --text, else the template's text as it stands. */
static int
answer_text(struct cmd_ctx *c, int64_t tid, char **text)
{
	struct fb_template t;
	struct err	   e;

	*text = NULL;
	if (cmd_opt(c, 0) != NULL) {
		if ((*text = read_text(cmd_opt(c, 0), &e)) == NULL)
			return cmd_error(&e);
		return 0;
	}
	if (tid == 0)
		return cmd_fail(EXIT_USAGE, "feedback answer: give --text or "
		    "--template");
	memset(&t, 0, sizeof(t));
	if (fb_template_get(c->db, c->org->id, tid, &t, &e) != 0)
		return cmd_error(&e);
	*text = t.body;
	t.body = NULL;
	fb_template_clear(&t);
	return 0;
}

static int
cmd_feedback_answer_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct fb_conf *fc;
	struct err	e;
	char	       *text;
	int64_t		id, tid = 0;
	int		r;

	(void)argc;
	if ((r = message_id(c, argv[0], &id)) != 0)
		return r;
	if (cmd_opt(c, 1) != NULL &&
	    cmd_parse_int("--template", cmd_opt(c, 1), 1, INT64_MAX, &tid))
		return EXIT_USAGE;
	if ((r = answer_text(c, tid, &text)) != 0)
		return r;
	if ((fc = conf(c, &r)) == NULL) {
		free(text);
		return r;
	}
	r = fb_answer(c->db, fc, c->actor, c->org->id, id, text, tid, &e);
	free(text);
	fb_conf_free(fc);
	return r != 0 ? cmd_error(&e) : step_done(c, id);
}

const struct cmd_entry cmd_feedback_answer_entry = {
	.name = "feedback answer",
	.args = "ID|CODE",
	.summary = "answer an acknowledged or in-work message",
	.opts = answer_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_feedback_answer_exec,
};

static const struct cmd_opt close_opts[] = {
	{"outcome", "O", "a complaint's outcome: satisfied or unsatisfied"},
	{NULL, NULL, NULL},
};

static int
cmd_feedback_close_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct fb_conf *fc;
	struct err	e;
	int64_t		id;
	int		r;

	(void)argc;
	if ((r = message_id(c, argv[0], &id)) != 0 ||
	    (fc = conf(c, &r)) == NULL)
		return r;
	r = fb_close(c->db, fc, c->actor, c->org->id, id, cmd_opt(c, 0), &e);
	fb_conf_free(fc);
	return r != 0 ? cmd_error(&e) : step_done(c, id);
}

const struct cmd_entry cmd_feedback_close_entry = {
	.name = "feedback close",
	.args = "ID|CODE",
	.summary = "close an answered message (a complaint with --outcome)",
	.help = "A comment, a mention, a post or a proposal needs no answer "
		"and may be closed\nat any time.",
	.opts = close_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_feedback_close_exec,
};

static const struct cmd_opt reopen_opts[] = {
	{"why", "TEXT", "why it is reopened"},
	{NULL, NULL, NULL},
};

static int
cmd_feedback_reopen_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct fb_conf *fc;
	struct err	e;
	int64_t		id;
	int		r;

	(void)argc;
	if ((r = message_id(c, argv[0], &id)) != 0 ||
	    (fc = conf(c, &r)) == NULL)
		return r;
	r = fb_reopen(c->db, fc, c->actor, c->org->id, id, cmd_opt(c, 0), &e);
	fb_conf_free(fc);
	return r != 0 ? cmd_error(&e) : step_done(c, id);
}

const struct cmd_entry cmd_feedback_reopen_entry = {
	.name = "feedback reopen",
	.args = "ID|CODE",
	.summary = "take an answered or closed message back into work",
	.opts = reopen_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_feedback_reopen_exec,
};

static const struct cmd_opt assign_opts[] = {
	{"unit", "NAME", "the structural unit responsible"},
	{"to", "LOGIN", "the staff member responsible"},
	{NULL, NULL, NULL},
};

static int
staff_id(struct cmd_ctx *c, const char *login, int64_t *id)
{
	struct db_stmt *s;
	int		r;

	s = db_prepare(c->db, "SELECT id FROM staff WHERE login = ?", "t",
	    login);
	if (s == NULL || (r = db_step(s)) == DB_FAIL) {
		db_finalize(s);
		return cmd_fail(EXIT_IOERR, "%s", db_errmsg(c->db));
	}
	if (r != DB_ROW) {
		db_finalize(s);
		return cmd_fail(EXIT_NOINPUT, "--to %s: no such staff account",
		    login);
	}
	*id = db_col_int(s, 0);
	db_finalize(s);
	return 0;
}

static int
cmd_feedback_assign_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err e;
	int64_t	   id, unit = 0, who = 0;
	int	   r;

	(void)argc;
	if ((r = message_id(c, argv[0], &id)) != 0)
		return r;
	if (cmd_opt(c, 0) == NULL && cmd_opt(c, 1) == NULL)
		return cmd_fail(EXIT_USAGE, "feedback assign: give --unit or "
		    "--to");
	if (cmd_opt(c, 0) != NULL &&
	    unit_get(c->db, c->actor, c->org->id, cmd_opt(c, 0), 0, &unit,
		&e) != 0)
		return cmd_error(&e);
	if (cmd_opt(c, 1) != NULL && (r = staff_id(c, cmd_opt(c, 1), &who)))
		return r;
	if (fb_assign(c->db, c->actor, c->org->id, id, unit, who, &e) != 0)
		return cmd_error(&e);
	return step_done(c, id);
}

const struct cmd_entry cmd_feedback_assign_entry = {
	.name = "feedback assign",
	.args = "ID|CODE",
	.summary = "make a unit and/or a person responsible for a message",
	.help = "Handing a message from one person to another counts a "
		"transfer.",
	.opts = assign_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_feedback_assign_exec,
};

static const struct cmd_opt extend_opts[] = {
	{"days", "N", "days to add, at most 30"},
	{"notice", "TEXT", "the notice sent to the applicant"},
	{NULL, NULL, NULL},
};

static int
cmd_feedback_extend_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct fb_conf *fc;
	struct err	e;
	int64_t		id, days;
	int		r;

	(void)argc;
	if ((r = message_id(c, argv[0], &id)) != 0)
		return r;
	if (cmd_opt(c, 0) == NULL || cmd_opt(c, 1) == NULL)
		return cmd_fail(EXIT_USAGE, "feedback extend: --days and "
		    "--notice are required");
	if (cmd_parse_int("--days", cmd_opt(c, 0), 1, 30, &days) != 0)
		return EXIT_USAGE;
	if ((fc = conf(c, &r)) == NULL)
		return r;
	r = fb_extend(c->db, fc, c->actor, c->org->id, id, (int)days,
	    cmd_opt(c, 1), &e);
	fb_conf_free(fc);
	return r != 0 ? cmd_error(&e) : step_done(c, id);
}

const struct cmd_entry cmd_feedback_extend_entry = {
	.name = "feedback extend",
	.args = "ID|CODE",
	.summary = "extend the 59-FZ answer deadline once, with notice to "
		   "the applicant",
	.opts = extend_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_feedback_extend_exec,
};

static const struct cmd_opt classify_opts[] = {
	{"topic", "T", "a topic of the dictionary, by title or number"},
	{"reason", "R", "a reason of the dictionary, by title or number"},
	{"form", "FORM", "the form of interaction (\"\" clears it)"},
	{NULL, NULL, NULL},
};

static int
cmd_feedback_classify_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err e;
	int64_t	   id, topic = 0, reason = 0;
	int	   r;

	(void)argc;
	if ((r = message_id(c, argv[0], &id)) != 0)
		return r;
	if (cmd_opt(c, 0) != NULL && fb_topic_find(c->db, c->org->id, "topic",
	    cmd_opt(c, 0), &topic, &e) != 0)
		return cmd_error(&e);
	if (cmd_opt(c, 1) != NULL && fb_topic_find(c->db, c->org->id,
	    "reason", cmd_opt(c, 1), &reason, &e) != 0)
		return cmd_error(&e);
	if (topic == 0 && reason == 0 && cmd_opt(c, 2) == NULL)
		return cmd_fail(EXIT_USAGE, "feedback classify: give --topic, "
		    "--reason or --form");
	if (fb_classify(c->db, c->actor, c->org->id, id, topic, reason,
		cmd_opt(c, 2), &e) != 0)
		return cmd_error(&e);
	return step_done(c, id);
}

const struct cmd_entry cmd_feedback_classify_entry = {
	.name = "feedback classify",
	.args = "ID|CODE",
	.summary = "set a message's topic, reason or form of interaction",
	.opts = classify_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_feedback_classify_exec,
};

static int
cmd_feedback_reply_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct fb_msg	m;
	struct fb_conf *fc;
	struct err	e;
	int64_t		id;
	int		r, solved;

	(void)argc;
	if (strcmp(argv[1], "yes") == 0)
		solved = 1;
	else if (strcmp(argv[1], "no") == 0)
		solved = 0;
	else
		return cmd_fail(EXIT_USAGE, "feedback reply: the client's "
		    "answer is yes (solved) or no");
	if ((r = message_id(c, argv[0], &id)) != 0)
		return r;
	fb_msg_init(&m);
	if (fb_get(c->db, c->org->id, id, &m, &e) != 0)
		return cmd_error(&e);
	if ((fc = conf(c, &r)) == NULL) {
		fb_msg_clear(&m);
		return r;
	}
	r = fb_client_reply(c->db, fc, m.code, solved, &e);
	fb_conf_free(fc);
	fb_msg_clear(&m);
	return r != 0 ? cmd_error(&e) : step_done(c, id);
}

const struct cmd_entry cmd_feedback_reply_entry = {
	.name = "feedback reply",
	.args = "ID|CODE yes|no",
	.summary = "record the client's reply to the answer: solved or not",
	.help = "What the client says on the tracking page, when told by "
		"phone or in person:\n\"yes\" closes the case, \"no\" takes it "
		"back into work.  Once per answer.",
	.flags = CMD_ORG,
	.minargs = 2,
	.maxargs = 2,
	.exec = cmd_feedback_reply_exec,
};

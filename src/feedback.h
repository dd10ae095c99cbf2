/*
 * Feedback (R-FB): messages of every kind from every channel, and the case
 * each one opens.  feedback.c holds the codes and the validation of a
 * message as it arrives (shared by the public form, the API, staff
 * registration and import); feedback_store.c its storage, lifecycle and
 * history; feedback_dict.c the organization's dictionaries (topics and
 * reasons, answer templates, channels, standards); the timers of R-FB-5
 * are in feedback_timer.c, personal data (R-PD) in pd.c.
 *
 * Codes are kept as text, the same in the database, the API, import files
 * and the command line.
 */
#ifndef OTKLIK_FEEDBACK_H
#define OTKLIK_FEEDBACK_H

#include <stddef.h>
#include <stdint.h>

#include "feedback_timer.h"

struct buf;
struct cal;
struct db;
struct err;
struct org;

/* Limits of what a message may carry, in bytes. */
#define FB_TEXT_MAX	20000	/* the message itself */
#define FB_SUBJECT_MAX	500
#define FB_FIELD_MAX	1000	/* service, situation, contact fields */
#define FB_ANSWER_MAX	40000
#define FB_EXTERNAL_MAX	200
#define FB_CODE_LEN	11	/* "K7M4-Q2XP9D": 10 of Crockford's base32 */

/*
 * A code with its titles.  The tables end with a NULL code.
 *   kinds:   appeal complaint request comment mention post proposal
 *   states:  registered acknowledged in_work answered closed
 *   forms:   service support control prevention appeals information
 *	      internal (R-FB-3)
 *   sources: direct pos epgu survey media (R-FB-2)
 *   outcomes: satisfied unsatisfied (R-FB-4, complaints)
 */
struct fb_code {
	const char *code;
	const char *title_ru;
	const char *title_en;
};
extern const struct fb_code fb_kinds[];
extern const struct fb_code fb_states[];
extern const struct fb_code fb_forms[];
extern const struct fb_code fb_sources[];
extern const struct fb_code fb_outcomes[];
extern const struct fb_code fb_actions[];	/* steps of the history */
/* The entry of a code in a table, or NULL if it is not one. */
const struct fb_code *fb_code_find(const struct fb_code *, const char *code);
/* The codes of a table joined with ", " for messages ("appeal, complaint…"). */
const char *fb_code_list(const struct fb_code *);

/*
 * A message and its case.  Strings are owned by the struct (NULL when
 * absent); codes are in fixed arrays ("" when absent).  Ids are 0 when
 * absent; times 0 when not yet.
 */
struct fb_msg {
	int64_t id;
	int64_t org_id;
	char	code[FB_CODE_LEN + 1];	/* tracking code */
	char   *external_id;		/* from an import or another system */
	char	source[12];
	char	channel[16];		/* a channel code of R-REG-1 */
	char	kind[12];
	char	client[12];		/* external, internal */
	char	form[16];		/* R-FB-3, "" when unknown */
	int64_t touchpoint_id;
	char   *service;
	char   *situation;		/* life situation */
	char   *subject;
	char   *text;
	int	rating;			/* 1–5 (quick feedback), 0 none */
	int64_t topic_id;
	int64_t reason_id;
	char	state[16];
	char	outcome[16];		/* "" until a complaint closes */
	int64_t received_at;
	int64_t registered_at;
	int64_t acknowledged_at;
	int64_t in_work_at;
	int64_t answered_at;
	int64_t closed_at;
	int64_t ack_due;		/* acknowledge by (0: no such standard) */
	int64_t answer_due;		/* answer by (0: none) */
	int	extended;		/* 59-FZ extension used */
	char   *extension_note;
	int64_t unit_id;
	int64_t assignee_id;
	int	transfers;
	int	wait_minutes;		/* reception wait, -1 unknown */
	char   *answer;
	int64_t template_id;
	int	solved;			/* client's reply: -1 none, 0 no, 1 yes */
	int	reopened;
	int64_t contact_id;		/* 0: anonymous */

	/* Filled when read, for display. */
	char   *topic;
	char   *reason;
	char   *unit;
	char   *assignee;		/* the person's name */
	char   *assignee_login;
	char   *touchpoint;		/* its name in the current registry */
};
void fb_msg_init(struct fb_msg *);	/* zero, wait_minutes and solved -1 */
void fb_msg_clear(struct fb_msg *);	/* frees the strings, then init */

/*
 * Contact details a client leaves (R-PD).  All NULL: anonymous.  key, when
 * given, is the client's history key from an earlier message, which joins
 * this message to the same history.  consent: the client ticked the
 * consent of R-PD-1.
 */
struct fb_contact {
	char *name;
	char *email;
	char *phone;
	char *address;
	char *key;
	int   consent;
};
void fb_contact_clear(struct fb_contact *);
int  fb_contact_empty(const struct fb_contact *);

/*
 * Checks a message as it arrives, before anything is stored: every code
 * known, text present and within FB_TEXT_MAX, every text valid UTF-8
 * without control characters, sizes within limits, rating 1–5, times not
 * in the future (beyond a minute of clock skew).  Contact details need a
 * legal basis: the consent, or for an appeal or a complaint the law that
 * requires an answer (59-FZ).  An appeal or complaint that wants an answer
 * needs an e-mail, a phone or a postal address.  Normalizes in place
 * (squeezes white space, lower-cases codes, fills source "direct" and
 * client "external" when empty, received_at now when 0).
 *
 * Returns 0, or -1 with *field naming the offending field (the name used
 * by the form, the API and the import: "text", "kind", "email"…) and the
 * error's message saying what is wrong, without echoing the value.
 */
int fb_validate(struct fb_msg *, struct fb_contact *, const char **field,
    struct err *);

/*
 * The check fb_validate makes of each text, for texts that come later
 * (an answer, a note, a template): valid UTF-8, no control characters
 * (line breaks and tabs allowed when lines is set), white space squeezed
 * in place, at most max bytes after that; an empty text becomes NULL.
 * Returns 0, or -1 with an EXIT_DATAERR error naming "name".
 */
int fb_text_check(char **text, const char *name, size_t max, int lines,
    struct err *);

/*
 * What an organization's configuration means for new messages and timers:
 * its zone, calendar, working hours and standards.  Loaded once and kept
 * by whoever writes many messages (the ingest writer, an import).
 */
struct fb_conf {
	int64_t		  org_id;
	char		 *tz;
	char		 *region;
	struct cal	 *cal;
	struct work_hours hours;
	struct std_conf	  std[STD__COUNT];
};
struct fb_conf *fb_conf_load(struct db *, int64_t org_id, struct err *);
void		fb_conf_free(struct fb_conf *);

/* Sets a new message's deadlines (ack_due, answer_due) from the
 * standards that apply to it (std_applies). */
void fb_deadlines(const struct fb_conf *, struct fb_msg *);

/*
 * Stores a validated message inside the caller's open transaction: a fresh
 * tracking code (written into m->code), the deadlines, the contact and its
 * legal basis (pd_basis), the "registered" event.  With contact details
 * and no key, a new history key is made and written into key_out (64 hex
 * characters + NUL; "" when anonymous).  An external_id already stored for
 * the organization and source returns 1 and stores nothing (imports are
 * idempotent), with m->id and m->code of the stored message.  Returns 0,
 * 1, or -1 with the error (EXIT_DATAERR for an unknown key or touchpoint).
 */
int fb_insert(struct db *, const struct fb_conf *, const char *actor,
    struct fb_msg *, const struct fb_contact *, char key_out[65],
    struct err *);

/* Reads one message (with its display fields) of an organization. */
int fb_get(struct db *, int64_t org_id, int64_t id, struct fb_msg *,
    struct err *);
/* By tracking code, any organization (the public tracking page). */
int fb_get_code(struct db *, const char *code, struct fb_msg *, struct err *);

/* The staff queue and lists. */
struct fb_filter {
	int64_t	    org_id;
	const char *state;	/* a state, "open" (not closed) or NULL: all */
	const char *client;	/* NULL: both */
	const char *kind;
	const char *channel;
	int64_t	    unit_id;
	int64_t	    assignee_id;
	int	    overdue;	/* only breached deadlines (at now) */
	const char *q;		/* words of the text, subject or code */
	int64_t	    from, to;	/* received_at in [from, to), 0: open */
	int	    limit;	/* 0: 100; at most 1000 */
	int	    offset;
};
/*
 * Messages in the order of work: those waiting for staff (registered,
 * acknowledged, in work) before those answered or closed; within each,
 * the nearest deadline first (the acknowledgement's while a message waits
 * for one, then the answer's), those without one last, then by received
 * time.  Fills
 * *list (free each with fb_msg_clear, then the array) and returns the
 * count, or -1.  *total, when given, gets the count without the limit.
 */
int fb_list(struct db *, const struct fb_filter *, int64_t now,
    struct fb_msg **list, int *total, struct err *);

/*
 * The lifecycle (R-FB-4).  Every step checks the state it starts from,
 * stamps its time, writes an fb_event and an audit entry (which name the
 * message, never the client), in its own transaction.
 *   acknowledge: registered -> acknowledged
 *   take:	  registered|acknowledged -> in_work
 *   answer:	  acknowledged|in_work -> answered, with the answer text
 *		  (from a template or not; the template's use is counted)
 *   close:	  answered -> closed; a complaint needs its outcome
 *		  (a comment, mention, post or proposal needs no answer
 *		  and closes from any open state)
 *   reopen:	  answered|closed -> in_work (the client said "not solved",
 *		  or staff)
 * assign sets the unit and/or the person; handing a case from one person
 * to another counts a transfer.  extend is the 59-FZ extension with the
 * notice sent to the applicant (once, at most 30 days).
 */
int fb_acknowledge(struct db *, const struct fb_conf *, const char *actor,
    int64_t org_id, int64_t id, struct err *);
int fb_take(struct db *, const struct fb_conf *, const char *actor,
    int64_t org_id, int64_t id, struct err *);
int fb_answer(struct db *, const struct fb_conf *, const char *actor,
    int64_t org_id, int64_t id, const char *answer, int64_t template_id,
    struct err *);
int fb_close(struct db *, const struct fb_conf *, const char *actor,
    int64_t org_id, int64_t id, const char *outcome, struct err *);
int fb_reopen(struct db *, const struct fb_conf *, const char *actor,
    int64_t org_id, int64_t id, const char *why, struct err *);
int fb_assign(struct db *, const char *actor, int64_t org_id, int64_t id,
    int64_t unit_id, int64_t assignee_id, struct err *);
int fb_extend(struct db *, const struct fb_conf *, const char *actor,
    int64_t org_id, int64_t id, int days, const char *notice, struct err *);
int fb_classify(struct db *, const char *actor, int64_t org_id, int64_t id,
    int64_t topic_id, int64_t reason_id, const char *form, struct err *);

/*
 * The client's reply on the tracking page after the answer (R-FB-9):
 * solved closes the case (a complaint as satisfied), not solved reopens
 * it (a complaint's outcome, if closed, becomes unsatisfied only when
 * staff close it again).  Only once per answer.
 */
int fb_client_reply(struct db *, const struct fb_conf *, const char *code,
    int solved, struct err *);

struct fb_event {
	int64_t at;
	char   *actor;
	char   *action;
	char   *from_state;
	char   *to_state;
	char   *detail;
};
/* The history of a message, oldest first; returns the count or -1. */
int  fb_events(struct db *, int64_t message_id, struct fb_event **list,
    struct err *);
void fb_events_free(struct fb_event *, int);

/* The messages of the client holding this history key, newest first. */
int fb_history(struct db *, int64_t org_id, const char *key,
    struct fb_msg **list, struct err *);

#endif

/*
 * An organization's dictionaries of feedback (R-FB-2, 5, 6, 7): topics and
 * reasons with the keywords that suggest them, the knowledge base of
 * answer templates, how each channel type is used, the service standards
 * as tightened, and the working hours.  Every change is audited inside
 * its own transaction.  Also the per-organization classifier that
 * suggests a topic and a reason for a message, built from the
 * dictionary's keywords and from the messages staff have already
 * labelled (classify.h).
 */
#ifndef OTKLIK_FEEDBACK_DICT_H
#define OTKLIK_FEEDBACK_DICT_H

#include <stddef.h>
#include <stdint.h>

#include "feedback_timer.h"

struct buf;
struct cls_eval;
struct db;
struct err;

/* Limits of the dictionaries, in bytes and rows. */
#define FB_TITLE_MAX	   300
#define FB_KEYWORDS_MAX	   2000
#define FB_TEMPLATE_MAX	   20000
#define FB_DICT_ROWS_MAX   2000		/* topics, or templates, of one org */

/*
 * Topics and reasons (R-FB-7).  kind is "topic" or "reason"; titles are
 * unique per organization and kind.  keywords are patterns as
 * classifier_add_keywords takes them ("запис+приём|очеред"), "" for none.
 */
struct fb_topic {
	int64_t id;
	char	kind[8];
	char   *title;
	char   *keywords;
	int	active;
};
/* 0 for "topic" or "reason", else -1. */
int  fb_topic_kind_valid(const char *);
/*
 * Checks a title and keywords: title present, within FB_TITLE_MAX, valid
 * UTF-8 without control characters; keywords within FB_KEYWORDS_MAX and
 * every alternative usable by the classifier.  0, or -1 with *field
 * ("title", "keywords") and the error.
 */
int  fb_topic_check(const char *title, const char *keywords,
    const char **field, struct err *);
int  fb_topic_add(struct db *, const char *actor, int64_t org_id,
    const char *kind, const char *title, const char *keywords, int64_t *id,
    struct err *);
/* Changes title and keywords (NULL: kept) and active (-1: kept). */
int  fb_topic_update(struct db *, const char *actor, int64_t org_id,
    int64_t id, const char *title, const char *keywords, int active,
    struct err *);
int  fb_topic_get(struct db *, int64_t org_id, int64_t id, struct fb_topic *,
    struct err *);
/* By title (case-folded), or by number; EXIT_NOINPUT when none. */
int  fb_topic_find(struct db *, int64_t org_id, const char *kind,
    const char *title_or_id, int64_t *id, struct err *);
/* Ordered by kind, then title; kind NULL: both.  Returns the count. */
int  fb_topic_list(struct db *, int64_t org_id, const char *kind,
    int active_only, struct fb_topic **, struct err *);
void fb_topic_clear(struct fb_topic *);
void fb_topics_free(struct fb_topic *, int);

/*
 * Answer templates (R-FB-6).  topic_id 0: any topic.
 */
struct fb_template {
	int64_t id;
	char   *title;
	char   *body;
	int64_t topic_id;
	char   *topic;		/* its title, NULL when none */
	int	active;
	int	uses;
	int64_t updated_at;
	char   *updated_by;
};
int  fb_template_check(const char *title, const char *body,
    const char **field, struct err *);
int  fb_template_add(struct db *, const char *actor, int64_t org_id,
    const char *title, const char *body, int64_t topic_id, int64_t *id,
    struct err *);
/* title, body NULL: kept; topic_id -1: kept; active -1: kept. */
int  fb_template_update(struct db *, const char *actor, int64_t org_id,
    int64_t id, const char *title, const char *body, int64_t topic_id,
    int active, struct err *);
int  fb_template_get(struct db *, int64_t org_id, int64_t id,
    struct fb_template *, struct err *);
/*
 * Templates by title.  q, when not empty, keeps those whose title or text
 * has every word of q in any of its forms (compared as stems: "записи"
 * finds "записаться"); topic_id other than 0 puts that topic's first.
 */
int  fb_template_list(struct db *, int64_t org_id, const char *q,
    int active_only, int64_t topic_id, struct fb_template **, struct err *);
void fb_template_clear(struct fb_template *);
void fb_templates_free(struct fb_template *, int);

/*
 * Channels (R-FB-2): every channel type of R-REG-1, as the organization
 * uses it for feedback; without a stored row, the defaults (enabled,
 * online when the type is digital, both clients).
 */
struct fb_channel_conf {
	char	channel[16];
	int	enabled;
	int	online;
	char	client[12];	/* external, internal, both */
	int64_t touchpoint_id;	/* 0: none */
	int	stored;		/* 1 when a row holds it */
};
/* Fills list (CH__COUNT entries, in the order of registry.c channels[];
 * free() it); returns the count or -1. */
int  fb_channel_list(struct db *, int64_t org_id, struct fb_channel_conf **,
    struct err *);
int  fb_channel_set(struct db *, const char *actor, int64_t org_id,
    const struct fb_channel_conf *, struct err *);

/*
 * Standards (R-FB-5) as configured: defaults where nothing is stored.
 * stored[i] tells whether row i is the organization's own.
 */
int  fb_standard_list(struct db *, int64_t org_id,
    struct std_conf std[STD__COUNT], int stored[STD__COUNT], struct err *);
/* Stores a standard after std_conf_check (which may only tighten). */
int  fb_standard_set(struct db *, const char *actor, int64_t org_id,
    enum std_code, const struct std_conf *, struct err *);

/* Working hours; the default when nothing is stored. */
int  fb_hours_get(struct db *, int64_t org_id, struct work_hours *,
    struct err *);
int  fb_hours_set(struct db *, const char *actor, int64_t org_id,
    const struct work_hours *, struct err *);
/* "09:00" -> 540; -1 if not HH:MM within a day (24:00 allowed). */
int  fb_hours_parse(const char *);

/*
 * Suggestions of a topic and a reason for a message (R-FB-7): one
 * classifier per kind, from the keywords of the active dictionary rows
 * and from the organization's messages that carry a topic (or reason),
 * at most FB_EXAMPLES_MAX of the newest.
 */
#define FB_EXAMPLES_MAX 20000
struct fb_classifier;
struct fb_suggestion {
	int64_t	    id;		/* the fb_topic row */
	const char *title;
	double	    confidence;	/* 0..1 */
	const char *why;
};
struct fb_classifier *fb_classifier_load(struct db *, int64_t org_id,
    struct err *);
/*
 * The same, shared by the server's threads: built at most every
 * FB_CLASSIFIER_TTL seconds per organization (and after a change of its
 * topics), so that a page of a case does not train one each time.
 */
#define FB_CLASSIFIER_TTL 60
struct fb_classifier *fb_classifier_shared(struct db *, int64_t org_id,
    struct err *);
/* Forgets an organization's shared classifier (its topics changed). */
void fb_classifier_forget(int64_t org_id);
/* Drops a reference (the last one frees it); NULL is harmless. */
void fb_classifier_free(struct fb_classifier *);
/*
 * The accuracy of this classifier's own examples of a kind, held out
 * every k-th (classifier_evaluate), measured once and remembered.  0, or
 * -1 when there are too few to hold any out.
 */
int  fb_classifier_accuracy(struct fb_classifier *, const char *kind, int k,
    struct cls_eval *);
/* Up to n suggestions of a kind ("topic", "reason"), best first. */
int  fb_classifier_suggest(const struct fb_classifier *, const char *kind,
    const char *text, struct fb_suggestion *, int n);
/* How many labelled messages of a kind it learned from. */
int  fb_classifier_examples(const struct fb_classifier *, const char *kind);

/*
 * The accuracy on held-out labelled messages of the organization (every
 * k-th held out, classifier_evaluate): 0, or -1 (EXIT_NOINPUT when there
 * are too few labelled messages to hold any out).
 */
int  fb_classifier_evaluate(struct db *, int64_t org_id, const char *kind,
    int k, struct cls_eval *, struct buf *report, struct err *);

#endif

/*
 * Surveys (R-SRV): instruments (анкеты) of ordered questions, kept in
 * versions; where each is offered; single-use invitations; the answers,
 * which are anonymous (R-SRV-3); and results by one methodology, so that
 * figures compare across touchpoints, services and channels (R-SRV-5).
 *
 * survey.c holds an instrument's definition (the JSON of
 * data/surveys/<code>.json and of srv_version.definition), the validation of
 * a respondent's answers against it and the index arithmetic;
 * survey_store.c the instruments, versions, targets, invitations and
 * responses in the database; survey_results.c the figures;
 * survey_export.c and survey_import.c the CSV/XLSX export and the entry
 * of paper forms.  QR codes are in qr.c.
 */
#ifndef OTKLIK_SURVEY_H
#define OTKLIK_SURVEY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct buf;
struct db;
struct err;
struct fb_conf;
struct org;

/* Limits, in bytes or counts. */
#define SRV_DEF_MAX	  262144 /* an instrument's JSON */
#define SRV_CODE_MAX	  40	 /* instrument, question and option codes */
#define SRV_TITLE_MAX	  500	 /* titles, question texts, option texts */
#define SRV_INTRO_MAX	  4000	 /* an instrument's introduction, hints */
#define SRV_QUESTIONS_MAX 100
#define SRV_OPTIONS_MAX	  30
#define SRV_ANSWER_MAX	  4000	 /* a free-text answer */
#define SRV_TOKEN_LEN	  26	 /* an invitation token, base32 */
#define SRV_INVITES_MAX	  10000	 /* invitations made at once */
#define SRV_SCALE	  5	 /* every rating is 1–5 (R-SRV-5) */
/* A rating of this or lower is "not satisfied": with the respondent's
 * agreement it opens a feedback case (R-FB-9). */
#define SRV_LOW_RATING	  3

/* The four standard instruments of R-SRV-2, by code. */
extern const char *const srv_standard_codes[];	/* ends with NULL */

/*
 * The verbal anchors of the 5-point scale (R-SRV-5), index 1–5, kept
 * exactly; [0] is unused.
 */
extern const char *const srv_anchor_ru[SRV_SCALE + 1];
extern const char *const srv_anchor_en[SRV_SCALE + 1];

enum srv_qtype {
	SRV_RATING,	/* 1–5 with the anchors; "затрудняюсь ответить" */
	SRV_SINGLE,	/* one option */
	SRV_MULTI,	/* any number of options */
	SRV_TEXT	/* free text, at most max bytes */
};
/* "rating", "single", "multi", "text"; and back (-1 if unknown). */
const char *srv_qtype_name(enum srv_qtype);
int	    srv_qtype_parse(const char *);

struct srv_option {
	char *code;
	char *text_ru;
	char *text_en;		/* NULL: the Russian text */
};

/*
 * A question.  code is stable: the same parameter has the same code in
 * every version and every instrument ("access", "clarity" …), which is
 * how results line up.  A question with show_if set is shown (and may be
 * answered) only when question show_if got one of the options show_any.
 */
struct srv_question {
	char		  *code;
	enum srv_qtype	   type;
	char		  *text_ru;
	char		  *text_en;
	char		  *hint_ru;	/* NULL: none */
	char		  *hint_en;
	int		   required;
	size_t		   max;		/* SRV_TEXT: bytes, 0: SRV_ANSWER_MAX */
	struct srv_option *options;	/* SRV_SINGLE, SRV_MULTI */
	size_t		   noptions;
	char		  *show_if;	/* an earlier question's code */
	char		 **show_any;	/* its option codes */
	size_t		   nshow_any;
};

struct srv_def {
	char		    *code;
	char		    *title_ru;	/* the official title, kept exactly */
	char		    *title_en;
	char		    *intro_ru;
	char		    *intro_en;
	char		     client[12];	/* external, internal */
	char		     access[8];		/* open, invite */
	struct srv_question *q;
	size_t		     nq;
};

/*
 * Reads an instrument from its JSON, strictly: unknown members, wrong
 * types, unknown question types, duplicate codes, a show_if that names
 * no earlier single or multi question or an option it does not have, a
 * choice question without options, sizes past the limits: each is an
 * EXIT_DATAERR error naming the question ("question 4 (booking):
 * show_if names 'x', which is not an earlier question").  Returns 0 or
 * -1; on error the definition is left empty.
 */
int   srv_def_parse(struct srv_def *, const char *json, size_t len,
    struct err *);
/* The definition as canonical JSON (keys sorted, indented); free it. */
char *srv_def_json(const struct srv_def *);
void  srv_def_clear(struct srv_def *);
/* The index of a question by code, or -1. */
int   srv_def_find(const struct srv_def *, const char *code);
/* The title in a language ("ru", "en"), falling back to Russian. */
const char *srv_text(const char *ru, const char *en, const char *lang);

/*
 * A respondent's answers, one item per question of the definition (same
 * index).  rating 0: not given; choices: option codes (one for SRV_SINGLE);
 * text: NULL when not given.
 */
struct srv_item {
	int    rating;
	char **choices;
	size_t nchoices;
	char  *text;
};
struct srv_resp {
	int64_t		 org_id;
	int64_t		 instrument_id;
	int64_t		 version_id;
	int64_t		 touchpoint_id;	/* 0: none */
	char		*service;	/* NULL: none */
	char		*situation;
	char		 day[11];	/* YYYY-MM-DD, local to the organization */
	int		 offline;
	char		*paper_ref;	/* offline: the paper form's number */
	struct srv_item *items;		/* nq of them */
	size_t		 nitems;
};
/* Allocates nq empty items. */
void srv_resp_init(struct srv_resp *, size_t nq);
void srv_resp_clear(struct srv_resp *);

/* Is question i shown, given the answers so far (conditional display)? */
int srv_visible(const struct srv_def *, const struct srv_resp *, size_t i);

/*
 * Checks answers against the definition before anything is stored:
 * required questions answered when shown; ratings 1–5; options known,
 * one for a single choice, no repeats; text valid UTF-8 without control
 * characters (line breaks allowed), within max; answers to questions not
 * shown are dropped (not an error: a form without JavaScript shows them
 * all).  Fills errs[] with one entry per question in error (in question
 * order, at most maxerrs) and returns their count; 0 means valid.
 */
struct srv_error {
	size_t	    q;		/* the question's index */
	const char *why_ru;
	const char *why_en;
};
size_t srv_validate(const struct srv_def *, struct srv_resp *,
    struct srv_error *errs, size_t maxerrs);

/*
 * R-SRV-5: a rating r of 1–5 maps to the index (r - 1) * 25 (0–100); the
 * satisfaction share is the ratings of 4 or 5 out of all ratings, in %.
 */
struct srv_score {
	int64_t n;		/* ratings given */
	int64_t sum;		/* of the ratings */
	int64_t count[SRV_SCALE + 1];	/* [1]…[5] */
};
void   srv_score_add(struct srv_score *, int rating);
double srv_score_index(const struct srv_score *);	/* 0–100; NAN: n 0 */
double srv_score_share(const struct srv_score *);	/* %; NAN: n 0 */

/* ---- survey_store.c ---- */

/* An instrument with its versions' state, as listed. */
struct srv_instr {
	int64_t id;
	int64_t org_id;
	char	code[SRV_CODE_MAX + 1];
	char	standard[16];		/* "" when not standard */
	char	client[12];
	char	access[8];
	int	open;			/* takes answers */
	int64_t current_id;		/* published version's id, 0: none */
	int	current;		/* its number */
	int64_t draft_id;		/* draft version's id, 0: none */
	int	draft;			/* its number */
	char   *title;			/* of the current version, else draft */
	int64_t responses;		/* answers in all */
};
void srv_instr_clear(struct srv_instr *);

/*
 * Installs the four standard instruments (data/surveys/<code>.json, embedded)
 * for an organization, published as version 1 and open, inside the
 * caller's transaction; one already there is left alone.  org_add calls
 * it, and so does "otklik init" for organizations made before surveys.
 */
int srv_install_standard(struct db *, const char *actor, int64_t org_id,
    struct err *);

/* Every instrument of an organization, standard ones first, by code. */
int srv_instr_list(struct db *, int64_t org_id, struct srv_instr **list,
    size_t *n, struct err *);
/* One by code; -1 with EXIT_NOINPUT when there is none. */
int srv_instr_get(struct db *, int64_t org_id, const char *code,
    struct srv_instr *, struct err *);

/* A version's definition, and its number; -1 with EXIT_NOINPUT if none. */
int srv_version_load(struct db *, int64_t org_id, int64_t version_id,
    struct srv_def *, int *version, struct err *);

/*
 * A new instrument from a definition (its code must be new), as a draft
 * version 1.  Audited.  Its own transaction.
 */
int srv_instr_add(struct db *, const char *actor, int64_t org_id,
    const struct srv_def *, struct err *);
/*
 * Saves an edited definition: into the draft when there is one, else as
 * a new draft version (the published one stays as it is, with its
 * answers).  The code cannot change.  Audited.  Its own transaction.
 */
int srv_draft_save(struct db *, const char *actor, int64_t org_id,
    const char *code, const struct srv_def *, struct err *);
/* Drops a draft that was never published.  Audited. */
int srv_draft_discard(struct db *, const char *actor, int64_t org_id,
    const char *code, struct err *);
/* Publishes the draft: it becomes current, the one before retired. */
int srv_publish(struct db *, const char *actor, int64_t org_id,
    const char *code, struct err *);
/* Opens or closes an instrument to answers (a published one only). */
int srv_set_open(struct db *, const char *actor, int64_t org_id,
    const char *code, int open, struct err *);
/* Sets who may answer: "open" or "invite". */
int srv_set_access(struct db *, const char *actor, int64_t org_id,
    const char *code, const char *access, struct err *);

/* The versions of an instrument, newest first. */
struct srv_vinfo {
	int64_t id;
	int	version;
	char	state[12];
	char   *title;
	int64_t created_at;
	char   *created_by;
	int64_t published_at;
	int64_t responses;
};
int  srv_versions(struct db *, int64_t org_id, const char *code,
    struct srv_vinfo **list, size_t *n, struct err *);
void srv_vinfo_clear(struct srv_vinfo *);

/*
 * Where an instrument is offered (R-SRV-4): kind "touchpoint" with the
 * touchpoint's id (which must be in the organization's registry), or
 * "service" / "situation" with a name.  Audited.
 */
struct srv_target {
	int64_t id;
	char	kind[12];
	int64_t touchpoint_id;
	char   *name;		/* service or situation; for a touchpoint its
				   name in the current registry */
};
int  srv_attach(struct db *, const char *actor, int64_t org_id,
    const char *code, const char *kind, int64_t touchpoint_id,
    const char *name, struct err *);
int  srv_detach(struct db *, const char *actor, int64_t org_id,
    const char *code, int64_t target_id, struct err *);
int  srv_targets(struct db *, int64_t org_id, const char *code,
    struct srv_target **list, size_t *n, struct err *);
void srv_target_clear(struct srv_target *);

/*
 * Makes n single-use invitations (n <= SRV_INVITES_MAX) for an
 * instrument under a batch name; writes the tokens (SRV_TOKEN_LEN
 * characters of Crockford's base32) into *tokens, which the caller frees
 * (each, then the array).  Only their hashes are stored.  Audited (the
 * count, not the tokens).  Its own transaction.
 */
int srv_invite_make(struct db *, const char *actor, int64_t org_id,
    const char *code, const char *batch, size_t n, char ***tokens,
    struct err *);
/* Invitations made and used, per batch. */
struct srv_batch {
	char   *batch;
	int64_t made;
	int64_t used;
	int64_t created_at;
};
int srv_invite_batches(struct db *, int64_t org_id, const char *code,
    struct srv_batch **list, size_t *n, struct err *);
/*
 * Is the token an unused invitation to this instrument?  1 yes, 0 no
 * (unknown or used), -1 on error.  Only reads: the form checks it before
 * it is filled in.
 */
int srv_invite_valid(struct db *, int64_t instrument_id, const char *token,
    struct err *);

/*
 * Stores a validated response inside the caller's open transaction (the
 * writer's batch, or an import's): the response and its answers.  When
 * token is not NULL it must be an unused invitation to the instrument,
 * which is marked used in the same transaction, with nothing linking it
 * to the response; a used or unknown one is an EXIT_DATAERR error.  The
 * instrument must be open (offline entries excepted: paper answers may
 * come in after a survey closed).  A paper_ref already stored for the
 * instrument returns 1 and stores nothing.  No audit entry: an answer is
 * not a change made by a person of the staff, and its time must not be
 * kept.  Returns 0, 1 or -1.
 */
int srv_response_insert(struct db *, const struct srv_def *,
    const struct srv_resp *, const char *token, struct err *);

/* ---- survey_results.c ---- */

/* Which answers a figure is built from.  Dates are local days. */
struct srv_filter {
	int64_t	    org_id;
	const char *code;		/* the instrument */
	const char *from;		/* YYYY-MM-DD, NULL: open */
	const char *to;			/* inclusive, NULL: open */
	int64_t	    touchpoint_id;	/* 0: all */
	const char *service;		/* NULL: all */
	const char *situation;
	int	    offline;		/* -1 all, 0 online only, 1 paper only */
};

/*
 * The figures of one question over the answers the filter selects, for
 * the questions of the instrument's current version (older versions'
 * answers count by question code).  Ratings: score; choices: counts per
 * option (same order as the question's options); free text: the texts,
 * newest first, at most text_max of them (staff only).
 */
struct srv_qresult {
	char		 *code;
	enum srv_qtype	  type;
	char		 *text_ru;
	char		 *text_en;
	struct srv_score  score;
	int64_t		  answered;	/* responses that answered it */
	int64_t		 *option_count;	/* noptions */
	char		**option_code;
	char		**option_ru;
	char		**option_en;
	size_t		  noptions;
	char		**texts;
	size_t		  ntexts;
};
struct srv_results {
	int64_t		   responses;
	int64_t		   offline;	/* of which from paper */
	struct srv_score   overall;	/* every rating of every question */
	struct srv_qresult *q;
	size_t		   nq;
};
int  srv_results(struct db *, const struct srv_filter *, size_t text_max,
    struct srv_results *, struct err *);
void srv_results_clear(struct srv_results *);

/* ---- survey_export.c ---- */

/*
 * Every response the filter selects, one row each: number, day,
 * version, touchpoint, service, situation, offline, the paper form's
 * number, then a column per question of the current version headed by
 * its code (ratings as 1–5, choices as option codes joined with "; ",
 * texts as given), so that srv_import_offline reads an export of paper
 * forms back.  CSV (RFC 4180, UTF-8) into a buffer, or XLSX
 * (libxlsxwriter) into a file.  Returns the number of rows, or -1.
 */
int64_t srv_export_csv(struct db *, const struct srv_filter *, struct buf *,
    struct err *);
int64_t srv_export_xlsx(struct db *, const struct srv_filter *,
    const char *path, struct err *);

/* ---- survey_import.c ---- */

/*
 * Paper forms entered by staff (R-SRV-4), from CSV: a header row with
 * "paper_ref" (the form's number), "day" (YYYY-MM-DD), optionally
 * "touchpoint", "service", "situation", then one column per question
 * code of the instrument's current version (ratings 1–5, choices as
 * option codes joined with ";", texts).  All or nothing: every row is
 * checked with srv_validate, and every error is reported with its row
 * and column into report; nothing is stored unless all rows are valid
 * (and nothing at all with dry_run).  Rows whose paper_ref is stored
 * already are skipped, so importing a file twice adds nothing.  Fills
 * *added and *skipped.  Returns 0, or -1 (with EXIT_DATAERR when rows
 * were refused).
 */
int srv_import_offline(struct db *, const char *actor, int64_t org_id,
    const char *code, const char *path, int dry_run, struct buf *report,
    int64_t *added, int64_t *skipped, struct err *);

#endif

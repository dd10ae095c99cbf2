/*
 * The registry of touchpoints, перечень точек взаимодействия (R-REG):
 * entries grouped area → process → touchpoint, with the needs each serves
 * (R-REG-2), checked (R-REG-3), changed through drafts that the registry
 * officer includes or returns (R-REG-4), versioned (R-REG-5), published
 * within 10 working days (R-REG-6), and read and written in the official
 * form (R-REG-7, R-REG-8).
 */
#ifndef OTKLIK_REGISTRY_H
#define OTKLIK_REGISTRY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct buf;
struct db;
struct err;
struct org;
struct table;

/* Channel types of R-REG-1, in the order of the seeds. */
enum channel {
	CH_SITE,
	CH_EDMS,
	CH_EMAIL,
	CH_POS,
	CH_PHONE,
	CH_CALLCENTRE,
	CH_RECEPTION,
	CH_COMMISSION,
	CH_SOCIAL,
	CH_MESSENGER,
	CH_CHATBOT,
	CH_VOICE,
	CH_APP,
	CH_API,
	CH_POST,
	CH_STAND,
	CH_MFC,
	CH_WORKPLACE,
	CH_OTHER,
	CH__COUNT
};

enum tp_kind { KIND_DIGITAL, KIND_OFFLINE };
enum client { CLIENT_EXTERNAL, CLIENT_INTERNAL };
enum basis { BASIS_NONE, BASIS_NORMATIVE, BASIS_INTERNAL, BASIS_CONTRACT,
	BASIS_DIRECTIVE };

struct channel_info {
	const char  *code;	/* "email" */
	const char  *title_ru;	/* "Электронная почта" */
	const char  *title_en;
	enum tp_kind kind;	/* the kind it implies */
	int	     key;	/* a key touchpoint by default [000 §15, 001 §3.2] */
};
extern const struct channel_info channels[CH__COUNT];
int channel_from_code(const char *);	/* -1 if unknown */
/* Guesses the channel from a touchpoint's name ("Телефон +7 …" → phone). */
enum channel channel_guess(const char *name);
const char  *kind_code(enum tp_kind);
const char  *client_code(enum client);
const char  *basis_code(enum basis);	/* NULL for BASIS_NONE */

/*
 * One entry: a touchpoint within a process.  Strings are owned by the
 * entry ("" when empty, never NULL, except the optional contact fields
 * and basis_ref, which may be NULL).
 */
struct reg_entry {
	int64_t	     id;	/* touchpoint id, stable across versions; 0 if new */
	int64_t	     rev;	/* revision id */
	int	     pos;	/* order in the registry */
	char	    *area;	/* Направление деятельности */
	char	    *process;	/* Наименование конкретного процесса */
	char	    *name;	/* Точка взаимодействия */
	enum channel channel;
	enum tp_kind kind;
	int	     kind_explicit;	/* kind set by hand, not derived */
	enum client  client;
	char	    *needs;	/* need codes, space separated ("info consult") */
	char	    *interaction; /* Осуществляемое взаимодействие с клиентом */
	char	    *features;	  /* Особенности взаимодействия с клиентом */
	char	    *phone, *email, *url, *address, *room;
	int64_t	     unit_id;
	char	    *unit;	/* unit name, or NULL */
	enum basis   basis;
	char	    *basis_ref;
	int	     is_key, low_demand, not_counted;
};

struct registry {
	struct reg_entry *v;
	size_t		  n;
	size_t		  cap;		/* entries allocated */
	int64_t		  version;	/* 0: nothing included yet */
	int64_t		  included_at;	/* of that version */
};

void		  reg_entry_init(struct reg_entry *);
void		  reg_entry_clear(struct reg_entry *);
/* Replaces dst (initialized, or all zero) with a deep copy. */
void		  reg_entry_copy(struct reg_entry *dst, const struct reg_entry *);
struct reg_entry *registry_add(struct registry *);	/* a new blank entry */
void		  registry_free(struct registry *);
/* Sorts by pos and gives the official numbering (N per area, from 1). */
void		  registry_sort(struct registry *);
/* JSON of an entry for the audit log and the API (caller frees). */
char		 *reg_entry_json(const struct reg_entry *);

/* needs.c: the taxonomy of R-REG-2 (data/needs.tsv) and the org's own. */
struct need {
	const char *code;	/* "info", "submit:documents", "org:…" */
	const char *title_ru;
	const char *title_en;
	const char *seed;	/* "000 §10, 001 §2.6" */
};
size_t		   needs_count(void);
const struct need *needs_at(size_t);
const struct need *needs_find(const char *code);
/* Validates a space-separated list of codes against the taxonomy and the
 * organization's own needs; names the first unknown one. */
int		   needs_validate(struct db *, int64_t org_id, const char *codes,
		       struct err *);
/* Reads needs from the text of column 5 ("Получение клиентом информации,
 * получение консультации…") into codes; unmatched text gives "other". */
char		  *needs_from_text(const char *text);

/* registry_store.c: reading and writing through db.h. */

/* The registry as included in a version (0: the latest). */
int registry_load(struct db *, int64_t org_id, int64_t version,
    struct registry *, struct err *);
/* The version in force at the end of a local date; 0 if none then. */
int registry_version_at(struct db *, const struct org *, int32_t day,
    int64_t *version, struct err *);
/* A version of the registry, as "registry versions" lists it. */
struct reg_version {
	int64_t version;
	int64_t at;		/* included */
	int64_t nchanges;
	int64_t published_at;	/* first publication covering it, 0: none */
	char   *by;
	char   *note;		/* NULL when none */
};
/* Every version, oldest (or newest) first; returns the count or -1. */
int  registry_versions(struct db *, int64_t org_id, int newest_first,
    struct reg_version **, struct err *);
void registry_versions_free(struct reg_version *, int);
int registry_latest_version(struct db *, int64_t org_id, int64_t *version,
    struct err *);

/* Changes (R-REG-4). */
enum change_op { OP_ADD, OP_CHANGE, OP_EXCLUDE };
enum change_state { ST_DRAFT, ST_SUBMITTED, ST_RETURNED, ST_INCLUDED,
	ST_WITHDRAWN };

/* Actualization triggers [000 §18, 001 §5.2], as bits. */
#define TRIG_NEW       0x1	/* появление новой точки взаимодействия */
#define TRIG_KIND      0x2	/* изменение вида точки взаимодействия */
#define TRIG_NEEDS     0x4	/* изменение удовлетворяемых потребностей */
#define TRIG_EXCLUSION 0x8	/* исключение точки из Перечня */
#define TRIG_EDIT      0x10	/* other corrections (name, contacts, …) */
/* "new kind" for TRIG_NEW|TRIG_KIND; the names used in the database. */
void triggers_format(int, char *out, size_t len);
/* The triggers a change from revision a to revision b amounts to. */
int  registry_triggers(const struct reg_entry *a, const struct reg_entry *b);

struct reg_change {
	int64_t		  id;
	enum change_op	  op;
	enum change_state state;
	int64_t		  touchpoint_id;
	char		 *author;
	int64_t		  created_at, submitted_at, decided_at;
	char		 *decided_by;
	char		 *comment;
	int		  triggers;
	int64_t		  version;
	struct reg_entry  entry;	/* proposed content (add, change) */
};
void reg_change_clear(struct reg_change *);
/* "draft", "submitted", … and back (-1 for an unknown name). */
const char *change_state_name(enum change_state);
int	    change_state_parse(const char *);
const char *change_op_name(enum change_op);	/* "add", "change", "exclude" */

/* A draft of an addition or a change; the entry is validated first. */
int registry_draft(struct db *, const struct org *, const char *actor,
    enum change_op, const struct reg_entry *, int64_t *change_id,
    struct err *);
/* A draft excluding touchpoint tp. */
int registry_draft_exclude(struct db *, const struct org *,
    const char *actor, int64_t tp, int64_t *change_id, struct err *);
int registry_change_get(struct db *, int64_t org_id, int64_t id,
    struct reg_change *, struct err *);
/* Lists changes in a state (-1: all) into *v; returns the count or -1. */
int registry_changes(struct db *, int64_t org_id, int state,
    struct reg_change **v, struct err *);
int registry_submit(struct db *, const struct org *, const char *actor,
    int64_t change_id, struct err *);
int registry_return(struct db *, const struct org *, const char *actor,
    int64_t change_id, const char *comment, struct err *);
/* Takes back a draft or a returned change (it stays, as withdrawn). */
int registry_withdraw(struct db *, const struct org *, const char *actor,
    int64_t change_id, struct err *);
/*
 * Includes submitted changes as one new registry version, after the
 * checks of R-REG-3 on the registry they would make: errors refuse the
 * inclusion (the findings are left in *found).
 */
struct reg_findings;
/* The checks of R-REG-3 on the registry as one change would make it. */
int registry_verify(struct db *, const struct org *, int64_t change_id,
    struct reg_findings *found, struct err *);
int registry_include(struct db *, const struct org *, const char *actor,
    const int64_t *change_ids, size_t n, int64_t *version,
    struct reg_findings *found, struct err *);

/*
 * Replaces the whole registry with the entries given, as one version
 * (import): entries match the current ones by (area, process, name);
 * the rest are added or excluded.  Checks as registry_include() does.
 * With dry_run, nothing is written but the findings and counts are made.
 */
struct reg_import_stats {
	int added, changed, excluded, unchanged;
};
int registry_replace(struct db *, const struct org *, const char *actor,
    const struct registry *, const char *note, int dry_run,
    int64_t *version, struct reg_import_stats *, struct reg_findings *,
    struct err *);

/* registry_check.c: the checks of R-REG-3. */
enum finding_level { FIND_HINT, FIND_WARNING, FIND_ERROR };
struct reg_finding {
	enum finding_level level;
	const char	  *rule;	/* "needs-declared" */
	const char	  *seed;	/* "000 §10" */
	int		   entry;	/* index in the registry, -1: none */
	char		  *where;	/* "entry 3 «Телефон…» (area / process)" */
	char		  *msg;
};
struct reg_findings {
	struct reg_finding *v;
	size_t		    n;
	int		    errors, warnings, hints;
};
void registry_check(const struct registry *, struct reg_findings *);
void findings_free(struct reg_findings *);
/* "error", "warning", "hint". */
const char *finding_level_name(enum finding_level);
/* One line per finding, then a count; for the command line. */
void findings_print(FILE *, const struct reg_findings *);

/* registry_import.c: the official form (R-REG-8) from a table. */
struct import_problem {
	long  line;	/* row in the file */
	int   col;	/* 1-based column, 0: the whole row */
	char *msg;
};
struct import_report {
	struct import_problem *v;
	size_t		       n;
	int		       rows_read;
};
struct import_opts {
	enum client client;	/* client type for entries that say nothing */
};
/*
 * Reads the official form from a table: a header row with the titles of
 * R-REG-7 (or the extended titles that otklik's own export adds), an
 * optional numbering row 1–6, then entries; an empty cell means "the same
 * as above"; missing last cells are empty.  Every row it cannot read is
 * reported; returns 0 if none, -1 if any (the registry is then
 * incomplete and must not be stored).
 */
int registry_from_table(const struct table *, const struct import_opts *,
    struct registry *, struct import_report *);
void import_report_free(struct import_report *);

/* registry_export.c: the official form (R-REG-7). */
struct export_meta {
	const char *org_name;	/* shown in the title */
	int64_t	    version;
	int32_t	    date;	/* day number of the version's inclusion */
	int	    extended;	/* CSV/XLSX: add otklik's own columns 7… */
};
extern const char *const registry_titles[6];
/*
 * Titles of otklik's own columns 7… that the extended CSV and XLSX add
 * after the official six, in this order, so that a re-import loses
 * nothing: channel code, kind (digital/offline when set by hand, empty
 * when it follows the channel), client (external/internal), need codes,
 * key, low demand, not counted (1/0), phone, e-mail, URL, address, room,
 * unit, basis code (or empty), basis reference.
 */
#define REGISTRY_EXT_COLUMNS 15
extern const char *const registry_ext_titles[REGISTRY_EXT_COLUMNS];
int registry_export_html(const struct registry *, const struct export_meta *,
    struct buf *, struct err *);
int registry_export_csv(const struct registry *, const struct export_meta *,
    struct buf *, struct err *);
/* The table of the form alone, for a page of the site (html.h). */
struct html;
void registry_html_table(struct html *, const struct registry *,
    const char *labelledby);
/* The form read top to bottom as plain text, for a terminal. */
int registry_export_text(const struct registry *, const struct export_meta *,
    struct buf *, struct err *);
/* Writes an XLSX file at path. */
int registry_export_xlsx(const struct registry *, const struct export_meta *,
    const char *path, struct err *);

/* Comparison of two versions (R-REG-5). */
struct reg_diff_item {
	char		  op;	/* '+' added, '-' excluded, '~' changed */
	const struct reg_entry *a, *b;
	char		 *fields;	/* changed fields, space separated */
};
struct reg_diff {
	struct reg_diff_item *v;
	size_t		      n;
};
void registry_diff(const struct registry *a, const struct registry *b,
    struct reg_diff *);
void reg_diff_free(struct reg_diff *);

/* Publication (R-REG-6). */
#define PUBLISH_WORKING_DAYS 10
#define PUBLISH_DUE_SOON     3	/* working days before the deadline */
enum pub_state { PUB_PENDING, PUB_DUE_SOON, PUB_LATE };
struct reg_pending {
	int64_t	       version;
	int32_t	       changed;		/* local day of the change */
	int32_t	       deadline;	/* last day to publish */
	int	       days_left;	/* working days; negative when late */
	enum pub_state state;
};
struct reg_status {
	int64_t		    current;	/* latest version */
	int64_t		    published;	/* latest published version, 0: none */
	int64_t		    published_at;
	struct reg_pending *v;		/* unpublished versions, oldest first */
	size_t		    n;
	char		    warning[256];	/* calendar fallback, if used */
};
int registry_status(struct db *, const struct org *, int64_t now,
    struct reg_status *, struct err *);
void reg_status_free(struct reg_status *);
int registry_publish(struct db *, const struct org *, const char *actor,
    int64_t version, int64_t at, const char *url, struct err *);
/* The latest published version and when it was first published (0, 0:
 * never). */
int registry_published(struct db *, int64_t org_id, int64_t *version,
    int64_t *at, struct err *);

#endif

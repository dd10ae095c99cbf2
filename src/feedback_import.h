/*
 * Bulk import of feedback messages (R-FB-10) from the exports of the
 * feedback platform (ПОС), the state services portal (ЕПГУ) and other
 * systems, as CSV or XLSX, and the export of messages that leaves the
 * system (R-PD-3).  An import is all or nothing per file and idempotent:
 * a message whose external id is already stored for the organization and
 * source is counted, not added again.  The format is described in
 * docs/import-format.md.
 */
#ifndef OTKLIK_FEEDBACK_IMPORT_H
#define OTKLIK_FEEDBACK_IMPORT_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct err;
struct fb_conf;

/* Limits of an import. */
#define FB_IMPORT_MAX_FILE	((size_t)512 << 20)	/* bytes of a CSV */
#define FB_IMPORT_MAX_ROWS	1000000
#define FB_IMPORT_MAX_PROBLEMS	1000	/* listed; the rest only counted */
#define FB_MAP_MAX_FILE		65536	/* bytes of a mapping file */
#define FB_MAP_MAX_VALUES	1000	/* value pairs in a mapping file */

/* The canonical columns, in the order of the canonical CSV. */
enum fb_col {
	FBC_EXTERNAL_ID, FBC_RECEIVED_AT, FBC_CHANNEL, FBC_KIND,
	FBC_CLIENT_TYPE, FBC_FORM, FBC_TOUCHPOINT, FBC_TOPIC, FBC_REASON,
	FBC_TEXT, FBC_ACKNOWLEDGED_AT, FBC_ANSWERED_AT, FBC_OUTCOME,
	FBC_TRANSFERS, FBC_WAIT_MINUTES,
	FBC__COUNT
};
extern const char *const fb_columns[FBC__COUNT];

/*
 * A mapping of another export onto the canonical columns, read from a
 * small text file (see data/import-maps/pos.map), one statement a line:
 *   column = Their Column Title	the column of that title
 *   column := value			the same value in every row
 *   column: Their value = value	a value translated (case-folded)
 *   source := pos			the source, unless --source says
 * '#' starts a comment line.  Errors name the line.
 */
struct fb_map;
struct fb_map *fb_map_parse(const char *text, size_t len, const char *name,
    struct err *);
void	       fb_map_free(struct fb_map *);	/* NULL is harmless */
/* The source the mapping names, or NULL. */
const char    *fb_map_source(const struct fb_map *);

struct fb_import_opts {
	const char	    *name;	/* the file's name, for messages and
					   the audit log */
	const char	    *source;	/* direct, pos, epgu… (default direct) */
	const struct fb_map *map;	/* NULL: the canonical columns */
	int		     create_topics;	/* unknown titles are added */
	int		     dry_run;	/* check and count; write nothing */
};

/* A rejected row: its number in the file, the column, why. */
struct fb_import_problem {
	long  row;
	char *column;	/* the file's own title, NULL for the whole row */
	char *msg;
};

struct fb_import_report {
	long			  read;		/* data rows */
	long			  imported;	/* new messages (would be, when
						   nothing was written) */
	long			  already;	/* external id already stored */
	long			  rejected;	/* rows with a problem */
	int			  written;	/* 1 when committed */
	struct fb_import_problem *v;		/* up to FB_IMPORT_MAX_PROBLEMS */
	size_t			  n;
};
void fb_import_report_free(struct fb_import_report *);

/*
 * Imports the file's bytes (CSV, or XLSX told by content) into the
 * organization of conf.  Every row is checked (fb_validate and the
 * import's own checks: times, topics and reasons of the dictionaries,
 * touchpoints of the registry, outcome, transfers, wait); the report
 * lists every rejected row.  When no row is rejected and not dry_run,
 * every message is stored in one transaction with one audit entry
 * "feedback.import" naming the file and the counts; otherwise nothing
 * is.  Returns 0 when the file was read (look at report->rejected), or
 * -1 with the error when it could not be (not a table, a missing column,
 * a limit, the database).
 */
int fb_import(struct db *, const struct fb_conf *, const char *actor,
    const char *data, size_t len, const struct fb_import_opts *,
    struct fb_import_report *, struct err *);

/*
 * The export of an organization's messages (R-PD-3): the canonical
 * columns, then code and state, and with contacts name, email, phone and
 * address.  The caller decides whether the exporter may have contacts
 * (pd_may_see); the export writes an audit entry "feedback.export"
 * (format, count, whether with contacts) in its own transaction.  path
 * "-" or NULL is standard output (CSV only).  *count gets the rows.
 */
enum fb_export_format { FB_EXPORT_CSV, FB_EXPORT_XLSX };
int fb_export(struct db *, int64_t org_id, const char *actor,
    enum fb_export_format, int with_contacts, const char *path,
    long *count, struct err *);

#endif

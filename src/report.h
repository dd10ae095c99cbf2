/*
 * Reports (R-AN): figures for a period, read from the rollups
 * (rollup.h), held in one model (tables of rows of figures) that every
 * output reads: JSON, CSV, XLSX with native charts, HTML with SVG charts,
 * the staff pages and the public yearly report.
 *
 * Every figure carries the number of answers or messages behind it (n).
 * A figure from fewer than k of them is suppressed, and so is the
 * smallest other part of a table whose parts sum to a shown total, so
 * that no suppressed figure can be worked out by subtraction
 * (report_suppress).  A suppressed figure's value and n are both
 * withheld in every output.
 *
 * Stable keys: a figure is named "TABLE.ROW.COLUMN" (for instance
 * "contacts.email.share"), made of [a-z0-9_-] only; docs/reports.md
 * lists them.
 */
#ifndef OTKLIK_REPORT_H
#define OTKLIK_REPORT_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct db;
struct db_stmt;
struct err;
struct html;

#define REPORT_K_DEFAULT 5	/* R-AN-6: never a figure from fewer than 5 */
#define REPORT_KEY_MAX	 64	/* bytes of a table, row or column key */

/* What a figure measures; it decides how every output writes it. */
enum rkind {
	RK_COUNT,	/* how many: 1 234 */
	RK_SHARE,	/* a share in %, 0–100, one decimal */
	RK_INDEX,	/* the satisfaction index 0–100 ((r - 1) * 25), one decimal */
	RK_MEAN,	/* a mean rating 1–5, two decimals */
	RK_MINUTES,	/* a time in minutes; shown as minutes, hours or days */
	RK_DELTA,	/* a change against the previous period, in points */
	RK_SCORE	/* a score of a formula (pain score, level), one decimal */
};

enum rsupp {
	RS_SHOWN = 0,
	RS_NONE,	/* no data: n is 0 ("нет данных"), never shown as 0 % */
	RS_SMALL,	/* n < k */
	RS_COMPLEMENT	/* would reveal a suppressed figure by subtraction */
};

struct rcell {
	double	   value;
	int64_t	   n;		/* answers or messages behind the figure */
	enum rsupp supp;
	/*
	 * n counts things, not people (touchpoints of the registry,
	 * publications): no one can be told apart by it, so k does not
	 * apply.  Only the model carries it; suppression happens when a
	 * report is built, never on one read back.
	 */
	int	   exempt;
};

struct rcol {
	char	   key[REPORT_KEY_MAX];
	const char *ru, *en;	/* official titles kept exactly; report_table
				   keeps its own copies */
	enum rkind kind;
};

struct rrow {
	char	     key[REPORT_KEY_MAX];
	char	    *label_ru;	/* owned */
	char	    *label_en;	/* owned */
	int	     total;	/* the total of the rows above it */
	struct rcell *cells;	/* one per column */
};

enum rchart {
	RC_NONE,
	RC_BARS,	/* horizontal bars of one column (shares, counts) */
	RC_LINES,	/* a trend: rows are periods in order */
	RC_HEAT,	/* rows × columns coloured by value (the pain map) */
	RC_PROFILE	/* bars of several columns per row (the eight dimensions) */
};

struct rtable {
	char	     key[REPORT_KEY_MAX];
	char	    *title_ru, *title_en;	/* owned */
	char	    *note_ru, *note_en;		/* owned, may be NULL: formula, basis */
	struct rcol *cols;
	size_t	     ncols;
	struct rrow *rows;
	size_t	     nrows, cap;
	enum rchart  chart;
	int	     chart_col;	/* the column a bar or line chart draws */
	/*
	 * Parts: the rows that are not totals partition the total row for
	 * the counting columns, which is what complementary suppression
	 * needs to know.
	 */
	int	     parts;
	/*
	 * A listing: each row is one record (a breach, a decision), not a
	 * figure counted over answers, so k does not apply to it.  Never
	 * built from personal data; the public report lists only decisions.
	 */
	int	     listing;
};

/* What to build. */
enum rwhat {
	RW_FULL,	/* the half-year report: R-AN-1, R-AN-2, R-AN-3 */
	RW_PAIN,	/* the pain map, R-AN-4 */
	RW_LEVEL,	/* the client-centricity level, R-AN-5 */
	RW_PUBLIC	/* the yearly public report, R-AN-6 */
};

struct report {
	int64_t	       org_id;
	char	      *org_slug;
	char	      *org_name;
	enum rwhat     what;
	char	       period[32];	/* as given: "2026H1", "2026-01-01..2026-03-31" */
	int32_t	       from, to;	/* days, inclusive */
	int32_t	       prev_from, prev_to;	/* the period before, same length */
	char	       client[12];	/* "external", "internal" */
	int	       k;
	int64_t	       generated_at;
	struct rtable *tables;
	size_t	       ntables, cap;
};

struct report_opts {
	int64_t	    org_id;
	enum rwhat  what;
	const char *period;	/* NULL: the current half-year */
	const char *client;	/* NULL: "external" */
	int	    k;		/* 0: REPORT_K_DEFAULT */
	int64_t	    now;	/* 0: clock_now() */
};

/*
 * A period: "2026H1", "2026H2", "2026Q1"…"2026Q4", "2026", "2026-05"
 * (a month) or "FROM..TO" (two dates, inclusive, at most 10 years).
 * The previous period has the same length and ends the day before.
 * EXIT_USAGE error naming the period on anything else.
 */
int  report_period(const char *, int32_t *from, int32_t *to,
    int32_t *prev_from, int32_t *prev_to, struct err *);
/* The current half-year of a day, as "2026H2". */
void report_period_current(int32_t today, char out[8]);

/*
 * The yearly public report (R-AN-6): report_publish builds RW_PUBLIC for
 * the year with suppression and stores its JSON in an_publication
 * (audited as "report.publish"); report_published reads a stored one
 * back into the model (1 if there is none for the year), and
 * report_years lists the published years, newest first.
 */
int  report_publish(struct db *, int64_t org_id, int year, const char *actor,
    const char *summary, struct err *);
int  report_published(struct db *, int64_t org_id, int year, struct report *,
    char **summary, int64_t *published_at, struct err *);
int  report_years(struct db *, int64_t org_id, int **years, size_t *n,
    struct err *);
/* The model from report_json's output (report_published uses it). */
int  report_from_json(const char *json, struct report *, struct err *);

/* Builds a report from the rollups.  0, or -1 with the error. */
int  report_build(struct db *, const struct report_opts *, struct report *,
    struct err *);
void report_free(struct report *);

/* Building blocks, for the section builders (report.c, pain.c, level.c). */
struct rtable *report_table(struct report *, const char *key,
    const char *title_ru, const char *title_en, const struct rcol *cols,
    size_t ncols);
struct rrow   *report_row(struct rtable *, const char *key,
    const char *label_ru, const char *label_en);
void	       report_note(struct rtable *, const char *ru, const char *en);
/* Sets a figure: shown when n > 0, RS_NONE ("нет данных") when n is 0. */
void	       report_set(struct rrow *, size_t col, double value, int64_t n);
/* The same for a figure counted over things, not people (exempt). */
void	       report_set_things(struct rrow *, size_t col, double value,
    int64_t n);
/* Suppression as described above; report_build applies it. */
void	       report_suppress(struct report *, int k);
/*
 * A query over a rollup, run once per span of rollup_spans(from, to):
 * its "?" are, in order, org_id, the span's grain, its first and last
 * day, and client ("org_id = ? AND grain = ? AND day BETWEEN ? AND ? AND
 * client = ?"; with client NULL the SQL has no fifth "?").  fn gets
 * every row of every span and must add it to what it has (a row of one
 * span is not the period's); it returns 0 to go on, else -1 with the
 * error set.  Returns 0, or -1 with the error.
 */
int	       report_spans(struct db *, const char *sql, int64_t org_id,
    int32_t from, int32_t to, const char *client,
    int (*fn)(void *, struct db_stmt *), void *arg, struct err *);

/* Outputs.  The JSON and CSV go into a buffer; the XLSX into a file. */
void report_json(const struct report *, struct buf *);
void report_csv(const struct report *, int ru, struct buf *);
int  report_xlsx(const struct report *, int ru, const char *path,
    struct err *);
/*
 * The report as HTML: a section per table, each chart an SVG with a
 * text alternative and the data table beside it.  report_html writes
 * into a page (the staff and public pages frame it); report_html_doc a
 * whole printable document (`otklik report --format html`).
 */
void report_html(const struct report *, int ru, struct html *);
void report_html_doc(const struct report *, int ru, struct buf *);
/* The Content-Security-Policy to serve that document under: nothing
 * but its inline style sheet, allowed by the sheet's SHA-256. */
void report_html_doc_csp(char *out, size_t size);

/* A figure as text in the report's conventions ("42,5 %", "3 ч 10 мин",
 * "—" when suppressed), for the outputs and the pages. */
void report_cell_text(const struct rcell *, enum rkind, int ru, char *out,
    size_t size);

#endif

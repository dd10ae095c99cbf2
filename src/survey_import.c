/*
 * Paper forms entered by staff (R-SRV-4): a table (CSV, or XLSX, told by
 * content) of one row per filled-in form, checked in full before
 * anything is stored, then stored in one transaction with one audit
 * entry.  Every problem is reported with its row and column, so that the
 * person at the keyboard can fix the file and try again; the paper
 * form's number makes a second import of the same file add nothing.
 *
 * The columns are told by the header row: paper_ref and day (required),
 * touchpoint, service and situation, then question codes.  The Russian
 * titles of "survey export" stand for the same columns (Номер бланка,
 * Дата, Точка взаимодействия, Услуга, Жизненная ситуация), and its №,
 * Версия анкеты and Офлайн are ignored, so that an export of paper
 * forms is a file this import takes back.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "otklik.h"
#include "audit.h"
#include "db.h"
#include "survey.h"
#include "table.h"

#define IMPORT_MAX_FILE	  TABLE_MAX_FILE	/* bytes */
#define IMPORT_MAX_ROWS	  100000	/* forms in one file */
#define IMPORT_MAX_ERRORS 1000		/* listed; the rest counted */
#define PAPER_REF_MAX	  64		/* bytes of a form's number */
#define TOUCHPOINTS_MAX	  100000

enum col_kind {
	COL_QUESTION, COL_PAPER_REF, COL_DAY, COL_TOUCHPOINT, COL_SERVICE,
	COL_SITUATION, COL_IGNORED
};

/* The names a column of the form may have. */
static const struct {
	const char   *name;
	enum col_kind kind;
} col_names[] = {
	{"paper_ref", COL_PAPER_REF},
	{"Номер бланка", COL_PAPER_REF},
	{"day", COL_DAY},
	{"Дата", COL_DAY},
	{"touchpoint", COL_TOUCHPOINT},
	{"Точка взаимодействия", COL_TOUCHPOINT},
	{"service", COL_SERVICE},
	{"Услуга", COL_SERVICE},
	{"situation", COL_SITUATION},
	{"Жизненная ситуация", COL_SITUATION},
	/* The export's own columns, not answers. */
	{"№", COL_IGNORED},
	{"Версия анкеты", COL_IGNORED},
	{"Офлайн", COL_IGNORED},
};

struct col {
	enum col_kind kind;
	int	      q;		/* COL_QUESTION: the question's index */
	const char   *title;		/* as in the file */
};

struct imp {
	struct db	     *db;
	int64_t		      org_id;
	const char	     *code;
	struct srv_instr      in;
	struct srv_def	      def;
	int32_t		      today;	/* the organization's */
	const struct table   *t;
	struct col	     *cols;
	size_t		      ncols;
	int		      have[COL_IGNORED + 1];
	int64_t		     *touchpoints;	/* of the organization, sorted */
	size_t		      ntouchpoints;
	char		    **stored;	/* paper_refs stored, sorted */
	size_t		      nstored;
	struct buf	     *report;
	int64_t		      problems;
	char		     *bad;	/* per row of the table: refused */
};

/* "row 7, column access: …" into the report, up to its limit. */
static void
problem(struct imp *x, long line, const char *col, const char *fmt, ...)
    PRINTFLIKE(4, 5);

static void
problem(struct imp *x, long line, const char *col, const char *fmt, ...)
{
	va_list ap;

	if (x->problems++ >= IMPORT_MAX_ERRORS || x->report == NULL)
		return;
	if (col != NULL)
		buf_printf(x->report, "row %ld, column %s: ", line, col);
	else
		buf_printf(x->report, "row %ld: ", line);
	va_start(ap, fmt);
	buf_vprintf(x->report, fmt, ap);
	va_end(ap);
	buf_putc(x->report, '\n');
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
db_fail(struct db *db, struct db_stmt *st, struct err *e)
{
	db_finalize(st);
	return err_set(e, EXIT_IOERR, "survey import: %s", db_errmsg(db));
}

/* The organization's today, its touchpoints and the forms stored. */
static int
load_context(struct imp *x, struct err *e)
{
	struct db_stmt *st;
	size_t		cap = 0;
	int		r;

	st = db_prepare(x->db, "SELECT tz FROM org WHERE id = ?", "i",
	    x->org_id);
	if (st == NULL || (r = db_step(st)) == DB_FAIL)
		return db_fail(x->db, st, e);
	if (r != DB_ROW) {
		db_finalize(st);
		return err_set(e, EXIT_NOINPUT, "no organization %lld",
		    (long long)x->org_id);
	}
	x->today = date_local(clock_now(), db_col_text(st, 0));
	db_finalize(st);

	st = db_prepare(x->db, "SELECT id FROM touchpoint WHERE org_id = ? "
	    "ORDER BY id", "i", x->org_id);
	if (st == NULL)
		return db_fail(x->db, st, e);
	while ((r = db_step(st)) == DB_ROW && x->ntouchpoints <
	    TOUCHPOINTS_MAX) {
		if (x->ntouchpoints == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			x->touchpoints = xreallocarray(x->touchpoints, cap,
			    sizeof(int64_t));
		}
		x->touchpoints[x->ntouchpoints++] = db_col_int(st, 0);
	}
	if (r == DB_FAIL)
		return db_fail(x->db, st, e);
	db_finalize(st);

	cap = 0;
	st = db_prepare(x->db, "SELECT paper_ref FROM srv_response WHERE "
	    "instrument_id = ? AND paper_ref IS NOT NULL", "i", x->in.id);
	if (st == NULL)
		return db_fail(x->db, st, e);
	while ((r = db_step(st)) == DB_ROW) {
		if (x->nstored == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			x->stored = xreallocarray(x->stored, cap,
			    sizeof(char *));
		}
		x->stored[x->nstored++] = db_col_dup(st, 0);
	}
	if (r == DB_FAIL)
		return db_fail(x->db, st, e);
	db_finalize(st);
	if (x->nstored > 1)
		qsort(x->stored, x->nstored, sizeof(char *), cmp_str);
	return 0;
}

static int
is_stored(const struct imp *x, const char *ref)
{
	return x->nstored > 0 && bsearch(&ref, x->stored, x->nstored,
	    sizeof(char *), cmp_str) != NULL;
}

/*
 * The header row: every column must be one of the form's or a question
 * of the current version, each once; paper_ref and day must be there.
 */
static int
read_header(struct imp *x, struct err *e)
{
	const struct table_row *h = &x->t->rows[0];
	const char	       *title;
	size_t			i, k, j;
	int			q;

	x->ncols = h->ncells;
	x->cols = xcalloc(x->ncols + 1, sizeof(*x->cols));
	for (i = 0; i < h->ncells; i++) {
		title = h->cells[i];
		x->cols[i].title = title;
		x->cols[i].q = -1;
		if (*title == '\0')
			return err_set(e, EXIT_DATAERR, "row %ld, column %zu: "
			    "the header has no title here", h->line, i + 1);
		for (k = 0; k < nitems(col_names); k++)
			if (strcmp(title, col_names[k].name) == 0)
				break;
		if (k < nitems(col_names))
			x->cols[i].kind = col_names[k].kind;
		else if ((q = srv_def_find(&x->def, title)) >= 0) {
			x->cols[i].kind = COL_QUESTION;
			x->cols[i].q = q;
		} else
			return err_set(e, EXIT_DATAERR, "row %ld, column %s: "
			    "not a column of a paper form (paper_ref, day, "
			    "touchpoint, service, situation) nor a question "
			    "of %s", h->line, title, x->code);
		for (j = 0; j < i; j++)
			if (x->cols[i].kind != COL_IGNORED &&
			    x->cols[j].kind == x->cols[i].kind &&
			    x->cols[j].q == x->cols[i].q)
				return err_set(e, EXIT_DATAERR, "row %ld, "
				    "column %s: the same column as column %s",
				    h->line, title, x->cols[j].title);
		x->have[x->cols[i].kind] = 1;
	}
	if (!x->have[COL_PAPER_REF])
		return err_set(e, EXIT_DATAERR, "row %ld: no column paper_ref "
		    "(the paper form's number)", h->line);
	if (!x->have[COL_DAY])
		return err_set(e, EXIT_DATAERR, "row %ld: no column day "
		    "(YYYY-MM-DD)", h->line);
	return 0;
}

/* Plain text of a name or number: no control characters. */
static int
plain(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static int
parse_rating(const char *s, int *out)
{
	if (s[0] < '1' || s[0] > '0' + SRV_SCALE || s[1] != '\0')
		return -1;
	*out = s[0] - '0';
	return 0;
}

/* "a; b;c" into the item's choices; an unknown code is named. */
static int
parse_choices(struct imp *x, long line, const struct col *c, const char *s,
    struct srv_item *it)
{
	const struct srv_question *q = &x->def.q[c->q];
	const char		  *p = s, *end;
	size_t			   k, len;
	int			   bad = 0;

	while (*p != '\0') {
		while (*p == ' ' || *p == ';')
			p++;
		if (*p == '\0')
			break;
		end = p + strcspn(p, ";");
		len = (size_t)(end - p);
		while (len > 0 && p[len - 1] == ' ')
			len--;
		for (k = 0; k < q->noptions; k++)
			if (strlen(q->options[k].code) == len &&
			    strncmp(q->options[k].code, p, len) == 0)
				break;
		if (k == q->noptions) {
			problem(x, line, c->title, "'%.*s' is not an option "
			    "of this question", (int)(len > 64 ? 64 : len), p);
			bad = 1;
		} else if (it->nchoices < SRV_OPTIONS_MAX + 1) {
			it->choices = xreallocarray(it->choices,
			    it->nchoices + 1, sizeof(char *));
			it->choices[it->nchoices++] = xstrndup(p, len);
		}
		p = end;
	}
	return bad ? -1 : 0;
}

static int
parse_touchpoint(struct imp *x, long line, const struct col *c,
    const char *s, int64_t *id)
{
	char	 *end;
	long long v;

	v = strtoll(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || v <= 0) {
		problem(x, line, c->title, "not a touchpoint number");
		return -1;
	}
	if (x->ntouchpoints == 0 || bsearch(&v, x->touchpoints,
	    x->ntouchpoints, sizeof(int64_t), cmp_i64) == NULL) {
		problem(x, line, c->title, "no touchpoint %lld in the "
		    "registry", v);
		return -1;
	}
	*id = v;
	return 0;
}

static int
parse_name(struct imp *x, long line, const struct col *c, const char *s,
    char **out)
{
	if (strlen(s) > SRV_TITLE_MAX || !plain(s)) {
		problem(x, line, c->title, "at most %d bytes of text on one "
		    "line", SRV_TITLE_MAX);
		return -1;
	}
	free(*out);
	*out = *s != '\0' ? xstrdup(s) : NULL;
	return 0;
}

static int
parse_day(struct imp *x, long line, const struct col *c, const char *s,
    char day[11])
{
	int32_t d;

	if (*s == '\0') {
		problem(x, line, c->title, "the day the form was filled in is "
		    "required");
		return -1;
	}
	if (strlen(s) != 10 || date_parse(s, &d) != 0) {
		problem(x, line, c->title, "'%.20s' is not a date "
		    "(YYYY-MM-DD)", s);
		return -1;
	}
	if (d > x->today) {
		problem(x, line, c->title, "%s is in the future", s);
		return -1;
	}
	date_format(d, day);
	return 0;
}

static int
parse_paper_ref(struct imp *x, long line, const struct col *c,
    const char *s, char **out)
{
	if (*s == '\0') {
		problem(x, line, c->title, "the paper form's number is "
		    "required");
		return -1;
	}
	if (strlen(s) > PAPER_REF_MAX || !plain(s)) {
		problem(x, line, c->title, "at most %d bytes on one line",
		    PAPER_REF_MAX);
		return -1;
	}
	*out = xstrdup(s);
	return 0;
}

/* One answer cell into its item. */
static int
parse_answer(struct imp *x, long line, const struct col *c, const char *s,
    struct srv_item *it)
{
	switch (x->def.q[c->q].type) {
	case SRV_RATING:
		if (parse_rating(s, &it->rating) != 0) {
			problem(x, line, c->title, "rating must be 1–5, or "
			    "empty when not given");
			return -1;
		}
		return 0;
	case SRV_SINGLE:
	case SRV_MULTI:
		return parse_choices(x, line, c, s, it);
	case SRV_TEXT:
		it->text = xstrdup(s);
		return 0;
	}
	return 0;
}

/*
 * A row of the table into a response; 0 when it is a valid form, -1
 * after reporting its problems.
 */
static int
read_row(struct imp *x, size_t ri, struct srv_resp *rp)
{
	const struct table_row *row = &x->t->rows[ri];
	struct srv_error	errs[SRV_QUESTIONS_MAX];
	const struct col       *c;
	const char	       *s;
	size_t			i, n;
	int			bad = 0;

	srv_resp_init(rp, x->def.nq);
	rp->org_id = x->org_id;
	rp->instrument_id = x->in.id;
	rp->version_id = x->in.current_id;
	rp->offline = 1;
	/* Empty cells past the header are what spreadsheets leave. */
	for (i = x->ncols; i < row->ncells; i++)
		if (*row->cells[i] != '\0') {
			problem(x, row->line, NULL, "a value in column %zu, "
			    "but the header has %zu columns", i + 1, x->ncols);
			bad = 1;
			break;
		}
	for (i = 0; i < x->ncols; i++) {
		c = &x->cols[i];
		s = table_cell(x->t, ri, i);
		if (*s == '\0' && c->kind != COL_PAPER_REF &&
		    c->kind != COL_DAY)
			continue;
		switch (c->kind) {
		case COL_QUESTION:
			bad |= parse_answer(x, row->line, c, s,
			    &rp->items[c->q]) != 0;
			break;
		case COL_PAPER_REF:
			bad |= parse_paper_ref(x, row->line, c, s,
			    &rp->paper_ref) != 0;
			break;
		case COL_DAY:
			bad |= parse_day(x, row->line, c, s, rp->day) != 0;
			break;
		case COL_TOUCHPOINT:
			bad |= parse_touchpoint(x, row->line, c, s,
			    &rp->touchpoint_id) != 0;
			break;
		case COL_SERVICE:
			bad |= parse_name(x, row->line, c, s,
			    &rp->service) != 0;
			break;
		case COL_SITUATION:
			bad |= parse_name(x, row->line, c, s,
			    &rp->situation) != 0;
			break;
		case COL_IGNORED:
			break;
		}
	}
	if (bad)
		return -1;
	/* What the form itself requires: the same checks as online. */
	n = srv_validate(&x->def, rp, errs, nitems(errs));
	for (i = 0; i < n; i++)
		problem(x, row->line, x->def.q[errs[i].q].code, "%s",
		    errs[i].why_en);
	return n > 0 ? -1 : 0;
}

/* The same form twice in one file is an error; both rows are named. */
struct ref_row {
	const char *ref;
	long	    line;
	size_t	    row;
};

static int
cmp_ref_row(const void *a, const void *b)
{
	const struct ref_row *x = a, *y = b;
	int		      c = strcmp(x->ref, y->ref);

	return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
}

static void
check_duplicates(struct imp *x)
{
	struct ref_row *v;
	size_t		i, n = 0, col;
	const char     *title = "paper_ref";

	for (col = 0; col < x->ncols; col++)
		if (x->cols[col].kind == COL_PAPER_REF)
			break;
	if (col == x->ncols)
		return;
	title = x->cols[col].title;
	v = xcalloc(x->t->nrows, sizeof(*v));
	for (i = 1; i < x->t->nrows; i++)
		if (*table_cell(x->t, i, col) != '\0') {
			v[n].ref = table_cell(x->t, i, col);
			v[n].row = i;
			v[n++].line = x->t->rows[i].line;
		}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_ref_row);
	for (i = 1; i < n; i++)
		if (strcmp(v[i].ref, v[i - 1].ref) == 0) {
			problem(x, v[i].line, title, "form %s is also in row "
			    "%ld", v[i].ref, v[i - 1].line);
			x->bad[v[i].row] = 1;
		}
	free(v);
}

/*
 * Checks every row; counts what would be added and skipped; returns the
 * number of rows refused.
 */
static size_t
check_rows(struct imp *x, int64_t *added, int64_t *skipped)
{
	struct srv_resp rp;
	size_t		i, nbad = 0;

	x->bad = xcalloc(x->t->nrows, 1);
	for (i = 1; i < x->t->nrows; i++) {
		if (read_row(x, i, &rp) != 0)
			x->bad[i] = 1;
		else if (is_stored(x, rp.paper_ref))
			(*skipped)++;
		else
			(*added)++;
		srv_resp_clear(&rp);
	}
	check_duplicates(x);
	for (i = 1; i < x->t->nrows; i++)
		nbad += x->bad[i];
	return nbad;
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* Every new form, and one audit entry, in one transaction. */
static int
store_rows(struct imp *x, const char *actor, const char *path,
    int64_t *added, int64_t *skipped, struct err *e)
{
	struct srv_resp rp;
	char		obj[SRV_CODE_MAX + 16], why[sizeof(e->msg)];
	json_t	       *j;
	char	       *js;
	size_t		i;
	int		r;

	*added = *skipped = 0;
	if (db_begin(x->db) != 0)
		return err_set(e, EXIT_IOERR, "survey import: %s",
		    db_errmsg(x->db));
	for (i = 1; i < x->t->nrows; i++) {
		if (read_row(x, i, &rp) != 0) {
			srv_resp_clear(&rp);
			db_rollback(x->db);
			return err_set(e, EXIT_SOFTWARE, "row %ld changed "
			    "between the check and the import",
			    x->t->rows[i].line);
		}
		r = is_stored(x, rp.paper_ref) ? 1
		    : srv_response_insert(x->db, &x->def, &rp, NULL, e);
		srv_resp_clear(&rp);
		if (r < 0) {
			db_rollback(x->db);
			snprintf(why, sizeof(why), "%s", e->msg);
			return err_set(e, e->code != 0 ? e->code : EXIT_IOERR,
			    "row %ld: %s", x->t->rows[i].line, why);
		}
		if (r == 1)
			(*skipped)++;
		else
			(*added)++;
	}
	/* The count and the file, never the answers. */
	j = json_pack("{s:s, s:s, s:I, s:I}", "instrument", x->code, "file",
	    base_name(path), "added", (json_int_t)*added, "skipped",
	    (json_int_t)*skipped);
	js = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	snprintf(obj, sizeof(obj), "survey:%s", x->code);
	if (audit_append(x->db, actor, x->org_id, "survey.import-offline",
	    obj, NULL, js, e) != 0 || db_commit(x->db) != 0) {
		db_rollback(x->db);
		free(js);
		if (e->msg[0] == '\0')
			err_set(e, EXIT_IOERR, "survey import: %s",
			    db_errmsg(x->db));
		return -1;
	}
	free(js);
	return 0;
}

static void
imp_free(struct imp *x)
{
	size_t i;

	for (i = 0; i < x->nstored; i++)
		free(x->stored[i]);
	free(x->stored);
	free(x->touchpoints);
	free(x->cols);
	free(x->bad);
	srv_def_clear(&x->def);
	srv_instr_clear(&x->in);
}

static int
import_table(struct imp *x, const char *actor, const char *path,
    int dry_run, int64_t *added, int64_t *skipped, struct err *e)
{
	size_t nbad;

	if (x->t->nrows == 0)
		return err_set(e, EXIT_DATAERR, "%s: the file is empty; "
		    "expected a header row", path);
	if (x->t->nrows - 1 > IMPORT_MAX_ROWS)
		return err_set(e, EXIT_DATAERR, "%s: more than %d forms; "
		    "split the file", path, IMPORT_MAX_ROWS);
	if (read_header(x, e) != 0 || load_context(x, e) != 0)
		return -1;
	nbad = check_rows(x, added, skipped);
	if (x->problems > IMPORT_MAX_ERRORS && x->report != NULL)
		buf_printf(x->report, "… and %lld more problems\n",
		    (long long)(x->problems - IMPORT_MAX_ERRORS));
	if (nbad > 0) {
		*added = *skipped = 0;
		return err_set(e, EXIT_DATAERR, "%s: %zu of %zu rows refused; "
		    "nothing was stored", path, nbad, x->t->nrows - 1);
	}
	if (dry_run)
		return 0;
	return store_rows(x, actor, path, added, skipped, e);
}

int
srv_import_offline(struct db *db, const char *actor, int64_t org_id,
    const char *code, const char *path, int dry_run, struct buf *report,
    int64_t *added, int64_t *skipped, struct err *e)
{
	struct imp   x;
	struct table t;
	struct buf   b;
	int	     version, rc;

	*added = *skipped = 0;
	memset(&x, 0, sizeof(x));
	memset(&t, 0, sizeof(t));
	x.db = db;
	x.org_id = org_id;
	x.code = code;
	x.report = report;
	x.t = &t;
	if (srv_instr_get(db, org_id, code, &x.in, e) != 0)
		return -1;
	/* Paper forms are the questions of the published version. */
	if (x.in.current_id == 0) {
		srv_instr_clear(&x.in);
		return err_set(e, EXIT_DATAERR, "instrument %s is not "
		    "published; publish it before entering forms", code);
	}
	if (srv_version_load(db, org_id, x.in.current_id, &x.def, &version,
	    e) != 0) {
		srv_instr_clear(&x.in);
		return -1;
	}
	buf_init(&b, IMPORT_MAX_FILE + 1);
	if (buf_read_file(&b, path, e) != 0 ||
	    table_read(b.data, b.len, &t, e) != 0) {
		buf_free(&b);
		table_free(&t);
		imp_free(&x);
		return -1;
	}
	buf_free(&b);
	rc = import_table(&x, actor, path, dry_run, added, skipped, e);
	table_free(&t);
	imp_free(&x);
	return rc;
}

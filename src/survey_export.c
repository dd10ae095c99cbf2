/*
 * The answers of a survey as a table that leaves the system: one row per
 * response, CSV (RFC 4180, UTF-8 with a byte order mark for Excel) or
 * XLSX (libxlsxwriter, constant memory), in the order the responses
 * came.  Two ordered queries stream the responses and their answers,
 * merged here; each row is put together in memory and written, so an
 * export of tens of thousands of answers reads every row once.
 *
 * The header row: №, Дата, Версия анкеты, Точка взаимодействия, Услуга,
 * Жизненная ситуация, Офлайн, Номер бланка, then the code of each
 * question of the current version.  Codes, not question texts, head the
 * answer columns because they are what "survey import-offline" reads:
 * the export of paper forms (--offline) is a file that import takes
 * back (it knows the Russian titles of the first columns, and ignores
 * №, Версия анкеты and Офлайн).  № is the row's number in this export,
 * not the response's id, which would tell the order answers came in.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "otklik.h"
#include "db.h"
#include "survey.h"

/* As in survey_results.c: the responses a filter selects. */
#define FILTER_SQL							\
	"r.org_id = ? AND r.instrument_id = ? AND r.day BETWEEN ? AND ? "\
	"AND (? = 0 OR r.touchpoint_id = ?) "				\
	"AND (CAST(? AS TEXT) IS NULL OR r.service = ?) "		\
	"AND (CAST(? AS TEXT) IS NULL OR r.situation = ?) "		\
	"AND (? < 0 OR r.offline = ?)"
#define FILTER_FMT "iittiittttii"
#define FILTER_ARGS(f, iid)						\
	(f)->org_id, (iid), (f)->from != NULL ? (f)->from : "0000-01-01",\
	    (f)->to != NULL ? (f)->to : "9999-12-31", (f)->touchpoint_id, \
	    (f)->touchpoint_id, (f)->service, (f)->service,		\
	    (f)->situation, (f)->situation, (int64_t)(f)->offline,	\
	    (int64_t)(f)->offline

/*
 * The responses, in the order they came, and their answers in the same
 * order: two streams merged here, which reads every row once instead of
 * looking the answers up response by response.
 */
#define RESPONSES_SQL							\
	"SELECT r.id, r.day, v.version, r.touchpoint_id, r.service, "	\
	"r.situation, r.offline, r.paper_ref FROM srv_response r JOIN "	\
	"srv_version v ON v.id = r.version_id WHERE " FILTER_SQL		\
	" ORDER BY r.id"
#define ANSWERS_SQL							\
	"SELECT a.response_id, a.question, a.rating, a.choice, a.text "	\
	"FROM srv_answer a WHERE a.response_id IN (SELECT r.id FROM "	\
	"srv_response r WHERE " FILTER_SQL ") ORDER BY a.response_id"

#define FIXED_COLS 8
static const char *const fixed_titles[FIXED_COLS] = {
	"№", "Дата", "Версия анкеты", "Точка взаимодействия", "Услуга",
	"Жизненная ситуация", "Офлайн", "Номер бланка",
};

/* A row's size: the texts of a response cannot make more than this. */
#define ROW_MAX ((size_t)SRV_QUESTIONS_MAX * (SRV_ANSWER_MAX * 2 + 64) + 4096)

/* One answer cell of the row being built. */
struct cell {
	int	   rating;
	uint32_t   mask;	/* options of the current version, by index */
	struct buf other;	/* options it no longer has, "; "-joined */
	struct buf text;
	int	   has_text;
};

/* Where rows go: CSV into a buffer, or a worksheet. */
struct sink {
	struct buf    *out;		/* CSV */
	lxw_worksheet *ws;		/* XLSX */
	lxw_row_t      row;
	lxw_error      xerr;
};

struct exporter {
	const struct srv_def *def;
	struct cell	     *cells;
	struct sink	      sink;
	int64_t		      n;	/* rows written */
	int64_t		      id;	/* the response being built, 0: none */
	char		      day[11];
	int64_t		      version;
	int64_t		      touchpoint;
	int		      offline;
	struct buf	      service, situation, paper_ref;
	int		      qhint;	/* the question expected next */
};

/*
 * Would a spreadsheet run this cell as a formula?  What respondents
 * typed gets a leading apostrophe then (OWASP's advice against CSV
 * injection), as the feedback export does.
 */
static int
formula_like(const char *s)
{
	if (*s == '=' || *s == '@')
		return 1;
	if (*s != '+' && *s != '-')
		return 0;
	return s[1] != '\0' && !isdigit((unsigned char)s[1]) && s[1] != ' ' &&
	    s[1] != '(' && s[1] != '\n';
}

static int
csv_field(struct buf *b, const char *s, int typed)
{
	const char *q;
	int	    guard = typed && formula_like(s);

	if (!guard && strpbrk(s, ",\"\r\n") == NULL)
		return buf_puts(b, s);
	if (buf_putc(b, '"') == -1 || (guard && buf_putc(b, '\'') == -1))
		return -1;
	while ((q = strchr(s, '"')) != NULL) {
		if (buf_add(b, s, (size_t)(q - s) + 1) == -1 ||
		    buf_putc(b, '"') == -1)
			return -1;
		s = q + 1;
	}
	if (buf_puts(b, s) == -1 || buf_putc(b, '"') == -1)
		return -1;
	return 0;
}

/* A text cell; typed: written by a respondent. */
static int
put_str(struct sink *k, int col, const char *s, int typed)
{
	if (k->out != NULL)
		return ((col > 0 && buf_putc(k->out, ',') == -1) ||
		    csv_field(k->out, s, typed) == -1) ? -1 : 0;
	if (*s == '\0' || k->xerr != LXW_NO_ERROR)
		return k->xerr != LXW_NO_ERROR ? -1 : 0;
	k->xerr = worksheet_write_string(k->ws, k->row, (lxw_col_t)col, s,
	    NULL);
	return k->xerr != LXW_NO_ERROR ? -1 : 0;
}

static int
put_num(struct sink *k, int col, int64_t v)
{
	char n[24];

	if (k->out != NULL) {
		snprintf(n, sizeof(n), "%" PRId64, v);
		return put_str(k, col, n, 0);
	}
	if (k->xerr != LXW_NO_ERROR)
		return -1;
	k->xerr = worksheet_write_number(k->ws, k->row, (lxw_col_t)col,
	    (double)v, NULL);
	return k->xerr != LXW_NO_ERROR ? -1 : 0;
}

static int
end_row(struct sink *k)
{
	if (k->out != NULL)
		return buf_puts(k->out, "\r\n");
	if (k->row + 1 >= LXW_ROW_MAX) {
		k->xerr = LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE;
		return -1;
	}
	k->row++;
	return 0;
}

static int
put_header(struct exporter *x)
{
	size_t i;

	for (i = 0; i < FIXED_COLS; i++)
		if (put_str(&x->sink, (int)i, fixed_titles[i], 0) != 0)
			return -1;
	for (i = 0; i < x->def->nq; i++)
		if (put_str(&x->sink, (int)(FIXED_COLS + i), x->def->q[i].code,
		    0) != 0)
			return -1;
	return end_row(&x->sink);
}

/* The chosen options' codes, in the order of the question. */
static void
choices_text(const struct srv_question *q, struct cell *c, struct buf *b)
{
	size_t k;

	buf_reset(b);
	for (k = 0; k < q->noptions && k < 32; k++)
		if (c->mask & ((uint32_t)1 << k)) {
			if (b->len > 0)
				buf_puts(b, "; ");
			buf_puts(b, q->options[k].code);
		}
	if (c->other.len > 0) {
		if (b->len > 0)
			buf_puts(b, "; ");
		buf_add(b, c->other.data, c->other.len);
	}
}

/* Writes the row of the response gathered so far, and forgets it. */
static int
flush_row(struct exporter *x, struct buf *tmp)
{
	struct sink *k = &x->sink;
	struct cell *c;
	size_t	     i;
	int	     col, r = 0;

	if (x->id == 0)
		return 0;
	x->n++;
	r |= put_num(k, 0, x->n);
	r |= put_str(k, 1, x->day, 0);
	r |= put_num(k, 2, x->version);
	r |= x->touchpoint != 0 ? put_num(k, 3, x->touchpoint)
				: put_str(k, 3, "", 0);
	r |= put_str(k, 4, buf_str(&x->service), 0);
	r |= put_str(k, 5, buf_str(&x->situation), 0);
	r |= put_str(k, 6, x->offline ? "да" : "нет", 0);
	r |= put_str(k, 7, buf_str(&x->paper_ref), 0);
	for (i = 0; i < x->def->nq; i++) {
		c = &x->cells[i];
		col = (int)(FIXED_COLS + i);
		if (x->def->q[i].type == SRV_RATING && c->rating > 0)
			r |= put_num(k, col, c->rating);
		else if (x->def->q[i].type == SRV_TEXT || c->has_text)
			r |= put_str(k, col, c->has_text ? buf_str(&c->text)
							 : "", 1);
		else {
			choices_text(&x->def->q[i], c, tmp);
			r |= put_str(k, col, buf_str(tmp), 0);
		}
		c->rating = 0;
		c->mask = 0;
		c->has_text = 0;
		buf_reset(&c->other);
		buf_reset(&c->text);
	}
	r |= end_row(k);
	x->id = 0;
	return r != 0 ? -1 : 0;
}

static void
copy_col(struct db_stmt *st, int col, struct buf *b)
{
	const char *s = db_col_text(st, col);

	buf_reset(b);
	buf_puts(b, s != NULL ? s : "");
}

/* The question of an answer: usually the one after the last. */
static int
question_of(struct exporter *x, const char *code)
{
	int i = x->qhint;

	if (i >= 0 && (size_t)i < x->def->nq &&
	    strcmp(x->def->q[i].code, code) == 0) {
		x->qhint = i + 1;
		return i;
	}
	if ((i = srv_def_find(x->def, code)) >= 0)
		x->qhint = i + 1;
	return i;
}

static void
add_answer(struct exporter *x, struct db_stmt *st)
{
	const struct srv_question *q;
	struct cell		  *c;
	const char		  *choice, *text;
	size_t			   k;
	int			   i;

	if (db_col_null(st, 1) ||
	    (i = question_of(x, db_col_text(st, 1))) < 0)
		return;
	q = &x->def->q[i];
	c = &x->cells[i];
	if (!db_col_null(st, 2))
		c->rating = (int)db_col_int(st, 2);
	if ((choice = db_col_text(st, 3)) != NULL) {
		for (k = 0; k < q->noptions && k < 32; k++)
			if (strcmp(q->options[k].code, choice) == 0)
				break;
		if (k < q->noptions && k < 32)
			c->mask |= (uint32_t)1 << k;
		else {
			if (c->other.len > 0)
				buf_puts(&c->other, "; ");
			buf_puts(&c->other, choice);
		}
	}
	if ((text = db_col_text(st, 4)) != NULL) {
		buf_reset(&c->text);
		buf_puts(&c->text, text);
		c->has_text = 1;
	}
}

static void
exporter_init(struct exporter *x, const struct srv_def *def)
{
	size_t i;

	memset(x, 0, sizeof(*x));
	x->def = def;
	x->cells = xcalloc(def->nq > 0 ? def->nq : 1, sizeof(*x->cells));
	for (i = 0; i < def->nq; i++) {
		buf_init(&x->cells[i].other, ROW_MAX);
		buf_init(&x->cells[i].text, SRV_ANSWER_MAX * 4 + 1);
	}
	buf_init(&x->service, ROW_MAX);
	buf_init(&x->situation, ROW_MAX);
	buf_init(&x->paper_ref, ROW_MAX);
}

static void
exporter_free(struct exporter *x)
{
	size_t i;

	for (i = 0; x->def != NULL && i < x->def->nq; i++) {
		buf_free(&x->cells[i].other);
		buf_free(&x->cells[i].text);
	}
	free(x->cells);
	buf_free(&x->service);
	buf_free(&x->situation);
	buf_free(&x->paper_ref);
}

/* Takes the next response's columns; 0 when there is none left. */
static int
next_response(struct exporter *x, struct db_stmt *rs, int *r)
{
	if ((*r = db_step(rs)) != DB_ROW)
		return 0;
	x->id = db_col_int(rs, 0);
	x->qhint = 0;
	snprintf(x->day, sizeof(x->day), "%s", db_col_text(rs, 1) != NULL ?
	    db_col_text(rs, 1) : "");
	x->version = db_col_int(rs, 2);
	x->touchpoint = db_col_int(rs, 3);
	copy_col(rs, 4, &x->service);
	copy_col(rs, 5, &x->situation);
	x->offline = db_col_int(rs, 6) != 0;
	copy_col(rs, 7, &x->paper_ref);
	return 1;
}

/* The rows after the header: responses merged with their answers. */
static int
export_rows(struct db *db, const struct srv_filter *f, int64_t iid,
    struct exporter *x, struct err *e)
{
	struct db_stmt *rs, *as = NULL;
	struct buf	tmp;
	int64_t		rid;
	int		r, ra = DB_DONE, rc = 0, more;

	rs = db_prepare(db, RESPONSES_SQL, FILTER_FMT, FILTER_ARGS(f, iid));
	if (rs == NULL || (as = db_prepare(db, ANSWERS_SQL, FILTER_FMT,
	    FILTER_ARGS(f, iid))) == NULL) {
		db_finalize(rs);
		return err_set(e, EXIT_IOERR, "survey export: %s",
		    db_errmsg(db));
	}
	buf_init(&tmp, ROW_MAX);
	more = next_response(x, rs, &r);
	while (more && rc == 0 && (ra = db_step(as)) == DB_ROW) {
		rid = db_col_int(as, 0);
		/* Responses before this answer's are complete. */
		while (more && x->id < rid) {
			if (flush_row(x, &tmp) != 0) {
				rc = -1;
				break;
			}
			more = next_response(x, rs, &r);
		}
		if (more && rc == 0 && x->id == rid)
			add_answer(x, as);
	}
	while (more && rc == 0) {
		if (flush_row(x, &tmp) != 0)
			rc = -1;
		else
			more = next_response(x, rs, &r);
	}
	buf_free(&tmp);
	db_finalize(as);
	db_finalize(rs);
	if (rc != 0)
		return err_set(e, x->sink.out != NULL ? EXIT_SOFTWARE
						      : EXIT_IOERR,
		    "survey export: row %" PRId64 ": %s", x->n,
		    x->sink.out != NULL ? "the export is larger than its limit"
					: lxw_strerror(x->sink.xerr));
	if (r != DB_DONE || (ra != DB_DONE && ra != DB_ROW))
		return err_set(e, EXIT_IOERR, "survey export: %s",
		    db_errmsg(db));
	return 0;
}

/* The instrument and the definition of its current version. */
static int
load(struct db *db, const struct srv_filter *f, struct srv_instr *in,
    struct srv_def *def, struct err *e)
{
	int64_t vid;
	int32_t d;
	int	version;

	memset(in, 0, sizeof(*in));
	memset(def, 0, sizeof(*def));
	if (f->code == NULL || *f->code == '\0')
		return err_set(e, EXIT_DATAERR, "no instrument given");
	if ((f->from != NULL && date_parse(f->from, &d) != 0) ||
	    (f->to != NULL && date_parse(f->to, &d) != 0))
		return err_set(e, EXIT_DATAERR, "the range of days is not "
		    "YYYY-MM-DD");
	if (srv_instr_get(db, f->org_id, f->code, in, e) != 0)
		return -1;
	vid = in->current_id != 0 ? in->current_id : in->draft_id;
	if (vid == 0) {
		srv_instr_clear(in);
		return err_set(e, EXIT_NOINPUT, "instrument %s has no version",
		    f->code);
	}
	if (srv_version_load(db, f->org_id, vid, def, &version, e) != 0) {
		srv_instr_clear(in);
		return -1;
	}
	return 0;
}

int64_t
srv_export_csv(struct db *db, const struct srv_filter *f, struct buf *out,
    struct err *e)
{
	struct srv_instr in;
	struct srv_def	 def;
	struct exporter	 x;
	int64_t		 rc = -1;

	if (load(db, f, &in, &def, e) != 0)
		return -1;
	exporter_init(&x, &def);
	x.sink.out = out;
	if (buf_puts(out, "\xef\xbb\xbf") != 0 || put_header(&x) != 0) {
		err_set(e, EXIT_SOFTWARE, "survey export: the header is "
		    "larger than the limit");
		goto out;
	}
	if (export_rows(db, f, in.id, &x, e) != 0)
		goto out;
	rc = x.n;
out:
	exporter_free(&x);
	srv_def_clear(&def);
	srv_instr_clear(&in);
	return rc;
}

int64_t
srv_export_xlsx(struct db *db, const struct srv_filter *f, const char *path,
    struct err *e)
{
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
	struct srv_instr     in;
	struct srv_def	     def;
	struct exporter	     x;
	lxw_workbook	    *wb;
	lxw_error	     closed;
	FILE		    *fp;
	int64_t		     rc = -1;

	if (load(db, f, &in, &def, e) != 0)
		return -1;
	/* libxlsxwriter says little when it cannot write: try first. */
	if ((fp = fopen(path, "wb")) == NULL) {
		err_set(e, EXIT_CANTCREAT, "%s: %s", path, strerror(errno));
		srv_def_clear(&def);
		srv_instr_clear(&in);
		return -1;
	}
	fclose(fp);
	exporter_init(&x, &def);
	if ((wb = workbook_new_opt(path, &opt)) == NULL) {
		err_set(e, EXIT_CANTCREAT, "%s: cannot start the workbook",
		    path);
		goto out;
	}
	x.sink.ws = workbook_add_worksheet(wb, "Ответы");
	if (x.sink.ws == NULL || put_header(&x) != 0)
		err_set(e, EXIT_IOERR, "%s: cannot write the header", path);
	else if (export_rows(db, f, in.id, &x, e) == 0)
		rc = x.n;
	closed = workbook_close(wb);
	if (rc >= 0 && closed != LXW_NO_ERROR) {
		err_set(e, EXIT_IOERR, "%s: %s", path, lxw_strerror(closed));
		rc = -1;
	}
out:
	if (rc < 0)
		unlink(path);
	exporter_free(&x);
	srv_def_clear(&def);
	srv_instr_clear(&in);
	return rc;
}

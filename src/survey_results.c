/*
 * The figures of a survey (R-SRV-5): for every question of the
 * instrument's current version, over the answers a filter selects, the
 * ratings' score (from which the satisfaction share and the index are
 * computed the one way), the count per option of a choice, the number
 * of responses that answered, and the newest free texts.  Answers given
 * against older versions count by question code, which is what makes a
 * figure comparable across versions.  Two queries read the selected
 * responses and their answers once each, in order, whatever the number
 * of questions; the counting is done as the rows go by.
 */
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "db.h"
#include "survey.h"

/* Free texts kept per question, whatever the caller asks. */
#define TEXTS_MAX 1000

/*
 * The responses a filter selects, as a fixed condition on srv_response r
 * with its parameters, so that the SQL is the same text whatever is
 * chosen (survey_export.c has the same).  An open end of the day range
 * is a day before or after any.
 */
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

static int
filter_check(const struct srv_filter *f, struct err *e)
{
	int32_t d;

	if (f->code == NULL || *f->code == '\0')
		return err_set(e, EXIT_DATAERR, "no instrument given");
	if (f->from != NULL && date_parse(f->from, &d) != 0)
		return err_set(e, EXIT_DATAERR, "from: '%s' is not a date "
		    "(YYYY-MM-DD)", f->from);
	if (f->to != NULL && date_parse(f->to, &d) != 0)
		return err_set(e, EXIT_DATAERR, "to: '%s' is not a date "
		    "(YYYY-MM-DD)", f->to);
	if (f->offline < -1 || f->offline > 1)
		return err_set(e, EXIT_DATAERR, "offline: -1, 0 or 1");
	return 0;
}

/* The instrument and the definition its figures are laid out by. */
static int
current_def(struct db *db, const struct srv_filter *f,
    struct srv_instr *in, struct srv_def *def, int *version, struct err *e)
{
	int64_t vid;

	memset(in, 0, sizeof(*in));
	memset(def, 0, sizeof(*def));
	if (filter_check(f, e) != 0)
		return -1;
	if (srv_instr_get(db, f->org_id, f->code, in, e) != 0)
		return -1;
	/* A new instrument has only its draft, and no answers yet. */
	vid = in->current_id != 0 ? in->current_id : in->draft_id;
	if (vid == 0) {
		srv_instr_clear(in);
		return err_set(e, EXIT_NOINPUT, "instrument %s has no version",
		    f->code);
	}
	if (srv_version_load(db, f->org_id, vid, def, version, e) != 0) {
		srv_instr_clear(in);
		return -1;
	}
	return 0;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
result_init(struct srv_results *res, const struct srv_def *def)
{
	struct srv_qresult *r;
	size_t		    i, k;

	memset(res, 0, sizeof(*res));
	res->q = xcalloc(def->nq > 0 ? def->nq : 1, sizeof(*res->q));
	res->nq = def->nq;
	for (i = 0; i < def->nq; i++) {
		r = &res->q[i];
		r->code = xstrdup(def->q[i].code);
		r->type = def->q[i].type;
		r->text_ru = dup_or_null(def->q[i].text_ru);
		r->text_en = dup_or_null(def->q[i].text_en);
		if (r->type != SRV_SINGLE && r->type != SRV_MULTI)
			continue;
		r->noptions = def->q[i].noptions;
		r->option_count = xcalloc(r->noptions + 1, sizeof(int64_t));
		r->option_code = xcalloc(r->noptions + 1, sizeof(char *));
		r->option_ru = xcalloc(r->noptions + 1, sizeof(char *));
		r->option_en = xcalloc(r->noptions + 1, sizeof(char *));
		for (k = 0; k < r->noptions; k++) {
			r->option_code[k] = xstrdup(def->q[i].options[k].code);
			r->option_ru[k] =
			    dup_or_null(def->q[i].options[k].text_ru);
			r->option_en[k] =
			    dup_or_null(def->q[i].options[k].text_en);
		}
	}
}

void
srv_results_clear(struct srv_results *res)
{
	struct srv_qresult *r;
	size_t		    i, k;

	if (res == NULL)
		return;
	for (i = 0; i < res->nq; i++) {
		r = &res->q[i];
		free(r->code);
		free(r->text_ru);
		free(r->text_en);
		for (k = 0; k < r->noptions; k++) {
			free(r->option_code[k]);
			free(r->option_ru[k]);
			free(r->option_en[k]);
		}
		free(r->option_count);
		free(r->option_code);
		free(r->option_ru);
		free(r->option_en);
		for (k = 0; k < r->ntexts; k++)
			free(r->texts[k]);
		free(r->texts);
	}
	free(res->q);
	memset(res, 0, sizeof(*res));
}

static int
option_index(const struct srv_qresult *r, const char *code)
{
	size_t k;

	for (k = 0; k < r->noptions; k++)
		if (strcmp(r->option_code[k], code) == 0)
			return (int)k;
	return -1;
}

static int
db_fail(struct db *db, struct db_stmt *st, struct err *e)
{
	db_finalize(st);
	return err_set(e, EXIT_IOERR, "survey results: %s", db_errmsg(db));
}

/* The responses selected: ids ascending, with their days. */
struct sel {
	int64_t *id;
	int32_t *day;
	size_t	 n, cap;
};

static int
select_responses(struct db *db, const struct srv_filter *f, int64_t iid,
    struct sel *sel, struct srv_results *res, struct err *e)
{
	struct db_stmt *st;
	int32_t		d;
	int		r;

	st = db_prepare(db, "SELECT r.id, r.day, r.offline FROM srv_response "
	    "r WHERE " FILTER_SQL " ORDER BY r.id", FILTER_FMT,
	    FILTER_ARGS(f, iid));
	if (st == NULL)
		return db_fail(db, st, e);
	while ((r = db_step(st)) == DB_ROW) {
		if (sel->n == sel->cap) {
			sel->cap = sel->cap == 0 ? 1024 : sel->cap * 2;
			sel->id = xreallocarray(sel->id, sel->cap,
			    sizeof(int64_t));
			sel->day = xreallocarray(sel->day, sel->cap,
			    sizeof(int32_t));
		}
		if (db_col_text(st, 1) == NULL ||
		    date_parse(db_col_text(st, 1), &d) != 0)
			d = 0;
		sel->id[sel->n] = db_col_int(st, 0);
		sel->day[sel->n++] = d;
		res->offline += db_col_int(st, 2) != 0;
	}
	if (r != DB_DONE)
		return db_fail(db, st, e);
	db_finalize(st);
	res->responses = (int64_t)sel->n;
	return 0;
}

/* The day of a selected response, by binary search of the ids. */
static int32_t
sel_day(const struct sel *sel, int64_t id)
{
	size_t lo = 0, hi = sel->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (sel->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sel->n && sel->id[lo] == id ? sel->day[lo] : 0;
}

/*
 * The newest texts of a question, newest first: kept sorted by day and
 * response, the oldest dropped once there are max of them.
 */
struct newest {
	int32_t *day;
	int64_t *id;
	size_t	 n;
};

static void
keep_text(struct srv_qresult *q, struct newest *w, size_t max, int32_t day,
    int64_t id, const char *text)
{
	size_t i;

	if (q->texts == NULL) {
		q->texts = xcalloc(max, sizeof(char *));
		w->day = xcalloc(max, sizeof(int32_t));
		w->id = xcalloc(max, sizeof(int64_t));
	}
	for (i = w->n; i > 0; i--)
		if (w->day[i - 1] > day || (w->day[i - 1] == day &&
		    w->id[i - 1] > id))
			break;
	if (i >= max)
		return;
	if (w->n == max)
		free(q->texts[--w->n]);
	memmove(q->texts + i + 1, q->texts + i, (w->n - i) * sizeof(char *));
	memmove(w->day + i + 1, w->day + i, (w->n - i) * sizeof(int32_t));
	memmove(w->id + i + 1, w->id + i, (w->n - i) * sizeof(int64_t));
	q->texts[i] = xstrdup(text);
	w->day[i] = day;
	w->id[i] = id;
	w->n++;
	q->ntexts = w->n;
}

/* One answer into the figures of its question. */
static void
count_answer(struct srv_qresult *q, int64_t *last, struct db_stmt *st,
    int64_t rid)
{
	const char *choice;
	int64_t	    rating;
	int	    k;

	/* Answers come by response, so a response is counted once. */
	if (*last != rid) {
		*last = rid;
		q->answered++;
	}
	if (q->type == SRV_RATING && !db_col_null(st, 2)) {
		rating = db_col_int(st, 2);
		if (rating >= 1 && rating <= SRV_SCALE) {
			q->score.count[rating]++;
			q->score.n++;
			q->score.sum += rating;
		}
	} else if ((q->type == SRV_SINGLE || q->type == SRV_MULTI) &&
	    (choice = db_col_text(st, 3)) != NULL &&
	    (k = option_index(q, choice)) >= 0)
		q->option_count[k]++;
}

/*
 * Every answer of the selected responses in one pass, ordered by
 * response, counted here rather than by GROUP BY: the grouping sorts
 * every answer, which costs several times the reading (measured with
 * 26,000 responses).  An answer whose question is not in the current
 * version, or whose option it no longer has, is left out of the
 * figures of this version.
 */
static int
count_answers(struct db *db, const struct srv_filter *f, int64_t iid,
    const struct srv_def *def, const struct sel *sel, size_t text_max,
    struct srv_results *res, struct err *e)
{
	struct db_stmt *st;
	struct newest  *w;
	int64_t	       *last, rid;
	const char     *code, *text;
	size_t		hint = 0;
	int		i, r, rc = -1;

	last = xcalloc(def->nq + 1, sizeof(int64_t));
	w = xcalloc(def->nq + 1, sizeof(*w));
	st = db_prepare(db, "SELECT a.response_id, a.question, a.rating, "
	    "a.choice, a.text FROM srv_answer a WHERE a.response_id IN "
	    "(SELECT r.id FROM srv_response r WHERE " FILTER_SQL ") "
	    "ORDER BY a.response_id", FILTER_FMT, FILTER_ARGS(f, iid));
	if (st == NULL) {
		db_fail(db, st, e);
		goto out;
	}
	while ((r = db_step(st)) == DB_ROW) {
		rid = db_col_int(st, 0);
		if ((code = db_col_text(st, 1)) == NULL)
			continue;
		/* Answers are stored in question order: try the next. */
		if (hint < def->nq && strcmp(def->q[hint].code, code) == 0)
			i = (int)hint;
		else if ((i = srv_def_find(def, code)) < 0)
			continue;
		hint = (size_t)i + 1;
		count_answer(&res->q[i], &last[i], st, rid);
		if (res->q[i].type == SRV_TEXT && text_max > 0 &&
		    (text = db_col_text(st, 4)) != NULL)
			keep_text(&res->q[i], &w[i], text_max,
			    sel_day(sel, rid), rid, text);
	}
	if (r != DB_DONE) {
		db_fail(db, st, e);
		goto out;
	}
	db_finalize(st);
	rc = 0;
out:
	for (i = 0; i < (int)def->nq; i++) {
		free(w[i].day);
		free(w[i].id);
	}
	free(w);
	free(last);
	return rc;
}

int
srv_results(struct db *db, const struct srv_filter *f, size_t text_max,
    struct srv_results *res, struct err *e)
{
	struct srv_instr in;
	struct srv_def	 def;
	struct sel	 sel;
	size_t		 i;
	int		 version, k, rc = -1;

	memset(res, 0, sizeof(*res));
	memset(&sel, 0, sizeof(sel));
	if (text_max > TEXTS_MAX)
		text_max = TEXTS_MAX;
	if (current_def(db, f, &in, &def, &version, e) != 0)
		return -1;
	result_init(res, &def);
	if (select_responses(db, f, in.id, &sel, res, e) != 0 ||
	    count_answers(db, f, in.id, &def, &sel, text_max, res, e) != 0)
		goto out;
	/* Every rating of every question, pooled (R-SRV-5). */
	for (i = 0; i < res->nq; i++) {
		if (res->q[i].type != SRV_RATING)
			continue;
		res->overall.n += res->q[i].score.n;
		res->overall.sum += res->q[i].score.sum;
		for (k = 1; k <= SRV_SCALE; k++)
			res->overall.count[k] += res->q[i].score.count[k];
	}
	rc = 0;
out:
	if (rc != 0)
		srv_results_clear(res);
	free(sel.id);
	free(sel.day);
	srv_def_clear(&def);
	srv_instr_clear(&in);
	return rc;
}

/*
 * The report model as data: JSON (the stable form that the published
 * reports are stored in and read back from, docs/reports.md), CSV (one
 * line per figure) and a figure as text in the report's conventions.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "otklik.h"
#include "report.h"

#define JSON_MAX ((size_t)64 << 20)	/* a report read back */

static const char *const kind_names[] = {
	[RK_COUNT] = "count", [RK_SHARE] = "share", [RK_INDEX] = "index",
	[RK_MEAN] = "mean", [RK_MINUTES] = "minutes", [RK_DELTA] = "delta",
	[RK_SCORE] = "score",
};
static const char *const chart_names[] = {
	[RC_NONE] = "none", [RC_BARS] = "bars", [RC_LINES] = "lines",
	[RC_HEAT] = "heat", [RC_PROFILE] = "profile",
};
static const char *const what_names[] = {
	[RW_FULL] = "full", [RW_PAIN] = "pain", [RW_LEVEL] = "level",
	[RW_PUBLIC] = "public",
};
static const char *const supp_names[] = {
	[RS_SHOWN] = "shown", [RS_NONE] = "none", [RS_SMALL] = "small",
	[RS_COMPLEMENT] = "complement",
};

static int
name_index(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < n; i++)
		if (names[i] != NULL && strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

/* ---- JSON ---- */

static json_t *
pair(const char *ru, const char *en)
{
	return json_pack("{s:s, s:s}", "ru", ru != NULL ? ru : "", "en",
	    en != NULL ? en : (ru != NULL ? ru : ""));
}

/* Values as the data allows: counts whole, the rest to 4 decimals. */
static json_t *
value_json(double v, enum rkind k)
{
	if (k == RK_COUNT)
		return json_integer((json_int_t)llround(v));
	v = round(v * 10000) / 10000;
	if (v == 0)
		v = 0;	/* no "-0.0" */
	return json_real(v);
}

static json_t *
cell_json(const struct rcell *c, enum rkind k)
{
	switch (c->supp) {
	case RS_SHOWN:
		return json_pack("{s:o, s:I}", "value", value_json(c->value, k),
		    "n", (json_int_t)c->n);
	case RS_NONE:
		return json_pack("{s:b}", "none", 1);
	default:
		return json_pack("{s:s}", "suppressed", supp_names[c->supp]);
	}
}

void
report_json(const struct report *rep, struct buf *b)
{
	const struct rtable *t;
	const struct rrow   *r;
	json_t		    *root, *tables, *figures, *jt, *cols, *rows, *jr;
	json_t		    *cells;
	char		     from[11], to[11], pf[11], pt[11], at[21];
	char		     key[3 * REPORT_KEY_MAX + 3];
	char		    *s;
	size_t		     i, j, c;

	date_format(rep->from, from);
	date_format(rep->to, to);
	date_format(rep->prev_from, pf);
	date_format(rep->prev_to, pt);
	time_format(rep->generated_at, at);
	tables = json_array();
	figures = json_object();
	for (i = 0; i < rep->ntables; i++) {
		t = &rep->tables[i];
		cols = json_array();
		for (c = 0; c < t->ncols; c++)
			json_array_append_new(cols, json_pack("{s:s, s:o, s:s}",
			    "key", t->cols[c].key, "title",
			    pair(t->cols[c].ru, t->cols[c].en), "kind",
			    kind_names[t->cols[c].kind]));
		rows = json_array();
		for (j = 0; j < t->nrows; j++) {
			r = &t->rows[j];
			cells = json_object();
			for (c = 0; c < t->ncols; c++) {
				json_object_set_new(cells, t->cols[c].key,
				    cell_json(&r->cells[c], t->cols[c].kind));
				snprintf(key, sizeof(key), "%s.%s.%s", t->key,
				    r->key, t->cols[c].key);
				json_object_set_new(figures, key,
				    cell_json(&r->cells[c], t->cols[c].kind));
			}
			jr = json_pack("{s:s, s:o, s:b, s:o}", "key", r->key,
			    "label", pair(r->label_ru, r->label_en), "total",
			    r->total != 0, "cells", cells);
			json_array_append_new(rows, jr);
		}
		jt = json_pack("{s:s, s:o, s:o, s:s, s:o, s:b, s:b, s:o, s:o}",
		    "key", t->key,
		    "title", pair(t->title_ru, t->title_en),
		    "note", t->note_ru != NULL ? pair(t->note_ru, t->note_en) :
		    json_null(),
		    "chart", chart_names[t->chart],
		    "chart_column", t->chart != RC_NONE && t->chart_col >= 0 &&
		    (size_t)t->chart_col < t->ncols ?
		    json_string(t->cols[t->chart_col].key) : json_null(),
		    "parts", t->parts != 0,
		    "listing", t->listing != 0,
		    "columns", cols,
		    "rows", rows);
		json_array_append_new(tables, jt);
	}
	root = json_pack("{s:{s:s, s:s}, s:s, s:{s:s, s:s, s:s, s:{s:s, s:s}}, "
	    "s:s, s:i, s:s, s:o, s:o}",
	    "org", "slug", rep->org_slug != NULL ? rep->org_slug : "",
	    "name", rep->org_name != NULL ? rep->org_name : "",
	    "what", what_names[rep->what],
	    "period", "name", rep->period, "from", from, "to", to,
	    "previous", "from", pf, "to", pt,
	    "clients", rep->client,
	    "k", rep->k,
	    "generated_at", at,
	    "tables", tables,
	    "figures", figures);
	if (root == NULL)
		fatal("report_json: cannot build the document");
	s = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(15));
	json_decref(root);
	if (s == NULL)
		fatal("report_json: cannot write the document");
	buf_puts(b, s);
	buf_putc(b, '\n');
	free(s);
}

/* ---- JSON back into the model, strictly ---- */

/* Every member of o is one of the names (NULL-terminated). */
static int
members(json_t *o, const char *where, const char *const *names,
    struct err *e)
{
	const char *k;
	json_t	   *v;
	size_t	    i;

	if (!json_is_object(o))
		return err_set(e, EXIT_DATAERR, "%s: expected an object",
		    where);
	json_object_foreach(o, k, v) {
		for (i = 0; names[i] != NULL; i++)
			if (strcmp(names[i], k) == 0)
				break;
		if (names[i] == NULL)
			return err_set(e, EXIT_DATAERR, "%s.%s: unknown member",
			    where, k);
	}
	return 0;
}

static const char *
get_str(json_t *o, const char *name, const char *where, struct err *e)
{
	json_t *v = json_object_get(o, name);

	if (!json_is_string(v)) {
		err_set(e, EXIT_DATAERR, "%s.%s: expected a string", where,
		    name);
		return NULL;
	}
	return json_string_value(v);
}

static int
get_key(json_t *o, const char *where, char out[REPORT_KEY_MAX],
    struct err *e)
{
	const char *s = get_str(o, "key", where, e);

	if (s == NULL)
		return -1;
	if (*s == '\0' || strlen(s) >= REPORT_KEY_MAX ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(s))
		return err_set(e, EXIT_DATAERR, "%s.key: '%.70s' is not a key "
		    "of [a-z0-9_-]", where, s);
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

static int
get_pair(json_t *o, const char *name, const char *where, const char **ru,
    const char **en, struct err *e)
{
	static const char *const names[] = {"ru", "en", NULL};
	char		  w[200];
	json_t		 *p = json_object_get(o, name);

	snprintf(w, sizeof(w), "%s.%s", where, name);
	if (members(p, w, names, e) != 0 ||
	    (*ru = get_str(p, "ru", w, e)) == NULL ||
	    (*en = get_str(p, "en", w, e)) == NULL)
		return -1;
	return 0;
}

static int
get_bool(json_t *o, const char *name, const char *where, int *out,
    struct err *e)
{
	json_t *v = json_object_get(o, name);

	if (!json_is_boolean(v))
		return err_set(e, EXIT_DATAERR, "%s.%s: expected true or false",
		    where, name);
	*out = json_is_true(v);
	return 0;
}

static int
cell_from_json(json_t *j, struct rcell *c, const char *where, struct err *e)
{
	static const char *const shown[] = {"value", "n", NULL};
	json_t			*v, *n;
	const char		*s;
	int			 k;

	memset(c, 0, sizeof(*c));
	if (!json_is_object(j))
		return err_set(e, EXIT_DATAERR, "%s: expected an object", where);
	if (json_object_get(j, "none") != NULL) {
		if (json_object_size(j) != 1 ||
		    !json_is_true(json_object_get(j, "none")))
			return err_set(e, EXIT_DATAERR, "%s: expected "
			    "{\"none\": true}", where);
		c->supp = RS_NONE;
		return 0;
	}
	if ((v = json_object_get(j, "suppressed")) != NULL) {
		s = json_string_value(v);
		k = name_index(supp_names, nitems(supp_names), s);
		if (json_object_size(j) != 1 || (k != RS_SMALL &&
		    k != RS_COMPLEMENT))
			return err_set(e, EXIT_DATAERR, "%s.suppressed: "
			    "expected \"small\" or \"complement\"", where);
		c->supp = (enum rsupp)k;
		return 0;
	}
	if (members(j, where, shown, e) != 0)
		return -1;
	v = json_object_get(j, "value");
	n = json_object_get(j, "n");
	if (!json_is_number(v))
		return err_set(e, EXIT_DATAERR, "%s.value: expected a number",
		    where);
	if (!json_is_integer(n) || json_integer_value(n) <= 0)
		return err_set(e, EXIT_DATAERR, "%s.n: expected a whole number "
		    "above 0", where);
	c->value = json_number_value(v);
	c->n = json_integer_value(n);
	c->supp = RS_SHOWN;
	return 0;
}

static int
row_from_json(json_t *jr, struct rtable *t, const char *where, struct err *e)
{
	static const char *const names[] = {"key", "label", "total", "cells",
	    NULL};
	struct rrow *r;
	json_t	    *cells;
	const char  *ru, *en;
	char	     key[REPORT_KEY_MAX], w[300];
	size_t	     c;
	int	     total = 0;

	if (members(jr, where, names, e) != 0 ||
	    get_key(jr, where, key, e) != 0 ||
	    get_pair(jr, "label", where, &ru, &en, e) != 0 ||
	    get_bool(jr, "total", where, &total, e) != 0)
		return -1;
	cells = json_object_get(jr, "cells");
	snprintf(w, sizeof(w), "%s.cells", where);
	if (!json_is_object(cells) || json_object_size(cells) != t->ncols)
		return err_set(e, EXIT_DATAERR, "%s: expected an object with "
		    "a member per column (%zu)", w, t->ncols);
	r = report_row(t, key, ru, en);
	r->total = total;
	for (c = 0; c < t->ncols; c++) {
		snprintf(w, sizeof(w), "%s.cells.%s", where, t->cols[c].key);
		if (json_object_get(cells, t->cols[c].key) == NULL)
			return err_set(e, EXIT_DATAERR, "%s: missing", w);
		if (cell_from_json(json_object_get(cells, t->cols[c].key),
		    &r->cells[c], w, e) != 0)
			return -1;
	}
	return 0;
}

static int
table_from_json(json_t *jt, struct report *rep, const char *where,
    struct err *e)
{
	static const char *const names[] = {"key", "title", "note", "chart",
	    "chart_column", "parts", "listing", "columns", "rows", NULL};
	static const char *const colnames[] = {"key", "title", "kind", NULL};
	struct rtable *t;
	struct rcol   *cols = NULL;
	json_t	      *jc, *jrows, *it, *note, *cc;
	const char    *ru, *en, *nru = NULL, *nen = NULL, *s;
	char	       key[REPORT_KEY_MAX], w[200];
	size_t	       i, ncols;
	int	       chart, parts = 0, listing = 0, k, rc = -1;

	if (members(jt, where, names, e) != 0 ||
	    get_key(jt, where, key, e) != 0 ||
	    get_pair(jt, "title", where, &ru, &en, e) != 0 ||
	    get_bool(jt, "parts", where, &parts, e) != 0 ||
	    get_bool(jt, "listing", where, &listing, e) != 0)
		return -1;
	note = json_object_get(jt, "note");
	if (note == NULL)
		return err_set(e, EXIT_DATAERR, "%s.note: missing", where);
	if (!json_is_null(note) && get_pair(jt, "note", where, &nru, &nen,
	    e) != 0)
		return -1;
	if ((s = get_str(jt, "chart", where, e)) == NULL)
		return -1;
	if ((chart = name_index(chart_names, nitems(chart_names), s)) < 0)
		return err_set(e, EXIT_DATAERR, "%s.chart: '%.40s' is not one "
		    "of none, bars, lines, heat, profile", where, s);
	jc = json_object_get(jt, "columns");
	if (!json_is_array(jc) || (ncols = json_array_size(jc)) == 0 ||
	    ncols > 64)
		return err_set(e, EXIT_DATAERR, "%s.columns: expected an "
		    "array of 1 to 64 columns", where);
	cols = xcalloc(ncols, sizeof(*cols));
	json_array_foreach(jc, i, it) {
		snprintf(w, sizeof(w), "%s.columns[%zu]", where, i);
		if (members(it, w, colnames, e) != 0 ||
		    get_key(it, w, cols[i].key, e) != 0 ||
		    get_pair(it, "title", w, &cols[i].ru, &cols[i].en, e) != 0 ||
		    (s = get_str(it, "kind", w, e)) == NULL)
			goto out;
		if ((k = name_index(kind_names, nitems(kind_names), s)) < 0) {
			err_set(e, EXIT_DATAERR, "%s.kind: '%.40s' is not a "
			    "kind of figure", w, s);
			goto out;
		}
		cols[i].kind = (enum rkind)k;
	}
	t = report_table(rep, key, ru, en, cols, ncols);
	t->chart = (enum rchart)chart;
	t->parts = parts;
	t->listing = listing;
	if (nru != NULL)
		report_note(t, nru, nen);
	cc = json_object_get(jt, "chart_column");
	if (cc == NULL || (!json_is_null(cc) && !json_is_string(cc))) {
		err_set(e, EXIT_DATAERR, "%s.chart_column: expected a column "
		    "key or null", where);
		goto out;
	}
	if (json_is_string(cc)) {
		for (i = 0; i < ncols; i++)
			if (strcmp(cols[i].key, json_string_value(cc)) == 0)
				break;
		if (i == ncols) {
			err_set(e, EXIT_DATAERR, "%s.chart_column: no column "
			    "'%.40s'", where, json_string_value(cc));
			goto out;
		}
		t->chart_col = (int)i;
	}
	jrows = json_object_get(jt, "rows");
	if (!json_is_array(jrows)) {
		err_set(e, EXIT_DATAERR, "%s.rows: expected an array", where);
		goto out;
	}
	json_array_foreach(jrows, i, it) {
		snprintf(w, sizeof(w), "%s.rows[%zu]", where, i);
		if (row_from_json(it, t, w, e) != 0)
			goto out;
	}
	rc = 0;
out:
	free(cols);
	return rc;
}

int
report_from_json(const char *text, struct report *rep, struct err *e)
{
	static const char *const names[] = {"org", "what", "period",
	    "clients", "k", "generated_at", "tables", "figures", NULL};
	static const char *const orgn[] = {"slug", "name", NULL};
	static const char *const pern[] = {"name", "from", "to", "previous",
	    NULL};
	static const char *const prevn[] = {"from", "to", NULL};
	json_t	     *root, *org, *per, *prev, *tables, *it, *k;
	json_error_t  je;
	const char   *s, *f, *t, *pf, *pt;
	char	      w[64];
	size_t	      i;
	int	      what;

	memset(rep, 0, sizeof(*rep));
	if (text == NULL)
		return err_set(e, EXIT_DATAERR, "report: no JSON");
	if (strlen(text) > JSON_MAX)
		return err_set(e, EXIT_DATAERR, "report: JSON larger than %zu "
		    "bytes", JSON_MAX);
	root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL)
		return err_set(e, EXIT_DATAERR, "report: line %d, column %d: "
		    "%s", je.line, je.column, je.text);
	if (members(root, "report", names, e) != 0)
		goto bad;
	org = json_object_get(root, "org");
	if (members(org, "org", orgn, e) != 0 ||
	    get_str(org, "slug", "org", e) == NULL ||
	    get_str(org, "name", "org", e) == NULL)
		goto bad;
	rep->org_slug = xstrdup(get_str(org, "slug", "org", e));
	rep->org_name = xstrdup(get_str(org, "name", "org", e));
	if ((s = get_str(root, "what", "report", e)) == NULL)
		goto bad;
	if ((what = name_index(what_names, nitems(what_names), s)) < 0) {
		err_set(e, EXIT_DATAERR, "what: '%.40s' is not full, pain, "
		    "level or public", s);
		goto bad;
	}
	rep->what = (enum rwhat)what;
	per = json_object_get(root, "period");
	if (members(per, "period", pern, e) != 0 ||
	    (s = get_str(per, "name", "period", e)) == NULL ||
	    (f = get_str(per, "from", "period", e)) == NULL ||
	    (t = get_str(per, "to", "period", e)) == NULL)
		goto bad;
	prev = json_object_get(per, "previous");
	if (members(prev, "period.previous", prevn, e) != 0 ||
	    (pf = get_str(prev, "from", "period.previous", e)) == NULL ||
	    (pt = get_str(prev, "to", "period.previous", e)) == NULL)
		goto bad;
	if (strlen(s) >= sizeof(rep->period)) {
		err_set(e, EXIT_DATAERR, "period.name: too long");
		goto bad;
	}
	snprintf(rep->period, sizeof(rep->period), "%s", s);
	if (date_parse(f, &rep->from) != 0 || date_parse(t, &rep->to) != 0 ||
	    date_parse(pf, &rep->prev_from) != 0 ||
	    date_parse(pt, &rep->prev_to) != 0) {
		err_set(e, EXIT_DATAERR, "period: from and to must be dates "
		    "(YYYY-MM-DD)");
		goto bad;
	}
	if ((s = get_str(root, "clients", "report", e)) == NULL)
		goto bad;
	if (strcmp(s, "external") != 0 && strcmp(s, "internal") != 0) {
		err_set(e, EXIT_DATAERR, "clients: '%.40s' is not external or "
		    "internal", s);
		goto bad;
	}
	snprintf(rep->client, sizeof(rep->client), "%s", s);
	k = json_object_get(root, "k");
	if (!json_is_integer(k) || json_integer_value(k) < 1 ||
	    json_integer_value(k) > 1000) {
		err_set(e, EXIT_DATAERR, "k: expected a whole number from 1 "
		    "to 1000");
		goto bad;
	}
	rep->k = (int)json_integer_value(k);
	if ((s = get_str(root, "generated_at", "report", e)) == NULL)
		goto bad;
	if (time_parse(s, &rep->generated_at) != 0) {
		err_set(e, EXIT_DATAERR, "generated_at: '%.40s' is not a time",
		    s);
		goto bad;
	}
	tables = json_object_get(root, "tables");
	if (!json_is_array(tables) || json_array_size(tables) > 64) {
		err_set(e, EXIT_DATAERR, "tables: expected an array of at most "
		    "64 tables");
		goto bad;
	}
	/* "figures" repeats the cells; what is read is the tables. */
	if (!json_is_object(json_object_get(root, "figures"))) {
		err_set(e, EXIT_DATAERR, "figures: expected an object");
		goto bad;
	}
	json_array_foreach(tables, i, it) {
		snprintf(w, sizeof(w), "tables[%zu]", i);
		if (table_from_json(it, rep, w, e) != 0)
			goto bad;
	}
	json_decref(root);
	return 0;
bad:
	json_decref(root);
	report_free(rep);
	return -1;
}

/* ---- CSV ---- */

static void
csv_field(struct buf *b, const char *s)
{
	const char *p;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

/* A value as a number for a program: a decimal point, or with ru a
 * decimal comma (what a Russian spreadsheet reads). */
static void
csv_number(char *out, size_t size, double v, enum rkind k, int ru)
{
	char *p;

	if (k == RK_COUNT)
		snprintf(out, size, "%lld", (long long)llround(v));
	else {
		v = round(v * 10000) / 10000;
		snprintf(out, size, "%.4f", v == 0 ? 0 : v);
		/* Trailing zeros say nothing. */
		p = out + strlen(out) - 1;
		while (p > out && *p == '0')
			*p-- = '\0';
		if (*p == '.')
			*p = '\0';
		if (ru && (p = strchr(out, '.')) != NULL)
			*p = ',';
	}
}

void
report_csv(const struct report *rep, int ru, struct buf *b)
{
	static const char *const status_ru[] = {
		[RS_SHOWN] = "показано", [RS_NONE] = "нет данных",
		[RS_SMALL] = "скрыто: меньше k ответов",
		[RS_COMPLEMENT] = "скрыто: дополнительно"};
	const struct rtable *t;
	const struct rrow   *r;
	const struct rcell  *c;
	char		     key[3 * REPORT_KEY_MAX + 3], num[64];
	size_t		     i, j, k;

	buf_puts(b, ru ? "Таблица,Строка,Показатель,Ключ,Значение,n,Статус\r\n"
	    : "table,row,column,key,value,n,status\r\n");
	for (i = 0; i < rep->ntables; i++) {
		t = &rep->tables[i];
		for (j = 0; j < t->nrows; j++) {
			r = &t->rows[j];
			for (k = 0; k < t->ncols; k++) {
				c = &r->cells[k];
				csv_field(b, ru ? t->title_ru : t->title_en);
				buf_putc(b, ',');
				csv_field(b, ru ? r->label_ru : r->label_en);
				buf_putc(b, ',');
				csv_field(b, ru ? t->cols[k].ru : t->cols[k].en);
				buf_putc(b, ',');
				snprintf(key, sizeof(key), "%s.%s.%s", t->key,
				    r->key, t->cols[k].key);
				csv_field(b, key);
				buf_putc(b, ',');
				if (c->supp == RS_SHOWN) {
					csv_number(num, sizeof(num), c->value,
					    t->cols[k].kind, ru);
					csv_field(b, num);
					buf_printf(b, ",%" PRId64 ",", c->n);
				} else
					buf_puts(b, ",,");
				buf_puts(b, ru ? status_ru[c->supp] :
				    supp_names[c->supp]);
				buf_puts(b, "\r\n");
			}
		}
	}
}

/* ---- a figure as text ---- */

/* A number with d decimals, the Russian way with ru ("1 234,5"). */
static void
number(char *out, size_t size, double v, int d, int ru)
{
	char	    tmp[64], *dot;
	const char *p;
	size_t	    o = 0, intlen, i;
	int	    neg;

	snprintf(tmp, sizeof(tmp), "%.*f", d, v);
	neg = tmp[0] == '-';
	/* "-0.0" is 0. */
	if (neg && strspn(tmp + 1, "0.") == strlen(tmp + 1))
		neg = 0;
	p = tmp[0] == '-' ? tmp + 1 : tmp;
	dot = strchr(p, '.');
	intlen = dot != NULL ? (size_t)(dot - p) : strlen(p);
	if (neg && o + 4 < size) {
		if (ru) {
			memcpy(out + o, "\xe2\x88\x92", 3);	/* − */
			o += 3;
		} else
			out[o++] = '-';
	}
	for (i = 0; i < intlen && o + 2 < size; i++) {
		if (i > 0 && (intlen - i) % 3 == 0)
			out[o++] = ru ? ' ' : ',';
		out[o++] = p[i];
	}
	if (dot != NULL) {
		if (o + 1 < size)
			out[o++] = ru ? ',' : '.';
		for (p = dot + 1; *p != '\0' && o + 1 < size; p++)
			out[o++] = *p;
	}
	out[o < size ? o : size - 1] = '\0';
}

static void
minutes_text(char *out, size_t size, double v, int ru)
{
	long long m = llround(v), d, h;

	if (m < 0)
		m = 0;
	d = m / 1440;
	h = m % 1440 / 60;
	m %= 60;
	if (d > 0) {
		if (h > 0)
			snprintf(out, size, ru ? "%lld дн %lld ч" : "%lld d %lld h",
			    d, h);
		else
			snprintf(out, size, ru ? "%lld дн" : "%lld d", d);
	} else if (h > 0) {
		if (m > 0)
			snprintf(out, size, ru ? "%lld ч %lld мин" :
			    "%lld h %lld min", h, m);
		else
			snprintf(out, size, ru ? "%lld ч" : "%lld h", h);
	} else
		snprintf(out, size, ru ? "%lld мин" : "%lld min", m);
}

void
report_cell_text(const struct rcell *c, enum rkind k, int ru, char *out,
    size_t size)
{
	char num[64];

	if (size == 0)
		return;
	if (c->supp == RS_SMALL || c->supp == RS_COMPLEMENT) {
		snprintf(out, size, "—");
		return;
	}
	if (c->supp == RS_NONE) {
		snprintf(out, size, ru ? "нет данных" : "no data");
		return;
	}
	switch (k) {
	case RK_COUNT:
		number(out, size, round(c->value), 0, ru);
		break;
	case RK_SHARE:
		number(num, sizeof(num), c->value, 1, ru);
		snprintf(out, size, ru ? "%s %%" : "%s%%", num);
		break;
	case RK_MEAN:
		number(out, size, c->value, 2, ru);
		break;
	case RK_MINUTES:
		minutes_text(out, size, c->value, ru);
		break;
	case RK_DELTA:
		number(num, sizeof(num), c->value, 1, ru);
		if (num[0] != '-' && strncmp(num, "\xe2\x88\x92", 3) != 0 &&
		    strspn(num, "0,.") != strlen(num))
			snprintf(out, size, "+%s", num);
		else
			snprintf(out, size, "%s", num);
		break;
	case RK_INDEX:
	case RK_SCORE:
	default:
		number(out, size, c->value, 1, ru);
		break;
	}
}

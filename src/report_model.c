/*
 * The report model of report.h: tables of rows of figures, built by the
 * section builders and read by every output.
 */
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "report.h"

#define TABLES_MAX	64	/* tables in one report */
#define ROWS_MAX	100000	/* rows in one table */

static void
key_copy(char dst[REPORT_KEY_MAX], const char *src)
{
	size_t n = strlen(src);

	if (n >= REPORT_KEY_MAX)
		n = REPORT_KEY_MAX - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

struct rtable *
report_table(struct report *rep, const char *key, const char *title_ru,
    const char *title_en, const struct rcol *cols, size_t ncols)
{
	struct rtable *t;
	size_t	       i;

	if (rep->ntables >= TABLES_MAX)
		fatal("report: more than %d tables", TABLES_MAX);
	if (rep->ntables == rep->cap) {
		rep->cap = rep->cap == 0 ? 8 : rep->cap * 2;
		rep->tables = xreallocarray(rep->tables, rep->cap,
		    sizeof(*rep->tables));
	}
	t = &rep->tables[rep->ntables++];
	memset(t, 0, sizeof(*t));
	key_copy(t->key, key);
	t->title_ru = xstrdup(title_ru);
	t->title_en = xstrdup(title_en != NULL ? title_en : title_ru);
	t->cols = xcalloc(ncols, sizeof(*t->cols));
	for (i = 0; i < ncols; i++) {
		t->cols[i] = cols[i];
		t->cols[i].ru = xstrdup(cols[i].ru);
		t->cols[i].en = xstrdup(cols[i].en != NULL ? cols[i].en :
		    cols[i].ru);
	}
	t->ncols = ncols;
	return t;
}

struct rrow *
report_row(struct rtable *t, const char *key, const char *label_ru,
    const char *label_en)
{
	struct rrow *r;
	size_t	     i;

	if (t->nrows >= ROWS_MAX)
		fatal("report: more than %d rows in %s", ROWS_MAX, t->key);
	if (t->nrows == t->cap) {
		t->cap = t->cap == 0 ? 16 : t->cap * 2;
		t->rows = xreallocarray(t->rows, t->cap, sizeof(*t->rows));
	}
	r = &t->rows[t->nrows++];
	memset(r, 0, sizeof(*r));
	key_copy(r->key, key);
	r->label_ru = xstrdup(label_ru);
	r->label_en = xstrdup(label_en != NULL ? label_en : label_ru);
	r->cells = xcalloc(t->ncols, sizeof(*r->cells));
	for (i = 0; i < t->ncols; i++)
		r->cells[i].supp = RS_NONE;
	return r;
}

void
report_note(struct rtable *t, const char *ru, const char *en)
{
	free(t->note_ru);
	free(t->note_en);
	t->note_ru = xstrdup(ru);
	t->note_en = xstrdup(en != NULL ? en : ru);
}

void
report_set(struct rrow *r, size_t col, double value, int64_t n)
{
	r->cells[col].value = value;
	r->cells[col].n = n;
	r->cells[col].supp = n > 0 ? RS_SHOWN : RS_NONE;
	r->cells[col].exempt = 0;
}

void
report_set_things(struct rrow *r, size_t col, double value, int64_t n)
{
	report_set(r, col, value, n);
	r->cells[col].exempt = 1;
}

void
report_free(struct report *rep)
{
	struct rtable *t;
	size_t	       i, j;

	for (i = 0; i < rep->ntables; i++) {
		t = &rep->tables[i];
		for (j = 0; j < t->nrows; j++) {
			free(t->rows[j].label_ru);
			free(t->rows[j].label_en);
			free(t->rows[j].cells);
		}
		free(t->rows);
		for (j = 0; j < t->ncols; j++) {
			free((char *)t->cols[j].ru);
			free((char *)t->cols[j].en);
		}
		free(t->cols);
		free(t->title_ru);
		free(t->title_en);
		free(t->note_ru);
		free(t->note_en);
	}
	free(rep->tables);
	free(rep->org_slug);
	free(rep->org_name);
	memset(rep, 0, sizeof(*rep));
}

/*
 * Reading the official form (R-REG-8) from a table, the way real orders
 * print it: a header row with the titles of R-REG-7 (wording may vary:
 * "Направление деятельности органа власти"), an optional numbering row
 * 1–6, then entries in which an empty area, process, interaction or
 * features cell means "the same as above" (merged cells), and rows may
 * lack their last cells.  otklik's own extended columns are recognized
 * by their titles.  Every row that cannot be read is reported with its
 * row and column; the caller stores nothing unless there are none.
 */
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "registry.h"
#include "table.h"

#define MAX_NAME 2000
#define MAX_PROBLEMS 1000

enum col {
	C_N, C_AREA, C_PROCESS, C_NAME, C_INTERACTION, C_FEATURES,
	C_EXT,	/* + index in registry_ext_titles */
	C__COUNT = C_EXT + REGISTRY_EXT_COLUMNS
};

static void
problem(struct import_report *rep, long line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
problem(struct import_report *rep, long line, int col, const char *fmt, ...)
{
	va_list ap;
	char   *m;

	if (rep->n >= MAX_PROBLEMS)
		return;
	va_start(ap, fmt);
	if (vasprintf(&m, fmt, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	rep->v = xreallocarray(rep->v, rep->n + 1, sizeof(*rep->v));
	rep->v[rep->n].line = line;
	rep->v[rep->n].col = col;
	rep->v[rep->n].msg = m;
	rep->n++;
}

void
import_report_free(struct import_report *rep)
{
	size_t i;

	for (i = 0; i < rep->n; i++)
		free(rep->v[i].msg);
	free(rep->v);
	memset(rep, 0, sizeof(*rep));
}

/* Which column of the form does a header title name?  -1: none. */
static int
title_col(const char *title)
{
	char *f = utf8_fold(title), *g;
	int   c = -1, i;

	g = str_squeeze(f);
	free(f);
	for (i = 0; i < REGISTRY_EXT_COLUMNS && c < 0; i++) {
		f = utf8_fold(registry_ext_titles[i]);
		if (strcmp(g, f) == 0)
			c = C_EXT + i;
		free(f);
	}
	if (c >= 0)
		goto out;
	if (strcmp(g, "n") == 0 || strcmp(g, "№") == 0 ||
	    strncmp(g, "n п/п", 7) == 0 || strncmp(g, "№ п/п", 8) == 0)
		c = C_N;
	else if (strstr(g, "направлени") && strstr(g, "деятельност"))
		c = C_AREA;
	else if (strstr(g, "процесс"))
		c = C_PROCESS;
	else if (strstr(g, "особенност"))
		c = C_FEATURES;
	else if (strstr(g, "осуществляем") || strstr(g, "потребност"))
		c = C_INTERACTION;
	else if (strstr(g, "точк") && strstr(g, "взаимодейств"))
		c = C_NAME;
out:
	free(g);
	return c;
}

static int
find_header(const struct table *t, size_t *row, int *map, size_t *nmap)
{
	size_t r, c;
	int    k, seen;

	for (r = 0; r < t->nrows && r < 20; r++) {
		seen = 0;
		for (c = 0; c < t->rows[r].ncells; c++) {
			k = title_col(t->rows[r].cells[c]);
			if (k == C_AREA || k == C_PROCESS || k == C_NAME)
				seen |= 1 << k;
		}
		if (seen != ((1 << C_AREA) | (1 << C_PROCESS) | (1 << C_NAME)))
			continue;
		*nmap = t->rows[r].ncells;
		for (c = 0; c < *nmap; c++)
			map[c] = title_col(t->rows[r].cells[c]);
		*row = r;
		return 0;
	}
	return -1;
}

static int
is_numbering(const struct table_row *row)
{
	char   want[24];
	size_t c, filled = 0;

	for (c = 0; c < row->ncells; c++) {
		if (str_empty(row->cells[c]))
			continue;
		snprintf(want, sizeof(want), "%zu", c + 1);
		if (strcmp(row->cells[c], want) != 0)
			return 0;
		filled++;
	}
	return filled >= 3;
}

static int
row_empty(const struct table_row *row)
{
	size_t c;

	for (c = 0; c < row->ncells; c++)
		if (!str_empty(row->cells[c]))
			return 0;
	return 1;
}

static int
parse_flag(const char *s, int *v)
{
	char *f = utf8_fold(s);
	int   r = 0;

	if (str_empty(s))
		*v = -1;
	else if (!strcmp(f, "1") || !strcmp(f, "да") || !strcmp(f, "yes") ||
	    !strcmp(f, "true"))
		*v = 1;
	else if (!strcmp(f, "0") || !strcmp(f, "нет") || !strcmp(f, "no") ||
	    !strcmp(f, "false"))
		*v = 0;
	else
		r = -1;
	free(f);
	return r;
}

static char *
opt_text(char **cell)
{
	return str_empty(cell[0]) ? NULL : xstrdup(cell[0]);
}

/* Reads otklik's extended columns into x; 0, or -1 after a problem. */
static int
read_ext(char **v, const int *colno, struct reg_entry *x, long line,
    struct import_report *rep)
{
	char	  **e = v + C_EXT;
	const int  *n = colno + C_EXT;
	char	   *f;
	int	    ch, flag, bad = 0, i;
	int	   *flags[] = {&x->is_key, &x->low_demand, &x->not_counted};

	if (!str_empty(e[0])) {
		if ((ch = channel_from_code(e[0])) < 0) {
			problem(rep, line, n[0],
			    "«%s» is not a channel type; one of site edms "
			    "email pos phone callcentre reception commission "
			    "social messenger chatbot voice app api post stand "
			    "mfc workplace other", e[0]);
			bad = 1;
		} else {
			x->channel = (enum channel)ch;
			x->kind = channels[ch].kind;
			x->is_key = channels[ch].key;
		}
	}
	if (!str_empty(e[1])) {
		if (strcmp(e[1], "digital") == 0)
			x->kind = KIND_DIGITAL;
		else if (strcmp(e[1], "offline") == 0)
			x->kind = KIND_OFFLINE;
		else {
			problem(rep, line, n[1],
			    "«%s»: the kind is digital or offline", e[1]);
			bad = 1;
		}
		x->kind_explicit = 1;
	}
	if (!str_empty(e[2])) {
		if (strcmp(e[2], "internal") == 0)
			x->client = CLIENT_INTERNAL;
		else if (strcmp(e[2], "external") == 0)
			x->client = CLIENT_EXTERNAL;
		else {
			problem(rep, line, n[2],
			    "«%s»: the client is external or internal", e[2]);
			bad = 1;
		}
	}
	if (!str_empty(e[3])) {
		struct err er;
		char	  *s = str_squeeze(e[3]);

		if (needs_validate(NULL, 0, s, &er) != 0) {
			problem(rep, line, n[3], "%s", er.msg);
			bad = 1;
		}
		free(x->needs);
		x->needs = s;
	}
	for (i = 0; i < 3; i++) {
		if (parse_flag(e[4 + i], &flag) != 0) {
			problem(rep, line, n[4 + i],
			    "«%s»: expected 1 or 0 (да/нет)", e[4 + i]);
			bad = 1;
		} else if (flag >= 0)
			*flags[i] = flag;
	}
	x->phone = opt_text(&e[7]);
	x->email = opt_text(&e[8]);
	x->url = opt_text(&e[9]);
	x->address = opt_text(&e[10]);
	x->room = opt_text(&e[11]);
	x->unit = opt_text(&e[12]);
	if (!str_empty(e[13])) {
		f = e[13];
		if (!strcmp(f, "normative"))
			x->basis = BASIS_NORMATIVE;
		else if (!strcmp(f, "internal"))
			x->basis = BASIS_INTERNAL;
		else if (!strcmp(f, "contract"))
			x->basis = BASIS_CONTRACT;
		else if (!strcmp(f, "directive"))
			x->basis = BASIS_DIRECTIVE;
		else {
			problem(rep, line, n[13],
			    "«%s»: the basis is normative, internal, contract "
			    "or directive", f);
			bad = 1;
		}
	}
	x->basis_ref = opt_text(&e[14]);
	return bad ? -1 : 0;
}

/* The kind the features column states ("цифровая точка"), or -1. */
static int
kind_from_features(const char *features)
{
	char *f = utf8_fold(features);
	int   k = -1;

	if (strstr(f, "цифров") || strstr(f, "онлайн"))
		k = KIND_DIGITAL;
	else if (strstr(f, "офлайн") || strstr(f, "оффлайн"))
		k = KIND_OFFLINE;
	free(f);
	return k;
}

/* Is the text only "цифровая точка" or "офлайн точка"? */
static int
is_kind_phrase(const char *features)
{
	char *f = utf8_fold(features);
	int   r;

	r = strcmp(f, "цифровая точка") == 0 || strcmp(f, "офлайн точка") == 0;
	free(f);
	return r;
}

int
registry_from_table(const struct table *t, const struct import_opts *opts,
    struct registry *reg, struct import_report *rep)
{
	int		  map[TABLE_MAX_COLS + 1], colno[C__COUNT];
	char		 *v[C__COUNT];
	size_t		  hdr, nmap, r, c;
	const struct table_row *row;
	struct reg_entry *x, *prev;
	size_t		  nprev = 0;	/* 1 + index of the entry above */
	int		  k, bad, pos = 0;
	const char	 *empty = "";
	char		 *above[2] = {NULL, NULL};	/* cells 5, 6 above */

	memset(reg, 0, sizeof(*reg));
	memset(rep, 0, sizeof(*rep));
	if (find_header(t, &hdr, map, &nmap) != 0) {
		problem(rep, t->nrows > 0 ? t->rows[0].line : 1, 0,
		    "no header row with the titles of the official form "
		    "(«%s», «%s», «%s» at least) in the first 20 rows",
		    registry_titles[1], registry_titles[2], registry_titles[3]);
		return -1;
	}
	for (c = 0; c < C__COUNT; c++)
		colno[c] = 0;
	for (c = 0; c < nmap; c++) {
		if (map[c] < 0) {
			if (!str_empty(t->rows[hdr].cells[c]))
				problem(rep, t->rows[hdr].line, (int)c + 1,
				    "«%s» is not a column of the official form "
				    "nor one of otklik's own",
				    t->rows[hdr].cells[c]);
			continue;
		}
		if (colno[map[c]] != 0) {
			problem(rep, t->rows[hdr].line, (int)c + 1,
			    "«%s» repeats column %d", t->rows[hdr].cells[c],
			    colno[map[c]]);
			continue;
		}
		colno[map[c]] = (int)c + 1;
	}
	if (rep->n > 0)
		return -1;

	for (r = hdr + 1; r < t->nrows; r++) {
		row = &t->rows[r];
		prev = nprev > 0 ? &reg->v[nprev - 1] : NULL;
		if (row_empty(row) || (r == hdr + 1 && is_numbering(row)))
			continue;
		rep->rows_read++;
		for (k = 0; k < C__COUNT; k++)
			v[k] = (char *)empty;
		bad = 0;
		for (c = 0; c < row->ncells; c++) {
			if (c < nmap && map[c] >= 0) {
				v[map[c]] = row->cells[c];
				continue;
			}
			if (!str_empty(row->cells[c])) {
				problem(rep, row->line, (int)c + 1,
				    "a value in a column without a title");
				bad = 1;
			}
		}
		for (k = C_AREA; k <= C_FEATURES; k++)
			if (strlen(v[k]) > (k < C_INTERACTION ? MAX_NAME
							      : 20000)) {
				problem(rep, row->line, colno[k],
				    "longer than %d characters",
				    k < C_INTERACTION ? MAX_NAME : 20000);
				bad = 1;
			}
		if (str_empty(v[C_NAME])) {
			problem(rep, row->line, colno[C_NAME],
			    "no touchpoint («%s» is empty)", registry_titles[3]);
			continue;
		}
		if (str_empty(v[C_AREA]) && prev == NULL) {
			problem(rep, row->line, colno[C_AREA],
			    "no area («%s») and no row above to take it from",
			    registry_titles[1]);
			bad = 1;
		}
		if (str_empty(v[C_PROCESS]) &&
		    (prev == NULL || !str_empty(v[C_AREA]))) {
			problem(rep, row->line, colno[C_PROCESS],
			    prev == NULL
				? "no process («%s») and no row above to take "
				  "it from"
				: "no process («%s») for a new area",
			    registry_titles[2]);
			bad = 1;
		}
		if (bad)
			continue;

		x = registry_add(reg);
		prev = nprev > 0 ? &reg->v[nprev - 1] : NULL;	/* moved */
		x->pos = ++pos;
		free(x->area);
		free(x->process);
		free(x->name);
		x->area = str_squeeze(str_empty(v[C_AREA]) ? prev->area
							   : v[C_AREA]);
		x->process = str_squeeze(str_empty(v[C_PROCESS]) ? prev->process
								 : v[C_PROCESS]);
		x->name = str_squeeze(v[C_NAME]);
		/* Columns 5 and 6 continue only within one process, as the
		 * cells were written (not as read: "цифровая точка" alone
		 * becomes an empty column 6 and a kind). */
		if (prev != NULL && strcmp(prev->area, x->area) == 0 &&
		    strcmp(prev->process, x->process) == 0) {
			if (str_empty(v[C_INTERACTION]))
				v[C_INTERACTION] = above[0];
			if (str_empty(v[C_FEATURES]))
				v[C_FEATURES] = above[1];
		}
		for (k = 0; k < 2; k++) {
			char *copy = xstrdup(v[C_INTERACTION + k]);

			free(above[k]);
			above[k] = copy;
			v[C_INTERACTION + k] = copy;
		}
		free(x->interaction);
		free(x->features);
		free(x->needs);
		x->interaction = str_squeeze_lines(v[C_INTERACTION]);
		x->features = str_squeeze_lines(v[C_FEATURES]);
		x->needs = needs_from_text(x->interaction);
		x->client = opts != NULL ? opts->client : CLIENT_EXTERNAL;
		x->channel = channel_guess(x->name);
		x->kind = channels[x->channel].kind;
		x->is_key = channels[x->channel].key;
		if ((k = kind_from_features(x->features)) >= 0) {
			x->kind = (enum tp_kind)k;
			x->kind_explicit = x->kind != channels[x->channel].kind;
			/* The words the export writes for an empty column 6. */
			if (is_kind_phrase(x->features)) {
				free(x->features);
				x->features = xstrdup("");
			}
		}
		if (read_ext(v, colno, x, row->line, rep) != 0) {
			reg_entry_clear(x);
			reg->n--;
			pos--;
			continue;
		}
		nprev = reg->n;
	}
	free(above[0]);
	free(above[1]);
	if (rep->n == 0 && reg->n == 0)
		problem(rep, t->nrows > 0 ? t->rows[t->nrows - 1].line : 1, 0,
		    "the table has a header but no entries");
	return rep->n > 0 ? -1 : 0;
}

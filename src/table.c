/*
 * Tables read from files: the choice between the CSV and XLSX readers,
 * the accessors, and the one place where rows are added, so that both
 * readers keep the same limits and say the same thing when one is passed.
 */
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "table.h"

static const unsigned char zip_magic[] = { 'P', 'K', 3, 4 };
static const unsigned char zip_empty[] = { 'P', 'K', 5, 6 };
static const unsigned char cfb_magic[] = {
	0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1
};

enum table_format
table_sniff(const char *data, size_t len)
{
	if (data == NULL)
		return TABLE_CSV;
	if (len >= sizeof(zip_magic) &&
	    (memcmp(data, zip_magic, sizeof(zip_magic)) == 0 ||
	    memcmp(data, zip_empty, sizeof(zip_empty)) == 0))
		return TABLE_XLSX;
	if (len >= sizeof(cfb_magic) &&
	    memcmp(data, cfb_magic, sizeof(cfb_magic)) == 0)
		return TABLE_XLSX;
	return TABLE_CSV;
}

int
table_read(const char *data, size_t len, struct table *t, struct err *e)
{
	if (table_sniff(data, len) == TABLE_XLSX)
		return table_read_xlsx(data, len, t, e);
	return table_read_csv(data, len, t, e);
}

const char *
table_cell(const struct table *t, size_t row, size_t col)
{
	if (t == NULL || row >= t->nrows || col >= t->rows[row].ncells)
		return "";
	return t->rows[row].cells[col];
}

int
table_is_merged(const struct table *t, size_t row, size_t col)
{
	if (t == NULL || t->merged == NULL || row >= t->nrows ||
	    col >= t->rows[row].ncells)
		return 0;
	return t->merged[row][col] != 0;
}

void
table_free(struct table *t)
{
	size_t i;

	if (t == NULL)
		return;
	/* A row's cell pointers, marks and texts are one allocation. */
	for (i = 0; i < t->nrows; i++)
		free(t->rows[i].cells);
	free(t->rows);
	free(t->merged);
	memset(t, 0, sizeof(*t));
}

void
table_colname(size_t col, char out[8])
{
	char   rev[8];
	size_t n = 0, i;

	/* Bijective base 26: 0 is A, 25 is Z, 26 is AA. */
	col++;
	while (col > 0 && n < 7) {
		rev[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	out[n] = '\0';
}

/* Room for one more row: the arrays grow to powers of two from 16. */
static void
table_grow(struct table *t)
{
	size_t n = t->nrows, cap;

	if (n != 0 && (n < 16 || (n & (n - 1)) != 0))
		return;
	cap = n < 16 ? 16 : n * 2;
	t->rows = xreallocarray(t->rows, cap, sizeof(t->rows[0]));
	t->merged = xreallocarray(t->merged, cap, sizeof(t->merged[0]));
}

int
table_add_row(struct table *t, long line, const char **cells,
    const char *merged, size_t ncells, struct err *e)
{
	struct table_row *row;
	size_t		  i, len, total = 0;
	char		 *block, *marks, *text, name[8];
	char		**ptrs;

	if (t->nrows >= TABLE_MAX_ROWS)
		return err_set(e, EXIT_DATAERR, "row %ld: the table has more "
		    "than %d rows, the limit; split it into smaller files",
		    line, TABLE_MAX_ROWS);
	if (ncells > TABLE_MAX_COLS) {
		table_colname(TABLE_MAX_COLS, name);
		return err_set(e, EXIT_DATAERR, "row %ld, column %d (%s): the "
		    "table has more than %d columns, the limit", line,
		    TABLE_MAX_COLS + 1, name, TABLE_MAX_COLS);
	}
	for (i = 0; i < ncells; i++) {
		len = strlen(cells[i]);
		if (len > TABLE_MAX_CELL) {
			table_colname(i, name);
			return err_set(e, EXIT_DATAERR, "row %ld, column %zu "
			    "(%s): the cell holds %zu bytes, more than the "
			    "limit of %d", line, i + 1, name, len,
			    TABLE_MAX_CELL);
		}
		total += len + 1;
	}

	/* Cannot overflow: at most 64 * (8 + 1 + 65537) bytes. */
	block = xmalloc(ncells * sizeof(char *) + ncells + total);
	ptrs = (char **)(void *)block;
	marks = block + ncells * sizeof(char *);
	text = marks + ncells;
	for (i = 0; i < ncells; i++) {
		len = strlen(cells[i]);
		memcpy(text, cells[i], len + 1);
		ptrs[i] = text;
		text += len + 1;
		marks[i] = merged != NULL && merged[i] ? 1 : 0;
	}

	table_grow(t);
	row = &t->rows[t->nrows];
	row->line = line;
	row->ncells = ncells;
	row->cells = ptrs;
	t->merged[t->nrows] = marks;
	t->nrows++;
	return 0;
}

static int
row_has_text(const struct table_row *row)
{
	size_t i;

	for (i = 0; i < row->ncells; i++)
		if (row->cells[i][0] != '\0')
			return 1;
	return 0;
}

void
table_drop_empty_tail(struct table *t)
{
	while (t->nrows > 0 && !row_has_text(&t->rows[t->nrows - 1])) {
		t->nrows--;
		free(t->rows[t->nrows].cells);
	}
	if (t->nrows == 0) {
		free(t->rows);
		free(t->merged);
		t->rows = NULL;
		t->merged = NULL;
	}
}

/*
 * Reading CSV files people bring (RFC 4180 through libcsv) into a struct
 * table.  libcsv knows fields and records but not lines, so the text is
 * fed to it a physical line at a time: that is how a row gets the line
 * number a person sees in an editor, and an error the line to look at.
 */
#include <string.h>

#include <csv.h>

#include "otklik.h"
#include "table.h"

/* At most this much is fed at once, so a long cell is caught early. */
#define PIECE_MAX 65536

struct csv_ctx {
	struct table *t;
	struct err   *e;
	int	      failed;
	long	      line;	  /* the line being fed */
	long	      rec_line;	  /* where the current record began */
	long	      field_line; /* where the current field began */
	int	      between;	  /* no record begun since the last ended */
	struct buf    text;	  /* the record's cells, each NUL-ended */
	size_t	      off[TABLE_MAX_COLS];
	size_t	      ncells;
};

static int
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * "row 3, column 2 (B)", with the line too when it is not the row's
 * first: a quoted cell can span lines.
 */
static const char *
where(const struct csv_ctx *x, long line, char *out, size_t size)
{
	char name[8];

	table_colname(x->ncells, name);
	if (line != x->rec_line)
		snprintf(out, size, "row %ld, line %ld, column %zu (%s)",
		    x->rec_line, line, x->ncells + 1, name);
	else
		snprintf(out, size, "row %ld, column %zu (%s)", x->rec_line,
		    x->ncells + 1, name);
	return out;
}

static void
on_field(void *s, size_t len, void *arg)
{
	struct csv_ctx *x = arg;
	const char     *p = s != NULL ? s : "";
	char		at[128];
	long		bad, line;
	size_t		i;

	if (x->failed)
		return;
	if (x->ncells == TABLE_MAX_COLS) {
		x->failed = 1;
		err_set(x->e, EXIT_DATAERR, "%s: the table has more than %d "
		    "columns, the limit", where(x, x->rec_line, at,
		    sizeof(at)), TABLE_MAX_COLS);
		return;
	}
	if (len > TABLE_MAX_CELL) {
		x->failed = 1;
		err_set(x->e, EXIT_DATAERR, "%s: the cell holds %zu bytes, "
		    "more than the limit of %d", where(x, x->rec_line, at,
		    sizeof(at)), len, TABLE_MAX_CELL);
		return;
	}
	if (memchr(p, '\0', len) != NULL) {
		x->failed = 1;
		err_set(x->e, EXIT_DATAERR, "%s: the cell holds a NUL byte; "
		    "this is not a text file: save the table as \"CSV "
		    "UTF-8\"", where(x, x->rec_line, at, sizeof(at)));
		return;
	}
	if ((bad = utf8_invalid_at(p, len)) >= 0) {
		/* A cell can span lines: find the line of the bad byte. */
		line = x->field_line;
		for (i = 0; i < (size_t)bad; i++)
			if (p[i] == '\n' || (p[i] == '\r' &&
			    (i + 1 >= len || p[i + 1] != '\n')))
				line++;
		x->failed = 1;
		err_set(x->e, EXIT_DATAERR, "%s: byte %ld of the cell (0x%02X) "
		    "is not UTF-8 (is the file in Windows-1251?); save the "
		    "table as \"CSV UTF-8\"", where(x, line, at, sizeof(at)),
		    bad + 1, (unsigned char)p[bad]);
		return;
	}
	/* Line breaks in a cell become "\n", as in an XLSX cell. */
	x->off[x->ncells++] = x->text.len;
	if (memchr(p, '\r', len) == NULL) {
		if (buf_add(&x->text, p, len) == -1)
			i = 0;
		else
			i = len;
	} else for (i = 0; i < len; i++) {
		if (p[i] == '\r' && i + 1 < len && p[i + 1] == '\n')
			continue;
		if (buf_putc(&x->text, p[i] == '\r' ? '\n' : p[i]) == -1)
			break;
	}
	if (i < len || buf_putc(&x->text, '\0') == -1) {
		x->failed = 1;
		err_set(x->e, EXIT_SOFTWARE, "row %ld: the row does not fit "
		    "in memory", x->rec_line);
		return;
	}
	/* A field ends at a separator or a line end, so the next field
	 * starts on the line being fed. */
	x->field_line = x->line;
}

static void
on_record(int c, void *arg)
{
	struct csv_ctx *x = arg;
	const char     *cells[TABLE_MAX_COLS];
	size_t		i;

	if (x->failed)
		return;
	for (i = 0; i < x->ncells; i++)
		cells[i] = x->text.data + x->off[i];
	if (table_add_row(x->t, x->rec_line, cells, NULL, x->ncells,
	    x->e) == -1)
		x->failed = 1;
	buf_reset(&x->text);
	x->ncells = 0;
	x->between = 1;
}

/*
 * The separator: ';' if the first record has at least as many semicolons
 * as commas outside quotes (and one at least), else ','.
 */
static unsigned char
choose_separator(const char *p, size_t len)
{
	size_t i, commas = 0, semis = 0;
	int    quoted = 0, seen = 0;

	for (i = 0; i < len; i++) {
		if (p[i] == '"') {
			quoted = !quoted;	/* "" toggles twice */
			seen = 1;
		} else if (quoted)
			continue;
		else if (p[i] == '\n' || p[i] == '\r') {
			if (seen)
				break;	/* blank lines before it do not count */
		} else {
			if (p[i] == ',')
				commas++;
			else if (p[i] == ';')
				semis++;
			if (p[i] != ' ' && p[i] != '\t')
				seen = 1;
		}
	}
	return semis > 0 && semis >= commas ? ';' : ',';
}

/* Excel's "sep=;" first line: the separator, and the line skipped. */
static size_t
sep_line(const char *p, size_t len, unsigned char *sep)
{
	size_t n = 5;

	if (len < 5 || memcmp(p, "sep=", 4) != 0 || (p[4] != ',' &&
	    p[4] != ';'))
		return 0;
	if (n < len && p[n] == '\r')
		n++;
	if (n < len && p[n] == '\n')
		n++;
	if (n < len && n == 5)
		return 0;	/* "sep=;x": not the hint */
	*sep = (unsigned char)p[4];
	return n;
}

/* The length of the piece starting at p: to the end of its line. */
static size_t
piece_len(const char *p, size_t len, int *eol)
{
	size_t i, max = len < PIECE_MAX ? len : PIECE_MAX;

	*eol = 0;
	for (i = 0; i < max; i++) {
		if (p[i] == '\n') {
			*eol = 1;
			return i + 1;
		}
		if (p[i] == '\r') {
			*eol = 1;
			if (i + 1 < len && p[i + 1] == '\n')
				return i + 2;
			return i + 1;
		}
	}
	return max;
}

static int
has_text(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!is_blank((unsigned char)p[i]))
			return 1;
	return 0;
}

static void
quote_error(struct csv_ctx *x, int quoted)
{
	char at[128];

	where(x, x->line, at, sizeof(at));
	if (!quoted)
		err_set(x->e, EXIT_DATAERR, "%s: a double quote inside a cell "
		    "that does not begin with one; put the whole cell in "
		    "double quotes and write each quote in it twice (\"\")",
		    at);
	else
		err_set(x->e, EXIT_DATAERR, "%s: text after the closing "
		    "double quote of a cell; a quote inside a quoted cell is "
		    "written twice (\"\")", at);
}

int
table_read_csv(const char *data, size_t len, struct table *t, struct err *e)
{
	struct csv_parser p;
	struct csv_ctx	  x;
	const char	 *s = data;
	size_t		  n, done;
	unsigned char	  sep = 0;
	int		  eol, r = -1;
	char		  at[128];

	memset(t, 0, sizeof(*t));
	if (len > TABLE_MAX_FILE)
		return err_set(e, EXIT_DATAERR, "the file is %zu bytes, more "
		    "than the limit of %zu MiB", len, TABLE_MAX_FILE >> 20);
	if (s == NULL)
		s = "";
	if (len >= 2 && (memcmp(s, "\xff\xfe", 2) == 0 ||
	    memcmp(s, "\xfe\xff", 2) == 0))
		return err_set(e, EXIT_DATAERR, "the file is in UTF-16; save "
		    "the table as \"CSV UTF-8\"");
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		s += 3;
		len -= 3;
	}

	memset(&x, 0, sizeof(x));
	x.t = t;
	x.e = e;
	x.line = 1;
	x.between = 1;
	buf_init(&x.text, (size_t)TABLE_MAX_COLS * (TABLE_MAX_CELL + 1));
	if ((n = sep_line(s, len, &sep)) > 0) {
		s += n;
		len -= n;
		x.line = 2;
	} else
		sep = choose_separator(s, len);

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		buf_free(&x.text);
		return err_set(e, EXIT_SOFTWARE, "cannot start the CSV parser");
	}
	csv_set_delim(&p, sep);
	csv_set_blk_size(&p, 4096);

	while (len > 0) {
		n = piece_len(s, len, &eol);
		if (x.between && has_text(s, n)) {
			x.between = 0;
			x.rec_line = x.field_line = x.line;
		}
		done = csv_parse(&p, s, n, on_field, on_record, &x);
		if (x.failed)
			goto out;
		if (done != n || csv_error(&p) != CSV_SUCCESS) {
			if (csv_error(&p) == CSV_EPARSE)
				quote_error(&x, p.quoted);
			else
				err_set(e, EXIT_SOFTWARE, "%s: %s", where(&x,
				    x.line, at, sizeof(at)),
				    csv_strerror(csv_error(&p)));
			goto out;
		}
		/* The cell so far; libcsv drops trailing spaces later. */
		if (p.entry_pos > p.spaces &&
		    p.entry_pos - p.spaces > TABLE_MAX_CELL + 1) {
			err_set(e, EXIT_DATAERR, "%s: the cell that begins "
			    "here is longer than the limit of %d bytes%s",
			    where(&x, x.field_line, at, sizeof(at)),
			    TABLE_MAX_CELL, p.quoted ? "; is its closing "
			    "double quote missing?" : "");
			goto out;
		}
		s += n;
		len -= n;
		if (eol)
			x.line++;
	}
	if (csv_fini(&p, on_field, on_record, &x) != 0) {
		if (csv_error(&p) == CSV_EPARSE) {
			table_colname(x.ncells, at);
			err_set(e, EXIT_DATAERR, "line %ld, column %zu (%s): "
			    "a quoted cell begins on this line and is never "
			    "closed (a double quote is missing)", x.field_line,
			    x.ncells + 1, at);
		}
		else
			err_set(e, EXIT_SOFTWARE, "%s: %s", where(&x, x.line,
			    at, sizeof(at)), csv_strerror(csv_error(&p)));
		goto out;
	}
	if (x.failed)
		goto out;
	table_drop_empty_tail(t);
	r = 0;
out:
	csv_free(&p);
	buf_free(&x.text);
	if (r != 0)
		table_free(t);
	return r;
}

/*
 * Tables read from files people bring: CSV (libcsv) and XLSX (libzip +
 * libxml2).  Both readers give the same thing, rows of text cells with
 * the row number a person sees in the file, so that an import can say
 * "row 12, column 4: …".  Every size has a limit; a file beyond one is
 * refused with a message that says which.
 */
#ifndef OTKLIK_TABLE_H
#define OTKLIK_TABLE_H

#include <stddef.h>

struct err;

struct table_row {
	long	line;	/* row number in the file (1-based), as a person sees it */
	size_t	ncells;
	char  **cells;	/* UTF-8, never NULL; "" for an empty cell */
};

struct table {
	size_t		  nrows;
	struct table_row *rows;
	/* In XLSX, merged ranges are filled: every cell of a range holds the
	 * text of its first cell, and merged[] marks such copies. */
	char		**merged;	/* per row, per cell: 1 if a copy */
};

/* Limits (also the defaults the readers use). */
#define TABLE_MAX_FILE	  ((size_t)16 << 20)	/* bytes of the file */
#define TABLE_MAX_ROWS	  100000
#define TABLE_MAX_COLS	  64
#define TABLE_MAX_CELL	  65536			/* bytes of one cell */
#define XLSX_MAX_UNZIPPED ((size_t)128 << 20)	/* all parts, unpacked */
#define XLSX_MAX_RATIO	  200			/* unpacked / packed per part */
#define XLSX_RATIO_FROM	  ((size_t)1 << 20)	/* bytes, see below */

enum table_format { TABLE_CSV, TABLE_XLSX };

/*
 * Tells CSV from XLSX by content (an XLSX is a ZIP: "PK\3\4").  An OLE
 * compound file (a password-protected workbook, an old .xls) also counts
 * as XLSX, so that the XLSX reader can say what it is.
 */
enum table_format table_sniff(const char *data, size_t len);

/*
 * Both readers fill the table they are given (its old contents are not
 * freed) and, on an error, leave it empty, so table_free() is always
 * right.  Rows without any text at the end of the file are dropped; an
 * empty file gives a table of no rows, which is not an error here.
 */

/*
 * Parses a CSV file: UTF-8 (a BOM is skipped), separator ',' or ';'
 * (chosen from the first line), RFC 4180 quoting.  Invalid UTF-8 is an
 * error naming the row and column.  Returns 0, or -1 with the error.
 *
 * Details: a first line "sep=;" or "sep=," (Excel's hint) sets the
 * separator and is skipped; otherwise ';' is chosen when the first line
 * has at least as many semicolons as commas outside quotes, and at least
 * one.  Spaces and tabs around an unquoted cell are dropped; a quoted
 * cell keeps them.  Lines end with LF, CRLF or CR; blank lines are
 * skipped (they give no row) but counted, so a row's line is the line
 * where its record begins.  A line break inside a quoted cell becomes
 * "\n".  A row has as many cells as its record has fields.  NUL bytes
 * and UTF-16 are refused with a message.
 */
int table_read_csv(const char *data, size_t len, struct table *,
    struct err *);

/*
 * Parses the first worksheet of an XLSX file (shared and inline strings,
 * numbers as written, merged cells filled as described above).  Refuses
 * ZIP bombs: parts that unpack beyond XLSX_MAX_UNZIPPED in total or
 * beyond XLSX_MAX_RATIO times their packed size.
 *
 * Details: "first" is the first worksheet of the tab order that is not
 * hidden (the first worksheet if all are).  Only rows with text (their
 * own or a merged copy) become rows, numbered as in the sheet; a row ends
 * at its last cell with text or merged copy.  Booleans are "1"/"0" and errors
 * "#N/A" and so on, as stored; formulas give their stored result.  A
 * merged range whose first cell is empty is not filled.  The ratio
 * limit applies to parts that unpack to more than XLSX_RATIO_FROM bytes
 * (small parts are harmless whatever their ratio).
 */
int table_read_xlsx(const char *data, size_t len, struct table *,
    struct err *);

/* Either of the two, by table_sniff(). */
int table_read(const char *data, size_t len, struct table *, struct err *);

/* The cell text, or "" past the end of the row. */
const char *table_cell(const struct table *, size_t row, size_t col);
int	    table_is_merged(const struct table *, size_t row, size_t col);
/* The table owns its strings; only table_free() releases them. */
void	    table_free(struct table *);	/* NULL is harmless */

/*
 * For the readers (csv.c, xlsx-read.c) only.  table_add_row() copies a
 * row of ncells strings (merged may be NULL: no copies) to the end of the
 * table, checking TABLE_MAX_ROWS, TABLE_MAX_COLS and TABLE_MAX_CELL; an
 * error names the row and column.  table_drop_empty_tail() removes the
 * rows without text at the end.  table_colname() writes a column's
 * spreadsheet name ("A", "AB") for the 0-based index.
 */
int	    table_add_row(struct table *, long line, const char **cells,
		const char *merged, size_t ncells, struct err *);
void	    table_drop_empty_tail(struct table *);
void	    table_colname(size_t col, char out[8]);

#endif

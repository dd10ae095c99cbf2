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

enum table_format { TABLE_CSV, TABLE_XLSX };

/* Tells CSV from XLSX by content (an XLSX is a ZIP: "PK\3\4"). */
enum table_format table_sniff(const char *data, size_t len);

/*
 * Parses a CSV file: UTF-8 (a BOM is skipped), separator ',' or ';'
 * (chosen from the first line), RFC 4180 quoting.  Invalid UTF-8 is an
 * error naming the row and column.  Returns 0, or -1 with the error.
 */
int table_read_csv(const char *data, size_t len, struct table *,
    struct err *);

/*
 * Parses the first worksheet of an XLSX file (shared and inline strings,
 * numbers as written, merged cells filled as described above).  Refuses
 * ZIP bombs: parts that unpack beyond XLSX_MAX_UNZIPPED in total or
 * beyond XLSX_MAX_RATIO times their packed size.
 */
int table_read_xlsx(const char *data, size_t len, struct table *,
    struct err *);

/* Either of the two, by table_sniff(). */
int table_read(const char *data, size_t len, struct table *, struct err *);

/* The cell text, or "" past the end of the row. */
const char *table_cell(const struct table *, size_t row, size_t col);
int	    table_is_merged(const struct table *, size_t row, size_t col);
void	    table_free(struct table *);

#endif

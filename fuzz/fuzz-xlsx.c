/*
 * libFuzzer target for the XLSX reader (table_read_xlsx, R-REG-8): a ZIP
 * of XML parts from anyone is refused with a message or read into a table
 * that keeps the promises of table.h (limits, UTF-8, rising row numbers,
 * merged copies equal to some cell of the table), without a crash, a
 * leak, a ZIP bomb going off or undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "table.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct table t;
	struct err   e;
	size_t	     r, c, len, text;
	long	     prev = 0;

	err_clear(&e);
	if (table_read_xlsx((const char *)data, size, &t, &e) != 0) {
		if (e.code != EXIT_DATAERR || e.msg[0] == '\0' ||
		    t.nrows != 0 || t.rows != NULL)
			abort();
		table_free(&t);
		return 0;
	}
	if (t.nrows > TABLE_MAX_ROWS)
		abort();
	for (r = 0; r < t.nrows; r++) {
		if (t.rows[r].line <= prev || t.rows[r].ncells > TABLE_MAX_COLS)
			abort();
		prev = t.rows[r].line;
		for (c = text = 0; c < t.rows[r].ncells; c++) {
			len = strlen(t.rows[r].cells[c]);
			if (len > TABLE_MAX_CELL ||
			    utf8_invalid_at(t.rows[r].cells[c], len) != -1)
				abort();
			/* A merged copy is never empty: its first cell had
			 * text, or the range was not filled. */
			if (table_is_merged(&t, r, c) && len == 0)
				abort();
			text += len;
		}
		if (r + 1 == t.nrows && text == 0)
			abort();
	}
	table_free(&t);
	return 0;
}

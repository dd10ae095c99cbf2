/*
 * The table as text, for the tests of the readers (see table-text.h).
 */
#include <stdint.h>

#include "otklik.h"
#include "table.h"
#include "table-text.h"

char *
table_text(const struct table *t)
{
	struct buf  b;
	size_t	    r, c;
	const char *s;

	buf_init(&b, SIZE_MAX / 2);
	buf_puts(&b, "");
	for (r = 0; r < t->nrows; r++) {
		buf_printf(&b, "%ld:", t->rows[r].line);
		for (c = 0; c < t->rows[r].ncells; c++) {
			if (c > 0)
				buf_putc(&b, '|');
			if (table_is_merged(t, r, c))
				buf_putc(&b, '*');
			for (s = t->rows[r].cells[c]; *s != '\0'; s++) {
				if (*s == '\n')
					buf_puts(&b, "\\n");
				else if (*s == '\r')
					buf_puts(&b, "\\r");
				else
					buf_putc(&b, *s);
			}
		}
		buf_putc(&b, '\n');
	}
	return buf_detach(&b);
}

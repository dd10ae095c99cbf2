/*
 * Unit tests of the CSV reader (csv.c) and of what it shares with the
 * XLSX reader (table.c): each case is an input beside the table it must
 * give, written one row a line as "LINE:cell|cell", or beside the words
 * its error must contain.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "otklik.h"
#include "table.h"
#include "table-text.h"

struct csv_case {
	const char *name;
	const char *in;
	size_t	    len;	/* 0: strlen(in) */
	const char *want;	/* the table, or NULL for an error */
	const char *err;	/* words of the error */
};

static const struct csv_case cases[] = {
	{ "comma", "a,b,c\n1,2,3\n", 0, "1:a|b|c\n2:1|2|3\n", NULL },
	{ "quoted comma, newline, quotes",
	  "\"a,b\",\"x\ny\",\"say \"\"hi\"\"\"\nlast,row,here\n", 0,
	  "1:a,b|x\\ny|say \"hi\"\n3:last|row|here\n", NULL },
	{ "semicolon",
	  "N;Наименование;Точка\n1;Справка, выписка;МФЦ\n", 0,
	  "1:N|Наименование|Точка\n2:1|Справка, выписка|МФЦ\n", NULL },
	{ "semicolon wins a tie", "a,b;c\n", 0, "1:a,b|c\n", NULL },
	{ "comma wins a majority", "a,b,c;d\n", 0, "1:a|b|c;d\n", NULL },
	{ "separators in quotes do not count", "\"a;b;c\",d\n", 0,
	  "1:a;b;c|d\n", NULL },
	{ "separator from the first non-blank line", "\n\na;b,c\n", 0,
	  "3:a|b,c\n", NULL },
	{ "sep= hint", "sep=;\na,b;c\n", 0, "2:a,b|c\n", NULL },
	{ "sep= hint with CRLF", "sep=,\r\na;b,c\r\n", 0, "2:a;b|c\n", NULL },
	{ "BOM", "\xef\xbb\xbf" "a;b\n", 0, "1:a|b\n", NULL },
	{ "CRLF", "a,b\r\nc,d\r\n", 0, "1:a|b\n2:c|d\n", NULL },
	{ "CR alone", "a\rb\r", 0, "1:a\n2:b\n", NULL },
	{ "line breaks in a cell become LF", "\"x\r\ny\rz\",w\n", 0,
	  "1:x\\ny\\nz|w\n", NULL },
	{ "blank lines counted, not kept", "a\n\n  \nb\n", 0, "1:a\n4:b\n",
	  NULL },
	{ "row after a multi-line record", "\"1\n2\n3\",x\nnext\n", 0,
	  "1:1\\n2\\n3|x\n4:next\n", NULL },
	{ "record starting mid-file spans lines", "h\n\"a\n\nb\",c\nd\n", 0,
	  "1:h\n2:a\\n\\nb|c\n5:d\n", NULL },
	{ "empty rows at the end dropped", "a;b\n;\n;;\n\n", 0, "1:a|b\n",
	  NULL },
	{ "empty row inside kept", "a;b\n;\nc;d\n", 0, "1:a|b\n2:|\n3:c|d\n",
	  NULL },
	{ "no final newline", "a,b", 0, "1:a|b\n", NULL },
	{ "short rows", "a;b;c\n1;2\n", 0, "1:a|b|c\n2:1|2\n", NULL },
	{ "spaces around unquoted cells dropped", " a , b ,\" c \"\n", 0,
	  "1:a|b| c \n", NULL },
	{ "empty quoted cell", "\"\",x\n", 0, "1:|x\n", NULL },
	{ "empty file", "", 0, "", NULL },
	{ "only a BOM", "\xef\xbb\xbf", 0, "", NULL },
	{ "only blank lines", "\n\n  \r\n", 0, "", NULL },

	{ "broken UTF-8", "a;b\nc;d\ne;\xff\n", 0, NULL,
	  "row 3, column 2 (B): byte 1 of the cell (0xFF) is not UTF-8" },
	{ "broken UTF-8 on the second line of a cell",
	  "a;b\n\"x\ny\xc3\";z\n", 0, NULL,
	  "row 2, line 3, column 1 (A): byte 4" },
	{ "Windows-1251", "\xc8\xec\xff;\xd4\xe0\xec\xe8\xeb\xe8\xff\n", 0,
	  NULL, "row 1, column 1 (A)" },
	{ "Windows-1251 suggested", "a\n\xc8\n", 0, NULL, "Windows-1251" },
	{ "unterminated quote", "a,b\nc,\"open\nmore\n", 0, NULL,
	  "line 2, column 2 (B): a quoted cell begins on this line and is "
	  "never closed" },
	{ "unterminated quote after a multi-line record",
	  "a,\"b\nc\"\n\n\nd,\"e\n\n", 0, NULL,
	  "line 5, column 2 (B): a quoted cell" },
	{ "quote inside an unquoted cell", "a,b\"c\n", 0, NULL,
	  "row 1, column 2 (B): a double quote inside a cell that does not "
	  "begin with one" },
	{ "text after a closing quote", "x\na,\"b\"c\n", 0, NULL,
	  "row 2, column 2 (B): text after the closing double quote" },
	{ "NUL byte", "a,b\0c\n", 6, NULL,
	  "row 1, column 2 (B): the cell holds a NUL byte" },
	{ "UTF-16", "\xff\xfe" "a\0", 4, NULL, "UTF-16" },
};

static void
run_case(const struct csv_case *c)
{
	struct table t;
	struct err   e;
	size_t	     len = c->len != 0 ? c->len : strlen(c->in);
	char	    *got;
	int	     r;

	err_clear(&e);
	r = table_read_csv(c->in, len, &t, &e);
	if (c->want != NULL) {
		if (r != 0)
			fail_msg("%s: unexpected error: %s", c->name, e.msg);
		got = table_text(&t);
		if (strcmp(got, c->want) != 0)
			fail_msg("%s:\nwant:\n%s\ngot:\n%s", c->name, c->want,
			    got);
		free(got);
	} else {
		if (r == 0)
			fail_msg("%s: no error, expected \"%s\"", c->name,
			    c->err);
		if (strstr(e.msg, c->err) == NULL)
			fail_msg("%s: error \"%s\" lacks \"%s\"", c->name,
			    e.msg, c->err);
		assert_int_equal(e.code, EXIT_DATAERR);
		assert_int_equal(t.nrows, 0);
		assert_null(t.rows);
	}
	table_free(&t);
}

static void
test_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < nitems(cases); i++)
		run_case(&cases[i]);
}

/* A CSV of n rows of cols cells "x", each row on its own line. */
static char *
grid(size_t rows, size_t cols, size_t *len)
{
	struct buf b;
	size_t	   r, c;

	buf_init(&b, SIZE_MAX / 2);
	for (r = 0; r < rows; r++)
		for (c = 0; c < cols; c++)
			buf_puts(&b, c + 1 < cols ? "x;" : "x\n");
	*len = b.len;
	return buf_detach(&b);
}

static void
expect_error(const char *in, size_t len, const char *words)
{
	struct table t;
	struct err   e;

	err_clear(&e);
	if (table_read_csv(in, len, &t, &e) == 0)
		fail_msg("no error, expected \"%s\"", words);
	if (strstr(e.msg, words) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", e.msg, words);
	assert_int_equal(t.nrows, 0);
	table_free(&t);
}

static void
expect_rows(const char *in, size_t len, size_t nrows)
{
	struct table t;
	struct err   e;

	err_clear(&e);
	if (table_read_csv(in, len, &t, &e) != 0)
		fail_msg("unexpected error: %s", e.msg);
	assert_int_equal(t.nrows, nrows);
	table_free(&t);
}

static void
test_limit_columns(void **state)
{
	size_t len;
	char  *s;

	(void)state;
	s = grid(2, TABLE_MAX_COLS, &len);
	expect_rows(s, len, 2);
	free(s);
	s = grid(2, TABLE_MAX_COLS + 1, &len);
	expect_error(s, len, "row 1, column 65 (BM): the table has more than "
	    "64 columns, the limit");
	free(s);
}

static void
test_limit_cell(void **state)
{
	char  *s;
	size_t n = TABLE_MAX_CELL + 1;

	(void)state;
	/* "a\n" then a cell of n bytes, unquoted, then quoted. */
	s = xmalloc(n + 8);
	memcpy(s, "a\nb,", 4);
	memset(s + 4, 'x', n);
	expect_error(s, n + 4, "row 2, column 2 (B): the cell");
	expect_error(s, n + 4, "the limit of 65536");
	expect_rows(s, n + 3, 2);	/* one byte less is fine */
	memset(s + n + 3, ' ', 4);	/* spaces after it are dropped */
	expect_rows(s, n + 7, 2);
	free(s);
	s = xmalloc(n + 8);
	memcpy(s, "a\nb,\"", 5);
	memset(s + 5, 'x', n);
	memcpy(s + n + 5, "\"\n", 2);
	expect_error(s, n + 7, "row 2, column 2 (B)");
	free(s);

	/* An open quote swallowing the rest of a long file. */
	s = grid(20000, 4, &n);
	s[2] = '"';
	expect_error(s, n, "is its closing double quote missing?");
	free(s);
}

static void
test_limit_rows(void **state)
{
	size_t len;
	char  *s;

	(void)state;
	s = grid(TABLE_MAX_ROWS, 1, &len);
	expect_rows(s, len, TABLE_MAX_ROWS);
	free(s);
	s = grid(TABLE_MAX_ROWS + 1, 1, &len);
	expect_error(s, len, "row 100001: the table has more than 100000 "
	    "rows, the limit");
	free(s);
}

static void
test_limit_file(void **state)
{
	char *s;

	(void)state;
	s = xmalloc(TABLE_MAX_FILE + 1);
	memset(s, '\n', TABLE_MAX_FILE + 1);
	expect_error(s, TABLE_MAX_FILE + 1, "more than the limit of 16 MiB");
	expect_rows(s, TABLE_MAX_FILE, 0);
	free(s);
}

static void
test_access(void **state)
{
	struct table t;
	struct err   e;

	(void)state;
	assert_int_equal(table_read_csv("a;b\nc\n", 6, &t, &e), 0);
	assert_string_equal(table_cell(&t, 0, 1), "b");
	assert_string_equal(table_cell(&t, 1, 0), "c");
	assert_string_equal(table_cell(&t, 1, 1), "");	/* past the row */
	assert_string_equal(table_cell(&t, 5, 0), "");	/* past the table */
	assert_int_equal(table_is_merged(&t, 0, 1), 0);
	assert_int_equal(table_is_merged(&t, 9, 9), 0);
	assert_non_null(t.merged);
	table_free(&t);
	table_free(&t);	/* twice is harmless */
	table_free(NULL);
	assert_string_equal(table_cell(NULL, 0, 0), "");
}

static void
test_dispatch(void **state)
{
	struct table t;
	struct err   e;

	(void)state;
	assert_int_equal(table_sniff("a,b", 3), TABLE_CSV);
	assert_int_equal(table_sniff("PK\3\4rest", 8), TABLE_XLSX);
	assert_int_equal(table_sniff("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8),
	    TABLE_XLSX);
	assert_int_equal(table_sniff("PK", 2), TABLE_CSV);
	assert_int_equal(table_sniff(NULL, 0), TABLE_CSV);

	assert_int_equal(table_read("x;y\n", 4, &t, &e), 0);
	assert_int_equal(t.nrows, 1);
	assert_string_equal(table_cell(&t, 0, 1), "y");
	table_free(&t);
	/* A ZIP that is not one: the XLSX reader answers. */
	assert_int_equal(table_read("PK\3\4garbage", 11, &t, &e), -1);
	assert_non_null(strstr(e.msg, "ZIP"));
}

static void
test_colname(void **state)
{
	static const struct {
		size_t	    col;
		const char *name;
	} v[] = {
		{ 0, "A" }, { 25, "Z" }, { 26, "AA" }, { 51, "AZ" },
		{ 52, "BA" }, { 63, "BL" }, { 701, "ZZ" }, { 702, "AAA" },
		{ 16383, "XFD" },
	};
	char   out[8];
	size_t i;

	(void)state;
	for (i = 0; i < nitems(v); i++) {
		table_colname(v[i].col, out);
		assert_string_equal(out, v[i].name);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_limit_columns),
		cmocka_unit_test(test_limit_cell),
		cmocka_unit_test(test_limit_rows),
		cmocka_unit_test(test_limit_file),
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_dispatch),
		cmocka_unit_test(test_colname),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * For the tests of the table readers: a table as text, one row a line,
 * "LINE:cell|cell"; a merged copy is marked "*", a line break in a cell
 * is written "\\n" and a CR "\\r".  The caller frees the text.
 */
#ifndef OTKLIK_TEST_TABLE_TEXT_H
#define OTKLIK_TEST_TABLE_TEXT_H

struct table;
char *table_text(const struct table *);

#endif

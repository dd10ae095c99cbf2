/*
 * Unit tests of buf.c: growth, the hard maximum, formatting, files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "otklik.h"

static void
test_grow(void **state)
{
	struct buf b;
	int	   i;

	(void)state;
	buf_init(&b, 1 << 20);
	for (i = 0; i < 10000; i++)
		assert_int_equal(buf_printf(&b, "%04d", i % 10000), 0);
	assert_int_equal(b.len, 40000);
	assert_memory_equal(b.data + 39996, "9999", 4);
	assert_int_equal(b.data[b.len], '\0');
	buf_free(&b);
}

static void
test_limit(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "12345678"), 0);
	assert_int_equal(buf_putc(&b, 'x'), -1);
	assert_int_equal(buf_printf(&b, "%d", 1), -1);
	/* A failed append leaves the buffer as it was. */
	assert_string_equal(buf_str(&b), "12345678");
	buf_reset(&b);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_add(&b, "abc", SIZE_MAX), -1);
	buf_free(&b);
}

static void
test_detach(void **state)
{
	struct buf b;
	char	  *s;

	(void)state;
	buf_init(&b, 100);
	s = buf_detach(&b);
	assert_string_equal(s, "");
	free(s);
	buf_puts(&b, "привет");
	s = buf_detach(&b);
	assert_string_equal(s, "привет");
	assert_null(b.data);
	free(s);
}

static void
test_files(void **state)
{
	struct buf b, c;
	struct err e;
	char	   path[] = "/tmp/otklik-buf-XXXXXX";
	int	   fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	buf_init(&b, 100);
	buf_puts(&b, "line 1\nline 2\n");
	assert_int_equal(buf_write_file(&b, path, &e), 0);
	buf_init(&c, 100);
	assert_int_equal(buf_read_file(&c, path, &e), 0);
	assert_string_equal(buf_str(&c), "line 1\nline 2\n");
	buf_free(&c);
	/* Over the limit: an error that says so. */
	buf_init(&c, 4);
	assert_int_equal(buf_read_file(&c, path, &e), -1);
	assert_int_equal(e.code, EXIT_DATAERR);
	assert_non_null(strstr(e.msg, "larger than the limit"));
	buf_free(&c);
	unlink(path);
	assert_int_equal(buf_read_file(&c, path, &e), -1);
	assert_int_equal(e.code, EXIT_NOINPUT);
	buf_free(&b);
}

static void
test_text(void **state)
{
	static const struct {
		const char *in, *squeezed;
	} sq[] = {
		{"  a   b  ", "a b"}, {"", ""}, {"\t\nx\r\n", "x"},
		{"Телефон  +7\n(347)", "Телефон +7 (347)"},
	};
	char   *s;
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(sq); i++) {
		s = str_squeeze(sq[i].in);
		assert_string_equal(s, sq[i].squeezed);
		free(s);
	}
	assert_true(str_empty(NULL));
	assert_true(str_empty(" \t"));
	assert_false(str_empty(" x"));
	s = utf8_fold("ЭЛЕКТРОННАЯ Почта Ёлка");
	assert_string_equal(s, "электронная почта елка");
	free(s);
	assert_int_equal(utf8_invalid_at("abc", 3), -1);
	assert_int_equal(utf8_invalid_at("ab\xff", 3), 2);
	assert_int_equal(utf8_invalid_at("Ж\xd0", 3), 2);
	assert_int_equal(utf8_invalid_at("\xed\xa0\x80", 3), 0); /* surrogate */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

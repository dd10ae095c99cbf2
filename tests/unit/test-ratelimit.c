/*
 * Unit tests of ratelimit.c: the limit per address and window, windows
 * that end, addresses kept apart, the table's fixed size under a flood of
 * addresses, no address kept in its memory, and many threads at once.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "otklik.h"
#include "ratelimit.h"

static void
test_limit(void **state)
{
	struct ratelimit *rl = ratelimit_new(1024, 3, 600);
	int		  i;

	(void)state;
	for (i = 0; i < 3; i++)
		assert_int_equal(ratelimit_take(rl, "192.0.2.1", 1000 + i), 0);
	/* Over the limit: the wait is what is left of the window, which
	 * started at 1000. */
	assert_int_equal(ratelimit_take(rl, "192.0.2.1", 1010), 590);
	assert_int_equal(ratelimit_peek(rl, "192.0.2.1", 1020), 580);
	assert_int_equal(ratelimit_take(rl, "192.0.2.1", 1599), 1);
	/* A refusal is not counted: the window still ends at 1600. */
	assert_int_equal(ratelimit_take(rl, "192.0.2.1", 1600), 0);
	assert_int_equal(ratelimit_take(rl, "192.0.2.1", 1601), 0);
	assert_int_equal(ratelimit_take(rl, "192.0.2.1", 1602), 0);
	assert_true(ratelimit_take(rl, "192.0.2.1", 1603) > 0);
	ratelimit_free(rl);
}

/* A look counts nothing, and makes no entry. */
static void
test_peek(void **state)
{
	struct ratelimit *rl = ratelimit_new(1024, 2, 60);
	int		  i;

	(void)state;
	for (i = 0; i < 10; i++)
		assert_int_equal(ratelimit_peek(rl, "192.0.2.3", 0), 0);
	assert_int_equal(ratelimit_used(rl), 0);
	assert_int_equal(ratelimit_take(rl, "192.0.2.3", 0), 0);
	assert_int_equal(ratelimit_peek(rl, "192.0.2.3", 0), 0);
	assert_int_equal(ratelimit_take(rl, "192.0.2.3", 0), 0);
	assert_int_equal(ratelimit_peek(rl, "192.0.2.3", 0), 60);
	assert_int_equal(ratelimit_take(rl, "192.0.2.3", 30), 30);
	assert_int_equal(ratelimit_peek(rl, "192.0.2.3", 60), 0);
	ratelimit_free(rl);
}

static void
test_addresses_apart(void **state)
{
	struct ratelimit *rl = ratelimit_new(1024, 2, 60);

	(void)state;
	assert_int_equal(ratelimit_take(rl, "192.0.2.1", 0), 0);
	assert_int_equal(ratelimit_take(rl, "192.0.2.1", 0), 0);
	assert_true(ratelimit_take(rl, "192.0.2.1", 0) > 0);
	assert_int_equal(ratelimit_take(rl, "192.0.2.2", 0), 0);
	assert_int_equal(ratelimit_take(rl, "2001:db8::1", 0), 0);
	assert_int_equal(ratelimit_take(rl, "2001:db8::1", 1), 0);
	assert_true(ratelimit_take(rl, "2001:db8::1", 2) > 0);
	assert_int_equal(ratelimit_used(rl), 3);
	ratelimit_free(rl);
	ratelimit_free(NULL);
}

/* A flood of addresses: the table stays its size, and the newest
 * address is still limited. */
static void
test_bounded(void **state)
{
	struct ratelimit *rl = ratelimit_new(64, 1, 600);
	char		  a[32];
	int		  i;

	(void)state;
	for (i = 0; i < 10000; i++) {
		snprintf(a, sizeof(a), "10.0.%d.%d", i / 256, i % 256);
		assert_int_equal(ratelimit_take(rl, a, i / 100), 0);
	}
	assert_true(ratelimit_used(rl) <= 64);
	assert_true(ratelimit_take(rl, a, 100) > 0);
	ratelimit_free(rl);
}

/* The address is hashed, with a key of the table's own: neither its
 * text nor its binary form is anywhere in the table. */
static void
test_no_address(void **state)
{
	struct ratelimit    *rl = ratelimit_new(8, 5, 600);
	const unsigned char  bin[4] = {203, 0, 113, 77};
	const unsigned char *mem;
	size_t		     n, i;

	(void)state;
	assert_int_equal(ratelimit_take(rl, "203.0.113.77", 5), 0);
	assert_int_equal(ratelimit_used(rl), 1);
	mem = ratelimit_table(rl, &n);
	assert_true(n >= 8);
	for (i = 0; i + 4 <= n; i++) {
		assert_memory_not_equal(mem + i, bin, 4);
		if (i + 7 <= n)
			assert_memory_not_equal(mem + i, "203.0.1", 7);
	}
	ratelimit_free(rl);
}

/* Two tables (two processes) hash the same address under different
 * keys: what one holds says nothing about the other's. */
static void
test_keyed(void **state)
{
	struct ratelimit *a = ratelimit_new(8, 1, 600);
	struct ratelimit *b = ratelimit_new(8, 1, 600);
	const void	 *ta, *tb;
	size_t		  na, nb;

	(void)state;
	ratelimit_take(a, "198.51.100.7", 0);
	ratelimit_take(b, "198.51.100.7", 0);
	ta = ratelimit_table(a, &na);
	tb = ratelimit_table(b, &nb);
	assert_int_equal(na, nb);
	assert_memory_not_equal(ta, tb, na);
	ratelimit_free(a);
	ratelimit_free(b);
}

struct worker {
	struct ratelimit *rl;
	int		  allowed;
};

static void *
hammer(void *p)
{
	struct worker *w = p;
	int	       i;

	for (i = 0; i < 5000; i++)
		if (ratelimit_take(w->rl, "192.0.2.9", 7) == 0)
			w->allowed++;
	return NULL;
}

/* Eight threads on one address: exactly the limit gets through. */
static void
test_threads(void **state)
{
	struct ratelimit *rl = ratelimit_new(1024, 1000, 600);
	struct worker	  w[8];
	pthread_t	  t[8];
	int		  i, sum = 0;

	(void)state;
	for (i = 0; i < 8; i++) {
		w[i].rl = rl;
		w[i].allowed = 0;
		assert_int_equal(pthread_create(&t[i], NULL, hammer, &w[i]), 0);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		sum += w[i].allowed;
	}
	assert_int_equal(sum, 1000);
	ratelimit_free(rl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_peek),
		cmocka_unit_test(test_addresses_apart),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_no_address),
		cmocka_unit_test(test_keyed),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

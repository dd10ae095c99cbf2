/*
 * Unit tests of audit.c: appends chain, verification finds edits,
 * deletions and a cut tail, and a rolled-back append leaves no trace.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "otklik.h"
#include "audit.h"
#include "db.h"

static char path[64];

static struct db *
fresh(void)
{
	struct db *db;
	struct err e;
	int	   fd;

	snprintf(path, sizeof(path), "/tmp/otklik-audit-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	db = db_open(path, &e);
	assert_non_null(db);
	assert_true(db_migrate(db, &e) >= 1);
	return db;
}

static void
gone(struct db *db)
{
	char p[80];

	db_close(db);
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

static void
append_n(struct db *db, int n)
{
	struct err e;
	char	   obj[32];
	int	   i;

	for (i = 0; i < n; i++) {
		snprintf(obj, sizeof(obj), "thing:%d", i);
		assert_int_equal(db_begin(db), 0);
		assert_int_equal(audit_append(db, "tester", 1, "test.add", obj,
				     i % 2 ? "{\"a\":1}" : NULL, "{\"a\":2}", &e),
		    0);
		assert_int_equal(db_commit(db), 0);
	}
}

static void
test_intact(void **state)
{
	struct audit_report r;
	struct err	    e;
	struct db	   *db = fresh();

	(void)state;
	assert_int_equal(audit_verify(db, &r, &e), 0);
	assert_int_equal(r.entries, 0);
	append_n(db, 50);
	assert_int_equal(audit_verify(db, &r, &e), 0);
	assert_int_equal(r.entries, 50);
	assert_int_equal(strlen(r.head), 64);
	gone(db);
}

static void
test_tamper(void **state)
{
	static const struct {
		const char *sql;
		int64_t	    bad;
		const char *reason;
	} t[] = {
		{"UPDATE audit SET after_json = '{\"a\":3}' WHERE seq = 7", 7,
		    "altered"},
		{"UPDATE audit SET at = at + 1 WHERE seq = 1", 1, "altered"},
		{"UPDATE audit SET before_json = NULL WHERE seq = 4", 4,
		    "altered"},
		{"DELETE FROM audit WHERE seq = 5", 5, "missing"},
		{"UPDATE audit SET seq = seq + 100 WHERE seq = 9", 9, "missing"},
		{"UPDATE audit SET prev_hash = hash WHERE seq = 3", 3,
		    "does not follow"},
		{"DELETE FROM audit WHERE seq = 10", 10, "removed from the end"},
	};
	struct audit_report r;
	struct err	    e;
	struct db	   *db;
	size_t		    i;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		db = fresh();
		append_n(db, 10);
		assert_int_equal(db_exec(db, t[i].sql), 0);
		assert_int_equal(audit_verify(db, &r, &e), 1);
		assert_int_equal(r.first_bad, t[i].bad);
		assert_non_null(strstr(r.reason, t[i].reason));
		gone(db);
	}
}

static void
test_rollback(void **state)
{
	struct audit_report r;
	struct err	    e;
	struct db	   *db = fresh();

	(void)state;
	append_n(db, 3);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(audit_append(db, "x", 1, "a", "b", NULL, NULL, &e), 0);
	assert_int_equal(db_rollback(db), 0);
	append_n(db, 2);
	assert_int_equal(audit_verify(db, &r, &e), 0);
	assert_int_equal(r.entries, 5);
	gone(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intact),
		cmocka_unit_test(test_tamper),
		cmocka_unit_test(test_rollback),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests of ingest.c, the writer of the write path: a job is woken
 * only once its batch is committed (another connection sees its row by
 * then); a failing job is rolled back alone; a lost transaction fails
 * every job of its batch; the queue is bounded; stopping drains it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>

#include <cmocka.h>

#include "otklik.h"
#include "db.h"
#include "http.h"
#include "ingest.h"

#define NJOBS 200

/* What a job does, and what the test saw when it was woken. */
enum act { ACT_OK, ACT_FAIL, ACT_BREAK };
struct tjob {
	struct ingest_job j;
	struct req	  r;
	int		  n;
	enum act	  act;
	int		  woken;
	int		  visible;	/* its row, seen from another connection */
	int		  failed;
	int		  code;
};

static char		dbpath[64];
static pthread_mutex_t	lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	cond = PTHREAD_COND_INITIALIZER;
static int		nwoken;

static int
count_rows(const char *where_n)
{
	struct err	e;
	struct db      *db = db_open(dbpath, &e);
	struct db_stmt *s;
	int		n = -1;

	assert_non_null(db);
	s = db_prepare(db, "SELECT count(*) FROM t WHERE n = ? OR ? = ''",
	    "it", (int64_t)(where_n != NULL ? atoi(where_n) : -1),
	    where_n != NULL ? "x" : "");
	if (s != NULL && db_step(s) == DB_ROW)
		n = (int)db_col_int(s, 0);
	db_finalize(s);
	db_close(db);
	return n;
}

static int
job_write(struct req *r, struct db *db, struct err *e)
{
	struct tjob *t = r->job;

	if (db_run(db, NULL, "INSERT INTO t (n) VALUES (?)", "i",
		(int64_t)t->n) != 0)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	switch (t->act) {
	case ACT_OK:
		return 0;
	case ACT_FAIL:
		return err_set(e, EXIT_DATAERR, "job %d: refused", t->n);
	case ACT_BREAK:
		/* What a backend does on some errors: the whole transaction
		 * is gone, not only this job's savepoint. */
		db_exec(db, "ROLLBACK");
		return err_set(e, EXIT_IOERR, "job %d: the disk is full", t->n);
	}
	return -1;
}

static void
job_wake(struct ingest_job *j)
{
	struct tjob *t = j->arg;
	char	     n[16];

	snprintf(n, sizeof(n), "%d", t->n);
	t->visible = count_rows(n);
	t->failed = j->failed;
	t->code = j->failed ? j->e.code : 0;
	pthread_mutex_lock(&lock);
	t->woken = 1;
	nwoken++;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
}

static void
wait_woken(int n)
{
	pthread_mutex_lock(&lock);
	while (nwoken < n)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
}

static void
job_init(struct tjob *t, int n, enum act act)
{
	memset(t, 0, sizeof(*t));
	t->n = n;
	t->act = act;
	t->r.job = t;
	t->j.req = &t->r;
	t->j.write = job_write;
	t->j.wake = job_wake;
	t->j.arg = t;
}

static int
setup(void **state)
{
	struct err  e;
	struct db  *db;
	struct ingest_config cfg = {0};

	(void)state;
	snprintf(dbpath, sizeof(dbpath), "/tmp/otklik-ingest-%d.db",
	    (int)getpid());
	unlink(dbpath);
	db = db_open(dbpath, &e);
	assert_non_null(db);
	assert_int_equal(db_exec(db, "CREATE TABLE t (n INTEGER NOT NULL)"),
	    0);
	db_close(db);
	nwoken = 0;
	cfg.dbpath = dbpath;
	cfg.queue_max = NJOBS;
	cfg.linger_us = -1;
	assert_int_equal(ingest_start(&cfg, &e), 0);
	return 0;
}

static int
teardown(void **state)
{
	char p[80];

	(void)state;
	ingest_stop();
	unlink(dbpath);
	snprintf(p, sizeof(p), "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", dbpath);
	unlink(p);
	return 0;
}

/* Every job is woken after its row is committed; a refused one alone
 * is rolled back. */
static void
test_commit_then_wake(void **state)
{
	static struct tjob t[NJOBS];
	int		   i;

	(void)state;
	for (i = 0; i < NJOBS; i++) {
		job_init(&t[i], i, i % 7 == 3 ? ACT_FAIL : ACT_OK);
		assert_int_equal(ingest_reserve(), 0);
	}
	for (i = 0; i < NJOBS; i++)
		ingest_submit(&t[i].j);
	wait_woken(NJOBS);
	for (i = 0; i < NJOBS; i++) {
		assert_true(t[i].woken);
		if (i % 7 == 3) {
			assert_int_equal(t[i].failed, 1);
			assert_int_equal(t[i].code, EXIT_DATAERR);
			assert_int_equal(t[i].visible, 0);
		} else {
			assert_int_equal(t[i].failed, 0);
			assert_int_equal(t[i].visible, 1);
		}
	}
	assert_int_equal(count_rows(NULL), NJOBS - (NJOBS + 3) / 7);
}

/* A lost transaction: nothing of the batch is stored, and every job of
 * it says so — never "stored" for a row that is not. */
static void
test_broken_batch(void **state)
{
	static struct tjob t[3];
	int		   i;

	(void)state;
	job_init(&t[0], 1000, ACT_OK);
	job_init(&t[1], 1001, ACT_BREAK);
	job_init(&t[2], 1002, ACT_OK);
	for (i = 0; i < 3; i++)
		assert_int_equal(ingest_reserve(), 0);
	for (i = 0; i < 3; i++)
		ingest_submit(&t[i].j);
	wait_woken(3);
	for (i = 0; i < 3; i++) {
		/* In the broken batch or, for a job taken alone before it, in
		 * a committed one: either way the answer matches the disk. */
		assert_int_equal(t[i].visible, t[i].failed ? 0 : 1);
		if (t[i].failed && i != 1)
			assert_int_equal(t[i].code, EXIT_IOERR);
	}
	assert_int_equal(t[1].failed, 1);
	assert_int_equal(t[1].visible, 0);
	assert_int_equal(count_rows(NULL), !t[0].failed + !t[2].failed);
}

/* The queue holds queue_max; past that, reserve refuses until the
 * writer has answered some. */
static void
test_bounded(void **state)
{
	static struct tjob t[NJOBS];
	int		   i;

	(void)state;
	for (i = 0; i < NJOBS; i++)
		assert_int_equal(ingest_reserve(), 0);
	assert_int_equal(ingest_reserve(), -1);
	for (i = 0; i < NJOBS; i++) {
		job_init(&t[i], i, ACT_OK);
		ingest_submit(&t[i].j);
	}
	wait_woken(NJOBS);
	/* Depth goes down just after the wakes. */
	for (i = 0; i < 1000 && ingest_reserve() != 0; i++)
		usleep(1000);
	assert_true(i < 1000);
	job_init(&t[0], 5000, ACT_OK);
	ingest_submit(&t[0].j);
	wait_woken(NJOBS + 1);
	assert_int_equal(t[0].visible, 1);
}

/* Stopping commits and answers what is queued, then refuses. */
static void
test_stop_drains(void **state)
{
	static struct tjob t[50];
	struct buf	   m;
	int		   i;

	(void)state;
	for (i = 0; i < 50; i++) {
		job_init(&t[i], i, ACT_OK);
		assert_int_equal(ingest_reserve(), 0);
		ingest_submit(&t[i].j);
	}
	ingest_stop();
	assert_int_equal(nwoken, 50);
	for (i = 0; i < 50; i++)
		assert_int_equal(t[i].visible, 1);
	assert_int_equal(ingest_reserve(), -1);
	buf_init(&m, 1 << 20);
	ingest_metrics(&m);
	assert_non_null(strstr(buf_str(&m), "otklik_ingest_queue_depth 0\n"));
	assert_non_null(strstr(buf_str(&m), "otklik_ingest_refused_total"));
	buf_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commit_then_wake, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_broken_batch, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_drains, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

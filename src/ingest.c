/*
 * The writer thread of the write path: group commit.  HTTP threads
 * validate a request, reserve a place in a bounded queue, suspend the
 * connection and queue the job; this thread takes what has queued up (at
 * most batch_max), runs every job's write() under its own savepoint in
 * one transaction, commits, and only then wakes the jobs so that their
 * answers go out.  "201 Created" therefore always means "on disk", and a
 * burst of N messages costs about N / batch fsyncs instead of N.
 *
 * A batch is not held open on a timer when the load is low: the first
 * request after a quiet spell is committed at once.  Under load the time
 * the previous commit took is itself the window in which the next batch
 * gathers; on top of that the writer lingers a little (a quarter of the
 * last commit, at most linger_us) when the last batch held more than one
 * request, which collects the requests of clients that were answered
 * together and come back together, instead of committing the first of
 * them alone.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "otklik.h"
#include "db.h"
#include "feedback.h"
#include "ingest.h"

#define CONF_CACHE   64		/* organizations whose fb_conf is kept */
#define CONF_MAX_AGE 60		/* seconds before it is read again */

/* Commit latency buckets of /metrics, in seconds. */
static const double cbuckets[] = {0.0005, 0.001, 0.002, 0.005, 0.01,
    0.025, 0.05, 0.1, 0.25, 1};
#define NCBUCKETS nitems(cbuckets)

struct conf_slot {
	int64_t		org_id;
	int64_t		loaded;		/* clock_now() when read */
	struct fb_conf *conf;
};

static struct writer {
	struct ingest_config cfg;
	struct db	    *db;
	pthread_t	     thread;
	int		     running;

	pthread_mutex_t	     lock;	/* everything below up to stats */
	pthread_cond_t	     wake;
	struct ingest_job   *head, *tail;
	int		     queued;	/* submitted, not yet taken */
	int		     depth;	/* reserved and not yet answered */
	int		     stopping;

	/* Only the writer thread touches these. */
	struct conf_slot     confs[CONF_CACHE];
	int64_t		     last_commit_us;
	int		     last_batch;

	/* Counters for /metrics. */
	atomic_ulong	     batches, rows, rows_failed, batches_failed;
	atomic_ulong	     refused;	/* queue full */
	atomic_ulong	     chist[NCBUCKETS + 1];
	atomic_ulong	     commit_us;
	atomic_ulong	     write_us;	/* in write() and savepoints */
	atomic_int	     max_batch;
} w = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

static int64_t
now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

const struct fb_conf *
ingest_conf(int64_t org_id, struct err *e)
{
	struct conf_slot *s, *oldest = &w.confs[0];
	int64_t		  now = clock_now();
	size_t		  i;

	for (i = 0; i < CONF_CACHE; i++) {
		s = &w.confs[i];
		if (s->conf != NULL && s->org_id == org_id) {
			if (now - s->loaded < CONF_MAX_AGE)
				return s->conf;
			oldest = s;	/* stale: read it again, here */
			break;
		}
		if (s->conf == NULL || s->loaded < oldest->loaded)
			oldest = s;
	}
	fb_conf_free(oldest->conf);
	oldest->conf = fb_conf_load(w.db, org_id, e);
	oldest->org_id = org_id;
	oldest->loaded = now;
	return oldest->conf;
}

int
ingest_reserve(void)
{
	int ok;

	pthread_mutex_lock(&w.lock);
	ok = w.running && !w.stopping && w.depth < w.cfg.queue_max;
	if (ok)
		w.depth++;
	pthread_mutex_unlock(&w.lock);
	if (!ok)
		w.refused++;
	return ok ? 0 : -1;
}

void
ingest_submit(struct ingest_job *j)
{
	clock_gettime(CLOCK_MONOTONIC, &j->queued);
	j->next = NULL;
	j->failed = 0;
	pthread_mutex_lock(&w.lock);
	if (w.tail != NULL)
		w.tail->next = j;
	else
		w.head = j;
	w.tail = j;
	w.queued++;
	pthread_cond_signal(&w.wake);
	pthread_mutex_unlock(&w.lock);
}

static void
job_fail(struct ingest_job *j, int code, const char *msg)
{
	j->failed = 1;
	err_set(&j->e, code, "%s", msg);
}

static void
count_commit(int64_t us)
{
	double secs = (double)us / 1e6;
	size_t b;

	for (b = 0; b < NCBUCKETS && secs > cbuckets[b]; b++)
		;
	w.chist[b]++;
	w.commit_us += (unsigned long)us;
}

/*
 * One transaction for the batch, a savepoint per job: a job whose write()
 * fails is rolled back alone and the others still commit.  If the
 * transaction itself is lost (a failed statement of the backend can roll
 * back everything, a commit can fail), every job of the batch fails: an
 * answer may say "not stored" for a message that was, never the reverse.
 * The savepoint statements go through db_run, which keeps them prepared.
 */
static void
run_batch(struct ingest_job **jobs, int n)
{
	int64_t t0, t1, tw = now_us();
	int	i, ok = 0, broken = 0;

	if (db_begin(w.db) != 0) {
		fprintf(stderr, "otklik: ingest: cannot begin: %s\n",
		    db_errmsg(w.db));
		for (i = 0; i < n; i++)
			job_fail(jobs[i], EXIT_IOERR, "the database is busy");
		w.batches_failed++;
		return;
	}
	for (i = 0; i < n && !broken; i++) {
		struct ingest_job *j = jobs[i];

		err_clear(&j->e);
		if (db_run(w.db, NULL, "SAVEPOINT ingest", "") != 0) {
			broken = 1;
			break;
		}
		if (j->write(j->req, w.db, &j->e) == 0) {
			if (db_run(w.db, NULL, "RELEASE ingest", "") != 0)
				broken = 1;
			continue;
		}
		j->failed = 1;
		if (j->e.code == 0)
			j->e.code = EXIT_SOFTWARE;
		if (db_run(w.db, NULL, "ROLLBACK TO ingest", "") != 0 ||
		    db_run(w.db, NULL, "RELEASE ingest", "") != 0)
			broken = 1;
	}
	t0 = now_us();
	w.write_us += (unsigned long)(t0 - tw);
	if (!broken && db_commit(w.db) != 0)
		broken = 1;
	t1 = now_us();
	if (broken) {
		fprintf(stderr, "otklik: ingest: a batch of %d failed: %s\n",
		    n, db_errmsg(w.db));
		db_rollback(w.db);
		for (i = 0; i < n; i++)
			if (!jobs[i]->failed)
				job_fail(jobs[i], EXIT_IOERR, "the batch could "
				    "not be committed");
		w.batches_failed++;
		w.rows_failed += (unsigned long)n;
		return;
	}
	for (i = 0; i < n; i++)
		ok += !jobs[i]->failed;
	w.batches++;
	w.rows += (unsigned long)ok;
	w.rows_failed += (unsigned long)(n - ok);
	if (n > w.max_batch)
		w.max_batch = n;
	w.last_commit_us = t1 - t0;
	count_commit(t1 - t0);
}

/*
 * Waits, when the load says it is worth it, for the batch to fill: at
 * most a quarter of the last commit's time (capped by linger_us), and not
 * at all after a batch of one.  Called and returns with the lock held.
 */
static void
linger(void)
{
	struct timespec until;
	int64_t		us;

	if (w.last_batch <= 1 || w.cfg.linger_us <= 0 || w.stopping)
		return;
	us = w.last_commit_us / 4;
	if (us > w.cfg.linger_us)
		us = w.cfg.linger_us;
	if (us < 50)
		return;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_nsec += (long)(us * 1000);
	until.tv_sec += until.tv_nsec / 1000000000;
	until.tv_nsec %= 1000000000;
	while (w.queued < w.cfg.batch_max && w.queued < w.last_batch &&
	    !w.stopping)
		if (pthread_cond_timedwait(&w.wake, &w.lock, &until) ==
		    ETIMEDOUT)
			break;
}

static void *
writer_main(void *arg)
{
	struct ingest_job **jobs;
	int		    n, i;

	(void)arg;
	jobs = xreallocarray(NULL, (size_t)w.cfg.batch_max, sizeof(*jobs));
	for (;;) {
		pthread_mutex_lock(&w.lock);
		/* A job reserved but not yet queued keeps the writer up. */
		while (w.head == NULL && !(w.stopping && w.depth == 0))
			pthread_cond_wait(&w.wake, &w.lock);
		if (w.head == NULL) {
			pthread_mutex_unlock(&w.lock);
			break;
		}
		linger();
		for (n = 0; n < w.cfg.batch_max && w.head != NULL; n++) {
			jobs[n] = w.head;
			w.head = w.head->next;
		}
		if (w.head == NULL)
			w.tail = NULL;
		w.queued -= n;
		pthread_mutex_unlock(&w.lock);

		run_batch(jobs, n);
		w.last_batch = n;
		/* wake() hands a job back: it may be freed at once. */
		for (i = 0; i < n; i++)
			jobs[i]->wake(jobs[i]);
		pthread_mutex_lock(&w.lock);
		w.depth -= n;
		pthread_mutex_unlock(&w.lock);
	}
	free(jobs);
	return NULL;
}

int
ingest_start(const struct ingest_config *cfg, struct err *e)
{
	pthread_condattr_t ca;

	if (w.running)
		return err_set(e, EXIT_SOFTWARE, "the writer runs already");
	w.cfg = *cfg;
	if (w.cfg.batch_max <= 0)
		w.cfg.batch_max = INGEST_BATCH_MAX;
	if (w.cfg.queue_max <= 0)
		w.cfg.queue_max = INGEST_QUEUE_MAX;
	if (w.cfg.linger_us < 0)
		w.cfg.linger_us = INGEST_LINGER_MAX;
	if ((w.db = db_open(cfg->dbpath, e)) == NULL)
		return -1;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w.wake, &ca);
	pthread_condattr_destroy(&ca);
	w.stopping = 0;
	if (pthread_create(&w.thread, NULL, writer_main, NULL) != 0) {
		db_close(w.db);
		w.db = NULL;
		return err_set(e, EXIT_SOFTWARE, "cannot start the writer "
		    "thread");
	}
	w.running = 1;
	return 0;
}

void
ingest_stop(void)
{
	size_t i;

	if (!w.running)
		return;
	pthread_mutex_lock(&w.lock);
	w.stopping = 1;
	pthread_cond_signal(&w.wake);
	pthread_mutex_unlock(&w.lock);
	pthread_join(w.thread, NULL);
	pthread_mutex_lock(&w.lock);
	w.running = 0;
	pthread_mutex_unlock(&w.lock);
	for (i = 0; i < CONF_CACHE; i++) {
		fb_conf_free(w.confs[i].conf);
		w.confs[i].conf = NULL;
	}
	db_close(w.db);
	w.db = NULL;
	pthread_cond_destroy(&w.wake);
}

void
ingest_metrics(struct buf *b)
{
	unsigned long cum = 0;
	size_t	      i;
	int	      depth;

	pthread_mutex_lock(&w.lock);
	depth = w.depth;
	pthread_mutex_unlock(&w.lock);
	buf_printf(b, "# HELP otklik_ingest_batches_total Transactions "
		      "committed by the writer.\n"
		      "# TYPE otklik_ingest_batches_total counter\n"
		      "otklik_ingest_batches_total %lu\n",
	    (unsigned long)w.batches);
	buf_printf(b, "# HELP otklik_ingest_batches_failed_total Batches "
		      "whose transaction failed.\n"
		      "# TYPE otklik_ingest_batches_failed_total counter\n"
		      "otklik_ingest_batches_failed_total %lu\n",
	    (unsigned long)w.batches_failed);
	buf_printf(b, "# HELP otklik_ingest_rows_total Requests committed.\n"
		      "# TYPE otklik_ingest_rows_total counter\n"
		      "otklik_ingest_rows_total %lu\n",
	    (unsigned long)w.rows);
	buf_printf(b, "# HELP otklik_ingest_rows_failed_total Requests "
		      "refused or rolled back by the writer.\n"
		      "# TYPE otklik_ingest_rows_failed_total counter\n"
		      "otklik_ingest_rows_failed_total %lu\n",
	    (unsigned long)w.rows_failed);
	buf_printf(b, "# HELP otklik_ingest_refused_total Requests refused "
		      "because the queue was full.\n"
		      "# TYPE otklik_ingest_refused_total counter\n"
		      "otklik_ingest_refused_total %lu\n",
	    (unsigned long)w.refused);
	buf_printf(b, "# HELP otklik_ingest_queue_depth Requests waiting for "
		      "their batch.\n# TYPE otklik_ingest_queue_depth gauge\n"
		      "otklik_ingest_queue_depth %d\n", depth);
	buf_printf(b, "# HELP otklik_ingest_batch_max Most requests in one "
		      "batch so far.\n# TYPE otklik_ingest_batch_max gauge\n"
		      "otklik_ingest_batch_max %d\n", (int)w.max_batch);
	buf_printf(b, "# HELP otklik_ingest_write_seconds_total Time the "
		      "writer spent storing requests, before the commits.\n"
		      "# TYPE otklik_ingest_write_seconds_total counter\n"
		      "otklik_ingest_write_seconds_total %.6f\n",
	    (double)w.write_us / 1e6);
	buf_puts(b, "# HELP otklik_ingest_commit_seconds Time of a batch's "
		    "commit.\n# TYPE otklik_ingest_commit_seconds histogram\n");
	for (i = 0; i < NCBUCKETS; i++) {
		cum += w.chist[i];
		buf_printf(b, "otklik_ingest_commit_seconds_bucket{le=\"%g\"} "
			      "%lu\n", cbuckets[i], cum);
	}
	cum += w.chist[NCBUCKETS];
	buf_printf(b, "otklik_ingest_commit_seconds_bucket{le=\"+Inf\"} %lu\n"
		      "otklik_ingest_commit_seconds_sum %.6f\n"
		      "otklik_ingest_commit_seconds_count %lu\n",
	    cum, (double)w.commit_us / 1e6, cum);
}

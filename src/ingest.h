/*
 * The write path (DESIGN.md, "Write path"): one writer thread per server
 * process takes the requests that http.c hands it (req_defer) and commits
 * them in batches, one transaction per batch and a savepoint per request,
 * so that a burst costs one fsync per batch rather than one per message,
 * and a request's answer is sent only once its batch is durable.
 *
 * The queue is bounded; a request that finds it full is answered 503 by
 * its handler.  http.c owns the connections: the writer only runs each
 * job's write() and then calls its wake(), which resumes the connection
 * so that the HTTP thread answers it.
 */
#ifndef OTKLIK_INGEST_H
#define OTKLIK_INGEST_H

#include <stdint.h>
#include <time.h>

#include "otklik.h"

struct buf;
struct db;
struct fb_conf;
struct req;

/* Defaults; "otklik serve" can change them. */
#define INGEST_BATCH_MAX  512	/* requests in one transaction */
#define INGEST_QUEUE_MAX  10000	/* requests waiting, in all */
#define INGEST_LINGER_MAX 2000	/* microseconds a batch may wait to fill */

/*
 * One deferred request, owned by the caller (http.c keeps it in its
 * per-request state) until wake() has been called.
 */
struct ingest_job {
	struct req	  *req;
	int		 (*write)(struct req *, struct db *, struct err *);
	/* After the batch: failed and e say how it went.  Runs on the
	 * writer thread, so it must only hand the job back (resume). */
	void		 (*wake)(struct ingest_job *);
	void		  *arg;		/* for wake */
	int		   failed;	/* 0: committed; 1: e holds why not */
	struct err	   e;
	struct timespec	   queued;
	struct ingest_job *next;
};

struct ingest_config {
	const char *dbpath;
	int	    batch_max;	/* 0: INGEST_BATCH_MAX */
	int	    queue_max;	/* 0: INGEST_QUEUE_MAX */
	int	    linger_us;	/* < 0: INGEST_LINGER_MAX */
};

/* Opens the writer's own database connection and starts the thread. */
int  ingest_start(const struct ingest_config *, struct err *);
/*
 * Commits everything queued, answers it, and ends the thread; from then
 * on ingest_reserve() refuses.  Harmless when not started.
 */
void ingest_stop(void);

/*
 * Takes a place in the queue, before the connection is suspended (so
 * that a full queue can still be answered at once).  Returns 0, or -1
 * when the queue is full or the writer is not running.
 */
int  ingest_reserve(void);
/* Queues a job on the place reserved for it. */
void ingest_submit(struct ingest_job *);

/*
 * An organization's fb_conf, cached by the writer and reloaded when older
 * than a minute.  Only for write() callbacks, on the writer thread.
 * NULL with e filled when it cannot be loaded.
 */
const struct fb_conf *ingest_conf(int64_t org_id, struct err *);

/* The writer's counters in the Prometheus text format (/metrics). */
void ingest_metrics(struct buf *);

#endif

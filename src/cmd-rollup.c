/*
 * otklik rollup rebuild: works the rollups of the analysis (rollup.h) out
 * again from the detail rows, for one organization or for all, and says
 * how many rows it read and wrote and how long it took.
 */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "otklik.h"
#include "audit.h"
#include "cmd.h"
#include "db.h"
#include "org.h"
#include "rollup.h"

/* Progress on a terminal only: a log or a pipe gets the summary. */
static void
show_progress(void *arg, int64_t done, int64_t total)
{
	(void)arg;
	fprintf(stderr, "\rrollup: %lld of %lld rows", (long long)done,
	    (long long)total);
	if (done >= total)
		fputc('\n', stderr);
	fflush(stderr);
}

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
audit(struct cmd_ctx *c, const struct org *o, const struct rollup_stats *st,
    struct err *e)
{
	json_t *j;
	char   *after, obj[64];
	int	r;

	j = json_pack("{s:I, s:I, s:I}", "messages", (json_int_t)st->messages,
	    "responses", (json_int_t)st->responses, "rows",
	    (json_int_t)st->rows);
	after = j != NULL ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	if (after == NULL)
		return err_set(e, EXIT_SOFTWARE, "rollup: out of memory");
	snprintf(obj, sizeof(obj), "%s%.50s", o != NULL ? "org:" : "rollups",
	    o != NULL ? o->slug : "");
	if (db_begin(c->db) != 0) {
		free(after);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(c->db));
	}
	r = audit_append(c->db, c->actor, o != NULL ? o->id : 0,
	    "rollup.rebuild", obj, NULL, after, e);
	free(after);
	if (r == 0 && db_commit(c->db) != 0)
		r = err_set(e, EXIT_IOERR, "%s", db_errmsg(c->db));
	if (r != 0)
		db_rollback(c->db);
	return r;
}

static int
cmd_rollup_rebuild_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct rollup_stats st;
	struct org	   *o = NULL;
	struct err	    e;
	double		    t0, t;
	int		    r;

	(void)argc;
	(void)argv;
	err_clear(&e);
	if (c->org_slug != NULL && (o = org_find(c->db, c->org_slug, &e)) ==
	    NULL)
		return cmd_error(&e);
	t0 = seconds();
	r = rollup_rebuild(c->db, o != NULL ? o->id : 0, &st,
	    isatty(STDERR_FILENO) ? show_progress : NULL, NULL, &e);
	t = seconds() - t0;
	if (r != 0 || audit(c, o, &st, &e) != 0) {
		org_free(o);
		return cmd_error(&e);
	}
	printf("%s: read %lld messages and %lld responses, wrote %lld rollup "
	    "rows in %.2f s\n", o != NULL ? o->slug : "all organizations",
	    (long long)st.messages, (long long)st.responses,
	    (long long)st.rows, t);
	org_free(o);
	return EXIT_OK;
}

const struct cmd_entry cmd_rollup_rebuild_entry = {
	.name = "rollup rebuild",
	.args = "",
	.summary = "work the analysis rollups out again from the messages "
		   "and answers",
	.help = "The rollups (tables an_*) that reports read are kept up to "
		"date as messages and\nsurvey answers are written; this works "
		"them out again from those rows, in one\ntransaction: after "
		"an organization's zone or standards changed, or after rows\n"
		"were written around the application. With --org SLUG (or "
		"$OTKLIK_ORG) only\nthat organization's; without, every "
		"organization's. Prints the rows read and\nwritten and the "
		"time taken; on a terminal, progress goes to standard error.",
	.flags = CMD_DB,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_rollup_rebuild_exec,
};

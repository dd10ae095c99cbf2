/*
 * otklik audit list: the audit log, newest last, optionally filtered.
 */
#include <string.h>

#include "otklik.h"
#include "cmd.h"
#include "db.h"

static const struct cmd_opt opts[] = {
	{"since", "DATE", "entries from this date (YYYY-MM-DD, UTC)"},
	{"action", "PREFIX", "entries whose action starts so (registry., org.)"},
	{"limit", "N", "at most N entries, the latest (default 100)"},
	{NULL, NULL, NULL},
};

static int
cmd_audit_list_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct db_stmt *s;
	char		when[21], like[128];
	int64_t		since = 0, limit = 100;
	int		r;

	(void)argc;
	(void)argv;
	if (cmd_opt(c, 0) && time_parse(cmd_opt(c, 0), &since) != 0)
		return cmd_fail(EXIT_USAGE, "--since %s: expected YYYY-MM-DD",
		    cmd_opt(c, 0));
	if (cmd_opt(c, 2) &&
	    cmd_parse_int("--limit", cmd_opt(c, 2), 1, 1000000, &limit) != 0)
		return EXIT_USAGE;
	snprintf(like, sizeof(like), "%s%%", cmd_opt(c, 1) ? cmd_opt(c, 1) : "");
	s = db_prepare(c->db,
	    "SELECT seq, at, actor, action, object, after_json FROM ("
	    "SELECT * FROM audit WHERE at >= ? AND action LIKE ? "
	    "ORDER BY seq DESC LIMIT ?) AS a ORDER BY seq",
	    "iti", since, like, limit);
	if (s == NULL)
		return cmd_fail(EXIT_IOERR, "%s", db_errmsg(c->db));
	while ((r = db_step(s)) == DB_ROW) {
		time_format(db_col_int(s, 1), when);
		printf("%lld\t%s\t%s\t%s\t%s\t%s\n",
		    (long long)db_col_int(s, 0), when, db_col_text(s, 2),
		    db_col_text(s, 3), db_col_text(s, 4),
		    db_col_null(s, 5) ? "-" : db_col_text(s, 5));
	}
	db_finalize(s);
	return r == DB_FAIL ? cmd_fail(EXIT_IOERR, "%s", db_errmsg(c->db))
			    : EXIT_OK;
}

const struct cmd_entry cmd_audit_list_entry = {
	.name = "audit list",
	.args = "",
	.summary = "show the audit log (sequence, time, who, action, object, "
		   "after)",
	.opts = opts,
	.flags = CMD_DB,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_audit_list_exec,
};

/*
 * otklik audit verify: walks the hash chain of the audit log and says
 * where it breaks, if it does.  Prints the head hash, which can be kept
 * outside the database to detect a log cut short together with its head.
 */
#include "otklik.h"
#include "audit.h"
#include "cmd.h"

static int
cmd_audit_verify_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct audit_report r;
	struct err	    e;
	int		    v;

	(void)argc;
	(void)argv;
	err_clear(&e);
	if ((v = audit_verify(c->db, &r, &e)) < 0)
		return cmd_error(&e);
	if (v == 1) {
		printf("audit log BROKEN: %s\n", r.reason);
		return EXIT_FOUND;
	}
	printf("audit log intact: %lld entries, head %s\n",
	    (long long)r.entries, r.head);
	return EXIT_OK;
}

const struct cmd_entry cmd_audit_verify_entry = {
	.name = "audit verify",
	.args = "",
	.summary = "check that no audit entry was altered or removed",
	.help = "Exit status 0 if the chain is intact, 1 if an entry was "
		"altered, removed or\ninserted (the first such entry is "
		"named).",
	.flags = CMD_DB,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_audit_verify_exec,
};

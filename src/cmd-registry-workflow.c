/*
 * The workflow of R-REG-4 on the command line: list changes, submit a
 * draft, verify it against the checks, include changes as a new version,
 * or return a change to its author with a comment.
 */
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "cmd.h"
#include "org.h"
#include "registry.h"

static const struct cmd_opt changes_opts[] = {
	{"state", "STATE", "draft, submitted, returned, included or "
			   "withdrawn"},
	{NULL, NULL, NULL},
};

static int
cmd_registry_changes_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct reg_change *v;
	struct err	   e;
	char		   trig[64];
	int		   n, i, state = -1;

	(void)argc;
	(void)argv;
	if (cmd_opt(c, 0) != NULL) {
		state = change_state_parse(cmd_opt(c, 0));
		if (state < 0)
			return cmd_fail(EXIT_USAGE, "--state %s: one of draft, "
			    "submitted, returned, included, withdrawn",
			    cmd_opt(c, 0));
	}
	if ((n = registry_changes(c->db, c->org->id, state, &v, &e)) < 0)
		return cmd_error(&e);
	for (i = 0; i < n; i++) {
		triggers_format(v[i].triggers, trig, sizeof(trig));
		printf("%lld\t%s\t%s\t%lld\t%s\t%s\t%s\t%s\n",
		    (long long)v[i].id, change_op_name(v[i].op),
		    change_state_name(v[i].state), (long long)v[i].touchpoint_id,
		    v[i].author, *trig ? trig : "-",
		    v[i].entry.name[0] ? v[i].entry.name : "-",
		    v[i].comment ? v[i].comment : "");
		reg_change_clear(&v[i]);
	}
	free(v);
	return EXIT_OK;
}

const struct cmd_entry cmd_registry_changes_entry = {
	.name = "registry changes",
	.args = "",
	.summary = "list changes: id, operation, state, touchpoint, author, "
		   "triggers, name, comment",
	.opts = changes_opts,
	.flags = CMD_ORG,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_registry_changes_exec,
};

static int
change_id(const char *arg, int64_t *id)
{
	return cmd_parse_int("change id", arg, 1, INT64_MAX, id);
}

static int
cmd_registry_submit_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err e;
	int64_t	   id;

	(void)argc;
	if (change_id(argv[0], &id) != 0)
		return EXIT_USAGE;
	if (registry_submit(c->db, c->org, c->actor, id, &e) != 0)
		return cmd_error(&e);
	printf("change %lld submitted for verification\n", (long long)id);
	return EXIT_OK;
}

const struct cmd_entry cmd_registry_submit_entry = {
	.name = "registry submit",
	.args = "ID",
	.summary = "submit a drafted (or returned) change for verification",
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_registry_submit_exec,
};

static int
cmd_registry_verify_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct reg_findings found;
	struct err	    e;
	int64_t		    id;
	int		    errors;

	(void)argc;
	if (change_id(argv[0], &id) != 0)
		return EXIT_USAGE;
	if (registry_verify(c->db, c->org, id, &found, &e) != 0)
		return cmd_error(&e);
	printf("change %lld: the registry with it\n", (long long)id);
	findings_print(stdout, &found);
	errors = found.errors;
	findings_free(&found);
	return errors > 0 ? EXIT_FOUND : EXIT_OK;
}

const struct cmd_entry cmd_registry_verify_entry = {
	.name = "registry verify",
	.args = "ID",
	.summary = "run the checks on the registry as a change would make it",
	.help = "Exit status 1 if the change would bring errors, which block "
		"its inclusion.",
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_registry_verify_exec,
};

static int
cmd_registry_include_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct reg_findings found;
	struct err	    e;
	int64_t		   *ids, version;
	int		    i, r = EXIT_OK;

	ids = xcalloc((size_t)argc, sizeof(*ids));
	for (i = 0; i < argc; i++)
		if (change_id(argv[i], &ids[i]) != 0) {
			free(ids);
			return EXIT_USAGE;
		}
	if (registry_include(c->db, c->org, c->actor, ids, (size_t)argc,
		&version, &found, &e) != 0) {
		if (found.n > 0)
			findings_print(stderr, &found);
		r = cmd_error(&e);
	} else {
		if (found.n > 0)
			findings_print(stdout, &found);
		printf("included as version %lld\n", (long long)version);
	}
	findings_free(&found);
	free(ids);
	return r;
}

const struct cmd_entry cmd_registry_include_entry = {
	.name = "registry include",
	.args = "ID...",
	.summary = "include submitted changes as a new version of the registry",
	.help = "The changes are checked together; an error refuses them all "
		"(exit 65). Each\nincluded change records its actualization "
		"trigger: new, kind, needs,\nexclusion, or edit for other "
		"corrections.",
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1000,
	.exec = cmd_registry_include_exec,
};

static int
cmd_registry_withdraw_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err e;
	int64_t	   id;

	(void)argc;
	if (change_id(argv[0], &id) != 0)
		return EXIT_USAGE;
	if (registry_withdraw(c->db, c->org, c->actor, id, &e) != 0)
		return cmd_error(&e);
	printf("change %lld withdrawn\n", (long long)id);
	return EXIT_OK;
}

const struct cmd_entry cmd_registry_withdraw_entry = {
	.name = "registry withdraw",
	.args = "ID",
	.summary = "take back a draft or a returned change",
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_registry_withdraw_exec,
};

static const struct cmd_opt return_opts[] = {
	{"comment", "TEXT", "why the change goes back (required)"},
	{NULL, NULL, NULL},
};

static int
cmd_registry_return_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err e;
	int64_t	   id;

	(void)argc;
	if (change_id(argv[0], &id) != 0)
		return EXIT_USAGE;
	if (registry_return(c->db, c->org, c->actor, id, cmd_opt(c, 0), &e) !=
	    0)
		return cmd_error(&e);
	printf("change %lld returned to its author\n", (long long)id);
	return EXIT_OK;
}

const struct cmd_entry cmd_registry_return_entry = {
	.name = "registry return",
	.args = "ID",
	.summary = "return a submitted change to its author with a comment",
	.opts = return_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_registry_return_exec,
};

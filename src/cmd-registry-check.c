/*
 * otklik registry check: the checks of R-REG-3 on the registry as
 * included (or as of a version), one line per finding.
 */
#include "otklik.h"
#include "cmd.h"
#include "org.h"
#include "registry.h"

static const struct cmd_opt opts[] = {
	{"version", "N", "check version N instead of the latest"},
	{NULL, NULL, NULL},
};

static int
cmd_registry_check_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct reg_findings found;
	struct registry	    reg;
	struct err	    e;
	int64_t		    v = 0;
	int		    errors;

	(void)argc;
	(void)argv;
	if (cmd_opt(c, 0) &&
	    cmd_parse_int("--version", cmd_opt(c, 0), 1, INT64_MAX, &v) != 0)
		return EXIT_USAGE;
	if (registry_load(c->db, c->org->id, v, &reg, &e) != 0)
		return cmd_error(&e);
	if (reg.version == 0) {
		registry_free(&reg);
		return cmd_fail(EXIT_NOINPUT, "the registry of %s is empty: "
		    "import it or include a change first", c->org->slug);
	}
	registry_check(&reg, &found);
	printf("registry of %s, version %lld: %zu entries\n", c->org->slug,
	    (long long)reg.version, reg.n);
	findings_print(stdout, &found);
	errors = found.errors;
	findings_free(&found);
	registry_free(&reg);
	return errors > 0 ? EXIT_FOUND : EXIT_OK;
}

const struct cmd_entry cmd_registry_check_entry = {
	.name = "registry check",
	.args = "",
	.summary = "run the checks of the order on the registry",
	.help = "Each finding names the entry, the rule and the paragraph of "
		"the order\n(000 is the order of the Primorye health ministry, "
		"001 the one of the\nBashkortostan competition committee). "
		"Errors block inclusion; warnings and\nhints do not. Exit "
		"status 1 if there are errors.",
	.opts = opts,
	.flags = CMD_ORG,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_registry_check_exec,
};

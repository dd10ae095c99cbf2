/*
 * otklik needs list: the needs taxonomy of R-REG-2 (code, title, the
 * paragraphs it comes from), and the organization's own needs.
 */
#include "otklik.h"
#include "cmd.h"
#include "registry.h"

static int
cmd_needs_list_exec(struct cmd_ctx *c, int argc, char **argv)
{
	const struct need *n;
	size_t		   i;

	(void)c;
	(void)argc;
	(void)argv;
	for (i = 0; (n = needs_at(i)) != NULL; i++)
		printf("%s\t%s\t%s\t[%s]\n", n->code, n->title_ru, n->title_en,
		    n->seed);
	return EXIT_OK;
}

const struct cmd_entry cmd_needs_list_entry = {
	.name = "needs list",
	.args = "",
	.summary = "list the needs a touchpoint can serve (code, title, "
		   "source)",
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_needs_list_exec,
};

/*
 * otklik routes: the web server's route table (routes.c) as the server
 * uses it, one route a line, so that an administrator can see who may
 * use what, and a test can hold the OpenAPI description to it.
 */
#include "otklik.h"
#include "cmd.h"
#include "http.h"

static int
cmd_routes_exec(struct cmd_ctx *c, int argc, char **argv)
{
	size_t i;

	(void)c;
	(void)argc;
	(void)argv;
	for (i = 0; i < nroutes; i++)
		printf("%s\t%s\t%s\t%s\n", routes[i].method, routes[i].pattern,
		    (routes[i].flags & ROUTE_PUBLIC) ? "public"
		    : routes[i].role != NULL	     ? routes[i].role
						     : "signed-in",
		    routes[i].summary != NULL ? routes[i].summary : "");
	return EXIT_OK;
}

const struct cmd_entry cmd_routes_entry = {
	.name = "routes",
	.args = "",
	.summary = "list the web server's routes: method, pattern, who, what",
	.help = "One route a line, tab-separated: the method, the pattern "
		"({org} is an\norganization's short name, {id} a number), who "
		"may use it (\"public\",\n\"signed-in\" for any signed-in "
		"person, or the role needed in the\norganization; an admin "
		"holds every role there) and what it is for.",
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_routes_exec,
};

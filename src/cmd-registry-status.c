/*
 * otklik registry status: the publications the registry owes (R-REG-6):
 * each version not yet published, with its deadline of 10 working days
 * in the organization's calendar; otklik registry publish records one.
 */
#include <string.h>

#include "otklik.h"
#include "cmd.h"
#include "org.h"
#include "registry.h"

static const char *
state_word(enum pub_state s)
{
	switch (s) {
	case PUB_LATE:
		return "LATE";
	case PUB_DUE_SOON:
		return "due soon";
	default:
		return "pending";
	}
}

static int
cmd_registry_status_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct reg_status st;
	struct err	  e;
	char		  d1[11], d2[11];
	size_t		  i;
	int		  late = 0;

	(void)argc;
	(void)argv;
	if (registry_status(c->db, c->org, clock_now(), &st, &e) != 0)
		return cmd_error(&e);
	if (st.warning[0] != '\0')
		fprintf(stderr, "warning: %s\n", st.warning);
	printf("registry of %s: version %lld", c->org->slug,
	    (long long)st.current);
	if (st.published > 0) {
		date_format_ru(date_local(st.published_at, c->org->tz), d1);
		printf(", version %lld published %s\n", (long long)st.published,
		    d1);
	} else
		printf(", never published\n");
	if (st.n == 0)
		printf("nothing to publish\n");
	for (i = 0; i < st.n; i++) {
		date_format_ru(st.v[i].changed, d1);
		date_format_ru(st.v[i].deadline, d2);
		printf("version %lld\tchanged %s\tpublish by %s\t", 
		    (long long)st.v[i].version, d1, d2);
		if (st.v[i].state == PUB_LATE)
			printf("%d working day%s late\t", -st.v[i].days_left,
			    st.v[i].days_left == -1 ? "" : "s");
		else
			printf("%d working day%s left\t", st.v[i].days_left,
			    st.v[i].days_left == 1 ? "" : "s");
		printf("%s\n", state_word(st.v[i].state));
		late |= st.v[i].state == PUB_LATE;
	}
	reg_status_free(&st);
	return late ? EXIT_FOUND : EXIT_OK;
}

const struct cmd_entry cmd_registry_status_entry = {
	.name = "registry status",
	.args = "",
	.summary = "list unpublished versions with their deadlines",
	.help = "After each included change the registry must be published "
		"within 10 working\ndays (order 001, §5.4), counted from the "
		"day after the change in the\norganization's calendar and time "
		"zone. A deadline 3 working days away or\ncloser is \"due "
		"soon\"; a missed one is \"LATE\" and the exit status is 1.",
	.flags = CMD_ORG,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_registry_status_exec,
};

static const struct cmd_opt publish_opts[] = {
	{"version", "N", "the version published (default: the latest)"},
	{"at", "TIME", "when it was published (YYYY-MM-DD or ISO time; "
		       "default now)"},
	{"url", "URL", "where it was published"},
	{NULL, NULL, NULL},
};

static int
cmd_registry_publish_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err e;
	int64_t	   v = 0, at = clock_now();

	(void)argc;
	(void)argv;
	if (cmd_opt(c, 0) &&
	    cmd_parse_int("--version", cmd_opt(c, 0), 1, INT64_MAX, &v) != 0)
		return EXIT_USAGE;
	if (cmd_opt(c, 1) && time_parse(cmd_opt(c, 1), &at) != 0)
		return cmd_fail(EXIT_USAGE, "--at %s: expected YYYY-MM-DD or "
		    "YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]", cmd_opt(c, 1));
	if (at > clock_now())
		return cmd_fail(EXIT_USAGE, "--at %s: a publication cannot be "
		    "in the future", cmd_opt(c, 1));
	if (registry_publish(c->db, c->org, c->actor, v, at, cmd_opt(c, 2),
		&e) != 0)
		return cmd_error(&e);
	printf("publication recorded\n");
	return EXIT_OK;
}

const struct cmd_entry cmd_registry_publish_entry = {
	.name = "registry publish",
	.args = "",
	.summary = "record that a version was published on the site",
	.opts = publish_opts,
	.flags = CMD_ORG,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_registry_publish_exec,
};

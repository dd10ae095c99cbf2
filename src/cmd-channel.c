/*
 * otklik channel list|set, standard list|set, hours set: how an
 * organization takes feedback through each channel type (R-FB-2), the
 * service standards it holds itself to (R-FB-5: only ever stricter than
 * the defaults) and the working hours its timers on working time count.
 */
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "cmd.h"
#include "db.h"
#include "feedback_dict.h"
#include "org.h"

static int
flag_arg(const char *what, const char *v, int *out)
{
	if (v == NULL)
		return 0;
	if (strcmp(v, "1") == 0 || strcmp(v, "0") == 0) {
		*out = v[0] == '1';
		return 0;
	}
	return cmd_fail(EXIT_USAGE, "--%s %s: expected 1 or 0", what, v);
}

/*
 * channel list / channel set
 */

static int
cmd_channel_list_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct fb_channel_conf *v;
	struct err		e;
	int			n, i;

	(void)argc;
	(void)argv;
	err_clear(&e);
	if ((n = fb_channel_list(c->db, c->org->id, &v, &e)) < 0)
		return cmd_error(&e);
	for (i = 0; i < n; i++)
		printf("%s\t%s\t%s\t%s%s\n", v[i].channel,
		    v[i].enabled ? "enabled" : "disabled",
		    v[i].online ? "online" : "offline", v[i].client,
		    v[i].stored ? "" : "\tdefault");
	free(v);
	return EXIT_OK;
}

const struct cmd_entry cmd_channel_list_entry = {
	.name = "channel list",
	.summary = "channel types for feedback: enabled, online, clients",
	.flags = CMD_ORG,
	.exec = cmd_channel_list_exec,
};

enum { C_ENABLED, C_ONLINE, C_CLIENT };
static const struct cmd_opt channel_opts[] = {
	[C_ENABLED] = {"enabled", "1|0", "takes feedback or not"},
	[C_ONLINE] = {"online", "1|0", "messages arrive online (not "
				       "registered by staff)"},
	[C_CLIENT] = {"client", "WHO", "external, internal or both"},
	{NULL, NULL, NULL},
};

static int
cmd_channel_set_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct fb_channel_conf *v, *ch = NULL;
	struct err		e;
	int			n, i, r;

	(void)argc;
	err_clear(&e);
	if ((n = fb_channel_list(c->db, c->org->id, &v, &e)) < 0)
		return cmd_error(&e);
	for (i = 0; i < n; i++)
		if (strcmp(v[i].channel, argv[0]) == 0)
			ch = &v[i];
	if (ch == NULL) {
		free(v);
		return cmd_fail(EXIT_USAGE, "channel '%s': not a channel type; "
		    "'otklik channel list' shows them", argv[0]);
	}
	if ((r = flag_arg("enabled", cmd_opt(c, C_ENABLED), &ch->enabled))
	    != 0 || (r = flag_arg("online", cmd_opt(c, C_ONLINE),
	    &ch->online)) != 0) {
		free(v);
		return r;
	}
	if (cmd_opt(c, C_CLIENT) != NULL)
		snprintf(ch->client, sizeof(ch->client), "%s",
		    cmd_opt(c, C_CLIENT));
	r = fb_channel_set(c->db, c->actor, c->org->id, ch, &e);
	free(v);
	return r != 0 ? cmd_error(&e) : EXIT_OK;
}

const struct cmd_entry cmd_channel_set_entry = {
	.name = "channel set",
	.args = "CHANNEL",
	.summary = "set how a channel type takes feedback",
	.opts = channel_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_channel_set_exec,
};

/*
 * standard list / standard set
 */

static int
cmd_standard_list_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct std_conf	  std[STD__COUNT];
	struct work_hours h;
	struct err	  e;
	int		  stored[STD__COUNT], i;

	(void)argc;
	(void)argv;
	err_clear(&e);
	if (fb_standard_list(c->db, c->org->id, std, stored, &e) != 0 ||
	    fb_hours_get(c->db, c->org->id, &h, &e) != 0)
		return cmd_error(&e);
	for (i = 0; i < STD__COUNT; i++)
		printf("%s\t%d\t%s\t%s\t%s\t%s%s\n", std_defs[i].code,
		    std[i].amount, std_unit_code(std[i].unit),
		    std[i].working ? "working" : "calendar",
		    std[i].enabled ? "enabled" : "disabled",
		    std_defs[i].basis, stored[i] ? "" : "\tdefault");
	printf("hours\t%02d:%02d\t%02d:%02d\n", h.start / 60, h.start % 60,
	    h.end / 60, h.end % 60);
	return EXIT_OK;
}

const struct cmd_entry cmd_standard_list_entry = {
	.name = "standard list",
	.summary = "the service standards: code, limit, unit, time, state, "
		   "basis; and the working hours",
	.flags = CMD_ORG,
	.exec = cmd_standard_list_exec,
};

enum { S_AMOUNT, S_UNIT, S_WORKING, S_ENABLED };
static const struct cmd_opt standard_opts[] = {
	[S_AMOUNT] = {"amount", "N", "the limit"},
	[S_UNIT] = {"unit", "UNIT", "minutes, hours, days, workdays"},
	[S_WORKING] = {"working", "1|0", "count working time only, or "
					 "calendar time"},
	[S_ENABLED] = {"enabled", "1|0", "tracked or not (the statutory "
					 "terms always are)"},
	{NULL, NULL, NULL},
};

static int
cmd_standard_set_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct std_conf std[STD__COUNT];
	struct err	e;
	int64_t		amount;
	int		stored[STD__COUNT], code, u, r;

	(void)argc;
	err_clear(&e);
	if ((code = std_from_code(argv[0])) < 0)
		return cmd_fail(EXIT_USAGE, "standard '%s': unknown; 'otklik "
		    "standard list' shows them", argv[0]);
	if (fb_standard_list(c->db, c->org->id, std, stored, &e) != 0)
		return cmd_error(&e);
	if (cmd_opt(c, S_AMOUNT) != NULL) {
		if (cmd_parse_int("--amount", cmd_opt(c, S_AMOUNT), 0, 100000,
		    &amount) != 0)
			return EXIT_USAGE;
		std[code].amount = (int)amount;
	}
	if (cmd_opt(c, S_UNIT) != NULL) {
		if ((u = std_unit_from_code(cmd_opt(c, S_UNIT))) < 0)
			return cmd_fail(EXIT_USAGE, "--unit %s: one of minutes, "
			    "hours, days, workdays, count", cmd_opt(c, S_UNIT));
		std[code].unit = u;
	}
	if ((r = flag_arg("working", cmd_opt(c, S_WORKING),
	    &std[code].working)) != 0 ||
	    (r = flag_arg("enabled", cmd_opt(c, S_ENABLED),
	    &std[code].enabled)) != 0)
		return r;
	if (fb_standard_set(c->db, c->actor, c->org->id, code, &std[code],
	    &e) != 0)
		return cmd_error(&e);
	return EXIT_OK;
}

const struct cmd_entry cmd_standard_set_entry = {
	.name = "standard set",
	.args = "CODE",
	.summary = "tighten a service standard (never loosen it)",
	.opts = standard_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_standard_set_exec,
};

/*
 * hours set
 */

static int
cmd_hours_set_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct work_hours h;
	struct err	  e;

	(void)argc;
	err_clear(&e);
	h.start = fb_hours_parse(argv[0]);
	h.end = fb_hours_parse(argv[1]);
	if (h.start < 0 || h.end < 0)
		return cmd_fail(EXIT_USAGE, "hours set: '%s': expected HH:MM",
		    h.start < 0 ? argv[0] : argv[1]);
	if (fb_hours_set(c->db, c->actor, c->org->id, &h, &e) != 0)
		return cmd_error(&e);
	return EXIT_OK;
}

const struct cmd_entry cmd_hours_set_entry = {
	.name = "hours set",
	.args = "START END",
	.summary = "working hours for the timers on working time (09:00 18:00)",
	.flags = CMD_ORG,
	.minargs = 2,
	.maxargs = 2,
	.exec = cmd_hours_set_exec,
};

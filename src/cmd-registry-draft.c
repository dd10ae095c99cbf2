/*
 * otklik registry draft: a unit editor drafts an addition, a change or
 * an exclusion (R-REG-4).  The draft is then submitted, verified by the
 * registry officer and included or returned (cmd-registry-workflow.c).
 */
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "cmd.h"
#include "org.h"
#include "registry.h"

enum {
	O_AREA, O_PROCESS, O_NAME, O_CHANNEL, O_KIND, O_CLIENT, O_NEEDS,
	O_INTERACTION, O_FEATURES, O_PHONE, O_EMAIL, O_URL, O_ADDRESS,
	O_ROOM, O_UNIT, O_BASIS, O_BASIS_REF, O_KEY, O_LOW, O_NOTCOUNTED,
};

static const struct cmd_opt opts[] = {
	[O_AREA] = {"area", "TEXT", "Направление деятельности (area)"},
	[O_PROCESS] = {"process", "TEXT", "Наименование конкретного процесса"},
	[O_NAME] = {"name", "TEXT", "Точка взаимодействия (the touchpoint)"},
	[O_CHANNEL] = {"channel", "CODE", "site edms email pos phone "
		"callcentre reception commission social messenger chatbot "
		"voice app api post stand mfc workplace other (default: "
		"guessed from the name)"},
	[O_KIND] = {"kind", "KIND", "digital or offline (default: from the "
		"channel)"},
	[O_CLIENT] = {"client", "TYPE", "external (default) or internal"},
	[O_NEEDS] = {"needs", "CODES", "need codes, e.g. \"info consult\" "
		"(see 'otklik needs list'; default: read from --interaction)"},
	[O_INTERACTION] = {"interaction", "TEXT", "Осуществляемое "
		"взаимодействие с клиентом"},
	[O_FEATURES] = {"features", "TEXT", "Особенности взаимодействия с "
		"клиентом"},
	[O_PHONE] = {"phone", "TEXT", "contact phone"},
	[O_EMAIL] = {"email", "TEXT", "contact e-mail"},
	[O_URL] = {"url", "URL", "address on the web"},
	[O_ADDRESS] = {"address", "TEXT", "postal address"},
	[O_ROOM] = {"room", "TEXT", "room or office"},
	[O_UNIT] = {"unit", "NAME", "responsible unit"},
	[O_BASIS] = {"basis", "TYPE", "normative, internal, contract or "
		"directive"},
	[O_BASIS_REF] = {"basis-ref", "TEXT", "the act or instruction"},
	[O_KEY] = {"key", "1|0", "a key touchpoint (default: by channel)"},
	[O_LOW] = {"low-demand", "1|0", "a low-demand touchpoint"},
	[O_NOTCOUNTED] = {"not-counted", "1|0", "appeals are not or cannot "
		"be counted here"},
	{NULL, NULL, NULL},
};

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = str_squeeze(v);
}

static void
set_opt_str(char **dst, const char *v)
{
	free(*dst);
	*dst = str_empty(v) ? NULL : str_squeeze(v);
}

static int
set_flag(int *dst, const char *name, const char *v)
{
	if (strcmp(v, "1") == 0)
		*dst = 1;
	else if (strcmp(v, "0") == 0)
		*dst = 0;
	else
		return cmd_fail(EXIT_USAGE, "--%s %s: 1 or 0", name, v);
	return 0;
}

/* Applies the options given to x; returns 0 or an exit code. */
static int
apply(struct cmd_ctx *c, struct reg_entry *x, int adding)
{
	const char *v;
	int	    ch, r;

	if ((v = cmd_opt(c, O_AREA)))
		set_str(&x->area, v);
	if ((v = cmd_opt(c, O_PROCESS)))
		set_str(&x->process, v);
	if ((v = cmd_opt(c, O_NAME)))
		set_str(&x->name, v);
	if ((v = cmd_opt(c, O_CHANNEL))) {
		if ((ch = channel_from_code(v)) < 0)
			return cmd_fail(EXIT_USAGE, "--channel %s: not a channel "
			    "type; see 'otklik registry draft --help'", v);
		x->channel = (enum channel)ch;
	} else if (adding)
		x->channel = channel_guess(x->name);
	if (adding)
		x->is_key = channels[x->channel].key;
	if ((cmd_opt(c, O_CHANNEL) || adding) && !x->kind_explicit)
		x->kind = channels[x->channel].kind;
	if ((v = cmd_opt(c, O_KIND))) {
		if (strcmp(v, "digital") && strcmp(v, "offline"))
			return cmd_fail(EXIT_USAGE, "--kind %s: digital or "
			    "offline", v);
		x->kind = strcmp(v, "digital") == 0 ? KIND_DIGITAL
						    : KIND_OFFLINE;
		x->kind_explicit = x->kind != channels[x->channel].kind;
	}
	if ((v = cmd_opt(c, O_CLIENT))) {
		if (strcmp(v, "external") && strcmp(v, "internal"))
			return cmd_fail(EXIT_USAGE, "--client %s: external or "
			    "internal", v);
		x->client = strcmp(v, "internal") == 0 ? CLIENT_INTERNAL
						       : CLIENT_EXTERNAL;
	}
	if ((v = cmd_opt(c, O_INTERACTION)))
		set_str(&x->interaction, v);
	if ((v = cmd_opt(c, O_NEEDS)))
		set_str(&x->needs, v);
	else if (cmd_opt(c, O_INTERACTION)) {
		free(x->needs);
		x->needs = needs_from_text(x->interaction);
	}
	if ((v = cmd_opt(c, O_FEATURES)))
		set_str(&x->features, v);
	if ((v = cmd_opt(c, O_PHONE)))
		set_opt_str(&x->phone, v);
	if ((v = cmd_opt(c, O_EMAIL)))
		set_opt_str(&x->email, v);
	if ((v = cmd_opt(c, O_URL)))
		set_opt_str(&x->url, v);
	if ((v = cmd_opt(c, O_ADDRESS)))
		set_opt_str(&x->address, v);
	if ((v = cmd_opt(c, O_ROOM)))
		set_opt_str(&x->room, v);
	if ((v = cmd_opt(c, O_UNIT)))
		set_opt_str(&x->unit, v);
	if ((v = cmd_opt(c, O_BASIS))) {
		if (!strcmp(v, "normative"))
			x->basis = BASIS_NORMATIVE;
		else if (!strcmp(v, "internal"))
			x->basis = BASIS_INTERNAL;
		else if (!strcmp(v, "contract"))
			x->basis = BASIS_CONTRACT;
		else if (!strcmp(v, "directive"))
			x->basis = BASIS_DIRECTIVE;
		else
			return cmd_fail(EXIT_USAGE, "--basis %s: normative, "
			    "internal, contract or directive", v);
	}
	if ((v = cmd_opt(c, O_BASIS_REF)))
		set_opt_str(&x->basis_ref, v);
	if ((v = cmd_opt(c, O_KEY)) && (r = set_flag(&x->is_key, "key", v)))
		return r;
	if ((v = cmd_opt(c, O_LOW)) &&
	    (r = set_flag(&x->low_demand, "low-demand", v)))
		return r;
	if ((v = cmd_opt(c, O_NOTCOUNTED)) &&
	    (r = set_flag(&x->not_counted, "not-counted", v)))
		return r;
	return 0;
}

static int
cmd_registry_draft_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct registry	 cur;
	struct reg_entry x;
	struct err	 e;
	int64_t		 tp = 0, id;
	size_t		 i;
	int		 r;

	err_clear(&e);
	if (strcmp(argv[0], "add") != 0 && strcmp(argv[0], "change") != 0 &&
	    strcmp(argv[0], "exclude") != 0)
		return cmd_fail(EXIT_USAGE, "registry draft: add, change ID or "
		    "exclude ID, not '%s'", argv[0]);
	if ((strcmp(argv[0], "add") == 0) != (argc == 1))
		return cmd_fail(EXIT_USAGE, "registry draft %s: %s", argv[0],
		    argc == 1 ? "which touchpoint? give its id ('otklik "
				"registry list')"
			      : "add takes no id");
	if (argc == 2 &&
	    cmd_parse_int("touchpoint id", argv[1], 1, INT64_MAX, &tp) != 0)
		return EXIT_USAGE;

	if (strcmp(argv[0], "exclude") == 0) {
		if (registry_draft_exclude(c->db, c->org, c->actor, tp, &id,
			&e) != 0)
			return cmd_error(&e);
		printf("%lld\n", (long long)id);
		return EXIT_OK;
	}

	reg_entry_init(&x);
	if (tp != 0) {
		if (registry_load(c->db, c->org->id, 0, &cur, &e) != 0) {
			reg_entry_clear(&x);
			return cmd_error(&e);
		}
		for (i = 0; i < cur.n && cur.v[i].id != tp; i++)
			;
		if (i == cur.n) {
			registry_free(&cur);
			reg_entry_clear(&x);
			return cmd_fail(EXIT_NOINPUT, "touchpoint %lld is not in "
			    "the registry", (long long)tp);
		}
		reg_entry_clear(&x);
		reg_entry_copy(&x, &cur.v[i]);
		registry_free(&cur);
	}
	if ((r = apply(c, &x, tp == 0)) != 0) {
		reg_entry_clear(&x);
		return r;
	}
	r = registry_draft(c->db, c->org, c->actor,
	    tp == 0 ? OP_ADD : OP_CHANGE, &x, &id, &e);
	reg_entry_clear(&x);
	if (r != 0)
		return cmd_error(&e);
	printf("%lld\n", (long long)id);
	return EXIT_OK;
}

const struct cmd_entry cmd_registry_draft_entry = {
	.name = "registry draft",
	.args = "add | change ID | exclude ID",
	.summary = "draft an addition, change or exclusion of a touchpoint",
	.help = "Prints the number of the change. A change starts from the "
		"touchpoint as\nincluded and alters only the fields given. The "
		"author submits the draft with\n'otklik registry submit'; the "
		"registry officer verifies it and includes or\nreturns it.",
	.opts = opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 2,
	.exec = cmd_registry_draft_exec,
};

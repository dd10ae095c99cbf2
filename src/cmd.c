/*
 * The command table, the options every command shares (--db, --org,
 * --user), the parsing of each command's own options from its table
 * entry, and the help texts generated from the same entries.
 */
#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "otklik.h"
#include "cmd.h"
#include "db.h"
#include "org.h"

extern const struct cmd_entry cmd_init_entry;
extern const struct cmd_entry cmd_org_add_entry;
extern const struct cmd_entry cmd_org_list_entry;
extern const struct cmd_entry cmd_unit_add_entry;
extern const struct cmd_entry cmd_user_add_entry;
extern const struct cmd_entry cmd_user_passwd_entry;
extern const struct cmd_entry cmd_user_role_entry;
extern const struct cmd_entry cmd_user_list_entry;
extern const struct cmd_entry cmd_audit_verify_entry;
extern const struct cmd_entry cmd_audit_list_entry;
extern const struct cmd_entry cmd_calendar_add_entry;
extern const struct cmd_entry cmd_calendar_between_entry;
extern const struct cmd_entry cmd_calendar_load_entry;
extern const struct cmd_entry cmd_calendar_show_entry;
extern const struct cmd_entry cmd_registry_import_entry;
extern const struct cmd_entry cmd_registry_export_entry;
extern const struct cmd_entry cmd_registry_check_entry;
extern const struct cmd_entry cmd_registry_list_entry;
extern const struct cmd_entry cmd_registry_draft_entry;
extern const struct cmd_entry cmd_registry_changes_entry;
extern const struct cmd_entry cmd_registry_submit_entry;
extern const struct cmd_entry cmd_registry_verify_entry;
extern const struct cmd_entry cmd_registry_include_entry;
extern const struct cmd_entry cmd_registry_return_entry;
extern const struct cmd_entry cmd_registry_withdraw_entry;
extern const struct cmd_entry cmd_registry_versions_entry;
extern const struct cmd_entry cmd_registry_diff_entry;
extern const struct cmd_entry cmd_registry_status_entry;
extern const struct cmd_entry cmd_registry_publish_entry;
extern const struct cmd_entry cmd_needs_list_entry;
extern const struct cmd_entry cmd_serve_entry;
extern const struct cmd_entry cmd_routes_entry;
extern const struct cmd_entry cmd_feedback_add_entry;
extern const struct cmd_entry cmd_feedback_list_entry;
extern const struct cmd_entry cmd_feedback_show_entry;
extern const struct cmd_entry cmd_feedback_ack_entry;
extern const struct cmd_entry cmd_feedback_take_entry;
extern const struct cmd_entry cmd_feedback_answer_entry;
extern const struct cmd_entry cmd_feedback_close_entry;
extern const struct cmd_entry cmd_feedback_reopen_entry;
extern const struct cmd_entry cmd_feedback_assign_entry;
extern const struct cmd_entry cmd_feedback_extend_entry;
extern const struct cmd_entry cmd_feedback_classify_entry;
extern const struct cmd_entry cmd_feedback_reply_entry;
extern const struct cmd_entry cmd_feedback_import_entry;
extern const struct cmd_entry cmd_feedback_export_entry;
extern const struct cmd_entry cmd_pd_list_entry;
extern const struct cmd_entry cmd_pd_withdraw_entry;
extern const struct cmd_entry cmd_pd_destroy_entry;
extern const struct cmd_entry cmd_pd_act_entry;
extern const struct cmd_entry cmd_topic_add_entry;
extern const struct cmd_entry cmd_topic_edit_entry;
extern const struct cmd_entry cmd_topic_list_entry;
extern const struct cmd_entry cmd_topic_suggest_entry;
extern const struct cmd_entry cmd_topic_evaluate_entry;
extern const struct cmd_entry cmd_template_add_entry;
extern const struct cmd_entry cmd_template_list_entry;
extern const struct cmd_entry cmd_template_edit_entry;
extern const struct cmd_entry cmd_channel_list_entry;
extern const struct cmd_entry cmd_channel_set_entry;
extern const struct cmd_entry cmd_standard_list_entry;
extern const struct cmd_entry cmd_standard_set_entry;
extern const struct cmd_entry cmd_hours_set_entry;
extern const struct cmd_entry cmd_survey_list_entry;
extern const struct cmd_entry cmd_survey_show_entry;
extern const struct cmd_entry cmd_survey_add_entry;
extern const struct cmd_entry cmd_survey_edit_entry;
extern const struct cmd_entry cmd_survey_discard_entry;
extern const struct cmd_entry cmd_survey_publish_entry;
extern const struct cmd_entry cmd_survey_open_entry;
extern const struct cmd_entry cmd_survey_close_entry;
extern const struct cmd_entry cmd_survey_access_entry;
extern const struct cmd_entry cmd_survey_versions_entry;
extern const struct cmd_entry cmd_survey_attach_entry;
extern const struct cmd_entry cmd_survey_detach_entry;
extern const struct cmd_entry cmd_survey_targets_entry;
extern const struct cmd_entry cmd_survey_invite_entry;
extern const struct cmd_entry cmd_survey_invites_entry;
extern const struct cmd_entry cmd_survey_results_entry;
extern const struct cmd_entry cmd_survey_export_entry;
extern const struct cmd_entry cmd_survey_import_offline_entry;
extern const struct cmd_entry cmd_survey_qr_entry;
extern const struct cmd_entry cmd_rollup_rebuild_entry;
extern const struct cmd_entry cmd_report_entry;
extern const struct cmd_entry cmd_report_publish_entry;
extern const struct cmd_entry cmd_report_years_entry;
extern const struct cmd_entry cmd_pain_list_entry;
extern const struct cmd_entry cmd_pain_set_entry;
extern const struct cmd_entry cmd_pain_update_entry;
extern const struct cmd_entry cmd_pain_confirm_entry;
extern const struct cmd_entry cmd_pain_decisions_entry;
extern const struct cmd_entry cmd_level_entry;
extern const struct cmd_entry cmd_demo_generate_entry;

static const struct cmd_entry *cmd_table[] = {
	&cmd_init_entry,
	&cmd_org_add_entry,
	&cmd_org_list_entry,
	&cmd_unit_add_entry,
	&cmd_user_add_entry,
	&cmd_user_passwd_entry,
	&cmd_user_role_entry,
	&cmd_user_list_entry,
	&cmd_registry_import_entry,
	&cmd_registry_export_entry,
	&cmd_registry_check_entry,
	&cmd_registry_list_entry,
	&cmd_registry_draft_entry,
	&cmd_registry_changes_entry,
	&cmd_registry_submit_entry,
	&cmd_registry_verify_entry,
	&cmd_registry_include_entry,
	&cmd_registry_return_entry,
	&cmd_registry_withdraw_entry,
	&cmd_registry_versions_entry,
	&cmd_registry_diff_entry,
	&cmd_registry_status_entry,
	&cmd_registry_publish_entry,
	&cmd_needs_list_entry,
	&cmd_calendar_add_entry,
	&cmd_calendar_between_entry,
	&cmd_calendar_load_entry,
	&cmd_calendar_show_entry,
	&cmd_audit_verify_entry,
	&cmd_audit_list_entry,
	&cmd_serve_entry,
	&cmd_routes_entry,
	&cmd_feedback_add_entry,
	&cmd_feedback_list_entry,
	&cmd_feedback_show_entry,
	&cmd_feedback_ack_entry,
	&cmd_feedback_take_entry,
	&cmd_feedback_answer_entry,
	&cmd_feedback_close_entry,
	&cmd_feedback_reopen_entry,
	&cmd_feedback_assign_entry,
	&cmd_feedback_extend_entry,
	&cmd_feedback_classify_entry,
	&cmd_feedback_reply_entry,
	&cmd_feedback_import_entry,
	&cmd_feedback_export_entry,
	&cmd_pd_list_entry,
	&cmd_pd_withdraw_entry,
	&cmd_pd_destroy_entry,
	&cmd_pd_act_entry,
	&cmd_topic_add_entry,
	&cmd_topic_edit_entry,
	&cmd_topic_list_entry,
	&cmd_topic_suggest_entry,
	&cmd_topic_evaluate_entry,
	&cmd_template_add_entry,
	&cmd_template_list_entry,
	&cmd_template_edit_entry,
	&cmd_channel_list_entry,
	&cmd_channel_set_entry,
	&cmd_standard_list_entry,
	&cmd_standard_set_entry,
	&cmd_hours_set_entry,
	&cmd_survey_list_entry,
	&cmd_survey_show_entry,
	&cmd_survey_add_entry,
	&cmd_survey_edit_entry,
	&cmd_survey_discard_entry,
	&cmd_survey_publish_entry,
	&cmd_survey_open_entry,
	&cmd_survey_close_entry,
	&cmd_survey_access_entry,
	&cmd_survey_versions_entry,
	&cmd_survey_attach_entry,
	&cmd_survey_detach_entry,
	&cmd_survey_targets_entry,
	&cmd_survey_invite_entry,
	&cmd_survey_invites_entry,
	&cmd_survey_results_entry,
	&cmd_survey_export_entry,
	&cmd_survey_import_offline_entry,
	&cmd_survey_qr_entry,
	&cmd_rollup_rebuild_entry,
	&cmd_report_entry,
	&cmd_report_publish_entry,
	&cmd_report_years_entry,
	&cmd_pain_list_entry,
	&cmd_pain_set_entry,
	&cmd_pain_update_entry,
	&cmd_pain_confirm_entry,
	&cmd_pain_decisions_entry,
	&cmd_level_entry,
	&cmd_demo_generate_entry,
};

static const struct cmd_opt global_opts[] = {
	{"db", "PATH", "database file (default $OTKLIK_DB or ./otklik.db)"},
	{"org", "SLUG", "organization, when there is more than one"},
	{"user", "LOGIN", "staff account the audit log names"},
	{NULL, NULL, NULL},
};

int
cmd_fail(int code, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("otklik: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int
cmd_error(const struct err *e)
{
	return cmd_fail(e->code != 0 ? e->code : EXIT_SOFTWARE, "%s", e->msg);
}

const char *
cmd_opt(const struct cmd_ctx *c, int i)
{
	return c->optv[i];
}

int
cmd_flag(const struct cmd_ctx *c, int i)
{
	return c->optset[i];
}

int
cmd_parse_int(const char *what, const char *s, int64_t min, int64_t max,
    int64_t *out)
{
	char	 *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max) {
		cmd_fail(EXIT_USAGE, "%s: '%s' is not a whole number from "
		    "%lld to %lld", what, s, (long long)min, (long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

static void
print_opts(FILE *f, const struct cmd_opt *o)
{
	char left[64];

	for (; o != NULL && o->name != NULL; o++) {
		if (o->arg != NULL)
			snprintf(left, sizeof(left), "--%s %s", o->name,
			    o->arg);
		else
			snprintf(left, sizeof(left), "--%s", o->name);
		fprintf(f, "  %-24s %s\n", left, o->help);
	}
}

static void
usage_line(FILE *f, const struct cmd_entry *ce)
{
	const struct cmd_opt *o;

	fprintf(f, "otklik %s", ce->name);
	for (o = ce->opts; o != NULL && o->name != NULL; o++) {
		if (o->arg != NULL)
			fprintf(f, " [--%s %s]", o->name, o->arg);
		else
			fprintf(f, " [--%s]", o->name);
	}
	if (ce->args != NULL && *ce->args != '\0')
		fprintf(f, " %s", ce->args);
	fputc('\n', f);
}

static void
cmd_help(FILE *f, const struct cmd_entry *ce)
{
	fputs("usage: ", f);
	usage_line(f, ce);
	fprintf(f, "\n%s\n", ce->summary);
	if (ce->help != NULL)
		fprintf(f, "\n%s\n", ce->help);
	if (ce->opts != NULL && ce->opts[0].name != NULL) {
		fputs("\noptions:\n", f);
		print_opts(f, ce->opts);
	}
	fputs("\ncommon options:\n", f);
	print_opts(f, global_opts);
}

static void
main_help(FILE *f)
{
	size_t i;

	fputs("usage: otklik [--db PATH] [--org SLUG] [--user LOGIN] "
	      "COMMAND [ARGS]\n\n"
	      "Otklik keeps a public body's registry of touchpoints, its "
	      "working-day\ncalendar, its staff and its audit log, on the "
	      "command line and on the web\n('otklik serve').\n\ncommands:\n",
	    f);
	for (i = 0; i < nitems(cmd_table); i++)
		fprintf(f, "  %-22s %s\n", cmd_table[i]->name,
		    cmd_table[i]->summary);
	fputs("\nglobal options:\n", f);
	print_opts(f, global_opts);
	fputs("  --help                   this text; after a command, its help\n"
	      "  --version                the program's version\n"
	      "\n'otklik help COMMAND' or 'otklik COMMAND --help' describes a "
	      "command.\n"
	      "Exit status: 0 done; 1 problems found (check, verify, status); "
	      "64 bad usage;\n65 bad input, nothing written; 66 no such file or "
	      "object; 70 internal\nerror; 73 cannot create output; 74 "
	      "database or I/O error.\n",
	    f);
}

/* Finds the entry whose words are the longest prefix of argv. */
static const struct cmd_entry *
cmd_find(int argc, char **argv, int *used)
{
	const struct cmd_entry *best = NULL;
	size_t			i;
	int			n, bestn = 0, k, ok;
	const char	       *p;
	size_t			wl;

	for (i = 0; i < nitems(cmd_table); i++) {
		p = cmd_table[i]->name;
		ok = 1;
		for (k = 0; *p != '\0'; k++) {
			wl = strcspn(p, " ");
			if (k >= argc || strlen(argv[k]) != wl ||
			    strncmp(argv[k], p, wl) != 0) {
				ok = 0;
				break;
			}
			p += wl;
			if (*p == ' ')
				p++;
		}
		n = k;
		if (ok && n > bestn) {
			best = cmd_table[i];
			bestn = n;
		}
	}
	*used = bestn;
	return best;
}

static int
is_group(const char *word)
{
	size_t i, l = strlen(word);

	for (i = 0; i < nitems(cmd_table); i++)
		if (strncmp(cmd_table[i]->name, word, l) == 0 &&
		    cmd_table[i]->name[l] == ' ')
			return 1;
	return 0;
}

static void
group_help(FILE *f, const char *word)
{
	size_t i, l = strlen(word);

	fprintf(f, "otklik %s: one of\n", word);
	for (i = 0; i < nitems(cmd_table); i++)
		if (strncmp(cmd_table[i]->name, word, l) == 0 &&
		    cmd_table[i]->name[l] == ' ')
			fprintf(f, "  %-22s %s\n", cmd_table[i]->name,
			    cmd_table[i]->summary);
}

/*
 * Takes "--name value", "--name=value" or a flag "--name" from argv[*i];
 * returns 1 if it was one of opts (index in *which), 0 if not an option
 * of that table, -1 on a missing value.
 */
static int
match_opt(const struct cmd_opt *opts, int argc, char **argv, int *i,
    int *which, const char **value)
{
	const char *a = argv[*i] + 2, *eq;
	size_t	    l;
	int	    k;

	eq = strchr(a, '=');
	l = eq != NULL ? (size_t)(eq - a) : strlen(a);
	for (k = 0; opts != NULL && opts[k].name != NULL; k++) {
		if (strlen(opts[k].name) != l || strncmp(opts[k].name, a, l))
			continue;
		*which = k;
		if (opts[k].arg == NULL) {
			if (eq != NULL)
				return -1;
			*value = "1";
			return 1;
		}
		if (eq != NULL)
			*value = eq + 1;
		else if (*i + 1 < argc)
			*value = argv[++*i];
		else
			return -1;
		return 1;
	}
	return 0;
}

static char *
default_actor(void)
{
	struct passwd *pw;
	const char    *u = getenv("USER");

	if (u == NULL && (pw = getpwuid(getuid())) != NULL)
		u = pw->pw_name;
	return xasprintf("local:%s", u != NULL ? u : "unknown");
}

int
cmd_main(int argc, char **argv)
{
	const struct cmd_entry *ce;
	struct cmd_ctx		ctx;
	struct err		e;
	char		      **pos;
	const char	       *v;
	int			i, npos = 0, used, which, r, help = 0;

	memset(&ctx, 0, sizeof(ctx));
	ctx.dbpath = getenv("OTKLIK_DB");
	ctx.org_slug = getenv("OTKLIK_ORG");
	ctx.user = getenv("OTKLIK_USER");
	pos = xcalloc((size_t)argc + 1, sizeof(*pos));

	/* Global options may stand anywhere; the rest is kept in order. */
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			for (; i < argc; i++)
				pos[npos++] = argv[i];
			break;
		}
		if (strncmp(argv[i], "--", 2) == 0) {
			r = match_opt(global_opts, argc, argv, &i, &which, &v);
			if (r == -1) {
				free(pos);
				return cmd_fail(EXIT_USAGE,
				    "%s needs a value", argv[i]);
			}
			if (r == 1) {
				if (which == 0)
					ctx.dbpath = v;
				else if (which == 1)
					ctx.org_slug = v;
				else
					ctx.user = v;
				continue;
			}
			if (strcmp(argv[i], "--help") == 0) {
				help = 1;
				continue;
			}
			if (strcmp(argv[i], "--version") == 0 && npos == 0) {
				printf("otklik %s\n", OTKLIK_VERSION);
				free(pos);
				return EXIT_OK;
			}
		} else if (strcmp(argv[i], "-h") == 0) {
			help = 1;
			continue;
		}
		pos[npos++] = argv[i];
	}
	if (ctx.dbpath == NULL || *ctx.dbpath == '\0')
		ctx.dbpath = "otklik.db";

	if (npos == 0 || strcmp(pos[0], "help") == 0) {
		if (npos > 1) {
			ce = cmd_find(npos - 1, pos + 1, &used);
			if (ce != NULL && used == npos - 1)
				cmd_help(stdout, ce);
			else if (npos == 2 && is_group(pos[1]))
				group_help(stdout, pos[1]);
			else {
				r = cmd_fail(EXIT_USAGE,
				    "no command '%s'; see 'otklik help'",
				    pos[1]);
				free(pos);
				return r;
			}
		} else if (npos == 0 && !help) {
			main_help(stderr);
			free(pos);
			return EXIT_USAGE;
		} else
			main_help(stdout);
		free(pos);
		return EXIT_OK;
	}

	ce = cmd_find(npos, pos, &used);
	if (ce == NULL) {
		if (is_group(pos[0])) {
			group_help(help ? stdout : stderr, pos[0]);
			free(pos);
			return help ? EXIT_OK : EXIT_USAGE;
		}
		r = cmd_fail(EXIT_USAGE, "no command '%s'; see 'otklik help'",
		    pos[0]);
		free(pos);
		return r;
	}
	if (help) {
		cmd_help(stdout, ce);
		free(pos);
		return EXIT_OK;
	}

	/* The command's own options; what is left are its arguments. */
	{
		char **args = xcalloc((size_t)npos + 1, sizeof(*args));
		int    nargs = 0, k, opts_done = 0;

		for (k = used; k < npos; k++) {
			if (!opts_done && strcmp(pos[k], "--") == 0) {
				opts_done = 1;
				continue;
			}
			/* "-3" is a number, not an option. */
			if (!opts_done && pos[k][0] == '-' && pos[k][1] != '\0' &&
			    !isdigit((unsigned char)pos[k][1])) {
				if (strcmp(pos[k], "-o") == 0)
					pos[k] = "--output";
				if (strncmp(pos[k], "--", 2) != 0) {
					r = cmd_fail(EXIT_USAGE,
					    "%s: unknown option '%s'; see "
					    "'otklik %s --help'",
					    ce->name, pos[k], ce->name);
					goto out_args;
				}
				r = match_opt(ce->opts, npos, pos, &k, &which,
				    &v);
				if (r == 0 || r == -1) {
					r = cmd_fail(EXIT_USAGE,
					    r == 0 ? "%s: unknown option '%s'; "
						     "see 'otklik %s --help'"
						   : "%s: option '%s' needs a "
						     "value; see 'otklik %s "
						     "--help'",
					    ce->name, pos[k], ce->name);
					goto out_args;
				}
				if (which >= (int)nitems(ctx.optv))
					fatal("command %s has too many options",
					    ce->name);
				ctx.optv[which] = v;
				ctx.optset[which] = 1;
				continue;
			}
			args[nargs++] = pos[k];
		}
		if (nargs < ce->minargs || nargs > ce->maxargs) {
			fputs("usage: ", stderr);
			usage_line(stderr, ce);
			r = EXIT_USAGE;
			goto out_args;
		}

		ctx.actor = ctx.user != NULL ? xstrdup(ctx.user)
					     : default_actor();
		if (ce->flags & (CMD_DB | CMD_ORG)) {
			if (access(ctx.dbpath, F_OK) != 0 &&
			    strncmp(ctx.dbpath, "postgres", 8) != 0) {
				r = cmd_fail(EXIT_NOINPUT,
				    "%s: no database here; create it with "
				    "'otklik --db %s init'",
				    ctx.dbpath, ctx.dbpath);
				goto out_args;
			}
			err_clear(&e);
			if ((ctx.db = db_open(ctx.dbpath, &e)) == NULL) {
				r = cmd_error(&e);
				goto out_args;
			}
			if (db_schema_version(ctx.db) == 0) {
				r = cmd_fail(EXIT_NOINPUT,
				    "%s: not initialized; run 'otklik --db %s "
				    "init'", ctx.dbpath, ctx.dbpath);
				goto out_args;
			}
			if (ctx.user != NULL && !staff_exists(ctx.db, ctx.user)) {
				r = cmd_fail(EXIT_NOINPUT,
				    "--user %s: no such staff account; add it "
				    "with 'otklik user add %s --name NAME'",
				    ctx.user, ctx.user);
				goto out_args;
			}
		}
		if (ce->flags & CMD_ORG) {
			ctx.org = ctx.org_slug != NULL
			    ? org_find(ctx.db, ctx.org_slug, &e)
			    : org_default(ctx.db, &e);
			if (ctx.org == NULL) {
				r = cmd_error(&e);
				goto out_args;
			}
		}
		r = ce->exec(&ctx, nargs, args);
	out_args:
		free(args);
	}
	org_free(ctx.org);
	db_close(ctx.db);
	free(ctx.actor);
	free(pos);
	return r;
}

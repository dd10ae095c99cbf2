/*
 * otklik pd list|withdraw|destroy|act: personal data of clients (R-PD)
 * on the command line: the contacts with their legal bases, a consent
 * withdrawn on a client's written request, the destruction of what is
 * due with its act, and the acts themselves.
 */
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "cmd.h"
#include "org.h"
#include "pd.h"

static void
print_time(int64_t t, const char *tz)
{
	char d[11];

	if (t == 0) {
		fputs("-", stdout);
		return;
	}
	date_format(date_local(t, tz), d);
	fputs(d, stdout);
}

static const struct cmd_opt list_opts[] = {
	{"due", NULL, "only contacts whose data must be destroyed now"},
	{NULL, NULL, NULL},
};

static int
cmd_pd_list_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct pd_contact *v;
	struct err	   e;
	int		   n, i;

	(void)argc;
	(void)argv;
	err_clear(&e);
	if ((n = pd_list(c->db, c->org->id, clock_now(), cmd_flag(c, 0), &v,
	    &e)) < 0)
		return cmd_error(&e);
	printf("contact\tcreated\tbases\tstate\tdestroy_by\tdata\tmessages\n");
	for (i = 0; i < n; i++) {
		printf("%lld\t", (long long)v[i].id);
		print_time(v[i].created_at, c->org->tz);
		printf("\t%s\t%s\t", v[i].bases[0] != '\0' ? v[i].bases : "-",
		    v[i].state);
		print_time(v[i].destroy_by, c->org->tz);
		printf("\t%s\t%d\n", v[i].fields[0] != '\0' ? v[i].fields : "-",
		    v[i].messages);
	}
	free(v);
	return EXIT_OK;
}

const struct cmd_entry cmd_pd_list_entry = {
	.name = "pd list",
	.args = "",
	.summary = "clients' contacts with their legal bases and state",
	.help = "One line per contact: its number, when it was left, its bases "
		"(consent, law),\nits state (active, withdrawn, expired, "
		"destroyed), the date by which its data\nmust be destroyed, "
		"which data it holds (never the data) and its messages.",
	.opts = list_opts,
	.flags = CMD_ORG,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_pd_list_exec,
};

static const struct cmd_opt withdraw_opts[] = {
	{"contact", "ID", "the contact's number (from 'pd list')"},
	{"via", "CHANNEL", "how the withdrawal came: post, email, reception, "
			   "site… (default other)"},
	{NULL, NULL, NULL},
};

static int
cmd_pd_withdraw_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct pd_withdrawal w;
	struct err	     e;
	const char	    *key = argc > 0 ? argv[0] : NULL;
	int64_t		     id = 0;
	char		     d[11];

	err_clear(&e);
	if ((key == NULL) == (cmd_opt(c, 0) == NULL))
		return cmd_fail(EXIT_USAGE, "pd withdraw: give either the "
		    "client's history KEY or --contact ID");
	if (cmd_opt(c, 0) != NULL && cmd_parse_int("--contact", cmd_opt(c, 0),
	    1, INT64_MAX, &id) != 0)
		return EXIT_USAGE;
	if (pd_withdraw(c->db, c->actor, c->org->id, key, id, cmd_opt(c, 1),
	    clock_now(), &w, &e) != 0)
		return cmd_error(&e);
	if (w.withdrawn == 0)
		printf("contact %lld: no consent in force; nothing to "
		    "withdraw\n", (long long)w.contact_id);
	else if (w.law_remains)
		printf("contact %lld: consent withdrawn; the data is kept "
		    "only to answer the open appeal (59-FZ) and destroyed %d "
		    "days after that basis ends\n", (long long)w.contact_id,
		    PD_DESTROY_DAYS);
	else {
		date_format(date_local(w.destroy_by, c->org->tz), d);
		printf("contact %lld: consent withdrawn; the data will be "
		    "destroyed by %s\n", (long long)w.contact_id, d);
	}
	return EXIT_OK;
}

const struct cmd_entry cmd_pd_withdraw_entry = {
	.name = "pd withdraw",
	.args = "[KEY]",
	.summary = "record the withdrawal of a client's consent",
	.help = "Finds the contact by the client's history KEY or by --contact "
		"ID, stops\nprocessing under its consent and sets the date by "
		"which its data must be\ndestroyed: 30 days on (R-PD-2), unless "
		"the law still requires the data to\nanswer an appeal.",
	.opts = withdraw_opts,
	.flags = CMD_ORG,
	.minargs = 0,
	.maxargs = 1,
	.exec = cmd_pd_withdraw_exec,
};

static const struct cmd_opt destroy_opts[] = {
	{"dry-run", NULL, "say how many contacts are due; destroy nothing"},
	{NULL, NULL, NULL},
};

static int
cmd_pd_destroy_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err e;
	int64_t	   act;
	int	   n, dry = cmd_flag(c, 0);

	(void)argc;
	(void)argv;
	err_clear(&e);
	if (pd_destroy(c->db, c->actor, c->org->id, clock_now(), dry, &n,
	    &act, &e) != 0)
		return cmd_error(&e);
	if (n == 0)
		printf("no personal data is due for destruction\n");
	else if (dry)
		printf("dry run: %d contact%s due; nothing was destroyed\n", n,
		    n == 1 ? "" : "s");
	else
		printf("destroyed the personal data of %d contact%s; act %lld "
		    "('otklik pd act %lld')\n", n, n == 1 ? "" : "s",
		    (long long)act, (long long)act);
	return EXIT_OK;
}

const struct cmd_entry cmd_pd_destroy_entry = {
	.name = "pd destroy",
	.args = "",
	.summary = "destroy the personal data that is due, with an act",
	.help = "Empties every contact whose bases have ended and whose date "
		"has come (see\n'pd list --due'): name, e-mail, phone, address "
		"and key. Messages stay,\nanonymous. Writes the act of "
		"destruction with an extract of the event log.",
	.opts = destroy_opts,
	.flags = CMD_ORG,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_pd_destroy_exec,
};

static const struct cmd_opt act_opts[] = {
	{"format", "FORMAT", "text (default) or html"},
	{"output", "FILE", "write to a file (default: standard output)"},
	{NULL, NULL, NULL},
};

static int
cmd_pd_act_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct buf  b;
	struct err  e;
	const char *f = cmd_opt(c, 0);
	int64_t	    id;
	int	    html = 0, r;

	(void)argc;
	err_clear(&e);
	if (f != NULL && strcmp(f, "html") == 0)
		html = 1;
	else if (f != NULL && strcmp(f, "text") != 0)
		return cmd_fail(EXIT_USAGE, "--format %s: text or html", f);
	if (cmd_parse_int("act", argv[0], 1, INT64_MAX, &id) != 0)
		return EXIT_USAGE;
	buf_init(&b, BUF_MAX_DEFAULT);
	r = pd_act_render(c->db, c->org->id, id, html, &b, &e);
	if (r == 0)
		r = buf_write_file(&b, cmd_opt(c, 1), &e);
	buf_free(&b);
	return r == 0 ? EXIT_OK : cmd_error(&e);
}

const struct cmd_entry cmd_pd_act_entry = {
	.name = "pd act",
	.args = "ID",
	.summary = "print an act of destruction of personal data",
	.help = NULL,
	.opts = act_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_pd_act_exec,
};

/*
 * otklik template add|list|edit: the knowledge base of answer templates
 * of R-FB-6.  A template's text comes from the command line or a file
 * ("-" for standard input), since a real answer runs to many lines.
 */
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "cmd.h"
#include "db.h"
#include "feedback_dict.h"
#include "org.h"

/* The text of a template: the argument, or --file.  Returns 0 or the
 * exit code after the message; *out is NULL when neither is given. */
static int
template_text(const char *arg, const char *file, char **out)
{
	struct buf b;
	struct err e;

	*out = NULL;
	if (arg != NULL && file != NULL)
		return cmd_fail(EXIT_USAGE, "the text as an argument or with "
		    "--file, not both");
	if (arg != NULL) {
		*out = xstrdup(arg);
		return 0;
	}
	if (file == NULL)
		return 0;
	err_clear(&e);
	buf_init(&b, FB_TEMPLATE_MAX + 1);
	if (buf_read_file(&b, file, &e) != 0) {
		buf_free(&b);
		return e.code ? cmd_error(&e)
			      : cmd_fail(EXIT_DATAERR, "%s: longer than %d "
				  "bytes", file, FB_TEMPLATE_MAX);
	}
	*out = buf_detach(&b);
	return 0;
}

static int
topic_arg(struct cmd_ctx *c, const char *s, int64_t *id)
{
	struct err e;

	err_clear(&e);
	if (s == NULL || *s == '\0') {
		*id = 0;
		return 0;
	}
	if (fb_topic_find(c->db, c->org->id, "topic", s, id, &e) != 0)
		return cmd_error(&e);
	return 0;
}

/*
 * template add
 */

enum { A_TOPIC, A_FILE };
static const struct cmd_opt add_opts[] = {
	[A_TOPIC] = {"topic", "TOPIC", "the topic it answers (title or number)"},
	[A_FILE] = {"file", "FILE", "the text from a file (\"-\": standard "
				    "input)"},
	{NULL, NULL, NULL},
};

static int
cmd_template_add_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err e;
	char	  *text;
	int64_t	   topic, id;
	int	   r;

	err_clear(&e);
	if ((r = topic_arg(c, cmd_opt(c, A_TOPIC), &topic)) != 0 ||
	    (r = template_text(argc > 1 ? argv[1] : NULL, cmd_opt(c, A_FILE),
	    &text)) != 0)
		return r;
	if (text == NULL)
		return cmd_fail(EXIT_USAGE, "template add: the text is missing "
		    "(an argument or --file)");
	r = fb_template_add(c->db, c->actor, c->org->id, argv[0], text, topic,
	    &id, &e);
	free(text);
	if (r != 0)
		return cmd_error(&e);
	printf("%lld\n", (long long)id);
	return EXIT_OK;
}

const struct cmd_entry cmd_template_add_entry = {
	.name = "template add",
	.args = "TITLE [TEXT]",
	.summary = "add an answer template to the knowledge base",
	.opts = add_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 2,
	.exec = cmd_template_add_exec,
};

/*
 * template list
 */

enum { L_SEARCH, L_ALL, L_TEXT };
static const struct cmd_opt list_opts[] = {
	[L_SEARCH] = {"search", "WORDS", "only those with every word, in any "
					 "form"},
	[L_ALL] = {"all", NULL, "the inactive ones too"},
	[L_TEXT] = {"text", NULL, "print each text after its line"},
	{NULL, NULL, NULL},
};

static int
cmd_template_list_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct fb_template *v;
	struct err	    e;
	int		    n, i;

	(void)argc;
	(void)argv;
	err_clear(&e);
	n = fb_template_list(c->db, c->org->id, cmd_opt(c, L_SEARCH),
	    !cmd_flag(c, L_ALL), 0, &v, &e);
	if (n < 0)
		return cmd_error(&e);
	for (i = 0; i < n; i++) {
		printf("%lld\t%s\t%s\t%d%s\n", (long long)v[i].id, v[i].title,
		    v[i].topic != NULL ? v[i].topic : "-", v[i].uses,
		    v[i].active ? "" : "\tinactive");
		if (cmd_flag(c, L_TEXT))
			printf("%s\n\n", v[i].body);
	}
	fb_templates_free(v, n);
	return EXIT_OK;
}

const struct cmd_entry cmd_template_list_entry = {
	.name = "template list",
	.summary = "list answer templates: number, title, topic, times used",
	.opts = list_opts,
	.flags = CMD_ORG,
	.exec = cmd_template_list_exec,
};

/*
 * template edit
 */

enum { E_TITLE, E_FILE, E_TOPIC, E_DEACTIVATE, E_ACTIVATE };
static const struct cmd_opt edit_opts[] = {
	[E_TITLE] = {"title", "TITLE", "a new title"},
	[E_FILE] = {"file", "FILE", "a new text from a file (\"-\": standard "
				    "input)"},
	[E_TOPIC] = {"topic", "TOPIC", "another topic (\"\" for none)"},
	[E_DEACTIVATE] = {"deactivate", NULL, "no longer offered"},
	[E_ACTIVATE] = {"activate", NULL, "offered again"},
	{NULL, NULL, NULL},
};

static int
cmd_template_edit_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err e;
	char	  *text;
	int64_t	   id, topic = -1;
	int	   r, active = -1;

	err_clear(&e);
	if (cmd_parse_int("template", argv[0], 1, INT64_MAX, &id) != 0)
		return EXIT_USAGE;
	if (cmd_flag(c, E_DEACTIVATE) && cmd_flag(c, E_ACTIVATE))
		return cmd_fail(EXIT_USAGE, "template edit: --activate or "
		    "--deactivate, not both");
	active = cmd_flag(c, E_DEACTIVATE) ? 0 : cmd_flag(c, E_ACTIVATE) ? 1
	    : -1;
	if ((cmd_opt(c, E_TOPIC) != NULL &&
	    (r = topic_arg(c, cmd_opt(c, E_TOPIC), &topic)) != 0) ||
	    (r = template_text(argc > 1 ? argv[1] : NULL, cmd_opt(c, E_FILE),
	    &text)) != 0)
		return r;
	r = fb_template_update(c->db, c->actor, c->org->id, id,
	    cmd_opt(c, E_TITLE), text, topic, active, &e);
	free(text);
	return r != 0 ? cmd_error(&e) : EXIT_OK;
}

const struct cmd_entry cmd_template_edit_entry = {
	.name = "template edit",
	.args = "NUMBER [TEXT]",
	.summary = "change an answer template, or deactivate it",
	.opts = edit_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 2,
	.exec = cmd_template_edit_exec,
};

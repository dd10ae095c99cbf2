/*
 * otklik topic add|edit|list|suggest|evaluate: the dictionary of topics
 * and reasons of R-FB-7, the suggestions it gives for a text, and how
 * well the classifier does on labelled messages held out from its
 * training (the organization's own, or a file topic<TAB>reason<TAB>text).
 */
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "classify.h"
#include "cmd.h"
#include "db.h"
#include "feedback.h"
#include "feedback_dict.h"
#include "org.h"

/* Rows of a labelled file and bytes of one, at most. */
#define LABELLED_ROWS_MAX  FB_EXAMPLES_MAX
#define LABELLED_FILE_MAX  ((size_t)64 << 20)

static const char *
kind_of(const struct cmd_ctx *c, int reason_opt)
{
	return cmd_flag(c, reason_opt) ? "reason" : "topic";
}

/*
 * topic add
 */

enum { A_REASON, A_KEYWORDS };
static const struct cmd_opt add_opts[] = {
	[A_REASON] = {"reason", NULL, "a reason (what prompted a message), "
				      "not a topic"},
	[A_KEYWORDS] = {"keywords", "PATTERNS", "words that suggest it: "
	    "\"запис+приём|очеред\" (\"|\" or, \"+\" and; any form of a "
	    "word)"},
	{NULL, NULL, NULL},
};

static int
cmd_topic_add_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err e;
	int64_t	   id;

	(void)argc;
	err_clear(&e);
	if (fb_topic_add(c->db, c->actor, c->org->id, kind_of(c, A_REASON),
	    argv[0], cmd_opt(c, A_KEYWORDS), &id, &e) != 0)
		return cmd_error(&e);
	printf("%lld\n", (long long)id);
	return EXIT_OK;
}

const struct cmd_entry cmd_topic_add_entry = {
	.name = "topic add",
	.args = "TITLE",
	.summary = "add a topic or a reason of feedback, with its keywords",
	.opts = add_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_topic_add_exec,
};

/*
 * topic edit
 */

enum { E_REASON, E_TITLE, E_KEYWORDS, E_DEACTIVATE, E_ACTIVATE };
static const struct cmd_opt edit_opts[] = {
	[E_REASON] = {"reason", NULL, "TOPIC names a reason"},
	[E_TITLE] = {"title", "TITLE", "a new title"},
	[E_KEYWORDS] = {"keywords", "PATTERNS", "new keywords (\"\" for none)"},
	[E_DEACTIVATE] = {"deactivate", NULL, "no longer offered (kept on "
					      "the messages it labels)"},
	[E_ACTIVATE] = {"activate", NULL, "offered again"},
	{NULL, NULL, NULL},
};

static int
cmd_topic_edit_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err e;
	int64_t	   id;
	int	   active = -1;

	(void)argc;
	err_clear(&e);
	if (cmd_flag(c, E_DEACTIVATE) && cmd_flag(c, E_ACTIVATE))
		return cmd_fail(EXIT_USAGE, "topic edit: --activate or "
		    "--deactivate, not both");
	if (cmd_flag(c, E_DEACTIVATE))
		active = 0;
	if (cmd_flag(c, E_ACTIVATE))
		active = 1;
	if (fb_topic_find(c->db, c->org->id, kind_of(c, E_REASON), argv[0],
	    &id, &e) != 0 ||
	    fb_topic_update(c->db, c->actor, c->org->id, id,
	    cmd_opt(c, E_TITLE), cmd_opt(c, E_KEYWORDS), active, &e) != 0)
		return cmd_error(&e);
	return EXIT_OK;
}

const struct cmd_entry cmd_topic_edit_entry = {
	.name = "topic edit",
	.args = "TOPIC",
	.summary = "change a topic or a reason (by title or number), or "
		   "deactivate it",
	.opts = edit_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_topic_edit_exec,
};

/*
 * topic list
 */

enum { L_REASON, L_ALL };
static const struct cmd_opt list_opts[] = {
	[L_REASON] = {"reason", NULL, "reasons instead of topics"},
	[L_ALL] = {"all", NULL, "the inactive ones too"},
	{NULL, NULL, NULL},
};

static int
cmd_topic_list_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct fb_topic *v;
	struct err	 e;
	int		 n, i;

	(void)argc;
	(void)argv;
	err_clear(&e);
	n = fb_topic_list(c->db, c->org->id, kind_of(c, L_REASON),
	    !cmd_flag(c, L_ALL), &v, &e);
	if (n < 0)
		return cmd_error(&e);
	for (i = 0; i < n; i++)
		printf("%lld\t%s\t%s\t%s%s\n", (long long)v[i].id, v[i].kind,
		    v[i].title, v[i].keywords, v[i].active ? "" : "\tinactive");
	fb_topics_free(v, n);
	return EXIT_OK;
}

const struct cmd_entry cmd_topic_list_entry = {
	.name = "topic list",
	.summary = "list topics (or reasons): number, kind, title, keywords",
	.opts = list_opts,
	.flags = CMD_ORG,
	.exec = cmd_topic_list_exec,
};

/*
 * topic suggest
 */

static int
cmd_topic_suggest_exec(struct cmd_ctx *c, int argc, char **argv)
{
	static const char   *kinds[] = {"topic", "reason"};
	struct fb_classifier *fc;
	struct fb_suggestion  s[3];
	struct buf	      in;
	struct err	      e;
	size_t		      k;
	int		      n, i, total = 0;

	(void)argc;
	err_clear(&e);
	buf_init(&in, FB_TEXT_MAX);
	if (strcmp(argv[0], "-") == 0) {
		if (buf_read_file(&in, "-", &e) != 0) {
			buf_free(&in);
			return cmd_error(&e);
		}
	} else
		buf_puts(&in, argv[0]);
	if ((fc = fb_classifier_load(c->db, c->org->id, &e)) == NULL) {
		buf_free(&in);
		return cmd_error(&e);
	}
	for (k = 0; k < nitems(kinds); k++) {
		n = fb_classifier_suggest(fc, kinds[k], buf_str(&in), s,
		    (int)nitems(s));
		for (i = 0; i < n; i++)
			printf("%s\t%s\t%.0f %%\t%s\n", kinds[k], s[i].title,
			    s[i].confidence * 100, s[i].why);
		total += n;
	}
	fb_classifier_free(fc);
	buf_free(&in);
	if (total == 0)
		fputs("no suggestion: no keyword matches and nothing like it "
		      "was labelled\n", stderr);
	return total > 0 ? EXIT_OK : EXIT_FOUND;
}

const struct cmd_entry cmd_topic_suggest_entry = {
	.name = "topic suggest",
	.args = "TEXT|-",
	.summary = "suggest topics and reasons for a text, with confidence",
	.help = "Prints kind, title, confidence and why (the dictionary's "
		"keywords or the classifier\ntrained on labelled messages); "
		"exits 1 when there is nothing to suggest.",
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_topic_suggest_exec,
};

/*
 * topic evaluate
 */

enum { V_FILE, V_REASON, V_K, V_REPORT };
static const struct cmd_opt eval_opts[] = {
	[V_FILE] = {"file", "FILE", "labelled messages: "
				    "topic<TAB>reason<TAB>text per line"},
	[V_REASON] = {"reason", NULL, "evaluate the reasons, not topics"},
	[V_K] = {"k", "N", "hold out every N-th message (default 5)"},
	[V_REPORT] = {"report", NULL, "also precision and recall per label"},
	{NULL, NULL, NULL},
};

/* Splits a labelled file; the label column of the kind and the text. */
static int
labelled_parse(char *data, int reason, char ***labels, char ***texts,
    int *n)
{
	char *line, *next, *t1, *t2;
	long  lineno = 0;

	*labels = xcalloc(LABELLED_ROWS_MAX, sizeof(char *));
	*texts = xcalloc(LABELLED_ROWS_MAX, sizeof(char *));
	*n = 0;
	for (line = data; line != NULL && *line != '\0'; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		line[strcspn(line, "\r")] = '\0';
		if (*line == '\0' || *line == '#')
			continue;
		/* A header line names the columns; it is not a message. */
		if (*n == 0 && strcmp(line, "topic\treason\ttext") == 0)
			continue;
		if ((t1 = strchr(line, '\t')) == NULL ||
		    (t2 = strchr(t1 + 1, '\t')) == NULL)
			return cmd_fail(EXIT_DATAERR, "line %ld: expected "
			    "topic<TAB>reason<TAB>text", lineno), -1;
		*t1 = *t2 = '\0';
		if (*n == LABELLED_ROWS_MAX)
			return cmd_fail(EXIT_DATAERR, "line %ld: more than %d "
			    "messages", lineno, LABELLED_ROWS_MAX), -1;
		(*labels)[*n] = reason ? t1 + 1 : line;
		(*texts)[*n] = t2 + 1;
		(*n)++;
	}
	return 0;
}

static int
eval_file(struct cmd_ctx *c, int k, struct cls_eval *ev, struct buf *rep)
{
	struct buf data;
	struct err e;
	char	 **labels = NULL, **texts = NULL;
	long	   bad;
	int	   n, r = EXIT_OK;

	err_clear(&e);
	buf_init(&data, LABELLED_FILE_MAX);
	if (buf_read_file(&data, cmd_opt(c, V_FILE), &e) != 0) {
		buf_free(&data);
		return cmd_error(&e);
	}
	if ((bad = utf8_invalid_at(data.data, data.len)) >= 0)
		r = cmd_fail(EXIT_DATAERR, "%s: not valid UTF-8 at byte %ld",
		    cmd_opt(c, V_FILE), bad);
	else if (labelled_parse(data.data, cmd_flag(c, V_REASON), &labels,
	    &texts, &n) != 0)
		r = EXIT_DATAERR;
	else if (classifier_evaluate((const char **)labels,
	    (const char **)texts, n, k, ev, rep) != 0)
		r = cmd_fail(EXIT_DATAERR, "%s: too few messages (%d) to hold "
		    "every %d-th out", cmd_opt(c, V_FILE), n, k);
	free(labels);
	free(texts);
	buf_free(&data);
	return r;
}

static int
cmd_topic_evaluate_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct cls_eval ev;
	struct buf	rep;
	struct err	e;
	int64_t		k = 5;
	int		r = EXIT_OK;

	(void)argc;
	(void)argv;
	err_clear(&e);
	memset(&ev, 0, sizeof(ev));
	if (cmd_opt(c, V_K) != NULL &&
	    cmd_parse_int("--k", cmd_opt(c, V_K), 2, 1000, &k) != 0)
		return EXIT_USAGE;
	buf_init(&rep, BUF_MAX_DEFAULT);
	if (cmd_opt(c, V_FILE) != NULL)
		r = eval_file(c, (int)k, &ev, &rep);
	else if (fb_classifier_evaluate(c->db, c->org->id,
	    kind_of(c, V_REASON), (int)k, &ev, &rep, &e) != 0)
		r = cmd_error(&e);
	if (r == EXIT_OK) {
		printf("accuracy measured on %d held-out messages: %.0f %%\n",
		    ev.total, ev.accuracy * 100);
		printf("among the first three: %.0f %%\n", ev.top3 * 100);
		printf("labels: %d\n", ev.labels);
		if (cmd_flag(c, V_REPORT))
			fputs(buf_str(&rep), stdout);
	}
	buf_free(&rep);
	return r;
}

const struct cmd_entry cmd_topic_evaluate_entry = {
	.name = "topic evaluate",
	.summary = "the classifier's accuracy on held-out labelled messages",
	.help = "Every k-th labelled message is held out, the classifier "
		"learns from the rest and\nsuggests a topic (or reason) for "
		"each held-out one.  Without --file, the\norganization's "
		"messages that staff have classified are used.",
	.opts = eval_opts,
	.flags = CMD_ORG,
	.exec = cmd_topic_evaluate_exec,
};

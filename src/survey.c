/*
 * Surveys (R-SRV): an instrument's definition as JSON, read strictly and
 * written back canonically; a respondent's answers checked against it,
 * with conditional display; and the one arithmetic of R-SRV-5 that makes
 * figures comparable.  Nothing here touches the database.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "otklik.h"
#include "survey.h"

const char *const srv_standard_codes[] = {
	"services", "appeals", "information", "internal", NULL,
};

/* R-SRV-5 gives the anchors; they are kept word for word. */
const char *const srv_anchor_ru[SRV_SCALE + 1] = {
	"",
	"неудовлетворительно, не устраивает",
	"плохо, не соответствует минимальным требованиям",
	"удовлетворительно, но со значительными недостатками",
	"в целом хорошо, за исключением незначительных недостатков",
	"отлично, полностью удовлетворен(а)",
};

const char *const srv_anchor_en[SRV_SCALE + 1] = {
	"",
	"unsatisfactory, not acceptable",
	"poor, does not meet the minimum requirements",
	"satisfactory, but with significant shortcomings",
	"good on the whole, except for minor shortcomings",
	"excellent, fully satisfied",
};

static const char *const qtype_names[] = {
	[SRV_RATING] = "rating",
	[SRV_SINGLE] = "single",
	[SRV_MULTI] = "multi",
	[SRV_TEXT] = "text",
};

const char *
srv_qtype_name(enum srv_qtype t)
{
	if ((size_t)t >= nitems(qtype_names))
		return "?";
	return qtype_names[t];
}

int
srv_qtype_parse(const char *s)
{
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < nitems(qtype_names); i++)
		if (strcmp(s, qtype_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
srv_text(const char *ru, const char *en, const char *lang)
{
	if (lang != NULL && strcmp(lang, "en") == 0 && en != NULL &&
	    *en != '\0')
		return en;
	return ru != NULL ? ru : "";
}

/*
 * A code names an instrument in addresses and a question in form fields
 * and result tables: a lowercase Latin letter, then letters, digits, '_'
 * and '-'.
 */
static int
code_valid(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > SRV_CODE_MAX || !islower((unsigned char)s[0]))
		return 0;
	for (i = 1; i < n; i++)
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return 0;
	return 1;
}

/*
 * Valid UTF-8 without control characters; line breaks and tabs only
 * where lines are allowed.  C1 controls count too: they come from badly
 * converted text and show as nothing.
 */
static const char *
text_problem(const char *s, size_t len, int lines)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t		     i;

	if (utf8_invalid_at(s, len) >= 0)
		return "is not valid UTF-8 text";
	for (i = 0; i < len; i++) {
		if (lines && (p[i] == '\n' || p[i] == '\t' || p[i] == '\r'))
			continue;
		if (p[i] < 0x20 || p[i] == 0x7f ||
		    (p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 &&
			p[i + 1] <= 0x9f))
			return "contains control characters";
	}
	return NULL;
}

/* ---- reading a definition ---- */

static const char *const top_members[] = {
	"code", "title_ru", "title_en", "intro_ru", "intro_en", "client",
	"access", "questions", NULL,
};
static const char *const question_members[] = {
	"code", "type", "text_ru", "text_en", "hint_ru", "hint_en",
	"required", "max", "options", "show_if", "show_any", NULL,
};
static const char *const option_members[] = {
	"code", "text_ru", "text_en", NULL,
};

/* Whether a member name is safe to repeat in a message. */
static int
name_plain(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > SRV_CODE_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return 0;
	return 1;
}

static int
members_known(json_t *o, const char *const *known, const char *where,
    struct err *e)
{
	const char *key;
	json_t	   *v;
	size_t	    i;

	json_object_foreach(o, key, v) {
		for (i = 0; known[i] != NULL; i++)
			if (strcmp(key, known[i]) == 0)
				break;
		if (known[i] != NULL)
			continue;
		if (name_plain(key))
			return err_set(e, EXIT_DATAERR,
			    "%sunknown member '%s'", where, key);
		return err_set(e, EXIT_DATAERR,
		    "%san unknown member (not a plain name)", where);
	}
	return 0;
}

/*
 * A string member: absent leaves *out NULL (an error when required);
 * otherwise it must be a string within max bytes, without control
 * characters (lines: line breaks allowed).
 */
static int
get_text(json_t *o, const char *key, int required, size_t max, int lines,
    char **out, const char *where, struct err *e)
{
	json_t	   *v = json_object_get(o, key);
	const char *s, *why;
	size_t	    len;

	*out = NULL;
	if (v == NULL) {
		if (required)
			return err_set(e, EXIT_DATAERR, "%s%s is missing",
			    where, key);
		return 0;
	}
	if (!json_is_string(v))
		return err_set(e, EXIT_DATAERR, "%s%s must be a string", where,
		    key);
	s = json_string_value(v);
	len = json_string_length(v);
	if (len > max)
		return err_set(e, EXIT_DATAERR,
		    "%s%s is longer than %zu bytes", where, key, max);
	if (strlen(s) != len)
		return err_set(e, EXIT_DATAERR, "%s%s contains a NUL character",
		    where, key);
	if ((why = text_problem(s, len, lines)) != NULL)
		return err_set(e, EXIT_DATAERR, "%s%s %s", where, key, why);
	if (required && str_empty(s))
		return err_set(e, EXIT_DATAERR, "%s%s is empty", where, key);
	*out = xstrdup(s);
	return 0;
}

/* A code member, required. */
static int
get_code(json_t *o, const char *key, char **out, const char *where,
    struct err *e)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL)
		return err_set(e, EXIT_DATAERR, "%s%s is missing", where, key);
	if (!json_is_string(v) || !code_valid(json_string_value(v)))
		return err_set(e, EXIT_DATAERR,
		    "%s%s must be 1 to %d of a-z, 0-9, '_' and '-', starting "
		    "with a letter", where, key, SRV_CODE_MAX);
	*out = xstrdup(json_string_value(v));
	return 0;
}

/* A member that is one of a few words, with a default when absent. */
static int
get_word(json_t *o, const char *key, const char *a, const char *b,
    char *out, size_t size, const char *where, struct err *e)
{
	json_t	   *v = json_object_get(o, key);
	const char *s;

	if (v == NULL) {
		snprintf(out, size, "%s", a);
		return 0;
	}
	s = json_is_string(v) ? json_string_value(v) : "";
	if (strcmp(s, a) != 0 && strcmp(s, b) != 0)
		return err_set(e, EXIT_DATAERR, "%s%s must be '%s' or '%s'",
		    where, key, a, b);
	snprintf(out, size, "%s", s);
	return 0;
}

static int
parse_option(struct srv_question *q, size_t k, json_t *oj, const char *qwhere,
    struct err *e)
{
	struct srv_option *o = &q->options[k];
	char		   where[160];
	size_t		   j;

	snprintf(where, sizeof(where), "%soption %zu: ", qwhere, k + 1);
	if (!json_is_object(oj))
		return err_set(e, EXIT_DATAERR, "%smust be an object", where);
	if (get_code(oj, "code", &o->code, where, e) != 0)
		return -1;
	snprintf(where, sizeof(where), "%soption %zu (%s): ", qwhere, k + 1,
	    o->code);
	if (members_known(oj, option_members, where, e) != 0)
		return -1;
	for (j = 0; j < k; j++)
		if (strcmp(q->options[j].code, o->code) == 0)
			return err_set(e, EXIT_DATAERR,
			    "%sthe code is that of option %zu too", where,
			    j + 1);
	if (get_text(oj, "text_ru", 1, SRV_TITLE_MAX, 0, &o->text_ru, where,
		e) != 0 ||
	    get_text(oj, "text_en", 0, SRV_TITLE_MAX, 0, &o->text_en, where,
		e) != 0)
		return -1;
	return 0;
}

static int
parse_options(struct srv_question *q, json_t *qj, const char *where,
    struct err *e)
{
	json_t *v = json_object_get(qj, "options");
	size_t	k, n;

	if (q->type != SRV_SINGLE && q->type != SRV_MULTI) {
		if (v != NULL)
			return err_set(e, EXIT_DATAERR,
			    "%soptions are only for single and multi "
			    "questions", where);
		return 0;
	}
	if (v == NULL)
		return err_set(e, EXIT_DATAERR,
		    "%sa %s question needs options", where,
		    srv_qtype_name(q->type));
	if (!json_is_array(v))
		return err_set(e, EXIT_DATAERR,
		    "%soptions must be an array", where);
	n = json_array_size(v);
	if (n == 0)
		return err_set(e, EXIT_DATAERR,
		    "%sa %s question needs options", where,
		    srv_qtype_name(q->type));
	if (n > SRV_OPTIONS_MAX)
		return err_set(e, EXIT_DATAERR,
		    "%smore than %d options", where, SRV_OPTIONS_MAX);
	q->options = xcalloc(n, sizeof(*q->options));
	q->noptions = n;
	for (k = 0; k < n; k++)
		if (parse_option(q, k, json_array_get(v, k), where, e) != 0)
			return -1;
	return 0;
}

static int
option_index(const struct srv_question *q, const char *code)
{
	size_t k;

	for (k = 0; k < q->noptions; k++)
		if (strcmp(q->options[k].code, code) == 0)
			return (int)k;
	return -1;
}

/* show_if and show_any: an earlier choice question and its options. */
static int
parse_show(struct srv_def *d, size_t i, json_t *qj, const char *where,
    struct err *e)
{
	struct srv_question *q = &d->q[i];
	const struct srv_question *c;
	json_t		    *si = json_object_get(qj, "show_if");
	json_t		    *sa = json_object_get(qj, "show_any");
	const char	    *s;
	size_t		     k, j, n;
	int		     ci;

	if (si == NULL) {
		if (sa != NULL)
			return err_set(e, EXIT_DATAERR,
			    "%sshow_any without show_if", where);
		return 0;
	}
	if (!json_is_string(si) || !code_valid(json_string_value(si)))
		return err_set(e, EXIT_DATAERR,
		    "%sshow_if must be the code of an earlier question", where);
	s = json_string_value(si);
	ci = srv_def_find(d, s);
	if (ci < 0 || (size_t)ci >= i)
		return err_set(e, EXIT_DATAERR,
		    "%sshow_if names '%s', which is not an earlier question",
		    where, s);
	c = &d->q[ci];
	if (c->type != SRV_SINGLE && c->type != SRV_MULTI)
		return err_set(e, EXIT_DATAERR,
		    "%sshow_if names '%s', which is not a single or multi "
		    "question", where, s);
	q->show_if = xstrdup(s);
	if (sa == NULL || !json_is_array(sa) ||
	    (n = json_array_size(sa)) == 0)
		return err_set(e, EXIT_DATAERR,
		    "%sshow_any must list the options of '%s' that show this "
		    "question", where, s);
	if (n > c->noptions)
		return err_set(e, EXIT_DATAERR,
		    "%sshow_any lists more options than '%s' has", where, s);
	q->show_any = xcalloc(n, sizeof(*q->show_any));
	for (k = 0; k < n; k++) {
		json_t *v = json_array_get(sa, k);

		if (!json_is_string(v) || !code_valid(json_string_value(v)))
			return err_set(e, EXIT_DATAERR,
			    "%sshow_any item %zu is not an option code", where,
			    k + 1);
		if (option_index(c, json_string_value(v)) < 0)
			return err_set(e, EXIT_DATAERR,
			    "%sshow_any names '%s', which is not an option of "
			    "'%s'", where, json_string_value(v), s);
		for (j = 0; j < k; j++)
			if (strcmp(q->show_any[j], json_string_value(v)) == 0)
				return err_set(e, EXIT_DATAERR,
				    "%sshow_any names '%s' twice", where,
				    q->show_any[j]);
		q->show_any[k] = xstrdup(json_string_value(v));
		q->nshow_any = k + 1;
	}
	return 0;
}

static int
parse_question(struct srv_def *d, size_t i, json_t *qj, struct err *e)
{
	struct srv_question *q = &d->q[i];
	json_t		    *v;
	char		     where[96];
	size_t		     j;
	json_int_t	     max;
	int		     t;

	snprintf(where, sizeof(where), "question %zu: ", i + 1);
	if (!json_is_object(qj))
		return err_set(e, EXIT_DATAERR, "%smust be an object", where);
	if (get_code(qj, "code", &q->code, where, e) != 0)
		return -1;
	snprintf(where, sizeof(where), "question %zu (%s): ", i + 1, q->code);
	if (members_known(qj, question_members, where, e) != 0)
		return -1;
	for (j = 0; j < i; j++)
		if (strcmp(d->q[j].code, q->code) == 0)
			return err_set(e, EXIT_DATAERR,
			    "%sthe code is that of question %zu too", where,
			    j + 1);
	v = json_object_get(qj, "type");
	if (v == NULL)
		return err_set(e, EXIT_DATAERR, "%stype is missing", where);
	if ((t = srv_qtype_parse(json_string_value(v))) < 0)
		return err_set(e, EXIT_DATAERR,
		    "%stype must be rating, single, multi or text", where);
	q->type = (enum srv_qtype)t;
	if (get_text(qj, "text_ru", 1, SRV_TITLE_MAX, 0, &q->text_ru, where,
		e) != 0 ||
	    get_text(qj, "text_en", 0, SRV_TITLE_MAX, 0, &q->text_en, where,
		e) != 0 ||
	    get_text(qj, "hint_ru", 0, SRV_INTRO_MAX, 1, &q->hint_ru, where,
		e) != 0 ||
	    get_text(qj, "hint_en", 0, SRV_INTRO_MAX, 1, &q->hint_en, where,
		e) != 0)
		return -1;
	if ((v = json_object_get(qj, "required")) != NULL) {
		if (!json_is_boolean(v))
			return err_set(e, EXIT_DATAERR,
			    "%srequired must be true or false", where);
		q->required = json_is_true(v);
	}
	if ((v = json_object_get(qj, "max")) != NULL) {
		if (q->type != SRV_TEXT)
			return err_set(e, EXIT_DATAERR,
			    "%smax is only for text questions", where);
		max = json_is_integer(v) ? json_integer_value(v) : 0;
		if (max < 1 || max > SRV_ANSWER_MAX)
			return err_set(e, EXIT_DATAERR,
			    "%smax must be a number of bytes from 1 to %d",
			    where, SRV_ANSWER_MAX);
		q->max = (size_t)max;
	}
	if (parse_options(q, qj, where, e) != 0)
		return -1;
	return parse_show(d, i, qj, where, e);
}

static int
parse_def(struct srv_def *d, json_t *root, struct err *e)
{
	json_t *qs;
	size_t	i, n;

	if (!json_is_object(root))
		return err_set(e, EXIT_DATAERR,
		    "the definition must be a JSON object");
	if (get_code(root, "code", &d->code, "", e) != 0 ||
	    members_known(root, top_members, "", e) != 0 ||
	    get_text(root, "title_ru", 1, SRV_TITLE_MAX, 0, &d->title_ru, "",
		e) != 0 ||
	    get_text(root, "title_en", 0, SRV_TITLE_MAX, 0, &d->title_en, "",
		e) != 0 ||
	    get_text(root, "intro_ru", 0, SRV_INTRO_MAX, 1, &d->intro_ru, "",
		e) != 0 ||
	    get_text(root, "intro_en", 0, SRV_INTRO_MAX, 1, &d->intro_en, "",
		e) != 0 ||
	    get_word(root, "client", "external", "internal", d->client,
		sizeof(d->client), "", e) != 0 ||
	    get_word(root, "access", "open", "invite", d->access,
		sizeof(d->access), "", e) != 0)
		return -1;
	qs = json_object_get(root, "questions");
	if (qs == NULL || !json_is_array(qs) || (n = json_array_size(qs)) == 0)
		return err_set(e, EXIT_DATAERR,
		    "questions must be an array of at least one question");
	if (n > SRV_QUESTIONS_MAX)
		return err_set(e, EXIT_DATAERR, "more than %d questions",
		    SRV_QUESTIONS_MAX);
	d->q = xcalloc(n, sizeof(*d->q));
	for (i = 0; i < n; i++) {
		/* nq grows with each question read, so that the ones before
		 * are visible to show_if and all are freed on error. */
		d->nq = i + 1;
		if (parse_question(d, i, json_array_get(qs, i), e) != 0)
			return -1;
	}
	return 0;
}

int
srv_def_parse(struct srv_def *d, const char *text, size_t len, struct err *e)
{
	json_error_t je;
	json_t	    *root;
	int	     r;

	memset(d, 0, sizeof(*d));
	if (len > SRV_DEF_MAX)
		return err_set(e, EXIT_DATAERR,
		    "the definition is larger than %d bytes", SRV_DEF_MAX);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL)
		return err_set(e, EXIT_DATAERR,
		    "the definition is not JSON: line %d, column %d: %s",
		    je.line, je.column, je.text);
	r = parse_def(d, root, e);
	json_decref(root);
	if (r != 0) {
		srv_def_clear(d);
		return -1;
	}
	return 0;
}

/* ---- writing a definition ---- */

static void
put_str(json_t *o, const char *key, const char *s)
{
	if (s != NULL)
		json_object_set_new(o, key, json_string(s));
}

static json_t *
question_json(const struct srv_question *q)
{
	json_t *o = json_object(), *a, *op;
	size_t	k;

	put_str(o, "code", q->code);
	put_str(o, "type", srv_qtype_name(q->type));
	put_str(o, "text_ru", q->text_ru);
	put_str(o, "text_en", q->text_en);
	put_str(o, "hint_ru", q->hint_ru);
	put_str(o, "hint_en", q->hint_en);
	json_object_set_new(o, "required", json_boolean(q->required));
	if (q->type == SRV_TEXT && q->max > 0)
		json_object_set_new(o, "max", json_integer((json_int_t)q->max));
	if (q->type == SRV_SINGLE || q->type == SRV_MULTI) {
		a = json_array();
		for (k = 0; k < q->noptions; k++) {
			op = json_object();
			put_str(op, "code", q->options[k].code);
			put_str(op, "text_ru", q->options[k].text_ru);
			put_str(op, "text_en", q->options[k].text_en);
			json_array_append_new(a, op);
		}
		json_object_set_new(o, "options", a);
	}
	if (q->show_if != NULL) {
		put_str(o, "show_if", q->show_if);
		a = json_array();
		for (k = 0; k < q->nshow_any; k++)
			json_array_append_new(a, json_string(q->show_any[k]));
		json_object_set_new(o, "show_any", a);
	}
	return o;
}

char *
srv_def_json(const struct srv_def *d)
{
	json_t *o = json_object(), *a = json_array();
	char   *s;
	size_t	i;

	put_str(o, "code", d->code);
	put_str(o, "title_ru", d->title_ru);
	put_str(o, "title_en", d->title_en);
	put_str(o, "intro_ru", d->intro_ru);
	put_str(o, "intro_en", d->intro_en);
	put_str(o, "client", d->client);
	put_str(o, "access", d->access);
	for (i = 0; i < d->nq; i++)
		json_array_append_new(a, question_json(&d->q[i]));
	json_object_set_new(o, "questions", a);
	s = json_dumps(o, JSON_SORT_KEYS | JSON_INDENT(2));
	json_decref(o);
	if (s == NULL)
		fatal("srv_def_json: cannot write the definition as JSON");
	return s;
}

static void
question_clear(struct srv_question *q)
{
	size_t k;

	free(q->code);
	free(q->text_ru);
	free(q->text_en);
	free(q->hint_ru);
	free(q->hint_en);
	for (k = 0; k < q->noptions; k++) {
		free(q->options[k].code);
		free(q->options[k].text_ru);
		free(q->options[k].text_en);
	}
	free(q->options);
	free(q->show_if);
	for (k = 0; k < q->nshow_any; k++)
		free(q->show_any[k]);
	free(q->show_any);
	memset(q, 0, sizeof(*q));
}

void
srv_def_clear(struct srv_def *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nq; i++)
		question_clear(&d->q[i]);
	free(d->q);
	free(d->code);
	free(d->title_ru);
	free(d->title_en);
	free(d->intro_ru);
	free(d->intro_en);
	memset(d, 0, sizeof(*d));
}

int
srv_def_find(const struct srv_def *d, const char *code)
{
	size_t i;

	if (code == NULL)
		return -1;
	for (i = 0; i < d->nq; i++)
		if (d->q[i].code != NULL && strcmp(d->q[i].code, code) == 0)
			return (int)i;
	return -1;
}

/* ---- answers ---- */

void
srv_resp_init(struct srv_resp *r, size_t nq)
{
	memset(r, 0, sizeof(*r));
	r->items = xcalloc(nq, sizeof(*r->items));
	r->nitems = nq;
}

static void
item_clear(struct srv_item *it)
{
	size_t k;

	for (k = 0; k < it->nchoices; k++)
		free(it->choices[k]);
	free(it->choices);
	free(it->text);
	memset(it, 0, sizeof(*it));
}

void
srv_resp_clear(struct srv_resp *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nitems; i++)
		item_clear(&r->items[i]);
	free(r->items);
	free(r->service);
	free(r->situation);
	free(r->paper_ref);
	memset(r, 0, sizeof(*r));
}

static int
item_chose(const struct srv_item *it, const char *code)
{
	size_t k;

	for (k = 0; k < it->nchoices; k++)
		if (it->choices[k] != NULL && strcmp(it->choices[k], code) == 0)
			return 1;
	return 0;
}

int
srv_visible(const struct srv_def *d, const struct srv_resp *r, size_t i)
{
	const struct srv_question *q;
	size_t			   k;
	int			   c;

	/* show_if names an earlier question, so this ends. */
	if (i >= d->nq)
		return 0;
	q = &d->q[i];
	if (q->show_if == NULL)
		return 1;
	c = srv_def_find(d, q->show_if);
	if (c < 0 || (size_t)c >= i || r == NULL || (size_t)c >= r->nitems ||
	    !srv_visible(d, r, (size_t)c))
		return 0;
	for (k = 0; k < q->nshow_any; k++)
		if (item_chose(&r->items[c], q->show_any[k]))
			return 1;
	return 0;
}

static int
item_given(const struct srv_question *q, const struct srv_item *it)
{
	switch (q->type) {
	case SRV_RATING:
		return it->rating != 0;
	case SRV_SINGLE:
	case SRV_MULTI:
		return it->nchoices > 0;
	case SRV_TEXT:
		return it->text != NULL;
	}
	return 0;
}

/* Drops what does not belong to the question's type. */
static void
item_trim(const struct srv_question *q, struct srv_item *it)
{
	size_t k;

	if (q->type != SRV_RATING)
		it->rating = 0;
	if (q->type != SRV_SINGLE && q->type != SRV_MULTI) {
		for (k = 0; k < it->nchoices; k++)
			free(it->choices[k]);
		free(it->choices);
		it->choices = NULL;
		it->nchoices = 0;
	}
	if (q->type != SRV_TEXT) {
		free(it->text);
		it->text = NULL;
	}
}

/*
 * A free-text answer: checked, white space squeezed (line breaks kept);
 * blank is no answer.
 */
static int
text_check(const struct srv_question *q, struct srv_item *it,
    const char **ru, const char **en)
{
	size_t max = q->max > 0 ? q->max : SRV_ANSWER_MAX;
	size_t len;
	char  *t;

	if (it->text == NULL)
		return 0;
	len = strlen(it->text);
	/* Far past the limit: refused before it is copied. */
	if (len > 4 * max)
		goto toolong;
	if (text_problem(it->text, len, 1) != NULL) {
		*ru = "Текст содержит недопустимые символы.";
		*en = "The text contains characters that are not allowed.";
		return -1;
	}
	t = str_squeeze_lines(it->text);
	free(it->text);
	it->text = NULL;
	if (*t == '\0') {
		free(t);
		return 0;
	}
	it->text = t;
	if (strlen(t) <= max)
		return 0;
toolong:
	*ru = "Текст слишком длинный.";
	*en = "The text is too long.";
	return -1;
}

static int
choice_check(const struct srv_question *q, const struct srv_item *it,
    const char **ru, const char **en)
{
	size_t k, j;

	if (q->type == SRV_SINGLE && it->nchoices > 1) {
		*ru = "Выберите один вариант.";
		*en = "Choose one option.";
		return -1;
	}
	for (k = 0; k < it->nchoices; k++) {
		if (it->choices[k] == NULL ||
		    option_index(q, it->choices[k]) < 0) {
			*ru = "Такого варианта ответа нет.";
			*en = "There is no such option.";
			return -1;
		}
		for (j = 0; j < k; j++)
			if (strcmp(it->choices[j], it->choices[k]) == 0) {
				*ru = "Вариант выбран дважды.";
				*en = "An option is chosen twice.";
				return -1;
			}
	}
	return 0;
}

/* One question's answer; 0, or -1 with the reason. */
static int
item_check(const struct srv_question *q, struct srv_item *it,
    const char **ru, const char **en)
{
	item_trim(q, it);
	switch (q->type) {
	case SRV_RATING:
		if (it->rating < 0 || it->rating > SRV_SCALE) {
			*ru = "Оценка должна быть от 1 до 5.";
			*en = "The rating must be from 1 to 5.";
			return -1;
		}
		break;
	case SRV_SINGLE:
	case SRV_MULTI:
		if (choice_check(q, it, ru, en) != 0)
			return -1;
		break;
	case SRV_TEXT:
		if (text_check(q, it, ru, en) != 0)
			return -1;
		break;
	}
	if (q->required && !item_given(q, it)) {
		*ru = "Ответьте на этот вопрос.";
		*en = "Please answer this question.";
		return -1;
	}
	return 0;
}

size_t
srv_validate(const struct srv_def *d, struct srv_resp *r,
    struct srv_error *errs, size_t maxerrs)
{
	const char *ru, *en;
	size_t	    i, n = 0;

	if (r->nitems != d->nq) {
		/* A response made for another definition: nothing in it can
		 * be trusted to line up. */
		if (maxerrs > 0) {
			errs[0].q = 0;
			errs[0].why_ru = "Анкета изменилась; заполните её "
					 "заново.";
			errs[0].why_en = "The questionnaire has changed; "
					 "please fill it in again.";
		}
		return 1;
	}
	/* In question order: show_if looks back only, so the questions a
	 * later one depends on are settled before it. */
	for (i = 0; i < d->nq; i++) {
		if (!srv_visible(d, r, i)) {
			item_clear(&r->items[i]);
			continue;
		}
		if (item_check(&d->q[i], &r->items[i], &ru, &en) == 0)
			continue;
		if (n < maxerrs) {
			errs[n].q = i;
			errs[n].why_ru = ru;
			errs[n].why_en = en;
		}
		n++;
	}
	return n < maxerrs || maxerrs == 0 ? n : maxerrs;
}

/* ---- R-SRV-5 ---- */

void
srv_score_add(struct srv_score *s, int rating)
{
	if (rating < 1 || rating > SRV_SCALE)
		return;
	s->n++;
	s->sum += rating;
	s->count[rating]++;
}

double
srv_score_index(const struct srv_score *s)
{
	if (s->n == 0)
		return NAN;
	/* The mean of (r - 1) * 25 over the ratings. */
	return (double)(s->sum - s->n) * 25.0 / (double)s->n;
}

double
srv_score_share(const struct srv_score *s)
{
	if (s->n == 0)
		return NAN;
	return 100.0 * (double)(s->count[4] + s->count[5]) / (double)s->n;
}

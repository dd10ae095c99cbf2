/*
 * Topic and reason suggestions (R-FB-7): a keyword dictionary matched on
 * stems, and multinomial naive Bayes with Laplace smoothing in log space,
 * combined as classify.h explains.  Counts are kept sparse, per stem a
 * short list of (label, count), because a stem is used by few labels.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "classify.h"
#include "text.h"

#define PATTERNS_MAX	4096	/* bytes of one classifier_add_keywords */
#define ALT_MAX		256	/* bytes of one "|" alternative */
#define SLOTS_MAX	131072	/* hash slots: a power of 2 > 2 * VOCAB */

struct label {
	char	*name;
	long	 docs;		/* examples */
	long	 tokens;	/* stems counted, the sum of its postings */
	int	 keywords;	/* dictionary alternatives */
};

struct posting {
	uint32_t label;
	uint32_t count;
};

struct stem {
	char		*text;
	uint32_t	 hash;
	struct posting	*post;
	int		 npost, cap;
};

struct keyword {
	int	 label;
	char	*stems;		/* "запис+прием", for text_match */
	char	*why;		/* "dictionary: запис+приём" */
};

struct classifier {
	struct label	*labels;
	int		 nlabels;
	struct stem	*stems;
	int		 nstems, capstems;
	int		*slots;		/* stem index + 1, 0 if free */
	size_t		 nslots;
	struct keyword	*kw;
	int		 nkw;
	long		 examples, pairs, dropped;
	/* After classifier_train: log P(label), log(tokens + |V|). */
	int		 trained;
	double		*log_prior, *log_denom;
};

struct classifier *
classifier_new(void)
{
	return xcalloc(1, sizeof(struct classifier));
}

void
classifier_free(struct classifier *c)
{
	int i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nlabels; i++)
		free(c->labels[i].name);
	for (i = 0; i < c->nstems; i++) {
		free(c->stems[i].text);
		free(c->stems[i].post);
	}
	for (i = 0; i < c->nkw; i++) {
		free(c->kw[i].stems);
		free(c->kw[i].why);
	}
	free(c->labels);
	free(c->stems);
	free(c->slots);
	free(c->kw);
	free(c->log_prior);
	free(c->log_denom);
	free(c);
}

/* The index of a label, made if create is set and there is room; -1. */
static int
label_get(struct classifier *c, const char *name, int create)
{
	int i;

	if (name == NULL || str_empty(name) ||
	    strlen(name) >= CLS_LABEL_MAX)
		return -1;
	for (i = 0; i < c->nlabels; i++)
		if (strcmp(c->labels[i].name, name) == 0)
			return i;
	if (!create || c->nlabels >= CLS_MAX_LABELS)
		return -1;
	c->labels = xreallocarray(c->labels, (size_t)c->nlabels + 1,
	    sizeof(*c->labels));
	memset(&c->labels[c->nlabels], 0, sizeof(*c->labels));
	c->labels[c->nlabels].name = xstrdup(name);
	c->trained = 0;
	return c->nlabels++;
}

static uint32_t
hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;	/* FNV-1a */
	size_t	 i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* The slot of a stem, or of the free place where it would go. */
static size_t
slot_find(const struct classifier *c, const char *s, size_t len, uint32_t h)
{
	size_t		   i = h & (c->nslots - 1);
	const struct stem *st;

	for (;; i = (i + 1) & (c->nslots - 1)) {
		if (c->slots[i] == 0)
			return i;
		st = &c->stems[c->slots[i] - 1];
		if (st->hash == h && strncmp(st->text, s, len) == 0 &&
		    st->text[len] == '\0')
			return i;
	}
}

static void
slots_grow(struct classifier *c)
{
	size_t i;
	int    k;

	free(c->slots);
	c->nslots = c->nslots == 0 ? 1024 : c->nslots * 2;
	c->slots = xcalloc(c->nslots, sizeof(*c->slots));
	for (k = 0; k < c->nstems; k++) {
		for (i = c->stems[k].hash & (c->nslots - 1); c->slots[i] != 0;
		    i = (i + 1) & (c->nslots - 1))
			;
		c->slots[i] = k + 1;
	}
}

/* The index of a stem the classifier knows, or -1. */
static int
stem_find(const struct classifier *c, const char *s, size_t len)
{
	size_t i;

	if (c->nslots == 0)
		return -1;
	i = slot_find(c, s, len, hash(s, len));
	return c->slots[i] - 1;
}

/* The index of a stem, made if the vocabulary has room; -1. */
static int
stem_add(struct classifier *c, const char *s, size_t len)
{
	uint32_t h = hash(s, len);
	size_t	 i;

	if (c->nslots == 0)
		slots_grow(c);
	i = slot_find(c, s, len, h);
	if (c->slots[i] != 0)
		return c->slots[i] - 1;
	if (c->nstems >= CLS_MAX_VOCAB)
		return -1;
	/* Keep the table at most half full so that probes stay short. */
	if ((size_t)(c->nstems + 1) * 2 > c->nslots && c->nslots < SLOTS_MAX) {
		slots_grow(c);
		i = slot_find(c, s, len, h);
	}
	if (c->nstems == c->capstems) {
		c->capstems = c->capstems == 0 ? 256 : c->capstems * 2;
		if (c->capstems > CLS_MAX_VOCAB)
			c->capstems = CLS_MAX_VOCAB;
		c->stems = xreallocarray(c->stems, (size_t)c->capstems,
		    sizeof(*c->stems));
	}
	memset(&c->stems[c->nstems], 0, sizeof(*c->stems));
	c->stems[c->nstems].text = xstrndup(s, len);
	c->stems[c->nstems].hash = h;
	c->slots[i] = c->nstems + 1;
	return c->nstems++;
}

/* Counts one stem for a label; 0, or -1 if a limit refuses it. */
static int
stem_count(struct classifier *c, int stem, int label)
{
	struct stem *st = &c->stems[stem];
	int	     i;

	for (i = 0; i < st->npost; i++)
		if (st->post[i].label == (uint32_t)label)
			break;
	if (i == st->npost) {
		if (c->pairs >= CLS_MAX_PAIRS)
			return -1;
		if (st->npost == st->cap) {
			st->cap = st->cap == 0 ? 2 : st->cap * 2;
			st->post = xreallocarray(st->post, (size_t)st->cap,
			    sizeof(*st->post));
		}
		st->post[i].label = (uint32_t)label;
		st->post[i].count = 0;
		st->npost++;
		c->pairs++;
	}
	if (st->post[i].count == UINT32_MAX)
		return -1;
	st->post[i].count++;
	c->labels[label].tokens++;
	return 0;
}

struct learning {
	struct classifier *c;
	int		   label;
};

static void
learn_stem(const char *s, size_t len, void *arg)
{
	struct learning *l = arg;
	int		 stem;

	stem = stem_add(l->c, s, len);
	if (stem == -1 || stem_count(l->c, stem, l->label) == -1)
		l->c->dropped++;
}

void
classifier_add_example(struct classifier *c, const char *label,
    const char *text)
{
	struct learning l;

	if (text == NULL || (l.label = label_get(c, label, 1)) == -1)
		return;
	l.c = c;
	text_stems(text, learn_stem, &l);
	c->labels[l.label].docs++;
	c->examples++;
	c->trained = 0;
}

/* log P(label) and log(tokens + |V|), over labels with examples. */
static void
model_terms(const struct classifier *c, double *prior, double *denom)
{
	int i;

	for (i = 0; i < c->nlabels; i++) {
		prior[i] = c->labels[i].docs > 0 ?
		    log((double)c->labels[i].docs / (double)c->examples) : 0;
		denom[i] = log((double)c->labels[i].tokens + c->nstems);
	}
}

void
classifier_train(struct classifier *c)
{
	if (c->trained)
		return;
	free(c->log_prior);
	free(c->log_denom);
	c->log_prior = xcalloc((size_t)c->nlabels + 1, sizeof(double));
	c->log_denom = xcalloc((size_t)c->nlabels + 1, sizeof(double));
	model_terms(c, c->log_prior, c->log_denom);
	c->trained = 1;
}

/* Splits "a+b" of one alternative into stemmed terms "a+b"; NULL if a
 * term has no stem. */
static char *
stem_alternative(const char *alt, size_t len)
{
	struct buf b;
	char	  *term, *stems;
	size_t	   i = 0, n;

	buf_init(&b, PATTERNS_MAX * 8);
	while (i < len) {
		n = strcspn(alt + i, "+");
		if (n > len - i)
			n = len - i;
		term = xstrndup(alt + i, n);
		stems = text_stem_string(term);
		free(term);
		if (stems[0] == '\0') {
			free(stems);
			buf_free(&b);
			return NULL;
		}
		/* A term of several words needs all of them. */
		for (term = stems; (term = strchr(term, ' ')) != NULL;)
			*term = '+';
		if (b.len > 0)
			buf_putc(&b, '+');
		buf_puts(&b, stems);
		free(stems);
		i += n + 1;
	}
	return buf_detach(&b);
}

int
classifier_add_keywords(struct classifier *c, const char *label,
    const char *patterns)
{
	struct keyword *kw = NULL;
	const char     *p;
	char	       *alt, *term;
	size_t		n;
	int		nkw = 0, l, i;

	if (patterns == NULL || strlen(patterns) > PATTERNS_MAX ||
	    label == NULL || str_empty(label) ||
	    strlen(label) >= CLS_LABEL_MAX)
		return -1;
	for (p = patterns; *p != '\0'; p += n + (p[n] == '|')) {
		n = strcspn(p, "|");
		if (n > ALT_MAX)
			goto fail;
		alt = xstrndup(p, n);
		term = str_squeeze(alt);
		free(alt);
		if ((alt = term)[0] == '\0') {
			free(alt);
			continue;
		}
		kw = xreallocarray(kw, (size_t)nkw + 1, sizeof(*kw));
		kw[nkw].why = xasprintf("dictionary: %s", alt);
		kw[nkw].stems = stem_alternative(alt, strlen(alt));
		free(alt);
		if (kw[nkw++].stems == NULL)
			goto fail;
	}
	if (nkw == 0 || c->nkw + nkw > CLS_MAX_KEYWORDS ||
	    (l = label_get(c, label, 1)) == -1)
		goto fail;
	c->kw = xreallocarray(c->kw, (size_t)(c->nkw + nkw), sizeof(*c->kw));
	for (i = 0; i < nkw; i++) {
		kw[i].label = l;
		c->kw[c->nkw++] = kw[i];
	}
	c->labels[l].keywords += nkw;
	free(kw);
	return 0;
fail:
	for (i = 0; i < nkw; i++) {
		free(kw[i].why);
		free(kw[i].stems);
	}
	free(kw);
	return -1;
}

/* The stems of a text: joined for the dictionary, known ones for Bayes. */
struct reading {
	const struct classifier *c;
	struct buf		 joined;
	int			*ids;
	int			 nids, cap;
};

static void
read_stem(const char *s, size_t len, void *arg)
{
	struct reading *r = arg;
	int		id;

	if (r->joined.len > 0)
		buf_putc(&r->joined, ' ');
	buf_add(&r->joined, s, len);
	if ((id = stem_find(r->c, s, len)) == -1)
		return;
	if (r->nids == r->cap) {
		r->cap = r->cap == 0 ? 64 : r->cap * 2;
		r->ids = xreallocarray(r->ids, (size_t)r->cap,
		    sizeof(*r->ids));
	}
	r->ids[r->nids++] = id;
}

/*
 * Naive Bayes posteriors into post[]; 0 if the model cannot say anything
 * (fewer than two labels with examples, or no stem it has seen).
 */
static int
bayes(const struct classifier *c, const struct reading *r, double *post)
{
	double	*prior, *denom, max = -INFINITY, sum = 0;
	int	 i, j, nb = 0;
	const struct stem *st;

	for (i = 0; i < c->nlabels; i++)
		nb += c->labels[i].docs > 0;
	if (nb < 2 || r->nids == 0)
		return 0;
	if (c->trained) {
		prior = c->log_prior;
		denom = c->log_denom;
	} else {
		prior = xcalloc((size_t)c->nlabels, sizeof(double));
		denom = xcalloc((size_t)c->nlabels, sizeof(double));
		model_terms(c, prior, denom);
	}
	/* log P(l) + sum over stems of log((count + 1) / (tokens + |V|)),
	 * the count term added only where a label has the stem. */
	for (i = 0; i < c->nlabels; i++)
		post[i] = prior[i] - r->nids * denom[i];
	for (j = 0; j < r->nids; j++) {
		st = &c->stems[r->ids[j]];
		for (i = 0; i < st->npost; i++)
			post[st->post[i].label] += log1p(st->post[i].count);
	}
	for (i = 0; i < c->nlabels; i++)
		if (c->labels[i].docs > 0 && post[i] > max)
			max = post[i];
	for (i = 0; i < c->nlabels; i++) {
		post[i] = c->labels[i].docs > 0 ? exp(post[i] - max) : 0;
		sum += post[i];
	}
	for (i = 0; i < c->nlabels; i++)
		post[i] /= sum;
	if (!c->trained) {
		free(prior);
		free(denom);
	}
	return 1;
}

/* Dictionary shares into share[] and the first hit of each label into
 * why[]; the number of matching alternatives. */
static int
dictionary(const struct classifier *c, const char *stems, double *share,
    const char **why)
{
	int i, hits = 0;

	for (i = 0; i < c->nkw; i++) {
		if (!text_match(stems, c->kw[i].stems, 1))
			continue;
		share[c->kw[i].label] += 1;
		if (why[c->kw[i].label] == NULL)
			why[c->kw[i].label] = c->kw[i].why;
		hits++;
	}
	for (i = 0; hits > 0 && i < c->nlabels; i++)
		share[i] /= hits;
	return hits;
}

static int
suggestion_cmp(const void *a, const void *b)
{
	const struct suggestion *x = a, *y = b;

	if (x->confidence != y->confidence)
		return x->confidence < y->confidence ? 1 : -1;
	return strcmp(x->label, y->label);
}

int
classifier_suggest(const struct classifier *c, const char *text,
    struct suggestion *out, int n)
{
	struct reading	   r = { c, { 0 }, NULL, 0, 0 };
	struct suggestion *all;
	const char	 **why;
	double		  *post, *share, conf;
	int		   have_nb, have_dict, i, count = 0;

	if (c->nlabels == 0 || n <= 0 || text == NULL)
		return 0;
	buf_init(&r.joined, TEXT_MAX * 8);
	text_stems(text, read_stem, &r);
	post = xcalloc((size_t)c->nlabels, sizeof(*post));
	share = xcalloc((size_t)c->nlabels, sizeof(*share));
	why = xcalloc((size_t)c->nlabels, sizeof(*why));
	all = xcalloc((size_t)c->nlabels, sizeof(*all));
	have_nb = bayes(c, &r, post);
	have_dict = dictionary(c, r.joined.data != NULL ? r.joined.data : "",
	    share, why) > 0;
	for (i = 0; i < c->nlabels; i++) {
		if (have_nb && have_dict)
			conf = CLS_DICT_WEIGHT * share[i] +
			    (1 - CLS_DICT_WEIGHT) * post[i];
		else if (have_dict)
			conf = CLS_DICT_ALONE * share[i];
		else
			conf = post[i];
		if (!(conf > 0))
			continue;
		all[count].label = c->labels[i].name;
		all[count].confidence = conf > 1 ? 1 : conf;
		all[count].why = why[i] != NULL ? why[i] : "classifier";
		count++;
	}
	qsort(all, (size_t)count, sizeof(*all), suggestion_cmp);
	if (count > n)
		count = n;
	memcpy(out, all, (size_t)count * sizeof(*all));
	free(all);
	free(why);
	free(share);
	free(post);
	free(r.ids);
	buf_free(&r.joined);
	return count;
}

void
classifier_stats(const struct classifier *c, struct cls_stats *s)
{
	s->labels = c->nlabels;
	s->examples = (int)(c->examples > INT32_MAX ? INT32_MAX : c->examples);
	s->keywords = c->nkw;
	s->vocabulary = c->nstems;
	s->dropped = c->dropped;
}

/* Per-label counts of an evaluation. */
struct tally {
	const char *label;
	int	    actual, predicted, right;
};

static struct tally *
tally_get(struct tally *t, int *nt, const char *label)
{
	int i;

	for (i = 0; i < *nt; i++)
		if (strcmp(t[i].label, label) == 0)
			return &t[i];
	t[*nt].label = label;
	return &t[(*nt)++];
}

static void
ratio(struct buf *b, int num, int den)
{
	if (den == 0)
		buf_puts(b, "\t-");
	else
		buf_printf(b, "\t%.3f", (double)num / den);
}

static void
eval_report(struct buf *b, const struct cls_eval *e, const struct tally *t,
    int nt)
{
	int i;

	buf_printf(b, "held out %d, top-1 %d (%.3f), top-3 %d (%.3f), "
	    "labels %d\n", e->total, e->correct, e->accuracy,
	    e->correct_top3, e->top3, e->labels);
	buf_puts(b, "label\theld out\tprecision\trecall\n");
	for (i = 0; i < nt; i++) {
		buf_printf(b, "%s\t%d", t[i].label, t[i].actual);
		ratio(b, t[i].right, t[i].predicted);
		ratio(b, t[i].right, t[i].actual);
		buf_putc(b, '\n');
	}
}

int
classifier_evaluate(const char **labels, const char **texts, int n, int k,
    struct cls_eval *e, struct buf *report)
{
	struct classifier *c;
	struct suggestion  s[3];
	struct tally	  *t;
	int		   i, j, got, nt = 0;

	memset(e, 0, sizeof(*e));
	if (k < 2 || n < k)
		return -1;
	c = classifier_new();
	t = xcalloc((size_t)n, sizeof(*t));
	for (i = 0; i < n; i++) {
		if (labels[i] == NULL || str_empty(labels[i]))
			continue;
		tally_get(t, &nt, labels[i]);
		if (i % k != k - 1)
			classifier_add_example(c, labels[i], texts[i]);
	}
	classifier_train(c);
	for (i = k - 1; i < n; i += k) {
		if (labels[i] == NULL || str_empty(labels[i]))
			continue;
		e->total++;
		tally_get(t, &nt, labels[i])->actual++;
		got = classifier_suggest(c, texts[i], s, 3);
		if (got > 0)
			tally_get(t, &nt, s[0].label)->predicted++;
		for (j = 0; j < got; j++) {
			if (strcmp(s[j].label, labels[i]) != 0)
				continue;
			if (j == 0) {
				e->correct++;
				tally_get(t, &nt, labels[i])->right++;
			}
			e->correct_top3++;
		}
	}
	e->labels = nt;
	if (e->total > 0) {
		e->accuracy = (double)e->correct / e->total;
		e->top3 = (double)e->correct_top3 / e->total;
	}
	if (report != NULL)
		eval_report(report, e, t, nt);
	free(t);
	classifier_free(c);
	return e->total > 0 ? 0 : -1;
}

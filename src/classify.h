/*
 * classify.c: suggests a topic or a reason for a message from its Russian
 * text (R-FB-7), from two sources an organization controls: a dictionary
 * of keywords it edits, and a multinomial naive Bayes model trained on its
 * own labelled messages.  Pure domain code: the caller loads the dictionary
 * and the examples from the database and shows the suggestions.
 *
 * Memory is bounded whatever the input: at most CLS_MAX_LABELS labels,
 * CLS_MAX_VOCAB distinct stems (stems first seen after that are not
 * learned), CLS_MAX_PAIRS (label, stem) counts, CLS_MAX_KEYWORDS dictionary
 * alternatives of at most 256 bytes, and TEXT_MAX bytes of each text.
 * That is about 50 MiB at the very worst, a few hundred KiB for a real
 * organization (10,000 messages make some 200,000 pairs).
 *
 * A classifier is built by one thread; once trained, classifier_suggest
 * changes nothing, so the server's threads may share it.
 */
#ifndef CLASSIFY_H
#define CLASSIFY_H

#include <stddef.h>

struct buf;

#define CLS_MAX_LABELS		500
#define CLS_MAX_VOCAB		50000
#define CLS_MAX_PAIRS		2000000
#define CLS_MAX_KEYWORDS	10000
#define CLS_LABEL_MAX		256	/* bytes of a label */

/*
 * How the two sources combine into one confidence (a linear opinion pool,
 * so the confidences of all labels sum to at most 1):
 *  - naive Bayes gives a posterior P(label | stems) over the labels that
 *    have examples; it takes part only when at least two labels have
 *    examples and the text has a stem the model has seen;
 *  - the dictionary gives D(label): the share of the matching dictionary
 *    alternatives that belong to the label;
 *  - both: CLS_DICT_WEIGHT * D + (1 - CLS_DICT_WEIGHT) * P;
 *    dictionary only: CLS_DICT_ALONE * D (the rest is "do not know": a
 *    keyword is good evidence, but one word can mislead);
 *    Bayes only: P.
 */
#define CLS_DICT_WEIGHT		0.5
#define CLS_DICT_ALONE		0.6

struct classifier;

/* An empty classifier; classifier_free(NULL) is harmless. */
struct classifier *classifier_new(void);
void	classifier_free(struct classifier *);

/*
 * Adds dictionary keywords for a label: "запис+приём|очеред" is matched as
 * text_match does (any "|" alternative whose "+"-joined terms all occur),
 * but on stems: each term is stemmed and must begin a stem of the text, so
 * "приём" finds "приёма" and "запис" finds "записаться".  Returns 0, or -1
 * (adding nothing) if the label is empty or too long, an alternative is
 * over 256 bytes, a limit is reached, or a term has no stem (empty, or a
 * stop word like "на").
 */
int	classifier_add_keywords(struct classifier *, const char *label,
	    const char *patterns);

/* Adds one labelled message to learn from (an empty label is ignored). */
void	classifier_add_example(struct classifier *, const char *label,
	    const char *text);

/* Prepares the model after the examples; idempotent, cheap to repeat.
 * Without it, suggestions work too, only more slowly (and not shared). */
void	classifier_train(struct classifier *);

struct suggestion {
	const char *label;
	double	    confidence;	/* 0..1 */
	const char *why;	/* "dictionary: запис+приём" or "classifier" */
};

/*
 * Up to n labels for a text, best first (ties by label), each with a
 * confidence above 0 as described above.  The strings live as long as the
 * classifier.  Returns the count, 0 if nothing is known.
 */
int	classifier_suggest(const struct classifier *, const char *text,
	    struct suggestion *out, int n);

struct cls_stats {
	int	labels, examples, keywords;
	int	vocabulary;	/* distinct stems learned */
	long	dropped;	/* stems not learned: over a limit */
};
void	classifier_stats(const struct classifier *, struct cls_stats *);

/*
 * Accuracy on held-out data: every k-th example (index % k == k - 1) is
 * held out, a classifier is trained on the rest and asked for each held
 * out text.  Fills the counts, accuracy (top-1) and top3, and writes a
 * table of per-label precision and recall to report if it is not NULL.
 * Returns 0, or -1 if k < 2 or nothing is held out.
 */
struct cls_eval {
	int	total, correct, correct_top3, labels;
	double	accuracy, top3;
};
int	classifier_evaluate(const char **labels, const char **texts, int n,
	    int k, struct cls_eval *, struct buf *report);

#endif

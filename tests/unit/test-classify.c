/*
 * Unit tests of classify.c: held-out accuracy on the labelled fixture
 * (tests/fixtures/feedback-labelled.tsv) against the majority-class
 * baseline, the dictionary alone and combined with naive Bayes as
 * classify.h documents, the order and range of confidences, keyword
 * errors, training being idempotent, and the vocabulary and label limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "otklik.h"
#include "classify.h"
#include "text.h"

#define ROWS_MAX 2000

/* The fixture: topic, reason, text per row, pointing into data. */
static struct {
	struct buf  data;
	const char *topic[ROWS_MAX], *reason[ROWS_MAX], *text[ROWS_MAX];
	int	    n;
} fx;

static void
load_fixture(void)
{
	const char *src = getenv("SRCDIR");
	struct err  e;
	char	   *path, *line, *next, *t1, *t2;
	int	    lineno = 0;

	if (src == NULL)
		fail_msg("SRCDIR is not set: run the test through meson test");
	path = xasprintf("%s/tests/fixtures/feedback-labelled.tsv", src);
	buf_init(&fx.data, 1 << 22);
	err_clear(&e);
	if (buf_read_file(&fx.data, path, &e) == -1)
		fail_msg("%s: %s", path, e.msg);
	free(path);
	for (line = fx.data.data; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (++lineno == 1)
			continue;	/* the header */
		t1 = strchr(line, '\t');
		t2 = t1 != NULL ? strchr(t1 + 1, '\t') : NULL;
		if (t2 == NULL || strchr(t2 + 1, '\t') != NULL)
			fail_msg("fixture line %d: want 3 columns", lineno);
		*t1 = *t2 = '\0';
		if (fx.n == ROWS_MAX)
			fail_msg("fixture line %d: over %d rows", lineno,
			    ROWS_MAX);
		fx.topic[fx.n] = line;
		fx.reason[fx.n] = t1 + 1;
		fx.text[fx.n] = t2 + 1;
		fx.n++;
	}
}

static int
setup(void **state)
{
	(void)state;
	load_fixture();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	buf_free(&fx.data);
	return 0;
}

/*
 * What a classifier that always says the same label scores on the held-out
 * rows: the larger of the training rows' majority label and the held-out
 * rows' own (the latter knows the answers, so it is the harder bar).
 */
static double
baseline(const char **labels, int n, int k)
{
	const char *best = NULL;
	int	    i, j, count, max = 0, held = 0, right = 0, own = 0;

	for (i = 0; i < n; i++) {
		for (j = count = 0; j < n; j++)
			count += j % k != k - 1 &&
			    strcmp(labels[j], labels[i]) == 0;
		if (count > max) {
			max = count;
			best = labels[i];
		}
		if (i % k != k - 1)
			continue;
		held++;
		for (j = count = 0; j < n; j++)
			count += j % k == k - 1 &&
			    strcmp(labels[j], labels[i]) == 0;
		if (count > own)
			own = count;
	}
	for (i = k - 1; i < n; i += k)
		right += strcmp(labels[i], best) == 0;
	return (double)(right > own ? right : own) / held;
}

static void
evaluate(const char *what, const char **labels, int nlabels, double margin)
{
	struct cls_eval e;
	struct buf	report;
	double		base;

	base = baseline(labels, fx.n, 5);
	buf_init(&report, 1 << 16);
	assert_int_equal(classifier_evaluate(labels, fx.text, fx.n, 5, &e,
	    &report), 0);
	printf("# %s: %d rows, baseline %.3f, %s", what, fx.n, base,
	    buf_str(&report));
	assert_int_equal(e.total, fx.n / 5);
	assert_int_equal(e.labels, nlabels);
	assert_true(e.correct <= e.correct_top3 && e.correct_top3 <= e.total);
	assert_true(fabs(e.accuracy - (double)e.correct / e.total) < 1e-12);
	assert_true(fabs(e.top3 - (double)e.correct_top3 / e.total) < 1e-12);
	if (e.accuracy < base + margin)
		fail_msg("%s: accuracy %.3f, not clearly above the baseline "
		    "%.3f", what, e.accuracy, base);
	assert_true(e.top3 >= e.accuracy);
	/* One line per label, after the summary and the heading. */
	assert_non_null(strstr(buf_str(&report), "\nlabel\theld out\t"));
	buf_free(&report);
}

static void
test_fixture(void **state)
{
	(void)state;
	assert_true(fx.n >= 300);
	evaluate("topics", fx.topic, 8, 0.40);
	evaluate("reasons", fx.reason, 6, 0.20);
}

static void
test_evaluate_bad(void **state)
{
	struct cls_eval e;

	(void)state;
	assert_int_equal(classifier_evaluate(fx.topic, fx.text, fx.n, 1, &e,
	    NULL), -1);
	assert_int_equal(classifier_evaluate(fx.topic, fx.text, 3, 5, &e,
	    NULL), -1);
}

static void
test_dictionary_only(void **state)
{
	struct classifier *c = classifier_new();
	struct suggestion  s[4];
	struct cls_stats   st;

	(void)state;
	assert_int_equal(classifier_add_keywords(c, "Запись на приём",
	    "запис+приём|очеред|талон"), 0);
	assert_int_equal(classifier_add_keywords(c, "Работа сайта",
	    "сайт|портал"), 0);
	classifier_train(c);

	/* "записаться" and "приёму" are forms of the keywords. */
	assert_int_equal(classifier_suggest(c,
	    "Не могу ЗАПИСАТЬСЯ к приёму врача", s, 4), 1);
	assert_string_equal(s[0].label, "Запись на приём");
	assert_true(fabs(s[0].confidence - CLS_DICT_ALONE) < 1e-12);
	assert_string_equal(s[0].why, "dictionary: запис+приём");

	/* Both labels hit: the dictionary share is split, ties by label. */
	assert_int_equal(classifier_suggest(c,
	    "На сайте нельзя взять талон", s, 4), 2);
	assert_string_equal(s[0].label, "Запись на приём");
	assert_string_equal(s[1].label, "Работа сайта");
	assert_true(fabs(s[0].confidence - CLS_DICT_ALONE / 2) < 1e-12);
	assert_true(fabs(s[1].confidence - CLS_DICT_ALONE / 2) < 1e-12);
	assert_string_equal(s[0].why, "dictionary: талон");
	assert_string_equal(s[1].why, "dictionary: сайт");

	/* Two alternatives of one label against one of another: 2/3, 1/3. */
	assert_int_equal(classifier_suggest(c,
	    "Очередь за талоном на портале", s, 4), 2);
	assert_string_equal(s[0].label, "Запись на приём");
	assert_true(fabs(s[0].confidence - CLS_DICT_ALONE * 2 / 3) < 1e-12);
	assert_true(fabs(s[1].confidence - CLS_DICT_ALONE / 3) < 1e-12);
	assert_int_equal(classifier_suggest(c, "Очередь на портале", s, 1),
	    1);

	/* "запис" alone is not "запис+приём"; "форм" is not in "информ". */
	assert_int_equal(classifier_suggest(c, "Запись к врачу", s, 4), 0);
	assert_int_equal(classifier_add_keywords(c, "Документы", "форм"), 0);
	assert_int_equal(classifier_suggest(c, "нет информации", s, 4), 0);
	assert_int_equal(classifier_suggest(c, "Неверная форма", s, 4), 1);
	assert_int_equal(classifier_suggest(c, "", s, 4), 0);
	assert_int_equal(classifier_suggest(c, "сайт", s, 0), 0);

	classifier_stats(c, &st);
	assert_int_equal(st.labels, 3);
	assert_int_equal(st.keywords, 6);
	assert_int_equal(st.examples, 0);
	classifier_free(c);
}

static void
test_keyword_errors(void **state)
{
	struct classifier *c = classifier_new();
	struct cls_stats   st;
	struct suggestion  s[2];
	char		   long_label[CLS_LABEL_MAX + 64];
	int		   i;

	(void)state;
	assert_int_equal(classifier_add_keywords(c, "", "сайт"), -1);
	assert_int_equal(classifier_add_keywords(c, "  ", "сайт"), -1);
	assert_int_equal(classifier_add_keywords(c, "Сайт", ""), -1);
	assert_int_equal(classifier_add_keywords(c, "Сайт", "|| |"), -1);
	/* A stop word or punctuation has no stem: the whole call fails. */
	assert_int_equal(classifier_add_keywords(c, "Сайт", "сайт|на"), -1);
	assert_int_equal(classifier_add_keywords(c, "Сайт", "сайт+!!"), -1);
	memset(long_label, 'x', CLS_LABEL_MAX);
	long_label[CLS_LABEL_MAX] = '\0';
	assert_int_equal(classifier_add_keywords(c, long_label, "сайт"), -1);
	/* An alternative over 256 bytes, though every term has a stem. */
	long_label[0] = '\0';
	for (i = 0; i < 30; i++)
		strcat(long_label, i == 0 ? "сайт" : "+сайт");	/* 269 */
	assert_int_equal(classifier_add_keywords(c, "Сайт", long_label), -1);
	classifier_add_example(c, "Сайт", NULL);
	/* None of that added anything. */
	classifier_stats(c, &st);
	assert_int_equal(st.labels, 0);
	assert_int_equal(st.keywords, 0);
	long_label[251] = '\0';	/* 28 terms */
	assert_int_equal(classifier_add_keywords(c, "Длинный", long_label), 0);
	classifier_stats(c, &st);
	assert_int_equal(st.labels, 1);
	assert_int_equal(st.keywords, 1);
	classifier_free(c);
	c = classifier_new();
	/* Empty alternatives are skipped; a term of two words needs both. */
	assert_int_equal(classifier_add_keywords(c, "Сайт",
	    "|личный кабинет||"), 0);
	classifier_stats(c, &st);
	assert_int_equal(st.keywords, 1);
	assert_int_equal(classifier_suggest(c, "в личном кабинете", s, 2), 1);
	assert_string_equal(s[0].why, "dictionary: личный кабинет");
	assert_int_equal(classifier_suggest(c, "личное дело", s, 2), 0);
	classifier_free(c);
	classifier_free(NULL);
}

static struct classifier *
trained(const char **labels)
{
	struct classifier *c = classifier_new();
	int		   i;

	for (i = 0; i < fx.n; i++)
		classifier_add_example(c, labels[i], fx.text[i]);
	classifier_train(c);
	return c;
}

/* Sorted, in (0, 1], and the Bayes part alone sums to 1 over all labels. */
static void
test_confidences(void **state)
{
	struct classifier *c = trained(fx.topic);
	struct suggestion  s[CLS_MAX_LABELS];
	double		   sum;
	int		   i, j, n, own = 0;

	(void)state;
	for (i = 0; i < fx.n; i++) {
		n = classifier_suggest(c, fx.text[i], s, CLS_MAX_LABELS);
		assert_true(n >= 1 && n <= 8);
		for (j = 0, sum = 0; j < n; j++) {
			assert_true(s[j].confidence > 0 &&
			    s[j].confidence <= 1);
			assert_string_equal(s[j].why, "classifier");
			if (j > 0)
				assert_true(s[j].confidence <=
				    s[j - 1].confidence);
			sum += s[j].confidence;
		}
		assert_true(sum <= 1 + 1e-9);
		if (n == 8)
			assert_true(fabs(sum - 1) < 1e-9);
		own += strcmp(s[0].label, fx.topic[i]) == 0;
	}
	/* A text it was trained on comes back as its own label, mostly. */
	if (own < fx.n * 9 / 10)
		fail_msg("only %d of %d training texts get their label", own,
		    fx.n);
	/* Words the model has never seen: nothing to say. */
	assert_int_equal(classifier_suggest(c, "абракадабра xyzzy", s, 3), 0);
	classifier_free(c);
}

/* The combination rule of classify.h, checked against Bayes alone. */
static void
test_combined(void **state)
{
	struct classifier *nb = trained(fx.topic), *both = trained(fx.topic);
	struct suggestion  a[8], b[8];
	const char	  *text = "Сайт не открывается, не могу найти "
	    "перечень документов для льготы";
	int		   na, nb_, i, j;
	double		   want;

	(void)state;
	assert_int_equal(classifier_add_keywords(both, "Работа сайта",
	    "сайт"), 0);
	na = classifier_suggest(nb, text, a, 8);
	nb_ = classifier_suggest(both, text, b, 8);
	assert_int_equal(na, 8);
	assert_int_equal(nb_, 8);
	assert_string_equal(b[0].label, "Работа сайта");
	assert_string_equal(b[0].why, "dictionary: сайт");
	for (i = 0; i < nb_; i++) {
		for (j = 0; j < na; j++)
			if (strcmp(a[j].label, b[i].label) == 0)
				break;
		assert_true(j < na);
		want = (1 - CLS_DICT_WEIGHT) * a[j].confidence;
		if (strcmp(b[i].label, "Работа сайта") == 0)
			want += CLS_DICT_WEIGHT;
		else
			assert_string_equal(b[i].why, "classifier");
		assert_true(fabs(b[i].confidence - want) < 1e-9);
	}
	classifier_free(nb);
	classifier_free(both);
}

/* Training is idempotent, and suggesting before it gives the same. */
static void
test_train_idempotent(void **state)
{
	struct classifier *c = classifier_new();
	struct suggestion  s1[3], s2[3], s3[3];
	const char	  *text = "Когда придёт пособие на ребёнка?";
	int		   i, n1, n2, n3;

	(void)state;
	for (i = 0; i < fx.n; i++)
		classifier_add_example(c, fx.topic[i], fx.text[i]);
	n1 = classifier_suggest(c, text, s1, 3);
	classifier_train(c);
	n2 = classifier_suggest(c, text, s2, 3);
	classifier_train(c);
	n3 = classifier_suggest(c, text, s3, 3);
	assert_int_equal(n1, 3);
	assert_int_equal(n1, n2);
	assert_int_equal(n2, n3);
	for (i = 0; i < n1; i++) {
		assert_string_equal(s1[i].label, s2[i].label);
		assert_string_equal(s2[i].label, s3[i].label);
		assert_true(fabs(s1[i].confidence - s2[i].confidence) < 1e-12);
		assert_true(s2[i].confidence == s3[i].confidence);
	}
	assert_string_equal(s1[0].label, "Льготы и выплаты");
	/* One more example makes it learn again, and changes the answer. */
	classifier_add_example(c, "Работа сайта", "пособие пособие пособие "
	    "ребёнок ребёнок придёт придёт");
	assert_int_equal(classifier_suggest(c, text, s1, 3), 3);
	classifier_train(c);
	assert_int_equal(classifier_suggest(c, text, s2, 3), 3);
	assert_true(fabs(s1[0].confidence - s2[0].confidence) < 1e-12);
	assert_true(s2[0].confidence != s3[0].confidence ||
	    strcmp(s2[0].label, s3[0].label) != 0);
	classifier_free(c);
}

static void
test_limits(void **state)
{
	static char	   text[TEXT_MAX];
	struct classifier *c = classifier_new();
	struct cls_stats   st;
	struct suggestion  s[2];
	char		   label[32];
	size_t		   len;
	int		   w = 0, i = 0;

	(void)state;
	/* 70,000 distinct words "q0", "q1"… over several examples. */
	while (w < 70000) {
		len = 0;
		while (len + 16 < sizeof(text) && w < 70000)
			len += (size_t)snprintf(text + len, sizeof(text) - len,
			    "q%d ", w++);
		text[len] = '\0';
		classifier_add_example(c, i++ % 2 ? "odd" : "even", text);
	}
	classifier_stats(c, &st);
	assert_int_equal(st.vocabulary, CLS_MAX_VOCAB);
	assert_int_equal(st.dropped, 70000 - CLS_MAX_VOCAB);
	/* Known words still count, unknown ones are ignored. */
	classifier_train(c);
	assert_int_equal(classifier_suggest(c, "q1 q2 q3", s, 2), 2);
	assert_int_equal(classifier_suggest(c, "q69999", s, 2), 0);
	classifier_free(c);

	c = classifier_new();
	for (i = 0; i < CLS_MAX_LABELS + 50; i++) {
		snprintf(label, sizeof(label), "label %d", i);
		classifier_add_example(c, label, "сайт");
	}
	assert_int_equal(classifier_add_keywords(c, "one more", "сайт"), -1);
	assert_int_equal(classifier_add_keywords(c, "label 3", "портал"), 0);
	classifier_add_example(c, "", "сайт");
	classifier_add_example(c, NULL, "сайт");
	classifier_stats(c, &st);
	assert_int_equal(st.labels, CLS_MAX_LABELS);
	assert_int_equal(st.examples, CLS_MAX_LABELS);
	assert_int_equal(st.vocabulary, 1);
	classifier_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_evaluate_bad),
		cmocka_unit_test(test_dictionary_only),
		cmocka_unit_test(test_keyword_errors),
		cmocka_unit_test(test_confidences),
		cmocka_unit_test(test_combined),
		cmocka_unit_test(test_train_idempotent),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * Unit tests of text.c: word forms that must share a stem, whole
 * sentences against their expected stems, stop words, invisible and
 * combining characters, invalid UTF-8 and random bytes, the input and word
 * limits, and several threads stemming at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include <cmocka.h>

#include "otklik.h"
#include "text.h"

/* Each row: forms of one word, all of which must give the same one stem. */
static const struct {
	const char *stem;
	const char *forms[6];
} same[] = {
	{"запис", {"записаться", "записи", "запись", "ЗАПИСЬ", "Записался"}},
	{"елк", {"Ёлка", "елки", "ёлке", "ЕЛКУ"}},
	{"прием", {"приём", "приёма", "приему", "приёмом", "пpиём"}},
	{"пособ", {"пособие", "пособия", "пособий"}},
	{"врач", {"врач", "врача", "врачу", "ВРАЧОМ"}},
	{"работ", {"работа", "работать", "работы"}},
	{"справк", {"справка", "справки", "справку"}},
	{"подпис", {"подпись", "подписи", "подписью"}},
	{"жалоб", {"жалоба", "жалобы", "жалобу"}},
	{"websit", {"website", "websites", "Website"}},
};

/* Sentences and the stems expected of them, in order. */
static const struct {
	const char *text, *stems;
} sentences[] = {
	{"Я не могу записаться на приём к врачу",
	    "мог запис прием врач"},
	{"Спасибо, нет информации о сроках", "спасиб нет информац срок"},
	{"Сайт министерства не открывается", "сайт министерств открыв"},
	{"ЛЬГОТНЫЕ лекарства", "льготн лекарств"},
	{"Очередь в МФЦ 3 часа", "очеред мфц 3 час"},
	{"Website errors", "websit error"},
	/* stress accent and soft hyphen inside a word */
	{"за\xcc\x81пись за\xc2\xadпись", "запис запис"},
	/* words split by punctuation of every kind */
	{"справка,жалоба;врач—сайт", "справк жалоб врач сайт"},
	{"", ""},
	{"  ,.!? — ", ""},
};

static char *
one(const char *text)
{
	return text_stem_string(text);
}

static void
test_same_stem(void **state)
{
	size_t i, j;
	char  *s;

	(void)state;
	for (i = 0; i < sizeof(same) / sizeof(*same); i++)
		for (j = 0; j < 6 && same[i].forms[j] != NULL; j++) {
			s = one(same[i].forms[j]);
			if (strcmp(s, same[i].stem) != 0)
				fail_msg("%s: stem \"%s\", want \"%s\"",
				    same[i].forms[j], s, same[i].stem);
			free(s);
		}
}

static void
test_sentences(void **state)
{
	size_t i;
	char  *s;

	(void)state;
	for (i = 0; i < sizeof(sentences) / sizeof(*sentences); i++) {
		s = one(sentences[i].text);
		if (strcmp(s, sentences[i].stems) != 0)
			fail_msg("\"%s\": \"%s\", want \"%s\"",
			    sentences[i].text, s, sentences[i].stems);
		free(s);
	}
	assert_int_equal(text_stems(NULL, NULL, NULL), 0);
}

static void
test_stopwords(void **state)
{
	static const char *stop[] = {
		"и", "в", "на", "не", "что", "это", "для", "который",
		"я", "мы", "без", "через", "the", "and", "Ещё", "ВСЁ",
	};
	static const char *kept[] = {"нет", "спасибо", "хорошо", "никто"};
	size_t i;
	char  *s;

	(void)state;
	for (i = 0; i < sizeof(stop) / sizeof(*stop); i++) {
		if (text_stems(stop[i], NULL, NULL) != 0)
			fail_msg("stop word \"%s\" kept", stop[i]);
	}
	for (i = 0; i < sizeof(kept) / sizeof(*kept); i++) {
		s = one(kept[i]);
		if (s[0] == '\0')
			fail_msg("\"%s\" dropped as a stop word", kept[i]);
		free(s);
	}
	assert_true(text_stopword("и", strlen("и")));
	assert_true(text_stopword("a", 1));
	assert_false(text_stopword("ин", strlen("ин")));
	assert_false(text_stopword("", 0));
	s = one("Я и ты, и мы без вас");
	assert_string_equal(s, "ты");	/* "ты" is not in the list */
	free(s);
}

static void
test_invalid_utf8(void **state)
{
	static const struct {
		const char *text, *stems;
	} bad[] = {
		{"\xff\xfe" "запись\xc0\xaf" "запись", "запис запис"},
		{"запись\xd0", "запис"},		/* cut short */
		{"\xed\xa0\x80" "врач", "врач"},	/* a surrogate */
		{"\xf4\x90\x80\x80" "врач", "врач"},	/* past U+10FFFF */
		{"\xe0\x80\xaf", ""},			/* overlong "/" */
		{"зап\x80ись", "зап и"},		/* splits the word */
	};
	size_t i;
	char  *s;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		s = one(bad[i].text);
		if (strcmp(s, bad[i].stems) != 0)
			fail_msg("bad input %zu: \"%s\", want \"%s\"", i, s,
			    bad[i].stems);
		free(s);
	}
}

struct check {
	int	n;
};

static void
check_stem(const char *stem, size_t len, void *arg)
{
	struct check *c = arg;

	c->n++;
	if (len == 0 || len > TEXT_WORD_MAX || strlen(stem) != len ||
	    utf8_invalid_at(stem, len) != -1 || strpbrk(stem, " \t\n") != NULL)
		fail_msg("bad stem of %zu bytes", len);
}

/* Random bytes, biased towards Cyrillic lead bytes: stems stay valid. */
static void
test_random_bytes(void **state)
{
	static const unsigned char pool[] = {
		0xd0, 0xd1, 0xb0, 0xb5, 0x80, 0x8f, 0xcc, 0x81, 0xc2, 0xad,
		0xe2, 0x80, 0x94, 0xf0, 0x9f, 0x98, 0x80, 'a', 'z', ' ',
		'1', 0xff, 0xed, 0xa0,
	};
	char	     text[512];
	struct check c;
	unsigned     seed = 12345;
	int	     i, j, n;

	(void)state;
	for (i = 0; i < 3000; i++) {
		n = 1 + (int)(rand_r(&seed) % (sizeof(text) - 1));
		for (j = 0; j < n; j++) {
			text[j] = (char)pool[rand_r(&seed) % sizeof(pool)];
			if (text[j] == '\0')
				text[j] = ' ';
		}
		text[n] = '\0';
		c.n = 0;
		n = text_stems(text, check_stem, &c);
		assert_int_equal(n, c.n);
	}
}

static void
test_limits(void **state)
{
	static char big[TEXT_MAX + 64];
	char	   *s;
	size_t	    i;

	(void)state;
	/* Past TEXT_MAX bytes nothing is read. */
	memcpy(big, "запись ", 13);
	for (i = 13; i < TEXT_MAX; i++)
		big[i] = 'x';
	strcpy(big + TEXT_MAX, " врач");
	s = one(big);
	assert_string_equal(s, "запис");	/* the x run is too long */
	free(s);
	/* A word over TEXT_WORD_MAX bytes is skipped, one of that many kept. */
	memset(big, 'x', TEXT_WORD_MAX + 1);
	strcpy(big + TEXT_WORD_MAX + 1, " врач");
	assert_int_equal(text_stems(big, NULL, NULL), 1);
	memset(big, 'x', TEXT_WORD_MAX);
	strcpy(big + TEXT_WORD_MAX, " врач");
	assert_int_equal(text_stems(big, NULL, NULL), 2);
	for (i = 0; i < TEXT_WORD_MAX / 2; i++)
		memcpy(big + 2 * i, "ж", 2);
	strcpy(big + TEXT_WORD_MAX, "ж врач");	/* one letter too many */
	assert_int_equal(text_stems(big, NULL, NULL), 1);
	big[TEXT_WORD_MAX] = ' ';
	assert_int_equal(text_stems(big, NULL, NULL), 2);
	/* Many words: each one counted, none lost. */
	for (i = 0; i + 9 < TEXT_MAX; i += 9)
		memcpy(big + i, "врач ", 9);
	big[i] = '\0';
	assert_int_equal(text_stems(big, NULL, NULL), (int)(i / 9));
}

#define THREADS 4
static const char *thread_text =
    "Не могу записаться на приём к эндокринологу через сайт, "
    "пишет ошибку. Website errors. Льготные лекарства не выдают.";

static void *
stem_many(void *arg)
{
	const char *want = arg;
	char	   *s;
	int	    i;

	for (i = 0; i < 200; i++) {
		s = text_stem_string(thread_text);
		if (strcmp(s, want) != 0) {
			free(s);
			return (void *)1;
		}
		free(s);
	}
	return NULL;
}

static void
test_threads(void **state)
{
	pthread_t t[THREADS];
	void	 *r;
	char	 *want;
	int	  i;

	(void)state;
	want = text_stem_string(thread_text);
	assert_string_equal(want, "мог запис прием эндокринолог сайт пишет "
	    "ошибк websit error льготн лекарств выд");
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, stem_many, want),
		    0);
	for (i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(t[i], &r), 0);
		assert_null(r);
	}
	free(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_stem),
		cmocka_unit_test(test_sentences),
		cmocka_unit_test(test_stopwords),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * libFuzzer target for Russian text processing (text_stems, R-FB-7) and
 * the classifier fed by it: whatever bytes a citizen's message holds, the
 * stems are non-empty valid UTF-8 within TEXT_WORD_MAX without spaces,
 * their count is what text_stems returns, and the suggestions come sorted
 * with confidences in (0, 1] summing to at most 1.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "classify.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *examples[][2] = {
	{"Запись на приём", "Не могу записаться к врачу, талонов нет"},
	{"Запись на приём", "Очередь на приём расписана на месяц"},
	{"Работа сайта", "Сайт не открывается, ошибка 502"},
	{"Работа сайта", "The website form loses my text"},
	{"Льготы и выплаты", "Пособие на ребёнка не пришло"},
	{"Льготы и выплаты", "Отказали в компенсации за ЖКУ"},
};

static struct classifier *cls;

static void
check_stem(const char *stem, size_t len, void *arg)
{
	int *n = arg;

	(*n)++;
	if (len == 0 || len > TEXT_WORD_MAX || strlen(stem) != len ||
	    utf8_invalid_at(stem, len) != -1 || strchr(stem, ' ') != NULL)
		abort();
}

static void
setup(void)
{
	size_t i;

	cls = classifier_new();
	for (i = 0; i < sizeof(examples) / sizeof(*examples); i++)
		classifier_add_example(cls, examples[i][0], examples[i][1]);
	if (classifier_add_keywords(cls, "Запись на приём",
	    "запис+приём|талон") != 0 ||
	    classifier_add_keywords(cls, "Работа сайта", "сайт|портал") != 0)
		abort();
	classifier_train(cls);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct suggestion s[4];
	char		 *text;
	double		  sum = 0;
	int		  n = 0, got, i;

	if (cls == NULL)
		setup();
	text = xstrndup((const char *)data, size);	/* stops at a NUL */
	if (text_stems(text, check_stem, &n) != n)
		abort();
	got = classifier_suggest(cls, text, s, 4);
	if (got < 0 || got > 3)
		abort();
	for (i = 0; i < got; i++) {
		if (!(s[i].confidence > 0 && s[i].confidence <= 1) ||
		    (i > 0 && s[i].confidence > s[i - 1].confidence) ||
		    s[i].label == NULL || s[i].why == NULL)
			abort();
		sum += s[i].confidence;
	}
	if (sum > 1 + 1e-9)
		abort();
	free(text);
	return 0;
}

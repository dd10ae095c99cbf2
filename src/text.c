/*
 * Russian text as word stems (R-FB-7): the input is cleaned of invalid
 * UTF-8, folded by utf8proc, cut into words, stripped of stop words and
 * stemmed by Snowball, so that the classifier and the topic dictionary see
 * "запис" wherever a citizen wrote "записаться", "записи" or "Запись".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>
#include <utf8proc.h>

#include "otklik.h"
#include "text.h"

/*
 * Words too common to tell one message from another: pronouns,
 * prepositions, conjunctions, particles, forms of "быть".  Kept short on
 * purpose: "нет", "спасибо", "хорошо", "никто" carry the reason of a message
 * ("нет информации", thanks) and stay.  Sorted by bytes (LC_ALL=C sort) for
 * bsearch; ё is written е, as the folded text has it.
 */
static const char *const stopwords[] = {
	"a", "an", "and", "are", "as", "at", "be", "by",
	"for", "from", "in", "is", "it", "of", "on", "or",
	"that", "the", "this", "to", "was", "with", "а", "без",
	"более", "бы", "был", "была", "были", "было", "быть", "в",
	"вам", "вас", "ведь", "весь", "во", "вот", "все", "всего",
	"всех", "вы", "где", "да", "для", "до", "его", "ее",
	"ей", "ему", "если", "есть", "еще", "же", "за", "здесь",
	"и", "из", "или", "им", "их", "к", "как", "какая",
	"какой", "когда", "которая", "которое", "котором", "которые",
	"который", "которых",
	"кто", "ли", "либо", "меня", "мне", "мной", "мое", "моего",
	"моей", "мои", "мой", "моя", "мы", "на", "над", "нам",
	"нас", "наш", "наша", "наше", "наши", "не", "него", "нее",
	"ней", "нем", "ни", "них", "но", "ну", "о", "об",
	"однако", "он", "она", "они", "оно", "от", "очень", "по",
	"под", "при", "про", "с", "сам", "свое", "своего", "своей",
	"свой", "свою", "себе", "себя", "со", "так", "также", "там",
	"те", "тем", "то", "того", "тоже", "той", "только", "том",
	"ту", "тут", "у", "уж", "уже", "чем", "через", "что",
	"чтоб", "чтобы", "эта", "эти", "это", "этого", "этой", "этом",
	"этот", "эту", "я",
};

/*
 * Latin letters that look like Cyrillic ones, read as those inside a word
 * that has Cyrillic letters: people type "пpиём" with the keyboard layout
 * switched for one key, and old forms put Latin "C" in "Cамара".  Upper
 * case is folded before, so "M", "T", "H", "B", "K" appear as m, t, h, b, k.
 */
static const struct {
	char		 latin;
	utf8proc_int32_t cyrillic;
} homoglyphs[] = {
	{'a', 0x430}, {'b', 0x432}, {'c', 0x441}, {'e', 0x435},
	{'h', 0x43d}, {'k', 0x43a}, {'m', 0x43c}, {'o', 0x43e},
	{'p', 0x440}, {'t', 0x442}, {'x', 0x445}, {'y', 0x443},
};

/*
 * Stems the Snowball "russian" algorithm cuts too far (Lucene has a
 * "stemmer override" for the same reason): it reads the "-ем" of "приём"
 * and "приёму" as an adjective ending and the "-сь" of "запись" as a
 * reflexive one, leaving "при" and "зап", which neither match the other
 * forms ("приёма" is "прием", "записи" "запис") nor mean anything.  A word
 * that begins with one of these keeps at least that much.
 */
static const char *const protected_stems[] = {
	"запис", "надпис", "объем", "перепис", "подпис", "подъем",
	"прием", "роспис",
};

/* One call's state: its stemmers, made when first needed. */
struct stemming {
	struct sb_stemmer *ru, *en;
	void		 (*fn)(const char *, size_t, void *);
	void		  *arg;
	int		   count;
};

struct key {
	const char *word;
	size_t	    len;
};

static int
stop_cmp(const void *k, const void *e)
{
	const struct key *key = k;
	const char	 *w = *(const char *const *)e;
	size_t		  wl = strlen(w);
	int		  c;

	c = memcmp(key->word, w, key->len < wl ? key->len : wl);
	if (c != 0)
		return c;
	return (key->len > wl) - (key->len < wl);
}

int
text_stopword(const char *word, size_t len)
{
	struct key key = { word, len };

	return bsearch(&key, stopwords, sizeof(stopwords) / sizeof(*stopwords),
	    sizeof(*stopwords), stop_cmp) != NULL;
}

/* The first TEXT_MAX bytes with every invalid UTF-8 sequence a space. */
static char *
text_clean(const char *text)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
	utf8proc_int32_t	cp;
	utf8proc_ssize_t	n;
	size_t			len = strnlen(text, TEXT_MAX), i = 0, o = 0;
	char		       *out = xmalloc(len + 1);

	while (i < len) {
		if (p[i] < 0x80) {
			out[o++] = (char)p[i++];
			continue;
		}
		n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n < 0) {
			out[o++] = ' ';
			i++;
			continue;
		}
		memcpy(out + o, p + i, (size_t)n);
		o += (size_t)n;
		i += (size_t)n;
	}
	out[o] = '\0';
	return out;
}

/* Case folded, NFKC, with invisible characters (soft hyphen) dropped. */
static char *
text_fold(char *clean)
{
	utf8proc_uint8_t *out = NULL;

	if (utf8proc_map((const utf8proc_uint8_t *)clean, 0, &out,
	    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
	    UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE) < 0)
		return clean;	/* only on memory exhaustion */
	free(clean);
	return (char *)out;
}

static int
is_cyrillic(utf8proc_int32_t cp)
{
	return cp >= 0x400 && cp <= 0x52f;
}

/* Rewrites Latin look-alikes of a mixed word in Cyrillic, in place. */
static size_t
fix_homoglyphs(char *w, size_t len)
{
	char	 tmp[TEXT_WORD_MAX * 2 + 8];
	size_t	 i, j, o = 0;

	for (i = 0; i < len; i++) {
		for (j = 0; j < sizeof(homoglyphs) / sizeof(*homoglyphs); j++)
			if (w[i] == homoglyphs[j].latin)
				break;
		if (j == sizeof(homoglyphs) / sizeof(*homoglyphs))
			tmp[o++] = w[i];
		else
			o += (size_t)utf8proc_encode_char(homoglyphs[j].cyrillic,
			    (utf8proc_uint8_t *)tmp + o);
	}
	memcpy(w, tmp, o);
	return o;
}

static struct sb_stemmer *
stemmer(struct sb_stemmer **s, const char *algorithm)
{
	if (*s == NULL && (*s = sb_stemmer_new(algorithm, "UTF_8")) == NULL)
		fatal("cannot make the Snowball %s stemmer", algorithm);
	return *s;
}

/*
 * Snowball keeps the "а"/"я" before a verb ending ("записаться" is
 * "записа", "работать" "работа") while the noun loses it ("записи" is
 * "запис", "работы" "работ"); for a topic the verb and its noun are one
 * thing, so the vowel goes when three letters or more remain.  Then the
 * protected stems above.
 */
static int
russian_fixups(const char *w, size_t len, char *stem, int n)
{
	size_t i, pl;

	if (n >= 8 && ((stem[n - 2] == '\xd0' && stem[n - 1] == '\xb0') ||
	    (stem[n - 2] == '\xd1' && stem[n - 1] == '\x8f')))
		n -= 2;
	for (i = 0; i < sizeof(protected_stems) / sizeof(*protected_stems);
	    i++) {
		pl = strlen(protected_stems[i]);
		if (len >= pl && (size_t)n < pl &&
		    memcmp(w, protected_stems[i], pl) == 0 &&
		    memcmp(stem, protected_stems[i], (size_t)n) == 0) {
			memcpy(stem, protected_stems[i], pl);
			return (int)pl;
		}
	}
	return n;
}

/* A word of folded letters and digits: drop it, or stem it and pass it on. */
static void
emit(struct stemming *st, char *w, size_t len, int cyr, int lat)
{
	struct sb_stemmer *s = NULL;
	const sb_symbol	  *out;
	char		   stem[TEXT_WORD_MAX * 2 + 8];
	int		   n;

	if (cyr && lat)
		len = fix_homoglyphs(w, len);
	if (len > TEXT_WORD_MAX || text_stopword(w, len))
		return;
	if (cyr)
		s = stemmer(&st->ru, "russian");
	else if (lat)
		s = stemmer(&st->en, "english");
	if (s == NULL) {
		memcpy(stem, w, len);
		n = (int)len;
	} else {
		out = sb_stemmer_stem(s, (const sb_symbol *)w, (int)len);
		if (out == NULL)
			fatal("out of memory stemming a word");
		n = sb_stemmer_length(s);
		if (n <= 0 || (size_t)n > TEXT_WORD_MAX)
			return;
		memcpy(stem, out, (size_t)n);
		if (cyr)
			n = russian_fixups(w, len, stem, n);
	}
	stem[n] = '\0';
	st->count++;
	if (st->fn != NULL)
		st->fn(stem, (size_t)n, st->arg);
}

static int
is_word_char(utf8proc_category_t c)
{
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
	    c == UTF8PROC_CATEGORY_ND;
}

static int
is_mark(utf8proc_category_t c)
{
	return c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME;
}

int
text_stems(const char *text,
    void (*fn)(const char *stem, size_t len, void *arg), void *arg)
{
	struct stemming		 st = { NULL, NULL, fn, arg, 0 };
	char			*folded, w[TEXT_WORD_MAX * 2 + 8];
	utf8proc_uint8_t	 ch[4];
	const utf8proc_uint8_t	*p;
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 n;
	utf8proc_category_t	 cat;
	size_t			 len = 0, k;
	int			 cyr = 0, lat = 0, over = 0;

	if (text == NULL)
		return 0;
	folded = text_fold(text_clean(text));
	for (p = (const utf8proc_uint8_t *)folded;; p += n) {
		n = utf8proc_iterate(p, -1, &cp);
		if (n <= 0 || cp == 0)
			n = 1, cp = 0;
		cat = utf8proc_category(cp);
		if (cp != 0 && is_mark(cat))
			continue;	/* a stress accent inside a word */
		if (cp != 0 && is_word_char(cat)) {
			if (cp == 0x451)
				cp = 0x435;	/* ё is е */
			cyr |= is_cyrillic(cp);
			lat |= cp >= 'a' && cp <= 'z';
			k = (size_t)utf8proc_encode_char(cp, ch);
			if (len + k > TEXT_WORD_MAX)
				over = 1;
			else {
				memcpy(w + len, ch, k);
				len += k;
			}
			continue;
		}
		if (len > 0 && !over)
			emit(&st, w, len, cyr, lat);
		len = 0;
		cyr = lat = over = 0;
		if (*p == '\0')
			break;
	}
	free(folded);
	if (st.ru != NULL)
		sb_stemmer_delete(st.ru);
	if (st.en != NULL)
		sb_stemmer_delete(st.en);
	return st.count;
}

static void
join(const char *stem, size_t len, void *arg)
{
	struct buf *b = arg;

	if (b->len > 0)
		buf_putc(b, ' ');
	buf_add(b, stem, len);
}

char *
text_stem_string(const char *text)
{
	struct buf b;

	/* Folding can lengthen text (NFKC of ligatures): leave room. */
	buf_init(&b, TEXT_MAX * 8);
	text_stems(text, join, &b);
	return buf_detach(&b);
}

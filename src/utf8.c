/*
 * Text checks and matching forms: UTF-8 validity (with the offset of the
 * first bad byte, so an error can point at it) and case folding through
 * utf8proc, so that "ЭЛЕКТРОННАЯ Почта" and "электронная почта" match.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "otklik.h"

long
utf8_invalid_at(const char *s, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t	cp;
	utf8proc_ssize_t	n;
	size_t			i = 0;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n < 0)
			return (long)i;
		i += (size_t)n;
	}
	return -1;
}

char *
utf8_fold(const char *s)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t  n;
	char		 *r, *q;

	n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
	    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
		UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
	if (n < 0)
		return xstrdup(s);
	r = xstrdup((char *)out);
	free(out);
	/* "ё" is written as "е" as often as not: match them alike. */
	for (q = r; (q = strstr(q, "\xd1\x91")) != NULL; q += 2) {
		q[0] = '\xd0';
		q[1] = '\xb5';
	}
	return r;
}

char *
str_squeeze(const char *s)
{
	struct buf b;
	int	   space = 0;

	buf_init(&b, SIZE_MAX / 2);
	while (isspace((unsigned char)*s))
		s++;
	for (; *s != '\0'; s++) {
		if (isspace((unsigned char)*s)) {
			space = 1;
			continue;
		}
		if (space)
			buf_putc(&b, ' ');
		space = 0;
		buf_putc(&b, *s);
	}
	return buf_detach(&b);
}

char *
str_squeeze_lines(const char *s)
{
	struct buf b;
	int	   space = 0, nl = 0;

	buf_init(&b, SIZE_MAX / 2);
	while (isspace((unsigned char)*s))
		s++;
	for (; *s != '\0'; s++) {
		if (*s == '\n') {
			nl = 1;
			space = 0;
			continue;
		}
		if (isspace((unsigned char)*s)) {
			space = 1;
			continue;
		}
		if (nl)
			buf_putc(&b, '\n');
		else if (space)
			buf_putc(&b, ' ');
		space = nl = 0;
		buf_putc(&b, *s);
	}
	return buf_detach(&b);
}

int
str_empty(const char *s)
{
	if (s == NULL)
		return 1;
	for (; *s != '\0'; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

static int
has_stem(const char *text, const char *stem, int word_start)
{
	const char   *p = text;
	unsigned char prev;

	while ((p = strstr(p, stem)) != NULL) {
		if (!word_start || p == text)
			return 1;
		/* A byte of a multibyte letter is >= 0x80: inside a word. */
		prev = (unsigned char)p[-1];
		if (prev < 0x80 && !isalnum(prev))
			return 1;
		p++;
	}
	return 0;
}

/* Does every "+"-joined stem of one alternative occur in the text? */
static int
all_stems(const char *text, const char *alt, size_t len, int word_start)
{
	char   stem[256];
	size_t i = 0, n;

	while (i < len) {
		n = strcspn(alt + i, "+");
		if (n > len - i)
			n = len - i;
		if (n == 0 || n >= sizeof(stem))
			return 0;
		memcpy(stem, alt + i, n);
		stem[n] = '\0';
		if (!has_stem(text, stem, word_start))
			return 0;
		i += n + 1;
	}
	return 1;
}

int
text_match(const char *text, const char *patterns, int word_start)
{
	const char *p = patterns;
	size_t	    n;

	while (*p != '\0') {
		n = strcspn(p, "|");
		if (n > 0 && all_stems(text, p, n, word_start))
			return 1;
		p += n;
		if (*p == '|')
			p++;
	}
	return 0;
}

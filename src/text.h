/*
 * text.c: Russian (and English) text as word stems, for matching and for the
 * topic classifier of R-FB-7.  "Записаться", "записи" and "запись" all
 * become "запис", so a dictionary entry or a learned word covers every form
 * a citizen may write.
 */
#ifndef TEXT_H
#define TEXT_H

#include <stddef.h>

/* Bytes of input looked at; the rest of a longer text is ignored. */
#define TEXT_MAX	((size_t)64 << 10)
/* Longer "words" (a pasted link, a run of letters) are skipped whole: the
 * longest Russian words are about 35 letters, 70 bytes. */
#define TEXT_WORD_MAX	128

/*
 * Splits text into stems and calls fn for each, in order.  Case is folded
 * (ё is е, NFKC as utf8_fold), a word is a run of letters and digits
 * (combining marks such as a stress accent are dropped, invisible
 * characters such as a soft hyphen ignored), stop words are dropped, and a
 * word with a Cyrillic letter goes through the Snowball "russian" stemmer,
 * a Latin one through "english"; digits and other scripts stay as folded.
 * A Latin letter that looks Cyrillic inside a Cyrillic word ("пpиём" typed
 * with a Latin "p") is read as the Cyrillic one.  Invalid UTF-8 separates
 * words and is otherwise skipped.  The stem passed to fn is NUL-terminated
 * and valid only during the call.  Returns the number of stems.
 * Thread-safe: the stemmers (not thread-safe themselves) belong to the call.
 */
int	 text_stems(const char *text,
	    void (*fn)(const char *stem, size_t len, void *arg), void *arg);

/* The stems of text joined with single spaces: a fresh string, "" if none. */
char	*text_stem_string(const char *text);

/* Is this folded word (as text_stems sees it before stemming) a stop word? */
int	 text_stopword(const char *word, size_t len);

#endif

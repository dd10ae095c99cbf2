/*
 * The HTML writer.  All markup goes out through these functions, and
 * every context has its own escaping: html_text() for element content,
 * attribute values only through html_open()/html_void() (which escape
 * them themselves), html_url_arg() for a part of a URL.  html_raw() is
 * for literal markup written in the program, never for data.
 *
 * Tags opened are kept on a stack; html_close() closes the innermost and
 * html_close_to() all down to a given depth, so a page cannot come out
 * malformed (mandoc's print_otag/print_tagq).
 *
 * Tag and attribute names are the program's own literals: a name that is
 * not [a-z0-9-]+, an event handler attribute ("on…"), a stack deeper
 * than HTML_MAX_DEPTH or a close with nothing open is a programming
 * error and ends the process (fatal()).  Data never chooses a name.
 *
 * When the output buffer reaches its limit, h->failed is set and nothing
 * more is written (the stack is still kept, so depths stay right); the
 * caller checks h->failed once at the end and discards the page.
 */
#ifndef OTKLIK_HTML_H
#define OTKLIK_HTML_H

#include <stddef.h>

struct buf;

#define HTML_MAX_DEPTH 64

struct html {
	struct buf *out;
	const char *stack[HTML_MAX_DEPTH];
	int	    depth;
	int	    failed;	/* output went past the buffer's limit */
};

void html_init(struct html *, struct buf *out);
/* Trusted literal markup from the program's own text. */
void html_raw(struct html *, const char *);
/*
 * Text content: escapes & < > " ' (so the result is also safe inside a
 * quoted attribute), drops control characters other than tab, line feed
 * and carriage return, and replaces bytes that are not UTF-8 with U+FFFD.
 * Not for the content of <script> or <style>, which is never data.
 */
void html_text(struct html *, const char *);
void html_textf(struct html *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * Opens a tag with attributes given as name/value pairs ending in NULL:
 * html_open(h, "td", "rowspan", "3", "class", "area", NULL).  A NULL
 * value leaves the attribute out; values are escaped here.  The value of
 * an attribute holding a URL (href, src, action, formaction, cite,
 * poster, data, ping, background, manifest) must be relative or use
 * http, https, mailto or tel: any other scheme (javascript:, data:,
 * vbscript: …) is replaced by "about:invalid".  Returns the depth before
 * the tag, for html_close_to().  The tag name is kept on the stack as
 * given, so it must outlive the element (a literal).
 */
int  html_open(struct html *, const char *tag, ...);
/* A void element (br, meta, link, input): no closing tag. */
void html_void(struct html *, const char *tag, ...);
void html_close(struct html *);
/* Closes tags until the stack is depth deep (0: closes everything). */
void html_close_to(struct html *, int depth);
/* An element holding only text: <tag attrs>text</tag>. */
void html_elem(struct html *, const char *tag, const char *text, ...);
/*
 * Percent-encodes a URL component (path segment or query value): every
 * byte but A-Z a-z 0-9 - . _ ~ becomes %XX.  0, or -1 if the buffer's
 * limit was reached (the buffer is then left as it was).
 */
int  html_url_arg(struct buf *, const char *);
/* Escapes text into a buffer as html_text() does; 0, or -1 at the limit
 * (the buffer is then left as it was). */
int  html_escape(struct buf *, const char *);

#endif

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
/* Text content: escapes & < > " '. */
void html_text(struct html *, const char *);
void html_textf(struct html *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * Opens a tag with attributes given as name/value pairs ending in NULL:
 * html_open(h, "td", "rowspan", "3", "class", "area", NULL).  A NULL
 * value leaves the attribute out; values are escaped here.  Returns the
 * depth before the tag, for html_close_to().
 */
int  html_open(struct html *, const char *tag, ...);
/* A void element (br, meta, link, input): no closing tag. */
void html_void(struct html *, const char *tag, ...);
void html_close(struct html *);
void html_close_to(struct html *, int depth);
/* An element holding only text: <tag attrs>text</tag>. */
void html_elem(struct html *, const char *tag, const char *text, ...);
/* Percent-encodes a URL component (path segment or query value). */
void html_url_arg(struct buf *, const char *);
/* Escapes text into a buffer, for callers building attribute-free text. */
void html_escape(struct buf *, const char *);

#endif

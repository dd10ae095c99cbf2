/*
 * The HTML writer of html.h: one escaping function per context, a tag
 * helper that escapes attribute values itself and refuses dangerous URL
 * schemes, and a stack of open tags so that every page closes properly.
 * Every byte of a page goes through here.
 */
#include <stdarg.h>
#include <string.h>

#include "otklik.h"
#include "html.h"

/* Elements that have no content and no closing tag. */
static const char *const void_tags[] = {
	"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
	"meta", "source", "track", "wbr",
};

/* Attributes whose value is a URL a browser may follow or fetch. */
static const char *const url_attrs[] = {
	"action", "background", "cite", "data", "formaction", "href",
	"manifest", "ping", "poster", "src",
};

/* URL schemes a page may link to; anything else could run code. */
static const char *const safe_schemes[] = {
	"http", "https", "mailto", "tel",
};

static int
in_list(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

/* Names come from the program; one that is not [a-z0-9-]+ is a bug. */
static void
check_name(const char *name, const char *what)
{
	const char *p;

	if (name == NULL || *name == '\0')
		fatal("html: empty %s name", what);
	for (p = name; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-'))
			fatal("html: invalid %s name '%s'", what, name);
}

/*
 * The length of the valid UTF-8 sequence at s, or 0 if there is none
 * (overlong forms, surrogates and code points past U+10FFFF included).
 * Stops at the terminating NUL, which is never a continuation byte.
 */
static size_t
utf8_seq(const unsigned char *s)
{
	unsigned char lo, hi;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		lo = s[0] == 0xe0 ? 0xa0 : 0x80;
		hi = s[0] == 0xed ? 0x9f : 0xbf;
		return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 ?
		    3 : 0;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		lo = s[0] == 0xf0 ? 0x90 : 0x80;
		hi = s[0] == 0xf4 ? 0x8f : 0xbf;
		return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 &&
		    (s[3] & 0xc0) == 0x80 ? 4 : 0;
	}
	return 0;
}

/* Puts the buffer back to len bytes after a failed append. */
static void
buf_truncate(struct buf *b, size_t len)
{
	if (b->data != NULL && len <= b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

int
html_escape(struct buf *b, const char *s)
{
	const unsigned char *p, *run;
	const char	    *rep;
	size_t		     old = b->len, n;

	if (s == NULL)
		return 0;
	p = run = (const unsigned char *)s;
	while (*p != '\0') {
		rep = NULL;
		n = 1;
		switch (*p) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		case '\t':
		case '\n':
		case '\r':
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				rep = "";
			else if (*p >= 0x80 && (n = utf8_seq(p)) == 0) {
				rep = "\xef\xbf\xbd";	/* U+FFFD */
				n = 1;
			}
			break;
		}
		if (rep == NULL) {
			p += n;
			continue;
		}
		if (buf_add(b, run, (size_t)(p - run)) == -1 ||
		    buf_puts(b, rep) == -1)
			goto fail;
		p += n;
		run = p;
	}
	if (buf_add(b, run, (size_t)(p - run)) == -1)
		goto fail;
	return 0;
fail:
	buf_truncate(b, old);
	return -1;
}

int
html_url_arg(struct buf *b, const char *s)
{
	static const char    hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	size_t		     old = b->len;
	char		     pct[3];

	if (s == NULL)
		return 0;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~') {
			if (buf_putc(b, *p) == -1)
				goto fail;
			continue;
		}
		pct[0] = '%';
		pct[1] = hex[*p >> 4];
		pct[2] = hex[*p & 0xf];
		if (buf_add(b, pct, sizeof(pct)) == -1)
			goto fail;
	}
	return 0;
fail:
	buf_truncate(b, old);
	return -1;
}

/*
 * Whether a URL attribute value is safe to follow: relative, or with an
 * allowed scheme.  Read as a browser reads it, which skips leading
 * spaces and control characters and ignores tabs and line breaks
 * anywhere ("java\tscript:" is "javascript:").
 */
static int
url_safe(const char *v)
{
	const unsigned char *p = (const unsigned char *)v;
	char		     scheme[8];
	size_t		     n = 0, i;
	int		     toolong = 0;

	while (*p != '\0' && *p <= 0x20)
		p++;
	for (; *p != '\0'; p++) {
		if (*p == '\t' || *p == '\n' || *p == '\r')
			continue;
		if (*p == ':')
			break;
		if (*p == '/' || *p == '?' || *p == '#')
			return 1;	/* a path, query or fragment first */
		if (n + 1 < sizeof(scheme))
			scheme[n++] = (char)(*p >= 'A' && *p <= 'Z' ?
			    *p - 'A' + 'a' : *p);
		else
			toolong = 1;
	}
	if (*p == '\0')
		return 1;		/* no colon at all: relative */
	if (toolong)
		return 0;
	scheme[n] = '\0';
	for (i = 0; i < nitems(safe_schemes); i++)
		if (strcmp(scheme, safe_schemes[i]) == 0)
			return 1;
	return 0;
}

static void
put(struct html *h, const char *s)
{
	if (h->failed)
		return;
	if (buf_puts(h->out, s) == -1)
		h->failed = 1;
}

static void
put_escaped(struct html *h, const char *s)
{
	if (h->failed)
		return;
	if (html_escape(h->out, s) == -1)
		h->failed = 1;
}

void
html_init(struct html *h, struct buf *out)
{
	memset(h, 0, sizeof(*h));
	h->out = out;
}

void
html_raw(struct html *h, const char *s)
{
	if (s != NULL)
		put(h, s);
}

void
html_text(struct html *h, const char *s)
{
	put_escaped(h, s);
}

void
html_textf(struct html *h, const char *fmt, ...)
{
	struct buf t;
	va_list	   ap;
	int	   r;

	if (h->failed)
		return;
	buf_init(&t, h->out->max);
	va_start(ap, fmt);
	r = buf_vprintf(&t, fmt, ap);
	va_end(ap);
	if (r == -1)
		h->failed = 1;
	else
		put_escaped(h, buf_str(&t));
	buf_free(&t);
}

static int
html_vopen(struct html *h, const char *tag, int isvoid, va_list ap)
{
	const char *name, *value;
	int	    depth = h->depth;

	check_name(tag, "tag");
	if (in_list(tag, void_tags, nitems(void_tags)) != isvoid)
		fatal(isvoid ? "html: <%s> is not a void element"
			     : "html: <%s> is a void element; use html_void()",
		    tag);
	if (!isvoid && h->depth >= HTML_MAX_DEPTH)
		fatal("html: <%s> nested more than %d deep", tag,
		    HTML_MAX_DEPTH);
	put(h, "<");
	put(h, tag);
	while ((name = va_arg(ap, const char *)) != NULL) {
		value = va_arg(ap, const char *);
		check_name(name, "attribute");
		if (strncmp(name, "on", 2) == 0)
			fatal("html: event handler attribute '%s' on <%s>",
			    name, tag);
		if (value == NULL)
			continue;
		if (in_list(name, url_attrs, nitems(url_attrs)) &&
		    !url_safe(value))
			value = "about:invalid";
		put(h, " ");
		put(h, name);
		put(h, "=\"");
		put_escaped(h, value);
		put(h, "\"");
	}
	put(h, ">");
	if (!isvoid)
		h->stack[h->depth++] = tag;
	return depth;
}

int
html_open(struct html *h, const char *tag, ...)
{
	va_list ap;
	int	depth;

	va_start(ap, tag);
	depth = html_vopen(h, tag, 0, ap);
	va_end(ap);
	return depth;
}

void
html_void(struct html *h, const char *tag, ...)
{
	va_list ap;

	va_start(ap, tag);
	html_vopen(h, tag, 1, ap);
	va_end(ap);
}

void
html_close(struct html *h)
{
	if (h->depth <= 0)
		fatal("html: closing a tag when none is open");
	h->depth--;
	put(h, "</");
	put(h, h->stack[h->depth]);
	put(h, ">");
}

void
html_close_to(struct html *h, int depth)
{
	if (depth < 0)
		depth = 0;
	while (h->depth > depth)
		html_close(h);
}

void
html_elem(struct html *h, const char *tag, const char *text, ...)
{
	va_list ap;
	int	depth;

	va_start(ap, text);
	depth = html_vopen(h, tag, 0, ap);
	va_end(ap);
	html_text(h, text);
	html_close_to(h, depth);
}

/*
 * Unit tests of html.c: escaping in each context (text, attribute value,
 * URL attribute, URL component) against XSS payloads, the tag stack, the
 * buffer's limit, and the programming errors that must end the process.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "otklik.h"
#include "html.h"

struct pair {
	const char *in;
	const char *want;
};

/* Element content. */
static const struct pair text_cases[] = {
	{"plain", "plain"},
	{"", ""},
	{"<script>alert(1)</script>",
	    "&lt;script&gt;alert(1)&lt;/script&gt;"},
	{"\"onmouseover=alert(1)", "&quot;onmouseover=alert(1)"},
	{"' onfocus='x", "&#39; onfocus=&#39;x"},
	{"a & b &amp;", "a &amp; b &amp;amp;"},
	{"javascript:alert(1)", "javascript:alert(1)"},
	{"Телефон +7 (347) 218-15-87, «СЭДО»",
	    "Телефон +7 (347) 218-15-87, «СЭДО»"},
	{"tab\tline\nreturn\r", "tab\tline\nreturn\r"},
	{"bell\a esc\x1b del\x7f", "bell esc del"},
	{"bad \xff byte", "bad \xef\xbf\xbd byte"},
	{"overlong \xc0\xaf", "overlong \xef\xbf\xbd\xef\xbf\xbd"},
	{"surrogate \xed\xa0\x80!",
	    "surrogate \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd!"},
	{"cut \xd0", "cut \xef\xbf\xbd"},
	{"emoji \xf0\x9f\x98\x80", "emoji \xf0\x9f\x98\x80"},
	{"past U+10FFFF \xf4\x90\x80\x80",
	    "past U+10FFFF \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
};

/* A plain attribute value: html_void(h, "input", "value", in, NULL). */
static const struct pair attr_cases[] = {
	{"simple", "<input value=\"simple\">"},
	{"", "<input value=\"\">"},
	{"\" onmouseover=\"alert(1)",
	    "<input value=\"&quot; onmouseover=&quot;alert(1)\">"},
	{"' onmouseover='alert(1)",
	    "<input value=\"&#39; onmouseover=&#39;alert(1)\">"},
	{"\"><script>alert(1)</script>",
	    "<input value=\"&quot;&gt;&lt;script&gt;alert(1)"
	    "&lt;/script&gt;\">"},
	{"a&b", "<input value=\"a&amp;b\">"},
	/* Not a URL attribute: kept, but as inert text. */
	{"javascript:alert(1)", "<input value=\"javascript:alert(1)\">"},
};

/* A URL attribute: html_open(h, "a", "href", in, NULL). */
static const struct pair href_cases[] = {
	{"javascript:alert(1)", "<a href=\"about:invalid\">"},
	{"JaVaScRiPt:alert(1)", "<a href=\"about:invalid\">"},
	{" \t\x01javascript:alert(1)", "<a href=\"about:invalid\">"},
	{"java\tscr\nipt:alert(1)", "<a href=\"about:invalid\">"},
	{"vbscript:msgbox(1)", "<a href=\"about:invalid\">"},
	{"data:text/html,<script>alert(1)</script>",
	    "<a href=\"about:invalid\">"},
	{"verylongschemename:x", "<a href=\"about:invalid\">"},
	{"https://demo.gov.ru/?a=1&b=\"2\"",
	    "<a href=\"https://demo.gov.ru/?a=1&amp;b=&quot;2&quot;\">"},
	{"HTTP://demo.gov.ru/", "<a href=\"HTTP://demo.gov.ru/\">"},
	{"mailto:info@demo.gov.ru", "<a href=\"mailto:info@demo.gov.ru\">"},
	{"tel:+74232000000", "<a href=\"tel:+74232000000\">"},
	{"/registry?format=csv", "<a href=\"/registry?format=csv\">"},
	{"page.html", "<a href=\"page.html\">"},
	{"#top", "<a href=\"#top\">"},
	{"?next=javascript:x", "<a href=\"?next=javascript:x\">"},
	/* Entities are text here: the browser sees "&#106;…", a fragment. */
	{"&#106;avascript:alert(1)",
	    "<a href=\"&amp;#106;avascript:alert(1)\">"},
	{"\"onmouseover=\"alert(1)",
	    "<a href=\"&quot;onmouseover=&quot;alert(1)\">"},
};

/* A URL component. */
static const struct pair url_cases[] = {
	{"", ""},
	{"abcXYZ019-._~", "abcXYZ019-._~"},
	{"a b&c=d/e?f#g", "a%20b%26c%3Dd%2Fe%3Ff%23g"},
	{"javascript:alert(1)", "javascript%3Aalert%281%29"},
	{"\"><script>", "%22%3E%3Cscript%3E"},
	{"ё", "%D1%91"},
	{"100%", "100%25"},
};

static void
test_text(void **state)
{
	struct buf  b;
	struct html h;
	size_t	    i;

	(void)state;
	for (i = 0; i < nitems(text_cases); i++) {
		buf_init(&b, 1 << 16);
		html_init(&h, &b);
		html_text(&h, text_cases[i].in);
		assert_false(h.failed);
		assert_string_equal(buf_str(&b), text_cases[i].want);
		/* html_escape() is the same escaping into a plain buffer. */
		buf_reset(&b);
		assert_int_equal(html_escape(&b, text_cases[i].in), 0);
		assert_string_equal(buf_str(&b), text_cases[i].want);
		buf_free(&b);
	}
	buf_init(&b, 64);
	html_init(&h, &b);
	html_text(&h, NULL);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void
test_textf(void **state)
{
	struct buf  b;
	struct html h;

	(void)state;
	buf_init(&b, 1024);
	html_init(&h, &b);
	html_textf(&h, "%d <%s> & %s", 5, "b", "\"x\"");
	assert_false(h.failed);
	assert_string_equal(buf_str(&b), "5 &lt;b&gt; &amp; &quot;x&quot;");
	buf_free(&b);
}

static void
test_attr(void **state)
{
	struct buf  b;
	struct html h;
	size_t	    i;

	(void)state;
	for (i = 0; i < nitems(attr_cases); i++) {
		buf_init(&b, 1 << 16);
		html_init(&h, &b);
		html_void(&h, "input", "value", attr_cases[i].in, NULL);
		assert_int_equal(h.depth, 0);
		assert_string_equal(buf_str(&b), attr_cases[i].want);
		buf_free(&b);
	}
}

static void
test_href(void **state)
{
	struct buf  b;
	struct html h;
	size_t	    i;
	int	    d;

	(void)state;
	for (i = 0; i < nitems(href_cases); i++) {
		buf_init(&b, 1 << 16);
		html_init(&h, &b);
		d = html_open(&h, "a", "href", href_cases[i].in, NULL);
		assert_int_equal(d, 0);
		assert_int_equal(h.depth, 1);
		assert_string_equal(buf_str(&b), href_cases[i].want);
		html_close(&h);
		assert_int_equal(h.depth, 0);
		buf_free(&b);
	}
	/* Every URL attribute is checked, not only href. */
	buf_init(&b, 1024);
	html_init(&h, &b);
	html_void(&h, "img", "src", "javascript:alert(1)", "alt", "", NULL);
	html_open(&h, "form", "action", " data:text/html,x", "method", "post",
	    NULL);
	html_void(&h, "input", "type", "submit", "formaction",
	    "JAVASCRIPT:x", NULL);
	html_close(&h);
	assert_string_equal(buf_str(&b),
	    "<img src=\"about:invalid\" alt=\"\">"
	    "<form action=\"about:invalid\" method=\"post\">"
	    "<input type=\"submit\" formaction=\"about:invalid\"></form>");
	buf_free(&b);
}

static void
test_url_arg(void **state)
{
	struct buf b;
	size_t	   i;

	(void)state;
	for (i = 0; i < nitems(url_cases); i++) {
		buf_init(&b, 1024);
		assert_int_equal(html_url_arg(&b, url_cases[i].in), 0);
		assert_string_equal(buf_str(&b), url_cases[i].want);
		buf_free(&b);
	}
}

/* A URL built from components, then given to the tag helper. */
static void
test_url_in_attr(void **state)
{
	struct buf  u, b;
	struct html h;

	(void)state;
	buf_init(&u, 1024);
	buf_init(&b, 1024);
	buf_puts(&u, "/org/");
	html_url_arg(&u, "demo org");
	buf_puts(&u, "/registry?q=");
	html_url_arg(&u, "\"><script>&x=1");
	buf_puts(&u, "&format=csv");
	html_init(&h, &b);
	html_elem(&h, "a", "скачать <CSV>", "href", buf_str(&u), NULL);
	assert_string_equal(buf_str(&b),
	    "<a href=\"/org/demo%20org/registry?q=%22%3E%3Cscript%3E%26x%3D1"
	    "&amp;format=csv\">скачать &lt;CSV&gt;</a>");
	buf_free(&u);
	buf_free(&b);
}

static void
test_stack(void **state)
{
	struct buf  b;
	struct html h;
	int	    d0, d1, d2;

	(void)state;
	buf_init(&b, 4096);
	html_init(&h, &b);
	d0 = html_open(&h, "table", "class", "registry", NULL);
	d1 = html_open(&h, "tbody", NULL);
	html_open(&h, "tr", NULL);
	/* A NULL value leaves the attribute out. */
	html_elem(&h, "td", "1", "rowspan", NULL, "class", "n", NULL);
	d2 = html_open(&h, "th", "scope", "rowgroup", "rowspan", "3", NULL);
	html_open(&h, "span", NULL);
	html_text(&h, "A & B");
	assert_int_equal(d0, 0);
	assert_int_equal(d1, 1);
	assert_int_equal(d2, 3);
	assert_int_equal(h.depth, 5);
	html_close_to(&h, d2);		/* span and th */
	assert_int_equal(h.depth, 3);
	html_void(&h, "br", NULL);
	html_close(&h);			/* tr */
	html_close_to(&h, d1);		/* tbody */
	assert_int_equal(h.depth, 1);
	html_close_to(&h, 0);
	assert_int_equal(h.depth, 0);
	html_close_to(&h, 0);		/* nothing left: harmless */
	assert_false(h.failed);
	assert_string_equal(buf_str(&b),
	    "<table class=\"registry\"><tbody><tr><td class=\"n\">1</td>"
	    "<th scope=\"rowgroup\" rowspan=\"3\"><span>A &amp; B</span></th>"
	    "<br></tr></tbody></table>");
	buf_free(&b);
}

static void
test_raw(void **state)
{
	struct buf  b;
	struct html h;

	(void)state;
	buf_init(&b, 1024);
	html_init(&h, &b);
	html_raw(&h, "<!DOCTYPE html>\n");
	html_raw(&h, NULL);
	assert_string_equal(buf_str(&b), "<!DOCTYPE html>\n");
	buf_free(&b);
}

static void
test_limit(void **state)
{
	struct buf  b;
	struct html h;
	size_t	    len;

	(void)state;
	buf_init(&b, 24);
	html_init(&h, &b);
	html_open(&h, "div", NULL);
	html_text(&h, "0123456789");
	assert_false(h.failed);
	len = b.len;
	/* 5 bytes of text become 25 of entities: past the limit. */
	html_text(&h, "<<<<<");
	assert_true(h.failed);
	assert_true(b.len <= b.max);
	assert_int_equal(b.len, len);	/* the failed write left nothing */
	/* Once failed, nothing more is written, but the stack is kept. */
	html_text(&h, "x");
	html_open(&h, "p", NULL);
	assert_int_equal(h.depth, 2);
	html_close_to(&h, 0);
	assert_int_equal(h.depth, 0);
	assert_int_equal(b.len, len);
	assert_string_equal(buf_str(&b), "<div>0123456789");
	buf_free(&b);

	/* Failing in the middle of a tag's attributes. */
	buf_init(&b, 16);
	html_init(&h, &b);
	html_void(&h, "meta", "content", "a long value past the limit", NULL);
	assert_true(h.failed);
	assert_true(b.len <= b.max);
	buf_free(&b);

	/* The plain-buffer functions leave the buffer as it was. */
	buf_init(&b, 8);
	buf_puts(&b, "ab");
	assert_int_equal(html_escape(&b, "&&"), -1);
	assert_string_equal(buf_str(&b), "ab");
	assert_int_equal(html_url_arg(&b, "ёёё"), -1);
	assert_string_equal(buf_str(&b), "ab");
	assert_int_equal(html_url_arg(&b, "ok"), 0);
	assert_string_equal(buf_str(&b), "abok");
	buf_free(&b);

	/* textf past the limit. */
	buf_init(&b, 8);
	html_init(&h, &b);
	html_textf(&h, "%s", "0123456789");
	assert_true(h.failed);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

/*
 * Programming errors end the process through fatal(); each is run in a
 * child and must exit with EXIT_SOFTWARE.
 */
static void
bad_tag_upper(struct html *h)
{
	html_open(h, "Div", NULL);
}

static void
bad_tag_space(struct html *h)
{
	html_open(h, "a onclick=x", NULL);
}

static void
bad_tag_empty(struct html *h)
{
	html_void(h, "", NULL);
}

static void
bad_attr_quote(struct html *h)
{
	html_open(h, "p", "title\"", "x", NULL);
}

static void
bad_attr_space(struct html *h)
{
	html_elem(h, "p", "x", "a b", "x", NULL);
}

static void
bad_attr_handler(struct html *h)
{
	html_open(h, "body", "onload", "alert(1)", NULL);
}

static void
bad_void_opened(struct html *h)
{
	html_open(h, "br", NULL);
}

static void
bad_void_misused(struct html *h)
{
	html_void(h, "div", NULL);
}

static void
bad_close(struct html *h)
{
	html_close(h);
}

static void
bad_depth(struct html *h)
{
	int i;

	for (i = 0; i <= HTML_MAX_DEPTH; i++)
		html_open(h, "div", NULL);
}

static void (*const fatal_cases[])(struct html *) = {
	bad_tag_upper, bad_tag_space, bad_tag_empty, bad_attr_quote,
	bad_attr_space, bad_attr_handler, bad_void_opened, bad_void_misused,
	bad_close, bad_depth,
};

static void
test_fatal(void **state)
{
	size_t i;
	pid_t  pid;
	int    status;

	(void)state;
	for (i = 0; i < nitems(fatal_cases); i++) {
		fflush(NULL);
		pid = fork();
		assert_true(pid != -1);
		if (pid == 0) {
			struct buf  b;
			struct html h;

			if (freopen("/dev/null", "w", stderr) == NULL)
				_exit(2);
			buf_init(&b, 1 << 16);
			html_init(&h, &b);
			fatal_cases[i](&h);
			_exit(0);	/* not reached if it was refused */
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), EXIT_SOFTWARE);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_textf),
		cmocka_unit_test(test_attr),
		cmocka_unit_test(test_href),
		cmocka_unit_test(test_url_arg),
		cmocka_unit_test(test_url_in_attr),
		cmocka_unit_test(test_stack),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_fatal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

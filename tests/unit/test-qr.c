/*
 * Unit tests of qr.c: the SVG's size in modules is that of the QR
 * version the text needs, and its path draws exactly the matrix that
 * libqrencode makes; the PNG is a PNG of the expected size whose pixels
 * are that matrix too; titles are escaped; texts too long or empty and
 * scales out of range are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <png.h>
#include <qrencode.h>

#include "otklik.h"
#include "qr.h"

#define SVG_START "<svg xmlns=\"http://www.w3.org/2000/svg\""

/* 40 bytes: version 3 at level M in 8-bit mode (up to 42 bytes). */
#define TEXT40 "https://otklik.example.ru/gkk/s/serv/123"
/* 43 bytes: version 4 (up to 62). */
#define TEXT43 "https://otklik.example.ru/gkk/s/services/12"

static QRcode *
matrix(const char *text)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);

	assert_non_null(q);
	return q;
}

/* The dark modules the SVG path draws ("Mx yhNv1h-Nz" runs), as a grid
 * of size x size. */
static unsigned char *
svg_modules(const char *svg, int size)
{
	unsigned char *g = xcalloc((size_t)size * (size_t)size, 1);
	const char    *p = strstr(svg, " d=\"");
	int	       x, y, n, k, used;

	assert_non_null(p);
	p += 4;
	while (*p == 'M') {
		assert_int_equal(sscanf(p, "M%d %dh%dv1h-%*dz%n", &x, &y, &n,
				     &used), 3);
		assert_true(x >= 0 && y >= 0 && n > 0 && x + n <= size &&
		    y < size);
		for (k = 0; k < n; k++)
			g[y * size + x + k] = 1;
		p += used;
	}
	assert_int_equal(*p, '"');
	return g;
}

static void
check_svg(const char *text, int version)
{
	struct buf     b;
	struct err     e;
	QRcode	      *q = matrix(text);
	unsigned char *g;
	char	       vb[64];
	int	       size, x, y;

	assert_int_equal(q->version, version);
	assert_int_equal(q->width, 17 + 4 * version);
	size = q->width + 8;
	buf_init(&b, 1 << 20);
	assert_int_equal(qr_svg(text, "Ссылка <на> анкету & QR", &b, &e), 0);
	assert_true(strncmp(buf_str(&b), SVG_START, strlen(SVG_START)) == 0);
	snprintf(vb, sizeof(vb), "viewBox=\"0 0 %d %d\"", size, size);
	assert_non_null(strstr(buf_str(&b), vb));
	assert_non_null(strstr(buf_str(&b), "<title>Ссылка &lt;на&gt; анкету "
					    "&amp; QR</title>"));
	/* One path, drawing every dark module and nothing else, the quiet
	 * zone of four modules left white. */
	assert_null(strstr(strstr(buf_str(&b), "<path") + 1, "<path"));
	g = svg_modules(buf_str(&b), size);
	for (y = 0; y < size; y++)
		for (x = 0; x < size; x++) {
			int in = x >= 4 && y >= 4 && x < size - 4 &&
			    y < size - 4;
			int want = in ? q->data[(y - 4) * q->width + x - 4] & 1
				      : 0;

			assert_int_equal(g[y * size + x], want);
		}
	free(g);
	buf_free(&b);
	QRcode_free(q);
}

static void
test_svg(void **state)
{
	(void)state;
	check_svg(TEXT40, 3);
	check_svg(TEXT43, 4);
	/* Case is kept: 8-bit mode, not the alphanumeric upper case. */
	check_svg("https://Example.RU/a/s/B", 2);
}

/* Reading a PNG back from memory. */
struct reader {
	const unsigned char *p;
	size_t		     n, off;
};

static void
read_mem(png_structp png, png_bytep out, png_size_t len)
{
	struct reader *r = png_get_io_ptr(png);

	if (r->off + len > r->n)
		png_error(png, "short");
	memcpy(out, r->p + r->off, len);
	r->off += len;
}

static void
test_png(void **state)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n',
	    0x1a, '\n'};
	struct buf	 b;
	struct err	 e;
	struct reader	 rd;
	QRcode		*q = matrix(TEXT40);
	png_structp	 png;
	png_infop	 info;
	png_bytep	*rows;
	const unsigned char *d;
	int		 scale = 3, size = (29 + 8) * 3, x, y, mx, my, dark, bit;
	uint32_t	 w, h;

	(void)state;
	buf_init(&b, 1 << 20);
	assert_int_equal(qr_png(TEXT40, scale, &b, &e), 0);
	d = (const unsigned char *)b.data;
	assert_true(b.len > 33);
	assert_memory_equal(d, sig, 8);
	/* IHDR: width, height, bit depth 1, colour type 0 (gray). */
	assert_memory_equal(d + 12, "IHDR", 4);
	w = (uint32_t)d[16] << 24 | (uint32_t)d[17] << 16 |
	    (uint32_t)d[18] << 8 | d[19];
	h = (uint32_t)d[20] << 24 | (uint32_t)d[21] << 16 |
	    (uint32_t)d[22] << 8 | d[23];
	assert_int_equal(w, size);
	assert_int_equal(h, size);
	assert_int_equal(d[24], 1);
	assert_int_equal(d[25], 0);

	/* Every pixel is its module. */
	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png_create_info_struct(png);
	rd.p = d;
	rd.n = b.len;
	rd.off = 0;
	png_set_read_fn(png, &rd, read_mem);
	png_read_png(png, info, PNG_TRANSFORM_IDENTITY, NULL);
	rows = png_get_rows(png, info);
	for (y = 0; y < size; y++)
		for (x = 0; x < size; x++) {
			mx = x / scale - 4;
			my = y / scale - 4;
			dark = mx >= 0 && my >= 0 && mx < q->width &&
			    my < q->width && (q->data[my * q->width + mx] & 1);
			bit = (rows[y][x / 8] >> (7 - x % 8)) & 1;
			assert_int_equal(bit, !dark);	/* 1 is white */
		}
	png_destroy_read_struct(&png, &info, NULL);
	QRcode_free(q);
	buf_free(&b);
}

static void
test_refused(void **state)
{
	struct buf b;
	struct err e;
	char	   long_text[QR_TEXT_MAX + 2];

	(void)state;
	buf_init(&b, 1 << 20);
	memset(long_text, 'a', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	assert_int_equal(qr_svg(long_text, NULL, &b, &e), -1);
	assert_int_equal(e.code, EXIT_DATAERR);
	assert_non_null(strstr(e.msg, "1001 bytes"));
	assert_int_equal(qr_png(long_text, 4, &b, &e), -1);
	assert_int_equal(qr_svg("", NULL, &b, &e), -1);
	assert_int_equal(qr_png(TEXT40, 0, &b, &e), -1);
	assert_int_equal(qr_png(TEXT40, QR_SCALE_MAX + 1, &b, &e), -1);
	/* Nothing was written by a refusal. */
	assert_int_equal(b.len, 0);
	/* The longest text allowed still makes a code (version 27 or so). */
	long_text[QR_TEXT_MAX] = '\0';
	assert_int_equal(qr_svg(long_text, NULL, &b, &e), 0);
	assert_non_null(strstr(buf_str(&b), "</svg>"));
	buf_reset(&b);
	/* A PNG that does not fit its buffer is an error, and leaves the
	 * buffer as it was. */
	buf_free(&b);
	buf_init(&b, 100);
	buf_puts(&b, "x");
	assert_int_equal(qr_png(TEXT40, 10, &b, &e), -1);
	assert_string_equal(buf_str(&b), "x");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_png),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * QR codes for the links to surveys (qr.h).  libqrencode makes the
 * matrix only; this file draws it: as SVG, one path of the dark modules
 * (horizontal runs, so a version-5 code is a few hundred bytes), in a
 * viewBox counted in modules so that any size prints sharp; and as a
 * 1-bit grayscale PNG through libpng, written into memory.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <qrencode.h>

#include "otklik.h"
#include "html.h"
#include "qr.h"

#define QUIET 4		/* modules of white around the code */

static QRcode *
encode(const char *text, struct err *e)
{
	QRcode *q;
	size_t	n = text != NULL ? strlen(text) : 0;

	if (n == 0)
		return err_set(e, EXIT_DATAERR, "qr: nothing to encode"), NULL;
	if (n > QR_TEXT_MAX)
		return err_set(e, EXIT_DATAERR, "qr: the text is %zu bytes, "
		    "at most %d fit", n, QR_TEXT_MAX), NULL;
	/* Version 0: the smallest that holds the text; 8-bit mode keeps
	 * the bytes (and the case) exactly. */
	errno = 0;
	if ((q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1)) ==
	    NULL)
		return err_set(e, errno == ERANGE ? EXIT_DATAERR
						  : EXIT_SOFTWARE,
		    "qr: cannot encode the text: %s", errno == ERANGE
		    ? "too long for a QR code" : strerror(errno)), NULL;
	return q;
}

static int
dark(const QRcode *q, int x, int y)
{
	return q->data[y * q->width + x] & 1;
}

int
qr_svg(const char *text, const char *title, struct buf *out, struct err *e)
{
	QRcode *q;
	int	x, y, run, size, rc = 0;

	if ((q = encode(text, e)) == NULL)
		return -1;
	size = q->width + 2 * QUIET;
	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
			"viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\" "
			"role=\"img\">", size, size);
	if (title != NULL) {
		buf_puts(out, "<title>");
		html_escape(out, title);
		buf_puts(out, "</title>");
	}
	buf_printf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
			"<path fill=\"#000\" d=\"", size, size);
	for (y = 0; y < q->width; y++)
		for (x = 0; x < q->width; x += run) {
			for (run = 0; x + run < q->width && dark(q, x + run, y);
			     run++)
				;
			if (run > 0)
				buf_printf(out, "M%d %dh%dv1h-%dz", x + QUIET,
				    y + QUIET, run, run);
			else
				run = 1;
		}
	if (buf_puts(out, "\"/></svg>\n") != 0)
		rc = err_set(e, EXIT_SOFTWARE, "qr: the SVG is larger than "
		    "its buffer");
	QRcode_free(q);
	return rc;
}

static void
out_write(png_structp png, png_bytep data, png_size_t len)
{
	struct buf *b = png_get_io_ptr(png);

	if (buf_add(b, data, len) != 0)
		png_error(png, "the PNG is larger than its buffer");
}

static void
out_flush(png_structp png)
{
	(void)png;
}

static void
out_fail(png_structp png, png_const_charp msg)
{
	struct err *e = png_get_error_ptr(png);

	err_set(e, EXIT_SOFTWARE, "qr: libpng: %s", msg);
	png_longjmp(png, 1);
}

/*
 * Writes the rows; on a libpng error it comes back through longjmp, so
 * what it allocates lives in the caller (row) and nothing here needs
 * freeing.
 */
static int
write_rows(png_structp png, png_infop info, const QRcode *q, int scale,
    unsigned char *row)
{
	int size = (q->width + 2 * QUIET) * scale, x, y, k, px, my;

	if (setjmp(png_jmpbuf(png)))
		return -1;
	png_set_IHDR(png, info, (png_uint_32)size, (png_uint_32)size, 1,
	    PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
	    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (y = 0; y < size; y++) {
		my = y / scale - QUIET;
		/* Bits set are white: 1-bit gray counts 1 as full light. */
		memset(row, 0xff, (size_t)(size + 7) / 8);
		if (my >= 0 && my < q->width)
			for (x = 0; x < q->width; x++) {
				if (!dark(q, x, my))
					continue;
				for (k = 0; k < scale; k++) {
					px = (x + QUIET) * scale + k;
					row[px / 8] &= (unsigned char)~(0x80 >>
					    (px % 8));
				}
			}
		png_write_row(png, row);
	}
	png_write_end(png, info);
	return 0;
}

int
qr_png(const char *text, int scale, struct buf *out, struct err *e)
{
	QRcode	      *q;
	png_structp    png;
	png_infop      info;
	unsigned char *row;
	size_t	       start = out->len;
	int	       rc;

	if (scale < 1 || scale > QR_SCALE_MAX)
		return err_set(e, EXIT_USAGE, "qr: the scale is 1 to %d "
		    "pixels a module, not %d", QR_SCALE_MAX, scale);
	if ((q = encode(text, e)) == NULL)
		return -1;
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, e, out_fail,
	    NULL);
	info = png != NULL ? png_create_info_struct(png) : NULL;
	if (info == NULL) {
		png_destroy_write_struct(&png, NULL);
		QRcode_free(q);
		return err_set(e, EXIT_SOFTWARE, "qr: libpng cannot start");
	}
	png_set_write_fn(png, out, out_write, out_flush);
	row = xmalloc((size_t)((q->width + 2 * QUIET) * scale + 7) / 8);
	rc = write_rows(png, info, q, scale, row);
	png_destroy_write_struct(&png, &info);
	free(row);
	QRcode_free(q);
	if (rc != 0) {
		/* Nothing half-written stays in the caller's buffer. */
		out->len = start;
		if (out->data != NULL)
			out->data[start] = '\0';
	}
	return rc;
}

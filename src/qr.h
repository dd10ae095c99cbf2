/*
 * QR codes (R-SRV-4) for the link to a survey: libqrencode makes the
 * matrix; qr.c draws it as SVG (for pages and posters, scaled by the
 * viewer) or as PNG through libpng (for print shops and messengers).
 * Error correction level M; the quiet zone is the standard four modules.
 */
#ifndef OTKLIK_QR_H
#define OTKLIK_QR_H

#include <stddef.h>

struct buf;
struct err;

#define QR_TEXT_MAX   1000	/* bytes of the encoded text */
#define QR_SCALE_MAX  40	/* PNG pixels per module */

/* An SVG document whose viewBox counts modules; title is its <title>
 * (for screen readers), NULL for none. */
int qr_svg(const char *text, const char *title, struct buf *out,
    struct err *);
/* A PNG, black on white, scale pixels per module (1…QR_SCALE_MAX). */
int qr_png(const char *text, int scale, struct buf *out, struct err *);

#endif

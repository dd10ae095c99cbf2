/*
 * Charts of report tables as inline SVG (svg.h).  The geometry is worked
 * out here in whole user units of a viewBox, so the markup carries no
 * locale-dependent decimal points and the chart scales with its
 * container; only the program's own numbers and colours go into the
 * marks' markup, and every text (labels, titles, values) goes through
 * the HTML writer's escaping.
 *
 * Colours: marks and lines are dark enough for 3:1 against white, text
 * is #111 or, inside a heat map cell, black or white, whichever has the
 * higher contrast with the cell (at least 4.5:1 for any fill).  Values
 * are printed beside bars and in cells, series differ by marker and dash
 * as well as colour, and a missing figure is a gap with a "—".
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "html.h"
#include "report.h"
#include "svg.h"

#define W	   560	/* width of bar and line charts */
#define FONT	   14	/* label size, user units */
#define SMALL	   12	/* ticks, legend, cell values */
#define LABEL_MIN  120	/* the row labels' column, as wide as they need */
#define LABEL_MAX  336	/* … up to this: 40 characters */
#define CHAR_W	   8	/* a character of FONT, on the wide side */
#define BARS_W	   280	/* the longest bar */
#define ROW_H	   26
#define BAR_H	   18
#define VALUE_W	   90	/* room after a bar for its value */
#define LEGEND_H   20	/* one legend line */
#define HEAT_COLS  12	/* columns a heat map draws */
#define HEAT_CW	   84
#define HEAT_HH	   44	/* the heat map's column titles */
#define TEXT_MAX   512	/* bytes of one label after clipping */
#define DESC_NAMES 10	/* rows named in a list of gaps */

#define INK	   "#111111"
#define MUTED	   "#444444"
#define AXIS	   "#767676"
#define GRID	   "#d0d0d0"

/* Dark enough for 3:1 against white; told apart by markers too. */
static const char *const palette[SVG_SERIES_MAX] = {
	"#0b4f8a", "#a04a00", "#1d5e20", "#6a1b9a",
	"#8a0b4f", "#00695c", "#5d4037", "#37474f",
};
static const char *const dashes[SVG_SERIES_MAX] = {
	"", "6 3", "2 3", "8 3 2 3", "", "6 3", "2 3", "8 3 2 3",
};

/* The sequential scale of the heat map: light to dark blue. */
static const int heat_lo[3] = { 0xee, 0xf4, 0xfb };
static const int heat_hi[3] = { 0x08, 0x30, 0x6b };

static void
rawf(struct html *h, const char *fmt, ...) PRINTFLIKE(2, 3);

/* Markup built from the program's own numbers and literals only. */
static void
rawf(struct html *h, const char *fmt, ...)
{
	char	buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	html_raw(h, buf);
}

static int
shown(const struct rcell *c)
{
	return c->supp == RS_SHOWN && isfinite(c->value);
}

static const char *
row_label(const struct rrow *r, int ru)
{
	return ru ? r->label_ru : r->label_en;
}

static const char *
col_title(const struct rcol *c, int ru)
{
	return ru ? c->ru : c->en;
}

static void
value_text(const struct rtable *t, int col, const struct rcell *c, int ru,
    char *out, size_t size)
{
	if (!shown(c)) {
		snprintf(out, size, "—");
		return;
	}
	report_cell_text(c, t->cols[col].kind, ru, out, size);
}

/*
 * Copies at most max characters of s, ending in "…" when cut; returns 1
 * if it was cut.  Characters are counted as UTF-8 lead bytes.
 */
static int
clip(const char *s, size_t max, char *out, size_t size)
{
	size_t i, n = 0;

	for (i = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && n++ == max)
			break;
		if (i + 4 >= size)
			break;
		out[i] = s[i];
	}
	out[i] = '\0';
	if (s[i] == '\0')
		return 0;
	/* Back off to the last character boundary, then add the ellipsis. */
	while (i > 0 && ((unsigned char)out[i] & 0xc0) == 0x80)
		out[--i] = '\0';
	snprintf(out + i, size - i, "…");
	return 1;
}

/* A text element: position and style from the program, text escaped. */
static void
text_at(struct html *h, int x, int y, const char *anchor, const char *fill,
    int size, const char *text, const char *full)
{
	rawf(h, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" fill=\"%s\" "
	    "font-size=\"%d\">", x, y, anchor, fill, size);
	if (full != NULL) {
		html_raw(h, "<title>");
		html_text(h, full);
		html_raw(h, "</title>");
	}
	html_text(h, text);
	html_raw(h, "</text>");
}

/* A row label, clipped to the column, with its whole text as the
 * tooltip when cut. */
static void
label_at(struct html *h, int lw, int y, const char *label)
{
	char c[TEXT_MAX];
	int  cut = clip(label, (size_t)((lw - 16) / CHAR_W), c, sizeof(c));
	int  x = lw - 8;

	text_at(h, x, y, "end", INK, FONT, c, cut ? label : NULL);
}

/* The rows a chart draws: not totals, at most SVG_ROWS_MAX. */
static size_t
chart_rows(const struct rtable *t, size_t *idx, size_t *all)
{
	size_t i, n = 0;

	*all = 0;
	for (i = 0; i < t->nrows; i++) {
		if (t->rows[i].total)
			continue;
		if (n < SVG_ROWS_MAX)
			idx[n++] = i;
		(*all)++;
	}
	return n;
}

/* The width of the labels' column: the longest label drawn, bounded. */
static int
label_w(const struct rtable *t, const size_t *idx, size_t n, int ru)
{
	const char *p;
	size_t	    i, c, max = 0;
	int	    w;

	for (i = 0; i < n; i++) {
		for (c = 0, p = row_label(&t->rows[idx[i]], ru); *p != '\0';
		    p++)
			c += ((unsigned char)*p & 0xc0) != 0x80;
		if (c > max)
			max = c;
	}
	w = max > LABEL_MAX / CHAR_W ? LABEL_MAX : (int)max * CHAR_W + 16;
	return w < LABEL_MIN ? LABEL_MIN : w;
}

/*
 * The columns drawn as series: the chart's column first, then the
 * others of the same kind (they share a scale), at most SVG_SERIES_MAX.
 */
static size_t
chart_series(const struct rtable *t, int *cols)
{
	size_t i, n = 0;
	int    c = t->chart_col;

	if (c < 0 || (size_t)c >= t->ncols)
		return 0;
	cols[n++] = c;
	if (t->chart == RC_BARS)
		return n;
	for (i = 0; i < t->ncols && n < SVG_SERIES_MAX; i++)
		if ((int)i != c && t->cols[i].kind == t->cols[c].kind)
			cols[n++] = (int)i;
	return n;
}

/* The range of the shown values of some columns over some rows, with
 * zero in it; never empty. */
static void
value_range(const struct rtable *t, const size_t *idx, size_t n,
    const int *cols, size_t ncols, double *lo, double *hi)
{
	const struct rcell *c;
	size_t		    i, j;

	*lo = 0;
	*hi = 0;
	for (i = 0; i < n; i++)
		for (j = 0; j < ncols; j++) {
			c = &t->rows[idx[i]].cells[cols[j]];
			if (!shown(c))
				continue;
			if (c->value < *lo)
				*lo = c->value;
			if (c->value > *hi)
				*hi = c->value;
		}
	if (*hi - *lo < 1e-9)
		*hi = *lo + 1;
}

static int
scale(double v, double lo, double hi, int from, int len)
{
	return from + (int)lround((v - lo) / (hi - lo) * len);
}

static void
svg_open(struct html *h, const struct rtable *t, int ru, const char *id,
    int w, int ht)
{
	char vb[64], tid[REPORT_KEY_MAX + 80], did[REPORT_KEY_MAX + 80];
	char both[2 * sizeof(tid) + 2];
	struct buf desc;

	snprintf(vb, sizeof(vb), "0 0 %d %d", w, ht);
	snprintf(tid, sizeof(tid), "%s-title", id);
	snprintf(did, sizeof(did), "%s-desc", id);
	snprintf(both, sizeof(both), "%s %s", tid, did);
	/* "viewbox": the HTML parser gives it its SVG spelling, viewBox. */
	html_open(h, "svg", "class", "chart", "role", "img", "aria-labelledby",
	    both, "viewbox", vb, NULL);
	html_elem(h, "title", ru ? t->title_ru : t->title_en, "id", tid, NULL);
	buf_init(&desc, 64 << 10);
	svg_desc(t, ru, &desc);
	html_elem(h, "desc", buf_str(&desc), "id", did, NULL);
	buf_free(&desc);
}

/* Legend lines at the top: a sample of each series and its title. */
static void
legend(struct html *h, const struct rtable *t, int ru, const int *cols,
    size_t n, int line)
{
	char   c[TEXT_MAX];
	size_t i;
	int    y;

	for (i = 0; i < n; i++) {
		y = 6 + (int)i * LEGEND_H;
		if (line) {
			rawf(h, "<line x1=\"8\" y1=\"%d\" x2=\"36\" y2=\"%d\" "
			    "stroke=\"%s\" stroke-width=\"2.5\"%s%s%s></line>",
			    y + 8, y + 8, palette[i], *dashes[i] != '\0' ?
			    " stroke-dasharray=\"" : "", dashes[i],
			    *dashes[i] != '\0' ? "\"" : "");
		} else
			rawf(h, "<rect x=\"8\" y=\"%d\" width=\"28\" "
			    "height=\"14\" fill=\"%s\"></rect>", y + 1,
			    palette[i]);
		clip(col_title(&t->cols[cols[i]], ru), 60, c, sizeof(c));
		text_at(h, 44, y + 13, "start", INK, SMALL, c, NULL);
	}
}

static void
chart_bars(struct html *h, const struct rtable *t, int ru, const char *id)
{
	size_t		    idx[SVG_ROWS_MAX] = { 0 }, n, all, i;
	const struct rcell *c;
	char		    v[64];
	double		    lo, hi;
	int		    col = t->chart_col, x0, x1, y, ht, lw;

	n = chart_rows(t, idx, &all);
	lw = label_w(t, idx, n, ru);
	value_range(t, idx, n, &col, 1, &lo, &hi);
	ht = 16 + (int)n * ROW_H;
	svg_open(h, t, ru, id, lw + BARS_W + VALUE_W, ht);
	x0 = scale(0, lo, hi, lw, BARS_W);
	rawf(h, "<line x1=\"%d\" y1=\"4\" x2=\"%d\" y2=\"%d\" stroke=\"%s\">"
	    "</line>", x0, x0, ht - 4, AXIS);
	for (i = 0; i < n; i++) {
		c = &t->rows[idx[i]].cells[col];
		y = 8 + (int)i * ROW_H;
		label_at(h, lw, y + 14, row_label(&t->rows[idx[i]],
		    ru));
		value_text(t, col, c, ru, v, sizeof(v));
		if (!shown(c)) {
			text_at(h, x0 + 6, y + 14, "start", MUTED, FONT, v,
			    NULL);
			continue;
		}
		x1 = scale(c->value, lo, hi, lw, BARS_W);
		rawf(h, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" "
		    "height=\"%d\" fill=\"%s\"></rect>", x1 < x0 ? x1 : x0, y,
		    abs(x1 - x0), BAR_H, palette[0]);
		text_at(h, (x1 > x0 ? x1 : x0) + 6, y + 14, "start", INK, FONT,
		    v, NULL);
	}
	html_close(h);
}

/* A "nice" step for about five ticks over the range: 1, 2 or 5 × 10^k. */
static double
tick_step(double range)
{
	double raw = range / 5, p = pow(10, floor(log10(raw))), f = raw / p;

	if (f <= 1)
		return p;
	if (f <= 2)
		return 2 * p;
	if (f <= 5)
		return 5 * p;
	return 10 * p;
}

/* A tick's number without the locale: whole, or with one decimal. */
static void
tick_text(double v, double step, int ru, char *out, size_t size)
{
	long t;

	if (step >= 1) {
		snprintf(out, size, "%ld", lround(v));
		return;
	}
	t = lround(v * 10);
	snprintf(out, size, "%s%ld%c%ld", t < 0 ? "-" : "", labs(t) / 10,
	    ru ? ',' : '.', labs(t) % 10);
}

/* A point's marker: circle, square, diamond, triangle, by series. */
static void
marker(struct html *h, size_t s, int x, int y)
{
	const char *fill = palette[s];

	switch (s % 4) {
	case 0:
		rawf(h, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\">"
		    "</circle>", x, y, fill);
		break;
	case 1:
		rawf(h, "<rect x=\"%d\" y=\"%d\" width=\"8\" height=\"8\" "
		    "fill=\"%s\"></rect>", x - 4, y - 4, fill);
		break;
	case 2:
		rawf(h, "<path d=\"M%d %dL%d %dL%d %dL%d %dZ\" fill=\"%s\">"
		    "</path>", x, y - 5, x + 5, y, x, y + 5, x - 5, y, fill);
		break;
	default:
		rawf(h, "<path d=\"M%d %dL%d %dL%d %dZ\" fill=\"%s\"></path>",
		    x, y - 5, x + 5, y + 4, x - 5, y + 4, fill);
		break;
	}
}

/* One series as a path broken at the gaps, with a marker per point. */
static void
series_line(struct html *h, const struct rtable *t, const size_t *idx,
    const int *xs, size_t n, int col, size_t s, double lo, double hi,
    int top, int ph)
{
	const struct rcell *c;
	struct buf	    d;
	size_t		    i;
	int		    pen = 0, y;

	buf_init(&d, 64 << 10);
	for (i = 0; i < n; i++) {
		c = &t->rows[idx[i]].cells[col];
		if (!shown(c)) {
			pen = 0;
			continue;
		}
		y = top + ph - scale(c->value, lo, hi, 0, ph);
		buf_printf(&d, "%s%d %d", pen ? "L" : "M", xs[i], y);
		pen = 1;
	}
	if (d.len > 0)
		rawf(h, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" "
		    "stroke-width=\"2.5\"%s%s%s></path>", buf_str(&d),
		    palette[s], *dashes[s] != '\0' ? " stroke-dasharray=\"" :
		    "", dashes[s], *dashes[s] != '\0' ? "\"" : "");
	buf_free(&d);
	for (i = 0; i < n; i++) {
		c = &t->rows[idx[i]].cells[col];
		if (shown(c))
			marker(h, s, xs[i], top + ph -
			    scale(c->value, lo, hi, 0, ph));
	}
}

static void
chart_lines(struct html *h, const struct rtable *t, int ru, const char *id)
{
	size_t		    idx[SVG_ROWS_MAX] = { 0 }, n, all, i, ns;
	int		    cols[SVG_SERIES_MAX], xs[SVG_ROWS_MAX];
	const struct rcell *c;
	char		    v[64], lab[TEXT_MAX];
	double		    lo, hi, step, tk;
	int		    ml = 64, mr = 56, ph = 220, pw = W - ml - mr, top,
			    ht, y, rot, every;

	n = chart_rows(t, idx, &all);
	ns = chart_series(t, cols);
	value_range(t, idx, n, cols, ns, &lo, &hi);
	step = tick_step(hi - lo);
	lo = floor(lo / step) * step;
	hi = ceil(hi / step) * step;
	top = (ns > 1 ? (int)ns * LEGEND_H + 8 : 0) + 14;
	rot = n > 6;
	ht = top + ph + (rot ? 70 : 30);
	svg_open(h, t, ru, id, W, ht);
	if (ns > 1)
		legend(h, t, ru, cols, ns, 1);
	for (tk = lo; tk <= hi + step / 2; tk += step) {
		y = top + ph - scale(tk, lo, hi, 0, ph);
		rawf(h, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
		    "stroke=\"%s\"></line>", ml, y, ml + pw, y,
		    fabs(tk) < step / 2 ? AXIS : GRID);
		tick_text(tk, step, ru, v, sizeof(v));
		text_at(h, ml - 6, y + 4, "end", INK, SMALL, v, NULL);
	}
	rawf(h, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\">"
	    "</line>", ml, top, ml, top + ph, AXIS);
	every = n > 12 ? (int)((n + 11) / 12) : 1;
	for (i = 0; i < n; i++) {
		xs[i] = ml + (n == 1 ? pw / 2 : (int)lround((double)i * pw /
		    (double)(n - 1)));
		rawf(h, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
		    "stroke=\"%s\"></line>", xs[i], top + ph, xs[i],
		    top + ph + 5, AXIS);
		if (i % (size_t)every != 0 && i != n - 1)
			continue;
		clip(row_label(&t->rows[idx[i]], ru), 12, lab, sizeof(lab));
		if (rot) {
			rawf(h, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
			    "fill=\"%s\" font-size=\"%d\" transform=\"rotate("
			    "-40 %d %d)\">", xs[i], top + ph + 18, INK, SMALL,
			    xs[i], top + ph + 18);
			html_text(h, lab);
			html_raw(h, "</text>");
		} else
			text_at(h, xs[i], top + ph + 20, "middle", INK, SMALL,
			    lab, NULL);
	}
	for (i = 0; i < ns; i++)
		series_line(h, t, idx, xs, n, cols[i], i, lo, hi, top, ph);
	/* One line with few points: its values printed above them. */
	for (i = 0; ns == 1 && n <= 24 && i < n; i++) {
		c = &t->rows[idx[i]].cells[cols[0]];
		if (!shown(c))
			continue;
		value_text(t, cols[0], c, ru, v, sizeof(v));
		text_at(h, xs[i], top + ph - scale(c->value, lo, hi, 0, ph) -
		    9, "middle", INK, SMALL, v, NULL);
	}
	html_close(h);
}

/* WCAG relative luminance of an sRGB colour. */
static double
luminance(const int rgb[3])
{
	double l[3], c;
	int    i;

	for (i = 0; i < 3; i++) {
		c = rgb[i] / 255.0;
		l[i] = c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
	}
	return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
}

/* The fill for a position 0..1 on the scale, and the text on it. */
static void
heat_colour(double f, char fill[8], const char **ink)
{
	int rgb[3], i;

	if (!(f >= 0))
		f = 0;
	if (f > 1)
		f = 1;
	for (i = 0; i < 3; i++)
		rgb[i] = (int)lround(heat_lo[i] + (heat_hi[i] - heat_lo[i]) * f);
	snprintf(fill, 8, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
	/* Black against L: (L + .05) / .05; white: 1.05 / (L + .05). */
	*ink = (luminance(rgb) + 0.05) / 0.05 >= 1.05 / (luminance(rgb) +
	    0.05) ? "#000000" : "#ffffff";
}

/* A column title in at most two lines of a cell's width. */
static void
heat_title(struct html *h, int x, const char *title)
{
	char	    one[TEXT_MAX], two[TEXT_MAX];
	const char *sp = NULL, *p;
	size_t	    chars = 0;

	/* Break at the last space within the first line's characters. */
	for (p = title; *p != '\0'; p++) {
		if (((unsigned char)*p & 0xc0) != 0x80 && chars++ > 11)
			break;
		if (*p == ' ')
			sp = p;
	}
	if (*p == '\0' || sp == NULL) {
		clip(title, 11, one, sizeof(one));
		text_at(h, x, HEAT_HH - 8, "middle", INK, SMALL, one,
		    *p != '\0' ? title : NULL);
		return;
	}
	snprintf(one, sizeof(one), "%.*s", (int)(sp - title), title);
	clip(sp + 1, 11, two, sizeof(two));
	text_at(h, x, HEAT_HH - 24, "middle", INK, SMALL, one, NULL);
	text_at(h, x, HEAT_HH - 8, "middle", INK, SMALL, two,
	    strlen(sp + 1) > strlen(two) ? title : NULL);
}

static void
chart_heat(struct html *h, const struct rtable *t, int ru, const char *id)
{
	size_t		    idx[SVG_ROWS_MAX] = { 0 }, n, all, i, j, nc;
	const struct rcell *c;
	const char	   *ink;
	char		    v[64], fill[8];
	double		    lo, hi;
	int		    x, y, col, cw, lw;

	n = chart_rows(t, idx, &all);
	nc = t->ncols < HEAT_COLS ? t->ncols : HEAT_COLS;
	lw = label_w(t, idx, n, ru);
	/* As wide as the other charts at least, so its text is as large. */
	cw = (W - lw - 8) / (int)nc;
	if (cw < HEAT_CW)
		cw = HEAT_CW;
	svg_open(h, t, ru, id, lw + (int)nc * cw + 8, HEAT_HH +
	    (int)n * ROW_H + 8);
	for (j = 0; j < nc; j++)
		heat_title(h, lw + (int)j * cw + cw / 2,
		    col_title(&t->cols[j], ru));
	for (i = 0; i < n; i++)
		label_at(h, lw, HEAT_HH + (int)i * ROW_H + 17,
		    row_label(&t->rows[idx[i]], ru));
	for (j = 0; j < nc; j++) {
		col = (int)j;
		/* Each column on its own scale: they measure different
		 * things. */
		value_range(t, idx, n, &col, 1, &lo, &hi);
		for (i = 0; i < n; i++) {
			c = &t->rows[idx[i]].cells[j];
			x = lw + (int)j * cw;
			y = HEAT_HH + (int)i * ROW_H;
			value_text(t, col, c, ru, v, sizeof(v));
			if (!shown(c)) {
				rawf(h, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
				    "height=\"%d\" fill=\"#ffffff\" stroke=\""
				    AXIS "\" stroke-dasharray=\"3 2\"></rect>",
				    x + 1, y + 1, cw - 2, ROW_H - 2);
				text_at(h, x + cw / 2, y + 17, "middle",
				    MUTED, SMALL, v, NULL);
				continue;
			}
			heat_colour((c->value - lo) / (hi - lo), fill, &ink);
			rawf(h, "<rect class=\"cell\" x=\"%d\" y=\"%d\" "
			    "width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\""
			    AXIS "\" stroke-width=\"0.5\"></rect>", x + 1,
			    y + 1, cw - 2, ROW_H - 2, fill);
			text_at(h, x + cw / 2, y + 17, "middle", ink,
			    SMALL, v, NULL);
		}
	}
	html_close(h);
}

static void
chart_profile(struct html *h, const struct rtable *t, int ru,
    const char *id)
{
	size_t		    idx[SVG_ROWS_MAX] = { 0 }, n, all, i, s, ns;
	int		    cols[SVG_SERIES_MAX];
	const struct rcell *c;
	char		    v[64];
	double		    lo, hi;
	int		    bh = 14, gh, top, x0, x1, y, lw;

	n = chart_rows(t, idx, &all);
	ns = chart_series(t, cols);
	lw = label_w(t, idx, n, ru);
	value_range(t, idx, n, cols, ns, &lo, &hi);
	gh = (int)ns * (bh + 2) + 12;
	top = (ns > 1 ? (int)ns * LEGEND_H + 8 : 0) + 4;
	svg_open(h, t, ru, id, lw + BARS_W + VALUE_W, top + (int)n * gh + 8);
	if (ns > 1)
		legend(h, t, ru, cols, ns, 0);
	x0 = scale(0, lo, hi, lw, BARS_W);
	rawf(h, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\">"
	    "</line>", x0, top, x0, top + (int)n * gh, AXIS);
	for (i = 0; i < n; i++) {
		y = top + (int)i * gh + 6;
		label_at(h, lw, y + (int)ns * (bh + 2) / 2 + 4,
		    row_label(&t->rows[idx[i]], ru));
		for (s = 0; s < ns; s++, y += bh + 2) {
			c = &t->rows[idx[i]].cells[cols[s]];
			value_text(t, cols[s], c, ru, v, sizeof(v));
			if (!shown(c)) {
				text_at(h, x0 + 6, y + 11, "start", MUTED,
				    SMALL, v, NULL);
				continue;
			}
			x1 = scale(c->value, lo, hi, lw, BARS_W);
			rawf(h, "<rect class=\"bar\" x=\"%d\" y=\"%d\" "
			    "width=\"%d\" height=\"%d\" fill=\"%s\"></rect>",
			    x1 < x0 ? x1 : x0, y, abs(x1 - x0), bh,
			    palette[s]);
			text_at(h, (x1 > x0 ? x1 : x0) + 6, y + 11, "start",
			    INK, SMALL, v, NULL);
		}
	}
	html_close(h);
}

void
svg_chart(const struct rtable *t, int ru, const char *id, struct html *h)
{
	if (t->chart != RC_HEAT && (t->chart_col < 0 ||
	    (size_t)t->chart_col >= t->ncols))
		return;
	switch (t->chart) {
	case RC_BARS:
		chart_bars(h, t, ru, id);
		break;
	case RC_LINES:
		chart_lines(h, t, ru, id);
		break;
	case RC_HEAT:
		if (t->ncols > 0)
			chart_heat(h, t, ru, id);
		break;
	case RC_PROFILE:
		chart_profile(h, t, ru, id);
		break;
	case RC_NONE:
		break;
	}
}

/* The text alternative. */

/* "Наибольшая доля", "Most"…: how the largest and smallest are said. */
static void
leads(enum rkind k, int ru, const char **most, const char **least)
{
	switch (k) {
	case RK_SHARE:
		*most = ru ? "Наибольшая доля" : "Largest share";
		*least = ru ? "наименьшая" : "smallest";
		break;
	case RK_INDEX:
		*most = ru ? "Наибольший индекс" : "Highest index";
		*least = ru ? "наименьший" : "lowest";
		break;
	case RK_COUNT:
		*most = ru ? "Больше всего" : "Most";
		*least = ru ? "меньше всего" : "fewest";
		break;
	default:
		*most = ru ? "Наибольшее значение" : "Highest value";
		*least = ru ? "наименьшее" : "lowest";
		break;
	}
}

/* The rows (not totals) holding the largest and smallest shown value
 * of a column; -1 when none is shown. */
static void
extremes(const struct rtable *t, int col, long *imax, long *imin)
{
	const struct rcell *c;
	size_t		    i;

	*imax = *imin = -1;
	for (i = 0; i < t->nrows; i++) {
		if (t->rows[i].total)
			continue;
		c = &t->rows[i].cells[col];
		if (!shown(c))
			continue;
		if (*imax < 0 || c->value > t->rows[*imax].cells[col].value)
			*imax = (long)i;
		if (*imin < 0 || c->value < t->rows[*imin].cells[col].value)
			*imin = (long)i;
	}
}

static void
desc_figure(struct buf *b, const struct rtable *t, int col, long row,
    int ru)
{
	char v[64];

	value_text(t, col, &t->rows[row].cells[col], ru, v, sizeof(v));
	buf_printf(b, "%s, %s", row_label(&t->rows[row], ru), v);
}

/* "Наибольшая доля: A, 42,5 %; наименьшая: B, 3,1 %." */
static void
desc_extremes(struct buf *b, const struct rtable *t, int col, int ru,
    int named)
{
	const char *most, *least;
	long	    imax, imin;

	extremes(t, col, &imax, &imin);
	leads(t->cols[col].kind, ru, &most, &least);
	if (named)
		buf_printf(b, "«%s»: ", col_title(&t->cols[col], ru));
	if (imax < 0) {
		buf_puts(b, ru ? "нет показанных значений. " :
		    "no figures shown. ");
		return;
	}
	buf_printf(b, "%s: ", named ? (ru ? "наибольшее" : "highest") : most);
	desc_figure(b, t, col, imax, ru);
	if (imin != imax) {
		buf_printf(b, "; %s: ", named ? (ru ? "наименьшее" : "lowest")
		    : least);
		desc_figure(b, t, col, imin, ru);
	}
	buf_puts(b, ". ");
}

/* "первый период — 2025Q1, 70,0; последний — 2026Q2, 75,5": a trend
 * from its first shown point to its last. */
static void
desc_trend(struct buf *b, const struct rtable *t, int col, int ru)
{
	long first = -1, last = -1;
	size_t i;
	char v1[64], v2[64];

	for (i = 0; i < t->nrows; i++) {
		if (t->rows[i].total || !shown(&t->rows[i].cells[col]))
			continue;
		if (first < 0)
			first = (long)i;
		last = (long)i;
	}
	if (first < 0 || first == last)
		return;
	value_text(t, col, &t->rows[first].cells[col], ru, v1, sizeof(v1));
	value_text(t, col, &t->rows[last].cells[col], ru, v2, sizeof(v2));
	buf_printf(b, ru ? "«%s»: первый период — %s, %s; последний — %s, "
	    "%s. " : "«%s»: first period %s, %s; last %s, %s. ",
	    col_title(&t->cols[col], ru), row_label(&t->rows[first], ru), v1,
	    row_label(&t->rows[last], ru), v2);
}

/* The rows with a gap in any of the columns drawn. */
static void
desc_gaps(struct buf *b, const struct rtable *t, const int *cols,
    size_t ncols, int ru)
{
	size_t i, j, named = 0, more = 0;

	for (i = 0; i < t->nrows; i++) {
		if (t->rows[i].total)
			continue;
		for (j = 0; j < ncols; j++)
			if (!shown(&t->rows[i].cells[cols[j]]))
				break;
		if (j == ncols)
			continue;
		if (named == DESC_NAMES) {
			more++;
			continue;
		}
		buf_puts(b, named++ == 0 ? (ru ? "Нет значения (нет данных "
		    "или скрыто для защиты ответивших): " : "No figure (no "
		    "data, or withheld to protect respondents): ") : ", ");
		buf_puts(b, row_label(&t->rows[i], ru));
	}
	if (more > 0)
		buf_printf(b, ru ? " и ещё %zu" : " and %zu more", more);
	if (named > 0)
		buf_puts(b, ". ");
}

void
svg_desc(const struct rtable *t, int ru, struct buf *b)
{
	int    cols[HEAT_COLS > SVG_SERIES_MAX ? HEAT_COLS : SVG_SERIES_MAX];
	size_t i, n = 0, all = 0;

	for (i = 0; i < t->nrows; i++)
		all += !t->rows[i].total;
	switch (t->chart) {
	case RC_BARS:
	case RC_PROFILE:
		n = chart_series(t, cols);
		for (i = 0; i < n; i++)
			desc_extremes(b, t, cols[i], ru, n > 1);
		break;
	case RC_LINES:
		n = chart_series(t, cols);
		for (i = 0; i < n; i++)
			desc_trend(b, t, cols[i], ru);
		for (i = 0; i < n; i++)
			desc_extremes(b, t, cols[i], ru, 1);
		break;
	case RC_HEAT:
		n = t->ncols < HEAT_COLS ? t->ncols : HEAT_COLS;
		for (i = 0; i < n; i++)
			cols[i] = (int)i;
		buf_printf(b, ru ? "Строк: %zu, столбцов: %zu; цвет темнее, "
		    "чем больше значение в столбце. " : "%zu rows, %zu "
		    "columns; the darker, the larger the value in its "
		    "column. ", all, t->ncols);
		for (i = 0; i < n; i++)
			desc_extremes(b, t, cols[i], ru, 1);
		break;
	case RC_NONE:
		return;
	}
	desc_gaps(b, t, cols, n, ru);
	if (t->chart == RC_HEAT && t->ncols > HEAT_COLS)
		buf_printf(b, ru ? "На диаграмме первые %d столбцов из %zu. " :
		    "The chart shows the first %d of %zu columns. ", HEAT_COLS,
		    t->ncols);
	if (all > SVG_ROWS_MAX)
		buf_printf(b, ru ? "На диаграмме первые %d строк из %zu; все "
		    "они в таблице. " : "The chart shows the first %d of %zu "
		    "rows; the table has them all. ", SVG_ROWS_MAX, all);
	/* Drop the trailing space. */
	if (b->len > 0 && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
}

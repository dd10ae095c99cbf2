/*
 * Charts of report tables (report.h) as inline SVG for the HTML outputs
 * (report_html.c): horizontal bars, trend lines, a heat map and grouped
 * bars, by the table's chart.  Every chart is an image with a title and
 * a text alternative that says what the data shows; values are printed
 * beside the marks, so colour never carries information alone, and the
 * data table sits beside the chart in the page.
 */
#ifndef OTKLIK_SVG_H
#define OTKLIK_SVG_H

struct buf;
struct html;
struct rtable;

#define SVG_ROWS_MAX	40	/* rows drawn; the rest are said in the text */
#define SVG_SERIES_MAX	8	/* lines or bars per group */

/*
 * Writes the chart of the table into a page: <svg role="img"
 * aria-labelledby="ID-title ID-desc"> with a viewBox (it scales to its
 * container) and fonts inherited from the page.  id must be unique in the
 * page and made of [a-z0-9_-].  Nothing is written for RC_NONE.
 */
void svg_chart(const struct rtable *, int ru, const char *id,
    struct html *);
/*
 * The text alternative of the chart: the largest and smallest figures,
 * the start and end of a trend, the rows with no figure (no data or
 * suppressed) and the rows left out.  Plain text, not escaped.
 */
void svg_desc(const struct rtable *, int ru, struct buf *);

#endif

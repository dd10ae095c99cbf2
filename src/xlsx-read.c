/*
 * Reading the first worksheet of an XLSX workbook (a ZIP of XML parts,
 * ECMA-376) into a struct table.  The file comes from outside: every part
 * is checked against the ZIP-bomb limits before a byte of it is unpacked
 * and is read with a hard cap in case its header lies, and the XML is
 * streamed through libxml2's xmlTextReader with no network access, no
 * DTD and no entity substitution, so memory stays bounded by the limits
 * of table.h whatever the file holds.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#include "otklik.h"
#include "table.h"

/* No network, no DTD loading, no entities replaced; errors come to us. */
#define XML_OPTIONS	(XML_PARSE_NONET | XML_PARSE_NOERROR | \
			 XML_PARSE_NOWARNING)
#define SHEET_MAX_ROW	1048576		/* Excel's own limits */
#define SHEET_MAX_COL	16384
#define MAX_CELLS	((size_t)TABLE_MAX_ROWS * TABLE_MAX_COLS)
#define MAX_MERGES	((size_t)TABLE_MAX_ROWS)
#define MAX_SHEETS	4096
#define MAX_PATH	512

/* A cell with text, as found in the sheet. */
struct xcell {
	uint32_t row;	/* 1-based, as in the sheet */
	uint32_t col;	/* 0-based */
	uint32_t seq;	/* order in the file: of two, the last wins */
	uint32_t ref;	/* shared string index, or offset in xlsx.text */
	int	 shared;
};

struct merge {
	uint32_t r1, c1, r2, c2;
	size_t	 top;	/* index of the first cell in xlsx.cells */
};

struct sheetref {
	char *name;
	char *rid;
	char *path;	/* of its part, once the relationships are read */
	int   hidden;
};

/* One ZIP entry being read, through the cap. */
struct part {
	zip_file_t  *zf;
	char	     name[MAX_PATH];
	zip_uint64_t size;	/* as the ZIP directory says */
	zip_uint64_t done;
	int	     lied;	/* it unpacks to more than that */
	int	     shorter;	/* it unpacks to less */
	int	     zerr;	/* libzip failed (CRC, inflate) */
	char	     zmsg[128];
};

struct xlsx {
	zip_t	       *za;
	struct err     *e;
	size_t		budget;		/* what parts may still unpack to */
	char		sheet[96];	/* its name, for messages */

	/* The first error of the XML parser on the current part. */
	int		xmlfailed;
	int		xmlline;
	char		xmlmsg[200];

	struct buf	sst;		/* shared strings, each NUL-ended */
	uint32_t       *sst_off;
	size_t		nsst, sst_cap;

	struct buf	text;		/* texts of the sheet's own cells */
	struct xcell   *cells;
	size_t		ncells, cells_cap;
	struct merge   *merges;
	size_t		nmerges, merges_cap;
};

enum ctype { CT_NUMBER, CT_SHARED, CT_INLINE, CT_STRING, CT_OTHER };

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void
xml_init(void)
{
	xmlInitParser();
}

/*
 * Copies text from the file into a message: control characters become
 * spaces, and a cut never splits a UTF-8 sequence.
 */
static void
clean(char *dst, size_t size, const char *src)
{
	size_t n, i;

	n = strlen(src);
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)src[i];

		dst[i] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	while (n > 0 && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}

/* A value from the file quoted in a message: short and harmless. */
static const char *
echo(const char *v, char *out, size_t size)
{
	clean(out, size, v);
	return out;
}

/* "sheet "Лист1"", or "the worksheet": how a message names it. */
static const char *
sheet_name(const struct xlsx *x)
{
	return x->sheet[0] != '\0' ? x->sheet : "the worksheet";
}

/* Room for one more of n elements: capacities double from 64. */
static void *
grow(void *v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap < 64 ? 64 : *cap * 2;
	return xreallocarray(v, *cap, size);
}

static int
has_entry(struct xlsx *x, const char *name)
{
	return zip_name_locate(x->za, name, ZIP_FL_NOCASE) >= 0;
}

/*
 * Opens a part for reading after the ZIP-bomb checks.  Returns 0, 1 when
 * an optional part is absent, or -1 with the error set.
 */
static int
part_open(struct xlsx *x, const char *name, int optional, struct part *p)
{
	zip_stat_t   st;
	zip_int64_t  idx;
	zip_uint64_t want = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE |
	    ZIP_STAT_COMP_METHOD | ZIP_STAT_ENCRYPTION_METHOD;

	memset(p, 0, sizeof(*p));
	clean(p->name, sizeof(p->name), name);
	if ((idx = zip_name_locate(x->za, name, ZIP_FL_NOCASE)) < 0) {
		if (optional)
			return 1;
		return err_set(x->e, EXIT_DATAERR, "the workbook has no part "
		    "%s; the file is damaged: open it in Excel and save it "
		    "again", p->name);
	}
	zip_stat_init(&st);
	if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) != 0 ||
	    (st.valid & want) != want)
		return err_set(x->e, EXIT_DATAERR, "%s: cannot read its ZIP "
		    "entry: %s", p->name, zip_strerror(x->za));
	if (st.encryption_method != ZIP_EM_NONE)
		return err_set(x->e, EXIT_DATAERR, "the workbook is encrypted "
		    "(%s); save it again without a password", p->name);
	if (!zip_compression_method_supported(st.comp_method, 0))
		return err_set(x->e, EXIT_DATAERR, "%s is packed with a "
		    "method this reader does not know (ZIP method %d); save "
		    "the workbook again from Excel", p->name,
		    (int)st.comp_method);
	if (st.size > XLSX_RATIO_FROM &&
	    st.comp_size <= UINT64_MAX / XLSX_MAX_RATIO &&
	    st.size > st.comp_size * XLSX_MAX_RATIO)
		return err_set(x->e, EXIT_DATAERR, "%s unpacks from %llu to "
		    "%llu bytes, more than %d times its size; this is a ZIP "
		    "bomb, not a workbook", p->name,
		    (unsigned long long)st.comp_size,
		    (unsigned long long)st.size, XLSX_MAX_RATIO);
	if (st.size > x->budget)
		return err_set(x->e, EXIT_DATAERR, "the workbook unpacks to "
		    "more than %zu MiB, the limit (%s is %llu bytes); split "
		    "the table into smaller files", XLSX_MAX_UNZIPPED >> 20,
		    p->name, (unsigned long long)st.size);
	x->budget -= (size_t)st.size;
	p->size = st.size;
	if ((p->zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0)) == NULL)
		return err_set(x->e, EXIT_DATAERR, "%s: cannot unpack it: %s",
		    p->name, zip_strerror(x->za));
	return 0;
}

static void
part_close(struct part *p)
{
	if (p->zf != NULL)
		zip_fclose(p->zf);
	p->zf = NULL;
}

/*
 * The XML reader's input: the part unpacked, never more than its header
 * says.  One byte more is asked for at the end to catch a lying header
 * (and to let libzip check the CRC).
 */
static int
part_read(void *arg, char *out, int len)
{
	struct part *p = arg;
	zip_uint64_t want;
	zip_int64_t  n;
	char	     extra;

	if (len <= 0 || p->lied || p->shorter || p->zerr)
		return -1;
	if (p->done >= p->size) {
		n = zip_fread(p->zf, &extra, 1);
		if (n > 0)
			p->lied = 1;
		if (n != 0)
			goto fail;
		return 0;
	}
	want = p->size - p->done;
	if (want > (zip_uint64_t)len)
		want = (zip_uint64_t)len;
	n = zip_fread(p->zf, out, want);
	if (n == 0)
		p->shorter = 1;
	if (n <= 0)
		goto fail;
	p->done += (zip_uint64_t)n;
	return (int)n;
fail:
	if (n < 0) {
		p->zerr = 1;
		clean(p->zmsg, sizeof(p->zmsg), zip_file_strerror(p->zf));
	}
	return -1;
}

static void
xml_error(void *arg, xmlErrorPtr err)
{
	struct xlsx *x = arg;

	if (x->xmlfailed || err == NULL || err->level < XML_ERR_ERROR)
		return;
	x->xmlfailed = 1;
	x->xmlline = err->line;
	clean(x->xmlmsg, sizeof(x->xmlmsg),
	    err->message != NULL ? err->message : "malformed XML");
}

/* Sets the error for a part that could not be read to its end. */
static int
part_error(struct xlsx *x, const struct part *p)
{
	if (p->lied)
		return err_set(x->e, EXIT_DATAERR, "%s unpacks to more than "
		    "the %llu bytes its ZIP header says; the file is damaged "
		    "or a ZIP bomb", p->name, (unsigned long long)p->size);
	if (p->shorter)
		return err_set(x->e, EXIT_DATAERR, "%s unpacks to less than "
		    "its ZIP header says; the file is damaged", p->name);
	if (p->zerr)
		return err_set(x->e, EXIT_DATAERR, "%s cannot be unpacked "
		    "(%s); the file is damaged", p->name, p->zmsg);
	if (x->xmlfailed)
		return err_set(x->e, EXIT_DATAERR, "%s, line %d: the XML is "
		    "malformed (%s); the file is damaged or was not written "
		    "by a spreadsheet program", p->name, x->xmlline,
		    x->xmlmsg);
	return err_set(x->e, EXIT_DATAERR, "%s: the XML cannot be read",
	    p->name);
}

static xmlTextReaderPtr
xml_open(struct xlsx *x, struct part *p)
{
	xmlTextReaderPtr r;

	x->xmlfailed = 0;
	x->xmlmsg[0] = '\0';
	r = xmlReaderForIO(part_read, NULL, p, p->name, NULL, XML_OPTIONS);
	if (r == NULL) {
		part_error(x, p);
		return NULL;
	}
	xmlTextReaderSetStructuredErrorHandler(r, xml_error, x);
	return r;
}

/* The next node: 1, 0 at the end, or -1 with the error set. */
static int
xml_next(struct xlsx *x, struct part *p, xmlTextReaderPtr r)
{
	int rc;

	rc = xmlTextReaderRead(r);
	if (rc == 1 && !x->xmlfailed) {
		/* Workbooks have no DTD; refusing one refuses entities. */
		if (xmlTextReaderNodeType(r) == XML_READER_TYPE_DOCUMENT_TYPE)
			return err_set(x->e, EXIT_DATAERR, "%s has a document "
			    "type declaration (<!DOCTYPE>), which no workbook "
			    "has; the file is not a genuine workbook",
			    p->name);
		return 1;
	}
	if (rc == 0 && !x->xmlfailed && !p->lied && !p->shorter && !p->zerr)
		return 0;
	return part_error(x, p);
}

static int
is_start(xmlTextReaderPtr r, const char *name)
{
	const xmlChar *n;

	if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
		return 0;
	n = xmlTextReaderConstLocalName(r);
	return n != NULL && strcmp((const char *)n, name) == 0;
}

static int
is_end(xmlTextReaderPtr r, const char *name)
{
	const xmlChar *n;

	if (xmlTextReaderNodeType(r) != XML_READER_TYPE_END_ELEMENT)
		return 0;
	n = xmlTextReaderConstLocalName(r);
	return n != NULL && strcmp((const char *)n, name) == 0;
}

static int
is_text(xmlTextReaderPtr r)
{
	switch (xmlTextReaderNodeType(r)) {
	case XML_READER_TYPE_TEXT:
	case XML_READER_TYPE_CDATA:
	case XML_READER_TYPE_WHITESPACE:
	case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
		return 1;
	default:
		return 0;
	}
}

/* An attribute without a namespace, as a string to free(), or NULL. */
static char *
attr(xmlTextReaderPtr r, const char *name)
{
	xmlChar *v;
	char	*s;

	if ((v = xmlTextReaderGetAttribute(r, (const xmlChar *)name)) == NULL)
		return NULL;
	s = xstrdup((const char *)v);
	xmlFree(v);
	return s;
}

/* The r:id of a <sheet>: the "id" attribute that has a namespace. */
static char *
attr_rid(xmlTextReaderPtr r)
{
	const xmlChar *n;
	char	      *s = NULL;
	int	       more;

	for (more = xmlTextReaderMoveToFirstAttribute(r); more == 1;
	    more = xmlTextReaderMoveToNextAttribute(r)) {
		n = xmlTextReaderConstLocalName(r);
		if (n == NULL || strcmp((const char *)n, "id") != 0 ||
		    xmlTextReaderConstNamespaceUri(r) == NULL)
			continue;
		s = xstrdup((const char *)xmlTextReaderConstValue(r));
		break;
	}
	xmlTextReaderMoveToElement(r);
	return s;
}

/* An unsigned decimal number, spaces around allowed; 0 or -1. */
static int
parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	int	      digits = 0;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (v > (max - (unsigned long)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	if (digits == 0 || *s != '\0')
		return -1;
	*out = v;
	return 0;
}

/* A cell reference such as "AB12" or "$B$3"; 0 or -1. */
static int
parse_ref(const char *s, uint32_t *row, uint32_t *col)
{
	uint32_t c = 0, r = 0;
	int	 letters = 0, digits = 0;

	if (*s == '$')
		s++;
	for (; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'); s++) {
		if (++letters > 3)
			return -1;
		c = c * 26 + (uint32_t)((*s & ~0x20) - 'A' + 1);
	}
	if (*s == '$')
		s++;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (++digits > 7)
			return -1;
		r = r * 10 + (uint32_t)(*s - '0');
	}
	if (*s != '\0' || letters == 0 || digits == 0 || r == 0 ||
	    r > SHEET_MAX_ROW || c > SHEET_MAX_COL)
		return -1;
	*row = r;
	*col = c - 1;
	return 0;
}

/* "B3:C5", or one cell; the corners in order. */
static int
parse_range(const char *s, struct merge *m)
{
	char	    a[32];
	const char *colon;
	size_t	    n;
	uint32_t    t;

	if ((colon = strchr(s, ':')) == NULL)
		return -1;	/* one cell: nothing to fill */
	if ((n = (size_t)(colon - s)) >= sizeof(a))
		return -1;
	memcpy(a, s, n);
	a[n] = '\0';
	if (parse_ref(a, &m->r1, &m->c1) != 0 ||
	    parse_ref(colon + 1, &m->r2, &m->c2) != 0)
		return -1;
	if (m->r1 > m->r2) {
		t = m->r1;
		m->r1 = m->r2;
		m->r2 = t;
	}
	if (m->c1 > m->c2) {
		t = m->c1;
		m->c1 = m->c2;
		m->c2 = t;
	}
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decodes OOXML's "_xHHHH_" escapes (ECMA-376 ST_Xstring: characters XML
 * cannot carry, and "_x005F_" for an underscore) in place; returns the
 * new length.  UTF-8 of a BMP character is at most 3 bytes, shorter than
 * the 7 of the escape.
 */
static size_t
unescape_x(char *s, size_t len)
{
	size_t	 i = 0, o = 0;
	unsigned cp;
	int	 k, h;

	while (i < len) {
		if (s[i] == '_' && len - i >= 7 && s[i + 1] == 'x' &&
		    s[i + 6] == '_') {
			for (cp = 0, k = 2; k < 6; k++) {
				if ((h = hexval((unsigned char)s[i + k])) < 0)
					break;
				cp = cp * 16 + (unsigned)h;
			}
			if (k == 6 && cp != 0 && (cp < 0xd800 || cp > 0xdfff)) {
				if (cp < 0x80)
					s[o++] = (char)cp;
				else if (cp < 0x800) {
					s[o++] = (char)(0xc0 | (cp >> 6));
					s[o++] = (char)(0x80 | (cp & 0x3f));
				} else {
					s[o++] = (char)(0xe0 | (cp >> 12));
					s[o++] = (char)(0x80 |
					    ((cp >> 6) & 0x3f));
					s[o++] = (char)(0x80 | (cp & 0x3f));
				}
				i += 7;
				continue;
			}
		}
		s[o++] = s[i++];
	}
	return o;
}

/* Joins a relationship's target to xl/ and resolves "." and "..". */
static int
resolve(const char *target, char *out, size_t size)
{
	char	    tmp[MAX_PATH];
	const char *seg, *end;
	size_t	    n, o = 0, len;
	int	    w;

	if (target[0] == '/')
		w = snprintf(tmp, sizeof(tmp), "%s", target + 1);
	else
		w = snprintf(tmp, sizeof(tmp), "xl/%s", target);
	if (w < 0 || (size_t)w >= sizeof(tmp))
		return -1;
	out[0] = '\0';
	for (seg = tmp; *seg != '\0'; seg = *end != '\0' ? end + 1 : end) {
		if ((end = strchr(seg, '/')) == NULL)
			end = seg + strlen(seg);
		len = (size_t)(end - seg);
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			if (o == 0)
				return -1;
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;	/* the '/' before the segment */
			out[o] = '\0';
			continue;
		}
		n = o > 0 ? 1 : 0;
		if (o + n + len + 1 > size)
			return -1;
		if (n)
			out[o++] = '/';
		memcpy(out + o, seg, len);
		o += len;
		out[o] = '\0';
	}
	return o > 0 ? 0 : -1;
}

static int
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && strcmp(s + n - m, tail) == 0;
}

static void
sheets_free(struct sheetref *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].rid);
		free(v[i].path);
	}
	free(v);
}

/* The <sheet> elements of xl/workbook.xml, in tab order. */
static int
read_workbook(struct xlsx *x, struct sheetref **out, size_t *nout)
{
	struct part	 p;
	xmlTextReaderPtr r;
	struct sheetref *v = NULL;
	size_t		 n = 0, cap = 0;
	char		*state;
	int		 rc;

	*out = NULL;
	*nout = 0;
	if (part_open(x, "xl/workbook.xml", 0, &p) != 0)
		return -1;
	if ((r = xml_open(x, &p)) == NULL) {
		part_close(&p);
		return -1;
	}
	while ((rc = xml_next(x, &p, r)) == 1) {
		if (!is_start(r, "sheet") || n == MAX_SHEETS)
			continue;
		v = grow(v, n, &cap, sizeof(*v));
		v[n].name = attr(r, "name");
		v[n].rid = attr_rid(r);
		v[n].path = NULL;
		state = attr(r, "state");
		v[n].hidden = state != NULL && strcmp(state, "visible") != 0;
		free(state);
		n++;
	}
	xmlFreeTextReader(r);
	part_close(&p);
	if (rc != 0) {
		sheets_free(v, n);
		return -1;
	}
	*out = v;
	*nout = n;
	return 0;
}

/*
 * xl/_rels/workbook.xml.rels: the part of each sheet that is a worksheet
 * (a chart sheet has no cells), and the shared strings' part.
 */
static int
read_rels(struct xlsx *x, struct sheetref *v, size_t n, char *sst,
    size_t sstsize)
{
	struct part	 p;
	xmlTextReaderPtr r;
	char		*id, *type, *target, *mode, path[MAX_PATH];
	size_t		 i;
	int		 rc;

	if ((rc = part_open(x, "xl/_rels/workbook.xml.rels", 1, &p)) != 0)
		return rc == 1 ? 0 : -1;
	if ((r = xml_open(x, &p)) == NULL) {
		part_close(&p);
		return -1;
	}
	while ((rc = xml_next(x, &p, r)) == 1) {
		if (!is_start(r, "Relationship"))
			continue;
		id = attr(r, "Id");
		type = attr(r, "Type");
		target = attr(r, "Target");
		mode = attr(r, "TargetMode");
		if (id != NULL && type != NULL && target != NULL &&
		    (mode == NULL || strcmp(mode, "External") != 0) &&
		    resolve(target, path, sizeof(path)) == 0) {
			if (ends_with(type, "/sharedStrings"))
				snprintf(sst, sstsize, "%s", path);
			else if (ends_with(type, "/worksheet"))
				for (i = 0; i < n; i++)
					if (v[i].rid != NULL &&
					    v[i].path == NULL &&
					    strcmp(v[i].rid, id) == 0)
						v[i].path = xstrdup(path);
		}
		free(id);
		free(type);
		free(target);
		free(mode);
	}
	xmlFreeTextReader(r);
	part_close(&p);
	return rc == 0 ? 0 : -1;
}

/* Ends the shared string begun at start: escapes decoded, NUL added. */
static int
sst_finish(struct xlsx *x, size_t start)
{
	size_t n;

	/* An empty first string leaves the buffer unallocated: no pointer
	 * to offset. */
	if (x->sst.len > start) {
		n = unescape_x(x->sst.data + start, x->sst.len - start);
		x->sst.len = start + n;
	}
	if (buf_putc(&x->sst, '\0') == -1)
		return err_set(x->e, EXIT_DATAERR, "the shared strings unpack "
		    "to more than %zu MiB, the limit",
		    XLSX_MAX_UNZIPPED >> 20);
	if (x->nsst == MAX_CELLS)
		return err_set(x->e, EXIT_DATAERR, "the workbook has more "
		    "than %zu shared strings, the limit", MAX_CELLS);
	x->sst_off = grow(x->sst_off, x->nsst, &x->sst_cap,
	    sizeof(x->sst_off[0]));
	x->sst_off[x->nsst++] = (uint32_t)start;
	return 0;
}

/* A node inside an <si>: text of its <t>, but not of <rPh> runs. */
static int
si_node(struct xlsx *x, xmlTextReaderPtr r, int *in_t, int *rph)
{
	const char *s;

	if (is_start(r, "rPh") && !xmlTextReaderIsEmptyElement(r))
		(*rph)++;
	else if (is_end(r, "rPh") && *rph > 0)
		(*rph)--;
	else if (is_start(r, "t"))
		*in_t = *rph == 0 && !xmlTextReaderIsEmptyElement(r);
	else if (is_end(r, "t"))
		*in_t = 0;
	else if (is_text(r) && *in_t) {
		s = (const char *)xmlTextReaderConstValue(r);
		if (s != NULL && buf_puts(&x->sst, s) == -1)
			return err_set(x->e, EXIT_DATAERR, "the shared strings "
			    "unpack to more than %zu MiB, the limit",
			    XLSX_MAX_UNZIPPED >> 20);
	}
	return 0;
}

/*
 * xl/sharedStrings.xml: each <si> holds a plain <t> or rich-text runs
 * <r><t>; <rPh> runs are phonetic hints, not text.
 */
static int
read_shared(struct xlsx *x, const char *path)
{
	struct part	 p;
	xmlTextReaderPtr r;
	size_t		 start = 0;
	int		 rc, in_si = 0, in_t = 0, rph = 0;

	if ((rc = part_open(x, path, 1, &p)) != 0)
		return rc == 1 ? 0 : -1;
	if ((r = xml_open(x, &p)) == NULL) {
		part_close(&p);
		return -1;
	}
	while ((rc = xml_next(x, &p, r)) == 1) {
		if (!in_si) {
			if (!is_start(r, "si"))
				continue;
			start = x->sst.len;
			in_si = 1;
			in_t = rph = 0;
			if (!xmlTextReaderIsEmptyElement(r))
				continue;
		} else if (!is_end(r, "si")) {
			if ((rc = si_node(x, r, &in_t, &rph)) != 0)
				break;
			continue;
		}
		in_si = 0;
		if ((rc = sst_finish(x, start)) != 0)
			break;
	}
	xmlFreeTextReader(r);
	part_close(&p);
	return rc == 0 ? 0 : -1;
}

/* The state of the sheet's reader inside <sheetData>. */
struct sheet_state {
	unsigned long row;	/* the current <row>, 0 before the first */
	uint32_t      next_col; /* for a <c> without r */
	int	      in_c, in_v, in_is, in_t, rph;
	uint32_t      crow, ccol;
	enum ctype    type;
	struct buf    val;
};

static const char *
cell_name(uint32_t row, uint32_t col, char *out, size_t size)
{
	char name[8];

	table_colname(col, name);
	snprintf(out, size, "%s%lu", name, (unsigned long)row);
	return out;
}

static int
add_cell(struct xlsx *x, struct sheet_state *st, uint32_t ref, int shared)
{
	struct xcell *c;
	char	      where[24], name[8];

	if (st->ccol >= TABLE_MAX_COLS) {
		table_colname(TABLE_MAX_COLS - 1, name);
		return err_set(x->e, EXIT_DATAERR, "%s, cell %s (row %lu, "
		    "column %lu): the table has more than %d columns, the "
		    "limit (the last is %s)", sheet_name(x),
		    cell_name(st->crow, st->ccol, where, sizeof(where)),
		    (unsigned long)st->crow, (unsigned long)st->ccol + 1,
		    TABLE_MAX_COLS, name);
	}
	if (x->ncells == MAX_CELLS)
		return err_set(x->e, EXIT_DATAERR, "%s: more than %zu cells "
		    "with text, the limit", sheet_name(x), MAX_CELLS);
	x->cells = grow(x->cells, x->ncells, &x->cells_cap,
	    sizeof(x->cells[0]));
	c = &x->cells[x->ncells];
	c->row = st->crow;
	c->col = st->ccol;
	c->seq = (uint32_t)x->ncells;
	c->ref = ref;
	c->shared = shared;
	x->ncells++;
	return 0;
}

/* The end of a <c>: its text, kept if it has any. */
static int
finish_cell(struct xlsx *x, struct sheet_state *st)
{
	unsigned long idx;
	size_t	      off, n;
	char	      where[24], bad[24];

	st->in_c = st->in_v = st->in_is = st->in_t = st->rph = 0;
	if (st->val.len == 0)
		return 0;
	if (st->type == CT_SHARED) {
		if (parse_uint(st->val.data, UINT32_MAX, &idx) != 0 ||
		    idx >= x->nsst)
			return err_set(x->e, EXIT_DATAERR, "%s, cell %s: it "
			    "refers to shared string \"%s\", but the "
			    "workbook has %zu; the file is damaged",
			    sheet_name(x), cell_name(st->crow, st->ccol, where,
			    sizeof(where)), echo(st->val.data, bad,
			    sizeof(bad)), x->nsst);
		if (x->sst.data[x->sst_off[idx]] == '\0')
			return 0;
		return add_cell(x, st, (uint32_t)idx, 1);
	}
	n = st->val.len;
	if (st->type == CT_INLINE || st->type == CT_STRING)
		n = unescape_x(st->val.data, n);
	off = x->text.len;
	if (buf_add(&x->text, st->val.data, n) == -1 ||
	    buf_putc(&x->text, '\0') == -1)
		return err_set(x->e, EXIT_DATAERR, "%s: the cells hold more "
		    "than %zu MiB of text, the limit", sheet_name(x),
		    XLSX_MAX_UNZIPPED >> 20);
	return add_cell(x, st, (uint32_t)off, 0);
}

static int
start_row(struct xlsx *x, struct sheet_state *st, xmlTextReaderPtr r)
{
	char	     *v, bad[24];
	unsigned long n;

	if ((v = attr(r, "r")) != NULL) {
		if (parse_uint(v, SHEET_MAX_ROW, &n) != 0 || n == 0) {
			err_set(x->e, EXIT_DATAERR, "%s: a row is numbered "
			    "\"%s\", which is not a row number; the file is "
			    "damaged", sheet_name(x), echo(v, bad,
			    sizeof(bad)));
			free(v);
			return -1;
		}
		free(v);
		st->row = n;
	} else if (st->row < SHEET_MAX_ROW)
		st->row++;
	else
		return err_set(x->e, EXIT_DATAERR, "%s: more than %d rows; "
		    "the file is damaged", sheet_name(x), SHEET_MAX_ROW);
	st->next_col = 0;
	return 0;
}

static int
start_cell(struct xlsx *x, struct sheet_state *st, xmlTextReaderPtr r)
{
	char *v, bad[24];

	if ((v = attr(r, "r")) != NULL) {
		if (parse_ref(v, &st->crow, &st->ccol) != 0) {
			err_set(x->e, EXIT_DATAERR, "%s, row %lu: a cell is "
			    "named \"%s\", which is not a cell reference; "
			    "the file is damaged", sheet_name(x), st->row,
			    echo(v, bad, sizeof(bad)));
			free(v);
			return -1;
		}
		free(v);
	} else {
		if (st->next_col >= SHEET_MAX_COL)
			return err_set(x->e, EXIT_DATAERR, "%s, row %lu: more "
			    "than %d cells; the file is damaged",
			    sheet_name(x), st->row, SHEET_MAX_COL);
		st->crow = st->row > 0 ? (uint32_t)st->row : 1;
		st->ccol = st->next_col;
	}
	st->next_col = st->ccol + 1;
	st->type = CT_NUMBER;
	if ((v = attr(r, "t")) != NULL) {
		if (strcmp(v, "s") == 0)
			st->type = CT_SHARED;
		else if (strcmp(v, "inlineStr") == 0)
			st->type = CT_INLINE;
		else if (strcmp(v, "str") == 0)
			st->type = CT_STRING;
		else if (strcmp(v, "n") != 0)
			st->type = CT_OTHER;	/* b, e, d: as stored */
		free(v);
	}
	buf_reset(&st->val);
	st->in_c = 1;
	st->in_v = st->in_is = st->in_t = st->rph = 0;
	if (xmlTextReaderIsEmptyElement(r))
		return finish_cell(x, st);
	return 0;
}

static int
add_merge(struct xlsx *x, xmlTextReaderPtr r)
{
	struct merge m;
	char	    *v;

	if ((v = attr(r, "ref")) == NULL)
		return 0;
	memset(&m, 0, sizeof(m));
	if (parse_range(v, &m) != 0) {
		free(v);
		return 0;	/* one cell, or nonsense: nothing to fill */
	}
	free(v);
	if (x->nmerges == MAX_MERGES)
		return err_set(x->e, EXIT_DATAERR, "%s: more than %zu merged "
		    "ranges, the limit", sheet_name(x), MAX_MERGES);
	x->merges = grow(x->merges, x->nmerges, &x->merges_cap,
	    sizeof(x->merges[0]));
	x->merges[x->nmerges++] = m;
	return 0;
}

/* One node of the worksheet. */
static int
sheet_node(struct xlsx *x, struct sheet_state *st, xmlTextReaderPtr r)
{
	const char *s;
	char	    where[24];
	int	    text;

	if (is_start(r, "row"))
		return start_row(x, st, r);
	if (is_start(r, "c"))
		return start_cell(x, st, r);
	if (is_start(r, "mergeCell"))
		return add_merge(x, r);
	if (!st->in_c)
		return 0;
	if (is_end(r, "c"))
		return finish_cell(x, st);
	if (is_start(r, "v") || is_end(r, "v")) {
		st->in_v = is_start(r, "v") && !xmlTextReaderIsEmptyElement(r);
		return 0;
	}
	if (is_start(r, "is") || is_end(r, "is")) {
		st->in_is = is_start(r, "is") &&
		    !xmlTextReaderIsEmptyElement(r);
		return 0;
	}
	if (is_start(r, "rPh") && !xmlTextReaderIsEmptyElement(r))
		st->rph++;
	else if (is_end(r, "rPh") && st->rph > 0)
		st->rph--;
	else if (is_start(r, "t"))
		st->in_t = !xmlTextReaderIsEmptyElement(r);
	else if (is_end(r, "t"))
		st->in_t = 0;
	else if (is_text(r)) {
		if (st->type == CT_INLINE)
			text = st->in_is && st->in_t && st->rph == 0;
		else
			text = st->in_v;
		s = (const char *)xmlTextReaderConstValue(r);
		if (text && s != NULL && buf_puts(&st->val, s) == -1)
			return err_set(x->e, EXIT_DATAERR, "%s, cell %s: the "
			    "cell holds more than %d bytes, the limit",
			    sheet_name(x), cell_name(st->crow, st->ccol,
			    where, sizeof(where)), TABLE_MAX_CELL);
	}
	return 0;
}

static int
read_sheet(struct xlsx *x, const char *path)
{
	struct part	   p;
	struct sheet_state st;
	xmlTextReaderPtr   r;
	int		   rc;

	if (part_open(x, path, 0, &p) != 0)
		return -1;
	if ((r = xml_open(x, &p)) == NULL) {
		part_close(&p);
		return -1;
	}
	memset(&st, 0, sizeof(st));
	buf_init(&st.val, TABLE_MAX_CELL);
	while ((rc = xml_next(x, &p, r)) == 1)
		if ((rc = sheet_node(x, &st, r)) != 0)
			break;
	buf_free(&st.val);
	xmlFreeTextReader(r);
	part_close(&p);
	return rc == 0 ? 0 : -1;
}

static const char *
cell_text(const struct xlsx *x, const struct xcell *c)
{
	if (c->shared)
		return x->sst.data + x->sst_off[c->ref];
	return x->text.data + c->ref;
}

static int
cmp_cell(const void *a, const void *b)
{
	const struct xcell *p = a, *q = b;

	if (p->row != q->row)
		return p->row < q->row ? -1 : 1;
	if (p->col != q->col)
		return p->col < q->col ? -1 : 1;
	if (p->seq != q->seq)
		return p->seq < q->seq ? -1 : 1;
	return 0;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t p = *(const uint32_t *)a, q = *(const uint32_t *)b;

	return p < q ? -1 : p > q;
}

/* The cell at (row, col) among the sorted cells, or -1. */
static long
find_cell(const struct xlsx *x, uint32_t row, uint32_t col)
{
	size_t lo = 0, hi = x->ncells, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (x->cells[mid].row < row ||
		    (x->cells[mid].row == row && x->cells[mid].col < col))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < x->ncells && x->cells[lo].row == row &&
	    x->cells[lo].col == col)
		return (long)lo;
	return -1;
}

static size_t
find_row(const uint32_t *rows, size_t n, uint32_t row)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (rows[mid] < row)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Sorts and keeps one of each; returns the new count. */
static size_t
sort_unique(uint32_t *v, size_t n)
{
	size_t i, o = 0;

	qsort(v, n, sizeof(v[0]), cmp_u32);
	for (i = 0; i < n; i++)
		if (o == 0 || v[o - 1] != v[i])
			v[o++] = v[i];
	return o;
}

/* A row as it is put together: pointers into the texts read. */
struct wide {
	const char *cell[TABLE_MAX_COLS];
	char	    merged[TABLE_MAX_COLS];
	size_t	    ncells;
};

/*
 * From the cells and merged ranges read to the table: the cells sorted
 * (of two in one place, the later wins), merged ranges copied from their
 * first cell, one table row per sheet row that has text.
 */
static int
build(struct xlsx *x, struct table *t)
{
	struct wide  *w = NULL;
	struct merge *m;
	uint32_t     *rows = NULL, r, c;
	size_t	      i, o, nrows = 0, cap, fill = 0, ri;
	const char   *s;
	long	      top;
	int	      rc = -1;

	if (x->ncells > 0)
		qsort(x->cells, x->ncells, sizeof(x->cells[0]), cmp_cell);
	for (i = o = 0; i < x->ncells; i++) {
		if (o > 0 && x->cells[o - 1].row == x->cells[i].row &&
		    x->cells[o - 1].col == x->cells[i].col)
			o--;
		x->cells[o++] = x->cells[i];
	}
	x->ncells = o;

	/* Merged ranges worth filling: inside the columns, with text. */
	for (i = o = 0; i < x->nmerges; i++) {
		m = &x->merges[i];
		if (m->c1 >= TABLE_MAX_COLS)
			continue;
		if (m->c2 >= TABLE_MAX_COLS)
			m->c2 = TABLE_MAX_COLS - 1;
		if ((top = find_cell(x, m->r1, m->c1)) < 0)
			continue;
		m->top = (size_t)top;
		fill += (size_t)(m->r2 - m->r1 + 1) * (m->c2 - m->c1 + 1);
		if (fill > MAX_CELLS) {
			err_set(x->e, EXIT_DATAERR, "%s: the merged ranges "
			    "cover more than %zu cells, the limit",
			    sheet_name(x), MAX_CELLS);
			goto out;
		}
		x->merges[o++] = *m;
	}
	x->nmerges = o;

	/* The rows: those of the cells and those the ranges span. */
	cap = 1024;
	rows = xreallocarray(NULL, cap, sizeof(rows[0]));
	for (i = 0; i < x->ncells; i++) {
		if (nrows > 0 && rows[nrows - 1] == x->cells[i].row)
			continue;
		if (nrows == cap) {
			cap *= 2;
			rows = xreallocarray(rows, cap, sizeof(rows[0]));
		}
		rows[nrows++] = x->cells[i].row;
	}
	for (i = 0; i < x->nmerges; i++) {
		for (r = x->merges[i].r1; r <= x->merges[i].r2; r++) {
			if (nrows == cap) {
				/* Ranges overlap rows often: compact. */
				nrows = sort_unique(rows, nrows);
				if (nrows > TABLE_MAX_ROWS)
					goto too_many;
				if (nrows > cap / 2) {
					cap *= 2;
					rows = xreallocarray(rows, cap,
					    sizeof(rows[0]));
				}
			}
			rows[nrows++] = r;
		}
	}
	nrows = sort_unique(rows, nrows);
	if (nrows > TABLE_MAX_ROWS)
		goto too_many;

	w = xcalloc(nrows, sizeof(*w));
	for (i = 0; i < x->ncells; i++) {
		ri = find_row(rows, nrows, x->cells[i].row);
		c = x->cells[i].col;
		w[ri].cell[c] = cell_text(x, &x->cells[i]);
		if (w[ri].ncells < c + 1)
			w[ri].ncells = c + 1;
	}
	for (i = 0; i < x->nmerges; i++) {
		m = &x->merges[i];
		s = cell_text(x, &x->cells[m->top]);
		for (r = m->r1; r <= m->r2; r++) {
			ri = find_row(rows, nrows, r);
			for (c = m->c1; c <= m->c2; c++) {
				if (r == m->r1 && c == m->c1)
					continue;
				w[ri].cell[c] = s;
				w[ri].merged[c] = 1;
				if (w[ri].ncells < c + 1)
					w[ri].ncells = c + 1;
			}
		}
	}
	for (ri = 0; ri < nrows; ri++) {
		for (c = 0; c < w[ri].ncells; c++)
			if (w[ri].cell[c] == NULL)
				w[ri].cell[c] = "";
		if (table_add_row(t, (long)rows[ri], w[ri].cell, w[ri].merged,
		    w[ri].ncells, x->e) != 0)
			goto out;
	}
	table_drop_empty_tail(t);
	rc = 0;
	goto out;
too_many:
	/* Sorted: the first row past the limit is at the limit's index. */
	err_set(x->e, EXIT_DATAERR, "%s, row %lu: the table has more than %d "
	    "rows, the limit; split it into smaller files", sheet_name(x),
	    (unsigned long)rows[TABLE_MAX_ROWS], TABLE_MAX_ROWS);
out:
	free(w);
	free(rows);
	return rc;
}

/* An OLE compound file: what it probably is, said plainly. */
static int
not_zip_office(const char *data, size_t len, struct err *e)
{
	static const char enc[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0"
	    "a\0g\0e\0";

	if (memmem(data, len, enc, sizeof(enc) - 1) != NULL)
		return err_set(e, EXIT_DATAERR, "the workbook is protected "
		    "by a password (encrypted); open it in Excel, remove the "
		    "password and save it again");
	return err_set(e, EXIT_DATAERR, "this is an old-format Office file "
	    "(.xls or .doc), not an XLSX workbook; open it in Excel and "
	    "save it as .xlsx");
}

/* A ZIP without xl/workbook.xml: say what it is if we can tell. */
static int
not_workbook(struct xlsx *x)
{
	if (has_entry(x, "word/document.xml"))
		return err_set(x->e, EXIT_DATAERR, "this is a Word document "
		    "(.docx), not an Excel workbook; put the table into "
		    "Excel and save it as .xlsx");
	if (has_entry(x, "ppt/presentation.xml"))
		return err_set(x->e, EXIT_DATAERR, "this is a PowerPoint "
		    "presentation (.pptx), not an Excel workbook");
	if (has_entry(x, "xl/workbook.bin"))
		return err_set(x->e, EXIT_DATAERR, "this is an Excel binary "
		    "workbook (.xlsb); save it in Excel as .xlsx");
	if (has_entry(x, "content.xml") && has_entry(x, "mimetype"))
		return err_set(x->e, EXIT_DATAERR, "this is an OpenDocument "
		    "file (.ods), not an XLSX workbook; save it as .xlsx "
		    "(\"Excel 2007-365\")");
	return err_set(x->e, EXIT_DATAERR, "this is a ZIP archive but not an "
	    "XLSX workbook (it has no xl/workbook.xml); save the table from "
	    "Excel as .xlsx");
}

/* Opens the ZIP; the error says what the file is if it is not one. */
static int
open_zip(struct xlsx *x, const char *data, size_t len)
{
	zip_source_t *src;
	zip_error_t   ze;
	int	      code;

	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(data, len, 0, &ze)) == NULL) {
		zip_error_fini(&ze);
		return err_set(x->e, EXIT_SOFTWARE, "cannot read the workbook "
		    "from memory");
	}
	if ((x->za = zip_open_from_source(src, ZIP_RDONLY, &ze)) != NULL) {
		zip_error_fini(&ze);
		return 0;
	}
	code = zip_error_code_zip(&ze);
	zip_source_free(src);
	if (code == ZIP_ER_NOZIP)
		err_set(x->e, EXIT_DATAERR, "this is not an XLSX workbook "
		    "(not a ZIP archive), or the file is cut short");
	else if (code == ZIP_ER_INCONS || code == ZIP_ER_CRC)
		err_set(x->e, EXIT_DATAERR, "the workbook is damaged (%s); "
		    "open it in Excel and save it again",
		    zip_error_strerror(&ze));
	else
		err_set(x->e, EXIT_DATAERR, "the workbook cannot be opened "
		    "(%s)", zip_error_strerror(&ze));
	zip_error_fini(&ze);
	return -1;
}

/*
 * The worksheet to read: the first visible one in tab order, or the
 * first, or xl/worksheets/sheet1.xml when the workbook does not say.
 */
static int
choose_sheet(struct xlsx *x, char *path, size_t size, char *sst,
    size_t sstsize)
{
	struct sheetref *v;
	size_t		 n, i, pick = SIZE_MAX;
	char		 name[64];

	if (read_workbook(x, &v, &n) != 0)
		return -1;
	if (read_rels(x, v, n, sst, sstsize) != 0) {
		sheets_free(v, n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (v[i].path == NULL)
			continue;
		if (pick == SIZE_MAX)
			pick = i;
		if (!v[i].hidden) {
			pick = i;
			break;
		}
	}
	if (pick != SIZE_MAX) {
		snprintf(path, size, "%s", v[pick].path);
		clean(name, sizeof(name), v[pick].name != NULL ?
		    v[pick].name : "");
		if (name[0] != '\0')
			snprintf(x->sheet, sizeof(x->sheet), "sheet \"%s\"",
			    name);
	} else
		snprintf(path, size, "xl/worksheets/sheet1.xml");
	sheets_free(v, n);
	if (pick == SIZE_MAX && !has_entry(x, path))
		return err_set(x->e, EXIT_DATAERR, "the workbook has no "
		    "worksheet (and no %s); the file is damaged or holds only "
		    "charts", path);
	return 0;
}

int
table_read_xlsx(const char *data, size_t len, struct table *t,
    struct err *e)
{
	static const unsigned char cfb[] = {
		0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1
	};
	struct xlsx x;
	char	    path[MAX_PATH], sst[MAX_PATH];
	int	    r = -1;

	memset(t, 0, sizeof(*t));
	if (len > TABLE_MAX_FILE)
		return err_set(e, EXIT_DATAERR, "the file is %zu bytes, more "
		    "than the limit of %zu MiB", len, TABLE_MAX_FILE >> 20);
	if (data == NULL)
		data = "";
	if (len >= sizeof(cfb) && memcmp(data, cfb, sizeof(cfb)) == 0)
		return not_zip_office(data, len, e);
	pthread_once(&xml_once, xml_init);

	memset(&x, 0, sizeof(x));
	x.e = e;
	x.budget = XLSX_MAX_UNZIPPED;
	buf_init(&x.sst, XLSX_MAX_UNZIPPED);
	buf_init(&x.text, XLSX_MAX_UNZIPPED);
	if (open_zip(&x, data, len) != 0)
		goto out;
	if (!has_entry(&x, "xl/workbook.xml")) {
		not_workbook(&x);
		goto out;
	}
	snprintf(sst, sizeof(sst), "xl/sharedStrings.xml");
	if (choose_sheet(&x, path, sizeof(path), sst, sizeof(sst)) != 0)
		goto out;
	if (read_shared(&x, sst) != 0 || read_sheet(&x, path) != 0)
		goto out;
	if (build(&x, t) != 0)
		goto out;
	r = 0;
out:
	if (x.za != NULL)
		zip_discard(x.za);
	buf_free(&x.sst);
	buf_free(&x.text);
	free(x.sst_off);
	free(x.cells);
	free(x.merges);
	if (r != 0)
		table_free(t);
	return r;
}

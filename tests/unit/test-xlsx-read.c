/*
 * Unit tests of the XLSX reader (xlsx-read.c).  Workbooks are made at
 * test time: real ones with libxlsxwriter, odd and hostile ones with
 * libzip (hand-written XML parts, ZIP bombs, lying headers).  Each case
 * is a maker beside the table it must give, written one row a line as
 * "LINE:cell|cell" with "*" before a merged copy, or beside the words its
 * error must contain.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "otklik.h"
#include "table.h"
#include "table-text.h"

static void
temp_path(char *path, size_t size)
{
	const char *dir = getenv("TMPDIR");
	int	    fd;

	snprintf(path, size, "%s/otklik-xlsx-XXXXXX",
	    dir != NULL && *dir != '\0' ? dir : "/tmp");
	if ((fd = mkstemp(path)) == -1)
		fail_msg("mkstemp %s failed", path);
	close(fd);
}

static void
slurp(const char *path, struct buf *out)
{
	struct err e;

	buf_init(out, (size_t)64 << 20);
	if (buf_read_file(out, path, &e) != 0)
		fail_msg("%s", e.msg);
	unlink(path);
}

/* libxlsxwriter: a workbook in a temporary file, read back when done. */
static char wb_path[256];

static lxw_workbook *
wb_new(int constant_memory)
{
	lxw_workbook_options o;

	memset(&o, 0, sizeof(o));
	o.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
	temp_path(wb_path, sizeof(wb_path));
	return workbook_new_opt(wb_path, &o);
}

static void
wb_done(lxw_workbook *wb, struct buf *out)
{
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	slurp(wb_path, out);
}

/* libzip: an archive of the given entries, deflated unless stored. */
struct entry {
	const char   *name;
	const char   *data;	/* NULL: from src */
	zip_source_t *(*src)(zip_t *);
	int	      store;
};

static void
zip_make(struct buf *out, const struct entry *v, size_t n)
{
	char	      path[256];
	zip_t	     *za;
	zip_source_t *s;
	zip_int64_t   idx;
	int	      ze;
	size_t	      i;

	temp_path(path, sizeof(path));
	if ((za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze)) == NULL)
		fail_msg("zip_open %s: %d", path, ze);
	for (i = 0; i < n; i++) {
		s = v[i].data != NULL ? zip_source_buffer(za, v[i].data,
		    strlen(v[i].data), 0) : v[i].src(za);
		assert_non_null(s);
		idx = zip_file_add(za, v[i].name, s, ZIP_FL_ENC_UTF_8);
		assert_true(idx >= 0);
		if (v[i].store)
			zip_set_file_compression(za, (zip_uint64_t)idx,
			    ZIP_CM_STORE, 0);
	}
	if (zip_close(za) != 0)
		fail_msg("zip_close: %s", zip_strerror(za));
	slurp(path, out);
}

#define XML_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define NS_MAIN	 "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL	 "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG	 "http://schemas.openxmlformats.org/package/2006/relationships"

static const char workbook_xml[] = XML_HEAD
    "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><sheets>"
    "<sheet name=\"Лист1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char rels_xml[] = XML_HEAD
    "<Relationships xmlns=\"" NS_PKG "\">"
    "<Relationship Id=\"rId1\" Type=\"" NS_REL "/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" NS_REL "/sharedStrings\" "
    "Target=\"sharedStrings.xml\"/></Relationships>";

#define SHEET(rows)                                                  \
	XML_HEAD "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>" rows \
		 "</sheetData></worksheet>"
#define SHEET_MERGED(rows, merges)                                   \
	XML_HEAD "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>" rows \
		 "</sheetData><mergeCells>" merges                     \
		 "</mergeCells></worksheet>"
#define SST(items) XML_HEAD "<sst xmlns=\"" NS_MAIN "\">" items "</sst>"

/* A hand-made workbook: the usual parts with this sheet and strings. */
static void
book(struct buf *out, const char *sheet, const char *sst)
{
	struct entry v[] = {
		{ "xl/workbook.xml", workbook_xml, NULL, 0 },
		{ "xl/_rels/workbook.xml.rels", rels_xml, NULL, 0 },
		{ "xl/worksheets/sheet1.xml", sheet, NULL, 0 },
		{ "xl/sharedStrings.xml", sst, NULL, 0 },
	};

	zip_make(out, v, sst != NULL ? 4 : 3);
}

/*
 * A source of size bytes: head, then fill bytes, then tail, streamed so
 * that a ZIP bomb costs no memory to make.
 */
struct stream {
	const char  *head, *tail;
	int	     fill;
	zip_uint64_t size, done;
	zip_error_t  err;
};

static zip_int64_t
stream_cb(void *arg, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct stream *s = arg;
	zip_uint64_t   i, hl, tl, at;
	char	      *p = data;

	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		s->done = 0;
		return 0;
	case ZIP_SOURCE_READ:
		hl = strlen(s->head);
		tl = strlen(s->tail);
		if (len > s->size - s->done)
			len = s->size - s->done;
		for (i = 0; i < len; i++) {
			at = s->done + i;
			if (at < hl)
				p[i] = s->head[at];
			else if (at >= s->size - tl)
				p[i] = s->tail[at - (s->size - tl)];
			else
				p[i] = (char)s->fill;
		}
		s->done += len;
		return (zip_int64_t)len;
	case ZIP_SOURCE_CLOSE:
	case ZIP_SOURCE_FREE:
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;

		zip_stat_init(st);
		st->size = s->size;
		st->valid |= ZIP_STAT_SIZE;
		return sizeof(*st);
	}
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&s->err, data, len);
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN,
		    ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
		    ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		zip_error_set(&s->err, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

static struct stream zeros_200m = { "", "", 0, (zip_uint64_t)200 << 20, 0,
	{ 0, 0, NULL } };
static struct stream spaces_30m = { XML_HEAD "<worksheet><sheetData>",
	"</sheetData></worksheet>", ' ', (zip_uint64_t)30 << 20, 0,
	{ 0, 0, NULL } };

static zip_source_t *
src_zeros(zip_t *za)
{
	return zip_source_function(za, stream_cb, &zeros_200m);
}

static zip_source_t *
src_spaces(zip_t *za)
{
	return zip_source_function(za, stream_cb, &spaces_30m);
}

/*
 * 1 MiB of letters that do not compress, so a stored part has a known
 * packed size: as the shared strings (valid XML) or as anything.
 */
static char *noise[2];

static char *
make_noise(int xml)
{
	uint32_t x = 12345;
	size_t	 i, n = (size_t)1 << 20;
	char	*p = xmalloc(n + 1);

	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (char)('a' + (x >> 16) % 26);
	}
	p[n] = '\0';
	if (xml) {
		memcpy(p, "<sst><si><t>", 12);
		memcpy(p + n - 15, "</t></si></sst>", 15);
	}
	return p;
}

static zip_source_t *
src_noise_sst(zip_t *za)
{
	noise[0] = make_noise(1);
	return zip_source_buffer(za, noise[0], strlen(noise[0]), 0);
}

static zip_source_t *
src_noise(zip_t *za)
{
	noise[1] = make_noise(0);
	return zip_source_buffer(za, noise[1], strlen(noise[1]), 0);
}

static uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* Makes the ZIP headers of an entry lie about its unpacked size. */
static void
patch_size(struct buf *z, const char *name, uint32_t size)
{
	unsigned char *p;
	size_t	       i, n = strlen(name), found = 0, at;

	for (i = 0; i + 46 + n <= z->len; i++) {
		p = (unsigned char *)z->data + i;
		if (memcmp(p, "PK\1\2", 4) == 0 && le16(p + 28) == n &&
		    memcmp(p + 46, name, n) == 0)
			at = 24;
		else if (memcmp(p, "PK\3\4", 4) == 0 && le16(p + 26) == n &&
		    memcmp(p + 30, name, n) == 0)
			at = 22;
		else
			continue;
		p[at] = (unsigned char)size;
		p[at + 1] = (unsigned char)(size >> 8);
		p[at + 2] = (unsigned char)(size >> 16);
		p[at + 3] = (unsigned char)(size >> 24);
		found++;
	}
	assert_int_equal(found, 2);
}

/* Makers: real workbooks from libxlsxwriter. */

static void
mk_basic(struct buf *out)
{
	lxw_workbook  *wb = wb_new(0);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Реестр");

	worksheet_write_string(ws, 0, 0, "N", NULL);
	worksheet_write_string(ws, 0, 1, "Направление деятельности", NULL);
	worksheet_write_number(ws, 1, 0, 1, NULL);
	worksheet_write_number(ws, 1, 1, 3.5, NULL);
	worksheet_write_string(ws, 1, 2, "N", NULL);	/* shared twice */
	worksheet_write_string(ws, 9, 5, "далеко", NULL);
	worksheet_write_string(ws, 3, 0, "строка 1\nстрока 2", NULL);
	wb_done(wb, out);
}

static void
mk_merged(struct buf *out)
{
	lxw_workbook  *wb = wb_new(0);
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);

	worksheet_write_string(ws, 0, 0, "Направление", NULL);
	worksheet_write_string(ws, 0, 1, "Процесс", NULL);
	worksheet_merge_range(ws, 1, 0, 3, 0, "Услуги", NULL);
	worksheet_write_string(ws, 1, 1, "p1", NULL);
	worksheet_write_string(ws, 2, 1, "p2", NULL);
	worksheet_write_string(ws, 3, 1, "p3", NULL);
	/* Rows 6 and 7 hold nothing but this range. */
	worksheet_merge_range(ws, 5, 2, 6, 3, "box", NULL);
	wb_done(wb, out);
}

static void
mk_inline(struct buf *out)
{
	lxw_workbook  *wb = wb_new(1);	/* constant memory: inline strings */
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);

	worksheet_write_string(ws, 0, 0, "x", NULL);
	worksheet_write_string(ws, 0, 1, "у", NULL);
	worksheet_write_number(ws, 1, 1, 42, NULL);
	wb_done(wb, out);
}

static void
mk_rich(struct buf *out)
{
	lxw_workbook	    *wb = wb_new(0);
	lxw_worksheet	    *ws = workbook_add_worksheet(wb, NULL);
	lxw_format	    *bold = workbook_add_format(wb);
	lxw_rich_string_tuple a = { bold, "жирный" };
	lxw_rich_string_tuple b = { NULL, " и простой" };
	lxw_rich_string_tuple *v[] = { &a, &b, NULL };

	format_set_bold(bold);
	worksheet_write_rich_string(ws, 0, 0, v, NULL);
	wb_done(wb, out);
}

static void
mk_kinds(struct buf *out)
{
	lxw_workbook  *wb = wb_new(0);
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);

	worksheet_write_boolean(ws, 0, 0, 1, NULL);
	worksheet_write_formula_str(ws, 0, 1, "=\"a\"&\"b\"", NULL, "ab");
	worksheet_write_formula_num(ws, 0, 2, "=1+2", NULL, 3);
	worksheet_write_string(ws, 0, 3, "a\x07" "b", NULL);
	wb_done(wb, out);
}

static void
mk_hidden_first(struct buf *out)
{
	lxw_workbook  *wb = wb_new(0);
	lxw_worksheet *a = workbook_add_worksheet(wb, "Скрытый");
	lxw_worksheet *b = workbook_add_worksheet(wb, "Данные");

	worksheet_write_string(a, 0, 0, "no", NULL);
	worksheet_write_string(b, 0, 0, "yes", NULL);
	worksheet_activate(b);
	worksheet_hide(a);
	wb_done(wb, out);
}

static void
mk_two_sheets(struct buf *out)
{
	lxw_workbook  *wb = wb_new(0);
	lxw_worksheet *a = workbook_add_worksheet(wb, NULL);
	lxw_worksheet *b = workbook_add_worksheet(wb, NULL);

	worksheet_write_string(a, 0, 0, "first", NULL);
	worksheet_write_string(b, 0, 0, "second", NULL);
	wb_done(wb, out);
}

static void
mk_empty(struct buf *out)
{
	lxw_workbook *wb = wb_new(0);

	workbook_add_worksheet(wb, NULL);
	wb_done(wb, out);
}

static void
mk_last_column(struct buf *out)
{
	lxw_workbook  *wb = wb_new(0);
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);

	worksheet_write_string(ws, 0, TABLE_MAX_COLS - 1, "BL", NULL);
	wb_done(wb, out);
}

static void
mk_too_wide(struct buf *out)
{
	lxw_workbook  *wb = wb_new(0);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Широкий");

	worksheet_write_string(ws, 2, TABLE_MAX_COLS, "BM", NULL);
	wb_done(wb, out);
}

static void
mk_truncated(struct buf *out)
{
	mk_basic(out);
	out->len /= 2;
}

/* Makers: hand-written parts. */

static void
mk_no_refs(struct buf *out)
{
	book(out, SHEET("<row><c t=\"inlineStr\"><is><t>a</t><rPh><t>k</t>"
	    "</rPh></is></c><c><v>2</v></c></row><row><c/><c t=\"b\"><v>0"
	    "</v></c></row><row r=\" 7 \"><c t=\"e\"><v>#N/A</v></c>"
	    "<c r=\"$C$7\"><v>3</v></c></row>"), NULL);
}

static void
mk_phonetic(struct buf *out)
{
	book(out, SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
	    "<c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c>"
	    "</row>"),
	    SST("<si><t>漢字</t><rPh sb=\"0\" eb=\"1\"><t>かんじ</t></rPh></si>"
	    "<si><r><rPr><b/></rPr><t>a</t></r><r><t xml:space=\"preserve\">"
	    " b</t></r></si><si><t/></si><phoneticPr fontId=\"1\"/>"));
}

static void
mk_unsorted(struct buf *out)
{
	book(out, SHEET("<row r=\"5\"><c r=\"B5\" t=\"inlineStr\"><is><t>b5"
	    "</t></is></c><c r=\"A5\"><v>1</v></c></row><row r=\"2\">"
	    "<c r=\"A2\"><v>old</v></c><c r=\"A2\"><v>new</v></c></row>"),
	    NULL);
}

static void
mk_escapes(struct buf *out)
{
	book(out, SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>"
	    "a_x000D_b_x005F_x0041_&amp;&#x42;_x00e9__x2116__x0000__xD800_"
	    "_x12G4_</t></is></c><c r=\"B1\"><v>"
	    "_x0041_</v></c></row>"), NULL);
}

static void
mk_merge_edges(struct buf *out)
{
	/* Clipped to 64 columns; an empty first cell fills nothing; a
	 * single cell and nonsense are ignored. */
	book(out, SHEET_MERGED("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is>"
	    "<t>wide</t></is></c></row><row r=\"3\"><c r=\"B3\"><v>9</v></c>"
	    "</row><row r=\"5\"><c r=\"B5\"><v>r</v></c></row>",
	    "<mergeCell ref=\"A1:CZ1\"/><mergeCell ref=\"A3:A9\"/>"
	    "<mergeCell ref=\"C6:B5\"/><mergeCell ref=\"BM2:BN3\"/>"
	    "<mergeCell ref=\"B3\"/><mergeCell ref=\"x:y\"/>"), NULL);
}

static void
mk_merge_huge(struct buf *out)
{
	book(out, SHEET_MERGED("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>",
	    "<mergeCell ref=\"A1:A200000\"/>"), NULL);
}

static void
mk_strict(struct buf *out)
{
	/* Strict OOXML: other namespaces, an absolute target. */
	static const char wb[] = XML_HEAD
	    "<workbook xmlns=\"http://purl.oclc.org/ooxml/spreadsheetml/main\" "
	    "xmlns:r=\"http://purl.oclc.org/ooxml/officeDocument/relationships"
	    "\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"x1\"/></sheets>"
	    "</workbook>";
	static const char rels[] = XML_HEAD
	    "<Relationships xmlns=\"" NS_PKG "\"><Relationship Id=\"x1\" "
	    "Type=\"http://purl.oclc.org/ooxml/officeDocument/relationships/"
	    "worksheet\" Target=\"/xl/./worksheets/../data/s.xml\"/>"
	    "</Relationships>";
	static const char sheet[] = XML_HEAD
	    "<worksheet xmlns=\"http://purl.oclc.org/ooxml/spreadsheetml/"
	    "main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>strict"
	    "</t></is></c></row></sheetData></worksheet>";
	struct entry v[] = {
		{ "xl/workbook.xml", wb, NULL, 0 },
		{ "xl/_rels/workbook.xml.rels", rels, NULL, 0 },
		{ "xl/data/s.xml", sheet, NULL, 0 },
	};

	zip_make(out, v, nitems(v));
}

static void
mk_no_rels(struct buf *out)
{
	struct entry v[] = {
		{ "xl/workbook.xml", workbook_xml, NULL, 0 },
		{ "xl/worksheets/sheet1.xml", SHEET("<row r=\"2\"><c r=\"B2\">"
		    "<v>7</v></c></row>"), NULL, 0 },
	};

	zip_make(out, v, nitems(v));
}

static void
mk_no_sheet(struct buf *out)
{
	struct entry v[] = {
		{ "xl/workbook.xml", workbook_xml, NULL, 0 },
	};

	zip_make(out, v, nitems(v));
}

static void
mk_missing_part(struct buf *out)
{
	struct entry v[] = {
		{ "xl/workbook.xml", workbook_xml, NULL, 0 },
		{ "xl/_rels/workbook.xml.rels", rels_xml, NULL, 0 },
	};

	zip_make(out, v, nitems(v));
}

static void
mk_doctype(struct buf *out)
{
	book(out, XML_HEAD "<!DOCTYPE worksheet [<!ENTITY e SYSTEM "
	    "\"file:///etc/passwd\">]><worksheet xmlns=\"" NS_MAIN "\">"
	    "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&e;"
	    "</t></is></c></row></sheetData></worksheet>", NULL);
}

static void
mk_laughs(struct buf *out)
{
	book(out, SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"),
	    XML_HEAD "<!DOCTYPE sst [<!ENTITY a \"aaaaaaaaaa\">"
	    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
	    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
	    "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
	    "<sst><si><t>&d;&d;&d;&d;</t></si></sst>");
}

static void
mk_entity(struct buf *out)
{
	book(out, SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
	    "</row>"), XML_HEAD "<!DOCTYPE sst [<!ENTITY a \"x\">]>"
	    "<sst><si><t>&a;</t></si></sst>");
}

static void
mk_malformed(struct buf *out)
{
	book(out, XML_HEAD "<worksheet><sheetData>\n<row r=\"1\"><c r=\"A1\">"
	    "</row>", NULL);
}

static void
mk_bad_shared(struct buf *out)
{
	book(out, SHEET("<row r=\"4\"><c r=\"C4\" t=\"s\"><v>5</v></c></row>"),
	    SST("<si><t>only</t></si>"));
}

static void
mk_bad_ref(struct buf *out)
{
	book(out, SHEET("<row r=\"1\"><c r=\"1A\"><v>5</v></c></row>"), NULL);
}

static void
mk_bad_row(struct buf *out)
{
	book(out, SHEET("<row r=\"0\"><c><v>5</v></c></row>"), NULL);
}

static void
mk_long_cell(struct buf *out)
{
	struct buf s;

	buf_init(&s, SIZE_MAX / 2);
	buf_puts(&s, XML_HEAD "<worksheet><sheetData><row r=\"3\"><c r=\"B3\" "
	    "t=\"inlineStr\"><is><t>");
	while (s.len < 80000)
		buf_puts(&s, "xxxxxxxxxxxxxxxx");
	buf_puts(&s, "</t></is></c></row></sheetData></worksheet>");
	book(out, s.data, NULL);
	buf_free(&s);
}

static void
mk_long_shared(struct buf *out)
{
	struct buf s;

	buf_init(&s, SIZE_MAX / 2);
	buf_puts(&s, XML_HEAD "<sst><si><t>");
	while (s.len < 80000)
		buf_puts(&s, "yyyyyyyyyyyyyyyy");
	buf_puts(&s, "</t></si></sst>");
	book(out, SHEET("<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c></row>"),
	    s.data);
	buf_free(&s);
}

static void
mk_random_zip(struct buf *out)
{
	struct entry v[] = { { "hello.txt", "hello", NULL, 0 } };

	zip_make(out, v, nitems(v));
}

static void
mk_docx(struct buf *out)
{
	struct entry v[] = {
		{ "[Content_Types].xml", "<Types/>", NULL, 0 },
		{ "word/document.xml", "<w:document/>", NULL, 0 },
	};

	zip_make(out, v, nitems(v));
}

static void
mk_ods(struct buf *out)
{
	struct entry v[] = {
		{ "mimetype", "application/vnd.oasis.opendocument.spreadsheet",
		  NULL, 1 },
		{ "content.xml", "<office:document-content/>", NULL, 0 },
	};

	zip_make(out, v, nitems(v));
}

static void
mk_cfb(struct buf *out, int encrypted)
{
	static const char magic[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";
	static const char name[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0"
	    "a\0g\0e\0";
	char		  v[2048];

	memset(v, 0, sizeof(v));
	memcpy(v, magic, 8);
	if (encrypted)
		memcpy(v + 1024, name, sizeof(name) - 1);
	buf_init(out, sizeof(v));
	buf_add(out, v, sizeof(v));
}

static void
mk_cfb_encrypted(struct buf *out)
{
	mk_cfb(out, 1);
}

static void
mk_cfb_xls(struct buf *out)
{
	mk_cfb(out, 0);
}

static void
mk_not_zip(struct buf *out)
{
	buf_init(out, 64);
	buf_puts(out, "PK\3\4 this is not a ZIP at all");
}

static void
mk_bomb(struct buf *out)
{
	struct entry v[] = {
		{ "xl/workbook.xml", workbook_xml, NULL, 0 },
		{ "xl/_rels/workbook.xml.rels", rels_xml, NULL, 0 },
		{ "xl/worksheets/sheet1.xml", NULL, src_zeros, 0 },
	};

	zip_make(out, v, nitems(v));
}

static void
mk_lying_header(struct buf *out)
{
	struct entry v[] = {
		{ "xl/workbook.xml", workbook_xml, NULL, 0 },
		{ "xl/_rels/workbook.xml.rels", rels_xml, NULL, 0 },
		{ "xl/worksheets/sheet1.xml", NULL, src_spaces, 0 },
	};

	zip_make(out, v, nitems(v));
	/* 30 MiB packed in ~30 KiB, said to be 2 MiB: the ratio passes. */
	patch_size(out, "xl/worksheets/sheet1.xml", 2u << 20);
}

static void
mk_too_big_total(struct buf *out)
{
	struct entry v[] = {
		{ "xl/workbook.xml", workbook_xml, NULL, 0 },
		{ "xl/_rels/workbook.xml.rels", rels_xml, NULL, 0 },
		{ "xl/sharedStrings.xml", NULL, src_noise_sst, 1 },
		{ "xl/worksheets/sheet1.xml", NULL, src_noise, 1 },
	};

	zip_make(out, v, nitems(v));
	free(noise[0]);
	free(noise[1]);
	/* 1 MiB packed, said to be 127.5 MiB: the ratio and the part pass,
	 * the total with the shared strings does not. */
	patch_size(out, "xl/worksheets/sheet1.xml", 255u << 19);
}

/* A stored sheet with one letter of its text changed: the CRC fails. */
static void
mk_bad_crc(struct buf *out)
{
	static const char sheet[] = SHEET("<row r=\"1\"><c r=\"A1\" "
	    "t=\"inlineStr\"><is><t>MARKER</t></is></c></row>");
	struct entry v[] = {
		{ "xl/workbook.xml", workbook_xml, NULL, 0 },
		{ "xl/worksheets/sheet1.xml", sheet, NULL, 1 },
	};
	char *p;

	zip_make(out, v, nitems(v));
	p = memmem(out->data, out->len, "MARKER", 6);
	assert_non_null(p);
	p[0] = 'N';
}

/* A part whose header says it unpacks to more than it does. */
static void
mk_short_part(struct buf *out)
{
	static const char sheet[] = SHEET("<row r=\"1\"><c r=\"A1\"><v>1"
	    "</v></c></row>");
	struct entry v[] = {
		{ "xl/workbook.xml", workbook_xml, NULL, 0 },
		{ "xl/worksheets/sheet1.xml", sheet, NULL, 0 },
	};

	zip_make(out, v, nitems(v));
	patch_size(out, "xl/worksheets/sheet1.xml",
	    (uint32_t)strlen(sheet) + 100);
}

static void
mk_encrypted_entry(struct buf *out)
{
	char	      path[256];
	zip_t	     *za;
	zip_source_t *s;
	zip_int64_t   i;
	int	      ze;
	static const char sheet[] = SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v>"
	    "</c></row>");

	temp_path(path, sizeof(path));
	za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
	assert_non_null(za);
	s = zip_source_buffer(za, workbook_xml, strlen(workbook_xml), 0);
	assert_true(zip_file_add(za, "xl/workbook.xml", s, 0) >= 0);
	s = zip_source_buffer(za, sheet, strlen(sheet), 0);
	i = zip_file_add(za, "xl/worksheets/sheet1.xml", s, 0);
	assert_true(i >= 0);
	assert_int_equal(zip_file_set_encryption(za, (zip_uint64_t)i,
	    ZIP_EM_AES_256, "secret"), 0);
	assert_int_equal(zip_close(za), 0);
	slurp(path, out);
}

struct xcase {
	const char *name;
	void	    (*make)(struct buf *);
	const char *want;	/* the table, or NULL for an error */
	const char *err;	/* words of the error */
};

static const struct xcase cases[] = {
	{ "shared strings, numbers, sparse cells", mk_basic,
	  "1:N|Направление деятельности\n2:1|3.5|N\n"
	  "4:строка 1\\nстрока 2\n10:|||||далеко\n", NULL },
	{ "merged cells filled", mk_merged,
	  "1:Направление|Процесс\n2:Услуги|p1\n3:*Услуги|p2\n4:*Услуги|p3\n"
	  "6:||box|*box\n7:||*box|*box\n", NULL },
	{ "inline strings", mk_inline, "1:x|у\n2:|42\n", NULL },
	{ "rich text", mk_rich, "1:жирный и простой\n", NULL },
	{ "boolean, formulas, escaped control", mk_kinds,
	  "1:1|ab|3|a\x07" "b\n", NULL },
	{ "first visible sheet", mk_hidden_first, "1:yes\n", NULL },
	{ "first of two sheets", mk_two_sheets, "1:first\n", NULL },
	{ "empty sheet", mk_empty, "", NULL },
	{ "column 64 is the last", mk_last_column,
	  "1:||||||||||||||||||||||||||||||||"
	  "|||||||||||||||||||||||||||||||BL\n",
	  NULL },
	{ "cells without references", mk_no_refs,
	  "1:a|2\n2:|0\n7:#N/A||3\n", NULL },
	{ "phonetic runs, rich runs, empty string", mk_phonetic,
	  "1:漢字|a b\n", NULL },
	{ "unsorted rows, repeated cell", mk_unsorted, "2:new\n5:1|b5\n",
	  NULL },
	{ "_xHHHH_ escapes in strings only", mk_escapes,
	  "1:a\\rb_x0041_&Bé№_x0000__xD800__x12G4_|_x0041_\n", NULL },
	{ "merged ranges: clipped, empty, single", mk_merge_edges,
	  "1:wide|*wide|*wide|*wide|*wide|*wide|*wide|*wide|*wide|*wide|"
	  "*wide|*wide|*wide|*wide|*wide|*wide|*wide|*wide|*wide|*wide|"
	  "*wide|*wide|*wide|*wide|*wide|*wide|*wide|*wide|*wide|*wide|"
	  "*wide|*wide|*wide|*wide|*wide|*wide|*wide|*wide|*wide|*wide|"
	  "*wide|*wide|*wide|*wide|*wide|*wide|*wide|*wide|*wide|*wide|"
	  "*wide|*wide|*wide|*wide|*wide|*wide|*wide|*wide|*wide|*wide|"
	  "*wide|*wide|*wide|*wide\n3:|9\n5:|r|*r\n6:|*r|*r\n", NULL },
	{ "strict OOXML, resolved target", mk_strict, "1:strict\n", NULL },
	{ "no relationships: sheet1.xml", mk_no_rels, "2:|7\n", NULL },

	{ "too many columns", mk_too_wide, NULL,
	  "sheet \"Широкий\", cell BM3 (row 3, column 65): the table has more "
	  "than 64 columns" },
	{ "merged range past the row limit", mk_merge_huge, NULL,
	  "row 100001: the table has more than 100000 rows" },
	{ "cell too long", mk_long_cell, NULL,
	  "sheet \"Лист1\", cell B3: the cell holds more than 65536 bytes" },
	{ "shared string too long", mk_long_shared, NULL,
	  "row 2, column 1 (A): the cell holds" },
	{ "no worksheet", mk_no_sheet, NULL, "the workbook has no worksheet" },
	{ "missing part", mk_missing_part, NULL,
	  "the workbook has no part xl/worksheets/sheet1.xml" },
	{ "DOCTYPE and external entity", mk_doctype, NULL,
	  "xl/worksheets/sheet1.xml has a document type declaration" },
	{ "billion laughs", mk_laughs, NULL, "xl/sharedStrings.xml" },
	{ "internal entity", mk_entity, NULL,
	  "xl/sharedStrings.xml has a document type declaration" },
	{ "malformed XML", mk_malformed, NULL,
	  "xl/worksheets/sheet1.xml, line 3: the XML is malformed" },
	{ "shared string out of range", mk_bad_shared, NULL,
	  "sheet \"Лист1\", cell C4: it refers to shared string \"5\", but "
	  "the workbook has 1" },
	{ "bad cell reference", mk_bad_ref, NULL,
	  "a cell is named \"1A\", which is not a cell reference" },
	{ "bad row number", mk_bad_row, NULL,
	  "a row is numbered \"0\", which is not a row number" },
	{ "a ZIP that is not a workbook", mk_random_zip, NULL,
	  "a ZIP archive but not an XLSX workbook" },
	{ "a Word document", mk_docx, NULL, "Word document (.docx)" },
	{ "an OpenDocument spreadsheet", mk_ods, NULL, "OpenDocument" },
	{ "truncated file", mk_truncated, NULL,
	  "not a ZIP archive), or the file is cut short" },
	{ "garbage after the ZIP magic", mk_not_zip, NULL,
	  "not a ZIP archive" },
	{ "password-protected workbook", mk_cfb_encrypted, NULL,
	  "protected by a password" },
	{ "old .xls", mk_cfb_xls, NULL, "old-format Office file" },
	{ "damaged data (CRC)", mk_bad_crc, NULL,
	  "xl/worksheets/sheet1.xml cannot be unpacked (CRC error); the file "
	  "is damaged" },
	{ "part shorter than its header says", mk_short_part, NULL,
	  "xl/worksheets/sheet1.xml unpacks to less than its ZIP header says" },
	{ "encrypted ZIP entry", mk_encrypted_entry, NULL,
	  "the workbook is encrypted" },
	{ "ZIP bomb: 200 MiB of zeros", mk_bomb, NULL,
	  "to 209715200 bytes, more than 200 times its size; this is a ZIP "
	  "bomb" },
	{ "ZIP bomb: header lies about the size", mk_lying_header, NULL,
	  "xl/worksheets/sheet1.xml unpacks to more than the 2097152 bytes "
	  "its ZIP header says" },
	{ "unpacked total over the limit", mk_too_big_total, NULL,
	  "the workbook unpacks to more than 128 MiB, the limit "
	  "(xl/worksheets/sheet1.xml is 133693440 bytes)" },
};

static void
run_case(const struct xcase *c)
{
	struct table t;
	struct err   e;
	struct buf   in;
	char	    *got;
	int	     r;

	c->make(&in);
	err_clear(&e);
	r = table_read_xlsx(in.data, in.len, &t, &e);
	if (c->want != NULL) {
		if (r != 0)
			fail_msg("%s: unexpected error: %s", c->name, e.msg);
		got = table_text(&t);
		if (strcmp(got, c->want) != 0)
			fail_msg("%s:\nwant:\n%s\ngot:\n%s", c->name, c->want,
			    got);
		free(got);
	} else {
		if (r == 0)
			fail_msg("%s: no error, expected \"%s\"", c->name,
			    c->err);
		if (strstr(e.msg, c->err) == NULL)
			fail_msg("%s: error \"%s\" lacks \"%s\"", c->name,
			    e.msg, c->err);
		assert_int_equal(e.code, EXIT_DATAERR);
		assert_int_equal(t.nrows, 0);
	}
	table_free(&t);
	buf_free(&in);
}

static void
test_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		if (cases[i].make == mk_encrypted_entry &&
		    !zip_encryption_method_supported(ZIP_EM_AES_256, 1)) {
			print_message("skipped: %s (libzip cannot encrypt)\n",
			    cases[i].name);
			continue;
		}
		run_case(&cases[i]);
	}
}

/* table_read() hands a workbook to the XLSX reader. */
static void
test_dispatch(void **state)
{
	struct table t;
	struct err   e;
	struct buf   in;

	(void)state;
	mk_merged(&in);
	assert_int_equal(table_sniff(in.data, in.len), TABLE_XLSX);
	assert_int_equal(table_read(in.data, in.len, &t, &e), 0);
	assert_string_equal(table_cell(&t, 2, 0), "Услуги");
	assert_int_equal(table_is_merged(&t, 2, 0), 1);
	assert_int_equal(table_is_merged(&t, 1, 0), 0);
	assert_int_equal(t.rows[2].line, 3);
	table_free(&t);
	buf_free(&in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_dispatch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

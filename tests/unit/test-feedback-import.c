/*
 * Unit tests of feedback_import.c: the mapping file's statements and its
 * errors, the times an import reads (offsets, local times in the
 * organization's zone, the Russian way of writing dates) and those it
 * rejects, value maps and constants, and a CSV cut into parts.
 * Table-driven: inputs beside what is expected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "otklik.h"
#include "cal.h"
#include "db.h"
#include "feedback.h"
#include "feedback_import.h"
#include "org.h"

#define HEADER "external_id,received_at,channel,kind,client_type,form," \
	"touchpoint,topic,reason,text,acknowledged_at,answered_at,outcome," \
	"transfers,wait_minutes\n"
#define LONG_TEXT "Текст сообщения подлиннее, чтобы файл вышел больше " \
	"восьми мебибайт, которые читатель таблиц берёт за раз"
#define HEADER_SEMI "external_id;received_at;channel;kind;client_type;form;" \
	"touchpoint;topic;reason;text;acknowledged_at;answered_at;outcome;" \
	"transfers;wait_minutes\n"

struct env {
	char		path[64];
	struct db      *db;
	struct fb_conf *conf;
	int64_t		org;
};

static int
setup(void **state)
{
	struct env *t = xcalloc(1, sizeof(*t));
	struct org  o;
	struct err  e;
	int	    fd;

	setenv("OTKLIK_NOW", "2024-10-22T10:00:00Z", 1);
	unsetenv("OTKLIK_IMPORT_PART");
	snprintf(t->path, sizeof(t->path), "/tmp/otklik-fbi-XXXXXX");
	fd = mkstemp(t->path);
	assert_true(fd >= 0);
	close(fd);
	t->db = db_open(t->path, &e);
	assert_non_null(t->db);
	assert_true(db_migrate(t->db, &e) >= 4);
	assert_int_equal(cal_seed(t->db, "test", &e), 0);
	memset(&o, 0, sizeof(o));
	o.slug = "pk";
	o.name = "Минздрав Приморского края";
	o.region = "ru";
	o.tz = "Asia/Vladivostok";	/* +10, no summer time */
	assert_int_equal(org_add(t->db, "test", &o, &t->org, &e), 0);
	t->conf = fb_conf_load(t->db, t->org, &e);
	if (t->conf == NULL)
		fail_msg("fb_conf_load: %s", e.msg);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct env *t = *state;
	char	    p[80];

	fb_conf_free(t->conf);
	db_close(t->db);
	unlink(t->path);
	snprintf(p, sizeof(p), "%s-wal", t->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", t->path);
	unlink(p);
	free(t);
	return 0;
}

/* ------------------------------------------------------------------ */

static const struct {
	const char *text;
	const char *error;	/* NULL: parses; else a part of the message */
} maps[] = {
	{"", NULL},
	{"# only a comment\n\n", NULL},
	{"text = Текст сообщения\nkind: Жалоба = complaint\n", NULL},
	{"source := pos\nchannel := pos\n", NULL},
	{"kind: Вопрос = жалоба = complaint\n", NULL},	/* '=' in their value */
	{"\xef\xbb\xbftext = Текст\r\n", NULL},		/* BOM, CRLF */
	{"txet = Текст\n", "m, line 1: «txet» is not a column"},
	{"text = Текст\nkind Жалоба\n", "m, line 2: expected"},
	{"text =\n", "m, line 1: the title of the column is missing"},
	{"source = Источник\n", "m, line 1: the source is given as"},
	{"kind: Жалоба\n", "m, line 1: a value is mapped as"},
	{"text = \xff\n", "m: not UTF-8 text"},
};

static void
test_map_parse(void **state)
{
	struct fb_map *m;
	struct err     e;
	size_t	       i;

	(void)state;
	for (i = 0; i < nitems(maps); i++) {
		err_clear(&e);
		m = fb_map_parse(maps[i].text, strlen(maps[i].text), "m", &e);
		if (maps[i].error == NULL) {
			if (m == NULL)
				fail_msg("map %zu: %s", i, e.msg);
		} else {
			if (m != NULL)
				fail_msg("map %zu parsed; expected «%s»", i,
				    maps[i].error);
			if (strstr(e.msg, maps[i].error) == NULL)
				fail_msg("map %zu: «%s», expected «%s»", i,
				    e.msg, maps[i].error);
			assert_int_equal(e.code, EXIT_DATAERR);
		}
		fb_map_free(m);
	}
	m = fb_map_parse("source := epgu\n", 15, "m", &e);
	assert_non_null(m);
	assert_string_equal(fb_map_source(m), "epgu");
	fb_map_free(m);
	assert_null(fb_map_source(NULL));
}

/* ------------------------------------------------------------------ */

static int
import(struct env *t, const char *csv, const struct fb_map *map,
    struct fb_import_report *rep, struct err *e)
{
	struct fb_import_opts o;

	memset(&o, 0, sizeof(o));
	o.name = "t.csv";
	o.map = map;
	err_clear(e);
	return fb_import(t->db, t->conf, "test", csv, strlen(csv), &o, rep, e);
}

static int64_t
received(struct env *t, const char *ext)
{
	struct db_stmt *st;
	int64_t		v = -1;

	st = db_prepare(t->db, "SELECT received_at FROM fb_message WHERE "
	    "external_id = ?", "t", ext);
	if (st != NULL && db_step(st) == DB_ROW)
		v = db_col_int(st, 0);
	db_finalize(st);
	return v;
}

static const struct {
	const char *cell;
	const char *utc;	/* NULL: rejected */
} times[] = {
	{"2024-10-01T09:30:00+03:00", "2024-10-01T06:30:00Z"},
	{"2024-10-01T06:30:00Z", "2024-10-01T06:30:00Z"},
	{"2024-10-01T09:30+0300", "2024-10-01T06:30:00Z"},
	{"2024-10-01T09:30:00.250-02:00", "2024-10-01T11:30:00Z"},
	{"2024-10-01 16:30", "2024-10-01T06:30:00Z"},		/* local */
	{"2024-10-01", "2024-09-30T14:00:00Z"},			/* local */
	{"01.10.2024 16:30", "2024-10-01T06:30:00Z"},
	{"01.10.2024 16:30:15", "2024-10-01T06:30:15Z"},
	{"01.10.2024", "2024-09-30T14:00:00Z"},
	{"01.10.2024 16:30+03:00", "2024-10-01T13:30:00Z"},
	{"29.02.2024 10:00", "2024-02-29T00:00:00Z"},
	{"2024-02-30", NULL},
	{"32.01.2024", NULL},
	{"01.13.2024 10:00", NULL},
	{"2024-10-01T25:00", NULL},
	{"1.10.2024", NULL},
	{"01.10.2024 9:30", NULL},
	{"01.10.24", NULL},
	{"вчера", NULL},
	{"2024-10-23T10:00:00Z", NULL},				/* future */
};

static void
test_times(void **state)
{
	struct env		*t = *state;
	struct fb_import_report	 rep;
	struct err		 e;
	struct buf		 b;
	char			 ext[16], got[21];
	size_t			 i;

	for (i = 0; i < nitems(times); i++) {
		buf_init(&b, 4096);
		snprintf(ext, sizeof(ext), "T-%zu", i);
		buf_printf(&b, HEADER "%s,%s,email,appeal,,,,,,текст,,,,,\n",
		    ext, times[i].cell);
		assert_int_equal(import(t, buf_str(&b), NULL, &rep, &e), 0);
		buf_free(&b);
		if (times[i].utc == NULL) {
			if (rep.rejected != 1 || rep.n != 1 ||
			    strcmp(rep.v[0].column, "received_at") != 0)
				fail_msg("«%s» was not rejected", times[i].cell);
			assert_int_equal(rep.v[0].row, 2);
			assert_int_equal(received(t, ext), -1);
		} else {
			if (rep.rejected != 0)
				fail_msg("«%s»: %s", times[i].cell, rep.v[0].msg);
			time_format(received(t, ext), got);
			if (strcmp(got, times[i].utc) != 0)
				fail_msg("«%s» read as %s, expected %s",
				    times[i].cell, got, times[i].utc);
		}
		fb_import_report_free(&rep);
	}
}

/* Value maps and constants; a value without a translation passes. */
static void
test_map_values(void **state)
{
	static const char map[] =
	    "external_id = №\nreceived_at = Дата\ntext = Текст\n"
	    "kind = Вид\nkind: Жалоба = complaint\nkind: ВОПРОС = request\n"
	    "channel := phone\nsource := epgu\n";
	static const char csv[] =
	    "№;Дата;Вид;Текст;Регион\n"
	    "1;01.10.2024;жалоба;Текст один;Приморский край\n"
	    "2;01.10.2024;Вопрос;Текст два;Приморский край\n"
	    "3;01.10.2024;appeal;Текст три;Приморский край\n";
	struct env		*t = *state;
	struct fb_import_report	 rep;
	struct fb_map		*m;
	struct db_stmt		*st;
	struct err		 e;
	const char		*want[] = {"complaint", "request", "appeal"};
	int			 i = 0;

	m = fb_map_parse(map, strlen(map), "m", &e);
	assert_non_null(m);
	assert_int_equal(import(t, csv, m, &rep, &e), 0);
	assert_int_equal(rep.rejected, 0);
	assert_int_equal(rep.imported, 3);
	assert_true(rep.written);
	fb_import_report_free(&rep);
	st = db_prepare(t->db, "SELECT kind, channel, source FROM fb_message "
	    "ORDER BY CAST(external_id AS INTEGER)", "");
	while (db_step(st) == DB_ROW) {
		assert_true(i < 3);
		assert_string_equal(db_col_text(st, 0), want[i]);
		assert_string_equal(db_col_text(st, 1), "phone");
		assert_string_equal(db_col_text(st, 2), "epgu");
		i++;
	}
	db_finalize(st);
	assert_int_equal(i, 3);
	/* Again: the same ids of the same source are there. */
	assert_int_equal(import(t, csv, m, &rep, &e), 0);
	assert_int_equal(rep.imported, 0);
	assert_int_equal(rep.already, 3);
	fb_import_report_free(&rep);
	fb_map_free(m);
}

static char *
text_of(struct env *t, const char *ext)
{
	struct db_stmt *st;
	char	       *v = NULL;

	st = db_prepare(t->db, "SELECT text FROM fb_message WHERE "
	    "external_id = ?", "t", ext);
	if (st != NULL && db_step(st) == DB_ROW)
		v = db_col_dup(st, 0);
	db_finalize(st);
	return v;
}

#define PARTS_CSV(ch)							\
	"\xef\xbb\xbfsep=;\n" HEADER_SEMI				\
	"P-1;2024-10-01;email;appeal;;;;;;\"a;b\";;;;;\n"		\
	"\n"								\
	"P-2;2024-10-01;email;appeal;;;;;;\"line\none\";;;;;\n"	\
	"P-3;2024-10-01;email;appeal;;;;;;\"\"\"quoted\"\"\";;;;;\n"	\
	"P-4;2024-10-01;" ch ";appeal;;;;;;x;;;;;\n"			\
	"P-5;2024-10-01;email;appeal;;;;;;y;;;;;\n"

/*
 * A CSV in parts of 2 or 3 records gives what the whole does: the same
 * rows, quoted line breaks and separators kept, and a rejected row named
 * by its line in the whole file.
 */
static void
test_parts(void **state)
{
	static const char good[] = PARTS_CSV("email");
	static const char bad[] = PARTS_CSV("emial");
	static const struct {
		const char *ext, *text;
	} texts[] = {
		{"P-1", "a;b"}, {"P-2", "line\none"}, {"P-3", "\"quoted\""},
		{"P-5", "y"},
	};
	struct env		*t = *state;
	struct fb_import_report	 rep;
	struct err		 e;
	const char		*parts[] = {"2", NULL, "3"};
	char			*v;
	size_t			 i;

	setenv("OTKLIK_IMPORT_PART", "2", 1);
	assert_int_equal(import(t, good, NULL, &rep, &e), 0);
	assert_int_equal(rep.read, 5);
	assert_int_equal(rep.imported, 5);
	fb_import_report_free(&rep);
	unsetenv("OTKLIK_IMPORT_PART");
	for (i = 0; i < nitems(texts); i++) {
		v = text_of(t, texts[i].ext);
		assert_non_null(v);
		assert_string_equal(v, texts[i].text);
		free(v);
	}
	assert_int_equal(import(t, good, NULL, &rep, &e), 0);
	assert_int_equal(rep.already, 5);
	fb_import_report_free(&rep);

	for (i = 0; i < nitems(parts); i++) {
		if (parts[i] != NULL)
			setenv("OTKLIK_IMPORT_PART", parts[i], 1);
		assert_int_equal(import(t, bad, NULL, &rep, &e), 0);
		assert_int_equal(rep.read, 5);
		assert_int_equal(rep.rejected, 1);
		assert_int_equal(rep.n, 1);
		/* sep= line 1, header 2, P-1 3, blank 4, P-2 5-6, P-3 7,
		 * P-4 8. */
		assert_int_equal(rep.v[0].row, 8);
		assert_string_equal(rep.v[0].column, "channel");
		assert_false(rep.written);
		fb_import_report_free(&rep);
		unsetenv("OTKLIK_IMPORT_PART");
	}
}

/*
 * A CSV beyond the table reader's limit of bytes, and with parts of
 * 5,000 records, is read without losing or repeating a row.  Every row
 * has a wrong kind, so that nothing is stored and the test stays quick.
 */
static void
test_big(void **state)
{
	struct env		*t = *state;
	struct fb_import_report	 rep;
	struct err		 e;
	struct buf		 b;
	long			 i, n = 22000;
	struct fb_import_opts	 o;

	buf_init(&b, (size_t)64 << 20);
	buf_puts(&b, HEADER);
	for (i = 1; i <= n; i++)
		buf_printf(&b, "B-%ld,2024-10-01,email,x,,,,,,\"%s %s %s, "
		    "%ld\",,,,,\n", i, LONG_TEXT, LONG_TEXT, LONG_TEXT, i);
	assert_true(b.len > ((size_t)8 << 20));
	memset(&o, 0, sizeof(o));
	o.name = "big.csv";
	o.dry_run = 1;
	setenv("OTKLIK_IMPORT_PART", "5000", 1);
	assert_int_equal(fb_import(t->db, t->conf, "test", b.data, b.len, &o,
	    &rep, &e), 0);
	unsetenv("OTKLIK_IMPORT_PART");
	buf_free(&b);
	assert_int_equal(rep.read, n);
	assert_int_equal(rep.rejected, n);
	assert_int_equal(rep.imported, 0);
	assert_int_equal(rep.n, FB_IMPORT_MAX_PROBLEMS);
	assert_int_equal(rep.v[0].row, 2);
	assert_int_equal(rep.v[FB_IMPORT_MAX_PROBLEMS - 1].row,
	    FB_IMPORT_MAX_PROBLEMS + 1);
	fb_import_report_free(&rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_parse),
		cmocka_unit_test_setup_teardown(test_times, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_values, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_parts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests of registry_export.c: the official form (R-REG-7) of a
 * registry built by hand, as HTML (row spans, structure, escaping), CSV
 * (the exact bytes) and XLSX (read back with libzip: merged cells, the
 * repeated header rows, reproducible output), each also compared with
 * the golden files in tests/golden/.  OTKLIK_UPDATE_GOLDEN=1 rewrites
 * the golden files instead of comparing.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <zip.h>

#include "otklik.h"
#include "registry.h"

/* An entry as the tests write it; NULL optional fields stay NULL. */
struct spec {
	const char  *area, *process, *name;
	enum channel channel;
	enum tp_kind kind;
	int	     kind_explicit;
	enum client  client;
	const char  *needs, *interaction, *features;
	const char  *phone, *email, *url, *address, *room, *unit;
	enum basis   basis;
	const char  *basis_ref;
	int	     key, low_demand, not_counted;
};

#define A_EXT  "Взаимодействие с внешним клиентом"
#define A_INT  "Взаимодействие с внутренним клиентом"
#define A_HR   "Кадровая работа"
#define P_APP  "Рассмотрение обращений граждан"
#define P_INFO "Информирование о деятельности министерства"
#define P_DOC  "Организация документооборота"
#define P_RECV "Прием документов"
#define P_ACQ  "Ознакомление с приказами"

/*
 * The demo registry: an area of two processes (three rows and one), an
 * area of one row, an area of two processes (one row and two); texts
 * with commas, quotes, a line break, an ampersand; empty features of
 * both kinds.
 */
static const struct spec demo[] = {
	{A_EXT, P_APP, "Официальный сайт министерства https://demo.gov.ru/",
	    CH_SITE, KIND_DIGITAL, 0, CLIENT_EXTERNAL, "info forms",
	    "Получение клиентом информации, получение клиентом форм "
	    "документов", "",
	    NULL, NULL, "https://demo.gov.ru/", NULL, NULL,
	    "Отдел информатизации", BASIS_NORMATIVE,
	    "Федеральный закон от 09.02.2009 N 8-ФЗ", 1, 0, 0},
	{A_EXT, P_APP, "Электронная почта info@demo.gov.ru",
	    CH_EMAIL, KIND_DIGITAL, 0, CLIENT_EXTERNAL,
	    "submit:appeal result",
	    "Предоставление клиентом обращения; получение клиентом ответа",
	    "Уведомление о получении — в течение 24 часов,\nответ — в "
	    "течение 30 дней",
	    NULL, "info@demo.gov.ru", NULL, NULL, NULL, "Общий отдел",
	    BASIS_NONE, NULL, 1, 0, 0},
	{A_EXT, P_APP, "Телефон +7 (423) 200-00-00",
	    CH_PHONE, KIND_OFFLINE, 0, CLIENT_EXTERNAL, "consult",
	    "Получение клиентом консультации", "",
	    "+7 (423) 200-00-00", NULL, NULL, NULL, NULL, NULL,
	    BASIS_NONE, NULL, 1, 0, 1},
	{A_EXT, P_INFO, "Информационный стенд в холле",
	    CH_STAND, KIND_OFFLINE, 0, CLIENT_EXTERNAL, "info",
	    "Получение клиентом информации",
	    "Стенд \"Часто задаваемые вопросы\" & график приема",
	    NULL, NULL, NULL, "г. Владивосток, ул. Светланская, 22", NULL,
	    NULL, BASIS_INTERNAL, "Приказ от 01.02.2024 N 15", 0, 1, 0},
	{A_INT, P_DOC, "СЭД «Дело»",
	    CH_EDMS, KIND_DIGITAL, 0, CLIENT_INTERNAL, "info submit:documents",
	    "Получение клиентом заданий и поручений. Информирование клиента",
	    "", NULL, NULL, NULL, NULL, NULL, NULL, BASIS_CONTRACT,
	    "Государственный контракт N 7/2023", 1, 0, 0},
	{A_HR, P_RECV, "Личный прием в отделе кадров, каб. 101",
	    CH_RECEPTION, KIND_OFFLINE, 0, CLIENT_INTERNAL,
	    "submit:application consult",
	    "Предоставление клиентом заявления, получение консультации", "",
	    "+7 (423) 200-00-01", NULL, NULL,
	    "г. Владивосток, ул. Светланская, 22", "101", "Отдел кадров",
	    BASIS_DIRECTIVE, "Поручение от 10.03.2024", 1, 0, 0},
	{A_HR, P_ACQ, "Рабочее место клиента",
	    CH_WORKPLACE, KIND_OFFLINE, 0, CLIENT_INTERNAL, "acquaint",
	    "Ознакомление клиента с приказами", "Ознакомление под подпись",
	    NULL, NULL, NULL, NULL, NULL, "Отдел кадров",
	    BASIS_NONE, NULL, 0, 1, 1},
	/* The kind set by hand against the channel's. */
	{A_HR, P_ACQ, "Электронная почта hr@demo.gov.ru",
	    CH_EMAIL, KIND_OFFLINE, 1, CLIENT_INTERNAL, "acquaint",
	    "Ознакомление клиента с приказами", "",
	    NULL, "hr@demo.gov.ru", NULL, NULL, NULL, "Отдел кадров",
	    BASIS_NONE, NULL, 0, 0, 0},
};

#define DEMO_ORG \
	"Министерство цифрового развития и связи Демонстрационного края"

static void
set(char **dst, const char *s)
{
	free(*dst);
	*dst = s != NULL ? xstrdup(s) : NULL;
}

static void
build(struct registry *r, const struct spec *v, size_t n)
{
	struct reg_entry *e;
	size_t		  i;

	memset(r, 0, sizeof(*r));
	r->version = 3;
	for (i = 0; i < n; i++) {
		e = registry_add(r);
		e->id = (int64_t)i + 1;
		e->pos = (int)i + 1;
		set(&e->area, v[i].area);
		set(&e->process, v[i].process);
		set(&e->name, v[i].name);
		e->channel = v[i].channel;
		e->kind = v[i].kind;
		e->kind_explicit = v[i].kind_explicit;
		e->client = v[i].client;
		set(&e->needs, v[i].needs);
		set(&e->interaction, v[i].interaction);
		set(&e->features, v[i].features);
		set(&e->phone, v[i].phone);
		set(&e->email, v[i].email);
		set(&e->url, v[i].url);
		set(&e->address, v[i].address);
		set(&e->room, v[i].room);
		set(&e->unit, v[i].unit);
		e->basis = v[i].basis;
		set(&e->basis_ref, v[i].basis_ref);
		e->is_key = v[i].key;
		e->low_demand = v[i].low_demand;
		e->not_counted = v[i].not_counted;
	}
}

static void
demo_meta(struct export_meta *m, int extended)
{
	memset(m, 0, sizeof(*m));
	m->org_name = DEMO_ORG;
	m->version = 3;
	m->date = date_from_ymd(2024, 10, 22);
	m->extended = extended;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* Golden files: compared byte for byte, or rewritten on request. */
static void
mkdirs(const char *path)
{
	char  *p = xstrdup(path), *s;

	for (s = p + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(p, 0777) == -1 && errno != EEXIST)
			fail_msg("mkdir %s: %s", p, strerror(errno));
		*s = '/';
	}
	free(p);
}

static void
golden(const char *name, const char *data, size_t len)
{
	const char *src = getenv("SRCDIR");
	const char *upd = getenv("OTKLIK_UPDATE_GOLDEN");
	struct buf  want;
	struct err  e;
	char	   *path;
	FILE	   *f;
	size_t	    i;

	if (src == NULL)
		fail_msg("SRCDIR is not set: run the test through meson test");
	path = xasprintf("%s/tests/golden/%s", src, name);
	if (upd != NULL && strcmp(upd, "1") == 0) {
		mkdirs(path);
		if ((f = fopen(path, "wb")) == NULL ||
		    fwrite(data, 1, len, f) != len || fclose(f) != 0)
			fail_msg("%s: cannot write: %s", path, strerror(errno));
		printf("# rewrote %s\n", path);
		free(path);
		return;
	}
	buf_init(&want, BUF_MAX_DEFAULT);
	err_clear(&e);
	if (buf_read_file(&want, path, &e) == -1)
		fail_msg("%s; make it with OTKLIK_UPDATE_GOLDEN=1", e.msg);
	for (i = 0; i < len && i < want.len; i++)
		if (data[i] != want.data[i])
			break;
	if (i < len || i < want.len)
		fail_msg("%s differs from the output at byte %zu (golden %zu "
		    "bytes, output %zu); if the change is intended, rewrite "
		    "it with OTKLIK_UPDATE_GOLDEN=1", path, i, want.len, len);
	buf_free(&want);
	free(path);
}

/* The value of a numeric attribute in the tag starting at p, or 1. */
static int
attr_int(const char *p, const char *name)
{
	const char *gt = strchr(p, '>'), *a;
	char	    pat[32];

	snprintf(pat, sizeof(pat), " %s=\"", name);
	a = strstr(p, pat);
	if (a == NULL || gt == NULL || a > gt)
		return 1;
	return (int)strtol(a + strlen(pat), NULL, 10);
}

/* The next <td or <th cell tag at or after p and before end. */
static const char *
next_cell(const char *p, const char *end)
{
	const char *td, *th;

	for (;;) {
		td = strstr(p, "<td");
		th = strstr(p, "<th");
		if (td == NULL || (th != NULL && th < td))
			td = th;
		if (td == NULL || td >= end)
			return NULL;
		if (td[3] == ' ' || td[3] == '>')
			return td;
		p = td + 3;
	}
}

/*
 * Lays the cells of each <tbody> out on a grid as a browser does: every
 * row must fill the six columns exactly, counting the cells that span
 * into it from above, and no span may run out of its <tbody>.  Returns
 * the number of body rows.
 */
static int
check_grid(const char *html)
{
	const char *body, *bend, *tr, *trend, *cell;
	int	    rem[6], covered[6], c, col, rs, cs, k, rows = 0;

	for (body = strstr(html, "<tbody>"); body != NULL;
	     body = strstr(bend, "<tbody>")) {
		bend = strstr(body, "</tbody>");
		assert_non_null(bend);
		memset(rem, 0, sizeof(rem));
		for (tr = strstr(body, "<tr>"); tr != NULL && tr < bend;
		     tr = strstr(trend, "<tr>")) {
			trend = strstr(tr, "</tr>");
			assert_non_null(trend);
			for (c = 0; c < 6; c++) {
				covered[c] = rem[c] > 0;
				if (rem[c] > 0)
					rem[c]--;
			}
			col = 0;
			for (cell = next_cell(tr, trend); cell != NULL;
			     cell = next_cell(cell + 3, trend)) {
				rs = attr_int(cell, "rowspan");
				cs = attr_int(cell, "colspan");
				assert_true(rs >= 1 && cs >= 1);
				while (col < 6 && covered[col])
					col++;
				assert_true(col + cs <= 6);
				for (k = 0; k < cs; k++) {
					covered[col + k] = 1;
					rem[col + k] = rs - 1;
				}
				col += cs;
			}
			for (c = 0; c < 6; c++)
				assert_true(covered[c]);
			rows++;
		}
		for (c = 0; c < 6; c++)
			assert_int_equal(rem[c], 0);
	}
	return rows;
}

/*
 * Every tag closes in order, the void elements excepted; text holds no
 * raw < or >.  The content of <style> is the program's own.
 */
static void
check_balanced(const char *html)
{
	static const char *voids[] = {"meta", "col", "br", "link", "input"};
	const char	  *stack[64], *p, *name, *gt;
	size_t		   len[64], n, i;
	int		   depth = 0, closing, isvoid;

	p = html;
	while (*p != '\0') {
		if (*p != '<') {
			assert_true(*p != '>');
			p++;
			continue;
		}
		if (p[1] == '!') {
			p = strchr(p, '>');
			assert_non_null(p);
			p++;
			continue;
		}
		closing = p[1] == '/';
		name = p + 1 + closing;
		n = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-");
		assert_true(n > 0);
		gt = strchr(name, '>');
		assert_non_null(gt);
		isvoid = 0;
		for (i = 0; i < nitems(voids); i++)
			if (strlen(voids[i]) == n &&
			    strncmp(voids[i], name, n) == 0)
				isvoid = 1;
		if (closing) {
			assert_true(depth > 0);
			depth--;
			assert_int_equal(len[depth], n);
			assert_memory_equal(stack[depth], name, n);
		} else if (!isvoid) {
			assert_true(depth < 64);
			stack[depth] = name;
			len[depth++] = n;
		}
		p = gt + 1;
		if (!closing && n == 5 && strncmp(name, "style", 5) == 0) {
			p = strstr(p, "</style>");
			assert_non_null(p);
		}
	}
	assert_int_equal(depth, 0);
}

static void
test_titles(void **state)
{
	(void)state;
	assert_string_equal(registry_titles[0], "N");
	assert_string_equal(registry_titles[1], "Направление деятельности");
	assert_string_equal(registry_titles[2],
	    "Наименование конкретного процесса");
	assert_string_equal(registry_titles[3], "Точка взаимодействия");
	assert_string_equal(registry_titles[4],
	    "Осуществляемое взаимодействие с клиентом");
	assert_string_equal(registry_titles[5],
	    "Особенности взаимодействия с клиентом");
	assert_string_equal(registry_ext_titles[0], "Тип канала");
	assert_string_equal(registry_ext_titles[6],
	    "Учет обращений не ведется");
	assert_string_equal(registry_ext_titles[REGISTRY_EXT_COLUMNS - 1],
	    "Реквизиты основания");
}

static void
test_html_demo(void **state)
{
	struct registry	   r;
	struct export_meta m;
	struct buf	   b;
	struct err	   e;
	const char	  *s;

	(void)state;
	build(&r, demo, nitems(demo));
	demo_meta(&m, 0);
	buf_init(&b, BUF_MAX_DEFAULT);
	err_clear(&e);
	assert_int_equal(registry_export_html(&r, &m, &b, &e), 0);
	s = buf_str(&b);

	assert_true(strncmp(s, "<!DOCTYPE html>\n<html lang=\"ru\">", 32) == 0);
	assert_non_null(strstr(s, "<meta charset=\"utf-8\">"));
	assert_non_null(strstr(s, "<title>Перечень точек взаимодействия с "
				  "клиентом — " DEMO_ORG "</title>"));
	assert_non_null(strstr(s, "<p class=\"org\">" DEMO_ORG "</p>"));
	assert_non_null(strstr(s, "Версия 3 от 22.10.2024"));
	/* Printing: A4 landscape, the head on every page, rows whole. */
	assert_non_null(strstr(s, "@page { size: A4 landscape;"));
	assert_non_null(strstr(s, "thead { display: table-header-group; }"));
	assert_non_null(strstr(s, "break-inside: avoid"));
	assert_null(strstr(s, "<script"));

	/* The head: titles as column headers, then the numbering 1–6. */
	assert_non_null(strstr(s, "<thead>\n<tr><th scope=\"col\">N</th>"
	    "<th scope=\"col\">Направление деятельности</th>"));
	assert_non_null(strstr(s, "<tr><td>1</td><td>2</td><td>3</td>"
				  "<td>4</td><td>5</td><td>6</td></tr>\n"
				  "</thead>"));
	assert_int_equal(count(s, "<th scope=\"col\">"), 6);

	/* Area 1: four rows, its first process three. */
	assert_non_null(strstr(s, "<tbody>\n<tr><td rowspan=\"4\" class=\"n\">"
	    "1</td><th scope=\"rowgroup\" rowspan=\"4\">" A_EXT "</th>"
	    "<th scope=\"row\" rowspan=\"3\">" P_APP "</th>"));
	/* Its second process: one row, no span. */
	assert_non_null(strstr(s, "<tr><th scope=\"row\">" P_INFO "</th>"));
	/* Area 2: one row. */
	assert_non_null(strstr(s, "<tr><td class=\"n\">2</td>"
	    "<th scope=\"rowgroup\">" A_INT "</th><th scope=\"row\">" P_DOC
	    "</th><td>СЭД «Дело»</td>"));
	/* Area 3: a one-row process, then a two-row one. */
	assert_non_null(strstr(s, "<tr><td rowspan=\"3\" class=\"n\">3</td>"
	    "<th scope=\"rowgroup\" rowspan=\"3\">" A_HR "</th>"
	    "<th scope=\"row\">" P_RECV "</th>"));
	assert_non_null(strstr(s, "<tr><th scope=\"row\" rowspan=\"2\">" P_ACQ
				  "</th>"));
	assert_int_equal(count(s, "<tbody>"), 3);
	assert_int_equal(count(s, "scope=\"rowgroup\""), 3);
	assert_int_equal(count(s, "scope=\"row\""), 5);

	/* Column 6: the kind where there are no features. */
	assert_non_null(strstr(s, "<td>Получение клиентом информации, "
	    "получение клиентом форм документов</td><td>цифровая точка</td>"));
	assert_non_null(strstr(s, "<td>Получение клиентом консультации</td>"
				  "<td>офлайн точка</td>"));
	assert_non_null(strstr(s, "<td>Стенд &quot;Часто задаваемые "
				  "вопросы&quot; &amp; график приема</td>"));
	assert_non_null(strstr(s, "в течение 24 часов,\nответ"));

	assert_int_equal(check_grid(s), (int)nitems(demo));
	assert_int_equal(count(s, "<tr>"), 2 + nitems(demo));
	check_balanced(s);
	golden("registry-demo.html", b.data, b.len);
	buf_free(&b);
	registry_free(&r);
}

/* Hostile text everywhere: nothing of it may become markup. */
static void
test_html_hostile(void **state)
{
	static const struct spec bad[] = {
		{"<script>alert(1)</script>", "\"onmouseover=\"alert(1)",
		    "<img src=x onerror=alert(1)>", CH_SITE, KIND_DIGITAL, 0,
		    CLIENT_EXTERNAL, "", "javascript:alert(1)",
		    "</td></tr></table><script>x</script>", NULL, NULL, NULL,
		    NULL, NULL, NULL, BASIS_NONE, NULL, 0, 0, 0},
	};
	struct registry	   r;
	struct export_meta m;
	struct buf	   b;
	struct err	   e;
	const char	  *s;

	(void)state;
	build(&r, bad, nitems(bad));
	demo_meta(&m, 0);
	m.org_name = "</title><script>alert('org')</script>";
	buf_init(&b, BUF_MAX_DEFAULT);
	err_clear(&e);
	assert_int_equal(registry_export_html(&r, &m, &b, &e), 0);
	s = buf_str(&b);
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "<img"));
	assert_null(strstr(s, "onmouseover=\""));
	assert_non_null(strstr(s, "<title>Перечень точек взаимодействия с "
	    "клиентом — &lt;/title&gt;&lt;script&gt;alert(&#39;org&#39;)"
	    "&lt;/script&gt;</title>"));
	assert_non_null(strstr(s, "<th scope=\"row\">&quot;onmouseover="
				  "&quot;alert(1)</th>"));
	assert_int_equal(count(s, "</table>"), 1);
	assert_int_equal(check_grid(s), 1);
	check_balanced(s);
	buf_free(&b);
	registry_free(&r);
}

static void
test_html_empty(void **state)
{
	struct registry	   r;
	struct export_meta m;
	struct buf	   b;
	struct err	   e;

	(void)state;
	memset(&r, 0, sizeof(r));
	demo_meta(&m, 0);
	m.org_name = NULL;
	buf_init(&b, BUF_MAX_DEFAULT);
	err_clear(&e);
	assert_int_equal(registry_export_html(&r, &m, &b, &e), 0);
	assert_non_null(strstr(buf_str(&b), "<title>Перечень точек "
	    "взаимодействия с клиентом</title>"));
	assert_non_null(strstr(buf_str(&b), "<td colspan=\"6\">"));
	assert_int_equal(check_grid(buf_str(&b)), 1);
	check_balanced(buf_str(&b));
	buf_free(&b);
}

static void
test_html_limit(void **state)
{
	struct registry	   r;
	struct export_meta m;
	struct buf	   b;
	struct err	   e;

	(void)state;
	build(&r, demo, nitems(demo));
	demo_meta(&m, 0);
	buf_init(&b, 4096);
	buf_puts(&b, "kept");
	err_clear(&e);
	assert_int_equal(registry_export_html(&r, &m, &b, &e), -1);
	assert_int_equal(e.code, EXIT_DATAERR);
	assert_string_equal(buf_str(&b), "kept");
	buf_free(&b);
	registry_free(&r);
}

/* Small enough to write out: every rule of the CSV, byte for byte. */
static void
test_csv_exact(void **state)
{
	static const struct spec small[] = {
		{"Область, с запятой", "Процесс \"первый\"", "Сайт",
		    CH_SITE, KIND_DIGITAL, 0, CLIENT_EXTERNAL, "info",
		    "Информация", "", NULL, NULL, NULL, NULL, NULL, NULL,
		    BASIS_NONE, NULL, 1, 0, 0},
		{"Область, с запятой", "Процесс \"первый\"", "Телефон",
		    CH_PHONE, KIND_OFFLINE, 0, CLIENT_EXTERNAL, "consult",
		    "строка 1\nстрока 2", "", NULL, NULL, NULL, NULL, NULL,
		    NULL, BASIS_NONE, NULL, 1, 0, 0},
		{"Область, с запятой", "Второй", "Почта", CH_EMAIL,
		    KIND_DIGITAL, 0, CLIENT_EXTERNAL, "info", "", "\"\"",
		    NULL, NULL, NULL, NULL, NULL, NULL, BASIS_NONE, NULL, 0,
		    0, 0},
		{"Другая", "Процесс \"первый\"", "Стенд", CH_STAND,
		    KIND_OFFLINE, 0, CLIENT_INTERNAL, "info", "a\r\nb",
		    "особенности", NULL, NULL, NULL, NULL, NULL, NULL,
		    BASIS_NONE, NULL, 0, 0, 0},
	};
	static const char want[] =
	    "\xef\xbb\xbf"
	    "N,Направление деятельности,Наименование конкретного процесса,"
	    "Точка взаимодействия,Осуществляемое взаимодействие с клиентом,"
	    "Особенности взаимодействия с клиентом\r\n"
	    "1,2,3,4,5,6\r\n"
	    "1,\"Область, с запятой\",\"Процесс \"\"первый\"\"\",Сайт,"
	    "Информация,цифровая точка\r\n"
	    ",\"Область, с запятой\",\"Процесс \"\"первый\"\"\",Телефон,"
	    "\"строка 1\nстрока 2\",офлайн точка\r\n"
	    ",\"Область, с запятой\",Второй,Почта,,\"\"\"\"\"\"\r\n"
	    "2,Другая,\"Процесс \"\"первый\"\"\",Стенд,\"a\r\nb\","
	    "особенности\r\n";
	struct registry	   r;
	struct export_meta m;
	struct buf	   b;
	struct err	   e;

	(void)state;
	build(&r, small, nitems(small));
	demo_meta(&m, 0);
	buf_init(&b, BUF_MAX_DEFAULT);
	err_clear(&e);
	assert_int_equal(registry_export_csv(&r, &m, &b, &e), 0);
	assert_int_equal(b.len, sizeof(want) - 1);
	assert_memory_equal(b.data, want, sizeof(want) - 1);
	buf_free(&b);
	registry_free(&r);
}

static void
test_csv_demo(void **state)
{
	struct registry	   r;
	struct export_meta m;
	struct buf	   b;
	struct err	   e;
	const char	  *s;

	(void)state;
	build(&r, demo, nitems(demo));
	demo_meta(&m, 0);
	buf_init(&b, BUF_MAX_DEFAULT);
	err_clear(&e);
	assert_int_equal(registry_export_csv(&r, &m, &b, &e), 0);
	s = buf_str(&b);
	assert_int_equal(count(s, "\r\n"), 2 + nitems(demo));
	/* Area and process on every row; N only on an area's first. */
	assert_int_equal(count(s, "\r\n" A_EXT ","), 0);
	assert_int_equal(count(s, "\r\n1," A_EXT ","), 1);
	assert_int_equal(count(s, "\r\n," A_EXT "," P_APP ","), 2);
	assert_int_equal(count(s, "\r\n2," A_INT "," P_DOC ","), 1);
	assert_int_equal(count(s, "\r\n," A_HR "," P_ACQ ","), 2);
	golden("registry-demo.csv", b.data, b.len);
	buf_free(&b);
	registry_free(&r);
}

static void
test_csv_extended(void **state)
{
	struct registry	   r;
	struct export_meta m;
	struct buf	   b, head;
	struct err	   e;
	const char	  *s;
	size_t		   i;

	(void)state;
	build(&r, demo, nitems(demo));
	demo_meta(&m, 1);
	buf_init(&b, BUF_MAX_DEFAULT);
	err_clear(&e);
	assert_int_equal(registry_export_csv(&r, &m, &b, &e), 0);
	s = buf_str(&b);

	buf_init(&head, 4096);
	buf_puts(&head, "\xef\xbb\xbf");
	for (i = 0; i < 6; i++)
		buf_printf(&head, "%s%s", i ? "," : "", registry_titles[i]);
	for (i = 0; i < REGISTRY_EXT_COLUMNS; i++)
		buf_printf(&head, ",%s", registry_ext_titles[i]);
	buf_puts(&head, "\r\n1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,"
			"20,21\r\n");
	assert_true(strncmp(s, head.data, head.len) == 0);
	buf_free(&head);

	/* Channel, kind only when set by hand, client, needs, flags,
	 * contacts, unit, basis. */
	assert_non_null(strstr(s, ",цифровая точка,site,,external,info forms,"
	    "1,0,0,,,https://demo.gov.ru/,,,Отдел информатизации,normative,"
	    "Федеральный закон от 09.02.2009 N 8-ФЗ\r\n"));
	assert_non_null(strstr(s, ",офлайн точка,phone,,external,consult,"
	    "1,0,1,+7 (423) 200-00-00,,,,,,,\r\n"));
	assert_non_null(strstr(s, ",офлайн точка,email,offline,internal,"
	    "acquaint,0,0,0,,hr@demo.gov.ru,,,,Отдел кадров,,\r\n"));
	assert_non_null(strstr(s, ",reception,,internal,submit:application "
	    "consult,1,0,0,+7 (423) 200-00-01,,,\"г. Владивосток, ул. "
	    "Светланская, 22\",101,Отдел кадров,directive,Поручение от "
	    "10.03.2024\r\n"));
	golden("registry-demo-ext.csv", b.data, b.len);
	buf_free(&b);
	registry_free(&r);
}

static void
test_csv_limit(void **state)
{
	struct registry	   r;
	struct export_meta m;
	struct buf	   b;
	struct err	   e;

	(void)state;
	build(&r, demo, nitems(demo));
	demo_meta(&m, 1);
	buf_init(&b, 1000);
	buf_puts(&b, "kept");
	err_clear(&e);
	assert_int_equal(registry_export_csv(&r, &m, &b, &e), -1);
	assert_int_equal(e.code, EXIT_DATAERR);
	assert_string_equal(buf_str(&b), "kept");
	buf_free(&b);
	registry_free(&r);
}

/* XLSX: a part of the package, read back with libzip. */
static char *
zip_part(const char *path, const char *name, size_t *len)
{
	zip_t	   *z;
	zip_file_t *f = NULL;
	zip_stat_t  st;
	char	   *data;
	int	    zerr;

	z = zip_open(path, ZIP_RDONLY, &zerr);
	if (z == NULL)
		fail_msg("%s: libzip cannot open it (%d)", path, zerr);
	if (zip_stat(z, name, 0, &st) == -1 || (f = zip_fopen(z, name, 0)) ==
	    NULL)
		fail_msg("%s: no part %s", path, name);
	data = xmalloc((size_t)st.size + 1);
	if (zip_fread(f, data, st.size) != (zip_int64_t)st.size)
		fail_msg("%s: cannot read %s", path, name);
	data[st.size] = '\0';
	zip_fclose(f);
	zip_close(z);
	*len = (size_t)st.size;
	return data;
}

static char *
tmp_path(void)
{
	const char *dir = getenv("TMPDIR");
	char	   *p;
	int	    fd;

	p = xasprintf("%s/otklik-test-export.XXXXXX",
	    dir != NULL && *dir != '\0' ? dir : "/tmp");
	fd = mkstemp(p);
	assert_true(fd != -1);
	close(fd);
	return p;
}

static void
test_xlsx_demo(void **state)
{
	static const char *parts[] = {
		"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
		"xl/workbook.xml",
	};
	struct registry	   r;
	struct export_meta m;
	struct buf	   one, two;
	struct err	   e;
	char		  *p1, *p2, *x, *gname;
	size_t		   len, i;

	(void)state;
	build(&r, demo, nitems(demo));
	demo_meta(&m, 0);
	p1 = tmp_path();
	p2 = tmp_path();
	err_clear(&e);
	assert_int_equal(registry_export_xlsx(&r, &m, p1, &e), 0);
	assert_int_equal(registry_export_xlsx(&r, &m, p2, &e), 0);

	/* The same version gives the same file. */
	buf_init(&one, BUF_MAX_DEFAULT);
	buf_init(&two, BUF_MAX_DEFAULT);
	assert_int_equal(buf_read_file(&one, p1, &e), 0);
	assert_int_equal(buf_read_file(&two, p2, &e), 0);
	assert_int_equal(one.len, two.len);
	assert_memory_equal(one.data, two.data, one.len);
	buf_free(&one);
	buf_free(&two);

	x = zip_part(p1, "xl/worksheets/sheet1.xml", &len);
	/* Title and version across the six columns. */
	assert_non_null(strstr(x, "<mergeCell ref=\"A1:F1\"/>"));
	assert_non_null(strstr(x, "<mergeCell ref=\"A2:F2\"/>"));
	/* Data from row 5: area 1 rows 5–8 (process 5–7, then one row),
	 * area 2 row 9 alone, area 3 rows 10–12 (process 10, 11–12). */
	assert_non_null(strstr(x, "<mergeCell ref=\"A5:A8\"/>"));
	assert_non_null(strstr(x, "<mergeCell ref=\"B5:B8\"/>"));
	assert_non_null(strstr(x, "<mergeCell ref=\"C5:C7\"/>"));
	assert_non_null(strstr(x, "<mergeCell ref=\"A10:A12\"/>"));
	assert_non_null(strstr(x, "<mergeCell ref=\"B10:B12\"/>"));
	assert_non_null(strstr(x, "<mergeCell ref=\"C11:C12\"/>"));
	assert_null(strstr(x, "<mergeCell ref=\"C8"));
	assert_null(strstr(x, "<mergeCell ref=\"A9"));
	assert_null(strstr(x, "<mergeCell ref=\"C10"));
	assert_non_null(strstr(x, "<mergeCells count=\"8\">"));
	/* N is a number over the merge: 1 in A5, 2 in A9, 3 in A10. */
	assert_non_null(strstr(x, "<c r=\"A5\" s=\""));
	assert_non_null(strstr(x, "<v>2</v>"));
	/* A4 landscape, one page wide, frozen under the header. */
	assert_non_null(strstr(x, "<pageSetUpPr fitToPage=\"1\"/>"));
	assert_non_null(strstr(x, "paperSize=\"9\""));
	assert_non_null(strstr(x, "orientation=\"landscape\""));
	assert_non_null(strstr(x, "fitToHeight=\"0\""));
	assert_non_null(strstr(x, "<pane ySplit=\"4\" topLeftCell=\"A5\""));
	assert_non_null(strstr(x, "<col min=\"5\" max=\"5\" width=\""));
	free(x);

	x = zip_part(p1, "xl/workbook.xml", &len);
	assert_non_null(strstr(x, "<definedName name=\"_xlnm.Print_Titles\" "
				  "localSheetId=\"0\">"));
	assert_non_null(strstr(x, "!$3:$4</definedName>"));
	assert_null(strstr(x, "_xlnm.Print_Area"));
	free(x);

	x = zip_part(p1, "xl/sharedStrings.xml", &len);
	for (i = 0; i < 6; i++)
		assert_non_null(strstr(x, registry_titles[i]));
	assert_non_null(strstr(x, "Перечень точек взаимодействия с клиентом — "
				  DEMO_ORG));
	assert_non_null(strstr(x, "Версия 3 от 22.10.2024"));
	assert_non_null(strstr(x, "Стенд \"Часто задаваемые вопросы\" "
				  "&amp; график приема"));
	assert_non_null(strstr(x, "цифровая точка"));
	free(x);

	x = zip_part(p1, "docProps/core.xml", &len);
	assert_non_null(strstr(x, "2024-10-22T12:00:00Z"));
	free(x);

	for (i = 0; i < nitems(parts); i++) {
		x = zip_part(p1, parts[i], &len);
		gname = xasprintf("registry-demo.xlsx.d/%s", parts[i]);
		golden(gname, x, len);
		free(gname);
		free(x);
	}
	unlink(p1);
	unlink(p2);
	free(p1);
	free(p2);
	registry_free(&r);
}

static void
test_xlsx_extended(void **state)
{
	struct registry	   r;
	struct export_meta m;
	struct err	   e;
	char		  *p, *x;
	size_t		   len, i;

	(void)state;
	build(&r, demo, nitems(demo));
	demo_meta(&m, 1);
	p = tmp_path();
	err_clear(&e);
	assert_int_equal(registry_export_xlsx(&r, &m, p, &e), 0);
	x = zip_part(p, "xl/sharedStrings.xml", &len);
	for (i = 0; i < REGISTRY_EXT_COLUMNS; i++)
		assert_non_null(strstr(x, registry_ext_titles[i]));
	assert_non_null(strstr(x, "Федеральный закон от 09.02.2009 N 8-ФЗ"));
	free(x);
	x = zip_part(p, "xl/worksheets/sheet1.xml", &len);
	assert_non_null(strstr(x, "<c r=\"U3\""));	/* column 21 */
	assert_null(strstr(x, "<c r=\"V3\""));
	free(x);
	/* Only the official form is printed. */
	x = zip_part(p, "xl/workbook.xml", &len);
	assert_non_null(strstr(x, "_xlnm.Print_Area"));
	assert_non_null(strstr(x, "!$A$1:$F$12</definedName>"));
	free(x);
	unlink(p);
	free(p);
	registry_free(&r);
}

static void
test_xlsx_cannot_create(void **state)
{
	struct registry	   r;
	struct export_meta m;
	struct err	   e;

	(void)state;
	build(&r, demo, 2);
	demo_meta(&m, 0);
	err_clear(&e);
	assert_int_equal(registry_export_xlsx(&r, &m,
	    "/nonexistent-dir/registry.xlsx", &e), -1);
	assert_int_equal(e.code, EXIT_CANTCREAT);
	assert_non_null(strstr(e.msg, "/nonexistent-dir/registry.xlsx"));
	registry_free(&r);
}

/* A text past Excel's limit for a cell: refused, naming the entry. */
static void
test_xlsx_too_long(void **state)
{
	struct registry	   r;
	struct export_meta m;
	struct err	   e;
	char		  *p, *big;

	(void)state;
	build(&r, demo, 3);
	big = xmalloc(40001);
	memset(big, 'x', 40000);
	big[40000] = '\0';
	set(&r.v[1].interaction, big);
	free(big);
	demo_meta(&m, 0);
	p = tmp_path();
	err_clear(&e);
	assert_int_equal(registry_export_xlsx(&r, &m, p, &e), -1);
	assert_int_equal(e.code, EXIT_DATAERR);
	assert_non_null(strstr(e.msg, "entry 2:"));
	assert_int_equal(access(p, F_OK), -1);	/* no half-made file left */
	free(p);
	registry_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_titles),
		cmocka_unit_test(test_html_demo),
		cmocka_unit_test(test_html_hostile),
		cmocka_unit_test(test_html_empty),
		cmocka_unit_test(test_html_limit),
		cmocka_unit_test(test_csv_exact),
		cmocka_unit_test(test_csv_demo),
		cmocka_unit_test(test_csv_extended),
		cmocka_unit_test(test_csv_limit),
		cmocka_unit_test(test_xlsx_demo),
		cmocka_unit_test(test_xlsx_extended),
		cmocka_unit_test(test_xlsx_cannot_create),
		cmocka_unit_test(test_xlsx_too_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

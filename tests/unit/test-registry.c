/*
 * Unit tests of the registry model: channel guesses, needs read from the
 * official form's text, the checks of R-REG-3, reading the form from a
 * table (same as above, short rows, problems), comparison and triggers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "otklik.h"
#include "registry.h"
#include "table.h"

static void
test_channel_guess(void **state)
{
	static const struct {
		const char  *name;
		enum channel ch;
	} t[] = {
		{"Электронная почта gkmser@bashkortostan.ru", CH_EMAIL},
		{"Телефон +7 (347) 218-15-87", CH_PHONE},
		{"Личный прием клиента в отделе кадровой и организационной "
		 "работы", CH_RECEPTION},
		{"Официальный интернет-сайт https://zakupki.bashkortostan.ru/",
		    CH_SITE},
		{"сайт министерства здравоохранения", CH_SITE},
		{"Система электронного делопроизводства (СЭДО)", CH_EDMS},
		{"Региональная система межведомственного электронного "
		 "документооборота", CH_EDMS},
		{"СЭД ДелоПРО", CH_EDMS},
		{"Платформа обратной связи", CH_POS},
		{"Участие в заседаниях комиссий", CH_COMMISSION},
		{"Чат-бот в мессенджере", CH_CHATBOT},
		{"Публичный чат в Telegram", CH_MESSENGER},
		{"Официальная страница ВКонтакте", CH_SOCIAL},
		{"Почтовый адрес: 690007, г. Владивосток", CH_POST},
		{"МФЦ «Мои документы»", CH_MFC},
		{"Информационный стенд в холле", CH_STAND},
		{"Рабочее место клиента", CH_WORKPLACE},
		{"Контакт-центр 122", CH_CALLCENTRE},
		{"Мобильное приложение «Госуслуги»", CH_APP},
		{"Что-то совсем иное", CH_OTHER},
	};
	size_t i;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		if (channel_guess(t[i].name) != t[i].ch)
			fail_msg("«%s»: guessed %s, expected %s", t[i].name,
			    channels[channel_guess(t[i].name)].code,
			    channels[t[i].ch].code);
	}
	assert_int_equal(channel_from_code("email"), CH_EMAIL);
	assert_int_equal(channel_from_code("fax"), -1);
}

static void
test_needs_from_text(void **state)
{
	static const struct {
		const char *text, *codes;
	} t[] = {
		{"Получение клиентом информации, получение клиентом "
		 "консультации", "info consult"},
		{"Получение клиентом информации, получение консультации. "
		 "Получение клиентом форм документов", "info consult forms"},
		{"Предоставление клиентом заявления. Ознакомление клиента с "
		 "приказом", "submit:application acquaint"},
		{"Предоставление объектов для осмотра", "inspect"},
		{"получение от клиента заявлений, служебных записок",
		    "submit:application submit:documents"},
		{"Предоставление обратной связи. Получение результата "
		 "рассмотрения обратной связи",
		    "result feedback feedback:result"},
		/* "форм" inside "информации" is not "forms". */
		{"Получение информации", "info"},
		{"Выдача пропусков", "other"},
		{"", ""},
	};
	size_t i;
	char  *s;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		s = needs_from_text(t[i].text);
		if (strcmp(s, t[i].codes) != 0)
			fail_msg("«%s»: %s, expected %s", t[i].text, s,
			    t[i].codes);
		free(s);
	}
	assert_non_null(needs_find("submit:documents"));
	assert_null(needs_find("teleport"));
	assert_true(needs_count() >= 14);
}

static struct reg_entry *
add(struct registry *r, const char *area, const char *process,
    const char *name, enum channel ch, const char *needs)
{
	struct reg_entry *x = registry_add(r);

	free(x->area);
	free(x->process);
	free(x->name);
	free(x->needs);
	x->area = xstrdup(area);
	x->process = xstrdup(process);
	x->name = xstrdup(name);
	x->needs = xstrdup(needs);
	x->channel = ch;
	x->kind = channels[ch].kind;
	x->is_key = channels[ch].key;
	x->pos = (int)r->n;
	return x;
}

/* Runs the checks and looks for one finding by rule and level. */
static int
has(const struct reg_findings *f, const char *rule, enum finding_level l)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->v[i].rule, rule) == 0 && f->v[i].level == l)
			return 1;
	return 0;
}

static void
test_checks(void **state)
{
	struct registry	    r = {0};
	struct reg_findings f;

	(void)state;
	add(&r, "A", "P1", "Электронная почта a@b.ru", CH_EMAIL, "info");
	add(&r, "A", "P1", "Телефон 1", CH_PHONE, "consult");
	registry_check(&r, &f);
	assert_int_equal(f.n, 0);
	findings_free(&f);

	/* Duplicates within a process, case and spaces aside. */
	add(&r, "A", "P1", "ТЕЛЕФОН  1", CH_PHONE, "info");
	free(r.v[2].name);
	r.v[2].name = xstrdup("ТЕЛЕФОН 1");
	registry_check(&r, &f);
	assert_true(has(&f, "no-duplicates", FIND_ERROR));
	assert_int_equal(f.errors, 1);
	assert_non_null(strstr(f.v[0].msg, "repeats entry 2"));
	findings_free(&f);
	/* The same name in another process is fine. */
	free(r.v[2].process);
	r.v[2].process = xstrdup("P2");
	registry_check(&r, &f);
	assert_false(has(&f, "no-duplicates", FIND_ERROR));
	/* P2 has only an offline touchpoint. */
	assert_true(has(&f, "digital-preferred", FIND_WARNING));
	findings_free(&f);

	/* Missing needs and fields; an area without a key touchpoint. */
	add(&r, "B", "P3", "Стенд", CH_STAND, "");
	add(&r, "B", "", "Сайт", CH_SITE, "info");
	r.v[4].is_key = 0;
	registry_check(&r, &f);
	assert_true(has(&f, "needs-declared", FIND_ERROR));
	assert_true(has(&f, "required-fields", FIND_ERROR));
	assert_true(has(&f, "key-touchpoint", FIND_ERROR));
	assert_int_equal(f.errors, 3);
	findings_free(&f);

	/* Only digital; only the final goal. */
	registry_free(&r);
	add(&r, "C", "P", "Портал", CH_SITE, "submit:application result");
	registry_check(&r, &f);
	assert_true(has(&f, "offline-alternative", FIND_WARNING));
	assert_true(has(&f, "not-only-final-goal", FIND_HINT));
	assert_int_equal(f.errors, 0);
	findings_free(&f);
	registry_free(&r);
}

/* A table as the readers make it, from rows of up to 7 cells. */
static void
make_table(struct table *t, const char *rows[][7], size_t n)
{
	struct err e;
	size_t	   i, c;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < n; i++) {
		for (c = 0; c < 7 && rows[i][c] != NULL; c++)
			;
		assert_int_equal(table_add_row(t, (long)i + 1, rows[i], NULL,
				     c, &e), 0);
	}
}

static void
test_from_table(void **state)
{
	const char *rows[][7] = {
		{"Перечень точек взаимодействия", NULL},
		{"N", "Направление деятельности органа власти",
		    "Наименование конкретного процесса", "Точка взаимодействия",
		    "Осуществляемое взаимодействие с клиентом",
		    "Особенности взаимодействия с клиентом", NULL},
		{"1", "2", "3", "4", "5", "6", NULL},
		{"1", "Кадры", "Прием", "Электронная почта hr@x.ru",
		    "Получение информации", "цифровая точка", NULL},
		{"", "", "", "Телефон 1", NULL},
		{"", "", "Увольнение", "Личный прием", "Получение консультации",
		    "офлайн точка", NULL},
		{"", "", "", "", "", "", NULL},
		{"", "", "", "Сайт", "Получение информации", "офлайн точка",
		    NULL},
	};
	struct import_opts   io = {CLIENT_INTERNAL};
	struct import_report rep;
	struct registry	     r;
	struct table	     t;

	(void)state;
	make_table(&t, rows, nitems(rows));
	assert_int_equal(registry_from_table(&t, &io, &r, &rep), 0);
	assert_int_equal(rep.rows_read, 4);
	assert_int_equal(r.n, 4);
	/* Same as above: area, process, and columns 5-6 within a process. */
	assert_string_equal(r.v[1].area, "Кадры");
	assert_string_equal(r.v[1].process, "Прием");
	assert_string_equal(r.v[1].interaction, "Получение информации");
	assert_string_equal(r.v[1].needs, "info");
	assert_int_equal(r.v[1].channel, CH_PHONE);
	/* Column 6 says "цифровая": the phone row inherited it, explicitly. */
	assert_int_equal(r.v[1].kind, KIND_DIGITAL);
	assert_true(r.v[1].kind_explicit);
	assert_string_equal(r.v[2].process, "Увольнение");
	assert_string_equal(r.v[3].process, "Увольнение");
	/* A site said to be offline by its features is so, explicitly. */
	assert_int_equal(r.v[3].kind, KIND_OFFLINE);
	assert_true(r.v[3].kind_explicit);
	assert_int_equal(r.v[0].client, CLIENT_INTERNAL);
	assert_true(r.v[0].pos < r.v[3].pos);
	registry_free(&r);
	import_report_free(&rep);
	table_free(&t);
}

static void
test_from_table_problems(void **state)
{
	const char *rows[][7] = {
		{"Направление деятельности", "Наименование конкретного процесса",
		    "Точка взаимодействия", "Тип канала", "Потребности",
		    "Ключевая", NULL},
		{"", "P", "Телефон", NULL},
		{"A", "P", "", "phone", NULL},
		{"A", "P", "Почта", "fax", NULL},
		{"A", "P", "Почта", "email", "info teleport", "может быть", NULL},
		{"A", "P", "Почта", "email", "info", "1", "лишнее"},
	};
	const char *nohdr[][7] = {
		{"a", "b", NULL},
		{"c", "d", NULL},
	};
	struct import_report rep;
	struct registry	     r;
	struct table	     t;

	(void)state;
	make_table(&t, rows, nitems(rows));
	assert_int_equal(registry_from_table(&t, NULL, &r, &rep), -1);
	assert_int_equal(rep.n, 6);
	assert_int_equal(rep.v[0].line, 2);
	assert_int_equal(rep.v[0].col, 1);
	assert_non_null(strstr(rep.v[0].msg, "no area"));
	assert_int_equal(rep.v[1].line, 3);
	assert_int_equal(rep.v[1].col, 3);
	assert_non_null(strstr(rep.v[1].msg, "no touchpoint"));
	assert_int_equal(rep.v[2].col, 4);
	assert_non_null(strstr(rep.v[2].msg, "«fax» is not a channel type"));
	assert_int_equal(rep.v[3].col, 5);
	assert_non_null(strstr(rep.v[3].msg, "teleport"));
	assert_int_equal(rep.v[4].col, 6);
	assert_int_equal(rep.v[5].line, 6);
	assert_int_equal(rep.v[5].col, 7);
	registry_free(&r);
	import_report_free(&rep);
	table_free(&t);

	make_table(&t, nohdr, nitems(nohdr));
	assert_int_equal(registry_from_table(&t, NULL, &r, &rep), -1);
	assert_int_equal(rep.n, 1);
	assert_non_null(strstr(rep.v[0].msg, "no header row"));
	registry_free(&r);
	import_report_free(&rep);
	table_free(&t);
}

static void
test_diff_triggers(void **state)
{
	struct registry	  a = {0}, b = {0};
	struct reg_diff	  d;
	struct reg_entry *x;

	(void)state;
	x = add(&a, "A", "P", "Почта", CH_EMAIL, "info");
	x->id = 1;
	x = add(&a, "A", "P", "Телефон", CH_PHONE, "consult");
	x->id = 2;
	x = add(&a, "A", "P", "Стенд", CH_STAND, "info");
	x->id = 3;
	x = add(&b, "A", "P", "Почта", CH_POS, "info");
	x->id = 1;
	x = add(&b, "A", "P", "Телефон", CH_PHONE, "consult info");
	x->id = 2;
	x->pos = a.v[1].pos;
	x = add(&b, "A", "P", "Сайт", CH_SITE, "info");
	x->id = 4;
	b.v[0].pos = a.v[0].pos;
	b.v[0].is_key = a.v[0].is_key;	/* a change of channel alone */

	assert_int_equal(registry_triggers(&a.v[0], &b.v[0]), TRIG_KIND);
	assert_int_equal(registry_triggers(&a.v[1], &b.v[1]), TRIG_NEEDS);
	assert_int_equal(registry_triggers(&a.v[0], &a.v[0]), 0);

	registry_diff(&a, &b, &d);
	assert_int_equal(d.n, 4);
	assert_int_equal(d.v[0].op, '~');
	assert_string_equal(d.v[0].fields, "channel");
	assert_int_equal(d.v[1].op, '~');
	assert_string_equal(d.v[1].fields, "needs");
	assert_int_equal(d.v[2].op, '+');
	assert_int_equal(d.v[2].b->id, 4);
	assert_int_equal(d.v[3].op, '-');
	assert_int_equal(d.v[3].a->id, 3);
	reg_diff_free(&d);
	registry_free(&a);
	registry_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_channel_guess),
		cmocka_unit_test(test_needs_from_text),
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_from_table),
		cmocka_unit_test(test_from_table_problems),
		cmocka_unit_test(test_diff_triggers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

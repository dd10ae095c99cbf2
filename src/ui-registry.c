/*
 * The staff pages of the registry of touchpoints (R-REG-1…8 in the
 * browser): the organization's front page with the publication deadlines,
 * browsing and searching the registry, one touchpoint with its history,
 * the form that drafts an addition or a change with the checks of R-REG-3
 * shown beside the field each concerns, the changes and their workflow,
 * versions and a side-by-side comparison, the upload of the official form
 * with a preview before anything is written, the downloads, and the record
 * of a publication.  The pages do what the registry commands do, through
 * the same functions of registry.h; every state change is a POST answered
 * by a redirect to a page that shows the result.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "otklik.h"
#include "db.h"
#include "html.h"
#include "http.h"
#include "org.h"
#include "registry.h"
#include "routes.h"
#include "session.h"
#include "table.h"
#include "ui.h"

/* An upload waits this long for its confirmation. */
#define PENDING_IMPORT_TTL (60 * 60)

/* Where a page sits in the section's navigation. */
enum section { S_FRONT, S_ENTRIES, S_CHANGES, S_VERSIONS, S_IMPORT, S_CASES,
	S_SURVEYS };

/*
 * Common helpers: paths, roles, errors, words.
 */

/* Does the signed-in person hold the role here (NULL: any role)? */
static int
holds(struct req *r, const char *role)
{
	return r->session != NULL && r->org != NULL &&
	    session_has_role(r->db, r->session, r->org->id, role);
}

/* DD.MM.YYYY of a moment, in the organization's zone. */
static void
day_of(const struct req *r, int64_t t, char out[11])
{
	date_format_ru(date_local(t, r->org->tz), out);
}

static const char *
plural(const struct req *r, long n, const char *one, const char *few,
    const char *many, const char *en_one, const char *en_many)
{
	return L(r, ui_plural_ru(n, one, few, many),
	    n == 1 || n == -1 ? en_one : en_many);
}

static const char *
kind_title(const struct req *r, enum tp_kind k)
{
	return k == KIND_DIGITAL ? L(r, "цифровая", "digital")
				 : L(r, "офлайн", "offline");
}

static const char *
client_title(const struct req *r, enum client c)
{
	return c == CLIENT_INTERNAL ? L(r, "внутренний", "internal")
				    : L(r, "внешний", "external");
}

static const char *
basis_title(const struct req *r, enum basis b)
{
	switch (b) {
	case BASIS_NORMATIVE:
		return L(r, "нормативный правовой акт", "a normative act");
	case BASIS_INTERNAL:
		return L(r, "внутренний акт", "an internal act");
	case BASIS_CONTRACT:
		return L(r, "договор, соглашение", "a contract or agreement");
	case BASIS_DIRECTIVE:
		return L(r, "распорядительное действие (поручение, резолюция)",
		    "a directive (instruction, resolution)");
	default:
		return L(r, "не указано", "not given");
	}
}

static const char *
channel_title(const struct req *r, enum channel ch)
{
	return L(r, channels[ch].title_ru, channels[ch].title_en);
}

static const char *
state_title(const struct req *r, enum change_state s)
{
	switch (s) {
	case ST_DRAFT:
		return L(r, "черновик", "draft");
	case ST_SUBMITTED:
		return L(r, "на проверке", "submitted");
	case ST_RETURNED:
		return L(r, "возвращено", "returned");
	case ST_INCLUDED:
		return L(r, "включено", "included");
	default:
		return L(r, "отозвано", "withdrawn");
	}
}

static const char *
op_title(const struct req *r, enum change_op op)
{
	switch (op) {
	case OP_ADD:
		return L(r, "добавление", "addition");
	case OP_CHANGE:
		return L(r, "изменение", "change");
	default:
		return L(r, "исключение", "exclusion");
	}
}

/* The actualization triggers in words [000 §18, 001 §5.2]. */
static void
triggers_text(const struct req *r, int t, struct buf *b)
{
	static const struct {
		int	    bit;
		const char *ru, *en;
	} names[] = {
		{TRIG_NEW, "появление новой точки", "a new touchpoint"},
		{TRIG_KIND, "изменение вида точки", "a change of its kind"},
		{TRIG_NEEDS, "изменение удовлетворяемых потребностей",
		    "a change of the needs served"},
		{TRIG_EXCLUSION, "исключение точки", "an exclusion"},
		{TRIG_EDIT, "иные исправления", "other corrections"},
	};
	size_t i;

	for (i = 0; i < nitems(names); i++) {
		if (!(t & names[i].bit))
			continue;
		if (b->len > 0)
			buf_puts(b, "; ");
		buf_puts(b, L(r, names[i].ru, names[i].en));
	}
}

/* The section's navigation, with the current page marked. */
static void
subnav(struct req *r, struct html *h, enum section cur)
{
	static const struct {
		enum section s;
		const char  *path, *ru, *en, *role;
	} items[] = {
		{S_FRONT, "/", "Главная", "Overview", NULL},
		{S_ENTRIES, "/registry/entries", "Перечень", "Registry", NULL},
		{S_CHANGES, "/registry/changes", "Изменения", "Changes", NULL},
		{S_VERSIONS, "/registry/versions", "Версии", "Versions", NULL},
		{S_IMPORT, "/registry/import", "Загрузка из файла",
		    "Upload", "officer"},
		/* The other work of the organization (ui-feedback.c). */
		{S_CASES, "/cases", "Обращения", "Cases", "operator"},
		/* Surveys (ui-survey.c): any staff member may look. */
		{S_SURVEYS, "/surveys", "Анкеты", "Surveys", NULL},
	};
	size_t i;
	char  *p;

	html_open(h, "nav", "class", "subnav", "aria-label",
	    L(r, "Разделы", "Sections"), NULL);
	html_open(h, "ul", NULL);
	for (i = 0; i < nitems(items); i++) {
		if (items[i].role != NULL && !holds(r, items[i].role))
			continue;
		p = ui_opath(r, "%s", items[i].path);
		html_open(h, "li", NULL);
		html_elem(h, "a", L(r, items[i].ru, items[i].en), "href", p,
		    "aria-current", items[i].s == cur ? "page" : NULL, NULL);
		html_close(h);
		free(p);
	}
	html_close(h);
	html_close(h);
}

/* What a form did, shown after its redirect; only these fixed texts. */
static const struct {
	const char *code, *ru, *en;
} notices[] = {
	{"draft", "Черновик сохранён. Ниже — проверки перечня с этим "
		  "изменением.",
	    "The draft is saved. Below are the checks of the registry with "
	    "this change."},
	{"exclude", "Черновик исключения сохранён. Отправьте его на "
		    "проверку.",
	    "The draft of the exclusion is saved. Submit it for "
	    "verification."},
	{"submitted", "Изменение отправлено на проверку уполномоченному "
		      "лицу.",
	    "The change is submitted to the registry officer."},
	{"included", "Изменение включено в перечень: создана новая версия.",
	    "The change is included: a new version of the registry is made."},
	{"returned", "Изменение возвращено автору с комментарием.",
	    "The change is returned to its author with a comment."},
	{"published", "Публикация записана.", "The publication is recorded."},
	{"imported", "Перечень загружен из файла: создана новая версия.",
	    "The registry is loaded from the file: a new version is made."},
	{"unchanged", "Файл совпадает с перечнем: новая версия не нужна.",
	    "The file matches the registry: no new version was needed."},
	{"cancelled", "Загрузка отменена, файл удалён.",
	    "The upload is cancelled and the file deleted."},
};

int
ui_reg_check_done(const char *v, char *why, size_t len)
{
	size_t i;

	for (i = 0; i < nitems(notices); i++)
		if (strcmp(v, notices[i].code) == 0)
			return 0;
	snprintf(why, len, "not a known result");
	return -1;
}

static void
notice(struct req *r, struct html *h)
{
	const char *done = req_param(r, "done"), *v = req_param(r, "v");
	size_t	    i;

	if (str_empty(done))
		return;
	for (i = 0; i < nitems(notices); i++)
		if (strcmp(done, notices[i].code) == 0)
			break;
	if (i == nitems(notices))
		return;
	html_open(h, "div", "class", "notice", "role", "status", NULL);
	html_open(h, "p", NULL);
	html_text(h, L(r, notices[i].ru, notices[i].en));
	if (!str_empty(v)) {
		html_text(h, " ");
		html_textf(h, "%s %s.", L(r, "Версия", "Version"), v);
	}
	html_close(h);
	html_close(h);
}

static void
page_begin(struct req *r, struct html *h, const char *title,
    enum section s)
{
	ui_begin(r, h, title);
	subnav(r, h, s);
}

/* A form with one button that posts to path. */
static void
button_form(struct req *r, struct html *h, const char *path,
    const char *label, const char *cls)
{
	html_open(h, "form", "method", "post", "action", path, "class",
	    "inline", NULL);
	ui_csrf(r, h);
	html_elem(h, "button", label, "type", "submit", "class", cls, NULL);
	html_close(h);
}

/* Validators of the parameters the route table declares for these pages. */
int
ui_reg_check_basis(const char *v, char *why, size_t len)
{
	if (strcmp(v, "normative") == 0 || strcmp(v, "internal") == 0 ||
	    strcmp(v, "contract") == 0 || strcmp(v, "directive") == 0)
		return 0;
	snprintf(why, len, "expected normative, internal, contract or "
			   "directive");
	return -1;
}

/*
 * Reads that registry.h does not offer yet: the organization's own needs
 * and the versions a touchpoint was in.  (They belong in registry_store.c
 * beside the rest of its SQL.)
 */

struct org_needs {
	char  **code, **title;
	size_t	n;
};

static void
org_needs_load(struct db *db, int64_t org_id, struct org_needs *on)
{
	struct db_stmt *s;

	memset(on, 0, sizeof(*on));
	s = db_prepare(db, "SELECT code, title FROM org_need WHERE org_id = ? "
			   "ORDER BY code", "i", org_id);
	if (s == NULL)
		return;
	while (db_step(s) == DB_ROW) {
		on->code = xreallocarray(on->code, on->n + 1, sizeof(char *));
		on->title = xreallocarray(on->title, on->n + 1, sizeof(char *));
		on->code[on->n] = db_col_dup(s, 0);
		on->title[on->n] = db_col_dup(s, 1);
		on->n++;
	}
	db_finalize(s);
}

static void
org_needs_free(struct org_needs *on)
{
	size_t i;

	for (i = 0; i < on->n; i++) {
		free(on->code[i]);
		free(on->title[i]);
	}
	free(on->code);
	free(on->title);
	memset(on, 0, sizeof(*on));
}

static const char *
need_title(const struct req *r, const struct org_needs *on, const char *code)
{
	const struct need *n = needs_find(code);
	size_t		   i;

	if (n != NULL)
		return L(r, n->title_ru, n->title_en);
	for (i = 0; on != NULL && i < on->n; i++)
		if (strcmp(on->code[i], code) == 0)
			return on->title[i];
	return code;
}

struct span {
	int64_t from, to;	/* versions from <= v < to; to 0: still in */
};

/* The ranges of versions a touchpoint was part of, oldest first. */
static int
history_load(struct db *db, int64_t org_id, int64_t tp, struct span **out)
{
	struct db_stmt *s;
	struct span    *v = NULL;
	int		n = 0;

	*out = NULL;
	s = db_prepare(db, "SELECT valid_from, valid_to FROM touchpoint_rev "
			   "WHERE org_id = ? AND touchpoint_id = ? AND "
			   "valid_from IS NOT NULL ORDER BY valid_from",
	    "ii", org_id, tp);
	if (s == NULL)
		return -1;
	while (db_step(s) == DB_ROW) {
		v = xreallocarray(v, (size_t)n + 1, sizeof(*v));
		v[n].from = db_col_int(s, 0);
		v[n].to = db_col_null(s, 1) ? 0 : db_col_int(s, 1);
		n++;
	}
	db_finalize(s);
	*out = v;
	return n;
}

/* How many changes are in each state, without loading them. */
static int
change_counts(struct db *db, int64_t org_id, int count[ST_WITHDRAWN + 1],
    struct err *e)
{
	struct db_stmt *s;
	int		st, step;

	memset(count, 0, sizeof(int) * (ST_WITHDRAWN + 1));
	s = db_prepare(db, "SELECT state, count(*) FROM registry_change WHERE "
			   "org_id = ? GROUP BY state", "i", org_id);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	while ((step = db_step(s)) == DB_ROW)
		if ((st = change_state_parse(db_col_text(s, 0))) >= 0)
			count[st] = (int)db_col_int(s, 1);
	db_finalize(s);
	if (step == DB_FAIL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	return 0;
}

/*
 * The fields of a touchpoint: their names in forms (and in
 * registry_diff()'s list of changed fields), their labels, the limits
 * the registry sets.
 */
enum field {
	F_AREA, F_PROCESS, F_NAME, F_CHANNEL, F_KIND, F_CLIENT, F_NEEDS,
	F_INTERACTION, F_FEATURES, F_PHONE, F_EMAIL, F_URL, F_ADDRESS,
	F_ROOM, F_UNIT, F_BASIS, F_BASIS_REF, F_KEY, F_LOW, F_NOTCOUNTED,
	F__COUNT
};

static const struct field_info {
	const char *name;
	const char *ru, *en;
	size_t	    limit;	/* bytes (registry_store.c's validate_entry) */
	int	    required;
} fields[F__COUNT] = {
	[F_AREA] = {"area", "Направление деятельности", "Area of activity",
	    2000, 1},
	[F_PROCESS] = {"process", "Наименование конкретного процесса",
	    "Process", 2000, 1},
	[F_NAME] = {"name", "Точка взаимодействия", "Touchpoint", 2000, 1},
	[F_CHANNEL] = {"channel", "Тип канала", "Channel type", 0, 0},
	[F_KIND] = {"kind", "Вид точки", "Kind of touchpoint", 0, 0},
	[F_CLIENT] = {"client", "Клиент", "Clients", 0, 0},
	[F_NEEDS] = {"needs", "Удовлетворяемые потребности клиента",
	    "Needs of the client served", 0, 0},
	[F_INTERACTION] = {"interaction",
	    "Осуществляемое взаимодействие с клиентом",
	    "Interaction with the client", 20000, 0},
	[F_FEATURES] = {"features", "Особенности взаимодействия с клиентом",
	    "Features of the interaction", 20000, 0},
	[F_PHONE] = {"phone", "Телефон", "Phone", 0, 0},
	[F_EMAIL] = {"email", "Электронная почта", "E-mail", 0, 0},
	[F_URL] = {"url", "Адрес в интернете", "Web address", 0, 0},
	[F_ADDRESS] = {"address", "Адрес", "Address", 0, 0},
	[F_ROOM] = {"room", "Кабинет", "Room", 0, 0},
	[F_UNIT] = {"unit", "Ответственное подразделение",
	    "Responsible unit", 0, 0},
	[F_BASIS] = {"basis", "Основание", "Basis", 0, 0},
	[F_BASIS_REF] = {"basis_ref", "Реквизиты основания",
	    "Reference of the basis", 0, 0},
	[F_KEY] = {"key", "Ключевая точка", "Key touchpoint", 0, 0},
	[F_LOW] = {"low_demand", "Маловостребованная точка",
	    "Low-demand touchpoint", 0, 0},
	[F_NOTCOUNTED] = {"not_counted",
	    "Учёт обращений не ведётся или невозможен",
	    "Appeals are not or cannot be counted", 0, 0},
};

static const char *
field_label(const struct req *r, enum field f)
{
	return L(r, fields[f].ru, fields[f].en);
}

static int
field_by_name(const char *name)
{
	int f;

	for (f = 0; f < F__COUNT; f++)
		if (strcmp(fields[f].name, name) == 0)
			return f;
	return -1;
}

static char *
opt_dup(const char *s)
{
	return xstrdup(s != NULL ? s : "");
}

/* A field of an entry as a person reads it (the caller frees). */
static char *
entry_value(const struct req *r, const struct org_needs *on,
    const struct reg_entry *x, enum field f)
{
	struct buf  b;
	char	   *copy, *tok, *save = NULL;

	switch (f) {
	case F_AREA:
		return xstrdup(x->area);
	case F_PROCESS:
		return xstrdup(x->process);
	case F_NAME:
		return xstrdup(x->name);
	case F_CHANNEL:
		return xstrdup(channel_title(r, x->channel));
	case F_KIND:
		return x->kind_explicit
		    ? xasprintf("%s (%s)", kind_title(r, x->kind),
			  L(r, "указан вручную", "set by hand"))
		    : xstrdup(kind_title(r, x->kind));
	case F_CLIENT:
		return xstrdup(client_title(r, x->client));
	case F_NEEDS:
		buf_init(&b, BUF_MAX_DEFAULT);
		copy = xstrdup(x->needs);
		for (tok = strtok_r(copy, " ,", &save); tok != NULL;
		     tok = strtok_r(NULL, " ,", &save)) {
			if (b.len > 0)
				buf_putc(&b, '\n');
			buf_puts(&b, need_title(r, on, tok));
		}
		free(copy);
		return buf_detach(&b);
	case F_INTERACTION:
		return xstrdup(x->interaction);
	case F_FEATURES:
		return xstrdup(x->features);
	case F_PHONE:
		return opt_dup(x->phone);
	case F_EMAIL:
		return opt_dup(x->email);
	case F_URL:
		return opt_dup(x->url);
	case F_ADDRESS:
		return opt_dup(x->address);
	case F_ROOM:
		return opt_dup(x->room);
	case F_UNIT:
		return opt_dup(x->unit);
	case F_BASIS:
		return x->basis == BASIS_NONE ? xstrdup("")
					      : xstrdup(basis_title(r, x->basis));
	case F_BASIS_REF:
		return opt_dup(x->basis_ref);
	case F_KEY:
		return xstrdup(x->is_key ? L(r, "да", "yes") : L(r, "нет", "no"));
	case F_LOW:
		return xstrdup(x->low_demand ? L(r, "да", "yes")
					     : L(r, "нет", "no"));
	default:
		return xstrdup(x->not_counted ? L(r, "да", "yes")
					      : L(r, "нет", "no"));
	}
}

/*
 * Findings of R-REG-3 and where they belong: each is placed at the field
 * of the entry being edited that it concerns (needs-declared → needs,
 * required-fields → the empty field, no-duplicates → name, key-touchpoint
 * → the key flag, the process warnings → process), or listed apart when
 * it concerns another entry.
 */

static const struct {
	const char *rule, *ru;
} rule_texts[] = {
	{"required-fields", "не заполнено обязательное поле: у каждой записи "
			    "есть направление деятельности, процесс и точка "
			    "взаимодействия"},
	{"needs-declared", "не указаны удовлетворяемые потребности: отметьте, "
			   "что клиент получает в этой точке"},
	{"no-duplicates", "точка повторяется в том же процессе: укажите её "
			  "один раз со всеми потребностями"},
	{"key-touchpoint", "в направлении деятельности нет ключевой точки: "
			   "отметьте те, через которые клиенты обращаются "
			   "чаще всего"},
	{"digital-preferred", "в процессе только офлайн-точки: предпочтительны "
			      "цифровые каналы"},
	{"offline-alternative", "в процессе только цифровые точки: сохраните "
				"офлайн-альтернативу для клиентов, которым она "
				"нужна"},
	{"not-only-final-goal", "точки процесса служат только конечной цели "
				"(подать заявление, получить результат): "
				"избегайте формализма, укажите, где клиент "
				"получает информацию, консультации и формы"},
};

static const char *
finding_msg(const struct req *r, const struct reg_finding *f)
{
	size_t i;

	for (i = 0; i < nitems(rule_texts); i++)
		if (strcmp(rule_texts[i].rule, f->rule) == 0)
			return L(r, rule_texts[i].ru, f->msg);
	return f->msg;
}

static const char *
level_title(const struct req *r, enum finding_level l)
{
	switch (l) {
	case FIND_ERROR:
		return L(r, "Ошибка", "Error");
	case FIND_WARNING:
		return L(r, "Предупреждение", "Warning");
	default:
		return L(r, "Подсказка", "Hint");
	}
}

static const char *
level_class(enum finding_level l)
{
	return l == FIND_ERROR ? "finding finding-error"
	    : l == FIND_WARNING ? "finding finding-warning"
				: "finding finding-hint";
}

static int
rule_is(const struct reg_finding *f, const char *rule)
{
	return strcmp(f->rule, rule) == 0;
}

static int
group_rule(const struct reg_finding *f)
{
	return rule_is(f, "key-touchpoint") ||
	    rule_is(f, "digital-preferred") ||
	    rule_is(f, "offline-alternative") ||
	    rule_is(f, "not-only-final-goal");
}

struct placed {
	struct reg_findings found;
	int		   *field;	/* per finding: a field, or -1 */
	char		  **where;	/* per finding: the place, in words */
	int		    ran;	/* the checks ran */
};

static void
placed_free(struct placed *p)
{
	size_t i;

	for (i = 0; i < p->found.n; i++)
		free(p->where[i]);
	free(p->where);
	free(p->field);
	findings_free(&p->found);
	memset(p, 0, sizeof(*p));
}

/* The field of x that a finding on registry reg concerns, or -1. */
static int
finding_field(const struct reg_finding *f, const struct registry *reg,
    const struct reg_entry *x)
{
	const struct reg_entry *at;

	if (x == NULL || reg == NULL || f->entry < 0 ||
	    (size_t)f->entry >= reg->n)
		return -1;
	at = &reg->v[f->entry];
	if (rule_is(f, "key-touchpoint"))
		return strcmp(at->area, x->area) == 0 ? F_KEY : -1;
	if (group_rule(f))
		return strcmp(at->area, x->area) == 0 &&
			strcmp(at->process, x->process) == 0
		    ? F_PROCESS
		    : -1;
	if (at->id != x->id)
		return -1;
	if (rule_is(f, "needs-declared"))
		return F_NEEDS;
	if (rule_is(f, "no-duplicates"))
		return F_NAME;
	if (rule_is(f, "required-fields"))
		return str_empty(at->area) ? F_AREA
		    : str_empty(at->process) ? F_PROCESS
					     : F_NAME;
	return -1;
}

static char *
finding_where(const struct req *r, const struct reg_finding *f,
    const struct registry *reg)
{
	const struct reg_entry *at;

	if (reg == NULL || f->entry < 0 || (size_t)f->entry >= reg->n)
		return xstrdup(f->where != NULL ? f->where : "");
	at = &reg->v[f->entry];
	if (rule_is(f, "key-touchpoint"))
		return xasprintf("%s «%s»", L(r, "Направление", "Area"),
		    at->area);
	if (group_rule(f))
		return xasprintf("%s «%s» (%s)", L(r, "Процесс", "Process"),
		    at->process, at->area);
	return xasprintf("«%s» (%s / %s)", at->name, at->area, at->process);
}

/*
 * Places the findings (taken over into p) of registry reg for entry x
 * (NULL: none is edited; all are listed apart).
 */
static void
place(const struct req *r, struct placed *p, struct reg_findings *found,
    const struct registry *reg, const struct reg_entry *x)
{
	size_t i;

	p->found = *found;
	memset(found, 0, sizeof(*found));
	p->field = xcalloc(p->found.n + 1, sizeof(*p->field));
	p->where = xcalloc(p->found.n + 1, sizeof(*p->where));
	for (i = 0; i < p->found.n; i++) {
		p->field[i] = finding_field(&p->found.v[i], reg, x);
		p->where[i] = finding_where(r, &p->found.v[i], reg);
	}
	p->ran = 1;
}

/* Whether two runs of the checks found the same things at the same
 * places. */
static int
same_findings(const struct reg_findings *a, const struct reg_findings *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].rule, b->v[i].rule) != 0 ||
		    a->v[i].entry != b->v[i].entry)
			return 0;
	return 1;
}

/* The registry as a change would make it (what registry_verify checks). */
static int
registry_with(struct db *db, const struct org *o, const struct reg_change *c,
    struct registry *next, struct err *e)
{
	size_t i;

	if (registry_load(db, o->id, 0, next, e) != 0)
		return -1;
	for (i = 0; i < next->n && next->v[i].id != c->touchpoint_id; i++)
		;
	if (c->op == OP_ADD)
		reg_entry_copy(registry_add(next), &c->entry);
	else if (i < next->n && c->op == OP_CHANGE)
		reg_entry_copy(&next->v[i], &c->entry);
	else if (i < next->n) {
		reg_entry_clear(&next->v[i]);
		memmove(&next->v[i], &next->v[i + 1],
		    (next->n - i - 1) * sizeof(*next->v));
		next->n--;
	}
	registry_sort(next);
	return 0;
}

/*
 * The checks of the registry with change c (registry_verify), placed at
 * the fields of its entry.  Placing needs the registry they ran on, which
 * is rebuilt here; should it not give the same findings, nothing is
 * placed and all are listed apart rather than shown at a wrong field.
 */
static int
verify_placed(struct req *r, const struct reg_change *c, struct placed *p,
    struct err *e)
{
	struct reg_findings found, mine;
	struct registry	    next;
	int		    same;

	memset(p, 0, sizeof(*p));
	if (registry_verify(r->db, r->org, c->id, &found, e) != 0)
		return -1;
	if (registry_with(r->db, r->org, c, &next, e) != 0) {
		findings_free(&found);
		return -1;
	}
	registry_check(&next, &mine);
	same = same_findings(&found, &mine);
	findings_free(&mine);
	place(r, p, &found, same ? &next : NULL,
	    same && c->op != OP_EXCLUDE ? &c->entry : NULL);
	registry_free(&next);
	return 0;
}

static void
finding_render(struct req *r, struct html *h, const struct reg_finding *f,
    const char *where, const char *id)
{
	char rule[256];

	html_open(h, "p", "class", level_class(f->level), "id", id, NULL);
	html_open(h, "strong", NULL);
	html_text(h, level_title(r, f->level));
	html_text(h, ":");
	html_close(h);
	html_text(h, " ");
	if (where != NULL && *where != '\0') {
		html_text(h, where);
		html_text(h, " — ");
	}
	html_text(h, finding_msg(r, f));
	snprintf(rule, sizeof(rule), " [%s %s, %s]",
	    L(r, "правило", "rule"), f->rule, f->seed);
	html_elem(h, "span", rule, "class", "rule", NULL);
	html_close(h);
}

static void
counts_text(const struct req *r, const struct reg_findings *f, struct buf *b)
{
	buf_printf(b, "%d %s, %d %s, %d %s", f->errors,
	    plural(r, f->errors, "ошибка", "ошибки", "ошибок", "error",
		"errors"),
	    f->warnings,
	    plural(r, f->warnings, "предупреждение", "предупреждения",
		"предупреждений", "warning", "warnings"),
	    f->hints,
	    plural(r, f->hints, "подсказка", "подсказки", "подсказок", "hint",
		"hints"));
}

/*
 * The findings not placed at a field: all of them when only_apart is 0.
 */
static void
findings_list(struct req *r, struct html *h, const struct placed *p,
    int only_apart)
{
	char   id[32];
	size_t i;
	int    any = 0;

	for (i = 0; i < p->found.n; i++) {
		if (only_apart && p->field[i] >= 0)
			continue;
		if (!any)
			html_open(h, "div", "class", "findings", NULL);
		any = 1;
		snprintf(id, sizeof(id), "finding-%zu", i);
		finding_render(r, h, &p->found.v[i], p->where[i], id);
	}
	if (any)
		html_close(h);
}

/* The summary of a run of the checks, with those not placed. */
static void
checks_summary(struct req *r, struct html *h, const struct placed *p,
    const char *heading_ru, const char *heading_en, int placed_any)
{
	struct buf b;

	html_open(h, "section", "class", "checks", "aria-labelledby",
	    "checks-title", NULL);
	html_elem(h, "h2", L(r, heading_ru, heading_en), "id", "checks-title",
	    NULL);
	buf_init(&b, 4096);
	counts_text(r, &p->found, &b);
	buf_puts(&b, ". ");
	if (p->found.errors > 0)
		buf_puts(&b, L(r, "Ошибки не дают включить изменение в перечень.",
				 "Errors block the inclusion."));
	else
		buf_puts(&b, L(r, "Ошибок нет: изменение можно включить.",
				 "No errors: the change can be included."));
	if (placed_any)
		buf_puts(&b, L(r, " Замечания к этой точке показаны рядом с "
				  "полями, которых они касаются.",
				  " Findings about this touchpoint are shown "
				  "next to the fields they concern."));
	html_elem(h, "p", buf_str(&b), NULL);
	buf_free(&b);
	findings_list(r, h, p, placed_any);
	html_close(h);
}

static int
placed_at_fields(const struct placed *p)
{
	size_t i;

	for (i = 0; p->ran && i < p->found.n; i++)
		if (p->field[i] >= 0)
			return 1;
	return 0;
}

/*
 * The form of a touchpoint: values kept as text exactly as shown, so a
 * form that comes back with errors shows what was typed.
 */
struct form {
	char *v[F__COUNT];
	char *err[F__COUNT];	/* what is wrong with a field, or NULL */
	int   nerr;
};

static void
form_free(struct form *fm)
{
	int i;

	for (i = 0; i < F__COUNT; i++) {
		free(fm->v[i]);
		free(fm->err[i]);
	}
	memset(fm, 0, sizeof(*fm));
}

static void
form_blank(struct form *fm)
{
	int i;

	memset(fm, 0, sizeof(*fm));
	for (i = 0; i < F__COUNT; i++)
		fm->v[i] = xstrdup("");
	free(fm->v[F_CLIENT]);
	fm->v[F_CLIENT] = xstrdup("external");
}

static void
form_from_entry(struct form *fm, const struct reg_entry *x)
{
	form_blank(fm);
#define SET(f, s)                     \
	do {                          \
		free(fm->v[f]);       \
		fm->v[f] = opt_dup(s); \
	} while (0)
	SET(F_AREA, x->area);
	SET(F_PROCESS, x->process);
	SET(F_NAME, x->name);
	SET(F_CHANNEL, channels[x->channel].code);
	SET(F_KIND, x->kind_explicit ? kind_code(x->kind) : "");
	SET(F_CLIENT, client_code(x->client));
	SET(F_NEEDS, x->needs);
	SET(F_INTERACTION, x->interaction);
	SET(F_FEATURES, x->features);
	SET(F_PHONE, x->phone);
	SET(F_EMAIL, x->email);
	SET(F_URL, x->url);
	SET(F_ADDRESS, x->address);
	SET(F_ROOM, x->room);
	SET(F_UNIT, x->unit);
	SET(F_BASIS, basis_code(x->basis));
	SET(F_BASIS_REF, x->basis_ref);
	SET(F_KEY, x->is_key ? "1" : "0");
	SET(F_LOW, x->low_demand ? "1" : "");
	SET(F_NOTCOUNTED, x->not_counted ? "1" : "");
#undef SET
}

static void
form_from_request(struct req *r, struct form *fm)
{
	int i;

	memset(fm, 0, sizeof(*fm));
	for (i = 0; i < F__COUNT; i++)
		fm->v[i] = opt_dup(req_param(r, fields[i].name));
}

static void
form_error(struct form *fm, enum field f, const char *msg)
{
	if (fm->err[f] != NULL)
		return;
	fm->err[f] = xstrdup(msg);
	fm->nerr++;
}

/* The need codes of a form, one space between, each once. */
static char *
needs_normal(const char *v)
{
	struct buf  b;
	char	   *copy = xstrdup(v), *tok, *save = NULL;
	const char **seen = NULL;
	size_t	    n = 0, i;

	buf_init(&b, BUF_MAX_DEFAULT);
	for (tok = strtok_r(copy, " ,\t\r\n", &save); tok != NULL;
	     tok = strtok_r(NULL, " ,\t\r\n", &save)) {
		for (i = 0; i < n && strcmp(seen[i], tok) != 0; i++)
			;
		if (i < n)
			continue;
		seen = xreallocarray(seen, n + 1, sizeof(*seen));
		seen[n++] = tok;
		if (b.len > 0)
			buf_putc(&b, ' ');
		buf_puts(&b, tok);
	}
	free(seen);
	free(copy);
	return buf_detach(&b);
}

static void
set_text(char **dst, const char *v, int lines)
{
	free(*dst);
	*dst = lines ? str_squeeze_lines(v) : str_squeeze(v);
}

static void
set_opt(char **dst, const char *v)
{
	free(*dst);
	*dst = str_empty(v) ? NULL : str_squeeze(v);
}

/*
 * Reads the form into x (which holds the entry as it was, or a blank
 * one), as "otklik registry draft" reads its options: the channel is
 * guessed from the name when not chosen, the kind and the key flag follow
 * the channel unless set.  Errors go to the fields; returns their count.
 */
static int
form_to_entry(struct req *r, struct form *fm, struct reg_entry *x)
{
	struct err  e;
	const char *v;
	char	   *needs;
	int	    f, ch;

	for (f = F_AREA; f <= F_NAME; f++)
		if (str_empty(fm->v[f]))
			form_error(fm, f, L(r, "заполните это поле",
					      "fill in this field"));
	for (f = 0; f < F__COUNT; f++)
		if (fields[f].limit > 0 && strlen(fm->v[f]) > fields[f].limit)
			form_error(fm, f, f == F_INTERACTION ||
				f == F_FEATURES
				? L(r, "не длиннее 20 000 знаков",
				      "at most 20,000 characters")
				: L(r, "не длиннее 2 000 знаков",
				      "at most 2,000 characters"));
	set_text(&x->area, fm->v[F_AREA], 0);
	set_text(&x->process, fm->v[F_PROCESS], 0);
	set_text(&x->name, fm->v[F_NAME], 0);

	v = fm->v[F_CHANNEL];
	ch = *v != '\0' ? channel_from_code(v) : (int)channel_guess(x->name);
	x->channel = ch >= 0 ? (enum channel)ch : CH_OTHER;
	v = fm->v[F_KIND];
	if (*v == '\0') {
		x->kind = channels[x->channel].kind;
		x->kind_explicit = 0;
	} else {
		x->kind = strcmp(v, "digital") == 0 ? KIND_DIGITAL
						    : KIND_OFFLINE;
		x->kind_explicit = x->kind != channels[x->channel].kind;
	}
	x->client = strcmp(fm->v[F_CLIENT], "internal") == 0
	    ? CLIENT_INTERNAL
	    : CLIENT_EXTERNAL;

	needs = needs_normal(fm->v[F_NEEDS]);
	err_clear(&e);
	if (needs_validate(r->db, r->org->id, needs, &e) != 0)
		form_error(fm, F_NEEDS, L(r, "такой потребности нет в "
					     "перечне потребностей",
					     "a need not in the taxonomy"));
	free(fm->v[F_NEEDS]);
	fm->v[F_NEEDS] = xstrdup(needs);
	free(x->needs);
	x->needs = needs;

	set_text(&x->interaction, fm->v[F_INTERACTION], 1);
	set_text(&x->features, fm->v[F_FEATURES], 1);
	set_opt(&x->phone, fm->v[F_PHONE]);
	set_opt(&x->email, fm->v[F_EMAIL]);
	if (x->email != NULL && strchr(x->email, '@') == NULL)
		form_error(fm, F_EMAIL, L(r, "адрес электронной почты содержит "
					    "знак @",
					    "an e-mail address contains @"));
	set_opt(&x->url, fm->v[F_URL]);
	if (x->url != NULL && strncmp(x->url, "https://", 8) != 0 &&
	    strncmp(x->url, "http://", 7) != 0)
		form_error(fm, F_URL, L(r, "адрес начинается с https:// или "
					  "http://",
					  "the address starts with https:// or "
					  "http://"));
	set_opt(&x->address, fm->v[F_ADDRESS]);
	set_opt(&x->room, fm->v[F_ROOM]);
	set_opt(&x->unit, fm->v[F_UNIT]);
	v = fm->v[F_BASIS];
	x->basis = strcmp(v, "normative") == 0 ? BASIS_NORMATIVE
	    : strcmp(v, "internal") == 0      ? BASIS_INTERNAL
	    : strcmp(v, "contract") == 0      ? BASIS_CONTRACT
	    : strcmp(v, "directive") == 0     ? BASIS_DIRECTIVE
					      : BASIS_NONE;
	set_opt(&x->basis_ref, fm->v[F_BASIS_REF]);
	v = fm->v[F_KEY];
	x->is_key = *v == '\0' ? channels[x->channel].key : strcmp(v, "1") == 0;
	x->low_demand = strcmp(fm->v[F_LOW], "1") == 0;
	x->not_counted = strcmp(fm->v[F_NOTCOUNTED], "1") == 0;
	return fm->nerr;
}

/* Label, hint, error and findings of a field; desc gets the ids that
 * describe its control. */
static void
field_head(struct req *r, struct html *h, const struct form *fm,
    const struct placed *pl, enum field f, const char *hint, int label,
    struct buf *desc)
{
	char   id[64];
	size_t i;

	if (label) {
		snprintf(id, sizeof(id), "f-%s", fields[f].name);
		html_open(h, "label", "for", id, "class",
		    fields[f].required ? "required" : NULL, NULL);
		html_text(h, field_label(r, f));
		html_close(h);
	}
	if (hint != NULL) {
		snprintf(id, sizeof(id), "f-%s-hint", fields[f].name);
		html_elem(h, "p", hint, "class", "hint", "id", id, NULL);
		buf_printf(desc, "%s%s", desc->len ? " " : "", id);
	}
	if (fm->err[f] != NULL) {
		snprintf(id, sizeof(id), "f-%s-err", fields[f].name);
		html_open(h, "p", "class", "error", "id", id, NULL);
		html_elem(h, "strong", L(r, "Ошибка:", "Error:"), NULL);
		html_text(h, " ");
		html_text(h, fm->err[f]);
		html_close(h);
		buf_printf(desc, "%s%s", desc->len ? " " : "", id);
	}
	for (i = 0; pl != NULL && pl->ran && i < pl->found.n; i++) {
		if (pl->field[i] != (int)f)
			continue;
		snprintf(id, sizeof(id), "f-%s-chk-%zu", fields[f].name, i);
		finding_render(r, h, &pl->found.v[i], NULL, id);
		buf_printf(desc, "%s%s", desc->len ? " " : "", id);
	}
}

static int
field_flagged(const struct form *fm, const struct placed *pl, enum field f)
{
	size_t i;

	if (fm->err[f] != NULL)
		return 1;
	for (i = 0; pl != NULL && pl->ran && i < pl->found.n; i++)
		if (pl->field[i] == (int)f && pl->found.v[i].level == FIND_ERROR)
			return 1;
	return 0;
}

static void
text_field_list(struct req *r, struct html *h, const struct form *fm,
    const struct placed *pl, enum field f, const char *hint, int area,
    const char *type, const char *autocomplete, const char *list)
{
	struct buf desc;
	char	   id[64];

	snprintf(id, sizeof(id), "f-%s", fields[f].name);
	buf_init(&desc, 4096);
	html_open(h, "div", "class", "field", NULL);
	field_head(r, h, fm, pl, f, hint, 1, &desc);
	if (area) {
		html_open(h, "textarea", "id", id, "name", fields[f].name,
		    "rows", "4", "aria-describedby",
		    desc.len ? buf_str(&desc) : NULL, "aria-invalid",
		    field_flagged(fm, pl, f) ? "true" : NULL, NULL);
		html_text(h, fm->v[f]);
		html_close(h);
	} else
		html_void(h, "input", "type", type, "id", id, "name",
		    fields[f].name, "value", fm->v[f], "required",
		    fields[f].required ? "" : NULL, "autocomplete",
		    autocomplete, "list", list, "aria-describedby",
		    desc.len ? buf_str(&desc) : NULL, "aria-invalid",
		    field_flagged(fm, pl, f) ? "true" : NULL, NULL);
	html_close(h);
	buf_free(&desc);
}

static void
text_field(struct req *r, struct html *h, const struct form *fm,
    const struct placed *pl, enum field f, const char *hint, int area,
    const char *type, const char *autocomplete)
{
	text_field_list(r, h, fm, pl, f, hint, area, type, autocomplete, NULL);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The areas (or processes) the registry has, each once, as choices a
 * field suggests; typing something else stays possible. */
static void
datalist(struct html *h, const char *id, const struct registry *reg,
    int process)
{
	const char **v;
	size_t	     i, n = 0;

	v = xcalloc(reg->n + 1, sizeof(*v));
	for (i = 0; i < reg->n; i++)
		v[n++] = process ? reg->v[i].process : reg->v[i].area;
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_str);
	html_open(h, "datalist", "id", id, NULL);
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(v[i], v[i - 1]) != 0) {
			html_open(h, "option", "value", v[i], NULL);
			html_close(h);
		}
	html_close(h);
	free(v);
}

struct option {
	const char *value, *ru, *en;
};

static void
select_field(struct req *r, struct html *h, const struct form *fm,
    const struct placed *pl, enum field f, const char *hint,
    const struct option *opts, size_t nopts)
{
	struct buf desc;
	char	   id[64];
	size_t	   i;

	snprintf(id, sizeof(id), "f-%s", fields[f].name);
	buf_init(&desc, 4096);
	html_open(h, "div", "class", "field", NULL);
	field_head(r, h, fm, pl, f, hint, 1, &desc);
	html_open(h, "select", "id", id, "name", fields[f].name,
	    "aria-describedby", desc.len ? buf_str(&desc) : NULL,
	    "aria-invalid", field_flagged(fm, pl, f) ? "true" : NULL, NULL);
	for (i = 0; i < nopts; i++)
		html_elem(h, "option", L(r, opts[i].ru, opts[i].en), "value",
		    opts[i].value, "selected",
		    strcmp(fm->v[f], opts[i].value) == 0 ? "" : NULL, NULL);
	html_close(h);
	html_close(h);
	buf_free(&desc);
}

static void
checkbox_field(struct req *r, struct html *h, const struct form *fm,
    enum field f)
{
	char id[64];

	snprintf(id, sizeof(id), "f-%s", fields[f].name);
	html_open(h, "div", "class", "check", NULL);
	html_void(h, "input", "type", "checkbox", "id", id, "name",
	    fields[f].name, "value", "1", "checked",
	    strcmp(fm->v[f], "1") == 0 ? "" : NULL, NULL);
	html_elem(h, "label", field_label(r, f), "for", id, NULL);
	html_close(h);
}

static int
has_code(const char *list, const char *code)
{
	char *copy = xstrdup(list), *tok, *save = NULL;
	int   hit = 0;

	for (tok = strtok_r(copy, " ,", &save); tok != NULL && !hit;
	     tok = strtok_r(NULL, " ,", &save))
		hit = strcmp(tok, code) == 0;
	free(copy);
	return hit;
}

/*
 * The needs as checkboxes in a fieldset.  Each checkbox's value ends in a
 * space: the boxes ticked arrive as one parameter, their values run
 * together, and the spaces keep the codes apart ("info consult ").
 */
static void
needs_box(struct html *h, size_t k, const char *code, const char *title,
    const struct form *fm)
{
	char id[32], *value;

	snprintf(id, sizeof(id), "need-%zu", k);
	value = xasprintf("%s ", code);
	html_open(h, "div", "class", "check", NULL);
	html_void(h, "input", "type", "checkbox", "id", id, "name", "needs",
	    "value", value, "checked",
	    has_code(fm->v[F_NEEDS], code) ? "" : NULL, NULL);
	html_elem(h, "label", title, "for", id, NULL);
	html_close(h);
	free(value);
}

/*
 * The needs as checkboxes in a fieldset, whose legend, hint, error and
 * findings describe the group.  Each checkbox's value ends in a space:
 * the boxes ticked arrive as one parameter, their values run together,
 * and the spaces keep the codes apart ("info consult ").
 */
static void
needs_field(struct req *r, struct html *h, const struct form *fm,
    const struct placed *pl, const struct org_needs *on)
{
	const struct need *n;
	struct buf	   desc, body;
	struct html	   inner;
	size_t		   i, k = 0;

	/* The description's ids are known only once it is written, and
	 * they belong on the fieldset that comes before it. */
	buf_init(&desc, 4096);
	buf_init(&body, BUF_MAX_DEFAULT);
	html_init(&inner, &body);
	field_head(r, &inner, fm, pl, F_NEEDS,
	    L(r, "Отметьте всё, что клиент получает в этой точке "
		 "[000 §10, 001 §2.6].",
		"Tick all the client gets done at this touchpoint "
		"[000 §10, 001 §2.6]."), 0, &desc);
	html_open(h, "fieldset", "class", "field needs", "id", "f-needs",
	    "aria-describedby", desc.len ? buf_str(&desc) : NULL, NULL);
	html_elem(h, "legend", field_label(r, F_NEEDS), NULL);
	html_raw(h, buf_str(&body));	/* written by the escaping writer */
	if (inner.failed)
		h->failed = 1;
	for (i = 0; (n = needs_at(i)) != NULL; i++, k++)
		needs_box(h, k, n->code, L(r, n->title_ru, n->title_en), fm);
	for (i = 0; i < on->n; i++, k++)
		needs_box(h, k, on->code[i], on->title[i], fm);
	html_close(h);
	buf_free(&body);
	buf_free(&desc);
}

static const struct option kind_opts[] = {
	{"", "по типу канала", "as the channel implies"},
	{"digital", "цифровая", "digital"},
	{"offline", "офлайн", "offline"},
};
static const struct option client_opts[] = {
	{"external", "внешний клиент", "external clients"},
	{"internal", "внутренний клиент (сотрудники)",
	    "internal clients (employees)"},
};
static const struct option basis_opts[] = {
	{"", "не указано", "not given"},
	{"normative", "нормативный правовой акт", "a normative act"},
	{"internal", "внутренний акт", "an internal act"},
	{"contract", "договор, соглашение", "a contract or agreement"},
	{"directive", "распорядительное действие (поручение, резолюция)",
	    "a directive (instruction, resolution)"},
};
static const struct option key_opts[] = {
	{"", "по типу канала", "as the channel implies"},
	{"1", "да, ключевая", "yes, a key touchpoint"},
	{"0", "нет", "no"},
};

struct form_page {
	const char *title;
	const char *action;
	const char *intro;	/* a paragraph under the heading, or NULL */
	const char *cancel;	/* where "cancel" leads */
	int	    status;
};

/* The link of the error summary to a field's control. */
static const char *
field_anchor(enum field f, char *buf, size_t len)
{
	if (f == F_NEEDS)
		snprintf(buf, len, "#need-0");
	else
		snprintf(buf, len, "#f-%s", fields[f].name);
	return buf;
}

static void
form_page(struct req *r, const struct form_page *fp, const struct form *fm,
    const struct placed *pl)
{
	struct org_needs on;
	struct option	 chopts[CH__COUNT + 1];
	struct registry	 reg;
	struct html	 h;
	struct err	 e;
	char		 anchor[64];
	int		 f;

	org_needs_load(r->db, r->org->id, &on);
	if (registry_load(r->db, r->org->id, 0, &reg, &e) != 0)
		memset(&reg, 0, sizeof(reg));	/* no suggestions then */
	page_begin(r, &h, fp->title, S_ENTRIES);
	html_elem(&h, "h1", fp->title, NULL);
	notice(r, &h);
	if (fp->intro != NULL)
		html_elem(&h, "p", fp->intro, NULL);
	if (fm->nerr > 0) {
		html_open(&h, "div", "class", "alert", "role", "alert",
		    "aria-labelledby", "errors-title", NULL);
		html_elem(&h, "h2", L(r, "В форме есть ошибки",
					"The form has errors"),
		    "id", "errors-title", NULL);
		html_open(&h, "ul", NULL);
		for (f = 0; f < F__COUNT; f++) {
			if (fm->err[f] == NULL)
				continue;
			html_open(&h, "li", NULL);
			html_open(&h, "a", "href",
			    field_anchor(f, anchor, sizeof(anchor)), NULL);
			html_text(&h, field_label(r, f));
			html_text(&h, ": ");
			html_text(&h, fm->err[f]);
			html_close(&h);
			html_close(&h);
		}
		html_close(&h);
		html_close(&h);
	}
	if (pl != NULL && pl->ran)
		checks_summary(r, &h, pl, "Проверки перечня с этим изменением",
		    "Checks of the registry with this change",
		    placed_at_fields(pl));

	html_elem(&h, "p", L(r, "Поля, отмеченные звёздочкой (*), "
				"обязательны.",
				"Fields marked with an asterisk (*) are "
				"required."),
	    "class", "hint", NULL);
	html_open(&h, "form", "method", "post", "action", fp->action, "class",
	    "stack", NULL);
	ui_csrf(r, &h);

	html_open(&h, "fieldset", NULL);
	html_elem(&h, "legend", L(r, "Место в перечне", "Place in the registry"),
	    NULL);
	text_field_list(r, &h, fm, pl, F_AREA,
	    L(r, "Выберите из перечня или введите новое.",
		"Pick one of the registry's or type a new one."), 0, "text",
	    "off", "areas");
	text_field_list(r, &h, fm, pl, F_PROCESS,
	    L(r, "Выберите из перечня или введите новый.",
		"Pick one of the registry's or type a new one."), 0, "text",
	    "off", "processes");
	datalist(&h, "areas", &reg, 0);
	datalist(&h, "processes", &reg, 1);
	text_field(r, &h, fm, pl, F_NAME,
	    L(r, "Как в перечне: «Электронная почта info@…», «Личный прием "
		 "в отделе кадров».",
		"As the registry names it: \"E-mail info@…\", \"Personal "
		"reception in the HR department\"."), 0, "text", NULL);
	html_close(&h);

	html_open(&h, "fieldset", NULL);
	html_elem(&h, "legend", L(r, "Канал", "Channel"), NULL);
	chopts[0].value = "";
	chopts[0].ru = "определить по названию точки";
	chopts[0].en = "recognize from the touchpoint's name";
	for (f = 0; f < CH__COUNT; f++) {
		chopts[f + 1].value = channels[f].code;
		chopts[f + 1].ru = channels[f].title_ru;
		chopts[f + 1].en = channels[f].title_en;
	}
	select_field(r, &h, fm, pl, F_CHANNEL, NULL, chopts, CH__COUNT + 1);
	select_field(r, &h, fm, pl, F_KIND,
	    L(r, "Цифровая или офлайн; обычно следует из типа канала "
		 "[000 §14].",
		"Digital or offline; usually follows from the channel "
		"[000 §14]."), kind_opts, nitems(kind_opts));
	select_field(r, &h, fm, pl, F_CLIENT, NULL, client_opts,
	    nitems(client_opts));
	html_close(&h);

	needs_field(r, &h, fm, pl, &on);
	text_field(r, &h, fm, pl, F_INTERACTION,
	    L(r, "Столбец 5 официальной формы, своими словами.",
		"Column 5 of the official form, in words."), 1, NULL, NULL);
	text_field(r, &h, fm, pl, F_FEATURES,
	    L(r, "Столбец 6: часы работы, сроки, особенности.",
		"Column 6: hours, terms, particulars."), 1, NULL, NULL);

	html_open(&h, "fieldset", NULL);
	html_elem(&h, "legend", L(r, "Контакты", "Contacts"), NULL);
	text_field(r, &h, fm, pl, F_PHONE, NULL, 0, "text", "off");
	text_field(r, &h, fm, pl, F_EMAIL, NULL, 0, "text", "off");
	text_field(r, &h, fm, pl, F_URL, NULL, 0, "text", "off");
	text_field(r, &h, fm, pl, F_ADDRESS, NULL, 0, "text", "off");
	text_field(r, &h, fm, pl, F_ROOM, NULL, 0, "text", "off");
	html_close(&h);

	text_field(r, &h, fm, pl, F_UNIT,
	    L(r, "Структурное подразделение, которое ведёт эту точку.",
		"The unit that keeps this touchpoint."), 0, "text", NULL);

	html_open(&h, "fieldset", NULL);
	html_elem(&h, "legend", L(r, "Основание точки взаимодействия",
				 "Basis of the touchpoint"), NULL);
	select_field(r, &h, fm, pl, F_BASIS,
	    L(r, "Нормативный акт, внутренний акт, договор или "
		 "распорядительное действие [000 §8–9].",
		"A normative act, an internal act, a contract or a directive "
		"[000 §8–9]."), basis_opts, nitems(basis_opts));
	text_field(r, &h, fm, pl, F_BASIS_REF, NULL, 0, "text", NULL);
	html_close(&h);

	html_open(&h, "fieldset", NULL);
	html_elem(&h, "legend", L(r, "Признаки точки", "Flags"), NULL);
	select_field(r, &h, fm, pl, F_KEY,
	    L(r, "Ключевые — те, через которые клиенты обращаются чаще всего "
		 "[000 §7].",
		"Key touchpoints are those through which clients mostly come "
		"[000 §7]."), key_opts, nitems(key_opts));
	checkbox_field(r, &h, fm, F_LOW);
	checkbox_field(r, &h, fm, F_NOTCOUNTED);
	html_close(&h);

	html_open(&h, "div", "class", "actions", NULL);
	html_elem(&h, "button", L(r, "Сохранить черновик", "Save the draft"),
	    "type", "submit", NULL);
	if (fp->cancel != NULL)
		html_elem(&h, "a", L(r, "Отмена", "Cancel"), "href",
		    fp->cancel, "class", "button secondary", NULL);
	html_close(&h);
	html_close(&h);	/* form */
	ui_end(r, &h);
	org_needs_free(&on);
	registry_free(&reg);
	if (fp->status != 0)
		r->status = fp->status;
}

/*
 * GET /{org}/ — the organization's front page for staff.
 */

static void
publish_form(struct req *r, struct html *h, int64_t latest,
    const char *errfield, const char *errmsg)
{
	static const struct {
		const char *name, *ru, *en, *type, *hint_ru, *hint_en;
	} pf[] = {
		{"version", "Версия", "Version", "text",
		    "Номер версии; пусто — последняя.",
		    "The version number; empty: the latest."},
		{"url", "Адрес публикации", "Where it was published", "text",
		    "Страница сайта, на которой размещён перечень.",
		    "The page of the site that shows the registry."},
		{"at", "Дата публикации", "Date of publication", "date",
		    "Пусто — сегодня.", "Empty: today."},
	};
	struct buf desc;
	char	   id[32], hid[40], eid[40], vbuf[24], *action;
	size_t	   i;

	html_open(h, "section", "aria-labelledby", "publish-title", NULL);
	html_elem(h, "h3", L(r, "Записать публикацию", "Record a publication"),
	    "id", "publish-title", NULL);
	action = ui_opath(r, "/registry/publish");
	html_open(h, "form", "method", "post", "action", action, "class",
	    "stack", NULL);
	free(action);
	ui_csrf(r, h);
	snprintf(vbuf, sizeof(vbuf), "%lld", (long long)latest);
	for (i = 0; i < nitems(pf); i++) {
		snprintf(id, sizeof(id), "p-%s", pf[i].name);
		snprintf(hid, sizeof(hid), "p-%s-hint", pf[i].name);
		snprintf(eid, sizeof(eid), "p-%s-err", pf[i].name);
		buf_init(&desc, 256);
		buf_puts(&desc, hid);
		html_open(h, "div", "class", "field", NULL);
		html_elem(h, "label", L(r, pf[i].ru, pf[i].en), "for", id, NULL);
		html_elem(h, "p", L(r, pf[i].hint_ru, pf[i].hint_en), "class",
		    "hint", "id", hid, NULL);
		if (errfield != NULL && strcmp(errfield, pf[i].name) == 0) {
			html_open(h, "p", "class", "error", "id", eid, NULL);
			html_elem(h, "strong", L(r, "Ошибка:", "Error:"), NULL);
			html_text(h, " ");
			html_text(h, errmsg);
			html_close(h);
			buf_printf(&desc, " %s", eid);
		}
		html_void(h, "input", "type", pf[i].type, "id", id, "name",
		    pf[i].name, "value", i == 0 ? vbuf : NULL,
		    "inputmode", i == 0 ? "numeric" : NULL,
		    "aria-describedby", buf_str(&desc), "aria-invalid",
		    errfield != NULL && strcmp(errfield, pf[i].name) == 0
			? "true" : NULL, NULL);
		html_close(h);
		buf_free(&desc);
	}
	html_elem(h, "button", L(r, "Записать публикацию",
				   "Record the publication"),
	    "type", "submit", NULL);
	html_close(h);
	html_close(h);
}

static void
link_item(struct html *h, const char *href, const char *text)
{
	html_open(h, "li", NULL);
	html_elem(h, "a", text, "href", href, NULL);
	html_close(h);
}

static int
front_page(struct req *r, const char *errfield, const char *errmsg,
    int status)
{
	struct reg_status  st;
	struct html	   h;
	struct err	   e;
	struct buf	   b;
	char		   d1[11], d2[11], *p;
	size_t		   i;
	int		   count[ST_WITHDRAWN + 1];

	err_clear(&e);
	if (registry_status(r->db, r->org, clock_now(), &st, &e) != 0)
		return ui_fail(r, &e);
	if (change_counts(r->db, r->org->id, count, &e) != 0) {
		reg_status_free(&st);
		return ui_fail(r, &e);
	}

	page_begin(r, &h, r->org->name, S_FRONT);
	html_elem(&h, "h1", r->org->name, NULL);
	notice(r, &h);
	if (errmsg != NULL) {
		html_open(&h, "div", "class", "alert", "role", "alert", NULL);
		html_open(&h, "p", NULL);
		html_text(&h, L(r, "Публикация не записана: ",
				  "The publication is not recorded: "));
		p = xasprintf("#p-%s", errfield != NULL ? errfield
							: "version");
		html_open(&h, "a", "href", p, NULL);
		free(p);
		html_text(&h, errmsg);
		html_close(&h);
		html_close(&h);
		html_close(&h);
	}

	html_open(&h, "section", "aria-labelledby", "pub-title", NULL);
	html_elem(&h, "h2", L(r, "Публикация перечня",
				"Publication of the registry"),
	    "id", "pub-title", NULL);
	buf_init(&b, 4096);
	if (st.current == 0)
		buf_puts(&b, L(r, "Перечень пуст: загрузите его из файла или "
				  "включите изменения.",
				  "The registry is empty: upload it or "
				  "include changes."));
	else {
		buf_printf(&b, "%s %lld.", L(r, "Текущая версия",
					       "Current version"),
		    (long long)st.current);
		if (st.published > 0) {
			day_of(r, st.published_at, d1);
			buf_printf(&b, " %s %lld %s %s.",
			    L(r, "Опубликована версия", "Version"),
			    (long long)st.published,
			    L(r, "—", "was published on"), d1);
		} else
			buf_printf(&b, " %s", L(r, "Перечень ещё не "
						  "опубликован.",
						  "It has never been "
						  "published."));
	}
	html_elem(&h, "p", buf_str(&b), NULL);
	buf_free(&b);
	if (st.warning[0] != '\0')
		html_elem(&h, "p", L(r, "Производственного календаря на эти "
					"годы нет: сроки посчитаны по "
					"праздникам Трудового кодекса.",
					st.warning),
		    "class", "alert", NULL);
	if (st.n == 0 && st.current > 0)
		html_elem(&h, "p", L(r, "Публиковать нечего: опубликована "
					"последняя версия.",
					"Nothing to publish: the latest "
					"version is published."), NULL);
	if (st.n > 0) {
		html_elem(&h, "p", L(r, "После изменения перечень публикуется "
					"на сайте в течение 10 рабочих дней "
					"[001 §5.4].",
					"After a change the registry is "
					"published on the site within 10 "
					"working days [001 §5.4]."), NULL);
		html_open(&h, "div", "class", "table-wrap", NULL);
		html_open(&h, "table", NULL);
		html_elem(&h, "caption", L(r, "Неопубликованные версии",
					     "Unpublished versions"), NULL);
		html_open(&h, "thead", NULL);
		html_open(&h, "tr", NULL);
		html_elem(&h, "th", L(r, "Версия", "Version"), "scope", "col",
		    NULL);
		html_elem(&h, "th", L(r, "Изменена", "Changed"), "scope", "col",
		    NULL);
		html_elem(&h, "th", L(r, "Опубликовать до", "Publish by"),
		    "scope", "col", NULL);
		html_elem(&h, "th", L(r, "Срок", "Time left"), "scope", "col",
		    NULL);
		html_elem(&h, "th", L(r, "Состояние", "State"), "scope", "col",
		    NULL);
		html_close(&h);
		html_close(&h);
		html_open(&h, "tbody", NULL);
		for (i = 0; i < st.n; i++) {
			const struct reg_pending *pp = &st.v[i];
			int days = pp->days_left < 0 ? -pp->days_left
						     : pp->days_left;

			date_format_ru(pp->changed, d1);
			date_format_ru(pp->deadline, d2);
			html_open(&h, "tr", NULL);
			html_open(&h, "th", "scope", "row", NULL);
			html_textf(&h, "%lld", (long long)pp->version);
			html_close(&h);
			html_elem(&h, "td", d1, NULL);
			html_elem(&h, "td", d2, NULL);
			html_open(&h, "td", NULL);
			if (pp->state == PUB_LATE)
				html_textf(&h, "%s %d %s",
				    L(r, "просрочено на", "late by"), days,
				    plural(r, days, "рабочий день",
					"рабочих дня", "рабочих дней",
					"working day", "working days"));
			else
				html_textf(&h, "%s %d %s",
				    L(r, ui_plural_ru(days, "остался", "осталось",
					     "осталось"), "left:"),
				    days,
				    plural(r, days, "рабочий день",
					"рабочих дня", "рабочих дней",
					"working day", "working days"));
			html_close(&h);
			html_elem(&h, "td",
			    pp->state == PUB_LATE
				? L(r, "просрочено", "late")
			    : pp->state == PUB_DUE_SOON
				? L(r, "скоро срок", "due soon")
				: L(r, "ожидает публикации", "pending"),
			    "class", pp->state == PUB_LATE ? "late"
				: pp->state == PUB_DUE_SOON ? "soon" : NULL,
			    NULL);
			html_close(&h);
		}
		html_close(&h);
		html_close(&h);
		html_close(&h);
	}
	if (holds(r, "officer") && st.current > 0)
		publish_form(r, &h, st.current, errfield, errmsg);
	html_close(&h);	/* section */

	html_open(&h, "section", "aria-labelledby", "changes-title", NULL);
	html_elem(&h, "h2", L(r, "Изменения перечня", "Changes"), "id",
	    "changes-title", NULL);
	html_open(&h, "ul", NULL);
	{
		static const struct {
			enum change_state s;
			const char *code, *ru, *en;
		} rows[] = {
			{ST_SUBMITTED, "submitted", "Ждут проверки",
			    "Waiting for verification"},
			{ST_DRAFT, "draft", "Черновики", "Drafts"},
			{ST_RETURNED, "returned", "Возвращены авторам",
			    "Returned to their authors"},
		};
		for (i = 0; i < nitems(rows); i++) {
			p = ui_opath(r, "/registry/changes?state=%s", rows[i].code);
			html_open(&h, "li", NULL);
			html_open(&h, "a", "href", p, NULL);
			html_textf(&h, "%s: %d", L(r, rows[i].ru, rows[i].en),
			    count[rows[i].s]);
			html_close(&h);
			html_close(&h);
			free(p);
		}
	}
	html_close(&h);
	html_close(&h);

	html_open(&h, "section", "aria-labelledby", "reg-title", NULL);
	html_elem(&h, "h2", L(r, "Перечень точек взаимодействия",
				"Registry of touchpoints"),
	    "id", "reg-title", NULL);
	html_open(&h, "ul", NULL);
	p = ui_opath(r, "/registry/entries");
	link_item(&h, p, L(r, "Просмотр и поиск", "Browse and search"));
	free(p);
	if (holds(r, "editor")) {
		p = ui_opath(r, "/registry/new");
		link_item(&h, p, L(r, "Добавить точку взаимодействия",
				     "Add a touchpoint"));
		free(p);
	}
	p = ui_opath(r, "/registry/changes");
	link_item(&h, p, L(r, "Все изменения", "All changes"));
	free(p);
	p = ui_opath(r, "/registry/versions");
	link_item(&h, p, L(r, "Версии и публикации",
			     "Versions and publications"));
	free(p);
	p = ui_opath(r, "/registry/diff");
	link_item(&h, p, L(r, "Сравнение версий", "Compare versions"));
	free(p);
	if (holds(r, "officer")) {
		p = ui_opath(r, "/registry/import");
		link_item(&h, p, L(r, "Загрузка перечня из файла (CSV, XLSX)",
				     "Upload the registry (CSV, XLSX)"));
		free(p);
	}
	if (st.current > 0) {
		p = ui_opath(r, "/registry/export.html");
		link_item(&h, p, L(r, "Скачать официальную форму (HTML)",
				     "Download the official form (HTML)"));
		free(p);
		p = ui_opath(r, "/registry/export.xlsx");
		link_item(&h, p, L(r, "Скачать официальную форму (XLSX)",
				     "Download the official form (XLSX)"));
		free(p);
		p = ui_opath(r, "/registry/export.csv");
		link_item(&h, p, L(r, "Скачать официальную форму (CSV)",
				     "Download the official form (CSV)"));
		free(p);
	}
	p = ui_opath(r, "/registry");
	link_item(&h, p, L(r, "Опубликованный перечень (публичная страница)",
			     "The published registry (public page)"));
	free(p);
	html_close(&h);
	html_close(&h);
	ui_end(r, &h);
	reg_status_free(&st);
	if (status != 0)
		r->status = status;
	return 0;
}

int
ui_reg_front(struct req *r)
{
	return front_page(r, NULL, NULL, 0);
}

/*
 * POST /{org}/registry/publish — record a publication (R-REG-6).
 */
int
ui_reg_publish(struct req *r)
{
	const char *v = req_param(r, "version"), *url = req_param(r, "url");
	const char *at = req_param(r, "at");
	struct err  e;
	int64_t	    version = 0, when = clock_now();
	int32_t	    day;
	char	   *end;

	if (!str_empty(v)) {
		version = strtoll(v, &end, 10);
		if (*end != '\0' || version < 1)
			return front_page(r, "version",
			    L(r, "номер версии — целое число от 1",
				"a version is a whole number from 1"), 422);
	}
	if (!str_empty(url) && strncmp(url, "https://", 8) != 0 &&
	    strncmp(url, "http://", 7) != 0)
		return front_page(r, "url",
		    L(r, "адрес начинается с https:// или http://",
			"the address starts with https:// or http://"), 422);
	if (!str_empty(at) && date_parse(at, &day) == 0 &&
	    day == date_local(clock_now(), r->org->tz))
		at = NULL;	/* today: now, which follows any inclusion */
	if (!str_empty(at)) {
		if (time_parse(at, &when) != 0)
			return front_page(r, "at",
			    L(r, "дата в виде ГГГГ-ММ-ДД",
				"a date as YYYY-MM-DD"), 422);
		if (when > clock_now())
			return front_page(r, "at",
			    L(r, "публикация не может быть в будущем",
				"a publication cannot be in the future"), 422);
	}
	err_clear(&e);
	if (registry_publish(r->db, r->org, r->session->login, version, when,
		str_empty(url) ? NULL : url, &e) != 0) {
		if (e.code == EXIT_IOERR)
			return ui_fail(r, &e);
		return front_page(r, "version", e.msg, 422);
	}
	if (version == 0 &&
	    registry_latest_version(r->db, r->org->id, &version, &e) != 0)
		return ui_fail(r, &e);
	return ui_redirect(r, ui_opath(r, "/?done=published&v=%lld",
			       (long long)version));
}

/*
 * GET /{org}/registry/entries?q= — browse area → process → touchpoint.
 */

/* Does the entry hold the folded text q in any of its words? */
static int
entry_matches(const struct reg_entry *x, const char *q)
{
	const char *v[] = {x->name, x->area, x->process, x->interaction,
	    x->features, x->phone, x->email, x->url, x->address, x->room,
	    x->unit, x->basis_ref};
	char	   *f;
	size_t	    i;
	int	    hit = 0;

	for (i = 0; i < nitems(v) && !hit; i++) {
		if (v[i] == NULL || *v[i] == '\0')
			continue;
		f = utf8_fold(v[i]);
		hit = strstr(f, q) != NULL;
		free(f);
	}
	return hit;
}

int
ui_reg_entries(struct req *r)
{
	struct registry reg;
	struct html	h;
	struct err	e;
	const char     *q = req_param(r, "q");
	char	       *fq = NULL, *p, d[11];
	char	       *keep;
	size_t		i, j, k, shown = 0;
	int		na, np;

	err_clear(&e);
	if (registry_load(r->db, r->org->id, 0, &reg, &e) != 0)
		return ui_fail(r, &e);
	registry_sort(&reg);
	keep = xcalloc(reg.n + 1, 1);
	if (!str_empty(q)) {
		char *sq = str_squeeze(q);

		fq = utf8_fold(sq);
		free(sq);
	}
	for (i = 0; i < reg.n; i++)
		if ((keep[i] = fq == NULL || entry_matches(&reg.v[i], fq)))
			shown++;

	page_begin(r, &h, L(r, "Перечень точек взаимодействия",
			      "Registry of touchpoints"), S_ENTRIES);
	html_elem(&h, "h1", L(r, "Перечень точек взаимодействия",
				"Registry of touchpoints"), NULL);
	notice(r, &h);
	html_open(&h, "p", NULL);
	if (reg.version == 0)
		html_text(&h, L(r, "В перечне пока нет точек: ни одна версия "
				  "не включена.",
				  "The registry has no touchpoints yet: no "
				  "version is included."));
	else {
		day_of(r, reg.included_at, d);
		html_textf(&h, "%s %lld %s %s; %zu %s.",
		    L(r, "Версия", "Version"), (long long)reg.version,
		    L(r, "от", "of"), d, reg.n,
		    plural(r, (long)reg.n, "точка", "точки", "точек",
			"touchpoint", "touchpoints"));
	}
	html_close(&h);
	if (holds(r, "editor")) {
		p = ui_opath(r, "/registry/new");
		html_open(&h, "p", NULL);
		html_elem(&h, "a", L(r, "Добавить точку взаимодействия",
				       "Add a touchpoint"),
		    "href", p, "class", "button", NULL);
		html_close(&h);
		free(p);
	}

	p = ui_opath(r, "/registry/entries");
	html_open(&h, "form", "method", "get", "action", p, "role", "search",
	    "class", "search", NULL);
	free(p);
	html_elem(&h, "label", L(r, "Найти в перечне", "Search the registry"),
	    "for", "q", NULL);
	html_void(&h, "input", "type", "search", "id", "q", "name", "q",
	    "value", q != NULL ? q : "", NULL);
	html_elem(&h, "button", L(r, "Найти", "Search"), "type", "submit",
	    NULL);
	html_close(&h);

	if (fq != NULL) {
		html_open(&h, "p", "role", "status", NULL);
		html_textf(&h, "%s %zu %s «%s».", L(r, "Найдено:", "Found:"),
		    shown, L(r, "по запросу", "for"), q);
		p = ui_opath(r, "/registry/entries");
		html_text(&h, " ");
		html_elem(&h, "a", L(r, "Показать весь перечень",
				       "Show the whole registry"),
		    "href", p, NULL);
		free(p);
		html_close(&h);
	}
	if (shown == 0 && reg.n > 0)
		html_elem(&h, "p", L(r, "Ничего не найдено.", "Nothing found."),
		    NULL);

	/* Areas and processes are runs of consecutive entries, as in the
	 * official form. */
	for (i = 0; i < reg.n; i = j) {
		for (j = i, na = 0; j < reg.n &&
		     strcmp(reg.v[j].area, reg.v[i].area) == 0; j++)
			na += keep[j];
		if (na == 0)
			continue;
		html_open(&h, "section", "class", "area", NULL);
		html_open(&h, "h2", NULL);
		html_text(&h, reg.v[i].area);
		html_textf(&h, " (%d)", na);
		html_close(&h);
		for (k = i; k < j;) {
			size_t m, s = k;

			for (m = k, np = 0; m < j &&
			     strcmp(reg.v[m].process, reg.v[s].process) == 0;
			     m++)
				np += keep[m];
			k = m;
			if (np == 0)
				continue;
			html_open(&h, "h3", NULL);
			html_text(&h, reg.v[s].process);
			html_textf(&h, " (%d)", np);
			html_close(&h);
			html_open(&h, "ul", "class", "touchpoints", NULL);
			for (m = s; m < k; m++) {
				const struct reg_entry *x = &reg.v[m];

				if (!keep[m])
					continue;
				p = ui_opath(r, "/registry/entries/%lld",
				    (long long)x->id);
				html_open(&h, "li", NULL);
				html_elem(&h, "a", x->name, "href", p, NULL);
				html_open(&h, "span", "class", "meta", NULL);
				html_textf(&h, " — %s, %s%s",
				    channel_title(r, x->channel),
				    kind_title(r, x->kind),
				    x->is_key ? L(r, ", ключевая", ", key")
					      : "");
				html_close(&h);
				html_close(&h);
				free(p);
			}
			html_close(&h);
		}
		html_close(&h);
	}
	ui_end(r, &h);
	free(fq);
	free(keep);
	registry_free(&reg);
	return 0;
}

/*
 * GET /{org}/registry/entries/{id} — one touchpoint, its history.
 */

/* The fields of an entry as a table of rows; NULL before: one column. */
static void
entry_table(struct req *r, struct html *h, const struct org_needs *on,
    const struct reg_entry *before, const struct reg_entry *x,
    const char *caption, const struct placed *pl)
{
	char   *a, *b, id[40];
	size_t	i;
	int	f, changed, checks = pl != NULL && pl->ran;

	html_open(h, "div", "class", "table-wrap", NULL);
	html_open(h, "table", "class", "fields", NULL);
	html_elem(h, "caption", caption, NULL);
	html_open(h, "thead", NULL);
	html_open(h, "tr", NULL);
	html_elem(h, "th", L(r, "Поле", "Field"), "scope", "col", NULL);
	if (before != NULL) {
		html_elem(h, "th", L(r, "Сейчас в перечне", "Now"), "scope",
		    "col", NULL);
		html_elem(h, "th", L(r, "Предлагается", "Proposed"), "scope",
		    "col", NULL);
	} else
		html_elem(h, "th", L(r, "Значение", "Value"), "scope", "col",
		    NULL);
	if (checks)
		html_elem(h, "th", L(r, "Проверки", "Checks"), "scope", "col",
		    NULL);
	html_close(h);
	html_close(h);
	html_open(h, "tbody", NULL);
	for (f = 0; f < F__COUNT; f++) {
		b = entry_value(r, on, x, f);
		a = before != NULL ? entry_value(r, on, before, f) : NULL;
		changed = a != NULL && strcmp(a, b) != 0;
		html_open(h, "tr", "class", changed ? "changed" : NULL, NULL);
		html_open(h, "th", "scope", "row", NULL);
		html_text(h, field_label(r, f));
		if (changed) {
			html_text(h, " ");
			html_elem(h, "span", L(r, "(изменено)", "(changed)"),
			    "class", "tag", NULL);
		}
		html_close(h);
		if (a != NULL)
			html_elem(h, "td", a, NULL);
		if (f == F_URL && x->url != NULL &&
		    (strncmp(x->url, "https://", 8) == 0 ||
			strncmp(x->url, "http://", 7) == 0)) {
			html_open(h, "td", NULL);
			html_elem(h, "a", x->url, "href", x->url, NULL);
			html_close(h);
		} else
			html_elem(h, "td", b, NULL);
		if (checks) {
			html_open(h, "td", NULL);
			for (i = 0; i < pl->found.n; i++)
				if (pl->field[i] == f) {
					snprintf(id, sizeof(id), "chk-%zu", i);
					finding_render(r, h, &pl->found.v[i],
					    NULL, id);
				}
			html_close(h);
		}
		html_close(h);
		free(a);
		free(b);
	}
	html_close(h);
	html_close(h);
	html_close(h);
}

int
ui_reg_entry(struct req *r)
{
	struct registry	   reg, old;
	struct reg_change *ch = NULL;
	struct org_needs   on;
	struct span	  *hist = NULL;
	struct html	   h;
	struct err	   e;
	const struct reg_entry *x = NULL;
	char		  *p, *q, d[11];
	size_t		   i;
	int		   n, nh, k, excluded = 0, any;
	struct buf	   b;

	err_clear(&e);
	memset(&old, 0, sizeof(old));
	if (registry_load(r->db, r->org->id, 0, &reg, &e) != 0)
		return ui_fail(r, &e);
	for (i = 0; i < reg.n; i++)
		if (reg.v[i].id == r->id)
			x = &reg.v[i];
	nh = history_load(r->db, r->org->id, r->id, &hist);
	if (x == NULL && nh > 0 && hist[nh - 1].to > 0) {
		/* Excluded: show it as it last was. */
		if (registry_load(r->db, r->org->id, hist[nh - 1].to - 1, &old,
			&e) == 0)
			for (i = 0; i < old.n; i++)
				if (old.v[i].id == r->id)
					x = &old.v[i];
		excluded = x != NULL;
	}
	if (x == NULL) {
		free(hist);
		registry_free(&reg);
		registry_free(&old);
		return req_error(r, 404, NULL,
		    L(r, "Такой точки взаимодействия в перечне нет.",
			"There is no such touchpoint in the registry."));
	}
	if ((n = registry_changes(r->db, r->org->id, -1, &ch, &e)) < 0)
		n = 0;
	org_needs_load(r->db, r->org->id, &on);

	page_begin(r, &h, x->name, S_ENTRIES);
	html_elem(&h, "h1", x->name, NULL);
	notice(r, &h);
	html_open(&h, "p", "class", "where", NULL);
	html_text(&h, x->area);
	html_text(&h, " → ");
	html_text(&h, x->process);
	html_close(&h);
	if (excluded)
		html_elem(&h, "p", L(r, "Эта точка исключена из перечня; ниже — "
				       "её последнее содержание.",
				       "This touchpoint is excluded from the "
				       "registry; below is its last content."),
		    "class", "alert", NULL);

	/* Changes of it that are not decided yet. */
	any = 0;
	for (k = 0; k < n; k++) {
		if (ch[k].touchpoint_id != r->id ||
		    (ch[k].state != ST_DRAFT && ch[k].state != ST_SUBMITTED &&
			ch[k].state != ST_RETURNED))
			continue;
		if (!any) {
			html_open(&h, "div", "class", "notice", NULL);
			html_elem(&h, "p", L(r, "Есть нерешённые изменения этой "
					       "точки:",
					       "Undecided changes of this "
					       "touchpoint:"), NULL);
			html_open(&h, "ul", NULL);
		}
		any = 1;
		p = ui_opath(r, "/registry/changes/%lld", (long long)ch[k].id);
		html_open(&h, "li", NULL);
		html_open(&h, "a", "href", p, NULL);
		html_textf(&h, "№ %lld: %s, %s", (long long)ch[k].id,
		    op_title(r, ch[k].op), state_title(r, ch[k].state));
		html_close(&h);
		html_close(&h);
		free(p);
	}
	if (any) {
		html_close(&h);
		html_close(&h);
	}

	if (!excluded && holds(r, "editor")) {
		html_open(&h, "div", "class", "actions", NULL);
		p = ui_opath(r, "/registry/entries/%lld/edit", (long long)x->id);
		html_elem(&h, "a", L(r, "Изменить", "Change"), "href", p,
		    "class", "button", NULL);
		free(p);
		p = ui_opath(r, "/registry/entries/%lld/exclude", (long long)x->id);
		button_form(r, &h, p, L(r, "Исключить", "Exclude"),
		    "secondary");
		free(p);
		html_elem(&h, "p", L(r, "Изменение и исключение сохраняются как "
				       "черновик; в перечень их включает "
				       "уполномоченное лицо.",
				       "A change or an exclusion is saved as a "
				       "draft; the registry officer includes "
				       "it."),
		    "class", "hint", NULL);
		html_close(&h);
	}

	entry_table(r, &h, &on, NULL, x, L(r, "Содержание записи",
					     "The entry"), NULL);

	html_elem(&h, "h2", L(r, "История", "History"), NULL);
	html_open(&h, "ul", NULL);
	for (k = 0; k < nh; k++) {
		html_open(&h, "li", NULL);
		buf_init(&b, 1024);
		if (hist[k].to == 0)
			buf_printf(&b, "%s %lld %s", L(r, "с версии",
						     "from version"),
			    (long long)hist[k].from,
			    L(r, "по текущую", "to the current one"));
		else if (hist[k].to - 1 == hist[k].from)
			buf_printf(&b, "%s %lld", L(r, "в версии",
						 "in version"),
			    (long long)hist[k].from);
		else
			buf_printf(&b, "%s %lld–%lld", L(r, "в версиях",
						     "in versions"),
			    (long long)hist[k].from,
			    (long long)hist[k].to - 1);
		html_text(&h, buf_str(&b));
		buf_free(&b);
		if (hist[k].from > 1) {
			q = ui_opath(r, "/registry/diff?a=%lld&b=%lld",
			    (long long)hist[k].from - 1,
			    (long long)hist[k].from);
			html_text(&h, " (");
			html_elem(&h, "a", L(r, "что изменилось",
					       "what changed"), "href", q,
			    NULL);
			html_text(&h, ")");
			free(q);
		}
		html_close(&h);
	}
	html_close(&h);

	any = 0;
	for (k = 0; k < n; k++) {
		if (ch[k].touchpoint_id != r->id)
			continue;
		if (!any) {
			html_open(&h, "table", NULL);
			html_elem(&h, "caption", L(r, "Изменения этой точки",
						     "Changes of this "
						     "touchpoint"), NULL);
			html_open(&h, "thead", NULL);
			html_open(&h, "tr", NULL);
			html_elem(&h, "th", "№", "scope", "col", NULL);
			html_elem(&h, "th", L(r, "Операция", "Operation"),
			    "scope", "col", NULL);
			html_elem(&h, "th", L(r, "Состояние", "State"),
			    "scope", "col", NULL);
			html_elem(&h, "th", L(r, "Создано", "Created"),
			    "scope", "col", NULL);
			html_elem(&h, "th", L(r, "Версия", "Version"),
			    "scope", "col", NULL);
			html_close(&h);
			html_close(&h);
			html_open(&h, "tbody", NULL);
		}
		any = 1;
		p = ui_opath(r, "/registry/changes/%lld", (long long)ch[k].id);
		html_open(&h, "tr", NULL);
		html_open(&h, "td", NULL);
		html_open(&h, "a", "href", p, NULL);
		html_textf(&h, "%lld", (long long)ch[k].id);
		html_close(&h);
		html_close(&h);
		free(p);
		html_elem(&h, "td", op_title(r, ch[k].op), NULL);
		html_elem(&h, "td", state_title(r, ch[k].state), NULL);
		day_of(r, ch[k].created_at, d);
		html_elem(&h, "td", d, NULL);
		html_open(&h, "td", NULL);
		if (ch[k].version > 0)
			html_textf(&h, "%lld", (long long)ch[k].version);
		html_close(&h);
		html_close(&h);
	}
	if (any) {
		html_close(&h);
		html_close(&h);
	}
	ui_end(r, &h);

	for (k = 0; k < n; k++)
		reg_change_clear(&ch[k]);
	free(ch);
	free(hist);
	org_needs_free(&on);
	registry_free(&reg);
	registry_free(&old);
	return 0;
}

/*
 * The form: GET /{org}/registry/new, /entries/{id}/edit,
 * /changes/{id}/edit; the POSTs that draft.
 */

int
ui_reg_new_form(struct req *r)
{
	struct form_page fp;
	struct form	 fm;
	struct registry	 reg;
	struct err	 e;
	char		*cancel = ui_opath(r, "/registry/entries");
	size_t		 i, internal = 0;

	form_blank(&fm);
	/* Clients as the registry mostly has them: a body's registry is often
	 * all internal or all external. */
	if (registry_load(r->db, r->org->id, 0, &reg, &e) == 0) {
		for (i = 0; i < reg.n; i++)
			internal += reg.v[i].client == CLIENT_INTERNAL;
		if (internal * 2 > reg.n) {
			free(fm.v[F_CLIENT]);
			fm.v[F_CLIENT] = xstrdup("internal");
		}
		registry_free(&reg);
	}
	memset(&fp, 0, sizeof(fp));
	fp.title = L(r, "Новая точка взаимодействия", "New touchpoint");
	fp.action = r->path;
	fp.cancel = cancel;
	fp.intro = L(r, "Точка сохраняется как черновик; после сохранения "
			"вы увидите проверки перечня с ней, а в перечень её "
			"включит уполномоченное лицо.",
			"The touchpoint is saved as a draft; then you see the "
			"checks of the registry with it, and the registry "
			"officer includes it.");
	form_page(r, &fp, &fm, NULL);
	form_free(&fm);
	free(cancel);
	return 0;
}

/* Saves the form as a draft of op (on touchpoint base, for a change) and
 * goes to the change; errors bring the form back. */
static int
draft_from_form(struct req *r, enum change_op op, const struct reg_entry *base,
    const struct form_page *fp)
{
	struct reg_entry x;
	struct form	 fm;
	struct err	 e;
	struct form_page back = *fp;
	int64_t		 id;

	form_from_request(r, &fm);
	reg_entry_init(&x);
	if (base != NULL)
		reg_entry_copy(&x, base);
	if (form_to_entry(r, &fm, &x) > 0) {
		back.status = 422;
		form_page(r, &back, &fm, NULL);
		goto out;
	}
	err_clear(&e);
	if (registry_draft(r->db, r->org, r->session->login, op, &x, &id,
		&e) != 0) {
		if (e.code == EXIT_USAGE || e.code == EXIT_DATAERR) {
			/* The registry's own validation, said for a field. */
			enum field f = strncmp(e.msg, "--area", 6) == 0 ? F_AREA
			    : strncmp(e.msg, "--process", 9) == 0 ? F_PROCESS
			    : strncmp(e.msg, "--name", 6) == 0	  ? F_NAME
			    : strstr(e.msg, "need") != NULL	  ? F_NEEDS
								  : F_NAME;
			form_error(&fm, f, e.msg);
			back.status = 422;
			form_page(r, &back, &fm, NULL);
		} else
			ui_fail(r, &e);
		goto out;
	}
	ui_redirect(r, ui_opath(r, "/registry/changes/%lld?done=draft",
			(long long)id));
out:
	reg_entry_clear(&x);
	form_free(&fm);
	return 0;
}

int
ui_reg_new_post(struct req *r)
{
	struct form_page fp;
	char		*cancel = ui_opath(r, "/registry/entries");
	int		 rc;

	memset(&fp, 0, sizeof(fp));
	fp.title = L(r, "Новая точка взаимодействия", "New touchpoint");
	fp.action = r->path;
	fp.cancel = cancel;
	rc = draft_from_form(r, OP_ADD, NULL, &fp);
	free(cancel);
	return rc;
}

/* The entry id of the latest registry, copied into x; 0 or -1 (page
 * written). */
static int
current_entry(struct req *r, int64_t id, struct reg_entry *x)
{
	struct registry reg;
	struct err	e;
	size_t		i;

	err_clear(&e);
	if (registry_load(r->db, r->org->id, 0, &reg, &e) != 0)
		return ui_fail(r, &e), -1;
	for (i = 0; i < reg.n && reg.v[i].id != id; i++)
		;
	if (i == reg.n) {
		registry_free(&reg);
		return req_error(r, 404, NULL,
		    L(r, "Такой точки взаимодействия в текущем перечне нет.",
			"There is no such touchpoint in the current "
			"registry.")), -1;
	}
	reg_entry_copy(x, &reg.v[i]);
	registry_free(&reg);
	return 0;
}

/* The checks of the registry as included, placed at the fields of x. */
static void
current_checks(struct req *r, const struct reg_entry *x, struct placed *pl)
{
	struct reg_findings found;
	struct registry	    reg;
	struct err	    e;

	memset(pl, 0, sizeof(*pl));
	if (registry_load(r->db, r->org->id, 0, &reg, &e) != 0)
		return;
	registry_sort(&reg);
	registry_check(&reg, &found);
	place(r, pl, &found, &reg, x);
	registry_free(&reg);
}

int
ui_reg_edit_form(struct req *r)
{
	struct reg_entry x;
	struct form_page fp;
	struct form	 fm;
	struct placed	 pl;
	char		*cancel, *title;

	reg_entry_init(&x);
	if (current_entry(r, r->id, &x) != 0) {
		reg_entry_clear(&x);
		return 0;
	}
	form_from_entry(&fm, &x);
	current_checks(r, &x, &pl);
	cancel = ui_opath(r, "/registry/entries/%lld", (long long)r->id);
	title = xasprintf("%s: %s", L(r, "Изменение точки",
				      "Change of a touchpoint"), x.name);
	memset(&fp, 0, sizeof(fp));
	fp.title = title;
	fp.action = r->path;
	fp.cancel = cancel;
	fp.intro = L(r, "Изменение сохраняется как черновик; в перечень его "
			"включит уполномоченное лицо. Ниже — проверки "
			"перечня в нынешнем виде.",
			"The change is saved as a draft; the registry officer "
			"includes it. Below are the checks of the registry as "
			"it is.");
	form_page(r, &fp, &fm, &pl);
	placed_free(&pl);
	form_free(&fm);
	free(cancel);
	free(title);
	reg_entry_clear(&x);
	return 0;
}

int
ui_reg_edit_post(struct req *r)
{
	struct reg_entry x;
	struct form_page fp;
	char		*cancel, *title;

	reg_entry_init(&x);
	if (current_entry(r, r->id, &x) != 0) {
		reg_entry_clear(&x);
		return 0;
	}
	cancel = ui_opath(r, "/registry/entries/%lld", (long long)r->id);
	title = xasprintf("%s: %s", L(r, "Изменение точки",
				      "Change of a touchpoint"), x.name);
	memset(&fp, 0, sizeof(fp));
	fp.title = title;
	fp.action = r->path;
	fp.cancel = cancel;
	draft_from_form(r, OP_CHANGE, &x, &fp);
	free(cancel);
	free(title);
	reg_entry_clear(&x);
	return 0;
}

/* POST /{org}/registry/entries/{id}/exclude */
int
ui_reg_exclude_post(struct req *r)
{
	struct err e;
	int64_t	   id;

	err_clear(&e);
	if (registry_draft_exclude(r->db, r->org, r->session->login, r->id,
		&id, &e) != 0)
		return ui_fail(r, &e);
	return ui_redirect(r, ui_opath(r, "/registry/changes/%lld?done=exclude",
			       (long long)id));
}

/* The change of {id} for the form; 0, or -1 with the page written. */
static int
change_for_form(struct req *r, struct reg_change *c)
{
	struct err e;

	err_clear(&e);
	if (registry_change_get(r->db, r->org->id, r->id, c, &e) != 0)
		return ui_fail(r, &e), -1;
	if (c->op == OP_EXCLUDE ||
	    (c->state != ST_DRAFT && c->state != ST_RETURNED)) {
		reg_change_clear(c);
		return req_error(r, 409, NULL,
		    L(r, "Исправить можно только черновик или возвращённое "
			 "изменение добавления или изменения точки.",
			"Only a draft or a returned addition or change can be "
			"corrected.")), -1;
	}
	return 0;
}

int
ui_reg_change_form(struct req *r)
{
	struct reg_change c;
	struct form_page  fp;
	struct form	  fm;
	struct placed	  pl;
	struct err	  e;
	char		 *cancel, *title;

	if (change_for_form(r, &c) != 0)
		return 0;
	err_clear(&e);
	if (verify_placed(r, &c, &pl, &e) != 0) {
		reg_change_clear(&c);
		return ui_fail(r, &e);
	}
	form_from_entry(&fm, &c.entry);
	cancel = ui_opath(r, "/registry/changes/%lld", (long long)c.id);
	title = xasprintf("%s %lld", L(r, "Исправление изменения №",
				       "Correcting change"),
	    (long long)c.id);
	memset(&fp, 0, sizeof(fp));
	fp.title = title;
	fp.action = r->path;
	fp.cancel = cancel;
	fp.intro = L(r, "Исправленное изменение сохраняется как новый "
			"черновик.",
			"The corrected change is saved as a new draft.");
	form_page(r, &fp, &fm, &pl);
	placed_free(&pl);
	form_free(&fm);
	free(cancel);
	free(title);
	reg_change_clear(&c);
	return 0;
}

int
ui_reg_change_post(struct req *r)
{
	struct reg_change c;
	struct form_page  fp;
	char		 *cancel, *title;

	if (change_for_form(r, &c) != 0)
		return 0;
	cancel = ui_opath(r, "/registry/changes/%lld", (long long)c.id);
	title = xasprintf("%s %lld", L(r, "Исправление изменения №",
				       "Correcting change"),
	    (long long)c.id);
	memset(&fp, 0, sizeof(fp));
	fp.title = title;
	fp.action = r->path;
	fp.cancel = cancel;
	if (c.op == OP_ADD)
		c.entry.id = 0;
	draft_from_form(r, c.op, c.op == OP_CHANGE ? &c.entry : NULL, &fp);
	/* Saved as a new draft: the old one is withdrawn, not left open. */
	if (r->status == 303) {
		struct err e;

		err_clear(&e);
		if (registry_withdraw(r->db, r->org, r->session->login, c.id,
			&e) != 0)
			fprintf(stderr, "otklik: withdrawing change %lld: %s\n",
			    (long long)c.id, e.msg);
	}
	free(cancel);
	free(title);
	reg_change_clear(&c);
	return 0;
}

/*
 * GET /{org}/registry/changes?state= — the list.
 */

/* Touchpoints by id, to name those a change no longer carries. */
static int
by_entry_id(const void *a, const void *b)
{
	const struct reg_entry *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* At most this many changes are listed; a state narrows the list. */
#define CHANGES_SHOWN 500

int
ui_reg_changes(struct req *r)
{
	static const int order[] = {-1, ST_SUBMITTED, ST_DRAFT, ST_RETURNED,
	    ST_INCLUDED, ST_WITHDRAWN};
	struct reg_change *ch;
	struct reg_entry   key;
	const struct reg_entry *hit;
	struct registry	   reg;
	struct html	   h;
	struct err	   e;
	struct buf	   b;
	const char	  *sp = req_param(r, "state"), *name;
	char		  *p, d[11], *fallback;
	size_t		   i;
	int		   n, k, shown, state = -1, total = 0;
	int		   count[ST_WITHDRAWN + 1];

	if (!str_empty(sp))
		state = change_state_parse(sp);
	err_clear(&e);
	if (change_counts(r->db, r->org->id, count, &e) != 0)
		return ui_fail(r, &e);
	for (k = 0; k <= ST_WITHDRAWN; k++)
		total += count[k];
	if ((n = registry_changes(r->db, r->org->id, state, &ch, &e)) < 0)
		return ui_fail(r, &e);
	if (registry_load(r->db, r->org->id, 0, &reg, &e) != 0) {
		for (k = 0; k < n; k++)
			reg_change_clear(&ch[k]);
		free(ch);
		return ui_fail(r, &e);
	}
	if (reg.n > 1)
		qsort(reg.v, reg.n, sizeof(*reg.v), by_entry_id);

	page_begin(r, &h, L(r, "Изменения перечня", "Changes"), S_CHANGES);
	html_elem(&h, "h1", L(r, "Изменения перечня", "Changes"), NULL);
	notice(r, &h);
	html_open(&h, "nav", "aria-label", L(r, "Отбор по состоянию",
					      "Filter by state"),
	    "class", "filter", NULL);
	html_open(&h, "ul", NULL);
	for (i = 0; i < nitems(order); i++) {
		p = order[i] < 0 ? ui_opath(r, "/registry/changes")
				 : ui_opath(r, "/registry/changes?state=%s",
				       change_state_name(order[i]));
		html_open(&h, "li", NULL);
		html_open(&h, "a", "href", p, "aria-current",
		    order[i] == state ? "page" : NULL, NULL);
		html_textf(&h, "%s (%d)", order[i] < 0 ? L(r, "все", "all")
		    : state_title(r, (enum change_state)order[i]),
		    order[i] < 0 ? total : count[order[i]]);
		html_close(&h);
		html_close(&h);
		free(p);
	}
	html_close(&h);
	html_close(&h);

	if (n == 0)
		html_elem(&h, "p", L(r, "Изменений нет.", "No changes."), NULL);
	else {
		if (n > CHANGES_SHOWN) {
			html_open(&h, "p", NULL);
			html_textf(&h, "%s %d %s %d.",
			    L(r, "Показаны последние", "Showing the latest"),
			    CHANGES_SHOWN, L(r, "из", "of"), n);
			html_close(&h);
		}
		html_open(&h, "div", "class", "table-wrap", NULL);
		html_open(&h, "table", NULL);
		html_elem(&h, "caption", state < 0
		    ? L(r, "Все изменения, новые сверху",
			  "All changes, newest first")
		    : state_title(r, (enum change_state)state), NULL);
		html_open(&h, "thead", NULL);
		html_open(&h, "tr", NULL);
		html_elem(&h, "th", "№", "scope", "col", NULL);
		html_elem(&h, "th", L(r, "Операция", "Operation"), "scope",
		    "col", NULL);
		html_elem(&h, "th", L(r, "Состояние", "State"), "scope", "col",
		    NULL);
		html_elem(&h, "th", L(r, "Точка взаимодействия", "Touchpoint"),
		    "scope", "col", NULL);
		html_elem(&h, "th", L(r, "Автор", "Author"), "scope", "col",
		    NULL);
		html_elem(&h, "th", L(r, "Создано", "Created"), "scope", "col",
		    NULL);
		html_elem(&h, "th", L(r, "Основание актуализации",
					"Actualization trigger"),
		    "scope", "col", NULL);
		html_elem(&h, "th", L(r, "Комментарий", "Comment"), "scope",
		    "col", NULL);
		html_close(&h);
		html_close(&h);
		html_open(&h, "tbody", NULL);
		for (k = n - 1, shown = 0; k >= 0 && shown < CHANGES_SHOWN;
		     k--, shown++) {
			fallback = NULL;
			name = ch[k].entry.name;
			if (*name == '\0') {
				key.id = ch[k].touchpoint_id;
				hit = reg.n > 0 ? bsearch(&key, reg.v, reg.n,
				    sizeof(*reg.v), by_entry_id) : NULL;
				if (hit != NULL)
					name = hit->name;
				else
					name = fallback = xasprintf("%s %lld",
					    L(r, "точка №", "touchpoint"),
					    (long long)ch[k].touchpoint_id);
			}
			p = ui_opath(r, "/registry/changes/%lld",
			    (long long)ch[k].id);
			html_open(&h, "tr", NULL);
			html_open(&h, "th", "scope", "row", NULL);
			html_open(&h, "a", "href", p, NULL);
			html_textf(&h, "%lld", (long long)ch[k].id);
			html_close(&h);
			html_close(&h);
			free(p);
			html_elem(&h, "td", op_title(r, ch[k].op), NULL);
			html_elem(&h, "td", state_title(r, ch[k].state), NULL);
			html_elem(&h, "td", name, NULL);
			free(fallback);
			html_elem(&h, "td", ch[k].author, NULL);
			day_of(r, ch[k].created_at, d);
			html_elem(&h, "td", d, NULL);
			buf_init(&b, 1024);
			triggers_text(r, ch[k].triggers, &b);
			html_elem(&h, "td", buf_str(&b), NULL);
			buf_free(&b);
			html_elem(&h, "td", ch[k].comment != NULL
			    ? ch[k].comment : "", NULL);
			html_close(&h);
		}
		html_close(&h);
		html_close(&h);
		html_close(&h);
	}
	ui_end(r, &h);
	for (k = 0; k < n; k++)
		reg_change_clear(&ch[k]);
	free(ch);
	registry_free(&reg);
	return 0;
}

/*
 * GET /{org}/registry/changes/{id} — one change, its checks, the buttons
 * of the workflow for those who may press them.
 */

struct change_view {
	const char *comment_err;	/* the return form's comment */
	const char *alert;		/* why an action failed */
	int	    status;
};

static void
dl_row(struct html *h, const char *term, const char *value)
{
	html_elem(h, "dt", term, NULL);
	html_elem(h, "dd", value, NULL);
}

static int
change_page(struct req *r, const struct change_view *cv)
{
	struct reg_change c;
	struct registry	  cur;
	struct org_needs  on;
	struct placed	  pl;
	struct html	  h;
	struct err	  e;
	struct buf	  b;
	const struct reg_entry *old = NULL;
	char		 *title, *p, d[11];
	size_t		  i;
	int		  open_state;

	err_clear(&e);
	if (registry_change_get(r->db, r->org->id, r->id, &c, &e) != 0)
		return ui_fail(r, &e);
	if (registry_load(r->db, r->org->id, 0, &cur, &e) != 0) {
		reg_change_clear(&c);
		return ui_fail(r, &e);
	}
	for (i = 0; i < cur.n; i++)
		if (cur.v[i].id == c.touchpoint_id)
			old = &cur.v[i];
	open_state = c.state == ST_DRAFT || c.state == ST_SUBMITTED ||
	    c.state == ST_RETURNED;
	memset(&pl, 0, sizeof(pl));
	if (open_state && verify_placed(r, &c, &pl, &e) != 0)
		memset(&pl, 0, sizeof(pl));	/* shown without checks */
	org_needs_load(r->db, r->org->id, &on);

	title = xasprintf("%s %lld: %s", L(r, "Изменение №", "Change"),
	    (long long)c.id, op_title(r, c.op));
	page_begin(r, &h, title, S_CHANGES);
	html_elem(&h, "h1", title, NULL);
	notice(r, &h);
	if (cv->alert != NULL) {
		html_open(&h, "div", "class", "alert", "role", "alert", NULL);
		html_elem(&h, "p", cv->alert, NULL);
		html_close(&h);
	}
	if (c.state == ST_RETURNED && c.comment != NULL) {
		html_open(&h, "div", "class", "alert", "aria-labelledby",
		    "comment-title", NULL);
		html_elem(&h, "h2", L(r, "Возвращено с комментарием",
					"Returned with a comment"),
		    "id", "comment-title", NULL);
		html_elem(&h, "p", c.comment, NULL);
		html_close(&h);
	}

	html_open(&h, "dl", "class", "summary", NULL);
	dl_row(&h, L(r, "Состояние", "State"), state_title(r, c.state));
	dl_row(&h, L(r, "Автор", "Author"), c.author);
	day_of(r, c.created_at, d);
	dl_row(&h, L(r, "Создано", "Created"), d);
	if (c.submitted_at > 0) {
		day_of(r, c.submitted_at, d);
		dl_row(&h, L(r, "Отправлено на проверку", "Submitted"), d);
	}
	if (c.decided_by != NULL) {
		day_of(r, c.decided_at, d);
		p = xasprintf("%s, %s", c.decided_by, d);
		dl_row(&h, L(r, "Решение принял", "Decided by"), p);
		free(p);
	}
	if (c.version > 0) {
		p = xasprintf("%lld", (long long)c.version);
		dl_row(&h, L(r, "Включено в версию", "Included in version"), p);
		free(p);
	}
	if (c.triggers != 0) {
		buf_init(&b, 1024);
		triggers_text(r, c.triggers, &b);
		dl_row(&h, L(r, "Основание актуализации",
			       "Actualization trigger"), buf_str(&b));
		buf_free(&b);
	}
	if (c.comment != NULL && c.state != ST_RETURNED)
		dl_row(&h, L(r, "Комментарий", "Comment"), c.comment);
	html_close(&h);

	if (c.touchpoint_id > 0 && c.op != OP_ADD) {
		p = ui_opath(r, "/registry/entries/%lld",
		    (long long)c.touchpoint_id);
		html_open(&h, "p", NULL);
		html_elem(&h, "a", L(r, "Точка в перечне",
				       "The touchpoint in the registry"),
		    "href", p, NULL);
		html_close(&h);
		free(p);
	}

	if (pl.ran)
		checks_summary(r, &h, &pl, "Проверки перечня с этим изменением",
		    "Checks of the registry with this change",
		    placed_at_fields(&pl));

	html_elem(&h, "h2", c.op == OP_EXCLUDE
	    ? L(r, "Исключаемая точка", "The touchpoint to exclude")
	    : L(r, "Предлагаемое содержание", "Proposed content"), NULL);
	if (c.op == OP_EXCLUDE) {
		if (old != NULL)
			entry_table(r, &h, &on, NULL, old,
			    L(r, "Точка, как она сейчас в перечне",
				"The touchpoint as it is now"), NULL);
		else
			html_elem(&h, "p", L(r, "Этой точки уже нет в текущем "
					       "перечне.",
					       "The touchpoint is no longer "
					       "in the current registry."),
			    NULL);
	} else
		entry_table(r, &h, &on,
		    c.op == OP_CHANGE && open_state ? old : NULL, &c.entry,
		    c.op == OP_CHANGE && open_state && old != NULL
			? L(r, "Поля точки: сейчас и предлагается",
			      "Fields: now and proposed")
			: L(r, "Поля точки", "Fields"),
		    &pl);

	/* The workflow, for those whose roles allow it. */
	if (open_state && (holds(r, "editor") || holds(r, "officer"))) {
		html_open(&h, "section", "class", "actions",
		    "aria-labelledby", "actions-title", NULL);
		html_elem(&h, "h2", L(r, "Действия", "Actions"), "id",
		    "actions-title", NULL);
		if ((c.state == ST_DRAFT || c.state == ST_RETURNED) &&
		    holds(r, "editor")) {
			p = ui_opath(r, "/registry/changes/%lld/submit",
			    (long long)c.id);
			button_form(r, &h, p, L(r, "Отправить на проверку",
						  "Submit for verification"),
			    NULL);
			free(p);
			if (c.op != OP_EXCLUDE) {
				p = ui_opath(r, "/registry/changes/%lld/edit",
				    (long long)c.id);
				html_elem(&h, "a", L(r, "Исправить", "Correct"),
				    "href", p, "class", "button secondary",
				    NULL);
				free(p);
			}
		}
		if (c.state == ST_SUBMITTED && holds(r, "officer")) {
			p = ui_opath(r, "/registry/changes/%lld/include",
			    (long long)c.id);
			button_form(r, &h, p, L(r, "Включить в перечень",
						  "Include in the registry"),
			    NULL);
			free(p);
			p = ui_opath(r, "/registry/changes/%lld/return",
			    (long long)c.id);
			html_open(&h, "form", "method", "post", "action", p,
			    "class", "stack", NULL);
			free(p);
			ui_csrf(r, &h);
			html_open(&h, "div", "class", "field", NULL);
			html_elem(&h, "label", L(r, "Комментарий для автора",
						   "Comment for the author"),
			    "for", "comment", "class", "required", NULL);
			html_elem(&h, "p", L(r, "Что исправить; без комментария "
					       "изменение не вернуть.",
					       "What to correct; a change goes "
					       "back only with a comment."),
			    "class", "hint", "id", "comment-hint", NULL);
			if (cv->comment_err != NULL) {
				html_open(&h, "p", "class", "error", "id",
				    "comment-err", NULL);
				html_elem(&h, "strong", L(r, "Ошибка:",
							    "Error:"), NULL);
				html_text(&h, " ");
				html_text(&h, cv->comment_err);
				html_close(&h);
			}
			html_open(&h, "textarea", "id", "comment", "name",
			    "comment", "rows", "3", "required", "",
			    "aria-describedby", cv->comment_err != NULL
				? "comment-hint comment-err" : "comment-hint",
			    "aria-invalid", cv->comment_err != NULL ? "true"
								    : NULL,
			    NULL);
			html_close(&h);
			html_close(&h);
			html_elem(&h, "button", L(r, "Вернуть автору",
						    "Return to the author"),
			    "type", "submit", "class", "secondary", NULL);
			html_close(&h);
		}
		html_close(&h);
	}
	ui_end(r, &h);
	if (cv->status != 0)
		r->status = cv->status;
	free(title);
	placed_free(&pl);
	org_needs_free(&on);
	registry_free(&cur);
	reg_change_clear(&c);
	return 0;
}

int
ui_reg_change(struct req *r)
{
	struct change_view cv = {NULL, NULL, 0};

	return change_page(r, &cv);
}

/* Why a workflow step failed, in the language of the page. */
static const char *
step_failed(const struct req *r, const struct err *e)
{
	return e->msg[0] != '\0' ? e->msg : L(r, "Не получилось.", "Failed.");
}

int
ui_reg_submit(struct req *r)
{
	struct change_view cv = {NULL, NULL, 409};
	struct err	   e;

	err_clear(&e);
	if (registry_submit(r->db, r->org, r->session->login, r->id, &e) != 0) {
		if (e.code == EXIT_NOINPUT || e.code == EXIT_IOERR)
			return ui_fail(r, &e);
		cv.alert = step_failed(r, &e);
		return change_page(r, &cv);
	}
	return ui_redirect(r, ui_opath(r, "/registry/changes/%lld?done=submitted",
			       (long long)r->id));
}

int
ui_reg_include(struct req *r)
{
	struct change_view  cv = {NULL, NULL, 409};
	struct reg_findings found;
	struct err	    e;
	char		   *msg = NULL;
	int64_t		    version, id = r->id;
	int		    rc;

	err_clear(&e);
	if (registry_include(r->db, r->org, r->session->login, &id, 1,
		&version, &found, &e) != 0) {
		if (e.code == EXIT_NOINPUT || e.code == EXIT_IOERR) {
			findings_free(&found);
			return ui_fail(r, &e);
		}
		if (found.errors > 0)
			msg = xasprintf("%s %d %s",
			    L(r, "Изменение не включено: проверки нашли",
				"Not included: the checks found"),
			    found.errors,
			    plural(r, found.errors, "ошибку", "ошибки",
				"ошибок", "error", "errors"));
		cv.alert = msg != NULL ? msg : step_failed(r, &e);
		findings_free(&found);
		rc = change_page(r, &cv);
		free(msg);
		return rc;
	}
	findings_free(&found);
	return ui_redirect(r, ui_opath(r, "/registry/changes/%lld?done=included&v="
				  "%lld", (long long)r->id, (long long)version));
}

int
ui_reg_return(struct req *r)
{
	struct change_view cv = {NULL, NULL, 0};
	const char	  *comment = req_param(r, "comment");
	struct err	   e;

	if (str_empty(comment)) {
		cv.comment_err = L(r, "напишите, что исправить",
		    "say what to correct");
		cv.status = 422;
		return change_page(r, &cv);
	}
	err_clear(&e);
	if (registry_return(r->db, r->org, r->session->login, r->id, comment,
		&e) != 0) {
		if (e.code == EXIT_NOINPUT || e.code == EXIT_IOERR)
			return ui_fail(r, &e);
		cv.alert = step_failed(r, &e);
		cv.status = 409;
		return change_page(r, &cv);
	}
	return ui_redirect(r, ui_opath(r, "/registry/changes/%lld?done=returned",
			       (long long)r->id));
}

/*
 * GET /{org}/registry/versions — versions, publications, downloads.
 */

int
ui_reg_versions(struct req *r)
{
	struct reg_version *v;
	struct html	    h;
	struct err	    e;
	char		   *p, d[11];
	int		    n, i;

	err_clear(&e);
	if ((n = registry_versions(r->db, r->org->id, 1, &v, &e)) < 0)
		return ui_fail(r, &e);
	page_begin(r, &h, L(r, "Версии перечня", "Versions"), S_VERSIONS);
	html_elem(&h, "h1", L(r, "Версии перечня", "Versions of the registry"),
	    NULL);
	notice(r, &h);
	if (n == 0)
		html_elem(&h, "p", L(r, "Версий пока нет: загрузите перечень "
				       "или включите изменения.",
				       "No versions yet: upload the registry "
				       "or include changes."), NULL);
	else {
		html_open(&h, "div", "class", "table-wrap", NULL);
		html_open(&h, "table", NULL);
		html_elem(&h, "caption", L(r, "Версии, новые сверху",
					     "Versions, newest first"), NULL);
		html_open(&h, "thead", NULL);
		html_open(&h, "tr", NULL);
		html_elem(&h, "th", L(r, "Версия", "Version"), "scope", "col",
		    NULL);
		html_elem(&h, "th", L(r, "Дата", "Date"), "scope", "col", NULL);
		html_elem(&h, "th", L(r, "Включил", "By"), "scope", "col", NULL);
		html_elem(&h, "th", L(r, "Изменений", "Changes"), "scope", "col",
		    NULL);
		html_elem(&h, "th", L(r, "Публикация", "Publication"), "scope",
		    "col", NULL);
		html_elem(&h, "th", L(r, "Примечание", "Note"), "scope", "col",
		    NULL);
		html_elem(&h, "th", L(r, "Ссылки", "Links"), "scope", "col",
		    NULL);
		html_close(&h);
		html_close(&h);
		html_open(&h, "tbody", NULL);
		for (i = 0; i < n; i++) {
			html_open(&h, "tr", NULL);
			html_open(&h, "th", "scope", "row", NULL);
			html_textf(&h, "%lld", (long long)v[i].version);
			html_close(&h);
			day_of(r, v[i].at, d);
			html_elem(&h, "td", d, NULL);
			html_elem(&h, "td", v[i].by, NULL);
			html_open(&h, "td", NULL);
			html_textf(&h, "%lld", (long long)v[i].nchanges);
			html_close(&h);
			if (v[i].published_at > 0) {
				day_of(r, v[i].published_at, d);
				html_open(&h, "td", NULL);
				html_textf(&h, "%s %s", L(r, "опубликована",
							    "published"), d);
				html_close(&h);
			} else
				html_elem(&h, "td", L(r, "не опубликована",
							"not published"),
				    "class", "soon", NULL);
			html_elem(&h, "td", v[i].note != NULL ? v[i].note : "",
			    NULL);
			html_open(&h, "td", NULL);
			html_open(&h, "ul", "class", "inline", NULL);
			if (v[i].version > 1) {
				p = ui_opath(r, "/registry/diff?a=%lld&b=%lld",
				    (long long)v[i].version - 1,
				    (long long)v[i].version);
				html_open(&h, "li", NULL);
				html_open(&h, "a", "href", p, NULL);
				html_textf(&h, "%s %lld",
				    L(r, "сравнить с версией",
					"compare with version"),
				    (long long)v[i].version - 1);
				html_close(&h);
				html_close(&h);
				free(p);
			}
			{
				static const char *const fmts[] = {"html",
				    "xlsx", "csv"};
				size_t k;

				for (k = 0; k < nitems(fmts); k++) {
					p = ui_opath(r, "/registry/export.%s?"
						     "version=%lld", fmts[k],
					    (long long)v[i].version);
					html_open(&h, "li", NULL);
					html_open(&h, "a", "href", p, NULL);
					html_textf(&h, "%s %s, %s %lld",
					    L(r, "скачать", "download"),
					    fmts[k][0] == 'h' ? "HTML"
					    : fmts[k][0] == 'x' ? "XLSX"
								: "CSV",
					    L(r, "версия", "version"),
					    (long long)v[i].version);
					html_close(&h);
					html_close(&h);
					free(p);
				}
			}
			html_close(&h);
			html_close(&h);
			html_close(&h);
		}
		html_close(&h);
		html_close(&h);
		html_close(&h);
	}
	if (holds(r, "officer")) {
		p = ui_opath(r, "/");
		html_open(&h, "p", NULL);
		html_text(&h, L(r, "Публикацию записывают на ",
				  "Publications are recorded on the "));
		html_elem(&h, "a", L(r, "главной странице организации",
				       "organization's overview"), "href", p,
		    NULL);
		html_text(&h, ".");
		html_close(&h);
		free(p);
	}
	ui_end(r, &h);
	registry_versions_free(v, n);
	return 0;
}

/*
 * GET /{org}/registry/diff?a=&b= — two versions side by side.
 */

static void
diff_rows(struct req *r, struct html *h, const struct org_needs *on,
    const struct reg_diff_item *it)
{
	const struct reg_entry *x = it->b != NULL ? it->b : it->a;
	char		       *fl, *tok, *save = NULL, *a, *b;
	int			f, rows = 0, list[F__COUNT];
	const char	       *what;

	if (it->op == '~') {
		fl = xstrdup(it->fields);
		for (tok = strtok_r(fl, " ", &save); tok != NULL;
		     tok = strtok_r(NULL, " ", &save))
			if ((f = field_by_name(tok)) >= 0)
				list[rows++] = f;
		free(fl);
	} else
		for (f = 0; f < F__COUNT; f++) {
			a = entry_value(r, on, x, f);
			if (*a != '\0')
				list[rows++] = f;
			free(a);
		}
	what = it->op == '+' ? L(r, "Добавлена", "Added")
	    : it->op == '-'  ? L(r, "Исключена", "Excluded")
			     : L(r, "Изменена", "Changed");
	html_open(h, "tbody", "class", it->op == '+' ? "diff-add"
	    : it->op == '-' ? "diff-del" : "diff-chg", NULL);
	html_open(h, "tr", NULL);
	html_open(h, "th", "scope", "rowgroup", "colspan", "3", NULL);
	html_elem(h, "strong", what, NULL);
	html_text(h, ": ");
	html_text(h, x->name);
	html_text(h, " (");
	html_text(h, x->area);
	html_text(h, " / ");
	html_text(h, x->process);
	html_text(h, ")");
	html_close(h);
	html_close(h);
	for (f = 0; f < rows; f++) {
		a = it->a != NULL ? entry_value(r, on, it->a, list[f])
				  : xstrdup(L(r, "нет", "none"));
		b = it->b != NULL ? entry_value(r, on, it->b, list[f])
				  : xstrdup(L(r, "нет", "none"));
		html_open(h, "tr", NULL);
		html_elem(h, "th", field_label(r, list[f]), "scope", "row",
		    NULL);
		html_elem(h, "td", a, "class", it->a == NULL ? "none" : NULL,
		    NULL);
		html_elem(h, "td", b, "class", it->b == NULL ? "none" : NULL,
		    NULL);
		html_close(h);
		free(a);
		free(b);
	}
	html_close(h);
}

int
ui_reg_diff(struct req *r)
{
	struct registry	 ra, rb;
	struct reg_diff	 d;
	struct org_needs on;
	struct html	 h;
	struct err	 e;
	const char	*pa = req_param(r, "a"), *pb = req_param(r, "b");
	int64_t		 latest, va, vb;
	char		*title, *p, ca[64], cb[64];
	size_t		 i;
	int		 nadd = 0, ndel = 0, nchg = 0;

	err_clear(&e);
	if (registry_latest_version(r->db, r->org->id, &latest, &e) != 0)
		return ui_fail(r, &e);
	vb = !str_empty(pb) ? strtoll(pb, NULL, 10) : latest;
	va = !str_empty(pa) ? strtoll(pa, NULL, 10) : vb > 0 ? vb - 1 : 0;
	if (va > latest || vb > latest)
		return req_error(r, 404, NULL,
		    L(r, "Такой версии перечня нет.",
			"The registry has no such version."));
	memset(&ra, 0, sizeof(ra));
	memset(&rb, 0, sizeof(rb));
	if ((va > 0 && registry_load(r->db, r->org->id, va, &ra, &e) != 0) ||
	    (vb > 0 && registry_load(r->db, r->org->id, vb, &rb, &e) != 0)) {
		registry_free(&ra);
		return ui_fail(r, &e);
	}
	registry_sort(&ra);
	registry_sort(&rb);
	registry_diff(&ra, &rb, &d);
	for (i = 0; i < d.n; i++) {
		nadd += d.v[i].op == '+';
		ndel += d.v[i].op == '-';
		nchg += d.v[i].op == '~';
	}
	org_needs_load(r->db, r->org->id, &on);

	title = xasprintf("%s %lld %s %lld", L(r, "Сравнение версий",
					       "Versions"),
	    (long long)va, L(r, "и", "and"), (long long)vb);
	page_begin(r, &h, title, S_VERSIONS);
	html_elem(&h, "h1", title, NULL);

	p = ui_opath(r, "/registry/diff");
	html_open(&h, "form", "method", "get", "action", p, "class",
	    "inline-form", NULL);
	free(p);
	snprintf(ca, sizeof(ca), "%lld", (long long)va);
	snprintf(cb, sizeof(cb), "%lld", (long long)vb);
	html_elem(&h, "label", L(r, "Версия (было)", "Version (before)"),
	    "for", "a", NULL);
	html_void(&h, "input", "type", "text", "inputmode", "numeric", "id",
	    "a", "name", "a", "value", ca, "size", "4", NULL);
	html_elem(&h, "label", L(r, "Версия (стало)", "Version (after)"),
	    "for", "b", NULL);
	html_void(&h, "input", "type", "text", "inputmode", "numeric", "id",
	    "b", "name", "b", "value", cb, "size", "4", NULL);
	html_elem(&h, "button", L(r, "Сравнить", "Compare"), "type", "submit",
	    NULL);
	html_close(&h);
	html_elem(&h, "p", L(r, "Версия 0 — пустой перечень до первой версии.",
			       "Version 0 is the empty registry before the "
			       "first."), "class", "hint", NULL);

	html_open(&h, "p", "role", "status", NULL);
	html_textf(&h, "%s %d, %s %d, %s %d.",
	    L(r, "Добавлено:", "Added:"), nadd,
	    L(r, "изменено:", "changed:"), nchg,
	    L(r, "исключено:", "excluded:"), ndel);
	html_close(&h);
	if (d.n > 0) {
		html_open(&h, "div", "class", "table-wrap", NULL);
		html_open(&h, "table", "class", "diff", NULL);
		html_open(&h, "caption", NULL);
		html_textf(&h, "%s %lld %s %lld", L(r, "Различия версий",
						      "Differences between "
						      "versions"),
		    (long long)va, L(r, "и", "and"), (long long)vb);
		html_close(&h);
		html_open(&h, "thead", NULL);
		html_open(&h, "tr", NULL);
		html_elem(&h, "th", L(r, "Поле", "Field"), "scope", "col", NULL);
		html_open(&h, "th", "scope", "col", NULL);
		html_textf(&h, "%s %lld (%s)", L(r, "Версия", "Version"),
		    (long long)va, L(r, "было", "before"));
		html_close(&h);
		html_open(&h, "th", "scope", "col", NULL);
		html_textf(&h, "%s %lld (%s)", L(r, "Версия", "Version"),
		    (long long)vb, L(r, "стало", "after"));
		html_close(&h);
		html_close(&h);
		html_close(&h);
		for (i = 0; i < d.n; i++)
			diff_rows(r, &h, &on, &d.v[i]);
		html_close(&h);
		html_close(&h);
	}
	ui_end(r, &h);
	free(title);
	org_needs_free(&on);
	reg_diff_free(&d);
	registry_free(&ra);
	registry_free(&rb);
	return 0;
}

/*
 * Downloads: GET /{org}/registry/export.html|.csv|.xlsx?version=
 */

enum export_format { X_HTML, X_CSV, X_XLSX };

/* XLSX through a temporary file: this libxlsxwriter writes only to a
 * named file. */
static int
xlsx_bytes(const struct registry *reg, const struct export_meta *m,
    struct buf *out, struct err *e)
{
	const char *dir = getenv("TMPDIR");
	char	   *tmp;
	int	    fd, rc;

	tmp = xasprintf("%s/otklik-xlsx.XXXXXX",
	    dir != NULL && *dir != '\0' ? dir : "/tmp");
	if ((fd = mkstemp(tmp)) == -1) {
		rc = err_set(e, EXIT_CANTCREAT, "cannot make a temporary file");
		free(tmp);
		return rc;
	}
	close(fd);
	rc = registry_export_xlsx(reg, m, tmp, e) != 0 ||
		buf_read_file(out, tmp, e) != 0
	    ? -1
	    : 0;
	unlink(tmp);
	free(tmp);
	return rc;
}

static int
export(struct req *r, enum export_format fmt)
{
	static const char *const ext[] = {"html", "csv", "xlsx"};
	static const char *const ctype[] = {"text/html; charset=utf-8",
	    "text/csv; charset=utf-8",
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"};
	const char	  *pv = req_param(r, "version");
	const char	  *px = req_param(r, "extended");
	struct registry	   reg;
	struct export_meta m;
	struct buf	   out;
	struct err	   e;
	int64_t		   latest, version;
	char		  *name;
	int		   rc;

	err_clear(&e);
	if (registry_latest_version(r->db, r->org->id, &latest, &e) != 0)
		return ui_fail(r, &e);
	if (latest == 0)
		return req_error(r, 404, NULL,
		    L(r, "Перечень пуст: в нём ещё нет ни одной версии.",
			"The registry has no version yet."));
	version = !str_empty(pv) ? strtoll(pv, NULL, 10) : latest;
	if (version < 1 || version > latest)
		return req_error(r, 404, "version",
		    L(r, "такой версии перечня нет",
			"the registry has no such version"));
	if (registry_load(r->db, r->org->id, version, &reg, &e) != 0)
		return ui_fail(r, &e);
	registry_sort(&reg);
	memset(&m, 0, sizeof(m));
	m.org_name = r->org->name;
	m.version = reg.version;
	m.date = date_local(reg.included_at, r->org->tz);
	m.extended = fmt != X_HTML && px != NULL && strcmp(px, "1") == 0;
	buf_init(&out, BUF_MAX_DEFAULT);
	rc = fmt == X_HTML ? registry_export_html(&reg, &m, &out, &e)
	    : fmt == X_CSV ? registry_export_csv(&reg, &m, &out, &e)
			   : xlsx_bytes(&reg, &m, &out, &e);
	registry_free(&reg);
	if (rc != 0) {
		buf_free(&out);
		return ui_fail(r, &e);
	}
	name = xasprintf("perechen-%s-v%lld%s.%s", r->org->slug,
	    (long long)version, m.extended ? "-ext" : "", ext[fmt]);
	req_file(r, ctype[fmt], name, out.data, out.len);
	free(name);
	buf_free(&out);
	return 0;
}

int
ui_reg_export_html(struct req *r)
{
	return export(r, X_HTML);
}

int
ui_reg_export_csv(struct req *r)
{
	return export(r, X_CSV);
}

int
ui_reg_export_xlsx(struct req *r)
{
	return export(r, X_XLSX);
}

/*
 * Upload of the official form (R-REG-8): GET and POST
 * /{org}/registry/import, the preview /import/{id}, its confirmation and
 * cancellation.  A file that cannot be read, has rows that cannot be
 * understood, or fails a check is shown and nothing is kept; a good one is
 * kept in pending_import until the officer confirms it (or an hour
 * passes), and the confirmation imports exactly those bytes.
 */

struct pending {
	int64_t	    id;
	char	   *file_name;
	char	   *note;
	enum client client;
	char	   *data;	/* the file's bytes */
	size_t	    len;
};

static void
pending_free(struct pending *p)
{
	free(p->file_name);
	free(p->note);
	free(p->data);
	memset(p, 0, sizeof(*p));
}

static void
pending_purge(struct db *db)
{
	db_run(db, NULL, "DELETE FROM pending_import WHERE created_at < ?",
	    "i", clock_now() - PENDING_IMPORT_TTL);
}

static int
pending_store(struct req *r, const char *name, enum client client,
    const char *note, int64_t *id, struct err *e)
{
	size_t	b64len;
	char   *b64;
	int	rc;

	b64len = sodium_base64_ENCODED_LEN(r->upload.len,
	    sodium_base64_VARIANT_ORIGINAL);
	b64 = xmalloc(b64len);
	sodium_bin2base64(b64, b64len, (const unsigned char *)r->upload.data,
	    r->upload.len, sodium_base64_VARIANT_ORIGINAL);
	rc = db_run(r->db, id,
	    "INSERT INTO pending_import (org_id, login, created_at, file_name, "
	    "client, note, data) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
	    "ititttt", r->org->id, r->session->login, clock_now(), name,
	    client_code(client), note, b64);
	free(b64);
	if (rc != 0)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(r->db));
	return 0;
}

/* The signed-in person's pending upload {id} of this organization, not
 * older than an hour; 0 if found, 1 if not, -1 on error. */
static int
pending_get(struct req *r, int64_t id, struct pending *p)
{
	struct db_stmt *s;
	const char     *b64;
	size_t		len, binlen;
	int		rc = 1;

	memset(p, 0, sizeof(*p));
	s = db_prepare(r->db,
	    "SELECT id, file_name, client, note, data FROM pending_import "
	    "WHERE id = ? AND org_id = ? AND login = ? AND created_at >= ?",
	    "iiti", id, r->org->id, r->session->login,
	    clock_now() - PENDING_IMPORT_TTL);
	if (s == NULL)
		return -1;
	if (db_step(s) == DB_ROW) {
		p->id = db_col_int(s, 0);
		p->file_name = db_col_dup(s, 1);
		p->client = strcmp(db_col_text(s, 2), "internal") == 0
		    ? CLIENT_INTERNAL
		    : CLIENT_EXTERNAL;
		p->note = db_col_null(s, 3) ? NULL : db_col_dup(s, 3);
		b64 = db_col_text(s, 4);
		len = b64 != NULL ? strlen(b64) : 0;
		p->data = xmalloc(len / 4 * 3 + 1);
		if (b64 != NULL && sodium_base642bin((unsigned char *)p->data,
			len / 4 * 3, b64, len, NULL, &binlen, NULL,
			sodium_base64_VARIANT_ORIGINAL) == 0) {
			p->len = binlen;
			p->data[binlen] = '\0';
			rc = 0;
		} else
			rc = -1;
	}
	db_finalize(s);
	if (rc != 0)
		pending_free(p);
	return rc;
}

static void
pending_delete(struct req *r, int64_t id)
{
	db_run(r->db, NULL, "DELETE FROM pending_import WHERE id = ? AND "
			    "org_id = ?", "ii", id, r->org->id);
}

/* What an import of a file would do, found without writing anything. */
struct preview {
	struct import_report	rep;
	struct reg_import_stats st;
	struct placed		checks;
	struct registry		reg;
	int			rows_ok;	/* every row was read */
	int			ok;		/* it can be imported */
	char			readerr[1024];	/* not a table at all */
	char			replace_err[1024];
};

static void
preview_free(struct preview *p)
{
	import_report_free(&p->rep);
	placed_free(&p->checks);
	registry_free(&p->reg);
}

static void
preview_make(struct req *r, const char *data, size_t len, enum client client,
    struct preview *p)
{
	struct import_opts  io;
	struct reg_findings found;
	struct table	    t;
	struct err	    e;
	int64_t		    version;

	memset(p, 0, sizeof(*p));
	err_clear(&e);
	if (table_read(data, len, &t, &e) != 0) {
		snprintf(p->readerr, sizeof(p->readerr), "%s", e.msg);
		return;
	}
	memset(&io, 0, sizeof(io));
	io.client = client;
	p->rows_ok = registry_from_table(&t, &io, &p->reg, &p->rep) == 0;
	table_free(&t);
	/* Checked even with rows missing, to show all there is to fix. */
	err_clear(&e);
	p->ok = registry_replace(r->db, r->org, r->session->login, &p->reg,
	    NULL, 1, &version, &p->st, &found, &e) == 0 && p->rows_ok;
	if (e.msg[0] != '\0')
		snprintf(p->replace_err, sizeof(p->replace_err), "%s", e.msg);
	place(r, &p->checks, &found, &p->reg, NULL);
}

static void
import_form(struct req *r, const char *file_err, int status)
{
	struct html h;
	char	   *p;

	page_begin(r, &h, L(r, "Загрузка перечня из файла",
			      "Upload the registry"), S_IMPORT);
	html_elem(&h, "h1", L(r, "Загрузка перечня из файла",
				"Upload the registry from a file"), NULL);
	notice(r, &h);
	html_elem(&h, "p", L(r, "Файл в официальной форме (CSV в UTF-8 или "
			       "XLSX, до 16 МБ): строка заголовков с "
			       "названиями столбцов, затем записи; пустая "
			       "ячейка означает «то же, что выше». Загрузка "
			       "заменяет перечень целиком новой версией.",
			       "A file in the official form (CSV in UTF-8 or "
			       "XLSX, up to 16 MB): a header row with the "
			       "titles, then the entries; an empty cell means "
			       "\"the same as above\". The upload replaces the "
			       "registry as one new version."), NULL);
	html_elem(&h, "p", L(r, "Сначала файл проверяется: вы увидите каждую "
			       "строку, которую не удалось прочитать, "
			       "замечания проверок и сколько точек будет "
			       "добавлено, изменено и исключено. Ничего не "
			       "записывается, пока вы не подтвердите загрузку.",
			       "The file is checked first: you see every row "
			       "that cannot be read, the findings of the "
			       "checks and how many touchpoints would be "
			       "added, changed and excluded. Nothing is "
			       "written until you confirm."), NULL);
	if (file_err != NULL) {
		html_open(&h, "div", "class", "alert", "role", "alert", NULL);
		html_open(&h, "p", NULL);
		html_open(&h, "a", "href", "#file", NULL);
		html_text(&h, L(r, "Файл не прочитан: ", "The file is not read: "));
		html_text(&h, file_err);
		html_close(&h);
		html_close(&h);
		html_close(&h);
	}
	p = ui_opath(r, "/registry/import");
	html_open(&h, "form", "method", "post", "action", p, "enctype",
	    "multipart/form-data", "class", "stack", NULL);
	free(p);
	ui_csrf(r, &h);
	html_open(&h, "div", "class", "field", NULL);
	html_elem(&h, "label", L(r, "Файл (CSV или XLSX)", "File (CSV or XLSX)"),
	    "for", "file", "class", "required", NULL);
	if (file_err != NULL) {
		html_open(&h, "p", "class", "error", "id", "file-err", NULL);
		html_elem(&h, "strong", L(r, "Ошибка:", "Error:"), NULL);
		html_text(&h, " ");
		html_text(&h, file_err);
		html_close(&h);
	}
	html_void(&h, "input", "type", "file", "id", "file", "name", "file",
	    "accept", ".csv,.xlsx,text/csv,application/vnd.openxmlformats-"
		      "officedocument.spreadsheetml.sheet",
	    "required", "", "aria-describedby",
	    file_err != NULL ? "file-err" : NULL, "aria-invalid",
	    file_err != NULL ? "true" : NULL, NULL);
	html_close(&h);
	html_open(&h, "div", "class", "field", NULL);
	html_elem(&h, "label", L(r, "Клиенты записей, где это не указано",
			       "Clients of entries that do not say"),
	    "for", "client", NULL);
	html_open(&h, "select", "id", "client", "name", "client", NULL);
	html_elem(&h, "option", L(r, "внешний клиент", "external clients"),
	    "value", "external", NULL);
	html_elem(&h, "option", L(r, "внутренний клиент (сотрудники)",
				    "internal clients (employees)"),
	    "value", "internal", NULL);
	html_close(&h);
	html_close(&h);
	html_open(&h, "div", "class", "field", NULL);
	html_elem(&h, "label", L(r, "Примечание к версии", "Note of the version"),
	    "for", "note", NULL);
	html_elem(&h, "p", L(r, "Например, номер и дата приказа; пусто — имя "
			       "файла.",
			       "E.g. the order's number and date; empty: the "
			       "file's name."),
	    "class", "hint", "id", "note-hint", NULL);
	html_void(&h, "input", "type", "text", "id", "note", "name", "note",
	    "aria-describedby", "note-hint", NULL);
	html_close(&h);
	html_elem(&h, "button", L(r, "Проверить файл", "Check the file"), "type",
	    "submit", NULL);
	html_close(&h);
	ui_end(r, &h);
	if (status != 0)
		r->status = status;
}

int
ui_reg_import_form(struct req *r)
{
	import_form(r, NULL, 0);
	return 0;
}

/* The preview; pid 0: the file is not kept (it cannot be imported). */
static void
preview_page(struct req *r, const char *file_name, const struct preview *p,
    int64_t pid, const char *alert, int status)
{
	struct html h;
	struct buf  b;
	char	   *title, *path, col[16], row[24];
	size_t	    i;

	title = xasprintf("%s «%s»", L(r, "Проверка файла", "Checking file"),
	    file_name);
	page_begin(r, &h, title, S_IMPORT);
	html_elem(&h, "h1", title, NULL);
	if (alert != NULL)
		html_elem(&h, "p", alert, "class", "alert", "role", "alert",
		    NULL);
	html_open(&h, "div", "class", p->ok ? "notice" : "alert", "role",
	    "status", NULL);
	html_elem(&h, "p", L(r, "Ничего не записано.", "Nothing is written."),
	    NULL);
	if (!p->ok && p->rows_ok && p->checks.found.errors == 0 &&
	    p->replace_err[0] != '\0')
		html_elem(&h, "p", p->replace_err, NULL);
	if (!p->ok)
		html_elem(&h, "p", L(r, "Этот файл загрузить нельзя: исправьте "
				       "его и загрузите снова.",
				       "This file cannot be imported: correct "
				       "it and upload it again."), NULL);
	html_close(&h);

	html_open(&h, "section", "aria-labelledby", "rows-title", NULL);
	html_open(&h, "h2", "id", "rows-title", NULL);
	html_textf(&h, "%s: %zu", L(r, "Строки, которые не удалось прочитать",
				      "Rows that cannot be read"), p->rep.n);
	html_close(&h);
	if (p->rep.n == 0)
		html_elem(&h, "p", L(r, "Все строки прочитаны.",
				       "Every row is read."), NULL);
	else {
		html_open(&h, "div", "class", "table-wrap", NULL);
		html_open(&h, "table", NULL);
		html_elem(&h, "caption", L(r, "Каждая строка, которую не удалось "
					     "прочитать",
					     "Every row that cannot be read"),
		    NULL);
		html_open(&h, "thead", NULL);
		html_open(&h, "tr", NULL);
		html_elem(&h, "th", L(r, "Строка", "Row"), "scope", "col", NULL);
		html_elem(&h, "th", L(r, "Столбец", "Column"), "scope", "col",
		    NULL);
		html_elem(&h, "th", L(r, "Причина", "Reason"), "scope", "col",
		    NULL);
		html_close(&h);
		html_close(&h);
		html_open(&h, "tbody", NULL);
		for (i = 0; i < p->rep.n; i++) {
			snprintf(row, sizeof(row), "%ld", p->rep.v[i].line);
			if (p->rep.v[i].col > 0)
				snprintf(col, sizeof(col), "%d", p->rep.v[i].col);
			else
				snprintf(col, sizeof(col), "%s",
				    L(r, "вся строка", "whole row"));
			html_open(&h, "tr", NULL);
			html_elem(&h, "th", row, "scope", "row", NULL);
			html_elem(&h, "td", col, NULL);
			html_elem(&h, "td", p->rep.v[i].msg, NULL);
			html_close(&h);
		}
		html_close(&h);
		html_close(&h);
		html_close(&h);
	}
	html_close(&h);

	html_open(&h, "section", "aria-labelledby", "imp-checks-title", NULL);
	html_elem(&h, "h2", p->rows_ok ? L(r, "Проверки перечня из файла",
					     "Checks of the registry in the "
					     "file")
				       : L(r, "Проверки прочитанных строк",
					     "Checks of the rows read"),
	    "id", "imp-checks-title", NULL);
	buf_init(&b, 1024);
	counts_text(r, &p->checks.found, &b);
	buf_puts(&b, ".");
	html_elem(&h, "p", buf_str(&b), NULL);
	buf_free(&b);
	findings_list(r, &h, &p->checks, 0);
	html_close(&h);

	html_open(&h, "section", "aria-labelledby", "counts-title", NULL);
	html_elem(&h, "h2", L(r, "Что изменится", "What would change"), "id",
	    "counts-title", NULL);
	if (p->checks.found.errors == 0) {
		html_open(&h, "ul", NULL);
		html_open(&h, "li", NULL);
		html_textf(&h, "%s %zu", L(r, "точек в файле:",
					     "touchpoints in the file:"),
		    p->reg.n);
		html_close(&h);
		html_open(&h, "li", NULL);
		html_textf(&h, "%s %d", L(r, "будет добавлено:",
					    "to be added:"), p->st.added);
		html_close(&h);
		html_open(&h, "li", NULL);
		html_textf(&h, "%s %d", L(r, "будет изменено:",
					    "to be changed:"), p->st.changed);
		html_close(&h);
		html_open(&h, "li", NULL);
		html_textf(&h, "%s %d", L(r, "будет исключено:",
					    "to be excluded:"), p->st.excluded);
		html_close(&h);
		html_open(&h, "li", NULL);
		html_textf(&h, "%s %d", L(r, "без изменений:", "unchanged:"),
		    p->st.unchanged);
		html_close(&h);
		html_close(&h);
	} else
		html_elem(&h, "p", L(r, "Пока проверки находят ошибки, "
				       "загрузка невозможна.",
				       "While the checks find errors the file "
				       "cannot be imported."), NULL);
	html_close(&h);

	html_open(&h, "div", "class", "actions", NULL);
	if (pid > 0 && p->ok) {
		path = ui_opath(r, "/registry/import/%lld", (long long)pid);
		button_form(r, &h, path, L(r, "Загрузить: создать новую версию",
					     "Import: make a new version"),
		    NULL);
		free(path);
		path = ui_opath(r, "/registry/import/%lld/cancel", (long long)pid);
		button_form(r, &h, path, L(r, "Отменить", "Cancel"),
		    "secondary");
		free(path);
	} else {
		path = ui_opath(r, "/registry/import");
		html_elem(&h, "a", L(r, "Загрузить другой файл",
				       "Upload another file"),
		    "href", path, "class", "button", NULL);
		free(path);
	}
	html_close(&h);
	ui_end(r, &h);
	free(title);
	if (status != 0)
		r->status = status;
}

int
ui_reg_import_post(struct req *r)
{
	struct preview p;
	struct err     e;
	const char    *pc = req_param(r, "client"), *note = req_param(r, "note");
	enum client    client = pc != NULL && strcmp(pc, "internal") == 0
	    ? CLIENT_INTERNAL
	    : CLIENT_EXTERNAL;
	char	      *name;
	int64_t	       pid;

	pending_purge(r->db);
	if (r->upload.len == 0) {
		import_form(r, L(r, "выберите файл CSV или XLSX",
				   "choose a CSV or XLSX file"), 422);
		return 0;
	}
	if (r->upload.len > TABLE_MAX_FILE) {
		import_form(r, L(r, "файл больше 16 МБ",
				   "the file is larger than 16 MB"), 413);
		return 0;
	}
	preview_make(r, r->upload.data, r->upload.len, client, &p);
	if (p.readerr[0] != '\0') {
		import_form(r, p.readerr, 422);
		preview_free(&p);
		return 0;
	}
	name = ui_file_name(r->upload_name, "file");
	if (!p.ok) {
		preview_page(r, name, &p, 0, NULL, 422);
		goto out;
	}
	err_clear(&e);
	if (pending_store(r, name, client, str_empty(note) ? NULL : note, &pid,
		&e) != 0) {
		ui_fail(r, &e);
		goto out;
	}
	ui_redirect(r, ui_opath(r, "/registry/import/%lld", (long long)pid));
out:
	free(name);
	preview_free(&p);
	return 0;
}

static int
pending_missing(struct req *r, int rc)
{
	return req_error(r, rc < 0 ? 500 : 404, NULL, rc < 0
	    ? L(r, "Загруженный файл не читается.",
		  "The uploaded file cannot be read.")
	    : L(r, "Загруженный файл не найден: он хранится час. Загрузите "
		   "его снова.",
		  "The uploaded file is not found: it is kept an hour. Upload "
		  "it again."));
}

int
ui_reg_import_preview(struct req *r)
{
	struct pending pd;
	struct preview p;
	int	       rc;

	pending_purge(r->db);
	if ((rc = pending_get(r, r->id, &pd)) != 0)
		return pending_missing(r, rc);
	preview_make(r, pd.data, pd.len, pd.client, &p);
	if (p.readerr[0] != '\0')
		import_form(r, p.readerr, 422);
	else
		preview_page(r, pd.file_name, &p, pd.id, NULL, 0);
	preview_free(&p);
	pending_free(&pd);
	return 0;
}

int
ui_reg_import_confirm(struct req *r)
{
	struct reg_import_stats st;
	struct reg_findings	found;
	struct pending		pd;
	struct preview		p;
	struct err		e;
	int64_t			version = 0;
	int			rc;

	if ((rc = pending_get(r, r->id, &pd)) != 0)
		return pending_missing(r, rc);
	/* Read again: the registry may have changed since the preview. */
	preview_make(r, pd.data, pd.len, pd.client, &p);
	if (!p.ok) {
		if (p.readerr[0] != '\0')
			import_form(r, p.readerr, 409);
		else
			preview_page(r, pd.file_name, &p, pd.id,
			    L(r, "Файл больше не проходит проверки: перечень "
				 "изменился после проверки.",
				"The file no longer passes the checks: the "
				"registry changed since."), 409);
		goto out;
	}
	err_clear(&e);
	if (registry_replace(r->db, r->org, r->session->login, &p.reg,
		pd.note != NULL ? pd.note : pd.file_name, 0, &version, &st,
		&found, &e) != 0) {
		findings_free(&found);
		ui_fail(r, &e);
		goto out;
	}
	findings_free(&found);
	pending_delete(r, pd.id);
	if (version == 0)
		ui_redirect(r, ui_opath(r, "/registry/versions?done=unchanged"));
	else
		ui_redirect(r, ui_opath(r, "/registry/versions?done=imported&v=%lld",
				(long long)version));
out:
	preview_free(&p);
	pending_free(&pd);
	return 0;
}

int
ui_reg_import_cancel(struct req *r)
{
	struct pending pd;
	int	       rc;

	if ((rc = pending_get(r, r->id, &pd)) == 0) {
		pending_delete(r, pd.id);
		pending_free(&pd);
	} else if (rc < 0)
		return pending_missing(r, rc);
	return ui_redirect(r, ui_opath(r, "/registry/import?done=cancelled"));
}

/*
 * The registry model: channel types and what they imply, entries and
 * their copies, the official order and numbering, JSON for the audit log,
 * and the comparison of two versions (R-REG-5).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "otklik.h"
#include "registry.h"

/*
 * Key touchpoints by default are those the seeds name as key: the site,
 * personal reception, written interaction (EDMS, e-mail, letters) [000
 * §15], social networks, messengers and the phone [001 §3.2].
 */
const struct channel_info channels[CH__COUNT] = {
	[CH_SITE] = {"site", "Официальный сайт, портал", "Official site or portal", KIND_DIGITAL, 1},
	[CH_EDMS] = {"edms", "Система электронного документооборота (СЭД, СЭДО)", "Electronic document management system", KIND_DIGITAL, 1},
	[CH_EMAIL] = {"email", "Электронная почта", "E-mail", KIND_DIGITAL, 1},
	[CH_POS] = {"pos", "Платформа обратной связи (ПОС)", "Feedback platform", KIND_DIGITAL, 0},
	[CH_PHONE] = {"phone", "Телефонная связь", "Phone", KIND_OFFLINE, 1},
	[CH_CALLCENTRE] = {"callcentre", "Контакт-центр", "Call centre", KIND_OFFLINE, 0},
	[CH_RECEPTION] = {"reception", "Личный прием", "Personal reception", KIND_OFFLINE, 1},
	[CH_COMMISSION] = {"commission", "Участие в заседаниях комиссий", "Commission meetings", KIND_OFFLINE, 0},
	[CH_SOCIAL] = {"social", "Социальные сети", "Social networks", KIND_DIGITAL, 1},
	[CH_MESSENGER] = {"messenger", "Публичные чаты в мессенджерах", "Public messenger chats", KIND_DIGITAL, 1},
	[CH_CHATBOT] = {"chatbot", "Чат-бот", "Chat-bot", KIND_DIGITAL, 0},
	[CH_VOICE] = {"voice", "Голосовой помощник", "Voice assistant", KIND_DIGITAL, 0},
	[CH_APP] = {"app", "Мобильное приложение", "Mobile app", KIND_DIGITAL, 0},
	[CH_API] = {"api", "Программный интерфейс (API)", "API", KIND_DIGITAL, 0},
	[CH_POST] = {"post", "Почтовая связь", "Post", KIND_OFFLINE, 1},
	[CH_STAND] = {"stand", "Информационный стенд", "Information stand", KIND_OFFLINE, 0},
	[CH_MFC] = {"mfc", "МФЦ «Мои документы»", "MFC \"My Documents\" centre", KIND_OFFLINE, 0},
	[CH_WORKPLACE] = {"workplace", "Рабочее место, кабинет", "Workplace or office", KIND_OFFLINE, 0},
	[CH_OTHER] = {"other", "Другое", "Other", KIND_OFFLINE, 0},
};

int
channel_from_code(const char *code)
{
	int i;

	for (i = 0; i < CH__COUNT; i++)
		if (strcmp(channels[i].code, code) == 0)
			return i;
	return -1;
}

/*
 * Words that give a touchpoint's channel away, tried in order: the more
 * specific first ("чат-бот" before "чат", "электронная почта" before
 * "почта", "система электронного документооборота" before "сайт").
 */
static const struct {
	const char  *stems;	/* folded; "|" alternatives, "+" all of */
	enum channel ch;
} guesses[] = {
	{"чат-бот|чатбот|бот ", CH_CHATBOT},
	{"голосов+помощник", CH_VOICE},
	{"электронн+почт|e-mail|email|@", CH_EMAIL},
	{"сэд|документооборот|делопроизводств|межведомственн+электронн",
	    CH_EDMS},
	{"пос |платформ+обратн|обратн+связ+платформ", CH_POS},
	{"контакт-центр|колл-центр|call-центр|call center|горяч+лини",
	    CH_CALLCENTRE},
	{"телефон|тел.|8 (8", CH_PHONE},
	{"личн+прием|приём|прием", CH_RECEPTION},
	{"комисси|заседани", CH_COMMISSION},
	{"социальн+сет|вконтакте|одноклассник|vk.com|ok.ru", CH_SOCIAL},
	{"мессенджер|telegram|телеграм|whatsapp|viber|чат", CH_MESSENGER},
	{"мобильн+приложен", CH_APP},
	{"api|программн+интерфейс", CH_API},
	{"мфц|мои документы", CH_MFC},
	{"сайт|портал|http|www.", CH_SITE},
	{"почт|письм", CH_POST},
	{"стенд", CH_STAND},
	{"рабоч+мест|кабинет", CH_WORKPLACE},
};

enum channel
channel_guess(const char *name)
{
	char  *f;
	size_t i;
	int    hit = -1;

	f = utf8_fold(name);
	for (i = 0; i < nitems(guesses) && hit < 0; i++)
		if (text_match(f, guesses[i].stems, 0))
			hit = (int)guesses[i].ch;
	free(f);
	return hit >= 0 ? (enum channel)hit : CH_OTHER;
}

const char *
kind_code(enum tp_kind k)
{
	return k == KIND_DIGITAL ? "digital" : "offline";
}

const char *
client_code(enum client c)
{
	return c == CLIENT_INTERNAL ? "internal" : "external";
}

const char *
basis_code(enum basis b)
{
	static const char *codes[] = {NULL, "normative", "internal",
	    "contract", "directive"};

	return (size_t)b < nitems(codes) ? codes[b] : NULL;
}

void
reg_entry_init(struct reg_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->area = xstrdup("");
	e->process = xstrdup("");
	e->name = xstrdup("");
	e->needs = xstrdup("");
	e->interaction = xstrdup("");
	e->features = xstrdup("");
	e->channel = CH_OTHER;
	e->kind = KIND_OFFLINE;
}

void
reg_entry_clear(struct reg_entry *e)
{
	free(e->area);
	free(e->process);
	free(e->name);
	free(e->needs);
	free(e->interaction);
	free(e->features);
	free(e->phone);
	free(e->email);
	free(e->url);
	free(e->address);
	free(e->room);
	free(e->unit);
	free(e->basis_ref);
	memset(e, 0, sizeof(*e));
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
reg_entry_copy(struct reg_entry *d, const struct reg_entry *s)
{
	reg_entry_clear(d);
	*d = *s;
	d->area = xstrdup(s->area);
	d->process = xstrdup(s->process);
	d->name = xstrdup(s->name);
	d->needs = xstrdup(s->needs);
	d->interaction = xstrdup(s->interaction);
	d->features = xstrdup(s->features);
	d->phone = dup_or_null(s->phone);
	d->email = dup_or_null(s->email);
	d->url = dup_or_null(s->url);
	d->address = dup_or_null(s->address);
	d->room = dup_or_null(s->room);
	d->unit = dup_or_null(s->unit);
	d->basis_ref = dup_or_null(s->basis_ref);
}

struct reg_entry *
registry_add(struct registry *r)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->v = xreallocarray(r->v, r->cap, sizeof(*r->v));
	}
	reg_entry_init(&r->v[r->n]);
	return &r->v[r->n++];
}

void
registry_free(struct registry *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		reg_entry_clear(&r->v[i]);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static int
by_pos(const void *a, const void *b)
{
	const struct reg_entry *x = a, *y = b;

	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	if (x->id != y->id)	/* equal places: a stable, known order */
		return x->id < y->id ? -1 : 1;
	return strcmp(x->name, y->name);
}

void
registry_sort(struct registry *r)
{
	if (r->n > 1)
		qsort(r->v, r->n, sizeof(*r->v), by_pos);
}

char *
reg_entry_json(const struct reg_entry *e)
{
	json_error_t jerr;
	json_t	    *j;
	char	    *s;

	j = json_pack_ex(&jerr, 0, "{s:I, s:i, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, "
		      "s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, "
		      "s:s?, s:b, s:b, s:b}",
	    "id", (json_int_t)e->id, "pos", e->pos, "area", e->area,
	    "process", e->process, "name", e->name, "channel",
	    channels[e->channel].code, "kind", kind_code(e->kind),
	    "kind_explicit", e->kind_explicit, "client", client_code(e->client),
	    "needs", e->needs, "interaction", e->interaction, "features",
	    e->features, "phone", e->phone, "email", e->email, "url", e->url,
	    "address", e->address, "room", e->room, "unit", e->unit, "basis",
	    basis_code(e->basis), "basis_ref", e->basis_ref, "key", e->is_key,
	    "low_demand", e->low_demand, "not_counted", e->not_counted);
	if (j == NULL)
		fatal("reg_entry_json: cannot build JSON: %s", jerr.text);
	s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(j);
	return s;
}

void
triggers_format(int t, char *out, size_t len)
{
	static const struct {
		int	    bit;
		const char *name;
	} names[] = {
		{TRIG_NEW, "new"}, {TRIG_KIND, "kind"}, {TRIG_NEEDS, "needs"},
		{TRIG_EXCLUSION, "exclusion"}, {TRIG_EDIT, "edit"},
	};
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < nitems(names); i++) {
		if (!(t & names[i].bit))
			continue;
		o += (size_t)snprintf(out + o, o < len ? len - o : 0, "%s%s",
		    o > 0 ? " " : "", names[i].name);
	}
}

void
reg_change_clear(struct reg_change *c)
{
	free(c->author);
	free(c->decided_by);
	free(c->comment);
	reg_entry_clear(&c->entry);
	memset(c, 0, sizeof(*c));
}

static int
str_differs(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") != 0;
}

/* The fields in which two revisions of an entry differ, as names. */
static char *
fields_changed(const struct reg_entry *a, const struct reg_entry *b)
{
	struct buf bf;

	buf_init(&bf, 4096);
#define F(cond, name)                                                   \
	do {                                                            \
		if (cond)                                               \
			buf_printf(&bf, "%s%s", bf.len ? " " : "", name); \
	} while (0)
	F(str_differs(a->area, b->area), "area");
	F(str_differs(a->process, b->process), "process");
	F(str_differs(a->name, b->name), "name");
	F(a->channel != b->channel, "channel");
	F(a->kind != b->kind, "kind");
	F(a->client != b->client, "client");
	F(str_differs(a->needs, b->needs), "needs");
	F(str_differs(a->interaction, b->interaction), "interaction");
	F(str_differs(a->features, b->features), "features");
	F(str_differs(a->phone, b->phone), "phone");
	F(str_differs(a->email, b->email), "email");
	F(str_differs(a->url, b->url), "url");
	F(str_differs(a->address, b->address), "address");
	F(str_differs(a->room, b->room), "room");
	F(str_differs(a->unit, b->unit), "unit");
	F(a->basis != b->basis, "basis");
	F(str_differs(a->basis_ref, b->basis_ref), "basis_ref");
	F(a->is_key != b->is_key, "key");
	F(a->low_demand != b->low_demand, "low_demand");
	F(a->not_counted != b->not_counted, "not_counted");
#undef F
	return buf_detach(&bf);
}

int
registry_triggers(const struct reg_entry *a, const struct reg_entry *b)
{
	char *f = fields_changed(a, b);
	int   t = 0;
	char *tok, *save = NULL;

	for (tok = strtok_r(f, " ", &save); tok != NULL;
	     tok = strtok_r(NULL, " ", &save)) {
		if (strcmp(tok, "channel") == 0 || strcmp(tok, "kind") == 0)
			t |= TRIG_KIND;
		else if (strcmp(tok, "needs") == 0 ||
		    strcmp(tok, "interaction") == 0)
			t |= TRIG_NEEDS;
		else
			t |= TRIG_EDIT;
	}
	if (a->pos != b->pos)
		t |= TRIG_EDIT;
	free(f);
	return t;
}

static int
by_id(const void *a, const void *b)
{
	const struct reg_entry *x = *(const struct reg_entry *const *)a;
	const struct reg_entry *y = *(const struct reg_entry *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Pointers to the entries of r ordered by id, for bsearch(). */
static const struct reg_entry **
index_by_id(const struct registry *r)
{
	const struct reg_entry **ix = xcalloc(r->n + 1, sizeof(*ix));
	size_t			 i;

	for (i = 0; i < r->n; i++)
		ix[i] = &r->v[i];
	if (r->n > 1)
		qsort(ix, r->n, sizeof(*ix), by_id);
	return ix;
}

static const struct reg_entry *
find_id(const struct reg_entry **ix, size_t n, const struct reg_entry *key)
{
	const struct reg_entry **hit;

	if (n == 0)
		return NULL;
	hit = bsearch(&key, ix, n, sizeof(*ix), by_id);
	return hit != NULL ? *hit : NULL;
}

void
registry_diff(const struct registry *a, const struct registry *b,
    struct reg_diff *d)
{
	const struct reg_entry **ia = index_by_id(a), **ib = index_by_id(b);
	const struct reg_entry	*x;
	char			*f;
	size_t			 i, cap = 0;

	memset(d, 0, sizeof(*d));
#define PUSH(o, ea, eb, fl)                                              \
	do {                                                             \
		if (d->n == cap) {                                       \
			cap = cap ? cap * 2 : 16;                        \
			d->v = xreallocarray(d->v, cap, sizeof(*d->v));  \
		}                                                        \
		d->v[d->n].op = (o);                                     \
		d->v[d->n].a = (ea);                                     \
		d->v[d->n].b = (eb);                                     \
		d->v[d->n].fields = (fl);                                \
		d->n++;                                                  \
	} while (0)
	for (i = 0; i < b->n; i++) {
		if ((x = find_id(ia, a->n, &b->v[i])) == NULL)
			PUSH('+', NULL, &b->v[i], xstrdup(""));
		else if (*(f = fields_changed(x, &b->v[i])) != '\0')
			PUSH('~', x, &b->v[i], f);
		else
			free(f);
	}
	for (i = 0; i < a->n; i++)
		if (find_id(ib, b->n, &a->v[i]) == NULL)
			PUSH('-', &a->v[i], NULL, xstrdup(""));
#undef PUSH
	free(ia);
	free(ib);
}

void
reg_diff_free(struct reg_diff *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->v[i].fields);
	free(d->v);
	memset(d, 0, sizeof(*d));
}

/*
 * Personal data of clients (R-PD): which contacts are held on which
 * basis, the withdrawal of a consent, the destruction of what is due and
 * the act that proves it, and the role check of R-PD-3.  Everything a
 * contact's destruction touches is in fb_contact; messages keep their
 * link to the emptied row, so no figure built from them changes.
 *
 * The act follows the Requirements for confirming the destruction of
 * personal data (Roskomnadzor order No. 179 of 28.10.2022): operator,
 * subjects (here by their contact number, since naming them would keep
 * the very data destroyed), categories of data, the information system,
 * the reason, the method, who and when, and for automated processing an
 * extract of the event log.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "otklik.h"
#include "audit.h"
#include "db.h"
#include "html.h"
#include "pd.h"
#include "session.h"

#define DAY		 86400
#define PD_KEY_HEX	 64
#define PD_LIST_MAX	 1000000	/* contacts of one organization */
#define PD_ACT_MAX	 ((size_t)32 << 20)	/* bytes of an act */
#define PD_EXTRACT_MAX	 100000		/* audit entries in an extract */

struct basis_row {
	int64_t contact_id;
	char	basis[8];
	int64_t ends_at;	/* 0: none */
	int64_t withdrawn_at;	/* 0: not */
	int64_t destroy_by;	/* 0: none recorded */
};

static int
basis_active(const struct basis_row *b, int64_t now)
{
	return b->withdrawn_at == 0 && (b->ends_at == 0 || b->ends_at > now);
}

/* When a basis that ended obliges the data to be gone. */
static int64_t
basis_destroy_by(const struct basis_row *b)
{
	if (b->destroy_by != 0)
		return b->destroy_by;
	return (b->withdrawn_at != 0 ? b->withdrawn_at : b->ends_at) +
	    (int64_t)PD_DESTROY_DAYS * DAY;
}

/* Fills the state, bases and destroy_by of c from its basis rows. */
static void
contact_judge(struct pd_contact *c, const struct basis_row *b, size_t n,
    int64_t now)
{
	size_t i;
	int    active = 0, withdrawn = 0, consent = 0, law = 0;
	int64_t by = 0, t;

	for (i = 0; i < n; i++) {
		if (strcmp(b[i].basis, "consent") == 0)
			consent = 1;
		else
			law = 1;
		if (basis_active(&b[i], now))
			active = 1;
		if (b[i].withdrawn_at != 0)
			withdrawn = 1;
		t = basis_destroy_by(&b[i]);
		if (t > by) {
			by = t;
			c->withdrawal = b[i].withdrawn_at != 0;
		}
	}
	snprintf(c->bases, sizeof(c->bases), "%s%s%s", consent ? "consent" :
	    "", consent && law ? ", " : "", law ? "law" : "");
	c->destroy_by = 0;
	if (c->destroyed_at != 0)
		snprintf(c->state, sizeof(c->state), "destroyed");
	else if (active)
		snprintf(c->state, sizeof(c->state), "active");
	else {
		snprintf(c->state, sizeof(c->state), "%s", withdrawn ?
		    "withdrawn" : "expired");
		/* No basis at all: nothing allows keeping it a day more. */
		c->destroy_by = n > 0 ? by : c->created_at;
	}
}

static int
is_due(const struct pd_contact *c, int64_t now)
{
	return c->destroyed_at == 0 && c->destroy_by != 0 &&
	    c->destroy_by <= now;
}

int
pd_list(struct db *db, int64_t org_id, int64_t now, int due,
    struct pd_contact **list, struct err *e)
{
	struct db_stmt	 *st;
	struct pd_contact *v = NULL, c;
	struct basis_row *b = NULL;
	size_t		  nb = 0, i = 0, j;
	int		  n = 0, r;

	*list = NULL;
	st = db_prepare(db, "SELECT contact_id, basis, ends_at, withdrawn_at, "
	    "destroy_by FROM pd_basis WHERE org_id = ? ORDER BY contact_id, id",
	    "i", org_id);
	while (st != NULL && (r = db_step(st)) == DB_ROW) {
		b = xreallocarray(b, nb + 1, sizeof(*b));
		b[nb].contact_id = db_col_int(st, 0);
		snprintf(b[nb].basis, sizeof(b[nb].basis), "%s",
		    db_col_text(st, 1) != NULL ? db_col_text(st, 1) : "");
		b[nb].ends_at = db_col_int(st, 2);
		b[nb].withdrawn_at = db_col_int(st, 3);
		b[nb].destroy_by = db_col_int(st, 4);
		nb++;
	}
	db_finalize(st);
	if (st == NULL || r != DB_DONE) {
		free(b);
		return err_set(e, EXIT_IOERR, "reading the bases: %s",
		    db_errmsg(db));
	}
	st = db_prepare(db, "SELECT c.id, c.created_at, c.destroyed_at, "
	    "c.name IS NOT NULL, c.email IS NOT NULL, c.phone IS NOT NULL, "
	    "c.address IS NOT NULL, (SELECT COUNT(*) FROM fb_message m WHERE "
	    "m.contact_id = c.id) FROM fb_contact c WHERE c.org_id = ? "
	    "ORDER BY c.id", "i", org_id);
	while (st != NULL && (r = db_step(st)) == DB_ROW && n < PD_LIST_MAX) {
		memset(&c, 0, sizeof(c));
		c.id = db_col_int(st, 0);
		c.created_at = db_col_int(st, 1);
		c.destroyed_at = db_col_int(st, 2);
		snprintf(c.fields, sizeof(c.fields), "%s%s%s%s",
		    db_col_int(st, 3) ? "name, " : "",
		    db_col_int(st, 4) ? "email, " : "",
		    db_col_int(st, 5) ? "phone, " : "",
		    db_col_int(st, 6) ? "address, " : "");
		if (strlen(c.fields) >= 2)
			c.fields[strlen(c.fields) - 2] = '\0';
		c.messages = (int)db_col_int(st, 7);
		/* Both lists are in contact order: walk them together. */
		while (i < nb && b[i].contact_id < c.id)
			i++;
		for (j = i; j < nb && b[j].contact_id == c.id; j++)
			;
		contact_judge(&c, b + i, j - i, now);
		if (due && !is_due(&c, now))
			continue;
		v = xreallocarray(v, (size_t)n + 1, sizeof(*v));
		v[n++] = c;
	}
	db_finalize(st);
	free(b);
	if (st == NULL || (r != DB_DONE && r != DB_ROW)) {
		free(v);
		return err_set(e, EXIT_IOERR, "reading the contacts: %s",
		    db_errmsg(db));
	}
	*list = v;
	return n;
}

/* Appends an audit entry about a contact, with no personal data. */
static int
pd_audit(struct db *db, const char *actor, int64_t org_id,
    const char *action, int64_t contact_id, json_t *after, struct err *e)
{
	char *js, obj[40];
	int   r;

	snprintf(obj, sizeof(obj), "contact:%lld", (long long)contact_id);
	js = after != NULL ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS)
	    : NULL;
	r = audit_append(db, actor, org_id, action, obj, NULL, js, e);
	free(js);
	json_decref(after);
	return r;
}

static int
find_contact(struct db *db, int64_t org_id, const char *key,
    int64_t *contact_id, struct err *e)
{
	struct db_stmt *st;
	unsigned char	h[32];
	char		hex[65];
	int64_t		destroyed;
	int		r;

	if (key != NULL) {
		if (strlen(key) != PD_KEY_HEX)
			return err_set(e, EXIT_NOINPUT, "no history has this "
			    "key");
		crypto_generichash(h, sizeof(h), (const unsigned char *)key,
		    strlen(key), NULL, 0);
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		st = db_prepare(db, "SELECT id, destroyed_at FROM fb_contact "
		    "WHERE key_hash = ? AND org_id = ?", "ti", hex, org_id);
	} else
		st = db_prepare(db, "SELECT id, destroyed_at FROM fb_contact "
		    "WHERE id = ? AND org_id = ?", "ii", *contact_id, org_id);
	if (st == NULL || (r = db_step(st)) == DB_FAIL) {
		db_finalize(st);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	if (r != DB_ROW) {
		db_finalize(st);
		return key != NULL ? err_set(e, EXIT_NOINPUT, "no history has "
		    "this key") : err_set(e, EXIT_NOINPUT, "no contact %lld",
		    (long long)*contact_id);
	}
	*contact_id = db_col_int(st, 0);
	destroyed = db_col_int(st, 1);
	db_finalize(st);
	if (destroyed != 0)
		return err_set(e, EXIT_NOINPUT, "the personal data of contact "
		    "%lld is already destroyed", (long long)*contact_id);
	return 0;
}

static int
withdraw_in(struct db *db, const char *actor, int64_t org_id,
    const char *key, int64_t contact_id, const char *via, int64_t now,
    struct pd_withdrawal *w, struct err *e)
{
	struct db_stmt *st;
	int		r;

	if (find_contact(db, org_id, key, &contact_id, e) != 0)
		return -1;
	w->contact_id = contact_id;
	st = db_prepare(db, "SELECT COUNT(*) FROM pd_basis WHERE contact_id = ? "
	    "AND basis = 'law' AND withdrawn_at IS NULL AND (ends_at IS NULL "
	    "OR ends_at > ?)", "ii", contact_id, now);
	if (st == NULL || (r = db_step(st)) != DB_ROW) {
		db_finalize(st);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	w->law_remains = db_col_int(st, 0) > 0;
	db_finalize(st);
	w->destroy_by = w->law_remains ? 0 : now +
	    (int64_t)PD_DESTROY_DAYS * DAY;
	st = db_prepare(db, "SELECT COUNT(*) FROM pd_basis WHERE contact_id = ? "
	    "AND basis = 'consent' AND withdrawn_at IS NULL AND (ends_at IS "
	    "NULL OR ends_at > ?)", "ii", contact_id, now);
	if (st == NULL || (r = db_step(st)) != DB_ROW) {
		db_finalize(st);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	w->withdrawn = (int)db_col_int(st, 0);
	db_finalize(st);
	if (w->withdrawn > 0 && db_run(db, NULL, "UPDATE pd_basis SET "
	    "withdrawn_at = ?, withdrawn_via = ?, destroy_by = ? WHERE "
	    "contact_id = ? AND basis = 'consent' AND withdrawn_at IS NULL AND "
	    "(ends_at IS NULL OR ends_at > ?)", "itIii", now, via,
	    w->destroy_by, contact_id, now) != 0)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if (w->withdrawn == 0)
		return 0;
	return pd_audit(db, actor, org_id, "pd.withdraw", contact_id,
	    json_pack("{s:s, s:b, s:I}", "via", via, "law_remains",
	    w->law_remains, "destroy_by", (json_int_t)w->destroy_by), e);
}

int
pd_withdraw(struct db *db, const char *actor, int64_t org_id,
    const char *key, int64_t contact_id, const char *via, int64_t now,
    struct pd_withdrawal *w, struct err *e)
{
	memset(w, 0, sizeof(*w));
	if (via == NULL || *via == '\0')
		via = "other";
	if (db_begin(db) != 0)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if (withdraw_in(db, actor, org_id, key, contact_id, via, now, w,
	    e) != 0) {
		db_rollback(db);
		return -1;
	}
	if (db_commit(db) != 0) {
		db_rollback(db);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Destruction and its act */

static void
local_date(int64_t t, const char *tz, char out[11])
{
	date_format_ru(date_local(t, tz), out);
}

struct org_info {
	char *name, *short_name, *site, *tz;
};

static int
org_info(struct db *db, int64_t org_id, struct org_info *o, struct err *e)
{
	struct db_stmt *st;

	memset(o, 0, sizeof(*o));
	st = db_prepare(db, "SELECT name, short_name, site_url, tz FROM org "
	    "WHERE id = ?", "i", org_id);
	if (st == NULL || db_step(st) != DB_ROW) {
		db_finalize(st);
		return err_set(e, EXIT_NOINPUT, "no organization %lld",
		    (long long)org_id);
	}
	o->name = db_col_dup(st, 0);
	o->short_name = db_col_dup(st, 1);
	o->site = db_col_dup(st, 2);
	o->tz = db_col_dup(st, 3);
	db_finalize(st);
	return 0;
}

static void
org_info_clear(struct org_info *o)
{
	free(o->name);
	free(o->short_name);
	free(o->site);
	free(o->tz);
}

/* The categories of data a contact holds, as the act names them. */
static void
categories(const char *fields, char *out, size_t size)
{
	struct buf b;

	buf_init(&b, size);
	if (strstr(fields, "name") != NULL)
		buf_puts(&b, "фамилия, имя, отчество");
	if (strstr(fields, "email") != NULL)
		buf_printf(&b, "%sадрес электронной почты", b.len ? "; " : "");
	if (strstr(fields, "phone") != NULL)
		buf_printf(&b, "%sномер телефона", b.len ? "; " : "");
	if (strstr(fields, "address") != NULL)
		buf_printf(&b, "%sпочтовый адрес", b.len ? "; " : "");
	buf_printf(&b, "%sключ доступа к истории обращений (хеш)",
	    b.len ? "; " : "");
	snprintf(out, size, "%s", buf_str(&b));
	buf_free(&b);
}

static const char *
reason(const struct pd_contact *c)
{
	if (c->withdrawal)
		return "отзыв согласия субъектом персональных данных "
		    "(ч. 5 ст. 21 Федерального закона № 152-ФЗ)";
	if (c->bases[0] == '\0')
		return "отсутствие правового основания обработки";
	return "истечение срока обработки, достижение цели обработки "
	    "(ч. 4 ст. 21 Федерального закона № 152-ФЗ)";
}

/* The audit entries about the contacts and their messages, in order. */
static int
act_extract(struct db *db, int64_t org_id, const struct pd_contact *v,
    int n, const char *tz, struct buf *b, struct err *e)
{
	struct db_stmt *st;
	char		when[17];
	int		i, r = DB_DONE, lines = 0;

	for (i = 0; i < n; i++) {
		char obj[40];

		snprintf(obj, sizeof(obj), "contact:%lld", (long long)v[i].id);
		st = db_prepare(db, "SELECT a.seq, a.at, a.actor, a.action, "
		    "a.object FROM audit a WHERE a.org_id = ? AND (a.object = ? "
		    "OR a.object IN (SELECT 'message:' || m.id FROM fb_message m "
		    "WHERE m.contact_id = ?)) ORDER BY a.seq", "iti", org_id,
		    obj, v[i].id);
		while (st != NULL && (r = db_step(st)) == DB_ROW &&
		    lines < PD_EXTRACT_MAX) {
			time_format_local(db_col_int(st, 1), tz, 1, when);
			buf_printf(b, "  %lld  %s  %s  %s  %s\n",
			    (long long)db_col_int(st, 0), when,
			    db_col_text(st, 2), db_col_text(st, 3),
			    db_col_text(st, 4));
			lines++;
		}
		db_finalize(st);
		if (st == NULL || r == DB_FAIL)
			return err_set(e, EXIT_IOERR, "reading the audit log: "
			    "%s", db_errmsg(db));
	}
	return 0;
}

static int
act_body(struct db *db, int64_t org_id, int64_t act_id, const char *actor,
    int64_t now, const struct pd_contact *v, int n, struct buf *b,
    struct err *e)
{
	struct org_info o;
	char		date[11], cat[256], when[17];
	int		i, r;

	if (org_info(db, org_id, &o, e) != 0)
		return -1;
	local_date(now, o.tz, date);
	time_format_local(now, o.tz, 1, when);
	buf_printf(b, "АКТ № %lld\nоб уничтожении персональных данных\n\n",
	    (long long)act_id);
	buf_printf(b, "Дата: %s\n", date);
	buf_printf(b, "Оператор: %s", o.name);
	if (o.short_name[0] != '\0' && strcmp(o.short_name, o.name) != 0)
		buf_printf(b, " (%s)", o.short_name);
	if (o.site[0] != '\0')
		buf_printf(b, ", %s", o.site);
	buf_printf(b, "\nИнформационная система: «Отклик», база данных "
	    "обратной связи с клиентами\n");
	buf_printf(b, "Основание: ст. 21 Федерального закона от 27.07.2006 "
	    "№ 152-ФЗ «О персональных данных»; Требования к подтверждению "
	    "уничтожения персональных данных (приказ Роскомнадзора от "
	    "28.10.2022 № 179)\n");
	buf_printf(b, "Способ уничтожения: %s\n", PD_METHOD);
	buf_printf(b, "Уничтожение произвел: %s\n", actor);
	buf_printf(b, "Дата и время уничтожения: %s\n\n", when);
	buf_printf(b, "Уничтожены персональные данные субъектов: %d.\n"
	    "Субъекты указаны номером контакта в системе (сами данные "
	    "уничтожены).\n\n", n);
	for (i = 0; i < n; i++) {
		categories(v[i].fields, cat, sizeof(cat));
		buf_printf(b, "%d. Контакт № %lld\n   Категории данных: %s\n"
		    "   Причина: %s\n   Срок уничтожения: %s\n", i + 1,
		    (long long)v[i].id, cat, reason(&v[i]),
		    (local_date(v[i].destroy_by, o.tz, date), date));
	}
	buf_printf(b, "\nСообщения субъектов сохранены без персональных "
	    "данных; показатели, построенные по ним, не изменились.\n\n"
	    "Выгрузка из журнала регистрации событий (номер, время, кто, "
	    "действие, объект):\n");
	r = act_extract(db, org_id, v, n, o.tz, b, e);
	buf_printf(b, "\nПодпись лица, уничтожившего персональные данные: "
	    "________________\n");
	org_info_clear(&o);
	return r;
}

static int
destroy_in(struct db *db, const char *actor, int64_t org_id, int64_t now,
    struct pd_contact *v, int n, int64_t *act_id, struct err *e)
{
	struct buf b;
	int	   i, r = -1;

	for (i = 0; i < n; i++) {
		if (db_run(db, NULL, "UPDATE fb_contact SET name = NULL, "
		    "email = NULL, phone = NULL, address = NULL, key_hash = NULL, "
		    "destroyed_at = ? WHERE id = ? AND org_id = ?", "iii", now,
		    v[i].id, org_id) != 0)
			return err_set(e, EXIT_IOERR, "contact %lld: %s",
			    (long long)v[i].id, db_errmsg(db));
		if (pd_audit(db, actor, org_id, "pd.destroy", v[i].id,
		    json_pack("{s:s, s:s, s:s}", "fields", v[i].fields,
		    "state", v[i].state, "method", PD_METHOD), e) != 0)
			return -1;
	}
	/* The act's number is its row id, known once the row exists. */
	if (db_run(db, act_id, "INSERT INTO pd_act (org_id, made_at, made_by, "
	    "contacts, body) VALUES (?, ?, ?, ?, '') RETURNING id", "iiti",
	    org_id, now, actor, (int64_t)n) != 0)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	buf_init(&b, PD_ACT_MAX);
	if (act_body(db, org_id, *act_id, actor, now, v, n, &b, e) != 0)
		goto out;
	if (db_run(db, NULL, "UPDATE pd_act SET body = ? WHERE id = ?", "ti",
	    buf_str(&b), *act_id) != 0) {
		err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
		goto out;
	}
	{
		json_t *j = json_pack("{s:I, s:I}", "act", (json_int_t)*act_id,
		    "contacts", (json_int_t)n);
		char   *js = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
		char	obj[40];

		json_decref(j);
		snprintf(obj, sizeof(obj), "pd_act:%lld", (long long)*act_id);
		r = audit_append(db, actor, org_id, "pd.act", obj, NULL, js, e);
		free(js);
	}
out:
	buf_free(&b);
	return r;
}

int
pd_destroy(struct db *db, const char *actor, int64_t org_id, int64_t now,
    int dry_run, int *count, int64_t *act_id, struct err *e)
{
	struct pd_contact *v;
	int		   n;

	*count = 0;
	*act_id = 0;
	if (db_begin(db) != 0)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if ((n = pd_list(db, org_id, now, 1, &v, e)) < 0) {
		db_rollback(db);
		return -1;
	}
	*count = n;
	if (n == 0 || dry_run) {
		free(v);
		db_rollback(db);
		return 0;
	}
	if (destroy_in(db, actor, org_id, now, v, n, act_id, e) != 0) {
		free(v);
		db_rollback(db);
		*act_id = 0;
		return -1;
	}
	free(v);
	if (db_commit(db) != 0) {
		db_rollback(db);
		*act_id = 0;
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	return 0;
}

static const char act_css[] =
    "body{font-family:\"PT Serif\",\"Times New Roman\",serif;max-width:"
    "48rem;margin:2rem auto;padding:0 1rem;color:#111;background:#fff}"
    "h1{font-size:1.3rem;text-align:center}"
    ".act{white-space:pre-wrap;font-family:inherit;font-size:1rem;"
    "line-height:1.45}"
    "@media print{body{margin:0;max-width:none}}";

int
pd_act_render(struct db *db, int64_t org_id, int64_t id, int html,
    struct buf *out, struct err *e)
{
	struct db_stmt *st;
	struct html	h;
	const char     *body, *nl;
	int		r;

	st = db_prepare(db, "SELECT body FROM pd_act WHERE id = ? AND "
	    "org_id = ?", "ii", id, org_id);
	if (st == NULL || (r = db_step(st)) == DB_FAIL) {
		db_finalize(st);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	if (r != DB_ROW) {
		db_finalize(st);
		return err_set(e, EXIT_NOINPUT, "no act %lld of destruction "
		    "of personal data", (long long)id);
	}
	body = db_col_text(st, 0);
	if (body == NULL)
		body = "";
	if (!html) {
		r = buf_puts(out, body);
		db_finalize(st);
		return r == 0 ? 0 : err_set(e, EXIT_SOFTWARE, "the act is "
		    "larger than the output's limit");
	}
	/* The stored text is the act; the page only sets it for print. */
	html_init(&h, out);
	html_raw(&h, "<!DOCTYPE html>\n");
	html_open(&h, "html", "lang", "ru", NULL);
	html_open(&h, "head", NULL);
	html_void(&h, "meta", "charset", "utf-8", NULL);
	html_open(&h, "title", NULL);
	html_textf(&h, "Акт № %lld об уничтожении персональных данных",
	    (long long)id);
	html_close(&h);
	html_open(&h, "style", NULL);
	html_raw(&h, act_css);
	html_close(&h);
	html_close(&h);
	html_open(&h, "body", NULL);
	html_open(&h, "main", NULL);
	html_open(&h, "h1", NULL);
	html_textf(&h, "Акт № %lld об уничтожении персональных данных",
	    (long long)id);
	html_close(&h);
	/* The heading says the first two lines; the rest follows whole. */
	nl = strchr(body, '\n');
	if (nl != NULL && (nl = strchr(nl + 1, '\n')) != NULL)
		body = nl + 1;
	while (*body == '\n')
		body++;
	html_elem(&h, "div", body, "class", "act", NULL);
	html_close_to(&h, 0);
	html_raw(&h, "\n");
	db_finalize(st);
	if (h.failed)
		return err_set(e, EXIT_SOFTWARE, "the act is larger than the "
		    "output's limit");
	return 0;
}

int
pd_may_see(struct db *db, const struct session *s, int64_t org_id)
{
	if (db == NULL || s == NULL)
		return 0;
	/* session_has_role counts an admin as holding every role. */
	return session_has_role(db, s, org_id, "operator") == 1;
}

int
pd_may_see_login(struct db *db, const char *login, int64_t org_id)
{
	if (db == NULL || login == NULL)
		return 0;
	return staff_role_held(db, login, org_id, "operator") == 1 ||
	    staff_role_held(db, login, org_id, "admin") == 1;
}

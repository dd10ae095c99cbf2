/*
 * Organizations, units and staff accounts, each change audited.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "otklik.h"
#include "audit.h"
#include "db.h"
#include "org.h"
#include "survey.h"

static const char *roles[] = {
	"officer", "editor", "operator", "analyst", "group", "admin",
};

/*
 * First segments of the site's own addresses: an organization with one of
 * these slugs could not have its pages.  tests/t0033-openapi-routes.sh
 * checks that every literal first segment of the route table is here.
 */
static const char *const reserved[] = {
	"admin", "api", "static", "login", "logout", "logout-all", "lang",
	"healthz", "metrics",
};

int
org_slug_reserved(const char *s)
{
	size_t i;

	for (i = 0; i < nitems(reserved); i++)
		if (strcmp(s, reserved[i]) == 0)
			return 1;
	return 0;
}

int
org_slug_valid(const char *s)
{
	size_t i, n = strlen(s);

	if (n < 2 || n > 40 || !islower((unsigned char)s[0]))
		return 0;
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && s[i] != '-')
			return 0;
	return 1;
}

char *
org_region_normalize(const char *s)
{
	char   r[16];
	size_t i, n = strlen(s), o = 0;

	if (strncasecmp(s, "ru-", 3) == 0) {
		s += 3;
		n -= 3;
	} else if (strcasecmp(s, "ru") == 0)
		return xstrdup("ru");
	if (n < 2 || n > 3)
		return NULL;
	o = (size_t)snprintf(r, sizeof(r), "ru-");
	for (i = 0; i < n; i++) {
		if (!isalpha((unsigned char)s[i]))
			return NULL;
		r[o++] = (char)tolower((unsigned char)s[i]);
	}
	r[o] = '\0';
	return xstrdup(r);
}

static char *
org_json(const struct org *o)
{
	json_t *j;
	char   *s;

	j = json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s?}", "slug", o->slug,
	    "name", o->name, "short_name", o->short_name, "region", o->region,
	    "tz", o->tz, "site_url", o->site_url);
	s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(j);
	return s;
}

int
org_add(struct db *db, const char *actor, const struct org *o, int64_t *id,
    struct err *e)
{
	struct err dummy;
	struct org *old;
	char	   *after, obj[64];

	if (!org_slug_valid(o->slug))
		return err_set(e, EXIT_USAGE,
		    "slug '%s': use 2 to 40 lowercase Latin letters, digits "
		    "and '-', starting with a letter", o->slug);
	if (org_slug_reserved(o->slug))
		return err_set(e, EXIT_USAGE,
		    "slug '%s': the site uses this name for its own pages; "
		    "choose another", o->slug);
	if (str_empty(o->name))
		return err_set(e, EXIT_USAGE, "--name: the name is empty");
	if (!tz_valid(o->tz))
		return err_set(e, EXIT_USAGE,
		    "--tz %s: not a zone of the tz database (for example "
		    "Europe/Moscow, Asia/Vladivostok)", o->tz);
	if ((old = org_find(db, o->slug, &dummy)) != NULL) {
		org_free(old);
		return err_set(e, EXIT_DATAERR,
		    "organization '%s' exists already", o->slug);
	}
	if (db_begin(db) != 0)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if (db_run(db, id,
		"INSERT INTO org (slug, name, short_name, region, tz, site_url, "
		"created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
		"tttttti", o->slug, o->name,
		o->short_name, o->region, o->tz, o->site_url,
		clock_now()) != 0) {
		err_set(e, EXIT_IOERR, "adding organization: %s",
		    db_errmsg(db));
		db_rollback(db);
		return -1;
	}
	after = org_json(o);
	snprintf(obj, sizeof(obj), "org:%s", o->slug);
	if (audit_append(db, actor, *id, "org.add", obj, NULL, after, e) != 0) {
		free(after);
		db_rollback(db);
		return -1;
	}
	free(after);
	/* A new organization can survey its clients at once (R-SRV-2). */
	if (srv_install_standard(db, actor, *id, e) != 0) {
		db_rollback(db);
		return -1;
	}
	if (db_commit(db) != 0)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	return 0;
}

static void
org_from_row(struct db_stmt *s, struct org *o)
{
	o->id = db_col_int(s, 0);
	o->slug = db_col_dup(s, 1);
	o->name = db_col_dup(s, 2);
	o->short_name = db_col_null(s, 3) ? NULL : db_col_dup(s, 3);
	o->region = db_col_dup(s, 4);
	o->tz = db_col_dup(s, 5);
	o->site_url = db_col_null(s, 6) ? NULL : db_col_dup(s, 6);
	o->created_at = db_col_int(s, 7);
}

#define ORG_COLS "id, slug, name, short_name, region, tz, site_url, created_at"

struct org *
org_find(struct db *db, const char *slug, struct err *e)
{
	struct db_stmt *s;
	struct org     *o = NULL;
	int		r;

	s = db_prepare(db, "SELECT " ORG_COLS " FROM org WHERE slug = ?", "t",
	    slug);
	if (s == NULL) {
		err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
		return NULL;
	}
	if ((r = db_step(s)) == DB_ROW) {
		o = xcalloc(1, sizeof(*o));
		org_from_row(s, o);
	} else if (r == DB_DONE)
		err_set(e, EXIT_NOINPUT,
		    "no organization '%s'; 'otklik org list' shows them", slug);
	else
		err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	db_finalize(s);
	return o;
}

struct org *
org_default(struct db *db, struct err *e)
{
	struct org *list, *o = NULL;
	int	    n, i;

	if ((n = org_list(db, &list, e)) < 0)
		return NULL;
	if (n == 1) {
		o = xmalloc(sizeof(*o));
		*o = list[0];
		free(list);
		return o;
	}
	if (n == 0)
		err_set(e, EXIT_NOINPUT,
		    "there is no organization yet; add one with 'otklik org "
		    "add SLUG --name NAME'");
	else
		err_set(e, EXIT_USAGE,
		    "there are %d organizations: say which with --org SLUG", n);
	for (i = 0; i < n; i++)
		org_clear(&list[i]);
	free(list);
	return NULL;
}

int
org_list(struct db *db, struct org **list, struct err *e)
{
	struct db_stmt *s;
	struct org     *v = NULL;
	int		n = 0, r;

	s = db_prepare(db, "SELECT " ORG_COLS " FROM org ORDER BY slug", NULL);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	while ((r = db_step(s)) == DB_ROW) {
		v = xreallocarray(v, (size_t)n + 1, sizeof(*v));
		memset(&v[n], 0, sizeof(v[n]));
		org_from_row(s, &v[n++]);
	}
	db_finalize(s);
	if (r == DB_FAIL) {
		while (n > 0)
			org_clear(&v[--n]);
		free(v);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	*list = v;
	return n;
}

void
org_clear(struct org *o)
{
	free(o->slug);
	free(o->name);
	free(o->short_name);
	free(o->region);
	free(o->tz);
	free(o->site_url);
}

void
org_free(struct org *o)
{
	if (o == NULL)
		return;
	org_clear(o);
	free(o);
}

int
unit_get(struct db *db, const char *actor, int64_t org_id, const char *name,
    int create, int64_t *id, struct err *e)
{
	struct db_stmt *s;
	char	       *after;
	int		r;
	json_t	       *j;

	s = db_prepare(db, "SELECT id FROM unit WHERE org_id = ? AND name = ?",
	    "it", org_id, name);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	r = db_step(s);
	if (r == DB_ROW)
		*id = db_col_int(s, 0);
	db_finalize(s);
	if (r == DB_ROW)
		return 0;
	if (r == DB_FAIL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if (!create)
		return err_set(e, EXIT_NOINPUT, "no unit '%s'", name);
	if (db_run(db, id,
		"INSERT INTO unit (org_id, name) VALUES (?, ?) RETURNING id",
		"it", org_id, name) != 0)
		return err_set(e, EXIT_IOERR, "adding unit: %s",
		    db_errmsg(db));
	j = json_pack("{s:s}", "name", name);
	after = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	r = audit_append(db, actor, org_id, "unit.add", "unit", NULL, after, e);
	free(after);
	return r;
}

int
role_valid(const char *r)
{
	size_t i;

	for (i = 0; i < nitems(roles); i++)
		if (strcmp(r, roles[i]) == 0)
			return 1;
	return 0;
}

int
staff_exists(struct db *db, const char *login)
{
	struct db_stmt *s;
	int		r;

	s = db_prepare(db, "SELECT 1 FROM staff WHERE login = ?", "t", login);
	if (s == NULL)
		return 0;
	r = db_step(s) == DB_ROW;
	db_finalize(s);
	return r;
}

int
staff_add(struct db *db, const char *actor, const char *login,
    const char *name, int64_t *id, struct err *e)
{
	json_t *j;
	char   *after;
	int	r;

	if (db_run(db, id,
		"INSERT INTO staff (login, name, created_at) VALUES (?, ?, ?) "
		"RETURNING id",
		"tti", login, name, clock_now()) != 0)
		return err_set(e, EXIT_DATAERR, "adding account '%s': %s",
		    login, db_errmsg(db));
	j = json_pack("{s:s, s:s}", "login", login, "name", name);
	after = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	r = audit_append(db, actor, 0, "staff.add", "staff", NULL, after, e);
	free(after);
	return r;
}

int
staff_grant(struct db *db, const char *actor, const char *login,
    int64_t org_id, const char *role, int64_t unit_id, struct err *e)
{
	json_t *j;
	char   *after;
	int	r;

	if (!role_valid(role))
		return err_set(e, EXIT_USAGE,
		    "role '%s': one of officer, editor, operator, analyst, "
		    "group, admin", role);
	if (!staff_exists(db, login))
		return err_set(e, EXIT_NOINPUT, "no staff account '%s'", login);
	if (db_run(db, NULL,
		"INSERT INTO staff_role (staff_id, org_id, role, unit_id) "
		"SELECT id, ?, ?, ? FROM staff WHERE login = ?",
		"itIt", org_id, role, unit_id, login) != 0)
		return err_set(e, EXIT_DATAERR, "granting '%s' to '%s': %s",
		    role, login, db_errmsg(db));
	j = json_pack("{s:s, s:s}", "login", login, "role", role);
	after = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	r = audit_append(db, actor, org_id, "staff.grant", "staff_role", NULL,
	    after, e);
	free(after);
	return r;
}

/*
 * The JSON API's view of the person signed in (R-ORG-2, R-ORG-4): who
 * they are, the roles they hold where, the CSRF token that every state
 * change through /api/v1/ sends in the X-CSRF-Token header, and the
 * organizations they may see.  An API client signs in through the login
 * form and keeps the session cookie.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "otklik.h"
#include "db.h"
#include "http.h"
#include "org.h"
#include "routes.h"
#include "session.h"

/*
 * The person's roles as [{org, role, unit}], ordered by organization;
 * NULL on a database failure.  One query, where asking session_has_role()
 * for every organization and role would be dozens.
 */
static json_t *
roles_json(struct req *r)
{
	struct db_stmt *s;
	json_t	       *a;
	int		step;

	s = db_prepare(r->db,
	    "SELECT o.slug, sr.role, u.name FROM staff_role sr "
	    "JOIN org o ON o.id = sr.org_id "
	    "LEFT JOIN unit u ON u.id = sr.unit_id "
	    "WHERE sr.staff_id = ? ORDER BY o.slug, sr.role",
	    "i", r->session->staff_id);
	if (s == NULL)
		return NULL;
	a = json_array();
	while ((step = db_step(s)) == DB_ROW)
		json_array_append_new(a, json_pack("{s:o, s:o, s:o}",
		    "org", api_text(db_col_text(s, 0)),
		    "role", api_text(db_col_text(s, 1)),
		    "unit", api_text(db_col_text(s, 2))));
	db_finalize(s);
	if (step == DB_FAIL) {
		json_decref(a);
		return NULL;
	}
	return a;
}

static int
db_failed(struct req *r)
{
	fprintf(stderr, "otklik: %s %s: %s\n", r->method, r->path,
	    db_errmsg(r->db));
	return req_error(r, 500, NULL, "the database could not be read; try "
	    "again later");
}

int
api_session(struct req *r)
{
	const struct session *s = r->session;
	json_t		     *roles;
	char		      when[21];
	int64_t		      idle, hard;

	if ((roles = roles_json(r)) == NULL)
		return db_failed(r);
	idle = s->last_seen + SESSION_IDLE;
	hard = s->created_at + SESSION_ABSOLUTE;
	time_format(idle < hard ? idle : hard, when);
	return req_json(r, 200, json_pack("{s:o, s:o, s:s, s:s, s:o}",
	    "login", api_text(s->login), "name", api_text(s->name),
	    "csrf", s->csrf, "expires_at", when, "roles", roles));
}

int
api_orgs(struct req *r)
{
	struct org *v;
	struct err  e;
	json_t	   *roles, *a, *mine, *it;
	const char *slug;
	size_t	    k;
	int	    n, i;

	if ((roles = roles_json(r)) == NULL)
		return db_failed(r);
	if ((n = org_list(r->db, &v, &e)) < 0) {
		json_decref(roles);
		return db_failed(r);
	}
	a = json_array();
	for (i = 0; i < n; i++) {
		mine = json_array();
		json_array_foreach(roles, k, it) {
			slug = json_string_value(json_object_get(it, "org"));
			if (strcmp(slug, v[i].slug) == 0)
				json_array_append(mine, json_object_get(it,
				    "role"));
		}
		/* A person sees only the organizations where they have a role. */
		if (json_array_size(mine) == 0)
			json_decref(mine);
		else
			json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, "
							   "s:o, s:o, s:o}",
			    "slug", api_text(v[i].slug),
			    "name", api_text(v[i].name),
			    "short_name", api_text(v[i].short_name),
			    "region", api_text(v[i].region),
			    "tz", api_text(v[i].tz),
			    "site_url", api_text(v[i].site_url),
			    "roles", mine));
		org_clear(&v[i]);
	}
	free(v);
	json_decref(roles);
	return req_json(r, 200, json_pack("{s:o}", "organizations", a));
}

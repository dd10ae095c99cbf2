/*
 * The JSON API of the registry of touchpoints (R-REG) under /api/v1/:
 * the registry of any version or date, one entry, the checks, versions,
 * comparison, publication deadlines, the official form as a file, the
 * changes and their workflow (draft, submit, verify, include, return),
 * publication records and imports.  It calls the same domain functions
 * as the commands and the pages; http.c has already checked the session,
 * CSRF and the route's role, and reads check here that the person holds
 * some role in the organization.  Output goes through jansson only.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "otklik.h"
#include "db.h"
#include "http.h"
#include "org.h"
#include "registry.h"
#include "routes.h"
#include "session.h"
#include "table.h"

/* Limits of a draft's fields, as registry_store.c enforces them. */
#define MAX_NAME  2000		/* area, process, name: bytes */
#define MAX_TEXT  20000		/* interaction, features */
#define MAX_SHORT 1000		/* contacts, unit, basis reference, notes */
#define MAX_NEEDS 64
#define MAX_BATCH 1000		/* changes included at once */

/* Small pieces. */

static json_t *
json_time(int64_t t)
{
	char s[21];

	if (t == 0)
		return json_null();
	time_format(t, s);
	return json_string(s);
}

static json_t *
json_day(int32_t d)
{
	char s[11];

	date_format(d, s);
	return json_string(s);
}

/*
 * Text for JSON.  jansson refuses invalid UTF-8; nothing should have
 * stored any, but if something did, each bad byte becomes U+FFFD rather
 * than the answer failing.
 */
json_t *
api_text(const char *s)
{
	struct buf b;
	json_t	  *j;
	size_t	   len;
	long	   at;

	if (s == NULL)
		return json_null();
	len = strlen(s);
	if (utf8_invalid_at(s, len) < 0)
		return json_stringn(s, len);
	buf_init(&b, len * 3 + 1);
	while ((at = utf8_invalid_at(s, len)) >= 0) {
		buf_add(&b, s, (size_t)at);
		buf_puts(&b, "\xef\xbf\xbd");
		s += at + 1;
		len -= (size_t)at + 1;
	}
	buf_add(&b, s, len);
	j = json_stringn(b.data, b.len);
	buf_free(&b);
	return j;
}

/* Text, or null for NULL and "". */
static json_t *
json_opt(const char *s)
{
	return s == NULL || *s == '\0' ? json_null() : api_text(s);
}

/* "a b c" → ["a", "b", "c"]. */
static json_t *
json_words(const char *s)
{
	json_t	   *a = json_array();
	const char *p = s, *q;

	while (p != NULL && *p != '\0') {
		while (*p == ' ')
			p++;
		for (q = p; *q != '\0' && *q != ' '; q++)
			;
		if (q > p)
			json_array_append_new(a, json_stringn(p, (size_t)(q - p)));
		p = q;
	}
	return a;
}

/*
 * Answers from a domain error: the code says which HTTP status.  A
 * failure of the database is not described to the client (the message
 * goes to the server's standard error instead).
 */
static int
fail(struct req *r, const struct err *e, const char *field)
{
	switch (e->code) {
	case EXIT_USAGE:
		return req_error(r, 400, field, e->msg);
	case EXIT_DATAERR:
		return req_error(r, 409, field, e->msg);
	case EXIT_NOINPUT:
		return req_error(r, 404, field, e->msg);
	default:
		fprintf(stderr, "otklik: %s %s: %s\n", r->method, r->path,
		    e->msg);
		return req_error(r, 500, NULL, "the database could not be read "
		    "or written; try again later");
	}
}

/* An error with more to say: the findings or rows that refused it. */
static int
error_with(struct req *r, int status, const char *field, const char *reason,
    const char *key, json_t *extra)
{
	json_t *j;

	j = json_pack("{s:{s:i, s:s?, s:o}}", "error", "status", status,
	    "field", field, "reason", api_text(reason));
	json_object_set_new(j, key, extra);
	return req_json(r, status, j);
}

/* Validators of query parameters (the route table names them). */


int
api_check_version_ref(const char *v, char *why, size_t len)
{
	if (http_check_int(v, why, len) == 0 || http_check_date(v, why, len) ==
	    0)
		return 0;
	snprintf(why, len, "expected a version number or a date YYYY-MM-DD");
	return -1;
}



int
api_check_format(const char *v, char *why, size_t len)
{
	if (strcmp(v, "html") == 0 || strcmp(v, "csv") == 0 ||
	    strcmp(v, "xlsx") == 0)
		return 0;
	snprintf(why, len, "expected html, csv or xlsx");
	return -1;
}

/*
 * The version a request names: ?version=N or ?as_of=DATE, else the
 * latest (0).  Returns 0, or -1 after answering.
 */
static int
pick_version(struct req *r, int64_t *v)
{
	const char *ver = req_param(r, "version"), *asof = req_param(r,
	    "as_of");
	struct err  e;
	int32_t	    day;

	*v = 0;
	if (!str_empty(ver) && !str_empty(asof)) {
		req_error(r, 400, "as_of", "give version or as_of, not both");
		return -1;
	}
	if (!str_empty(ver)) {
		*v = strtoll(ver, NULL, 10);
		if (*v < 1) {
			req_error(r, 400, "version", "versions start at 1");
			return -1;
		}
		return 0;
	}
	if (!str_empty(asof)) {
		date_parse(asof, &day);
		if (registry_version_at(r->db, r->org, day, v, &e) != 0) {
			fail(r, &e, "as_of");
			return -1;
		}
		if (*v == 0) {
			req_error(r, 404, "as_of", "the registry had no version "
			    "yet on that date");
			return -1;
		}
	}
	return 0;
}

/* Loads the registry of the version the request names; -1 answered. */
static int
load_picked(struct req *r, struct registry *reg)
{
	struct err e;
	int64_t	   v;

	memset(reg, 0, sizeof(*reg));
	if (pick_version(r, &v) != 0)
		return -1;
	if (registry_load(r->db, r->org->id, v, reg, &e) != 0) {
		fail(r, &e, "version");
		return -1;
	}
	registry_sort(reg);
	return 0;
}

/* The JSON shapes. */

static json_t *
entry_json(const struct reg_entry *x)
{
	json_t *basis = json_null();

	if (x->basis != BASIS_NONE || !str_empty(x->basis_ref))
		basis = json_pack("{s:o, s:o}", "type",
		    json_opt(basis_code(x->basis)), "ref", json_opt(x->basis_ref));
	return json_pack("{s:I, s:o, s:o, s:o, s:s, s:s, s:b, s:s, s:o, s:o, "
			 "s:o, s:{s:o, s:o, s:o, s:o, s:o}, s:o, s:o, s:b, s:b, "
			 "s:b}",
	    "id", (json_int_t)x->id, "area", api_text(x->area),
	    "process", api_text(x->process), "name", api_text(x->name),
	    "channel", channels[x->channel].code, "kind", kind_code(x->kind),
	    "kind_explicit", x->kind_explicit, "client", client_code(x->client),
	    "needs", json_words(x->needs), "interaction", api_text(x->interaction),
	    "features", api_text(x->features),
	    "contacts", "phone", json_opt(x->phone), "email", json_opt(x->email),
	    "url", json_opt(x->url), "address", json_opt(x->address),
	    "room", json_opt(x->room),
	    "unit", json_opt(x->unit), "basis", basis, "key", x->is_key,
	    "low_demand", x->low_demand, "not_counted", x->not_counted);
}

static json_t *
change_json(const struct reg_change *c)
{
	char trig[64];

	triggers_format(c->triggers, trig, sizeof(trig));
	return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
			 "s:o, s:o, s:o}",
	    "id", (json_int_t)c->id, "op", change_op_name(c->op),
	    "state", change_state_name(c->state),
	    "touchpoint_id", c->touchpoint_id != 0
		? json_integer(c->touchpoint_id) : json_null(),
	    "author", api_text(c->author),
	    "created_at", json_time(c->created_at),
	    "submitted_at", json_time(c->submitted_at),
	    "decided_at", json_time(c->decided_at),
	    "decided_by", json_opt(c->decided_by),
	    "comment", json_opt(c->comment),
	    "triggers", json_words(trig),
	    "version", c->version != 0 ? json_integer(c->version) : json_null(),
	    "entry", c->op != OP_EXCLUDE && c->entry.rev != 0
		? entry_json(&c->entry) : json_null());
}

/* Findings; with the registry checked, each names its entry's id. */
static json_t *
findings_json(const struct reg_findings *f, const struct registry *reg)
{
	json_t *a = json_array();
	size_t	i;
	int	k;

	for (i = 0; i < f->n; i++) {
		k = f->v[i].entry;
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:o, s:o, "
						   "s:o}",
		    "level", finding_level_name(f->v[i].level),
		    "rule", f->v[i].rule, "seed", f->v[i].seed,
		    "entry_id", reg != NULL && k >= 0 && (size_t)k < reg->n
			? json_integer(reg->v[k].id) : json_null(),
		    "where", api_text(f->v[i].where), "message",
		    api_text(f->v[i].msg)));
	}
	return a;
}

static json_t *
check_json(const struct reg_findings *f, const struct registry *reg)
{
	return json_pack("{s:i, s:i, s:i, s:o}", "errors", f->errors,
	    "warnings", f->warnings, "hints", f->hints, "findings",
	    findings_json(f, reg));
}

/* Reads. */

int
api_needs(struct req *r)
{
	const struct need *n;
	json_t		  *a = json_array();
	size_t		   i;

	for (i = 0; (n = needs_at(i)) != NULL; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}",
		    "code", n->code, "title_ru", n->title_ru, "title_en",
		    n->title_en, "seed", n->seed));
	return req_json(r, 200, json_pack("{s:o}", "needs", a));
}

int
api_channels(struct req *r)
{
	json_t *a = json_array();
	size_t	i;

	for (i = 0; i < CH__COUNT; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:b}",
		    "code", channels[i].code, "title_ru", channels[i].title_ru,
		    "title_en", channels[i].title_en, "kind",
		    kind_code(channels[i].kind), "key", channels[i].key));
	return req_json(r, 200, json_pack("{s:o}", "channels", a));
}

int
api_registry_get(struct req *r)
{
	struct registry reg;
	struct err	e;
	json_t	       *a;
	int64_t		latest, pub, pubat;
	size_t		i;

	if (load_picked(r, &reg) != 0)
		return 0;
	if (registry_latest_version(r->db, r->org->id, &latest, &e) != 0 ||
	    registry_published(r->db, r->org->id, &pub, &pubat, &e) != 0) {
		registry_free(&reg);
		return fail(r, &e, NULL);
	}
	a = json_array();
	for (i = 0; i < reg.n; i++)
		json_array_append_new(a, entry_json(&reg.v[i]));
	a = json_pack("{s:o, s:I, s:o, s:I, s:o, s:o}",
	    "org", api_text(r->org->slug), "version", (json_int_t)reg.version,
	    "included_at", json_time(reg.included_at),
	    "latest_version", (json_int_t)latest,
	    "published_version", pub != 0 ? json_integer(pub) : json_null(),
	    "entries", a);
	registry_free(&reg);
	return req_json(r, 200, a);
}

int
api_registry_entry(struct req *r)
{
	struct registry reg;
	json_t	       *j = NULL;
	size_t		i;

	if (load_picked(r, &reg) != 0)
		return 0;
	for (i = 0; i < reg.n; i++)
		if (reg.v[i].id == r->id)
			j = entry_json(&reg.v[i]);
	if (j == NULL) {
		registry_free(&reg);
		return req_error(r, 404, NULL, "no such entry in this version "
		    "of the registry");
	}
	j = json_pack("{s:I, s:o}", "version", (json_int_t)reg.version,
	    "entry", j);
	registry_free(&reg);
	return req_json(r, 200, j);
}

int
api_registry_check(struct req *r)
{
	struct reg_findings f;
	struct registry	    reg;
	json_t		   *j;

	if (load_picked(r, &reg) != 0)
		return 0;
	if (reg.version == 0) {
		registry_free(&reg);
		return req_error(r, 404, NULL, "the registry is empty: import "
		    "it or include a change first");
	}
	registry_check(&reg, &f);
	j = check_json(&f, &reg);
	json_object_set_new(j, "version", json_integer(reg.version));
	findings_free(&f);
	registry_free(&reg);
	return req_json(r, 200, j);
}

int
api_registry_versions(struct req *r)
{
	struct reg_version *v;
	struct err	    e;
	json_t		   *a;
	int		    i, n;

	/* As "otklik registry versions" lists them. */
	if ((n = registry_versions(r->db, r->org->id, 0, &v, &e)) < 0)
		return fail(r, &e, NULL);
	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I, s:o, s:o, s:o, s:I, "
						   "s:o}",
		    "version", (json_int_t)v[i].version,
		    "included_at", json_time(v[i].at),
		    "included_by", api_text(v[i].by),
		    "note", v[i].note == NULL ? json_null() : api_text(v[i].note),
		    "changes", (json_int_t)v[i].nchanges,
		    "published_at", v[i].published_at == 0
			? json_null() : json_time(v[i].published_at)));
	registry_versions_free(v, n);
	return req_json(r, 200, json_pack("{s:o}", "versions", a));
}

/* A side of a comparison: a version number (0: empty) or a date. */
static int
diff_side(struct req *r, const char *name, int64_t *v, struct registry *reg)
{
	const char *p = req_param(r, name);
	struct err  e;
	int32_t	    day;

	memset(reg, 0, sizeof(*reg));
	if (date_parse(p, &day) == 0) {
		if (registry_version_at(r->db, r->org, day, v, &e) != 0)
			return fail(r, &e, name), -1;
	} else
		*v = strtoll(p, NULL, 10);
	if (*v > 0 && registry_load(r->db, r->org->id, *v, reg, &e) != 0)
		return fail(r, &e, name), -1;
	return 0;
}

static const char *
api_field(const char *f)
{
	static const char *const map[][2] = {{"phone", "contacts.phone"},
	    {"email", "contacts.email"}, {"url", "contacts.url"},
	    {"address", "contacts.address"}, {"room", "contacts.room"},
	    {"basis", "basis.type"}, {"basis_ref", "basis.ref"}};
	size_t i;

	for (i = 0; i < nitems(map); i++)
		if (strcmp(f, map[i][0]) == 0)
			return map[i][1];
	return f;
}

int
api_registry_diff(struct req *r)
{
	struct registry	a, b;
	struct reg_diff d;
	json_t	       *arr, *fields;
	const struct reg_entry *x;
	char	       *copy, *tok, *save;
	int64_t		va, vb;
	size_t		i;

	if (diff_side(r, "a", &va, &a) != 0)
		return 0;
	if (diff_side(r, "b", &vb, &b) != 0) {
		registry_free(&a);
		return 0;
	}
	registry_diff(&a, &b, &d);
	arr = json_array();
	for (i = 0; i < d.n; i++) {
		x = d.v[i].b != NULL ? d.v[i].b : d.v[i].a;
		fields = json_array();
		copy = xstrdup(d.v[i].fields);
		save = NULL;
		for (tok = strtok_r(copy, " ", &save); tok != NULL;
		     tok = strtok_r(NULL, " ", &save))
			json_array_append_new(fields, json_string(api_field(tok)));
		free(copy);
		json_array_append_new(arr, json_pack("{s:s, s:I, s:o, s:o, s:o}",
		    "op", d.v[i].op == '+' ? "added"
			: d.v[i].op == '-' ? "excluded" : "changed",
		    "id", (json_int_t)x->id, "fields", fields,
		    "before", d.v[i].a != NULL ? entry_json(d.v[i].a)
					       : json_null(),
		    "after", d.v[i].b != NULL ? entry_json(d.v[i].b)
					      : json_null()));
	}
	reg_diff_free(&d);
	registry_free(&a);
	registry_free(&b);
	return req_json(r, 200, json_pack("{s:I, s:I, s:o}", "a",
	    (json_int_t)va, "b", (json_int_t)vb, "differences", arr));
}

static const char *
pub_state_name(enum pub_state s)
{
	return s == PUB_LATE ? "late" : s == PUB_DUE_SOON ? "due_soon"
							  : "pending";
}

int
api_registry_status(struct req *r)
{
	struct reg_status st;
	struct err	  e;
	json_t		 *a;
	size_t		  i;

	if (registry_status(r->db, r->org, clock_now(), &st, &e) != 0)
		return fail(r, &e, NULL);
	a = json_array();
	for (i = 0; i < st.n; i++)
		json_array_append_new(a, json_pack("{s:I, s:o, s:o, s:i, s:s}",
		    "version", (json_int_t)st.v[i].version,
		    "changed", json_day(st.v[i].changed),
		    "deadline", json_day(st.v[i].deadline),
		    "days_left", st.v[i].days_left,
		    "state", pub_state_name(st.v[i].state)));
	a = json_pack("{s:I, s:o, s:o, s:i, s:o, s:o}",
	    "current_version", (json_int_t)st.current,
	    "published_version", st.published != 0 ? json_integer(st.published)
						  : json_null(),
	    "published_at", json_time(st.published_at),
	    "working_days", PUBLISH_WORKING_DAYS,
	    "calendar_warning", json_opt(st.warning), "pending", a);
	reg_status_free(&st);
	return req_json(r, 200, a);
}

/*
 * The official form as a file.  libxlsxwriter writes only to a named
 * file, so an XLSX is made in a temporary file and read back.
 */
static int
export_xlsx(struct req *r, const struct registry *reg,
    const struct export_meta *m, const char *filename)
{
	struct buf  b;
	struct err  e;
	const char *dir = getenv("TMPDIR");
	char	   *tmp;
	int	    fd, rc;

	tmp = xasprintf("%s/otklik-api.XXXXXX",
	    dir != NULL && *dir != '\0' ? dir : "/tmp");
	if ((fd = mkstemp(tmp)) == -1) {
		err_set(&e, EXIT_IOERR, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return fail(r, &e, NULL);
	}
	close(fd);
	err_clear(&e);
	buf_init(&b, BUF_MAX_DEFAULT);
	if (registry_export_xlsx(reg, m, tmp, &e) != 0 ||
	    buf_read_file(&b, tmp, &e) != 0)
		rc = fail(r, &e, NULL);
	else
		rc = req_file(r, "application/vnd.openxmlformats-"
				 "officedocument.spreadsheetml.sheet",
		    filename, b.data, b.len);
	unlink(tmp);
	free(tmp);
	buf_free(&b);
	return rc;
}

int
api_registry_export(struct req *r)
{
	struct registry	   reg;
	struct export_meta m;
	struct buf	   out;
	struct err	   e;
	const char	  *f = req_param(r, "format"), *ext = req_param(r,
	    "extended");
	char		   name[96];
	int		   rc;

	if (ext != NULL && strcmp(ext, "1") == 0 && strcmp(f, "html") == 0)
		return req_error(r, 400, "extended", "applies to csv and xlsx, "
		    "not html");
	if (load_picked(r, &reg) != 0)
		return 0;
	if (reg.version == 0) {
		registry_free(&reg);
		return req_error(r, 404, NULL, "the registry has no version "
		    "yet");
	}
	memset(&m, 0, sizeof(m));
	m.org_name = r->org->name;
	m.version = reg.version;
	m.date = date_local(reg.included_at, r->org->tz);
	m.extended = ext != NULL && strcmp(ext, "1") == 0;
	snprintf(name, sizeof(name), "registry-%s-v%lld.%s", r->org->slug,
	    (long long)reg.version, f);
	if (strcmp(f, "xlsx") == 0) {
		rc = export_xlsx(r, &reg, &m, name);
		registry_free(&reg);
		return rc;
	}
	buf_init(&out, BUF_MAX_DEFAULT);
	err_clear(&e);
	if ((strcmp(f, "csv") == 0 ? registry_export_csv(&reg, &m, &out, &e)
				   : registry_export_html(&reg, &m, &out, &e))
	    != 0)
		rc = fail(r, &e, NULL);
	else
		rc = req_file(r, strcmp(f, "csv") == 0
			? "text/csv; charset=utf-8" : "text/html; charset=utf-8",
		    name, out.data, out.len);
	buf_free(&out);
	registry_free(&reg);
	return rc;
}

int
api_changes_list(struct req *r)
{
	struct reg_change *v;
	struct err	   e;
	const char	  *st = req_param(r, "state");
	json_t		  *a;
	int		   n, i;

	n = registry_changes(r->db, r->org->id,
	    str_empty(st) ? -1 : change_state_parse(st), &v, &e);
	if (n < 0)
		return fail(r, &e, NULL);
	a = json_array();
	for (i = 0; i < n; i++) {
		json_array_append_new(a, change_json(&v[i]));
		reg_change_clear(&v[i]);
	}
	free(v);
	return req_json(r, 200, json_pack("{s:o}", "changes", a));
}

/* The change of the {id} segment, or -1 after a 404. */
static int
get_change(struct req *r, struct reg_change *c)
{
	struct err e;

	if (registry_change_get(r->db, r->org->id, r->id, c, &e) == 0)
		return 0;
	if (e.code == EXIT_NOINPUT)
		req_error(r, 404, NULL, "no such change in this organization");
	else
		fail(r, &e, NULL);
	return -1;
}

int
api_change_get(struct req *r)
{
	struct reg_change c;
	struct registry	  cur;
	struct err	  e;
	json_t		 *j, *now = json_null();
	size_t		  i;

	if (get_change(r, &c) != 0)
		return 0;
	if (c.touchpoint_id != 0) {
		if (registry_load(r->db, r->org->id, 0, &cur, &e) != 0) {
			reg_change_clear(&c);
			return fail(r, &e, NULL);
		}
		for (i = 0; i < cur.n; i++)
			if (cur.v[i].id == c.touchpoint_id) {
				json_decref(now);
				now = entry_json(&cur.v[i]);
			}
		registry_free(&cur);
	}
	j = change_json(&c);
	/* The entry as the latest version has it, to compare with. */
	json_object_set_new(j, "current", now);
	reg_change_clear(&c);
	return req_json(r, 200, j);
}

/* JSON bodies. */

/* The body as a JSON object; NULL after a 400. */
static json_t *
body_object(struct req *r)
{
	json_error_t je;
	json_t	    *j;
	char	     why[128];

	if (r->body.len == 0) {
		req_error(r, 400, "body", "expected a JSON object");
		return NULL;
	}
	/* Only the position is told: the parser's text quotes the input. */
	j = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je);
	if (j == NULL) {
		snprintf(why, sizeof(why), "not valid JSON (line %d, column "
					   "%d)", je.line, je.column);
		req_error(r, 400, "body", why);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		req_error(r, 400, "body", "expected a JSON object");
		return NULL;
	}
	return j;
}

/* Answers 400 naming the field; returns -1. */
static int
bad(struct req *r, const char *field, const char *why)
{
	req_error(r, 400, field, why);
	return -1;
}

/*
 * A text member: absent (*out untouched, returns 0), null (allowed only
 * when nullable: *out NULL), or a string of at most max bytes without
 * control characters other than white space, squeezed.  An empty string
 * counts as null where null is allowed.  Returns 1 when set, 0 when
 * absent, -1 after a 400.
 */
static int
get_text(struct req *r, json_t *o, const char *key, const char *field,
    size_t max, int nullable, char **out)
{
	json_t	   *v = json_object_get(o, key);
	const char *s;
	char	    why[96];
	size_t	    i, len;

	if (v == NULL)
		return 0;
	if (json_is_null(v)) {
		if (!nullable)
			return bad(r, field, "must be a string, not null");
		free(*out);
		*out = NULL;
		return 1;
	}
	if (!json_is_string(v))
		return bad(r, field, "must be a string");
	s = json_string_value(v);
	len = json_string_length(v);
	if (len > max) {
		snprintf(why, sizeof(why), "longer than %zu bytes", max);
		return bad(r, field, why);
	}
	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\n' &&
			s[i] != '\t' && s[i] != '\r') || s[i] == 0x7f)
			return bad(r, field, "contains a control character");
	free(*out);
	*out = str_squeeze(s);
	if (nullable && **out == '\0') {
		free(*out);
		*out = NULL;
	}
	return 1;
}

/* A boolean member: 1 set, 0 absent, -1 after a 400. */
static int
get_bool(struct req *r, json_t *o, const char *key, const char *field,
    int *out)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL)
		return 0;
	if (!json_is_boolean(v))
		return bad(r, field, "must be true or false");
	*out = json_is_true(v);
	return 1;
}

/* A whole number >= min: 1 set, 0 absent (or null), -1 after a 400. */
static int
get_int(struct req *r, json_t *o, const char *key, int64_t min,
    int64_t *out)
{
	json_t *v = json_object_get(o, key);
	char	why[64];

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min) {
		snprintf(why, sizeof(why), "must be a whole number of at least "
					   "%lld", (long long)min);
		return bad(r, key, why);
	}
	*out = json_integer_value(v);
	return 1;
}

/* Where a contact or a link may point: no white space, no scheme but
 * http and https (a page shows it as a link). */
static int
url_ok(const char *u)
{
	const char *p;

	for (p = u; *p != '\0'; p++)
		if (*p == ' ')
			return 0;
	p = strpbrk(u, ":/?#");
	if (p == NULL || *p != ':')
		return 1;	/* no scheme: "gkmser.ru/contacts" */
	return strncasecmp(u, "http://", 7) == 0 ||
	    strncasecmp(u, "https://", 8) == 0;
}

static int
email_ok(const char *m)
{
	const char *at = strchr(m, '@');

	return at != NULL && at != m && at[1] != '\0' &&
	    strchr(at + 1, '@') == NULL && strchr(m, ' ') == NULL;
}

/* entry.needs: an array of codes of the taxonomy or the organization. */
static int
get_needs(struct req *r, json_t *o, struct reg_entry *x)
{
	json_t	  *v = json_object_get(o, "needs"), *it;
	struct buf b;
	struct err e;
	char	   field[48];
	const char *code;
	size_t	   i, k;

	if (v == NULL)
		return 0;
	if (!json_is_array(v))
		return bad(r, "entry.needs", "must be an array of need codes");
	if (json_array_size(v) > MAX_NEEDS)
		return bad(r, "entry.needs", "more than 64 needs");
	buf_init(&b, 64 * 1024);
	json_array_foreach(v, i, it) {
		snprintf(field, sizeof(field), "entry.needs[%zu]", i);
		code = json_string_value(it);
		if (code == NULL || *code == '\0' || strlen(code) > 200 ||
		    strpbrk(code, " ,\t\n") != NULL) {
			buf_free(&b);
			return bad(r, field, "must be a need code such as "
			    "\"info\" (GET /api/v1/needs lists them)");
		}
		if (needs_validate(r->db, r->org->id, code, &e) != 0) {
			buf_free(&b);
			return bad(r, field, "not a need of the taxonomy or of "
			    "this organization (GET /api/v1/needs lists them)");
		}
		for (k = 0; k < i; k++)
			if (strcmp(json_string_value(json_array_get(v, k)),
				code) == 0) {
				buf_free(&b);
				return bad(r, field, "listed twice");
			}
		if (b.len > 0)
			buf_putc(&b, ' ');
		buf_puts(&b, code);
	}
	free(x->needs);
	x->needs = buf_detach(&b);
	return 1;
}

static const char *
empty_why(int adding)
{
	return adding ? "required, and empty or missing" : "must not be empty";
}

/*
 * Applies the members of the body's "entry" to x, as the command line
 * applies its options: a new entry takes its channel from the name, its
 * kind and key flag from the channel, its needs from the interaction's
 * text, unless given.  Returns 0, or -1 after a 400 naming the field.
 */
static int
entry_apply(struct req *r, json_t *o, struct reg_entry *x, int adding)
{
	json_t	   *c, *bs;
	char	   *kind = NULL, *client = NULL, *channel = NULL, *btype = NULL;
	int	    ch, set, rc = -1, kind_given, channel_given;
	static const char *const contacts[] = {"phone", "email", "url",
	    "address", "room"};
	char	  **cfield[5], field[32];
	size_t	    i;

	if (get_text(r, o, "area", "entry.area", MAX_NAME, 0, &x->area) < 0 ||
	    get_text(r, o, "process", "entry.process", MAX_NAME, 0,
		&x->process) < 0 ||
	    get_text(r, o, "name", "entry.name", MAX_NAME, 0, &x->name) < 0)
		return -1;
	if (*x->area == '\0')
		return bad(r, "entry.area", empty_why(adding));
	if (*x->process == '\0')
		return bad(r, "entry.process", empty_why(adding));
	if (*x->name == '\0')
		return bad(r, "entry.name", empty_why(adding));

	if ((channel_given = get_text(r, o, "channel", "entry.channel", 32, 0,
		 &channel)) < 0)
		goto out;
	if (channel_given) {
		if ((ch = channel_from_code(channel)) < 0) {
			bad(r, "entry.channel", "not a channel type (GET "
			    "/api/v1/channels lists them)");
			goto out;
		}
		x->channel = (enum channel)ch;
	} else if (adding)
		x->channel = channel_guess(x->name);
	if (adding)
		x->is_key = channels[x->channel].key;
	if ((channel_given || adding) && !x->kind_explicit)
		x->kind = channels[x->channel].kind;
	if ((kind_given = get_text(r, o, "kind", "entry.kind", 32, 0,
		 &kind)) < 0)
		goto out;
	if (kind_given) {
		if (strcmp(kind, "digital") != 0 && strcmp(kind, "offline") != 0) {
			bad(r, "entry.kind", "expected digital or offline");
			goto out;
		}
		x->kind = strcmp(kind, "digital") == 0 ? KIND_DIGITAL
						       : KIND_OFFLINE;
		x->kind_explicit = x->kind != channels[x->channel].kind;
	}
	if ((set = get_text(r, o, "client", "entry.client", 32, 0,
		 &client)) < 0)
		goto out;
	if (set) {
		if (strcmp(client, "external") != 0 &&
		    strcmp(client, "internal") != 0) {
			bad(r, "entry.client", "expected external or internal");
			goto out;
		}
		x->client = strcmp(client, "internal") == 0 ? CLIENT_INTERNAL
							    : CLIENT_EXTERNAL;
	}
	if ((set = get_text(r, o, "interaction", "entry.interaction",
		 MAX_TEXT, 0, &x->interaction)) < 0)
		goto out;
	switch (get_needs(r, o, x)) {
	case -1:
		goto out;
	case 0:
		if (set) {
			free(x->needs);
			x->needs = needs_from_text(x->interaction);
		}
		break;
	}
	if (get_text(r, o, "features", "entry.features", MAX_TEXT, 0,
		&x->features) < 0)
		goto out;

	c = json_object_get(o, "contacts");
	if (c != NULL && !json_is_null(c) && !json_is_object(c)) {
		bad(r, "entry.contacts", "must be an object with phone, email, "
		    "url, address, room");
		goto out;
	}
	cfield[0] = &x->phone;
	cfield[1] = &x->email;
	cfield[2] = &x->url;
	cfield[3] = &x->address;
	cfield[4] = &x->room;
	for (i = 0; i < nitems(contacts); i++) {
		snprintf(field, sizeof(field), "entry.contacts.%s", contacts[i]);
		if (c != NULL && json_is_null(c)) {
			free(*cfield[i]);	/* "contacts": null clears all */
			*cfield[i] = NULL;
			continue;
		}
		if ((set = get_text(r, c, contacts[i], field, MAX_SHORT, 1,
			 cfield[i])) < 0)
			goto out;
		if (set && *cfield[i] != NULL && i == 1 &&
		    !email_ok(*cfield[i])) {
			bad(r, field, "expected an address such as "
			    "name@example.ru");
			goto out;
		}
		if (set && *cfield[i] != NULL && i == 2 && !url_ok(*cfield[i])) {
			bad(r, field, "expected an http or https address");
			goto out;
		}
	}
	if (get_text(r, o, "unit", "entry.unit", MAX_SHORT, 1, &x->unit) < 0)
		goto out;

	bs = json_object_get(o, "basis");
	if (bs != NULL && json_is_null(bs)) {
		x->basis = BASIS_NONE;
		free(x->basis_ref);
		x->basis_ref = NULL;
	} else if (bs != NULL) {
		if (!json_is_object(bs)) {
			bad(r, "entry.basis", "must be an object with type and "
			    "ref, or null");
			goto out;
		}
		if ((set = get_text(r, bs, "type", "entry.basis.type", 32, 1,
			 &btype)) < 0)
			goto out;
		if (set && btype == NULL)
			x->basis = BASIS_NONE;
		else if (set && strcmp(btype, "normative") == 0)
			x->basis = BASIS_NORMATIVE;
		else if (set && strcmp(btype, "internal") == 0)
			x->basis = BASIS_INTERNAL;
		else if (set && strcmp(btype, "contract") == 0)
			x->basis = BASIS_CONTRACT;
		else if (set && strcmp(btype, "directive") == 0)
			x->basis = BASIS_DIRECTIVE;
		else if (set) {
			bad(r, "entry.basis.type", "expected normative, "
			    "internal, contract, directive or null");
			goto out;
		}
		if (get_text(r, bs, "ref", "entry.basis.ref", MAX_NAME, 1,
			&x->basis_ref) < 0)
			goto out;
	}
	if (get_bool(r, o, "key", "entry.key", &x->is_key) < 0 ||
	    get_bool(r, o, "low_demand", "entry.low_demand", &x->low_demand) <
		0 ||
	    get_bool(r, o, "not_counted", "entry.not_counted",
		&x->not_counted) < 0)
		goto out;
	rc = 0;
out:
	free(kind);
	free(client);
	free(channel);
	free(btype);
	return rc;
}

/* Writes. */

/* The change just made or moved, as the answer. */
static int
answer_change(struct req *r, int status, int64_t id)
{
	struct reg_change c;
	struct err	  e;
	char		  loc[160];

	if (registry_change_get(r->db, r->org->id, id, &c, &e) != 0)
		return fail(r, &e, NULL);
	if (status == 201) {
		snprintf(loc, sizeof(loc), "/api/v1/orgs/%s/registry/changes/"
					   "%lld", r->org->slug, (long long)id);
		req_header(r, "Location", loc);
	}
	status = req_json(r, status, change_json(&c));
	reg_change_clear(&c);
	return status;
}

int
api_change_create(struct req *r)
{
	struct registry	 cur;
	struct reg_entry x;
	struct err	 e;
	json_t		*o, *ent;
	char		*op = NULL;
	int64_t		 tp = 0, id;
	size_t		 i = 0;
	int		 has_tp;

	if ((o = body_object(r)) == NULL)
		return 0;
	reg_entry_init(&x);
	memset(&cur, 0, sizeof(cur));
	if (get_text(r, o, "op", "op", 16, 0, &op) < 0)
		goto out;
	if (op == NULL) {
		bad(r, "op", "required, and missing: add, change or exclude");
		goto out;
	}
	if (strcmp(op, "add") != 0 && strcmp(op, "change") != 0 &&
	    strcmp(op, "exclude") != 0) {
		bad(r, "op", "expected add, change or exclude");
		goto out;
	}
	if ((has_tp = get_int(r, o, "touchpoint_id", 1, &tp)) < 0)
		goto out;
	if (strcmp(op, "add") == 0 && has_tp) {
		bad(r, "touchpoint_id", "an addition names no touchpoint");
		goto out;
	}
	if (strcmp(op, "add") != 0) {
		if (!has_tp) {
			bad(r, "touchpoint_id", "required, and missing: which "
			    "touchpoint of the registry");
			goto out;
		}
		if (registry_load(r->db, r->org->id, 0, &cur, &e) != 0) {
			fail(r, &e, NULL);
			goto out;
		}
		for (i = 0; i < cur.n && cur.v[i].id != tp; i++)
			;
		if (i == cur.n) {
			bad(r, "touchpoint_id", "not in the latest version of "
			    "the registry");
			goto out;
		}
		reg_entry_clear(&x);
		reg_entry_copy(&x, &cur.v[i]);
	}
	if (strcmp(op, "exclude") == 0) {
		if (registry_draft_exclude(r->db, r->org, r->session->login,
			tp, &id, &e) != 0)
			fail(r, &e, "touchpoint_id");
		else
			answer_change(r, 201, id);
		goto out;
	}
	ent = json_object_get(o, "entry");
	if (ent == NULL || !json_is_object(ent)) {
		bad(r, "entry", ent == NULL ? "required, and missing"
					    : "must be an object");
		goto out;
	}
	if (entry_apply(r, ent, &x, strcmp(op, "add") == 0) != 0)
		goto out;
	if (strcmp(op, "change") == 0 && registry_triggers(&cur.v[i], &x) == 0) {
		bad(r, "entry", "changes nothing in the touchpoint");
		goto out;
	}
	if (registry_draft(r->db, r->org, r->session->login,
		strcmp(op, "add") == 0 ? OP_ADD : OP_CHANGE, &x, &id, &e) != 0)
		fail(r, &e, "entry");
	else
		answer_change(r, 201, id);
out:
	free(op);
	registry_free(&cur);
	reg_entry_clear(&x);
	json_decref(o);
	return 0;
}

int
api_change_submit(struct req *r)
{
	struct reg_change c;
	struct err	  e;

	if (get_change(r, &c) != 0)
		return 0;
	reg_change_clear(&c);
	if (registry_submit(r->db, r->org, r->session->login, r->id, &e) != 0)
		return fail(r, &e, NULL);
	return answer_change(r, 200, r->id);
}

int
api_change_verify(struct req *r)
{
	struct reg_findings f;
	struct reg_change   c;
	struct err	    e;
	json_t		   *j;

	if (get_change(r, &c) != 0)
		return 0;
	reg_change_clear(&c);
	if (registry_verify(r->db, r->org, r->id, &f, &e) != 0)
		return fail(r, &e, NULL);
	j = check_json(&f, NULL);
	json_object_set_new(j, "change_id", json_integer(r->id));
	json_object_set_new(j, "includable", json_boolean(f.errors == 0));
	findings_free(&f);
	return req_json(r, 200, j);
}

/* Includes changes as one version: 201, or 422 with the findings. */
static int
include(struct req *r, const int64_t *ids, size_t n)
{
	struct reg_findings f;
	struct err	    e;
	int64_t		    version;
	char		    loc[160];
	int		    rc;

	if (registry_include(r->db, r->org, r->session->login, ids, n,
		&version, &f, &e) != 0) {
		rc = f.errors > 0
		    ? error_with(r, 422, NULL, e.msg, "check",
			  check_json(&f, NULL))
		    : fail(r, &e, n == 1 ? NULL : "changes");
		findings_free(&f);
		return rc;
	}
	snprintf(loc, sizeof(loc), "/api/v1/orgs/%s/registry?version=%lld",
	    r->org->slug, (long long)version);
	req_header(r, "Location", loc);
	rc = req_json(r, 201, json_pack("{s:I, s:o}", "version",
	    (json_int_t)version, "check", check_json(&f, NULL)));
	findings_free(&f);
	return rc;
}

int
api_change_include(struct req *r)
{
	struct reg_change c;

	if (get_change(r, &c) != 0)
		return 0;
	reg_change_clear(&c);
	return include(r, &r->id, 1);
}

int
api_versions_create(struct req *r)
{
	json_t	*o, *a, *it;
	int64_t *ids;
	char	 field[32];
	size_t	 i, k;

	if ((o = body_object(r)) == NULL)
		return 0;
	a = json_object_get(o, "changes");
	if (a == NULL || !json_is_array(a) || json_array_size(a) == 0 ||
	    json_array_size(a) > MAX_BATCH) {
		json_decref(o);
		return req_error(r, 400, "changes", "expected an array of 1 to "
		    "1000 change ids");
	}
	ids = xcalloc(json_array_size(a), sizeof(*ids));
	json_array_foreach(a, i, it) {
		snprintf(field, sizeof(field), "changes[%zu]", i);
		if (!json_is_integer(it) || json_integer_value(it) < 1) {
			free(ids);
			json_decref(o);
			return req_error(r, 400, field, "must be a change id, a "
			    "whole number");
		}
		ids[i] = json_integer_value(it);
		for (k = 0; k < i; k++)
			if (ids[k] == ids[i]) {
				free(ids);
				json_decref(o);
				return req_error(r, 400, field, "listed twice");
			}
	}
	include(r, ids, json_array_size(a));
	free(ids);
	json_decref(o);
	return 0;
}

int
api_change_return(struct req *r)
{
	struct reg_change c;
	struct err	  e;
	json_t		 *o;
	char		 *comment = NULL;

	if ((o = body_object(r)) == NULL)
		return 0;
	if (get_text(r, o, "comment", "comment", MAX_TEXT, 1, &comment) < 0)
		goto out;
	if (comment == NULL) {
		bad(r, "comment", "required: say why the change goes back to "
		    "its author");
		goto out;
	}
	if (get_change(r, &c) != 0)
		goto out;
	reg_change_clear(&c);
	if (registry_return(r->db, r->org, r->session->login, r->id, comment,
		&e) != 0)
		fail(r, &e, "comment");
	else
		answer_change(r, 200, r->id);
out:
	free(comment);
	json_decref(o);
	return 0;
}

int
api_publication_create(struct req *r)
{
	struct err e;
	json_t	  *o;
	char	  *at_s = NULL, *url = NULL;
	int64_t	   version = 0, latest, at = clock_now();

	if ((o = body_object(r)) == NULL)
		return 0;
	if (get_int(r, o, "version", 1, &version) < 0 ||
	    get_text(r, o, "published_at", "published_at", 40, 1, &at_s) < 0 ||
	    get_text(r, o, "url", "url", MAX_SHORT, 1, &url) < 0)
		goto out;
	if (at_s != NULL && time_parse(at_s, &at) != 0) {
		bad(r, "published_at", "expected YYYY-MM-DD or an ISO 8601 "
		    "time such as 2024-10-22T10:00:00Z");
		goto out;
	}
	if (at > clock_now()) {
		bad(r, "published_at", "a publication cannot be in the future");
		goto out;
	}
	if (url != NULL && !url_ok(url)) {
		bad(r, "url", "expected an http or https address");
		goto out;
	}
	if (registry_latest_version(r->db, r->org->id, &latest, &e) != 0) {
		fail(r, &e, NULL);
		goto out;
	}
	if (latest == 0) {
		req_error(r, 409, NULL, "the registry has no version to "
		    "publish yet");
		goto out;
	}
	if (version > latest) {
		bad(r, "version", "the registry has no such version");
		goto out;
	}
	if (version == 0)
		version = latest;
	if (registry_publish(r->db, r->org, r->session->login, version, at,
		url, &e) != 0)
		fail(r, &e, e.code == EXIT_USAGE ? "published_at" : NULL);
	else
		req_json(r, 201, json_pack("{s:I, s:o, s:o}", "version",
		    (json_int_t)version, "published_at", json_time(at), "url",
		    json_opt(url)));
out:
	free(at_s);
	free(url);
	json_decref(o);
	return 0;
}

int
api_registry_import(struct req *r)
{
	struct import_opts	io = {CLIENT_EXTERNAL};
	struct import_report	rep;
	struct reg_import_stats st;
	struct reg_findings	f;
	struct registry		reg;
	struct table		t;
	struct err		e;
	const char	       *dry_s = req_param(r, "dry_run"),
			       *client = req_param(r, "client"),
			       *note = req_param(r, "note");
	json_t		       *a;
	int64_t			version;
	int			dry = dry_s != NULL && strcmp(dry_s, "1") == 0;
	size_t			i;

	if (r->body.len == 0)
		return req_error(r, 400, "body", "send the CSV or XLSX file as "
		    "the request body");
	if (client != NULL && strcmp(client, "internal") == 0)
		io.client = CLIENT_INTERNAL;
	err_clear(&e);
	if (table_read(r->body.data, r->body.len, &t, &e) != 0)
		return req_error(r, 400, "body", e.msg);
	if (registry_from_table(&t, &io, &reg, &rep) != 0) {
		table_free(&t);
		a = json_array();
		for (i = 0; i < rep.n; i++)
			json_array_append_new(a, json_pack("{s:I, s:o, s:o}",
			    "row", (json_int_t)rep.v[i].line,
			    "column", rep.v[i].col > 0
				? json_integer(rep.v[i].col) : json_null(),
			    "message", api_text(rep.v[i].msg)));
		import_report_free(&rep);
		registry_free(&reg);
		return error_with(r, 422, "body", "some rows cannot be read; "
		    "nothing was written", "problems", a);
	}
	table_free(&t);
	import_report_free(&rep);
	if (registry_replace(r->db, r->org, r->session->login, &reg,
		!str_empty(note) ? note : "import through the API", dry,
		&version, &st, &f, &e) != 0) {
		if (f.errors > 0)
			error_with(r, 422, NULL, e.msg, "check",
			    check_json(&f, NULL));
		else
			fail(r, &e, NULL);
		findings_free(&f);
		registry_free(&reg);
		return 0;
	}
	req_json(r, !dry && version != 0 ? 201 : 200,
	    json_pack("{s:b, s:I, s:i, s:i, s:i, s:i, s:o, s:o}",
		"dry_run", dry, "entries", (json_int_t)reg.n,
		"added", st.added, "changed", st.changed, "excluded",
		st.excluded, "unchanged", st.unchanged,
		"version", version != 0 ? json_integer(version) : json_null(),
		"check", check_json(&f, NULL)));
	findings_free(&f);
	registry_free(&reg);
	return 0;
}

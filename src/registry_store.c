/*
 * The registry in the database: revisions valid over ranges of versions,
 * changes drafted, submitted, returned or included (R-REG-4), versions
 * and the registry as of any date (R-REG-5), publications and their
 * deadlines in working days (R-REG-6).  Every write is one transaction
 * with its audit entries.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "otklik.h"
#include "audit.h"
#include "cal.h"
#include "db.h"
#include "org.h"
#include "registry.h"

#define POS_GAP 1024

#define REV_COLS                                                           \
	"r.touchpoint_id, r.id, r.pos, r.area, r.process, r.name, r.channel, " \
	"r.kind, r.kind_explicit, r.client, r.needs, r.interaction, "      \
	"r.features, r.phone, r.email, r.url, r.address, r.room, r.unit_id, " \
	"u.name, r.basis, r.basis_ref, r.is_key, r.low_demand, r.not_counted"

static const char *const change_states[] = {"draft", "submitted", "returned",
    "included", "withdrawn"};
static const char *const change_ops[] = {"add", "change", "exclude"};

static char *
col_opt(struct db_stmt *s, int i)
{
	return db_col_null(s, i) ? NULL : db_col_dup(s, i);
}

static void
entry_from_row(struct db_stmt *s, int c, struct reg_entry *e)
{
	const char *t;
	int	    ch;

	reg_entry_clear(e);
	e->id = db_col_int(s, c + 0);
	e->rev = db_col_int(s, c + 1);
	e->pos = (int)db_col_int(s, c + 2);
	e->area = db_col_dup(s, c + 3);
	e->process = db_col_dup(s, c + 4);
	e->name = db_col_dup(s, c + 5);
	ch = channel_from_code(db_col_text(s, c + 6));
	e->channel = ch >= 0 ? (enum channel)ch : CH_OTHER;
	e->kind = strcmp(db_col_text(s, c + 7), "digital") == 0 ? KIND_DIGITAL
								 : KIND_OFFLINE;
	e->kind_explicit = (int)db_col_int(s, c + 8);
	e->client = strcmp(db_col_text(s, c + 9), "internal") == 0
	    ? CLIENT_INTERNAL
	    : CLIENT_EXTERNAL;
	e->needs = db_col_dup(s, c + 10);
	e->interaction = db_col_dup(s, c + 11);
	e->features = db_col_dup(s, c + 12);
	e->phone = col_opt(s, c + 13);
	e->email = col_opt(s, c + 14);
	e->url = col_opt(s, c + 15);
	e->address = col_opt(s, c + 16);
	e->room = col_opt(s, c + 17);
	e->unit_id = db_col_int(s, c + 18);
	e->unit = col_opt(s, c + 19);
	e->basis = BASIS_NONE;
	if ((t = db_col_text(s, c + 20)) != NULL) {
		if (strcmp(t, "normative") == 0)
			e->basis = BASIS_NORMATIVE;
		else if (strcmp(t, "internal") == 0)
			e->basis = BASIS_INTERNAL;
		else if (strcmp(t, "contract") == 0)
			e->basis = BASIS_CONTRACT;
		else if (strcmp(t, "directive") == 0)
			e->basis = BASIS_DIRECTIVE;
	}
	e->basis_ref = col_opt(s, c + 21);
	e->is_key = (int)db_col_int(s, c + 22);
	e->low_demand = (int)db_col_int(s, c + 23);
	e->not_counted = (int)db_col_int(s, c + 24);
}

int
registry_latest_version(struct db *db, int64_t org_id, int64_t *version,
    struct err *e)
{
	struct db_stmt *s;

	*version = 0;
	s = db_prepare(db, "SELECT max(version) FROM registry_version WHERE "
			   "org_id = ?", "i", org_id);
	if (s == NULL || db_step(s) == DB_FAIL) {
		db_finalize(s);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	*version = db_col_int(s, 0);
	db_finalize(s);
	return 0;
}

int
registry_load(struct db *db, int64_t org_id, int64_t version,
    struct registry *r, struct err *e)
{
	struct db_stmt *s;
	int		step;

	memset(r, 0, sizeof(*r));
	if (version == 0 &&
	    registry_latest_version(db, org_id, &version, e) != 0)
		return -1;
	r->version = version;
	if (version == 0)
		return 0;
	s = db_prepare(db, "SELECT included_at FROM registry_version WHERE "
			   "org_id = ? AND version = ?", "ii", org_id, version);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	step = db_step(s);
	if (step == DB_ROW)
		r->included_at = db_col_int(s, 0);
	db_finalize(s);
	if (step != DB_ROW)
		return err_set(e, EXIT_NOINPUT,
		    "the registry has no version %lld", (long long)version);

	s = db_prepare(db,
	    "SELECT " REV_COLS " FROM touchpoint_rev r "
	    "LEFT JOIN unit u ON u.id = r.unit_id "
	    "WHERE r.org_id = ? AND r.valid_from <= ? "
	    "AND (r.valid_to IS NULL OR r.valid_to > ?) ORDER BY r.pos",
	    "iii", org_id, version, version);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	while ((step = db_step(s)) == DB_ROW)
		entry_from_row(s, 0, registry_add(r));
	db_finalize(s);
	if (step == DB_FAIL) {
		registry_free(r);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	return 0;
}

int
registry_version_at(struct db *db, const struct org *o, int32_t day,
    int64_t *version, struct err *e)
{
	struct db_stmt *s;
	int		step;

	*version = 0;
	s = db_prepare(db, "SELECT version, included_at FROM registry_version "
			   "WHERE org_id = ? ORDER BY version", "i", o->id);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	while ((step = db_step(s)) == DB_ROW)
		if (date_local(db_col_int(s, 1), o->tz) <= day)
			*version = db_col_int(s, 0);
	db_finalize(s);
	if (step == DB_FAIL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	return 0;
}

/* Stores a revision; valid_from 0 keeps it a draft. */
static int
rev_insert(struct db *db, int64_t org_id, int64_t tp, int64_t change_id,
    int64_t valid_from, const struct reg_entry *x, int64_t *rev,
    struct err *e)
{
	if (db_run(db, rev,
		"INSERT INTO touchpoint_rev (touchpoint_id, org_id, change_id, "
		"valid_from, pos, area, process, name, channel, kind, "
		"kind_explicit, client, needs, interaction, features, phone, "
		"email, url, address, room, unit_id, basis, basis_ref, is_key, "
		"low_demand, not_counted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		"iiIIitttttitttttttttIttiii",
		tp, org_id, change_id, valid_from, (int64_t)x->pos, x->area,
		x->process, x->name, channels[x->channel].code,
		kind_code(x->kind), (int64_t)x->kind_explicit,
		client_code(x->client), x->needs, x->interaction, x->features,
		x->phone, x->email, x->url, x->address, x->room, x->unit_id,
		basis_code(x->basis), x->basis_ref, (int64_t)x->is_key,
		(int64_t)x->low_demand, (int64_t)x->not_counted) != 0)
		return err_set(e, EXIT_IOERR, "storing touchpoint: %s",
		    db_errmsg(db));
	return 0;
}

/* Resolves the unit an entry names, adding it to the organization. */
static int
entry_unit(struct db *db, const char *actor, int64_t org_id,
    struct reg_entry *x, struct err *e)
{
	if (str_empty(x->unit)) {
		x->unit_id = 0;
		return 0;
	}
	return unit_get(db, actor, org_id, x->unit, 1, &x->unit_id, e);
}

static int
new_version(struct db *db, const struct org *o, const char *actor,
    const char *note, int64_t *version, struct err *e)
{
	if (registry_latest_version(db, o->id, version, e) != 0)
		return -1;
	(*version)++;
	if (db_run(db, NULL,
		"INSERT INTO registry_version (org_id, version, included_at, "
		"included_by, note) VALUES (?, ?, ?, ?, ?)",
		"iiitt", o->id, *version, clock_now(), actor, note) != 0)
		return err_set(e, EXIT_IOERR, "new version: %s", db_errmsg(db));
	return 0;
}

static int
audit_entry(struct db *db, const char *actor, int64_t org_id,
    const char *action, int64_t tp, const struct reg_entry *before,
    const struct reg_entry *after, struct err *e)
{
	char *b = before ? reg_entry_json(before) : NULL;
	char *a = after ? reg_entry_json(after) : NULL;
	char  obj[48];
	int   r;

	snprintf(obj, sizeof(obj), "touchpoint:%lld", (long long)tp);
	r = audit_append(db, actor, org_id, action, obj, b, a, e);
	free(b);
	free(a);
	return r;
}

static int
fail_rollback(struct db *db)
{
	db_rollback(db);
	return -1;
}

/*
 * A position for a new entry: after the last entry of its process (or
 * its area, or the registry), halfway to the next one.
 */
static int
pos_for(const struct registry *r, const struct reg_entry *x)
{
	size_t i;
	int    after = -1, next = -1, lastpos = 0;

	for (i = 0; i < r->n; i++) {
		lastpos = r->v[i].pos > lastpos ? r->v[i].pos : lastpos;
		if (strcmp(r->v[i].area, x->area) == 0 &&
		    strcmp(r->v[i].process, x->process) == 0)
			after = (int)i;
	}
	if (after < 0)
		for (i = 0; i < r->n; i++)
			if (strcmp(r->v[i].area, x->area) == 0)
				after = (int)i;
	if (after < 0)
		return lastpos + POS_GAP;
	if ((size_t)after + 1 < r->n)
		next = r->v[after + 1].pos;
	if (next < 0)
		return r->v[after].pos + POS_GAP;
	if (next - r->v[after].pos >= 2)
		return r->v[after].pos + (next - r->v[after].pos) / 2;
	return r->v[after].pos + 1;	/* ties sort by insertion */
}

static int
validate_entry(struct db *db, int64_t org_id, const struct reg_entry *x,
    struct err *e)
{
	if (str_empty(x->area))
		return err_set(e, EXIT_USAGE, "--area: the area is empty");
	if (str_empty(x->process))
		return err_set(e, EXIT_USAGE, "--process: the process is empty");
	if (str_empty(x->name))
		return err_set(e, EXIT_USAGE, "--name: the touchpoint is empty");
	if (strlen(x->name) > 2000 || strlen(x->area) > 2000 ||
	    strlen(x->process) > 2000 || strlen(x->interaction) > 20000 ||
	    strlen(x->features) > 20000)
		return err_set(e, EXIT_USAGE, "a field is longer than allowed "
					      "(2,000 characters for names, "
					      "20,000 for texts)");
	return needs_validate(db, org_id, x->needs, e);
}

int
registry_draft(struct db *db, const struct org *o, const char *actor,
    enum change_op op, const struct reg_entry *in, int64_t *change_id,
    struct err *e)
{
	struct registry	 cur;
	struct reg_entry x;
	int64_t		 tp = in->id;
	size_t		 i;
	int		 found = 0;

	if (validate_entry(db, o->id, in, e) != 0)
		return -1;
	if (registry_load(db, o->id, 0, &cur, e) != 0)
		return -1;
	reg_entry_init(&x);
	reg_entry_copy(&x, in);
	if (op == OP_CHANGE) {
		for (i = 0; i < cur.n; i++)
			if (cur.v[i].id == tp) {
				found = 1;
				if (x.pos == 0)
					x.pos = cur.v[i].pos;
			}
		if (!found) {
			registry_free(&cur);
			reg_entry_clear(&x);
			return err_set(e, EXIT_NOINPUT,
			    "touchpoint %lld is not in the registry",
			    (long long)tp);
		}
	} else if (x.pos == 0)
		x.pos = pos_for(&cur, &x);
	registry_free(&cur);

	if (db_begin(db) != 0) {
		reg_entry_clear(&x);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	if (op == OP_ADD &&
	    db_run(db, &tp, "INSERT INTO touchpoint (org_id, created_at) "
			    "VALUES (?, ?) RETURNING id",
		"ii", o->id, clock_now()) != 0) {
		err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
		goto fail;
	}
	x.id = tp;
	if (entry_unit(db, actor, o->id, &x, e) != 0)
		goto fail;
	if (db_run(db, change_id,
		"INSERT INTO registry_change (org_id, op, touchpoint_id, state, "
		"author, created_at) VALUES (?, ?, ?, 'draft', ?, ?) "
		"RETURNING id",
		"ititi", o->id, change_ops[op], tp, actor, clock_now()) != 0) {
		err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
		goto fail;
	}
	if (rev_insert(db, o->id, tp, *change_id, 0, &x, NULL, e) != 0 ||
	    audit_entry(db, actor, o->id,
		op == OP_ADD ? "registry.draft.add" : "registry.draft.change",
		tp, NULL, &x, e) != 0)
		goto fail;
	reg_entry_clear(&x);
	if (db_commit(db) != 0)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	return 0;
fail:
	reg_entry_clear(&x);
	return fail_rollback(db);
}

int
registry_draft_exclude(struct db *db, const struct org *o,
    const char *actor, int64_t tp, int64_t *change_id, struct err *e)
{
	struct registry cur;
	size_t		i;
	int		r = -1;

	if (registry_load(db, o->id, 0, &cur, e) != 0)
		return -1;
	for (i = 0; i < cur.n && cur.v[i].id != tp; i++)
		;
	if (i == cur.n) {
		registry_free(&cur);
		return err_set(e, EXIT_NOINPUT,
		    "touchpoint %lld is not in the registry", (long long)tp);
	}
	if (db_begin(db) != 0) {
		registry_free(&cur);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	if (db_run(db, change_id,
		"INSERT INTO registry_change (org_id, op, touchpoint_id, state, "
		"author, created_at) VALUES (?, 'exclude', ?, 'draft', ?, ?) "
		"RETURNING id",
		"iiti", o->id, tp, actor, clock_now()) != 0)
		err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	else if (audit_entry(db, actor, o->id, "registry.draft.exclude", tp,
		     &cur.v[i], NULL, e) == 0)
		r = 0;
	registry_free(&cur);
	if (r != 0)
		return fail_rollback(db);
	if (db_commit(db) != 0)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	return 0;
}

static int
name_index(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

int
change_state_parse(const char *s)
{
	return name_index(change_states, nitems(change_states), s);
}

const char *
change_state_name(enum change_state st)
{
	return change_states[st];
}

const char *
change_op_name(enum change_op op)
{
	return change_ops[op];
}

static int
state_from(const char *s)
{
	int i = change_state_parse(s);

	return i >= 0 ? i : ST_DRAFT;
}

static int
op_from(const char *s)
{
	int i = name_index(change_ops, nitems(change_ops), s);

	return i >= 0 ? i : OP_ADD;
}

static int
triggers_from(const char *s)
{
	int t = 0;

	if (s == NULL)
		return 0;
	if (strstr(s, "new"))
		t |= TRIG_NEW;
	if (strstr(s, "kind"))
		t |= TRIG_KIND;
	if (strstr(s, "needs"))
		t |= TRIG_NEEDS;
	if (strstr(s, "exclusion"))
		t |= TRIG_EXCLUSION;
	if (strstr(s, "edit"))
		t |= TRIG_EDIT;
	return t;
}

#define CHANGE_COLS                                                       \
	"c.id, c.op, c.state, c.touchpoint_id, c.author, c.created_at, "  \
	"c.submitted_at, c.decided_at, c.decided_by, c.comment, c.triggers, " \
	"c.version, "

static int
changes_query(struct db *db, int64_t org_id, int64_t id, int state,
    struct reg_change **out, struct err *e)
{
	struct db_stmt	  *s;
	struct reg_change *v = NULL, *c;
	int		   n = 0, step;

	s = db_prepare(db,
	    "SELECT " CHANGE_COLS REV_COLS " FROM registry_change c "
	    "LEFT JOIN touchpoint_rev r ON r.change_id = c.id "
	    "LEFT JOIN unit u ON u.id = r.unit_id "
	    "WHERE c.org_id = ? AND (? = 0 OR c.id = ?) AND "
	    "(? = '' OR c.state = ?) ORDER BY c.id",
	    "iiitt", org_id, id, id, state >= 0 ? change_states[state] : "",
	    state >= 0 ? change_states[state] : "");
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	while ((step = db_step(s)) == DB_ROW) {
		v = xreallocarray(v, (size_t)n + 1, sizeof(*v));
		c = &v[n++];
		memset(c, 0, sizeof(*c));
		c->id = db_col_int(s, 0);
		c->op = (enum change_op)op_from(db_col_text(s, 1));
		c->state = (enum change_state)state_from(db_col_text(s, 2));
		c->touchpoint_id = db_col_int(s, 3);
		c->author = db_col_dup(s, 4);
		c->created_at = db_col_int(s, 5);
		c->submitted_at = db_col_int(s, 6);
		c->decided_at = db_col_int(s, 7);
		c->decided_by = col_opt(s, 8);
		c->comment = col_opt(s, 9);
		c->triggers = triggers_from(db_col_text(s, 10));
		c->version = db_col_int(s, 11);
		reg_entry_init(&c->entry);
		if (!db_col_null(s, 12 + 1))
			entry_from_row(s, 12, &c->entry);
	}
	db_finalize(s);
	if (step == DB_FAIL) {
		while (n > 0)
			reg_change_clear(&v[--n]);
		free(v);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	*out = v;
	return n;
}

int
registry_changes(struct db *db, int64_t org_id, int state,
    struct reg_change **v, struct err *e)
{
	return changes_query(db, org_id, 0, state, v, e);
}

int
registry_change_get(struct db *db, int64_t org_id, int64_t id,
    struct reg_change *c, struct err *e)
{
	struct reg_change *v;
	int		   n;

	if ((n = changes_query(db, org_id, id, -1, &v, e)) < 0)
		return -1;
	if (n == 0) {
		free(v);
		return err_set(e, EXIT_NOINPUT,
		    "no change %lld in this organization; 'otklik registry "
		    "changes' lists them", (long long)id);
	}
	*c = v[0];
	free(v);
	return 0;
}

static int
set_state(struct db *db, const struct org *o, const char *actor, int64_t id,
    const char *from1, const char *from2, const char *to,
    const char *comment, struct err *e)
{
	struct reg_change c;
	json_t		 *j;
	char		 *before, *after, obj[48], action[48];
	const char	 *sql;
	int		  r;

	if (registry_change_get(db, o->id, id, &c, e) != 0)
		return -1;
	if (strcmp(change_states[c.state], from1) != 0 &&
	    (from2 == NULL || strcmp(change_states[c.state], from2) != 0)) {
		err_set(e, EXIT_DATAERR,
		    "change %lld is %s; only a change that is %s%s%s can be "
		    "made %s", (long long)id, change_states[c.state], from1,
		    from2 ? " or " : "", from2 ? from2 : "", to);
		reg_change_clear(&c);
		return -1;
	}
	j = json_pack("{s:s}", "state", change_states[c.state]);
	before = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	j = json_pack("{s:s, s:s?}", "state", to, "comment", comment);
	after = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	snprintf(obj, sizeof(obj), "change:%lld", (long long)id);
	reg_change_clear(&c);

	snprintf(action, sizeof(action), "registry.%s", to);
	if (strcmp(to, "submitted") == 0)
		sql = "UPDATE registry_change SET state = ?, submitted_at = ? "
		      "WHERE id = ?";
	else
		sql = "UPDATE registry_change SET state = ?, decided_at = ?, "
		      "decided_by = ?, comment = ? WHERE id = ?";
	r = -1;
	if (db_begin(db) != 0)
		err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	else if ((strcmp(to, "submitted") == 0
		     ? db_run(db, NULL, sql, "tii", to, clock_now(), id)
		     : db_run(db, NULL, sql, "titti", to, clock_now(), actor,
			   comment, id)) != 0)
		err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	else if (audit_append(db, actor, o->id, action, obj, before, after,
		     e) == 0)
		r = 0;
	free(before);
	free(after);
	if (r != 0)
		return fail_rollback(db);
	if (db_commit(db) != 0)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	return 0;
}

int
registry_submit(struct db *db, const struct org *o, const char *actor,
    int64_t id, struct err *e)
{
	return set_state(db, o, actor, id, "draft", "returned", "submitted",
	    NULL, e);
}

int
registry_withdraw(struct db *db, const struct org *o, const char *actor,
    int64_t id, struct err *e)
{
	return set_state(db, o, actor, id, "draft", "returned", "withdrawn",
	    NULL, e);
}

int
registry_return(struct db *db, const struct org *o, const char *actor,
    int64_t id, const char *comment, struct err *e)
{
	if (str_empty(comment))
		return err_set(e, EXIT_USAGE,
		    "--comment: say why the change goes back to its author");
	return set_state(db, o, actor, id, "submitted", NULL, "returned",
	    comment, e);
}

static struct reg_entry *
find_tp(struct registry *r, int64_t tp, size_t *at)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].id == tp) {
			if (at != NULL)
				*at = i;
			return &r->v[i];
		}
	return NULL;
}

static void
remove_at(struct registry *r, size_t i)
{
	reg_entry_clear(&r->v[i]);
	memmove(&r->v[i], &r->v[i + 1], (r->n - i - 1) * sizeof(*r->v));
	r->n--;
}

/* The registry as it would be with the changes applied. */
static int
apply_changes(struct registry *next, const struct reg_change *c, size_t n,
    struct err *e)
{
	struct reg_entry *old;
	size_t		  i, at = 0;

	for (i = 0; i < n; i++) {
		old = find_tp(next, c[i].touchpoint_id, &at);
		if (c[i].op != OP_ADD && old == NULL)
			return err_set(e, EXIT_DATAERR,
			    "change %lld concerns touchpoint %lld, which is no "
			    "longer in the registry", (long long)c[i].id,
			    (long long)c[i].touchpoint_id);
		if (c[i].op == OP_EXCLUDE)
			remove_at(next, at);
		else if (c[i].op == OP_CHANGE) {
			reg_entry_clear(old);
			reg_entry_copy(old, &c[i].entry);
		} else
			reg_entry_copy(registry_add(next), &c[i].entry);
	}
	registry_sort(next);
	return 0;
}

int
registry_verify(struct db *db, const struct org *o, int64_t id,
    struct reg_findings *found, struct err *e)
{
	struct registry	  next;
	struct reg_change c;
	int		  r;

	memset(found, 0, sizeof(*found));
	if (registry_change_get(db, o->id, id, &c, e) != 0)
		return -1;
	if (c.state != ST_SUBMITTED && c.state != ST_DRAFT &&
	    c.state != ST_RETURNED) {
		reg_change_clear(&c);
		return err_set(e, EXIT_DATAERR, "change %lld is %s already",
		    (long long)id, change_states[c.state]);
	}
	if (registry_load(db, o->id, 0, &next, e) != 0) {
		reg_change_clear(&c);
		return -1;
	}
	if ((r = apply_changes(&next, &c, 1, e)) == 0)
		registry_check(&next, found);
	registry_free(&next);
	reg_change_clear(&c);
	return r;
}

int
registry_include(struct db *db, const struct org *o, const char *actor,
    const int64_t *ids, size_t n, int64_t *version, struct reg_findings *found,
    struct err *e)
{
	struct registry	   cur, next;
	struct reg_change *c;
	struct reg_entry  *old;
	char		   trig[64];
	size_t		   i;
	int		   t;

	memset(found, 0, sizeof(*found));
	if (n == 0)
		return err_set(e, EXIT_USAGE, "no change to include");
	c = xcalloc(n, sizeof(*c));
	for (i = 0; i < n; i++) {
		if (registry_change_get(db, o->id, ids[i], &c[i], e) != 0)
			goto out_free;
		if (c[i].state != ST_SUBMITTED) {
			err_set(e, EXIT_DATAERR,
			    "change %lld is %s: only submitted changes can be "
			    "included (the author submits it with 'otklik "
			    "registry submit %lld')", (long long)ids[i],
			    change_states[c[i].state], (long long)ids[i]);
			goto out_free;
		}
	}
	if (db_begin(db) != 0) {
		err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
		goto out_free;
	}
	if (registry_load(db, o->id, 0, &cur, e) != 0)
		goto out_rollback;
	if (registry_load(db, o->id, 0, &next, e) != 0) {
		registry_free(&cur);
		goto out_rollback;
	}
	if (apply_changes(&next, c, n, e) != 0)
		goto out_registries;
	registry_check(&next, found);
	if (found->errors > 0) {
		err_set(e, EXIT_DATAERR,
		    "the registry with these changes fails %d check%s; nothing "
		    "was included", found->errors, found->errors == 1 ? "" : "s");
		goto out_registries;
	}
	if (new_version(db, o, actor, NULL, version, e) != 0)
		goto out_registries;
	for (i = 0; i < n; i++) {
		old = find_tp(&cur, c[i].touchpoint_id, NULL);
		if (c[i].op == OP_ADD)
			t = TRIG_NEW;
		else if (c[i].op == OP_EXCLUDE)
			t = TRIG_EXCLUSION;
		else
			t = registry_triggers(old, &c[i].entry);
		triggers_format(t, trig, sizeof(trig));
		if ((old != NULL && c[i].op != OP_ADD &&
			db_run(db, NULL,
			    "UPDATE touchpoint_rev SET valid_to = ? WHERE id = ?",
			    "ii", *version, old->rev) != 0) ||
		    (c[i].op != OP_EXCLUDE &&
			db_run(db, NULL,
			    "UPDATE touchpoint_rev SET valid_from = ? WHERE "
			    "change_id = ?",
			    "ii", *version, c[i].id) != 0) ||
		    db_run(db, NULL,
			"UPDATE registry_change SET state = 'included', "
			"decided_at = ?, decided_by = ?, triggers = ?, "
			"version = ? WHERE id = ?",
			"ittii", clock_now(), actor, trig, *version,
			c[i].id) != 0) {
			err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
			goto out_registries;
		}
		if (audit_entry(db, actor, o->id, "registry.include",
			c[i].touchpoint_id, old,
			c[i].op == OP_EXCLUDE ? NULL : &c[i].entry, e) != 0)
			goto out_registries;
	}
	registry_free(&cur);
	registry_free(&next);
	for (i = 0; i < n; i++)
		reg_change_clear(&c[i]);
	free(c);
	if (db_commit(db) != 0)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	return 0;

out_registries:
	registry_free(&cur);
	registry_free(&next);
out_rollback:
	db_rollback(db);
out_free:
	for (i = 0; i < n; i++)
		reg_change_clear(&c[i]);
	free(c);
	return -1;
}

/*
 * Folding is the cost of matching, and areas and processes repeat from
 * one entry to the next: the last of each is folded once.
 */
struct fold_memo {
	char *raw[2];
	char *folded[2];
};

static const char *
memo_fold(struct fold_memo *m, int i, const char *s)
{
	if (m->raw[i] == NULL || strcmp(m->raw[i], s) != 0) {
		free(m->raw[i]);
		free(m->folded[i]);
		m->raw[i] = xstrdup(s);
		m->folded[i] = utf8_fold(s);
	}
	return m->folded[i];
}

static void
memo_free(struct fold_memo *m)
{
	free(m->raw[0]);
	free(m->raw[1]);
	free(m->folded[0]);
	free(m->folded[1]);
	memset(m, 0, sizeof(*m));
}

/* The identity of an entry across an import: area, process, touchpoint. */
static char *
entry_key(struct fold_memo *m, const struct reg_entry *x)
{
	char *n = utf8_fold(x->name), *k;

	k = xasprintf("%s\x1f%s\x1f%s", memo_fold(m, 0, x->area),
	    memo_fold(m, 1, x->process), n);
	free(n);
	return k;
}

struct keyed {
	char  *key;
	size_t idx;
};

static int
keyed_cmp(const void *a, const void *b)
{
	return strcmp(((const struct keyed *)a)->key,
	    ((const struct keyed *)b)->key);
}

int
registry_replace(struct db *db, const struct org *o, const char *actor,
    const struct registry *in, const char *note, int dry_run,
    int64_t *version, struct reg_import_stats *st, struct reg_findings *found,
    struct err *e)
{
	struct registry	 cur, next;
	struct keyed	*idx = NULL, probe, *hit;
	size_t		*oldof = NULL;	/* index in cur of each match */
	struct fold_memo memo = {{NULL, NULL}, {NULL, NULL}};
	struct reg_entry *x, *old;
	char		 *used = NULL, trig[64];
	int64_t		  change_id, tp;
	size_t		  i;
	int		  t, lastpos = 0, r = -1, began = 0;

	memset(st, 0, sizeof(*st));
	memset(found, 0, sizeof(*found));
	*version = 0;
	memset(&next, 0, sizeof(next));

	/* Checks first: an import that would fail them writes nothing. */
	for (i = 0; i < in->n; i++)
		reg_entry_copy(registry_add(&next), &in->v[i]);
	for (i = 0; i < next.n; i++)
		next.v[i].pos = (int)(i + 1) * POS_GAP;
	registry_check(&next, found);

	if (!dry_run) {
		if (db_begin(db) != 0) {
			registry_free(&next);
			return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
		}
		began = 1;
	}
	if (registry_load(db, o->id, 0, &cur, e) != 0)
		goto out;
	if (cur.n > 0) {
		idx = xcalloc(cur.n, sizeof(*idx));
		for (i = 0; i < cur.n; i++) {
			idx[i].key = entry_key(&memo, &cur.v[i]);
			idx[i].idx = i;
		}
		qsort(idx, cur.n, sizeof(*idx), keyed_cmp);
		used = xcalloc(cur.n, 1);
	}

	/* Match each imported entry; keep old positions where order allows. */
	oldof = xcalloc(next.n + 1, sizeof(*oldof));
	for (i = 0; i < next.n; i++) {
		oldof[i] = SIZE_MAX;
		x = &next.v[i];
		hit = NULL;
		if (cur.n > 0) {
			probe.key = entry_key(&memo, x);
			hit = bsearch(&probe, idx, cur.n, sizeof(*idx),
			    keyed_cmp);
			free(probe.key);
		}
		if (hit != NULL && used[hit->idx])
			hit = NULL;	/* a duplicate: the check reported it */
		if (hit != NULL) {
			used[hit->idx] = 1;
			oldof[i] = hit->idx;
			old = &cur.v[hit->idx];
			x->id = old->id;
			x->rev = old->rev;
			x->pos = old->pos > lastpos ? old->pos : lastpos + 1;
			x->unit_id = old->unit_id;
		} else {
			x->id = 0;
			x->pos = lastpos + POS_GAP;
		}
		lastpos = x->pos;
	}
	if (found->errors > 0) {
		err_set(e, EXIT_DATAERR,
		    "the imported registry fails %d check%s; nothing was "
		    "written", found->errors, found->errors == 1 ? "" : "s");
		goto out;
	}

	for (i = 0; i < next.n; i++) {
		x = &next.v[i];
		old = oldof[i] != SIZE_MAX ? &cur.v[oldof[i]] : NULL;
		if (old == NULL)
			st->added++;
		else if (registry_triggers(old, x) != 0)
			st->changed++;
		else
			st->unchanged++;
	}
	for (i = 0; i < cur.n; i++)
		if (!used[i])
			st->excluded++;
	if (dry_run || st->added + st->changed + st->excluded == 0) {
		r = 0;
		goto out;
	}

	if (new_version(db, o, actor, note, version, e) != 0)
		goto out;
	for (i = 0; i < next.n + cur.n; i++) {
		x = i < next.n ? &next.v[i] : NULL;
		if (x == NULL) {
			old = &cur.v[i - next.n];
			if (used[i - next.n])
				continue;
			t = TRIG_EXCLUSION;
		} else {
			old = oldof[i] != SIZE_MAX ? &cur.v[oldof[i]] : NULL;
			if (entry_unit(db, actor, o->id, x, e) != 0)
				goto out;
			t = old == NULL ? TRIG_NEW : registry_triggers(old, x);
			if (old != NULL && x->unit_id != old->unit_id)
				t |= TRIG_EDIT;
			if (t == 0)
				continue;
		}
		triggers_format(t, trig, sizeof(trig));
		tp = old != NULL ? old->id : 0;
		if (tp == 0 &&
		    db_run(db, &tp, "INSERT INTO touchpoint (org_id, "
				    "created_at) VALUES (?, ?) RETURNING id",
			"ii", o->id, clock_now()) != 0) {
			err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
			goto out;
		}
		if (db_run(db, &change_id,
			"INSERT INTO registry_change (org_id, op, touchpoint_id, "
			"state, author, created_at, submitted_at, decided_at, "
			"decided_by, comment, triggers, version) VALUES (?, ?, "
			"?, 'included', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			"ititiiittti", o->id,
			old == NULL ? "add" : x == NULL ? "exclude" : "change",
			tp, actor, clock_now(), clock_now(), clock_now(), actor,
			note, trig, *version) != 0 ||
		    (old != NULL &&
			db_run(db, NULL,
			    "UPDATE touchpoint_rev SET valid_to = ? WHERE id = ?",
			    "ii", *version, old->rev) != 0)) {
			err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
			goto out;
		}
		if (x != NULL) {
			x->id = tp;
			if (rev_insert(db, o->id, tp, change_id, *version, x,
				&x->rev, e) != 0)
				goto out;
		}
		if (audit_entry(db, actor, o->id, "registry.import", tp, old, x,
			e) != 0)
			goto out;
	}
	if (db_commit(db) != 0) {
		err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
		began = 0;
		goto out;
	}
	began = 0;
	r = 0;
out:
	if (began)
		db_rollback(db);
	if (idx != NULL)
		for (i = 0; i < cur.n; i++)
			free(idx[i].key);
	free(idx);
	free(used);
	free(oldof);
	memo_free(&memo);
	registry_free(&cur);
	registry_free(&next);
	return r;
}

int
registry_status(struct db *db, const struct org *o, int64_t now,
    struct reg_status *st, struct err *e)
{
	struct db_stmt	   *s;
	struct cal	   *cal;
	struct reg_pending *p;
	int32_t		    today;
	int		    step;
	char		    years[128];

	memset(st, 0, sizeof(*st));
	if (registry_latest_version(db, o->id, &st->current, e) != 0)
		return -1;
	s = db_prepare(db, "SELECT version, published_at FROM "
			   "registry_publication WHERE org_id = ? ORDER BY "
			   "version DESC, published_at DESC LIMIT 1",
	    "i", o->id);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if (db_step(s) == DB_ROW) {
		st->published = db_col_int(s, 0);
		st->published_at = db_col_int(s, 1);
	}
	db_finalize(s);

	if ((cal = cal_open(db, o->region, e)) == NULL)
		return -1;
	today = date_local(now, o->tz);
	s = db_prepare(db, "SELECT version, included_at FROM registry_version "
			   "WHERE org_id = ? AND version > ? ORDER BY version",
	    "ii", o->id, st->published);
	if (s == NULL) {
		cal_close(cal);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	while ((step = db_step(s)) == DB_ROW) {
		st->v = xreallocarray(st->v, st->n + 1, sizeof(*st->v));
		p = &st->v[st->n++];
		p->version = db_col_int(s, 0);
		p->changed = date_local(db_col_int(s, 1), o->tz);
		p->deadline = cal_add(cal, p->changed, PUBLISH_WORKING_DAYS);
		if (today > p->deadline) {
			p->days_left = -cal_between(cal, p->deadline, today);
			if (p->days_left == 0)
				p->days_left = -1;
			p->state = PUB_LATE;
		} else {
			p->days_left = cal_between(cal, today, p->deadline);
			p->state = p->days_left <= PUBLISH_DUE_SOON
			    ? PUB_DUE_SOON
			    : PUB_PENDING;
		}
	}
	db_finalize(s);
	if (cal_fallback_used(cal, years, sizeof(years)))
		snprintf(st->warning, sizeof(st->warning),
		    "no working-day calendar for %s: the Labour Code holidays "
		    "were assumed", years);
	cal_close(cal);
	if (step == DB_FAIL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	return 0;
}

void
reg_status_free(struct reg_status *st)
{
	free(st->v);
	memset(st, 0, sizeof(*st));
}

int
registry_publish(struct db *db, const struct org *o, const char *actor,
    int64_t version, int64_t at, const char *url, struct err *e)
{
	struct db_stmt *s;
	json_t	       *j;
	char	       *after, obj[48];
	int64_t		latest;
	int		r, step;

	if (registry_latest_version(db, o->id, &latest, e) != 0)
		return -1;
	if (latest == 0)
		return err_set(e, EXIT_NOINPUT,
		    "the registry has no version to publish yet");
	if (version == 0)
		version = latest;
	if (version > latest || version < 0)
		return err_set(e, EXIT_NOINPUT,
		    "the registry has no version %lld (the latest is %lld)",
		    (long long)version, (long long)latest);
	s = db_prepare(db, "SELECT included_at FROM registry_version WHERE "
			   "org_id = ? AND version = ?", "ii", o->id, version);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	step = db_step(s);
	if (step == DB_ROW && db_col_int(s, 0) > at) {
		db_finalize(s);
		return err_set(e, EXIT_USAGE,
		    "version %lld was included after the publication date "
		    "given", (long long)version);
	}
	db_finalize(s);
	if (db_begin(db) != 0)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	j = json_pack("{s:I, s:I, s:s?}", "version", (json_int_t)version,
	    "published_at", (json_int_t)at, "url", url);
	after = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	snprintf(obj, sizeof(obj), "registry:%lld", (long long)version);
	r = db_run(db, NULL,
	    "INSERT INTO registry_publication (org_id, version, published_at, "
	    "published_by, url) VALUES (?, ?, ?, ?, ?)",
	    "iiitt", o->id, version, at, actor, url);
	if (r != 0)
		err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	else
		r = audit_append(db, actor, o->id, "registry.publish", obj,
		    NULL, after, e);
	free(after);
	if (r != 0)
		return fail_rollback(db);
	if (db_commit(db) != 0)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	return 0;
}

int
registry_published(struct db *db, int64_t org_id, int64_t *version,
    int64_t *at, struct err *e)
{
	struct db_stmt *s;
	int		step;

	*version = *at = 0;
	s = db_prepare(db, "SELECT version, published_at FROM "
			   "registry_publication WHERE org_id = ? ORDER BY "
			   "version DESC, published_at LIMIT 1",
	    "i", org_id);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if ((step = db_step(s)) == DB_ROW) {
		*version = db_col_int(s, 0);
		*at = db_col_int(s, 1);
	}
	db_finalize(s);
	if (step == DB_FAIL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	return 0;
}

#define VERSIONS_SQL \
	"SELECT v.version, v.included_at, v.included_by, v.note, " \
	"(SELECT count(*) FROM registry_change ch WHERE ch.org_id = " \
	"v.org_id AND ch.version = v.version), " \
	"(SELECT min(p.published_at) FROM registry_publication p WHERE " \
	"p.org_id = v.org_id AND p.version >= v.version) " \
	"FROM registry_version v WHERE v.org_id = ? ORDER BY v.version"

/*
 * The versions of an organization's registry with the number of changes
 * each included and the first publication that covers it.
 */
int
registry_versions(struct db *db, int64_t org_id, int newest_first,
    struct reg_version **out, struct err *e)
{
	struct db_stmt	   *s;
	struct reg_version *v = NULL;
	int		    n = 0, step;

	*out = NULL;
	s = db_prepare(db, newest_first ? VERSIONS_SQL " DESC" : VERSIONS_SQL,
	    "i", org_id);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	while ((step = db_step(s)) == DB_ROW) {
		v = xreallocarray(v, (size_t)n + 1, sizeof(*v));
		v[n].version = db_col_int(s, 0);
		v[n].at = db_col_int(s, 1);
		v[n].by = db_col_dup(s, 2);
		v[n].note = db_col_null(s, 3) ? NULL : db_col_dup(s, 3);
		v[n].nchanges = db_col_int(s, 4);
		v[n].published_at = db_col_null(s, 5) ? 0 : db_col_int(s, 5);
		n++;
	}
	db_finalize(s);
	if (step == DB_FAIL) {
		registry_versions_free(v, n);
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	}
	*out = v;
	return n;
}

void
registry_versions_free(struct reg_version *v, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(v[i].by);
		free(v[i].note);
	}
	free(v);
}

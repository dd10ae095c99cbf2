/*
 * Staff accounts on the web (R-ORG-4): argon2id passwords, sessions kept
 * in the database under the hash of their cookie, CSRF tokens, throttled
 * sign-in, role checks, and the account listing the admin needs.
 *
 * Password hashing costs argon2id t = 3, m = 64 MiB (RFC 9106's second
 * recommended setting, above OWASP's minimum of t = 2, m = 19 MiB): about
 * 0.2 s on one core.  At most HASH_SLOTS hashes run at once, so a burst
 * of sign-ins cannot take more than HASH_SLOTS × 64 MiB of memory.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "otklik.h"
#include "audit.h"
#include "db.h"
#include "session.h"

#define PW_OPSLIMIT  3
#define PW_MEMLIMIT  ((size_t)64 << 20)
#define HASH_SLOTS   4
#define TOKEN_BYTES  32			/* cookie and CSRF token: 256 bits */
#define TOKEN_HEX    (2 * TOKEN_BYTES)
#define ATTEMPT_KEEP (24 * 60 * 60)	/* sign-in attempts kept a day */
#define TOUCH_EVERY  60			/* last_seen written at most this often */
#define REMOTE_MAX   72

static pthread_once_t  once = PTHREAD_ONCE_INIT;
static char	       dummy_hash[crypto_pwhash_STRBYTES];
static pthread_mutex_t hash_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t  hash_cv = PTHREAD_COND_INITIALIZER;
static int	       hash_busy;

const char *
session_cookie_name(int secure)
{
	return secure ? "__Host-otklik" : "otklik";
}

/* Hex of BLAKE2b-256 of a string: the stored form of cookies and logins. */
static void
hex_hash(const char *s, char out[TOKEN_HEX + 1])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)s, strlen(s),
	    NULL, 0);
	sodium_bin2hex(out, TOKEN_HEX + 1, h, sizeof(h));
}

static void
random_hex(char out[TOKEN_HEX + 1])
{
	unsigned char b[TOKEN_BYTES];

	randombytes_buf(b, sizeof(b));
	sodium_bin2hex(out, TOKEN_HEX + 1, b, sizeof(b));
	sodium_memzero(b, sizeof(b));
}

static int
token_valid(const char *t)
{
	size_t i;

	if (t == NULL || strlen(t) != TOKEN_HEX)
		return 0;
	for (i = 0; i < TOKEN_HEX; i++)
		if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f')))
			return 0;
	return 1;
}

/*
 * The hashing itself, at most HASH_SLOTS at a time: each takes
 * PW_MEMLIMIT bytes, and the server runs a thread per core.
 */
static void
hash_enter(void)
{
	pthread_mutex_lock(&hash_mu);
	while (hash_busy >= HASH_SLOTS)
		pthread_cond_wait(&hash_cv, &hash_mu);
	hash_busy++;
	pthread_mutex_unlock(&hash_mu);
}

static void
hash_leave(void)
{
	pthread_mutex_lock(&hash_mu);
	hash_busy--;
	pthread_cond_signal(&hash_cv);
	pthread_mutex_unlock(&hash_mu);
}

static int
pw_hash(const char *pw, char out[crypto_pwhash_STRBYTES])
{
	int r;

	hash_enter();
	r = crypto_pwhash_str_alg(out, pw, strlen(pw), PW_OPSLIMIT,
	    PW_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13);
	hash_leave();
	return r;
}

/* 1 when the password matches the stored hash. */
static int
pw_verify(const char *stored, const char *pw)
{
	int r;

	hash_enter();
	r = crypto_pwhash_str_verify(stored, pw, strlen(pw));
	hash_leave();
	return r == 0;
}

/*
 * A hash of a random password, verified against when the account does not
 * exist or has no password, so that answer takes as long as any other.
 */
static void
init_once(void)
{
	char pw[TOKEN_HEX + 1];

	if (sodium_init() < 0)
		fatal("libsodium cannot start");
	random_hex(pw);
	if (pw_hash(pw, dummy_hash) != 0)
		fatal("out of memory hashing a password");
	sodium_memzero(pw, sizeof(pw));
}

/*
 * The address throttling counts: an IPv6 client usually holds a whole
 * /64, so that is what counts; a port, if one came along, is dropped.
 */
static void
remote_key(const char *remote, char out[REMOTE_MAX])
{
	struct in6_addr a6;
	char		buf[INET6_ADDRSTRLEN], tmp[REMOTE_MAX];
	const char     *p;
	size_t		n;

	if (remote == NULL || *remote == '\0') {
		snprintf(out, REMOTE_MAX, "unknown");
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s", remote);
	if (tmp[0] == '[' && (p = strchr(tmp, ']')) != NULL) {
		n = (size_t)(p - tmp - 1);
		memmove(tmp, tmp + 1, n);
		tmp[n] = '\0';
	} else if ((p = strchr(tmp, ':')) != NULL && strchr(p + 1, ':') == NULL)
		tmp[p - tmp] = '\0';	/* "192.0.2.1:4242" */
	if (inet_pton(AF_INET6, tmp, &a6) == 1) {
		if (IN6_IS_ADDR_V4MAPPED(&a6))
			inet_ntop(AF_INET, &a6.s6_addr[12], buf, sizeof(buf));
		else {
			memset(&a6.s6_addr[8], 0, 8);
			inet_ntop(AF_INET6, &a6, buf, sizeof(buf));
			snprintf(out, REMOTE_MAX, "%s/64", buf);
			return;
		}
		snprintf(out, REMOTE_MAX, "%s", buf);
		return;
	}
	snprintf(out, REMOTE_MAX, "%s", tmp);
}

static char *
json_login(const char *login, const char *key, const char *value)
{
	json_t *j;
	char   *s;

	if (key != NULL)
		j = json_pack("{s:s, s:s}", "login", login, key, value);
	else
		j = json_pack("{s:s}", "login", login);
	s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

/* Runs an audited change: the statement is already done, in a transaction. */
static int
audit_staff(struct db *db, const char *actor, int64_t org_id,
    const char *action, const char *login, const char *before,
    const char *after, struct err *e)
{
	char obj[160];

	snprintf(obj, sizeof(obj), "staff:%s", login);
	return audit_append(db, actor, org_id, action, obj, before, after, e);
}

int
password_ok(const char *pw, struct err *e)
{
	size_t	      i, n, chars = 0;
	unsigned char c;

	if (pw == NULL || *pw == '\0')
		return err_set(e, EXIT_DATAERR, "the password is empty");
	n = strlen(pw);
	if (n > PASSWORD_MAX_BYTES)
		return err_set(e, EXIT_DATAERR,
		    "the password is %zu bytes long; at most %d are allowed",
		    n, PASSWORD_MAX_BYTES);
	if (utf8_invalid_at(pw, n) >= 0)
		return err_set(e, EXIT_DATAERR,
		    "the password is not valid UTF-8 (is the terminal set to "
		    "UTF-8?)");
	for (i = 0; i < n; i++) {
		c = (unsigned char)pw[i];
		if ((c & 0xc0) != 0x80)
			chars++;
		if (c < 0x20 || c == 0x7f)
			return err_set(e, EXIT_DATAERR,
			    "character %zu of the password is a control "
			    "character; use letters, digits, spaces and "
			    "punctuation", chars);
	}
	if (chars < PASSWORD_MIN_CHARS)
		return err_set(e, EXIT_DATAERR,
		    "the password has %zu character%s; use at least %d",
		    chars, chars == 1 ? "" : "s", PASSWORD_MIN_CHARS);
	return 0;
}

/* The id of an account, 0 if there is none, -1 on a database error. */
static int64_t
staff_id_of(struct db *db, const char *login)
{
	struct db_stmt *s;
	int64_t		id = 0;
	int		r;

	s = db_prepare(db, "SELECT id FROM staff WHERE login = ?", "t", login);
	if (s == NULL)
		return -1;
	if ((r = db_step(s)) == DB_ROW)
		id = db_col_int(s, 0);
	else if (r == DB_FAIL)
		id = -1;
	db_finalize(s);
	return id;
}

int
password_set(struct db *db, const char *actor, const char *login,
    const char *password, struct err *e)
{
	char	h[crypto_pwhash_STRBYTES], *after = NULL;
	int64_t id;
	int	r = -1;

	if (password_ok(password, e) != 0)
		return -1;
	pthread_once(&once, init_once);
	if ((id = staff_id_of(db, login)) < 0)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if (id == 0)
		return err_set(e, EXIT_NOINPUT,
		    "no staff account '%s'; 'otklik user list' shows them",
		    login);
	if (pw_hash(password, h) != 0)
		return err_set(e, EXIT_SOFTWARE,
		    "hashing the password failed: out of memory");
	if (db_begin(db) != 0) {
		err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
		goto out;
	}
	after = json_login(login, NULL, NULL);
	if (db_run(db, NULL,
		"UPDATE staff SET password_hash = ?, password_changed_at = ? "
		"WHERE id = ?", "tii", h, clock_now(), id) != 0 ||
	    db_run(db, NULL, "DELETE FROM staff_session WHERE staff_id = ?",
		"i", id) != 0) {
		err_set(e, EXIT_IOERR, "setting the password of '%s': %s",
		    login, db_errmsg(db));
		db_rollback(db);
		goto out;
	}
	if (audit_staff(db, actor, 0, "staff.passwd", login, NULL, after,
		e) != 0) {
		db_rollback(db);
		goto out;
	}
	if (db_commit(db) != 0) {
		err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
		db_rollback(db);
		goto out;
	}
	r = 0;
out:
	sodium_memzero(h, sizeof(h));
	free(after);
	return r;
}

/*
 * The time of the n-th most recent failure still inside the window, 0
 * when there are fewer than n.  The account's failures count from its
 * last sign-in on; the address's do not.
 */
static int
nth_failure(struct db *db, int by_login, const char *key, int64_t since,
    int n, int64_t *at, struct err *e)
{
	struct db_stmt *s;
	int		r;

	*at = 0;
	if (by_login)
		s = db_prepare(db,
		    "SELECT at FROM login_attempt WHERE login_hash = ? AND "
		    "ok = 0 AND at > ? AND id > (SELECT coalesce(max(id), 0) "
		    "FROM login_attempt WHERE login_hash = ? AND ok = 1) "
		    "ORDER BY at DESC, id DESC LIMIT 1 OFFSET ?",
		    "titi", key, since, key, (int64_t)(n - 1));
	else
		s = db_prepare(db,
		    "SELECT at FROM login_attempt WHERE remote = ? AND ok = 0 "
		    "AND at > ? ORDER BY at DESC, id DESC LIMIT 1 OFFSET ?",
		    "tii", key, since, (int64_t)(n - 1));
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if ((r = db_step(s)) == DB_ROW)
		*at = db_col_int(s, 0);
	db_finalize(s);
	if (r == DB_FAIL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	return 0;
}

/*
 * Checks the throttles and records the attempt as failed, in one
 * transaction so that concurrent attempts cannot slip past the count
 * (BEGIN IMMEDIATE on SQLite).  The attempt becomes a success later if
 * the password matches.
 */
static int
attempt_begin(struct db *db, const char *lh, int64_t staff_id,
    const char *rk, int64_t now, int64_t *id, struct err *e)
{
	int64_t since = now - SESSION_THROTTLE_WINDOW, by_login, by_remote;
	int64_t until;
	int	mins;

	if (db_begin(db) != 0)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if (db_run(db, NULL, "DELETE FROM login_attempt WHERE at < ?", "i",
		now - ATTEMPT_KEEP) != 0) {
		err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
		goto fail;
	}
	if (nth_failure(db, 1, lh, since, SESSION_THROTTLE_LOGIN, &by_login,
		e) != 0 ||
	    nth_failure(db, 0, rk, since, SESSION_THROTTLE_REMOTE, &by_remote,
		e) != 0)
		goto fail;
	if (by_login != 0 || by_remote != 0) {
		/* Free again when the n-th last failure leaves the window. */
		until = (by_login > by_remote ? by_login : by_remote) +
		    SESSION_THROTTLE_WINDOW;
		mins = (int)((until - now + 59) / 60);
		if (mins < 1)
			mins = 1;
		db_commit(db);
		return err_set(e, SESSION_THROTTLED,
		    "too many failed sign-in attempts; try again in %d "
		    "minute%s", mins, mins == 1 ? "" : "s");
	}
	if (db_run(db, id,
		"INSERT INTO login_attempt (at, login_hash, staff_id, remote, "
		"ok) VALUES (?, ?, ?, ?, 0) RETURNING id",
		"itIt", now, lh, staff_id, rk) != 0 ||
	    db_commit(db) != 0) {
		err_set(e, EXIT_IOERR, "recording a sign-in attempt: %s",
		    db_errmsg(db));
		goto fail;
	}
	return 0;
fail:
	db_rollback(db);
	return -1;
}

struct account {
	int64_t id;
	char   *login;
	char   *name;
	char   *hash;	/* NULL: no password set */
};

static int
account_get(struct db *db, const char *login, struct account *a,
    struct err *e)
{
	struct db_stmt *s;
	int		r;

	memset(a, 0, sizeof(*a));
	s = db_prepare(db, "SELECT id, login, name, password_hash FROM staff "
			   "WHERE login = ?", "t", login);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if ((r = db_step(s)) == DB_ROW) {
		a->id = db_col_int(s, 0);
		a->login = db_col_dup(s, 1);
		a->name = db_col_dup(s, 2);
		if (!db_col_null(s, 3))
			a->hash = db_col_dup(s, 3);
	}
	db_finalize(s);
	if (r == DB_FAIL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	return 0;
}

static void
account_clear(struct account *a)
{
	free(a->login);
	free(a->name);
	if (a->hash != NULL)
		sodium_memzero(a->hash, strlen(a->hash));
	free(a->hash);
}

int
session_login(struct db *db, const char *login, const char *password,
    const char *remote, char **cookie, struct session **sp, struct err *e)
{
	struct account	a;
	struct session *s;
	char		lh[TOKEN_HEX + 1], rk[REMOTE_MAX], raw[REMOTE_MAX];
	char		tok[TOKEN_HEX + 1], th[TOKEN_HEX + 1];
	char		csrf[TOKEN_HEX + 1], fresh[crypto_pwhash_STRBYTES];
	char	       *after = NULL;
	int64_t		now, attempt;
	int		ok, rehash = 0, r = -1;

	*cookie = NULL;
	*sp = NULL;
	pthread_once(&once, init_once);
	if (login == NULL)
		login = "";
	if (password == NULL)
		password = "";
	now = clock_now();
	hex_hash(login, lh);
	remote_key(remote, rk);
	snprintf(raw, sizeof(raw), "%s", remote != NULL ? remote : "");

	if (account_get(db, login, &a, e) != 0)
		return -1;
	if (attempt_begin(db, lh, a.id, rk, now, &attempt, e) != 0) {
		account_clear(&a);
		return -1;
	}
	/* The same work whether the account exists, has a password or not. */
	ok = pw_verify(a.hash != NULL ? a.hash : dummy_hash, password);
	if (!ok || a.hash == NULL || strlen(password) > PASSWORD_MAX_BYTES) {
		account_clear(&a);
		return err_set(e, SESSION_DENIED, "wrong login or password");
	}
	if (crypto_pwhash_str_needs_rehash(a.hash, PW_OPSLIMIT,
		PW_MEMLIMIT) != 0 && pw_hash(password, fresh) == 0)
		rehash = 1;

	random_hex(tok);
	hex_hash(tok, th);
	random_hex(csrf);
	after = json_login(a.login, "remote", raw);
	if (db_begin(db) != 0) {
		err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
		goto out;
	}
	if (db_run(db, NULL, "UPDATE login_attempt SET ok = 1 WHERE id = ?",
		"i", attempt) != 0 ||
	    (rehash && db_run(db, NULL,
			   "UPDATE staff SET password_hash = ? WHERE id = ?",
			   "ti", fresh, a.id) != 0) ||
	    db_run(db, NULL,
		"DELETE FROM staff_session WHERE last_seen <= ? OR "
		"created_at <= ?", "ii", now - SESSION_IDLE,
		now - SESSION_ABSOLUTE) != 0 ||
	    db_run(db, NULL,
		"INSERT INTO staff_session (token_hash, staff_id, csrf, "
		"created_at, last_seen, remote) VALUES (?, ?, ?, ?, ?, ?)",
		"titiit", th, a.id, csrf, now, now, raw) != 0) {
		err_set(e, EXIT_IOERR, "signing in: %s", db_errmsg(db));
		db_rollback(db);
		goto out;
	}
	if (audit_staff(db, a.login, 0, "session.login", a.login, NULL, after,
		e) != 0) {
		db_rollback(db);
		goto out;
	}
	if (db_commit(db) != 0) {
		err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
		db_rollback(db);
		goto out;
	}
	s = xcalloc(1, sizeof(*s));
	s->staff_id = a.id;
	s->login = a.login;
	s->name = a.name;
	a.login = a.name = NULL;
	memcpy(s->csrf, csrf, sizeof(s->csrf));
	memcpy(s->key, th, sizeof(s->key));
	s->created_at = s->last_seen = now;
	*sp = s;
	*cookie = xstrdup(tok);
	r = 0;
out:
	sodium_memzero(tok, sizeof(tok));
	sodium_memzero(csrf, sizeof(csrf));
	sodium_memzero(fresh, sizeof(fresh));
	free(after);
	account_clear(&a);
	return r;
}

struct session *
session_load(struct db *db, const char *cookie)
{
	struct db_stmt *st;
	struct session *s = NULL;
	char		th[TOKEN_HEX + 1];
	int64_t		now;

	if (!token_valid(cookie))
		return NULL;
	hex_hash(cookie, th);
	st = db_prepare(db,
	    "SELECT ss.staff_id, ss.csrf, ss.created_at, ss.last_seen, "
	    "st.login, st.name FROM staff_session ss JOIN staff st ON "
	    "st.id = ss.staff_id WHERE ss.token_hash = ?", "t", th);
	if (st == NULL)
		return NULL;
	if (db_step(st) == DB_ROW) {
		s = xcalloc(1, sizeof(*s));
		s->staff_id = db_col_int(st, 0);
		snprintf(s->csrf, sizeof(s->csrf), "%s", db_col_text(st, 1));
		s->created_at = db_col_int(st, 2);
		s->last_seen = db_col_int(st, 3);
		s->login = db_col_dup(st, 4);
		s->name = db_col_dup(st, 5);
		memcpy(s->key, th, sizeof(s->key));
	}
	db_finalize(st);
	if (s == NULL)
		return NULL;
	now = clock_now();
	if (now - s->created_at >= SESSION_ABSOLUTE ||
	    now - s->last_seen >= SESSION_IDLE) {
		db_run(db, NULL, "DELETE FROM staff_session WHERE token_hash = ?",
		    "t", th);
		session_free(s);
		return NULL;
	}
	/* Idle time counts from the last request recorded; recording every
	 * request would make every page view a write. */
	if (now - s->last_seen >= TOUCH_EVERY &&
	    db_run(db, NULL,
		"UPDATE staff_session SET last_seen = ? WHERE token_hash = ?",
		"it", now, th) == 0)
		s->last_seen = now;
	return s;
}

void
session_free(struct session *s)
{
	if (s == NULL)
		return;
	free(s->login);
	free(s->name);
	sodium_memzero(s, sizeof(*s));
	free(s);
}

int
session_logout(struct db *db, const struct session *s)
{
	struct err e;

	if (s == NULL)
		return 0;
	if (db_begin(db) != 0)
		return -1;
	if (db_run(db, NULL, "DELETE FROM staff_session WHERE token_hash = ?",
		"t", s->key) != 0 ||
	    audit_staff(db, s->login, 0, "session.logout", s->login, NULL,
		NULL, &e) != 0 ||
	    db_commit(db) != 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

int
session_logout_all(struct db *db, int64_t staff_id)
{
	struct db_stmt *s;
	struct err	e;
	char	       *login = NULL, *after = NULL, n[32];
	int64_t		count = 0;
	int		r = -1;

	if (db_begin(db) != 0)
		return -1;
	s = db_prepare(db,
	    "SELECT login, (SELECT count(*) FROM staff_session WHERE "
	    "staff_id = ?) FROM staff WHERE id = ?", "ii", staff_id, staff_id);
	if (s != NULL && db_step(s) == DB_ROW) {
		login = db_col_dup(s, 0);
		count = db_col_int(s, 1);
	}
	db_finalize(s);
	if (login == NULL)
		goto out;
	snprintf(n, sizeof(n), "%lld", (long long)count);
	after = json_login(login, "sessions", n);
	if (db_run(db, NULL, "DELETE FROM staff_session WHERE staff_id = ?",
		"i", staff_id) != 0 ||
	    audit_staff(db, login, 0, "session.logout_all", login, NULL, after,
		&e) != 0 ||
	    db_commit(db) != 0)
		goto out;
	r = 0;
out:
	if (r != 0)
		db_rollback(db);
	free(login);
	free(after);
	return r;
}

int
session_csrf_ok(const struct session *s, const char *token)
{
	if (s == NULL || token == NULL || strlen(token) != TOKEN_HEX ||
	    strlen(s->csrf) != TOKEN_HEX)
		return 0;
	return sodium_memcmp(s->csrf, token, TOKEN_HEX) == 0;
}

int
session_has_role(struct db *db, const struct session *s, int64_t org_id,
    const char *role)
{
	struct db_stmt *st;
	int		r;

	if (s == NULL)
		return 0;
	/* Four fixed statements rather than "? IS NULL", which PostgreSQL
	 * cannot type. */
	if (role == NULL && org_id == 0)
		st = db_prepare(db, "SELECT 1 FROM staff_role WHERE "
				    "staff_id = ? LIMIT 1", "i", s->staff_id);
	else if (role == NULL)
		st = db_prepare(db, "SELECT 1 FROM staff_role WHERE "
				    "staff_id = ? AND org_id = ? LIMIT 1", "ii",
		    s->staff_id, org_id);
	else if (org_id == 0)
		st = db_prepare(db, "SELECT 1 FROM staff_role WHERE "
				    "staff_id = ? AND (role = ? OR role = "
				    "'admin') LIMIT 1", "it", s->staff_id, role);
	else
		st = db_prepare(db, "SELECT 1 FROM staff_role WHERE "
				    "staff_id = ? AND org_id = ? AND (role = ? "
				    "OR role = 'admin') LIMIT 1", "iit",
		    s->staff_id, org_id, role);
	if (st == NULL)
		return 0;
	r = db_step(st) == DB_ROW;
	db_finalize(st);
	return r;
}

static int
cmp_info_id(const void *a, const void *b)
{
	const struct staff_info *x = *(struct staff_info *const *)a;
	const struct staff_info *y = *(struct staff_info *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

int
staff_list(struct db *db, int64_t org_id, struct staff_info **list,
    struct err *e)
{
	struct db_stmt	     *s;
	struct staff_info    *v = NULL, **byid = NULL, key, *kp, **hit;
	struct staff_role_info *g;
	int		      n = 0, r, i;

	*list = NULL;
	if (org_id != 0)
		s = db_prepare(db, "SELECT id, login, name, CASE WHEN "
				   "password_hash IS NULL THEN 0 ELSE 1 END, "
				   "coalesce(password_changed_at, 0) "
				   "FROM staff WHERE id IN (SELECT staff_id "
				   "FROM staff_role WHERE org_id = ?) "
				   "ORDER BY login", "i", org_id);
	else
		s = db_prepare(db, "SELECT id, login, name, CASE WHEN "
				   "password_hash IS NULL THEN 0 ELSE 1 END, "
				   "coalesce(password_changed_at, 0) "
				   "FROM staff ORDER BY login", NULL);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	while ((r = db_step(s)) == DB_ROW) {
		v = xreallocarray(v, (size_t)n + 1, sizeof(*v));
		memset(&v[n], 0, sizeof(v[n]));
		v[n].id = db_col_int(s, 0);
		v[n].login = db_col_dup(s, 1);
		v[n].name = db_col_dup(s, 2);
		v[n].has_password = db_col_int(s, 3) != 0;
		v[n].password_changed_at = db_col_int(s, 4);
		n++;
	}
	db_finalize(s);
	if (r == DB_FAIL)
		goto fail;

	/* Roles, attached by id (the accounts are in login order). */
	byid = xreallocarray(NULL, (size_t)n + 1, sizeof(*byid));
	for (i = 0; i < n; i++)
		byid[i] = &v[i];
	qsort(byid, (size_t)n, sizeof(*byid), cmp_info_id);
	if (org_id != 0)
		s = db_prepare(db, "SELECT r.staff_id, o.slug, r.role, u.name "
				   "FROM staff_role r JOIN org o ON o.id = "
				   "r.org_id LEFT JOIN unit u ON u.id = "
				   "r.unit_id WHERE r.org_id = ? "
				   "ORDER BY o.slug, r.role", "i", org_id);
	else
		s = db_prepare(db, "SELECT r.staff_id, o.slug, r.role, u.name "
				   "FROM staff_role r JOIN org o ON o.id = "
				   "r.org_id LEFT JOIN unit u ON u.id = "
				   "r.unit_id ORDER BY o.slug, r.role", NULL);
	if (s == NULL)
		goto fail;
	while ((r = db_step(s)) == DB_ROW) {
		key.id = db_col_int(s, 0);
		kp = &key;
		hit = bsearch(&kp, byid, (size_t)n, sizeof(*byid), cmp_info_id);
		if (hit == NULL)
			continue;
		(*hit)->roles = xreallocarray((*hit)->roles,
		    (size_t)(*hit)->nroles + 1, sizeof(*(*hit)->roles));
		g = &(*hit)->roles[(*hit)->nroles++];
		g->org = db_col_dup(s, 1);
		g->role = db_col_dup(s, 2);
		g->unit = db_col_null(s, 3) ? NULL : db_col_dup(s, 3);
	}
	db_finalize(s);
	if (r == DB_FAIL)
		goto fail;
	free(byid);
	*list = v;
	return n;
fail:
	err_set(e, EXIT_IOERR, "listing accounts: %s", db_errmsg(db));
	free(byid);
	staff_list_free(v, n);
	return -1;
}

void
staff_list_free(struct staff_info *v, int n)
{
	int i, k;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++) {
		for (k = 0; k < v[i].nroles; k++) {
			free(v[i].roles[k].org);
			free(v[i].roles[k].role);
			free(v[i].roles[k].unit);
		}
		free(v[i].roles);
		free(v[i].login);
		free(v[i].name);
	}
	free(v);
}

int
staff_role_held(struct db *db, const char *login, int64_t org_id,
    const char *role)
{
	struct db_stmt *s;
	int		r;

	s = db_prepare(db, "SELECT 1 FROM staff_role r JOIN staff st ON "
			   "st.id = r.staff_id WHERE st.login = ? AND "
			   "r.org_id = ? AND r.role = ?", "tit", login, org_id,
	    role);
	if (s == NULL)
		return -1;
	r = db_step(s);
	db_finalize(s);
	return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}

int
staff_revoke(struct db *db, const char *actor, const char *login,
    int64_t org_id, const char *role, struct err *e)
{
	json_t *j;
	char   *before;
	int	r;

	if ((r = staff_role_held(db, login, org_id, role)) < 0)
		return err_set(e, EXIT_IOERR, "%s", db_errmsg(db));
	if (r == 0)
		return err_set(e, EXIT_NOINPUT,
		    "'%s' does not hold the role '%s' in this organization; "
		    "'otklik user list' shows the roles", login, role);
	if (db_run(db, NULL,
		"DELETE FROM staff_role WHERE staff_id = (SELECT id FROM staff "
		"WHERE login = ?) AND org_id = ? AND role = ?", "tit", login,
		org_id, role) != 0)
		return err_set(e, EXIT_IOERR, "revoking '%s' from '%s': %s",
		    role, login, db_errmsg(db));
	j = json_pack("{s:s, s:s}", "login", login, "role", role);
	before = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	r = audit_append(db, actor, org_id, "staff.revoke", "staff_role",
	    before, NULL, e);
	free(before);
	return r;
}

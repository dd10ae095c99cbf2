/*
 * Unit tests of session.c: password rules and argon2id hashes, sign-in
 * and its refusals (the same for a missing account), throttling per
 * account and per address as time moves (OTKLIK_NOW), idle and absolute
 * expiry, signing out here and everywhere, CSRF tokens, role checks, and
 * an audit log that holds no password, cookie or token.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "otklik.h"
#include "audit.h"
#include "db.h"
#include "org.h"
#include "session.h"

#define PW_IVANOVA "верный-пароль-1"
#define PW_PETROV  "correct horse battery"
#define T0	   1729591200	/* 2024-10-22T10:00:00Z */

static char path[64];

static void
now_is(int64_t t)
{
	char s[21];

	time_format(t, s);
	setenv("OTKLIK_NOW", s, 1);
}

static int64_t
add_staff(struct db *db, const char *login, const char *name)
{
	struct err e;
	int64_t	   id;

	assert_int_equal(db_begin(db), 0);
	assert_int_equal(staff_add(db, "tester", login, name, &id, &e), 0);
	assert_int_equal(db_commit(db), 0);
	return id;
}

static void
grant(struct db *db, const char *login, int64_t org, const char *role)
{
	struct err e;

	assert_int_equal(db_begin(db), 0);
	assert_int_equal(staff_grant(db, "tester", login, org, role, 0, &e), 0);
	assert_int_equal(db_commit(db), 0);
}

static int64_t
add_org(struct db *db, const char *slug)
{
	struct org o;
	struct err e;
	int64_t	   id;

	memset(&o, 0, sizeof(o));
	o.slug = (char *)slug;
	o.name = (char *)slug;
	o.region = (char *)"ru";
	o.tz = (char *)"Europe/Moscow";
	assert_int_equal(org_add(db, "tester", &o, &id, &e), 0);
	return id;
}

/*
 * A database with two organizations and three accounts, two of them with
 * passwords.  It is made once (hashing is slow on purpose) and copied for
 * each test.
 */
static char template[64];

static void
copy_file(const char *from, const char *to)
{
	FILE  *in, *out;
	char   b[65536];
	size_t n;

	in = fopen(from, "rb");
	out = fopen(to, "wb");
	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(b, 1, sizeof(b), in)) > 0)
		assert_int_equal(fwrite(b, 1, n, out), n);
	assert_int_equal(fclose(out), 0);
	fclose(in);
}

static int
make_template(void **state)
{
	struct db *db;
	struct err e;
	int	   fd;

	(void)state;
	now_is(T0);
	snprintf(template, sizeof(template), "/tmp/otklik-session-t-XXXXXX");
	fd = mkstemp(template);
	assert_true(fd >= 0);
	close(fd);
	db = db_open(template, &e);
	assert_non_null(db);
	assert_true(db_migrate(db, &e) >= 2);
	add_org(db, "moh");
	add_org(db, "gkk");
	add_staff(db, "ivanova", "Иванова И. И.");
	add_staff(db, "petrov", "Петров П. П.");
	add_staff(db, "nopass", "Без пароля");
	assert_int_equal(password_set(db, "tester", "ivanova", PW_IVANOVA, &e),
	    0);
	assert_int_equal(password_set(db, "tester", "petrov", PW_PETROV, &e),
	    0);
	assert_int_equal(db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)"), 0);
	db_close(db);
	return 0;
}

static int
drop_template(void **state)
{
	char p[80];

	(void)state;
	unlink(template);
	snprintf(p, sizeof(p), "%s-wal", template);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", template);
	unlink(p);
	return 0;
}

static struct db *
fresh(void)
{
	struct db *db;
	struct err e;
	int	   fd;

	now_is(T0);
	snprintf(path, sizeof(path), "/tmp/otklik-session-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	copy_file(template, path);
	db = db_open(path, &e);
	assert_non_null(db);
	assert_int_equal(db_migrate(db, &e), 0);
	return db;
}

static void
gone(struct db *db)
{
	char p[80];

	db_close(db);
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	unsetenv("OTKLIK_NOW");
}

/* Signs in; returns the cookie (caller frees) and the session. */
static char *
login_ok(struct db *db, const char *login, const char *pw, const char *remote,
    struct session **s)
{
	struct err e;
	char	  *cookie = NULL;

	err_clear(&e);
	if (session_login(db, login, pw, remote, &cookie, s, &e) != 0)
		fail_msg("login %s from %s: %s", login, remote, e.msg);
	assert_non_null(cookie);
	assert_non_null(*s);
	return cookie;
}

/* A refused sign-in; returns the error code. */
static int
login_no(struct db *db, const char *login, const char *pw, const char *remote,
    struct err *e)
{
	struct session *s = NULL;
	char	       *cookie = NULL;

	err_clear(e);
	assert_int_equal(session_login(db, login, pw, remote, &cookie, &s, e),
	    -1);
	assert_null(cookie);
	assert_null(s);
	return e->code;
}

static int
is_hex(const char *s, size_t n)
{
	size_t i;

	if (strlen(s) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int64_t
count(struct db *db, const char *sql, const char *arg)
{
	struct db_stmt *s;
	int64_t		n = -1;

	s = db_prepare(db, sql, arg != NULL ? "t" : NULL, arg);
	assert_non_null(s);
	if (db_step(s) == DB_ROW)
		n = db_col_int(s, 0);
	db_finalize(s);
	return n;
}

/*
 * Records n failed attempts the way session_login() does, without
 * hashing n passwords: each real one costs a fifth of a second on
 * purpose.  Every throttle below is still reached by a real failure.
 */
static void
seed_failures(struct db *db, const char *login, const char *remote, int n,
    int64_t at)
{
	unsigned char h[32];
	char	      hex[65];
	int	      i;

	crypto_generichash(h, sizeof(h), (const unsigned char *)login,
	    strlen(login), NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	for (i = 0; i < n; i++)
		assert_int_equal(db_run(db, NULL,
				     "INSERT INTO login_attempt (at, "
				     "login_hash, remote, ok) VALUES (?, ?, ?, "
				     "0)", "itt", at, hex, remote), 0);
}

static void
test_password_rules(void **state)
{
	static const struct {
		const char *pw;
		int	    ok;
		const char *msg;
	} t[] = {
		{"", 0, "empty"},
		{"short", 0, "has 5 characters; use at least 10"},
		{"123456789", 0, "has 9 characters"},
		{"1234567890", 1, NULL},
		{"пароль-из9", 1, NULL},	/* 10 characters, 16 bytes */
		{"пароль-из", 0, "has 9 characters"},	/* 9 chars, 16 bytes */
		{"tab\there-is-long", 0, "control character"},
		{"bad\xff utf-8 here", 0, "not valid UTF-8"},
		{"пробелы и знаки — можно!", 1, NULL},
	};
	struct err e;
	char	   big[PASSWORD_MAX_BYTES + 2];
	size_t	   i;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		err_clear(&e);
		assert_int_equal(password_ok(t[i].pw, &e), t[i].ok ? 0 : -1);
		if (!t[i].ok) {
			assert_int_equal(e.code, EXIT_DATAERR);
			assert_non_null(strstr(e.msg, t[i].msg));
			/* The message never repeats the password. */
			if (*t[i].pw != '\0')
				assert_null(strstr(e.msg, t[i].pw));
		}
	}
	assert_int_equal(password_ok(NULL, &e), -1);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(password_ok(big, &e), -1);
	assert_non_null(strstr(e.msg, "at most 1024"));
	big[PASSWORD_MAX_BYTES] = '\0';
	assert_int_equal(password_ok(big, &e), 0);
}

static void
test_hash(void **state)
{
	struct db      *db = fresh();
	struct db_stmt *s;
	struct err	e;
	char	       *h1, *h2;

	(void)state;
	s = db_prepare(db, "SELECT password_hash FROM staff WHERE login = ?",
	    "t", "ivanova");
	assert_int_equal(db_step(s), DB_ROW);
	h1 = db_col_dup(s, 0);
	db_finalize(s);
	/* argon2id, 64 MiB, 3 passes: above OWASP's floor (19 MiB, t = 2). */
	assert_non_null(strstr(h1, "$argon2id$v=19$m=65536,t=3,p=1$"));
	assert_null(strstr(h1, PW_IVANOVA));
	assert_int_equal(crypto_pwhash_str_verify(h1, PW_IVANOVA,
			     strlen(PW_IVANOVA)), 0);
	assert_int_not_equal(crypto_pwhash_str_verify(h1, PW_PETROV,
				 strlen(PW_PETROV)), 0);
	/* The same password again: a new salt, so another hash. */
	assert_int_equal(password_set(db, "tester", "ivanova", PW_IVANOVA, &e),
	    0);
	s = db_prepare(db, "SELECT password_hash FROM staff WHERE login = ?",
	    "t", "ivanova");
	assert_int_equal(db_step(s), DB_ROW);
	h2 = db_col_dup(s, 0);
	db_finalize(s);
	assert_string_not_equal(h1, h2);
	free(h1);
	free(h2);

	/* Refusals say what is wrong. */
	assert_int_equal(password_set(db, "tester", "nobody", PW_IVANOVA, &e),
	    -1);
	assert_int_equal(e.code, EXIT_NOINPUT);
	assert_non_null(strstr(e.msg, "no staff account 'nobody'"));
	assert_int_equal(password_set(db, "tester", "ivanova", "short", &e),
	    -1);
	assert_int_equal(e.code, EXIT_DATAERR);
	gone(db);
}

static void
test_login(void **state)
{
	struct db      *db = fresh();
	struct session *s, *s2, *l;
	struct err	e, e2;
	char	       *c1, *c2, hex[65];
	unsigned char	h[32];

	(void)state;
	assert_string_equal(session_cookie_name(1), "__Host-otklik");
	assert_string_equal(session_cookie_name(0), "otklik");

	c1 = login_ok(db, "ivanova", PW_IVANOVA, "192.0.2.1", &s);
	assert_true(is_hex(c1, 64));
	assert_true(is_hex(s->csrf, 64));
	assert_true(is_hex(s->key, 64));
	assert_string_not_equal(c1, s->csrf);
	assert_string_not_equal(c1, s->key);
	assert_string_equal(s->login, "ivanova");
	assert_string_equal(s->name, "Иванова И. И.");
	assert_int_equal(s->created_at, T0);

	/* The cookie finds the session; only its hash is stored. */
	l = session_load(db, c1);
	assert_non_null(l);
	assert_int_equal(l->staff_id, s->staff_id);
	assert_string_equal(l->csrf, s->csrf);
	assert_string_equal(l->login, "ivanova");
	session_free(l);
	assert_int_equal(count(db, "SELECT count(*) FROM staff_session WHERE "
				   "token_hash = ?", c1), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM staff_session WHERE "
				   "token_hash = ?", s->key), 1);

	/* A new session id at every sign-in. */
	c2 = login_ok(db, "ivanova", PW_IVANOVA, "192.0.2.1", &s2);
	assert_string_not_equal(c1, c2);
	assert_string_not_equal(s->csrf, s2->csrf);
	assert_int_equal(count(db, "SELECT count(*) FROM staff_session", NULL),
	    2);

	/* Cookies that are not ours find nothing. */
	assert_null(session_load(db, NULL));
	assert_null(session_load(db, ""));
	assert_null(session_load(db, "zz"));
	assert_null(session_load(db, s->key));	/* the hash is not a cookie */
	c1[0] = c1[0] == 'a' ? 'b' : 'a';
	assert_null(session_load(db, c1));

	/* Wrong password, unknown account, no password: one answer. */
	assert_int_equal(login_no(db, "ivanova", PW_PETROV, "192.0.2.1", &e),
	    SESSION_DENIED);
	assert_string_equal(e.msg, "wrong login or password");
	assert_int_equal(login_no(db, "ghost", PW_PETROV, "192.0.2.1", &e2),
	    SESSION_DENIED);
	assert_string_equal(e.msg, e2.msg);
	assert_int_equal(login_no(db, "nopass", "", "192.0.2.1", &e2),
	    SESSION_DENIED);
	assert_string_equal(e.msg, e2.msg);
	assert_int_equal(login_no(db, "ivanova", "", "192.0.2.1", &e2),
	    SESSION_DENIED);
	assert_int_equal(login_no(db, "IVANOVA", PW_IVANOVA, "192.0.2.1", &e2),
	    SESSION_DENIED);
	assert_int_equal(login_no(db, NULL, NULL, NULL, &e2), SESSION_DENIED);

	/* Attempts keep no login as typed, only its BLAKE2b-256. */
	crypto_generichash(h, sizeof(h), (const unsigned char *)"ghost", 5,
	    NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	assert_int_equal(count(db, "SELECT count(*) FROM login_attempt WHERE "
				   "login_hash = ?", hex), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM login_attempt WHERE "
				   "login_hash = ?", "ghost"), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM login_attempt WHERE "
				   "staff_id IS NULL", NULL), 3);
	assert_int_equal(count(db, "SELECT count(*) FROM login_attempt WHERE "
				   "ok = 1", NULL), 2);

	session_free(s);
	session_free(s2);
	free(c1);
	free(c2);
	gone(db);
}

static void
test_throttle_login(void **state)
{
	struct db      *db = fresh();
	struct session *s;
	struct err	e, e2;
	char	        remote[32], *c;
	int		i;

	(void)state;
	/* Five failures from five addresses, a second apart. */
	for (i = 0; i < SESSION_THROTTLE_LOGIN; i++) {
		now_is(T0 + i);
		snprintf(remote, sizeof(remote), "198.51.100.%d", i + 1);
		assert_int_equal(login_no(db, "ivanova", "wrong-password",
				     remote, &e), SESSION_DENIED);
	}
	/* Now even the right password is refused, from anywhere. */
	now_is(T0 + 5);
	assert_int_equal(login_no(db, "ivanova", PW_IVANOVA, "203.0.113.9",
			     &e), SESSION_THROTTLED);
	assert_string_equal(e.msg, "too many failed sign-in attempts; try "
				   "again in 15 minutes");
	/* Another account is not affected. */
	c = login_ok(db, "petrov", PW_PETROV, "198.51.100.1", &s);
	session_free(s);
	free(c);
	/* Refusals do not count: the wait ends when the first failure is
	 * 15 minutes old. */
	now_is(T0 + SESSION_THROTTLE_WINDOW - 1);
	assert_int_equal(login_no(db, "ivanova", PW_IVANOVA, "203.0.113.9",
			     &e), SESSION_THROTTLED);
	assert_string_equal(e.msg, "too many failed sign-in attempts; try "
				   "again in 1 minute");
	now_is(T0 + SESSION_THROTTLE_WINDOW);
	c = login_ok(db, "ivanova", PW_IVANOVA, "203.0.113.9", &s);
	session_free(s);
	free(c);
	/* A sign-in clears the account's count. */
	seed_failures(db, "ivanova", "198.51.100.7", SESSION_THROTTLE_LOGIN - 2,
	    T0 + SESSION_THROTTLE_WINDOW);
	assert_int_equal(login_no(db, "ivanova", "wrong-password",
			     "198.51.100.7", &e), SESSION_DENIED);
	c = login_ok(db, "ivanova", PW_IVANOVA, "198.51.100.7", &s);
	session_free(s);
	free(c);

	/* An account that does not exist is throttled alike, with the
	 * same words: no telling which logins exist. */
	now_is(T0 + 2 * SESSION_THROTTLE_WINDOW);
	seed_failures(db, "ghost", "198.51.101.1", SESSION_THROTTLE_LOGIN - 1,
	    T0 + 2 * SESSION_THROTTLE_WINDOW);
	seed_failures(db, "petrov", "198.51.101.2", SESSION_THROTTLE_LOGIN - 1,
	    T0 + 2 * SESSION_THROTTLE_WINDOW);
	assert_int_equal(login_no(db, "ghost", "wrong-password",
			     "198.51.101.3", &e), SESSION_DENIED);
	assert_int_equal(login_no(db, "petrov", "wrong-password",
			     "198.51.101.3", &e2), SESSION_DENIED);
	assert_string_equal(e.msg, e2.msg);
	assert_int_equal(login_no(db, "ghost", "x", "203.0.113.1", &e),
	    SESSION_THROTTLED);
	assert_int_equal(login_no(db, "petrov", "x", "203.0.113.1", &e2),
	    SESSION_THROTTLED);
	assert_string_equal(e.msg, e2.msg);

	/* Attempts older than a day are forgotten. */
	now_is(T0 + 2 * 24 * 60 * 60);
	assert_int_equal(login_no(db, "ghost", "x", "203.0.113.1", &e),
	    SESSION_DENIED);
	assert_int_equal(count(db, "SELECT count(*) FROM login_attempt", NULL),
	    1);
	gone(db);
}

static void
test_throttle_remote(void **state)
{
	static const struct {
		const char *remote, *key;
	} keys[] = {
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2::9]:443", "2001:db8:1:2::/64"},
		{"::ffff:192.0.2.44", "192.0.2.44"},
		{"192.0.2.45:5555", "192.0.2.45"},
		{"", "unknown"},
	};
	struct db      *db = fresh();
	struct db_stmt *st;
	struct session *s;
	struct err	e;
	char		login[32], *c;
	size_t		i;

	(void)state;
	/* Twenty failures from one address, on twenty logins. */
	for (i = 0; i < SESSION_THROTTLE_REMOTE - 1; i++) {
		snprintf(login, sizeof(login), "guess%zu", i);
		seed_failures(db, login, "192.0.2.66", 1, T0);
	}
	now_is(T0 + 1);
	assert_int_equal(login_no(db, "guess-last", "wrong-password",
			     "192.0.2.66", &e), SESSION_DENIED);
	now_is(T0 + 60);
	assert_int_equal(login_no(db, "ivanova", PW_IVANOVA, "192.0.2.66", &e),
	    SESSION_THROTTLED);
	assert_non_null(strstr(e.msg, "try again in 14 minutes"));
	/* Another address is served. */
	c = login_ok(db, "ivanova", PW_IVANOVA, "192.0.2.67", &s);
	session_free(s);
	free(c);
	/* A sign-in from the address does not clear its count. */
	now_is(T0 + SESSION_THROTTLE_WINDOW - 1);
	assert_int_equal(login_no(db, "ivanova", PW_IVANOVA, "192.0.2.66", &e),
	    SESSION_THROTTLED);
	now_is(T0 + SESSION_THROTTLE_WINDOW);
	c = login_ok(db, "ivanova", PW_IVANOVA, "192.0.2.66", &s);
	session_free(s);
	free(c);

	/* What counts as one address: an IPv6 /64, without a port. */
	for (i = 0; i < nitems(keys); i++) {
		assert_int_equal(db_exec(db, "DELETE FROM login_attempt"), 0);
		login_no(db, "ghost", "wrong-password", keys[i].remote, &e);
		st = db_prepare(db, "SELECT remote FROM login_attempt", NULL);
		assert_int_equal(db_step(st), DB_ROW);
		assert_string_equal(db_col_text(st, 0), keys[i].key);
		db_finalize(st);
	}
	gone(db);
}

static void
test_expiry(void **state)
{
	struct db      *db = fresh();
	struct session *s, *l;
	char	       *c;
	int64_t		t;

	(void)state;
	/* Idle: a request just before the limit keeps it alive. */
	c = login_ok(db, "ivanova", PW_IVANOVA, "192.0.2.1", &s);
	now_is(T0 + SESSION_IDLE - 1);
	assert_non_null(l = session_load(db, c));
	assert_int_equal(l->last_seen, T0 + SESSION_IDLE - 1);
	session_free(l);
	now_is(T0 + 2 * SESSION_IDLE - 2);
	assert_non_null(l = session_load(db, c));
	session_free(l);
	/* Then SESSION_IDLE without one ends it, for good. */
	now_is(T0 + 3 * SESSION_IDLE - 2);
	assert_null(session_load(db, c));
	now_is(T0 + 2 * SESSION_IDLE - 1);
	assert_null(session_load(db, c));
	assert_int_equal(count(db, "SELECT count(*) FROM staff_session WHERE "
				   "token_hash = ?", s->key), 0);
	session_free(s);
	free(c);

	/* Absolute: busy all day, still over after SESSION_ABSOLUTE. */
	now_is(T0 + 10000);
	c = login_ok(db, "ivanova", PW_IVANOVA, "192.0.2.1", &s);
	for (t = T0 + 10000; t < T0 + 10000 + SESSION_ABSOLUTE;
	     t += SESSION_IDLE / 2) {
		now_is(t);
		assert_non_null(l = session_load(db, c));
		session_free(l);
	}
	now_is(T0 + 10000 + SESSION_ABSOLUTE);
	assert_null(session_load(db, c));
	session_free(s);
	free(c);
	gone(db);
}

static void
test_logout(void **state)
{
	struct db      *db = fresh();
	struct session *a1, *a2, *b, *l;
	struct err	e;
	char	       *ca1, *ca2, *cb;

	(void)state;
	ca1 = login_ok(db, "ivanova", PW_IVANOVA, "192.0.2.1", &a1);
	ca2 = login_ok(db, "ivanova", PW_IVANOVA, "192.0.2.2", &a2);
	cb = login_ok(db, "petrov", PW_PETROV, "192.0.2.3", &b);

	/* Signing out ends this session only. */
	assert_int_equal(session_logout(db, a1), 0);
	assert_null(session_load(db, ca1));
	assert_non_null(l = session_load(db, ca2));
	session_free(l);
	assert_int_equal(session_logout(db, NULL), 0);

	/* Everywhere: every session of the account, no one else's. */
	free(ca1);
	ca1 = login_ok(db, "ivanova", PW_IVANOVA, "192.0.2.1", &l);
	session_free(l);
	assert_int_equal(session_logout_all(db, a2->staff_id), 0);
	assert_null(session_load(db, ca1));
	assert_null(session_load(db, ca2));
	assert_non_null(l = session_load(db, cb));
	session_free(l);
	assert_int_equal(count(db, "SELECT count(*) FROM audit WHERE action = "
				   "'session.logout_all' AND after_json LIKE "
				   "'%\"sessions\":\"2\"%'", NULL), 1);

	/* A new password ends the account's sessions too. */
	assert_int_equal(password_set(db, "admin", "petrov", "a new password!",
			     &e), 0);
	assert_null(session_load(db, cb));
	assert_int_equal(login_no(db, "petrov", PW_PETROV, "192.0.2.3", &e),
	    SESSION_DENIED);
	free(cb);
	cb = login_ok(db, "petrov", "a new password!", "192.0.2.3", &l);
	session_free(l);

	session_free(a1);
	session_free(a2);
	session_free(b);
	free(ca1);
	free(ca2);
	free(cb);
	gone(db);
}

static void
test_csrf(void **state)
{
	struct db      *db = fresh();
	struct session *s;
	char	       *c, tok[65];
	size_t		i;

	(void)state;
	c = login_ok(db, "ivanova", PW_IVANOVA, "192.0.2.1", &s);
	assert_true(session_csrf_ok(s, s->csrf));
	snprintf(tok, sizeof(tok), "%s", s->csrf);
	for (i = 0; i < 64; i += 21) {
		tok[i] = tok[i] == '0' ? '1' : '0';
		assert_false(session_csrf_ok(s, tok));
		tok[i] = s->csrf[i];
	}
	assert_true(session_csrf_ok(s, tok));
	tok[63] = '\0';
	assert_false(session_csrf_ok(s, tok));	/* a prefix */
	assert_false(session_csrf_ok(s, ""));
	assert_false(session_csrf_ok(s, NULL));
	assert_false(session_csrf_ok(NULL, s->csrf));
	assert_false(session_csrf_ok(s, c));	/* the cookie is not it */
	session_free(s);
	free(c);
	gone(db);
}

static void
test_roles(void **state)
{
	struct db      *db = fresh();
	struct session *iv, *pe, *np;
	struct staff_info *v;
	struct err	e;
	char	       *c1, *c2;
	int64_t		moh, gkk;
	int		n;

	(void)state;
	moh = count(db, "SELECT id FROM org WHERE slug = ?", "moh");
	gkk = count(db, "SELECT id FROM org WHERE slug = ?", "gkk");
	grant(db, "ivanova", moh, "officer");
	grant(db, "ivanova", gkk, "analyst");
	grant(db, "petrov", moh, "admin");
	c1 = login_ok(db, "ivanova", PW_IVANOVA, "192.0.2.1", &iv);
	c2 = login_ok(db, "petrov", PW_PETROV, "192.0.2.1", &pe);

	assert_true(session_has_role(db, iv, moh, "officer"));
	assert_false(session_has_role(db, iv, moh, "editor"));
	assert_false(session_has_role(db, iv, moh, "admin"));
	assert_false(session_has_role(db, iv, gkk, "officer"));
	assert_true(session_has_role(db, iv, gkk, "analyst"));
	assert_true(session_has_role(db, iv, gkk, NULL));
	assert_true(session_has_role(db, iv, 0, "analyst"));
	assert_false(session_has_role(db, iv, 0, "group"));
	/* An admin holds every role in that organization, and only there. */
	assert_true(session_has_role(db, pe, moh, "editor"));
	assert_true(session_has_role(db, pe, moh, "group"));
	assert_false(session_has_role(db, pe, gkk, "editor"));
	assert_false(session_has_role(db, pe, gkk, NULL));
	assert_false(session_has_role(db, NULL, moh, "officer"));
	np = xcalloc(1, sizeof(*np));
	np->staff_id = 999;
	assert_false(session_has_role(db, np, 0, NULL));
	free(np);

	/* Revoked: no longer, at once. */
	assert_int_equal(staff_role_held(db, "ivanova", moh, "officer"), 1);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(staff_revoke(db, "petrov", "ivanova", moh, "officer",
			     &e), 0);
	assert_int_equal(db_commit(db), 0);
	assert_false(session_has_role(db, iv, moh, "officer"));
	assert_int_equal(staff_role_held(db, "ivanova", moh, "officer"), 0);
	assert_int_equal(staff_revoke(db, "petrov", "ivanova", moh, "officer",
			     &e), -1);
	assert_int_equal(e.code, EXIT_NOINPUT);

	/* The listing: everyone, or the people of one organization. */
	n = staff_list(db, 0, &v, &e);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].login, "ivanova");
	assert_true(v[0].has_password);
	assert_int_equal(v[0].nroles, 1);
	assert_string_equal(v[0].roles[0].org, "gkk");
	assert_string_equal(v[0].roles[0].role, "analyst");
	assert_string_equal(v[1].login, "nopass");
	assert_false(v[1].has_password);
	assert_int_equal(v[1].nroles, 0);
	staff_list_free(v, n);
	n = staff_list(db, moh, &v, &e);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].login, "petrov");
	assert_string_equal(v[0].roles[0].role, "admin");
	staff_list_free(v, n);

	session_free(iv);
	session_free(pe);
	free(c1);
	free(c2);
	gone(db);
}

/* Nothing secret reaches the audit log, and what it holds is intact. */
static void
test_audit_clean(void **state)
{
	struct db	   *db = fresh();
	struct db_stmt	   *st;
	struct session	   *s;
	struct audit_report rep;
	struct err	    e;
	char		   *c, *row;
	const char	   *secrets[4];
	size_t		    i;

	(void)state;
	c = login_ok(db, "ivanova", PW_IVANOVA, "192.0.2.1", &s);
	login_no(db, "ivanova", PW_PETROV, "192.0.2.1", &e);
	assert_int_equal(session_logout(db, s), 0);
	secrets[0] = PW_IVANOVA;
	secrets[1] = c;
	secrets[2] = s->csrf;
	secrets[3] = s->key;
	st = db_prepare(db, "SELECT actor || ' ' || action || ' ' || object || "
			    "' ' || coalesce(before_json, '') || ' ' || "
			    "coalesce(after_json, '') FROM audit", NULL);
	while (db_step(st) == DB_ROW) {
		row = db_col_dup(st, 0);
		for (i = 0; i < nitems(secrets); i++)
			if (strstr(row, secrets[i]) != NULL)
				fail_msg("audit row holds a secret: %s", row);
		assert_null(strstr(row, PW_PETROV));
		assert_null(strstr(row, "argon2"));
		free(row);
	}
	db_finalize(st);
	assert_int_equal(count(db, "SELECT count(*) FROM audit WHERE action = "
				   "'staff.passwd' AND actor = 'tester'", NULL),
	    2);
	assert_int_equal(count(db, "SELECT count(*) FROM audit WHERE action = "
				   "'session.login' AND actor = 'ivanova' AND "
				   "after_json LIKE '%192.0.2.1%'", NULL), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM audit WHERE action = "
				   "'session.logout' AND object = "
				   "'staff:ivanova'", NULL), 1);
	assert_int_equal(audit_verify(db, &rep, &e), 0);
	session_free(s);
	free(c);
	gone(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_rules),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_login),
		cmocka_unit_test(test_throttle_login),
		cmocka_unit_test(test_throttle_remote),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_logout),
		cmocka_unit_test(test_csrf),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_audit_clean),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, make_template, drop_template);
}

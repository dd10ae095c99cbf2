/*
 * Staff accounts on the web (R-ORG-4): passwords stored as argon2id,
 * sessions with idle and absolute expiry, a CSRF token per session
 * compared in constant time, throttling of failed sign-ins per account
 * and per address, and the role check of R-ORG-2 that http.c applies to
 * every route in one place.
 */
#ifndef OTKLIK_SESSION_H
#define OTKLIK_SESSION_H

#include <stdint.h>

#include "otklik.h"

struct db;
struct err;

#define SESSION_IDLE	 (30 * 60)	  /* seconds without a request */
#define SESSION_ABSOLUTE (12 * 60 * 60)	  /* seconds since sign-in */

/*
 * Throttling: an account that failed SESSION_THROTTLE_LOGIN times, or an
 * address (an IPv6 address counts as its /64) that failed
 * SESSION_THROTTLE_REMOTE times, within the last SESSION_THROTTLE_WINDOW
 * seconds is refused until the oldest of those failures is that old.  A
 * refused attempt is not counted again, so the limits are a rate: so many
 * guesses per window.  A sign-in clears the account's count, not the
 * address's.
 */
#define SESSION_THROTTLE_WINDOW (15 * 60)
#define SESSION_THROTTLE_LOGIN	5
#define SESSION_THROTTLE_REMOTE 20

/* Error codes of session_login(), in err.code. */
#define SESSION_DENIED	  EXIT_DATAERR	/* wrong login or password */
#define SESSION_THROTTLED 75		/* too many failures: wait (EX_TEMPFAIL) */

/* Passwords: at least this many characters (not bytes), at most 1024 bytes. */
#define PASSWORD_MIN_CHARS 10
#define PASSWORD_MAX_BYTES 1024

struct session {
	int64_t staff_id;
	char   *login;
	char   *name;
	char	csrf[65];	/* hex; also put in every form */
	int64_t created_at;
	int64_t last_seen;
	char	key[65];	/* the session's row key (a hash of the cookie) */
};

/* The cookie's name: "__Host-otklik" when secure, else "otklik". */
const char *session_cookie_name(int secure);

/*
 * Is the password acceptable: valid UTF-8, no control characters, from
 * PASSWORD_MIN_CHARS characters to PASSWORD_MAX_BYTES bytes?  0, or -1
 * with a message that says what is wrong (never the password itself).
 */
int  password_ok(const char *password, struct err *);

/*
 * Stores an argon2id hash of the password for the account (audited as
 * "staff.passwd", without the password) and ends every session of the
 * account.  Runs its own transaction; the hash is computed before it, so
 * the write lock is not held during the slow part.
 */
int  password_set(struct db *, const char *actor, const char *login,
    const char *password, struct err *);

/*
 * Signs in: checks the password (in constant time, and as slowly when the
 * account does not exist), the throttles, and makes a new session.  On
 * success *cookie is the value to set (caller frees) and *s the session.
 * A refusal fills the error: code SESSION_DENIED ("wrong login or
 * password", whether the account exists or not) or SESSION_THROTTLED
 * ("… try again in N minutes"), EXIT_IOERR for a database failure; the
 * message is English, a page picks its own words by the code.
 */
int  session_login(struct db *, const char *login, const char *password,
    const char *remote, char **cookie, struct session **s, struct err *);

/*
 * The live session of a cookie value, or NULL (none, idle too long, too
 * old: an expired one is deleted).  last_seen is written at most once a
 * minute, so idle time counts from the last request recorded.
 */
struct session *session_load(struct db *, const char *cookie);
void		session_free(struct session *);
int		session_logout(struct db *, const struct session *);
/* Ends every session of the account ("sign out everywhere"). */
int		session_logout_all(struct db *, int64_t staff_id);

/* The token a form carries matches the session's, in constant time. */
int  session_csrf_ok(const struct session *, const char *token);

/*
 * Does the person hold the role in the organization?  An admin of the
 * organization holds every role in it.  role NULL: any role there;
 * org_id 0: that role in some organization.
 */
int  session_has_role(struct db *, const struct session *, int64_t org_id,
    const char *role);

/*
 * Accounts for "otklik user list/role" and the admin pages.  (They sit
 * here beside the passwords; staff_add and staff_grant are in org.c.)
 */
struct staff_role_info {
	char *org;	/* slug */
	char *role;
	char *unit;	/* NULL when none */
};

struct staff_info {
	int64_t			id;
	char		       *login;
	char		       *name;
	int			has_password;
	int64_t			password_changed_at;	/* 0: never */
	struct staff_role_info *roles;
	int			nroles;
};

/*
 * Fills *list with the accounts ordered by login, each with its roles;
 * with org_id other than 0, only the accounts holding a role there and
 * only those roles.  Returns the count, or -1 with the error filled.
 */
int  staff_list(struct db *, int64_t org_id, struct staff_info **list,
    struct err *);
void staff_list_free(struct staff_info *, int n);
/* 1 if the account holds the role in the organization, 0 if not, -1. */
int  staff_role_held(struct db *, const char *login, int64_t org_id,
    const char *role);
/* Takes a role away (audited as "staff.revoke"); runs in the caller's
 * transaction.  Not holding it is an error (EXIT_NOINPUT). */
int  staff_revoke(struct db *, const char *actor, const char *login,
    int64_t org_id, const char *role, struct err *);

#endif

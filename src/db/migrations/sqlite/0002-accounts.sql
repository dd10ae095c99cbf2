-- Staff accounts on the web (R-ORG-4): password hashes, sessions, and the
-- record of sign-in attempts that throttling counts.  Times are unix
-- seconds (BIGINT).

-- An argon2id hash in libsodium's string form ("$argon2id$v=19$…"); NULL
-- while no password is set (such an account cannot sign in).
ALTER TABLE staff ADD COLUMN password_hash TEXT;
ALTER TABLE staff ADD COLUMN password_changed_at BIGINT;

-- A signed-in browser.  The cookie holds 32 random bytes (hex); only the
-- BLAKE2b-256 of that value is kept here, so a copy of the database does
-- not hand out live sessions.  The CSRF token is the session's own, put
-- into every form.
CREATE TABLE staff_session (
	token_hash	TEXT PRIMARY KEY,
	staff_id	INTEGER NOT NULL REFERENCES staff(id),
	csrf		TEXT NOT NULL,
	created_at	BIGINT NOT NULL,
	last_seen	BIGINT NOT NULL,
	remote		TEXT
);
CREATE INDEX staff_session_staff ON staff_session (staff_id);
CREATE INDEX staff_session_seen ON staff_session (last_seen);

-- Every sign-in attempt, kept a day.  The login as typed is kept only as
-- its BLAKE2b-256 (people type passwords into the login field); staff_id
-- is set when it named an account.  remote is the client's address (an
-- IPv6 address as its /64).  ok: 0 failed (or still being checked),
-- 1 signed in.
CREATE TABLE login_attempt (
	id		INTEGER PRIMARY KEY,
	at		BIGINT NOT NULL,
	login_hash	TEXT NOT NULL,
	staff_id	INTEGER REFERENCES staff(id),
	remote		TEXT NOT NULL,
	ok		INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX login_attempt_login ON login_attempt (login_hash, at);
CREATE INDEX login_attempt_remote ON login_attempt (remote, at);
CREATE INDEX login_attempt_at ON login_attempt (at);

-- Surveys (R-SRV): instruments with their versions, where they are
-- offered, invitations, and the answers.  An answer holds nothing that
-- could identify its respondent (R-SRV-3): no address, agent, cookie,
-- session or invitation, and the day rather than the time.

-- An instrument (анкета) of an organization.  code is its name in
-- addresses ("/gkk/s/services") and on the command line; standard names
-- one of the four of R-SRV-2 ('services', 'appeals', 'information',
-- 'internal'), NULL for one the organization made.  access 'invite'
-- takes answers only with a single-use invitation.
CREATE TABLE srv_instrument (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES org(id),
	code		TEXT NOT NULL,
	standard	TEXT CHECK (standard IN ('services', 'appeals',
			    'information', 'internal')),
	client		TEXT NOT NULL CHECK (client IN ('external',
			    'internal')),
	access		TEXT NOT NULL DEFAULT 'open' CHECK (access IN
			    ('open', 'invite')),
	open		INTEGER NOT NULL DEFAULT 0,
	created_at	BIGINT NOT NULL,
	UNIQUE (org_id, code)
);

-- The content of an instrument, in versions.  definition is the
-- instrument as JSON (the format of data/surveys/*.json, read by
-- srv_def_parse).  A draft is edited in place; publishing freezes it and
-- retires the version before it, so that an answer always keeps the
-- questions it was given against (R-SRV-1).
CREATE TABLE srv_version (
	id		INTEGER PRIMARY KEY,
	instrument_id	INTEGER NOT NULL REFERENCES srv_instrument(id),
	org_id		INTEGER NOT NULL REFERENCES org(id),
	version		INTEGER NOT NULL,
	state		TEXT NOT NULL CHECK (state IN ('draft', 'published',
			    'retired')),
	title		TEXT NOT NULL,
	definition	TEXT NOT NULL,
	created_at	BIGINT NOT NULL,
	created_by	TEXT NOT NULL,
	published_at	BIGINT,
	published_by	TEXT,
	UNIQUE (instrument_id, version)
);
CREATE INDEX srv_version_state ON srv_version (instrument_id, state);

-- Where an instrument is offered: a touchpoint of the registry, a
-- service or a life situation (by name, as feedback records them).
CREATE TABLE srv_target (
	id		INTEGER PRIMARY KEY,
	instrument_id	INTEGER NOT NULL REFERENCES srv_instrument(id),
	org_id		INTEGER NOT NULL REFERENCES org(id),
	kind		TEXT NOT NULL CHECK (kind IN ('touchpoint', 'service',
			    'situation')),
	touchpoint_id	INTEGER REFERENCES touchpoint(id),
	name		TEXT,
	CHECK ((kind = 'touchpoint') = (touchpoint_id IS NOT NULL)),
	CHECK ((kind = 'touchpoint') = (name IS NULL))
);
CREATE UNIQUE INDEX srv_target_one ON srv_target (instrument_id, kind,
    COALESCE(touchpoint_id, 0), COALESCE(name, ''));

-- A single-use invitation.  Only a hash of the token is kept; using it
-- sets used and nothing else: no time, and no link to the answer given.
CREATE TABLE srv_invite (
	token_hash	TEXT PRIMARY KEY,
	instrument_id	INTEGER NOT NULL REFERENCES srv_instrument(id),
	org_id		INTEGER NOT NULL REFERENCES org(id),
	batch		TEXT NOT NULL,
	created_at	BIGINT NOT NULL,
	used		INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX srv_invite_batch ON srv_invite (instrument_id, batch);

-- One filled-in questionnaire.  day is the local date of the answer in
-- the organization's zone; offline marks a paper form entered by staff,
-- paper_ref that form's number (unique per instrument, which makes an
-- offline import idempotent).
CREATE TABLE srv_response (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES org(id),
	instrument_id	INTEGER NOT NULL REFERENCES srv_instrument(id),
	version_id	INTEGER NOT NULL REFERENCES srv_version(id),
	touchpoint_id	INTEGER REFERENCES touchpoint(id),
	service		TEXT,
	situation	TEXT,
	day		TEXT NOT NULL,
	offline		INTEGER NOT NULL DEFAULT 0,
	paper_ref	TEXT
);
CREATE INDEX srv_response_day ON srv_response (instrument_id, day);
CREATE UNIQUE INDEX srv_response_paper ON srv_response (instrument_id,
    paper_ref) WHERE paper_ref IS NOT NULL;

-- The answer to one question: rating 1–5, or one row per chosen option
-- (choice holds the option's code), or free text.  question is the
-- question's code, the same across versions and instruments for the
-- same parameter, which is what makes figures comparable (R-SRV-5).
CREATE TABLE srv_answer (
	response_id	INTEGER NOT NULL REFERENCES srv_response(id),
	question	TEXT NOT NULL,
	rating		INTEGER CHECK (rating BETWEEN 1 AND 5),
	choice		TEXT,
	text		TEXT
);
CREATE INDEX srv_answer_response ON srv_answer (response_id);
CREATE INDEX srv_answer_question ON srv_answer (question, rating);

-- Organizations, their units and staff; the audit log; the working-day
-- calendar; the registry of touchpoints with its versions, changes and
-- publications.  Times are unix seconds (BIGINT), dates 'YYYY-MM-DD'.

CREATE TABLE org (
	id		INTEGER PRIMARY KEY,
	slug		TEXT NOT NULL UNIQUE,
	name		TEXT NOT NULL,
	short_name	TEXT,
	region		TEXT NOT NULL DEFAULT 'ru',
	tz		TEXT NOT NULL DEFAULT 'Europe/Moscow',
	site_url	TEXT,
	created_at	BIGINT NOT NULL
);

CREATE TABLE unit (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES org(id),
	name		TEXT NOT NULL,
	UNIQUE (org_id, name)
);

CREATE TABLE staff (
	id		INTEGER PRIMARY KEY,
	login		TEXT NOT NULL UNIQUE,
	name		TEXT NOT NULL,
	created_at	BIGINT NOT NULL
);

-- Roles of R-ORG-2, per organization; a unit editor names the unit.
CREATE TABLE staff_role (
	staff_id	INTEGER NOT NULL REFERENCES staff(id),
	org_id		INTEGER NOT NULL REFERENCES org(id),
	role		TEXT NOT NULL CHECK (role IN ('officer', 'editor',
			    'operator', 'analyst', 'group', 'admin')),
	unit_id		INTEGER REFERENCES unit(id),
	PRIMARY KEY (staff_id, org_id, role)
);

-- Exceptions to "Monday to Friday are working days", per region:
-- 'ru' is the federal calendar, other codes ('ru-ta') overlay it.
CREATE TABLE calendar_day (
	region		TEXT NOT NULL,
	day		TEXT NOT NULL,
	kind		TEXT NOT NULL CHECK (kind IN ('off', 'short', 'work')),
	note		TEXT,
	PRIMARY KEY (region, day)
);

-- The years for which a region's calendar is known.
CREATE TABLE calendar_year (
	region		TEXT NOT NULL,
	year		INTEGER NOT NULL,
	source		TEXT NOT NULL,
	loaded_at	BIGINT NOT NULL,
	PRIMARY KEY (region, year)
);

-- Needs an organization adds to the built-in taxonomy (data/needs.tsv).
CREATE TABLE org_need (
	org_id		INTEGER NOT NULL REFERENCES org(id),
	code		TEXT NOT NULL,
	title		TEXT NOT NULL,
	PRIMARY KEY (org_id, code)
);

-- Every inclusion makes a new version of an organization's registry.
CREATE TABLE registry_version (
	org_id		INTEGER NOT NULL REFERENCES org(id),
	version		INTEGER NOT NULL,
	included_at	BIGINT NOT NULL,
	included_by	TEXT NOT NULL,
	note		TEXT,
	PRIMARY KEY (org_id, version)
);

-- A change drafted by a unit and decided by the registry officer.
CREATE TABLE registry_change (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES org(id),
	op		TEXT NOT NULL CHECK (op IN ('add', 'change', 'exclude')),
	touchpoint_id	INTEGER,
	state		TEXT NOT NULL CHECK (state IN ('draft', 'submitted',
			    'returned', 'included', 'withdrawn')),
	author		TEXT NOT NULL,
	created_at	BIGINT NOT NULL,
	submitted_at	BIGINT,
	decided_at	BIGINT,
	decided_by	TEXT,
	comment		TEXT,
	triggers	TEXT,
	version		INTEGER
);
CREATE INDEX registry_change_state ON registry_change (org_id, state);

-- A touchpoint keeps its id across versions; its content is in revisions.
CREATE TABLE touchpoint (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES org(id),
	created_at	BIGINT NOT NULL
);

-- A revision is part of versions valid_from <= v < valid_to (valid_to
-- NULL: still current).  A draft revision has valid_from NULL and the
-- change that proposes it.
CREATE TABLE touchpoint_rev (
	id		INTEGER PRIMARY KEY,
	touchpoint_id	INTEGER NOT NULL REFERENCES touchpoint(id),
	org_id		INTEGER NOT NULL REFERENCES org(id),
	change_id	INTEGER REFERENCES registry_change(id),
	valid_from	INTEGER,
	valid_to	INTEGER,
	pos		INTEGER NOT NULL,
	area		TEXT NOT NULL,
	process		TEXT NOT NULL,
	name		TEXT NOT NULL,
	channel		TEXT NOT NULL,
	kind		TEXT NOT NULL CHECK (kind IN ('digital', 'offline')),
	kind_explicit	INTEGER NOT NULL DEFAULT 0,
	client		TEXT NOT NULL CHECK (client IN ('external', 'internal')),
	needs		TEXT NOT NULL DEFAULT '',
	interaction	TEXT NOT NULL DEFAULT '',
	features	TEXT NOT NULL DEFAULT '',
	phone		TEXT,
	email		TEXT,
	url		TEXT,
	address		TEXT,
	room		TEXT,
	unit_id		INTEGER REFERENCES unit(id),
	basis		TEXT CHECK (basis IN ('normative', 'internal',
			    'contract', 'directive')),
	basis_ref	TEXT,
	is_key		INTEGER NOT NULL DEFAULT 0,
	low_demand	INTEGER NOT NULL DEFAULT 0,
	not_counted	INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX touchpoint_rev_valid ON touchpoint_rev (org_id, valid_from,
    valid_to);
CREATE INDEX touchpoint_rev_change ON touchpoint_rev (change_id);

CREATE TABLE registry_publication (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES org(id),
	version		INTEGER NOT NULL,
	published_at	BIGINT NOT NULL,
	published_by	TEXT NOT NULL,
	url		TEXT
);

-- The append-only, hash-chained audit log of R-ORG-3.
CREATE TABLE audit (
	seq		INTEGER PRIMARY KEY,
	at		BIGINT NOT NULL,
	actor		TEXT NOT NULL,
	org_id		INTEGER,
	action		TEXT NOT NULL,
	object		TEXT NOT NULL,
	before_json	TEXT,
	after_json	TEXT,
	prev_hash	TEXT NOT NULL,
	hash		TEXT NOT NULL
);
CREATE INDEX audit_org ON audit (org_id, at);

-- The head of the chain: the last sequence number and its hash.
CREATE TABLE audit_head (
	id		INTEGER PRIMARY KEY CHECK (id = 1),
	seq		INTEGER NOT NULL,
	hash		TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0,
    '0000000000000000000000000000000000000000000000000000000000000000');

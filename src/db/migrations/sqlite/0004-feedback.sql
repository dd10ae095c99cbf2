-- Feedback (R-FB) and personal data (R-PD).  Times are unix seconds
-- (BIGINT); codes are checked here and, with their meaning, in
-- feedback.c.  Personal data lives only in fb_contact, so that destroying
-- it (R-PD-2) touches one table and leaves every figure intact.

-- How an organization uses a channel type of R-REG-1 for feedback
-- (R-FB-2).  A channel without a row takes the defaults: enabled, online
-- when the channel type is digital, for both kinds of clients.
CREATE TABLE fb_channel (
	org_id		INTEGER NOT NULL REFERENCES org(id),
	channel		TEXT NOT NULL,
	enabled		INTEGER NOT NULL DEFAULT 1,
	online		INTEGER NOT NULL,
	client		TEXT NOT NULL DEFAULT 'both'
			    CHECK (client IN ('external', 'internal', 'both')),
	touchpoint_id	INTEGER REFERENCES touchpoint(id),
	PRIMARY KEY (org_id, channel)
);

-- A standard of R-FB-5 as the organization tightened it; without a row
-- the default of feedback_timer.c applies.
CREATE TABLE fb_standard (
	org_id		INTEGER NOT NULL REFERENCES org(id),
	code		TEXT NOT NULL,
	amount		INTEGER NOT NULL,
	unit		TEXT NOT NULL CHECK (unit IN ('minutes', 'hours', 'days',
			    'workdays', 'count')),
	working		INTEGER NOT NULL,
	enabled		INTEGER NOT NULL DEFAULT 1,
	PRIMARY KEY (org_id, code)
);

-- Working hours for timers on working time, minutes after local midnight.
CREATE TABLE fb_hours (
	org_id		INTEGER PRIMARY KEY REFERENCES org(id),
	work_start	INTEGER NOT NULL DEFAULT 540,
	work_end	INTEGER NOT NULL DEFAULT 1080
);

-- Dictionaries of R-FB-7: topics and reasons, each with the keywords
-- that suggest it ("запис+при|очеред", matched on stems).
CREATE TABLE fb_topic (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES org(id),
	kind		TEXT NOT NULL CHECK (kind IN ('topic', 'reason')),
	title		TEXT NOT NULL,
	keywords	TEXT NOT NULL DEFAULT '',
	active		INTEGER NOT NULL DEFAULT 1,
	UNIQUE (org_id, kind, title)
);

-- The knowledge base of answer templates (R-FB-6).
CREATE TABLE fb_template (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES org(id),
	title		TEXT NOT NULL,
	body		TEXT NOT NULL,
	topic_id	INTEGER REFERENCES fb_topic(id),
	active		INTEGER NOT NULL DEFAULT 1,
	uses		INTEGER NOT NULL DEFAULT 0,
	updated_at	BIGINT NOT NULL,
	updated_by	TEXT NOT NULL
);
CREATE INDEX fb_template_org ON fb_template (org_id, active);

-- A client who left contact details (R-PD).  Every personal field is
-- NULL once destroyed.  The client's history page is reached with a key
-- given once; only its BLAKE2b-256 is kept.
CREATE TABLE fb_contact (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES org(id),
	name		TEXT,
	email		TEXT,
	phone		TEXT,
	address		TEXT,
	key_hash	TEXT UNIQUE,
	created_at	BIGINT NOT NULL,
	destroyed_at	BIGINT
);

-- The legal basis of holding a contact (R-PD-1): a consent with its
-- terms, or a law (59-FZ requires the address to answer an appeal).
-- A consent ends when withdrawn or when its term runs out; the data must
-- then be destroyed by destroy_by unless another basis remains.
CREATE TABLE pd_basis (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES org(id),
	contact_id	INTEGER NOT NULL REFERENCES fb_contact(id),
	basis		TEXT NOT NULL CHECK (basis IN ('consent', 'law')),
	purpose		TEXT NOT NULL,
	data_list	TEXT NOT NULL,
	text_version	TEXT,
	granted_at	BIGINT NOT NULL,
	ends_at		BIGINT,
	withdrawn_at	BIGINT,
	withdrawn_via	TEXT,
	destroy_by	BIGINT
);
CREATE INDEX pd_basis_contact ON pd_basis (contact_id);
CREATE INDEX pd_basis_destroy ON pd_basis (org_id, destroy_by);

-- An act of destruction of personal data (R-PD-2): what was destroyed,
-- when, by whom, and the extract of the event log, as a text kept whole.
CREATE TABLE pd_act (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES org(id),
	made_at		BIGINT NOT NULL,
	made_by		TEXT NOT NULL,
	contacts	INTEGER NOT NULL,
	body		TEXT NOT NULL
);

-- A message of any kind from any channel, and the case it opens.
-- code is the tracking code the client gets; external_id is the id in the
-- system it was imported from (unique per organization and source, which
-- makes imports idempotent).
CREATE TABLE fb_message (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES org(id),
	code		TEXT NOT NULL UNIQUE,
	external_id	TEXT,
	source		TEXT NOT NULL CHECK (source IN ('direct', 'pos', 'epgu',
			    'survey', 'media')),
	channel		TEXT NOT NULL,
	kind		TEXT NOT NULL CHECK (kind IN ('appeal', 'complaint',
			    'request', 'comment', 'mention', 'post',
			    'proposal')),
	client		TEXT NOT NULL CHECK (client IN ('external',
			    'internal')),
	form		TEXT CHECK (form IN ('service', 'support', 'control',
			    'prevention', 'appeals', 'information',
			    'internal')),
	touchpoint_id	INTEGER REFERENCES touchpoint(id),
	service		TEXT,
	situation	TEXT,
	topic_id	INTEGER REFERENCES fb_topic(id),
	reason_id	INTEGER REFERENCES fb_topic(id),
	subject		TEXT,
	text		TEXT NOT NULL,
	rating		INTEGER CHECK (rating BETWEEN 1 AND 5),
	state		TEXT NOT NULL CHECK (state IN ('registered',
			    'acknowledged', 'in_work', 'answered', 'closed')),
	outcome		TEXT CHECK (outcome IN ('satisfied', 'unsatisfied')),
	received_at	BIGINT NOT NULL,
	registered_at	BIGINT NOT NULL,
	acknowledged_at	BIGINT,
	in_work_at	BIGINT,
	answered_at	BIGINT,
	closed_at	BIGINT,
	ack_due		BIGINT,
	answer_due	BIGINT,
	extended	INTEGER NOT NULL DEFAULT 0,
	extension_note	TEXT,
	unit_id		INTEGER REFERENCES unit(id),
	assignee_id	INTEGER REFERENCES staff(id),
	transfers	INTEGER NOT NULL DEFAULT 0,
	wait_minutes	INTEGER,
	answer		TEXT,
	template_id	INTEGER REFERENCES fb_template(id),
	solved		INTEGER,
	reopened	INTEGER NOT NULL DEFAULT 0,
	contact_id	INTEGER REFERENCES fb_contact(id)
);
CREATE UNIQUE INDEX fb_message_external ON fb_message (org_id, source,
    external_id) WHERE external_id IS NOT NULL;
CREATE INDEX fb_message_queue ON fb_message (org_id, state, answer_due);
CREATE INDEX fb_message_received ON fb_message (org_id, received_at);
CREATE INDEX fb_message_contact ON fb_message (contact_id);

-- Every step of a message's life (R-FB-4), time-stamped: registration,
-- each transition, assignment, transfer, answer, the client's reply.
-- detail holds no personal data (the audit log and this table outlive a
-- contact's destruction).
CREATE TABLE fb_event (
	id		INTEGER PRIMARY KEY,
	message_id	INTEGER NOT NULL REFERENCES fb_message(id),
	org_id		INTEGER NOT NULL REFERENCES org(id),
	at		BIGINT NOT NULL,
	actor		TEXT NOT NULL,
	action		TEXT NOT NULL,
	from_state	TEXT,
	to_state	TEXT,
	detail		TEXT
);
CREATE INDEX fb_event_message ON fb_event (message_id, at);

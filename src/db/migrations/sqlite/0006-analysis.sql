-- Analysis (R-AN): rollups that reports read instead of the detail rows,
-- the pain map with the working group's decisions, and the published
-- yearly reports.
--
-- A rollup row sums the contributions of detail rows that share its key.
-- Every contribution goes to two rows: its day's (grain 'd', day
-- 'YYYY-MM-DD', the local date in the organization's zone of the
-- message's receipt or the response's day) and its month's (grain 'm',
-- day 'YYYY-MM').  A period reads the month rows of the whole months it
-- covers and the day rows of the months it covers in part, so half a
-- year is six rows per key, whatever the traffic.  Each table is keyed
-- by the few dimensions its reports split by, never by all of them at
-- once: crossing every dimension made nearly one rollup row per
-- message, and reports as slow as reading the messages.
--
-- Keys never hold NULL (0 or '' stand for "none"), so that one key is
-- one row.  Rows whose counts fall to zero are deleted, so a rollup
-- rebuilt from the detail rows (`otklik rollup rebuild`) is identical to
-- the one kept up to date in the write transactions (rollup.c).

-- Messages (R-AN-1): how many, how answered, complaint outcomes, per
-- channel and kind.  minutes_* are registration to answer, over the
-- answered ones; on_time/late compare the answer with answer_due
-- (messages without a deadline count in neither).  minutes_max is exact:
-- removing the message that held it recomputes it from the detail rows
-- of that day or month.
CREATE TABLE an_fb (
	org_id		INTEGER NOT NULL,
	grain		TEXT NOT NULL,
	day		TEXT NOT NULL,
	client		TEXT NOT NULL,
	channel		TEXT NOT NULL,
	kind		TEXT NOT NULL,
	messages	INTEGER NOT NULL,
	answered	INTEGER NOT NULL,
	on_time		INTEGER NOT NULL,
	late		INTEGER NOT NULL,
	minutes_sum	INTEGER NOT NULL,
	minutes_max	INTEGER NOT NULL,
	satisfied	INTEGER NOT NULL,
	unsatisfied	INTEGER NOT NULL,
	PRIMARY KEY (org_id, grain, day, client, channel, kind)
) WITHOUT ROWID;

-- The mergeable histogram of time to answer: bucket b counts answers of
-- m minutes with rollup_bucket(m) = b (rollup.h states the bound).
CREATE TABLE an_fb_hist (
	org_id		INTEGER NOT NULL,
	grain		TEXT NOT NULL,
	day		TEXT NOT NULL,
	client		TEXT NOT NULL,
	channel		TEXT NOT NULL,
	bucket		INTEGER NOT NULL,
	n		INTEGER NOT NULL,
	PRIMARY KEY (org_id, grain, day, client, channel, bucket)
) WITHOUT ROWID;

-- Topics and reasons (R-AN-1: the main reasons, responses per topic).
-- negative counts complaints, messages rated 1–2 and cases the client
-- said were not solved.
CREATE TABLE an_topic (
	org_id		INTEGER NOT NULL,
	grain		TEXT NOT NULL,
	day		TEXT NOT NULL,
	client		TEXT NOT NULL,
	topic_id	INTEGER NOT NULL,
	reason_id	INTEGER NOT NULL,
	messages	INTEGER NOT NULL,
	complaints	INTEGER NOT NULL,
	negative	INTEGER NOT NULL,
	unsatisfied	INTEGER NOT NULL,
	PRIMARY KEY (org_id, grain, day, client, topic_id, reason_id)
) WITHOUT ROWID;

-- Messages per touchpoint and problem, the raw material of the pain map
-- (R-AN-4): problem is the id of the message's reason, else of its
-- topic, else 0 (unclassified; counted as contacts only).
CREATE TABLE an_tp (
	org_id		INTEGER NOT NULL,
	grain		TEXT NOT NULL,
	day		TEXT NOT NULL,
	client		TEXT NOT NULL,
	touchpoint_id	INTEGER NOT NULL,
	problem		INTEGER NOT NULL,
	messages	INTEGER NOT NULL,
	complaints	INTEGER NOT NULL,
	negative	INTEGER NOT NULL,
	unsatisfied	INTEGER NOT NULL,
	PRIMARY KEY (org_id, grain, day, client, touchpoint_id, problem)
) WITHOUT ROWID;

-- Standards compliance (R-AN-3): of the messages a standard applies to,
-- how many kept it and how many broke it; a standard still running
-- counts in neither.
CREATE TABLE an_std (
	org_id		INTEGER NOT NULL,
	grain		TEXT NOT NULL,
	day		TEXT NOT NULL,
	client		TEXT NOT NULL,
	channel		TEXT NOT NULL,
	unit_id		INTEGER NOT NULL,
	standard	TEXT NOT NULL,
	kept		INTEGER NOT NULL,
	breached	INTEGER NOT NULL,
	PRIMARY KEY (org_id, grain, day, client, channel, unit_id, standard)
) WITHOUT ROWID;

-- Survey ratings (R-AN-2): per rating question, the 1–5 distribution,
-- once over all answers (dim 'all', value '') and once per value of
-- each dimension a report splits by:
--   'touchpoint'  the touchpoint's id; 'online' or 'paper' for an answer
--                 given at none (a survey link, a paper form)
--   'service', 'situation'  the name, when the response has one
--   'segment'     the option chosen for the question coded 'segment'
--   'form'        the form of interaction the instrument asks about (its
--                 standard: 'service', 'appeals', 'information',
--                 'internal'), when it has one
-- A dimension the response has no value for gets no row: "not given" is
-- the 'all' row less the others.
CREATE TABLE an_srv (
	org_id		INTEGER NOT NULL,
	grain		TEXT NOT NULL,
	day		TEXT NOT NULL,
	client		TEXT NOT NULL,
	dim		TEXT NOT NULL,
	value		TEXT NOT NULL,
	question	TEXT NOT NULL,
	n		INTEGER NOT NULL,
	r1		INTEGER NOT NULL,
	r2		INTEGER NOT NULL,
	r3		INTEGER NOT NULL,
	r4		INTEGER NOT NULL,
	r5		INTEGER NOT NULL,
	PRIMARY KEY (org_id, grain, dim, day, client, value, question)
) WITHOUT ROWID;

-- A problem of the pain map (R-AN-4).  source and ref say where the
-- signals come from: 'topic' (ref: fb_topic id of a topic or reason),
-- 'rating' (ref: the question code rated low), 'manual' (entered by the
-- working group).  The figures are recomputed for the period shown; what
-- is stored is what people decide: cause, measure, unit, due date, state.
CREATE TABLE an_pain (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES org(id),
	client		TEXT NOT NULL CHECK (client IN ('external',
			    'internal')),
	touchpoint_id	INTEGER REFERENCES touchpoint(id),
	source		TEXT NOT NULL CHECK (source IN ('topic', 'rating',
			    'manual')),
	ref		TEXT NOT NULL,
	title		TEXT NOT NULL,
	segment		TEXT NOT NULL DEFAULT '',
	journey_step	TEXT NOT NULL DEFAULT '',
	cause		TEXT NOT NULL DEFAULT '',
	measure		TEXT NOT NULL DEFAULT '',
	unit_id		INTEGER REFERENCES unit(id),
	due		TEXT,
	state		TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open',
			    'planned', 'in_work', 'done', 'rejected')),
	created_at	BIGINT NOT NULL,
	updated_at	BIGINT NOT NULL,
	updated_by	TEXT NOT NULL
);
CREATE UNIQUE INDEX an_pain_key ON an_pain (org_id, client,
    COALESCE(touchpoint_id, 0), source, ref);

-- The working group's decision on the order of reengineering
-- [003 §3.3–3.4]: the ranked problems as they stood (ranking, a JSON
-- array of {"pain": id, "rank": n, "score": s}), the period they were
-- ranked on, and the minutes' reference.
CREATE TABLE an_pain_decision (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES org(id),
	client		TEXT NOT NULL,
	period		TEXT NOT NULL,
	ranking		TEXT NOT NULL,
	minutes_ref	TEXT NOT NULL,
	note		TEXT NOT NULL DEFAULT '',
	decided_at	BIGINT NOT NULL,
	decided_by	TEXT NOT NULL
);
CREATE INDEX an_pain_decision_org ON an_pain_decision (org_id, decided_at);

-- A published yearly report (R-AN-6): the report's JSON (report.h) as it
-- stood when published, suppression applied, so the public page shows
-- what was approved and not figures that move.  Publishing again for the
-- same year replaces it.
CREATE TABLE an_publication (
	org_id		INTEGER NOT NULL REFERENCES org(id),
	year		INTEGER NOT NULL,
	body		TEXT NOT NULL,
	summary		TEXT NOT NULL DEFAULT '',
	published_at	BIGINT NOT NULL,
	published_by	TEXT NOT NULL,
	PRIMARY KEY (org_id, year)
);

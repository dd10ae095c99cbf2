#!/bin/sh
# otklik demo generate: the counts asked for, rows that hold together
# (codes, times, states, outcomes, conditional questions), the same data
# for the same seed and other data for another, rollups equal to those
# "otklik rollup rebuild" makes, one audit entry, options checked by name,
# and the report runs on what it made.
. "$SRCDIR/tests/lib.sh"

# Wednesday 15 July 2026, noon in Moscow.
export OTKLIK_NOW=2026-07-15T09:00:00Z
otk init >/dev/null
otk org add moh --name 'Министерство здравоохранения' --tz Europe/Moscow >/dev/null
otk --org moh registry import "$FIX/registry-001.csv" >/dev/null 2>&1
export OTKLIK_ORG=moh
cp "$T/test.db" "$T/fresh.db"
q() { sqlite3 "$OTKLIK_DB" "$1"; }
# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: expected $2, got $3"
	ok
}
# expect_between WHAT LOW HIGH ACTUAL (numbers, awk compares)
expect_between() {
	awk -v a="$4" -v l="$2" -v h="$3" 'BEGIN { exit !(a >= l && a <= h) }' ||
	    fail "$1: $4 is not within $2..$3"
	ok
}

# Options are checked and named; nothing is written.
expect_exit 0 otk demo generate --help
expect_grep '^  --messages N ' "$T/out"
expect_exit 64 otk demo generate --messages lots
expect_grep '--messages' "$T/err"
expect_exit 64 otk demo generate --messages 100000001
expect_grep "--messages: '100000001' is not a whole number from 0 to 100000000" "$T/err"
expect_exit 64 otk demo generate --messages 10 --answers -5
expect_grep '--answers' "$T/err"
expect_exit 64 otk demo generate --messages 10 --seed x
expect_grep '--seed' "$T/err"
expect_exit 64 otk demo generate --messages 10 --from 2026-13-01
expect_grep '--from' "$T/err"
expect_exit 64 otk demo generate --messages 10 --to 2026-08-01
expect_grep '--to' "$T/err"
expect_exit 64 otk demo generate --messages 10 --from 2026-07-01 --to 2026-06-01
expect_grep '--from' "$T/err"
expect_exit 64 otk demo generate
expect_grep '--messages' "$T/err"
expect_eq 'messages after refusals' 0 "$(q 'SELECT count(*) FROM fb_message')"

# 3,000 messages and 2,000 answers; not a terminal: one summary line,
# no progress bar.
expect_exit 0 otk demo generate --messages 3000 --answers 2000 --seed 7
expect_grep '^demo: 3000 messages and 2000 survey answers .* for moh from 2025-07-16 to 2026-07-15, seed 7' "$T/out"
[ ! -s "$T/err" ] || { cat "$T/err" >&2; fail "demo generate wrote to stderr"; }
ok
expect_eq 'messages' 3000 "$(q 'SELECT count(*) FROM fb_message')"
expect_eq 'responses' 2000 "$(q 'SELECT count(*) FROM srv_response')"

# Codes: unique, all "U…", never the alphabet of real codes; no contacts.
expect_eq 'codes' 3000 "$(q "SELECT count(DISTINCT code) FROM fb_message WHERE code GLOB 'U[0-9A-Z][0-9A-Z][0-9A-Z]-[0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z]'")"
expect_eq 'contacts' 0 "$(q 'SELECT count(*) FROM fb_message WHERE contact_id IS NOT NULL')"
expect_eq 'fb_contact rows' 0 "$(q 'SELECT count(*) FROM fb_contact')"
# Within the period and not after now; times in their order.
now=$(date -u -d 2026-07-15T09:00:00Z +%s)
expect_eq 'received outside the period' 0 "$(q "SELECT count(*) FROM fb_message WHERE received_at < strftime('%s', '2025-07-15T21:00:00Z') OR received_at > $now")"
expect_eq 'times out of order' 0 "$(q "SELECT count(*) FROM fb_message WHERE registered_at < received_at OR coalesce(acknowledged_at, registered_at) < registered_at OR coalesce(answered_at, $now) < coalesce(acknowledged_at, registered_at) OR coalesce(closed_at, $now) < coalesce(answered_at, registered_at) OR coalesce(closed_at, answered_at, acknowledged_at, 0) > $now")"
# States follow the stamps; complaints closed with an outcome, others not.
expect_eq 'states' 0 "$(q "SELECT count(*) FROM fb_message WHERE (state = 'closed') != (closed_at IS NOT NULL) OR (state = 'answered' AND answered_at IS NULL) OR (state IN ('registered', 'acknowledged', 'in_work') AND answered_at IS NOT NULL)")"
expect_eq 'outcomes' 0 "$(q "SELECT count(*) FROM fb_message WHERE (outcome IS NOT NULL) != (kind = 'complaint' AND state = 'closed')")"
expect_between 'closed, %' 80 99 "$(q "SELECT 100.0 * sum(state = 'closed') / count(*) FROM fb_message")"
expect_between 'open' 1 600 "$(q "SELECT count(*) FROM fb_message WHERE state != 'closed'")"
expect_between 'external, %' 80 90 "$(q "SELECT 100.0 * sum(client = 'external') / count(*) FROM fb_message")"
expect_between 'satisfied complaints, %' 55 85 "$(q "SELECT 100.0 * sum(outcome = 'satisfied') / count(*) FROM fb_message WHERE outcome IS NOT NULL")"
# Deadlines mostly met, some late.
expect_between 'late answers, %' 1 15 "$(q "SELECT 100.0 * sum(answered_at > answer_due) / count(*) FROM fb_message WHERE answered_at IS NOT NULL AND answer_due IS NOT NULL")"
# Channels, touchpoints and topics of the organization.
expect_eq 'channels without a touchpoint of theirs' 0 "$(q "SELECT count(*) FROM fb_message m WHERE m.touchpoint_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM touchpoint_rev r WHERE r.touchpoint_id = m.touchpoint_id AND r.channel = m.channel)")"
expect_eq 'messages without a touchpoint' 0 "$(q 'SELECT count(*) FROM fb_message WHERE touchpoint_id IS NULL')"
expect_between 'topics used' 5 20 "$(q 'SELECT count(DISTINCT topic_id) FROM fb_message')"
expect_eq 'topic of another kind' 0 "$(q "SELECT count(*) FROM fb_message m JOIN fb_topic t ON t.id = m.topic_id WHERE t.kind != 'topic'")"
# Working hours: most messages of working channels in 9–18 Moscow time.
expect_between 'phone calls in working hours, %' 95 100 "$(q "SELECT 100.0 * sum(CAST(strftime('%H', received_at + 10800, 'unixepoch') AS INTEGER) BETWEEN 9 AND 17) / count(*) FROM fb_message WHERE channel = 'phone'")"
expect_eq 'transfers off the phone' 0 "$(q "SELECT count(*) FROM fb_message WHERE transfers > 0 AND channel NOT IN ('phone', 'callcentre')")"
expect_eq 'waits off the reception' 0 "$(q "SELECT count(*) FROM fb_message WHERE wait_minutes IS NOT NULL AND channel != 'reception'")"
expect_between 'waits at the reception' 1 3000 "$(q "SELECT count(*) FROM fb_message WHERE wait_minutes IS NOT NULL")"
# Seasons: October brings more than August.
expect_between 'October / August' 1.3 3 "$(q "SELECT 1.0 * sum(strftime('%m', received_at, 'unixepoch') = '10') / sum(strftime('%m', received_at, 'unixepoch') = '08') FROM fb_message")"

# Survey answers: the booking rated only after booked = yes, paper forms
# for external instruments only, a segment chosen, no free text.
expect_eq 'booking without booked=yes' 0 "$(q "SELECT count(*) FROM srv_answer a WHERE a.question = 'booking' AND NOT EXISTS (SELECT 1 FROM srv_answer b WHERE b.response_id = a.response_id AND b.question = 'booked' AND b.choice = 'yes')")"
expect_between 'booking ratings' 100 2000 "$(q "SELECT count(*) FROM srv_answer WHERE question = 'booking'")"
expect_eq 'ratings outside 1-5' 0 "$(q "SELECT count(*) FROM srv_answer WHERE rating IS NOT NULL AND rating NOT BETWEEN 1 AND 5")"
expect_eq 'free texts' 0 "$(q "SELECT count(*) FROM srv_answer WHERE text IS NOT NULL")"
expect_between 'segments' 500 2000 "$(q "SELECT count(*) FROM srv_answer WHERE question = 'segment'")"
expect_between 'paper forms' 50 400 "$(q "SELECT count(*) FROM srv_response WHERE offline = 1")"
expect_eq 'paper forms of the internal survey' 0 "$(q "SELECT count(*) FROM srv_response r JOIN srv_instrument i ON i.id = r.instrument_id WHERE i.client = 'internal' AND r.offline = 1")"
expect_eq 'answers of every standard survey' 4 "$(q 'SELECT count(DISTINCT instrument_id) FROM srv_response')"
# A weak spot: the booking is rated lower than the overall satisfaction.
expect_between 'booking below overall' 0.3 3 "$(q "SELECT (SELECT avg(rating) FROM srv_answer WHERE question = 'overall') - (SELECT avg(rating) FROM srv_answer WHERE question = 'booking')")"

# One audit entry with the counts and the seed; the chain holds.
expect_eq 'audit entries' 1 "$(q "SELECT count(*) FROM audit WHERE action = 'demo.generate'")"
q "SELECT after_json FROM audit WHERE action = 'demo.generate'" >"$T/audit"
expect_grep '"answers":2000,.*"messages":3000,.*"seed":7' "$T/audit"
expect_exit 0 otk audit verify

# The rollups equal those rebuilt from the detail rows.
dump() {
	for t in an_fb an_fb_hist an_topic an_tp an_std an_srv; do
		sqlite3 "$OTKLIK_DB" "SELECT '$t', * FROM $t ORDER BY 1, 2, 3, 4, 5, 6, 7"
	done
}
dump >"$T/rollups.1"
[ "$(wc -l <"$T/rollups.1")" -gt 100 ] || fail "the rollups are nearly empty"
ok
expect_exit 0 otk rollup rebuild
dump >"$T/rollups.2"
expect_same "$T/rollups.1" "$T/rollups.2"

# The report runs on it and counts the same messages.
expect_exit 0 otk report --period 2026H1 --format json
jq -e . "$T/out" >/dev/null || fail "the report is not JSON"
ok

# The same seed on the same database: the same rows; another seed: not.
sig() {
	sqlite3 "$1" "SELECT code, channel, kind, client, form, touchpoint_id, topic_id, reason_id, text, rating, state, outcome, received_at, registered_at, acknowledged_at, in_work_at, answered_at, closed_at, ack_due, answer_due, unit_id, transfers, wait_minutes, solved FROM fb_message ORDER BY id; SELECT r.id, instrument_id, touchpoint_id, day, offline, question, rating, choice FROM srv_response r JOIN srv_answer a ON a.response_id = r.id ORDER BY r.id, a.rowid" | md5sum
}
cp "$T/fresh.db" "$T/again.db"
cp "$T/fresh.db" "$T/other.db"
expect_exit 0 otk --db "$T/again.db" demo generate --messages 3000 --answers 2000 --seed 7
expect_exit 0 otk --db "$T/other.db" demo generate --messages 3000 --answers 2000 --seed 8
expect_eq 'the same seed' "$(sig "$OTKLIK_DB")" "$(sig "$T/again.db")"
[ "$(sig "$OTKLIK_DB")" != "$(sig "$T/other.db")" ] || fail "seed 8 made the same rows as seed 7"
ok

# A second run adds to the first with codes of its own.
expect_exit 0 otk demo generate --messages 500 --seed 7 --from 2026-07-01
expect_eq 'messages after a second run' 3500 "$(q 'SELECT count(*) FROM fb_message')"
expect_eq 'codes after a second run' 3500 "$(q 'SELECT count(DISTINCT code) FROM fb_message')"
expect_eq 'audit entries after a second run' 2 "$(q "SELECT count(*) FROM audit WHERE action = 'demo.generate'")"

# An organization without topics gets a small dictionary; answers need
# a published standard survey (every organization has them).
otk org add gkk --name 'Госкомитет' >/dev/null
expect_exit 0 otk --org gkk demo generate --messages 200 --seed 1
expect_between 'topics added' 5 10 "$(q "SELECT count(*) FROM fb_topic t JOIN org o ON o.id = t.org_id WHERE o.slug = 'gkk' AND kind = 'topic'")"
expect_eq 'messages without a touchpoint (no registry)' 200 "$(q "SELECT count(*) FROM fb_message m JOIN org o ON o.id = m.org_id WHERE o.slug = 'gkk' AND touchpoint_id IS NULL")"

done_testing

#!/bin/sh
# The rollups of the analysis (R-AN, rollup.h) with the real binary:
# messages added, answered and closed on the command line, an import of
# messages and paper survey forms each leave the counts worked out by
# hand in the an_* tables, in a day row and a month row each;
# "rollup rebuild" (all organizations, or one) gives the very same rows
# and is audited; an unknown --org is named in the error; "init" rolls up
# the rows of a database that predates the rollups.
. "$SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed"; exit 77; }

q() { sqlite3 "$OTKLIK_DB" "$1"; }
# expect_q SQL EXPECTED: the query prints exactly that.
expect_q() {
	got=$(q "$1")
	[ "$got" = "$2" ] || fail "$1: got '$got', expected '$2'"
	ok
}
dump() {
	for t in "an_fb ORDER BY org_id, grain, day, client, channel, kind" \
	    "an_fb_hist ORDER BY org_id, grain, day, client, channel, bucket" \
	    "an_topic ORDER BY org_id, grain, day, client, topic_id, reason_id" \
	    "an_tp ORDER BY org_id, grain, day, client, touchpoint_id, problem" \
	    "an_std ORDER BY org_id, grain, day, client, channel, unit_id, standard" \
	    "an_srv ORDER BY org_id, grain, dim, day, client, value, question"; do
		echo "== $t"
		q "SELECT * FROM $t"
	done
}
at() { OTKLIK_NOW=$1; export OTKLIK_NOW; }

# Monday 2 March 2026, 10:00 in Moscow.
at 2026-03-02T07:00:00Z
otk init >/dev/null
otk org add moh --name 'Минздрав' --tz Europe/Moscow >/dev/null
otk org add edu --name 'Минобрнауки' --tz Asia/Vladivostok >/dev/null

otk --org moh feedback add --channel email --kind appeal 'Прошу разъяснить' >/dev/null
otk --org moh feedback add --channel site --kind complaint 'Нагрубили' >/dev/null
otk --org moh feedback add --channel phone --kind request --transfers 3 'Справка' >/dev/null
otk --org moh feedback add --channel reception --kind request --wait-minutes 10 'Запись' >/dev/null
# 01:30 on 2 March in Moscow, still 1 March in UTC: the local day counts.
otk --org moh feedback add --channel email --kind proposal \
    --received 2026-03-01T22:30:00Z 'Продлите часы' >/dev/null
otk --org edu feedback add --channel email --kind appeal 'Вопрос' >/dev/null

at 2026-03-02T08:00:00Z
otk --org moh feedback ack 1 >/dev/null
otk --org moh feedback take 2 >/dev/null
otk --org moh feedback take 3 >/dev/null
at 2026-03-02T09:00:00Z
otk --org moh feedback take 1 >/dev/null
otk --org moh feedback answer 1 --text 'Ответ' >/dev/null
otk --org moh feedback answer 2 --text 'Ответ' >/dev/null
at 2026-03-02T09:45:00Z
otk --org moh feedback answer 3 --text 'Ответ' >/dev/null
otk --org moh feedback close 2 --outcome unsatisfied >/dev/null

# an_fb: grain, day, key, then messages answered on_time late
# minutes_sum minutes_max satisfied unsatisfied; the day's row and the
# month's.
expect_q "SELECT grain, day, client, kind, messages, answered, on_time,
    late, minutes_sum, minutes_max, satisfied, unsatisfied FROM an_fb
    WHERE org_id = 1 AND channel = 'email' AND kind = 'appeal'
    ORDER BY grain" 'd|2026-03-02|external|appeal|1|1|1|0|120|120|0|0
m|2026-03|external|appeal|1|1|1|0|120|120|0|0'
expect_q "SELECT grain, messages, answered, minutes_sum, unsatisfied
    FROM an_fb WHERE channel = 'site' ORDER BY grain" 'd|1|1|120|1
m|1|1|120|1'
expect_q "SELECT messages, answered, minutes_sum FROM an_fb
    WHERE channel = 'phone' AND grain = 'd'" '1|1|165'
expect_q "SELECT messages, answered FROM an_fb WHERE channel = 'reception'
    AND grain = 'd'" '1|0'
expect_q "SELECT grain, day FROM an_fb WHERE kind = 'proposal'
    ORDER BY grain" 'd|2026-03-02
m|2026-03'
expect_q "SELECT grain, SUM(messages) FROM an_fb WHERE org_id = 1
    GROUP BY grain" 'd|5
m|5'
expect_q "SELECT grain, SUM(messages) FROM an_fb WHERE org_id = 2
    GROUP BY grain" 'd|1
m|1'
# The histogram: 120 minutes twice and 165 once, in the buckets the
# formula of rollup.h gives.
b120=$(awk 'BEGIN { g = 1.02 / 0.98; k = log(120) / log(g); c = int(k); if (c < k) c++; print c + 1 }')
b165=$(awk 'BEGIN { g = 1.02 / 0.98; k = log(165) / log(g); c = int(k); if (c < k) c++; print c + 1 }')
for g in d m; do
	expect_q "SELECT bucket, SUM(n) FROM an_fb_hist WHERE org_id = 1 AND
	    grain = '$g' GROUP BY bucket ORDER BY bucket" \
	    "$b120|2
$b165|1"
done
# Topics: the complaint is negative and unsatisfied; none has a topic
# yet, nor a touchpoint, so an_tp counts them all under 0 and 0.
expect_q "SELECT grain, topic_id, reason_id, SUM(messages), SUM(complaints),
    SUM(negative), SUM(unsatisfied) FROM an_topic WHERE org_id = 1
    GROUP BY grain" 'd|0|0|5|1|1|1
m|0|0|5|1|1|1'
expect_q "SELECT grain, day, touchpoint_id, problem, messages, complaints,
    negative, unsatisfied FROM an_tp WHERE org_id = 1 ORDER BY grain" \
    'd|2026-03-02|0|0|5|1|1|1
m|2026-03|0|0|5|1|1|1'
# Standards: acknowledged in an hour, the complaint acknowledged by its
# answer, answers within 30 days, three phone transfers (limit 2), a
# 10-minute wait (limit 15); the unanswered proposal is still running.
expect_q "SELECT channel, standard, kept, breached FROM an_std
    WHERE org_id = 1 AND grain = 'd' ORDER BY channel, standard" 'email|ack_written|1|0
email|answer_59fz|1|0
phone|answer_59fz|1|0
phone|phone_transfers|0|1
reception|reception_wait|1|0
site|ack_written|1|0
site|answer_59fz|1|0'

expect_q "SELECT channel, standard, kept, breached FROM an_std
    WHERE org_id = 1 AND grain = 'm' AND day = '2026-03' AND
    standard = 'phone_transfers'" 'phone|phone_transfers|0|1'

# Paper survey forms: counts per rating, once over all, once under the
# touchpoint ('paper': given at none, on paper), and under the service,
# the segment and the form of the standard instrument where the form
# has them.
cat >"$T/paper.csv" <<'EOF'
paper_ref,day,service,booked,access,clarity,informing,documents,speed,overall,segment
Б-1,2026-02-10,Выдача справки,no,5,4,3,5,5,4,citizen
Б-2,2026-02-10,Выдача справки,no,2,4,3,5,1,4,citizen
Б-3,2026-02-11,,yes,5,5,5,5,5,5,
EOF
expect_exit 0 otk --org moh survey import-offline services "$T/paper.csv"
expect_q "SELECT client, dim, value, n, r1, r2, r3, r4, r5 FROM an_srv
    WHERE grain = 'd' AND day = '2026-02-10' AND question = 'access'
    ORDER BY dim" 'external|all||2|0|1|0|0|1
external|form|service|2|0|1|0|0|1
external|segment|citizen|2|0|1|0|0|1
external|service|Выдача справки|2|0|1|0|0|1
external|touchpoint|paper|2|0|1|0|0|1'
expect_q "SELECT dim, value, n, r5 FROM an_srv WHERE grain = 'd' AND
    day = '2026-02-11' AND question = 'overall' ORDER BY dim" 'all||1|1
form|service|1|1
touchpoint|paper|1|1'
expect_q "SELECT dim, value, n, r4, r5 FROM an_srv WHERE grain = 'm' AND
    day = '2026-02' AND question = 'overall' ORDER BY dim" 'all||3|2|1
form|service|3|2|1
segment|citizen|2|2|0
service|Выдача справки|2|2|0
touchpoint|paper|3|2|1'
for g in d m; do
	expect_q "SELECT SUM(n) FROM an_srv WHERE grain = '$g' AND dim = 'all'" \
	    "$(q "SELECT COUNT(*) FROM srv_answer WHERE rating IS NOT NULL")"
done

# An import writes the messages' times after registering them.
expect_exit 0 otk --org moh feedback import --create-topics "$FIX/feedback-canonical.csv"
expect_q "SELECT SUM(messages) FROM an_fb WHERE org_id = 1 AND grain = 'd'" 13
expect_q "SELECT SUM(messages) FROM an_fb WHERE org_id = 1 AND grain = 'm'" 13
expect_q "SELECT SUM(answered) FROM an_fb WHERE org_id = 1 AND grain = 'm'" \
    "$(q "SELECT COUNT(*) FROM fb_message WHERE org_id = 1 AND answered_at IS NOT NULL")"
# The problem of a message in an_tp is its reason, else its topic.
expect_q "SELECT problem, SUM(messages) FROM an_tp WHERE org_id = 1 AND
    grain = 'd' GROUP BY problem ORDER BY problem" \
    "$(q "SELECT COALESCE(NULLIF(reason_id, 0), NULLIF(topic_id, 0), 0),
    COUNT(*) FROM fb_message WHERE org_id = 1 GROUP BY 1 ORDER BY 1")"
[ "$(q "SELECT COUNT(DISTINCT problem) FROM an_tp WHERE org_id = 1")" -gt 2 ] ||
    fail "the import's topics and reasons are not problems in an_tp"
ok

# Rebuilt, every rollup row is the same.
dump >"$T/incremental"
expect_exit 0 otk rollup rebuild
expect_grep '^all organizations: read 14 messages and 3 responses, wrote [0-9]+ rollup rows in [0-9.]+ s$' "$T/out"
[ -s "$T/err" ] && fail "progress on a pipe: $(cat "$T/err")"
ok
dump >"$T/rebuilt"
expect_same "$T/incremental" "$T/rebuilt"
expect_exit 0 otk rollup rebuild --org edu
expect_grep '^edu: read 1 messages and 0 responses' "$T/out"
dump >"$T/rebuilt"
expect_same "$T/incremental" "$T/rebuilt"
expect_exit 0 otk audit list
expect_grep 'rollup.rebuild' "$T/out"
expect_exit 66 otk rollup rebuild --org nope
expect_grep "no organization 'nope'" "$T/err"
expect_exit 64 otk rollup rebuild extra

# A reopened case keeps its answer until the next; answered again later,
# its minutes move, and a rebuild still agrees.
at 2026-03-02T10:00:00Z
otk --org moh feedback reopen 2 >/dev/null
at 2026-03-02T12:00:00Z
otk --org moh feedback answer 2 --text 'Ещё ответ' >/dev/null
expect_q "SELECT minutes_sum, minutes_max, unsatisfied FROM an_fb
    WHERE channel = 'site' AND grain = 'd' AND day = '2026-03-02'" '300|300|0'
dump >"$T/incremental"
otk rollup rebuild >/dev/null
dump >"$T/rebuilt"
expect_same "$T/incremental" "$T/rebuilt"

# A tighter standard judges every message again: the answers
# given later than a day after registration now count as breached,
# with no rebuild by hand.
kept=$(q "SELECT SUM(kept) FROM an_std WHERE org_id = 1 AND grain = 'd' AND standard = 'answer_59fz'")
expect_exit 0 otk --org moh standard set --amount 1 --unit days answer_59fz
[ "$(q "SELECT SUM(kept) FROM an_std WHERE org_id = 1 AND grain = 'd' AND standard = 'answer_59fz'")" -lt "$kept" ] ||
    fail "a tighter answer standard kept $kept answers"
ok
dump >"$T/incremental"
otk rollup rebuild >/dev/null
dump >"$T/rebuilt"
expect_same "$T/incremental" "$T/rebuilt"

# A database from before the rollups: init brings them and rolls up the
# rows already there.
if [ "$(q 'SELECT MAX(version) FROM schema_migration')" = 6 ]; then
	q "DROP TABLE an_fb; DROP TABLE an_fb_hist; DROP TABLE an_topic;
	    DROP TABLE an_tp; DROP TABLE an_std; DROP TABLE an_srv;
	    DROP TABLE an_pain_decision;
	    DROP TABLE an_publication; DROP TABLE an_pain;
	    DELETE FROM schema_migration WHERE version = 6"
	expect_exit 0 otk init
	expect_grep '^rolled up 14 messages and 3 responses into [0-9]+ rollup rows$' "$T/out"
	dump >"$T/rebuilt"
	expect_same "$T/incremental" "$T/rebuilt"
	expect_exit 0 otk init
	expect_no_grep 'rolled up' "$T/out"
	echo "init rolled up the old database"
fi

echo "ok $checks checks"

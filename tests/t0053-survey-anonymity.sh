#!/bin/sh
# Anonymity of answers (R-SRV-3): a respondent with a distinctive browser
# answers every survey from 127.0.0.1, signed in as staff even, with and
# without an invitation, with mistakes and without; then no row of any
# table holds the address, the browser or the person; the access log's
# lines of the survey pages hold neither the address nor the login, while
# other pages' lines still do (so this test can fail); /metrics holds
# neither; an answer keeps its day and no time.
. "$SRCDIR/tests/lib.sh"
command -v curl >/dev/null || fail "curl needed"
command -v sqlite3 >/dev/null || fail "sqlite3 needed"

UA='Otklik-Probe/7.3 (anonymity-check; X11) Gecko/20100101 Q9ZX'
otk init >/dev/null
otk org add gkk --name 'Госкомитет' --tz Asia/Yekaterinburg >/dev/null
otk --org gkk registry import --client internal "$FIX/registry-001.csv" >/dev/null
otk --org gkk registry publish >/dev/null
printf 'correct horse battery staple\n' | otk --org gkk user add anketa \
    --name 'Анна Респондентова' --role operator >/dev/null
# The access log goes to serve.err.
serve_start

sql() { sqlite3 "$OTKLIK_DB" "$1"; }
c() { curl -s -A "$UA" -o "$T/raw" -w '%{http_code}' "$@"; }
expect_code() {
	[ "$1" = "$2" ] || { cat "$T/raw" >&2; fail "$3: HTTP $1, expected $2"; }
	ok
}

EXT='q.needs=other&q.booked=yes&q.access=2&q.clarity=4&q.booking=4&q.informing=5&q.documents=4&q.speed=5&q.overall=3&q.segment=citizen'
INT='q.career=5&q.workplace=4&q.automation=4&q.regulation=3&q.manager=5&q.cooperation=4&q.hr=4&q.colleagues=5&q.overall=4'
# answer_all [CURL OPTIONS]: every page of every survey, a mistake and
# an answer each, the invitation's form and answer.
answer_all() {
	for code in services appeals information; do
		expect_code "$(c "$@" "$URL/gkk/s/$code")" 200 "the form of $code"
		expect_code "$(c "$@" -d 'q.access=7' "$URL/gkk/s/$code")" 400 "a mistake on $code"
		expect_code "$(c "$@" -d "$EXT" --data-urlencode "q.proposals=Предложение $code" "$URL/gkk/s/$code")" 303 "an answer to $code"
		expect_code "$(c "$@" "$URL/gkk/s/$code/thanks")" 200 "thanks for $code"
	done
	tok=$(otk --org gkk survey invite --count 1 internal)
	expect_code "$(c "$@" "$URL/gkk/s/internal?k=$tok")" 200 "the invitation's form"
	expect_code "$(c "$@" -d "$INT" -d "k=$tok" "$URL/gkk/s/internal")" 303 "an invited answer"
	expect_code "$(c "$@" "$URL/gkk/s/")" 200 "the list"
	expect_code "$(c "$@" "$URL/gkk/s/services/qr.svg")" 200 "the QR code"
	expect_code "$(c "$@" "$URL/gkk/s/services/poster")" 200 "the poster"
	echo "$tok" >>"$T/tokens"
}

# Anonymous respondents.
answer_all
[ "$(sql 'SELECT count(*) FROM srv_response')" = 4 ] || fail "the answers were not stored"
ok
expect_code "$(curl -s -o "$T/metrics" -w '%{http_code}' "$URL/metrics")" 200 "/metrics"

# No row of any table holds the address, the browser or an invitation.
sqlite3 "$OTKLIK_DB" .dump >"$T/dump"
expect_no_grep '127\.0\.0\.1' "$T/dump"
expect_no_grep 'Otklik-Probe|Q9ZX|anonymity-check|Gecko' "$T/dump"
expect_no_grep "$(cat "$T/tokens")" "$T/dump"
# An answer keeps a day and no time: no column of the answers is a
# moment, and the day is a date.
sql 'PRAGMA table_info(srv_response)' >"$T/cols"
sql 'PRAGMA table_info(srv_answer)' >>"$T/cols"
expect_no_grep '_at\||time|remote|agent|session|ip\|' "$T/cols"
[ "$(sql "SELECT count(*) FROM srv_response WHERE day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'")" = 4 ] ||
	fail "a response's day is not a date: $(sql 'SELECT day FROM srv_response')"
ok
# Using the invitation left no time and no link: used is a flag.
[ "$(sql 'SELECT used FROM srv_invite')" = 1 ] || fail "the invitation is not used"
ok
sql 'PRAGMA table_info(srv_invite)' >"$T/cols"
expect_no_grep 'used_at|response' "$T/cols"

# A member of staff signed in answers too (the internal survey is for
# them): the survey pages do not even look at the session.  Signing in
# records its own address (the throttle's login_attempt, the session,
# the audit entry of the sign-in: R-ORG-4), and those are the only rows
# where an address may be.
expect_code "$(c -c "$T/jar" -H "Origin: $URL" -d login=anketa \
    --data-urlencode "password=correct horse battery staple" "$URL/login")" 303 "signing in"
answer_all -b "$T/jar"
expect_code "$(c -b "$T/jar" "$URL/gkk/cases")" 200 "a staff page"
[ "$(sql 'SELECT count(*) FROM srv_response')" = 8 ] || fail "the staff member's answers were not stored"
ok
serve_stop
sqlite3 "$OTKLIK_DB" .dump >"$T/dump"
expect_grep '^INSERT INTO login_attempt .*127\.0\.0\.1' "$T/dump"
grep -v -E "^INSERT INTO (login_attempt|staff_session) |'session\.login','staff:anketa'" \
    "$T/dump" >"$T/dump.rest"
expect_no_grep '127\.0\.0\.1' "$T/dump.rest"
expect_no_grep 'Otklik-Probe|Q9ZX|anonymity-check|Gecko' "$T/dump"
[ "$(sql "SELECT count(*) FROM audit WHERE actor IN ('anketa', 'site') AND action <> 'session.login'")" = 0 ] ||
	fail "the audit log names the respondent"
ok

# The access log: the survey pages' lines name neither the address nor
# the person; the staff page's line names both.
grep ' "[A-Z]* /gkk/s' "$T/serve.err" >"$T/survey.log" || true
[ "$(wc -l <"$T/survey.log")" -ge 10 ] || { cat "$T/serve.err" >&2; fail "the survey pages are not in the access log"; }
ok
# An answer (a POST) leaves no line at all: its time next to the order
# of the answers' numbers would date each answer.
expect_no_grep '"POST /gkk/s' "$T/survey.log"
expect_no_grep '127\.0\.0\.1' "$T/survey.log"
expect_no_grep 'anketa' "$T/survey.log"
expect_no_grep 'Otklik-Probe|Q9ZX' "$T/serve.err"
expect_no_grep "$(cat "$T/tokens")" "$T/serve.err"
while read -r when addr login rest; do
	[ "$addr" = - ] && [ "$login" = - ] || fail "a survey line names someone: $when $addr $login $rest"
done <"$T/survey.log"
ok
expect_grep '127\.0\.0\.1 anketa "GET /gkk/cases"' "$T/serve.err"
# Nothing else the server wrote names the address.
grep -v ' "[A-Z]* /' "$T/serve.err" >"$T/other.log" || true
expect_no_grep '127\.0\.0\.1' "$T/other.log"
# /metrics counts requests per route, never per address or browser.
expect_grep 'otklik_http_requests_total\{route="POST /\{org\}/s/\{name\}",class="3xx"\} 4' "$T/metrics"
expect_no_grep '127\.0\.0\.1|Otklik-Probe|Q9ZX|anketa' "$T/metrics"

echo "t0053: $checks checks"

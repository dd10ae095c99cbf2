#!/bin/sh
# The feedback API (POST/GET /api/v1/orgs/{org}/messages) against a real
# "otklik serve": a message is stored and acknowledged with its tracking
# code and deadlines, its status can be read by code without the text or
# the contact, an external_id sent twice is stored once; every field with
# broken UTF-8, too long, of the wrong type, with an unknown value, and
# every required field missing, and unknown members, get a 400 naming the
# field with nothing stored; the staff queue needs a session; 2,000 posts
# over 16 connections are all acknowledged and all in the database; the
# writer's counters are in /metrics; the server stops cleanly.
. "$SRCDIR/tests/lib.sh"
command -v curl >/dev/null || fail "curl needed"
command -v sqlite3 >/dev/null || fail "sqlite3 needed (scripts/deps.sh test)"
LOAD="$BUILDDIR/tests/load"
[ -x "$LOAD" ] || fail "$LOAD: build the load generator first"

PW='пароль для проверки API'
otk init >/dev/null
otk org add gkk --name 'Госкомитет' --tz Asia/Yekaterinburg >/dev/null
otk org add other --name 'Другой орган' >/dev/null
printf '%s\n' "$PW" | otk --org gkk user add oper1 --name 'Оператор' \
    --role operator >/dev/null
serve_start --quiet
M="$URL/api/v1/orgs/gkk/messages"

rows() { sqlite3 "$OTKLIK_DB" 'SELECT count(*) FROM fb_message'; }
# Everything a message writes: itself, its contact, basis and events.
all_rows() {
	sqlite3 "$OTKLIK_DB" 'SELECT (SELECT count(*) FROM fb_message) || " " ||
	    (SELECT count(*) FROM fb_contact) || " " ||
	    (SELECT count(*) FROM pd_basis) || " " ||
	    (SELECT count(*) FROM fb_event)'
}

# post JSON [URL]: the status in $code, the body in $T/body.
post() {
	printf '%s' "$1" >"$T/req.json"
	code=$(curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' \
	    -H 'Content-Type: application/json' --data-binary @"$T/req.json" \
	    "${2:-$M}")
}
get() {
	code=$(curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' "$@")
}
want() {
	[ "$code" = "$1" ] || { cat "$T/body" >&2; echo >&2; fail "HTTP $code, expected $1 (${2:-})"; }
	ok
}
# refused FIELD JSON: a 400 naming FIELD, and nothing stored.
refused() {
	before=$(all_rows)
	post "$2"
	want 400 "$1: $2"
	re=$(printf '%s' "$1" | sed 's/[].[]/\\&/g')
	grep -Eq '^\{"error":\{"status":400,"field":"'"$re"'","reason":".+"\}\}$' "$T/body" ||
	    { cat "$T/body" >&2; echo >&2; fail "not a 400 naming $1 for: $2"; }
	ok
	[ "$(all_rows)" = "$before" ] || fail "a refused message was stored: $2"
	ok
}

# A good message: 201, its code, deadlines, the Location of its page.
post '{"kind":"appeal","channel":"site","text":"Прошу разъяснить порядок записи на приём","subject":"Запись","contact":{"name":"Иван Петров","email":"ivan@example.ru"}}'
want 201
expect_grep '^\{"code":"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{6}","state":"registered","ack_due":"[0-9T:Z-]+","answer_due":"[0-9T:Z-]+","track_url":"/gkk/track/[0-9A-Z-]+","key":"[0-9a-f]{64}"\}$' "$T/body"
C1=$(sed 's/.*"code":"\([^"]*\)".*/\1/' "$T/body")
expect_grep "^Location: /gkk/track/$C1" "$T/headers"
[ "$(rows)" = 1 ] || fail "the message is not in the database"
ok
[ "$(sqlite3 "$OTKLIK_DB" "SELECT count(*) FROM fb_message m JOIN fb_contact c ON c.id = m.contact_id WHERE m.code = '$C1' AND c.email = 'ivan@example.ru'")" = 1 ] ||
    fail "the contact is not stored with the message"
ok

# Its status by code (any case, without the dash): no text, no contact.
low=$(printf '%s' "$C1" | tr 'A-Z' 'a-z' | tr -d -)
get "$M/$low"
want 200
expect_grep '"code":"'"$C1"'","kind":"appeal","state":"registered"' "$T/body"
expect_grep '"answered":false' "$T/body"
expect_no_grep 'Прошу|Иван|ivan@|"text"|"contact"' "$T/body"
# Not another organization's, not a made-up one.
get "$URL/api/v1/orgs/other/messages/$C1"
want 404
get "$M/ZZZZ-ZZZZZZ"
want 404

# A quick rating without contact; all optional fields.
post '{"kind":"comment","channel":"site","text":"Спасибо, всё быстро","client":"external","form":"service","service":"Выдача справок","situation":"Рождение ребёнка","source":"direct","received_at":"2024-05-22T10:00:00+05:00","rating":5,"contact":null}'
want 201
expect_no_grep '"key"' "$T/body"
[ "$(sqlite3 "$OTKLIK_DB" "SELECT rating || ' ' || received_at FROM fb_message WHERE service = 'Выдача справок'")" = "5 1716354000" ] ||
    fail "the optional fields were not stored as sent"
ok

# An import resent: the same external_id gives 200 and the first code.
post '{"kind":"complaint","channel":"pos","source":"pos","external_id":"POS-100","text":"Жалоба с платформы"}'
want 201
C2=$(sed 's/.*"code":"\([^"]*\)".*/\1/' "$T/body")
n=$(rows)
post '{"kind":"complaint","channel":"pos","source":"pos","external_id":"POS-100","text":"Жалоба с платформы"}'
want 200
expect_grep '"code":"'"$C2"'"' "$T/body"
[ "$(rows)" = "$n" ] || fail "a resent external_id was stored twice"
ok

# Broken UTF-8 in every text field, named.
for f in kind channel text subject client form service situation source \
    external_id received_at; do
	case $f in
	kind) j='{"kind":"a\377b","channel":"site","text":"ok"}' ;;
	channel) j='{"kind":"comment","channel":"a\377b","text":"ok"}' ;;
	text) j='{"kind":"comment","channel":"site","text":"a\377b"}' ;;
	*) j='{"kind":"comment","channel":"site","text":"ok","%s":"a\377b"}' ;;
	esac
	refused "$f" "$(printf "$j" "$f")"
done
for f in name email phone address key; do
	refused "contact.$f" "$(printf '{"kind":"appeal","channel":"site","text":"ok","contact":{"%s":"\320\277\320"}}' "$f")"
done
# Not UTF-8 in a member nobody knows: the body, the name not echoed.
refused body "$(printf '{"kind":"comment","channel":"site","text":"ok","body":"a\377b"}')"
# Too long.
long=$(head -c 20001 /dev/zero | tr '\0' 'a')
refused text '{"kind":"comment","channel":"site","text":"'"$long"'"}'
refused subject '{"kind":"comment","channel":"site","text":"ok","subject":"'"$(head -c 501 /dev/zero | tr '\0' 'b')"'"}'
refused service '{"kind":"comment","channel":"site","text":"ok","service":"'"$(head -c 1001 /dev/zero | tr '\0' 'c')"'"}'
refused external_id '{"kind":"comment","channel":"site","text":"ok","source":"pos","external_id":"'"$(head -c 201 /dev/zero | tr '\0' 'd')"'"}'
# A body over the route's 64 KiB: 413, nothing stored.
n=$(rows)
post '{"kind":"comment","channel":"site","text":"'"$(head -c 70000 /dev/zero | tr '\0' 'e')"'"}'
want 413
[ "$(rows)" = "$n" ] || fail "an oversized body was stored"
ok
# Unknown values.
refused kind '{"kind":"praise","channel":"site","text":"ok"}'
refused channel '{"kind":"comment","channel":"pigeon","text":"ok"}'
refused client '{"kind":"comment","channel":"site","text":"ok","client":"alien"}'
refused form '{"kind":"comment","channel":"site","text":"ok","form":"magic"}'
refused source '{"kind":"comment","channel":"site","text":"ok","source":"rumour"}'
refused kind '{"kind":"a-code-much-too-long-for-any-kind","channel":"site","text":"ok"}'
refused rating '{"kind":"comment","channel":"site","text":"ok","rating":6}'
refused touchpoint '{"kind":"comment","channel":"site","text":"ok","touchpoint":0}'
refused touchpoint '{"kind":"comment","channel":"site","text":"ok","touchpoint":999999}'
refused received_at '{"kind":"comment","channel":"site","text":"ok","received_at":"вчера"}'
refused received_at '{"kind":"comment","channel":"site","text":"ok","received_at":"2099-01-01T00:00:00Z"}'
refused contact.key '{"kind":"appeal","channel":"site","text":"ok","contact":{"email":"a@example.ru","key":"00"}}'
# Refused by the writer (a well-formed key nobody was given): that
# message's savepoint is rolled back, contact and all.
refused contact.key '{"kind":"appeal","channel":"site","text":"ok","contact":{"email":"a@example.ru","key":"'"$(head -c 64 /dev/zero | tr '\0' 0)"'"}}'
# Missing.
refused kind '{"channel":"site","text":"ok"}'
refused channel '{"kind":"comment","text":"ok"}'
refused text '{"kind":"comment","channel":"site"}'
refused text '{"kind":"comment","channel":"site","text":"   "}'
# Wrong types.
refused kind '{"kind":1,"channel":"site","text":"ok"}'
refused channel '{"kind":"comment","channel":["site"],"text":"ok"}'
refused text '{"kind":"comment","channel":"site","text":{"a":1}}'
refused subject '{"kind":"comment","channel":"site","text":"ok","subject":true}'
refused rating '{"kind":"comment","channel":"site","text":"ok","rating":"5"}'
refused rating '{"kind":"comment","channel":"site","text":"ok","rating":4.5}'
refused touchpoint '{"kind":"comment","channel":"site","text":"ok","touchpoint":"12"}'
refused received_at '{"kind":"comment","channel":"site","text":"ok","received_at":1716354000}'
refused contact '{"kind":"comment","channel":"site","text":"ok","contact":"ivan@example.ru"}'
refused contact.consent '{"kind":"comment","channel":"site","text":"ok","contact":{"email":"a@example.ru","consent":"yes"}}'
refused contact.email '{"kind":"appeal","channel":"site","text":"ok","contact":{"email":42}}'
# Unknown members, by name; a name that is not a plain word is not echoed.
refused priority '{"kind":"comment","channel":"site","text":"ok","priority":"high"}'
refused contact.telegram '{"kind":"comment","channel":"site","text":"ok","contact":{"telegram":"@x"}}'
refused body '{"kind":"comment","channel":"site","text":"ok","<script>":1}'
expect_no_grep 'script' "$T/body"
# Not an object, not JSON, a NUL, a duplicate member.
refused body '["kind","comment"]'
refused body '{"kind":"comment",'
refused body ''
refused text '{"kind":"comment","channel":"site","text":"a\u0000b"}'
refused body '{"kind":"comment","kind":"appeal","channel":"site","text":"ok"}'
# Contact details need a basis: a comment without consent keeps none.
refused contact.consent '{"kind":"comment","channel":"site","text":"ok","contact":{"email":"a@example.ru"}}'

# The staff queue: a session and the operator's role.
get "$M"
want 401
login oper1 "$PW"
get -b "$T/jar" "$M?state=registered&limit=2"
want 200
expect_grep '^\{"total":3,"offset":0,"limit":2,"messages":\[\{"id":[0-9]+,"code":"[0-9A-Z-]+"' "$T/body"
get -b "$T/jar" "$M?kind=complaint"
want 200
expect_grep '"total":1,' "$T/body"
expect_grep '"code":"'"$C2"'"' "$T/body"
get -b "$T/jar" "$M?kind=praise"
want 400
expect_grep '"field":"kind"' "$T/body"
get -b "$T/jar" "$URL/api/v1/orgs/other/messages"
want 403

# Many at once: every one acknowledged, every one stored.
n=$(rows)
"$LOAD" -c 16 -n 2000 -o "$T/codes" "$M" >"$T/load.out" || fail "the load generator failed"
expect_grep '^sent=2000 created=2000 ok2xx=2000 client4xx=0 server5xx=0 errors=0 ' "$T/load.out"
[ "$(sort -u "$T/codes" | wc -l)" -eq 2000 ] || fail "not 2,000 different codes"
ok
[ "$(rows)" -eq $((n + 2000)) ] || fail "$(rows) rows, expected $((n + 2000))"
ok
sqlite3 "$OTKLIK_DB" 'SELECT code FROM fb_message' | sort >"$T/stored"
sort -u "$T/codes" | comm -23 - "$T/stored" >"$T/missing"
[ ! -s "$T/missing" ] || fail "acknowledged and not stored: $(head -3 "$T/missing")"
ok

# The writer's counters.
get "$URL/metrics"
want 200
expect_grep '^otklik_ingest_rows_total [0-9]+$' "$T/body"
expect_grep '^otklik_ingest_batches_total [0-9]+$' "$T/body"
expect_grep '^otklik_ingest_queue_depth 0$' "$T/body"
expect_grep '^otklik_ingest_commit_seconds_count [1-9][0-9]*$' "$T/body"
b=$(sed -n 's/^otklik_ingest_batches_total //p' "$T/body")
[ "$b" -lt 2000 ] || fail "$b batches for 2,000 concurrent messages: no group commit"
ok

serve_stop
done_testing

#!/bin/sh
# otklik serve: the public registry page, health and metrics, limits
# (413 for bodies a route does not take, slow clients cut off while
# others are served), unknown pages and methods, security headers, an
# access log line per request, and a graceful stop on SIGTERM.
. "$SRCDIR/tests/lib.sh"
command -v curl >/dev/null || fail "curl needed"

otk init >/dev/null
otk org add gkk --name 'Госкомитет <РБ> & "Ко"' --tz Asia/Yekaterinburg >/dev/null
OTKLIK_NOW=2024-05-16T10:00:00+05:00 otk registry import --client internal "$FIX/registry-001.csv" >/dev/null
serve_start --timeout 2

code() { curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' "$@"; }

[ "$(code "$URL/healthz")" = 200 ] || fail "healthz"
ok
expect_grep '^ok$' "$T/body"

# Not published yet: the public page says so.
[ "$(code "$URL/gkk/registry")" = 404 ] || fail "unpublished registry shown"
ok
expect_grep 'ещё не опубликован' "$T/body"
OTKLIK_NOW=2024-05-20T10:00:00+05:00 otk registry publish >/dev/null
[ "$(code "$URL/gkk/registry")" = 200 ] || fail "published registry"
ok
expect_grep '<th scope="col">Осуществляемое взаимодействие с клиентом</th>' "$T/body"
expect_grep 'Версия 1, опубликована 20\.05\.2024' "$T/body"
expect_grep 'Госкомитет &lt;РБ&gt; &amp; &quot;Ко&quot;' "$T/body"
expect_grep 'rowspan="' "$T/body"
expect_no_grep '<script' "$T/body"
expect_grep '^Content-Security-Policy: default-src' "$T/headers"
expect_grep '^X-Content-Type-Options: nosniff' "$T/headers"
# In English, with the language switch.
curl -s -c "$T/lj" -o /dev/null "$URL/lang?to=en&back=/gkk/registry"
curl -s -b "$T/lj" "$URL/gkk/registry" >"$T/body"
expect_grep '<html lang="en">' "$T/body"
expect_grep 'Version 1, published 20\.05\.2024' "$T/body"
[ "$(code "$URL/lang?to=de")" = 400 ] || fail "a bad language was taken"
ok
expect_grep 'expected ru or en' "$T/body"
[ "$(code "$URL/lang?to=en&back=//evil.example")" = 303 ] || fail "lang"
ok
expect_grep '^Location: /' "$T/headers"
expect_no_grep 'evil' "$T/headers"

# Unknown pages and organizations, wrong methods; the request is not echoed.
[ "$(code "$URL/nope/registry")" = 404 ] || fail "unknown org"
ok
[ "$(code "$URL/gkk/%3Cscript%3E")" = 404 ] || fail "unknown page"
ok
expect_no_grep '<script' "$T/body"
[ "$(code -X DELETE "$URL/healthz")" = 405 ] || fail "method"
ok
[ "$(code "$URL/static/otklik.css")" = 200 ] || fail "css"
ok
expect_grep '^Content-Type: text/css' "$T/headers"

# A body where none is taken: 413, and the server goes on.
head -c 200000 /dev/zero >"$T/big"
[ "$(code -X GET -H 'Content-Type: text/plain' --data-binary @"$T/big" "$URL/healthz")" = 413 ] ||
    fail "a body on GET /healthz was taken"
ok

# A slow client is cut off after the timeout; others are served meanwhile.
port=${URL##*:}
bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; printf 'GET / HTTP/1.1\r\nHost: x\r\n' >&3; cat <&3 >/dev/null; echo closed >'$T/slow'" &
slow=$!
sleep 0.5
[ "$(code "$URL/healthz")" = 200 ] || fail "not served while a slow client waits"
ok
i=0
while [ ! -s "$T/slow" ] && [ $i -lt 60 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$T/slow" ] || { kill $slow 2>/dev/null; fail "the slow client was not cut off"; }
ok

# Metrics in the Prometheus format.
[ "$(code "$URL/metrics")" = 200 ] || fail "metrics"
ok
expect_grep '^otklik_http_requests_total\{route="GET /healthz",class="2xx"\} [0-9]+$' "$T/body"
expect_grep '^otklik_http_request_duration_seconds_bucket\{le="\+Inf"\} [0-9]+$' "$T/body"
expect_grep '^otklik_http_too_large_total 1$' "$T/body"
expect_grep '^otklik_db_statements_total [0-9]+$' "$T/body"

# One access-log line per request, with method, path and status.
serve_stop
expect_grep '"GET /healthz" 200 ' "$T/serve.err"
expect_grep '"GET /gkk/registry" 404 ' "$T/serve.err"
expect_grep '^otklik: stopped$' "$T/serve.out"
done_testing

#!/bin/sh
# The JSON API under /api/v1/ against a real "otklik serve": every route;
# the workflow add → submit → verify → include through it; a 400 naming
# the field for every kind of bad input, with nothing stored; SQL and
# script payloads kept as text and returned as JSON strings; 401 without
# a session, 403 for a wrong role, another organization or a missing
# CSRF token, 413 for an oversized body; a clean stop on SIGTERM.
. "$SRCDIR/tests/lib.sh"
command -v curl >/dev/null || fail "curl needed"

PW='пароль для проверки API'
otk init >/dev/null
otk org add gkk --name 'Госкомитет' --tz Asia/Yekaterinburg >/dev/null
otk org add other --name 'Другой орган' >/dev/null
printf '%s\n' "$PW" | otk --org gkk user add editor1 --name 'Редактор' \
    --role editor --unit 'Отдел кадров' >/dev/null
printf '%s\n' "$PW" | otk --org gkk user add officer1 \
    --name 'Уполномоченное лицо' --role officer >/dev/null
printf '%s\n' "$PW" | otk --org other user add stranger --name 'Чужой' \
    --role officer >/dev/null
OTKLIK_NOW=2024-05-16T10:00:00+05:00 otk --org gkk registry import \
    --client internal "$FIX/registry-001.csv" >/dev/null
# The server's clock stands still, so that deadlines do not move.
export OTKLIK_NOW=2024-05-22T10:00:00+05:00
serve_start --quiet
A="$URL/api/v1"
G="$A/orgs/gkk/registry"

# api WHO METHOD URL [CURL ARGS]: the status in $code, the body in
# $T/body, the headers in $T/headers.  WHO is a cookie jar ("none": no
# session).  A POST sends WHO's CSRF token unless NOCSRF is set.
api() {
	who=$1 m=$2 u=$3
	shift 3
	set -- -s -o "$T/body" -D "$T/headers" -w '%{http_code}' -X "$m" "$@"
	if [ "$who" != none ]; then
		set -- "$@" -b "$T/jar.$who"
		if [ "$m" = POST ] && [ -z "${NOCSRF:-}" ]; then
			set -- "$@" -H "X-CSRF-Token: $(cat "$T/csrf.$who")"
		fi
	fi
	code=$(curl "$@" "$u")
}
# want CODE: the last answer had that status.
want() {
	[ "$code" = "$1" ] || { cat "$T/body" >&2; echo >&2; fail "HTTP $code, expected $1"; }
	ok
}
# post_json WHO URL JSON: a POST of a JSON body.
post_json() {
	printf '%s' "$3" >"$T/req.json"
	api "$1" POST "$2" -H 'Content-Type: application/json' \
	    --data-binary @"$T/req.json"
}
# bad_field FIELD: a 400 naming FIELD, as JSON.
bad_field() {
	want 400
	re=$(printf '%s' "$1" | sed 's/[].[]/\\&/g')
	expect_grep '^\{"error":\{"status":400,"field":"'"$re"'","reason":".+"\}\}$' "$T/body"
}
# json_id: the "id" that opens the last answer.
json_id() { sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$T/body"; }
signin() {
	curl -s -o /dev/null -w '%{http_code}' -c "$T/jar.$1" \
	    --data-urlencode "login=$1" --data-urlencode "password=$PW" \
	    "$URL/login" >"$T/login.code"
	grep -q '^303$' "$T/login.code" || fail "login $1: HTTP $(cat "$T/login.code")"
	api "$1" GET "$A/session"
	want 200
	sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' "$T/body" >"$T/csrf.$1"
	grep -Eq '^[0-9a-f]{64}$' "$T/csrf.$1" || fail "no CSRF token for $1"
	ok
}
# snapshot NAME: what a refused request must leave as it was.
snapshot() {
	otk --org gkk registry changes >"$T/c.$1"
	otk --org gkk registry versions >"$T/v.$1"
	otk audit list --limit 1000000 >"$T/a.$1"
}
unchanged() {
	snapshot after
	for f in c v a; do
		cmp -s "$T/$f.before" "$T/$f.after" || {
			diff "$T/$f.before" "$T/$f.after" >&2
			fail "a refused request changed the database"
		}
	done
	ok
}

# Without a session: 401, as JSON, for reads and writes.
api none GET "$A/orgs"
want 401
expect_grep '^\{"error":\{"status":401,"field":null,"reason":"sign in first"\}\}$' "$T/body"
expect_grep '^Content-Type: application/json' "$T/headers"
api none POST "$G/changes" -H 'Content-Type: application/json' --data-binary '{}'
want 401

signin editor1
signin officer1
signin stranger

# Who is signed in, and where.
api editor1 GET "$A/session"
want 200
expect_grep '^\{"login":"editor1","name":"Редактор","csrf":"[0-9a-f]{64}","expires_at":"[0-9T:Z-]+","roles":\[\{"org":"gkk","role":"editor","unit":"Отдел кадров"\}\]\}$' "$T/body"
expect_grep '^Cache-Control: no-store' "$T/headers"
api editor1 GET "$A/orgs"
want 200
expect_grep '"slug":"gkk","name":"Госкомитет"' "$T/body"
expect_grep '"tz":"Asia/Yekaterinburg"' "$T/body"
expect_grep '"roles":\["editor"\]' "$T/body"
expect_no_grep '"slug":"other"' "$T/body"
api stranger GET "$A/orgs"
expect_grep '"slug":"other"' "$T/body"
expect_no_grep '"slug":"gkk"' "$T/body"

# The taxonomies.
api editor1 GET "$A/needs"
want 200
expect_grep '\{"code":"info","title_ru":"[^"]+","title_en":"[^"]+","seed":"[^"]+"\}' "$T/body"
api editor1 GET "$A/channels"
want 200
expect_grep '\{"code":"email","title_ru":"Электронная почта","title_en":"[^"]+","kind":"digital","key":(true|false)\}' "$T/body"
expect_grep '"code":"reception"[^}]*"kind":"offline"' "$T/body"

# The registry, its versions, checks, comparison, deadlines.
api editor1 GET "$G"
want 200
expect_grep '^\{"org":"gkk","version":1,"included_at":"2024-05-16T05:00:00Z","latest_version":1,"published_version":null,"entries":\[' "$T/body"
expect_grep '"name":"Электронная почта gkmser@bashkortostan.ru","channel":"email","kind":"digital","kind_explicit":false,"client":"internal","needs":\["info","consult"\]' "$T/body"
expect_grep '"contacts":\{"phone":null,"email":null,"url":null,"address":null,"room":null\}' "$T/body"
n1=$(grep -o '"area":' "$T/body" | wc -l)
[ "$n1" -eq "$(otk --org gkk registry list | wc -l)" ] || fail "the API lists $n1 entries, the command line others"
ok
tp=$(otk --org gkk registry list | awk -F'\t' '$7 == "Система электронного делопроизводства (СЭДО)" {print $1; exit}')
tp_mail=$(otk --org gkk registry list | awk -F'\t' '$7 ~ /^Электронная почта/ {print $1; exit}')
[ -n "$tp" ] && [ -n "$tp_mail" ] || fail "no EDMS or e-mail touchpoint"
api editor1 GET "$G?version=1&as_of=2024-05-17"
bad_field as_of
api editor1 GET "$G?version=x"
bad_field version
api editor1 GET "$G?version=7"
want 404
expect_grep '"field":"version"' "$T/body"
api editor1 GET "$G?as_of=2024-05-01"
want 404
expect_grep '"field":"as_of"' "$T/body"
api editor1 GET "$G?as_of=2024-05-17&unknown=ignored"
want 200
expect_grep '^\{"org":"gkk","version":1,' "$T/body"
api editor1 GET "$G/entries/$tp"
want 200
expect_grep "^\\{\"version\":1,\"entry\":\\{\"id\":$tp,\"area\":" "$T/body"
expect_grep '"channel":"edms"' "$T/body"
api editor1 GET "$G/entries/999999"
want 404
api editor1 GET "$G/check"
want 200
expect_grep '^\{"errors":0,"warnings":[0-9]+,"hints":[0-9]+,"findings":\[.*\],"version":1\}$' "$T/body"
api editor1 GET "$G/versions"
want 200
expect_grep '^\{"versions":\[\{"version":1,"included_at":"2024-05-16T05:00:00Z","included_by":"[^"]+","note":"[^"]*","changes":[0-9]+,"published_at":null\}\]\}$' "$T/body"
api editor1 GET "$G/status"
want 200
expect_grep '^\{"current_version":1,"published_version":null,"published_at":null,"working_days":10,"calendar_warning":null,"pending":\[\{"version":1,"changed":"2024-05-16","deadline":"2024-05-30","days_left":-?[0-9]+,"state":"(pending|due_soon|late)"\}\]\}$' "$T/body"
api editor1 GET "$G/diff?a=0&b=2024-05-16"
want 200
expect_grep '^\{"a":0,"b":1,"differences":\[\{"op":"added","id":[0-9]+,"fields":\[\],"before":null,"after":\{' "$T/body"
api editor1 GET "$G/diff?a=0"
bad_field b
api editor1 GET "$G/diff?a=0&b=latest"
bad_field b
api editor1 GET "$G/changes?state=eaten"
bad_field state

# The official form as files.
api editor1 GET "$G/export?format=csv"
want 200
expect_grep '^Content-Type: text/csv' "$T/headers"
expect_grep '^Content-Disposition: attachment; filename="registry-gkk-v1\.csv"' "$T/headers"
expect_grep 'Направление деятельности' "$T/body"
api editor1 GET "$G/export?format=xlsx&extended=1"
want 200
[ "$(head -c 2 "$T/body")" = PK ] || fail "the XLSX export is no ZIP"
ok
api editor1 GET "$G/export?format=html"
want 200
expect_grep '<table' "$T/body"
api editor1 GET "$G/export?format=pdf"
bad_field format
api editor1 GET "$G/export?format=html&extended=1"
bad_field extended

# Another organization's staff see nothing here; unknown ones are 404.
api stranger GET "$G"
want 403
expect_grep '"reason":"your roles do not allow this here"' "$T/body"
api stranger GET "$G/changes"
want 403
api editor1 GET "$A/orgs/nope/registry"
want 404

# An addition through the workflow.
ADD='{"op":"add","entry":{"area":"Взаимодействие с внутренним клиентом","process":"Организация рабочего пространства","name":"Платформа обратной связи","interaction":"Предоставление обратной связи. Получение результата рассмотрения обратной связи","client":"internal","unit":"Отдел кадров","contacts":{"url":"https://pos.gosuslugi.ru/","email":"pos@example.ru"},"basis":{"type":"normative","ref":"Приказ № 1"}}}'
snapshot before
NOCSRF=1 post_json editor1 "$G/changes" "$ADD"
want 403
expect_grep '"field":"csrf"' "$T/body"
printf '%s' "$ADD" >"$T/req.json"
api editor1 POST "$G/changes" -H 'X-CSRF-Token: 0000' --data-binary @"$T/req.json"
want 403
expect_grep '"field":"csrf"' "$T/body"
post_json officer1 "$G/changes" "$ADD"
want 403
expect_grep '"reason":"your roles do not allow this here"' "$T/body"
post_json stranger "$G/changes" "$ADD"
want 403
unchanged
post_json editor1 "$G/changes" "$ADD"
want 201
add=$(json_id)
expect_grep "^Location: /api/v1/orgs/gkk/registry/changes/$add" "$T/headers"
expect_grep '^\{"id":[0-9]+,"op":"add","state":"draft","touchpoint_id":[0-9]+,"author":"editor1",' "$T/body"
expect_grep '"needs":\["result","feedback","feedback:result"\]' "$T/body"
expect_grep '"channel":"pos","kind":"digital"' "$T/body"
expect_grep '"contacts":\{"phone":null,"email":"pos@example.ru","url":"https://pos.gosuslugi.ru/","address":null,"room":null\},"unit":"Отдел кадров","basis":\{"type":"normative","ref":"Приказ № 1"\}' "$T/body"
api editor1 POST "$G/changes/$add/include"
want 403
api officer1 POST "$G/changes/$add/include"
want 409
expect_grep '"reason":"change [0-9]+ is draft' "$T/body"
api officer1 POST "$G/changes/$add/submit"
want 403
api editor1 POST "$G/changes/$add/submit"
want 200
expect_grep '"state":"submitted","touchpoint_id":[0-9]+,"author":"editor1","created_at":"[^"]+","submitted_at":"[^"]+"' "$T/body"
api editor1 POST "$G/changes/$add/verify"
want 403
api officer1 POST "$G/changes/$add/verify"
want 200
expect_grep "^\\{\"errors\":0,.*\"change_id\":$add,\"includable\":true\\}$" "$T/body"
api officer1 POST "$G/changes/$add/include"
want 201
expect_grep '^\{"version":2,"check":\{"errors":0,' "$T/body"
expect_grep '^Location: /api/v1/orgs/gkk/registry\?version=2' "$T/headers"
api editor1 GET "$G/changes/$add"
want 200
expect_grep '"state":"included",.*"decided_by":"officer1",.*"triggers":\["new"\],"version":2,' "$T/body"
expect_grep '"current":\{.*"name":"Платформа обратной связи"' "$T/body"
api editor1 GET "$G"
expect_grep '^\{"org":"gkk","version":2,' "$T/body"
expect_grep '"name":"Платформа обратной связи","channel":"pos"' "$T/body"
api editor1 GET "$G/diff?a=1&b=2"
want 200
expect_grep '^\{"a":1,"b":2,"differences":\[\{"op":"added",.*"after":\{.*"Платформа обратной связи"' "$T/body"
api editor1 GET "$G/changes?state=included"
want 200
expect_grep "\\{\"id\":$add,\"op\":\"add\",\"state\":\"included\"" "$T/body"

# A change, returned with a comment, fixed, included with others.
post_json editor1 "$G/changes" "{\"op\":\"change\",\"touchpoint_id\":$tp,\"entry\":{\"needs\":[\"info\",\"result\",\"submit:documents\"],\"contacts\":{\"room\":\"каб. 101\"}}}"
want 201
chg=$(json_id)
expect_grep "\"op\":\"change\",\"state\":\"draft\",\"touchpoint_id\":$tp," "$T/body"
expect_grep '"name":"Система электронного делопроизводства \(СЭДО\)".*"needs":\["info","result","submit:documents"\]' "$T/body"
api editor1 POST "$G/changes/$chg/submit"
want 200
snapshot before
post_json officer1 "$G/changes/$chg/return" '{}'
bad_field comment
post_json officer1 "$G/changes/$chg/return" '{"comment":"   "}'
bad_field comment
unchanged
post_json officer1 "$G/changes/$chg/return" '{"comment":"Укажите реквизиты основания"}'
want 200
expect_grep '"state":"returned",.*"comment":"Укажите реквизиты основания"' "$T/body"
post_json officer1 "$G/changes/$chg/return" '{"comment":"ещё раз"}'
want 409
api editor1 POST "$G/changes/$chg/submit"
want 200
post_json editor1 "$G/changes" "{\"op\":\"exclude\",\"touchpoint_id\":$tp_mail}"
want 201
exc=$(json_id)
expect_grep '"op":"exclude",.*"entry":null\}$' "$T/body"
api editor1 POST "$G/changes/$exc/submit"
want 200
post_json officer1 "$G/versions" "{\"changes\":[$chg,$chg]}"
bad_field 'changes[1]'
post_json officer1 "$G/versions" '{"changes":[]}'
bad_field changes
post_json officer1 "$G/versions" "{\"changes\":[$chg,$exc]}"
want 201
expect_grep '^\{"version":3,' "$T/body"
api editor1 GET "$G/changes/$chg"
expect_grep '"triggers":\["needs","edit"\],"version":3' "$T/body"
api editor1 GET "$G"
expect_no_grep "\"id\":$tp_mail," "$T/body"
expect_grep "\"id\":$tp,.*\"room\":\"каб. 101\"" "$T/body"

# Check errors refuse an inclusion: 422 with the findings.
post_json editor1 "$G/changes" '{"op":"add","entry":{"area":"A","process":"P","name":"Телефон горячей линии","needs":[]}}'
want 201
nn=$(json_id)
api editor1 POST "$G/changes/$nn/submit"
want 200
api officer1 POST "$G/changes/$nn/verify"
want 200
expect_grep '"includable":false' "$T/body"
expect_grep '"level":"error","rule":"needs-declared"' "$T/body"
snapshot before
api officer1 POST "$G/changes/$nn/include"
want 422
expect_grep '^\{"error":\{"status":422,"field":null,"reason":"[^"]+"\},"check":\{"errors":[1-9]' "$T/body"
unchanged

# Bad input: a 400 naming the field, and nothing stored.
snapshot before
for c in \
    'body|{"op":' \
    'body|[1,2]' \
    'body|{"op":"add","op":"add"}' \
    'op|{}' \
    'op|{"op":"rename"}' \
    'op|{"op":7}' \
    'touchpoint_id|{"op":"change"}' \
    'touchpoint_id|{"op":"change","touchpoint_id":999999,"entry":{}}' \
    "entry|{\"op\":\"change\",\"touchpoint_id\":$tp,\"entry\":{\"key\":true}}" \
    'touchpoint_id|{"op":"exclude","touchpoint_id":-1}' \
    'touchpoint_id|{"op":"add","touchpoint_id":1,"entry":{"area":"A","process":"P","name":"N"}}' \
    'entry|{"op":"add"}' \
    'entry|{"op":"add","entry":"A"}' \
    'entry.area|{"op":"add","entry":{"process":"P","name":"N"}}' \
    'entry.process|{"op":"add","entry":{"area":"A","process":" ","name":"N"}}' \
    'entry.name|{"op":"add","entry":{"area":"A","process":"P","name":null}}' \
    'entry.name|{"op":"add","entry":{"area":"A","process":"P","name":"a\u0007b"}}' \
    'entry.channel|{"op":"add","entry":{"area":"A","process":"P","name":"N","channel":"fax"}}' \
    'entry.kind|{"op":"add","entry":{"area":"A","process":"P","name":"N","kind":"virtual"}}' \
    'entry.client|{"op":"add","entry":{"area":"A","process":"P","name":"N","client":"vip"}}' \
    'entry.needs|{"op":"add","entry":{"area":"A","process":"P","name":"N","needs":"info"}}' \
    'entry.needs[1]|{"op":"add","entry":{"area":"A","process":"P","name":"N","needs":["info","teleport"]}}' \
    'entry.needs[1]|{"op":"add","entry":{"area":"A","process":"P","name":"N","needs":["info","info"]}}' \
    'entry.needs[0]|{"op":"add","entry":{"area":"A","process":"P","name":"N","needs":[1]}}' \
    'entry.interaction|{"op":"add","entry":{"area":"A","process":"P","name":"N","interaction":["x"]}}' \
    'entry.contacts|{"op":"add","entry":{"area":"A","process":"P","name":"N","contacts":"x"}}' \
    'entry.contacts.email|{"op":"add","entry":{"area":"A","process":"P","name":"N","contacts":{"email":"nobody"}}}' \
    'entry.contacts.url|{"op":"add","entry":{"area":"A","process":"P","name":"N","contacts":{"url":"javascript:alert(1)"}}}' \
    'entry.contacts.phone|{"op":"add","entry":{"area":"A","process":"P","name":"N","contacts":{"phone":5}}}' \
    'entry.basis|{"op":"add","entry":{"area":"A","process":"P","name":"N","basis":"normative"}}' \
    'entry.basis.type|{"op":"add","entry":{"area":"A","process":"P","name":"N","basis":{"type":"whim"}}}' \
    'entry.key|{"op":"add","entry":{"area":"A","process":"P","name":"N","key":"yes"}}' \
    'entry.low_demand|{"op":"add","entry":{"area":"A","process":"P","name":"N","low_demand":1}}' \
    'entry.not_counted|{"op":"add","entry":{"area":"A","process":"P","name":"N","not_counted":null}}'
do
	post_json editor1 "$G/changes" "${c#*|}"
	bad_field "${c%%|*}"
done
long=$(head -c 2001 /dev/zero | tr '\0' 'x')
post_json editor1 "$G/changes" "{\"op\":\"add\",\"entry\":{\"area\":\"A\",\"process\":\"P\",\"name\":\"$long\"}}"
bad_field entry.name
expect_grep '"reason":"longer than 2000 bytes"' "$T/body"
printf '{"op":"add","entry":{"area":"\377","process":"P","name":"N"}}' >"$T/req.json"
api editor1 POST "$G/changes" --data-binary @"$T/req.json"
bad_field body
post_json officer1 "$G/publications" '{"published_at":"2999-01-01"}'
bad_field published_at
post_json officer1 "$G/publications" '{"published_at":"вчера"}'
bad_field published_at
post_json officer1 "$G/publications" '{"version":99}'
bad_field version
post_json officer1 "$G/publications" '{"version":"1"}'
bad_field version
post_json officer1 "$G/publications" '{"url":"javascript:alert(1)"}'
bad_field url
unchanged

# SQL in text is stored as text; markup and quotes come back as JSON
# strings, escaped by the JSON writer, never as markup of a page.
SQL="x'); DROP TABLE registry_change; --"
post_json editor1 "$G/changes" "{\"op\":\"add\",\"entry\":{\"area\":\"Robert'); DROP TABLE touchpoint;--\",\"process\":\"1' OR '1'='1\",\"name\":\"$SQL\",\"interaction\":\"<script>alert(1)</script>\",\"features\":\"\\\"><img src=x onerror=alert(1)>\",\"contacts\":{\"room\":\"a\\\\b\\\"c\\u2028d\"},\"needs\":[\"info\"]}}"
want 201
sq=$(json_id)
expect_grep '^Content-Type: application/json' "$T/headers"
expect_grep '^X-Content-Type-Options: nosniff' "$T/headers"
api editor1 GET "$G/changes/$sq"
want 200
expect_grep "\"area\":\"Robert'\\); DROP TABLE touchpoint;--\",\"process\":\"1' OR '1'='1\",\"name\":\"x'\\); DROP TABLE registry_change; --\"" "$T/body"
expect_grep '"interaction":"<script>alert\(1\)</script>"' "$T/body"
expect_grep '"features":"\\"><img src=x onerror=alert\(1\)>"' "$T/body"
expect_grep '"room":"a\\\\b\\"c.+d"' "$T/body"
otk --org gkk registry changes >"$T/out"
grep -qF "	$SQL	" "$T/out" || { cat "$T/out" >&2; fail "the SQL text is not stored as given"; }
ok
api editor1 GET "$G/changes"
want 200
api editor1 GET "$G"
want 200

# Oversized bodies: 413, by the declared length or as they stream in.
head -c 70000 /dev/zero | tr '\0' ' ' >"$T/big.json"
snapshot before
api editor1 POST "$G/changes" -H 'Content-Type: application/json' --data-binary @"$T/big.json"
want 413
expect_grep '^\{"error":\{"status":413,' "$T/body"
api editor1 POST "$G/changes" -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data-binary @"$T/big.json"
want 413
head -c 2000 /dev/zero | tr '\0' ' ' >"$T/mid.json"
api editor1 POST "$G/changes/$sq/submit" --data-binary @"$T/mid.json"
want 413
api editor1 GET "$G" --data-binary '{}'
want 413
unchanged

# Publication.
post_json editor1 "$G/publications" '{}'
want 403
post_json officer1 "$G/publications" '{"version":1,"published_at":"2024-05-20","url":"https://gkk.example.ru/registry"}'
want 201
expect_grep '^\{"version":1,"published_at":"2024-05-20T00:00:00Z","url":"https://gkk.example.ru/registry"\}$' "$T/body"
post_json officer1 "$G/publications" '{}'
want 201
expect_grep '^\{"version":3,' "$T/body"
api editor1 GET "$G/status"
expect_grep '^\{"current_version":3,"published_version":3,"published_at":"[^"]+","working_days":10,"calendar_warning":null,"pending":\[\]\}$' "$T/body"
api editor1 GET "$G"
expect_grep '"latest_version":3,"published_version":3,' "$T/body"
api editor1 GET "$G/versions"
expect_grep '"version":1,[^}]*"published_at":"2024-05-20T00:00:00Z"' "$T/body"

# Import: a dry run writes nothing; unreadable rows and check errors
# refuse the file; a real import makes a version.
api officer1 POST "$G/import?dry_run=1"
bad_field body
snapshot before
api editor1 POST "$G/import?dry_run=1" --data-binary @"$FIX/registry-001.csv"
want 403
api officer1 POST "$G/import?dry_run=1&client=internal" -H 'Content-Type: text/csv' --data-binary @"$FIX/registry-001.csv"
want 200
# The file has the e-mail back and lacks the platform; the EDMS entry
# differs in its needs.
expect_grep '^\{"dry_run":true,"entries":21,"added":1,"changed":1,"excluded":1,"unchanged":19,"version":null,"check":\{"errors":0,' "$T/body"
api officer1 POST "$G/import?dry_run=maybe" --data-binary @"$FIX/registry-001.csv"
bad_field dry_run
H='Направление деятельности,Наименование конкретного процесса,Точка взаимодействия,Осуществляемое взаимодействие с клиентом,Особенности взаимодействия с клиентом'
printf '%s\n,P,Телефон,Консультация,\nA,P,,Консультация,\n' "$H" >"$T/rows.csv"
api officer1 POST "$G/import" --data-binary @"$T/rows.csv"
want 422
expect_grep '^\{"error":\{"status":422,"field":"body","reason":"[^"]+"\},"problems":\[\{"row":2,"column":1,"message":"[^"]+"\},\{"row":3,"column":3,' "$T/body"
printf '%s\nA,P,Телефон,Консультация,\nA,P,Телефон,Консультация,\n' "$H" >"$T/dup.csv"
api officer1 POST "$G/import" --data-binary @"$T/dup.csv"
want 422
expect_grep '"check":\{"errors":[1-9]' "$T/body"
printf 'a,b\n\377\376,x\n' >"$T/enc.csv"
api officer1 POST "$G/import" --data-binary @"$T/enc.csv"
bad_field body
api officer1 POST "$G/import" --data-binary @"$FIX/bomb.xlsx"
bad_field body
unchanged
api officer1 POST "$G/import?client=internal&note=%D0%9F%D1%80%D0%B8%D0%BA%D0%B0%D0%B7%20%E2%84%96%207" -H 'Content-Type: text/csv' --data-binary @"$FIX/registry-001.csv"
want 201
expect_grep '^\{"dry_run":false,"entries":21,"added":1,"changed":1,"excluded":1,"unchanged":19,"version":4,' "$T/body"
api editor1 GET "$G/versions"
expect_grep '"version":4,[^}]*"note":"Приказ № 7"' "$T/body"

# HEAD works where GET does; the audit log names who did what.
code=$(curl -s -o /dev/null -w '%{http_code}' -I -b "$T/jar.editor1" "$G/status")
want 200
otk audit list --action registry. >"$T/out"
expect_grep '	editor1	registry.draft.add	touchpoint:' "$T/out"
expect_grep '	officer1	registry.returned	change:' "$T/out"
expect_grep '	officer1	registry.include	touchpoint:' "$T/out"
expect_grep '	officer1	registry.publish	registry:' "$T/out"
expect_grep '	officer1	registry.import	touchpoint:' "$T/out"
expect_exit 0 otk audit verify

serve_stop
done_testing

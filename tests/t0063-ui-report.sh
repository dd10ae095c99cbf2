#!/bin/sh
# The pages of reports (ui-report.c, ui-report-public.c) with curl against
# the real server: the roles (an operator gets 403, an analyst sees but
# cannot confirm or publish, the working group can); CSRF refused; a bad
# period named next to its field with a 400; the downloads with their
# content types and contents, each audited; a problem of the pain map
# decided (errors next to the field) and the order confirmed with the
# minutes; the yearly report published, after which its public page, the
# printable document and the CSV appear, while a year never published is
# a 404; and the public page holds no staff names, no client's name and
# no text of a message.
. "$SRCDIR/tests/lib.sh"
command -v curl >/dev/null || fail "curl needed"
command -v python3 >/dev/null || fail "python3 needed"

export OTKLIK_NOW=2026-05-15T07:00:00Z
otk init >/dev/null
otk org add gkk --name 'Госкомитет' --tz Asia/Yekaterinburg >/dev/null
otk --org gkk registry import --client internal "$FIX/registry-001.csv" >/dev/null
otk --org gkk unit add 'Отдел по работе с обращениями' >/dev/null
adduser() {
	printf 'password123\n' | otk --org gkk user add "$1" --name "$2" \
	    --role "$3" >/dev/null
}
adduser an 'Аналитик Иванова' analyst
adduser op 'Оператор Петрова' operator
adduser grp 'Член группы Сидоров' group

# Complaints with personal data and a text that must never reach the
# public report, on one topic, so that the pain map has that problem.
otk --org gkk topic add 'Очереди на приёме' >/dev/null
i=1
while [ $i -le 7 ]; do
	otk --org gkk feedback add --channel site --kind complaint \
	    --name 'Клиентова Мария' --email "client$i@example.ru" \
	    'СЕКРЕТНЫЙ-ТЕКСТ-4417 долго ждали в очереди' >/dev/null
	otk --org gkk feedback classify --topic 'Очереди на приёме' $i >/dev/null
	i=$((i + 1))
done
# Survey answers, and the rollups rebuilt over everything.
otk --org gkk demo generate --messages 0 --answers 120 --seed 3 \
    --from 2026-01-01 --to 2026-05-14 >/dev/null 2>&1 ||
    fail "demo generate failed"
serve_start --quiet

signin() {
	code=$(curl -s -o /dev/null -w '%{http_code}' -c "$T/$1" -b "$T/$1" \
	    --data-urlencode "login=$1" --data-urlencode 'password=password123' \
	    "$URL/login")
	[ "$code" = 303 ] || fail "sign-in of $1: HTTP $code"
	ok
}
split_page() {
	sed 's/</\n</g' "$T/raw" >"$T/body"
	tr -d '\r' <"$T/hraw" >"$T/headers"
}
# get JAR PATH: the page in $T/body split at tags; prints the status.
get() {
	curl -s -b "$T/$1" -o "$T/raw" -D "$T/hraw" -w '%{http_code}' "$URL$2"
	split_page
}
# pub PATH: the same without signing in.
pub() {
	curl -s -o "$T/raw" -D "$T/hraw" -w '%{http_code}' "$URL$1"
	split_page
}
token() {
	curl -s -b "$T/$1" "$URL$2" |
	    sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1
}
# post JAR PATH ARGS...: a form with the session's token.
post() {
	jar=$1
	path=$2
	shift 2
	curl -s -b "$T/$jar" -o "$T/raw" -D "$T/hraw" -w '%{http_code}' \
	    --data-urlencode "csrf=$(eval echo "\$tok_$jar")" "$@" "$URL$path"
	split_page
}
expect_code() {
	[ "$1" = "$2" ] || { cat "$T/raw" >&2; fail "$3: HTTP $1, expected $2"; }
	ok
}
location() { sed -n 's/^Location: //p' "$T/headers"; }
# The CSV without its byte order mark and carriage returns.
csv() { tr -d '\r' <"$T/raw" | sed '1s/^\xEF\xBB\xBF//' >"$T/csv"; }
text() { sed 's/<[^>]*>//g; /^[[:space:]]*$/d' "$T/body"; }
field_error() { grep -A4 "id=\"$1-err\"" "$T/body" | sed 's/<[^>]*>//g; /^[[:space:]]*$/d'; }

for who in an op grp; do signin $who; done
tok_an=$(token an /gkk/surveys)
tok_grp=$(token grp /gkk/surveys)
[ -n "$tok_an" ] && [ -n "$tok_grp" ] || fail "no CSRF token"
ok

# Roles: operators and the public are kept out of every staff page.
for p in /gkk/reports /gkk/reports/pain /gkk/reports/level \
    /gkk/reports/public /gkk/reports/report.csv; do
	expect_code "$(get op "$p")" 403 "GET $p by an operator"
done
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/gkk/reports")
expect_code "$code" 303 "GET /gkk/reports signed out"

# The report of the current half-year, with its navigation and downloads.
expect_code "$(get an /gkk/reports)" 200 "the report"
text >"$T/report"
expect_grep '^Отчёт за период$' "$T/report"
for w in 'Карта болей' 'Уровень клиентоцентричности' 'Публичный отчёт'; do
	expect_grep "^$w\$" "$T/report"
done
expect_grep 'href="/gkk/reports/report.csv\?period=2026H1&amp;clients=external"' "$T/body"
expect_grep 'href="/gkk/reports/report.xlsx\?period=2026H1&amp;clients=external"' "$T/body"
expect_grep 'href="/gkk/reports/report.json\?period=2026H1&amp;clients=external"' "$T/body"
expect_grep '<option value="2026H1" selected="">' "$T/body"
expect_grep 'role="img"' "$T/body"
expect_grep '<caption>' "$T/body"

# A bad period is named next to its field and in the summary, with 400.
expect_code "$(get an '/gkk/reports?period=2026X1')" 400 "a bad period"
field_error f-period >"$T/err"
expect_grep 'период не распознан' "$T/err"
expect_grep 'href="#f-period"' "$T/body"
expect_code "$(get an '/gkk/reports/level?custom=1..2')" 400 "a bad period of one's own"
field_error f-custom >"$T/err"
expect_grep 'период не распознан' "$T/err"
expect_code "$(get an '/gkk/reports/report.csv?period=2026H3')" 400 "a bad period to download"
expect_code "$(get an '/gkk/reports?clients=everyone')" 400 "bad clients"
# A period typed in wins over the select and goes into the links.
expect_code "$(get an '/gkk/reports?period=2025&custom=2026-01-01..2026-03-31')" 200 "a period of one's own"
expect_grep 'report.csv\?period=2026-01-01..2026-03-31&amp;clients=external' "$T/body"

# Downloads: the content type, the file, the contents; each audited.
expect_code "$(get an '/gkk/reports/report.csv?period=2026H1&clients=external')" 200 "CSV"
expect_grep '^Content-Type: text/csv; charset=utf-8$' "$T/headers"
expect_grep 'filename="report-gkk-full-2026H1-external.csv"' "$T/headers"
csv
head -n 1 "$T/csv" >"$T/csvhead"
expect_grep '^Таблица,Строка,Показатель,Ключ,Значение,n,Статус$' "$T/csvhead"
[ "$(wc -l <"$T/csv")" -gt 5 ] || fail "the CSV has almost no rows"
ok
expect_code "$(get an '/gkk/reports/report.json?period=2026H1&clients=internal')" 200 "JSON"
expect_grep '^Content-Type: application/json' "$T/headers"
python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
assert d["period"]["name"] == "2026H1", d["period"]
assert d["clients"] == "internal", d["clients"]
assert d["what"] == "full", d["what"]
assert len(d["tables"]) > 0' "$T/raw" || fail "the JSON is not the report asked for"
ok
expect_code "$(get an '/gkk/reports/report.xlsx?period=2026Q1&clients=external')" 200 "XLSX"
expect_grep '^Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet$' "$T/headers"
[ "$(head -c 2 "$T/raw")" = PK ] || fail "the XLSX is not a zip file"
ok
python3 -c 'import zipfile,sys
z = zipfile.ZipFile(sys.argv[1])
assert "xl/workbook.xml" in z.namelist()' "$T/raw" || fail "the XLSX holds no workbook"
ok
expect_code "$(get an '/gkk/reports/report.csv?what=pain')" 200 "the pain map as CSV"
csv
expect_grep '^Карта болей,' "$T/csv"
otk --org gkk audit list >"$T/audit"
[ "$(grep -c '	an	report.export	report:' "$T/audit")" = 4 ] ||
    { cat "$T/audit" >&2; fail "four exports, four audit entries"; }
ok
expect_grep 'report.export	report:full	.*"format":"xlsx".*"period":"2026Q1"' "$T/audit"

# The pain map: the problem of the complaints, its decision form.
expect_code "$(get an /gkk/reports/pain)" 200 "the pain map"
text >"$T/pain"
expect_grep '^Очереди на приёме$' "$T/pain"
expect_grep 'role="img"' "$T/body"
topic=$(otk --org gkk topic list | awk -F '\t' '$0 ~ /Очереди на приёме/ { print $1; exit }')
[ -n "$topic" ] || fail "no topic id"
link=$(grep -o "href=\"/gkk/reports/pain/external\.[0-9]*\.topic\.$topic?[^\"]*\"" "$T/body" |
    head -n 1 | sed 's/^href="//; s/"$//; s/&amp;/\&/g')
[ -n "$link" ] || fail "no link to decide about the problem"
ok
path=${link%%\?*}
expect_code "$(get op "$link")" 403 "the decision form by an operator"
expect_code "$(get an "$link")" 200 "the decision form"
expect_grep '<label for="f-cause">' "$T/body"
expect_grep '<select id="f-unit" name="unit"' "$T/body"
# Wrong input is named next to its field and in the summary; nothing kept.
expect_code "$(post an "$path" -d period=2026H1 -d clients=external \
    -d due=2026-02-30 -d state=open --data-urlencode 'cause=Мало окон')" 422 "a bad date"
field_error f-due >"$T/err"
expect_grep 'ГГГГ-ММ-ДД' "$T/err"
expect_grep 'href="#f-due"' "$T/body"
expect_grep '>Мало окон' "$T/body"
expect_code "$(post an "$path" -d period=2026H1 -d clients=external \
    -d state=closed)" 422 "a bad state"
field_error f-state >"$T/err"
expect_grep 'выберите' "$T/err"
# Without the token: refused.
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/an" -d period=2026H1 \
    -d cause=x "$URL$path")
expect_code "$code" 403 "a decision without CSRF"
# The working group may not record decisions on problems (analysts do).
expect_code "$(post grp "$path" -d period=2026H1 -d cause=x)" 403 "a decision by the group"
expect_code "$(get an "$link")" 200 "the decision form again"
unit=$(sed -n 's/^<option value="\([0-9]*\)">Отдел по работе с обращениями$/\1/p' "$T/body")
[ -n "$unit" ] || fail "no unit in the form"
ok
expect_code "$(post an "$path" -d period=2026H1 -d clients=external \
    -d due=2026-09-01 -d state=open -d "unit=$unit" \
    --data-urlencode 'cause=Мало окон приёма' \
    --data-urlencode 'measure=Открыть два окна' \
    --data-urlencode 'segment=пенсионеры')" 303 "a decision"
location >"$T/loc"
expect_grep '^/gkk/reports/pain\?period=2026H1&clients=external&done=saved$' "$T/loc"
expect_code "$(get an "$(cat "$T/loc")")" 200 "the map after the decision"
text >"$T/pain"
expect_grep '^Решение по проблеме сохранено.$' "$T/pain"
expect_grep '^Мало окон приёма$' "$T/pain"
expect_grep '^Открыть два окна$' "$T/pain"
expect_grep '^2026-09-01$' "$T/pain"
otk --org gkk audit list >"$T/audit"
expect_grep '	an	pain.update	' "$T/audit"

# The confirmation: the group and admins only, the minutes required.
expect_no_grep 'action="/gkk/reports/pain/confirm"' "$T/body"
expect_code "$(post an /gkk/reports/pain/confirm -d period=2026H1 \
    -d minutes_ref=1)" 403 "a confirmation by an analyst"
expect_code "$(get grp /gkk/reports/pain)" 200 "the map for the group"
expect_grep 'action="/gkk/reports/pain/confirm"' "$T/body"
expect_code "$(post grp /gkk/reports/pain/confirm -d period=2026H1 \
    -d clients=external -d minutes_ref=)" 422 "a confirmation without minutes"
field_error f-minutes_ref >"$T/err"
expect_grep 'номер и дату протокола' "$T/err"
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/grp" -d period=2026H1 \
    -d minutes_ref=1 "$URL/gkk/reports/pain/confirm")
expect_code "$code" 403 "a confirmation without CSRF"
expect_code "$(post grp /gkk/reports/pain/confirm -d period=2026H1 \
    -d clients=external --data-urlencode 'minutes_ref=№ 3 от 15.05.2026' \
    --data-urlencode 'note=Начать с очередей')" 303 "a confirmation"
expect_code "$(get grp "$(location)")" 200 "the map after the confirmation"
text >"$T/pain"
expect_grep '^№ 3 от 15.05.2026$' "$T/pain"
expect_grep '^Начать с очередей$' "$T/pain"
expect_grep '^запланирована$' "$T/pain"
otk --org gkk audit list >"$T/audit"
expect_grep '	grp	pain.confirm	' "$T/audit"

# The level with its formula.
expect_code "$(get an /gkk/reports/level)" 200 "the level"
text >"$T/level"
expect_grep '^Уровень за период' "$T/level"
expect_grep 'href="/gkk/reports/report.csv\?period=2026H1&amp;clients=external&amp;what=level"' "$T/body"

# The yearly report: a preview for analysts, publication by the group.
expect_code "$(pub /gkk/report/2026)" 404 "the report before publication"
expect_code "$(pub /gkk/report)" 200 "the list of reports"
expect_grep 'Отчёт ещё не опубликован' "$T/body"
expect_code "$(get an '/gkk/reports/public?year=2026')" 200 "the preview"
expect_grep 'Предпросмотр отчёта за 2026 год' "$T/body"
expect_no_grep 'name="summary"' "$T/body"
expect_code "$(get an '/gkk/reports/public?year=1999')" 400 "a year out of range"
expect_code "$(post an /gkk/reports/public -d year=2026)" 403 "publication by an analyst"
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/grp" -d year=2026 \
    "$URL/gkk/reports/public")
expect_code "$code" 403 "publication without CSRF"
expect_code "$(get grp '/gkk/reports/public?year=2026')" 200 "the preview for the group"
expect_grep 'name="summary"' "$T/body"
expect_code "$(post grp /gkk/reports/public -d year=2026 \
    --data-urlencode 'summary=Итоги года: очереди сократились.')" 303 "publication"
location >"$T/loc"
expect_grep '^/gkk/reports/public\?year=2026&done=published$' "$T/loc"
expect_code "$(get grp "$(cat "$T/loc")")" 200 "the page after publication"
expect_grep 'Публичный отчёт опубликован' "$T/body"
expect_grep 'href="/gkk/report/2026"' "$T/body"

# The public side.
expect_code "$(pub /gkk/report)" 200 "the list of reports"
expect_grep 'href="/gkk/report/2026"' "$T/body"
expect_code "$(pub /gkk/report/2026)" 200 "the public report"
text >"$T/public"
expect_grep '^Отчёт за 2026 год$' "$T/public"
expect_grep '^Итоги года: очереди сократились.$' "$T/public"
expect_grep 'href="/gkk/report/2026/print"' "$T/body"
expect_grep 'href="/gkk/report/2026.csv"' "$T/body"
expect_grep 'action="/gkk/rate"' "$T/body"
expect_grep 'role="img"' "$T/body"
cp "$T/raw" "$T/public.html"
expect_code "$(pub /gkk/report/2026/print)" 200 "the printable report"
expect_grep '^Content-Type: text/html' "$T/headers"
expect_grep '<!(DOCTYPE|doctype) html>' "$T/raw"
cp "$T/raw" "$T/print.html"
expect_code "$(pub /gkk/report/2026.csv)" 200 "the public CSV"
expect_grep '^Content-Type: text/csv; charset=utf-8$' "$T/headers"
csv
expect_grep '^Таблица,Строка,Показатель,Ключ,Значение,n,Статус$' "$T/csv"
cp "$T/csv" "$T/public.csv"
# No staff names, no client's name or address, no text of a message.
for f in "$T/public.html" "$T/print.html" "$T/public.csv"; do
	for s in 'Аналитик Иванова' 'Член группы Сидоров' 'Оператор Петрова' \
	    'Клиентова' 'example.ru' 'СЕКРЕТНЫЙ-ТЕКСТ' 'Мало окон приёма' \
	    'пенсионеры' '>an<' '>grp<'; do
		expect_no_grep "$s" "$f"
	done
done
# A year never published, and addresses that are no report.
for p in /gkk/report/2025 /gkk/report/2025/print /gkk/report/2025.csv \
    /gkk/report/2026.txt /gkk/report/x.csv; do
	expect_code "$(pub "$p")" 404 "$p"
done

# English.
cp "$T/an" "$T/an-en"
curl -s -o /dev/null -c "$T/an-en" -b "$T/an-en" "$URL/lang?to=en&back=/"
expect_code "$(get an-en /gkk/reports/pain)" 200 "the pain map in English"
expect_grep 'Pain map' "$T/raw"

done_testing

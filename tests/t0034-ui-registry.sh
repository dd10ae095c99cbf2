#!/bin/sh
# The staff pages of the registry (ui-registry.c), walked with curl as a
# unit editor and a registry officer: the front page with its deadline,
# browsing and searching, a draft whose missing needs are shown next to
# the needs field, form errors next to their fields with the values kept,
# submit → include → visible, return with a comment, a change and an
# exclusion, versions and the side-by-side diff, an upload whose bad row is
# listed before anything is written and a good one confirmed, downloads,
# a publication, XSS payloads escaped in every text field, and roles and
# CSRF enforced.
. "$SRCDIR/tests/lib.sh"
command -v curl >/dev/null || fail "curl needed"

# One fixed moment for the commands and the server: deadlines are dates.
OTKLIK_NOW=2024-05-16T10:00:00+05:00
export OTKLIK_NOW

otk init >/dev/null
otk org add gkk --name 'Госкомитет <b>РБ</b>' --tz Asia/Yekaterinburg >/dev/null
otk org add other --name 'Другой орган' >/dev/null
otk --org gkk registry import --client internal "$FIX/registry-001.csv" >/dev/null
# Passwords come on standard input.
adduser() {
	printf 'password123\n' | otk --org "$2" user add "$1" --name "$1 $3" \
	    --role "$3" >/dev/null
}
adduser ivanova gkk officer
adduser petrov gkk editor
adduser sidorov other editor
serve_start --quiet

# signin JAR LOGIN: a session in cookie jar $T/JAR.
signin() {
	code=$(curl -s -o /dev/null -w '%{http_code}' -c "$T/$1" -b "$T/$1" \
	    --data-urlencode "login=$2" --data-urlencode 'password=password123' \
	    "$URL/login")
	[ "$code" = 303 ] || fail "sign-in of $2: HTTP $code"
	ok
}
# get JAR PATH: the page in $T/body (split at tags for grep), headers in
# $T/headers; prints the status.
get() {
	curl -s -b "$T/$1" -o "$T/raw" -D "$T/hraw" -w '%{http_code}' "$URL$2"
	split_page
}
split_page() {
	sed 's/</\n</g' "$T/raw" >"$T/body"
	tr -d '\r' <"$T/hraw" >"$T/headers"
}
# token JAR PATH: the CSRF token of the forms on a page.
token() {
	curl -s -b "$T/$1" "$URL$2" |
	    sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1
}
# post JAR PATH ARGS...: a form with the session's token; as get().
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

signin off ivanova
signin ed petrov
signin out sidorov
tok_off=$(token off /gkk/)
tok_ed=$(token ed /gkk/)
tok_out=$(token out /)
[ -n "$tok_off" ] && [ -n "$tok_ed" ] || fail "no CSRF token on the front page"
ok

# The front page: the deadline of version 1, counts, links by role.
expect_code "$(get off /gkk/)" 200 "front page"
expect_grep '^<h1>Госкомитет &lt;b&gt;РБ&lt;/b&gt;' "$T/body"
expect_grep '^<td>16\.05\.2024$' "$T/body"
expect_grep '^<td>30\.05\.2024$' "$T/body"
expect_grep 'осталось 10 рабочих дней' "$T/body"
expect_grep 'ожидает публикации' "$T/body"
expect_grep 'Ждут проверки: 0' "$T/body"
expect_grep '^<a href="/gkk/registry/import">' "$T/body"
expect_grep '^<form method="post" action="/gkk/registry/publish"' "$T/body"
expect_no_grep '<script' "$T/body"
expect_code "$(get ed /gkk/)" 200 "front page, editor"
expect_no_grep 'action="/gkk/registry/publish"' "$T/body"
expect_no_grep 'href="/gkk/registry/import"' "$T/body"
expect_grep '^<a href="/gkk/registry/new">' "$T/body"
# No role in this organization: no page.
expect_code "$(get out /gkk/)" 403 "front page of another organization"
expect_code "$(get out /gkk/registry/entries)" 403 "browse, another organization"
# Not signed in: to the sign-in page.
code=$(curl -s -o /dev/null -D "$T/headers" -w '%{http_code}' "$URL/gkk/registry/entries")
expect_code "$code" 303 "anonymous browse"
expect_grep '^Location: /login\?next=' "$T/headers"

# Browse: areas, processes, touchpoints, with counts and links.
expect_code "$(get off /gkk/registry/entries)" 200 "browse"
expect_grep '^<h2>Взаимодействие с внутренним клиентом \(21\)' "$T/body"
expect_grep '^<h3>Организация документооборота и оперативного взаимодействия \(5\)' "$T/body"
expect_grep 'Версия 1 от 16\.05\.2024; 21 точка\.' "$T/body"
sedo=$(sed -n 's/^<a href="\/gkk\/registry\/entries\/\([0-9]*\)">Система электронного делопроизводства (СЭДО)$/\1/p' "$T/body" | head -n 1)
[ -n "$sedo" ] || fail "no link to the СЭДО touchpoint"
ok
# Search, case-insensitive.
expect_code "$(get off '/gkk/registry/entries?q=%D1%81%D1%8D%D0%B4%D0%BE')" 200 "search"
expect_grep 'Найдено: 2 по запросу «сэдо»' "$T/body"
expect_code "$(get off '/gkk/registry/entries?q=%D0%A1%D0%AD%D0%94%D0%9E')" 200 "search"
expect_grep 'Найдено: 2 по запросу «СЭДО»' "$T/body"
expect_no_grep 'Личный прием' "$T/body"
expect_code "$(get off '/gkk/registry/entries?q=%3Cscript%3Ealert(1)%3C/script%3E')" 200 "search xss"
expect_grep '«&lt;script&gt;alert\(1\)&lt;/script&gt;»' "$T/raw"
expect_no_grep '<script>alert' "$T/raw"

# One touchpoint: all fields, history, buttons by role.
expect_code "$(get ed "/gkk/registry/entries/$sedo")" 200 "entry"
expect_grep '^<h1>Система электронного делопроизводства \(СЭДО\)' "$T/body"
expect_grep '^<th scope="row">Тип канала' "$T/body"
expect_grep '^<td>Система электронного документооборота' "$T/body"
expect_grep '^<li>с версии 1 по текущую' "$T/body"
expect_grep "^<a href=\"/gkk/registry/entries/$sedo/edit\" class=\"button\">Изменить" "$T/body"
expect_grep "^<form method=\"post\" action=\"/gkk/registry/entries/$sedo/exclude\"" "$T/body"
expect_grep '^<button type="submit" class="secondary">Исключить' "$T/body"
expect_code "$(get off "/gkk/registry/entries/$sedo")" 200 "entry, officer"
expect_no_grep 'Исключить' "$T/body"
expect_code "$(get off /gkk/registry/entries/99999)" 404 "no such entry"
expect_code "$(get ed /gkk/registry/new)" 200 "new form"
expect_grep '^<option value="internal" selected="">' "$T/body"

# A draft without needs: saved, and the check's message stands next to
# the needs field, on the change page and in the form.
expect_code "$(post ed /gkk/registry/new \
    --data-urlencode 'area=Взаимодействие с внутренним клиентом' \
    --data-urlencode 'process=Выдача справок' \
    --data-urlencode 'name=Телефон +7 (347) 218-00-01' \
    --data-urlencode 'interaction=Консультации по справкам')" 303 "draft without needs"
nodraft=$(location | sed -n 's|^/gkk/registry/changes/\([0-9]*\)?done=draft$|\1|p')
[ -n "$nodraft" ] || fail "draft: redirected to '$(location)'"
ok
expect_code "$(get ed "/gkk/registry/changes/$nodraft?done=draft")" 200 "change page"
expect_grep 'Черновик сохранён' "$T/body"
tr -d '\n' <"$T/body" | sed 's/<tr>/\n<tr>/g' >"$T/rows"
expect_grep '^<tr><th scope="row">Удовлетворяемые потребности клиента</th><td></td><td><p class="finding finding-error" id="chk-[0-9]+"><strong>Ошибка:</strong> не указаны удовлетворяемые потребности.*needs-declared, 000 §10, 001 §2\.6' "$T/rows"
expect_no_grep '^<tr><th scope="row">Точка взаимодействия</th>.*needs-declared' "$T/rows"
expect_grep '1 ошибка, ' "$T/body"
expect_code "$(get ed "/gkk/registry/changes/$nodraft/edit")" 200 "correct form"
expect_grep '^<fieldset class="field needs" id="f-needs" aria-describedby="f-needs-hint f-needs-chk-[0-9]+">' "$T/body"
expect_grep '^<p class="finding finding-error" id="f-needs-chk-[0-9]+">' "$T/body"
expect_grep '^<input type="text" id="f-process" name="process" value="Выдача справок"' "$T/body"
# The officer cannot include it (it is not submitted, and would fail).
expect_code "$(post off "/gkk/registry/changes/$nodraft/include")" 409 "include a draft"
expect_grep 'only submitted changes can be included' "$T/body"

# Form errors: the message next to the field, the values kept.
expect_code "$(post ed /gkk/registry/new \
    --data-urlencode 'area=Взаимодействие с внутренним клиентом' \
    --data-urlencode 'process=' --data-urlencode 'name=Пусто' \
    --data-urlencode 'email=без собаки' --data-urlencode 'needs=info ' \
    --data-urlencode 'needs=consult ')" 422 "form with errors"
expect_grep '^<h2 id="errors-title">В форме есть ошибки' "$T/body"
expect_grep '^<a href="#f-process">' "$T/body"
expect_grep '^<p class="error" id="f-process-err">' "$T/body"
expect_grep 'list="processes" aria-describedby="f-process-hint f-process-err" aria-invalid="true">' "$T/body"
expect_grep '^<p class="error" id="f-email-err">' "$T/body"
expect_grep 'name="area" value="Взаимодействие с внутренним клиентом"' "$T/body"
expect_grep '^<datalist id="areas">' "$T/body"
expect_grep '^<option value="Организация рабочего пространства">' "$T/body"
expect_grep 'name="email" value="без собаки"' "$T/body"
expect_grep 'name="needs" value="info " checked=""' "$T/body"
expect_grep 'name="needs" value="consult " checked=""' "$T/body"
expect_no_grep 'name="needs" value="forms " checked' "$T/body"

# A good draft, two needs ticked: submitted by the editor, included by
# the officer (not by the editor), then in the registry.
expect_code "$(post ed /gkk/registry/new \
    --data-urlencode 'area=Взаимодействие с внутренним клиентом' \
    --data-urlencode 'process=Организация документооборота и оперативного взаимодействия' \
    --data-urlencode 'name=Чат-бот отдела кадров' \
    --data-urlencode 'needs=info ' --data-urlencode 'needs=consult ' \
    --data-urlencode 'interaction=Ответы на частые вопросы' \
    --data-urlencode 'url=https://example.org/bot' \
    --data-urlencode 'basis=internal' --data-urlencode 'basis_ref=Приказ № 5')" 303 "good draft"
good=$(location | sed -n 's|^/gkk/registry/changes/\([0-9]*\)?done=draft$|\1|p')
[ -n "$good" ] || fail "good draft: redirected to '$(location)'"
ok
expect_code "$(get ed "/gkk/registry/changes/$good")" 200 "good draft page"
expect_grep 'Ошибок нет: изменение можно включить' "$T/body"
expect_grep '^<td>Чат-бот$' "$T/body"
expect_grep '^<td>получение информации$' "$T/body"
expect_grep '^получение консультации' "$T/body"
expect_grep '^<a href="https://example.org/bot">' "$T/body"
expect_no_grep 'Включить в перечень' "$T/body"
expect_code "$(post ed "/gkk/registry/changes/$good/submit")" 303 "submit"
expect_grep "^Location: /gkk/registry/changes/$good\\?done=submitted" "$T/headers"
expect_code "$(post ed "/gkk/registry/changes/$good/include")" 403 "an editor includes"
expect_code "$(get off "/gkk/registry/changes/$good?done=submitted")" 200 "submitted"
expect_grep 'отправлено на проверку' "$T/body"
expect_grep '^<button type="submit">Включить в перечень' "$T/body"
expect_grep '^<textarea id="comment" name="comment"' "$T/body"
expect_code "$(get off /gkk/)" 200 "front page"
expect_grep 'Ждут проверки: 1' "$T/body"
expect_code "$(post off "/gkk/registry/changes/$good/include")" 303 "include"
expect_grep "^Location: /gkk/registry/changes/$good\\?done=included&v=2" "$T/headers"
expect_code "$(get off "/gkk/registry/changes/$good?done=included&v=2")" 200 "included"
expect_grep 'Изменение включено в перечень.*Версия 2\.' "$T/body"
expect_grep '^<dd>появление новой точки' "$T/body"
expect_code "$(get off /gkk/registry/entries)" 200 "browse after include"
expect_grep '^<a href="/gkk/registry/entries/[0-9]+">Чат-бот отдела кадров' "$T/body"
expect_grep '21 точка|22 точки' "$T/body"

# Return with a comment: none is refused next to the field; then back.
expect_code "$(post ed "/gkk/registry/changes/$nodraft/submit")" 303 "submit the draft without needs"
expect_code "$(post off "/gkk/registry/changes/$nodraft/return" --data-urlencode 'comment=')" 422 "return without a comment"
expect_grep '^<p class="error" id="comment-err">' "$T/body"
expect_grep 'aria-describedby="comment-hint comment-err" aria-invalid="true"' "$T/body"
expect_code "$(post off "/gkk/registry/changes/$nodraft/return" --data-urlencode 'comment=Укажите потребности <b>')" 303 "return"
expect_code "$(get ed "/gkk/registry/changes/$nodraft?done=returned")" 200 "returned"
expect_grep '^<h2 id="comment-title">Возвращено с комментарием' "$T/body"
expect_grep '^<p>Укажите потребности &lt;b&gt;' "$T/body"
expect_code "$(get ed '/gkk/registry/changes?state=returned')" 200 "list of returned"
expect_grep "^<a href=\"/gkk/registry/changes/$nodraft\">" "$T/body"
expect_no_grep "^<a href=\"/gkk/registry/changes/$good\">" "$T/body"
expect_code "$(get ed '/gkk/registry/changes?state=bogus')" 400 "bad state"

# A change of a touchpoint: edited, submitted, included; the diff shows
# the field before and after.
expect_code "$(get ed "/gkk/registry/entries/$sedo/edit")" 200 "edit form"
expect_grep 'name="name" value="Система электронного делопроизводства \(СЭДО\)"' "$T/body"
set -- --data-urlencode 'area=Взаимодействие с внутренним клиентом' \
    --data-urlencode 'process=Организация документооборота и оперативного взаимодействия' \
    --data-urlencode 'name=Система электронного делопроизводства (СЭДО)' \
    --data-urlencode 'channel=edms' --data-urlencode 'client=internal' \
    --data-urlencode 'needs=info result ' --data-urlencode 'key=1' \
    --data-urlencode 'interaction=Получение клиентом заданий и поручений. Информирование клиента' \
    --data-urlencode 'room=Кабинет 101'
expect_code "$(post ed "/gkk/registry/entries/$sedo/edit" "$@")" 303 "draft a change"
chg=$(location | sed -n 's|^/gkk/registry/changes/\([0-9]*\)?done=draft$|\1|p')
[ -n "$chg" ] || fail "change: redirected to '$(location)'"
ok
expect_code "$(get ed "/gkk/registry/changes/$chg")" 200 "change page"
expect_grep '^<th scope="col">Сейчас в перечне' "$T/body"
expect_grep '^<span class="tag">\(изменено\)' "$T/body"
expect_code "$(post ed "/gkk/registry/changes/$chg/submit")" 303 "submit the change"
expect_code "$(post off "/gkk/registry/changes/$chg/include")" 303 "include the change"
expect_grep '^Location: .*v=3$' "$T/headers"

# An exclusion drafted from the entry page.
expect_code "$(post ed "/gkk/registry/entries/$sedo/exclude")" 303 "exclude"
expect_grep '^Location: /gkk/registry/changes/[0-9]+\?done=exclude' "$T/headers"
expect_code "$(get ed "$(location)")" 200 "exclusion page"
expect_grep '^<h1>Изменение № [0-9]+: исключение' "$T/body"
expect_grep '^<h2>Исключаемая точка' "$T/body"

# Versions and the diff.
expect_code "$(get off /gkk/registry/versions)" 200 "versions"
expect_grep '^<th scope="row">3$' "$T/body"
expect_grep '^<a href="/gkk/registry/diff\?a=2&amp;b=3">' "$T/body"
expect_grep '^<a href="/gkk/registry/export.xlsx\?version=1">' "$T/body"
expect_code "$(get off '/gkk/registry/diff?a=1&b=3')" 200 "diff"
expect_grep '^<th scope="col">Версия 1 \(было\)' "$T/body"
expect_grep '^<th scope="col">Версия 3 \(стало\)' "$T/body"
expect_grep '^<strong>Добавлена' "$T/body"
expect_grep '^<strong>Изменена' "$T/body"
expect_grep '^<th scope="row">Кабинет' "$T/body"
expect_grep '^<td>Кабинет 101' "$T/body"
expect_grep '^<td class="none">нет' "$T/body"
expect_grep 'Добавлено: 1, изменено: 1, исключено: 0\.' "$T/body"
expect_code "$(get off '/gkk/registry/diff?a=1&b=9')" 404 "diff of a missing version"
expect_code "$(get off '/gkk/registry/diff?a=x')" 400 "diff of a bad version"

# Upload with a bad row: every rejected row listed, nothing written.
hdr='N,Направление деятельности,Наименование конкретного процесса,Точка взаимодействия,Осуществляемое взаимодействие с клиентом,Особенности взаимодействия с клиентом'
printf '%s\n1,Обращения граждан,Приём обращений,Электронная почта a@b.ru,Получение информации,цифровая точка\n,,,Телефон 8 (800) 100-00-00,Получение консультации,офлайн точка\n,,,,Получение консультации,офлайн точка\n' "$hdr" >"$T/bad.csv"
printf '%s\n1,Обращения граждан,Приём обращений,Электронная почта a@b.ru,Получение информации,цифровая точка\n,,,Телефон 8 (800) 100-00-00,Получение консультации,офлайн точка\n' "$hdr" >"$T/good.csv"
upload() {
	curl -s -b "$T/off" -o "$T/raw" -D "$T/hraw" -w '%{http_code}' \
	    -F "csrf=$tok_off" -F "file=@$1;type=text/csv" -F 'client=external' \
	    -F "note=$2" "$URL/gkk/registry/import"
	split_page
}
expect_code "$(get off /gkk/registry/import)" 200 "import form"
expect_grep '^<form method="post" action="/gkk/registry/import" enctype="multipart/form-data"' "$T/body"
expect_code "$(get ed /gkk/registry/import)" 403 "import form, editor"
expect_code "$(upload "$T/bad.csv" 'Приказ 1')" 422 "bad upload"
expect_grep '^<h1>Проверка файла «bad.csv»' "$T/body"
expect_grep 'Ничего не записано' "$T/body"
tr -d '\n' <"$T/body" | sed 's/<tr>/\n<tr>/g' >"$T/rows"
expect_grep '^<tr><th scope="row">4</th><td>4</td><td>no touchpoint' "$T/rows"
expect_no_grep 'Загрузить: создать новую версию' "$T/body"
expect_code "$(get off /gkk/registry/versions)" 200 "versions after a bad upload"
expect_no_grep '^<th scope="row">4$' "$T/body"
printf 'not a table\0\1\2' >"$T/junk.csv"
expect_code "$(upload "$T/junk.csv" '')" 422 "junk upload"
expect_grep '^<p class="error" id="file-err">' "$T/body"
# A good file: a preview with counts, then confirmed as a new version.
expect_code "$(upload "$T/good.csv" 'Приказ <2>')" 303 "good upload"
prev=$(location)
case "$prev" in /gkk/registry/import/[0-9]*) ok ;; *) fail "upload went to '$prev'" ;; esac
expect_code "$(get off "$prev")" 200 "preview"
expect_grep 'Все строки прочитаны' "$T/body"
expect_grep 'будет добавлено: 2' "$T/body"
expect_grep 'будет исключено: 22' "$T/body"
expect_grep '^<button type="submit">Загрузить: создать новую версию' "$T/body"
expect_code "$(get ed "$prev")" 403 "preview, editor"
expect_code "$(post off "$prev")" 303 "confirm"
expect_grep '^Location: /gkk/registry/versions\?done=imported&v=4' "$T/headers"
expect_code "$(get off '/gkk/registry/versions?done=imported&v=4')" 200 "versions after import"
expect_grep '^<td>Приказ &lt;2&gt;' "$T/body"
expect_code "$(get off "$prev")" 404 "the upload is gone after use"
expect_code "$(get off /gkk/registry/entries)" 200 "browse after import"
expect_grep '^<h2>Обращения граждан \(2\)' "$T/body"

# Downloads of the official form.
code=$(curl -s -b "$T/off" -o "$T/form.html" -D "$T/hraw" -w '%{http_code}' "$URL/gkk/registry/export.html")
tr -d '\r' <"$T/hraw" >"$T/headers"
expect_code "$code" 200 "export html"
expect_grep '^Content-Disposition: attachment; filename="perechen-gkk-v4.html"' "$T/headers"
expect_grep 'Направление деятельности' "$T/form.html"
expect_grep 'Осуществляемое взаимодействие с клиентом' "$T/form.html"
code=$(curl -s -b "$T/off" -o "$T/form.xlsx" -D "$T/hraw" -w '%{http_code}' "$URL/gkk/registry/export.xlsx?version=2")
tr -d '\r' <"$T/hraw" >"$T/headers"
expect_code "$code" 200 "export xlsx"
[ "$(head -c 2 "$T/form.xlsx")" = PK ] || fail "the XLSX is not a ZIP"
ok
expect_grep '^Content-Type: application/vnd.openxmlformats' "$T/headers"
code=$(curl -s -b "$T/ed" -o "$T/form.csv" -w '%{http_code}' "$URL/gkk/registry/export.csv?extended=1")
expect_code "$code" 200 "export csv"
expect_grep 'Точка взаимодействия' "$T/form.csv"
expect_code "$(get off '/gkk/registry/export.csv?version=99')" 404 "export of a missing version"

# A publication, recorded by the officer only.
expect_code "$(post ed /gkk/registry/publish)" 403 "an editor publishes"
expect_code "$(post off /gkk/registry/publish --data-urlencode 'url=javascript:alert(1)')" 422 "publish a bad URL"
expect_grep '^<p class="error" id="p-url-err">' "$T/body"
expect_code "$(post off /gkk/registry/publish --data-urlencode 'url=https://example.org/perechen')" 303 "publish"
expect_grep '^Location: /gkk/\?done=published&v=4' "$T/headers"
expect_code "$(get off '/gkk/?done=published&v=4')" 200 "front after publication"
expect_grep 'Публикация записана' "$T/body"
expect_grep 'Опубликована версия 4 — 16\.05\.2024' "$T/body"
expect_grep 'Публиковать нечего' "$T/body"

# XSS payloads in every text field come back escaped: on the change page
# (text) and in the form (attribute values and textareas).
x='"><script>alert(1)</script><img src=x onerror=alert(2)>'"'"
expect_code "$(post ed /gkk/registry/new --data-urlencode "area=A$x" \
    --data-urlencode "process=P$x" --data-urlencode "name=N$x" \
    --data-urlencode "interaction=I$x" --data-urlencode "features=F$x" \
    --data-urlencode "phone=T$x" --data-urlencode "email=e@$x" \
    --data-urlencode "url=https://x/$x" --data-urlencode "address=D$x" \
    --data-urlencode "room=R$x" --data-urlencode "unit=U$x" \
    --data-urlencode "basis_ref=B$x" --data-urlencode 'needs=info ')" 303 "xss draft"
xss=$(location | sed 's/?.*//')
for page in "$xss" "$xss/edit" /gkk/registry/changes; do
	expect_code "$(get ed "$page")" 200 "xss page $page"
	expect_no_grep '<script>alert' "$T/raw"
	expect_no_grep '<img src=x' "$T/raw"
done
expect_code "$(get ed "$xss")" 200 "xss change page"
expect_grep '^<td>N&quot;&gt;&lt;script&gt;alert\(1\)&lt;/script&gt;&lt;img src=x onerror=alert\(2\)&gt;&#39;' "$T/body"
expect_code "$(get ed "$xss/edit")" 200 "xss form"
expect_grep 'name="room" value="R&quot;&gt;&lt;script&gt;' "$T/body"
expect_grep 'name="unit" value="U&quot;&gt;&lt;script&gt;' "$T/body"
expect_grep '^<textarea id="f-features" name="features" rows="4" aria-describedby="f-features-hint">F&quot;&gt;&lt;script&gt;' "$T/body"

# Roles and CSRF are enforced on every state change.
expect_code "$(post off /gkk/registry/new --data-urlencode 'name=x')" 403 "an officer drafts"
expect_code "$(get off /gkk/registry/new)" 403 "the form, officer"
code=$(curl -s -b "$T/ed" -o /dev/null -w '%{http_code}' --data-urlencode 'name=x' "$URL/gkk/registry/new")
expect_code "$code" 403 "a draft without the CSRF token"
code=$(curl -s -b "$T/off" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$tok_ed" "$URL/gkk/registry/changes/$good/include")
expect_code "$code" 403 "another session's token"
expect_code "$(post out "/gkk/registry/entries/$sedo/exclude")" 403 "an editor of another organization"
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/gkk/registry/changes/$good/include" -X POST)
expect_code "$code" 403 "include, signed out"

# In English.
curl -s -b "$T/off" -c "$T/off" -o /dev/null "$URL/lang?to=en&back=/gkk/"
expect_code "$(get off /gkk/)" 200 "front page in English"
expect_grep '^<h2 id="pub-title">Publication of the registry' "$T/body"
expect_code "$(get off '/gkk/registry/entries?q=bot')" 200 "browse in English"
expect_grep 'Found: 0 for «bot»' "$T/body"

serve_stop

# The deadline of a new version as days go by: due soon, then late.
id=$(otk --org gkk registry draft add --area 'Обращения граждан' \
    --process 'Приём обращений' --name 'Почта: 450000, Уфа, ул. Ленина, 1' \
    --needs 'submit:appeal')
otk --org gkk registry submit "$id" >/dev/null
otk --org gkk registry include "$id" >/dev/null
OTKLIK_NOW=2024-05-28T10:00:00+05:00 serve_start --quiet
signin soon ivanova
expect_code "$(get soon /gkk/)" 200 "front page, two days before"
expect_grep '^<td>30\.05\.2024$' "$T/body"
expect_grep 'осталось 2 рабочих дня' "$T/body"
expect_grep '^<td class="soon">скоро срок' "$T/body"
serve_stop
OTKLIK_NOW=2024-06-05T10:00:00+05:00 serve_start --quiet
signin late ivanova
expect_code "$(get late /gkk/)" 200 "front page, after the deadline"
expect_grep 'просрочено на 4 рабочих дня' "$T/body"
expect_grep '^<td class="late">просрочено' "$T/body"
serve_stop
done_testing

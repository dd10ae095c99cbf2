#!/bin/sh
# The staff pages of surveys (ui-survey.c) with curl and a signed-in
# session: the list with the four standard instruments; a new instrument
# built question by question, with refusals next to their field or
# question; publishing, opening, attaching a touchpoint; three
# invitations as a CSV of links whose tokens the public form accepts and
# the database does not hold in clear; paper forms entered one at a time
# (stored with offline = 1, a number entered twice refused) and from a
# CSV file (checked, then confirmed); the results with the right n,
# share and index for known answers; the export, audited; and the roles:
# an editor gets 403, the working group sees results only.
. "$SRCDIR/tests/lib.sh"
command -v curl >/dev/null || fail "curl needed"

otk init >/dev/null
otk org add gkk --name 'Госкомитет' --tz Asia/Yekaterinburg >/dev/null
otk --org gkk registry import --client internal "$FIX/registry-001.csv" >/dev/null
adduser() {
	printf 'password123\n' | otk --org gkk user add "$1" --name "$2" \
	    --role "$3" >/dev/null
}
adduser an 'Аналитик Иванова' analyst
adduser op 'Оператор Петрова' operator
adduser ed 'Редактор Сидоров' editor
adduser grp 'Член рабочей группы' group
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
# The text of the page without tags, one piece a line.
text() { sed 's/<[^>]*>//g; /^[[:space:]]*$/d' "$T/body"; }
# The text of the error next to a field (its id + "-err").
field_error() { grep -A4 "id=\"$1-err\"" "$T/body" | sed 's/<[^>]*>//g; /^[[:space:]]*$/d'; }

for who in an op ed grp; do signin $who; done
tok_an=$(token an /gkk/surveys)
tok_op=$(token op /gkk/surveys)
tok_ed=$(token ed /gkk/surveys)
tok_grp=$(token grp /gkk/surveys)
[ -n "$tok_an" ] && [ -n "$tok_op" ] && [ -n "$tok_ed" ] && [ -n "$tok_grp" ] ||
    fail "no CSRF token"
ok

# The list: the four standard instruments, and the form for analysts.
expect_code "$(get an /gkk/surveys)" 200 "the list"
text >"$T/list"
for c in services appeals information internal; do
	expect_grep "^$c\$" "$T/list"
done
expect_grep 'Оценка удовлетворенности внешних клиентов оказанием Министерством государственных услуг' "$T/list"
expect_grep '^Новая анкета$' "$T/list"
expect_grep 'action="/gkk/surveys"' "$T/body"
# The registry's pages link here.
get an /gkk/registry/entries >/dev/null
expect_grep 'href="/gkk/surveys"' "$T/body"
# An editor may look, but gets no form.
expect_code "$(get ed /gkk/surveys)" 200 "the list for an editor"
text >"$T/list"
expect_no_grep '^Новая анкета$' "$T/list"

# A new instrument: a bad code is named next to its field.
expect_code "$(post an /gkk/surveys --data code=Visit --data-urlencode 'title=Анкета посетителя' --data client=external)" 422 "a bad code"
field_error new-code >"$T/err"
expect_grep 'латинская строчная буква' "$T/err"
expect_grep 'value="Анкета посетителя"' "$T/body"
expect_code "$(post an /gkk/surveys --data code=visit --data-urlencode 'title=Анкета посетителя' --data client=external)" 303 "a new survey"
[ "$(location)" = "/gkk/surveys/visit/edit?done=added" ] || fail "redirect: $(location)"
ok
expect_code "$(post an /gkk/surveys --data code=visit --data-urlencode 'title=Ещё одна')" 409 "the same code again"
expect_code "$(post ed /gkk/surveys --data code=other --data-urlencode 'title=Другая')" 403 "an editor making a survey"

# The builder: the draft of version 1 with its first question.
expect_code "$(get an /gkk/surveys/visit/edit)" 200 "the builder"
text >"$T/edit"
expect_grep '^Черновик версии 1' "$T/edit"
expect_grep '^Вопрос 1: overall$' "$T/edit"
expect_code "$(get ed /gkk/surveys/visit/edit)" 403 "the builder for an editor"

E=/gkk/surveys/visit/edit
# A step the builder does not know is refused by name, before anything.
expect_code "$(post an $E --data op=merge)" 400 "an unknown step of the builder"
text >"$T/err"
expect_grep 'op.*expected one of title\|save\|add\|del\|up\|down' "$T/err"
expect_code "$(post an $E --data op=add --data code=how --data type=single \
    --data-urlencode 'text_ru=Как вы обратились?' \
    --data-urlencode "$(printf 'options=visit = Лично | In person\nphone = По телефону')")" 303 "a choice question"
[ "$(location)" = "/gkk/surveys/visit/edit?done=saved#q-2" ] || fail "redirect: $(location)"
ok
expect_code "$(post an $E --data op=add --data code=why --data type=text \
    --data-urlencode 'text_ru=Что было не так на приёме?' --data show_if=how \
    --data show_any=visit)" 303 "a conditional question"
# An option line without "=" is named by its line; the text stays.
expect_code "$(post an $E --data op=add --data code=bad --data type=single \
    --data-urlencode 'text_ru=Плохие варианты' \
    --data-urlencode "$(printf 'options=a = А\nno equals here')")" 422 "a bad option"
field_error add-options >"$T/err"
expect_grep 'строка 2: нет знака «=»' "$T/err"
expect_grep 'no equals here' "$T/body"
# A condition on a question below is refused next to it.
expect_code "$(post an $E --data op=add --data code=bad --data type=text \
    --data-urlencode 'text_ru=Х' --data show_if=nope --data show_any=a)" 422 "a bad condition"
field_error add-show_if >"$T/err"
expect_grep 'только на вопрос выше' "$T/err"
# Moving the conditional question above its condition: refused by the
# definition's own check, shown beside the question.
expect_code "$(post an $E --data op=up --data i=2 --data at=why)" 409 "a move that breaks a condition"
text >"$T/edit"
expect_grep "Черновик не сохранён: question 2 \\(why\\)" "$T/edit"
# A page older than the draft: the question is not where it was.
expect_code "$(post an $E --data op=del --data i=1 --data at=why)" 409 "a stale page"
# Saving a question changes it in place.
expect_code "$(post an $E --data op=save --data i=0 --data at=overall --data code=overall \
    --data type=rating --data-urlencode 'text_ru=Насколько вы довольны в целом?' --data required=1)" 303 "a question saved"
get an $E >/dev/null
text >"$T/edit"
expect_grep '^Насколько вы довольны в целом\?$' "$T/edit"
expect_grep '^Вопрос 3: why$' "$T/edit"

# The preview of the draft: the questions, the button disabled.
expect_code "$(get an /gkk/surveys/visit/preview)" 200 "the preview"
text >"$T/pv"
expect_grep '^Предпросмотр$' "$T/pv"
expect_grep 'name="q.how"' "$T/body"
expect_grep '<button type="submit" disabled' "$T/body"
expect_code "$(get an '/gkk/surveys/visit/preview?version=9')" 404 "no such version"

# Publish and open.
expect_code "$(post an /gkk/surveys/visit/publish)" 303 "publish"
expect_code "$(post op /gkk/surveys/visit/publish)" 403 "an operator publishing"
expect_code "$(post an /gkk/surveys/visit/open --data open=1)" 303 "open"
expect_code "$(get an /gkk/surveys/visit)" 200 "the overview"
text >"$T/ov"
expect_grep '^действующая$' "$T/ov"
expect_grep '^открыт$' "$T/ov"
expect_grep 'src="/gkk/s/visit/qr.svg"' "$T/body"
expect_grep 'href="/gkk/s/visit/poster"' "$T/body"

# Attach a touchpoint chosen from the registry's select.
tp=$(sed -n 's/.*<option value="\([0-9][0-9]*\)".*/\1/p' "$T/body" | head -n 1)
[ -n "$tp" ] || fail "no touchpoint in the select"
ok
expect_code "$(post an /gkk/surveys/visit/targets --data kind=touchpoint --data touchpoint="$tp")" 303 "attach"
expect_code "$(post an /gkk/surveys/visit/targets --data kind=service --data-urlencode 'name=')" 422 "attach without a name"
field_error at-service >"$T/err"
expect_grep 'укажите название' "$T/err"
get an /gkk/surveys/visit >/dev/null
expect_grep "href=\"/gkk/s/visit/$tp\"" "$T/body"
expect_grep "src=\"/gkk/s/visit/qr.svg\\?tp=$tp\"" "$T/body"

# Three invitations: a CSV of three links, each taken by the public form,
# none stored in clear.
expect_code "$(post an /gkk/surveys/visit/invites --data n=3 --data batch=May)" 200 "invitations"
expect_grep '^Content-Type: text/csv' "$T/headers"
expect_grep '^Cache-Control: no-store' "$T/headers"
tr -d '\r' <"$T/raw" >"$T/inv.csv"
[ "$(head -n 1 "$T/inv.csv")" = link ] || fail "the CSV's header: $(head -n 1 "$T/inv.csv")"
ok
[ "$(tail -n +2 "$T/inv.csv" | grep -Ec "^$URL/gkk/s/visit\\?k=[0-9A-Z]{26}\$")" = 3 ] ||
    { cat "$T/inv.csv" >&2; fail "not three links"; }
ok
[ "$(tail -n +2 "$T/inv.csv" | sort -u | wc -l)" = 3 ] || fail "links repeat"
ok
first=$(sed -n 2p "$T/inv.csv")
code=$(curl -s -o /dev/null -w '%{http_code}' "$first")
[ "$code" = 200 ] || fail "the invitation's link: HTTP $code"
ok
if command -v sqlite3 >/dev/null; then
	k=${first##*k=}
	cat "$OTKLIK_DB"* >"$T/dbdump"
	expect_no_grep "$k" "$T/dbdump"
	[ "$(sqlite3 "$OTKLIK_DB" 'SELECT COUNT(*) FROM srv_invite')" = 3 ] || fail "not three invitations stored"
	ok
fi
expect_code "$(post an /gkk/surveys/visit/invites --data n=0 --data batch=)" 422 "invitations without a count"
field_error inv-n >"$T/err"
expect_grep 'от 1 до 10 000' "$T/err"
get an /gkk/surveys/visit >/dev/null
text >"$T/ov"
grep -Fx -A3 'May' "$T/ov" | head -n 3 | tr '\n' ' ' >"$T/batch"
expect_grep '^May 3 0 $' "$T/batch"

# Paper forms, entered by an operator.
P=/gkk/surveys/visit/paper
expect_code "$(get op $P)" 200 "the paper form"
expect_grep 'name="q.overall"' "$T/body"
expect_code "$(get an $P)" 403 "the paper form for an analyst"
expect_code "$(post op $P --data paper_ref=P-1 --data day=2024-05-20 --data touchpoint="$tp" \
    --data q.overall=5 --data q.how=visit --data-urlencode 'q.why=Долгая очередь')" 303 "paper form 1"
[ "$(location)" = "$P?done=paper" ] || fail "redirect: $(location)"
ok
expect_code "$(post op $P --data paper_ref=P-1 --data day=2024-05-20 --data q.overall=4)" 409 "the same number again"
field_error p-ref >"$T/err"
expect_grep 'уже внесена' "$T/err"
expect_code "$(post op $P --data paper_ref=P-2 --data day=2099-01-01)" 422 "a day to come, a required question unanswered"
field_error p-day >"$T/err"
expect_grep 'дата ещё не наступила' "$T/err"
expect_grep 'aria-invalid="true"' "$T/body"
expect_code "$(post op $P --data paper_ref=P-2 --data day=2024-05-21 --data q.overall=2 --data q.how=phone)" 303 "paper form 2"
expect_code "$(post op $P --data paper_ref=P-3 --data day=2024-05-22 --data q.overall=3 \
    --data-urlencode 'service=Выдача справки' --data-urlencode 'situation=Рождение ребёнка')" 303 "paper form 3"
# A service's name is text (white space is squeezed; a control
# character is refused).
expect_code "$(post op $P --data paper_ref=P-4 --data day=2024-05-22 --data q.overall=3 \
    --data-urlencode "service=$(printf 'a\001b')")" 422 "a service with a control character"
if command -v sqlite3 >/dev/null; then
	[ "$(sqlite3 "$OTKLIK_DB" "SELECT COUNT(*) FROM srv_response WHERE offline = 1 AND paper_ref IN ('P-1','P-2','P-3')")" = 3 ] ||
	    fail "the paper forms are not stored with offline = 1"
	[ "$(sqlite3 "$OTKLIK_DB" "SELECT service || '/' || situation FROM srv_response WHERE paper_ref = 'P-3'")" = 'Выдача справки/Рождение ребёнка' ] ||
	    fail "the paper form's service and life situation are not stored"
	[ "$(sqlite3 "$OTKLIK_DB" "SELECT COUNT(*) FROM srv_response WHERE paper_ref = 'P-4'")" = 0 ] ||
	    fail "a paper form with a bad service was stored"
	ok
fi

# Results over May 2024: ratings 5, 2, 3: n 3, share 33,3 %, index 58,3.
R='/gkk/surveys/visit/results?from=2024-05-01&to=2024-05-31'
expect_code "$(get an "$R")" 200 "the results"
text >"$T/res"
expect_grep '^n = 3; доля удовлетворённых \(4–5\): 33,3 %; индекс 0–100: 58,3$' "$T/res"
expect_grep 'анкет 3, из них бумажных 3' "$T/res"
grep -Fx -A3 'Насколько вы довольны в целом?' "$T/res" | head -n 4 | tr '\n' ' ' >"$T/row"
expect_grep '^Насколько вы довольны в целом\? 3 33,3 58,3 $' "$T/row"
expect_grep '^Долгая очередь$' "$T/res"
grep -Fx -A1 'Лично' "$T/res" | tail -n 1 >"$T/row"
expect_grep '^1$' "$T/row"
expect_code "$(get an "$R&channel=online")" 200 "online only"
text >"$T/res"
expect_grep '^нет ответов \(n = 0\)$' "$T/res"
# The default period is the current half-year.
expect_code "$(get an /gkk/surveys/visit/results)" 200 "the default period"
expect_grep 'name="from" value="20[0-9][0-9]-0[17]-01"' "$T/body"
expect_code "$(get grp "$R")" 200 "the results for the working group"
expect_code "$(get ed "$R")" 403 "the results for an editor"
expect_code "$(get op "$R")" 403 "the results for an operator"
expect_code "$(get an "/gkk/surveys/visit/results?from=2024-06-01&to=2024-05-01")" 422 "a period backwards"

# The export, audited.
expect_code "$(get an '/gkk/surveys/visit/results.csv?from=2024-05-01&to=2024-05-31')" 200 "CSV"
expect_grep '^Content-Type: text/csv' "$T/headers"
[ "$(tr -d '\r' <"$T/raw" | tail -n +2 | grep -c .)" = 3 ] || { cat "$T/raw" >&2; fail "not three rows"; }
ok
expect_code "$(get an '/gkk/surveys/visit/results.xlsx?from=2024-05-01&to=2024-05-31')" 200 "XLSX"
[ "$(head -c 2 "$T/raw")" = PK ] || fail "the XLSX is not a zip"
ok
expect_code "$(get grp '/gkk/surveys/visit/results.csv')" 403 "CSV for the working group"
otk audit list >"$T/audit"
expect_grep 'an	survey\.export	survey:visit	.*"format":"csv".*"rows":3' "$T/audit"
expect_grep 'an	survey\.export	survey:visit	.*"format":"xlsx"' "$T/audit"

# A CSV of paper forms: errors with row and column, nothing written;
# then a good one, checked, then confirmed.
printf 'paper_ref,day,touchpoint,overall,how,why\nP-10,2024-05-23,,4,visit,\nP-11,2024-05-23,,9,phone,\n' >"$T/bad.csv"
code=$(curl -s -b "$T/op" -o "$T/raw" -D "$T/hraw" -w '%{http_code}' -F "csrf=$tok_op" \
    -F "file=@$T/bad.csv" "$URL$P/upload")
split_page
expect_code "$code" 422 "a bad CSV"
expect_grep 'row 3, column overall' "$T/body"
expect_no_grep 'otklik-paper' "$T/body"
printf 'paper_ref,day,touchpoint,overall,how,why\nP-10,2024-05-23,,4,visit,\nP-1,2024-05-20,,5,,\n' >"$T/good.csv"
code=$(curl -s -b "$T/op" -o "$T/raw" -D "$T/hraw" -w '%{http_code}' -F "csrf=$tok_op" \
    -F "file=@$T/good.csv" "$URL$P/upload")
split_page
expect_code "$code" 200 "a good CSV checked"
text >"$T/chk"
expect_grep '^Будет внесено анкет: 1; пропущено \(номера уже внесены\): 1\.$' "$T/chk"
data=$(sed -n 's/.*name="data" value="\([^"]*\)".*/\1/p' "$T/body")
[ -n "$data" ] || fail "no confirmation form"
ok
get an "$R" >/dev/null
text >"$T/res"
expect_grep 'анкет 3, из них бумажных 3' "$T/res"
expect_code "$(post op $P/import --data-urlencode name=good.csv --data-urlencode "data=$data")" 303 "the CSV confirmed"
[ "$(location)" = "$P?done=imported&n=1&skipped=1" ] || fail "redirect: $(location)"
ok
get an "$R" >/dev/null
text >"$T/res"
expect_grep 'анкет 4, из них бумажных 4' "$T/res"
expect_grep '^n = 4; доля удовлетворённых \(4–5\): 50,0 %; индекс 0–100: 62,5$' "$T/res"

# The rest of the roles.
expect_code "$(post ed /gkk/surveys/visit/open --data open=0)" 403 "an editor closing"
expect_code "$(post grp /gkk/surveys/visit/invites --data n=1 --data batch=x)" 403 "the group inviting"
expect_code "$(post an $P --data paper_ref=P-9 --data day=2024-05-21 --data q.overall=2)" 403 "an analyst entering paper"
expect_code "$(get ed /gkk/surveys/nosuch)" 404 "no such survey"

done_testing

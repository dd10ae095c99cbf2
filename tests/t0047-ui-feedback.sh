#!/bin/sh
# The staff pages of feedback (ui-feedback.c, ui-feedback-admin.c) with
# curl: registering offline messages with errors next to their fields,
# the queue in deadline order with external and internal clients apart,
# timers as words and a breach listed, one case through its whole life
# (acknowledge, take, classify with a suggestion, assign, answer from a
# template edited first, close, reopen, extend) with wrong steps refused
# and bad parameters named, contact details only for operators, the
# dictionary pages, and the roles: an editor without "operator" gets 403.
. "$SRCDIR/tests/lib.sh"
command -v curl >/dev/null || fail "curl needed"

# One fixed moment for the commands and the server: timers are words.
OTKLIK_NOW=2024-05-16T10:00:00+05:00
export OTKLIK_NOW

otk init >/dev/null
otk org add gkk --name 'Госкомитет' --tz Asia/Yekaterinburg >/dev/null
otk --org gkk unit add 'Отдел обращений' >/dev/null
adduser() {
	printf 'password123\n' | otk --org gkk user add "$1" --name "$2" \
	    --role "$3" >/dev/null
}
adduser oper 'Оператор Петрова' operator
adduser ed 'Редактор Сидоров' editor
adduser boss 'Администратор' admin
otk --org gkk topic add --keywords 'запис+приём|талон' 'Запись на приём' >/dev/null
otk --org gkk topic add --reason --keywords 'ожидан|очеред' 'Долгое ожидание' >/dev/null
otk --org gkk template add --topic 'Запись на приём' 'Как записаться' \
    'Записаться на приём можно по телефону 8-800-000-00-00.' >/dev/null
tpl=$(otk --org gkk template list | cut -f1)
serve_start --quiet

signin() {
	code=$(curl -s -o /dev/null -w '%{http_code}' -c "$T/$1" -b "$T/$1" \
	    --data-urlencode "login=$1" --data-urlencode 'password=password123' \
	    "$URL/login")
	[ "$code" = 303 ] || fail "sign-in of $1: HTTP $code"
	ok
}
# get JAR PATH: the page in $T/body split at tags; prints the status.
get() {
	curl -s -b "$T/$1" -o "$T/raw" -D "$T/hraw" -w '%{http_code}' "$URL$2"
	split_page
}
split_page() {
	sed 's/</\n</g' "$T/raw" >"$T/body"
	tr -d '\r' <"$T/hraw" >"$T/headers"
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

signin oper
signin ed
signin boss
tok_oper=$(token oper /gkk/cases)
tok_ed=$(token ed /gkk/)
tok_boss=$(token boss /gkk/cases)
[ -n "$tok_oper" ] && [ -n "$tok_ed" ] && [ -n "$tok_boss" ] || fail "no CSRF token"
ok

# Registration: the channel first and focused, offline channels first.
expect_code "$(get oper /gkk/cases/new)" 200 "the registration form"
expect_grep '<select id="n-channel" name="channel" autofocus' "$T/body"
first=$(grep -m1 '^<option value=' "$T/body")
case "$first" in *'"phone"'*) ok ;; *) fail "first channel: $first" ;; esac

# Errors come back next to their fields, with what was typed kept.
expect_code "$(post oper /gkk/cases/new -d channel=phone -d kind=appeal \
    -d client=external --data-urlencode 'subject=Без текста')" 400 \
    "registration without a text"
expect_grep 'id="n-text-err"' "$T/body"
expect_grep 'aria-describedby="n-text-err" aria-invalid="true"' "$T/body"
expect_grep 'value="Без текста"' "$T/body"
expect_code "$(post oper /gkk/cases/new -d channel=phone -d kind=appeal \
    -d client=external -d text=Текст -d email=not-an-address \
    -d consent=1)" 400 "a wrong e-mail"
expect_grep 'id="n-email-err"' "$T/body"
# Undeclared values are refused by the route's validators, named.
expect_code "$(post oper /gkk/cases/new -d channel=fax -d text=x)" 400 \
    "an unknown channel"
expect_grep 'Поле «channel»' "$T/body"
expect_code "$(post oper /gkk/cases/new -d channel=reception -d text=x \
    -d wait=soon)" 400 "wait that is not a number"
expect_grep 'Поле «wait»' "$T/body"

# A phone appeal transferred three times, with the caller's consent.
expect_code "$(post oper /gkk/cases/new -d channel=phone -d kind=appeal \
    -d client=external -d transfers=3 -d consent=1 \
    --data-urlencode 'name=Мария Кузнецова' \
    --data-urlencode 'email=maria@example.org' \
    --data-urlencode 'text=Не могу записаться на приём: нет талонов <script>alert(1)</script>')" \
    303 "a phone appeal"
loc=$(location)
case "$loc" in /gkk/cases/[0-9]*'?done=new') ok ;; *) fail "location $loc" ;; esac
case1=${loc%%\?*}
case1=${case1##*/}
# A letter received 40 days ago: its 30 days to answer are over.
expect_code "$(post oper /gkk/cases/new -d channel=post -d kind=appeal \
    -d client=external -d received=2024-04-06T11:00 \
    --data-urlencode 'text=Прошу разъяснить порядок получения справки')" 303 \
    "an old letter"
old=$(location)
old=${old%%\?*}
old=${old##*/}
# An employee's own message: an internal client.
expect_code "$(post oper /gkk/cases/new -d channel=reception \
    -d kind=proposal -d client=internal -d wait=25 \
    --data-urlencode 'text=Предлагаю перенести окно приёма ближе ко входу')" \
    303 "an internal proposal"

# The queue: nearest deadline first, external and internal apart, timers
# in words, the breach listed.
expect_code "$(get oper /gkk/cases)" 200 "the queue"
text >"$T/q"
expect_grep '^Внешние клиенты: 2$' "$T/q"
expect_grep '^Внутренние клиенты: 1$' "$T/q"
expect_grep '^Нарушения сроков: 1$' "$T/q"
expect_grep 'Ответ: просрочено на 9 дней \(срок 06\.05\.2024 23:59\)' "$T/q"
expect_grep 'Ответ: осталось 33 дня \(срок 17\.06\.2024 23:59\)' "$T/q"
expect_grep 'нарушение: много переключений звонка' "$T/q"
expect_grep 'нарушение: долгое ожидание приёма' "$T/q"
# The overdue letter comes before the fresh call.
code_old=$(curl -s -b "$T/oper" "$URL/gkk/cases/$old" |
    sed -n 's/.*<h1>Обращение \([0-9A-Z-]*\)<.*/\1/p')
code1=$(curl -s -b "$T/oper" "$URL/gkk/cases/$case1" |
    sed -n 's/.*<h1>Обращение \([0-9A-Z-]*\)<.*/\1/p')
[ -n "$code_old" ] && [ -n "$code1" ] || fail "no tracking codes"
l_old=$(grep -n "^$code_old\$" "$T/q" | tail -n 1 | cut -d: -f1)
l_new=$(grep -n "^$code1\$" "$T/q" | tail -n 1 | cut -d: -f1)
[ "$l_old" -lt "$l_new" ] || fail "the overdue case is not first"
ok
# The script tag of a message is text, never markup.
expect_no_grep '<script>alert' "$T/raw"
expect_grep '&lt;script&gt;alert' "$T/raw"

# Filters: internal only, overdue only, words, kind.
expect_code "$(get oper '/gkk/cases?client=internal')" 200 "internal only"
text >"$T/q"
expect_no_grep '^Внешние клиенты' "$T/q"
expect_grep 'Предлагаю перенести окно' "$T/q"
expect_code "$(get oper '/gkk/cases?overdue=1&state=open')" 200 "overdue"
text >"$T/q"
expect_grep '^Внешние клиенты: 1$' "$T/q"
expect_grep 'Прошу разъяснить' "$T/q"
expect_no_grep 'Не могу записаться' "$T/q"
expect_code "$(get oper "/gkk/cases?q=$code1")" 200 "search by code"
text >"$T/q"
expect_grep '^Внешние клиенты: 1$' "$T/q"
expect_code "$(get oper '/gkk/cases?state=bogus')" 400 "a bad state"
expect_grep 'Поле «state»' "$T/body"
expect_code "$(get oper '/gkk/cases?kind=letter')" 400 "a bad kind"
expect_grep 'Поле «kind»' "$T/body"
expect_code "$(get oper '/gkk/cases?overdue=yes')" 400 "a bad flag"
expect_grep 'Поле «overdue»' "$T/body"

# The case: fields, timers, contact for the operator, the suggestion.
expect_code "$(get oper "/gkk/cases/$case1?done=new")" 200 "the case"
text >"$T/c"
expect_grep '^Обращение зарегистрировано\.$' "$T/c"
expect_grep '^Ответ: осталось 33 дня \(срок 17\.06\.2024 23:59\)$' "$T/c"
expect_grep 'нарушение: звонок переключали больше допустимого' "$T/c"
expect_grep '^maria@example\.org$' "$T/c"
expect_grep '^Мария Кузнецова$' "$T/c"
expect_grep 'Подсказки темы: Запись на приём — [0-9]+ % \(по ключевым словам\)' "$T/c"
expect_grep '^Зарегистрировано$' "$T/c"
expect_code "$(get oper /gkk/cases/99999)" 404 "a case that does not exist"

# Wrong steps are refused with a message; right ones move the case.
expect_code "$(post oper "/gkk/cases/$case1/close")" 409 "close before the answer"
expect_grep 'only an answered message can be closed' "$T/body"
expect_code "$(post oper "/gkk/cases/$case1/answer" -d answer=x)" 409 \
    "answer before acknowledging"
expect_code "$(post oper "/gkk/cases/$case1/ack")" 303 "acknowledge"
[ "$(location)" = "/gkk/cases/$case1?done=ack" ] || fail "ack went to $(location)"
ok
expect_code "$(post oper "/gkk/cases/$case1/ack")" 409 "acknowledge twice"
expect_code "$(post oper "/gkk/cases/$case1/take")" 303 "take"
topic=$(otk --org gkk topic list | cut -f1)
expect_code "$(post oper "/gkk/cases/$case1/classify" -d topic="$topic" \
    -d reason=0 -d form=appeals)" 303 "classify"
expect_code "$(post oper "/gkk/cases/$case1/classify" -d topic=abc)" 400 \
    "classify with a bad topic"
expect_grep 'Поле «topic»' "$T/body"
unit=$(curl -s -b "$T/oper" "$URL/gkk/cases/$case1" |
    sed -n 's/.*<option value="\([0-9]*\)">Отдел обращений<.*/\1/p')
oper_id=$(curl -s -b "$T/oper" "$URL/gkk/cases/$case1" |
    sed -n 's/.*<option value="\([0-9]*\)">Оператор Петрова<.*/\1/p')
[ -n "$unit" ] && [ -n "$oper_id" ] || fail "no unit or person to assign"
ok
expect_code "$(post oper "/gkk/cases/$case1/assign" -d unit="$unit" \
    -d assignee="$oper_id")" 303 "assign"
expect_code "$(post oper "/gkk/cases/$case1/extend" -d days=40 \
    -d notice=x)" 400 "extend by too many days"
expect_grep 'Поле «days»' "$T/body"

# Answer from a template: the search finds it by another form of a word,
# choosing it puts its text into the answer, edited before sending.
expect_code "$(get oper "/gkk/cases/$case1?tq=записи")" 200 "template search"
expect_grep "<option value=\"$tpl\">Как записаться" "$T/body"
expect_code "$(get oper "/gkk/cases/$case1?tq=налог")" 200 "template search, none"
expect_grep 'Шаблонов с этими словами нет' "$T/body"
expect_code "$(get oper "/gkk/cases/$case1?template=$tpl")" 200 "template chosen"
expect_grep '<textarea id="s-answer" name="answer" rows="8" required="" autofocus="">Записаться на приём можно по телефону 8-800-000-00-00\.' "$T/body"
expect_grep "name=\"template_id\" value=\"$tpl\"" "$T/body"
expect_code "$(post oper "/gkk/cases/$case1/answer" -d template_id="$tpl" \
    --data-urlencode 'answer=Мария, записаться на приём можно по телефону 8-800-000-00-00 с 9 до 18.')" \
    303 "answer"
otk --org gkk template list >"$T/t"
expect_grep "^$tpl	Как записаться	Запись на приём	1$" "$T/t"
expect_code "$(get oper "/gkk/cases/$case1")" 200 "the answered case"
text >"$T/c"
expect_grep '^Дан ответ$' "$T/c"
expect_grep '^Мария, записаться на приём можно по телефону 8-800-000-00-00 с 9 до 18\.$' "$T/c"
expect_grep '^Запись на приём$' "$T/c"
expect_grep '^Отдел обращений$' "$T/c"
expect_grep '^Ответ: выполнено в срок' "$T/c"
expect_grep '^Рассмотрение обращений и запросов$' "$T/c"
expect_code "$(post oper "/gkk/cases/$case1/close")" 303 "close"
expect_code "$(post oper "/gkk/cases/$case1/close")" 409 "close twice"
expect_code "$(post oper "/gkk/cases/$case1/reopen" -d why=client)" 303 "reopen"
expect_code "$(get oper "/gkk/cases/$case1")" 200 "the reopened case"
text >"$T/c"
expect_grep '^В работе$' "$T/c"
# The history has every step, in order.
for st in 'Зарегистрировано' 'Получение подтверждено' 'В работе' \
    'Дан ответ' 'Закрыто'; do
	expect_grep "→ $st\$" "$T/c"
done

# The 59-FZ extension, once.
expect_code "$(post oper "/gkk/cases/$old/take")" 303 "take the old letter"
expect_code "$(post oper "/gkk/cases/$old/extend" -d days=10 \
    --data-urlencode 'notice=Срок продлён в связи с запросом документов')" \
    303 "extend"
expect_code "$(get oper "/gkk/cases/$old")" 200 "the extended case"
text >"$T/c"
expect_grep '^Срок продлён в связи с запросом документов$' "$T/c"
expect_code "$(post oper "/gkk/cases/$old/extend" -d days=5 -d notice=x)" \
    409 "extend twice"

# Roles: an editor without "operator" sees none of it; CSRF is required.
expect_code "$(get ed /gkk/cases)" 403 "editor: the queue"
expect_code "$(get ed "/gkk/cases/$case1")" 403 "editor: a case"
expect_code "$(get ed /gkk/feedback/topics)" 403 "editor: topics"
expect_code "$(post ed "/gkk/cases/$old/ack")" 403 "editor: a step"
code=$(curl -s -o /dev/null -w "%{http_code}" -b "$T/oper" -d x=1 \
    "$URL/gkk/cases/$old/close")
[ "$code" = 403 ] || fail "a step without the CSRF token: HTTP $code"
ok
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/gkk/cases")
case "$code" in 303|401|403) ok ;; *) fail "signed out: HTTP $code" ;; esac
# The admin passes every check.
expect_code "$(get boss "/gkk/cases/$case1")" 200 "admin: a case"

# Dictionary pages: topics with the measured accuracy, add with errors.
expect_code "$(get oper /gkk/feedback/topics)" 200 "topics"
text >"$T/d"
expect_grep 'Запись на приём' "$T/d"
expect_grep 'Точность подсказок пока не измерить' "$T/d"
awk -F'\t' 'NR > 1 { gsub(/"/, "\"\"", $3);
    printf "lab-%d,2024-04-%02dT10:00:00Z,email,appeal,external,%s,%s,\"%s\"\n",
    NR, NR % 28 + 1, $1, $2, $3 }' "$FIX/feedback-labelled.tsv" |
    sed '1i external_id,received_at,channel,kind,client_type,topic,reason,text' \
    >"$T/labelled.csv"
otk --org gkk feedback import --create-topics "$T/labelled.csv" >/dev/null
expect_code "$(post oper /gkk/feedback/topics -d kind=topic \
    --data-urlencode 'title=Сайт' --data-urlencode 'keywords=на')" 400 \
    "a topic with bad keywords"
expect_grep 'id="t-keywords-err"' "$T/body"
expect_grep 'value="Сайт"' "$T/body"
expect_code "$(post oper /gkk/feedback/topics -d kind=topic \
    --data-urlencode 'title=Сайт' --data-urlencode 'keywords=сайт|портал')" \
    303 "a topic"
otk --org gkk topic list >"$T/t"
expect_grep '	topic	Сайт	сайт\|портал$' "$T/t"
# Labelled messages imported: the accuracy is measured on every 5th held
# out (the topic just added made the server rebuild its classifier).
expect_code "$(get oper /gkk/feedback/topics)" 200 "topics, measured"
text >"$T/d"
expect_grep '^Точность подсказок, измеренная на 63 отложенных обращениях: [0-9]+ % ' "$T/d"
# With them the queue runs to pages of 100, the filters kept.
expect_code "$(get oper '/gkk/cases?client=external')" 200 "the long queue"
text >"$T/q"
expect_grep '^Внешние клиенты: 317 \(показаны 1–100\)$' "$T/q"
expect_grep 'href="/gkk/cases\?page=1&amp;client=external">Следующие' "$T/body"
expect_code "$(get oper '/gkk/cases?page=3&client=external')" 200 "the last page"
text >"$T/q"
expect_grep '^Внешние клиенты: 317 \(показаны 301–317\)$' "$T/q"
expect_grep 'href="/gkk/cases\?page=2&amp;client=external">← Предыдущие' "$T/body"
expect_no_grep 'Следующие' "$T/body"
expect_code "$(get oper '/gkk/cases?page=last')" 400 "a bad page"
expect_grep 'Поле «page»' "$T/body"
expect_code "$(post oper /gkk/feedback/templates --data-urlencode 'title=' \
    --data-urlencode 'body=Текст')" 400 "a template without a title"
expect_grep 'id="n-title-err"' "$T/body"
expect_code "$(post oper "/gkk/feedback/templates/$tpl" \
    --data-urlencode 'title=Как записаться' --data-urlencode 'body=Новый текст' \
    -d topic=0 -d active=0)" 303 "deactivate a template"
otk --org gkk template list --all >"$T/t"
expect_grep "^$tpl	Как записаться	-	1	inactive$" "$T/t"
# Channels and standards: seen by operators, changed by admins only; a
# looser standard is refused at its field.
expect_code "$(get oper /gkk/feedback/channels)" 200 "channels"
expect_code "$(post oper /gkk/feedback/standards -d code=ack_written \
    -d amount=12)" 403 "an operator tightening a standard"
expect_code "$(post boss /gkk/feedback/standards -d code=ack_written \
    -d amount=48 -d unit=hours -d working=1 -d enabled=1)" 400 \
    "a looser standard"
expect_grep 'id="std-ack_written-err"' "$T/body"
expect_grep 'may only be tightened' "$T/body"
expect_code "$(post boss /gkk/feedback/standards -d code=ack_written \
    -d amount=12 -d unit=hours -d working=1 -d enabled=1)" 303 \
    "a tighter standard"
otk --org gkk standard list >"$T/t"
expect_grep '^ack_written	12	hours	working	enabled	[^	]*$' "$T/t"
expect_code "$(post boss /gkk/feedback/hours -d start=08:00 -d end=25:00)" \
    400 "hours past midnight"
expect_grep 'Поле «end»' "$T/body"
expect_code "$(post boss /gkk/feedback/channels -d channel=phone \
    -d enabled=0 -d online=0 -d client=both)" 303 "a channel"
otk --org gkk channel list >"$T/t"
expect_grep '^phone	disabled	offline	both$' "$T/t"

serve_stop
done_testing

#!/bin/sh
# The public pages of feedback (ui-feedback-public.c), walked with curl
# and no session: the form; an anonymous message and one with contact
# details (its history key shown once, in the answer to the POST only,
# never in an address or the access log); the same form sent twice is one
# message; every field broken (bad UTF-8, too long, unknown codes,
# missing, inconsistent) comes back 400 naming the field, with the values
# kept and nothing stored; tracking by code, the answer and the client's
# "solved / not solved"; the history by key and the withdrawal of the
# consent; quick ratings; cross-site POSTs refused.
. "$SRCDIR/tests/lib.sh"
command -v curl >/dev/null || fail "curl needed"
command -v sqlite3 >/dev/null || fail "sqlite3 needed"

# One fixed moment: dates on the pages are then known.
OTKLIK_NOW=2024-05-16T10:00:00+05:00
export OTKLIK_NOW

otk init >/dev/null
otk org add gkk --name 'Госкомитет <b>РБ</b>' --tz Asia/Yekaterinburg >/dev/null
otk org add other --name 'Другой орган' >/dev/null
otk --org gkk registry import --client internal "$FIX/registry-001.csv" >/dev/null
otk --org gkk registry publish >/dev/null
# The access log goes to serve.err: it must never hold a history key.
serve_start

sql() { sqlite3 "$OTKLIK_DB" "$1"; }
count() { sql 'SELECT count(*) FROM fb_message'; }
# get PATH: the page in $T/raw, split at tags in $T/body, headers in
# $T/headers; prints the status.
get() {
	curl -s -o "$T/raw" -D "$T/hraw" -w '%{http_code}' "$@"
	sed 's/</\n</g' "$T/raw" >"$T/body"
	tr -d '\r' <"$T/hraw" >"$T/headers"
}
# send ARGS...: POST the feedback form; as get().
send() { get "$@" "$URL/gkk/feedback"; }
expect_code() {
	[ "$1" = "$2" ] || { cat "$T/raw" >&2; fail "$3: HTTP $1, expected $2"; }
	ok
}
location() { sed -n 's/^Location: //p' "$T/headers"; }
# refused FIELD WHAT ARGS...: the form comes back 400 with FIELD marked
# and linked from the summary, and nothing is stored.
refused() {
	field=$1
	what=$2
	shift 2
	before=$(count)
	expect_code "$(send "$@")" 400 "$what"
	expect_grep "^<a href=\"#f-$field\">" "$T/body"
	expect_grep "id=\"f-$field\"[^>]* aria-invalid=\"true\"" "$T/raw"
	expect_grep "id=\"f-$field-err\"" "$T/raw"
	[ "$(count)" = "$before" ] || fail "$what: a message was stored"
	ok
}
# refused_early FIELD WHAT ARGS...: refused by the route's parameter
# checks before the page: a 400 page naming the field; nothing stored.
refused_early() {
	field=$1
	what=$2
	shift 2
	before=$(count)
	expect_code "$(send "$@")" 400 "$what"
	expect_grep "Поле «$field»" "$T/body"
	[ "$(count)" = "$before" ] || fail "$what: a message was stored"
	ok
}

# The form: every field, the consent's full text naming the operator,
# a one-time id, the touchpoints of the published registry, no script.
expect_code "$(get "$URL/gkk/feedback")" 200 "the form"
expect_grep '^<h1>Обратная связь' "$T/body"
expect_grep '<form method="post" action="/gkk/feedback" class="stack" novalidate="">' "$T/raw"
for f in kind form touchpoint subject text anonymous name email phone address consent key; do
	expect_grep "id=\"f-$f\"" "$T/raw"
done
expect_grep 'name="kind" value="appeal" required=""' "$T/raw"
expect_grep 'name="kind" value="complaint"' "$T/raw"
expect_grep 'name="kind" value="proposal"' "$T/raw"
expect_grep 'name="kind" value="comment"' "$T/raw"
expect_no_grep 'value="internal"' "$T/raw"
expect_grep '<optgroup label="Взаимодействие с внутренним клиентом">' "$T/raw"
expect_grep '^<strong>Госкомитет &lt;b&gt;РБ&lt;/b&gt;' "$T/body"
expect_grep 'Цель обработки: рассмотрение моего сообщения' "$T/raw"
expect_grep 'Срок: пять лет' "$T/raw"
expect_grep 'Отозвать согласие можно в любой момент' "$T/raw"
expect_grep '<label for="f-text" class="required">' "$T/raw"
expect_grep 'name="once" value="[0-9a-f]{32}"' "$T/raw"
expect_grep 'Была ли страница полезной' "$T/raw"
expect_no_grep '<script' "$T/raw"
once1=$(sed -n 's/.*name="once" value="\([0-9a-f]*\)".*/\1/p' "$T/raw")
get "$URL/gkk/feedback" >/dev/null
once2=$(sed -n 's/.*name="once" value="\([0-9a-f]*\)".*/\1/p' "$T/raw")
[ "$once1" != "$once2" ] || fail "the one-time id is the same twice"
ok
# A touchpoint can be chosen in advance by a link.
tp=$(sql "SELECT id FROM touchpoint ORDER BY id LIMIT 1")
expect_code "$(get "$URL/gkk/feedback?touchpoint=$tp")" 200 "a touchpoint chosen"
expect_grep "<option value=\"$tp\" selected=\"\">" "$T/raw"
expect_code "$(get "$URL/nosuch/feedback")" 404 "no such organization"
# In English.
expect_code "$(get -b 'lang=en' "$URL/gkk/feedback")" 200 "the form in English"
expect_grep '<html lang="en">' "$T/raw"
expect_grep '^<h1>Feedback' "$T/body"

# An anonymous appeal: a redirect to the confirmation with the code.
expect_code "$(send --data-urlencode kind=appeal --data-urlencode anonymous=1 \
    --data-urlencode 'text=Не работает запись на приём через сайт' \
    --data-urlencode "once=$once1")" 303 "an anonymous appeal"
code1=$(location | sed -n 's|^/gkk/feedback/sent/\([0-9A-Z]\{4\}-[0-9A-Z]\{6\}\)$|\1|p')
[ -n "$code1" ] || fail "no tracking code in $(location)"
ok
[ "$(sql "SELECT kind, channel, source, client, contact_id IS NULL, text FROM fb_message WHERE code = '$code1'")" = \
    'appeal|site|direct|external|1|Не работает запись на приём через сайт' ] ||
    fail "the anonymous appeal is not stored as sent"
ok
expect_code "$(get "$URL/gkk/feedback/sent/$code1")" 200 "the confirmation"
expect_grep "^<p class=\"code\" id=\"tracking-code\">$code1" "$T/body"
expect_grep "^<a href=\"/gkk/track/$code1\">" "$T/body"
expect_grep 'Шаг 2 из 2' "$T/raw"
expect_no_grep 'history-key' "$T/raw"
# The same form sent again (a double click) is the same message.
expect_code "$(send --data-urlencode kind=appeal --data-urlencode anonymous=1 \
    --data-urlencode 'text=Не работает запись на приём через сайт' \
    --data-urlencode "once=$once1")" 303 "the same form again"
[ "$(location)" = "/gkk/feedback/sent/$code1" ] || fail "a second message: $(location)"
ok
[ "$(count)" = 1 ] || fail "the form sent twice made $(count) messages"
ok

# A proposal with contact details and the consent: the key in the page
# that answers the POST, not cached, and nowhere else.
expect_code "$(send --data-urlencode kind=proposal --data-urlencode anonymous=0 \
    --data-urlencode 'name=Иванов Иван' --data-urlencode email=ivanov@example.ru \
    --data-urlencode consent=1 --data-urlencode 'subject=Форма на сайте' \
    --data-urlencode 'text=Добавьте, пожалуйста, запись на вечер' \
    --data-urlencode "once=$once2")" 200 "a proposal with contacts"
key=$(sed -n 's/^<p class="key" id="history-key">\([0-9a-f]\{64\}\)$/\1/p' "$T/body")
[ -n "$key" ] || fail "no history key on the confirmation"
ok
code2=$(sed -n 's/^<p class="code" id="tracking-code">\(.*\)$/\1/p' "$T/body")
[ -n "$code2" ] || fail "no code on the confirmation"
ok
expect_grep '^Cache-Control: no-store' "$T/headers"
expect_no_grep '^Location:' "$T/headers"
expect_grep "<input type=\"hidden\" name=\"key\" value=\"$key\">" "$T/raw"
[ "$(sql "SELECT count(*) FROM fb_contact WHERE key_hash = '$key'")" = 0 ] ||
    fail "the key is stored in the clear"
ok
[ "$(sql "SELECT b.basis, b.text_version FROM fb_message m JOIN pd_basis b ON b.contact_id = m.contact_id WHERE m.code = '$code2'")" = 'consent|1' ] ||
    fail "the consent is not recorded"
ok
# Sent again: the same message, and the key is not shown a second time.
expect_code "$(send --data-urlencode kind=proposal --data-urlencode anonymous=0 \
    --data-urlencode 'name=Иванов Иван' --data-urlencode email=ivanov@example.ru \
    --data-urlencode consent=1 --data-urlencode 'subject=Форма на сайте' \
    --data-urlencode 'text=Добавьте, пожалуйста, запись на вечер' \
    --data-urlencode "once=$once2")" 303 "the proposal again"
[ "$(location)" = "/gkk/feedback/sent/$code2" ] || fail "resent: $(location)"
ok
expect_code "$(get "$URL/gkk/feedback/sent/$code2")" 200 "its confirmation"
expect_no_grep "$key" "$T/raw"
# A complaint with contacts needs no consent (59-FZ); with the key it
# joins the same history.
expect_code "$(send --data-urlencode kind=complaint --data-urlencode anonymous=0 \
    --data-urlencode "key=$(printf '%s' "$key" | tr a-f A-F)" \
    --data-urlencode 'text=Мне не ответили вовремя')" 303 "a complaint with the key"
code3=$(location | sed 's|.*/||')
[ "$(sql "SELECT count(DISTINCT contact_id) FROM fb_message WHERE code IN ('$code2', '$code3')")" = 1 ] ||
    fail "the key did not join the history"
ok
expect_code "$(send --data-urlencode kind=appeal --data-urlencode anonymous=0 \
    --data-urlencode 'phone=+7 (347) 123-45-67' --data-urlencode 'address=450000, Уфа' \
    --data-urlencode 'text=Прошу разъяснить порядок')" 200 "an appeal with a phone, no consent"
key4=$(sed -n 's/^<p class="key" id="history-key">\([0-9a-f]\{64\}\)$/\1/p' "$T/body")
[ -n "$key4" ] && [ "$key4" != "$key" ] || fail "no new history key for the appeal"
ok
[ "$(count)" = 4 ] || fail "expected 4 messages, have $(count)"
ok

# Every field broken: 400, the field marked, the values kept, nothing
# stored.
refused text "no text" --data-urlencode kind=appeal --data-urlencode 'subject=<b>Тема</b>'
expect_grep 'value="&lt;b&gt;Тема&lt;/b&gt;"' "$T/raw"
expect_grep 'Сообщение не отправлено: исправьте ошибки' "$T/raw"
expect_grep '<div class="alert" role="alert" tabindex="-1" autofocus=""' "$T/raw"
refused text "only spaces" --data-urlencode kind=appeal --data-urlencode 'text=   '
refused kind "no kind" --data-urlencode 'text=Текст <script>alert(1)</script>'
expect_grep '>Текст &lt;script&gt;alert\(1\)&lt;/script&gt;<' "$T/raw"
expect_no_grep '<script>alert' "$T/raw"
python3 -c "print('я' * 10001, end='')" >"$T/long.txt"
refused text "20,002 bytes of text" --data-urlencode kind=comment --data-urlencode "text@$T/long.txt"
python3 -c "print('я' * 30000, end='')" >"$T/huge.txt"
refused_early text "60,000 bytes of text" --data-urlencode kind=comment --data-urlencode "text@$T/huge.txt"
refused_early text "broken UTF-8" --data kind=appeal --data 'text=%D0%9F%FF%FE'
refused_early name "broken UTF-8 in the name" --data kind=appeal --data anonymous=0 \
    --data 'name=%C3%28' --data email=a@example.ru --data text=x
refused_early kind "an unknown kind" --data kind=mention --data text=x
refused_early form "an unknown form" --data kind=appeal --data form=bogus --data text=x
refused_early anonymous "anonymous neither 1 nor 0" --data kind=appeal --data anonymous=2 --data text=x
refused_early once "a bad one-time id" --data kind=appeal --data once=xyz --data text=x
refused_early touchpoint "a touchpoint not a number" --data kind=appeal --data touchpoint=abc --data text=x
python3 -c "print('а' * 300, end='')" >"$T/subj.txt"
refused subject "a long subject" --data-urlencode kind=appeal --data-urlencode text=x --data-urlencode "subject@$T/subj.txt"
refused subject "a control character" --data kind=appeal --data text=x --data 'subject=a%07b'
refused touchpoint "a touchpoint not in the registry" --data kind=appeal --data touchpoint=999999 --data text=x
refused email "a bad e-mail" --data kind=appeal --data anonymous=0 --data email=ivanov --data text=x
expect_grep 'value="ivanov"' "$T/raw"
refused phone "a bad phone" --data kind=appeal --data anonymous=0 --data phone=12 --data text=x
refused consent "a proposal with contacts, no consent" --data kind=proposal \
    --data anonymous=0 --data email=a@example.ru --data text=x
refused anonymous "anonymous with contacts" --data kind=appeal --data anonymous=1 \
    --data email=a@example.ru --data text=x
refused email "an answer wanted, no way to send it" --data kind=appeal --data anonymous=0 \
    --data 'name=Иван' --data text=x
refused key "a key not 64 hex digits" --data kind=appeal --data anonymous=0 --data key=abc --data text=x
refused key "a key nobody has" --data kind=appeal --data anonymous=0 \
    --data key=0000000000000000000000000000000000000000000000000000000000000000 --data text=x
# The errors in English.
before=$(count)
expect_code "$(send -b lang=en --data kind=appeal)" 400 "errors in English"
expect_grep 'The message was not sent: correct the errors' "$T/raw"
expect_grep '<a href="#f-text">Your message: write the text of your message.' "$T/raw"
# Too large a body.
head -c 300000 /dev/zero | tr '\0' a >"$T/body.txt"
expect_code "$(send --data-binary "@$T/body.txt")" 413 "a body too large"
[ "$(count)" = "$before" ] || fail "something was stored by a refused form"
ok
# A POST from another site is refused before anything.
expect_code "$(send -H 'Origin: http://evil.example' --data kind=appeal --data text=x)" 403 "a cross-site POST"
expect_code "$(send -H 'Sec-Fetch-Site: cross-site' --data kind=appeal --data text=x)" 403 "cross-site by fetch metadata"
[ "$(count)" = "$before" ] || fail "a cross-site POST stored a message"
ok

# Tracking: the form, codes as people type them, unknown codes, another
# organization's code, nothing identifying on the page.
expect_code "$(get "$URL/gkk/track")" 200 "the tracking form"
expect_grep 'id="f-code"' "$T/raw"
low=$(printf '%s' "$code2" | tr -d - | tr A-Z a-z)
expect_code "$(get "$URL/gkk/track?code=$low")" 303 "a code in lower case without the dash"
[ "$(location)" = "/gkk/track/$code2" ] || fail "normalized to $(location)"
ok
expect_code "$(get "$URL/gkk/track?code=abc")" 400 "a malformed code"
expect_grep 'id="f-code"[^>]*aria-invalid="true"' "$T/raw"
expect_grep '<a href="#f-code">' "$T/raw"
expect_code "$(get "$URL/gkk/track?code=0000-000000")" 404 "an unknown code"
expect_code "$(get "$URL/other/track/$code2")" 404 "a code of another organization"
expect_code "$(get "$URL/gkk/track/$code2")" 200 "the tracking page"
expect_grep "^<h1>Сообщение $code2" "$T/body"
expect_grep '^<dd>Предложение' "$T/body"
expect_grep '^<dd>16\.05\.2024 10:00' "$T/body"
expect_grep '^<strong class="state">Зарегистрировано' "$T/body"
expect_grep '^<span class="when">16\.05\.2024 10:00' "$T/body"
expect_no_grep 'ivanov|Иванов|example\.ru' "$T/raw"
expect_no_grep 'Решена ли ваша проблема' "$T/raw"
# An appeal gets the 59-FZ deadline.
expect_code "$(get "$URL/gkk/track/$code1")" 200 "the appeal's page"
expect_grep '^<dt>Срок ответа' "$T/body"

# The answer, and the client's reply: "not solved" reopens, "solved"
# closes, a second reply is refused.
otk --org gkk feedback take "$code1" >/dev/null
otk --org gkk feedback answer --text 'Запись восстановлена. <i>Спасибо</i>' "$code1" >/dev/null
expect_code "$(get "$URL/gkk/track/$code1")" 200 "answered"
expect_grep '^<strong class="state">Дан ответ' "$T/body"
expect_grep '^<div class="answer">Запись восстановлена. &lt;i&gt;Спасибо&lt;/i&gt;' "$T/body"
expect_grep '^<h2 id="solved-title">Решена ли ваша проблема\?' "$T/body"
expect_grep "<form method=\"post\" action=\"/gkk/track/$code1\"" "$T/raw"
expect_code "$(get --data solved=0 "$URL/gkk/track/$code1")" 303 "not solved"
[ "$(location)" = "/gkk/track/$code1?done=reopened" ] || fail "not solved: $(location)"
ok
[ "$(sql "SELECT state, reopened, solved FROM fb_message WHERE code = '$code1'")" = 'in_work|1|0' ] ||
    fail "not solved did not reopen the case"
ok
expect_code "$(get "$URL/gkk/track/$code1?done=reopened")" 200 "reopened"
expect_grep 'возвращено в работу и будет рассмотрено снова' "$T/raw"
expect_grep 'проблема не решена; возвращено' "$T/raw"
expect_no_grep 'solved-title' "$T/raw"
expect_code "$(get --data solved=1 "$URL/gkk/track/$code1")" 409 "a reply before the new answer"
otk --org gkk feedback answer --text 'Исправили ещё раз.' "$code1" >/dev/null
expect_code "$(get --data solved=1 "$URL/gkk/track/$code1")" 303 "solved"
[ "$(sql "SELECT state, solved FROM fb_message WHERE code = '$code1'")" = 'closed|1' ] ||
    fail "solved did not close the case"
ok
expect_code "$(get "$URL/gkk/track/$code1?done=closed")" 200 "closed"
expect_grep 'Вы подтвердили, что проблема решена' "$T/raw"
expect_code "$(get --data solved=0 "$URL/gkk/track/$code1")" 409 "a second reply"
expect_code "$(get --data solved=maybe "$URL/gkk/track/$code1")" 400 "a reply neither 1 nor 0"
expect_code "$(get -H 'Origin: http://evil.example' --data solved=0 "$URL/gkk/track/$code2")" 403 "a cross-site reply"

# The history by key (in the body only), the withdrawal of the consent.
expect_code "$(get "$URL/gkk/my")" 200 "the history form"
expect_code "$(get --data-urlencode "key=$key" "$URL/gkk/my")" 200 "the history"
expect_grep '^Cache-Control: no-store' "$T/headers"
expect_grep "^<a href=\"/gkk/track/$code2\">$code2" "$T/body"
expect_grep "^<a href=\"/gkk/track/$code3\">$code3" "$T/body"
expect_no_grep "/gkk/track/$code1\"" "$T/raw"
expect_grep '^<td>Форма на сайте' "$T/body"
expect_code "$(get --data key=abc "$URL/gkk/my")" 400 "a malformed key"
expect_grep 'id="f-key"[^>]*aria-invalid="true"' "$T/raw"
expect_code "$(get --data key=1111111111111111111111111111111111111111111111111111111111111111 "$URL/gkk/my")" 404 "an unknown key"
expect_code "$(get --data-urlencode "key=$key" "$URL/other/my")" 404 "the key in another organization"
expect_code "$(get --data-urlencode "key=$key" "$URL/gkk/my/withdraw")" 200 "withdraw"
# The complaint is answered under 59-FZ whatever the consent: the data
# stays for that answer.
expect_grep 'Согласие отозвано. Данные хранятся только для ответа на ваше обращение \(59-ФЗ\)' "$T/raw"
[ "$(sql "SELECT count(*) FROM pd_basis b JOIN fb_message m ON m.contact_id = b.contact_id WHERE m.code = '$code2' AND b.basis = 'consent' AND b.withdrawn_at IS NOT NULL AND b.withdrawn_via = 'site'")" = 1 ] ||
    fail "the consent is not withdrawn"
ok
expect_code "$(get --data-urlencode "key=$key" "$URL/gkk/my/withdraw")" 200 "withdraw again"
expect_grep 'Действующего согласия нет' "$T/raw"
# The appeal's contact is held by law (59-FZ), not by a consent.
expect_code "$(get --data-urlencode "key=$key4" "$URL/gkk/my/withdraw")" 200 "withdraw, no consent"
expect_grep 'Действующего согласия нет' "$T/raw"
expect_code "$(get --data key=2222222222222222222222222222222222222222222222222222222222222222 "$URL/gkk/my/withdraw")" 404 "withdraw, an unknown key"

# Quick ratings: stored as a comment with the rating, the page's pattern
# (never its address), then thanks with the way back.
before=$(count)
expect_code "$(get --data rating=4 --data-urlencode 'page=/{org}/registry' \
    --data back=/gkk/registry --data-urlencode 'comment=Удобно' "$URL/gkk/rate")" 303 "a rating"
[ "$(location)" = '/gkk/rate/thanks?back=%2Fgkk%2Fregistry' ] || fail "rating: $(location)"
ok
[ "$(sql "SELECT kind, rating, form, channel, subject, text FROM fb_message ORDER BY id DESC LIMIT 1")" = \
    'comment|4|information|site|Оценка страницы /{org}/registry|Удобно' ] || fail "the rating is not stored as sent"
ok
expect_code "$(get "$URL/gkk/rate/thanks?back=%2Fgkk%2Fregistry")" 200 "thanks"
expect_grep '^<a href="/gkk/registry">' "$T/body"
expect_code "$(get "$URL/gkk/rate/thanks?back=%2F%2Fevil.example%2Fgkk%2F")" 200 "thanks, a foreign back"
expect_no_grep 'evil' "$T/raw"
expect_code "$(get --data rating=5 --data-urlencode "page=/{org}/track/{name}" "$URL/gkk/rate")" 303 "a rating of a tracking page"
[ "$(sql "SELECT text FROM fb_message ORDER BY id DESC LIMIT 1")" = 'Оценка 5 из 5, без комментария.' ] ||
    fail "a rating without a comment"
ok
[ "$(count)" = $((before + 2)) ] || fail "ratings stored: $(count)"
ok
before=$(count)
expect_code "$(get --data-urlencode 'page=/{org}/registry' "$URL/gkk/rate")" 400 "a rating without a rating"
expect_grep 'id="quick-1"[^>]*aria-invalid="true"' "$T/raw"
expect_code "$(get --data rating=7 "$URL/gkk/rate")" 400 "a rating of 7"
expect_grep 'Поле «rating»' "$T/raw"
expect_code "$(get --data rating=3 --data page=/admin/orgs "$URL/gkk/rate")" 400 "a rating of a staff page"
expect_grep 'Поле «page»' "$T/raw"
[ "$(count)" = "$before" ] || fail "a refused rating was stored"
ok
# The site's touchpoint, when the organization set one, gets the ratings.
otk --org gkk channel set --enabled 1 site >/dev/null
sql "UPDATE fb_channel SET touchpoint_id = $tp WHERE org_id = (SELECT id FROM org WHERE slug = 'gkk') AND channel = 'site'"
expect_code "$(get --data rating=2 --data-urlencode 'page=/{org}/feedback' "$URL/gkk/rate")" 303 "a rating of the site's touchpoint"
[ "$(sql "SELECT touchpoint_id, rating FROM fb_message ORDER BY id DESC LIMIT 1")" = "$tp|2" ] ||
    fail "the rating is not on the site's touchpoint"
ok
# A client who leaves contacts without saying so wants an answer.
expect_code "$(send --data kind=appeal --data email=x@example.ru --data text=x)" 200 "contacts, no choice made"
expect_grep 'id="history-key"' "$T/raw"
# An organization that takes no feedback on the site has no form.
otk --org gkk channel set --enabled 0 site >/dev/null
expect_code "$(get "$URL/gkk/feedback")" 404 "the form, the site channel off"
before=$(count)
expect_code "$(send --data kind=appeal --data text=x)" 404 "a message, the site channel off"
[ "$(count)" = "$before" ] || fail "a message was taken on a channel that is off"
ok
otk --org gkk channel set --enabled 1 site >/dev/null

# The quick form is on the public registry page and the feedback pages.
for p in /gkk/registry /gkk/feedback /gkk/track "/gkk/track/$code2" /gkk/my; do
	expect_code "$(get "$URL$p")" 200 "$p"
	expect_grep '<form method="post" action="/gkk/rate"' "$T/raw"
	expect_grep '<a href="/gkk/feedback">' "$T/raw"
done

# The key went nowhere but the pages: not in an address of the log.
serve_stop
expect_no_grep "$key" "$T/serve.err"
expect_no_grep 'AddressSanitizer|runtime error|LeakSanitizer' "$T/serve.err"
expect_grep 'POST /gkk/my/withdraw' "$T/serve.err"
done_testing

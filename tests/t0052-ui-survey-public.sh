#!/bin/sh
# The public pages of surveys (ui-survey-public.c), walked with curl and
# no session: the list of open surveys; the form of each standard
# instrument; an answer stored with its day only; a required question
# missing comes back 400 naming it, with the answers kept; a touchpoint's
# form; the invitation-only instrument refused without a token, taken
# once with one, refused the second time; a low rating with contact and
# consent opens a feedback case (R-FB-9), without them it does not; the
# QR codes and the poster; the limit of answers per address (429).
. "$SRCDIR/tests/lib.sh"
command -v curl >/dev/null || fail "curl needed"
command -v sqlite3 >/dev/null || fail "sqlite3 needed"

OTKLIK_NOW=2024-05-16T23:30:00+05:00	# the 16th in Yekaterinburg
export OTKLIK_NOW

otk init >/dev/null
otk org add gkk --name 'Госкомитет <b>РБ</b>' --tz Asia/Yekaterinburg >/dev/null
otk --org gkk registry import --client internal "$FIX/registry-001.csv" >/dev/null
otk --org gkk registry publish >/dev/null
otk org add other --name 'Другой орган' >/dev/null
serve_start

sql() { sqlite3 "$OTKLIK_DB" "$1"; }
responses() { sql "SELECT count(*) FROM srv_response r JOIN srv_instrument i ON i.id = r.instrument_id WHERE i.code = '$1'"; }
get() {
	curl -s -o "$T/raw" -D "$T/hraw" -w '%{http_code}' "$@"
	sed 's/</\n</g' "$T/raw" >"$T/body"
	tr -d '\r' <"$T/hraw" >"$T/headers"
}
expect_code() {
	[ "$1" = "$2" ] || { cat "$T/raw" >&2; fail "$3: HTTP $1, expected $2"; }
	ok
}
header() { sed -n "s/^$1: //Ip" "$T/headers"; }

# Answers that satisfy every required question of an external instrument.
# (The options of "needs" differ between instruments: "other" is in all.)
EXT='q.needs=other&q.needs_other=Справка&q.booked=yes&q.access=5&q.clarity=4&q.booking=4&q.informing=5&q.documents=4&q.speed=5&q.overall=5&q.segment=citizen'
INT='q.career=4&q.workplace=5&q.automation=4&q.regulation=4&q.manager=5&q.cooperation=4&q.hr=3&q.colleagues=5&q.overall=4'

# The list: the three open instruments, not the invitation-only one.
expect_code "$(get "$URL/gkk/s/")" 200 "the list"
expect_grep '^<h1>Анкеты' "$T/body"
expect_grep 'Анкеты анонимные' "$T/raw"
for code in services appeals information; do
	expect_grep "^<a href=\"/gkk/s/$code\">" "$T/body"
done
expect_no_grep 'href="/gkk/s/internal"' "$T/raw"
expect_code "$(get "$URL/gkk/s")" 200 "the list without the slash"
expect_code "$(get "$URL/nosuch/s")" 404 "no such organization"

# The form of each standard instrument.
for code in services appeals information; do
	expect_code "$(get "$URL/gkk/s/$code")" 200 "the form of $code"
	expect_grep "<form method=\"post\" action=\"/gkk/s/$code\" class=\"stack survey\" novalidate=\"\">" "$T/raw"
	# A rating: a fieldset with its legend, five anchors with numbers.
	expect_grep '<fieldset class="scale" aria-describedby="q-access-num">' "$T/raw"
	expect_grep '<input type="radio" id="q-access" name="q.access" value="1" required="">' "$T/raw"
	expect_grep '<label for="q-access">1 — неудовлетворительно, не устраивает' "$T/raw"
	expect_grep '<label for="q-access-5">5 — отлично, полностью удовлетворен\(а\)' "$T/raw"
	expect_grep '^<p class="qnum" id="q-access-num">Вопрос 4 из 12' "$T/body"
	# The conditional question, with its note for a page without script.
	expect_grep 'id="qq-booking" data-show-if="booked" data-show-any="yes"' "$T/raw"
	expect_grep '^<p class="cond" id="q-booking-cond">Ответьте, если в вопросе «' "$T/body"
	expect_grep 'name="q.booking" value="0"' "$T/raw"
	expect_grep '<legend>Хотите, чтобы с вами связались' "$T/raw"
	expect_grep '<script src="/static/survey.js" defer=""></script>' "$T/raw"
	[ -z "$(header Referrer-Policy | grep no-referrer)" ] || fail "an open form needs no no-referrer"
	ok
done
expect_code "$(get "$URL/gkk/s/nosuch")" 404 "no such survey"
expect_code "$(get "$URL/other/s/services")" 200 "another organization's own"
# In English: the anchors of R-SRV-5 in English, the instrument's title.
expect_code "$(get -b lang=en "$URL/gkk/s/services")" 200 "in English"
expect_grep '<label for="q-access">1 — unsatisfactory, not acceptable' "$T/raw"
expect_grep "^<h1>External clients" "$T/body"

# A valid answer: 303 to the thanks page; one response, its day in the
# organization's zone and nothing else about the moment.
expect_code "$(get -d "q.needs=consult&$EXT" --data-urlencode 'q.proposals=Всё хорошо' "$URL/gkk/s/services")" 303 "an answer"
[ "$(header Location)" = /gkk/s/services/thanks ] || fail "redirected to $(header Location)"
ok
[ "$(responses services)" = 1 ] || fail "$(responses services) responses stored"
ok
[ "$(sql "SELECT day, offline, touchpoint_id IS NULL FROM srv_response")" = '2024-05-16|0|1' ] ||
	fail "the response: $(sql 'SELECT * FROM srv_response')"
ok
[ "$(sql "SELECT group_concat(question || '=' || coalesce(rating, choice, text), ',') FROM (SELECT * FROM srv_answer ORDER BY rowid)")" = \
    'needs=consult,needs=other,needs_other=Справка,booked=yes,access=5,clarity=4,booking=4,informing=5,documents=4,speed=5,overall=5,proposals=Всё хорошо,segment=citizen' ] ||
	fail "the answers: $(sql 'SELECT * FROM srv_answer')"
ok
expect_code "$(get "$URL/gkk/s/services/thanks")" 200 "the thanks page"
expect_grep '^<h1>Спасибо за ответы' "$T/body"
expect_no_grep '2024|[0-9]{2}:[0-9]{2}' "$T/body"

# Conditional answers that do not apply are dropped, not refused.
expect_code "$(get -d "$(echo "$EXT" | sed 's/q.booked=yes/q.booked=no/; s/q.needs=other&//')" "$URL/gkk/s/appeals")" 303 "conditions not met"
[ "$(sql "SELECT count(*) FROM srv_answer WHERE question IN ('booking', 'needs_other') AND response_id = (SELECT max(id) FROM srv_response)")" = 0 ] ||
	fail "answers to questions not shown were kept"
ok

# A required question missing, a rating out of range: 400, the summary
# names each question and leads to it, the errors sit next to them, the
# answers given are kept, nothing is stored.
before=$(sql 'SELECT count(*) FROM srv_response')
expect_code "$(get -d 'q.booked=yes&q.access=9&q.clarity=2&q.informing=4' --data-urlencode 'q.proposals=<мой текст>' "$URL/gkk/s/services")" 400 "answers missing"
expect_grep '^<div class="alert" role="alert" tabindex="-1" autofocus=""' "$T/body"
expect_grep '^<a href="#q-access">Доступность: .* — Оценка должна быть от 1 до 5' "$T/body"
expect_grep '^<a href="#q-documents">Оптимальность количества документов: .* — Ответьте на этот вопрос' "$T/body"
expect_grep '^<a href="#q-speed">' "$T/body"
expect_no_grep '^<a href="#q-clarity">' "$T/body"
expect_grep '<fieldset class="scale" aria-describedby="q-documents-num q-documents-err">' "$T/raw"
expect_grep '^<p class="error" id="q-documents-err">' "$T/body"
expect_grep 'id="q-documents" name="q.documents" value="1" required="" aria-invalid="true"' "$T/raw"
expect_grep 'id="q-clarity-2" name="q.clarity" value="2" checked="" required=""' "$T/raw"
expect_grep 'id="q-booked" name="q.booked" value="yes" checked=""' "$T/raw"
expect_grep '&lt;мой текст&gt;</textarea>' "$T/raw"
[ "$(sql 'SELECT count(*) FROM srv_response')" = "$before" ] || fail "a refused answer was stored"
ok
# An unknown option, an option twice, bad UTF-8: refused.
expect_code "$(get -d "$EXT&q.segment=alien" "$URL/gkk/s/services")" 400 "an unknown option"
expect_grep '^<a href="#q-segment">' "$T/body"
expect_code "$(get -d "$EXT&q.needs=other" "$URL/gkk/s/services")" 400 "an option twice"
expect_grep '^<a href="#q-needs">' "$T/body"
expect_code "$(get -d "$EXT&q.proposals=%FF%FE" "$URL/gkk/s/services")" 400 "bad UTF-8"
expect_grep 'q.proposals' "$T/body"
[ "$(sql 'SELECT count(*) FROM srv_response')" = "$before" ] || fail "a refused answer was stored"
ok

# The form's fields as the server reads them: a long text arriving in
# pieces (a slow client) is one value, exactly; a multipart body works
# like a url-encoded one, repeated boxes included; past 600 fields the
# request is refused, naming the field past the limit.
long=$(awk 'BEGIN { for (i = 0; i < 75; i++) printf "Строка %03d: ок; ", i }')
[ "$(printf %s "$long" | wc -c)" -gt 1700 ] || fail "the long text is short"
ok
expect_code "$(get --limit-rate 2K -d "$EXT" --data-urlencode "q.proposals=$long" "$URL/gkk/s/services")" 303 "a long text, slowly"
[ "$(sql "SELECT text FROM srv_answer WHERE question = 'proposals' ORDER BY rowid DESC LIMIT 1")" = "$(echo "$long" | sed 's/ *$//')" ] ||
	fail "the long text came in changed"
ok
expect_code "$(get -F q.needs=consult -F q.needs=apply -F q.booked=no -F q.access=3 -F q.clarity=3 \
    -F q.informing=3 -F q.documents=3 -F q.speed=3 -F q.overall=3 -F 'q.proposals=Через multipart' \
    "$URL/gkk/s/services")" 303 "a multipart answer"
[ "$(sql "SELECT group_concat(choice, ',') FROM srv_answer WHERE question = 'needs' AND response_id = (SELECT max(id) FROM srv_response)")" = consult,apply ] ||
	fail "the boxes of a multipart answer"
ok
awk 'BEGIN { for (i = 0; i < 601; i++) printf "q.f%d=1&", i }' >"$T/many"
expect_code "$(get --data-binary @"$T/many" "$URL/gkk/s/services")" 400 "601 fields"
expect_grep 'q\.f600' "$T/body"
expect_grep 'more than 600 fields' "$T/body"

# A touchpoint's form; its answer records the touchpoint.
tp=$(sql "SELECT touchpoint_id FROM touchpoint_rev WHERE valid_to IS NULL AND valid_from IS NOT NULL ORDER BY touchpoint_id LIMIT 1")
tpname=$(sql "SELECT name FROM touchpoint_rev WHERE touchpoint_id = $tp AND valid_to IS NULL AND valid_from IS NOT NULL")
expect_code "$(get "$URL/gkk/s/services/$tp")" 200 "a touchpoint's form"
expect_grep "action=\"/gkk/s/services/$tp\"" "$T/raw"
expect_grep '^<p class="where">Точка взаимодействия: ' "$T/body"
expect_code "$(get -d "$EXT" "$URL/gkk/s/services/$tp")" 303 "an answer at a touchpoint"
[ "$(sql "SELECT touchpoint_id FROM srv_response ORDER BY id DESC LIMIT 1")" = "$tp" ] ||
	fail "the touchpoint is not recorded"
ok
expect_code "$(get "$URL/gkk/s/services/999999")" 404 "no such touchpoint"
expect_code "$(get -d "$EXT" "$URL/other/s/services/$tp")" 404 "another organization's touchpoint"

# The invitation-only instrument: refused without a token, with a bad
# one, taken once with a good one, refused the second time.
expect_code "$(get "$URL/gkk/s/internal")" 403 "no invitation"
expect_grep 'только по приглашению' "$T/raw"
expect_code "$(get -d "$INT" "$URL/gkk/s/internal")" 403 "an answer without an invitation"
expect_code "$(get "$URL/gkk/s/internal?k=0000000000000000000000000Z")" 403 "an unknown invitation"
otk --org gkk survey invite --count 2 --batch t0052 internal >"$T/tokens"
tok=$(sed -n 1p "$T/tokens")
tok2=$(sed -n 2p "$T/tokens")
[ ${#tok} = 26 ] || fail "no token: $tok"
expect_code "$(get "$URL/gkk/s/internal?k=$tok")" 200 "an invitation's form"
[ "$(header Referrer-Policy)" = no-referrer ] || fail "Referrer-Policy: $(header Referrer-Policy)"
ok
[ "$(header Cache-Control)" = no-store ] || fail "Cache-Control: $(header Cache-Control)"
ok
# The token goes back in the body only: a hidden field, and in no link
# or action of the page.
expect_grep "<input type=\"hidden\" name=\"k\" value=\"$tok\">" "$T/raw"
[ "$(grep -o "$tok" "$T/raw" | wc -l)" = 1 ] || fail "the token is written more than once"
ok
expect_grep 'action="/gkk/s/internal"' "$T/raw"
expect_code "$(get -d "$INT&k=$tok" --data-urlencode 'q.proposals=Больше обучения' "$URL/gkk/s/internal")" 303 "an invited answer"
[ "$(header Referrer-Policy)" = no-referrer ] || fail "Referrer-Policy of the answer: $(header Referrer-Policy)"
ok
[ "$(responses internal)" = 1 ] || fail "the invited answer was not stored"
ok
[ "$(sql "SELECT used FROM srv_invite ORDER BY used DESC" | tr '\n' ' ')" = '1 0 ' ] || fail "the invitation is not marked used"
ok
expect_code "$(get -d "$INT&k=$tok" "$URL/gkk/s/internal")" 403 "an invitation used twice"
expect_grep 'уже использована' "$T/raw"
expect_code "$(get "$URL/gkk/s/internal?k=$tok")" 403 "the form of a used invitation"
[ "$(responses internal)" = 1 ] || fail "a used invitation was answered"
ok
# The token is in no column of the database, in no form.
sqlite3 "$OTKLIK_DB" .dump >"$T/dump"
expect_no_grep "$tok" "$T/dump"
# A token does not open another instrument.
expect_code "$(get -d "$INT&k=$tok2" "$URL/gkk/s/appeals")" 400 "the internal answers on appeals"
expect_code "$(get -d "$INT&k=$tok2" "$URL/gkk/s/internal")" 303 "the second invitation"

# A low rating with contact details and the consent opens a feedback
# case of source "survey"; its code and the history key are shown in the
# answer to the POST; nothing links the case and the response.
LOW='q.booked=no&q.access=2&q.clarity=3&q.informing=5&q.documents=4&q.speed=1&q.overall=2'
cases() { sql "SELECT count(*) FROM fb_message"; }
expect_code "$(get -d "$LOW" --data-urlencode 'c-name=Иван' --data-urlencode 'c-email=ivan@example.ru' "$URL/gkk/s/services")" 400 "contact without consent"
expect_grep '^<a href="#c-consent">' "$T/body"
expect_grep 'id="c-email" name="c-email" value="ivan@example.ru"' "$T/raw"
expect_grep 'id="q-speed" name="q.speed" value="1" checked=""' "$T/raw"
expect_code "$(get -d "$LOW&c-consent=1" --data-urlencode 'c-name=Иван' "$URL/gkk/s/services")" 400 "consent without a way to contact"
expect_grep '^<a href="#c-email">' "$T/body"
expect_code "$(get -d "$LOW&c-consent=1" --data-urlencode 'c-phone=12' "$URL/gkk/s/services")" 400 "a phone too short"
expect_grep '^<a href="#c-phone">' "$T/body"
[ "$(cases)" = 0 ] || fail "a case was opened by a refused form"
ok
n0=$(responses services)
expect_code "$(get -d "$LOW&c-consent=1" --data-urlencode 'c-name=Иван Петров' --data-urlencode 'c-email=ivan@example.ru' --data-urlencode 'c-comment=Долго ждал в очереди' "$URL/gkk/s/services/$tp")" 200 "a low rating with contact and consent"
code=$(sed -n 's/^<p class="code" id="tracking-code">\([0-9A-Z]\{4\}-[0-9A-Z]\{6\}\)$/\1/p' "$T/body")
[ -n "$code" ] || fail "no tracking code on the thanks page"
ok
expect_grep '^<p class="key" id="history-key">[0-9a-f]{64}$' "$T/body"
[ "$(header Cache-Control)" = no-store ] || fail "the key's page may be cached"
ok
[ "$(responses services)" = $((n0 + 1)) ] || fail "the response was not stored with the case"
ok
[ "$(sql "SELECT source, kind, channel, client, touchpoint_id, contact_id IS NOT NULL FROM fb_message WHERE code = '$code'")" = "survey|comment|site|external|$tp|1" ] ||
	fail "the case: $(sql "SELECT * FROM fb_message WHERE code = '$code'")"
ok
text=$(sql "SELECT text FROM fb_message WHERE code = '$code'")
echo "$text" >"$T/text"
expect_grep '«Доступность: ' "$T/text"
expect_grep '«Оперативность: ' "$T/text"
expect_grep '«В целом ' "$T/text"
expect_no_grep '«Информирование: ' "$T/text"
expect_grep 'Комментарий: Долго ждал в очереди' "$T/text"
# Nothing of the response in the case, nothing of the case in the
# response: no id either way.
rid=$(sql "SELECT max(id) FROM srv_response")
expect_no_grep "response|srv_|$rid" "$T/text"
[ "$(sql "PRAGMA table_info(srv_response)" | grep -c -i 'message\|case\|fb_\|contact')" = 0 ] || fail "the response can name a case"
ok
[ "$(sql "SELECT count(*) FROM fb_contact WHERE email = 'ivan@example.ru'")" = 1 ] || fail "the contact is not stored"
ok
expect_code "$(get "$URL/gkk/track/$code")" 200 "the case is tracked"
# Contact details with no low rating are not kept.
expect_code "$(get -d "$EXT&c-consent=1" --data-urlencode 'c-email=petr@example.ru' "$URL/gkk/s/services")" 200 "contact without a low rating"
expect_grep 'не поставили низких оценок' "$T/raw"
[ "$(cases)" = 1 ] || fail "a case without a low rating"
ok
[ "$(sql "SELECT count(*) FROM fb_contact WHERE email = 'petr@example.ru'")" = 0 ] || fail "an unused contact was kept"
ok

# QR codes and the poster.
expect_code "$(get "$URL/gkk/s/services/qr.svg")" 200 "the QR code as SVG"
[ "$(header Content-Type)" = image/svg+xml ] || fail "qr.svg: $(header Content-Type)"
ok
expect_grep '^<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 [0-9]+ [0-9]+"' "$T/raw"
expect_grep '<title>QR-код: ссылка на анкету</title>' "$T/raw"
expect_code "$(get "$URL/gkk/s/services/qr.png?tp=$tp")" 200 "the QR code as PNG"
[ "$(header Content-Type)" = image/png ] || fail "qr.png: $(header Content-Type)"
ok
[ "$(head -c 8 "$T/raw" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "not a PNG"
ok
expect_code "$(get "$URL/gkk/s/services/qr.png?tp=999999")" 404 "a QR code of no touchpoint"
expect_code "$(get "$URL/gkk/s/services/qr.svg?tp=x")" 400 "a touchpoint that is not a number"
expect_code "$(get "$URL/gkk/s/services/poster?tp=$tp")" 200 "the poster"
expect_grep "^<img src=\"/gkk/s/services/qr.svg\\?tp=$tp\" alt=\"QR-код: ссылка на анкету\" class=\"poster-qr\">" "$T/body"
host=${URL#http://}
expect_grep "^<p class=\"poster-link\">$host/gkk/s/services/$tp" "$T/body"
expect_grep '^<p class="poster-where">' "$T/body"
expect_grep 'Анкета анонимная' "$T/raw"
expect_grep '^<p class="poster-time">Это займёт около [0-9]+ минут' "$T/body"
# The link follows the Host the poster was asked for.
expect_code "$(get -H 'Host: opros.example.ru' "$URL/gkk/s/services/poster")" 200 "the poster under another name"
expect_grep '^<p class="poster-link">opros.example.ru/gkk/s/services$' "$T/body"
expect_code "$(get -H 'Host: evil"><x' "$URL/gkk/s/services/poster")" 400 "a Host that is not a host"
# With --public-url, the link is that address whatever the Host.
serve_kill
serve_start --public-url https://otklik.example.ru/
expect_code "$(get -H 'Host: opros.example.ru' "$URL/gkk/s/appeals/poster")" 200 "the poster with --public-url"
expect_grep '^<p class="poster-link">otklik.example.ru/gkk/s/appeals$' "$T/body"
expect_exit 64 otk serve --public-url 'javascript:alert(1)'

# The limit of answers from one address: a fresh server, 20 answers in
# ten minutes, then 429 with Retry-After, and nothing stored.
serve_kill
serve_start
n0=$(responses information)
i=0
while [ $i -lt 20 ]; do
	expect_code "$(get -d "$EXT" "$URL/gkk/s/information")" 303 "answer $i"
	i=$((i + 1))
done
expect_code "$(get -d "$EXT" "$URL/gkk/s/information")" 429 "the 21st answer"
retry=$(header Retry-After)
[ "$retry" -ge 1 ] && [ "$retry" -le 600 ] || fail "Retry-After: $retry"
ok
expect_grep 'слишком много ответов' "$T/raw"
[ "$(responses information)" = $((n0 + 20)) ] || fail "$(responses information) answers after the limit"
ok
# The form itself is still there; another address would be counted apart.
expect_code "$(get "$URL/gkk/s/information")" 200 "the form after the limit"
# The limit is the server's to set: two, or none at all.
serve_kill
serve_start --answers-per-address 2
expect_code "$(get -d "$EXT" "$URL/gkk/s/information")" 303 "the first of two"
expect_code "$(get -d "$EXT" "$URL/gkk/s/information")" 303 "the second of two"
expect_code "$(get -d "$EXT" "$URL/gkk/s/information")" 429 "the third of two"
serve_kill
serve_start --answers-per-address 0
i=0
while [ $i -lt 22 ]; do
	expect_code "$(get -d "$EXT" "$URL/gkk/s/information")" 303 "answer $i without a limit"
	i=$((i + 1))
done
expect_exit 64 otk serve --answers-per-address -1

echo "t0052: $checks checks"

#!/bin/sh
# Staff registration of feedback on the command line: feedback add prints
# a tracking code (and a history key with contact details), refuses what
# fb_validate refuses naming the field, keeps an external id once;
# feedback list and show by number or code, in the organization's time.
. "$SRCDIR/tests/lib.sh"

# Monday 2 March 2026, 10:00 in Moscow.
export OTKLIK_NOW=2026-03-02T07:00:00Z
otk init >/dev/null
otk org add moh --name 'Министерство здравоохранения' --tz Europe/Moscow >/dev/null

expect_exit 0 otk feedback --help
expect_grep 'feedback add' "$T/out"
expect_exit 0 otk feedback add --help
expect_grep '^  --consent ' "$T/out"
expect_grep '^  --wait-minutes N ' "$T/out"

# An appeal by phone with a name and a phone: the law is the basis.
expect_exit 0 otk feedback add --channel phone --kind appeal \
    --name 'Иван Петров' --phone '+7 900 123-45-67' --subject 'Запись к врачу' \
    'Не могу записаться к терапевту третью неделю'
expect_grep '^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{6}$' "$T/out"
expect_grep '^key [0-9a-f]{64}$' "$T/out"
code1=$(sed -n 1p "$T/out")
key1=$(sed -n 's/^key //p' "$T/out")

# From standard input, anonymous, at a reception: no key.
printf 'Долго ждал\nв очереди\n' >"$T/text"
expect_exit 0 sh -c '"$OTKLIK" feedback add --channel reception --kind complaint \
    --wait-minutes 40 --received 2026-03-02T09:30 - <"$1"' sh "$T/text"
expect_grep '^[0-9A-Z]{4}-[0-9A-Z]{6}$' "$T/out"
expect_no_grep '^key' "$T/out"
code2=$(sed -n 1p "$T/out")

# An e-mail with the history key of the first client.
expect_exit 0 otk feedback add --channel email --kind request --key "$key1" \
    'Прошу выдать справку'
expect_no_grep '^key' "$T/out"

# Refusals name the field and store nothing.
expect_exit 65 otk feedback add --channel phone 'без вида'
expect_grep 'kind is required' "$T/err"
expect_exit 65 otk feedback add --channel pigeon --kind appeal 'голубь'
expect_grep 'channel is unknown' "$T/err"
expect_exit 65 otk feedback add --channel site --kind comment --email i@example.ru 'хорошо'
expect_grep 'consent is needed' "$T/err"
expect_exit 65 otk feedback add --channel post --kind appeal --name 'Иван' 'ответьте'
expect_grep 'email, phone or address' "$T/err"
expect_exit 65 otk feedback add --channel post --kind appeal --email 'not-an-address' 'x'
expect_grep '^otklik: email is not an e-mail address' "$T/err"
expect_no_grep 'not-an-address' "$T/err"
expect_exit 65 otk feedback add --channel site --kind comment '   '
expect_grep 'text is required' "$T/err"
expect_exit 65 otk feedback add --channel site --kind comment --received 2026-03-05T10:00 'завтра'
expect_grep 'received_at lies in the future' "$T/err"
expect_exit 65 otk feedback add --channel site --kind comment --touchpoint 999 'нет такой'
expect_grep 'touchpoint' "$T/err"
expect_exit 65 otk feedback add --channel site --kind appeal --key 0123 'ключ'
expect_grep 'key is not a history key' "$T/err"
expect_exit 65 otk feedback add --channel site --kind appeal \
    --key 0000000000000000000000000000000000000000000000000000000000000000 'чужой ключ'
expect_grep 'no history has this key' "$T/err"
expect_exit 64 otk feedback add --channel site --kind comment --rating 9 'оценка'
expect_grep 'rating' "$T/err"
expect_exit 64 otk feedback add --channel site --kind comment
printf 'bad \001 byte' >"$T/ctl"
expect_exit 65 sh -c '"$OTKLIK" feedback add --channel site --kind comment - <"$1"' sh "$T/ctl"
expect_grep 'text contains control characters' "$T/err"
printf 'broken \320' >"$T/utf"
expect_exit 65 sh -c '"$OTKLIK" feedback add --channel site --kind comment - <"$1"' sh "$T/utf"
expect_grep 'text is not valid UTF-8' "$T/err"

# An external id is kept once.
expect_exit 0 otk feedback add --channel pos --source pos --kind appeal --external-id 'POS-77' 'из ПОС'
ext=$(sed -n 1p "$T/out")
expect_exit 0 otk feedback add --channel pos --source pos --kind appeal --external-id 'POS-77' 'из ПОС, снова'
expect_grep "^$ext\$" "$T/out"
expect_grep 'nothing added' "$T/err"

# The list: five messages, in deadline order, local time.
expect_exit 0 otk feedback list
[ "$(wc -l <"$T/out")" -eq 4 ] || { cat "$T/out" >&2; fail "expected 4 messages"; }
ok
expect_grep "^$code1	02\\.03\\.2026 10:00	appeal	phone	registered	[0-9.]+ 23:59	running	Запись к врачу\$" "$T/out"
expect_grep "^$code2	02\\.03\\.2026 09:30	complaint	reception	registered	.*Долго ждал в очереди\$" "$T/out"
# Waiting for their acknowledgement (24 working hours from the same
# moment), the e-mail and the platform's message lead, the earlier
# registered first; the phone call's 30 days of 59-FZ come next.
[ "$(sed -n '1s/^[^	]*	[^	]*	\([a-z]*	[a-z]*\).*/\1/p' "$T/out")" = "request	email" ] ||
    { cat "$T/out" >&2; fail "the e-mail request should lead"; }
[ "$(sed -n '2s/	.*//p' "$T/out")" = "$ext" ] ||
    { cat "$T/out" >&2; fail "the platform's message should come second"; }
ok
expect_exit 0 otk feedback list --kind complaint
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "one complaint expected"
ok
expect_exit 0 otk feedback list --q 'ТЕРАПЕВТУ'
expect_grep "^$code1	" "$T/out"
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "one match expected"
ok
expect_exit 0 otk feedback list --q "$(echo "$code2" | tr 'A-Z' 'a-z')"
expect_grep "^$code2	" "$T/out"
expect_exit 0 otk feedback list --state answered
[ ! -s "$T/out" ] || fail "nothing is answered yet"
ok
expect_exit 64 otk feedback list --state lost
expect_grep 'one of registered' "$T/err"
# Two days later the request by e-mail missed its acknowledgement.
expect_exit 0 env OTKLIK_NOW=2026-03-06T07:00:00Z "$OTKLIK" feedback list --overdue
expect_grep '	request	email	registered	.*	breached	' "$T/out"
expect_no_grep '	appeal	phone	' "$T/out"

# One message, by code in any case and without the dash, or by number.
lower=$(echo "$code1" | tr 'A-Z' 'a-z' | tr -d -)
expect_exit 0 otk feedback show "$lower"
expect_grep "^code +$code1\$" "$T/out"
expect_grep '^state +registered$' "$T/out"
expect_grep '^contact +yes$' "$T/out"
expect_grep '^Не могу записаться к терапевту третью неделю$' "$T/out"
expect_grep '^02\.03\.2026 10:00	local:.*	registered	-	registered' "$T/out"
# Contact details are not shown.
expect_no_grep '123-45-67' "$T/out"
expect_no_grep 'Иван' "$T/out"
expect_exit 0 otk feedback show 2
expect_grep "^code +$code2\$" "$T/out"
expect_grep '^wait_minutes +40$' "$T/out"
expect_exit 66 otk feedback show 99
expect_grep 'no message 99' "$T/err"
expect_exit 66 otk feedback show ZZZZ-ZZZZZZ
expect_exit 66 otk feedback show not-a-code

# The audit log names the messages, not what they say nor who wrote.
expect_exit 0 otk audit list --action feedback.
expect_grep '	feedback.registered	message:1	' "$T/out"
expect_no_grep 'терапевт|Иван|123-45' "$T/out"
command -v sqlite3 >/dev/null && {
	n=$(sqlite3 "$OTKLIK_DB" "SELECT count(*) FROM audit WHERE after_json LIKE '%терапевт%' OR after_json LIKE '%Иван%'")
	[ "$n" = 0 ] || fail "the audit log holds message text"
	ok
	n=$(sqlite3 "$OTKLIK_DB" "SELECT count(*) FROM pd_basis WHERE basis = 'law' AND ends_at IS NULL")
	[ "$n" = 1 ] || fail "expected one basis by law, got $n"
	ok
}
expect_exit 0 otk audit verify
done_testing

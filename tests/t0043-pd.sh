#!/bin/sh
# Personal data (R-PD): contacts with their bases, the withdrawal of a
# consent (with and without a law basis left), destruction when due with
# its act (golden text and HTML), messages kept, no personal data in the
# audit log, and exports stripped of contacts unless the role allows
# them (R-PD-3), each export logged (golden CSV).
. "$SRCDIR/tests/lib.sh"
export OTKLIK_NOW=2024-10-01T10:00:00Z

otk init >/dev/null
otk org add moh --name 'Министерство здравоохранения Республики Башкортостан' \
    --short 'Минздрав РБ' --tz Asia/Yekaterinburg --region RU-BA \
    --site https://health.bashkortostan.ru >/dev/null
otk user add --name 'Оператор обратной связи' --role operator op1 </dev/null >/dev/null
otk user add --name 'Аналитик' --role analyst an1 </dev/null >/dev/null
otk user add --name 'Администратор' --role admin adm </dev/null >/dev/null

key_of() { sed -n 's/^key \([0-9a-f]*\)$/\1/p' "$T/out"; }

# A comment with consent; an appeal under the law alone; an appeal with
# consent; the second client's comment with consent, by their key.
expect_exit 0 otk --user op1 feedback add --channel site --kind comment \
    --name 'Иванов Иван Иванович' --email ivanov@example.ru --consent 'Спасибо за удобный сайт'
KEY1=$(key_of)
expect_exit 0 otk --user op1 feedback add --channel email --kind appeal \
    --email petrov@example.ru 'Прошу сообщить, положены ли мне льготные лекарства'
KEY2=$(key_of)
expect_exit 0 otk --user op1 feedback add --channel post --kind appeal \
    --name 'Сидорова Анна' --address 'Уфа, ул. Ленина, д. 1' --consent 'Прошу разъяснить порядок записи'
export OTKLIK_NOW=2024-10-01T11:00:00Z
expect_exit 0 otk --user op1 feedback add --channel email \
    --kind comment --email petrov@example.ru --consent --key "$KEY2" 'И спасибо за быстрый ответ'
[ -n "$KEY1" ] && [ -n "$KEY2" ] || fail "no history keys printed"
ok

expect_exit 0 otk pd list
expect_grep '^1	2024-10-01	consent	active	-	name, email	1$' "$T/out"
expect_grep '^2	2024-10-01	consent, law	active	-	email	2$' "$T/out"
expect_grep '^3	2024-10-01	consent, law	active	-	name, address	1$' "$T/out"

# Withdrawal by the client's key (the public pages do the same): the
# data goes within 30 days.
export OTKLIK_NOW=2024-10-01T12:00:00Z
expect_exit 0 otk --user op1 pd withdraw --via site "$KEY1"
expect_grep '^contact 1: consent withdrawn; the data will be destroyed by 2024-10-31$' "$T/out"
# A law basis remains for the open appeal: processing goes on for it.
expect_exit 0 otk --user op1 pd withdraw --contact 2 --via post
expect_grep '^contact 2: consent withdrawn; the data is kept only to answer the open appeal' "$T/out"
expect_exit 0 otk pd withdraw --contact 2
expect_grep '^contact 2: no consent in force; nothing to withdraw$' "$T/out"
expect_exit 66 otk pd withdraw 0000000000000000000000000000000000000000000000000000000000000000
expect_grep 'no history has this key' "$T/err"
expect_exit 66 otk pd withdraw --contact 99
expect_exit 64 otk pd withdraw --contact 1 "$KEY1"
expect_exit 0 otk pd list
expect_grep '^1	2024-10-01	consent	withdrawn	2024-10-31	name, email	1$' "$T/out"
expect_grep '^2	2024-10-01	consent, law	active	-	email	2$' "$T/out"

# Nothing is due before the date.
expect_exit 0 otk pd list --due
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "contacts due before their date"
ok
expect_exit 0 otk pd destroy
expect_grep '^no personal data is due for destruction$' "$T/out"

# On the date (18:00 in Yekaterinburg, the contact was due at 17:00):
# the first contact is destroyed, with the act.
export OTKLIK_NOW=2024-10-31T13:00:00Z
expect_exit 0 otk pd list --due
expect_grep '^1	' "$T/out"
[ "$(wc -l <"$T/out")" -eq 2 ] || fail "expected one contact due"
ok
expect_exit 0 otk pd destroy --dry-run
expect_grep '^dry run: 1 contact due; nothing was destroyed$' "$T/out"
expect_exit 0 otk --user op1 pd destroy
expect_grep "^destroyed the personal data of 1 contact; act 1 \('otklik pd act 1'\)$" "$T/out"
expect_exit 0 otk pd list
expect_grep '^1	2024-10-01	consent	destroyed	-	-	1$' "$T/out"
[ "$(sqlite3 "$OTKLIK_DB" "SELECT COUNT(*) FROM fb_contact WHERE id = 1 AND
    name IS NULL AND email IS NULL AND phone IS NULL AND address IS NULL AND
    key_hash IS NULL AND destroyed_at IS NOT NULL")" = 1 ] || fail "contact 1 still holds data"
ok
# The message stays, linked to the emptied contact; the key no longer
# opens a history.
[ "$(otk feedback list --limit 100 | wc -l)" -eq 4 ] || fail "messages were lost"
ok
expect_exit 0 otk feedback show 1
expect_no_grep 'Иванов|ivanov' "$T/out"
expect_exit 66 otk pd withdraw "$KEY1"
expect_exit 0 otk pd act 1
expect_same "$GOLDEN/pd-act-1.txt" "$T/out"
expect_exit 0 otk pd act 1 --format html
expect_same "$GOLDEN/pd-act-1.html" "$T/out"
expect_exit 66 otk pd act 7
expect_exit 64 otk pd act 1 --format pdf

# The second client's messages, and the third client's appeal, are
# answered and closed: the law keeps the address five years after the
# answer, then 30 days to destroy it.
for id in 2 3 4; do
	expect_exit 0 otk --user op1 feedback ack $id
	expect_exit 0 otk --user op1 feedback answer $id --text 'Да, положены; обратитесь в поликлинику.'
	expect_exit 0 otk --user op1 feedback close $id
done
expect_exit 0 otk pd list
expect_grep '^2	2024-10-01	consent, law	active	-	email	2$' "$T/out"
export OTKLIK_NOW=2029-12-02T10:00:00Z
expect_exit 0 otk pd list --due
expect_grep '^2	2024-10-01	consent, law	withdrawn	2029-11-30	email	2$' "$T/out"
expect_grep '^3	2024-10-01	consent, law	expired	2029-11-30	name, address	1$' "$T/out"
expect_exit 0 otk --user adm pd destroy
expect_grep 'destroyed the personal data of 2 contacts; act 2' "$T/out"
expect_exit 0 otk pd act 2
expect_grep '^Уничтожены персональные данные субъектов: 2\.$' "$T/out"
expect_grep '^1\. Контакт № 2$' "$T/out"
expect_grep 'Причина: истечение срока обработки' "$T/out"
expect_grep '^2\. Контакт № 3$' "$T/out"
expect_grep 'Категории данных: фамилия, имя, отчество; почтовый адрес' "$T/out"
expect_grep 'pd\.withdraw  contact:2$' "$T/out"
expect_grep 'feedback\.closed  message:2$' "$T/out"
expect_grep '^Уничтожение произвел: adm$' "$T/out"

# No personal data anywhere in the audit log, and the chain holds.
expect_exit 0 otk audit list
expect_grep 'pd\.destroy	contact:1	' "$T/out"
expect_grep 'pd\.act	pd_act:1	' "$T/out"
expect_no_grep 'ivanov|petrov|Иванов|Сидорова|Ленина' "$T/out"
expect_exit 0 otk audit verify

# R-PD-3: contacts leave only with an operator or an admin, and every
# export is logged.
expect_exit 0 otk --user op1 feedback add --channel phone --kind complaint \
    --name 'Кузнецов Пётр' --phone '+7 347 200-00-00' 'Не дозвониться в регистратуру'
expect_exit 64 otk feedback export --with-contacts
expect_grep 'needs --user' "$T/err"
expect_exit 64 otk --user an1 feedback export --with-contacts
expect_grep 'an1 is not a feedback operator or an admin of moh' "$T/err"
expect_exit 0 otk --user an1 feedback export
expect_no_grep 'Кузнецов|200-00-00' "$T/out"
expect_grep '^.?external_id,received_at,channel,kind,client_type,form,touchpoint,topic,reason,text,acknowledged_at,answered_at,outcome,transfers,wait_minutes,code,state.?$' "$T/out"
expect_exit 0 otk --user op1 feedback export --with-contacts
# Tracking codes are random; the rest is fixed.
sed -E 's/[0-9A-Z]{4}-[0-9A-Z]{6}/XXXX-XXXXXX/g' "$T/out" >"$T/export.csv"
expect_same "$GOLDEN/feedback-export-contacts.csv" "$T/export.csv"
expect_exit 0 otk audit list
expect_grep 'an1	feedback\.export	fb_message	.*"contacts":false,"format":"csv","messages":5' "$T/out"
expect_grep 'op1	feedback\.export	fb_message	.*"contacts":true,"format":"csv","messages":5' "$T/out"
done_testing

#!/bin/sh
# The dictionaries of feedback on the command line (cmd-topic.c,
# cmd-template.c, cmd-channel.c): topics and reasons with keywords that
# the classifier accepts, their suggestions for a text, answer templates
# found by any form of a word, channels, standards that may only be
# tightened, working hours, and the classifier's accuracy on held-out
# labelled messages — from a file and from the organization's own.
. "$SRCDIR/tests/lib.sh"

otk init >/dev/null
otk org add gkk --name 'Госкомитет' --tz Asia/Yekaterinburg >/dev/null
otk org add other --name 'Другой орган' >/dev/null
printf 'password123\n' | otk --org gkk user add ivanova --name 'Иванова' \
    --role operator >/dev/null
export OTKLIK_ORG=gkk OTKLIK_USER=ivanova

# Topics and reasons.
expect_exit 0 otk topic add --keywords 'запис+приём|очеред' 'Запись на приём'
topic=$(cat "$T/out")
expect_exit 0 otk topic add --reason --keywords 'долг+ждать|ожидан' 'Долгое ожидание'
expect_exit 0 otk topic add 'Работа сайта'
expect_exit 65 otk topic add 'запись НА приём'
expect_grep "exists already \($topic\)" "$T/err"
expect_exit 65 otk topic add --keywords 'на' 'Предлоги'
expect_grep 'keywords: .*stop word' "$T/err"
expect_exit 65 otk topic add --keywords 'a||b' 'Пусто'
expect_exit 65 otk topic add '   '
expect_grep 'title: empty' "$T/err"
expect_exit 0 otk topic list
expect_grep "^$topic	topic	Запись на приём	запис\+приём\|очеред$" "$T/out"
expect_grep '	topic	Работа сайта	$' "$T/out"
expect_no_grep 'Долгое ожидание' "$T/out"
expect_exit 0 otk topic list --reason
expect_grep '	reason	Долгое ожидание	' "$T/out"
# The other organization has a dictionary of its own.
expect_exit 0 otk --org other topic list
[ ! -s "$T/out" ] || fail "another organization sees gkk's topics"
ok

# Suggestions from the keywords alone: any form of the words.
expect_exit 0 otk topic suggest 'Не могу записаться на приём к главе'
expect_grep '^topic	Запись на приём	[0-9]+ %	dictionary: запис\+приём$' "$T/out"
expect_exit 0 otk topic suggest 'Очень долго ждать в очереди'
expect_grep '^reason	Долгое ожидание	' "$T/out"
expect_grep '^topic	Запись на приём	' "$T/out"
expect_exit 1 otk topic suggest 'Спасибо за помощь'
expect_grep 'no suggestion' "$T/err"

# Edit and deactivate: no longer listed nor suggested, kept with --all.
expect_exit 0 otk topic edit --keywords 'талон' 'Запись на приём'
expect_exit 0 otk topic suggest 'Нет талонов'
expect_grep '^topic	Запись на приём	' "$T/out"
expect_exit 0 otk topic edit --deactivate "$topic"
expect_exit 0 otk topic list
expect_no_grep 'Запись на приём' "$T/out"
expect_exit 0 otk topic list --all
expect_grep '	Запись на приём	талон	inactive$' "$T/out"
expect_exit 1 otk topic suggest 'Нет талонов'
expect_exit 0 otk topic edit --activate 'Запись на приём'
expect_exit 66 otk topic edit --deactivate 'Нет такой'
expect_grep "no topic 'Нет такой'" "$T/err"
expect_exit 64 otk topic edit --activate --deactivate 'Работа сайта'

# Templates: text from the command line or a file; a search by words in
# any form; edit; deactivate.
expect_exit 0 otk template add --topic 'Запись на приём' 'Как записаться' \
    'Записаться на приём можно по телефону 8-800 или на сайте.'
tpl=$(cat "$T/out")
printf 'Сайт работает.\nПроверьте адрес страницы.\n' >"$T/body.txt"
expect_exit 0 otk template add --file "$T/body.txt" 'Сайт недоступен'
expect_exit 66 otk template add --topic 'Нет такой' 'X' 'Y'
expect_exit 64 otk template add 'Без текста'
expect_exit 65 otk template add 'Пустой' '  '
expect_grep 'body: empty' "$T/err"
expect_exit 0 otk template list
expect_grep "^$tpl	Как записаться	Запись на приём	0$" "$T/out"
expect_grep '	Сайт недоступен	-	0$' "$T/out"
expect_exit 0 otk template list --search 'записи по телефону'
expect_grep 'Как записаться' "$T/out"
expect_no_grep 'Сайт недоступен' "$T/out"
expect_exit 0 otk template list --search 'страницы'
expect_grep 'Сайт недоступен' "$T/out"
expect_no_grep 'Как записаться' "$T/out"
expect_exit 0 otk template list --search 'налог'
[ ! -s "$T/out" ] || fail "a search for an absent word found templates"
ok
expect_exit 0 otk template edit "$tpl" 'Запишитесь по телефону 8-800.'
expect_exit 0 otk template list --text --search 'запишитесь'
expect_grep '^Запишитесь по телефону 8-800\.$' "$T/out"
expect_exit 0 otk template edit --deactivate "$tpl"
expect_exit 0 otk template list
expect_no_grep 'Как записаться' "$T/out"
expect_exit 0 otk template list --all
expect_grep 'Как записаться.*inactive$' "$T/out"
expect_exit 66 otk template edit 999 'x'

# Channels: the defaults, then the organization's own.
expect_exit 0 otk channel list
expect_grep '^phone	enabled	offline	both	default$' "$T/out"
expect_grep '^email	enabled	online	both	default$' "$T/out"
expect_exit 0 otk channel set --enabled 0 --client internal phone
expect_exit 0 otk channel list
expect_grep '^phone	disabled	offline	internal$' "$T/out"
expect_exit 64 otk channel set fax
expect_exit 64 otk channel set --enabled yes phone
expect_exit 65 otk channel set --client everyone phone
expect_grep 'client: one of external, internal, both' "$T/err"

# Standards may only be tightened.
expect_exit 0 otk standard list
expect_grep '^ack_written	24	hours	working	enabled	.*	default$' "$T/out"
expect_grep '^answer_59fz	30	days	calendar	enabled	' "$T/out"
expect_grep '^hours	09:00	18:00$' "$T/out"
expect_exit 65 otk standard set --amount 48 ack_written
expect_grep 'may only be tightened' "$T/err"
expect_exit 0 otk standard set --amount 8 ack_written
expect_exit 0 otk standard set --amount 600 --unit minutes ack_written
expect_exit 0 otk standard list
expect_grep '^ack_written	600	minutes	working	enabled	[^	]*$' "$T/out"
expect_exit 65 otk standard set --amount 20 reception_wait
expect_exit 0 otk standard set --amount 10 reception_wait
expect_exit 65 otk standard set --enabled 0 answer_59fz
expect_exit 0 otk standard set --enabled 0 social_mention
expect_exit 64 otk standard set --amount 1 nonsense
expect_exit 64 otk standard set --unit weeks answer_59fz

# Working hours.
expect_exit 0 otk hours set 08:30 17:15
expect_exit 0 otk standard list
expect_grep '^hours	08:30	17:15$' "$T/out"
expect_exit 65 otk hours set 09:00 09:30
expect_exit 64 otk hours set 9 18:00
expect_exit 64 otk hours set 09:00 25:00

# Every change is in the audit log, under the --user given.
expect_exit 0 otk audit list
for a in fb_topic.add fb_topic.edit fb_template.add fb_template.edit \
    fb_channel.set fb_standard.set fb_hours.set; do
	expect_grep "	ivanova	$a	" "$T/out"
done
expect_exit 0 otk audit verify

# The classifier's accuracy on a labelled file: every 5th of 315 held out.
expect_exit 0 otk topic evaluate --file "$FIX/feedback-labelled.tsv"
expect_grep '^accuracy measured on 63 held-out messages: [0-9]+ %$' "$T/out"
acc=$(sed -n 's/^accuracy measured on 63 held-out messages: \([0-9]*\) %$/\1/p' "$T/out")
# Eight topics: a guess is right one time in eight; the model must do far
# better than that.
[ "$acc" -ge 50 ] || fail "topic accuracy $acc % on the labelled file"
ok
expect_grep '^labels: 8$' "$T/out"
expect_exit 0 otk topic evaluate --reason --k 3 --report --file "$FIX/feedback-labelled.tsv"
expect_grep '^accuracy measured on 105 held-out messages: [0-9]+ %$' "$T/out"
expect_grep '^Долгое ожидание	' "$T/out"
printf 'topic\tonly two columns\n' >"$T/bad.tsv"
expect_exit 65 otk topic evaluate --file "$T/bad.tsv"
expect_grep 'line 1: expected topic<TAB>reason<TAB>text' "$T/err"
expect_exit 64 otk topic evaluate --k 1 --file "$FIX/feedback-labelled.tsv"

# The organization's own labelled messages: none yet, then the file's
# messages imported with their topics.
expect_exit 66 otk topic evaluate
expect_grep 'too few labelled messages' "$T/err"
awk -F'\t' 'NR > 1 { gsub(/"/, "\"\"", $3);
    printf "ext-%d,2026-01-%02dT10:00:00Z,email,appeal,external,%s,%s,\"%s\"\n",
    NR, NR % 28 + 1, $1, $2, $3 }' "$FIX/feedback-labelled.tsv" |
    sed '1i external_id,received_at,channel,kind,client_type,topic,reason,text' \
    >"$T/labelled.csv"
expect_exit 0 env OTKLIK_NOW=2026-03-01T00:00:00Z "$OTKLIK" feedback import \
    --create-topics "$T/labelled.csv"
expect_exit 0 otk topic evaluate
expect_grep '^accuracy measured on 63 held-out messages: [0-9]+ %$' "$T/out"
# Now the classifier learns from them: a text with no keyword of the
# dictionary still gets a topic.
expect_exit 0 otk topic suggest 'В аптеке нет льготного инсулина уже месяц'
expect_grep '^topic	Лекарственное обеспечение	[0-9]+ %	classifier$' "$T/out"

done_testing

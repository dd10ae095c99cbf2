#!/bin/sh
# The lifecycle of a case on the command line (R-FB-4): acknowledge, take,
# assign and transfer, extend once under 59-FZ, answer from a template,
# close (a complaint with its outcome), the client's reply, reopen; every
# wrong step refused with the state it found; every step an event and an
# audit entry, and the audit chain intact.
. "$SRCDIR/tests/lib.sh"

export OTKLIK_NOW=2026-03-02T07:00:00Z
otk init >/dev/null
otk org add moh --name 'Минздрав' --tz Europe/Moscow >/dev/null
otk unit add 'Отдел по работе с обращениями' >/dev/null
otk user add ivanova --name 'Иванова И. И.' --role officer >/dev/null
otk user add petrov --name 'Петров П. П.' --role officer >/dev/null
otk user add stranger --name 'Чужой' >/dev/null

otk feedback add --channel email --kind appeal --email 'ivan@example.ru' \
    'Прошу разъяснить порядок получения полиса' >"$T/add"
code=$(sed -n 1p "$T/add")
otk feedback add --channel site --kind complaint 'Нагрубили по телефону' >"$T/add"
compl=$(sed -n 1p "$T/add")
otk feedback add --channel social --kind mention 'Упоминание в сети' >"$T/add"
otk feedback add --channel site --kind comment 'Спасибо!' >"$T/add"

# Wrong steps from "registered".
expect_exit 65 otk feedback answer 1 --text 'Ответ'
expect_grep 'message 1 is registered; only an acknowledged or in_work message can be answered' "$T/err"
expect_exit 65 otk feedback close 1
expect_grep 'only an answered message can be closed' "$T/err"
expect_exit 65 otk feedback reopen 1
expect_grep 'only an answered or closed message can be reopened' "$T/err"
expect_exit 65 otk feedback reply "$code" yes
expect_grep 'no answer to reply to yet' "$T/err"

expect_exit 0 otk --user ivanova feedback ack "$code"
expect_grep "^$code	acknowledged\$" "$T/out"
expect_exit 65 otk feedback ack 1
expect_grep 'message 1 is acknowledged; only a registered message can be acknowledged' "$T/err"
expect_exit 0 otk --user ivanova feedback take 1
expect_grep "	in_work\$" "$T/out"
expect_exit 65 otk feedback take 1
expect_grep 'message 1 is in_work; only a registered or acknowledged message can be taken into work' "$T/err"

# Assignment, then a transfer to another person; not to a stranger.
expect_exit 0 otk feedback assign 1 --unit 'Отдел по работе с обращениями' --to ivanova
expect_exit 0 otk feedback assign 1 --to petrov
expect_exit 65 otk feedback assign 1 --to stranger
expect_grep 'has no role in the organization' "$T/err"
expect_exit 66 otk feedback assign 1 --unit 'Нет такого'
expect_exit 64 otk feedback assign 1
expect_exit 0 otk feedback show 1
expect_grep '^transfers +1$' "$T/out"
expect_grep '^assignee +[0-9]+ petrov$' "$T/out"
expect_grep '^unit +[0-9]+ Отдел по работе с обращениями$' "$T/out"

# The 59-FZ extension: a notice, at most 30 days, once.
expect_exit 0 otk feedback show 1
due=$(sed -n 's/^answer_due *//p' "$T/out")
[ "$due" = "01.04.2026 23:59" ] || fail "answer_due $due, expected 30 days"
ok
expect_exit 64 otk feedback extend 1 --days 10
expect_grep 'required' "$T/err"
expect_exit 64 otk feedback extend 1 --days 31 --notice 'Уведомление'
expect_exit 0 otk feedback extend 1 --days 10 --notice 'Уведомление направлено 02.03.2026'
expect_exit 65 otk feedback extend 1 --days 5 --notice 'Ещё раз'
expect_grep 'already extended once' "$T/err"
expect_exit 65 otk feedback extend 4 --days 5 --notice 'Комментарий'
expect_grep 'no answer deadline under 59-FZ' "$T/err"
expect_exit 0 otk feedback show 1
# 1 April + 10 days is Saturday 11 April: the deadline moves to Monday.
expect_grep '^answer_due +13\.04\.2026 23:59$' "$T/out"
expect_grep '^extended +Уведомление направлено 02.03.2026$' "$T/out"

# An answer from a template: its text, and its use counted.
expect_exit 0 otk template add 'Полис ОМС' 'Полис выдаёт страховая медицинская организация.'
expect_exit 0 otk feedback answer 1 --template 1
expect_grep "	answered\$" "$T/out"
expect_exit 0 otk feedback show 1
expect_grep '^answer \(template 1\)$' "$T/out"
expect_grep '^Полис выдаёт страховая медицинская организация\.$' "$T/out"
command -v sqlite3 >/dev/null && {
	[ "$(sqlite3 "$OTKLIK_DB" 'SELECT uses FROM fb_template WHERE id = 1')" = 1 ] ||
	    fail "the template's use is not counted"
	ok
}
expect_exit 65 otk feedback close 1 --outcome satisfied
expect_grep 'only a complaint has an outcome' "$T/err"

# The client says "not solved": back in work; a second reply is refused.
expect_exit 0 otk feedback reply "$code" no
expect_grep "	in_work\$" "$T/out"
expect_exit 65 otk feedback reply "$code" yes
expect_grep 'given already' "$T/err"
expect_exit 64 otk feedback reply "$code" maybe
expect_exit 0 otk feedback answer 1 --text 'Полис можно получить в МФЦ.'
expect_exit 0 otk feedback reply 1 yes
expect_grep "	closed\$" "$T/out"
expect_exit 0 otk feedback show 1
expect_grep '^solved +yes$' "$T/out"
expect_grep '^reopened +1$' "$T/out"
expect_grep '	client	client_not_solved	answered	in_work' "$T/out"
expect_grep '	client	client_solved	answered	closed' "$T/out"
expect_grep '	transferred	-	-	unit [0-9]+, staff [0-9]+$' "$T/out"
expect_grep '	extended	-	-	10 days$' "$T/out"
expect_grep '^02\.03\.2026 10:00	ivanova	acknowledged	registered	acknowledged' "$T/out"
# Staff may reopen a closed case.
expect_exit 0 otk feedback reopen 1 --why 'Повторное обращение'
expect_grep "	in_work\$" "$T/out"
expect_exit 0 otk feedback show 1
expect_grep '	reopened	closed	in_work	Повторное обращение$' "$T/out"

# A complaint closes only with its outcome.
expect_exit 0 otk feedback take "$compl"
expect_exit 0 otk feedback answer "$compl" --text 'С сотрудником проведена беседа.'
expect_exit 65 otk feedback close "$compl"
expect_grep 'a complaint closes as satisfied or unsatisfied' "$T/err"
expect_exit 65 otk feedback close "$compl" --outcome happy
expect_exit 0 otk feedback close "$compl" --outcome satisfied
expect_exit 0 otk feedback show "$compl"
expect_grep '^outcome +satisfied$' "$T/out"
expect_exit 65 otk feedback close "$compl" --outcome satisfied
expect_grep 'is closed; only an answered message can be closed' "$T/err"
expect_exit 65 otk feedback assign "$compl" --to petrov
expect_grep 'is closed; only an open message can be assigned' "$T/err"

# A comment needs no answer: it closes from any open state.
expect_exit 0 otk feedback close 4
expect_grep '	closed$' "$T/out"

# Topic, reason and form from the dictionaries.
otk topic add 'Полисы ОМС' >/dev/null
otk topic add --reason 'Нехватка информации' >/dev/null
expect_exit 0 otk feedback classify 1 --topic 'полисы омс' --reason 'Нехватка информации' --form service
expect_exit 0 otk feedback show 1
expect_grep '^topic +[0-9]+ Полисы ОМС$' "$T/out"
expect_grep '^reason +[0-9]+ Нехватка информации$' "$T/out"
expect_grep '^form +service$' "$T/out"
expect_exit 66 otk feedback classify 1 --topic 'Нет такой темы'
expect_exit 65 otk feedback classify 1 --form tax
expect_grep 'form is not one of service' "$T/err"
expect_exit 64 otk feedback classify 1

# Every step is in the audit log, and the chain holds.
expect_exit 0 otk audit list --action feedback.
for a in registered acknowledged taken assigned transferred extended answered client_not_solved client_solved reopened closed classified; do
	expect_grep "	feedback\\.$a	message:" "$T/out"
done
expect_exit 0 otk audit verify
expect_grep 'intact' "$T/out"
done_testing

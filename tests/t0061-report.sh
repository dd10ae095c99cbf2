#!/bin/sh
# The report of a period (R-AN-1…3, R-AN-6) with the real binary: data
# entered as staff enter it (feedback add/take/answer/close, paper
# survey forms), rollups kept up to date by those commands, and the
# report as JSON and CSV compared with golden files (tracking codes are
# random, so they are masked); bad periods, clients, formats and k named
# in errors; suppression at the default k; the public yearly report
# published, listed and read back.
. "$SRCDIR/tests/lib.sh"

# Messages of January and February 2026 (Moscow time), entered on 13
# February.
export OTKLIK_NOW=2026-02-13T07:00:00Z
otk init >/dev/null
otk org add moh --name 'Министерство здравоохранения' --tz Europe/Moscow >/dev/null
# Touchpoints 1 and 2, for the paper forms that name one.
otk registry import --client internal "$FIX/registry-000.csv" >/dev/null
otk unit add 'Отдел по работе с обращениями' >/dev/null

add() {	# add CHANNEL KIND RECEIVED TEXT: prints the message's code
	otk feedback add --channel "$1" --kind "$2" --received "$3" "$4" | sed -n 1p
}
i=1
while [ $i -le 7 ]; do
	add email appeal "2026-02-0${i}T10:00" "Вопрос номер $i" >>"$T/email"
	i=$((i + 1))
done
add site appeal 2026-02-09T11:00 'Вопрос на сайте' >>"$T/site"
add phone complaint 2026-02-10T09:30 'Жалоба на грубость' >>"$T/compl"
add email complaint 2026-02-11T12:00 'Жалоба на сроки' >>"$T/compl"
add email complaint 2026-02-12T12:00 'Жалоба на отказ' >>"$T/compl"
add email appeal 2026-01-15T10:00 'Январский вопрос' >>"$T/jan"
# Outside the half-year: not in the report.
add email appeal 2025-12-20T10:00 'Декабрьский вопрос' >/dev/null

# Answers on 20 February at 10:00 Moscow: five of the seven e-mails.
export OTKLIK_NOW=2026-02-20T07:00:00Z
for c in $(head -n 5 "$T/email") $(cat "$T/site") $(cat "$T/jan"); do
	otk feedback take "$c" >/dev/null
	otk feedback answer "$c" --text 'Ответ дан.' >/dev/null
done
otk feedback assign "$(sed -n 1p "$T/email")" --unit 'Отдел по работе с обращениями' >/dev/null
# The complaints: two satisfied, one not.
n=0
for c in $(cat "$T/compl"); do
	n=$((n + 1))
	otk feedback take "$c" >/dev/null
	otk feedback answer "$c" --text 'Жалоба рассмотрена.' >/dev/null
	if [ $n -le 2 ]; then out=satisfied; else out=unsatisfied; fi
	otk feedback close "$c" --outcome $out >/dev/null
done
# Six paper forms of February.
export OTKLIK_NOW=2026-03-02T07:00:00Z
otk survey import-offline services "$FIX/survey-paper.csv" >/dev/null

# The report, on 20 June.
export OTKLIK_NOW=2026-06-20T07:00:00Z
mask() {	# tracking codes are random: mask them, in keys too
	sed -E 's/[0-9A-Z]{4}-[0-9A-Z]{6}/XXXX-XXXXXX/g; s/[0-9a-z]{4}-[0-9a-z]{6}/xxxx-xxxxxx/g' "$1"
}
expect_exit 0 otk report --period 2026H1 --output "$T/full.json"
mask "$T/full.json" >"$T/full.masked.json"
expect_same "$GOLDEN/report-full.json" "$T/full.masked.json"
# The default period is the current half-year; standard output.
expect_exit 0 otk report
mask "$T/out" >"$T/default.json"
expect_same "$T/full.masked.json" "$T/default.json"
expect_exit 0 otk report --period 2026H1 --format csv --k 1
mask "$T/out" >"$T/full.csv"
expect_same "$GOLDEN/report-full-k1.csv" "$T/full.csv"
expect_exit 0 otk report --period 2026H1 --format csv --lang en
mask "$T/out" >"$T/full-en.csv"
expect_same "$GOLDEN/report-full-en.csv" "$T/full-en.csv"

# What the golden files hold, in words: 13 messages in the half-year,
# 10 by e-mail; 3 complaints, 2 satisfied; suppression at k = 5.
expect_grep '^Количество обратившихся посредством всех средств связи с указанием доли в процентном соотношении по различным каналам,Всего,Количество,contacts.total.count,12,12,показано' "$T/full.csv"
expect_grep '^Количество обратившихся посредством всех средств связи с указанием доли в процентном соотношении по различным каналам,Электронная почта,Количество,contacts.email.count,10,10,показано' "$T/full.csv"
expect_grep ',complaints.satisfied.count,2,2,показано' "$T/full.csv"
expect_grep ',complaints.unsatisfied.count,1,1,показано' "$T/full.csv"
expect_grep ',satisfaction.overall.n,6,6,показано' "$T/full.csv"
expect_grep '"contacts.phone.count": \{' "$T/full.json"
grep -A 2 '"contacts.phone.count": {' "$T/full.json" | grep -q '"suppressed": "small"' ||
    fail "a channel of 1 message is shown at k = 5"
ok
grep -A 2 '"contacts.email.count": {' "$T/full.json" | grep -q '"value": 10' ||
    fail "e-mail should stay shown: site and phone are both hidden"
ok
# Internal clients: the profile of the eight dimensions.
expect_exit 0 otk report --period 2026H1 --clients internal --format csv
expect_grep '^Профиль удовлетворенности внутренних клиентов,Возможность профессионального развития и должностного роста,' "$T/out"
expect_no_grep 'Электронная почта' "$T/out"

# Errors name what is wrong.
expect_exit 64 otk report --period 2026H3
expect_grep "period '2026H3': expected 2026H1" "$T/err"
expect_exit 64 otk report --period 2026-03-01..2026-02-01
expect_grep "period '2026-03-01..2026-02-01': ends before it begins" "$T/err"
expect_exit 64 otk report --period 2016-01-01..2026-06-01
expect_grep 'longer than 10 years' "$T/err"
expect_exit 64 otk report --clients everyone
expect_grep "clients 'everyone': expected external or internal" "$T/err"
expect_exit 64 otk report --format pdf
expect_grep "format 'pdf': expected json, csv, html or xlsx" "$T/err"
expect_exit 64 otk report --format xlsx
expect_grep 'format xlsx: needs --output FILE' "$T/err"
expect_exit 64 otk report --what everything
expect_grep "what 'everything': expected full, pain, level or public" "$T/err"
expect_exit 64 otk report --k 0
expect_grep "'0' is not a whole number from 1 to 1000" "$T/err"
expect_exit 64 otk report --what public --period 2026H1
expect_grep "period '2026H1': the public report is for a year" "$T/err"
expect_exit 0 otk report --help
expect_grep '^usage: otklik report ' "$T/out"

# The public yearly report: published, listed, replaced, audited.
expect_exit 0 otk report years
[ ! -s "$T/out" ] || fail "no year is published yet"
ok
expect_exit 0 otk report --what public --period 2026
expect_no_grep 'breaches|standards_unit|Отдел по работе' "$T/out"
expect_grep '"key": "decisions"' "$T/out"
expect_exit 0 otk report publish 2026 --summary 'Итоги 2026 года'
expect_grep '^published the report of 2026 for moh$' "$T/out"
expect_exit 0 otk report publish 2025
expect_exit 0 otk report publish 2026 --summary 'Итоги 2026 года, уточнено'
expect_exit 0 otk report years
printf '2026\n2025\n' >"$T/years"
expect_same "$T/years" "$T/out"
expect_exit 64 otk report publish 1900
expect_grep "YEAR: '1900' is not a whole number from 1971 to 2100" "$T/err"
expect_exit 0 otk audit list
[ "$(grep -c 'report.publish' "$T/out")" = 3 ] || fail "three report.publish entries expected"
ok
expect_exit 0 otk audit verify

echo "t0061-report: $checks checks"

#!/bin/sh
# The pain map (R-AN-4) and the client-centricity level (R-AN-5) through
# the real binary: complaints classified by topic and reason and closed
# with their outcomes, paper survey forms with low ratings; the rollups
# fill themselves, and the map is the one worked out by hand below; what
# is decided is kept by key and by id, bad input is refused naming the
# field, the working group's confirmation stores the order and plans the
# open problems; the level shows each component with its weight; every
# change is in the audit log.
. "$SRCDIR/tests/lib.sh"

# Monday 2 March 2026, 10:00 in Moscow: the period 2026H1 by default.
export OTKLIK_NOW=2026-03-02T07:00:00Z
otk init >/dev/null
otk org add moh --name 'Министерство здравоохранения' --tz Europe/Moscow >/dev/null
otk unit add 'Отдел качества' >/dev/null
# Touchpoints 1 and 2.
otk registry import --client external "$FIX/registry-000.csv" >/dev/null
otk topic add 'Полисы ОМС' >/dev/null		# 1
otk topic add --reason 'Грубость' >/dev/null	# 2

# Nothing yet: an empty map, and nothing to confirm.
expect_exit 0 otk pain list
[ ! -s "$T/out" ] || fail "the map is not empty before any message"
ok
expect_exit 65 otk pain confirm --minutes-ref 'Протокол № 1'
expect_grep 'empty' "$T/err"

# At touchpoint 1: three complaints and an appeal.  1 and 3 are about
# policies (1 closed unsatisfied, 3 satisfied), 2 about policies for the
# reason "rudeness", which is where it counts; the appeal has no topic.
for i in 1 2 3; do
	otk feedback add --channel site --kind complaint --touchpoint 1 "Жалоба $i" >/dev/null
done
otk feedback add --channel site --kind appeal --touchpoint 1 'Вопрос' >/dev/null
otk feedback classify 1 --topic 'Полисы ОМС' >/dev/null
otk feedback classify 2 --topic 'Полисы ОМС' --reason 'Грубость' >/dev/null
otk feedback classify 3 --topic 'Полисы ОМС' >/dev/null
for m in 1 3; do
	otk feedback take $m >/dev/null
	otk feedback answer $m --text 'Ответ' >/dev/null
done
otk feedback close 1 --outcome unsatisfied >/dev/null
otk feedback close 3 --outcome satisfied >/dev/null
# Six paper forms: three at touchpoint 1, two at 2, one at none.
otk survey import-offline services "$FIX/survey-paper.csv" >/dev/null

# By hand.  Contacts: touchpoint 1 = 4 messages + 3 rated forms = 7;
# touchpoint 2 = 0 + 2.
#  1 policies at 1: unsatisfied 3 + complaint 2 = 5, R 2/7: 6.43
#  2 booking at 2: a 1 → 2, R 1/2: 3.0
#  3 rudeness at 1: complaint 2, R 1/7: 2.29
#  4 clarity, no touchpoint: a 1 → 2, R 0: 2.0
#  5–8 clarity, informing, overall, speed at 2: a 2 → 1, R 1/2: 1.5, by key
#  9 documents at 1: a 2 → 1, R 1/7: 1.14
# 10 access, no touchpoint: a 2 → 1: 1.0
expect_exit 0 otk pain list
cut -f 1,3,4,5,6 "$T/out" | sed 's/\t\([0-9]\) [^\t]*/\t\1/' >"$T/got"
cat >"$T/want" <<'EOF'
1	6.4	2	1	topic:1
2	3.0	1	2	rating:booking
3	2.3	1	1	topic:2
4	2.0	1	-	rating:clarity
5	1.5	1	2	rating:clarity
6	1.5	1	2	rating:informing
7	1.5	1	2	rating:overall
8	1.5	1	2	rating:speed
9	1.1	1	1	rating:documents
10	1.0	1	-	rating:access
EOF
expect_same "$T/want" "$T/got"
expect_grep '^1	-	6\.4	2	1 сайт министерства здравоохранения	topic:1	Полисы ОМС	open	-	-	-$' "$T/out"
# A question's title is its text in the instrument the ratings came from.
expect_grep '^7	.*	В целом насколько вы удовлетворены оказанием услуги\?	open' "$T/out"
expect_exit 0 otk pain list --json
expect_grep '"weight": 5\.0' "$T/out"
expect_grep '"contacts": 7,' "$T/out"
expect_exit 0 otk pain list --clients internal
[ ! -s "$T/out" ] || fail "internal clients have no problems"
ok
expect_exit 0 otk pain list --period 2025H2
[ ! -s "$T/out" ] || fail "2025H2 has no problems"
ok
expect_exit 64 otk pain list --period 2026H3
expect_grep 'period' "$T/err"
expect_exit 64 otk pain list --clients both

# Decisions by key: the row is made on first use, then found again.
expect_exit 0 otk pain set --touchpoint 1 --source topic --ref 1 \
    --cause 'Нет разъяснений на сайте' --measure 'Разместить памятку' \
    --unit 'Отдел качества' --due 2026-04-30 --segment 'Пенсионеры'
pid=$(cat "$T/out")
[ "$pid" = 1 ] || fail "the first problem's id is '$pid'"
ok
expect_exit 0 otk pain set --touchpoint 1 --source topic --ref 1 --state in_work
[ "$(cat "$T/out")" = "$pid" ] || fail "the same key made a new row"
ok
expect_exit 0 otk pain set --source manual --title 'Очереди в приемной'
man=$(cat "$T/out")
expect_exit 0 otk pain list
expect_grep "^1	$pid	6\\.4	2	1 .*	Полисы ОМС	in_work	Разместить памятку	Отдел качества	2026-04-30\$" "$T/out"
expect_grep "^11	$man	0\\.0	0	-	manual:m$man	Очереди в приемной	open	" "$T/out"

# Bad input, each refused naming the field; nothing written.
expect_exit 65 otk pain update "$pid" --state finished
expect_grep 'state: .finished. is not one of open, planned, in_work, done, rejected' "$T/err"
expect_exit 65 otk pain update "$pid" --due 2026-02-30
expect_grep '^otklik: due: ' "$T/err"
expect_exit 65 otk pain update "$pid" --unit 999
expect_grep '^otklik: unit: no unit 999' "$T/err"
expect_exit 66 otk pain update "$pid" --unit 'Нет такого'
expect_grep 'unit' "$T/err"
expect_exit 65 otk pain update "$pid" --title "$(printf 'a\001b')"
expect_grep '^otklik: title: holds a control character' "$T/err"
expect_exit 65 otk pain update "$pid" --measure "$(head -c 2001 /dev/zero | tr '\0' x)"
expect_grep '^otklik: measure: longer than 2000 bytes' "$T/err"
expect_exit 65 otk pain set --source topic --ref 99
expect_grep '^otklik: ref: no topic or reason 99' "$T/err"
expect_exit 65 otk pain set --source topic --ref 1 --touchpoint 99
expect_grep '^otklik: touchpoint: no touchpoint 99' "$T/err"
expect_exit 65 otk pain set --source manual
expect_grep '^otklik: title: required for a new manual problem' "$T/err"
expect_exit 65 otk pain set --source survey --ref x
expect_grep '^otklik: source: ' "$T/err"
expect_exit 64 otk pain set --ref 1
expect_exit 66 otk pain update 99 --state done
expect_exit 64 otk pain update x --state done

# By id: the due date cleared.
expect_exit 0 otk pain update "$pid" --due ''
expect_exit 0 otk pain list
expect_grep "^1	$pid	.*	in_work	Разместить памятку	Отдел качества	-\$" "$T/out"

# The working group confirms the order: rows for every problem, open
# ones planned, the one in work stays in work.
expect_exit 64 otk pain confirm
expect_grep 'minutes-ref' "$T/err"
expect_exit 0 otk pain confirm --minutes-ref 'Протокол № 3 от 02.03.2026' --note 'Очередность утверждена'
dec=$(cat "$T/out")
expect_exit 0 otk pain list
[ "$(cut -f 2 "$T/out" | grep -c -- '^-$')" = 0 ] || fail "a ranked problem has no row after confirm"
ok
[ "$(cut -f 8 "$T/out" | grep -c '^planned$')" = 10 ] || fail "expected 10 planned: $(cut -f 8 "$T/out" | tr '\n' ' ')"
ok
expect_grep "^1	$pid	.*	in_work	" "$T/out"
expect_exit 0 otk pain decisions
expect_grep "^$dec	2026-03-02 10:00	external	2026H1	11	Протокол № 3 от 02\\.03\\.2026	" "$T/out"
expect_exit 0 otk pain decisions --json
expect_grep '"minutes_ref": "Протокол № 3 от 02.03.2026"' "$T/out"
expect_grep "\"pain\": $pid," "$T/out"
expect_grep '"rank": 11,' "$T/out"

# The level: every component with its weight and count, and the formula.
# Satisfaction: overall 5 4 2 5 3 4, mean 23/6, index 70.8; complaints
# 1 of 2 satisfied; the registry's 2 touchpoints pass the checks and are
# not published; no report for 2025.
expect_exit 0 otk level
expect_grep '^level of moh, 2026H1: [0-9]+\.[0-9]$' "$T/out"
expect_grep '^satisfaction +70\.8 +0\.40 +[0-9.]+ +6$' "$T/out"
expect_grep '^complaints +50\.0 +0\.20 +[0-9.]+ +2$' "$T/out"
expect_grep '^registry +100\.0 +0\.10 +[0-9.]+ +2$' "$T/out"
expect_grep '^publication +0\.0 +0\.10 +[0-9.]+ +2$' "$T/out"
expect_grep '^level = 0\.40 satisfaction \+ 0\.20 standards' "$T/out"
# Before anything happened: satisfaction, standards and complaints left
# out, the weights scaled, the level partial.
expect_exit 0 otk level --period 2025H2
expect_grep '^level of moh, 2025H2: 50\.0 \(partial\)$' "$T/out"
expect_grep '^satisfaction +- +0\.40 +0\.00 +0$' "$T/out"
expect_grep '^registry +100\.0 +0\.10 +0\.50 +2$' "$T/out"
expect_exit 0 otk level --json
expect_grep '"key": "satisfaction"' "$T/out"
expect_grep '"partial": false' "$T/out"
expect_exit 64 otk level --period nonsense

# The region: a second organization with nothing is last.
otk org add edu --name 'Минобразования' --tz Europe/Moscow >/dev/null
expect_exit 0 otk level --region --period 2026H1
expect_grep '^1	moh	[0-9.]+	full	satisfaction=70\.8	' "$T/out"
expect_grep '^2	edu	0\.0	partial	satisfaction=-	' "$T/out"
expect_exit 0 otk --org edu level
expect_grep '^level of edu, 2026H1: 0\.0 \(partial\)$' "$T/out"

# Every change is audited, without the long texts; the chain holds.
expect_exit 0 otk audit list --action pain.
expect_grep "	pain\\.update	pain:$pid	" "$T/out"
expect_grep "	pain\\.update	pain:$man	" "$T/out"
expect_grep "	pain\\.confirm	pain_decision:$dec	" "$T/out"
expect_grep '"changed":\["segment","cause","measure","due","unit"\]' "$T/out"
expect_no_grep 'Разместить памятку|Нет разъяснений' "$T/out"
expect_exit 0 otk audit verify
expect_grep 'intact' "$T/out"
done_testing

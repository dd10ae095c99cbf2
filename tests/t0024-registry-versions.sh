#!/bin/sh
# Versions of R-REG-5: every inclusion is a version; two versions compare
# entry by entry and field by field; the registry as of any date.
. "$SRCDIR/tests/lib.sh"

otk init >/dev/null
otk org add gkk --name 'Госкомитет' --tz Asia/Yekaterinburg >/dev/null

# Version 1 on 16.05.2024 (local time), version 2 on 03.06.2024.
OTKLIK_NOW=2024-05-16T10:00:00+05:00 otk registry import --client internal "$FIX/registry-001.csv" >/dev/null
tp=$(otk registry list | awk -F'\t' '$7 == "Система электронного делопроизводства (СЭДО)" {print $1; exit}')
tp3=$(otk registry list | awk -F'\t' '$7 == "Телефон +7 (347) 218-5-87" {print $1; exit}')
export OTKLIK_NOW=2024-06-03T09:00:00+05:00
a=$(otk registry draft change "$tp" --features 'цифровая точка, СЭД ДелоПРО')
b=$(otk registry draft exclude "$tp3")
c=$(otk registry draft add --area 'Взаимодействие с внутренним клиентом' --process 'Организация рабочего пространства' --name 'Чат-бот в мессенджере' --interaction 'Получение информации' --client internal)
for x in $a $b $c; do otk registry submit "$x" >/dev/null; done
otk registry include $a $b $c >/dev/null
unset OTKLIK_NOW

expect_exit 0 otk registry versions
expect_grep '^1	16\.05\.2024	local:.*	21 changes	not published	' "$T/out"
expect_grep '^2	03\.06\.2024	local:.*	3 changes	not published	' "$T/out"

expect_exit 0 otk registry diff 1 2
expect_grep '^version 1 → version 2: 3 differences$' "$T/out"
expect_grep "^~ $tp «Система электронного делопроизводства \(СЭДО\)»" "$T/out"
expect_grep '^    features: «» → «цифровая точка, СЭД ДелоПРО»$' "$T/out"
expect_grep "^- $tp3 «Телефон \+7 \(347\) 218-5-87»" "$T/out"
expect_grep '^\+ [0-9]+ «Чат-бот в мессенджере» \(Взаимодействие с внутренним клиентом / Организация рабочего пространства\)$' "$T/out"

# By date: before the first version there was nothing.
expect_exit 0 otk registry diff 2024-05-01 2024-05-20
expect_grep '^version 0 → version 1: 21 differences$' "$T/out"
expect_exit 0 otk registry diff 2024-05-20 2024-06-10
expect_grep '^version 1 → version 2: 3 differences$' "$T/out"

expect_exit 0 otk registry list --as-of 2024-05-31
[ "$(wc -l <"$T/out")" -eq 21 ] || fail "as of 31.05 there were 21 entries"
expect_grep "^$tp3	" "$T/out"
expect_exit 0 otk registry list --as-of 2024-06-03
expect_no_grep "^$tp3	" "$T/out"
expect_grep 'Чат-бот в мессенджере' "$T/out"
expect_exit 0 otk registry list --version 1
expect_no_grep 'Чат-бот' "$T/out"

expect_exit 66 otk registry list --as-of 2024-01-01
expect_grep 'no version yet on 2024-01-01' "$T/err"
expect_exit 64 otk registry list --as-of 2024-13-01
expect_exit 66 otk registry list --version 7
expect_exit 64 otk registry diff 1 x
done_testing

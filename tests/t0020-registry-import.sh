#!/bin/sh
# Importing the official form as the seed orders print it: an empty cell
# means the same as above, rows lack their last cells, a row holds only a
# touchpoint; --dry-run writes nothing; a second import of the same file
# makes no new version.
. "$SRCDIR/tests/lib.sh"

otk init >/dev/null
otk org add gkk --name 'Госкомитет РБ по конкурентной политике' --tz Asia/Yekaterinburg --region RU-BA >/dev/null

expect_exit 0 otk registry import --dry-run --client internal "$FIX/registry-001.csv"
expect_grep 'dry run: .*21 entries; 21 added, 0 changed, 0 excluded' "$T/out"
expect_exit 0 otk registry versions
[ -s "$T/out" ] && fail "a dry run wrote a version"
ok

expect_exit 0 otk registry import --client internal "$FIX/registry-001.csv"
expect_grep '21 entries; 21 added.*version 1$' "$T/out"
# The process with only offline touchpoints gets a warning [000 §13].
expect_grep '^warning: process «Организация рабочего пространства».*\[digital-preferred, 000 §13\]' "$T/out"

otk registry list >"$T/list"
[ "$(wc -l <"$T/list")" -eq 21 ] || fail "expected 21 entries"
ok
# Channels are recognized from the names; kinds from column 6.
expect_grep '	email	digital	key	Взаимодействие с внутренним клиентом	Представление сведений о доходах.*	Электронная почта gkmser@bashkortostan.ru	info consult$' "$T/list"
expect_grep '	edms	digital	key	.*Система электронного делопроизводства \(СЭДО\)	info result$' "$T/list"
expect_grep '	site	digital	key	.*Официальный интернет-сайт' "$T/list"
expect_grep '	reception	offline	key	.*Обеспечение материальными ценностями' "$T/list"
# The row holding only a touchpoint takes columns 5-6 from the row above.
expect_grep '	phone	offline	key	.*Организация рабочего пространства	Телефон \+7 \(347\) 218-15-87	info consult result inspect$' "$T/list"

# The same file again: nothing to do.
expect_exit 0 otk registry import --client internal "$FIX/registry-001.csv"
expect_grep '0 added, 0 changed, 0 excluded, 21 unchanged; the registry is already so' "$T/out"

# The seed of the Primorye order into a second organization.
otk org add moh --name 'Минздрав Приморского края' --tz Asia/Vladivostok >/dev/null
expect_exit 0 otk --org moh registry import --client internal "$FIX/registry-000.csv"
expect_grep '2 entries; 2 added' "$T/out"
expect_grep '^warning: process «организация документооборота и оперативного взаимодействия».*offline-alternative' "$T/out"
expect_exit 0 otk --org moh registry list
expect_grep '	site	digital	key	взаимодействие с внутренним клиентом	организация документооборота и оперативного взаимодействия	сайт министерства здравоохранения	info$' "$T/out"
expect_grep '	edms	digital	key	.*Региональная система межведомственного электронного документооборота	info submit:application submit:documents result$' "$T/out"

# Every included change is audited with its trigger.
expect_exit 0 otk --org moh registry changes
expect_grep '	add	included	[0-9]+	.*	new	сайт министерства здравоохранения' "$T/out"
expect_exit 0 otk audit verify
done_testing

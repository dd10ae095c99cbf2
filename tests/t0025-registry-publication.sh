#!/bin/sh
# Publication of R-REG-6: within 10 working days of each change, counted
# in the organization's calendar and time zone; pending, due soon, late.
. "$SRCDIR/tests/lib.sh"

otk init >/dev/null
otk org add gkk --name 'Госкомитет' --tz Asia/Yekaterinburg --region RU-BA >/dev/null
OTKLIK_NOW=2024-05-16T10:00:00+05:00 otk registry import --client internal "$FIX/registry-001.csv" >/dev/null

# Ten working days after Thursday 16.05.2024 is Thursday 30.05.2024.
OTKLIK_NOW=2024-05-20T12:00:00+05:00 expect_exit 0 otk registry status
expect_grep '^registry of gkk: version 1, never published$' "$T/out"
expect_grep '^version 1	changed 16\.05\.2024	publish by 30\.05\.2024	8 working days left	pending$' "$T/out"
OTKLIK_NOW=2024-05-27T12:00:00+05:00 expect_exit 0 otk registry status
expect_grep '	3 working days left	due soon$' "$T/out"
OTKLIK_NOW=2024-05-31T12:00:00+05:00 expect_exit 1 otk registry status
expect_grep '	1 working day late	LATE$' "$T/out"

# The time zone decides the day: 23:30 in Yekaterinburg on 15.05 is
# still 15.05 there, although it is 16.05 nowhere east of it.
otk org add late --name 'Поздний' --tz Asia/Yekaterinburg >/dev/null
OTKLIK_NOW=2024-05-15T18:30:00Z otk --org late registry import "$FIX/registry-000.csv" >/dev/null
OTKLIK_NOW=2024-05-20T12:00:00+05:00 expect_exit 0 otk --org late registry status
expect_grep 'changed 15\.05\.2024	publish by 29\.05\.2024' "$T/out"

# Publishing covers the version and those before it.
OTKLIK_NOW=2024-05-29T12:00:00+05:00 expect_exit 0 otk --org gkk registry publish --url https://zakupki.bashkortostan.ru/perechen
OTKLIK_NOW=2024-05-31T12:00:00+05:00 expect_exit 0 otk --org gkk registry status
expect_grep 'version 1 published 29\.05\.2024' "$T/out"
expect_grep '^nothing to publish$' "$T/out"
expect_exit 0 otk --org gkk registry versions
expect_grep '^1	16\.05\.2024	.*published 29\.05\.2024' "$T/out"
expect_exit 0 otk audit list --action registry.publish
expect_grep 'registry:1	.*"url":"https://zakupki.bashkortostan.ru/perechen"' "$T/out"

expect_exit 64 otk --org gkk registry publish --at 2199-01-01
expect_grep 'cannot be in the future' "$T/err"
expect_exit 66 otk --org gkk registry publish --version 5

# A regional calendar: Tatarstan rests on the Day of the Republic
# (30.08.2024), so the deadline of a change on Friday 23.08.2024 moves
# from 06.09 to 09.09.
otk org add ta --name 'Министерство РТ' --region RU-TA >/dev/null
otk org add fed --name 'Министерство' >/dev/null
OTKLIK_NOW=2024-08-23T12:00:00+03:00 otk --org ta registry import "$FIX/registry-000.csv" >/dev/null
OTKLIK_NOW=2024-08-23T12:00:00+03:00 otk --org fed registry import "$FIX/registry-000.csv" >/dev/null
OTKLIK_NOW=2024-08-26T12:00:00+03:00 expect_exit 0 otk --org ta registry status
expect_grep 'changed 23\.08\.2024	publish by 09\.09\.2024' "$T/out"
OTKLIK_NOW=2024-08-26T12:00:00+03:00 expect_exit 0 otk --org fed registry status
expect_grep 'changed 23\.08\.2024	publish by 06\.09\.2024' "$T/out"
done_testing

#!/bin/sh
# The working-day calendar from the command line: add, between and show
# with and without a database, the Labour Code fallback and its warning,
# loading good and broken xmlcalendar files, and a region's overlay used
# through an organization.
. "$SRCDIR/tests/lib.sh"

# No database: the built-in calendars.
expect_exit 0 otk calendar add 2026-01-08 1
expect_grep '^2026-01-12$' "$T/out"
expect_no_grep . "$T/err"
expect_exit 0 otk calendar add 2026-01-08 0
expect_grep '^2026-01-08$' "$T/out"
expect_exit 0 otk calendar add 2026-01-08 10
expect_grep '^2026-01-23$' "$T/out"
expect_exit 0 otk calendar add -- 2026-01-12 -1
expect_grep '^2025-12-30$' "$T/out"
expect_exit 0 otk calendar add 2025-10-31 1
expect_grep '^2025-11-01$' "$T/out"
expect_exit 0 otk calendar between 2026-01-08 2026-01-23
expect_grep '^10$' "$T/out"
expect_exit 0 otk calendar between 2025-12-31 2026-12-31
expect_grep '^247$' "$T/out"
expect_exit 0 otk calendar between 2026-01-23 2026-01-12
expect_grep '^-9$' "$T/out"
expect_exit 0 otk calendar add 2026-01-01 10000
expect_grep '^20[67][0-9]-[01][0-9]-[0-3][0-9]$' "$T/out"
expect_grep 'warning: no calendar for 2027-20[67][0-9]; the Labour Code' "$T/err"

# The year listing.
expect_exit 0 otk calendar show 2026
expect_grep '^2026-01-09	Fri	off	перенос с 03.01$' "$T/out"
expect_grep '^2026-04-30	Thu	short	$' "$T/out"
expect_grep '^2026-12-31	Thu	off	' "$T/out"
expect_grep '^2026: 247 working days \(4 shortened\), 118 days off$' "$T/out"
expect_no_grep '^2026-07' "$T/out"
expect_exit 0 otk calendar show 2024
expect_grep '^2024-04-27	Sat	work	$' "$T/out"
expect_grep '^2024: 248 working days' "$T/out"
expect_exit 0 otk calendar show 2023 --region RU-TA
expect_grep '^2023-04-21	Fri	off' "$T/out"
expect_grep '^2023: 244 working days' "$T/out"

# A year with no calendar: the Labour Code holidays, and a warning.
expect_exit 0 otk calendar add 2031-05-08 1
expect_grep '^2031-05-12$' "$T/out"
expect_grep '^warning: no calendar for 2031; the Labour Code holidays were assumed$' "$T/err"
expect_exit 0 otk calendar show 2031
expect_grep '^2031-03-10	Mon	off	перенос с 08.03$' "$T/out"
expect_grep 'no calendar for 2031' "$T/err"

# Bad input names the argument.
expect_exit 64 otk calendar add 2026-02-30 1
expect_grep "DATE: '2026-02-30' is not a date" "$T/err"
expect_exit 64 otk calendar add 2026-01-08 ten
expect_grep "N: 'ten' is not a whole number" "$T/err"
expect_exit 64 otk calendar add 2026-01-08 100001
expect_grep "N: '100001'" "$T/err"
expect_exit 64 otk calendar add 2026-01-08
expect_exit 64 otk calendar between 2026-01-08 tomorrow
expect_grep "B: 'tomorrow' is not a date" "$T/err"
expect_exit 64 otk calendar show 1800
expect_grep "YEAR: '1800'" "$T/err"
expect_exit 64 otk calendar add --region 'R!' 2026-01-08 1
expect_grep "^otklik: --region R!: " "$T/err"
expect_exit 66 otk --org kzn calendar add 2026-01-08 1
expect_grep 'no database' "$T/err"
expect_exit 66 otk calendar load /dev/null
expect_grep 'no database here' "$T/err"

# With a database: the calendars seeded at init.
otk init >/dev/null
expect_exit 0 otk calendar add 2026-01-08 1
expect_grep '^2026-01-12$' "$T/out"
expect_exit 0 otk audit list --action calendar.
expect_grep 'calendar.seed	calendar:ru	' "$T/out"
expect_grep 'calendar.seed	calendar:ru-ta	' "$T/out"

# Loading a year.
cat >"$T/2027.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<calendar year="2027" lang="ru" date="2026.09.01" country="ru">
    <holidays>
        <holiday id="1" title="Новогодние каникулы"/>
        <holiday id="2" title="Рождество Христово"/>
    </holidays>
    <days>
        <day d="01.01" t="1" h="1"/>
        <day d="01.02" t="1" h="1"/>
        <day d="01.03" t="1" h="1"/>
        <day d="01.04" t="1" h="1"/>
        <day d="01.05" t="1" h="1"/>
        <day d="01.06" t="1" h="1"/>
        <day d="01.07" t="1" h="2"/>
        <day d="01.08" t="1" h="1"/>
        <day d="12.31" t="1" f="01.02"/>
    </days>
</calendar>
EOF
expect_exit 0 otk calendar load "$T/2027.xml"
expect_grep '^ru 2027: loaded from ' "$T/out"
expect_exit 0 otk calendar show 2027
expect_grep '^2027-12-31	Fri	off	перенос с 02.01$' "$T/out"
expect_no_grep 'no calendar' "$T/err"
expect_exit 0 otk calendar add 2026-12-30 1
expect_grep '^2027-01-11$' "$T/out"
expect_no_grep 'no calendar' "$T/err"
expect_exit 0 otk audit list --action calendar.load
expect_grep 'calendar:ru:2027' "$T/out"

# A broken file: exit 65, the file and line in the message, nothing written.
sed 's|<day d="01.08" t="1" h="1"/>|<day d="01.08" t="1"" h="1"/>|' \
    "$T/2027.xml" >"$T/broken.xml"
otk audit list >"$T/audit.before"
expect_exit 65 otk calendar load "$T/broken.xml"
expect_grep "^otklik: $T/broken.xml:15: attributes construct error" "$T/err"
otk audit list >"$T/audit.after"
expect_same "$T/audit.before" "$T/audit.after"
sed 's|d="12.31" t="1"|d="12.32" t="1"|' "$T/2027.xml" >"$T/baddate.xml"
expect_exit 65 otk calendar load "$T/baddate.xml"
expect_grep "baddate.xml:16: <day d=\"12.32\">: not a day of 2027" "$T/err"
sed 's|t="1" h="2"|t="5" h="2"|' "$T/2027.xml" >"$T/badkind.xml"
expect_exit 65 otk calendar load "$T/badkind.xml"
expect_grep 'badkind.xml:14: .*t must be 1' "$T/err"
expect_exit 66 otk calendar load "$T/missing.xml"
expect_exit 0 otk calendar show 2027
expect_grep '^2027-12-31	Fri	off' "$T/out"

# A region's overlay, through an organization of that region.
expect_exit 0 otk org add kzn --name 'Исполком Казани' --region RU-TA
expect_exit 0 otk org add msk --name 'Москва'
expect_exit 0 otk --org kzn calendar add 2023-04-20 1
expect_grep '^2023-04-24$' "$T/out"
expect_exit 0 otk --org msk calendar add 2023-04-20 1
expect_grep '^2023-04-21$' "$T/out"
expect_exit 0 otk --org msk calendar add --region ru-ta 2023-04-20 1
expect_grep '^2023-04-24$' "$T/out"
expect_exit 0 otk --org kzn calendar between 2023-04-19 2023-04-24
expect_grep '^2$' "$T/out"
expect_exit 66 otk --org nope calendar add 2023-04-20 1
expect_grep "no organization 'nope'" "$T/err"

# Loading a region's year keeps what it adds to the federal one.
sed -e 's|country="ru"|country="tatar"|' \
    -e 's|</days>|<day d="08.30" t="1"/></days>|' \
    "$T/2027.xml" >"$T/ta2027.xml"
expect_exit 65 otk calendar load "$T/ta2027.xml"
expect_grep 'country="tatar"' "$T/err"
expect_exit 0 otk calendar load "$T/ta2027.xml" --region RU-TA
expect_grep '^ru-ta 2027: loaded from ' "$T/out"
expect_exit 0 otk --org kzn calendar show 2027
expect_grep '^2027-08-30	Mon	off' "$T/out"
expect_exit 0 otk --org msk calendar show 2027
expect_no_grep '^2027-08-30' "$T/out"
expect_exit 0 otk audit verify
done_testing

#!/bin/sh
# Paper forms entered by staff (R-SRV-4): survey import-offline of a CSV
# counts what it adds, adds nothing the second time, refuses a file with
# errors naming each row and column and storing nothing, stores nothing
# on --dry-run; the results afterwards are the hand-computed figures of
# R-SRV-5 (share of 4–5 and index 0–100, each with its n).
. "$SRCDIR/tests/lib.sh"

# Monday 2 March 2026, 10:00 in Moscow.
export OTKLIK_NOW=2026-03-02T07:00:00Z
otk init >/dev/null
otk org add moh --name 'Министерство здравоохранения' --tz Europe/Moscow >/dev/null
# Two touchpoints, ids 1 and 2, for the forms that name one.
otk registry import --client internal "$FIX/registry-000.csv" >/dev/null
paper="$FIX/survey-paper.csv"

responses() {	# responses CODE: the responses column of survey list
	otk survey list | awk -F '\t' -v c="$1" '$1 == c { print $8 }'
}

# A file with errors in rows 3 and 5: both reported, nothing stored.
expect_exit 65 otk survey import-offline services "$FIX/survey-paper-bad.csv"
expect_grep 'survey-paper-bad.csv: row 3, column access: rating must be 1–5' "$T/err"
expect_grep "survey-paper-bad.csv: row 5, column needs: 'cake' is not an option" "$T/err"
expect_grep '2 of 4 rows refused; nothing was stored' "$T/err"
expect_no_grep 'row (2|4)[,:]' "$T/err"
[ "$(responses services)" = 0 ] || fail "a refused file stored responses"
ok

# --dry-run checks and counts, and stores nothing.
expect_exit 0 otk survey import-offline services "$paper" --dry-run
expect_grep '^dry run: .*survey-paper.csv: 6 new, 0 already there$' "$T/out"
[ "$(responses services)" = 0 ] || fail "--dry-run stored responses"
ok

expect_exit 0 otk survey import-offline services "$paper"
expect_grep 'survey-paper.csv: 6 added, 0 already there$' "$T/out"
[ "$(responses services)" = 6 ] || fail "expected 6 responses, got $(responses services)"
ok
# One audit entry, with the count and the file, never an answer.
expect_exit 0 otk audit list
expect_grep 'survey.import-offline' "$T/out"
[ "$(grep -c 'survey.import-offline' "$T/out")" = 1 ] || fail "one audit entry expected"
ok
expect_no_grep 'Больше окон' "$T/out"

# The same file again adds nothing.
expect_exit 0 otk survey import-offline services "$paper"
expect_grep 'survey-paper.csv: 0 added, 6 already there$' "$T/out"
[ "$(responses services)" = 6 ] || fail "a second import added responses"
ok
# A new form with a number already stored is skipped; one in the file
# twice is refused, naming both rows.
{ head -n 1 "$paper"; sed -n 2p "$paper"; sed -n 2p "$paper" | sed 's/^П-001/П-900/'; sed -n 2p "$paper" | sed 's/^П-001/П-900/'; } >"$T/dup.csv"
expect_exit 65 otk survey import-offline services "$T/dup.csv"
expect_grep 'row 4, column paper_ref: form П-900 is also in row 3' "$T/err"
# Days: required, a date, not in the future; a touchpoint of the registry.
{ head -n 1 "$paper"
  sed -n 2p "$paper" | sed 's/^П-001,2026-02-02/П-201,/'
  sed -n 2p "$paper" | sed 's/^П-001,2026-02-02/П-202,02.02.2026/'
  sed -n 2p "$paper" | sed 's/^П-001,2026-02-02/П-203,2026-03-03/'
  sed -n 2p "$paper" | sed 's/^П-001,2026-02-02,1/П-204,2026-02-02,99/'
  sed -n 2p "$paper" | sed 's/^П-001//'
  sed -n 2p "$paper" | sed 's/,yes,5,4,5,/,,5,4,5,/; s/^П-001/П-205/'
} >"$T/bad.csv"
expect_exit 65 otk survey import-offline services "$T/bad.csv"
expect_grep 'row 2, column day: the day the form was filled in is required' "$T/err"
expect_grep "row 3, column day: '02.02.2026' is not a date" "$T/err"
expect_grep 'row 4, column day: 2026-03-03 is in the future' "$T/err"
expect_grep 'row 5, column touchpoint: no touchpoint 99 in the registry' "$T/err"
expect_grep "row 6, column paper_ref: the paper form's number is required" "$T/err"
expect_grep 'row 7, column booked: Please answer this question' "$T/err"
expect_grep '6 of 6 rows refused' "$T/err"
# Cells past the header: empty ones are what spreadsheets leave, a value
# would be lost.
{ head -n 1 "$paper"; sed -n 2p "$paper" | sed 's/^П-001/П-301/; s/$/,,/'
  sed -n 2p "$paper" | sed 's/^П-001/П-302/; s/$/,5/'; } >"$T/wide.csv"
expect_exit 65 otk survey import-offline services "$T/wide.csv"
expect_grep 'row 3: a value in column 15, but the header has 14 columns' "$T/err"
expect_no_grep 'row 2' "$T/err"
# A header that is not the form's.
printf 'paper_ref,day,colour\nП-1,2026-02-02,red\n' >"$T/hdr.csv"
expect_exit 65 otk survey import-offline services "$T/hdr.csv"
expect_grep 'column colour: not a column of a paper form' "$T/err"
printf 'paper_ref,access\nП-1,5\n' >"$T/noday.csv"
expect_exit 65 otk survey import-offline services "$T/noday.csv"
expect_grep 'no column day' "$T/err"
expect_exit 66 otk survey import-offline services "$T/no-such.csv"
expect_exit 66 otk survey import-offline nosuch "$paper"
expect_exit 64 otk survey import-offline services
[ "$(responses services)" = 6 ] || fail "a refused file stored responses"
ok

# The figures, computed by hand from survey-paper.csv.
# access 5 4 3 5 2 4: 4 of 6 are 4–5 = 66.7 %; index (23 - 6) * 25 / 6 = 70.8
# clarity 4 4 2 5 1 5: 66.7 %; (21 - 6) * 25 / 6 = 62.5
# booking, only when booked = yes: 5 1 4: 2 of 3 = 66.7 %; (10 - 3) * 25 / 3 = 58.3
# informing 4 3 2 5 4 3: 3 of 6 = 50.0 %; (21 - 6) * 25 / 6 = 62.5
# speed 5 5 2 4 3 5: 66.7 %; (24 - 6) * 25 / 6 = 75.0
# all ratings: 39, of them 25 are 4–5 = 64.1 %; (144 - 39) * 25 / 39 = 67.3
expect_exit 0 otk survey results services
expect_grep '^survey services: 6 responses, 6 on paper$' "$T/out"
expect_grep '^all ratings +n = 39 +share 4–5 = +64\.1 % +index = +67\.3$' "$T/out"
expect_grep '^access +n = 6 +share 4–5 = +66\.7 % +index = +70\.8$' "$T/out"
expect_grep '^clarity +n = 6 +share 4–5 = +66\.7 % +index = +62\.5$' "$T/out"
expect_grep '^booking +n = 3 +share 4–5 = +66\.7 % +index = +58\.3$' "$T/out"
expect_grep '^informing +n = 6 +share 4–5 = +50\.0 % +index = +62\.5$' "$T/out"
expect_grep '^speed +n = 6 +share 4–5 = +66\.7 % +index = +75\.0$' "$T/out"
# needs (multi): 5 answered; apply in 3 of them.
expect_grep '^needs \(multi\) +n = 5$' "$T/out"
expect_grep '^  apply +3 +60\.0 %$' "$T/out"
expect_grep '^  result +1 +20\.0 %$' "$T/out"
expect_grep '^  other +1 +20\.0 %$' "$T/out"
expect_grep '^booked \(single\) +n = 6$' "$T/out"
expect_grep '^  yes +3 +50\.0 %$' "$T/out"
# Nobody answered: n = 0, not 0 %.
expect_grep '^segment \(single\) +n = 0$' "$T/out"
expect_grep '^  citizen +0$' "$T/out"
expect_grep '^proposals \(text\) +n = 3$' "$T/out"
expect_no_grep 'Спасибо' "$T/out"
expect_exit 0 otk survey results services --texts 2
expect_grep '^  — Спасибо$' "$T/out"
expect_grep '^  — Долго, ждал час$' "$T/out"
expect_no_grep 'Больше окон' "$T/out"

# Filters: touchpoint 2 is forms 3 and 4 (access 3 5).
expect_exit 0 otk survey results services --touchpoint 2
expect_grep '^survey services: 2 responses, 2 on paper$' "$T/out"
expect_grep '^access +n = 2 +share 4–5 = +50\.0 % +index = +75\.0$' "$T/out"
# From 20 February: forms 5 and 6 (access 2 4).
expect_exit 0 otk survey results services --from 2026-02-20
expect_grep '^access +n = 2 +share 4–5 = +50\.0 % +index = +50\.0$' "$T/out"
expect_exit 0 otk survey results services --from 2026-02-10 --to 2026-02-11
expect_grep '^access +n = 2 +share 4–5 = +50\.0 % +index = +75\.0$' "$T/out"
# The service of forms 1, 2 and 6 (access 5 4 4).
expect_exit 0 otk survey results services --service 'Выдача справки'
expect_grep '^access +n = 3 +share 4–5 = +100\.0 % +index = +83\.3$' "$T/out"
expect_exit 0 otk survey results services --online
expect_grep '^survey services: 0 responses, 0 on paper$' "$T/out"
expect_grep '^access +n = 0$' "$T/out"
expect_grep '^all ratings +n = 0$' "$T/out"
expect_exit 0 otk survey results services --offline
expect_grep '^access +n = 6 ' "$T/out"
expect_exit 64 otk survey results services --offline --online
expect_exit 64 otk survey results services --from 2026-13-01
expect_exit 64 otk survey results services --from 2026-02-20 --to 2026-02-01
expect_exit 66 otk survey results nosuch
done_testing

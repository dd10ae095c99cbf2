#!/bin/sh
# Surveys on the command line: the four standard instruments of a new
# organization; show as text and JSON; a custom instrument added, edited
# into a second version and published; offered at a touchpoint, for a
# service and a situation; invitations; results, CSV export (a golden
# file) and XLSX export (its sheet) of forms entered from paper, which
# import-offline reads back; QR codes; and bad input, each with a message
# and its exit code.
. "$SRCDIR/tests/lib.sh"
command -v unzip >/dev/null || fail "unzip needed"

# Monday 2 March 2026, 10:00 in Moscow.
export OTKLIK_NOW=2026-03-02T07:00:00Z
otk init >/dev/null
otk org add moh --name 'Министерство здравоохранения' --tz Europe/Moscow >/dev/null
otk registry import --client internal "$FIX/registry-000.csv" >/dev/null

golden() {	# golden NAME FILE
	if [ "${OTKLIK_UPDATE_GOLDEN:-}" = 1 ]; then
		mkdir -p "$(dirname "$GOLDEN/$1")"
		cp "$2" "$GOLDEN/$1"
		ok
	else
		expect_same "$GOLDEN/$1" "$2"
	fi
}

expect_exit 0 otk help
for c in list show add edit discard publish open close access versions \
    attach detach targets invite invites results export import-offline qr; do
	expect_grep "^  survey $c " "$T/out"
done
expect_exit 0 otk survey results --help
expect_grep '^  --touchpoint ID ' "$T/out"
expect_grep '^  --offline ' "$T/out"

# A new organization has the four standard instruments, published, open.
expect_exit 0 otk survey list
[ "$(wc -l <"$T/out")" -eq 4 ] || fail "expected 4 instruments"
for s in services appeals information internal; do
	expect_grep "^$s	$s	(external|internal)	(open|invite)	open	1	-	0	Оценка удовлетворенности" "$T/out"
done
expect_grep '^internal	internal	internal	invite	' "$T/out"

expect_exit 0 otk survey show services
expect_grep '^services, version 1: Оценка удовлетворенности внешних клиентов' "$T/out"
expect_grep '^[0-9]+\. access \(rating, required\)$' "$T/out"
expect_grep '^   5  отлично, полностью удовлетворен\(а\)$' "$T/out"
expect_grep '^   shown when booked is yes$' "$T/out"
expect_exit 0 otk survey show services --json
expect_grep '^  "code": "services",$' "$T/out"
cp "$T/out" "$T/services.json"
expect_exit 0 otk survey show services --version 1
expect_exit 66 otk survey show services --version 7
expect_grep 'no version 7' "$T/err"

# A custom instrument: a draft, published; edited into a draft of
# version 2 while version 1 stays; published in turn.
expect_exit 0 otk survey add "$FIX/survey-custom.json"
expect_grep '^reception	closed	open	version -	draft 1$' "$T/out"
expect_exit 65 otk survey add "$FIX/survey-custom.json"
expect_exit 0 otk survey publish reception
expect_grep '^reception	closed	open	version 1	draft -$' "$T/out"
expect_exit 0 otk survey open reception
expect_grep '^reception	open	' "$T/out"
# Paper forms against version 1.
expect_exit 0 otk survey import-offline reception "$FIX/survey-reception-1.csv"
expect_grep 'survey-reception-1.csv: 3 added, 0 already there$' "$T/out"
expect_exit 0 otk survey edit reception "$FIX/survey-custom-v2.json"
expect_grep '^reception	open	open	version 1	draft 2$' "$T/out"
expect_exit 0 otk survey show reception
expect_grep '^reception, version 1: Оценка работы приемной$' "$T/out"
expect_exit 0 otk survey show reception --version 2
expect_grep '^2\. polite \(rating\)$' "$T/out"
expect_exit 0 otk survey versions reception
expect_grep '^2	draft	2026-03-02 10:00	local:[^	]*	-	0	Оценка работы приемной \(редакция 2\)$' "$T/out"
expect_grep '^1	published	2026-03-02 10:00	local:[^	]*	2026-03-02 10:00	3	Оценка работы приемной$' "$T/out"
expect_exit 0 otk survey publish reception
expect_grep '^reception	open	open	version 2	draft -$' "$T/out"
expect_exit 0 otk survey versions reception
expect_grep '^1	retired	' "$T/out"
expect_exit 0 otk survey import-offline reception "$FIX/survey-reception-2.csv"
expect_grep '2 added, 0 already there$' "$T/out"
# A draft discarded leaves the published version.
expect_exit 0 otk survey edit reception "$FIX/survey-custom-v2.json"
expect_grep 'version 2	draft 3$' "$T/out"
expect_exit 0 otk survey discard reception
expect_grep 'version 2	draft -$' "$T/out"
expect_exit 0 otk survey access reception invite
expect_grep '^reception	open	invite	' "$T/out"
expect_exit 0 otk survey access reception open
expect_exit 0 otk survey close reception
expect_grep '^reception	closed	open	' "$T/out"
expect_exit 0 otk survey open reception
expect_exit 0 otk survey list
expect_grep '^reception	-	external	open	open	2	-	5	Оценка работы приемной \(редакция 2\)$' "$T/out"

# Where it is offered.
expect_exit 0 otk survey attach reception --touchpoint 1
expect_exit 0 otk survey attach reception --service 'Прием заявлений'
expect_exit 0 otk survey attach reception --situation 'Рождение ребенка'
expect_exit 0 otk survey targets reception
[ "$(wc -l <"$T/out")" -eq 3 ] || fail "expected 3 targets"
expect_grep '^[0-9]+	touchpoint	1	' "$T/out"
expect_grep '^[0-9]+	service	-	Прием заявлений$' "$T/out"
sid=$(awk -F '\t' '$2 == "service" { print $1 }' "$T/out")
expect_exit 0 otk survey detach reception "$sid"
expect_exit 0 otk survey targets reception
[ "$(wc -l <"$T/out")" -eq 2 ] || fail "expected 2 targets after detach"
expect_no_grep 'service' "$T/out"
expect_exit 64 otk survey attach reception
expect_grep 'give one of --touchpoint, --service or --situation' "$T/err"
expect_exit 64 otk survey attach reception --touchpoint 1 --service x
expect_exit 64 otk survey detach reception x
expect_exit 66 otk survey attach reception --touchpoint 99
expect_grep 'touchpoint 99' "$T/err"

# Invitations: distinct single-use tokens, or links.
expect_exit 0 otk survey invite reception --count 3
[ "$(wc -l <"$T/out")" -eq 3 ] || fail "expected 3 tokens"
[ "$(sort -u "$T/out" | wc -l)" -eq 3 ] || fail "tokens repeat"
expect_grep '^[0-9A-HJKMNP-TV-Z]{26}$' "$T/out"
expect_no_grep '[^0-9A-HJKMNP-TV-Z]' "$T/out"
expect_exit 0 otk survey invite reception --count 2 --batch mail --url https://otklik.example/
[ "$(grep -Ec '^https://otklik\.example/moh/s/reception\?k=[0-9A-HJKMNP-TV-Z]{26}$' "$T/out")" -eq 2 ] ||
	fail "expected 2 links"
ok
expect_exit 0 otk survey invites reception
expect_grep '^2026-03-02	3	0	2026-03-02 10:00$' "$T/out"
expect_grep '^mail	2	0	' "$T/out"
expect_exit 64 otk survey invite reception
expect_grep 'count N is required' "$T/err"
expect_exit 64 otk survey invite reception --count 0
expect_exit 64 otk survey invite reception --count 3 --url 'ftp://x'

# Results of the five paper forms, by hand: wait 5 3 4 2 1 is n = 5,
# 2 of them 4–5 = 40.0 %, index (15 - 5) * 25 / 5 = 50.0; polite (only
# in version 2) 5: n = 1, 100 %.
expect_exit 0 otk survey results reception
expect_grep '^survey reception: 5 responses, 5 on paper$' "$T/out"
expect_grep '^wait +n = 5 +share 4–5 = +40\.0 % +index = +50\.0$' "$T/out"
expect_grep '^polite +n = 1 +share 4–5 = +100\.0 % +index = +100\.0$' "$T/out"
expect_grep '^all ratings +n = 6 +share 4–5 = +50\.0 % +index = +58\.3$' "$T/out"
expect_grep '^visit \(single\) +n = 5$' "$T/out"
expect_grep '^  repeat +3 +60\.0 %$' "$T/out"
expect_grep '^why \(multi\) +n = 3$' "$T/out"
expect_grep '^  error +2 +66\.7 %$' "$T/out"

# The export: a golden file; a respondent's formula is defused.
expect_exit 0 otk survey export reception -o "$T/export.csv"
expect_grep '5 responses' "$T/err"
golden survey-export.csv "$T/export.csv"
expect_grep "\"'=HYPERLINK" "$T/export.csv"
expect_exit 0 otk survey export reception
cmp -s "$T/out" "$T/export.csv" || fail "standard output differs from -o"
ok
expect_exit 0 otk survey export reception --from 2026-02-16 --touchpoint 1
[ "$(grep -c 'Б-' "$T/out")" -eq 1 ] || fail "the filter kept more than form Б-4"
expect_grep ',Б-4,' "$T/out"
expect_exit 0 otk survey export reception --online
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "an online-only export has rows"
ok
expect_exit 0 otk survey export reception --format xlsx -o "$T/export.xlsx"
mkdir "$T/x"
(cd "$T/x" && unzip -q ../export.xlsx)
golden survey-export.xlsx.d/xl/worksheets/sheet1.xml "$T/x/xl/worksheets/sheet1.xml"
# Every export is in the audit log, without answers.
expect_exit 0 otk audit list
[ "$(grep -c 'survey.export' "$T/out")" -ge 4 ] || fail "exports not audited"
ok
expect_no_grep 'HYPERLINK|Две строки' "$T/out"

# Export and import-offline agree: the export read back adds nothing;
# into another instrument with the same questions it gives the same
# figures.
expect_exit 0 otk survey import-offline reception "$T/export.csv"
expect_grep ': 0 added, 5 already there$' "$T/out"
expect_exit 0 otk survey import-offline reception "$T/export.xlsx" --dry-run
expect_grep ': 0 new, 5 already there$' "$T/out"
otk survey results reception | sed 1d >"$T/reception.results"
sed 's/"reception"/"desk"/' "$FIX/survey-custom-v2.json" >"$T/desk.json"
otk survey add "$T/desk.json" >/dev/null
otk survey publish desk >/dev/null
expect_exit 0 otk survey import-offline desk "$T/export.csv"
expect_grep ': 5 added, 0 already there$' "$T/out"
expect_exit 0 otk survey results desk
expect_grep '^survey desk: 5 responses, 5 on paper$' "$T/out"
sed 1d "$T/out" >"$T/desk.results"
expect_same "$T/reception.results" "$T/desk.results"
expect_exit 0 otk survey import-offline desk "$T/export.xlsx"
expect_grep ': 0 added, 5 already there$' "$T/out"
# Touchpoints are the organization's own: another's ids are refused.
otk org add gkk --name 'Госкомитет' --tz Europe/Moscow >/dev/null
otk --org gkk survey add "$FIX/survey-custom-v2.json" >/dev/null
otk --org gkk survey publish reception >/dev/null
expect_exit 65 otk --org gkk survey import-offline reception "$T/export.csv"
expect_grep 'row 2, column Точка взаимодействия: no touchpoint 1 in the registry' "$T/err"
export OTKLIK_ORG=moh

# QR codes of the link.
expect_exit 0 otk survey qr reception --url https://otklik.example --format svg
expect_grep '<svg' "$T/out"
expect_grep '<title>Оценка работы приемной \(редакция 2\)</title>' "$T/out"
expect_exit 0 otk survey qr reception --url https://otklik.example --touchpoint 1 --format png -o "$T/qr.png"
[ "$(head -c 4 "$T/qr.png" | od -An -c | tr -d ' \n')" = '211PNG' ] || fail "not a PNG"
ok
expect_exit 66 otk survey qr reception --url https://otklik.example --touchpoint 99 --format svg
expect_grep 'no such touchpoint' "$T/err"
expect_exit 64 otk survey qr reception --format svg
expect_grep 'url BASE is required' "$T/err"
expect_exit 64 otk survey qr reception --url https://otklik.example --format gif

# Bad input: each says what is wrong, with its exit code.
expect_exit 66 otk survey show nosuch
expect_grep "no survey 'nosuch'" "$T/err"
expect_exit 66 otk survey results nosuch
expect_exit 66 otk survey export nosuch
expect_exit 66 otk survey publish nosuch
expect_exit 64 otk survey list --bogus
expect_grep "unknown option '--bogus'" "$T/err"
expect_exit 64 otk survey show
expect_grep '^usage: otklik survey show' "$T/err"
expect_exit 64 otk survey export reception --format pdf
expect_grep 'csv or xlsx' "$T/err"
expect_exit 64 otk survey export reception --format xlsx
expect_grep 'needs --output' "$T/err"
expect_exit 73 otk survey export reception --format xlsx -o "$T/no/such/dir/x.xlsx"
expect_exit 64 otk survey access reception everyone
expect_exit 64 otk survey show reception --version x
sed 's/"reception"/"other"/' "$FIX/survey-custom-v2.json" >"$T/other.json"
expect_exit 65 otk survey edit reception "$T/other.json"
expect_grep 'code cannot change' "$T/err"
printf '{"code": "x", "questions": 5}' >"$T/broken.json"
expect_exit 65 otk survey add "$T/broken.json"
expect_grep 'broken.json: ' "$T/err"
expect_exit 66 otk survey add "$T/no-such.json"
done_testing

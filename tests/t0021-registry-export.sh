#!/bin/sh
# The official form of the seed registries, as HTML, CSV (plain and
# extended), text and XLSX, compared with golden files.  With
# OTKLIK_UPDATE_GOLDEN=1 the golden files are rewritten instead.
. "$SRCDIR/tests/lib.sh"
command -v unzip >/dev/null || fail "unzip needed"

otk init >/dev/null
otk org add gkk --name 'Государственный комитет Республики Башкортостан по конкурентной политике' --tz Asia/Yekaterinburg >/dev/null
otk org add moh --name 'Министерство здравоохранения Приморского края' --tz Asia/Vladivostok >/dev/null
OTKLIK_NOW=2024-05-16T10:00:00+05:00 otk --org gkk registry import --client internal "$FIX/registry-001.csv" >/dev/null
OTKLIK_NOW=2024-10-22T10:00:00+10:00 otk --org moh registry import --client internal "$FIX/registry-000.csv" >/dev/null

golden() {	# golden NAME FILE
	if [ "${OTKLIK_UPDATE_GOLDEN:-}" = 1 ]; then
		mkdir -p "$(dirname "$GOLDEN/$1")"
		cp "$2" "$GOLDEN/$1"
		ok
	else
		expect_same "$GOLDEN/$1" "$2"
	fi
}

for org in gkk moh; do
	n=$([ $org = gkk ] && echo 001 || echo 000)
	expect_exit 0 otk --org $org registry export --format html -o "$T/$n.html"
	golden "seed-$n.html" "$T/$n.html"
	expect_exit 0 otk --org $org registry export --format csv -o "$T/$n.csv"
	golden "seed-$n.csv" "$T/$n.csv"
	expect_exit 0 otk --org $org registry export --format csv --extended -o "$T/$n-ext.csv"
	golden "seed-$n-ext.csv" "$T/$n-ext.csv"
	expect_exit 0 otk --org $org registry export --format text -o "$T/$n.txt"
	golden "seed-$n.txt" "$T/$n.txt"
	expect_exit 0 otk --org $org registry export --format xlsx -o "$T/$n.xlsx"
	mkdir "$T/$n.d"
	(cd "$T/$n.d" && unzip -q "../$n.xlsx")
	for part in xl/worksheets/sheet1.xml xl/sharedStrings.xml xl/workbook.xml; do
		golden "seed-$n.xlsx.d/$part" "$T/$n.d/$part"
	done
done

# Standard output is the default; the HTML carries the exact titles.
expect_exit 0 otk --org gkk registry export --format html
expect_grep 'Осуществляемое взаимодействие с клиентом' "$T/out"
expect_grep 'rowspan=' "$T/out"
expect_exit 0 otk --org gkk registry export --format csv
cmp -s "$T/out" "$T/001.csv" || fail "standard output differs from -o"
ok
expect_exit 64 otk --org gkk registry export --format pdf
expect_exit 64 otk --org gkk registry export
expect_exit 73 otk --org gkk registry export --format csv -o "$T/no/such/dir/x.csv"
done_testing

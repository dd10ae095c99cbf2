#!/bin/sh
# Bad files get a clear error naming the row, column or limit, and leave
# the database exactly as it was.
. "$SRCDIR/tests/lib.sh"

otk init >/dev/null
otk org add moh --name 'Минздрав' >/dev/null
otk registry import --client internal "$FIX/registry-001.csv" >/dev/null
snapshot() {
	otk registry versions >"$T/v.$1"
	otk audit list --limit 1000000 >"$T/a.$1"
	otk registry list >"$T/l.$1"
}
snapshot before
unchanged() {
	snapshot after
	cmp -s "$T/v.before" "$T/v.after" && cmp -s "$T/a.before" "$T/a.after" &&
	    cmp -s "$T/l.before" "$T/l.after" || fail "the database changed"
	ok
}
H='Направление деятельности,Наименование конкретного процесса,Точка взаимодействия,Осуществляемое взаимодействие с клиентом,Особенности взаимодействия с клиентом'

# Wrong columns: no header of the official form.
printf 'name,type\nfoo,bar\n' >"$T/wrong.csv"
expect_exit 65 otk registry import "$T/wrong.csv"
expect_grep 'no header row with the titles of the official form' "$T/err"
unchanged

# An unknown column title.
printf '%s,Цвет\nA,P,Телефон,Консультация,,синий\n' "$H" >"$T/col.csv"
expect_exit 65 otk registry import --dry-run "$T/col.csv"
expect_grep 'row 1, column 6: «Цвет» is not a column of the official form' "$T/err"
unchanged

# Broken UTF-8 in row 3, column 3.
{ printf '%s\n' "$H"; printf 'A,P,Телефон,Консультация,\n'; printf ',,\377\376 почта,Информация,\n'; } >"$T/utf8.csv"
expect_exit 65 otk registry import "$T/utf8.csv"
expect_grep '(row|line) 3.*column 3' "$T/err"
expect_grep 'UTF-8|utf-8' "$T/err"
unchanged

# Rows it cannot read, all listed by the dry run, nothing written.
cat >"$T/rows.csv" <<CSV
$H
,P,Телефон,Консультация,
A,,Телефон,Консультация,
A,P,,Консультация,
A,P,Почта,Информация,,лишнее
CSV
expect_exit 65 otk registry import --dry-run "$T/rows.csv"
expect_grep 'row 2, column 1: no area' "$T/err"
expect_grep 'row 3, column 2: no process' "$T/err"
expect_grep 'row 4, column 3: no touchpoint' "$T/err"
expect_grep 'row 5, column 6: a value in a column without a title' "$T/err"
expect_grep '4 rows cannot be read; nothing was written' "$T/err"
unchanged

# Unknown channel types and need codes in the extended columns.
printf '%s,Тип канала,Потребности\nA,P,Факс,Консультация,,fax,consult\nA,P,Почта,Консультация,,email,teleport\n' "$H" >"$T/ext.csv"
expect_exit 65 otk registry import "$T/ext.csv"
expect_grep 'row 2, column 6: «fax» is not a channel type' "$T/err"
expect_grep "row 3, column 7: need 'teleport' is not in the taxonomy" "$T/err"
unchanged

# An unterminated quote.
printf '%s\nA,P,"Телефон,Консультация,\n' "$H" >"$T/quote.csv"
expect_exit 65 otk registry import "$T/quote.csv"
expect_grep '(row|line) 2' "$T/err"
unchanged

# A 50 MB file is over the limit.
head -c 52428800 /dev/zero | tr '\0' 'a' >"$T/big.csv"
expect_exit 65 otk registry import "$T/big.csv"
expect_grep 'larger than the limit of 16 MiB' "$T/err"
unchanged

# A ZIP bomb dressed as a workbook, and a file that is no workbook.
expect_exit 65 otk registry import "$FIX/bomb.xlsx"
expect_grep 'unpack|Unpack|uncompress|bomb|limit' "$T/err"
unchanged
printf 'PK\003\004garbage' >"$T/broken.xlsx"
expect_exit 65 otk registry import "$T/broken.xlsx"
unchanged
: >"$T/empty.csv"
expect_exit 65 otk registry import "$T/empty.csv"
unchanged
expect_exit 66 otk registry import "$T/does-not-exist.csv"
unchanged
expect_exit 0 otk audit verify
done_testing

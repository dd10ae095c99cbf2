#!/bin/sh
# The workflow of R-REG-4: a unit editor drafts, the registry officer
# verifies and includes or returns with a comment; every inclusion records
# its actualization trigger (new, kind, needs, exclusion).
. "$SRCDIR/tests/lib.sh"

otk init >/dev/null
otk org add gkk --name 'Госкомитет' --tz Asia/Yekaterinburg >/dev/null
otk user add editor1 --name 'Редактор' --role editor --unit 'Отдел кадров' >/dev/null
otk user add officer1 --name 'Уполномоченное лицо' --role officer >/dev/null
otk registry import --client internal "$FIX/registry-001.csv" >/dev/null

E="otk --user editor1"
O="otk --user officer1"

# An addition.
expect_exit 0 $E registry draft add --area 'Взаимодействие с внутренним клиентом' \
    --process 'Организация рабочего пространства' --name 'Платформа обратной связи' \
    --interaction 'Предоставление обратной связи. Получение результата рассмотрения обратной связи' \
    --client internal --unit 'Отдел кадров'
add=$(cat "$T/out")
expect_exit 0 $O registry changes --state draft
expect_grep "^$add	add	draft	[0-9]+	editor1	-	Платформа обратной связи" "$T/out"
# Only a submitted change can be included.
expect_exit 65 $O registry include "$add"
expect_grep "change $add is draft" "$T/err"
expect_exit 0 $E registry submit "$add"
expect_exit 0 $O registry verify "$add"
expect_grep '^0 errors' "$T/out"

# A change of needs, returned once with a comment, then fixed.
tp=$(otk registry list | awk -F'\t' '$7 == "Система электронного делопроизводства (СЭДО)" {print $1; exit}')
[ -n "$tp" ] || fail "no EDMS touchpoint"
expect_exit 0 $E registry draft change "$tp" --needs 'info result submit:documents' \
    --interaction 'Получение клиентом заданий и поручений. Информирование клиента. Направление служебных записок'
chg=$(cat "$T/out")
expect_exit 0 $E registry submit "$chg"
expect_exit 64 $O registry return "$chg"
expect_grep 'say why' "$T/err"
expect_exit 0 $O registry return "$chg" --comment 'Укажите реквизиты основания'
expect_exit 0 otk registry changes --state returned
expect_grep "^$chg	change	returned	$tp	editor1	-	.*	Укажите реквизиты основания$" "$T/out"
expect_exit 0 $E registry submit "$chg"

# A change of kind: the e-mail becomes the feedback platform.
tp2=$(otk registry list | awk -F'\t' '$7 ~ /^Электронная почта/ {print $1; exit}')
expect_exit 0 $E registry draft change "$tp2" --channel pos
kind=$(cat "$T/out")
$E registry submit "$kind" >/dev/null

# An exclusion.
tp3=$(otk registry list | awk -F'\t' '$7 == "Телефон +7 (347) 218-5-87" {print $1; exit}')
expect_exit 0 $E registry draft exclude "$tp3"
exc=$(cat "$T/out")
$E registry submit "$exc" >/dev/null

expect_exit 0 $O registry include "$add" "$chg" "$kind" "$exc"
expect_grep 'included as version 2' "$T/out"
expect_exit 0 otk registry changes --state included
expect_grep "^$add	add	included	.*	new	Платформа обратной связи" "$T/out"
expect_grep "^$chg	change	included	$tp	editor1	needs	" "$T/out"
expect_grep "^$kind	change	included	$tp2	editor1	kind	" "$T/out"
expect_grep "^$exc	exclude	included	$tp3	editor1	exclusion	" "$T/out"
otk registry list >"$T/list"
expect_grep "^$tp	edms	.*	info result submit:documents$" "$T/list"
expect_grep "^$tp2	pos	digital	" "$T/list"
expect_no_grep "^$tp3	" "$T/list"
expect_grep '	pos	digital	-	.*Организация рабочего пространства	Платформа обратной связи	result feedback feedback:result$' "$T/list"

# The audit log names who did what.
expect_exit 0 otk audit list --action registry.
expect_grep '	editor1	registry.draft.add	touchpoint:' "$T/out"
expect_grep '	officer1	registry.returned	change:' "$T/out"
expect_grep '	officer1	registry.include	touchpoint:' "$T/out"
expect_exit 0 otk audit verify

# A draft taken back stays, as withdrawn; it cannot be submitted then.
expect_exit 0 $E registry draft add --area A --process P --name 'Стенд' --needs info
wd=$(cat "$T/out")
expect_exit 0 $E registry withdraw "$wd"
expect_exit 0 otk registry changes --state withdrawn
expect_grep "^$wd	add	withdrawn	" "$T/out"
expect_exit 65 $E registry submit "$wd"

# Bad drafts.
expect_exit 64 $E registry draft add --area A --process P --name X --channel fax
expect_grep '--channel fax: not a channel type' "$T/err"
expect_exit 65 $E registry draft add --area A --process P --name X --needs 'info teleport'
expect_grep "need 'teleport' is not in the taxonomy" "$T/err"
expect_exit 66 $E registry draft change 99999 --name X
expect_exit 64 $E registry draft change
expect_exit 66 $O registry submit 99999
done_testing

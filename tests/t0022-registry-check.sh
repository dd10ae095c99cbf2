#!/bin/sh
# The checks of R-REG-3: each finding names the entry, the rule and the
# paragraph; errors give exit status 1 and block inclusion.
. "$SRCDIR/tests/lib.sh"

otk init >/dev/null
otk org add moh --name 'Минздрав' >/dev/null
expect_exit 66 otk registry check
expect_grep 'registry of moh is empty' "$T/err"

cat >"$T/good.csv" <<'CSV'
Направление деятельности,Наименование конкретного процесса,Точка взаимодействия,Осуществляемое взаимодействие с клиентом,Особенности взаимодействия с клиентом
Кадры,Прием на службу,Электронная почта hr@example.ru,"Получение информации, получение консультации",
,,Личный прием в отделе кадров,Представление документов. Получение результата,
,Аттестация,Официальный сайт,Получение информации,
,,Телефон 8 (423) 000-00-00,Получение консультации,
CSV
expect_exit 0 otk registry import "$T/good.csv"
expect_exit 0 otk registry check
expect_grep '^0 errors, 0 warnings, 0 hints$' "$T/out"

# Each rule broken once.
cat >"$T/bad.csv" <<'CSV'
Направление деятельности,Наименование конкретного процесса,Точка взаимодействия,Осуществляемое взаимодействие с клиентом,Особенности взаимодействия с клиентом
Кадры,Прием на службу,Электронная почта hr@example.ru,"Получение информации, получение консультации",
,,Личный прием в отделе кадров,Представление документов,
,,ЭЛЕКТРОННАЯ  почта hr@example.ru,Получение консультации,
Закупки,Заявки,Информационный стенд,Представление заявления,
,,Рабочее место,,
CSV
expect_exit 65 otk registry import "$T/bad.csv"
expect_grep '^error: entry 3 «ЭЛЕКТРОННАЯ почта hr@example.ru» \(Кадры / Прием на службу\): repeats entry 1 of the same process.*\[no-duplicates, 000 §12, 001 §2.8\]' "$T/out"
expect_grep '^error: area «Закупки»: has no key touchpoint.*\[key-touchpoint, 000 §7, 001 §2.3\]' "$T/out"
expect_grep '^warning: process «Заявки» \(Закупки\): has only offline touchpoints.*\[digital-preferred, 000 §13\]' "$T/out"
expect_grep '^hint: process «Заявки» \(Закупки\): its touchpoints serve only the final goal.*\[not-only-final-goal, 000 §11, 001 §2.7\]' "$T/out"
expect_grep 'the imported registry fails 2 checks; nothing was written' "$T/err"

# A draft without needs is refused at inclusion [000 §10].
expect_exit 0 otk registry draft add --area Кадры --process 'Прием на службу' --name 'Кабинет 12' --channel workplace
id=$(cat "$T/out")
otk registry submit "$id" >/dev/null
expect_exit 1 otk registry verify "$id"
expect_grep '^error: touchpoint [0-9]+ «Кабинет 12» .*no needs are declared.*\[needs-declared, 000 §10, 001 §2.6\]' "$T/out"
expect_exit 65 otk registry include "$id"
expect_grep 'nothing was included' "$T/err"
expect_exit 0 otk registry versions
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "a refused inclusion made a version"
ok
done_testing

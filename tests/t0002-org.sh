#!/bin/sh
# Organizations, units and staff accounts, and choosing the organization.
. "$SRCDIR/tests/lib.sh"

otk init >/dev/null
expect_exit 0 otk org add moh --name 'Министерство здравоохранения Приморского края' --tz Asia/Vladivostok --region RU-PRI
expect_exit 0 otk org list
expect_grep '^moh	ru-pri	Asia/Vladivostok	Министерство здравоохранения' "$T/out"

# Bad slugs, zones, regions, duplicates, missing names.
expect_exit 64 otk org add 'Bad Slug' --name X
expect_grep "slug 'Bad Slug'" "$T/err"
expect_exit 64 otk org add x1 --name X --tz Mars/Olympus
expect_grep 'tz database' "$T/err"
expect_exit 64 otk org add x1 --name X --tz ../../etc/passwd
expect_exit 64 otk org add x1 --name X --region 'R!'
expect_exit 64 otk org add x1
expect_grep 'name NAME is required' "$T/err"
expect_exit 65 otk org add moh --name Again
expect_grep "exists already" "$T/err"

# With one organization --org may be left out; with two it may not.
expect_exit 0 otk unit add 'Отдел кадров'
expect_exit 0 otk org add gkk --name 'Госкомитет РБ по конкурентной политике' --region RU-BA --tz Asia/Yekaterinburg
expect_exit 64 otk unit add 'Отдел закупок'
expect_grep 'say which with --org' "$T/err"
expect_exit 0 otk --org gkk unit add 'Отдел закупок'
expect_exit 66 otk --org nope unit add X
expect_grep "no organization 'nope'" "$T/err"

# Staff accounts name the actor of the audit log.
expect_exit 0 otk --org moh user add ivanova --name 'Иванова И. И.' --role officer
expect_exit 64 otk --org moh user add petrov --name 'Петров' --role king
expect_exit 66 otk --user nobody --org moh unit add Y
expect_grep 'no such staff account' "$T/err"
expect_exit 0 otk --user ivanova --org moh unit add 'Управление кадровой политики'
expect_exit 0 otk audit list --action unit.
expect_grep '	ivanova	unit.add	' "$T/out"
done_testing

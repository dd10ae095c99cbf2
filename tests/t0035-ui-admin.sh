#!/bin/sh
# Administration pages in the browser: organizations, units, people and
# roles, passwords, and the audit log with its filters; bad input comes
# back next to its field with nothing stored; roles are enforced; what
# people type comes back escaped.
. "$SRCDIR/tests/lib.sh"

# 05:00 in Vladivostok is still the day before in UTC: dates and times on
# the audit page must be the organization's.
export OTKLIK_NOW=2024-10-22T05:00:00+10:00

otk init >/dev/null
otk org add moh --name 'Министерство здравоохранения' --tz Asia/Vladivostok >/dev/null
printf 'password123\n' | otk --org moh user add root --name 'Главный администратор' --role admin >/dev/null
printf 'password456\n' | otk --org moh user add clerk --name 'Сидоров С. С.' --role analyst >/dev/null
printf 'password789\n' | otk --org moh user add checker --name 'Петрова П. П.' --role officer >/dev/null
serve_start --quiet

# get PATH [JAR]; post PATH [curl args]: the page in $T/page, the status
# in $T/code, the headers in $T/hdr.
get() {
	curl -s -b "${2:-$T/jar}" -c "${2:-$T/jar}" -D "$T/hdr" -o "$T/page" \
	    -w '%{http_code}' "$URL$1" >"$T/code"
}
post() {
	p=$1
	shift
	curl -s -b "$T/jar" -c "$T/jar" -D "$T/hdr" -o "$T/page" \
	    -w '%{http_code}' --data-urlencode "csrf=$TOKEN" "$@" "$URL$p" \
	    >"$T/code"
}
expect_code() {
	grep -q "^$1\$" "$T/code" || { cat "$T/page" >&2; fail "HTTP $(cat "$T/code"), expected $1"; }
	ok
}
expect_location() {
	grep -qi "^location: $1" "$T/hdr" || { cat "$T/hdr" >&2; fail "no redirect to $1"; }
	ok
}
# login_as LOGIN PASSWORD JAR: a sign-in kept in its own cookie jar.
login_as() {
	curl -s -o /dev/null -w '%{http_code}' -c "$3" -b "$3" \
	    --data-urlencode "login=$1" --data-urlencode "password=$2" \
	    "$URL/login" >"$T/code"
	expect_code 303
}

login root password123
TOKEN=$(csrf /admin/orgs)
[ -n "$TOKEN" ] || fail "no CSRF token on /admin/orgs"

# --- Organizations -------------------------------------------------------
get /admin/orgs
expect_code 200
expect_grep '<html lang="ru">' "$T/page"
expect_grep 'Министерство здравоохранения' "$T/page"
expect_grep '<th scope="col">' "$T/page"
expect_grep '<label for="org-slug" class="required">' "$T/page"

post /admin/orgs --data-urlencode slug=gkk \
    --data-urlencode 'name=Госкомитет РБ по конкурентной политике' \
    --data-urlencode 'short_name=Госкомитет РБ' --data-urlencode region=RU-BA \
    --data-urlencode tz=Asia/Yekaterinburg \
    --data-urlencode site_url=https://zakupki.bashkortostan.ru
expect_code 303
expect_location '/admin/orgs?done=org'
get '/admin/orgs?done=org'
expect_grep 'role="status">Организация добавлена' "$T/page"
expect_grep '<th scope="row">gkk</th>' "$T/page"
expect_exit 0 otk org list
expect_grep '^gkk	ru-ba	Asia/Yekaterinburg	' "$T/out"
# The one who adds an organization administers it.
get /gkk/admin/people
expect_code 200
expect_grep '<th scope="row">root</th>' "$T/page"

# Bad input: every message next to its field, nothing stored.
post /admin/orgs --data-urlencode 'slug=Bad Slug' --data-urlencode name= \
    --data-urlencode 'region=R!' --data-urlencode tz=Mars/Olympus \
    --data-urlencode 'site_url=javascript:alert(1)'
expect_code 422
expect_grep '<title>Ошибка: Организации' "$T/page"
for f in slug name region tz site_url; do
	expect_grep "id=\"org-$f-error\"" "$T/page"
	expect_grep "id=\"org-$f\"[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"[^\"]*org-$f-error\"" "$T/page"
done
expect_grep 'href="#org-tz"' "$T/page"
expect_grep 'value="Bad Slug"' "$T/page"
post /admin/orgs --data-urlencode slug=moh --data-urlencode name=Again \
    --data-urlencode tz=Europe/Moscow
expect_code 422
expect_grep 'уже есть' "$T/page"
post /admin/orgs --data-urlencode slug=admin --data-urlencode name=X \
    --data-urlencode tz=Europe/Moscow
expect_code 422
expect_grep 'занято адресами' "$T/page"
expect_exit 0 otk org list
[ "$(wc -l <"$T/out")" -eq 2 ] || { cat "$T/out" >&2; fail "a refused organization was stored"; }
ok

# No CSRF token: refused.
curl -s -o /dev/null -w '%{http_code}' -b "$T/jar" --data-urlencode slug=nocsrf \
    --data-urlencode name=X --data-urlencode tz=Europe/Moscow "$URL/admin/orgs" >"$T/code"
expect_code 403

# XSS in an organization's name comes back escaped.
post /admin/orgs --data-urlencode slug=xss \
    --data-urlencode 'name=<script>alert(1)</script>' \
    --data-urlencode 'short_name="><img src=x onerror=alert(2)>' \
    --data-urlencode tz=Europe/Moscow
expect_code 303
get /admin/orgs
expect_grep '&lt;script&gt;alert\(1\)&lt;/script&gt;' "$T/page"
expect_no_grep '<script>alert' "$T/page"
expect_no_grep '<img src=x' "$T/page"

# --- Units --------------------------------------------------------------
post /moh/admin/units --data-urlencode 'name=Отдел кадровой и организационной работы'
expect_code 303
expect_location '/moh/admin/units?done=unit'
get /moh/admin/units
expect_grep '<th scope="row">Отдел кадровой и организационной работы</th>' "$T/page"
expect_grep 'aria-current="page"' "$T/page"
post /moh/admin/units --data-urlencode 'name=  '
expect_code 422
expect_grep 'id="unit-name-error"' "$T/page"
post /moh/admin/units --data-urlencode 'name=Отдел кадровой и организационной работы'
expect_code 422
expect_grep 'Такое подразделение уже есть' "$T/page"
post /moh/admin/units --data-urlencode 'name=<b>Отдел</b> & "Ко"'
expect_code 303
get /moh/admin/units
expect_grep '&lt;b&gt;Отдел&lt;/b&gt; &amp; &quot;Ко&quot;' "$T/page"
get /moh/admin/people
UNIT=$(sed -n 's/.*<option value="\([0-9]*\)">Отдел кадровой и организационной работы<.*/\1/p' "$T/page" | head -n 1)
[ -n "$UNIT" ] || fail "no unit among the options of the people page"

# --- People and roles ---------------------------------------------------
post /moh/admin/people --data-urlencode op=add --data-urlencode login=ivanova \
    --data-urlencode 'name=Иванова И. И.' --data-urlencode role=editor \
    --data-urlencode "unit=$UNIT" --data-urlencode password=initial-pass-1 \
    --data-urlencode password2=initial-pass-1
expect_code 303
expect_location '/moh/admin/people?done=person'
get /moh/admin/people
expect_grep '<th scope="row">ivanova</th>' "$T/page"
expect_grep 'редактор подразделения \(Отдел кадровой и организационной работы\)' "$T/page"
login_as ivanova initial-pass-1 "$T/jar.ivanova"

# Mistakes in the new person's form: each next to its field, nothing stored.
post /moh/admin/people --data-urlencode op=add --data-urlencode 'login=Bad Login' \
    --data-urlencode name= --data-urlencode role=king \
    --data-urlencode password=short --data-urlencode password2=short
expect_code 422
for f in login name role password; do
	expect_grep "id=\"add-$f-error\"" "$T/page"
done
expect_no_grep 'value="short"' "$T/page"
post /moh/admin/people --data-urlencode op=add --data-urlencode login=petrov \
    --data-urlencode 'name=Петров П. П.' --data-urlencode role=editor \
    --data-urlencode password=long-enough-1 --data-urlencode password2=long-enough-2
expect_code 422
expect_grep 'id="add-unit-error"' "$T/page"
expect_grep 'id="add-password2-error"' "$T/page"
expect_grep 'value="petrov"' "$T/page"
post /moh/admin/people --data-urlencode op=add --data-urlencode login=ivanova \
    --data-urlencode 'name=Другая' --data-urlencode role=analyst \
    --data-urlencode password=long-enough-1 --data-urlencode password2=long-enough-1
expect_code 422
expect_grep 'Этот логин уже занят' "$T/page"
expect_exit 0 otk user list
expect_no_grep '^petrov' "$T/out"

# A role for an account of another organization, found by login.
otk org add edu --name 'Министерство образования' >/dev/null
printf 'password000\n' | otk --org edu user add guest --name 'Гостев Г. Г.' --role analyst >/dev/null
post /moh/admin/people --data-urlencode op=grant --data-urlencode login=guest \
    --data-urlencode role=group
expect_code 303
expect_location '/moh/admin/people?done=grant'
post /moh/admin/people --data-urlencode op=grant --data-urlencode login=guest \
    --data-urlencode role=group
expect_code 422
expect_grep 'id="grant-role-error"' "$T/page"
post /moh/admin/people --data-urlencode op=grant --data-urlencode login=nobody \
    --data-urlencode role=group
expect_code 422
expect_grep 'id="grant-login-error"' "$T/page"

# XSS in a person's name.
post /moh/admin/people --data-urlencode op=add --data-urlencode login=xss \
    --data-urlencode 'name=<img src=x onerror=alert(3)>' --data-urlencode role=analyst \
    --data-urlencode password=long-enough-1 --data-urlencode password2=long-enough-1
expect_code 303
get /moh/admin/people
expect_grep '&lt;img src=x onerror=alert\(3\)&gt;' "$T/page"
expect_no_grep '<img src=x' "$T/page"

# Grant and revoke on a person's row.
IVANOVA=$(sed -n 's/.*<tr id="p\([0-9]*\)"><th scope="row">ivanova<.*/\1/p' "$T/page")
CLERK=$(sed -n 's/.*<tr id="p\([0-9]*\)"><th scope="row">clerk<.*/\1/p' "$T/page")
ROOT=$(sed -n 's/.*<tr id="p\([0-9]*\)"><th scope="row">root<.*/\1/p' "$T/page")
GUEST=$(sed -n 's/.*<tr id="p\([0-9]*\)"><th scope="row">guest<.*/\1/p' "$T/page")
[ -n "$IVANOVA" ] && [ -n "$CLERK" ] && [ -n "$ROOT" ] && [ -n "$GUEST" ] ||
    fail "no row ids on the people page"
post "/moh/admin/people/$IVANOVA/roles" --data-urlencode op=grant --data-urlencode role=officer
expect_code 303
post "/moh/admin/people/$IVANOVA/roles" --data-urlencode op=grant --data-urlencode role=editor
expect_code 422
expect_grep "id=\"p$IVANOVA-roles-unit-error\"" "$T/page"
expect_grep "role=\"alert\">.*href=\"#p$IVANOVA-roles-unit\"" "$T/page"
expect_grep '<details open="">' "$T/page"
post "/moh/admin/people/$IVANOVA/roles" --data-urlencode op=revoke --data-urlencode role=editor
expect_code 303
expect_location '/moh/admin/people?done=revoke'
get '/moh/admin/people?done=revoke'
expect_grep 'role="status">Роль снята' "$T/page"
expect_no_grep 'редактор подразделения \(Отдел кадровой' "$T/page"
post "/moh/admin/people/$IVANOVA/roles" --data-urlencode op=revoke --data-urlencode role=editor
expect_code 422
expect_grep 'нет этой роли' "$T/page"
# The only admin keeps the role.
post "/moh/admin/people/$ROOT/roles" --data-urlencode op=revoke --data-urlencode role=admin
expect_code 422
expect_grep 'единственного администратора' "$T/page"
expect_grep "href=\"#p$ROOT-roles-op\"" "$T/page"
expect_grep "id=\"p$ROOT-roles-op\"" "$T/page"
# Someone without a role here is not on the page.
post "/moh/admin/people/999999/roles" --data-urlencode op=grant --data-urlencode role=officer
expect_code 404

# Passwords: typed twice; then the person signs in with the new one.
post "/moh/admin/people/$CLERK/password" --data-urlencode password=new-password-1 \
    --data-urlencode password2=new-password-X
expect_code 422
expect_grep "id=\"p$CLERK-pw-password2-error\"" "$T/page"
post "/moh/admin/people/$CLERK/password" --data-urlencode password=new-password-1 \
    --data-urlencode password2=new-password-1
expect_code 303
expect_location '/moh/admin/people?done=password'
login_as clerk new-password-1 "$T/jar.clerk"
# An account with rights in an organization root does not administer.
get /moh/admin/people
expect_no_grep "id=\"p$GUEST-pw-password\"" "$T/page"
expect_grep "id=\"p$CLERK-pw-password\"" "$T/page"
post "/moh/admin/people/$GUEST/password" --data-urlencode password=new-password-1 \
    --data-urlencode password2=new-password-1
expect_code 403

# --- Who may ------------------------------------------------------------
for p in /admin/orgs /moh/admin/people /moh/admin/units /moh/audit; do
	get "$p" "$T/jar.clerk"
	expect_code 403
done
CLERK_TOKEN=$(curl -s -b "$T/jar.clerk" "$URL/" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
[ -n "$CLERK_TOKEN" ] || fail "no CSRF token for clerk"
curl -s -o /dev/null -w '%{http_code}' -b "$T/jar.clerk" --data-urlencode "csrf=$CLERK_TOKEN" \
    --data-urlencode op=add --data-urlencode login=sneaky --data-urlencode name=S \
    --data-urlencode role=admin --data-urlencode password=long-enough-1 \
    --data-urlencode password2=long-enough-1 "$URL/moh/admin/people" >"$T/code"
expect_code 403
curl -s -o /dev/null -w '%{http_code}' -b "$T/jar.clerk" --data-urlencode "csrf=$CLERK_TOKEN" \
    --data-urlencode slug=sneaky --data-urlencode name=S --data-urlencode tz=Europe/Moscow \
    "$URL/admin/orgs" >"$T/code"
expect_code 403
expect_exit 0 otk user list
expect_no_grep '^sneaky' "$T/out"
# An admin of one organization is not one of another.
get /gkk/admin/people "$T/jar.ivanova"
expect_code 403
# A registry officer reads the log but does not administer.
login_as checker password789 "$T/jar.checker"
get /moh/audit "$T/jar.checker"
expect_code 200
get /moh/admin/people "$T/jar.checker"
expect_code 403

# --- The audit log ------------------------------------------------------
get /moh/audit
expect_code 200
expect_grep 'role="status">Цепочка журнала цела' "$T/page"
expect_grep '<time datetime="2024-10-21T19:00:00Z">22.10.2024 05:00</time>' "$T/page"
expect_grep 'staff.revoke' "$T/page"
expect_grep '<details><summary>Показать</summary>' "$T/page"
expect_grep '&quot;role&quot;: &quot;editor&quot;' "$T/page"

get '/moh/audit?action=staff.revoke'
expect_code 200
expect_grep 'Найдено записей: 1<' "$T/page"
expect_grep '<code>staff.revoke</code>' "$T/page"
expect_no_grep '<code>staff.grant</code>' "$T/page"
get '/moh/audit?action=staff.'
expect_grep '<code>staff.grant</code>' "$T/page"
expect_no_grep '<code>unit.add</code>' "$T/page"
get '/moh/audit?actor=root&action=unit.'
expect_grep 'Найдено записей: 2<' "$T/page"
get '/moh/audit?actor=nobody'
expect_grep 'Найдено записей: 0<' "$T/page"
# A LIKE wildcard is a character, not a pattern.
get '/moh/audit?action=%25'
expect_grep 'Найдено записей: 0<' "$T/page"
# Days are the organization's: 22.10 in Vladivostok, 21.10 in UTC.
get '/moh/audit?since=2024-10-22&until=2024-10-22&action=unit.'
expect_grep 'Найдено записей: 2<' "$T/page"
get '/moh/audit?since=22.10.2024&action=unit.'
expect_grep 'Найдено записей: 2<' "$T/page"
get '/moh/audit?until=2024-10-21'
expect_grep 'Найдено записей: 0<' "$T/page"
get '/moh/audit?since=2024-10-23'
expect_grep 'Найдено записей: 0<' "$T/page"
get '/moh/audit?since=2024-13-01&until=2024-10-01'
expect_code 400
expect_grep 'id="audit-since-error"' "$T/page"
get '/moh/audit?since=2024-10-22&until=2024-10-01'
expect_code 400
expect_grep 'id="audit-until-error"' "$T/page"
# Another organization's entries stay there.
get '/gkk/audit?action=unit.'
expect_grep 'Найдено записей: 0<' "$T/page"

# Pages of 50, newest first, the filter kept in the links.
i=0
while [ $i -lt 55 ]; do
	otk --user root --org moh unit add "Отдел $i" >/dev/null
	i=$((i + 1))
done
get '/moh/audit?action=unit.'
expect_grep 'Найдено записей: 57, страница 1 / 2<' "$T/page"
[ "$(grep -o '<th scope="row">' "$T/page" | wc -l)" -eq 50 ] || fail "page 1 does not hold 50 entries"
ok
expect_grep 'href="/moh/audit\?page=2&amp;action=unit.".*rel="next"' "$T/page"
get '/moh/audit?page=2&action=unit.'
[ "$(grep -o '<th scope="row">' "$T/page" | wc -l)" -eq 7 ] || fail "page 2 does not hold 7 entries"
ok
expect_grep 'rel="prev"' "$T/page"

# --- English ------------------------------------------------------------
get '/lang?to=en&back=/moh/admin/people'
expect_code 303
get /moh/admin/people
expect_grep '<html lang="en">' "$T/page"
expect_grep 'People and roles' "$T/page"
get /moh/audit
expect_grep 'chain is intact' "$T/page"

serve_stop
done_testing

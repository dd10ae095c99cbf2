#!/bin/sh
# Staff accounts (R-ORG-4): passwords from standard input, roles granted
# and revoked, the list; then on the web: signing in sets the session
# cookie with the right attributes, a wrong password and the throttles,
# CSRF on signing out, signing out here and everywhere.
. "$SRCDIR/tests/lib.sh"
command -v curl >/dev/null || fail "curl needed"

PW1='верный-пароль-1'
PW2='новый пароль 2'
otk init >/dev/null
otk org add moh --name 'Минздрав' --tz Asia/Vladivostok >/dev/null
otk org add gkk --name 'Госкомитет' --tz Asia/Yekaterinburg >/dev/null
otk --org moh unit add 'Отдел кадров' >/dev/null

# user add: the first line of standard input is the password.
printf '%s\n' "$PW1" >"$T/pw"
expect_exit 0 otk --org moh user add ivanova --name 'Иванова И. И.' --role officer <"$T/pw"
expect_exit 0 otk user add petrov --name 'Петров П. П.' </dev/null
printf 'short\n' >"$T/short"
expect_exit 65 otk user add sidorov --name 'Сидоров' <"$T/short"
expect_grep 'has 5 characters; use at least 10' "$T/err"
expect_exit 65 otk user add ivanova --name 'Again' <"$T/pw"
expect_grep "account 'ivanova' exists already" "$T/err"
expect_exit 0 otk user list
expect_grep '^ivanova	Иванова И\. И\.	password	moh:officer$' "$T/out"
expect_grep '^petrov	Петров П\. П\.	no password	-$' "$T/out"
expect_no_grep '^sidorov' "$T/out"
expect_exit 0 otk user add --help
expect_grep 'standard input' "$T/out"

# user passwd: from standard input, refusing what cannot be a password.
printf '%s\n' "$PW2" >"$T/pw2"
expect_exit 0 otk user passwd petrov <"$T/pw2"
expect_grep '^petrov: password set' "$T/out"
expect_exit 65 otk user passwd petrov <"$T/short"
expect_grep 'has 5 characters; use at least 10' "$T/err"
expect_no_grep 'short' "$T/err"
printf '\nmore\n' >"$T/empty"
expect_exit 65 otk user passwd petrov <"$T/empty"
expect_grep 'first line of standard input is empty' "$T/err"
expect_exit 65 otk user passwd petrov </dev/null
expect_grep 'no password on standard input' "$T/err"
expect_exit 66 otk user passwd nobody <"$T/pw"
expect_grep "no staff account 'nobody'" "$T/err"
expect_exit 64 otk user passwd
expect_exit 0 otk user passwd --help
expect_grep 'standard input' "$T/out"
expect_exit 0 otk user list
expect_grep '^petrov	Петров П\. П\.	password	-$' "$T/out"

# user role: grant, refuse twice, revoke; roles per organization.
expect_exit 0 otk --org moh user role petrov --role editor --unit 'Отдел кадров'
expect_grep '^petrov: editor in moh granted$' "$T/out"
expect_exit 65 otk --org moh user role petrov --role editor
expect_grep 'holds the role .editor. in moh already' "$T/err"
expect_exit 66 otk --org moh user role petrov --role analyst --unit 'Нет такого'
expect_grep "moh has no unit 'Нет такого'" "$T/err"
expect_exit 64 otk --org moh user role petrov --role king
expect_exit 64 otk --org moh user role petrov
expect_grep 'role ROLE is required' "$T/err"
expect_exit 66 otk --org moh user role nobody --role analyst
expect_exit 0 otk --org gkk user role petrov --role analyst
expect_exit 0 otk user list
expect_grep '^petrov	.*	gkk:analyst, moh:editor \(Отдел кадров\)$' "$T/out"
expect_exit 0 otk --org gkk user list
expect_grep '^petrov	.*	gkk:analyst$' "$T/out"
expect_no_grep '^ivanova' "$T/out"
expect_exit 0 otk --org moh user role petrov --role editor --revoke
expect_grep '^petrov: editor in moh revoked$' "$T/out"
expect_exit 66 otk --org moh user role petrov --role editor --revoke
expect_grep 'does not hold the role' "$T/err"
expect_exit 0 otk --org moh user list
expect_no_grep '^petrov' "$T/out"

# The audit log has the changes, and no password anywhere in the files.
expect_exit 0 otk audit list --action staff.
expect_grep '	staff\.passwd	' "$T/out"
expect_grep '	staff\.revoke	' "$T/out"
for f in "$OTKLIK_DB" "$OTKLIK_DB-wal"; do
	[ -f "$f" ] || continue
	if grep -aq -e "$PW1" -e "$PW2" "$f"; then fail "a password is in $f"; fi
	ok
done
expect_exit 0 otk audit verify

# On the web.
serve_start --quiet
hdr() { tr -d '\r' <"$T/h"; }
post() {	# post JAR PATH [curl options]: status in $T/code, headers $T/h
	jar=$1
	path=$2
	shift 2
	curl -s -o "$T/body" -D "$T/h" -w '%{http_code}' -c "$jar" -b "$jar" \
	    "$@" "$URL$path" >"$T/code"
}
expect_code() { [ "$(cat "$T/code")" = "$1" ] || { cat "$T/body" >&2; fail "HTTP $(cat "$T/code"), expected $1"; }; ok; }
tok_of() {	# tok_of JAR: the CSRF token of the session in JAR
	curl -s -b "$1" "$URL/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1
}

curl -s "$URL/login" >"$T/body"
expect_grep 'Вход для сотрудников' "$T/body"
expect_grep '<label for="login">Логин</label>' "$T/body"
expect_grep '<label for="password">Пароль</label>' "$T/body"
expect_grep '<input type="password" id="password" name="password" autocomplete="current-password"' "$T/body"
expect_grep '>Войти</button>' "$T/body"
curl -s -b 'lang=en' "$URL/login" >"$T/body"
expect_grep '<h1>Staff sign-in</h1>' "$T/body"
expect_grep '>Sign in</button>' "$T/body"

# Signing in: a fresh 256-bit cookie, HttpOnly, SameSite=Lax, Path=/.
post "$T/j1" /login --data-urlencode "login=ivanova" --data-urlencode "password=$PW1"
expect_code 303
hdr >"$T/hh"
expect_grep '^Location: /$' "$T/hh"
expect_grep '^Set-Cookie: otklik=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Lax$' "$T/hh"
expect_no_grep 'Secure' "$T/hh"
c1=$(sed -n 's/^Set-Cookie: otklik=\([0-9a-f]*\);.*/\1/p' "$T/hh")
curl -s -b "$T/j1" "$URL/login" >"$T/body"
expect_grep 'Вы уже вошли: Иванова И\. И\.' "$T/body"
expect_grep 'name="csrf" value="[0-9a-f]{64}"' "$T/body"
# A new session id at every sign-in, and "next" only to this site.
post "$T/j1" /login --data-urlencode "login=ivanova" --data-urlencode "password=$PW1" \
    --data-urlencode "next=/moh/registry" --data-urlencode "csrf=$(tok_of "$T/j1")"
expect_code 303
hdr >"$T/hh"
expect_grep '^Location: /moh/registry$' "$T/hh"
c2=$(sed -n 's/^Set-Cookie: otklik=\([0-9a-f]*\);.*/\1/p' "$T/hh")
[ ${#c2} -eq 64 ] && [ "$c2" != "$c1" ] || fail "no new session id at sign-in"
ok
curl -s -b "otklik=$c1" "$URL/login" >"$T/body"
expect_no_grep 'Вы уже вошли' "$T/body"
for next in '//evil.example/' '/\evil.example' 'https://evil.example/' 'javascript:alert(1)'; do
	rm -f "$T/jn"
	post "$T/jn" /login --data-urlencode "login=ivanova" --data-urlencode "password=$PW1" \
	    --data-urlencode "next=$next"
	expect_code 303
	hdr >"$T/hh"
	expect_grep '^Location: /$' "$T/hh"
done

# Refusals: missing fields, wrong password, unknown login: same words.
fails=0
post "$T/jx" /login --data-urlencode "login=ivanova"
expect_code 400
expect_grep 'Введите логин и пароль' "$T/body"
post "$T/jx" /login --data-urlencode "login=ivanova" --data-urlencode "password=wrong-password"
expect_code 403
expect_grep 'Неверный логин или пароль' "$T/body"
expect_grep 'value="ivanova"' "$T/body"
expect_no_grep 'wrong-password' "$T/body"
expect_no_grep 'Set-Cookie' "$T/h"
post "$T/jx" /login --data-urlencode "login=nobody" --data-urlencode "password=wrong-password"
expect_code 403
expect_grep 'Неверный логин или пароль' "$T/body"
# A failed sign-in leaves the session this browser has.
post "$T/j1" /login --data-urlencode "login=ivanova" --data-urlencode "password=wrong-password" \
    --data-urlencode "csrf=$(tok_of "$T/j1")"
expect_code 403
curl -s -b "$T/j1" "$URL/login" >"$T/body"
expect_grep 'Вы уже вошли: Иванова' "$T/body"
fails=$((fails + 3))

# CSRF: signing out needs the session's token.
post "$T/j1" /logout --data ''
expect_code 403
expect_grep 'csrf' "$T/body"
post "$T/j1" /logout --data "csrf=0000000000000000000000000000000000000000000000000000000000000000"
expect_code 403
tok=$(tok_of "$T/j1")
[ ${#tok} -eq 64 ] || fail "no CSRF token on /login"
ok
post "$T/j1" /logout --data "csrf=$tok"
expect_code 303
hdr >"$T/hh"
expect_grep '^Set-Cookie: otklik=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0$' "$T/hh"
curl -s -b "otklik=$c2" "$URL/login" >"$T/body"
expect_no_grep 'Вы уже вошли' "$T/body"
post "$T/j1" /logout --data "csrf=$tok"
expect_code 403

# Signing out everywhere ends the sessions of the other browsers too.
post "$T/ja" /login --data-urlencode "login=petrov" --data-urlencode "password=$PW2"
expect_code 303
post "$T/jb" /login --data-urlencode "login=petrov" --data-urlencode "password=$PW2"
expect_code 303
post "$T/jc" /login --data-urlencode "login=ivanova" --data-urlencode "password=$PW1"
expect_code 303
tok=$(tok_of "$T/ja")
curl -s -b "$T/ja" "$URL/login" >"$T/body"
expect_grep 'action="/logout-all"' "$T/body"
post "$T/ja" /logout-all --data "csrf=$tok"
expect_code 303
curl -s -b "$T/jb" "$URL/login" >"$T/body"
expect_no_grep 'Вы уже вошли' "$T/body"
curl -s -b "$T/jc" "$URL/login" >"$T/body"
expect_grep 'Вы уже вошли: Иванова' "$T/body"

serve_stop

# Behind a TLS proxy: the __Host- cookie, Secure.
serve_start --quiet --trust-proxy
post "$T/js" /login -H 'X-Forwarded-Proto: https' --data-urlencode "login=petrov" \
    --data-urlencode "password=$PW2"
expect_code 303
hdr >"$T/hh"
expect_grep '^Set-Cookie: __Host-otklik=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Lax; Secure$' "$T/hh"
cs=$(sed -n 's/^Set-Cookie: __Host-otklik=\([0-9a-f]*\);.*/\1/p' "$T/hh")
curl -s -H 'X-Forwarded-Proto: https' -b "__Host-otklik=$cs" "$URL/login" >"$T/body"
expect_grep 'Вы уже вошли: Петров' "$T/body"

# Throttling: five failures for one login, whether it exists or not.
for i in 1 2 3 4 5; do
	post "$T/jx" /login --data-urlencode "login=ghost" --data-urlencode "password=wrong-password"
	expect_code 403
done
fails=$((fails + 5))
post "$T/jx" /login --data-urlencode "login=ghost" --data-urlencode "password=wrong-password"
expect_code 429
expect_grep 'Слишком много неудачных попыток входа\. Повторите попытку через 15 мин\.' "$T/body"
hdr >"$T/hh"
expect_grep '^Retry-After: 900$' "$T/hh"
# Twenty from one address stop even the right password.
i=0
while [ $fails -lt 20 ]; do
	i=$((i + 1))
	post "$T/jx" /login --data-urlencode "login=guess$i" --data-urlencode "password=wrong-password"
	expect_code 403
	fails=$((fails + 1))
done
post "$T/jx" /login --data-urlencode "login=ivanova" --data-urlencode "password=$PW1"
expect_code 429
expect_no_grep 'Set-Cookie' "$T/h"

serve_stop
done_testing

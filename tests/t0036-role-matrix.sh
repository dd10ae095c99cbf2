#!/bin/sh
# Roles in one place (R-ORG-2, R-ORG-4): every role, and a person of
# another organization, against every route that needs a role or changes
# state; a route's role (or admin) gets past the check, everyone else
# gets 403.  The routes come from the route table itself ("otklik routes").
. "$SRCDIR/tests/lib.sh"
command -v curl >/dev/null || fail "curl needed"

otk init >/dev/null
otk org add gkk --name 'Госкомитет' >/dev/null
otk org add other --name 'Другая организация' >/dev/null
otk --org gkk registry import --client internal "$FIX/registry-001.csv" >/dev/null
# Staff 1 is the admin, so that routes with {id} = 1 name a person the
# admin may manage.
roles="admin officer editor operator analyst group"
for role in $roles; do
	printf 'password-%s-1\n' "$role" |
	    otk --org gkk user add "u$role" --name "Сотрудник ($role)" --role "$role" \
	    $([ "$role" = editor ] && echo --unit Кадры) >/dev/null
done
printf 'password-outsider-1\n' |
    otk --org other user add uoutsider --name 'Чужой' --role admin >/dev/null
serve_start --quiet

# Each person's cookies and CSRF token.
for who in $roles outsider; do
	curl -s -o /dev/null -c "$T/jar.$who" --data-urlencode "login=u$who" \
	    --data-urlencode "password=password-$who-1" "$URL/login"
	curl -s -b "$T/jar.$who" "$URL/api/v1/session" |
	    sed -n 's/.*"csrf": *"\([0-9a-f]*\)".*/\1/p' >"$T/csrf.$who"
	[ -s "$T/csrf.$who" ] || fail "no session for u$who"
done

otk routes >"$T/routes"
checked=0
while IFS="$(printf '\t')" read -r method pattern need summary; do
	case "$pattern" in
	/login|/logout|/logout-all) continue ;;
	esac
	# Routes that change state, or that need a role to be seen; public
	# ones (the feedback form, the tracking page) need none.
	[ "$need" = public ] && continue
	[ "$method" = POST ] || [ "$need" != signed-in ] || continue
	case "$pattern" in *'{org}'*|/admin/*) ;; *) continue ;; esac
	path=$(printf '%s' "$pattern" | sed 's/{org}/gkk/; s/{id}/1/g')
	for who in $roles outsider; do
		tok=$(cat "$T/csrf.$who")
		case "$pattern" in
		/api/*) set -- -H "X-CSRF-Token: $tok" -H 'Content-Type: application/json' --data '{}' ;;
		*) set -- --data "csrf=$tok" ;;
		esac
		[ "$method" = GET ] && set --
		code=$(curl -s -o "$T/body" -w '%{http_code}' -b "$T/jar.$who" -X "$method" "$@" "$URL$path")
		# Who should pass: the route's role or an admin of gkk; for
		# routes any staff may use, anyone with a role in gkk.
		case "$need" in
		signed-in) allowed=$([ "$who" = outsider ] && { [ "$pattern" = /admin/orgs ] && echo yes || echo no; } || echo yes) ;;
		*) allowed=$([ "$who" = "$need" ] || [ "$who" = admin ] && echo yes || echo no) ;;
		esac
		# Adding organizations is for installation admins only.
		[ "$pattern" = /admin/orgs ] && [ "$method" = POST ] &&
		    allowed=$([ "$who" = admin ] || [ "$who" = outsider ] && echo yes || echo no)
		if [ "$allowed" = yes ] && [ "$code" = 403 ]; then
			cat "$T/body" >&2
			fail "$method $pattern: u$who was refused (403)"
		fi
		if [ "$allowed" = no ] && [ "$code" != 403 ]; then
			fail "$method $pattern: u$who got $code, expected 403"
		fi
		ok
		checked=$((checked + 1))
	done
done <"$T/routes"
[ "$checked" -gt 100 ] || fail "only $checked route × role pairs were checked"
ok

# Nobody signed in: every route that is not public is closed (a page
# sends to the sign-in form, the API answers 401, a POST gets 403).
while IFS="$(printf '\t')" read -r method pattern need summary; do
	[ "$need" = public ] && continue
	path=$(printf '%s' "$pattern" | sed 's/{org}/gkk/; s/{id}/1/g')
	code=$(curl -s -o /dev/null -w '%{http_code}' -X "$method" "$URL$path")
	case "$method $pattern $code" in
	"GET /api/"*" 401"|"POST /api/"*" 401") ;;
	"GET "*" 303") ;;
	"POST "*" 403") ;;
	*) fail "$method $pattern without a session: $code" ;;
	esac
	ok
done <"$T/routes"
echo "checked $checked route × role pairs"
serve_stop
done_testing

#!/bin/sh
# docs/openapi.yaml describes exactly the /api/ routes of the route table
# ("otklik routes"): every route is in the description, every path and
# method of the description is a route, and a route that needs a role
# says so and asks for the CSRF header when it changes state.
. "$SRCDIR/tests/lib.sh"

spec="$SRCDIR/docs/openapi.yaml"
[ -f "$spec" ] || fail "no $spec"

# The table's API routes as "METHOD PATTERN ROLE".
otk routes >"$T/routes"
awk -F'\t' '$2 ~ /^\/api\// { print $1 " " $2 " " $3 }' "$T/routes" |
    sort >"$T/table"
[ -s "$T/table" ] || fail "the route table has no /api/ routes"
ok

# The description's operations as "METHOD PATH", from the "paths:"
# section: a path is a key indented by two spaces, an operation a
# method indented by four.  Anything else at two or four spaces under
# "paths:" is an error, so that the parse cannot silently miss one.
awk '
	/^[^ #]/ { inpaths = ($0 ~ /^paths:[ \t]*$/); next }
	!inpaths { next }
	/^  [^ #]/ {
		path = $0
		sub(/^  /, "", path)
		sub(/:[ \t]*$/, "", path)
		gsub(/["\047]/, "", path)
		next
	}
	/^    [^ #]/ {
		m = $0
		sub(/^    /, "", m)
		sub(/:.*$/, "", m)
		if (m ~ /^(get|put|post|delete|patch|head|options|trace)$/)
			print toupper(m) " " path
		else if (m != "summary" && m != "description" && m != "parameters" && m != "servers")
			print "UNEXPECTED " path " " m
	}
' "$spec" | sort >"$T/spec"
expect_no_grep '^UNEXPECTED' "$T/spec"
[ -s "$T/spec" ] || fail "no operations found in $spec"
ok

# Both ways.
cut -d' ' -f1,2 "$T/table" >"$T/table2"
comm -23 "$T/table2" "$T/spec" >"$T/missing"
comm -13 "$T/table2" "$T/spec" >"$T/extra"
[ ! -s "$T/missing" ] || { cat "$T/missing" >&2; fail "routes missing from docs/openapi.yaml"; }
ok
[ ! -s "$T/extra" ] || { cat "$T/extra" >&2; fail "operations of docs/openapi.yaml that no route serves"; }
ok

# Every operation has an operationId, and there are as many as routes.
n_ops=$(grep -c '^      operationId: ' "$spec")
[ "$n_ops" -eq "$(wc -l <"$T/table")" ] ||
    fail "$n_ops operationIds for $(wc -l <"$T/table") routes"
ok

# A POST asks for the CSRF token, and says which role it needs; the
# description of each operation is the block from its method line to
# the next method or path line.
while read -r method path role; do
	[ "$method" = POST ] || continue
	awk -v p="  $path:" -v m="    post:" '
		$0 == p { inpath = 1; next }
		inpath && /^  [^ ]/ { inpath = 0 }
		inpath && $0 == m { inop = 1; next }
		inop && (/^    [^ ]/ || /^  [^ ]/) { inop = 0 }
		inop { print }
	' "$spec" >"$T/op"
	grep -q 'csrfToken: \[\]' "$T/op" || fail "POST $path: no csrfToken in its security"
	ok
	case $role in
	signed-in|public) ;;
	*) grep -q "role \`$role\`" "$T/op" || fail "POST $path: the role $role is not named"
	   ok ;;
	esac
done <"$T/table"

# No organization can take a first segment of the site's own addresses.
otk init >/dev/null 2>&1 || true
otk routes | cut -f2 | cut -d/ -f2 | grep -v '^{' | grep -v '^$' | sort -u >"$T/first"
while read -r seg; do
	[ ${#seg} -ge 2 ] || continue
	expect_exit 64 otk org add "$seg" --name 'Проверка'
	expect_grep 'uses this name for its own pages' "$T/err"
done <"$T/first"

done_testing

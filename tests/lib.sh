# Shared by the shell tests: a scratch directory, the binary under test,
# and checks that say what was expected when they fail.
set -eu

: "${OTKLIK:?set OTKLIK to the otklik binary}"
: "${SRCDIR:?set SRCDIR to the source tree}"
T=$(mktemp -d "${TMPDIR:-/tmp}/otklik-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export OTKLIK_DB="$T/test.db"
unset OTKLIK_ORG OTKLIK_USER
FIX="$SRCDIR/tests/fixtures"
GOLDEN="$SRCDIR/tests/golden"
checks=0

otk() { "$OTKLIK" "$@"; }

fail() {
	printf 'FAIL: %s\n' "$*" >&2
	exit 1
}

ok() { checks=$((checks + 1)); }

# expect_exit CODE COMMAND...: runs it, keeps its output in $T/out, $T/err.
expect_exit() {
	want=$1
	shift
	set +e
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	set -e
	if [ "$got" != "$want" ]; then
		printf 'stdout:\n' >&2; cat "$T/out" >&2
		printf 'stderr:\n' >&2; cat "$T/err" >&2
		fail "'$*' exited $got, expected $want"
	fi
	ok
}

# expect_grep PATTERN FILE: a line of FILE matches the extended regex.
expect_grep() {
	grep -Eq -- "$1" "$2" || { cat "$2" >&2; fail "no line of $2 matches '$1'"; }
	ok
}

expect_no_grep() {
	if grep -Eq -- "$1" "$2"; then cat "$2" >&2; fail "a line of $2 matches '$1'"; fi
	ok
}

# expect_same EXPECTED ACTUAL: files are equal (diff shown otherwise).
# OTKLIK_UPDATE_GOLDEN=1 rewrites EXPECTED instead, as the unit tests do.
expect_same() {
	if [ "${OTKLIK_UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$2" "$1"
	fi
	diff -u "$1" "$2" >&2 || fail "$2 differs from $1"
	ok
}

# serve_start [OPTIONS]: starts "otklik serve" on a free port of
# 127.0.0.1 in the background; sets $URL and $SERVER_PID.  The server is
# stopped at exit (serve_stop stops it earlier and checks its status).
SERVER_PID=
serve_start() {
	# Emptied here, not by the redirection of the background job, which
	# may run after the loop below has read a previous run's address.
	: >"$T/serve.out"
	"$OTKLIK" serve --listen 127.0.0.1:0 "$@" >"$T/serve.out" 2>"$T/serve.err" &
	SERVER_PID=$!
	trap 'serve_kill; rm -rf "$T"' EXIT
	i=0
	while ! grep -q 'listening on' "$T/serve.out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 300 ] || { cat "$T/serve.err" >&2; fail "the server did not start"; }
		kill -0 "$SERVER_PID" 2>/dev/null || { cat "$T/serve.err" >&2; fail "the server exited"; }
		sleep 0.1
	done
	URL=$(sed -n 's/^otklik: listening on \(http:[^ ]*[0-9]\)\/$/\1/p' "$T/serve.out")
	[ -n "$URL" ] || fail "no address in: $(cat "$T/serve.out")"
}
serve_kill() {
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=
}
# serve_stop: SIGTERM, and the server must exit 0 after finishing.
serve_stop() {
	kill -TERM "$SERVER_PID"
	set +e
	wait "$SERVER_PID"
	st=$?
	set -e
	SERVER_PID=
	[ "$st" -eq 0 ] || { cat "$T/serve.err" >&2; fail "the server exited $st on SIGTERM"; }
	ok
}

# login LOGIN PASSWORD: signs in with curl, keeping cookies in $T/jar.
login() {
	curl -s -o "$T/login.out" -w '%{http_code}' -c "$T/jar" -b "$T/jar" \
	    --data-urlencode "login=$1" --data-urlencode "password=$2" \
	    "$URL/login" >"$T/login.code"
	grep -q '^303$' "$T/login.code" || fail "login $1: HTTP $(cat "$T/login.code")"
}

# csrf PATH: the CSRF token of the first form on a page.
csrf() {
	curl -s -b "$T/jar" "$URL$1" |
	    sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1
}

done_testing() {
	[ "$checks" -gt 0 ] || fail "the test checked nothing"
	printf 'ok: %d checks\n' "$checks"
}

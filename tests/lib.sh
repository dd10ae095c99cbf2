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
expect_same() {
	diff -u "$1" "$2" >&2 || fail "$2 differs from $1"
	ok
}

done_testing() {
	[ "$checks" -gt 0 ] || fail "the test checked nothing"
	printf 'ok: %d checks\n' "$checks"
}

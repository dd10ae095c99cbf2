#!/bin/sh
# otklik init creates the database, is harmless to repeat, and the help
# texts come from the command table.
. "$SRCDIR/tests/lib.sh"

expect_exit 0 otk init
expect_grep 'applied [0-9]+ migrations? \(schema [0-9]+\)' "$T/out"
expect_exit 0 otk init
expect_grep 'up to date \(schema [0-9]+\)' "$T/out"

# Commands that need a database say how to make one.
expect_exit 66 otk --db "$T/none.db" org list
expect_grep "otklik --db .*none.db init" "$T/err"
OTKLIK_DB="$T/env.db" otk init >/dev/null && ok
[ -f "$T/env.db" ] || fail "OTKLIK_DB was not used"
ok

# Help: the list, one command's help, a group, unknown commands.
expect_exit 0 otk help
expect_grep '^  registry import ' "$T/out"
expect_grep '^  calendar between ' "$T/out"
expect_exit 0 otk registry import --help
expect_grep '^usage: otklik registry import .*FILE' "$T/out"
expect_grep '--dry-run' "$T/out"
expect_exit 0 otk help registry
expect_grep 'registry status' "$T/out"
expect_exit 64 otk frobnicate
expect_grep "no command 'frobnicate'" "$T/err"
expect_exit 64 otk org list --bogus
expect_grep "unknown option '--bogus'" "$T/err"
expect_exit 64 otk
expect_exit 0 otk --version
expect_grep '^otklik [0-9]' "$T/out"
done_testing

#!/bin/sh
# The audit log is a hash chain: editing, deleting or cutting entries off
# the end is detected by 'otklik audit verify'.
. "$SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 shell needed"

otk init >/dev/null
otk org add moh --name 'Минздрав' >/dev/null
otk unit add 'Отдел 1' >/dev/null
otk unit add 'Отдел 2' >/dev/null
otk unit add 'Отдел 3' >/dev/null
expect_exit 0 otk audit verify
expect_grep 'intact: [0-9]+ entries' "$T/out"
entries=$(sed -n 's/.*intact: \([0-9]*\) entries.*/\1/p' "$T/out")
[ "$entries" -ge 4 ] || fail "expected at least 4 entries, got $entries"
ok
expect_exit 0 otk audit list
expect_grep '	org.add	org:moh	' "$T/out"

cp "$OTKLIK_DB" "$T/clean.db"

# An edited entry.
sqlite3 "$OTKLIK_DB" "UPDATE audit SET actor = 'someone' WHERE seq = 2"
expect_exit 1 otk audit verify
expect_grep 'entry 2 was altered' "$T/out"

# A deleted entry in the middle.
cp "$T/clean.db" "$OTKLIK_DB"; rm -f "$OTKLIK_DB-wal" "$OTKLIK_DB-shm"
sqlite3 "$OTKLIK_DB" "DELETE FROM audit WHERE seq = 3"
expect_exit 1 otk audit verify
expect_grep 'entry 3 is missing' "$T/out"

# Entries cut off the end.
cp "$T/clean.db" "$OTKLIK_DB"; rm -f "$OTKLIK_DB-wal" "$OTKLIK_DB-shm"
sqlite3 "$OTKLIK_DB" "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)"
expect_exit 1 otk audit verify
expect_grep 'removed from the end' "$T/out"

# A forged entry whose hash was recomputed without the chain's key fields
# still breaks the link to the next entry.
cp "$T/clean.db" "$OTKLIK_DB"; rm -f "$OTKLIK_DB-wal" "$OTKLIK_DB-shm"
sqlite3 "$OTKLIK_DB" "UPDATE audit SET hash = '00' || substr(hash, 3) WHERE seq = 2"
expect_exit 1 otk audit verify
expect_grep 'entry 2' "$T/out"
done_testing

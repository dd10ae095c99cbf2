#!/bin/sh
# "201 Created" means durable: the load generator posts messages over 16
# connections and writes down the tracking code of every 201 it gets;
# the server is killed with SIGKILL after a random 0.3–1.5 s, and
# restarted on the same database, five times.  Every acknowledged code
# must be in fb_message, and SQLite's integrity check must pass.
. "$SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 needed (scripts/deps.sh test)"
LOAD="$BUILDDIR/tests/load"
[ -x "$LOAD" ] || fail "$LOAD: build the load generator first"

otk init >/dev/null
otk org add gkk --name 'Госкомитет' >/dev/null
seed=${OTKLIK_KILL_SEED:-$$}
printf 'seed %s (OTKLIK_KILL_SEED repeats a run)\n' "$seed"

round=0
while [ $round -lt 5 ]; do
	round=$((round + 1))
	# serve_start waits for "listening on" in serve.out: the last
	# round's file must not answer for this one.
	rm -f "$T/serve.out"
	serve_start --quiet
	: >"$T/codes.$round"
	"$LOAD" -c 16 -d 30 -o "$T/codes.$round" \
	    "$URL/api/v1/orgs/gkk/messages" >"$T/load.$round" 2>&1 &
	load_pid=$!
	pause=$(awk -v s="$seed" -v r="$round" \
	    'BEGIN { srand(s * 7 + r); printf "%.2f", 0.3 + rand() * 1.2 }')
	sleep "$pause"
	kill -KILL "$SERVER_PID"
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=
	# Its connections refused, the generator ends by itself.
	wait "$load_pid" || fail "the load generator failed: $(cat "$T/load.$round")"
	acked=$(wc -l <"$T/codes.$round")
	printf 'round %d: killed after %ss, %d acknowledged\n' "$round" \
	    "$pause" "$acked"
	[ "$acked" -gt 0 ] || fail "round $round: nothing was acknowledged before the kill"
	ok
	[ "$(sqlite3 "$OTKLIK_DB" 'PRAGMA integrity_check')" = ok ] ||
	    fail "round $round: the integrity check failed"
	ok
	sqlite3 "$OTKLIK_DB" 'SELECT code FROM fb_message' | sort >"$T/stored"
	sort -u "$T/codes.$round" | comm -23 - "$T/stored" >"$T/lost"
	[ ! -s "$T/lost" ] ||
	    fail "round $round: $(wc -l <"$T/lost") acknowledged messages lost, e.g. $(head -n 1 "$T/lost")"
	ok
done
# All rounds together, and the database still serves after the last kill.
cat "$T"/codes.* | sort -u >"$T/all"
[ "$(comm -23 "$T/all" "$T/stored" | wc -l)" -eq 0 ] || fail "acknowledged messages lost"
ok
rm -f "$T/serve.out"
serve_start --quiet
c=$(head -n 1 "$T/all")
curl -s -o "$T/body" -w '%{http_code}' "$URL/api/v1/orgs/gkk/messages/$c" >"$T/code"
expect_grep '^200$' "$T/code"
expect_grep '"code":"'"$c"'"' "$T/body"
serve_stop
done_testing

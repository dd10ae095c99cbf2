#!/bin/sh
# Measures the write path: messages sent to POST /api/v1/orgs/{org}/messages
# and answered "201 Created" only once committed (synchronous=FULL, group
# commit), against references in the same run:
#
#   1. the most messages per second otklik accepts, closed loop (each of C
#      connections sends its next message as soon as its last is answered),
#      the best of a few connection counts;
#   2. the latency (p50, p99) at half that rate, sent at a fixed rate;
#   3. nginx answering the same POST with the same 201 from memory
#      (return 201 '…'), the same two ways;
#   4. the sqlite3 shell inserting the very rows otklik wrote (message,
#      event, audit entry and the audit chain's head), one transaction per
#      message and all in one transaction.
#
# The load comes from tests/load (the load generator built with the tests)
# for both servers.  Prints a table and the ratios, and writes the section
# "The write path" of docs/benchmarks.md.  'make bench' calls it after
# bench/web.sh; so can you:
#
#   bench/ingest.sh [OTKLIK]     default: build/otklik (a release build)
#
# Environment: BENCH_INGEST_SECONDS (one run, 10), BENCH_INGEST_CONNECTIONS
# (the counts tried for the maximum, "16 64 128"), BENCH_INGEST_RATE_CONNECTIONS
# (for the fixed rate, 16), BENCH_INGEST_SQL_ROWS (messages the sqlite3 shell
# inserts a transaction each, 1000), BENCH_INGEST_SQL_ALL_ROWS (messages it
# inserts in one transaction, 5000), BENCH_INGEST_LOAD (the load generator; default
# tests/load beside OTKLIK), BENCH_OUT (docs/benchmarks.md; "-" for none),
# TMPDIR (put it on the disk a real installation would use: commits wait
# for it).  nginx runs as a child of this script on a free port of
# 127.0.0.1, never as the system's service.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
otklik=${1:-build/otklik}
case $otklik in /*) ;; *) otklik=$(pwd)/$otklik ;; esac
load=${BENCH_INGEST_LOAD:-$(dirname "$otklik")/tests/load}
secs=${BENCH_INGEST_SECONDS:-10}
conns=${BENCH_INGEST_CONNECTIONS:-16 64 128}
rconns=${BENCH_INGEST_RATE_CONNECTIONS:-16}
sqlrows=${BENCH_INGEST_SQL_ROWS:-1000}
sqlall=${BENCH_INGEST_SQL_ALL_ROWS:-5000}
ncpu=$(nproc 2>/dev/null || echo 1)
out=${BENCH_OUT:-$root/docs/benchmarks.md}
org=bench

die() {
	printf 'bench/ingest: %s\n' "$*" >&2
	exit 1
}
say() { printf 'bench/ingest: %s\n' "$*" >&2; }

for v in $secs $conns $rconns $sqlrows $sqlall; do
	case $v in '' | *[!0-9]*) die "the BENCH_INGEST_* settings are numbers" ;; esac
	[ "$v" -ge 1 ] || die "the BENCH_INGEST_* settings are at least 1"
done
[ -x "$otklik" ] || die "$otklik: no such program; build it first (make)"
[ -x "$load" ] || die "$load: no load generator; build it first (ninja -C $(dirname "$otklik"))"
PATH=$PATH:/usr/sbin:/sbin
for p in curl nginx sqlite3; do
	command -v $p >/dev/null 2>&1 || die "$p is missing (scripts/deps.sh test installs it)"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/otklik-ingest.XXXXXX")
otklik_pid='' nginx_pid=''
cleanup() {
	for p in $otklik_pid $nginx_pid; do
		kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	otklik_pid='' nginx_pid=''
	rm -rf "$tmp"
}
trap 'cleanup' EXIT
trap 'exit 130' INT TERM
unset OTKLIK_DB OTKLIK_ORG OTKLIK_USER OTKLIK_NOW
started=$(date -u '+%Y-%m-%d %H:%M UTC')
load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')
[ -n "$(git -C "$root" status --porcelain -- src 2>/dev/null)" ] &&
    commit="$commit with uncommitted changes in src/"

db=$tmp/otklik.db
setup_db() {
	"$otklik" --db "$1" init >/dev/null
	"$otklik" --db "$1" org add "$org" --name 'Министерство (замеры)' \
	    --tz Europe/Moscow >/dev/null
}
setup_db "$db"

say "starting otklik serve ($ncpu threads)"
"$otklik" --db "$db" serve --listen 127.0.0.1:0 --quiet --threads "$ncpu" \
    --max-connections-per-ip 1000 --max-connections 2000 \
    >"$tmp/otklik.out" 2>"$tmp/otklik.err" &
otklik_pid=$!
i=0
while ! grep -q 'listening on' "$tmp/otklik.out" 2>/dev/null; do
	i=$((i + 1))
	kill -0 "$otklik_pid" 2>/dev/null || { cat "$tmp/otklik.err" >&2; die "otklik serve exited"; }
	[ "$i" -lt 300 ] || die "otklik serve did not start"
	sleep 0.1
done
ourl=$(sed -n 's/^otklik: listening on \(http:[^ ]*[0-9]\)\/$/\1/p' "$tmp/otklik.out")
path=/api/v1/orgs/$org/messages

# The message: what a person leaves on the site, about 200 bytes of text.
cat >"$tmp/body.json" <<'EOF'
{"kind":"comment","channel":"site","client":"external","text":"Сообщение номер {n}: запись на приём через портал прошла быстро, но в окне выдачи документов пришлось ждать сорок минут."}
EOF
sed 's/{n}/0/' "$tmp/body.json" >"$tmp/one.json"
code=$(curl -s -o "$tmp/answer.json" -D "$tmp/answer.head" -w '%{http_code}' \
    -H 'Content-Type: application/json' --data-binary @"$tmp/one.json" "$ourl$path")
[ "$code" = 201 ] || { cat "$tmp/answer.json" >&2; die "POST $path: HTTP $code"; }

# run NAME URL ARGS…: one load run; its figures in $tmp/NAME.
run() {
	name=$1 url=$2
	shift 2
	"$load" -b "$tmp/body.json" "$@" "$url" >"$tmp/$name" 2>&1 ||
	    { cat "$tmp/$name" >&2; die "the load generator failed ($name)"; }
}
# fig NAME KEY: a figure of a run.
fig() { tr ' ' '\n' <"$tmp/$1" | sed -n "s/^$2=//p"; }

# best SERVER URL: the closed-loop maximum over the connection counts;
# sets best_rate and best_c.
best() {
	best_rate=0 best_c=0
	run "$1-warm" "$2" -c 16 -d 2
	for c in $conns; do
		run "$1-max-$c" "$2" -c "$c" -d "$secs"
		r=$(fig "$1-max-$c" rate)
		bad=$(( $(fig "$1-max-$c" server5xx) + $(fig "$1-max-$c" client4xx) + $(fig "$1-max-$c" errors) ))
		[ "$bad" -eq 0 ] || say "$1 with $c connections: $bad requests failed"
		say "$1, $c connections: $r per second, p99 $(fig "$1-max-$c" p99_ms) ms"
		if awk -v a="$r" -v b="$best_rate" 'BEGIN { exit !(a > b) }'; then
			best_rate=$r best_c=$c
		fi
	done
}

say "otklik: the most messages per second, ${secs} s per run"
best otklik "$ourl$path"
o_max=$best_rate o_c=$best_c
half=$(awk -v r="$o_max" 'BEGIN { printf "%d", r / 2 }')
say "otklik: $half per second, fixed rate"
run otklik-half "$ourl$path" -c "$rconns" -r "$half" -d "$secs"
stored=$(sqlite3 "$db" 'SELECT count(*) FROM fb_message')
acked=0
for f in "$tmp"/otklik-*; do
	acked=$((acked + $(fig "$(basename "$f")" created)))
done
[ "$stored" -eq $((acked + 1)) ] || die "$stored messages stored, $((acked + 1)) acknowledged"
curl -s "$ourl/metrics" >"$tmp/metrics"
metric() { sed -n "s/^$1 //p" "$tmp/metrics"; }
batches=$(metric otklik_ingest_batches_total)
rows=$(metric otklik_ingest_rows_total)
largest=$(metric otklik_ingest_batch_max)
# How the writer spent the timed runs: storing rows, waiting for commits.
busy_w=$(metric otklik_ingest_write_seconds_total)
busy_c=$(metric otklik_ingest_commit_seconds_sum)
wall=0
for f in "$tmp"/otklik-*; do
	wall=$(awk -v a="$wall" -v b="$(fig "$(basename "$f")" seconds)" 'BEGIN { print a + b }')
done
pct_w=$(awk -v a="$busy_w" -v b="$wall" 'BEGIN { printf "%.0f", 100 * a / b }')
pct_c=$(awk -v a="$busy_c" -v b="$wall" 'BEGIN { printf "%.0f", 100 * a / b }')
us_row=$(awk -v a="$busy_w" -v n="$rows" 'BEGIN { printf "%.0f", 1e6 * a / n }')
ms_commit=$(awk -v a="$busy_c" -v n="$batches" 'BEGIN { printf "%.1f", 1e3 * a / n }')
kill -TERM "$otklik_pid" && wait "$otklik_pid" || die "otklik serve did not stop cleanly"
otklik_pid=

# nginx: the same answer from memory.
mkdir -p "$tmp/nginx"
chmod 711 "$tmp"
answer=$(sed "s/'/\\\\'/g" "$tmp/answer.json")
loc=$(tr -d '\r' <"$tmp/answer.head" | sed -n 's/^Location: //p')
try=0 nurl=
while [ "$try" -lt 20 ] && [ -z "$nurl" ]; do
	try=$((try + 1))
	port=$(awk -v s="$$$try" 'BEGIN { srand(s + srand()); print 20000 + int(rand() * 40000) }')
	cat >"$tmp/nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes $ncpu;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	server_tokens off;
	keepalive_timeout 75s;
	keepalive_requests 100000000;
	client_body_temp_path $tmp/nginx/body;
	proxy_temp_path $tmp/nginx/proxy;
	fastcgi_temp_path $tmp/nginx/fastcgi;
	uwsgi_temp_path $tmp/nginx/uwsgi;
	scgi_temp_path $tmp/nginx/scgi;
	server {
		listen 127.0.0.1:$port;
		location = $path {
			default_type application/json;
			add_header Location "$loc" always;
			add_header X-Content-Type-Options nosniff always;
			return 201 '$answer';
		}
		location / { return 404; }
	}
}
EOF
	: >"$tmp/nginx/error.log"
	nginx -p "$tmp/nginx/" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" \
	    >"$tmp/nginx/out" 2>&1 &
	nginx_pid=$!
	i=0
	while [ "$i" -lt 50 ]; do
		kill -0 "$nginx_pid" 2>/dev/null || { wait "$nginx_pid" 2>/dev/null || :; nginx_pid=; break; }
		code=$(curl -s -o "$tmp/nginx.answer" -w '%{http_code}' \
		    -H 'Content-Type: application/json' --data-binary @"$tmp/one.json" \
		    "http://127.0.0.1:$port$path" || :)
		if [ "$code" = 201 ]; then nurl=http://127.0.0.1:$port; break; fi
		i=$((i + 1))
		sleep 0.1
	done
	if [ -z "$nurl" ] && [ -n "$nginx_pid" ]; then
		kill -TERM "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
		nginx_pid=
	fi
done
[ -n "$nurl" ] || { cat "$tmp/nginx/error.log" >&2; die "nginx did not start"; }
cmp -s "$tmp/nginx.answer" "$tmp/answer.json" || die "nginx answers other bytes than otklik"
say "nginx: the most answers per second"
best nginx "$nurl$path"
n_max=$best_rate n_c=$best_c
say "nginx: $half per second, fixed rate"
run nginx-half "$nurl$path" -c "$rconns" -r "$half" -d "$secs"
kill -TERM "$nginx_pid" && wait "$nginx_pid" 2>/dev/null || :
nginx_pid=

# The sqlite3 shell: the rows otklik wrote, one message's rows (message,
# event, audit entry, the chain's head) per transaction for the first
# BENCH_INGEST_SQL_ROWS messages, then all of them in one transaction
# (enough that opening and closing the database, with its checkpoint, do
# not weigh on the rate; not so many that the transaction outgrows the
# page cache, which no batch of otklik does).
allrows=$stored
[ "$allrows" -le "$sqlall" ] || allrows=$sqlall
[ "$allrows" -ge "$sqlrows" ] || die "only $allrows messages stored, fewer than BENCH_INGEST_SQL_ROWS"
say "sqlite3: the same rows, $sqlrows messages one by one, $allrows in one transaction"
dump() {
	sqlite3 "$db" ".mode insert $1" "$2 LIMIT $allrows" >"$tmp/$1.sql"
	[ "$(wc -l <"$tmp/$1.sql")" -eq "$allrows" ] ||
	    die "$1: $(wc -l <"$tmp/$1.sql") rows, expected $allrows"
}
dump fb_message "SELECT * FROM fb_message ORDER BY id"
dump fb_event "SELECT * FROM fb_event WHERE action = 'registered' ORDER BY message_id"
dump audit "SELECT * FROM audit WHERE action = 'feedback.registered' ORDER BY seq"
# replay ONE N: the statements of N messages, in one transaction (ONE 1)
# or one per message.
replay() {
	awk -v m="$tmp/fb_message.sql" -v e="$tmp/fb_event.sql" \
	    -v a="$tmp/audit.sql" -v one="$1" -v n="$2" '
	BEGIN {
		print "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
		print "PRAGMA foreign_keys=ON;"
		if (one) print "BEGIN IMMEDIATE;"
		while (k < n && (getline lm < m) > 0) {
			k++
			getline le < e
			getline la < a
			if (!one) print "BEGIN IMMEDIATE;"
			print lm; print le; print la
			print "UPDATE audit_head SET seq = seq + 1 WHERE id = 1;"
			print "UPDATE audit_head SET hash = hex(randomblob(32)) WHERE id = 1;"
			if (!one) print "COMMIT;"
		}
		if (one) print "COMMIT;"
	}'
}
replay 0 "$sqlrows" >"$tmp/each.sql"
replay 1 "$allrows" >"$tmp/all.sql"
# seconds SQLFILE N: a fresh database, the file through the shell.
seconds() {
	rm -f "$tmp/shell.db" "$tmp/shell.db-wal" "$tmp/shell.db-shm"
	setup_db "$tmp/shell.db"
	t0=$(date +%s.%N)
	sqlite3 -bail "$tmp/shell.db" <"$1" >/dev/null || die "sqlite3 failed on $1"
	t1=$(date +%s.%N)
	[ "$(sqlite3 "$tmp/shell.db" 'SELECT count(*) FROM fb_message')" -eq "$2" ] ||
	    die "sqlite3 did not store the $2 messages of $1"
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}
s_each=$(seconds "$tmp/each.sql" "$sqlrows")
s_all=$(seconds "$tmp/all.sql" "$allrows")
q_each=$(awk -v n="$sqlrows" -v s="$s_each" 'BEGIN { printf "%.0f", n / s }')
q_all=$(awk -v n="$allrows" -v s="$s_all" 'BEGIN { printf "%.0f", n / s }')

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
per_batch=$(awk -v r="$rows" -v b="$batches" 'BEGIN { printf "%.1f", (b > 0 ? r / b : 0) }')
r_nginx=$(ratio "$o_max" "$n_max")
r_each=$(ratio "$o_max" "$q_each")
r_all=$(ratio "$o_max" "$q_all")
r_p99=$(ratio "$(fig otklik-half p99_ms)" "$(fig nginx-half p99_ms)")
if awk -v r="$r_nginx" 'BEGIN { exit !(r >= 0.25) }'; then
	aim="that meets the aim of at least a quarter."
else
	aim="below the aim of a quarter: see the writer's figures below and the
  load average, which says how much else the machine was running."
fi
load_end=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
nginx_v=$(nginx -v 2>&1 | sed 's/.*nginx\///')
sqlite_v=$(sqlite3 --version | cut -d' ' -f1)
fs=$(df -T "$tmp" 2>/dev/null | awk 'NR == 2 { print $2 }')

printf '\n%-44s %12s %10s %10s\n' "" "per second" "p50 ms" "p99 ms"
printf '%-44s %12.0f %10s %10s\n' "otklik, most ($o_c connections)" "$o_max" \
    "$(fig otklik-max-$o_c p50_ms)" "$(fig otklik-max-$o_c p99_ms)"
printf '%-44s %12.0f %10s %10s\n' "otklik, fixed rate ($rconns connections)" \
    "$(fig otklik-half rate)" "$(fig otklik-half p50_ms)" "$(fig otklik-half p99_ms)"
printf '%-44s %12.0f %10s %10s\n' "nginx, most ($n_c connections)" "$n_max" \
    "$(fig nginx-max-$n_c p50_ms)" "$(fig nginx-max-$n_c p99_ms)"
printf '%-44s %12.0f %10s %10s\n' "nginx, fixed rate ($rconns connections)" \
    "$(fig nginx-half rate)" "$(fig nginx-half p50_ms)" "$(fig nginx-half p99_ms)"
printf '%-44s %12s\n' "sqlite3 shell, a transaction per message" "$q_each"
printf '%-44s %12s\n' "sqlite3 shell, one transaction" "$q_all"
printf '\notklik / nginx %s; otklik / sqlite3 per message %s; otklik / sqlite3 in one %s;\n' \
    "$r_nginx" "$r_each" "$r_all"
printf 'p99 at %s per second: otklik / nginx %s; %s messages per batch on average\n\n' \
    "$half" "$r_p99" "$per_batch"

[ "$out" != - ] || exit 0
{
	cat <<EOF
<!-- bench/ingest.sh: begin -->
## The write path

How many messages \`otklik serve\` accepts per second when every "201
Created" means the message is on disk (\`synchronous=FULL\`, group commit:
one transaction and one fsync per batch), how long they wait, and the same
against nginx answering the same 201 from memory and the sqlite3 shell
writing the same rows. Measured by [bench/ingest.sh](../bench/ingest.sh)
on $started, commit $commit; do not edit by hand, run it again.

| | per second | p50 | p99 |
|---|---:|---:|---:|
| otklik, most ($o_c connections) | $(printf '%.0f' "$o_max") | $(fig otklik-max-$o_c p50_ms) ms | $(fig otklik-max-$o_c p99_ms) ms |
| otklik, fixed rate of $half/s ($rconns connections) | $(printf '%.0f' "$(fig otklik-half rate)") | $(fig otklik-half p50_ms) ms | $(fig otklik-half p99_ms) ms |
| nginx, most ($n_c connections) | $(printf '%.0f' "$n_max") | $(fig nginx-max-$n_c p50_ms) ms | $(fig nginx-max-$n_c p99_ms) ms |
| nginx, fixed rate of $half/s ($rconns connections) | $(printf '%.0f' "$(fig nginx-half rate)") | $(fig nginx-half p50_ms) ms | $(fig nginx-half p99_ms) ms |
| sqlite3 shell, a transaction per message ($sqlrows messages) | $q_each | | |
| sqlite3 shell, all in one transaction ($allrows messages) | $q_all | | |

- otklik accepts **$r_nginx times** nginx's rate; $aim
  It accepts **$r_each times** what the sqlite3 shell writes with a
  transaction per message (the rate without group commit), and
  **$r_all times** what the shell writes with $allrows messages in one
  transaction.
- The writer committed $rows messages in $batches batches ($per_batch a
  batch on average, $largest at most), and during the timed runs it spent
  $pct_w% of the time storing rows (about $us_row µs a message: a
  savepoint, the message, its "registered" event, an audit entry with
  its hash chain) and $pct_c% in commits ($ms_commit ms each, mostly the
  fsync). A batch holds at most one message per connection, so a burst
  from many more clients than the load generator opens makes batches
  larger (up to 512) and the fsyncs fewer still.
- At a fixed rate of half the maximum the p99 latency is $r_p99 times
  nginx's: a message waits for the batch before it and for its own
  commit, and the fsync times of the disk vary.
- The sqlite3 shell replays the rows otklik wrote (read back from its
  database) with the same pragmas; every message's rows there are what
  a message costs otklik's writer.

**The machine**: $ncpu CPUs ($cpu), the database on $fs in \`${TMPDIR:-/tmp}\`;
load average $load_start at the start, $load_end at the end; nginx
$nginx_v with $ncpu workers, SQLite $sqlite_v; \`otklik serve --threads
$ncpu\`; the load generator \`tests/load\` (keep-alive, one request in
flight per connection; at a fixed rate latency counts from the moment a
request was due) on the same machine, for both servers. One run lasts
$secs s.

    bench/ingest.sh build/otklik     # this section only
    BENCH_INGEST_SECONDS=30 BENCH_INGEST_CONNECTIONS="32 256" bench/ingest.sh build/otklik
<!-- bench/ingest.sh: end -->
EOF
} >"$tmp/section.md"
. "$root/bench/section.sh"
bench_section ingest "$tmp/section.md" "$out"
say "wrote the section \"The write path\" of $out"

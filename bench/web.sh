#!/bin/sh
# Measures the web server: requests per second and the 99th percentile of
# latency for the public registry page (/{org}/registry) and for an API
# read (GET /api/v1/orgs/{org}/registry with a session cookie), each against
# a reference in the same run: nginx sending the very same bytes, with the
# same Content-Type and the same other headers, from a file.  The load
# comes from wrk on the loopback interface.  Prints a table and writes the
# section "The web server" of docs/benchmarks.md (the rest of the file is
# bench/run.sh's and stays as it is).  'make bench' calls it after
# bench/run.sh; so can you:
#
#   bench/web.sh [OTKLIK]        default: build/otklik (a release build)
#
# Environment: BENCH_WEB_N (touchpoints in the registry, 2000: the
# registries of all the bodies of a region together), BENCH_WEB_ROUNDS
# (timed rounds, 5), BENCH_WEB_SECONDS (the length of one wrk run, 15),
# BENCH_WEB_CONNECTIONS (for the page, 50), BENCH_WEB_API_CONNECTIONS (for
# the API read, 10), BENCH_WEB_CLIENT_THREADS (wrk's threads, 2),
# BENCH_WEB_WORKERS (otklik's --threads and nginx's worker_processes, one
# per CPU), BENCH_OUT (docs/benchmarks.md; "-" for none), TMPDIR.  Installs
# the Debian packages wrk and nginx if they are missing; nginx runs as a
# child of this script with its own configuration on a free port of
# 127.0.0.1, never as the system's service.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
otklik=${1:-build/otklik}
case $otklik in /*) ;; *) otklik=$(pwd)/$otklik ;; esac
n=${BENCH_WEB_N:-2000}
rounds=${BENCH_WEB_ROUNDS:-5}
secs=${BENCH_WEB_SECONDS:-15}
conns=${BENCH_WEB_CONNECTIONS:-50}
aconns=${BENCH_WEB_API_CONNECTIONS:-10}
cthreads=${BENCH_WEB_CLIENT_THREADS:-2}
ncpu=$(nproc 2>/dev/null || echo 1)
workers=${BENCH_WEB_WORKERS:-$ncpu}
out=${BENCH_OUT:-$root/docs/benchmarks.md}
seed=20240601
warm=5		# seconds of the untimed warm-up run of each server and request

die() {
	printf 'bench/web: %s\n' "$*" >&2
	exit 1
}

say() { printf 'bench/web: %s\n' "$*" >&2; }

for v in "$n" "$rounds" "$secs" "$conns" "$aconns" "$cthreads" "$workers"; do
	case $v in '' | *[!0-9]*) die "the BENCH_WEB_* settings are numbers" ;; esac
	[ "$v" -ge 1 ] || die "the BENCH_WEB_* settings are at least 1"
done
if [ "$cthreads" -gt "$conns" ] || [ "$cthreads" -gt "$aconns" ]; then
	die "BENCH_WEB_CLIENT_THREADS is at most the connections"
fi
[ -x "$otklik" ] || die "$otklik: no such program; build it first (make, or ninja -C build)"
[ -r /proc/self/stat ] || die "needs Linux's /proc (for the CPU time of the servers)"

# Debian packages this needs, installed the way bench/run.sh does.
apt_install() {
	sudo=
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null 2>&1 || return 1
		sudo=sudo
	fi
	command -v apt-get >/dev/null 2>&1 || return 1
	say "installing $*"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 ||
	    { $sudo apt-get update -qq >/dev/null 2>&1 &&
	    $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; }
}
# nginx is in /usr/sbin, which an ordinary user's PATH may lack.
PATH=$PATH:/usr/sbin:/sbin
command -v curl >/dev/null 2>&1 || apt_install curl || die "curl is missing"
command -v wrk >/dev/null 2>&1 || apt_install wrk ||
    die "wrk (Debian package wrk) makes the load and is missing"
command -v nginx >/dev/null 2>&1 || apt_install nginx ||
    die "nginx (Debian package nginx) is the reference and is missing"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/otklik-web.XXXXXX")
otklik_pid='' nginx_pid=''
# Stops what this script started, by the ids it noted, and removes the
# temporary directory.
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

load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')
[ -n "$(git -C "$root" status --porcelain -- src 2>/dev/null)" ] &&
    commit="$commit with uncommitted changes in src/"
started=$(date -u '+%Y-%m-%d %H:%M UTC')

# The database: one organization whose registry of N touchpoints is
# imported and published, and a read-only staff account for the API.
org=bench
db=$tmp/otklik.db
password='пароль для замеров API'
say "making a database with a registry of $n touchpoints"
sh "$root/bench/gen-registry.sh" "$n" "$seed" >"$tmp/registry.csv"
{
	"$otklik" --db "$db" init
	"$otklik" --db "$db" org add "$org" \
	    --name 'Министерство экономического развития (тест)' \
	    --tz Asia/Yekaterinburg --region RU-BA
	"$otklik" --db "$db" --org "$org" registry import "$tmp/registry.csv"
	"$otklik" --db "$db" --org "$org" registry publish
	printf '%s\n' "$password" | "$otklik" --db "$db" --org "$org" \
	    user add reader --name 'Аналитик (замеры)' --role analyst
} >"$tmp/setup.out" 2>&1 || { cat "$tmp/setup.out" >&2; die "making the database failed"; }
grep -q "$n entries; $n added" "$tmp/setup.out" ||
    { cat "$tmp/setup.out" >&2; die "unexpected import result"; }

# Otklik: the release build given, on a free port.
say "starting otklik serve ($workers threads)"
set -- --listen 127.0.0.1:0 --quiet --threads "$workers"
# Its default limit of connections from one address is 64.
most=$conns
[ "$aconns" -le "$most" ] || most=$aconns
[ "$most" -le 56 ] || set -- "$@" --max-connections-per-ip $((most + 8)) \
    --max-connections $((most + 100))
"$otklik" --db "$db" serve "$@" >"$tmp/otklik.out" 2>"$tmp/otklik.err" &
otklik_pid=$!
i=0
while ! grep -q 'listening on' "$tmp/otklik.out" 2>/dev/null; do
	i=$((i + 1))
	kill -0 "$otklik_pid" 2>/dev/null ||
	    { cat "$tmp/otklik.err" >&2; die "otklik serve exited"; }
	[ "$i" -lt 300 ] || die "otklik serve did not start"
	sleep 0.1
done
ourl=$(sed -n 's/^otklik: listening on \(http:[^ ]*[0-9]\)\/$/\1/p' "$tmp/otklik.out")
[ -n "$ourl" ] || die "no address in: $(cat "$tmp/otklik.out")"

# Signing in, as a browser does; the session cookie goes to wrk as a
# header, to both servers alike.
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$tmp/jar" \
    --data-urlencode login=reader --data-urlencode "password=$password" \
    "$ourl/login")
[ "$code" = 303 ] || die "signing in: HTTP $code"
cookie=$(awk -F'\t' '
	/^#HttpOnly_/ { sub(/^#HttpOnly_/, "") }
	/^#/ || NF < 7 { next }
	{ s = s (s == "" ? "" : "; ") $6 "=" $7 }
	END { print s }' "$tmp/jar")
[ -n "$cookie" ] || die "no session cookie after signing in"

pub_path=/$org/registry
api_path=/api/v1/orgs/$org/registry
# fetch NAME PATH: the exact body and headers otklik answers with.
fetch() {
	code=$(curl -s -o "$tmp/$1.body" -D "$tmp/$1.head" -w '%{http_code}' \
	    -H "Cookie: $cookie" "$ourl$2")
	[ "$code" = 200 ] || die "GET $2: HTTP $code"
	tr -d '\r' <"$tmp/$1.head" >"$tmp/$1.h"
	ctype=$(sed -n 's/^[Cc]ontent-[Tt]ype: *//p' "$tmp/$1.h")
	[ -n "$ctype" ] || die "GET $2: no Content-Type"
	printf '%s\n' "$ctype" >"$tmp/$1.ctype"
}
fetch pub "$pub_path"
fetch api "$api_path"
grep -q '^<!DOCTYPE html>' "$tmp/pub.body" || die "the public page is not HTML"
grep -q '"entries":\[' "$tmp/api.body" || die "the API answer has no entries"
api_entries=$(grep -o '"interaction":' "$tmp/api.body" | wc -l)
[ "$api_entries" -eq "$n" ] ||
    die "the API answer has $api_entries entries, expected $n"
# A page rendered twice must be the same bytes, or the reference would
# send something else than otklik does.
curl -s -o "$tmp/again" -H "Cookie: $cookie" "$ourl$pub_path"
cmp -s "$tmp/again" "$tmp/pub.body" || die "the public page differs between two requests"
curl -s -o "$tmp/again" -H "Cookie: $cookie" "$ourl$api_path"
cmp -s "$tmp/again" "$tmp/api.body" || die "the API answer differs between two requests"
pub_bytes=$(wc -c <"$tmp/pub.body")
api_bytes=$(wc -c <"$tmp/api.body")

# The reference: the same bytes as files at the same paths, the same
# Content-Type, and otklik's other headers too (security headers,
# Cache-Control), so that both answers are the same size on the wire.
www=$tmp/www
mkdir -p "$www/$org" "$www/api/v1/orgs/$org" "$tmp/nginx"
cp "$tmp/pub.body" "$www$pub_path"
cp "$tmp/api.body" "$www$api_path"
# The workers of an nginx started by root run as nobody.
chmod 711 "$tmp"
chmod -R go+rX "$www"
# headers NAME: add_header lines for what otklik sent besides what nginx
# writes itself.
headers() {
	awk '
	NR == 1 || !/:/ { next }
	{
		name = substr($0, 1, index($0, ":") - 1)
		value = substr($0, index($0, ":") + 1)
		sub(/^ +/, "", value)
		l = tolower(name)
		if (l == "date" || l == "content-length" || l == "content-type" ||
		    l == "connection" || l == "server" || l == "keep-alive" ||
		    value ~ /[$"\\]/)
			next
		printf "\t\t\tadd_header %s \"%s\" always;\n", name, value
	}' "$tmp/$1.h"
}

# start_nginx: nginx on a free port of 127.0.0.1 (the first of a few
# random ones that is free), not as a daemon, with everything it writes
# in the temporary directory; sets $nurl.
start_nginx() {
	try=0
	while [ "$try" -lt 20 ]; do
		try=$((try + 1))
		port=$(awk -v s="$$$try" 'BEGIN { srand(s + srand()); print 20000 + int(rand() * 40000) }')
		cat >"$tmp/nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes $workers;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events {
	worker_connections 4096;
}
http {
	access_log off;
	server_tokens off;
	sendfile on;
	tcp_nopush on;
	tcp_nodelay on;
	etag off;
	keepalive_timeout 75s;
	keepalive_requests 100000000;
	client_body_temp_path $tmp/nginx/body;
	proxy_temp_path $tmp/nginx/proxy;
	fastcgi_temp_path $tmp/nginx/fastcgi;
	uwsgi_temp_path $tmp/nginx/uwsgi;
	scgi_temp_path $tmp/nginx/scgi;
	types { }
	server {
		listen 127.0.0.1:$port;
		root $www;
		location = $pub_path {
			default_type "$(cat "$tmp/pub.ctype")";
$(headers pub)
		}
		location = $api_path {
			default_type "$(cat "$tmp/api.ctype")";
$(headers api)
		}
		location = /.bench-status {
			stub_status;
		}
		location / {
			return 404;
		}
	}
}
EOF
		: >"$tmp/nginx/error.log"
		nginx -p "$tmp/nginx/" -c "$tmp/nginx/nginx.conf" \
		    -e "$tmp/nginx/error.log" >"$tmp/nginx/out" 2>&1 &
		nginx_pid=$!
		nurl=http://127.0.0.1:$port
		i=0
		while [ "$i" -lt 100 ]; do
			if ! kill -0 "$nginx_pid" 2>/dev/null; then
				wait "$nginx_pid" 2>/dev/null || :
				nginx_pid=
				break
			fi
			code=$(curl -s -o /dev/null -w '%{http_code}' "$nurl$pub_path" || :)
			[ "$code" = 200 ] && return 0
			i=$((i + 1))
			sleep 0.1
		done
		if [ -n "$nginx_pid" ]; then
			# Up, but something else answers there, or nothing.
			kill -TERM "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
			nginx_pid=
		fi
		grep -q 'in use' "$tmp/nginx/error.log" "$tmp/nginx/out" 2>/dev/null ||
		    { cat "$tmp/nginx/out" "$tmp/nginx/error.log" >&2; die "nginx did not start"; }
	done
	die "found no free port for nginx"
}
say "starting nginx ($workers worker processes)"
start_nginx

# Both servers must give the same answer, byte for byte, with the same
# Content-Type and the same other headers.
for w in pub api; do
	eval "p=\$${w}_path"
	curl -s -o "$tmp/ref.body" -D "$tmp/ref.head" -H "Cookie: $cookie" "$nurl$p"
	cmp -s "$tmp/ref.body" "$tmp/$w.body" || die "nginx sends other bytes for $p"
	tr -d '\r' <"$tmp/ref.head" | grep -iv '^\(date\|server\|content-length\|connection\|keep-alive\|accept-ranges\|last-modified\):' |
	    sort >"$tmp/ref.h"
	grep -iv '^\(date\|server\|content-length\|connection\|keep-alive\):' "$tmp/$w.h" |
	    sed 's/^HTTP\/[0-9.]* /HTTP\/1.1 /' | sort >"$tmp/own.h"
	cmp -s "$tmp/ref.h" "$tmp/own.h" ||
	    { diff "$tmp/own.h" "$tmp/ref.h" >&2; die "nginx sends other headers for $p"; }
done

# CPU time (clock ticks) of processes: utime + stime, read after the
# name in parentheses, which may hold spaces.
ticks() {
	for pp in "$@"; do
		cat "/proc/$pp/stat" 2>/dev/null || :
	done | awk '{ sub(/^.*\) /, ""); t += $12 + $13 } END { print t + 0 }'
}
# The processes of nginx: the master and its workers.
nginx_pids() {
	echo "$nginx_pid"
	for f in /proc/[0-9]*/stat; do
		cat "$f" 2>/dev/null || :
	done | awk -v m="$nginx_pid" '{ p = $1; sub(/^.*\) /, ""); if ($2 == m) print p }'
}
hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
# served SERVER REQUEST: how many of that request the server has
# answered, by its own count: otklik's /metrics; nginx's stub_status,
# which counts every request, itself included (one too many between two
# readings, taken off below).
served() {
	case $1-$2 in
	nginx-*)
		curl -s "$nurl/.bench-status" |
		    awk 'p { print $3; exit } /requests/ { p = 1 }'
		return ;;
	otklik-pub) route='GET /{org}/registry' ;;
	otklik-api) route='GET /api/v1/orgs/{org}/registry' ;;
	esac
	curl -s "$ourl/metrics" | awk -v r="$route" '
		index($0, "otklik_http_requests_total{route=\"" r "\",") == 1 { n += $NF }
		END { print n + 0 }'
}
# settle PID...: waits (30 s at most) until the processes have used no
# more than a tick of CPU time in a tenth of a second, twice in a row.
settle() {
	quiet=0 i=0
	before=$(ticks "$@")
	while [ "$quiet" -lt 2 ] && [ "$i" -lt 300 ]; do
		sleep 0.1
		now=$(ticks "$@")
		if [ $((now - before)) -le 1 ]; then quiet=$((quiet + 1)); else quiet=0; fi
		before=$now
		i=$((i + 1))
	done
}

# request,server,round,rps,p50 ms,p99 ms,cpu ms per request,errors,
# answers wrk received, answers the server counted that wrk did not
raw=$tmp/raw
: >"$raw"
# load REQUEST SERVER ROUND SECONDS: one wrk run; round 0 is the warm-up
# and is not kept.
load() {
	req=$1 srv=$2 rd=$3 s=$4
	eval "p=\$${req}_path"
	if [ "$srv" = nginx ]; then
		url=$nurl$p
		pids=$(nginx_pids)
	else
		url=$ourl$p
		pids=$otklik_pid
	fi
	s0=$(served "$srv" "$req")
	# shellcheck disable=SC2086 # a list of process ids
	t0=$(ticks $pids)
	c=$conns
	[ "$req" = pub ] || c=$aconns
	wrk -t "$cthreads" -c "$c" -d "${s}s" --timeout 60s --latency \
	    -H "Cookie: $cookie" "$url" >"$tmp/wrk.out" 2>&1 ||
	    { cat "$tmp/wrk.out" >&2; die "wrk failed against $srv"; }
	for q in $pids; do
		kill -0 "$q" 2>/dev/null || die "$srv exited during the run"
	done
	# Until the server has finished what wrk left it when it stopped
	# (answers to connections already closed): the next run must not pay
	# for it, and its CPU time goes with the requests of this run, which
	# the server counts, answers cut short at the end included.
	# shellcheck disable=SC2086
	settle $pids
	# shellcheck disable=SC2086
	t1=$(ticks $pids)
	s1=$(served "$srv" "$req")
	[ "$srv" = otklik ] || s1=$((s1 - 1))
	[ $((s1 - s0)) -gt 0 ] || die "$srv counted no $req requests"
	[ "$rd" -gt 0 ] || return 0
	if grep -q 'Socket errors\|Non-2xx' "$tmp/wrk.out"; then
		say "$srv, $req, round $rd: $(grep 'Socket errors\|Non-2xx' "$tmp/wrk.out" | tr -s ' \n' '  ')"
	fi
	awk -v req="$req" -v srv="$srv" -v rd="$rd" -v cpu=$((t1 - t0)) -v hz="$hz" \
	    -v served=$((s1 - s0)) '
	# wrk prints times as 12.34us, 5.67ms, 1.23s or 1.50m.
	function ms(s,    v) {
		v = s + 0
		if (s ~ /us$/) return v / 1000
		if (s ~ /ms$/) return v
		if (s ~ /m$/) return v * 60000
		if (s ~ /h$/) return v * 3600000
		return v * 1000
	}
	$1 == "50%" { p50 = ms($2) }
	$1 == "99%" { p99 = ms($2) }
	/ requests in / { nreq = $1 }
	/^Requests\/sec:/ { rps = $2 }
	/Socket errors:/ {
		for (i = 3; i <= NF; i++)
			if ($i ~ /^[0-9]+,?$/)
				err += $i + 0
	}
	/Non-2xx or 3xx responses:/ { err += $NF }
	END {
		if (rps == "" || p99 == "" || nreq < 1)
			exit 1
		printf "%s,%s,%s,%s,%s,%s,%s,%d,%d,%d\n", req, srv, rd, rps, p50,
		    p99, cpu * 1000 / hz / served, err, nreq,
		    (served > nreq ? served - nreq : 0)
	}' "$tmp/wrk.out" >>"$raw" ||
	    { cat "$tmp/wrk.out" >&2; die "cannot read wrk's report"; }
}

say "warming up (${warm} s per server and request)"
for req in pub api; do
	load "$req" nginx 0 "$warm"
	load "$req" otklik 0 "$warm"
done
# Rounds: each request against the reference, then otklik, seconds
# apart, so that load from elsewhere that comes and goes touches both.
r=1
while [ "$r" -le "$rounds" ]; do
	say "round $r of $rounds ($((4 * secs)) s)"
	for req in pub api; do
		load "$req" nginx "$r" "$secs"
		load "$req" otklik "$r" "$secs"
	done
	r=$((r + 1))
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')

# The server's own log of what went wrong, if anything did, less the
# answers it could not finish because wrk closed its connections at the
# end of a run.
cut_short=$(grep -c 'socket is no longer available for sending' "$tmp/otklik.err" || :)
grep -v 'socket is no longer available for sending' "$tmp/otklik.err" >"$tmp/otklik.err2" || :
if [ -s "$tmp/otklik.err2" ]; then
	say "otklik serve wrote:"
	sort "$tmp/otklik.err2" | uniq -c | sort -rn | head -20 >&2
fi
say "otklik serve cut $cut_short answers short, as wrk closed its connections at the end of a run"

# Per request and server: medians over the rounds, the spread, and the
# medians of the per-round ratios otklik / nginx.
results=$tmp/results
awk -F, '
	function median(a, k,    i, j, x) {
		for (i = 2; i <= k; i++)	# few values: insertion sort
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				x = a[j]; a[j] = a[j - 1]; a[j - 1] = x
			}
		return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
	}
	function lo(a, k,    i, m) { m = a[1]; for (i = 2; i <= k; i++) if (a[i] < m) m = a[i]; return m }
	function hi(a, k,    i, m) { m = a[1]; for (i = 2; i <= k; i++) if (a[i] > m) m = a[i]; return m }
	{
		k = $1 SUBSEP $2
		rps[k, $3] = $4; p50[k, $3] = $5; p99[k, $3] = $6
		cpu[k, $3] = $7; err[k] += $8; got[k, $3] = $9; left[k, $3] = $10
		if ($3 > nr) nr = $3
	}
	END {
		split("pub api", reqs, " ")
		split("nginx otklik", srvs, " ")
		for (a = 1; a <= 2; a++)
			for (b = 1; b <= 2; b++) {
				q = reqs[a]; s = srvs[b]; k = q SUBSEP s
				o = q SUBSEP "otklik"; g = q SUBSEP "nginx"
				split("", x); split("", y); split("", z); split("", c)
				split("", u); split("", v); split("", w)
				split("", g1); split("", g2)
				for (i = 1; i <= nr; i++) {
					x[i] = rps[k, i]; y[i] = p99[k, i]
					z[i] = p50[k, i]; c[i] = cpu[k, i]
					u[i] = rps[o, i] / rps[g, i]
					v[i] = p99[o, i] / p99[g, i]
					w[i] = cpu[g, i] > 0 ? cpu[o, i] / cpu[g, i] : 0
					g1[i] = got[k, i]; g2[i] = left[k, i]
				}
				# request,server,rps,rps min,rps max,p50,p99,p99 min,
				# p99 max,cpu ms,errors,ratio rps,ratio p99,ratio cpu,rounds,
				# answers received, answers left when wrk stopped (medians)
				printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d,%s,%s,%s,%d,%d,%d\n", q, s,
				    median(x, nr), lo(x, nr), hi(x, nr), median(z, nr),
				    median(y, nr), lo(y, nr), hi(y, nr), median(c, nr),
				    err[k], median(u, nr), median(v, nr), median(w, nr), nr,
				    median(g1, nr), median(g2, nr)
			}
	}' "$raw" >"$results"

# The numbers, in the formats both reports use, as NAME=VALUE lines.
awk -F, -v pubb="$pub_bytes" -v apib="$api_bytes" '
	function num(v,    s, r) {
		s = sprintf("%d", v + 0.5)
		r = ""
		while (length(s) > 3) {
			r = "," substr(s, length(s) - 2) r
			s = substr(s, 1, length(s) - 3)
		}
		return s r
	}
	function rate(v) { return v >= 100 ? num(v) : v >= 10 ? sprintf("%.1f", v) : sprintf("%.2f", v) }
	function t(v) {
		if (v >= 10000) return sprintf("%.1f s", v / 1000)
		if (v >= 1000) return sprintf("%.2f s", v / 1000)
		if (v >= 10) return sprintf("%.0f ms", v)
		if (v >= 1) return sprintf("%.1f ms", v)
		return sprintf("%.2f ms", v)
	}
	function x(v) {
		if (v >= 10) return sprintf("%.0f×", v)
		if (v >= 1) return sprintf("%.1f×", v)
		if (v >= 0.1) return sprintf("%.2f×", v)
		return sprintf("%.3f×", v)
	}
	function inv(v) { return v > 0 ? (1 / v >= 10 ? sprintf("%.0f", 1 / v) : sprintf("%.1f", 1 / v)) : "?" }
	function kb(b) { return b >= 1e6 ? sprintf("%.2f MB", b / 1e6) : sprintf("%.0f kB", b / 1e3) }
	{
		k = $1 "_" $2
		printf "%s_rps=%s\n%s_rps_lo=%s\n%s_rps_hi=%s\n", k, rate($3), k, rate($4), k, rate($5)
		printf "%s_p50=%s\n%s_p99=%s\n%s_p99_lo=%s\n%s_p99_hi=%s\n", k, t($6), k, t($7), k, t($8), k, t($9)
		printf "%s_cpu=%s\n%s_err=%d\n", k, t($10), k, $11
		printf "%s_mbs=%.0f\n", k, $3 * ($1 == "pub" ? pubb : apib) / 1e6
		printf "%s_cpus=%.2f\n", k, $3 * $10 / 1000
		printf "%s_got=%s\n%s_left=%s\n", k, num($16), k, num($17)
		if ($2 == "otklik") {
			printf "%s_x_rps=%s\n%s_x_p99=%s\n%s_x_cpu=%s\n", $1, x($12), $1, x($13), $1, x($14)
			printf "%s_times=%s\n%s_cpu_times=%s\n", $1, inv($12), $1, x($14)
			# Views a day at full load, and the share of the CPU
			# that 10,000 views a day would take.
			d = $3 * 86400
			printf "%s_day=%s\n", $1, (d >= 1e6 ? sprintf("%.1f million", d / 1e6) : num(d))
			printf "%s_cpu_raw=%s\n", $1, $10
		}
		nr = $15
	}
	END {
		printf "pub_size=%s\napi_size=%s\nrounds=%d\n", kb(pubb), kb(apib), nr
	}' "$results" >"$tmp/figures"
fig() { sed -n "s/^$1=//p" "$tmp/figures"; }
errors=$(awk -F, '{ e += $11 } END { print e + 0 }' "$results")

# The table on the terminal.
echo
printf '%-28s %10s %21s %10s %10s %10s %9s %8s\n' "request ($n touchpoints)" \
    "req/s" "(min – max)" "p50" "p99" "CPU/req" "ratio" "p99 r."
for req in pub api; do
	if [ "$req" = pub ]; then label="page, $conns conns"; else label="API, $aconns conns"; fi
	for srv in nginx otklik; do
		k=${req}_$srv
		if [ "$srv" = nginx ]; then rr=ref pr=ref; else rr=$(fig "${req}_x_rps") pr=$(fig "${req}_x_p99"); fi
		printf '%-28s %10s %21s %10s %10s %10s %9s %8s\n' "$srv: $label" \
		    "$(fig "${k}_rps")" "($(fig "${k}_rps_lo") – $(fig "${k}_rps_hi"))" \
		    "$(fig "${k}_p50")" "$(fig "${k}_p99")" "$(fig "${k}_cpu")" "$rr" "$pr"
	done
done
[ "$errors" -eq 0 ] || say "wrk counted $errors errors (socket errors or answers other than 2xx/3xx)"
echo

[ "$out" = - ] && exit 0

# The machine and the programs.
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
[ -n "$cpu" ] || cpu=$(uname -m)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
debian=$(cat /etc/debian_version 2>/dev/null || echo 'not Debian')
kernel=$(uname -sr)
nginx_v=$(nginx -v 2>&1 | sed 's/^.*nginx\///')
wrk_v=$(wrk -v 2>&1 | sed -n '1s/^wrk \([^ ]*\).*/\1/p' | sed 's/^debian\///')
mhd_v=$(dpkg-query -W -f='${Version}' libmicrohttpd12 2>/dev/null || echo '?')
jansson_v=$(dpkg-query -W -f='${Version}' libjansson4 2>/dev/null || echo '?')
busy=$(echo "$load_start $load_end" | awk -v c="$ncpu" '
	$1 > c / 2 || $4 > c / 2 {
		printf " Other work was running on the machine (see the load " \
		    "average), so single numbers are noisy; the ratios, paired " \
		    "within each round, less so."
	}')
nfmt=$(printf '%s\n' "$n" | awk '{ s = $1; r = ""; while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) } print s r }')
if [ "$errors" -eq 0 ]; then
	errtext="Every request of every run was answered 200, with no socket errors."
else
	errtext="wrk counted $errors errors in all (socket errors or answers other than 2xx and 3xx): see the table; such runs are not to be trusted."
fi
# What 10,000 views a day, all in the busiest hour's tenth part of it,
# would ask of the server: requests per second at that peak, and the
# share of one CPU they would take.
uplink=$(awk -v b="$pub_bytes" 'BEGIN { printf "%.0f", 100e6 / 8 / b }')
peak=$(awk 'BEGIN { printf "%.1f", 10000 * 0.1 / 3600 }')
peak_cpu=$(awk -v c="$(fig pub_cpu_raw)" -v p="$peak" 'BEGIN { v = c * p / 10; f = v >= 1 ? "%.0f" : "%.1f"; printf f, v }')

plural() { if [ "$1" = 1 ]; then echo "$2"; else echo "${2}s"; fi; }
# rewrap: paragraphs and list items at 76 columns (the numbers put into
# them made their lines uneven); headings, tables, indented code and
# comments stay as they are.
rewrap() {
	awk '
	# A number and its unit stay on one line: the space between them is
	# \001 until the line is printed.
	function glue(t) {
		while (match(t, /[0-9] (ms|s|kB|MB|MB\/s|GiB|CPUs|requests|pages|times)([^A-Za-z]|$)/))
			t = substr(t, 1, RSTART) "\001" substr(t, RSTART + 2)
		return t
	}
	function out(l) {
		gsub(/\001/, " ", l)
		print l
	}
	function put(    k, w, i, line, pre) {
		if (text == "")
			return
		k = split(glue(text), w, " ")
		line = ""
		pre = first
		for (i = 1; i <= k; i++) {
			if (line != "" && length(pre line " " w[i]) > 76) {
				out(pre line)
				pre = rest
				line = ""
			}
			line = line == "" ? w[i] : line " " w[i]
		}
		out(pre line)
		text = ""
	}
	/^$/ || /^#/ || /^\|/ || /^    / || /^<!--/ { put(); print; next }
	/^- / { put(); first = "- "; rest = "  "; text = substr($0, 3); next }
	{
		if (text == "") { first = ""; rest = ""; text = $0 }
		else text = text " " $0
	}
	END { put() }'
}

# The section, between markers that bench/run.sh keeps when it rewrites
# the rest of the file.
{
	cat <<EOF
<!-- bench/web.sh: begin -->
## The web server

How many requests \`otklik serve\` answers per second, and how long the
slowest of them wait, for the public registry page and for the API's read
of the registry, measured by [bench/web.sh](../bench/web.sh) against nginx
sending the same bytes from a file, in the same run. Written by the script
on $started; do not edit by hand, run it again.$busy

### What was measured

- **The data**: a database with one organization whose registry of $nfmt
  touchpoints (\`bench/gen-registry.sh $n $seed\`, about the registries of
  all the bodies of a region together) is imported and published.
- **The public page** \`GET $pub_path\`: the published registry in the
  official form, $(fig pub_size) of HTML, which anyone may open without
  signing in.
- **The API read** \`GET $api_path\` with the session cookie of a staff
  account (an analyst): every entry of the current version as JSON,
  $(fig api_size).
- **The reference**: nginx $nginx_v with $workers worker processes
  (\`sendfile\`, no access log) sending, at the same paths, the bytes
  otklik answered with, fetched once with curl just before, as files,
  with the same Content-Type and the same other headers (the security
  headers, Cache-Control); the script checks that both answers are equal,
  byte for byte. Otklik is the release build, \`otklik serve --threads
  $workers --quiet\` (no access log either). Both listen on 127.0.0.1.
- **The load**: wrk $wrk_v on the same machine, $cthreads threads keeping
  connections open (keep-alive), each sending its next request as soon as
  the answer to the last one is in: $conns connections for the public page,
  $aconns for the API read, which staff tools use a few at a time. The same
  Cookie header goes to both servers. One run lasts $secs s, with
  \`--latency\` for the percentiles and a timeout of 60 s, so that no slow
  answer is dropped from them as a timeout. Answers still on their way
  when a run ends are in no percentile: a median of
  $(fig pub_otklik_left) per run for otklik's page (against
  $(fig pub_otklik_got) received) and $(fig api_otklik_left) for its API
  read (against $(fig api_otklik_got)), so otklik's p99 is, if anything,
  a little low.
- **Method**: one untimed warm-up run of ${warm} s per server and request,
  then $(fig rounds) $(plural "$(fig rounds)" round); in each, for each request, nginx first and
  otklik right after. Shown: the medians over the rounds, the spread of
  the requests per second, and the medians of the per-round ratios
  otklik / nginx. "Server CPU per request" is the user plus system time of
  the server's processes (from /proc) from the start of a run until the
  server has finished the answers wrk left it when it stopped, divided by
  the requests the server counted itself in that time (otklik's /metrics,
  nginx's stub_status): what a request costs the server, whatever the load
  generator, which shares the CPUs, can drive. $errtext

### The machine

| | |
|---|---|
| CPU | $cpu, $ncpu logical CPUs (nproc), shared by the server and wrk |
| memory | $mem |
| system | Debian $debian, $kernel |
| programs | nginx $nginx_v, wrk $wrk_v, libmicrohttpd $mhd_v, jansson $jansson_v |
| load average | $load_start at the start, $load_end at the end |
| otklik | commit $commit, \`$(basename "$otklik")\` of a release build |

### Results: $nfmt touchpoints

| request | server | requests/s | spread (min – max) | p50 | p99 | p99 spread | server CPU per request | otklik / nginx, requests/s | otklik / nginx, p99 | otklik / nginx, CPU per request |
|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|
EOF
	for req in pub api; do
		if [ "$req" = pub ]; then
			label="public page (HTML, $(fig pub_size); $conns connections)"
		else
			label="API read (JSON, $(fig api_size); $aconns connections)"
		fi
		for srv in nginx otklik; do
			k=${req}_$srv
			if [ "$srv" = nginx ]; then
				rat="reference | reference | reference"
			else
				rat="$(fig "${req}_x_rps") | $(fig "${req}_x_p99") | $(fig "${req}_x_cpu")"
			fi
			echo "| $label | $srv | $(fig "${k}_rps") | $(fig "${k}_rps_lo") – $(fig "${k}_rps_hi") | $(fig "${k}_p50") | $(fig "${k}_p99") | $(fig "${k}_p99_lo") – $(fig "${k}_p99_hi") | $(fig "${k}_cpu") | $rat |"
		done
	done
	cat <<EOF

### What the numbers mean

nginx only copies a file it already has to the socket (the kernel does it,
by sendfile); otklik renders the public page from the database on every
request: it reads the published version with its $nfmt entries, orders
them and writes the official form with its merged cells, escaping every
text. Nothing is cached between requests, so a version shows the moment it
is published. For the API read otklik looks the session up in the
database, then builds a JSON document of every entry of the current
version and sends it with \`Cache-Control: no-store\`.

For the public page otklik answered $(fig pub_otklik_rps) requests per second
against nginx's $(fig pub_nginx_rps) ($(fig pub_x_rps): nginx served
$(fig pub_times) times as many), with a p99 of $(fig pub_otklik_p99) against
$(fig pub_nginx_p99) under $conns concurrent connections; a page cost the
server $(fig pub_otklik_cpu) of CPU time against $(fig pub_nginx_cpu). At full
load that is $(fig pub_day) pages a day. The registry page of a ministry is
opened, at a guess, a few to a few hundred times a day; even 10,000 views
a day, a tenth of them in one busy hour, would be $peak requests per second
at that peak, about $peak_cpu% of one CPU here. The page needs no cache in
front of it for capacity (a reverse proxy is still where TLS ends, see the
admin guide). What runs out first is the site's uplink: each view is
$(fig pub_size), so a 100 Mbit/s link carries about $uplink views a second,
against the $(fig pub_otklik_rps) otklik rendered here.

The API read is the heavier one: $(fig api_otklik_rps) requests per second
against nginx's $(fig api_nginx_rps) ($(fig api_x_rps): nginx served
$(fig api_times) times as many), a p99 of $(fig api_otklik_p99) against
$(fig api_nginx_p99), and $(fig api_otklik_cpu) of CPU per request against
$(fig api_nginx_cpu), because the whole registry is built as a tree of
JSON values in memory, written out as text and copied three times before
it is sent.
It serves staff tools and the organization's own scripts, not the public;
with $aconns requests at once, more than an organization makes, the p99 is
mostly the time a request waits for the ones ahead of it.

The figures for nginx are a ceiling on this machine more than nginx's own:
wrk, which has to read every byte, runs on the same $ncpu CPUs. During its
runs nginx itself kept $(fig pub_nginx_cpus) CPUs busy for the page and
$(fig api_nginx_cpus) for the API read, otklik $(fig pub_otklik_cpus) and
$(fig api_otklik_cpus); the rest of the $ncpu went to wrk, the kernel and,
where the load average says so, other work on the machine. The CPU per
request depends on that least, and its ratio is the one to compare between
machines and releases.

    make bench                       # bench/run.sh, then this
    bench/web.sh build/otklik        # this section only
    BENCH_WEB_ROUNDS=9 BENCH_WEB_CONNECTIONS=200 bench/web.sh build/otklik

\`BENCH_WEB_N\` sets the touchpoints ($n), \`BENCH_WEB_ROUNDS\` the rounds
($rounds), \`BENCH_WEB_SECONDS\` the length of a run ($secs),
\`BENCH_WEB_CONNECTIONS\` the connections for the page ($conns),
\`BENCH_WEB_API_CONNECTIONS\` those for the API read ($aconns),
\`BENCH_WEB_CLIENT_THREADS\` wrk's threads ($cthreads), \`BENCH_WEB_WORKERS\`
otklik's threads and nginx's worker processes (one per CPU). The script
installs wrk and nginx if they are missing, runs nginx as its own child
on a free port of 127.0.0.1 (never the system's service), stops both
servers and removes its temporary directory at the end.
<!-- bench/web.sh: end -->
EOF
} | rewrap >"$tmp/web.md"

. "$root/bench/section.sh"
bench_section web "$tmp/web.md" "$out"
say "wrote the section \"The web server\" of $out"

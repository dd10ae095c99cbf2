#!/bin/sh
# Measures 'otklik feedback import' (R-FB-10): a synthetic export of
# BENCH_FI_ROWS messages (100,000) in the canonical CSV, imported into a
# fresh database, and imported again (every row already there), against
# the sqlite3 shell's .import of the same file into one table with the
# pragmas otklik opens its database with (WAL, synchronous=FULL).  Prints
# a table and writes the section "Feedback import" of docs/benchmarks.md.
#
#   bench/feedback-import.sh [OTKLIK]     default: build/otklik (release)
#
# Environment: BENCH_FI_ROWS (100000), BENCH_FI_RUNS (timed rounds, 3),
# BENCH_OUT (docs/benchmarks.md; "-" for none), TMPDIR (on the disk a
# real installation would use: the commit waits for it).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
otklik=${1:-build/otklik}
case $otklik in /*) ;; *) otklik=$(pwd)/$otklik ;; esac
rows=${BENCH_FI_ROWS:-100000}
runs=${BENCH_FI_RUNS:-3}
out=${BENCH_OUT:-$root/docs/benchmarks.md}

die() {
	printf 'bench: %s\n' "$*" >&2
	exit 1
}
say() { printf 'bench: %s\n' "$*" >&2; }

for v in "$rows" "$runs"; do
	case $v in '' | *[!0-9]*) die "BENCH_FI_ROWS and BENCH_FI_RUNS are numbers" ;; esac
done
[ "$rows" -ge 1 ] && [ "$runs" -ge 1 ] || die "BENCH_FI_ROWS and BENCH_FI_RUNS are at least 1"
[ -x "$otklik" ] || die "$otklik: no such program; build it first"
command -v sqlite3 >/dev/null 2>&1 || die "the sqlite3 shell is needed for the reference"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/otklik-bench-fi.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# The export: deterministic (awk's srand with a fixed seed), channels and
# kinds in the proportions of a ministry's platform export, a third of
# the messages answered, a topic on most rows.
say "writing $rows messages"
awk -v n="$rows" 'BEGIN {
	srand(20241122)
	split("pos pos pos pos email email phone reception site social post", ch, " ")
	split("appeal complaint request comment proposal", kd, " ")
	split("Запись на приём|Лекарственное обеспечение|Качество медицинской помощи|Диспансеризация|Скорая помощь|Информирование", tp, "|")
	split("терапевту кардиологу неврологу эндокринологу офтальмологу педиатру", sp, " ")
	print "external_id,received_at,channel,kind,client_type,form,touchpoint,topic,reason,text,acknowledged_at,answered_at,outcome,transfers,wait_minutes"
	for (i = 1; i <= n; i++) {
		c = ch[1 + int(rand() * 11)]
		k = kd[1 + int(rand() * 5)]
		t = 1704067200 + int(rand() * 25000000)
		r = rand()
		ack = ""; ans = ""; out = ""
		if (r < 0.6 && c != "phone" && c != "reception")
			ack = t + 3600 + int(rand() * 80000)
		if (r < 0.33) {
			ans = t + 86400 + int(rand() * 2000000)
			if (ack == "" || ack > ans) ack = ""
			if (k == "complaint") out = rand() < 0.6 ? "satisfied" : "unsatisfied"
		}
		printf "B-%d,%s,%s,%s,external,service,,%s,,\"Не могу записаться к %s уже %d дней: талонов нет, по телефону не отвечают, прошу помочь\",%s,%s,%s,%s,%s\n",
		    i, iso(t), c, k, (rand() < 0.8 ? tp[1 + int(rand() * 6)] : ""),
		    sp[1 + int(rand() * 6)], 1 + int(rand() * 20),
		    ack == "" ? "" : iso(ack), ans == "" ? "" : iso(ans), out,
		    c == "phone" ? int(rand() * 4) : "", c == "reception" ? int(rand() * 40) : ""
	}
}
function iso(s,    d, y, m, dim, h) {
	d = int(s / 86400); h = s % 86400
	y = 1970
	while (d >= (leap(y) ? 366 : 365)) { d -= leap(y) ? 366 : 365; y++ }
	split("31 28 31 30 31 30 31 31 30 31 30 31", dim, " ")
	if (leap(y)) dim[2] = 29
	for (m = 1; d >= dim[m]; m++) d -= dim[m]
	return sprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d + 1, int(h / 3600), int(h / 60) % 60, h % 60)
}
function leap(y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }' >"$tmp/export.csv"
size=$(wc -c <"$tmp/export.csv")

# The database every run starts from: an organization and its topics.
export OTKLIK_DB="$tmp/template.db"
unset OTKLIK_ORG OTKLIK_USER OTKLIK_NOW OTKLIK_IMPORT_PART
"$otklik" init >/dev/null
"$otklik" org add moh --name 'Министерство здравоохранения' --tz Europe/Moscow >/dev/null
for t in 'Запись на приём' 'Лекарственное обеспечение' 'Качество медицинской помощи' \
    'Диспансеризация' 'Скорая помощь' 'Информирование'; do
	"$otklik" topic add "$t" >/dev/null
done

now_ns() { date +%s%N; }
# run NAME COMMAND...: wall-clock seconds appended to $tmp/NAME, CPU
# seconds (user + system, when /usr/bin/time is there) to $tmp/NAME.cpu.
run() {
	o=$tmp/$1
	shift
	t0=$(now_ns)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%U %S' -o "$tmp/cpu" "$@" >"$tmp/run.out" 2>"$tmp/run.err" ||
		    { cat "$tmp/run.err" >&2; die "failed: $*"; }
		awk '{ printf "%.3f\n", $1 + $2 }' "$tmp/cpu" >>"$o.cpu"
	else
		"$@" >"$tmp/run.out" 2>"$tmp/run.err" || { cat "$tmp/run.err" >&2; die "failed: $*"; }
		echo 0 >>"$o.cpu"
	fi
	t1=$(now_ns)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) / 1e9 }' >>"$o"
}
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: >"$tmp/ref"; : >"$tmp/imp"; : >"$tmp/again"
: >"$tmp/ref.cpu"; : >"$tmp/imp.cpu"; : >"$tmp/again.cpu"
i=0
while [ $i -lt "$runs" ]; do
	i=$((i + 1))
	say "round $i of $runs"
	rm -f "$tmp/ref.db" "$tmp/ref.db-wal" "$tmp/ref.db-shm"
	run ref sqlite3 "$tmp/ref.db" 'PRAGMA journal_mode=WAL;' \
	    'PRAGMA synchronous=FULL;' '.mode csv' ".import $tmp/export.csv t"
	cp "$tmp/template.db" "$tmp/run.db"
	OTKLIK_DB="$tmp/run.db" run imp "$otklik" feedback import "$tmp/export.csv"
	grep -q "read $rows, imported $rows, already there 0, rejected 0" "$tmp/run.out" ||
	    die "unexpected: $(cat "$tmp/run.out")"
	OTKLIK_DB="$tmp/run.db" run again "$otklik" feedback import "$tmp/export.csv"
	grep -q "imported 0, already there $rows" "$tmp/run.out" ||
	    die "unexpected: $(cat "$tmp/run.out")"
done
ref=$(median "$tmp/ref")
imp=$(median "$tmp/imp")
again=$(median "$tmp/again")
ref_c=$(median "$tmp/ref.cpu")
imp_c=$(median "$tmp/imp.cpu")
again_c=$(median "$tmp/again.cpu")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'; }
per_s() { awk -v n="$rows" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
mb=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }')
dbmb=$(awk -v s="$(wc -c <"$tmp/run.db")" 'BEGIN { printf "%.0f", s / 1048576 }')

printf '%-42s %9s %9s %9s %7s %7s\n' operation time CPU rows/s ratio 'CPU r.'
printf '%-42s %8ss %8ss %9s %7s %7s\n' 'sqlite3 .import (reference)' "$ref" "$ref_c" "$(per_s "$ref")" 1.0 1.0
printf '%-42s %8ss %8ss %9s %6sx %6sx\n' 'otklik feedback import (fresh)' "$imp" "$imp_c" "$(per_s "$imp")" "$(ratio "$imp" "$ref")" "$(ratio "$imp_c" "$ref_c")"
printf '%-42s %8ss %8ss %9s %6sx %6sx\n' 'otklik feedback import (again)' "$again" "$again_c" "$(per_s "$again")" "$(ratio "$again" "$ref")" "$(ratio "$again_c" "$ref_c")"

[ "$out" = - ] && exit 0
nrows=$(awk -v n="$rows" 'BEGIN { s = sprintf("%d", n); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); print s }')
parts=$(( (rows + 49999) / 50000 ))
if [ "$rows" -ge 100000 ] || [ "$size" -gt 16777216 ]; then
	partline="The file is larger than the table reader takes at once (100,000
rows or 16 MiB), so it is read in $parts parts of at most 50,000 records."
else
	partline="The file is read in one part."
fi
ncpu=$(nproc 2>/dev/null || echo '?')
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
sqlite_v=$(sqlite3 -version | cut -d' ' -f1)
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')
{
	cat <<EOF
<!-- bench/feedback-import.sh: begin -->
## Feedback import

\`otklik feedback import\` of a synthetic export of $nrows
messages in the canonical CSV ($mb MB: channels, kinds, a topic on most
rows, a third answered, complaints with their outcome), made by
[bench/feedback-import.sh](../bench/feedback-import.sh) with a fixed seed,
into a fresh database with one organization and its six topics.
$partline
Every row is checked (fb_validate and the import's own checks), stored
with a tracking code, its deadlines, its "registered" event and a
hash-chained audit entry, its state and transition events set from its
times; all in one transaction, committed once. The reference is
\`sqlite3 DB 'PRAGMA journal_mode=WAL;' 'PRAGMA synchronous=FULL;' '.mode csv' '.import FILE t'\`:
the same bytes into one table of text. Median of $runs rounds: wall
clock, and CPU time, which a busy machine disturbs less (the load average
below). Written by the script on $(date -u '+%Y-%m-%d %H:%M') UTC.

| operation | median | CPU (user + system) | messages per second | otklik / reference, time | otklik / reference, CPU |
|---|--:|--:|--:|--:|--:|
| sqlite3 shell: \`.import\` of the CSV | $ref s | $ref_c s | $(per_s "$ref") | reference | reference |
| \`otklik feedback import\` (fresh) | $imp s | $imp_c s | $(per_s "$imp") | $(ratio "$imp" "$ref")× | $(ratio "$imp_c" "$ref_c")× |
| \`otklik feedback import\` (again: every row already there) | $again s | $again_c s | $(per_s "$again") | $(ratio "$again" "$ref")× | $(ratio "$again_c" "$ref_c")× |

The database after the import is $dbmb MB. Where the time goes (perf, on
a release build): most of it is SQLite's — the message row with its four
indexes, the event, the audit entry and its chain's head, and at the commit
every page of all that written to the WAL and synced — and the system
calls under it; the tracking codes' random bytes (a getrandom call per
character) are a few per cent; reading and checking the CSV, under 5 %.
The import's connection takes a 64 MiB page cache and keeps glibc from
trimming its heap after every row, which halved the system time. A second
import reads and checks every row again and finds each external id stored,
so it writes only the audit entry of the import. The machine: $ncpu CPUs, SQLite
$sqlite_v, load average $load at the end, otklik at commit $commit.

    bench/feedback-import.sh build/otklik     # this section only
    BENCH_FI_ROWS=1000000 BENCH_FI_RUNS=1 bench/feedback-import.sh build/otklik
<!-- bench/feedback-import.sh: end -->
EOF
} >"$tmp/section.md"
. "$root/bench/section.sh"
bench_section feedback-import "$tmp/section.md" "$out"
say "wrote the section \"Feedback import\" of $out"

#!/bin/sh
# Measures the half-year report (R-AN) over millions of messages and
# survey answers, against the sqlite3 shell computing the same figures
# from the detail rows in the same run:
#
#   1. a fresh database with one organization and a synthetic registry
#      (bench/gen-registry.sh), filled by "otklik demo generate" with
#      BENCH_REPORT_SIZE messages and as many survey answers over the
#      twelve months up to today (timed: detail rows per second, then the
#      rollups rebuilt once);
#   2. "otklik report --period <the last complete half-year> --format
#      json", which reads the rollups: the median of five runs;
#   3. the sqlite3 shell computing the same figures by GROUP BY over the
#      detail rows (fb_message, srv_response, srv_answer), with the
#      indexes the schema has: contacts per channel; answered, mean,
#      median, 90th percentile and maximum minutes to answer, on time and
#      late; complaints satisfied and unsatisfied; per rating question n,
#      share of 4–5 and index; the median of five runs;
#   4. both results compared figure by figure: counts exactly, means,
#      shares and indexes to the report's 4 decimals, the median and the
#      90th percentile (read from the rollups' histograms) within the 2 %
#      bound of src/rollup.h against the shell's exact nearest-rank
#      values.  Any difference fails the run.
#
# Prints a table and the ratio, and writes the section "The half-year
# report" of docs/benchmarks.md.  'make bench' calls it; so can you:
#
#   bench/report.sh [OTKLIK]     default: build/otklik (a release build)
#
# Environment: BENCH_REPORT_SIZE (messages, and as many answers;
# 5000000), BENCH_REPORT_SEED (1), BENCH_REPORT_RUNS (5), BENCH_OUT
# (docs/benchmarks.md; "-" for none), TMPDIR (the database takes about
# 1 GB per million answers).  Needs sqlite3 and jq (Debian's packages;
# scripts/deps.sh test installs both).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
otklik=${1:-build/otklik}
case $otklik in /*) ;; *) otklik=$(pwd)/$otklik ;; esac
size=${BENCH_REPORT_SIZE:-5000000}
seed=${BENCH_REPORT_SEED:-1}
runs=${BENCH_REPORT_RUNS:-5}
out=${BENCH_OUT:-$root/docs/benchmarks.md}
org=bench

die() {
	printf 'bench/report: %s\n' "$*" >&2
	exit 1
}
say() { printf 'bench/report: %s\n' "$*" >&2; }

for v in $size $seed $runs; do
	case $v in '' | *[!0-9]*) die "the BENCH_REPORT_* settings are numbers" ;; esac
done
[ "$size" -ge 1000 ] && [ "$size" -le 100000000 ] ||
    die "BENCH_REPORT_SIZE: from 1000 to 100000000"
[ "$runs" -ge 1 ] || die "BENCH_REPORT_RUNS: at least 1"
[ -x "$otklik" ] || die "$otklik: no such program; build it first (make)"
for p in sqlite3 jq; do
	command -v $p >/dev/null 2>&1 || die "$p is missing (scripts/deps.sh test installs it)"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/otklik-report.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
unset OTKLIK_DB OTKLIK_ORG OTKLIK_USER OTKLIK_NOW
started=$(date -u '+%Y-%m-%d %H:%M UTC')
load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')
[ -n "$(git -C "$root" status --porcelain -- src 2>/dev/null)" ] &&
    commit="$commit with uncommitted changes in src/"

# The last complete half-year before today (Moscow time, the zone of the
# organization below).
y=$(TZ=Europe/Moscow date +%Y)
m=$(TZ=Europe/Moscow date +%m)
if [ "${m#0}" -le 6 ]; then
	period=$((y - 1))H2 from=$((y - 1))-07-01 to=$((y - 1))-12-31
else
	period=${y}H1 from=$y-01-01 to=$y-06-30
fi

db=$tmp/otklik.db
export OTKLIK_DB=$db
"$otklik" init >/dev/null
"$otklik" org add "$org" --name 'Министерство (замеры)' --tz Europe/Moscow >/dev/null
"$root/bench/gen-registry.sh" 1000 >"$tmp/registry.csv"
"$otklik" --org "$org" registry import "$tmp/registry.csv" >/dev/null 2>&1 ||
    die "the registry import failed"

say "generating $size messages and $size survey answers"
t0=$(date +%s.%N)
"$otklik" --org "$org" demo generate --messages "$size" --answers "$size" \
    --seed "$seed" >"$tmp/demo.out" || die "demo generate failed"
t1=$(date +%s.%N)
cat "$tmp/demo.out" >&2
s_demo=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
rate=$(sed -n 's/.* s, \([0-9]*\) rows\/s;.*/\1/p' "$tmp/demo.out")
s_gen=$(sed -n 's/.*: \([0-9.]*\) s, [0-9]* rows\/s;.*/\1/p' "$tmp/demo.out")
s_roll=$(sed -n 's/.*rollups [0-9]* rows in \([0-9.]*\) s$/\1/p' "$tmp/demo.out")
arows=$(sed -n 's/.*(\([0-9]*\) answer rows).*/\1/p' "$tmp/demo.out")
[ -n "$rate" ] && [ -n "$s_roll" ] || die "no rate in: $(cat "$tmp/demo.out")"
[ "$(sqlite3 "$db" 'SELECT count(*) FROM fb_message')" -eq "$size" ] ||
    die "demo generate did not make $size messages"
dbsize=$(du -m "$db" | cut -f1)

# The shell's figures: "key value n" per line, under the report's keys.
oid=$(sqlite3 "$db" "SELECT id FROM org WHERE slug = '$org'")
cat >"$tmp/shell.sql" <<EOF
.mode list
.separator ' '
CREATE TEMP VIEW m AS SELECT * FROM fb_message WHERE org_id = $oid
    AND client = 'external'
    AND received_at >= CAST(strftime('%s', '$from') AS INTEGER) - 10800
    AND received_at < CAST(strftime('%s', '$to', '+1 day') AS INTEGER) - 10800;
SELECT 'contacts.' || channel || '.count', count(*), count(*) FROM m
    GROUP BY channel;
SELECT 'contacts.total.count', count(*), count(*) FROM m;
CREATE TEMP TABLE a AS SELECT max((answered_at - registered_at) / 60, 0)
    AS mi, answer_due, answered_at FROM m WHERE answered_at IS NOT NULL;
SELECT 'answer_time.total.answered', count(*), count(*) FROM a;
SELECT 'answer_time.total.mean', 1.0 * sum(mi) / count(*), count(*) FROM a;
SELECT 'answer_time.total.max', max(mi), count(*) FROM a;
SELECT 'answer_time.total.on_time', sum(answered_at <= answer_due),
    count(answer_due) FROM a;
SELECT 'answer_time.total.late', sum(answered_at > answer_due),
    count(answer_due) FROM a;
SELECT 'answer_time.total.median', mi, (SELECT count(*) FROM a) FROM a
    ORDER BY mi LIMIT 1 OFFSET (SELECT (count(*) + 1) / 2 - 1 FROM a);
SELECT 'answer_time.total.p90', mi, (SELECT count(*) FROM a) FROM a
    ORDER BY mi LIMIT 1 OFFSET (SELECT (9 * count(*) + 9) / 10 - 1 FROM a);
SELECT 'complaints.' || outcome || '.count', count(*), count(*) FROM m
    WHERE kind = 'complaint' AND outcome IS NOT NULL GROUP BY outcome;
SELECT 'complaints.total.count', count(*), count(*) FROM m
    WHERE kind = 'complaint';
CREATE TEMP TABLE s AS SELECT x.question AS q, count(*) AS n,
    sum(x.rating >= 4) AS good, sum(x.rating) AS total
    FROM srv_response r JOIN srv_instrument i ON i.id = r.instrument_id
    JOIN srv_answer x ON x.response_id = r.id
    WHERE r.org_id = $oid AND i.client = 'external'
    AND r.day BETWEEN '$from' AND '$to' AND x.rating IS NOT NULL
    GROUP BY x.question;
INSERT INTO s SELECT 'all', sum(n), sum(good), sum(total) FROM s;
SELECT 'satisfaction.' || q || '.n', n, n FROM s;
SELECT 'satisfaction.' || q || '.share', 100.0 * good / n, n FROM s;
SELECT 'satisfaction.' || q || '.index', (1.0 * total / n - 1) * 25, n FROM s;
EOF

# median CMD…: runs the command BENCH_REPORT_RUNS times, its output into
# $tmp/median.out; prints the median time in seconds.
median() {
	: >"$tmp/times"
	k=0
	while [ "$k" -lt "$runs" ]; do
		k=$((k + 1))
		t0=$(date +%s.%N)
		"$@" >"$tmp/median.out" 2>"$tmp/median.err" ||
		    { cat "$tmp/median.err" >&2; die "$1 failed"; }
		t1=$(date +%s.%N)
		awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }' >>"$tmp/times"
	done
	sort -n "$tmp/times" | awk '{ v[NR] = $1 } END {
		if (NR % 2) printf "%.4f", v[(NR + 1) / 2]
		else printf "%.4f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
say "the report of $period, $runs runs"
s_report=$(median "$otklik" --org "$org" report --period "$period" --format json)
cp "$tmp/median.out" "$tmp/report.json"
say "the sqlite3 shell, the same figures from the detail rows, $runs runs"
s_shell=$(median sqlite3 "$db" ".read $tmp/shell.sql")
cp "$tmp/median.out" "$tmp/shell.txt"

# The report's figures under the shell's keys, then the comparison.
CMPOUT=$tmp/cmp
export CMPOUT
jq -r '.figures | to_entries[] | "\(.key) \(.value.value // "none") \(.value.n // "none")"' \
    "$tmp/report.json" >"$tmp/report.txt"
awk -v alpha=0.02 '
NR == FNR { v[$1] = $2; n[$1] = $3; next }
{
	key = $1; sv = $2 + 0; sn = $3 + 0; checked++
	if (!(key in v) || v[key] == "none") { printf "%s: %s in the shell, missing in the report\n", key, $2; bad++; next }
	rv = v[key] + 0
	if (n[key] + 0 != sn) { printf "%s: n %s in the report, %s in the shell\n", key, n[key], sn; bad++ }
	if (key ~ /\.(median|p90)$/) {
		d = rv - sv; if (d < 0) d = -d
		if (d > alpha * sv + 1e-9) { printf "%s: %s in the report, %s exact: beyond %g %%\n", key, rv, sv, 100 * alpha; bad++ }
		else { dd = sv > 0 ? 100 * d / sv : 0; if (dd > worst) worst = dd }
	} else if (key ~ /\.(count|n|answered|on_time|late|max)$/) {
		if (rv != sv) { printf "%s: %s in the report, %s in the shell\n", key, rv, sv; bad++ }
	} else {
		d = rv - sv; if (d < 0) d = -d
		if (d > 0.00005 + 1e-9 * (sv < 0 ? -sv : sv)) { printf "%s: %s in the report, %s in the shell\n", key, rv, sv; bad++ }
	}
}
END {
	printf "checked %d worst %.3f bad %d\n", checked, worst, bad > "/dev/stderr"
	printf "%d %.2f %d\n", checked, worst, bad > ENVIRON["CMPOUT"]
	exit bad > 0
}' "$tmp/report.txt" "$tmp/shell.txt" >"$tmp/diff" 2>/dev/null &&
    cmp_ok=1 || cmp_ok=0
if [ "$cmp_ok" -eq 0 ]; then
	cat "$tmp/diff" >&2
	die "the report and the shell disagree"
fi
read -r nfig worst _ <"$tmp/cmp"

fig() { awk -v k="$1" '$1 == k { print $2 }' "$tmp/report.txt"; }
ratio=$(awk -v a="$s_shell" -v b="$s_report" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
ms_report=$(awk -v a="$s_report" 'BEGIN { printf "%.0f", a * 1000 }')
load_end=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
ncpu=$(nproc 2>/dev/null || echo 1)
sqlite_v=$(sqlite3 --version | cut -d' ' -f1)
jq_v=$(jq --version 2>/dev/null | sed 's/^jq-//')
aim=$(awk -v a="$s_report" 'BEGIN { print (a < 0.2 ? "under" : "over") }')

printf '\n%-52s %10s\n' "" "seconds"
printf '%-52s %10s\n' "demo generate, $size + $size ($rate rows/s)" "$s_demo"
printf '%-52s %10s\n' "otklik report --period $period (median of $runs)" "$s_report"
printf '%-52s %10s\n' "sqlite3 shell, the same figures (median of $runs)" "$s_shell"
printf '\nshell / report %s; %s figures agree (percentiles within %s %%)\n\n' \
    "$ratio" "$nfig" "$worst"

[ "$out" != - ] || exit 0
{
	cat <<EOF
<!-- bench/report.sh: begin -->
## The half-year report

The full half-year report (\`otklik report --period $period --format
json\`, read from the rollups) over $size messages and $size survey
answers, against the \`sqlite3\` shell computing the same figures by
\`GROUP BY\` over the detail rows in the same run. Measured by
[bench/report.sh](../bench/report.sh) on $started, commit $commit; do not
edit by hand, run it again.

| | seconds |
|---|---:|
| \`otklik report --period $period --format json\` (median of $runs) | $s_report |
| the sqlite3 shell, the same figures from the detail rows (median of $runs) | $s_shell |

- The report takes **$ms_report ms**, $aim the issue's aim of 0.2 s;
  the shell takes **$ratio times** as long.
- Both agree on all $nfig figures compared: contacts per channel and in
  all ($(fig contacts.total.count) in the half-year), messages answered,
  the mean and the maximum minutes to answer, on time
  ($(fig answer_time.total.on_time)) and late ($(fig answer_time.total.late)),
  complaints satisfied ($(fig complaints.satisfied.count)) and unsatisfied
  ($(fig complaints.unsatisfied.count)), per rating question n, share of
  4–5 and index (overall: $(fig satisfaction.overall.n) ratings, index
  $(fig satisfaction.overall.index)) — counts exactly, the rest to the
  report's 4 decimals; the median and the 90th percentile, read from the
  rollups' mergeable histograms, are within $worst % of the exact values
  (the bound stated in \`src/rollup.h\` is 2 %).
- The data: \`otklik demo generate --messages $size --answers $size
  --seed $seed\` over the twelve months up to the day of the run, for one
  organization with a registry of 1,000 touchpoints
  (\`bench/gen-registry.sh 1000\`): $arows answers to questions in all, a
  database of $dbsize MB. Generating took $s_gen s ($rate detail rows —
  messages and questionnaires — a second, each questionnaire with about
  nine answers), then rebuilding the rollups $s_roll s; $s_demo s in all.

**The machine**: $ncpu CPUs ($cpu), the database in \`${TMPDIR:-/tmp}\`;
load average $load_start at the start, $load_end at the end; SQLite
$sqlite_v, jq $jq_v (the comparison); \`otklik\` of a release build. Times
are wall-clock, the median of $runs runs, with the database's pages in
the page cache for both.

    BENCH_REPORT_SIZE=1000000 bench/report.sh build/otklik   # this section only
<!-- bench/report.sh: end -->
EOF
} >"$tmp/section.md"
. "$root/bench/section.sh"
bench_section report "$tmp/section.md" "$out"
say "wrote the section \"The half-year report\" of $out"

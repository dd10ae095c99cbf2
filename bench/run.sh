#!/bin/sh
# Measures the speed of 'otklik registry import' and 'registry export' as
# ratios against a reference run in the same go: the sqlite3 shell
# importing the same CSV (.import) and writing the same table out as CSV,
# with the pragmas otklik uses (WAL, synchronous=FULL).  Prints a table and
# writes docs/benchmarks.md.  'make bench' calls it; so can you:
#
#   bench/run.sh [OTKLIK]        default: build/otklik
#
# Environment: BENCH_N (entries of the main file, 10000), BENCH_SIZES
# (other sizes for the growth table, "2000 20000 40000"; "" for none), BENCH_RUNS
# (timed rounds, 10; sizes above BENCH_N get half, at least 3),
# BENCH_OUT (the report, docs/benchmarks.md), TMPDIR (where the scratch
# databases go; it should be on the disk a real installation would use,
# since every commit waits for fsync).  Uses hyperfine, installing the
# Debian package if it is missing; without it, or with BENCH_TIMER=loop, a
# loop over date +%s%N.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
otklik=${1:-build/otklik}
case $otklik in /*) ;; *) otklik=$(pwd)/$otklik ;; esac
n=${BENCH_N:-10000}
sizes=${BENCH_SIZES-2000 20000 40000}
runs=${BENCH_RUNS:-10}
out=${BENCH_OUT:-$root/docs/benchmarks.md}
seed=20240601

die() {
	printf 'bench: %s\n' "$*" >&2
	exit 1
}

say() { printf 'bench: %s\n' "$*" >&2; }

for v in "$n" "$runs"; do
	case $v in '' | *[!0-9]*) die "BENCH_N and BENCH_RUNS are numbers" ;; esac
done
if [ "$n" -lt 1 ] || [ "$runs" -lt 1 ]; then
	die "BENCH_N and BENCH_RUNS are at least 1"
fi
for s in $sizes; do
	case $s in *[!0-9]*) die "BENCH_SIZES: '$s' is not a number" ;; esac
	[ "$s" -ge 1 ] || die "BENCH_SIZES: sizes are at least 1"
done
[ -x "$otklik" ] || die "$otklik: no such program; build it first (make, or ninja -C build)"

# Debian packages this needs, installed the way scripts/deps.sh does.
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
command -v sqlite3 >/dev/null 2>&1 || apt_install sqlite3 ||
    die "the sqlite3 shell (Debian package sqlite3) is the reference and is missing"
have_hyperfine=0
if [ "${BENCH_TIMER:-}" != loop ]; then
	command -v hyperfine >/dev/null 2>&1 || apt_install hyperfine ||
	    say "no hyperfine: timing with a loop over date +%s%N instead"
	command -v hyperfine >/dev/null 2>&1 && have_hyperfine=1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/otklik-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
unset OTKLIK_DB OTKLIK_ORG OTKLIK_USER
raw=$tmp/raw		# name,reference,round,seconds,cpu seconds
: >"$raw"

# Quotes a word for sh -c.
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

tab=$(printf '\t')
# spec NAME REFERENCE PREPARE COMMAND: adds a command to the next group;
# REFERENCE is the name of the command it is compared with, "-" for a
# reference itself, and PREPARE runs untimed before every run ("true").
spec() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$tmp/spec"; }

# rounds N: runs every command of the group once per round, one after the
# other, N rounds after a warm-up round that is not counted.  Interleaving
# pairs each otklik run with a reference run made seconds apart, so load
# that comes and goes on a shared machine touches both alike.
rounds() {
	nr=$1 r=0
	say "timing $(cut -f1 "$tmp/spec" | tr '\n' ';' | sed 's/;$//; s/;/, /g') ($nr rounds)"
	while [ "$r" -le "$nr" ]; do
		if [ "$have_hyperfine" = 1 ]; then
			set -- --runs 1 --style basic --export-csv "$tmp/h.csv"
			while IFS=$tab read -r name _ prep cmd; do
				set -- "$@" -n "$name" --prepare "$prep"
			done <"$tmp/spec"
			while IFS=$tab read -r name _ prep cmd; do
				set -- "$@" "$cmd"
			done <"$tmp/spec"
			hyperfine "$@" >"$tmp/h.log" 2>&1 ||
			    { cat "$tmp/h.log" >&2; die "a command failed"; }
			# command,mean,stddev,median,user,system,min,max
			awk -F, 'NR > 1 { printf "%s,%s,%s\n", $1, $2, $5 + $6 }' \
			    "$tmp/h.csv" >"$tmp/round"
		else
			: >"$tmp/round"
			while IFS=$tab read -r name _ prep cmd; do
				sh -c "$prep" </dev/null
				t0=$(date +%s%N)
				sh -c "$cmd" </dev/null >/dev/null 2>&1 ||
				    die "$name failed: $cmd"
				t1=$(date +%s%N)
				echo "$name,$(((t1 - t0) / 1000))e-6," >>"$tmp/round"
			done <"$tmp/spec"
		fi
		[ "$r" -gt 0 ] && awk -F, -v r="$r" '
			NR == FNR { split($0, f, "\t"); ref[f[1]] = f[2]; next }
			{ printf "%s,%s,%s,%s,%s\n", $1, ref[$1], r, $2, $3 }' \
			    "$tmp/spec" "$tmp/round" >>"$raw"
		r=$((r + 1))
	done
	: >"$tmp/spec"
}
: >"$tmp/spec"

O=$(q "$otklik")
# A fresh database with one organization, copied before every import.
"$otklik" --db "$tmp/tmpl.db" init >/dev/null
"$otklik" --db "$tmp/tmpl.db" org add bench \
    --name 'Министерство экономического развития (тест)' \
    --tz Asia/Yekaterinburg --region RU-BA >/dev/null

# import_specs SIZE: the reference .import, otklik's import into a fresh
# database, and a re-import of the same file (nothing changes); tried once
# untimed first, since it must work and say what it did.
import_specs() {
	size=$1 f=$tmp/reg-$1.csv
	sh "$root/bench/gen-registry.sh" "$size" "$seed" >"$f"
	F=$(q "$f") W=$(q "$tmp/w.db") R=$(q "$tmp/ref.db") T=$(q "$tmp/tmpl.db")
	I=$(q "$tmp/imported-$size.db")

	cp "$tmp/tmpl.db" "$tmp/imported-$size.db"
	"$otklik" --db "$tmp/imported-$size.db" --org bench registry import \
	    "$f" >"$tmp/import.out" 2>&1 ||
	    { cat "$tmp/import.out" >&2; die "the import of $size entries fails"; }
	grep -q "$size entries; $size added, 0 changed, 0 excluded" \
	    "$tmp/import.out" ||
	    { cat "$tmp/import.out" >&2; die "unexpected import result"; }
	"$otklik" --db "$tmp/imported-$size.db" --org bench registry import \
	    "$f" >"$tmp/import.out" 2>&1
	grep -q "$size unchanged; the registry is already so" "$tmp/import.out" ||
	    { cat "$tmp/import.out" >&2; die "the re-import changed something"; }
	"$otklik" --db "$tmp/imported-$size.db" audit verify >/dev/null ||
	    die "the audit chain does not verify after the import"

	spec "sqlite3 .import $size" - "rm -f $R $R-wal $R-shm" \
	    "sqlite3 $R 'PRAGMA journal_mode=WAL;' 'PRAGMA synchronous=FULL;' '.mode csv' '.import $f t'"
	spec "otklik import $size" "sqlite3 .import $size" \
	    "rm -f $W $W-wal $W-shm && cp $T $W" \
	    "$O --db $W --org bench registry import $F"
	spec "otklik re-import $size" "sqlite3 .import $size" true \
	    "$O --db $I --org bench registry import $F"
}

# export_specs SIZE: the table written out by the sqlite3 shell, and
# otklik's three formats, each tried once untimed first.
export_specs() {
	size=$1 f=$tmp/reg-$1.csv
	R=$(q "$tmp/ref-$size.db") I=$(q "$tmp/imported-$size.db")
	sqlite3 "$tmp/ref-$size.db" 'PRAGMA journal_mode=WAL;' \
	    'PRAGMA synchronous=FULL;' '.mode csv' ".import $f t" >/dev/null
	for fmt in csv html xlsx; do
		"$otklik" --db "$tmp/imported-$size.db" --org bench registry export \
		    --format $fmt -o "$tmp/out.$fmt" ||
		    die "the export as $fmt fails"
	done
	lines=$(grep -c '' "$tmp/out.csv")
	[ "$lines" -eq $((size + 2)) ] ||
	    die "the CSV export has $lines lines, expected $((size + 2))"
	csv_bytes=$(wc -c <"$tmp/out.csv")
	html_bytes=$(wc -c <"$tmp/out.html")
	xlsx_bytes=$(wc -c <"$tmp/out.xlsx")
	spec "sqlite3 .output csv $size" - true \
	    "sqlite3 $R '.mode csv' '.output $tmp/ref-out.csv' 'select * from t'"
	for fmt in csv html xlsx; do
		spec "otklik export $fmt $size" "sqlite3 .output csv $size" true \
		    "$O --db $I --org bench registry export --format $fmt -o $(q "$tmp/out.$fmt")"
	done
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
# The source the measured binary was presumably built from.
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')
[ -n "$(git -C "$root" status --porcelain -- src 2>/dev/null)" ] &&
    commit="$commit with uncommitted changes in src/"
started=$(date -u '+%Y-%m-%d %H:%M UTC')
import_specs "$n"
export_specs "$n"
rounds "$runs"
file_bytes=$(wc -c <"$tmp/reg-$n.csv")
file_areas=$(awk -F, 'NR > 2 && $2 != "" { a++ } END { print a + 0 }' "$tmp/reg-$n.csv")
file_procs=$(awk -F, 'NR > 2 && $3 != "" { p++ } END { print p + 0 }' "$tmp/reg-$n.csv")
for s in $sizes; do
	[ "$s" -eq "$n" ] && continue
	r=$runs
	if [ "$s" -gt "$n" ]; then
		r=$((runs / 2))
		[ "$r" -ge 3 ] || r=3
	fi
	import_specs "$s"
	rounds "$r"
done

# Per command: the median, fastest and slowest run, the median CPU time,
# and the median of its per-round ratios to its reference.
results=$tmp/results	# name,median,min,max,cpu,ratio,cpu ratio,rounds
sort -t, -k1,1 -k4,4g "$raw" | awk -F, '
	function median(a, k,    i, j, x) {
		for (i = 2; i <= k; i++)	# few values: insertion sort
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				x = a[j]; a[j] = a[j - 1]; a[j - 1] = x
			}
		return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
	}
	{
		if (!($1 in cnt))
			names[++nn] = $1
		k = ++cnt[$1]
		t[$1, k] = $4; c[$1, k] = $5; ref[$1] = $2; rd[$1, k] = $3
		byround[$1, $3] = $4; cpuround[$1, $3] = $5
	}
	END {
		for (i = 1; i <= nn; i++) {
			m = names[i]; k = cnt[m]
			split("", a); split("", b); split("", u); split("", v)
			nu = nv = 0
			for (j = 1; j <= k; j++) {
				a[j] = t[m, j]
				b[j] = c[m, j]
				r = rd[m, j]
				if (ref[m] != "-" && byround[ref[m], r] > 0)
					u[++nu] = t[m, j] / byround[ref[m], r]
				if (ref[m] != "-" && cpuround[ref[m], r] > 0 &&
				    c[m, j] != "")
					v[++nv] = c[m, j] / cpuround[ref[m], r]
			}
			printf "%s,%s,%s,%s,%s,%s,%s,%d\n", m, median(a, k), t[m, 1],
			    t[m, k], c[m, 1] == "" ? "" : median(b, k),
			    nu ? median(u, nu) : "", nv ? median(v, nv) : "", k
		}
	}' >"$results"
load_end=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
busy=$(echo "$load_start $load_end" | awk -v c="$(nproc 2>/dev/null || echo 1)" '
	$1 > c / 2 || $4 > c / 2 {
		printf "\nOther work was running on the machine (see the load " \
		    "average below),\nso single times are noisy; the ratios, " \
		    "paired within each round, less so."
	}')

# The machine.
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
[ -n "$cpu" ] || cpu=$(uname -m)
ncpu=$(nproc 2>/dev/null || echo '?')
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
debian=$(cat /etc/debian_version 2>/dev/null || echo 'not Debian')
kernel=$(uname -sr)
sqlite_v=$(sqlite3 --version | cut -d' ' -f1)
fs=$(df -PT "$tmp" 2>/dev/null | awk 'NR == 2 { print $2 }')
if [ "$have_hyperfine" = 1 ]; then
	timer="hyperfine $(hyperfine --version | cut -d' ' -f2), one run of each command per call"
else
	timer="a shell loop over date +%s%N (no CPU times)"
fi

# Every number below comes from $results, through one awk program.
report() {
	awk -F, -v what="$1" -v n="$n" -v sizes="$sizes" \
	    -v csvb="${csv_bytes:-0}" -v htmlb="${html_bytes:-0}" \
	    -v xlsxb="${xlsx_bytes:-0}" '
	function t(s) {
		if (s == "")
			return "—"
		if (s >= 10)
			return sprintf("%.1f s", s)
		if (s >= 1)
			return sprintf("%.2f s", s)
		if (s >= 0.01)
			return sprintf("%.0f ms", s * 1000)
		return sprintf("%.1f ms", s * 1000)
	}
	function x(v) { return v != "" ? sprintf("%.1f×", v) : "—" }
	function num(v,    s, r) {
		s = sprintf("%d", v)
		r = ""
		while (length(s) > 3) {
			r = "," substr(s, length(s) - 2) r
			s = substr(s, 1, length(s) - 3)
		}
		return s r
	}
	# CPU time where the timer gave it (it depends less on the load).
	function pick(name) { return cpu[name] != "" ? cpu[name] : med[name] }
	function mb(b) { return b >= 1e6 ? sprintf("%.1f MB", b / 1e6) : sprintf("%.0f kB", b / 1e3) }
	{
		med[$1] = $2; lo[$1] = $3; hi[$1] = $4; cpu[$1] = $5
		rt[$1] = $6; rc[$1] = $7; nr[$1] = $8
	}
	function row(label, name, ref, what_ref) {
		if (!(name in med))
			return
		if (what == "md")
			printf "| %s | %s | %s – %s | %s | %s | %s |\n", label,
			    t(med[name]), t(lo[name]), t(hi[name]), t(cpu[name]),
			    ref == "" ? "reference" : x(rt[name]),
			    ref == "" ? "reference" : x(rc[name])
		else {
			gsub(/`/, "", label)
			printf "%-44s %9s %9s %9s %9s %7s %7s\n", label,
			    t(med[name]), t(lo[name]), t(hi[name]), t(cpu[name]),
			    ref == "" ? "ref" : x(rt[name]),
			    ref == "" ? "ref" : x(rc[name])
		}
	}
	END {
		ri = "sqlite3 .import " n
		ro = "sqlite3 .output csv " n
		if (what == "md") {
			print "| operation | median | spread (min – max) | CPU (user + system) | otklik / reference, time | otklik / reference, CPU |"
			print "|---|--:|--:|--:|--:|--:|"
		} else
			printf "%-44s %9s %9s %9s %9s %7s %7s\n", "operation (" n " entries)",
			    "median", "min", "max", "CPU", "ratio", "CPU r."
		row("sqlite3 shell: `.import` of the CSV", ri, "")
		row("`otklik registry import` (fresh)", "otklik import " n, ri)
		row("`otklik registry import` (again, no changes)", "otklik re-import " n, ri)
		row("sqlite3 shell: table out as CSV", ro, "")
		row("`otklik registry export --format csv`", "otklik export csv " n, ro)
		row("`otklik registry export --format html`", "otklik export html " n, ro)
		row("`otklik registry export --format xlsx`", "otklik export xlsx " n, ro)
		if (what != "md") {
			print ""
			printf "%-12s %12s %14s %7s %16s %7s\n", "entries", ".import",
			    "otklik import", "ratio", "otklik re-import", "ratio"
		} else {
			print ""
			print "GROWTH"
		}
		split(n " " sizes, s, " ")
		cnt = 0
		for (i in s)
			if (!(s[i] in seen)) {
				seen[s[i]] = 1
				z[++cnt] = s[i] + 0
			}
		for (i = 1; i <= cnt; i++)	# a few sizes: insertion sort
			for (j = i; j > 1 && z[j - 1] > z[j]; j--) {
				k = z[j]; z[j] = z[j - 1]; z[j - 1] = k
			}
		for (i = 1; i <= cnt; i++) {
			a = "sqlite3 .import " z[i]
			b = "otklik import " z[i]
			c = "otklik re-import " z[i]
			if (!(b in med))
				continue
			if (what == "md")
				printf "| %s | %s | %s | %s | %s | %s | %s |\n",
				    num(z[i]), t(med[a]), t(med[b]), x(rt[b]),
				    t(med[c]), x(rt[c]),
				    t(pick(b) / z[i] * 1000)
			else
				printf "%-12s %12s %14s %7s %16s %7s\n", num(z[i]),
				    t(med[a]), t(med[b]), x(rt[b]), t(med[c]), x(rt[c])
			last = z[i]
			# The size nearest to the registry of a region, for the prose.
			d = z[i] > 2000 ? z[i] - 2000 : 2000 - z[i]
			if (small == "" || d < bestd) {
				small = z[i]
				bestd = d
			}
		}
		if (what == "md") {
			# Figures the prose quotes, as NAME=VALUE lines.
			print "FIGURES"
			printf "ratio_import=%s\n", x(rt["otklik import " n])
			printf "ratio_cpu=%s\n", x(rc["otklik import " n])
			printf "t_import=%s\n", t(med["otklik import " n])
			printf "t_reimport=%s\n", t(med["otklik re-import " n])
			printf "t_ref=%s\n", t(med[ri])
			if (small != "") {
				printf "small=%s\n", num(small)
				printf "t_small=%s\n", t(med["otklik import " small])
				printf "t_small_re=%s\n", t(med["otklik re-import " small])
			}
			printf "csv=%s\nhtml=%s\nxlsx=%s\n", mb(csvb), mb(htmlb), mb(xlsxb)
			if (last > n && ("otklik import " last) in med) {
				printf "big=%s\n", num(last)
				printf "grow_size=%.1f\n", last / n
				printf "grow_import=%.1f\n", pick("otklik import " last) / pick("otklik import " n)
				printf "grow_re=%.1f\n", pick("otklik re-import " last) / pick("otklik re-import " n)
				printf "grow_ref=%.1f\n", pick("sqlite3 .import " last) / pick(ri)
				printf "grow_basis=%s\n", cpu[ri] != "" ? "CPU time" : "time"
			}
		}
	}' "$results"
}

echo
report text
report md >"$tmp/md"
sed -n '1,/^GROWTH$/p' "$tmp/md" | sed '$d' >"$tmp/main.md"
sed -n '/^GROWTH$/,/^FIGURES$/p' "$tmp/md" | sed '1d;$d' >"$tmp/growth.md"
sed -n '/^FIGURES$/,$p' "$tmp/md" | sed '1d' >"$tmp/figures"
fig() { sed -n "s/^$1=//p" "$tmp/figures"; }
nfmt=$(printf '%s\n' "$n" | awk '{ s = $1; r = ""; while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) } print s r }')

# Rewraps the paragraphs and list items of the report at 76 columns
# (what the shell substituted into them made their lines uneven); headings,
# tables and indented code stay as they are.
reflow() {
	awk '
	# Spaces that must not break a line: inside `code` and between a
	# number and its unit become \001 until the line is printed.
	function glue(s,    out, i, ch, inside) {
		out = ""
		for (i = 1; i <= length(s); i++) {
			ch = substr(s, i, 1)
			if (ch == "`")
				inside = !inside
			if (ch == " " && inside)
				ch = "\001"
			out = out ch
		}
		while (match(out, /[0-9] (ms|s|kB|MB|GiB)([^A-Za-z]|$)/))
			out = substr(out, 1, RSTART) "\001" substr(out, RSTART + 2)
		return out
	}
	function emit(s) {
		gsub(/\001/, " ", s)
		print s
	}
	function flush(    words, k, i, line, ind) {
		if (para == "")
			return
		k = split(glue(para), words, " ")
		line = ""
		ind = lead
		for (i = 1; i <= k; i++) {
			if (line != "" && length(ind line " " words[i]) > 76) {
				emit(ind line)
				line = ""
				ind = cont
			}
			line = line == "" ? words[i] : line " " words[i]
		}
		if (line != "")
			emit(ind line)
		para = ""
	}
	/^$/ || /^#/ || /^\|/ || /^    / {
		flush()
		print
		next
	}
	/^- / {
		flush()
		lead = "- "; cont = "  "
		para = substr($0, 3)
		next
	}
	{
		if (para == "") {
			lead = ""; cont = ""
			para = $0
		} else
			para = para " " $0
	}
	END { flush() }'
}

{
	cat <<EOF
# Benchmarks

How fast the registry is imported and exported, measured by \`make bench\`
([bench/run.sh](../bench/run.sh)) as ratios against a reference run in the
same go: the \`sqlite3\` shell doing the bare minimum with the same file and
the same storage settings. Ratios, not seconds, are what to compare between
machines and between releases.$busy Written by the script on $started; do
not edit by hand, run it again.

## What was measured

- **The file**: a synthetic registry in the official CSV form, made by
  [bench/gen-registry.sh](../bench/gen-registry.sh) (\`bench/gen-registry.sh
  $n $seed\`, deterministic): $nfmt touchpoints in $file_areas areas and
  $file_procs processes, $(awk -v b="$file_bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }'),
  touchpoints named as real ones are (e-mail, phone, personal reception,
  site, EDMS, the Unified portal, feedback platform, MFC, post, social
  networks…), with area and process cells left empty where they repeat the
  row above, as merged cells print. The file passes every check with no
  error.
- **Import**: \`otklik registry import FILE\` into a fresh database with one
  organization, copied before every run: reading the CSV, the checks of the
  order (R-REG-3), matching against the current registry, one new version,
  a revision, an included change and a hash-chained audit entry per
  touchpoint, all in one transaction. Its reference is
  \`sqlite3 DB 'PRAGMA journal_mode=WAL;' 'PRAGMA synchronous=FULL;' '.mode csv' '.import FILE t'\`
  into a fresh database: the same bytes into one table, with the pragmas
  otklik opens its database with.
- **Re-import**: the same file imported again into the database that holds
  it: everything is read, checked and matched, nothing changes, nothing is
  written. Same reference.
- **Export**: \`otklik registry export --format csv|html|xlsx -o FILE\` of
  that registry (CSV $(fig csv), HTML $(fig html), XLSX $(fig xlsx)): loading
  the version, ordering it and writing the official form, with merged cells
  in HTML and XLSX. Its reference is
  \`sqlite3 DB '.mode csv' '.output FILE' 'select * from t'\` on the table of
  the reference import.
- **Method**: $timer. The commands of one size run one after the other in
  a round, the reference first; $runs rounds at $nfmt entries (fewer at the
  larger sizes), after a warm-up round that is not counted. Shown: the
  median, and the spread from the fastest to the slowest run. "Time" is
  wall-clock, which includes waiting for the disk (each commit is fsynced);
  "CPU" is user plus system time, which a busy machine disturbs less. The
  ratio is the median of the per-round ratios of Otklik's run to the
  reference run made seconds before it, so that load that comes and goes
  touches both alike.

## The machine

| | |
|---|---|
| CPU | $cpu, $ncpu logical CPUs (nproc) |
| memory | $mem |
| system | Debian $debian, $kernel |
| SQLite | $sqlite_v (the sqlite3 shell and libsqlite3 otklik links) |
| scratch files | ${fs:-?} file system (TMPDIR) |
| load average | $load_start at the start, $load_end at the end |
| otklik | commit $commit, \`$(basename "$otklik")\` of a release build |

## Results: $nfmt touchpoints

EOF
	cat "$tmp/main.md"
	cat <<EOF

## How it grows with the size of the registry

The same generator at other sizes; import, re-import and the reference only.

| touchpoints | \`.import\` | otklik import | ratio | otklik re-import | ratio | import, CPU per 1,000 touchpoints |
|--:|--:|--:|--:|--:|--:|--:|
EOF
	cat "$tmp/growth.md"
	if [ -n "$(fig big)" ]; then
		cat <<EOF

From $nfmt to $(fig big) touchpoints ($(fig grow_size) times as many), in
$(fig grow_basis), the reference takes $(fig grow_ref) times as long, Otklik's
import $(fig grow_import) times and its re-import $(fig grow_re) times.
$(awk -v s="$(fig grow_size)" \
    -v a="$(fig grow_import)" -v b="$(fig grow_re)" 'BEGIN {
	if (a > 1.25 * s || b > 1.25 * s)
		print "Otklik grows faster than the registry: part of its work " \
		    "is quadratic in the number of touchpoints, and shows at " \
		    "these sizes."
	else
		print "Otklik grows in proportion to the registry."
    }')
EOF
	fi
	cat <<EOF

## What the numbers mean

An import in Otklik costs about $(fig ratio_import) the time of a bare
\`.import\` of the same file ($(fig ratio_cpu) in CPU time), because it does what
a table load does not: it reads every row of the official form with its
merged cells, recognizes the channel, kind and needs of each touchpoint,
runs the checks of the order and refuses the whole file if one fails,
matches every entry with the current registry, and writes for each change a
revision, an included change with its trigger and an audit entry whose hash
chains it to the one before, all in one transaction that is either applied
whole or not at all. Here $nfmt touchpoints took $(fig t_import) against
$(fig t_ref) for the reference, and checking the same file again took
$(fig t_reimport). With few touchpoints both sides are mostly fixed costs
(starting the program, creating the database, waiting for the disk), so
the ratios are smaller there.
EOF
	if [ -n "$(fig small)" ]; then
		cat <<EOF

A real registry is much smaller: all the bodies of a region hold about 2,000
touchpoints, and importing $(fig small) took $(fig t_small) (re-importing
$(fig t_small_re)), for an operation a registry officer does when an order is
approved, a few times a year.
EOF
	fi
	cat <<EOF

## Reproducing

    make bench                       # builds the release build, runs bench/run.sh and bench/web.sh
    bench/run.sh build-bench/otklik  # any build; writes this file
    BENCH_RUNS=20 BENCH_SIZES="1000 2000 5000 20000" bench/run.sh build/otklik

\`BENCH_N\` sets the size of the main file (10000), \`BENCH_RUNS\` the rounds
(10), \`BENCH_SIZES\` the other sizes ("2000 20000 40000"), \`BENCH_OUT\` where this
report goes, \`TMPDIR\` where the scratch databases are made (put it on the
disk a real installation would use: commits wait for it). Everything the
script creates lives in one temporary directory it removes at the end.
EOF
} | reflow >"$tmp/report.md"
# The sections of the other scripts (bench/web.sh, bench/ingest.sh …),
# each between its markers, stay as they were, before "## Reproducing".
if [ -f "$out" ] && grep -q '^<!-- bench/[a-z-]*\.sh: begin -->$' "$out"; then
	awk '/^<!-- bench\/[a-z-]*\.sh: begin -->$/ { keep = 1 }
	keep { print }
	/^<!-- bench\/[a-z-]*\.sh: end -->$/ { keep = 0; print "" }' \
	    "$out" >"$tmp/others.md"
	awk -v sec="$tmp/others.md" '
	/^## Reproducing$/ {
		while ((getline l < sec) > 0)
			print l
	}
	{ print }' "$tmp/report.md" >"$tmp/report2.md"
	mv "$tmp/report2.md" "$tmp/report.md"
fi
cat "$tmp/report.md" >"$out"
say "wrote $out"

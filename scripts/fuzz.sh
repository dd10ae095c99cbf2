#!/bin/sh
# Runs every libFuzzer target of build-fuzz for a while, each from its seed
# corpus fuzz/corpus/NAME (and dictionary fuzz/NAME.dict if there is one);
# exits non-zero if any target crashes, leaks or hangs.  CI calls it.
#   scripts/fuzz.sh [SECONDS]      default 30 per target
#   BUILD=dir scripts/fuzz.sh      another fuzz build directory
# Set up the build once with:
#   CC=clang meson setup build-fuzz -Dfuzz=true -Db_lundef=false
# New inputs found go to $BUILD/fuzz/work/NAME, never into the source tree;
# a crashing input is kept as $BUILD/fuzz/artifacts/NAME-crash-* and
# becomes a unit test once fixed.
set -eu

secs=${1:-30}
case $secs in
''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 64 ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build-fuzz}

if [ ! -f "$build/build.ninja" ]; then
	echo "fuzz: no fuzz build in $build; make one with:" >&2
	echo "  CC=clang meson setup $build -Dfuzz=true -Db_lundef=false" >&2
	exit 66
fi
ninja -C "$build" >/dev/null

failed=
ran=0
for exe in "$build"/fuzz/fuzz-*; do
	[ -f "$exe" ] && [ -x "$exe" ] || continue
	name=${exe##*/fuzz-}
	work=$build/fuzz/work/$name
	art=$build/fuzz/artifacts
	mkdir -p "$work" "$art"
	set -- -max_total_time="$secs" -timeout=25 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$art/$name-"
	[ -f "$root/fuzz/$name.dict" ] && set -- "$@" -dict="$root/fuzz/$name.dict"
	set -- "$@" "$work"
	[ -d "$root/fuzz/corpus/$name" ] && set -- "$@" "$root/fuzz/corpus/$name"
	echo "fuzz: $name for ${secs}s"
	if "$exe" "$@" >"$build/fuzz/$name.log" 2>&1; then
		grep -E '^stat::number_of_executed_units' \
		    "$build/fuzz/$name.log" | sed "s/^/fuzz: $name: /" || :
	else
		echo "fuzz: $name FAILED; the end of $build/fuzz/$name.log:" >&2
		tail -n 40 "$build/fuzz/$name.log" >&2
		failed="$failed $name"
	fi
	ran=$((ran + 1))
done

if [ "$ran" -eq 0 ]; then
	echo "fuzz: no targets in $build/fuzz" >&2
	exit 66
fi
if [ -n "$failed" ]; then
	echo "fuzz: crashed:$failed" >&2
	exit 1
fi
echo "fuzz: $ran targets, no crash"

#!/bin/sh
# Converts the production calendars published in the xmlcalendar format
# (XMLDIR/ru/<year>/calendar.xml, XMLDIR/ru-ta/<year>/calendar.xml) into
# the project's own text files data/calendar/ru.cal and ru-ta.cal, which
# are built into the binary (see the header this script writes into each
# file for the format).  Re-running it on the same input gives the same
# output, byte for byte.
#
#   scripts/calendar-convert.sh XMLDIR [OUTDIR]
#
# OUTDIR defaults to data/calendar of this tree.  A regional file keeps
# only what the region adds to the federal calendar: the days it lists as
# off or shortened where the federal calendar has a working (or a full
# working) day.  A region cannot make a federal day off a working day, so
# where a regional file says so, the federal day stands and a note goes to
# standard error; so does every federal exception the regional file omits.
# The reader is line-based and forgiving of broken attribute quoting (the
# ru-ta files have 't="1""'), but anything it cannot read with certainty
# (a date, a kind, a year) stops the conversion with the file and line.
set -eu

usage() {
	echo "usage: $0 XMLDIR [OUTDIR]" >&2
	exit 64
}

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	usage
fi
src=$1
here=$(cd "$(dirname "$0")/.." && pwd)
out=${2:-$here/data/calendar}
[ -d "$src/ru" ] || { echo "$0: $src/ru: no such directory" >&2; exit 66; }
[ -d "$out" ] || { echo "$0: $out: no such directory" >&2; exit 66; }

export LC_ALL=C

# The years of a region: the names of its numbered subfolders, in order.
years() {
	for d in "$1"/*/; do
		y=$(basename "$d")
		case $y in
		[12][0-9][0-9][0-9]) [ -f "$d/calendar.xml" ] && echo "$y" ;;
		esac
	done
}

# Reads calendar files and prints one line per listed day:
#	YYYY-MM-DD KIND NOTE
# The region and year come from the path (REGION/YEAR/calendar.xml) and
# the year must agree with the <calendar year="…"> of the file.
# shellcheck disable=SC2016
read_days='
function fail(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	bad = 1
	exit 65
}
function attr(s, name,    m) {
	if (match(s, "[ \t]" name "=\"[^\"]*\"") == 0)
		return ""
	m = substr(s, RSTART + length(name) + 3, RLENGTH - length(name) - 4)
	return m
}
function has(s, name) {
	return match(s, "[ \t]" name "=") != 0
}
function unxml(s) {
	gsub(/&quot;/, "\"", s)
	gsub(/&apos;/, "'\''", s)
	gsub(/&lt;/, "<", s)
	gsub(/&gt;/, ">", s)
	gsub(/&amp;/, "\\&", s)
	gsub(/[ \t]+/, " ", s)
	sub(/^ /, "", s)
	sub(/ $/, "", s)
	return s
}
function leap(y) {
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}
function mdays(y, m) {
	if (m == 2)
		return leap(y) ? 29 : 28
	return (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31
}
function valid_md(y, s,    m, d) {
	if (s !~ /^[01][0-9]\.[0-3][0-9]$/)
		return 0
	m = substr(s, 1, 2) + 0
	d = substr(s, 4, 2) + 0
	return m >= 1 && m <= 12 && d >= 1 && d <= mdays(y, m)
}
FNR == 1 {
	n = split(FILENAME, p, "/")
	year = p[n - 1]
	seen_year = 0
	delete title
}
{ sub(/\r$/, "") }
/<calendar[ \t>]/ {
	y = attr($0, "year")
	if (y != year)
		fail("<calendar year=\"" y "\"> in the folder of " year)
	seen_year = 1
}
/<holiday[ \t]/ {
	id = attr($0, "id")
	if (id !~ /^[1-9][0-9]*$/)
		fail("<holiday> without a numeric id")
	title[id] = unxml(attr($0, "title"))
}
/<day[ \t]/ {
	if (!seen_year)
		fail("<day> before <calendar year=…>")
	d = attr($0, "d")
	t = attr($0, "t")
	h = attr($0, "h")
	f = attr($0, "f")
	if (!valid_md(year, d))
		fail("d=\"" d "\" is not a day of " year " (MM.DD)")
	if (t == "1")
		kind = "off"
	else if (t == "2")
		kind = "short"
	else if (t == "3")
		kind = "work"
	else
		fail("t=\"" t "\" for " d ": expected 1, 2 or 3")
	note = ""
	if (has($0, "h")) {
		if (!(h in title))
			fail("h=\"" h "\" for " d ": no <holiday id=\"" h "\">")
		note = title[h]
	}
	if (has($0, "f")) {
		if (!valid_md(year, f))
			fail("f=\"" f "\" for " d ": not a day of " year)
		note = note (note != "" ? "; " : "") "перенос с " \
		    substr(f, 4, 2) "." substr(f, 1, 2)
	}
	key = year "-" substr(d, 1, 2) "-" substr(d, 4, 2)
	if (key in done)
		fail(d " is listed twice")
	done[key] = 1
	print key, kind (note != "" ? " " note : "")
}
END {
	if (!bad && NR == 0)
		exit 66
}
'

# Keeps the days of a region (REGION file) that are less of a working day
# than in the federal calendar (FEDERAL file), both as read_days prints
# them; Saturday and Sunday are off unless listed.
# shellcheck disable=SC2016
overlay='
function weekday(y, m, d,    a, yy, mm) {
	# 1 = Monday ... 7 = Sunday (Zeller-like arithmetic on March years).
	a = (m <= 2)
	yy = y - a
	mm = m + 12 * a - 2
	return (d + yy + int(yy / 4) - int(yy / 100) + int(yy / 400) + \
	    int(31 * mm / 12) + 6) % 7 + 1
}
function plain(key,    w) {
	w = weekday(substr(key, 1, 4) + 0, substr(key, 6, 2) + 0,
	    substr(key, 9, 2) + 0)
	return w >= 6 ? "off" : "work"
}
BEGIN { rank["work"] = 0; rank["short"] = 1; rank["off"] = 2 }
FILENAME == fedfile {
	fed[$1] = $2
	next
}
{
	key = $1
	theirs = (key in fed) ? fed[key] : plain(key)
	listed[key] = 1
	if (rank[$2] > rank[theirs])
		print
	else if (rank[$2] < rank[theirs])
		printf "note: %s %s: the regional file says %s, the federal " \
		    "calendar %s; the federal day stands\n", region, key, $2, \
		    theirs > "/dev/stderr"
}
END {
	for (key in fed)
		if (!(key in listed) && substr(key, 1, 4) in years &&
		    fed[key] != plain(key))
			printf "note: %s %s: the regional file omits the " \
			    "federal %s; the federal day stands\n", region, \
			    key, fed[key] > "/dev/stderr"
}
'

header() {
	cat <<EOF
# Working-day calendar: $2.
# Generated by scripts/calendar-convert.sh from the xmlcalendar files
# $1/<year>/calendar.xml; edit those and re-run the script, not this file.
#
# The format, one fact per line (UTF-8; blank lines and lines starting
# with "#" are ignored; fields are separated by one space):
#
#   region CODE              whose calendar this is: "ru" is the federal
#                            calendar, any other code ("ru-ta") an
#                            overlay on it; the first fact of the file
#   year YYYY                the calendar of that year is known; all year
#                            lines come before the days
#   YYYY-MM-DD KIND [NOTE]   a day that is not what its weekday says, in
#                            ascending order, of a year named above; KIND
#                            is "off" (a day off), "short" (a working day
#                            one hour shorter, Labour Code art. 95, also
#                            on a Saturday) or "work" (a full working day
#                            on a Saturday or Sunday); NOTE, the rest of
#                            the line, says why (holiday, transfer)
#
# A day not listed in a known year is a working day from Monday to Friday
# and a day off on Saturday and Sunday.  For a federal year, listed days
# may also repeat what the weekday says (a holiday on a Sunday).  In an
# overlay, a listed day replaces the federal one; the overlay lists only
# the days the region adds (its own holidays and the shortened days before
# them), and a year line with no days means the region adds nothing then.
EOF
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/calconv.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The federal calendar.
fyears=$(years "$src/ru")
[ -n "$fyears" ] || { echo "$0: $src/ru: no <year>/calendar.xml" >&2; exit 66; }
for y in $fyears; do
	awk "$read_days" "$src/ru/$y/calendar.xml" >>"$tmp/ru.days"
done
{
	header ru "federal (Russian Federation)"
	echo
	echo "region ru"
	for y in $fyears; do echo "year $y"; done
	sort -s -k1,1 "$tmp/ru.days"
} >"$tmp/ru.cal"

# Regional overlays: every other folder of XMLDIR.
for rdir in "$src"/*/; do
	region=$(basename "$rdir")
	[ "$region" = ru ] && continue
	case $region in
	ru-[a-z][a-z] | ru-[a-z][a-z][a-z]) ;;
	*) echo "$0: $rdir: not a region code (ru-xx), skipped" >&2; continue ;;
	esac
	ryears=$(years "$rdir")
	[ -n "$ryears" ] || continue
	: >"$tmp/$region.days"
	for y in $ryears; do
		case " $(echo "$fyears" | tr '\n' ' ') " in
		*" $y "*) ;;
		*)
			echo "$0: $region $y: no federal calendar of $y to" \
			    "lay it over" >&2
			exit 65
			;;
		esac
		awk "$read_days" "$rdir/$y/calendar.xml" >"$tmp/r.days"
		grep "^$y-" "$tmp/ru.days" >"$tmp/f.days" || :
		awk -v fedfile="$tmp/f.days" -v region="$region" \
		    -v ylist="$y" 'BEGIN { split(ylist, a, " ");
			for (i in a) years[a[i]] = 1 }'"$overlay" \
		    "$tmp/f.days" "$tmp/r.days" >>"$tmp/$region.days"
	done
	{
		header "$region" "overlay of the region $region"
		echo
		echo "region $region"
		for y in $ryears; do echo "year $y"; done
		sort -s -k1,1 "$tmp/$region.days"
	} >"$tmp/$region.cal"
done

for f in "$tmp"/*.cal; do
	cp "$f" "$out/$(basename "$f")"
	echo "$out/$(basename "$f"): $(grep -c '^[0-9]' "$f") days," \
	    "$(grep -c '^year ' "$f") years"
done

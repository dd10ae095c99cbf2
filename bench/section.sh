# Sourced by the bench/*.sh scripts: puts a script's section into the
# report, between its markers "<!-- bench/NAME.sh: begin -->" and
# "<!-- bench/NAME.sh: end -->": in place of the section of an earlier
# run, else before "## Reproducing", else at the end.
#
#   bench_section NAME SECTION_FILE REPORT
bench_section() {
	begin="<!-- bench/$1.sh: begin -->" end="<!-- bench/$1.sh: end -->"
	if [ -f "$3" ]; then
		new=$(mktemp "${TMPDIR:-/tmp}/otklik-report.XXXXXX")
		has=$(grep -c -x -F "$begin" "$3" || :)
		awk -v sec="$2" -v has="$has" -v begin="$begin" -v end="$end" '
		function section(    l) {
			while ((getline l < sec) > 0)
				print l
			close(sec)
			done = 1
		}
		$0 == begin { skip = 1; section(); next }
		skip { if ($0 == end) skip = 0; next }
		/^## Reproducing$/ && !done && !has { section(); print "" }
		{ print }
		END { if (!done) { print ""; section() } }' "$3" >"$new" &&
		    cat "$new" >"$3"
		rm -f "$new"
	else
		cp "$2" "$3"
	fi
}

#!/bin/sh
# Bulk import of messages (R-FB-10): the canonical CSV, every rejected row
# listed and nothing written, idempotence, the platform's export through
# a mapping, XLSX (written by feedback export), a large CSV read in parts
# with the file's own line numbers, and the audit entry of each import.
. "$SRCDIR/tests/lib.sh"
export OTKLIK_NOW=2024-10-22T10:00:00Z
MAP="$SRCDIR/data/import-maps/pos.map"

otk init >/dev/null
otk org add moh --name 'Минздрав Республики Башкортостан' --tz Europe/Moscow \
    --region RU-BA >/dev/null
otk topic add 'Запись на приём' >/dev/null
otk topic add --reason 'Очередь' >/dev/null

# Titles the dictionary lacks reject their rows (a typo would otherwise
# become a topic), and then nothing is written.
expect_exit 65 otk feedback import "$FIX/feedback-canonical.csv"
expect_grep 'feedback-canonical.csv: row 3, column «topic»: no topic «Льготы» in the dictionary' "$T/err"
expect_grep 'feedback-canonical.csv: row 9, column «reason»: no reason «Грубость персонала»' "$T/err"
expect_grep 'read 8, new 6, already there 0, rejected 2; nothing was written$' "$T/out"
expect_exit 0 otk feedback list
[ -s "$T/out" ] && fail "a rejected import wrote messages"
ok
expect_exit 0 otk topic list
expect_no_grep 'Льготы' "$T/out"

# --dry-run counts and writes nothing.
expect_exit 0 otk feedback import --dry-run --create-topics "$FIX/feedback-canonical.csv"
expect_grep '^dry run: .*read 8, new 8, already there 0, rejected 0; nothing was written$' "$T/out"
expect_exit 0 otk feedback list
[ -s "$T/out" ] && fail "a dry run wrote messages"
ok

expect_exit 0 otk feedback import --create-topics "$FIX/feedback-canonical.csv"
expect_grep 'read 8, imported 8, already there 0, rejected 0$' "$T/out"
expect_exit 0 otk topic list
expect_grep 'topic	Льготы' "$T/out"
expect_exit 0 otk topic list --reason
expect_grep 'reason	Грубость персонала' "$T/out"

# The state follows the times: closed with the outcome, answered,
# acknowledged, registered; transfers and the wait are kept.
expect_exit 0 otk feedback list --state closed
[ "$(wc -l <"$T/out")" -eq 2 ] || fail "expected 2 closed messages"
ok
expect_exit 0 otk feedback show 1
expect_grep '^state +closed$' "$T/out"
expect_grep '^outcome +satisfied$' "$T/out"
expect_grep '^external_id +POS-1001$' "$T/out"
expect_grep '^received +01\.10\.2024 09:30$' "$T/out"
expect_grep '^registered +01\.10\.2024 09:30$' "$T/out"
expect_grep '^01\.10\.2024 12:00	.*	acknowledged	registered	acknowledged	import$' "$T/out"
expect_grep '^05\.10\.2024 10:00	.*	closed	answered	closed	import$' "$T/out"
expect_grep '^topic +[0-9]+ Запись на приём$' "$T/out"
expect_exit 0 otk feedback show 2
expect_grep '^state +answered$' "$T/out"
expect_exit 0 otk feedback show 3
expect_grep '^state +acknowledged$' "$T/out"
# A local time without an offset is the organization's (Moscow) time;
# a line break inside a quoted cell stays in the text.
expect_exit 0 otk feedback show 4
expect_grep '^state +registered$' "$T/out"
expect_grep '^received +01\.10\.2024 10:00$' "$T/out"
expect_grep '^transfers +3$' "$T/out"
expect_grep '^переключали между отделами$' "$T/out"
expect_exit 0 otk feedback show 5
expect_grep '^client +internal$' "$T/out"
expect_grep '^wait.* 20' "$T/out"
expect_exit 0 otk feedback show 7
expect_grep '^outcome +unsatisfied$' "$T/out"

# The same file again adds nothing.
expect_exit 0 otk feedback import "$FIX/feedback-canonical.csv"
expect_grep 'read 8, imported 0, already there 8, rejected 0$' "$T/out"
[ "$(otk feedback list --limit 100 | wc -l)" -eq 8 ] || fail "a second import added messages"
ok

# Every rejected row with its column and reason; the good row is not
# stored either.
expect_exit 65 otk feedback import "$FIX/feedback-bad.csv"
expect_grep 'row 2, column «kind»: «complain» is not a kind; one of appeal, complaint' "$T/err"
expect_grep 'row 3, column «received_at»: «2024-13-01» is not a time' "$T/err"
expect_grep 'row 4, column «channel»: «teleport» is not a channel code' "$T/err"
expect_grep 'row 4, column «client_type»: «alien»: external, internal' "$T/err"
expect_grep 'row 4, column «form»: «nope» is not a form' "$T/err"
expect_grep 'row 4, column «touchpoint»: no touchpoint 77' "$T/err"
expect_grep 'row 4, column «topic»: no topic «Нет такой темы»' "$T/err"
expect_grep 'row 4, column «text»: empty' "$T/err"
expect_grep 'row 4, column «outcome»: «maybe»: satisfied, unsatisfied or empty' "$T/err"
expect_grep 'row 4, column «transfers»: «-1» is not a count' "$T/err"
expect_grep 'row 4, column «wait_minutes»: «x» is not a number of minutes' "$T/err"
expect_grep 'row 5, column «acknowledged_at»: before the message was received' "$T/err"
expect_grep 'row 6, column «external_id»: empty' "$T/err"
expect_grep 'row 6, column «outcome»: an outcome needs the time of the answer' "$T/err"
expect_grep 'row 7, column «answered_at»: in the future' "$T/err"
expect_no_grep 'row 8' "$T/err"
expect_grep 'read 7, new 1, already there 0, rejected 6; nothing was written$' "$T/out"
expect_exit 0 otk feedback list --limit 100 --q 'Правильная'
[ -s "$T/out" ] && fail "a file with rejected rows was partly imported"
ok

# The header must be the canonical one, or mapped.
printf 'external_id,received_at,channel,kind,txet\nA,2024-10-01,email,appeal,x\n' >"$T/typo.csv"
expect_exit 65 otk feedback import "$T/typo.csv"
expect_grep 'row 1, column E: «txet» is not a column of the canonical format' "$T/err"
printf 'external_id,received_at,channel,kind\nA,2024-10-01,email,appeal\n' >"$T/short.csv"
expect_exit 65 otk feedback import "$T/short.csv"
expect_grep 'row 1: the column text is missing' "$T/err"
printf 'kind = Вид\nkindd: Жалоба = complaint\n' >"$T/bad.map"
expect_exit 65 otk feedback import --map "$T/bad.map" "$T/short.csv"
expect_grep 'bad.map, line 2: «kindd» is not a column' "$T/err"
expect_exit 64 otk feedback import --source nowhere "$T/short.csv"
expect_grep 'source «nowhere»: one of direct, pos' "$T/err"

# The platform's export: Russian titles, ';', a BOM, local times, its
# own words for kinds and outcomes, columns of its own left out.
expect_exit 0 otk feedback import --map "$MAP" "$FIX/feedback-pos.csv"
expect_grep 'read 5, imported 5, already there 0, rejected 0$' "$T/out"
expect_exit 0 otk feedback show 9
expect_grep '^kind +complaint$' "$T/out"
expect_grep '^source +pos$' "$T/out"
expect_grep '^channel +pos$' "$T/out"
expect_grep '^state +closed$' "$T/out"
expect_grep '^outcome +satisfied$' "$T/out"
expect_grep '^received +14\.10\.2024 09:12$' "$T/out"
expect_exit 0 otk feedback show 12
expect_grep '^outcome +unsatisfied$' "$T/out"
expect_grep 'отказал в записи; "мест нет"' "$T/out"
expect_exit 0 otk feedback show 11
expect_grep '^kind +proposal$' "$T/out"
expect_grep '^state +registered$' "$T/out"
expect_exit 0 otk feedback import --map "$MAP" "$FIX/feedback-pos.csv"
expect_grep 'imported 0, already there 5' "$T/out"
# The same external ids from another source are other messages.
expect_exit 0 otk feedback import --map "$MAP" --source epgu --dry-run "$FIX/feedback-pos.csv"
expect_grep 'new 5, already there 0' "$T/out"

# XLSX: the export read back into a second organization, twice.
otk org add gkk --name 'Госкомитет' --tz Asia/Yekaterinburg >/dev/null
expect_exit 0 otk --org moh feedback export --format xlsx -o "$T/all.xlsx"
expect_exit 0 otk --org gkk feedback import --create-topics "$T/all.xlsx"
expect_grep 'read 13, imported 13, already there 0, rejected 0$' "$T/out"
expect_exit 0 otk --org gkk feedback import "$T/all.xlsx"
expect_grep 'read 13, imported 0, already there 13' "$T/out"

# A CSV read in parts (OTKLIK_IMPORT_PART lowers the part's size): a
# cell with line breaks crosses a part's end, and a rejected row far on
# is named by its line in the whole file.
{
	echo 'external_id,received_at,channel,kind,client_type,form,touchpoint,topic,reason,text,acknowledged_at,answered_at,outcome,transfers,wait_minutes'
	i=1
	while [ $i -le 40 ]; do
		if [ $i -eq 5 ]; then
			printf 'L-%d,2024-10-02T10:00:00Z,email,appeal,,,,,,"one\ntwo\n""three""",,,,,\n' $i
		elif [ $i -eq 30 ]; then
			printf 'L-%d,2024-10-02T10:00:00Z,emial,appeal,,,,,,text %d,,,,,\n' $i $i
		else
			printf 'L-%d,2024-10-02T10:00:00Z,email,appeal,,,,,,text %d,,,,,\n' $i $i
		fi
		i=$((i + 1))
	done
} >"$T/parts.csv"
export OTKLIK_IMPORT_PART=3
expect_exit 65 otk --org gkk feedback import "$T/parts.csv"
expect_grep 'parts.csv: row 33, column «channel»: «emial»' "$T/err"
expect_grep 'read 40, new 39, already there 0, rejected 1' "$T/out"
sed 's/emial/email/' "$T/parts.csv" >"$T/parts-ok.csv"
expect_exit 0 otk --org gkk feedback import "$T/parts-ok.csv"
expect_grep 'read 40, imported 40' "$T/out"
expect_exit 0 otk --org gkk feedback list --limit 100 --q three
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "the multi-line cell did not come through whole"
ok
# The same in one part gives the same result.
unset OTKLIK_IMPORT_PART
expect_exit 0 otk --org gkk feedback import "$T/parts-ok.csv"
expect_grep 'read 40, imported 0, already there 40' "$T/out"

# Each import that wrote is in the audit log with its counts; the chain
# holds.
expect_exit 0 otk audit list
expect_grep 'feedback\.import	import:.*feedback-canonical\.csv	.*"already":0,.*"imported":8,"read":8,"source":"direct","topics_added":2' "$T/out"
expect_grep 'feedback\.import	import:.*feedback-pos\.csv	.*"imported":5,"read":5,"source":"pos"' "$T/out"
expect_grep 'feedback\.topic\.add	fb_topic:' "$T/out"
expect_exit 0 otk audit verify
done_testing

#!/bin/sh
# Import → export → import gives the same registry, through the official
# CSV, the extended CSV and XLSX.
. "$SRCDIR/tests/lib.sh"

otk init >/dev/null
for o in oa ob oc od; do otk org add "$o" --name "Орг $o" >/dev/null; done
otk --org oa registry import --client internal "$FIX/registry-001.csv" >/dev/null
# Something the official form cannot say, to see the extended form keep it.
tp=$(otk --org oa registry list | awk -F'\t' 'NR == 3 {print $1}')
id=$(otk --org oa registry draft change "$tp" --key 0 --low-demand 1 --phone '+7 347 000' --basis directive --basis-ref 'Поручение от 01.02.2024 N 5' --unit 'Отдел кадров')
otk --org oa registry submit "$id" >/dev/null
otk --org oa registry include "$id" >/dev/null

# Lists without the ids, which differ between organizations.
strip() { cut -f2- ; }

# The official CSV: the six columns survive.
expect_exit 0 otk --org oa registry export --format csv -o "$T/a.csv"
expect_exit 0 otk --org ob registry import --client internal "$T/a.csv"
otk --org ob registry export --format csv -o "$T/b.csv"
expect_same "$T/a.csv" "$T/b.csv"

# The extended CSV: everything survives.
expect_exit 0 otk --org oa registry export --format csv --extended -o "$T/a-ext.csv"
expect_exit 0 otk --org oc registry import "$T/a-ext.csv"
otk --org oc registry export --format csv --extended -o "$T/c-ext.csv"
expect_same "$T/a-ext.csv" "$T/c-ext.csv"
otk --org oa registry list | strip >"$T/la"
otk --org oc registry list | strip >"$T/lc"
expect_same "$T/la" "$T/lc"

# XLSX with merged cells, read back.
expect_exit 0 otk --org oa registry export --format xlsx --extended -o "$T/a.xlsx"
expect_exit 0 otk --org od registry import "$T/a.xlsx"
otk --org od registry export --format csv --extended -o "$T/d-ext.csv"
expect_same "$T/a-ext.csv" "$T/d-ext.csv"

# Importing the export into the same organization changes nothing.
expect_exit 0 otk --org oa registry import "$T/a-ext.csv"
expect_grep '0 added, 0 changed, 0 excluded, 21 unchanged' "$T/out"
done_testing

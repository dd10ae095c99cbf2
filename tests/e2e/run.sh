#!/bin/sh
# Runs the browser tests (node --test) with the binary under test; the
# packages come from "scripts/deps.sh test" (npm ci in tests/e2e).
set -eu
: "${OTKLIK:?}" "${SRCDIR:?}"
cd "$SRCDIR/tests/e2e"
[ -d node_modules/playwright-core ] || { echo "run scripts/deps.sh test first" >&2; exit 1; }
exec node --test --test-concurrency=1 ./*.test.mjs

#!/bin/sh
# Lints docs/openapi.yaml with Redocly's CLI under the rules of
# docs/redocly.yaml.  The CLI is installed with npm, once, into a cache
# outside the tree ($OTKLIK_NPM_CACHE, default ~/.cache/otklik-npm), at a
# pinned version that the installed Node.js can run.  Exit status: that
# of "redocly lint" (non-zero on any finding), or 2 if the CLI cannot be
# installed.
set -eu

cd "$(dirname "$0")/.."
prefix=${OTKLIK_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/otklik-npm}

command -v node >/dev/null && command -v npm >/dev/null || {
	echo "lint-openapi: node and npm are needed (apt-get install nodejs npm)" >&2
	exit 2
}

# Redocly CLI 2.x needs Node.js 20.19 or 22.12 and later; Debian 12's
# Node.js 18 runs the last 1.x.
node_ver=$(node -p 'process.versions.node')
major=${node_ver%%.*}
rest=${node_ver#*.}
minor=${rest%%.*}
if [ "$major" -ge 23 ] || { [ "$major" -eq 22 ] && [ "$minor" -ge 12 ]; } ||
    { [ "$major" -eq 20 ] && [ "$minor" -ge 19 ]; }; then
	want=${REDOCLY_VERSION:-2.77.0}
else
	want=${REDOCLY_VERSION:-1.34.20}
fi

bin="$prefix/node_modules/.bin/redocly"
have=
[ -x "$bin" ] && have=$(node -p "require('$prefix/node_modules/@redocly/cli/package.json').version" 2>/dev/null || true)
if [ "$have" != "$want" ]; then
	echo "lint-openapi: installing @redocly/cli@$want into $prefix" >&2
	mkdir -p "$prefix"
	npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error \
	    "@redocly/cli@$want" >&2 || {
		echo "lint-openapi: cannot install @redocly/cli@$want" >&2
		exit 2
	}
fi

# No telemetry, no update check: CI must not phone home or wait on it.
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
    exec "$bin" lint --config docs/redocly.yaml --format=stylish docs/openapi.yaml

#!/bin/sh
# Installs the Debian packages that Otklik needs and that are missing.
# Idempotent: prints what it installs, and nothing when all is there.
#   scripts/deps.sh         what building and running needs
#   scripts/deps.sh test    also what the tests need
set -eu

build="meson ninja-build pkg-config gcc libsqlite3-dev libsodium-dev
libjansson-dev libxlsxwriter-dev libcsv-dev libzip-dev libxml2-dev
libutf8proc-dev libmicrohttpd-dev tzdata
libstemmer-dev libqrencode-dev libpng-dev"
test_pkgs="libcmocka-dev clang libclang-rt-14-dev sqlite3 unzip curl
chromium"

want=$build
if [ "${1:-}" = test ]; then
	want="$build $test_pkgs"
	# Commands that may come from elsewhere than Debian's packages.
	command -v node >/dev/null || want="$want nodejs"
	command -v npm >/dev/null || want="$want npm"
	command -v java >/dev/null || want="$want default-jre-headless"
fi

cd "$(dirname "$0")/.."
missing=
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	sudo=
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	# shellcheck disable=SC2086
	$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
	echo "deps: done"
fi

# The browser tests' packages, pinned by tests/e2e/package-lock.json.
if [ "${1:-}" = test ] && [ ! -d tests/e2e/node_modules/playwright-core ]; then
	echo "deps: npm ci in tests/e2e"
	(cd tests/e2e && npm ci --no-audit --no-fund --silent)
fi
exit 0

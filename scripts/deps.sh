#!/bin/sh
# Installs the Debian packages that Otklik needs and that are missing.
# Idempotent: prints what it installs, and nothing when all is there.
#   scripts/deps.sh         what building and running needs
#   scripts/deps.sh test    also what the tests need
set -eu

build="meson ninja-build pkg-config gcc libsqlite3-dev libsodium-dev
libjansson-dev libxlsxwriter-dev libcsv-dev libzip-dev libxml2-dev
libutf8proc-dev libmicrohttpd-dev tzdata"
test_pkgs="libcmocka-dev clang libclang-rt-14-dev sqlite3 unzip curl"

want=$build
[ "${1:-}" = test ] && want="$build $test_pkgs"

missing=
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing"
sudo=
[ "$(id -u)" -ne 0 ] && sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: done"

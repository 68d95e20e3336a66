#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests. Playwright's own browser download needs
# internet access that CI does not have, so the tests drive /usr/bin/chromium instead.
set -euo pipefail
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing chromium with apt-get (needed by the browser tests)..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null

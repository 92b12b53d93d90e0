#!/usr/bin/env bash
# Takes the screenshots in docs/screenshots/ (scripts/screenshots.py) on a virtual X screen, on
# Qt's xcb plugin: installs Xvfb, optipng and the libraries the xcb plugin needs (found by ldd:
# scripts/qt_libraries.py) on Debian/Ubuntu when missing (as root).
# Extra arguments go to the Python script: bash scripts/screenshots.sh --out /tmp/shots
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || bash scripts/setup.sh
.venv/bin/python scripts/qt_libraries.py install

# The tools: the X server (xvfb-run needs xauth); optipng keeps the files small.
missing=""
for tool in Xvfb:xvfb xauth:xauth optipng:optipng; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || missing="$missing ${tool#*:}"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    else
        echo "screenshots: missing tools; run: sudo apt-get install$missing" >&2
        exit 1
    fi
fi

export QT_QPA_PLATFORM=xcb
exec xvfb-run --auto-servernum -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots.py "$@"

#!/usr/bin/env bash
# Takes the screenshots in docs/screenshots/ (scripts/screenshots.py) on a virtual X screen:
# installs Xvfb, Qt's xcb libraries and optipng on Debian/Ubuntu when missing (as root).
# Extra arguments go to the Python script: bash scripts/screenshots.sh --out /tmp/shots
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || bash scripts/setup.sh

# Qt's xcb plugin needs these (DEVELOPERS.md, "Looking at the app"); optipng keeps the files small.
packages="xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
    libxcb-xkb1 libxkbcommon-x11-0 libxcb-shape0 libxcb-randr0 optipng"
missing=""
for package in $packages; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $package"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    else
        echo "screenshots: missing packages; run: sudo apt-get install$missing" >&2
        exit 1
    fi
fi

export QT_QPA_PLATFORM=xcb
exec xvfb-run --auto-servernum -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots.py "$@"

#!/usr/bin/env bash
# Sets up a development copy on a fresh machine: Python 3.11 virtual environment with the pinned
# packages, and (Debian/Ubuntu, as root) the system libraries Qt needs; with `--tests` also the
# tools only the tests use (zbar, poppler, PostgreSQL's server binaries, Xvfb, xdotool, xwd).
# Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

python=""
for candidate in "${PYTHON:-}" python3.11 python3; do
    if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 &&
        "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
        python=$candidate
        break
    fi
done
if [ -z "$python" ]; then
    echo "setup: Feltkonsulent needs Python 3.11 (set PYTHON=/path/to/python3.11)" >&2
    exit 1
fi

if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"

# The system libraries Qt needs, offscreen and on a display (X11, and Xvfb): found by ldd of
# PySide6's modules and platform plugins (scripts/qt_libraries.py), installed where we may (root
# with apt), else the `sudo apt-get install` line is printed. Nothing to do: no apt at all.
.venv/bin/python scripts/qt_libraries.py install

# What only the tests need (`setup.sh --tests`, as scripts/test.sh runs it): starting the app
# installs none of it.
if [ "${1:-}" != "--tests" ]; then
    exit 0
fi

# The agreement tests read the QR code back (zbarimg on a page rendered by pdftoppm); without
# these tools that one test is skipped. Installed where we may (root with apt), else mentioned.
if ! command -v zbarimg >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zbar-tools poppler-utils >/dev/null
    else
        echo "setup: for the QR code test: sudo apt-get install zbar-tools poppler-utils" >&2
    fi
fi

# The sync server's tests run on PostgreSQL too, in a throw-away cluster the tests make and stop
# (tests/sync/pg_cluster.py): only the server binaries are needed. Installed where we may (root
# with apt) without starting Debian's own service (policy-rc.d 101: "not now"), else mentioned.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        policy=""
        if [ ! -e /usr/sbin/policy-rc.d ]; then
            policy=/usr/sbin/policy-rc.d
            printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy"
        fi
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        if [ -n "$policy" ]; then rm -f "$policy"; fi
    else
        echo "setup: for the sync server's PostgreSQL tests: sudo apt-get install postgresql" >&2
    fi
fi

# The real window is opened once under Xvfb on xcb (tests/packaging/test_real_display.py): the
# X server, xdotool to find and close the window, xwd (x11-apps) for the screenshot. Installed
# where we may (root with apt), else mentioned; without them that test is skipped.
if ! command -v Xvfb >/dev/null 2>&1 || ! command -v xdotool >/dev/null 2>&1 ||
    ! command -v xwd >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xvfb xauth xdotool x11-apps >/dev/null
    else
        echo "setup: for the test on a real display: sudo apt-get install xvfb xauth xdotool x11-apps" >&2
    fi
fi

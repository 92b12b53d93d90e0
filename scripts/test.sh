#!/usr/bin/env bash
# Sets everything up, then runs every check CI runs: lint, types, layer contracts, tests.
# Extra arguments go to pytest (e.g. `bash scripts/test.sh -k transfer`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests
# Every UI test runs offscreen, where Qt needs none of the xcb libraries; a user's display needs
# them all. Fail here, naming the library, when ldd of Qt's xcb plugin still misses one.
.venv/bin/python scripts/qt_libraries.py check
export QT_QPA_PLATFORM=offscreen
# Where setup.sh can install PostgreSQL and Xvfb (root with apt, as CI), their tests must not be
# skipped: the sync tests on PostgreSQL, the real window on xcb (tests/packaging/test_real_display.py).
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    export FELTKONSULENT_REQUIRE_POSTGRES=1
    export FELTKONSULENT_REQUIRE_XVFB=1
fi
.venv/bin/ruff check src tests bench packaging scripts
.venv/bin/mypy
.venv/bin/lint-imports --no-cache
# The bundle (packaging/): built here, started by tests/packaging/test_bundle.py; about 45 s.
# Left out of a focused run (arguments for pytest) and when FELTKONSULENT_NO_BUNDLE=1.
if [ $# -eq 0 ] && [ -z "${FELTKONSULENT_NO_BUNDLE:-}" ]; then
    bash packaging/build.sh --no-compile --no-smoke
    export FELTKONSULENT_BUNDLE=$PWD/dist/feltkonsulent
fi
.venv/bin/pytest "$@"

#!/usr/bin/env bash
# Starts a built bundle and checks it works: `bash packaging/smoke.sh [dist/feltkonsulent]`.
# The checks are tests/packaging/test_bundle.py (demo, export, the window offscreen, contents);
# they run with the development venv's pytest (bash scripts/setup.sh makes it).
set -euo pipefail
cd "$(dirname "$0")/.."
bundle=$(cd "${1:-dist/feltkonsulent}" && pwd)
export QT_QPA_PLATFORM=offscreen
FELTKONSULENT_BUNDLE=$bundle exec .venv/bin/python -m pytest -p no:cacheprovider -q \
    tests/packaging/test_bundle.py

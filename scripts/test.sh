#!/usr/bin/env bash
# Sets everything up, then runs every check CI runs: lint, types, layer contracts, tests.
# Extra arguments go to pytest (e.g. `bash scripts/test.sh -k transfer`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check src tests bench
.venv/bin/mypy
.venv/bin/lint-imports --no-cache
.venv/bin/pytest "$@"

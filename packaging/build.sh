#!/usr/bin/env bash
# Builds the Feltkonsulent bundle (dist/feltkonsulent/) and starts it once to prove it works.
#
#   bash packaging/build.sh            # build venv (kept in build/venv), bundle, smoke test
#   bash packaging/build.sh --clean    # the same from nothing: new build venv, no caches
#   bash packaging/build.sh --no-smoke # bundle only (scripts that run the smoke test later)
#   bash packaging/build.sh --no-compile  # take the committed .mo files as they are (CI, where
#                                      # tests/test_i18n.py must see a stale one, not a fixed one)
#
# The build venv holds only the app with its pinned dependencies and a pinned PyInstaller, so
# nothing from the development tools can slip into the bundle. The smoke test
# (tests/packaging/test_bundle.py) runs with the development venv's pytest.
# Windows installer afterwards: makensis packaging/windows/feltkonsulent.nsi (see that file).
set -euo pipefail
cd "$(dirname "$0")/.."

PYINSTALLER_PIN="pyinstaller==6.22.3"
HOOKS_PIN="pyinstaller-hooks-contrib==2026.9"
venv=${FELTKONSULENT_BUILD_VENV:-build/venv}
clean=0
smoke=1
compile=1
for arg in "$@"; do
    case "$arg" in
        --clean) clean=1 ;;
        --no-smoke) smoke=0 ;;
        --no-compile) compile=0 ;;
        *) echo "usage: bash packaging/build.sh [--clean] [--no-smoke] [--no-compile]" >&2; exit 2 ;;
    esac
done

started=$(date +%s)
step() { echo "build: $* ($(($(date +%s) - started)) s)"; }

# The development venv: pybabel for the catalogues, pytest for the smoke test, Qt's system
# libraries (the bundle needs them at run time just as the venv does).
bash scripts/setup.sh

# PyInstaller reads Linux binaries with objdump and strips them (feltkonsulent.spec) with strip.
if [ "$(uname)" = Linux ] && ! { command -v objdump && command -v strip; } >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq binutils >/dev/null
    else
        echo "build: PyInstaller needs binutils; run: sudo apt-get install binutils" >&2
        exit 1
    fi
fi

python=""
for candidate in "${PYTHON:-}" python3.11 python3; do
    if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 &&
        "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
        python=$candidate
        break
    fi
done
if [ -z "$python" ]; then
    echo "build: Feltkonsulent needs Python 3.11 (set PYTHON=/path/to/python3.11)" >&2
    exit 1
fi

if [ "$clean" = 1 ]; then
    rm -rf "$venv" build/pyinstaller
fi
if [ ! -x "$venv/bin/python" ] && [ ! -x "$venv/Scripts/python.exe" ]; then
    step "making the build venv $venv"
    "$python" -m venv "$venv"
fi
bin=$venv/bin
[ -d "$venv/Scripts" ] && bin=$venv/Scripts

step "installing the app (pinned dependencies), $PYINSTALLER_PIN, $HOOKS_PIN"
"$bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
# setuptools keeps build/lib between builds and would ship a module deleted from src/.
rm -rf build/lib build/bdist.*
# A folder is always rebuilt and reinstalled, even with an unchanged version number.
"$bin/python" -m pip install --quiet --disable-pip-version-check \
    "$PYINSTALLER_PIN" "$HOOKS_PIN" .

if [ "$compile" = 1 ]; then
    step "compiling the catalogues"
    bash scripts/i18n.sh compile
fi

step "running PyInstaller"
pyinstaller_args=(--noconfirm --distpath dist --workpath build/pyinstaller --log-level WARN)
[ "$clean" = 1 ] && pyinstaller_args+=(--clean)
"$bin/python" -m PyInstaller "${pyinstaller_args[@]}" packaging/feltkonsulent.spec

bundle=dist/feltkonsulent
step "built $bundle: $(du -sh "$bundle" | cut -f1), $(find "$bundle" -type f | wc -l) files"

if [ "$smoke" = 1 ]; then
    step "smoke test"
    bash packaging/smoke.sh "$bundle"
fi
step "done"

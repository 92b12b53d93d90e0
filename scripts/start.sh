#!/usr/bin/env bash
# Sets everything up and starts Feltkonsulent on a demo database (local, encrypted SQLite).
# Without a display (a server, CI) it says so, with how to start it on a virtual screen (Xvfb),
# and shows the demo data through the command line instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
demo_db=${FELTKONSULENT_DEMO_DB:-$PWD/demo/feltkonsulent-demo.db}
# The demo database's password (a real installation keeps a random key in the OS keyring).
export FELTKONSULENT_PASSPHRASE=${FELTKONSULENT_PASSPHRASE:-demo-adgangskode}
if [ ! -s "$demo_db" ]; then
    mkdir -p "$(dirname "$demo_db")"
    .venv/bin/feltkonsulent demo --db "$demo_db" --records 200
fi
if [ "$(uname)" = Darwin ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    exec .venv/bin/feltkonsulent --db "$demo_db"
fi
# Without a display Qt aborts with a hint about xcb-cursor that has nothing to do with it: say
# what is wrong in plain words instead (the libraries are there: setup.sh checked them with ldd).
on_a_virtual_screen="  On a machine without a screen, start it on a virtual one:
    apt-get install xvfb        (as root)
    Xvfb :99 -nolisten tcp -screen 0 1400x900x24 &
    DISPLAY=:99 bash scripts/start.sh
  and look at it with a screenshot: DISPLAY=:99 xwd -root -silent > screen.xwd (x11-apps),
  or connect with ssh -X from a machine with a display."
if [ -n "${DISPLAY:-}" ]; then
    if .venv/bin/python scripts/qt_libraries.py display; then
        exec .venv/bin/feltkonsulent --db "$demo_db"
    fi
    echo "The app cannot open its window: the display DISPLAY=$DISPLAY does not answer" >&2
    echo "(no X server there, or no permission to use it)." >&2
    echo "$on_a_virtual_screen" >&2
    exit 1
fi
echo "No display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window cannot open."
echo "$on_a_virtual_screen"
echo
echo "Meanwhile, the demo database through the command line:"
.venv/bin/feltkonsulent export --db "$demo_db" --format csv -o "$(dirname "$demo_db")/export.csv"
.venv/bin/python - "$demo_db" "$(dirname "$demo_db")/export.csv" <<'PY'
import csv, sys
from collections import Counter
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
print(f"Demo database: {sys.argv[1]}")
for entity, n in Counter(r["entity"] for r in rows).items():
    print(f"  {entity:22} {n:6}")
print(f"Every record as CSV: {sys.argv[2]}")
PY
# The rules' findings into a file first: `rules | head` would end the command with a broken pipe.
rules="$(dirname "$demo_db")/rules.txt"
.venv/bin/feltkonsulent rules --db "$demo_db" >"$rules"
echo "The rules' findings ($(wc -l <"$rules") lines, every one in $rules), the first ten:"
head -n 10 "$rules"

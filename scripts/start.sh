#!/usr/bin/env bash
# Sets everything up and starts Feltkonsulent on a demo database (local, encrypted SQLite).
# Without a display (a server, CI) it shows the demo data through the command line instead.
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
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || [ "$(uname)" = Darwin ]; then
    exec .venv/bin/feltkonsulent --db "$demo_db"
fi
echo "No display: showing the demo database through the command line."
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
.venv/bin/feltkonsulent rules --db "$demo_db" | head -n 10

"""Starting the app where there is no display says so in one plain line (Qt itself aborts with
a hint about xcb-cursor0, which is not what is missing)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_no_display_is_said_plainly_and_nothing_is_made(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    database = tmp_path / "feltkonsulent.db"
    command = [str(Path(sys.executable).with_name("feltkonsulent")), "--db", str(database)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith("feltkonsulent: there is no display to open the window on")
    assert "xvfb-run feltkonsulent" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not database.exists()

"""Starting the app: where there is no display it says so in one plain line (Qt itself aborts
with a hint about xcb-cursor0, which is not what is missing); where there is one it makes its
folder owner-only and sweeps the temporary files a killed process left."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from feltkonsulent.services import paths, temporary


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


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_app_makes_its_folder_owner_only_and_sweeps_what_a_killed_export_left(
        tmp_path: Path, own_data_dir: Path) -> None:
    """The window opened on a database in a folder that does not exist yet, offscreen, for half
    a second: the folder is made 0700, the database 0600, and a temporary file that the journal
    names (as a SIGKILLed export leaves it) is gone; the user's own files stay."""
    exports = tmp_path / "exports"
    exports.mkdir()
    token = "f" * 32
    left = exports / temporary.temporary_name("export", token)
    left.write_text("full CPR numbers")
    mine = exports / "mine.json"
    mine.write_text("{}")
    journal = paths.temporary_journal()
    journal.mkdir(parents=True)
    (journal / f"{token}.entry").write_text(str(left))
    database = tmp_path / "new" / "folder" / "feltkonsulent.db"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FELTKONSULENT_QUIT_AFTER_MS": "500",
           "FELTKONSULENT_PASSPHRASE": "Sommerfugl-Vejle-42",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "HOME": str(tmp_path)}
    old = os.umask(0o022)
    try:
        done = subprocess.run([str(Path(sys.executable).with_name("feltkonsulent")), "--db",
                               str(database)], env=env, capture_output=True, text=True,
                              timeout=120)
    finally:
        os.umask(old)
    assert done.returncode == 0, done.stderr
    assert not left.exists() and mine.read_text() == "{}"
    assert list(journal.iterdir()) == []
    for folder in (database.parent, database.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(database.stat().st_mode) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="signals are POSIX")
def test_sigterm_closes_the_window_as_quitting_does(tmp_path: Path) -> None:
    """Logging out sends SIGTERM: the app leaves its event loop and closes the database (exit
    0, the write-ahead log folded in and removed) instead of dying where it stood."""
    import signal
    import time

    database = tmp_path / "feltkonsulent.db"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FELTKONSULENT_QUIT_AFTER_MS": "60000",
           "FELTKONSULENT_PASSPHRASE": "Sommerfugl-Vejle-42",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "HOME": str(tmp_path)}
    app = subprocess.Popen([str(Path(sys.executable).with_name("feltkonsulent")), "--db",
                            str(database)], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    wal = tmp_path / "feltkonsulent.db-wal"
    deadline = time.monotonic() + 60
    while not wal.exists():  # the database is open
        assert app.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(1.0)  # the window shown, the event loop running
    started = time.monotonic()
    app.send_signal(signal.SIGTERM)
    _out, err = app.communicate(timeout=30)
    assert app.returncode == 0, err
    assert time.monotonic() - started < 10
    assert not wal.exists()

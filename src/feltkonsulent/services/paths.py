"""Where the user's database lives by default (platformdirs), and where the app's resources are."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_NAME = "Feltkonsulent"


def data_dir() -> Path:
    """The app's own folder for the user (platformdirs): the default database, the journal of
    temporary files (services/temporary.py)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "feltkonsulent.db"


def temporary_journal() -> Path:
    """The folder of entries naming temporary files being written (exports, agreement PDFs)."""
    return data_dir() / "temporary-files"


def make_private_folder(path: Path) -> None:
    """`path` and any missing parents made, readable by the user only (0700) where the app makes
    them; a folder that exists is left as it is (the user may have shared it on purpose)."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    for folder in missing:  # mkdir's mode applies to the last folder only, and minus the umask
        folder.chmod(0o700)


def resources_dir() -> Path:
    """resources/ (icons, fonts): in the bundle (sys._MEIPASS) or at the top of a source checkout."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[3] / "resources"

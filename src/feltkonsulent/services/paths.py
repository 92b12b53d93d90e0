"""Where the user's database lives by default (platformdirs), and where the app's resources are."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_NAME = "Feltkonsulent"


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "feltkonsulent.db"


def resources_dir() -> Path:
    """resources/ (icons, fonts): in the bundle (sys._MEIPASS) or at the top of a source checkout."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[3] / "resources"

"""Where the user's database lives by default (platformdirs)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "Feltkonsulent"


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "feltkonsulent.db"

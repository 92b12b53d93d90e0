""""Gem som…": the file dialog that asks where a file goes, the same on every Linux desktop."""

from __future__ import annotations

import platform
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget


def dialog_options() -> QFileDialog.Option:
    """On Linux, Qt's own dialog: a fresh Debian may have no desktop portal for the native one
    (the call then returns at once with nothing chosen), and the same dialog everywhere can be
    driven by keyboard, xdotool and tests alike. Windows and macOS keep their own."""
    if platform.system() == "Linux":
        return QFileDialog.Option.DontUseNativeDialog
    return QFileDialog.Option(0)


def save_file_name(parent: QWidget, caption: str, suggested: str, filters: str) -> Path | None:
    """The file the user chose to save to, None when they cancelled. `suggested`: the name the
    dialog starts with, in the home folder."""
    start = str(Path.home() / suggested)
    chosen, _filter = QFileDialog.getSaveFileName(parent, caption, start, filters,
                                                  options=dialog_options())
    return Path(chosen) if chosen else None

"""Qt's own print and file dialogs answered as a consultant answers them: typed into, clicked."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

D = TypeVar("D", bound=QWidget)
WAIT_S = 10.0

# Typing a path into Qt's dialogs opens their file-name completer's popup, which the offscreen
# platform can neither raise nor give the keyboard to (it says so; on a display it does both).
completer_popup = pytest.mark.qt_log_ignore("This plugin does not support raise",
                                            "This plugin does not support grabbing the keyboard")


def when_shown(kind: type[D], answer: Callable[[D], None]) -> None:
    """Once a modal `kind` is up (looked for every 20 ms), `answer` it; a failed assertion in the
    answer closes the dialog, so the test fails instead of waiting for ever."""
    until = time.monotonic() + WAIT_S

    def look() -> None:
        modal = QApplication.activeModalWidget()
        if not isinstance(modal, kind):
            if time.monotonic() < until:
                QTimer.singleShot(20, look)
            return
        try:
            answer(modal)
        except BaseException:
            modal.close()
            raise

    QTimer.singleShot(0, look)


def print_to_file(qtbot: QtBot, target: Path, asked: list[str]) -> None:
    """The print dialog: "Print to File (PDF)" chosen, the file name typed, "Print" clicked."""

    def answer(dialog: QPrintDialog) -> None:
        asked.append(dialog.windowTitle())
        printers = dialog.findChild(QComboBox, "printers")
        assert printers is not None
        printers.setCurrentIndex(printers.findText("Print to File (PDF)"))
        name = dialog.findChild(QLineEdit, "filename")
        assert name is not None
        name.clear()
        qtbot.keyClicks(name, str(target))
        (ok,) = [b for b in dialog.findChildren(QPushButton) if b.text() == "&Print"]
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    when_shown(QPrintDialog, answer)


def save_to(qtbot: QtBot, target: Path, asked: list[str], suggested: str | None = None) -> None:
    """The save dialog (Qt's own, not the desktop's): the path typed over the name it suggests,
    Enter."""

    def answer(dialog: QFileDialog) -> None:
        asked.append(dialog.windowTitle())
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        assert name is not None
        if suggested is not None:
            assert name.text() == suggested
        qtbot.waitUntil(name.hasFocus)  # the dialog has become the active window
        name.selectAll()
        qtbot.keyClicks(name, str(target))
        qtbot.keyClick(name, Qt.Key.Key_Return)

    when_shown(QFileDialog, answer)

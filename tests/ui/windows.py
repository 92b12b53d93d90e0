"""The main window as a user has it in the tests: shown, active, its toolbar's buttons."""

from __future__ import annotations

from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui.main_window import MainWindow
from tests.ui.conftest import TODAY


def shown_window(qtbot: QtBot, ws: Workspace) -> MainWindow:
    """The main window on `ws` (its day: TODAY), shown and active, so keys reach it."""
    window = MainWindow(ws, today=lambda: TODAY)
    qtbot.addWidget(window)
    return activated(qtbot, window)


def activated(qtbot: QtBot, window: MainWindow) -> MainWindow:
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def toolbar_button(window: MainWindow, text: str) -> QToolButton:
    """The button the toolbar shows for the action called `text`."""
    (action,) = [a for a in window.toolbar.actions() if a.text() == text]
    button = window.toolbar.widgetForAction(action)
    assert isinstance(button, QToolButton) and button.isVisible(), text
    return button

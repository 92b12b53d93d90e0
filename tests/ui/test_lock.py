"""Locking after idle time: personal data hidden, nothing typed lost, and unlocking asks for the
password where the database has one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage.database import open_database
from feltkonsulent.storage.keys import Passphrase
from feltkonsulent.ui.dialogs import RecordDialog
from feltkonsulent.ui.main_window import MainWindow
from tests.conftest import FakeClock
from tests.ui.conftest import TODAY

PASSWORD = "rugbrød-og-kaffe"


@pytest.fixture
def with_passphrase(tmp_path: Path, clock: FakeClock) -> Iterator[Workspace]:
    store = open_database(tmp_path / "locked.db", Passphrase(PASSWORD), create=True, clock=clock,
                          actor="tester")
    ws = Workspace(store)
    yield ws
    ws.close()


def shown_window(qtbot: QtBot, ws: Workspace) -> MainWindow:
    window = MainWindow(ws, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_idle_time_locks_hides_open_dialogs_and_the_password_brings_them_back(
    qtbot: QtBot, with_passphrase: Workspace
) -> None:
    window = shown_window(qtbot, with_passphrase)
    window.navigation.setCurrentRow(window.COMPANIES)
    window.new_record()
    form = window.findChild(RecordDialog)
    assert form is not None and form.isVisible()
    name = form.form.editors["name"]
    assert isinstance(name, QLineEdit)
    qtbot.keyClicks(name, "Bageriet Ørsted ApS")

    window.idle.set_interval_ms(50)
    qtbot.waitUntil(lambda: window.locked)
    assert not form.isVisible() and not window.centre.isVisible() and not window.toolbar.isVisible()
    page = window.lock_page
    assert page.password.isVisible()

    qtbot.keyClicks(page.password, "forkert")
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    assert window.locked and page.error.text() == "Wrong password."
    assert not page.button.isEnabled()  # a pause after a wrong password
    qtbot.waitUntil(page.button.isEnabled, timeout=5000)

    qtbot.keyClicks(page.password, PASSWORD)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    assert not window.locked and window.centre.isVisible()
    assert form.isVisible() and name.text() == "Bageriet Ørsted ApS"  # nothing typed is lost
    form.close()
    window.close()


def test_with_the_key_in_the_keyring_the_lock_covers_the_screen_and_asks_nothing(
    qtbot: QtBot, workspace: Workspace
) -> None:
    window = shown_window(qtbot, workspace)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked and not window.lock_page.password.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.findChild(RecordDialog) is None  # shortcuts are off while locked
    qtbot.mouseClick(window.lock_page.button, Qt.MouseButton.LeftButton)
    assert not window.locked
    window.close()


def test_using_the_app_keeps_the_lock_away(qtbot: QtBot, workspace: Workspace) -> None:
    window = shown_window(qtbot, workspace)
    window.idle.set_interval_ms(400)
    for _ in range(8):  # 800 ms of typing in the search field
        qtbot.keyClick(window.search, Qt.Key.Key_A)
        qtbot.wait(100)
    assert not window.locked
    qtbot.waitUntil(lambda: window.locked, timeout=3000)
    window.close()


def test_no_lock_when_the_setting_says_never(qtbot: QtBot, workspace: Workspace) -> None:
    from PySide6.QtCore import QSettings

    QSettings().setValue("lock_after_minutes", 0)
    window = shown_window(qtbot, workspace)
    assert not window.idle.counting
    qtbot.wait(100)
    assert not window.locked
    window.close()

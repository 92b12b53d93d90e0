"""Locking after idle time: personal data hidden, nothing typed lost, and unlocking asks for the
password where the database has one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from feltkonsulent import i18n
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage.database import open_database
from feltkonsulent.storage.keys import Passphrase
from feltkonsulent.ui.dialogs import RecordDialog
from feltkonsulent.ui.lock import LOCK_PAGE_WIDTH
from feltkonsulent.ui.main_window import MainWindow
from tests.conftest import FakeClock
from tests.ui.windows import shown_window

PASSWORD = "rugbrød-og-kaffe"


@pytest.fixture
def with_passphrase(tmp_path: Path, clock: FakeClock) -> Iterator[Workspace]:
    store = open_database(tmp_path / "locked.db", Passphrase(PASSWORD), create=True, clock=clock,
                          actor="tester")
    ws = Workspace(store)
    yield ws
    ws.close()


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


def open_company_form(qtbot: QtBot, window: MainWindow) -> tuple[RecordDialog, QLineEdit]:
    """Ctrl+2, Ctrl+N: the new company's form, a name typed in it."""
    qtbot.keyClick(window.navigation, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.navigation, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = window.findChild(RecordDialog)
    assert form is not None
    qtbot.waitUntil(form.isVisible)
    qtbot.waitUntil(form.isActiveWindow)
    name = form.form.editors["name"]
    assert isinstance(name, QLineEdit)
    qtbot.keyClicks(name, "Bageriet Ørsted ApS")
    return form, name


def test_ctrl_l_in_an_open_dialog_locks_says_so_and_the_dialog_comes_back(
    qtbot: QtBot, with_passphrase: Workspace
) -> None:
    window = shown_window(qtbot, with_passphrase)
    form, name = open_company_form(qtbot, window)
    qtbot.keyClick(name, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # the form has the focus
    assert window.locked and not form.isVisible() and not window.centre.isVisible()
    page = window.lock_page
    assert page.explanation.text() == ("You locked Feltkonsulent. Type your password to go on; "
                                       "nothing you had typed is lost.")
    assert name.text() == "Bageriet Ørsted ApS"  # the L was not typed into the form
    qtbot.waitUntil(page.password.hasFocus)
    qtbot.keyClicks(page.password, PASSWORD)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    assert not window.locked
    qtbot.waitUntil(form.isVisible)
    assert name.text() == "Bageriet Ørsted ApS"  # nothing typed is lost
    form.close()
    window.close()


def test_the_lock_text_after_idle_time_and_after_ctrl_l_differ(
    qtbot: QtBot, workspace: Workspace
) -> None:
    window = shown_window(qtbot, workspace)
    window.idle.set_interval_ms(50)
    qtbot.waitUntil(lambda: window.locked)
    text = window.lock_page.explanation.text()
    assert text.startswith("Your data was hidden because the computer was not used for a while.")
    qtbot.keyClick(window.lock_page.button, Qt.Key.Key_Space)  # Unlock
    assert not window.locked
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    text = window.lock_page.explanation.text()
    assert text.startswith("You locked Feltkonsulent. Click Unlock to go on")
    assert "not used for a while" not in text
    window.close()


@pytest.mark.parametrize("language", ["da", "en", "pseudo"])
@pytest.mark.parametrize("keyring", [True, False])
def test_the_lock_text_is_shown_whole(
    qtbot: QtBot, workspace: Workspace, with_passphrase: Workspace, language: str, keyring: bool
) -> None:
    """Every line of the lock's texts is on the screen, in Danish and in the longer
    pseudo-language too: wrapped in its column, never cut off at the sides or the bottom."""
    i18n.set_language(language)
    window = shown_window(qtbot, workspace if keyring else with_passphrase)
    window.resize(900, 600)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    page = window.lock_page
    for label in (page.title, page.explanation):
        qtbot.waitUntil(label.isVisible)
        assert label.wordWrap()
        needed = label.heightForWidth(label.width())
        assert label.height() >= needed >= label.fontMetrics().height()  # every line shown
        assert label.width() == LOCK_PAGE_WIDTH <= page.width()
        assert label.geometry().bottom() <= page.column.height()
    explanation = page.explanation
    assert explanation.height() > explanation.fontMetrics().height()  # wrapped, not cut off
    window.close()

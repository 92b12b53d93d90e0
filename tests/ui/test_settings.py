"""Settings: the language and the lock time are chosen in the dialog, kept by OK and not by
Cancel or Esc, and its buttons open the profile and the sync server."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox, QPushButton
from pytestqt.qtbot import QtBot

from feltkonsulent.ui.lock import lock_minutes
from feltkonsulent.ui.settings import SettingsDialog, chosen_language


def shown(qtbot: QtBot, dialog: SettingsDialog) -> SettingsDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def click(qtbot: QtBot, dialog: SettingsDialog, which: QDialogButtonBox.StandardButton) -> None:
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    qtbot.mouseClick(buttons.button(which), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_danish_is_the_default_and_english_can_be_chosen(qtbot: QtBot) -> None:
    assert chosen_language() == "da"
    dialog = shown(qtbot, SettingsDialog())
    assert dialog.language.currentText() == "Dansk"
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert chosen_language() == "en"


def test_an_unknown_language_in_the_settings_falls_back_to_danish() -> None:
    QSettings().setValue("language", "klingon")
    assert chosen_language() == "da"


def test_the_lock_time_is_chosen_and_kept(qtbot: QtBot) -> None:
    assert lock_minutes() == 10
    dialog = shown(qtbot, SettingsDialog())
    assert dialog.lock_after.currentText() == "After 10 minutes"
    dialog.lock_after.setCurrentIndex(dialog.lock_after.findData(0))
    assert dialog.lock_after.currentText() == "Never"
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert lock_minutes() == 0
    QSettings().setValue("lock_after_minutes", "seven")
    assert lock_minutes() == 10


def test_cancel_and_esc_keep_nothing_that_was_chosen(qtbot: QtBot) -> None:
    dialog = shown(qtbot, SettingsDialog())
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.lock_after.setCurrentIndex(dialog.lock_after.findData(2))
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)
    assert (chosen_language(), lock_minutes()) == ("da", 10)

    dialog = shown(qtbot, SettingsDialog())
    dialog.lock_after.setCurrentIndex(dialog.lock_after.findData(60))
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.lock_after, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert lock_minutes() == 10
    assert "lock_after_minutes" not in QSettings().allKeys()


def test_the_profile_and_sync_buttons_call_what_they_open_with_no_argument(qtbot: QtBot) -> None:
    """`clicked(bool)` would hand a callable with an optional parameter `False` (as
    `print_agreement(printer=None)` once got it): the dialog calls both with nothing."""
    opened: list[tuple[str, Any]] = []

    def open_profile(where: Any = None) -> None:
        opened.append(("profile", where))

    def open_sync(where: Any = None) -> None:
        opened.append(("sync", where))

    dialog = shown(qtbot, SettingsDialog(open_sync=open_sync, open_profile=open_profile))
    for name in ("profile", "sync_server"):
        button = dialog.findChild(QPushButton, name)
        assert button is not None
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert opened == [("profile", None), ("sync", None)]

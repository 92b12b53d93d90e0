"""Settings: the language is chosen in the app and kept for the next start."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from feltkonsulent.ui.lock import lock_minutes
from feltkonsulent.ui.settings import SettingsDialog, chosen_language


def test_danish_is_the_default_and_english_can_be_chosen(qtbot: QtBot) -> None:
    assert chosen_language() == "da"
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    assert dialog.language.currentText() == "Dansk"
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.accept()
    assert chosen_language() == "en"


def test_an_unknown_language_in_the_settings_falls_back_to_danish() -> None:
    QSettings().setValue("language", "klingon")
    assert chosen_language() == "da"


def test_the_lock_time_is_chosen_and_kept(qtbot: QtBot) -> None:
    assert lock_minutes() == 10
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    assert dialog.lock_after.currentText() == "After 10 minutes"
    dialog.lock_after.setCurrentIndex(dialog.lock_after.findData(0))
    assert dialog.lock_after.currentText() == "Never"
    dialog.accept()
    assert lock_minutes() == 0
    QSettings().setValue("lock_after_minutes", "seven")
    assert lock_minutes() == 10

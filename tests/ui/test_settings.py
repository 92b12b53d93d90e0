"""Settings: the language is chosen in the app and kept for the next start."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from pytestqt.qtbot import QtBot

from feltkonsulent.ui.settings import SettingsDialog, chosen_language


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path) -> Iterator[None]:
    """Settings in a file of the test's own, never the user's."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    QCoreApplication.setOrganizationName("FeltkonsulentTest")
    QCoreApplication.setApplicationName("FeltkonsulentTest")
    yield
    QSettings().clear()


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

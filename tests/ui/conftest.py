"""UI tests run offscreen, in English unless a test chooses Danish, on a real encrypted database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from feltkonsulent import i18n
from feltkonsulent.services import demo
from feltkonsulent.services.workspace import Workspace

TODAY = date(2026, 11, 22)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    before = i18n.current_language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


@pytest.fixture(autouse=True)
def no_modal_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal question would wait for a click that never comes (pytest-qt closes the widgets
    at teardown): answer "discard" unless a test answers otherwise."""
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Discard
    )


@pytest.fixture(autouse=True)
def own_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Settings (QSettings) in a file of the test's own, never the user's."""
    from PySide6.QtCore import QCoreApplication, QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path_factory.mktemp("settings")))
    QCoreApplication.setOrganizationName("FeltkonsulentTest")
    QCoreApplication.setApplicationName("FeltkonsulentTest")
    yield
    QSettings().clear()


@pytest.fixture
def filled(workspace: Workspace) -> Workspace:
    demo.populate(workspace, records=60, seed=3, today=TODAY)
    return workspace

"""UI tests run offscreen, in English unless a test chooses Danish, on a real encrypted database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

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
def prepared_application(qapp: Any) -> None:
    """The wheel guard and the style sheet, as app.py sets them on the real application."""
    from feltkonsulent.ui import application

    application.prepare(qapp)


class Questions:
    """The modal questions a test's dialogs asked (their texts), and the answer each gets."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.answer = QMessageBox.StandardButton.Discard


@pytest.fixture(autouse=True)
def questions(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Questions:
    """A modal question would wait for a click that never comes (pytest-qt closes the widgets
    at teardown): each is answered "discard" (Forkast) unless the test sets `questions.answer`.
    A test that takes `real_questions` gets the real message box, and clicks its buttons."""
    asked = Questions()
    if "real_questions" in request.fixturenames:
        return asked

    def answer_exec(box: QMessageBox) -> int:
        # As the static question: a test that patches QMessageBox.question answers both.
        answer = QMessageBox.question(box.parentWidget(), box.windowTitle(), box.text())
        return int(answer.value)

    def answer_static(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        asked.asked.append(str(args[2]) if len(args) > 2 else "")
        return asked.answer

    monkeypatch.setattr(QMessageBox, "exec", answer_exec)
    monkeypatch.setattr(QMessageBox, "question", answer_static)
    return asked


class RealQuestions:
    """Answers the next modal question by clicking one of its real buttons once it is shown. A
    question no click was set up for (pytest-qt closes the test's widgets before the fixtures
    are torn down) is answered "discard" without being shown."""

    def __init__(self, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        self.qtbot = qtbot
        self.asked: list[str] = []
        self._armed = 0
        real_exec = QMessageBox.exec

        def exec_(box: QMessageBox) -> int:
            if not self._armed:
                return int(QMessageBox.StandardButton.Discard.value)
            self._armed -= 1
            return int(real_exec(box))

        monkeypatch.setattr(QMessageBox, "exec", exec_)

    def click(self, button: QMessageBox.StandardButton) -> None:
        self._armed += 1

        def answer() -> None:
            box = QApplication.activeModalWidget()
            if not isinstance(box, QMessageBox):  # not shown yet: look again shortly
                QTimer.singleShot(10, answer)
                return
            self.asked.append(box.text())
            self.qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)

        QTimer.singleShot(0, answer)


@pytest.fixture
def real_questions(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> RealQuestions:
    return RealQuestions(qtbot, monkeypatch)


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

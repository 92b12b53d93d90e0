"""The password dialog: a new password asked twice and checked before it is accepted; OK,
Return and Cancel do what they say."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from feltkonsulent.ui.unlock import PassphraseDialog, ask_passphrase


def shown(qtbot: QtBot, dialog: PassphraseDialog) -> PassphraseDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def click(qtbot: QtBot, dialog: PassphraseDialog, which: QDialogButtonBox.StandardButton) -> None:
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    qtbot.mouseClick(buttons.button(which), Qt.MouseButton.LeftButton)


def test_a_new_password_must_be_long_enough_and_typed_the_same_twice(qtbot: QtBot) -> None:
    dialog = shown(qtbot, PassphraseDialog(new=True))
    qtbot.keyClicks(dialog.password, "kort")
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert dialog.error.text() == "The password must have at least 8 characters."
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, "Sommerfugl-Vejle-42")
    qtbot.keyClicks(dialog.again, "Sommerfugl-Vejle-24")
    qtbot.keyClick(dialog.again, Qt.Key.Key_Return)  # OK is the default button
    assert dialog.error.text() == "The two passwords are not the same."
    assert dialog.isVisible()
    dialog.again.clear()
    qtbot.keyClicks(dialog.again, "Sommerfugl-Vejle-42")
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()


def test_an_empty_password_is_not_tried(qtbot: QtBot) -> None:
    dialog = shown(qtbot, PassphraseDialog(new=False))
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.error.text() == "Type the password." and dialog.isVisible()


def test_a_wrong_password_is_said_plainly(qtbot: QtBot) -> None:
    dialog = PassphraseDialog(new=False, error="Wrong password.")
    qtbot.addWidget(dialog)
    assert dialog.error.text() == "Wrong password." and not dialog.error.isHidden()
    assert dialog.again.isHidden()


def answer_when_shown(qtbot: QtBot, answer: Callable[[PassphraseDialog], None]) -> list[str]:
    """Answer the modal dialog from a timer (it runs its own event loop); one the answer leaves
    open is closed, so the test fails instead of waiting for ever."""
    problems: list[str] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PassphraseDialog):
            QTimer.singleShot(20, run)
            return
        try:
            answer(dialog)
        finally:
            if dialog.isVisible():
                problems.append("still open")
                dialog.reject()

    QTimer.singleShot(0, run)
    return problems


def test_the_password_typed_and_returned_opens_and_cancel_gives_nothing(qtbot: QtBot) -> None:
    def type_and_return(dialog: PassphraseDialog) -> None:
        qtbot.keyClicks(dialog.password, "rugbrød-og-kaffe")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)

    problems = answer_when_shown(qtbot, type_and_return)
    assert ask_passphrase(new=False) == "rugbrød-og-kaffe"
    assert problems == []

    def cancel(dialog: PassphraseDialog) -> None:
        qtbot.keyClicks(dialog.password, "halvt")
        click(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)

    problems = answer_when_shown(qtbot, cancel)
    assert ask_passphrase(new=False) is None
    assert problems == []

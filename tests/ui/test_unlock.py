"""The password dialog: a new password asked twice and checked before it is accepted."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from feltkonsulent.ui.unlock import PassphraseDialog


def test_a_new_password_must_be_long_enough_and_typed_the_same_twice(qtbot: QtBot) -> None:
    dialog = PassphraseDialog(new=True)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.password, "kort")
    dialog._accept()
    assert dialog.error.text() == "The password must have at least 8 characters."
    assert dialog.result() != QDialog.DialogCode.Accepted
    dialog.password.setText("Sommerfugl-Vejle-42")
    qtbot.keyClicks(dialog.again, "Sommerfugl-Vejle-24")
    dialog._accept()
    assert dialog.error.text() == "The two passwords are not the same."
    dialog.again.setText("Sommerfugl-Vejle-42")
    dialog._accept()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_a_wrong_password_is_said_plainly(qtbot: QtBot) -> None:
    dialog = PassphraseDialog(new=False, error="Wrong password.")
    qtbot.addWidget(dialog)
    assert dialog.error.text() == "Wrong password." and not dialog.error.isHidden()
    assert dialog.again.isHidden()

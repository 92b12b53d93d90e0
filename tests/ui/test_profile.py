"""The municipality and the consultant, set in the settings as a consultant does it: the toolbar,
the button, typing, Save."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from feltkonsulent.services import profile
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui.main_window import MainWindow
from feltkonsulent.ui.profile import ProfileDialog, ensure_profile
from feltkonsulent.ui.settings import SettingsDialog
from tests.ui.conftest import TODAY


def _type(qtbot: QtBot, dialog: ProfileDialog, **values: str) -> None:
    for name, text in values.items():
        edit = dialog.findChild(QLineEdit, name)
        assert edit is not None, name
        edit.clear()
        qtbot.keyClicks(edit, text)


def _save(qtbot: QtBot, dialog: ProfileDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def _open_from_settings(qtbot: QtBot, window: MainWindow) -> ProfileDialog:
    window.show()
    qtbot.waitExposed(window)
    (settings,) = [a for a in window.toolbar.actions() if a.text() == "Settings"]
    qtbot.mouseClick(window.toolbar.widgetForAction(settings), Qt.MouseButton.LeftButton)
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None
    button = dialog.findChild(QPushButton, "profile")
    assert button is not None and button.text() == "Municipality and consultant…"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    found = window.findChild(ProfileDialog)
    assert found is not None
    qtbot.waitUntil(found.isVisible)
    return found


def test_the_profile_is_set_from_the_settings(qtbot: QtBot, workspace: Workspace) -> None:
    window = MainWindow(workspace, today=lambda: TODAY)
    qtbot.addWidget(window)
    dialog = _open_from_settings(qtbot, window)
    _type(qtbot, dialog, municipality="Vejle Kommune", department="Virksomhedsservice",
          consultant="Mette Kjær", consultant_phone="20 30 40 50")
    _save(qtbot, dialog)
    assert not dialog.isVisible()
    assert profile.current(workspace).as_dict() == {
        "municipality": "Vejle Kommune", "department": "Virksomhedsservice", "address": None,
        "phone": None, "email": None, "consultant": "Mette Kjær",
        "consultant_phone": "20 30 40 50", "consultant_email": None,
    }
    # Opened again, it shows what is saved.
    again = ProfileDialog(workspace, window)
    qtbot.addWidget(again)
    assert again.findChild(QLineEdit, "department").text() == "Virksomhedsservice"  # type: ignore[union-attr]


def test_ctrl_s_saves_the_profile(qtbot: QtBot, workspace: Workspace) -> None:
    dialog = ProfileDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    _type(qtbot, dialog, municipality="Vejle Kommune", consultant="Mette Kjær")
    consultant = dialog.findChild(QLineEdit, "consultant")
    assert consultant is not None
    qtbot.keyClick(consultant, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible())  # the shortcut shows Save pressed first
    saved = profile.current(workspace).as_dict()
    assert (saved["municipality"], saved["consultant"]) == ("Vejle Kommune", "Mette Kjær")


def test_a_bad_value_is_refused_in_words_and_nothing_is_saved(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog = ProfileDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog, municipality="Vejle Kommune", consultant="Mette Kjær", email="ikke-mail")
    _save(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.refusal.isVisible()
    assert "This is not an e-mail address." in dialog.refusal.text()
    assert profile.current(workspace).team is None
    assert dialog.focusWidget() is dialog.findChild(QLineEdit, "email")


def test_the_first_agreement_asks_for_the_profile(qtbot: QtBot, workspace: Workspace) -> None:
    """Asked for once, modally; filled in and saved, the agreement may be issued."""
    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ProfileDialog)
        _type(qtbot, dialog, municipality="Vejle Kommune", consultant="Mette Kjær")
        _save(qtbot, dialog)

    QTimer.singleShot(0, fill_in)
    assert ensure_profile(workspace) is True
    assert profile.current(workspace).municipality == "Vejle Kommune"
    assert ensure_profile(workspace) is True  # complete: not asked again (no dialog to answer)


def test_cancelled_no_agreement_may_be_issued(qtbot: QtBot, workspace: Workspace) -> None:
    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ProfileDialog)
        buttons = dialog.findChild(QDialogButtonBox)
        assert buttons is not None
        qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Cancel),
                         Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, cancel)
    assert ensure_profile(workspace) is False
    assert profile.current(workspace).team is None

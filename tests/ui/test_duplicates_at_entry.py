"""A citizen or company typed a second time: the form names the saved one as soon as the number
is complete, offers it instead, and refuses to save the twin; what was typed in Nyt forløb's
search comes along into the new record's form."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from feltkonsulent.domain.entities import Citizen
from feltkonsulent.domain.enums import TargetGroup
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui.company import CompanyDialog
from feltkonsulent.ui.dialogs import RecordDialog
from feltkonsulent.ui.new_placement import NewPlacementDialog
from tests import factories
from tests.ui.conftest import TODAY


def shown(qtbot: QtBot, dialog: QWidget) -> None:
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)


def retype(qtbot: QtBot, editor: QWidget, text: str) -> None:
    assert isinstance(editor, QLineEdit)
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, text)


def test_a_citizens_cpr_typed_again_names_the_saved_one_and_opens_it(
    qtbot: QtBot, workspace: Workspace
) -> None:
    saved = factories.citizen(name="Amina Hassan", cpr="2110625629")
    workspace.save(saved)
    dialog = RecordDialog(workspace, Citizen)
    shown(qtbot, dialog)
    retype(qtbot, dialog.form.editors["name"], "Amina H.")
    retype(qtbot, dialog.form.editors["cpr"], "211062-562")
    assert not dialog.duplicate.isVisible()  # not complete yet
    qtbot.keyClicks(dialog.form.editors["cpr"], "9")
    assert dialog.duplicate.isVisible()
    assert dialog.duplicate.text.text() == (
        "Amina Hassan (211062-xxxx) is already registered with this CPR number.")
    dialog.form.set_value("target_group", TargetGroup.INTEGRATION_PROGRAMME)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "Use that one, or correct the number." in dialog.refusal.text()
    assert workspace.repos.citizens.count() == 1
    qtbot.mouseClick(dialog.duplicate.button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    opened = [d for d in QApplication.topLevelWidgets()
              if isinstance(d, RecordDialog) and d.isVisible()]
    assert [d.form.original for d in opened] == [saved]
    for other in opened:
        qtbot.addWidget(other)


def test_a_company_edited_to_another_companys_cvr_and_p_number_is_refused(
    qtbot: QtBot, workspace: Workspace
) -> None:
    first = factories.company(name="Bageriet Ørsted ApS")
    second = factories.company(name="Netto Vejle", cvr="13585628", p_number=None)
    workspace.save(first)
    workspace.save(second)
    dialog = CompanyDialog(workspace, first, TODAY)
    shown(qtbot, dialog)
    retype(qtbot, dialog.form.editors["cvr"], "13585628")
    assert not dialog.duplicate.isVisible()  # the P-number still differs
    dialog.form.editors["p_number"].clear()  # type: ignore[attr-defined]
    assert dialog.duplicate.text.text() == (
        "Netto Vejle (CVR 13585628, no P-number) is already registered with this CVR number.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.refusal.text().startswith("Not saved: Netto Vejle")
    assert workspace.repos.companies.require(first.id) == first


def test_what_was_typed_in_the_search_comes_along_into_the_new_record(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog = NewPlacementDialog(workspace, TODAY)
    shown(qtbot, dialog)
    qtbot.keyClicks(dialog.company.typed, "13585628")
    qtbot.keyClick(dialog.company.typed, Qt.Key.Key_Return)  # nothing matches: a new company
    assert dialog.company.new.isChecked()
    assert dialog.company.form.values()["cvr"] == "13585628"
    qtbot.waitUntil(lambda: dialog.company.form.editors["name"].hasFocus())
    dialog.citizen.typed.setFocus()
    qtbot.keyClicks(dialog.citizen.typed, "211062-5629")
    qtbot.keyClick(dialog.citizen.typed, Qt.Key.Key_Return)
    assert dialog.citizen.form.values()["cpr"] == "211062-5629"
    qtbot.waitUntil(lambda: dialog.citizen.form.editors["name"].hasFocus())

    again = NewPlacementDialog(workspace, TODAY)
    shown(qtbot, again)
    again.citizen.typed.setFocus()
    qtbot.keyClicks(again.citizen.typed, "Amina Hassan")
    qtbot.keyClick(again.citizen.typed, Qt.Key.Key_Return)
    assert again.citizen.form.values()["name"] == "Amina Hassan"
    qtbot.waitUntil(lambda: again.citizen.form.editors["cpr"].hasFocus())


def test_a_new_citizen_in_nyt_forloeb_with_a_saved_cpr_offers_choose_it(
    qtbot: QtBot, workspace: Workspace
) -> None:
    saved = factories.citizen(name="Amina Hassan", cpr="2110625629")
    workspace.save(saved)
    dialog = NewPlacementDialog(workspace, TODAY)
    shown(qtbot, dialog)
    dialog.citizen.typed.setFocus()
    qtbot.keyClicks(dialog.citizen.typed, "Amina Jensen")  # a name that finds no one
    qtbot.keyClick(dialog.citizen.typed, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.citizen.form.editors["cpr"].hasFocus())
    qtbot.keyClicks(dialog.citizen.form.editors["cpr"], "2110625629")
    notice = dialog.citizen.duplicate
    assert notice.isVisible() and "211062-xxxx" in notice.text.text()
    assert "5629" not in notice.text.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.refusal.text().startswith("Not saved: Amina Hassan (211062-xxxx)")
    qtbot.mouseClick(notice.button, Qt.MouseButton.LeftButton)  # "Choose it"
    assert not dialog.citizen.new.isChecked() and dialog.citizen.record() == saved
    assert dialog.placement.editors["kind"].hasFocus()  # on to the placement

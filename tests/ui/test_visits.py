"""Visit notes from a placement: a quick note, the history, a correction that supersedes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from feltkonsulent.ui.main_window import MainWindow
from feltkonsulent.ui.placement import PlacementDialog
from feltkonsulent.ui.visits import VisitDialog
from tests import factories
from tests.ui.conftest import TODAY


def placement_id(ws: Workspace) -> str:
    company, citizen = factories.company(), factories.citizen()
    placement = factories.placement(citizen.id, company.id)
    ws.register_placement(PlacementRegistration(company, citizen, placement))
    return placement.id


def type_note(qtbot: QtBot, dialog: VisitDialog, notes: str, participants: str = "Amina, Mette") -> None:
    box = dialog.form.editors["notes"]
    line = dialog.form.editors["participants"]
    assert isinstance(box, QPlainTextEdit) and isinstance(line, QLineEdit)
    box.clear()
    line.clear()
    qtbot.keyClicks(line, participants)
    qtbot.keyClicks(box, notes)


def history(dialog: VisitDialog) -> list[tuple[str, str, bool]]:
    tree = dialog.history
    return [
        (tree.topLevelItem(i).text(0), tree.topLevelItem(i).text(2), tree.topLevelItem(i).isDisabled())
        for i in range(tree.topLevelItemCount())
    ]


def test_a_quick_note_is_dated_today_and_shows_in_the_history(qtbot: QtBot, workspace: Workspace) -> None:
    pid = placement_id(workspace)
    dialog = VisitDialog(workspace, pid, TODAY)
    qtbot.addWidget(dialog)
    assert dialog.form.raw("visited_on") == "22.11.2026"
    type_note(qtbot, dialog, "Amina trives i bageriet.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert history(dialog) == [("22.11.2026", "Amina trives i bageriet.", False)]
    (visit,) = workspace.repos.aftercare_visits.where()
    assert visit.notes == "Amina trives i bageriet." and visit.visited_on == TODAY
    assert dialog.form.raw("notes") == ""  # ready for the next note


def test_a_correction_supersedes_the_note_and_both_stay_visible(qtbot: QtBot, workspace: Workspace) -> None:
    pid = placement_id(workspace)
    workspace.record_visit(factories.visit(pid, notes="Mødte ikke op"))
    dialog = VisitDialog(workspace, pid, TODAY)
    qtbot.addWidget(dialog)
    dialog.history.setCurrentItem(dialog.history.topLevelItem(0))
    dialog.start_correction()
    assert dialog.form.raw("notes") == "Mødte ikke op"
    type_note(qtbot, dialog, "Mødte op kl. 8; bussen var forsinket.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    rows = history(dialog)
    assert rows[0][1:] == ("(corrected) Mødte ikke op", True)
    assert rows[1][1:] == ("Mødte op kl. 8; bussen var forsinket.", False)
    assert len(workspace.repos.aftercare_visits.where()) == 2


def test_a_note_without_a_date_is_refused_with_the_reason(qtbot: QtBot, workspace: Workspace) -> None:
    dialog = VisitDialog(workspace, placement_id(workspace), TODAY)
    qtbot.addWidget(dialog)
    dialog.form.editors["visited_on"].clear()  # type: ignore[attr-defined]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.refusal.text() == "Not saved: Give the planned date or the date of the visit."
    assert workspace.repos.aftercare_visits.count() == 0


def test_a_placement_in_the_list_opens_and_leads_to_its_visit_notes(
    qtbot: QtBot, workspace: Workspace
) -> None:
    pid = placement_id(workspace)
    window = MainWindow(workspace, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.placements.opened.emit(pid)
    placement = window.findChild(PlacementDialog)
    assert placement is not None and placement.placement.id == pid
    qtbot.mouseClick(placement.visits_button, Qt.MouseButton.LeftButton)
    dialog = placement.findChild(VisitDialog)
    assert dialog is not None and dialog.placement_id == pid
    dialog.close()
    placement.close()
    window.close()


def test_a_visit_in_the_list_opens_its_placements_notes(qtbot: QtBot, workspace: Workspace) -> None:
    pid = placement_id(workspace)
    visit = factories.visit(pid)
    workspace.record_visit(visit)
    window = MainWindow(workspace, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.visits.opened.emit(visit.id)
    dialog = window.findChild(VisitDialog)
    assert dialog is not None and dialog.placement_id == pid
    dialog.close()
    window.close()

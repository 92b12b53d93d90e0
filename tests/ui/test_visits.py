"""Follow-up visits (opfølgningsbesøg) of a placement, through the real dialog: a note shown
whole, a correction that is one visit with its earlier wording on request, "Næste besøg" that
plans the visit (on I dag and in the list), the planned visit's note that fulfils it, a date
that looks wrong questioned, and typing not lost by Esc."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from feltkonsulent import i18n
from feltkonsulent.domain.entities import AftercareVisit
from feltkonsulent.i18n import format_date
from feltkonsulent.services import lists
from feltkonsulent.services.lists import ListQuery
from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from feltkonsulent.ui.main_window import MainWindow
from feltkonsulent.ui.placement import PlacementDialog
from feltkonsulent.ui.visits import VisitDialog, made_on
from tests import factories
from tests.ui.conftest import TODAY

START = date(2026, 11, 2)  # the factories' placement starts then


def placement_id(ws: Workspace) -> str:
    company, citizen = factories.company(), factories.citizen()
    placement = factories.placement(citizen.id, company.id)
    assert placement.start_date == START
    ws.register_placement(PlacementRegistration(company, citizen, placement))
    return placement.id


def opened(qtbot: QtBot, ws: Workspace, pid: str) -> VisitDialog:
    dialog = VisitDialog(ws, pid, TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def type_into(qtbot: QtBot, dialog: VisitDialog, name: str, text: str) -> None:
    editor = dialog.form.editors[name]
    assert isinstance(editor, QLineEdit | QPlainTextEdit)
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    if "\n" in text:  # a line break is Enter in a long text
        for number, line in enumerate(text.split("\n")):
            if number:
                qtbot.keyClick(editor, Qt.Key.Key_Return)
            qtbot.keyClicks(editor, line)
    else:
        qtbot.keyClicks(editor, text)


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def choose(qtbot: QtBot, dialog: VisitDialog, row: int) -> QTreeWidgetItem:
    tree = dialog.history
    item = tree.topLevelItem(row)
    assert item is not None
    tree.scrollToItem(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center())
    assert tree.currentItem() is item
    return item


def shown(dialog: VisitDialog) -> list[str]:
    tree = dialog.history
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


def answering(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    """Every question is answered with `button`; returns what was asked."""
    asked: list[str] = []

    def answer(_parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(f"{title}: {text}")
        return button

    monkeypatch.setattr(QMessageBox, "question", answer)
    return asked


def test_a_note_is_shown_whole_in_the_history_newest_first(qtbot: QtBot, workspace: Workspace) -> None:
    pid = placement_id(workspace)
    workspace.record_visit(factories.visit(pid, visited_on=date(2026, 11, 9), planned_on=None,
                                           next_visit_on=None, notes="Første besøg."))
    dialog = opened(qtbot, workspace, pid)
    assert dialog.form.raw("visited_on") == "22.11.2026"
    type_into(qtbot, dialog, "participants", "Amina, Mette (butikschef)")
    long_line = ("Hun vil gerne have flere timer om morgenen, og Mette er enig, når bestillingslisten er "
                 "lært; hun spørger også til kørekort, da bussen om vinteren ofte er forsinket, og til om "
                 "der er en plads på holdet, der starter i januar, hvor hun kan følge en kollega.")
    type_into(qtbot, dialog, "notes", "Amina trives i bageriet.\n" + long_line)
    type_into(qtbot, dialog, "agreed_actions", "Mette øver bestillingslisten med Amina")
    type_into(qtbot, dialog, "next_visit_on", "06.12.2026")
    click(qtbot, dialog.save_button)
    planned, newest, older = shown(dialog)  # the next visit is planned, at the top
    assert planned == f"Planned for {format_date(date(2026, 12, 6))} · At the workplace"
    assert newest.split("\n") == [
        f"{format_date(TODAY)} · At the workplace",
        "Participants: Amina, Mette (butikschef)",
        "What was talked about: Amina trives i bageriet.",
        long_line,
        "Agreed actions: Mette øver bestillingslisten med Amina",
        f"Next visit: {format_date(date(2026, 12, 6))}",
    ]
    assert older.startswith(format_date(date(2026, 11, 9))) and "Første besøg." in older
    # Not one cut-off line: the long line wraps (at least three lines at this width), and the
    # visit is as tall as all its lines.
    tree = dialog.history
    metrics = QFontMetrics(tree.font())
    assert metrics.horizontalAdvance(long_line) > 2 * tree.viewport().width()
    assert tree.visualItemRect(tree.topLevelItem(1)).height() >= (6 + 2) * metrics.lineSpacing()
    saved = [v for v in workspace.repos.aftercare_visits.where() if v.notes and "trives" in v.notes]
    assert [(v.visited_on, v.participants, v.agreed_actions) for v in saved] == [
        (TODAY, "Amina, Mette (butikschef)", "Mette øver bestillingslisten med Amina")]
    assert dialog.form.raw("notes") == "" and not dialog.dirty  # ready for the next note


def test_a_correction_is_one_visit_marked_corrected_with_the_earlier_wording_on_request(
    qtbot: QtBot, workspace: Workspace
) -> None:
    pid = placement_id(workspace)
    # Its next visit was due yesterday: on I dag once, before and after the correction.
    workspace.record_visit(factories.visit(pid, planned_on=None, notes="Mødte ikke op",
                                           next_visit_on=TODAY - timedelta(days=1)))
    window = MainWindow(workspace, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.today_page.visits.childCount() == 1
                    and bool(window.today_page.visits.child(0).data(0, Qt.ItemDataRole.UserRole + 2)))
    tree, due_item = window.today_page.tree, window.today_page.visits.child(0)
    tree.scrollToItem(due_item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(due_item).center())
    qtbot.keyClick(tree, Qt.Key.Key_Return)  # the due visit opens the placement's visits
    dialog = window.findChild(VisitDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    choose(qtbot, dialog, 0)
    assert not dialog.earlier_button.isEnabled()
    click(qtbot, dialog.correct_button)
    assert dialog.form.raw("notes") == "Mødte ikke op"
    assert dialog.heading.text() == f"Correction of the note of {format_date(date(2026, 11, 16))}"
    type_into(qtbot, dialog, "notes", "Mødte op kl. 8; bussen var forsinket.")
    click(qtbot, dialog.save_button)
    (visit,) = shown(dialog)
    assert "Mødte op kl. 8; bussen var forsinket." in visit and "Mødte ikke op" not in visit
    (correction,) = [v for v in workspace.repos.aftercare_visits.where() if v.supersedes]
    corrected_on = format_date(made_on(correction))
    head = visit.split("\n")[0]
    assert head == f"{format_date(date(2026, 11, 16))} · At the workplace · Corrected {corrected_on}"
    item = choose(qtbot, dialog, 0)
    assert not item.isExpanded() and dialog.earlier_button.text() == "Show earlier wording"
    click(qtbot, dialog.earlier_button)
    assert item.isExpanded() and item.childCount() == 1
    assert item.child(0).text(0).startswith("Earlier wording:\n") and "Mødte ikke op" in item.child(0).text(0)
    assert dialog.earlier_button.text() == "Hide earlier wording"
    click(qtbot, dialog.earlier_button)
    assert not item.isExpanded()
    click(qtbot, dialog.close_button)
    assert not dialog.isVisible()
    # One visit in the Besøg list and its count, and on I dag.
    assert len(workspace.repos.aftercare_visits.where()) == 2
    page = window.visits
    qtbot.waitUntil(lambda: page.count.text() == "1 visit")
    assert page.model.rowCount() == 1
    assert page.model.data(page.model.index(0, 5)) == "Yes"  # the Corrected column
    due = workspace.due(TODAY)
    assert [d.visit_id for d in due.visits] == [correction.id] and due.visits_total == 1
    qtbot.waitUntil(lambda: window.today_page.visits.childCount() == 1)
    window.close()


def test_next_visit_plans_the_visit_on_i_dag_and_in_the_list(qtbot: QtBot, workspace: Workspace) -> None:
    pid = placement_id(workspace)
    dialog = opened(qtbot, workspace, pid)
    type_into(qtbot, dialog, "notes", "Godt i gang.")
    type_into(qtbot, dialog, "next_visit_on", "06.12.2026")
    click(qtbot, dialog.save_button)
    planned = [v for v in workspace.repos.aftercare_visits.where() if v.visited_on is None]
    assert [(v.planned_on, v.notes) for v in planned] == [(date(2026, 12, 6), None)]
    assert shown(dialog)[0].startswith(f"Planned for {format_date(date(2026, 12, 6))} · At the workplace")
    due = workspace.due(TODAY)
    assert due.visits == [] and [(d.visit_id, d.due_on) for d in due.upcoming] == [
        (planned[0].id, date(2026, 12, 6))]
    on_the_day = workspace.due(date(2026, 12, 6))
    assert [(d.visit_id, d.overdue) for d in on_the_day.visits] == [(planned[0].id, False)]
    rows = lists.visit_rows(workspace, ListQuery("date", descending=True))
    assert [(r.planned_on, r.visited_on) for r in rows] == [(date(2026, 12, 6), None), (None, TODAY)]
    assert lists.visit_count(workspace) == 2


def test_writing_the_planned_visits_note_fulfils_it(qtbot: QtBot, workspace: Workspace) -> None:
    pid = placement_id(workspace)
    earlier = factories.visit(pid, next_visit_on=TODAY)
    workspace.write_note(earlier)
    (plan,) = workspace.planned_visits(pid)
    assert [d.visit_id for d in workspace.due(TODAY).visits] == [plan.id]
    dialog = opened(qtbot, workspace, pid)
    # The visit due today is the note the form writes.
    assert dialog.heading.text() == f"Note of the visit planned for {format_date(TODAY)}"
    assert dialog.form.raw("visited_on") == "22.11.2026" and not dialog.dirty
    type_into(qtbot, dialog, "notes", "Kontrakt om fastansættelse drøftet.")
    click(qtbot, dialog.save_button)
    assert workspace.due(TODAY).visits == [] and workspace.planned_visits(pid) == []
    (note,) = [v for v in workspace.repos.aftercare_visits.where() if v.supersedes == plan.id]
    assert (note.planned_on, note.visited_on) == (TODAY, TODAY)
    assert note.notes == "Kontrakt om fastansættelse drøftet."
    assert lists.visit_count(workspace) == 2  # the earlier note and this visit
    assert "Corrected" not in shown(dialog)[0]  # a plan fulfilled is not a correction
    assert dialog.heading.text() == "New visit note"


def test_a_later_planned_visit_is_written_or_moved_from_the_history(
    qtbot: QtBot, workspace: Workspace
) -> None:
    pid = placement_id(workspace)
    workspace.write_note(factories.visit(pid, next_visit_on=date(2026, 11, 30)))
    dialog = opened(qtbot, workspace, pid)
    assert dialog.heading.text() == "New visit note"  # the plan is not due yet
    choose(qtbot, dialog, 0)
    assert dialog.correct_button.text() == "Write the note of the planned visit"
    click(qtbot, dialog.move_button)
    assert dialog.form.raw("visited_on") == "" and dialog.focusWidget() is dialog.form.editors["planned_on"]
    type_into(qtbot, dialog, "planned_on", "02.12.2026")
    click(qtbot, dialog.save_button)
    moved = shown(dialog)[0].split("\n")
    assert moved[0] == (f"Planned for {format_date(date(2026, 12, 2))} · At the workplace · "
                        f"Date moved (was {format_date(date(2026, 11, 30))})")
    assert [v.planned_on for v in workspace.planned_visits(pid)] == [date(2026, 12, 2)]
    assert lists.visit_count(workspace) == 2  # moved, not a new visit
    assert [d.due_on for d in workspace.due(TODAY).upcoming] == [date(2026, 12, 2)]
    choose(qtbot, dialog, 0)
    click(qtbot, dialog.correct_button)
    assert dialog.form.raw("visited_on") == "22.11.2026"
    type_into(qtbot, dialog, "notes", "Besøgt før tid.")
    click(qtbot, dialog.save_button)
    assert workspace.planned_visits(pid) == [] and lists.visit_count(workspace) == 2


def test_a_visit_before_the_placement_starts_is_questioned(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    i18n.set_language("da")
    pid = placement_id(workspace)
    dialog = opened(qtbot, workspace, pid)
    type_into(qtbot, dialog, "visited_on", "30.10.2026")
    type_into(qtbot, dialog, "notes", "Forventningsafstemning.")
    assert dialog.warning.isVisible()
    assert dialog.warning.text() == (
        "Besøget er dateret 30.10.2026, før forløbet starter den 02.11.2026.")
    asked = answering(monkeypatch, QMessageBox.StandardButton.Cancel)
    click(qtbot, dialog.save_button)
    assert asked and "før forløbet starter den 02.11.2026" in asked[0]
    assert workspace.repos.aftercare_visits.count() == 0
    assert dialog.focusWidget() is dialog.form.editors["visited_on"]
    assert dialog.form.raw("notes") == "Forventningsafstemning."  # kept to correct the date
    answering(monkeypatch, QMessageBox.StandardButton.Save)  # on, deliberately
    click(qtbot, dialog.save_button)
    (visit,) = workspace.repos.aftercare_visits.where()
    assert visit.visited_on == date(2026, 10, 30)
    type_into(qtbot, dialog, "visited_on", "02.11.2026")  # the first day is no question
    assert not dialog.warning.isVisible()


def test_a_visit_made_in_the_future_is_questioned(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = opened(qtbot, workspace, placement_id(workspace))
    type_into(qtbot, dialog, "visited_on", "24.11.2026")
    asked = answering(monkeypatch, QMessageBox.StandardButton.Cancel)
    click(qtbot, dialog.save_button)
    assert len(asked) == 1 and "after today" in asked[0]
    assert workspace.repos.aftercare_visits.count() == 0
    type_into(qtbot, dialog, "visited_on", "")  # planned instead: no question
    type_into(qtbot, dialog, "planned_on", "24.11.2026")
    click(qtbot, dialog.save_button)
    assert len(asked) == 1
    assert [(v.planned_on, v.visited_on) for v in workspace.repos.aftercare_visits.where()] == [
        (date(2026, 11, 24), None)]


def test_esc_close_and_the_window_x_ask_before_typing_is_lost(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = placement_id(workspace)
    dialog = opened(qtbot, workspace, pid)
    asked = answering(monkeypatch, QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(dialog.form.editors["notes"], Qt.Key.Key_Escape)
    assert asked == [] and not dialog.isVisible()  # nothing typed: closes at once
    dialog = opened(qtbot, workspace, pid)
    type_into(qtbot, dialog, "notes", "Halvt skrevet")
    qtbot.keyClick(dialog.form.editors["notes"], Qt.Key.Key_Escape)
    assert len(asked) == 1 and dialog.isVisible() and dialog.form.raw("notes") == "Halvt skrevet"
    click(qtbot, dialog.close_button)
    assert len(asked) == 2 and dialog.isVisible()
    dialog.close()  # the window's X
    assert len(asked) == 3 and dialog.isVisible() and dialog.form.raw("notes") == "Halvt skrevet"
    answering(monkeypatch, QMessageBox.StandardButton.Discard)
    qtbot.keyClick(dialog.form.editors["notes"], Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert workspace.repos.aftercare_visits.count() == 0


def test_saving_from_the_question_saves_and_closes(qtbot: QtBot, workspace: Workspace) -> None:
    """"Gem" when closing asks: the dialog's `save` saves the note and closes."""
    dialog = opened(qtbot, workspace, placement_id(workspace))
    type_into(qtbot, dialog, "notes", "Gemt ved lukning")
    with qtbot.waitSignal(dialog.accepted):
        dialog.save()
    (visit,) = workspace.repos.aftercare_visits.where()
    assert visit.notes == "Gemt ved lukning" and not dialog.isVisible()


def test_a_note_without_a_date_is_refused_with_the_reason(qtbot: QtBot, workspace: Workspace) -> None:
    dialog = opened(qtbot, workspace, placement_id(workspace))
    type_into(qtbot, dialog, "visited_on", "")
    click(qtbot, dialog.save_button)
    assert dialog.refusal.text() == "Not saved: Give the planned date or the date of the visit."
    assert workspace.repos.aftercare_visits.count() == 0


def test_the_date_fields_say_their_format_in_the_language(qtbot: QtBot, workspace: Workspace) -> None:
    pid = placement_id(workspace)
    english = opened(qtbot, workspace, pid)
    assert {english.form.editors[n].placeholderText()  # type: ignore[attr-defined]
            for n in ("visited_on", "planned_on", "next_visit_on")} == {"DD.MM.YYYY"}
    i18n.set_language("da")
    danish = opened(qtbot, workspace, pid)
    assert danish.form.editors["next_visit_on"].placeholderText() == "DD.MM.ÅÅÅÅ"  # type: ignore[attr-defined]
    assert danish.windowTitle().startswith("Opfølgningsbesøg: ")
    assert danish.new_button.text() == "Nyt opfølgningsbesøg"


def test_the_visit_list_has_room_for_its_headers_in_danish(qtbot: QtBot, filled: Workspace) -> None:
    """A chosen row draws every header bold: each column is wide enough for its header in bold
    with the sort arrow ("Besøgt" was cut off)."""
    i18n.set_language("da")
    window = MainWindow(filled, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    table = window.visits.table
    header = table.horizontalHeader()
    bold = QFont(header.font())
    bold.setBold(True)
    normal, wide = QFontMetrics(header.font()), QFontMetrics(bold)
    labels = [str(table.model().headerData(i, Qt.Orientation.Horizontal)) for i in range(header.count())]
    assert "Besøgt" in labels
    for section, text in enumerate(labels):
        # What the header asks for its label (margins, sort arrow), with the label in bold.
        extra = wide.horizontalAdvance(text) - normal.horizontalAdvance(text)
        wanted = header.sectionSizeHint(section) + extra
        assert header.sectionSize(section) >= wanted, text
    window.close()


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


def test_visit_text_leaves_out_what_is_empty() -> None:
    visit = AftercareVisit(id="x", team_id="t", placement_id="p", visited_on=TODAY)  # type: ignore[arg-type]
    from feltkonsulent.ui.visits import visit_text

    assert visit_text(visit) == f"{format_date(TODAY)} · At the workplace"
    assert made_on(visit) is None  # not a UUIDv7


def test_enter_in_the_history_opens_the_visit_and_nothing_is_saved_untyped(
    qtbot: QtBot, workspace: Workspace
) -> None:
    """Enter on a visit loads it to be corrected (it pressed Save before, and an empty note was
    saved); Ctrl+S with nothing typed saves nothing and says so."""
    pid = placement_id(workspace)
    workspace.record_visit(factories.visit(pid, notes="Mødte ikke op", next_visit_on=None))
    dialog = opened(qtbot, workspace, pid)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.form.editors["notes"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    # A shortcut "animates" the click: the button is released a moment later.
    qtbot.waitUntil(lambda: dialog.refusal.text() == "Not saved: Nothing has been written yet.")
    choose(qtbot, dialog, 0)
    qtbot.keyClick(dialog.history, Qt.Key.Key_Return)
    assert workspace.repos.aftercare_visits.count() == 1
    assert dialog.form.raw("notes") == "Mødte ikke op" and dialog.heading.text().startswith("Correction")
    assert dialog.refusal.isHidden()
    type_into(qtbot, dialog, "notes", "Mødte op")
    qtbot.keyClick(dialog.form.editors["notes"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: workspace.repos.aftercare_visits.count() == 2)
    assert [v.notes for v in workspace.repos.aftercare_visits.where() if v.supersedes] == ["Mødte op"]

"""A placement opened for editing: terms, status and outcome, buddy and sprogmakker, and the
rules' findings with a reason asked for a new warning."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from feltkonsulent.domain.enums import Outcome, PlacementStatus, SupportRole, TargetGroup
from feltkonsulent.services import rules
from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from feltkonsulent.ui.new_placement import NewPlacementDialog
from feltkonsulent.ui.placement import PlacementDialog
from tests import factories
from tests.ui.conftest import TODAY, Questions


def registered(ws: Workspace, **placement: object) -> PlacementRegistration:
    company = factories.company(employee_count=Decimal(30))
    citizen = factories.citizen(target_group=TargetGroup.UNEMPLOYMENT_BENEFIT)
    p = factories.placement(citizen.id, company.id, start_date=date(2026, 11, 2),
                            end_date=date(2026, 11, 20), **placement)
    buddy = factories.support(p.id, start_date=p.start_date, end_date=p.end_date)
    registration = PlacementRegistration(company, citizen, p, support=[buddy])
    ws.register_placement(registration)
    return registration


def retype(qtbot: QtBot, editor: object, text: str) -> None:
    assert isinstance(editor, QLineEdit)
    editor.clear()
    qtbot.keyClicks(editor, text)


def choose(combo: object, value: str) -> None:
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(value))


def test_status_and_outcome_are_saved_and_the_heading_names_citizen_and_company(
    qtbot: QtBot, workspace: Workspace
) -> None:
    r = registered(workspace)
    dialog = PlacementDialog(workspace, r.placement.id, TODAY)
    qtbot.addWidget(dialog)
    assert dialog.heading.text() == f"{r.citizen.name} · {r.company.name}"
    assert not dialog.dirty
    choose(dialog.form.editors["status"], PlacementStatus.ENDED)
    choose(dialog.form.editors["outcome"], Outcome.JOB)
    assert dialog.dirty
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = workspace.repos.placements.require(r.placement.id)
    assert (saved.status, saved.outcome) == (PlacementStatus.ENDED, Outcome.JOB)
    assert dialog.result() == dialog.DialogCode.Accepted


def test_extending_past_the_limit_asks_for_a_reason_and_the_buddy_follows_the_period(
    qtbot: QtBot, workspace: Workspace
) -> None:
    r = registered(workspace)
    dialog = PlacementDialog(workspace, r.placement.id, TODAY)
    qtbot.addWidget(dialog)
    retype(qtbot, dialog.form.editors["end_date"], "20.12.2026")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.refusal.text() == "Not saved: Give a reason for going on past each warning of the rules."
    assert workspace.repos.placements.require(r.placement.id).end_date == date(2026, 11, 20)

    reason = dialog.findings_box.reasons["internship_too_long"]
    qtbot.keyClicks(reason, "Forlænget efter aftale med a-kassen")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert workspace.repos.placements.require(r.placement.id).end_date == date(2026, 12, 20)
    ((buddy,), _partners) = workspace.arrangements_of(r.placement.id)
    assert (buddy.start_date, buddy.end_date) == (date(2026, 11, 2), date(2026, 12, 20))
    (checked,) = rules.placement_findings(workspace, r.placement.id)
    assert checked.override is not None

    again = PlacementDialog(workspace, r.placement.id, TODAY)
    qtbot.addWidget(again)
    assert again.findings_box.reasons == {}  # the reason given is shown, not asked again


def test_a_mentor_and_a_sprogmakker_are_added(qtbot: QtBot, workspace: Workspace) -> None:
    r = registered(workspace)
    dialog = PlacementDialog(workspace, r.placement.id, TODAY)
    qtbot.addWidget(dialog)
    new_support = next(b for b in dialog.arrangements if b.original is None and b.isCheckable()
                       and "person_name" in b.form.editors)
    new_partner = next(b for b in dialog.arrangements if b.original is None
                       and "partner_name" in b.form.editors)
    new_support.setChecked(True)
    choose(new_support.form.editors["role"], SupportRole.MENTOR)
    retype(qtbot, new_support.form.editors["person_name"], "Karen Berg")
    retype(qtbot, new_support.form.editors["hours_per_week"], "3")
    new_partner.setChecked(True)
    retype(qtbot, new_partner.form.editors["partner_name"], "Lone Sørensen")
    assert dialog.dirty
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    support, partners = workspace.arrangements_of(r.placement.id)
    assert sorted((s.role, s.person_name) for s in support) == [
        (SupportRole.BUDDY, "Jens Madsen"), (SupportRole.MENTOR, "Karen Berg")]
    (partner,) = partners
    assert (partner.partner_name, partner.start_date, partner.end_date) == (
        "Lone Sørensen", r.placement.start_date, r.placement.end_date)


def test_a_new_buddy_without_a_name_is_refused_and_nothing_is_saved(
    qtbot: QtBot, workspace: Workspace
) -> None:
    r = registered(workspace)
    dialog = PlacementDialog(workspace, r.placement.id, TODAY)
    qtbot.addWidget(dialog)
    choose(dialog.form.editors["status"], PlacementStatus.ACTIVE)
    new_support = next(b for b in dialog.arrangements if b.original is None
                       and "person_name" in b.form.editors)
    new_support.setChecked(True)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.refusal.isVisibleTo(dialog) and "Must be filled in." in dialog.refusal.text()
    assert workspace.repos.placements.require(r.placement.id).status is PlacementStatus.PLANNED
    assert len(workspace.arrangements_of(r.placement.id)[0]) == 1


def test_kopier_forloeb_asks_about_unsaved_changes_and_starts_a_copy_for_the_next_citizen(
    qtbot: QtBot, workspace: Workspace, questions: Questions
) -> None:
    r = registered(workspace, work_tasks="Bagning", goals=("Følger en arbejdsplan",))
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = PlacementDialog(workspace, r.placement.id, TODAY, parent)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    retype(qtbot, dialog.form.editors["weekly_hours"], "30")
    questions.answer = QMessageBox.StandardButton.Cancel
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert questions.asked and dialog.isVisible() and parent.findChild(NewPlacementDialog) is None
    questions.answer = QMessageBox.StandardButton.Discard
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    copy = parent.findChild(NewPlacementDialog)
    assert copy is not None and copy.isVisible()
    assert copy.company.record() == r.company and copy.citizen.record() is None
    values = copy.placement.values()
    assert (values["kind"], values["work_tasks"], values["goals"], values["start_date"]) == (
        r.placement.kind, "Bagning", ("Følger en arbejdsplan",), None)
    assert values["weekly_hours"] == r.placement.weekly_hours  # the saved hours, not the 30
    assert copy.support_box.isChecked()
    assert copy.support.values()["person_name"] == r.support[0].person_name
    qtbot.waitUntil(copy.citizen.typed.hasFocus)
    assert not copy.dirty  # nothing typed yet: Esc closes without asking

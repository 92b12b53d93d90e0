""" "Nyt forløb" as a consultant fills it in: company, citizen, placement, buddy, sprogmakker,
the rules' findings before saving, and a reason to go past them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPlainTextEdit
from pytestqt.qtbot import QtBot

from feltkonsulent.domain.entities import RuleOverride
from feltkonsulent.domain.enums import TargetGroup
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui.forms import RecordForm
from feltkonsulent.ui.new_placement import NewPlacementDialog
from tests import factories
from tests.ui.conftest import TODAY, RealQuestions


def fill(qtbot: QtBot, form: RecordForm, **values: str) -> None:
    for name, text in values.items():
        editor = form.editors[name]
        assert isinstance(editor, QLineEdit | QPlainTextEdit)
        editor.setFocus()
        for number, line in enumerate(text.split("\n")):
            if number:  # Qt's key simulation takes no "\n": press Enter as a user would
                qtbot.keyClick(editor, Qt.Key.Key_Return)
            qtbot.keyClicks(editor, line)


def test_a_whole_placement_with_new_company_and_citizen_and_a_buddy(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog = NewPlacementDialog(workspace, TODAY)
    qtbot.addWidget(dialog)
    dialog.company.new.setChecked(True)
    fill(qtbot, dialog.company.form, name="Bageriet Ørsted ApS", cvr="13585628", employee_count="12")
    dialog.new_contact.setChecked(True)
    fill(qtbot, dialog.contact, name="Mette Kjær", role="Butikschef", phone="86 12 34 56")
    dialog.citizen.new.setChecked(True)
    fill(qtbot, dialog.citizen.form, name="Amina Hassan", cpr="211062-5629")
    dialog.citizen.form.set_value("target_group", TargetGroup.INTEGRATION_PROGRAMME)
    fill(
        qtbot,
        dialog.placement,
        start_date="02.11.2026",
        end_date="20.12.2026",
        weekly_hours="22,5",
        work_tasks="Bagning og opvask",
        goals="Bruger fagord\nFølger en arbejdsplan",
    )
    dialog.placement.editors["purpose"].setCurrentIndex(2)  # type: ignore[attr-defined]
    dialog.support_box.setChecked(True)
    fill(qtbot, dialog.support, person_name="Jens Madsen", hours_per_week="2", hourly_rate="200")
    dialog.partner_box.setChecked(True)
    fill(qtbot, dialog.partner, partner_name="Lone Sørensen", focus_areas="Fagord")

    found = dialog.check()
    # Introduction programme: no internship limit is known, and a notice says so; it asks for
    # no reason, so saving goes ahead.
    assert [f.code for f in found] == ["limit_unconfirmed"]
    assert dialog.findings_box.reasons == {}
    (notice,) = dialog.findings_box.titles
    assert "not known" in notice.text() and "lov nr. 1654" in notice.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved_placement is not None, dialog.refusal.text()
    ws = workspace
    counts = [
        ws.repos.by_entity(e).count()
        for e in ("companies", "citizens", "placements", "support_arrangements", "language_partners")
    ]
    assert counts == [1, 1, 1, 1, 1]
    (contact,) = ws.repos.contacts.where()
    (company,) = ws.repos.companies.where()
    assert (contact.name, contact.company_id) == ("Mette Kjær", company.id)
    assert dialog.saved_placement.contact_id == contact.id
    (buddy,) = ws.repos.support_arrangements.where()
    assert (buddy.start_date, buddy.end_date) == (
        dialog.saved_placement.start_date,
        dialog.saved_placement.end_date,
    )


def test_an_existing_company_is_found_by_typing_and_a_warning_needs_a_reason(
    qtbot: QtBot, workspace: Workspace
) -> None:
    company = factories.company(name="Plejecenter Solbakken")
    citizen = factories.citizen(
        name="Yonas Tesfay", cpr="0305881234", target_group=TargetGroup.UNEMPLOYMENT_BENEFIT
    )
    workspace.save(company)
    workspace.save(citizen)
    contact = factories.contact(company.id, name="Lise Holm", role="Afdelingsleder")
    workspace.save(contact)
    dialog = NewPlacementDialog(workspace, TODAY)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.company.typed, "solbak")
    assert dialog.company.matches.count() == 1
    assert [dialog.contacts.itemText(i) for i in range(dialog.contacts.count())] == [
        "(none)",
        "Lise Holm (Afdelingsleder)",
    ]
    dialog.contacts.setCurrentIndex(1)
    qtbot.keyClicks(dialog.citizen.typed, "030588")
    assert dialog.citizen.matches.count() == 1
    assert "xxxx" in dialog.citizen.matches.item(0).text()
    fill(qtbot, dialog.placement, start_date="02.11.2026", end_date="20.12.2026", weekly_hours="30")
    dialog.placement.editors["purpose"].setCurrentIndex(1)  # type: ignore[attr-defined]
    assert [f.code for f in dialog.check()] == ["internship_too_long"]

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved_placement is None
    assert dialog.refusal.text().startswith("Not saved:")
    assert workspace.repos.placements.count() == 0

    qtbot.keyClicks(dialog.findings_box.reasons["internship_too_long"], "Aftalt med a-kassen")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved_placement is not None
    assert dialog.saved_placement.contact_id == contact.id
    (override,) = workspace.repos.rule_overrides.where()
    assert isinstance(override, RuleOverride) and override.reason == "Aftalt med a-kassen"
    assert workspace.repos.companies.count() == 1


def test_nyt_forloeb_asks_before_what_was_typed_is_thrown_away(
    qtbot: QtBot, workspace: Workspace, real_questions: RealQuestions
) -> None:
    dialog = NewPlacementDialog(workspace, TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog.company.typed, Qt.Key.Key_Escape)  # nothing typed: closes at once
    assert not dialog.isVisible() and real_questions.asked == []
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.company.typed, "Bageriet")
    real_questions.click(QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(dialog.company.typed, Qt.Key.Key_Escape)
    assert real_questions.asked == ["You have changes that are not saved. Save them?"]
    assert dialog.isVisible()
    real_questions.click(QMessageBox.StandardButton.Save)
    dialog.close()  # the window's X; saving is refused: nothing is chosen
    assert dialog.isVisible() and dialog.refusal.text().startswith("Not saved:")
    real_questions.click(QMessageBox.StandardButton.Discard)
    dialog.close()
    assert not dialog.isVisible() and len(real_questions.asked) == 3
    assert workspace.repos.companies.count() == 0

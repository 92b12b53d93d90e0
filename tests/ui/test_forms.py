"""Forms as a consultant uses them: type, see the message, save, see the row."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QStyle,
    QStyleOptionButton,
)
from pytestqt.qtbot import QtBot

from feltkonsulent.domain.entities import Citizen, Company
from feltkonsulent.domain.enums import TargetGroup
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui.dialogs import RecordDialog
from feltkonsulent.ui.main_window import MainWindow


def type_into(qtbot: QtBot, dialog: RecordDialog, field: str, text: str) -> None:
    editor = dialog.form.editors[field]
    assert isinstance(editor, QLineEdit)
    editor.clear()
    qtbot.keyClicks(editor, text)


def error_of(dialog: RecordDialog, field: str) -> str:
    label = dialog.findChild(QLabel, f"error_{field}")
    assert label is not None
    return label.text() if label.isVisibleTo(dialog) else ""


def test_a_bad_cvr_is_explained_as_you_type_and_the_save_is_refused(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog = RecordDialog(workspace, Company)
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog, "name", "Bageriet Ørsted ApS")
    type_into(qtbot, dialog, "cvr", "13585629")
    assert error_of(dialog, "cvr") == "This is not a valid CVR number (the check digit is wrong)."
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisibleTo(None) or dialog.result() == 0
    assert dialog.refusal.text().startswith("Not saved: This is not a valid CVR number")
    assert workspace.repos.companies.count() == 0
    type_into(qtbot, dialog, "cvr", "13585628")
    assert error_of(dialog, "cvr") == ""


def test_a_good_company_is_saved_and_shown_in_the_list(qtbot: QtBot, workspace: Workspace) -> None:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.navigation.setCurrentRow(window.COMPANIES)
    window.new_record()
    dialog = window.findChild(RecordDialog)
    assert dialog is not None
    type_into(qtbot, dialog, "name", "Netto Vejle")
    type_into(qtbot, dialog, "cvr", "13 58 56 28")
    type_into(qtbot, dialog, "postal_code", "7100")
    type_into(qtbot, dialog, "employee_count", "12,5")
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    (company,) = workspace.repos.companies.where()
    assert (company.name, company.cvr, str(company.employee_count)) == ("Netto Vejle", "13585628", "12.5")
    model = window.companies.model
    assert [model.data(model.index(r, 0)) for r in range(model.rowCount())] == ["Netto Vejle"]
    assert window.companies.count.text() == "1 company"
    qtbot.waitUntil(lambda: window.pending.text().endswith("changes waiting to sync"))
    window.close()


def test_unsaved_changes_are_not_lost_by_closing(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[Any] = []

    def answer(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(args)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", answer)
    dialog = RecordDialog(workspace, Company)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog, "name", "Halvfærdig ApS")
    dialog.reject()
    assert asked and dialog.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    dialog.reject()
    assert not dialog.isVisible()
    assert workspace.repos.companies.count() == 0


def test_an_unchanged_form_closes_without_asking(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("asked"))
    dialog = RecordDialog(workspace, Company)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reject()
    assert not dialog.isVisible()


def test_numbers_and_dates_are_read_the_danish_way(qtbot: QtBot, workspace: Workspace) -> None:
    dialog = RecordDialog(workspace, Company)
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog, "employee_count", "tolv")
    assert error_of(dialog, "employee_count") == "Must be a number."
    type_into(qtbot, dialog, "employee_count", "1.234,5")
    assert str(dialog.form.values()["employee_count"]) == "1234.5"


def test_a_new_citizen_must_have_a_target_group_chosen(qtbot: QtBot, workspace: Workspace) -> None:
    from feltkonsulent.domain.entities import Citizen
    from feltkonsulent.domain.enums import TargetGroup

    dialog = RecordDialog(workspace, Citizen)
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog, "name", "Amina Hassan")
    type_into(qtbot, dialog, "cpr", "211062-5629")
    assert error_of(dialog, "target_group") == "Must be filled in."
    dialog.form.set_value("target_group", TargetGroup.INTEGRATION_PROGRAMME)
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    (citizen,) = workspace.repos.citizens.where()
    assert citizen.target_group is TargetGroup.INTEGRATION_PROGRAMME and citizen.cpr == "2110625629"


def test_a_rising_hours_plan_is_typed_the_danish_way() -> None:
    from feltkonsulent.ui.parsing import ParseError, format_hours_plan_input, parse_hours_plan

    steps = parse_hours_plan("01.12.2026 5\n\n29/12-26: 8 t\n26.01.2027 12,5 timer")
    assert steps == ("2026-12-01 5", "2026-12-29 8", "2027-01-26 12.5")
    assert format_hours_plan_input(steps) == "01.12.2026 5\n29.12.2026 8\n26.01.2027 12,5"
    with pytest.raises(ParseError):
        parse_hours_plan("fra december fem timer")


def test_a_citizen_records_the_latest_employer_and_work_experience(
    qtbot: QtBot, workspace: Workspace
) -> None:
    """What the internship rules need (BAB § 61, LAB § 61), typed and ticked in the form."""
    dialog = RecordDialog(workspace, Citizen)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog, "name", "Amal Yusuf")
    type_into(qtbot, dialog, "cpr", "0101901234")
    group = dialog.form.editors["target_group"]
    assert isinstance(group, QComboBox)
    group.setCurrentIndex(group.findData(TargetGroup.CASH_BENEFIT_JOB_READY))
    type_into(qtbot, dialog, "latest_employer", "Netto, Vejle")
    box = dialog.form.editors["without_work_experience"]
    assert isinstance(box, QCheckBox)
    option = QStyleOptionButton()
    box.initStyleOption(option)
    indicator = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=indicator.center())
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.refusal.isHidden(), dialog.refusal.text()
    saved = workspace.repos.citizens.where()[0]
    assert (saved.latest_employer, saved.without_work_experience) == ("Netto, Vejle", True)

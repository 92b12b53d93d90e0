"""Forms as a consultant uses them: type, see the message, save, see the row."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QStyle,
    QStyleOptionButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from feltkonsulent.domain.entities import Citizen, Company, Contact
from feltkonsulent.domain.enums import TargetGroup
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui.dialogs import RecordDialog
from feltkonsulent.ui.main_window import MainWindow
from feltkonsulent.ui.new_placement import NewPlacementDialog
from tests import factories
from tests.ui.conftest import TODAY, Questions, RealQuestions


def type_into(qtbot: QtBot, dialog: RecordDialog, field: str, text: str) -> None:
    editor = dialog.form.editors[field]
    assert isinstance(editor, QLineEdit)
    editor.clear()
    qtbot.keyClicks(editor, text)


def shown(qtbot: QtBot, dialog: QWidget) -> None:
    """Shown and active, as a user has it: focus events come only to the active window."""
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)


def error_of(dialog: RecordDialog, field: str) -> str:
    label = dialog.findChild(QLabel, f"error_{field}")
    assert label is not None
    return label.text() if label.isVisibleTo(dialog) else ""


def test_a_bad_cvr_is_explained_once_the_field_is_left_and_the_save_is_refused(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog = RecordDialog(workspace, Company)
    qtbot.addWidget(dialog)
    shown(qtbot, dialog)
    qtbot.keyClicks(dialog.form.editors["name"], "Bageriet Ørsted ApS")
    qtbot.keyClick(dialog.form.editors["name"], Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.form.editors["cvr"], "135856")
    assert error_of(dialog, "cvr") == ""  # still typing its first value: no message yet
    qtbot.keyClicks(dialog.form.editors["cvr"], "29")
    assert error_of(dialog, "cvr") == ""
    qtbot.keyClick(dialog.form.editors["cvr"], Qt.Key.Key_Tab)
    assert error_of(dialog, "cvr") == "This is not a valid CVR number (the check digit is wrong)."
    assert dialog.form.editors["p_number"].hasFocus()
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
    qtbot: QtBot, workspace: Workspace, questions: Questions
) -> None:
    dialog = RecordDialog(workspace, Company)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_into(qtbot, dialog, "name", "Halvfærdig ApS")
    questions.answer = QMessageBox.StandardButton.Cancel
    qtbot.keyClick(dialog.form.editors["name"], Qt.Key.Key_Escape)
    assert questions.asked == ["You have changes that are not saved. Save them?"]
    assert dialog.isVisible()
    dialog.close()  # the window's X
    assert len(questions.asked) == 2 and dialog.isVisible()
    questions.answer = QMessageBox.StandardButton.Discard
    cancel = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert workspace.repos.companies.count() == 0


def test_save_on_the_question_saves_and_closes_and_a_refused_save_stays_open(
    qtbot: QtBot, workspace: Workspace, real_questions: RealQuestions
) -> None:
    dialog = RecordDialog(workspace, Company)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_into(qtbot, dialog, "name", "Bageriet Ørsted ApS")
    real_questions.click(QMessageBox.StandardButton.Save)
    qtbot.keyClick(dialog.form.editors["name"], Qt.Key.Key_Escape)  # no CVR yet: refused
    assert real_questions.asked == ["You have changes that are not saved. Save them?"]
    assert dialog.isVisible() and dialog.refusal.text() == "Not saved: CVR number: Must be filled in."
    assert error_of(dialog, "cvr") == "Must be filled in."
    type_into(qtbot, dialog, "cvr", "13585628")
    real_questions.click(QMessageBox.StandardButton.Save)
    dialog.close()  # the window's X
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted
    (company,) = workspace.repos.companies.where()
    assert (company.name, company.cvr) == ("Bageriet Ørsted ApS", "13585628")


def test_an_unchanged_form_closes_without_asking(
    qtbot: QtBot, workspace: Workspace, questions: Questions
) -> None:
    dialog = RecordDialog(workspace, Company)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog.form.editors["name"], Qt.Key.Key_Escape)
    assert not dialog.isVisible() and questions.asked == []


def test_numbers_and_dates_are_read_the_danish_way(qtbot: QtBot, workspace: Workspace) -> None:
    dialog = RecordDialog(workspace, Company)
    qtbot.addWidget(dialog)
    shown(qtbot, dialog)
    dialog.form.editors["employee_count"].setFocus()
    type_into(qtbot, dialog, "employee_count", "tolv")
    qtbot.keyClick(dialog.form.editors["employee_count"], Qt.Key.Key_Tab)
    assert error_of(dialog, "employee_count") == "Must be a number."
    type_into(qtbot, dialog, "employee_count", "1.234,5")
    assert error_of(dialog, "employee_count") == ""
    assert str(dialog.form.values()["employee_count"]) == "1234.5"


def test_a_new_citizen_must_have_a_target_group_chosen(qtbot: QtBot, workspace: Workspace) -> None:
    from feltkonsulent.domain.entities import Citizen
    from feltkonsulent.domain.enums import TargetGroup

    dialog = RecordDialog(workspace, Citizen)
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog, "name", "Amina Hassan")
    type_into(qtbot, dialog, "cpr", "211062-5629")
    assert error_of(dialog, "target_group") == ""
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # refused: now it says why
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


def wheel_down(widget: QWidget) -> None:
    """One notch of the mouse wheel over the middle of the widget, as the window system sends it."""
    at = QPointF(widget.rect().center())
    event = QWheelEvent(at, QPointF(widget.mapToGlobal(at)), QPoint(0, 0), QPoint(0, -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_wheel_scrolls_the_form_over_a_drop_down_without_the_focus(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog = NewPlacementDialog(workspace, TODAY)
    qtbot.addWidget(dialog)
    dialog.resize(600, 400)  # the form is taller than its scroll area
    dialog.show()
    qtbot.waitExposed(dialog)
    kind = dialog.placement.editors["kind"]
    assert isinstance(kind, QComboBox) and not kind.hasFocus()
    assert kind.focusPolicy() == Qt.FocusPolicy.StrongFocus  # a wheel turn gives no focus
    bar = dialog.findChild(QScrollArea).verticalScrollBar()  # type: ignore[union-attr]
    before, at = kind.currentIndex(), bar.value()
    wheel_down(kind)
    assert kind.currentIndex() == before and not kind.hasFocus()
    assert bar.value() > at  # the form scrolled instead
    kind.setFocus()
    qtbot.waitUntil(kind.hasFocus)
    at = bar.value()
    wheel_down(kind)
    assert kind.currentIndex() == before + 1 and bar.value() == at


def test_enter_goes_on_to_the_next_field_and_saves_in_the_last(
    qtbot: QtBot, workspace: Workspace
) -> None:
    company = factories.company()
    workspace.save(company)
    dialog = RecordDialog(workspace, Contact, fixed={"company_id": company.id})
    qtbot.addWidget(dialog)
    shown(qtbot, dialog)
    for text in ("Mette Kjær", "Butikschef", "86 12 34 56", ""):
        qtbot.keyClicks(QApplication.focusWidget(), text)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert dialog.form.editors["is_employee_representative"].hasFocus()
    assert workspace.repos.contacts.count() == 0
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # the last field: saved
    assert dialog.result() == QDialog.DialogCode.Accepted
    (contact,) = workspace.repos.contacts.where()
    assert (contact.name, contact.role, contact.phone, contact.is_employee_representative) == (
        "Mette Kjær", "Butikschef", "86 12 34 56", True)


def test_optional_fields_are_passed_by_tab_until_more_fields_is_opened(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog = RecordDialog(workspace, Company)
    qtbot.addWidget(dialog)
    shown(qtbot, dialog)
    dialog.form.editors["name"].setFocus()
    passed = []
    while not dialog.form.more_button.hasFocus():
        passed.append(QApplication.focusWidget().objectName())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert passed == ["name", "cvr", "p_number", "street", "postal_code", "city",
                      "employee_count", "sector"]
    assert not dialog.form.editors["industry"].isVisible()
    qtbot.keyClick(dialog.form.more_button, Qt.Key.Key_Space)
    qtbot.keyClick(dialog.form.more_button, Qt.Key.Key_Tab)
    assert dialog.form.editors["industry"].hasFocus()

    company = factories.company(industry="Bagerier")
    edit = RecordDialog(workspace, Company, company)
    qtbot.addWidget(edit)
    shown(qtbot, edit)
    assert edit.form.editors["industry"].isVisible()  # it has a value: open from the start


def test_the_focus_shows_on_fields_drop_downs_buttons_and_check_boxes(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog = RecordDialog(workspace, Citizen)
    qtbot.addWidget(dialog)
    shown(qtbot, dialog)
    editors = dialog.form.editors
    for widget in (editors["name"], editors["target_group"], editors["without_work_experience"],
                   dialog.save_button):
        dialog.form.more_button.setFocus()
        qtbot.waitUntil(dialog.form.more_button.hasFocus)
        before = widget.grab().toImage()
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus)
        assert widget.grab().toImage() != before, widget.objectName()


def test_date_placeholders_are_in_the_users_language(workspace: Workspace) -> None:
    from feltkonsulent import i18n
    from feltkonsulent.ui.records import placement_fields

    assert {f.placeholder for f in placement_fields() if f.kind.value == "date"} == {"DD.MM.YYYY"}
    i18n.set_language("da")
    assert {f.placeholder for f in placement_fields() if f.kind.value == "date"} == {"DD.MM.ÅÅÅÅ"}


def test_typing_stops_at_the_limit_of_a_one_line_field(
    qtbot: QtBot, workspace: Workspace
) -> None:
    """The value boundary (limits.py) in a form: a one-line field takes no more than its limit
    (name 200, e-mail 254, CVR 20); a multi-line one takes what is typed and its save refuses."""
    dialog = RecordDialog(workspace, Company)
    qtbot.addWidget(dialog)
    shown(qtbot, dialog)
    qtbot.keyClicks(dialog.form.editors["name"], "N" * 205)
    type_into(qtbot, dialog, "cvr", "13585628" + "9" * 20)
    assert dialog.form.raw("name") == "N" * 200
    assert dialog.form.raw("cvr") == "13585628" + "9" * 12
    type_into(qtbot, dialog, "cvr", "13585628")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible(), dialog.refusal.text()
    (saved,) = workspace.repos.companies.where()
    assert saved.name == "N" * 200


def test_a_value_stored_over_its_limit_is_shown_whole_and_refused_naming_the_field(
    qtbot: QtBot, workspace: Workspace
) -> None:
    # A record written before the limits existed: the form does not cut it in silence; the
    # summary line names the field, since the boundary's sentence says only the limit.
    company = factories.company()
    workspace.save(company)
    with workspace.store.write():
        workspace.store.conn.execute("UPDATE companies SET name = ? WHERE id = ?",
                                     ("N" * 201, company.id))
    stored = workspace.repos.companies.require(company.id)
    dialog = RecordDialog(workspace, Company, stored)
    qtbot.addWidget(dialog)
    shown(qtbot, dialog)
    assert dialog.form.raw("name") == "N" * 201
    qtbot.keyClick(dialog.form.editors["name"], Qt.Key.Key_End)
    qtbot.keyClicks(dialog.form.editors["name"], "N")  # no longer than it was
    assert dialog.form.raw("name") == "N" * 201
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert error_of(dialog, "name") == "At most 200 characters (this has 201)."
    assert dialog.refusal.text() == "Not saved: Name: At most 200 characters (this has 201)."
    assert workspace.repos.companies.require(company.id).name == "N" * 201

"""Every button, shortcut and toolbar item of the main window, the company and the placement,
pressed through the real widget: the toolbar's own button clicked with the mouse, the shortcut
pressed on the window, and the effect looked for where the user sees it, in the database or in
the file on disk (docs/controls.md lists them all). A modal dialog the control opens (the file
dialog, the print dialog) is the real one, answered by clicking its own buttons.

The sync controls are in test_sync.py, the settings', the password's and the profile's in their
own files."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyleOptionGroupBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from feltkonsulent.domain.entities import Contact
from feltkonsulent.services import profile
from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from feltkonsulent.ui.agreement import AgreementDialog
from feltkonsulent.ui.company import CompanyDialog
from feltkonsulent.ui.dialogs import RecordDialog
from feltkonsulent.ui.lock import lock_minutes
from feltkonsulent.ui.main_window import MainWindow
from feltkonsulent.ui.new_placement import NewPlacementDialog
from feltkonsulent.ui.placement import PlacementDialog
from feltkonsulent.ui.settings import SettingsDialog
from feltkonsulent.ui.visits import VisitDialog
from tests import factories
from tests.ui.conftest import TODAY
from tests.ui.windows import shown_window, toolbar_button

CTRL = Qt.KeyboardModifier.ControlModifier
# A path typed into a file name field pops up its completer, which the offscreen platform cannot
# raise or give the keyboard to: said as warnings that are about the test's screen, not the app.
OFFSCREEN_POPUP = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard")
LEFT = Qt.MouseButton.LeftButton


# -- helpers ------------------------------------------------------------------------------------
def open_dialog(qtbot: QtBot, parent: QWidget, cls: type[QWidget]) -> QWidget:
    """The one visible dialog of `cls` under `parent`, once it is shown."""
    qtbot.waitUntil(lambda: any(d.isVisible() for d in parent.findChildren(cls)))
    (dialog,) = [d for d in parent.findChildren(cls) if d.isVisible()]
    return dialog


def visible(parent: QWidget, cls: type[QWidget]) -> list[QWidget]:
    return [d for d in parent.findChildren(cls) if d.isVisible()]


class Modal:
    """Answers the modal dialog of `cls` that the next control opens (it runs its own event
    loop, so the answer comes from a timer) by clicking in it. Should the answer not close it,
    it is rejected, so that the test fails instead of waiting for ever."""

    def __init__(self, qtbot: QtBot, cls: type[QWidget], answer: Callable[[QWidget], None]) -> None:
        self.cls, self.answer = cls, answer
        self.answered = False
        self.problems: list[str] = []
        self._tries = 100  # 5 s
        # A modal dialog open already (the one whose control is clicked) is not the answer's: the
        # timer may fire before the new one shows (while a save waits for the writer).
        self._before = QApplication.activeModalWidget()
        QTimer.singleShot(0, self._run)

    def _run(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog is self._before:
            self._tries -= 1
            if self._tries:
                QTimer.singleShot(50, self._run)  # not shown yet
            return
        if not isinstance(dialog, self.cls):
            self.problems.append(f"a {type(dialog).__name__} was shown, not a {self.cls.__name__}")
            dialog.close()
            return
        try:
            self.answer(dialog)
            self.answered = True
        finally:
            if dialog.isVisible():
                self.problems.append("the answer did not close the dialog")
                dialog.close()

    def check(self) -> None:
        assert self.problems == [] and self.answered


def registered(ws: Workspace, n: int = 1) -> list[PlacementRegistration]:
    done = []
    for i in range(n):
        company = factories.company(name=f"Bageri {i}")
        citizen = factories.citizen(name=f"Borger {i}")
        contact = factories.contact(company.id, name=f"Kontakt {i}", role="Butikschef")
        placement = factories.placement(citizen.id, company.id, contact_id=contact.id,
                                        start_date=date(2026, 12, 1), end_date=date(2026, 12, 20))
        registration = PlacementRegistration(company, citizen, placement, contact)
        ws.register_placement(registration)
        done.append(registration)
    return done


@pytest.fixture
def issuer(workspace: Workspace) -> None:
    """The profile filled in: printing does not stop to ask who issues the agreement."""
    profile.update(workspace, municipality="Vejle Kommune", consultant="Mette Kjær")


# -- the main window: New, New placement, Ctrl+1..5 -------------------------------------------
def test_new_in_the_toolbar_and_ctrl_n_open_the_form_of_the_page_shown(
    qtbot: QtBot, workspace: Workspace
) -> None:
    window = shown_window(qtbot, workspace)
    expected = {window.COMPANIES: "New company", window.CITIZENS: "New citizen"}
    for page, title in expected.items():
        window.navigation.setCurrentRow(page)
        qtbot.mouseClick(toolbar_button(window, "New"), LEFT)
        dialog = open_dialog(qtbot, window, RecordDialog)
        assert dialog.windowTitle() == title
        dialog.close()
        qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
        dialog = open_dialog(qtbot, window, RecordDialog)
        assert dialog.windowTitle() == title
        dialog.close()
    window.navigation.setCurrentRow(window.TODAY)  # elsewhere: a new placement
    qtbot.mouseClick(toolbar_button(window, "New"), LEFT)
    open_dialog(qtbot, window, NewPlacementDialog).close()
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    open_dialog(qtbot, window, NewPlacementDialog).close()
    assert not visible(window, RecordDialog) and not visible(window, NewPlacementDialog)


def test_a_company_typed_after_ctrl_n_is_saved_by_ctrl_s_and_listed(
    qtbot: QtBot, workspace: Workspace
) -> None:
    window = shown_window(qtbot, workspace)
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    dialog = open_dialog(qtbot, window, RecordDialog)
    assert isinstance(dialog, RecordDialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    name = dialog.form.editors["name"]
    assert isinstance(name, QLineEdit)
    qtbot.keyClicks(name, "Netto Vejle")
    cvr = dialog.form.editors["cvr"]
    assert isinstance(cvr, QLineEdit)
    qtbot.keyClicks(cvr, "13585628")
    qtbot.keyClick(cvr, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible())  # a shortcut shows the button pressed first
    (company,) = workspace.repos.companies.where()
    assert (company.name, company.cvr) == ("Netto Vejle", "13585628")
    model = window.companies.model
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert model.data(model.index(0, 0)) == "Netto Vejle"


def test_new_placement_in_the_toolbar_opens_the_new_placement_form(
    qtbot: QtBot, workspace: Workspace
) -> None:
    window = shown_window(qtbot, workspace)
    window.navigation.setCurrentRow(window.COMPANIES)  # not the page's own kind: a placement
    qtbot.mouseClick(toolbar_button(window, "New placement"), LEFT)
    dialog = open_dialog(qtbot, window, NewPlacementDialog)
    assert not visible(window, RecordDialog)
    dialog.close()


def test_ctrl_1_to_5_show_each_page(qtbot: QtBot, workspace: Workspace) -> None:
    window = shown_window(qtbot, workspace)
    pages = [window.today_page, window.companies, window.citizens, window.placements,
             window.visits]
    keys = [Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_5]
    for key, page in reversed(list(zip(keys, pages, strict=True))):
        qtbot.keyClick(window, key, CTRL)
        assert window.pages.currentWidget() is page
        assert window.navigation.currentRow() == pages.index(page)


# -- the main window: Settings, Export… --------------------------------------------------------
def test_settings_in_the_toolbar_opens_the_settings_and_ok_applies_the_lock_time(
    qtbot: QtBot, workspace: Workspace
) -> None:
    window = shown_window(qtbot, workspace)
    assert window.idle.counting  # ten minutes to a lock, by default
    qtbot.mouseClick(toolbar_button(window, "Settings"), LEFT)
    dialog = open_dialog(qtbot, window, SettingsDialog)
    assert isinstance(dialog, SettingsDialog)
    dialog.lock_after.setCurrentIndex(dialog.lock_after.findData(0))  # "Never"
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Ok), LEFT)
    assert not dialog.isVisible()
    assert lock_minutes() == 0
    assert not window.idle.counting, "Never: no lock is counted down any more"


@OFFSCREEN_POPUP
def test_export_in_the_toolbar_writes_the_file_chosen_in_the_file_dialog(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registered(workspace, 2)
    monkeypatch.setenv("HOME", str(tmp_path))  # where the file dialog starts
    window = shown_window(qtbot, workspace)

    def save_as_typed(dialog: QWidget) -> None:
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        buttons = dialog.findChild(QDialogButtonBox)
        assert name is not None and buttons is not None
        name.selectAll()
        qtbot.keyClicks(name, "mit-udtræk.json")
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        qtbot.waitUntil(save.isEnabled)
        qtbot.mouseClick(save, LEFT)

    modal = Modal(qtbot, QFileDialog, save_as_typed)
    qtbot.mouseClick(toolbar_button(window, "Export…"), LEFT)
    modal.check()
    target = tmp_path / "mit-udtræk.json"
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Exported to mit-udtræk.json.",
                    timeout=20_000)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert len(document["placements"]) == 2 and len(document["companies"]) == 2


def test_export_cancelled_in_the_file_dialog_writes_nothing(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    window = shown_window(qtbot, workspace)

    def cancel(dialog: QWidget) -> None:
        buttons = dialog.findChild(QDialogButtonBox)
        assert buttons is not None
        qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Cancel), LEFT)

    modal = Modal(qtbot, QFileDialog, cancel)
    before = set(tmp_path.iterdir())
    qtbot.mouseClick(toolbar_button(window, "Export…"), LEFT)
    modal.check()
    qtbot.wait(200)
    assert set(tmp_path.iterdir()) == before
    assert window.statusBar().currentMessage() == ""


# -- the main window: Ctrl+P on Forløb ---------------------------------------------------------
def choose_rows(qtbot: QtBot, window: MainWindow, rows: list[int]) -> None:
    """Click the first row, Ctrl+click the others, in the Forløb list."""
    table = window.placements.table
    qtbot.waitUntil(lambda: window.placements.model.rowCount() >= max(rows) + 1)
    for n, row in enumerate(rows):
        point = table.visualRect(window.placements.model.index(row, 0)).center()
        qtbot.mouseClick(table.viewport(), LEFT, CTRL if n else Qt.KeyboardModifier.NoModifier,
                         point)
    assert sorted(table.selectionModel().selectedRows()[i].row()
                  for i in range(len(rows))) == sorted(rows)


def print_button(dialog: QWidget, text: str) -> QPushButton:
    (button,) = [b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == text]
    return button


@OFFSCREEN_POPUP
def test_ctrl_p_on_placements_prints_the_chosen_agreement_through_the_print_dialog(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path, issuer: None
) -> None:
    """One agreement of two chosen, printed to a PDF file chosen in the real print dialog. (It
    takes some 50 s while the batch renders each page as a 1200 dpi image: see
    docs/controls.md.)"""
    registered(workspace, 2)
    window = shown_window(qtbot, workspace)
    qtbot.keyClick(window, Qt.Key.Key_4, CTRL)
    choose_rows(qtbot, window, [1])
    (chosen,) = window.placements.chosen_ids()
    out = tmp_path / "aftaler.pdf"

    def print_to_file(dialog: QWidget) -> None:
        file_name = dialog.findChild(QLineEdit, "filename")
        assert file_name is not None
        file_name.selectAll()
        qtbot.keyClicks(file_name, str(out))
        qtbot.mouseClick(print_button(dialog, "Print"), LEFT)

    modal = Modal(qtbot, QPrintDialog, print_to_file)
    qtbot.keyClick(window.placements.table, Qt.Key.Key_P, CTRL)
    modal.check()
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=180_000)
    (issued,) = workspace.repos.agreements.where()
    assert issued.placement_id == chosen
    single = AgreementDialog(workspace, chosen, TODAY)
    qtbot.addWidget(single)
    per_agreement = single.document.pageCount() if single.document else 0
    assert per_agreement > 0 and len(PdfReader(out).pages) == per_agreement


def test_ctrl_p_cancelled_in_the_print_dialog_issues_nothing(
    qtbot: QtBot, workspace: Workspace, issuer: None
) -> None:
    registered(workspace, 1)
    window = shown_window(qtbot, workspace)
    qtbot.keyClick(window, Qt.Key.Key_4, CTRL)
    choose_rows(qtbot, window, [0])
    modal = Modal(qtbot, QPrintDialog,
                            lambda dialog: qtbot.mouseClick(print_button(dialog, "Cancel"), LEFT))
    qtbot.keyClick(window.placements.table, Qt.Key.Key_P, CTRL)
    modal.check()
    qtbot.wait(200)
    assert workspace.repos.agreements.count() == 0


# -- the company: contact persons and placements ----------------------------------------------
def button(parent: QWidget, text: str) -> QPushButton:
    (found,) = [b for b in parent.findChildren(QPushButton)
                if b.text().replace("&", "") == text and b.window() is parent]
    return found


def company_dialog(qtbot: QtBot, ws: Workspace) -> tuple[CompanyDialog, PlacementRegistration]:
    (r,) = registered(ws)
    dialog = CompanyDialog(ws, r.company, TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog, r


def save_typed(qtbot: QtBot, form: RecordDialog, field: str, text: str) -> None:
    editor = form.form.editors[field]
    assert isinstance(editor, QLineEdit)
    editor.clear()
    qtbot.keyClicks(editor, text)
    qtbot.mouseClick(form.save_button, LEFT)
    assert not form.isVisible(), form.refusal.text()


def test_new_contact_person_and_edit_in_the_company_save_the_contact(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog, r = company_dialog(qtbot, workspace)
    qtbot.mouseClick(button(dialog, "New contact person"), LEFT)
    form = open_dialog(qtbot, dialog, RecordDialog)
    assert isinstance(form, RecordDialog) and form.windowTitle() == "New contact person"
    save_typed(qtbot, form, "name", "Ali Jensen")
    assert {c.name for c in workspace.contacts_of(r.company.id)} == {"Kontakt 0", "Ali Jensen"}
    assert any(dialog.contacts.item(i).text() == "Ali Jensen" for i in range(dialog.contacts.count()))

    row = next(i for i in range(dialog.contacts.count())
               if dialog.contacts.item(i).text().startswith("Kontakt 0"))
    dialog.contacts.setCurrentRow(row)
    qtbot.mouseClick(button(dialog, "Edit"), LEFT)
    form = open_dialog(qtbot, dialog, RecordDialog)
    assert isinstance(form, RecordDialog) and form.windowTitle() == "Edit contact person"
    save_typed(qtbot, form, "phone", "12 34 56 78")
    contact = workspace.get(Contact, r.contact.id if r.contact else "")
    assert contact is not None and contact.phone == "12 34 56 78"


def test_a_double_click_on_a_contact_person_opens_it_for_editing(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog, _r = company_dialog(qtbot, workspace)
    item = dialog.contacts.item(0)
    point = dialog.contacts.visualItemRect(item).center()
    qtbot.mouseClick(dialog.contacts.viewport(), LEFT, pos=point)
    qtbot.mouseDClick(dialog.contacts.viewport(), LEFT, pos=point)
    form = open_dialog(qtbot, dialog, RecordDialog)
    assert isinstance(form, RecordDialog) and form.windowTitle() == "Edit contact person"
    assert form.form.values()["name"] == "Kontakt 0"
    form.close()


def test_open_and_visit_notes_in_the_company_open_the_chosen_placement(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog, r = company_dialog(qtbot, workspace)
    qtbot.mouseClick(button(dialog, "Open"), LEFT)
    placement = open_dialog(qtbot, dialog, PlacementDialog)
    assert isinstance(placement, PlacementDialog) and placement.placement.id == r.placement.id
    placement.close()
    qtbot.mouseClick(button(dialog, "Visit notes…"), LEFT)
    visits = open_dialog(qtbot, dialog, VisitDialog)
    assert isinstance(visits, VisitDialog) and visits.placement_id == r.placement.id
    visits.close()


def test_new_placement_here_starts_a_placement_at_the_company(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog, r = company_dialog(qtbot, workspace)
    qtbot.mouseClick(button(dialog, "New placement here"), LEFT)
    new = open_dialog(qtbot, dialog, NewPlacementDialog)
    assert isinstance(new, NewPlacementDialog) and new.company.record() == r.company
    new.close()


# -- the placement: its agreement and a new buddy -----------------------------------------------
def placement_dialog(qtbot: QtBot, ws: Workspace) -> tuple[PlacementDialog, PlacementRegistration]:
    (r,) = registered(ws)
    dialog = PlacementDialog(ws, r.placement.id, TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog, r


def test_print_agreement_and_ctrl_p_in_the_placement_open_the_preview_and_close_closes_it(
    qtbot: QtBot, workspace: Workspace, issuer: None
) -> None:
    dialog, r = placement_dialog(qtbot, workspace)
    box = dialog.agreement
    qtbot.mouseClick(box.print_button, LEFT)
    preview = open_dialog(qtbot, box, AgreementDialog)
    assert isinstance(preview, AgreementDialog) and preview.placement_id == r.placement.id
    buttons = preview.findChild(QDialogButtonBox)
    assert buttons is not None
    qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Close), LEFT)
    assert not preview.isVisible()
    assert workspace.repos.agreements.count() == 0, "looking is not issuing"
    assert box.state.text() == "No agreement issued yet."
    qtbot.keyClick(dialog, Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: len(visible(box, AgreementDialog)) == 1)


def test_signed_today_marks_the_issued_agreement_signed(
    qtbot: QtBot, workspace: Workspace, issuer: None
) -> None:
    from feltkonsulent.services import agreements

    dialog, r = placement_dialog(qtbot, workspace)
    box = dialog.agreement
    assert not box.signed_button.isEnabled(), "nothing issued: nothing to sign"
    agreements.record(workspace, agreements.prepare(workspace, r.placement.id, "da", TODAY))
    box.show_state()
    qtbot.mouseClick(box.signed_button, LEFT)
    (agreement,) = workspace.repos.agreements.where()
    assert agreement.signed_on == TODAY
    assert box.state.text() == "Version 1 signed 22.11.2026."
    assert not box.signed_button.isEnabled()


def click_check_box(qtbot: QtBot, box: QGroupBox) -> None:
    """A click on the check box in a checkable group box's title."""
    option = QStyleOptionGroupBox()
    box.initStyleOption(option)
    rect = box.style().subControlRect(QStyle.ComplexControl.CC_GroupBox, option,
                                      QStyle.SubControl.SC_GroupBoxCheckBox, box)
    qtbot.mouseClick(box, LEFT, pos=QPoint(rect.center()))


def test_a_buddy_and_a_sprogmakker_ticked_in_the_placement_are_saved_with_it(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog, r = placement_dialog(qtbot, workspace)
    scroll = dialog.findChild(QScrollArea)
    assert scroll is not None
    for title, field, name in (("Add a buddy or mentor", "person_name", "Jens Madsen"),
                               ("Add a sprogmakker", "partner_name", "Lone Sørensen")):
        (box,) = [b for b in dialog.arrangements if b.title() == title]
        assert not box.form.isVisibleTo(dialog)
        scroll.ensureWidgetVisible(box)  # as the wheel would: the boxes are below the terms
        click_check_box(qtbot, box)
        assert box.isChecked() and box.form.isVisible(), title
        editor = box.form.editors[field]
        assert isinstance(editor, QLineEdit)
        qtbot.keyClicks(editor, name)
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert not dialog.isVisible(), dialog.refusal.text()
    (support,), (partner,) = workspace.arrangements_of(r.placement.id)
    assert (support.person_name, partner.partner_name) == ("Jens Madsen", "Lone Sørensen")
    assert (support.start_date, support.end_date) == (r.placement.start_date, r.placement.end_date)


# -- the lists: a row opened by a double click or Enter -------------------------------------------
def click_row(qtbot: QtBot, window: MainWindow, page: QWidget, row: int) -> str:
    """Click the row in the page's list; the id of its record."""
    from feltkonsulent.ui.lists import ListPage
    from feltkonsulent.ui.models import ID_ROLE

    assert isinstance(page, ListPage)
    qtbot.waitUntil(lambda: page.model.rowCount() > row)
    index = page.model.index(row, 0)
    qtbot.mouseClick(page.table.viewport(), LEFT, pos=page.table.visualRect(index).center())
    assert page.table.hasFocus()
    return str(page.model.data(index, ID_ROLE))


def test_a_double_click_in_a_list_opens_the_record_once(
    qtbot: QtBot, workspace: Workspace
) -> None:
    (r,) = registered(workspace)
    window = shown_window(qtbot, workspace)
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    row_id = click_row(qtbot, window, window.companies, 0)
    point = window.companies.table.visualRect(window.companies.model.index(0, 0)).center()
    qtbot.mouseDClick(window.companies.table.viewport(), LEFT, pos=point)
    qtbot.waitUntil(lambda: bool(visible(window, CompanyDialog)))
    qtbot.wait(100)
    opened = visible(window, CompanyDialog)
    assert len(opened) == 1, f"{len(opened)} company dialogs opened by one double click"
    assert isinstance(opened[0], CompanyDialog) and opened[0].company.id == row_id == r.company.id


def test_enter_in_the_lists_opens_the_record(qtbot: QtBot, workspace: Workspace) -> None:
    (r,) = registered(workspace)
    workspace.record_visit(factories.visit(r.placement.id, visited_on=TODAY))
    window = shown_window(qtbot, workspace)

    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    row_id = click_row(qtbot, window, window.companies, 0)
    qtbot.keyClick(window.companies.table, Qt.Key.Key_Return)
    company = open_dialog(qtbot, window, CompanyDialog)
    assert isinstance(company, CompanyDialog) and company.company.id == row_id == r.company.id
    company.close()

    qtbot.keyClick(window, Qt.Key.Key_3, CTRL)
    row_id = click_row(qtbot, window, window.citizens, 0)
    qtbot.keyClick(window.citizens.table, Qt.Key.Key_Return)
    citizen = open_dialog(qtbot, window, RecordDialog)
    assert citizen.windowTitle() == "Edit citizen" and row_id == r.citizen.id
    citizen.close()

    qtbot.keyClick(window, Qt.Key.Key_4, CTRL)
    row_id = click_row(qtbot, window, window.placements, 0)
    qtbot.keyClick(window.placements.table, Qt.Key.Key_Return)
    placement = open_dialog(qtbot, window, PlacementDialog)
    assert isinstance(placement, PlacementDialog) and placement.placement.id == r.placement.id
    placement.close()

    qtbot.keyClick(window, Qt.Key.Key_5, CTRL)
    click_row(qtbot, window, window.visits, 0)
    qtbot.keyClick(window.visits.table, Qt.Key.Key_Return)
    visits = open_dialog(qtbot, window, VisitDialog)
    assert isinstance(visits, VisitDialog) and visits.placement_id == r.placement.id
    visits.close()

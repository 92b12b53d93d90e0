"""A company opened from the list: its details, contact persons and placements."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from feltkonsulent.domain.entities import Contact
from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from feltkonsulent.ui.company import CompanyDialog
from feltkonsulent.ui.dialogs import RecordDialog
from feltkonsulent.ui.main_window import MainWindow
from feltkonsulent.ui.new_placement import NewPlacementDialog
from feltkonsulent.ui.placement import PlacementDialog
from tests import factories
from tests.ui.conftest import TODAY


def registered(ws: Workspace) -> PlacementRegistration:
    company, citizen = factories.company(), factories.citizen(name="Amina Hassan")
    contact = factories.contact(company.id, name="Mette Holm", role="Butikschef")
    placement = factories.placement(citizen.id, company.id, contact_id=contact.id)
    registration = PlacementRegistration(company, citizen, placement, contact)
    ws.register_placement(registration)
    return registration


def items(widget: object) -> list[str]:
    from PySide6.QtWidgets import QListWidget, QTreeWidget

    if isinstance(widget, QListWidget):
        return [widget.item(i).text() for i in range(widget.count())]
    assert isinstance(widget, QTreeWidget)
    return [widget.topLevelItem(i).text(0) for i in range(widget.topLevelItemCount())]


def test_a_company_opens_with_its_contacts_and_placements(qtbot: QtBot, workspace: Workspace) -> None:
    r = registered(workspace)
    window = MainWindow(workspace, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.companies.opened.emit(r.company.id)
    dialog = window.findChild(CompanyDialog)
    assert dialog is not None
    assert items(dialog.contacts) == ["Mette Holm · Butikschef · 86 12 34 56 · mette@orsted-bageri.dk"]
    assert items(dialog.placements) == ["Amina Hassan"]
    qtbot.keyClick(dialog.placements, Qt.Key.Key_Return)
    placement = dialog.findChild(PlacementDialog)
    assert placement is not None and placement.placement.id == r.placement.id
    placement.close()
    dialog.close()
    window.close()


def test_a_contact_person_is_added_and_edited_from_the_company(qtbot: QtBot, workspace: Workspace) -> None:
    r = registered(workspace)
    dialog = CompanyDialog(workspace, r.company, TODAY)
    qtbot.addWidget(dialog)
    dialog.new_contact()
    form = dialog.findChild(RecordDialog)
    assert form is not None
    name = form.form.editors["name"]
    assert isinstance(name, QLineEdit)
    qtbot.keyClicks(name, "Ali Jensen")
    form.form.editors["is_employee_representative"].setChecked(True)  # type: ignore[attr-defined]
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    saved = {c.name: c for c in workspace.contacts_of(r.company.id)}
    assert set(saved) == {"Mette Holm", "Ali Jensen"}
    assert saved["Ali Jensen"].is_employee_representative
    assert any(text.startswith("Ali Jensen · employee representative") for text in items(dialog.contacts))

    dialog.contacts.setCurrentRow(items(dialog.contacts).index(
        next(t for t in items(dialog.contacts) if t.startswith("Mette Holm"))))
    dialog.edit_contact()
    edit = [d for d in dialog.findChildren(RecordDialog) if d.isVisible()][-1]
    phone = edit.form.editors["phone"]
    assert isinstance(phone, QLineEdit)
    phone.clear()
    qtbot.keyClicks(phone, "12 34 56 78")
    qtbot.mouseClick(edit.save_button, Qt.MouseButton.LeftButton)
    assert workspace.get(Contact, r.contact.id).phone == "12 34 56 78"  # type: ignore[union-attr]
    dialog.close()


def test_a_new_placement_from_the_company_starts_with_the_company_chosen(
    qtbot: QtBot, workspace: Workspace
) -> None:
    r = registered(workspace)
    dialog = CompanyDialog(workspace, r.company, TODAY)
    qtbot.addWidget(dialog)
    dialog.new_placement()
    new = dialog.findChild(NewPlacementDialog)
    assert new is not None and new.company.record() == r.company
    assert new.contacts.findData(r.contact.id) >= 0
    new.close()
    dialog.close()


def test_the_company_details_are_saved_from_the_company_view(qtbot: QtBot, workspace: Workspace) -> None:
    r = registered(workspace)
    dialog = CompanyDialog(workspace, r.company, TODAY)
    qtbot.addWidget(dialog)
    city = dialog.form.editors["city"]
    assert isinstance(city, QLineEdit)
    city.clear()
    qtbot.keyClicks(city, "Vejle")
    assert dialog.dirty
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert workspace.repos.companies.require(r.company.id) == dataclasses.replace(r.company, city="Vejle")

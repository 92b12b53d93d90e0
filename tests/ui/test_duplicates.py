"""The "Dubletter" page as a consultant uses it: the navigation says how many there are, a click
opens the page, a group is chosen, the record to keep, "Merge…", the question answered."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QMessageBox, QPushButton, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from feltkonsulent import i18n
from feltkonsulent.domain.entities import Citizen, Company
from feltkonsulent.services import duplicates
from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from feltkonsulent.ui.main_window import MainWindow
from tests import factories
from tests.ui.conftest import TODAY


def click_row(qtbot: QtBot, view: QListWidget, row: int) -> None:
    item = view.item(row)
    assert item is not None
    view.scrollToItem(item)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualItemRect(item).center())


def keep_button(qtbot: QtBot, page: QWidget, n: int) -> QRadioButton:
    """"Keep record n", once it shows (the buttons are made for the group chosen)."""
    button = page.findChild(QRadioButton, f"keep_{n}")
    assert button is not None
    qtbot.waitUntil(button.isVisible)
    return button


def twice(ws: Workspace) -> tuple[Citizen, Citizen, Company]:
    """Amina made twice (on two laptops, as a sync leaves it), each with a placement; and her
    workplace twice."""
    bakery = factories.company(name="Bageriet Ørsted ApS", street=None)
    bakery_again = factories.company(name="Bageriet Ørsted")
    mettes = factories.citizen(name="Amina Hassan", phone=None)
    alis = factories.citizen(name="Amina Hasan", phone="20 30 40 50")
    for citizen, company in ((mettes, bakery), (alis, bakery_again)):
        ws.register_placement(PlacementRegistration(
            company, citizen, factories.placement(citizen.id, company.id)))
    return mettes, alis, bakery


def opened(qtbot: QtBot, ws: Workspace) -> MainWindow:
    """The window, with the Dubletter page opened by a click on its navigation entry."""
    window = MainWindow(ws, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    entry = window.navigation.item(window.DUPLICATES)
    assert entry is not None
    qtbot.waitUntil(lambda: entry.text() == "Duplicates (2)")  # counted in the background
    assert entry.font().bold()
    click_row(qtbot, window.navigation, window.DUPLICATES)
    assert window.pages.currentWidget() is window.duplicates
    return window


def test_a_citizen_is_merged_by_clicks_and_the_database_has_one(
        qtbot: QtBot, workspace: Workspace) -> None:
    mettes, alis, _bakery = twice(workspace)
    window = opened(qtbot, workspace)
    page = window.duplicates
    assert page.groups.count() == 2
    assert page.groups.item(0).text() == "Citizen Amina Hassan · CPR 211062-xxxx (2)"
    click_row(qtbot, page.groups, 0)
    table = page.comparison
    assert table.columnCount() == 2
    rows = [table.verticalHeaderItem(r).text() for r in range(table.rowCount())]
    name, phone, placements = rows.index("Name"), rows.index("Phone"), rows.index("Placements")
    assert (table.item(name, 0).text(), table.item(name, 1).text()) == (
        "Amina Hassan", "Amina Hasan")
    assert table.item(name, 0).font().bold() and table.item(phone, 1).font().bold()
    assert not table.item(rows.index("Notes"), 0).font().bold()  # the same in both
    assert [table.item(placements, c).text() for c in (0, 1)] == ["1", "1"]
    assert not page.merge_button.isEnabled()  # nothing is kept until the consultant says which

    keep = keep_button(qtbot, page, 1)
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    assert keep.isChecked() and page.merge_button.isEnabled()
    qtbot.mouseClick(page.merge_button, Qt.MouseButton.LeftButton)
    box = page.findChild(QMessageBox, "merge_confirmation")
    assert box is not None
    qtbot.waitExposed(box)
    assert box.text() == "Keep Amina Hassan and merge the other record into it?"
    assert box.informativeText().splitlines() == [
        "1 placement moves to it, with its visit notes, agreements, buddies and sprogmakkere.",
        "Filled in from the other record, where the kept one has nothing: Phone.",
        "The other record is then deleted.",
    ]
    confirm = box.findChild(QPushButton, "confirm_merge")
    qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)

    (citizen,) = workspace.repos.citizens.where()
    assert (citizen.id, citizen.phone) == (mettes.id, "20 30 40 50")
    assert len(workspace.repos.placements.for_citizen(mettes.id)) == 2
    assert workspace.repos.citizens.is_deleted(alis.id)
    assert page.done.text() == "Merged: Amina Hassan is kept with all the placements."
    assert page.groups.count() == 1 and page.groups.item(0).text().startswith("Company ")
    entry = window.navigation.item(window.DUPLICATES)
    qtbot.waitUntil(lambda: entry.text() == "Duplicates (1)")
    window.close()


def test_a_cancelled_merge_changes_nothing_and_companies_show_contacts(
        qtbot: QtBot, workspace: Workspace) -> None:
    _mettes, _alis, bakery = twice(workspace)
    workspace.save(factories.contact(bakery.id))
    window = opened(qtbot, workspace)
    page = window.duplicates
    click_row(qtbot, page.groups, 1)
    rows = [page.comparison.verticalHeaderItem(r).text() for r in range(page.comparison.rowCount())]
    contacts = rows.index("Contact persons")
    assert [page.comparison.item(contacts, c).text() for c in (0, 1)] == ["1", "0"]
    qtbot.mouseClick(keep_button(qtbot, page, 2), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.merge_button, Qt.MouseButton.LeftButton)
    box = page.findChild(QMessageBox, "merge_confirmation")
    qtbot.waitExposed(box)
    assert "1 contact person moves to it." in box.informativeText().splitlines()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert workspace.repos.companies.count() == 2 and duplicates.count(workspace) == 2
    window.close()


def test_the_page_in_danish_says_dubletter(qtbot: QtBot, workspace: Workspace) -> None:
    twice(workspace)
    i18n.set_language("da")
    window = MainWindow(workspace, today=lambda: TODAY)
    qtbot.addWidget(window)
    entry = window.navigation.item(window.DUPLICATES)
    qtbot.waitUntil(lambda: entry.text() == "Dubletter (2)")
    window.close()


def test_a_placement_left_with_a_merged_away_citizen_is_moved_by_a_second_merge(
        qtbot: QtBot, workspace: Workspace) -> None:
    mettes, alis, bakery = twice(workspace)
    duplicates.merge(workspace, mettes.id, alis.id)
    late = factories.placement(alis.id, bakery.id)
    workspace.repos.placements.add(late)  # as a sync brings it: made offline before the merge
    window = MainWindow(workspace, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    entry = window.navigation.item(window.DUPLICATES)
    qtbot.waitUntil(lambda: entry.text() == "Duplicates (2)")  # Amina, and the bakery
    click_row(qtbot, window.navigation, window.DUPLICATES)
    page = window.duplicates
    click_row(qtbot, page.groups, 0)
    assert page.comparison.horizontalHeaderItem(1).text() == "Record 2 (deleted)"
    assert not keep_button(qtbot, page, 2).isEnabled()
    qtbot.mouseClick(keep_button(qtbot, page, 1), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.merge_button, Qt.MouseButton.LeftButton)
    box = page.findChild(QMessageBox, "merge_confirmation")
    qtbot.waitExposed(box)
    assert box.informativeText().splitlines() == [
        "1 placement moves to it, with its visit notes, agreements, buddies and sprogmakkere."]
    qtbot.mouseClick(box.findChild(QPushButton, "confirm_merge"), Qt.MouseButton.LeftButton)
    assert workspace.repos.placements.require(late.id).citizen_id == mettes.id
    qtbot.waitUntil(lambda: entry.text() == "Duplicates (1)")
    window.close()

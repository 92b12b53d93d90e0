"""Search in the real main window, by keyboard: typed letters folded as a Danish user expects,
people named with what they belong to, Down/Up/Enter/Esc between the field and the results."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from feltkonsulent.domain.enums import SupportRole
from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from feltkonsulent.ui.company import CompanyDialog
from feltkonsulent.ui.main_window import MainWindow
from feltkonsulent.ui.placement import PlacementDialog
from tests import factories
from tests.ui.windows import shown_window


@pytest.fixture
def people(workspace: Workspace) -> dict[str, str]:
    """Two companies with Danish letters, a placement at the first with a buddy and a
    sprogmakker, and a contact person there."""
    first = factories.company(name="Bageriet Ørsted", city="Vejle", street="Vestergade 1", notes=None)
    second = factories.company(name="Ørsted Cykler", city="Vejle", street="Vestergade 2", notes=None)
    citizen = factories.citizen(name="Amina Hassan")
    placement = factories.placement(citizen.id, first.id)
    contact = factories.contact(first.id, name="Mette Kjær")
    buddy = factories.support(placement.id, role=SupportRole.BUDDY, person_name="Jens Åby")
    partner = factories.language_partner(placement.id, partner_name="Lone Aaby")
    workspace.register_placement(PlacementRegistration(first, citizen, placement, support=[buddy],
                                                       language_partners=[partner]))
    workspace.save(second)
    workspace.save(contact)
    return {"first": first.id, "second": second.id, "placement": placement.id}


@pytest.fixture
def window(qtbot: QtBot, workspace: Workspace, people: dict[str, str]) -> Iterator[MainWindow]:
    window = shown_window(qtbot, workspace)
    yield window
    window.close()


def type_search(qtbot: QtBot, window: MainWindow, text: str) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    with qtbot.waitSignal(window.search.results, timeout=10_000,
                          check_params_cb=lambda searched, _found: searched == text):
        qtbot.keyClicks(window.search, text)


def shown(window: MainWindow) -> list[list[str]]:
    tree = window.results.tree
    groups = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return [[g.text(0), *(g.child(i).text(0) for i in range(g.childCount()))] for g in groups]


def current(window: MainWindow) -> QTreeWidgetItem:
    item = window.results.tree.currentItem()
    assert item is not None
    return item


def test_enter_in_the_search_field_opens_the_first_result_highlighted(
    qtbot: QtBot, window: MainWindow, people: dict[str, str]
) -> None:
    type_search(qtbot, window, "orsted")
    # both found without typing ø, in Danish order (Bageriet before Ørsted), the first highlighted
    assert shown(window)[0] == ["Companies", "Bageriet Ørsted", "Ørsted Cykler"]
    assert current(window).text(0) == "Bageriet Ørsted" and current(window).isSelected()
    assert window.search.hasFocus()
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    opened = window.findChild(CompanyDialog)
    assert opened is not None and opened.company.id == people["first"]
    opened.close()


def test_down_up_enter_and_esc_between_the_field_and_the_results(
    qtbot: QtBot, window: MainWindow, people: dict[str, str]
) -> None:
    type_search(qtbot, window, "oersted")
    tree = window.results.tree
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    assert tree.hasFocus() and current(window).text(0) == "Bageriet Ørsted"
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert current(window).text(0) == "Ørsted Cykler"
    qtbot.keyClick(tree, Qt.Key.Key_Escape)  # back to the field, the text kept and selected
    assert window.search.hasFocus() and window.search.text() == "oersted"
    assert window.search.selectedText() == "oersted"
    qtbot.keyClick(window.search, Qt.Key.Key_Down)  # back into the results where it was
    assert tree.hasFocus() and current(window).text(0) == "Ørsted Cykler"
    qtbot.keyClick(tree, Qt.Key.Key_Up)
    qtbot.keyClick(tree, Qt.Key.Key_Up)  # Up on the first result: the field again
    assert window.search.hasFocus()
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    opened = window.findChild(CompanyDialog)
    assert opened is not None and opened.company.id == people["second"]
    opened.close()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)  # Esc in the field clears it
    assert window.search.text() == ""


def test_people_found_say_what_they_are_and_open_what_they_belong_to(
    qtbot: QtBot, window: MainWindow, people: dict[str, str]
) -> None:
    type_search(qtbot, window, "mette kjaer")
    assert shown(window) == [["Contact persons", "Mette Kjær — contact person, Bageriet Ørsted"]]
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    opened = window.findChild(CompanyDialog)
    assert opened is not None and opened.company.id == people["first"]
    opened.close()
    window.search.clear()
    type_search(qtbot, window, "aaby")  # Åby and Aaby alike
    assert shown(window) == [
        ["Buddies and mentors", "Jens Åby — buddy, Amina Hassan · Bageriet Ørsted"],
        ["Sprogmakkere", "Lone Aaby — sprogmakker, Amina Hassan · Bageriet Ørsted"],
    ]
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    qtbot.keyClick(window.results.tree, Qt.Key.Key_Down)  # past the heading to the sprogmakker
    assert current(window).text(0).startswith("Lone Aaby")
    qtbot.keyClick(window.results.tree, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: window.findChild(PlacementDialog) is not None)
    dialog = window.findChild(PlacementDialog)
    assert dialog is not None and dialog.placement.id == people["placement"]
    dialog.close()


def test_enter_typed_before_the_results_came_opens_what_the_text_finds(
    qtbot: QtBot, window: MainWindow, people: dict[str, str]
) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search, "cykler")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)  # at once: the search is still to come
    qtbot.waitUntil(lambda: window.findChild(CompanyDialog) is not None, timeout=10_000)
    opened = window.findChild(CompanyDialog)
    assert opened is not None and opened.company.id == people["second"]
    assert QApplication.activeModalWidget() in (None, opened)
    opened.close()

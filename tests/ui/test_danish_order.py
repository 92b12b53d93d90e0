"""The lists of the main window in Danish order, sorted by a click on their headers."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from feltkonsulent.ui.lists import ListPage
from feltkonsulent.ui.main_window import MainWindow
from tests import factories
from tests.ui.conftest import TODAY

NAMES = ["Aabenraa", "Århus", "Ærø", "Østergaard", "Zealand", "Ørsted", "aalborg", "Bageriet"]
IN_DANISH = ["Bageriet", "Zealand", "Ærø", "Ørsted", "Østergaard", "Aabenraa", "aalborg", "Århus"]


def column(table: QTableView, number: int) -> list[str]:
    model = table.model()
    return [model.index(row, number).data() for row in range(model.rowCount())]


def click_header(qtbot: QtBot, table: QTableView, number: int) -> None:
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(number) + header.sectionSize(number) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_names_sort_in_danish_order_by_a_click_on_the_header(qtbot: QtBot, workspace: Workspace) -> None:
    for n, name in enumerate(NAMES):
        company = factories.company(name=name)
        citizen = factories.citizen(name=f"{name} Jensen", cpr=f"0{n + 1}05881234")
        workspace.register_placement(PlacementRegistration(
            company, citizen, factories.placement(citizen.id, company.id)))
    window = MainWindow(workspace, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    pages: list[tuple[ListPage, int, list[str]]] = [
        (window.companies, 0, IN_DANISH),
        (window.citizens, 0, [f"{name} Jensen" for name in IN_DANISH]),
        (window.placements, 0, [f"{name} Jensen" for name in IN_DANISH]),
        (window.placements, 2, IN_DANISH),
    ]
    for page, number, expected in pages:
        window.pages.setCurrentWidget(page)
        table = page.table
        if table.horizontalHeader().sortIndicatorSection() != number:
            click_header(qtbot, table, number)
        if table.horizontalHeader().sortIndicatorOrder() != Qt.SortOrder.AscendingOrder:
            click_header(qtbot, table, number)
        assert column(table, number) == expected
        click_header(qtbot, table, number)  # and the other way
        assert column(table, number) == expected[::-1]
    window.close()

"""The four lists of the main window: their columns, and the list page that shows one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from feltkonsulent.i18n import _, format_date, format_number, ngettext
from feltkonsulent.services import lists
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui.labels import label
from feltkonsulent.ui.models import ID_ROLE, Column, PagedTableModel

FILTER_DELAY_MS = 250


def company_model(ws: Workspace) -> PagedTableModel[Any]:
    columns: list[Column[Any]] = [
        Column(lambda: _("Name"), lambda r: r.name, "name"),
        Column(lambda: _("CVR number"), lambda r: r.cvr, "cvr"),
        Column(lambda: _("City"), lambda r: r.city or "", "city"),
        Column(lambda: _("Industry"), lambda r: r.industry or "", "industry"),
        Column(lambda: _("Employees"), lambda r: format_number(r.employee_count),
               "employee_count", align_right=True),
        Column(lambda: _("Active placements"), lambda r: str(r.active_placements),
               "active_placements", align_right=True),
    ]
    return PagedTableModel(columns, lambda q: lists.company_rows(ws, q),
                           lambda t: lists.company_count(ws, t), lists.COMPANY_SORTS)


def citizen_model(ws: Workspace) -> PagedTableModel[Any]:
    columns: list[Column[Any]] = [
        Column(lambda: _("Name"), lambda r: r.name, "name"),
        Column(lambda: _("CPR number"), lambda r: r.masked_cpr, None),
        Column(lambda: _("Target group"), lambda r: label(r.target_group), "target_group"),
        Column(lambda: _("Danish level"), lambda r: r.danish_level or "", "danish_level"),
        Column(lambda: _("Interpreter"), lambda r: _("Yes") if r.needs_interpreter else "", None),
        # Not sortable: counting for every citizen costs ~70 ms at 80,000 citizens.
        Column(lambda: _("Active placements"), lambda r: str(r.active_placements), None,
               align_right=True),
    ]
    return PagedTableModel(columns, lambda q: lists.citizen_rows(ws, q),
                           lambda t: lists.citizen_count(ws, t), lists.CITIZEN_SORTS)


def placement_model(ws: Workspace) -> PagedTableModel[Any]:
    columns: list[Column[Any]] = [
        Column(lambda: _("Citizen"), lambda r: r.citizen_name, "citizen_name"),
        Column(lambda: _("CPR number"), lambda r: r.masked_cpr, None),
        Column(lambda: _("Company"), lambda r: r.company_name, "company_name"),
        Column(lambda: _("Type"), lambda r: label(r.kind), "kind"),
        Column(lambda: _("Start"), lambda r: format_date(r.start_date), "start_date"),
        Column(lambda: _("End"), lambda r: format_date(r.end_date), "end_date"),
        Column(lambda: _("Status"), lambda r: label(r.status), "status"),
    ]
    # Latest end date first: planned and running placements before those long ended.
    return PagedTableModel(columns, lambda q: lists.placement_rows(ws, q),
                           lambda t: lists.placement_count(ws, t), lists.PLACEMENT_SORTS,
                           descending=True)


def visit_model(ws: Workspace) -> PagedTableModel[Any]:
    columns: list[Column[Any]] = [
        Column(lambda: _("Citizen"), lambda r: r.citizen_name, "citizen_name"),
        Column(lambda: _("Company"), lambda r: r.company_name, "company_name"),
        Column(lambda: _("Planned"), lambda r: format_date(r.planned_on), "planned_on"),
        Column(lambda: _("Visited"), lambda r: format_date(r.visited_on), "visited_on"),
        Column(lambda: _("Visit type"), lambda r: label(r.mode), "mode"),
        Column(lambda: _("Corrected"), lambda r: _("Yes") if r.superseded else "", None),
    ]
    return PagedTableModel(columns, lambda q: lists.visit_rows(ws, q),
                           lambda t: lists.visit_count(ws, t), lists.VISIT_SORTS,
                           descending=True)


class ListPage(QWidget):
    """A filter field, a count and a table. Double-click or Enter opens the row."""

    opened = Signal(str)  # the id of the row opened

    def __init__(self, model: PagedTableModel[Any], count_text: Callable[[int], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._count_text = count_text
        self.filter = QLineEdit()
        self.filter.setObjectName("filter")
        self.filter.setPlaceholderText(_("Filter…"))
        self.filter.setClearButtonEnabled(True)
        self.count = QLabel()
        self.count.setObjectName("count")
        self.table = QTableView()
        self.table.setModel(model)
        order = Qt.SortOrder.DescendingOrder if model.query.descending else Qt.SortOrder.AscendingOrder
        self.table.horizontalHeader().setSortIndicator(model.sort_column(), order)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        self.table.activated.connect(lambda index: self._open(index.row()))
        self._timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._timer.timeout.connect(self.apply_filter)
        self.filter.textChanged.connect(self._timer.start)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        model.modelReset.connect(self._show_count)
        self._show_count()
        # Widths from the first page, once; after that the user's widths stay.
        self.table.resizeColumnsToContents()

    def apply_filter(self) -> None:
        self.model.set_filter(self.filter.text().strip())

    def reload(self) -> None:
        self.model.reload()

    def _show_count(self) -> None:
        self.count.setText(self._count_text(self.model.total))

    def _open(self, row: int) -> None:
        record_id = self.model.data(self.model.index(row, 0), ID_ROLE)
        if record_id:
            self.opened.emit(record_id)


def companies_count(n: int) -> str:
    return ngettext("{n} company", "{n} companies", n).format(n=n)


def citizens_count(n: int) -> str:
    return ngettext("{n} citizen", "{n} citizens", n).format(n=n)


def placements_count(n: int) -> str:
    return ngettext("{n} placement", "{n} placements", n).format(n=n)


def visits_count(n: int) -> str:
    return ngettext("{n} visit", "{n} visits", n).format(n=n)

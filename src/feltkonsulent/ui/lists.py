"""The four lists of the main window: their columns, and the list page that shows one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics
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
from feltkonsulent.ui.tasks import BackgroundTasks

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
    return PagedTableModel(columns, lambda q: lists.company_rows(ws, q), lists.COMPANY_SORTS)


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
    return PagedTableModel(columns, lambda q: lists.citizen_rows(ws, q), lists.CITIZEN_SORTS)


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
    return PagedTableModel(columns, lambda q: lists.placement_rows(ws, q), lists.PLACEMENT_SORTS,
                           descending=True)


def visit_model(ws: Workspace) -> PagedTableModel[Any]:
    columns: list[Column[Any]] = [
        Column(lambda: _("Citizen"), lambda r: r.citizen_name, "citizen_name"),
        Column(lambda: _("Company"), lambda r: r.company_name, "company_name"),
        Column(lambda: _("Planned"), lambda r: format_date(r.planned_on), "planned_on"),
        Column(lambda: _("Visited"), lambda r: format_date(r.visited_on), "visited_on"),
        Column(lambda: _("Visit type"), lambda r: label(r.mode), "mode"),
        Column(lambda: _("Corrected"), lambda r: _("Yes") if r.corrected else "", None),
    ]
    return PagedTableModel(columns, lambda q: lists.visit_rows(ws, q), lists.VISIT_SORTS,
                           descending=True)


def give_headers_room(table: QTableView) -> None:
    """Widen each column to its header in bold: the style draws every header bold while a row
    is chosen (the sections of chosen cells are highlighted), and a column sized to the plain
    label cut it off ("Besøgt", "Planlagt" in the visit list)."""
    header = table.horizontalHeader()
    bold = QFont(header.font())
    bold.setBold(True)
    normal, wide = QFontMetrics(header.font()), QFontMetrics(bold)
    model = table.model()
    for section in range(header.count()):
        text = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
        extra = wide.horizontalAdvance(text) - normal.horizontalAdvance(text)
        wanted = header.sectionSizeHint(section) + extra
        if header.sectionSize(section) < wanted:
            header.resizeSection(section, wanted)


@dataclass(frozen=True)
class ListKind:
    """One of the lists: its model, how it is counted (in the background), how the count reads,
    and which entities it shows (a change to any of them refreshes it)."""

    model: Callable[[Workspace], PagedTableModel[Any]]
    count: Callable[[Workspace, str], int]
    count_text: Callable[[int], str]
    shows: frozenset[str]


class ListPage(QWidget):
    """A filter field, a count and a table. Double-click or Enter opens the row."""

    opened = Signal(str)  # the id of the row opened

    def __init__(self, kind: ListKind, ws: Workspace, tasks: BackgroundTasks,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.model = kind.model(ws)
        self._tasks = tasks
        self._counting: int | None = None  # the background count still wanted
        self.filter = QLineEdit()
        self.filter.setObjectName("filter")
        self.filter.setPlaceholderText(_("Filter…"))
        self.filter.setClearButtonEnabled(True)
        self.count = QLabel()
        self.count.setObjectName("count")
        self.table = self._table()
        self._timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._timer.timeout.connect(self.apply_filter)
        self.filter.textChanged.connect(self._timer.start)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self.model.modelReset.connect(self._show_count)
        self._show_count()
        # Widths from the first page, once; after that the user's widths stay.
        self.table.resizeColumnsToContents()
        give_headers_room(self.table)

    def _table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        descending = self.model.query.descending
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        table.horizontalHeader().setSortIndicator(self.model.sort_column(), order)
        table.setSortingEnabled(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(False)  # a wide last column reads badly
        table.activated.connect(lambda index: self._open(index.row()))
        return table

    def apply_filter(self) -> None:
        self.model.set_filter(self.filter.text().strip())

    def reload(self) -> None:
        self.model.reload()

    @property
    def counting(self) -> bool:
        return self._counting is not None

    def _show_count(self) -> None:
        if self._counting is not None:
            self._tasks.forget(self._counting)
            self._counting = None
        if self.model.complete:
            self.count.setText(self.kind.count_text(self.model.rowCount()))
            return
        self.count.setText(_("Counting…"))
        text, count = self.model.query.text, self.kind.count
        self._counting = self._tasks.submit(lambda ws: count(ws, text), self._counted,
                                            lambda _error: self._counted(None))

    def _counted(self, n: int | None) -> None:
        self._counting = None
        self.count.setText("" if n is None else self.kind.count_text(n))

    def chosen_ids(self) -> list[str]:
        """The ids of the rows chosen (several with Shift or Ctrl where the list allows it)."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.data(self.model.index(r, 0), ID_ROLE) for r in rows]

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


COMPANIES = ListKind(company_model, lists.company_count, companies_count,
                     frozenset({"companies", "placements"}))
CITIZENS = ListKind(citizen_model, lists.citizen_count, citizens_count,
                    frozenset({"citizens", "placements"}))
PLACEMENTS = ListKind(placement_model, lists.placement_count, placements_count,
                      frozenset({"placements", "citizens", "companies"}))
VISITS = ListKind(visit_model, lists.visit_count, visits_count,
                  frozenset({"aftercare_visits", "placements", "citizens", "companies"}))

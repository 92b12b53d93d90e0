"""Table models over paged SQL queries: sorting and filtering happen in the database, rows are
fetched 50 at a time as the view scrolls (canFetchMore/fetchMore). A model never counts: a count
of a common filter takes half a second at 100,000 placements, so the list page counts in the
background (a full page means there may be more)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from feltkonsulent.services.lists import ListQuery

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row object itself
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the record's id

PAGE_SIZE = 50


@dataclass(frozen=True)
class Column(Generic[Row]):
    """One column: its header, how a row shows in it, and the SQL sort key (None: not sortable)."""

    header: Callable[[], str]
    show: Callable[[Row], str]
    sort: str | None = None
    align_right: bool = False


class PagedTableModel(QAbstractTableModel, Generic[Row]):
    def __init__(
        self,
        columns: Sequence[Column[Row]],
        fetch: Callable[[ListQuery], list[Row]],
        sorts: Sequence[str],
        descending: bool = False,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__()
        self.columns = tuple(columns)
        self.sortable = frozenset(sorts)
        self._fetch = fetch
        self.query = ListQuery(sort=sorts[0], descending=descending, limit=page_size)
        self.rows: list[Row] = []
        self._more = False  # the last page fetched was full
        self.reload()

    # -- Qt's interface -------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.show(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return getattr(row, "id", None)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header()
        return None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more:
            return
        # No more until these rows are in: a fetch from inside beginInsertRows (Qt's model
        # tester makes one) would read the same page again and add it twice.
        self._more = False
        more = self._fetch(replace(self.query, offset=len(self.rows)))
        if more:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
            self.rows.extend(more)
            self.endInsertRows()
        self._more = len(more) == self.query.limit

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].sort if 0 <= column < len(self.columns) else None
        if key is None or key not in self.sortable:
            return
        self.query = replace(
            self.query, sort=key, descending=order == Qt.SortOrder.DescendingOrder
        )
        self.reload()

    # -- ours -----------------------------------------------------------------------------
    def set_filter(self, text: str) -> None:
        if text != self.query.text:
            self.query = replace(self.query, text=text)
            self.reload()

    def reload(self) -> None:
        """The first page again, with the current sort and filter (after an edit, a sync)."""
        rows = self._fetch(replace(self.query, offset=0))
        self.beginResetModel()
        self.rows, self._more = rows, len(rows) == self.query.limit
        self.endResetModel()

    @property
    def complete(self) -> bool:
        """Every row of the query is loaded, so their number is the count."""
        return not self._more

    def sort_column(self) -> int:
        """The column the list is sorted by now (for the header's indicator), or -1."""
        keys = [c.sort for c in self.columns]
        return keys.index(self.query.sort) if self.query.sort in keys else -1

    def row_at(self, row: int) -> Row:
        return self.rows[row]

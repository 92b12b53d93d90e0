"""Run in a child process: a model whose data() returns None, asked many thousand times by Qt."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication, QTableView

Index = QModelIndex | QPersistentModelIndex


class NoneModel(QAbstractTableModel):
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's names
        return 0 if parent.isValid() else 200

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        return None  # what 6.12.0 turns into `Fatal Python error: none_dealloc`


def main() -> int:
    app = QApplication(sys.argv[:1])
    model = NoneModel()
    view = QTableView()
    view.setModel(model)
    view.resize(800, 600)
    calls = 0
    for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 20):
        view.grab()  # paints: C++ asks data() for every visible cell and many roles
        for row in range(model.rowCount()):
            calls += model.index(row, row % 6).data() is None
    app.processEvents()
    print(f"ok {calls}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

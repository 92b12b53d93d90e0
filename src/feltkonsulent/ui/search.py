"""Search everything as you type: full-text, off the GUI thread, results grouped by kind.

By keyboard: Down in the search field moves into the results (the first is highlighted as soon
as they are shown), Up and Down move between them, Enter opens one — in the search field, Enter
opens the highlighted one (the first), waiting for a search still running. Esc in the results
goes back to the search field with its text kept and selected (type to replace it, Down to go
back); Up on the first result does too. Esc in the search field clears it.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from feltkonsulent.i18n import _
from feltkonsulent.services.search import SearchResult
from feltkonsulent.ui.models import ID_ROLE
from feltkonsulent.ui.tasks import BackgroundTasks

# A search takes ~5 ms at 100,000 placements: a short pause only gathers keys typed together.
SEARCH_DELAY_MS = 30
KIND_ROLE = ID_ROLE + 1


def kind_title(kind: str) -> str:
    return {
        "companies": _("Companies"),
        "citizens": _("Citizens"),
        "placements": _("Placements"),
        "contacts": _("Contact persons"),
        "support_arrangements": _("Buddies and mentors"),
        "language_partners": _("Sprogmakkere"),
        "aftercare_visits": _("Visit notes"),
    }[kind]


def _role(role: str | None) -> str:
    return {"mentor": _("mentor"), "culture_guide": _("culture guide")}.get(role or "", _("buddy"))


def result_text(result: SearchResult) -> str:
    """What a hit is called in the list: a person found says what they are and where they
    belong ("Mette Kjær — contact person, Bageriet Ørsted")."""
    if result.kind == "contacts":
        return _("{name} — contact person, {owner}").format(name=result.title, owner=result.where)
    if result.kind == "support_arrangements":
        role = _role(result.role)
        return _("{name} — {role}, {owner}").format(name=result.title, role=role, owner=result.where)
    if result.kind == "language_partners":
        return _("{name} — sprogmakker, {owner}").format(name=result.title, owner=result.where)
    return result.title


class SearchField(QLineEdit):
    """Starts a search as the user types. One search runs at a time: text typed meanwhile is
    searched when it is done (the newest only), so searches never queue up."""

    results = Signal(str, list)  # the text searched, the results
    down = Signal()  # Down pressed: into the results
    enter = Signal()  # Enter pressed, and the results of the text typed are shown: open the first

    def __init__(self, tasks: BackgroundTasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("search")
        self.setPlaceholderText(_("Search companies, citizens, placements, people and notes (Ctrl+F)"))
        self.setClearButtonEnabled(True)
        self._tasks = tasks
        self._job: int | None = None
        self._open_when_found = False
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        self.textChanged.connect(self._typed)

    def _typed(self) -> None:
        self._open_when_found = False
        self._timer.start()

    def search_now(self) -> None:
        self._timer.stop()
        if self._job is not None:
            return  # the running search's answer starts the next one
        text = self.text().strip()
        self._job = self._tasks.submit(lambda ws: ws.search(text),
                                       lambda found: self._answered(text, found),
                                       lambda _error: self._answered(text, []))

    def _answered(self, text: str, found: list[SearchResult]) -> None:
        self._job = None
        if text == self.text().strip():
            self.results.emit(text, found)
            if self._open_when_found:
                self._open_when_found = False
                self.enter.emit()
        else:
            self.search_now()  # typed on meanwhile

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Down and not event.modifiers():
            self.down.emit()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.text().strip():
            if self._timer.isActive() or self._job is not None:
                self._open_when_found = True  # open what this text finds, once it is found
                if self._timer.isActive():
                    self.search_now()
            else:
                self.enter.emit()
        elif key == Qt.Key.Key_Escape and self.text():
            self.clear()
        else:
            super().keyPressEvent(event)


class ResultTree(QTreeWidget):
    """The results; Esc (or Up on the first result) says the user wants the search field back."""

    back = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape or (
            event.key() == Qt.Key.Key_Up and self.currentItem() is _first_result(self)
        ):
            self.back.emit()
            return
        super().keyPressEvent(event)

    def moveCursor(
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        """Up, Down, Page Up/Down, Home and End pass over the groups' headings."""
        start = self.currentIndex()
        index = super().moveCursor(action, modifiers)
        moves = QAbstractItemView.CursorAction
        backwards = action in (moves.MoveUp, moves.MovePageUp, moves.MoveHome)
        for upwards in (backwards, not backwards):  # a heading last or first: the other way
            probe = index
            while probe.isValid() and not probe.flags() & Qt.ItemFlag.ItemIsSelectable:
                probe = self.indexAbove(probe) if upwards else self.indexBelow(probe)
            if probe.isValid():
                return probe
        return start


def _first_result(tree: QTreeWidget) -> QTreeWidgetItem | None:
    for i in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(i)
        if group is not None and group.childCount():
            return group.child(0)
    return None


class SearchResults(QWidget):
    opened = Signal(str, str)  # kind, id of the record to open

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = ResultTree()
        self.tree.setObjectName("results")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([_("Found"), _("Where")])
        self.tree.setUniformRowHeights(True)
        self.tree.itemActivated.connect(self._open)
        self._field: SearchField | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)

    def follow(self, field: SearchField) -> None:
        """Take the keyboard from `field` (Down, Enter) and give it back (Esc)."""
        self._field = field
        field.down.connect(self.enter_results)
        field.enter.connect(self.open_current)
        self.tree.back.connect(self._back_to_field)

    def show_results(self, text: str, found: list[SearchResult]) -> None:
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for result in found:
            group = groups.get(result.kind)
            if group is None:
                group = groups[result.kind] = QTreeWidgetItem(self.tree, [kind_title(result.kind)])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: not chosen, not opened
                group.setExpanded(True)
            item = QTreeWidgetItem(group, [result_text(result), result.detail.replace("\n", " · ")])
            item.setData(0, ID_ROLE, result.opens[1])
            item.setData(0, KIND_ROLE, result.opens[0])
        if not found and text:
            empty = QTreeWidgetItem(self.tree, [_("Nothing found for “{text}”").format(text=text)])
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
        first = _first_result(self.tree)
        if first is not None:
            self.tree.setCurrentItem(first)  # highlighted: Enter in the search field opens it
        self.tree.resizeColumnToContents(0)

    def enter_results(self) -> None:
        if self.tree.currentItem() is None and (first := _first_result(self.tree)) is not None:
            self.tree.setCurrentItem(first)
        if self.tree.currentItem() is not None and self.isVisible():
            self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_current(self) -> None:
        item = self.tree.currentItem()
        if item is not None and self.isVisible():
            self._open(item)

    def _back_to_field(self) -> None:
        if self._field is not None:
            self._field.setFocus(Qt.FocusReason.OtherFocusReason)
            self._field.selectAll()

    def _open(self, item: QTreeWidgetItem) -> None:
        row_id = item.data(0, ID_ROLE)
        if row_id:
            self.opened.emit(item.data(0, KIND_ROLE), row_id)

"""A placement's follow-up visits (opfølgningsbesøg): the history, each note shown whole and newest
first, a new note, a correction, the note of a planned visit, and a planned date moved. Notes are
never changed: each of these is a new version that supersedes the one before (one visit, however
many versions), and the earlier wording is shown on request."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from feltkonsulent.domain.entities import AftercareVisit, Placement, Record
from feltkonsulent.domain.enums import VisitMode
from feltkonsulent.domain.errors import ValidationError
from feltkonsulent.domain.ids import uuid7_ms
from feltkonsulent.i18n import _, format_date
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui.dialogs import GuardedDialog
from feltkonsulent.ui.forms import Field, Kind, RecordForm
from feltkonsulent.ui.labels import label
from feltkonsulent.ui.models import ID_ROLE
from feltkonsulent.ui.widgets import Refusal, save_buttons


def visit_fields() -> list[Field]:
    day = _("DD.MM.YYYY")
    return [
        Field("visited_on", _("Visited on"), Kind.DATE, placeholder=day),
        Field("planned_on", _("Planned for"), Kind.DATE, placeholder=day),
        Field("mode", _("Visit type"), Kind.CHOICE, VisitMode),
        Field("participants", _("Participants")),
        Field("notes", _("What was talked about"), Kind.LONG_TEXT),
        Field("agreed_actions", _("Agreed actions"), Kind.LONG_TEXT),
        Field("next_visit_on", _("Next visit"), Kind.DATE, placeholder=day),
    ]


def made_on(visit: AftercareVisit) -> date | None:
    """The day a version was written, from its UUIDv7 (None for an id of another kind)."""
    try:
        if uuid.UUID(visit.id).version != 7:
            return None
        return datetime.fromtimestamp(uuid7_ms(visit.id) / 1000, UTC).astimezone().date()
    except (ValueError, OverflowError, OSError):
        return None


def visit_text(visit: AftercareVisit, mark: str = "") -> str:
    """A version of a visit, whole: what it is (and `mark`, e.g. "Rettet 03.12.2026"), then
    each part on its own line."""
    day = visit.visited_on or visit.planned_on
    if visit.visited_on is None:
        head = _("Planned for {date} · {mode}").format(date=format_date(day), mode=label(visit.mode))
    else:
        head = f"{format_date(day)} · {label(visit.mode)}"
    if mark:
        head = f"{head} · {mark}"
    parts = [
        (_("Participants: {text}"), visit.participants),
        (_("What was talked about: {text}"), visit.notes),
        (_("Agreed actions: {text}"), visit.agreed_actions),
        (_("Next visit: {text}"), format_date(visit.next_visit_on) if visit.next_visit_on else None),
    ]
    return "\n".join([head, *(shown.format(text=text) for shown, text in parts if text)])


class _Wrapped(QStyledItemDelegate):
    """Each visit as tall as its lines wrapped to the width there is (Qt's own size for a tree
    item does not wrap, so a long note was cut off), with room between visits."""

    PADDING = 6

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        depth, parent = 1, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        width = max(100, self.tree.viewport().width() - depth * self.tree.indentation() - 12)
        text = str(index.data() or "")
        metrics = QFontMetrics(option.font)
        box = metrics.boundingRect(QRect(0, 0, width, 1_000_000), int(Qt.TextFlag.TextWordWrap), text)
        return QSize(width, box.height() + 2 * self.PADDING)


class VisitHistory(QTreeWidget):
    """An item per visit, newest first: its latest version whole; a corrected or moved visit
    has its earlier versions beneath it (opened with the arrow, → or "Show earlier wording")."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("history")
        self.setColumnCount(1)
        self.setHeaderHidden(True)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setAlternatingRowColors(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setItemDelegate(_Wrapped(self))
        self.setAccessibleName(_("Follow-up visits"))

    def show_chains(self, history: list[tuple[AftercareVisit, bool]]) -> None:
        self.clear()
        by_id = {visit.id: visit for visit, _superseded in history}
        latest = [visit for visit, superseded in history if not superseded]
        latest.sort(key=lambda v: (v.visited_on or v.planned_on or date.min, v.id), reverse=True)
        for visit in latest:
            earlier: list[AftercareVisit] = []
            step = visit.supersedes
            while step is not None and step in by_id and len(earlier) < len(by_id):
                earlier.append(by_id[step])
                step = by_id[step].supersedes
            item = QTreeWidgetItem(self, [visit_text(visit, self._mark(visit, earlier))])
            item.setData(0, ID_ROLE, visit.id)
            for old in earlier:
                child = QTreeWidgetItem(item, [_("Earlier wording:") + "\n" + visit_text(old)])
                child.setData(0, ID_ROLE, old.id)
                font = child.font(0)
                font.setItalic(True)  # set apart, and as readable as the rest (not grey)
                child.setFont(0, font)

    @staticmethod
    def _mark(visit: AftercareVisit, earlier: list[AftercareVisit]) -> str:
        """"Corrected 03.12.2026" when an earlier version was a note of the visit made; "Date
        moved" when only a plan's date changed."""
        if any(old.visited_on is not None for old in earlier):
            day = made_on(visit)
            return _("Corrected {date}").format(date=format_date(day)) if day else _("Corrected")
        if visit.visited_on is None and earlier:
            return _("Date moved (was {date})").format(date=format_date(earlier[0].planned_on))
        return ""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter opens the chosen visit (and does not press the dialog's Save)."""
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None:
            self.itemActivated.emit(item, 0)
            event.accept()
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.doItemsLayout()  # the lines wrap anew: each visit's height follows the width


class VisitDialog(GuardedDialog):
    """Opens on a placement: its visits, newest first, and a form for a note: the note of a
    planned visit that is due (today's date filled in), else a new note. "Correct" loads the
    chosen note into the form; saving then supersedes it. Closing with typing asks first."""

    def __init__(self, ws: Workspace, placement_id: str, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.placement_id, self.today = ws, placement_id, today
        self.supersedes: str | None = None  # the version the form writes a new version of
        placement = ws.get(Placement, placement_id)
        self.starts_on = placement.start_date if placement is not None else None
        name = ws.placement_names([placement_id]).get(placement_id, "")
        self.setWindowTitle(_("Follow-up visits: {names}").format(names=name))
        self.placement_name = QLabel(name)
        self.placement_name.setObjectName("placement_name")
        self.placement_name.setTextFormat(Qt.TextFormat.PlainText)
        self.placement_name.setStyleSheet("font-weight: bold;")
        self.resize(760, 860)
        self.history = VisitHistory()
        self.history.currentItemChanged.connect(lambda *_args: self._chosen_changed())
        self.history.itemActivated.connect(lambda *_args: self.start_correction())
        self.new_button = QPushButton(_("New visit note"))
        self.new_button.clicked.connect(lambda: self.new_note(fulfil=False))
        self.correct_button = QPushButton(_("Correct the chosen note"))
        self.correct_button.clicked.connect(self.start_correction)
        self.move_button = QPushButton(_("Move the planned visit"))
        self.move_button.clicked.connect(self.start_move)
        self.earlier_button = QPushButton(_("Show earlier wording"))
        self.earlier_button.clicked.connect(self.toggle_earlier)
        actions = QHBoxLayout()
        for button in (self.new_button, self.correct_button, self.move_button, self.earlier_button):
            actions.addWidget(button)
        actions.addStretch(1)
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.heading.setStyleSheet("font-weight: bold;")
        self.warning = QLabel()
        self.warning.setObjectName("date_warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #8a5300;")
        self.warning.hide()
        self.form = RecordForm(visit_fields(), self._build)
        self.form.changed.connect(self._show_warnings)
        self.refusal = Refusal()
        buttons, self.save_button = save_buttons(
            self, self._save_clicked, QDialogButtonBox.StandardButton.Close
        )
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.heading, self.warning, self.refusal, self.form):
            lower_layout.addWidget(widget)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.history, 1)
        upper_layout.addLayout(actions)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.placement_name)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.load_history()
        self.new_note()

    @property
    def dirty(self) -> bool:
        return self.form.dirty

    def _build(self, values: dict[str, Any]) -> Record:
        return self.ws.new(AftercareVisit, placement_id=self.placement_id, **values)

    # -- the history ----------------------------------------------------------------------
    def load_history(self) -> None:
        self.history.show_chains(self.ws.visit_history(self.placement_id))
        self._chosen_changed()

    def _chosen(self) -> AftercareVisit | None:
        """The chosen visit's latest version (an earlier wording chosen: its visit's)."""
        item = self.history.currentItem()
        if item is None:
            return None
        top = item.parent() or item
        return self.ws.get(AftercareVisit, top.data(0, ID_ROLE))

    def _chosen_changed(self) -> None:
        item = self.history.currentItem()
        top = item.parent() or item if item is not None else None
        visit = self._chosen()
        planned = visit is not None and visit.visited_on is None
        self.correct_button.setEnabled(visit is not None)
        self.correct_button.setText(
            _("Write the note of the planned visit") if planned else _("Correct the chosen note"))
        self.move_button.setEnabled(planned)
        self.earlier_button.setEnabled(top is not None and top.childCount() > 0)
        self.earlier_button.setText(
            _("Hide earlier wording") if top is not None and top.isExpanded()
            else _("Show earlier wording"))

    def toggle_earlier(self) -> None:
        item = self.history.currentItem()
        if item is None:
            return
        top = item.parent() or item
        top.setExpanded(not top.isExpanded())
        self.history.setCurrentItem(top)
        self._chosen_changed()

    # -- what the form writes -------------------------------------------------------------
    def _load(self, record: AftercareVisit, supersedes: str | None, heading: str) -> None:
        self.supersedes = supersedes
        self.heading.setText(heading)
        self.form.load(record)
        self.form.mark_saved()  # only what is typed counts as unsaved
        self.refusal.hide()
        self._show_warnings()

    def new_note(self, fulfil: bool = True) -> None:
        """A note dated today: of the earliest planned visit due by today when there is one
        (saving it fulfils the plan), else a visit of its own."""
        due = [v for v in self.ws.planned_visits(self.placement_id)
               if v.planned_on is not None and v.planned_on <= self.today]
        if fulfil and due:
            self._fulfil(due[0])
            return
        self._load(self.ws.new(AftercareVisit, placement_id=self.placement_id, visited_on=self.today),
                   None, _("New visit note"))

    def _fulfil(self, plan: AftercareVisit) -> None:
        self._load(plan, plan.id, _("Note of the visit planned for {date}").format(
            date=format_date(plan.planned_on)))
        self.form.set_value("visited_on", self.today)
        self.form.mark_saved()

    def start_correction(self) -> None:
        """The chosen visit into the form: a note to correct, or a planned visit's note to write."""
        visit = self._chosen()
        if visit is None:
            return
        if visit.visited_on is None:
            self._fulfil(visit)
        else:
            self._load(visit, visit.id, _("Correction of the note of {date}").format(
                date=format_date(visit.visited_on)))
        self.form.editors["notes"].setFocus()

    def start_move(self) -> None:
        visit = self._chosen()
        if visit is None or visit.visited_on is not None:
            return
        self._load(visit, visit.id, _("Moving the visit planned for {date}").format(
            date=format_date(visit.planned_on)))
        self.form.editors["planned_on"].setFocus()

    # -- saving ---------------------------------------------------------------------------
    def date_warnings(self) -> list[str]:
        """What is odd about the dates typed: a visit before the placement starts, a visit made
        in the future."""
        values = self.form.values()
        visited, planned = values.get("visited_on"), values.get("planned_on")
        visited = visited if isinstance(visited, date) else None
        planned = planned if isinstance(planned, date) else None
        found = []
        day = visited or planned
        if day is not None and self.starts_on is not None and day < self.starts_on:
            found.append(_("The visit is dated {date}, before the placement starts on {start}.")
                         .format(date=format_date(day), start=format_date(self.starts_on)))
        if visited is not None and visited > self.today:
            found.append(_("The visit is dated {date}, after today: a visit not yet made is "
                           "planned (leave \"Visited on\" empty and fill in \"Planned for\").")
                         .format(date=format_date(visited)))
        return found

    def _show_warnings(self) -> None:
        found = self.date_warnings()
        self.warning.setText(" ".join(found))
        self.warning.setVisible(bool(found))

    def _go_on_despite(self, found: list[str]) -> bool:
        answer = QMessageBox.question(
            self, _("Check the date"), " ".join(found) + "\n\n" + _("Save the note anyway?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Save

    def save_note(self) -> bool:
        """Save the form (the Save button, Ctrl+S); the dialog stays open for the next note.
        A date that looks wrong is asked about first; a form with nothing typed is not saved
        (no empty note by a stray Ctrl+S). Returns whether it was saved."""
        if not self.dirty:
            self.refusal.refuse([], _("Nothing has been written yet."))
            return False
        try:
            visit = self.form.record()
            assert isinstance(visit, AftercareVisit)
        except ValidationError as error:
            self.refusal.refuse(error.errors)
            return False
        found = self.date_warnings()
        if found and not self._go_on_despite(found):
            self.form.editors["visited_on" if visit.visited_on else "planned_on"].setFocus()
            return False
        try:
            self.ws.write_note(visit, self.supersedes)
        except ValidationError as error:
            self.refusal.refuse(error.errors)
            return False
        self.refusal.hide()
        self.load_history()
        self.new_note()
        return True

    def _save_clicked(self) -> None:
        self.save_note()

    def save(self) -> None:
        """Save and close (what "Gem" does when closing asks about unsaved typing)."""
        if self.save_note():
            self.accept()

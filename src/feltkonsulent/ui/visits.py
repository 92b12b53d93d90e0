"""Visit notes of one placement: the history (corrections visible), a quick new note, and a
correction that supersedes a note without changing it."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from feltkonsulent.domain.entities import AftercareVisit, Record
from feltkonsulent.domain.enums import VisitMode
from feltkonsulent.domain.errors import ValidationError
from feltkonsulent.i18n import _, format_date
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui.forms import Field, Kind, RecordForm
from feltkonsulent.ui.labels import label
from feltkonsulent.ui.models import ID_ROLE
from feltkonsulent.ui.widgets import Refusal, save_buttons


def visit_fields() -> list[Field]:
    return [
        Field("visited_on", _("Visited on"), Kind.DATE, placeholder="DD.MM.ÅÅÅÅ"),
        Field("planned_on", _("Planned for"), Kind.DATE, placeholder="DD.MM.ÅÅÅÅ"),
        Field("mode", _("Visit type"), Kind.CHOICE, VisitMode),
        Field("participants", _("Participants")),
        Field("notes", _("What was talked about"), Kind.LONG_TEXT),
        Field("agreed_actions", _("Agreed actions"), Kind.LONG_TEXT),
        Field("next_visit_on", _("Next visit"), Kind.DATE, placeholder="DD.MM.ÅÅÅÅ"),
    ]


class VisitDialog(QDialog):
    """Opens on a placement: its notes, newest last, and a form for a new note (today's date
    filled in). "Correct" loads the chosen note into the form; saving then supersedes it."""

    def __init__(self, ws: Workspace, placement_id: str, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.placement_id, self.today = ws, placement_id, today
        self.correcting: str | None = None
        name = ws.placement_names([placement_id]).get(placement_id, "")
        self.setWindowTitle(_("Visit notes: {names}").format(names=name))
        self.placement_name = QLabel(name)
        self.placement_name.setObjectName("placement_name")
        self.placement_name.setTextFormat(Qt.TextFormat.PlainText)
        self.placement_name.setStyleSheet("font-weight: bold;")
        self.resize(720, 760)
        self.history = QTreeWidget()
        self.history.setObjectName("history")
        self.history.setHeaderLabels([_("Date"), _("Visit type"), _("Notes")])
        self.history.setRootIsDecorated(False)
        self.correct_button = QPushButton(_("Correct the chosen note"))
        self.correct_button.clicked.connect(self.start_correction)
        self.heading = QLabel()
        self.form = RecordForm(visit_fields(), self._build)
        self.refusal = Refusal()
        buttons, self.save_button = save_buttons(
            self, self.save, QDialogButtonBox.StandardButton.Close
        )
        layout = QVBoxLayout(self)
        for widget in (self.placement_name, self.history, self.correct_button, self.heading,
                       self.refusal, self.form, buttons):
            layout.addWidget(widget)
        self.new_note()
        self.load_history()

    def _build(self, values: dict[str, Any]) -> Record:
        return self.ws.new(AftercareVisit, placement_id=self.placement_id, **values)

    def load_history(self) -> None:
        self.history.clear()
        for visit, superseded in self.ws.visit_history(self.placement_id):
            day = visit.visited_on or visit.planned_on
            first_line = (visit.notes or "").split("\n", 1)[0]
            shown = _("(corrected) {text}").format(text=first_line) if superseded else first_line
            item = QTreeWidgetItem(self.history, [format_date(day), label(visit.mode), shown])
            item.setData(0, ID_ROLE, visit.id)
            item.setDisabled(superseded)
        for column in (0, 1):
            self.history.resizeColumnToContents(column)

    def new_note(self) -> None:
        self.correcting = None
        self.heading.setText(_("New note"))
        self.form.load(self.ws.new(AftercareVisit, placement_id=self.placement_id,
                                   visited_on=self.today))
        self.form.mark_saved()

    def start_correction(self) -> None:
        item = self.history.currentItem()
        if item is None or item.isDisabled():
            return
        visit = self.ws.get(AftercareVisit, item.data(0, ID_ROLE))
        if visit is None:
            return
        self.correcting = visit.id
        self.heading.setText(_("Correction of the note of {date}").format(
            date=format_date(visit.visited_on or visit.planned_on)))
        self.form.load(visit)

    def save(self) -> None:
        try:
            visit = self.form.record()
            assert isinstance(visit, AftercareVisit)
            if self.correcting:
                self.ws.correct_visit(self.correcting, visit)
            else:
                self.ws.record_visit(visit)
        except ValidationError as error:
            self.refusal.refuse(error.errors)
            return
        self.refusal.hide()
        self.load_history()
        self.new_note()

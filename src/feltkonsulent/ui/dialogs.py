"""A dialog that edits one record: save refused with the reasons shown, and no unsaved change
lost by closing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from feltkonsulent.domain.entities import Citizen, Company, Contact, Record
from feltkonsulent.domain.errors import ValidationError
from feltkonsulent.i18n import _
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui.forms import RecordForm
from feltkonsulent.ui.records import FORMS, builder
from feltkonsulent.ui.widgets import Refusal, save_buttons


def _title(cls: type[Record], new: bool) -> str:
    titles = {
        (Company, True): _("New company"),
        (Company, False): _("Edit company"),
        (Citizen, True): _("New citizen"),
        (Citizen, False): _("Edit citizen"),
        (Contact, True): _("New contact person"),
        (Contact, False): _("Edit contact person"),
    }
    return titles[(cls, new)]


def save_form(ws: Workspace, form: RecordForm, refusal: Refusal) -> Record | None:
    """Save the form's record; refused, the reasons are shown and None returned."""
    try:
        record = form.record()
        ws.save(record)
    except ValidationError as error:
        refusal.refuse(error.errors)
        return None
    form.mark_saved()
    return record


class GuardedDialog(QDialog):
    """A dialog that asks before unsaved changes are lost (Cancel, Esc, closing the window)."""

    @property
    def dirty(self) -> bool:
        raise NotImplementedError

    def reject(self) -> None:
        if self.dirty and not self._may_discard():
            return
        self._discarded = True  # closeEvent must not ask again
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.dirty and not getattr(self, "_discarded", False) and not self._may_discard():
            event.ignore()
            return
        event.accept()

    def _may_discard(self) -> bool:
        answer = QMessageBox.question(
            self, _("Unsaved changes"), _("You have changes that are not saved. Discard them?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard


class RecordDialog(GuardedDialog):
    saved = Signal(object)  # the saved record

    def __init__(
        self, ws: Workspace, cls: type[Record], original: Record | None = None,
        parent: QWidget | None = None, fixed: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle(_title(cls, original is None))
        self.form = RecordForm(FORMS[cls](), builder(ws, cls, original, fixed), original)
        self.refusal = Refusal()
        buttons, self.save_button = save_buttons(self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.refusal)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        self.record: Record | None = None

    @property
    def dirty(self) -> bool:
        return self.form.dirty

    def save(self) -> None:
        record = save_form(self.ws, self.form, self.refusal)
        if record is None:
            return
        self.record = record
        self.saved.emit(record)
        self.accept()

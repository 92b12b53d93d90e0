"""A dialog that edits one record: save refused with the reasons shown, and no unsaved change
lost by closing."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
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
from feltkonsulent.ui.duplicate_warning import DuplicateNotice
from feltkonsulent.ui.forms import RecordForm
from feltkonsulent.ui.records import FORMS, builder
from feltkonsulent.ui.widgets import EnterMoves, Refusal, save_buttons


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
        refusal.hide()  # an earlier refusal is not this save's (which may wait for the writer)
        ws.save(record)
    except ValidationError as error:
        refusal.refuse(error.errors, labels={f.name: f.label for f in form.fields})
        return None
    form.mark_saved()
    return record


class GuardedDialog(QDialog):
    """A dialog that asks before unsaved changes are lost (Esc, the Cancel or Close button, the
    window's X): Gem (save, and close only when the save went through), Forkast (close without
    saving) or Annuller (stay).

    A subclass says whether anything is unsaved (`dirty`) and saves with `save()`, which calls
    `accept()` when the save went through and leaves the dialog open, the reasons shown, when
    it was refused."""

    _leaving = False  # done(): accepted, or rejected past the question; nothing more to ask

    @property
    def dirty(self) -> bool:
        raise NotImplementedError

    def save(self) -> None:
        raise NotImplementedError

    def reject(self) -> None:
        if self._leaving or not self.dirty:
            super().reject()
            return
        answer = ask_unsaved(self)
        if answer is QMessageBox.StandardButton.Discard:
            super().reject()
        elif answer is QMessageBox.StandardButton.Save:
            self.setResult(QDialog.DialogCode.Rejected)
            self.save()  # accepts (and closes) only when the save went through

    def done(self, result: int) -> None:
        self._leaving = True
        super().done(result)

    def showEvent(self, event: QShowEvent) -> None:
        self._leaving = False  # shown again (after a lock, or reopened): ask again
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window's X: as Esc (Qt's own closeEvent would do the same, by `reject`)."""
        if self._leaving or not self.isVisible():
            event.accept()
            return
        self.reject()
        if self.isVisible():
            event.ignore()
        else:
            event.accept()

    def _may_discard(self) -> bool:
        """The two-answer question of before (kept for subclasses that still ask it)."""
        return ask_unsaved(self) is QMessageBox.StandardButton.Discard


def ask_unsaved(parent: QWidget) -> QMessageBox.StandardButton:
    """Gem / Forkast / Annuller; Esc on the question is Annuller."""
    box = QMessageBox(QMessageBox.Icon.Question, _("Unsaved changes"),
                      _("You have changes that are not saved. Save them?"),
                      QMessageBox.StandardButton.NoButton, parent)
    for button, text in ((QMessageBox.StandardButton.Save, _("Save")),
                         (QMessageBox.StandardButton.Discard, _("Discard")),
                         (QMessageBox.StandardButton.Cancel, _("Cancel"))):
        box.addButton(button).setText(text)
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    answer = box.exec()
    box.deleteLater()
    return QMessageBox.StandardButton(answer)


class RecordDialog(GuardedDialog):
    """A company, citizen or contact person, new or edited. A CPR number, or CVR number and
    P-number, that a saved record already has is named as soon as it is typed, with the way to
    that record; saving the twin is refused (two records of one person or workplace would
    split its placements and history)."""

    saved = Signal(object)  # the saved record

    def __init__(
        self, ws: Workspace, cls: type[Record], original: Record | None = None,
        parent: QWidget | None = None, fixed: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws, self.cls = ws, cls
        self.setWindowTitle(_title(cls, original is None))
        self.form = RecordForm(FORMS[cls](), builder(ws, cls, original, fixed), original)
        self.refusal = Refusal()
        self.duplicate = DuplicateNotice(_("Open it instead"))
        self.duplicate.take.connect(self.open_twin)
        self.form.changed.connect(self._look_for_twin)
        buttons, self.save_button = save_buttons(self, self.save)
        EnterMoves(self, [self.form], self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.refusal)
        layout.addWidget(self.duplicate)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        # The first field, not Save: QDialog focuses its default button when a push button
        # (the notice's, hidden) comes first in the focus chain.
        self.form.editors[self.form.fields[0].name].setFocus()
        self.record: Record | None = None

    @property
    def dirty(self) -> bool:
        return self.form.dirty

    def _look_for_twin(self) -> Record | None:
        if self.cls not in (Citizen, Company):
            return None
        own = self.form.original.id if self.form.original else None
        return self.duplicate.look(self.ws, self.cls, self.form.values(), own)

    def open_twin(self, twin: Record) -> None:
        """The saved record instead of this one: opened where it is edited; this closes."""
        if isinstance(twin, Company):
            from feltkonsulent.ui.company import CompanyDialog  # company.py imports this module

            other: QDialog = CompanyDialog(self.ws, twin, date.today(), self.parentWidget())
        else:
            other = RecordDialog(self.ws, type(twin), twin, self.parentWidget())
        other.finished.connect(self.finished)  # whoever waits for this dialog hears of that one
        self.twin_dialog = other  # kept: without a parent it would be collected at once
        self.done(QDialog.DialogCode.Rejected)
        other.open()

    def save(self) -> None:
        if self._look_for_twin() is not None:
            self.refusal.refuse([], self.duplicate.refusal())
            return
        record = save_form(self.ws, self.form, self.refusal)
        if record is None:
            return
        self.record = record
        self.saved.emit(record)
        self.accept()

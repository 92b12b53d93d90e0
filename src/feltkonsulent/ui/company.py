"""One company: its details, its contact persons and its placements, with the way from there to
a placement, its visit notes and a new placement at the company."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from feltkonsulent.domain.entities import Company, Contact
from feltkonsulent.i18n import _, format_date
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui.dialogs import GuardedDialog, RecordDialog, save_form
from feltkonsulent.ui.duplicate_warning import DuplicateNotice
from feltkonsulent.ui.forms import RecordForm
from feltkonsulent.ui.labels import label
from feltkonsulent.ui.models import ID_ROLE
from feltkonsulent.ui.new_placement import NewPlacementDialog
from feltkonsulent.ui.placement import PlacementDialog
from feltkonsulent.ui.records import builder, company_fields
from feltkonsulent.ui.visits import VisitDialog
from feltkonsulent.ui.widgets import EnterMoves, Refusal, button_row, save_buttons


class CompanyDialog(GuardedDialog):
    def __init__(self, ws: Workspace, company: Company, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.company, self.today = ws, company, today
        self.setWindowTitle(_("Company"))
        self.resize(1000, 720)
        self.form = RecordForm(company_fields(), builder(ws, Company, company), company)
        self.refusal = Refusal()
        self.duplicate = DuplicateNotice(_("Open it instead"))
        self.duplicate.take.connect(self.open_twin)
        self.form.changed.connect(self._look_for_twin)
        self.contacts = QListWidget()
        self.contacts.setObjectName("contacts")
        self.contacts.itemActivated.connect(lambda _item: self.edit_contact())
        self.placements = QTreeWidget()
        self.placements.setObjectName("placements")
        self.placements.setRootIsDecorated(False)
        self.placements.setHeaderLabels([_("Citizen"), _("Type"), _("Period"), _("Status")])
        self.placements.itemActivated.connect(lambda _item, _column: self.open_placement())
        buttons, self.save_button = save_buttons(self, self.save)
        EnterMoves(self, [self.form], self.save_button)
        self._lay_out(buttons)
        self.form.editors["name"].setFocus()  # not Save (see RecordDialog)
        self.load_contacts()
        self.load_placements()

    def _lay_out(self, buttons: QDialogButtonBox) -> None:
        details = QGroupBox(_("Company"))
        details_column = QVBoxLayout(details)
        details_column.addWidget(self.form)
        details_column.addStretch(1)  # the fields at the top, not spread over the height
        contacts = QGroupBox(_("Contact persons"))
        contact_column = QVBoxLayout(contacts)
        contact_column.addWidget(self.contacts)
        contact_column.addLayout(button_row(
            _button(_("New contact person"), self.new_contact),
            _button(_("Edit"), self.edit_contact),
        ))
        placements = QGroupBox(_("Placements"))
        placement_column = QVBoxLayout(placements)
        placement_column.addWidget(self.placements)
        placement_column.addLayout(button_row(
            _button(_("New placement here"), self.new_placement),
            _button(_("Open"), self.open_placement),
            _button(_("Visit notes…"), self.open_visits),
        ))
        right = QVBoxLayout()
        right.addWidget(contacts, 1)
        right.addWidget(placements, 2)
        body = QHBoxLayout()
        body.addWidget(details, 1)
        body.addLayout(right, 1)
        heading = QLabel(self.company.name)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setObjectName("heading")
        font = QFont(heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        heading.setFont(font)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.refusal)
        layout.addWidget(self.duplicate)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)

    @property
    def dirty(self) -> bool:
        return self.form.dirty

    # -- contact persons ------------------------------------------------------------------
    def load_contacts(self) -> None:
        self.contacts.clear()
        for contact in self.ws.contacts_of(self.company.id):
            parts = [contact.name, contact.role or "", contact.phone or "", contact.email or ""]
            if contact.is_employee_representative:
                parts.append(_("employee representative"))
            item = QListWidgetItem(" · ".join(p for p in parts if p), self.contacts)
            item.setData(ID_ROLE, contact.id)
        if self.contacts.count():
            self.contacts.setCurrentRow(0)

    def new_contact(self) -> None:
        self._contact_dialog(None)

    def edit_contact(self) -> None:
        item = self.contacts.currentItem()
        contact = self.ws.get(Contact, item.data(ID_ROLE)) if item else None
        if contact is not None:
            self._contact_dialog(contact)

    def _contact_dialog(self, contact: Contact | None) -> None:
        dialog = RecordDialog(self.ws, Contact, contact, self, fixed={"company_id": self.company.id})
        dialog.saved.connect(lambda _record: self.load_contacts())
        dialog.open()

    # -- placements -----------------------------------------------------------------------
    def load_placements(self) -> None:
        self.placements.clear()
        for row in self.ws.placements_at(self.company.id):
            period = f"{format_date(row.start_date)} – {format_date(row.end_date)}"
            item = QTreeWidgetItem(self.placements,
                                   [row.citizen_name, label(row.kind), period, label(row.status)])
            item.setData(0, ID_ROLE, row.id)
        for column in range(self.placements.columnCount()):
            self.placements.resizeColumnToContents(column)
        first = self.placements.topLevelItem(0)
        if first is not None:
            self.placements.setCurrentItem(first)

    def _chosen_placement(self) -> str | None:
        item = self.placements.currentItem()
        return item.data(0, ID_ROLE) if item else None

    def open_placement(self) -> None:
        placement_id = self._chosen_placement()
        if placement_id:
            dialog = PlacementDialog(self.ws, placement_id, self.today, self)
            dialog.finished.connect(lambda _result: self.load_placements())
            dialog.open()

    def open_visits(self) -> None:
        placement_id = self._chosen_placement()
        if placement_id:
            VisitDialog(self.ws, placement_id, self.today, self).open()

    def new_placement(self) -> None:
        dialog = NewPlacementDialog(self.ws, self.today, self, company=self.company)
        dialog.finished.connect(self._reload)
        dialog.open()

    def _reload(self) -> None:
        self.load_placements()
        self.load_contacts()

    # -- saving ---------------------------------------------------------------------------
    def _look_for_twin(self) -> object:
        return self.duplicate.look(self.ws, Company, self.form.values(), self.company.id)

    def open_twin(self, twin: object) -> None:
        """The other company with this CVR and P-number, in place of this one (unsaved edits of
        this one are dropped: the user chose the other)."""
        assert isinstance(twin, Company)
        other = CompanyDialog(self.ws, twin, self.today, self.parentWidget())
        other.finished.connect(self.finished)
        self.twin_dialog = other  # kept: without a parent it would be collected at once
        self.done(QDialog.DialogCode.Rejected)
        other.open()

    def save(self) -> None:
        if self._look_for_twin() is not None:
            self.refusal.refuse([], self.duplicate.refusal())
            return
        if save_form(self.ws, self.form, self.refusal) is not None:
            self.accept()


def _button(text: str, clicked: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.clicked.connect(clicked)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return button

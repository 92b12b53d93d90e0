"""One placement, for editing: its terms, status and outcome, the contact person, its buddies or
mentors and sprogmakkere, the rules' findings, and the way to its visit notes."""

from __future__ import annotations

import dataclasses
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from feltkonsulent.domain.entities import LanguagePartner, Placement, SupportArrangement
from feltkonsulent.domain.errors import ValidationError
from feltkonsulent.domain.ids import ContactId
from feltkonsulent.domain.rules import Finding
from feltkonsulent.i18n import _
from feltkonsulent.services import rules
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui.agreement import AgreementBox
from feltkonsulent.ui.dialogs import GuardedDialog
from feltkonsulent.ui.findings import FindingsBox
from feltkonsulent.ui.forms import RecordForm
from feltkonsulent.ui.labels import label
from feltkonsulent.ui.new_placement import NewPlacementDialog
from feltkonsulent.ui.records import (
    builder,
    follow_kind,
    partner_fields,
    period_fields,
    placement_edit_fields,
    support_fields,
)
from feltkonsulent.ui.visits import VisitDialog
from feltkonsulent.ui.widgets import CheckLater, EnterMoves, Refusal, save_buttons

CHECK_DELAY_MS = 300
COPY_SHORTCUT = "Ctrl+Shift+D"  # D for duplicate; Ctrl+D deletes in a text field on Linux
Arrangement = SupportArrangement | LanguagePartner


class ArrangementBox(QGroupBox):
    """A buddy/mentor or a sprogmakker: one saved, for editing, or a new one to add (a box to
    tick; the period of the placement filled in)."""

    def __init__(self, ws: Workspace, cls: type[Arrangement], placement: Placement,
                 original: Arrangement | None, title: str) -> None:
        super().__init__(title)
        fields = support_fields() if cls is SupportArrangement else partner_fields()
        self.original = original
        self.form = RecordForm([*fields, *period_fields()],
                               builder(ws, cls, original, {"placement_id": placement.id}), original)
        if original is None:
            self.setCheckable(True)
            self.setChecked(False)
            self.form.set_value("start_date", placement.start_date)
            self.form.set_value("end_date", placement.end_date)
            self.form.mark_saved()
            self.form.setVisible(False)
            self.toggled.connect(self.form.setVisible)
        QVBoxLayout(self).addWidget(self.form)

    @property
    def wanted(self) -> bool:
        return self.original is not None or self.isChecked()

    @property
    def dirty(self) -> bool:
        return self.isChecked() if self.original is None else self.form.dirty

    def record(self, old: Placement, new: Placement) -> Arrangement | None:
        """The arrangement to save, or None when nothing changed. One that ran for the whole
        placement keeps doing so when the placement's period changes."""
        if not self.wanted:
            return None
        record = self.form.record()
        assert isinstance(record, SupportArrangement | LanguagePartner)
        if (record.start_date, record.end_date) == (old.start_date, old.end_date):
            record = dataclasses.replace(record, start_date=new.start_date, end_date=new.end_date)
        return None if record == self.original else record


class PlacementDialog(GuardedDialog):
    def __init__(self, ws: Workspace, placement_id: str, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.today = ws, today
        self.placement = ws.show_placement(placement_id)  # audited
        self.setWindowTitle(_("Placement"))
        self.resize(760, 820)
        self._timer = CheckLater(self, self.check, CHECK_DELAY_MS)
        name = ws.placement_names([placement_id]).get(placement_id, "")
        self.heading = QLabel(name)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)  # names are data, never markup
        self.heading.setObjectName("heading")
        font = QFont(self.heading.font())
        font.setBold(True)
        self.heading.setFont(font)
        self.form = RecordForm(placement_edit_fields(), builder(
            ws, Placement, self.placement,
            {"citizen_id": self.placement.citizen_id, "company_id": self.placement.company_id},
        ), self.placement)
        self.form.changed.connect(self._timer.start)
        follow_kind(self.form)
        self.contacts = QComboBox()
        self.contacts.setObjectName("contacts")
        self.contacts.addItem(_("(none)"), None)
        for contact in ws.contacts_of(self.placement.company_id):
            role = f" ({contact.role})" if contact.role else ""
            self.contacts.addItem(contact.name + role, contact.id)
        self.contacts.setCurrentIndex(max(0, self.contacts.findData(self.placement.contact_id)))
        self.arrangements = self._arrangement_boxes()
        self.findings_box = FindingsBox()
        self.refusal = Refusal()
        buttons, self.save_button = save_buttons(self, self.save)
        self.visits_button = QPushButton(_("Visit notes…"))
        self.visits_button.clicked.connect(self.open_visits)
        buttons.addButton(self.visits_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button = QPushButton(_("Copy placement"))
        self.copy_button.setShortcut(QKeySequence(COPY_SHORTCUT))
        self.copy_button.setToolTip(_("A new placement like this one, for the next citizen ({keys})")
                                    .format(keys=QKeySequence(COPY_SHORTCUT).toString(
                                        QKeySequence.SequenceFormat.NativeText)))
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_placement)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.agreement = AgreementBox(ws, self.placement.id, today)
        EnterMoves(self, [self.form, *(box.form for box in self.arrangements)], self.save_button)
        self._lay_out(buttons)
        self.check()

    def _arrangement_boxes(self) -> list[ArrangementBox]:
        support, partners = self.ws.arrangements_of(self.placement.id)
        p = self.placement
        boxes = [
            *(ArrangementBox(self.ws, SupportArrangement, p, s,
                             f"{label(s.role)}: {s.person_name}") for s in support),
            ArrangementBox(self.ws, SupportArrangement, p, None, _("Add a buddy or mentor")),
            *(ArrangementBox(self.ws, LanguagePartner, p, lp,
                             _("Sprogmakker: {name}").format(name=lp.partner_name))
              for lp in partners),
            ArrangementBox(self.ws, LanguagePartner, p, None, _("Add a sprogmakker")),
        ]
        return boxes

    def _lay_out(self, buttons: QDialogButtonBox) -> None:
        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.heading)
        terms = QGroupBox(_("Placement"))
        terms_layout = QVBoxLayout(terms)
        terms_layout.addWidget(self.form)
        contact_row = QFormLayout()
        contact_label = QLabel(_("Contact person"))
        contact_label.setBuddy(self.contacts)
        contact_row.addRow(contact_label, self.contacts)
        terms_layout.addLayout(contact_row)
        column.addWidget(terms)
        column.addWidget(self.agreement)
        for box in self.arrangements:
            column.addWidget(box)
        column.addWidget(self.findings_box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.refusal)
        layout.addWidget(scroll)
        layout.addWidget(buttons)

    @property
    def dirty(self) -> bool:
        return (self.form.dirty or any(box.dirty for box in self.arrangements)
                or self.contacts.currentData() != self.placement.contact_id)

    # -- the rules ------------------------------------------------------------------------
    def check(self) -> list[Finding]:
        """Findings for the placement as it stands in the form (none while it cannot be read)."""
        try:
            edited = self.edited(reveal=False)
        except ValidationError:
            self.findings_box.show_findings([])
            return []
        checked = rules.edit_findings(self.ws, edited)
        given = {c.finding.code: c.override.reason for c in checked if c.override}
        self.findings_box.show_findings([c.finding for c in checked], given)
        return [c.finding for c in checked]

    def edited(self, *, reveal: bool = True) -> Placement:
        record = self.form.record(reveal=reveal)
        assert isinstance(record, Placement)
        contact = self.contacts.currentData()
        return dataclasses.replace(record, contact_id=ContactId(contact) if contact else None)

    # -- saving ---------------------------------------------------------------------------
    def save(self) -> None:
        try:
            placement = self.edited()
            changed = [a for box in self.arrangements
                       if (a := box.record(self.placement, placement)) is not None]
            self.check()
            rules.update_with_reasons(self.ws, placement, changed, self.findings_box.typed(),
                                      self.today)
        except ValidationError as error:
            self.refusal.refuse(error.errors)
            return
        self.accept()

    def copy_placement(self) -> None:
        """"Kopiér forløb": Nyt forløb filled in from this placement, for the next citizen. This
        dialog closes first (asking, if anything here is unsaved; Annuller stops the copy)."""
        self.reject()
        if self.isVisible():
            return
        copy = NewPlacementDialog(self.ws, self.today, self.parentWidget())
        copy.copy_from(self.placement)
        copy.finished.connect(self.finished)  # whoever waits for this dialog hears of the copy
        self.copy_dialog = copy  # kept: without a parent it would be collected at once
        copy.open()

    def open_visits(self) -> None:
        VisitDialog(self.ws, self.placement.id, self.today, self).open()



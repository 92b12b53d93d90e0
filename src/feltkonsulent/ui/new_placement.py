""""Nyt forløb": company, citizen, placement, buddy and sprogmakker in one go and one
transaction, with the rules' findings shown before saving and a reason asked to go past them."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from feltkonsulent.domain import limits
from feltkonsulent.domain.entities import (
    Citizen,
    Company,
    Contact,
    LanguagePartner,
    Placement,
    Record,
    SupportArrangement,
)
from feltkonsulent.domain.enums import PlacementStatus
from feltkonsulent.domain.errors import ValidationError
from feltkonsulent.domain.ids import CitizenId, CompanyId, ContactId
from feltkonsulent.domain.rules import Finding
from feltkonsulent.i18n import _
from feltkonsulent.services import lists, rules
from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from feltkonsulent.ui.dialogs import GuardedDialog
from feltkonsulent.ui.duplicate_warning import DuplicateNotice
from feltkonsulent.ui.findings import FindingsBox
from feltkonsulent.ui.forms import Field, RecordForm
from feltkonsulent.ui.models import ID_ROLE
from feltkonsulent.ui.records import (
    builder,
    citizen_fields,
    company_fields,
    contact_fields,
    follow_kind,
    partner_fields,
    placement_fields,
    support_fields,
)
from feltkonsulent.ui.widgets import CheckLater, EnterMoves, Refusal, save_buttons

CHECK_DELAY_MS = 300
# What "Kopiér forløb" takes over from the placement it copies.
COPIED_TERMS = ("kind", "purpose", "weekly_hours", "working_hours", "work_tasks", "goals",
                "hourly_wage", "subsidy_per_hour", "education_plan")
MATCHES = 8
_PENDING = "pending"  # stands in for ids not known while the form is filled in
_PENDING_DAY = limits.FIRST_DAY  # and for dates not known yet (a day any date field may hold)


def _draft(ws: Workspace, cls: type[Record], fixed: dict[str, Any]) -> Callable[[dict[str, Any]],
                                                                                 Record]:
    """A builder for a record whose links are filled in at saving time."""
    def build(values: dict[str, Any]) -> Record:
        merged = {**values, **fixed}
        if cls is Placement:
            merged.update(citizen_id=_PENDING, company_id=_PENDING)
        for name in ("start_date", "end_date", "person_name", "partner_name"):
            if name in merged and merged[name] is None:
                merged[name] = _PENDING_DAY if name.endswith("date") else ""
        return ws.new(cls, **merged)
    return build


class Picker(QGroupBox):
    """Find a saved company or citizen by typing, or tick "new" and fill in the form. In the
    search field, Up and Down move through the matches and Enter takes the one highlighted;
    Enter when nothing matches goes on to "new". What was typed in the search comes along into
    the new record's form: 8 digits as the CVR number, 10 (with or without the dash) as the CPR
    number, anything else as the name. A new record with the CPR, or CVR and P-number, of a
    saved one is named at once, with "Choose it" to take the saved one instead."""

    chosen = Signal()  # Enter on a match: the dialog moves on

    def __init__(self, ws: Workspace, cls: type[Record], title: str, new_text: str,
                 on_change: Callable[[], None]) -> None:
        super().__init__(title)
        self.ws, self.cls = ws, cls
        self.typed = QLineEdit()
        self.typed.setPlaceholderText(_("Type a name, CVR or CPR number…"))
        self.matches = QListWidget()
        self.matches.setMaximumHeight(120)
        self.new = QCheckBox(new_text)
        fields = company_fields() if cls is Company else citizen_fields()
        self.form = RecordForm(fields, builder(ws, cls, None))
        self.form.hide()
        self.duplicate = DuplicateNotice(_("Choose it"))
        self.duplicate.take.connect(self._take_twin)
        self.form.changed.connect(self.look_for_twin)
        layout = QVBoxLayout(self)
        for widget in (self.typed, self.matches, self.new, self.duplicate, self.form):
            layout.addWidget(widget)
        self.typed.textChanged.connect(self._search)
        self.typed.installEventFilter(self)
        self.new.toggled.connect(self._toggle)
        self.matches.itemSelectionChanged.connect(on_change)
        self.form.changed.connect(on_change)
        self.new.toggled.connect(lambda _on: on_change())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.typed and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.matches.count():
                step = 1 if key == Qt.Key.Key_Down else -1
                row = min(max(self.matches.currentRow() + step, 0), self.matches.count() - 1)
                self.matches.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                # Enter chooses; it must not press the dialog's Save button.
                if self.matches.currentItem() is not None:
                    self.chosen.emit()
                elif self.typed.text().strip():
                    self.new.setChecked(True)  # nothing matches: a new one, with what was typed
                return True
        return super().eventFilter(watched, event)

    def _toggle(self, new: bool) -> None:
        self.form.setVisible(new)
        self.typed.setVisible(not new)
        self.matches.setVisible(not new)
        if not new:
            self.duplicate.hide()
            return
        self._carry(self.typed.text().strip())
        self.look_for_twin()
        # Deferred: a box ticked by its Alt+letter takes the focus itself after telling.
        QTimer.singleShot(0, self._focus_first_empty)

    def _carry(self, typed: str) -> None:
        digits = typed.replace(" ", "")
        if self.cls is Company and re.fullmatch(r"\d{8}", digits):
            name = "cvr"
        elif self.cls is Citizen and re.fullmatch(r"\d{6}-?\d{4}", digits):
            name = "cpr"
        else:
            name = "name"
        if typed and not self.form.raw(name):
            self.form.set_value(name, digits if name != "name" else typed)

    def _focus_first_empty(self) -> None:
        editors = [e for f in self.form.fields if isinstance(e := self.form.editors[f.name],
                                                              QLineEdit) and e.isVisible()]
        target = next((e for e in editors if not e.text()), editors[0] if editors else None)
        if target is not None and self.new.isChecked():
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def look_for_twin(self) -> Record | None:
        if not self.new.isChecked():
            return None
        return self.duplicate.look(self.ws, self.cls, self.form.values(), None)

    def _take_twin(self, twin: Record) -> None:
        self.new.setChecked(False)
        self.choose(twin)
        self.chosen.emit()

    def _search(self, text: str) -> None:
        self.matches.clear()
        if not text.strip():
            return
        query = lists.ListQuery(sort="name", text=text.strip(), limit=MATCHES)
        rows: list[Any] = (lists.company_rows(self.ws, query) if self.cls is Company
                           else lists.citizen_rows(self.ws, query))
        for row in rows:
            shown = f"{row.name} · {row.cvr if self.cls is Company else row.masked_cpr}"
            item = QListWidgetItem(shown, self.matches)
            item.setData(ID_ROLE, row.id)
        if rows:
            self.matches.setCurrentRow(0)

    def choose(self, record: Record) -> None:
        """Start with this record chosen (opened from its company or citizen)."""
        self.typed.blockSignals(True)
        self.typed.setText(getattr(record, "name", ""))
        self.typed.blockSignals(False)
        self.matches.clear()
        item = QListWidgetItem(getattr(record, "name", ""), self.matches)
        item.setData(ID_ROLE, record.id)
        self.matches.setCurrentRow(0)

    def record(self, *, reveal: bool = True) -> Record | None:
        """The chosen or new record; None while none is chosen; ValidationError if the new one
        is not right (shown in its form when `reveal`)."""
        if self.new.isChecked():
            return self.form.record(reveal=reveal)
        item = self.matches.currentItem()
        return self.ws.get(self.cls, item.data(ID_ROLE)) if item else None


class NewPlacementDialog(GuardedDialog):
    """Asks before closing with anything typed or chosen (Gem / Forkast / Annuller)."""

    def __init__(self, ws: Workspace, today: date, parent: QWidget | None = None,
                 company: Company | None = None) -> None:
        super().__init__(parent)
        self.ws, self.today = ws, today
        self.setWindowTitle(_("New placement"))
        self.resize(760, 820)
        self._timer = CheckLater(self, self.check, CHECK_DELAY_MS)
        later = self._timer.start
        self.company = Picker(ws, Company, _("Company"), _("New &company"), later)
        self.contact_box = QGroupBox(_("Contact person at the company"))
        self.contacts = QComboBox()
        self.contacts.setObjectName("contacts")
        self.new_contact = QCheckBox(_("New c&ontact person"))
        self.contact = RecordForm(contact_fields(), _draft(ws, Contact, {"company_id": _PENDING}))
        self.contact.hide()
        self.new_contact.toggled.connect(self._toggle_contact)
        contact_layout = QVBoxLayout(self.contact_box)
        for part in (self.contacts, self.new_contact, self.contact):
            contact_layout.addWidget(part)
        self.company.matches.itemSelectionChanged.connect(self._load_contacts)
        self.company.new.toggled.connect(lambda _on: self._load_contacts())
        self._load_contacts()
        self.citizen = Picker(ws, Citizen, _("Citizen"), _("New ci&tizen"), later)
        self.placement = RecordForm(placement_fields(), _draft(ws, Placement, {}))
        self.placement.changed.connect(later)
        follow_kind(self.placement)
        self.support_box, self.support = self._optional(_("&Buddy or mentor"), support_fields(),
                                                        SupportArrangement)
        self.partner_box, self.partner = self._optional(_("&Sprogmakker"), partner_fields(),
                                                        LanguagePartner)
        self.findings_box = FindingsBox()
        self.refusal = Refusal()
        buttons, self.save_button = save_buttons(self, self.save)
        EnterMoves(self, [self.company.form, self.contact, self.citizen.form, self.placement,
                          self.support, self.partner], self.save_button)
        body = QWidget()
        column = QVBoxLayout(body)
        placement_box = QGroupBox(_("Placement"))
        QVBoxLayout(placement_box).addWidget(self.placement)
        for widget in (self.company, self.contact_box, self.citizen, placement_box, self.support_box,
                       self.partner_box, self.findings_box):
            column.addWidget(widget)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.refusal)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        self.saved_placement: Placement | None = None
        self.company.chosen.connect(self._company_chosen)
        self.citizen.chosen.connect(self._citizen_chosen)
        self.company.typed.setFocus()
        if company is not None:
            self.company.choose(company)
            self._load_contacts()
            self.citizen.typed.setFocus()
        self._copying = False
        self._start = self._state()

    def _state(self) -> tuple[object, ...]:
        """Everything typed or chosen, to tell whether anything would be lost by closing."""
        pickers = [(p.typed.text(), p.new.isChecked(), p.form.values(), p.matches.currentRow())
                   for p in (self.company, self.citizen)]
        return (*pickers, self.contacts.currentIndex(), self.new_contact.isChecked(),
                self.contact.values(), self.placement.values(), self.support_box.isChecked(),
                self.support.values(), self.partner_box.isChecked(), self.partner.values(),
                self.findings_box.typed())

    @property
    def dirty(self) -> bool:
        return self.saved_placement is None and self._state() != self._start

    # -- "Kopiér forløb" ----------------------------------------------------------------------
    def copy_from(self, placement: Placement) -> None:
        """Start from this placement, for the next citizen: the same company, contact person,
        terms, tasks, goals, buddy and sprogmakker; the citizen and the dates are left empty
        (they are the next citizen's own), as are the follow-up date, the extension assessment
        and the rising hours (about one citizen, or dated from the start)."""
        company = self.ws.get(Company, placement.company_id)
        if company is not None:
            self.company.choose(company)
            self._load_contacts()
        self.contacts.setCurrentIndex(max(0, self.contacts.findData(placement.contact_id)))
        for name in COPIED_TERMS:
            self.placement.set_value(name, getattr(placement, name))
        support, partners = self.ws.arrangements_of(placement.id)
        for box, form, records in ((self.support_box, self.support, support),
                                   (self.partner_box, self.partner, partners)):
            if records:
                box.setChecked(True)
                for field in form.fields:
                    form.set_value(field.name, getattr(records[0], field.name))
        self._copying = True
        # After the boxes' own deferred focus: the citizen is what is asked for first.
        QTimer.singleShot(0, self.citizen.typed.setFocus)
        self._start = self._state()  # nothing typed yet: closing loses nothing

    def _company_chosen(self) -> None:
        """On to the citizen, or to the contact person when there is more than one to choose."""
        self._load_contacts()
        many = self.contacts.count() > 2
        (self.contacts if many else self.citizen.typed).setFocus()

    def _citizen_chosen(self) -> None:
        """On to the placement: its type, or for a copy its start date (the rest is filled)."""
        first = "start_date" if self._copying else self.placement.fields[0].name
        self.placement.editors[first].setFocus()

    def _toggle_contact(self, new: bool) -> None:
        self.contact.setVisible(new)
        self.contacts.setVisible(not new)
        if new:  # deferred: a box ticked by its Alt+letter takes the focus after telling
            QTimer.singleShot(0, self.contact.editors["name"].setFocus)

    def _load_contacts(self) -> None:
        """The chosen company's contact persons; none yet for a new company."""
        self.contacts.clear()
        self.contacts.addItem(_("(none)"), None)
        company = None if self.company.new.isChecked() else self.company.record()
        for contact in self.ws.contacts_of(company.id) if company else []:
            role = f" ({contact.role})" if contact.role else ""
            self.contacts.addItem(contact.name + role, contact.id)
        if self.contacts.count() == 2:  # the company's only contact person
            self.contacts.setCurrentIndex(1)

    def _contact(self, company: Company) -> tuple[Contact | None, str | None]:
        """The new contact to create, if any, and the id the placement names."""
        if self.new_contact.isChecked():
            draft = self.contact.record()
            assert isinstance(draft, Contact)
            created = dataclasses.replace(draft, company_id=CompanyId(company.id))
            return created, created.id
        return None, self.contacts.currentData()

    def _optional(self, title: str, fields: list[Field], cls: type[Record]
                  ) -> tuple[QGroupBox, RecordForm]:
        box = QGroupBox(title)
        box.setCheckable(True)
        box.setChecked(False)
        form = RecordForm(fields, _draft(self.ws, cls, {"placement_id": _PENDING,
                                                         "start_date": _PENDING_DAY,
                                                         "end_date": _PENDING_DAY}))
        QVBoxLayout(box).addWidget(form)
        first = form.editors[fields[0].name]
        # Ticked (also by its Alt+letter): straight on to the first field. Deferred: the box
        # takes the focus itself after telling that it was toggled.
        box.toggled.connect(lambda on: on and QTimer.singleShot(0, first.setFocus))
        return box, form

    # -- the rules, before saving ---------------------------------------------------------
    def check(self) -> list[Finding]:
        """Findings for what is filled in so far (nothing until company, citizen and placement
        are all right); a reason field for each warning."""
        found: list[Finding] = []
        try:
            company = self.company.record(reveal=False)
            citizen = self.citizen.record(reveal=False)
            placement = self._placement(company, citizen, reveal=False)
        except ValidationError:
            company = citizen = placement = None
        if isinstance(company, Company) and isinstance(citizen, Citizen) and placement:
            found = rules.draft_findings(self.ws, placement, citizen, company)
        self.findings_box.show_findings(found)
        return found

    def _placement(self, company: Record | None, citizen: Record | None, *, reveal: bool = True
                   ) -> Placement | None:
        draft = self.placement.record(reveal=reveal)
        if company is None or citizen is None:
            return None
        assert isinstance(draft, Placement)
        return dataclasses.replace(
            draft, company_id=CompanyId(company.id), citizen_id=CitizenId(citizen.id),
            status=_status(draft.start_date, draft.end_date, self.today),
        )

    # -- saving ---------------------------------------------------------------------------
    def registration(self) -> PlacementRegistration:
        company, citizen = self.company.record(), self.citizen.record()
        placement = self._placement(company, citizen)
        if not isinstance(company, Company) or not isinstance(citizen, Citizen) or not placement:
            raise ValidationError([])
        contact, contact_id = self._contact(company)
        placement = dataclasses.replace(placement, contact_id=ContactId(contact_id) if contact_id else None)
        pid, start, end = placement.id, placement.start_date, placement.end_date
        support = [
            dataclasses.replace(r, placement_id=pid, start_date=start, end_date=end)
            for r in self._optional_records(self.support_box, self.support)
            if isinstance(r, SupportArrangement)
        ]
        partners = [
            dataclasses.replace(r, placement_id=pid, start_date=start, end_date=end)
            for r in self._optional_records(self.partner_box, self.partner)
            if isinstance(r, LanguagePartner)
        ]
        return PlacementRegistration(company, citizen, placement, contact, support, partners)

    @staticmethod
    def _optional_records(box: QGroupBox, form: RecordForm) -> list[Record]:
        return [form.record()] if box.isChecked() else []

    def save(self) -> None:
        for picker in (self.company, self.citizen):
            if picker.look_for_twin() is not None:
                self.refusal.refuse([], picker.duplicate.refusal())
                return
        try:
            registration = self.registration()
            self.check()
            reasons = self.findings_box.typed()
            self.saved_placement = rules.register_with_reasons(
                self.ws, registration, reasons, self.today)
        except ValidationError as error:
            self.refusal.refuse(error.errors, _("Choose or create the company and the citizen."))
            return
        self.accept()


def _status(start: date, end: date, today: date) -> PlacementStatus:
    """A new placement's status follows from its dates (changed later in the placement)."""
    if today < start:
        return PlacementStatus.PLANNED
    return PlacementStatus.ACTIVE if today <= end else PlacementStatus.ENDED

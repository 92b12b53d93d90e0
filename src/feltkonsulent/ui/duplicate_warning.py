"""The warning a form shows as soon as a typed CPR number, or CVR number and P-number, is one a
saved citizen or company already has: it names that record (CPR masked) and offers it instead."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from feltkonsulent.domain import validation as v
from feltkonsulent.domain.entities import Citizen, Company, Record
from feltkonsulent.i18n import _
from feltkonsulent.services.duplicates import same_as
from feltkonsulent.services.workspace import Workspace


def typed_twin(ws: Workspace, cls: type[Record], values: dict[str, Any],
               own_id: str | None) -> Citizen | Company | None:
    """The saved record (other than `own_id`) with the CPR, or the CVR and P-number, in these
    form values; None while those are not complete and valid, or no other record has them."""
    fields: dict[str, Any] = {"name": ""}
    if own_id is not None:
        fields["id"] = own_id
    if cls is Citizen:
        cpr = values.get("cpr")
        if not isinstance(cpr, str) or v.check_cpr(cpr) is not None:
            return None
        draft: Citizen | Company = ws.new(Citizen, cpr=cpr, **fields)
    elif cls is Company:
        cvr, p_number = values.get("cvr"), values.get("p_number")
        if not isinstance(cvr, str) or v.check_cvr(cvr) is not None:
            return None
        if p_number is not None and (not isinstance(p_number, str)
                                     or v.check_p_number(p_number) is not None):
            return None
        draft = ws.new(Company, cvr=cvr, p_number=p_number, **fields)
    else:
        return None
    found = same_as(ws, draft)
    return found[0] if found else None


def describe_twin(record: Citizen | Company) -> str:
    if isinstance(record, Citizen):
        return _("{name} ({cpr}) is already registered with this CPR number.").format(
            name=record.name, cpr=record.masked_cpr)
    if record.p_number:
        return _("{name} (CVR {cvr}, P-number {p_number}) is already registered with this CVR "
                 "number and P-number.").format(name=record.name, cvr=record.cvr,
                                               p_number=record.p_number)
    return _("{name} (CVR {cvr}, no P-number) is already registered with this CVR number.").format(
        name=record.name, cvr=record.cvr)


class DuplicateNotice(QFrame):
    """Hidden until `look` finds a twin; its button hands the saved record on (`take`)."""

    take = Signal(object)  # the saved Citizen or Company

    def __init__(self, button_text: str) -> None:
        super().__init__()
        self.setObjectName("duplicate")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#duplicate { background: #fff4ce; border: 1px solid #c19c00; }")
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.PlainText)  # names are data, never markup
        self.text.setWordWrap(True)
        self.button = QPushButton(button_text)
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self._take)
        row = QHBoxLayout(self)
        row.addWidget(self.text, 1)
        row.addWidget(self.button)
        self.twin: Citizen | Company | None = None
        self.hide()

    def _take(self) -> None:
        if self.twin is not None:
            self.take.emit(self.twin)

    def look(self, ws: Workspace, cls: type[Record], values: dict[str, Any],
             own_id: str | None) -> Citizen | Company | None:
        self.twin = typed_twin(ws, cls, values, own_id)
        if self.twin is not None:
            self.text.setText(describe_twin(self.twin))
        self.setVisible(self.twin is not None)
        return self.twin

    def refusal(self) -> str:
        """Why a save is refused while the twin is there."""
        assert self.twin is not None
        return _("{twin} Use that one, or correct the number.").format(
            twin=describe_twin(self.twin))

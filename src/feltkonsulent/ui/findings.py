"""The rules' findings for a placement being entered or edited, with a reason field for each
warning that has none yet (an error cannot be gone past)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from feltkonsulent.domain.rules import Finding, Severity
from feltkonsulent.i18n import _
from feltkonsulent.ui.today import with_reference


class FindingsBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Rules of the law"), parent)
        self._layout = QFormLayout(self)
        self.reasons: dict[str, QLineEdit] = {}

    def show_findings(self, found: Iterable[Finding], given: dict[str, str] | None = None) -> None:
        """`given`: the reasons recorded before, by code; those warnings ask for none."""
        given = given or {}
        typed = self.typed()
        while self._layout.rowCount():
            self._layout.removeRow(0)
        self.reasons = {}
        found = list(found)
        if not found:
            self._layout.addRow(QLabel(_("No findings.")))
        for finding in found:
            title = QLabel(with_reference(finding))
            if finding.severity is Severity.ERROR:
                self._layout.addRow(title)
            elif finding.code in given:
                reason = QLabel(_("Reason given: {reason}").format(reason=given[finding.code]))
                reason.setWordWrap(True)
                self._layout.addRow(title, reason)
            else:
                field = QLineEdit(typed.get(finding.code, ""))
                field.setObjectName(f"reason_{finding.code}")
                field.setPlaceholderText(_("Why go on? (saved with the placement)"))
                self._layout.addRow(title, field)
                self.reasons[finding.code] = field

    def typed(self) -> dict[str, str]:
        return {code: field.text() for code, field in self.reasons.items()}

"""The municipality and the consultant that every agreement names: edited in the settings, and
asked for before the first agreement is issued."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from feltkonsulent.domain.errors import ValidationError
from feltkonsulent.i18n import _
from feltkonsulent.services import profile
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui.dialogs import GuardedDialog
from feltkonsulent.ui.widgets import Refusal, save_buttons


def _labels() -> dict[str, str]:
    return {
        "municipality": _("Municipality"),
        "department": _("Unit"),
        "address": _("Address"),
        "phone": _("Phone"),
        "email": _("E-mail"),
        "consultant": _("Your name"),
        "consultant_phone": _("Your phone"),
        "consultant_email": _("Your e-mail"),
    }


def _placeholders() -> dict[str, str]:
    return {
        "municipality": _("e.g. Vejle Kommune"),
        "department": _("e.g. Virksomhedsservice"),
        "address": _("Street and number, postal code and town"),
    }


class ProfileDialog(GuardedDialog):
    """Both parts in one form; Save writes them in one transaction."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None,
                 asked_for_agreement: bool = False) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle(_("Municipality and consultant"))
        self.setObjectName("profile_dialog")
        intro = QLabel(
            _("Before the first agreement is issued: which municipality and which consultant "
              "does the agreement name? You can change it later under Settings.")
            if asked_for_agreement else
            _("Every agreement names the municipality and the consultant. The municipality's "
              "part is shared with your team when you sync."))
        intro.setWordWrap(True)
        self.refusal = Refusal()
        self.edits: dict[str, QLineEdit] = {}
        values = profile.current(ws).as_dict()
        form = QFormLayout()  # one form, so both parts' fields line up
        form.addRow(_heading(_("The municipality")))
        placeholders = _placeholders()
        for name, label in _labels().items():
            if name == profile.CONSULTANT_FIELDS[0]:
                form.addRow(_heading(_("The consultant")))
            edit = QLineEdit(values[name] or "")
            edit.setObjectName(name)
            edit.setPlaceholderText(placeholders.get(name, ""))
            self.edits[name] = edit
            form.addRow(label, edit)
        self._saved_values = self._values()
        buttons, self.save_button = save_buttons(self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.refusal)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(480, self.sizeHint().height())

    def _values(self) -> dict[str, str]:
        return {name: edit.text() for name, edit in self.edits.items()}

    @property
    def dirty(self) -> bool:
        return self._values() != self._saved_values

    def save(self) -> None:
        values = self._values()
        try:
            profile.update(self.ws, **values)
        except ValidationError as error:
            self.refusal.refuse(error.errors)
            if error.errors and error.errors[0].field in self.edits:
                self.edits[str(error.errors[0].field)].setFocus()
            return
        self._saved_values = values
        self.accept()


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold; margin-top: 6px;")
    return label


def ensure_profile(ws: Workspace, parent: QWidget | None = None) -> bool:
    """True when an agreement may be issued: the profile names the municipality and the
    consultant, now or after the consultant filled it in (asked for, modally). False when they
    cancelled: nothing is issued."""
    if profile.is_complete(profile.current(ws)):
        return True
    dialog = ProfileDialog(ws, parent, asked_for_agreement=True)
    dialog.exec()
    return profile.is_complete(profile.current(ws))

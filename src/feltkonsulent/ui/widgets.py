"""Small pieces every editing dialog shares: the refusal line, the Save button row, and Enter
that moves on through the fields."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from feltkonsulent.domain.errors import DomainError
from feltkonsulent.i18n import _
from feltkonsulent.ui.forms import RecordForm
from feltkonsulent.ui.messages import UNNAMED, describe, describe_all


class Refusal(QLabel):
    """Why a save was refused, in red above the form; hidden until then."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("refusal")
        self.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.setWordWrap(True)
        self.hide()

    def refuse(self, errors: Iterable[DomainError], otherwise: str = "",
               labels: Mapping[str, str] | None = None) -> None:
        """Why, in one line; with `labels` (field name -> the form's label) a reason that does
        not say its field (messages.UNNAMED) is given the field's label, since this line stands
        above the form, away from the field."""
        errors = list(errors)
        if labels:
            reasons = " ".join(dict.fromkeys(named(e, labels) for e in errors))
        else:
            reasons = describe_all(errors)
        self.setText(_("Not saved: {reasons}").format(reasons=reasons or otherwise))
        self.show()


def named(error: DomainError, labels: Mapping[str, str]) -> str:
    """The reason, with the field's label (from `labels`) when the reason does not say it."""
    label = labels.get(error.field or "")
    if label is None or error.code not in UNNAMED:
        return describe(error)
    return _("{field}: {reason}").format(field=label.rstrip(":"), reason=describe(error))


def save_buttons(
    dialog: QDialog, save: Callable[[], None],
    other: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Cancel,
) -> tuple[QDialogButtonBox, QPushButton]:
    """Save (also Ctrl+S) calls `save`; the other button rejects the dialog."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | other)
    save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
    save_button.setShortcut(QKeySequence.StandardKey.Save)
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    return buttons, save_button


class EnterMoves(QObject):
    """Enter in a one-line field of these forms goes on to the next field shown (as Tab, but
    past the buttons in between), and in the last one clicks Save. Enter in a note makes a new
    line, as ever."""

    def __init__(self, parent: QObject, forms: Sequence[RecordForm], save: QPushButton) -> None:
        super().__init__(parent)
        self.forms, self.save = list(forms), save
        for form in self.forms:
            for editor in form.editors.values():
                if isinstance(editor, QLineEdit | QComboBox | QCheckBox):
                    editor.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter) or (
                event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            return False
        editors = [e for form in self.forms for e in form.editors.values()]
        later = editors[editors.index(watched) + 1:] if watched in editors else []
        following = next((e for e in later if e.isVisible() and e.isEnabled()), None)
        if following is not None:
            following.setFocus(Qt.FocusReason.TabFocusReason)
        else:
            self.save.click()
        return True


class CheckLater(QTimer):
    """A pause after typing before a dialog checks its form again, that never fires once the
    dialog is hidden, closed or done: its database may be closed by then (a dialog that was never
    shown gets no hide event, so all three stop it)."""

    def __init__(self, dialog: QDialog, check: Callable[[], object], ms: int) -> None:
        super().__init__(dialog, singleShot=True, interval=ms)
        self.timeout.connect(check)
        dialog.finished.connect(lambda _result: self.stop())
        dialog.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Hide, QEvent.Type.Close):
            self.stop()
        return False


def button_row(*widgets: QWidget) -> QHBoxLayout:
    """Widgets side by side from the left, the rest of the row empty."""
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row

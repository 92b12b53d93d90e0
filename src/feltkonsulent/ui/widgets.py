"""Small pieces every editing dialog shares: the refusal line and the Save button row."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton

from feltkonsulent.domain.errors import DomainError
from feltkonsulent.i18n import _
from feltkonsulent.ui.messages import describe_all


class Refusal(QLabel):
    """Why a save was refused, in red above the form; hidden until then."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("refusal")
        self.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.setWordWrap(True)
        self.hide()

    def refuse(self, errors: Iterable[DomainError], otherwise: str = "") -> None:
        reasons = describe_all(errors) or otherwise
        self.setText(_("Not saved: {reasons}").format(reasons=reasons))
        self.show()


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

"""Asking for the database's password: once to open it, twice when it is created."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from feltkonsulent.i18n import _
from feltkonsulent.services.unlock import MIN_PASSPHRASE_LENGTH
from feltkonsulent.ui.messages import describe_code


class PassphraseDialog(QDialog):
    def __init__(self, new: bool, error: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.new = new
        self.setWindowTitle(_("Create a password") if new else _("Unlock Feltkonsulent"))
        intro = QLabel(
            _("Your data is kept encrypted on this computer. Choose a password of at least "
              "{n} characters. Without it the data cannot be opened.").format(n=MIN_PASSPHRASE_LENGTH)
            if new else _("Type the password of your Feltkonsulent database.")
        )
        intro.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setObjectName("again")
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(error)
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setVisible(bool(error))
        form = QFormLayout()
        form.addRow(_("Password"), self.password)
        if new:
            form.addRow(_("Again"), self.again)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        problem = self._problem()
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        self.accept()

    def _problem(self) -> str:
        if not self.new:
            return "" if self.password.text() else _("Type the password.")
        if len(self.password.text()) < MIN_PASSPHRASE_LENGTH:
            return describe_code("passphrase_too_short")
        if self.password.text() != self.again.text():
            return describe_code("passphrases_differ")
        return ""


def ask_passphrase(new: bool, error: str = "") -> str | None:
    dialog = PassphraseDialog(new, error)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    text: str = dialog.password.text()
    return text

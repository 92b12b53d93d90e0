"""Settings the consultant chooses: the language of the interface (and of the agreements)."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from feltkonsulent import i18n
from feltkonsulent.i18n import _

LANGUAGE_KEY = "language"
LANGUAGE_NAMES = {"da": "Dansk", "en": "English"}  # each in its own language, on purpose


def chosen_language(settings: QSettings | None = None) -> str:
    value = str((settings or QSettings()).value(LANGUAGE_KEY, i18n.DEFAULT_LANGUAGE))
    return value if value in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Settings"))
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code in i18n.LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(self.language.findData(chosen_language()))
        note = QLabel(_("A new language is used from the next start of Feltkonsulent."))
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Language"), self.language)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def accept(self) -> None:
        QSettings().setValue(LANGUAGE_KEY, self.language.currentData())
        super().accept()

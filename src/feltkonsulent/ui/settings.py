"""Settings the consultant chooses: the language of the interface (and of the agreements), and
how long the computer may stand unused before Feltkonsulent locks."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from feltkonsulent import i18n
from feltkonsulent.i18n import _, ngettext
from feltkonsulent.ui.lock import LOCK_CHOICES, LOCK_MINUTES_KEY, lock_minutes

LANGUAGE_KEY = "language"
LANGUAGE_NAMES = {"da": "Dansk", "en": "English"}  # each in its own language, on purpose


def chosen_language(settings: QSettings | None = None) -> str:
    value = str((settings or QSettings()).value(LANGUAGE_KEY, i18n.DEFAULT_LANGUAGE))
    return value if value in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None,
                 open_sync: Callable[[], object] | None = None,
                 open_profile: Callable[[], object] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Settings"))
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code in i18n.LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(self.language.findData(chosen_language()))
        self.lock_after = QComboBox()
        self.lock_after.setObjectName("lock_after")
        for minutes in LOCK_CHOICES:
            shown = (ngettext("After {n} minute", "After {n} minutes", minutes).format(n=minutes)
                     if minutes else _("Never"))
            self.lock_after.addItem(shown, minutes)
        self.lock_after.setCurrentIndex(self.lock_after.findData(lock_minutes()))
        note = QLabel(_("A new language is used from the next start of Feltkonsulent."))
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Language"), self.language)
        form.addRow(_("Lock when not used"), self.lock_after)
        if open_profile is not None:  # the team's and the consultant's, in the database
            profile_button = QPushButton(_("Municipality and consultant…"))
            profile_button.setObjectName("profile")
            profile_button.clicked.connect(lambda: open_profile())
            form.addRow(_("Agreements"), profile_button)
        if open_sync is not None:  # the server and token live in the database, not in QSettings
            sync_button = QPushButton(_("Sync server…"))
            sync_button.setObjectName("sync_server")
            # Through a lambda, as the profile's: `clicked` hands a slot that takes an argument
            # `checked=False`, and `open_sync` is called with none.
            sync_button.clicked.connect(lambda: open_sync())
            form.addRow(_("Sync"), sync_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def accept(self) -> None:
        settings = QSettings()
        settings.setValue(LANGUAGE_KEY, self.language.currentData())
        settings.setValue(LOCK_MINUTES_KEY, self.lock_after.currentData())
        super().accept()

"""Locking after idle time: the window hides every personal detail until the consultant is back.

What unlocking asks for depends on where the key lives (see docs/desktop.md): a database opened
with a passphrase asks for it again; one whose key is in the OS keyring is protected by the OS
account, so the lock only covers the screen and "Lås op" opens it (the OS screen lock is the
protection there). Open dialogs are hidden, not closed: nothing typed is lost by a lock."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from feltkonsulent.i18n import _

LOCK_MINUTES_KEY = "lock_after_minutes"
DEFAULT_LOCK_MINUTES = 10
LOCK_CHOICES = (0, 2, 5, 10, 15, 30, 60)  # 0: never
WRONG_PASSWORD_PAUSE_MS = 1500  # guessing at the lock screen is slow

_ACTIVITY = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin,
})


def lock_minutes(settings: QSettings | None = None) -> int:
    value = (settings or QSettings()).value(LOCK_MINUTES_KEY, DEFAULT_LOCK_MINUTES)
    try:
        minutes = int(str(value))
    except ValueError:
        return DEFAULT_LOCK_MINUTES
    return minutes if minutes in LOCK_CHOICES else DEFAULT_LOCK_MINUTES


class IdleWatch(QObject):
    """Emits `idle` when no key, click or mouse move has reached the application for the time
    chosen in the settings (0 minutes: never)."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.idle)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self.configure(lock_minutes())

    def configure(self, minutes: int) -> None:
        self._timer.stop()
        if minutes > 0:
            self._timer.setInterval(minutes * 60_000)
            self._timer.start()

    def set_interval_ms(self, ms: int) -> None:
        """For tests: a lock after milliseconds."""
        self._timer.setInterval(ms)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self._timer.interval() > 0 and self._timer.isActive():
            self._timer.start()  # restarts the countdown
        return False

    @property
    def counting(self) -> bool:
        """True while a lock is due after the idle time."""
        return self._timer.isActive()

    def pause(self) -> None:
        self._timer.stop()

    def resume(self) -> None:
        if self._timer.interval() > 0:
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class LockKey(QObject):
    """Ctrl+L from any window of the application, a dialog's too: a dialog has the focus and a
    window-modal one blocks the main window's shortcuts, so the key is caught on its way."""

    pressed = Signal()

    def __init__(self, sequence: QKeySequence, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sequence = sequence
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and QKeySequence(event.keyCombination()) == self.sequence):
            self.pressed.emit()
            return True
        return False

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


LOCK_PAGE_WIDTH = 460  # the column the lock's text wraps in


class LockPage(QWidget):
    """What the window shows while locked: why, and how to go on."""

    unlocked = Signal()

    def __init__(self, check_password: Callable[[str], bool] | None,
                 parent: QWidget | None = None) -> None:
        """`check_password`: None when the key is in the keyring (nothing to ask)."""
        super().__init__(parent)
        self._check = check_password
        self.title = QLabel(_("Feltkonsulent is locked"))
        self.title.setObjectName("lock_title")
        self.title.setStyleSheet("font-size: 18pt; font-weight: bold;")
        self.explanation = QLabel()
        self.explanation.setObjectName("lock_explanation")
        self.password = QLineEdit()
        self.password.setObjectName("lock_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self.try_unlock)
        self.error = QLabel()
        self.error.setObjectName("lock_error")
        self.error.setStyleSheet("color: #b3261e;")
        self.button = QPushButton(_("Unlock"))
        self.button.setObjectName("unlock")
        self.button.clicked.connect(self.try_unlock)
        self._pause = QTimer(self, singleShot=True, interval=WRONG_PASSWORD_PAUSE_MS)
        self._pause.timeout.connect(lambda: self._enable(True))
        # A column of its own width, centred: the texts wrap in it and are never cut off (a
        # word-wrapped label centred on its own is given its one-line width and clipped).
        self.column = QWidget()
        self.column.setFixedWidth(LOCK_PAGE_WIDTH)
        inner = QVBoxLayout(self.column)
        inner.setContentsMargins(0, 0, 0, 0)
        for label in (self.title, self.explanation, self.error):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            inner.addWidget(label)
        inner.addWidget(self.password)
        inner.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.column)
        row.addStretch(1)
        page = QVBoxLayout(self)
        page.addStretch(1)
        page.addLayout(row)
        page.addStretch(2)
        if check_password is None:
            self.password.hide()
        self.show_reason(by_user=False)

    def show_reason(self, *, by_user: bool) -> None:
        """Why the data is hidden (the user's own Ctrl+L, or the idle time) and how to go on."""
        keyring = self._check is None
        if by_user and keyring:
            text = _("You locked Feltkonsulent. Click Unlock to go on; nothing you had typed is "
                     "lost. The key is kept by your computer's login: when you leave the "
                     "computer, lock the computer itself too (Windows+L).")
        elif by_user:
            text = _("You locked Feltkonsulent. Type your password to go on; nothing you had "
                     "typed is lost.")
        elif keyring:
            text = _("Your data was hidden because the computer was not used for a while. The "
                     "key is kept by your computer's login; lock the computer itself "
                     "(Windows+L) when you leave it.")
        else:
            text = _("Your data was hidden because the computer was not used for a while. Type "
                     "your password to go on; nothing you had typed is lost.")
        self.explanation.setText(text)
        for label in (self.title, self.explanation):
            # The column's width is fixed, so the lines' height is known: asked for outright,
            # since a layout nested in another gives a wrapped label its one-line height.
            label.setMinimumHeight(label.heightForWidth(LOCK_PAGE_WIDTH))

    def reset(self) -> None:
        self.password.clear()
        self.error.clear()
        self._enable(True)
        (self.button if self._check is None else self.password).setFocus()

    def try_unlock(self) -> None:
        if not self.button.isEnabled():
            return
        if self._check is not None and not self._check(self.password.text()):
            self.password.clear()
            self.error.setText(_("Wrong password."))
            self._enable(False)
            self._pause.start()
            return
        self.password.clear()
        self.unlocked.emit()

    def _enable(self, on: bool) -> None:
        self.button.setEnabled(on)
        self.password.setEnabled(on)
        if on and self._check is not None:
            self.password.setFocus()

    def hideEvent(self, event: QHideEvent) -> None:
        self._pause.stop()
        super().hideEvent(event)

"""What every window of the app shares, set once on the QApplication: a mouse wheel that scrolls
the form instead of changing the drop-down or number under the pointer, and a focus that shows."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QWidget,
)

# Widgets whose value a wheel turn changes: drop-downs, spin boxes and date/time edits.
_VALUE_WIDGETS = (QComboBox, QAbstractSpinBox)

# Subtle, and the same width focused or not (the padding gives back what the border takes), so
# nothing moves when the focus does. palette(highlight) follows the desktop's colours.
STYLE_SHEET = """
QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox {
    border: 1px solid palette(mid); border-radius: 3px; padding: 2px;
    background: palette(base);
}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QAbstractSpinBox:focus {
    border: 2px solid palette(highlight); padding: 1px;
}
QComboBox:focus, QPushButton:focus, QToolButton:focus {
    outline: none; border: 2px solid palette(highlight); border-radius: 3px;
}
QCheckBox, QRadioButton { border: 2px solid transparent; border-radius: 3px; padding: 1px; }
QCheckBox:focus, QRadioButton:focus { border-color: palette(highlight); }
"""


class WheelGuard(QObject):
    """Application-wide: a wheel turn over a drop-down, spin box or date field changes it only
    when it has the keyboard focus; otherwise the wheel scrolls what the widget sits in (the
    form's scroll area), as a user expects. Such widgets get StrongFocus when they are first
    shown: Qt's WheelFocus would give them the focus on the very wheel turn that is refused."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(watched, _VALUE_WIDGETS):
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif kind == QEvent.Type.Wheel and isinstance(watched, _VALUE_WIDGETS):
            assert isinstance(event, QWheelEvent)
            if not watched.hasFocus():
                _scroll_instead(watched, event)
                return True
        return False


def _scroll_instead(widget: QWidget, event: QWheelEvent) -> None:
    """Hand the wheel to the nearest scroll area around the widget (none: the turn is dropped).
    Sent on explicitly: Qt does not pass a wheel event on to the parents when a filter takes it,
    nor ever for one sent by the program."""
    area = widget.parentWidget()
    while area is not None and not isinstance(area, QAbstractScrollArea):
        area = area.parentWidget()
    if area is None:
        event.accept()
        return
    viewport = area.viewport()
    at = viewport.mapFromGlobal(event.globalPosition())
    passed = QWheelEvent(at, event.globalPosition(), event.pixelDelta(), event.angleDelta(),
                         event.buttons(), event.modifiers(), event.phase(), event.inverted(),
                         event.source())
    QApplication.sendEvent(viewport, passed)
    event.accept()


def prepare(app: QApplication) -> None:
    """Once, where the QApplication is made (app.py; the UI tests' conftest does the same)."""
    if app.findChild(WheelGuard) is None:
        app.installEventFilter(WheelGuard(app))
    app.setStyleSheet(STYLE_SHEET)

"""A form for one record: fields from a description, validation as the user types with the
reason beside the field, and a record built only when every field is right."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from feltkonsulent.domain.entities import Record
from feltkonsulent.domain.errors import DomainError, ValidationError
from feltkonsulent.domain.limits import text_limit
from feltkonsulent.i18n import _
from feltkonsulent.ui.labels import choices
from feltkonsulent.ui.messages import describe
from feltkonsulent.ui.parsing import (
    ParseError,
    format_date_input,
    format_decimal_input,
    format_hours_plan_input,
    parse_date,
    parse_decimal,
    parse_hours_plan,
)


class Kind(Enum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    LINES = "lines"  # a list of texts, one per line
    HOURS_PLAN = "hours_plan"  # rising hours, "01.12.2026 5" a line
    DECIMAL = "decimal"
    DATE = "date"
    CHOICE = "choice"
    BOOL = "bool"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: Kind = Kind.TEXT
    enum: type[StrEnum] | None = None
    optional_choice: bool = False  # a choice that may be left empty
    placeholder: str = ""
    more: bool = False  # under "More fields": out of the Tab chain until opened


Builder = Callable[[dict[str, Any]], Record]
EDITOR_MIN_WIDTH = 260  # room for a field's message beside a long label (the pseudo-locale)


class RecordForm(QWidget):
    """`build` turns the form's values into a record (it adds id, team and links).

    A field's message shows once the user has left the field (or tried to save), never while
    the first value is still being typed; from then on it follows the typing. Fields marked
    `more` sit under a "More fields" button, closed for a new record and open when any of
    them has a value, so Tab passes only the fields most records need."""

    changed = Signal()

    def __init__(
        self, fields: Sequence[Field], build: Builder, original: Record | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.fields = tuple(fields)
        self._build = build
        self.original = original
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self._rows: dict[str, int] = {}
        self._applies = {f.name for f in self.fields}  # see show_only
        self._more_open = False
        self._left: set[str] = set()  # fields the user has left: their messages show
        self._revealed = False  # a save was tried: every message shows
        self._layout = QFormLayout(self)
        self.more_button = QPushButton(_("More fields"))
        self.more_button.setObjectName("more_fields")
        self.more_button.setCheckable(True)
        self.more_button.setAutoDefault(False)  # Enter on it opens it, and never saves
        for field in self.fields:
            if not field.more:
                self._add_row(field)
        if any(f.more for f in self.fields):
            # One layout for all rows: the optional ones line up with the others.
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(self.more_button)
            line.addStretch(1)
            self._layout.addRow(row)
            for field in self.fields:
                if field.more:
                    self._add_row(field)
        self.more_button.toggled.connect(self._open_more)
        self._open_more(False)
        if original is not None:
            self.load(original)
        self._loaded = self.values()
        self.changed.connect(self.check)

    def _add_row(self, field: Field) -> None:
        editor = self._editor(field)
        editor.setObjectName(field.name)
        if not isinstance(editor, QCheckBox):  # long labels (other languages) leave it room
            editor.setMinimumWidth(EDITOR_MIN_WIDTH)
        editor.installEventFilter(self)
        error = QLabel()
        error.setObjectName(f"error_{field.name}")
        error.setStyleSheet("color: #b3261e;")
        error.setWordWrap(True)
        error.hide()
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(editor)
        column.addWidget(error)
        label = QLabel(field.label)
        label.setBuddy(editor)
        self._rows[field.name] = self._layout.rowCount()
        self._layout.addRow(label, cell)
        self.editors[field.name] = editor
        self.errors[field.name] = error

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and isinstance(watched, QWidget):
            assert isinstance(event, QFocusEvent)
            # Not left: the window lost the focus, or the drop-down's list opened.
            if event.reason() not in (Qt.FocusReason.ActiveWindowFocusReason,
                                      Qt.FocusReason.PopupFocusReason):
                self._left.add(watched.objectName())
                self.check()
        return super().eventFilter(watched, event)

    def _open_more(self, open_: bool) -> None:
        self._more_open = open_
        self.more_button.setText(_("Fewer fields") if open_ else _("More fields"))
        if self.more_button.isChecked() != open_:
            self.more_button.setChecked(open_)
        self._show_rows()

    def _show_rows(self) -> None:
        for field in self.fields:
            shown = field.name in self._applies and (self._more_open or not field.more)
            self._layout.setRowVisible(self._rows[field.name], shown)
        if any(f.more for f in self.fields):
            self.more_button.setVisible(any(f.more and f.name in self._applies
                                            for f in self.fields))

    # -- editors --------------------------------------------------------------------------
    def _editor(self, field: Field) -> QWidget:
        if field.kind in (Kind.LONG_TEXT, Kind.LINES, Kind.HOURS_PLAN):
            text = QPlainTextEdit()
            text.setTabChangesFocus(True)
            text.setFixedHeight(70)
            text.textChanged.connect(self.changed)
            return text
        if field.kind is Kind.CHOICE:
            assert field.enum is not None
            combo = QComboBox()
            if field.optional_choice:
                combo.addItem("", None)
            for value, shown in choices(field.enum):
                combo.addItem(shown, str(value))
            combo.currentIndexChanged.connect(self.changed)
            return combo
        if field.kind is Kind.BOOL:
            box = QCheckBox()
            box.toggled.connect(self.changed)
            return box
        line = QLineEdit()
        if field.kind is Kind.TEXT:
            # The value boundary's limit (domain/limits.py): one cannot type past it. Qt counts
            # UTF-16 units, the boundary characters, so a text of emoji stops sooner, never later.
            # Multi-line texts have no such setting: their save refuses, naming the limit.
            line.setMaxLength(text_limit(field.name))
        line.setPlaceholderText(field.placeholder)
        line.textChanged.connect(self.changed)
        return line

    def show_only(self, names: set[str] | frozenset[str]) -> None:
        """Show the rows of these fields, hide the others (fields that do not apply)."""
        self._applies = set(names)
        self._show_rows()

    def open_more_if_filled(self) -> None:
        """Open "More fields" when one of them holds a value (a record loaded or copied)."""
        values = self.values()
        if any(f.more and values[f.name] not in (None, "", (), False) for f in self.fields):
            self._open_more(True)

    def load(self, record: Record) -> None:
        """The record's values; a field that holds one shows its message as soon as it is
        edited (its first value was typed long ago)."""
        for field in self.fields:
            value = getattr(record, field.name)
            self.set_value(field.name, value)
            if value not in (None, "", ()):
                self._left.add(field.name)
        self.open_more_if_filled()

    def set_value(self, name: str, value: Any) -> None:
        field = next(f for f in self.fields if f.name == name)
        if field.more and value not in (None, "", (), False):
            self._open_more(True)
        editor = self.editors[name]
        if isinstance(editor, QPlainTextEdit):
            if field.kind is Kind.HOURS_PLAN:
                text = format_hours_plan_input(value or ())
            else:
                text = "\n".join(value) if field.kind is Kind.LINES else (value or "")
            editor.setPlainText(text)
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(None if value is None else str(value))))
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QLineEdit):
            text = _shown(field, value)
            units = len(text.encode("utf-16-le")) // 2
            if field.kind is Kind.TEXT:  # a value stored before the limit is shown whole, not
                editor.setMaxLength(max(text_limit(field.name), units))  # cut: its save refuses
            editor.setText(text)

    # -- values ---------------------------------------------------------------------------
    def raw(self, name: str) -> str:
        editor = self.editors[name]
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText()
        if isinstance(editor, QLineEdit):
            return editor.text()
        return ""

    def values(self) -> dict[str, Any]:
        """The typed values; a field that cannot be read holds its ParseError."""
        values: dict[str, Any] = {}
        for field in self.fields:
            try:
                values[field.name] = self._value(field)
            except ParseError as error:
                values[field.name] = error
        return values

    def _value(self, field: Field) -> Any:
        editor = self.editors[field.name]
        if isinstance(editor, QComboBox):
            data = editor.currentData()
            return None if data is None else field.enum(data) if field.enum else data
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        text = self.raw(field.name)
        if field.kind is Kind.LINES:
            return tuple(line.strip() for line in text.splitlines() if line.strip())
        if field.kind is Kind.HOURS_PLAN:
            return parse_hours_plan(text)
        if field.kind is Kind.DECIMAL:
            return parse_decimal(text)
        if field.kind is Kind.DATE:
            return parse_date(text)
        return text.strip() or None

    @property
    def dirty(self) -> bool:
        return self.values() != self._loaded

    def mark_saved(self) -> None:
        self._loaded = self.values()

    # -- validation -----------------------------------------------------------------------
    def problems(self) -> tuple[Record | None, list[DomainError]]:
        values = self.values()
        unreadable = [DomainError(v.code, name) for name, v in values.items()
                      if isinstance(v, ParseError)]
        if unreadable:
            return None, unreadable
        try:
            record = self._build(values)
        except ValidationError as error:
            return None, list(error.errors)
        return record, record.problems()

    def check(self) -> list[DomainError]:
        """Show each problem beside its field, once the field has been left or a save tried;
        problems of fields not in the form go to the first field. Returns the problems."""
        _, found = self.problems()
        by_field: dict[str, list[str]] = {}
        for problem in found:
            name = problem.field if problem.field in self.errors else self.fields[0].name
            by_field.setdefault(name, []).append(describe(problem))
        grew = False
        for name, label in self.errors.items():
            texts = by_field.get(name) if self._revealed or name in self._left else None
            text = " ".join(texts) if texts else ""
            grew = grew or len(text) > len(label.text())
            label.setText(text)
            label.setVisible(bool(texts))
        if grew:  # after the layout has taken in the new lines
            QTimer.singleShot(0, self, self._make_room)
        if self._revealed and any(f.more and f.name in by_field for f in self.fields):
            self._open_more(True)  # a refused save shows every reason
        return found

    def _make_room(self) -> None:
        """Grow the window to the height its messages need: Qt sizes a window by its layout's
        minimum, which leaves out word-wrapped labels (their height depends on the width)."""
        window = self.window()
        layout = window.layout()
        if layout is None or not layout.hasHeightForWidth():
            return
        needed = layout.totalHeightForWidth(window.width())
        if needed > window.height():
            window.resize(window.width(), needed)

    def record(self, *, reveal: bool = True) -> Record:
        """The record, or ValidationError with every problem. A save (`reveal`) shows every
        message in the form; a check while the user types (reveal=False) shows none new."""
        record, found = self.problems()
        if reveal:
            self._revealed = True
            self.check()
        if found or record is None:
            raise ValidationError(found)
        return record


def _shown(field: Field, value: Any) -> str:
    if value is None:
        return ""
    if field.kind is Kind.DECIMAL and isinstance(value, Decimal):
        return format_decimal_input(value)
    if field.kind is Kind.DATE and isinstance(value, date):
        return format_date_input(value)
    return str(value)

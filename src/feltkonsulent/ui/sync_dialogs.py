"""The sync dialogs: signing in to the team's server (address and token), and the conflicts and
rejected changes a round reported, with "behold min" / "behold deres"."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from feltkonsulent import i18n
from feltkonsulent.domain.errors import DomainError, ValidationError
from feltkonsulent.i18n import _
from feltkonsulent.services import sync
from feltkonsulent.services.sync import ConflictView, Refused, RejectedChange, ServerCheck, SyncError
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui import records
from feltkonsulent.ui.messages import describe, describe_sync, rejection_reason
from feltkonsulent.ui.tasks import BackgroundTasks
from feltkonsulent.ui.widgets import button_row, named

ERROR_STYLE = "color: #b00020;"


class SignInDialog(QDialog):
    """The server's address and the device's token (pasted once; never shown again). "Log ind"
    asks the server first (off the GUI thread) and keeps nothing it refuses."""

    signed = Signal(bool)  # True: signed in; False: signed out
    show_conflicts = Signal()

    def __init__(self, ws: Workspace, tasks: BackgroundTasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.setWindowTitle(_("Sync"))
        self.setMinimumWidth(480)
        current = sync.server_url(ws)
        self.url = QLineEdit(current or "")
        self.url.setObjectName("server_url")
        self.url.setPlaceholderText("https://sync.kommune.dk")
        self.token = QLineEdit()
        self.token.setObjectName("token")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.answer = QLabel(_("Signed in to {url}.").format(url=current) if current else
                             _("Not signed in: this computer does not sync."))
        self.answer.setObjectName("answer")
        self.answer.setWordWrap(True)
        self.sign_in_button = QPushButton(_("Sign in"))
        self.sign_in_button.setObjectName("sign_in")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self.sign_in)
        self.sign_out_button = QPushButton(_("Sign out"))
        self.sign_out_button.setObjectName("sign_out")
        self.sign_out_button.clicked.connect(self.sign_out)
        conflicts = QPushButton(_("Conflicts and rejected changes…"))
        conflicts.clicked.connect(self.show_conflicts)
        self._show_signed_in(current is not None)
        form = QFormLayout()
        form.addRow(_("Server address"), self.url)
        form.addRow(_("Token"), self.token)
        row = QHBoxLayout()
        for button in (self.sign_in_button, self.sign_out_button, conflicts):
            row.addWidget(button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.answer)
        layout.addLayout(row)
        layout.addWidget(close)

    def _show_signed_in(self, signed_in: bool) -> None:
        self.sign_out_button.setEnabled(signed_in)
        self.token.setPlaceholderText(
            _("A token is kept; paste a new one to replace it") if signed_in
            else _("Paste the token from the administrator"))

    def _say(self, text: str, error: bool = False) -> None:
        self.answer.setText(text)
        self.answer.setStyleSheet(ERROR_STYLE if error else "")

    def sign_in(self) -> None:
        url, token = self.url.text().strip(), self.token.text().strip()
        if not url or not token:
            self._say(_("Give the server's address and the token."), error=True)
            return
        self.sign_in_button.setEnabled(False)
        self._say(_("Asking the server…"))

        def job(ws: Workspace) -> tuple[ServerCheck, bool] | SyncError:
            try:
                check = sync.check_server(ws, url, token)
            except SyncError as error:
                return error  # nothing kept: a refused token is not stored
            return check, sync.sign_in(ws, url, token)

        self.tasks.submit(job, self._signed_in, self._failed)

    def _signed_in(self, result: tuple[ServerCheck, bool] | SyncError) -> None:
        self.sign_in_button.setEnabled(True)
        if isinstance(result, SyncError):
            self._say(describe_sync(result.code), error=True)
            return
        check, in_keyring = result
        self.token.clear()
        where = (_("The token is kept in the system's keyring.") if in_keyring else
                 _("The token is kept in the encrypted database (this computer has no keyring)."))
        text = _("The server answered and took the token: connected.") + " " + where
        if check.clock_ahead:
            text = describe_sync("clock_ahead", check.ahead_ms)
        self._say(text, error=check.clock_ahead)
        self._show_signed_in(True)
        self.signed.emit(True)

    def _failed(self, error: Exception) -> None:
        self.sign_in_button.setEnabled(True)
        self._say(describe_sync("internal"), error=True)

    def sign_out(self) -> None:
        self.sign_out_button.setEnabled(False)
        self.tasks.submit(sync.sign_out, self._signed_out, self._failed)

    def _signed_out(self, _none: object) -> None:
        self.url.clear()
        self._show_signed_in(False)
        self._say(_("Signed out: the server's address and the token are removed from this "
                    "computer. Changes not yet synced stay here."))
        self.signed.emit(False)


class ConflictsDialog(QDialog):
    """Conflicts: a change of ours raced another device's change of the same field. "Behold min"
    writes our value again as a new edit (it wins everywhere after the next sync); "Behold deres"
    keeps theirs — writing it again when ours had won. Either way the conflict leaves the list."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle(_("Conflicts and rejected changes"))
        self.resize(860, 520)
        self.conflict_table = _table("conflicts", [_("Record"), _("Field"), _("Your value"),
                                              _("Their value"), _("Changed by"), _("Whose value is now"),
                                              _("Seen")])
        self.conflict_table.itemSelectionChanged.connect(self._selected)
        self.keep_mine_button = QPushButton(_("Keep mine"))
        self.keep_mine_button.setObjectName("keep_mine")
        self.keep_mine_button.setToolTip(_(
            "Your value becomes the record's value again, as a new change of yours; the next "
            "sync sends it, and it wins on every computer."))
        self.keep_mine_button.clicked.connect(self.keep_mine)
        self.keep_theirs_button = QPushButton(_("Keep theirs"))
        self.keep_theirs_button.setObjectName("keep_theirs")
        self.keep_theirs_button.setToolTip(_(
            "The other value stays, or becomes the record's value again if yours had won; the "
            "next sync then sends it."))
        self.keep_theirs_button.clicked.connect(self.keep_theirs)
        explain = QLabel(_(
            "You and someone else changed the same field before either had synced. The value "
            "with the latest change won on every computer. Keep mine: your value is written "
            "again and sent at the next sync. Keep theirs: the other value stays, or is written "
            "again if yours had won. Either way the conflict leaves the list."))
        explain.setWordWrap(True)
        self.refused_panel = RefusedPanel(ws, self)
        self.rejected_table = self.refused_panel.rejected_table
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_mine_button)
        buttons.addWidget(self.keep_theirs_button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Conflicts")))
        layout.addWidget(explain)
        layout.addWidget(self.conflict_table, 2)
        layout.addLayout(buttons)
        layout.addWidget(self.refused_panel, 2)
        layout.addWidget(close)
        self.views: list[ConflictView] = []
        self.reload()

    def reload(self) -> None:
        self.views = sync.conflict_views(self.ws)
        now = self.ws.now()
        self.conflict_table.setRowCount(0)
        for view in self.views:
            c = view.conflict
            whose = (_("Yours") if view.settled_by_now else _("Theirs")
                     if view.exists else _("The record is not on this computer"))
            theirs = "" if view.theirs is None and view.settled_by_now else show_value(view.theirs)
            _add_row(self.conflict_table, [view.title or entity_name(c.entity), field_name(c.entity, c.field),
                                      show_value(view.mine), theirs,
                                      view.their_user or _("another computer"), whose,
                                      moment_text(c.seen_at, now)])
        self.refused_panel.reload()
        if self.views:
            self.conflict_table.selectRow(0)
        self._selected()

    def _chosen(self) -> ConflictView | None:
        row = self.conflict_table.currentRow()
        return self.views[row] if 0 <= row < len(self.views) else None

    def _selected(self) -> None:
        view = self._chosen()
        self.keep_mine_button.setEnabled(view is not None and view.exists)
        self.keep_theirs_button.setEnabled(view is not None and view.can_keep_theirs)

    def keep_mine(self) -> None:
        view = self._chosen()
        if view is None:
            return
        try:
            sync.keep_mine(self.ws, view.conflict.op_id)
        except ValidationError as error:
            QMessageBox.warning(self, _("Keep mine"), "\n".join(describe(e) for e in error.errors))
            return
        self.reload()

    def keep_theirs(self) -> None:
        view = self._chosen()
        if view is not None:
            sync.keep_theirs(self.ws, view.conflict.op_id)
            self.reload()


class RefusedPanel(QWidget):
    """What did not go where it belongs: changes of ours the server refused (the record shows the
    server's value again; "Anvend igen" writes ours again as a new edit, through the form's
    checks) and values from the server this computer cannot hold. Either can be copied, or let
    go ("Fjern fra listen"); the record stays as it is."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.rejected: list[RejectedChange] = []
        self.refused: list[Refused] = []
        self.rejected_table = _table("rejected", [_("Record"), _("Field"), _("Your value"),
                                                  _("Reason"), _("Refused")])
        self.refused_table = _table("refused", [_("Record"), _("Field"), _("Value"), _("Reason"),
                                                _("Seen")])
        self.apply_again_button = self._button("apply_again", _("Apply again"), self.apply_again, _(
            "Your value is written into the record again as a new change (the form's checks "
            "apply) and sent at the next sync."))
        self.copy_rejected_button = self._button("copy_rejected", _("Copy value"), self.copy_rejected)
        self.let_go_rejected_button = self._button("let_go_rejected", _("Remove from list"),
                                                   self.let_go_rejected)
        self.copy_refused_button = self._button("copy_refused", _("Copy value"), self.copy_refused)
        self.let_go_refused_button = self._button("let_go_refused", _("Remove from list"),
                                                  self.let_go_refused)
        self.rejected_table.itemSelectionChanged.connect(self._selected)
        self.refused_table.itemSelectionChanged.connect(self._selected)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(_("Changes the server refused — the record shows the server's value")))
        layout.addWidget(self.rejected_table, 1)
        layout.addLayout(button_row(self.apply_again_button, self.copy_rejected_button,
                                    self.let_go_rejected_button))
        self.refused_label = QLabel(_(
            "Values from the server that this computer cannot hold (outside the limits): not "
            "written; the record keeps what it had"))
        self.refused_label.setWordWrap(True)
        layout.addWidget(self.refused_label)
        layout.addWidget(self.refused_table, 1)
        layout.addLayout(button_row(self.copy_refused_button, self.let_go_refused_button))

    def _button(self, name: str, text: str, slot: Any, tip: str = "") -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    def reload(self) -> None:
        now = self.ws.now()
        self.rejected = sync.rejected_changes(self.ws)
        self.rejected_table.setRowCount(0)
        for r in self.rejected:
            _add_row(self.rejected_table, [entity_name(r.entity), field_name(r.entity, r.field),
                                           short_value(r.value), rejection_reason(r.reason),
                                           moment_text(r.rejected_at, now)])
        self.refused = sync.refused_values(self.ws)
        self.refused_table.setRowCount(0)
        for v in self.refused:
            why = describe(DomainError(v.code, v.field, v.params))
            _add_row(self.refused_table, [entity_name(v.entity), field_name(v.entity, v.field),
                                          short_value(v.value), why, moment_text(v.seen_at, now)])
        visible = bool(self.refused)  # rare: only a server from before the limits has such values
        for widget in (self.refused_label, self.refused_table, self.copy_refused_button,
                       self.let_go_refused_button):
            widget.setVisible(visible)
        self._selected()

    def _chosen_rejected(self) -> RejectedChange | None:
        return _chosen(self.rejected_table, self.rejected)

    def _chosen_refused(self) -> Refused | None:
        return _chosen(self.refused_table, self.refused)

    def _selected(self) -> None:
        rejected, refused = self._chosen_rejected(), self._chosen_refused()
        self.apply_again_button.setEnabled(rejected is not None and rejected.field != "*")
        self.copy_rejected_button.setEnabled(rejected is not None)
        self.let_go_rejected_button.setEnabled(rejected is not None)
        self.copy_refused_button.setEnabled(refused is not None)
        self.let_go_refused_button.setEnabled(refused is not None)

    def apply_again(self) -> None:
        change = self._chosen_rejected()
        if change is None:
            return
        try:
            written = sync.apply_again(self.ws, change.op_id)
        except ValidationError as error:
            labels = {e.field: field_name(change.entity, e.field) for e in error.errors if e.field}
            QMessageBox.warning(self, _("Apply again"), "\n".join(named(e, labels) for e in error.errors))
            return
        if not written:
            QMessageBox.information(self, _("Apply again"), _(
                "The record is not on this computer, so the value cannot be written into it. "
                "Copy the value instead."))
            return
        self.reload()

    def copy_rejected(self) -> None:
        change = self._chosen_rejected()
        if change is not None:
            QGuiApplication.clipboard().setText(show_value(change.value))

    def copy_refused(self) -> None:
        value = self._chosen_refused()
        if value is not None:
            QGuiApplication.clipboard().setText(show_value(value.value))

    def let_go_rejected(self) -> None:
        change = self._chosen_rejected()
        if change is not None:
            sync.let_go_rejected(self.ws, change.op_id)
            self.reload()

    def let_go_refused(self) -> None:
        value = self._chosen_refused()
        if value is not None:
            sync.let_go_refused(self.ws, value)
            self.reload()


T = TypeVar("T")


def _chosen(table: QTableWidget, items: list[T]) -> T | None:
    """The item of the table's selected row, or None when no row is selected."""
    row = table.currentRow()
    return items[row] if table.selectedItems() and 0 <= row < len(items) else None


SHORT_VALUE_CHARS = 200


def short_value(value: Any) -> str:
    """`show_value` cut to one line of SHORT_VALUE_CHARS for a table cell (a refused value can be
    megabytes); "Kopiér værdien" copies all of it."""
    text = " ".join(show_value(value).split())
    return text if len(text) <= SHORT_VALUE_CHARS else text[: SHORT_VALUE_CHARS - 1] + "…"


def _table(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().hide()
    return table


def _add_row(table: QTableWidget, texts: list[str]) -> None:
    row = table.rowCount()
    table.insertRow(row)
    for column, text in enumerate(texts):
        item = QTableWidgetItem(text)
        item.setToolTip(text)  # a narrow column cuts a reason: all of it on hovering
        table.setItem(row, column, item)


def moment_text(at: str, now: datetime) -> str:
    """An ISO 8601 moment in local time: "14.32" on the day of `now`, else with the date."""
    moment = datetime.fromisoformat(at).astimezone()
    if moment.date() == now.astimezone().date():
        return i18n.format_time(moment)
    return i18n.format_datetime(moment)  # the app's one short date (22.11.2026) in every language


def show_value(value: Any) -> str:
    """A value as on the wire, for people: lists joined, yes/no, "(tom)" for nothing."""
    if value is None or value == "" or value == []:
        return _("(empty)")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def entity_name(entity: str) -> str:
    return {
        "companies": _("Company"), "contacts": _("Contact person"), "citizens": _("Citizen"),
        "placements": _("Placement"), "support_arrangements": _("Buddy or mentor"),
        "language_partners": _("Language partner"), "aftercare_visits": _("Visit note"),
        "rule_overrides": _("Reason for a rule finding"), "agreements": _("Agreement"),
    }.get(entity, entity)


def field_name(entity: str, field: str) -> str:
    """The form's label of the field (records.py), else its code name."""
    if field == "deleted":
        return _("Deleted")
    forms = {
        "companies": records.company_fields, "citizens": records.citizen_fields,
        "contacts": records.contact_fields, "support_arrangements": records.support_fields,
        "language_partners": records.partner_fields,
    }
    fields = (forms[entity]() if entity in forms else
              [*records.placement_fields(), *records.placement_edit_fields()]
              if entity == "placements" else [])
    return next((f.label for f in fields if f.name == field), field)

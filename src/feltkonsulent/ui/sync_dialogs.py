"""The sync dialogs: signing in to the team's server (address and token), and the conflicts and
rejected changes a round reported, with "behold min" / "behold deres"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Signal
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
from feltkonsulent.domain.errors import ValidationError
from feltkonsulent.i18n import _
from feltkonsulent.services import sync
from feltkonsulent.services.sync import ConflictView, ServerCheck, SyncError
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui import records
from feltkonsulent.ui.messages import describe, describe_sync, rejection_reason
from feltkonsulent.ui.tasks import BackgroundTasks

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
        self.rejected_table = _table("rejected", [_("Record"), _("Field"), _("Your value"),
                                            _("Reason"), _("Refused")])
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
        layout.addWidget(QLabel(_("Changes the server refused")))
        layout.addWidget(self.rejected_table, 1)
        layout.addWidget(close)
        self.views: list[ConflictView] = []
        self.reload()

    def reload(self) -> None:
        self.views = sync.conflict_views(self.ws)
        now = self.ws.store.clock()
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
        self.rejected_table.setRowCount(0)
        for r in sync.rejected_changes(self.ws):
            _add_row(self.rejected_table, [entity_name(r.entity), field_name(r.entity, r.field),
                                     show_value(r.value), rejection_reason(r.reason),
                                     moment_text(r.rejected_at, now)])
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
        table.setItem(row, column, QTableWidgetItem(text))


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

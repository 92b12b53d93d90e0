"""Sync now: one round against the team's server, the token it needs, and what the app shows
about sync (pending changes, the last round, rejected changes, conflicts); for the desktop also
signing in and out (where the URL and the token are kept) and settling a conflict."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import keyring
from keyring.errors import KeyringError

from feltkonsulent.domain.entities import ENTITY_TYPES
from feltkonsulent.domain.errors import DomainError, ValidationError
from feltkonsulent.domain.wire import WireTypeError
from feltkonsulent.services.operations import operation
from feltkonsulent.services.unlock import keyring_available
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage import inbox, sync_settings, sync_state
from feltkonsulent.storage.changes import log_changes, pending_count
from feltkonsulent.storage.codec import SPECS, from_wire
from feltkonsulent.storage.inbox import Refused
from feltkonsulent.storage.sync_state import Conflict, RejectedChange
from feltkonsulent.sync.client import (
    Retry,
    RoundSummary,
    SyncClient,
    SyncError,
    certificate_error,
    sync_round,
    tls_context,
)
from feltkonsulent.sync.protocol import MAX_AHEAD_MS, Health, ProtocolError, parse_time

__all__ = [
    "KEYRING_SERVICE",
    "TOKEN_ENV",
    "Conflict",
    "ConflictView",
    "Credentials",
    "Refused",
    "RejectedChange",
    "RoundSummary",
    "ServerCheck",
    "SyncError",
    "SyncStatus",
    "apply_again",
    "check_server",
    "conflict_views",
    "conflicts",
    "credentials",
    "keep_mine",
    "keep_theirs",
    "let_go_refused",
    "let_go_rejected",
    "read_token",
    "refused_values",
    "rejected_changes",
    "server_url",
    "sign_in",
    "sign_out",
    "status",
    "sync_now",
]

TOKEN_ENV = "FELTKONSULENT_TOKEN"
KEYRING_SERVICE = "feltkonsulent-sync"  # account: the database file's full path
HEALTH_TIMEOUT_S = 5.0

log = logging.getLogger(__name__)


def read_token(token_file: Path | None, environ: Mapping[str, str] | None = None) -> str:
    """The device's token: from `token_file` (its first line), else from $FELTKONSULENT_TOKEN;
    raises SyncError("no_token") when neither has one."""
    if token_file is not None:
        try:
            lines = token_file.read_text(encoding="utf-8").strip().splitlines()
        except OSError as error:
            raise SyncError("no_token", f"cannot read {token_file}: {error.strerror}") from None
        if not lines or not lines[0].strip():
            raise SyncError("no_token", f"{token_file} is empty")
        return lines[0].strip()
    token = (os.environ if environ is None else environ).get(TOKEN_ENV, "").strip()
    if not token:
        raise SyncError("no_token", f"give --token-file or set {TOKEN_ENV}")
    return token


def sync_now(ws: Workspace, server_url: str, token: str, **options: Any) -> RoundSummary:
    """One round: push every pending change, then pull every new one (docs/sync.md). On a
    SyncError nothing pending is lost; what was done before it stays done."""
    return sync_round(ws.store, server_url, token, **options)


@dataclass(frozen=True)
class SyncStatus:
    pending: int  # local changes not yet acknowledged by the server
    last_sync_at: str | None  # ISO 8601 UTC, the end of the last complete round
    rejected: int
    conflicts: int
    refused: int = 0  # values pulled from the server that this laptop cannot hold
    waiting: int = 0  # records pulled from the server that wait for what they need


def status(ws: Workspace) -> SyncStatus:
    store = ws.store
    return SyncStatus(
        pending_count(store), store.state().get(sync_state.LAST_SYNC),
        len(sync_state.rejected_changes(store)), len(sync_state.conflicts(store)),
        len(inbox.refused_values(store)), inbox.staged_records(store),
    )


def refused_values(ws: Workspace) -> list[Refused]:
    """Values pulled from the server that this laptop cannot hold (docs/sync.md)."""
    return inbox.refused_values(ws.store)


def rejected_changes(ws: Workspace) -> list[RejectedChange]:
    return sync_state.rejected_changes(ws.store)


def conflicts(ws: Workspace) -> list[Conflict]:
    return sync_state.conflicts(ws.store)


# -- signing in (the desktop) --------------------------------------------------------------------
@dataclass(frozen=True)
class Credentials:
    url: str
    token: str


def _account(ws: Workspace) -> str:
    return str(ws.store.path.resolve())


def server_url(ws: Workspace) -> str | None:
    """The server this database syncs with (None: not signed in). Reads no keyring."""
    return ws.store.state().get(sync_settings.SERVER_URL) or None


@operation
def sign_in(ws: Workspace, url: str, token: str) -> bool:
    """Keep the server's address (in the database: one server per database) and the device's
    token: in the OS keyring (service KEYRING_SERVICE, account = the database's path) where there
    is one, else in the encrypted database. Never in the settings file, never in a log. Returns
    True when the token went into the keyring."""
    url, token = url.strip().rstrip("/"), token.strip()
    in_keyring = keyring_available()
    if in_keyring:
        try:
            keyring.set_password(KEYRING_SERVICE, _account(ws), token)
        except KeyringError as error:
            log.info("sync token not kept in the keyring: %s", type(error).__name__)
            in_keyring = False
    if in_keyring:
        sync_settings.remove(ws.store, sync_settings.TOKEN)
    else:
        sync_settings.put(ws.store, sync_settings.TOKEN, token)
    sync_settings.put(ws.store, sync_settings.SERVER_URL, url)
    return in_keyring


@operation
def sign_out(ws: Workspace) -> None:
    """Forget the server and the token (keyring and database). Pending changes stay."""
    sync_settings.remove(ws.store, sync_settings.SERVER_URL, sync_settings.TOKEN)
    if keyring_available():
        with contextlib.suppress(KeyringError):  # PasswordDeleteError: nothing was there
            keyring.delete_password(KEYRING_SERVICE, _account(ws))


def credentials(ws: Workspace) -> Credentials | None:
    """The server and token to sync with, None when not signed in (or the token is gone). May
    ask the OS keyring: call it off the GUI thread."""
    url = server_url(ws)
    if url is None:
        return None
    token = ws.store.state().get(sync_settings.TOKEN)
    if not token and keyring_available():
        try:
            token = keyring.get_password(KEYRING_SERVICE, _account(ws))
        except KeyringError as error:
            log.info("sync token not read from the keyring: %s", type(error).__name__)
    return Credentials(url, token) if token else None


@dataclass(frozen=True)
class ServerCheck:
    """A server's answer to /v1/health: it is up; `ahead_ms`: how far this computer's clock is
    ahead of the server's (negative: behind)."""

    protocol_version: int
    ahead_ms: int

    @property
    def clock_ahead(self) -> bool:
        return self.ahead_ms > MAX_AHEAD_MS


def check_server(ws: Workspace, url: str, token: str | None = None,
                 transport: httpx.BaseTransport | None = None) -> ServerCheck:
    """Ask /v1/health (no token needed) and, given a token, whether the server takes it (one
    pull of at most one change after this database's cursor; nothing is applied). Raises
    SyncError: `unreachable`, `not_a_server`, `unauthorized`, `forbidden_device`, ..."""
    try:
        with httpx.Client(timeout=HEALTH_TIMEOUT_S, transport=transport, verify=tls_context()) as http:
            response = http.get(url.strip().rstrip("/") + "/v1/health")
    except (httpx.InvalidURL, httpx.UnsupportedProtocol):
        raise SyncError("bad_url", url) from None
    except httpx.TransportError as error:
        if (untrusted := certificate_error(error)) is not None:
            raise SyncError("untrusted_certificate", untrusted) from None
        raise SyncError("unreachable", type(error).__name__) from None
    try:
        health = Health.from_json(response.json())
        ahead_ms = round(ws.store.clock().timestamp() * 1000) - parse_time(health.server_time)
    except (ValueError, ProtocolError):
        raise SyncError("not_a_server", f"HTTP {response.status_code}") from None
    if token is not None:
        one_try = Retry(attempts=1)
        with SyncClient(url, token, timeout=HEALTH_TIMEOUT_S, retry=one_try,
                        transport=transport) as client:
            client.pull(sync_state.cursor(ws.store), 1)
    return ServerCheck(health.protocol_version, ahead_ms)


# -- conflicts --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ConflictView:
    """One conflict as the consultant sees it: the record, the field, this device's value and
    the value the record has now (the other device's when ours lost). Values as on the wire."""

    conflict: Conflict
    title: str  # the record's name, or "" when it has none
    now: Any
    exists: bool  # False: the record is not in this database (deleted or not pulled yet)

    @property
    def mine(self) -> Any:
        return self.conflict.value

    @property
    def settled_by_now(self) -> bool:
        """The record already holds our value (ours won)."""
        return self.exists and self.now == self.mine

    @property
    def theirs(self) -> Any:
        """The other device's value: as the server reported it, else the value now when ours
        lost (a server that did not report it); None when unknown."""
        other = self.conflict.other
        if other is not None:
            return other.value
        return None if self.settled_by_now else self.now

    @property
    def their_user(self) -> str | None:
        """Who set the other value, when the server said."""
        return None if self.conflict.other is None else self.conflict.other.user_id

    @property
    def can_keep_theirs(self) -> bool:
        """Theirs is the value now, or theirs lost and is known, so it can be written again."""
        return not self.settled_by_now or (self.exists and self.conflict.other is not None)


def conflict_views(ws: Workspace) -> list[ConflictView]:
    views = []
    for conflict in sync_state.conflicts(ws.store):
        record = _record(ws, conflict.entity, conflict.row_id)
        if record is None or conflict.field not in SPECS[conflict.entity].by_name:
            views.append(ConflictView(conflict, "", None, False))
            continue
        spec = SPECS[conflict.entity]
        title = next((str(getattr(record, n)) for n in ("name", "person_name", "partner_name")
                      if getattr(record, n, None)), "")
        views.append(ConflictView(conflict, title, spec.wire_value(conflict.field, record), True))
    return views


def _record(ws: Workspace, entity: str, row_id: str) -> Any:
    cls = ENTITY_TYPES.get(entity)
    return None if cls is None else ws.repo(cls).get(row_id, include_deleted=True)


@operation
def keep_mine(ws: Workspace, op_id: str) -> bool:
    """"Behold min": this device's value becomes the record's value again, written as a new local
    edit (a fresh clock stamp, so it wins everywhere once synced), and the conflict leaves the
    list, in one transaction. Returns True when something was written (False: the record held
    our value already). A value the rules refuse raises ValidationError; nothing changes."""
    view = _view(ws, op_id)
    return _settle(ws, view, view.mine if view.exists and view.now != view.mine else _NOTHING)


@operation
def keep_theirs(ws: Workspace, op_id: str) -> bool:
    """"Behold deres": the other device's value stays, or — when ours won and the server told us
    theirs — is written again as a new local edit, so it wins everywhere once synced. The
    conflict leaves the list. Returns True when something was written."""
    view = _view(ws, op_id)
    write = view.settled_by_now and view.conflict.other is not None
    return _settle(ws, view, view.theirs if write else _NOTHING)


_NOTHING = object()


@operation
def apply_again(ws: Workspace, op_id: str) -> bool:
    """"Anvend igen": a rejected change's value is written into its record again as a new local
    edit (through the record's checks: a value still outside the limits raises ValidationError
    and nothing changes), and the change leaves the list, in one transaction. False when there
    is nothing to write it into (the record is not here, or the change was a whole visit note)."""
    change = next((r for r in sync_state.rejected_changes(ws.store) if r.op_id == op_id), None)
    if change is None:
        return False
    record = _record(ws, change.entity, change.row_id)
    writable = change.field == "deleted" or change.field in SPECS[change.entity].by_name
    if record is None or not writable:
        return False
    with ws.store.write():
        if change.field == "deleted":
            (ws.delete if change.value else ws.restore)(type(record), change.row_id)
        else:
            typed = _typed(change.entity, change.field, change.value)
            again = dataclasses.replace(record, **{change.field: typed})
            if again == record:
                # The record still shows the value (the server's was not fetched yet): a save
                # would write nothing, so the change is queued as it is, after the same checks.
                again.validate()
                log_changes(ws.store, change.entity, change.row_id, record.team_id,
                            {change.field: change.value}, ws.store.hlc.now().pack())
            else:
                ws.save(again)
        sync_settings.drop_rejected(ws.store, op_id)
    return True


def _typed(entity: str, field: str, value: Any) -> Any:
    """A wire value as the record holds it; one that is not even of the field's kind is refused
    as the form would refuse it."""
    try:
        return from_wire(SPECS[entity].by_name[field], value)
    except WireTypeError as error:
        raise ValidationError([DomainError("bad_value", field, {"kind": error.expected})]) from None


@operation
def let_go_rejected(ws: Workspace, op_id: str) -> None:
    """"Fjern fra listen": the rejected change leaves the list; the record stays as it is."""
    with ws.store.write():
        sync_settings.drop_rejected(ws.store, op_id)


@operation
def let_go_refused(ws: Workspace, refused: Refused) -> None:
    """A value refused from the server leaves the list; the record stays as it is."""
    with ws.store.write():
        inbox.forget_refused(ws.store, refused)


def _settle(ws: Workspace, view: ConflictView, value: Any) -> bool:
    """Write `value` (a wire value) into the conflict's field as a local edit, unless it is
    `_NOTHING`, and take the conflict off the list, in one transaction."""
    with ws.store.write():
        if value is not _NOTHING:
            cls = ENTITY_TYPES[view.conflict.entity]
            field = view.conflict.field
            if field == "deleted":
                (ws.delete if value else ws.restore)(cls, view.conflict.row_id)
            else:
                record = _record(ws, view.conflict.entity, view.conflict.row_id)
                typed = from_wire(SPECS[view.conflict.entity].by_name[field], value)
                ws.save(dataclasses.replace(record, **{field: typed}))
        sync_settings.settle_conflict(ws.store, view.conflict.op_id)
    return value is not _NOTHING


def _view(ws: Workspace, op_id: str) -> ConflictView:
    for view in conflict_views(ws):
        if view.conflict.op_id == op_id:
            return view
    raise KeyError(op_id)

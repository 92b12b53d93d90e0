"""Sync now: one round against the team's server, the token it needs, and what the app shows
about sync (pending changes, the last round, rejected changes, conflicts)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage import sync_state
from feltkonsulent.storage.changes import pending_count
from feltkonsulent.storage.sync_state import Conflict, RejectedChange
from feltkonsulent.sync.client import RoundSummary, SyncError, sync_round

__all__ = [
    "TOKEN_ENV",
    "Conflict",
    "RejectedChange",
    "RoundSummary",
    "SyncError",
    "SyncStatus",
    "conflicts",
    "read_token",
    "rejected_changes",
    "status",
    "sync_now",
]

TOKEN_ENV = "FELTKONSULENT_TOKEN"


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


def status(ws: Workspace) -> SyncStatus:
    store = ws.store
    return SyncStatus(
        pending_count(store), store.state().get(sync_state.LAST_SYNC),
        len(sync_state.rejected_changes(store)), len(sync_state.conflicts(store)),
    )


def rejected_changes(ws: Workspace) -> list[RejectedChange]:
    return sync_state.rejected_changes(ws.store)


def conflicts(ws: Workspace) -> list[Conflict]:
    return sync_state.conflicts(ws.store)

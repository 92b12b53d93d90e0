"""What the sync client's tests share: a database's records as exported, an outbox played to
another database as if a server had accepted every op in order, and a round against the test
server."""

from __future__ import annotations

import io
import json
from typing import Any

from feltkonsulent.domain.entities import Company
from feltkonsulent.services import transfer
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage.changes import log_changes, pending_changes
from feltkonsulent.sync.client import Retry, RoundSummary, sync_round
from feltkonsulent.sync.protocol import PulledChange
from tests import factories
from tests.sync.conftest import SyncServer

TEAM = "team-1"
NO_WAIT = Retry(attempts=3, first_delay=0, sleep=lambda _: None)


def sync_as(ws: Workspace, server: SyncServer, user: str, **options: Any) -> RoundSummary:
    """One round of `ws` as a device of `user` in TEAM (its token made as needed), no waiting
    unless `retry=` says otherwise; other `options` go to `sync_round`."""
    token = server.token_for(TEAM, user, device=str(ws.store.device_id))
    options.setdefault("retry", NO_WAIT)
    return sync_round(ws.store, server.url, token, **options)


def shared_company(server: SyncServer, name: str, *holders: tuple[Workspace, str]) -> Company:
    """A company of TEAM made on the first holder's workspace and synced by each holder (a
    workspace and its user) in turn, so every one of them has it."""
    company = factories.company(team_id=TEAM, name=name)
    holders[0][0].repos.companies.add(company)
    for ws, user in holders:
        sync_as(ws, server, user)
    return company


def exported(ws: Workspace) -> dict[str, Any]:
    """Every live record, as `feltkonsulent export` writes it (no local-only fields in it), each
    kind sorted by id (the export's order is the order records arrived in)."""
    out = io.StringIO()
    transfer.write_json(ws, out)
    document: dict[str, Any] = json.loads(out.getvalue())
    return {
        key: sorted(value, key=lambda r: r["id"]) if isinstance(value, list) else value
        for key, value in document.items()
    }


def as_pulled(ws: Workspace, first_seq: int = 1) -> list[PulledChange]:
    """The workspace's outbox as a server would hand it out once every op was accepted."""
    return [
        PulledChange(
            server_seq=first_seq + index, op_id=c.op_id, entity=c.entity, row_id=c.row_id,
            team_id=c.team_id, field=c.field, value=c.value, hlc=c.hlc, device_id=c.device_id,
        )
        for index, c in enumerate(pending_changes(ws.store))
    ]


def old_edit(ws: Workspace, company: Company, **values: Any) -> None:
    """An edit as a laptop of an older version saved it: into the record and the outbox, past
    the value boundary its forms did not have."""
    with ws.store.write():
        for column, value in values.items():
            ws.store.conn.execute(f"UPDATE companies SET {column} = ? WHERE id = ?", (value, company.id))
        log_changes(ws.store, "companies", company.id, company.team_id, values,
                    ws.store.hlc.now().pack())

"""The change log (outbox): one row per field set, written in the edit's own transaction."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from feltkonsulent.domain.ids import uuid7
from feltkonsulent.storage.database import Store

# Visit notes are immutable: one op carries the whole note (SYNC.md "Visit notes ...").
WHOLE_RECORD = "*"


@dataclass(frozen=True)
class Change:
    """One row of the outbox, as the sync client will push it."""

    local_seq: int
    op_id: str
    entity: str
    row_id: str
    team_id: str
    field: str
    value: Any
    hlc: int
    device_id: str
    base_seq: int | None
    batch_seq: int | None


def log_changes(
    store: Store, entity: str, row_id: str, team_id: str, values: Mapping[str, Any], hlc: int
) -> None:
    """Append one outbox row per field in `values` (wire values), all stamped `hlc`, and note
    in `field_meta` that we now hold a local value for each field."""
    if not values:
        return
    seen = dict(
        store.conn.execute(
            "SELECT field, server_seq FROM field_meta WHERE entity = ? AND row_id = ?",
            (entity, row_id),
        ).fetchall()
    )
    store.conn.executemany(
        "INSERT INTO outbox(op_id, entity, row_id, team_id, field, value, hlc, device_id, "
        "base_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                uuid7(),
                entity,
                row_id,
                team_id,
                field,
                json.dumps(value, ensure_ascii=False),
                hlc,
                store.device_id,
                seen.get(field),
            )
            for field, value in values.items()
        ],
    )
    # An edit here supersedes a value of the field refused from the server (storage/inbox.py).
    store.conn.executemany(
        "DELETE FROM sync_refused WHERE entity = ? AND row_id = ? AND field = ?",
        [(entity, row_id, field) for field in values],
    )
    store.conn.executemany(
        "INSERT INTO field_meta(entity, row_id, field, hlc, device_id) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, "
        "device_id = excluded.device_id",
        [(entity, row_id, field, hlc, store.device_id) for field in values],
    )


def pending_changes(store: Store, limit: int | None = None) -> list[Change]:
    sql = (
        "SELECT local_seq, op_id, entity, row_id, team_id, field, value, hlc, device_id, "
        "base_seq, batch_seq FROM outbox ORDER BY local_seq"
    )
    params: tuple[int, ...] = ()
    if limit is not None:
        sql += " LIMIT ?"
        params = (limit,)
    return [
        Change(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8], r[9], r[10])
        for r in store.conn.execute(sql, params).fetchall()
    ]


def pending_count(store: Store) -> int:
    return int(store.conn.execute("SELECT count(*) FROM outbox").fetchone()[0])

"""The audit log: who read or wrote which citizen's record, when. Never a CPR number or note text."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from feltkonsulent.storage.database import Store


class AuditAction(StrEnum):
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    RESTORE = "restore"
    SEARCH = "search"
    EXPORT = "export"
    IMPORT = "import"


@dataclass(frozen=True)
class AuditEntry:
    at: str
    actor: str
    action: AuditAction
    entity: str
    row_id: str | None
    citizen_id: str | None
    fields: tuple[str, ...]


def audit(
    store: Store,
    action: AuditAction,
    entity: str,
    rows: Iterable[tuple[str | None, str | None]],
    fields: Sequence[str] = (),
) -> None:
    """One audit row per (row_id, citizen_id). `fields` names what changed — names, not values."""
    at = store.now_iso()
    names = json.dumps(list(fields)) if fields else None
    store.add_audit_rows(
        [(at, store.actor, str(action), entity, row, citizen, names) for row, citizen in rows]
    )


def entries_for_citizen(store: Store, citizen_id: str) -> list[AuditEntry]:
    """A citizen's own log of look-ups and changes (they may ask for it)."""
    store.flush_audit()
    rows = store.conn.execute(
        "SELECT at, actor, action, entity, row_id, citizen_id, fields FROM audit_log "
        "WHERE citizen_id = ? ORDER BY id",
        (citizen_id,),
    ).fetchall()
    return [
        AuditEntry(r[0], r[1], AuditAction(r[2]), r[3], r[4], r[5], tuple(json.loads(r[6] or "[]")))
        for r in rows
    ]


def purge_before(store: Store, before: datetime) -> int:
    """Drop entries older than the retention period (six months in the standard DPA terms)."""
    store.flush_audit()
    with store.write():
        cursor = store.conn.execute("DELETE FROM audit_log WHERE at < ?", (before.isoformat(),))
    return int(cursor.rowcount)

"""A resync in the local database: pull everything again and send back what the server lost.

A client resyncs when the server was restored from a backup (a new `server_epoch`) or when the
digest after catching up does not match (docs/sync.md "Resync"). It keeps its outbox, pulls the
whole snapshot from cursor 0, and notes which of the fields it holds the server confirmed — sent
with the same or a newer stamp. What is left unconfirmed when the snapshot is in is a value the
server does not have: acknowledged once and lost in the restore, or never arrived. Those go back
into the outbox with the stamps they had (`resend`), so no acknowledged write is lost (SYNC.md
property 2). Every step is a transaction of its own, so a resync killed half-way goes on at the
next round: the list of unconfirmed fields and the cursor are in the database.

SQL only; what the values are is read through `storage.codec`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from feltkonsulent.domain.ids import uuid7
from feltkonsulent.storage.changes import WHOLE_RECORD
from feltkonsulent.storage.codec import SPECS
from feltkonsulent.storage.database import Store
from feltkonsulent.storage.inbox import DELETED, read_record
from feltkonsulent.storage.sync_state import CURSOR, EPOCH

RESYNC = "resync"
DIGEST_MODULUS = 2_147_483_647  # sync.protocol.DIGEST_MODULUS (storage may not import sync)


def in_progress(store: Store) -> bool:
    return store.state().get(RESYNC) == "1"


def start(store: Store, epoch: str | None = None) -> None:
    """Begin a resync: the cursor goes back to 0, every field we hold is unconfirmed, and the
    server_seq we knew for each is forgotten (numbers of another epoch mean nothing now; the
    snapshot brings the new ones, which the next edit sends as its base_seq)."""
    with store.write():
        store._set_state(RESYNC, "1")
        store._set_state(CURSOR, "0")
        if epoch is not None:
            store._set_state(EPOCH, epoch)
        store.conn.execute("DELETE FROM resync_pending")
        store.conn.execute(
            "INSERT INTO resync_pending(entity, row_id, field) SELECT entity, row_id, field FROM field_meta"
        )
        store.conn.execute("UPDATE field_meta SET server_seq = NULL")


def confirm(store: Store, entity: str, row_id: str, field: str) -> None:
    """The server sent this field with the stamp we hold or a newer one."""
    store.conn.execute(
        "DELETE FROM resync_pending WHERE entity = ? AND row_id = ? AND field = ?",
        (entity, row_id, field),
    )


def finish(store: Store) -> int:
    """The snapshot is in: every field still unconfirmed and not waiting in the outbox goes back
    into the outbox with its stamp and the server_seq the snapshot gave it, if any. Returns how
    many; the resync is over."""
    with store.write():
        rows = store.conn.execute(
            "SELECT p.entity, p.row_id, p.field, m.hlc, m.device_id, m.server_seq "
            "FROM resync_pending p JOIN field_meta m USING (entity, row_id, field) "
            "WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity = p.entity "
            "AND o.row_id = p.row_id AND o.field = p.field) "
            # refused once as another team's record: sending it again would be refused again.
            # (A value refused for itself left no stamp, or the server's: sync/apply.py.)
            "AND NOT EXISTS (SELECT 1 FROM rejected_changes x WHERE x.entity = p.entity "
            "AND x.row_id = p.row_id AND x.reason = 'forbidden_team') "
            "ORDER BY p.entity, p.row_id, p.field"
        ).fetchall()
        resent = _resend(store, rows)
        store.conn.execute("DELETE FROM resync_pending")
        store._set_state(RESYNC, "0")
    return resent


@dataclass(frozen=True)
class _Unconfirmed:
    entity: str
    row_id: str
    field: str
    hlc: int
    device_id: str
    server_seq: int | None


def _resend(store: Store, rows: Iterable[tuple[Any, ...]]) -> int:
    records: dict[tuple[str, str], tuple[str, dict[str, Any], bool] | None] = {}
    outbox: list[tuple[Any, ...]] = []
    for row in rows:
        item = _Unconfirmed(*row)
        if item.entity not in SPECS:
            continue
        key = (item.entity, item.row_id)
        if key not in records:
            records[key] = _record(store, item.entity, item.row_id)
        found = records[key]
        if found is None:
            continue
        team_id, wire, deleted = found
        if item.field == WHOLE_RECORD:  # a visit note, as it was first sent (without its id)
            value: Any = {k: v for k, v in wire.items() if k != "id"}
        elif item.field == DELETED:
            value = deleted
        elif item.field in wire:
            value = wire[item.field]
        else:
            continue
        outbox.append((uuid7(), item.entity, item.row_id, team_id, item.field,
                       json.dumps(value, ensure_ascii=False), item.hlc, item.device_id, item.server_seq))
    store.conn.executemany(
        "INSERT INTO outbox(op_id, entity, row_id, team_id, field, value, hlc, device_id, base_seq) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        outbox,
    )
    return len(outbox)


def _record(store: Store, entity: str, row_id: str) -> tuple[str, dict[str, Any], bool] | None:
    """A record's team, its wire values and whether it is deleted."""
    found = read_record(store, entity, row_id)
    if found is None:
        return None
    record, deleted = found
    return str(record.team_id), SPECS[entity].to_wire(record), deleted


# -- the digest ----------------------------------------------------------------------------------
def known_fields() -> dict[str, tuple[str, ...]]:
    """Per entity, the fields this version syncs: what a digest covers on both sides."""
    return {
        entity: tuple(sorted({f.name for f in spec.fields if f.name != "id"} | {DELETED, WHOLE_RECORD}))
        for entity, spec in SPECS.items()
    }


def digest(store: Store, teams: Iterable[str]) -> dict[str, tuple[int, int]] | None:
    """Per entity, how many known fields of the teams' records we hold and the sum of their hlc
    modulo DIGEST_MODULUS; None while something is still on its way (pending changes, staged
    values, a resync), when a comparison would prove nothing. Plain statements, no transaction:
    an edit made meanwhile in the window can make a false mismatch, which costs a resync and
    loses nothing, where a transaction would hold up saving for as long as the sums take."""
    busy = store.conn.execute(
        "SELECT EXISTS (SELECT 1 FROM outbox) OR EXISTS (SELECT 1 FROM sync_staging)"
    ).fetchone()[0]
    if busy or in_progress(store):
        return None
    team_list = sorted(set(teams))
    marks = ", ".join("?" * len(team_list)) or "NULL"
    result: dict[str, tuple[int, int]] = {}
    for entity, fields in known_fields().items():
        field_marks = ", ".join("?" * len(fields))
        # A record with a change rejected as another team's is on the server for that team, if
        # at all, so it is left out here too. (A value rejected for itself leaves the record as
        # the server holds it, or without a stamp: sync/apply.restore_rejected.)
        # Live records only: the server erases deleted ones after its horizon (docs/sync.md
        # "Compaction"), and a laptop that never had one keeps none.
        count, total = store.conn.execute(
            f"SELECT count(*), coalesce(sum(m.hlc % {DIGEST_MODULUS}), 0) FROM field_meta m "
            f"JOIN {SPECS[entity].table} r ON r.id = m.row_id WHERE m.entity = ? "
            f"AND m.field IN ({field_marks}) AND r.team_id IN ({marks}) AND r.deleted = 0 AND NOT EXISTS "
            "(SELECT 1 FROM rejected_changes x WHERE x.entity = m.entity AND x.row_id = m.row_id "
            "AND x.reason = 'forbidden_team')",
            [entity, *fields, *team_list],
        ).fetchone()
        if count:
            result[entity] = (int(count), int(total))
    return result

"""The sync client's bookkeeping in the database: the pull cursor and epoch, numbered push
batches and their answers, and the lists of rejected changes and conflicts. Pulled values are
written by `storage/inbox.py`."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from feltkonsulent.domain.hlc import COUNTER_BITS, Timestamp
from feltkonsulent.storage.changes import Change
from feltkonsulent.storage.database import Store

log = logging.getLogger(__name__)

CURSOR = "sync_cursor"
NEXT_BATCH = "next_batch_seq"
EPOCH = "server_epoch"
LAST_SYNC = "last_sync_at"
VERIFIED = "verified_at_ms"  # when the digests were last compared
RESYNCED = "resynced_at_ms"  # when a digest mismatch last started a resync
REFETCH = "refetch_wanted"  # a change rejected here: the server's values are to be pulled again


@dataclass(frozen=True)
class Batch:
    batch_seq: int
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class OtherSide:
    """The value a conflicting op raced on the server, and who set it."""

    value: Any
    hlc: int
    device_id: str
    user_id: str | None


@dataclass(frozen=True)
class Answer:
    """The server's answer for one op of a batch."""

    op_id: str
    status: str  # accepted | superseded | conflict | rejected
    server_seq: int | None
    reason: str | None
    other: OtherSide | None = None


@dataclass(frozen=True)
class RejectedChange:
    op_id: str
    entity: str
    row_id: str
    field: str
    value: Any
    reason: str
    rejected_at: str


@dataclass(frozen=True)
class Conflict:
    op_id: str
    entity: str
    row_id: str
    field: str
    value: Any
    applied: bool
    seen_at: str
    other: OtherSide | None = None  # None for a conflict from a server that did not say


# -- local state ---------------------------------------------------------------------------------
def _state_int(store: Store, key: str, default: int) -> int:
    row = store.conn.execute("SELECT value FROM local_state WHERE key = ?", (key,)).fetchone()
    return default if row is None else int(row[0])


def cursor(store: Store) -> int:
    return _state_int(store, CURSOR, 0)


def server_epoch(store: Store) -> str | None:
    return store.state().get(EPOCH)


def set_pulled_to(store: Store, next_cursor: int, epoch: str) -> None:
    """Store the cursor (inside the page's own transaction) and the epoch it belongs to."""
    assert store.in_write
    store._set_state(CURSOR, str(next_cursor))
    store._set_state(EPOCH, epoch)


def adopt_epoch(store: Store, epoch: str) -> None:
    """Note the server's epoch if none is noted yet."""
    assert store.in_write
    if server_epoch(store) is None:
        store._set_state(EPOCH, epoch)


def note_synced(store: Store) -> None:
    with store.write():
        store._set_state(LAST_SYNC, store.now_iso())


def now_ms(store: Store) -> int:
    """The store's clock in epoch milliseconds."""
    return int(store.clock().timestamp() * 1000)


def due(store: Store, key: str, every_ms: int) -> bool:
    """Whether the moment noted under `key` (epoch ms) is at least `every_ms` ago, or never was."""
    return now_ms(store) - _state_int(store, key, 0) >= every_ms


def note_verified(store: Store) -> None:
    with store.write():
        store._set_state(VERIFIED, str(now_ms(store)))


def take_refetch(store: Store) -> bool:
    """Whether a change rejected here asked for the server's values again; the ask is taken."""
    if store.state().get(REFETCH) != "1":
        return False
    with store.write():
        store._set_state(REFETCH, "0")
    return True


def note_resynced(store: Store) -> None:
    with store.write():
        store._set_state(RESYNCED, str(now_ms(store)))


# -- push batches --------------------------------------------------------------------------------
def restamp_ahead(store: Store, server_ms: int, max_ahead_ms: int) -> int:
    """Pending changes of ours stamped while this computer's clock was too far ahead are refused
    by the server (`clock_ahead`) until real time reaches their stamps — a day, if the date was
    wrong. Once the clock is right, give them new stamps now: the clock goes back to the newest
    stamp that is not one of theirs (nothing else anywhere is newer: the server takes no stamp
    past its bound), and each of their edits gets the next stamp, in their order. The server
    never stored them, so nobody else has seen the old stamps. Returns how many changed."""
    limit = (server_ms + max_ahead_ms) << COUNTER_BITS
    device = store.device_id
    with store.write():
        ahead = [r[0] for r in store.conn.execute(
            "SELECT DISTINCT hlc FROM outbox WHERE hlc > ? AND device_id = ? ORDER BY hlc", (limit, device)
        ).fetchall()]
        if not ahead:
            return 0
        (newest,) = store.conn.execute(
            "SELECT max(hlc) FROM (SELECT hlc FROM field_meta WHERE hlc <= ? "
            "UNION ALL SELECT hlc FROM sync_staging WHERE hlc <= ?)", (limit, limit)
        ).fetchone()
        store.set_clock_back(max(Timestamp.unpack(newest or 0), Timestamp(server_ms)))
        changed = 0
        for old in ahead:
            new = store.hlc.now().pack()
            changed += store.conn.execute(
                "UPDATE outbox SET hlc = ? WHERE hlc = ? AND device_id = ?", (new, old, device)
            ).rowcount
            store.conn.execute(
                "UPDATE field_meta SET hlc = ? WHERE hlc = ? AND device_id = ?", (new, old, device)
            )
    log.warning("sync: %d pending changes stamped by a clock that was ahead got new stamps", changed)
    return changed


# A batch's values add up to at most this many bytes (a single larger change goes alone): the
# server refuses a push body over 8 MiB (sync/server/bodylimit.py), and a batch refused for its
# size every time would block the queue for good.
BATCH_BYTES = 4 * 1024 * 1024
OP_OVERHEAD_BYTES = 320  # an op's ids, names and stamps around its value, as JSON


def reject_oversized(store: Store, max_bytes: int) -> int:
    """Pending changes whose value is over `max_bytes` as JSON (the value boundary's limit) go
    from the queue into the list of rejected changes (`too_large`), as if the server had
    answered so: no server takes them, and sent alone each would be refused for ever and hold up
    every change after it. Only changes not yet in a batch; returns how many."""
    with store.write():
        rows = store.conn.execute(
            "SELECT local_seq FROM outbox WHERE batch_seq IS NULL AND length(CAST(value AS BLOB)) > ?",
            (max_bytes,),
        ).fetchall()
        if rows:
            _reject_here(store, [r[0] for r in rows], TOO_LARGE)
    if rows:
        log.info("sync: %d changes too large to send are listed as rejected", len(rows))
    return len(rows)


TOO_LARGE = "too_large"  # the reason of a change rejected here, before any server saw it


def _reject_here(store: Store, local_seqs: list[int], reason: str) -> None:
    now = store.now_iso()
    for local_seq in local_seqs:
        row = store.conn.execute(
            f"SELECT {_CHANGE_COLUMNS} FROM outbox WHERE local_seq = ?", (local_seq,)
        ).fetchone()
        change = _change(row)
        _keep_rejected(store, change, reason, now)
        store.conn.execute("DELETE FROM outbox WHERE local_seq = ?", (local_seq,))
        # The server's value of the field is not known here: without our stamp any value it
        # holds wins, and the resync this asks for fetches it (docs/sync.md "Rejected changes").
        store._set_state(REFETCH, "1")
        forget_stamp(store, change.entity, change.row_id, change.field, change.hlc)


def split(store: Store, batch: Batch) -> None:
    """The batch was refused for its size before it was read (the server's or a proxy's body
    limit): its changes go back to the queue, to be sent in smaller batches under new numbers.
    Its own number is never used again, for other content or less: an earlier send of it may
    have gone in with its answer lost, and the server would refuse other ops under it for ever
    (`batch_mismatch`). A server that never saw it asks for it (`batch_gap`: renumbered). A batch
    of one change is refused here instead (`too_large`)."""
    with store.write():
        if len(batch.changes) == 1:
            _reject_here(store, [batch.changes[0].local_seq], TOO_LARGE)
        store.conn.execute("UPDATE outbox SET batch_seq = NULL WHERE batch_seq = ?", (batch.batch_seq,))


def open_batch(store: Store, limit: int, max_bytes: int | None = None) -> Batch | None:
    """The batch to push next: the one numbered already (sent before without an answer, so sent
    again unchanged), else the oldest pending changes — at most `limit`, and at most `max_bytes`
    (BATCH_BYTES) — under the next number, numbered and committed before anything is sent. None
    when the outbox is empty."""
    with store.write():
        (numbered,) = store.conn.execute(
            "SELECT min(batch_seq) FROM outbox WHERE batch_seq IS NOT NULL"
        ).fetchone()
        if numbered is None:
            numbered = _state_int(store, NEXT_BATCH, 1)
            taken = _within_bytes(store.conn.execute(
                "SELECT local_seq, length(CAST(value AS BLOB)) FROM outbox WHERE batch_seq IS NULL "
                "ORDER BY local_seq LIMIT ?", (limit,),
            ).fetchall(), BATCH_BYTES if max_bytes is None else max_bytes)
            if not taken:
                return None
            store.conn.executemany(
                "UPDATE outbox SET batch_seq = ? WHERE local_seq = ?", [(numbered, seq) for seq in taken]
            )
            store._set_state(NEXT_BATCH, str(numbered + 1))
        changes = _batch_changes(store, numbered)
    return Batch(numbered, changes)


def _within_bytes(rows: list[tuple[int, int | None]], max_bytes: int) -> list[int]:
    """The first rows whose sizes add up to at most `max_bytes` (the first one always)."""
    taken: list[int] = []
    total = 0
    for local_seq, size in rows:
        total += (size or 0) + OP_OVERHEAD_BYTES
        if taken and total > max_bytes:
            break
        taken.append(local_seq)
    return taken


def _batch_changes(store: Store, batch_seq: int) -> tuple[Change, ...]:
    rows = store.conn.execute(
        f"SELECT {_CHANGE_COLUMNS} FROM outbox WHERE batch_seq = ? ORDER BY local_seq", (batch_seq,)
    ).fetchall()
    return tuple(_change(r) for r in rows)


_CHANGE_COLUMNS = ("local_seq, op_id, entity, row_id, team_id, field, value, hlc, device_id, base_seq, "
                   "batch_seq")


def _change(r: Any) -> Change:
    return Change(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8], r[9], r[10])


def renumber(store: Store, batch: Batch, batch_seq: int) -> Batch:
    """The server expects another number (it was restored, or forgot this device): the same ops
    under `batch_seq`, and the numbers after it follow on."""
    with store.write():
        store.conn.execute(
            "UPDATE outbox SET batch_seq = ? WHERE batch_seq = ?", (batch_seq, batch.batch_seq)
        )
        store._set_state(NEXT_BATCH, str(batch_seq + 1))
        return Batch(batch_seq, _batch_changes(store, batch_seq))


def acknowledge(store: Store, batch: Batch, answers: Iterable[Answer]) -> None:
    """Take the answered ops out of the outbox in one transaction: note the server_seq an op went
    in under, keep rejected ones and conflicts for the user's lists. Ops the answer does not
    mention go back to the queue for the next batch."""
    ours = {c.op_id: c for c in batch.changes}
    with store.write():
        now = store.now_iso()
        for answer in answers:
            change = ours.get(answer.op_id)
            if change is None:
                continue
            if answer.server_seq is not None:
                note_server_seq(store, change.entity, change.row_id, change.field, answer.server_seq)
            if answer.status == "rejected":
                _keep_rejected(store, change, answer.reason or "rejected", now)
            elif answer.status == "conflict":
                _keep_conflict(store, change, answer, now)
            store.conn.execute("DELETE FROM outbox WHERE op_id = ?", (change.op_id,))
        store.conn.execute(
            "UPDATE outbox SET batch_seq = NULL WHERE batch_seq = ?", (batch.batch_seq,)
        )


def forget_stamp(store: Store, entity: str, row_id: str, field: str, hlc: int) -> None:
    """The field's value is this laptop's alone (refused, and the server's not known or none):
    no stamp, so the digest leaves it out as the server does, and any value pulled later wins."""
    store.conn.execute(
        "DELETE FROM field_meta WHERE entity = ? AND row_id = ? AND field = ? AND hlc = ?",
        (entity, row_id, field, hlc),
    )


def note_server_seq(store: Store, entity: str, row_id: str, field: str, server_seq: int) -> None:
    store.conn.execute(
        "UPDATE field_meta SET server_seq = max(coalesce(server_seq, 0), ?) "
        "WHERE entity = ? AND row_id = ? AND field = ?",
        (server_seq, entity, row_id, field),
    )


def _keep_rejected(store: Store, change: Change, reason: str, now: str) -> None:
    store.conn.execute(
        "INSERT OR REPLACE INTO rejected_changes(op_id, entity, row_id, team_id, field, value, "
        "hlc, reason, batch_seq, rejected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (change.op_id, change.entity, change.row_id, change.team_id, change.field,
         json.dumps(change.value, ensure_ascii=False), change.hlc, reason, change.batch_seq or 0,
         now),  # batch 0: rejected here, never sent
    )


def _keep_conflict(store: Store, change: Change, answer: Answer, now: str) -> None:
    other = answer.other
    store.conn.execute(
        "INSERT OR REPLACE INTO sync_conflicts(op_id, entity, row_id, field, value, hlc, applied, "
        "server_seq, seen_at, other_value, other_hlc, other_device_id, other_user_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (change.op_id, change.entity, change.row_id, change.field,
         json.dumps(change.value, ensure_ascii=False), change.hlc,
         int(answer.server_seq is not None), answer.server_seq, now,
         None if other is None else json.dumps(other.value, ensure_ascii=False),
         None if other is None else other.hlc, None if other is None else other.device_id,
         None if other is None else other.user_id),
    )


def rejected_changes(store: Store) -> list[RejectedChange]:
    rows = store.conn.execute(
        "SELECT op_id, entity, row_id, field, value, reason, rejected_at FROM rejected_changes "
        "ORDER BY rejected_at, op_id"
    ).fetchall()
    return [RejectedChange(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6]) for r in rows]


def conflicts(store: Store) -> list[Conflict]:
    rows = store.conn.execute(
        "SELECT op_id, entity, row_id, field, value, applied, seen_at, other_value, other_hlc, "
        "other_device_id, other_user_id FROM sync_conflicts ORDER BY seen_at, op_id"
    ).fetchall()
    return [
        Conflict(r[0], r[1], r[2], r[3], json.loads(r[4]), bool(r[5]), r[6],
                 None if r[9] is None else OtherSide(json.loads(r[7]), r[8], r[9], r[10]))
        for r in rows
    ]



"""Pulled field values into the local records: written where the record is, staged until it can
be (its required fields, or a record it refers to, still missing), the search index kept right.
SQL only: which value wins is decided in `sync/apply.py` with `sync.merge`."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import InvalidOperation
from typing import Any

import sqlcipher3

from feltkonsulent.domain import limits
from feltkonsulent.domain.errors import DomainError
from feltkonsulent.storage import search
from feltkonsulent.storage.changes import WHOLE_RECORD
from feltkonsulent.storage.codec import SPECS, WireError
from feltkonsulent.storage.database import Store
from feltkonsulent.storage.sync_state import note_server_seq

log = logging.getLogger(__name__)

DELETED = "deleted"
# Parents before children: staged records are written in this order (a placement needs its
# citizen and company first).
ENTITY_ORDER = (
    "companies", "contacts", "citizens", "placements", "support_arrangements",
    "language_partners", "aftercare_visits", "rule_overrides", "agreements", "team_profiles",
    "consultant_profiles",
)


@dataclass(frozen=True)
class FieldMeta:
    """The stamp of the value we hold for one field, and the server_seq we last saw for it."""

    hlc: int
    device_id: str
    server_seq: int | None


@dataclass(frozen=True)
class Pulled:
    """One pulled field value, as the server sent it (a wire value)."""

    entity: str
    row_id: str
    field: str
    value: Any
    hlc: int
    device_id: str
    server_seq: int


def knows(entity: str, field: str) -> bool:
    """Whether this version of the app can store `field` of `entity` (a newer client's field is
    kept by the server, SYNC.md property 8, and not here)."""
    spec = SPECS.get(entity)
    if spec is None or field == "id":
        return False
    return field in spec.by_name or field in (DELETED, WHOLE_RECORD)


def current_meta(store: Store, entity: str, row_id: str, field: str) -> FieldMeta | None:
    """The stamp of the value this database holds for the field: written (a local edit, pending
    or pushed, or a pulled value) or staged. None when it holds none."""
    found = [
        FieldMeta(*row)
        for table in ("field_meta", "sync_staging")
        for row in store.conn.execute(
            f"SELECT hlc, device_id, server_seq FROM {table} "
            "WHERE entity = ? AND row_id = ? AND field = ?",
            (entity, row_id, field),
        ).fetchall()
    ]
    # Both: a value staged over a written one (it waits for the record it refers to).
    return max(found, key=lambda m: (m.hlc, m.device_id), default=None)


def note_seen(store: Store, change: Pulled) -> None:
    """A pulled value that lost to the one we hold: the field's server_seq is still seen (it is
    the `base_seq` of our next edit of it)."""
    note_server_seq(store, change.entity, change.row_id, change.field, change.server_seq)


def _exists(store: Store, entity: str, row_id: str) -> bool:
    sql = f"SELECT 1 FROM {SPECS[entity].table} WHERE id = ?"
    return store.conn.execute(sql, (row_id,)).fetchone() is not None


def put(store: Store, change: Pulled) -> None:
    """Write a pulled value that won into its record, or stage it when the record does not exist
    yet or the record it refers to has not arrived. No outbox row, no audit row: it is neither
    an edit nor a read by this user."""
    assert store.in_write
    if _exists(store, change.entity, change.row_id):
        if _write_field(store, change):
            _unstage(store, change)  # an older value that waited for its reference is out of date
            return
    elif change.field == DELETED and change.value is True and not _staged(
        store, change.entity, change.row_id
    ):
        # The tombstone of a record never seen here: after the server's horizon it is all that is
        # left of a deleted record (docs/sync.md "Compaction"). Nothing to delete, nothing to keep.
        return
    _stage(store, change)


@dataclass(frozen=True)
class Refused:
    """A pulled value this laptop cannot hold, with why (a code of domain/limits.py)."""

    entity: str
    row_id: str
    field: str
    value: Any
    code: str
    params: dict[str, Any]  # the boundary's numbers (max, length, ...), for its sentence
    seen_at: str


def problem(change: Pulled) -> DomainError | None:
    """Why this laptop cannot hold the pulled value (the value boundary, domain/limits.py, as
    the forms, import and the server use it), or None. A server from before the boundary may
    hold such values; written, one would poison the database (an export that fails for ever)."""
    return limits.check_wire(change.entity, change.field, change.value)


def refuse(store: Store, change: Pulled, why: DomainError) -> None:
    """Keep a pulled value that won but cannot be held in the list of values refused from the
    server, not in the record: the record keeps what it had. Its stamp is noted as the field's
    all the same, so the digests agree and an older value pulled later does not win; an older
    value of the field waiting in staging is out of date."""
    assert store.in_write
    store.conn.execute(
        "INSERT OR REPLACE INTO sync_refused(entity, row_id, field, value, hlc, device_id, "
        "server_seq, code, params, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (change.entity, change.row_id, change.field, json.dumps(change.value, ensure_ascii=True),
         change.hlc, change.device_id, change.server_seq, why.code,
         json.dumps(dict(why.params), ensure_ascii=True, default=str), store.now_iso()),
    )
    _unstage(store, change)
    _set_meta(store, change)
    log.info("sync: a pulled value of %s.%s refused (%s)", change.entity, change.field, why.code)


def drop_outdated_refused(store: Store) -> None:
    """Refused values whose field now holds a later value (pulled, or restored from an answer)
    are out of date: one statement after a page, not one per pulled change (the list is empty
    almost always)."""
    store.conn.execute(
        "DELETE FROM sync_refused WHERE hlc < (SELECT m.hlc FROM field_meta m WHERE "
        "m.entity = sync_refused.entity AND m.row_id = sync_refused.row_id "
        "AND m.field = sync_refused.field)"
    )


def forget_refused(store: Store, change: Refused) -> None:
    """The user let the refused value go."""
    store.conn.execute(
        "DELETE FROM sync_refused WHERE entity = ? AND row_id = ? AND field = ?",
        (change.entity, change.row_id, change.field),
    )


def pending_edit(store: Store, entity: str, row_id: str, field: str) -> bool:
    """Whether an edit of the field made here is still queued."""
    row = store.conn.execute(
        "SELECT EXISTS (SELECT 1 FROM outbox WHERE entity = ? AND row_id = ? AND field = ?)",
        (entity, row_id, field),
    ).fetchone()
    return bool(row[0])


def refused_values(store: Store) -> list[Refused]:
    rows = store.conn.execute(
        "SELECT entity, row_id, field, value, code, params, seen_at FROM sync_refused "
        "ORDER BY seen_at, entity, row_id, field"
    ).fetchall()
    return [Refused(r[0], r[1], r[2], json.loads(r[3]), r[4], json.loads(r[5]), r[6]) for r in rows]


def _write_field(store: Store, change: Pulled) -> bool:
    """Update one field of an existing record; False when the value refers to a record that is
    not here yet (a foreign key), so it must wait in staging."""
    entity, spec = change.entity, SPECS[change.entity]
    if change.field == WHOLE_RECORD:
        # Visit notes are immutable: the note we hold is the note.
        _set_meta(store, change)
        return True
    if change.field == DELETED:
        column, value = DELETED, int(change.value is True)
    else:
        column = change.field
        try:
            value = spec.sql_from_wire(column, change.value)
        except (TypeError, ValueError, InvalidOperation):
            log.warning("sync: ill-typed value of %s.%s skipped", entity, column)
            _set_meta(store, change)
            return True
    try:
        with store.write():
            store.conn.execute(
                f"UPDATE {spec.table} SET {column} = ?, updated_hlc = max(updated_hlc, ?) "
                "WHERE id = ?",
                (value, change.hlc, change.row_id),
            )
    except sqlcipher3.IntegrityError as error:
        if "FOREIGN KEY" in str(error):
            return False
        log.warning("sync: value of %s.%s refused by the database (%s)", entity, column, error)
    _set_meta(store, change)
    store.touch(entity)
    return True


def _set_meta(store: Store, change: Pulled) -> None:
    store.conn.execute(
        "INSERT INTO field_meta(entity, row_id, field, hlc, device_id, server_seq) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(entity, row_id, field) DO UPDATE SET "
        "hlc = excluded.hlc, device_id = excluded.device_id, "
        "server_seq = max(coalesce(server_seq, 0), excluded.server_seq)",
        (change.entity, change.row_id, change.field, change.hlc, change.device_id,
         change.server_seq),
    )


def _stage(store: Store, change: Pulled) -> None:
    store.conn.execute(
        "INSERT OR REPLACE INTO sync_staging(entity, row_id, field, value, hlc, device_id, "
        "server_seq) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (change.entity, change.row_id, change.field, json.dumps(change.value, ensure_ascii=False),
         change.hlc, change.device_id, change.server_seq),
    )


def staged_count(store: Store) -> int:
    return int(store.conn.execute("SELECT count(*) FROM sync_staging").fetchone()[0])


def staged_records(store: Store) -> int:
    """How many records wait in staging (for a required field or a record they refer to)."""
    return int(store.conn.execute(
        "SELECT count(*) FROM (SELECT DISTINCT entity, row_id FROM sync_staging)"
    ).fetchone()[0])


def write_staged(store: Store) -> set[tuple[str, str]]:
    """Write every staged record that now can be (its required fields and the records it refers
    to are here), parents first, until nothing more moves; returns the records written."""
    assert store.in_write
    written: set[tuple[str, str]] = set()
    moved = True
    while moved:
        moved = False
        keys = store.conn.execute("SELECT DISTINCT entity, row_id FROM sync_staging").fetchall()
        keys.sort(key=lambda k: (ENTITY_ORDER.index(k[0]) if k[0] in ENTITY_ORDER else 99, k[1]))
        for entity, row_id in keys:
            if _write_staged_record(store, entity, row_id):
                written.add((entity, row_id))
                moved = True
    return written


def _staged(store: Store, entity: str, row_id: str) -> list[Pulled]:
    rows = store.conn.execute(
        "SELECT field, value, hlc, device_id, server_seq FROM sync_staging "
        "WHERE entity = ? AND row_id = ?",
        (entity, row_id),
    ).fetchall()
    return [Pulled(entity, row_id, r[0], json.loads(r[1]), r[2], r[3], r[4]) for r in rows]


def _unstage(store: Store, change: Pulled) -> None:
    store.conn.execute(
        "DELETE FROM sync_staging WHERE entity = ? AND row_id = ? AND field = ?",
        (change.entity, change.row_id, change.field),
    )


def _write_staged_record(store: Store, entity: str, row_id: str) -> bool:
    staged = _staged(store, entity, row_id)
    if _exists(store, entity, row_id):
        done = [c for c in staged if _write_field(store, c)]
        for change in done:
            _unstage(store, change)
        return bool(done)
    if not _insert(store, entity, row_id, staged):
        return False
    for change in staged:
        _unstage(store, change)
        _set_meta(store, change)
    return True


def _insert(store: Store, entity: str, row_id: str, staged: Sequence[Pulled]) -> bool:
    """Insert a record from its staged fields; False while a required field or a referenced
    record is missing."""
    spec = SPECS[entity]
    data: dict[str, Any] = {}
    for change in staged:
        if change.field == WHOLE_RECORD and isinstance(change.value, dict):
            data.update(change.value)
    data.update({c.field: c.value for c in staged if c.field not in (WHOLE_RECORD, DELETED)})
    data["id"] = row_id
    try:
        record = spec.from_wire(data)
    except WireError as error:
        if any(e.code != "required" for e in error.errors):
            log.warning("sync: staged %s %s cannot be read (%s)", entity, row_id, error)
        return False
    deleted = any(c.field == DELETED and c.value is True for c in staged)
    row = spec.to_row(record)
    stamps = [c.hlc for c in staged]
    names = [*row, DELETED, "created_hlc", "updated_hlc"]
    try:
        with store.write():
            store.conn.execute(
                f"INSERT INTO {spec.table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                [*row.values(), int(deleted), min(stamps), max(stamps)],
            )
    except sqlcipher3.IntegrityError as error:
        if "FOREIGN KEY" not in str(error):
            log.warning("sync: staged %s %s refused by the database (%s)", entity, row_id, error)
        return False
    store.touch(entity)
    return True


def read_record(store: Store, entity: str, row_id: str) -> tuple[Any, bool] | None:
    """A record as its row holds it, tombstone or not, and whether it is deleted; None when the
    row is not here. Unaudited: for sync's own bookkeeping, not a use of the citizen's data."""
    spec = SPECS[entity]
    columns = [f.name for f in spec.fields]
    row = store.conn.execute(
        f"SELECT {', '.join(columns)}, deleted FROM {spec.table} WHERE id = ?", (row_id,)
    ).fetchone()
    if row is None:
        return None
    return spec.from_row(dict(zip(columns, row, strict=False))), bool(row[-1])


def reindex(store: Store, entity: str, row_id: str) -> None:
    """Bring the record's full-text entry in line with its row (gone when it is deleted)."""
    if entity not in SPECS or entity not in search.SEARCHABLE:
        return
    found = read_record(store, entity, row_id)
    if found is None:
        return
    record, deleted = found
    if deleted:
        search.unindex(store, entity, row_id)
    else:
        search.index(store, entity, row_id, record)

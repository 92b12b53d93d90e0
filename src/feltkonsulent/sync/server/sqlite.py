"""The sync server's SQLite storage: the embedded default, one file, one writer at a time."""

from __future__ import annotations

import json
import logging
import os
import secrets
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from feltkonsulent.domain.entities import ENTITY_TYPES
from feltkonsulent.domain.ids import uuid7
from feltkonsulent.sync.merge import FieldState, merge
from feltkonsulent.sync.protocol import (
    MAX_AHEAD_MS,
    MIN_PROTOCOL_VERSION,
    PROTOCOL_VERSION,
    ErrorBody,
    ErrorCode,
    Op,
    PulledChange,
    PullResponse,
    PushRequest,
    PushResponse,
    PushResult,
    RejectReason,
    Status,
    format_time,
    hlc_millis,
    payload_hash,
)

from .storage import AuthFailure, Denied, DeviceInfo, Principal, Refused, ServerStorage, UserInfo
from .tables import SCHEMA, SCHEMA_VERSION

log = logging.getLogger(__name__)

SEQ_COUNTER = "server_seq"
# A page is extended past `limit` with the rest of one record's edit, read this many at a time.
_EXTEND_STEP = 100


class NoServerDatabase(Exception):
    """There is no server database at the path given."""


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def check_request(request: PushRequest) -> None:
    """What is refused before the database is asked: a protocol too old or too new, a clock
    too far ahead (the whole batch, docs/sync.md)."""
    if request.protocol_version < MIN_PROTOCOL_VERSION:
        raise Refused(426, ErrorBody(
            ErrorCode.UPGRADE_REQUIRED, "this client is too old for the server",
            minimum=MIN_PROTOCOL_VERSION,
        ))
    if request.protocol_version > PROTOCOL_VERSION:
        raise Refused(400, ErrorBody(ErrorCode.BAD_REQUEST, "protocol_version newer than the server's"))


def check_clock(request: PushRequest, now_ms: int) -> None:
    ahead = max((hlc_millis(op.hlc) - now_ms for op in request.ops), default=0)
    if ahead > MAX_AHEAD_MS:
        raise Refused(422, ErrorBody(
            ErrorCode.CLOCK_AHEAD, "an op is stamped too far ahead of server_time",
            server_time=format_time(now_ms), ahead_ms=ahead,
        ))


class SqliteStorage(ServerStorage):
    """One connection behind a lock: SQLite has one writer anyway, and a push is short."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._lock = threading.Lock()
        self._epoch = self._info("epoch")

    @classmethod
    def open(cls, path: Path, *, create: bool = False) -> SqliteStorage:
        """Open the server database at `path`; with `create`, make it if it is missing (owner-only
        permissions, a new server_epoch)."""
        new = not path.exists()
        if new and not create:
            raise NoServerDatabase(str(path))
        if new:
            # Owner-only from the first byte: the file holds citizen data (see docs/sync.md).
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 5000")
        if new:
            conn.execute("PRAGMA journal_mode = WAL")
            _create(conn)
        return cls(conn)

    @property
    def server_epoch(self) -> str:
        return self._epoch

    def _info(self, key: str) -> str:
        row = self._conn.execute("SELECT value FROM server_info WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise NoServerDatabase(f"not a Feltkonsulent server database (no {key})")
        return str(row[0])

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    # -- auth ------------------------------------------------------------------------------
    def authenticate(self, token_digest: str, now_ms: int) -> Principal | Denied:
        with self._transaction(write=False) as db:
            row = db.execute(
                "SELECT d.device_id, d.user_id, t.revoked_at IS NOT NULL OR d.revoked_at IS NOT NULL, "
                "t.expires_at <= ? FROM tokens t JOIN devices d USING (device_id) WHERE t.token_hash = ?",
                (format_time(now_ms), token_digest),
            ).fetchone()
            if row is None:
                return Denied(AuthFailure.UNKNOWN)
            device_id, user_id, revoked, expired = row
            if revoked or expired:
                reason = AuthFailure.REVOKED if revoked else AuthFailure.EXPIRED
                return Denied(reason, user_id, device_id)
            teams = db.execute("SELECT team_id FROM memberships WHERE user_id = ?", (user_id,))
            return Principal(user_id, device_id, frozenset(t for (t,) in teams.fetchall()))

    def healthy(self) -> bool:
        try:
            with self._transaction(write=False) as db:
                return bool(db.execute("SELECT count(*) FROM server_info").fetchone()[0])
        except sqlite3.Error:
            return False

    # -- push ------------------------------------------------------------------------------
    def push(self, principal: Principal, request: PushRequest, now_ms: int) -> PushResponse:
        check_request(request)
        digest = payload_hash(request.to_json())
        with self._transaction(write=True) as db:
            _bind_installation(db, principal, request.device_id, now_ms)
            last = db.execute(
                "SELECT max(batch_seq) FROM batches WHERE installation = ?", (request.device_id,)
            ).fetchone()[0] or 0
            if request.batch_seq <= last:
                return _replay(db, request, digest)
            if request.batch_seq != last + 1:
                raise Refused(409, ErrorBody(
                    ErrorCode.BATCH_GAP, f"batch {last + 1} expected", expected=last + 1
                ))
            check_clock(request, now_ms)
            results = tuple(_apply(db, principal, op, now_ms) for op in request.ops)
            response = PushResponse(
                results, _highest(db, principal), self._epoch, format_time(now_ms)
            )
            db.execute(
                "INSERT INTO batches(installation, batch_seq, device_id, payload_sha256, "
                "schema_version, response, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (request.device_id, request.batch_seq, principal.device_id, digest,
                 request.schema_version, _json(response.to_json()), format_time(now_ms)),
            )
        _log_batch(principal, request, results)
        return response

    # -- pull ------------------------------------------------------------------------------
    def pull(self, principal: Principal, cursor: int, limit: int, now_ms: int) -> PullResponse:
        teams = sorted(principal.team_ids)
        with self._transaction(write=False) as db:
            page = _changes_after(db, teams, cursor, limit)
            if page:
                page += _rest_of_edit(db, teams, page[-1])
            next_cursor = page[-1].server_seq if page else cursor
            has_more = bool(_changes_after(db, teams, next_cursor, 1))
        return PullResponse(tuple(page), next_cursor, has_more, self._epoch, format_time(now_ms))

    # -- administration --------------------------------------------------------------------
    def add_user(self, team_id: str, user_id: str, now_ms: int) -> None:
        at = format_time(now_ms)
        with self._transaction(write=True) as db:
            db.execute(
                "INSERT INTO teams(team_id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (team_id, at),
            )
            db.execute(
                "INSERT INTO users(user_id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (user_id, at),
            )
            db.execute(
                "INSERT INTO memberships(user_id, team_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (user_id, team_id),
            )

    def add_device(self, user_id: str, name: str, now_ms: int) -> str:
        device_id = uuid7(now_ms)
        with self._transaction(write=True) as db:
            db.execute(
                "INSERT INTO devices(device_id, user_id, name, created_at) VALUES (?, ?, ?, ?)",
                (device_id, user_id, name, format_time(now_ms)),
            )
        return device_id

    def issue_token(self, device_id: str, token_digest: str, expires_at_ms: int, now_ms: int) -> None:
        with self._transaction(write=True) as db:
            db.execute(
                "INSERT INTO tokens(token_hash, device_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                (token_digest, device_id, format_time(now_ms), format_time(expires_at_ms)),
            )

    def replace_token(self, device_id: str, token_digest: str, expires_at_ms: int, now_ms: int) -> bool:
        at = format_time(now_ms)
        with self._transaction(write=True) as db:
            active = db.execute(
                "SELECT 1 FROM devices WHERE device_id = ? AND revoked_at IS NULL", (device_id,)
            ).fetchone()
            if active is None:
                return False
            db.execute(
                "UPDATE tokens SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL", (at, device_id)
            )
            db.execute(
                "INSERT INTO tokens(token_hash, device_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                (token_digest, device_id, at, format_time(expires_at_ms)),
            )
        return True

    def remove_membership(self, team_id: str, user_id: str) -> bool:
        with self._transaction(write=True) as db:
            removed = db.execute(
                "DELETE FROM memberships WHERE team_id = ? AND user_id = ?", (team_id, user_id)
            ).rowcount
        return removed > 0

    def teams(self) -> list[str]:
        with self._transaction(write=False) as db:
            return [t for (t,) in db.execute("SELECT team_id FROM teams ORDER BY team_id").fetchall()]

    def revoke_device(self, device_id: str, now_ms: int) -> bool:
        with self._transaction(write=True) as db:
            found = db.execute("SELECT 1 FROM devices WHERE device_id = ?", (device_id,)).fetchone()
            _revoke(db, [device_id], format_time(now_ms))
        return found is not None

    def revoke_user(self, user_id: str, now_ms: int) -> int:
        with self._transaction(write=True) as db:
            active = [
                d for (d,) in db.execute(
                    "SELECT device_id FROM devices WHERE user_id = ? AND revoked_at IS NULL",
                    (user_id,),
                ).fetchall()
            ]
            _revoke(db, active, format_time(now_ms))
        return len(active)

    def users(self) -> list[UserInfo]:
        with self._transaction(write=False) as db:
            rows = db.execute(
                "SELECT u.user_id, m.team_id FROM users u LEFT JOIN memberships m USING (user_id) "
                "ORDER BY u.user_id, m.team_id"
            ).fetchall()
        teams: dict[str, list[str]] = {}
        for user_id, team_id in rows:
            teams.setdefault(user_id, [])
            if team_id is not None:
                teams[user_id].append(team_id)
        return [UserInfo(user, tuple(t)) for user, t in teams.items()]

    def devices(self, now_ms: int) -> list[DeviceInfo]:
        with self._transaction(write=False) as db:
            rows = db.execute(
                "SELECT d.device_id, d.user_id, d.name, d.installation, d.created_at, d.revoked_at, "
                "d.last_seen_at, count(t.token_hash), max(t.expires_at) FROM devices d "
                "LEFT JOIN tokens t ON t.device_id = d.device_id AND t.revoked_at IS NULL "
                "AND t.expires_at > ? GROUP BY d.device_id, d.user_id, d.name, d.installation, "
                "d.created_at, d.revoked_at, d.last_seen_at ORDER BY d.user_id, d.created_at",
                (format_time(now_ms),),
            ).fetchall()
        return [DeviceInfo(*row) for row in rows]

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _create(conn: sqlite3.Connection) -> None:
    # executescript commits whatever is open first, so the whole script is one transaction.
    epoch = secrets.token_hex(16)
    conn.executescript(
        "BEGIN IMMEDIATE;" + SCHEMA
        + f"INSERT INTO server_info(key, value) VALUES ('epoch', '{epoch}'), "
        f"('schema_version', '{SCHEMA_VERSION}');"
        f"INSERT INTO counters(name, value) VALUES ('{SEQ_COUNTER}', 0);"
        "COMMIT;"
    )


def _bind_installation(db: sqlite3.Connection, who: Principal, installation: str, now_ms: int) -> None:
    """A device's token serves one installation: its first push binds the client's device_id."""
    bound = db.execute(
        "SELECT installation FROM devices WHERE device_id = ?", (who.device_id,)
    ).fetchone()[0]
    if bound is None:
        taken = db.execute(
            "SELECT 1 FROM devices WHERE installation = ?", (installation,)
        ).fetchone()
        if taken is None:
            db.execute(
                "UPDATE devices SET installation = ? WHERE device_id = ?", (installation, who.device_id)
            )
            bound = installation
    if bound != installation:
        raise Refused(403, ErrorBody(
            ErrorCode.FORBIDDEN_DEVICE, "this token belongs to another installation"
        ))
    db.execute(
        "UPDATE devices SET last_seen_at = ? WHERE device_id = ?", (format_time(now_ms), who.device_id)
    )


def _replay(db: sqlite3.Connection, request: PushRequest, digest: str) -> PushResponse:
    stored = db.execute(
        "SELECT payload_sha256, response FROM batches WHERE installation = ? AND batch_seq = ?",
        (request.device_id, request.batch_seq),
    ).fetchone()
    if stored is None or stored[0] != digest:
        log.warning("batch %s of installation %s: a different payload under a stored number",
                    request.batch_seq, request.device_id)
        raise Refused(409, ErrorBody(
            ErrorCode.BATCH_MISMATCH, f"batch {request.batch_seq} was stored with other ops"
        ))
    return PushResponse.from_json(json.loads(stored[1]))


def _apply(db: sqlite3.Connection, who: Principal, op: Op, now_ms: int) -> PushResult:
    if op.team_id not in who.team_ids:
        return PushResult(op.op_id, Status.REJECTED, None, RejectReason.FORBIDDEN_TEAM)
    if op.entity not in ENTITY_TYPES:
        return PushResult(op.op_id, Status.REJECTED, None, RejectReason.UNKNOWN_ENTITY)
    seen = db.execute("SELECT server_seq FROM changes WHERE op_id = ?", (op.op_id,)).fetchone()
    if seen is not None:  # pushed before (a resync replays its outbox): exactly once
        return PushResult(op.op_id, Status.ACCEPTED, seen[0], None)
    owner = db.execute(
        "SELECT team_id FROM records WHERE entity = ? AND row_id = ?", (op.entity, op.row_id)
    ).fetchone()
    if owner is not None and owner[0] != op.team_id:
        return PushResult(op.op_id, Status.REJECTED, None, RejectReason.FORBIDDEN_TEAM)
    if owner is None:
        db.execute(
            "INSERT INTO records(entity, row_id, team_id) VALUES (?, ?, ?)",
            (op.entity, op.row_id, op.team_id),
        )
    current = _field_state(db, op)
    decision = merge(current, op)
    seq = _store_op(db, op, now_ms) if decision.apply else None
    if decision.conflict and current is not None:
        _store_conflict(db, op, current, decision.apply, now_ms)
        return PushResult(op.op_id, Status.CONFLICT, seq, None)
    return PushResult(op.op_id, Status.ACCEPTED if seq else Status.SUPERSEDED, seq, None)


def _field_state(db: sqlite3.Connection, op: Op) -> FieldState | None:
    row = db.execute(
        "SELECT value, hlc, device_id, server_seq FROM fields "
        "WHERE entity = ? AND row_id = ? AND field = ?",
        (op.entity, op.row_id, op.field),
    ).fetchone()
    return None if row is None else FieldState(json.loads(row[0]), row[1], row[2], row[3])


def _store_op(db: sqlite3.Connection, op: Op, now_ms: int) -> int:
    # The counter row is updated inside the push transaction, so numbers are handed out in
    # commit order and a puller never skips one (SYNC.md).
    db.execute("UPDATE counters SET value = value + 1 WHERE name = ?", (SEQ_COUNTER,))
    seq = int(db.execute("SELECT value FROM counters WHERE name = ?", (SEQ_COUNTER,)).fetchone()[0])
    value = _json(op.value)
    db.execute(
        "INSERT INTO changes(server_seq, team_id, op_id, entity, row_id, field, value, hlc, "
        "device_id, base_seq, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, op.team_id, op.op_id, op.entity, op.row_id, op.field, value, op.hlc, op.device_id,
         op.base_seq, format_time(now_ms)),
    )
    db.execute(
        "INSERT INTO fields(team_id, entity, row_id, field, value, hlc, device_id, server_seq) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (entity, row_id, field) DO UPDATE SET "
        "value = excluded.value, hlc = excluded.hlc, device_id = excluded.device_id, "
        "server_seq = excluded.server_seq",
        (op.team_id, op.entity, op.row_id, op.field, value, op.hlc, op.device_id, seq),
    )
    return seq


def _store_conflict(
    db: sqlite3.Connection, op: Op, current: FieldState, incoming_won: bool, now_ms: int
) -> None:
    db.execute(
        "INSERT INTO conflicts(op_id, team_id, entity, row_id, field, current_value, current_hlc, "
        "current_device_id, current_seq, incoming_value, incoming_hlc, incoming_device_id, "
        "incoming_base_seq, incoming_won, detected_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (op.op_id, op.team_id, op.entity, op.row_id, op.field, _json(current.value), current.hlc,
         current.device_id, current.server_seq, _json(op.value), op.hlc, op.device_id,
         op.base_seq, int(incoming_won), format_time(now_ms)),
    )


def _highest(db: sqlite3.Connection, who: Principal) -> int:
    teams = sorted(who.team_ids)
    row = db.execute(
        f"SELECT max(server_seq) FROM changes WHERE team_id IN ({_marks(teams)})", teams
    ).fetchone()
    return int(row[0] or 0)


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values)) or "NULL"


_CHANGE_COLUMNS = "server_seq, op_id, entity, row_id, team_id, field, value, hlc, device_id"


def _change(row: Sequence[Any]) -> PulledChange:
    return PulledChange(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6]), row[7],
                        row[8])


def _changes_after(db: sqlite3.Connection, teams: list[str], cursor: int, limit: int) -> list[PulledChange]:
    rows = db.execute(
        f"SELECT {_CHANGE_COLUMNS} FROM changes WHERE team_id IN ({_marks(teams)}) "
        "AND server_seq > ? ORDER BY server_seq LIMIT ?",
        [*teams, cursor, limit],
    ).fetchall()
    return [_change(row) for row in rows]


def _rest_of_edit(db: sqlite3.Connection, teams: list[str], last: PulledChange) -> list[PulledChange]:
    """The changes right after `last` that belong to the same edit of the same record (same
    entity, row and hlc): a page never splits a record created in one edit."""
    rest: list[PulledChange] = []
    cursor = last.server_seq
    while True:
        more = _changes_after(db, teams, cursor, _EXTEND_STEP)
        for change in more:
            if (change.entity, change.row_id, change.hlc) != (last.entity, last.row_id, last.hlc):
                return rest
            rest.append(change)
        if len(more) < _EXTEND_STEP:
            return rest
        cursor = more[-1].server_seq


def _revoke(db: sqlite3.Connection, device_ids: list[str], at: str) -> None:
    for device_id in device_ids:
        db.execute(
            "UPDATE devices SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL", (at, device_id)
        )
        db.execute(
            "UPDATE tokens SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL", (at, device_id)
        )


def _log_batch(who: Principal, request: PushRequest, results: tuple[PushResult, ...]) -> None:
    # Counts and ids only: values may hold CPR numbers and notes.
    counts: dict[str, int] = {}
    for result in results:
        key = f"{result.status}/{result.reason}" if result.reason else str(result.status)
        counts[key] = counts.get(key, 0) + 1
    log.info("device %s (user %s) batch %d: %s", who.device_id, who.user_id, request.batch_seq,
             ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "empty")

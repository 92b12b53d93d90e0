"""The sync server's storage written once in SQL: authorisation, push with merge, pull and
administration, over a tiny connection abstraction (`Db`) that SQLite and PostgreSQL both give.

SQL here uses `?` placeholders (the PostgreSQL side translates them). Where the two databases
must differ — row locks, team locks — a subclass overrides one small hook; everything that
decides an answer is here, so both storages answer the same history the same way.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import secrets
import time
from abc import abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any, Protocol, TypeVar, cast

from feltkonsulent.domain.entities import ENTITY_TYPES
from feltkonsulent.domain.errors import DomainError
from feltkonsulent.domain.ids import uuid7
from feltkonsulent.domain.limits import check_typed
from feltkonsulent.sync.merge import FieldState, merge
from feltkonsulent.sync.protocol import (
    DIGEST_MODULUS,
    MAX_AHEAD_MS,
    MAX_COUNT,
    MIN_PROTOCOL_VERSION,
    PROTOCOL_VERSION,
    WHOLE_RECORD,
    DigestResponse,
    EntityDigest,
    ErrorBody,
    ErrorCode,
    JsonText,
    Op,
    OtherSide,
    PulledChange,
    PullResponse,
    PushRequest,
    PushResponse,
    PushResult,
    RejectReason,
    Status,
    compact_json,
    format_time,
    hlc_millis,
    payload_hash,
)

from .storage import AuthFailure, Compacted, Denied, DeviceInfo, Principal, Refused, ServerStorage, UserInfo
from .tables import MIGRATIONS, SCHEMA_VERSION, statements

log = logging.getLogger(__name__)

SEQ_COUNTER = "server_seq"
# A page is extended past `limit` with the rest of one record's edit, read this many at a time.
_EXTEND_STEP = 100


class NoServerDatabase(Exception):
    """There is no server database where one was expected."""


class NewerServerDatabase(Exception):
    """The database has a schema version newer than this code knows; it is not opened."""


class Rows(Protocol):
    """What an executed statement gives back (a DB-API cursor)."""

    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class Db(Protocol):
    """The connection inside a transaction: `?` placeholders, DB-API cursors."""

    def execute(self, sql: str, params: Sequence[Any] = (), /) -> Rows: ...
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]], /) -> Any: ...


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


def read_info(db: Db, key: str) -> str:
    row = db.execute("SELECT value FROM server_info WHERE key = ?", (key,)).fetchone()
    if row is None:
        raise NoServerDatabase(f"not a Feltkonsulent server database (no {key})")
    return str(row[0])


class SqlStorage(ServerStorage):
    """Everything the server stores and decides, in SQL common to SQLite and PostgreSQL. A
    subclass gives `_transaction` (and the dialect hooks below where it must)."""

    def __init__(self, *, create: bool = False) -> None:
        """Bring the database to this version's schema (with `create`, make the tables in an
        empty one) in one transaction, and read its epoch."""
        with self._transaction(write=True) as db:
            self.schema_versions = self._migrate(db, create=create)
            self._epoch = read_info(db, "epoch")

    @abstractmethod
    def _transaction(self, *, write: bool) -> AbstractContextManager[Db]:
        """One transaction; `write` says it will write (SQLite takes the write lock at once)."""

    @abstractmethod
    def _has_schema(self, db: Db) -> bool:
        """Whether the server's tables are there (`server_info`); a dialect's catalogue query."""

    def _lock_schema(self, db: Db) -> None:
        """Make other processes opening the database at the same time wait for the migration."""

    # -- schema ----------------------------------------------------------------------------
    def _migrate(self, db: Db, *, create: bool) -> tuple[int, int]:
        """Apply the migrations the database lacks; returns (version found, version now)."""
        self._lock_schema(db)
        found = int(read_info(db, "schema_version")) if self._has_schema(db) else 0
        if found == 0 and not create:
            raise NoServerDatabase("no Feltkonsulent server tables in this database")
        if found > SCHEMA_VERSION:
            raise NewerServerDatabase(
                f"the server database is at schema version {found}, newer than this Feltkonsulent "
                f"knows ({SCHEMA_VERSION}): run a newer Feltkonsulent"
            )
        for version in range(found + 1, SCHEMA_VERSION + 1):
            for statement in statements(MIGRATIONS[version - 1]):
                db.execute(statement)
        if found == 0:
            _initialise(db)
        if found != SCHEMA_VERSION:
            db.execute(
                "UPDATE server_info SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),)
            )
        return found, SCHEMA_VERSION

    @property
    def server_epoch(self) -> str:
        return self._epoch

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
        except Exception as error:  # whatever the database says, it is not answering
            log.warning("health check: the database did not answer (%s)", type(error).__name__)
            return False

    # -- push ------------------------------------------------------------------------------
    def push(self, principal: Principal, request: PushRequest, now_ms: int) -> PushResponse:
        check_request(request)
        digest = payload_hash(request.to_json())
        watch = _Stopwatch()
        with ExitStack() as stack:
            with watch.waiting():  # SQLite's one writer, a pooled connection; the device row
                db = stack.enter_context(self._transaction(write=True))
                self._bind_installation(db, principal, request.device_id, now_ms)
            last = db.execute(
                "SELECT max(batch_seq) FROM batches WHERE installation = ?", (request.device_id,)
            ).fetchone()[0] or 0
            if request.batch_seq <= last:
                replayed = _replay(db, request, digest)
                if replayed is not None:
                    return replayed
                # Its answer was compacted away (older than the horizon): handled again — ops the
                # server holds are answered by op_id, older ones lose to what came since.
            elif request.batch_seq != last + 1:
                raise Refused(409, ErrorBody(
                    ErrorCode.BATCH_GAP, f"batch {last + 1} expected", expected=last + 1
                ))
            check_clock(request, now_ms)
            results, last_seq = self._apply(db, principal, request.ops, now_ms, watch)
            # The batch's last number is the greatest of all (the counter is ours until commit).
            response = PushResponse(
                results, last_seq or _highest(db, principal), self._epoch, format_time(now_ms)
            )
            db.execute(
                "INSERT INTO batches(installation, batch_seq, device_id, payload_sha256, "
                "schema_version, response, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (request.device_id, request.batch_seq, principal.device_id, digest,
                 request.schema_version, compact_json(response.to_json()), format_time(now_ms)),
            )
        _log_batch(principal, request, results, watch)
        return response

    def _bind_installation(self, db: Db, who: Principal, installation: str, now_ms: int) -> None:
        """A device's token serves one installation: its first push binds the client's device_id.
        The device row is read with `_row_lock`, so two deliveries of one batch take turns."""
        bound = db.execute(
            "SELECT installation FROM devices WHERE device_id = ?" + self._row_lock, (who.device_id,)
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

    def _apply(
        self, db: Db, who: Principal, ops: Sequence[Op], now_ms: int, watch: _Stopwatch
    ) -> tuple[tuple[PushResult, ...], int]:
        """Authorise and merge a whole batch with a few reads, decide in Python (in order: a
        later op sees an earlier one's result), then write. The `server_seq` numbers are taken
        last, just before the rows that carry them are written and the transaction commits.
        Returns the results and the last number taken (0: none)."""
        eligible = [op for op in ops if op.team_id in who.team_ids and op.entity in ENTITY_TYPES]
        with watch.waiting():
            self._lock_teams(db, sorted({op.team_id for op in eligible}))
        seen = _stored_op_ids(db, [op.op_id for op in eligible])
        bad = {op.op_id: problem for op in eligible if op.op_id not in seen
               and (problem := value_problem(op)) is not None}
        # A refused op claims no record: its row may be someone else's to create.
        fresh = [op for op in eligible if op.op_id not in seen and op.op_id not in bad]
        held = _held(db, [op for op in eligible if op.op_id in bad])
        plan = _Plan(seen, _claim_records(db, fresh), _field_states(db, fresh), bad, held)
        for op in ops:
            plan.decide(who, op)
        at = format_time(now_ms)
        _store_conflicts(db, plan.conflicts, at)
        users = _users_of(db, sorted({current.device_id for _, current, _ in plan.conflicts}
                                     | {state.device_id for state in held.values()}))
        with watch.waiting():
            first = _take_seqs(db, len(plan.accepted))
        _store_ops(db, plan.accepted, first, at)
        return plan.results(first, users), first + len(plan.accepted) - 1 if plan.accepted else 0

    # Dialect hooks: what PostgreSQL, with writers side by side, adds to the common SQL.
    _row_lock = ""  # appended to the read of the pushing device's row

    def _lock_teams(self, db: Db, team_ids: list[str]) -> None:
        """Serialise merge decisions per team; nothing to do where a write transaction is alone."""

    # -- pull ------------------------------------------------------------------------------
    def pull(self, principal: Principal, cursor: int, limit: int, now_ms: int) -> PullResponse:
        teams = sorted(principal.team_ids)
        with self._transaction(write=False) as db:
            page, has_more = _page(db, teams, cursor, limit)
        next_cursor = page[-1].server_seq if page else cursor
        return PullResponse(tuple(page), next_cursor, has_more, self._epoch, format_time(now_ms))

    # -- digest ----------------------------------------------------------------------------
    def digest(
        self, principal: Principal, fields: dict[str, tuple[str, ...]], now_ms: int
    ) -> DigestResponse:
        teams = sorted(principal.team_ids)
        entities: dict[str, EntityDigest] = {}
        with self._transaction(write=False) as db:
            self._consistent_read(db)
            for entity, names in sorted(fields.items()):
                if not names or not teams:
                    continue
                # Live records only: a deleted one is erased after the horizon (`compact`), here
                # and on no laptop at the same moment, and a laptop that never had it keeps none.
                # A record live on one side and deleted on the other still shows.
                count, total = db.execute(
                    f"SELECT count(*), coalesce(sum(f.hlc % {DIGEST_MODULUS}), 0) FROM fields f "
                    f"WHERE f.entity = ? AND f.team_id IN ({_marks(teams)}) "
                    f"AND f.field IN ({_marks(names)}) AND NOT EXISTS "
                    "(SELECT 1 FROM fields d WHERE d.entity = f.entity AND d.row_id = f.row_id "
                    "AND d.field = 'deleted' AND d.value = 'true')",
                    [entity, *teams, *names],
                ).fetchone()
                if count:
                    entities[entity] = EntityDigest(int(count), int(total))
            as_of = _highest(db, principal)
        return DigestResponse(entities, as_of, self._epoch, format_time(now_ms))

    def _consistent_read(self, db: Db) -> None:
        """Make the rest of this read transaction see one snapshot (SQLite's read transaction
        already does; PostgreSQL sets REPEATABLE READ)."""

    # -- compaction --------------------------------------------------------------------------
    def compact(self, horizon_ms: int, now_ms: int) -> Compacted:
        """Forget what no client needs once it is older than the horizon (docs/sync.md
        "Compaction"): change-log rows whose value is no longer any field's, and of every record
        deleted before the horizon everything but its tombstone (the `deleted` field and the
        change that set it) — the citizen data of a deleted record is erased, and a laptop that
        comes back after any time still learns of the deletion. Stored batch answers older than
        the horizon go too (a retry comes within minutes, not months)."""
        cutoff = (format_time(now_ms - horizon_ms),)
        with self._transaction(write=True) as db:
            # A deleted record that a live record still refers to keeps its data: a laptop that
            # never had it could otherwise not store the live one (its company or placement is
            # missing) and would wait for it for ever.
            deleted = _deleted_before(db, cutoff)
            kept = _referenced_by_live(db, {row_id for _entity, row_id in deleted})
            erasable = {(entity, row_id) for entity, row_id in deleted if row_id not in kept}
            erased = 0
            for entity, row_ids in _by_entity(erasable).items():
                for chunk in _chunks(row_ids):
                    where = f"entity = ? AND {_in(db, 'row_id', chunk)}"
                    params = [entity, *_values(db, chunk)]
                    _forget(db, "conflicts", where, params)
                    erased += _forget(db, "fields", f"field <> 'deleted' AND {where}", params)
            unheld = "NOT EXISTS (SELECT 1 FROM fields f WHERE f.server_seq = changes.server_seq)"
            # A deleted record's later edits go with its data (a new laptop would wait for the
            # rest of the record for ever); other changes no field holds, after the horizon.
            superseded = _forget(db, "changes", f"{unheld} AND "
                                 + _DELETED_BEFORE.format(table="changes"), cutoff)
            superseded += _forget(db, "changes", f"received_at < ? AND {unheld}", cutoff)
            # Each installation's last batch stays: it says which number comes next.
            batches = _forget(db, "batches", "received_at < ? AND batch_seq < (SELECT max(b.batch_seq) "
                              "FROM batches b WHERE b.installation = batches.installation)", cutoff)
        log.info("compacted: %d changes, %d fields of deleted records", superseded, erased)
        return Compacted(int(superseded), int(erased), int(batches))

    # -- restore -----------------------------------------------------------------------------
    def new_epoch(self) -> str:
        with self._transaction(write=True) as db:
            epoch = secrets.token_hex(16)
            db.execute("UPDATE server_info SET value = ? WHERE key = 'epoch'", (epoch,))
        self._epoch = epoch
        log.warning("server_epoch is now %s: clients will resync", epoch)
        return epoch

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
            found = db.execute(
                "SELECT 1 FROM memberships WHERE team_id = ? AND user_id = ?", (team_id, user_id)
            ).fetchone()
            db.execute("DELETE FROM memberships WHERE team_id = ? AND user_id = ?", (team_id, user_id))
        return found is not None

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


def _initialise(db: Db) -> None:
    """The rows of a new database: its server_epoch (128 random bits), the counter."""
    db.executemany(
        "INSERT INTO server_info(key, value) VALUES (?, ?)",
        [("epoch", secrets.token_hex(16)), ("schema_version", "0")],
    )
    db.execute("INSERT INTO counters(name, value) VALUES (?, 0)", (SEQ_COUNTER,))


def _replay(db: Db, request: PushRequest, digest: str) -> PushResponse | None:
    """The stored answer to a batch sent again; None when compaction has forgotten it."""
    stored = db.execute(
        "SELECT payload_sha256, response FROM batches WHERE installation = ? AND batch_seq = ?",
        (request.device_id, request.batch_seq),
    ).fetchone()
    if stored is None:
        return None
    if stored[0] != digest:
        log.warning("batch %s of installation %s: a different payload under a stored number",
                    request.batch_seq, request.device_id)
        raise Refused(409, ErrorBody(
            ErrorCode.BATCH_MISMATCH, f"batch {request.batch_seq} was stored with other ops"
        ))
    return PushResponse.from_json(json.loads(stored[1]))


# Keys and chunks: a batch is read with a few `IN (...)` queries of at most this many values.
_CHUNK = 250
Record = tuple[str, str]  # (entity, row_id)
Field = tuple[str, str, str]  # (entity, row_id, field)
Item = TypeVar("Item")


def _chunks(values: Sequence[Item]) -> Iterator[Sequence[Item]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def _lookup(db: Db, table: str, key: Sequence[str], keys: Sequence[Sequence[str]],
            columns: Sequence[str]) -> list[Any]:
    """The rows of `table` whose `key` (a unique one) equals one of `keys`: `key…, columns…` per
    row found, each found by a lookup of its own in the key's index, however large the table.
    On PostgreSQL the keys are one `unnest` of an array per key column, joined LATERAL with
    `LIMIT 1`, which leaves the planner no other plan: given `entity = ? AND row_id = ANY(?)`
    it walked through every row of the entity, and given a plain join it hashed the whole table
    — either way a push took longer the more the server held (bench/server_growth.py: 44 ms on
    an empty server, 233 ms at 90,000 changes). On SQLite a `VALUES` list per chunk, looked up
    the same way."""
    if not keys:
        return []
    select = ", ".join([*(f"k.{c}" for c in key), *(f"t.{c}" for c in columns)])
    if _uses_arrays(db):
        source = f"unnest({', '.join('?::text[]' for _ in key)}) AS k({', '.join(key)})"
        return db.execute(
            f"SELECT {select} FROM {source} CROSS JOIN LATERAL (SELECT {', '.join(columns)} FROM {table} "
            "WHERE " + " AND ".join(f"{table}.{c} = k.{c}" for c in key) + " LIMIT 1) AS t",
            [list(column) for column in zip(*keys, strict=True)],
        ).fetchall()
    names = ", ".join(f"column{n} AS {c}" for n, c in enumerate(key, 1))
    found: list[Any] = []
    for chunk in _chunks(keys):
        values = ", ".join(f"({_marks(k)})" for k in chunk)
        found += db.execute(
            f"SELECT {select} FROM (SELECT {names} FROM (VALUES {values})) AS k JOIN {table} t ON "
            + " AND ".join(f"t.{c} = k.{c}" for c in key), [v for k in chunk for v in k],
        ).fetchall()
    return found


def _stored_op_ids(db: Db, op_ids: Sequence[str]) -> dict[str, int]:
    """The ops of the batch the server already holds (a resync replays its outbox), by op_id."""
    rows = _lookup(db, "changes", ("op_id",), [(op_id,) for op_id in op_ids], ("server_seq",))
    return {op_id: int(seq) for op_id, seq in rows}


def _owners(db: Db, keys: Iterable[Record]) -> dict[Record, str]:
    rows = _lookup(db, "records", ("entity", "row_id"), sorted(set(keys)), ("team_id",))
    return {(entity, row_id): team_id for entity, row_id, team_id in rows}


def _claim_records(db: Db, ops: Sequence[Op]) -> dict[Record, str]:
    """The team of every record the ops write: a new record goes to the team of its first op.
    Inserted in key order and read again: another transaction may claim a row id at the same
    time, and then its team is the owner."""
    owners = _owners(db, {(op.entity, op.row_id) for op in ops})
    new: dict[Record, str] = {}
    for op in ops:
        key = (op.entity, op.row_id)
        if key not in owners:
            new.setdefault(key, op.team_id)
    if new:
        db.executemany(
            "INSERT INTO records(entity, row_id, team_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [(entity, row_id, team) for (entity, row_id), team in sorted(new.items())],
        )
        owners.update(_owners(db, new))
    return owners


# A field's value read for a push is kept as stored (JsonText), decoded only when a conflict
# needs it: a batch reads hundreds of fields and most are only compared by their stamps.
def _value_of(state: FieldState) -> Any:
    return state.value.decoded() if isinstance(state.value, JsonText) else state.value


def _text_of(state: FieldState) -> str:
    return state.value.text if isinstance(state.value, JsonText) else compact_json(state.value)


def _held(db: Db, refused: Sequence[Op]) -> dict[str, FieldState]:
    """For ops refused as bad values, what their fields hold here, by op_id: the answer carries
    it, so the laptop shows the team's value again (docs/sync.md "Rejected changes"). Only of a
    record of the op's own team: another team's values are not the pusher's to see."""
    if not refused:
        return {}
    owners = _owners(db, {(op.entity, op.row_id) for op in refused})
    ours = [op for op in refused if owners.get((op.entity, op.row_id)) == op.team_id]
    states = _field_states(db, ours)
    return {op.op_id: states[key] for op in ours if (key := (op.entity, op.row_id, op.field)) in states}


def _field_states(db: Db, ops: Sequence[Op]) -> dict[Field, FieldState]:
    """What the fields the ops write hold now, looked up by their primary keys."""
    keys = sorted({(op.entity, op.row_id, op.field) for op in ops})
    rows = _lookup(db, "fields", ("entity", "row_id", "field"), keys,
                   ("value", "hlc", "device_id", "server_seq"))
    return {(entity, row_id, field): FieldState(JsonText(value), hlc, device_id, seq)
            for entity, row_id, field, value, hlc, device_id, seq in rows}


@dataclass(frozen=True)
class _Outcome:
    """What became of one op; `index` is its place among the accepted ops of the batch, whose
    `server_seq` is known only when the numbers are taken."""

    op_id: str
    status: Status
    seq: int | None = None
    index: int | None = None
    reason: RejectReason | None = None
    other: FieldState | None = None  # a conflict, a bad value: what the field held
    problem: DomainError | None = None  # bad_value: what the value boundary said

    def result(self, first_seq: int, users: dict[str, str]) -> PushResult:
        seq = self.seq if self.index is None else first_seq + self.index
        other = None
        if self.other is not None:
            o = self.other
            other = OtherSide(_value_of(o), o.hlc, o.device_id, users.get(o.device_id))
        detail = None
        if self.problem is not None:
            detail = {"code": self.problem.code, "field": self.problem.field or ""}
        return PushResult(self.op_id, self.status, seq, self.reason, other, detail)


def value_problem(op: Op) -> DomainError | None:
    """Why the server cannot hold the op's value (domain.limits, the boundary the forms, import
    and pull use too), or None. A value JSON could not even carry was dropped on reading."""
    return op.problem or check_typed(op.entity, op.field, op.value)  # check_json: on reading


@dataclass
class _Plan:
    """The decisions for one batch, made in order over what was read for it."""

    seen: dict[str, int]
    owners: dict[Record, str]
    states: dict[Field, FieldState]
    bad: dict[str, DomainError]
    held: dict[str, FieldState]  # what the field of a bad op holds (its own team's record)
    outcomes: list[_Outcome] = dataclass_field(default_factory=list)
    accepted: list[Op] = dataclass_field(default_factory=list)
    conflicts: list[tuple[Op, FieldState, bool]] = dataclass_field(default_factory=list)

    def decide(self, who: Principal, op: Op) -> None:
        self.outcomes.append(self._outcome(who, op))

    def results(self, first_seq: int, users: dict[str, str]) -> tuple[PushResult, ...]:
        return tuple(outcome.result(first_seq, users) for outcome in self.outcomes)

    def _outcome(self, who: Principal, op: Op) -> _Outcome:
        if op.team_id not in who.team_ids:
            return _Outcome(op.op_id, Status.REJECTED, reason=RejectReason.FORBIDDEN_TEAM)
        if op.entity not in ENTITY_TYPES:
            return _Outcome(op.op_id, Status.REJECTED, reason=RejectReason.UNKNOWN_ENTITY)
        if op.op_id in self.seen:  # pushed before (a resync replays its outbox): exactly once
            return _Outcome(op.op_id, Status.ACCEPTED, seq=self.seen[op.op_id])
        problem = self.bad.get(op.op_id)
        if problem is not None:
            return _Outcome(op.op_id, Status.REJECTED, reason=RejectReason.BAD_VALUE, problem=problem,
                            other=self.held.get(op.op_id))
        if self.owners[(op.entity, op.row_id)] != op.team_id:
            return _Outcome(op.op_id, Status.REJECTED, reason=RejectReason.FORBIDDEN_TEAM)
        return self._merge(op)

    def _merge(self, op: Op) -> _Outcome:
        key = (op.entity, op.row_id, op.field)
        current = self.states.get(key)
        decision = merge(current, op)
        index = None
        if decision.apply:
            index = len(self.accepted)
            self.accepted.append(op)
            # Its server_seq is not known yet: 0 here, so a later op of the same batch never
            # counts it as a change it had not seen (the batch's device sent both).
            self.states[key] = FieldState(op.value, op.hlc, op.device_id, 0)
        if decision.conflict and current is not None:
            self.conflicts.append((op, current, decision.apply))
            return _Outcome(op.op_id, Status.CONFLICT, index=index, other=current)
        return _Outcome(op.op_id, Status.ACCEPTED if decision.apply else Status.SUPERSEDED, index=index)


def _take_seqs(db: Db, count: int) -> int:
    """The first of `count` new server_seq numbers. The counter row is updated inside the push
    transaction and stays locked until it commits, so numbers are handed out in commit order
    and a puller never skips one (SYNC.md)."""
    if not count:
        return 0
    last = db.execute(
        "UPDATE counters SET value = value + ? WHERE name = ? RETURNING value", (count, SEQ_COUNTER)
    ).fetchone()[0]
    return int(last) - count + 1


def _store_ops(db: Db, ops: Sequence[Op], first_seq: int, at: str) -> None:
    """The accepted ops as changes, and each field's last one as its current state. This runs
    while the counter row is locked (every other push waits), so it must be short: on
    PostgreSQL one `unnest` statement per table (see `ArrayDb`)."""
    numbered = [(first_seq + n, op, compact_json(op.value)) for n, op in enumerate(ops)]
    _insert_rows(
        db, "changes(server_seq, team_id, op_id, entity, row_id, field, value, hlc, device_id, base_seq, "
        "received_at)", ("bigint", "text", "text", "text", "text", "text", "text", "bigint", "text",
                         "bigint", "text"), "",
        [(seq, op.team_id, op.op_id, op.entity, op.row_id, op.field, value, op.hlc, op.device_id,
          op.base_seq, at) for seq, op, value in numbered],
    )
    # One row per field, the batch's last accepted op of it (each accepted op beat the one before
    # it): one statement may not upsert a row twice (PostgreSQL), and the result is the same.
    last = {(op.entity, op.row_id, op.field): (seq, op, value) for seq, op, value in numbered}
    _insert_rows(
        db, "fields(team_id, entity, row_id, field, value, hlc, device_id, server_seq)",
        ("text", "text", "text", "text", "text", "bigint", "text", "bigint"),
        " ON CONFLICT (entity, row_id, field) DO UPDATE SET value = excluded.value, hlc = excluded.hlc, "
        "device_id = excluded.device_id, server_seq = excluded.server_seq",
        [(op.team_id, op.entity, op.row_id, op.field, value, op.hlc, op.device_id, seq)
         for seq, op, value in last.values()],
    )


class ArrayDb(Db, Protocol):
    """A connection that takes arrays as parameters (PostgreSQL): a list of keys is one `= ANY(?)`
    parameter and many rows are one `unnest` statement, so the statement stays short. psycopg
    parses a statement of more than 50 parameters anew in Python on every call (~4 ms for 2,750),
    and caches and prepares a short one."""

    arrays: bool


def _uses_arrays(db: Db) -> bool:
    return bool(getattr(db, "arrays", False))


def _in(db: Db, column: str, values: Sequence[Any]) -> str:
    """`column IN (?, …)`, or on PostgreSQL `column = ANY(?)`; the parameters: `_values`."""
    return f"{column} = ANY(?)" if _uses_arrays(db) else f"{column} IN ({_marks(values)})"


def _values(db: Db, values: Sequence[Any]) -> list[Any]:
    return [list(values)] if _uses_arrays(db) else list(values)


def _insert_rows(db: Db, table: str, types: Sequence[str], tail: str, rows: Sequence[Sequence[Any]]) -> None:
    """INSERT `rows` into `table(columns)` (`tail`: an ON CONFLICT clause): `executemany` on
    SQLite, one `INSERT … SELECT FROM unnest(?::type[], …)` on PostgreSQL."""
    if not rows:
        return
    if not _uses_arrays(db):
        db.executemany(f"INSERT INTO {table} VALUES ({_marks(rows[0])}){tail}", rows)
        return
    arrays = ", ".join(f"?::{kind}[]" for kind in types)
    db.execute(f"INSERT INTO {table} SELECT * FROM unnest({arrays}){tail}",
               [list(column) for column in zip(*rows, strict=True)])


def _store_conflicts(db: Db, conflicts: Sequence[tuple[Op, FieldState, bool]], at: str) -> None:
    db.executemany(
        "INSERT INTO conflicts(op_id, team_id, entity, row_id, field, current_value, current_hlc, "
        "current_device_id, current_seq, incoming_value, incoming_hlc, incoming_device_id, "
        "incoming_base_seq, incoming_won, detected_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [(op.op_id, op.team_id, op.entity, op.row_id, op.field, _text_of(current), current.hlc,
          current.device_id, current.server_seq, compact_json(op.value), op.hlc, op.device_id,
          op.base_seq, int(incoming_won), at) for op, current, incoming_won in conflicts],
    )


# A row of `table` belongs to a record whose tombstone was set before the cutoff (`?`).
_DELETED_BEFORE = (
    "EXISTS (SELECT 1 FROM fields d JOIN changes c ON c.server_seq = d.server_seq "
    "WHERE d.entity = {table}.entity AND d.row_id = {table}.row_id AND d.field = 'deleted' "
    "AND d.value = 'true' AND c.received_at < ?)"
)
# The fields that name another record by its id. A visit note is one whole-record value: its
# references are read from its JSON.
_REFERENCES = tuple(sorted(
    {f.name for cls in ENTITY_TYPES.values() for f in dataclasses.fields(cast(Any, cls))
     if f.name.endswith("_id") and f.name not in ("id", "team_id")} | {"supersedes"}))


def _deleted_before(db: Db, cutoff: Sequence[Any]) -> set[tuple[str, str]]:
    """The records deleted before the horizon that still hold more than their tombstone."""
    rows = db.execute(
        "SELECT DISTINCT d.entity, d.row_id FROM fields d JOIN changes c ON c.server_seq = "
        "d.server_seq WHERE d.field = 'deleted' AND d.value = 'true' AND c.received_at < ? "
        "AND EXISTS (SELECT 1 FROM fields o WHERE o.entity = d.entity AND o.row_id = d.row_id "
        "AND o.field <> 'deleted')", cutoff).fetchall()
    return {(str(entity), str(row_id)) for entity, row_id in rows}


def _referenced_by_live(db: Db, candidates: set[str]) -> set[str]:
    """Which of the candidate ids a live record refers to (one pass over the reference fields,
    none when there are no candidates)."""
    if not candidates:
        return set()
    live = ("NOT EXISTS (SELECT 1 FROM fields x WHERE x.entity = r.entity AND x.row_id = r.row_id "
            "AND x.field = 'deleted' AND x.value = 'true')")
    found: set[str] = set()
    for (value,) in db.execute(
            f"SELECT r.value FROM fields r WHERE {_in(db, 'r.field', _REFERENCES)} AND {live}",
            _values(db, _REFERENCES)):
        target = json.loads(value)
        if isinstance(target, str) and target in candidates:
            found.add(target)
    for (value,) in db.execute(
            f"SELECT r.value FROM fields r WHERE r.field = ? AND {live}", (WHOLE_RECORD,)):
        whole = json.loads(value)
        if isinstance(whole, dict):
            found.update(v for k, v in whole.items()
                         if k in _REFERENCES and isinstance(v, str) and v in candidates)
    return found


def _by_entity(keys: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for entity, row_id in sorted(keys):
        grouped.setdefault(entity, []).append(row_id)
    return grouped


def _forget(db: Db, table: str, where: str, params: Sequence[Any]) -> int:
    """Delete the rows of `table` matching `where`; how many there were."""
    (count,) = db.execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()
    db.execute(f"DELETE FROM {table} WHERE {where}", params)
    return int(count)


def _users_of(db: Db, installations: Sequence[str]) -> dict[str, str]:
    """The users of installations (a conflict's other side, for the user's list), where a
    device of this server is bound to them."""
    users: dict[str, str] = {}
    for chunk in _chunks(installations):
        rows = db.execute(
            "SELECT installation, user_id FROM devices WHERE " + _in(db, "installation", chunk),
            _values(db, chunk),
        ).fetchall()
        users.update((installation, user) for installation, user in rows)
    return users


def _highest(db: Db, who: Principal) -> int:
    teams = sorted(who.team_ids)
    if not teams:
        return 0
    sql, params = highest_query(teams)
    return int(db.execute(sql, params).fetchone()[0] or 0)


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values)) or "NULL"


_CHANGE_COLUMNS = "server_seq, op_id, entity, row_id, team_id, field, value, hlc, device_id"
# One team's changes after a cursor, and one team's last change, each a range of the index
# `changes_by_team (team_id, server_seq)` read in its order. `team_id = ? AND server_seq > ?
# ORDER BY server_seq` says the same, but leaves the planner the primary key: PostgreSQL then
# walks `server_seq` from the cursor and filters out the other teams' rows — with statistics
# it often does, and the generic plan a statement psycopg has prepared may get does for every
# team — and for a team with nothing after the cursor that walk reads the rest of the history
# (900,000 rows, 120 ms, in a server of 1,000,000 changes over 20 teams). The row comparison with the
# bound on `team_id` selects exactly the same rows, is no range of the primary key, and the
# order asked for is only this index's: its range scan is the plan on PostgreSQL and SQLite.
_TEAM_AFTER = (f"SELECT {_CHANGE_COLUMNS} FROM changes WHERE (team_id, server_seq) > (?, ?) "
               "AND team_id <= ? ORDER BY team_id, server_seq LIMIT ?")
_TEAM_LAST = ("SELECT server_seq FROM changes WHERE (team_id, server_seq) <= (?, ?) AND team_id >= ? "
              "ORDER BY team_id DESC, server_seq DESC LIMIT 1")


def _each_team(member: str, teams: Sequence[str]) -> str:
    """`member` once per team, UNION ALL. Each is wrapped in a subquery of its own: SQLite takes
    ORDER BY and LIMIT only at the end of a compound SELECT, for all of it."""
    return " UNION ALL ".join(f"SELECT * FROM ({member}) AS team{n}" for n in range(len(teams)))


def pull_query(teams: Sequence[str], cursor: int, limit: int) -> tuple[str, list[Any]]:
    """The statement and parameters for the first `limit` changes of `teams` after `cursor`, in
    `server_seq` order: a bounded range scan per team (at most `limit` rows each), merged. With
    `team_id IN (…)` instead, PostgreSQL read every row of the teams after the cursor and sorted
    them (no statistics yet: 60–180 ms at cursor 0 of 1,000,000 changes, growing with the
    history), or walked the primary key as above."""
    return (
        f"SELECT {_CHANGE_COLUMNS} FROM ({_each_team(_TEAM_AFTER, teams)}) AS page "
        "ORDER BY server_seq LIMIT ?",
        [*(value for team in teams for value in (team, cursor, team, limit)), limit],
    )


def highest_query(teams: Sequence[str]) -> tuple[str, list[Any]]:
    """The statement and parameters for the greatest `server_seq` of `teams` (NULL: none): the
    last entry of each team's range of the index (`max(server_seq) … team_id IN (…)` walked the
    primary key backwards past every other team's change, 110–200 ms for quiet teams)."""
    return (
        f"SELECT max(server_seq) FROM ({_each_team(_TEAM_LAST, teams)}) AS last",
        [value for team in teams for value in (team, MAX_COUNT, team)],
    )


def _change(row: Sequence[Any]) -> PulledChange:
    # The value as stored: the page is written with its text (`PullResponse.encode`).
    return PulledChange(row[0], row[1], row[2], row[3], row[4], row[5], JsonText(row[6]), row[7],
                        row[8])


def _changes_after(db: Db, teams: list[str], cursor: int, limit: int) -> list[PulledChange]:
    if not teams:
        return []
    sql, params = pull_query(teams, cursor, limit)
    return [_change(row) for row in db.execute(sql, params).fetchall()]


def _page(db: Db, teams: list[str], cursor: int, limit: int) -> tuple[list[PulledChange], bool]:
    """The first `limit` changes after `cursor` and the rest of the last one's edit (the changes
    right after it of the same entity, row and hlc: a page never splits a record created in one
    edit); and whether any change follows the page. One more change than the page is read, and
    then `_EXTEND_STEP` at a time: the first that does not continue the edit says there is more,
    so a page is mostly one statement."""
    found = _changes_after(db, teams, cursor, limit + 1)
    page, ahead, asked = found[:limit], found[limit:], 1
    edit = (page[-1].entity, page[-1].row_id, page[-1].hlc) if page else None
    while ahead:
        for change in ahead:
            if (change.entity, change.row_id, change.hlc) != edit:
                return page, True
            page.append(change)
        if len(ahead) < asked:
            break
        ahead, asked = _changes_after(db, teams, page[-1].server_seq, _EXTEND_STEP), _EXTEND_STEP
    return page, False


def _revoke(db: Db, device_ids: list[str], at: str) -> None:
    for device_id in device_ids:
        db.execute(
            "UPDATE devices SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL", (at, device_id)
        )
        db.execute(
            "UPDATE tokens SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL", (at, device_id)
        )


@dataclass
class _Stopwatch:
    """How long a push takes to its commit, and how much of that it waits for what other pushes
    hold (SQLite's write lock or a pooled connection, the device row, its teams' locks, the
    counter): the log says both, so a slow server shows whether it is busy or queueing."""

    start: float = dataclass_field(default_factory=time.perf_counter)
    waited: float = 0.0

    @contextmanager
    def waiting(self) -> Iterator[None]:
        began = time.perf_counter()
        try:
            yield
        finally:
            self.waited += time.perf_counter() - began

    def summary(self) -> str:
        took = (time.perf_counter() - self.start) * 1000
        return f"{took:.0f} ms ({self.waited * 1000:.0f} ms waiting for locks)"


def _log_batch(
    who: Principal, request: PushRequest, results: tuple[PushResult, ...], watch: _Stopwatch
) -> None:
    # Counts and ids only: values may hold CPR numbers and notes.
    counts: dict[str, int] = {}
    for result in results:
        key = f"{result.status}/{result.reason}" if result.reason else str(result.status)
        counts[key] = counts.get(key, 0) + 1
    log.info("device %s (user %s) batch %d: %s in %s", who.device_id, who.user_id, request.batch_seq,
             ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "empty", watch.summary())

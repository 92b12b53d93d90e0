"""A push, and a small team's digest, read what they need by key, however much the server
holds: the plan of every statement they run walks no table. On PostgreSQL `entity = ? AND row_id
= ANY(?)` was planned as a walk through every row of the entity (thousands of rows removed by a
filter) and a plain join of the keys as a hash of the whole table, so a push took longer the
fuller the server (bench/server_growth.py: 44 ms empty, 233 ms at 90,000 changes); and a digest,
with only the primary key (entity first), read every team's fields of an entity."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pytest

from feltkonsulent.sync.protocol import PushRequest
from feltkonsulent.sync.server.sql import Db, Rows, SqlStorage
from feltkonsulent.sync.server.storage import Principal

from ..conftest import ServerDatabase
from .helpers import batch, op

BIG_TABLES = ("changes", "fields", "records")
TEAM = "plans"


class Recording:
    """A `Db` that notes every statement run through it, with its parameters."""

    def __init__(self, db: Db, statements: list[tuple[str, Sequence[Any]]]) -> None:
        self._db = db
        self._statements = statements
        self.arrays = getattr(db, "arrays", False)  # PostgreSQL's array parameters (sql.ArrayDb)

    def execute(self, sql: str, params: Sequence[Any] = (), /) -> Rows:
        self._statements.append((sql, params))
        return self._db.execute(sql, params)

    def executemany(self, sql: str, rows: Any, /) -> Any:
        return self._db.executemany(sql, rows)


def _fill(storage: SqlStorage, who: Principal, now: int) -> None:
    """3,000 companies of 8 fields and 1,000 visit notes: 25,000 changes and fields."""
    for n in range(50):
        ops = [op(TEAM, who.device_id, now, entity="companies", row_id=f"c{n}-{r}", field=f, value=f"{f} {r}")
               for r in range(60) for f in ("name", "cvr", "street", "postal_code", "city", "industry",
                                            "sector", "notes")][:480]
        ops += [op(TEAM, who.device_id, now, entity="aftercare_visits", row_id=f"v{n}-{r}", field="*",
                   value={"notes": "Besøg", "n": r}) for r in range(20)]
        storage.push(who, PushRequest.from_json(batch(who.device_id, n + 1, ops)), now)


def _scans(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _scans(child)


def _walks(storage: SqlStorage, kind: str, sql: str, params: Sequence[Any]) -> list[str]:
    """What in the statement's plan reads a big table other than by key (empty: nothing)."""
    found = []
    with storage._transaction(write=False) as db:
        if kind == "sqlite":
            for row in db.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall():
                detail = str(row[-1])
                # A full scan, or a search by the entity alone (every row of the entity).
                if any(detail.startswith(f"SCAN {table}") for table in BIG_TABLES) or detail.endswith(
                        "(entity=?)"):
                    found.append(detail)
            return found
        (plan,) = db.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params).fetchone()[0]
    for node in _scans(plan["Plan"]):
        if node.get("Relation Name") not in BIG_TABLES:
            continue
        removed = node.get("Rows Removed by Filter", 0) + node.get("Rows Removed by Index Recheck", 0)
        if node["Node Type"] == "Seq Scan" or removed > 100:
            found.append(f"{node['Node Type']} on {node['Relation Name']}, {removed} rows removed")
    return found


@contextmanager
def _recording(
    storage: SqlStorage, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[tuple[str, Sequence[Any]]]]:
    """The statements the storage runs inside the block (its reads are planned afterwards)."""
    statements: list[tuple[str, Sequence[Any]]] = []
    opened = storage._transaction

    @contextmanager
    def recorded(*, write: bool) -> Iterator[Db]:
        with opened(write=write) as db:
            yield Recording(db, statements)

    monkeypatch.setattr(storage, "_transaction", recorded)
    yield statements
    monkeypatch.undo()


def _reads(statements: list[tuple[str, Sequence[Any]]]) -> list[tuple[str, Sequence[Any]]]:
    return [(sql, params) for sql, params in statements if sql.lstrip().upper().startswith("SELECT")]


@pytest.fixture
def full(server_database: ServerDatabase) -> Iterator[tuple[SqlStorage, Principal]]:
    """A server holding 25,000 changes of one team, and the principal who made them."""
    storage = server_database.open()
    now = 1_790_000_000_000
    storage.add_user(TEAM, "anna", now)
    who = Principal("anna", storage.add_device("anna", "laptop", now), frozenset({TEAM}))
    _fill(storage, who, now)
    yield storage, who
    storage.close()


def test_a_push_into_a_full_server_reads_by_key(full: tuple[SqlStorage, Principal],
                                                server_database: ServerDatabase,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    storage, who = full
    now, device = 1_790_000_000_000, who.device_id
    # Edits of held records, new records, a visit note again.
    ops = [op(TEAM, device, now + 1, entity="companies", row_id=f"c{n}-{n}", field="notes", value="ny",
              base_seq=1) for n in range(40)]
    ops += [op(TEAM, device, now + 1, entity="companies", row_id=f"new-{n}", field="name") for n in range(20)]
    ops.append(op(TEAM, device, now + 1, entity="aftercare_visits", row_id="v3-3", field="*", value={"n": 1}))
    with _recording(storage, monkeypatch) as statements:
        storage.push(who, PushRequest.from_json(batch(device, 51, ops)), now + 10)
    reads = _reads(statements)
    assert any("fields" in sql for sql, _ in reads) and any("records" in sql for sql, _ in reads)
    for sql, params in reads:
        assert _walks(storage, server_database.kind, sql, params) == [], sql


def test_a_small_teams_digest_reads_only_its_own_fields(full: tuple[SqlStorage, Principal],
                                                        server_database: ServerDatabase,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    storage, _ = full
    now = 1_790_000_000_000
    storage.add_user("small", "bo", now)
    bo = Principal("bo", storage.add_device("bo", "laptop", now), frozenset({"small"}))
    ops = [op("small", bo.device_id, now, entity="companies", row_id=f"s{n}", field=f)
           for n in range(5) for f in ("name", "cvr")]
    storage.push(bo, PushRequest.from_json(batch(bo.device_id, 1, ops)), now)
    with _recording(storage, monkeypatch) as statements:
        answer = storage.digest(bo, {"companies": ("name", "cvr", "city")}, now)
    assert answer.entities["companies"].count == 10
    for sql, params in _reads(statements):
        assert _walks(storage, server_database.kind, sql, params) == [], sql

"""One recorded history replayed into the SQLite and the PostgreSQL storage (SYNC.md): every
answer the same (server_epoch aside) and the same rows in the end.

The history is driven straight at the storage with a fixed clock: several devices and teams,
conflicts won and lost, superseded and rejected ops (forbidden_team, unknown_entity), a field
the server does not know, visit notes (`*`), a resync replaying stored op_ids, two ops of one
field in one batch, replays of stored batches, a batch_gap, a batch_mismatch, clock_ahead,
revocation and expiry, pulls with pages of 1, 2 and 3.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from feltkonsulent.storage.codec import SPECS
from feltkonsulent.sync.protocol import MAX_AHEAD_MS, PushRequest
from feltkonsulent.sync.server.postgres import PostgresStorage
from feltkonsulent.sync.server.sql import SqlStorage
from feltkonsulent.sync.server.sqlite import SqliteStorage
from feltkonsulent.sync.server.storage import Denied, Principal, Refused, token_hash
from tests import factories

from ..conftest import read_rows
from ..pg_cluster import Cluster

NOW = 1_795_000_000_000  # 2026-11-18, the fixed clock
DAY = 86_400_000
# (team, user, device): devices of users in one or two teams.
DEVICES = [("a", "anna", "laptop"), ("a", "bo", "laptop"), ("b", "bo", "laptop"),
           ("b", "carl", "laptop"), ("a", "dina", "old laptop")]
TABLES = ("teams", "users", "memberships", "records", "changes", "fields", "conflicts", "counters")


class History:
    """Makes ops and batches with predictable ids; records what a storage answers."""

    def __init__(self, storage: SqlStorage) -> None:
        self.storage = storage
        self.answers: list[Any] = []
        self._ids = itertools.count(1)
        self.batch_seq: dict[str, int] = {}

    def op(self, user: str, team: str, row: str, field: str, value: Any, *, at: int = 0,
           base: int | None = None, entity: str = "companies", op_id: str | None = None) -> dict[str, Any]:
        return {"op_id": op_id or f"op-{next(self._ids):04d}", "entity": entity, "row_id": row,
                "team_id": team, "field": field, "value": value, "hlc": (NOW - 60_000 + at) << 16,
                "device_id": f"install-{user}", "base_seq": base}

    def principal(self, user: str, now: int = NOW) -> Principal | Denied:
        return self.storage.authenticate(token_hash(f"token-{user}"), now)

    def refusal(self, user: str) -> tuple[str, str | None]:
        """Why the user's token is refused, and whose it is (the device's id is made at random
        by each storage: left out)."""
        denied = self.principal(user)
        assert isinstance(denied, Denied)
        return denied.reason, denied.user_id

    def push(self, user: str, ops: list[dict[str, Any]], *, seq: int | None = None,
             now: int = NOW) -> dict[str, Any]:
        """Push a batch (the next number, or `seq`) and record the answer; returns the request."""
        number = seq if seq is not None else self.batch_seq.get(user, 0) + 1
        body = {"protocol_version": 1, "schema_version": 5, "device_id": f"install-{user}",
                "batch_seq": number, "ops": ops}
        self.send(user, body, now)
        return body

    def send(self, user: str, body: dict[str, Any], now: int = NOW) -> None:
        who = self.principal(user, now)
        assert who is not None, user
        try:
            answer = self.storage.push(who, PushRequest.from_json(body), now).to_json()
            answer.pop("server_epoch")
            self.batch_seq[user] = max(self.batch_seq.get(user, 0), body["batch_seq"])
        except Refused as refused:
            answer = {"refused": refused.status, **refused.body.to_json()}
        self.answers.append(("push", user, body["batch_seq"], answer))

    def pull_all(self, user: str, limit: int) -> None:
        who = self.principal(user)
        assert who is not None
        cursor, more = 0, True
        while more:
            page = self.storage.pull(who, cursor, limit, NOW).to_json()
            page.pop("server_epoch")
            self.answers.append(("pull", user, cursor, limit, page))
            cursor, more = page["next_cursor"], page["has_more"]


def administer(storage: SqlStorage) -> None:
    for team, user, _device in DEVICES:
        storage.add_user(team, user, NOW - DAY)
    for team, user, device in DEVICES:
        if team == "b" and user == "bo":
            continue  # one device of bo's, in both teams
        device_id = storage.add_device(user, device, NOW - DAY)
        life = DAY // 2 if user == "dina" else 30 * DAY  # dina's token has expired by NOW
        storage.issue_token(device_id, token_hash(f"token-{user}"), NOW - DAY + life, NOW - DAY)


def replay(h: History) -> None:
    administer(h.storage)
    h.answers.append(("expired", h.refusal("dina")))
    # A whole visit note, as a laptop writes it (the server checks it against the value boundary).
    visit = factories.visit("0193c5e2-7b1a-7c3d-9e4f-0a1b2c3d4e5f", team_id="a", notes="Borgeren trives")
    note = {k: v for k, v in SPECS["aftercare_visits"].to_wire(visit).items() if k != "id"}
    first = h.push("anna", [
        h.op("anna", "a", "r1", "name", "Bageriet Ørsted ApS"),
        h.op("anna", "a", "r1", "cvr", "12345678"),
        h.op("anna", "a", "r1", "future_field", {"new": [1, 2.5, None, True]}),
        h.op("anna", "a", "v1", "*", note, entity="aftercare_visits"),
        h.op("anna", "b", "r9", "name", "not anna's team"),
        h.op("anna", "a", "s1", "name", "x", entity="spaceships"),
        h.op("anna", "a", "r1", "phone", "1", at=1),
        h.op("anna", "a", "r1", "phone", "2", at=2),  # a later op of the batch sees the first
        h.op("anna", "a", "r1", "email", "late", at=5),
        h.op("anna", "a", "r1", "email", "early", at=3),  # loses to the op before it
    ])
    h.send("anna", first)  # a replay of a stored batch
    h.push("bo", [
        h.op("bo", "a", "r1", "name", "Bageriet Ørsted A/S", at=10, base=0),  # conflict, wins
        h.op("bo", "a", "r1", "cvr", "87654321", at=-10, base=0),  # conflict, loses
        h.op("bo", "b", "r1", "name", "another team's record"),  # forbidden_team
        h.op("bo", "b", "r2", "name", "Team b's company", at=20),
        h.op("bo", "a", "v1", "*", {**note, "notes": "again"}, entity="aftercare_visits", at=30),
    ])
    h.push("anna", [h.op("anna", "a", "r1", "name", "gap")], seq=5)  # batch_gap
    h.push("anna", [h.op("anna", "a", "r1", "name", "other")], seq=1)  # batch_mismatch
    ahead = h.op("anna", "a", "r1", "name", "ahead")
    ahead["hlc"] = (NOW + MAX_AHEAD_MS + 1) << 16
    h.push("anna", [ahead])  # clock_ahead: nothing stored, the number not used up
    h.push("anna", [
        h.op("anna", "a", "r1", "name", "Bageriet Ørsted", at=40, base=11),
        h.op("anna", "a", "r1", "cvr", "11112222", at=-20, base=12),  # superseded
        h.op("anna", "a", "r3", "deleted", True, at=40),
    ])
    resync = h.op("carl", "b", "r2", "name", "Team b's company", at=20, op_id="op-0014")
    h.push("carl", [resync, h.op("carl", "b", "r2", "cvr", "33334444", at=50)])  # op-0014: bo's
    for limit in (1, 2, 3):
        for user in ("anna", "bo", "carl"):
            h.pull_all(user, limit)
    h.storage.revoke_user("carl", NOW)
    h.answers.append(("revoked", h.refusal("carl")))
    h.answers.append(("users", h.storage.users()))


def contents(storage: SqlStorage) -> dict[str, Any]:
    """Every table, rows sorted (ids the storages make at random left out)."""
    tables: dict[str, Any] = {t: sorted(read_rows(storage, f"SELECT * FROM {t}"), key=repr) for t in TABLES}
    queries = {
        "batches": "SELECT installation, batch_seq, payload_sha256, schema_version, received_at "
                   "FROM batches",
        "devices": "SELECT user_id, name, installation, created_at, revoked_at, last_seen_at FROM devices",
        "tokens": "SELECT token_hash, created_at, expires_at, revoked_at FROM tokens",
    }
    tables |= {name: sorted(read_rows(storage, sql), key=repr) for name, sql in queries.items()}
    return tables


@pytest.fixture
def storages(tmp_path: Path, pg_cluster: Cluster) -> Iterator[tuple[SqlStorage, SqlStorage]]:
    lite = SqliteStorage.open(tmp_path / "server.db", create=True)
    pg = PostgresStorage.open(pg_cluster.new_database(), create=True, pool_size=2)
    yield lite, pg
    lite.close()
    pg.close()


def test_one_history_gives_the_same_answers_and_rows_on_sqlite_and_postgres(
    storages: tuple[SqlStorage, SqlStorage],
) -> None:
    lite, pg = History(storages[0]), History(storages[1])
    replay(lite)
    replay(pg)
    assert len(lite.answers) == len(pg.answers) > 40
    for ours, theirs in zip(lite.answers, pg.answers, strict=True):
        assert ours == theirs
    assert contents(storages[0]) == contents(storages[1])
    answers = repr(lite.answers)
    for shown in ("forbidden_team", "unknown_entity", "superseded", "conflict", "batch_gap",
                  "batch_mismatch", "clock_ahead", "future_field", "'*'"):
        assert shown in answers, shown  # the history covers what it says it covers

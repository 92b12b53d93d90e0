"""What the property and fault tests of sync share: clients that are encrypted databases with
their own fake clock, sync to quiet, and the comparison that ends every run — each client's
tables against each other, against the server's `fields`, and against the last-writer-wins
outcome of every op any client ever made (so no acknowledged write can be lost unnoticed)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from feltkonsulent.domain.ids import TeamId
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage import inbox
from feltkonsulent.storage.changes import WHOLE_RECORD, pending_changes, pending_count
from feltkonsulent.storage.codec import SPECS
from feltkonsulent.storage.database import open_database
from feltkonsulent.storage.keys import RawKey
from feltkonsulent.sync.client import Retry, RoundSummary, sync_round
from tests.conftest import FakeClock
from tests.sync.conftest import SyncServer

KEY = RawKey(bytes(range(32)))
NO_WAIT = Retry(attempts=3, first_delay=0, sleep=lambda _: None)
EMPTY: tuple[object, ...] = (None, [], False)  # values a new record does not send (Repository._created)

Key = tuple[str, str, str]  # entity, row_id, field


@dataclass
class Client:
    """One laptop: its database file, its clock, its user on the server."""

    name: str
    path: Path
    team: str
    user: str
    clock: FakeClock
    ws: Workspace = field(init=False)

    def __post_init__(self) -> None:
        self.open(create=True)

    def open(self, *, create: bool = False) -> None:
        store = open_database(self.path, KEY, create=create, clock=self.clock, actor=self.name)
        if create:
            store.set_team(TeamId(self.team))
        self.ws = Workspace(store)

    def restart(self) -> None:
        """Close the database and open the same file again (the app restarted)."""
        self.ws.close()
        self.open()

    def close(self) -> None:
        self.ws.close()

    @property
    def device(self) -> str:
        return str(self.ws.store.device_id)

    def token(self, server: SyncServer) -> str:
        return server.token_for(self.team, self.user, device=self.device)

    def sync(self, server: SyncServer, **options: Any) -> RoundSummary:
        options.setdefault("retry", NO_WAIT)
        return sync_round(self.ws.store, server.url, self.token(server), **options)


def new_client(root: Path, name: str, team: str, *, skew_s: float = 0) -> Client:
    clock = FakeClock(datetime.now(UTC))
    clock.advance(seconds=skew_s)
    return Client(name, root / f"{name}.db", team, f"{team}-{name}", clock)


def sync_until_quiet(clients: list[Client], server: SyncServer, rounds: int = 6) -> None:
    """Rounds for everyone until a whole pass moves nothing and nothing is pending."""
    for _ in range(rounds):
        moved = [c.sync(server) for c in clients]
        assert not any(s.mismatch for s in moved), [s.mismatch for s in moved]
        if all(s == RoundSummary() for s in moved) and not any(
            pending_count(c.ws.store) for c in clients
        ):
            return
    raise AssertionError(f"not quiet after {rounds} passes of rounds")


# -- what a database and the server hold -------------------------------------------------------
def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False))


def records(ws: Workspace) -> dict[tuple[str, str], dict[str, Any]]:
    """Every record of the database, tombstones included, as wire values plus `deleted`."""
    held: dict[tuple[str, str], dict[str, Any]] = {}
    conn = ws.store.conn
    for entity, spec in SPECS.items():
        columns = [f.name for f in spec.fields]
        for row in conn.execute(f"SELECT {', '.join(columns)}, deleted FROM {spec.table}"):
            record = spec.from_row(dict(zip(columns, row, strict=False)))
            wire = _plain(spec.to_wire(record))
            wire["deleted"] = bool(row[-1])
            held[(entity, wire["id"])] = wire
    return held


def server_fields(server: SyncServer, team: str) -> dict[Key, tuple[Any, int, str]]:
    """The server's current value of every field of the team: value, hlc, device."""
    rows = server.rows(
        "SELECT entity, row_id, field, value, hlc, device_id FROM fields WHERE team_id = ?", (team,)
    )
    return {(r[0], r[1], r[2]): (json.loads(r[3]), r[4], r[5]) for r in rows}


def server_history(server: SyncServer, team: str) -> dict[str, Any]:
    """Everything the server holds for the team, to see that a replay changes nothing."""
    return {
        table: server.rows(f"SELECT * FROM {table} WHERE team_id = ? ORDER BY 1, 2", (team,))
        for table in ("changes", "fields", "conflicts", "records")
    }


# The server's tables, parents first (a restore deletes in the reverse order).
SERVER_TABLES = ("server_info", "counters", "teams", "users", "memberships", "devices", "tokens",
                 "batches", "records", "changes", "fields", "conflicts")
Backup = dict[str, list[tuple[Any, ...]]]


def back_up(server: SyncServer) -> Backup:
    """Every row of the server's database, read in one transaction (on either storage)."""
    with server.storage._transaction(write=False) as db:
        return {t: [tuple(r) for r in db.execute(f"SELECT * FROM {t}").fetchall()]
                for t in SERVER_TABLES}


def restore_backup(server: SyncServer, backup: Backup) -> None:
    """Put a backup back under the running server — what `server restore` does to a stopped one
    — and give it a new server_epoch."""
    with server.storage._transaction(write=True) as db:
        for table in reversed(SERVER_TABLES):
            db.execute(f"DELETE FROM {table}")
        for table in SERVER_TABLES:
            if backup[table]:
                marks = ", ".join("?" * len(backup[table][0]))
                db.executemany(f"INSERT INTO {table} VALUES ({marks})", backup[table])
    server.storage.new_epoch()


def server_op_ids(server: SyncServer, team: str) -> list[str]:
    return [op_id for op_id, *_ in server_ops(server, team)]


def server_ops(server: SyncServer, team: str) -> list[tuple[str, Key, int, str]]:
    """The server's change log of the team: op_id, field, hlc, device."""
    rows = server.rows(
        "SELECT op_id, entity, row_id, field, hlc, device_id FROM changes WHERE team_id = ?", (team,)
    )
    return [(r[0], (r[1], r[2], r[3]), r[4], r[5]) for r in rows]


@dataclass(frozen=True)
class Made:
    """An op some client made (read from its outbox right after the edit)."""

    op_id: str
    key: Key
    value: Any
    hlc: int
    device_id: str


def collect(ws: Workspace, made: dict[str, Made]) -> list[Made]:
    """Note every op in the outbox not noted before (call right after each edit); returns them."""
    fresh = []
    for change in pending_changes(ws.store):
        if change.op_id not in made:
            made[change.op_id] = Made(change.op_id, (change.entity, change.row_id, change.field),
                                      _plain(change.value), change.hlc, change.device_id)
            fresh.append(made[change.op_id])
    return fresh


def expected_fields(made: dict[str, Made]) -> dict[Key, tuple[Any, int, str]]:
    """The last writer of every field: the op with the greatest (hlc, device_id)."""
    best: dict[Key, Made] = {}
    for op in made.values():
        current = best.get(op.key)
        if current is None or (op.hlc, op.device_id) > (current.hlc, current.device_id):
            best[op.key] = op
    return {k: (op.value, op.hlc, op.device_id) for k, op in best.items()}


def client_view(held: dict[tuple[str, str], dict[str, Any]], fields: set[Key]
                ) -> dict[Key, Any]:
    """The values a client holds for the server's fields, in the server's shape."""
    view: dict[Key, Any] = {}
    for (entity, row_id, name) in fields:
        record = held.get((entity, row_id))
        if record is None:
            view[(entity, row_id, name)] = "<missing record>"
        elif name == WHOLE_RECORD:
            view[(entity, row_id, name)] = {k: v for k, v in record.items()
                                            if k not in ("id", "deleted")}
        else:
            view[(entity, row_id, name)] = record.get(name, "<unknown field>")
    return view


def assert_converged(clients: list[Client], server: SyncServer, made: dict[str, Made]) -> None:
    """SYNC.md 1, 2 and 3 at the end of a run (after `sync_until_quiet`):
    - every client holds exactly the same live records, and no record is live on one client and
      deleted on another (a record deleted and erased by a compaction before a client ever saw
      it is on that client not at all);
    - the server holds, for every field, the value of the op with the greatest (hlc, device)
      of all ops ever made: no write lost, none invented — of a deleted record only its
      tombstone, which is all a compaction leaves;
    - each client's records agree with the server field by field (and fields the server never
      got are empty), nothing pending, nothing staged, nothing rejected;
    - each op went into the server's change log at most once, and every op there is one a
      client made (or a resync's copy of one, with its stamp)."""
    team = clients[0].team
    first = records(clients[0].ws)
    for client in clients:
        assert pending_count(client.ws.store) == 0, client.name
        assert inbox.staged_count(client.ws.store) == 0, client.name
        assert client.ws.store.conn.execute("SELECT count(*) FROM rejected_changes"
                                            ).fetchone()[0] == 0, client.name
        held = records(client.ws)
        assert _live(held) == _live(first), f"{client.name} differs from {clients[0].name}"
        both = held.keys() & first.keys()
        assert {k: held[k] for k in both} == {k: first[k] for k in both}, client.name
    on_server = server_fields(server, team)
    dead = {(e, r) for (e, r, f), v in on_server.items() if f == "deleted" and v[0] is True}
    assert _but_tombstones(on_server, dead) == _but_tombstones(expected_fields(made), dead), (
        "the server lost or invented a write")
    # A record deleted and erased by a compaction before this client ever saw it is not on the
    # client at all: its tombstone is nothing to compare (found by this test: created, deleted,
    # synced and compacted on one laptop before another pulled).
    values = {k: v[0] for k, v in _but_tombstones(on_server, dead).items()
              if k[:2] in first or k[:2] not in dead}
    assert client_view(first, set(values)) == values
    # A field the server never got is empty in the clients (it was never set).
    on_server_records = {(e, r) for (e, r, _) in on_server}
    assert first.keys() <= on_server_records, "records that are not on the server"
    assert set(_live(first)) == on_server_records - dead, "live records missing on a client"
    for (entity, row_id), record in _live(first).items():
        for name, value in record.items():
            if name != "id" and (entity, row_id, name) not in on_server and (
                entity, row_id, WHOLE_RECORD) not in on_server:
                assert value in EMPTY, (entity, row_id, name, value)
    ops = server_ops(server, team)
    ids = [op_id for op_id, *_ in ops]
    assert len(ids) == len(set(ids))
    # An op a resync sent again has a new op_id and the stamp of the op it stands for.
    stamps = {(op.key, op.hlc, op.device_id) for op in made.values()}
    invented = [op for op in ops if op[0] not in made and op[1:] not in stamps]
    assert not invented, f"the server holds ops no client made: {invented[:3]}"


def _live(held: dict[tuple[str, str], dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {k: v for k, v in held.items() if not v["deleted"]}


def _but_tombstones(fields: dict[Key, Any], dead: set[tuple[str, str]]) -> dict[Key, Any]:
    """The fields, with only the `deleted` field of a deleted record (a compaction erases the
    rest)."""
    return {k: v for k, v in fields.items() if (k[0], k[1]) not in dead or k[2] == "deleted"}


class Faulty(httpx.BaseTransport):
    """A real transport that follows a plan, one fault per request in order (then none):
    `drop_request` (never sent), `drop_response` (sent and handled, the answer lost),
    `duplicate` (sent twice, the second answer used — it must equal the first for a push).
    Every push the server answered 200 is kept in `handled` (body, token, answer)."""

    def __init__(self, plan: list[str], token: str,
                 handled: list[tuple[bytes, str, Any]] | None = None) -> None:
        self.inner = httpx.HTTPTransport()
        self.plan = list(plan)
        self.token = token
        self.handled = handled if handled is not None else []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        fault = self.plan.pop(0) if self.plan else "ok"
        if fault == "drop_request":
            raise httpx.ConnectError("dropped before sending", request=request)
        response = self._deliver(request)
        if fault == "duplicate":
            again = self._deliver(request)
            if request.url.path == "/v1/push":
                assert again.status_code == response.status_code
                if response.status_code == 200:
                    assert json.loads(again.content) == json.loads(response.content)
            response = again
        if fault == "drop_response":
            raise httpx.ReadTimeout("answer lost", request=request)
        return response

    def _deliver(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        content = response.read()
        response.close()
        if request.url.path == "/v1/push" and response.status_code == 200:
            self.handled.append((request.content, self.token, json.loads(content)))
        return httpx.Response(response.status_code, headers=response.headers, content=content,
                              request=request)

    def close(self) -> None:
        self.inner.close()

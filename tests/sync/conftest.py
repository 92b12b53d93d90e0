"""A real sync server for the sync tests: uvicorn on 127.0.0.1 on a free port, in a thread, over
a temporary server database — SQLite, and PostgreSQL in a throw-away cluster (`pg_cluster.py`).

`sync_server` yields a `SyncServer`: `url`, `database`, `storage`, `clock` (real time plus
`clock.offset_ms`), `token_for(team, user, device)`, `headers(token)` and `rows(sql)`. Every test
under tests/sync that uses it runs once per storage (a module may narrow that with
`SERVER_KINDS`). `start_server(database)` starts one over a given database (e.g. to restart a
server on the same one); `server_database` is a fresh one of each kind.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from feltkonsulent.sync.server.app import create_app, wall_ms
from feltkonsulent.sync.server.postgres import PostgresStorage
from feltkonsulent.sync.server.sql import SqlStorage
from feltkonsulent.sync.server.sqlite import SqliteStorage
from feltkonsulent.sync.server.storage import new_token, token_hash

from .pg_cluster import REQUIRE_ENV, Cluster, NoPostgres, running_cluster

SERVER_KINDS = ("sqlite", "postgres")

TOKEN_LIFE_MS = 86_400_000


class ServerClock:
    """The server's clock: real time, moved by `offset_ms` (a test may also pin `fixed_ms`)."""

    def __init__(self) -> None:
        self.offset_ms = 0
        self.fixed_ms: int | None = None

    def __call__(self) -> int:
        return (self.fixed_ms if self.fixed_ms is not None else wall_ms()) + self.offset_ms


@dataclass(frozen=True)
class ServerDatabase:
    """Where a test server keeps its data: a SQLite file or a PostgreSQL URL."""

    kind: str
    path: Path | None = None
    url: str | None = None

    def open(self, *, create: bool = True) -> SqlStorage:
        if self.url is not None:
            return PostgresStorage.open(self.url, create=create, pool_size=8)
        assert self.path is not None
        return SqliteStorage.open(self.path, create=create)


def read_rows(storage: SqlStorage, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Rows read straight from a storage's database (`?` placeholders), as tuples."""
    with storage._transaction(write=False) as db:
        return [tuple(row) for row in db.execute(sql, params).fetchall()]


class SyncServer:
    def __init__(self, url: str, database: ServerDatabase, storage: SqlStorage, clock: ServerClock) -> None:
        self.url = url
        self.database = database
        self.storage = storage
        self.clock = clock
        self._devices: dict[tuple[str, str], str] = {}
        self._tokens: dict[str, str] = {}

    def token_for(self, team: str, user: str, device: str = "laptop") -> str:
        """A valid token of `device` of `user`, a member of `team` (all made as needed; the same
        arguments give the same token)."""
        now = self.clock()
        self.storage.add_user(team, user, now)
        key = (user, device)
        if key not in self._devices:
            self._devices[key] = self.storage.add_device(user, device, now)
        device_id = self._devices[key]
        if device_id not in self._tokens:
            token = new_token()
            self.storage.issue_token(device_id, token_hash(token), now + TOKEN_LIFE_MS, now)
            self._tokens[device_id] = token
        return self._tokens[device_id]

    def device_id(self, user: str, device: str = "laptop") -> str:
        """The server's id of a device made by `token_for` (for `revoke_device`)."""
        return self._devices[(user, device)]

    @staticmethod
    def headers(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return read_rows(self.storage, sql, params)


@contextmanager
def start_server(database: ServerDatabase | Path, clock: ServerClock | None = None, *,
                 tls: dict[str, Any] | None = None, **app_options: Any) -> Iterator[SyncServer]:
    """`app_options` go to `create_app` (a limiter, behind_proxy, ...); `tls` to uvicorn's Config
    (ssl_certfile, ssl_keyfile): the server then speaks HTTPS."""
    if isinstance(database, Path):
        database = ServerDatabase("sqlite", path=database)
    clock = clock or ServerClock()
    storage = database.open()
    # IPPROTO_TCP, as uvicorn's own socket: TCP_NODELAY then applies, and a large answer does
    # not wait ~40 ms for the client's delayed acknowledgement (Nagle).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # log_config=None: leave the test process's logging alone. proxy_headers=False as `server
    # run`: the app alone decides whether X-Forwarded-For is taken.
    config = uvicorn.Config(create_app(storage, clock, **app_options), log_config=None,
                            access_log=False, lifespan="off", proxy_headers=False, **(tls or {}))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the sync server did not start")
        time.sleep(0.01)
    try:
        scheme = "https" if tls else "http"
        yield SyncServer(f"{scheme}://127.0.0.1:{port}", database, storage, clock)
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
        storage.close()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every sync test that uses a server database runs on each storage its module allows."""
    kinds = getattr(metafunc.module, "SERVER_KINDS", SERVER_KINDS)
    for name in ("sync_server", "server_database"):
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, kinds, indirect=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One PostgreSQL cluster for the session; skipped (or failed, with
    FELTKONSULENT_REQUIRE_POSTGRES=1) where PostgreSQL is not installed."""
    try:
        with running_cluster() as cluster:
            yield cluster
    except NoPostgres as missing:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{missing} and {REQUIRE_ENV}=1")
        pytest.skip(str(missing))


def _new_database(request: pytest.FixtureRequest, tmp_path: Path) -> ServerDatabase:
    kind = getattr(request, "param", "sqlite")
    if kind == "postgres":
        cluster: Cluster = request.getfixturevalue("pg_cluster")
        return ServerDatabase(kind, url=cluster.new_database())
    return ServerDatabase(kind, path=tmp_path / "server.db")


@pytest.fixture
def server_database(request: pytest.FixtureRequest, tmp_path: Path) -> ServerDatabase:
    """A fresh server database of the kind the test is parametrised with (SQLite by default)."""
    return _new_database(request, tmp_path)


@pytest.fixture
def sync_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SyncServer]:
    with start_server(_new_database(request, tmp_path)) as running:
        yield running

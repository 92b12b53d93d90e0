"""A real sync server for the sync tests: uvicorn on 127.0.0.1 on a free port, in a thread, over
a temporary SQLite server database.

`sync_server` yields a `SyncServer`: `url`, `db_path`, `storage`, `clock` (real time plus
`clock.offset_ms`), `token_for(team, user, device)` and `headers(token)`. `start_server(db_path)`
starts one over a given file (e.g. to restart a server on the same database).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from feltkonsulent.sync.server.app import create_app, wall_ms
from feltkonsulent.sync.server.sqlite import SqliteStorage
from feltkonsulent.sync.server.storage import new_token, token_hash

TOKEN_LIFE_MS = 86_400_000


class ServerClock:
    """The server's clock: real time, moved by `offset_ms` (a test may also pin `fixed_ms`)."""

    def __init__(self) -> None:
        self.offset_ms = 0
        self.fixed_ms: int | None = None

    def __call__(self) -> int:
        return (self.fixed_ms if self.fixed_ms is not None else wall_ms()) + self.offset_ms


class SyncServer:
    def __init__(self, url: str, db_path: Path, storage: SqliteStorage, clock: ServerClock) -> None:
        self.url = url
        self.db_path = db_path
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


@contextmanager
def start_server(db_path: Path, clock: ServerClock | None = None, *, tls: dict[str, Any] | None = None,
                 **app_options: Any) -> Iterator[SyncServer]:
    """`app_options` go to `create_app` (a limiter, behind_proxy, ...); `tls` to uvicorn's Config
    (ssl_certfile, ssl_keyfile): the server then speaks HTTPS."""
    clock = clock or ServerClock()
    storage = SqliteStorage.open(db_path, create=True)
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
        yield SyncServer(f"{scheme}://127.0.0.1:{port}", db_path, storage, clock)
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
        storage.close()


@pytest.fixture
def sync_server(tmp_path: Path) -> Iterator[SyncServer]:
    with start_server(tmp_path / "server.db") as running:
        yield running

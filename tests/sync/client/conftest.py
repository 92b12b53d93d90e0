"""Fixtures of the sync client's tests: several encrypted databases, each its own device."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import trustme

from feltkonsulent.domain.ids import TeamId
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage.database import open_database
from feltkonsulent.storage.keys import RawKey
from tests.conftest import FakeClock
from tests.sync.conftest import SyncServer, start_server

MakeWorkspace = Callable[..., Workspace]


@pytest.fixture
def clock() -> FakeClock:
    """The devices' clocks start at the real time: the sync server's clock is real time (a
    device far behind or ahead of it is a test's own choice)."""
    return FakeClock(datetime.now(UTC))


@pytest.fixture
def make_workspace(tmp_path: Path, key: RawKey, clock: FakeClock) -> Iterator[MakeWorkspace]:
    """`make_workspace("a")`: a new database file for one device, on the shared fake clock
    (or its own, `clock=`), in team `team` (default "team-1")."""
    opened: list[Workspace] = []

    def make(name: str, *, team: str = "team-1", own_clock: FakeClock | None = None) -> Workspace:
        store = open_database(
            tmp_path / f"{name}.db", key, create=True, clock=own_clock or clock, actor=name
        )
        store.set_team(TeamId(team))
        opened.append(Workspace(store))
        return opened[-1]

    yield make
    for ws in opened:
        ws.store.close()


@dataclass(frozen=True)
class HttpsServer:
    server: SyncServer
    ca_file: Path  # the throw-away CA that signed the server's certificate


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[HttpsServer]:
    """A real sync server speaking HTTPS on 127.0.0.1, its certificate from a CA made here."""
    ca = trustme.CA(organization_name="Test Kommune")
    cert = ca.issue_cert("127.0.0.1")
    certfile, keyfile, ca_file = tmp_path / "server.pem", tmp_path / "server.key", tmp_path / "ca.pem"
    cert.cert_chain_pems[0].write_to_path(str(certfile))
    cert.private_key_pem.write_to_path(str(keyfile))
    ca.cert_pem.write_to_path(str(ca_file))
    tls = {"ssl_certfile": str(certfile), "ssl_keyfile": str(keyfile)}
    with start_server(tmp_path / "https-server.db", tls=tls) as server:
        yield HttpsServer(server, ca_file)

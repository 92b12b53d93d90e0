"""Fixtures of the sync client's tests: several encrypted databases, each its own device."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from feltkonsulent.domain.ids import TeamId
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage.database import open_database
from feltkonsulent.storage.keys import RawKey
from tests.conftest import FakeClock

MakeWorkspace = Callable[..., Workspace]


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

"""Shared fixtures: a real encrypted database file in a temporary folder, and a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage.database import Store, open_database
from feltkonsulent.storage.keys import RawKey


class FakeClock:
    """The clock at the edge of the world: fixed, and moved on by the test."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's data folder (platformdirs: the default database, the journal of temporary
    files) in a folder of the test's own, never the user's."""
    folder = tmp_path_factory.mktemp("data-home")
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    return folder / "Feltkonsulent"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 22, 9, 30, tzinfo=UTC))


@pytest.fixture
def key() -> RawKey:
    return RawKey(bytes(range(32)))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "feltkonsulent.db"


@pytest.fixture
def store(db_path: Path, key: RawKey, clock: FakeClock) -> Iterator[Store]:
    opened = open_database(db_path, key, create=True, clock=clock, actor="tester")
    yield opened
    opened.close()


@pytest.fixture
def workspace(store: Store) -> Workspace:
    return Workspace(store)

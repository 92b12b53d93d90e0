"""The database holds citizens' data: the file, its WAL and its shared-memory file are readable
by their owner only (0600), whatever the umask, from the moment they exist."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage.database import open_database
from feltkonsulent.storage.keys import RawKey
from tests import factories

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


@pytest.fixture
def open_umask() -> Iterator[None]:
    before = os.umask(0o022)  # the usual one: new files 0644, readable by every user
    yield
    os.umask(before)


def modes(path: Path) -> dict[str, int]:
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in path.parent.iterdir()
            if p.name.startswith(path.name)}


def test_a_new_database_and_its_wal_and_shm_are_owner_only(
        tmp_path: Path, key: RawKey, open_umask: None) -> None:
    path = tmp_path / "feltkonsulent.db"
    store = open_database(path, key, create=True)
    store.conn.execute("BEGIN IMMEDIATE")
    store.conn.execute("INSERT INTO local_state(key, value) VALUES ('probe', '1')")
    store.conn.execute("COMMIT")
    found = modes(path)
    assert set(found) >= {"feltkonsulent.db", "feltkonsulent.db-wal", "feltkonsulent.db-shm"}
    assert found == dict.fromkeys(found, 0o600)
    store.close()


def test_a_database_made_readable_by_others_is_tightened_when_opened(
        tmp_path: Path, key: RawKey, open_umask: None) -> None:
    path = tmp_path / "old.db"
    store = open_database(path, key, create=True)
    store.close()
    path.chmod(0o644)  # as a version before this one made it
    store = open_database(path, key)
    Workspace(store).save(factories.company())
    assert set(modes(path).values()) == {0o600}
    store.close()

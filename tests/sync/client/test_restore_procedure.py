"""The backup and restore procedure of docs/server.md, as an administrator runs it, on both
storages: back up while the server serves (`server backup` for SQLite, `pg_dump` for
PostgreSQL), let the laptops go on syncing, stop the server, restore (`server restore`, or
`pg_restore` and `server new-epoch`), start it again — and every laptop resyncs and sends back what
the backup lacked, so no acknowledged write is lost (SYNC.md 2)."""

from __future__ import annotations

import dataclasses
import subprocess
from datetime import date
from pathlib import Path

import pytest

from feltkonsulent.cli import main
from feltkonsulent.services import demo
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage.changes import pending_count
from feltkonsulent.sync.client import RoundSummary, sync_round
from tests import factories
from tests.conftest import FakeClock
from tests.sync.client.conftest import MakeWorkspace
from tests.sync.client.helpers import NO_WAIT, TEAM, exported
from tests.sync.conftest import ServerDatabase, start_server
from tests.sync.pg_cluster import Cluster, find_bindir


def back_up(database: ServerDatabase, to: Path) -> None:
    if database.url is None:
        assert main(["server", "backup", "--db", str(database.path), "--to", str(to)]) == 0
    else:
        subprocess.run([str(find_bindir() / "pg_dump"), "--format=custom", "--file", str(to),
                        database.url], check=True, timeout=60)


def restore(database: ServerDatabase, backup: Path, request: pytest.FixtureRequest) -> ServerDatabase:
    """The stopped server's database put back from `backup`, with a new server_epoch."""
    if database.url is None:
        assert main(["server", "restore", "--db", str(database.path), "--from", str(backup)]) == 0
        return database
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    fresh = cluster.new_database()  # restored into a new database the server is then pointed at
    subprocess.run([str(find_bindir() / "pg_restore"), "--no-owner", "--dbname", fresh, str(backup)],
                   check=True, timeout=60)
    assert main(["server", "new-epoch", "--postgres", fresh]) == 0
    return ServerDatabase("postgres", url=fresh)


def test_a_restored_server_gets_back_everything_acknowledged_after_the_backup(
    server_database: ServerDatabase, make_workspace: MakeWorkspace, clock: FakeClock,
    tmp_path: Path, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str],
) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    demo.populate(a, records=3, seed=5, today=date(2026, 11, 22))
    backup = tmp_path / "server.backup"
    late = factories.company(team_id=TEAM, name="Efter Backuppen ApS")
    with start_server(server_database) as server:
        tokens = {ws: server.token_for(TEAM, name, device=str(ws.store.device_id))
                  for ws, name in ((a, "anne"), (b, "bo"))}

        def sync(ws: Workspace) -> RoundSummary:
            return sync_round(ws.store, server.url, tokens[ws], retry=NO_WAIT)

        sync(a)
        sync(b)
        back_up(server_database, backup)
        a.repos.companies.add(late)
        clock.advance(seconds=1)
        (company_id,) = b.store.conn.execute("SELECT id FROM companies ORDER BY id LIMIT 1").fetchone()
        company = b.repos.companies.fetch_unaudited(company_id)
        assert company is not None
        b.repos.companies.update(dataclasses.replace(company, city="Efter backuppen"))
        assert sync(a).pushed > 0 and sync(b).pushed > 0  # acknowledged, then lost below
    capsys.readouterr()

    restored = restore(server_database, backup, request)
    assert "server_epoch is now" in capsys.readouterr().out
    with start_server(restored) as server:
        def sync_again(ws: Workspace) -> RoundSummary:
            return sync_round(ws.store, server.url, tokens[ws], retry=NO_WAIT)

        first_a, first_b = sync_again(a), sync_again(b)
        assert first_a.resynced and first_a.resent > 0 and first_a.mismatch == ()
        assert first_b.resynced and first_b.resent > 0 and first_b.mismatch == ()
        sync_again(a)
        assert exported(a) == exported(b)
        assert pending_count(a.store) == pending_count(b.store) == 0
        names = {r[0] for r in server.rows("SELECT value FROM fields WHERE field = 'name'")}
        assert '"Efter Backuppen ApS"' in names
        cities = {r[0] for r in server.rows("SELECT value FROM fields WHERE field = 'city'")}
        assert '"Efter backuppen"' in cities
        assert sync_again(a) == sync_again(b) == RoundSummary()


def test_restore_refuses_what_is_not_a_server_backup(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    db, bogus = tmp_path / "server.db", tmp_path / "notes.txt"
    bogus.write_text("not a database", encoding="utf-8")
    assert main(["server", "add-user", "--db", str(db), "--team", "t", "--user", "u"]) == 0
    before = db.read_bytes()
    assert main(["server", "restore", "--db", str(db), "--from", str(bogus)]) == 1
    assert "is not a Feltkonsulent server database" in capsys.readouterr().err
    assert db.read_bytes() == before and not list(tmp_path.glob(".*restoring"))
    assert main(["server", "backup", "--db", str(db), "--to", str(bogus)]) == 1
    assert "exists" in capsys.readouterr().err

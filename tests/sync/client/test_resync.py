"""Resync (docs/sync.md "Resync"): after the server is restored from a backup the clients notice
the new server_epoch, pull everything again and send back what the restore lost (SYNC.md 2); after
catching up client and server compare digests, and a mismatch starts one resync, then is
reported. And a conflict's answer tells the client the other side's value and user."""

from __future__ import annotations

import dataclasses
from datetime import date

from feltkonsulent.services import demo
from feltkonsulent.services import sync as services_sync
from feltkonsulent.storage import resync, sync_state
from feltkonsulent.storage.changes import pending_count
from feltkonsulent.sync.client import RoundSummary, SyncClient, verify
from tests import factories
from tests.conftest import FakeClock
from tests.sync.client.conftest import MakeWorkspace
from tests.sync.client.helpers import NO_WAIT, TEAM, exported, shared_company
from tests.sync.client.helpers import sync_as as sync
from tests.sync.conftest import SyncServer
from tests.sync.properties.world import back_up, restore_backup


def server_value(server: SyncServer, row_id: str, field: str) -> object:
    rows = server.rows("SELECT value FROM fields WHERE row_id = ? AND field = ?", (row_id, field))
    return rows[0][0] if rows else None


def tamper(server: SyncServer, sql: str, params: tuple[str, ...]) -> None:
    """A fault in the server's database that no epoch tells of."""
    with server.storage._transaction(write=True) as db:
        db.execute(sql, params)


def test_a_restore_loses_nothing_acknowledged(
    make_workspace: MakeWorkspace, sync_server: SyncServer, clock: FakeClock
) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    demo.populate(a, records=3, seed=1, today=date(2026, 11, 22))
    sync(a, sync_server, "anne")
    sync(b, sync_server, "bo")  # both devices are known to the backup
    backup = back_up(sync_server)
    company = factories.company(team_id=TEAM, name="Efter Backuppen ApS")
    a.repos.companies.add(company)
    clock.advance(seconds=1)
    assert sync(a, sync_server, "anne").pushed > 0  # acknowledged …
    restore_backup(sync_server, backup)  # … and lost in the restore
    assert server_value(sync_server, company.id, "name") is None

    # b never had it: it resyncs and has nothing to send back; a sends it back.
    assert sync(b, sync_server, "bo").resynced
    summary = sync(a, sync_server, "anne")
    assert summary.resynced and summary.resent > 0 and summary.mismatch == ()
    assert server_value(sync_server, company.id, "name") == '"Efter Backuppen ApS"'
    assert pending_count(a.store) == 0 and not resync.in_progress(a.store)
    sync(b, sync_server, "bo")
    assert exported(b) == exported(a)
    # Quiet afterwards: nothing more to send, nothing to resync.
    assert sync(a, sync_server, "anne") == RoundSummary()


def test_a_pending_edit_survives_a_restore_and_a_resync(
    make_workspace: MakeWorkspace, sync_server: SyncServer, clock: FakeClock
) -> None:
    a = make_workspace("a")
    company = shared_company(sync_server, "Før", (a, "anne"))
    restore_backup(sync_server, back_up(sync_server))
    clock.advance(seconds=1)
    a.repos.companies.update(dataclasses.replace(company, name="Efter"))  # offline, pending
    summary = sync(a, sync_server, "anne")
    assert summary.resynced and summary.mismatch == ()
    assert server_value(sync_server, company.id, "name") == '"Efter"'
    assert a.repos.companies.fetch_unaudited(company.id).name == "Efter"  # type: ignore[union-attr]


def test_a_digest_mismatch_resyncs_once_and_repairs(
    make_workspace: MakeWorkspace, sync_server: SyncServer, clock: FakeClock
) -> None:
    a = make_workspace("a")
    company = shared_company(sync_server, "Tabt ApS", (a, "anne"))
    # The server loses one field without a restore (a fault no epoch tells of).
    for table in ("fields", "changes"):
        tamper(sync_server, f"DELETE FROM {table} WHERE row_id = ? AND field = 'name'", (company.id,))
    clock.advance(seconds=1)
    a.repos.companies.update(dataclasses.replace(company, city="Vejle"))  # a round that moves
    summary = sync(a, sync_server, "anne")
    assert summary.resynced and summary.resent == 1 and summary.mismatch == ()
    assert server_value(sync_server, company.id, "name") == '"Tabt ApS"'


def test_a_mismatch_that_a_resync_cannot_mend_is_reported_not_repeated(
    make_workspace: MakeWorkspace, sync_server: SyncServer, clock: FakeClock
) -> None:
    a = make_workspace("a")
    company = shared_company(sync_server, "Uenig ApS", (a, "anne"))
    # The server's current stamp of a field differs from its change log: no pull mends it.
    tamper(sync_server, "UPDATE fields SET hlc = hlc + 1 WHERE row_id = ? AND field = 'name'",
           (company.id,))
    clock.advance(seconds=1)
    a.repos.companies.update(dataclasses.replace(company, city="Vejle"))
    first = sync(a, sync_server, "anne")
    assert first.resynced and first.mismatch == ("companies",)
    clock.advance(seconds=1)
    a.repos.companies.update(dataclasses.replace(company, city="Horsens"))
    second = sync(a, sync_server, "anne")
    assert not second.resynced and second.mismatch == ("companies",)  # reported, not resynced
    clock.advance(days=1, seconds=1)
    assert sync(a, sync_server, "anne").resynced  # a day later it tries again


def test_digests_are_compared_after_a_round_that_moved(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    a = make_workspace("a")
    demo.populate(a, records=3, seed=4, today=date(2026, 11, 22))
    sync(a, sync_server, "anne")
    assert not sync_state.due(a.store, sync_state.VERIFIED, 60_000)
    token = sync_server.token_for(TEAM, "anne", device=str(a.store.device_id))
    with SyncClient(sync_server.url, token, retry=NO_WAIT) as client:
        assert verify(a.store, client) == ()
        a.repos.companies.add(factories.company(team_id=TEAM))
        assert verify(a.store, client) is None  # a pending change: nothing to compare yet


def test_a_conflict_tells_the_other_side_and_who(
    make_workspace: MakeWorkspace, sync_server: SyncServer, clock: FakeClock
) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    company = shared_company(sync_server, "Fælles ApS", (a, "anne"), (b, "bo"))
    b.repos.companies.update(dataclasses.replace(company, city="Bo's by"))
    clock.advance(seconds=1)
    a.repos.companies.update(dataclasses.replace(company, city="Annes by"))
    sync(b, sync_server, "bo")
    assert sync(a, sync_server, "anne").conflicts == 1
    (conflict,) = sync_state.conflicts(a.store)
    assert conflict.value == "Annes by" and conflict.applied
    assert conflict.other is not None
    assert (conflict.other.value, conflict.other.user_id) == ("Bo's by", "bo")
    assert conflict.other.device_id == str(b.store.device_id)

    # Ours won; "keep theirs" writes theirs again, and it wins everywhere after a sync.
    assert services_sync.keep_theirs(a, conflict.op_id)
    assert sync_state.conflicts(a.store) == []
    sync(a, sync_server, "anne")
    sync(b, sync_server, "bo")
    for ws in (a, b):
        assert ws.repos.companies.fetch_unaudited(company.id).city == "Bo's by"  # type: ignore[union-attr]

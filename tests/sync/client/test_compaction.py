"""Compaction (docs/sync.md "Compaction"): the server forgets superseded changes and erases a
deleted record down to its tombstone once the deletion is older than the horizon. A laptop that
was away all along still learns of the deletion, a new laptop gets nothing of the record, the
digests stay equal, and a record undeleted by a laptop that still has it is sent back whole."""

from __future__ import annotations

import dataclasses

import pytest

from feltkonsulent.cli import main
from feltkonsulent.domain.entities import Company, Contact, Placement
from feltkonsulent.storage import inbox
from tests import factories
from tests.conftest import FakeClock
from tests.sync.client.conftest import MakeWorkspace
from tests.sync.client.helpers import TEAM, exported, shared_company
from tests.sync.client.helpers import sync_as as sync
from tests.sync.conftest import ServerDatabase, SyncServer


def compact_now(server: SyncServer) -> None:
    server.storage.compact(0, server.clock() + 1)


def held_on_server(server: SyncServer, row_id: str) -> set[tuple[str, str]]:
    fields = server.rows("SELECT field, value FROM fields WHERE row_id = ?", (row_id,))
    changes = server.rows("SELECT field, value FROM changes WHERE row_id = ?", (row_id,))
    return {(f, v) for f, v in fields} | {(f, v) for f, v in changes}


def test_a_deleted_record_is_erased_to_its_tombstone_and_everyone_still_agrees(
    make_workspace: MakeWorkspace, sync_server: SyncServer, clock: FakeClock
) -> None:
    a, away = make_workspace("a"), make_workspace("away")
    kept = factories.company(team_id=TEAM, name="Bliver ApS")
    gone = factories.company(team_id=TEAM, name="Slettet ApS")
    a.repos.companies.add(kept)
    a.repos.companies.add(gone)
    sync(a, sync_server, "anne")
    sync(away, sync_server, "alex")  # has both, then is away for the whole horizon
    for name in ("Bliver ApS 2", "Bliver ApS 3"):
        clock.advance(seconds=1)
        a.repos.companies.update(dataclasses.replace(kept, name=name))
    a.delete(Company, gone.id)
    sync(a, sync_server, "anne")
    before = len(sync_server.rows("SELECT 1 FROM changes"))
    compact_now(sync_server)

    assert held_on_server(sync_server, gone.id) == {("deleted", "true")}  # no name, no notes
    names = [v for (v,) in sync_server.rows(
        "SELECT value FROM changes WHERE row_id = ? AND field = 'name'", (kept.id,))]
    assert names == ['"Bliver ApS 3"'] and len(sync_server.rows("SELECT 1 FROM changes")) < before

    # The laptop that was away learns of the deletion; a new laptop gets nothing of the record.
    assert sync(away, sync_server, "alex").mismatch == ()
    assert away.store.conn.execute("SELECT deleted FROM companies WHERE id = ?", (gone.id,)
                                   ).fetchone() == (1,)
    new = make_workspace("new")
    assert sync(new, sync_server, "nina").mismatch == ()
    assert new.store.conn.execute("SELECT 1 FROM companies WHERE id = ?", (gone.id,)).fetchone() is None
    assert exported(new) == exported(away) == exported(a)  # live records alike everywhere


def test_a_deleted_record_a_live_one_refers_to_keeps_its_data_for_a_new_laptop(
    make_workspace: MakeWorkspace, sync_server: SyncServer, clock: FakeClock
) -> None:
    """Found by the state machine: a company made with a contact person and deleted (it had no
    placements) was erased to its tombstone; a laptop that never had it received the contact
    and could not store it (its company was missing) — staged for ever, while sync said all
    was well. A deleted record a live one refers to keeps its data; erased once nothing does."""
    a = make_workspace("a")
    company = factories.company(team_id=TEAM, name="Lukket ApS")
    a.repos.companies.add(company)
    contact = factories.contact(company.id, team_id=TEAM)
    a.save(contact)
    clock.advance(seconds=1)
    a.delete(Company, company.id)
    sync(a, sync_server, "anne")
    compact_now(sync_server)
    assert ("name", '"Lukket ApS"') in held_on_server(sync_server, company.id)

    new = make_workspace("new")
    assert sync(new, sync_server, "nina").mismatch == ()
    assert inbox.staged_count(new.store) == 0
    assert new.get(Contact, contact.id) is not None
    assert new.store.conn.execute("SELECT deleted FROM companies WHERE id = ?", (company.id,)
                                  ).fetchone() == (1,)
    assert exported(new) == exported(a)

    # Once the contact is deleted too, the next compaction erases both to their tombstones.
    clock.advance(seconds=1)
    a.delete(Contact, contact.id)
    sync(a, sync_server, "anne")
    compact_now(sync_server)
    assert held_on_server(sync_server, company.id) == {("deleted", "true")}
    assert held_on_server(sync_server, contact.id) == {("deleted", "true")}
    later = make_workspace("later")
    assert sync(later, sync_server, "lea").mismatch == ()
    assert inbox.staged_count(later.store) == 0 and exported(later) == exported(a)


def test_a_deleted_placement_with_a_visit_note_keeps_its_data_for_a_new_laptop(
    make_workspace: MakeWorkspace, sync_server: SyncServer, clock: FakeClock
) -> None:
    """The same for a reference inside a visit note (stored whole, one value)."""
    a = make_workspace("a")
    company, citizen = factories.company(team_id=TEAM), factories.citizen(team_id=TEAM)
    for record in (company, citizen):
        a.save(record)
    placement = factories.placement(citizen.id, company.id, team_id=TEAM)
    a.save(placement)
    visit = factories.visit(placement.id, team_id=TEAM)
    a.save(visit)
    clock.advance(seconds=1)
    a.delete(Placement, placement.id)
    sync(a, sync_server, "anne")
    compact_now(sync_server)
    assert len(held_on_server(sync_server, placement.id)) > 1
    new = make_workspace("new")
    assert sync(new, sync_server, "nina").mismatch == ()
    assert inbox.staged_count(new.store) == 0 and exported(new) == exported(a)


def test_a_record_undeleted_after_its_erasure_is_sent_back_whole(
    make_workspace: MakeWorkspace, sync_server: SyncServer, clock: FakeClock
) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    company = shared_company(sync_server, "Genopstået ApS", (a, "anne"), (b, "bo"))
    clock.advance(seconds=1)
    a.delete(Company, company.id)
    sync(a, sync_server, "anne")
    sync(b, sync_server, "bo")
    compact_now(sync_server)
    clock.advance(seconds=1)
    b.restore(Company, company.id)  # b still has the whole record
    summary = sync(b, sync_server, "bo")
    assert summary.resynced and summary.resent > 0 and summary.mismatch == ()
    assert ("name", '"Genopstået ApS"') in held_on_server(sync_server, company.id)
    new = make_workspace("new")
    sync(new, sync_server, "nina")
    assert new.get(Company, company.id).name == "Genopstået ApS"  # type: ignore[union-attr]


def test_server_compact_from_the_command_line(server_database: ServerDatabase,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    where = (["--postgres", server_database.url] if server_database.url
             else ["--db", str(server_database.path)])
    assert main(["server", "add-user", *where, "--team", "t", "--user", "u"]) == 0
    capsys.readouterr()
    assert main(["server", "compact", *where]) == 0
    assert "forgot 0 superseded changes" in capsys.readouterr().out
    assert main(["server", "compact", *where, "--horizon-days", "0"]) == 1

"""Applying pulled changes to a local database, without a server: merge per field, records staged
until they can be written, search kept right, no outbox or audit rows, the cursor with the page."""

from __future__ import annotations

import dataclasses
import random
from datetime import date

import pytest

from feltkonsulent.domain.entities import Citizen, Company, Placement
from feltkonsulent.services import demo
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage import inbox, search, sync_state
from feltkonsulent.storage.changes import pending_changes, pending_count
from feltkonsulent.sync.apply import apply_changes, apply_page
from feltkonsulent.sync.protocol import PulledChange, PullResponse, format_time
from tests import factories
from tests.conftest import FakeClock
from tests.sync.client.conftest import MakeWorkspace
from tests.sync.client.helpers import as_pulled, exported


def apply(ws: Workspace, changes: list[PulledChange]) -> int:
    """How many pulled changes went in (none is refused in these tests)."""
    with ws.store.write():
        applied = apply_changes(ws.store, changes)
    assert applied.refused == 0
    return applied.written


def audit_rows(ws: Workspace) -> int:
    return int(ws.store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])


def company(ws: Workspace, **fields: object) -> Company:
    record = factories.company(team_id=ws.store.team_id, **fields)
    ws.repos.companies.add(record)
    return record


def test_demo_data_pulled_in_pages_of_three_in_any_order_gives_the_same_records(
    make_workspace: MakeWorkspace,
) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    demo.populate(a, records=6, seed=3, today=date(2026, 11, 22))
    changes = as_pulled(a)
    # Children before their parents, and a record's fields spread over pages: all staged and
    # written once what they need has arrived.
    random.Random(7).shuffle(changes)
    audit_before = audit_rows(b)
    for start in range(0, len(changes), 3):
        apply(b, changes[start : start + 3])
    assert inbox.staged_count(b.store) == 0
    assert audit_rows(b) == audit_before, "a pulled change is not a read by this user"
    assert pending_count(b.store) == 0, "pulled changes are not ours to push"
    assert exported(b) == exported(a)
    assert {h.kind for h in search.search(b.store, exported(a)["companies"][0]["name"])} >= {
        "companies"
    }


def test_a_pulled_change_writes_no_outbox_and_no_audit_row_and_tells_the_views(
    make_workspace: MakeWorkspace,
) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    a.repos.citizens.add(factories.citizen(team_id=a.store.team_id, name="Yonas Tesfay"))
    b.store.take_changes()
    apply(b, as_pulled(a))
    assert pending_count(b.store) == 0
    assert b.store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0
    assert b.store.take_changes() == {"citizens"}
    assert [h.kind for h in search.search(b.store, "yonas")] == ["citizens"]


def test_the_greater_stamp_wins_and_a_losing_local_edit_stays_in_the_outbox(
    make_workspace: MakeWorkspace, clock: FakeClock
) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    record = company(a, name="Bageriet Ørsted ApS")
    apply(b, as_pulled(a))
    created = len(as_pulled(a))

    clock.advance(seconds=1)
    a.repos.companies.update(dataclasses.replace(record, name="Name from A", city="Vejle"))
    clock.advance(seconds=1)
    b.repos.companies.update(dataclasses.replace(record, name="Name from B"))
    from_a = as_pulled(a, created + 1)[created:]
    apply(b, from_a)
    # B's edit of `name` is newer: it stays; A's `city` had no rival: it goes in.
    held = b.repos.companies.require(record.id)
    assert (held.name, held.city) == ("Name from B", "Vejle")
    assert [c.value for c in pending_changes(b.store)] == ["Name from B"]
    meta = inbox.current_meta(b.store, "companies", record.id, "name")
    assert meta is not None and meta.device_id == b.store.device_id
    assert meta.server_seq == from_a[0].server_seq, "the losing value's server_seq is seen"

    # The other way round: B's older edit loses to A's newer one, and is still pushed (the
    # server answers it superseded or conflict; dropping it here would hide the conflict).
    clock.advance(seconds=1)
    a.repos.companies.update(dataclasses.replace(record, name="Newest from A", city="Vejle"))
    newest = as_pulled(a, 100)[-1:]
    apply(b, newest)
    assert b.repos.companies.require(record.id).name == "Newest from A"
    assert [c.value for c in pending_changes(b.store)] == ["Name from B"]


def test_equal_stamps_tie_break_on_device_id_in_either_order(make_workspace: MakeWorkspace) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    c, d = make_workspace("c"), make_workspace("d")
    record = company(a)
    for other in (b, c, d):
        apply(other, as_pulled(a))
    a.repos.companies.update(dataclasses.replace(record, name="From A"))
    b.repos.companies.update(dataclasses.replace(record, name="From B"))
    (from_a,) = as_pulled(a, 50)[-1:]
    (from_b,) = [ch for ch in as_pulled(b, 60) if ch.field == "name"]
    stamp = max(from_a.hlc, from_b.hlc) + 1
    from_a, from_b = (dataclasses.replace(ch, hlc=stamp) for ch in (from_a, from_b))
    apply(c, [from_b, from_a])
    apply(d, [from_a, from_b])
    expected = "From A" if a.store.device_id > b.store.device_id else "From B"
    assert c.repos.companies.require(record.id).name == expected
    assert d.repos.companies.require(record.id).name == expected


def test_a_delete_and_an_undelete_reach_the_other_database_and_its_search(
    make_workspace: MakeWorkspace, clock: FakeClock
) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    record = company(a, name="Plejecenter Solbakken")
    apply(b, as_pulled(a))
    assert [h.row_id for h in search.search(b.store, "solbakken")] == [record.id]
    clock.advance(seconds=1)
    a.repos.companies.delete(record.id)
    apply(b, as_pulled(a, 10)[-1:])
    assert b.repos.companies.get(record.id) is None
    assert b.repos.companies.is_deleted(record.id)
    assert search.search(b.store, "solbakken") == []
    clock.advance(seconds=1)
    a.repos.companies.restore(record.id)
    apply(b, as_pulled(a, 20)[-1:])
    assert b.repos.companies.require(record.id).name == "Plejecenter Solbakken"
    assert [h.row_id for h in search.search(b.store, "solbakken")] == [record.id]


def test_a_rename_moves_the_search_entry(make_workspace: MakeWorkspace, clock: FakeClock) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    record = company(a, name="Plejecenter Solbakken")
    apply(b, as_pulled(a))
    clock.advance(seconds=1)
    a.repos.companies.update(dataclasses.replace(record, name="Vaskeriet Nord"))
    apply(b, as_pulled(a, 10)[-1:])
    assert search.search(b.store, "solbakken") == []
    assert [h.row_id for h in search.search(b.store, "vaskeri")] == [record.id]


def test_a_visit_note_arrives_whole_and_is_never_changed_by_a_replay(
    make_workspace: MakeWorkspace,
) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    team = a.store.team_id
    firm = company(a)
    person = factories.citizen(team_id=team)
    a.repos.citizens.add(person)
    placement = factories.placement(person.id, firm.id, team_id=team)
    a.repos.placements.add(placement)
    a.repos.aftercare_visits.add(factories.visit(placement.id, team_id=team, notes="Godt i gang"))
    changes = as_pulled(a)
    assert changes[-1].field == "*"
    assert apply(b, changes) == len(changes)
    assert exported(b) == exported(a)
    assert apply(b, changes) == 0, "a replay changes nothing"
    assert exported(b) == exported(a)


def test_a_record_waits_in_staging_until_its_required_fields_arrive(
    make_workspace: MakeWorkspace,
) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    record = company(a)
    changes = as_pulled(a)
    name = [c for c in changes if c.field == "name"]
    rest = [c for c in changes if c.field != "name"]
    apply(b, rest)
    assert b.repos.companies.get(record.id) is None
    assert inbox.staged_count(b.store) == len(rest)
    apply(b, name)
    assert inbox.staged_count(b.store) == 0
    assert b.repos.companies.require(record.id) == record


def test_a_reference_to_a_record_not_here_yet_waits_for_it(make_workspace: MakeWorkspace) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    team = a.store.team_id
    firm = company(a)
    person = factories.citizen(team_id=team)
    a.repos.citizens.add(person)
    placement = factories.placement(person.id, firm.id, team_id=team)
    a.repos.placements.add(placement)
    changes = as_pulled(a)
    placement_ops = [c for c in changes if c.entity == "placements"]
    apply(b, placement_ops)  # the citizen and the company are not here: the placement waits
    assert b.repos.placements.get(placement.id) is None
    apply(b, [c for c in changes if c.entity == "citizens"])
    assert b.repos.placements.get(placement.id) is None
    apply(b, [c for c in changes if c.entity == "companies"])
    assert b.repos.placements.require(placement.id) == placement
    assert inbox.staged_count(b.store) == 0


def test_a_field_of_a_newer_version_is_left_alone(make_workspace: MakeWorkspace) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    record = company(a)
    changes = as_pulled(a)
    newer = dataclasses.replace(changes[0], field="bank_account", value="1234", server_seq=99)
    unknown = dataclasses.replace(changes[0], entity="invoices", server_seq=100)
    apply(b, [*changes, newer, unknown])
    assert b.repos.companies.require(record.id) == record
    assert inbox.staged_count(b.store) == 0


def test_the_cursor_is_stored_with_its_page_and_a_failed_page_leaves_both(
    make_workspace: MakeWorkspace, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    company(a, name="Plejecenter Solbakken")
    changes = as_pulled(a)
    now = format_time(int(clock().timestamp() * 1000))
    page = PullResponse(tuple(changes[:2]), 2, True, "epoch-1", now)
    assert apply_page(b.store, page).written == 2
    assert sync_state.cursor(b.store) == 2
    assert sync_state.server_epoch(b.store) == "epoch-1"

    def crash(store: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(inbox, "write_staged", crash)
    with pytest.raises(RuntimeError):
        apply_page(b.store, PullResponse(tuple(changes[2:4]), 4, False, "epoch-1", now))
    monkeypatch.undo()
    assert sync_state.cursor(b.store) == 2
    assert inbox.staged_count(b.store) == 2, "nothing of the failed page is kept"
    assert apply_page(b.store, PullResponse(tuple(changes[2:]), len(changes), False, "epoch-1",
                                            now)).written == len(changes) - 2
    assert exported(b)["companies"] == exported(a)["companies"]


def test_a_pulled_stamp_moves_the_clock_so_the_next_edit_wins(
    make_workspace: MakeWorkspace, clock: FakeClock
) -> None:
    ahead = FakeClock(clock.now)
    ahead.advance(minutes=5)
    a, b = make_workspace("a", own_clock=ahead), make_workspace("b")
    record = company(a)
    apply(b, as_pulled(a))
    # B's wall clock is 5 minutes behind A's; its edit after seeing A's value still orders after it.
    b.repos.companies.update(dataclasses.replace(record, name="Later on B"))
    (edit,) = pending_changes(b.store)
    assert edit.hlc > max(c.hlc for c in as_pulled(a))


def test_citizen_and_placement_types_round_trip(make_workspace: MakeWorkspace) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    demo.populate(a, records=2, seed=9, today=date(2026, 11, 22))
    apply(b, as_pulled(a))
    for cls in (Citizen, Placement):
        repo = a.repo(cls)
        for record in repo.iterate():
            assert b.repo(cls).fetch_unaudited(record.id) == record

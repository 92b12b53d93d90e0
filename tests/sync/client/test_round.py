"""Sync rounds against a real server on 127.0.0.1 (tests/sync/conftest.py) with two encrypted
databases: records travel, concurrent edits converge, deletes arrive, small pages and batches
miss nothing, a lost answer is replayed without duplicates, and failures keep the outbox."""

from __future__ import annotations

import dataclasses
import socket
from datetime import UTC, date, datetime

import httpx
import pytest

from feltkonsulent.services import demo
from feltkonsulent.storage import sync_state
from feltkonsulent.storage.changes import pending_changes, pending_count
from feltkonsulent.sync.client import RoundSummary, SyncError, sync_round
from tests import factories
from tests.conftest import FakeClock
from tests.sync.client.conftest import MakeWorkspace
from tests.sync.client.helpers import NO_WAIT, TEAM, exported, shared_company
from tests.sync.client.helpers import sync_as as sync
from tests.sync.conftest import SyncServer


def server_changes(server: SyncServer) -> int:
    return int(server.rows("SELECT count(*) FROM changes")[0][0])


def test_records_made_on_a_reach_b(make_workspace: MakeWorkspace, sync_server: SyncServer) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    demo.populate(a, records=4, seed=2, today=date(2026, 11, 22))
    ops = pending_count(a.store)
    assert sync(a, sync_server, "anne") == RoundSummary(pushed=ops, pulled=0)
    assert pending_count(a.store) == 0
    assert sync(b, sync_server, "bo") == RoundSummary(pushed=0, pulled=ops)
    assert exported(b) == exported(a)
    assert sync_state.cursor(b.store) == ops == server_changes(sync_server)


def test_concurrent_edits_of_one_field_converge_after_two_rounds_each(
    make_workspace: MakeWorkspace, sync_server: SyncServer, clock: FakeClock
) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    record = shared_company(sync_server, "Bageriet Ørsted ApS", (a, "anne"), (b, "bo"))
    clock.advance(seconds=1)
    a.repos.companies.update(dataclasses.replace(record, name="Name from A", city="Vejle"))
    clock.advance(seconds=1)
    b.repos.companies.update(dataclasses.replace(record, name="Name from B", street="Torvet 1"))
    first_a = sync(a, sync_server, "anne")
    first_b = sync(b, sync_server, "bo")
    assert first_b.conflicts == 1, "B's name raced A's: the server reports it"
    sync(a, sync_server, "anne")
    sync(b, sync_server, "bo")
    assert first_a.conflicts == 0
    held = a.repos.companies.require(record.id)
    assert (held.name, held.city, held.street) == ("Name from B", "Vejle", "Torvet 1")
    assert exported(a) == exported(b)
    assert [c.field for c in sync_state.conflicts(b.store)] == ["name"]


def test_an_older_edit_pushed_later_loses_everywhere(
    make_workspace: MakeWorkspace, sync_server: SyncServer, clock: FakeClock
) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    record = factories.company(team_id=TEAM)
    a.repos.companies.add(record)
    sync(a, sync_server, "anne")
    sync(b, sync_server, "bo")
    b.repos.companies.update(dataclasses.replace(record, name="Older, from B"))
    clock.advance(seconds=5)
    a.repos.companies.update(dataclasses.replace(record, name="Newer, from A"))
    sync(a, sync_server, "anne")
    sync(b, sync_server, "bo")
    sync(a, sync_server, "anne")
    assert a.repos.companies.require(record.id).name == "Newer, from A"
    assert b.repos.companies.require(record.id).name == "Newer, from A"
    assert pending_count(b.store) == 0


def test_a_delete_on_a_reaches_b(
    make_workspace: MakeWorkspace, sync_server: SyncServer, clock: FakeClock
) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    record = shared_company(sync_server, "Plejecenter Solbakken", (a, "anne"), (b, "bo"))
    assert b.repos.companies.get(record.id) is not None
    clock.advance(seconds=1)
    a.repos.companies.delete(record.id)
    sync(a, sync_server, "anne")
    assert sync(b, sync_server, "bo").pulled == 1
    assert b.repos.companies.get(record.id) is None
    assert exported(b) == exported(a)


def test_small_pages_and_batches_miss_nothing(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    demo.populate(a, records=3, seed=5, today=date(2026, 11, 22))
    ops = pending_count(a.store)
    assert sync(a, sync_server, "anne", batch_size=7).pushed == ops
    assert int(a.store.state()[sync_state.NEXT_BATCH]) == -(-ops // 7) + 1
    assert sync(b, sync_server, "bo", page_size=3).pulled == ops
    assert exported(b) == exported(a)


class DropAnswers(httpx.BaseTransport):
    """Delivers each request, then loses the first `drops` answers to a push."""

    def __init__(self, drops: int) -> None:
        self.inner = httpx.HTTPTransport()
        self.drops = drops
        self.pushes: list[bytes] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.url.path == "/v1/push":
            self.pushes.append(request.read())
            if self.drops:
                self.drops -= 1
                response.read()
                response.close()
                raise httpx.ReadTimeout("answer lost", request=request)
        return response

    def close(self) -> None:
        self.inner.close()


def test_a_lost_answer_is_retried_with_the_same_batch_and_nothing_twice(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    demo.populate(a, records=2, seed=4, today=date(2026, 11, 22))
    ops = pending_count(a.store)
    transport = DropAnswers(drops=1)
    assert sync(a, sync_server, "anne", transport=transport).pushed == ops
    assert len(transport.pushes) == 2 and transport.pushes[0] == transport.pushes[1]
    assert server_changes(sync_server) == ops
    sync(b, sync_server, "bo")
    assert exported(b) == exported(a)


def test_a_round_that_gives_up_sends_the_same_batch_next_time(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    a = make_workspace("a")
    a.repos.companies.add(factories.company(team_id=TEAM))
    ops = pending_count(a.store)
    lost = DropAnswers(drops=NO_WAIT.attempts)  # every try of the round delivered, none answered
    with pytest.raises(SyncError) as failed:
        sync(a, sync_server, "anne", transport=lost)
    assert failed.value.code == "unreachable"
    assert pending_count(a.store) == ops
    assert {c.batch_seq for c in pending_changes(a.store)} == {1}
    assert server_changes(sync_server) == ops, "the server took it the first time"
    again = DropAnswers(drops=0)
    assert sync(a, sync_server, "anne", transport=again).pushed == ops
    assert again.pushes == lost.pushes[:1], "the same batch, byte for byte"
    assert server_changes(sync_server) == ops
    assert pending_count(a.store) == 0


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_server_keeps_the_outbox(make_workspace: MakeWorkspace) -> None:
    a = make_workspace("a")
    a.repos.companies.add(factories.company(team_id=TEAM))
    before = pending_changes(a.store)
    with pytest.raises(SyncError) as failed:
        sync_round(a.store, f"http://127.0.0.1:{closed_port()}", "token", retry=NO_WAIT)
    assert failed.value.code == "unreachable"
    assert [dataclasses.replace(c, batch_seq=None) for c in pending_changes(a.store)] == before


def test_a_clock_far_ahead_is_refused_in_words_and_keeps_everything(
    make_workspace: MakeWorkspace, sync_server: SyncServer, clock: FakeClock
) -> None:
    clock.advance(hours=1)
    a = make_workspace("a")
    a.repos.companies.add(factories.company(team_id=TEAM))
    ops = pending_count(a.store)
    with pytest.raises(SyncError) as failed:
        sync(a, sync_server, "anne")
    assert failed.value.code == "clock_ahead"
    assert failed.value.extra["ahead_ms"] >= 3_500_000
    assert pending_count(a.store) == ops
    assert server_changes(sync_server) == 0


def test_changes_stamped_by_a_clock_that_was_ahead_go_once_the_clock_is_right(
    make_workspace: MakeWorkspace, sync_server: SyncServer, clock: FakeClock
) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    company = shared_company(sync_server, "Før", (a, "anne"))
    clock.advance(days=1)  # the laptop's date is a day wrong …
    a.repos.companies.update(dataclasses.replace(company, name="Rigtig dag"))
    a.repos.companies.add(factories.company(team_id=TEAM, name="Ny ApS"))
    with pytest.raises(SyncError) as failed:
        sync(a, sync_server, "anne")
    assert failed.value.code == "clock_ahead"
    clock.now = datetime.now(UTC)  # … and is set right: the next round sends them at once
    summary = sync(a, sync_server, "anne")
    assert summary.pushed > 0 and pending_count(a.store) == 0
    ahead_limit = (sync_server.clock() + 600_000) << 16
    assert all(hlc <= ahead_limit for (hlc,) in sync_server.rows("SELECT hlc FROM changes"))
    sync(b, sync_server, "bo")
    assert exported(b) == exported(a)
    # A later edit on the other laptop wins as it should (no stamp from the wrong day is left).
    b.repos.companies.update(dataclasses.replace(company, name="Bo retter"))
    sync(b, sync_server, "bo")
    sync(a, sync_server, "anne")
    assert a.repos.companies.fetch_unaudited(company.id).name == "Bo retter"  # type: ignore[union-attr]
    # And the laptop's own next edit is stamped from the right clock.
    a.repos.companies.update(dataclasses.replace(company, name="Anne igen"))
    sync(a, sync_server, "anne")
    sync(b, sync_server, "bo")
    assert b.repos.companies.fetch_unaudited(company.id).name == "Anne igen"  # type: ignore[union-attr]


def test_a_revoked_token_is_refused_and_keeps_everything(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    a = make_workspace("a")
    a.repos.companies.add(factories.company(team_id=TEAM))
    ops = pending_count(a.store)
    sync_server.token_for(TEAM, "anne", device=str(a.store.device_id))
    sync_server.storage.revoke_device(
        sync_server.device_id("anne", str(a.store.device_id)), sync_server.clock()
    )
    with pytest.raises(SyncError) as failed:
        sync(a, sync_server, "anne")
    assert failed.value.code == "device_revoked"
    assert pending_count(a.store) == ops


def test_a_batch_number_the_server_does_not_expect_is_renumbered(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    a = make_workspace("a")
    a.repos.companies.add(factories.company(team_id=TEAM))
    with a.store.write():
        a.store._set_state(sync_state.NEXT_BATCH, "7")  # as after a server restored from a backup
    ops = pending_count(a.store)
    assert sync(a, sync_server, "anne").pushed == ops
    assert a.store.state()[sync_state.NEXT_BATCH] == "2"


def test_a_change_into_another_team_is_rejected_and_listed(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    a = make_workspace("a")
    a.repos.companies.add(factories.company(team_id="someone-elses-team", name="Fremmed A/S"))
    ops = pending_count(a.store)
    summary = sync(a, sync_server, "anne")
    assert summary == RoundSummary(pushed=ops, pulled=0, conflicts=0, rejected=ops)
    assert pending_count(a.store) == 0
    rejected = sync_state.rejected_changes(a.store)
    assert {r.reason for r in rejected} == {"forbidden_team"}
    assert "Fremmed A/S" in [r.value for r in rejected]

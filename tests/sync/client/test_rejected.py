"""No single change blocks the queue, and a rejected change leaves the record as the team has
it: a value the server refuses goes into the list of rejected changes and the record shows the
server's value again; a change too large for any server is rejected here; a batch a proxy refuses
for its size is halved until it goes (docs/sync.md "Rejected changes"). On both storages.

The bad values are written through the repositories, past the forms' boundary, as a laptop of
an older version (whose forms let them through) has them in its outbox."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import httpx
import pytest

from feltkonsulent.domain import limits
from feltkonsulent.domain.entities import Company
from feltkonsulent.domain.errors import ValidationError
from feltkonsulent.domain.ids import uuid7
from feltkonsulent.services import sync as sync_service
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage import migrations, sync_state
from feltkonsulent.storage.changes import pending_count
from feltkonsulent.sync import client as client_module
from feltkonsulent.sync.client import RoundSummary, SyncError
from tests import factories
from tests.conftest import FakeClock
from tests.sync.client.conftest import MakeWorkspace
from tests.sync.client.helpers import NO_WAIT, TEAM, exported, old_edit, shared_company, sync_as
from tests.sync.client.test_hostile_pull import store_legacy
from tests.sync.client.test_resync import server_value
from tests.sync.client.test_round import DropAnswers
from tests.sync.conftest import SyncServer
from tests.sync.properties.world import back_up, restore_backup
from tests.sync.server.helpers import Device


def held(ws: Workspace, company: Company) -> Company:
    found = ws.repos.companies.get(company.id)
    assert isinstance(found, Company)
    return found


def test_a_rejected_value_leaves_the_server_value_in_the_record_and_the_list_keeps_it(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    company = shared_company(sync_server, "Netto Vejle", (a, "anne"), (b, "bo"))
    too_long = "N" * (limits.text_limit("name") + 1)
    old_edit(a, company, name=too_long, city="Børkop")

    summary = sync_as(a, sync_server, "anne")
    assert (summary.pushed, summary.rejected) == (2, 1) and summary.needs_attention
    assert held(a, company).name == "Netto Vejle", "the record shows the team's value again"
    assert held(a, company).city == "Børkop", "the rest of the edit went in"
    [rejected] = sync_state.rejected_changes(a.store)
    assert (rejected.field, rejected.value, rejected.reason) == ("name", too_long, "bad_value")
    assert pending_count(a.store) == 0

    again = sync_as(a, sync_server, "anne")
    assert not again.needs_attention, "a round that finds nothing new is quiet"
    sync_as(b, sync_server, "bo")
    assert exported(a) == exported(b), "both laptops hold what the server holds"


def test_a_change_too_large_for_any_server_is_rejected_here_and_the_queue_moves_on(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    company = shared_company(sync_server, "Netto Vejle", (a, "anne"), (b, "bo"))
    huge = "x" * (10 * 1024 * 1024)  # over the server's 8 MiB body limit on its own
    old_edit(a, company, notes=huge)
    a.repos.companies.add(factories.company(team_id=TEAM, name="Bilka Vejle"))

    summary = sync_as(a, sync_server, "anne")
    assert summary.rejected == 1 and pending_count(a.store) == 0 and not summary.mismatch
    [rejected] = sync_state.rejected_changes(a.store)
    assert (rejected.field, rejected.reason) == ("notes", "too_large")
    assert held(a, company).notes == company.notes, "the team's note again (fetched by a resync)"
    assert summary.resynced
    sync_as(b, sync_server, "bo")
    assert "Bilka Vejle" in {c["name"] for c in exported(b)["companies"]}
    assert exported(a) == exported(b)


class SmallProxy(httpx.BaseTransport):
    """A TLS proxy in front of the server whose body limit is smaller than the server's: it
    answers 413 with an HTML page, as nginx does (`client_max_body_size`)."""

    def __init__(self, max_bytes: int) -> None:
        self.inner = httpx.HTTPTransport()
        self.max_bytes = max_bytes
        self.refused = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if len(request.read()) > self.max_bytes:
            self.refused += 1
            return httpx.Response(413, html="<html><body>413 Request Entity Too Large</body></html>")
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def test_a_batch_a_proxy_refuses_for_its_size_is_halved_until_it_goes(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    for n in range(40):
        a.repos.companies.add(factories.company(team_id=TEAM, name=f"Firma {n}", notes="n" * 2000))
    a.repos.companies.add(factories.company(team_id=TEAM, name="Stor", notes="s" * 19_000 + "æ" * 1000))
    ops = pending_count(a.store)
    proxy = SmallProxy(max_bytes=20 * 1024)

    summary = sync_as(a, sync_server, "anne", transport=proxy)
    assert proxy.refused >= 2
    assert summary.pushed == ops - 1 and summary.rejected == 1
    [rejected] = sync_state.rejected_changes(a.store)
    assert (rejected.field, rejected.reason) == ("notes", "too_large"), "alone it is still refused"
    assert pending_count(a.store) == 0
    sync_as(b, sync_server, "bo")
    assert len(exported(b)["companies"]) == 41


def test_the_app_status_counts_rejected_and_refused(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    a = make_workspace("a")
    a.repos.companies.add(factories.company(team_id="someone-elses-team", name="Fremmed A/S"))
    sync_as(a, sync_server, "anne")
    status = sync_service.status(a)
    assert status.rejected > 0 and (status.refused, status.waiting) == (0, 0)


def test_a_change_rejected_for_its_size_is_applied_again_once_the_proxy_lets_it_through(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    company = shared_company(sync_server, "Netto Vejle", (a, "anne"), (b, "bo"))
    note = "Aftale om praktik: " + "ø" * 15_000
    a.save(dataclasses.replace(held(a, company), notes=note))
    sync_as(a, sync_server, "anne", transport=SmallProxy(max_bytes=16 * 1024))
    [rejected] = sync_state.rejected_changes(a.store)
    assert rejected.reason == "too_large"
    assert held(a, company).notes == company.notes, "the team's value again, fetched by a resync"

    assert sync_service.apply_again(a, rejected.op_id)  # the administrator raised the limit
    assert sync_state.rejected_changes(a.store) == []
    assert held(a, company).notes == note
    assert sync_as(a, sync_server, "anne").rejected == 0
    sync_as(b, sync_server, "bo")
    assert held(b, company).notes == note


def test_applying_again_a_value_still_outside_the_limits_changes_nothing(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    a = make_workspace("a")
    company = shared_company(sync_server, "Netto Vejle", (a, "anne"))
    old_edit(a, company, name="N" * 201)
    sync_as(a, sync_server, "anne")
    [rejected] = sync_state.rejected_changes(a.store)
    with pytest.raises(ValidationError) as refused:
        sync_service.apply_again(a, rejected.op_id)
    assert [e.code for e in refused.value.errors] == ["too_long"]
    assert held(a, company).name == "Netto Vejle" and pending_count(a.store) == 0
    assert sync_state.rejected_changes(a.store) == [rejected]
    sync_service.let_go_rejected(a, rejected.op_id)
    assert sync_state.rejected_changes(a.store) == []


def test_a_batch_stored_with_its_answer_lost_then_refused_by_a_proxy_never_blocks_the_queue(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    """A split never puts other content under a number once sent: the server may hold it."""
    a = make_workspace("a")
    for n in range(2):
        a.repos.companies.add(factories.company(team_id=TEAM, name=f"Firma {n}", notes="n" * 12_000))
    with pytest.raises(SyncError):
        sync_as(a, sync_server, "anne", transport=DropAnswers(drops=NO_WAIT.attempts))  # stored, unanswered
    sync_as(a, sync_server, "anne", transport=SmallProxy(max_bytes=16 * 1024))  # a hotel's proxy
    assert pending_count(a.store) == 0
    assert sync_as(a, sync_server, "anne") == RoundSummary(), "home again: nothing left, all agreed"


def test_a_restore_after_a_rejection_sends_back_the_records_other_acknowledged_values(
    make_workspace: MakeWorkspace, sync_server: SyncServer, clock: FakeClock
) -> None:
    a = make_workspace("a")
    company = shared_company(sync_server, "Netto Vejle", (a, "anne"))
    old_edit(a, company, name="N" * 201)
    assert sync_as(a, sync_server, "anne").rejected == 1
    backup = back_up(sync_server)
    clock.advance(seconds=1)
    a.save(dataclasses.replace(held(a, company), city="Børkop"))
    assert sync_as(a, sync_server, "anne").pushed == 1
    restore_backup(sync_server, backup)  # the acknowledged city is lost on the server
    clock.advance(seconds=1)
    summary = sync_as(a, sync_server, "anne")
    assert summary.resynced and summary.mismatch == ()
    assert server_value(sync_server, company.id, "city") == '"Børkop"'


def test_a_rejection_the_version_before_left_in_the_record_is_put_right_after_the_upgrade(
    make_workspace: MakeWorkspace, sync_server: SyncServer, clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a = make_workspace("a")
    company = shared_company(sync_server, "Netto Vejle", (a, "anne"))
    old_edit(a, company, name="N" * 201)
    # The version before: a rejected value and its stamp stayed in the record.
    monkeypatch.setattr(client_module, "restore_rejected", lambda *args: None)
    assert sync_as(a, sync_server, "anne").rejected >= 1
    monkeypatch.undo()
    migrations.m0010_rejected_stamps(a.store.db)  # as the upgrade runs it
    summary = sync_as(a, sync_server, "anne")
    assert summary.resynced and summary.mismatch == ()
    assert held(a, company).name == "Netto Vejle"
    clock.advance(days=2)  # the daily comparison agrees
    assert sync_as(a, sync_server, "anne").mismatch == ()


def test_a_change_rejected_here_fetches_the_team_value_whatever_the_resync_backoff(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    a = make_workspace("a")
    company = shared_company(sync_server, "Netto Vejle", (a, "anne"))
    with a.store.write():  # a resync ran earlier today: the next for a digest mismatch waits a day
        a.store._set_state(sync_state.RESYNCED, str(sync_state.now_ms(a.store)))
    a.save(dataclasses.replace(held(a, company), notes="Aftale: " + "ø" * 15_000))
    summary = sync_as(a, sync_server, "anne", transport=SmallProxy(max_bytes=16 * 1024))
    assert summary.rejected == 1 and summary.resynced and summary.mismatch == ()
    assert held(a, company).notes == company.notes


def test_a_value_over_the_limit_but_sendable_is_answered_with_the_team_value_at_once(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    a = make_workspace("a")
    company = shared_company(sync_server, "Netto Vejle", (a, "anne"))
    old_edit(a, company, notes="x" * (1024 * 1024))  # over 256 KiB, far under the body limit
    summary = sync_as(a, sync_server, "anne")
    assert summary.rejected == 1 and not summary.resynced
    [rejected] = sync_state.rejected_changes(a.store)
    assert rejected.reason == "bad_value"
    assert held(a, company).notes == company.notes


def test_an_edit_here_takes_a_refused_value_off_the_list(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    b = make_workspace("b")
    tove = Device(sync_server.url, sync_server.token_for(TEAM, "tove", device="tove"))
    row_id = uuid7()
    store_legacy(sync_server, tove, row_id, "employee_count", "-5")
    tove.close()
    assert sync_as(b, sync_server, "bo").refused == 1
    company = b.repos.companies.get(row_id)
    assert company is not None
    b.save(dataclasses.replace(company, employee_count=Decimal(12)))
    assert sync_service.refused_values(b) == []
    assert sync_as(b, sync_server, "bo").refused == 0

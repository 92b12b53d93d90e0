"""Two consultants offline make the same citizen on two laptops, each with a placement; after a
sync the Dubletter view's merge on one laptop reaches the other like any edit: one citizen with
both placements (and their notes) everywhere, nothing staged and nothing rejected."""

from __future__ import annotations

from feltkonsulent.domain.entities import Citizen
from feltkonsulent.services import duplicates
from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from feltkonsulent.storage import sync_state
from feltkonsulent.storage.inbox import staged_count
from feltkonsulent.sync.client import RoundSummary
from tests import factories
from tests.sync.client.conftest import MakeWorkspace
from tests.sync.client.helpers import TEAM, exported, shared_company, sync_as
from tests.sync.conftest import SyncServer


def offline_citizen(ws: Workspace, company_id: str, name: str, **fields: object) -> Citizen:
    """The citizen with CPR 211062-5629, as one consultant typed it, with a placement and a
    visit note."""
    citizen = factories.citizen(team_id=TEAM, name=name, **fields)
    placement = factories.placement(citizen.id, company_id, team_id=TEAM)
    company = ws.repos.companies.require(company_id)
    ws.register_placement(PlacementRegistration(company, citizen, placement))
    ws.record_visit(factories.visit(placement.id, team_id=TEAM))
    return citizen


def test_a_citizen_made_on_two_laptops_offline_is_merged_on_one_and_is_one_on_both(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    a, b = make_workspace("mette"), make_workspace("ali")
    company = shared_company(sync_server, "Bageriet Ørsted ApS", (a, "mette"), (b, "ali"))
    mettes = offline_citizen(a, company.id, "Amina Hassan", phone=None)
    alis = offline_citizen(b, company.id, "Amina Hasan", phone="20 30 40 50")
    rounds = RoundSummary()
    for _ in range(2):
        rounds += sync_as(a, sync_server, "mette") + sync_as(b, sync_server, "ali")
    (group,) = duplicates.groups(b)
    assert group.ids == tuple(sorted((mettes.id, alis.id)))

    duplicates.merge(b, mettes.id, alis.id)  # Ali keeps Mette's, with his phone number
    for _ in range(2):
        rounds += sync_as(b, sync_server, "ali") + sync_as(a, sync_server, "mette")

    assert (rounds.rejected, rounds.conflicts, rounds.mismatch) == (0, 0, ())
    for ws in (a, b):
        (citizen,) = ws.repos.citizens.where()
        assert (citizen.id, citizen.name, citizen.phone) == (mettes.id, "Amina Hassan", "20 30 40 50")
        placements = ws.repos.placements.for_citizen(mettes.id)
        assert len(placements) == 2
        assert all(len(ws.repos.aftercare_visits.for_placement(p.id)) == 1 for p in placements)
        assert ws.repos.citizens.is_deleted(alis.id)
        assert duplicates.groups(ws) == [] and duplicates.count(ws) == 0
        assert staged_count(ws.store) == 0 and sync_state.rejected_changes(ws.store) == []
        assert ws.pending_changes() == 0
    assert exported(a) == exported(b)


def test_a_placement_made_offline_for_the_merged_away_citizen_is_offered_again_and_moves(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    a, b = make_workspace("mette"), make_workspace("ali")
    company = shared_company(sync_server, "Bageriet Ørsted ApS", (a, "mette"), (b, "ali"))
    mettes = offline_citizen(a, company.id, "Amina Hassan")
    alis = offline_citizen(b, company.id, "Amina Hasan")
    for _ in range(2):
        sync_as(a, sync_server, "mette")
        sync_as(b, sync_server, "ali")
    duplicates.merge(a, mettes.id, alis.id)
    # Ali, offline, has not heard of the merge: a new placement for "his" Amina.
    late = factories.placement(alis.id, company.id, team_id=TEAM)
    b.register_placement(PlacementRegistration(company, b.repos.citizens.require(alis.id), late))
    rounds = RoundSummary()
    for _ in range(2):
        rounds += sync_as(a, sync_server, "mette") + sync_as(b, sync_server, "ali")
    for ws in (a, b):
        (group,) = duplicates.groups(ws)
        assert [(m.record.id, m.deleted) for m in group.members] == [
            (mettes.id, False), (alis.id, True)]
    duplicates.merge(b, mettes.id, alis.id)
    for _ in range(2):
        rounds += sync_as(b, sync_server, "ali") + sync_as(a, sync_server, "mette")
    assert (rounds.rejected, rounds.mismatch) == (0, ())
    for ws in (a, b):
        assert len(ws.repos.placements.for_citizen(mettes.id)) == 3
        assert duplicates.count(ws) == 0 and staged_count(ws.store) == 0
        assert sync_state.rejected_changes(ws.store) == []
    assert exported(a) == exported(b)

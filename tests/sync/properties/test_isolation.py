"""Isolation (SYNC.md 7) end to end with real clients: two users in different teams never see
each other's records — not by pulling, not by writing a record under the other team's id or
into the other team — while a colleague in the same team sees everything."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from feltkonsulent.domain.ids import TeamId, uuid7
from feltkonsulent.services.workspace import PlacementRegistration
from feltkonsulent.storage import sync_state
from feltkonsulent.storage.changes import pending_count
from tests import factories
from tests.sync.conftest import SyncServer

from .world import Client, Made, assert_converged, collect, new_client, records, sync_until_quiet


def team_ids(client: Client) -> set[str]:
    return {record["team_id"] for record in records(client.ws).values()}


def test_two_users_in_different_teams_never_see_each_others_records(
    sync_server: SyncServer, tmp_path: Path
) -> None:
    red, blue = f"red-{uuid7()[-8:]}", f"blue-{uuid7()[-8:]}"
    anne, carl = new_client(tmp_path, "anne", red), new_client(tmp_path, "carl", red)
    bo = new_client(tmp_path, "bo", blue)
    made: dict[str, Made] = {}

    company = factories.company(team_id=red, name="Bageriet Ørsted ApS")
    citizen = factories.citizen(team_id=red)
    placement = factories.placement(citizen.id, company.id, team_id=red)
    anne.ws.register_placement(PlacementRegistration(company, citizen, placement))
    anne.ws.record_visit(factories.visit(placement.id, team_id=red))
    collect(anne.ws, made)
    bo.ws.repos.companies.add(factories.company(team_id=blue, name="Blå Værksted A/S"))
    sync_until_quiet([anne, carl, bo], sync_server)

    assert team_ids(bo) == {blue}
    assert team_ids(anne) == team_ids(carl) == {red}
    assert carl.ws.repos.citizens.get(citizen.id) is not None
    assert len(carl.ws.visit_history(placement.id)) == 1
    assert bo.ws.repos.citizens.fetch_unaudited(citizen.id) is None

    # Bo writes anne's company under his own team (same id), and into her team outright.
    bo.ws.repos.companies.add(dataclasses.replace(company, team_id=TeamId(blue), name="Kapret ApS"))
    bo.ws.repos.companies.add(factories.company(team_id=red, name="Indsneget ApS"))
    sent = pending_count(bo.ws.store)
    summary = bo.sync(sync_server)
    assert summary.rejected == sent
    assert {r.reason for r in sync_state.rejected_changes(bo.ws.store)} == {"forbidden_team"}
    sync_until_quiet([anne, carl], sync_server)
    assert anne.ws.repos.companies.require(company.id).name == "Bageriet Ørsted ApS"
    assert team_ids(anne) == team_ids(carl) == {red}
    assert_converged([anne, carl], sync_server, made)
    # Bo's pull still brings nothing of the red team.
    bo.sync(sync_server)
    held = records(bo.ws)
    assert [r["name"] for r in held.values() if r["team_id"] == red] == ["Indsneget ApS"], \
        "only bo's own rejected record (it stays local, listed as rejected)"
    assert not {k for k in held if k[1] in {citizen.id, placement.id}}
    assert held[("companies", company.id)]["name"] == "Kapret ApS"
    for client in (anne, carl, bo):
        client.close()

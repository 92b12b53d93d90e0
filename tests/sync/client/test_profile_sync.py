"""The municipality's profile is the team's: made on one laptop, it reaches the others; made on two
laptops offline, it becomes one record whose fields merge."""

from __future__ import annotations

from feltkonsulent.services import profile
from tests.sync.client.conftest import MakeWorkspace
from tests.sync.client.helpers import exported, sync_as
from tests.sync.conftest import SyncServer


def test_a_profile_set_on_one_laptop_is_printed_by_the_teammates(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    a, b = make_workspace("mette"), make_workspace("ali")
    profile.update(a, municipality="Vejle Kommune", department="Virksomhedsservice",
                   consultant="Mette Kjær", consultant_phone="20 30 40 50")
    sync_as(a, sync_server, "mette")
    sync_as(b, sync_server, "ali")
    seen = profile.current(b)
    assert seen.municipality == "Vejle Kommune"
    assert seen.team is not None and seen.team.department == "Virksomhedsservice"
    # The consultant's part is Mette's own: Ali has none until he gives his.
    assert seen.consultant is None
    assert profile.current(b, user="mette").consultant is not None
    assert exported(b)["consultant_profiles"] == exported(a)["consultant_profiles"]


def test_two_laptops_offline_make_one_team_profile_and_both_edits_survive(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    a, b = make_workspace("mette"), make_workspace("ali")
    profile.update(a, municipality="Vejle Kommune", phone="76 81 00 00")
    profile.update(b, municipality="Vejle Kommune", email="virk@vejle.dk")
    for _ in range(2):
        sync_as(a, sync_server, "mette")
        sync_as(b, sync_server, "ali")
    assert len(exported(a)["team_profiles"]) == 1
    for ws in (a, b):
        team = profile.current(ws).team
        assert team is not None
        assert (team.phone, team.email) == ("76 81 00 00", "virk@vejle.dk")


def test_a_profile_made_before_the_first_sync_becomes_the_teams(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    a, b = make_workspace("mette", team="local"), make_workspace("ali", team="local")
    profile.update(a, municipality="Vejle Kommune", consultant="Mette Kjær")
    sync_as(a, sync_server, "mette")
    summary = sync_as(b, sync_server, "ali")
    assert summary.rejected == 0
    assert profile.current(b).municipality == "Vejle Kommune"
    # Edited on the other laptop, the one profile changes; no second one is made.
    profile.update(b, department="Jobcenter Vejle")
    sync_as(b, sync_server, "ali")
    sync_as(a, sync_server, "mette")
    team = profile.current(a).team
    assert team is not None and team.department == "Jobcenter Vejle"
    assert len(exported(a)["team_profiles"]) == 1

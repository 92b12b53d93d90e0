"""A database made before its first sync joins the user's team: records and waiting changes."""

from __future__ import annotations

from feltkonsulent.domain.ids import TeamId
from feltkonsulent.services import demo
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage.changes import pending_changes
from feltkonsulent.storage.team import join_team, needs_team
from tests.ui.conftest import TODAY


def test_every_local_record_and_waiting_change_moves_to_the_team(workspace: Workspace) -> None:
    demo.populate(workspace, records=10, seed=2, today=TODAY)
    store = workspace.store
    assert needs_team(store)
    records = sum(workspace.repos.by_entity(e).count() for e in ("companies", "citizens", "placements"))
    moved = join_team(store, TeamId("vejle"))
    assert moved >= records and not needs_team(store) and store.team_id == "vejle"
    changes = pending_changes(store)
    assert {c.team_id for c in changes} == {"vejle"}
    # The record's own team field, as an op and inside visit notes' whole-record ops.
    assert {c.value for c in changes if c.field == "team_id"} == {"vejle"}
    notes = [c.value for c in changes if c.field == "*"]
    assert notes and {n["team_id"] for n in notes} == {"vejle"}
    assert {c.team_id for c in workspace.repos.companies.where()} == {"vejle"}
    new = workspace.new(type(workspace.repos.companies.where()[0]), name="Ny ApS", cvr="13585628")
    assert new.team_id == "vejle"  # records made from now on belong to the team
    reopened = store.reopen()
    try:
        assert reopened.team_id == "vejle"
    finally:
        reopened.close()

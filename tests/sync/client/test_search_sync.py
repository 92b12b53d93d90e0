"""Search on the device that pulls: people and corrected notes are indexed from pulled changes as
from local edits."""

from __future__ import annotations

import dataclasses

from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from feltkonsulent.storage import search
from feltkonsulent.sync.apply import apply_changes
from tests import factories
from tests.conftest import FakeClock
from tests.sync.client.conftest import MakeWorkspace
from tests.sync.client.helpers import as_pulled


def pull_all(sender: Workspace, receiver: Workspace) -> None:
    with receiver.store.write():
        apply_changes(receiver.store, as_pulled(sender))


def found(ws: Workspace, text: str) -> list[tuple[str, str]]:
    return [(h.kind, h.row_id) for h in search.search(ws.store, text)]


def test_pulled_people_and_a_pulled_correction_are_found_as_on_the_device_that_wrote_them(
    make_workspace: MakeWorkspace, clock: FakeClock
) -> None:
    a, b = make_workspace("a"), make_workspace("b")
    team = a.store.team_id
    company = factories.company(team_id=team, name="Bageriet Ørsted")
    citizen = factories.citizen(team_id=team, name="Amina Hassan")
    placement = factories.placement(citizen.id, company.id, team_id=team)
    buddy = factories.support(placement.id, team_id=team, person_name="Jens Ågaard")
    a.register_placement(PlacementRegistration(company, citizen, placement, support=[buddy]))
    a.save(factories.contact(company.id, team_id=team, name="Mette Kjær"))
    old = factories.visit(placement.id, team_id=team, notes="Amina øver kassen")
    a.record_visit(old)
    new = a.correct_visit(old.id, dataclasses.replace(old, notes="Amina øver kassen og lageret"))
    pull_all(a, b)
    assert found(b, "jens aagaard") == [("support_arrangements", buddy.id)]
    assert [kind for kind, _ in found(b, "kjaer")] == ["contacts"]
    assert found(b, "kassen") == [("aftercare_visits", new.id)]
    clock.advance(seconds=1)
    a.repos.aftercare_visits.delete(new.id)
    pull_all(a, b)  # the tombstone: the note before is the latest again
    assert found(b, "kassen") == [("aftercare_visits", old.id)]

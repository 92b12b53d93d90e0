"""Use cases: register a placement in one transaction, refuse what would break, visits, due items."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from feltkonsulent.domain.entities import AftercareVisit, Citizen, Company, Placement
from feltkonsulent.domain.errors import ValidationError
from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from feltkonsulent.storage.changes import pending_count
from tests import factories

TODAY = date(2026, 11, 22)


def registration(**overrides: object) -> PlacementRegistration:
    company = factories.company()
    citizen = factories.citizen()
    contact = factories.contact(company.id)
    placement = factories.placement(citizen.id, company.id, contact_id=contact.id)
    values: dict[str, object] = dict(
        company=company,
        citizen=citizen,
        contact=contact,
        placement=placement,
        support=[factories.support(placement.id)],
        language_partners=[factories.language_partner(placement.id)],
    )
    values.update(overrides)
    return PlacementRegistration(**values)  # type: ignore[arg-type]


def counts(ws: Workspace) -> dict[str, int]:
    return {
        name: ws.repos.by_entity(name).count()
        for name in (
            "companies",
            "contacts",
            "citizens",
            "placements",
            "support_arrangements",
            "language_partners",
        )
    }


def test_a_full_placement_is_registered_at_once(workspace: Workspace) -> None:
    r = registration()
    workspace.register_placement(r)
    assert counts(workspace) == dict.fromkeys(counts(workspace), 1)
    assert workspace.get(Placement, r.placement.id) == r.placement


def test_one_bad_arrangement_saves_nothing(workspace: Workspace) -> None:
    good = registration()
    bad_buddy = factories.support(good.placement.id, start_date=date(2026, 12, 1), end_date=date(2026, 11, 1))
    with pytest.raises(ValidationError) as caught:
        workspace.register_placement(dataclasses.replace(good, support=[bad_buddy]))
    assert caught.value.codes == {"end_before_start"}
    assert set(counts(workspace).values()) == {0}
    assert pending_count(workspace.store) == 0


def test_a_failure_half_way_through_the_transaction_saves_nothing(workspace: Workspace) -> None:
    """The placement names a contact that does not exist: company and citizen are written
    first, then the placement is refused, and all of it is rolled back."""
    good = registration()
    orphan = dataclasses.replace(good.placement, contact_id="no-such-contact")
    with pytest.raises(ValidationError) as caught:
        workspace.register_placement(
            dataclasses.replace(good, contact=None, placement=orphan, support=[], language_partners=[])
        )
    assert caught.value.codes == {"unknown_reference"}
    assert set(counts(workspace).values()) == {0}
    assert pending_count(workspace.store) == 0


def test_an_existing_company_and_citizen_are_reused_as_they_are(workspace: Workspace) -> None:
    first = registration()
    workspace.register_placement(first)
    renamed = dataclasses.replace(first.company, name="Ignored Name")
    second_placement = factories.placement(
        first.citizen.id, first.company.id, start_date=date(2027, 1, 4), end_date=date(2027, 2, 1)
    )
    workspace.register_placement(PlacementRegistration(renamed, first.citizen, second_placement))
    assert counts(workspace)["companies"] == 1 and counts(workspace)["placements"] == 2
    assert workspace.get(Company, first.company.id) == first.company


def test_saving_a_record_that_points_at_a_deleted_one_is_refused(workspace: Workspace) -> None:
    r = registration()
    workspace.register_placement(r)
    workspace.delete(Placement, r.placement.id)
    with pytest.raises(ValidationError) as caught:
        workspace.save(factories.visit(r.placement.id))
    assert caught.value.codes == {"unknown_reference"}


def test_a_company_or_citizen_with_live_placements_is_not_deleted(workspace: Workspace) -> None:
    r = registration()
    workspace.register_placement(r)
    for cls, row_id in ((Company, r.company.id), (Citizen, r.citizen.id)):
        with pytest.raises(ValidationError) as caught:
            workspace.delete(cls, row_id)
        assert caught.value.codes == {"has_placements"}
    workspace.delete(Placement, r.placement.id)
    workspace.delete(Company, r.company.id)
    assert workspace.get(Company, r.company.id) is None


def test_save_reports_what_changed(workspace: Workspace) -> None:
    company = workspace.new(Company, name="Netto Vejle", cvr="13585628")
    assert "name" in workspace.save(company)
    assert workspace.save(dataclasses.replace(company, city="Vejle")) == ("city",)
    assert workspace.save(dataclasses.replace(company, city="Vejle")) == ()


def test_a_correction_supersedes_the_note_and_keeps_the_history(workspace: Workspace) -> None:
    r = registration()
    workspace.register_placement(r)
    first = workspace.record_visit(factories.visit(r.placement.id, notes="Mødte ikke op"))
    fixed = workspace.correct_visit(first.id, dataclasses.replace(first, notes="Mødte op kl. 8"))
    assert fixed.supersedes == first.id and fixed.id != first.id
    history = workspace.visit_history(r.placement.id)
    assert [(v.notes, superseded) for v, superseded in history] == [
        ("Mødte ikke op", True),
        ("Mødte op kl. 8", False),
    ]
    with pytest.raises(ValidationError) as caught:
        workspace.correct_visit(first.id, dataclasses.replace(first, notes="Igen"))
    assert caught.value.codes == {"already_superseded"}


def test_what_is_due_today(workspace: Workspace) -> None:
    r = registration()
    workspace.register_placement(
        dataclasses.replace(
            r,
            placement=dataclasses.replace(r.placement, end_date=date(2026, 12, 1)),
            support=[],
            language_partners=[],
        )
    )
    pid = r.placement.id
    due_today = factories.visit(pid, planned_on=TODAY, visited_on=None, next_visit_on=None)
    overdue = factories.visit(pid, planned_on=date(2026, 11, 18), visited_on=None, next_visit_on=None)
    later = factories.visit(pid, planned_on=date(2026, 11, 30), visited_on=None, next_visit_on=None)
    for visit in (due_today, overdue, later):
        workspace.record_visit(visit)
    due = workspace.due(TODAY)
    assert [(d.visit_id, d.overdue) for d in due.visits] == [(due_today.id, False), (overdue.id, True)]
    assert due.visits_total == 2 and due.ending_total == 1
    capped = workspace.due(TODAY, limit=1)
    assert [d.visit_id for d in capped.visits] == [due_today.id] and capped.visits_total == 2
    assert [e.placement_id for e in due.ending] == [pid]
    assert workspace.due(TODAY, ending_within_days=5).ending == []


def test_a_late_follow_up_is_due_until_a_later_visit_is_registered(workspace: Workspace) -> None:
    r = registration()
    workspace.register_placement(r)
    done = factories.visit(
        r.placement.id,
        planned_on=date(2026, 11, 2),
        visited_on=date(2026, 11, 2),
        next_visit_on=date(2026, 11, 16),
    )
    workspace.record_visit(done)
    assert [d.visit_id for d in workspace.due(TODAY).visits] == [done.id]
    workspace.record_visit(
        factories.visit(
            r.placement.id, planned_on=date(2026, 11, 20), visited_on=date(2026, 11, 20), next_visit_on=None
        )
    )
    assert workspace.due(TODAY).visits == []


def test_search_results_never_show_a_cpr_number(workspace: Workspace) -> None:
    r = registration()
    workspace.register_placement(r)
    results = workspace.search("211062")
    assert [(x.kind, x.title, x.detail) for x in results] == [("citizens", "Amina Hassan", "")]


def test_the_placement_list_masks_cpr_and_sorts_by_end_date(workspace: Workspace) -> None:
    first = registration()
    workspace.register_placement(first)
    second = factories.placement(
        first.citizen.id, first.company.id, start_date=date(2026, 9, 1), end_date=date(2026, 10, 1)
    )
    workspace.save(second)
    rows = workspace.placement_page(limit=50)
    assert [row.id for row in rows] == [second.id, first.placement.id]
    assert {row.masked_cpr for row in rows} == {"211062-xxxx"}


def test_visits_are_kept_as_written(workspace: Workspace) -> None:
    r = registration()
    workspace.register_placement(r)
    visit = workspace.record_visit(factories.visit(r.placement.id))
    assert workspace.get(AftercareVisit, visit.id) == visit


def test_placements_and_visit_notes_found_are_named_by_citizen_and_company(workspace: Workspace) -> None:
    r = registration()
    workspace.register_placement(r)
    visit = factories.visit(r.placement.id, participants="Amina, Mette", notes="Snak om bagning af rugbrød")
    workspace.record_visit(visit)
    found = {x.kind: x for x in workspace.search("rugbrød")}
    name = f"{r.citizen.name} · {r.company.name}"
    assert found["aftercare_visits"].title == name
    assert found["aftercare_visits"].detail.startswith("Amina, Mette · ")
    assert "rugbrød" in found["aftercare_visits"].detail and "[" not in found["aftercare_visits"].detail
    (placement,) = [x for x in workspace.search("opvask") if x.kind == "placements"]
    assert placement.title == name and placement.row_id == r.placement.id

"""A visit is one visit however many versions it has: corrections, a planned date moved, the note
that fulfils a planned visit. `write_note` plans a note's next visit; due() and the Besøg list
show each visit once."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from feltkonsulent.domain.entities import AftercareVisit, Placement
from feltkonsulent.domain.enums import PlacementStatus, VisitMode
from feltkonsulent.services import lists
from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from tests import factories

TODAY = date(2026, 11, 22)


def placement_id(ws: Workspace) -> str:
    company, citizen = factories.company(), factories.citizen()
    placement = factories.placement(citizen.id, company.id)
    ws.register_placement(PlacementRegistration(company, citizen, placement))
    return placement.id


def note(pid: str, day: date, next_on: date | None, **fields: object) -> AftercareVisit:
    return factories.visit(pid, planned_on=None, visited_on=day, next_visit_on=next_on, **fields)


def test_a_note_plans_its_next_visit_once(workspace: Workspace) -> None:
    pid = placement_id(workspace)
    first = workspace.write_note(note(pid, date(2026, 11, 16), date(2026, 11, 30), mode=VisitMode.PHONE))
    (plan,) = workspace.planned_visits(pid)
    assert (plan.planned_on, plan.visited_on, plan.mode) == (date(2026, 11, 30), None, VisitMode.PHONE)
    assert plan.notes is None
    # Another note naming the same day plans nothing more; a correction keeping it neither.
    workspace.write_note(note(pid, date(2026, 11, 18), date(2026, 11, 30)))
    workspace.write_note(dataclasses.replace(first, notes="Rettet"), first.id)
    assert [v.id for v in workspace.planned_visits(pid)] == [plan.id]
    # A note as given (the demo, an import) plans nothing.
    workspace.record_visit(note(pid, date(2026, 11, 19), date(2026, 12, 3)))
    assert [v.id for v in workspace.planned_visits(pid)] == [plan.id]


def test_a_corrected_next_visit_moves_the_visit_it_planned(workspace: Workspace) -> None:
    pid = placement_id(workspace)
    first = workspace.write_note(note(pid, date(2026, 11, 16), date(2026, 11, 30)))
    (plan,) = workspace.planned_visits(pid)
    workspace.write_note(dataclasses.replace(first, next_visit_on=date(2026, 12, 2)), first.id)
    (moved,) = workspace.planned_visits(pid)
    assert moved.supersedes == plan.id and moved.planned_on == date(2026, 12, 2)
    assert lists.visit_count(workspace) == 2  # the note and the planned visit, each once
    assert [d.visit_id for d in workspace.due(TODAY).upcoming] == [moved.id]


def test_the_note_of_a_planned_visit_fulfils_it(workspace: Workspace) -> None:
    pid = placement_id(workspace)
    workspace.write_note(note(pid, date(2026, 11, 9), TODAY))
    (plan,) = workspace.planned_visits(pid)
    due = workspace.due(TODAY)
    # The follow-up of the note and its planned visit are one item, not two.
    assert [(d.visit_id, d.overdue) for d in due.visits] == [(plan.id, False)] and due.visits_total == 1
    made = dataclasses.replace(plan, visited_on=TODAY, notes="Besøgt", next_visit_on=None)
    workspace.write_note(made, plan.id)
    assert workspace.planned_visits(pid) == []
    assert workspace.due(TODAY).visits == [] and workspace.due(TODAY + timedelta(days=30)).visits == []
    assert lists.visit_count(workspace) == 2


def test_a_corrected_late_follow_up_is_one_item_on_i_dag(workspace: Workspace) -> None:
    pid = placement_id(workspace)
    late = workspace.record_visit(note(pid, date(2026, 11, 2), date(2026, 11, 16)))
    fixed = workspace.correct_visit(late.id, dataclasses.replace(late, notes="Rettet"))
    due = workspace.due(TODAY)
    assert [(d.visit_id, d.overdue) for d in due.visits] == [(fixed.id, True)] and due.visits_total == 1
    # A correction that moves the visit's date earlier is no "later visit" of its own.
    again = workspace.correct_visit(fixed.id, dataclasses.replace(fixed, visited_on=date(2026, 11, 1)))
    assert [d.visit_id for d in workspace.due(TODAY).visits] == [again.id]
    assert lists.visit_count(workspace) == 1


def test_planned_visits_in_the_coming_days_are_upcoming_soonest_first(workspace: Workspace) -> None:
    pid = placement_id(workspace)
    for day in (date(2026, 12, 4), date(2026, 11, 25), date(2026, 12, 20), TODAY):
        workspace.record_visit(factories.visit(pid, planned_on=day, visited_on=None, next_visit_on=None))
    due = workspace.due(TODAY)
    assert [d.due_on for d in due.visits] == [TODAY]
    assert [(d.due_on, d.overdue) for d in due.upcoming] == [
        (date(2026, 11, 25), False), (date(2026, 12, 4), False)]
    assert due.upcoming_total == 2
    capped = workspace.due(TODAY, limit=1)
    assert [d.due_on for d in capped.upcoming] == [date(2026, 11, 25)] and capped.upcoming_total == 2


def test_aftercare_planned_after_a_placement_ended_is_due_but_not_a_cancelled_ones(
    workspace: Workspace,
) -> None:
    ended, cancelled = placement_id(workspace), placement_id(workspace)
    for pid, status in ((ended, "ended"), (cancelled, "cancelled")):
        placement = workspace.get(Placement, pid)
        assert placement is not None
        workspace.save(dataclasses.replace(placement, status=PlacementStatus(status)))
        workspace.record_visit(factories.visit(pid, planned_on=TODAY, visited_on=None, next_visit_on=None))
        workspace.record_visit(factories.visit(pid, planned_on=TODAY + timedelta(days=3), visited_on=None,
                                               next_visit_on=None))
    due = workspace.due(TODAY)
    assert [d.placement_id for d in due.visits] == [ended]
    assert [d.placement_id for d in due.upcoming] == [ended]

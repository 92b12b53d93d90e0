"""Rule findings through the services: saved placements, drafts, and reasons to go on past them."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from feltkonsulent.domain.enums import PlacementKind, TargetGroup
from feltkonsulent.domain.errors import ValidationError
from feltkonsulent.domain.rules import Severity
from feltkonsulent.services import rules
from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from tests import factories

TODAY = date(2026, 11, 22)


def saved(ws: Workspace, **placement: object) -> str:
    company = factories.company(employee_count=Decimal(30))
    citizen = factories.citizen(target_group=TargetGroup.UNEMPLOYMENT_BENEFIT)
    p = factories.placement(citizen.id, company.id, **placement)
    ws.register_placement(PlacementRegistration(company, citizen, p))
    return p.id


def test_a_saved_placement_past_its_limit_has_a_finding_until_a_reason_is_given(
    workspace: Workspace,
) -> None:
    pid = saved(workspace, start_date=date(2026, 11, 2), end_date=date(2026, 12, 20))
    (checked,) = rules.placement_findings(workspace, pid)
    assert checked.finding.code == "internship_too_long" and checked.needs_attention
    override = rules.go_on_past(workspace, pid, "internship_too_long", " Aftalt med a-kassen ", TODAY)
    (checked,) = rules.placement_findings(workspace, pid)
    assert checked.override == override and not checked.needs_attention
    assert override.reason == "Aftalt med a-kassen"
    assert [c.override for c in rules.all_findings(workspace)] == [override]


def test_an_impossible_period_cannot_be_gone_past(workspace: Workspace) -> None:
    pid = saved(workspace)
    with pytest.raises(ValidationError) as caught:
        rules.go_on_past(workspace, pid, "end_before_start", "fordi", TODAY)
    assert caught.value.codes == {"cannot_override"}
    with pytest.raises(ValidationError) as empty:
        rules.go_on_past(workspace, pid, "internship_too_long", "  ", TODAY)
    assert empty.value.codes == {"required"}


def test_a_draft_is_checked_against_the_saved_placements(workspace: Workspace) -> None:
    pid = saved(workspace, start_date=date(2026, 11, 2), end_date=date(2026, 11, 20))
    first = workspace.repos.placements.require(pid)
    citizen = workspace.repos.citizens.require(first.citizen_id)
    company = workspace.repos.companies.require(first.company_id)
    draft = factories.placement(
        citizen.id,
        company.id,
        kind=PlacementKind.ORDINARY_HOURS,
        start_date=date(2026, 11, 16),
        end_date=date(2026, 11, 30),
        weekly_hours=Decimal(40),
    )
    found = rules.draft_findings(workspace, draft, citizen, company)
    assert sorted(f.code for f in found) == ["hours_above_full_time", "overlapping_placement"]
    assert all(f.severity is Severity.WARNING for f in found)
    assert workspace.repos.placements.count() == 1
    # The draft of an edit is not compared with its own saved self.
    edited = dataclasses.replace(first, end_date=date(2026, 11, 25))
    assert rules.draft_findings(workspace, edited, citizen, company) == []


def test_deleted_placements_are_not_checked(workspace: Workspace) -> None:
    pid = saved(workspace, start_date=date(2026, 11, 2), end_date=date(2026, 12, 20))
    from feltkonsulent.domain.entities import Placement

    workspace.delete(Placement, pid)
    assert rules.all_findings(workspace) == []


def test_a_new_placement_past_a_limit_needs_a_reason_and_keeps_it(workspace: Workspace) -> None:
    company = factories.company(employee_count=Decimal(30))
    citizen = factories.citizen(target_group=TargetGroup.UNEMPLOYMENT_BENEFIT)
    placement = factories.placement(
        citizen.id, company.id, start_date=date(2026, 11, 2), end_date=date(2026, 12, 20)
    )
    registration = PlacementRegistration(company, citizen, placement)
    with pytest.raises(ValidationError) as caught:
        rules.register_with_reasons(workspace, registration, {}, TODAY)
    assert [(e.code, e.field) for e in caught.value.errors] == [("reason_required", "internship_too_long")]
    assert workspace.repos.placements.count() == 0
    rules.register_with_reasons(
        workspace, registration, {"internship_too_long": "Aftalt med a-kassen"}, TODAY
    )
    (checked,) = rules.placement_findings(workspace, placement.id)
    assert checked.override is not None and checked.override.reason == "Aftalt med a-kassen"


def test_an_edit_that_brings_up_a_warning_needs_a_reason_and_saves_all_or_nothing(
    workspace: Workspace,
) -> None:
    pid = saved(workspace, start_date=date(2026, 11, 2), end_date=date(2026, 11, 20))
    assert rules.placement_findings(workspace, pid) == []
    longer = dataclasses.replace(workspace.repos.placements.require(pid), end_date=date(2026, 12, 20))
    buddy = factories.support(pid)
    with pytest.raises(ValidationError) as caught:
        rules.update_with_reasons(workspace, longer, [buddy], {}, TODAY)
    assert [(e.code, e.field) for e in caught.value.errors] == [("reason_required", "internship_too_long")]
    assert workspace.repos.placements.require(pid).end_date == date(2026, 11, 20)
    assert workspace.arrangements_of(pid) == ([], [])

    rules.update_with_reasons(workspace, longer, [buddy], {"internship_too_long": "Forlænget efter aftale"},
                              TODAY)
    assert workspace.repos.placements.require(pid).end_date == date(2026, 12, 20)
    assert workspace.arrangements_of(pid) == ([buddy], [])
    (checked,) = rules.placement_findings(workspace, pid)
    assert checked.override is not None and checked.override.reason == "Forlænget efter aftale"

    # The warning was passed once: a later edit does not ask again, and adds no second reason.
    fewer_hours = dataclasses.replace(longer, weekly_hours=Decimal(20))
    rules.update_with_reasons(workspace, fewer_hours, [], {}, TODAY)
    assert len(workspace.repos.rule_overrides.for_placement(pid)) == 1


def test_an_edit_cannot_move_a_placement_to_another_company_or_save_a_bad_arrangement(
    workspace: Workspace,
) -> None:
    pid = saved(workspace, start_date=date(2026, 11, 2), end_date=date(2026, 11, 20))
    placement = workspace.repos.placements.require(pid)
    other = factories.company(name="Anden ApS")
    workspace.save(other)
    with pytest.raises(ValidationError) as caught:
        workspace.update_placement(dataclasses.replace(placement, company_id=other.id))
    assert {e.field for e in caught.value.errors} == {"company_id"}
    bad_buddy = factories.support(pid, hours_per_week=Decimal(-1))
    with pytest.raises(ValidationError):
        workspace.update_placement(dataclasses.replace(placement, weekly_hours=Decimal(30)), [bad_buddy])
    assert workspace.repos.placements.require(pid).weekly_hours == placement.weekly_hours


def test_a_notice_needs_no_reason_and_no_attention(workspace: Workspace) -> None:
    """An internship in the introduction programme: the limit is not known, a notice says so;
    it is registered without a reason and is not among the findings that need attention."""
    company = factories.company(employee_count=Decimal(30))
    citizen = factories.citizen(target_group=TargetGroup.INTEGRATION_PROGRAMME)
    p = factories.placement(citizen.id, company.id, start_date=date(2026, 11, 2),
                            end_date=date(2027, 6, 30))
    found = rules.draft_findings(workspace, p, citizen, company)
    assert [(f.code, f.severity) for f in found] == [("limit_unconfirmed", Severity.NOTICE)]
    rules.register_with_reasons(workspace, PlacementRegistration(company, citizen, p), {}, TODAY)
    (checked,) = rules.placement_findings(workspace, p.id)
    assert checked.finding.code == "limit_unconfirmed" and not checked.needs_attention
    assert workspace.repos.rule_overrides.for_placement(p.id) == []

"""The demo data: every kind of record, valid numbers, the same content for the same seed."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from stdnum.dk import cpr as stdnum_cpr

from feltkonsulent.domain.enums import (
    Outcome,
    PlacementKind,
    PlacementStatus,
    Purpose,
    Readiness,
    Sector,
    SupportRole,
    TargetGroup,
)
from feltkonsulent.domain.rules import Severity
from feltkonsulent.domain.validation import check_cpr, check_cvr, cpr_birth_date
from feltkonsulent.services import rules
from feltkonsulent.services.demo import DemoSummary, populate
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage.database import open_database
from feltkonsulent.storage.keys import RawKey
from tests.conftest import FakeClock

TODAY = date(2026, 11, 22)
RECORDS = 60


@pytest.fixture
def progress() -> list[int]:
    return []


@pytest.fixture
def summary(workspace: Workspace, progress: list[int]) -> DemoSummary:
    return populate(
        workspace, records=RECORDS, seed=7, today=TODAY, batch=25, progress=progress.append
    )


def test_every_kind_purpose_group_readiness_and_role_is_represented(
    workspace: Workspace, summary: DemoSummary
) -> None:
    repos = workspace.repos
    placements = repos.placements.where()
    citizens = repos.citizens.where()
    assert {p.kind for p in placements} == set(PlacementKind)
    assert {p.purpose for p in placements} >= set(Purpose)
    assert {c.target_group for c in citizens} == set(TargetGroup)
    assert {c.readiness for c in citizens} >= set(Readiness)
    assert {s.role for s in repos.support_arrangements.where()} == set(SupportRole)
    assert {p.status for p in placements} == set(PlacementStatus)
    assert {c.sector for c in repos.companies.where()} == set(Sector)
    assert any(c.needs_interpreter for c in citizens)
    assert any(c.danish_level and c.danish_level.startswith("DU") for c in citizens)


def test_internships_state_their_purpose(workspace: Workspace, summary: DemoSummary) -> None:
    internships = [
        p for p in workspace.repos.placements.where() if p.kind is PlacementKind.INTERNSHIP
    ]
    assert internships
    assert all(p.purpose is not None for p in internships)


def test_statuses_and_outcomes_agree_with_the_dates(
    workspace: Workspace, summary: DemoSummary
) -> None:
    for p in workspace.repos.placements.where():
        if p.status is PlacementStatus.ENDED:
            assert p.end_date < TODAY and p.outcome not in (None, Outcome.CANCELLED), p
        elif p.status is PlacementStatus.ACTIVE:
            assert p.start_date <= TODAY <= p.end_date and p.outcome is None, p
        elif p.status is PlacementStatus.PLANNED:
            assert p.start_date > TODAY and p.outcome is None, p
        else:
            assert p.outcome is Outcome.CANCELLED, p


def test_cvr_and_cpr_numbers_are_valid_and_unique(
    workspace: Workspace, summary: DemoSummary
) -> None:
    companies = workspace.repos.companies.where()
    citizens = workspace.repos.citizens.where()
    assert [c.cvr for c in companies if check_cvr(c.cvr) is not None] == []
    assert [c.cpr for c in citizens if check_cpr(c.cpr, today=TODAY) is not None] == []
    # The old modulus-11 as well, which numbers issued before 2007 pass.
    assert [c.cpr for c in citizens if stdnum_cpr.checksum(c.cpr) != 0] == []
    assert len({c.cvr for c in companies}) == len(companies)
    assert len({c.cpr for c in citizens}) == len(citizens)
    assert len({c.p_number for c in companies}) == len(companies)


def test_citizens_are_of_working_age(workspace: Workspace, summary: DemoSummary) -> None:
    for citizen in workspace.repos.citizens.where():
        born = cpr_birth_date(citizen.cpr)
        age = TODAY.year - born.year - ((TODAY.month, TODAY.day) < (born.month, born.day))
        assert 18 <= age <= 60, (citizen.cpr, age)


def test_companies_have_contacts_and_larger_ones_an_employee_representative(
    workspace: Workspace, summary: DemoSummary
) -> None:
    contacts = workspace.repos.contacts.where()
    per_company = Counter(c.company_id for c in contacts)
    representatives = {c.company_id for c in contacts if c.is_employee_representative}
    companies = workspace.repos.companies.where()
    assert all(1 <= per_company[c.id] <= 3 for c in companies)
    large = [c.id for c in companies if (c.employee_count or 0) >= 10]
    assert large
    assert set(large) <= representatives
    contact_company = {c.id: c.company_id for c in contacts}
    for p in workspace.repos.placements.where():
        assert p.contact_id is not None
        assert contact_company[p.contact_id] == p.company_id


def test_arrangements_lie_inside_their_placement(
    workspace: Workspace, summary: DemoSummary
) -> None:
    placements = {p.id: p for p in workspace.repos.placements.where()}
    support = workspace.repos.support_arrangements.where()
    partners = workspace.repos.language_partners.where()
    assert support and partners
    periods = [(a.placement_id, a.start_date, a.end_date) for a in support]
    periods += [(a.placement_id, a.start_date, a.end_date) for a in partners]
    for placement_id, start, end in periods:
        p = placements[placement_id]
        assert p.start_date <= start <= end <= p.end_date, (placement_id, start, end)
    assert all(s.hourly_rate is None or s.hourly_rate > 0 for s in support)
    assert all(lp.focus_areas and lp.meeting_frequency for lp in partners)
    assert all(lp.trained_on is None or lp.trained_on < lp.start_date for lp in partners)


def test_a_few_placements_break_the_rules_and_some_have_a_reason(
    workspace: Workspace, summary: DemoSummary
) -> None:
    # Warnings: the notices that a limit is not known (limit_unconfirmed) break no rule.
    findings = [f for f in rules.all_findings(workspace) if f.finding.severity is Severity.WARNING]
    flagged = {f.finding.placement_id for f in findings}
    assert "internship_too_long" in {f.finding.code for f in findings}
    assert 1 <= len(flagged) <= RECORDS // 10
    overridden = [f for f in findings if f.override is not None]
    assert 1 <= len(overridden) == summary.rule_overrides
    assert all(f.override and f.override.reason for f in overridden)


def test_a_citizens_placements_do_not_overlap(workspace: Workspace, summary: DemoSummary) -> None:
    by_citizen: dict[str, list[tuple[date, date]]] = {}
    for p in workspace.repos.placements.where(order="start_date"):
        by_citizen.setdefault(p.citizen_id, []).append((p.start_date, p.end_date))
    assert any(len(periods) > 1 for periods in by_citizen.values())
    for periods in by_citizen.values():
        assert all(end < next_start for (_, end), (next_start, _) in pairwise(periods))


def test_summary_counts_equal_the_database(workspace: Workspace, summary: DemoSummary) -> None:
    repos = workspace.repos
    assert summary == DemoSummary(
        companies=repos.companies.count(),
        contacts=repos.contacts.count(),
        citizens=repos.citizens.count(),
        placements=repos.placements.count(),
        support_arrangements=repos.support_arrangements.count(),
        language_partners=repos.language_partners.count(),
        aftercare_visits=repos.aftercare_visits.count(),
        rule_overrides=repos.rule_overrides.count(),
        agreements=repos.agreements.count(),
    )
    assert summary.placements == RECORDS
    # 12 live placements are issued one (a placement that breached the ratio on its start day,
    # BAB § 65 stk. 4, would get none; at this seed none does).
    assert summary.agreements == 12
    assert summary.companies == RECORDS // 4
    assert summary.citizens == round(RECORDS * 0.8)
    assert 2 * RECORDS <= summary.aftercare_visits <= 4 * RECORDS


def test_progress_is_reported_after_each_batch(summary: DemoSummary, progress: list[int]) -> None:
    assert progress == [25, 50, 60]


def test_visits_include_corrections_and_visits_due(
    workspace: Workspace, summary: DemoSummary
) -> None:
    visits = workspace.repos.aftercare_visits.where()
    by_id = {v.id: v for v in visits}
    corrections = [v for v in visits if v.supersedes is not None]
    assert corrections
    for v in corrections:
        assert v.supersedes is not None
        assert by_id[v.supersedes].placement_id == v.placement_id
        assert v.notes and v.notes.startswith("Rettelse")
    planned = [v for v in visits if v.visited_on is None]
    assert any(v.planned_on and v.planned_on > TODAY for v in planned)
    assert all(v.visited_on <= TODAY for v in visits if v.visited_on)
    due = workspace.due(TODAY).visits
    assert any(d.due_on == TODAY for d in due)
    assert any(d.due_on < TODAY and d.overdue for d in due)


def test_the_same_seed_gives_the_same_content(
    workspace: Workspace, tmp_path: Path, key: RawKey, clock: FakeClock
) -> None:
    def content(ws: Workspace) -> tuple[list[tuple[str, str]], list[str]]:
        return (
            [(c.name, c.cvr) for c in ws.repos.companies.where()],
            [c.name for c in ws.repos.citizens.where()],
        )

    populate(workspace, records=20, seed=3, today=TODAY)
    other = open_database(tmp_path / "other.db", key, create=True, clock=clock)
    again = open_database(tmp_path / "again.db", key, create=True, clock=clock)
    try:
        populate(Workspace(other), records=20, seed=3, today=TODAY)
        populate(Workspace(again), records=20, seed=4, today=TODAY)
        assert content(Workspace(other)) == content(workspace)
        assert content(Workspace(again)) != content(workspace)
    finally:
        other.close()
        again.close()


def test_dates_follow_today(workspace: Workspace) -> None:
    later = TODAY + timedelta(days=400)
    populate(workspace, records=20, seed=1, today=later)
    active = [
        p for p in workspace.repos.placements.where() if p.status is PlacementStatus.ACTIVE
    ]
    assert active
    assert all(p.start_date <= later <= p.end_date for p in active)


@pytest.mark.parametrize(("records", "batch"), [(0, 10), (10, 0)])
def test_rejects_nothing_to_do(workspace: Workspace, records: int, batch: int) -> None:
    with pytest.raises(ValueError):
        populate(workspace, records=records, batch=batch, today=TODAY)
    assert workspace.repos.companies.count() == 0


def test_agreements_are_issued_and_about_half_signed(workspace: Workspace, summary: DemoSummary) -> None:
    issued = workspace.repos.agreements.where()
    assert len(issued) == summary.agreements
    assert {a.version for a in issued} == {1} and all(len(a.sha256) == 64 for a in issued)
    assert sum(a.signed_on is not None for a in issued) == len(issued) // 2


def test_each_kind_gets_what_its_agreement_prints(workspace: Workspace, summary: DemoSummary) -> None:
    by_kind = {p.kind: p for p in workspace.repos.placements.where()}
    assert by_kind[PlacementKind.WAGE_SUBSIDY].subsidy_per_hour is not None
    assert by_kind[PlacementKind.IGU].education_plan
    hybrid = by_kind[PlacementKind.HYBRID]
    assert hybrid.paid_hours_plan and hybrid.paid_hours_plan[0].startswith(hybrid.start_date.isoformat())
    assert any(p.working_hours for p in by_kind.values())

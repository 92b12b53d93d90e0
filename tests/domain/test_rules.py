"""The legal rules at each boundary, on both sides of each change of the law, and never raising."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feltkonsulent.domain.enums import (
    PlacementKind,
    PlacementStatus,
    Purpose,
    Readiness,
    Sector,
    TargetGroup,
)
from feltkonsulent.domain.rules import LIMITS, PlacementContext, Severity, find_limit, findings_for
from feltkonsulent.domain.rules.checks import (
    add_months,
    allowed_supported_persons,
    supported_on_start_day,
)
from feltkonsulent.domain.rules.limits import Limit
from tests import factories

START = date(2026, 3, 2)  # a Monday, before the new act of 1.1.2027


def context(
    kind: PlacementKind = PlacementKind.INTERNSHIP,
    start: date = START,
    end: date | None = None,
    group: TargetGroup = TargetGroup.UNEMPLOYMENT_BENEFIT,
    hours: str | None = "30",
    employees: str | None = "40",
    sector: Sector | None = Sector.PRIVATE,
    others: tuple[Any, ...] = (),
    colleagues: tuple[Any, ...] = (),
    citizen_fields: dict[str, Any] | None = None,
    **placement_fields: Any,
) -> PlacementContext:
    company = factories.company(
        employee_count=None if employees is None else Decimal(employees), sector=sector
    )
    citizen = factories.citizen(target_group=group, **(citizen_fields or {}))
    placement = factories.placement(
        citizen.id,
        company.id,
        kind=kind,
        start_date=start,
        end_date=end or start,
        weekly_hours=None if hours is None else Decimal(hours),
        purpose=Purpose.CLARIFICATION,
        **placement_fields,
    )
    return PlacementContext(placement, citizen, company, (placement, *others), (placement, *colleagues))


def codes(ctx: PlacementContext) -> list[str]:
    return [f.code for f in findings_for(ctx)]


@pytest.mark.parametrize(
    ("group", "weeks"),
    [
        (TargetGroup.UNEMPLOYMENT_BENEFIT, 4),
        (TargetGroup.CASH_BENEFIT_JOB_READY, 4),
        (TargetGroup.EDUCATION_BENEFIT, 4),
        (TargetGroup.GRADUATE, 8),
        (TargetGroup.CASH_BENEFIT_ACTIVITY_READY, 13),
        (TargetGroup.SICKNESS_BENEFIT, 13),
    ],
)
def test_internship_exactly_at_the_limit_is_fine_and_a_day_more_is_not(
    group: TargetGroup, weeks: int
) -> None:
    last = START + timedelta(days=weeks * 7 - 1)
    assert codes(context(end=last, group=group)) == []
    (finding,) = findings_for(context(end=last + timedelta(days=1), group=group))
    assert (finding.code, finding.severity, finding.reference) == (
        "internship_too_long",
        Severity.WARNING,
        "LAB § 61",
    )
    assert finding.numbers["limit"] == weeks and finding.numbers["days"] == weeks * 7 + 1
    assert finding.numbers["last_allowed_day"] == last


def test_four_weeks_is_twenty_eight_days_counting_both_ends() -> None:
    assert codes(context(end=date(2026, 3, 29))) == []  # Monday 2 March to Sunday 29 March
    assert codes(context(end=date(2026, 3, 30))) == ["internship_too_long"]


@pytest.mark.parametrize(
    "group", [TargetGroup.INTEGRATION_PROGRAMME, TargetGroup.SELF_SUPPORTING, TargetGroup.OTHER]
)
def test_no_number_is_invented_where_the_law_is_not_known_and_a_notice_says_so(
    group: TargetGroup,
) -> None:
    (finding,) = findings_for(context(end=START + timedelta(days=400), group=group))
    assert (finding.code, finding.severity) == ("limit_unconfirmed", Severity.NOTICE)
    assert finding.numbers == {"rule": "internship_too_long", "applies_to": str(group)}


def test_an_introduction_programme_internship_has_the_integration_acts_reference() -> None:
    row = find_limit("internship_too_long", TargetGroup.INTEGRATION_PROGRAMME, START)
    assert row is not None and row.value is None and row.note_en
    (finding,) = findings_for(context(end=START + timedelta(days=400),
                                      group=TargetGroup.INTEGRATION_PROGRAMME))
    assert "lov nr. 1654 af 30.12.2024 § 3" in finding.reference
    assert "BEK nr. 208 af 20.1.2026 § 23" in finding.reference and "LAB" not in finding.reference
    wage = findings_for(context(kind=PlacementKind.WAGE_SUBSIDY, end=START + timedelta(days=400),
                                group=TargetGroup.INTEGRATION_PROGRAMME))
    assert [(f.code, f.severity) for f in wage] == [("limit_unconfirmed", Severity.NOTICE)]
    assert "lov nr. 1654" in wage[0].reference


def test_the_limit_is_that_of_the_start_date_on_both_sides_of_the_new_act() -> None:
    too_long = timedelta(days=60)
    before = date(2026, 12, 31)
    after = date(2027, 1, 1)
    (old,) = findings_for(context(start=before, end=before + too_long))
    (new,) = findings_for(context(start=after, end=after + too_long))
    assert (old.code, old.reference, old.provisional) == ("internship_too_long", "LAB § 61", False)
    assert (new.code, new.reference, new.provisional) == ("internship_too_long", "LAB § 61", True)
    assert new.numbers["limit"] == 4


NEW_START = date(2027, 1, 4)  # a Monday under the new act


@pytest.mark.parametrize(
    ("kind", "fields", "code"),
    [
        (PlacementKind.INTERNSHIP, {"end": NEW_START + timedelta(days=28)}, "internship_too_long"),
        (PlacementKind.HYBRID, {"end": NEW_START + timedelta(days=28)}, "internship_too_long"),
        (PlacementKind.INTERNSHIP, {"hours": "38"}, "hours_above_full_time"),
        (PlacementKind.WAGE_SUBSIDY, {"end": add_months(NEW_START, 7)}, "wage_subsidy_too_long"),
        (PlacementKind.INTERNSHIP, {"hours": "37", "employees": "4",
                                    "colleagues": "one"}, "ratio_exceeded"),
    ],
)
def test_from_the_new_act_the_earlier_limits_apply_and_are_marked_provisional(
    kind: PlacementKind, fields: dict[str, Any], code: str
) -> None:
    def found(start: date) -> list[Any]:
        shifted = {k: (start + (v - NEW_START) if isinstance(v, date) else v)
                   for k, v in fields.items()}
        if shifted.get("colleagues") == "one":
            shifted["colleagues"] = (factories.placement("x", "co", start_date=start,
                                                         end_date=start,
                                                         weekly_hours=Decimal(37)),)
        return [f for f in findings_for(context(kind=kind, start=start, **shifted))
                if f.code == code]

    (new,) = found(NEW_START)
    (old,) = found(NEW_START - timedelta(days=365))
    assert new.provisional and not old.provisional
    assert new.reference == old.reference and "§" in new.reference
    assert (new.numbers.get("limit"), new.numbers.get("allowed")) == (
        old.numbers.get("limit"), old.numbers.get("allowed"))


def test_the_new_acts_rows_keep_the_old_value_unconfirmed_so_one_row_changes() -> None:
    for limit in LIMITS:
        if limit.valid_from == date(2027, 1, 1):
            assert not limit.confirmed
            earlier = find_limit(limit.rule, limit.applies_to, date(2026, 12, 31))
            assert earlier is not None and earlier.confirmed
            assert (limit.value, limit.reference) == (earlier.value, earlier.reference)


def test_the_igu_is_not_part_of_the_new_act_and_is_not_provisional() -> None:
    last = add_months(NEW_START, 24) - timedelta(days=1)
    (finding,) = findings_for(context(kind=PlacementKind.IGU, start=NEW_START,
                                      end=last + timedelta(days=1),
                                      citizen_fields={"cpr": "0401970000"}))
    assert finding.code == "igu_too_long" and not finding.provisional


def test_a_hybrids_internship_part_is_length_checked_as_an_internship() -> None:
    hybrid = PlacementKind.HYBRID
    assert codes(context(kind=hybrid, end=START + timedelta(days=27))) == []
    (finding,) = findings_for(context(kind=hybrid, end=START + timedelta(days=28)))
    assert (finding.code, finding.reference, finding.numbers["limit"]) == (
        "internship_too_long", "LAB § 61", 4)


def test_graduates_have_eight_weeks_from_2021_and_no_known_limit_before() -> None:
    nine_weeks = timedelta(days=9 * 7)
    assert codes(
        context(start=date(2021, 1, 1), end=date(2021, 1, 1) + nine_weeks, group=TargetGroup.GRADUATE)
    ) == ["internship_too_long"]
    assert (
        codes(
            context(start=date(2020, 12, 31), end=date(2020, 12, 31) + nine_weeks, group=TargetGroup.GRADUATE)
        )
        == ["limit_unconfirmed"]
    )


@pytest.mark.parametrize("day", [date(2026, 1, 31), date(2026, 2, 1), date(2026, 6, 30), date(2026, 7, 1)])
def test_the_reform_phase_one_dates_keep_the_known_limits(day: date) -> None:
    row = find_limit("internship_too_long", TargetGroup.UNEMPLOYMENT_BENEFIT, day)
    assert row is not None and row.value == 4 and "1.2.2026" in row.note_da


def test_hours_at_full_time_are_fine_and_above_are_not() -> None:
    assert codes(context(hours="37")) == []
    (finding,) = findings_for(context(hours="37.5"))
    assert finding.code == "hours_above_full_time" and finding.numbers["hours"] == Decimal("37.5")


@pytest.mark.parametrize(
    ("kind", "reference"),
    [
        (PlacementKind.INTERNSHIP, "BAB § 60 stk. 5"),
        (PlacementKind.HYBRID, "BAB § 60 stk. 5"),
        (PlacementKind.WAGE_SUBSIDY, "praksis: normal fuld tid"),
        (PlacementKind.IGU, "praksis: normal fuld tid"),
        (PlacementKind.ORDINARY_HOURS, "praksis: normal fuld tid"),
    ],
)
def test_the_hours_reference_is_that_of_the_kind(kind: PlacementKind, reference: str) -> None:
    """BAB § 60 stk. 5 is an internship rule: a wage subsidy's hours are not under it."""
    found = [f for f in findings_for(context(kind=kind, hours="40",
                                             citizen_fields={"cpr": "0401970000"}))
             if f.code == "hours_above_full_time"]
    assert [f.reference for f in found] == [reference]


@pytest.mark.parametrize(
    ("employees", "allowed"),
    [(0, 1), (4, 1), (5, 1), (9, 1), (10, 2), (49, 9), (50, 10), (59, 10), (60, 11), (100, 15)],
)
def test_the_rimelighedskrav(employees: int, allowed: int) -> None:
    assert allowed_supported_persons(employees, 5, 50, 10) == allowed


def full_time_colleagues(n: int, kind: PlacementKind = PlacementKind.INTERNSHIP) -> tuple[Any, ...]:
    return tuple(
        factories.placement(
            "someone",
            "co",
            kind=kind,
            start_date=START,
            end_date=START + timedelta(days=20),
            weekly_hours=Decimal(37),
        )
        for _ in range(n)
    )


def test_a_ratio_breach_belongs_to_the_placement_that_causes_it() -> None:
    """BAB § 65 stk. 4: tested when a placement is set up. With 4 employees (1 allowed), an
    internship from 2 March is lawful; a wage subsidy from 10 March breaches the ratio."""
    company = factories.company(employee_count=Decimal(4))
    citizen = factories.citizen(target_group=TargetGroup.SICKNESS_BENEFIT)
    first = factories.placement(citizen.id, company.id, start_date=START,
                                end_date=START + timedelta(days=30), weekly_hours=Decimal(37))
    later = factories.placement(citizen.id, company.id, kind=PlacementKind.WAGE_SUBSIDY,
                                start_date=START + timedelta(days=8),
                                end_date=START + timedelta(days=60), weekly_hours=Decimal(37))
    both = (first, later)

    def ratio(p: Any) -> list[Any]:
        ctx = PlacementContext(p, citizen, company, (p,), both)
        return [f for f in findings_for(ctx) if f.code == "ratio_exceeded"]

    assert ratio(first) == []
    (finding,) = ratio(later)
    assert finding.numbers == {"employees": 4, "allowed": 1, "supported": Decimal(2),
                               "on": START + timedelta(days=8)}
    # One that has ended before the start day does not count.
    gone = dataclasses.replace(first, end_date=START + timedelta(days=7))
    assert ratio_of(later, citizen, company, (gone, later)) == []


def ratio_of(p: Any, citizen: Any, company: Any, at_company: tuple[Any, ...]) -> list[Any]:
    ctx = PlacementContext(p, citizen, company, (p,), at_company)
    return [f for f in findings_for(ctx) if f.code == "ratio_exceeded"]


def test_the_agreements_declaration_counts_on_the_start_day_as_the_rule_does() -> None:
    first = factories.placement("x", "co", start_date=START, end_date=START + timedelta(days=30),
                                weekly_hours=Decimal(37))
    later = factories.placement("y", "co", start_date=START + timedelta(days=8),
                                end_date=START + timedelta(days=60), weekly_hours=Decimal("18.5"))
    # The first counts itself only: the later one is that placement's own matter.
    assert supported_on_start_day(PlacementContext(first, None, None, (first,), (first, later))) == 1
    assert supported_on_start_day(
        PlacementContext(later, None, None, (later,), (first, later))) == Decimal("1.5")


def test_exactly_at_the_ratio_is_fine_and_one_more_is_not() -> None:
    # 10 employees allow 2 supported persons: this one (37 h) and one colleague.
    assert codes(context(hours="37", employees="10", colleagues=full_time_colleagues(1))) == []
    (finding,) = findings_for(context(hours="37", employees="10", colleagues=full_time_colleagues(2)))
    assert finding.code == "ratio_exceeded" and finding.reference == "BAB § 65"
    assert (finding.numbers["allowed"], finding.numbers["supported"]) == (2, Decimal(3))


def test_the_ratio_counts_full_time_equivalents_and_only_supported_kinds_at_the_same_time() -> None:
    half = tuple(
        factories.placement("x", "co", start_date=START, end_date=START, weekly_hours=Decimal("18.5"))
        for _ in range(2)
    )
    assert codes(context(hours="37", employees="10", colleagues=half)) == []  # 1 + 0.5 + 0.5 = 2
    igu = full_time_colleagues(3, PlacementKind.IGU)
    assert codes(context(hours="37", employees="10", colleagues=igu)) == []
    later = tuple(
        factories.placement(
            "x", "co", start_date=START + timedelta(days=30), end_date=START + timedelta(days=40)
        )
        for _ in range(3)
    )
    assert codes(context(hours="37", employees="10", colleagues=later)) == []
    cancelled = tuple(
        factories.placement("x", "co", start_date=START, end_date=START, status=PlacementStatus.CANCELLED)
        for _ in range(3)
    )
    assert codes(context(hours="37", employees="10", colleagues=cancelled)) == []


def test_without_an_employee_count_the_ratio_is_not_guessed() -> None:
    assert codes(context(employees=None, colleagues=full_time_colleagues(20))) == []


@pytest.mark.parametrize(
    ("group", "sector", "months"),
    [
        (TargetGroup.UNEMPLOYMENT_BENEFIT, Sector.PRIVATE, 6),
        (TargetGroup.UNEMPLOYMENT_BENEFIT, Sector.PUBLIC, 4),
        (TargetGroup.CASH_BENEFIT_JOB_READY, Sector.PRIVATE, 6),
        (TargetGroup.EDUCATION_BENEFIT, Sector.PUBLIC, 4),
    ],
)
def test_wage_subsidy_at_the_limit_is_fine_and_a_day_more_is_not(
    group: TargetGroup, sector: Sector, months: int
) -> None:
    last = add_months(START, months) - timedelta(days=1)
    kind = PlacementKind.WAGE_SUBSIDY
    assert codes(context(kind=kind, end=last, group=group, sector=sector)) == []
    (finding,) = findings_for(context(kind=kind, end=last + timedelta(days=1), group=group, sector=sector))
    assert (finding.code, finding.reference, finding.numbers["limit"]) == (
        "wage_subsidy_too_long",
        "LAB § 68",
        months,
    )


def test_wage_subsidy_of_an_unknown_employer_type_is_reported_only_past_both_limits() -> None:
    kind = PlacementKind.WAGE_SUBSIDY
    five_months = add_months(START, 5)
    assert codes(context(kind=kind, end=five_months, sector=None)) == []
    (finding,) = findings_for(context(kind=kind, end=add_months(START, 7), sector=None))
    assert finding.numbers["limit"] == 6


@pytest.mark.parametrize(
    ("group", "fields", "weeks"),
    [
        # Activity-ready recipients of what was education benefit: 13 weeks, not 4.
        (TargetGroup.EDUCATION_BENEFIT, {"readiness": Readiness.ACTIVITY_READY}, 13),
        (TargetGroup.EDUCATION_BENEFIT, {"readiness": Readiness.EDUCATION_READY}, 4),
        # Job-ready without work experience or after long unemployment: 13 weeks.
        (TargetGroup.UNEMPLOYMENT_BENEFIT, {"without_work_experience": True}, 13),
        (TargetGroup.CASH_BENEFIT_JOB_READY, {"without_work_experience": True}, 13),
        (TargetGroup.EDUCATION_BENEFIT, {"without_work_experience": True}, 13),
        (TargetGroup.SICKNESS_BENEFIT, {"without_work_experience": True}, 13),
    ],
)
def test_the_groups_of_lab_61_refined_by_readiness_and_work_experience(
    group: TargetGroup, fields: dict[str, Any], weeks: int
) -> None:
    last = START + timedelta(days=weeks * 7 - 1)
    assert codes(context(end=last, group=group, citizen_fields=fields)) == []
    (finding,) = findings_for(context(end=last + timedelta(days=1), group=group,
                                      citizen_fields=fields))
    assert (finding.reference, finding.numbers["limit"]) == ("LAB § 61", weeks)


@pytest.mark.parametrize("group", [TargetGroup.SICKNESS_BENEFIT,
                                   TargetGroup.CASH_BENEFIT_ACTIVITY_READY])
def test_a_documented_assessment_extends_a_13_week_internship_to_26_weeks(
    group: TargetGroup,
) -> None:
    last = START + timedelta(days=26 * 7 - 1)
    assessed = {"extension_assessment": "Konkret vurdering 2.3.2026: behov for mere optræning"}
    assert codes(context(end=last, group=group, **assessed)) == []
    (finding,) = findings_for(context(end=last + timedelta(days=1), group=group, **assessed))
    assert (finding.reference, finding.numbers["limit"], finding.numbers["applies_to"]) == (
        "LAB § 61 stk. 2", 26, "extended")
    # Without an assessment (or with a blank one) 13 weeks is the limit.
    for blank in ({}, {"extension_assessment": "  "}):
        (plain,) = findings_for(context(end=last, group=group, **blank))
        assert plain.numbers["limit"] == 13


def test_a_four_week_group_is_not_extended_by_an_assessment() -> None:
    ctx = context(end=START + timedelta(days=28), extension_assessment="Vurderet")
    (finding,) = findings_for(ctx)
    assert finding.numbers["limit"] == 4


@pytest.mark.parametrize(("sector", "months"), [(Sector.PRIVATE, 6), (Sector.PUBLIC, 4)])
def test_graduates_wage_subsidy_is_that_of_unemployment_benefit(sector: Sector, months: int) -> None:
    kind, group = PlacementKind.WAGE_SUBSIDY, TargetGroup.GRADUATE
    last = add_months(START, months) - timedelta(days=1)
    assert codes(context(kind=kind, end=last, group=group, sector=sector)) == []
    (finding,) = findings_for(context(kind=kind, end=last + timedelta(days=1), group=group,
                                      sector=sector))
    assert (finding.code, finding.reference, finding.numbers["limit"]) == (
        "wage_subsidy_too_long", "LAB § 68", months)
    row = find_limit("wage_subsidy_too_long", f"{sector}:{group}", START)
    assert row is not None and "dagpenge" in row.note_da


def cpr_born(day: date) -> str:
    """A CPR number for this birth date (the 7th digit sets the century)."""
    century_digit = "4" if day.year >= 2000 else "0"
    return day.strftime("%d%m%y") + century_digit + "000"


@pytest.mark.parametrize(
    ("born", "flagged"),
    [
        (date(2008, 3, 3), True),  # 17 on 2 March 2026
        (date(2008, 3, 2), False),  # 18 that day
        (date(1976, 3, 3), False),  # 49
        (date(1976, 3, 2), True),  # 50 that day
    ],
)
def test_igu_is_for_ages_18_to_under_50_at_the_start(born: date, flagged: bool) -> None:
    ctx = context(kind=PlacementKind.IGU, citizen_fields={"cpr": cpr_born(born)})
    found = [f for f in findings_for(ctx) if f.code == "igu_age_out_of_range"]
    assert bool(found) == flagged
    if found:
        assert found[0].reference == "IGU-loven (L 82 2023/24)"
        assert (found[0].numbers["from_age"], found[0].numbers["below_age"]) == (18, 50)
        assert found[0].numbers["age"] in (17, 50)
    row = find_limit("igu_age_out_of_range", "below_age", START)
    assert row is not None and row.source == "L 82 2023/24"


def test_igu_is_24_months() -> None:
    last = add_months(START, 24) - timedelta(days=1)
    young = {"cpr": cpr_born(date(1997, 1, 4))}
    assert codes(context(kind=PlacementKind.IGU, end=last, citizen_fields=young)) == []
    assert codes(context(kind=PlacementKind.IGU, end=last + timedelta(days=1),
                         citizen_fields=young)) == ["igu_too_long"]


def test_an_overlapping_placement_of_the_same_citizen() -> None:
    other = factories.placement(
        "c", "elsewhere", start_date=START + timedelta(days=10), end_date=START + timedelta(days=40)
    )
    (finding,) = findings_for(context(end=START + timedelta(days=10), others=(other,)))
    assert finding.code == "overlapping_placement" and finding.numbers["other"] == other.id
    assert (finding.numbers["other_kind"], finding.numbers["other_start"],
            finding.numbers["other_end"]) == ("internship", other.start_date, other.end_date)
    assert finding.numbers["overlap_from"] == finding.numbers["overlap_to"] == START + timedelta(days=10)
    assert codes(context(end=START + timedelta(days=9), others=(other,))) == []


def test_end_before_start_is_an_error_and_the_only_finding() -> None:
    ctx = context(end=START - timedelta(days=1), hours="50")
    (finding,) = findings_for(ctx)
    assert (finding.code, finding.severity) == ("end_before_start", Severity.ERROR)


def test_add_months_keeps_the_day_or_takes_the_last_day_of_the_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 8, 15), 6) == date(2027, 2, 15)
    assert add_months(date(2024, 2, 29), 24) == date(2026, 2, 28)


def test_every_row_of_the_table_is_well_formed() -> None:
    for limit in LIMITS:
        assert limit.valid_to is None or limit.valid_to >= limit.valid_from
        assert limit.reference and limit.source
        assert limit.value is not None or (limit.note_da and limit.note_en), limit
    keys = [(limit.rule, limit.applies_to) for limit in LIMITS]
    for key in set(keys):
        rows = sorted((r for r in LIMITS if (r.rule, r.applies_to) == key), key=_start)
        for earlier, later in itertools.pairwise(rows):
            assert earlier.valid_to is not None and earlier.valid_to < later.valid_from, key


def _start(limit: Limit) -> date:
    return limit.valid_from


@st.composite
def any_context(draw: st.DrawFn) -> PlacementContext:
    start = draw(st.dates(date(2015, 1, 1), date(2030, 12, 31)))
    end = start + timedelta(days=draw(st.integers(0, 1200)))
    colleagues = tuple(
        factories.placement(
            "x",
            "co",
            start_date=s,
            end_date=s + timedelta(days=d),
            kind=draw(st.sampled_from(list(PlacementKind))),
            weekly_hours=draw(st.none() | st.decimals("0.5", "60", places=1)),
        )
        for s, d in draw(
            st.lists(
                st.tuples(st.dates(date(2015, 1, 1), date(2030, 12, 31)), st.integers(0, 400)), max_size=6
            )
        )
    )
    return context(
        kind=draw(st.sampled_from(list(PlacementKind))),
        start=start,
        end=end,
        group=draw(st.sampled_from(list(TargetGroup))),
        hours=draw(st.none() | st.decimals("0.5", "60", places=1).map(str)),
        employees=draw(st.none() | st.integers(0, 5000).map(str)),
        sector=draw(st.none() | st.sampled_from(list(Sector))),
        others=colleagues[:2],
        colleagues=colleagues,
    )


@given(any_context())
def test_rules_never_raise_on_any_valid_placement(ctx: PlacementContext) -> None:
    assert ctx.placement.problems() == []
    for finding in findings_for(ctx):
        assert finding.severity in (Severity.WARNING, Severity.NOTICE)
        assert not finding.provisional or ctx.placement.start_date >= date(2027, 1, 1)
        assert finding.placement_id == ctx.placement.id and finding.reference

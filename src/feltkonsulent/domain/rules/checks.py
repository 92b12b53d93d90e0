"""The rule checks: pure functions from a placement and what surrounds it to findings."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum
from typing import Any

from stdnum.exceptions import ValidationError as StdnumError

from feltkonsulent.domain.entities import Citizen, Company, Placement
from feltkonsulent.domain.enums import PlacementKind, PlacementStatus, Readiness, Sector, TargetGroup
from feltkonsulent.domain.rules.limits import (
    ANY,
    EXTENDED,
    IGU_BELOW_AGE,
    IGU_FROM_AGE,
    INTERNSHIP_HOURS,
    RATIO_PER,
    RATIO_PER_ABOVE,
    RATIO_UP_TO,
    WITHOUT_WORK_EXPERIENCE,
    Limit,
    Unit,
    find_limit,
)
from feltkonsulent.domain.validation import cpr_birth_date

FULL_TIME_HOURS = Decimal(37)
# Kinds that count as supported persons in the rimelighedskrav (BAB § 65): internships and
# wage-subsidy jobs; a hybrid placement is an internship with ordinary hours beside it.
SUPPORTED_KINDS = frozenset({PlacementKind.INTERNSHIP, PlacementKind.WAGE_SUBSIDY,
                             PlacementKind.HYBRID})


class Severity(StrEnum):
    ERROR = "error"  # impossible data
    WARNING = "warning"  # a legal limit: the consultant may go on with a reason
    NOTICE = "notice"  # for information (a limit the project does not know): no reason asked


@dataclass(frozen=True)
class Finding:
    """`provisional`: the limit is the one in force before the new act (NEW_ACT), applied
    until the new act's value is confirmed; `reference` is then the old act's paragraph."""

    placement_id: str
    code: str
    severity: Severity
    reference: str
    numbers: Mapping[str, Any] = field(default_factory=dict)
    provisional: bool = False


@dataclass(frozen=True)
class PlacementContext:
    """A placement and what the rules look at around it (deleted records left out)."""

    placement: Placement
    citizen: Citizen | None = None
    company: Company | None = None
    citizen_placements: Sequence[Placement] = ()
    company_placements: Sequence[Placement] = ()


def length_in_days(start: date, end: date) -> int:
    """Both days count: Monday to Sunday is 7 days, one week."""
    return (end - start).days + 1


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day where it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_allowed_day(start: date, limit: Limit) -> date:
    assert limit.value is not None
    if limit.unit is Unit.WEEKS:
        return start + timedelta(days=limit.value * 7 - 1)
    return add_months(start, limit.value) - timedelta(days=1)


def _live(placement: Placement) -> bool:
    return placement.status is not PlacementStatus.CANCELLED


def _finding(ctx: PlacementContext, code: str, severity: Severity, reference: str,
             provisional: bool = False, **numbers: Any) -> Finding:
    return Finding(ctx.placement.id, code, severity, reference, numbers, provisional)


def check_period(ctx: PlacementContext) -> list[Finding]:
    p = ctx.placement
    if p.end_date >= p.start_date:
        return []
    return [_finding(ctx, "end_before_start", Severity.ERROR, "—",
                     start=p.start_date, end=p.end_date)]


def _unconfirmed(ctx: PlacementContext, rule: str, applies_to: str,
                 row: Limit | None) -> list[Finding]:
    """The limit is not known (a row without a value, or no row for the group): say that it was
    not checked, never stay silent."""
    return [_finding(ctx, "limit_unconfirmed", Severity.NOTICE, row.reference if row else "—",
                     rule=rule, applies_to=applies_to)]


def _too_long(ctx: PlacementContext, code: str, applies_to: str,
              limit: Limit | None = None) -> list[Finding]:
    p = ctx.placement
    limit = limit or find_limit(code, applies_to, p.start_date)
    if limit is None or limit.value is None:
        return _unconfirmed(ctx, code, applies_to, limit)
    last = last_allowed_day(p.start_date, limit)
    if p.end_date <= last:
        return []
    return [_finding(ctx, code, Severity.WARNING, limit.reference, not limit.confirmed,
                     limit=limit.value, unit=str(limit.unit), applies_to=limit.applies_to,
                     days=length_in_days(p.start_date, p.end_date), last_allowed_day=last,
                     end=p.end_date)]


# Kinds whose length is an internship's: a hybrid's internship part is one (LAB § 61).
INTERNSHIP_KINDS = frozenset({PlacementKind.INTERNSHIP, PlacementKind.HYBRID})
_FOUR_WEEK_GROUPS = frozenset({TargetGroup.UNEMPLOYMENT_BENEFIT,
                               TargetGroup.CASH_BENEFIT_JOB_READY, TargetGroup.EDUCATION_BENEFIT})


def internship_key(citizen: Citizen) -> str:
    """The row of the internship table for this citizen: the target group, refined where LAB
    § 61 treats part of it differently (activity-ready recipients of what was education benefit;
    the job-ready without work experience or after long unemployment)."""
    group = citizen.target_group
    if group is TargetGroup.EDUCATION_BENEFIT and citizen.readiness is Readiness.ACTIVITY_READY:
        return f"{group}:activity_ready"
    if group in _FOUR_WEEK_GROUPS and citizen.without_work_experience:
        return f"{group}:{WITHOUT_WORK_EXPERIENCE}"
    return str(group)


def check_internship_length(ctx: PlacementContext) -> list[Finding]:
    p = ctx.placement
    if p.kind not in INTERNSHIP_KINDS or ctx.citizen is None:
        return []
    key = internship_key(ctx.citizen)
    limit = find_limit("internship_too_long", key, p.start_date)
    if (limit is not None and limit.value == 13 and limit.unit is Unit.WEEKS
            and (p.extension_assessment or "").strip()):
        # LAB § 61 stk. 2: extended to 26 weeks after a concrete, documented assessment.
        limit = find_limit("internship_too_long", EXTENDED, p.start_date) or limit
    return _too_long(ctx, "internship_too_long", key, limit)


def check_wage_subsidy_length(ctx: PlacementContext) -> list[Finding]:
    """By target group and employer type; where the type is not recorded, only a placement
    longer than both limits is reported."""
    if ctx.placement.kind is not PlacementKind.WAGE_SUBSIDY or ctx.citizen is None:
        return []
    group = ctx.citizen.target_group
    sector = ctx.company.sector if ctx.company else None
    keys = [f"{s}:{group}" for s in ([sector] if sector else list(Sector))]
    rows = [find_limit("wage_subsidy_too_long", key, ctx.placement.start_date) for key in keys]
    unknown = [(key, row) for key, row in zip(keys, rows, strict=True)
               if row is None or row.value is None]
    if unknown:
        return _unconfirmed(ctx, "wage_subsidy_too_long", *unknown[0])
    per_sector = [_too_long(ctx, "wage_subsidy_too_long", key, row)
                  for key, row in zip(keys, rows, strict=True)]
    if not all(per_sector):
        return []
    return [max((f[0] for f in per_sector), key=lambda f: f.numbers["last_allowed_day"])]


def check_igu_length(ctx: PlacementContext) -> list[Finding]:
    if ctx.placement.kind is not PlacementKind.IGU:
        return []
    return _too_long(ctx, "igu_too_long", ANY)


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def check_igu_age(ctx: PlacementContext) -> list[Finding]:
    """18 to under 50 on the start day (L 82 2023/24), the birth date from the CPR number."""
    p = ctx.placement
    if p.kind is not PlacementKind.IGU or ctx.citizen is None:
        return []
    low = find_limit("igu_age_out_of_range", IGU_FROM_AGE, p.start_date)
    high = find_limit("igu_age_out_of_range", IGU_BELOW_AGE, p.start_date)
    if low is None or high is None or low.value is None or high.value is None:
        return []
    try:
        born = cpr_birth_date(ctx.citizen.cpr)
    except StdnumError:  # a CPR number that names no date is its own validation error
        return []
    age = age_on(born, p.start_date)
    if low.value <= age < high.value:
        return []
    return [_finding(ctx, "igu_age_out_of_range", Severity.WARNING, low.reference,
                     age=age, from_age=low.value, below_age=high.value, on=p.start_date)]


def check_hours(ctx: PlacementContext) -> list[Finding]:
    """An internship's hours within normal full time (BAB § 60 stk. 5, hybrids' internship part
    included); the other kinds against 37 hours, normal full time in practice."""
    p = ctx.placement
    hours = p.weekly_hours
    key = INTERNSHIP_HOURS if p.kind in INTERNSHIP_KINDS else ANY
    limit = find_limit("hours_above_full_time", key, p.start_date)
    if hours is None or limit is None or limit.value is None or hours <= limit.value:
        return []
    return [_finding(ctx, "hours_above_full_time", Severity.WARNING, limit.reference,
                     not limit.confirmed, hours=hours, limit=limit.value)]


def check_overlap(ctx: PlacementContext) -> list[Finding]:
    """Which placement overlaps: its kind and dates (the citizen is the same one)."""
    p = ctx.placement
    return [
        _finding(ctx, "overlapping_placement", Severity.WARNING, "—", other=q.id,
                 other_kind=str(q.kind), other_start=q.start_date, other_end=q.end_date,
                 overlap_from=max(p.start_date, q.start_date), overlap_to=min(p.end_date, q.end_date))
        for q in ctx.citizen_placements
        if q.id != p.id and _live(q) and q.start_date <= p.end_date and p.start_date <= q.end_date
    ]


def full_time_equivalent(placement: Placement) -> Decimal:
    if placement.weekly_hours is None:
        return Decimal(1)
    return min(Decimal(1), placement.weekly_hours / FULL_TIME_HOURS)


def allowed_supported_persons(employees: int, per: int, up_to: int, per_above: int) -> int:
    return max(1, min(employees, up_to) // per) + max(0, employees - up_to) // per_above


def _ratio_numbers(on: date) -> tuple[int, int, int, str, bool] | None:
    """Employees per supported person, up to how many employees, per person above; reference;
    whether any of them is provisional."""
    rows = [find_limit("ratio_exceeded", key, on) for key in (RATIO_PER, RATIO_UP_TO, RATIO_PER_ABOVE)]
    known = [row for row in rows if row is not None and row.value is not None]
    if len(known) != 3:
        return None
    per, up_to, per_above = (row.value for row in known if row.value is not None)
    return per, up_to, per_above, known[0].reference, not all(row.confirmed for row in known)


def check_ratio(ctx: PlacementContext) -> list[Finding]:
    """BAB § 65 stk. 4: the ratio is tested when a placement is set up, so a breach belongs to
    the placement that causes it. Counted on its start day over the supported placements that
    started on or before it: a placement lawful when it started is not flagged for a later one."""
    p, company = ctx.placement, ctx.company
    if p.kind not in SUPPORTED_KINDS or not _live(p) or company is None:
        return []
    numbers = _ratio_numbers(p.start_date)
    if company.employee_count is None or numbers is None:
        return []
    per, up_to, per_above, reference, provisional = numbers
    employees = int(company.employee_count.to_integral_value(ROUND_FLOOR))
    allowed = allowed_supported_persons(employees, per, up_to, per_above)
    supported = supported_on_start_day(ctx)
    if supported <= allowed:
        return []
    return [_finding(ctx, "ratio_exceeded", Severity.WARNING, reference, provisional,
                     employees=employees, allowed=allowed, supported=supported, on=p.start_date)]


def supported_on_start_day(ctx: PlacementContext) -> Decimal:
    """Supported persons (full-time equivalents, this one included) at the workplace on the
    placement's start day, among those that started on or before it."""
    p = ctx.placement
    peers = [
        q for q in ctx.company_placements
        if q.id != p.id and q.kind in SUPPORTED_KINDS and _live(q)
        and q.start_date <= p.start_date <= q.end_date
    ]
    return sum((full_time_equivalent(q) for q in peers), full_time_equivalent(p))


CHECKS: tuple[Callable[[PlacementContext], list[Finding]], ...] = (
    check_internship_length,
    check_hours,
    check_ratio,
    check_wage_subsidy_length,
    check_igu_length,
    check_igu_age,
    check_overlap,
)


def findings_for(ctx: PlacementContext) -> list[Finding]:
    """Every finding for one placement. An impossible period is the only finding given for it:
    lengths and overlaps of an impossible period mean nothing."""
    impossible = check_period(ctx)
    if impossible:
        return impossible
    return [finding for check in CHECKS for finding in check(ctx)]

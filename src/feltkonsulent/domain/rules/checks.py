"""The rule checks: pure functions from a placement and what surrounds it to findings."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum
from typing import Any

from feltkonsulent.domain.entities import Citizen, Company, Placement
from feltkonsulent.domain.enums import PlacementKind, PlacementStatus, Sector
from feltkonsulent.domain.rules.limits import (
    ANY,
    RATIO_PER,
    RATIO_PER_ABOVE,
    RATIO_UP_TO,
    Limit,
    Unit,
    find_limit,
)

FULL_TIME_HOURS = Decimal(37)
# Kinds that count as supported persons in the rimelighedskrav (BAB § 65): internships and
# wage-subsidy jobs; a hybrid placement is an internship with ordinary hours beside it.
SUPPORTED_KINDS = frozenset({PlacementKind.INTERNSHIP, PlacementKind.WAGE_SUBSIDY,
                             PlacementKind.HYBRID})


class Severity(StrEnum):
    ERROR = "error"  # impossible data
    WARNING = "warning"  # a legal limit: the consultant may go on with a reason


@dataclass(frozen=True)
class Finding:
    placement_id: str
    code: str
    severity: Severity
    reference: str
    numbers: Mapping[str, Any] = field(default_factory=dict)


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
             **numbers: Any) -> Finding:
    return Finding(ctx.placement.id, code, severity, reference, numbers)


def check_period(ctx: PlacementContext) -> list[Finding]:
    p = ctx.placement
    if p.end_date >= p.start_date:
        return []
    return [_finding(ctx, "end_before_start", Severity.ERROR, "—",
                     start=p.start_date, end=p.end_date)]


def _too_long(ctx: PlacementContext, code: str, applies_to: str) -> list[Finding]:
    p = ctx.placement
    limit = find_limit(code, applies_to, p.start_date)
    if limit is None or limit.value is None:
        return []
    last = last_allowed_day(p.start_date, limit)
    if p.end_date <= last:
        return []
    return [_finding(ctx, code, Severity.WARNING, limit.reference, limit=limit.value,
                     unit=str(limit.unit), days=length_in_days(p.start_date, p.end_date),
                     last_allowed_day=last)]


def check_internship_length(ctx: PlacementContext) -> list[Finding]:
    if ctx.placement.kind is not PlacementKind.INTERNSHIP or ctx.citizen is None:
        return []
    return _too_long(ctx, "internship_too_long", ctx.citizen.target_group)


def check_wage_subsidy_length(ctx: PlacementContext) -> list[Finding]:
    """By target group and employer type; where the type is not recorded, only a placement
    longer than both limits is reported."""
    if ctx.placement.kind is not PlacementKind.WAGE_SUBSIDY or ctx.citizen is None:
        return []
    group = ctx.citizen.target_group
    sector = ctx.company.sector if ctx.company else None
    sectors = [sector] if sector else list(Sector)
    per_sector = [_too_long(ctx, "wage_subsidy_too_long", f"{s}:{group}") for s in sectors]
    if not all(per_sector):
        return []
    return [max((f[0] for f in per_sector), key=lambda f: f.numbers["last_allowed_day"])]


def check_igu_length(ctx: PlacementContext) -> list[Finding]:
    if ctx.placement.kind is not PlacementKind.IGU:
        return []
    return _too_long(ctx, "igu_too_long", ANY)


def check_hours(ctx: PlacementContext) -> list[Finding]:
    hours = ctx.placement.weekly_hours
    limit = find_limit("hours_above_full_time", ANY, ctx.placement.start_date)
    if hours is None or limit is None or limit.value is None or hours <= limit.value:
        return []
    return [_finding(ctx, "hours_above_full_time", Severity.WARNING, limit.reference,
                     hours=hours, limit=limit.value)]


def check_overlap(ctx: PlacementContext) -> list[Finding]:
    p = ctx.placement
    return [
        _finding(ctx, "overlapping_placement", Severity.WARNING, "—", other=q.id,
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


def _ratio_numbers(on: date) -> tuple[int, int, int, str] | None:
    """Employees per supported person, up to how many employees, per person above; reference."""
    rows = [find_limit("ratio_exceeded", key, on) for key in (RATIO_PER, RATIO_UP_TO, RATIO_PER_ABOVE)]
    values = [row.value for row in rows if row is not None and row.value is not None]
    if len(values) != 3 or rows[0] is None:
        return None
    return values[0], values[1], values[2], rows[0].reference


def check_ratio(ctx: PlacementContext) -> list[Finding]:
    p, company = ctx.placement, ctx.company
    if p.kind not in SUPPORTED_KINDS or not _live(p) or company is None:
        return []
    numbers = _ratio_numbers(p.start_date)
    if company.employee_count is None or numbers is None:
        return []
    per, up_to, per_above, reference = numbers
    employees = int(company.employee_count.to_integral_value(ROUND_FLOOR))
    allowed = allowed_supported_persons(employees, per, up_to, per_above)
    day, supported = supported_at_workplace(ctx)
    if supported <= allowed:
        return []
    return [_finding(ctx, "ratio_exceeded", Severity.WARNING, reference,
                     employees=employees, allowed=allowed, supported=supported, on=day)]


def supported_at_workplace(ctx: PlacementContext) -> tuple[date, Decimal]:
    """The busiest day of the placement's period and how many supported persons (full-time
    equivalents, this one included) are at the workplace then: the ratio declaration's number."""
    p = ctx.placement
    peers = [
        q for q in ctx.company_placements
        if q.id != p.id and q.kind in SUPPORTED_KINDS and _live(q)
        and q.start_date <= p.end_date and p.start_date <= q.end_date
    ] + [p]
    return _busiest_day(p, peers)


def _busiest_day(p: Placement, peers: Sequence[Placement]) -> tuple[date, Decimal]:
    """The day within `p`'s period when most supported persons (in FTE) are at the workplace.
    The count only rises on a day someone starts, so those days are enough to look at."""
    days = {p.start_date} | {q.start_date for q in peers if p.start_date <= q.start_date <= p.end_date}
    best = (p.start_date, Decimal(0))
    for day in sorted(days):
        total = sum((full_time_equivalent(q) for q in peers if q.start_date <= day <= q.end_date),
                    Decimal(0))
        if total > best[1]:
            best = (day, total)
    return best


CHECKS: tuple[Callable[[PlacementContext], list[Finding]], ...] = (
    check_internship_length,
    check_hours,
    check_ratio,
    check_wage_subsidy_length,
    check_igu_length,
    check_overlap,
)


def findings_for(ctx: PlacementContext) -> list[Finding]:
    """Every finding for one placement. An impossible period is the only finding given for it:
    lengths and overlaps of an impossible period mean nothing."""
    impossible = check_period(ctx)
    if impossible:
        return impossible
    return [finding for check in CHECKS for finding in check(ctx)]

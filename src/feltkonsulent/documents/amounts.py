"""The sums an agreement prints: weeks in a period and what a bought-out buddy or mentor costs."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from feltkonsulent.domain.entities import SupportArrangement
from feltkonsulent.domain.rules.checks import length_in_days

ORE = Decimal("0.01")


def days_in_period(start: date, end: date) -> int:
    """Calendar days, the first and the last included (as the rules count an internship)."""
    return max(0, length_in_days(start, end))


def weeks_in_period(start: date, end: date) -> Decimal:
    """Calendar days / 7, to two decimals: 2.11.2026-20.12.2026 is 49 days, 7 weeks."""
    return (Decimal(days_in_period(start, end)) / 7).quantize(ORE, ROUND_HALF_UP)


def support_total(arrangement: SupportArrangement) -> Decimal | None:
    """Hours a week x hourly rate x weeks in the period, to the øre; None when hours or rate is
    missing. Computed from the days (not the rounded weeks), so 70 days are exactly 10 weeks."""
    hours, rate = arrangement.hours_per_week, arrangement.hourly_rate
    if hours is None or rate is None:
        return None
    days = days_in_period(arrangement.start_date, arrangement.end_date)
    return (hours * rate * days / 7).quantize(ORE, ROUND_HALF_UP)

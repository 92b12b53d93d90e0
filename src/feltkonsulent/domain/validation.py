"""Field validation: each check returns a `DomainError` with a code, or None when the value is fine."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from stdnum.dk import cpr as stdnum_cpr
from stdnum.dk import cvr as stdnum_cvr
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from feltkonsulent.domain.errors import DomainError

MAX_WEEKLY_HOURS = Decimal(60)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_PHONE_ALLOWED = re.compile(r"^\+?[0-9 ()\-]+$")


def compact_digits(value: str) -> str:
    """Digits only: consultants type CVR and CPR with spaces and dashes."""
    return re.sub(r"[\s\-]", "", value)


def check_cvr(value: str, field: str = "cvr") -> DomainError | None:
    """8 digits with the modulus-11 check digit of the CVR register."""
    number = compact_digits(value)
    if not number:
        return DomainError("required", field)
    if not number.isdigit():
        return DomainError("cvr_format", field)
    if len(number) != 8:
        return DomainError("cvr_length", field, {"length": len(number)})
    try:
        stdnum_cvr.validate(number)
    except InvalidChecksum:
        return DomainError("cvr_checksum", field)
    except (InvalidFormat, InvalidLength):  # a CVR number never starts with 0
        return DomainError("cvr_format", field)
    return None


def check_p_number(value: str, field: str = "p_number") -> DomainError | None:
    """A production unit (P-number) is 10 digits; the register publishes no check digit."""
    number = compact_digits(value)
    if not number.isdigit():
        return DomainError("p_number_format", field)
    if len(number) != 10:
        return DomainError("p_number_length", field, {"length": len(number)})
    return None


def check_cpr(value: str, field: str = "cpr", today: date | None = None) -> DomainError | None:
    """10 digits whose date part (DDMMYY + century digit) is a real date.

    No modulus-11 demand: numbers issued since 2007 fail it (CPR office, stdnum.dk.cpr).
    A birth date after `today` is refused when `today` is given.
    """
    number = compact_digits(value)
    if not number:
        return DomainError("required", field)
    if not number.isdigit():
        return DomainError("cpr_format", field)
    if len(number) != 10:
        return DomainError("cpr_length", field, {"length": len(number)})
    try:
        born = stdnum_cpr.get_birth_date(number)
    except InvalidComponent:
        return DomainError("cpr_date", field)
    if today is not None and born > today:
        return DomainError("cpr_future", field)
    return None


def cpr_birth_date(value: str) -> date:
    born: date = stdnum_cpr.get_birth_date(compact_digits(value))
    return born


def format_cpr(value: str) -> str:
    number = compact_digits(value)
    return f"{number[:6]}-{number[6:]}"


def mask_cpr(value: str | None) -> str:
    """How a CPR number shows in lists: the date part, never the serial (`211062-xxxx`)."""
    if not value:
        return ""
    return f"{compact_digits(value)[:6]}-xxxx"


def check_email(value: str, field: str = "email") -> DomainError | None:
    if len(value) > 254 or not _EMAIL.match(value):
        return DomainError("email_format", field)
    return None


def check_phone(value: str, field: str = "phone") -> DomainError | None:
    """Danish numbers have 8 digits; a leading + and country code allow foreign numbers."""
    if not _PHONE_ALLOWED.match(value):
        return DomainError("phone_format", field)
    digits = re.sub(r"\D", "", value)
    if value.strip().startswith("+"):
        if not 8 <= len(digits) <= 15:
            return DomainError("phone_length", field, {"length": len(digits)})
    elif len(digits) != 8:
        return DomainError("phone_length", field, {"length": len(digits)})
    return None


def check_postal_code(value: str, field: str = "postal_code") -> DomainError | None:
    if not (len(value) == 4 and value.isdigit()):
        return DomainError("postal_code_format", field)
    if value.startswith("0"):
        return DomainError("postal_code_format", field)
    return None


def check_period(
    start: date | None, end: date | None, field: str = "end_date"
) -> DomainError | None:
    if start is not None and end is not None and end < start:
        return DomainError("end_before_start", field, {"start": start, "end": end})
    return None


def check_weekly_hours(value: Decimal | None, field: str = "weekly_hours") -> DomainError | None:
    """More than 0, at most 60. Above 37 (full time) is a legal warning of the rules, not an error."""
    if value is None:
        return None
    if value <= 0:
        return DomainError("hours_not_positive", field)
    if value > MAX_WEEKLY_HOURS:
        return DomainError("hours_too_many", field, {"max": MAX_WEEKLY_HOURS})
    return None


def check_required(value: object, field: str) -> DomainError | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return DomainError("required", field)
    return None


def check_non_negative(value: Decimal | None, field: str) -> DomainError | None:
    if value is not None and value < 0:
        return DomainError("negative", field)
    return None


def parse_hours_step(line: str) -> tuple[date, Decimal]:
    """One step of a rising-hours plan, "2026-12-01 5": from this date, this many paid hours a
    week. Raises ValueError for anything else."""
    day, hours = line.split()
    value = Decimal(hours)
    if not value.is_finite():
        raise ValueError(line)
    return date.fromisoformat(day), value


def check_hours_plan(lines: tuple[str, ...], field: str = "paid_hours_plan") -> DomainError | None:
    """Steps in date order, each with more than 0 and at most full-time-and-a-half hours."""
    try:
        steps = [parse_hours_step(line) for line in lines]
    except (ValueError, ArithmeticError):
        return DomainError("hours_plan_format", field)
    if [d for d, _ in steps] != sorted({d for d, _ in steps}):
        return DomainError("hours_plan_order", field)
    for _, hours in steps:
        problem = check_weekly_hours(hours, field)
        if problem is not None:
            return problem
    return None

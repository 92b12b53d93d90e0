"""Reading what a consultant types: Danish decimal commas and the many ways to write a date."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

_DATE_PARTS = re.compile(r"^(\d{1,2})[.\-/ ](\d{1,2})[.\-/ ](\d{2}|\d{4})$")


class ParseError(ValueError):
    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


def parse_decimal(text: str) -> Decimal | None:
    """`37,5`, `37.5` and `1.234,50` (Danish thousands) are numbers; empty is None."""
    text = text.strip().replace(" ", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ParseError("not_a_number") from None
    if not number.is_finite():
        raise ParseError("not_a_number")
    return number


def parse_date(text: str, today: date | None = None) -> date | None:
    """`22.11.2026`, `22-11-26`, `22/11/2026`, `221126`, `22112026` and ISO `2026-11-22`; a
    two-digit year is this century. Empty is None."""
    text = text.strip()
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        match = _DATE_PARTS.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
        elif re.fullmatch(r"\d{6}|\d{8}", text):
            day, month, year = int(text[:2]), int(text[2:4]), int(text[4:])
        else:
            raise ParseError("not_a_date")
        if year < 100:
            year += ((today or date.today()).year // 100) * 100
        return date(year, month, day)
    except ValueError:
        raise ParseError("not_a_date") from None


def format_decimal_input(value: Decimal | None) -> str:
    """How a number is shown in a field for editing: `37,5`."""
    if value is None:
        return ""
    text = format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    return text.replace(".", ",")


def format_date_input(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def parse_hours_plan(text: str) -> tuple[str, ...]:
    """Rising paid hours, one step a line: "01.12.2026 5" (or "1/12-26: 5 t") → the domain's
    "2026-12-01 5". The domain checks the order and the hours."""
    steps = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        match = re.fullmatch(r"(\S+?)[:\s]+([\d.,]+)\s*(t|timer|h|hours)?\.?", line, re.IGNORECASE)
        if match is None:
            raise ParseError("hours_plan_format")
        day = parse_date(match.group(1))
        hours = parse_decimal(match.group(2))
        if day is None or hours is None:
            raise ParseError("hours_plan_format")
        steps.append(f"{day.isoformat()} {format(hours.normalize(), 'f')}")
    return tuple(steps)


def format_hours_plan_input(steps: tuple[str, ...]) -> str:
    """The domain's "2026-12-01 5" steps as a consultant types them: "01.12.2026 5"."""
    lines = []
    for step in steps:
        day, hours = step.split()
        lines.append(f"{format_date_input(date.fromisoformat(day))} {hours.replace('.', ',')}")
    return "\n".join(lines)

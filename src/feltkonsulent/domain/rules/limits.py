"""The legal limits as one effective-dated table: data, each row with its source and dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from feltkonsulent.domain.enums import TargetGroup


class Unit(StrEnum):
    WEEKS = "weeks"
    MONTHS = "months"
    HOURS_PER_WEEK = "hours_per_week"
    EMPLOYEES = "employees"


# Keys of rows that do not depend on the target group.
ANY = "*"
# The three numbers of the rimelighedskrav.
RATIO_PER = "employees_per_person"
RATIO_UP_TO = "up_to_employees"
RATIO_PER_ABOVE = "employees_per_person_above"


@dataclass(frozen=True)
class Limit:
    """One limit of the law for one group, in force from `valid_from` to `valid_to` (inclusive).

    `value` None means the project does not know the number: no finding is raised, and the
    note says why."""

    rule: str
    applies_to: str
    value: int | None
    unit: Unit
    valid_from: date
    valid_to: date | None
    reference: str
    source: str
    note_da: str = ""
    note_en: str = ""

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


LAB_IN_FORCE = date(2020, 1, 1)  # lov nr. 548 af 7.5.2019 om en aktiv beskæftigelsesindsats
LAST_DAY_BEFORE_NEW_ACT = date(2026, 12, 31)
NEW_ACT = date(2027, 1, 1)
IGU_ACT = date(2016, 7, 1)
IGU_LAST_START = date(2027, 12, 31)

_LAB = "Lov om en aktiv beskæftigelsesindsats (LAB), retsinformation.dk"
_REFORM_DA = (
    "Reformens fase 1 (lov nr. 1750 af 29.12.2025, i kraft 1.2.2026 og 1.7.2026): ændring af "
    "denne grænse er ikke bekræftet; tabellen beholder den hidtidige værdi."
)
_REFORM_EN = (
    "Reform phase 1 (Act no. 1750 of 29.12.2025, in force 1.2.2026 and 1.7.2026): no change to "
    "this limit is confirmed; the table keeps the earlier value."
)
_NEW_ACT_DA = (
    "Ny lov om aktiv beskæftigelsesindsats fra 1.1.2027 med nye paragraffer og fem målgrupper: "
    "grænsen er ikke kendt endnu, så der gives ingen advarsel."
)
_NEW_ACT_EN = (
    "New act on active employment measures from 1.1.2027, with new paragraph numbers and five "
    "target groups: the limit is not known yet, so no finding is raised."
)


def _lab_until_new_act(
    rule: str, applies_to: str, value: int | None, unit: Unit, reference: str,
    valid_from: date = LAB_IN_FORCE, note_da: str = _REFORM_DA, note_en: str = _REFORM_EN,
) -> tuple[Limit, Limit]:
    """A limit of the current act, and the unknown limit of the new act that replaces it."""
    return (
        Limit(rule, applies_to, value, unit, valid_from, LAST_DAY_BEFORE_NEW_ACT, reference, _LAB,
              note_da, note_en),
        Limit(rule, applies_to, None, unit, NEW_ACT, None, "Ny lov fra 1.1.2027",
              "Beskæftigelsesreformen 2025–27: ny lov om aktiv beskæftigelsesindsats",
              _NEW_ACT_DA, _NEW_ACT_EN),
    )


_UNKNOWN_INTEGRATION_DA = (
    "Praktik efter integrationsloven § 23 b: varigheden er ikke bekræftet; ingen advarsel."
)
_UNKNOWN_INTEGRATION_EN = (
    "Internship under the integration act § 23 b: the duration is not confirmed; no finding."
)

G = TargetGroup

LIMITS: tuple[Limit, ...] = (
    # Internship length (virksomhedspraktik), LAB § 61.
    *_lab_until_new_act("internship_too_long", G.UNEMPLOYMENT_BENEFIT, 4, Unit.WEEKS, "LAB § 61"),
    *_lab_until_new_act("internship_too_long", G.CASH_BENEFIT_JOB_READY, 4, Unit.WEEKS, "LAB § 61"),
    *_lab_until_new_act("internship_too_long", G.EDUCATION_BENEFIT, 4, Unit.WEEKS, "LAB § 61"),
    *_lab_until_new_act(
        "internship_too_long", G.GRADUATE, 8, Unit.WEEKS, "LAB § 61", valid_from=date(2021, 1, 1),
        note_da="8 uger for dimittender siden 2021 (den præcise dato er ikke bekræftet). "
        + _REFORM_DA,
        note_en="8 weeks for graduates since 2021 (the exact date is not confirmed). " + _REFORM_EN,
    ),
    *_lab_until_new_act(
        "internship_too_long", G.CASH_BENEFIT_ACTIVITY_READY, 13, Unit.WEEKS, "LAB § 61"
    ),
    *_lab_until_new_act("internship_too_long", G.SICKNESS_BENEFIT, 13, Unit.WEEKS, "LAB § 61"),
    Limit("internship_too_long", G.INTEGRATION_PROGRAMME, None, Unit.WEEKS, LAB_IN_FORCE, None,
          "Integrationsloven § 23 b", "Integrationsloven; varighed ikke bekræftet",
          _UNKNOWN_INTEGRATION_DA,
          _UNKNOWN_INTEGRATION_EN),
    # Weekly hours: normal full time.
    Limit("hours_above_full_time", ANY, 37, Unit.HOURS_PER_WEEK, LAB_IN_FORCE, None,
          "BAB § 60 (normal fuld tid)", "Praksis: 37 timer er normal fuld tid",
          "Timerne skal ligge inden for arbejdspladsens normale arbejdstid og højst normal fuld "
          "tid.", "Hours lie within the workplace's normal working hours, at most normal full "
          "time."),
    # Rimelighedskrav, BAB § 65: one supported person per 5 ordinary employees up to 50 (at least
    # one), then one more per 10.
    *_lab_until_new_act("ratio_exceeded", RATIO_PER, 5, Unit.EMPLOYEES, "BAB § 65"),
    *_lab_until_new_act("ratio_exceeded", RATIO_UP_TO, 50, Unit.EMPLOYEES, "BAB § 65"),
    *_lab_until_new_act("ratio_exceeded", RATIO_PER_ABOVE, 10, Unit.EMPLOYEES, "BAB § 65"),
    # Wage subsidy length, LAB § 68: by target group and employer type.
    *(
        row
        for group in (G.UNEMPLOYMENT_BENEFIT, G.CASH_BENEFIT_JOB_READY, G.EDUCATION_BENEFIT)
        for sector, months in (("private", 6), ("public", 4))
        for row in _lab_until_new_act(
            "wage_subsidy_too_long", f"{sector}:{group}", months, Unit.MONTHS, "LAB § 68"
        )
    ),
    *(
        Limit("wage_subsidy_too_long", f"{sector}:{group}", None, Unit.MONTHS, LAB_IN_FORCE, None,
              "LAB § 68", "Kommunale vejledninger; ikke bekræftet",
              "Nogle kommuner angiver 12 måneder; ikke bekræftet, så ingen advarsel.",
              "Some municipalities list 12 months; not confirmed, so no finding.")
        for group in (G.SICKNESS_BENEFIT, G.INTEGRATION_PROGRAMME, G.CASH_BENEFIT_ACTIVITY_READY)
        for sector in ("private", "public")
    ),
    # IGU, lov om integrationsgrunduddannelse.
    Limit("igu_too_long", ANY, 24, Unit.MONTHS, IGU_ACT, IGU_LAST_START,
          "IGU-loven (L 82 2023/24)", "L 82 2023/24; L 202 2020/21",
          "Et nyt IGU-forløb kan starte til og med 31.12.2027.",
          "A new IGU course can start until 31.12.2027."),
)


def find_limit(rule: str, applies_to: str, on: date) -> Limit | None:
    """The row for this rule and group in force on `on`; None when the table has none."""
    for limit in LIMITS:
        if limit.rule == rule and limit.applies_to == applies_to and limit.in_force_on(on):
            return limit
    return None

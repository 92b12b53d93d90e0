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
    YEARS = "years"


# Keys of rows that do not depend on the target group.
ANY = "*"
# The three numbers of the rimelighedskrav.
RATIO_PER = "employees_per_person"
RATIO_UP_TO = "up_to_employees"
RATIO_PER_ABOVE = "employees_per_person_above"
# Internship keys beside the target groups (see checks.internship_key).
WITHOUT_WORK_EXPERIENCE = "without_work_experience"
EXTENDED = "extended"  # the 13-week groups after a documented assessment (LAB § 61 stk. 2)
# The hours of an internship (and of a hybrid's internship part) against the other kinds'.
INTERNSHIP_HOURS = "internship"
# IGU ages at the start: from 18, below 50.
IGU_FROM_AGE = "from_age"
IGU_BELOW_AGE = "below_age"


@dataclass(frozen=True)
class Limit:
    """One limit of the law for one group, in force from `valid_from` to `valid_to` (inclusive).

    `value` None means the project does not know the number: the rule gives a notice that it
    was not checked (`limit_unconfirmed`), and the note says why. `confirmed` False means the
    value is applied provisionally: the value in force before a new act whose own value is not
    confirmed; every finding from the row is marked provisional. When the new act's value is
    confirmed, that one row changes (its value, reference and `confirmed`)."""

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
    confirmed: bool = True

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
_NEW_ACT_SOURCE = (
    "Beskæftigelsesreformen 2025–27: ny lov om aktiv beskæftigelsesindsats (værdi ikke bekræftet)"
)
_NEW_ACT_DA = (
    "Ny lov om aktiv beskæftigelsesindsats fra 1.1.2027 med nye paragraffer og fem målgrupper: "
    "dens grænse er ikke bekræftet, så den hidtidige værdi og paragraf anvendes foreløbigt, og "
    "hver advarsel markeres som foreløbig."
)
_NEW_ACT_EN = (
    "New act on active employment measures from 1.1.2027, with new paragraph numbers and five "
    "target groups: its limit is not confirmed, so the earlier value and paragraph apply "
    "provisionally and every finding is marked provisional."
)


def _lab_until_new_act(
    rule: str, applies_to: str, value: int | None, unit: Unit, reference: str,
    valid_from: date = LAB_IN_FORCE, note_da: str = _REFORM_DA, note_en: str = _REFORM_EN,
) -> tuple[Limit, Limit]:
    """A limit of the current act, and the same value applied provisionally under the new act
    (not confirmed): when the new act's value is confirmed, the second row changes."""
    return (
        Limit(rule, applies_to, value, unit, valid_from, LAST_DAY_BEFORE_NEW_ACT, reference, _LAB,
              note_da, note_en),
        Limit(rule, applies_to, value, unit, NEW_ACT, None, reference, _NEW_ACT_SOURCE,
              _NEW_ACT_DA, _NEW_ACT_EN, confirmed=False),
    )


_INTRODUCTION = (
    "Integrationsloven (introduktionsprogram, lov nr. 1654 af 30.12.2024 § 3; "
    "BEK nr. 208 af 20.1.2026 § 23)"
)
_UNKNOWN_INTEGRATION_DA = (
    "Praktik i introduktionsprogrammet (integrationsloven): varigheden er ikke bekræftet, så den "
    "kontrolleres ikke; der gives en bemærkning om det."
)
_UNKNOWN_INTEGRATION_EN = (
    "Internship in the introduction programme (integration act): the duration is not confirmed, "
    "so it is not checked; a notice says so."
)
_GRADUATE_SUBSIDY_DA = (
    "Dimittender er på dagpenge: samme antal måneder som for dagpenge. " + _REFORM_DA
)
_GRADUATE_SUBSIDY_EN = (
    "Graduates are on unemployment benefit: the same months as unemployment benefit. "
    + _REFORM_EN
)

G = TargetGroup
_JOB_READY_4_WEEKS = (G.UNEMPLOYMENT_BENEFIT, G.CASH_BENEFIT_JOB_READY, G.EDUCATION_BENEFIT)


def _internship_rows() -> tuple[Limit, ...]:
    """LAB § 61: 4 weeks for dagpenge, job-ready cash benefit and education-ready; 8 for
    graduates; 13 for activity-ready (education benefit included), for the job-ready without
    work experience or after long unemployment, and for sickness benefit; the 13-week groups
    to 26 weeks after a documented assessment (stk. 2)."""
    four = [row for group in _JOB_READY_4_WEEKS
            for row in _lab_until_new_act("internship_too_long", group, 4, Unit.WEEKS, "LAB § 61")]
    thirteen = [
        row
        for key in (
            G.CASH_BENEFIT_ACTIVITY_READY, f"{G.EDUCATION_BENEFIT}:activity_ready",
            G.SICKNESS_BENEFIT,
            *(f"{group}:{WITHOUT_WORK_EXPERIENCE}" for group in _JOB_READY_4_WEEKS),
        )
        for row in _lab_until_new_act("internship_too_long", key, 13, Unit.WEEKS, "LAB § 61")
    ]
    graduates = _lab_until_new_act(
        "internship_too_long", G.GRADUATE, 8, Unit.WEEKS, "LAB § 61", valid_from=date(2021, 1, 1),
        note_da="8 uger for dimittender siden 2021 (den præcise dato er ikke bekræftet). "
        + _REFORM_DA,
        note_en="8 weeks for graduates since 2021 (the exact date is not confirmed). " + _REFORM_EN,
    )
    extended = _lab_until_new_act(
        "internship_too_long", EXTENDED, 26, Unit.WEEKS, "LAB § 61 stk. 2",
        note_da="Forlængelse til 26 uger for grupperne med 13 uger efter en konkret, "
        "dokumenteret vurdering (registreret på forløbet). " + _REFORM_DA,
        note_en="Extension to 26 weeks for the 13-week groups after a concrete, documented "
        "assessment (recorded on the placement). " + _REFORM_EN,
    )
    integration = Limit(
        "internship_too_long", G.INTEGRATION_PROGRAMME, None, Unit.WEEKS, LAB_IN_FORCE, None,
        _INTRODUCTION, "Integrationsloven; varighed ikke bekræftet",
        _UNKNOWN_INTEGRATION_DA, _UNKNOWN_INTEGRATION_EN)
    return (*four, *graduates, *thirteen, *extended, integration)


def _wage_subsidy_rows() -> tuple[Limit, ...]:
    """LAB § 68, by target group and employer type."""
    known = [
        row
        for group in (*_JOB_READY_4_WEEKS, G.GRADUATE)
        for sector, months in (("private", 6), ("public", 4))
        for row in _lab_until_new_act(
            "wage_subsidy_too_long", f"{sector}:{group}", months, Unit.MONTHS, "LAB § 68",
            note_da=_GRADUATE_SUBSIDY_DA if group is G.GRADUATE else _REFORM_DA,
            note_en=_GRADUATE_SUBSIDY_EN if group is G.GRADUATE else _REFORM_EN,
        )
    ]
    unknown = [
        Limit("wage_subsidy_too_long", f"{sector}:{group}", None, Unit.MONTHS, LAB_IN_FORCE, None,
              _INTRODUCTION if group is G.INTEGRATION_PROGRAMME else "LAB § 68",
              "Kommunale vejledninger; ikke bekræftet",
              "Nogle kommuner angiver 12 måneder; ikke bekræftet, så det kontrolleres ikke, og "
              "der gives en bemærkning om det.",
              "Some municipalities list 12 months; not confirmed, so it is not checked, and a "
              "notice says so.")
        for group in (G.SICKNESS_BENEFIT, G.INTEGRATION_PROGRAMME, G.CASH_BENEFIT_ACTIVITY_READY)
        for sector in ("private", "public")
    ]
    return (*known, *unknown)


_IGU = "IGU-loven (L 82 2023/24)"

LIMITS: tuple[Limit, ...] = (
    *_internship_rows(),
    # Weekly hours: an internship's lie within normal full time (BAB § 60 stk. 5, an internship
    # rule); for the other kinds 37 hours is normal full time in practice, not a paragraph.
    *_lab_until_new_act(
        "hours_above_full_time", INTERNSHIP_HOURS, 37, Unit.HOURS_PER_WEEK, "BAB § 60 stk. 5",
        note_da="Praktikkens timer skal ligge inden for arbejdspladsens normale arbejdstid og "
        "højst normal fuld tid. " + _REFORM_DA,
        note_en="An internship's hours lie within the workplace's normal working hours, at most "
        "normal full time. " + _REFORM_EN),
    Limit("hours_above_full_time", ANY, 37, Unit.HOURS_PER_WEEK, LAB_IN_FORCE, None,
          "praksis: normal fuld tid", "Praksis: 37 timer er normal fuld tid",
          "Løntilskud, IGU og ordinære timer: 37 timer er normal fuld tid i praksis; ingen "
          "paragraf.", "Wage subsidy, IGU and ordinary hours: 37 hours is normal full time in "
          "practice; no paragraph."),
    # Rimelighedskrav, BAB § 65: one supported person per 5 ordinary employees up to 50 (at least
    # one), then one more per 10; tested when a placement is set up (stk. 4).
    *_lab_until_new_act("ratio_exceeded", RATIO_PER, 5, Unit.EMPLOYEES, "BAB § 65"),
    *_lab_until_new_act("ratio_exceeded", RATIO_UP_TO, 50, Unit.EMPLOYEES, "BAB § 65"),
    *_lab_until_new_act("ratio_exceeded", RATIO_PER_ABOVE, 10, Unit.EMPLOYEES, "BAB § 65"),
    *_wage_subsidy_rows(),
    # IGU, lov om integrationsgrunduddannelse.
    Limit("igu_too_long", ANY, 24, Unit.MONTHS, IGU_ACT, IGU_LAST_START, _IGU,
          "L 82 2023/24; L 202 2020/21",
          "Et nyt IGU-forløb kan starte til og med 31.12.2027.",
          "A new IGU course can start until 31.12.2027."),
    Limit("igu_age_out_of_range", IGU_FROM_AGE, 18, Unit.YEARS, IGU_ACT, IGU_LAST_START, _IGU,
          "L 82 2023/24", "Alderen på startdagen, fra CPR-nummerets fødselsdato.",
          "The age on the start day, from the CPR number's birth date."),
    Limit("igu_age_out_of_range", IGU_BELOW_AGE, 50, Unit.YEARS, IGU_ACT, IGU_LAST_START, _IGU,
          "L 82 2023/24", "Alderen på startdagen, fra CPR-nummerets fødselsdato. Datoen, hvor "
          "grænsen blev 50 år (L 82 2023/24), er ikke bekræftet; den tidligere grænse er ikke i "
          "tabellen.", "The age on the start day, from the CPR number's birth date. The date the "
          "limit became 50 (L 82 2023/24) is not confirmed; the earlier limit is not in the "
          "table."),
)


def find_limit(rule: str, applies_to: str, on: date) -> Limit | None:
    """The row for this rule and group in force on `on`; None when the table has none."""
    for limit in LIMITS:
        if limit.rule == rule and limit.applies_to == applies_to and limit.in_force_on(on):
            return limit
    return None

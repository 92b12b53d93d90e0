"""The records of DESIGN.md as frozen dataclasses; `validate()` lists every problem with its code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from feltkonsulent.domain import limits
from feltkonsulent.domain import validation as v
from feltkonsulent.domain.enums import (
    Outcome,
    PlacementKind,
    PlacementStatus,
    Purpose,
    Readiness,
    Sector,
    SupportRole,
    TargetGroup,
    VisitMode,
)
from feltkonsulent.domain.errors import DomainError, ValidationError
from feltkonsulent.domain.ids import (
    AgreementId,
    CitizenId,
    CompanyId,
    ConsultantProfileId,
    ContactId,
    LanguagePartnerId,
    PlacementId,
    RuleOverrideId,
    SupportArrangementId,
    TeamId,
    TeamProfileId,
    VisitId,
)


def _found(*checks: DomainError | None) -> list[DomainError]:
    return [c for c in checks if c is not None]


def _optional(check: object, value: str | None, name: str) -> DomainError | None:
    if value is None or value == "":
        return None
    assert callable(check)
    result = check(value, name)
    assert result is None or isinstance(result, DomainError)
    return result


class Record:
    """What every record can do: say what is wrong with it, or raise it."""

    # Every record has these (declared again, with their NewTypes, by each dataclass).
    id: str
    team_id: str

    def problems(self) -> list[DomainError]:
        """What is wrong: the values no field may hold (`limits.py`, the one boundary for every
        edge), then the record's own rules for the fields the boundary let through."""
        bounded = limits.problems(self)
        flagged = {e.field for e in bounded}
        return bounded + [e for e in self.rules() if e.field not in flagged]

    def rules(self) -> list[DomainError]:
        raise NotImplementedError

    def validate(self) -> None:
        found = self.problems()
        if found:
            raise ValidationError(found)


@dataclass(frozen=True)
class Company(Record):
    id: CompanyId
    team_id: TeamId
    name: str
    cvr: str
    p_number: str | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    industry: str | None = None
    employee_count: Decimal | None = None
    notes: str | None = None
    sector: Sector | None = None

    def __post_init__(self) -> None:
        # Canonical form: digits only, however the consultant typed them.
        object.__setattr__(self, "cvr", v.compact_digits(self.cvr))
        if self.p_number:
            object.__setattr__(self, "p_number", v.compact_digits(self.p_number))

    def rules(self) -> list[DomainError]:
        return _found(
            v.check_required(self.name, "name"),
            v.check_cvr(self.cvr),
            _optional(v.check_p_number, self.p_number, "p_number"),
            _optional(v.check_postal_code, self.postal_code, "postal_code"),
            v.check_non_negative(self.employee_count, "employee_count"),
        )


@dataclass(frozen=True)
class Contact(Record):
    id: ContactId
    team_id: TeamId
    company_id: CompanyId
    name: str
    role: str | None = None
    phone: str | None = None
    email: str | None = None
    is_employee_representative: bool = False

    def rules(self) -> list[DomainError]:
        return _found(
            v.check_required(self.name, "name"),
            _optional(v.check_phone, self.phone, "phone"),
            _optional(v.check_email, self.email, "email"),
        )


@dataclass(frozen=True)
class Citizen(Record):
    id: CitizenId
    team_id: TeamId
    name: str
    cpr: str
    phone: str | None = None
    email: str | None = None
    target_group: TargetGroup = TargetGroup.OTHER
    readiness: Readiness | None = None
    danish_level: str | None = None
    needs_interpreter: bool = False
    notes: str | None = None
    # The citizen's latest employer: a job-ready person may not intern there (BAB § 61).
    latest_employer: str | None = None
    # Job-ready without work experience or after long unemployment: 13 weeks, not 4 (LAB § 61).
    without_work_experience: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "cpr", v.compact_digits(self.cpr))

    def rules(self) -> list[DomainError]:
        return _found(
            v.check_required(self.name, "name"),
            v.check_cpr(self.cpr),
            # The legal limits depend on it: a form must not guess it for the consultant.
            v.check_required(self.target_group, "target_group"),
            _optional(v.check_phone, self.phone, "phone"),
            _optional(v.check_email, self.email, "email"),
        )

    @property
    def masked_cpr(self) -> str:
        return v.mask_cpr(self.cpr)


@dataclass(frozen=True)
class Placement(Record):
    id: PlacementId
    team_id: TeamId
    citizen_id: CitizenId
    company_id: CompanyId
    kind: PlacementKind
    start_date: date
    end_date: date
    purpose: Purpose | None = None
    weekly_hours: Decimal | None = None
    work_tasks: str | None = None
    goals: tuple[str, ...] = field(default_factory=tuple)
    contact_id: ContactId | None = None
    status: PlacementStatus = PlacementStatus.PLANNED
    outcome: Outcome | None = None
    # When the hours lie ("Mandag-torsdag 8-13.30"): printed on the agreement.
    working_hours: str | None = None
    # Wage subsidy, IGU and the paid part of a hybrid: the hourly wage and the subsidy (DKK).
    hourly_wage: Decimal | None = None
    subsidy_per_hour: Decimal | None = None
    # IGU: the education part (school, course, weeks).
    education_plan: str | None = None
    # Hybrid and ordinary hours: how the paid hours rise, "2026-12-01 5" a step (date order).
    paid_hours_plan: tuple[str, ...] = field(default_factory=tuple)
    # The concrete, documented assessment behind an internship extended to 26 weeks
    # (LAB § 61 stk. 2); empty: not extended.
    extension_assessment: str | None = None
    # When the municipality follows up on the placement: printed on the agreement.
    follow_up_on: date | None = None

    def rules(self) -> list[DomainError]:
        return _found(
            v.check_period(self.start_date, self.end_date),
            v.check_weekly_hours(self.weekly_hours),
            v.check_non_negative(self.hourly_wage, "hourly_wage"),
            v.check_non_negative(self.subsidy_per_hour, "subsidy_per_hour"),
            v.check_hours_plan(self.paid_hours_plan),
            # An internship must state its purpose (BAB § 60; Ankestyrelsen).
            DomainError("purpose_required", "purpose")
            if self.kind is PlacementKind.INTERNSHIP and self.purpose is None
            else None,
        )

    def is_active_on(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date and self.status is not (
            PlacementStatus.CANCELLED
        )


@dataclass(frozen=True)
class SupportArrangement(Record):
    """A buddy, mentor or culture guide at the workplace, possibly bought out (frikøb)."""

    id: SupportArrangementId
    team_id: TeamId
    placement_id: PlacementId
    role: SupportRole
    person_name: str
    start_date: date
    end_date: date
    hours_per_week: Decimal | None = None
    hourly_rate: Decimal | None = None
    notes: str | None = None

    def rules(self) -> list[DomainError]:
        return _found(
            v.check_required(self.person_name, "person_name"),
            v.check_period(self.start_date, self.end_date),
            v.check_weekly_hours(self.hours_per_week, "hours_per_week"),
            v.check_non_negative(self.hourly_rate, "hourly_rate"),
        )


@dataclass(frozen=True)
class LanguagePartner(Record):
    """A sprogmakker: a colleague who helps the citizen learn Danish during the working day."""

    id: LanguagePartnerId
    team_id: TeamId
    placement_id: PlacementId
    partner_name: str
    start_date: date
    end_date: date
    trained_on: date | None = None
    meeting_frequency: str | None = None
    focus_areas: tuple[str, ...] = field(default_factory=tuple)
    notes: str | None = None

    def rules(self) -> list[DomainError]:
        return _found(
            v.check_required(self.partner_name, "partner_name"),
            v.check_period(self.start_date, self.end_date),
        )


@dataclass(frozen=True)
class AftercareVisit(Record):
    """A planned or completed follow-up; immutable once saved, corrected by a superseding note."""

    id: VisitId
    team_id: TeamId
    placement_id: PlacementId
    planned_on: date | None = None
    visited_on: date | None = None
    mode: VisitMode = VisitMode.ON_SITE
    participants: str | None = None
    notes: str | None = None
    agreed_actions: str | None = None
    next_visit_on: date | None = None
    supersedes: VisitId | None = None

    def rules(self) -> list[DomainError]:
        return _found(
            DomainError("visit_date_required", "planned_on")
            if self.planned_on is None and self.visited_on is None
            else None,
            v.check_period(self.visited_on, self.next_visit_on, "next_visit_on"),
            DomainError("supersedes_self", "supersedes") if self.supersedes == self.id else None,
        )


@dataclass(frozen=True)
class RuleOverride(Record):
    """The consultant went on past a rule's finding, and why: saved with the placement and
    printed on the jobcentre's copy of the agreement."""

    id: RuleOverrideId
    team_id: TeamId
    placement_id: PlacementId
    code: str
    reason: str
    decided_on: date

    def rules(self) -> list[DomainError]:
        return _found(v.check_required(self.code, "code"), v.check_required(self.reason, "reason"))


@dataclass(frozen=True)
class Agreement(Record):
    """One issued version of a placement's agreement: when, by whom, in which language, and the
    SHA-256 of the PDF, so a signed paper copy can be matched to the file. `signed_on` closes it."""

    id: AgreementId
    team_id: TeamId
    placement_id: PlacementId
    version: int
    language: str
    issued_at: str  # ISO 8601, UTC
    issued_by: str
    sha256: str
    signed_on: date | None = None
    # SHA-256 of what the agreement says, whatever its language: the Danish and the English copy
    # of the same content are one version (the same number and QR code).
    content_sha256: str | None = None

    def rules(self) -> list[DomainError]:
        return _found(
            None if self.version >= 1 else DomainError("version_positive", "version"),
            None if self.language in ("da", "en") else DomainError("language_unknown", "language"),
            None if re.fullmatch(r"[0-9a-f]{64}", self.sha256) else DomainError("sha256_format",
                                                                                   "sha256"),
        )


@dataclass(frozen=True)
class TeamProfile(Record):
    """The municipality (and its unit) that the team works for, printed on every agreement:
    since reform phase 1 (lov nr. 1750 af 29.12.2025) the law says "kommunen", not "jobcentret".
    One per team; where two were made offline the latest change wins (services/profile.py)."""

    id: TeamProfileId
    team_id: TeamId
    municipality: str
    department: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None

    def rules(self) -> list[DomainError]:
        return _found(
            v.check_required(self.municipality, "municipality"),
            _optional(v.check_phone, self.phone, "phone"),
            _optional(v.check_email, self.email, "email"),
        )


@dataclass(frozen=True)
class ConsultantProfile(Record):
    """The consultant who makes the agreement: name, phone and e-mail, printed on it. One per
    user (the name the computer knows them by), synced with the team."""

    id: ConsultantProfileId
    team_id: TeamId
    user: str
    name: str
    phone: str | None = None
    email: str | None = None

    def rules(self) -> list[DomainError]:
        return _found(
            v.check_required(self.user, "user"),
            v.check_required(self.name, "name"),
            _optional(v.check_phone, self.phone, "phone"),
            _optional(v.check_email, self.email, "email"),
        )


ENTITY_TYPES: dict[str, type[Record]] = {
    "companies": Company,
    "contacts": Contact,
    "citizens": Citizen,
    "placements": Placement,
    "support_arrangements": SupportArrangement,
    "language_partners": LanguagePartner,
    "aftercare_visits": AftercareVisit,
    "rule_overrides": RuleOverride,
    "agreements": Agreement,
    "team_profiles": TeamProfile,
    "consultant_profiles": ConsultantProfile,
}

"""Valid records for tests, with any field overridden by keyword."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from feltkonsulent.domain.entities import (
    AftercareVisit,
    Citizen,
    Company,
    Contact,
    LanguagePartner,
    Placement,
    SupportArrangement,
)
from feltkonsulent.domain.enums import (
    PlacementKind,
    Purpose,
    SupportRole,
    TargetGroup,
    VisitMode,
)
from feltkonsulent.domain.ids import uuid7

TEAM = "local"
GOOD_CVR = "13585628"  # Danish Ministry of Finance's example; passes modulus 11
GOOD_CPR = "2110625629"


def company(**fields: Any) -> Company:
    values: dict[str, Any] = dict(
        id=uuid7(),
        team_id=TEAM,
        name="Bageriet Ørsted ApS",
        cvr=GOOD_CVR,
        p_number="1003388394",
        street="Søndergade 12",
        postal_code="8000",
        city="Aarhus C",
        industry="Bagerier",
        employee_count=Decimal(12),
        notes="Ring før kl. 9",
    )
    return Company(**{**values, **fields})


def contact(company_id: str, **fields: Any) -> Contact:
    values: dict[str, Any] = dict(
        id=uuid7(),
        team_id=TEAM,
        company_id=company_id,
        name="Mette Kjær",
        role="Butikschef",
        phone="86 12 34 56",
        email="mette@orsted-bageri.dk",
        is_employee_representative=False,
    )
    return Contact(**{**values, **fields})


def citizen(**fields: Any) -> Citizen:
    values: dict[str, Any] = dict(
        id=uuid7(),
        team_id=TEAM,
        name="Amina Hassan",
        cpr=GOOD_CPR,
        phone="+45 20 30 40 50",
        target_group=TargetGroup.INTEGRATION_PROGRAMME,
        danish_level="DU2, modul 3",
        needs_interpreter=True,
        notes="Tigrinya-tolk ved første møde",
    )
    return Citizen(**{**values, **fields})


def placement(citizen_id: str, company_id: str, **fields: Any) -> Placement:
    values: dict[str, Any] = dict(
        id=uuid7(),
        team_id=TEAM,
        citizen_id=citizen_id,
        company_id=company_id,
        kind=PlacementKind.INTERNSHIP,
        purpose=Purpose.UPSKILLING,
        start_date=date(2026, 11, 2),
        end_date=date(2026, 12, 20),
        weekly_hours=Decimal("22.5"),
        work_tasks="Bagning, opvask og opfyldning i butikken",
        goals=("Kan følge en arbejdsplan", "Bruger fagord på dansk"),
    )
    return Placement(**{**values, **fields})


def support(placement_id: str, **fields: Any) -> SupportArrangement:
    values: dict[str, Any] = dict(
        id=uuid7(),
        team_id=TEAM,
        placement_id=placement_id,
        role=SupportRole.BUDDY,
        person_name="Jens Madsen",
        hours_per_week=Decimal("2.5"),
        hourly_rate=Decimal(200),
        start_date=date(2026, 11, 2),
        end_date=date(2026, 12, 20),
    )
    return SupportArrangement(**{**values, **fields})


def language_partner(placement_id: str, **fields: Any) -> LanguagePartner:
    values: dict[str, Any] = dict(
        id=uuid7(),
        team_id=TEAM,
        placement_id=placement_id,
        partner_name="Lone Sørensen",
        trained_on=date(2026, 10, 20),
        meeting_frequency="To gange om ugen, 20 minutter",
        focus_areas=("Fagord", "Small talk i frokostpausen"),
        start_date=date(2026, 11, 2),
        end_date=date(2026, 12, 20),
    )
    return LanguagePartner(**{**values, **fields})


def visit(placement_id: str, **fields: Any) -> AftercareVisit:
    values: dict[str, Any] = dict(
        id=uuid7(),
        team_id=TEAM,
        placement_id=placement_id,
        planned_on=date(2026, 11, 16),
        visited_on=date(2026, 11, 16),
        mode=VisitMode.ON_SITE,
        participants="Amina, Mette (butikschef), konsulent",
        notes="Amina trives; kollegerne roser hendes mødestabilitet.",
        agreed_actions="Mette øver bestillingslisten med Amina",
        next_visit_on=date(2026, 12, 1),
    )
    return AftercareVisit(**{**values, **fields})

"""Records for agreements of every kind, and reading a rendered PDF back (pypdf)."""

from __future__ import annotations

import dataclasses
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from feltkonsulent.documents import (
    AgreementData,
    Issuer,
    NoteData,
    build_agreement,
    build_internal_note,
)
from feltkonsulent.domain.entities import (
    Citizen,
    Company,
    Contact,
    LanguagePartner,
    Placement,
    RuleOverride,
    SupportArrangement,
)
from feltkonsulent.domain.enums import PlacementKind, SupportRole
from feltkonsulent.domain.ids import uuid7
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
FONTS = ROOT / "resources" / "fonts"
ISSUED = date(2026, 12, 1)  # "1. december 2026"
CPR = "0112901238"  # born 1 December 1990
ISSUER = Issuer(municipality="Aarhus Kommune", department="Virksomhedsservice",
                address="Værkmestergade 15, 8000 Aarhus C", phone="89 40 20 00",
                email="virksomhedsservice@aarhus.dk", consultant="Sara Holm",
                consultant_phone="41 85 20 11", consultant_email="saho@aarhus.dk")
WAGE = Decimal("142.50")


@dataclass(frozen=True)
class Records:
    company: Company
    contact: Contact
    representative: Contact | None
    citizen: Citizen
    placement: Placement
    support: tuple[SupportArrangement, ...] = ()
    partners: tuple[LanguagePartner, ...] = ()
    overrides: tuple[RuleOverride, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def replace(self, **changes: Any) -> Records:
        return dataclasses.replace(self, **changes)

    def agreement(self, **options: Any) -> AgreementData:
        values: dict[str, Any] = dict(
            contact=self.contact, representative=self.representative, support=self.support,
            partners=self.partners, version=2, language="da",
            issued_on=ISSUED, supported_at_workplace=Decimal("1.6"), issuer=ISSUER,
        )
        return build_agreement(self.placement, self.company, self.citizen, **{**values, **options})

    def note(self, **options: Any) -> NoteData:
        values: dict[str, Any] = dict(overrides=self.overrides, language="da", issued_on=ISSUED,
                                      issuer=ISSUER, version=2)
        return build_internal_note(self.placement, self.company, self.citizen,
                                   **{**values, **options})


def records(kind: PlacementKind = PlacementKind.INTERNSHIP, **placement: Any) -> Records:
    """A bakery with 12 employees, Amina in a placement of `kind`, a buddy, a mentor whose total
    is 12.345,50 kr. (5 h x 246,91 kr. x 10 weeks), and a sprogmakker."""
    company = factories.company()
    contact = factories.contact(company.id)
    representative = factories.contact(company.id, name="Ole Bager", role="Tillidsrepræsentant",
                                       phone="86 12 34 99", email="ole@orsted-bageri.dk",
                                       is_employee_representative=True)
    citizen = factories.citizen(cpr=CPR)
    values: dict[str, Any] = dict(
        kind=kind, contact_id=contact.id, working_hours="Mandag-torsdag 8-13.30",
        hourly_wage=WAGE, subsidy_per_hour=Decimal("85.20"),
        education_plan="Sprogcenter Aarhus, DU2 modul 4; AMU-kursus i hygiejne",
        paid_hours_plan=("2026-11-02 5", "2026-11-23 8", "2026-12-07 12"),
    )
    p = factories.placement(citizen.id, company.id, **{**values, **placement})
    support = (
        factories.support(p.id),
        factories.support(p.id, role=SupportRole.MENTOR, person_name="Hanne Lund",
                          hours_per_week=Decimal(5), hourly_rate=Decimal("246.91"),
                          start_date=date(2026, 11, 2), end_date=date(2027, 1, 10)),
    )
    return Records(company, contact, representative, citizen, p, support,
                   (factories.language_partner(p.id),))


def override(placement_id: str, code: str, reason: str, decided_on: date) -> RuleOverride:
    return RuleOverride(id=uuid7(), team_id=factories.TEAM, placement_id=placement_id, code=code,
                        reason=reason, decided_on=decided_on)


def pages(pdf: bytes) -> list[str]:
    """Each page's text, no-break spaces as spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    return [page.extract_text().replace("\N{NO-BREAK SPACE}", " ") for page in reader.pages]


def text(pdf: bytes) -> str:
    return "\n".join(pages(pdf))


def body(pdf: bytes) -> str:
    """The text without each page's header (title, version) and footer (title, page number), so
    a paragraph that runs over a page break reads as one."""
    return "\n".join("\n".join(page.strip().split("\n")[2:-2]) for page in pages(pdf))


def flat(value: str) -> str:
    """Without any whitespace: wrapped lines and split long words compare equal."""
    return re.sub(r"\s+", "", value)


@pytest.fixture
def internship() -> Records:
    return records()

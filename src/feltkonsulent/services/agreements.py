"""Placement agreements: made from the records, shown, and issued — an issue is recorded (version,
time, who, SHA-256 of the PDF) so a signed paper copy can be matched back; "signed on" closes it."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from feltkonsulent.domain.entities import Agreement, Placement
from feltkonsulent.domain.errors import DomainError, ValidationError
from feltkonsulent.domain.rules import PlacementContext
from feltkonsulent.domain.rules.checks import SUPPORTED_KINDS, supported_at_workplace
from feltkonsulent.services.paths import resources_dir
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage import queries
from feltkonsulent.storage.queries import UnsignedPlacement

__all__ = ["LANGUAGES", "Draft", "UnsignedPlacement", "issue", "mark_signed", "prepare", "record",
           "unsigned"]

LANGUAGES = ("da", "en")


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


@dataclass(frozen=True)
class Draft:
    """An agreement made and not yet issued: what the preview shows, and what is printed."""

    placement_id: str
    version: int
    language: str
    pdf: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def prepare(ws: Workspace, placement_id: str, language: str, today: date,
            include_cpr: bool = False) -> Draft:
    """The next version of the placement's agreement, as it will print (nothing is recorded)."""
    # Imported here, not with the module: reportlab takes ~0.4 s to import, and the window
    # imports this module at its start.
    from feltkonsulent.documents.agreement import build_agreement
    from feltkonsulent.documents.pdf import render_agreement

    if language not in LANGUAGES:
        raise ValidationError([DomainError("language_unknown", "language")])
    repos = ws.repos
    placement = repos.placements.require(placement_id)
    company = repos.companies.require(placement.company_id)
    citizen = repos.citizens.require(placement.citizen_id)  # a read of the citizen: audited
    contacts = ws.contacts_of(company.id)
    contact = next((c for c in contacts if c.id == placement.contact_id), None)
    representative = next((c for c in contacts if c.is_employee_representative), None)
    support, partners = ws.arrangements_of(placement_id)
    latest = repos.agreements.latest(placement_id)
    version = 1 if latest is None else latest.version + 1
    data = build_agreement(
        placement, company, citizen,
        contact=contact, representative=representative, support=support, partners=partners,
        overrides=repos.rule_overrides.for_placement(placement_id),
        version=version, language=language, issued_on=today,
        supported_at_workplace=_supported(ws, placement),
        include_cpr=include_cpr,
    )
    return Draft(placement_id, version, language, render_agreement(data, fonts_dir()))


def _supported(ws: Workspace, placement: Placement) -> Decimal | None:
    """Supported persons at the workplace (full-time equivalents, this one included) on the
    busiest day of the period, for the ratio declaration; None where the kind does not count."""
    if placement.kind not in SUPPORTED_KINDS:
        return None
    context = PlacementContext(placement, None, None, [],
                               ws.repos.placements.for_company(placement.company_id))
    return supported_at_workplace(context)[1]


def record(ws: Workspace, draft: Draft, issued_by: str | None = None) -> Agreement:
    """Record that `draft` was issued (printed, saved or sent), by `issued_by` (default: the
    user the database was opened by). Refused if another version was issued since the draft
    was made: its number and QR code would then be wrong."""
    with ws.store.write():
        latest = ws.repos.agreements.latest(draft.placement_id)
        if (1 if latest is None else latest.version + 1) != draft.version:
            raise ValidationError([DomainError("agreement_outdated", "version")])
        agreement = ws.new(
            Agreement, placement_id=draft.placement_id, version=draft.version,
            language=draft.language, issued_at=ws.store.now_iso(), issued_by=issued_by or ws.store.actor,
            sha256=draft.sha256,
        )
        ws.save(agreement)
    return agreement


def issue(ws: Workspace, placement_id: str, language: str, today: date, issued_by: str,
          include_cpr: bool = False) -> tuple[Agreement, bytes]:
    draft = prepare(ws, placement_id, language, today, include_cpr)
    return record(ws, draft, issued_by), draft.pdf


def mark_signed(ws: Workspace, agreement_id: str, signed_on: date) -> Agreement:
    agreement = ws.repos.agreements.require(agreement_id)
    signed = dataclasses.replace(agreement, signed_on=signed_on)
    ws.save(signed)
    return signed


def unsigned(ws: Workspace, today: date) -> list[UnsignedPlacement]:
    """Planned and running placements whose latest agreement is not signed (or none issued)."""
    return queries.placements_unsigned(ws.store, today)

"""Placement agreements: made from the records, shown, and issued — an issue is recorded (version,
time, who, SHA-256 of the PDF, SHA-256 of what it says) so a signed paper copy can be matched
back; "signed on" closes it. The reasons for going past a rule are the municipality's internal
note (`internal_note`), never part of the agreement."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feltkonsulent.domain.entities import Agreement, Placement
from feltkonsulent.domain.errors import DomainError, ValidationError
from feltkonsulent.domain.rules import PlacementContext
from feltkonsulent.domain.rules.checks import SUPPORTED_KINDS, supported_on_start_day
from feltkonsulent.services import profile
from feltkonsulent.services.operations import operation
from feltkonsulent.services.paths import resources_dir
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage import queries
from feltkonsulent.storage.queries import UnsignedPlacement

if TYPE_CHECKING:
    from feltkonsulent.documents.model import Issuer

__all__ = ["LANGUAGES", "Draft", "UnsignedPlacement", "UnsignedToday", "internal_note", "issue",
           "mark_signed", "prepare", "record", "unsigned", "unsigned_today"]

LANGUAGES = ("da", "en")
# "I dag" asks for the signatures of placements running or starting within two weeks.
SIGN_WITHIN_DAYS = 14
# The language the content digest is taken in: any fixed one makes it language-independent.
_CANONICAL_LANGUAGE = "en"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


@dataclass(frozen=True)
class Draft:
    """An agreement made and not yet issued: what the preview shows, and what is printed.
    `content_sha256`: what it says, whatever its language (Agreement.content_sha256)."""

    placement_id: str
    version: int
    language: str
    pdf: bytes
    content_sha256: str = ""
    # The latest version again: what it says has not changed since it was issued.
    unchanged: bool = False

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def _issuer(ws: Workspace) -> Issuer:
    from feltkonsulent.documents.model import Issuer

    found = profile.current(ws)
    return Issuer.from_profiles(found.team, found.consultant)


def _records(ws: Workspace, placement_id: str, language: str) -> dict[str, Any]:
    """The placement, its company and citizen, for a document in `language` (checked first)."""
    if language not in LANGUAGES:
        raise ValidationError([DomainError("language_unknown", "language")])
    repos = ws.repos
    placement = repos.placements.show(placement_id)  # a read of the placement: audited
    company = repos.companies.require(placement.company_id)
    citizen = repos.citizens.require(placement.citizen_id)  # a read of the citizen: audited
    return {"placement": placement, "company": company, "citizen": citizen}


def prepare(ws: Workspace, placement_id: str, language: str, today: date,
            include_cpr: bool = False) -> Draft:
    """The agreement as it will print (nothing is recorded): the latest version again where
    what it says is unchanged (in whichever language it was issued), else the next version.
    Raises ValidationError `ratio_breach` where the workplace has more supported persons than
    the ratio allows (BAB § 65): a finding to resolve before the agreement can be made."""
    # Imported here, not with the module: reportlab takes ~0.4 s to import, and the window
    # imports this module at its start.
    from feltkonsulent.documents.agreement import build_agreement, content_digest
    from feltkonsulent.documents.pdf import render_agreement

    found = _records(ws, placement_id, language)
    placement, company = found["placement"], found["company"]
    contacts = ws.contacts_of(company.id)
    contact = next((c for c in contacts if c.id == placement.contact_id), None)
    representative = next((c for c in contacts if c.is_employee_representative), None)
    support, partners = ws.arrangements_of(placement_id)
    options: dict[str, Any] = dict(
        contact=contact, representative=representative, support=support, partners=partners,
        issued_on=today, supported_at_workplace=_supported(ws, placement), issuer=_issuer(ws))
    # What the agreement says, in one fixed language and without the full CPR number (a choice
    # of print, like the language): the same content is the same version.
    digest = content_digest(build_agreement(**found, **options, version=1,
                                            language=_CANONICAL_LANGUAGE))
    latest = ws.repos.agreements.latest(placement_id)
    if latest is None:
        version = 1
    elif latest.content_sha256 == digest:
        version = latest.version
    else:
        version = latest.version + 1
    data = build_agreement(**found, **options, version=version, language=language,
                           include_cpr=include_cpr)
    return Draft(placement_id, version, language, render_agreement(data, fonts_dir()), digest,
                 unchanged=latest is not None and latest.version == version)


def internal_note(ws: Workspace, placement_id: str, language: str, today: date) -> bytes:
    """The municipality's internal note for a placement as PDF: the rule findings the consultant
    went past, with the reasons. Not an agreement version: nothing is recorded."""
    from feltkonsulent.documents.agreement import build_internal_note
    from feltkonsulent.documents.pdf import render_note

    found = _records(ws, placement_id, language)
    latest = ws.repos.agreements.latest(placement_id)
    data = build_internal_note(
        **found, overrides=ws.repos.rule_overrides.for_placement(placement_id),
        language=language, issued_on=today, issuer=_issuer(ws),
        version=latest.version if latest else None)
    return render_note(data, fonts_dir())


def _supported(ws: Workspace, placement: Placement) -> Decimal | None:
    """Supported persons at the workplace (full-time equivalents, this one included) on the
    placement's start day, among those that started on or before it, for the ratio declaration;
    None where the kind does not count. The ratio is tested when a placement is set up (BAB § 65
    stk. 4), as the rules test it: a later placement's breach is that placement's."""
    if placement.kind not in SUPPORTED_KINDS:
        return None
    context = PlacementContext(placement, None, None, [],
                               ws.repos.placements.for_company(placement.company_id))
    return supported_on_start_day(context)


@operation
def record(ws: Workspace, draft: Draft, issued_by: str | None = None) -> Agreement:
    """Record that `draft` was issued (printed, saved or sent), by `issued_by` (default: the
    user the database was opened by), and return the record.

    One row per PDF issued: a version is what the agreement says, and its Danish and its English
    copy are two rows of the same version (same number and QR code, each with its own PDF's
    SHA-256, so either signed paper copy can be matched to its file). The same PDF issued again
    is the row already recorded, not a new one. A row added to a version already signed carries
    the signature date over (`mark_signed` marks every row of the version), so `unsigned` and
    `latest` are right whichever row of the version they read.

    Refused if the draft's number is no longer right: another version was issued since the draft
    was made (its number and QR code would then be wrong)."""
    with ws.store.write():
        issued = ws.repos.agreements.for_placement(draft.placement_id)
        latest = issued[-1] if issued else None
        same = [a for a in issued if a.version == draft.version]
        reissue = (latest is not None and latest.version == draft.version
                   and bool(draft.content_sha256) and latest.content_sha256 == draft.content_sha256)
        if not reissue and (1 if latest is None else latest.version + 1) != draft.version:
            raise ValidationError([DomainError("agreement_outdated", "version")])
        again = next((a for a in same if a.sha256 == draft.sha256), None)
        if reissue and again is not None:
            return again
        signed_on = next((a.signed_on for a in same if a.signed_on is not None), None)
        agreement = ws.new(
            Agreement, placement_id=draft.placement_id, version=draft.version,
            language=draft.language, issued_at=ws.store.now_iso(),
            issued_by=issued_by or ws.store.actor, sha256=draft.sha256,
            content_sha256=draft.content_sha256 or None, signed_on=signed_on,
        )
        ws.save(agreement)
    return agreement


def issue(ws: Workspace, placement_id: str, language: str, today: date, issued_by: str,
          include_cpr: bool = False) -> tuple[Agreement, bytes]:
    draft = prepare(ws, placement_id, language, today, include_cpr)
    return record(ws, draft, issued_by), draft.pdf


def latest(ws: Workspace, placement_id: str) -> Agreement | None:
    """The placement's latest agreement, or None before the first."""
    return ws.repos.agreements.latest(placement_id)


@operation
def mark_signed(ws: Workspace, agreement_id: str, signed_on: date) -> Agreement:
    """The version is signed: every row of it (each language issued) gets the date."""
    agreement = ws.repos.agreements.require(agreement_id)
    signed = dataclasses.replace(agreement, signed_on=signed_on)
    with ws.store.write():
        for other in ws.repos.agreements.for_placement(agreement.placement_id):
            if other.version == agreement.version and other.id != agreement.id:
                ws.save(dataclasses.replace(other, signed_on=signed_on))
        ws.save(signed)
    return signed


def unsigned(ws: Workspace, today: date) -> list[UnsignedPlacement]:
    """Planned and running placements whose latest agreement is not signed (or none issued),
    earliest start first."""
    return queries.placements_unsigned(ws.store, today)


@dataclass(frozen=True)
class UnsignedToday:
    """The unsigned agreements "I dag" leads with, and the rest a click away."""

    soon: list[UnsignedPlacement]  # running, or starting within the days: to be signed now
    later: list[UnsignedPlacement]  # starting after that, earliest first


def unsigned_today(ws: Workspace, today: date, within_days: int = SIGN_WITHIN_DAYS
                   ) -> UnsignedToday:
    """`unsigned`, parted: the placements running or starting within `within_days` (their
    agreement should be signed by now or soon) and those starting later."""
    last = today + timedelta(days=within_days)
    found = unsigned(ws, today)
    return UnsignedToday([u for u in found if u.start_date <= last],
                         [u for u in found if u.start_date > last])

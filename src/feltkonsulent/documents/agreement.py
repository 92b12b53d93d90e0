"""The placement agreement as data (pure, no PDF): what the company, the employee
representative, the citizen and the municipality sign, in Danish or English; the municipality's
internal note of the rules gone past; and the digest of what an agreement says."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from feltkonsulent.documents import annexes, kinds, sections
from feltkonsulent.documents.context import Context
from feltkonsulent.documents.labels import rule_title, title
from feltkonsulent.documents.model import (
    AgreementData,
    Issuer,
    NoteData,
    OverrideEntry,
    OverridePage,
    PageTexts,
    Row,
    SignatureBlock,
)
from feltkonsulent.documents.qr import parse_qr_payload, qr_payload
from feltkonsulent.documents.summary import summary
from feltkonsulent.domain.entities import (
    Citizen,
    Company,
    Contact,
    LanguagePartner,
    Placement,
    RuleOverride,
    SupportArrangement,
)
from feltkonsulent.domain.enums import PlacementKind
from feltkonsulent.i18n import LANGUAGES, PSEUDO, translator

__all__ = ["build_agreement", "build_internal_note", "content_digest", "parse_qr_payload",
           "qr_payload"]


def _signatures(ctx: Context) -> tuple[SignatureBlock, ...]:
    """Who signs. An IGU is an agreement between the employer and the employee (the IGU act):
    no municipality or employee representative signs it."""
    _ = ctx.t._
    blocks = [SignatureBlock(_("The company"), ctx.company.name, _("Signed by the employer"),
                             name_line=True)]
    if ctx.is_igu:
        return (*blocks, SignatureBlock(_("The employee"), ctx.citizen.name))
    if ctx.representative_signs:
        # LAB § 78: heard beforehand and has given a written statement — not an approval.
        note = (_("Has been heard and has given a written statement")
                if ctx.placement.kind is PlacementKind.WAGE_SUBSIDY else "")
        name = ctx.representative.name if ctx.representative else ""
        blocks.append(SignatureBlock(_("The employee representative"), name, note,
                                     name_line=not name))
    blocks.append(SignatureBlock(_("The citizen"), ctx.citizen.name))
    municipality = (ctx.issuer.municipality or "").strip()
    blocks.append(SignatureBlock(_("The municipality"), municipality, name_line=True))
    return tuple(blocks)


def _texts(ctx: Context, version: int | None, issued_on: date) -> PageTexts:
    _ = ctx.t._
    return PageTexts(
        page=_("Page {page} of {pages}"),
        version=_("Version {version}").format(version=version) if version else "",
        issued=_("Issued {date}").format(date=ctx.day(issued_on)),
        date=_("Date"), signature=_("Signature"), name=_("Name in capitals"),
        signatures_heading=_("Signatures"),
        signatures_intro=_("By signing, the parties agree to the above and to the annexes."),
        municipality=ctx.municipality())


def _context(placement: Placement, company: Company, citizen: Citizen, language: str, *,
             contact: Contact | None = None, representative: Contact | None = None,
             support: Sequence[SupportArrangement] = (),
             partners: Sequence[LanguagePartner] = (), overrides: Sequence[RuleOverride] = (),
             supported_at_workplace: Decimal | None = None, include_cpr: bool = False,
             issuer: Issuer | None = None) -> Context:
    if language not in (*LANGUAGES, PSEUDO):
        raise ValueError(f"unsupported language: {language}")
    return Context(translator(language), placement, company, citizen, contact, representative,
                   tuple(support), tuple(partners), tuple(overrides), supported_at_workplace,
                   include_cpr, issuer or Issuer())


def build_agreement(
    placement: Placement,
    company: Company,
    citizen: Citizen,
    *,
    contact: Contact | None,
    representative: Contact | None,
    support: Sequence[SupportArrangement],
    partners: Sequence[LanguagePartner],
    version: int,
    language: str,
    issued_on: date,
    supported_at_workplace: Decimal | None,
    include_cpr: bool = False,
    issuer: Issuer | None = None,
) -> AgreementData:
    """Everything the agreement prints, in `language` ('da' or 'en') whatever language the
    interface shows (or the pseudo-locale, to see a layout with longer text).
    `supported_at_workplace`: persons in internship or wage subsidy at the
    workplace in full-time equivalents, this one included, on its start day (rules.supported_on_start_day).
    `issuer`: the municipality and the consultant (None or empty fields: lines to fill in).
    The reasons for going past a rule are not part of it: see `build_internal_note`.
    Raises ValidationError (`ratio_breach`) where the workplace has more supported persons than
    the ratio allows: the employer is never asked to confirm a breach."""
    ctx = _context(placement, company, citizen, language, contact=contact,
                   representative=representative, support=support, partners=partners,
                   supported_at_workplace=supported_at_workplace, include_cpr=include_cpr,
                   issuer=issuer)
    kinds.refuse_ratio_breach(ctx)
    t = ctx.t
    heading = title(t, placement.kind)
    return AgreementData(
        placement_id=placement.id,
        version=version,
        language=language,
        issued_on=issued_on,
        title=heading,
        metadata_title=t._("{title}, version {version}").format(title=heading, version=version),
        summary=summary(ctx),
        sections=(sections.municipality(ctx), sections.workplace(ctx), sections.citizen(ctx),
                  sections.period_and_hours(ctx), sections.work(ctx), *kinds.for_kind(ctx),
                  *sections.duties(ctx)),
        annexes=annexes.annexes(ctx),
        signatures=_signatures(ctx),
        qr=qr_payload(placement.id, version),
        texts=_texts(ctx, version, issued_on),
    )


def content_digest(data: AgreementData) -> str:
    """SHA-256 of what an agreement says: its summary, sections, annexes and signatures, without
    the version, the issue date, the QR code and the words around the content. Build `data` in
    one fixed language (services.agreements uses English, without the full CPR number) and the
    digest is the same for the Danish and the English copy of the same content."""
    said = {"kind": data.title, "summary": dataclasses.asdict(data.summary),
            "sections": [dataclasses.asdict(s) for s in data.sections],
            "annexes": [dataclasses.asdict(s) for s in data.annexes],
            "signatures": [dataclasses.asdict(s) for s in data.signatures]}
    canonical = json.dumps(said, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def build_internal_note(
    placement: Placement,
    company: Company,
    citizen: Citizen,
    *,
    overrides: Sequence[RuleOverride],
    language: str,
    issued_on: date,
    issuer: Issuer | None = None,
    version: int | None = None,
) -> NoteData:
    """The municipality's internal note: the rule findings the consultant went past, with the
    reasons and dates. Not part of the agreement, not an issued version (no QR code);
    `version`: the agreement version it was written beside, if any."""
    ctx = _context(placement, company, citizen, language, overrides=overrides, issuer=issuer)
    _ = ctx.t._
    heading = _("Internal note: rules departed from, and the reasons")
    entries = tuple(
        OverrideEntry(rule_title(ctx.t.language, o.code), o.code, o.reason, ctx.day(o.decided_on))
        for o in sorted(overrides, key=lambda o: (o.decided_on, o.code, o.id)))
    intro = (_("The rules of the law are checked when the agreement is made. The consultant went "
               "on past these findings, for the reasons given. This note is the municipality's "
               "own and is not part of the agreement the parties sign.") if entries else
             _("No finding of the rules was gone past for this placement."))
    about = (
        Row(_("Agreement"), title(ctx.t, placement.kind)),
        Row(_("Company"), company.name),
        Row(_("Citizen"), citizen.name),
        Row(_("Period"), ctx.period(placement.start_date, placement.end_date)),
        Row(_("Municipality"), ctx.municipality()),
        Row(_("Consultant"), (issuer.consultant if issuer else None) or ""),
    )
    return NoteData(
        placement_id=placement.id, language=language, issued_on=issued_on, title=heading,
        metadata_title=heading, about=about,
        page=OverridePage(heading, intro, entries, _("Reason"), _("Decided on")),
        texts=_texts(ctx, version, issued_on))

"""The placement agreement as data (pure, no PDF): what the company, the employee
representative, the citizen and the jobcentre sign, in Danish or English."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from feltkonsulent.documents import annexes, kinds, sections
from feltkonsulent.documents.context import Context
from feltkonsulent.documents.labels import rule_title, title
from feltkonsulent.documents.model import (
    AgreementData,
    OverrideEntry,
    OverridePage,
    PageTexts,
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

__all__ = ["build_agreement", "parse_qr_payload", "qr_payload"]


def _signatures(ctx: Context) -> tuple[SignatureBlock, ...]:
    _ = ctx.t._
    blocks = [SignatureBlock(_("The company"), ctx.company.name, _("Signed by the employer"),
                             name_line=True)]
    if ctx.representative_signs:
        note = (_("Approves after the employer") if ctx.placement.kind is PlacementKind.WAGE_SUBSIDY
                else "")
        name = ctx.representative.name if ctx.representative else ""
        blocks.append(SignatureBlock(_("The employee representative"), name, note,
                                     name_line=not name))
    blocks.append(SignatureBlock(_("The citizen"), ctx.citizen.name))
    blocks.append(SignatureBlock(_("The jobcentre"), ctx.jobcentre, name_line=True))
    return tuple(blocks)


def _overrides(ctx: Context) -> OverridePage | None:
    if not ctx.overrides:
        return None
    _ = ctx.t._
    entries = tuple(
        OverrideEntry(rule_title(ctx.t.language, o.code), o.code, o.reason, ctx.day(o.decided_on))
        for o in sorted(ctx.overrides, key=lambda o: (o.decided_on, o.code, o.id))
    )
    return OverridePage(
        _("Rules the consultant went past (the jobcentre's copy)"),
        _("The rules of the law are checked when the agreement is made. The consultant went on "
          "past these findings, for the reasons given."),
        entries, _("Reason"), _("Decided on"))


def _texts(ctx: Context, version: int, issued_on: date) -> PageTexts:
    _ = ctx.t._
    return PageTexts(
        page=_("Page {page} of {pages}"), version=_("Version {version}").format(version=version),
        issued=_("Issued {date}").format(date=ctx.day(issued_on)),
        date=_("Date"), signature=_("Signature"), name=_("Name in capitals"),
        signatures_heading=_("Signatures"),
        signatures_intro=_("By signing, the parties agree to the above and to the annexes."),
        jobcentre=ctx.jobcentre)


def build_agreement(
    placement: Placement,
    company: Company,
    citizen: Citizen,
    *,
    contact: Contact | None,
    representative: Contact | None,
    support: Sequence[SupportArrangement],
    partners: Sequence[LanguagePartner],
    overrides: Sequence[RuleOverride],
    version: int,
    language: str,
    issued_on: date,
    supported_at_workplace: Decimal | None,
    include_cpr: bool = False,
    jobcentre: str = "Jobcentret",
) -> AgreementData:
    """Everything the agreement prints, in `language` ('da' or 'en') whatever language the
    interface shows (or the pseudo-locale, to see a layout with longer text).
    `supported_at_workplace`: persons in internship or wage subsidy at the
    workplace in full-time equivalents, this one included (rules.supported_at_workplace)."""
    if language not in (*LANGUAGES, PSEUDO):
        raise ValueError(f"unsupported language: {language}")
    t = translator(language)
    ctx = Context(t, placement, company, citizen, contact, representative, tuple(support),
                  tuple(partners), tuple(overrides), supported_at_workplace, include_cpr, jobcentre)
    heading = title(t, placement.kind)
    return AgreementData(
        placement_id=placement.id,
        version=version,
        language=language,
        issued_on=issued_on,
        title=heading,
        metadata_title=t._("{title}, version {version}").format(title=heading, version=version),
        summary=summary(ctx),
        sections=(sections.workplace(ctx), sections.citizen(ctx), sections.period_and_hours(ctx),
                  sections.work(ctx), *kinds.for_kind(ctx)),
        annexes=annexes.annexes(ctx),
        signatures=_signatures(ctx),
        overrides=_overrides(ctx),
        qr=qr_payload(placement.id, version),
        texts=_texts(ctx, version, issued_on),
    )

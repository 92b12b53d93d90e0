"""The citizen's summary: what the agreement means, in short sentences of plain language (B1)."""

from __future__ import annotations

from feltkonsulent.documents.context import Context
from feltkonsulent.documents.model import Summary
from feltkonsulent.domain.enums import PlacementKind, SupportRole
from feltkonsulent.domain.rules.checks import INTERNSHIP_KINDS


def _what(ctx: Context) -> list[str]:
    _ = ctx.t._
    company = ctx.company.name
    kind = ctx.placement.kind
    first = {
        PlacementKind.INTERNSHIP: _("You will be in an internship at {company}."),
        PlacementKind.WAGE_SUBSIDY: _("You will have a job with wage subsidy at {company}."),
        PlacementKind.IGU: _("You will start an IGU at {company}. IGU is work and school."),
        PlacementKind.HYBRID: _("You will be in an internship at {company}. Some of the hours "
                                "are paid work."),
        PlacementKind.ORDINARY_HOURS: _("You will work a few paid hours a week at {company}."),
    }[kind].format(company=company)
    if kind is PlacementKind.INTERNSHIP:
        money = _("You do not get a wage for the internship. You keep your benefit.")
    elif kind is PlacementKind.HYBRID:
        money = _("You get a wage for the paid hours. The internship hours are without a wage.")
    elif kind is PlacementKind.IGU:
        money = _("You get a wage when you work. In school weeks you get an education allowance "
                  "instead.")
    else:
        money = _("You get a wage from the company.")
    return [first, money]


def _when(ctx: Context) -> list[str]:
    t, p = ctx.t, ctx.placement
    _ = t._
    found = [_("You start on {date}.").format(date=ctx.day(p.start_date)),
             _("You stop on {date}.").format(date=ctx.day(p.end_date))]
    if p.weekly_hours is not None:
        found.append(t.ngettext("You work {hours} hour a week.", "You work {hours} hours a week.",
                                1 if p.weekly_hours == 1 else 2).format(
                                    hours=t.format_number(p.weekly_hours)))
    if p.working_hours and p.working_hours.strip():
        found.append(_("Your hours: {hours}").format(hours=p.working_hours.strip()))
    return found


def _who(ctx: Context) -> list[str]:
    _ = ctx.t._
    found = []
    if ctx.contact is not None:
        found.append(_("Your contact person at the workplace is {name}.").format(
            name=ctx.contact.name))
    for a in ctx.support:
        sentence = {
            SupportRole.BUDDY: _("{name} is your buddy. You can ask {name} for help."),
            SupportRole.MENTOR: _("{name} is your mentor. You can ask {name} for help."),
            SupportRole.CULTURE_GUIDE: _("{name} is your culture guide. You can ask {name} "
                                         "about the workplace."),
        }[a.role]
        found.append(sentence.format(name=a.person_name))
    for partner in ctx.partners:
        found.append(_("{name} is your sprogmakker. You speak Danish together at work.").format(
            name=partner.partner_name))
    return found


def summary(ctx: Context) -> Summary:
    _ = ctx.t._
    sentences = _what(ctx) + _when(ctx) + _who(ctx)
    if ctx.placement.kind in INTERNSHIP_KINDS:
        sentences += [
            _("If you get hurt at work, the municipality covers it."),
            _("You must not tell others about customers and colleagues."),
        ]
    sentences.append(_("Read the agreement before you sign it."))
    consultant = (ctx.issuer.consultant or "").strip()
    if consultant:
        sentences.append(_("Your consultant at the municipality is {name}.").format(
            name=consultant))
    sentences.append(_("Ask the municipality if you have questions."))
    return Summary(_("In short, for the citizen"), tuple(sentences))

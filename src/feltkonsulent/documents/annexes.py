"""The annexes: a bought-out buddy, mentor or culture guide with what it costs, and the
sprogmakker (the Dansk+ model)."""

from __future__ import annotations

from feltkonsulent.documents.amounts import days_in_period, support_total
from feltkonsulent.documents.context import Context
from feltkonsulent.documents.labels import hours, money, role, weeks_and_days
from feltkonsulent.documents.model import FILL_IN, Row, Section
from feltkonsulent.domain.entities import LanguagePartner, SupportArrangement
from feltkonsulent.domain.enums import SupportRole


def support(ctx: Context, number: int, arrangement: SupportArrangement) -> Section:
    t, a = ctx.t, arrangement
    _ = t._
    total = support_total(a)
    rows = (
        Row(_("Name"), a.person_name),
        Row(_("Period"), ctx.period(a.start_date, a.end_date)),
        Row(_("Hours bought out a week"),
            hours(t, a.hours_per_week) if a.hours_per_week is not None else FILL_IN),
        Row(_("Hourly rate"), money(t, a.hourly_rate) if a.hourly_rate is not None else FILL_IN),
        Row(_("Weeks in the period"),
            weeks_and_days(t, days_in_period(a.start_date, a.end_date))),
        # A ceiling: the municipality pays for the hours actually given.
        Row(_("Total amount"), _("at most {amount}, settled by the actual hours").format(
            amount=money(t, total)) if total is not None else FILL_IN),
    )
    paragraphs = [_("The total is hours a week × hourly rate × weeks. Weeks are the calendar "
                    "days of the period, the first and the last day included, divided by 7.")]
    if a.role in (SupportRole.BUDDY, SupportRole.MENTOR):  # frikøb and mentor support (STAR)
        paragraphs.append(_("The support goes beyond the employer's normal duties. The agreement "
                            "with the person lasts at most 6 months and can be extended."))
    return Section(_("Annex {number}: {role}").format(number=number, role=role(t, a.role)), rows,
                   paragraphs=tuple(paragraphs))


def language_partner(ctx: Context, number: int, partner: LanguagePartner) -> Section:
    _ = ctx.t._
    focus = "\n".join(f"• {f.strip()}" for f in partner.focus_areas if f.strip())
    rows = (
        Row(_("Name"), partner.partner_name),
        Row(_("Period"), ctx.period(partner.start_date, partner.end_date)),
        Row(_("Trained on"), ctx.day(partner.trained_on) if partner.trained_on else FILL_IN),
        # The record has no field for them yet: lines to fill in by hand.
        Row(_("Language school"), FILL_IN),
        Row(_("Teacher"), FILL_IN),
        Row(_("Meetings"), partner.meeting_frequency.strip()
            if partner.meeting_frequency and partner.meeting_frequency.strip() else FILL_IN),
        Row(_("Focus areas"), focus or FILL_IN),
    )
    return Section(
        _("Annex {number}: Sprogmakker").format(number=number), rows,
        paragraphs=(_("The sprogmakker is a colleague who makes sure Danish is used and trained "
                      "through the working day, and who helps with the work, the culture and the "
                      "social life at the workplace."),))


def annexes(ctx: Context) -> tuple[Section, ...]:
    found = [support(ctx, i, a) for i, a in enumerate(ctx.support, start=1)]
    start = len(found) + 1
    found += [language_partner(ctx, i, p) for i, p in enumerate(ctx.partners, start=start)]
    return tuple(found)

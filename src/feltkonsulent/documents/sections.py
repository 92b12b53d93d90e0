"""The sections every agreement has: the workplace, the citizen, the period and hours, the work."""

from __future__ import annotations

from feltkonsulent.documents.amounts import days_in_period, weeks_in_period
from feltkonsulent.documents.context import INTERNSHIP_KINDS, Context
from feltkonsulent.documents.labels import hours
from feltkonsulent.documents.model import FILL_IN, Row, Section
from feltkonsulent.domain.entities import Contact
from feltkonsulent.domain.enums import PlacementKind
from feltkonsulent.domain.validation import cpr_birth_date, format_cpr


def _or_fill(value: str | None) -> str:
    return value.strip() if value and value.strip() else FILL_IN


def _person(contact: Contact) -> str:
    """`Mette Kjær, Butikschef` and, below, phone and e-mail."""
    first = ", ".join(p for p in (contact.name, contact.role) if p)
    reach = "   ".join(p for p in (contact.phone, contact.email) if p)
    return f"{first}\n{reach}" if reach else first


def _address(ctx: Context) -> str:
    c = ctx.company
    town = " ".join(p for p in (c.postal_code, c.city) if p)
    lines = [p for p in (c.street, town) if p]
    return "\n".join(lines) if lines else FILL_IN


def workplace(ctx: Context) -> Section:
    _ = ctx.t._
    c = ctx.company
    rows = [
        Row(_("Company"), c.name),
        Row(_("CVR number"), c.cvr),
        Row(_("P-number"), _or_fill(c.p_number)),
        Row(_("Address"), _address(ctx)),
        Row(_("Contact person"), _person(ctx.contact) if ctx.contact else FILL_IN),
    ]
    if ctx.representative is not None:
        rows.append(Row(_("Employee representative"), _person(ctx.representative)))
    elif ctx.representative_signs:
        rows.append(Row(_("Employee representative"), FILL_IN))
    return Section(_("The workplace"), tuple(rows))


def citizen(ctx: Context) -> Section:
    """Name and birth date; the full CPR number only when asked for (CPR-loven § 54: never
    fully legible where it need not be)."""
    _ = ctx.t._
    person = ctx.citizen
    if ctx.include_cpr:
        identity = Row(_("CPR number"), format_cpr(person.cpr))
    else:
        identity = Row(_("Date of birth"), ctx.day(cpr_birth_date(person.cpr)))
    return Section(_("The citizen"), (Row(_("Name"), person.name), identity))


def length(ctx: Context) -> str:
    """`7 weeks (49 days)`."""
    t, p = ctx.t, ctx.placement
    weeks = weeks_in_period(p.start_date, p.end_date)
    text = t.ngettext("{weeks} week ({days} days)", "{weeks} weeks ({days} days)",
                      1 if weeks == 1 else 2)
    return text.format(weeks=t.format_number(weeks),
                       days=t.format_number(days_in_period(p.start_date, p.end_date)))


def period_and_hours(ctx: Context) -> Section:
    t, p = ctx.t, ctx.placement
    _ = t._
    rows = (
        Row(_("Period"), ctx.period(p.start_date, p.end_date)),
        Row(_("Length"), length(ctx)),
        # A hybrid's hours are the internship's and the paid hours together.
        Row(_("Hours a week in all") if p.kind is PlacementKind.HYBRID else _("Hours a week"),
            hours(t, p.weekly_hours) if p.weekly_hours is not None else FILL_IN),
        Row(_("Working hours"), _or_fill(p.working_hours)),
    )
    paragraphs: tuple[str, ...] = ()
    if p.kind in INTERNSHIP_KINDS:
        paragraphs = (_("The hours lie within the workplace's normal working hours and are at most "
                        "normal full time (37 hours a week)."),)
    return Section(_("Period and hours"), rows, paragraphs=paragraphs)


def work(ctx: Context) -> Section:
    _ = ctx.t._
    p = ctx.placement
    goals = "\n".join(f"• {g.strip()}" for g in p.goals if g.strip())
    rows = (
        Row(_("Work tasks"), _or_fill(p.work_tasks)),
        Row(_("Goals"), goals or FILL_IN),
    )
    return Section(_("Work tasks and goals"), rows)

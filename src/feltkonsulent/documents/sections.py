"""The sections every agreement has: the municipality, the workplace, the citizen, the period and
hours, the work, and the duties and notices (absence, ending early, follow-up, working
environment, complaints, personal data)."""

from __future__ import annotations

from feltkonsulent.documents.amounts import days_in_period
from feltkonsulent.documents.context import Context
from feltkonsulent.documents.labels import hours, weeks_and_days
from feltkonsulent.documents.model import FILL_IN, Row, Section
from feltkonsulent.domain.entities import Contact
from feltkonsulent.domain.enums import PlacementKind
from feltkonsulent.domain.rules.checks import INTERNSHIP_KINDS
from feltkonsulent.domain.validation import cpr_birth_date, format_cpr


def _or_fill(value: str | None) -> str:
    return value.strip() if value and value.strip() else FILL_IN


def _lines(*parts: str | None) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


def _person(contact: Contact) -> str:
    """`Mette Kjær, Butikschef` and below it the phone and the e-mail, each on its own line."""
    first = ", ".join(p for p in (contact.name, contact.role) if p)
    return _lines(first, contact.phone, contact.email)


def municipality(ctx: Context) -> Section:
    """The municipality (its unit, address, phone, e-mail) and the consultant: since lov nr. 1750
    af 29.12.2025 the law says "kommunen", and an agreement names it (DOMAIN.md)."""
    _ = ctx.t._
    i = ctx.issuer
    consultant = _lines(i.consultant, i.consultant_phone, i.consultant_email)
    rows = (
        Row(_("Municipality"), _or_fill(i.municipality)),
        Row(_("Unit"), _or_fill(i.department)),
        Row(_("Address"), _or_fill(i.address)),
        Row(_("Phone"), _or_fill(i.phone)),
        Row(_("E-mail"), _or_fill(i.email)),
        Row(_("Company consultant"), consultant if i.consultant and i.consultant.strip()
            else FILL_IN),
    )
    return Section(_("The municipality"), rows)


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
    rows = [Row(_("Name"), person.name), identity]
    if ctx.placement.kind in INTERNSHIP_KINDS:
        # BAB § 61: a job-ready person may not intern with the latest employer; others may where
        # the work is new, and the agreement says how.
        rows.append(Row(_("The citizen's latest employer"), _or_fill(person.latest_employer)))
    return Section(_("The citizen"), tuple(rows))


def length(ctx: Context) -> str:
    """`12 weeks and 5 days`: the calendar days, the first and the last included."""
    p = ctx.placement
    return weeks_and_days(ctx.t, days_in_period(p.start_date, p.end_date))


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


def _absence_and_ending(ctx: Context) -> tuple[str, ...]:
    _ = ctx.t._
    if ctx.placement.kind in INTERNSHIP_KINDS:
        absence = _("The citizen reports sickness and other absence to the contact person at the "
                    "workplace as early as possible on the day, and to the municipality.")
    else:
        absence = _("The employee reports sickness and other absence to the employer as the "
                    "employment contract says, as early as possible on the day.")
    if ctx.placement.kind is PlacementKind.INTERNSHIP:
        ending = _("The company, the citizen and the municipality can each end the internship "
                   "early. Whoever wants to end it contacts the municipality first.")
    else:
        ending = _("Either side can end the employment early as the employment contract and "
                   "the rules of notice say. Tell the municipality at once.")
    return absence, ending


def duties(ctx: Context) -> tuple[Section, ...]:
    """What a municipal agreement also says (DOMAIN.md, December 2026): absence and sickness,
    ending early, the follow-up date, working environment and instruction, complaints, and the
    processing of personal data."""
    _ = ctx.t._
    p = ctx.placement
    follow = Section(
        _("Absence, ending early and follow-up"),
        (Row(_("Follow-up by the municipality"),
             ctx.day(p.follow_up_on) if p.follow_up_on else FILL_IN),),
        paragraphs=_absence_and_ending(ctx))
    environment = Section(_("Working environment and instruction"), paragraphs=(
        _("The company is responsible for the working environment and instructs the citizen in "
          "the work and in safety, as it does for its other staff."),
    ))
    notices = Section(_("Complaints and personal data"), paragraphs=(
        _("Contact the municipality if you want to complain about a decision on your offer."),
        _("The municipality processes the citizen's personal data to carry out the offer. The "
          "citizen has the right under the General Data Protection Regulation to see the data, "
          "to have wrong data corrected and, in some cases, to have them erased or their use "
          "restricted, and can complain to Datatilsynet."),
        _("Questions about personal data: contact the municipality or its data protection "
          "officer."),
    ))
    return follow, environment, notices

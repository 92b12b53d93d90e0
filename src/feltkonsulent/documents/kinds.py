"""The sections that depend on the kind: the internship's purpose, terms and ratio declaration,
the wage and subsidy, the IGU's education part, and rising paid hours."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from feltkonsulent.documents.context import INTERNSHIP_KINDS, PAID_KINDS, Context
from feltkonsulent.documents.labels import hours, purpose, reference
from feltkonsulent.documents.model import FILL_IN, Choice, Row, Section
from feltkonsulent.domain.enums import PlacementKind, Purpose, Sector
from feltkonsulent.domain.rules.checks import SUPPORTED_KINDS, allowed_supported_persons
from feltkonsulent.domain.rules.limits import RATIO_PER, RATIO_PER_ABOVE, RATIO_UP_TO, find_limit
from feltkonsulent.domain.validation import parse_hours_step

# IGU school weeks: 20 for courses started before 1 May 2021, 23 since (L 202 2020/21).
IGU_23_WEEKS_FROM = date(2021, 5, 1)


def _heading(plain: str, with_reference: str, paragraph: str | None) -> str:
    return with_reference.format(reference=paragraph) if paragraph else plain


def internship_purpose(ctx: Context) -> Section:
    """The purpose and which legal purpose applies (BAB § 60; Ankestyrelsen: it must be clear).
    Only clarification and upskilling map to a legal purpose for certain; otherwise the parties
    tick it on paper."""
    _ = ctx.t._
    p = ctx.placement
    ref = reference("BAB § 60", p.start_date)
    choices = (
        Choice(_("To clarify the citizen's job or education goals"),
               p.purpose is Purpose.CLARIFICATION),
        Choice(_("To train specific skills"), p.purpose is Purpose.UPSKILLING),
        Choice(_("With a view to ordinary paid hours"), False),
    )
    paragraphs = () if any(c.ticked for c in choices) else (
        _("The parties tick the legal purpose that applies."),)
    return Section(
        _heading(_("Purpose"), _("Purpose ({reference})"), ref),
        (Row(_("Purpose"), purpose(ctx.t, p.purpose) if p.purpose else FILL_IN),),
        choices=choices, paragraphs=paragraphs)


def internship_terms(ctx: Context) -> Section:
    _ = ctx.t._
    return Section(_("Insurance and confidentiality"), paragraphs=(
        _("Accidents during the internship are covered by the municipality's own compensation "
          "scheme, not by the workplace's insurance."),
        _("Damage the citizen causes at the workplace is covered by the jobcentre where it is "
          "not covered otherwise."),
        _("The citizen has a duty of confidentiality: what the citizen learns at the workplace "
          "about its customers, staff and business stays there."),
    ))


def _allowed(ctx: Context) -> tuple[str | None, str | None]:
    """The sentence on how many supported persons the workplace may have, and the reference,
    from the limit table on the placement's start date (None where the table does not know)."""
    on = ctx.placement.start_date
    rows = [find_limit("ratio_exceeded", key, on) for key in (RATIO_PER, RATIO_UP_TO, RATIO_PER_ABOVE)]
    numbers = [r.value for r in rows if r is not None and r.value is not None]
    ref = reference(rows[0].reference, on) if rows[0] is not None else None
    count = ctx.company.employee_count
    if len(numbers) != 3 or count is None:
        return None, ref
    employees = int(count.to_integral_value(ROUND_FLOOR))
    allowed = allowed_supported_persons(employees, *numbers)
    text = ctx.t.ngettext(
        "With {employees} ordinary employees the workplace may have {allowed} person in an "
        "internship or wage-subsidy job at a time.",
        "With {employees} ordinary employees the workplace may have {allowed} persons in an "
        "internship or wage-subsidy job at a time.", allowed)
    return text.format(employees=employees, allowed=allowed), ref


def ratio_declaration(ctx: Context) -> Section:
    """The workplace's declaration for the rimelighedskrav (BAB § 65), confirmed in writing by
    the employer and the employee representative."""
    t = ctx.t
    _ = t._
    count, supported = ctx.company.employee_count, ctx.supported_at_workplace
    sentence, ref = _allowed(ctx)
    rows = (
        Row(_("Ordinary employees (full-time equivalents, average of the last 4 months)"),
            t.format_number(count) if count is not None else FILL_IN),
        Row(_("Persons in an internship or wage-subsidy job at the workplace, this one included "
              "(full-time equivalents)"),
            t.format_number(supported.quantize(Decimal("0.01"), ROUND_HALF_UP))
            if supported is not None else FILL_IN),
    )
    confirm = (_("Counted per P-number. The employer and the employee representative confirm "
                 "that the figures are correct.") if ctx.representative_signs else
               _("Counted per P-number. The employer confirms that the figures are correct."))
    initials = (_("Employer's initials"),) + (
        (_("Employee representative's initials"),) if ctx.representative_signs else ())
    return Section(
        _heading(_("Ratio of supported to ordinary employees"),
                 _("Ratio of supported to ordinary employees ({reference})"), ref),
        rows, paragraphs=tuple(s for s in (sentence, confirm) if s), initials=initials)


def _wage_subsidy_terms(ctx: Context) -> tuple[tuple[Choice, ...], tuple[str, ...]]:
    _ = ctx.t._
    sector = ctx.company.sector
    choices = (
        Choice(_("Private employer: the wage is at the level of the collective agreement."),
               sector is Sector.PRIVATE),
        Choice(_("Public employer: the wage is at the level of the citizen's benefit."),
               sector is Sector.PUBLIC),
    )
    ref = reference("LAB § 78", ctx.placement.start_date)
    consulted = (_("The employee representative is consulted beforehand and approves the "
                   "agreement after the employer ({reference}).").format(reference=ref) if ref
                 else _("The employee representative is consulted beforehand and approves the "
                        "agreement after the employer."))
    return choices, (consulted,)


def wage(ctx: Context) -> Section:
    t, p = ctx.t, ctx.placement
    _ = t._
    rows = [Row(_("Hourly wage"), t.format_money(p.hourly_wage) if p.hourly_wage is not None else FILL_IN)]
    if p.kind is PlacementKind.WAGE_SUBSIDY or p.subsidy_per_hour is not None:
        rows.append(Row(_("Wage subsidy per hour"), t.format_money(p.subsidy_per_hour)
                        if p.subsidy_per_hour is not None else FILL_IN))
    choices: tuple[Choice, ...] = ()
    paragraphs = [_("The company and the citizen make an employment contract for the paid work.")]
    if p.kind is PlacementKind.WAGE_SUBSIDY:
        choices, more = _wage_subsidy_terms(ctx)
        paragraphs.extend(more)
    return Section(_("Wage"), tuple(rows), choices=choices, paragraphs=tuple(paragraphs))


def igu_education(ctx: Context) -> Section:
    _ = ctx.t._
    p = ctx.placement
    weeks = 23 if p.start_date >= IGU_23_WEEKS_FROM else 20
    return Section(
        _("Education part"),
        (Row(_("Education plan"), p.education_plan.strip() if p.education_plan else FILL_IN),),
        paragraphs=(
            _("The IGU lasts 24 months. It includes {weeks} school weeks of 37 hours and on "
              "average at least 25 hours of work a week.").format(weeks=weeks),
            _("This agreement describes the work areas and the whole course. It is registered "
              "within one month."),
        ))


def paid_hours(ctx: Context) -> Section:
    """Hybrid and ordinary hours: the paid hours a week and how they rise, step by step."""
    t, p = ctx.t, ctx.placement
    _ = t._
    rows = []
    for line in p.paid_hours_plan:
        try:
            day, count = parse_hours_step(line)
        except (ValueError, ArithmeticError):  # printed as typed rather than lost
            rows.append(Row(_("Step"), line))
            continue
        rows.append(Row(_("From {date}").format(date=ctx.day(day)), hours(t, count)))
    paragraphs = []
    if p.kind is PlacementKind.HYBRID:
        paragraphs.append(_("The internship and the paid hours have separate tasks."))
    if len(rows) > 1:
        paragraphs.append(_("The paid hours rise step by step as the citizen masters the tasks."))
    return Section(_("Paid hours"), tuple(rows) or (Row(_("Paid hours a week"), FILL_IN),),
                   paragraphs=tuple(paragraphs))


def for_kind(ctx: Context) -> tuple[Section, ...]:
    kind = ctx.placement.kind
    found: list[Section] = []
    if kind in INTERNSHIP_KINDS:
        found.append(internship_purpose(ctx))
    if kind in PAID_KINDS:
        found.append(wage(ctx))
    if kind is PlacementKind.IGU:
        found.append(igu_education(ctx))
    if kind in (PlacementKind.HYBRID, PlacementKind.ORDINARY_HOURS):
        found.append(paid_hours(ctx))
    if kind in INTERNSHIP_KINDS:
        found.append(internship_terms(ctx))
    if kind in SUPPORTED_KINDS:
        found.append(ratio_declaration(ctx))
    return tuple(found)

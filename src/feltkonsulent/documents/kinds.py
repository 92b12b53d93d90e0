"""The sections that depend on the kind: the internship's purpose, terms and ratio declaration,
the wage and subsidy (with the merbeskæftigelse and state-aid declarations), the IGU's education
part, and rising paid hours."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from feltkonsulent.documents.context import PAID_KINDS, Context
from feltkonsulent.documents.labels import hours, money, purpose, reference
from feltkonsulent.documents.model import FILL_IN, Choice, Row, Section
from feltkonsulent.domain.enums import PlacementKind, Purpose, Sector
from feltkonsulent.domain.errors import DomainError, ValidationError
from feltkonsulent.domain.rules.checks import INTERNSHIP_KINDS, SUPPORTED_KINDS, allowed_supported_persons
from feltkonsulent.domain.rules.limits import NEW_ACT, RATIO_PER, RATIO_PER_ABOVE, RATIO_UP_TO, find_limit
from feltkonsulent.domain.validation import parse_hours_step

# IGU school weeks: 20 for courses started before 1 May 2021, 23 since (L 202 2020/21).
IGU_23_WEEKS_FROM = date(2021, 5, 1)


def _heading(plain: str, with_reference: str, paragraph: str | None) -> str:
    return with_reference.format(reference=paragraph) if paragraph else plain


def internship_purpose(ctx: Context) -> Section:
    """The purpose and which legal purpose applies, worded as BAB § 60 words them (Ankestyrelsen:
    it must be clear): stk. 2 nr. 1 ordinary paid hours (recruitment), nr. 2 training of specific
    skills (upskilling), nr. 3 clarifying job goals (clarification); stk. 3 keeping one's job,
    for a citizen on sick leave from a job (no purpose of the record says it: ticked on paper)."""
    _ = ctx.t._
    p = ctx.placement
    ref = reference("BAB § 60", p.start_date)
    options = (
        (_("With a view to ordinary paid hours"), _("subsection 2, no. 1"), Purpose.RECRUITMENT),
        (_("Training of specific skills"), _("subsection 2, no. 2"), Purpose.UPSKILLING),
        (_("Clarification of job goals"), _("subsection 2, no. 3"), Purpose.CLARIFICATION),
        (_("Keeping the citizen's job (a citizen on sick leave from a job)"), _("subsection 3"), None),
    )
    choices = tuple(
        Choice(_("{purpose} ({where})").format(purpose=text, where=where) if ref else text,
               value is not None and p.purpose is value)
        for text, where, value in options)
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
        _("Damage the citizen causes at the workplace is covered by the municipality where it "
          "is not covered otherwise."),
        _("The citizen has a duty of confidentiality: what the citizen learns at the workplace "
          "about its customers, staff and business stays there."),
    ))


def _ratio_limits(ctx: Context) -> tuple[int | None, str | None]:
    """How many supported persons the workplace may have, from the limit table on the
    placement's start date, and the reference (None where the table or the count is unknown)."""
    on = ctx.placement.start_date
    rows = [find_limit("ratio_exceeded", key, on) for key in (RATIO_PER, RATIO_UP_TO, RATIO_PER_ABOVE)]
    numbers = [r.value for r in rows if r is not None and r.value is not None]
    ref = reference(rows[0].reference, on) if rows[0] is not None else None
    count = ctx.company.employee_count
    if len(numbers) != 3 or count is None:
        return None, ref
    employees = int(count.to_integral_value(ROUND_FLOOR))
    return allowed_supported_persons(employees, *numbers), ref


def _ratio_confirmed(ctx: Context) -> bool:
    """False where the ratio on the start date is the earlier act's, applied provisionally."""
    row = find_limit("ratio_exceeded", RATIO_PER, ctx.placement.start_date)
    return row is None or row.confirmed


def refuse_ratio_breach(ctx: Context) -> None:
    """BAB § 65: where the supported persons at the workplace exceed what the ratio allows, the
    agreement is not made: the employer would be asked to confirm a breach. The breach is a
    finding to resolve first (fewer supported persons, or the right employee count)."""
    if ctx.placement.kind not in SUPPORTED_KINDS or ctx.supported_at_workplace is None:
        return
    allowed, _ref = _ratio_limits(ctx)
    supported = ctx.supported_at_workplace.quantize(Decimal("0.01"), ROUND_HALF_UP)
    if allowed is not None and supported > allowed:
        raise ValidationError([DomainError("ratio_breach", "employee_count", {
            "supported": str(supported), "allowed": allowed})])


def _allowed(ctx: Context) -> tuple[str | None, str | None]:
    """The sentence on how many supported persons the workplace may have, and the reference."""
    allowed, ref = _ratio_limits(ctx)
    count = ctx.company.employee_count
    if allowed is None or count is None:
        return None, ref
    employees = int(count.to_integral_value(ROUND_FLOOR))
    text = ctx.t.ngettext(
        "With {employees} ordinary employees the workplace may have {allowed} person in an "
        "internship or wage-subsidy job at a time.",
        "With {employees} ordinary employees the workplace may have {allowed} persons in an "
        "internship or wage-subsidy job at a time.", allowed)
    return text.format(employees=employees, allowed=allowed), ref


def ratio_declaration(ctx: Context) -> Section:
    """The workplace's declaration for the rimelighedskrav (BAB § 65), confirmed in writing by
    the employer and the employee representative; where there is none, BAB § 65 stk. 6 names
    who confirms instead. Never made for a breach (`refuse_ratio_breach`)."""
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
    choices: tuple[Choice, ...] = ()
    paragraphs = [s for s in (sentence, confirm) if s]
    if sentence and not _ratio_confirmed(ctx):
        paragraphs.insert(1, _("Provisional: the new act in force from {date} has not confirmed "
                               "this ratio yet; the figure is that of the rules in force before "
                               "it.").format(date=ctx.day(NEW_ACT)))
    if ctx.representative is None:
        choices = (Choice(_("The company has no employee representative"), False),)
        paragraphs.append(
            _("Where the company has no employee representative, the union representative of "
              "the relevant group of employees at the P-number confirms instead, in the order "
              "BAB § 65, stk. 6 sets out.") if ref else
            _("Where the company has no employee representative, the union representative of "
              "the relevant group of employees at the P-number confirms instead, in the order "
              "the law sets out."))
    initials = (_("Employer's initials"),) + (
        (_("Employee representative's initials"),) if ctx.representative_signs else ())
    return Section(
        _heading(_("Ratio of supported to ordinary employees"),
                 _("Ratio of supported to ordinary employees ({reference})"), ref),
        rows, choices=choices, paragraphs=tuple(paragraphs), initials=initials)


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
    heard = (_("The employee representative has been heard beforehand and has given a written "
               "statement ({reference}).").format(reference=ref) if ref
             else _("The employee representative has been heard beforehand and has given a "
                    "written statement."))
    return choices, (heard,)


def wage(ctx: Context) -> Section:
    t, p = ctx.t, ctx.placement
    _ = t._
    rows = [Row(_("Hourly wage"), money(t, p.hourly_wage) if p.hourly_wage is not None else FILL_IN)]
    if p.kind is PlacementKind.WAGE_SUBSIDY or p.subsidy_per_hour is not None:
        rows.append(Row(_("Wage subsidy per hour"), money(t, p.subsidy_per_hour)
                        if p.subsidy_per_hour is not None else FILL_IN))
    choices: tuple[Choice, ...] = ()
    paragraphs = [_("The company and the citizen make an employment contract for the paid work.")]
    if p.kind is PlacementKind.WAGE_SUBSIDY:
        choices, more = _wage_subsidy_terms(ctx)
        paragraphs.extend(more)
    elif p.kind is PlacementKind.IGU:
        paragraphs += [
            _("The wage is at the rate of the collective agreement for EGU pupils."),
            _("In school weeks there is no wage: the citizen receives an education allowance "
              "(uddannelsesgodtgørelse) from the municipality."),
        ]
    elif p.kind is PlacementKind.HYBRID:
        paragraphs.append(
            _("The paid hours are paid at the hourly wage above and are covered by the "
              "employer's insurance. The unpaid internship hours are covered by the "
              "municipality's own compensation scheme."))
    return Section(_("Wage"), tuple(rows), choices=choices, paragraphs=tuple(paragraphs))


def additional_employment(ctx: Context) -> Section:
    """Wage subsidy: the employer's declaration of merbeskæftigelse (the latest month's ordinary
    staff at least the average of the last 12 months, at CVR level for a private employer; the
    post not vacated by dismissal within 3 months; STAR's VITAS FAQ 10.7.2020) and the state-aid
    lines (public support in the last 12 months, total wage costs). The employer fills them in."""
    _ = ctx.t._
    rows = (
        Row(_("Ordinary employees in the latest month"), FILL_IN),
        Row(_("Average of ordinary employees in the last 12 months"), FILL_IN),
        Row(_("Wage subsidy and other public support to the company in the last 12 months"),
            FILL_IN),
        Row(_("The company's total wage costs in the same period"), FILL_IN),
    )
    choices = (
        Choice(_("The ordinary employees in the latest month are at least the average of the "
                 "last 12 months (for a private employer counted at CVR level)."), False),
        Choice(_("The post has not become vacant by a dismissal within the last 3 months."),
               False),
    )
    return Section(_("Additional employment and state aid"), rows, choices=choices,
                   paragraphs=(_("The employer declares the figures and ticks the boxes."),),
                   initials=(_("Employer's initials"),))


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
    """Hybrid and ordinary hours: the paid hours a week and how they rise, step by step. A step
    after the end date is left out (the placement is over then) and the section says so."""
    t, p = ctx.t, ctx.placement
    _ = t._
    rows = []
    late = []
    for line in p.paid_hours_plan:
        try:
            day, count = parse_hours_step(line)
        except (ValueError, ArithmeticError):  # printed as typed rather than lost
            rows.append(Row(_("Step"), line))
            continue
        if day > p.end_date:
            late.append(day)
            continue
        rows.append(Row(_("From {date}").format(date=ctx.day(day)), hours(t, count)))
    paragraphs = []
    if p.kind is PlacementKind.HYBRID:
        paragraphs.append(_("The internship and the paid hours have separate tasks."))
    if len(rows) > 1:
        paragraphs.append(_("The paid hours rise step by step as the citizen masters the tasks."))
    if late:
        paragraphs.append(t.ngettext(
            "A step planned after the end date ({date}) is left out.",
            "{count} steps planned after the end date ({date}) are left out.", len(late),
        ).format(count=len(late), date=ctx.day(p.end_date)))
    return Section(_("Paid hours"), tuple(rows) or (Row(_("Paid hours a week"), FILL_IN),),
                   paragraphs=tuple(paragraphs))


def for_kind(ctx: Context) -> tuple[Section, ...]:
    kind = ctx.placement.kind
    found: list[Section] = []
    if kind in INTERNSHIP_KINDS:
        found.append(internship_purpose(ctx))
    if kind in PAID_KINDS:
        found.append(wage(ctx))
    if kind is PlacementKind.WAGE_SUBSIDY:
        found.append(additional_employment(ctx))
    if kind is PlacementKind.IGU:
        found.append(igu_education(ctx))
    if kind in (PlacementKind.HYBRID, PlacementKind.ORDINARY_HOURS):
        found.append(paid_hours(ctx))
    if kind in INTERNSHIP_KINDS:
        found.append(internship_terms(ctx))
    if kind in SUPPORTED_KINDS:
        found.append(ratio_declaration(ctx))
    return tuple(found)

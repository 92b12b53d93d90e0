"""The forms of each record: which fields, in which order, with which labels."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox

from feltkonsulent.domain.entities import Citizen, Company, Contact, Record
from feltkonsulent.domain.enums import (
    Outcome,
    PlacementKind,
    PlacementStatus,
    Purpose,
    Readiness,
    Sector,
    SupportRole,
    TargetGroup,
)
from feltkonsulent.domain.errors import DomainError, ValidationError
from feltkonsulent.i18n import _
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui.forms import Builder, Field, Kind, RecordForm


def date_placeholder() -> str:
    """How a date is typed, in the user's language (the Danish "DD.MM.ÅÅÅÅ")."""
    return _("DD.MM.YYYY")


def company_fields() -> list[Field]:
    return [
        Field("name", _("Name")),
        Field("cvr", _("CVR number"), placeholder="12345678"),
        Field("p_number", _("P-number"), placeholder="1234567890"),
        Field("street", _("Address")),
        Field("postal_code", _("Postal code")),
        Field("city", _("City")),
        Field("industry", _("Industry"), more=True),
        Field("employee_count", _("Ordinary employees (number of full-time persons)"),
              Kind.DECIMAL, placeholder=_("e.g. 12")),
        Field("sector", _("Sector"), Kind.CHOICE, Sector, optional_choice=True),
        Field("notes", _("Notes"), Kind.LONG_TEXT, more=True),
    ]


def citizen_fields() -> list[Field]:
    return [
        Field("name", _("Name")),
        Field("cpr", _("CPR number"), placeholder=_("DDMMYY-XXXX")),
        Field("phone", _("Phone"), more=True),
        Field("email", _("E-mail"), more=True),
        Field("target_group", _("Target group"), Kind.CHOICE, TargetGroup, optional_choice=True),
        Field("readiness", _("Readiness"), Kind.CHOICE, Readiness, optional_choice=True),
        Field("danish_level", _("Danish level"), placeholder=_("e.g. DU2, module 3"), more=True),
        Field("needs_interpreter", _("Needs an interpreter"), Kind.BOOL, more=True),
        # The law's own words (LAB § 61): 13 weeks of internship instead of 4.
        Field("without_work_experience",
              _("Job-ready without work experience or after long unemployment"), Kind.BOOL),
        # BAB § 61: a job-ready person may not intern with their latest employer.
        Field("latest_employer", _("Latest employer")),
        Field("notes", _("Notes"), Kind.LONG_TEXT, more=True),
    ]


def contact_fields() -> list[Field]:
    return [
        Field("name", _("Name")),
        Field("role", _("Role")),
        Field("phone", _("Phone")),
        Field("email", _("E-mail")),
        Field("is_employee_representative", _("Employee representative"), Kind.BOOL),
    ]


def placement_fields() -> list[Field]:
    return [
        Field("kind", _("Type"), Kind.CHOICE, PlacementKind),
        Field("purpose", _("Purpose"), Kind.CHOICE, Purpose, optional_choice=True),
        Field("start_date", _("Start"), Kind.DATE, placeholder=date_placeholder()),
        Field("end_date", _("End"), Kind.DATE, placeholder=date_placeholder()),
        Field("weekly_hours", _("Hours a week"), Kind.DECIMAL),
        Field("working_hours", _("When (days and times)"), placeholder=_("e.g. Mon–Thu 8–13.30")),
        Field("work_tasks", _("Work tasks"), Kind.LONG_TEXT),
        Field("goals", _("Goals (one a line)"), Kind.LINES),
        Field("hourly_wage", _("Hourly wage (DKK)"), Kind.DECIMAL),
        Field("subsidy_per_hour", _("Wage subsidy an hour (DKK)"), Kind.DECIMAL),
        Field("education_plan", _("Education part (school, course, weeks)"), Kind.LONG_TEXT),
        Field("paid_hours_plan", _("Paid hours a week, rising (date and hours, one a line)"),
              Kind.HOURS_PLAN),
        Field("follow_up_on", _("Follow-up on"), Kind.DATE, placeholder=date_placeholder(),
              more=True),
        Field("extension_assessment",
              _("Extended to 26 weeks: the concrete assessment (LAB § 61 stk. 2)"),
              Kind.LONG_TEXT, more=True),
    ]


_COMMON = frozenset({"kind", "start_date", "end_date", "weekly_hours", "working_hours",
                     "work_tasks", "goals", "status", "outcome", "follow_up_on"})
# What each kind of placement asks for (and its agreement prints).
FIELDS_BY_KIND: dict[PlacementKind, frozenset[str]] = {
    PlacementKind.INTERNSHIP: _COMMON | {"purpose", "extension_assessment"},
    PlacementKind.WAGE_SUBSIDY: _COMMON | {"hourly_wage", "subsidy_per_hour"},
    PlacementKind.IGU: _COMMON | {"hourly_wage", "education_plan"},
    PlacementKind.HYBRID: _COMMON | {"purpose", "hourly_wage", "subsidy_per_hour", "paid_hours_plan",
                                     "extension_assessment"},
    PlacementKind.ORDINARY_HOURS: _COMMON | {"hourly_wage", "paid_hours_plan"},
}


def follow_kind(form: RecordForm) -> None:
    """Show only the placement fields that apply to the kind chosen, now and when it changes."""
    kind_box = form.editors["kind"]

    def update() -> None:
        kind = form.values().get("kind")
        form.show_only(FIELDS_BY_KIND.get(kind, _COMMON) if isinstance(kind, PlacementKind)
                       else _COMMON)

    assert isinstance(kind_box, QComboBox)
    kind_box.currentIndexChanged.connect(update)
    update()


def support_fields() -> list[Field]:
    # The name first: a buddy (the default role) is the common case, so Tab goes name, hours.
    return [
        Field("person_name", _("Name")),
        Field("hours_per_week", _("Hours a week"), Kind.DECIMAL),
        Field("hourly_rate", _("Hourly rate (DKK)"), Kind.DECIMAL, more=True),
        Field("role", _("Role"), Kind.CHOICE, SupportRole),
    ]


def partner_fields() -> list[Field]:
    return [
        Field("partner_name", _("Name")),
        Field("trained_on", _("Trained on"), Kind.DATE, placeholder=date_placeholder(), more=True),
        Field("meeting_frequency", _("How often they meet"), more=True),
        Field("focus_areas", _("Focus areas (one a line)"), Kind.LINES),
    ]


def placement_edit_fields() -> list[Field]:
    """Editing a placement: also how it ended."""
    return [*placement_fields(),
            Field("status", _("Status"), Kind.CHOICE, PlacementStatus),
            Field("outcome", _("Outcome"), Kind.CHOICE, Outcome, optional_choice=True)]


def period_fields() -> list[Field]:
    return [
        Field("start_date", _("From"), Kind.DATE, placeholder=date_placeholder()),
        Field("end_date", _("To"), Kind.DATE, placeholder=date_placeholder()),
    ]


# Fields a record cannot be without. A text left empty is "" so validation names it; a date
# left empty is refused here, before the record would hold None where a date belongs.
REQUIRED_TEXT = ("name", "cvr", "cpr", "person_name", "partner_name")
REQUIRED_DATES = ("start_date", "end_date")


def builder(ws: Workspace, cls: type[Record], original: Record | None,
            fixed: dict[str, Any] | None = None) -> Builder:
    """Builds the record from the form's values, keeping id and team of the original and the
    `fixed` values (links such as company_id)."""

    def build(values: dict[str, Any]) -> Record:
        kept: dict[str, Any] = {"id": original.id, "team_id": original.team_id} if original else {}
        missing = [DomainError("required", n) for n in REQUIRED_DATES
                   if n in values and values[n] is None]
        if missing:
            raise ValidationError(missing)
        required_text = {n: "" for n in REQUIRED_TEXT if n in values and values[n] is None}
        return ws.new(cls, **{**values, **required_text, **(fixed or {}), **kept})

    return build


FORMS: dict[type[Record], Any] = {
    Company: company_fields, Citizen: citizen_fields, Contact: contact_fields,
}

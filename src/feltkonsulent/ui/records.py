"""The forms of each record: which fields, in which order, with which labels."""

from __future__ import annotations

from typing import Any

from feltkonsulent.domain.entities import Citizen, Company, Record
from feltkonsulent.domain.enums import Readiness, Sector, TargetGroup
from feltkonsulent.i18n import _
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui.forms import Builder, Field, Kind


def company_fields() -> list[Field]:
    return [
        Field("name", _("Name")),
        Field("cvr", _("CVR number"), placeholder="12345678"),
        Field("p_number", _("P-number"), placeholder="1234567890"),
        Field("street", _("Address")),
        Field("postal_code", _("Postal code")),
        Field("city", _("City")),
        Field("industry", _("Industry")),
        Field("employee_count", _("Ordinary employees (full-time)"), Kind.DECIMAL),
        Field("sector", _("Sector"), Kind.CHOICE, Sector, optional_choice=True),
        Field("notes", _("Notes"), Kind.LONG_TEXT),
    ]


def citizen_fields() -> list[Field]:
    return [
        Field("name", _("Name")),
        Field("cpr", _("CPR number"), placeholder="DDMMÅÅ-XXXX"),
        Field("phone", _("Phone")),
        Field("email", _("E-mail")),
        Field("target_group", _("Target group"), Kind.CHOICE, TargetGroup, optional_choice=True),
        Field("readiness", _("Readiness"), Kind.CHOICE, Readiness, optional_choice=True),
        Field("danish_level", _("Danish level"), placeholder=_("e.g. DU2, module 3")),
        Field("needs_interpreter", _("Needs an interpreter"), Kind.BOOL),
        Field("notes", _("Notes"), Kind.LONG_TEXT),
    ]


def contact_fields() -> list[Field]:
    return [
        Field("name", _("Name")),
        Field("role", _("Role")),
        Field("phone", _("Phone")),
        Field("email", _("E-mail")),
        Field("is_employee_representative", _("Employee representative"), Kind.BOOL),
    ]


def builder(ws: Workspace, cls: type[Record], original: Record | None) -> Builder:
    """Builds the record from the form's values, keeping id and team of the original."""

    def build(values: dict[str, Any]) -> Record:
        fixed: dict[str, str] = {"id": original.id, "team_id": original.team_id} if original else {}
        # A required text left empty is "" so validation names it, rather than a TypeError.
        required_text: dict[str, str] = {
            n: "" for n in ("name", "cvr", "cpr") if n in values and values[n] is None
        }
        fields: dict[str, Any] = {**values, **required_text, **fixed}
        return ws.new(cls, **fields)

    return build


FORMS: dict[type[Record], Any] = {Company: company_fields, Citizen: citizen_fields}

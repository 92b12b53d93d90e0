"""Everything one agreement is built from, gathered once and passed to the section builders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from feltkonsulent.documents.model import Issuer
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
from feltkonsulent.i18n import Translator

# Kinds with a wage paid by the company.
PAID_KINDS = frozenset({PlacementKind.WAGE_SUBSIDY, PlacementKind.IGU, PlacementKind.HYBRID,
                        PlacementKind.ORDINARY_HOURS})


@dataclass(frozen=True)
class Context:
    t: Translator
    placement: Placement
    company: Company
    citizen: Citizen
    contact: Contact | None
    representative: Contact | None
    support: Sequence[SupportArrangement]
    partners: Sequence[LanguagePartner]
    overrides: Sequence[RuleOverride]
    supported_at_workplace: Decimal | None
    include_cpr: bool
    issuer: Issuer

    @property
    def representative_signs(self) -> bool:
        """Where the company has more than one employee the employee representative signs too
        (DOMAIN.md); an unknown count is treated as more than one."""
        count = self.company.employee_count
        return count is None or count > 1

    @property
    def is_igu(self) -> bool:
        return self.placement.kind is PlacementKind.IGU

    def municipality(self) -> str:
        """The municipality's name, or "Kommunen" where the profile has none."""
        name = (self.issuer.municipality or "").strip()
        return name or self.t._("The municipality")

    def day(self, value: date | None) -> str:
        return self.t.format_date(value, "long")

    def period(self, start: date, end: date) -> str:
        return self.t._("{start} to {end}").format(start=self.day(start), end=self.day(end))

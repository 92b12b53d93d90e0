"""The words an agreement uses for the domain's vocabularies, in the document's own language.

The interface has its own table (ui/labels.py, which documents may not import); the msgids are
the same, so one catalogue entry serves both.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.numbers import format_decimal

from feltkonsulent.domain.enums import PlacementKind, Purpose, SupportRole
from feltkonsulent.domain.rules.catalogue import RULES
from feltkonsulent.domain.rules.limits import NEW_ACT
from feltkonsulent.i18n import Translator


def title(t: Translator, kind: PlacementKind) -> str:
    _ = t._
    return {
        PlacementKind.INTERNSHIP: _("Agreement on internship"),
        PlacementKind.WAGE_SUBSIDY: _("Agreement on wage subsidy"),
        PlacementKind.IGU: _("Agreement on integration basic education (IGU)"),
        PlacementKind.HYBRID: _("Agreement on hybrid internship"),
        PlacementKind.ORDINARY_HOURS: _("Agreement on ordinary paid hours"),
    }[kind]


def purpose(t: Translator, value: Purpose) -> str:
    _ = t._
    return {
        Purpose.CLARIFICATION: _("Clarification"),
        Purpose.UPSKILLING: _("Upskilling"),
        Purpose.RECRUITMENT: _("Recruitment"),
    }[value]


def role(t: Translator, value: SupportRole) -> str:
    _ = t._
    return {
        SupportRole.BUDDY: _("Buddy"),
        SupportRole.MENTOR: _("Mentor"),
        SupportRole.CULTURE_GUIDE: _("Culture guide"),
    }[value]


def rule_title(language: str, code: str) -> str:
    """The rule's title from the catalogue (Danish or English); the code itself if unknown."""
    for rule in RULES:
        if rule.code == code:
            return rule.title_da if language == "da" else rule.title_en
    return code


def reference(paragraph: str, on: date) -> str | None:
    """`BAB § 60` for a placement starting before the new act (1.1.2027); after it the
    paragraph numbers are not known yet (DOMAIN.md), so none is printed."""
    return paragraph if on < NEW_ACT else None


def hours(t: Translator, value: Decimal) -> str:
    """`22,5 hours a week`: the plural form for anything but exactly one hour."""
    text = t.ngettext("{hours} hour a week", "{hours} hours a week", 1 if value == 1 else 2)
    return text.format(hours=t.format_number(value))


def weeks_and_days(t: Translator, days: int) -> str:
    """`12 weeks and 5 days`, `7 weeks`, `5 days`: whole weeks and the days left over."""
    weeks, rest = divmod(max(0, days), 7)
    week_text = t.ngettext("{n} week", "{n} weeks", weeks).format(n=weeks)
    day_text = t.ngettext("{n} day", "{n} days", rest).format(n=rest)
    if weeks and rest:
        return t._("{weeks} and {days}").format(weeks=week_text, days=day_text)
    return week_text if weeks or not rest else day_text


def money(t: Translator, amount: Decimal) -> str:
    """`200,00 kr.` in Danish, `DKK 200.00` in English (babel's English puts no space)."""
    if t.language == "en":
        return f"DKK\N{NO-BREAK SPACE}{format_decimal(amount, '#,##0.00', locale=t.locale)}"
    return t.format_money(amount)

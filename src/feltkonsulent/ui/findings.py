"""The rules' findings for a placement being entered or edited, with a reason field for each
warning that has none yet (an error cannot be gone past, a notice needs no reason), and the one
sentence that says each finding in the interface: its numbers and the rule's own words."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from feltkonsulent.domain.enums import PlacementKind
from feltkonsulent.domain.rules import Finding, Severity
from feltkonsulent.domain.rules.catalogue import RULES
from feltkonsulent.domain.rules.limits import NEW_ACT
from feltkonsulent.i18n import _, current_language, format_date, format_number, ngettext
from feltkonsulent.ui.labels import label, rule_group


def rule_title(code: str) -> str:
    """The rule's title from the catalogue, in the interface's language."""
    for rule in RULES:
        if rule.code == code:
            return rule.title_da if current_language() == "da" else rule.title_en
    return code


def _weeks_and_days(days: int) -> str:
    """`20 uger og 1 dag`."""
    weeks, rest = divmod(days, 7)
    w = ngettext("{n} week", "{n} weeks", weeks).format(n=weeks)
    d = ngettext("{n} day", "{n} days", rest).format(n=rest)
    if not rest:
        return w
    if not weeks:
        return d
    return _("{weeks} and {days}").format(weeks=w, days=d)


# The limits' one reference that is words, not a paragraph (domain/rules/limits.py writes it
# in Danish): 37 hours is normal full time in practice, for the kinds no paragraph bounds.
PRACTICE_FULL_TIME = "praksis: normal fuld tid"


def reference_text(finding: Finding) -> str:
    """The finding's legal reference as the interface shows it: a paragraph as it is (LAB § 61,
    a law's Danish name), the words of `PRACTICE_FULL_TIME` in the interface's language, ""
    where there is none."""
    if finding.reference == "—":
        return ""
    if finding.reference == PRACTICE_FULL_TIME:
        return _("normal full time in practice")
    return finding.reference


def _internship(n: Mapping[str, Any], ref: str) -> str:
    length = _weeks_and_days(n["days"])
    if n["applies_to"] == "extended":
        return _("{length}, at most {limit} weeks after a documented assessment "
                 "({reference})").format(length=length, limit=n["limit"], reference=ref)
    return _("{length}, at most {limit} weeks for {group} ({reference})").format(
        length=length, limit=n["limit"], group=rule_group(n["applies_to"]), reference=ref)


def _wage_subsidy(n: Mapping[str, Any], ref: str) -> str:
    sector = str(n["applies_to"]).partition(":")[0]
    template = (_("Until {end}, at most {limit} months for {group} at a private employer, the "
                  "last day {last} ({reference})") if sector == "private" else
                _("Until {end}, at most {limit} months for {group} at a public employer, the "
                  "last day {last} ({reference})"))
    return template.format(end=format_date(n["end"]), limit=n["limit"],
                           group=_group_of(str(n["applies_to"])),
                           last=format_date(n["last_allowed_day"]), reference=ref)


def _igu(n: Mapping[str, Any], ref: str) -> str:
    return _("Until {end}, at most {limit} months, the last day {last} ({reference})").format(
        end=format_date(n["end"]), limit=n["limit"], last=format_date(n["last_allowed_day"]),
        reference=ref)


def _igu_age(n: Mapping[str, Any], ref: str) -> str:
    return _("{age} years old on {on}; an IGU is for ages {from_age} to under {below_age} "
             "({reference})").format(age=n["age"], on=format_date(n["on"]),
                                     from_age=n["from_age"], below_age=n["below_age"],
                                     reference=ref)


def _hours(n: Mapping[str, Any], ref: str) -> str:
    if ref == _("normal full time in practice"):  # no paragraph to name: said once, in words
        return _("{hours} hours a week, at most {limit} (normal full time in practice)").format(
            hours=format_number(n["hours"]), limit=n["limit"])
    return _("{hours} hours a week, at most {limit} (normal full time; {reference})").format(
        hours=format_number(n["hours"]), limit=n["limit"], reference=ref)


def _ratio(n: Mapping[str, Any], ref: str) -> str:
    return _("{supported} supported persons (full-time equivalents) on {on}, this one included; "
             "at most {allowed} with {employees} ordinary employees ({reference})").format(
        supported=format_number(round(n["supported"], 2)), on=format_date(n["on"]),
        allowed=n["allowed"], employees=n["employees"], reference=ref)


def _overlap(n: Mapping[str, Any], ref: str) -> str:
    return _("Overlaps the citizen's {kind} {start}–{end}, from {overlap_from} to "
             "{overlap_to}").format(
        kind=label(PlacementKind(n["other_kind"])).lower(), start=format_date(n["other_start"]),
        end=format_date(n["other_end"]), overlap_from=format_date(n["overlap_from"]),
        overlap_to=format_date(n["overlap_to"]))


def _group_of(applies_to: str) -> str:
    """A wage subsidy's row is `private:graduate`: the group is after the employer type."""
    sector, _sep, group = applies_to.partition(":")
    return rule_group(group) if sector in ("private", "public") else rule_group(applies_to)


def _unconfirmed(n: Mapping[str, Any], ref: str) -> str:
    text = _("The limit for {group} is not known, so “{rule}” was not checked").format(
        group=_group_of(str(n["applies_to"])), rule=rule_title(n["rule"]))
    return _("{text} ({reference})").format(text=text, reference=ref) if ref else text


def _end_before_start(n: Mapping[str, Any], ref: str) -> str:
    return _("Ends {end}, before it starts {start}").format(
        end=format_date(n["end"]), start=format_date(n["start"]))


_TEXTS: dict[str, Callable[[Mapping[str, Any], str], str]] = {
    "internship_too_long": _internship,
    "wage_subsidy_too_long": _wage_subsidy,
    "igu_too_long": _igu,
    "igu_age_out_of_range": _igu_age,
    "hours_above_full_time": _hours,
    "ratio_exceeded": _ratio,
    "overlapping_placement": _overlap,
    "limit_unconfirmed": _unconfirmed,
    "end_before_start": _end_before_start,
}


def provisional_mark(since: date = NEW_ACT) -> str:
    return _("provisional: not confirmed under the new act in force from {date}").format(
        date=format_date(since))


def finding_text(finding: Finding) -> str:
    """The finding in one sentence: its numbers and the rule's words ("20 uger, højst 4 uger for
    jobparate kontanthjælpsmodtagere (LAB § 61)"), and the provisional mark where it is one."""
    render = _TEXTS.get(finding.code)
    text = render(finding.numbers, reference_text(finding)) if render else rule_title(finding.code)
    if finding.provisional:
        return _("{finding}; {mark}").format(finding=text, mark=provisional_mark())
    return text


def finding_title(finding: Finding) -> str:
    """The rule's title and the sentence: what a row of findings shows."""
    return _("{rule}: {text}").format(rule=rule_title(finding.code), text=finding_text(finding))


class FindingsBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Rules of the law"), parent)
        self._layout = QFormLayout(self)
        self.reasons: dict[str, QLineEdit] = {}
        self.titles: list[QLabel] = []

    def show_findings(self, found: Iterable[Finding], given: dict[str, str] | None = None) -> None:
        """`given`: the reasons recorded before, by code; those warnings ask for none."""
        given = given or {}
        typed = self.typed()
        while self._layout.rowCount():
            self._layout.removeRow(0)
        self.reasons = {}
        self.titles = []
        found = list(found)
        if not found:
            self._layout.addRow(QLabel(_("No findings.")))
        for finding in found:
            title = QLabel(finding_title(finding))
            title.setWordWrap(True)
            title.setObjectName(f"finding_{finding.code}")
            self.titles.append(title)
            if finding.severity is not Severity.WARNING:
                self._layout.addRow(title)
            elif finding.code in given:
                reason = QLabel(_("Reason given: {reason}").format(reason=given[finding.code]))
                reason.setWordWrap(True)
                self._layout.addRow(title, reason)
            elif finding.code not in self.reasons:
                field = QLineEdit(typed.get(finding.code, ""))
                field.setObjectName(f"reason_{finding.code}")
                field.setPlaceholderText(_("Why go on? (saved with the placement)"))
                self._layout.addRow(title, field)
                self.reasons[finding.code] = field
            else:
                self._layout.addRow(title)

    def typed(self) -> dict[str, str]:
        return {code: field.text() for code, field in self.reasons.items()}

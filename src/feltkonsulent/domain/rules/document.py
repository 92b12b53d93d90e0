"""Renders docs/rules.md from the rule texts and the limit table, so the two never disagree."""

from __future__ import annotations

from datetime import date

from feltkonsulent.domain.rules.catalogue import RULES, RuleText
from feltkonsulent.domain.rules.limits import LIMITS, Limit

_GROUPS = {
    "unemployment_benefit": ("dagpenge", "unemployment benefit"),
    "cash_benefit_job_ready": ("kontanthjælp, jobparat", "cash benefit, job-ready"),
    "cash_benefit_activity_ready": ("kontanthjælp, aktivitetsparat", "cash benefit, activity-ready"),
    "education_benefit": ("kontanthjælp (tidl. uddannelseshjælp), uddannelsesparat",
                          "cash benefit (formerly education benefit), education-ready"),
    "education_benefit:activity_ready": (
        "kontanthjælp (tidl. uddannelseshjælp), aktivitetsparat",
        "cash benefit (formerly education benefit), activity-ready"),
    "without_work_experience": ("jobparat uden erhvervserfaring eller efter langvarig ledighed",
                                "job-ready without work experience or after long unemployment"),
    "extended": ("forlænget efter dokumenteret vurdering (grupperne med 13 uger)",
                 "extended after a documented assessment (the 13-week groups)"),
    "internship": ("praktik og kombinationsforløbets praktikdel",
                   "internship and a hybrid's internship part"),
    "from_age": ("fra alder", "from age"),
    "below_age": ("under alder", "below age"),
    "sickness_benefit": ("sygedagpenge", "sickness benefit"),
    "integration_programme": ("introduktionsprogram", "introduction programme"),
    "graduate": ("dimittend (på dagpenge)", "graduate (on unemployment benefit)"),
    "*": ("alle", "all"),
    "employees_per_person": ("ansatte pr. støttet person", "employees per supported person"),
    "up_to_employees": ("op til antal ansatte", "up to employees"),
    "employees_per_person_above": ("ansatte pr. person derover", "employees per person above"),
    "private": ("privat", "private"),
    "public": ("offentlig", "public"),
}
_UNITS = {
    "weeks": ("uger", "weeks"),
    "months": ("måneder", "months"),
    "hours_per_week": ("timer/uge", "hours/week"),
    "employees": ("ansatte", "employees"),
    "years": ("år", "years"),
}


def _who(applies_to: str) -> str:
    parts = [applies_to] if applies_to in _GROUPS else applies_to.split(":")
    return ", ".join(f"{_GROUPS[p][0]} / {_GROUPS[p][1]}" for p in parts)


def _day(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "—"


def _value(limit: Limit) -> str:
    if limit.value is None:
        return "ukendt, ikke kontrolleret / unknown, not checked"
    da, en = _UNITS[limit.unit]
    value = f"{limit.value} {da} / {limit.value} {en}"
    if not limit.confirmed:
        value += " — foreløbig, ikke bekræftet efter den nye lov / provisional, not confirmed"
    return value


def _section(rule: RuleText) -> list[str]:
    lines = [
        f"## {rule.title_da} / {rule.title_en}",
        "",
        f"Kode / code: `{rule.code}` · alvor / severity: `{rule.severity}`",
        "",
        f"**Dansk.** {rule.explanation_da}",
        "",
        f"**English.** {rule.explanation_en}",
        "",
    ]
    rows = [limit for limit in LIMITS if limit.rule == rule.code]
    if rows:
        lines += [
            "| gælder for / applies to | grænse / limit | fra / from | til / to | "
            "hjemmel / reference | kilde / source |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {_who(r.applies_to)} | {_value(r)} | {_day(r.valid_from)} | {_day(r.valid_to)} "
            f"| {r.reference} | {r.source} |"
            for r in rows
        ]
        notes = sorted({(r.note_da, r.note_en) for r in rows if r.note_da or r.note_en})
        lines += [""] + [f"- {da}<br>*{en}*" for da, en in notes]
        lines.append("")
    return lines


def render_markdown() -> str:
    lines = [
        "# Lovregler / Legal rules",
        "",
        "Generated from `src/feltkonsulent/domain/rules/` (`catalogue.py` and `limits.py`) by",
        "`python scripts/rules_doc.py`; a test fails when this file and the table disagree.",
        "",
        "Reglerne advarer og forklarer; de blokerer aldrig. Konsulenten kan gå videre med en "
        "begrundelse, som gemmes med forløbet. En grænse slås op på forløbets startdato. "
        "Hvor projektet ikke kender grænsen, siger tabellen det, og en bemærkning (til "
        "orientering, ingen begrundelse) siger, at den ikke er kontrolleret. Fra den nye lov "
        "(1.1.2027) anvendes de hidtidige værdier, til lovens egne er bekræftet; hver sådan "
        "advarsel er markeret »foreløbig: ikke bekræftet efter den nye lov«.",
        "",
        "*The rules warn and explain; they never block. The consultant may go on with a reason, "
        "which is saved with the placement. A limit is looked up on the placement's start date. "
        "Where the project does not know a limit, the table says so, and a notice (for "
        "information, no reason asked) says it was not checked. From the new act (1.1.2027) the "
        "earlier values apply until the act's own are confirmed; each such finding is marked "
        "\"provisional: not confirmed under the new act\".*",
        "",
    ]
    for rule in RULES:
        lines += _section(rule)
    return "\n".join(lines).rstrip() + "\n"

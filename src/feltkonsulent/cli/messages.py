"""Plain-English sentences for the error codes the command line reports (the app uses Danish)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from feltkonsulent.domain.errors import DomainError, fill
from feltkonsulent.domain.rules import Finding
from feltkonsulent.domain.rules.limits import NEW_ACT

MESSAGES = {
    "required": "is required",
    "cvr_format": "CVR number must be digits",
    "cvr_length": "CVR number must have 8 digits (has {length})",
    "cvr_checksum": "CVR number's check digit is wrong",
    "p_number_format": "P-number must be digits",
    "p_number_length": "P-number must have 10 digits (has {length})",
    "cpr_format": "CPR number must be digits",
    "cpr_length": "CPR number must have 10 digits (has {length})",
    "cpr_date": "CPR number does not start with a real birth date",
    "cpr_future": "CPR number's birth date is in the future",
    "email_format": "is not an e-mail address",
    "phone_format": "is not a phone number",
    "phone_length": "phone number has {length} digits (8 for a Danish number)",
    "postal_code_format": "postal code must be 4 digits",
    "end_before_start": "ends ({end}) before it starts ({start})",
    "hours_not_positive": "weekly hours must be more than 0",
    "hours_too_many": "weekly hours must be at most {max}",
    "negative": "must not be negative",
    "purpose_required": "an internship must state its purpose",
    "visit_date_required": "a visit needs a planned or a visited date",
    "supersedes_self": "a note cannot supersede itself",
    "unknown_field": "is not a field of this record",
    "unknown_entity": "is not a kind of record",
    "bad_value": "has a value of the wrong kind (expected {kind})",
    "unknown_reference": "refers to {id}, which does not exist",
    "duplicate_id": "id {id} appears twice in the file",
    "duplicate_key": "the key {key} appears twice in one object (which value was meant?)",
    "empty_file": "the file holds no records",
    "foreign_team": "belongs to team {team}; this database is team {ours}",
    "supersedes_cycle": "notes that supersede each other in a circle",
    "immutable": "a visit note cannot be changed; record a correction instead",
    "malformed_json": "is not valid JSON: {reason}",
    "not_an_object": "must be a JSON object",
    "not_a_list": "must be a list of records",
    "newer_schema": "comes from a newer Feltkonsulent (supports schema {supported})",
    "not_utf8": "byte {offset} ({byte}) is not UTF-8 (the file has UTF-8 elsewhere, so it is not "
                "read as Windows-1252)",
    "json_not_utf8": "byte {offset} ({byte}) is not UTF-8, and JSON is always UTF-8",
    "not_utf16": "byte {offset} is not UTF-16 text, though the file starts with a UTF-16 byte order "
                 "mark",
    "not_text": "byte {offset} ({byte}) is neither UTF-8 nor Windows-1252 text",
    "unreadable": "cannot be read: {reason}",
    "extra_cells": "has more cells than the header has columns",
    # CSV as spreadsheets write it (services/sheet.py)
    "unclosed_quote": 'a quoted cell is not closed (a cell that starts with " ends with ")',
    "stray_quote": 'a quote in the middle of a quoted cell (a " inside a cell is written "")',
    "cell_too_large": "a cell is longer than {max} characters",
    "malformed_csv": "is not valid CSV: {reason}",
    "no_entity": ("the file has no entity column, and its name {name} is not a kind of record "
                  "(add an entity column, or name the file companies.csv, citizens.csv, …)"),
    "duplicate_column": "column {column} appears twice in the header",
    "unknown_column": "column {column} is not a field of {kinds}",
    "unnamed_column": "has a value in a column with no name in the header",
    "csv_date": "{value} is not a date (write 2026-02-28 or 28.02.2026)",
    "csv_number": "{value} is not a number (write 37,5 or 37.5)",
    "csv_whole": "{value} is not a whole number",
    "csv_bool": "{value} is not yes or no (write ja or nej, true or false, 1 or 0)",
    "csv_choice": "{value} is not one of {choices}",
    "csv_list": "is not a list (one item per line of the cell, or a JSON list of texts)",
    "has_placements": "still has {count} placements",
    "agreement_outdated": "another version of the agreement was issued meanwhile; make it again",
    "language_unknown": "the language must be da or en",
    "ratio_breach": ("the workplace would have {supported} supported persons, more than the "
                     "{allowed} the ratio allows (BAB § 65); resolve it before the agreement "
                     "can be made"),
    "wrong_key": "wrong passphrase or key, or not a Feltkonsulent database",
    "passphrase_needed": "a passphrase is needed: set FELTKONSULENT_PASSPHRASE or run in a terminal",
    "passphrase_too_short": "the passphrase must have at least 8 characters",
    # the value boundary (domain/limits.py)
    "too_long": "is {length} characters long, at most {max} are allowed",
    "too_many": "has {count} items, at most {max} are allowed",
    "out_of_range": "must be from {min} to {max}",
    "not_finite": "must be a finite number",
    "too_precise": "has more than {digits} significant digits",
    "bad_text": "holds a control character or invalid Unicode (only text, tabs and, in notes, "
                "line breaks)",
    "id_format": "is not an id (a UUID like 0193c5e2-7b1a-7c3d-9e4f-0a1b2c3d4e5f)",
    "team_format": "is not a team id (1 to 64 letters, digits, '.', '_', '-' and inner spaces)",
    "too_deep": "is nested more than {max} levels deep",
    "too_large": "is {size} bytes as JSON, at most {max} are allowed",
}


def _duplicate(error: DomainError) -> str:
    """"cpr: Amal Hasan (id …) has the CPR number 211062-xxxx that the citizen Amina Hassan
    (id …) in the database already has": both records by name and id, never the full CPR."""
    p = error.params
    if error.code == "duplicate_citizen":
        what = f"the CPR number {p['cpr']} that the citizen"
    else:
        place = f"P-number {p['p_number']}" if p.get("p_number") else "no P-number"
        what = f"the CVR number {p['cvr']} and {place} that the company"
    where = (f"at {p['other_location']} of the file" if p.get("other_location")
             else "in the database")
    return (f"{error.field}: {p['name']} (id {p['id']}) has {what} {p['other_name']} "
            f"(id {p['other_id']}) {where} already has")


def describe(error: DomainError) -> str:
    if error.code in ("duplicate_citizen", "duplicate_company"):
        return _duplicate(error)
    template = MESSAGES.get(error.code, error.code)
    text = fill(template, error.params)
    return f"{error.field}: {text}" if error.field else text


# -- the rules' findings: one sentence each, with its numbers and the rule's words ---------------

_RULE_GROUPS = {
    "unemployment_benefit": "recipients of unemployment benefit",
    "cash_benefit_job_ready": "job-ready recipients of cash benefit",
    "cash_benefit_activity_ready": "activity-ready recipients of cash benefit",
    "education_benefit": "education-ready recipients of cash benefit (formerly education benefit)",
    "education_benefit:activity_ready":
        "activity-ready recipients of cash benefit (formerly education benefit)",
    "without_work_experience": "job-ready people without work experience or after long "
                               "unemployment",
    "sickness_benefit": "recipients of sickness benefit",
    "integration_programme": "citizens in the introduction programme",
    "graduate": "graduates on unemployment benefit",
    "self_supporting": "self-supporting citizens",
    "other": "citizens of another target group",
}
_RULE_TITLES = {
    "internship_too_long": "internship length",
    "wage_subsidy_too_long": "wage subsidy length",
}
_KINDS = {"internship": "internship", "wage_subsidy": "wage subsidy", "igu": "IGU",
          "hybrid": "hybrid internship", "ordinary_hours": "ordinary hours"}

FINDINGS = {
    "end_before_start": "ends {end} before it starts {start}",
    "internship_too_long": "{length}, at most {limit} weeks for {group} ({reference})",
    "internship_too_long:extended":
        "{length}, at most {limit} weeks after a documented assessment ({reference})",
    "wage_subsidy_too_long": "until {end}, at most {limit} months for {group} at a {sector} "
                             "employer, the last day {last_allowed_day} ({reference})",
    "igu_too_long": "until {end}, at most {limit} months, the last day {last_allowed_day} "
                    "({reference})",
    "igu_age_out_of_range": "{age} years old on {on}; an IGU is for ages {from_age} to under "
                            "{below_age} ({reference})",
    "hours_above_full_time": "{hours} hours a week, at most {limit} (normal full time; "
                             "{reference})",
    "ratio_exceeded": "{supported} supported persons (full-time equivalents) on {on}, this one "
                      "included; at most {allowed} with {employees} ordinary employees "
                      "({reference})",
    "overlapping_placement": "overlaps the citizen's {other_kind} {other_start} to {other_end} "
                             "(placement {other}), from {overlap_from} to {overlap_to}",
    "limit_unconfirmed": "the {rule} limit for {group} is not known, so it was not checked "
                         "({reference})",
}
PROVISIONAL = "provisional: not confirmed under the new act in force from {date}"


def _weeks_and_days(days: int) -> str:
    weeks, rest = divmod(days, 7)
    parts = [f"{weeks} week{'s' if weeks != 1 else ''}"] if weeks else []
    parts += [f"{rest} day{'s' if rest != 1 else ''}"] if rest or not weeks else []
    return " and ".join(parts)


def _group(applies_to: str) -> str:
    head, _sep, tail = applies_to.partition(":")
    if head in ("private", "public"):
        return _group(tail)
    if tail == "without_work_experience":
        return _RULE_GROUPS[tail]
    return _RULE_GROUPS.get(applies_to, applies_to)


def describe_finding(finding: Finding) -> str:
    """The finding in one plain-English sentence ("20 weeks, at most 4 weeks for job-ready
    recipients of cash benefit (LAB § 61)"), with the provisional mark where it is one."""
    code, numbers, reference = finding.code, finding.numbers, finding.reference
    values = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in numbers.items()}
    applies_to = str(numbers.get("applies_to", ""))
    key = f"{code}:extended" if applies_to == "extended" else code
    values.update(
        reference=reference, group=_group(applies_to), sector=applies_to.partition(":")[0],
        rule=_RULE_TITLES.get(str(numbers.get("rule")), str(numbers.get("rule"))),
        other_kind=_KINDS.get(str(numbers.get("other_kind")), numbers.get("other_kind")),
    )
    if "days" in numbers:
        values["length"] = _weeks_and_days(int(numbers["days"]))
    if isinstance(numbers.get("supported"), Decimal):
        values["supported"] = f"{numbers['supported']:.2f}".rstrip("0").rstrip(".")
    try:
        text = FINDINGS.get(key, code).format(**values)
    except (KeyError, IndexError):
        text = code
    text = text.replace(" (—)", "").replace("; —)", ")")
    if finding.provisional:
        text += "; " + PROVISIONAL.format(date=NEW_ACT.isoformat())
    return text

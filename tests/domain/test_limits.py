"""The one boundary for values (`domain.limits`): each limit, and what a push or a pull may carry
for each field. The forms, `import`, the sync client and the server all ask it."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from feltkonsulent.domain import limits
from feltkonsulent.domain.entities import Company
from feltkonsulent.domain.errors import ValidationError
from tests import factories

UUID = "0193c5e2-7b1a-7c3d-9e4f-0a1b2c3d4e5f"


def code(problem: object) -> str | None:
    return None if problem is None else problem.code  # type: ignore[attr-defined]


# -- texts ----------------------------------------------------------------------------------
def test_each_kind_of_text_has_its_limit_and_notes_are_long_enough_for_real_notes() -> None:
    assert limits.text_limit("notes") == 20_000
    assert limits.text_limit("name") == 200
    assert limits.text_limit("email") == 254
    assert limits.text_limit("something_else") == 500
    assert code(limits.check_text("x" * 20_000, "notes")) is None
    too_long = limits.check_text("x" * 20_001, "notes")
    assert too_long is not None and too_long.code == "too_long"
    assert too_long.field == "notes" and too_long.params == {"max": 20_000, "length": 20_001}


@pytest.mark.parametrize("text", ["bad \ud800 half", "nul\x00", "bell\x07", "del\x7f", "c1\x85"])
def test_a_text_of_invalid_unicode_or_control_characters_is_refused(text: str) -> None:
    assert code(limits.check_text(text, "notes")) == "bad_text"
    assert code(limits.check_text(text, "name")) == "bad_text"


def test_line_breaks_only_in_the_texts_a_form_edits_over_several_lines() -> None:
    assert code(limits.check_text("første linje\r\nanden linje\ttab", "notes")) is None
    assert code(limits.check_text("Netto\nVejle", "name")) == "bad_text"
    assert code(limits.check_text("Netto\tVejle", "name")) is None


# -- numbers and dates ----------------------------------------------------------------------
@pytest.mark.parametrize(("field", "value", "expected"), [
    ("employee_count", 10_000_000, None),
    ("employee_count", 10_000_001, "out_of_range"),
    ("employee_count", -1, "out_of_range"),
    ("employee_count", 10**400, "out_of_range"),
    ("employee_count", Decimal("Infinity"), "not_finite"),
    ("employee_count", Decimal("NaN"), "not_finite"),
    ("weekly_hours", Decimal("37.5"), None),
    ("weekly_hours", Decimal("169"), "out_of_range"),
    ("hourly_wage", Decimal("123.4567890123456"), "too_precise"),
    ("version", 2**70, "out_of_range"),
    ("version", 0, "out_of_range"),
])
def test_a_number_is_finite_in_its_fields_range_and_no_more_precise_than_a_double(
    field: str, value: Decimal | int, expected: str | None
) -> None:
    assert code(limits.check_number(value, field)) == expected


def test_a_date_lies_between_1900_and_2199() -> None:
    assert code(limits.check_date(date(2027, 1, 4), "start_date")) is None
    assert code(limits.check_date(date(1, 1, 1), "start_date")) == "out_of_range"
    assert code(limits.check_date(date(9999, 12, 31), "start_date")) == "out_of_range"


# -- ids and teams --------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["../../../etc/passwd", UUID.upper(), UUID[:-1], "", "c-1",
                                   f"{UUID}\n"])
def test_an_id_is_a_canonical_uuid(value: str) -> None:
    assert code(limits.check_id(value)) == "id_format"
    assert code(limits.check_id(UUID)) is None


@pytest.mark.parametrize(("value", "expected"), [
    ("local", None), ("jobcenter-aarhus", None), ("Team Vejle 2", None),
    ("../etc", "team_format"), ("", "team_format"), (" lead", "team_format"), ("x" * 65, "team_format"),
    ("a/b", "team_format"),
])
def test_a_team_is_a_short_plain_name(value: str, expected: str | None) -> None:
    assert code(limits.check_team_id(value)) == expected


# -- records --------------------------------------------------------------------------------
def test_a_record_reports_each_field_over_its_limit_in_its_problems() -> None:
    company = factories.company(name="N" * 201, notes="x" * 20_001, employee_count=10**9)
    found = {(p.field, p.code) for p in company.problems()}
    assert {("name", "too_long"), ("notes", "too_long"), ("employee_count", "out_of_range")} <= found


def test_a_record_the_boundary_refuses_does_not_validate() -> None:
    company = Company(**{**vars(factories.company()), "notes": "bad \udc80"})
    with pytest.raises(ValidationError) as caught:
        company.validate()
    assert [(p.field, p.code) for p in caught.value.errors] == [("notes", "bad_text")]


# -- values on the wire (a push to the server, a pull from it) -----------------------------
@pytest.mark.parametrize(("entity", "field", "value", "expected"), [
    ("companies", "employee_count", 12, None),
    ("companies", "employee_count", 1e308 * 10, "not_finite"),
    ("companies", "employee_count", 10**400, "out_of_range"),
    ("companies", "employee_count", "tolv", "bad_value"),
    ("companies", "employee_count", None, None),  # may be empty
    ("companies", "name", None, "required"),
    ("companies", "name", 5, "bad_value"),
    ("companies", "name", "Netto \ud800", "bad_text"),
    ("companies", "notes", "x" * 10_000_000, "too_large"),
    ("companies", "notes", "x" * 20_001, "too_long"),
    ("placements", "citizen_id", "../../../etc/passwd", "id_format"),
    ("placements", "start_date", "2026-02-31", "bad_value"),
    ("placements", "start_date", "0001-01-01", "out_of_range"),
    ("placements", "weekly_hours", "37,5", "bad_value"),
    ("companies", "deleted", True, None),
    ("companies", "deleted", "yes", "bad_value"),
    ("companies", "a_field_of_a_newer_version", {"any": [1, 2, 3]}, None),
    ("companies", "a_field_of_a_newer_version", 2**64, "out_of_range"),
    ("companies", "a_field_of_a_newer_version", "nul\x00", "bad_text"),
    ("no_such_kind", "name", "x", None),  # the server answers unknown_entity
])
def test_a_value_on_the_wire_is_checked_for_its_field(
    entity: str, field: str, value: object, expected: str | None
) -> None:
    assert code(limits.check_wire(entity, field, value)) == expected


def test_a_value_nested_a_thousand_levels_deep_is_refused_without_a_recursion_error() -> None:
    deep: object = 1
    for _ in range(1000):
        deep = [deep]
    assert code(limits.check_wire("companies", "a_field_of_a_newer_version", deep)) == "too_deep"
    assert code(limits.check_json(json.loads("[" * 17 + "]" * 17))) == "too_deep"
    assert code(limits.check_json(json.loads("[" * 16 + "]" * 16))) is None


def test_a_whole_visit_note_is_checked_field_by_field() -> None:
    note = {"placement_id": UUID, "team_id": "t", "visited_on": "2026-11-20", "notes": "Godt."}
    visit = {k: v for k, v in vars(factories.visit(UUID)).items() if k != "id"}
    whole = {**json.loads(json.dumps(visit, default=str)), **note}
    assert code(limits.check_wire("aftercare_visits", "*", whole)) is None
    assert code(limits.check_wire("aftercare_visits", "*", {**whole, "notes": "x" * 20_001})) == "too_long"
    assert code(limits.check_wire("aftercare_visits", "*", {**whole, "bogus": 1})) == "unknown_field"
    assert code(limits.check_wire("aftercare_visits", "*", [1])) == "bad_value"


def test_the_largest_value_a_field_can_hold_fits_many_times_in_the_servers_body() -> None:
    from feltkonsulent.sync.server.bodylimit import MAX_BODY_BYTES

    largest = len(json.dumps("\U0001d11e" * limits.LONG_CHARS).encode())  # escaped, the worst case
    assert largest < limits.MAX_VALUE_BYTES < MAX_BODY_BYTES / 8

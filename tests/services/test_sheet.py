"""A file's bytes and a spreadsheet's cells as Danish users have them: the encoding found (UTF-8
with or without a BOM, UTF-16 with one, else Windows-1252; JSON UTF-8 only), the separator found
from the header, and numbers, dates and yes/no as Danish Excel writes them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from feltkonsulent.domain.enums import PlacementKind
from feltkonsulent.services import sheet

DANISH = "navn;by\r\nBageriet Ørsted;Århus\r\n"


@pytest.mark.parametrize(("data", "text"), [
    (DANISH.encode("utf-8"), DANISH),
    (sheet.UTF8_BOM + DANISH.encode("utf-8"), DANISH),
    (DANISH.encode("cp1252"), DANISH),  # Excel's "CSV (semikolonsepareret)" on Danish Windows
    (DANISH.encode("utf-16"), DANISH),  # Excel's "Unicode-tekst": UTF-16 with a byte order mark
    (b'{"a": 1}', '{"a": 1}'),
])
def test_the_encoding_is_found_from_the_bytes(data: bytes, text: str) -> None:
    assert sheet.decode(data) == text


@pytest.mark.parametrize(("data", "line", "code", "offset"), [
    (b"navn\r\nNetto\x81\r\n", 2, "not_text", 11),  # 0x81 is no character even in Windows-1252
    (b"navn\nNetto\nFakta \x8d\n", 3, "not_text", 17),
    (b"navn\n\xc3\xa6ble\n\xe6ble\n", 3, "not_utf8", 11),  # UTF-8 elsewhere: not Windows-1252
    (b"navn\nNet\xed\xa0\x80to\n", 2, "not_utf8", 8),  # a lone surrogate, encoded
    (sheet.UTF8_BOM + b"navn\n\xe6ble\n", 2, "not_utf8", 8),  # a BOM says UTF-8
    (b'{"navn":\n "\xe6ble"}', 2, "json_not_utf8", 11),  # JSON is UTF-8 (RFC 8259)
    (b"\xff\xfen\x00\x00\xd8", 1, "not_utf16", 4),  # a lone surrogate in UTF-16
    ('{"a": 1}'.encode("utf-16"), 1, "json_not_utf8", 0),
])
def test_bytes_of_no_accepted_encoding_are_named_by_line_and_offset(
    data: bytes, line: int, code: str, offset: int
) -> None:
    with pytest.raises(sheet.Undecodable) as caught:
        sheet.decode(data)
    assert (caught.value.line, caught.value.error.code, caught.value.error.params["offset"]) == (
        line, code, offset)


@pytest.mark.parametrize(("header", "separator"), [
    ("name;cvr;city\nNetto, Vejle;13585628;Vejle", ";"),
    ("name,cvr,city", ","),
    ("name\tcvr", "\t"),
    ('"name";"cvr"', ";"),
    ("name", ","),  # one column: any separator; the export's own
    ("navn;adresse", ","),  # no known name: the export's own, and the header is refused
])
def test_the_separator_is_the_one_that_splits_the_header_into_known_names(
    header: str, separator: str
) -> None:
    assert sheet.delimiter(header, {"name", "cvr", "city"}) == separator


@pytest.mark.parametrize(("text", "grouped", "value"), [
    ("37,5", True, "37.5"),
    ("37.5", True, "37.5"),
    ("1.234,50", True, "1234.50"),
    ("1.234", True, "1234"),  # in a ;-separated file a dot between groups of three is a thousand
    ("12.345.678", True, "12345678"),
    ("-2,5", True, "-2.5"),
    ("37,5", False, "37.5"),  # a quoted "37,5" in a ,-separated file
    ("1.234,50", False, "1234.50"),
    ("1.234", False, "1.234"),  # in a ,-separated file a dot is a decimal point
    ("1e400", False, "1e400"),  # a number: the value boundary refuses it, naming its range
])
def test_a_number_as_danish_excel_writes_it(text: str, grouped: bool, value: str) -> None:
    assert sheet.cell_value(Decimal, text, grouped_dots=grouped) == value


@pytest.mark.parametrize(("kind", "text", "value"), [
    (date, "2026-02-28", "2026-02-28"),
    (date, "28.02.2026", "2026-02-28"),
    (date, "28-02-2026", "2026-02-28"),  # Danish Excel's own
    (date, "28/02/2026", "2026-02-28"),
    (date, "8.2.2026", "2026-02-08"),
    (bool, "SAND", True),
    (bool, "falsk", False),
    (bool, "ja", True),
    (bool, "Nej", False),
    (bool, "1", True),
    (bool, "false", False),
    (int, "1.234", 1234),
    (PlacementKind, "IGU", "igu"),
    (tuple, '["Fagord", "Sikkerhed"]', ["Fagord", "Sikkerhed"]),
    (tuple, "Fagord\nSikkerhed\n", ["Fagord", "Sikkerhed"]),
    (str, "Søndergade 12", "Søndergade 12"),
])
def test_dates_yes_no_and_choices_as_danish_users_write_them(kind: type, text: str, value: Any) -> None:
    assert sheet.cell_value(kind, text, grouped_dots=True) == value


@pytest.mark.parametrize(("kind", "text", "code"), [
    (date, "31-02-2026", "csv_date"),
    (date, "28.02-2026", "csv_date"),
    (date, "28.02.26", "csv_date"),
    (date, "20260228", "csv_date"),
    (date, "1. maj", "csv_date"),
    (Decimal, "abc", "csv_number"),
    (Decimal, "NaN", "csv_number"),
    (Decimal, "1,2,3", "csv_number"),
    (Decimal, "1.23,5", "csv_number"),
    (int, "2,5", "csv_whole"),
    (int, "9" * 31, "csv_whole"),
    (bool, "måske", "csv_bool"),
    (PlacementKind, "volunteering", "csv_choice"),
    (tuple, "[" * 10_000, "csv_list"),
    (tuple, '["a",', "csv_list"),
])
def test_a_cell_that_is_not_its_kind_names_what_was_expected(kind: type, text: str, code: str) -> None:
    with pytest.raises(sheet.CellError) as caught:
        sheet.cell_value(kind, text, grouped_dots=True)
    assert caught.value.error.code == code
    if code != "csv_list":
        assert caught.value.error.params["value"] == sheet.shown(text)


def test_a_value_quoted_in_a_message_is_one_short_printable_line() -> None:
    assert sheet.shown("31-02-2026") == "31-02-2026"
    assert sheet.shown("a\nb\x00\ud800") == "a\\nb\\x00\\ud800"
    assert sheet.shown("9" * 100) == "9" * 39 + "…"

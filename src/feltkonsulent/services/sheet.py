"""A file as Danish users have it: the encoding of its bytes, a spreadsheet's separator, and a
cell's number, date or yes/no as Excel on Danish Windows writes them ("CSV (semikolonsepareret)":
Windows-1252, `;`, CRLF, `37,5`, `28-02-2026`). Errors carry codes; the CLI words them."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Collection
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from feltkonsulent.domain.errors import DomainError

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
DELIMITERS = (",", ";", "\t")  # the first wins a tie: the export's own
SHOWN_CHARS = 40

# A multi-byte UTF-8 sequence (an encoded lone surrogate's too): a file holding one is UTF-8, and
# a bad byte elsewhere in it is a broken file, not Windows-1252 (whose æøå are single bytes).
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


class Undecodable(ValueError):
    """Bytes that are no text of an accepted encoding: `line` is the line the first bad byte is on."""

    def __init__(self, line: int, error: DomainError) -> None:
        super().__init__(error.code)
        self.line = line
        self.error = error


class CellError(ValueError):
    """A cell that is not what its column holds; the error names what was expected."""

    def __init__(self, error: DomainError) -> None:
        super().__init__(error.code)
        self.error = error


# -- the encoding -----------------------------------------------------------------------------
def decode(data: bytes) -> str:
    """UTF-8, with or without a byte order mark; UTF-16 with one (Excel's "Unicode text");
    otherwise Windows-1252. JSON is UTF-8 only (RFC 8259)."""
    if data.startswith(UTF16_BOMS):
        return _utf16(data)
    offset = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    body = data[offset:]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = offset + error.start
        if body.lstrip()[:1] in (b"{", b"["):
            raise Undecodable(_line(data, bad), _byte_error("json_not_utf8", data, bad)) from None
        if offset or _UTF8_SEQUENCE.search(body):
            raise Undecodable(_line(data, bad), _byte_error("not_utf8", data, bad)) from None
    try:
        return body.decode("cp1252")
    except UnicodeDecodeError as error:  # 0x81, 0x8d, 0x8f, 0x90 and 0x9d are no character
        raise Undecodable(_line(data, error.start), _byte_error("not_text", data, error.start)) from None


def _utf16(data: bytes) -> str:
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as error:
        line = data[: error.start].decode("utf-16", errors="replace").count("\n") + 1
        raise Undecodable(line, _byte_error("not_utf16", data, error.start)) from None
    if text.lstrip("\ufeff \t\r\n")[:1] in ("{", "["):
        raise Undecodable(1, _byte_error("json_not_utf8", data, 0))
    return text


def _line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _byte_error(code: str, data: bytes, offset: int) -> DomainError:
    return DomainError(code, None, {"offset": offset, "byte": f"0x{data[offset]:02x}"})


# -- the separator ----------------------------------------------------------------------------
def delimiter(text: str, known: Collection[str]) -> str:
    """The separator that splits the header into the most known column names (`,` on a tie)."""
    header = text.lstrip("\n").split("\n", 1)[0]
    return max(DELIMITERS, key=lambda d: _known_cells(header, d, known))


def _known_cells(header: str, separator: str, known: Collection[str]) -> int:
    try:
        cells = next(csv.reader([header], delimiter=separator, strict=True), [])
    except csv.Error:
        return -1
    return sum(cell.strip().lower() in known for cell in cells)


def shown(text: str) -> str:
    """A value as a message may quote it: one line, printable, at most SHOWN_CHARS characters."""
    if len(text) > SHOWN_CHARS:
        text = text[: SHOWN_CHARS - 1] + "…"
    return "".join(c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode()
                   for c in text)


# -- the cells --------------------------------------------------------------------------------
_TRUE = {"true", "1", "ja", "yes", "sand"}  # Danish Excel writes SAND and FALSK
_FALSE = {"false", "0", "nej", "no", "falsk"}

_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")  # 37.5, 1e400
_COMMA = re.compile(r"[+-]?(\d{1,3}(\.\d{3})+|\d+),\d+")  # 37,5 and 1.234,50
_GROUPED = re.compile(r"[+-]?\d{1,3}(\.\d{3})+")  # 1.234 in a ;-separated file: a thousand and more
_WHOLE = re.compile(r"[+-]?\d{1,30}")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DANISH = re.compile(r"(\d{1,2})([.\-/])(\d{1,2})\2(\d{4})")  # 28.02.2026, 28-02-2026, 28/02/2026


def cell_value(kind: type, text: str, *, grouped_dots: bool) -> Any:
    """The cell (stripped, not empty) as the JSON value its field's kind is written as; a
    `CellError` when it is not one. `grouped_dots`: the file's separator is `;` or a tab, where a
    dot between groups of three digits separates thousands."""
    if kind is Decimal:
        return _number(text, grouped_dots)
    if kind is int:
        return _whole(text, grouped_dots)
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return _choice(kind, text)
    parse = _PARSERS.get(kind)
    return text if parse is None else parse(text)


def _error(code: str, text: str | None = None, **params: Any) -> CellError:
    if text is not None:
        params["value"] = shown(text)
    return CellError(DomainError(code, None, params))


def _number(text: str, grouped_dots: bool) -> str:
    if _COMMA.fullmatch(text):
        return text.replace(".", "").replace(",", ".")
    if grouped_dots and _GROUPED.fullmatch(text):
        return text.replace(".", "")
    if _PLAIN.fullmatch(text):
        return text
    raise _error("csv_number", text)


def _whole(text: str, grouped_dots: bool) -> int:
    digits = text.replace(".", "") if grouped_dots and _GROUPED.fullmatch(text) else text
    if not _WHOLE.fullmatch(digits):
        raise _error("csv_whole", text)
    return int(digits)


def _date(text: str) -> str:
    iso, danish = _ISO.fullmatch(text), _DANISH.fullmatch(text)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3])).isoformat()
        if danish:
            return date(int(danish[4]), int(danish[3]), int(danish[1])).isoformat()
    except ValueError:
        pass
    raise _error("csv_date", text)


def _bool(text: str) -> bool:
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise _error("csv_bool", text)


def _choice(kind: type[StrEnum], text: str) -> str:
    values = {str(member.value).lower(): str(member.value) for member in kind}
    if text.lower() in values:
        return values[text.lower()]
    raise _error("csv_choice", text, choices=", ".join(values.values()))


def _items(text: str) -> Any:
    """A JSON list (as the export writes it), or one item per line of the cell."""
    if not text.startswith("["):
        return [line.strip() for line in text.splitlines() if line.strip()]
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # not JSON, too deep, or a number of 4,300 digits
        raise _error("csv_list") from None


_PARSERS: dict[type, Callable[[str], Any]] = {date: _date, bool: _bool, tuple: _items}

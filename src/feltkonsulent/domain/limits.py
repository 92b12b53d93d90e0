"""The one boundary for values: what any field of any record may hold, checked alike by the forms,
`import`, the sync client (a pulled value) and the server (a pushed one).

A value this module accepts can be stored in the local database and on both server storages,
exported, imported again and pushed in a batch the server takes; a value it refuses is refused
with its field and the limit, never stored. The record rules (a CVR check digit, an end before a
start) are the records' own (`entities.py`); this is what keeps a database from being poisoned:

- texts: valid Unicode (no lone surrogate), no NUL and no control character but a tab (and line
  breaks in the texts a form edits over several lines), at most `text_limit()` characters;
- numbers: finite, within the field's range, and at most 15 significant digits (what a double,
  the REAL column they are stored in, holds exactly);
- dates: from 1900 to 2199;
- ids: a UUID in its canonical form (lower case, with hyphens), as every device makes them;
  teams: 1 to 64 letters, digits, `.`, `_`, `-` and inner spaces;
- lists: at most `MAX_ITEMS` items, each a one-line text of at most `ITEM_CHARS` characters;
- any JSON value (a field a newer version knows): at most `MAX_VALUE_BYTES` as UTF-8 JSON and
  `MAX_DEPTH` levels deep, with finite numbers and 64-bit whole numbers.

The largest value a known field can hold (a 20,000-character note, ~80 kB as UTF-8) is far below
`MAX_VALUE_BYTES`, which is far below the server's 8 MiB body limit: no single change can block a
sync queue.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from feltkonsulent.domain.errors import DomainError
from feltkonsulent.domain.wire import FieldSpec, WireTypeError, decode, fields_of

if TYPE_CHECKING:
    from feltkonsulent.domain.entities import Record

# -- texts ----------------------------------------------------------------------------------
NAME_CHARS = 200
LINE_CHARS = 500
LONG_CHARS = 20_000
ITEM_CHARS = 500
MAX_ITEMS = 100

# Texts written in a text box over several lines: they may hold line breaks. The long ones are
# prose (a visit's notes, an assessment) and may run to LONG_CHARS; the others are a few lines.
LONG_TEXTS = frozenset({
    "notes", "work_tasks", "education_plan", "extension_assessment", "agreed_actions", "reason",
})
MULTILINE_TEXTS = LONG_TEXTS | {"participants", "address"}
_NAMES = frozenset({
    "name", "person_name", "partner_name", "municipality", "department", "issued_by", "user",
    "city", "role", "industry", "latest_employer", "danish_level", "meeting_frequency", "code",
})
_SHORT = {"email": 254, "phone": 40, "cvr": 20, "cpr": 20, "p_number": 20, "postal_code": 10,
          "language": 10, "issued_at": 40, "sha256": 64, "content_sha256": 64}

# -- numbers --------------------------------------------------------------------------------
_HOURS = (Decimal(0), Decimal(168))  # the hours of a week
_MONEY = (Decimal(0), Decimal(1_000_000))  # DKK an hour
RANGES: dict[str, tuple[Decimal, Decimal]] = {
    "employee_count": (Decimal(0), Decimal(10_000_000)),
    "weekly_hours": _HOURS,
    "hours_per_week": _HOURS,
    "hourly_wage": _MONEY,
    "subsidy_per_hour": _MONEY,
    "hourly_rate": _MONEY,
    "version": (Decimal(1), Decimal(2**31 - 1)),
}
_ANY_NUMBER = (Decimal(-(10**15)), Decimal(10**15))
SIGNIFICANT_DIGITS = 15
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)

# -- ids and any JSON -----------------------------------------------------------------------
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TEAM = re.compile(r"[\w.-](?:[\w. -]{0,62}[\w.-])?")
_REFERENCES = frozenset({"company_id", "citizen_id", "placement_id", "contact_id", "supersedes"})
MAX_VALUE_BYTES = 256 * 1024
MAX_DEPTH = 16
_INT64 = 2**63 - 1
# C0 and C1 control characters, DEL; a tab is text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]|[\n\r]")
_CONTROL_LONG = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def text_limit(field: str) -> int:
    """How many characters a text field may hold (the same for every record that has it)."""
    if field in LONG_TEXTS:
        return LONG_CHARS
    if field in _NAMES:
        return NAME_CHARS
    return _SHORT.get(field, LINE_CHARS)


def check_text(value: str, field: str, *, limit: int | None = None,
               lines: bool | None = None) -> DomainError | None:
    """A text a field can hold: valid Unicode, no control characters, not too long."""
    if _SURROGATE.search(value) is not None:
        return DomainError("bad_text", field)
    multiline = field in MULTILINE_TEXTS if lines is None else lines
    if (_CONTROL_LONG if multiline else _CONTROL).search(value) is not None:
        return DomainError("bad_text", field)
    most = text_limit(field) if limit is None else limit
    if len(value) > most:
        return DomainError("too_long", field, {"max": most, "length": len(value)})
    return None


def check_id(value: str, field: str = "id") -> DomainError | None:
    """A record's id: a UUID as the devices write it (`0193c5e2-7b1a-7c3d-9e4f-0a1b2c3d4e5f`)."""
    if not isinstance(value, str) or _UUID.fullmatch(value) is None:
        return DomainError("id_format", field)
    return None


def check_team_id(value: str, field: str = "team_id") -> DomainError | None:
    """A team's id, as the administrator named it on the server (`jobcenter-aarhus`), or the
    placeholder `local` of a database that has never synced."""
    if not isinstance(value, str) or _TEAM.fullmatch(value) is None:
        return DomainError("team_format", field)
    return None


def check_number(value: Decimal | int, field: str) -> DomainError | None:
    number = Decimal(value)
    if not number.is_finite():
        return DomainError("not_finite", field)
    low, high = RANGES.get(field, _ANY_NUMBER)
    if not low <= number <= high:
        return DomainError("out_of_range", field, {"min": low, "max": high})
    if len(number.normalize().as_tuple().digits) > SIGNIFICANT_DIGITS:
        return DomainError("too_precise", field, {"digits": SIGNIFICANT_DIGITS})
    return None


def check_date(value: date, field: str) -> DomainError | None:
    if not FIRST_DAY <= value <= LAST_DAY:
        return DomainError("out_of_range", field, {"min": FIRST_DAY, "max": LAST_DAY})
    return None


def check_items(value: tuple[str, ...], field: str) -> DomainError | None:
    if len(value) > MAX_ITEMS:
        return DomainError("too_many", field, {"max": MAX_ITEMS, "count": len(value)})
    for item in value:
        problem = check_text(item, field, limit=ITEM_CHARS, lines=False)
        if problem is not None:
            return problem
    return None


def check_value(spec: FieldSpec, value: Any) -> DomainError | None:
    """A domain value (a text, Decimal, int, date, tuple of texts) of one field."""
    if value is None:
        return None
    name = spec.name
    if spec.kind is str:
        if name == "id" or name in _REFERENCES:
            return check_id(value, name)
        if name == "team_id":
            return check_team_id(value, name)
        return check_text(value, name)
    if spec.kind is tuple:
        return check_items(value, name)
    if spec.kind in (Decimal, int):
        return check_number(value, name)
    if spec.kind is date:
        return check_date(value, name)
    return None


def problems(record: Record) -> list[DomainError]:
    """Every field of the record that holds a value it may not. Ids and teams are not among them:
    the program makes those itself, and where they come from outside (an import, a pull, a push)
    `check_value` meets them as they are read."""
    found = []
    for spec in fields_of(type(record)):
        if spec.name in ("id", "team_id") or spec.name in _REFERENCES:
            continue
        problem = check_value(spec, getattr(record, spec.name))
        if problem is not None:
            found.append(problem)
    return found


def check_json(value: Any, field: str | None = None) -> DomainError | None:
    """Any JSON value: not too deep, not too large, finite numbers, 64-bit whole numbers, texts
    of valid Unicode without NUL (PostgreSQL cannot hold one)."""
    problem = _walk(value, field, 0)
    if problem is not None:
        return problem
    size = len(json.dumps(value, ensure_ascii=False).encode("utf-8"))
    if size > MAX_VALUE_BYTES:
        return DomainError("too_large", field, {"max": MAX_VALUE_BYTES, "size": size})
    return None


def _walk(value: Any, field: str | None, depth: int) -> DomainError | None:
    if depth >= MAX_DEPTH:
        return DomainError("too_deep", field, {"max": MAX_DEPTH})
    if isinstance(value, list):
        items: list[Any] = value
    elif isinstance(value, Mapping):
        items = [*value.keys(), *value.values()]
    else:
        return _scalar(value, field)
    for item in items:
        problem = _walk(item, field, depth + 1)
        if problem is not None:
            return problem
    return None


def _scalar(value: Any, field: str | None) -> DomainError | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return None if -_INT64 - 1 <= value <= _INT64 else DomainError("out_of_range", field, {
            "min": -_INT64 - 1, "max": _INT64})
    if isinstance(value, float):
        return None if math.isfinite(value) else DomainError("not_finite", field)
    if isinstance(value, str):
        if _SURROGATE.search(value) is not None or "\x00" in value:
            return DomainError("bad_text", field)
        return None
    return DomainError("bad_value", field, {"kind": "JSON"})


def check_wire(entity: str, field: str, value: Any) -> DomainError | None:
    """A value as a push or a pull carries it (JSON) for one field of one kind of record: the
    field's type, `null` only where the field may be empty, and the limits above. `*` is a whole
    visit note, `deleted` a tombstone; a field this version does not know (a newer one's) gets the
    limits of any JSON value."""
    return check_json(value, field) or check_typed(entity, field, value)


def check_typed(entity: str, field: str, value: Any) -> DomainError | None:
    """`check_wire` but for the limits of any JSON value, for a value already checked so (the
    server reads a push with `check_json`)."""
    from feltkonsulent.domain.entities import ENTITY_TYPES  # entities check their limits here

    cls = ENTITY_TYPES.get(entity)
    if cls is None:
        return None  # not a kind of record: the server answers unknown_entity
    if field == "deleted":
        return None if isinstance(value, bool) else DomainError("bad_value", field, {"kind": "bool"})
    if field == "*":
        return _check_whole(cls, value)
    spec = _spec(cls, field)
    if spec is None:
        return None
    return _check_field(spec, value)


def _spec(cls: type[Record], field: str) -> FieldSpec | None:
    return next((s for s in fields_of(cls) if s.name == field), None)


def _check_field(spec: FieldSpec, value: Any) -> DomainError | None:
    if value is None:
        if spec.optional or spec.has_default:
            return None
        return DomainError("required", spec.name)
    try:
        decoded = decode(spec, value)
    except WireTypeError as error:
        return DomainError("bad_value", spec.name, {"kind": error.expected})
    return check_value(spec, decoded)


def _check_whole(cls: type[Record], value: Any) -> DomainError | None:
    """A whole record in one op (a visit note is written once, whole)."""
    if not isinstance(value, Mapping):
        return DomainError("bad_value", "*", {"kind": "object"})
    names = {s.name for s in fields_of(cls)}
    unknown = sorted(set(value) - names)
    if unknown:
        return DomainError("unknown_field", str(unknown[0]))
    for spec in fields_of(cls):
        if spec.name == "id" and spec.name not in value:
            continue  # the op's row_id is the id
        problem = _check_field(spec, value.get(spec.name))
        if problem is not None:
            return problem
    return None


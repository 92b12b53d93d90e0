"""docs/limits.md is the table of the boundary: every text and number field of every kind of
record, with the limit the code enforces (a legal adviser or an administrator reads the document,
the boundary is the code; they must not drift apart)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from feltkonsulent.domain import limits
from feltkonsulent.domain.entities import ENTITY_TYPES
from feltkonsulent.domain.wire import fields_of

DOC = Path(__file__).resolve().parents[1] / "docs" / "limits.md"
ROW = re.compile(r"^\| `(\w+)` \| ([\w, ]+) \| (\S+) \| (\S+) \|$", re.MULTILINE)
_LINKS = {"id", "team_id", "company_id", "citizen_id", "placement_id", "contact_id", "supersedes"}


def fields_of_kind(*kinds: type) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for entity, cls in ENTITY_TYPES.items():
        for spec in fields_of(cls):
            if spec.kind in kinds and spec.name not in _LINKS:
                found.setdefault(spec.name, set()).add(entity)
    return found


def rows() -> dict[str, tuple[set[str], str, str]]:
    return {name: ({e.strip() for e in of.split(",")}, a, b)
            for name, of, a, b in ROW.findall(DOC.read_text(encoding="utf-8"))}


def test_every_text_field_is_in_the_table_with_its_limit_and_whether_it_takes_line_breaks() -> None:
    table = rows()
    for name, entities in fields_of_kind(str).items():
        assert name in table, f"{name} is not in docs/limits.md"
        of, most, breaks = table[name]
        assert of == entities, name
        assert int(most) == limits.text_limit(name), name
        assert breaks == ("yes" if name in limits.MULTILINE_TEXTS else "no"), name


def test_every_number_field_is_in_the_table_with_its_range() -> None:
    table = rows()
    for name, entities in fields_of_kind(Decimal, int).items():
        assert name in table, f"{name} is not in docs/limits.md"
        of, low, high = table[name]
        assert of == entities, name
        assert (Decimal(low), Decimal(high)) == limits.RANGES[name], name


def test_the_sizes_the_document_names_are_the_codes() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert f"{limits.LONG_CHARS:,} characters" in text
    assert f"{limits.MAX_VALUE_BYTES // 1024} KiB" in text
    assert f"at most {limits.MAX_DEPTH} levels deep" in text
    assert f"at most {limits.MAX_ITEMS} items" in text and f"{limits.ITEM_CHARS} characters" in text

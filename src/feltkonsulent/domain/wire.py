"""What each field of a record holds, read from the dataclass and its type hints, and how a JSON
value (export, import, the change log, sync) becomes that field's domain value and back. Strict:
a JSON number is not a text, and a text is not a bool. The storage codec and the value boundary
(`limits.py`) both build on it, so a new field needs no new code."""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

# What a field holds, once NewTypes and Optional are stripped away.
_Kind = type


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: _Kind
    optional: bool
    has_default: bool


class WireTypeError(ValueError):
    """A JSON value that is not of the field's kind; `expected` names the kind."""

    def __init__(self, expected: str) -> None:
        self.expected = expected
        super().__init__(expected)


def _strip(hint: Any) -> tuple[_Kind, bool]:
    optional = False
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        optional = len(args) < len(typing.get_args(hint))
        hint = args[0]
        origin = typing.get_origin(hint)
    while hasattr(hint, "__supertype__"):  # NewType
        hint = hint.__supertype__
    if origin is tuple:
        return tuple, optional
    assert isinstance(hint, type), hint
    return hint, optional


_FIELDS: dict[type, tuple[FieldSpec, ...]] = {}


def fields_of(cls: type) -> tuple[FieldSpec, ...]:
    """The fields of a record dataclass, in their order (worked out once for each class)."""
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = _fields(cls)
    return found


def _fields(cls: type) -> tuple[FieldSpec, ...]:
    hints = typing.get_type_hints(cls)
    return tuple(
        FieldSpec(
            f.name,
            *_strip(hints[f.name]),
            has_default=f.default is not dataclasses.MISSING
            or f.default_factory is not dataclasses.MISSING,
        )
        for f in dataclasses.fields(cls)
    )


def kind_name(spec: FieldSpec) -> str:
    """The field's kind in words, for a message: `date`, `number`, `text` …"""
    kind = spec.kind
    if kind is tuple:
        return "list of texts"
    if kind is bool:
        return "true or false"
    if kind in (Decimal, int):
        return "whole number" if kind is int else "number"
    if kind is date:
        return "date (YYYY-MM-DD)"
    if issubclass(kind, StrEnum):
        return "one of " + ", ".join(str(m.value) for m in kind)
    return "text"


def to_decimal(value: Any) -> Decimal:
    """A number as stored (REAL) or sent (JSON) as a Decimal; not finite is a ValueError."""
    # repr() gives the shortest string that round-trips, so 37.5 stays 37.5, not 37.49999…
    if isinstance(value, float) and value.is_integer():
        number = Decimal(int(value))  # 200.0 from a REAL column is 200, as it was saved
    else:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValueError("not a finite number")
    return number


def encode(spec: FieldSpec, value: Any) -> Any:
    """A domain value as JSON."""
    if value is None:
        return None
    if spec.kind is tuple:
        return list(value)
    if spec.kind is Decimal:
        return int(value) if value == value.to_integral_value() else float(value)
    if spec.kind is date:
        return value.isoformat()
    if issubclass(spec.kind, StrEnum):
        return str(value.value)
    return value


def decode(spec: FieldSpec, value: Any) -> Any:
    """A JSON value as the field's domain value; `WireTypeError` when it is of another kind."""
    if value is None:
        return None
    try:
        return _decode(spec.kind, value)
    except (TypeError, ValueError, InvalidOperation, OverflowError):
        raise WireTypeError(kind_name(spec)) from None


# The JSON types a field's kind is written as (a Decimal also as a string: "37.5").
_JSON_KINDS: dict[type, tuple[type, ...]] = {
    tuple: (list,), bool: (bool,), Decimal: (int, float, str), int: (int,),
}


def _written_as(kind: type, value: object) -> bool:
    # true and false are JSON's own, never a number (Python counts a bool as an int).
    return isinstance(value, bool) == (kind is bool) and isinstance(value, _JSON_KINDS.get(kind, (str,)))


def _decode(kind: type, value: Any) -> Any:
    if not _written_as(kind, value):
        raise TypeError(kind)
    if kind is tuple:
        if not all(isinstance(x, str) for x in value):
            raise TypeError(kind)
        return tuple(value)
    if kind is Decimal:
        return to_decimal(value)
    if kind is date:
        return date.fromisoformat(value)
    if issubclass(kind, StrEnum):
        return kind(value)
    return value

"""Turns domain records into SQL rows and wire values (export, change log) and back.

One description per record type, read from the dataclass and its type hints, so a new field
needs no new code here.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Generic, TypeVar

from feltkonsulent.domain.entities import ENTITY_TYPES, Record
from feltkonsulent.domain.errors import DomainError

R = TypeVar("R", bound=Record)

# What a field holds, once NewTypes and Optional are stripped away.
_Kind = type


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: _Kind
    optional: bool
    has_default: bool


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


class EntitySpec(Generic[R]):
    """How one record type is stored: its table and the kind of each field."""

    def __init__(self, table: str, cls: type[R]) -> None:
        self.table = table
        self.cls = cls
        hints = typing.get_type_hints(cls)
        self.fields: tuple[FieldSpec, ...] = tuple(
            FieldSpec(
                f.name,
                *_strip(hints[f.name]),
                has_default=f.default is not dataclasses.MISSING
                or f.default_factory is not dataclasses.MISSING,
            )
            for f in dataclasses.fields(cls)  # type: ignore[arg-type]  # every Record is a dataclass
        )
        self.by_name = {f.name: f for f in self.fields}
        # Fields an edit can change: all but the identity.
        self.data_fields = tuple(f.name for f in self.fields if f.name != "id")

    # -- rows -------------------------------------------------------------------------------
    def to_row(self, record: R) -> dict[str, Any]:
        return {f.name: _to_sql(f, getattr(record, f.name)) for f in self.fields}

    def from_row(self, row: Mapping[str, Any]) -> R:
        values = {f.name: _from_sql(f, row[f.name]) for f in self.fields}
        return self.cls(**values)

    # -- wire (export, change log) ----------------------------------------------------------
    def to_wire(self, record: R) -> dict[str, Any]:
        return {f.name: to_wire(f, getattr(record, f.name)) for f in self.fields}

    def wire_value(self, field: str, record: R) -> Any:
        return to_wire(self.by_name[field], getattr(record, field))

    def sql_from_wire(self, field: str, value: Any) -> Any:
        spec = self.by_name[field]
        return _to_sql(spec, from_wire(spec, value))

    def from_wire(self, data: Mapping[str, Any]) -> R:
        """Build a record from exported JSON; unknown or ill-typed fields raise `WireError`."""
        unknown = sorted(set(data) - set(self.by_name))
        if unknown:
            raise WireError([DomainError("unknown_field", name) for name in unknown])
        errors: list[DomainError] = []
        values: dict[str, Any] = {}
        for f in self.fields:
            if f.name not in data or data[f.name] is None:
                if f.has_default:
                    continue
                if f.optional:
                    values[f.name] = None
                    continue
                errors.append(DomainError("required", f.name))
                continue
            try:
                values[f.name] = from_wire(f, data[f.name])
            except (TypeError, ValueError, InvalidOperation):
                errors.append(DomainError("bad_value", f.name, {"kind": f.kind.__name__}))
        if errors:
            raise WireError(errors)
        return self.cls(**values)


class WireError(ValueError):
    def __init__(self, errors: list[DomainError]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(str(e) for e in errors))


def _to_sql(spec: FieldSpec, value: Any) -> Any:
    if value is None:
        return None
    if spec.kind is tuple:
        return json.dumps(list(value), ensure_ascii=False)
    if spec.kind is bool:
        return 1 if value else 0
    if spec.kind is Decimal:
        return float(value)
    if spec.kind is date:
        return value.isoformat()
    if issubclass(spec.kind, StrEnum):
        return str(spec.kind(value))  # a member, or its text: both are stored as the text
    return value


def _from_sql(spec: FieldSpec, value: Any) -> Any:
    if value is None:
        return None
    if spec.kind is tuple:
        return tuple(json.loads(value))
    if spec.kind is bool:
        return bool(value)
    if spec.kind is Decimal:
        return _decimal(value)
    if spec.kind is date:
        return date.fromisoformat(value)
    if issubclass(spec.kind, StrEnum):
        return spec.kind(value)
    return value


def _decimal(value: Any) -> Decimal:
    # repr() gives the shortest string that round-trips, so 37.5 stays 37.5, not 37.49999…
    if isinstance(value, float) and value.is_integer():
        number = Decimal(int(value))  # 200.0 from a REAL column is 200, as it was saved
    else:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValueError("not a finite number")
    return number


def to_wire(spec: FieldSpec, value: Any) -> Any:
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


def from_wire(spec: FieldSpec, value: Any) -> Any:
    """Strict: a JSON number is not a string, and a string is not a bool."""
    if value is None:
        return None
    kind = spec.kind
    if kind is tuple:
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise TypeError("a list of texts")
        return tuple(value)
    if kind is bool:
        if not isinstance(value, bool):
            raise TypeError("true or false")
        return value
    if kind is Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise TypeError("a number")
        return _decimal(value)
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("a whole number")
        return value
    return _text_from_wire(kind, value)


def _text_from_wire(kind: type, value: Any) -> Any:
    if not isinstance(value, str):
        raise TypeError("a text")
    if kind is date:
        return date.fromisoformat(value)
    if issubclass(kind, StrEnum):
        return kind(value)
    return value


SPECS: dict[str, EntitySpec[Any]] = {
    table: EntitySpec(table, cls) for table, cls in ENTITY_TYPES.items()
}


def spec_for(cls: type[R]) -> EntitySpec[R]:
    for spec in SPECS.values():
        if spec.cls is cls:
            return spec
    raise KeyError(cls)

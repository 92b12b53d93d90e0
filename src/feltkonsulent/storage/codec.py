"""Turns domain records into SQL rows and wire values (export, change log) and back.

One description per record type, read from the dataclass and its type hints, so a new field
needs no new code here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Generic, TypeVar

from feltkonsulent.domain import limits
from feltkonsulent.domain.entities import ENTITY_TYPES, Record
from feltkonsulent.domain.errors import DomainError
from feltkonsulent.domain.wire import FieldSpec, WireTypeError, decode, encode, fields_of, to_decimal

R = TypeVar("R", bound=Record)


class EntitySpec(Generic[R]):
    """How one record type is stored: its table and the kind of each field."""

    def __init__(self, table: str, cls: type[R]) -> None:
        self.table = table
        self.cls = cls
        self.fields: tuple[FieldSpec, ...] = fields_of(cls)
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
                values[f.name] = decode(f, data[f.name])
            except WireTypeError as error:
                errors.append(DomainError("bad_value", f.name, {"kind": error.expected}))
                continue
            problem = limits.check_value(f, values[f.name])
            if problem is not None:
                errors.append(problem)
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
        return to_decimal(value)
    if spec.kind is date:
        return date.fromisoformat(value)
    if issubclass(spec.kind, StrEnum):
        return spec.kind(value)
    return value


def to_wire(spec: FieldSpec, value: Any) -> Any:
    return encode(spec, value)


def from_wire(spec: FieldSpec, value: Any) -> Any:
    """Strict: a JSON number is not a string, and a string is not a bool (`WireTypeError`)."""
    return decode(spec, value)


SPECS: dict[str, EntitySpec[Any]] = {
    table: EntitySpec(table, cls) for table, cls in ENTITY_TYPES.items()
}


def spec_for(cls: type[R]) -> EntitySpec[R]:
    for spec in SPECS.values():
        if spec.cls is cls:
            return spec
    raise KeyError(cls)

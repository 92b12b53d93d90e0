"""Errors that carry codes, not sentences: the UI and the CLI turn codes into words."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DomainError:
    """One problem with one field: `code` is stable (tests, translations and logs key on it)."""

    code: str
    field: str | None = None
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        extra = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{where}{self.code}" + (f" ({extra})" if extra else "")


class ValidationError(ValueError):
    """Raised when a record does not validate; holds every problem found, not only the first."""

    def __init__(self, errors: Iterable[DomainError]) -> None:
        self.errors: tuple[DomainError, ...] = tuple(errors)
        super().__init__("; ".join(str(e) for e in self.errors))

    @property
    def codes(self) -> set[str]:
        return {e.code for e in self.errors}


class _Unknown(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "?"


def fill(template: str, params: Mapping[str, Any]) -> str:
    """A message with its error's numbers filled in: a number the sentence names but the error
    does not carry shows as "?", never as "{name}"; a sentence that is no template stays as is."""
    try:
        return template.format_map(_Unknown(params))
    except (IndexError, ValueError):
        return template

"""The field merge of sync, pure and shared by client and server: last writer wins by
`(hlc, device_id)`, and a conflict is a change from another device the writer had not seen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from .protocol import WHOLE_RECORD


class Stamped(Protocol):
    """What merge reads of an op: `protocol.Op`, or an outbox change of the client."""

    @property
    def field(self) -> str: ...
    @property
    def hlc(self) -> int: ...
    @property
    def device_id(self) -> str: ...
    @property
    def base_seq(self) -> int | None: ...


@dataclass(frozen=True)
class FieldState:
    """The value a field holds now, who stamped it, and the server_seq it went in under."""

    value: Any
    hlc: int
    device_id: str
    server_seq: int


@dataclass(frozen=True)
class Decision:
    apply: bool
    conflict: bool


def wins(op: Stamped, current: FieldState) -> bool:
    """Whether `op` orders after what the field holds: the greater `(hlc, device_id)` wins."""
    return (op.hlc, op.device_id) > (current.hlc, current.device_id)


def merge(current: FieldState | None, op: Stamped) -> Decision:
    """Whether `op` goes in over `current`, and whether it is a conflict: another device changed
    the field after the server_seq (`base_seq`) the op's device had seen. Visit notes
    (field `*`) never conflict. The outcome never depends on the order ops arrive in."""
    if current is None:
        return Decision(apply=True, conflict=False)
    conflict = (
        op.field != WHOLE_RECORD
        and current.server_seq > (op.base_seq or 0)
        and current.device_id != op.device_id
    )
    return Decision(apply=wins(op, current), conflict=conflict)

"""Hybrid logical clock (SYNC.md): orders concurrent edits of one field; never used as a cursor."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

COUNTER_BITS = 16
_COUNTER_MASK = (1 << COUNTER_BITS) - 1


@dataclass(frozen=True, order=True)
class Timestamp:
    """Wall-clock milliseconds plus a counter; packs into one sortable 64-bit integer."""

    millis: int
    counter: int = 0

    def pack(self) -> int:
        return (self.millis << COUNTER_BITS) | self.counter

    @classmethod
    def unpack(cls, value: int) -> Timestamp:
        return cls(value >> COUNTER_BITS, value & _COUNTER_MASK)


class ClockAhead(Exception):
    """A remote stamp is further ahead of our wall clock than the sync protocol allows."""

    def __init__(self, ahead_ms: int) -> None:
        self.ahead_ms = ahead_ms
        super().__init__(f"clock_ahead ({ahead_ms} ms)")


class HybridLogicalClock:
    """`now()` for a local event; `receive()` for a stamp seen from elsewhere (server_time)."""

    def __init__(self, wall_ms: Callable[[], int], last: Timestamp | None = None) -> None:
        self._wall_ms = wall_ms
        self._last = last or Timestamp(0)

    @property
    def last(self) -> Timestamp:
        return self._last

    def now(self) -> Timestamp:
        wall = self._wall_ms()
        if wall > self._last.millis:
            self._last = Timestamp(wall)
        else:
            self._last = self._advance(self._last.millis, self._last.counter + 1)
        return self._last

    def receive(self, remote: Timestamp, max_ahead_ms: int | None = None) -> Timestamp:
        wall = self._wall_ms()
        if max_ahead_ms is not None and remote.millis - wall > max_ahead_ms:
            raise ClockAhead(remote.millis - wall)
        top = max(wall, self._last.millis, remote.millis)
        if top == self._last.millis == remote.millis:
            counter = max(self._last.counter, remote.counter) + 1
        elif top == self._last.millis:
            counter = self._last.counter + 1
        elif top == remote.millis:
            counter = remote.counter + 1
        else:
            counter = 0
        self._last = self._advance(top, counter)
        return self._last

    @staticmethod
    def _advance(millis: int, counter: int) -> Timestamp:
        # More than 65,535 events in one millisecond: borrow the next millisecond.
        if counter > _COUNTER_MASK:
            return Timestamp(millis + 1, 0)
        return Timestamp(millis, counter)

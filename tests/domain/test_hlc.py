"""The hybrid logical clock: monotonic, ordered, and loud about a clock far ahead."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feltkonsulent.domain.hlc import ClockAhead, HybridLogicalClock, Timestamp


class Wall:
    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_stamps_increase_even_when_the_wall_clock_stands_still_or_goes_back() -> None:
    wall = Wall(1_000)
    clock = HybridLogicalClock(wall)
    first = clock.now()
    second = clock.now()
    wall.ms = 500
    third = clock.now()
    assert first < second < third
    assert third.millis == 1_000 and third.counter == 2


def test_receive_moves_past_a_remote_stamp() -> None:
    clock = HybridLogicalClock(Wall(1_000))
    got = clock.receive(Timestamp(5_000, 7))
    assert got == Timestamp(5_000, 8)
    assert clock.now() > got


def test_a_remote_stamp_beyond_the_bound_is_refused() -> None:
    clock = HybridLogicalClock(Wall(1_000))
    with pytest.raises(ClockAhead) as caught:
        clock.receive(Timestamp(1_000 + 600_001), max_ahead_ms=600_000)
    assert caught.value.ahead_ms == 600_001
    assert clock.receive(Timestamp(1_000 + 600_000), max_ahead_ms=600_000).millis == 601_000


@given(st.lists(st.tuples(st.booleans(), st.integers(0, 10_000), st.integers(0, 5)), max_size=60))
def test_any_mix_of_local_and_received_events_is_strictly_increasing(
    events: list[tuple[bool, int, int]],
) -> None:
    wall = Wall(0)
    clock = HybridLogicalClock(wall)
    last = clock.last
    for local, ms, counter in events:
        wall.ms = ms
        stamp = clock.now() if local else clock.receive(Timestamp(ms // 2 * 3, counter))
        assert stamp > last
        last = stamp


@given(st.integers(0, 2**40), st.integers(0, 2**16 - 1))
def test_packing_keeps_order_and_round_trips(millis: int, counter: int) -> None:
    stamp = Timestamp(millis, counter)
    assert Timestamp.unpack(stamp.pack()) == stamp
    assert Timestamp(millis, counter).pack() < Timestamp(millis + 1, 0).pack()


def test_counter_overflow_borrows_the_next_millisecond() -> None:
    clock = HybridLogicalClock(Wall(10), Timestamp(10, 2**16 - 1))
    assert clock.now() == Timestamp(11, 0)

"""The merge: last writer wins by (hlc, device_id) in any delivery order, replays change
nothing, and a conflict is an unseen change from another device."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from feltkonsulent.sync.merge import FieldState, merge
from feltkonsulent.sync.protocol import WHOLE_RECORD, Op


def make_op(hlc: int, device: str, value: Any = None, base_seq: int | None = None,
            field: str = "name") -> Op:
    return Op(f"{device}-{hlc}", "companies", "r1", "t1", field, value, hlc, device, base_seq)


@dataclass
class Field:
    """One field on a server: ops merged in arrival order, each winner numbered."""

    state: FieldState | None = None
    seq: int = 0

    def deliver(self, op: Op) -> bool:
        decision = merge(self.state, op)
        if decision.apply:
            self.seq += 1
            self.state = FieldState(op.value, op.hlc, op.device_id, self.seq)
        return decision.apply


stamps = st.lists(
    st.tuples(st.integers(0, 50), st.sampled_from(["a", "b", "c"])), min_size=1, max_size=12,
    unique=True,
)


@given(stamps, st.randoms(use_true_random=False))
def test_any_delivery_order_ends_with_the_greatest_stamp(pairs: list[tuple[int, str]], rnd: Any) -> None:
    ops = [make_op(hlc, device, value=f"{device}{hlc}", base_seq=rnd.randint(0, 5))
           for hlc, device in pairs]
    shuffled = ops[:]
    rnd.shuffle(shuffled)
    field = Field()
    for op in shuffled:
        field.deliver(op)
    winner = max(ops, key=lambda o: (o.hlc, o.device_id))
    assert field.state is not None
    assert (field.state.value, field.state.hlc, field.state.device_id) == (
        winner.value, winner.hlc, winner.device_id)


@given(stamps, st.randoms(use_true_random=False))
def test_replaying_ops_changes_nothing(pairs: list[tuple[int, str]], rnd: Any) -> None:
    ops = [make_op(hlc, device, value=hlc) for hlc, device in pairs]
    field = Field()
    for op in ops:
        field.deliver(op)
    before = field.state
    for op in rnd.sample(ops, len(ops)):
        assert not field.deliver(op)
    assert field.state == before


def test_the_first_value_goes_in_without_conflict() -> None:
    decision = merge(None, make_op(1, "a"))
    assert decision.apply and not decision.conflict


def test_an_unseen_change_of_another_device_is_a_conflict_whoever_wins() -> None:
    current = FieldState("old", hlc=10, device_id="a", server_seq=5)
    later = merge(current, make_op(11, "b", base_seq=4))
    earlier = merge(current, make_op(9, "b", base_seq=4))
    assert (later.apply, later.conflict) == (True, True)
    assert (earlier.apply, earlier.conflict) == (False, True)


def test_no_conflict_over_a_seen_value_or_ones_own() -> None:
    current = FieldState("old", hlc=10, device_id="a", server_seq=5)
    assert merge(current, make_op(11, "b", base_seq=5)).conflict is False
    assert merge(current, make_op(11, "a", base_seq=None)).conflict is False


def test_a_first_edit_over_another_devices_value_without_base_seq_conflicts() -> None:
    current = FieldState("old", hlc=10, device_id="a", server_seq=1)
    assert merge(current, make_op(11, "b", base_seq=None)).conflict


def test_visit_notes_never_conflict() -> None:
    current = FieldState({"text": "x"}, hlc=10, device_id="a", server_seq=5)
    assert not merge(current, make_op(11, "b", field=WHOLE_RECORD)).conflict


def test_the_device_id_breaks_a_tie_of_hlc() -> None:
    current = FieldState("a's", hlc=10, device_id="a", server_seq=1)
    assert merge(current, make_op(10, "b", base_seq=1)).apply
    assert not merge(FieldState("b's", 10, "b", 1), make_op(10, "a", base_seq=1)).apply

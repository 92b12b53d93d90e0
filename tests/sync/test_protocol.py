"""The wire messages: every message survives a round trip, and a malformed one is refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feltkonsulent.sync.protocol import (
    MAX_BATCH_OPS,
    ErrorBody,
    Health,
    JsonText,
    Op,
    ProtocolError,
    PulledChange,
    PullResponse,
    PushRequest,
    PushResponse,
    PushResult,
    Status,
    compact_json,
    format_time,
    parse_time,
    payload_hash,
)

TIME = "2026-11-22T09:30:00.000Z"
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1)
    | st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"))
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00")), inner, max_size=3),
    max_leaves=8,
)
# Any text but a NUL, which no id may hold (PostgreSQL's text cannot store it).
ids = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=8)
counts = st.integers(min_value=0, max_value=2**63 - 1)


def op(**changes: Any) -> dict[str, Any]:
    data = {"op_id": "o1", "entity": "companies", "row_id": "r1", "team_id": "t1", "field": "name",
            "value": "Bageriet Ørsted ApS", "hlc": 5 << 16, "device_id": "d1", "base_seq": None}
    return {**data, **changes}


def push(**changes: Any) -> dict[str, Any]:
    data = {"protocol_version": 1, "schema_version": 4, "device_id": "d1", "batch_seq": 1,
            "ops": [op()]}
    return {**data, **changes}


ops = st.builds(Op, op_id=ids, entity=ids, row_id=ids, team_id=ids, field=ids, value=json_values,
                hlc=counts, device_id=st.just("d1"), base_seq=st.none() | counts)


@given(st.lists(ops, max_size=5, unique_by=lambda o: o.op_id), counts, counts.filter(bool))
def test_a_push_request_survives_a_round_trip(batch: list[Op], schema: int, seq: int) -> None:
    request = PushRequest(1, schema, "d1", seq, tuple(batch))
    assert PushRequest.from_json(request.to_json()) == request


@pytest.mark.parametrize("message", [
    PushResponse((PushResult("o1", Status.ACCEPTED, 3, None),
                  PushResult("o2", Status.REJECTED, None, "forbidden_team")), 3, "e", TIME),
    PullResponse((PulledChange(3, "o1", "companies", "r1", "t1", "name", {"a": [1]}, 9, "d1"),),
                 3, True, "e", TIME),
    Health("ok", 1, "e", TIME),
    ErrorBody("batch_gap", "batch 3 expected", expected=3),
    ErrorBody("clock_ahead", server_time=TIME, ahead_ms=700_000),
    ErrorBody("upgrade_required", minimum=2),
])
def test_every_answer_survives_a_round_trip(message: Any) -> None:
    assert type(message).from_json(message.to_json()) == message


def test_an_error_body_leaves_out_what_it_does_not_have() -> None:
    assert ErrorBody("unauthorized").to_json() == {"error": "unauthorized"}


@pytest.mark.parametrize("bad", [
    push(ops=[op(hlc=True)]),  # a bool is not a number here
    push(ops=[op(hlc=-1)]),
    push(ops=[op(hlc="5")]),
    push(ops=[op(entity="")]),
    push(ops=[op(base_seq=1.5)]),
    push(ops=[{k: v for k, v in op().items() if k != "value"}]),  # null is a value; absent is not
    push(ops=[{k: v for k, v in op().items() if k != "base_seq"}]),
    push(ops=[op(device_id="d2")]),  # every op of a batch is the batch's device's
    push(ops=[op(), op()]),  # one op_id twice
    push(ops=[op(op_id=str(n)) for n in range(MAX_BATCH_OPS + 1)]),
    push(batch_seq=0),
    push(batch_seq=2**63),  # every count fits a BIGINT column
    push(ops=[op(hlc=2**63)]),
    push(ops=[op(base_seq=2**63)]),
    push(ops={"0": op()}),
    {k: v for k, v in push().items() if k != "schema_version"},
    [push()],
])
def test_a_malformed_push_is_refused(bad: Any) -> None:
    with pytest.raises(ProtocolError):
        PushRequest.from_json(bad)


@pytest.mark.parametrize(("value", "code"), [
    (float("nan"), "not_finite"),  # Python's json reads NaN; a JSON answer cannot carry it
    ([float("inf")], "not_finite"),
    ("\ud800", "bad_text"),  # a lone surrogate: valid JSON escaping, not UTF-8
    ({"\udc00": 1}, "bad_text"),
    (2**64, "out_of_range"),
])
def test_a_value_no_storage_can_hold_is_dropped_from_its_op_with_the_reason(value: Any, code: str) -> None:
    # Not the whole batch: the server answers that one op `rejected` and takes the others.
    (read,) = PushRequest.from_json(push(ops=[op(value=value)])).ops
    assert read.value is None and read.problem is not None and read.problem.code == code


def test_unknown_keys_are_ignored_so_either_side_may_add_one() -> None:
    request = PushRequest.from_json(push(compression="none", ops=[op(extra=1)]))
    assert request.ops[0].value == "Bageriet Ørsted ApS"


def test_null_is_a_value_and_base_seq_may_be_null() -> None:
    request = PushRequest.from_json(push(ops=[op(value=None, base_seq=None)]))
    assert request.ops[0].value is None and request.ops[0].base_seq is None


@pytest.mark.parametrize("bad", [
    {"results": [{"op_id": "o", "status": "lost", "server_seq": None, "reason": None}],
     "highest_seq": 0, "server_epoch": "e", "server_time": TIME},
    {"results": [], "highest_seq": 0, "server_epoch": "e", "server_time": "yesterday"},
    {"results": [], "highest_seq": 0, "server_epoch": "e", "server_time": "2026-11-22T09:30:00"},
])
def test_a_malformed_answer_is_refused(bad: Any) -> None:
    with pytest.raises(ProtocolError):
        PushResponse.from_json(bad)


def test_a_pull_page_says_has_more_with_a_bool() -> None:
    with pytest.raises(ProtocolError):
        PullResponse.from_json({"changes": [], "next_cursor": 0, "has_more": 1,
                                "server_epoch": "e", "server_time": TIME})


@given(st.integers(min_value=0, max_value=253402300799999))
def test_server_time_is_milliseconds_in_iso_utc(millis: int) -> None:
    text = format_time(millis)
    assert text.endswith("Z") and parse_time(text) == millis


def test_the_payload_hash_ignores_key_order_but_not_content() -> None:
    assert payload_hash({"a": 1, "b": "ø"}) == payload_hash({"b": "ø", "a": 1})
    assert payload_hash({"a": 1}) != payload_hash({"a": 2})


def test_client_and_server_sum_the_digest_modulo_the_same_prime() -> None:
    # storage/ may not import sync/: the constant is written twice, and must be one.
    from feltkonsulent.storage import resync
    from feltkonsulent.sync import protocol

    assert resync.DIGEST_MODULUS == protocol.DIGEST_MODULUS == 2**31 - 1


# What JSON must escape and what it may carry as it is, in values and in ids alike.
AWKWARD_TEXT = ["Ø", "🙂 Ærø", 'a lone "', "back\\slash", "\n\t\x01\x1f\x7f", "", "\u2028\u2029 \ufeff"]
AWKWARD_VALUES = [
    None, True, False, 0, -1, 2**63 - 1, 10**40, -(10**30), 1.5, -0.0, 1e-7, 1e16, 3.141592653589793,
    *AWKWARD_TEXT, {"note": {"lines": ["Ø", None, [True, 2.5, {"": '\\"'}]], "n": 10**20}}, [], {},
]


def starlette_bytes(page: PullResponse) -> bytes:
    """What the server sent before pages were spliced: JSONResponse(page.to_json())."""
    return json.dumps(page.to_json(), ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def page_of(values: list[Any], texts: list[str], *, stored: bool) -> PullResponse:
    def text(n: int, prefix: str) -> str:
        return prefix + texts[n % len(texts)]

    changes = tuple(
        PulledChange(n + 1, text(n, "op"), "visit_notes", text(n + 1, "r"), text(n + 2, "t"), "*",
                     JsonText(compact_json(value)) if stored else value, (n + 1) << 16, text(n + 3, "d"))
        for n, value in enumerate(values)
    )
    return PullResponse(changes, len(values), True, "epoch \"Ø\"", TIME)


def test_a_page_of_stored_values_is_written_byte_for_byte_as_before() -> None:
    page = page_of(AWKWARD_VALUES, AWKWARD_TEXT, stored=True)
    plain = page_of(AWKWARD_VALUES, AWKWARD_TEXT, stored=False)
    assert page.encode() == starlette_bytes(page) == plain.encode() == starlette_bytes(plain)
    assert PullResponse.from_json(json.loads(page.encode())) == plain  # the values as they were stored
    empty = PullResponse((), 7, False, "e", TIME)
    assert empty.encode() == starlette_bytes(empty) == b'{"changes":[],"next_cursor":7,"has_more":false,' \
        b'"server_epoch":"e","server_time":"2026-11-22T09:30:00.000Z"}'


@given(st.lists(json_values, max_size=6), st.lists(ids, min_size=1, max_size=4), st.booleans())
def test_any_page_is_written_byte_for_byte_as_its_json(values: list[Any], texts: list[str],
                                                       stored: bool) -> None:
    page = page_of(values, texts, stored=stored)
    assert page.encode() == starlette_bytes(page)

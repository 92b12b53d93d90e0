"""What fuzzing the server found (test_fuzz.py), each pinned by a plain request over real HTTP:
- a count beyond 64 bits (cursor, schema_version, hlc, base_seq) was a 500 (OverflowError in
  SQLite); it is a 400, and the description says `maximum`;
- a value with NaN or Infinity (Python's json reads them) was stored, and from then on every pull
  of the team was a 500 (a JSON answer cannot carry them); it is a 400 and nothing is stored;
- a lone surrogate (`"\\ud800"`, valid JSON escaping, not UTF-8) in a value was a 500;
- the description promised FastAPI's `422 HTTPValidationError` for input that is answered
  `400 ErrorBody`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from feltkonsulent.domain.ids import uuid7
from feltkonsulent.sync.protocol import MAX_COUNT, PullResponse

from ..conftest import SyncServer
from .helpers import Device, batch, op

TOO_BIG = MAX_COUNT + 1


@pytest.fixture
def device(sync_server: SyncServer) -> Iterator[Device]:
    d = Device(sync_server.url, sync_server.token_for("team-a", "anna"))
    yield d
    d.close()


def post_raw(d: Device, text: str) -> httpx.Response:
    return d.http.post("/v1/push", content=text.encode("utf-8"),
                       headers={"Content-Type": "application/json"})


def assert_nothing_stored(d: Device) -> None:
    page = d.pull()
    assert page.changes == () and page.next_cursor == 0


@pytest.mark.parametrize("cursor", [TOO_BIG, 2**70])
def test_a_cursor_beyond_64_bits_is_a_bad_request(device: Device, cursor: int) -> None:
    answer = device.http.get("/v1/pull", params={"cursor": cursor})
    assert (answer.status_code, answer.json()["error"]) == (400, "bad_request")
    assert device.http.get("/v1/pull", params={"cursor": MAX_COUNT}).status_code == 200


@pytest.mark.parametrize("where", ["schema_version", "batch_seq", "hlc", "base_seq"])
def test_a_count_beyond_64_bits_in_a_push_is_a_bad_request(sync_server: SyncServer, device: Device,
                                                           where: str) -> None:
    the_op = op("team-a", device.device_id, sync_server.clock())
    body = batch(device.device_id, 1, [the_op])
    (the_op if where in the_op else body)[where] = TOO_BIG
    answer = device.http.post("/v1/push", json=body)
    assert (answer.status_code, answer.json()["error"]) == (400, "bad_request")
    assert where in answer.json()["message"]
    assert_nothing_stored(device)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_a_value_json_cannot_carry_is_refused_and_pulls_keep_working(
    sync_server: SyncServer, device: Device, number: str
) -> None:
    good = op("team-a", device.device_id, sync_server.clock(), value="Bageriet")
    bad = {**good, "op_id": uuid7(), "field": "employee_count", "value": 0.5}
    text = json.dumps(batch(device.device_id, 1, [good, bad]))
    answer = post_raw(device, text.replace("0.5", number))
    # The op is refused, not the batch: one bad value never blocks the sender's queue.
    assert answer.status_code == 200, answer.text
    assert [(r["status"], r["reason"]) for r in answer.json()["results"]] == [
        ("accepted", None), ("rejected", "bad_value")]
    assert [(c.field, c.value) for c in device.pull().changes] == [("name", "Bageriet")]


@pytest.mark.parametrize("value", ['"\\ud800"', '{"\\udc00": 1}', '["ok", "a\\ud83dz"]'])
def test_a_lone_surrogate_in_a_value_is_refused(sync_server: SyncServer, device: Device,
                                                value: str) -> None:
    good = op("team-a", device.device_id, sync_server.clock(), field="added_later", value="@@")
    answer = post_raw(device, json.dumps(batch(device.device_id, 1, [good])).replace('"@@"', value))
    assert answer.status_code == 200, answer.text
    (result,) = answer.json()["results"]
    assert (result["status"], result["reason"], result["detail"]["code"]) == (
        "rejected", "bad_value", "bad_text")
    assert_nothing_stored(device)


def test_a_value_nested_too_deeply_is_a_bad_request(sync_server: SyncServer, device: Device) -> None:
    good = op("team-a", device.device_id, sync_server.clock(), value="@@")
    text = json.dumps(batch(device.device_id, 1, [good]))
    for depth in (5_000, 100_000):
        answer = post_raw(device, text.replace('"@@"', "[" * depth + "]" * depth))
        assert (answer.status_code, answer.json()["error"]) == (400, "bad_request")
    assert_nothing_stored(device)


@pytest.mark.parametrize("token", ["valid", None, "unknown"])
def test_a_body_that_is_not_json_is_a_bad_request_whatever_the_token(
    sync_server: SyncServer, token: str | None
) -> None:
    headers = {"Content-Type": "application/json"}
    if token is not None:
        secret = sync_server.token_for("team-a", "anna") if token == "valid" else "x" * 43
        headers |= sync_server.headers(secret)
    answer = httpx.post(f"{sync_server.url}/v1/push", content=b"\x00", headers=headers)
    assert answer.status_code == 400
    assert answer.json() == {"error": "bad_request", "message": "body.0: JSON decode error"}


def responses(schema: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    return schema["paths"][path][method]["responses"]  # type: ignore[no-any-return]


def test_the_description_documents_the_answers_the_server_gives(sync_server: SyncServer) -> None:
    schema = httpx.get(f"{sync_server.url}/openapi.json").json()
    error = {"$ref": "#/components/schemas/ErrorBody"}
    push, pull = responses(schema, "post", "/v1/push"), responses(schema, "get", "/v1/pull")
    assert set(push) == {"200", "400", "401", "403", "409", "413", "422", "426", "429"}
    assert set(pull) == {"200", "400", "401", "429"}
    for status, answer in [*push.items(), *pull.items()]:
        if status != "200":
            assert answer["content"]["application/json"]["schema"] == error, status
    assert "HTTPValidationError" not in json.dumps(schema)
    cursor = next(p for p in schema["paths"]["/v1/pull"]["get"]["parameters"] if p["name"] == "cursor")
    assert cursor["schema"]["maximum"] == MAX_COUNT


def test_a_page_at_the_greatest_cursor_is_empty(device: Device) -> None:
    answer = device.http.get("/v1/pull", params={"cursor": MAX_COUNT, "limit": 1})
    page = PullResponse.from_json(answer.json())
    assert (page.changes, page.next_cursor, page.has_more) == ((), MAX_COUNT, False)

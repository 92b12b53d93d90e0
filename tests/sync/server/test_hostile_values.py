"""A teammate's push of a value no laptop can hold is answered `rejected` / `bad_value`, with the
value boundary's code and field, never stored and never a 5xx; the rest of its batch goes in.
The body is sent as raw text, as a hand-made or broken client would: `1e400` parses as infinity,
`"\\ud800"` as a lone surrogate (on both server storages)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from ..conftest import SyncServer
from .helpers import Device, batch, op

ROW = "0193c5e2-7b1a-7c3d-9e4f-0a1b2c3d4e5f"
DEEP = "[" * 100 + "]" * 100  # (1,000 deep the body is refused whole: 400 bad_request)

# (field, the value as raw JSON text, the boundary's code)
HOSTILE = [
    ("employee_count", "1e400", "not_finite"),
    ("employee_count", "1" + "0" * 400, "out_of_range"),
    ("employee_count", '"tolv"', "bad_value"),
    ("employee_count", "-5", "out_of_range"),
    ("name", '"Netto \\ud800"', "bad_text"),
    ("name", "null", "required"),
    ("name", '"' + "N" * 201 + '"', "too_long"),
    ("notes", '"' + "x" * 300_000 + '"', "too_large"),
    ("notes", '"' + "x" * 20_001 + '"', "too_long"),
    ("notes", '"nul \\u0000"', "bad_text"),
    ("added_in_a_newer_version", DEEP, "too_deep"),
    ("deleted", '"yes"', "bad_value"),
]


@pytest.fixture
def device(sync_server: SyncServer) -> Iterator[Device]:
    d = Device(sync_server.url, sync_server.token_for("team-a", "anna"))
    yield d
    d.close()


def raw_push(d: Device, field: str, raw: str, now: int) -> dict[str, object]:
    """One batch: the hostile op between two good ones, the body written by hand."""
    good = [op("team-a", d.device_id, now, row_id=ROW, field="city", value="Vejle"),
            op("team-a", d.device_id, now, row_id=ROW, field="industry", value="Detail")]
    bad = op("team-a", d.device_id, now, row_id=ROW, field=field, value="@@VALUE@@")
    d.batch_seq += 1
    body = json.dumps(batch(d.device_id, d.batch_seq, [good[0], bad, good[1]]))
    body = body.replace('"@@VALUE@@"', raw)
    answer = d.http.post("/v1/push", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 200, answer.text[:300]
    result: dict[str, object] = answer.json()
    return result


@pytest.mark.parametrize(("field", "raw", "code"), HOSTILE, ids=[f"{f}-{c}" for f, _, c in HOSTILE])
def test_a_hostile_value_is_rejected_with_its_reason_and_the_rest_of_the_batch_goes_in(
    sync_server: SyncServer, device: Device, field: str, raw: str, code: str
) -> None:
    answer = raw_push(device, field, raw, sync_server.clock())
    results = answer["results"]
    assert isinstance(results, list)
    assert [(r["status"], r["reason"]) for r in results] == [
        ("accepted", None), ("rejected", "bad_value"), ("accepted", None)]
    assert results[1]["detail"] == {"code": code, "field": field}
    pulled = device.pull_all()
    assert sorted(c.field for c in pulled) == ["city", "industry"]  # the bad value is not stored

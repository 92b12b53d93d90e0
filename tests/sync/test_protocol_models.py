"""The wire protocol is written twice: `sync/protocol.py` (the contract, hand-written dataclasses
that read and write JSON) and `sync/server/models.py` (pydantic: what FastAPI checks and the
OpenAPI description). They are kept alike here, field by field: the same names, the same fields
optional, and every message the contract writes is one the model takes, with the same keys."""

from __future__ import annotations

import dataclasses
import re
import typing
from typing import Any

import pytest
from pydantic import BaseModel

from feltkonsulent.sync import protocol
from feltkonsulent.sync.server import models

# Every message of the contract and its model (models.Unavailable is the 503 of /v1/health only).
PAIRS: list[tuple[type[Any], type[BaseModel]]] = [
    (protocol.Op, models.Op), (protocol.PushRequest, models.PushRequest),
    (protocol.OtherSide, models.OtherSide), (protocol.PushResult, models.PushResult),
    (protocol.PushResponse, models.PushResponse), (protocol.PulledChange, models.PulledChange),
    (protocol.PullResponse, models.PullResponse), (protocol.EntityDigest, models.EntityDigest),
    (protocol.DigestRequest, models.DigestRequest), (protocol.DigestResponse, models.DigestResponse),
    (protocol.Health, models.Health), (protocol.Me, models.Me),
    (protocol.ErrorBody, models.ErrorBody),
]
SERVER_ONLY = {protocol.Op: {"problem"}}  # the server's own note of a value it dropped on reading

OP = protocol.Op("0193c5e2-7b1a-7c3d-9e4f-0a1b2c3d4e5f", "companies", "0193c5e2-7b1a-7c3d-9e4f-0a1b2c3d4e60",
                 "vejle", "name", "Netto", 1 << 16, "dev-1", None)
OTHER = protocol.OtherSide("Bilka", 2 << 16, "dev-2", "anna")
RESULT = protocol.PushResult(OP.op_id, protocol.Status.CONFLICT, 7, None, OTHER,
                             {"code": "too_long", "field": "name"})
PULLED = protocol.PulledChange(server_seq=7, op_id=OP.op_id, entity="companies", row_id=OP.row_id,
                               team_id="vejle", field="name", value="Netto", hlc=1 << 16,
                               device_id="dev-1")
NOW = "2026-12-04T09:30:00.000Z"
SAMPLES: dict[type[Any], Any] = {
    protocol.Op: OP,
    protocol.PushRequest: protocol.PushRequest(1, 10, "dev-1", 3, (OP,), True),
    protocol.OtherSide: OTHER,
    protocol.PushResult: RESULT,
    protocol.PushResponse: protocol.PushResponse((RESULT,), 7, "epoch-1", NOW),
    protocol.PulledChange: PULLED,
    protocol.PullResponse: protocol.PullResponse((PULLED,), 7, False, "epoch-1", NOW),
    protocol.EntityDigest: protocol.EntityDigest(3, 12345),
    protocol.DigestRequest: protocol.DigestRequest({"companies": ("city", "name")}),
    protocol.ErrorBody: protocol.ErrorBody("rate_limited", "try again later", retry_after_s=30),
    protocol.DigestResponse: protocol.DigestResponse(
        {"companies": protocol.EntityDigest(3, 12345)}, 7, "epoch-1", NOW),
}


def contract_fields(cls: type[Any]) -> dict[str, bool]:
    """Field name -> whether it may be left out or null, as the dataclass declares it (its
    annotations are text: `from __future__ import annotations`)."""
    found = {}
    for f in dataclasses.fields(cls):
        if f.name in SERVER_ONLY.get(cls, set()):
            continue
        has_default = f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        found[f.name] = has_default or re.search(r"\bNone\b", str(f.type)) is not None
    return found


def model_fields(model: type[BaseModel]) -> dict[str, bool]:
    return {name: not info.is_required() or type(None) in typing.get_args(info.annotation)
            for name, info in model.model_fields.items()}


@pytest.mark.parametrize(("contract", "model"), PAIRS, ids=[c.__name__ for c, _ in PAIRS])
def test_the_contract_and_the_model_have_the_same_fields_optional_alike(
    contract: type[Any], model: type[BaseModel]
) -> None:
    assert contract_fields(contract) == model_fields(model)


@pytest.mark.parametrize("contract", list(SAMPLES), ids=[c.__name__ for c in SAMPLES])
def test_what_the_contract_writes_the_model_takes_with_the_same_keys(contract: type[Any]) -> None:
    model = dict(PAIRS)[contract]
    written = SAMPLES[contract].to_json()
    taken = model.model_validate(written, strict=False)
    assert set(taken.model_dump(exclude_unset=True)) == set(written)
    assert contract.from_json(written) == SAMPLES[contract]

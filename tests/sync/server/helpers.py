"""Talking to the test server: ops, batches and pages as a client would send and read them."""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from feltkonsulent.domain.ids import uuid7
from feltkonsulent.sync.protocol import PullResponse, PushResponse

_counter = itertools.count(1)


def op(team: str, device: str, hlc_ms: int, *, field: str = "name", value: Any = "x",
       row_id: str = "row-1", entity: str = "companies", base_seq: int | None = None,
       counter: int = 0) -> dict[str, Any]:
    return {"op_id": uuid7(), "entity": entity, "row_id": row_id, "team_id": team, "field": field,
            "value": value, "hlc": (hlc_ms << 16) | counter, "device_id": device,
            "base_seq": base_seq}


def batch(device: str, seq: int, ops: list[dict[str, Any]]) -> dict[str, Any]:
    return {"protocol_version": 1, "schema_version": 4, "device_id": device, "batch_seq": seq,
            "ops": ops}


class Device:
    """One installation talking to the server with its token, numbering its own batches."""

    def __init__(self, url: str, token: str, device_id: str | None = None) -> None:
        self.http = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"})
        self.device_id = device_id or uuid7()
        self.batch_seq = 0

    def send(self, ops: list[dict[str, Any]]) -> httpx.Response:
        self.batch_seq += 1
        return self.http.post("/v1/push", json=batch(self.device_id, self.batch_seq, ops))

    def push(self, ops: list[dict[str, Any]]) -> PushResponse:
        answer = self.send(ops)
        assert answer.status_code == 200, answer.text
        return PushResponse.from_json(answer.json())

    def pull(self, cursor: int = 0, limit: int = 500) -> PullResponse:
        answer = self.http.get("/v1/pull", params={"cursor": cursor, "limit": limit})
        assert answer.status_code == 200, answer.text
        return PullResponse.from_json(answer.json())

    def pull_all(self, limit: int = 500) -> list[Any]:
        changes: list[Any] = []
        cursor, more = 0, True
        while more:
            page = self.pull(cursor, limit)
            changes += page.changes
            cursor, more = page.next_cursor, page.has_more
        return changes

    def close(self) -> None:
        self.http.close()

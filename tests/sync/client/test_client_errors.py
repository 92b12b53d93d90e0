"""Answers a real server seldom gives, played by a stub transport: upgrade_required, a batch
mismatch, a busy server, an address that is no sync server. The outbox survives each one."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage.changes import pending_count
from feltkonsulent.sync.client import Retry, SyncError, sync_round
from tests import factories
from tests.sync.client.conftest import MakeWorkspace

NO_WAIT = Retry(attempts=3, first_delay=0, sleep=lambda _: None)
Handler = Callable[[httpx.Request], httpx.Response]


def with_change(make_workspace: MakeWorkspace) -> Workspace:
    ws = make_workspace("a")
    ws.repos.companies.add(factories.company(team_id="team-1"))
    return ws


def round_with(ws: Workspace, handler: Handler) -> SyncError:
    with pytest.raises(SyncError) as failed:
        sync_round(ws.store, "http://sync.test", "token", retry=NO_WAIT,
                   transport=httpx.MockTransport(handler))
    return failed.value


@pytest.mark.parametrize(
    ("status", "body", "code"),
    [
        (426, {"error": "upgrade_required", "minimum": 2}, "upgrade_required"),
        (409, {"error": "batch_mismatch", "message": "batch 1 was stored with other ops"},
         "batch_mismatch"),
        (403, {"error": "forbidden_device"}, "forbidden_device"),
        (400, {"error": "bad_request", "message": "push: missing 'ops'"}, "bad_request"),
    ],
)
def test_a_refusal_stops_the_round_and_keeps_the_outbox(
    make_workspace: MakeWorkspace, status: int, body: dict[str, object], code: str
) -> None:
    ws = with_change(make_workspace)
    ops = pending_count(ws.store)
    error = round_with(ws, lambda _: httpx.Response(status, json=body))
    assert error.code == code
    assert pending_count(ws.store) == ops
    if code == "upgrade_required":
        assert error.extra["minimum"] == 2


def test_a_busy_server_is_tried_again_then_given_up(make_workspace: MakeWorkspace) -> None:
    ws = with_change(make_workspace)
    calls: list[str] = []

    def busy(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return httpx.Response(503, text="busy")

    error = round_with(ws, busy)
    assert error.code == "unreachable" and "503" in error.detail
    assert calls == ["/v1/push"] * NO_WAIT.attempts


def test_an_address_that_is_no_sync_server_says_so(make_workspace: MakeWorkspace) -> None:
    ws = with_change(make_workspace)
    error = round_with(ws, lambda _: httpx.Response(404, text="<html>Not found</html>"))
    assert error.code == "not_a_server"


def test_a_batch_gap_that_moves_again_stops(make_workspace: MakeWorkspace) -> None:
    ws = with_change(make_workspace)
    asked: list[int] = []

    def moving(request: httpx.Request) -> httpx.Response:
        asked.append(json.loads(request.read())["batch_seq"])
        return httpx.Response(409, json={"error": "batch_gap", "expected": len(asked) + 10})

    error = round_with(ws, moving)
    assert error.code == "batch_gap"
    assert asked == [1, 11]
    assert pending_count(ws.store) > 0


def test_the_token_goes_in_the_authorization_header(make_workspace: MakeWorkspace) -> None:
    ws = with_change(make_workspace)
    seen: list[str | None] = []

    def unauthorized(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("Authorization"))
        return httpx.Response(401, json={"error": "unauthorized"})

    assert round_with(ws, unauthorized).code == "unauthorized"
    assert seen == ["Bearer token"]

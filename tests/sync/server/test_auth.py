"""Who may ask, over real HTTP on 127.0.0.1: revoked and expired tokens told so, failed
authentication limited per account and per address (then allowed again, by the server's clock),
logged without a token or a body, X-Forwarded-For only behind a proxy, `/v1/health`."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from feltkonsulent.sync.server.ratelimit import FailureLimiter, Limit
from feltkonsulent.sync.server.storage import new_token

from ..conftest import ServerClock, SyncServer, start_server
from .helpers import Device, op

WINDOW_MS = 60_000
CPR = "0101901234"


@pytest.fixture
def limited(tmp_path: Path) -> Iterator[SyncServer]:
    """A server whose limits are small: 3 failures of an address, 2 of an account, a minute."""
    clock = ServerClock()
    limiter = FailureLimiter(clock, account=Limit(2, WINDOW_MS), address=Limit(3, WINDOW_MS))
    with start_server(tmp_path / "server.db", clock, limiter=limiter) as server:
        yield server


def get(server: SyncServer, token: str | None, **headers: str) -> httpx.Response:
    auth = server.headers(token) if token else {}
    return httpx.get(f"{server.url}/v1/pull", headers={**auth, **headers})


def error(answer: httpx.Response) -> tuple[int, str]:
    return answer.status_code, answer.json()["error"]


def test_a_revoked_user_and_an_expired_token_are_told_why(sync_server: SyncServer) -> None:
    anna, bo = sync_server.token_for("t", "anna"), sync_server.token_for("t", "bo")
    sync_server.storage.revoke_user("anna", sync_server.clock())
    assert error(get(sync_server, anna)) == (401, "device_revoked")
    assert get(sync_server, bo).status_code == 200
    sync_server.clock.offset_ms = 2 * 86_400_000  # past the test tokens' one day
    assert error(get(sync_server, bo)) == (401, "token_expired")
    assert error(get(sync_server, anna)) == (401, "device_revoked"), "revoked is said before expired"


def test_unknown_tokens_are_limited_per_address_then_allowed_after_the_window(limited: SyncServer) -> None:
    valid = limited.token_for("t", "anna")
    for _ in range(3):
        assert error(get(limited, new_token())) == (401, "unauthorized")
    refused = get(limited, new_token())
    assert error(refused) == (429, "rate_limited")
    assert refused.json()["retry_after_s"] == int(refused.headers["retry-after"]) == 60
    # Refused before any token is looked up: from this address a valid token waits too.
    assert get(limited, valid).status_code == 429
    limited.clock.offset_ms = WINDOW_MS - 20_000
    assert int(get(limited, None).headers["retry-after"]) in (20, 21)
    limited.clock.offset_ms = WINDOW_MS + 1
    assert get(limited, valid).status_code == 200
    assert error(get(limited, None)) == (401, "unauthorized")


def test_a_revoked_account_is_limited_and_its_users_other_devices_are_not(limited: SyncServer) -> None:
    lost = limited.token_for("t", "anna", "lost laptop")
    new = limited.token_for("t", "anna", "new laptop")
    limited.storage.revoke_device(limited.device_id("anna", "lost laptop"), limited.clock())
    assert [error(get(limited, lost)) for _ in range(2)] == [(401, "device_revoked")] * 2
    assert error(get(limited, lost)) == (429, "rate_limited")
    assert get(limited, new).status_code == 200, "a valid token is never slowed"
    assert error(get(limited, new_token())) == (401, "unauthorized"), "the address is not limited"
    limited.clock.offset_ms = WINDOW_MS + 1
    assert error(get(limited, lost)) == (401, "device_revoked")


def test_x_forwarded_for_is_taken_only_behind_a_tls_proxy(tmp_path: Path) -> None:
    for behind_proxy in (False, True):
        clock = ServerClock()
        limiter = FailureLimiter(clock, address=Limit(1, WINDOW_MS))
        with start_server(tmp_path / f"{behind_proxy}.db", clock, limiter=limiter,
                          behind_proxy=behind_proxy) as server:
            statuses = [get(server, None, **{"X-Forwarded-For": f"10.0.0.9, 192.0.2.{n}"}).status_code
                        for n in range(3)]
        # Behind the proxy each last entry is another client; without, the header is anyone's.
        assert statuses == ([401, 401, 401] if behind_proxy else [401, 429, 429])


def test_no_token_and_no_body_in_any_log_line(
    limited: SyncServer, caplog: pytest.LogCaptureFixture
) -> None:
    expired, revoked = limited.token_for("t", "anna", "old"), limited.token_for("t", "bo", "lost")
    limited.storage.revoke_device(limited.device_id("bo", "lost"), limited.clock())
    unknown = new_token()
    caplog.set_level(logging.DEBUG)
    limited.clock.offset_ms = 2 * 86_400_000
    body = {"device_id": "x", "batch_seq": 1, "ops": [op("t", "x", limited.clock(), value=CPR)]}
    for token in (expired, revoked, unknown, expired, revoked, unknown, unknown, unknown):
        httpx.post(f"{limited.url}/v1/push", json=body, headers=limited.headers(token))
    for header in (f"Basic {unknown}", unknown, f"Bearer {unknown} {CPR}"):
        httpx.get(f"{limited.url}/v1/pull", headers={"Authorization": header})
    lines = [record.getMessage() for record in caplog.records]
    failures = [line for line in lines if "authentication failed" in line]
    assert any("(expired) from 127.0.0.1 user anna device" in line for line in failures)
    assert any("(revoked) from 127.0.0.1 user bo device" in line for line in failures)
    assert any("(unknown) from 127.0.0.1: POST /v1/push" in line for line in failures)
    for secret in (expired, revoked, unknown):
        for part in (secret, secret[:8], secret[-8:]):
            assert not any(part in line for line in lines), "a token in the log"
    assert not any(CPR in line for line in lines), "a body in the log"


def test_health_is_ok_only_while_the_database_answers(sync_server: SyncServer) -> None:
    answer = httpx.get(f"{sync_server.url}/v1/health")
    assert (answer.status_code, answer.json()["status"]) == (200, "ok")
    sync_server.storage.close()
    answer = httpx.get(f"{sync_server.url}/v1/health")
    assert (answer.status_code, answer.json()) == (503, {"status": "unavailable"})



def test_a_user_taken_out_of_a_team_pulls_nothing_of_it_at_once(sync_server: SyncServer) -> None:
    anna, bo = sync_server.token_for("nord", "anna"), sync_server.token_for("nord", "bo")
    pusher = Device(sync_server.url, bo)
    pusher.push([op("nord", pusher.device_id, sync_server.clock())])
    reader = Device(sync_server.url, anna)
    assert len(reader.pull().changes) == 1
    assert sync_server.storage.remove_membership("nord", "anna")
    assert reader.pull().changes == ()
    assert reader.push([op("nord", reader.device_id, sync_server.clock())]).results[0].reason == (
        "forbidden_team")
    pusher.close()
    reader.close()

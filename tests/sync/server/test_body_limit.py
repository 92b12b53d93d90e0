"""A push body over the limit is refused 413 before it is read: by its Content-Length at once, a
chunked one as soon as it goes over (the rest never read), over a raw socket to a real server."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from feltkonsulent.sync.protocol import MAX_BATCH_OPS
from feltkonsulent.sync.server.bodylimit import MAX_BODY_BYTES, BodyLimit

from ..conftest import SyncServer, start_server
from .helpers import Device, op

LIMIT = 64 * 1024


@pytest.fixture
def small(tmp_path: Path) -> Iterator[SyncServer]:
    with start_server(tmp_path / "server.db", max_body_bytes=LIMIT) as server:
        yield server


def raw_post(server: SyncServer, head: str, body: bytes = b"") -> tuple[int, dict[str, Any]]:
    where = urlsplit(server.url)
    token = server.token_for("t", "anna")
    request = (f"POST /v1/push HTTP/1.1\r\nHost: {where.hostname}\r\nAuthorization: Bearer {token}\r\n"
               f"Content-Type: application/json\r\n{head}\r\n").encode() + body
    with socket.create_connection((where.hostname, where.port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    return int(status_line.split()[1]), json.loads(rest.partition(b"\r\n\r\n")[2])


def test_a_content_length_over_the_limit_is_refused_without_a_body(small: SyncServer) -> None:
    status, body = raw_post(small, f"Content-Length: {10 * 1024**3}\r\n")
    assert (status, body["error"]) == (413, "payload_too_large")


def test_a_chunked_body_over_the_limit_is_refused(small: SyncServer) -> None:
    chunk = b"x" * 4096
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(LIMIT // 4096 + 2))
    head = "Transfer-Encoding: chunked\r\nConnection: close\r\n"
    status, body = raw_post(small, head, chunks + b"0\r\n\r\n")
    assert (status, body["error"]) == (413, "payload_too_large")


def test_a_body_within_the_limit_goes_through(small: SyncServer) -> None:
    d = Device(small.url, small.token_for("t", "anna"))
    note = "æøå " * 2000  # 14 KB of UTF-8
    assert d.push([op("t", d.device_id, small.clock(), field="notes",
                      value=note)]).results[0].status == "accepted"
    d.close()


def test_the_rest_of_an_oversized_body_is_never_read() -> None:
    asked = 0

    async def receive() -> dict[str, Any]:
        nonlocal asked
        asked += 1
        return {"type": "http.request", "body": b"x" * 1000, "more_body": True}  # never ends

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def app(*_: Any) -> None:
        raise AssertionError("the app is not called")

    scope = {"type": "http", "headers": [(b"transfer-encoding", b"chunked")]}
    asyncio.run(BodyLimit(app, max_bytes=10_000)(scope, receive, send))  # type: ignore[arg-type]
    assert asked == 11
    assert sent[0]["status"] == 413


def test_the_limit_leaves_room_for_a_full_batch_of_long_notes() -> None:
    assert MAX_BODY_BYTES == 8 * 1024 * 1024
    assert MAX_BODY_BYTES // MAX_BATCH_OPS >= 16 * 1024

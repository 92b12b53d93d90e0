"""A request body larger than the protocol needs is refused 413 before it is read into memory.

The largest honest body is a push of 500 ops (`MAX_BATCH_OPS`). Most ops are a field of a few
bytes; a visit note is one op carrying the whole note. 8 MiB is 16 KiB an op on average — 500
visit notes of some 8,000 characters each (Danish letters are two bytes in UTF-8, JSON adds
quotes and escapes), several times any note written at a workplace. Anything larger is a mistake
or an attack; reading it whole first would let one request take the server's memory.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from feltkonsulent.sync.protocol import MAX_PUSH_BYTES, ErrorBody, ErrorCode

MAX_BODY_BYTES = MAX_PUSH_BYTES


class BodyLimit:
    """ASGI middleware: a `Content-Length` over `max_bytes` is refused at once; a body without
    one (chunked) is read up to `max_bytes` and refused as soon as it goes over, the rest unread.
    A body within the limit is handed on whole, as the app would have read it anyway."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await _too_large(send, self.max_bytes)
            return
        body = await self._read(receive)
        if body is None:
            await _too_large(send, self.max_bytes)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return b"".join(chunks)
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # after the body: wait for the client to disconnect
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def _too_large(send: Send, max_bytes: int) -> None:
    body = ErrorBody(ErrorCode.PAYLOAD_TOO_LARGE,
                     f"the request body is larger than {max_bytes} bytes").to_json()
    content = json.dumps(body).encode()
    # Connection: close — the rest of the body is not read, so the connection cannot be reused.
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(content)).encode()),
        (b"connection", b"close"),
    ]})
    await send({"type": "http.response.body", "body": content})

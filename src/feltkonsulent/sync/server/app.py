"""The sync server's HTTP side: `/v1/push`, `/v1/pull`, `/v1/me` and `/v1/health` of docs/sync.md,
and who may ask: tokens, refusals that say why to the token's holder, and the failure limits."""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from feltkonsulent import __version__
from feltkonsulent.sync import protocol
from feltkonsulent.sync.protocol import (
    DEFAULT_PULL_LIMIT,
    MAX_COUNT,
    MAX_PULL_LIMIT,
    PROTOCOL_VERSION,
    ErrorBody,
    ErrorCode,
    ProtocolError,
)

from . import models
from .bodylimit import MAX_BODY_BYTES, BodyLimit
from .ratelimit import FailureLimiter
from .storage import AuthFailure, Denied, Principal, Refused, ServerStorage, token_hash

Clock = Callable[[], int]
log = logging.getLogger(__name__)


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": models.ErrorBody, "description": "bad_request: not the protocol"},
    401: {"model": models.ErrorBody, "description": "unauthorized: no token, or an unknown one; "
          "device_revoked: the token or its device was revoked; token_expired"},
    429: {"model": models.ErrorBody, "description": "rate_limited: too many failed authentications "
          "of this account or address; `retry_after_s` and the Retry-After header say when to try"},
}
_PUSH_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    403: {"model": models.ErrorBody, "description": "forbidden_device: token of another installation"},
    409: {"model": models.ErrorBody, "description": "batch_mismatch, or batch_gap with `expected`"},
    413: {"model": models.ErrorBody, "description": "payload_too_large: a body over "
          f"{MAX_BODY_BYTES} bytes, refused before it is read"},
    422: {"model": models.ErrorBody, "description": "clock_ahead: nothing stored"},
    426: {"model": models.ErrorBody, "description": "upgrade_required, with `minimum`"},
}
# What the holder of a token that is not taken is told (docs/sync.md "Authentication").
_DENIALS = {
    AuthFailure.UNKNOWN: ErrorBody(ErrorCode.UNAUTHORIZED, "missing or unknown token"),
    AuthFailure.REVOKED: ErrorBody(ErrorCode.DEVICE_REVOKED,
                                   "this device's access was revoked by the administrator"),
    AuthFailure.EXPIRED: ErrorBody(ErrorCode.TOKEN_EXPIRED, "the token has expired"),
}
_bearer = HTTPBearer(auto_error=False, description="a device token (`server add-user`)")


class RateLimited(Exception):
    def __init__(self, retry_after_s: int) -> None:
        super().__init__(retry_after_s)
        self.retry_after_s = retry_after_s


Message = TypeVar("Message", protocol.PushRequest, protocol.DigestRequest)


def _read(message: type[Message], body: BaseModel) -> Message:
    """The protocol's message from what FastAPI checked; what only the protocol checks (an op of
    another device, NaN, a lone surrogate, …) is a 400 like any other bad input."""
    try:
        return message.from_json(body.model_dump())
    except ProtocolError as error:
        raise Refused(400, ErrorBody(ErrorCode.BAD_REQUEST, str(error))) from None


def _refusal(status: int, body: ErrorBody) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body.to_json(), status_code=status, headers=headers)


def client_address(request: Request) -> str:
    """The address failures are counted against: the connection's, or behind a TLS proxy (and
    only then: anyone can send the header) the last X-Forwarded-For entry, the one our proxy
    added. A value that is not an IP address is not taken."""
    peer = request.client.host if request.client else "unknown"
    if not request.app.state.behind_proxy:
        return peer
    forwarded = request.headers.get("x-forwarded-for", "").rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(forwarded))
    except ValueError:
        return peer


def _principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    limiter: FailureLimiter = request.app.state.limiter
    address = client_address(request)
    # Before any lookup: a flood from one address costs nothing once it is over the limit.
    if wait := limiter.retry_after_s("address", address):
        raise RateLimited(wait)
    found: Principal | Denied = Denied(AuthFailure.UNKNOWN)
    if credentials is not None:
        storage: ServerStorage = request.app.state.storage
        found = storage.authenticate(token_hash(credentials.credentials), request.app.state.clock())
    if isinstance(found, Principal):
        return found
    _log_failure(request, found, address)
    if found.user_id is None:  # no account to count an unknown token against
        limiter.failed("address", address)
    elif wait := limiter.retry_after_s("account", found.user_id):
        raise RateLimited(wait)
    else:
        limiter.failed("account", found.user_id)
    raise Refused(401, _DENIALS[found.reason])


def _log_failure(request: Request, denied: Denied, address: str) -> None:
    # Reason, address, account: never the token, nor any part of it, nor the body.
    who = f" user {denied.user_id} device {denied.device_id}" if denied.user_id else ""
    log.warning("authentication failed (%s) from %s%s: %s %s", denied.reason, address, who,
                request.method, request.url.path)


Auth = Annotated[Principal, Depends(_principal)]


def _add_error_handlers(app: FastAPI) -> None:
    """Every error answer is an ErrorBody (docs/sync.md), never FastAPI's own shape."""

    @app.exception_handler(Refused)
    def refused(_: Request, error: Refused) -> JSONResponse:
        return _refusal(error.status, error.body)

    @app.exception_handler(RateLimited)
    def limited(_: Request, error: RateLimited) -> JSONResponse:
        body = ErrorBody(ErrorCode.RATE_LIMITED, "too many failed authentications; try again later",
                         retry_after_s=error.retry_after_s)
        return JSONResponse(body.to_json(), status_code=429,
                            headers={"Retry-After": str(error.retry_after_s)})

    @app.exception_handler(RequestValidationError)
    def invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        # Where and what, never the input itself: it may hold a CPR number.
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        return _refusal(400, ErrorBody(ErrorCode.BAD_REQUEST, f"{where}: {first.get('msg', 'invalid')}"))

    @app.exception_handler(HTTPException)
    def http_error(_: Request, error: HTTPException) -> JSONResponse:
        # 400: a body FastAPI could not read at all (it names no field, so neither do we).
        code = {400: ErrorCode.BAD_REQUEST, 404: "not_found", 405: "method_not_allowed"}.get(
            error.status_code, "http_error"
        )
        # Starlette's own words ("Not Found", "There was an error parsing the body"), never input.
        return JSONResponse({"error": str(code), "message": str(error.detail)},
                            status_code=error.status_code)


def _describe_errors_honestly(app: FastAPI) -> None:
    """FastAPI describes a `422 HTTPValidationError` on every operation with parameters or a body.
    This server answers a request that does not validate with `400 ErrorBody` (the handler
    above), so that 422 is taken out of the description; push's 422 is clock_ahead, an ErrorBody
    documented with the route."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        for operations in schema["paths"].values():
            for operation in operations.values():
                answers = operation.get("responses", {})
                if "HTTPValidationError" in str(answers.get("422", {})):
                    del answers["422"]
        for name in ("HTTPValidationError", "ValidationError"):
            schema.get("components", {}).get("schemas", {}).pop(name, None)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(
    storage: ServerStorage, clock: Clock = wall_ms, *, limiter: FailureLimiter | None = None,
    behind_proxy: bool = False, max_body_bytes: int = MAX_BODY_BYTES,
) -> FastAPI:
    """The ASGI app over `storage`; `clock` gives epoch milliseconds (faked in tests). Failed
    authentication is limited by `limiter` (default: `ratelimit`'s numbers on `clock`);
    `behind_proxy` takes the client's address from X-Forwarded-For."""
    app = FastAPI(
        title="Feltkonsulent sync server",
        version=__version__,
        description="Push a device's outbox, pull the team's changes (docs/sync.md).",
        # The interactive pages load scripts from a CDN; the description stays at /openapi.json.
        docs_url=None,
        redoc_url=None,
    )
    app.state.storage = storage
    app.state.clock = clock
    app.state.limiter = limiter or FailureLimiter(clock)
    app.state.behind_proxy = behind_proxy
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    _add_error_handlers(app)
    _describe_errors_honestly(app)

    @app.get("/v1/health", response_model=models.Health, summary="Is the server up",
             responses={503: {"model": models.Unavailable,
                              "description": "the database does not answer"}})
    def health() -> JSONResponse:
        if not storage.healthy():
            return JSONResponse({"status": "unavailable"}, status_code=503)
        now = clock()
        answer = protocol.Health("ok", PROTOCOL_VERSION, storage.server_epoch, protocol.format_time(now))
        return JSONResponse(answer.to_json())

    @app.get("/v1/me", response_model=models.Me, responses=_ERRORS,
             summary="Who the token speaks for, and the user's teams")
    def me(who: Auth) -> JSONResponse:
        return JSONResponse(protocol.Me(who.user_id, tuple(sorted(who.team_ids))).to_json())

    @app.post("/v1/push", response_model=models.PushResponse, responses=_PUSH_ERRORS,
              summary="Push one batch of a device's outbox")
    def push(batch: models.PushRequest, who: Auth) -> JSONResponse:
        request = _read(protocol.PushRequest, batch)
        return JSONResponse(storage.push(who, request, clock()).to_json())

    @app.post("/v1/digest", response_model=models.DigestResponse, responses=_ERRORS,
              summary="Counts and checksums per entity of the user's teams, to compare after catching up")
    def digest(body: models.DigestRequest, who: Auth) -> JSONResponse:
        request = _read(protocol.DigestRequest, body)
        return JSONResponse(storage.digest(who, request.fields, clock()).to_json())

    @app.get("/v1/pull", response_model=models.PullResponse, responses=_ERRORS,
             summary="Pull the changes of the user's teams after a cursor")
    def pull(
        who: Auth,
        cursor: Annotated[
            int, Query(ge=0, le=MAX_COUNT, description="the next_cursor of the last page")
        ] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
    ) -> Response:
        # The bytes JSONResponse would write, with the stored values spliced in as they are.
        return Response(storage.pull(who, cursor, limit, clock()).encode(), media_type="application/json")

    return app

"""The wire messages of sync — the contract of docs/sync.md, as frozen dataclasses.

Each message has `to_json() -> dict` and `from_json(dict)`; `from_json` is strict: a missing or
mistyped field raises `ProtocolError` (the server answers it with 400). Keys it does not know are
ignored, so either side may add an optional field without breaking the other.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from json.encoder import encode_basestring
from typing import Any, Self, TypeVar

from feltkonsulent.domain.errors import DomainError
from feltkonsulent.domain.limits import check_json

PROTOCOL_VERSION = 1
# The oldest client protocol a server still serves; older ones get 426 upgrade_required.
MIN_PROTOCOL_VERSION = 1
# An op stamped further ahead of server_time than this is answered clock_ahead (SYNC.md).
MAX_AHEAD_MS = 600_000
MAX_BATCH_OPS = 500
# The largest push body a server takes (sync/server/bodylimit.py): 16 KiB an op and some room.
MAX_PUSH_BYTES = MAX_BATCH_OPS * 16 * 1024 + 192 * 1024  # 8 MiB
DEFAULT_PULL_LIMIT = 500
MAX_PULL_LIMIT = 1000
# Visit notes are one op carrying the whole note under this field; they never conflict.
WHOLE_RECORD = "*"
HLC_COUNTER_BITS = 16
# The digest (`POST /v1/digest`) sums each field's `hlc` modulo this prime: small enough that a
# sum over millions of fields stays inside a BIGINT in SQLite and PostgreSQL alike.
DIGEST_MODULUS = 2_147_483_647
# Every count (hlc, server_seq, batch_seq, …) is stored in a BIGINT column (SQLite, PostgreSQL):
# a greater one is refused as malformed instead of failing in the database.
MAX_COUNT = 2**63 - 1


class ProtocolError(ValueError):
    """A message that does not follow docs/sync.md."""


class Status(StrEnum):
    ACCEPTED = "accepted"
    SUPERSEDED = "superseded"
    CONFLICT = "conflict"
    REJECTED = "rejected"


class RejectReason(StrEnum):
    FORBIDDEN_TEAM = "forbidden_team"
    UNKNOWN_ENTITY = "unknown_entity"
    # The value (or the row id) is outside the value boundary (domain.limits): the answer's
    # `detail` names the boundary's code and field. Never stored.
    BAD_VALUE = "bad_value"
    # The op is larger than the server takes in one request (the client's own answer, never sent).
    TOO_LARGE = "too_large"


class ErrorCode(StrEnum):
    """The `error` of an `ErrorBody`, with its HTTP status in docs/sync.md."""

    BAD_REQUEST = "bad_request"  # 400
    UNAUTHORIZED = "unauthorized"  # 401
    DEVICE_REVOKED = "device_revoked"  # 401
    TOKEN_EXPIRED = "token_expired"  # 401
    FORBIDDEN_DEVICE = "forbidden_device"  # 403
    BATCH_MISMATCH = "batch_mismatch"  # 409
    BATCH_GAP = "batch_gap"  # 409
    CLOCK_AHEAD = "clock_ahead"  # 422
    PAYLOAD_TOO_LARGE = "payload_too_large"  # 413
    UPGRADE_REQUIRED = "upgrade_required"  # 426
    RATE_LIMITED = "rate_limited"  # 429


# -- time --------------------------------------------------------------------------------------
def format_time(millis: int) -> str:
    """Epoch milliseconds as `server_time`: ISO 8601 UTC with milliseconds and `Z`."""
    moment = datetime.fromtimestamp(millis / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis % 1000:03d}Z"


def parse_time(text: str) -> int:
    """`server_time` back to epoch milliseconds (raises ProtocolError)."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ProtocolError(f"not an ISO 8601 time: {text!r}") from None
    if moment.tzinfo is None:
        raise ProtocolError(f"time without a zone: {text!r}")
    return round(moment.timestamp() * 1000)


def hlc_millis(hlc: int) -> int:
    """The wall-clock part of a packed HLC (`domain.hlc.Timestamp.pack()`)."""
    return hlc >> HLC_COUNTER_BITS


def canonical_json(data: Any) -> bytes:
    """The bytes a payload hash is taken over: sorted keys, no spaces, UTF-8. Raises ValueError
    for what JSON cannot carry: NaN or infinity, a lone surrogate (UnicodeEncodeError)."""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def payload_hash(data: Any) -> str:
    return hashlib.sha256(canonical_json(data)).hexdigest()


def compact_json(data: Any) -> str:
    """JSON as an answer carries it: no spaces, keys in their order, non-ASCII as it is — what
    Starlette's JSONResponse writes. Raises ValueError for NaN or infinity."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


@dataclass(frozen=True)
class JsonText:
    """A value kept as the compact JSON text the server stored it as (what `compact_json` gives
    for a value a push may carry): passed on in a pull page as it is, decoded only where needed."""

    text: str

    def decoded(self) -> Any:
        return json.loads(self.text)


def _plain(value: Any) -> Any:
    return value.decoded() if isinstance(value, JsonText) else value


# -- strict readers ----------------------------------------------------------------------------
T = TypeVar("T")


def _mapping(data: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ProtocolError(f"{what}: expected an object")
    return data


def _get(data: Mapping[str, Any], key: str, kind: type[T], what: str) -> T:
    if key not in data:
        raise ProtocolError(f"{what}: missing {key!r}")
    value = data[key]
    # bool is an int in Python, never in the protocol.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ProtocolError(f"{what}: {key!r} must be {kind.__name__}")
    return value


def _text(data: Mapping[str, Any], key: str, what: str) -> str:
    value = _get(data, key, str, what)
    if not value:
        raise ProtocolError(f"{what}: {key!r} must not be empty")
    _no_nul(value, f"{what}: {key!r}")
    return value


def _no_nul(text: str, what: str) -> None:
    # An id or a name is stored as text as it is, and PostgreSQL's text cannot hold a NUL (values
    # are stored as JSON, where it is escaped). Refused on both storages alike.
    if "\x00" in text:
        raise ProtocolError(f"{what} must not hold a NUL character")


def _count(data: Mapping[str, Any], key: str, what: str, minimum: int = 0) -> int:
    value = _get(data, key, int, what)
    if value < minimum:
        raise ProtocolError(f"{what}: {key!r} must be at least {minimum}")
    if value > MAX_COUNT:
        raise ProtocolError(f"{what}: {key!r} must be at most {MAX_COUNT}")
    return value


def _optional_count(data: Mapping[str, Any], key: str, what: str) -> int | None:
    if data.get(key) is None:
        if key not in data:
            raise ProtocolError(f"{what}: missing {key!r}")
        return None
    return _count(data, key, what)


def _optional_text(data: Mapping[str, Any], key: str, what: str) -> str | None:
    if data.get(key) is None:
        if key not in data:
            raise ProtocolError(f"{what}: missing {key!r}")
        return None
    return _get(data, key, str, what)


def _list(data: Mapping[str, Any], key: str, what: str) -> list[Any]:
    return _get(data, key, list, what)


def _value(data: Mapping[str, Any], key: str, what: str) -> Any:
    if key not in data:
        raise ProtocolError(f"{what}: missing {key!r}")
    return data[key]


def _storable(data: Any, what: str) -> None:
    """Refuse what parses as JSON in Python but cannot be stored, hashed or sent back: NaN and
    infinity (Python's json reads them; a JSON answer may not carry them), a lone surrogate
    (`"\\ud800"` is valid JSON escaping but no UTF-8), nesting deeper than the encoder's stack."""
    try:
        canonical_json(data)
    except UnicodeEncodeError:
        raise ProtocolError(f"{what}: a string that is not Unicode text (a lone surrogate)") from None
    except ValueError:
        raise ProtocolError(f"{what}: a number JSON cannot carry (NaN or infinity)") from None
    except RecursionError:
        raise ProtocolError(f"{what}: nested too deeply") from None


def _detail(data: Any) -> Mapping[str, str] | None:
    """A rejection's detail: texts by name; anything else (an older or newer server) is left out."""
    if not isinstance(data, Mapping):
        return None
    return {str(k): v for k, v in data.items() if isinstance(v, str)}


# -- messages ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Op:
    """One field set by one device: the unit of push and of merge."""

    op_id: str
    entity: str
    row_id: str
    team_id: str
    field: str
    value: Any
    hlc: int
    device_id: str
    base_seq: int | None
    # Set by the server's reading of a push for a value JSON can carry in Python but not store
    # (NaN, infinity, a lone surrogate, nesting too deep): the value is dropped, the op is
    # answered `rejected` / `bad_value`, and the rest of its batch goes on.
    problem: DomainError | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "op_id": self.op_id, "entity": self.entity, "row_id": self.row_id,
            "team_id": self.team_id, "field": self.field, "value": self.value, "hlc": self.hlc,
            "device_id": self.device_id, "base_seq": self.base_seq,
        }
        if self.problem is not None:  # only on the server: the batch's hash tells it apart
            data["problem"] = self.problem.code
        return data

    @classmethod
    def from_json(cls, data: Any) -> Self:
        d = _mapping(data, "op")
        value = _value(d, "value", "op")
        _storable({k: v for k, v in d.items() if k != "value"}, "op")
        problem = check_json(value, d.get("field") if isinstance(d.get("field"), str) else None)
        return cls(
            op_id=_text(d, "op_id", "op"), entity=_text(d, "entity", "op"),
            row_id=_text(d, "row_id", "op"), team_id=_text(d, "team_id", "op"),
            field=_text(d, "field", "op"), value=None if problem is not None else value,
            hlc=_count(d, "hlc", "op"), device_id=_text(d, "device_id", "op"),
            base_seq=_optional_count(d, "base_seq", "op"), problem=problem,
        )


@dataclass(frozen=True)
class PushRequest:
    protocol_version: int
    schema_version: int
    device_id: str
    batch_seq: int
    ops: tuple[Op, ...]
    # A resync sends again values the server lost in a restore, with the stamps they had: their
    # ops may carry another device's id (docs/sync.md "Resync"). Otherwise every op is the batch's.
    resend: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "protocol_version": self.protocol_version, "schema_version": self.schema_version,
            "device_id": self.device_id, "batch_seq": self.batch_seq,
            "ops": [op.to_json() for op in self.ops],
        }
        if self.resend:  # left out otherwise: a batch stored before the flag hashes the same
            data["resend"] = True
        return data

    @classmethod
    def from_json(cls, data: Any) -> Self:
        d = _mapping(data, "push")
        _storable({k: v for k, v in d.items() if k != "ops"}, "push")
        ops = tuple(Op.from_json(op) for op in _list(d, "ops", "push"))
        if len(ops) > MAX_BATCH_OPS:
            raise ProtocolError(f"push: more than {MAX_BATCH_OPS} ops in one batch")
        if len({op.op_id for op in ops}) != len(ops):
            raise ProtocolError("push: an op_id twice in one batch")
        device_id = _text(d, "device_id", "push")
        resend = _get(d, "resend", bool, "push") if d.get("resend") is not None else False
        if not resend and any(op.device_id != device_id for op in ops):
            raise ProtocolError("push: an op of another device")
        return cls(
            protocol_version=_count(d, "protocol_version", "push"),
            schema_version=_count(d, "schema_version", "push"),
            device_id=device_id, batch_seq=_count(d, "batch_seq", "push", minimum=1), ops=ops,
            resend=resend,
        )


@dataclass(frozen=True)
class OtherSide:
    """In a `conflict` answer: the value the field held when the op arrived, and who set it
    (the installation, and its user when the server knows it), for the user's list of conflicts."""

    value: Any
    hlc: int
    device_id: str
    user_id: str | None

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "hlc": self.hlc, "device_id": self.device_id,
                "user_id": self.user_id}

    @classmethod
    def from_json(cls, data: Any) -> Self:
        d = _mapping(data, "other")
        return cls(
            value=_value(d, "value", "other"), hlc=_count(d, "hlc", "other"),
            device_id=_text(d, "device_id", "other"),
            user_id=_optional_text(d, "user_id", "other"),
        )


@dataclass(frozen=True)
class PushResult:
    op_id: str
    status: Status
    server_seq: int | None
    reason: str | None
    other: OtherSide | None = None  # conflict: the other side; bad_value: what the field holds
    # bad_value: the boundary's code and the field it names ({"code": "not_finite", "field": …})
    detail: Mapping[str, str] | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "op_id": self.op_id, "status": str(self.status), "server_seq": self.server_seq,
            "reason": self.reason,
        }
        if self.other is not None:
            data["other"] = self.other.to_json()
        if self.detail is not None:
            data["detail"] = dict(self.detail)
        return data

    @classmethod
    def from_json(cls, data: Any) -> Self:
        d = _mapping(data, "result")
        try:
            status = Status(_get(d, "status", str, "result"))
        except ValueError:
            raise ProtocolError(f"result: unknown status {d['status']!r}") from None
        return cls(
            op_id=_text(d, "op_id", "result"), status=status,
            server_seq=_optional_count(d, "server_seq", "result"),
            reason=_optional_text(d, "reason", "result"),
            other=OtherSide.from_json(d["other"]) if d.get("other") is not None else None,
            detail=_detail(d.get("detail")),
        )


@dataclass(frozen=True)
class PushResponse:
    results: tuple[PushResult, ...]
    highest_seq: int
    server_epoch: str
    server_time: str

    def to_json(self) -> dict[str, Any]:
        return {
            "results": [r.to_json() for r in self.results], "highest_seq": self.highest_seq,
            "server_epoch": self.server_epoch, "server_time": self.server_time,
        }

    @classmethod
    def from_json(cls, data: Any) -> Self:
        d = _mapping(data, "push response")
        return cls(
            results=tuple(PushResult.from_json(r) for r in _list(d, "results", "push response")),
            highest_seq=_count(d, "highest_seq", "push response"),
            server_epoch=_text(d, "server_epoch", "push response"),
            server_time=_time(d, "push response"),
        )


@dataclass(frozen=True)
class PulledChange:
    server_seq: int
    op_id: str
    entity: str
    row_id: str
    team_id: str
    field: str
    value: Any  # on the server a JsonText, the value as stored; decoded in `to_json`
    hlc: int
    device_id: str

    def to_json(self) -> dict[str, Any]:
        return {
            "server_seq": self.server_seq, "op_id": self.op_id, "entity": self.entity,
            "row_id": self.row_id, "team_id": self.team_id, "field": self.field,
            "value": _plain(self.value), "hlc": self.hlc, "device_id": self.device_id,
        }

    def encode(self) -> str:
        """`compact_json(self.to_json())`, with a stored value's text as it is (the keys in the
        same order: tests/sync/test_protocol.py compares the two)."""
        quote = encode_basestring  # json.dumps's own, with ensure_ascii=False
        value = self.value.text if isinstance(self.value, JsonText) else compact_json(self.value)
        return (
            f'{{"server_seq":{self.server_seq},"op_id":{quote(self.op_id)},"entity":{quote(self.entity)},'
            f'"row_id":{quote(self.row_id)},"team_id":{quote(self.team_id)},"field":{quote(self.field)},'
            f'"value":{value},"hlc":{self.hlc},"device_id":{quote(self.device_id)}}}'
        )

    @classmethod
    def from_json(cls, data: Any) -> Self:
        d = _mapping(data, "change")
        return cls(
            server_seq=_count(d, "server_seq", "change", minimum=1),
            op_id=_text(d, "op_id", "change"), entity=_text(d, "entity", "change"),
            row_id=_text(d, "row_id", "change"), team_id=_text(d, "team_id", "change"),
            field=_text(d, "field", "change"), value=_value(d, "value", "change"),
            hlc=_count(d, "hlc", "change"), device_id=_text(d, "device_id", "change"),
        )


@dataclass(frozen=True)
class PullResponse:
    changes: tuple[PulledChange, ...]
    next_cursor: int
    has_more: bool
    server_epoch: str
    server_time: str

    def to_json(self) -> dict[str, Any]:
        return {"changes": [c.to_json() for c in self.changes], **self._rest()}

    def encode(self) -> bytes:
        """The answer's bytes: `compact_json(self.to_json())` in UTF-8, but each stored value
        (`JsonText`) spliced in as its text. Decoding every value and encoding it again, and
        the dicts in between, were most of a page's cost: 500 changes, a third of them visit
        notes of ~700 characters, took 3.2–3.9 ms from stored rows to bytes, now ~1.6 ms."""
        changes = ",".join([change.encode() for change in self.changes])
        return f'{{"changes":[{changes}],{compact_json(self._rest())[1:]}'.encode()

    def _rest(self) -> dict[str, Any]:
        return {"next_cursor": self.next_cursor, "has_more": self.has_more,
                "server_epoch": self.server_epoch, "server_time": self.server_time}

    @classmethod
    def from_json(cls, data: Any) -> Self:
        d = _mapping(data, "pull response")
        return cls(
            changes=tuple(PulledChange.from_json(c) for c in _list(d, "changes", "pull response")),
            next_cursor=_count(d, "next_cursor", "pull response"),
            has_more=_get(d, "has_more", bool, "pull response"),
            server_epoch=_text(d, "server_epoch", "pull response"),
            server_time=_time(d, "pull response"),
        )


@dataclass(frozen=True)
class EntityDigest:
    """Of one entity's fields that the client knows, in the user's teams: how many there are and
    the sum of their `hlc` modulo `DIGEST_MODULUS` — equal on both sides when they hold the same
    winners."""

    count: int
    checksum: int

    def to_json(self) -> dict[str, Any]:
        return {"count": self.count, "checksum": self.checksum}

    @classmethod
    def from_json(cls, data: Any) -> Self:
        d = _mapping(data, "digest")
        return cls(count=_count(d, "count", "digest"), checksum=_count(d, "checksum", "digest"))


def _names(data: Any, what: str) -> tuple[str, ...]:
    if not isinstance(data, list) or not all(isinstance(n, str) and n for n in data):
        raise ProtocolError(f"{what}: expected a list of names")
    for name in data:
        _no_nul(name, what)
    return tuple(data)


@dataclass(frozen=True)
class DigestRequest:
    """The fields the client knows, per entity: the digest covers only those (a newer client's
    fields are on the server and not here, SYNC.md property 8)."""

    fields: dict[str, tuple[str, ...]]

    def to_json(self) -> dict[str, Any]:
        return {"fields": {entity: list(names) for entity, names in sorted(self.fields.items())}}

    @classmethod
    def from_json(cls, data: Any) -> Self:
        d = _mapping(data, "digest request")
        fields = _mapping(_value(d, "fields", "digest request"), "digest request fields")
        if len(fields) > 64 or sum(len(v) if isinstance(v, list) else 0 for v in fields.values()) > 1024:
            raise ProtocolError("digest request: too many fields")
        for entity in fields:
            _no_nul(str(entity), "digest request")
        return cls({str(e): _names(names, f"digest request {e}") for e, names in fields.items()})


@dataclass(frozen=True)
class DigestResponse:
    """Per entity the digest of the user's teams, as of `as_of` (the greatest server_seq of the
    teams): a client compares only when its cursor has reached `as_of`."""

    entities: dict[str, EntityDigest]
    as_of: int
    server_epoch: str
    server_time: str

    def to_json(self) -> dict[str, Any]:
        return {
            "entities": {e: d.to_json() for e, d in sorted(self.entities.items())},
            "as_of": self.as_of, "server_epoch": self.server_epoch, "server_time": self.server_time,
        }

    @classmethod
    def from_json(cls, data: Any) -> Self:
        d = _mapping(data, "digest response")
        entities = _mapping(_value(d, "entities", "digest response"), "digest response entities")
        return cls(
            entities={str(e): EntityDigest.from_json(v) for e, v in entities.items()},
            as_of=_count(d, "as_of", "digest response"),
            server_epoch=_text(d, "server_epoch", "digest response"),
            server_time=_time(d, "digest response"),
        )


@dataclass(frozen=True)
class Health:
    status: str
    protocol_version: int
    server_epoch: str
    server_time: str

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status, "protocol_version": self.protocol_version,
            "server_epoch": self.server_epoch, "server_time": self.server_time,
        }

    @classmethod
    def from_json(cls, data: Any) -> Self:
        d = _mapping(data, "health")
        return cls(
            status=_text(d, "status", "health"),
            protocol_version=_count(d, "protocol_version", "health"),
            server_epoch=_text(d, "server_epoch", "health"), server_time=_time(d, "health"),
        )


@dataclass(frozen=True)
class Me:
    """Who a token speaks for: the user and the teams whose records the device may sync. A
    database made before its first sync joins its one team (storage.team)."""

    user_id: str
    teams: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"user_id": self.user_id, "teams": list(self.teams)}

    @classmethod
    def from_json(cls, data: Any) -> Self:
        d = _mapping(data, "me")
        teams = _list(d, "teams", "me")
        if not all(isinstance(t, str) and t for t in teams):
            raise ProtocolError("me: teams must be names")
        return cls(user_id=_text(d, "user_id", "me"), teams=tuple(teams))


@dataclass(frozen=True)
class ErrorBody:
    """Every non-200 answer: `error` (an ErrorCode, or another code from a newer server), a
    `message` for people and logs, and the extras of some codes; absent extras are left out."""

    error: str
    message: str | None = None
    expected: int | None = None  # batch_gap
    server_time: str | None = None  # clock_ahead
    ahead_ms: int | None = None  # clock_ahead
    minimum: int | None = None  # upgrade_required
    retry_after_s: int | None = None  # rate_limited (the Retry-After header says it too)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"error": self.error}
        for key in ("message", "expected", "server_time", "ahead_ms", "minimum", "retry_after_s"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data

    @classmethod
    def from_json(cls, data: Any) -> Self:
        d = _mapping(data, "error")
        return cls(
            error=_text(d, "error", "error"),
            message=_get(d, "message", str, "error") if d.get("message") is not None else None,
            expected=_count(d, "expected", "error") if d.get("expected") is not None else None,
            server_time=_time(d, "error") if d.get("server_time") is not None else None,
            ahead_ms=_count(d, "ahead_ms", "error") if d.get("ahead_ms") is not None else None,
            minimum=_count(d, "minimum", "error") if d.get("minimum") is not None else None,
            retry_after_s=(_count(d, "retry_after_s", "error")
                           if d.get("retry_after_s") is not None else None),
        )


def _time(d: Mapping[str, Any], what: str) -> str:
    text = _text(d, "server_time", what)
    parse_time(text)
    return text

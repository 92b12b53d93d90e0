"""The protocol's messages as pydantic models: the request shapes FastAPI checks and the
OpenAPI description. `sync/protocol.py` stays the contract; tests/sync/test_protocol_models.py
keeps the two alike, field by field."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from feltkonsulent.sync.protocol import MAX_BATCH_OPS, MAX_COUNT, PROTOCOL_VERSION

# Counts are stored as BIGINT: the description says so, and a greater one is a 400.
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
# An id or a name: not empty, and no NUL (PostgreSQL's text cannot hold one; sync/protocol.py).
Text = Annotated[str, Field(min_length=1, pattern="^[^\\x00]+$")]


class _Message(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True)


class Op(_Message):
    """One field set by one device."""

    op_id: Text = Field(description="UUIDv7 made on the device; a replay of it is ignored")
    entity: Text = Field(description="record type, e.g. `companies`")
    row_id: Text = Field(description="the record's id (UUIDv7)")
    team_id: Text = Field(description="the record's team; must be one of the user's teams")
    field: Text = Field(description="the field set; `*` is a whole visit note")
    value: Any = Field(description="the field's new value (any JSON)")
    hlc: Count = Field(description="hybrid logical clock: wall ms << 16 | counter")
    device_id: Text = Field(description="the installation that made the op (same as the batch's)")
    base_seq: Count | None = Field(description="the field's server_seq the device had seen")


class PushRequest(_Message):
    """One batch of a device's outbox; a retry sends the same ops under the same batch_seq."""

    protocol_version: Annotated[int, Field(ge=0, le=PROTOCOL_VERSION)] = Field(
        description="the client's protocol; an older one than the server serves is answered 426"
    )
    schema_version: Count = Field(description="the client database's schema version")
    device_id: Text = Field(description="the installation's id")
    batch_seq: Annotated[int, Field(ge=1, le=MAX_COUNT)] = Field(description="1, 2, 3 … per installation")
    ops: list[Op] = Field(max_length=MAX_BATCH_OPS)
    resend: bool = Field(False, description="a resync sending again values the server lost in a "
                         "restore, with their stamps: its ops may carry another device's id")


class OtherSide(_Message):
    """In a conflict: what the field held when the op came, and who set it."""

    value: Any
    hlc: int
    device_id: str
    user_id: str | None


class PushResult(_Message):
    """What became of one op."""

    op_id: str
    status: str = Field(description="accepted, superseded, conflict or rejected")
    server_seq: int | None = Field(description="set when the op went in")
    reason: str | None = Field(description="why it was rejected: forbidden_team, unknown_entity, bad_value")
    other: OtherSide | None = Field(None, description="conflict: the value the op raced, and its "
                                    "author; bad_value: what the field holds, when it holds anything")
    detail: dict[str, str] | None = Field(
        None, description="bad_value: the value boundary's `code` (not_finite, too_long, …) and `field`"
    )


class PushResponse(_Message):
    """The answer to a batch; the same answer again for a replay of it."""

    results: list[PushResult]
    highest_seq: int = Field(description="the greatest server_seq of the user's teams")
    server_epoch: str = Field(description="changes when the server database is replaced")
    server_time: str = Field(description="ISO 8601 UTC")


class PulledChange(_Message):
    """An accepted op, numbered."""

    server_seq: int
    op_id: str
    entity: str
    row_id: str
    team_id: str
    field: str
    value: Any
    hlc: int
    device_id: str


class PullResponse(_Message):
    """A page of the changes of the user's teams, in server_seq order."""

    changes: list[PulledChange]
    next_cursor: int = Field(description="the cursor of the next page, to be stored with this one")
    has_more: bool
    server_epoch: str
    server_time: str


class DigestRequest(_Message):
    """The fields the client knows, per entity."""

    fields: dict[str, list[Text]] = Field(max_length=64)


class EntityDigest(_Message):
    count: int
    checksum: int = Field(description="sum of the fields' hlc modulo 2147483647")


class DigestResponse(_Message):
    """Per entity, how many of the known fields the user's teams have, and their checksum."""

    entities: dict[str, EntityDigest]
    as_of: int = Field(description="the greatest server_seq of the user's teams")
    server_epoch: str
    server_time: str


class Health(_Message):
    """Whether the server is up, and which protocol it speaks."""

    status: str
    protocol_version: int
    server_epoch: str
    server_time: str


class Me(_Message):
    """Who the token speaks for, and the user's teams."""

    user_id: str
    teams: list[str]


class ErrorBody(_Message):
    """Every error answer."""

    error: str = Field(description="a code: bad_request, unauthorized, device_revoked, token_expired, "
                       "forbidden_device, batch_mismatch, batch_gap, payload_too_large, clock_ahead, "
                       "upgrade_required, rate_limited")
    message: str | None = None
    expected: int | None = Field(None, description="batch_gap: the batch_seq expected")
    server_time: str | None = Field(None, description="clock_ahead")
    ahead_ms: int | None = Field(None, description="clock_ahead: how far the op is ahead")
    minimum: int | None = Field(None, description="upgrade_required: the oldest protocol served")
    retry_after_s: int | None = Field(None, description="rate_limited: seconds until a retry")


class Unavailable(_Message):
    """`/v1/health` when the database does not answer."""

    status: str = Field(description="`unavailable`")

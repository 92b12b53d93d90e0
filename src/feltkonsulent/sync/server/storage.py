"""The one interface between the sync server's HTTP side and its database, and what it returns.

Everything that decides (authorisation, merge, numbering) happens inside `push`, in one
transaction, so a second implementation (PostgreSQL) only has to give the same answers for the
same history.
"""

from __future__ import annotations

import hashlib
import secrets
from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import StrEnum

from feltkonsulent.sync.protocol import DigestResponse, ErrorBody, PullResponse, PushRequest, PushResponse


@dataclass(frozen=True)
class Principal:
    """Who a valid token speaks for: one device of one user, and the user's teams."""

    user_id: str
    device_id: str  # the server's id of the device, not the installation's
    team_ids: frozenset[str]


class AuthFailure(StrEnum):
    UNKNOWN = "unknown"  # no such token (or none given): there is no account to name
    EXPIRED = "expired"
    REVOKED = "revoked"  # the token, or its device


@dataclass(frozen=True)
class Denied:
    """Why a token was not taken, and for an expired or revoked one whose it was (for the log and
    the rate limiter; never sent to anyone but the token's holder)."""

    reason: AuthFailure
    user_id: str | None = None
    device_id: str | None = None


class Refused(Exception):
    """A request answered with an error status and body (docs/sync.md), nothing stored."""

    def __init__(self, status: int, body: ErrorBody) -> None:
        super().__init__(body.error)
        self.status = status
        self.body = body


@dataclass(frozen=True)
class DeviceInfo:
    """One device as `server list` shows it; never a token."""

    device_id: str
    user_id: str
    name: str
    installation: str | None  # the client's device_id, bound by its first push
    created_at: str
    revoked_at: str | None
    last_seen_at: str | None
    active_tokens: int  # neither revoked nor expired
    token_expires_at: str | None  # the latest expiry of an active token


@dataclass(frozen=True)
class Compacted:
    """What `compact` forgot: change-log rows no field holds any more, fields of records deleted
    before the horizon (their tombstones stay), and stored batch answers."""

    changes: int
    fields: int
    batches: int


@dataclass(frozen=True)
class UserInfo:
    user_id: str
    team_ids: tuple[str, ...]


def new_token() -> str:
    """A 256-bit random bearer token, shown once."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the server keeps of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


class ServerStorage(ABC):
    """The server's database. Times are epoch milliseconds; `now_ms` comes from the app's clock."""

    @property
    @abstractmethod
    def server_epoch(self) -> str:
        """A random id made when the database was created; a restore from backup keeps it only if
        the backup does — a client seeing a new one resyncs."""

    @abstractmethod
    def authenticate(self, token_digest: str, now_ms: int) -> Principal | Denied:
        """The principal of an active token (neither expired nor revoked, device not revoked),
        else why not: revoked (token or device) before expired, unknown when there is no such
        token."""

    @abstractmethod
    def healthy(self) -> bool:
        """The database answers a trivial query (`/v1/health`)."""

    @abstractmethod
    def push(self, principal: Principal, request: PushRequest, now_ms: int) -> PushResponse:
        """Handle one batch in one transaction (docs/sync.md `POST /v1/push`); raises `Refused`
        for batch_gap, batch_mismatch, clock_ahead and forbidden_device, storing nothing."""

    @abstractmethod
    def pull(self, principal: Principal, cursor: int, limit: int, now_ms: int) -> PullResponse:
        """The accepted ops of the principal's teams after `cursor` (docs/sync.md `GET /v1/pull`)."""

    @abstractmethod
    def digest(
        self, principal: Principal, fields: dict[str, tuple[str, ...]], now_ms: int
    ) -> DigestResponse:
        """Per entity, how many of `fields` the principal's teams hold and the sum of their hlc
        modulo DIGEST_MODULUS, read in one snapshot with `as_of` (docs/sync.md `POST /v1/digest`)."""

    @abstractmethod
    def compact(self, horizon_ms: int, now_ms: int) -> Compacted:
        """Forget what no client needs once older than `horizon_ms` (docs/sync.md "Compaction")."""

    @abstractmethod
    def new_epoch(self) -> str:
        """Give the database a new server_epoch (after a restore from a backup): every client
        then resyncs and sends again what the restore lost."""

    # -- administration ---------------------------------------------------------------------
    @abstractmethod
    def add_user(self, team_id: str, user_id: str, now_ms: int) -> None:
        """Make the team and the user if they are new, and make the user a member of the team."""

    @abstractmethod
    def add_device(self, user_id: str, name: str, now_ms: int) -> str:
        """A new device of an existing user; returns its id."""

    @abstractmethod
    def issue_token(self, device_id: str, token_digest: str, expires_at_ms: int, now_ms: int) -> None:
        """Store a token (its hash) for a device."""

    @abstractmethod
    def replace_token(self, device_id: str, token_digest: str, expires_at_ms: int, now_ms: int) -> bool:
        """A new token for a device that is not revoked, its other tokens revoked, in one
        transaction; False if there is no such device or it is revoked."""

    @abstractmethod
    def remove_membership(self, team_id: str, user_id: str) -> bool:
        """The user leaves the team (devices and tokens stay); False if they were not a member."""

    @abstractmethod
    def teams(self) -> list[str]:
        """Every team, members or not."""

    @abstractmethod
    def revoke_device(self, device_id: str, now_ms: int) -> bool:
        """Revoke a device and its tokens; False if there is no such device."""

    @abstractmethod
    def revoke_user(self, user_id: str, now_ms: int) -> int:
        """Revoke every device of a user; returns how many were active."""

    @abstractmethod
    def users(self) -> list[UserInfo]: ...

    @abstractmethod
    def devices(self, now_ms: int) -> list[DeviceInfo]: ...

    @abstractmethod
    def close(self) -> None: ...

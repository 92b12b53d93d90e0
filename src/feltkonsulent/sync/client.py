"""The sync client: one round of push then pull against the team's server (docs/sync.md), over
httpx, with bounded retries. Everything it keeps lives in the local database (storage/sync_state)."""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from feltkonsulent.domain.hlc import Timestamp
from feltkonsulent.domain.ids import TeamId
from feltkonsulent.storage import inbox, resync, sync_state, team
from feltkonsulent.storage.changes import Change
from feltkonsulent.storage.database import Store
from feltkonsulent.storage.migrations import SCHEMA_VERSION

from .apply import Applied, apply_page, restore_rejected
from .protocol import (
    DEFAULT_PULL_LIMIT,
    MAX_AHEAD_MS,
    MAX_BATCH_OPS,
    MAX_PUSH_BYTES,
    PROTOCOL_VERSION,
    DigestRequest,
    DigestResponse,
    ErrorBody,
    ErrorCode,
    Me,
    Op,
    OtherSide,
    ProtocolError,
    PullResponse,
    PushRequest,
    PushResponse,
    Status,
    parse_time,
)

log = logging.getLogger(__name__)

M = TypeVar("M", PushResponse, PullResponse, Me, DigestResponse)
# A round that changed nothing still compares digests when the last comparison is this old.
VERIFY_EVERY_MS = 86_400_000
# After a resync that did not make the digests equal, none for that reason again for this long:
# the mismatch is reported instead (a resync of a large database is not free).
RESYNC_BACKOFF_MS = 86_400_000
RETRY_STATUSES = frozenset({500, 502, 503, 504})


class SyncError(Exception):
    """A round that stopped; `code` says why (an `ErrorCode` of the server, or `unreachable`,
    `not_a_server`, `protocol`), and nothing local was lost: the outbox is intact."""

    def __init__(self, code: str, detail: str = "", **extra: Any) -> None:
        self.code = code
        self.detail = detail
        self.extra = extra
        super().__init__(f"{code}: {detail}" if detail else code)


class BatchGap(SyncError):
    def __init__(self, expected: int) -> None:
        super().__init__(ErrorCode.BATCH_GAP, f"batch {expected} expected", expected=expected)
        self.expected = expected


@dataclass(frozen=True)
class Retry:
    """Network failures and a busy server (5xx) are tried again, `attempts` times in all, waiting
    `first_delay` seconds and twice as long each time after (at most `max_delay`)."""

    attempts: int = 4
    first_delay: float = 0.5
    max_delay: float = 4.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)

    def delays(self) -> list[float]:
        return [min(self.first_delay * 2**n, self.max_delay) for n in range(self.attempts - 1)]


@dataclass(frozen=True)
class RoundSummary:
    """One round: ops pushed and answered, pulled changes that went in, and of the pushed ops
    how many were conflicts and how many the server rejected."""

    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    rejected: int = 0  # by the server, or here: too large for any server to take
    resynced: bool = False  # pulled everything again (a restored server, or digests that differed)
    resent: int = 0  # values the server had lost, sent again by the resync
    mismatch: tuple[str, ...] = ()  # entities whose digests still differ after catching up
    refused: int = 0  # pulled values that won but this laptop cannot hold (listed, not written)
    waiting: int = 0  # pulled records still waiting at the end of the round for what they need

    def __add__(self, other: RoundSummary) -> RoundSummary:
        return RoundSummary(
            self.pushed + other.pushed, self.pulled + other.pulled,
            self.conflicts + other.conflicts, self.rejected + other.rejected,
            self.resynced or other.resynced, self.resent + other.resent, other.mismatch,
            self.refused + other.refused, other.waiting,
        )

    @property
    def needs_attention(self) -> bool:
        """The round finished, but not everything is where it belongs: changes of ours refused,
        values from the server refused here, records from it still waiting, or digests that
        differ. `sync` exits non-zero (docs/cli.md) and the app says so."""
        return bool(self.rejected or self.refused or self.waiting or self.mismatch)


@functools.cache
def tls_context(ca_file: str | None = None) -> ssl.SSLContext:
    """What HTTPS trusts: the system's authorities (OpenSSL's defaults, so `SSL_CERT_FILE` and
    `SSL_CERT_DIR` name others, e.g. a municipality's own CA), or only the CA certificates in
    `ca_file`. Certificates and host names are always verified. Made once a process per file:
    loading the certificate bundle took ~25 ms of every no-op round."""
    try:
        return ssl.create_default_context(cafile=ca_file)
    except (OSError, ssl.SSLError) as error:  # SSLError: not PEM certificates
        raise SyncError("bad_ca_file", f"{ca_file}: {type(error).__name__}") from None


class SyncClient:
    """The three endpoints of docs/sync.md; errors become `SyncError`."""

    def __init__(
        self, base_url: str, token: str, *, timeout: float = 30.0, retry: Retry | None = None,
        transport: httpx.BaseTransport | None = None, ca_file: str | None = None,
    ) -> None:
        self.retry = retry or Retry()
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"), timeout=httpx.Timeout(timeout, connect=10.0),
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            transport=transport, follow_redirects=False, verify=tls_context(ca_file),
        )

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def push(self, request: PushRequest) -> PushResponse:
        # Serialised once: every retry sends the same bytes.
        body = json.dumps(request.to_json(), ensure_ascii=False).encode("utf-8")
        return self._call(PushResponse, "POST", "/v1/push", content=body,
                          headers={"Content-Type": "application/json"})

    def me(self) -> Me:
        return self._call(Me, "GET", "/v1/me")

    def pull(self, cursor: int, limit: int) -> PullResponse:
        return self._call(PullResponse, "GET", "/v1/pull", params={"cursor": cursor, "limit": limit})

    def digest(self, request: DigestRequest) -> DigestResponse:
        return self._call(DigestResponse, "POST", "/v1/digest", json=request.to_json())

    def _call(self, message: type[M], method: str, path: str, **options: Any) -> M:
        response = self._send(method, path, **options)
        if response.status_code == 413:  # the server's body limit, or a proxy's (not JSON, then)
            raise SyncError(ErrorCode.PAYLOAD_TOO_LARGE, f"HTTP 413 for {path}", status=413)
        data = _json_body(response)
        if response.status_code != 200:
            raise _refusal(response, data)
        try:
            return message.from_json(data)
        except ProtocolError as error:
            raise SyncError("protocol", str(error)) from None

    def _send(self, method: str, path: str, **options: Any) -> httpx.Response:
        reason = ""
        for delay in [*self.retry.delays(), None]:
            try:
                response = self._http.request(method, path, **options)
            except httpx.TransportError as error:
                if (untrusted := certificate_error(error)) is not None:
                    raise SyncError("untrusted_certificate", untrusted) from None  # not transient
                reason = _describe(error)
            else:
                if response.status_code not in RETRY_STATUSES:
                    return response
                reason = f"the server answered {response.status_code}"
            log.info("sync: %s %s failed (%s)%s", method, path, reason,
                     "" if delay is None else f"; again in {delay:.1f} s")
            if delay is not None:
                self.retry.sleep(delay)
        raise SyncError("unreachable", reason)


def certificate_error(error: BaseException) -> str | None:
    """OpenSSL's reason when the server's certificate was not verified (not signed by an
    authority trusted here, another host's, expired), else None. It names no secret."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return str(cause.verify_message or cause.reason or "certificate verify failed")
        cause = cause.__cause__ or cause.__context__
    return None


def _describe(error: httpx.TransportError) -> str:
    if isinstance(error, httpx.TimeoutException):
        return "no answer in time"
    if isinstance(error, httpx.ConnectError):
        return "connection refused or no route to the server"
    return type(error).__name__


def _json_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        raise SyncError(
            "not_a_server", f"HTTP {response.status_code} without a JSON body"
        ) from None


def _refusal(response: httpx.Response, data: Any) -> SyncError:
    status = response.status_code
    try:
        body = ErrorBody.from_json(data)
    except ProtocolError:
        return SyncError("not_a_server", f"HTTP {status}")
    if body.error == ErrorCode.BATCH_GAP and body.expected is not None:
        return BatchGap(body.expected)
    extra: dict[str, Any] = {k: getattr(body, k) for k in ("server_time", "ahead_ms", "minimum")
                             if getattr(body, k) is not None}
    if status == 429:
        # Like unreachable: everything is kept, and the next round waits this long.
        extra["retry_after_s"] = _retry_after(response)
    return SyncError(body.error, body.message or "", status=status, **extra)


def _retry_after(response: httpx.Response) -> int:
    """Retry-After in seconds (this server sends seconds, never a date); a minute if unreadable."""
    text = response.headers.get("Retry-After", "")
    return int(text) if text.isdigit() else 60


# -- one round -------------------------------------------------------------------------------------
def _op(change: Change) -> Op:
    return Op(change.op_id, change.entity, change.row_id, change.team_id, change.field,
              change.value, change.hlc, change.device_id, change.base_seq)


def _other(other: OtherSide | None) -> sync_state.OtherSide | None:
    if other is None:
        return None
    return sync_state.OtherSide(other.value, other.hlc, other.device_id, other.user_id)


def _receive(store: Store, server_time: str) -> None:
    # No bound here: a device behind the server by any amount must still converge (SYNC.md
    # property 6); a device ahead is told by the server (clock_ahead).
    store.hlc.receive(Timestamp(parse_time(server_time)))


# A change whose value is larger than this cannot be in any push the server reads (alone, with the
# request around it): rejected here. A smaller one over the value boundary's 256 KiB is sent, and
# the server's answer (`bad_value`, with what it holds) puts the record right.
UNSENDABLE_BYTES = MAX_PUSH_BYTES - 64 * 1024


def push_all(store: Store, client: SyncClient, batch_size: int = MAX_BATCH_OPS) -> RoundSummary:
    """Push the outbox batch by batch, each numbered and stored before it is sent. A change too
    large for any server is rejected here; a batch refused for its size (a proxy's body limit may
    be smaller than the server's) is halved until it goes, and later batches stay that small."""
    summary = RoundSummary(rejected=sync_state.reject_oversized(store, UNSENDABLE_BYTES))
    renumbered = restamped = False
    budget = sync_state.BATCH_BYTES
    while (batch := sync_state.open_batch(store, batch_size, budget)) is not None:
        try:
            response = client.push(_request(store, batch))
        except BatchGap as gap:
            if renumbered:  # the server moves its expectation: something is badly wrong
                raise
            # The server has no batch under this number and wants `expected` next (it was
            # restored, or forgot this installation): the same ops under that number. Safe
            # because it replays no batch at or past `expected` and dedupes ops by op_id.
            log.warning("sync: batch %d renumbered %d (server expects it)", batch.batch_seq,
                        gap.expected)
            sync_state.renumber(store, batch, gap.expected)
            renumbered = True
            continue
        except SyncError as refused:
            if refused.code == ErrorCode.PAYLOAD_TOO_LARGE:
                budget = _halved(store, batch, budget)
                summary += RoundSummary(rejected=int(len(batch.changes) == 1))
                renumbered = False  # refused unread: the gap the next number meets is a new one
                continue
            if refused.code != ErrorCode.CLOCK_AHEAD or restamped or not _restamp(store, refused):
                raise
            restamped = True  # the clock is right now: the same batch, with the new stamps
            continue
        renumbered = False
        summary += _acknowledged(store, batch, response)
    return summary


def _request(store: Store, batch: sync_state.Batch) -> PushRequest:
    # A resync sends again values other devices stamped (storage/resync.py).
    resend = any(c.device_id != store.device_id for c in batch.changes)
    return PushRequest(PROTOCOL_VERSION, SCHEMA_VERSION, store.device_id, batch.batch_seq,
                       tuple(_op(c) for c in batch.changes), resend)


def _halved(store: Store, batch: sync_state.Batch, budget: int) -> int:
    """After `payload_too_large`: the batch's changes back in the queue (or, one change alone,
    rejected here) and the byte budget of the batches after it half the refused size."""
    size = sum(len(json.dumps(c.value, ensure_ascii=False).encode()) + sync_state.OP_OVERHEAD_BYTES
               for c in batch.changes)
    log.info("sync: a batch of %d changes (%d bytes) refused as too large; halved",
                len(batch.changes), size)
    sync_state.split(store, batch)
    return max(1, min(budget, size) // 2)


def _acknowledged(store: Store, batch: sync_state.Batch, response: PushResponse) -> RoundSummary:
    answers = [sync_state.Answer(r.op_id, str(r.status), r.server_seq, r.reason, _other(r.other))
               for r in response.results]
    if not {a.op_id for a in answers} & {c.op_id for c in batch.changes}:
        raise SyncError("protocol", f"the answer to batch {batch.batch_seq} names none of its ops")
    with store.write():
        _receive(store, response.server_time)
        sync_state.acknowledge(store, batch, answers)
        restore_rejected(store, batch.changes, answers)
        # The first answer of a server tells its epoch: a restore before the first pull is
        # then noticed too. (A later push answer may be a stored one of an older epoch.)
        sync_state.adopt_epoch(store, response.server_epoch)
    return RoundSummary(
        len(answers), 0, sum(r.status == Status.CONFLICT for r in response.results),
        sum(r.status == Status.REJECTED for r in response.results),
    )


def _restamp(store: Store, refused: SyncError) -> bool:
    """After `clock_ahead`: if this computer's clock is right by now (the consultant fixed it),
    give the pending changes stamped while it was ahead new stamps (storage/sync_state), so they
    need not wait until real time reaches the old ones. False when the clock is still ahead."""
    server_time = refused.extra.get("server_time")
    if not isinstance(server_time, str):
        return False
    server_ms = parse_time(server_time)
    if sync_state.now_ms(store) - server_ms > MAX_AHEAD_MS:
        return False
    return sync_state.restamp_ahead(store, server_ms, MAX_AHEAD_MS) > 0


def pull_all(store: Store, client: SyncClient, page_size: int = DEFAULT_PULL_LIMIT) -> RoundSummary:
    """Pull pages until the server has no more, each applied with its cursor in one transaction.
    A new server epoch (the server was restored) starts a resync: everything again from the
    beginning, and at the end what the server lost goes back into the outbox (storage/resync)."""
    applied = Applied()
    resynced = resync.in_progress(store)
    cursor = sync_state.cursor(store)
    epoch = sync_state.server_epoch(store)
    while True:
        page = client.pull(cursor, page_size)
        if epoch is not None and page.server_epoch != epoch:
            log.warning("sync: the server's epoch changed (it was restored); resyncing")
            resync.start(store, page.server_epoch)
            cursor, epoch, resynced = 0, page.server_epoch, True
            continue
        epoch = page.server_epoch
        applied += apply_page(store, page)
        if not page.has_more:
            resent = resync.finish(store) if resync.in_progress(store) else 0
            if resent:
                log.warning("sync: %d values the server did not have are sent again", resent)
            return RoundSummary(pulled=applied.written, resynced=resynced, resent=resent,
                                refused=applied.refused)
        if page.next_cursor <= cursor:
            raise SyncError("protocol", "has_more without a later cursor")
        cursor = page.next_cursor


def verify(store: Store, client: SyncClient) -> tuple[str, ...] | None:
    """Compare the digests of what we hold and what the server holds, per entity; the entities
    that differ, or None when a comparison would prove nothing now (changes still on their way,
    or the server moved on since our last page)."""
    teams = client.me().teams
    local = resync.digest(store, teams)
    if local is None:
        return None
    answer = client.digest(DigestRequest(dict(resync.known_fields())))
    if answer.server_epoch != sync_state.server_epoch(store) or sync_state.cursor(store) < answer.as_of:
        return None
    sync_state.note_verified(store)
    theirs = {e: (d.count, d.checksum) for e, d in answer.entities.items() if d.count}
    return tuple(sorted(e for e in local.keys() | theirs.keys() if local.get(e) != theirs.get(e)))


def _verified(store: Store, client: SyncClient, summary: RoundSummary,
              batch_size: int, page_size: int) -> RoundSummary:
    """After catching up: compare digests when the round changed something (or the last
    comparison is a day old); a mismatch starts one resync, and a mismatch after it is
    reported, not resynced again for a day."""
    if sync_state.take_refetch(store):
        # A change rejected here (too large for any push) had no answer with the server's
        # value: a resync fetches it now, whatever the backoff (docs/sync.md "Rejected changes").
        log.info("sync: a change rejected here; the server's values are pulled again")
        resync.start(store)
        again = pull_all(store, client, page_size)
        if again.resent:
            again += push_all(store, client, batch_size) + pull_all(store, client, page_size)
        summary += again
    moved = summary.pushed or summary.pulled or summary.resynced
    if not moved and not sync_state.due(store, sync_state.VERIFIED, VERIFY_EVERY_MS):
        return summary
    mismatch = verify(store, client)
    if not mismatch:
        return summary
    if summary.resynced or not sync_state.due(store, sync_state.RESYNCED, RESYNC_BACKOFF_MS):
        log.warning("sync: digests differ for %s", ", ".join(mismatch))
        return summary + RoundSummary(mismatch=mismatch)
    log.warning("sync: digests differ for %s; resyncing", ", ".join(mismatch))
    sync_state.note_resynced(store)
    resync.start(store)
    again = pull_all(store, client, page_size)
    if again.resent:
        again += push_all(store, client, batch_size) + pull_all(store, client, page_size)
    return summary + again + RoundSummary(mismatch=verify(store, client) or ())


def join_the_team(store: Store, client: SyncClient) -> None:
    """A database made before its first sync holds its records under the team "local": before
    anything is pushed they move into the user's team on the server (storage.team), or the
    server would reject them as another team's. A user in several teams must say which."""
    if not team.needs_team(store):
        return
    teams = client.me().teams
    if len(teams) != 1:
        raise SyncError("choose_team", f"the user is in {len(teams)} teams: " + ", ".join(teams),
                        teams=list(teams))
    team.join_team(store, TeamId(teams[0]))


def sync_round(
    store: Store, url: str, token: str, *, batch_size: int = MAX_BATCH_OPS,
    page_size: int = DEFAULT_PULL_LIMIT, timeout: float = 30.0, retry: Retry | None = None,
    transport: httpx.BaseTransport | None = None, ca_file: str | None = None,
) -> RoundSummary:
    """Push everything pending, then pull everything new. On any `SyncError` what was done
    stays done (each batch and page is its own transaction) and the rest is kept for next time."""
    with SyncClient(url, token, timeout=timeout, retry=retry, transport=transport,
                    ca_file=ca_file) as client:
        join_the_team(store, client)
        summary = push_all(store, client, batch_size) + pull_all(store, client, page_size)
        if summary.resent:  # a resync sends back what the restored server lost
            summary += push_all(store, client, batch_size) + pull_all(store, client, page_size)
        summary = _verified(store, client, summary, batch_size, page_size)
    sync_state.note_synced(store)
    waiting = inbox.staged_records(store)
    if waiting:
        log.info("sync: %d records from the server wait for what they need", waiting)
    return dataclasses.replace(summary, waiting=waiting)

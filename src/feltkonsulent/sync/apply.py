"""Applying pulled changes to the local database: one transaction per page, with the cursor, and
each field decided by the same `merge` as the server's."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from feltkonsulent.domain.hlc import Timestamp
from feltkonsulent.storage import inbox, resync, sync_state
from feltkonsulent.storage.changes import Change
from feltkonsulent.storage.database import Store
from feltkonsulent.storage.inbox import FieldMeta, Pulled

from .merge import FieldState, merge
from .protocol import PulledChange, PullResponse, RejectReason, parse_time


@dataclass(frozen=True)
class _Incoming:
    """A pulled change as `merge` reads an op; it has no base_seq (conflicts are the server's
    to find and report, when our own pending change is pushed)."""

    field: str
    hlc: int
    device_id: str
    base_seq: int | None = None


def _state(meta: FieldMeta | None) -> FieldState | None:
    if meta is None:
        return None
    return FieldState(None, meta.hlc, meta.device_id, meta.server_seq or 0)


def _pulled(change: PulledChange) -> Pulled:
    return Pulled(
        change.entity, change.row_id, change.field, change.value, change.hlc, change.device_id,
        change.server_seq,
    )


@dataclass(frozen=True)
class Applied:
    """Of pulled changes: how many went in (written, or staged until their record can be
    written), and how many won but were refused as values this laptop cannot hold."""

    written: int = 0
    refused: int = 0

    def __add__(self, other: Applied) -> Applied:
        return Applied(self.written + other.written, self.refused + other.refused)


def apply_changes(store: Store, changes: Iterable[PulledChange]) -> Applied:
    """Merge pulled changes into the records, inside the caller's write transaction.

    The value we hold for a field — a pending local edit included, since an edit stamps the
    field's `field_meta` — stays when its `(hlc, device_id)` is greater. A pending edit that
    loses stays in the outbox all the same: the server answers it `superseded` (or `conflict`,
    and records both values for people to see); dropping it here would hide the conflict.
    A value that wins but is outside the value boundary is refused (`inbox.refuse`): listed for
    the user, never written or staged."""
    assert store.in_write
    applied = refused = 0
    touched: set[tuple[str, str]] = set()
    resyncing = resync.in_progress(store)
    for change in changes:
        # Our next edit of this field must order after the value we have now seen.
        store.hlc.receive(Timestamp.unpack(change.hlc))
        if not inbox.knows(change.entity, change.field):
            continue  # a field of a newer version: the server keeps it for the clients that know it
        pulled = _pulled(change)
        current = inbox.current_meta(store, change.entity, change.row_id, change.field)
        stamp = (change.hlc, change.device_id)
        if resyncing and (current is None or stamp >= (current.hlc, current.device_id)):
            resync.confirm(store, change.entity, change.row_id, change.field)
        if not merge(_state(current), _Incoming(change.field, change.hlc, change.device_id)).apply:
            inbox.note_seen(store, pulled)
        elif (why := inbox.problem(pulled)) is not None:
            inbox.refuse(store, pulled, why)
            refused += 1
        else:
            inbox.put(store, pulled)
            touched.add((change.entity, change.row_id))
            applied += 1
    touched |= inbox.write_staged(store)
    inbox.drop_outdated_refused(store)
    for entity, row_id in sorted(touched):
        inbox.reindex(store, entity, row_id)
    return Applied(applied, refused)


def apply_page(store: Store, page: PullResponse) -> Applied:
    """One page in one transaction, the new cursor stored in it: a crash leaves either both
    the page's changes and the cursor past them, or neither."""
    with store.write():
        store.hlc.receive(Timestamp(parse_time(page.server_time)))
        applied = apply_changes(store, page.changes)
        sync_state.set_pulled_to(store, page.next_cursor, page.server_epoch)
    return applied


def restore_rejected(store: Store, changes: Sequence[Change], answers: Iterable[sync_state.Answer]) -> None:
    """A change of ours the server refused (not as another team's) no longer leaves its value in
    the record: the record shows what the server holds again, stamped as the server has it, and
    the refused value stays in the list of rejected changes (to copy, or apply again). When the
    server holds nothing for the field, the value stays here but its stamp goes: the field is
    this laptop's alone, and the digests agree. A later edit of ours still queued is left alone.
    Inside the caller's write transaction, with the answers acknowledged."""
    assert store.in_write
    ours = {c.op_id: c for c in changes}
    touched: set[tuple[str, str]] = set()
    for answer in answers:
        change = ours.get(answer.op_id)
        if change is None or answer.status != "rejected" or answer.reason == RejectReason.FORBIDDEN_TEAM:
            continue
        if inbox.pending_edit(store, change.entity, change.row_id, change.field):
            continue
        other = answer.other
        if other is None:
            sync_state.forget_stamp(store, change.entity, change.row_id, change.field, change.hlc)
            continue
        server = Pulled(change.entity, change.row_id, change.field, other.value, other.hlc,
                        other.device_id, 0)
        if (why := inbox.problem(server)) is not None:
            inbox.refuse(store, server, why)
            continue
        inbox.put(store, server)
        touched.add((change.entity, change.row_id))
    touched |= inbox.write_staged(store) if touched else set()
    inbox.drop_outdated_refused(store)
    for entity, row_id in sorted(touched):
        inbox.reindex(store, entity, row_id)

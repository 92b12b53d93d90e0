"""The sync client's local state: batches numbered and stored before they are sent, sent again
unchanged, answers that empty the outbox and fill the lists of rejected changes and conflicts."""

from __future__ import annotations

import dataclasses

import pytest

from feltkonsulent.storage import inbox, sync_state
from feltkonsulent.storage.changes import pending_changes, pending_count
from feltkonsulent.storage.database import Store
from feltkonsulent.storage.repositories import Repositories
from feltkonsulent.storage.sync_state import Answer
from tests import factories


def edits(store: Store, companies: int) -> None:
    repos = Repositories(store)
    for n in range(companies):
        repos.companies.add(factories.company(name=f"Firma {n}"))


def test_a_batch_is_numbered_and_stored_before_it_is_sent_and_sent_again_unchanged(
    store: Store,
) -> None:
    edits(store, 3)
    total = pending_count(store)
    first = sync_state.open_batch(store, limit=5)
    assert first is not None and first.batch_seq == 1 and len(first.changes) == 5
    assert store.state()[sync_state.NEXT_BATCH] == "2"
    edits(store, 1)  # an edit meanwhile joins a later batch
    again = sync_state.open_batch(store, limit=5)
    assert again == first
    assert [c.batch_seq for c in pending_changes(store)].count(1) == 5
    assert pending_count(store) > total, "the new edit waits, unnumbered"
    assert {c.batch_seq for c in pending_changes(store)} == {1, None}


def test_an_answer_empties_the_outbox_and_keeps_rejected_and_conflicts(store: Store) -> None:
    edits(store, 1)
    batch = sync_state.open_batch(store, limit=500)
    assert batch is not None
    name = next(c for c in batch.changes if c.field == "name")
    city = next(c for c in batch.changes if c.field == "city")
    others = [c for c in batch.changes if c not in (name, city)]
    answers = [
        Answer(name.op_id, "conflict", 17, None),
        Answer(city.op_id, "rejected", None, "forbidden_team"),
        *(Answer(c.op_id, "accepted", 20 + i, None) for i, c in enumerate(others[:-1])),
    ]
    sync_state.acknowledge(store, batch, answers)
    # The op the answer left out goes back to the queue, without a number.
    assert [dataclasses.replace(c, batch_seq=1) for c in pending_changes(store)] == [others[-1]]
    assert [(r.field, r.reason, r.value) for r in sync_state.rejected_changes(store)] == [
        ("city", "forbidden_team", city.value)
    ]
    assert [(c.field, c.applied) for c in sync_state.conflicts(store)] == [("name", True)]
    meta = inbox.current_meta(store, "companies", name.row_id, "name")
    assert meta is not None and meta.server_seq == 17
    assert sync_state.open_batch(store, limit=500) is not None
    assert store.state()[sync_state.NEXT_BATCH] == "3"


def test_renumbering_moves_the_batch_and_the_numbers_after_it(store: Store) -> None:
    edits(store, 1)
    batch = sync_state.open_batch(store, limit=500)
    assert batch is not None and batch.batch_seq == 1
    moved = sync_state.renumber(store, batch, 12)
    assert moved.batch_seq == 12
    assert moved.changes == tuple(dataclasses.replace(c, batch_seq=12) for c in batch.changes)
    assert store.state()[sync_state.NEXT_BATCH] == "13"
    assert sync_state.open_batch(store, limit=500) == moved


def test_an_empty_outbox_opens_no_batch_and_uses_no_number(store: Store) -> None:
    assert sync_state.open_batch(store, limit=500) is None
    assert sync_state.NEXT_BATCH not in store.state()


def test_a_batch_stays_under_the_servers_body_limit_and_a_huge_change_goes_alone(
    store: Store, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A budget of 50 kB and notes of 20 kB each: two fit in a batch, the third waits; a note over
    # the budget on its own still goes, alone, so no size ever blocks the queue. (Notes are at
    # most 20,000 characters, so the real budget of 4 MiB is met only by many notes together.)
    monkeypatch.setattr(sync_state, "BATCH_BYTES", 50_000)
    repos = Repositories(store)
    for _ in range(3):
        repos.companies.add(factories.company(notes="x" * 20_000))
    repos.companies.add(factories.company(notes="\U0001d11e" * 20_000))  # 80 kB of 4-byte characters
    batches = []
    while (batch := sync_state.open_batch(store, limit=500)) is not None:
        batches.append(batch)
        sync_state.acknowledge(store, batch, [Answer(c.op_id, "accepted", n + 1, None)
                                              for n, c in enumerate(batch.changes)])
    sizes = [sum(len(str(c.value).encode()) for c in b.changes) for b in batches]
    assert [sum(c.field == "notes" for c in b.changes) for b in batches] == [2, 1, 1]
    assert sizes[0] <= sync_state.BATCH_BYTES and sizes[1] <= sync_state.BATCH_BYTES
    assert [c.field for c in batches[2].changes] == ["notes"]  # the huge one, alone

"""Resume (SYNC.md 4) through a fault-injecting TCP proxy (tests/sync/faults/proxy.py) in front
of the real server: a connection cut after any number of bytes, in either direction, during a
push or a pull, or answers slower than the client waits. Each round either completes or stops
with `unreachable` having kept every pending change; a retry then gives what one delivery gives:
each op once on the server, and the clients equal (tests/sync/properties/world.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from feltkonsulent.domain.ids import uuid7
from feltkonsulent.services import demo
from feltkonsulent.storage.changes import pending_changes, pending_count
from feltkonsulent.sync.client import Retry, SyncError, sync_round
from tests.sync.conftest import SyncServer
from tests.sync.properties.world import (
    Client,
    Made,
    assert_converged,
    collect,
    new_client,
    server_op_ids,
    sync_until_quiet,
)

from .proxy import Plan, Proxy, proxy_to

ONCE = Retry(attempts=1, first_delay=0, sleep=lambda _: None)
# Cut points per direction, spread over a whole round's bytes (and the first and last byte);
# more with FELTKONSULENT_SYNC_EXAMPLES (the property tests' size knob).
CUTS = 4 if "FELTKONSULENT_SYNC_EXAMPLES" not in os.environ else 30


@pytest.fixture
def proxy(sync_server: SyncServer) -> Iterator[Proxy]:
    with proxy_to(sync_server.url) as running:
        yield running


def laptops(root: Path, *names: str) -> list[Client]:
    team = f"team-{uuid7()[-12:]}"
    root.mkdir()
    return [new_client(root, name, team) for name in names]


def fill(client: Client, made: dict[str, Made], records: int = 2) -> int:
    demo.populate(client.ws, records=records, seed=7, today=date(2026, 11, 22), batch=50)
    with client.ws.store.write():  # demo data is team "local"; these laptops are in `team`
        client.ws.store.conn.execute("UPDATE outbox SET team_id = ?", (client.team,))
    collect(client.ws, made)
    return pending_count(client.ws.store)


def round_through(client: Client, server: SyncServer, proxy: Proxy, **options: object) -> bool:
    """One round through the proxy: True when it completed, False when it stopped cleanly."""
    options.setdefault("retry", ONCE)
    try:
        sync_round(client.ws.store, proxy.url, client.token(server), timeout=2.0,
                   **options)  # type: ignore[arg-type]
    except SyncError as error:
        assert error.code == "unreachable", error
        return False
    return True


def measure(tmp_path: Path, server: SyncServer, proxy: Proxy) -> tuple[int, int, int, int]:
    """Bytes up and down of a clean push round, then of a clean pull round (small pages)."""
    a, b = laptops(tmp_path / "measure", "a", "b")
    fill(a, {})
    assert round_through(a, server, proxy, batch_size=40)
    push = (proxy.up, proxy.down)
    assert round_through(b, server, proxy, page_size=40)
    a.close()
    b.close()
    return push[0], push[1], proxy.up - push[0], proxy.down - push[1]


def cut_points(total: int) -> list[int]:
    return sorted({max(1, total * k // (CUTS + 1)) for k in range(1, CUTS + 1)} | {1, total - 1})


@pytest.mark.parametrize("way", ["up", "down"])
def test_a_push_cut_anywhere_is_kept_and_a_retry_delivers_it_once(
    way: str, sync_server: SyncServer, proxy: Proxy, tmp_path: Path
) -> None:
    up, down, _, _ = measure(tmp_path, sync_server, proxy)
    for n, at in enumerate(cut_points(up if way == "up" else down)):
        a, b = laptops(tmp_path / f"{way}{n}", "a", "b")
        made: dict[str, Made] = {}
        ops = fill(a, made)
        before = {c.op_id for c in pending_changes(a.ws.store)}
        proxy.plans = [Plan(cut_up=at) if way == "up" else Plan(cut_down=at)]
        cuts = proxy.cuts
        done = round_through(a, sync_server, proxy, batch_size=40)
        assert proxy.cuts == cuts + 1, f"the cut at {at} happened"
        total = up if way == "up" else down
        assert not done or at >= total - 1, f"a round cut at {way} {at} said it completed"
        # Every op is either still pending or on the server: none lost, none twice.
        pending = {c.op_id for c in pending_changes(a.ws.store)}
        on_server = server_op_ids(sync_server, a.team)
        assert len(on_server) == len(set(on_server))
        assert pending | set(on_server) == before, f"an op lost by a cut at {way} {at}"
        assert round_through(a, sync_server, proxy, batch_size=40), "the retry completes"
        assert sorted(server_op_ids(sync_server, a.team)) == sorted(before)
        assert len(before) == ops
        sync_until_quiet([a, b], sync_server)
        assert_converged([a, b], sync_server, made)
        a.close()
        b.close()


@pytest.mark.parametrize("way", ["up", "down"])
def test_a_pull_cut_anywhere_resumes_to_the_same_records(
    way: str, sync_server: SyncServer, proxy: Proxy, tmp_path: Path
) -> None:
    _, _, up, down = measure(tmp_path, sync_server, proxy)
    for n, at in enumerate(cut_points(up if way == "up" else down)):
        a, b = laptops(tmp_path / f"{way}{n}", "a", "b")
        made: dict[str, Made] = {}
        fill(a, made)
        a.sync(sync_server)
        proxy.plans = [Plan(cut_up=at) if way == "up" else Plan(cut_down=at)]
        round_through(b, sync_server, proxy, page_size=40)
        assert pending_count(b.ws.store) == 0, "pulled changes are no edits"
        assert round_through(b, sync_server, proxy, page_size=40), "the retry completes"
        assert_converged([a, b], sync_server, made)
        a.close()
        b.close()


def test_answers_slower_than_the_client_waits_are_replayed_not_applied_twice(
    sync_server: SyncServer, proxy: Proxy, tmp_path: Path
) -> None:
    a, b = laptops(tmp_path / "slow", "a", "b")
    made: dict[str, Made] = {}
    ops = fill(a, made)
    # The first two connections answer after the client gave up (the server did the work).
    proxy.plans = [Plan(delay=1.5), Plan(delay=1.5)]
    retry = Retry(attempts=4, first_delay=0, sleep=lambda _: None)
    sync_round(a.ws.store, proxy.url, a.token(sync_server), timeout=0.5, batch_size=40,
               retry=retry)
    assert proxy.connections >= 3
    assert pending_count(a.ws.store) == 0
    assert len(server_op_ids(sync_server, a.team)) == ops
    sync_until_quiet([a, b], sync_server)
    assert_converged([a, b], sync_server, made)
    a.close()
    b.close()

"""No gaps (SYNC.md property 5): with devices pushing at once, a puller with a small page size
misses nothing and gets nothing twice; and a server restarted on its file is the same server."""

from __future__ import annotations

import threading

from ..conftest import ServerDatabase, SyncServer, start_server
from .helpers import Device, op


def test_a_small_page_puller_misses_nothing_while_devices_push(sync_server: SyncServer) -> None:
    devices = [Device(sync_server.url, sync_server.token_for("t", f"user{n}")) for n in range(4)]
    reader = Device(sync_server.url, sync_server.token_for("t", "reader"))
    now = sync_server.clock()
    sent: dict[int, list[str]] = {}

    def pusher(n: int, d: Device) -> None:
        sent[n] = []
        for k in range(8):
            ops = [op("t", d.device_id, now + k, row_id=f"{n}-{k}", field=f) for f in ("a", "b")]
            d.push(ops)
            sent[n] += [o["op_id"] for o in ops]

    threads = [threading.Thread(target=pusher, args=(n, d)) for n, d in enumerate(devices)]
    for thread in threads:
        thread.start()
    got: list[str] = []
    cursor, more = 0, True
    while more:
        pushing = any(t.is_alive() for t in threads)
        page = reader.pull(cursor, 2)
        got += [c.op_id for c in page.changes]
        cursor, more = page.next_cursor, page.has_more or pushing
    for thread in threads:
        thread.join()
    for d in [*devices, reader]:
        d.close()
    assert sorted(got) == sorted(o for ops in sent.values() for o in ops)
    assert len(got) == len(set(got)) == 64


def test_a_restarted_server_keeps_its_epoch_changes_and_batches(server_database: ServerDatabase) -> None:
    db = server_database
    with start_server(db) as first:
        d = Device(first.url, first.token_for("t", "anna"))
        d.push([op("t", d.device_id, first.clock())])
        epoch = first.storage.server_epoch
        token = first.token_for("t", "anna")
        d.close()
    with start_server(db) as second:
        again = Device(second.url, token, device_id=d.device_id)
        again.batch_seq = 1
        assert second.storage.server_epoch == epoch
        assert [c.server_seq for c in again.pull_all()] == [1]
        assert again.push([]).highest_seq == 1  # batch 2 is the next one
        again.close()

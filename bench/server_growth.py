"""Does a push get slower as the sync server fills up? Batches of 500 changes pushed one after
another straight into the storage (no HTTP, one at a time), on SQLite and PostgreSQL side by
side, with the push's median and p95 per slice of the fill. The line should be flat: a server a
year old must take a laptop's batch as fast as a new one.

    .venv/bin/python bench/server_growth.py                      # 250,000 changes per storage
    .venv/bin/python bench/server_growth.py --changes 50000      # quicker
    .venv/bin/python bench/server_growth.py --storage postgres --changes 1000000

The batches are `server_load.py`'s (new companies and placements, visit notes, edits of the
team's records with the `base_seq` last seen), from five laptops of one team taking turns, so
edits meet each other's records and some conflict. PostgreSQL is a throw-away cluster made
durable (fsync on), as in `server_load.py`.

Why it exists: on PostgreSQL a push's reads (`entity = ? AND row_id = ANY(?)`, then a plain
join) were planned as walks through every row of the entity or a hash of the whole table, so a
push took 45 ms on an empty server and 165 ms after 100,000 changes, and would have taken
seconds on a municipality's server after a year. Not a test: it prints figures and exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from feltkonsulent.sync.protocol import PushRequest
from feltkonsulent.sync.server.sql import SqlStorage
from feltkonsulent.sync.server.sqlite import SqliteStorage
from feltkonsulent.sync.server.storage import Principal
from server_load import BATCH, ROOT, Client, _durable  # bench/ is on sys.path when run as a script
from timing import percentile

TEAM = "growth"
LAPTOPS = 5


@contextlib.contextmanager
def opened(kind: str, folder: Path) -> Iterator[SqlStorage]:
    if kind == "sqlite":
        storage: SqlStorage = SqliteStorage.open(folder / "server.db", create=True)
        try:
            yield storage
        finally:
            storage.close()
        return
    sys.path.insert(0, str(ROOT))
    from tests.sync.pg_cluster import running_cluster

    from feltkonsulent.sync.server.postgres import PostgresStorage

    with running_cluster() as cluster:
        _durable(cluster.url("postgres"))
        storage = PostgresStorage.open(cluster.new_database(), create=True)
        try:
            yield storage
        finally:
            storage.close()


def fill(storage: SqlStorage, changes: int, step: int) -> list[tuple[int, list[float]]]:
    """Push batches until `changes` are held; per slice of `step` changes, the push timings."""
    now = int(time.time() * 1000)
    laptops = []
    for n in range(LAPTOPS):
        user = f"consultant{n}"
        storage.add_user(TEAM, user, now)
        device = storage.add_device(user, "laptop", now)
        # The client makes batches only; its HTTP connection is never opened.
        client = Client("http://127.0.0.1:9", TEAM, "-", n)
        laptops.append((Principal(user, device, frozenset({TEAM})), client))
    slices: list[tuple[int, list[float]]] = []
    held = 0
    while held < changes:
        who, laptop = laptops[(held // BATCH) % LAPTOPS]
        request = PushRequest.from_json(json.loads(laptop._batch()))
        start = time.perf_counter()
        answer = storage.push(who, request, int(time.time() * 1000))
        took = (time.perf_counter() - start) * 1000
        for op, result in zip(request.ops, answer.results, strict=True):
            if result.server_seq is not None:
                # Every laptop learns what was taken (as its next pull would tell it).
                for _, other in laptops:
                    other.seen[(op.entity, op.row_id, op.field)] = result.server_seq
        if not slices or held >= slices[-1][0] + step:
            slices.append((held, []))
        slices[-1][1].append(took)
        held += BATCH
    return slices


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--storage", default="sqlite,postgres", help="sqlite, postgres or both (default)")
    parser.add_argument("--changes", type=int, default=250_000, help="changes to fill each storage with")
    parser.add_argument("--step", type=int, default=0, help="changes per printed slice (default: a tenth)")
    args = parser.parse_args(argv)
    step = args.step or max(BATCH, args.changes // 10)
    kinds = args.storage.split(",")
    print(f"Pushes of {BATCH} changes into a storage filling up to {args.changes:,} changes, one at a "
          f"time, no HTTP: ms per push, p50 / p95 of each slice.")
    results = {}
    with tempfile.TemporaryDirectory(prefix="feltkonsulent-bench-growth-") as name:
        for kind in kinds:
            with opened(kind, Path(name)) as storage:
                results[kind] = fill(storage, args.changes, step)
    print(f"  {'changes held':>14}" + "".join(f"{kind:>22}" for kind in kinds))
    for n, (held, _) in enumerate(results[kinds[0]]):
        cells = []
        for kind in kinds:
            timings = results[kind][n][1]
            cells.append(f"{percentile(timings, 50):.0f} / {percentile(timings, 95):.0f}")
        print(f"  {held:>14,}" + "".join(f"{cell:>22}" for cell in cells))


if __name__ == "__main__":
    main()

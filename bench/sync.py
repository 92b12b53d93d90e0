"""Sync benchmark: a real sync server on 127.0.0.1 and real encrypted client databases; prints
how long pushing and pulling take, against targets.

    .venv/bin/python bench/sync.py [--changes 10000] [--db-records 2000] [--rounds 20] [--quick]

Not a test: it prints figures and exits 0 whether or not a target is met.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import pstats
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TypeVar

import uvicorn

from feltkonsulent.domain.entities import Company
from feltkonsulent.domain.ids import TeamId
from feltkonsulent.services.demo import populate
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage.changes import pending_count
from feltkonsulent.storage.database import Store, open_database
from feltkonsulent.storage.keys import RawKey
from feltkonsulent.sync.client import RoundSummary, SyncClient, pull_all, push_all, sync_round
from feltkonsulent.sync.server.app import create_app, wall_ms
from feltkonsulent.sync.server.sqlite import SqliteStorage
from feltkonsulent.sync.server.storage import new_token, token_hash
from timing import percentile  # bench/ is on sys.path when run as a script

ROUND_TARGET_S = 5.0  # 10,000 changes pushed by one client and pulled by another, in all
NOOP_TARGET_MS = 50.0  # a sync with nothing to push or pull
BENCH_KEY = RawKey(b"bench-key-feltkonsulent-32-bytes")
TEAM = TeamId("team-bench")
# About this many outbox rows per placement `populate` makes (the placement, its company share,
# citizen, contacts, arrangements, buddies, visit notes); the rest are single-field edits.
OPS_PER_PLACEMENT = 39
T = TypeVar("T")


# -- the server ---------------------------------------------------------------------------------
@dataclasses.dataclass
class Server:
    url: str
    storage: SqliteStorage

    def token(self, user: str) -> str:
        """A token for a new device of `user`, a member of TEAM."""
        now = wall_ms()
        self.storage.add_user(TEAM, user, now)
        device = self.storage.add_device(user, f"{user}-laptop-{now}", now)
        token = new_token()
        self.storage.issue_token(device, token_hash(token), now + 86_400_000, now)
        return token


@contextmanager
def running_server(folder: Path) -> Iterator[Server]:
    """uvicorn on 127.0.0.1 in a thread of this process, as the sync tests start it."""
    storage = SqliteStorage.open(folder / "server.db", create=True)
    # IPPROTO_TCP, not the default 0: asyncio sets TCP_NODELAY on an accepted connection only
    # when the listening socket says TCP (as `uvicorn.run(host=, port=)`, i.e. `feltkonsulent server
    # run`, makes it). Without it every answer larger than a packet waits ~40 ms (Nagle's
    # algorithm against the client's delayed ACK: uvicorn writes the headers and the body apart).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(create_app(storage), log_config=None, access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            sys.exit("the sync server did not start")
        time.sleep(0.01)
    try:
        yield Server(f"http://127.0.0.1:{sock.getsockname()[1]}", storage)
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
        storage.close()


# -- clients ------------------------------------------------------------------------------------
@dataclasses.dataclass
class Client:
    name: str
    ws: Workspace
    url: str
    token: str

    @property
    def store(self) -> Store:
        return self.ws.store

    def sync(self) -> RoundSummary:
        return sync_round(self.store, self.url, self.token)


def new_client(folder: Path, name: str, server: Server) -> Client:
    store = open_database(folder / f"{name}.db", BENCH_KEY, create=True, actor=name)
    store.set_team(TEAM)
    return Client(name, Workspace(store), server.url, server.token(name))


def make_changes(ws: Workspace, wanted: int, seed: int = 1) -> int:
    """About `wanted` outbox rows made through the Workspace: demo placements with everything
    around them (`services.demo.populate`), then single-field company edits up to `wanted`.
    Returns how many there are."""
    placements = (wanted - 150) // OPS_PER_PLACEMENT
    if placements > 0:
        populate(ws, records=placements, seed=seed, today=date.today(), batch=1000)
    companies = ws.repos.companies.where("deleted = 0") if placements > 0 else []
    if not companies:
        companies = [ws.new(Company, name=f"Bench {seed}")]
        ws.save(companies[0])
    stamp = time.strftime("%H:%M:%S")
    edit = 0
    with ws.store.write():
        while pending_count(ws.store) < wanted:
            company = companies[edit % len(companies)]
            ws.save(dataclasses.replace(company, notes=f"Ringet op {stamp} ({edit})."))
            edit += 1
    return pending_count(ws.store)


def timed_s(action: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


@dataclasses.dataclass
class Round:
    push_s: float
    echo_s: float  # the pushing client pulling its own changes back in the same round
    pull_s: float  # the other client's whole round
    pushed: int
    pulled: int

    @property
    def total_s(self) -> float:
        return self.push_s + self.echo_s + self.pull_s


def push_then_pull(sender: Client, receiver: Client, profile: cProfile.Profile | None = None) -> Round:
    """The sender's round (push, then pull its own changes back) split in two, then the
    receiver's whole round."""
    if profile:
        profile.enable()
    with SyncClient(sender.url, sender.token) as http:
        push_s, pushed = timed_s(lambda: push_all(sender.store, http))
        echo_s, _ = timed_s(lambda: pull_all(sender.store, http))
    pull_s, received = timed_s(receiver.sync)
    if profile:
        profile.disable()
    return Round(push_s, echo_s, pull_s, pushed.pushed, received.pulled)


def noop_rounds(client: Client, rounds: int) -> list[float]:
    client.sync()  # anything left over goes first
    samples = []
    for _ in range(rounds):
        seconds, summary = timed_s(client.sync)
        assert summary.pushed == summary.pulled == 0, summary
        samples.append(seconds * 1000)
    return samples


def record_counts(store: Store) -> dict[str, int]:
    tables = ("companies", "contacts", "citizens", "placements", "aftercare_visits")
    return {t: int(store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}


def verdict(value: float, target: float, unit: str) -> str:
    return f"target < {target:g} {unit}  {'OK' if value < target else 'MISSED'}"


def print_profile(profile: cProfile.Profile, lines: int = 30) -> None:
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(lines)
    print(out.getvalue())


# -- the measurements ---------------------------------------------------------------------------
def measure_big_round(folder: Path, changes: int, rounds: int, profile: bool) -> None:
    print(f"1. {changes:,} changes pushed by one client and pulled by another")
    with running_server(folder / "s1") as server:
        sender, receiver = new_client(folder / "s1", "a", server), new_client(folder / "s1", "b", server)
        made_s, made = timed_s(lambda: make_changes(sender.ws, changes))
        print(f"   made {made:,} changes with the Workspace in {made_s:.1f} s (not part of the sync)")
        profiler = cProfile.Profile() if profile else None
        r = push_then_pull(sender, receiver, profiler)
        print(f"   push   {r.push_s:6.2f} s  ({r.pushed:,} ops in batches of 500, "
              f"{r.pushed / r.push_s:,.0f} ops/s)")
        print(f"   echo   {r.echo_s:6.2f} s  (the pushing client pulls its own ops back)")
        print(f"   pull   {r.pull_s:6.2f} s  (the other client's round: {r.pulled:,} changes went "
              f"in, {r.pulled / r.pull_s:,.0f}/s)")
        print(f"   in all {r.total_s:6.2f} s  {verdict(r.total_s, ROUND_TARGET_S, 's')}")
        same = record_counts(sender.store) == record_counts(receiver.store)
        print(f"   records alike on both clients: {'yes' if same else 'NO'} {record_counts(receiver.store)}")
        if profiler:
            print_profile(profiler)
        samples = noop_rounds(sender, rounds)
        p50, p95 = percentile(samples, 50), percentile(samples, 95)
        print(f"2. no-op sync (nothing to push or pull), {rounds} rounds: p50 {p50:.1f} ms  "
              f"p95 {p95:.1f} ms  max {max(samples):.1f} ms  {verdict(p95, NOOP_TARGET_MS, 'ms')} (p95)")
        made_ms = [timed_s(lambda: SyncClient(sender.url, sender.token).close())[0] * 1000
                   for _ in range(rounds)]
        print(f"   of which making the round's httpx client (it loads the CA bundle into a TLS "
              f"context, even for http://): p50 {percentile(made_ms, 50):.1f} ms")
        for c in (sender, receiver):
            c.store.close()


def measure_growth(folder: Path, sizes: list[int]) -> None:
    print("3. time against the number of changes (a fresh server and two fresh clients each)")
    print(f"   {'changes':>8} {'push s':>8} {'echo s':>8} {'pull s':>8} {'in all s':>9} {'µs/change':>10}")
    for n in sizes:
        with running_server(folder / f"g{n}") as server:
            a, b = new_client(folder / f"g{n}", "a", server), new_client(folder / f"g{n}", "b", server)
            made = make_changes(a.ws, n)
            r = push_then_pull(a, b)
            print(f"   {made:>8,} {r.push_s:>8.2f} {r.echo_s:>8.2f} {r.pull_s:>8.2f} {r.total_s:>9.2f} "
                  f"{r.total_s / made * 1e6:>10.0f}")
            a.store.close()
            b.store.close()


def measure_db_size(folder: Path, sizes: dict[str, int], rounds: int) -> None:
    print("4. the same sync on a small and on a large local database (both clients synced first)")
    for label, placements in sizes.items():
        with running_server(folder / label) as server:
            a, b = new_client(folder / label, "a", server), new_client(folder / label, "b", server)
            start = time.perf_counter()
            if placements:
                populate(a.ws, records=placements, seed=2, today=date.today(), batch=1000)
            made = pending_count(a.store)
            filled = time.perf_counter() - start
            first = push_then_pull(a, b)
            rows = sum(record_counts(a.store).values())
            print(f"   {label}: {placements:,} placements, {rows:,} records, {made:,} changes "
                  f"(filled in {filled:.1f} s; first sync: push {first.push_s:.1f} s, echo "
                  f"{first.echo_s:.1f} s, the other client's first pull {first.pull_s:.1f} s)")
            samples = noop_rounds(a, rounds)
            print(f"      no-op sync           p50 {percentile(samples, 50):7.1f} ms  "
                  f"p95 {percentile(samples, 95):7.1f} ms")
            hundred = []
            for i in range(3):
                make_changes_on_top(a.ws, 100, i)
                r = push_then_pull(a, b)
                assert r.pushed == 100 and r.pulled == 100, r
                hundred.append(r)
            best = min(hundred, key=lambda r: r.total_s)
            print(f"      100 changes (best of 3)  push {best.push_s * 1000:6.1f} ms  echo "
                  f"{best.echo_s * 1000:6.1f} ms  pull {best.pull_s * 1000:6.1f} ms  in all "
                  f"{best.total_s * 1000:6.1f} ms")
            a.store.close()
            b.store.close()


def make_changes_on_top(ws: Workspace, count: int, run: int) -> None:
    """`count` single-field edits of companies that exist (one new company first if none does)."""
    companies = ws.repos.companies.where("deleted = 0")
    if not companies:
        ws.save(ws.new(Company, name="Bench"))
        companies = ws.repos.companies.where("deleted = 0")
        count -= len(companies[0].__dataclass_fields__)  # what its creation logged is not known here
    start = pending_count(ws.store)
    with ws.store.write():
        for i in range(count):
            company = companies[i % len(companies)]
            ws.save(dataclasses.replace(company, notes=f"Opfølgning {run}.{i}"))
    assert pending_count(ws.store) - start == count


# -- main ---------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--changes", type=int, default=10_000, help="changes of the first figure")
    parser.add_argument("--db-records", type=int, default=2_000,
                        help="placements of the large local database of figure 4")
    parser.add_argument("--rounds", type=int, default=20, help="no-op syncs for p50/p95")
    parser.add_argument("--quick", action="store_true",
                        help="CI size: 1,000 changes, 250 placements, 10 rounds")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the first figure's push and pulls (30 costliest calls)")
    args = parser.parse_args(argv)
    if args.quick:
        args.changes, args.db_records, args.rounds = 1_000, 250, 10
    growth = sorted({n for n in (1_000, 2_000, 5_000, 10_000) if n <= args.changes} | {args.changes})
    if args.quick:
        growth = [250, 500, 1_000]
    print("Sync on 127.0.0.1: uvicorn in a thread of this process (one GIL for server and clients), "
          "SQLite server database, SQLCipher client databases (WAL, synchronous=FULL)")
    with tempfile.TemporaryDirectory(prefix="feltkonsulent-bench-sync-") as name:
        folder = Path(name)
        for sub in ("s1", *(f"g{n}" for n in growth), "small", "large"):
            (folder / sub).mkdir()
        measure_big_round(folder, args.changes, args.rounds, args.profile)
        measure_growth(folder, growth)
        measure_db_size(folder, {"small": 10, "large": args.db_records}, args.rounds)


if __name__ == "__main__":
    main()

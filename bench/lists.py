"""List benchmark: every list × sort × filter of the desktop app's four lists, first page and count.

    .venv/bin/python bench/lists.py [--placements 100000] [--db PATH] [--runs 15]

With `--db PATH` of a file that exists, that database is reused (it must have been made by this
script: the key is fixed, `RawKey(bytes(32))`); otherwise one is filled first with
`feltkonsulent.services.demo.populate` (100,000 placements take several minutes), topped up to
three visit notes per placement, and kept at PATH when given.

Not a test: it prints figures and exits 0 whether or not a target is met.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from feltkonsulent.domain.entities import AftercareVisit
from feltkonsulent.domain.enums import VisitMode
from feltkonsulent.services import lists
from feltkonsulent.services.demo import populate
from feltkonsulent.services.lists import ListQuery
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage import lists as storage_lists
from feltkonsulent.storage.database import Store, open_database
from feltkonsulent.storage.keys import RawKey
from timing import percentile, timed  # bench/ is on sys.path when run as a script

PAGE_TARGET_MS = 50.0
COUNT_TARGET_MS = 100.0
KEY = RawKey(bytes(32))  # a benchmark database holds demo data only

Rows = Callable[[Workspace, ListQuery], list[object]]
Count = Callable[[Workspace, str], int]


@dataclass(frozen=True)
class Listing:
    name: str
    rows: Rows
    count: Count
    sorts: tuple[str, ...]
    storage: storage_lists._Listing
    filters: dict[str, str]  # label -> text typed into the list's filter field


# -- filling ------------------------------------------------------------------------------
def fill(store: Store, placements: int) -> None:
    ws = Workspace(store)
    today = date.today()
    started = time.perf_counter()

    def progress(done: int) -> None:
        if done % 10_000 == 0 or done == placements:
            print(f"    {done:>9,} placements  ({time.perf_counter() - started:,.0f} s)", flush=True)

    summary = populate(ws, records=placements, seed=1, today=today, batch=1000, progress=progress)
    missing = 3 * placements - summary.aftercare_visits
    rng = random.Random(2)
    ids = [p.id for p in ws.repos.placements.iterate()]
    for first in range(0, max(0, missing), 1000):
        with store.write():
            for _ in range(min(1000, missing - first)):
                ws.record_visit(ws.new(
                    AftercareVisit, placement_id=rng.choice(ids), mode=VisitMode.PHONE,
                    visited_on=today - timedelta(days=rng.randint(0, 400)),
                    notes="Telefonisk opfølgning. Borgeren trives og møder stabilt.",
                ))  # fmt: skip
    print(f"  filled in {time.perf_counter() - started:,.0f} s", flush=True)


@contextmanager
def database_path(given: str | None, placements: int) -> Iterator[Path]:
    if given is not None and Path(given).exists():
        print(f"Database: {given} (reused)")
        yield Path(given)
        return
    with tempfile.TemporaryDirectory(prefix="feltkonsulent-lists-") as folder:
        path = Path(given) if given is not None else Path(folder) / "bench.db"
        print(f"Database: {path} (new: {placements:,} placements)")
        store = open_database(path, KEY, create=True, actor="bench")
        fill(store, placements)
        store.close()
        yield path


# -- what to measure ----------------------------------------------------------------------
def one(store: Store, sql: str) -> str:
    row = store.conn.execute(sql).fetchone()
    return str(row[0]) if row else "zzz"


def listings(store: Store) -> list[Listing]:
    """The lists with filters taken from the data: a common word, a rare full name, a number."""
    middle = "LIMIT 1 OFFSET (SELECT count(*) / 3 FROM {})"
    citizen = one(store, f"SELECT name FROM citizens ORDER BY rowid {middle.format('citizens')}")
    company = one(store, f"SELECT name FROM companies ORDER BY rowid {middle.format('companies')}")
    cvr = one(store, "SELECT substr(cvr, 1, 4) FROM companies WHERE deleted = 0 ORDER BY rowid LIMIT 1")
    cpr = one(store, "SELECT substr(cpr, 1, 6) FROM citizens WHERE deleted = 0 ORDER BY rowid LIMIT 1")
    names = {
        "common surname (Hassan)": "Hassan",
        "first name (Mette)": "Mette",
        "two letters (ha)": "ha",
        "full name (rare)": citizen,
        "company word (Netto)": "Netto",
        "nothing matches": "Zxqv",
    }
    return [
        Listing("companies", lists.company_rows, lists.company_count, lists.COMPANY_SORTS,
                storage_lists.COMPANIES, {
                    "none": "", "word (Bageri)": "Bageri", "town in name (Aarhus)": "Aarhus",
                    "full name (rare)": company, "Danish letter (ørsted)": "ørsted",
                    "CVR prefix (4 digits)": cvr, "nothing matches": "Zxqv",
                }),
        Listing("citizens", lists.citizen_rows, lists.citizen_count, lists.CITIZEN_SORTS,
                storage_lists.CITIZENS, {
                    "none": "", "common surname (Hassan)": "Hassan", "first name (Mette)": "Mette",
                    "two letters (ha)": "ha", "full name (rare)": citizen,
                    "CPR prefix (6 digits)": cpr, "nothing matches": "Zxqv",
                }),
        Listing("placements", lists.placement_rows, lists.placement_count, lists.PLACEMENT_SORTS,
                storage_lists.PLACEMENTS, {"none": "", **names}),
        Listing("visits", lists.visit_rows, lists.visit_count, lists.VISIT_SORTS,
                storage_lists.VISITS, {"none": "", **names}),
    ]  # fmt: skip


def sorts_whole_table(store: Store, listing: Listing, sort: str, descending: bool) -> bool:
    """Whether the unfiltered first page's plan sorts rows instead of walking an index."""
    query = storage_lists.page_query(store, listing.storage, sort, descending, None, 0, 50)
    assert query is not None
    plan = [r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + query[0], query[1])]
    return any("USE TEMP B-TREE FOR ORDER BY" in step for step in plan)


@dataclass
class Tally:
    pages: int = 0
    pages_missed: int = 0
    counts: int = 0
    counts_missed: int = 0


def line(label: str, samples: list[float], target: float) -> bool:
    p50, p95 = percentile(samples, 50), percentile(samples, 95)
    missed = p95 >= target
    print(
        f"    {label:<58} first {samples[0]:7.1f}  p50 {p50:7.2f}  p95 {p95:7.2f} ms"
        f"{'  MISSED' if missed else ''}"
    )
    return missed


def afresh(ws: Workspace) -> None:
    """Before each timed call: write the audit rows of the pages before, as the desktop app's
    timer does (see `audit_flush`: otherwise every tenth page pays it), and forget the names
    looked up for the last filter, as if the filter had just been typed."""
    ws.store.flush_audit()
    storage_lists.forget_lookups()


def pages(ws: Workspace, listing: Listing, query: ListQuery, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        afresh(ws)
        samples.append(timed(lambda: listing.rows(ws, query)))
    return samples


def counts(ws: Workspace, listing: Listing, text: str, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        afresh(ws)
        samples.append(timed(lambda: listing.count(ws, text)))
    return samples


def keystrokes(ws: Workspace, listing: Listing, runs: int) -> None:
    """What the list does when a filter is typed: count the rows, then read the first page (the
    names looked up for the count serve the page)."""
    print("  a filter typed: count, then the first page in the default sort (target < 100 ms)")
    for label, text in listing.filters.items():
        query = ListQuery(sort=listing.sorts[0], text=text)
        samples = []
        for _ in range(runs):
            afresh(ws)
            samples.append(timed(lambda q=query: (listing.count(ws, q.text), listing.rows(ws, q))))
        line(label, samples, COUNT_TARGET_MS)


def audit_flush(ws: Workspace, runs: int) -> None:
    """The write transaction that stores the kept read-audit rows (`Store.flush_audit`)."""
    query = ListQuery(sort=lists.PLACEMENT_SORTS[0], limit=450)  # 500 would be written at once
    samples = []
    for _ in range(runs):
        ws.store.flush_audit()
        lists.placement_rows(ws, query)
        samples.append(timed(ws.store.flush_audit))
    print("\naudit")
    line("writing 450 kept read-audit rows (one commit, synchronous=FULL)", samples, 1e9)


def measure(ws: Workspace, listing: Listing, runs: int, tally: Tally) -> None:
    print(f"\n{listing.name}")
    print("  counts (target < 100 ms)")
    for label, text in listing.filters.items():
        samples = counts(ws, listing, text, runs)
        tally.counts += 1
        tally.counts_missed += line(f"{label}: {listing.count(ws, text):,} rows", samples, COUNT_TARGET_MS)
    print("  first page, 50 rows (target < 50 ms)")
    for sort in listing.sorts:
        for descending in (False, True):
            sorts_all = sorts_whole_table(ws.store, listing, sort, descending)
            flag = "  (plan sorts the table!)" if sorts_all else ""
            for label, text in listing.filters.items():
                query = ListQuery(sort=sort, descending=descending, text=text)
                samples = pages(ws, listing, query, runs)
                tally.pages += 1
                name = f"{sort} {'desc' if descending else 'asc'} / {label}{flag}"
                tally.pages_missed += line(name, samples, PAGE_TARGET_MS)
    keystrokes(ws, listing, runs)
    total = listing.count(ws, "")
    for fraction in (0.5, 1.0):
        query = ListQuery(sort=listing.sorts[0], offset=max(0, int(total * fraction) - 50))
        samples = pages(ws, listing, query, max(3, runs // 3))
        label = f"{listing.sorts[0]} asc / none, page at offset {query.offset:,} (for information)"
        line(label, samples, 1e9)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--placements", type=int, default=100_000)
    parser.add_argument("--db", help="database to reuse, or where to keep the new one")
    parser.add_argument("--runs", type=int, default=15, help="timed calls of each query")
    parser.add_argument("--only", help="measure only this list (companies, citizens, placements, visits)")
    parser.add_argument(
        "--cache-mb",
        type=int,
        help="set this connection's page cache (PRAGMA cache_size) to show what a bigger one would "
        "give; without it, the cache is what open_database leaves (SQLCipher's default, 8 MB)",
    )
    args = parser.parse_args(argv)
    with database_path(args.db, args.placements) as path:
        store = open_database(path, KEY, actor="bench")  # applies any new migration
        if args.cache_mb:
            store.conn.execute(f"PRAGMA cache_size = -{args.cache_mb * 1024}")
        cache_kib = -int(store.conn.execute("PRAGMA cache_size").fetchone()[0])
        print(f"Page cache: {cache_kib / 1024:.0f} MB")
        ws = Workspace(store)
        sizes = {t: one(store, f"SELECT count(*) FROM {t}") for t in
                 ("companies", "citizens", "placements", "aftercare_visits")}  # fmt: skip
        print("Rows: " + ", ".join(f"{t} {int(n):,}" for t, n in sizes.items()))
        print("Each figure: `runs` calls in a row, each with the filter's names looked up anew;")
        print("'first' is the first of them (page cache warm from the queries before, not this one).")
        tally = Tally()
        for listing in listings(store):
            if args.only in (None, listing.name):
                measure(ws, listing, args.runs, tally)
        audit_flush(ws, args.runs)
        store.close()
    print(
        f"\nPages: {tally.pages} measured, {tally.pages_missed} with p95 ≥ {PAGE_TARGET_MS:.0f} ms; "
        f"counts: {tally.counts} measured, {tally.counts_missed} with p95 ≥ {COUNT_TARGET_MS:.0f} ms"
    )


if __name__ == "__main__":
    sys.exit(main())

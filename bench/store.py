"""Storage benchmark: fills an encrypted database with demo data and prints timings against targets.

    .venv/bin/python bench/store.py [--placements 100000] [--visits-per-placement 3] [--db PATH]

Not a test: it prints figures and exits 0 whether or not a target is met.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from feltkonsulent.domain.entities import AftercareVisit, Company
from feltkonsulent.domain.enums import VisitMode
from feltkonsulent.services.demo import DemoSummary, populate
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage.database import Store, open_database
from feltkonsulent.storage.keys import RawKey
from timing import percentile, timed  # bench/ is on sys.path when run as a script

SAVE_TARGET_MS = 10.0
PAGE_TARGET_MS = 50.0
SEARCH_TARGET_MS = 50.0


# What consultants type into the search box: names, places, trades, note words, prefixes, CPR.
def _words(text: str) -> list[str]:
    return text.split()


SEARCH_WORDS = [
    *_words("""
    Bageri Bageriet Konditori Plejecenter Plejehjemmet Solgården Egebakken Netto Rema Føtex
    SuperBrugsen Meny Rengøring Byg Tømrerfirmaet Transport Logistik Autoværksted Maskinfabrik
    Restaurant Café Pizzeria Materielgården Genbrugspladsen Aarhus Vejle Esbjerg Odense Aalborg
    Herning Kolding Horsens Roskilde Næstved Mohammad Ahmad Fatima Rasha Hassan Omar Olena Iryna
    Kovalenko Shevchenko Haile Tesfamariam Ahmadi Karimi Warsame Farah Al-Jubouri Zainab Mette
    Jensen Nielsen Sørensen Møller opfyldning kundeservice rengøring opvask køkken lager truck
    pakning plukning græsslåning vasketøj fravær tolk vagtplan sprogmakker løntilskud sikkerhed
    fagord Rettelse buddy ansættelse transport ryggen timer Moh Fat Ole Kov Sol Ple Bag Ren
    Res Lag Køk Opf Vag Spr Løn Tol Ås Ha Ka
"""),
    "0101",
    "1503",
    "2206",
    "Fatima Haddad",
    "Netto Vestergade",
    "opvask køkken",
]


@dataclasses.dataclass(frozen=True)
class Figure:
    name: str
    samples_ms: list[float]


def verdict(value: float, target: float) -> str:
    return f"target < {target:.0f} ms  {'OK' if value < target else 'MISSED'}"


def report(figure: Figure, target: float) -> None:
    p50, p95 = percentile(figure.samples_ms, 50), percentile(figure.samples_ms, 95)
    print(
        f"  {figure.name:<34} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  "
        f"max {max(figure.samples_ms):7.2f} ms  (n={len(figure.samples_ms)})  "
        f"p95 {verdict(p95, target)}"
    )


# -- filling ------------------------------------------------------------------------------
def fill(ws: Workspace, placements: int, today: date) -> DemoSummary:
    started = time.perf_counter()

    def progress(done: int) -> None:
        if done % 10_000 == 0 or done == placements:
            rate = done / (time.perf_counter() - started)
            print(f"    {done:>9,} placements  ({rate:,.0f} placements/s)", flush=True)

    return populate(ws, records=placements, seed=1, today=today, batch=1000, progress=progress)


def top_up_visits(ws: Workspace, wanted: int, have: int, today: date) -> int:
    """Add plain completed visit notes until there are `wanted`; populate makes about 3 each."""
    missing = wanted - have
    if missing <= 0:
        return 0
    rng = random.Random(2)
    ids = [p.id for p in ws.repos.placements.iterate()]
    for first in range(0, missing, 1000):
        with ws.store.write():
            for _ in range(min(1000, missing - first)):
                ws.record_visit(
                    ws.new(
                        AftercareVisit,
                        placement_id=rng.choice(ids),
                        mode=VisitMode.PHONE,
                        visited_on=today - timedelta(days=rng.randint(0, 400)),
                        notes="Telefonisk opfølgning. Borgeren trives og møder stabilt.",
                        agreed_actions="Næste opfølgning om fire uger.",
                    )
                )
    return missing


def print_fill(summary: DemoSummary, extra_visits: int, seconds: float) -> None:
    counts = dataclasses.asdict(summary)
    counts["aftercare_visits"] += extra_visits
    total = sum(counts.values())
    print(f"Fill: {total:,} records in {seconds:,.1f} s ({total / seconds:,.0f} records/s)")
    for name, count in counts.items():
        print(f"  {name:<22} {count:>10,}")


# -- measuring ----------------------------------------------------------------------------
def measure_saves(ws: Workspace, today: date, count: int = 500) -> tuple[Figure, Figure]:
    """Half company updates, half new visit notes; each `ws.save` is its own transaction."""
    rng = random.Random(3)
    companies: list[Company] = ws.repos.companies.where("rowid % 50 = 0")
    placement_ids = [p.id for p in ws.repos.placements.where("rowid % 200 = 0")]
    updates, notes = [], []
    run = time.strftime("%H:%M:%S")  # so a --reuse run changes the notes again
    for i in range(count // 2):
        company = dataclasses.replace(rng.choice(companies), notes=f"Ringet op {run} ({i}).")
        updates.append(timed(functools.partial(ws.save, company)))
        visit = ws.new(
            AftercareVisit,
            placement_id=rng.choice(placement_ids),
            visited_on=today,
            notes="Kort besøg: alt går godt.",
            agreed_actions="Ingen nye aftaler.",
        )
        notes.append(timed(functools.partial(ws.record_visit, visit)))
    return Figure("save: company update", updates), Figure("save: new visit note", notes)


def measure_page(ws: Workspace, runs: int = 50) -> tuple[float, Figure]:
    cold = timed(lambda: ws.placement_page(limit=50))
    warm = [timed(lambda: ws.placement_page(limit=50)) for _ in range(runs)]
    return cold, Figure("placement page (50, by end date)", warm)


def measure_search(ws: Workspace) -> tuple[Figure, float]:
    samples, hits = [], 0
    for word in SEARCH_WORDS:
        start = time.perf_counter()
        hits += len(ws.search(word))
        samples.append((time.perf_counter() - start) * 1000)
    return Figure(f"search ({len(SEARCH_WORDS)} words)", samples), hits / len(SEARCH_WORDS)


def size_mb(path: Path) -> tuple[float, float]:
    wal = path.with_name(path.name + "-wal")
    main_bytes = path.stat().st_size
    wal_bytes = wal.stat().st_size if wal.exists() else 0
    return main_bytes / 1e6, wal_bytes / 1e6


def bookkeeping_rows(store: Store) -> dict[str, int]:
    """Rows of the tables written beside every record, which is where most of the size goes."""
    tables = ("outbox", "field_meta", "audit_log", "search_docs")
    return {table: int(store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]) for table in tables}


# -- main ---------------------------------------------------------------------------------
# A fixed key, so a database built with --db can be measured again with --reuse.
BENCH_KEY = RawKey(b"bench-key-feltkonsulent-32-bytes")


@contextmanager
def database_path(given: str | None, reuse: bool) -> Iterator[Path]:
    if given is not None:
        path = Path(given)
        if path.exists() and not reuse:
            sys.exit(f"{path} exists; the benchmark needs a fresh database (or --reuse)")
        if reuse and not path.exists():
            sys.exit(f"--reuse: no database at {path}")
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="feltkonsulent-bench-") as folder:
        yield Path(folder) / "bench.db"


def run(args: argparse.Namespace, path: Path) -> None:
    today = date.today()
    key = BENCH_KEY
    print(f"Database: {path} (SQLCipher, WAL, synchronous=FULL)")
    if not args.reuse:
        store: Store = open_database(path, key, create=True, actor="bench")
        started = time.perf_counter()
        summary = fill(Workspace(store), args.placements, today)
        wanted = round(args.placements * args.visits_per_placement)
        extra = top_up_visits(Workspace(store), wanted, summary.aftercare_visits, today)
        print_fill(summary, extra, time.perf_counter() - started)
        store.close()
    # Reopen, so the first page below runs on a fresh connection with an empty page cache
    # (the operating system's file cache is still warm).
    store = open_database(path, key, actor="bench")
    ws = Workspace(store)
    print("Timings:")
    cold, page = measure_page(ws)
    print(f"  {'placement page, first (cold)':<34} {cold:7.2f} ms  {verdict(cold, PAGE_TARGET_MS)}")
    report(page, PAGE_TARGET_MS)
    search, hits = measure_search(ws)
    report(search, SEARCH_TARGET_MS)
    print(f"  {'':<34} {hits:.1f} hits per search on average")
    for figure in measure_saves(ws, today):
        report(figure, SAVE_TARGET_MS)
    main_mb, wal_mb = size_mb(path)
    total = main_mb + wal_mb
    print(f"Size on disk: {total:,.1f} MB (file {main_mb:,.1f} MB + wal {wal_mb:,.1f} MB)")
    rows = ", ".join(f"{table} {count:,}" for table, count in bookkeeping_rows(store).items())
    print(f"  bookkeeping rows: {rows}")
    store.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--placements", type=int, default=100_000)
    parser.add_argument("--visits-per-placement", type=float, default=3.0)
    parser.add_argument("--db", help="where to create the database (default: a temp folder)")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the database at --db again, without filling it"
    )
    args = parser.parse_args(argv)
    with database_path(args.db, args.reuse) as path:
        run(args, path)


if __name__ == "__main__":
    main()

"""Durability of the encrypted store: what a writer reports as committed survives SIGKILL at any
moment, a half-done transaction leaves nothing behind, and the file stays a sound database.

Plus: the file is no plain SQLite database, and a wrong key changes nothing on disk, not even on
a database a crash left with its WAL.

The kill test is driven by a seed, printed at the start (shown with the output of a failing test).
Run it again with the same kills and choices:

    FELTKONSULENT_DURABILITY_SEED=<seed> .venv/bin/pytest tests/storage/test_durability.py

(The moments of the kills are the same; what the writer has reached by then depends on timing.)
A longer soak: FELTKONSULENT_DURABILITY_KILLS=500.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from feltkonsulent.domain.entities import Company
from feltkonsulent.domain.ids import CompanyId, TeamId, uuid7
from feltkonsulent.storage import search
from feltkonsulent.storage.database import Store, WrongKey, open_database
from feltkonsulent.storage.keys import Passphrase, RawKey
from feltkonsulent.storage.repositories import Repositories

WRITER = Path(__file__).with_name("durability_writer.py")
KILLS = int(os.environ.get("FELTKONSULENT_DURABILITY_KILLS", "25"))
# Share of kills aimed at a random moment after spawning the writer, which may be before or
# during opening the database (imports, key, migrations, first commit) rather than in the loop.
EARLY_KILL_SHARE = 0.2
EARLY_KILL_MAX_S = 0.5
# Longest wait between the writer saying READY and the kill: it writes all the time meanwhile.
KILL_DELAY_MAX_S = 0.3
START_TIMEOUT_S = 30.0


# -- what the writer says -------------------------------------------------------------------------
@dataclass(frozen=True)
class Item:
    action: str  # "add" or "update"
    entity: str
    row_id: str
    notes: str | None = None

    @classmethod
    def parse(cls, text: str) -> Item:
        action, entity, row_id, *rest = text.split(":")
        assert action in ("add", "update"), text
        return cls(action, entity, row_id, rest[0] if rest else None)


@dataclass
class Transaction:
    round_no: int
    seq: int
    items: list[Item]
    committed: bool = False  # the writer printed COMMIT, i.e. the commit had returned


@dataclass
class Round:
    round_no: int
    early: bool
    delay: float
    lines: list[str]
    transactions: list[Transaction] = field(default_factory=list)

    @property
    def opened(self) -> bool:
        return "READY\n" in self.lines

    @property
    def in_flight(self) -> Transaction | None:
        """The transaction begun but not reported committed when the kill came, if any."""
        if self.transactions and not self.transactions[-1].committed:
            return self.transactions[-1]
        return None


def parse_round(round_no: int, early: bool, delay: float, lines: list[str]) -> Round:
    result = Round(round_no, early, delay, lines)
    by_seq: dict[int, Transaction] = {}
    for line in lines:
        if not line.endswith("\n"):
            continue  # cut off by the kill (cannot happen for one short write, but be strict)
        word, *rest = line.split()
        if word == "BEGIN":
            assert result.in_flight is None, f"BEGIN before the last COMMIT: {line!r}"
            txn = Transaction(round_no, int(rest[0]), [Item.parse(t) for t in rest[1:]])
            by_seq[txn.seq] = txn
            result.transactions.append(txn)
        elif word == "COMMIT":
            by_seq[int(rest[0])].committed = True
        else:
            assert word == "READY", f"unexpected line from the writer: {line!r}"
    return result


# -- running and killing the writer ---------------------------------------------------------------
def _read_lines(stream: object, lines: list[str], ready: threading.Event) -> None:
    assert hasattr(stream, "readline")
    for line in iter(stream.readline, ""):
        lines.append(line)
        if line == "READY\n":
            ready.set()
    ready.set()  # end of output: the writer is gone


def run_round(round_no: int, db_path: Path, key_hex: str, rng: random.Random) -> Round:
    """Start the writer on `db_path`, SIGKILL it at a random moment, return what it reported."""
    early = rng.random() < EARLY_KILL_SHARE
    delay = rng.uniform(0, EARLY_KILL_MAX_S if early else KILL_DELAY_MAX_S)
    writer_seed = str(rng.getrandbits(64))
    err_path = db_path.with_name(f"writer-{round_no}.stderr")
    lines: list[str] = []
    ready = threading.Event()
    with (
        err_path.open("w") as err,
        subprocess.Popen(
            [sys.executable, str(WRITER), str(db_path), key_hex, writer_seed],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        ) as proc,
    ):
        reader = threading.Thread(target=_read_lines, args=(proc.stdout, lines, ready))
        reader.start()
        try:
            if not early:
                ready.wait(START_TIMEOUT_S)
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait(START_TIMEOUT_S)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            reader.join(START_TIMEOUT_S)
    assert proc.returncode == -signal.SIGKILL, (
        f"round {round_no}: the writer ended by itself (exit {proc.returncode}) before the kill:\n"
        + err_path.read_text()
    )
    result = parse_round(round_no, early, delay, lines)
    assert early or result.opened, f"round {round_no}: the writer never got the database open"
    return result


def crash_after(commits: int, db_path: Path, key: RawKey) -> Round:
    """Let a writer commit `commits` transactions, then SIGKILL it: a crashed database, with its
    WAL and shared-memory files left behind."""
    lines: list[str] = []
    with subprocess.Popen(
        [sys.executable, str(WRITER), str(db_path), key.key.hex(), "0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        try:
            for line in proc.stdout:
                lines.append(line)
                if line.startswith("COMMIT") and int(line.split()[1]) >= commits:
                    break
        finally:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return parse_round(0, False, 0.0, lines)


# -- what the file holds afterwards ---------------------------------------------------------------
@dataclass
class Contents:
    companies: dict[str, str | None]  # id -> notes
    contacts: set[str]
    outbox: dict[str, set[tuple[str, str]]]  # row_id -> {(field, json value)}
    outbox_rows: int
    searchable: set[str]

    def has(self, item: Item) -> bool:
        if item.action == "add":
            return item.row_id in (self.contacts if item.entity == "contacts" else self.companies)
        return self.companies.get(item.row_id) == item.notes

    def logged(self, item: Item) -> bool:
        """The change log holds the item: an add's fields, an update's new value."""
        ops = self.outbox.get(item.row_id, set())
        if item.action == "add":
            return any(name == "name" for name, _ in ops)
        return ("notes", json.dumps(item.notes, ensure_ascii=False)) in ops


def read_contents(store: Store) -> Contents:
    conn = store.conn
    outbox: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row_id, name, value in conn.execute("SELECT row_id, field, value FROM outbox"):
        outbox[row_id].add((name, value))
    return Contents(
        companies=dict(conn.execute("SELECT id, notes FROM companies").fetchall()),
        contacts={r[0] for r in conn.execute("SELECT id FROM contacts")},
        outbox=dict(outbox),
        outbox_rows=conn.execute("SELECT count(*) FROM outbox").fetchone()[0],
        searchable={r[0] for r in conn.execute("SELECT row_id FROM search_docs WHERE kind = 'companies'")},
    )


def check_sound(store: Store) -> None:
    conn = store.conn
    # A kill cannot tell a synced write from one left in the OS cache; check the settings that
    # make the difference on power loss instead.
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    # FTS5's own check of the search index against its content (raises if they disagree).
    for kind in search.SEARCHABLE:
        table = search.fts_table(kind)
        conn.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
    hlcs = [r[0] for r in conn.execute("SELECT hlc FROM outbox ORDER BY local_seq")]
    assert hlcs == sorted(hlcs), "change stamps went backwards across a restart"
    saved = int(store.state().get("hlc", "0"))
    assert saved >= max(hlcs, default=0), "the saved clock is behind a saved change"
    devices = {r[0] for r in conn.execute("SELECT DISTINCT device_id FROM outbox")}
    assert devices == {store.device_id}, "the device id changed across restarts"


def check_transactions(rounds: list[Round], contents: Contents) -> None:
    reported = [t for r in rounds for t in r.transactions if t.committed]
    in_flight = [t for r in rounds if (t := r.in_flight) is not None]
    for txn in reported:
        missing = [i for i in txn.items if not contents.has(i)]
        assert not missing, (
            f"round {txn.round_no}: committed and reported, yet {len(missing)} lost: {missing[:3]}"
        )
        unlogged = [i for i in txn.items if not contents.logged(i)]
        assert not unlogged, (
            f"round {txn.round_no}: committed, {len(unlogged)} not in the outbox: {unlogged[:3]}"
        )
    for txn in in_flight:
        present = [contents.has(i) for i in txn.items]
        assert all(present) or not any(present), (
            f"round {txn.round_no}: half a transaction survived the kill: "
            f"{list(zip(txn.items, present, strict=True))}"
        )
        assert [contents.logged(i) for i in txn.items] == present, (
            f"round {txn.round_no}: records and change log disagree after the kill"
        )

    # Nothing but what the writers wrote: every record comes from a reported transaction or
    # from the one in flight at a kill (which may have committed before its COMMIT was printed).
    known = {i.row_id for t in reported + in_flight for i in t.items if i.action == "add"}
    rows = set(contents.companies) | contents.contacts
    assert rows <= known, f"records nobody wrote: {sorted(rows - known)[:5]}"
    assert set(contents.outbox) <= rows, "change-log rows for records that are not there"
    assert contents.searchable == set(contents.companies), "search index and companies disagree"

    reported_adds = [i for t in reported for i in t.items if i.action == "add"]
    reported_updates = [i for t in reported for i in t.items if i.action == "update"]
    assert len(rows) >= len(reported_adds)
    assert contents.outbox_rows >= len(reported_adds) + len(reported_updates)
    # An update that committed but was not reported may only be one in flight at a kill.
    updated = {row_id for row_id, notes in contents.companies.items() if notes is not None}
    known_updates = {i.row_id for t in reported + in_flight for i in t.items if i.action == "update"}
    assert updated <= known_updates, "a company has notes that no writer wrote"


@pytest.mark.slow
def test_committed_writes_survive_sigkill(tmp_path: Path, key: RawKey) -> None:
    seed = int(os.environ.get("FELTKONSULENT_DURABILITY_SEED") or random.SystemRandom().getrandbits(32))
    print(f"durability seed: FELTKONSULENT_DURABILITY_SEED={seed} kills={KILLS}")
    rng = random.Random(seed)
    db_path = tmp_path / "feltkonsulent.db"
    started = time.monotonic()

    rounds = [run_round(n, db_path, key.key.hex(), rng) for n in range(KILLS)]

    store = open_database(db_path, key)
    try:
        check_sound(store)
        contents = read_contents(store)
        check_transactions(rounds, contents)
        # Read back through the repositories too, as the application would.
        repos = Repositories(store)
        for txn in (t for r in rounds for t in r.transactions if t.committed):
            for item in txn.items:
                if item.action == "update":
                    assert repos.companies.require(item.row_id).notes == item.notes
    finally:
        store.close()

    committed = sum(t.committed for r in rounds for t in r.transactions)
    in_flight = [t for r in rounds if (t := r.in_flight) is not None]
    rolled_back = [t for t in in_flight if not contents.has(t.items[0])]
    print(
        f"durability seed {seed}: {KILLS} kills ({sum(r.early for r in rounds)} aimed early, "
        f"{sum(not r.opened for r in rounds)} before the database was open), "
        f"{committed} reported commits, {len(set(contents.companies) | contents.contacts)} "
        f"records, {contents.outbox_rows} outbox rows; {len(in_flight)} kills with a "
        f"transaction in flight, {len(rolled_back)} of them rolled back; "
        f"{time.monotonic() - started:.1f} s"
    )
    # The point of the exercise: kills must land while the writer is inside a transaction.
    late_kills = sum(not r.early for r in rounds)
    assert len(in_flight) >= late_kills // 3, f"seed {seed}: too few kills mid-transaction"
    assert rolled_back or KILLS < 10, f"seed {seed}: no kill interrupted a transaction"


# -- encryption at rest ---------------------------------------------------------------------------
SECRET_NAME = "Fjordgården Hemmelige Maskinfabrik ApS"


def add_company(store: Store) -> None:
    Repositories(store).companies.add(
        Company(id=CompanyId(uuid7()), team_id=TeamId("local"), name=SECRET_NAME, cvr="13585628")
    )


def sidecars(path: Path) -> list[Path]:
    return [p for p in (Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


@pytest.fixture
def closed_db(db_path: Path, key: RawKey) -> Path:
    """A database with one record, closed cleanly (so its WAL is checkpointed and removed)."""
    store = open_database(db_path, key, create=True)
    try:
        add_company(store)
    finally:
        store.close()
    assert sidecars(db_path) == []
    return db_path


def test_file_is_not_plain_sqlite(closed_db: Path) -> None:
    before = closed_db.read_bytes()
    assert not before.startswith(b"SQLite format 3\x00")
    assert SECRET_NAME.encode() not in before
    with (
        contextlib.closing(sqlite3.connect(closed_db)) as conn,
        pytest.raises(sqlite3.DatabaseError, match=r"^file is not a database$"),
    ):
        conn.execute("SELECT * FROM sqlite_master")
    assert closed_db.read_bytes() == before


def test_write_ahead_log_is_encrypted_too(db_path: Path, store: Store) -> None:
    add_company(store)
    wal = Path(f"{db_path}-wal")
    assert wal.stat().st_size > 0, "the write is expected to sit in the WAL until a checkpoint"
    assert SECRET_NAME.encode() not in wal.read_bytes()
    assert SECRET_NAME.encode() not in db_path.read_bytes()


@pytest.mark.parametrize("create", [False, True])
@pytest.mark.parametrize(
    "wrong",
    [RawKey(bytes(reversed(range(32)))), Passphrase("forkert kodeord")],
    ids=["raw-key", "passphrase"],
)
def test_wrong_key_changes_nothing(
    closed_db: Path, key: RawKey, wrong: RawKey | Passphrase, create: bool
) -> None:
    before = closed_db.read_bytes()
    with pytest.raises(WrongKey):
        open_database(closed_db, wrong, create=create)
    assert closed_db.read_bytes() == before
    assert sidecars(closed_db) == []
    # And the right key still opens it, with the record intact.
    store = open_database(closed_db, key)
    try:
        assert [c.name for c in Repositories(store).companies.where()] == [SECRET_NAME]
    finally:
        store.close()


@pytest.fixture
def crashed_db(db_path: Path, key: RawKey) -> tuple[Path, Round]:
    writes = crash_after(200, db_path, key)
    assert Path(f"{db_path}-wal").stat().st_size > 0
    return db_path, writes


def test_wrong_key_on_a_crashed_database_loses_nothing(crashed_db: tuple[Path, Round], key: RawKey) -> None:
    db_path, writes = crashed_db
    with pytest.raises(WrongKey):
        open_database(db_path, RawKey(bytes(32)))
    store = open_database(db_path, key)
    try:
        check_sound(store)
        check_transactions([writes], read_contents(store))
    finally:
        store.close()


def test_wrong_key_on_a_crashed_database_writes_nothing(crashed_db: tuple[Path, Round]) -> None:
    db_path, _ = crashed_db
    files = [db_path, Path(f"{db_path}-wal")]
    before = [f.read_bytes() for f in files]
    with pytest.raises(WrongKey):
        open_database(db_path, RawKey(bytes(32)))
    assert [f.read_bytes() if f.exists() else None for f in files] == before

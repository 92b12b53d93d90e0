"""The one function that opens the local database, and the `Store` every repository works through."""

from __future__ import annotations

import hmac
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlite_utils import Database

from feltkonsulent.domain.hlc import HybridLogicalClock, Timestamp
from feltkonsulent.domain.ids import DeviceId, TeamId, uuid7
from feltkonsulent.storage import danish, migrations
from feltkonsulent.storage.keys import SALT_BYTES, KeyMaterial, Passphrase, file_salt, pragma_key

BUSY_TIMEOUT_MS = 5000
CACHE_KIB = 64 * 1024
# Read-audit rows wait in memory for the next write transaction (the app also flushes them every
# 30 s), or until there are this many: a list read then writes them, taking the writer lock.
AUDIT_BUFFER_ROWS = 5000
DEFAULT_TEAM = TeamId("local")

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


# at, actor, action, entity, row_id, citizen_id, fields
AuditRow = tuple[str, str, str, str, str | None, str | None, str | None]

class StoreError(Exception):
    """A problem opening or using the database, with a code the UI and CLI turn into words."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail}" if detail else code)


class WrongKey(StoreError):
    """The key or passphrase does not open this file (or the file is no Feltkonsulent database)."""

    def __init__(self) -> None:
        super().__init__("wrong_key")


class NoDatabase(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__("no_database", str(path))


class Store:
    """An open database: its connection, its device identity and clock, and its transactions."""

    def __init__(
        self, db: Database, path: Path, clock: Clock, actor: str, key: KeyMaterial
    ) -> None:
        self.db = db
        self._key = key
        self.conn: Any = db.conn
        self.path = path
        self.clock = clock
        self.actor = actor
        self._lock = threading.RLock()
        self._depth = 0
        self._writer: int | None = None  # the thread inside write(), if any
        self._audit_buffer: list[AuditRow] = []
        self._touching: set[str] = set()  # entities written in the open transaction
        self._touched: set[str] = set()  # entities written by committed transactions, not yet taken
        self.transactions = 0  # write transactions begun on this connection (the app's: none)
        # Where read-audit rows go instead of this connection's own transaction: the app's
        # window hands them to its one writer (ui/door.py), so its connection never writes.
        self.audit_sink: Callable[[list[AuditRow]], None] | None = None
        state = self.state()
        self.device_id = DeviceId(state["device_id"])
        self.team_id = TeamId(state.get("team_id", DEFAULT_TEAM))
        self.hlc = HybridLogicalClock(
            self._wall_ms, Timestamp.unpack(int(state.get("hlc", "0")))
        )
        self._hlc_reset = state.get("hlc_reset")  # which setting-back of the clock this one has

    def _wall_ms(self) -> int:
        return int(self.clock().timestamp() * 1000)

    # -- transactions ---------------------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[Store]:
        """One write transaction (BEGIN IMMEDIATE: the writer lock is taken up front, so two
        writers wait for each other instead of failing half-way). Nested calls are savepoints."""
        with self._lock:
            if self._depth:
                savepoint = f"sp{self._depth}"
                self.conn.execute(f"SAVEPOINT {savepoint}")
                self._depth += 1
                try:
                    yield self
                except BaseException:
                    self.conn.execute(f"ROLLBACK TO {savepoint}")
                    self.conn.execute(f"RELEASE {savepoint}")
                    raise
                else:
                    self.conn.execute(f"RELEASE {savepoint}")
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self.transactions += 1
            # Another connection (the sync thread) may have moved the clock on since this one
            # last wrote: start from the stamp stored, so an edit here is never stamped older
            # than a change that connection took in.
            self._catch_up_clock()
            start_hlc = self.hlc.last
            self._depth = 1
            self._writer = threading.get_ident()
            buffered, self._audit_buffer = self._audit_buffer, []
            try:
                self._insert_audit(buffered)
                yield self
                if self.hlc.last != start_hlc:
                    self._set_state("hlc", str(self.hlc.last.pack()))
                self.conn.execute("COMMIT")
                self._touched |= self._touching
            except BaseException:
                self.hlc = HybridLogicalClock(self._wall_ms, start_hlc)
                self._audit_buffer[:0] = buffered  # not written: keep them for the next try
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            finally:
                self._depth = 0
                self._writer = None
                self._touching = set()

    def _catch_up_clock(self) -> None:
        rows = dict(self.conn.execute(
            "SELECT key, value FROM local_state WHERE key IN ('hlc', 'hlc_reset')"
        ).fetchall())
        stored = Timestamp.unpack(int(rows["hlc"])) if "hlc" in rows else Timestamp(0)
        reset = rows.get("hlc_reset")
        # A clock set back (`set_clock_back`, by another connection too) is taken as it is.
        if stored > self.hlc.last or reset != self._hlc_reset:
            self.hlc = HybridLogicalClock(self._wall_ms, stored)
            self._hlc_reset = reset

    def set_clock_back(self, to: Timestamp) -> None:
        """Move the hybrid logical clock back to `to`, in the current write transaction — only for
        `sync_state.restamp_ahead`, which first renames every stamp past `to`. Every connection to
        this database takes it at its next write."""
        assert self.in_write
        self.hlc = HybridLogicalClock(self._wall_ms, to)
        self._hlc_reset = uuid7()
        self._set_state("hlc_reset", self._hlc_reset)
        self._set_state("hlc", str(to.pack()))

    @property
    def in_write(self) -> bool:
        """True in the thread that is inside write(); another thread's reads are not part of it."""
        return self._depth > 0 and self._writer == threading.get_ident()

    @property
    def has_passphrase(self) -> bool:
        """True when the key comes from a passphrase (not from the OS keyring or a raw key)."""
        return isinstance(self._key, Passphrase)

    def is_passphrase(self, typed: str) -> bool:
        """True when `typed` is the passphrase this database was opened with (unlocking the app
        after a lock). Compared in constant time."""
        if not isinstance(self._key, Passphrase):
            return False
        return hmac.compare_digest(self._key.text.encode("utf-8"), typed.encode("utf-8"))

    def touch(self, entity: str) -> None:
        """Note that the open transaction writes records of `entity` (it counts once committed)."""
        assert self.in_write, "records are written inside a write transaction"
        self._touching.add(entity)

    def note_changes(self, entities: Iterable[str]) -> None:
        """Entities another connection wrote for this one (the app's writer, ui/door.py): taken
        with `take_changes` as if written here."""
        with self._lock:
            self._touched |= set(entities)

    def take_changes(self) -> frozenset[str]:
        """The entities committed transactions have written since the last call: what views
        showing them must refresh."""
        with self._lock:
            taken, self._touched = frozenset(self._touched), set()
        return taken

    def stamp(self) -> int:
        """The next hybrid-logical-clock stamp, for a change made in the current transaction."""
        assert self.in_write, "changes are stamped inside a write transaction"
        return self.hlc.now().pack()

    def now_iso(self) -> str:
        return self.clock().astimezone(UTC).isoformat(timespec="milliseconds")

    # -- local state ----------------------------------------------------------------------
    def state(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, value FROM local_state").fetchall())

    def _set_state(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO local_state(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def set_team(self, team_id: TeamId) -> None:
        with self.write():
            self._set_state("team_id", team_id)
        self.team_id = team_id

    # -- audit of reads ------------------------------------------------------------------
    def add_audit_rows(
        self, rows: list[AuditRow]
    ) -> None:
        """Audit rows (at, actor, action, entity, row_id, citizen_id, fields): written now inside
        a write transaction; otherwise kept for the next one, so a read of a list or a search
        never waits for the writer lock or an fsync. A crash can lose at most the rows kept."""
        if self.in_write:
            self._insert_audit(rows)
            return
        with self._lock:
            self._audit_buffer.extend(rows)
            full = len(self._audit_buffer) >= AUDIT_BUFFER_ROWS
        if full:
            self.flush_audit()

    def flush_audit(self) -> None:
        if self.audit_sink is not None:
            with self._lock:
                rows, self._audit_buffer = self._audit_buffer, []
            if rows:
                self.audit_sink(rows)
            return
        with self._lock:
            if self._audit_buffer:
                with self.write():
                    pass  # write() writes the kept rows first

    def _insert_audit(
        self, rows: list[AuditRow]
    ) -> None:
        if rows:
            self.conn.executemany(
                "INSERT INTO audit_log(at, actor, action, entity, row_id, citizen_id, fields) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    def reopen(self, cache_kib: int = CACHE_KIB) -> Store:
        """Another connection to the same database, for another thread (one connection each);
        `cache_kib` smaller for a helper thread that reads little (each cache is its own RAM)."""
        return open_database(self.path, self._key, clock=self.clock, actor=self.actor,
                             cache_kib=cache_kib)

    def close(self) -> None:
        self.flush_audit()
        self.conn.close()


def _connect(path: Path, key: KeyMaterial, *, read_only: bool = False) -> Any:
    salt = file_salt(path) or os.urandom(SALT_BYTES)
    target, uri = (f"file:{path}?mode=ro", True) if read_only else (str(path), False)
    conn = sqlcipher3.connect(
        target, uri=uri, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
    )
    # Danish order for the lists (storage/danish.py): on every connection, before anything else,
    # since the name indexes are built in it (a connection without it cannot write those tables
    # or sort by them: SQLite stops with "no such collation sequence: danish").
    conn.create_collation(danish.COLLATION, danish.collate)
    try:
        # SQLCipher writes HMAC failures to stderr itself; a wrong key is reported as WrongKey.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {pragma_key(key, salt)}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as error:
        conn.close()
        if "not a database" in str(error):
            raise WrongKey() from None
        raise
    return conn


def _owner_only(path: Path) -> None:
    """The database, its WAL and its shared-memory file readable by their owner only (0600),
    whatever the umask: a new file is made so before SQLite opens it (SQLite gives the -wal
    and -shm files the database file's mode), one made before (0644) is tightened. Only where
    modes mean that (POSIX)."""
    if os.name != "posix":
        return
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if file.stat().st_mode & 0o077:
                file.chmod(0o600)
        except FileNotFoundError:
            pass


def _exists(path: Path) -> bool:
    """A file a crash left empty (killed while being created) counts as no database."""
    return path.exists() and path.stat().st_size > 0


def open_database(
    path: Path | str,
    key: KeyMaterial,
    *,
    create: bool = False,
    clock: Clock = system_clock,
    actor: str = "system",
    cache_kib: int = CACHE_KIB,
) -> Store:
    """Open (or with `create`, make) the encrypted database at `path` and bring its schema up to
    date. Every connection in the program comes from here, so pragmas and migrations apply
    everywhere. A wrong key raises `WrongKey` before anything is written."""
    path = Path(path)
    if _exists(path):
        # Check the key on a read-only connection first: a read-write connection with a wrong
        # key would still checkpoint a WAL left by a crash into the file when it closes.
        _connect(path, key, read_only=True).close()
    elif not create:
        raise NoDatabase(path)
    _owner_only(path)
    conn = _connect(path, key)
    try:
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # 64 MB of page cache (SQLCipher keeps pages decrypted there): with the default 8 MB, a
        # filtered list page over 100,000 placements took 45-100 ms instead of 17-20 ms.
        conn.execute(f"PRAGMA cache_size = -{cache_kib}")
        db = Database(conn, execute_plugins=False)
        migrations.migrate(db)
        _ensure_identity(conn)
    except BaseException:
        conn.close()
        raise
    return Store(db, path, clock, actor, key)


def _ensure_identity(conn: Any) -> None:
    """A new database gets its device id once; it never changes afterwards."""
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT OR IGNORE INTO local_state(key, value) VALUES ('device_id', ?)", (uuid7(),)
    )
    conn.execute("COMMIT")

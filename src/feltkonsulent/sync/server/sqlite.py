"""The sync server's SQLite storage: the embedded default, one file, one writer at a time."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .sql import Db, SqlStorage, read_info
from .sql import NoServerDatabase as NoServerDatabase


class SqliteStorage(SqlStorage):
    """One connection behind a lock: SQLite has one writer anyway, and a push is short. A write
    transaction takes the write lock at its start (`BEGIN IMMEDIATE`), so the merge decisions,
    the numbers handed out and the commit happen in one order."""

    def __init__(self, conn: sqlite3.Connection, *, create: bool = False) -> None:
        self._conn = conn
        self._lock = threading.Lock()
        super().__init__(create=create)

    @classmethod
    def open(cls, path: Path, *, create: bool = False) -> SqliteStorage:
        """Open the server database at `path`; with `create`, make it if it is missing (owner-only
        permissions, a new server_epoch)."""
        new = not path.exists()
        if new and not create:
            raise NoServerDatabase(str(path))
        if new:
            # Owner-only from the first byte: the file holds citizen data (see docs/sync.md).
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 5000")
        if new:
            conn.execute("PRAGMA journal_mode = WAL")
        try:
            return cls(conn, create=create)
        except BaseException:
            conn.close()
            raise

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Db]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def backup(self, target: Path) -> None:
        """A consistent copy of the database while it serves (SQLite's online backup), owner-only
        like the database itself. Restoring it is `server restore` (docs/server.md)."""
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        copy = sqlite3.connect(target)
        try:
            with self._lock:
                self._conn.backup(copy)
        finally:
            copy.close()

    def _has_schema(self, db: Db) -> bool:
        found = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'server_info'"
        ).fetchone()
        return found is not None

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def restore_file(backup: Path, target: Path) -> None:
    """Put a copy made by `SqliteStorage.backup` in place of the database at `target`, which no
    server may have open (`server restore`, docs/server.md). The copy is made beside `target` and
    renamed over it, so a failure leaves the old database; a stale write-ahead log of the old
    database is removed first (SQLite would apply it to the restored file). The caller then gives
    the database a new server_epoch."""
    try:
        source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        raise NoServerDatabase(f"cannot read {backup}") from None
    temp = target.with_name(f".{target.name}.restoring")
    try:
        try:
            read_info(source, "epoch")
        except sqlite3.DatabaseError:
            raise NoServerDatabase(f"{backup} is not a Feltkonsulent server database") from None
        temp.unlink(missing_ok=True)
        os.close(os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        copy = sqlite3.connect(temp)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = WAL")
        finally:
            copy.close()
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    _fsync(temp)
    for stale in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        stale.unlink(missing_ok=True)
    os.replace(temp, target)
    _fsync(target.parent)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

"""The sync server's PostgreSQL storage (psycopg 3): the same SQL and answers as SQLite, with
pushes side by side instead of one writer at a time.

How concurrent pushes stay correct (READ COMMITTED, the default; docs/sync.md):

- A push first reads its device's row `FOR UPDATE`: two deliveries of one installation's batch
  take turns, and the second finds the stored answer (or the next batch number moved on).
- Then it takes transaction-scoped advisory locks (`pg_advisory_xact_lock`) on a stable 64-bit
  hash of each team the batch writes to, in the order of those keys (so two pushes never wait
  for each other crosswise). Only the team's own pushes write its records' fields, so the field
  states a push reads and decides on cannot change under it; other teams push in parallel.
- A new record is inserted with `ON CONFLICT DO NOTHING` and its owner read again: another team
  may claim the same row id at the same moment, and then that team owns it.
- The block of `server_seq` numbers is taken last: `UPDATE counters … RETURNING`, then the
  changes and fields rows are written and the transaction commits. The counter row stays locked
  until commit, so a push numbered after another commits after it; a snapshot that sees a number
  sees every smaller one. A plain sequence hands numbers out at insert time, and a puller could
  read 12 before 11 is committed and skip 11 for ever.
- So a pull needs nothing stronger than READ COMMITTED: its page query is one statement, one
  snapshot, and what it sees of the counter's numbers is a gap-free prefix (gaps are other
  teams' changes). Later statements of the pull may see more, which only extends the page or
  says `has_more`.

Values are stored as the same JSON text as on SQLite, so answers are byte for byte the same.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from .sql import Db, Rows, SqlStorage

# A lock on the schema while it is migrated: advisory locks of two 32-bit keys are a key space
# of their own, apart from the teams' 64-bit ones.
_SCHEMA_LOCK = (0x46454C54, 1)  # "FELT", 1
DEFAULT_POOL_SIZE = 20
_CONNECT_TIMEOUT_S = 10


class PostgresUnavailable(Exception):
    """The PostgreSQL database could not be reached; the message never holds a password."""


def mask(text: str) -> str:
    """`text` with every password of a PostgreSQL URL or connection string in it replaced."""
    text = re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", text)
    return re.sub(r"(password\s*=\s*)('[^']*'|[^&\s]*)", r"\1***", text, flags=re.IGNORECASE)


def team_lock_key(team_id: str) -> int:
    """A stable signed 64-bit key for a team's advisory lock (the same in every process)."""
    return int.from_bytes(hashlib.sha256(team_id.encode()).digest()[:8], "big", signed=True)


class _PgDb:
    """A psycopg connection speaking the `?` placeholders of sql.py, with arrays (`sql.ArrayDb`)."""

    arrays = True

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = (), /) -> Rows:
        return self._conn.execute(_placeholders(sql), params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]], /) -> None:
        with self._conn.cursor() as cursor:
            cursor.executemany(_placeholders(sql), list(rows))


def _placeholders(sql: str) -> str:
    # The SQL of sql.py has no `?` other than placeholders; a `%` (modulo) is doubled for psycopg.
    # An array cast (`?::text[]`, `sql._insert_rows`) is sent in binary: psycopg's text format
    # escapes every element with a regular expression, in Python.
    return sql.replace("%", "%%").replace("?::", "%b::").replace("?", "%s")


class PostgresStorage(SqlStorage):
    """A pool of connections (the server answers requests in threads), one per transaction."""

    _row_lock = " FOR UPDATE"

    def __init__(self, pool: ConnectionPool, *, create: bool = False) -> None:
        self._pool = pool
        super().__init__(create=create)

    @classmethod
    def open(cls, url: str, *, create: bool = False, pool_size: int = DEFAULT_POOL_SIZE) -> PostgresStorage:
        """Connect to the database at `url` (a `postgresql://` URL or a libpq connection string)
        and bring its schema up to date; with `create`, make the tables in an empty database."""
        try:
            # Once directly: a wrong URL is a clear error now, not a pool retrying in the background.
            psycopg.connect(url, connect_timeout=_CONNECT_TIMEOUT_S).close()
        except psycopg.Error as error:
            raise PostgresUnavailable(mask(str(error).strip())) from None
        pool = ConnectionPool(url, min_size=1, max_size=pool_size, open=True, name="feltkonsulent",
                              kwargs={"connect_timeout": _CONNECT_TIMEOUT_S})
        try:
            return cls(pool, create=create)
        except BaseException:
            pool.close()
            raise

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Db]:
        # The pool's connection block commits at its end, or rolls back on an exception.
        with self._pool.connection() as conn:
            yield _PgDb(conn)

    def _has_schema(self, db: Db) -> bool:
        return bool(db.execute("SELECT to_regclass('server_info') IS NOT NULL").fetchone()[0])

    def _lock_schema(self, db: Db) -> None:
        db.execute("SELECT pg_advisory_xact_lock(?, ?)", _SCHEMA_LOCK)

    def _consistent_read(self, db: Db) -> None:
        # The first statement of the transaction: the digest's sums and `as_of` see one snapshot.
        db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")

    def _lock_teams(self, db: Db, team_ids: list[str]) -> None:
        for key in sorted({team_lock_key(team) for team in team_ids}):
            db.execute("SELECT pg_advisory_xact_lock(?)", (key,))

    def close(self) -> None:
        self._pool.close()

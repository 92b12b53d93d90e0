"""Migrations from an empty database, and re-opening without re-running them."""

from __future__ import annotations

from pathlib import Path

from feltkonsulent.storage import migrations
from feltkonsulent.storage.database import open_database
from feltkonsulent.storage.keys import RawKey

TABLES = {
    "companies",
    "contacts",
    "citizens",
    "placements",
    "support_arrangements",
    "language_partners",
    "aftercare_visits",
    "outbox",
    "field_meta",
    "local_state",
    "audit_log",
    "search_docs",
    "search_companies",
    "search_contacts",
    "search_aftercare_visits",
    "_sqlite_migrations",
}


def test_an_empty_file_gets_every_table_and_the_newest_schema(db_path: Path, key: RawKey) -> None:
    store = open_database(db_path, key, create=True)
    names = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names >= TABLES
    assert migrations.applied_version(store.db) == migrations.SCHEMA_VERSION
    assert [m.name for m in migrations.MIGRATIONS.pending(store.db)] == []
    store.close()


def test_schema_version_counts_the_migrations(db_path: Path, key: RawKey) -> None:
    store = open_database(db_path, key, create=True)
    assert len(migrations.MIGRATIONS.applied(store.db)) == migrations.SCHEMA_VERSION
    store.close()


def test_reopening_keeps_the_device_identity_and_applies_nothing_twice(db_path: Path, key: RawKey) -> None:
    first = open_database(db_path, key, create=True)
    device = first.device_id
    applied = [m.applied_at for m in migrations.MIGRATIONS.applied(first.db)]
    first.close()
    second = open_database(db_path, key)
    assert second.device_id == device
    assert [m.applied_at for m in migrations.MIGRATIONS.applied(second.db)] == applied
    second.close()


def test_pragmas_of_the_one_opening_function(db_path: Path, key: RawKey) -> None:
    store = open_database(db_path, key, create=True)
    pragma = {
        name: store.conn.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
    }
    assert pragma == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 5000}
    assert store.conn.execute("PRAGMA cipher_version").fetchone()[0].startswith("4.")
    store.close()

"""Server schema migrations on both storages: a version-1 database made with the first server's
SQL opens and is brought up to date in one transaction; a newer one is refused."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest

from feltkonsulent.sync.server import sql, tables
from feltkonsulent.sync.server.sql import NewerServerDatabase, NoServerDatabase

from ..conftest import ServerDatabase, read_rows

# The first server's `_create`, as it shipped: the schema, then epoch, version and counter.
V1_ROWS = ("INSERT INTO server_info(key, value) VALUES ('epoch', 'cafe'), ('schema_version', '1');"
           "INSERT INTO counters(name, value) VALUES ('server_seq', 0);")


def make_v1(database: ServerDatabase) -> None:
    script = tables.MIGRATIONS[0] + V1_ROWS
    if database.url:
        with psycopg.connect(database.url) as conn:
            for statement in tables.statements(script):
                conn.execute(statement)
    else:
        assert database.path is not None
        with sqlite3.connect(database.path) as conn:
            conn.executescript(script)


def add_migration(monkeypatch: pytest.MonkeyPatch, migration: str) -> None:
    monkeypatch.setattr(sql, "MIGRATIONS", (*tables.MIGRATIONS, migration))
    monkeypatch.setattr(sql, "SCHEMA_VERSION", len(tables.MIGRATIONS) + 1)


def test_a_version_1_database_opens_with_its_epoch(server_database: ServerDatabase) -> None:
    make_v1(server_database)
    storage = server_database.open(create=False)
    try:
        assert storage.server_epoch == "cafe"
        assert storage.schema_versions == (1, tables.SCHEMA_VERSION)
    finally:
        storage.close()


def test_a_version_1_database_gets_the_migrations_it_lacks(
    server_database: ServerDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_v1(server_database)
    add_migration(monkeypatch, "CREATE TABLE later (x TEXT NOT NULL); INSERT INTO later(x) VALUES ('2')")
    storage = server_database.open(create=False)
    latest = len(tables.MIGRATIONS) + 1
    try:
        assert storage.schema_versions == (1, latest)
        assert read_rows(storage, "SELECT x FROM later") == [("2",)]
        assert read_rows(storage, "SELECT value FROM server_info WHERE key = 'schema_version'") == [
            (str(latest),)]
        # Version 2's index is there too.
        catalogue = ("SELECT to_regclass('fields_by_team') IS NOT NULL" if server_database.url else
                     "SELECT count(*) FROM sqlite_master WHERE name = 'fields_by_team'")
        assert read_rows(storage, catalogue)[0][0]
    finally:
        storage.close()


def test_a_migration_that_fails_leaves_the_database_as_it_was(
    server_database: ServerDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_v1(server_database)
    add_migration(monkeypatch, "CREATE TABLE later (x TEXT); INSERT INTO nowhere VALUES (1)")
    with pytest.raises(Exception, match="nowhere"):
        server_database.open(create=False)
    monkeypatch.undo()
    storage = server_database.open(create=False)
    try:
        # Found at version 1: `later`, and the migrations before it, went with the failed transaction.
        assert storage.schema_versions == (1, tables.SCHEMA_VERSION)
        with pytest.raises(Exception, match="later"):
            read_rows(storage, "SELECT x FROM later")
    finally:
        storage.close()


def test_a_database_newer_than_the_code_is_refused(server_database: ServerDatabase) -> None:
    server_database.open().close()
    storage = server_database.open()
    try:
        with storage._transaction(write=True) as db:
            db.execute("UPDATE server_info SET value = '99' WHERE key = 'schema_version'")
    finally:
        storage.close()
    with pytest.raises(NewerServerDatabase, match="schema version 99, newer than this Feltkonsulent"):
        server_database.open()


def test_an_empty_database_is_made_only_when_asked(server_database: ServerDatabase) -> None:
    if server_database.path:
        server_database.path.touch()
    with pytest.raises(NoServerDatabase):
        server_database.open(create=False)
    storage = server_database.open(create=True)
    try:
        assert storage.schema_versions == (0, tables.SCHEMA_VERSION)
        assert read_rows(storage, "SELECT name, value FROM counters") == [("server_seq", 0)]
    finally:
        storage.close()

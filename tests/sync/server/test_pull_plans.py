"""The pull's statements read a bounded range of `changes_by_team` per team, whatever the planner
knows: no scan of all the teams' rows and a sort, no walk of the primary key past other teams'
changes — either makes a page cost more the more the server holds (docs/sync.md "The server").

On PostgreSQL the plan checked is the generic one (`plan_cache_mode = force_generic_plan`), the
plan a statement psycopg has prepared may get, after ANALYZE: then `team_id IN (…)` and even
`team_id = ?` per team walk the primary key, on this table of 3,000 rows as on one of a million.
(Custom plans of a small table may read a whole team's few rows and sort them, which is right.)
On SQLite, with and without ANALYZE, every read of `changes` searches that index.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg
from psycopg import sql

from feltkonsulent.sync.server.sql import highest_query, pull_query

from ..conftest import ServerDatabase

ROWS = 3_000
# A quiet team with a few early changes among twenty busy ones.
TEAM_SETS = (["quiet", "team-1"], ["quiet", "team-1", "team-2", "team-3", "team-4"], ["quiet"])
Query = tuple[str, list[Any]]


def queries() -> Iterator[Query]:
    for teams in TEAM_SETS:
        for cursor in (0, ROWS // 2):
            yield pull_query(teams, cursor, 501)
        yield pull_query(teams, ROWS // 2, 2)  # has_more, and the page extended
        yield highest_query(teams)


def fill(database: ServerDatabase) -> None:
    rows = [(seq, "quiet" if seq % 100 == 0 and seq < ROWS // 10 else f"team-{seq // 7 % 20}",
             f"op-{seq}", "companies", f"row-{seq}", "name", '"x"', seq, "device", None, "2026-01-01")
            for seq in range(1, ROWS + 1)]
    storage = database.open()
    try:
        with storage._transaction(write=True) as db:
            db.executemany("INSERT INTO changes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    finally:
        storage.close()


def generic_plan(conn: psycopg.Connection[Any], query: Query) -> dict[str, Any]:
    text, params = query
    numbers = iter(range(1, len(params) + 1))
    conn.execute("SET plan_cache_mode = force_generic_plan")
    conn.execute("PREPARE pull AS " + "".join(f"${next(numbers)}" if ch == "?" else ch for ch in text))
    try:
        arguments = sql.SQL(", ").join(sql.Literal(p) for p in params)
        explained = conn.execute(sql.SQL("EXPLAIN (FORMAT JSON) EXECUTE pull({})").format(arguments))
        plan: dict[str, Any] = explained.fetchone()[0][0]["Plan"]  # type: ignore[index]
        return plan
    finally:
        conn.execute("DEALLOCATE pull")


def unbounded_reads(node: dict[str, Any], parent: dict[str, Any] | None = None) -> list[str]:
    """The reads of `changes` in a PostgreSQL plan that are not an index scan of `changes_by_team`
    stopped by a Limit right above it."""
    found = []
    if node.get("Relation Name") == "changes":
        bounded = (node["Node Type"] in ("Index Scan", "Index Only Scan")
                   and node.get("Index Name") == "changes_by_team"
                   and parent is not None and parent["Node Type"] == "Limit")
        if not bounded:
            above = parent["Node Type"] if parent else None
            found.append(f"{node['Node Type']} {node.get('Index Name', '')} under {above}")
    for child in node.get("Plans", []):
        found += unbounded_reads(child, node)
    return found


def sqlite_reads(conn: sqlite3.Connection, query: Query) -> list[str]:
    details: Sequence[str] = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + query[0], query[1])]
    return [d for d in details if d.split()[:2] in (["SEARCH", "changes"], ["SCAN", "changes"])]


def test_each_team_is_read_as_a_bounded_range_of_its_index(server_database: ServerDatabase) -> None:
    fill(server_database)
    if server_database.url is not None:
        with psycopg.connect(server_database.url, autocommit=True) as conn:
            conn.execute("ANALYZE changes")
            for query in queries():
                assert unbounded_reads(generic_plan(conn, query)) == [], query[0]
        return
    assert server_database.path is not None
    conn = sqlite3.connect(server_database.path)
    try:
        for analyzed in (False, True):
            if analyzed:
                conn.execute("ANALYZE")
            for query in queries():
                reads = sqlite_reads(conn, query)
                assert reads and all(" INDEX changes_by_team " in d for d in reads), (reads, analyzed)
    finally:
        conn.close()

"""Pull pages straight at the storage, against a model of docs/sync.md's rule: the changes of the
user's teams after the cursor in `server_seq` order, at most `limit`, then the rest of the last
one's edit (same entity, row and hlc); `next_cursor` the last of the page, `has_more` whether any
change follows. The history interleaves teams whose names are prefixes of each other, with
edits long enough that a page is extended by several reads."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from feltkonsulent.sync.server.sql import SqlStorage
from feltkonsulent.sync.server.storage import Principal

from ..conftest import ServerDatabase, read_rows

NOW = 1_795_000_000_000
TEAMS = ("a", "ab", "b", "c")
Change = tuple[int, str, str, str, str, str, Any, int, str]


def history() -> Iterator[tuple[str, str, int]]:
    """(team, row_id, fields) of each edit, in push order: one edit is one block of numbers."""
    for n in range(12):
        yield "a", f"a{n}", 1 + n % 4
        yield "ab", f"ab{n}", 1 + n % 2
        if n == 5:
            yield "a", "long", 250  # extended by one read of 1 and then two of _EXTEND_STEP and more
        yield ("b", f"b{n}", 2) if n % 3 else ("c", f"c{n}", 1)
    yield "a", "last", 102  # the history ends inside an edit: the last read comes back empty


def compact(value: Any) -> str:
    """A value as the server stores it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def fill(storage: SqlStorage) -> list[Change]:
    rows: list[Sequence[Any]] = []
    for edit, (team, row_id, fields) in enumerate(history()):
        hlc = (NOW + edit) << 16
        for f in range(fields):
            seq = len(rows) + 1
            value = {"n": seq, "note": "Ø\n"} if f % 2 else seq
            rows.append((seq, team, f"op-{seq}", "companies", row_id, f"f{f}", compact(value), hlc,
                         f"device-{team}", None, "2026-01-01T00:00:00.000Z"))
    with storage._transaction(write=True) as db:
        db.executemany("INSERT INTO changes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    stored = read_rows(storage, "SELECT server_seq, op_id, entity, row_id, team_id, field, value, hlc, "
                                "device_id FROM changes ORDER BY server_seq")
    return [(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8]) for r in stored]


def expected(changes: list[Change], teams: frozenset[str], cursor: int,
             limit: int) -> tuple[list[Change], int, bool]:
    after = [c for c in changes if c[4] in teams and c[0] > cursor]
    page, rest = after[:limit], after[limit:]
    while page and rest and (rest[0][2], rest[0][3], rest[0][7]) == (page[-1][2], page[-1][3], page[-1][7]):
        page.append(rest.pop(0))
    return page, page[-1][0] if page else cursor, bool(rest)


def pulled(storage: SqlStorage, teams: frozenset[str], cursor: int,
           limit: int) -> tuple[list[Change], int, bool]:
    page = storage.pull(Principal("user", "device", teams), cursor, limit, NOW)
    # A stored value is carried as its JSON text (`JsonText`); `to_json` decodes it.
    changes = [(c.server_seq, c.op_id, c.entity, c.row_id, c.team_id, c.field, c.to_json()["value"], c.hlc,
                c.device_id) for c in page.changes]
    return changes, page.next_cursor, page.has_more


@pytest.fixture
def storage(server_database: ServerDatabase) -> Iterator[SqlStorage]:
    opened = server_database.open()
    try:
        yield opened
    finally:
        opened.close()


@pytest.mark.parametrize("teams", [{"a"}, {"ab"}, {"a", "b"}, {"ab", "c"}, set(TEAMS), set()],
                         ids=lambda teams: "+".join(sorted(teams)) or "none")
def test_every_page_is_the_rule_of_docs_sync(storage: SqlStorage, teams: set[str]) -> None:
    changes = fill(storage)
    members = frozenset(teams)
    highest = changes[-1][0]
    for limit in (1, 2, 3, 100, 500):
        cursor, more, seen = 0, True, 0
        while more:
            page = pulled(storage, members, cursor, limit)
            assert page == expected(changes, members, cursor, limit), (cursor, limit)
            cursor, more = page[1], page[2]
            seen += len(page[0])
        assert seen == sum(1 for c in changes if c[4] in members)
    for cursor in range(0, highest + 2, 7):  # pages that start anywhere, inside an edit too
        for limit in (1, 3):
            assert pulled(storage, members, cursor, limit) == expected(changes, members, cursor, limit)

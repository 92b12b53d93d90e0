"""Joining a team: a database made before its first sync holds its records under the team
"local"; the first sync with a server moves them, and the changes waiting to be pushed, into the
user's team there, so the server takes them instead of rejecting them as another team's."""

from __future__ import annotations

import json

from feltkonsulent.domain.entities import ENTITY_TYPES
from feltkonsulent.domain.ids import TeamId
from feltkonsulent.storage.changes import WHOLE_RECORD
from feltkonsulent.storage.database import DEFAULT_TEAM, Store


def needs_team(store: Store) -> bool:
    return store.team_id == DEFAULT_TEAM


def join_team(store: Store, team: TeamId) -> int:
    """Move every record of the local team and every change not yet sent into `team`, in one
    transaction; returns how many records moved. Not a change of the records themselves (no
    outbox rows): the server first hears of them with the team already right."""
    moved = 0
    with store.write():
        for table in ENTITY_TYPES:
            moved += store.conn.execute(
                f"UPDATE {table} SET team_id = ? WHERE team_id = ?", (team, DEFAULT_TEAM)
            ).rowcount
        # A numbered batch may be on its way already: it is resent unchanged (docs/sync.md).
        waiting = "team_id = ? AND batch_seq IS NULL"
        # The record's own `team_id` is a field too: as an op of its own, or inside a visit
        # note's whole-record op.
        store.conn.execute(
            f"UPDATE outbox SET value = ? WHERE {waiting} AND field = 'team_id'",
            (json.dumps(team), DEFAULT_TEAM),
        )
        notes = store.conn.execute(
            f"SELECT local_seq, value FROM outbox WHERE {waiting} AND field = ?",
            (DEFAULT_TEAM, WHOLE_RECORD),
        ).fetchall()
        for local_seq, value in notes:
            note = json.loads(value)
            note["team_id"] = team
            store.conn.execute("UPDATE outbox SET value = ? WHERE local_seq = ?",
                               (json.dumps(note, ensure_ascii=False), local_seq))
        store.conn.execute(f"UPDATE outbox SET team_id = ? WHERE {waiting}", (team, DEFAULT_TEAM))
    # After the move: were it lost in a crash between the two, the next join moves the rest.
    store.set_team(team)
    return moved

"""No gaps (SYNC.md property 5) straight at the storage, where PostgreSQL pushes really run side
by side: eight devices push at once into two teams while a puller of both teams pages through
with limit 3; it sees every server_seq of its teams, once, in order.

Two teams, so that pushes run in parallel (a team's pushes take turns on its advisory lock) and
their numbers interleave: numbers handed out before commit (a plain sequence) make the puller
read a later number before an earlier one is committed, and step over it for good.
"""

from __future__ import annotations

import threading

from feltkonsulent.sync.protocol import PushRequest
from feltkonsulent.sync.server.sql import SqlStorage
from feltkonsulent.sync.server.storage import Principal, token_hash

from ..conftest import ServerDatabase, read_rows

NOW = 1_795_000_000_000
PUSHERS = 8
BATCHES = 12


def principal(storage: SqlStorage, teams: list[str], user: str) -> Principal:
    for team in teams:
        storage.add_user(team, user, NOW)
    device = storage.add_device(user, "laptop", NOW)
    storage.issue_token(device, token_hash(f"token-{user}"), NOW + 86_400_000, NOW)
    who = storage.authenticate(token_hash(f"token-{user}"), NOW)
    assert who is not None
    return who


def pusher(storage: SqlStorage, who: Principal, team: str, n: int, failures: list[BaseException]) -> None:
    try:
        for batch in range(1, BATCHES + 1):
            ops = [{"op_id": f"op-{n}-{batch}-{k}", "entity": "companies", "row_id": f"r-{n}-{batch}",
                    "team_id": team, "field": f"f{k}", "value": k, "hlc": (NOW << 16) + batch,
                    "device_id": f"install-{n}", "base_seq": None} for k in range(1 + (n + batch) % 4)]
            request = PushRequest.from_json({"protocol_version": 1, "schema_version": 5,
                                             "device_id": f"install-{n}", "batch_seq": batch, "ops": ops})
            storage.push(who, request, NOW)
    except BaseException as error:  # seen by the test, not lost in the thread
        failures.append(error)


def test_a_puller_with_pages_of_three_misses_nothing_while_eight_devices_push(
    server_database: ServerDatabase,
) -> None:
    storage = server_database.open()
    try:
        teams = ["t", "u"]
        reader = principal(storage, teams, "reader")
        failures: list[BaseException] = []
        threads = [
            threading.Thread(target=pusher, args=(
                storage, principal(storage, [teams[n % 2]], f"user{n}"), teams[n % 2], n, failures))
            for n in range(PUSHERS)
        ]
        for thread in threads:
            thread.start()
        seen: list[int] = []
        cursor, more = 0, True
        while more:
            pushing = any(t.is_alive() for t in threads)
            page = storage.pull(reader, cursor, 3, NOW)
            seen += [c.server_seq for c in page.changes]
            cursor, more = page.next_cursor, page.has_more or pushing
        for thread in threads:
            thread.join()
        assert not failures
        stored = [seq for (seq,) in read_rows(storage, "SELECT server_seq FROM changes ORDER BY server_seq")]
        assert len(stored) == sum(1 + (n + b) % 4 for n in range(PUSHERS) for b in range(1, BATCHES + 1))
        assert seen == stored  # every number, once, in order
    finally:
        storage.close()

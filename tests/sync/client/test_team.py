"""A database made before its first sync (team "local", as `feltkonsulent demo` and the app
make them) joins the user's team at the first round, so the server takes its records."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from feltkonsulent.services import demo
from feltkonsulent.storage.changes import pending_count
from feltkonsulent.sync.client import Retry, SyncError, sync_round
from tests.sync.client.conftest import MakeWorkspace
from tests.sync.client.helpers import exported
from tests.sync.conftest import SyncServer

NO_WAIT = Retry(attempts=3, first_delay=0, sleep=lambda _: None)


def test_a_local_database_joins_the_users_team_and_nothing_is_rejected(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    a, b = make_workspace("a", team="local"), make_workspace("b", team="local")
    demo.populate(a, records=6, seed=5, today=datetime.now(UTC).date())
    token_a = sync_server.token_for("vejle", "mette", device=str(a.store.device_id))
    token_b = sync_server.token_for("vejle", "ali", device=str(b.store.device_id))
    summary = sync_round(a.store, sync_server.url, token_a, retry=NO_WAIT)
    assert summary.rejected == 0 and summary.pushed > 0
    assert a.store.team_id == "vejle" and pending_count(a.store) == 0
    sync_round(b.store, sync_server.url, token_b, retry=NO_WAIT)
    assert b.store.team_id == "vejle"
    assert exported(b)["companies"] == exported(a)["companies"]


def test_a_user_in_two_teams_must_say_which_and_nothing_is_sent(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    a = make_workspace("a", team="local")
    demo.populate(a, records=2, seed=5, today=datetime.now(UTC).date())
    waiting = pending_count(a.store)
    sync_server.token_for("aarhus", "mette")
    token = sync_server.token_for("vejle", "mette", device=str(a.store.device_id))
    with pytest.raises(SyncError) as stopped:
        sync_round(a.store, sync_server.url, token, retry=NO_WAIT)
    assert stopped.value.code == "choose_team"
    assert a.store.team_id == "local" and pending_count(a.store) == waiting

"""SYNC.md property 8, old client and new server: a field this client does not know (written by
a newer version) survives the client's own edits of the record, and the client keeps working."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from feltkonsulent.domain.entities import Company
from feltkonsulent.sync.client import Retry, sync_round
from tests import factories
from tests.sync.client.conftest import MakeWorkspace
from tests.sync.conftest import SyncServer
from tests.sync.server.helpers import Device, op

TEAM = "team-1"
NO_WAIT = Retry(attempts=3, first_delay=0, sleep=lambda _: None)


def test_a_newer_field_survives_an_older_clients_edits(
    make_workspace: MakeWorkspace, sync_server: SyncServer
) -> None:
    old = make_workspace("old")
    token = sync_server.token_for(TEAM, "mette", device=str(old.store.device_id))
    company = factories.company(team_id=TEAM)
    old.save(company)
    sync_round(old.store, sync_server.url, token, retry=NO_WAIT)

    newer = Device(sync_server.url, sync_server.token_for(TEAM, "ali", "new version"))
    try:
        now_ms = int(datetime.now(UTC).timestamp() * 1000)
        newer.push([op(TEAM, newer.device_id, now_ms, field="bank_account", value="1234 5678901",
                       row_id=company.id)])
        summary = sync_round(old.store, sync_server.url, token, retry=NO_WAIT)
        assert summary.rejected == 0  # the unknown field was pulled and passed over, not an error
        stored = old.get(Company, company.id)
        assert stored is not None
        old.save(dataclasses.replace(stored, name="Bageriet Ørsted A/S"))
        sync_round(old.store, sync_server.url, token, retry=NO_WAIT)

        latest = {(c.field): c.value for c in newer.pull_all() if c.row_id == company.id}
        assert latest["name"] == "Bageriet Ørsted A/S"
        assert latest["bank_account"] == "1234 5678901"  # kept by the server through the edit
    finally:
        newer.close()

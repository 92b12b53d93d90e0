"""A value no laptop can hold, on the server: a teammate's push of it is rejected (the value
boundary, tests/sync/server/test_hostile_values.py), but a server database from before the
boundary still holds such values. A laptop that pulls one never writes or stages it: it lists it
as refused, converges on everything else, exports, and its round reports it (`refused`, and
`waiting` for a record that cannot be written without it) — nothing is hidden, on both storages.

The legacy values are written into the server's tables as text, as a server of the version
before stored them: pushed as a placeholder, then the stored text replaced."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from feltkonsulent.domain.ids import uuid7
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage import inbox
from feltkonsulent.sync.client import RoundSummary
from feltkonsulent.sync.server.sql import SqlStorage
from tests.factories import GOOD_CVR
from tests.sync.client.conftest import MakeWorkspace
from tests.sync.client.helpers import TEAM, exported, sync_as
from tests.sync.conftest import SyncServer
from tests.sync.server.helpers import Device, batch, op
from tests.sync.server.test_hostile_values import HOSTILE

# (field, the stored JSON text, the boundary's code, whether the record can be written without it)
LEGACY = [
    ("employee_count", "1" + "0" * 400, "out_of_range", True),
    ("employee_count", '"tolv"', "bad_value", True),
    ("employee_count", "-5", "out_of_range", True),
    ("employee_count", "1.5e300", "out_of_range", True),
    ("notes", json.dumps("x" * 20_001), "too_long", True),
    ("notes", '"nul \\u0000"', "bad_text", True),
    ("notes", '"lone \\ud800"', "bad_text", True),
    ("notes", "[" * 40 + "]" * 40, "too_deep", True),
    ("city", '"Vejle\\nNord"', "bad_text", True),
    ("name", json.dumps("N" * 201), "too_long", False),
    ("name", "null", "required", False),
    ("deleted", '"yes"', "bad_value", True),
]


PLACEHOLDER: dict[str, Any] = {"employee_count": 1, "deleted": False}


@pytest.fixture
def teammate(sync_server: SyncServer) -> Iterator[Device]:
    device = Device(sync_server.url, sync_server.token_for(TEAM, "tove", device="tove-laptop"))
    yield device
    device.close()


def _execute(storage: SqlStorage, sql: str, params: tuple[Any, ...]) -> None:
    with storage._transaction(write=True) as db:
        db.execute(sql, params)


def store_legacy(server: SyncServer, device: Device, row_id: str, field: str, text: str,
                 team: str = TEAM) -> None:
    """A company of `team` on the server whose `field` holds `text`, as an older server stored it."""
    now = server.clock()
    good = [op(team, device.device_id, now, row_id=row_id, field=f, value=v)
            for f, v in (("team_id", team), ("name", "Netto Vejle"), ("cvr", GOOD_CVR),
                         ("city", "Vejle"))]
    placeholder = op(team, device.device_id, now, row_id=row_id, field=field,
                     value=PLACEHOLDER.get(field, "x"), counter=1)
    answer = device.push([*(g for g in good if g["field"] != field), placeholder])
    assert {r.status for r in answer.results} == {"accepted"}
    for table in ("changes", "fields"):
        _execute(server.storage, f"UPDATE {table} SET value = ? WHERE row_id = ? AND field = ?",
                 (text, row_id, field))


def company_fields(ws: Workspace, row_id: str) -> dict[str, Any] | None:
    found = [c for c in exported(ws)["companies"] if c["id"] == row_id]
    return found[0] if found else None


@pytest.mark.parametrize(("field", "text", "code", "writable"), LEGACY,
                         ids=[f"{f}-{c}" for f, _, c, _ in LEGACY])
def test_a_value_the_laptop_cannot_hold_is_refused_listed_and_reported_never_hidden(
    make_workspace: MakeWorkspace, sync_server: SyncServer, teammate: Device,
    field: str, text: str, code: str, writable: bool,
) -> None:
    b = make_workspace("b")
    row_id = uuid7()
    store_legacy(sync_server, teammate, row_id, field, text)

    summary = sync_as(b, sync_server, "bo")
    assert summary.refused == 1
    assert summary.waiting == (0 if writable else 1)
    assert summary.needs_attention and not summary.mismatch
    refused = inbox.refused_values(b.store)
    assert [(r.row_id, r.field, r.code) for r in refused] == [(row_id, field, code)]
    held = company_fields(b, row_id)  # the export works: nothing poisoned the database
    if writable:
        assert held is not None and held["city"] == ("Vejle" if field != "city" else None)
    else:
        assert held is None

    again = sync_as(b, sync_server, "bo")
    assert (again.refused, again.waiting, again.pulled) == (0, 0 if writable else 1, 0)
    assert not again.mismatch, "the digests agree: the refused stamp is held here too"


def test_a_later_good_value_replaces_the_refused_one_and_the_record_arrives(
    make_workspace: MakeWorkspace, sync_server: SyncServer, teammate: Device,
) -> None:
    b = make_workspace("b")
    row_id = uuid7()
    store_legacy(sync_server, teammate, row_id, "name", json.dumps("N" * 201))
    assert sync_as(b, sync_server, "bo").waiting == 1

    teammate.push([op(TEAM, teammate.device_id, sync_server.clock() + 1, row_id=row_id,
                      field="name", value="Netto Vejle Nord")])
    summary = sync_as(b, sync_server, "bo")
    assert (summary.pulled, summary.refused, summary.waiting) == (1, 0, 0)
    assert not summary.needs_attention
    assert inbox.refused_values(b.store) == []
    held = company_fields(b, row_id)
    assert held is not None and held["name"] == "Netto Vejle Nord"


@pytest.mark.parametrize(("field", "raw", "code"), HOSTILE, ids=[f"{f}-{c}" for f, _, c in HOSTILE])
def test_after_a_teammates_push_of_a_hostile_value_the_other_laptop_converges_and_is_quiet(
    make_workspace: MakeWorkspace, sync_server: SyncServer, teammate: Device,
    field: str, raw: str, code: str,
) -> None:
    """The value is rejected by the server (with its code), the rest of the teammate's batch goes
    in, and the other laptop's round holds exactly the good values, exports them and reports
    nothing: nothing refused, nothing waiting, the digests equal."""
    row_id = uuid7()
    now = sync_server.clock()
    good = [op(TEAM, teammate.device_id, now, row_id=row_id, field=f, value=v)
            for f, v in (("team_id", TEAM), ("name", "Netto Vejle"), ("cvr", GOOD_CVR),
                         ("city", "Vejle"))]
    bad = op(TEAM, teammate.device_id, now, row_id=row_id, field=field, value="@@VALUE@@", counter=1)
    teammate.batch_seq += 1
    body = json.dumps(batch(teammate.device_id, teammate.batch_seq, [*good, bad]))
    answer = teammate.http.post("/v1/push", content=body.replace('"@@VALUE@@"', raw),
                                headers={"Content-Type": "application/json"})
    assert answer.status_code == 200, answer.text[:300]
    results = answer.json()["results"]
    assert [r["status"] for r in results] == ["accepted"] * 4 + ["rejected"]
    assert results[-1]["detail"] == {"code": code, "field": field}

    b = make_workspace("b")
    summary = sync_as(b, sync_server, "bo")
    assert (summary.pulled, summary.refused, summary.waiting) == (4, 0, 0)
    assert not summary.needs_attention and not summary.mismatch
    held = company_fields(b, row_id)
    assert held is not None and (held["name"], held["city"]) == ("Netto Vejle", "Vejle")
    assert sync_as(b, sync_server, "bo") == RoundSummary(), "quiet, and the digests agree"

"""The server over real HTTP on 127.0.0.1: push, pull, replays, gaps, conflicts, skew, teams."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import psycopg
import pytest

from feltkonsulent.sync.protocol import MAX_AHEAD_MS, Health, Status, parse_time

from ..conftest import SyncServer
from .helpers import Device, batch, op

MakeDevice = Callable[..., Device]


@pytest.fixture
def device(sync_server: SyncServer) -> Iterator[MakeDevice]:
    made: list[Device] = []

    def make(team: str = "team-a", user: str = "anna", name: str = "laptop") -> Device:
        made.append(Device(sync_server.url, sync_server.token_for(team, user, name)))
        return made[-1]

    yield make
    for d in made:
        d.close()


def rows(server: SyncServer, sql: str) -> list[Any]:
    return server.rows(sql)


def test_a_page_is_the_compact_json_of_what_was_pushed_byte_for_byte(sync_server: SyncServer,
                                                                     device: MakeDevice) -> None:
    # The page is written with each value's stored text spliced in (PullResponse.encode): the
    # bytes are still those JSONResponse wrote of the decoded page.
    d = device()
    now = sync_server.clock()
    # A field of a newer version (the server keeps any JSON value within the boundary's limits).
    values = ["Ø 🙂", 'a lone "', "back\\slash", "\n\t\x01", None, True, False, 2**62, -7, 1e16, 2.5,
              {"note": {"lines": ["Ærø", None, [True, {"": '\\"'}]], "n": 2**63 - 1}}, [], {}]
    d.push([op("team-a", d.device_id, now, row_id=f"r{n}", field="added_later", value=v)
            for n, v in enumerate(values)])
    answer = d.http.get("/v1/pull")
    assert answer.headers["content-type"] == "application/json"
    assert answer.content == json.dumps(answer.json(), ensure_ascii=False, separators=(",", ":"),
                                        allow_nan=False).encode()
    assert [c["value"] for c in answer.json()["changes"]] == values


def test_an_accepted_push_is_pulled_back_with_its_server_seq(sync_server: SyncServer,
                                                            device: MakeDevice) -> None:
    d = device()
    now = sync_server.clock()
    sent = op("team-a", d.device_id, now, value="Bageriet Ørsted ApS")
    answer = d.push([sent])
    assert [(r.op_id, r.status, r.server_seq) for r in answer.results] == [
        (sent["op_id"], Status.ACCEPTED, 1)]
    assert answer.highest_seq == 1 and answer.server_epoch == sync_server.storage.server_epoch
    assert abs(parse_time(answer.server_time) - now) < 5000
    page = d.pull()
    assert [(c.server_seq, c.op_id, c.value, c.hlc) for c in page.changes] == [
        (1, sent["op_id"], "Bageriet Ørsted ApS", sent["hlc"])]
    assert (page.next_cursor, page.has_more) == (1, False)
    assert d.pull(cursor=1).changes == ()


def test_a_replayed_batch_gets_the_same_answer_and_changes_nothing(sync_server: SyncServer,
                                                                   device: MakeDevice) -> None:
    d = device()
    body = batch(d.device_id, 1, [op("team-a", d.device_id, sync_server.clock(), field=f)
                                  for f in ("name", "cvr")])
    first = d.http.post("/v1/push", json=body)
    before = rows(sync_server, "SELECT * FROM changes ORDER BY server_seq")
    again = d.http.post("/v1/push", json=body)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert rows(sync_server, "SELECT * FROM changes ORDER BY server_seq") == before
    assert len(before) == 2


def test_another_payload_under_a_stored_batch_seq_is_refused(sync_server: SyncServer,
                                                             device: MakeDevice) -> None:
    d = device()
    d.push([op("team-a", d.device_id, sync_server.clock())])
    other = batch(d.device_id, 1, [op("team-a", d.device_id, sync_server.clock(), value="y")])
    answer = d.http.post("/v1/push", json=other)
    assert (answer.status_code, answer.json()["error"]) == (409, "batch_mismatch")
    assert len(rows(sync_server, "SELECT * FROM changes")) == 1


def test_a_gap_in_batch_seq_says_which_is_expected(sync_server: SyncServer, device: MakeDevice) -> None:
    d = device()
    d.push([op("team-a", d.device_id, sync_server.clock())])
    answer = d.http.post("/v1/push", json=batch(d.device_id, 3, []))
    assert answer.status_code == 409
    assert answer.json() == {"error": "batch_gap", "message": "batch 2 expected", "expected": 2}


def test_concurrent_edits_converge_on_the_greatest_stamp_and_leave_a_conflict(
    sync_server: SyncServer, device: MakeDevice
) -> None:
    a, b = device(name="a"), device(user="bo", name="b")
    now = sync_server.clock()
    created = a.push([op("team-a", a.device_id, now - 1000, value="start")]).results[0].server_seq
    # Both edit the field having seen `created`; b's stamp is later, but a's arrives last.
    later = op("team-a", b.device_id, now, value="from b", base_seq=created)
    earlier = op("team-a", a.device_id, now - 500, value="from a", base_seq=created)
    assert b.push([later]).results[0].status == Status.ACCEPTED
    result = a.push([earlier]).results[0]
    assert (result.status, result.server_seq) == (Status.CONFLICT, None)
    for d in (a, b):
        values = {c.op_id: c.value for c in d.pull_all()}
        assert later["op_id"] in values and earlier["op_id"] not in values
    assert rows(sync_server, "SELECT value FROM fields") == [('"from b"',)]
    assert rows(sync_server, "SELECT current_value, incoming_value, incoming_won FROM conflicts") == [
        ('"from b"', '"from a"', 0)]


def test_a_batch_is_logged_with_its_counts_and_the_time_it_waited_for_another_writer(
    sync_server: SyncServer, device: MakeDevice, caplog: pytest.LogCaptureFixture
) -> None:
    d = device()
    caplog.set_level(logging.INFO, logger="feltkonsulent.sync.server")
    # The other writer holds the lock for a second after the push is sent; the push reaches
    # the lock some milliseconds later (more on a busy machine: 0.4 s held once gave 306 ms).
    holding, pushing, done = threading.Event(), threading.Event(), threading.Event()

    def hold() -> None:
        pushing.wait(5)
        done.wait(1.0)

    def other_writer() -> None:
        # Another process writing (`server compact` from cron, say) takes the counter as a
        # push of another team does: SQLite's write lock, PostgreSQL's counter row.
        db = sync_server.database
        if db.url is not None:
            with psycopg.connect(db.url) as conn:
                conn.execute("UPDATE counters SET value = value WHERE name = 'server_seq'")
                holding.set()
                hold()
            return
        conn = sqlite3.connect(str(db.path), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE counters SET value = value WHERE name = 'server_seq'")
        holding.set()
        hold()
        conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=other_writer)
    thread.start()
    holding.wait(5)
    began = time.monotonic()
    pushing.set()
    d.push([op("team-a", d.device_id, sync_server.clock(), value="Bageriet"),
            op("team-a", d.device_id, sync_server.clock(), field="cvr", value="12345678")])
    took_ms = (time.monotonic() - began) * 1000
    thread.join()
    lines = [r.getMessage() for r in caplog.records if "batch 1:" in r.getMessage()]
    assert len(lines) == 1 and "2 accepted in " in lines[0] and "Bageriet" not in lines[0]
    took, waited = (int(n) for n in re.findall(r"(\d+) ms", lines[0]))
    assert 500 <= waited <= took <= took_ms + 5


def test_an_older_value_from_the_same_device_is_superseded(sync_server: SyncServer,
                                                          device: MakeDevice) -> None:
    d = device()
    now = sync_server.clock()
    d.push([op("team-a", d.device_id, now, value="new")])
    result = d.push([op("team-a", d.device_id, now - 10, value="old", base_seq=1)]).results[0]
    assert (result.status, result.server_seq) == (Status.SUPERSEDED, None)


def test_a_clock_too_far_ahead_is_refused_and_nothing_stored(sync_server: SyncServer,
                                                             device: MakeDevice) -> None:
    d = device()
    now = sync_server.clock.fixed_ms = sync_server.clock()
    ahead = MAX_AHEAD_MS + 60_000
    answer = d.send([op("team-a", d.device_id, now, field="a"),
                     op("team-a", d.device_id, now + ahead, field="b")])
    assert answer.status_code == 422
    body = answer.json()
    assert (body["error"], body["ahead_ms"], parse_time(body["server_time"])) == (
        "clock_ahead", ahead, now)
    assert rows(sync_server, "SELECT count(*) FROM changes") == [(0,)]
    # The number was not used up: the batch is sent again once the clock is right.
    d.batch_seq -= 1
    assert d.push([op("team-a", d.device_id, now + MAX_AHEAD_MS - 60_000)]).results[0].status == "accepted"


def test_teams_never_see_each_others_records_nor_write_into_them(sync_server: SyncServer,
                                                                 device: MakeDevice) -> None:
    anna, bo = device("team-a", "anna"), device("team-b", "bo")
    now = sync_server.clock()
    anna.push([op("team-a", anna.device_id, now, row_id="a1", value="anna's")])
    bo.push([op("team-b", bo.device_id, now, row_id="b1", value="bo's")])
    assert [c.row_id for c in anna.pull_all()] == ["a1"]
    assert [c.row_id for c in bo.pull_all()] == ["b1"]
    # Bo writes into team-a directly, and into anna's record under his own team.
    results = bo.push([op("team-a", bo.device_id, now + 1, row_id="a1", value="bo was here"),
                       op("team-b", bo.device_id, now + 1, row_id="a1", value="moved")]).results
    assert [(r.status, r.reason) for r in results] == [("rejected", "forbidden_team")] * 2
    assert [c.value for c in anna.pull_all()] == ["anna's"]
    assert rows(sync_server, "SELECT count(*) FROM changes") == [(2,)]


def test_an_unknown_entity_is_rejected_and_an_unknown_field_kept(sync_server: SyncServer,
                                                                device: MakeDevice) -> None:
    d = device()
    now = sync_server.clock()
    results = d.push([op("team-a", d.device_id, now, entity="spaceships"),
                      op("team-a", d.device_id, now, field="added_in_schema_9", value=[1, 2])]).results
    assert [(r.status, r.reason) for r in results] == [("rejected", "unknown_entity"),
                                                       ("accepted", None)]
    assert [(c.field, c.value) for c in d.pull_all()] == [("added_in_schema_9", [1, 2])]


def test_a_revoked_device_is_told_so_an_unknown_token_is_unauthorized(
    sync_server: SyncServer, device: MakeDevice
) -> None:
    d = device()
    assert d.pull().changes == ()
    sync_server.storage.revoke_device(sync_server.device_id("anna"), sync_server.clock())
    for answer in (d.http.get("/v1/pull"), d.send([]), d.http.get("/v1/me")):
        assert (answer.status_code, answer.json()["error"]) == (401, "device_revoked")
    for answer in (httpx.get(f"{sync_server.url}/v1/pull", headers={"Authorization": "Bearer nope"}),
                   httpx.get(f"{sync_server.url}/v1/pull")):
        assert (answer.status_code, answer.json()["error"]) == (401, "unauthorized")
        assert answer.headers["www-authenticate"] == "Bearer"


def test_an_expired_token_is_told_so(sync_server: SyncServer, device: MakeDevice) -> None:
    d = device()
    sync_server.clock.offset_ms = 2 * 86_400_000
    answer = d.http.get("/v1/pull")
    assert (answer.status_code, answer.json()["error"]) == (401, "token_expired")


def test_a_token_serves_one_installation(sync_server: SyncServer, device: MakeDevice) -> None:
    d = device()
    d.push([])
    stolen = Device(sync_server.url, sync_server.token_for("team-a", "anna"))
    answer = stolen.send([])
    stolen.close()
    assert (answer.status_code, answer.json()["error"]) == (403, "forbidden_device")


def test_pages_deliver_every_change_once_and_never_split_an_edit(sync_server: SyncServer,
                                                                 device: MakeDevice) -> None:
    a, b = device(name="a"), device(user="bo", name="b")
    now = sync_server.clock()
    sent: list[str] = []
    for n in range(6):
        # A record made in one edit: four fields under one hlc, then a lone edit of another.
        made = [op("team-a", a.device_id, now + n, row_id=f"r{n}", field=f) for f in "wxyz"]
        lone = op("team-a", b.device_id, now + n, row_id=f"s{n}")
        a.push(made)
        b.push([lone])
        sent += [o["op_id"] for o in made] + [lone["op_id"]]
    cursor, more, got = 0, True, []
    while more:
        page = b.pull(cursor, limit=3)
        assert len(page.changes) <= 3 + 3  # limit, plus the rest of one edit
        last = page.changes[-1]
        assert page.has_more == (page.next_cursor < 30) and page.next_cursor == last.server_seq
        keys = [(c.row_id, c.hlc) for c in page.changes]
        if page.has_more:
            nxt = b.pull(page.next_cursor, limit=1).changes[0]
            assert (nxt.row_id, nxt.hlc) != (last.row_id, last.hlc), "an edit split across pages"
        assert keys
        got += [c.op_id for c in page.changes]
        cursor, more = page.next_cursor, page.has_more
    assert got == sent


def test_health_needs_no_token(sync_server: SyncServer) -> None:
    answer = httpx.get(f"{sync_server.url}/v1/health")
    health = Health.from_json(answer.json())
    assert (health.status, health.protocol_version, health.server_epoch) == (
        "ok", 1, sync_server.storage.server_epoch)


@pytest.mark.parametrize(("path", "params"), [
    ("/v1/pull", {"cursor": "x"}), ("/v1/pull", {"limit": 0}), ("/v1/pull", {"limit": 1001})])
def test_bad_pull_parameters_are_a_bad_request(sync_server: SyncServer, device: MakeDevice,
                                               path: str, params: dict[str, Any]) -> None:
    answer = device().http.get(path, params=params)
    assert (answer.status_code, answer.json()["error"]) == (400, "bad_request")


def test_a_malformed_push_is_a_bad_request_that_does_not_echo_values(sync_server: SyncServer,
                                                                    device: MakeDevice) -> None:
    d = device()
    bad = op("team-a", d.device_id, sync_server.clock(), value="0101701234")
    bad["hlc"] = "soon"
    for body in (batch(d.device_id, 1, [bad]),
                 batch(d.device_id, 1, [op("team-a", "someone-else", 1, value="0101701234")])):
        answer = d.http.post("/v1/push", json=body)
        assert (answer.status_code, answer.json()["error"]) == (400, "bad_request")
        assert "0101701234" not in answer.text
    assert d.http.post("/v1/push", content=b"{not json",
                       headers={"Content-Type": "application/json"}).status_code == 400


def test_an_old_protocol_must_upgrade(sync_server: SyncServer, device: MakeDevice) -> None:
    d = device()
    answer = d.http.post("/v1/push", json={**batch(d.device_id, 1, []), "protocol_version": 0})
    assert answer.status_code == 426
    assert answer.json()["error"] == "upgrade_required" and answer.json()["minimum"] == 1


def test_the_openapi_description_names_every_message(sync_server: SyncServer) -> None:
    schema = httpx.get(f"{sync_server.url}/openapi.json").json()
    assert {"/v1/push", "/v1/pull", "/v1/health"} <= set(schema["paths"])
    assert {"Op", "PushRequest", "PushResponse", "PushResult", "PullResponse", "PulledChange",
            "Health", "ErrorBody"} <= set(schema["components"]["schemas"])


def test_a_nul_in_an_id_is_refused_on_both_storages_and_in_a_value_rejected(
    sync_server: SyncServer, device: MakeDevice
) -> None:
    # PostgreSQL's text cannot hold a NUL: found as a difference between the storages. An id or a
    # name with one is a 400 on both; inside a value the op is rejected (bad_value), as a laptop
    # could not hold it either, and the rest of the batch goes in.
    d = device()
    now = sync_server.clock()
    answer = d.send([op("team-a", d.device_id, now, row_id="row\x00one")])
    assert answer.status_code == 400 and "row_id" in answer.json()["message"]
    d.batch_seq -= 1  # nothing was stored: the number is not used up
    digest = d.http.post("/v1/digest", json={"fields": {"companies": ["na\x00me"]}})
    assert digest.status_code == 400
    answer_ = d.push([op("team-a", d.device_id, now, value="før\x00efter"),
                      op("team-a", d.device_id, now, field="city", value="Vejle")])
    assert [(r.status, r.reason) for r in answer_.results] == [
        (Status.REJECTED, "bad_value"), (Status.ACCEPTED, None)]
    assert [c.value for c in d.pull().changes] == ["Vejle"]

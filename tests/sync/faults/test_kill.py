"""A client process killed with SIGKILL mid-push and mid-pull (SYNC.md 1, 2, 3 and 4): the
`feltkonsulent sync` command runs in its own process against the real server behind a slowed
proxy and is killed at random moments, several times, then run again on the same file until
it completes. Nothing is lost or duplicated, and the two laptops end equal."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from feltkonsulent.cli.common import workspace
from feltkonsulent.storage import sync_state
from feltkonsulent.storage.changes import pending_changes, pending_count
from feltkonsulent.storage.migrations import SCHEMA_VERSION
from tests.sync.conftest import SyncServer
from tests.sync.properties.world import server_op_ids

from .proxy import Plan, Proxy, proxy_to

PASSPHRASE = "Sommerfugl-Vejle-42"
TEAM = "local"  # the team of a database made by `feltkonsulent demo`
DRIVER = "import sys; from feltkonsulent.cli import main; sys.exit(main(sys.argv[1:]))"
KILLS = 3 if "FELTKONSULENT_SYNC_EXAMPLES" not in os.environ else 12
RECORDS = 40
RATE = 400_000  # bytes a second through the proxy: a round takes a few seconds


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {"FELTKONSULENT_PASSPHRASE": PASSPHRASE,
              "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
              "HOME": str(tmp_path / "home")}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("FELTKONSULENT_TOKEN", raising=False)
    return {**os.environ, **values}


@pytest.fixture
def slow(sync_server: SyncServer) -> Iterator[Proxy]:
    with proxy_to(sync_server.url) as running:
        running.default = Plan(rate=RATE)
        yield running


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", DRIVER, *args], env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def token_file(tmp_path: Path, server: SyncServer, user: str) -> Path:
    path = tmp_path / f"{user}.token"
    path.write_text(server.token_for(TEAM, user, device=user) + "\n", encoding="utf-8")
    return path


def kill_mid_round(env: dict[str, str], db: Path, proxy: Proxy, token: Path, way: str,
                   at: int) -> bool:
    """Start a sync and kill it once `at` bytes went `way` ("up": pushed, "down": pulled)
    through the proxy. True when it was killed (False: it finished first)."""
    start = proxy.up + proxy.down

    def moved() -> int:
        return proxy.up if way == "up" else proxy.down

    base = moved()
    process = subprocess.Popen([sys.executable, "-c", DRIVER, "sync", "--db", str(db),
                                "--server", proxy.url, "--token-file", str(token)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while proxy.up + proxy.down == start and process.poll() is None:
            assert time.monotonic() < deadline, "the sync never talked to the server"
            time.sleep(0.005)
        while moved() - base < at and process.poll() is None:
            time.sleep(0.002)
        if process.poll() is not None:
            return False
        process.send_signal(signal.SIGKILL)
        return True
    finally:
        process.wait(10)


def pushed_bytes(db: Path) -> int:
    """About how many bytes pushing the laptop's outbox sends."""
    with workspace(db) as ws:
        return sum(len(json.dumps(dataclasses.asdict(c), ensure_ascii=False).encode())
                   for c in pending_changes(ws.store))


def pulled_bytes(proxy: Proxy, token: str, db: Path) -> int:
    """How many bytes the pull from the laptop's cursor on brings (pulled once, at speed)."""
    with workspace(db) as ws:
        cursor = sync_state.cursor(ws.store)
    size, more = 0, True
    with httpx.Client(base_url=proxy.url, headers={"Authorization": f"Bearer {token}"}) as http:
        while more:
            proxy.plans.append(Plan())
            page = http.get("/v1/pull", params={"cursor": cursor, "limit": 500})
            size += len(page.content)
            cursor, more = page.json()["next_cursor"], page.json()["has_more"]
    return size


def exported(env: dict[str, str], db: Path) -> dict[str, list[dict[str, object]]]:
    done = cli(env, "export", "--db", str(db))
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    return {k: sorted(v, key=lambda r: str(r["id"])) for k, v in document.items() if isinstance(v, list)}


def test_a_sync_killed_mid_push_and_mid_pull_resumes_with_nothing_lost_or_twice(
    tmp_path: Path, env: dict[str, str], sync_server: SyncServer, slow: Proxy
) -> None:
    rng = random.Random(int(os.environ.get("FELTKONSULENT_SYNC_SEED", "6")))
    laptop, other = tmp_path / "laptop.db", tmp_path / "other.db"
    made = cli(env, "demo", "--db", str(laptop), "--records", str(RECORDS), "--seed", "3")
    assert made.returncode == 0, made.stderr
    nothing = tmp_path / "nothing.json"
    nothing.write_text(json.dumps({"schema_version": SCHEMA_VERSION}), encoding="utf-8")
    assert cli(env, "import", "--db", str(other), str(nothing)).returncode == 0
    with workspace(laptop) as ws:
        ops = {c.op_id for c in pending_changes(ws.store)}
    anne, bo = token_file(tmp_path, sync_server, "anne"), token_file(tmp_path, sync_server, "bo")

    # Mid-push: between kills the server holds some of the ops, each once, and the laptop
    # still has every op the server does not.
    partial = 0
    for _ in range(KILLS):
        at = int(pushed_bytes(laptop) * rng.uniform(0.2, 0.9))
        if not kill_mid_round(env, laptop, slow, anne, "up", at):
            break
        on_server = server_op_ids(sync_server, TEAM)
        assert len(on_server) == len(set(on_server))
        with workspace(laptop) as ws:
            pending = {c.op_id for c in pending_changes(ws.store)}
        assert pending | set(on_server) == ops, "an op lost by a kill"
        partial += 0 < len(on_server) < len(ops)
    assert partial, "no kill landed in the middle of the push"
    done = cli(env, "sync", "--db", str(laptop), "--server", slow.url, "--token-file", str(anne))
    assert done.returncode == 0, done.stderr
    assert sorted(server_op_ids(sync_server, TEAM)) == sorted(ops), "each op exactly once"

    # Mid-pull: the other laptop's cursor moves on page by page and never past what it holds.
    cursors = []
    probe = sync_server.token_for(TEAM, "probe", device="probe")
    for _ in range(KILLS):
        at = int(pulled_bytes(slow, probe, other) * rng.uniform(0.3, 0.9))
        if not kill_mid_round(env, other, slow, bo, "down", at):
            break
        with workspace(other) as ws:
            cursors.append(sync_state.cursor(ws.store))
            assert pending_count(ws.store) == 0
    assert any(0 < c < len(ops) for c in cursors), f"no kill landed mid-pull: {cursors}"
    done = cli(env, "sync", "--db", str(other), "--server", slow.url, "--token-file", str(bo))
    assert done.returncode == 0, done.stderr
    assert exported(env, other) == exported(env, laptop)
    with workspace(other) as ws:
        assert sync_state.cursor(ws.store) == max(
            sync_server.rows("SELECT max(server_seq) FROM changes")[0])
    with workspace(laptop) as ws:
        assert pending_count(ws.store) == 0
    assert sorted(server_op_ids(sync_server, TEAM)) == sorted(ops)

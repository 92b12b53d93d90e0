"""`feltkonsulent sync` against a real server: JSON and text output, the token from a file or the
environment, and one line on stderr, exit 1 and the outbox kept when the round cannot be done."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from feltkonsulent.cli import main
from feltkonsulent.domain.ids import uuid7
from feltkonsulent.storage.migrations import SCHEMA_VERSION
from feltkonsulent.sync.client import tls_context
from tests.sync.client.conftest import HttpsServer
from tests.sync.client.test_hostile_pull import store_legacy
from tests.sync.conftest import SyncServer
from tests.sync.server.helpers import Device

PASSPHRASE = "Sommerfugl-Vejle-42"
TEAM = "local"  # the team of a database made by `feltkonsulent demo`


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FELTKONSULENT_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FELTKONSULENT_TOKEN", raising=False)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def laptop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "laptop.db"
    code, _, err = run(capsys, "demo", "--db", str(path), "--records", "2", "--seed", "3")
    assert code == 0, err
    return path


@pytest.fixture
def empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    nothing = tmp_path / "nothing.json"
    nothing.write_text(json.dumps({"schema_version": SCHEMA_VERSION}), encoding="utf-8")
    path = tmp_path / "empty.db"
    code, _, err = run(capsys, "import", "--db", str(path), str(nothing))
    assert code == 0, err
    return path


def token_file(tmp_path: Path, server: SyncServer, user: str) -> str:
    path = tmp_path / f"{user}.token"
    path.write_text(server.token_for(TEAM, user, device=user) + "\n", encoding="utf-8")
    return str(path)


def exported(capsys: pytest.CaptureFixture[str], db: Path) -> dict[str, list[dict[str, object]]]:
    code, out, err = run(capsys, "export", "--db", str(db))
    assert code == 0, err
    document = json.loads(out)
    return {k: sorted(v, key=lambda r: r["id"]) for k, v in document.items() if isinstance(v, list)}


def test_sync_reports_json_and_the_records_reach_another_database(
    laptop: Path, empty: Path, tmp_path: Path, sync_server: SyncServer,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, err = run(capsys, "sync", "--db", str(laptop), "--server", sync_server.url,
                         "--token-file", token_file(tmp_path, sync_server, "anne"),
                         "--format", "json")
    assert code == 0, err
    pushed = json.loads(out)
    assert set(pushed) == {"pushed", "pulled", "conflicts", "rejected", "resynced", "resent",
                           "mismatch", "refused", "waiting"}
    assert pushed["pushed"] > 0 and pushed["conflicts"] == pushed["rejected"] == 0
    assert (pushed["resynced"], pushed["resent"], pushed["mismatch"]) == (False, 0, [])

    monkeypatch.setenv("FELTKONSULENT_TOKEN", sync_server.token_for(TEAM, "bo", device="bo"))
    code, out, err = run(capsys, "sync", "--db", str(empty), "--server", sync_server.url)
    assert code == 0, err
    assert out == f"pushed 0, pulled {pushed['pushed']}, conflicts 0, rejected 0\n"
    assert exported(capsys, empty) == exported(capsys, laptop)


def test_a_round_that_leaves_something_behind_says_so_and_exits_4(
    empty: Path, tmp_path: Path, sync_server: SyncServer, capsys: pytest.CaptureFixture[str],
) -> None:
    teammate = Device(sync_server.url, sync_server.token_for(TEAM, "tove", device="tove"))
    store_legacy(sync_server, teammate, uuid7(), "name", json.dumps("N" * 201), team=TEAM)
    store_legacy(sync_server, teammate, uuid7(), "employee_count", '"tolv"', team=TEAM)
    teammate.close()
    args = ["sync", "--db", str(empty), "--server", sync_server.url,
            "--token-file", token_file(tmp_path, sync_server, "bo")]
    code, out, err = run(capsys, *args, "--format", "json")
    assert code == 4
    summary = json.loads(out)
    assert (summary["refused"], summary["waiting"], summary["rejected"]) == (2, 1, 0)
    assert err.count("\n") == 1 and "2 values from the server cannot be held here" in err
    assert "1 record from the server still waiting" in err
    code, out, err = run(capsys, *args)
    assert code == 4, "a record still waiting is still said"
    assert out == "pushed 0, pulled 0, conflicts 0, rejected 0\n" and "1 record from" in err
    assert exported(capsys, empty)["companies"][0]["name"] == "Netto Vejle"


def test_no_token_is_one_line_and_exit_1(
    laptop: Path, sync_server: SyncServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "sync", "--db", str(laptop), "--server", sync_server.url)
    assert (code, out) == (1, "")
    assert err == "feltkonsulent sync: no token (give --token-file or set FELTKONSULENT_TOKEN)\n"


def test_an_unreachable_server_is_one_line_and_keeps_every_change(
    laptop: Path, tmp_path: Path, sync_server: SyncServer, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    token = token_file(tmp_path, sync_server, "anne")
    code, out, err = run(capsys, "sync", "--db", str(laptop), "--server",
                         f"http://127.0.0.1:{closed}", "--token-file", token)
    assert (code, out) == (1, "")
    assert err.count("\n") == 1
    assert err.startswith("feltkonsulent sync: cannot reach the server (")
    kept = int(err.split("; ")[-1].split()[0])
    assert kept > 0 and err.endswith(f"; {kept} local changes kept for the next sync\n")
    # Every change is still there: the next round with a server pushes them all.
    code, out, err = run(capsys, "sync", "--db", str(laptop), "--server", sync_server.url,
                         "--token-file", token, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["pushed"] == kept


def test_a_clock_ahead_of_the_server_is_told_in_words(
    laptop: Path, tmp_path: Path, sync_server: SyncServer, capsys: pytest.CaptureFixture[str]
) -> None:
    sync_server.clock.offset_ms = -3_600_000  # the server is an hour behind this computer
    code, out, err = run(capsys, "sync", "--db", str(laptop), "--server", sync_server.url,
                         "--token-file", token_file(tmp_path, sync_server, "anne"))
    assert (code, out) == (1, "")
    assert err.startswith(
        "feltkonsulent sync: this computer's clock is 60 minutes ahead of the server's: set it right;"
    )


def sync_err(capsys: pytest.CaptureFixture[str], laptop: Path, server: SyncServer, token: str) -> str:
    code, out, err = run(capsys, "sync", "--db", str(laptop), "--server", server.url,
                         "--token-file", token)
    assert (code, out) == (1, "")
    return err


def pending(err: str) -> int:
    return int(err.split("; ")[-1].split()[0])


@pytest.mark.parametrize("revoke", ["device", "user"])
def test_a_revoked_laptop_is_told_so_and_keeps_its_changes(
    laptop: Path, tmp_path: Path, sync_server: SyncServer, capsys: pytest.CaptureFixture[str],
    revoke: str,
) -> None:
    token = token_file(tmp_path, sync_server, "anne")
    if revoke == "device":
        sync_server.storage.revoke_device(sync_server.device_id("anne", "anne"), sync_server.clock())
    else:
        sync_server.storage.revoke_user("anne", sync_server.clock())
    err = sync_err(capsys, laptop, sync_server, token)
    assert err.startswith("feltkonsulent sync: this computer's access was revoked by the "
                          "administrator; ask them for a new token; ")
    assert pending(err) > 0
    assert Path(token).read_text().strip() not in err


def test_an_expired_token_is_told_so_and_a_new_one_syncs_everything(
    laptop: Path, tmp_path: Path, sync_server: SyncServer, capsys: pytest.CaptureFixture[str]
) -> None:
    token = token_file(tmp_path, sync_server, "anne")
    sync_server.clock.offset_ms = 2 * 86_400_000  # past the test tokens' one day
    err = sync_err(capsys, laptop, sync_server, token)
    assert err.startswith("feltkonsulent sync: the token has expired; ask the administrator for a "
                          "new one; ")
    kept = pending(err)
    code, out, err = run(capsys, "sync", "--db", str(laptop), "--server", sync_server.url,
                         "--token-file", token_file(tmp_path, sync_server, "anne-renewed"),
                         "--format", "json")
    assert code == 0, err
    assert json.loads(out)["pushed"] == kept


def test_a_rate_limited_round_says_when_to_try_again(
    laptop: Path, tmp_path: Path, sync_server: SyncServer, capsys: pytest.CaptureFixture[str]
) -> None:
    unknown = tmp_path / "unknown.token"
    unknown.write_text("not-a-token\n", encoding="utf-8")
    # The server's clock stands still: 31 runs of the command take seconds on a busy machine,
    # and the wait counts from the first failure (it said 599 seconds once).
    sync_server.clock.fixed_ms = sync_server.clock()
    errors = [sync_err(capsys, laptop, sync_server, str(unknown)) for _ in range(31)]
    assert errors[0].startswith("feltkonsulent sync: the server does not know the token")
    assert errors[-1].startswith("feltkonsulent sync: the server refuses for now after too many "
                                 "failed sign-ins; try again in 600 seconds; ")


def test_https_with_ca_file_and_without_it(
    laptop: Path, tmp_path: Path, https_server: HttpsServer, capsys: pytest.CaptureFixture[str]
) -> None:
    tls_context.cache_clear()
    server = https_server.server
    token = token_file(tmp_path, server, "anne")
    first = sync_err(capsys, laptop, server, token)
    assert first.startswith("feltkonsulent sync: the server's certificate is not trusted (unable to get "
                          "local issuer certificate): give the municipality's CA certificate with "
                          "--ca-file or SSL_CERT_FILE, or check the address; ")
    code, out, err = run(capsys, "sync", "--db", str(laptop), "--server", server.url, "--token-file",
                         token, "--ca-file", str(https_server.ca_file), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["pushed"] == pending(first)

"""`feltkonsulent server`: add-user prints a token once, list never does, revoke revokes, run
serves — and its log holds neither tokens nor values."""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import ssl
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme

from feltkonsulent.cli import build_parser, main
from feltkonsulent.cli.server import plain_http_refusal, uvicorn_config
from feltkonsulent.sync.server import tables
from feltkonsulent.sync.server.storage import Denied, Principal, token_hash

from ..conftest import ServerDatabase
from ..pg_cluster import Cluster
from .helpers import Device, op

ROOT = Path(__file__).resolve().parents[3]


def where(database: ServerDatabase) -> list[str]:
    """The storage options naming `database`."""
    return ["--postgres", database.url] if database.url else ["--db", str(database.path)]


def add_user(db: ServerDatabase, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    assert main(["server", "add-user", *where(db), *args]) == 0
    out, err = capsys.readouterr()
    return out, err


def test_add_user_prints_the_token_alone_and_list_never_shows_it(
    server_database: ServerDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    db = server_database
    out, err = add_user(db, capsys, "--team", "jobcenter-nord", "--user", "anna", "--device", "Anna's laptop")
    token = out.strip()
    assert out == token + "\n" and len(token) >= 43
    assert "created server database" in err and "shown only this once" in err
    if db.path:
        assert stat.S_IMODE(db.path.stat().st_mode) == 0o600
    assert main(["server", "list", *where(db)]) == 0
    listing, _ = capsys.readouterr()
    assert "user anna: teams jobcenter-nord" in listing and "active until" in listing
    assert main(["server", "list", *where(db), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["devices"][0]["name"] == "Anna's laptop"
    assert token not in listing + json.dumps(data)


def test_a_token_written_to_a_file_is_readable_by_its_owner_only_and_works(
    server_database: ServerDatabase, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db, path = server_database, tmp_path / "anna.token"
    out, err = add_user(db, capsys, "--team", "t", "--user", "anna", "--token-file", str(path))
    assert out == "" and f"written to {path} (0600)" in err
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    token = path.read_text(encoding="ascii").strip()
    assert len(token) >= 43 and token not in err
    (device,) = devices(db, capsys)
    assert main(["server", "renew", *where(db), "--device", device["device_id"], "-o", str(path)]) == 0
    capsys.readouterr()
    assert path.read_text(encoding="ascii").strip() != token
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert main(["server", "add-device", *where(db), "--user", "anna", "-o",
                 str(tmp_path / "missing" / "x.token")]) == 1
    assert "the token was issued but not written" in capsys.readouterr().err


def test_revoke_a_device_or_every_device_of_a_user(
    server_database: ServerDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    db = where(server_database)
    for device in ("one", "two", "three"):
        add_user(server_database, capsys, "--team", "t", "--user", "anna", "--device", device)
    main(["server", "list", *db, "--format", "json"])
    first = json.loads(capsys.readouterr().out)["devices"][0]["device_id"]
    assert main(["server", "revoke", *db, "--device", first]) == 0
    assert capsys.readouterr().out == f"revoked device {first}\n"
    assert main(["server", "revoke", *db, "--user", "anna"]) == 0
    assert capsys.readouterr().out == "revoked 2 device(s) of anna\n"
    assert main(["server", "revoke", *db, "--device", "nope"]) == 1
    assert "no device nope" in capsys.readouterr().err


def test_commands_on_a_missing_database_fail_in_one_line(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["list"], ["revoke", "--user", "u"], ["run"]):
        assert main(["server", *command, "--db", str(tmp_path / "none.db")]) == 1
        assert capsys.readouterr().err.count("\n") == 1
    assert not (tmp_path / "none.db").exists()


def test_an_empty_postgres_database_is_refused_until_migrate_makes_the_tables(
    pg_cluster: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    url = pg_cluster.new_database()
    for command in (["list"], ["revoke", "--user", "u"], ["run"]):
        assert main(["server", *command, "--postgres", url]) == 1
        assert "no server database at" in capsys.readouterr().err
    assert main(["server", "migrate", "--postgres", url]) == 0
    assert capsys.readouterr().out == f"{url}: schema version 0 -> {tables.SCHEMA_VERSION}\n"
    assert main(["server", "migrate", "--postgres", url]) == 0
    assert capsys.readouterr().out == f"{url}: schema version {tables.SCHEMA_VERSION}, up to date\n"
    assert main(["server", "list", "--postgres", url]) == 0


@pytest.mark.parametrize("url", [
    "postgresql://anna:Hemmelig-42@127.0.0.1:{port}/feltkonsulent",
    "postgresql://anna@127.0.0.1:{port}/feltkonsulent?password=Hemmelig-42",
    "host=127.0.0.1 port={port} user=anna password=Hemmelig-42 dbname=feltkonsulent",
])
@pytest.mark.parametrize("command", [
    ["run"], ["list"], ["migrate"], ["add-user", "--team", "t", "--user", "u"],
])
def test_a_password_in_the_url_is_never_printed(
    url: str, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["server", *command, "--postgres", url.format(port=_free_port())]) == 1
    out, err = capsys.readouterr()
    assert "cannot open the PostgreSQL database" in err and "***" in err
    assert "Hemmelig-42" not in out + err


@pytest.mark.parametrize(("host", "tls", "proxy", "refused"), [
    ("127.0.0.1", False, False, False), ("::1", False, False, False), ("localhost", False, False, False),
    ("0.0.0.0", False, False, True), ("10.1.2.3", False, False, True),
    ("sync.example.dk", False, False, True),
    ("0.0.0.0", True, False, False), ("0.0.0.0", False, True, False),
])
def test_plain_http_off_loopback_is_refused(host: str, tls: bool, proxy: bool, refused: bool) -> None:
    assert (plain_http_refusal(host, tls, proxy) is not None) == refused


def test_run_refuses_a_public_address_without_tls_before_it_binds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "server.db"
    add_user(ServerDatabase("sqlite", path=db), capsys, "--team", "t", "--user", "anna")
    assert main(["server", "run", "--db", str(db), "--host", "0.0.0.0"]) == 1
    err = capsys.readouterr().err
    assert err == ("feltkonsulent server: will not serve plain HTTP on 0.0.0.0: give --certfile and "
                   "--keyfile, or --behind-tls-proxy when a TLS proxy is in front\n")
    assert main(["server", "run", "--db", str(db), "--host", "0.0.0.0", "--certfile", str(db)]) == 1
    assert "give both --certfile and --keyfile" in capsys.readouterr().err


def test_every_server_action_and_option_is_documented() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    section = text[text.index("## `server`"):]
    section = section[: section.find("\n## ", 1)] if "\n## " in section[1:] else section
    (commands,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    (actions,) = [a for a in commands.choices["server"]._actions
                  if isinstance(a, argparse._SubParsersAction)]
    for name, parser in actions.choices.items():
        assert f"server {name}" in section, name
        for action in parser._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert option in section, f"server {name} {option}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_served_log_holds_no_token_and_no_value(
    server_database: ServerDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    db = server_database
    token = add_user(db, capsys, "--team", "t", "--user", "anna")[0].strip()
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "feltkonsulent.cli", "server", "run", *where(db), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{url}/v1/health")
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "server did not start"
                time.sleep(0.05)
        d = Device(url, token)
        cpr, note = "0101701234", "Borgeren har ondt i ryggen"
        d.push([op("t", d.device_id, int(time.time() * 1000), field="cpr", value=cpr),
                op("t", d.device_id, int(time.time() * 1000), field="note", value=note)])
        d.pull()
        d.close()
    finally:
        server.terminate()
        log = server.communicate(timeout=20)[0].decode()
    assert "POST /v1/push" in log and "2 accepted" in log  # the log was on
    for secret in (token, cpr, note, "Bearer"):
        assert secret not in log
    assert not re.search(r"\b\d{10}\b", log)


def test_run_serves_https_with_a_certificate_tls_1_2_or_later(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    certfile, keyfile = tmp_path / "server.pem", tmp_path / "server.key"
    cert.cert_chain_pems[0].write_to_path(str(certfile))
    cert.private_key_pem.write_to_path(str(keyfile))
    db = tmp_path / "server.db"
    add_user(ServerDatabase("sqlite", path=db), capsys, "--team", "t", "--user", "anna")
    port = _free_port()
    tls = ["--certfile", str(certfile), "--keyfile", str(keyfile)]
    args = build_parser().parse_args(["server", "run", "--db", str(db), "--port", str(port), *tls])
    assert uvicorn_config(object(), args).ssl.minimum_version == ssl.TLSVersion.TLSv1_2
    server = subprocess.Popen(
        [sys.executable, "-m", "feltkonsulent.cli", "server", "run", "--db", str(db), "--port", str(port),
         *tls], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        context = ssl.create_default_context()
        ca.configure_trust(context)
        deadline = time.monotonic() + 20
        while True:
            try:
                answer = httpx.get(f"https://127.0.0.1:{port}/v1/health", verify=context)
                break
            except httpx.ConnectError:
                assert server.poll() is None and time.monotonic() < deadline, "server did not start"
                time.sleep(0.05)
        assert answer.json()["status"] == "ok"
        with pytest.raises(httpx.RemoteProtocolError):  # plain HTTP to the HTTPS port: no answer
            httpx.get(f"http://127.0.0.1:{port}/v1/health")
    finally:
        server.terminate()
        server.wait(timeout=20)


def server_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["server", *args])
    out, err = capsys.readouterr()
    return code, out, err


def devices(db: ServerDatabase, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    assert main(["server", "list", *where(db), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)["devices"]  # type: ignore[no-any-return]


def test_add_device_renew_and_remove_user(
    server_database: ServerDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    db = server_database
    old_token = add_user(db, capsys, "--team", "nord", "--user", "anna", "--device", "old")[0].strip()
    add_user(db, capsys, "--team", "syd", "--user", "anna", "--device", "second")
    code, out, err = server_cli(capsys, "add-device", *where(db), "--user", "anna", "--device", "new",
                                "--valid-days", "30")
    new_token = out.strip()
    assert code == 0 and len(new_token) >= 43 and "token valid 30 days" in err
    assert [d["name"] for d in devices(db, capsys)] == ["old", "second", "new"]
    assert server_cli(capsys, "add-device", *where(db), "--user", "bo")[0] == 1

    old = devices(db, capsys)[0]["device_id"]
    code, out, err = server_cli(capsys, "renew", *where(db), "--device", old)
    renewed = out.strip()
    assert code == 0 and renewed not in (old_token, new_token) and "old ones revoked" in err
    storage = db.open(create=False)
    try:
        assert isinstance(storage.authenticate(token_hash(renewed), int(time.time() * 1000)), Principal)
        denied = storage.authenticate(token_hash(old_token), int(time.time() * 1000))
        assert isinstance(denied, Denied) and denied.reason == "revoked"
    finally:
        storage.close()
    assert server_cli(capsys, "revoke", *where(db), "--device", old)[0] == 0
    code, _, err = server_cli(capsys, "renew", *where(db), "--device", old)
    assert code == 1 and "a revoked device gets no token" in err

    code, out, _ = server_cli(capsys, "remove-user", *where(db), "--team", "nord", "--user", "anna")
    assert code == 0 and out.startswith("removed anna from team nord")
    assert server_cli(capsys, "remove-user", *where(db), "--team", "nord", "--user", "anna")[0] == 1
    code, listing, _ = server_cli(capsys, "list", *where(db))
    assert "team nord: members -\nteam syd: members anna\nuser anna: teams syd\n" in listing
    for secret in (old_token, new_token, renewed):
        assert secret not in listing

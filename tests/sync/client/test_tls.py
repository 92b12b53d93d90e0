"""The client over HTTPS to a real server on 127.0.0.1 whose certificate a throw-away CA signed:
trusted through `ca_file` or `SSL_CERT_FILE`, refused in words without it (no token in them)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage.changes import pending_count
from feltkonsulent.sync.client import SyncError, sync_round, tls_context
from tests import factories
from tests.sync.client.conftest import HttpsServer, MakeWorkspace

TEAM = "team-1"


@pytest.fixture(autouse=True)
def fresh_tls_context() -> Iterator[None]:
    """The context is made once a process: each test (and whatever follows) makes its own."""
    tls_context.cache_clear()
    yield
    tls_context.cache_clear()


def laptop(make_workspace: MakeWorkspace) -> Workspace:
    ws = make_workspace("a")
    ws.repos.companies.add(factories.company(team_id=TEAM))
    return ws


def test_a_round_over_https_with_the_municipalitys_ca(
    make_workspace: MakeWorkspace, https_server: HttpsServer
) -> None:
    ws, server = laptop(make_workspace), https_server.server
    assert server.url.startswith("https://")
    token = server.token_for(TEAM, "anne")
    summary = sync_round(ws.store, server.url, token, ca_file=str(https_server.ca_file))
    assert summary.pushed > 0 and pending_count(ws.store) == 0


def test_ssl_cert_file_names_the_ca_too(
    make_workspace: MakeWorkspace, https_server: HttpsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, server = laptop(make_workspace), https_server.server
    monkeypatch.setenv("SSL_CERT_FILE", str(https_server.ca_file))
    assert sync_round(ws.store, server.url, server.token_for(TEAM, "anne")).pushed > 0


def test_without_the_ca_the_round_stops_in_words_and_keeps_everything(
    make_workspace: MakeWorkspace, https_server: HttpsServer
) -> None:
    ws, server = laptop(make_workspace), https_server.server
    token = server.token_for(TEAM, "anne")
    kept = pending_count(ws.store)
    with pytest.raises(SyncError) as failed:
        sync_round(ws.store, server.url, token)
    assert failed.value.code == "untrusted_certificate"
    assert "unable to get local issuer certificate" in failed.value.detail
    assert token not in str(failed.value) and token[:8] not in repr(failed.value.extra)
    assert pending_count(ws.store) == kept


def test_a_ca_file_that_is_no_certificate_is_said(make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    ws = laptop(make_workspace)
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate", encoding="utf-8")
    with pytest.raises(SyncError) as failed:
        sync_round(ws.store, "https://127.0.0.1:1", "token", ca_file=str(junk))
    assert failed.value.code == "bad_ca_file"

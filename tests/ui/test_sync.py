"""Sync from the window against a real server on 127.0.0.1 (tests/sync/conftest.py's fixture):
signing in keeps the token where promised, rounds carry records between two encrypted
databases, the status bar tells what happened, conflicts are listed and settled, and a clock
far ahead is said in words. The OS keyring is faked (an in-memory backend, or none)."""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from feltkonsulent import i18n
from feltkonsulent.domain.entities import Company
from feltkonsulent.domain.ids import TeamId, uuid7
from feltkonsulent.services import sync
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage.database import open_database
from feltkonsulent.storage.keys import RawKey
from feltkonsulent.ui import sync as ui_sync
from feltkonsulent.ui.main_window import MainWindow
from feltkonsulent.ui.settings import SettingsDialog
from feltkonsulent.ui.sync import Outcome
from feltkonsulent.ui.sync_dialogs import ConflictsDialog, SignInDialog
from tests import factories
from tests.conftest import FakeClock
from tests.services.test_unlock import MemoryKeyring
from tests.sync.client.helpers import old_edit
from tests.sync.client.test_hostile_pull import store_legacy
from tests.sync.conftest import SyncServer
from tests.sync.conftest import sync_server as sync_server  # the real server, reused here
from tests.sync.server.helpers import Device
from tests.ui.conftest import TODAY
from tests.ui.test_controls import Modal
from tests.ui.windows import activated, toolbar_button

TEAM = "team-1"
ROUND_MS = 30_000


@pytest.fixture(autouse=True)
def no_automatic_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rounds run when a test asks: a timer's round in between would make the order vary."""
    monkeypatch.setattr(ui_sync, "AT_START_MS", 3_600_000)
    monkeypatch.setattr(ui_sync, "AFTER_SAVE_MS", 3_600_000)


@pytest.fixture
def os_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def device(tmp_path: Path, key: RawKey, os_keyring: MemoryKeyring) -> Iterator[Any]:
    """`device("a")`: an encrypted database of its own in team-1, on a clock at the real time
    (the server's clock is real time), or `ahead` of it."""
    opened: list[Workspace] = []

    def make(name: str, ahead: timedelta = timedelta()) -> Workspace:
        clock = FakeClock(datetime.now(UTC) + ahead)
        store = open_database(tmp_path / f"{name}.db", key, create=True, clock=clock, actor=name)
        store.set_team(TeamId(TEAM))
        opened.append(Workspace(store))
        return opened[-1]

    yield make
    for ws in opened:
        ws.close()


def window_for(qtbot: QtBot, ws: Workspace) -> MainWindow:
    window = MainWindow(ws, today=lambda: TODAY)
    qtbot.addWidget(window)
    return window


def signed_in(qtbot: QtBot, ws: Workspace, server: SyncServer, user: str) -> MainWindow:
    sync.sign_in(ws, server.url, server.token_for(TEAM, user, device=str(ws.store.device_id)))
    return window_for(qtbot, ws)


def run_round(qtbot: QtBot, window: MainWindow) -> Outcome:
    with qtbot.waitSignal(window.sync.finished, timeout=ROUND_MS) as finished:
        window.sync.sync_action.trigger()
    outcome: Outcome = finished.args[0]
    return outcome


def save_company(ws: Workspace, name: str) -> Company:
    company = factories.company(team_id=TEAM, name=name)
    ws.save(company)
    return company


def settings_text() -> str:
    settings = QSettings()
    settings.sync()
    path = Path(settings.fileName())
    values = " ".join(str(settings.value(k)) for k in settings.allKeys())
    return values + (path.read_text(encoding="utf-8") if path.is_file() else "")


# -- signing in ---------------------------------------------------------------------------------
def sign_in_with(qtbot: QtBot, window: MainWindow, url: str, token: str) -> SignInDialog:
    dialog = window.sync.open_sign_in()
    assert dialog is not None
    dialog.url.setText(url)
    qtbot.keyClicks(dialog.token, token)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.sign_in_button.isEnabled(), timeout=ROUND_MS)
    return dialog


def test_sign_in_keeps_the_token_in_the_keyring_and_the_url_in_the_database(
    qtbot: QtBot, device: Any, sync_server: SyncServer, os_keyring: MemoryKeyring
) -> None:
    ws = device("a")
    window = window_for(qtbot, ws)
    token = sync_server.token_for(TEAM, "anne", device=str(ws.store.device_id))
    dialog = sign_in_with(qtbot, window, sync_server.url, token)
    assert dialog.answer.text() == (
        "The server answered and took the token: connected. The token is kept in the system's "
        "keyring.")
    assert os_keyring.secrets == {("feltkonsulent-sync", str(ws.store.path.resolve())): token}
    assert ws.store.state()["sync_server_url"] == sync_server.url
    assert "sync_token" not in ws.store.state()
    assert token not in settings_text()
    assert dialog.token.text() == "", "pasted once, not shown again"
    qtbot.waitUntil(lambda: window.connection.text() == "Connected", timeout=ROUND_MS)

    qtbot.mouseClick(dialog.sign_out_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.sign_out_button.isEnabled() and dialog.url.text() == "")
    qtbot.waitUntil(lambda: not window.sync.signed_in)
    assert os_keyring.secrets == {}
    assert "sync_server_url" not in ws.store.state()
    assert window.connection.text() == "Not connected"


def test_without_a_keyring_the_token_is_kept_in_the_encrypted_database(
    qtbot: QtBot, device: Any, sync_server: SyncServer, no_keyring: None
) -> None:
    ws = device("a")
    window = window_for(qtbot, ws)
    token = sync_server.token_for(TEAM, "anne", device=str(ws.store.device_id))
    dialog = sign_in_with(qtbot, window, sync_server.url, token)
    assert dialog.answer.text().endswith(
        "The token is kept in the encrypted database (this computer has no keyring).")
    assert ws.store.state()["sync_token"] == token
    assert token not in settings_text()
    ws.store.conn.execute("PRAGMA wal_checkpoint(FULL)")
    assert token.encode() not in ws.store.path.read_bytes(), "the file is encrypted"
    assert sync.credentials(ws) == sync.Credentials(sync_server.url, token)


def test_a_refused_token_or_a_wrong_address_is_said_in_words_and_not_kept(
    qtbot: QtBot, device: Any, sync_server: SyncServer, os_keyring: MemoryKeyring
) -> None:
    ws = device("a")
    window = window_for(qtbot, ws)
    dialog = sign_in_with(qtbot, window, sync_server.url, "not-a-token")
    assert dialog.answer.text().startswith("The server does not know the token")
    dialog.url.setText(sync_server.url + "/nothing-here")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.answer.text().startswith("The address does not answer"),
                    timeout=ROUND_MS)
    assert os_keyring.secrets == {}
    assert sync.server_url(ws) is None
    assert not window.sync.signed_in


# -- rounds -----------------------------------------------------------------------------------
def test_a_company_saved_in_one_database_reaches_another_and_the_status_bar_says_so(
    qtbot: QtBot, device: Any, sync_server: SyncServer
) -> None:
    a, b = device("a"), device("b")
    window_a = signed_in(qtbot, a, sync_server, "anne")
    assert window_a.last_sync.text() == "Last sync: never"
    company = save_company(a, "Bageriet Ørsted ApS")
    window_a.refresh_changed()
    qtbot.waitUntil(lambda: window_a.pending.text().endswith("changes waiting to sync"))
    outcome = run_round(qtbot, window_a)
    assert outcome.error is None and outcome.summary is not None and outcome.summary.pushed > 0
    assert window_a.connection.text() == "Connected"
    assert window_a.pending.text() == "0 changes waiting to sync"
    assert window_a.last_sync.text().startswith("Last sync: ")
    assert window_a.last_sync.text() != "Last sync: never"
    assert not window_a.sync.problem.isVisible() and window_a.sync.problem.isHidden()

    window_b = signed_in(qtbot, b, sync_server, "bo")
    window_b.navigation.setCurrentRow(window_b.COMPANIES)
    outcome = run_round(qtbot, window_b)
    assert "companies" in outcome.changed, "the worker's writes reach the GUI's views"
    assert b.get(Company, company.id) == company
    model = window_b.companies.model
    qtbot.waitUntil(lambda: any(model.index(r, 0).data() == "Bageriet Ørsted ApS"
                                for r in range(model.rowCount())))


def test_an_unreachable_server_shows_not_connected_and_keeps_the_pending_changes(
    qtbot: QtBot, device: Any
) -> None:
    ws = device("a")
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    sync.sign_in(ws, url, "a-token")
    window = window_for(qtbot, ws)
    save_company(ws, "Bageriet Ørsted ApS")
    pending = ws.pending_changes()
    outcome = run_round(qtbot, window)
    assert outcome.error is not None and outcome.error.code == "unreachable"
    assert window.connection.text() == "Not connected"
    assert window.connection.toolTip().startswith("The sync server cannot be reached.")
    assert window.pending.text() == f"{pending} changes waiting to sync"
    assert ws.pending_changes() == pending > 0
    assert window.sync.problem.isHidden(), "no network is not a problem to act on"


def test_a_clock_far_ahead_is_said_clearly_and_nothing_is_lost(
    qtbot: QtBot, device: Any, sync_server: SyncServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = device("a", ahead=timedelta(hours=1))
    window = signed_in(qtbot, ws, sync_server, "anne")
    save_company(ws, "Bageriet Ørsted ApS")
    pending = ws.pending_changes()
    outcome = run_round(qtbot, window)
    assert outcome.error is not None and outcome.error.code == "clock_ahead"
    problem = window.sync.problem
    assert not problem.isHidden()
    assert problem.text() == "Clock is wrong"
    assert problem.toolTip().startswith("This computer's clock is 60 minutes ahead of the server's.")
    assert ws.pending_changes() == pending > 0
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: said.append(text))
    qtbot.mouseClick(problem, Qt.MouseButton.LeftButton)
    assert said == [problem.toolTip()]


def test_a_revoked_token_is_a_red_problem(
    qtbot: QtBot, device: Any, sync_server: SyncServer
) -> None:
    ws = device("a")
    window = signed_in(qtbot, ws, sync_server, "anne")
    save_company(ws, "Bageriet Ørsted ApS")
    sync_server.storage.revoke_device(sync_server.device_id("anne", str(ws.store.device_id)),
                                      sync_server.clock())
    outcome = run_round(qtbot, window)
    assert outcome.error is not None and outcome.error.code == "device_revoked"
    assert window.sync.problem.text() == "Access revoked"
    assert window.connection.text() == "Connected", "the server answered"


def test_a_mismatch_a_resync_cannot_mend_is_shown_in_the_status_bar(
    qtbot: QtBot, device: Any, sync_server: SyncServer
) -> None:
    ws = device("a")
    window = signed_in(qtbot, ws, sync_server, "anne")
    company = save_company(ws, "Uenig ApS")
    run_round(qtbot, window)
    # The server's stamp of a field differs from its change log: no pull can mend that.
    with sync_server.storage._transaction(write=True) as db:
        db.execute("UPDATE fields SET hlc = hlc + 1 WHERE row_id = ? AND field = 'name'", (company.id,))
    ws.store.clock.advance(seconds=1)  # type: ignore[attr-defined]
    ws.save(dataclasses.replace(company, city="Vejle"))
    outcome = run_round(qtbot, window)
    assert outcome.summary is not None and outcome.summary.mismatch == ("companies",)
    assert not window.sync.problem.isHidden()
    assert window.sync.problem.text() == "Not in step with the server"


# -- conflicts --------------------------------------------------------------------------------
def test_a_conflict_of_two_databases_is_listed_and_keep_mine_wins_on_the_other_side(
    qtbot: QtBot, device: Any, sync_server: SyncServer
) -> None:
    a, b = device("a"), device("b")
    window_a = signed_in(qtbot, a, sync_server, "anne")
    window_b = signed_in(qtbot, b, sync_server, "bo")
    company = save_company(a, "Bageriet Ørsted ApS")
    run_round(qtbot, window_a)
    run_round(qtbot, window_b)
    # B renames first, A later; A syncs first. B's push races A's: a conflict, and A's later
    # name wins everywhere.
    b.save(dataclasses.replace(company, name="Name from B"))
    a.store.clock.advance(seconds=2)  # type: ignore[attr-defined]
    a.save(dataclasses.replace(company, name="Name from A"))
    run_round(qtbot, window_a)
    outcome = run_round(qtbot, window_b)
    assert outcome.summary is not None and outcome.summary.conflicts == 1
    assert b.get(Company, company.id).name == "Name from A"  # type: ignore[union-attr]
    assert window_b.sync.conflicts.text() == "1 conflict"
    assert not window_b.sync.conflicts.isHidden()

    dialog = window_b.sync.open_conflicts()
    assert isinstance(dialog, ConflictsDialog)
    table = dialog.conflict_table
    assert [table.item(0, c).text() for c in range(6)] == [
        "Name from A", "Name", "Name from B", "Name from A", "anne", "Theirs"]
    assert dialog.keep_theirs_button.isEnabled()
    qtbot.mouseClick(dialog.keep_mine_button, Qt.MouseButton.LeftButton)
    assert table.rowCount() == 0
    assert b.get(Company, company.id).name == "Name from B"  # type: ignore[union-attr]
    assert sync.conflicts(b) == []
    dialog.reject()
    qtbot.waitUntil(lambda: window_b.sync.conflicts.isHidden())

    run_round(qtbot, window_b)
    run_round(qtbot, window_a)
    assert a.get(Company, company.id).name == "Name from B"  # type: ignore[union-attr]


def test_keep_theirs_writes_nothing_and_rejected_changes_are_listed_with_a_reason(
    qtbot: QtBot, device: Any, sync_server: SyncServer
) -> None:
    a, b = device("a"), device("b")
    window_a = signed_in(qtbot, a, sync_server, "anne")
    window_b = signed_in(qtbot, b, sync_server, "bo")
    company = save_company(a, "Bageriet Ørsted ApS")
    run_round(qtbot, window_a)
    run_round(qtbot, window_b)
    b.save(dataclasses.replace(company, city="Vejle"))
    a.store.clock.advance(seconds=2)  # type: ignore[attr-defined]
    a.save(dataclasses.replace(company, city="Kolding"))
    run_round(qtbot, window_a)
    # A record of a team B is not in: the server rejects it, and it is listed.
    b.save(factories.company(team_id="another-team", name="Fremmed ApS"))
    run_round(qtbot, window_b)
    assert window_b.sync.conflicts.text() == "1 conflict"

    dialog = window_b.sync.open_conflicts()
    assert dialog is not None
    rejected = dialog.rejected_table
    assert rejected.rowCount() > 0
    assert {rejected.item(r, 3).text() for r in range(rejected.rowCount())} == {
        "The record belongs to a team you are not a member of."}
    pending = b.pending_changes()
    qtbot.mouseClick(dialog.keep_theirs_button, Qt.MouseButton.LeftButton)
    assert dialog.conflict_table.rowCount() == 0
    assert b.pending_changes() == pending, "keeping the value now writes nothing"
    assert b.get(Company, company.id).city == "Kolding"  # type: ignore[union-attr]


def test_the_status_bar_speaks_danish(qtbot: QtBot, device: Any, sync_server: SyncServer) -> None:
    i18n.set_language("da")  # the `english` fixture sets it back
    ws = device("a")
    window = signed_in(qtbot, ws, sync_server, "anne")
    assert window.connection.text() == "Ikke forbundet"
    assert window.last_sync.text() == "Sidst synkroniseret: aldrig"
    save_company(ws, "Bageriet Ørsted ApS")
    run_round(qtbot, window)
    assert window.connection.text() == "Forbundet"
    at = datetime.fromisoformat(sync.status(ws).last_sync_at or "").astimezone()
    assert window.last_sync.text() == f"Sidst synkroniseret: {at:%H.%M}"
    assert window.pending.text() == "0 ændringer venter på synkronisering"
    assert window.sync.sync_action.text() == "Synkronisér nu"
    assert [s.toString() for s in window.sync.sync_action.shortcuts()] == ["F5", "Ctrl+R"]


def test_settings_has_an_entry_for_the_sync_server(qtbot: QtBot, device: Any) -> None:
    window = shown_window(qtbot, device("a"))
    qtbot.mouseClick(toolbar_button(window, "Settings"), Qt.MouseButton.LeftButton)
    (settings,) = window.findChildren(SettingsDialog)
    button = settings.findChild(QPushButton, "sync_server")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    (dialog,) = window.findChildren(SignInDialog)
    assert dialog.isVisible() and dialog.url.text() == ""
    assert dialog.answer.text() == "Not signed in: this computer does not sync."


# -- every sync control, through its widget -------------------------------------------------------
def shown_window(qtbot: QtBot, ws: Workspace) -> MainWindow:
    return activated(qtbot, window_for(qtbot, ws))


def test_sync_now_in_the_toolbar_f5_and_ctrl_r_each_send_what_was_saved(
    qtbot: QtBot, device: Any, sync_server: SyncServer
) -> None:
    a, b = device("a"), device("b")
    sync.sign_in(a, sync_server.url, sync_server.token_for(TEAM, "anne", device=str(a.store.device_id)))
    window = shown_window(qtbot, a)
    presses: list[Callable[[], None]] = [
        lambda: qtbot.mouseClick(toolbar_button(window, "Sync now"), Qt.MouseButton.LeftButton),
        lambda: qtbot.keyClick(window, Qt.Key.Key_F5),
        lambda: qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier),
    ]
    names = ["Toolbar ApS", "Fem ApS", "Kontrol R ApS"]
    for press, name in zip(presses, names, strict=True):
        save_company(a, name)
        window.refresh_changed()
        with qtbot.waitSignal(window.sync.finished, timeout=ROUND_MS) as finished:
            press()
        outcome: Outcome = finished.args[0]
        assert outcome.error is None and outcome.summary is not None and outcome.summary.pushed > 0
        assert window.connection.text() == "Connected"
        assert window.pending.text() == "0 changes waiting to sync"
    window_b = signed_in(qtbot, b, sync_server, "bo")
    run_round(qtbot, window_b)
    assert sorted(c.name for c in b.repos.companies.where()) == sorted(names)


def test_sync_in_the_toolbar_signs_in_with_return_and_close_closes(
    qtbot: QtBot, device: Any, sync_server: SyncServer, os_keyring: MemoryKeyring
) -> None:
    ws = device("a")
    window = shown_window(qtbot, ws)
    qtbot.mouseClick(toolbar_button(window, "Sync…"), Qt.MouseButton.LeftButton)
    (dialog,) = window.findChildren(SignInDialog)
    assert dialog.isVisible()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClicks(dialog.url, sync_server.url)
    qtbot.keyClick(dialog.url, Qt.Key.Key_Tab)
    assert dialog.token.hasFocus()
    token = sync_server.token_for(TEAM, "anne", device=str(ws.store.device_id))
    qtbot.keyClicks(dialog.token, token)
    with qtbot.waitSignal(dialog.signed, timeout=ROUND_MS):
        qtbot.keyClick(dialog.token, Qt.Key.Key_Return)  # "Sign in" is the default button
    assert dialog.answer.text().startswith("The server answered and took the token: connected.")
    assert sync.server_url(ws) == sync_server.url
    assert os_keyring.secrets == {("feltkonsulent-sync", str(ws.store.path.resolve())): token}
    qtbot.waitUntil(lambda: window.connection.text() == "Connected", timeout=ROUND_MS)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Close), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert window.sync.signed_in, "closing the dialog keeps the sign-in"


def test_sync_now_not_signed_in_opens_the_sign_in(qtbot: QtBot, device: Any) -> None:
    ws = device("a")
    window = shown_window(qtbot, ws)
    finished: list[Outcome] = []
    window.sync.finished.connect(finished.append)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    (dialog,) = window.findChildren(SignInDialog)
    assert dialog.isVisible()
    assert dialog.answer.text() == "Not signed in: this computer does not sync."
    qtbot.wait(100)
    assert finished == [] and not window.sync.running, "no round without a server"


def test_sign_in_without_a_token_says_what_is_missing(qtbot: QtBot, device: Any) -> None:
    ws = device("a")
    window = shown_window(qtbot, ws)
    qtbot.mouseClick(toolbar_button(window, "Sync…"), Qt.MouseButton.LeftButton)
    (dialog,) = window.findChildren(SignInDialog)
    qtbot.keyClicks(dialog.url, "http://127.0.0.1:9")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.answer.text() == "Give the server's address and the token."
    assert sync.server_url(ws) is None


def a_conflict(qtbot: QtBot, device: Any, sync_server: SyncServer) -> tuple[MainWindow, Company]:
    """Two databases renamed one company before either synced: B's window has one conflict."""
    a, b = device("a"), device("b")
    window_a = signed_in(qtbot, a, sync_server, "anne")
    sync.sign_in(b, sync_server.url, sync_server.token_for(TEAM, "bo", device=str(b.store.device_id)))
    window_b = shown_window(qtbot, b)
    company = save_company(a, "Bageriet Ørsted ApS")
    run_round(qtbot, window_a)
    run_round(qtbot, window_b)
    b.save(dataclasses.replace(company, name="Name from B"))
    a.store.clock.advance(seconds=2)  # type: ignore[attr-defined]
    a.save(dataclasses.replace(company, name="Name from A"))
    run_round(qtbot, window_a)
    run_round(qtbot, window_b)
    assert window_b.sync.conflicts.text() == "1 conflict"
    return window_b, company


def test_the_conflicts_in_the_status_bar_open_the_list_and_close_closes_it(
    qtbot: QtBot, device: Any, sync_server: SyncServer
) -> None:
    window, company = a_conflict(qtbot, device, sync_server)
    assert window.sync.conflicts.isVisible()
    qtbot.mouseClick(window.sync.conflicts, Qt.MouseButton.LeftButton)
    (dialog,) = window.findChildren(ConflictsDialog)
    assert dialog.isVisible() and dialog.conflict_table.rowCount() == 1
    qtbot.mouseClick(dialog.keep_mine_button, Qt.MouseButton.LeftButton)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Close), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: window.sync.conflicts.isHidden())
    assert window.ws.get(Company, company.id).name == "Name from B"  # type: ignore[union-attr]


def test_the_sign_in_dialog_leads_to_the_conflicts(
    qtbot: QtBot, device: Any, sync_server: SyncServer
) -> None:
    window, _company = a_conflict(qtbot, device, sync_server)
    qtbot.mouseClick(toolbar_button(window, "Sync…"), Qt.MouseButton.LeftButton)
    (sign_in,) = window.findChildren(SignInDialog)
    (button,) = [b for b in sign_in.findChildren(QPushButton)
                 if b.text() == "Conflicts and rejected changes…"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    (dialog,) = window.findChildren(ConflictsDialog)
    assert dialog.isVisible()
    table = dialog.conflict_table
    assert [table.item(0, c).text() for c in range(3)] == ["Name from A", "Name", "Name from B"]


def click_row(qtbot: QtBot, table: Any, row: int) -> None:
    rect = table.visualItemRect(table.item(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_rejected_change_shows_the_team_value_and_is_listed_to_copy_apply_or_let_go(
    qtbot: QtBot, device: Any, sync_server: SyncServer
) -> None:
    a = device("a")
    window = signed_in(qtbot, a, sync_server, "anne")
    company = save_company(a, "Netto Vejle")
    run_round(qtbot, window)
    too_long = "N" * 201
    old_edit(a, company, name=too_long)  # an older version's form let it through

    outcome = run_round(qtbot, window)
    assert outcome.summary is not None and outcome.summary.rejected == 1
    assert a.get(Company, company.id).name == "Netto Vejle"  # type: ignore[union-attr]
    assert window.sync.conflicts.text() == "1 rejected change"
    assert "the record shows the server's value" in window.sync.conflicts.toolTip()
    qtbot.mouseClick(window.sync.conflicts, Qt.MouseButton.LeftButton)
    (dialog,) = window.findChildren(ConflictsDialog)
    panel = dialog.refused_panel
    table = panel.rejected_table
    assert table.rowCount() == 1 and table.item(0, 1).text() == "Name"
    assert table.item(0, 2).text() == "N" * 199 + "…", "a long value is cut in the table"
    assert not panel.refused_table.isVisible(), "no values refused from the server: not shown"
    assert not panel.apply_again_button.isEnabled()
    click_row(qtbot, table, 0)
    assert panel.apply_again_button.isEnabled()

    said: list[str] = []
    box = Modal(qtbot, QMessageBox, lambda b: (said.append(b.text()), b.accept()))
    qtbot.mouseClick(panel.apply_again_button, Qt.MouseButton.LeftButton)
    box.check()
    assert said == ["Name: At most 200 characters (this has 201)."]
    assert table.rowCount() == 1 and a.pending_changes() == 0, "still too long: nothing written"

    qtbot.mouseClick(panel.copy_rejected_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == too_long
    qtbot.mouseClick(panel.let_go_rejected_button, Qt.MouseButton.LeftButton)
    assert table.rowCount() == 0 and sync.rejected_changes(a) == []
    dialog.reject()
    qtbot.waitUntil(lambda: window.sync.conflicts.isHidden())
    assert a.get(Company, company.id).name == "Netto Vejle"  # type: ignore[union-attr]


def test_a_value_from_the_server_this_computer_cannot_hold_is_listed_never_written(
    qtbot: QtBot, device: Any, sync_server: SyncServer
) -> None:
    b = device("b")
    window = signed_in(qtbot, b, sync_server, "bo")
    teammate = Device(sync_server.url, sync_server.token_for(TEAM, "tove", device="tove"))
    row_id = uuid7()
    store_legacy(sync_server, teammate, row_id, "employee_count", '"tolv"', team=TEAM)
    teammate.close()

    outcome = run_round(qtbot, window)
    assert outcome.summary is not None and outcome.summary.refused == 1
    assert window.sync.conflicts.text() == "1 value from the server not saved"
    qtbot.mouseClick(window.sync.conflicts, Qt.MouseButton.LeftButton)
    (dialog,) = window.findChildren(ConflictsDialog)
    refused = dialog.refused_panel.refused_table
    assert refused.isVisible() and refused.rowCount() == 1
    assert [refused.item(0, c).text() for c in range(4)] == [
        "Company", "Ordinary employees (number of full-time persons)", "tolv",
        "A value of the wrong kind (expected a number)."]
    assert b.get(Company, row_id).employee_count is None  # type: ignore[union-attr]
    click_row(qtbot, refused, 0)
    qtbot.mouseClick(dialog.refused_panel.let_go_refused_button, Qt.MouseButton.LeftButton)
    assert refused.rowCount() == 0 and sync.refused_values(b) == []

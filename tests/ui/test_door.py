"""The one door for writes (ui/door.py): the window's thread never writes and never waits for
the write lock. Another connection holds the lock (as an import or a sync page being applied
does) while the consultant saves a company with Ctrl+S: the window keeps painting and running
its timers — no gap over 100 ms — and the company lands as soon as the lock is free."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from feltkonsulent.domain.entities import Company
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui.dialogs import RecordDialog
from tests import factories
from tests.ui.test_controls import CTRL, open_dialog
from tests.ui.windows import shown_window

HOLD_S = 1.5
MAX_GAP_MS = 100


class Heartbeat:
    """A 10 ms timer on the window's thread; the longest time between two of its ticks is how
    long that thread was kept from its event loop."""

    def __init__(self) -> None:
        self.last = time.monotonic()
        self.longest = 0.0
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def stop(self) -> float:
        self.timer.stop()
        return self.longest * 1000


def hold_the_write_lock(ws: Workspace, held: threading.Event, seconds: float) -> threading.Thread:
    """Another connection to the same database takes the write lock and keeps it `seconds`."""
    other = ws.another()

    def hold() -> None:
        try:
            with other.store.write():
                held.set()
                time.sleep(seconds)
        finally:
            other.close()

    thread = threading.Thread(target=hold)
    thread.start()
    return thread


def test_a_save_while_another_connection_holds_the_lock_never_freezes_the_window(
    qtbot: QtBot, workspace: Workspace
) -> None:
    window = shown_window(qtbot, workspace)
    transactions = workspace.store.transactions
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    dialog = open_dialog(qtbot, window, RecordDialog)
    assert isinstance(dialog, RecordDialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    name, cvr = dialog.form.editors["name"], dialog.form.editors["cvr"]
    assert isinstance(name, QLineEdit) and isinstance(cvr, QLineEdit)
    qtbot.keyClicks(name, "Netto Vejle")
    qtbot.keyClick(cvr, Qt.Key.Key_S, CTRL)  # no CVR number yet: refused, and said so
    refusal = dialog.findChild(QLabel, "refusal")
    assert refusal is not None
    qtbot.waitUntil(refusal.isVisible)  # a shortcut shows the button pressed first
    qtbot.keyClicks(cvr, factories.GOOD_CVR)
    held = threading.Event()
    holder = hold_the_write_lock(workspace, held, HOLD_S)
    assert held.wait(5)

    beat = Heartbeat()
    while_waiting: list[bool] = []
    QTimer.singleShot(300, lambda: while_waiting.append(refusal.isVisible()))
    started = time.monotonic()
    qtbot.keyClick(cvr, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=int(HOLD_S * 1000) + 5000)
    waited = time.monotonic() - started
    longest = beat.stop()
    holder.join()

    assert longest < MAX_GAP_MS, f"the window stalled {longest:.0f} ms"
    assert while_waiting == [False], "the earlier refusal is not shown while this save waits"
    assert waited >= HOLD_S * 0.8, "the save waited for the lock (on the writer's thread)"
    (company,) = workspace.repos.companies.where()
    assert isinstance(company, Company) and company.name == "Netto Vejle"
    assert workspace.store.transactions == transactions, "the window's connection wrote nothing"

"""Sync in the desktop: when rounds run (a timer, shortly after a save, when the network comes
back, on demand), one at a time on a thread of their own, and what the status bar says."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtNetwork import QNetworkInformation
from PySide6.QtWidgets import QMessageBox, QPushButton

from feltkonsulent.i18n import _, ngettext
from feltkonsulent.services import sync
from feltkonsulent.services.sync import RoundSummary, SyncError, SyncStatus
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui.messages import describe_sync, sync_problem
from feltkonsulent.ui.sync_dialogs import ConflictsDialog, SignInDialog, moment_text
from feltkonsulent.ui.tasks import BackgroundTasks

if TYPE_CHECKING:
    from feltkonsulent.ui.main_window import MainWindow

log = logging.getLogger(__name__)

INTERVAL_MS = 5 * 60_000  # a round every 5 minutes while signed in and not offline
AFTER_SAVE_MS = 10_000  # and this long after a save (several saves in a row: one round)
AT_START_MS = 3_000  # and this long after the window opens
# Not problems the consultant must act on: the status shows "Ikke forbundet" for them.
# rate_limited: the server refuses for a while (failed sign-ins from this address); the timer's
# rounds wait as long as it says (Retry-After).
NOT_PROBLEMS = frozenset({"unreachable", "rate_limited"})


@dataclass(frozen=True)
class Outcome:
    """What one round on the sync thread found: `changed` are the entities it wrote (the GUI's
    store never hears of them: the round ran on another connection)."""

    signed_in: bool
    status: SyncStatus
    error: SyncError | None = None
    changed: frozenset[str] = frozenset()
    summary: RoundSummary | None = None


def run_round(ws: Workspace) -> Outcome:
    """On the sync thread: ask /v1/health, then push and pull. A refusal is an outcome, not a
    failure: nothing pending is lost, and the status bar says why."""
    if sync.server_url(ws) is None:
        return Outcome(False, sync.status(ws))
    found = sync.credentials(ws)
    summary = None
    try:
        if found is None:
            raise SyncError("no_token")
        check = sync.check_server(ws, found.url)
        summary = sync.sync_now(ws, found.url, found.token)
        error = SyncError("clock_ahead", ahead_ms=check.ahead_ms) if check.clock_ahead else None
        if summary.mismatch and error is None:
            error = SyncError("mismatch", ", ".join(summary.mismatch))
    except SyncError as failure:
        log.info("sync stopped: %s", failure.code)  # the code only: no detail, no token
        error = failure
    return Outcome(True, sync.status(ws), error, ws.take_changes(), summary)


def _network() -> QNetworkInformation | None:
    """The OS's view of the network, when Qt has a backend for it (offscreen and CI machines may
    have none: then the timer and the health check alone decide). Asking only for a backend that
    exists keeps Qt from warning about a missing one."""
    if QNetworkInformation.instance() is None:
        if not QNetworkInformation.availableBackends():
            return None
        if not QNetworkInformation.loadDefaultBackend():
            return None
    return QNetworkInformation.instance()


class SyncController(QObject):
    """Owns the sync thread, the timers and the sync widgets of the main window."""

    finished = Signal(object)  # the Outcome of each round, after the window has been told

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        ws = window.ws
        self.tasks = BackgroundTasks(ws, self, name="sync", cache_kib=8 * 1024)
        self.signed_in = sync.server_url(ws) is not None
        self.running = False
        self._again = False
        self.reached: bool | None = None  # did the last round reach the server
        self.error: SyncError | None = None
        self.not_before = 0.0  # time.monotonic() before which the timer starts no round
        self.status = sync.status(ws)
        self._build_actions()
        self._build_widgets()
        self.timer = QTimer(self, interval=INTERVAL_MS)
        self.timer.timeout.connect(self.sync_if_online)
        self.timer.start()
        self._soon = QTimer(self, singleShot=True)
        self._soon.timeout.connect(self.sync_if_online)
        self.network = _network()
        if self.network is not None:
            self.network.reachabilityChanged.connect(self._network_changed)
        if self.signed_in:
            self._soon.start(AT_START_MS)
        self.show_state()

    def _build_actions(self) -> None:
        bar = self.window.toolbar
        self.sync_action = QAction(_("Sync now"), self.window)
        self.sync_action.setShortcuts([QKeySequence("F5"), QKeySequence("Ctrl+R")])
        self.sync_action.triggered.connect(self._sync_asked)
        bar.addAction(self.sync_action)
        self.setup_action = QAction(_("Sync…"), self.window)
        self.setup_action.triggered.connect(self.open_sign_in)
        bar.addAction(self.setup_action)

    def _build_widgets(self) -> None:
        self.problem = QPushButton()
        self.problem.setObjectName("sync_problem")
        self.problem.setFlat(True)
        self.problem.setStyleSheet("color: #b00020; font-weight: bold;")
        self.problem.clicked.connect(self.explain_problem)
        self.conflicts = QPushButton()
        self.conflicts.setObjectName("sync_conflicts")
        self.conflicts.setFlat(True)
        self.conflicts.clicked.connect(self.open_conflicts)
        for widget in (self.problem, self.conflicts):
            widget.hide()
            self.window.statusBar().addPermanentWidget(widget)

    # -- when rounds run --------------------------------------------------------------------
    @property
    def offline(self) -> bool:
        return (self.network is not None
                and self.network.reachability() == QNetworkInformation.Reachability.Disconnected)

    def after_save(self) -> None:
        if self.signed_in:
            self._soon.start(AFTER_SAVE_MS)

    def sync_if_online(self) -> None:
        if self.signed_in and not self.offline and time.monotonic() >= self.not_before:
            self.sync_now()

    def _network_changed(self, reachability: QNetworkInformation.Reachability) -> None:
        if reachability == QNetworkInformation.Reachability.Disconnected:
            self.reached = None
        self.show_state()
        if reachability != QNetworkInformation.Reachability.Disconnected and self.signed_in:
            self._soon.start(1_000)  # the network is back: sync once it has settled

    def _sync_asked(self) -> None:
        """"Synkronisér nu" (F5): a round; not signed in, the sign-in dialog instead (a round
        would only say that nothing can sync)."""
        if self.signed_in:
            self.sync_now()
        else:
            self.open_sign_in()

    def sync_now(self) -> None:
        """One round on the sync thread; asked while one runs, one more follows it."""
        if self.running:
            self._again = True
            return
        self.running = True
        self.show_state()
        self.tasks.submit(run_round, self._done, self._failed)

    def _done(self, outcome: Outcome) -> None:
        self.running = False
        self.signed_in = outcome.signed_in
        self.error = outcome.error
        wait_s = outcome.error.extra.get("retry_after_s") if outcome.error is not None else None
        self.not_before = time.monotonic() + wait_s if isinstance(wait_s, int) else 0.0
        self.reached = outcome.signed_in and (outcome.error is None
                                              or outcome.error.code not in NOT_PROBLEMS)
        self.status = outcome.status
        if outcome.changed:
            self.window.refresh(outcome.changed)
        self.window.show_pending(outcome.status.pending)
        self.show_state()
        self.finished.emit(outcome)
        if self._again:
            self._again = False
            self.sync_now()

    def _failed(self, error: Exception) -> None:
        """A bug, not a refusal (those are outcomes): said in the status bar, logged by the task."""
        self._done(Outcome(self.signed_in, self.status, SyncError("internal", type(error).__name__)))

    def signed_in_now(self, signed_in: bool) -> None:
        """After the sign-in dialog signed in (a round follows) or out."""
        self.signed_in = signed_in
        self.error = None
        self.reached = None
        if signed_in:
            self.sync_now()
        self.show_state()

    # -- what the status bar says -----------------------------------------------------------
    def show_state(self) -> None:
        window = self.window
        window.connection.setText(self._connection_text())
        window.connection.setToolTip(self._connection_tip())
        window.last_sync.setText(last_sync_text(self.status.last_sync_at, window.ws))
        problem = self.error is not None and self.error.code not in NOT_PROBLEMS
        if self.error is not None and problem:
            self.problem.setText(sync_problem(self.error.code))
            self.problem.setToolTip(describe_sync(self.error.code, self._ahead_ms()))
        self.problem.setVisible(problem)
        status = self.status
        count = status.conflicts + status.rejected + status.refused + status.waiting
        self.conflicts.setText(_conflicts_text(status))
        self.conflicts.setToolTip(_attention_tip(status))
        self.conflicts.setVisible(count > 0)

    def _connection_text(self) -> str:
        if self.running:
            return _("Syncing…")
        if self.signed_in and self.reached:
            return _("Connected")  # the last round reached the server, whatever the OS thinks
        return _("Offline") if self.offline else _("Not connected")

    def _connection_tip(self) -> str:
        if not self.signed_in:
            return _("Not signed in to a sync server (Sync…).")
        if self.error is not None and self.error.code in NOT_PROBLEMS:
            return describe_sync(self.error.code)
        return ""

    def _ahead_ms(self) -> int:
        return int(self.error.extra.get("ahead_ms") or 0) if self.error is not None else 0

    # -- dialogs ----------------------------------------------------------------------------
    def explain_problem(self) -> None:
        if self.error is None or self.window.locked:
            return
        QMessageBox.warning(self.window, _("Sync"), describe_sync(self.error.code, self._ahead_ms()))

    def open_sign_in(self) -> SignInDialog | None:
        if self.window.locked:
            return None
        dialog = SignInDialog(self.window.ws, self.tasks, self.window)
        dialog.signed.connect(self.signed_in_now)
        dialog.show_conflicts.connect(self.open_conflicts)
        dialog.open()
        return dialog

    def open_conflicts(self) -> ConflictsDialog | None:
        if self.window.locked:
            return None
        dialog = ConflictsDialog(self.window.ws, self.window)
        dialog.finished.connect(lambda _result: self._conflicts_closed())
        dialog.open()
        return dialog

    def _conflicts_closed(self) -> None:
        self.window.refresh_changed()  # "behold min" wrote a local edit: views and a round
        self.window.quick.submit(sync.status, self._status_read)

    def _status_read(self, status: SyncStatus) -> None:
        self.status = status
        self.show_state()

    def shutdown(self) -> None:
        self.timer.stop()
        self._soon.stop()
        self.tasks.shutdown()


def last_sync_text(at: str | None, ws: Workspace) -> str:
    """"Sidst synkroniseret: 14.32" today, with the date on another day, in local time."""
    if at is None:
        return _("Last sync: never")
    return _("Last sync: {time}").format(time=moment_text(at, ws.now()))


def _conflicts_text(status: SyncStatus) -> str:
    """The status bar's link to the list: what most needs a look, first."""
    if status.conflicts:
        return ngettext("{n} conflict", "{n} conflicts", status.conflicts).format(n=status.conflicts)
    if status.rejected:
        return ngettext("{n} rejected change", "{n} rejected changes",
                        status.rejected).format(n=status.rejected)
    if status.refused:
        return ngettext("{n} value from the server not saved", "{n} values from the server not saved",
                        status.refused).format(n=status.refused)
    return ngettext("{n} record from the server waiting", "{n} records from the server waiting",
                    status.waiting).format(n=status.waiting)


def _attention_tip(status: SyncStatus) -> str:
    """All of it, for the tooltip: a round that finished may still have left something."""
    lines = []
    if status.rejected:
        lines.append(_("Changes the server refused: the record shows the server's value; yours "
                       "is in the list (apply it again, or copy it)."))
    if status.refused:
        lines.append(_("Values from the server that this computer cannot hold (outside the "
                       "limits) were not written."))
    if status.waiting:
        lines.append(_("Records from the server wait for a field or a record that has not come; "
                       "ask the administrator if they do not arrive."))
    return "\n".join(lines)

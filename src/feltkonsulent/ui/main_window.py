"""The main window: navigation (I dag, Virksomheder, Borgere, Forløb, Besøg), search, status."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QTreeWidgetItem,
    QWidget,
)

from feltkonsulent.domain.entities import AftercareVisit, Citizen, Company, Record
from feltkonsulent.i18n import _, ngettext
from feltkonsulent.services import agreements, files, rules, transfer
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui import lists
from feltkonsulent.ui.agreement import print_batch
from feltkonsulent.ui.company import CompanyDialog
from feltkonsulent.ui.dialogs import RecordDialog
from feltkonsulent.ui.door import WriterDoor
from feltkonsulent.ui.duplicates import DuplicatesPage
from feltkonsulent.ui.file_dialogs import save_file_name
from feltkonsulent.ui.lock import IdleWatch, LockKey, LockPage, lock_minutes
from feltkonsulent.ui.models import ID_ROLE
from feltkonsulent.ui.new_placement import NewPlacementDialog
from feltkonsulent.ui.placement import PlacementDialog
from feltkonsulent.ui.profile import ProfileDialog, ensure_profile
from feltkonsulent.ui.search import SearchField, SearchResults
from feltkonsulent.ui.settings import SettingsDialog
from feltkonsulent.ui.sync import SyncController
from feltkonsulent.ui.tasks import BackgroundTasks
from feltkonsulent.ui.today import TodayPage
from feltkonsulent.ui.visits import VisitDialog

AUDIT_FLUSH_MS = 30_000
# Page cache of each helper thread's connection (the window's own has 64 MB for the lists):
# they read a little at a time, and each cache is RAM of its own (bench/ui.py: peak memory).
HELPER_CACHE_KIB = 8 * 1024
# What "I dag" shows depends on: due visits, placements ending, and the rules' findings (which
# read the citizen's target group, the company's size and sector, and the reasons given).
TODAY_SHOWS = frozenset({"aftercare_visits", "placements", "citizens", "companies", "rule_overrides",
                         "agreements"})
LOCK_KEY = QKeySequence("Ctrl+L")


class MainWindow(QMainWindow):
    TODAY, COMPANIES, CITIZENS, PLACEMENTS, VISITS, DUPLICATES, SEARCH = range(7)

    def __init__(self, ws: Workspace, today: Callable[[], date] = date.today) -> None:
        super().__init__()
        self.ws = ws
        self._today = today
        # Every write of the window goes through its one writer (ui/door.py): this thread never
        # writes, and never waits for the write lock.
        self.door = WriterDoor(ws, self)
        # Two background threads, each with its own connection: `quick` for what the user waits
        # for (search, counts, I dag), `tasks` for long work (all rule findings, batch printing).
        # Searching has a thread of its own: a word typed right after the start must not wait
        # for "I dag" (seconds at 100,000 placements). Helper threads get smaller page caches.
        self.quick = BackgroundTasks(ws, self, name="quick", cache_kib=HELPER_CACHE_KIB)
        self.tasks = BackgroundTasks(ws, self, cache_kib=HELPER_CACHE_KIB)
        self.searching = BackgroundTasks(ws, self, name="search", cache_kib=HELPER_CACHE_KIB)
        self.setWindowTitle("Feltkonsulent")
        self.resize(1200, 760)

        self.today_page = TodayPage()
        self.companies = lists.ListPage(lists.COMPANIES, ws, self.quick)
        self.citizens = lists.ListPage(lists.CITIZENS, ws, self.quick)
        self.placements = lists.ListPage(lists.PLACEMENTS, ws, self.quick)
        self.visits = lists.ListPage(lists.VISITS, ws, self.quick)
        self.duplicates = DuplicatesPage(ws, self.quick)
        self.results = SearchResults()
        self.pages = QStackedWidget()
        for page in (self.today_page, self.companies, self.citizens, self.placements,
                     self.visits, self.duplicates, self.results):
            self.pages.addWidget(page)

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.addItems(
            [_("Today"), _("Companies"), _("Citizens"), _("Placements"), _("Visits")]
        )
        self.duplicates.attach(self.navigation)  # "Dubletter (2)": how many groups there are
        self.duplicates.merged.connect(self.refresh_changed)
        self.navigation.setFixedWidth(170)
        self.navigation.currentRowChanged.connect(self.pages.setCurrentIndex)

        self.search = SearchField(self.searching)
        self.search.results.connect(self._show_results)
        self.results.opened.connect(self.open_record)
        self.results.follow(self.search)  # Down, Enter and Esc between the field and the results
        self.companies.opened.connect(lambda i: self.open_record("companies", i))
        self.citizens.opened.connect(lambda i: self.open_record("citizens", i))
        self.placements.opened.connect(lambda i: self.open_record("placements", i))
        self.visits.opened.connect(lambda i: self.open_record("aftercare_visits", i))
        self.today_page.tree.itemActivated.connect(self._open_today_item)

        self._build_toolbar()
        self._build_status_bar()
        self.sync = SyncController(self)  # its toolbar actions, status texts, thread and timers
        self.centre = QWidget()
        row = QHBoxLayout(self.centre)
        row.addWidget(self.navigation)
        row.addWidget(self.pages, 1)
        self.lock_page = LockPage(ws.passphrase_check())
        self.lock_page.unlocked.connect(self.unlock)
        self.body = QStackedWidget()
        self.body.addWidget(self.centre)
        self.body.addWidget(self.lock_page)
        self.setCentralWidget(self.body)
        self._hidden_for_lock: list[QWidget] = []
        self.idle = IdleWatch(self)
        self.idle.idle.connect(lambda: self.lock(by_user=False))
        self.lock_key = LockKey(LOCK_KEY, self)  # Ctrl+L while a dialog has the focus too
        self.lock_key.pressed.connect(lambda: self.lock(by_user=True))
        self.navigation.setCurrentRow(self.TODAY)

        self._audit_timer = QTimer(self, interval=AUDIT_FLUSH_MS)
        self._audit_timer.timeout.connect(self.ws.flush_audit)
        self._audit_timer.start()
        self.ws.take_changes()  # the pages were just built from what is there
        self._refresh_today()
        self._refresh_pending()

    # -- building ---------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        bar = self.toolbar = QToolBar(_("Main"))
        bar.setObjectName("toolbar")
        bar.setMovable(False)
        self.addToolBar(bar)
        self.new_action = QAction(_("New"), self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(self.new_record)
        bar.addAction(self.new_action)
        self.new_placement_action = QAction(_("New placement"), self)
        self.new_placement_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.new_placement_action.triggered.connect(self.new_placement)
        bar.addAction(self.new_placement_action)
        bar.addWidget(self.search)
        settings = QAction(_("Settings"), self)
        # Ctrl+, everywhere: StandardKey.Preferences is empty on Linux and Windows.
        settings.setShortcut(QKeySequence("Ctrl+,"))
        settings.triggered.connect(self.open_settings)
        bar.addAction(settings)
        export = QAction(_("Export…"), self)
        export.triggered.connect(lambda: self.export_to())
        bar.addAction(export)
        lock = QAction(_("Lock"), self)
        lock.setShortcut(LOCK_KEY)
        lock.triggered.connect(lambda: self.lock(by_user=True))
        bar.addAction(lock)
        print_chosen = QAction(_("Print the agreements of the chosen placements"), self)
        print_chosen.setShortcut(QKeySequence.StandardKey.Print)
        print_chosen.triggered.connect(self.print_agreements)
        self.placements.addAction(print_chosen)
        self.placements.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        find = QAction(_("Search"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.search.setFocus)
        self.addAction(find)
        for number in range(5):
            go = QAction(self)
            go.setShortcut(QKeySequence(f"Ctrl+{number + 1}"))
            go.triggered.connect(lambda _checked=False, n=number: self.navigation.setCurrentRow(n))
            self.addAction(go)

    def _build_status_bar(self) -> None:
        self.connection = QLabel(_("Not connected"))
        self.connection.setObjectName("connection")
        self.pending = QLabel()
        self.pending.setObjectName("pending")
        self.last_sync = QLabel(_("Last sync: never"))
        self.last_sync.setObjectName("last_sync")
        for n, label in enumerate((self.connection, self.pending, self.last_sync)):
            if n:
                line = QFrame()
                line.setFrameShape(QFrame.Shape.VLine)
                line.setFrameShadow(QFrame.Shadow.Sunken)
                self.statusBar().addPermanentWidget(line)
            label.setContentsMargins(6, 0, 6, 0)
            self.statusBar().addPermanentWidget(label)

    # -- what the window shows ------------------------------------------------------------
    def refresh(self, changed: frozenset[str] | None = None) -> None:
        """Refresh the views that show any of the `changed` entities (None: everything, after an
        import or a sync that touched much)."""
        for page in (self.companies, self.citizens, self.placements, self.visits):
            if changed is None or page.kind.shows & changed:
                page.reload()
        self.duplicates.refresh(changed)
        if changed is None or TODAY_SHOWS & changed:
            self._refresh_today()
        self._refresh_pending()

    def refresh_changed(self) -> None:
        """After a dialog: refresh what its saves changed, nothing if it saved nothing."""
        changed = self.ws.take_changes()
        if changed:
            self.refresh(changed)
            self.sync.after_save()

    def _refresh_today(self) -> None:
        """All of "I dag" is read in the background: at 100,000 placements the due visits alone
        take seconds, and the window must paint at once."""
        today = self._today()
        self.today_page.show_day(today)
        self.quick.submit(lambda ws: ws.due(today), self.today_page.show_due)
        self.quick.submit(lambda ws: agreements.unsigned_today(ws, today),
                          self.today_page.show_unsigned)
        self.tasks.submit(lambda ws: _findings_with_names(ws, today),
                          lambda got: self.today_page.show_findings(*got))

    def _refresh_pending(self) -> None:
        """Counting the outbox can take a moment when much is waiting: done in the background."""
        self.quick.submit(lambda ws: ws.pending_changes(), self.show_pending)

    def show_pending(self, count: int) -> None:
        self.pending.setText(
            ngettext("{n} change waiting to sync", "{n} changes waiting to sync", count).format(n=count)
        )

    def _show_results(self, text: str, found: list[object]) -> None:
        if text:
            self.pages.setCurrentIndex(self.SEARCH)
            self.navigation.clearSelection()
        self.results.show_results(text, found)  # type: ignore[arg-type]

    # -- actions ----------------------------------------------------------------------------
    def new_record(self) -> None:
        """Ctrl+N: a new record of the page's kind; a new placement on the other pages."""
        page = self.pages.currentIndex()
        if page == self.COMPANIES:
            self._edit(Company, None)
        elif page == self.CITIZENS:
            self._edit(Citizen, None)
        else:
            self.new_placement()

    def new_placement(self) -> None:
        self._show(NewPlacementDialog(self.ws, self._today(), self))

    def open_record(self, kind: str, row_id: str) -> None:
        """A company opens with its contacts and placements, a placement in its own dialog, a
        visit note with its placement's notes, a citizen in the citizen form."""
        if kind == "aftercare_visits":
            visit = self.ws.get(AftercareVisit, row_id)
            if visit is not None:
                self.open_visits(visit.placement_id)
        elif kind == "placements":
            self._show(PlacementDialog(self.ws, row_id, self._today(), self))
        elif kind == "companies" and (company := self.ws.get(Company, row_id)) is not None:
            self._show(CompanyDialog(self.ws, company, self._today(), self))
        elif kind == "citizens" and (citizen := self.ws.get(Citizen, row_id)) is not None:
            self._edit(Citizen, citizen)

    def _show(self, dialog: QDialog) -> None:
        dialog.finished.connect(lambda _result: self.refresh_changed())
        dialog.open()

    def open_visits(self, placement_id: str) -> None:
        self._show(VisitDialog(self.ws, placement_id, self._today(), self))

    def _open_today_item(self, item: QTreeWidgetItem) -> None:
        """A due visit opens the placement's notes; anything else about a placement opens it."""
        placement_id = item.data(0, ID_ROLE)
        if not placement_id:
            return
        if item.parent() is self.today_page.visits:
            self.open_visits(placement_id)
        else:
            self.open_record("placements", placement_id)

    def print_agreements(self) -> None:
        """Ctrl+P on Forløb: the agreements of the chosen placements, in one print job."""
        chosen = self.placements.chosen_ids()
        if not chosen or not ensure_profile(self.ws, self):
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        self.print_batch(chosen, printer)

    def print_batch(self, placement_ids: list[str], printer: QPrinter) -> int:
        self._printer = printer  # kept alive while the background job prints on it
        return print_batch(self.tasks, placement_ids, self._today(), printer, self,
                           on_done=lambda _n: self.refresh(frozenset({"agreements"})))

    def _edit(self, cls: type[Record], record: Record | None) -> None:
        self._show(RecordDialog(self.ws, cls, record, self))

    def export_to(self, path: Path | None = None) -> int | None:
        """Every record to a JSON file (the `export` format), written in the background: at
        100,000 placements that takes minutes, and the window stays usable."""
        if path is None:
            path = save_file_name(self, _("Export"), _("feltkonsulent-export.json"),
                                  "JSON (*.json)")
            if path is None:
                return None
        target = path
        self.statusBar().showMessage(_("Exporting to {file}…").format(file=target.name))

        def job(ws: Workspace) -> None:
            files.write_text(target, lambda out: transfer.write_json(ws, out), "export")

        def failed(error: Exception) -> None:
            self.statusBar().clearMessage()
            QMessageBox.warning(self, _("Export"), _("The export was not written: {reason}").format(
                reason=getattr(error, "strerror", None) or str(error)))

        return self.tasks.submit(job, lambda _none: self.statusBar().showMessage(
            _("Exported to {file}.").format(file=target.name), 10_000), failed)

    def open_settings(self) -> None:
        dialog = SettingsDialog(self, open_sync=self.sync.open_sign_in,
                                open_profile=self.open_profile)
        dialog.accepted.connect(lambda: self.idle.configure(lock_minutes()))
        dialog.open()

    def open_profile(self) -> None:
        ProfileDialog(self.ws, self).open()

    # -- locking ----------------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self.body.currentWidget() is self.lock_page

    def lock(self, *, by_user: bool = False) -> None:
        """Hide every personal detail: the pages, the search, and every open dialog (hidden,
        not closed, so nothing typed is lost). `by_user`: Ctrl+L or "Lås", not the idle time."""
        if self.locked:
            return
        self.idle.pause()
        self._hidden_for_lock = [
            w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not self
        ]
        for widget in self._hidden_for_lock:
            widget.hide()
        self.toolbar.hide()
        for action in self._shortcut_actions():
            action.setEnabled(False)
        self.body.setCurrentWidget(self.lock_page)
        self.lock_page.show_reason(by_user=by_user)
        self.activateWindow()  # the dialog that had the keyboard is hidden: the password's turn
        self.lock_page.reset()

    def unlock(self) -> None:
        self.body.setCurrentWidget(self.centre)
        self.toolbar.show()
        for action in self._shortcut_actions():
            action.setEnabled(True)
        for widget in self._hidden_for_lock:
            widget.show()
        self._hidden_for_lock = []
        self.idle.resume()

    def _shortcut_actions(self) -> list[QAction]:
        return [*self.actions(), *self.toolbar.actions()]

    def closeEvent(self, event: QCloseEvent) -> None:
        self.idle.stop()
        self.lock_key.stop()
        self._audit_timer.stop()
        self.sync.shutdown()
        self.searching.shutdown()
        self.quick.shutdown()
        self.tasks.shutdown()
        self.door.shutdown()  # after the rest: what they handed over is written
        event.accept()


def _findings_with_names(ws: Workspace, today: date
                         ) -> tuple[list[rules.CheckedFinding], dict[str, str]]:
    """Runs in the background: the findings without a reason for placements not over yet, and
    "citizen · company" for each placement."""
    found = [c for c in rules.all_findings(ws, still_running_on=today) if c.needs_attention]
    names = ws.placement_names([c.finding.placement_id for c in found])
    return found, names

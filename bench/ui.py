"""Desktop app benchmark: start-up, the placement list, search as you type and memory, at scale.

    .venv/bin/python bench/ui.py --db PATH [--runs 5] [--keystrokes 50] [--scroll-rows 5000]
    .venv/bin/python bench/ui.py --placements 100000 [--db PATH] [--reuse]

Every figure comes from a fresh Python process that starts the app as `feltkonsulent` does (same
imports, QApplication, translations, `MainWindow`), except that the database is opened with the
fixed key of bench/store.py instead of the keyring. Not a test: it prints figures and exits 0
whether or not a target is met.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import math
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QEventLoop,
    QMessageLogContext,
    QObject,
    Qt,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QWidget

import feltkonsulent.app as desktop  # what the `feltkonsulent` command imports: it counts
from feltkonsulent.services import lists
from feltkonsulent.services.paths import APP_NAME
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage.database import open_database
from feltkonsulent.storage.keys import RawKey
from feltkonsulent.ui import lists as ui_lists
from feltkonsulent.ui.lists import ListPage
from feltkonsulent.ui.main_window import MainWindow
from feltkonsulent.ui.settings import chosen_language
from timing import percentile  # bench/ is on sys.path when run as a script

STARTUP_TARGET_MS = 1500.0
PAGE_TARGET_MS = 200.0
KEYSTROKE_TARGET_MS = 100.0
MEMORY_TARGET_MIB = 300.0

SPAWNED_ENV = "FELTKONSULENT_BENCH_SPAWNED"  # the parent's time.time() just before the child
KEY_ENV = "FELTKONSULENT_BENCH_KEY"  # bench/store.py's fixed key, hex (so the child imports no demo)
RELOADS = 20

Result = dict[str, Any]


# -- both processes -----------------------------------------------------------------------
def ms(seconds: float) -> float:
    return seconds * 1000


def max_rss_mib() -> float:
    """The process's peak resident set so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return math.nan


def process_created() -> float:
    """When the kernel created this process (time.time() scale), from /proc/self/stat; 10 ms
    resolution. The parent's clock just before spawning is the main reference; this checks it."""
    fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
    started = int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22: starttime, since boot
    age = time.clock_gettime(time.CLOCK_BOOTTIME) - started
    return time.time() - age


# -- in the child: the app ----------------------------------------------------------------
qt_messages: list[str] = []


def keep_qt_message(_kind: QtMsgType, _context: QMessageLogContext, text: str) -> None:
    qt_messages.append(text)


def start_app() -> QApplication:
    """What `feltkonsulent.app.run` does before it unlocks the database."""
    qInstallMessageHandler(keep_qt_message)
    logging.basicConfig(level=logging.WARNING)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    desktop._install_translations(app, chosen_language())
    return app


def open_workspace(path: Path) -> Workspace:
    """As `unlock` does once it has the key (the keyring lookup is left out)."""
    return Workspace(open_database(path, RawKey(bytes.fromhex(os.environ[KEY_ENV])), actor="bench"))


class PaintWatch(QObject):
    """Notes when a widget receives Paint events (an event filter; it changes nothing)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.first_wall: float | None = None  # time.time() of the first Paint
        self.last = 0.0  # time.perf_counter() of the latest Paint
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.last = time.perf_counter()
            if self.first_wall is None:
                self.first_wall = time.time()
        return False


def painted_after(watch: PaintWatch, moment: float) -> Callable[[], bool]:
    return lambda: watch.last > moment


def wait_for(done: Callable[[], bool], timeout_s: float) -> bool:
    """Run the event loop until `done()` (checked every 2 ms) or the time is up; like qtbot's
    waitUntil. Times are taken by the handlers that record them, not by this loop."""
    if done():
        return True
    loop = QEventLoop()
    deadline = time.perf_counter() + timeout_s

    def check() -> None:
        if done() or time.perf_counter() > deadline:
            loop.quit()

    timer = QTimer(interval=2)
    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    return done()


def settle(window: MainWindow, timeout_s: float = 900) -> float:
    """Until the background jobs are done (I dag's findings, counts); returns the time waited."""
    started = time.perf_counter()
    wait_for(lambda: not window.tasks.busy, timeout_s)
    QApplication.processEvents()
    return ms(time.perf_counter() - started)


def show_window(ws: Workspace) -> tuple[MainWindow, PaintWatch, dict[str, float]]:
    marks = {}
    window = MainWindow(ws)
    marks["MainWindow built"] = time.time()
    watch = PaintWatch(window)
    window.show()
    marks["show() returned"] = time.time()
    wait_for(lambda: watch.first_wall is not None, 300)
    marks["first paint"] = watch.first_wall or math.nan
    return window, watch, marks


def child_startup(path: Path, result: Path, profile: bool) -> None:
    """Process start to the first Paint event of the main window; then background work and close."""
    marks = {"imports done": time.time()}
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start_app()
    marks["QApplication"] = time.time()
    ws = open_workspace(path)
    marks["database opened"] = time.time()
    window, _watch, shown = show_window(ws)
    marks.update(shown)
    if profiler is not None:
        profiler.disable()
    rss_at_paint = max_rss_mib()
    settle(window)
    marks["background jobs done"] = time.time()
    rss_after_jobs = max_rss_mib()
    window.close()
    ws.close()
    marks["closed"] = time.time()
    write(result, {
        "spawned": float(os.environ[SPAWNED_ENV]), "created": process_created(), "marks": marks,
        "max_rss_mib": rss_at_paint, "max_rss_mib_after_jobs": rss_after_jobs,
        "qt_messages": qt_messages,
    })  # fmt: skip
    if profiler is not None:
        import pstats

        print("cProfile, start-up from QApplication to the first paint (cumulative, top 30):")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def write(result: Path, data: Result) -> None:
    result.write_text(json.dumps(data))


# -- in the child: the placement list -----------------------------------------------------
def cold_page(ws: Workspace) -> Result:
    """The placement model built on a freshly opened connection (SQLite's page cache empty; the
    OS file cache is warm from the runs before), then the count, then the count again."""
    started = time.perf_counter()
    model = ui_lists.placement_model(ws)
    built = time.perf_counter()
    total = lists.placement_count(ws, "")
    counted = time.perf_counter()
    again = lists.placement_count(ws, "")
    return {
        "page": ms(built - started), "count": ms(counted - built),
        "count_again": ms(time.perf_counter() - counted), "rows": model.rowCount(), "total": total,
        "placements": again,
    }  # fmt: skip


def timed_view(page: ListPage, watch: PaintWatch, action: Callable[[], object]) -> Result:
    """One reload or sort through the real list page: until the call returns, until the table
    painted the new rows, and until the count is shown (counted in the background, if it is)."""
    started = time.perf_counter()
    action()
    returned = time.perf_counter()
    wait_for(painted_after(watch, returned), 10)
    wait_for(lambda: not getattr(page, "counting", False), 120)
    counted = time.perf_counter()
    return {
        "call": ms(returned - started), "shown": ms(watch.last - started),
        "counted": ms(max(counted, watch.last) - started),
    }  # fmt: skip


def warm_reloads(window: MainWindow, watch: PaintWatch, runs: int, after_write: bool) -> list[Result]:
    """`after_write`: each reload follows a write (the kept audit rows written, as a save or the
    app's 30-s timer does), so the background connection's page cache starts empty (SQLite drops
    it when another connection wrote); otherwise the audit rows just accumulate."""
    page = window.placements
    samples = []
    for _ in range(runs):
        if after_write:
            window.ws.store.flush_audit()
        samples.append(timed_view(page, watch, page.reload))
    return samples


def sorts(window: MainWindow, watch: PaintWatch) -> list[Result]:
    """A click on each sortable column's header, ascending and descending (the first click of a
    column cold for that index)."""
    page = window.placements
    model, header = page.model, page.table.horizontalHeader()
    default = (header.sortIndicatorSection(), header.sortIndicatorOrder())
    samples = []
    for column, spec in enumerate(model.columns):
        if spec.sort is None or spec.sort not in model.sortable:
            continue
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            figure = timed_view(page, watch, functools.partial(page.table.sortByColumn, column, order))
            samples.append({"sort": spec.sort, "descending": order == Qt.SortOrder.DescendingOrder,
                            **figure})  # fmt: skip
    page.table.sortByColumn(*default)
    wait_for(lambda: not getattr(page, "counting", False), 120)
    return samples


def scroll(window: MainWindow, watch: PaintWatch, rows: int) -> Result:
    """Scroll the placement list to the bottom again and again: the view calls fetchMore (50
    rows) each time it reaches the end. Each step: scroll, fetch, paint."""
    page = window.placements
    model, table = page.model, page.table
    steps: list[float] = []
    stalls = 0
    started = time.perf_counter()
    while model.rowCount() < rows and stalls < 5:
        before = model.rowCount()
        step = time.perf_counter()
        table.scrollToBottom()
        wait_for(painted_after(watch, step), 2)
        if model.rowCount() == before:
            stalls += 1
            continue
        steps.append(ms(watch.last - step))
    return {"rows": model.rowCount(), "seconds": time.perf_counter() - started, "steps": steps}


# -- in the child: search -----------------------------------------------------------------
WORD_SOURCES = (  # (table, column, share of the words): what consultants look for
    ("citizens", "name", 0.35),
    ("companies", "name", 0.25),
    ("companies", "city", 0.15),
    ("companies", "industry", 0.05),
    ("aftercare_visits", "notes", 0.20),
)


def search_words(ws: Workspace, count: int) -> list[str]:
    """Words of four letters or more from names, companies, towns, trades and visit notes, from
    about 400 rows of each table spread over it."""
    rng = random.Random(5)
    words: list[str] = []
    for table, column, share in WORD_SOURCES:
        step = max(1, int(ws.store.conn.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0) // 400)
        rows = ws.store.conn.execute(
            f"SELECT {column} FROM {table} WHERE deleted = 0 AND rowid % ? = 0", (step,)
        )
        found = {w for (text,) in rows if text for w in re.findall(r"\w{4,}", text)}
        candidates = sorted(w for w in found if not w.isdigit() and w not in words)
        rng.shuffle(candidates)
        words += candidates[: max(1, round(count * share))]
    rng.shuffle(words)
    return words[:count]


def type_character(widget: QWidget, character: str) -> None:
    """A key press and release with this text, as the keyboard gives it (also æ, ø, å)."""
    from PySide6.QtTest import QTest

    code = ord(character.upper())
    key = Qt.Key(code) if character.isascii() and character.isalnum() else Qt.Key.Key_unknown
    QTest.sendKeyEvent(QTest.KeyAction.Click, widget, key, character, Qt.KeyboardModifier.NoModifier)


def keystrokes(window: MainWindow, words: list[str], delay_ms: int | None = None) -> list[Result]:
    """For each word: its beginning is in the search field and searched; then the last letter is
    typed, and the time runs until the results (the signal, after which the window has put them
    on the page) and until the results tree painted them. `delay_ms` replaces the field's
    typing delay (for information: what the figure would be with another delay)."""
    field, tree = window.search, window.results.tree
    found: dict[str, tuple[float, int]] = {}
    field.results.connect(lambda text, hits: found.__setitem__(text, (time.perf_counter(), len(hits))))
    watch = PaintWatch(tree.viewport())
    timers = [t for t in field.findChildren(QTimer) if t.isSingleShot()]
    if delay_ms is not None:
        for timer in timers:
            timer.setInterval(delay_ms)
    samples = []
    for word in words:
        field.setFocus()
        field.setText(word[:-1])
        wait_for(functools.partial(found.__contains__, word[:-1]), 60)
        settle(window)
        found.clear()
        started = time.perf_counter()
        type_character(field, word[-1])
        if not wait_for(functools.partial(found.__contains__, word), 60):
            continue
        shown_at, hits = found[word]
        wait_for(painted_after(watch, shown_at), 5)
        samples.append({"results": ms(shown_at - started), "painted": ms(max(watch.last, shown_at) - started),
                        "hits": hits})  # fmt: skip
    return samples


def search_at_start(window: MainWindow, word: str) -> Result:
    """A word typed (at once) as soon as the window is painted, to its results: the search job
    waits behind the jobs the window started (I dag's findings, counts)."""
    field = window.search
    found: dict[str, float] = {}
    field.results.connect(lambda text, _hits: found.setdefault(text, time.perf_counter()))
    busy = window.tasks.busy
    started = time.perf_counter()
    field.setFocus()
    field.setText(word)
    wait_for(functools.partial(found.__contains__, word), 900)
    return {"ms": ms(found.get(word, math.nan) - started), "busy": busy}


def search_alone(ws: Workspace, words: list[str]) -> list[float]:
    """`Workspace.search` of each word on the GUI thread's connection: the job's share."""
    samples = []
    for word in words:
        started = time.perf_counter()
        ws.search(word)
        samples.append(ms(time.perf_counter() - started))
    return samples


def field_delay(window: MainWindow) -> int:
    return max((t.interval() for t in window.search.findChildren(QTimer) if t.isSingleShot()), default=0)


def child_session(path: Path, result: Path, args: argparse.Namespace) -> None:
    """The list, scrolling, search and memory, in one process that started like the app."""
    data: Result = {}
    start_app()
    ws = open_workspace(path)
    data["counts"] = {t: ws.store.conn.execute(f"SELECT count(*) FROM {t} WHERE deleted = 0").fetchone()[0]
                      for t in ("companies", "citizens", "placements", "aftercare_visits")}  # fmt: skip
    data["cold"] = cold_page(ws)  # before the window: the connection's page cache is empty
    words = search_words(ws, args.keystrokes)
    window, _watch, marks = show_window(ws)
    data["first_search"] = search_at_start(window, words[0])
    settle(window)
    data["settle_ms"] = ms(time.time() - marks["first paint"])
    data["rss_start"] = (max_rss_mib(), rss_mib())
    window.navigation.setCurrentRow(window.PLACEMENTS)
    table_watch = PaintWatch(window.placements.table.viewport())
    wait_for(lambda: table_watch.last > 0, 10)
    data["reloads"] = warm_reloads(window, table_watch, RELOADS, after_write=True)
    data["reloads_no_write"] = warm_reloads(window, table_watch, RELOADS, after_write=False)
    data["sorts"] = sorts(window, table_watch)
    data["scroll"] = scroll(window, table_watch, args.scroll_rows)
    data["rss_scroll"] = (max_rss_mib(), rss_mib())
    data["words"] = len(words)
    data["delay_ms"] = field_delay(window)
    data["keystrokes"] = keystrokes(window, words)
    data["keystrokes_no_delay"] = keystrokes(window, words, delay_ms=0)
    data["search_alone"] = search_alone(ws, words)
    data["rss_search"] = (max_rss_mib(), rss_mib())
    window.close()
    ws.close()
    data["qt_messages"] = qt_messages
    write(result, data)


# -- in the parent: the database ----------------------------------------------------------
@contextmanager
def database(args: argparse.Namespace) -> Iterator[Path]:
    """--db alone: that database; --placements N: a new one filled like bench/store.py does."""
    import store  # bench/store.py; imported here, so the measured processes never load it

    os.environ[KEY_ENV] = store.BENCH_KEY.key.hex()
    if args.placements is None:
        path = Path(args.db)
        if not path.exists():
            sys.exit(f"no database at {path} (make one with --placements N)")
        yield path
        return
    with store.database_path(args.db, args.reuse) as path:
        if not args.reuse:
            fill(store, path, args.placements)
        yield path


def fill(store: Any, path: Path, placements: int) -> None:
    from datetime import date

    print(f"Filling {path} with {placements:,} placements (bench/store.py's fill)")
    today = date.today()
    db = open_database(path, store.BENCH_KEY, create=True, actor="bench")
    started = time.perf_counter()
    summary = store.fill(Workspace(db), placements, today)
    extra = store.top_up_visits(Workspace(db), 3 * placements, summary.aftercare_visits, today)
    store.print_fill(summary, extra, time.perf_counter() - started)
    db.close()


def qt_environment() -> tuple[str, dict[str, str]]:
    """offscreen, unless QT_QPA_PLATFORM says otherwise or an X display (Xvfb) is there."""
    env = dict(os.environ)
    if "QT_QPA_PLATFORM" in env:
        return f"{env['QT_QPA_PLATFORM']} (QT_QPA_PLATFORM)", env
    if env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "xcb"
        return f"xcb on DISPLAY={env['DISPLAY']}", env
    env["QT_QPA_PLATFORM"] = "offscreen"
    return "offscreen (no DISPLAY)", env


# -- in the parent: running the children --------------------------------------------------
def child(kind: str, path: Path, env: dict[str, str], extra: list[str], quiet: bool) -> Result:
    with tempfile.TemporaryDirectory(prefix="feltkonsulent-ui-bench-") as folder:
        result = Path(folder) / "result.json"
        command = [sys.executable, __file__, "--child", kind, "--db", str(path), "--result", str(result),
                   *extra]  # fmt: skip
        env = {**env, SPAWNED_ENV: repr(time.time())}
        done = subprocess.run(command, env=env, capture_output=quiet, text=True, timeout=3600)
        if done.returncode != 0 or not result.exists():
            sys.exit(f"the {kind} process failed ({done.returncode}):\n{done.stderr or ''}")
        if quiet and done.stdout:
            print(done.stdout, end="")
        data: Result = json.loads(result.read_text())
        return data


def startups(path: Path, env: dict[str, str], runs: int) -> list[Result]:
    samples = []
    for run in range(runs):
        data = child("startup", path, env, [], quiet=True)
        data["paint_ms"] = ms(data["marks"]["first paint"] - data["spawned"])
        print(f"  run {run + 1}: {data['paint_ms']:,.0f} ms to the first paint", flush=True)
        samples.append(data)
    return samples


# -- in the parent: printing --------------------------------------------------------------
def verdict(value: float, target: float) -> str:
    return "OK" if value < target else "MISSED"


def spread(values: list[float]) -> str:
    return (f"min {min(values):8,.0f}  median {percentile(values, 50):8,.0f}  "
            f"max {max(values):8,.0f} ms")  # fmt: skip


def p50_p95(values: list[float]) -> str:
    p50, p95 = percentile(values, 50), percentile(values, 95)
    return f"p50 {p50:7,.1f}  p95 {p95:7,.1f}  max {max(values):7,.1f} ms"


def print_startups(samples: list[Result]) -> None:
    phases = list(samples[0]["marks"])
    print("  from the parent's clock before spawning to each point (all runs):")
    for phase in phases:
        values = [s["marks"][phase] - s["spawned"] for s in samples]
        print(f"    {phase:<24} {spread([ms(v) for v in values])}")
    lag = [ms(s["created"] - s["spawned"]) for s in samples]
    print(f"    (process creation per /proc/self/stat, 10 ms ticks, after spawning: {spread(lag)})")
    for key, label in (("max_rss_mib", "at the first paint"), ("max_rss_mib_after_jobs", "after the jobs")):
        rss = [s[key] for s in samples]
        print(f"    max RSS {label}: {min(rss):,.0f}–{max(rss):,.0f} MiB")
    messages = sorted({m for s in samples for m in s["qt_messages"]})
    if messages:
        print(f"    Qt messages: {'; '.join(messages)}")


def print_list(data: Result) -> None:
    cold = data["cold"]
    total = cold["page"] + cold["count"]
    print(f"  model built, first page ({cold['rows']} rows), cold-ish   {cold['page']:8,.1f} ms")
    print(f"  count of the whole list ({cold['total']:,}), cold-ish     {cold['count']:8,.1f} ms "
          f"(again: {cold['count_again']:,.1f} ms)")  # fmt: skip
    print(f"  first page + count, cold-ish                   {total:8,.1f} ms  "
          f"target < {PAGE_TARGET_MS:.0f} ms  {verdict(total, PAGE_TARGET_MS)}")  # fmt: skip
    for key, label in (("reloads", "each after a write, as after a save"),
                       ("reloads_no_write", "no write in between")):  # fmt: skip
        reloads = data[key]
        print(f"  ListPage.reload(), warm, {label}, n={len(reloads)}:")
        for part, name in (("call", "call returns"), ("shown", "table painted"), ("counted", "count shown")):
            print(f"    {name:<20} {p50_p95([r[part] for r in reloads])}")
    print("  header click on each sortable column (sortByColumn): call / painted / count shown, ms")
    for s in data["sorts"]:
        name = f"{s['sort']} {'desc' if s['descending'] else 'asc'}"
        print(f"    {name:<22} {s['call']:8,.1f} {s['shown']:8,.1f} {s['counted']:8,.1f}  "
              f"{verdict(s['counted'], PAGE_TARGET_MS)}")  # fmt: skip
    sc = data["scroll"]
    print(f"  scrolled to {sc['rows']:,} rows in {sc['seconds']:,.1f} s; a scroll step (fetchMore of 50 + "
          f"paint): {p50_p95(sc['steps'] or [math.nan])}")  # fmt: skip


def print_search(data: Result) -> None:
    strokes = data["keystrokes"]
    print(f"  {len(strokes)} keystrokes ({data['words']} words from the database), typing delay "
          f"{data['delay_ms']} ms (SearchField):")  # fmt: skip
    print(f"    keystroke → results signal      {p50_p95([s['results'] for s in strokes])}")
    print(f"    keystroke → results painted     {p50_p95([s['painted'] for s in strokes])}")
    hits = sum(s["hits"] for s in strokes) / max(1, len(strokes))
    print(f"    {hits:.1f} results per search on average")
    print(f"    Workspace.search alone (GUI connection, warm): {p50_p95(data['search_alone'])}")
    first = data["first_search"]
    print(f"  a word typed as soon as the window was painted (background jobs "
          f"{'running' if first['busy'] else 'done'}): results after {first['ms']:,.0f} ms")
    fast = data["keystrokes_no_delay"]
    print("  for information, the same with the typing delay set to 0 (not the app as it is):")
    print(f"    keystroke → results painted     {p50_p95([s['painted'] for s in fast])}")


def summary(rows: list[tuple[str, float, str, float]]) -> None:
    print("\nSummary")
    print(f"  {'figure':<52} {'value':>12}  {'target':>12}")
    for name, value, unit, target in rows:
        print(f"  {name:<52} {value:>9,.0f} {unit:<3} {'< ' + f'{target:,.0f} ' + unit:>12}  "
              f"{verdict(value, target)}")  # fmt: skip


def summary_rows(starts: list[Result], data: Result) -> list[tuple[str, float, str, float]]:
    paint = [s["paint_ms"] for s in starts]
    cold = data["cold"]
    reload = percentile([r["counted"] for r in data["reloads"]], 95)
    slowest = max(data["sorts"], key=lambda s: s["counted"])
    strokes = [s["painted"] for s in data["keystrokes"]]
    peak = max(data["rss_search"][0], *(s["max_rss_mib_after_jobs"] for s in starts))
    return [
        ("start to main window painted, median", percentile(paint, 50), "ms", STARTUP_TARGET_MS),
        ("start to main window painted, max", max(paint), "ms", STARTUP_TARGET_MS),
        ("placement list: first page + count, cold-ish", cold["page"] + cold["count"], "ms", PAGE_TARGET_MS),
        ("placement list: reload to count shown, warm p95", reload, "ms", PAGE_TARGET_MS),
        (f"placement list: slowest sort ({slowest['sort']})", slowest["counted"], "ms", PAGE_TARGET_MS),
        ("search: keystroke to results painted, p50", percentile(strokes, 50), "ms", KEYSTROKE_TARGET_MS),
        ("search: keystroke to results painted, p95", percentile(strokes, 95), "ms", KEYSTROKE_TARGET_MS),
        ("search: a word typed right after start, to results", data["first_search"]["ms"], "ms",
         KEYSTROKE_TARGET_MS),
        ("peak memory (max RSS, start + scroll + search)", peak, "MiB", MEMORY_TARGET_MIB),
    ]


def run(args: argparse.Namespace) -> None:
    with database(args) as path:
        platform, env = qt_environment()
        size = sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())
        print(f"Database: {path} ({size / 1e6:,.0f} MB with its WAL)   Platform: {platform}")
        print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}, "
              f"feltkonsulent from {Path(desktop.__file__).parent}")
        if args.profile:
            child("startup", path, env, ["--profile"], quiet=True)
        print(f"\n1. Process start to the main window painted ({args.runs} fresh processes)")
        starts = startups(path, env, args.runs)
        print_startups(starts)
        print("\n(one more process for the list, search and memory)", flush=True)
        data = child("session", path, env, ["--keystrokes", str(args.keystrokes),
                                             "--scroll-rows", str(args.scroll_rows)], quiet=True)  # fmt: skip
        counts = ", ".join(f"{t} {n:,}" for t, n in data["counts"].items())
        print(f"Rows: {counts}")
        print(f"Background jobs (I dag's findings, counts) done {data['settle_ms']:,.0f} ms after the "
              "window was painted")
        print("\n2. The placement list")
        print_list(data)
        print("\n3. Search as you type (the real SearchField and results page)")
        print_search(data)
        print("\n4. Memory (max RSS / current RSS of the session process)")
        for key, label in (("rss_start", "after start"), ("rss_scroll", "after scrolling"),
                           ("rss_search", "after the searches")):  # fmt: skip
            peak, now = data[key]
            print(f"  {label:<20} max {peak:7,.0f} MiB   now {now:7,.0f} MiB")
        if data["qt_messages"]:
            print(f"  Qt messages: {'; '.join(sorted(set(data['qt_messages'])))}")
        summary(summary_rows(starts, data))
        print(f"(load average at the end: {os.getloadavg()[0]:.2f})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", help="the database to measure (with --placements: where to make it)")
    parser.add_argument("--placements", type=int, help="fill a new database with this many first")
    parser.add_argument("--reuse", action="store_true", help="with --placements: measure --db, no fill")
    parser.add_argument("--runs", type=int, default=5, help="start-up processes (default 5)")
    parser.add_argument("--keystrokes", type=int, default=50, help="searches typed (default 50)")
    parser.add_argument("--scroll-rows", type=int, default=5000, help="rows to scroll through (default 5000)")
    parser.add_argument("--profile", action="store_true", help="first, one start-up under cProfile")
    parser.add_argument("--child", choices=("startup", "session"), help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "startup":
        child_startup(Path(args.db), Path(args.result), args.profile)
    elif args.child == "session":
        child_session(Path(args.db), Path(args.result), args)
    elif args.db is None and args.placements is None:
        parser.error("give --db PATH of a database made by bench/store.py, or --placements N")
    elif args.reuse and args.db is None:
        parser.error("--reuse needs --db")
    else:
        run(args)


if __name__ == "__main__":
    main()

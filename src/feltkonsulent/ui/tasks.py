"""Work that can take time runs on one background thread with its own database connection; the
result comes back to the GUI thread. Jobs run one at a time, in order (one writer)."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from feltkonsulent.services.workspace import Workspace

log = logging.getLogger(__name__)

Job = Callable[[Workspace], Any]
# A job that says how far it has come: report(done, total) returns False once it is cancelled.
Progress = Callable[[int, int], bool]
ProgressJob = Callable[[Workspace, Progress], Any]


class _Worker(QObject):
    done = Signal(int, object)
    failed = Signal(int, object)
    progress = Signal(int, int, int)  # job, done, total

    def __init__(self, open_workspace: Callable[[], Workspace]) -> None:
        super().__init__()
        self._open = open_workspace
        self.ws: Workspace | None = None

    @Slot(int, object)
    def run(self, job_id: int, job: Job) -> None:
        try:
            if self.ws is None:
                self.ws = self._open()
            result = job(self.ws)
        except Exception as error:  # reported to the GUI, never lost in the thread
            log.exception("background job failed")
            self.failed.emit(job_id, error)
        else:
            self.done.emit(job_id, result)

    def close(self) -> None:
        if self.ws is not None:
            self.ws.close()
            self.ws = None


class BackgroundTasks(QObject):
    _submit = Signal(int, object)

    def __init__(self, ws: Workspace, parent: QObject | None = None, name: str = "background",
                 cache_kib: int | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[Callable[[Any], None], Callable[[Exception], None] | None]] = {}
        self._progress: dict[int, Callable[[int, int], None]] = {}
        self._cancelled: set[int] = set()
        self._thread = QThread()
        self._thread.setObjectName(f"feltkonsulent-{name}")
        self._worker = _Worker(lambda: ws.another(cache_kib))
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._worker.done.connect(self._finished)
        self._worker.failed.connect(self._failed)
        self._worker.progress.connect(self._report)
        self._thread.start()

    def submit(self, job: Job, on_done: Callable[[Any], None],
               on_error: Callable[[Exception], None] | None = None) -> int:
        job_id = next(self._ids)
        self._callbacks[job_id] = (on_done, on_error)
        self._submit.emit(job_id, job)
        return job_id

    def submit_with_progress(
        self, job: ProgressJob, on_progress: Callable[[int, int], None],
        on_done: Callable[[Any], None], on_error: Callable[[Exception], None] | None = None,
    ) -> int:
        """A long job (a batch of agreements): `on_progress(done, total)` on the GUI thread as
        it goes; `cancel(job_id)` makes its next report return False, and the job stops."""
        job_id = next(self._ids)
        worker = self._worker

        def report(done: int, total: int) -> bool:
            worker.progress.emit(job_id, done, total)  # queued to the GUI thread
            return job_id not in self._cancelled

        self._progress[job_id] = on_progress
        self._callbacks[job_id] = (on_done, on_error)
        self._submit.emit(job_id, lambda ws: job(ws, report))
        return job_id

    def cancel(self, job_id: int) -> None:
        self._cancelled.add(job_id)

    def _report(self, job_id: int, done: int, total: int) -> None:
        on_progress = self._progress.get(job_id)
        if on_progress is not None:
            on_progress(done, total)

    def forget(self, job_id: int) -> None:
        """The result of this job is no longer wanted (a newer search was started)."""
        self._callbacks.pop(job_id, None)

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    def _finished(self, job_id: int, result: object) -> None:
        self._progress.pop(job_id, None)
        self._cancelled.discard(job_id)
        callbacks = self._callbacks.pop(job_id, None)
        if callbacks:
            callbacks[0](result)

    def _failed(self, job_id: int, error: Exception) -> None:
        self._progress.pop(job_id, None)
        self._cancelled.discard(job_id)
        callbacks = self._callbacks.pop(job_id, None)
        if callbacks and callbacks[1]:
            callbacks[1](error)

    def shutdown(self) -> None:
        """Finish the running job, stop the thread, then close its connection (from here: the
        thread has ended, so nothing else uses it)."""
        self._callbacks.clear()
        self._thread.quit()
        self._thread.wait()
        self._worker.close()

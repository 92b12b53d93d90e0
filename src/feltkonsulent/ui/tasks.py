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


class _Worker(QObject):
    done = Signal(int, object)
    failed = Signal(int, object)

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

    def __init__(self, ws: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[Callable[[Any], None], Callable[[Exception], None] | None]] = {}
        self._thread = QThread()
        self._thread.setObjectName("feltkonsulent-background")
        self._worker = _Worker(ws.another)
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._worker.done.connect(self._finished)
        self._worker.failed.connect(self._failed)
        self._thread.start()

    def submit(self, job: Job, on_done: Callable[[Any], None],
               on_error: Callable[[Exception], None] | None = None) -> int:
        job_id = next(self._ids)
        self._callbacks[job_id] = (on_done, on_error)
        self._submit.emit(job_id, job)
        return job_id

    def forget(self, job_id: int) -> None:
        """The result of this job is no longer wanted (a newer search was started)."""
        self._callbacks.pop(job_id, None)

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    def _finished(self, job_id: int, result: object) -> None:
        callbacks = self._callbacks.pop(job_id, None)
        if callbacks:
            callbacks[0](result)

    def _failed(self, job_id: int, error: Exception) -> None:
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

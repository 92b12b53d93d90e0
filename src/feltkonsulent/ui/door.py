"""The window's one door for writes (services/operations.py): a thread of its own with the one
writing connection, which runs every operation the window starts, one at a time.

The window's thread hands an operation over and waits for it in an event loop of its own that
paints, runs timers and takes in answers but holds back the user's input until the operation is
done (`QEventLoop.ExcludeUserInputEvents`): a save looks as it always did to the dialog that
calls it (its value back, or its exception raised there), but the window never freezes, however
long another connection holds the write lock (an import, a sync page being applied), and a second
click cannot start a second save meanwhile. After 150 ms the cursor says the app is busy. What an
operation changed is noted on the window's store, so the views refresh as after any save.

Read-audit rows of the window's connection go to the writer too, without waiting."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication

from feltkonsulent.services.operations import run_here
from feltkonsulent.services.workspace import Workspace

log = logging.getLogger(__name__)

T = TypeVar("T")
BUSY_CURSOR_MS = 150


@dataclass
class _Reply:
    """One operation's way back: filled on the writer's thread, read on the window's."""

    value: Any = None
    error: BaseException | None = None
    changed: frozenset[str] = frozenset()
    loop: QEventLoop | None = field(default=None, repr=False)


class _Writer(QObject):
    landed = Signal(object)  # a _Reply, to the window's thread

    def __init__(self, open_workspace: Callable[[], Workspace]) -> None:
        super().__init__()
        self._open = open_workspace
        self.ws: Workspace | None = None

    @Slot(object, object)
    def run(self, job: Callable[[Workspace], Any], reply: _Reply | None) -> None:
        try:
            if self.ws is None:
                self.ws = self._open()
            done = run_here(self.ws, job)
        except Exception as error:  # the caller's to handle (a refused save), never lost here
            if reply is None:
                log.exception("a write of the window failed")
                return
            reply.error = error
        else:
            if reply is None:
                return
            reply.value, reply.changed = done.value, done.changed
        self.landed.emit(reply)

    def close(self) -> None:
        if self.ws is not None:
            self.ws.close()
            self.ws = None


class WriterDoor(QObject):
    """Installed on the window's workspace (`ws.door`) for as long as the window is open."""

    _submit = Signal(object, object)

    def __init__(self, ws: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._thread = QThread()
        self._thread.setObjectName("feltkonsulent-writer")
        self._writer = _Writer(ws.another)
        self._writer.moveToThread(self._thread)
        self._submit.connect(self._writer.run)
        self._writer.landed.connect(self._landed)
        self._thread.start()
        ws.door = self
        ws.hand_audit_to(self._write_audit)

    def run(self, job: Callable[[Workspace], T]) -> T:
        reply = _Reply()
        loop = reply.loop = QEventLoop()
        busy = QTimer(singleShot=True, interval=BUSY_CURSOR_MS)
        busy.timeout.connect(lambda: QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor))
        busy.start()
        self._submit.emit(job, reply)
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        if not busy.isActive():
            QApplication.restoreOverrideCursor()
        busy.stop()
        self._ws.note_changes(reply.changed)
        if reply.error is not None:
            raise reply.error
        value: T = reply.value
        return value

    def _landed(self, reply: _Reply) -> None:
        if reply.loop is not None:
            reply.loop.quit()

    def _write_audit(self, rows: list[Any]) -> None:
        self._submit.emit(lambda writer: writer.write_audit(rows), None)

    def shutdown(self) -> None:
        """Finish what was handed over (audit rows too), stop the thread, close its connection.
        The workspace writes for itself again afterwards."""
        self._ws.flush_audit()
        self._ws.door = None
        self._ws.hand_audit_to(None)
        self._thread.quit()
        self._thread.wait()
        self._writer.close()

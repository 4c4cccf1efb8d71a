"""Background work for the GUI: a QThread that runs one function and reports progress and the result.

Owns its thread: ``cancel()`` sets the event the function checks; ``stop_and_wait()`` is called on
close, so no "QThread: Destroyed while thread is still running".
"""

from __future__ import annotations

import threading
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Signal


class TaskThread(QThread):
    progress = Signal(int, int, str)  # done, total, message
    succeeded = Signal(object)
    failed = Signal(str, str)  # message, traceback

    def __init__(self, fn: Callable[..., Any], *args, parent: QObject | None = None, **kwargs):
        """``fn(*args, progress=..., cancel=..., **kwargs)`` runs in the thread."""
        super().__init__(parent)
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.cancel_event = threading.Event()
        self.result: Any = None

    def run(self) -> None:
        try:
            self.result = self.fn(*self.args, progress=self._progress, cancel=self.cancel_event, **self.kwargs)
        except Exception as e:  # shown to the user by whoever started the task
            self.failed.emit(str(e) or type(e).__name__, traceback.format_exc())
            return
        self.succeeded.emit(self.result)

    def _progress(self, done: int, total: int, message: str = "") -> None:
        self.progress.emit(done, total, message)

    def cancel(self) -> None:
        self.cancel_event.set()

    def stop_and_wait(self, timeout_ms: int = 30_000) -> bool:
        self.cancel_event.set()
        return self.wait(timeout_ms)

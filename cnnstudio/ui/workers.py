"""Background work for the GUI: a QThread that runs one function and reports progress and the result.

Owns its thread: ``cancel()`` sets the event the function checks; ``stop_and_wait()`` is called on
close, so no "QThread: Destroyed while thread is still running".
"""

from __future__ import annotations

import threading
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


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


def start_task(fn: Callable[..., Any], *args, parent: QObject, progress=None, succeeded=None, failed=None,
               finished=None, **kwargs) -> TaskThread:
    """A :class:`TaskThread` running ``fn(*args, **kwargs)``, the given slots connected, started."""
    thread = TaskThread(fn, *args, parent=parent, **kwargs)
    for signal, slot in ((thread.progress, progress), (thread.succeeded, succeeded), (thread.failed, failed),
                         (thread.finished, finished)):
        if slot is not None:
            signal.connect(slot)
    thread.start()
    return thread


class DialogTask(QObject):
    """One :class:`TaskThread` at a time, shown in a window-modal progress dialog (import, pack, import run).

    Subclasses start work with :meth:`_start_task`, may word progress in ``_on_progress(done, total, message)``
    and close the dialog (:meth:`_close_dialog`) in their done / failed handlers.
    """

    def __init__(self, parent_widget: QWidget):
        super().__init__(parent_widget)
        self.parent_widget = parent_widget
        self.thread: TaskThread | None = None
        self.dialog: QProgressDialog | None = None

    @property
    def busy(self) -> bool:
        return self.thread is not None

    def _start_task(self, fn: Callable[..., Any], *args, title: str, label: str, on_done, on_failed,
                    cancellable: bool = True, **kwargs) -> bool:
        if self.busy:
            return False
        self.dialog = QProgressDialog(label, "Cancel", 0, 0, self.parent_widget)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        if not cancellable:
            self.dialog.setCancelButton(None)
        self.thread = start_task(fn, *args, parent=self, progress=self._on_progress, succeeded=on_done,
                                 failed=on_failed, finished=self._cleanup, **kwargs)
        if cancellable:
            self.dialog.canceled.connect(self.thread.cancel)
        return True

    def _on_progress(self, done: int, total: int, message: str) -> None:
        """The dialog's bar (busy while ``total`` is 0) and the task's message; subclasses may word it."""
        if self.dialog is not None:
            self.dialog.setMaximum(max(total, 0))
            self.dialog.setValue(done)
            if message:
                self.dialog.setLabelText(message)

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None

    def _cleanup(self) -> None:
        if self.thread is not None:
            self.thread.deleteLater()
        self.thread = None

    def shutdown(self) -> None:
        """The project closes: cancel the task and wait for its thread."""
        if self.thread is not None:
            self.thread.stop_and_wait()
            self._cleanup()

"""Background work for the GUI: one base for every worker thread, as superqt's ``WorkerBase`` (``_qthreading.py``).

:class:`WorkerThread` gives each worker QThread's ``started`` and ``finished`` and one failure signal, ``errored
(message, traceback)``, emitted when the work raises; and a ``stop_event`` the work checks, set by ``cancel()`` /
``stop_and_wait()`` (called on close, so no "QThread: Destroyed while thread is still running"). Two kinds of work:

- :class:`TaskThread` runs one function and reports progress and its result (import, evaluation, export, previews);
- :class:`GeneratorThread` iterates a generator and emits each value it yields (superqt's ``GeneratorWorker``):
  training (:class:`~cnnstudio.ui.train.training_thread.TrainingThread`) iterates the engine's events this way.

Two holders run them for a page: :class:`DialogTask` one task at a time behind a progress dialog, and
:class:`LatestTask` the late-thread guard: only the thread it started last (and has not let go of) is heard, so an
answer that arrives after the user moved on (a newer request, Cancel, the project closed) is dropped.
"""

from __future__ import annotations

import threading
import traceback
from typing import Any, Callable, Generator

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid


class WorkerThread(QThread):
    """The work of ``self.work()``, which each subclass defines, in its own thread. ``started`` / ``finished``
    are QThread's; ``errored`` follows an exception that escaped the work, with its message and the traceback
    (an exception's own ``details``, such as a training child's traceback, when it has them)."""

    errored = Signal(str, str)  # message, traceback

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.stop_event = threading.Event()  # the work checks it and ends early once it is set

    def run(self) -> None:
        try:
            self.work()
        except Exception as e:  # noqa: BLE001 - shown to the user by whoever started the work
            self.errored.emit(str(e) or type(e).__name__, getattr(e, "details", "") or traceback.format_exc())

    def cancel(self) -> None:
        self.stop_event.set()

    def stop_and_wait(self, timeout_ms: int = 30_000) -> bool:
        """Ask the work to end and wait for the thread (``quit()`` is harmless: the work runs no event loop)."""
        self.cancel()
        self.quit()
        return self.wait(timeout_ms)


class TaskThread(WorkerThread):
    """Runs ``fn(*args, progress=..., cancel=stop_event, **kwargs)`` once: ``progress`` while it runs, then
    ``succeeded(result)`` or ``errored``."""

    progress = Signal(int, int, str)  # done, total, message
    succeeded = Signal(object)

    def __init__(self, fn: Callable[..., Any], *args, parent: QObject | None = None, **kwargs):
        super().__init__(parent)
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.result: Any = None

    def work(self) -> None:
        self.result = self.fn(*self.args, progress=self._progress, cancel=self.stop_event, **self.kwargs)
        self.succeeded.emit(self.result)

    def _progress(self, done: int, total: int, message: str = "") -> None:
        self.progress.emit(done, total, message)


class GeneratorThread(WorkerThread):
    """Iterates the generator ``make()`` returns and emits ``yielded`` for every value, in order; the generator
    is closed however the iteration ends (so its ``finally`` runs in this thread). ``last`` is the last value."""

    yielded = Signal(object)

    def __init__(self, make: Callable[[], Generator], parent: QObject | None = None):
        super().__init__(parent)
        self.make = make
        self.last = None

    def work(self) -> None:
        gen = None
        try:
            gen = self.make()
            for value in gen:
                self.last = value
                self.yielded.emit(value)
        finally:
            if gen is not None:
                gen.close()


def start_task(fn: Callable[..., Any], *args, parent: QObject, progress=None, succeeded=None, errored=None,
               finished=None, **kwargs) -> TaskThread:
    """A :class:`TaskThread` running ``fn(*args, **kwargs)``, the given slots connected, started."""
    thread = TaskThread(fn, *args, parent=parent, **kwargs)
    for signal, slot in ((thread.progress, progress), (thread.succeeded, succeeded), (thread.errored, errored),
                         (thread.finished, finished)):
        if slot is not None:
            signal.connect(slot)
    thread.start()
    return thread


class DialogTask(QObject):
    """One :class:`TaskThread` at a time, shown in a window-modal progress dialog (import, pack, import run).

    Subclasses start work with :meth:`_start_task`, may word progress in ``_on_progress(done, total, message)``
    and close the dialog (:meth:`_close_dialog`) in their done / errored handlers. The controller is free
    (``busy`` False) once the task's result is in, before those handlers run: a handler (or a listener it tells)
    may start the next task at once; the thread that delivered it is waited for and deleted when it ends.
    """

    def __init__(self, parent_widget: QWidget):
        super().__init__(parent_widget)
        self.parent_widget = parent_widget
        self.thread: TaskThread | None = None
        self._ending: list[TaskThread] = []  # threads whose result is in, still finishing
        self._handlers: tuple = (None, None)  # the running task's done and errored handlers
        self.dialog: QProgressDialog | None = None

    @property
    def busy(self) -> bool:
        return self.thread is not None

    def _start_task(self, fn: Callable[..., Any], *args, title: str, label: str, on_done, on_errored,
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
        self._handlers = (on_done, on_errored)  # bound methods below: Qt calls them on this (the GUI) thread
        self.thread = start_task(fn, *args, parent=self, progress=self._on_progress, succeeded=self._succeeded,
                                 errored=self._errored, finished=self._thread_ended, **kwargs)
        if cancellable:
            self.dialog.canceled.connect(self.thread.cancel)
        return True

    def _succeeded(self, result) -> None:
        self._deliver(self._handlers[0], result)

    def _errored(self, message: str, tb: str) -> None:
        self._deliver(self._handlers[1], message, tb)

    def _deliver(self, handler, *args) -> None:
        """The task's result is in: free the controller, then run ``handler``."""
        if self.thread is not None:
            self._ending.append(self.thread)
            self.thread = None
        handler(*args)

    def _thread_ended(self) -> None:
        for thread in [t for t in (self.thread, *self._ending) if t is not None and t.isFinished()]:
            self._cleanup(thread)

    def _on_progress(self, done: int, total: int, message: str) -> None:
        """The dialog's bar (busy while ``total`` is 0) and the task's message; subclasses may word it. The dialog is
        held in a local: a modal QProgressDialog's setValue runs the event loop, where the task's end may close it."""
        dialog = self.dialog
        if dialog is not None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(done)
            if message:
                dialog.setLabelText(message)

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None

    def _cleanup(self, thread: TaskThread) -> None:
        """``thread`` has ended: deleted, and the controller free if it still ran it (a task that delivered nothing)."""
        thread.deleteLater()
        if thread in self._ending:
            self._ending.remove(thread)
        if self.thread is thread:
            self.thread = None

    def shutdown(self) -> None:
        """The project closes: cancel the task and wait for its thread (and any still finishing)."""
        for thread in [t for t in (self.thread, *self._ending) if t is not None]:
            thread.stop_and_wait()
            self._cleanup(thread)


class LatestTask(QObject):
    """The thread a page started last, and only it, heard: the one late-thread guard of the GUI.

    :meth:`start` (or :meth:`run`, a :class:`TaskThread` of a function) makes a thread the current one and lets go of
    the one before. The holder's ``progress``, ``succeeded``, ``yielded`` and ``errored`` repeat the current thread's;
    ``ended(thread)`` follows once it has ended, when :attr:`busy` is False again (so its handler may start the next).
    A thread let go of (:meth:`cancel`, a newer :meth:`start`) is asked to stop and says nothing more; every thread is
    deleted once it has ended, and :meth:`shutdown` (the page closes) waits for all of them.

    The thread's signals go to bound methods that compare ``self.sender()`` with the current thread (never lambdas
    holding a thread: a late signal of a deleted thread's lambda once crashed the app).
    """

    progress = Signal(int, int, str)  # done, total, message
    succeeded = Signal(object)
    yielded = Signal(object)
    errored = Signal(str, str)  # message, traceback
    ended = Signal(object)  # the current thread, ended (deleted later: use it in the handler, keep it no longer)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.thread: WorkerThread | None = None  # the current one
        self._let_go: list[WorkerThread] = []  # let go of, still running: ignored, deleted once they end

    @property
    def busy(self) -> bool:
        """A current thread runs (or its ``ended`` has not come yet)."""
        return self.thread is not None

    @property
    def running(self) -> list[WorkerThread]:
        """Every thread still held: the current one and those let go of that have not ended yet."""
        return [t for t in (self.thread, *self._let_go) if t is not None]

    def start(self, thread: WorkerThread) -> WorkerThread:
        """Start ``thread`` as the current one (the one before, if any, is let go of: :meth:`cancel`)."""
        self.cancel()
        self.thread = thread
        for name in ("progress", "succeeded", "yielded"):
            if hasattr(thread, name):
                getattr(thread, name).connect(getattr(self, f"_{name}"))
        thread.errored.connect(self._errored)
        thread.finished.connect(self._finished)
        thread.start()
        return thread

    def run(self, fn: Callable[..., Any], *args, **kwargs) -> TaskThread:
        """Start a :class:`TaskThread` of ``fn(*args, progress=..., cancel=..., **kwargs)`` as the current one."""
        return self.start(TaskThread(fn, *args, parent=self, **kwargs))

    def stop(self) -> None:
        """Ask the current thread to end early; it stays current: what it still says (a partial result) is heard."""
        if self.thread is not None:
            self.thread.cancel()

    def cancel(self) -> None:
        """Let go of the current thread: asked to stop, nothing it says is heard any more, :attr:`busy` False now;
        it is deleted once it ends."""
        thread, self.thread = self.thread, None
        if thread is not None:
            thread.cancel()
            self._let_go.append(thread)

    def shutdown(self, timeout_ms: int = 30_000) -> None:
        """The page closes: every thread held is asked to stop, waited for and deleted; none is heard any more.

        A thread still running after ``timeout_ms`` is never deleted (Qt aborts on a running thread's deletion): it
        stays let go of, loses its parent (closing the page must not take it down) and is held by the module until
        its ``finished`` deletes it."""
        threads, self.thread, self._let_go = self.running, None, []
        for thread in threads:  # all asked first: one may wait for what another holds (a model's lock)
            thread.cancel()
        for thread in threads:
            if thread.stop_and_wait(timeout_ms):
                thread.deleteLater()
            else:
                self._let_go.append(thread)
                _orphan(thread)

    def _current(self) -> bool:
        return self.thread is not None and self.sender() is self.thread

    def _progress(self, done: int, total: int, message: str) -> None:
        if self._current():
            self.progress.emit(done, total, message)

    def _succeeded(self, result) -> None:
        if self._current():
            self.succeeded.emit(result)

    def _yielded(self, value) -> None:
        if self._current():
            self.yielded.emit(value)

    def _errored(self, message: str, tb: str) -> None:
        if self._current():
            self.errored.emit(message, tb)

    def _finished(self) -> None:
        thread = self.sender()
        if thread is None:
            return
        thread.deleteLater()  # safe from 'finished' (Qt waits for a thread still inside its finish)
        self._let_go = [t for t in self._let_go if t is not thread]
        if thread is self.thread:
            self.thread = None
            self.ended.emit(thread)


_ORPHANS: set[WorkerThread] = set()  # threads that outlived a shutdown's wait: held here until they end


def _orphan(thread: WorkerThread) -> None:
    """``thread`` still runs past its page's end: parentless, held until ``finished`` deletes it."""
    _ORPHANS.difference_update([t for t in _ORPHANS if not isValid(t)])  # those deleted since: let go of
    thread.setParent(None)
    _ORPHANS.add(thread)
    thread.finished.connect(thread.deleteLater)
    if thread.isFinished():  # ended between the wait and the connection: its 'finished' is not coming
        thread.deleteLater()

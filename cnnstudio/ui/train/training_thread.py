"""The training thread: iterate the engine's event generator and emit one Qt signal per event.

A :class:`~cnnstudio.ui.workers.GeneratorThread` (superqt's ``GeneratorWorker`` idea) with what training adds:
pause. The Train page hands it :func:`cnnstudio.engine.runs.child_run.run_in_child`: the same
:func:`cnnstudio.engine.runs.lifecycle.run` generator the CLI and the tests iterate, run in a child process whose
events come back as the same dataclasses (training keeps every core and the GIL to itself; a native crash ends
the child, not the app — see that module). So the GUI adds no second code path. Stop and pause are
``threading.Event`` objects set from the GUI thread and passed on to the trainer, which checks them before every
batch. The events are small frozen dataclasses, safe to send across threads; each comes out as ``yielded``, and
an exception that escapes the generator (bad input before the first event) as ``errored``. Closing the
generator at the end marks an abandoned run as stopped (``lifecycle.run``'s ``finally``). Nothing here touches a
widget or a plot.
"""

from __future__ import annotations

import threading
from typing import Callable, Generator

from PySide6.QtCore import QObject

from ..workers import GeneratorThread

# make(stop, pause, paused) -> the engine's event generator
GeneratorFactory = Callable[[threading.Event, threading.Event, threading.Event], Generator]


class TrainingThread(GeneratorThread):
    def __init__(self, make: GeneratorFactory, parent: QObject | None = None):
        super().__init__(lambda: make(self.stop_event, self.pause_event, self.paused_event), parent)
        self.pause_event = threading.Event()
        self.paused_event = threading.Event()  # set by the trainer while it really waits

    # -- from the GUI thread ------------------------------------------------------------------------
    def request_stop(self) -> None:
        self.stop_event.set()
        self.pause_event.clear()

    def cancel(self) -> None:
        self.request_stop()

    def set_paused(self, on: bool) -> None:
        if on:
            self.pause_event.set()
        else:
            self.pause_event.clear()

    def stop_and_wait(self, timeout_ms: int = 60_000) -> bool:
        """Stop at the next batch and wait for the thread to end."""
        return super().stop_and_wait(timeout_ms)

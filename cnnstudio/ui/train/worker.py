"""The training thread: iterate the engine's event generator and emit one Qt signal per event.

superqt's ``GeneratorWorker`` idea, cut to what training needs. The Train page hands it
:func:`cnnstudio.engine.runs.child_run.run_in_child`: the same :func:`cnnstudio.engine.runs.lifecycle.run` generator
the CLI and the tests iterate, run in a child process whose events come back as the same dataclasses
(training keeps every core and the GIL to itself; a native crash ends the child, not the app — see that
module). So the GUI adds no second code path. Stop and pause are ``threading.Event`` objects set from
the GUI thread and passed on to the trainer, which checks them before every batch. The events are small
frozen dataclasses, safe to send across threads. Nothing here touches a widget or a plot.
"""

from __future__ import annotations

import threading
import traceback
from typing import Callable, Iterator

from PySide6.QtCore import QObject, QThread, Signal

# make(stop, pause, paused) -> the engine's event generator
GeneratorFactory = Callable[[threading.Event, threading.Event, threading.Event], Iterator]


class TrainingThread(QThread):
    event = Signal(object)  # every event the generator yields, in order
    crashed = Signal(str, str)  # an exception escaped the generator (bad input before the first event): message, traceback

    def __init__(self, make: GeneratorFactory, parent: QObject | None = None):
        super().__init__(parent)
        self.make = make
        self.stop_event = threading.Event()
        self.pause_event = threading.Event()
        self.paused_event = threading.Event()  # set by the trainer while it really waits
        self.last = None  # the last event (the terminal one after a normal end)

    def run(self) -> None:
        gen = None
        try:
            gen = self.make(self.stop_event, self.pause_event, self.paused_event)
            for ev in gen:
                self.last = ev
                self.event.emit(ev)
        except Exception as e:  # noqa: BLE001 - reported to the user by the page
            self.crashed.emit(str(e) or type(e).__name__, getattr(e, "details", "") or traceback.format_exc())
        finally:
            if gen is not None and hasattr(gen, "close"):
                gen.close()  # marks an abandoned run as stopped (engine.runs.run's finally)

    # -- from the GUI thread ------------------------------------------------------------------------
    def request_stop(self) -> None:
        self.stop_event.set()
        self.pause_event.clear()

    def set_paused(self, on: bool) -> None:
        if on:
            self.pause_event.set()
        else:
            self.pause_event.clear()

    def stop_and_wait(self, timeout_ms: int = 60_000) -> bool:
        """Stop at the next batch and wait for the thread to end (``quit()`` is harmless: no event loop)."""
        self.request_stop()
        self.quit()
        return self.wait(timeout_ms)

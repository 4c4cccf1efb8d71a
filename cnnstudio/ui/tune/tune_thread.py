"""The study's thread: iterate the events of a study run in a child process and emit one signal per event.

A :class:`~cnnstudio.ui.workers.GeneratorThread`, as training's
:class:`~cnnstudio.ui.train.training_thread.TrainingThread`: the page hands it a function that makes
:class:`cnnstudio.engine.tune.child.TuneChild`'s generator (the study runs in ``cnnstudio _tune-child``, so
it keeps every core and the GIL to itself, and a crash ends the child, not the app). The events are the
engine's small frozen dataclasses (:mod:`cnnstudio.engine.tune.events`), each emitted as ``yielded``; a
failure of the child (bad input: one sentence) comes out as ``errored``. Stop sets the stop event, which the
child hears between two batches: the trial in flight ends as failed ("stopped"), the finished ones are kept.
Closing the generator at the end stops a child still running. Nothing here touches a widget.
"""

from __future__ import annotations

import threading
from typing import Callable, Generator

from PySide6.QtCore import QObject

from ..workers import GeneratorThread

STOP_WAIT_MS = 90_000  # the child gets 60 s to stop before it is killed (engine/tune/child.py)


class TuneThread(GeneratorThread):
    def __init__(self, make: Callable[[threading.Event], Generator], parent: QObject | None = None):
        super().__init__(lambda: make(self.stop_event), parent)

    def request_stop(self) -> None:
        """From the GUI thread: stop after the batch in hand."""
        self.stop_event.set()

    def stop_and_wait(self, timeout_ms: int = STOP_WAIT_MS) -> bool:
        return super().stop_and_wait(timeout_ms)

"""Grad-CAM maps for the Predict page's detail view, made in a background thread, with a small cache.

A map takes a forward and a backward pass (about 50 ms for MobileNetV2 at 224 px on one server core, several
times that on a laptop): on the GUI thread it would freeze the window. :class:`CamMaker` runs one
:class:`~cnnstudio.ui.workers.TaskThread` at a time (held by a :class:`~cnnstudio.ui.workers.LatestTask`). A
request made while one runs waits; a newer request replaces a waiting one (only the picture on display matters), and
a request for the map being made needs nothing more. Every finished map goes into the cache (the last
:data:`CACHE_SIZE`), keyed by ``(model, path)``, so going back to a picture is instant; whoever shows the map decides
whether it is still wanted (:class:`.prediction_view.PredictionView` discards a map whose picture is no longer on
display).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable, Hashable

from PySide6.QtCore import QObject, Signal

from ..workers import LatestTask

CACHE_SIZE = 8


class CamMaker(QObject):
    done = Signal(object, object)  # key, SaliencyMap
    failed = Signal(object, str)  # key, message

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.task = LatestTask(self)  # the map being made; one let go of (shutdown) is not heard
        self.task.succeeded.connect(self._succeeded)
        self.task.errored.connect(self._failed)
        self.task.ended.connect(self._finished)
        self.running_key: Hashable | None = None
        self._waiting: tuple[Hashable, Callable[..., Any]] | None = None
        self._cache: OrderedDict[Hashable, Any] = OrderedDict()

    @property
    def thread(self):
        """The thread making a map now (None: none)."""
        return self.task.thread

    @property
    def busy(self) -> bool:
        return self.task.busy

    def cached(self, key: Hashable):
        """The map made for ``key`` (None if there is none in the cache)."""
        sal = self._cache.get(key)
        if sal is not None:
            self._cache.move_to_end(key)
        return sal

    def request(self, key: Hashable, fn: Callable[..., Any]) -> None:
        """Make the map for ``key`` with ``fn(progress=..., cancel=...)`` in the thread; ``done`` or ``failed``
        follows (also when the map is wanted no longer)."""
        if key == self.running_key:
            self._waiting = None
            return
        self._waiting = (key, fn)
        if not self.task.busy:
            self._start_waiting()

    def forget_waiting(self) -> None:
        """The map that waits is wanted no longer (the one being made is finished and cached all the same)."""
        self._waiting = None

    def _start_waiting(self) -> None:
        if self._waiting is None:
            return
        (key, fn), self._waiting = self._waiting, None
        self.running_key = key
        self.task.run(fn)

    def _succeeded(self, sal) -> None:
        key = self.running_key
        self._cache[key] = sal
        self._cache.move_to_end(key)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        self.done.emit(key, sal)

    def _failed(self, message: str, _tb: str) -> None:
        self.failed.emit(self.running_key, message)

    def _finished(self, _thread) -> None:
        self.running_key = None
        self._start_waiting()

    def shutdown(self) -> None:
        """Drop what waits and wait for the running thread (a map cannot be stopped halfway; it is short)."""
        self._waiting = None
        self.running_key = None
        self.task.shutdown()

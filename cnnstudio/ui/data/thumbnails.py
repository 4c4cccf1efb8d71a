"""Thumbnails loaded off the GUI thread, newest request first, so fast scrolling stays smooth.

Requests go on a stack; a few pool threads pop the most recent ones (what is on screen now) and drop
the oldest when the stack grows past what could still be visible. A finished thumbnail arrives as
``loaded(image_id, QImage)`` in the GUI thread (QImage, unlike QPixmap, may be built in any thread).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QImage

from ...project import ImageRejected, Project

MAX_QUEUED = 400


class _Drain(QRunnable):
    def __init__(self, loader: "ThumbnailLoader"):
        super().__init__()
        self.loader = loader

    def run(self) -> None:
        self.loader._drain()


class ThumbnailLoader(QObject):
    loaded = Signal(int, QImage)
    failed = Signal(int, str)
    notice = Signal(str)  # once: the thumbnail cache cannot be written (a full or read-only disk)

    def __init__(self, project: Project, threads: int = 2, parent: QObject | None = None):
        super().__init__(parent)
        self.project = project
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._lock = threading.Lock()
        self._stack: OrderedDict[int, tuple[str, Path]] = OrderedDict()
        self._closed = False
        self._told = False

    def request(self, image_id: int, sha256: str, file: Path) -> None:
        with self._lock:
            if self._closed:
                return
            self._stack[image_id] = (sha256, file)
            self._stack.move_to_end(image_id)
            while len(self._stack) > MAX_QUEUED:
                self._stack.popitem(last=False)  # scrolled past long ago
        self._pool.start(_Drain(self))

    def _drain(self) -> None:
        while True:
            with self._lock:
                if self._closed or not self._stack:
                    return
                image_id, (sha, file) = self._stack.popitem(last=True)
            try:
                image = QImage.fromData(self.project.thumbnail_jpeg(sha, file))
                if image.isNull():
                    raise ImageRejected("the thumbnail could not be read")
                self.loaded.emit(image_id, image)
                if self.project.cache_problem and not self._told:
                    self._told = True
                    self.notice.emit(self.project.cache_problem)
            except (ImageRejected, OSError) as e:
                self.failed.emit(image_id, str(e))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._stack.clear()
        self._pool.waitForDone()

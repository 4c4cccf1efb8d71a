"""Thumbnails loaded off the GUI thread, newest request first, so fast scrolling stays smooth.

Requests go on a stack; a few worker threads, started on the first request and kept until :meth:`close`, pop
the most recent ones (what is on screen now) and drop the oldest when the stack grows past what could still be
visible. A request only appends under a lock; the workers are woken once the event-loop turn that asked is
over (a zero timer), not during it: requests come from the gallery's paint, and a worker decoding while the GUI
thread paints takes the GIL from it at every Python call (repainting a page of new tiles took 18.5 ms with a
pool task started per request, 6 ms with the workers woken after the paint; ``QThreadPool.start`` itself cost
the GUI thread 0.2-0.75 ms a request, ~20 a scroll step). With ``fit`` set (the gallery sets it to its tiles'
picture size in device pixels, :func:`~cnnstudio.ui.picture_image.device_size`) a worker also scales the thumbnail
to fit, smoothly, and tags it with ``ratio`` (the screen's device pixel ratio: ``QImage.setDevicePixelRatio``), so
the GUI thread only draws it, as many logical pixels as at 100 % and with every pixel of a 200 % screen. A finished
thumbnail arrives as ``loaded(image_id, QImage)`` in the GUI thread (QImage, unlike QPixmap, may be built in
any thread).

The project's thumbnails are :data:`~cnnstudio.project.imaging.THUMB_SIZE` (128) pixels: a tile larger than that
in device pixels (128 logical pixels on a 200 % screen) shows one scaled up, smoothly.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage

from ...project import ImageRejected, Project

MAX_QUEUED = 400


def fits(width: int, height: int, box: tuple[int, int]) -> bool:
    """True when a picture of this size is what scaling it to fit ``box`` (keeping its aspect) would give."""
    return width <= box[0] and height <= box[1] and (width == box[0] or height == box[1])


class ThumbnailLoader(QObject):
    loaded = Signal(int, QImage)
    failed = Signal(int, str)
    notice = Signal(str)  # once: the thumbnail cache cannot be written (a full or read-only disk)

    def __init__(self, project: Project, threads: int = 2, parent: QObject | None = None):
        super().__init__(parent)
        self.project = project
        self._threads = threads
        self._workers: list[threading.Thread] = []
        self._wake = threading.Condition()
        self._stack: OrderedDict[int, tuple[str, Path]] = OrderedDict()
        self._closed = False
        self._told = False
        self.fit: tuple[int, int] | None = None  # scale thumbnails to fit this (width, height), in device pixels
        self.ratio = 1.0  # and tag them with this device pixel ratio (their screen's)
        self._waker = QTimer(self)
        self._waker.setSingleShot(True)
        self._waker.setInterval(0)
        self._waker.timeout.connect(self._wake_workers)


    def request(self, image_id: int, sha256: str, file: Path) -> list[int]:
        """Queue a thumbnail; returns the ids dropped from the queue to make room (scrolled past long ago: asked
        for again if they come back into view)."""
        dropped = []
        with self._wake:
            if self._closed:
                return dropped
            self._stack[image_id] = (sha256, file)
            self._stack.move_to_end(image_id)
            while len(self._stack) > MAX_QUEUED:
                dropped.append(self._stack.popitem(last=False)[0])
        if not self._waker.isActive():
            self._waker.start()
        return dropped

    def _wake_workers(self) -> None:
        with self._wake:
            if self._closed or not self._stack:
                return
            while len(self._workers) < min(self._threads, len(self._stack)):
                worker = threading.Thread(target=self._work, name="thumbnails", daemon=True)
                self._workers.append(worker)
                worker.start()
            self._wake.notify_all()

    def _work(self) -> None:
        while True:
            with self._wake:
                while not self._stack and not self._closed:
                    self._wake.wait()
                if self._closed:
                    return
                image_id, (sha, file) = self._stack.popitem(last=True)
            try:
                image = QImage.fromData(self.project.thumbnail_jpeg(sha, file))
                if image.isNull():
                    raise ImageRejected("the thumbnail could not be read")
                box, ratio = self.fit, self.ratio
                if box is not None:
                    if not fits(image.width(), image.height(), box):
                        image = image.scaled(box[0], box[1], Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation)
                    image.setDevicePixelRatio(ratio)
                self.loaded.emit(image_id, image)
                if self.project.cache_problem and not self._told:
                    self._told = True
                    self.notice.emit(self.project.cache_problem)
            except (ImageRejected, OSError) as e:
                self.failed.emit(image_id, str(e))
            except RuntimeError:  # the loader's Qt object is gone (its owner was deleted without close())
                return

    def close(self) -> None:
        self._waker.stop()
        with self._wake:
            self._closed = True
            self._stack.clear()
            self._wake.notify_all()
        for worker in self._workers:
            worker.join()

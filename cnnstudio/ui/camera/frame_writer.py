"""The camera panel's frames on their way to disk: each frame a burst keeps is saved as a PNG file and hashed in a
thread of its own (:class:`FrameWriter`), so the live picture never waits for the encoder and the rate asked for is
kept; the results come back to the GUI thread in the order the frames were kept. A :class:`Burst` is over once it
was let go and every frame it sent came back."""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QRect, Signal
from PySide6.QtGui import QImage

from ...project.importer import content_hash
from .frame_source import Frame
from .live_worker import frame_picture
from .rules import centre_square


@dataclass(eq=False)
class Burst:
    """Frames kept between a press and a let-go (or one picture), staged in ``folder`` for one import."""

    id: int  # its pending pictures' burst (rules.PendingPictures)
    folder: Path
    class_name: str  # chosen when it started, whatever is chosen later
    split: str | None = None  # the split it is imported into, decided when it started (project/splits.split_for_added)
    single: bool = False  # "Take one picture"
    files: list[Path] = field(default_factory=list)  # saved, new to the project: what is imported
    sent: int = 0  # frames handed to the writer
    back: int = 0  # of those, written (or refused) and handled
    ended: bool = False  # let go: no frame is added to it any more
    closed: bool = False  # handed on to the import (or dropped, if nothing new was kept)

    @property
    def done(self) -> bool:
        return self.ended and self.back == self.sent and not self.closed


@dataclass(eq=False)
class Written:
    """One frame as it was saved, or ``error`` (the system's words) when it could not be."""

    burst: Burst
    path: Path
    image: QImage  # the frame as stored, for the gallery's thumbnail
    width: int = 0
    height: int = 0
    size_bytes: int = 0
    sha256: str = ""
    error: str = ""


class FrameWriter(QObject):
    """Saves and hashes frames in one thread, in order; ``written(Written)`` for each, in the GUI thread."""

    written = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._jobs: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None

    def write(self, burst: Burst, frame: Frame, crop: bool) -> None:
        path = burst.folder / f"frame-{burst.sent:05d}.png"
        burst.sent += 1
        image = frame.image
        if crop:
            left, top, right, bottom = centre_square(image.width(), image.height())
            image = image.copy(QRect(left, top, right - left, bottom - top))
        self._jobs.put((Written(burst, path, image), frame, crop))
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="camera frames", daemon=True)
            self._thread.start()

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """Block until every frame handed over is written (its ``written`` posted, not yet delivered)."""
        jobs, end = self._jobs, time.monotonic() + timeout
        with jobs.all_tasks_done:
            while jobs.unfinished_tasks:
                left = end - time.monotonic()
                if left <= 0:
                    return False
                jobs.all_tasks_done.wait(left)
        return True

    def stop(self) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            self._jobs.put(None)
            thread.join(10)

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                done, frame, crop = job
                try:
                    done.path.parent.mkdir(parents=True, exist_ok=True)
                    picture = frame_picture(frame, crop)
                    picture.save(done.path, compress_level=1)
                    done.width, done.height = picture.width, picture.height
                    done.size_bytes = done.path.stat().st_size
                    done.sha256 = content_hash(done.path)
                except Exception as e:  # noqa: BLE001 - a disk that says no (or a frame PIL refuses): said, not raised
                    done.error = str(getattr(e, "strerror", None) or e)
                    try:
                        done.path.unlink(missing_ok=True)
                    except OSError:
                        pass
                self.written.emit(done)
            finally:
                self._jobs.task_done()

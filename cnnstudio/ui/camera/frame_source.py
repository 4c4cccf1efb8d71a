"""Where camera frames come from: a webcam or a video file, both read with OpenCV's ``VideoCapture`` in a thread
of their own (docs/ARCHITECTURE.md says why OpenCV). The tests and benchmarks use the video file; the app a camera.

A source never queues frames: the GUI is told "a frame is there" at most once until it takes the newest
(:meth:`FrameSource.newest`), and consumers in other threads (live prediction) get a :class:`.rules.NewestSlot`
filled straight from the reading thread, so a slow consumer never delays the preview or another consumer.
Errors (no camera, busy, permission refused, unplugged mid-stream, an unreadable file) come as one sentence
through ``failed``; nothing is raised to the GUI.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtGui import QImage

from .rules import NewestSlot

STALL_SECONDS = 2.0  # a camera that sends nothing for this long is taken as gone


@dataclass(frozen=True)
class CameraInfo:
    key: str  # what opens it ("0", "1", ...)
    name: str  # what the system calls it


@dataclass
class Frame:
    rgb: np.ndarray  # H x W x 3 uint8, as the camera sees it (never mirrored)
    image: QImage  # the same picture for painting
    t: float  # time.perf_counter() when it arrived
    number: int


def list_cameras(probe: int = 4) -> list[CameraInfo]:
    """Every video input the system reports, by name (Linux: /sys/class/video4linux; elsewhere the first
    ``probe`` numbers that open, named "Camera 1", "Camera 2"...)."""
    if sys.platform.startswith("linux"):
        found = []
        for dev in sorted(Path("/sys/class/video4linux").glob("video*"), key=lambda p: int(p.name[5:] or 0)):
            try:
                name = (dev / "name").read_text(encoding="utf-8", errors="replace").strip()
                index = int((dev / "index").read_text().strip()) if (dev / "index").exists() else 0
            except (OSError, ValueError):
                continue
            if index == 0:  # a camera's other nodes (metadata) have index 1
                found.append(CameraInfo(dev.name[5:], name or dev.name))
        return found
    import cv2

    found = []
    for i in range(probe):
        cap = cv2.VideoCapture(i)
        try:
            if cap.isOpened():
                found.append(CameraInfo(str(i), f"Camera {i + 1}"))
        finally:
            cap.release()
    return found


def _to_frame(bgr: np.ndarray, t: float, number: int) -> Frame:
    import cv2

    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB) if bgr.ndim == 3 else cv2.cvtColor(bgr, cv2.COLOR_GRAY2RGB)
    rgb = np.ascontiguousarray(rgb)
    h, w = rgb.shape[:2]
    image = QImage(rgb.data, w, h, rgb.strides[0], QImage.Format.Format_RGB888).copy()
    return Frame(rgb, image, t, number)


class _Reader(QThread):
    failed = Signal(str)
    ended = Signal()

    def __init__(self, source: "FrameSource"):
        super().__init__(source)
        self.source = source
        self.stop_event = threading.Event()

    def run(self) -> None:
        try:
            self.source._read_loop(self.stop_event, self.failed.emit)
        except Exception as e:  # noqa: BLE001 - a source never raises into the GUI: the panel shows it
            self.failed.emit(f"The picture source stopped: {e}")
        self.ended.emit()


class FrameSource(QObject):
    """A stream of frames read in a thread. ``frame_ready``: take :meth:`newest` (emitted once per take);
    ``failed(sentence)``; ``ended`` when the stream stopped (end of file, error or :meth:`stop`)."""

    frame_ready = Signal()
    failed = Signal(str)
    ended = Signal()

    name = "pictures"

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._lock = threading.Lock()
        self._newest: Frame | None = None
        self._told = False
        self._consumers: list[NewestSlot] = []
        self.frames_read = 0
        self.reader: _Reader | None = None

    # -- for the GUI thread
    def start(self) -> None:
        if self.reader is not None:
            return
        self.reader = _Reader(self)
        self.reader.failed.connect(self.failed)
        self.reader.ended.connect(self._reader_ended)
        self.reader.start()

    def stop(self) -> None:
        reader, self.reader = self.reader, None
        if reader is not None:
            reader.stop_event.set()
            reader.wait(10_000)
            reader.deleteLater()

    @property
    def running(self) -> bool:
        return self.reader is not None and self.reader.isRunning()

    def newest(self) -> Frame | None:
        with self._lock:
            self._told = False
            return self._newest

    def add_consumer(self, slot: NewestSlot) -> None:
        with self._lock:
            self._consumers.append(slot)

    def remove_consumer(self, slot: NewestSlot) -> None:
        with self._lock:
            if slot in self._consumers:
                self._consumers.remove(slot)

    def _reader_ended(self) -> None:
        self.ended.emit()

    # -- in the reading thread
    def _publish(self, frame: Frame) -> None:
        with self._lock:
            self._newest = frame
            consumers = list(self._consumers)
            tell, self._told = not self._told, True
        self.frames_read += 1
        for slot in consumers:
            slot.put(frame)
        if tell:
            self.frame_ready.emit()


class CameraSource(FrameSource):
    """A webcam by its number (:class:`CameraInfo`.key)."""

    def __init__(self, camera: CameraInfo, parent: QObject | None = None):
        super().__init__(parent)
        self.camera = camera
        self.name = camera.name

    def _read_loop(self, stop: threading.Event, fail) -> None:
        import cv2

        backend = cv2.CAP_V4L2 if sys.platform.startswith("linux") else cv2.CAP_ANY
        cap = cv2.VideoCapture(int(self.camera.key), backend)
        try:
            device = Path(f"/dev/video{self.camera.key}")
            if sys.platform.startswith("linux") and device.exists() and not os.access(device, os.R_OK | os.W_OK):
                fail(f"CNN Studio is not allowed to use {self.name} ({device}): add your user to the 'video' "
                     "group (then log out and in again).")
                return
            if not cap.isOpened():
                fail(f"{self.name} did not open. It may be unplugged or in use by another program"
                     + (", or CNN Studio may not be allowed to use the camera (System Settings › Privacy & "
                        "Security › Camera)" if sys.platform == "darwin" else "") + ".")
                return
            last_ok = time.monotonic()
            number = 0
            while not stop.is_set():
                ok, bgr = cap.read()
                now = time.perf_counter()
                if ok and bgr is not None:
                    last_ok = time.monotonic()
                    self._publish(_to_frame(bgr, now, number))
                    number += 1
                elif time.monotonic() - last_ok > STALL_SECONDS:
                    fail(f"{self.name} stopped sending pictures" + (" (was it unplugged?)" if number else
                         " — it may be in use by another program") + ". The pictures already saved are kept.")
                    return
                else:
                    stop.wait(0.02)
        finally:
            cap.release()


class VideoFileSource(FrameSource):
    """A video file played at its own frame rate (or ``fps``), once or looping: the camera for tests and demos."""

    def __init__(self, path: str | Path, fps: float | None = None, loop: bool = False, parent: QObject | None = None):
        super().__init__(parent)
        self.path, self.fps, self.loop = Path(path), fps, loop
        self.name = self.path.name

    def _read_loop(self, stop: threading.Event, fail) -> None:
        import cv2

        cap = cv2.VideoCapture(str(self.path))
        try:
            if not cap.isOpened():
                fail(f"The video {self.path.name} could not be opened (missing, or not a video OpenCV can read).")
                return
            fps = self.fps or cap.get(cv2.CAP_PROP_FPS) or 30.0
            step, number = 1.0 / fps, 0
            due = time.perf_counter()
            while not stop.is_set():
                ok, bgr = cap.read()
                if not ok:
                    if self.loop and number:
                        cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
                        continue
                    if number == 0:
                        fail(f"The video {self.path.name} holds no pictures.")
                    return
                wait = due - time.perf_counter()
                if wait > 0 and stop.wait(wait):
                    return
                self._publish(_to_frame(bgr, time.perf_counter(), number))
                number += 1
                due = max(due + step, time.perf_counter() - step)  # a stall is not made up with a burst
        finally:
            cap.release()


def write_video(path: str | Path, frames: list[np.ndarray], fps: float = 30.0) -> Path:
    """Frames (H x W x 3 RGB uint8, all one size) -> a lossless-enough MJPG .avi that :class:`VideoFileSource` reads."""
    import cv2

    path = Path(path)
    h, w = frames[0].shape[:2]
    out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    if not out.isOpened():
        raise OSError(f"could not write the video {path}")
    try:
        for f in frames:
            out.write(cv2.cvtColor(np.ascontiguousarray(f), cv2.COLOR_RGB2BGR))
    finally:
        out.release()
    return path


def read_video(path: str | Path) -> list[np.ndarray]:
    """Every frame of a video file as RGB arrays (the self-test's check that OpenCV reads what it wrote)."""
    import cv2

    cap = cv2.VideoCapture(str(path))
    frames = []
    try:
        while True:
            ok, bgr = cap.read()
            if not ok:
                return frames
            frames.append(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
    finally:
        cap.release()

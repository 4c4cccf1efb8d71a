"""A frame source the test drives by hand (no thread, no timing): :meth:`PushSource.push` hands the panel one frame,
as a camera's reading thread would, and the panel handles it before ``push`` returns."""

from __future__ import annotations

import time

import numpy as np

from cnnstudio.ui.camera.frame_source import FrameSource, _to_frame


class PushSource(FrameSource):
    name = "Test camera"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.number = 0

    def start(self) -> None:  # nothing to read: the test pushes each frame
        pass

    def stop(self) -> None:
        pass

    def push(self, rgb: np.ndarray | None = None) -> None:
        """One frame (RGB, H x W x 3 uint8); by default a new one each time, so none is a copy of another."""
        if rgb is None:
            rgb = np.full((48, 64, 3), 230, np.uint8)
            rgb[:, :32] = (self.number % 250, self.number // 250 % 250, 60)
        self._publish(_to_frame(rgb[:, :, ::-1].copy(), time.perf_counter() + self.number, self.number))
        self.number += 1

"""The camera's rules, Qt-free and torch-free: which frames a burst keeps, the centre square, the newest-frame
slot that drops instead of queueing, frames per second, the latency figures. Tested in tests/ui/test_camera_rules.py.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from typing import Any

DEFAULT_RATE = 5.0  # pictures per second while the record button is held


class BurstRate:
    """Keeps a frame when at least ``1 / rate`` seconds passed since the last one kept (the first always)."""

    def __init__(self, rate: float = DEFAULT_RATE):
        self.rate = rate
        self._last: float | None = None

    @property
    def rate(self) -> float:
        return self._rate

    @rate.setter
    def rate(self, value: float) -> None:
        if not value > 0 or math.isinf(value):
            raise ValueError(f"the rate must be a positive number of pictures per second, not {value!r}")
        self._rate = float(value)

    def reset(self) -> None:
        self._last = None

    def keep(self, t: float) -> bool:
        # a little slack (a tenth of the interval) so 5/s from a 30 fps stream keeps every 6th frame, not 7th
        if self._last is None or t - self._last >= 0.9 / self._rate:
            self._last = t
            return True
        return False


def centre_square(width: int, height: int) -> tuple[int, int, int, int]:
    """``(left, top, right, bottom)`` of the largest square in the middle of a ``width`` x ``height`` picture."""
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    return left, top, left + side, top + side


class NewestSlot:
    """One frame at a time between a producer and a consumer thread: ``put`` replaces what was not taken yet
    (counted in ``dropped``), ``take`` waits for a frame. Nothing ever queues, so a slow consumer always works
    on the newest frame."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._item: Any = None
        self._has = False
        self._closed = False
        self.dropped = 0
        self.taken = 0

    def put(self, item: Any) -> None:
        with self._cond:
            if self._has:
                self.dropped += 1
            self._item, self._has = item, True
            self._cond.notify()

    def take(self, timeout: float | None = None) -> Any:
        """The newest frame, or None when closed (or after ``timeout`` seconds with none)."""
        with self._cond:
            end = None if timeout is None else time.monotonic() + timeout
            while not self._has and not self._closed:
                left = None if end is None else end - time.monotonic()
                if left is not None and left <= 0:
                    return None
                self._cond.wait(left)
            if self._closed:
                return None
            item, self._item, self._has = self._item, None, False
            self.taken += 1
            return item

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()


class RateMeter:
    """Events per second over the last ``window`` seconds."""

    def __init__(self, window: float = 2.0):
        self.window = window
        self._times: deque[float] = deque()

    def tick(self, t: float) -> None:
        self._times.append(t)
        while self._times and t - self._times[0] > self.window:
            self._times.popleft()

    def rate(self) -> float:
        if len(self._times) < 2:
            return 0.0
        span = self._times[-1] - self._times[0]
        return (len(self._times) - 1) / span if span > 0 else 0.0


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by the nearest-rank method; nan for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]

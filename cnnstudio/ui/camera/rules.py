"""The camera's rules, Qt-free and torch-free: which frames a burst keeps, the centre square, the newest-frame
slot that drops instead of queueing, frames per second, the latency figures, the pictures of a burst on their way
into the project (shown in the gallery before the burst's one transaction), and what the window says once a burst is
in. Tested in tests/ui/test_camera_rules.py.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...project import UNLABELLED, ImageFilter, ImageRecord
from ...project.counting import counted
from ..predict.add_words import split_words

DEFAULT_RATE = 5.0  # pictures per second while the record button is held
#: said in the panel while pictures a burst added have no split: only in a project with no split at all (a burst into
#: a split project goes to the training split, project/splits.split_for_added), which the first training run splits
NO_SPLIT_NOTE = ("The new pictures have no split yet: they get one when you start training, or press Split in the "
                 "“Split & health” tab of the Data page.")


def burst_words(n: int, class_name: str, split: str | None) -> str:
    """The status bar's line once a burst's ``n`` pictures are in ``class_name`` and ``split`` (None: none yet), the
    split in the Predict page's words (:func:`~cnnstudio.ui.predict.add_words.split_words`)."""
    return (f"Added {counted(n, 'picture')} to “{class_name}” ({split_words(split)}). "
            f"Ctrl+Z takes {'them' if n != 1 else 'it'} out again.")


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


@dataclass(frozen=True)
class PendingPicture:
    """A frame the camera kept that is not in the project yet (its burst is imported when the button is let go).
    ``key`` is negative, so it is never an image id."""

    key: int
    burst: int
    class_name: str
    path: str  # the staged file; the imported image's ``source_path``
    width: int
    height: int
    size_bytes: int
    t: float
    sha256: str = ""  # of the staged file, as the importer hashes it
    split: str | None = None  # the split its burst imports it into (project/splits.split_for_added)

    def record(self, class_id: int | None) -> ImageRecord:
        """What the gallery shows for it until the real row replaces it: its burst's split, nothing hashed."""
        return ImageRecord(self.key, self.sha256, self.path, Path(self.path).name, class_id, self.split, "auto",
                           self.width, self.height, self.size_bytes, self.path, self.t)


def pending_shown(flt: ImageFilter, class_id: int | None, split: str | None = None) -> bool:
    """Whether a picture on its way into ``class_id`` (None: a class not made yet) and ``split`` (None: no split)
    belongs under ``flt``: it is labelled (a class typed for the first time is made when the burst is imported)."""
    if flt.trashed or (flt.split is not None and flt.split != (split or "none")):
        return False
    return flt.class_id is None or (flt.class_id != UNLABELLED and flt.class_id == class_id)


class PendingPictures:
    """The camera's frames between being kept and their burst's import: what the gallery shows as they arrive and
    the counter adds to the class's pictures. A burst is settled (forgotten here) once its import is over; the
    imported rows take its place, or, if it failed, its files wait in the staging folder."""

    def __init__(self) -> None:
        self._items: list[PendingPicture] = []
        self._bursts: dict[int, tuple[str, str | None]] = {}  # a burst's class name and split
        self._last_key = 0
        self._last_burst = 0

    def new_burst(self, class_name: str, split: str | None = None) -> int:
        """A new burst into the class of this name and ``split`` (None: no split), both kept whatever comes later."""
        self._last_burst += 1
        self._bursts[self._last_burst] = (class_name, split)
        return self._last_burst

    def add(self, burst: int, path: str | Path, width: int, height: int, size_bytes: int, t: float,
            sha256: str = "") -> PendingPicture:
        self._last_key -= 1
        name, split = self._bursts[burst]
        pic = PendingPicture(self._last_key, burst, name, str(path), width, height, size_bytes, t, sha256, split)
        self._items.append(pic)
        return pic

    def has(self, sha256: str) -> bool:
        """Whether a pending picture has this content (a still camera gives the same frame twice: it is kept once)."""
        return bool(sha256) and any(p.sha256 == sha256 for p in self._items)

    def settle(self, burst: int) -> list[PendingPicture]:
        """Forget a burst whose import is over; returns its pictures."""
        gone = [p for p in self._items if p.burst == burst]
        self._items = [p for p in self._items if p.burst != burst]
        self._bursts.pop(burst, None)
        return gone

    def items(self) -> list[PendingPicture]:
        return list(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def count(self, class_name: str) -> int:
        """Pictures on their way into the class of this name (case does not matter, as for class names)."""
        name = class_name.strip().casefold()
        return sum(1 for p in self._items if p.class_name.strip().casefold() == name)

    def shown(self, flt: ImageFilter, class_ids: dict[str, int]) -> list[PendingPicture]:
        """The pictures the gallery shows under ``flt``, oldest first; ``class_ids`` maps casefolded names to ids."""
        return [p for p in self._items
                if pending_shown(flt, class_ids.get(p.class_name.strip().casefold()), p.split)]

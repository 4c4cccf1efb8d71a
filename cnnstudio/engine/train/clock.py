"""The clock of a training run as a page shows it: batches done of those planned, time trained without the
pauses, and about how long is left. Qt-free and torch-free: the Train page feeds it the run's events and shows
what it says; the tests drive it with their own time.
"""

from __future__ import annotations

import math
import time
from typing import Callable

ETA_AFTER_BATCHES = 3  # the first batches are slow (start-up, caches): no estimate from fewer


def clock_text(seconds: float) -> str:
    """``m:ss``, or ``h:mm:ss`` from an hour on; "–" for a time that is not known (NaN, infinite, negative)."""
    if not isinstance(seconds, (int, float)) or not math.isfinite(seconds) or seconds < 0:
        return "–"
    s = int(round(seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


class RunClock:
    """Progress and time of one run (this session of it: a resumed run counts from the epoch it resumes at).

    ``now`` gives the time in seconds (``time.monotonic`` unless a test passes its own).
    """

    def __init__(self, now: Callable[[], float] = time.monotonic):
        self._now = now
        self.reset()

    def reset(self) -> None:
        """A run is about to start: nothing done yet, no pauses, its length not known."""
        self.t0 = self._now()
        self.paused_total = 0.0
        self.paused_since: float | None = None
        self.done, self.total = 0, 1  # batches done, batches planned
        self.start_epoch = 1

    # -- what the run says ---------------------------------------------------------------------------
    def run_started(self, start_epoch: int, epochs: int, batches_per_epoch: int) -> int:
        """The run trains epochs ``start_epoch``..``epochs``: the clock starts now. Returns the batches planned."""
        self.start_epoch = start_epoch
        self.total = max(1, (epochs - start_epoch + 1) * batches_per_epoch)
        self.done = 0
        self.t0 = self._now()
        return self.total

    def batch_end(self, epoch: int, batch: int, batches: int) -> None:
        """Batch ``batch`` of ``batches`` of epoch ``epoch`` is done."""
        self.done = (epoch - self.start_epoch) * batches + batch

    def pause_seen(self) -> None:
        """The trainer waits (paused): the time from now on does not count, until :meth:`resumed`."""
        if self.paused_since is None:
            self.paused_since = self._now()

    def resumed(self) -> None:
        if self.paused_since is not None:
            self.paused_total += self._now() - self.paused_since
            self.paused_since = None

    # -- what the page shows -------------------------------------------------------------------------
    def elapsed(self) -> float:
        """Seconds trained since the run started, pauses left out."""
        now = self._now()
        paused = self.paused_total + (now - self.paused_since if self.paused_since is not None else 0.0)
        return now - self.t0 - paused

    def eta(self, elapsed: float | None = None) -> float:
        """About how many seconds are left (NaN before :data:`ETA_AFTER_BATCHES` batches are done)."""
        elapsed = self.elapsed() if elapsed is None else elapsed
        if self.done < ETA_AFTER_BATCHES:
            return math.nan
        return elapsed / self.done * (self.total - self.done)

    @property
    def finished(self) -> bool:
        return self.done >= self.total

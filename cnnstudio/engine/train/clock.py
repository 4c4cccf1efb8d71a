"""The progress and clock of a training run as a page shows it: epochs and batches done of those planned, time
trained without the pauses, and about how long is left. Qt-free and torch-free: the Train page feeds it the run's
events and every figure it shows (the status line, the progress bar, the time left, the runs table's epochs) is
read from here, so they agree, before and after a resume; the tests drive it with their own time.

Progress counts the whole run: a run resumed at epoch 65 of 150 starts its bar at 64/150, not at 0, and so does
the time trained: "elapsed" goes on from what the earlier sessions trained (the ``elapsed`` of the run's last
finished epoch in its metrics, :func:`trained_before`), as the run's own records count it. Only the time left is
estimated from this session's batches (the speed of a resumed run is measured anew). Once the run has ended
(finished, stopped or failed: :meth:`RunClock.ended`) the clock stands still and nothing is left; a run that did
not finish counts only its kept epochs (a stop throws the half-trained epoch away: resuming trains it again), and a
finished run's time and speed are the run's own (what its record, the finished line and the runs list say).

Pauses: the clock follows what the trainer says it does (:meth:`RunClock.follow_pause`, read at every look), not
the Pause button. The trainer goes on a moment after Continue, so a look may still find it waiting after Continue
was pressed; a clock stopped by that look and started again only by the button stood still for the rest of the
run ("elapsed 0:11" at the end of a 40 s run).
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


def epochs_cell(done, planned, finished: bool = False) -> str:
    """The runs table's epochs: "17 / 40" while a run is unfinished, "40" once it has finished."""
    done = done if isinstance(done, int) and done > 0 else 0
    if finished or not (isinstance(planned, int) and planned > 0):
        return f"{done}"
    return f"{done} / {planned}"


def preparing(done: int, total: int, message: str = "") -> tuple[str, int, int]:
    """While the pictures are decoded: the words and the bar as ``(text, value, maximum)``; a maximum of 0 is
    an indeterminate bar (nothing to count: everything came from the cache, or a step without a count)."""
    if isinstance(total, int) and total > 0:
        return f"Preparing the pictures: {min(done, total):,} of {total:,}", min(done, total), total
    text = f"{message[0].upper()}{message[1:]}…" if message else "Preparing the pictures…"
    return text, 0, 0


def trained_before(metrics: list[dict], start_epoch: int) -> float:
    """Seconds the earlier sessions of a run resumed at ``start_epoch`` trained: the trainer's ``elapsed`` (all
    sessions, pauses left out) of the last epoch before ``start_epoch`` in the run's metrics (``EpochEnd`` rows);
    0 when there is none. The part of an epoch a stop cut short is not in it: that epoch is trained again."""
    best = (0, 0.0)
    for row in metrics:
        epoch, elapsed = row.get("epoch"), row.get("elapsed")
        if (isinstance(epoch, int) and 0 < epoch < start_epoch and isinstance(elapsed, (int, float))
                and math.isfinite(elapsed) and elapsed >= 0 and epoch >= best[0]):
            best = (epoch, float(elapsed))
    return best[1]


def _positive(value) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value) and value > 0


class RunClock:
    """Progress and time of one run; ``now`` gives the time in seconds (``time.monotonic`` unless a test passes
    its own)."""

    def __init__(self, now: Callable[[], float] = time.monotonic):
        self._now = now
        self.reset()

    def reset(self) -> None:
        """A run is about to start: nothing done yet, no pauses, its length not known."""
        self.t0 = self._now()
        self.before = 0.0  # seconds the earlier sessions of a resumed run trained
        self.ended_at: float | None = None  # when the run ended (finished, stopped, failed): the clock stands still
        self.paused_total = 0.0
        self.paused_since: float | None = None
        self.done, self.total = 0, 1  # batches done (the whole run, earlier sessions too), batches planned
        self.start_done = 0  # batches done before this session (a resumed run)
        self.start_epoch = 1
        self.epochs = 0  # planned (0: not known yet)
        self.epoch = 0  # the epoch being trained
        self.epochs_done = 0  # the last finished epoch
        self.batch, self.batches = 0, 0
        self.batches_per_epoch = 0
        self.speed = math.nan  # pictures per second: the newest batches', the run's own once it has finished
        self.trained: float | None = None  # a finished run's own training seconds, all sessions

    # -- what the run says ---------------------------------------------------------------------------
    def run_started(self, start_epoch: int, epochs: int, batches_per_epoch: int, before: float = 0.0) -> int:
        """The run trains epochs ``start_epoch``..``epochs`` of ``epochs``: the clock starts now, at ``before``
        seconds (what the earlier sessions trained, :func:`trained_before`). Returns the batches planned for the
        whole run."""
        self.start_epoch = start_epoch
        self.epochs = epochs
        self.batches = self.batches_per_epoch = batches_per_epoch
        self.total = max(1, epochs * batches_per_epoch)
        self.done = self.start_done = min(self.total, max(0, start_epoch - 1) * batches_per_epoch)
        self.epoch = min(start_epoch, max(epochs, 1))
        self.epochs_done = max(0, min(start_epoch - 1, epochs))
        self.batch = 0
        self.before = max(0.0, float(before))
        self.ended_at, self.trained = None, None
        self.t0 = self._now()
        return self.total

    def batch_end(self, epoch: int, batch: int, batches: int, images_per_second: float = math.nan) -> None:
        """Batch ``batch`` of ``batches`` of epoch ``epoch`` is done, the newest batches at ``images_per_second``."""
        self.epoch, self.batch, self.batches = epoch, batch, batches
        self.done = min(self.total, (epoch - 1) * batches + batch)
        if _positive(images_per_second):
            self.speed = float(images_per_second)

    def epoch_end(self, epoch: int) -> None:
        """Epoch ``epoch`` is finished (validated, saved)."""
        self.epochs_done = epoch

    def ended(self, trained: float | None = None, images_per_second: float | None = None) -> None:
        """The run ended (finished, stopped or failed): from now on the clock stands still and nothing is left
        (the child process may take a few seconds more to exit). Done is the epochs kept: the batches of an epoch
        a stop or a failure cut short are not (resuming trains that epoch again). A finished run passes its own
        figures (``RunFinished.train_seconds``, ``.images_per_second``): the line under the status then says what
        the finished line and the runs list say."""
        if self.ended_at is not None:
            return
        self.resumed()  # a pause the run ended in does not count
        self.ended_at = self._now()
        if self.epochs and self.batches_per_epoch:
            self.done = min(self.done, self.total, self.epochs_done * self.batches_per_epoch)
        if _positive(trained):
            self.trained = float(trained)
        if _positive(images_per_second):
            self.speed = float(images_per_second)

    def follow_pause(self, waiting: bool) -> bool:
        """At each look: ``waiting`` is whether the trainer waits, paused, now. The time it waits does not count;
        the clock goes on as soon as it trains again, whatever the button says. True when that changed."""
        if waiting == (self.paused_since is not None):
            return False
        if waiting:
            self.pause_seen()
        else:
            self.resumed()
        return True

    @property
    def paused(self) -> bool:
        """The trainer was seen waiting and not yet seen training again."""
        return self.paused_since is not None

    def pause_seen(self) -> None:
        """The trainer waits (paused): the time from now on does not count, until :meth:`resumed`."""
        if self.paused_since is None:
            self.paused_since = self._now()

    def resumed(self) -> None:
        if self.paused_since is not None:
            self.paused_total += self._now() - self.paused_since
            self.paused_since = None

    # -- what the page shows -------------------------------------------------------------------------
    def session_elapsed(self) -> float:
        """Seconds trained in this session, pauses left out (up to the end, once the run has ended)."""
        now = self._now() if self.ended_at is None else self.ended_at
        paused = self.paused_total + (now - self.paused_since if self.paused_since is not None else 0.0)
        return max(0.0, now - self.t0 - paused)

    def elapsed(self) -> float:
        """Seconds the run has trained, all sessions (a resumed run goes on from its earlier ones), pauses left
        out; a finished run's own figure."""
        return self.trained if self.trained is not None else self.before + self.session_elapsed()

    def eta(self, session_elapsed: float | None = None) -> float:
        """About how many seconds are left, from this session's speed (``session_elapsed``: its seconds, read now
        when None). NaN before :data:`ETA_AFTER_BATCHES` batches of this session, and once the run has ended."""
        if self.ended_at is not None:
            return math.nan
        elapsed = self.session_elapsed() if session_elapsed is None else session_elapsed
        trained = self.done - self.start_done
        if trained < ETA_AFTER_BATCHES:
            return math.nan
        return elapsed / trained * (self.total - self.done)

    def stats_parts(self, images_per_second: float | None = None, best: str = "") -> list[str]:
        """The words of the line under the status: epoch and batch, speed (``images_per_second``; None: the
        clock's own :attr:`speed`), elapsed, time left (while running and known), the best epoch; the empty ones
        left out."""
        if images_per_second is None:
            images_per_second = self.speed
        session = self.session_elapsed()
        eta = self.eta(session)
        epochs = (f"{self.epochs_done} of {self.epochs} epochs trained" if self.ended_at is not None and self.epochs
                  else self.epoch_text())  # ended: what was trained, not the epoch a stop cut short
        parts = [epochs,
                 f"{images_per_second:,.0f} pictures/s" if math.isfinite(images_per_second) else "",
                 f"elapsed {clock_text(self.elapsed())}",
                 f"about {clock_text(eta)} left" if math.isfinite(eta) and not self.finished else "", best]
        return [p for p in parts if p]

    @property
    def finished(self) -> bool:
        return self.done >= self.total

    def percent(self) -> int:
        return int(100 * self.done / self.total)

    def epoch_text(self) -> str:
        """ "16 of 40 epochs trained, epoch 17 at batch 3 of 10" ("" before the run has started): the epochs trained
        first, as the runs table's "16 / 40" (:meth:`table_epochs`) says them, then the epoch in progress."""
        if not self.epochs:
            return ""
        text = f"{self.epochs_done} of {self.epochs} epochs trained"
        if self.epochs_done < self.epoch <= self.epochs:  # an epoch in progress (not yet validated and saved)
            text += (f", epoch {self.epoch} at batch {self.batch} of {self.batches}" if self.batch
                     else f", epoch {self.epoch} starting")
        return text

    def table_epochs(self) -> str:
        """The runs table's epochs cell for this run while it trains: the epochs trained, as :meth:`epoch_text`
        begins ("16 / 40" and "16 of 40 epochs trained, epoch 17 at …")."""
        return epochs_cell(self.epochs_done, self.epochs)

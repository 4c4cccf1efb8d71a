"""The clock of a run as the Train page shows it (engine/train/clock.py), on a time the test moves."""

from __future__ import annotations

import math
import subprocess
import sys

from cnnstudio.engine.train.clock import RunClock, clock_text


class FakeTime:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_clock_text():
    assert clock_text(0) == "0:00" and clock_text(61.4) == "1:01" and clock_text(59.6) == "1:00"
    assert clock_text(3600) == "1:00:00" and clock_text(3 * 3600 + 62) == "3:01:02"
    assert clock_text(math.nan) == clock_text(math.inf) == clock_text(-1) == clock_text(None) == "–"


def test_loads_without_torch():
    code = "import sys; import cnnstudio.engine.train.clock; assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_progress_elapsed_and_time_left_without_the_pauses():
    now = FakeTime()
    c = RunClock(now)
    now.t += 5  # starting the child process does not count
    assert c.run_started(1, 2, 10) == 20 and (c.done, c.total) == (0, 20)
    assert c.elapsed() == 0.0 and math.isnan(c.eta())
    now.t += 2
    c.batch_end(1, 2, 10)
    assert c.done == 2 and math.isnan(c.eta())  # too few batches for an estimate
    now.t += 1
    c.batch_end(1, 3, 10)
    assert c.elapsed() == 3.0 and c.eta() == 3.0 / 3 * 17
    # a pause: the time the trainer waits is left out, also while it still waits
    c.pause_seen()
    now.t += 50
    c.pause_seen()  # seen again on the next tick: still counted from the first
    assert c.elapsed() == 3.0
    c.resumed()
    now.t += 1
    assert c.elapsed() == 4.0 and c.paused_total == 50.0
    c.resumed()  # no pause to end
    assert c.paused_total == 50.0
    c.batch_end(2, 10, 10)
    assert c.finished and c.eta(4.0) == 0.0


def test_a_resumed_run_counts_from_the_epoch_it_resumes_at():
    now = FakeTime()
    c = RunClock(now)
    assert c.run_started(4, 5, 8) == 16
    c.batch_end(4, 8, 8)
    c.batch_end(5, 1, 8)
    assert c.done == 9 and not c.finished
    assert c.run_started(3, 2, 8) == 1  # nothing left to train: never divides by zero
    c.reset()
    assert (c.done, c.total, c.start_epoch, c.paused_total, c.paused_since) == (0, 1, 1, 0.0, None)

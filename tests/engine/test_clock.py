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


def test_a_resumed_run_counts_the_whole_run_and_times_only_this_session():
    """Resumed at epoch 65 of 150: the bar starts at 64/150 (not 0 %), the time left comes from the new batches."""
    now = FakeTime()
    c = RunClock(now)
    assert c.run_started(65, 150, 10) == 1500
    assert (c.done, c.epochs_done, c.epoch) == (640, 64, 65) and c.percent() == 42
    assert c.epoch_text() == "64 of 150 epochs trained, epoch 65 starting" and c.table_epochs() == "64 / 150"
    assert math.isnan(c.eta())  # no batch of this session yet: no estimate from the earlier sessions
    for b in range(1, 5):
        now.t += 1
        c.batch_end(65, b, 10)
    assert c.done == 644 and c.epoch_text() == "64 of 150 epochs trained, epoch 65 at batch 4 of 10"
    assert c.eta() == 4.0 / 4 * (1500 - 644)
    c.epoch_end(65)
    assert c.table_epochs() == "65 / 150" and c.epoch_text() == "65 of 150 epochs trained"
    assert c.run_started(3, 2, 8) == 16 and c.finished  # nothing left to train: never divides by zero
    c.reset()
    assert (c.done, c.total, c.start_epoch, c.paused_total, c.paused_since) == (0, 1, 1, 0.0, None)
    assert c.epoch_text() == ""


def test_epochs_cell_and_preparing_words():
    from cnnstudio.engine.train.clock import epochs_cell, preparing

    assert epochs_cell(17, 40) == "17 / 40" and epochs_cell(40, 40, finished=True) == "40"
    assert epochs_cell(None, None) == "0" and epochs_cell(0, 40) == "0 / 40"
    assert preparing(3, 8) == ("Preparing the pictures: 3 of 8", 3, 8)
    text, value, maximum = preparing(0, 0)
    assert "0 of 0" not in text and (value, maximum) == (0, 0)  # an indeterminate bar, never "0 of 0"
    assert preparing(0, 0, "16 picture(s) from the cache")[0] == "16 picture(s) from the cache…"


def test_auto_is_said_before_start_by_the_trainers_own_rule():
    from cnnstudio.engine.train.settings import auto_epochs, auto_text, default_settings

    s = default_settings()  # 50 s, 3..40 epochs
    assert auto_epochs(s, 1000, 0, 100.0) == 5  # 10 s an epoch
    assert auto_epochs(s, 100, 30, 1000.0) == 40  # 0.11 s an epoch: capped
    assert auto_epochs(s, 10_000, 0, 10.0) == 3 and auto_epochs(s, 100, 0, 0.0) == 3
    text = auto_text(s, 100, 30, 1000.0)
    assert text.startswith("Auto: about 40 epochs, ~4 s (the most Auto trains")
    assert "about 5 epochs, ~50 s" in auto_text(s, 1000, 0, 100.0)
    # an estimate from the last run's speed: Start re-times and decides, within the rule's range, and says so
    assert auto_text(s, 1000, 0, 100.0).endswith("An estimate: Start times a few batches first and then decides, "
                                                 "so it may train more or fewer (3 to 40).")
    assert "chosen after timing a few batches" in auto_text(s, 100, 30, None)


def test_planned_pictures_follow_the_splits_start_would_use():
    from cnnstudio.engine.train.settings import planned_pictures

    assert planned_pictures({1: {"train": 40, "val": 10, "test": 5}, 2: {"train": 40, "val": 10}, None: {None: 9}}) \
        == (80, 20)
    # unsplit: Start splits each class 70/15/15 (34/8/8 of 50), not the total (70/15 of 100)
    assert planned_pictures({1: {None: 50}, 2: {None: 50}}) == (68, 16)
    assert planned_pictures({1: {None: 3}, 2: {None: 3}}) == (6, 0)  # classes of 3 keep all for training
    assert planned_pictures({1: {"train": 100}}) == (85, 15)  # no validation pictures: 15 % held out
    # ... of each class of 5 or more: classes of 4 give none (it said 10 and 2), 10 classes of 6 one each (51 and 9)
    assert planned_pictures({1: {"train": 4}, 2: {"train": 4}, 3: {"train": 4}}) == (12, 0)
    assert planned_pictures({c: {"train": 6} for c in range(10)}) == (50, 10)
    assert planned_pictures({1: {"train": 100}}, validation=False) == (100, 0)


def test_once_the_run_has_ended_the_clock_stands_still_and_nothing_is_left():
    """Stopped (or finished, or failed): the line under the status keeps no "left", and the seconds the child
    process takes to exit do not count."""
    now = FakeTime()
    c = RunClock(now)
    c.run_started(1, 15, 10)
    for b in range(1, 8):
        now.t += 1
        c.batch_end(1, b, 10)
    assert c.eta() == 7.0 / 7 * (150 - 7) and any(p.endswith(" left") for p in c.stats_parts(12.0, "best epoch 1"))
    c.pause_seen()
    now.t += 30  # stopped while paused: the pause is left out
    c.ended()
    now.t += 5  # the child process exits
    c.ended()  # said twice (the event, then the thread's end): still the first
    assert c.elapsed() == 7.0 and math.isnan(c.eta())
    parts = c.stats_parts(12.0, "best epoch 1")
    assert parts == ["0 of 15 epochs trained", "12 pictures/s", "elapsed 0:07", "best epoch 1"]
    assert not any("left" in p for p in parts)
    c.reset()
    assert c.ended_at is None and c.before == 0.0


def test_elapsed_goes_on_from_the_earlier_sessions_of_a_resumed_run():
    from cnnstudio.engine.train.clock import trained_before

    metrics = [{"epoch": 1, "elapsed": 3.0}, {"epoch": 2, "elapsed": 6.5}, {"epoch": 3, "elapsed": 9.0}]
    assert trained_before(metrics, 3) == 6.5  # resumed at epoch 3: what epochs 1..2 took
    assert trained_before(metrics, 1) == 0.0 and trained_before([], 5) == 0.0
    assert trained_before([{"epoch": 1, "elapsed": math.nan}, {"epoch": "x"}], 2) == 0.0
    now = FakeTime()
    c = RunClock(now)
    c.run_started(3, 10, 4, before=6.5)
    assert c.elapsed() == 6.5 and c.session_elapsed() == 0.0
    for b in range(1, 5):
        now.t += 1
        c.batch_end(3, b, 4)
    assert c.elapsed() == 10.5
    assert c.eta() == 4.0 / 4 * (40 - 12)  # the time left: this session's speed only
    assert "elapsed 0:10" in c.stats_parts()  # 10.5 s, rounded half to even


def test_the_clock_follows_the_trainer_not_the_button_after_continue():
    """Continue is pressed, the next look still finds the trainer waiting (it goes on a moment later): the clock
    stays stopped only until a look finds it training again, then counts (it once stood at 0:11 to the end)."""
    now = FakeTime()
    c = RunClock(now)
    c.run_started(1, 4, 10)
    now.t += 11
    assert c.follow_pause(True) and c.paused  # paused at 0:11
    now.t += 20
    assert not c.follow_pause(True)  # Continue pressed; this look still finds the trainer waiting
    now.t += 0.5
    assert c.follow_pause(False) and not c.paused  # the trainer trains again
    now.t += 29
    assert c.elapsed() == 40.0 and c.paused_total == 20.5
    assert not c.follow_pause(False)


def test_a_run_that_ended_unfinished_counts_its_kept_epochs_and_a_finished_one_its_own_figures():
    """Stopped half-way through epoch 2 of 12: the bar says 1 of 12 (8 %), as "1 of 12 epochs trained" does, not
    the batches of the epoch the stop threw away. Finished: elapsed and speed are the run's own (what the finished
    line and the runs list say), not the newest batches' speed."""
    now = FakeTime()
    c = RunClock(now)
    c.run_started(1, 12, 10)
    for b in range(1, 11):
        now.t += 1
        c.batch_end(1, b, 10, 300.0)
    c.epoch_end(1)
    for b in range(1, 6):
        c.batch_end(2, b, 10, 404.0)
    assert c.done == 15
    c.ended()
    assert c.done == 10 and c.percent() == 8 and c.stats_parts()[0] == "1 of 12 epochs trained"
    c.run_started(6, 6, 10, before=30.0)  # resumed, then failed before its first epoch: 5 of 6 kept
    c.batch_end(6, 3, 10)
    c.ended()
    assert c.done == 50 and c.percent() == 83

    c.reset()
    c.run_started(1, 4, 10)
    for e in range(1, 5):
        for b in range(1, 11):
            now.t += 0.25
            c.batch_end(e, b, 10, 404.0)
        c.epoch_end(e)
    assert "404 pictures/s" in c.stats_parts()
    now.t += 3  # the final evaluation
    c.ended(trained=9.6, images_per_second=122.0)
    assert c.done == c.total and c.elapsed() == 9.6
    assert c.stats_parts() == ["4 of 4 epochs trained", "122 pictures/s", "elapsed 0:10"]
    c.run_started(1, 2, 10)  # a new session: its own clock again
    assert c.trained is None and c.elapsed() == 0.0


def test_the_status_line_and_the_runs_table_say_the_same_epochs():
    """QA F-8: the line under the status said "Epoch 3 of 36" while the runs table said "2 / 36" (two epochs
    trained, the third in progress). Both now begin with the epochs trained; the line then names the one in
    progress."""
    c = RunClock(FakeTime())
    c.run_started(1, 36, 10)
    for epoch in (1, 2):
        for b in range(1, 11):
            c.batch_end(epoch, b, 10)
        c.epoch_end(epoch)
    c.batch_end(3, 5, 10)
    assert c.table_epochs() == "2 / 36"
    assert c.epoch_text() == "2 of 36 epochs trained, epoch 3 at batch 5 of 10"
    assert c.stats_parts()[0] == c.epoch_text()
    c.epoch_end(3)  # validated and saved, the next batch not begun
    assert c.table_epochs() == "3 / 36" and c.epoch_text() == "3 of 36 epochs trained"

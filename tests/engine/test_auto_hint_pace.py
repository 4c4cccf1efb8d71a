"""Auto's hint before Start and a run's own words agree (QA 5: "as many as fit in about 50 s (3 to 40)", a run of 15
epochs in 29 s, and straight after the hint "about 40 epochs, ~33 s"): the hint reads the last run's whole time per
epoch, not its training steps' pictures/s, and the report says the count was fixed from batches timed before the run."""

from __future__ import annotations

from cnnstudio.engine.runs.auto_time import auto_hint, run_pace
from cnnstudio.engine.runs.settings_words import epochs_text
from cnnstudio.engine.train.settings import default_settings


def test_the_hint_after_15_epochs_in_29_s_says_what_fits_at_that_pace():
    s = default_settings()
    assert (s.epochs, s.time_budget_s, s.min_epochs, s.max_epochs) == (0, 50.0, 3, 40)
    summary = {"epochs": 15, "train_seconds": 29.0, "images_per_second": 2_000.0}  # steps only: fast
    pace = run_pace(summary)
    assert pace == (15, 29.0)
    hint = auto_hint(s, 1_259, 269, pace)
    # 29 s / 15 = 1.93 s an epoch: 25 epochs fit 50 s (48 s), whatever the steps' pictures/s said
    assert hint.startswith("Auto: about 25 epochs, ~48 s, at the pace of the last run of this design (15 epochs in "
                           "29 s).")
    assert "may train more or fewer (3 to 40)" in hint
    assert auto_hint(s, 1_259, 269, (40, 8.0)).startswith("Auto: about 40 epochs, ~8 s (the most Auto trains")
    assert auto_hint(s, 1_259, 269, None).startswith("Auto: as many epochs as fit in about 50 s (3 to 40)")
    assert run_pace({"epochs": 0, "train_seconds": 3.0}) is None and run_pace({"epochs": 4}) is None


def test_the_report_says_the_count_was_fixed_before_the_run():
    st = {"epochs": 0, "time_budget_s": 50.0, "min_epochs": 3, "max_epochs": 40}
    assert epochs_text(st, {"epochs": 15, "train_seconds": 29.2}) == (
        "Auto (15 trained in 29 s): as many as fit in about 50 s (3 to 40), counted from a few batches timed before "
        "the run")
    assert epochs_text(st, {"epochs": 7}) == "Auto (7 trained): as many as fit in about 50 s (3 to 40)"
    assert epochs_text(st, {"epochs": 7, "train_seconds": float("nan")}) == (
        "Auto (7 trained): as many as fit in about 50 s (3 to 40)")


def test_one_quick_epoch_is_said_in_the_words_of_a_count_and_never_0_s():
    """QA: "(1 epochs in 0 s)" after a one-epoch run that took 0.3 s."""
    s = default_settings().replace(min_epochs=1)
    hint = auto_hint(s, 1_259, 269, (1, 0.3))
    assert "(1 epoch in under 1 s)" in hint and "0 s" not in hint and "1 epochs" not in hint
    assert "~under" not in hint
    one = default_settings().replace(min_epochs=1, max_epochs=1)
    assert auto_hint(one, 1_259, 269, (1, 30.0)).startswith("Auto: about 1 epoch, ~30 s (the most Auto trains")

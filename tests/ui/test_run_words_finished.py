"""The Train page's finished line and best-epoch words (Qt-free): the validation score only (test pictures are for
the end: journey QA #7), every share written by the one percent rule (#15: never "100.0%" beside "100%"), and an
Auto run that used a tenth of its time says so, with the window's way to use it (#4)."""

from __future__ import annotations

import math

from cnnstudio.engine.events import EpochEnd, RunFinished
from cnnstudio.engine.train.settings import default_settings
from cnnstudio.engine.use.figures import percent
from cnnstudio.ui.train.run_words import best_epoch_text, finished_text

SUMMARY = {"images": {"val": 271, "test": 271}, "device": "CPU (2 threads)"}
AUTO = {"settings": default_settings().to_json()}  # Auto: 50 s, 3 to 40 epochs


def test_the_finished_line_keeps_the_test_score_for_the_end():
    ev = RunFinished("r1", 11, 11, 1.0, 39.0, 377.0, test_accuracy=0.996)
    line = finished_text(ev, SUMMARY, AUTO)
    assert line.startswith("Finished: best epoch 11 of 11, validation accuracy 100% (99–100%), 377 pictures/s.")
    assert "test" not in line.lower() and "Auto" not in line  # 39 s of 50: Auto used its time


def test_the_best_epoch_is_written_by_the_one_percent_rule():
    best = EpochEnd(11, 11, 0.3, 0.99, 0.1, 1.0, 39.0, 0.0, True)
    assert best_epoch_text(best) == "best epoch 11 (validation accuracy 100%)"  # not "100.0%"
    almost = EpochEnd(4, 11, 0.3, 0.99, 0.1, 0.9996, 9.0, 20.0, True)
    assert best_epoch_text(almost) == f"best epoch 4 (validation accuracy {percent(0.9996)})" == \
        "best epoch 4 (validation accuracy > 99.9%)"
    no_val = EpochEnd(2, 3, 0.3, 0.875, math.nan, math.nan, 2.0, 1.0, True)
    assert best_epoch_text(no_val) == "best epoch 2 (training accuracy 87.5%)"


def test_an_auto_run_that_used_a_tenth_of_its_time_says_so():
    ev = RunFinished("r2", 6, 6, 1.0, 5.0, 1709.0)
    line = finished_text(ev, SUMMARY, AUTO)
    assert line.endswith("Auto chose 6 epochs after a slow first timing: they took 5.0 s of the about 50 s it may "
                         "use, and about 40 fit at this run's pace. Press Start again for a new timing, or set Epochs "
                         "to 40 to use that time.")
    assert "Auto" not in finished_text(ev, SUMMARY)  # without the run's config: nothing to say
    told = {"settings": default_settings().replace(epochs=6).to_json()}
    assert "Auto" not in finished_text(ev, SUMMARY, told)
    early = RunFinished("r3", 6, 3, 1.0, 5.0, 1709.0, reason="early_stopping")
    assert "Auto" not in finished_text(early, SUMMARY, AUTO)  # early stopping ended it, not the timing


def test_a_run_clicked_in_the_list_ends_as_it_did_when_it_finished():
    """One rule (finished_head): the line said the moment a run ends and the line of the same run clicked in the
    runs list later read the same up to the score; only the words true at that moment (its speed, which network the
    Evaluate and Predict pages use now) are the finished line's alone."""
    from cnnstudio.project.run_records import RunInfo
    from cnnstudio.ui.train.kept_run import shown_line

    summary = {**SUMMARY, "best_epoch": 7, "epochs": 10, "val_accuracy": 0.921, "reason": "early_stopping"}
    ev = RunFinished("r3", 10, 7, 0.921, 12.0, 1709.0, reason="early_stopping")
    head = ("Finished (stopped early: no more progress): best epoch 7 of 10, validation accuracy "
            "92.1% (88–95%)")
    me = RunInfo("r3", "Small VGG · 10 epochs", 1.0, "finished", {}, summary, "")
    assert finished_text(ev, summary, None, me).startswith(head + ", 1,709 pictures/s. It is the best run on "
                                                           "validation")
    assert shown_line(RunInfo("r3", "Small VGG · 10 epochs", 1.0, "finished", {}, summary, "")) == (
        f"Shown: “Small VGG · 10 epochs”. {head}.")


def test_a_fine_tuning_that_did_not_beat_its_head_says_so_in_the_finished_line():
    """RunFinished.note (a frozen backbone's fine-tuning kept the head's weights) follows the scores; a run's
    summary's ``end_note`` says it when the event has none (a resumed run's end read from its record)."""
    from cnnstudio.engine.runs.frozen_run import kept_head_words

    note = kept_head_words(7)
    line = finished_text(RunFinished("r3", 9, 7, 0.95, 40.0, 100.0, note=note), SUMMARY, AUTO)
    assert line.startswith(f"Finished: best epoch 7 of 9, validation accuracy 95.0% (92–97%), 100 pictures/s. {note}")
    line = finished_text(RunFinished("r3", 9, 7, 0.95, 40.0, 100.0), {**SUMMARY, "end_note": note}, AUTO)
    assert f"100 pictures/s. {note}" in line
    assert note not in finished_text(RunFinished("r3", 9, 7, 0.95, 40.0, 100.0), SUMMARY, AUTO)

"""The Tune page's words for a beginner: the budget in view on a small screen, counts with their plural, the
search's progress while it runs, and a stopped search said as it is (Stop's tooltip, the table, the result)."""

from __future__ import annotations

import math

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication

from cnnstudio.engine.tune.events import StudyEnded, StudyStarted, TrialEnded, TrialStarted
from cnnstudio.ui.colours import note_colours
from cnnstudio.ui.tune.tune_state import TuneState, counts_text, left_text, study_label
from tests.ui.test_training_view import make_project


def _open_tune(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(3)
    page = window.workspace.tune_page
    qtbot.waitUntil(page.isVisible)
    return page


def test_the_budget_is_in_view_on_a_small_screen_and_says_1_epoch(window, qtbot, tmp_path):
    page = _open_tune(window, qtbot, tmp_path)
    window.resize(1024, 614)
    QApplication.processEvents()
    form = page.form
    qtbot.waitUntil(lambda: form.viewport().height() < 614)
    view = form.viewport().rect()
    assert form.verticalScrollBar().value() == 0
    for w in (form.use_trials, form.trials, form.use_minutes, form.minutes, form.epochs):
        where = QRect(w.mapTo(form.viewport(), w.rect().topLeft()), w.size())
        assert view.contains(where), (w, where, view)  # how long a search runs: seen without scrolling
    form.epochs.setValue(1)
    form.minutes.setValue(1)
    assert form.epochs.text() == "1 epoch" and form.minutes.text() == "1 minute"
    form.epochs.setValue(3)
    form.minutes.setValue(15)
    assert form.epochs.text() == "3 epochs" and form.minutes.text() == "15 minutes"
    form.epochs.setValue(0)
    assert form.epochs.text() == "Auto (as the Train page)"


def test_a_search_stopped_before_any_trial_finished_is_said_as_it_is(window, qtbot, tmp_path):
    page = _open_tune(window, qtbot, tmp_path)
    tip = page.stop_button.toolTip()
    assert "shown as stopped" in tip and "failed" not in tip
    page._on_event(StudyStarted("tune-20261201-215304", "journal", {"epochs": 1, "params": {}}, "accuracy", True, 0))
    page._on_event(TrialStarted(0, "run0", {"lr": 0.003}))
    page._on_event(TrialEnded(0, "run0", "failed", math.nan, math.nan, 1000, 2.0, {"lr": 0.003}, "stopped",
                              stopped=True))
    summary = {"trials": 1, "complete": 0, "pruned": 0, "failed": 1, "stopped": 1, "best": None,
               "said": "No trial finished, so this search has no best settings to offer."}
    page._on_event(StudyEnded("stopped", summary))
    m = page.table_model
    assert m.data(m.index(0, 0)) == "1" and m.data(m.index(0, 1)) == "stopped"  # as Stop's tooltip says
    assert page.status.text() == ("The search ended (stopped). 1 trial: 0 finished, 0 stopped early, 1 "
                                  "stopped, 0 failed. Continue carries on the same search.")
    assert page.result.isVisible() and "yet" not in page.result.text()
    style = page.result.label.styleSheet()
    assert note_colours("neutral", page)[0] in style and note_colours("ok", page)[0] not in style

    page._on_event(StudyEnded("trials", {**summary, "complete": 1, "best": {"number": 0}, "said": "Best: trial 1."}))
    assert note_colours("ok", page)[0] in page.result.label.styleSheet()  # a result: a success's colours


def test_a_running_searchs_progress_and_counts_in_words():
    state = TuneState()
    state.set_budget(20, 15.0)
    state.apply(StudyStarted("s", "journal", {"epochs": 2, "params": {}}, "accuracy", True, 0))
    for n, end in ((0, "complete"), (1, "pruned"), (2, "failed")):
        state.apply(TrialStarted(n, f"r{n}", {}))
        state.apply(TrialEnded(n, f"r{n}", end, 0.5, 0.5, 10, 1.0, {}))
    state.apply(TrialStarted(3, "r3", {}))
    # a failed trial is not counted against the budget, as the engine counts
    assert state.progress_text(150.0) == "Trial 4 is training: 2 of 20 trials done, 12 min 30 s left of 15 minutes."
    assert state.progress_text(2000.0).endswith("0 s left of 15 minutes.")
    state.set_budget(None, 1.0)
    assert state.progress_text(15.4) == "Trial 4 is training: 2 trials done, 44 s left of 1 minute."
    state.set_budget(5, None)
    assert state.progress_text(None) == "Trial 4 is training: 2 of 5 trials done."
    assert [left_text(s) for s in (0.4, 59.9, 60, 3725)] == ["0 s", "59 s", "1 min 00 s", "1 h 02 min"]
    assert study_label({"study": "s", "trials": 1}) == "Search s (1 trial)"
    assert study_label({"study": "s", "trials": 2, "best_val_accuracy": 0.9}) == "Search s (2 trials, best 90.0%)"
    # one name for a search, as the Train page's runs list and its runs' names say it
    assert study_label({"study": "tune-20261202-134857", "trials": 3}) == "Search 2 Dec 13:48:57 (3 trials)"
    assert counts_text({"trials": 1, "complete": 1}).startswith("1 trial: 1 finished")


def test_the_starting_line_says_once_which_batch_sizes_are_above_the_training_pictures(window, qtbot, tmp_path):
    """QA: batch sizes 32/64/128 searched with 34 training pictures. The line before Start says what the search
    leaves out, once, and what the starting trial then uses, as the engine does (space.batch_cap)."""
    from cnnstudio.engine.data.planned_pictures import planned_pictures
    from cnnstudio.engine.train.settings import TrainSettings
    from cnnstudio.engine.tune.space import default_space
    from cnnstudio.ui.tune.start_words import starting_text

    space = default_space(True)  # batch sizes 32, 64, 128
    said = starting_text(True, TrainSettings(lr=0.003, batch_size=64, optimizer="adamw"), space, train_pictures=34)
    assert said.count("left out") == 1 and said.endswith(
        "The Train page's batch size 64 is not among those searched (32): the starting trial uses 32. Batch sizes 64 "
        "and 128 are left out of the search: a trial trains on 34 pictures, fewer than such a batch holds.")
    assert "left out" not in starting_text(True, TrainSettings(), space, train_pictures=500)

    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(3)
    page = window.workspace.tune_page
    qtbot.waitUntil(page.isVisible)
    page.form.set_space(space)
    page._show_starting()
    train = planned_pictures(page.session.project.counts()).train
    assert train < 64 and f"a trial trains on {train} pictures" in page.starting.text()


def test_a_batch_size_left_out_of_the_search_is_unticked_and_greyed_as_the_line_says(window, qtbot, tmp_path):
    """QA (beginner, shot 44): "Batch size 128 is left out of the search" while its box stayed ticked. A batch size
    the search leaves out is unticked and greyed, why its tooltip; the user's tick is kept and comes back with the
    pictures, and the space asked does not change."""
    from cnnstudio.engine.data.planned_pictures import planned_pictures
    from cnnstudio.engine.tune.space import default_space

    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(3)
    page = window.workspace.tune_page
    qtbot.waitUntil(page.isVisible)
    page.form.set_space(default_space(True))  # batch sizes 32, 64, 128
    train = planned_pictures(page.session.project.counts()).train
    assert train < 32
    boxes = page.form.rows["batch_size"].choices
    left = [c for c in (64, 128) if not boxes[c].isChecked() and not boxes[c].isEnabled()]
    assert left == [64, 128] and "left out of the search" in page.starting.text()
    assert boxes[32].isChecked() and boxes[32].isEnabled()  # the smallest is always kept
    assert boxes[128].toolTip() == (f"Left out of the search: a trial trains on {train} pictures, fewer than a batch "
                                    "of 128 holds.")
    assert page.form.space()["params"]["batch_size"] == {"choices": [32, 64, 128]}  # the user's ticks kept
    page.form.set_left_out("batch_size", {})  # the pictures would hold them again: ticked as they were
    assert all(b.isChecked() and b.isEnabled() for b in boxes.values()) and boxes[128].toolTip() == ""

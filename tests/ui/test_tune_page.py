"""The Tune page: a real study (Optuna, real runs) in a child process on a tiny project, stopped, continued, used.

The slow test runs two study processes (a few seconds each to start PyTorch); the others feed the page's
Qt-free state with the engine's own event dataclasses and check the form, the table and the plots.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from cnnstudio.engine.tune.events import StudyEnded, StudyStarted, TrialEnded, TrialEpoch, TrialStarted
from cnnstudio.ui.sentence import sentence
from cnnstudio.ui.tune.study_inputs import CHANGED_FORM
from cnnstudio.ui.tune.tune_state import (TuneState, form_settings, number_text, parse_number, state_text,
                                          trials_budget, unique_name)
from tests.ui.test_training_view import make_project, tiny_design

SPACE = {"epochs": 2, "params": {"lr": {"low": 1e-3, "high": 3e-2, "log": True}, "blocks": {"low": 1, "high": 2}}}


def built_in_design(window) -> None:
    """The built-in design on 8x8 grey pictures, no augmentation: its structure can be searched."""
    designer = window.workspace.model_page
    designer.tabs.preprocess_panel.set_values(8, 8, 1, "squash", "unit")
    designer.apply_preset("default")
    designer.tabs.augment_panel.off.click()
    assert designer.is_valid(), designer.reason()


def open_tune(window, qtbot, tmp_path, design=built_in_design):
    assert window.open_project(make_project(tmp_path))
    design(window)
    window.workspace.train_page.settings_form.batch_size.setValue(4)
    window.workspace.show_step(3)
    page = window.workspace.tune_page
    qtbot.waitUntil(page.isVisible)  # a page built on first show is shown by Qt's next round of events
    page.threads = 1
    return page


def _statuses(page) -> list[str]:
    m = page.table_model
    return [m.data(m.index(r, 1)) for r in range(m.rowCount())]


# --------------------------------------------------------------------------------------------------------
def test_a_study_shows_its_trials_stops_continues_and_its_settings_go_to_train(window, qtbot, tmp_path):
    from cnnstudio.engine.runs.lifecycle import read_config

    from cnnstudio.engine.tune.events import FinalEnded, FinalEpoch, FinalStarted
    from cnnstudio.project import ImageFilter

    page = open_tune(window, qtbot, tmp_path)
    project = window.session.project
    project.set_split(project.ids(ImageFilter(split="val")), "train")  # trials hold pictures out: a final run
    train_all = len(project.ids(ImageFilter(split="train")))
    assert window.workspace.nav.item(3).text().endswith("Tune")
    assert page.form.structure_allowed and "built-in design" in page.starting.text()
    page.form.set_space(SPACE)
    page.form.set_budget(2, None)
    page.form.pruning.setChecked(False)
    assert page.start_button.isEnabled(), page.reason()

    seen = []  # what the table shows when each trial ends, while the study still runs

    train_page = window.workspace.train_page

    final_status, final, progress = [], [], []

    def on_event(ev):
        if isinstance(ev, (FinalStarted, FinalEpoch)):
            final_status.append(page.status.text())
        if isinstance(ev, FinalEnded):
            final.append(ev)
        if isinstance(ev, TrialEpoch):  # which trial, counted from 1, and how far the budget is spent
            progress.append(page.status.text())
        if isinstance(ev, TrialEnded):
            seen.append((ev.number, _statuses(page), page.running))
            # one thing trains at a time: the Train page's Start waits for the search, and says why
            assert not train_page.start_button.isEnabled() and "Tune page" in train_page.reason()

    with qtbot.waitSignal(page.study_ended, timeout=120_000) as blocker:
        page.start_button.click()
        page.thread.yielded.connect(on_event)
    ev = blocker.args[0]
    assert isinstance(ev, StudyEnded) and ev.reason == "trials", page.failure.text()
    assert seen == [(0, ["finished"], True), (1, ["finished", "finished"], True)]
    assert progress[0] == "Trial 1 is training: 0 of 2 trials done." and progress[-1] == (
        "Trial 2 is training: 1 of 2 trials done."), progress
    study = page.state.study
    assert page.study_list.names() == [study] and page.study_list.chosen() == study
    from cnnstudio.engine.tune.words import search_name

    assert page.study_list.combo.currentText().startswith(f"{search_name(study)} (2 trials, best ")  # one name
    assert page.result.isVisible() and page.result.text().startswith("Best: trial")
    # then the best settings on every training picture: said while it trains, in the result, in the runs list
    assert final and final[0].state == "finished" and "trained on every training picture" in page.result.text()
    assert final_status and final_status[-1].startswith("Training the best settings on all training pictures")
    assert f"on all {train_all:,} training pictures" in final_status[0]  # said when it starts
    m = page.table_model
    assert m.data(m.index(0, 0)).endswith("(start)")
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    assert headers == ["Trial", "Status", "Validation accuracy", "Learning rate", "Network depth", "Time"]
    tip = m.data(m.index(0, 2), Qt.ItemDataRole.ToolTipRole)  # the score's 95% range, on its validation pictures
    assert "validation pictures" in tip and "%)" in tip and m.data(m.index(0, 2)) in tip and "very likely (95%)" in tip
    assert not page.running and page.continue_button.isEnabled()
    train = window.workspace.train_page
    assert train.reason() == "" and train.start_button.isEnabled()
    for row in page.state.rows.values():  # every trial is an ordinary run, in the runs list
        assert train.runs.run_info(row["run"]) is not None
    assert train.runs.run_info(final[0].run_id) is not None and len(page.state.rows) == 2
    header = train.runs.table.item(0, 0).text()  # the search's runs counted as the Tune page counts them
    assert header.startswith(f"{search_name(study)}: 2 trials and the final run, best validation"), header
    # one line names the search's model, and "Use these settings" points at it
    model_name = train.runs.run_info(final[0].run_id).name
    assert page.final_line.isVisible() and page.final_line.text() == (
        f"The search's model: {model_name}; look at its test score on the Evaluate page with “Test pictures”.")
    assert "on the test pictures" not in page.result.text()  # its test score: looked at once, on purpose
    assert f"The search's model, {model_name}," in page.use_button.toolTip()
    assert page.form.final.isEnabled()  # no validation pictures now: the last run can happen

    # what Continue carries on from: the study's own space, the built-in design and the starting settings
    from cnnstudio.engine.tune.overview import study_base

    base = study_base(project, page.state.study)
    assert base["preset"] == "default" and base["spec"] is None and base["space"] == {"epochs": 2,
                                                                                      "params": SPACE["params"]}
    assert base["settings"]["batch_size"] == 4 and base["objective"] == "accuracy"

    # the searched design of trial 2 on the Model page: the built-in design as the search changed it, not "your own"
    page.table.select_number(1)
    page.use_button.click()
    assert page.state.rows[1]["params"]["blocks"] != 3 and not page.form.structure_allowed
    assert "the built-in design as a search changed it" in page.starting.text()
    assert "your own design" not in page.starting.text()

    # Continue: the same study, one more trial, stopped as it starts. It carries on the search as it was (its space,
    # design base and 2 epochs per trial), whatever the form and the pages say now; a changed form is said to be
    # for a new search
    page.form.epochs.setValue(200)
    assert CHANGED_FORM in page.starting.text() and page.continue_button.isEnabled()
    page.form.set_budget(1, None)
    started = []

    def stop_in_trial(ev):
        if isinstance(ev, StudyStarted):
            started.append(ev)
        if isinstance(ev, TrialStarted) and ev.number == 2 and page.stop_button.isEnabled():
            started.append(ev)
            page.stop_button.click()

    with qtbot.waitSignal(page.study_ended, timeout=120_000) as blocker:
        page.continue_button.click()
        page.thread.yielded.connect(stop_in_trial)
    ev = blocker.args[0]
    # 2 epochs of 8x8 pictures may end before the stop lands: then the study ends as its budget is done
    assert isinstance(ev, StudyEnded) and ev.reason in ("stopped", "trials")
    assert started[0].study == study and started[0].trials_before == 2
    assert started[0].space == {"epochs": 2, "params": SPACE["params"]}, started[0].space
    assert set(started[1].params) == {"lr", "blocks"}  # the structure is still searched, from the built-in design
    third = _statuses(page)[2]  # 2 epochs of 8x8 pictures may end before the stop lands
    assert _statuses(page)[:2] == ["finished", "finished"] and third in ("stopped", "finished")
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    assert headers == ["Trial", "Status", "Validation accuracy", "Learning rate", "Network depth", "Time"]
    assert page.study_list.names() == [study]

    # "Use these settings": trial 1's settings on the Train page, its design on the Model page
    page.table.select_number(1)
    assert page.use_button.isEnabled()
    page.use_button.click()
    cfg, settings = read_config(window.session.project, page.state.rows[1]["run"])
    form = train.settings_form
    assert math.isclose(form.lr.value(), settings.lr, abs_tol=1e-5) and settings.lr != 0.003
    assert form.epochs.value() == 0 and form.batch_size.value() == 4  # the Train page keeps its Auto epochs
    assert window.workspace.model_page.spec().to_json() == cfg["spec"]

    # the study is read back when the project is opened again
    root = window.session.project.root
    assert window.open_project(root)
    window.workspace.show_step(3)
    again = window.workspace.tune_page
    assert again.study_list.names() == [study]
    qtbot.waitUntil(lambda: again.state.study == study, timeout=30_000)  # read in a thread
    assert _statuses(again) == ["finished", "finished", third]
    assert again.result.text().startswith("Best: trial")

    # open for viewing only: "Use these settings" is off and says why
    from tests.ui.test_read_only_pages import _open_read_only

    _open_read_only(window, root)
    window.workspace.show_step(3)
    viewing = window.workspace.tune_page
    qtbot.waitUntil(lambda: viewing.state.study == study, timeout=30_000)
    viewing.table.select_number(0)
    assert not viewing.use_button.isEnabled() and not viewing.use_settings()
    assert viewing.use_button.toolTip() == sentence(window.workspace.train_page.settings_form.read_only)


def test_the_beginners_button_and_a_refused_search(window, qtbot, tmp_path, monkeypatch):
    from cnnstudio.engine.tune.space import default_space
    from cnnstudio.ui.tune import tune_page

    monkeypatch.setattr(tune_page, "QUICK_MINUTES", 7)  # the search's time: the button says the one it gives
    page = open_tune(window, qtbot, tmp_path)
    b = page.quick_button
    assert (b.long_text, b.short_text) == ("Find better settings (7 minutes)", "Find better (7 min)")
    assert "tries many settings for 7 minutes," in b.toolTip()
    page.form.set_space(SPACE)
    from tests.ui.test_tune_quick import _answer

    asked = []
    _answer(asked, go=True)  # the form holds the user's choices: it asks once before putting the usual ones back
    with qtbot.waitSignal(page.study_ended, timeout=60_000) as blocker:
        page.quick_button.click()  # the usual search for its minutes; stopped before its first trial
        assert page.running and not page.start_button.isEnabled()
        page.stop_button.click()
    assert isinstance(blocker.args[0], StudyEnded) and blocker.args[0].reason == "stopped"
    assert page.form.space() == default_space(True) and page.form.budget() == (None, 7.0)
    assert page.study_list.names() == [page.state.study] and page.start_button.isEnabled()

    # validation switched off on the Train page: no search starts, and the page says why before Start is pressed
    window.workspace.train_page.settings_form.no_validation.setChecked(True)
    assert not page.start_button.isEnabled() and not page.quick_button.isEnabled()
    assert page.blocked_box.isVisible() and "validation is switched off" in page.blocked_label.text()
    assert page.blocked_button.text() == "Go to the Train page"
    assert not page.start() and page.failure.isVisible() and "Switch it back on" in page.failure.text()
    with qtbot.waitSignal(page.go_to_step) as went:
        page.blocked_button.click()
    assert went.args == ["train"] and window.workspace.nav.currentRow() == 2
    window.workspace.train_page.settings_form.no_validation.setChecked(False)
    assert page.start_button.isEnabled() and not page.blocked_box.isVisible()


def test_the_beginners_button_keeps_whole_words_in_a_narrow_window(window, qtbot, tmp_path):
    page = open_tune(window, qtbot, tmp_path)
    b = page.quick_button
    assert (b.long_text, b.short_text) == ("Find better settings (15 minutes)", "Find better (15 min)")
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: b.text() == "Find better settings (15 minutes)")
    assert b.width() >= b._needed(b.text())
    window.resize(400, 300)  # as narrow as the window goes: the short words, whole, never cut at both ends
    qtbot.waitUntil(lambda: window.width() < 1280)
    assert window.width() <= 1120, window.minimumSizeHint()  # the plots give way (three at 220 px kept it 1,229)
    qtbot.waitUntil(lambda: b.text() == b.short_text)  # squeezed by the narrowest window: the short words, whole
    assert b.width() >= b._needed(b.text()) and "15 minutes" in b.toolTip()
    window.resize(1280, 800)  # room again: the long words come back
    qtbot.waitUntil(lambda: b.text() == b.long_text)

    from cnnstudio.ui.fitting_button import FittingButton

    alone = FittingButton("Find better settings (15 minutes)", "Find better (15 min)")
    qtbot.addWidget(alone)
    alone.show()
    alone.resize(alone._needed(alone.short_text) + 4, 40)  # squeezed (a window forced narrower than it wants)
    qtbot.waitUntil(lambda: alone.text() == "Find better (15 min)")
    assert alone.minimumSizeHint().width() <= alone._needed(alone.short_text)
    alone.resize(alone._needed(alone.long_text), 40)
    qtbot.waitUntil(lambda: alone.text() == "Find better settings (15 minutes)")


def test_an_empty_project_says_import_pictures_and_its_button_goes_to_the_data_page(window, qtbot, tmp_path):
    assert window.create_project(tmp_path / "empty")
    ws = window.workspace
    ws.show_step(3)
    page = ws.tune_page
    qtbot.waitUntil(page.isVisible)
    assert not page.start_button.isEnabled() and not page.quick_button.isEnabled()
    words = page.blocked_label.text()
    assert page.blocked_box.isVisible() and words.startswith("A search cannot start yet.")
    assert "Import and label pictures first" in words and "Model page" not in words and "number of classes" not in words
    assert words == f"A search cannot start yet. {ws.train_page.blocker.text}"  # the Train page's rule, its words
    assert page.blocked_button.isVisible() and page.blocked_button.text() == "Go to the Data page"
    with qtbot.waitSignal(page.go_to_step) as went:
        page.blocked_button.click()
    assert went.args == ["data"] and ws.nav.currentRow() == 0


def test_why_a_search_cannot_start_the_train_pages_rule_then_its_own():
    import subprocess
    import sys

    from cnnstudio.ui.train.start_blocker import start_blocker
    from cnnstudio.ui.tune.search_blocker import search_blocker

    two = {1: {"train": 5, "val": 2}, 2: {"train": 5, "val": 2}}
    for counts in ({}, {None: {None: 4}}, {1: {"train": 6}}):  # no pictures, none labelled, one class: Data
        b = search_blocker(counts, design_error="0 classes", validation=False, training=True)
        assert b == start_blocker(counts, design_error="0 classes") and b.step == "data"
    b = search_blocker(two, design_error="layer 3 does not fit", validation=False)
    assert b.step == "model" and b.button == "Go to the Model page"
    b = search_blocker(two, validation=False, training=True)
    assert b.step == "train" and b.button == "Go to the Train page" and "validation" in b.text
    b = search_blocker(two, training=True)
    assert b.step == "train" and "being trained" in b.text
    assert search_blocker(two) is None
    b = search_blocker(two, weights="the ResNet-18 weights are not here", training=True)
    assert b == start_blocker(two, weights="the ResNet-18 weights are not here") and b.step == "model"
    # too few pictures to keep some aside for validation: every trial would fail, so no search starts (QA tune #1)
    from cnnstudio.engine.tune.validation_pictures import TOO_FEW_FOR_VALIDATION
    from cnnstudio.ui.tune.search_blocker import ADD_PICTURES, NO_VALIDATION

    for few in ({1: {"train": 2}, 2: {"train": 1}}, {1: {None: 2}, 2: {None: 1}}):  # split, or split by Start
        b = search_blocker(few)
        assert b.text == f"{TOO_FEW_FOR_VALIDATION} {ADD_PICTURES}" and b.step == "data"
        assert b.button == "Go to the Data page"
    assert search_blocker(few, validation=False).text == NO_VALIDATION  # validation switched off is said first
    assert search_blocker({1: {"train": 9}, 2: {"train": 9}}) is None  # a run holds some of them out
    code = "import sys; import cnnstudio.ui.tune.search_blocker; assert 'PySide6' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_form_offers_the_structure_for_the_built_in_design_only(window, qtbot, tmp_path):
    page = open_tune(window, qtbot, tmp_path, design=tiny_design)
    assert not page.form.structure_allowed and "your own design" in page.starting.text()
    assert "blocks" not in page.form.space()["params"] and page.start_button.isEnabled()
    assert not page.form.rows["blocks"].check.isChecked()  # off and unticked: a ticked grey box looked searched
    window.resize(1024, 614)  # a small screen: the sentence is by the buttons, not below the form's fold
    page.form.rows["lr"].low.setText("0.1")  # an empty range: one sentence by the buttons, Start disabled
    page.form.rows["lr"].low.textEdited.emit("0.1")
    assert page.form.error().startswith("Learning rate: the range is empty")
    assert not page.start_button.isEnabled() and page.blocked_box.isVisible()
    assert page.blocked_label.text() == ("Start my search cannot start until the form on the left is fixed. "
                                         + page.form.error())
    assert not page.blocked_button.isVisible()  # nothing to go to: the form is on this page
    box = page.blocked_box
    assert box.mapTo(page, box.rect().bottomLeft()).y() < page.height()  # in view, beside the buttons
    assert page.form.bad_rows() == ["lr"] and "border: 2px solid" in page.form.rows["lr"].low.styleSheet()
    assert page.form.rows["batch_size"].choices[32].styleSheet() == ""
    page.form.rows["lr"].low.setText("0.0003")
    page.form.rows["lr"].low.textEdited.emit("0.0003")
    assert page.form.bad_rows() == [] and page.form.rows["lr"].low.styleSheet() == ""
    assert not page.blocked_box.isVisible()
    for box in page.form.rows["batch_size"].choices.values():  # no batch size ticked: those boxes are marked
        box.setChecked(False)
    assert page.form.bad_rows() == ["batch_size"] and page.blocked_box.isVisible()
    for box in page.form.rows["batch_size"].choices.values():
        box.setChecked(True)
    page.form.set_budget(None, None)
    assert page.form.error().startswith("Give a budget") and not page.start_button.isEnabled()
    assert page.form.error() in page.blocked_label.text() and page.form.bad_rows() == []
    page.form.set_budget(3, None)
    assert page.form.error() == "" and page.start_button.isEnabled() and not page.blocked_box.isVisible()
    window.workspace.model_page.apply_preset("default")  # the built-in design: its structure can be searched
    assert page.form.structure_allowed and "blocks" in page.form.space()["params"]
    assert page.form.rows["blocks"].check.isChecked()  # ticked again, as it was


def _events_of_a_two_goal_study():
    yield StudyStarted("s", "journal", {"epochs": 2, "params": {"lr": {"low": 1e-4, "high": 1e-1, "log": True},
                                                                   "optimizer": {"choices": ["adamw", "sgd"]}}},
                       "accuracy+size", False, 0)
    for n, (lr, opt, acc, size) in enumerate([(1e-3, "adamw", 0.80, 5000), (1e-2, "sgd", 0.90, 20000),
                                              (3e-3, "adamw", 0.85, 30000)]):
        yield TrialStarted(n, f"run{n}", {"lr": lr, "optimizer": opt})
        yield TrialEpoch(n, f"run{n}", 1, 2, 1.0, 0.5, 1.0, acc - 0.1)
        yield TrialEnded(n, f"run{n}", "complete", acc, 0.5, size, 1.5, {"lr": lr, "optimizer": opt})


def test_the_table_and_plots_show_a_two_goal_study_and_a_click_selects_a_trial(qtbot):
    from cnnstudio.ui.tune.trials_table import TrialsModel, TrialsView
    from cnnstudio.ui.tune.tune_plots import TunePlots

    state = TuneState()
    model = TrialsModel(state)
    view = TrialsView(model)
    plots = TunePlots(state)
    plots.trial_clicked.connect(view.select_number)
    for w in (view, plots):
        qtbot.addWidget(w)
    plots.resize(900, 320)
    plots.show()
    qtbot.waitExposed(plots)
    for ev in _events_of_a_two_goal_study():
        state.apply(ev)
        if isinstance(ev, StudyStarted):
            model.reset()
            plots.reset()
        model.sync()
    plots.refresh()
    assert model.rowCount() == 3
    assert [model.data(model.index(1, c)) for c in range(model.columnCount())] == [
        "2", "finished", "90.0%", "0.01", "SGD", "20,000", "1.5 s"]
    done, front = state.front()
    assert front == {0, 1}  # trial 2 is bigger and less accurate than trial 1
    assert plots.tabs.isTabVisible(1) and plots.tabs.currentIndex() == 1
    d = plots.slice_data()  # learning rate: a log axis
    assert d["log"] and d["x"] == [1e-3, 1e-2, 3e-3]
    plots.param_combo.setCurrentIndex(plots.param_combo.findData("optimizer"))
    d = plots.slice_data()
    assert d["ticks"] == [(0.0, "AdamW"), (1.0, "SGD")] and d["x"] == [0.0, 1.0, 0.0]
    qtbot.waitUntil(lambda: plots.pareto_plot.getPlotItem().vb.viewRange()[0][1] > 4)

    # click trial 1's point on the accuracy-vs-size plot: it becomes the table's selection
    plot = plots.pareto_plot
    scene = plot.getPlotItem().vb.mapViewToScene(QPointF(math.log10(20000), 90.0))
    with qtbot.waitSignal(plots.trial_clicked, timeout=3000) as blocker:
        QTest.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=plot.mapFromScene(scene))
    assert blocker.args == [1] and view.selected_number() == 1


def test_rules_and_words():
    assert [number_text(v) for v in (3e-4, 1e-6, 2.0, 0.123456, 1230.4)] == ["0.0003", "0.000001", "2", "0.123",
                                                                             "1230"]
    assert parse_number("1e-4") == 1e-4 and parse_number("0,5") == 0.5 and parse_number("x") is None
    rows = [{"state": "complete"}, {"state": "pruned"}, {"state": "failed"}]
    assert trials_budget(rows, 3) == 5 and trials_budget(rows, None) is None
    assert unique_name("tune-1", ["tune-1", "tune-1-2"]) == "tune-1-3"
    assert state_text({"state": "running", "epoch": 2, "epochs": 10}) == "running (epoch 2 of 10)"
    assert state_text({"state": "failed", "reason": "time limit", "stopped": True}) == "stopped (time limit)"
    assert state_text({"state": "failed", "reason": "out of memory"}) == "failed (out of memory)"
    from cnnstudio.ui.tune.tune_state import counts_text

    assert counts_text({"trials": 5, "complete": 3, "pruned": 0, "failed": 2, "stopped": 1}) == (
        "5 trials: 3 finished, 0 stopped early, 1 stopped, 1 failed")
    from cnnstudio.engine.train.settings import TrainSettings

    v = form_settings(TrainSettings(lr=0.02, epochs=7, early_stopping_patience=0))
    assert v["lr"] == 0.02 and v["epochs"] == 7 and "early_stopping_patience" not in v


def test_log_axis_labels_thin_out_as_the_range_grows():
    from cnnstudio.ui.tune.plot_axes import axis_text, log_ticks

    def labels(lo, hi):
        return [t for _, t in log_ticks(lo, hi, axis_text)]

    assert labels(0.001, 0.01) == ["0.001", "0.002", "0.005", "0.01"]
    assert labels(3e-4, 0.03) == ["3e-4", "0.001", "0.003", "0.01", "0.03"]  # the default learning-rate range
    assert labels(1e-6, 1e-2) == ["1e-6", "1e-5", "1e-4", "0.001", "0.01"]


def test_accuracy_axes_read_0_to_100_before_any_trial_and_never_zoom_into_one_point(qtbot):
    from cnnstudio.ui.tune.tune_plots import TunePlots
    from cnnstudio.ui.tune.plot_axes import ACCURACY_SPAN, accuracy_range

    assert accuracy_range([]) == (0.0, 100.0)
    low, high = accuracy_range([37.5])
    assert high - low >= ACCURACY_SPAN and low < 37.5 < high
    # kept inside 0-100 but for a little room, so a dot at the edge is drawn whole
    assert 100.0 < accuracy_range([99.8])[1] <= 101.0 and -1.0 <= accuracy_range([0.5])[0] < 0.0
    assert accuracy_range([20.0, 90.0]) == (16.5, 93.5)  # a wide spread: its own span, a little room

    state = TuneState()
    plots = TunePlots(state)
    qtbot.addWidget(plots)
    plots.resize(900, 320)
    plots.show()
    qtbot.waitExposed(plots)

    def y_range(plot):
        return plot.getPlotItem().vb.viewRange()[1]

    every = (plots.best_plot, plots.live_plot, plots.slice_plot, plots.pareto_plot)
    for plot in every:  # the axes say "(%)": before any trial they read 0-100, not 0-1
        assert plot.getAxis("left").labelText == "validation accuracy (%)"
        assert y_range(plot) == [0.0, 100.0]
    state.apply(StudyStarted("s", "journal", {"epochs": 2, "params": {"lr": {"low": 1e-4, "high": 1e-1,
                                                                                "log": True}}}, "accuracy", False, 0))
    plots.reset()
    for n in (0, 1):  # two tied trials at 37.5 %: a flat line on an axis of at least ACCURACY_SPAN points
        state.apply(TrialStarted(n, f"run{n}", {"lr": 1e-3 * (n + 1)}))
        state.apply(TrialEpoch(n, f"run{n}", 1, 2, 1.0, 0.5, 1.0, 0.375))
        state.apply(TrialEnded(n, f"run{n}", "complete", 0.375, 0.5, 1000, 1.0, {"lr": 1e-3 * (n + 1)}))
    plots.refresh()
    for plot in (plots.best_plot, plots.live_plot, plots.slice_plot):
        low, high = y_range(plot)
        assert high - low >= ACCURACY_SPAN and low < 37.5 < high, (plot, low, high)
    assert plots.live_note.textItem.toPlainText() == ""  # the last trial has its curve

    # a trial stopped at the half-epoch look has no curve: the plot says why instead of staying blank
    state.apply(TrialStarted(2, "run2", {"lr": 0.05}))
    state.apply(TrialEnded(2, "run2", "pruned", 0.331, 2.0, 1000, 1.1, {"lr": 0.05}))
    plots.refresh()
    assert state.live == [] and plots.live_plot.getPlotItem().titleLabel.text == "Trial 3 (last)"  # from 1
    assert plots.live_note.textItem.toPlainText() == ("Stopped early, part-way through its first epoch (33.1% right "
                                                      "then): no finished epoch to draw.")
    state.apply(TrialStarted(3, "run3", {"lr": 0.02}))  # the next trial starts: nothing to explain yet
    plots.refresh()
    assert plots.live_note.textItem.toPlainText() == ""


def test_the_starting_line_says_which_train_page_settings_the_ranges_leave_out():
    from types import SimpleNamespace

    from cnnstudio.engine.train.settings import TrainSettings
    from cnnstudio.engine.tune.space import default_space, parse_space
    from cnnstudio.engine.tune.study import _starting_params
    from cnnstudio.ui.tune.start_words import outside_words, starting_text

    space = default_space(True)  # learning rate 0.0003–0.03, batch sizes 32, 64, 128
    inside = TrainSettings(lr=0.003, batch_size=64, optimizer="adamw")
    assert outside_words(inside, space) == [] and starting_text(True, inside, space) == starting_text(True, inside)
    out = TrainSettings(lr=0.035, batch_size=256, optimizer="adamw")
    words = outside_words(out, space)
    assert words == ["The Train page's learning rate 0.035 is outside the range searched (0.0003–0.03): the "
                     "starting trial uses 0.03, the nearest end.",
                     "The Train page's batch size 256 is not among those searched (32, 64, 128): the starting "
                     "trial uses 32."]
    assert starting_text(True, out, space).endswith(" ".join(words))
    # what the words say the starting trial uses is what the engine gives it
    engine = _starting_params(SimpleNamespace(settings=out, space=parse_space(space)))
    assert engine["lr"] == 0.03 and engine["batch_size"] == 32
    assert outside_words(out, {"epochs": 1, "params": {}}) == []  # learning rate not searched: nothing left out
    assert outside_words(out, {"epochs": 1, "params": {"lr": {"low": 1, "high": 0}}}) == []  # unreadable


def test_the_two_start_buttons_say_how_they_differ_in_plain_tooltips(window, qtbot, tmp_path):
    from PySide6.QtWidgets import QApplication, QLabel, QToolTip

    page = open_tune(window, qtbot, tmp_path)
    quick, start = page.quick_button, page.start_button
    assert "one-click" in quick.toolTip() and "usual choices back on the left" in quick.toolTip()
    assert "exactly what you chose on the left" in start.toolTip() and start.text() == "▶  Start my search"
    assert page.form.x() < page.quick_button.mapTo(page, quick.rect().topLeft()).x()  # the form is on the left

    def tip_font(button):
        QToolTip.showText(button.mapToGlobal(button.rect().center()), button.toolTip(), button)
        qtbot.waitUntil(QToolTip.isVisible)
        label = next(w for w in QApplication.topLevelWidgets()
                     if isinstance(w, QLabel) and w.isVisible() and w.text() == button.toolTip())
        font = label.font()
        QToolTip.hideText()
        return font.bold(), font.pointSizeF(), font.pixelSize()

    assert quick.font().bold()  # the button itself stands out…
    assert tip_font(quick) == tip_font(start)  # …its tooltip looks like every other one

    # the Train page's learning rate outside the range searched: the line says so, and follows the form
    window.workspace.train_page.settings_form.lr.setValue(0.035)
    page._show_starting()
    assert "learning rate 0.035 is outside the range searched (0.0003–0.03)" in page.starting.text()
    page.form.set_space(SPACE)
    assert "learning rate 0.035 is outside the range searched (0.001–0.03)" in page.starting.text()

"""The Tune page's states and their words: an empty page, a trial stopped early or stopped by the user, a stopped
trial's accuracy, the columns of a study whose space changed, the last run on all training pictures (only without
validation pictures), what Continue carries on from, and the names a screen reader hears.

The page's Qt-free state is fed the engine's own event dataclasses; the page itself is the real one, offscreen.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt

from cnnstudio.engine.tune.events import StudyEnded, StudyStarted, TrialEnded, TrialEpoch, TrialStarted
from cnnstudio.ui.tune.tune_state import PRUNED_TIP, TuneState
from tests.ui.test_training_view import make_project

LR = {"low": 1e-4, "high": 1e-1, "log": True}


def _open_tune(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(3)
    page = window.workspace.tune_page
    qtbot.waitUntil(page.isVisible)
    return page


def test_a_stopped_trial_keeps_the_best_accuracy_its_epochs_reached():
    state = TuneState()
    state.apply(StudyStarted("s", "journal", {"epochs": 4, "params": {"lr": LR}}, "accuracy", True, 0))
    state.apply(TrialStarted(0, "r0", {"lr": 0.01}))
    state.apply(TrialEpoch(0, "r0", 1, 4, 1.0, 0.5, 1.0, 0.885))
    state.apply(TrialEnded(0, "r0", "failed", math.nan, math.nan, 100, 3.0, {"lr": 0.01}, "stopped", stopped=True))
    assert state.rows[0]["val_accuracy"] == 0.885 and state.rows[0]["state"] == "failed"
    state.apply(TrialStarted(1, "r1", {"lr": 0.02}))
    state.apply(TrialEpoch(1, "r1", 1, 4, 1.0, 0.5, 1.0, 0.7))
    state.apply(TrialEnded(1, "r1", "complete", 0.91, 0.3, 100, 3.0, {"lr": 0.02}))
    assert state.rows[1]["val_accuracy"] == 0.91  # a finite one is the trial's own


def test_the_columns_are_every_parameter_a_trial_or_the_space_has():
    state = TuneState()
    state.show({"study": "s", "space": {"epochs": 2, "params": {"lr": LR, "blocks": {"low": 2, "high": 4}}},
                "rows": [{"number": 0, "state": "complete", "val_accuracy": 0.9, "params": {"lr": 0.01, "blocks": 3}}]})
    # the study carried on with a space without the structure: trial 1's columns stay
    state.apply(StudyStarted("s", "journal", {"epochs": 2, "params": {"lr": LR, "label_smoothing": 0.1}},
                             "accuracy", True, 1))
    state.apply(TrialStarted(1, "r1", {"lr": 0.02, "label_smoothing": 0.1}))
    assert state.params() == ["lr", "blocks"]  # a value the space fixes is no column


def test_stopped_early_is_said_in_words_and_a_stop_is_not_drawn_as_a_failure(window, qtbot, tmp_path):
    from cnnstudio.ui.colours import status_qcolor
    from cnnstudio.ui.tune.trials_table import EMPTY, STATUS_TIP

    page = _open_tune(window, qtbot, tmp_path)
    m, view, plots = page.table_model, page.table, page.plots
    assert m.rowCount() == 0 and view.empty_text() == EMPTY == "Start a search: each trial appears here."
    assert plots.live_note.textItem.toPlainText() == "No search is running."
    assert plots.best_note.textItem.toPlainText() == "No finished trial yet."

    page._on_event(StudyStarted("s", "journal", {"epochs": 2, "params": {"lr": LR}}, "accuracy", True, 0))
    assert page.state.live_note() == "The first trial is starting…"
    for n, (end, acc, lr) in enumerate((("complete", 0.9, 0.01), ("pruned", 0.07, 0.09), ("failed", math.nan, 0.03))):
        page._on_event(TrialStarted(n, f"r{n}", {"lr": lr}))
        page._on_event(TrialEpoch(n, f"r{n}", 1, 2, 1.0, 0.5, 1.0, acc if n < 2 else 0.5))
        page._on_event(TrialEnded(n, f"r{n}", end, acc, 0.5, 10, 1.0, {"lr": lr}, "time limit" if n == 2 else "",
                                  stopped=n == 2))
    page._flush()
    assert view.empty_text() == "" and plots.best_note.textItem.toPlainText() == ""
    status = [m.data(m.index(r, 1)) for r in range(3)]
    assert status == ["finished", "stopped early", "stopped (time limit)"]
    assert m.data(m.index(1, 1), Qt.ItemDataRole.ToolTipRole) == PRUNED_TIP
    assert m.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == STATUS_TIP
    colour = m.data(m.index(2, 1), Qt.ItemDataRole.ForegroundRole)
    assert colour is None and m.data(m.index(1, 1), Qt.ItemDataRole.ForegroundRole) != status_qcolor("failed")
    assert m.data(m.index(2, 2)) == "50.0%"  # its best epoch, not "–"
    # a stopped or failed trial's tooltip is a sentence, not the engine's bare word (re-QA tune #8)
    assert m.data(m.index(2, 1), Qt.ItemDataRole.ToolTipRole) == (
        "Stopped before its last epoch: the search's time limit was reached.")
    page._on_event(TrialStarted(3, "r3", {"lr": 0.02}))
    page._on_event(TrialEnded(3, "r3", "failed", math.nan, math.nan, 10, 1.0, {"lr": 0.02},
                              "no CUDA graphics card is available on this computer"))
    page._on_event(TrialStarted(4, "r4", {"lr": 0.02}))
    page._on_event(TrialEnded(4, "r4", "failed", math.nan, math.nan, 10, 1.0, {"lr": 0.02}, "stopped", stopped=True))
    assert m.data(m.index(3, 1), Qt.ItemDataRole.ToolTipRole) == (
        "Failed: no CUDA graphics card is available on this computer.")
    assert m.data(m.index(4, 1)) == "stopped" and m.data(m.index(4, 1), Qt.ItemDataRole.ToolTipRole) == (
        "Stopped before its last epoch: the search was stopped (Stop, or Ctrl-C in a terminal).")
    assert page.status.toolTip() == PRUNED_TIP  # its counts say "stopped early": what that means

    # the slice plot: the trial stopped early is a hollow grey ring, and the legend says so
    d = plots.slice_data()
    assert d["numbers"] == [0, 1] and d["pruned"] == [False, True]
    assert list(plots.slice_dots.xData) == [0.01] and list(plots.slice_pruned.xData) == [0.09]  # (log axis: raw x)
    assert plots.slice_pruned.opts["symbolBrush"] is None and not plots.slice_legend.isHidden()
    assert "stopped early" in plots.slice_legend.text()
    page._on_event(StudyEnded("time", {"trials": 5, "complete": 1, "pruned": 1, "failed": 3, "stopped": 2,
                                       "best": {"number": 0}, "said": "Best: trial 1."}))
    assert not page.state.searching
    assert page.status.text() == ("The search ended (the time is up). 5 trials: 1 finished, 1 stopped early, "
                                  "2 stopped, 1 failed. Continue carries on the same search.")


def test_the_last_run_on_all_training_pictures_is_off_with_validation_pictures(window, qtbot, tmp_path):
    from cnnstudio.project import ImageFilter
    from cnnstudio.ui.tune.search_blocker import final_run_applies
    from cnnstudio.ui.tune.space_form import FINAL_OFF, FINAL_TIP

    assert not final_run_applies({1: {"train": 5, "val": 2}}) and final_run_applies({1: {"train": 5, "test": 2}})
    assert not final_run_applies({1: {None: 5}})  # the search splits it first, with validation pictures
    assert final_run_applies({1: {"train": 5}, None: {"val": 3}})  # unlabelled ones are not judged on
    # only when the trials really hold pictures out: 3 training pictures give none (it said yes, to a search that
    # could not start), and neither do classes an unsplit project's split leaves without validation pictures
    assert not final_run_applies({1: {"train": 3, "test": 2}}) and not final_run_applies({1: {None: 3}, 2: {None: 3}})

    page = _open_tune(window, qtbot, tmp_path)  # 50/25/25: validation pictures
    form = page.form
    assert not form.final.isEnabled() and form.final.toolTip() == FINAL_OFF and not form.use_final()
    assert not form.final.isChecked()  # grey and unticked: it does nothing (re-QA tune #10)
    session = window.session
    session.set_split(session.project.ids(ImageFilter(split="val")), "train")
    qtbot.waitUntil(form.final.isEnabled)
    assert form.final.toolTip() == FINAL_TIP and form.use_final() and form.final.isChecked()  # ticked back
    form.final.setChecked(False)  # the user's choice is kept while the box is off and back
    form.set_objective("accuracy+size")
    assert not form.final.isEnabled() and not form.final.isChecked()
    form.set_objective("accuracy")
    assert form.final.isEnabled() and not form.final.isChecked()
    form.reset()
    assert form.final.isChecked()


def test_continue_follows_the_study_and_a_changed_form_is_said_to_be_a_new_search():
    from cnnstudio.engine.model.presets import make_preset, scaled_default
    from cnnstudio.engine.train.settings import TrainSettings
    from cnnstudio.ui.tune.study_inputs import continued_inputs, design_kind, form_differs, new_inputs
    from cnnstudio.ui.tune.start_words import starting_text

    space = {"epochs": 2, "params": {"lr": LR}}
    assert not form_differs({"epochs": 2, "params": {"lr": dict(LR)}}, space)
    assert form_differs({"epochs": 3, "params": {"lr": LR}}, space)  # epochs per trial: another search
    assert form_differs({"epochs": 2, "params": {"lr": {**LR, "high": 0.05}}}, space)
    assert not form_differs({"epochs": 3, "params": {}}, None)  # no study shown: nothing to differ from
    base = {"settings": {"lr": 0.01}, "spec": None, "preset": "default", "space": space, "objective": "accuracy",
            "study": "s"}
    assert continued_inputs(base) == {"settings": {"lr": 0.01}, "spec": None, "preset": "default", "space": space}

    built_in = make_preset("default", 28, 28, 1).to_json()
    assert design_kind(built_in, 28, 28, 1) == "built-in"
    for blocks, width, dropout in ((4, 1.5, 0.3), (2, 0.6, 0.0), (4, 1.93, 0.5)):  # made by a structure search
        assert design_kind(scaled_default(28, 28, 1, blocks, width, dropout).to_json(), 28, 28, 1) == "variant"
    for preset in ("lenet5", "vgg_small", "resnet_small"):
        assert design_kind(make_preset(preset, 28, 28, 1).to_json(), 28, 28, 1) == "own"
    settings = TrainSettings()
    assert new_inputs(settings, built_in, space)["preset"] == "default"
    own = make_preset("lenet5", 28, 28, 1).to_json()
    assert new_inputs(settings, own, space)["spec"] == own and new_inputs(settings, own, space)["preset"] is None
    said = starting_text(False, settings, variant=True)
    assert "the built-in design as a search changed it" in said and "your own design" not in said


def test_the_final_model_and_read_only_words():
    from cnnstudio.ui.tune.trial_use import USE_TIP, final_model_words, use_tip, used_words

    assert use_tip("", "") == USE_TIP
    assert use_tip("this project is open in another window: close it there", "M") == (
        "This project is open in another window: close it there.")
    assert "The search's model, Small · 3 epochs," in use_tip("", "Small · 3 epochs")
    assert final_model_words("") == "" and final_model_words("M", test_seen=True) == "The search's model: M."
    # its test score not looked at yet (project/seen_scores.py): the line says where to look, on purpose
    assert final_model_words("M") == ("The search's model: M; look at its test score on the Evaluate page with "
                                      "“Test pictures”.")
    assert used_words(1).endswith("Its run is already on Evaluate and Predict.")
    assert "The search's model, M, trained them" in used_words(1, "M", 1)
    assert used_words(2, "M", 1).endswith("Its run is already on Evaluate and Predict.")


def test_the_goal_search_and_each_trial_boxes_have_names(window, qtbot, tmp_path):
    page = _open_tune(window, qtbot, tmp_path)
    form = page.form
    assert form.objective_combo.accessibleName() == "Goal"
    assert page.study_list.combo.accessibleName() == "Search"
    assert form.epochs.accessibleName() == "Each trial"
    from PySide6.QtWidgets import QLabel

    buddies = {w.text(): w.buddy() for w in page.findChildren(QLabel) if w.buddy() is not None}
    assert buddies["Each trial"] is form.epochs and buddies["Search:"] is page.study_list.combo


def test_a_search_whose_trials_kept_failing_says_so_and_offers_no_continue(window, qtbot, tmp_path):
    from cnnstudio.ui.colours import note_colours

    page = _open_tune(window, qtbot, tmp_path)
    page._on_event(StudyStarted("s", "journal", {"epochs": 1, "params": {"lr": LR}}, "accuracy", True, 0))
    why = "3 trials in a row failed: out of memory. The search stopped."
    page._on_event(StudyEnded("failing", {"trials": 3, "complete": 0, "pruned": 0, "failed": 3, "stopped": 0,
                                          "best": None, "ended_why": why, "said": why}))
    assert page.status.text() == ("The search ended (its trials kept failing). 3 trials: 0 finished, 0 stopped early, "
                                  "3 failed.")
    assert page.result.isVisible() and page.result.text() == why
    assert note_colours("warning", page)[0] in page.result.label.styleSheet()


def test_continue_reads_back_a_studys_own_design_and_starting_settings(tmp_path):
    """study_base: the design and settings a study's trials were made from, the augmentation its strength scaled
    divided back out, whatever the pages hold now (a real study, one trial of one epoch)."""
    from cnnstudio.engine.data.augment import AugmentSettings
    from cnnstudio.engine.data.preprocess import Preprocess
    from cnnstudio.engine.model.catalog import layer
    from cnnstudio.engine.model.spec import ModelSpec
    from cnnstudio.engine.train.settings import TrainSettings
    from cnnstudio.engine.tune.overview import study_base
    from cnnstudio.engine.tune.study import prepare, tune
    from tests.engine.test_data import make_project as engine_project

    project = engine_project(tmp_path / "proj", per_class=8)
    try:
        pp = Preprocess(height=8, width=8, channels=1, normalization="dataset")
        turned = AugmentSettings(rotation=20.0, translate=0.1, hflip=True)
        start = TrainSettings(epochs=1, batch_size=8, lr=0.02, preprocess=pp, threads=1, augment=turned)
        spec = ModelSpec.create(8, 8, 1, [layer("conv2d", out_channels=4), layer("relu"),
                                          layer("global_avg_pool")]).to_json()
        space = {"epochs": 1, "params": {"lr": LR, "augment": {"low": 0.2, "high": 0.5}}}  # trial 1: strength 0.5
        setup = prepare(project, settings=start, spec=spec, space=space, study="own", pruning=False, final=False)
        ended = [e for e in tune(project, setup, trials=1) if isinstance(e, TrialEnded)]
        assert ended[0].params["augment"] == 0.5
        base = study_base(project, "own")
        assert base["preset"] is None and base["spec"] == setup.design["spec"] and base["objective"] == "accuracy"
        assert base["space"] == setup.space.to_json()
        back = TrainSettings.from_json(base["settings"])
        assert math.isclose(back.augment.rotation, 20.0) and math.isclose(back.augment.translate, 0.1)
        assert back.augment.hflip and back.batch_size == 8 and back.epochs == 1
    finally:
        project.close()


def test_a_project_too_small_to_keep_validation_pictures_cannot_start_a_search(window, qtbot, tmp_path):
    """3 pictures in 2 classes, not split: every trial would fail with no validation picture (QA tune #1)."""
    from cnnstudio.engine.tune.validation_pictures import TOO_FEW_FOR_VALIDATION
    from cnnstudio.project import Project, import_paths
    from cnnstudio.ui.tune.search_blocker import ADD_PICTURES
    from tests.ui.test_training_view import write_pictures

    src = write_pictures(tmp_path / "src", per_class=2)
    (src / "b" / "b_1.png").unlink()
    with Project.create(tmp_path / "few") as p:
        import_paths(p, [src], labels_from_folders=True)
    assert window.open_project(tmp_path / "few")
    window.workspace.show_step(3)
    page = window.workspace.tune_page
    qtbot.waitUntil(page.isVisible)
    assert not page.start_button.isEnabled() and not page.quick_button.isEnabled()
    assert page.blocked_label.text() == f"A search cannot start yet. {TOO_FEW_FOR_VALIDATION} {ADD_PICTURES}"
    assert page.blocked_button.text() == "Go to the Data page" and not page.start()


def test_a_search_being_read_back_says_so_rather_than_start_a_search(window, qtbot, tmp_path):
    """QA (i1.png): after reopening a project the list said "Search imp (16 trials, best 62.5%)" while the table
    said "Start a search: each trial appears here." for ten seconds. Until its trials are read, the table says it
    reads them."""
    import optuna
    from optuna.distributions import FloatDistribution
    from optuna.trial import create_trial

    from cnnstudio.engine.tune.storage import open_storage
    from cnnstudio.project import Project
    from cnnstudio.ui.tune.trials_table import EMPTY, READING

    root = make_project(tmp_path)
    with Project.open(root) as project:  # a search of the project, kept in its journal as a search keeps it
        optuna.logging.set_verbosity(optuna.logging.ERROR)
        study = optuna.create_study(study_name="imp", storage=open_storage(project), direction="maximize")
        for i in range(3):
            study.add_trial(create_trial(value=0.5 + 0.1 * i, params={"lr": 0.001 * (i + 1)},
                                         distributions={"lr": FloatDistribution(1e-4, 1e-1, log=True)}))
    assert window.open_project(root)
    page = window.workspace.tune_page  # made now: the search is being read in a thread
    assert page.study_list.chosen() == "imp" and page.study_list.reading()
    assert page.table_model.rowCount() == 0 and page.table.empty_text() == READING != EMPTY
    with qtbot.waitSignal(page.study_shown, timeout=60_000):
        pass
    qtbot.waitUntil(lambda: not page.study_list.reading())
    assert page.table_model.rowCount() == 3 and page.table.empty_text() == ""


def test_while_a_search_runs_the_page_marks_the_trial_the_engine_will_pick():
    """Two trials tie on accuracy: the engine's best is the one with the lower validation loss (results.best_trial),
    so the page marks that one while the search runs, not the earlier one; a tie with the starting trial keeps it."""
    state = TuneState()
    state.apply(StudyStarted("s", "journal", {"epochs": 2, "params": {"lr": LR}}, "accuracy", True, 0))
    for n, loss in ((0, 0.9), (1, 0.4)):
        state.apply(TrialStarted(n, f"r{n}", {"lr": 0.01 * (n + 1)}))
        state.apply(TrialEnded(n, f"r{n}", "complete", 0.5, loss, 100, 3.0, {"lr": 0.01 * (n + 1)}))
    assert state.summary is None and state.best_number() == 1
    # a study read back whose trial 0 was the starting settings, carried on: the tie keeps the start
    state.show({"study": "s", "space": {"epochs": 2, "params": {"lr": LR}},
                "rows": [{"number": 0, "state": "complete", "val_accuracy": 0.5, "val_loss": 0.9,
                          "starting_point": True, "params": {"lr": 0.01}}]})
    state.apply(StudyStarted("s", "journal", {"epochs": 2, "params": {"lr": LR}}, "accuracy", True, 1))
    state.apply(TrialStarted(1, "r1", {"lr": 0.02}))
    state.apply(TrialEnded(1, "r1", "complete", 0.5, 0.4, 100, 3.0, {"lr": 0.02}))
    assert state.summary is None and state.best_number() == 0

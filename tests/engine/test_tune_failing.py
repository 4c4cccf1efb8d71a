"""A search that cannot go well ends, and says why: a project too small to keep validation pictures aside (refused
before it starts, or ended at its first trial), trials that keep failing, a trial whose worker died before it
said who it was; a stopped trial keeps the best accuracy it reached. Real Optuna, real runs, a tiny project."""

from __future__ import annotations

import math
import threading
from datetime import datetime, timedelta

import optuna
import pytest
from optuna.trial import TrialState

from cnnstudio.engine.runs.lifecycle import plan_run
from cnnstudio.engine.tune import events as T
from cnnstudio.engine.tune.overview import show_study
from cnnstudio.engine.tune.results import state_of
from cnnstudio.engine.tune.storage import WORKER_GONE, TuneError, fail_dead_trials, worker_gone
from cnnstudio.engine.tune.study import (FAILS_IN_A_ROW, NO_VALIDATION_PICTURES, failing_words, open_study, prepare,
                                         tune)
from cnnstudio.engine.tune.validation_pictures import TOO_FEW_FOR_VALIDATION, too_few_for_validation
from cnnstudio.project import ImageFilter, run_records
from cnnstudio.project.records import UNLABELLED
from tests.engine.test_data import make_project
from tests.engine.test_tune import SPACE, settings

ONE_EPOCH = {"epochs": 1, "params": {"lr": {"low": 1e-3, "high": 0.1, "log": True}}}


@pytest.fixture
def proj(tmp_path):
    p = make_project(tmp_path / "proj")
    yield p
    p.close()


def _trained_val(project) -> int:
    """How many validation pictures a run of the project would be scored on, as the run itself plans it."""
    return sum(e.split == "val" for e in plan_run(project, settings()).entries)


@pytest.mark.parametrize("per_class, ratios", [
    (3, None), (4, None), (7, None), (20, None),  # nothing split yet: as Start splits them
    (4, (100, 0, 0)), (5, (100, 0, 0)), (4, (50, 0, 50)), (10, (80, 0, 20)),  # no validation split: held out
    (2, (50, 50, 0)),  # a validation split
])
def test_a_search_is_refused_exactly_when_a_run_would_have_no_validation_pictures(tmp_path, per_class, ratios):
    with make_project(tmp_path / "p", per_class=per_class) as p:
        if ratios is None:
            p.set_split(p.ids(ImageFilter()), None)
            counts = p.counts()
            p.assign_splits((70, 15, 15), seed=0)  # what Start does (splits.AUTO_SPLIT)
        else:
            p.assign_splits(ratios, seed=0)
            counts = p.counts()
        assert too_few_for_validation(counts) == ("" if _trained_val(p) else TOO_FEW_FOR_VALIDATION)


def test_a_project_too_small_to_keep_validation_pictures_is_refused_before_anything_is_written(tmp_path):
    from cnnstudio.engine.tune.storage import journal_path

    with make_project(tmp_path / "few", per_class=4) as p:
        p.assign_splits((100, 0, 0), seed=0)  # 4 training pictures a class: a run holds none out
        assert too_few_for_validation(p.counts()) == TOO_FEW_FOR_VALIDATION
        with pytest.raises(TuneError) as e:
            prepare(p, settings=settings(), space=SPACE)
        assert str(e.value) == TOO_FEW_FOR_VALIDATION
        assert not journal_path(p).exists() and run_records.list_runs(p) == []
    assert too_few_for_validation({None: {None: 3}}) == ""  # no labelled picture: the Train page's rule says so


def test_a_trial_without_validation_pictures_ends_the_search_at_once(tmp_path):
    with make_project(tmp_path / "small", per_class=4) as p:
        p.assign_splits((50, 50, 0), seed=0)
        setup = prepare(p, settings=settings(), space=ONE_EPOCH, study="novalid")
        p.set_split(p.ids(ImageFilter(split="val")), "train")  # changed after the check: no picture to spare
        events = list(tune(p, setup, trials=3, minutes=2))  # the time limit: before, it searched to its end
        ended = [e for e in events if isinstance(e, T.TrialEnded)]
        assert [(e.number, e.state, e.reason) for e in ended] == [(0, "failed", NO_VALIDATION_PICTURES)]
        last = events[-1]
        assert isinstance(last, T.StudyEnded) and last.reason == "failing"
        said = "Every trial failed: t" + TOO_FEW_FOR_VALIDATION[1:]
        assert last.summary["said"] == last.summary["ended_why"] == said
        assert len(run_records.list_runs(p)) == 1
        assert show_study(p, "novalid")["said"] == said  # read back later, the same words


def test_three_trials_in_a_row_failing_end_the_search_with_the_last_reason(proj):
    setup = prepare(proj, settings=settings(), space=ONE_EPOCH, study="broken")
    top = proj.class_by_name("top")
    proj.set_labels(proj.ids(ImageFilter(class_id=top.id)), None)  # every trial now fails to start
    events = list(tune(proj, setup, trials=5, minutes=2))
    ended = [e for e in events if isinstance(e, T.TrialEnded)]
    assert len(ended) == FAILS_IN_A_ROW == 3 and all(e.state == "failed" and not e.stopped for e in ended)
    assert events[-1].reason == "failing"
    why = ended[-1].reason.rstrip(".")
    assert events[-1].summary["said"] == f"3 trials in a row failed: {why}. The search stopped."
    # carried on: the old reason is not said of the new call
    proj.set_labels(proj.ids(ImageFilter(class_id=UNLABELLED)), top.id)
    again = tune(proj, setup, trials=5)
    assert isinstance(next(again), T.StudyStarted)
    again.close()
    assert "in a row" not in show_study(proj, "broken")["said"]


def test_failures_in_a_row_are_counted_from_the_last_trial_that_did_not_fail():
    def failed(n, reason="out of memory"):
        return T.TrialEnded(n, "", "failed", math.nan, math.nan, 0, 1.0, {}, reason)

    assert failing_words([failed(0), failed(1)], any_finished=False) == ""
    assert failing_words([failed(3), failed(4), failed(5)], any_finished=True) == (
        "3 trials in a row failed: out of memory. The search stopped.")
    assert failing_words([failed(4, NO_VALIDATION_PICTURES)], any_finished=True).startswith(
        "Trial 5 failed: this project has too few pictures")


def test_a_stopped_trial_ends_with_the_best_accuracy_its_epochs_reached(proj):
    setup = prepare(proj, settings=settings(), space={"epochs": 6, "params": {"lr": {"low": 0.01, "high": 0.1}}},
                    study="stopped", pruning=False)
    stop = threading.Event()
    events = []
    for ev in tune(proj, setup, trials=2, stop=stop):
        events.append(ev)
        if isinstance(ev, T.TrialEpoch) and ev.epoch == 2:
            stop.set()  # Stop, during the third epoch
    epochs = [e.val_accuracy for e in events if isinstance(e, T.TrialEpoch)]
    ended = next(e for e in events if isinstance(e, T.TrialEnded))
    assert ended.state == "failed" and ended.stopped and len(epochs) >= 2
    assert ended.val_accuracy == max(epochs)  # not "-" in the table: the best epoch's, as the study reads it back
    assert show_study(proj, "stopped")["rows"][0]["val_accuracy"] == ended.val_accuracy


def test_a_trial_killed_before_it_named_its_worker_is_settled_as_gone(proj):
    setup = prepare(proj, settings=settings(), space=SPACE, study="orphan")
    study = open_study(proj, setup)
    study.ask()  # a worker killed right here never said who it was
    t = study.get_trials(deepcopy=False)[0]
    assert t.state == TrialState.RUNNING and not t.user_attrs.get("worker")
    assert not worker_gone(t) and state_of(t) == ("running", "")  # just started: its worker is saying it now
    old = optuna.trial.create_trial(state=TrialState.RUNNING)
    old.datetime_start = datetime.now() - timedelta(minutes=5)
    assert worker_gone(old) and state_of(old) == ("failed", WORKER_GONE)
    assert fail_dead_trials(proj, study, unowned_s=0) == [0]
    again = study.get_trials(deepcopy=False)[0]
    assert again.state == TrialState.FAIL and again.user_attrs["reason"] == WORKER_GONE

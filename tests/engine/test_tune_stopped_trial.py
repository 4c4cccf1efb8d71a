"""A trial stopped part-way (Stop, Ctrl-C): a score so far, but not finished — the Tune summary and the Train
page's runs list say the same (results.search_runs_line), real Optuna and real runs on a tiny project."""

from __future__ import annotations

from cnnstudio.engine.tune import events as T
from cnnstudio.engine.tune.results import NO_BEST, search_runs_line
from cnnstudio.engine.tune.study import prepare
from cnnstudio.project import run_records
from tests.engine.test_tune import SPACE, proj, settings, tune_until  # noqa: F401 - proj: the fixture

LONG = {**SPACE, "epochs": 3}


def _runs(p, study):
    return [r for r in run_records.list_runs(p) if (r.summary or {}).get("study") == study]


def test_a_trial_stopped_after_an_epoch_is_no_best_in_either_place(proj):  # noqa: F811
    setup = prepare(proj, settings=settings(), space=LONG, study="halted", pruning=False)
    events = tune_until(proj, setup, 3, lambda ev: isinstance(ev, T.TrialEpoch))  # Stop after its first epoch
    summary = events[-1].summary
    assert summary["best"] is None and summary["said"] == NO_BEST
    runs = _runs(proj, "halted")
    assert len(runs) == 1 and runs[0].status == "stopped"
    assert isinstance(runs[0].summary.get("val_accuracy"), float)  # a score so far, shown on its own row
    line = search_runs_line("halted", runs)
    assert line == "Search halted: 1 trial; no trial finished, so this search has no best settings to offer"
    assert "best validation accuracy" not in line


def test_the_runs_list_best_is_the_best_finished_trial_as_tune_says(proj):  # noqa: F811
    setup = prepare(proj, settings=settings(), space=LONG, study="half", pruning=False)
    events = tune_until(proj, setup, 3, lambda ev: isinstance(ev, T.TrialEpoch) and ev.number == 1)
    summary = events[-1].summary
    assert summary["complete"] == 1 and summary["stopped"] == 1
    best = summary["best"]["val_accuracy"]
    line = search_runs_line("half", _runs(proj, "half"))
    from cnnstudio.engine.use.figures import percent
    assert line == f"Search half: 2 trials, 1 finished, best validation accuracy {percent(best)}"
    assert f"{percent(best)} validation accuracy" in summary["said"]

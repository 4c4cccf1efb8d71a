"""The study's model: the best trial's settings trained once more on every training picture.

When the project has no validation split, every trial holds part of the training pictures out to be judged
on (15 %, :func:`cnnstudio.engine.data.entries.hold_out_validation`). Once the search has chosen, those
pictures go back: the final run trains the best trial's settings and design, for as many epochs as that
trial trained (its learning-rate schedule over the same number of epochs), with validation off, that is on
all the training pictures; the last epoch is kept, and its test accuracy is measured once, at its end, as
every run's is. Nothing is chosen by it: the choices (settings, design, length) were made on validation
by the search. scikit-learn's ``GridSearchCV`` does the same by default (``refit=True``).

Measured on 4,000 real MNIST digits, 1,000 test (``benchmarks/bench_tune.py``'s data), the default recipe
for 12 epochs, seeds 0 and 1: 98.5 % and 98.5 % test with 600 held out, 99.1 % and 99.0 % on all 4,000.
With few pictures, the held-out part is worth more to the model than to one more trial. In seven 10-minute
searches on the same data the final run scored 98.8 %, 99.0 %, 98.9 %, 99.1 %, 99.0 %, 99.0 % and 99.0 % test
(its trial, on 3,400 pictures: 98.9 %, 99.1 %, 98.5 %, 98.3 %, 98.9 %, 99.1 % and 98.9 %): the 1,000 test
digits move by single pictures, a few of which no model here gets right.

A project with its own validation split keeps it (the trials trained on all its training pictures
already): no final run. A study stopped by the user ends without one; a time budget keeps time for it
(:func:`reserve_seconds`).
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Iterator

import optuna

from ...project import run_records
from ...project.store import Project
from ..events import EpochEnd, RunFailed, RunFinished, RunStarted, RunStopped
from ..runs.lifecycle import create_run, read_config, run
from ..runs.run_naming import run_design_words, run_length_words
from .events import FinalEnded, FinalEpoch, FinalStarted
from .results import DESIGN_ATTR, FINAL_ATTR, best_trial
from .words import final_run_name, unique_run_name

MARGIN = 1.15  # the final run's time, estimated from its trial's, is kept with this much to spare


@dataclass(frozen=True)
class FinalPlan:
    trial: int
    trial_run: str
    settings: object  # TrainSettings: the trial's, validation off, its epochs fixed
    spec_json: dict
    held_out: int  # pictures the trial held out, which the final run trains on
    train_images: int  # the trial's training pictures (without the held-out ones)
    trial_seconds: float
    design: str = ""  # the trial's design in words, as its run's name says it
    design_said: str = ""  # as its run's details say it (its config's "design": "Search ..., trial 7: 3 convolutions")


def final_plan(project: Project, study: optuna.Study) -> FinalPlan | None:
    """What the final run would train, or None: no finished trial yet, or its run held nothing out."""
    best = best_trial(study.get_trials(deepcopy=False))
    if best is None:
        return None
    run_id = best.user_attrs.get("run", "")
    info = run_records.find_run(project, run_id) if run_id else None
    if info is None:
        return None
    held = int(info.summary.get("held_out_for_validation") or 0)
    epochs = info.summary.get("epochs_planned")
    if held <= 0 or not isinstance(epochs, int) or epochs <= 0:
        return None
    try:
        cfg, settings = read_config(project, run_id)
    except Exception:  # noqa: BLE001 - an unreadable trial run: no final run, the study's result stands
        return None
    train = int((info.summary.get("images") or {}).get("train") or 0)
    seconds = best.user_attrs.get("seconds")
    design = best.user_attrs.get(DESIGN_ATTR)  # a study from before it was kept: the run's own words
    return FinalPlan(best.number, run_id, settings.replace(validation=False, epochs=epochs), cfg["spec"], held,
                     train, float(seconds) if isinstance(seconds, (int, float)) and math.isfinite(seconds) else 0.0,
                     design if isinstance(design, str) and design else run_design_words(cfg), run_design_words(cfg))


def reserve_seconds(plan: FinalPlan | None) -> float:
    """The time a study's budget keeps for its final run: the best trial's, scaled by the pictures it adds."""
    if plan is None or not plan.trial_seconds:
        return 0.0
    scale = (plan.train_images + plan.held_out) / plan.train_images if plan.train_images else 1.0
    return plan.trial_seconds * scale * MARGIN


def train_final(project: Project, study: optuna.Study, plan: FinalPlan, stop: threading.Event) -> Iterator:
    """Train the final run (see the module doc): FinalStarted, FinalEpoch..., FinalEnded. Recorded in the
    study (user attribute :data:`FINAL_ATTR`) and in the run's summary (``study``, ``final_of``)."""
    t0 = time.perf_counter()
    name = unique_run_name(project, final_run_name(plan.design, plan.settings.epochs, study.study_name, plan.trial,
                                                   run_length_words(plan.spec_json, plan.settings)))
    try:
        run_id = create_run(project, plan.settings, plan.spec_json, name=name, design=plan.design_said)  # the trial's
    except Exception as e:  # noqa: BLE001 - the search's result stands; the final run says why it did not start
        yield FinalEnded("", plan.trial, "failed", math.nan, 0.0, str(e))
        return
    run_records.update_run(project, run_id, summary={"study": study.study_name, "final_of": plan.trial})
    halt = threading.Event()
    end = None
    for ev in run(project, run_id, stop=halt):
        if stop.is_set():
            halt.set()
        if isinstance(ev, RunStarted):
            yield FinalStarted(run_id, plan.trial, ev.epochs, ev.train_images)
        elif isinstance(ev, EpochEnd):
            yield FinalEpoch(run_id, ev.epoch, ev.epochs, ev.train_loss, ev.train_accuracy)
        elif isinstance(ev, (RunFinished, RunStopped, RunFailed)):
            end = ev
    seconds = time.perf_counter() - t0
    if isinstance(end, RunFinished):
        state, test, why = "finished", end.test_accuracy, ""
    elif isinstance(end, RunStopped):
        state, test, why = "stopped", math.nan, "stopped"
    else:
        state, test, why = "failed", math.nan, end.reason if isinstance(end, RunFailed) else "it did not finish"
    study.set_user_attr(FINAL_ATTR, {"run": run_id, "trial": plan.trial, "state": state,
                                     "epochs": plan.settings.epochs, "held_out": plan.held_out})
    yield FinalEnded(run_id, plan.trial, state, test, seconds, why)

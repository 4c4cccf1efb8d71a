"""A study in plain words: the trials, the best one, the Pareto front, and which settings mattered.

The best trial is the finished one with the highest validation accuracy, ties broken by the lower
validation loss, then the earlier trial. The test split is never looked at to choose: the best run's
test accuracy is reported beside it, as measured once at the end of that run.

Counts: ``complete``, ``pruned`` and ``failed`` are Optuna's states; ``stopped`` (with ``stopped_reasons``) is the
part of ``failed`` that did not fail by itself but was stopped by the time limit, a stop or its process ending
(:data:`STOPPED_REASONS`): the words say "stopped (time limit)", never "failed", for those.

Which settings mattered: Optuna's parameter importances (fANOVA, computed by Optuna itself) over the
finished trials, phrased for a beginner ("the learning rate mattered most; batch size hardly mattered").
They need at least two finished trials with different values; with fewer the summary says so.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter

import optuna
from optuna.trial import FrozenTrial, TrialState

from ...project import run_records
from ...project.processes import gone
from ...project.store import Project
from .space import PARAMS
from .storage import WORKER_GONE

STATES = {TrialState.COMPLETE: "complete", TrialState.PRUNED: "pruned", TrialState.FAIL: "failed",
          TrialState.RUNNING: "running", TrialState.WAITING: "waiting"}
START_TAG = "starting_point"
#: The reasons of a trial stopped from outside, not failed by itself (study.py gives them; Optuna keeps such a
#: trial as failed): the time limit, a stop (Ctrl-C, the Tune page's Stop), or its worker process ending.
#: Counted apart as "stopped" in a summary, each row saying why.
STOPPED_REASONS = ("time limit", "stopped", WORKER_GONE)


def state_of(t: FrozenTrial) -> tuple[str, str]:
    """Trial ``t``'s state in :data:`STATES`' words and its reason. A trial Optuna still calls running whose worker
    process on this computer has ended (killed: it could not say so) reads as failed with :data:`WORKER_GONE`, as
    :func:`.storage.fail_dead_trials` marks it when the study is opened again: reading writes nothing."""
    reason = t.user_attrs.get("reason", "")
    if t.state == TrialState.RUNNING and gone(str(t.user_attrs.get("worker", ""))):
        return "failed", WORKER_GONE
    return STATES.get(t.state, t.state.name.lower()), reason


def stopped_reason(t: FrozenTrial) -> str:
    """Why trial ``t`` was stopped from outside (one of :data:`STOPPED_REASONS`), or "" when it was not."""
    state, reason = state_of(t)
    return reason if state == "failed" and reason in STOPPED_REASONS else ""


def accuracy_of(t: FrozenTrial) -> float:
    """A finished trial's validation accuracy; a pruned one's best before it was stopped."""
    if t.values:
        return float(t.values[0])
    if t.intermediate_values:
        return float(max(t.intermediate_values.values()))
    return float(t.user_attrs.get("val_accuracy", math.nan))


def _key(t: FrozenTrial) -> tuple:
    loss = t.user_attrs.get("val_loss")
    return (accuracy_of(t), -(loss if isinstance(loss, (int, float)) and math.isfinite(loss) else math.inf),
            -t.number)


def best_trial(trials: list[FrozenTrial]) -> FrozenTrial | None:
    done = [t for t in trials if t.state == TrialState.COMPLETE and math.isfinite(accuracy_of(t))]
    return max(done, key=_key) if done else None


def trial_row(project: Project | None, t: FrozenTrial) -> dict:
    run_id = t.user_attrs.get("run", "")
    state, reason = state_of(t)
    row = {"number": t.number, "state": state, "run": run_id,
           "val_accuracy": _finite(accuracy_of(t)), "val_loss": _finite(t.user_attrs.get("val_loss")),
           "parameters": t.user_attrs.get("parameters"), "seconds": _finite(t.user_attrs.get("seconds")),
           "params": {**t.user_attrs.get("fixed", {}), **t.params},
           "starting_point": bool(t.user_attrs.get(START_TAG)), "reason": reason,
           "stopped": bool(stopped_reason(t)),
           "worker": t.user_attrs.get("worker", "")}  # host:pid, to find the run of a shared study
    return row


def _finite(v):
    return float(v) if isinstance(v, (int, float)) and math.isfinite(v) else None


def importances(study: optuna.Study) -> dict[str, float]:
    """``{param: share}`` summing to 1 (empty when it cannot be computed yet)."""
    done = [t for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))]
    if len(done) < 2 or len({round(accuracy_of(t), 9) for t in done}) < 2:
        return {}  # nothing to explain: every finished trial scored the same
    varied = [p for p in {k for t in done for k in t.params} if len({repr(t.params.get(p)) for t in done}) > 1]
    if not varied:
        return {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            imp = optuna.importance.get_param_importances(
                study, params=sorted(varied), target=(lambda t: t.values[0]) if len(study.directions) > 1 else None)
    except Exception:  # noqa: BLE001 - fANOVA refuses some degenerate studies; the summary says "not yet"
        return {}
    return {k: float(v) for k, v in imp.items()}


def say_importances(imp: dict[str, float]) -> str:
    """``"the learning rate mattered most; batch size hardly mattered"``."""
    if not imp:
        return "not enough finished trials yet to say which settings mattered"
    order = sorted(imp.items(), key=lambda kv: -kv[1])
    title = {n: PARAMS[n].title if n in PARAMS else n for n in imp}
    parts = [f"the {title[order[0][0]]} mattered most"]
    middle = [title[n] for n, v in order[1:] if v >= 0.15]
    if middle:
        parts.append(f"then {' and '.join(middle)}")
    low = [title[n] for n, v in order[1:] if v < 0.05]
    if low:
        parts.append(f"{', '.join(low)} hardly mattered")
    return "; ".join(parts)


def pareto(project: Project | None, study: optuna.Study) -> list[dict]:
    """The small-and-accurate front (two objectives only): the trials no other trial beats on both."""
    if len(study.directions) < 2:
        return []
    return sorted((trial_row(project, t) for t in study.best_trials), key=lambda r: r["parameters"] or 0)


EPOCHS_ATTR = "trial_epochs"  # the study's epochs per trial when its space says "auto" (trial 0 chose them)
FINAL_ATTR = "final"  # the study's final run: the best trial's settings on every training picture (final.py)


def summarize(project: Project | None, study: optuna.Study, *, bookkeeping_s: float | None = None,
              wall_s: float | None = None) -> dict:
    trials = study.get_trials(deepcopy=False)
    states = [state_of(t)[0] for t in trials]
    counts = {name: states.count(name) for name in ("complete", "pruned", "failed")}
    stopped = Counter(r for r in map(stopped_reason, trials) if r)  # among the failed: stopped from outside
    out: dict = {"study": study.study_name, "trials": len(trials), **counts, "stopped": sum(stopped.values()),
                 "stopped_reasons": dict(stopped),
                 "objective": "accuracy+size" if len(study.directions) > 1 else "accuracy",
                 "best": None, "starting_point": None, "pareto": pareto(project, study)}
    per_trial = study.user_attrs.get(EPOCHS_ATTR)
    if per_trial:
        out["epochs_per_trial"] = per_trial
    best = best_trial(trials)
    if best is not None:
        row = trial_row(project, best)
        row["test_accuracy"] = _test_accuracy(project, row["run"])
        out["best"] = row
    start = [t for t in trials if t.user_attrs.get(START_TAG) and t.state == TrialState.COMPLETE]
    if start:
        out["starting_point"] = trial_row(project, start[0])
    final = study.user_attrs.get(FINAL_ATTR)
    if isinstance(final, dict) and final.get("run"):
        out["final"] = {**final, "test_accuracy": _test_accuracy(project, final["run"])
                        if final.get("state") == "finished" else None}
    imp = importances(study)
    out["importances"] = imp
    out["said"] = say(out, imp)
    if bookkeeping_s is not None and wall_s:
        out["bookkeeping_seconds"] = round(bookkeeping_s, 3)
        out["wall_seconds"] = round(wall_s, 3)
    return out


def _test_accuracy(project: Project | None, run_id: str):
    if project is None or not run_id:
        return None
    info = run_records.find_run(project, run_id)
    return _finite(info.summary.get("test_accuracy")) if info else None


def say(summary: dict, imp: dict[str, float]) -> str:
    """The study's result in two or three plain sentences."""
    best = summary.get("best")
    if best is None:
        return "No trial has finished yet."
    start = summary.get("starting_point")
    words = [f"Best: trial {best['number']} with {best['val_accuracy']:.1%} validation accuracy"]
    if start is not None and start["val_accuracy"] is not None and start["number"] != best["number"]:
        gain = best["val_accuracy"] - start["val_accuracy"]
        words[0] += (f", {gain * 100:.1f} points better than the starting settings ({start['val_accuracy']:.1%})"
                     if gain > 0 else f"; the starting settings ({start['val_accuracy']:.1%}) were as good")
    elif start is not None and start["number"] == best["number"]:
        words[0] += "; nothing beat the starting settings yet"
    text = words[0] + ". " + say_importances(imp).capitalize() + "."
    final = summary.get("final")
    if final and final.get("state") == "finished" and final.get("test_accuracy") is not None:
        text += (f" Trial {final['trial']}'s settings were then trained on every training picture (the "
                 f"{final['held_out']:,} held out for validation included): {final['test_accuracy']:.1%} on the "
                 "test pictures; that run is the search's model.")
    return text

"""A study in plain words: the trials, the best one, the Pareto front, and which settings mattered.

The best trial is the finished one with the highest validation accuracy (:func:`best_trial`, the one rule), ties
broken for the starting trial (what the user has: a tie changes settings for no gain), then by the lower
validation loss, then the earlier trial. A pruned or stopped trial is never the best (its score is from fewer
epochs); one whose score so far is higher is said beside the best (:func:`higher_unfinished`), so that "no other
trial beat them" is never said beside a higher score in the table. The test split is never looked at to choose,
nor said beside a trial: a trial's test score is its run's, on Evaluate. Test pictures are for the end, looked at
once on purpose (:mod:`cnnstudio.project.seen_scores`): the summary's ``best`` row and ``final`` carry their run's ``test_accuracy``
only once that run's score was looked at (``"test_seen": true``), as ``cnnstudio runs --json`` does; until then
``"test_seen": false`` and no test figure. The words say the study's final run (:mod:`.final`), the model the search
keeps, with its validation accuracy when it has one, and its test accuracy only once looked at; until then that its
test score is for the end (:data:`LOOK_LATER`: neutral words, each front end says where it looks).

Counts: ``complete``, ``pruned`` and ``failed`` are Optuna's states; ``stopped`` (with ``stopped_reasons``) is the
part of ``failed`` that did not fail by itself but was stopped by the time limit, a stop or its process ending
(:data:`STOPPED_REASONS`): the words say "stopped (time limit)", never "failed", for those.

Better than the starting settings: only when the two validation accuracies' 95% ranges (Wilson, on the
validation pictures each was scored on) do not overlap (:func:`clearly_better`); a smaller gain is said to be
within chance.

Which settings mattered: Optuna's parameter importances (fANOVA, computed by Optuna itself, with a fixed seed so
that reading a study twice says the same) over the finished trials, phrased for a beginner as what they suggest
("the learning rate seems to matter most; batch size seems to matter little"), every setting in one group, in
order. Not from fewer than :data:`MIN_FINISHED_TO_TELL` finished trials: the summary says there are not enough to
tell; nor when the finished trials' scores all lie within chance of each other (:func:`spread_within_chance`):
it says the search cannot tell yet, and ``importances`` is empty.

Trial numbers are Optuna's (from 0) in every record; the words count from 1 (:mod:`.words`).
"""

from __future__ import annotations

import math
import warnings
from collections import Counter

import optuna
from optuna.trial import FrozenTrial, TrialState

from ...project import run_records
from ...project.store import Project
from ..use.figures import percent
from ..use.intervals import accuracy_interval
from .space import PARAMS
from .storage import WORKER_GONE, worker_gone
from ...project.counting import counted
from ...project.glossary import RANGE_TERM
from ...project.seen_scores import TEST_SEEN, score_seen
from .words import trial_words

STATES = {TrialState.COMPLETE: "complete", TrialState.PRUNED: "pruned", TrialState.FAIL: "failed",
          TrialState.RUNNING: "running", TrialState.WAITING: "waiting"}
START_TAG = "starting_point"
#: The reasons of a trial stopped from outside, not failed by itself (study.py gives them; Optuna keeps such a
#: trial as failed): the time limit, a stop (Ctrl-C, the Tune page's Stop), or its worker process ending.
#: Counted apart as "stopped" in a summary, each row saying why.
STOPPED_REASONS = ("time limit", "stopped", WORKER_GONE)

#: Which settings mattered is said from this many finished trials on, never from fewer. Every trial changes every
#: searched setting at once (the default space searches 9), so a few trials cannot tell them apart: any share of
#: the credit fits them. Measured with Optuna's fANOVA on searches of the default space (its TPE sampler, 25
#: seeds each) whose score followed the learning rate alone, plus 0.5 or 2 points of noise (2 points: about what
#: 300 validation pictures give): from 5 trials it named the learning rate first in 4 and 2 searches of 25,
#: chance's share; from 10 in 16 and 7; from 20 in 25 and 12. Ten is the least at which the words say more than
#: chance, and they still say "seems".
MIN_FINISHED_TO_TELL = 10
IMPORTANCE_SEED = 0  # fANOVA's forest is random: a fixed seed, so a study read twice gives the same words


def state_of(t: FrozenTrial) -> tuple[str, str]:
    """Trial ``t``'s state in :data:`STATES`' words and its reason. A trial Optuna still calls running whose worker
    process on this computer has ended (killed: it could not say so), or that never named its worker
    (:func:`.storage.worker_gone`), reads as failed with :data:`WORKER_GONE`, as
    :func:`.storage.fail_dead_trials` marks it when the study is opened again: reading writes nothing."""
    reason = t.user_attrs.get("reason", "")
    if worker_gone(t):
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


def rank_key(val_accuracy: float, starting: bool, val_loss, number: int) -> tuple:
    """The order of the one rule for a search's best trial, over plain values, so that the engine
    (:func:`best_trial`) and the Tune page while a search runs (:func:`best_row`) rank alike: the higher validation
    accuracy; on a tie the starting trial, then the lower validation loss (a trial with none known comes last),
    then the earlier trial. The best is the largest key."""
    loss = val_loss if isinstance(val_loss, (int, float)) and math.isfinite(val_loss) else math.inf
    return (val_accuracy, bool(starting), -loss, -number)


def _key(t: FrozenTrial) -> tuple:
    return rank_key(accuracy_of(t), t.user_attrs.get(START_TAG), t.user_attrs.get("val_loss"), t.number)


def best_trial(trials: list[FrozenTrial]) -> FrozenTrial | None:
    """The one rule for a search's best trial (the Tune page, ``cnnstudio tune``, the final run, "Use these
    settings"): the finished trial with the highest validation accuracy; on a tie the starting trial (what the user
    has: a trial that only ties it changes settings for no gain), then the lower validation loss, then the earlier
    trial. A pruned or stopped trial is never the best: its score is from fewer epochs (:func:`higher_unfinished`
    says it when it is higher)."""
    done = [t for t in trials if t.state == TrialState.COMPLETE and math.isfinite(accuracy_of(t))]
    return max(done, key=_key) if done else None


def best_row(rows: list[dict]) -> dict | None:
    """:func:`best_trial`'s rule over trial rows (:func:`trial_row`'s shape: ``number``, ``state``,
    ``val_accuracy``, ``val_loss``, ``starting_point``), as the Tune page holds them while a search runs: the
    finished ("complete") row with the highest validation accuracy, ties broken as :func:`rank_key` says."""
    done = [r for r in rows if r.get("state") == "complete" and isinstance(r.get("val_accuracy"), (int, float))
            and math.isfinite(r["val_accuracy"])]
    return max(done, key=lambda r: rank_key(r["val_accuracy"], r.get("starting_point"), r.get("val_loss"),
                                            r["number"])) if done else None


def _reached_at(t: FrozenTrial) -> int | None:
    """The step at which a stopped trial reached its score so far (Optuna's step: 0 half-way through epoch 1,
    ``n`` at the end of epoch ``n``; study.FIRST_LOOK_STEP), None when it reported none."""
    values = {k: v for k, v in (t.intermediate_values or {}).items() if math.isfinite(v)}
    if not values:
        return None
    top = max(values.values())
    return min(k for k, v in values.items() if v == top)


def higher_unfinished(trials: list[FrozenTrial], best: FrozenTrial | None) -> list[dict]:
    """The trials that did not finish (pruned, stopped, failed) whose score so far is above the best finished
    trial's, highest first, as ``{"number", "val_accuracy", "state", "stopped", "step"}``: not ranked (their scores
    are from fewer epochs), but said (:func:`say_unfinished`), so that "no other trial beat them" is never said
    beside a higher score in the table."""
    if best is None:
        return []
    top = accuracy_of(best)
    out = []
    for t in trials:
        state = state_of(t)[0]
        acc = accuracy_of(t)
        if state in ("pruned", "failed") and math.isfinite(acc) and acc > top:
            out.append({"number": t.number, "val_accuracy": acc, "state": state, "stopped": bool(stopped_reason(t)),
                        "step": _reached_at(t)})
    return sorted(out, key=lambda r: (-r["val_accuracy"], r["number"]))


# ------------------------------------------------------------------ a search's runs, as the Train page lists them
#: The one rule for what a trial counts as, said by the Tune page's summary (:func:`say`) and the Train page's runs
#: list alike (:func:`search_runs_line`): a trial is *finished* only when its run trained to its end (Optuna's
#: complete; its run's status "finished"). A trial stopped part-way (Stop, Ctrl-C, the time limit) or pruned has a
#: score so far, which its row shows, but is not finished: it is never the search's best, nor counted in its best
#: validation accuracy.
NO_BEST = "No trial finished, so this search has no best settings to offer."
NOT_YET = "No trial has finished yet."


def trial_run_finished(info) -> bool:
    """Whether a search's trial run (a :class:`~cnnstudio.project.run_records.RunInfo`) counts as finished: its run
    trained to its end, not stopped part-way nor pruned (the rule above)."""
    s = info.summary if isinstance(info.summary, dict) else {}
    acc = s.get("val_accuracy")
    return (info.status == "finished" and not s.get("pruned") and not s.get("tune_end")
            and isinstance(acc, (int, float)) and math.isfinite(acc))


def search_runs_line(study: str, runs: list) -> str:
    """A search's header in the Train page's runs list, by the same rule as the Tune page's summary: "Search 3 Dec
    13:42:45: 2 trials, best validation accuracy 93.4%" over its finished trials only; "…: 1 trial; no trial
    finished, so this search has no best settings to offer" when none did (a stopped trial's score so far is on its
    own row); "…; no trial has finished yet" while one trains. ``runs``: the search's runs (its final run apart)."""
    from .words import search_name, search_runs_words

    trials = [r for r in runs if run_records.is_search_trial(r)]
    finals = len(runs) - len(trials)
    head = f"{search_name(study)}: {search_runs_words(len(trials), finals)}"
    done = [r for r in trials if trial_run_finished(r)]
    if done:
        best = max(float(r.summary["val_accuracy"]) for r in done)
        some = "" if len(done) == len(trials) else f", {len(done)} finished"
        return f"{head}{some}, best validation accuracy {percent(best)}"
    said = NOT_YET if any(r.status == "running" for r in trials) else NO_BEST
    return f"{head}; {said[0].lower()}{said[1:].rstrip('.')}"


def trial_row(project: Project | None, t: FrozenTrial) -> dict:
    run_id = t.user_attrs.get("run", "")
    state, reason = state_of(t)
    row = {"number": t.number, "state": state, "run": run_id,
           "val_accuracy": _finite(accuracy_of(t)), "val_loss": _finite(t.user_attrs.get("val_loss")),
           "parameters": t.user_attrs.get("parameters"), "seconds": _finite(t.user_attrs.get("seconds")),
           "params": {**t.user_attrs.get("fixed", {}), **t.params},
           "starting_point": bool(t.user_attrs.get(START_TAG)), "reason": reason,
           "stopped": bool(stopped_reason(t)),
           "val_pictures": _val_pictures(project, t, run_id),
           "worker": t.user_attrs.get("worker", "")}  # host:pid, to find the run of a shared study
    return row


def _val_pictures(project: Project | None, t: FrozenTrial, run_id: str) -> int | None:
    """How many validation pictures trial ``t`` was scored on (the study records it; an older study's run does)."""
    n = t.user_attrs.get("val_pictures")
    if isinstance(n, int) and n > 0:
        return n
    info = run_records.find_run(project, run_id) if project is not None and run_id else None
    return (run_records.scored_pictures(info.summary, "val") or None) if info is not None else None


def clearly_better(a: float, n_a: int | None, b: float, n_b: int | None) -> bool | None:
    """Whether validation accuracy ``a`` (on ``n_a`` pictures) beats ``b`` (on ``n_b``) by more than chance: the
    lower end of ``a``'s 95% range above the upper end of ``b``'s. None when a count is not known."""
    if not n_a or not n_b:
        return None
    return accuracy_interval(a, n_a)[0] > accuracy_interval(b, n_b)[1]


def _finite(v):
    return float(v) if isinstance(v, (int, float)) and math.isfinite(v) else None


def importances(study: optuna.Study) -> dict[str, float]:
    """``{param: share}`` summing to 1 (empty below :data:`MIN_FINISHED_TO_TELL` finished trials, or when it
    cannot be computed)."""
    done = [t for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))]
    if len(done) < MIN_FINISHED_TO_TELL or len({round(accuracy_of(t), 9) for t in done}) < 2:
        return {}  # nothing to explain: every finished trial scored the same
    varied = [p for p in {k for t in done for k in t.params} if len({repr(t.params.get(p)) for t in done}) > 1]
    if not varied:
        return {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            imp = optuna.importance.get_param_importances(
                study, evaluator=optuna.importance.FanovaImportanceEvaluator(seed=IMPORTANCE_SEED),
                params=sorted(varied), target=(lambda t: t.values[0]) if len(study.directions) > 1 else None)
    except Exception:  # noqa: BLE001 - fANOVA refuses some degenerate studies; the summary says "not yet"
        return {}
    return {k: float(v) for k, v in imp.items()}


def _and(names: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


#: Which settings mattered, in groups by their share of the credit, most first: a setting of at least
#: :data:`SOME_SHARE` after the first is said "then", one below :data:`LITTLE_SHARE` "seems to matter little", one in
#: between "seems to matter somewhat". Every setting with a share is said in one group, in order.
SOME_SHARE = 0.15
LITTLE_SHARE = 0.05


def say_importances(imp: dict[str, float], finished: int | None = None, within_chance: int | None = None) -> str:
    """``"the learning rate seems to matter most; then dropout; augmentation strength seems to matter somewhat;
    batch size seems to matter little"``: every setting of ``imp``, in order. With no importances, why: fewer than
    :data:`MIN_FINISHED_TO_TELL` of the ``finished`` trials, none that tell (all scored alike), or
    ``within_chance``: the finished trials' scores all lie within chance of each other on that many validation
    pictures (:func:`spread_within_chance`), so any ranking would be read from noise."""
    if within_chance:
        return (f"on {counted(within_chance, 'validation picture')} the finished trials' scores are all within chance "
                "of each other, so the search cannot tell yet which settings matter: it needs more validation "
                "pictures or more trials")
    if not imp:
        if finished is not None and finished >= MIN_FINISHED_TO_TELL:
            return (f"the {counted(finished, 'finished trial')} do not show which settings matter: they scored "
                    "alike, or the settings that changed changed together")
        have = "" if finished is None else f": this search has {finished}"
        return (f"there are not enough finished trials to tell which settings matter (it takes "
                f"{MIN_FINISHED_TO_TELL}{have})")
    order = sorted(imp.items(), key=lambda kv: -kv[1])
    title = {n: PARAMS[n].title if n in PARAMS else n for n in imp}
    parts = [f"the {title[order[0][0]]} seems to matter most"]
    middle = [title[n] for n, v in order[1:] if v >= SOME_SHARE]
    if middle:
        parts.append(f"then {_and(middle)}")
    some = [title[n] for n, v in order[1:] if LITTLE_SHARE <= v < SOME_SHARE]
    if some:
        parts.append(f"{_and(some)} {'seems' if len(some) == 1 else 'seem'} to matter somewhat")
    low = [title[n] for n, v in order[1:] if v < LITTLE_SHARE]
    if low:
        parts.append(f"{_and(low)} {'seems' if len(low) == 1 else 'seem'} to matter little")
    return "; ".join(parts)


def spread_within_chance(project: Project | None, trials: list[FrozenTrial]) -> int | None:
    """How many validation pictures the finished trials were scored on when the highest and the lowest of their
    scores are within chance of each other (their 95% ranges overlap, :func:`clearly_better`): then no setting can
    be said to matter more than another. None when the scores are apart, or the count is not known."""
    done = [t for t in trials if t.state == TrialState.COMPLETE and math.isfinite(accuracy_of(t))]
    if len(done) < 2:
        return None
    hi, lo = max(done, key=accuracy_of), min(done, key=accuracy_of)
    n_hi = _val_pictures(project, hi, hi.user_attrs.get("run", ""))
    n_lo = _val_pictures(project, lo, lo.user_attrs.get("run", ""))
    return min(n_hi, n_lo) if clearly_better(accuracy_of(hi), n_hi, accuracy_of(lo), n_lo) is False else None


def pareto(project: Project | None, study: optuna.Study) -> list[dict]:
    """The small-and-accurate front (two objectives only): the trials no other trial beats on both."""
    if len(study.directions) < 2:
        return []
    return sorted((trial_row(project, t) for t in study.best_trials), key=lambda r: r["parameters"] or 0)


EPOCHS_ATTR = "trial_epochs"  # the study's epochs per trial when its space says "auto" (trial 0 chose them)
FINAL_ATTR = "final"  # the study's final run: the best trial's settings on every training picture (final.py)
DESIGN_ATTR = "design"  # a trial's design in words, as its run's name says it (the final run's name too)
ENDED_ATTR = "ended_why"  # why the study's last call had to end early ("failing": study.failing_words), "" if not


def summarize(project: Project | None, study: optuna.Study, *, bookkeeping_s: float | None = None,
              wall_s: float | None = None) -> dict:
    trials = study.get_trials(deepcopy=False)
    states = [state_of(t)[0] for t in trials]
    counts = {name: states.count(name) for name in ("complete", "pruned", "failed", "running")}
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
        row.update(_test_figures(project, row["run"]))
        out["best"] = row
    start = [t for t in trials if t.user_attrs.get(START_TAG) and t.state == TrialState.COMPLETE]
    if start:
        out["starting_point"] = trial_row(project, start[0])
    final = study.user_attrs.get(FINAL_ATTR)
    if isinstance(final, dict) and final.get("run"):
        done = final.get("state") == "finished"
        out["final"] = {**final, "val_accuracy": _run_figure(project, final["run"], "val_accuracy") if done else None,
                        **(_test_figures(project, final["run"]) if done else {TEST_SEEN: False})}
    out["ended_why"] = str(study.user_attrs.get(ENDED_ATTR) or "")
    out["higher_unfinished"] = higher_unfinished(trials, best)
    within = spread_within_chance(project, trials) if out["complete"] >= MIN_FINISHED_TO_TELL else None
    out["within_chance"] = within  # the finished trials' scores are all within chance: no ranking of settings
    imp = {} if within else importances(study)
    out["importances"] = imp
    out["said"] = say(out, imp)
    if bookkeeping_s is not None and wall_s:
        out["bookkeeping_seconds"] = round(bookkeeping_s, 3)
        out["wall_seconds"] = round(wall_s, 3)
    return out


def _run_summary(project: Project | None, run_id: str) -> dict:
    info = run_records.find_run(project, run_id) if project is not None and run_id else None
    return info.summary if info is not None and isinstance(info.summary, dict) else {}


def _run_figure(project: Project | None, run_id: str, key: str):
    return _finite(_run_summary(project, run_id).get(key))


def _test_figures(project: Project | None, run_id: str) -> dict:
    """Run ``run_id``'s test accuracy with ``"test_seen": true`` once its score was looked at on purpose
    (:func:`~cnnstudio.project.seen_scores.score_seen`); until then ``"test_seen": false`` and no test figure."""
    summary = _run_summary(project, run_id)
    if score_seen(summary):
        return {"test_accuracy": _finite(summary.get("test_accuracy")), TEST_SEEN: True}
    return {TEST_SEEN: False}


#: What the words say of the final run's test score before it was looked at: neutral, as each front end says where
#: one looks (the window: the Evaluate page with “Test pictures”; the command line: ``cnnstudio evaluate … --split
#: test``).
LOOK_LATER = "Its test score is for the end: look at it on purpose once you have chosen it."


def say(summary: dict, imp: dict[str, float]) -> str:
    """The study's result in two or three plain sentences; why it had to end first, when it did."""
    text = _say_best(summary, imp)
    why = summary.get("ended_why")
    if not why:
        return text
    return why if summary.get("best") is None else f"{why} {text}"


def _say_best(summary: dict, imp: dict[str, float]) -> str:
    best = summary.get("best")
    if best is None:
        return NOT_YET if summary.get("running") else NO_BEST
    start, acc = summary.get("starting_point"), best["val_accuracy"]
    higher = summary.get("higher_unfinished") or []
    text = f"Best: {trial_words(best['number'])} with {percent(acc)} validation accuracy"
    if start is not None and start["number"] == best["number"]:
        text += f", the starting settings: no other {'finished ' if higher else ''}trial beat them."
    elif start is not None and start["val_accuracy"] is not None:
        before = start["val_accuracy"]
        apart = clearly_better(acc, best.get("val_pictures"), before, start.get("val_pictures"))
        if acc <= before:
            text += f"; the starting settings ({percent(before)}) were as good."
        elif apart is False:
            text += (f", against {percent(before)} for the starting settings: on "
                     f"{counted(best['val_pictures'], 'validation picture')} that gap is within chance (their "
                     f"{RANGE_TERM}s overlap), so it is not clearly better.")
        else:
            text += f", {(acc - before) * 100:.1f} points better than the starting settings ({percent(before)})."
    else:
        text += "."
    if higher:
        text += f" {say_unfinished(higher)}"
    said = say_importances(imp, summary.get("complete"), summary.get("within_chance"))
    text += f" {said[0].upper()}{said[1:]}."
    final = summary.get("final")
    if final and final.get("state") == "finished":
        text += (f" {trial_words(final['trial']).capitalize()}'s settings were then trained on every training "
                 f"picture (the {final['held_out']:,} held out for validation included): ")
        if final.get(TEST_SEEN) and final.get("test_accuracy") is not None:
            text += f"{percent(final['test_accuracy'])} on the test pictures; that run is the search's model."
        else:
            val = final.get("val_accuracy")
            with_val = f", with {percent(val)} validation accuracy" if val is not None else ""
            text += f"that run is the search's model{with_val}. {LOOK_LATER}"
    return text


def _when(step: int | None) -> str:
    """ "at epoch 2", "half-way through epoch 1" (Optuna's step 0, study.FIRST_LOOK_STEP), "" when not known."""
    if step is None:
        return ""
    return " half-way through epoch 1" if step == 0 else f" at epoch {step}"


def say_unfinished(higher: list[dict]) -> str:
    """ "Trial 3 reached 87.5% at epoch 1 before it was stopped early; only finished trials are ranked, as a
    stopped trial's score is from fewer epochs.": :func:`higher_unfinished`'s trials, the highest said."""
    top = higher[0]
    how = ("stopped early" if top["state"] == "pruned" else "stopped" if top.get("stopped") else "failed")
    said = (f"{trial_words(top['number']).capitalize()} reached {percent(top['val_accuracy'])}{_when(top['step'])} "
            f"before it {'was ' if how != 'failed' else ''}{how}")
    if len(higher) > 1:
        said += f" ({counted(len(higher) - 1, 'other trial')} that did not finish also scored higher)"
    return f"{said}; only finished trials are ranked, as a trial that did not finish was scored on fewer epochs."

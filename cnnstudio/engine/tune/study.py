"""A hyperparameter and structure search: Optuna proposes settings, every trial is an ordinary run.

:func:`tune` is a generator of events (:mod:`.events`) that the CLI prints and the GUI's child process
streams. What it does:

1. Checks everything before anything is written: the search space (:mod:`.space`), the starting settings
   and design (the same preflight as a run: :func:`cnnstudio.engine.runs.lifecycle.plan_run`), the
   storage (:mod:`.storage`). A run needs validation pictures to be judged: a project without a
   validation split gets the held-out part every run gets; settings with validation switched off are
   refused.
2. Opens or creates the study (TPE sampler, seeded; ``constant_liar`` so that parallel workers spread
   out), marks the trials of dead workers failed, and — in a new study — enqueues the starting settings
   as trial 0, so the summary can say how much the search beat them.
3. Each trial trains the space's epochs. With ``"auto"`` (the default): the starting settings' epochs;
   when those are Auto too, the epochs of the project's finished run of exactly those settings and design
   on the same data (:func:`same_settings_run`: trial 0 is then that run trained again), else what trial
   0's Auto chooses by timing its first batches. The study keeps the number (user attribute
   :data:`EPOCHS_ATTR`) for every later trial, so the pruner and the comparison see trials of one length;
   a trial another worker starts before the number is known uses Auto itself. Each trial: ``study.ask()``,
   the space's suggestions applied to the starting settings (and, for the
   built-in design, to its depth, width and dropout), ``create_run`` + ``run`` exactly like a run started
   from the Train page, tagged with the study and trial number in its summary. After every epoch the
   validation accuracy is reported (``trial.report``; also once half-way through the first epoch) and a
   hopeless trial is pruned (a percentile pruner, :func:`make_pruner`) by stopping its run: the run keeps
   its partial curves, status stopped.
   ``study.tell`` records the best epoch's validation accuracy (and the model's size, with two objectives).
4. Budgets: ``trials`` (the study stops when it holds that many trials that ran or run: finished, pruned
   or in flight, counted over every worker of the study), ``minutes`` (for this call: the trial in flight
   at the deadline is stopped and marked failed with the reason "time limit"), or both. ``stop`` stops at
   once; every finished trial is kept.
5. The final run (:mod:`.final`): when the trials held training pictures out for validation (the project
   has no validation split), the best trial's settings are trained once more on every training picture;
   a time budget keeps the time that takes (the best trial's, scaled), so the whole call fits in it.
   Not after a stop, not with two objectives, not with ``final=False`` (``--no-final``).

With two objectives (accuracy and size) Optuna cannot prune (it has no intermediate values for several
objectives): every trial runs its epochs; the Pareto front is the result.

The test split is never read to choose; each trial's run measures it once at its end, as every run does.
"""

from __future__ import annotations

import math
import threading
import time
import warnings
from dataclasses import dataclass, replace
from typing import Any, Iterator

import optuna
from optuna.storages._heartbeat import get_heartbeat_thread
from optuna.trial import TrialState

from ...project import run_records
from ...project.store import Project
from ..events import TERMINAL, EpochEnd, RunFailed, RunFinished, RunStarted, ValCheck
from ..runs.lifecycle import create_run, plan_run, run
from ..runs.run_naming import PRESET_WORDS, describe_design, run_length_words
from ..train.settings import TrainSettings
from .events import StudyEnded, StudyStarted, TrialEnded, TrialEpoch, TrialStarted
from .final import final_plan, reserve_seconds, train_final
from .results import DESIGN_ATTR, ENDED_ATTR, EPOCHS_ATTR, START_TAG, STOPPED_REASONS, accuracy_of, summarize
from .space import (FROM_TRAIN_PAGE, STRUCTURE, apply_params, as_drawn, batch_cap, default_space, parse_space,
                    starting_value, used_space)
from .storage import TuneError, check_study_name, describe, fail_dead_trials, open_storage, worker_id
from .validation_pictures import TOO_FEW_FOR_VALIDATION
from .words import (STUDY_NAME_FORMAT, structure_words, trial_run_name, trial_search_words, trial_words,
                    unique_run_name)

OBJECTIVES = ("accuracy", "accuracy+size")


@dataclass(frozen=True)
class TuneSetup:
    """A checked study, ready to run (:func:`prepare`)."""
    study_name: str
    objective: str
    space: Any  # SearchSpace
    settings: TrainSettings  # the starting settings (sized for the design)
    design: dict  # {"design": "default", "input": (h, w, c)} or {"design": "fixed", "spec": ...}
    storage_url: str | None
    seed: int
    pruning: bool
    final: bool = True  # train the best trial's settings on every training picture at the end (final.py)
    asked: Any = None  # the space as asked (JSON), what the study keeps; ``space`` is it with its batch sizes capped
    note: str = ""  # what the search leaves out of what was asked, in words (space.batch_cap), said once at its start


def new_study_name() -> str:
    """A new study's name: when it started (:data:`.words.STUDY_NAME_FORMAT`; its words: ``search_words``)."""
    return time.strftime(STUDY_NAME_FORMAT)


def prepare(project: Project, *, settings: TrainSettings | None = None, spec: Any = None,
            preset: str | None = None, space: dict | None = None, objective: str = "accuracy",
            study: str | None = None, storage: str | None = None, seed: int = 0, pruning: bool = True,
            threads: int | None = None, final: bool = True) -> TuneSetup:
    """Check a study's inputs; raises an ``EngineError`` with one sentence; writes nothing."""
    if objective not in OBJECTIVES:
        raise TuneError(f"unknown objective {objective!r}: use {' or '.join(OBJECTIVES)}")
    name = check_study_name(study or new_study_name())
    plan = plan_run(project, settings, spec, preset=preset)
    base = plan.settings
    if not getattr(base, "validation", True):
        raise TuneError("tuning chooses by validation accuracy: switch validation back on")
    if not any(e.split == "val" for e in plan.entries):  # nothing to compare the trials by (validation_pictures)
        raise TuneError(TOO_FEW_FOR_VALIDATION)
    if threads is not None:
        base = base.replace(threads=threads)
    structure = plan.preset == "default"
    wanted = space if space is not None else default_space(structure)
    parsed = parse_space(used_space(wanted, None if structure else plan.spec_json, base), structure_allowed=structure)
    asked = parsed.to_json()
    parsed, note = batch_cap(parsed, sum(1 for e in plan.entries if e.split == "train"))  # not above the pictures
    pp = base.preprocess
    design = ({"design": "default", "input": (pp.height, pp.width, pp.channels)} if structure
              else {"design": "fixed", "spec": plan.spec_json})
    # "auto": the starting settings' epochs, or (theirs are Auto too) what trial 0's Auto chooses
    base = base.replace(epochs=parsed.epochs or base.epochs, early_stopping_patience=0)
    return TuneSetup(name, objective, parsed, base, design, storage, int(seed), bool(pruning) and objective == "accuracy",
                     bool(final) and objective == "accuracy", asked, note)


START_TRIES = 3  # the starting settings are trained at most this often (interrupted ones trained again)
INTERRUPTED = frozenset(STOPPED_REASONS)  # a trial's reason when it did not fail itself


def _starting_params(setup: TuneSetup) -> dict:
    """The starting settings as values of the searched parameters (clipped into their ranges)."""
    s = setup.settings
    start = {**{k: getattr(s, k) for k in FROM_TRAIN_PAGE}, "augment": 1.0, "blocks": 3, "width": 1.0,
             "dropout": 0.25}
    out = {}
    for r in setup.space.ranges:
        if r.is_fixed:
            continue
        out[r.name] = starting_value(r, start[r.name])
    return out


def open_study(project: Project, setup: TuneSetup) -> optuna.Study:
    storage = open_storage(project, setup.storage_url)
    directions = ["maximize"] if setup.objective == "accuracy" else ["maximize", "minimize"]
    try:
        study = optuna.create_study(study_name=setup.study_name, storage=storage, directions=directions,
                                    load_if_exists=True)
    except Exception as e:  # noqa: BLE001 - the storage's own errors
        raise TuneError(f"cannot open study {setup.study_name!r}: {str(e).splitlines()[0] if str(e) else e}") from None
    if list(study.directions) != [optuna.study.StudyDirection.MAXIMIZE if d == "maximize"
                                  else optuna.study.StudyDirection.MINIMIZE for d in directions]:
        raise TuneError(f"study {setup.study_name!r} was made with the other objective; give a new study name")
    saved = study.user_attrs.get("space")
    if saved is None:
        study.set_user_attr("space", setup.asked if setup.asked is not None else setup.space.to_json())
        study.set_user_attr("objective", setup.objective)
    fail_dead_trials(project, study)
    before = len(study.get_trials(deepcopy=False))
    study.sampler = optuna.samplers.TPESampler(seed=setup.seed + before, constant_liar=True,
                                               n_startup_trials=8, multivariate=True)
    study.pruner = make_pruner(setup.pruning)
    starts = [t for t in study.get_trials(deepcopy=False) if t.user_attrs.get(START_TAG)]
    if not starts or (len(starts) < START_TRIES and all(
            t.state == TrialState.FAIL and t.user_attrs.get("reason") in INTERRUPTED for t in starts)):
        # trial 0 trains the starting settings, what the summary compares with; stopped, killed or out of time
        # in it, the study trains them again when it carries on, rather than lose that comparison for good (a
        # start that failed by itself is not tried again: it would fail again)
        study.enqueue_trial(_starting_params(setup), user_attrs={START_TAG: True})
        if not setup.settings.epochs:  # "auto": as long as the run of these settings the user already has
            same = same_settings_run(project, setup)
            if same is not None:
                study.set_user_attr(EPOCHS_ATTR, same[1])
                study.set_user_attr("epochs_from_run", same[0])
    return study


def same_settings_run(project: Project, setup: TuneSetup) -> tuple[str, int] | None:
    """(run id, epochs) of the newest finished run that trained trial 0's settings and design, with Auto
    epochs, on the project's data as it is now: the study then trains every trial that many epochs, so trial
    0 trains exactly that run again (Auto's timing leaves the random state as it found it) and the summary's
    "better than the starting settings" compares with the run the user has. None: trial 0's Auto chooses."""
    from ..runs.lifecycle import data_changed

    settings, spec_json = apply_params(_starting_params(setup), setup.settings, setup.design)
    spec_json = spec_json if spec_json is not None else setup.design["spec"]
    want = {k: v for k, v in settings.to_json().items() if k != "epochs"}
    for info in run_records.list_runs(project, status="finished"):
        saved = run_records.run_settings(info.config)  # {} for a damaged record: not this run
        if saved.get("epochs") != 0 or info.config.get("spec") != spec_json:
            continue
        if {k: v for k, v in saved.items() if k != "epochs"} != want:
            continue
        n = info.summary.get("epochs_planned")
        try:
            if isinstance(n, int) and n > 0 and not data_changed(project, info.id):
                return info.id, n
        except Exception:  # noqa: BLE001 - an unreadable old run folder: not this one
            continue
    return None


KEEP = 1 / 3  # a trial goes on while it is in the top third of the finished trials at the same epoch
STARTUP = 2  # ... once this many trials have finished (they run to their end: what the others are held to)
FIRST_LOOK = 0.5  # the first judgement: when this share of the first epoch is trained (ValCheck) ...
FIRST_LOOK_STEP = 0  # ... reported as Optuna's step 0 (epoch N is step N)


def make_pruner(pruning: bool) -> optuna.pruners.BasePruner:
    """Optuna's percentile pruner, checked after every epoch: a trial goes on while its best validation accuracy
    so far is at least the top third's (the 67th percentile) of the finished trials at the same epoch, once
    two trials have finished; those first two run to their end, so that there is something to compare with,
    and the summary can say which settings mattered.

    Chosen by measurement. On 4,000 MNIST digits with trials of 10-12 epochs (``benchmarks/bench_tune.py``, 10
    minutes with and 10 without pruning, same study, the final run included in both):

    - Hyperband (min 1, reduction 3): 13 trials against 9 (1.4x). Its brackets include one that never prunes
      and others that prune late.
    - successive halving (min 1, reduction 3: a third kept at epochs 1, 3 and 9): 28 against 11 (2.5x), best
      validation 99.50 % against 99.33 %; keeping a quarter: 2.4x. A trial promoted at epoch 3 runs to epoch 9
      before it is looked at again.
    - this pruner after one finished trial: 48 against 9 (5.3x), best validation 99.33 % against 99.33 %; but
      only trial 0 finished, so nothing could say which settings mattered.
    - after three: 21 against 9 (2.3x), 99.50 % against 99.33 %: the third full trial costs more than it gives.
    - after two (kept): 46 against 13 (3.5x), best validation 99.50 % against 99.50 %, three trials finished;
      run again: 20 against 9 (2.2x), 99.33 % against 99.33 %, when TPE's random second trial was a wide network;
      a third time (pruned study only): 26 trials, 17 of the 22 pruned ones stopped after their first epoch.

    Since most pruned trials end after one epoch, that epoch is most of what they cost; so a trial is judged
    first half-way through it (:data:`FIRST_LOOK`: the run scores validation there, a ``ValCheck``, reported
    as step 0), then after every epoch. Every trial of a pruning study takes that look, the finished ones too,
    so step 0 compares like with like; the look changes nothing in the training (see ``fit``'s
    ``early_check``). A trial stopped there has no finished epoch: its run has no curve, and the trials table
    shows its half-epoch accuracy. With the look, three runs: 35 trials against 9 (3.9x), 25 against 9 (2.8x)
    and 35 against 10 (3.5x), pruned trials 5-8 s each at the median; best validation 99.50 % with pruning
    every time, against 99.67 %, 99.33 % and 99.67 % without: one validation picture either way. Once the
    winner without pruning was trial 5 of TPE's random start (the same settings in both studies): a small,
    fast network with a high learning rate (24 s for 10 epochs), slow in its first epoch (83 % at the look),
    which the pruning study stops early (before the look: at epoch 3); once trial 8, TPE's first own
    proposal, which differs between the studies. Optuna's pruners do not weigh a trial's cost: a cheap trial
    is worth finishing, an expensive one is not.

    Three other rules, each tried once with the look (the pruning study alone, 10 minutes; the same study
    without pruning had 99.67 % at 11 epochs per trial and 99.33 % at 10):

    - keeping the top half (Optuna's median rule): 29 trials, 4 finished, best 99.50 %;
    - trial 0 alone as the reference (the starting settings; one finished trial before pruning): 31 trials,
      3 finished (an expensive random trial among them, 127 s), best 99.33 % at 9 epochs per trial;
    - a cost-aware rule, comparing a trial with the finished ones after the same seconds rather than the same
      epoch: 87 trials, 13 finished, best 99.17 %: small two-block networks lead early, so the search drifted
      to them, and they end lower.

    What limits it is the budget: a finished trial costs 50-130 s, so a study with three times the trials
    finishes 3 or 4 of them where the study without pruning finishes 9 or 10; the best validation accuracy is
    then the best of 3-4 against the best of 10, and one of the 600 validation pictures decides. A longer
    budget does not change the count: at the Tune page's 15 minutes, 35 trials (4 finished, one of them 129 s)
    against 14 (2.5x), best validation 99.50 % against 99.17 % (Auto chose 8 and 9 epochs per trial).

    Other sampler seeds (10 epochs per trial pinned, 10 minutes each, the same study without pruning beside
    each; the search's model is the final run on all 4,000 pictures):

    - seed 1: 22 trials against 4 (5.5x), best validation 99.67 % against 99.83 %. The study without pruning
      ran 4 trials, one of them 163 s; that one, a high learning rate at 89.5 % after its first epoch, ended
      best, and pruning stopped it there (the short-horizon bias of every pruner: a trial that learns fast
      early leads early). The search's model: 99.20 % test with pruning, 99.10 % without.
    - seed 2: 56 against 10 (5.6x), 99.50 % against 99.50 %; the search's model 99.40 % either way.
    - seed 3: 49 against 9 (5.4x), 99.33 % against 99.33 %: trial 0, the starting settings, won both.
    - seed 4: 24 against 8 (3.0x), 99.33 % against 99.33 %; the search's model 98.90 % against 98.80 %.
    - seed 0 again, with the 10 epochs pinned: 42 against 9 (4.7x), 99.50 % against 99.33 %; the search's
      model 99.00 % against 98.50 %.
    - judging only at the look and after epochs 1 and 2 (a trial that passes them finishes: more finished
      trials, fewer trials in all): 25 against 9 (2.8x, seed 0), 27 against 4 (seed 1) and 68 against 10
      (seed 2); best validation 99.50 % / 99.33 %, 99.50 % / 99.83 %, 99.67 % / 99.50 %. No better on
      balance, so not kept.

    With the epochs pinned, a trial's settings give the same accuracy in both studies (trials 0 and 1 matched
    to the picture in every pair), so these five pairs differ only by what the pruner did. Both halves of the
    target held in 4 of 5. In the fifth (seed 1) the winner's validation accuracy went 89.5, 85.7, 73.8 % in
    its first three epochs and then 98.2 ... 99.8 %: any rule that judges a trial on part of its curve stops it.

    Over the eight pairs of the kept rule at 10 minutes: 288 trials against 68 (4.2x; 3x or more in 7 of 8),
    the best validation accuracy no lower in 5 of 8 and 0.02 points lower on average, a tenth of one
    validation picture; both held in 4 of 8 (seeds 0 pinned, 2, 3 and 4); the search's model was as good or
    better with pruning in all five seeded pairs. ``bench_tune.py --compare-seeds`` repeats the pair over seeds."""
    if not pruning:
        return optuna.pruners.NopPruner()
    return optuna.pruners.PercentilePruner(100 * KEEP, n_startup_trials=STARTUP, n_warmup_steps=0, interval_steps=1)


def _counted(study: optuna.Study) -> int:
    return len(study.get_trials(deepcopy=False, states=(TrialState.COMPLETE, TrialState.PRUNED,
                                                         TrialState.RUNNING)))


def tune(project: Project, setup: TuneSetup, *, trials: int | None = None, minutes: float | None = None,
         stop: threading.Event | None = None) -> Iterator:
    """Run the study (see the module doc): StudyStarted, then per trial TrialStarted / TrialEpoch... /
    TrialEnded, then StudyEnded with the summary."""
    if trials is None and minutes is None:
        raise TuneError("give a budget: a number of trials, a time limit in minutes, or both")
    if trials is not None and trials < 1:
        raise TuneError("the number of trials must be at least 1")
    if minutes is not None and not minutes > 0:
        raise TuneError("the time limit must be more than 0 minutes")
    stop = stop or threading.Event()
    t0 = time.perf_counter()
    deadline = t0 + minutes * 60 if minutes is not None else math.inf
    study = open_study(project, setup)
    drawn = as_drawn(setup.space, study.get_trials(deepcopy=False))  # a continued study's own choices
    setup = setup if drawn == setup.space else replace(setup, space=drawn, note="")
    if study.user_attrs.get(ENDED_ATTR):  # why it ended last time ("failing"): this call says its own
        study.set_user_attr(ENDED_ATTR, "")
    before = len([t for t in study.get_trials(deepcopy=False) if t.state != TrialState.WAITING])
    yield StudyStarted(setup.study_name, describe(project, setup.storage_url),
                       setup.asked if setup.asked is not None else setup.space.to_json(), setup.objective,
                       setup.pruning, before, setup.note)
    book = 0.0  # the study's own bookkeeping: sampler, storage, reports
    reason = "trials"
    failed: list[TrialEnded] = []  # this call's last trials, in a row, that failed by themselves
    while True:
        if stop.is_set():
            reason = "stopped"
            break
        tb = time.perf_counter()
        keep = reserve_seconds(final_plan(project, study)) if setup.final and minutes is not None else 0.0
        book += time.perf_counter() - tb
        if time.perf_counter() >= deadline - keep:
            reason = "time"
            break
        tb = time.perf_counter()
        if trials is not None and _counted(study) >= trials:
            book += time.perf_counter() - tb
            break
        with warnings.catch_warnings():  # Optuna warns that a heartbeat is for study.optimize(): ours does the same
            warnings.filterwarnings("ignore", message="Heartbeat of storage is supposed to be used")
            trial = study.ask()
        trial.set_user_attr("worker", worker_id())  # first: a trial killed before it is recorded reads as unowned
        params = setup.space.suggest(trial)
        trial.set_user_attr("fixed", {r.name: r.fixed for r in setup.space.ranges if r.is_fixed})
        book += time.perf_counter() - tb
        with get_heartbeat_thread(trial._trial_id, study._storage):  # what study.optimize() does (server storage)
            spent, ended = yield from _trial(project, setup, study, trial, params, stop, deadline - keep)
        book += spent
        failed = failed + [ended] if ended.state == "failed" and not ended.stopped else []
        why = failing_words(failed, any_finished=bool(_counted(study)))
        if why:
            reason = "failing"
            study.set_user_attr(ENDED_ATTR, why)
            break
    plan = final_plan(project, study) if setup.final and reason not in ("stopped", "failing") else None
    if plan is not None:
        yield from train_final(project, study, plan, stop)
        if stop.is_set():
            reason = "stopped"
    wall = time.perf_counter() - t0
    yield StudyEnded(reason, summarize(project, study, bookkeeping_s=book, wall_s=wall))


FAILS_IN_A_ROW = 3  # a study ends ("failing") after this many of its trials in a row failed by themselves
#: A trial's reason when its run had no validation picture to be scored on: the study ends at once, since every
#: other trial would fail the same way (validation_pictures.py says it before a search starts)
NO_VALIDATION_PICTURES = "no validation pictures"


def failing_words(failed: list[TrialEnded], any_finished: bool) -> str:
    """Why a study must end now, in one or two sentences, or "" when it can go on. ``failed``: the last trials that
    failed by themselves, in a row (not stopped); ``any_finished``: some trial of the study finished or was
    pruned. A trial that had no validation picture ends it at once; else :data:`FAILS_IN_A_ROW` failures."""
    if failed and failed[-1].reason == NO_VALIDATION_PICTURES:
        said = TOO_FEW_FOR_VALIDATION[0].lower() + TOO_FEW_FOR_VALIDATION[1:]
        head = f"{trial_words(failed[-1].number).capitalize()} failed" if any_finished else "Every trial failed"
        return f"{head}: {said}"
    if len(failed) >= FAILS_IN_A_ROW:
        last = failed[-1].reason.strip().rstrip(".") or "no reason was given"
        return f"{len(failed)} trials in a row failed: {last}. The search stopped."
    return ""


def trial_design_words(spec_json: dict, structure: dict | None = None) -> str:
    """A trial's design in the words every run's name uses ("LeNet-5", "Recommended design"). ``structure``: the
    trial's params when it searched the built-in design's structure: a depth, width or dropout other than the
    usual is said as the built-in design changed, "Recommended design (depth 2, width ×0.77)", not by its layers
    as a design of the user's own ("Your design (2 convolutions)")."""
    said = describe_design(spec_json)
    changed = structure_words({k: v for k, v in (structure or {}).items() if k in STRUCTURE})
    if not changed or said == PRESET_WORDS["default"]:
        return said
    return f"{PRESET_WORDS['default']} ({changed})"


def _trial(project: Project, setup: TuneSetup, study: optuna.Study, trial: optuna.Trial, params: dict,
           stop: threading.Event, deadline: float) -> Iterator:
    """One trial as a run; returns the seconds spent in bookkeeping and its TrialEnded."""
    t0 = time.perf_counter()
    book = 0.0
    settings, spec_json = apply_params(params, setup.settings, setup.design)
    auto = not settings.epochs
    if auto:  # the study's epochs per trial, once trial 0 has chosen them (see the module doc)
        known = study.user_attrs.get(EPOCHS_ATTR)
        settings = settings.replace(epochs=int(known) if known else 0)
        auto = not known
    spec = spec_json if spec_json is not None else setup.design["spec"]
    design = trial_design_words(spec, params if spec_json is not None else None)  # built-in: as searched
    trial.set_user_attr(DESIGN_ATTR, design)
    made = trial_search_words(setup.study_name, trial.number) if spec_json is not None else ""  # the search's design
    try:
        run_id = create_run(project, settings, spec,
                            name=unique_run_name(project, trial_run_name(design, settings.epochs,
                                                                         setup.study_name, trial.number,
                                                                         run_length_words(spec, settings))),
                            design=describe_design(spec, search=made) if made else "")
    except Exception as e:  # noqa: BLE001 - a trial that cannot start is a failed trial, not a failed study
        trial.set_user_attr("reason", str(e))
        study.tell(trial, state=TrialState.FAIL)
        ended = TrialEnded(trial.number, "", "failed", math.nan, math.nan, 0, 0.0, params, str(e))
        yield ended
        return 0.0, ended
    run_records.update_run(project, run_id, summary={"study": setup.study_name, "trial": trial.number,
                                                      "tuned": params})
    trial.set_user_attr("run", run_id)
    yield TrialStarted(trial.number, run_id, params)
    halt = threading.Event()
    why, parameters, losses, accs, end, val_pictures, best_val = "", 0, {}, [], None, None, math.nan
    for ev in run(project, run_id, stop=halt, early_check=FIRST_LOOK if setup.pruning else None):
        if stop.is_set() and not halt.is_set():
            why = why or "stopped"
            halt.set()
        if time.perf_counter() >= deadline and not halt.is_set():
            why = why or "time limit"
            halt.set()
        if isinstance(ev, RunStarted):
            parameters = ev.parameters
            val_pictures = int(ev.val_images)
            trial.set_user_attr("val_pictures", val_pictures)  # the size behind its score's 95 % range
            if auto and not study.user_attrs.get(EPOCHS_ATTR):
                study.set_user_attr(EPOCHS_ATTR, int(ev.epochs))
        elif isinstance(ev, EpochEnd):
            losses[ev.epoch] = ev.val_loss
            if math.isfinite(ev.val_accuracy) and not ev.val_accuracy <= best_val:
                best_val = ev.val_accuracy
            yield TrialEpoch(trial.number, run_id, ev.epoch, ev.epochs, ev.train_loss, ev.train_accuracy,
                             ev.val_loss, ev.val_accuracy)
        elif isinstance(ev, TERMINAL):
            end = ev
        if isinstance(ev, (EpochEnd, ValCheck)) and setup.pruning and not halt.is_set():  # judged: go on or stop
            tb = time.perf_counter()
            acc = ev.val_accuracy if math.isfinite(ev.val_accuracy) else 0.0
            accs.append(acc)
            trial.report(acc, ev.epoch if isinstance(ev, EpochEnd) else FIRST_LOOK_STEP)
            if trial.should_prune():
                why = "pruned"
                halt.set()
            book += time.perf_counter() - tb
    seconds = time.perf_counter() - t0
    tb = time.perf_counter()
    trial.set_user_attr("parameters", parameters)
    trial.set_user_attr("seconds", seconds)
    best_epoch = getattr(end, "best_epoch", 0) or 0
    val_loss = losses.get(best_epoch, math.nan)
    if math.isfinite(val_loss):
        trial.set_user_attr("val_loss", val_loss)
    acc = getattr(end, "best_val_accuracy", math.nan) if isinstance(end, RunFinished) else math.nan
    if isinstance(end, RunFinished) and math.isfinite(acc):
        state = "complete"
        study.tell(trial, acc if setup.objective == "accuracy" else [acc, float(parameters)])
    elif why == "pruned":
        state = "pruned"
        study.tell(trial, state=TrialState.PRUNED)
    else:
        state = "failed"
        why = why or (end.reason if isinstance(end, RunFailed)
                      else NO_VALIDATION_PICTURES if val_pictures == 0 else "no validation accuracy")
        trial.set_user_attr("reason", why)
        if math.isfinite(best_val):  # stopped or failed after some epochs: the best of them, as its row says it
            trial.set_user_attr("val_accuracy", best_val)
        study.tell(trial, state=TrialState.FAIL)
    if why and why != "pruned" and state == "failed":
        run_records.update_run(project, run_id, summary={"tune_end": why})
    elif state == "pruned":
        run_records.update_run(project, run_id, summary={"pruned": True})
    book += time.perf_counter() - tb
    if state != "complete":  # the best it reached before it was stopped, as results.trial_row reads it
        acc = accuracy_of(study._storage.get_trial(trial._trial_id))
    ended = TrialEnded(trial.number, run_id, state, acc, val_loss, int(parameters), seconds, params,
                       why if state == "failed" else "", stopped=state == "failed" and why in INTERRUPTED)
    yield ended
    return book, ended


__all__ = ["EPOCHS_ATTR", "OBJECTIVES", "make_pruner", "same_settings_run", "TuneSetup", "new_study_name", "open_study", "prepare", "tune", "STRUCTURE"]

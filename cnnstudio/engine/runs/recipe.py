"""The default recipe's choice between training from scratch and transfer learning.

``cnnstudio train DIR`` with no options, and the Train page's Start when nothing was changed
(:func:`is_default_recipe`), create the default recipe's run (from scratch). When MobileNetV2's
pretrained weights are on this computer and the training set is small (fewer than :data:`SMALL_PER_CLASS`
training pictures in the median class), :func:`run_with_choice` first trains a second run, the
``mobilenet_v2_transfer`` preset with its backbone frozen (features computed once: seconds, see
:mod:`.frozen_run`), then the from-scratch run, compares them on the validation pictures (accuracy, then
loss) and keeps the better: its events end with the winner's :class:`RunFinished`, and both runs' summaries
say which was picked and why (``summary["recipe"]``: ``{"picked", "run", "why"}``, and when both were tried
``"scratch"`` and ``"transfer"``, the two runs' ids, and ``"compared": true`` once both finished and were compared;
``"weights"``: the backbone whose pretrained weights were not on this computer).
Nothing is deleted: the other run stays in the project's list.

A run of the two that was stopped can be resumed on its own (``runs.resume``, the Train page's Resume): the record
said then that one of them "did not finish". :func:`settle`, called when a resumed run ends, makes the choice again
once both have finished and words it as what happened ("…, compared when the resumed from-scratch run finished").

Without the weights the run trains from scratch as before and its summary says that transfer learning would need
them (:data:`NO_WEIGHTS_WHY`); the window and ``cnnstudio train`` each add how to get them there. Nothing is ever
downloaded.

The recipe's batch size follows the training set (:func:`recipe_batch_size`, :func:`recommended_settings`): a batch
of 64 on 33 training pictures made one update per epoch. The rule: the largest power of two that is at most an
eighth of the training pictures, at least 8 and at most 64 (the engine's default, which the Model page's memory
estimate counts). Why an eighth: at least about 8 updates per epoch, so that even the 3 epochs Auto may choose give
the one-cycle schedule some 24 steps to warm up and cool down in, and a small set is seen in many small steps rather
than one averaged step. Why at least 8: batch normalisation estimates its statistics on each batch, and fewer pictures
make them noisy (a last batch of one picture is dropped anyway). Why a power of two: the batch sizes people know
and the card computes well. 64 is reached at 512 training pictures, so larger sets train as before.

Why :data:`SMALL_PER_CLASS` = 100: the frozen candidate costs one backbone pass per picture (about 20 ms at
224 px on 2 cores), so under 100 pictures per class it adds seconds to a 50 s recipe even with ten classes;
the issue's measurements (10 and 20 pictures per class) are where the frozen features can win, and with
thousands of pictures the from-scratch recipe is the one made for them (98.5 % on 4,000 MNIST digits).
"""

from __future__ import annotations

import statistics
import threading
from collections import Counter
from dataclasses import dataclass, replace
from typing import Iterator

from ...project import run_records
from ..data.planned_pictures import planned_pictures
from ..data.preprocess import Preprocess
from ..events import TERMINAL, DataProgress, RunFinished
from ..model.backbones import weights_status
from ..model.design import PRETRAINED_CHANNELS, PRETRAINED_NORMALIZATION, PRETRAINED_SIDE
from ..model.cost import DEFAULT_BATCH_SIZE
from ..train.settings import TrainSettings, default_settings, suggest_preprocess
from ..use.figures import percent
from .lifecycle import create_run, read_config, read_dataset, run

SMALL_PER_CLASS = 100  # training pictures in the median class (see the module doc)
MIN_BATCH = 8  # the recipe's smallest batch (see the module doc: batch normalisation)
BATCH_SHARE = 8  # the recipe's batch is at most this share (1/8) of the training pictures
#: every batch size the recipe can choose: 8, 16, 32, 64
RECIPE_BATCHES = tuple(2 ** i for i in range(MIN_BATCH.bit_length() - 1, DEFAULT_BATCH_SIZE.bit_length()))
TRANSFER_PRESET = "mobilenet_v2_transfer"
TRANSFER_BACKBONE = "mobilenet_v2"
#: Why the recipe trained from scratch without the weights, as the run's record keeps it: words for the window's run
#: details and 'cnnstudio train' alike. The record also names the backbone (``recipe["weights"]``), so each adds its
#: own next step (ui/train/run_words.py: the Model page's button; cli/train_result.py: the package or the file).
NO_WEIGHTS_WHY = ("trained from scratch: transfer learning (a network pretrained on ImageNet) needs MobileNetV2's "
                  "pretrained weights, which are not on this computer")


@dataclass(frozen=True)
class RecipePlan:
    compare: bool  # try the frozen transfer head too
    reason: str  # one sentence for the user
    per_class: int  # training pictures in the median class
    weights: str = ""  # the backbone whose pretrained weights are not on this computer ("" when they are)


def plan_choice(project, run_id: str) -> RecipePlan:
    """Whether the default recipe's run ``run_id`` should be compared with a frozen transfer head, and why."""
    _, entries = read_dataset(project, run_id)
    counts = Counter(e.label for e in entries if e.split == "train")
    per_class = int(statistics.median(counts.values())) if counts else 0
    status = weights_status(TRANSFER_BACKBONE)
    if not status["installed"]:
        return RecipePlan(False, NO_WEIGHTS_WHY, per_class, weights=TRANSFER_BACKBONE)
    if per_class >= SMALL_PER_CLASS:
        return RecipePlan(False, f"trained from scratch: {per_class} training pictures per class are enough for "
                          f"it (transfer learning is tried below {SMALL_PER_CLASS} per class)", per_class)
    return RecipePlan(True, step_text(1, f"trying a network already trained on millions of photos (transfer "
                                         f"learning) on your {per_class} training pictures per class; the better "
                                         "of the two networks is kept"), per_class)


READY_TRAINED = "ready-trained network (transfer learning)"  # the glossary's "transfer learning", said plainly
FROM_SCRATCH = "network trained from scratch"
STEP = "Step {n} of 2: "  # the two steps of a comparison, each said on one line that stays while it runs
BEFORE_START = "Start may also try a network already trained on millions of photos and keep the better."


def step_text(n: int, words: str) -> str:
    """ "Step 1 of 2: trying a network already trained…": the line a comparison's step shows while it runs."""
    return STEP.format(n=n) + words


def is_step(message: str) -> bool:
    """Whether a DataProgress ``message`` is a step of the comparison (the Train page keeps it on a line)."""
    return isinstance(message, str) and any(message.startswith(STEP.format(n=n)) for n in (1, 2))


def compares(counts: dict) -> bool:
    """Whether the default recipe's Start on a project with these counts (``Project.counts()``) will try
    transfer learning too (:func:`plan_choice`'s rule, before any run exists): MobileNetV2's weights are here and
    the median class has fewer than :data:`SMALL_PER_CLASS` training pictures (:func:`planned_per_class`)."""
    per_class = planned_per_class(counts)
    if per_class is None or per_class >= SMALL_PER_CLASS:
        return False
    return bool(weights_status(TRANSFER_BACKBONE)["installed"])


def planned_per_class(counts: dict) -> int | None:
    """The training pictures of the median class that :func:`plan_choice` will count for a new run of a project
    with these counts, or None when no class would have any: the pictures as the one rule counts them before Start
    (:func:`~cnnstudio.engine.data.planned_pictures.planned_pictures`: unsplit ones as Start splits them, the ones a
    run holds out for validation not counted), of the classes with at least one."""
    train = [n for n in planned_pictures(counts).per_class if n]
    return int(statistics.median(train)) if train else None


def recipe_batch_size(train_pictures: int) -> int:
    """The default recipe's batch size for a run that trains on ``train_pictures``: the largest power of two that is
    at most an eighth of them, from 8 to 64 (see the module doc for why): 33 pictures -> 8, 200 -> 16, 512 or more ->
    64."""
    fits = [b for b in RECIPE_BATCHES if b * BATCH_SHARE <= max(0, int(train_pictures))]
    return fits[-1] if fits else MIN_BATCH


def recommended_settings(counts: dict, preprocess: Preprocess | None = None) -> TrainSettings:
    """The default recipe (the Train page's "Recommended settings", ``cnnstudio train DIR`` with no options) for a
    project with these counts (``Project.counts()``): :func:`~cnnstudio.engine.train.settings.default_settings` with
    the batch size that suits the pictures a new run would train on (:func:`recipe_batch_size`, counted by the one
    rule, :func:`~cnnstudio.engine.data.planned_pictures.planned_pictures`)."""
    return default_settings(preprocess).replace(batch_size=recipe_batch_size(planned_pictures(counts).train))


def project_recipe(project) -> TrainSettings:
    """The default recipe for ``project`` as it is now: :func:`recommended_settings` for its counts, with the input
    that suits its pictures (:func:`~cnnstudio.engine.train.settings.suggest_preprocess`). What a new run trains
    when no settings are given (``run_create.plan_run``, ``cnnstudio train DIR`` with no options)."""
    return recommended_settings(project.counts(), suggest_preprocess(project))


# settings that change how a run is computed, not what it learns: a run with other values is still the recipe
HOW_NOT_WHAT = frozenset({"device", "threads", "seed", "eval_batch_size", "mixed_precision", "channels_last",
                          "compile"})


def is_default_recipe(settings, spec) -> bool:
    """Whether ``settings`` and ``spec`` (a ModelSpec or its JSON) are the default recipe for their input — what
    the Train page starts when nothing was changed — so that the run may be compared with transfer learning
    (:func:`run_with_choice`), as ``cnnstudio train DIR`` with no options is. Its batch size is any the recipe
    chooses for some training set (:data:`RECIPE_BATCHES`): the form's, saved before the pictures changed, stays
    the recipe's."""
    from ..model.presets import make_preset

    pp = settings.preprocess
    spec_json = spec.to_json() if hasattr(spec, "to_json") else spec
    if spec_json != make_preset("default", pp.height, pp.width, pp.channels).to_json():
        return False
    mine, recipe = settings.to_json(), default_settings(pp).to_json()
    return mine.get("batch_size") in RECIPE_BATCHES and all(
        mine.get(k) == v for k, v in recipe.items() if k not in HOW_NOT_WHAT and k != "batch_size")


def _record(project, run_ids, picked: str, run_id: str, why: str, pair: tuple[str, str] | None = None,
            compared: bool = False, weights: str = "") -> dict:
    """Write the choice into the summaries of ``run_ids``; ``pair``: (from-scratch run, transfer run) when both
    were tried, ``compared``: both finished and were compared, ``weights``: the backbone whose weights were missing.
    Returns the record."""
    recipe = {"picked": picked, "run": run_id, "why": why}
    if pair is not None:
        recipe.update(scratch=pair[0], transfer=pair[1])
    if compared:
        recipe["compared"] = True
    if weights:
        recipe["weights"] = weights
    for rid in run_ids:
        run_records.update_run(project, rid, summary={"recipe": recipe})
    return recipe


def _accuracy(project, run_id: str) -> float:
    acc = run_records.get_run(project, run_id).summary.get("val_accuracy")
    return acc if isinstance(acc, (int, float)) else float("nan")


def _choose(project, scratch: str, transfer: str, s_acc: float, t_acc: float, when: str = "") -> dict:
    """Compare the two finished runs (:func:`_key`), record the choice in both and return it. ``s_acc``,
    ``t_acc``: their validation accuracies as said; ``when``: words added to the why (a resumed run)."""
    t_key, s_key = _key(project, transfer), _key(project, scratch)
    if t_key >= s_key:
        why = (f"kept the {READY_TRAINED}: it recognised {percent(t_acc)} of the validation pictures, against "
               f"{percent(s_acc)} for the {FROM_SCRATCH}"
               + (" (as many, but it was surer of its answers: a lower validation loss)" if t_key[0] == s_key[0]
                  else "") + when)
        return _record(project, [scratch, transfer], "transfer", transfer, why, (scratch, transfer), True)
    why = (f"kept the {FROM_SCRATCH}: it recognised {percent(s_acc)} of the validation pictures, against "
           f"{percent(t_acc)} for the {READY_TRAINED}" + when)
    return _record(project, [scratch, transfer], "from scratch", scratch, why, (scratch, transfer), True)


def _pair(project, run_id: str, recipe: dict) -> tuple[str, str] | None:
    """(from-scratch run, transfer run) of a recipe record; an older record names only the kept run, which for
    the run that was not kept is the other one of the two (told apart by the transfer run's preset)."""
    scratch, transfer = recipe.get("scratch"), recipe.get("transfer")
    if isinstance(scratch, str) and isinstance(transfer, str):
        return scratch, transfer
    kept = recipe.get("run")
    other = run_records.find_run(project, kept) if isinstance(kept, str) and kept != run_id else None
    if other is None:
        return None
    if (other.config or {}).get("preset") == TRANSFER_PRESET:
        return run_id, kept
    return kept, run_id


def settle(project, run_id: str) -> dict | None:
    """The default recipe's record of run ``run_id`` once a resumed run of its two has ended: when both have now
    finished and the record was written while one had not ("the from-scratch run did not finish"), the choice is
    made again (the better on the validation pictures is kept) and recorded in both, with words that say the
    comparison came after a resume. Otherwise the record as it is (None: not a recipe run). Idempotent."""
    info = run_records.find_run(project, run_id)
    recipe = info.summary.get("recipe") if info is not None else None
    if not isinstance(recipe, dict):
        return None
    pair = None if recipe.get("compared") else _pair(project, run_id, recipe)
    if pair is None:
        return recipe
    found = [run_records.find_run(project, rid) for rid in pair]
    if any(r is None or r.status != "finished" for r in found):
        return recipe
    resumed = "from-scratch" if run_id == pair[0] else "transfer-learning"
    return _choose(project, *pair, _accuracy(project, pair[0]), _accuracy(project, pair[1]),
                   f" (compared when the resumed {resumed} run finished)")


def _key(project, run_id: str) -> tuple[float, float]:
    """(validation accuracy, minus validation loss) of a finished run, from its evaluation of the kept model."""
    s = run_records.get_run(project, run_id).summary
    acc, loss = s.get("val_accuracy"), s.get("val_loss")
    return (acc if isinstance(acc, (int, float)) else -1.0, -loss if isinstance(loss, (int, float)) else -1e9)


def run_with_choice(project, run_id: str, *, stop: threading.Event | None = None, **kw) -> Iterator:
    """Train the default recipe's run ``run_id``, compared with a frozen transfer head when
    :func:`plan_choice` says so (see the module doc). The events of the from-scratch run, with the transfer
    run's feature progress before them; the last event is the kept run's terminal event."""
    stop = stop or threading.Event()
    plan = plan_choice(project, run_id)
    if not plan.compare:
        _record(project, [run_id], "from scratch", run_id, plan.reason, weights=plan.weights)
        yield from run(project, run_id, stop=stop, **kw)
        return
    yield DataProgress(0, 0, plan.reason)
    _, settings = read_config(project, run_id)
    pp = Preprocess(height=PRETRAINED_SIDE, width=PRETRAINED_SIDE, channels=PRETRAINED_CHANNELS,
                    normalization=PRETRAINED_NORMALIZATION)
    _, entries = read_dataset(project, run_id)  # its batch sized to the same training pictures (recipe_batch_size)
    train = sum(1 for e in entries if e.split == "train")
    transfer_settings = default_settings(pp).replace(seed=settings.seed, validation=settings.validation,
                                                     device=settings.device, threads=settings.threads,
                                                     batch_size=recipe_batch_size(train))
    other = create_run(project, transfer_settings, preset=TRANSFER_PRESET)  # named for what it is, like any run
    # the runs list marks it "tried for comparison" from now on (run_names.compared_note); the choice replaces it
    run_records.update_run(project, other, summary={"recipe": {"scratch": run_id, "transfer": other}})
    transfer_end = None
    for ev in run(project, other, stop=stop, **kw):
        if isinstance(ev, DataProgress):
            yield ev
        elif isinstance(ev, TERMINAL):
            transfer_end = ev
    if not isinstance(transfer_end, RunFinished):  # stopped or failed: the from-scratch run alone
        why = "trained from scratch: the transfer-learning try did not finish" + (
            f" ({transfer_end.reason})" if transfer_end is not None else "")
        _record(project, [run_id, other], "from scratch", run_id, why, (run_id, other))
        yield from run(project, run_id, stop=stop, **kw)
        return
    t_acc = transfer_end.best_val_accuracy
    yield DataProgress(0, 0, step_text(2, "training the network from scratch (the ready-trained network "
                                          f"recognised {percent(t_acc)} of the validation pictures)"))
    last = None
    for ev in run(project, run_id, stop=stop, **kw):
        if isinstance(ev, TERMINAL):
            last = ev
            break
        yield ev
    if not isinstance(last, RunFinished):
        _record(project, [run_id, other], "transfer", other, f"kept the {READY_TRAINED} for now: the from-scratch "
                "run did not finish (resume it to compare the two again)", (run_id, other))
        yield last
        return
    recipe = _choose(project, run_id, other, last.best_val_accuracy, t_acc)
    yield DataProgress(0, 0, recipe["why"])
    yield replace(transfer_end, run_id=other) if recipe["run"] == other else last


__all__ = ["BEFORE_START", "NO_WEIGHTS_WHY", "RECIPE_BATCHES", "RecipePlan", "SMALL_PER_CLASS", "compares",
           "is_default_recipe", "is_step", "plan_choice", "project_recipe", "recipe_batch_size", "recommended_settings",
           "run_with_choice", "settle"]

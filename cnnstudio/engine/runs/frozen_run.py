"""A run whose pretrained backbone is frozen: features computed once, then only the head trains.

:func:`frozen_fit` stands in for :func:`~cnnstudio.engine.train.trainer.fit` in the run flow
(:func:`cnnstudio.engine.runs.lifecycle.run`) when :func:`uses_frozen_path` says so. It

1. computes the backbone's features of the run's train and validation pictures once, batched, with
   :class:`DataProgress` events, into the project's feature cache (:mod:`cnnstudio.engine.use.features`:
   the same cache the data check uses, keyed by picture hash, backbone, weights file and preprocessing);
2. trains the head on them (:func:`~cnnstudio.engine.train.head_fit.head_fit`): seconds per run. No
   augmentation on this path (a picture's features are computed once, as it is);
3. optionally (``TrainSettings.fine_tune_epochs``) fine-tunes the whole network with the ordinary trainer
   at ``lr * fine_tune_lr_factor``, its epochs numbered after the head's; the fine-tuned weights are kept
   only when they score better on the validation pictures (:func:`fine_tune_wins`: its epochs are marked best only
   then, and a run that keeps the head's weights ends saying so, :func:`kept_head_words`). The backbone's batch norm
   stays in inference mode while it is fine-tuned (:meth:`~cnnstudio.engine.model.build.Network.unfreeze_backbone`).
   Its RunStarted counts each of the head's epochs as many batches as a fine-tuned one (:func:`planned_batches`), so
   a progress bar of the whole run moves through the fine-tuning rather than standing at 100%, and names the device
   "CPU (head and fine-tuning)" (:func:`device_words`).

The model it leaves is the whole network (backbone + trained head): the run layer saves and evaluates it
as any other. What the head did is said in words (:func:`~cnnstudio.engine.train.head_fit.head_words`): in the
RunStarted's ``speed_notes`` (kept in the run's summary) and by :func:`frozen_head_words` from a run's config, for
its details: a linear head's "epochs" are strengths of regularisation, and Epochs and learning rate are not used.
Scoring the validation and test pictures afterwards runs the whole network, backbone included, over each of them
(seconds to tens of seconds on a CPU at 224 px): a :class:`DataProgress` says so before the run's end event, so the
Train page does not sit at "epoch 7 of 7, 100 %" in silence. The events are the trainer's (one RunStarted, epochs, one terminal event), so the CLI, the
Train page, the tuner and the training child process need nothing new. A resumed frozen run starts over
(its features are cached: seconds), which a stopped run's words say (:func:`resume_words`).
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Iterator

import torch

from ..device import device_name, pick_device, set_threads
from ..errors import Cancelled
from ..events import BatchEnd, CheckpointSaved, DataProgress, EpochEnd, RunFailed, RunFinished, RunStarted, RunStopped
from ..train.head_fit import PASS_THROUGH_TYPES, Head, head_fit, head_words, linear_layer
from ..train.run_failure import shifted
from ..train.trainer import fit
from ..use.features import iter_features

FEATURES_MESSAGE = "computing the frozen backbone's features once (no augmentation)"


def uses_frozen_path(spec, pp, dist=None) -> bool:
    """A pretrained, frozen backbone on RGB input (``pp``) with ImageNet normalisation, in one process."""
    bb = getattr(spec, "backbone", None)
    return bool(bb is not None and bb.pretrained and bb.freeze and dist is None and pp.channels == 3
                and pp.normalization == "imagenet")


def fine_tune_refusal(spec, pp, dist=None) -> str:
    """Why a run of design ``spec`` on preprocessing ``pp`` (``dist``: its process group, None in one process) would
    never fine-tune its backbone (``TrainSettings.fine_tune_epochs``): the words after the option's name ("...
    is only for a design with a frozen pretrained backbone ..."), for ``cnnstudio train`` and the Train page alike;
    "" when it fine-tunes. The one rule is :func:`uses_frozen_path`, the path that fine-tunes: anywhere else the
    setting would be taken and silently ignored (Reviewer: under torchrun it was)."""
    if uses_frozen_path(spec, pp, dist):
        return ""
    bb = getattr(spec, "backbone", None)
    if bb is None or not (bb.pretrained and bb.freeze):
        return ("is only for a design with a frozen pretrained backbone (such as the preset mobilenet_v2_transfer), "
                "and this design has none")
    if dist is not None:
        n = dist.world_size
        processes = f"{n} process{'es' if n != 1 else ''}"
        return (f"fine-tunes only outside torchrun, and this run trains under it ({processes}), where only the layers "
                "after the frozen backbone train: train it without torchrun or --nproc to fine-tune it")
    if pp.channels != 3:
        return ("fine-tunes only a pretrained backbone that reads colour pictures (3 channels), and this design reads "
                f"{pp.channels}")
    return ("fine-tunes only a pretrained backbone whose pictures are normalised as for ImageNet, and this design's "
            "are not")


def has_linear_head(spec) -> bool:
    """The layers after ``spec``'s backbone only pass features on (dropout, flatten): with the output layer, one
    linear layer, fitted exactly (:func:`~cnnstudio.engine.train.head_fit.head_fit`)."""
    return all(ls.type in PASS_THROUGH_TYPES for ls in spec.layers)


def _frozen(config) -> tuple | None:
    """``(spec, settings)`` of a run whose ``config`` (config.json: its settings, spec and preprocessing) takes the
    frozen path (:func:`uses_frozen_path`); None for a run that trains as any other, or a config that cannot be
    read."""
    from ..data.preprocess import Preprocess
    from ..errors import EngineError
    from ..model.spec import ModelSpec
    from ..train.settings import TrainSettings

    try:
        spec = ModelSpec.from_json(config["spec"])
        settings = TrainSettings.from_json(config["settings"])
        pp = Preprocess.from_json(config.get("preprocess") or config["settings"]["preprocess"])
    except (EngineError, KeyError, TypeError, ValueError, AttributeError):
        return None
    return (spec, settings) if uses_frozen_path(spec, pp) else None


def frozen_head_words(config: dict) -> str | None:
    """What a run's frozen path did, from its ``config`` (config.json: its settings, spec and preprocessing), for
    its details: "the backbone's features computed once; the last layer fitted exactly at 7 strengths of
    regularisation ...; Epochs and learning rate are not used ..."; None for a run that trains as any other."""
    frozen = _frozen(config)
    if frozen is None:
        return None
    spec, settings = frozen
    return _words(has_linear_head(spec), settings.validation, settings)


def resume_words(config: dict | None) -> str:
    """What resuming a stopped run of ``config`` does when it takes the frozen path: it starts over
    (:func:`frozen_fit` goes on from no checkpoint; the pictures' features are cached), so "fits the last layer
    again from the start, then fine-tunes the whole network"; "" for a run that goes on from its checkpoint. The
    Train page ("“Resume” fits …", ui/train/run_words.stopped_text) and ``cnnstudio train`` (cli/train_result.py)
    say it."""
    frozen = _frozen(config)
    if frozen is None:
        return ""
    spec, settings = frozen
    head = ("fits the last layer again from the start" if has_linear_head(spec)
            else "trains the layers after the backbone again from the start")
    return head + (", then fine-tunes the whole network" if settings.fine_tune_epochs else "")


def _words(linear: bool, validation: bool, settings) -> str:
    words = "the backbone's features computed once (no augmentation); " + head_words(linear, validation, settings)
    if settings.fine_tune_epochs:
        words += (f"; then the whole network fine-tuned for {settings.fine_tune_epochs} epoch"
                  f"{'s' if settings.fine_tune_epochs != 1 else ''} at lr "
                  f"{settings.lr * settings.fine_tune_lr_factor:g}")
    return words


def device_words(card: str | None, fine_tune: bool = False) -> str:
    """Where a frozen run ran, for its record: "CPU (head only)" on the CPU, "CPU (head and fine-tuning)" when the
    whole network is fine-tuned after the head; with the features (and a fine-tuning) computed on a graphics card,
    ``card`` names it: "NVIDIA H200 (features), CPU (head)"."""
    if card is None:
        return "CPU (head and fine-tuning)" if fine_tune else "CPU (head only)"
    return f"{card} ({'features and fine-tuning' if fine_tune else 'features'}), CPU (head)"


def kept_head_words(head_epoch: int) -> str:
    """What the end of a run says when its fine-tuning did not beat the head alone on the validation pictures
    (:attr:`RunFinished.note`, and the run's summary ``end_note``): the weights kept are the head's."""
    return (f"Fine-tuning the whole network did not beat the head alone on the validation pictures, so the weights "
            f"from before fine-tuning (epoch {head_epoch}) are kept.")


def fine_tune_wins(tuned_val: float, head_val: float, validation: bool) -> bool:
    """Whether the fine-tuned weights are kept: they score better than the head alone on the validation pictures
    (without validation, or without the head's score, the fine-tuning is kept). The one rule for the epochs' best
    marks, the best epoch of the run's end and the weights it keeps."""
    if not validation or head_val != head_val:
        return True
    return tuned_val == tuned_val and tuned_val > head_val


def planned_batches(settings, n: int) -> int:
    """The fine-tuning's batches per epoch as the trainer plans them without an Auto batch size
    (:func:`~cnnstudio.engine.train.step_rules.batches_per_epoch`): the unit of the whole run's progress."""
    from ..train.step_rules import batches_per_epoch

    return max(1, batches_per_epoch(n, max(1, min(settings.batch_size, n))))


def scoring_message(data, train_seconds: float) -> str:
    """Said while the run layer scores the validation and test pictures with the whole network, after the last
    epoch: how long the head took (the finished run's time), then what the wait is."""
    splits = [(name, len(p)) for name, p in (("validation", data.split("val")), ("test", data.split("test")))
              if p is not None and len(p)]
    n = sum(k for _, k in splits)
    what = " and ".join(name for name, _ in splits) or "validation"
    return (f"trained in {train_seconds:.1f} s; now scoring the {n:,} {what} pictures with the whole network "
            f"(the backbone runs once more for each)")


def _pictures(data, split) -> list[tuple[str, str]]:
    by_id = {e.id: e for e in data.entries}
    return [(by_id[i].sha256, by_id[i].file) for i in split.ids]


def frozen_fit(project, model, spec, data, settings, *, run_id: str = "", stop: threading.Event | None = None,
               checkpoint_dir=None, pause=None, paused=None, batch_event_interval: float = 0.1) -> Iterator:
    """The events of a frozen-backbone run (see the module doc); ``model`` ends as the trained network."""
    stop = stop or threading.Event()
    set_threads(settings.threads)
    train, val = data.train, (data.val if settings.validation and data.val is not None and len(data.val) else None)
    pictures = _pictures(data, train) + (_pictures(data, val) if val is not None else [])
    device = pick_device(settings.device)
    try:
        feats = yield from iter_features(project.root, pictures, backbone=spec.backbone.name,
                                         preprocess=data.preprocess, weights_file=spec.backbone.weights_file,
                                         stop=stop, threads=settings.threads, message=FEATURES_MESSAGE,
                                         device=device,
                                         cancelled="stopped while computing the features")
    except Cancelled:
        yield RunStopped(run_id, 0, 0, "stopped while computing the pictures' features")
        return
    n = len(train)
    vectors = feats.vectors.float()
    head = Head(model)
    model.to("cpu")
    params = sum(p.numel() for p in model.parameters())
    first: RunFinished | None = None
    extra = settings.fine_tune_epochs
    # with a fine-tuning, each of the head's epochs counts as one of its epochs on the progress bar (the head's
    # epoch is one step, said as its last batch): a bar of the head's single batches stood at 100% while the
    # fine-tuning's batches ran
    unit = planned_batches(settings, n) if extra else 0
    notes = _words(linear_layer(head) is not None, settings.validation and val is not None, settings)
    for ev in head_fit(head, vectors[:n], train.labels, vectors[n:] if val is not None else None,
                       val.labels if val is not None else None, settings, run_id=run_id,
                       num_classes=len(data.class_names), parameters=params, stop=stop):
        if isinstance(ev, RunStarted):
            ev = replace(ev, epochs=ev.epochs + extra, speed_notes=notes,
                         device=device_words(None if device.type == "cpu" else device_name(device), bool(extra)),
                         batches_per_epoch=unit or ev.batches_per_epoch)
        elif isinstance(ev, BatchEnd) and extra:
            ev = replace(ev, batch=unit, batches=unit)
        elif isinstance(ev, EpochEnd) and extra:
            ev = replace(ev, epochs=ev.epochs + extra)
        elif isinstance(ev, RunFinished) and extra:
            first = ev
            continue
        elif isinstance(ev, RunFinished):
            yield DataProgress(0, 0, scoring_message(data, ev.train_seconds))
        yield ev
    if first is None:
        return
    yield from _fine_tune(model, data, settings, first, run_id, stop, checkpoint_dir, pause, paused,
                          batch_event_interval, unit)


def _fine_tune(model, data, settings, first: RunFinished, run_id, stop, checkpoint_dir, pause, paused,
               batch_event_interval, unit: int) -> Iterator:
    """Stage two: the whole network, the ordinary trainer; epochs numbered after the head's, its batches counted
    in ``unit`` batches an epoch (what the run's RunStarted said). Its epochs are marked best, and its weights kept,
    only where they beat the head alone on the validation pictures (:func:`fine_tune_wins`): the live star, the
    metrics' rows and the run's end name the same epoch."""
    head_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    head_val = first.best_val_accuracy
    model.unfreeze_backbone()  # its batch norm stays in inference mode: the head's features do not change under it

    def wins(val: float) -> bool:
        return fine_tune_wins(val, head_val, settings.validation)

    tune = settings.replace(epochs=settings.fine_tune_epochs, lr=settings.lr * settings.fine_tune_lr_factor,
                            fine_tune_epochs=0)
    shift, total = first.epochs, first.epochs + settings.fine_tune_epochs
    batches = unit
    tuned_best = float("nan")  # the validation accuracy of the fine-tuning's best epoch so far
    for ev in fit(model, data, tune, run_id=run_id, checkpoint_dir=checkpoint_dir, stop=stop, pause=pause,
                  paused=paused, batch_event_interval=batch_event_interval):
        if isinstance(ev, RunStarted):  # an Auto batch size (a CUDA card) may plan other batches than ``unit``
            batches = ev.batches_per_epoch
            continue
        if isinstance(ev, BatchEnd):
            ev = replace(ev, epoch=ev.epoch + shift)
            if batches != unit:  # said in the run's unit, so the bar neither stops short nor passes 100%
                ev = replace(ev, batch=min(unit, max(1, round(ev.batch * unit / max(1, ev.batches)))),
                             batches=unit)
        elif isinstance(ev, EpochEnd):
            if ev.is_best:
                tuned_best = ev.val_accuracy
            ev = replace(ev, epoch=ev.epoch + shift, epochs=total, elapsed=ev.elapsed + first.train_seconds,
                         is_best=ev.is_best and wins(ev.val_accuracy))
        elif isinstance(ev, CheckpointSaved):
            ev = replace(ev, epoch=ev.epoch + shift)
        elif isinstance(ev, RunFailed):
            ev = shifted(ev, shift)  # "the loss became NaN in epoch 9", as the page numbers it
        elif isinstance(ev, RunStopped):
            tuned = bool(ev.best_epoch) and wins(tuned_best)
            if not tuned:  # stopped before a fine-tuned epoch ended, or none beat the head: the head's weights
                model.load_state_dict(head_state)
            ev = replace(ev, epoch=ev.epoch + shift, best_epoch=ev.best_epoch + shift if tuned
                         else first.best_epoch)
        elif isinstance(ev, RunFinished):
            tuned_val = ev.best_val_accuracy
            keep_head = not wins(tuned_val)
            if keep_head:  # fine-tuning did not beat the head alone on the validation pictures
                model.load_state_dict(head_state)
            ev = replace(ev, epochs=ev.epochs + shift,
                         best_epoch=first.best_epoch if keep_head else ev.best_epoch + shift,
                         best_val_accuracy=head_val if keep_head else tuned_val,
                         train_seconds=ev.train_seconds + first.train_seconds,
                         note=kept_head_words(first.best_epoch) if keep_head else "")
            yield DataProgress(0, 0, scoring_message(data, ev.train_seconds))
        yield ev


def head_logits(model, features: torch.Tensor) -> torch.Tensor:
    """The trained network's logits from backbone features (what the head computed during training)."""
    head = Head(model).eval()
    with torch.no_grad():
        return head(features.float()).float()


__all__ = ["FEATURES_MESSAGE", "device_words", "fine_tune_refusal", "fine_tune_wins", "has_linear_head", "frozen_fit",
           "frozen_head_words", "head_logits", "kept_head_words", "planned_batches", "resume_words",
           "scoring_message", "uses_frozen_path"]

"""Training runs stored in a project: create (run_create.py), train, resume, evaluate, and know when data changed.

A run is a folder plus a row in the project database (:mod:`cnnstudio.project.run_records`, which also
names the files)::

    runs/<run-id>/
      config.json        settings (TrainSettings JSON), model spec, preset name, resolved preprocessing,
                         library versions
      dataset.json       the exact images used: id, sha256, class name, split; class names; fingerprint
      metrics.jsonl      one JSON object per finished epoch (EpochEnd fields)
      checkpoint/        last.safetensors (resume) + best.safetensors (best weights so far); no pickle
      model/             the best model as a bundle (model.safetensors + manifest.json)
      evaluation.json    {"val": {...}, "test": {...}} evaluation of the best model (see evaluate.py)
      error.txt          why a failed run failed

The data of a run is fixed when it is created (``dataset.json``): resuming trains on the same images
with the same labels even if the project changed since; :func:`data_changed` tells when it did.

Validation (``TrainSettings.validation``, on by default): a project without validation pictures has 15 % of
its training pictures held out for the run (:func:`plan_run`). Off: nothing is held out, the trainer keeps
the last epoch with no early stopping, and the run's summary claims no validation score (``val_accuracy``
None); the project's val pictures, if any, are still evaluated into evaluation.json for the report.

:func:`train` / :func:`resume` are generators of the trainer's events (the same ones :func:`fit`
yields, plus :class:`DataProgress` while pictures are decoded); the terminal event carries the run id,
the test accuracy and the model path.

Several processes (``torchrun``): every process calls :func:`run` with the same run id and ``dist=`` its
:class:`~cnnstudio.engine.train.distributed.DistContext`. Rank 0 prepares the pictures first (filling the
tensor cache the others then read) and is the only one that writes anything: status, metrics,
checkpoints, evaluation, model.
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

import torch

from ...project import run_records
from ...project.run_records import CHECKPOINT_DIR, CONFIG, DATASET, EVALUATION, METRICS, MODEL_DIR, RunInfo, run_dir
from ...project.disk import disk_writes
from ...project.processes import this_process
from ...project.run_checkpoint import (DAMAGED, NONE as NO_CHECKPOINT, checkpoint_state, damaged_sentence,
                                       no_checkpoint_note)
from ...project.store import Project
from ...project.val_pictures import VAL_FINGERPRINT, folder_val_pictures
from ..use.batching import scoring_device
from ..use.bundle import load_bundle, save_bundle
from ..errors import Cancelled
from ..data.entries import Entry, dataset_entries, fingerprint
from ..data.prepare import iter_prepare
from ..errors import EngineError
from ..model.build import build_from_json
from ..use.evaluate import Evaluation, evaluate_bundle, evaluate_model
from ..events import TERMINAL, BatchEnd, EpochEnd, RunFailed, RunFinished, RunStarted, RunStopped, event_to_json
from ..train.run_speed import metrics_speeds, steady_speed
from ..train.settings import TrainSettings
from ..train.trainer import fit
from .data_changes import describe_changes
from .frozen_run import frozen_fit, uses_frozen_path
from .run_create import Builder, RunError, RunPlan, check_input, create_run, plan_run, resolve_spec  # their old home
from .run_disk import DISK_ERRORS, append_line, disk_reason, record_failure

RESUMABLE = ("stopped", "failed", "running", "created")


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if not path.parent.is_dir():  # the whole run folder is gone: the runs index's one sentence
            raise RunError(run_records.files_missing_sentence(path.parent.name, folder=path.parent.parent.parent)) \
                from None
        raise RunError(f"{path.name} is missing from run folder {path.parent.name}") from None
    except json.JSONDecodeError as e:
        raise RunError(f"{path} is damaged ({e})") from None



def read_dataset(project: Project, run_id: str) -> tuple[list[str], list[Entry]]:
    d = read_json(run_dir(project, run_id) / DATASET)
    names = list(d["classes"])
    pos = {c: i for i, c in enumerate(names)}
    return names, [Entry(int(r["id"]), r["sha256"], r["file"], pos[r["label"]], r["label"],
                         "val" if r.get("held_out") else r["split"])
                   for r in d["images"]]


def read_config(project: Project, run_id: str) -> tuple[dict, TrainSettings]:
    """Run ``run_id``'s config.json and its settings; RunError in one sentence when its settings are damaged."""
    cfg = read_json(run_dir(project, run_id) / CONFIG)
    if not isinstance(cfg, dict) or not isinstance(cfg.get("settings"), dict):  # a list, a string, none at all
        raise RunError(f"the settings of run {run_id} in its {CONFIG} are damaged and cannot be read")
    return cfg, TrainSettings.from_json(cfg["settings"])


def read_metrics(project: Project, run_id: str) -> list[dict]:
    return run_records.metrics_rows(run_dir(project, run_id) / METRICS)


def _rewrite_metrics(folder: Path, before_epoch: int) -> list[dict]:
    """Keep the metrics of epochs that the checkpoint covers (a resumed run redoes the rest); returns those rows."""
    path = folder / METRICS
    if not path.exists():
        return []
    keep, rows = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
            if isinstance(row, dict) and row.get("epoch", 0) < before_epoch:
                keep.append(line)
                rows.append(row)
        except json.JSONDecodeError:
            break
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("".join(line + "\n" for line in keep), encoding="utf-8")
    tmp.replace(path)
    return rows


# ------------------------------------------------------------------ train / resume
def train(project: Project, settings: TrainSettings | None = None, spec: Any = None, *, preset: str | None = None,
          name: str = "", stop: threading.Event | None = None, pause: threading.Event | None = None,
          paused: threading.Event | None = None, builder: Builder | None = None,
          batch_event_interval: float = 0.1) -> Iterator:
    """Create a run and train it (a generator of events). Bad input raises at the first ``next()``."""
    run_id = create_run(project, settings, spec, preset=preset, name=name, builder=builder)
    yield from run(project, run_id, stop=stop, pause=pause, paused=paused, builder=builder,
                   batch_event_interval=batch_event_interval)


def check_resumable(project: Project, run_id: str) -> RunInfo:
    """The run's record; raises :class:`RunError` when it has already finished (nothing to resume) or its last
    checkpoint is damaged (it can only be trained again from the start: :func:`restart`)."""
    info = check_restartable(project, run_id)
    if checkpoint_state(run_dir(project, run_id)) == DAMAGED:
        raise RunError(damaged_sentence(run_id))
    return info


def check_restartable(project: Project, run_id: str) -> RunInfo:
    """The run's record; raises :class:`RunError` when it has already finished."""
    info = run_records.get_run(project, run_id)
    if info.status == "finished":
        raise RunError(f"run {run_id} has already finished; start a new run to train more")
    return info


def resume_note(project: Project, run_id: str) -> str:
    """"" when resuming goes on from the run's checkpoint (or the run never finished an epoch); otherwise the
    sentence that says it starts again from epoch 1 (its checkpoint folder was deleted)."""
    info = run_records.find_run(project, run_id)
    trained = bool(info is not None and info.summary.get("last_epoch")) or bool(read_metrics(project, run_id))
    if trained and checkpoint_state(run_dir(project, run_id)) == NO_CHECKPOINT:
        return no_checkpoint_note(run_id)
    return ""


def resume(project: Project, run_id: str, **kw) -> Iterator:
    """Continue a stopped, failed or killed run from its last checkpoint."""
    check_resumable(project, run_id)
    refuse_if_training(project, run_id)
    yield from run(project, run_id, resume=True, **kw)


def refuse_if_training(project: Project, run_id: str) -> None:
    """RunError when a process of this computer is training the run now: resuming or restarting it too would make
    two processes write one run (and a restart deletes the checkpoint the other is writing)."""
    info = run_records.get_run(project, run_id)
    if run_records.training_now(info):
        raise RunError(f"{run_records.training_now_words(run_id, info.name)}: stop it first, or wait for it to end")


def clear_checkpoint(project: Project, run_id: str) -> None:
    """Throw away a run's checkpoint (a damaged one), so that it trains again from epoch 1 with its own settings
    and data; raises RunError for a finished run or one training now, and DiskError when the disk says no."""
    check_restartable(project, run_id)
    refuse_if_training(project, run_id)
    folder = run_dir(project, run_id) / CHECKPOINT_DIR
    with disk_writes(project.root, "train the run again"):
        for f in (folder.iterdir() if folder.is_dir() else ()):
            if f.is_file():
                f.unlink()


def restart(project: Project, run_id: str, **kw) -> Iterator:
    """Train a stopped or failed run again from the start (its checkpoint is damaged): :func:`clear_checkpoint`,
    then :func:`run` from epoch 1."""
    clear_checkpoint(project, run_id)
    yield from run(project, run_id, **kw)


def run(project: Project, run_id: str, *, resume: bool = False, stop: threading.Event | None = None,
        pause: threading.Event | None = None, paused: threading.Event | None = None,
        builder: Builder | None = None, batch_event_interval: float = 0.1, device: str | None = None,
        threads: int | None = None, dist=None, early_check: float | None = None) -> Iterator:
    """Train an existing run (created by :func:`create_run`) and store everything it produces.

    ``device`` / ``threads`` override the run's settings for this session only (a run started on a
    laptop can be resumed on a GPU machine); the rest of the settings are the run's own.

    If the consumer abandons the generator (closes it, Ctrl-C) the run is marked ``stopped``: its last
    checkpoint can be resumed. ``dist``: train as one of several processes (see the module doc).
    ``early_check``: one look at validation part-way through the first epoch (a ``ValCheck`` event: see
    :func:`cnnstudio.engine.train.trainer.fit`); the frozen-features path has no such look.
    """
    ended = False
    epoch = 0
    try:
        try:
            for ev in _run(project, run_id, resume, stop, pause, paused, builder, batch_event_interval, device,
                           threads, dist, early_check):
                ended = ended or isinstance(ev, TERMINAL)
                epoch = ev.epoch if isinstance(ev, EpochEnd) else epoch
                yield ev
        except DISK_ERRORS as e:  # the disk said no (run_disk.py): failed with its sentence, resumable
            reason = None if ended else disk_reason(e, project, run_dir(project, run_id))
            if reason is None:
                raise
            ended = True
            if dist is None or dist.is_main:
                mark_failed(project, run_dir(project, run_id), run_id, reason)
            yield RunFailed(run_id, epoch, reason, "")
    finally:
        if not ended and (dist is None or dist.is_main):
            try:
                run_records.update_run(project, run_id, status="stopped")
            except Exception:  # noqa: BLE001 - never hide the original exception
                pass


def _run(project, run_id, resume, stop, pause, paused, builder, batch_event_interval, device, threads,
         dist=None, early_check=None) -> Iterator:
    folder = run_dir(project, run_id)
    stop = stop or threading.Event()
    cfg, settings = read_config(project, run_id)
    if device is not None:
        settings = settings.replace(device=device)
    if threads is not None:
        settings = settings.replace(threads=threads)
    class_names, entries = read_dataset(project, run_id)
    main = dist is None or dist.is_main
    if main:
        run_records.update_run(project, run_id, status="running", summary={run_records.PROCESS: this_process()})
    try:
        if dist is not None and not main:  # rank 0 decodes into the cache first; the others then read it
            dist.main_first("prepare-the-pictures", lambda: None)
        data = yield from iter_prepare(project, settings.preprocess, stop=stop, class_names=class_names,
                                       entries=entries, threads=settings.threads)
        if dist is not None and main:
            dist.main_first("prepare-the-pictures", lambda: None)
    except Cancelled:
        _tell_others(dist, EngineError("stopped while preparing the pictures"))
        if main:
            run_records.update_run(project, run_id, status="stopped")
        yield RunStopped(run_id, 0, 0, "stopped while preparing the pictures")
        return
    except EngineError as e:
        _tell_others(dist, e)
        if main:
            mark_failed(project, folder, run_id, str(e))
        yield RunFailed(run_id, 0, str(e), "")  # its sentence says what to do
        return
    if main:
        cfg["preprocess"] = data.preprocess.to_json()
        run_records.write_json_atomic(folder / CONFIG, cfg)
    torch.manual_seed(settings.seed)
    try:
        spec, model = (builder or build_from_json)(cfg["spec"], len(class_names))
    except EngineError as e:
        if main:
            mark_failed(project, folder, run_id, str(e))
        yield RunFailed(run_id, 0, f"the model cannot be built: {e}", "fix the model design")
        return
    metrics_path = folder / METRICS
    frozen = uses_frozen_path(spec, data.preprocess, dist)
    if frozen:  # features once, then the head only (frozen_run.py)
        events = frozen_fit(project, model, spec, data, settings, run_id=run_id, stop=stop, pause=pause,
                            paused=paused, checkpoint_dir=folder / CHECKPOINT_DIR,
                            batch_event_interval=batch_event_interval)
    else:
        events = fit(model, data, settings, run_id=run_id, checkpoint_dir=folder / CHECKPOINT_DIR,
                     resume=resume, stop=stop, pause=pause, paused=paused,
                     batch_event_interval=batch_event_interval, dist=dist, early_check=early_check)
    # the run's speed is steady_speed's (train/run_speed.py): its full epochs', earlier sessions' too; a stopped
    # run's summary keeps it as a finished run's does. A frozen backbone's head says the speed of the whole run so
    # far at each epoch (head_fit.py): its newest figure is the run's, and its RunFinished's own
    epoch_speeds: list[float] = []
    batch_speeds: list[float] = []  # the epoch under way's: a run stopped before its first epoch ended
    for ev in events:
        if not main:  # the other processes train and report; rank 0 alone writes
            yield ev
            continue
        if isinstance(ev, BatchEnd):
            batch_speeds.append(ev.images_per_second)
        elif isinstance(ev, EpochEnd):
            epoch_speeds.append(ev.images_per_second)
            batch_speeds = []
        if isinstance(ev, RunStarted):
            epoch_speeds = metrics_speeds(_rewrite_metrics(folder, ev.start_epoch))
            run_records.update_run(project, run_id, summary={"epochs_planned": ev.epochs, "device": ev.device,
                                                              "precision": ev.precision, "parameters": ev.parameters,
                                                              **({"speed_notes": ev.speed_notes}
                                                                 if ev.speed_notes else {})})
        elif isinstance(ev, EpochEnd):
            append_line(metrics_path, json.dumps(event_to_json(ev)))
            summary = {"last_epoch": ev.epoch}
            if ev.is_best:
                summary.update(best_epoch=ev.epoch, val_accuracy=_finite_or_none(ev.val_accuracy),
                               val_loss=_finite_or_none(ev.val_loss))
            run_records.update_run(project, run_id, summary=summary)
        elif isinstance(ev, RunFinished):
            speed = steady_speed(epoch_speeds, batch_speeds)
            if math.isfinite(speed) and not frozen:
                ev = replace(ev, images_per_second=speed)
            ev = _finish(project, folder, run_id, ev, model, spec, data, settings)
        elif isinstance(ev, RunStopped):
            speed = steady_speed(epoch_speeds[-1:] if frozen else epoch_speeds, batch_speeds)
            model_path = ""
            if ev.best_epoch:
                model_path = str(_save_model(folder, model, spec, data, {"best_epoch": ev.best_epoch}))
            run_records.update_run(project, run_id, status="stopped", summary={
                "last_epoch": ev.epoch, **({"images_per_second": speed} if math.isfinite(speed) else {})})
            ev = replace(ev, model_path=model_path)
        elif isinstance(ev, RunFailed):
            mark_failed(project, folder, run_id, ev.reason + ("\n\n" + ev.details if ev.details else ""))
        yield ev


def _tell_others(dist, error: EngineError) -> None:
    """Rank 0 could not prepare the pictures: the processes waiting for it fail with the same message."""
    if dist is None or not dist.is_main:
        return

    def fail() -> None:
        raise error
    try:
        dist.main_first("prepare-the-pictures", fail)
    except EngineError:
        pass


def _finite_or_none(v: float) -> float | None:
    return v if isinstance(v, (int, float)) and v == v and abs(v) != float("inf") else None


def mark_failed(project: Project, folder: Path, run_id: str, text: str) -> None:
    """error.txt in the run folder and the database row: status failed, the first line as the error (each
    tried: on a full or vanished disk either may fail, see run_disk.py)."""
    record_failure(project, folder, run_id, text)


def _save_model(folder: Path, model, spec, data, metrics: dict) -> Path:
    return save_bundle(folder / MODEL_DIR, model, spec, data.class_names, data.preprocess, metrics=metrics,
                       data_fingerprint=data.fingerprint, extra={"run": folder.name})


def _finish(project, folder: Path, run_id: str, ev: RunFinished, model, spec, data, settings) -> RunFinished:
    """The finished run's model, evaluation and summary. The summary's ``peak_gpu_memory_gb`` is the card's most
    memory in use while training (GiB), and null off a CUDA card: always written, so that a run resumed on the CPU
    after a session on a card does not keep that session's figure. Its ``end_note`` is the event's ``note`` (a
    frozen backbone's fine-tuning that did not beat its head: frozen_run.kept_head_words), null otherwise."""
    device = next(model.parameters()).device
    evaluations: dict[str, Evaluation] = {}
    for split in ("val", "test"):
        images = data.split(split)
        if images is not None and len(images):
            evaluations[split] = evaluate_model(model, images, data.class_names, data.preprocess, split, device,
                                                settings.eval_batch_size)
    run_records.write_json_atomic(folder / EVALUATION, {k: v.to_json() for k, v in evaluations.items()})
    # validation off: the val pictures (if any) are in the report, but no validation score is claimed
    val = evaluations.get("val") if settings.validation else None
    val_acc = val.accuracy if val is not None else None
    test_acc = evaluations["test"].accuracy if "test" in evaluations else None
    metrics = {"val_accuracy": val_acc, "val_loss": _finite_or_none(val.loss) if val is not None else None,
               "test_accuracy": test_acc, "best_epoch": ev.best_epoch, "epochs": ev.epochs,
               "train_seconds": ev.train_seconds}
    path = _save_model(folder, model, spec, data, metrics)
    run_records.update_run(project, run_id, status="finished", summary={
        **metrics, "images_per_second": ev.images_per_second, "reason": ev.reason, "last_epoch": ev.epochs,
        "peak_gpu_memory_gb": _finite_or_none(ev.peak_gpu_memory_gb), "end_note": ev.note or None,
        **_val_pictures(folder)})
    return replace(ev, test_accuracy=test_acc if test_acc is not None else float("nan"), model_path=str(path),
                   best_val_accuracy=val_acc if val_acc is not None else ev.best_val_accuracy)


def _val_pictures(folder: Path) -> dict:
    """The summary's record of the validation pictures the run was scored on (project/val_pictures.py: the best run
    is chosen among runs scored on the same ones); nothing when its dataset.json cannot be read."""
    found = folder_val_pictures(folder)
    return {} if found is None else {VAL_FINGERPRINT: found}


# ------------------------------------------------------------------ reading runs back
def load_run_bundle(project: Project, run_id: str):
    run_records.check_files(project, run_id)
    path = run_dir(project, run_id) / MODEL_DIR
    if not path.is_dir():
        raise RunError(f"run {run_id} has no trained model yet")
    return load_bundle(path)


def pick_run(project: Project, run_id: str | None = None) -> run_records.RunInfo:
    """``run_id``'s run (its id, or the name of one run: :func:`~cnnstudio.project.run_records.resolve_run`), or the
    best finished run, or the newest run with a model."""
    if run_id:
        info = run_records.resolve_run(project, run_id)
        run_records.check_files(project, info.id)
        return info
    best = run_records.best_run(project)
    if best is not None:
        return best
    for r in run_records.list_runs(project):
        if run_records.has_model(project, r.id):
            return r
    run_records.check_finished_files(project)
    raise RunError("this project has no trained model yet: train one first ('cnnstudio train')")


def evaluate_run(project: Project, run_id: str | None = None, split: str = "test", *, device: str | None = None,
                 progress=None, save: bool = True) -> tuple[str, Evaluation]:
    """Evaluate a run's model on the images of ``split`` it was trained with (dataset.json), using the
    run's stored preprocessing. Returns ``(run_id, evaluation)``; with ``save`` it is added to
    evaluation.json. ``device``: None for a whole split's rule (:func:`~cnnstudio.engine.use.batching.scoring_device`:
    the card when there is one)."""
    info = pick_run(project, run_id)
    if split not in ("train", "val", "test"):
        raise RunError(f"unknown split {split!r}: use val or test")
    bundle = load_run_bundle(project, info.id)
    _, entries = read_dataset(project, info.id)
    if not any(e.split == split for e in entries):
        held = sorted({e.split for e in entries} & {"val", "test"}, key=["val", "test"].index)
        words = {"train": "training", "val": "validation", "test": "test"}
        other = f": score it on its {words[held[0]]} pictures instead" if held else ""
        raise RunError(f"run {info.id} was trained without {words[split]} pictures, so it cannot be scored on "
                       f"them{other}")
    ev = evaluate_bundle(bundle, project, split, device or scoring_device(), progress=progress, entries=entries)
    if save:
        save_evaluation(project, info.id, split, ev)
    return info.id, ev


def save_evaluation(project: Project, run_id: str, split: str, ev: Evaluation) -> None:
    """Add ``ev`` to the run's evaluation.json (what Evaluate, the report and the advice read)."""
    path = run_dir(project, run_id) / EVALUATION
    current = read_json(path) if path.exists() else {}
    current[split] = ev.to_json()
    run_records.write_json_atomic(path, current)


def data_changed(project: Project, run_id: str) -> str | bool:
    """False when the project's labelled images and splits are what the run trained on; otherwise a
    sentence saying what changed (data_changes.py: "the data changed since this model was trained: ...", or
    only a class's new name)."""
    d = read_json(run_dir(project, run_id) / DATASET)
    _, now = dataset_entries(project)
    if fingerprint(now) == d.get("fingerprint"):
        return False
    unused: list[str] = []  # read only when some of the run's pictures are not among the ones used now
    if {r["sha256"] for r in d["images"]} - {e.sha256 for e in now}:
        used = {e.id for e in now}
        unused = [r.sha256 for r in project.records([i for i in project.ids() if i not in used])]
    return describe_changes(d, now, [c.name for c in project.classes()], unused)


__all__ = ["Builder", "RunError", "RunPlan", "check_input", "check_restartable", "check_resumable", "clear_checkpoint",
           "refuse_if_training",
           "create_run", "data_changed",
           "evaluate_run", "load_run_bundle", "pick_run", "plan_run", "read_config", "read_dataset", "read_metrics",
           "resolve_spec", "restart", "resume", "resume_note", "run", "train"]

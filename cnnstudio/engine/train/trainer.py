"""The trainer: one flat loop, written as a generator of events (Lightning Fabric's
``build_your_own_trainer`` shape: fit -> train_loop -> val_loop, a stop check every batch).

``for event in fit(model, data, settings, stop=stop_event): ...`` is all the CLI, the tests and the GUI
worker do. ``stop`` and ``pause`` are ``threading.Event`` objects set from any thread; both are checked
before every batch. While paused the loop blocks (still honouring stop) and sets ``paused`` so a GUI
can show it.

Speed, chosen rather than left to chance (measured on a 2-core laptop-class CPU):

- images are uint8 tensors already decoded (see :mod:`cnnstudio.engine.data.prepare`); a batch is an
  index gather from a seeded permutation, never a per-sample Dataset/DataLoader;
- ``torch.set_num_threads`` = physical cores unless the settings say otherwise;
- convolutional models run ``channels_last`` on the CPU (oneDNN's preferred layout);
- loss / accuracy are accumulated on the device and read back only when an event is sent (about ten
  times a second), not with an ``.item()`` per batch;
- evaluation runs under ``torch.inference_mode`` with a larger batch;
- denormal floats flushed to zero on the CPU (``torch.set_flush_denormal``, process-wide);
- the optimiser runs fused (one kernel for all parameters) where PyTorch has it (CPU and CUDA): the
  step took half the time on ``classic``;
- activations before max-pools run after them (:mod:`cnnstudio.engine.model.build`: same numbers, a
  quarter of the work);
- no autocast on the CPU (bf16 was slower without AMX) and no ``torch.compile`` (erratic for training).

On a CUDA card (issue 21; the CPU's loop is untouched by these): mixed precision (:mod:`.precision`), no
wait for the card per step (:mod:`.batches`), ``torch.compile`` for runs long enough to repay it with a
clean fallback (:mod:`.compiled`), an Auto batch size (:mod:`.batch_size`) and Auto epochs capped higher
(:func:`~.settings.epoch_cap`). What was chosen is in :class:`RunStarted` (``precision``, ``speed_notes``).

Checkpoints, no pickle (:mod:`.checkpoint`): each epoch's end is kept, written at the first epoch, then at most
every 20 s, at the end and when the run stops or fails (:mod:`.saving`: a killed process loses at most those
seconds). The learning rate is a pure function of the step (no scheduler object to serialise).

The shape (Fabric's ``fit -> train_loop -> val_loop``): :func:`fit` turns any failure into a
:class:`RunFailed`; ``_Loop.fit`` sets up, resumes and runs the epochs (best epoch, checkpoint, early
stopping); ``_Loop.train_loop`` is one epoch of batches, ``_Loop.val_loop`` one validation pass. Where
the run is (epoch, step, best epoch, time) is a :class:`Progress`, which the checkpoint saves.

Several processes (``torchrun``): pass ``dist=`` a :class:`cnnstudio.engine.train.distributed.DistContext`.
All that differs then (shards, seeds, DDP, summed metrics, sync points, rank 0 deciding and writing) is
behind the one object the loop calls (:mod:`cnnstudio.engine.train.processes`); without ``dist`` it is
the trivial ``OneProcess``. The loop reads the same for one or many processes.
"""

from __future__ import annotations

import math
import os
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import torch
import torch.nn.functional as F

from ..data.augment import Augmenter
from ..data.prepare import ImageSet
from ..data.preprocess import Preprocess
from ..device import choose_channels_last, device_name, is_out_of_memory, pick_device, set_threads, validation_batch
from ..model.cost import inference_bytes
from .batches import epoch_order, make_batch, normalize_batch, probe_steps, to_device
from .gpu_setup import setup_auto_batch, setup_compile
from ..errors import DataError, EngineError
from ..events import (NAN, BatchEnd, CheckpointSaved, EpochEnd, RunFailed, RunFinished, RunStarted, RunStopped,
                      ValCheck)
from .checkpoint import BEST, LAST, checkpoint_contents, read_weights, restore
from .processes import processes
from .saving import CHECKPOINT_EVERY_S, Checkpoints, Progress
from .precision import Precision
from .settings import TrainSettings, auto_epochs

_batch, _to_device = make_batch, to_device  # the learning-rate finder's names for them

NAN_ADVICE = ("lower the learning rate (try 10 times smaller); if it keeps happening, check the pictures "
              "and labels, or use a model with batch normalisation")


class TrainingDiverged(EngineError):
    pass


@dataclass
class TrainData:
    """What :func:`fit` needs: the train split, an optional validation split, resolved preprocessing.

    :class:`cnnstudio.engine.data.prepare.PreparedData` has these attributes too and can be passed directly.
    """
    train: ImageSet
    val: ImageSet | None
    preprocess: Preprocess
    class_names: list[str] | None = None


# ------------------------------------------------------------------ learning rate
def lr_at(step: int, total_steps: int, settings: TrainSettings) -> float:
    """The learning rate before optimiser step ``step`` (0-based) of ``total_steps``."""
    peak = settings.lr
    t = min(1.0, step / max(1, total_steps))
    if settings.schedule == "constant":
        return peak
    if settings.schedule == "cosine":
        return peak * 0.5 * (1 + math.cos(math.pi * t))
    # one_cycle, as torch.optim.lr_scheduler.OneCycleLR(pct_start=0.3, anneal_strategy="cos")
    start, end, pct = peak / 25.0, peak / 25.0 / 1e4, 0.3
    warm = max(1, int(pct * total_steps))
    if step < warm:
        return start + (peak - start) * 0.5 * (1 - math.cos(math.pi * step / warm))
    t = (step - warm) / max(1, total_steps - warm)
    return end + (peak - end) * 0.5 * (1 + math.cos(math.pi * min(1.0, t)))


# ------------------------------------------------------------------ pieces
def make_optimizer(model: torch.nn.Module, settings: TrainSettings) -> torch.optim.Optimizer:
    """Weight decay on weights only, not on biases and normalisation parameters (1-d tensors)."""
    decay, no_decay = [], []
    for p in model.parameters():
        if p.requires_grad:
            (no_decay if p.ndim <= 1 else decay).append(p)
    groups = [{"params": decay, "weight_decay": settings.weight_decay},
              {"params": no_decay, "weight_decay": 0.0}]
    groups = [g for g in groups if g["params"]]
    if not groups:
        raise EngineError("the model has no trainable parameters")
    kw = {"lr": settings.lr}
    device = next(p.device for g in groups for p in g["params"])
    if device.type in ("cpu", "cuda") and all(p.is_floating_point() for g in groups for p in g["params"]):
        kw["fused"] = True
    if settings.optimizer == "sgd":
        return torch.optim.SGD(groups, momentum=settings.momentum, nesterov=settings.momentum > 0, **kw)
    if settings.optimizer == "adam":
        return torch.optim.Adam(groups, **kw)
    return torch.optim.AdamW(groups, **kw)


def class_weights(labels: torch.Tensor, num_classes: int) -> torch.Tensor:
    """Inverse-frequency weights ``n / (k * n_c)``; a class with no images gets weight 1."""
    counts = torch.bincount(labels, minlength=num_classes).float()
    w = labels.numel() / (num_classes * counts.clamp_min(1))
    return torch.where(counts > 0, w, torch.ones_like(w))


def batches_per_epoch(n: int, batch_size: int) -> int:
    """A last batch of one image is dropped (batch norm cannot train on a single image)."""
    full, rest = divmod(n, batch_size)
    return full + (1 if rest >= 2 else 0)


def evaluate_loss_accuracy(model, images: ImageSet, pp: Preprocess, device, batch_size: int,
                           channels_last: bool) -> tuple[float, float]:
    n = len(images)
    ls, c = torch.stack(_evaluate_sums(model, images, pp, device, batch_size, channels_last)).tolist()
    return ls / max(1, n), c / max(1, n)


def _evaluate_sums(model, images: ImageSet, pp: Preprocess, device, batch_size: int,
                   channels_last: bool, precision: Precision | None = None) -> list[torch.Tensor]:
    """Summed loss and correct count (float tensors on ``device``): shards of several processes add up."""
    model.eval()
    n = len(images)
    loss_sum = torch.zeros((), device=device)
    correct = torch.zeros((), device=device, dtype=torch.long)
    where = images.pixels.device if images.rows is None else torch.device("cpu")  # indices beside the pictures
    autocast = precision.autocast if precision is not None else Precision("fp32", device).autocast
    with torch.inference_mode():
        for start in range(0, n, batch_size):
            idx = torch.arange(start, min(n, start + batch_size), device=where)
            x = normalize_batch(images.gather(idx).to(device, non_blocking=True), pp)
            if channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            y = images.labels[idx].to(device, non_blocking=True)
            with autocast():
                logits = model(x)
            logits = logits.float()
            loss_sum += F.cross_entropy(logits, y, reduction="sum")
            correct += (logits.argmax(1) == y).sum()
    model.train()
    return [loss_sum, correct.to(loss_sum.dtype)]


# ------------------------------------------------------------------ the loop
def fit(model: torch.nn.Module, data: TrainData, settings: TrainSettings, *, run_id: str = "",
        checkpoint_dir: str | os.PathLike | None = None, resume: bool = False,
        stop: threading.Event | None = None, pause: threading.Event | None = None,
        paused: threading.Event | None = None, batch_event_interval: float = 0.1, dist=None,
        compile_fn=None, early_check: float | None = None,
        checkpoint_every_s: float = CHECKPOINT_EVERY_S) -> Iterator:
    """Train ``model`` (logits out) and yield events; see :mod:`cnnstudio.engine.events`.

    The model ends holding the weights of the best epoch: the last one with ``settings.validation`` off (the
    validation pictures are then not even scored, and early stopping never fires). With ``checkpoint_dir`` the
    last finished epoch is checkpointed at the first epoch, then at most every ``checkpoint_every_s`` seconds (0:
    every epoch), at the end and when the run stops or fails (:mod:`.saving`); ``resume=True`` continues from it
    (or starts afresh when there is none).
    ``batch_event_interval``: seconds between :class:`BatchEnd` events (0: every batch).
    ``dist``: a :class:`~cnnstudio.engine.train.distributed.DistContext` to train as one of several processes
    (every process yields the same events; ``pause`` is not supported there).
    ``compile_fn(model, device)``: what compiles the model when the run compiles (default ``torch.compile``).
    ``early_check``: score the validation pictures once when this share of the first epoch is trained (a
    :class:`ValCheck` event; the search prunes hopeless trials there). It changes nothing else: the scoring
    draws no random numbers and the model goes back to training mode, so the run trains exactly as without
    it; its seconds count as a pause (not in the epoch's time or speed).
    """
    procs = processes(dist, stop or threading.Event(), pause or threading.Event(), paused, batch_event_interval)
    loop = _Loop(model, settings, procs, run_id)
    loop.compile_fn = compile_fn
    loop.early_check = early_check
    loop.saver.every_s = checkpoint_every_s
    try:
        yield from loop.fit(data, checkpoint_dir, resume)
    except Exception as e:  # noqa: BLE001 - every failure becomes a RunFailed event with advice
        loop.saver.write_quietly()  # the last finished epoch: the run resumes from it (its own errors swallowed)
        yield _failed(e, run_id, loop.at.epoch, procs)
    finally:
        loop.saver.write_quietly()  # a consumer that stopped reading (nothing kept after a normal end)
        if paused is not None:
            paused.clear()


def _failed(e: Exception, run_id: str, epoch: int, procs) -> RunFailed:
    """The RunFailed event for ``e``, with advice (call it while handling ``e``: it may need the traceback)."""
    if isinstance(e, TrainingDiverged):
        return RunFailed(run_id, epoch, str(e), NAN_ADVICE)
    lost = procs.lost_peer(e)
    if lost is not None:
        return RunFailed(run_id, epoch, lost, "look at the other processes' messages, then start all of them "
                         "again: the run continues from its last checkpoint")
    device = procs.device
    if is_out_of_memory(e):
        if device is not None and device.type == "cuda":
            torch.cuda.empty_cache()
            reason = "the graphics card ran out of memory"
        else:
            reason = "the computer ran out of memory"
        return RunFailed(run_id, epoch, reason,
                         "use a smaller batch size (try half), smaller images or a smaller model"
                         + (", or train on the CPU" if device is not None and device.type != "cpu" else ""))
    if isinstance(e, EngineError):
        return RunFailed(run_id, epoch, str(e), "")
    return RunFailed(run_id, epoch, f"{type(e).__name__}: {e}",  # the page and the CLI say "training failed" before it
                     "this looks like a bug in CNN Studio; please report it with the details",
                     traceback.format_exc())


class _Loop:
    """One call of :func:`fit`: ``fit`` sets up and runs the epochs, ``train_loop`` / ``val_loop`` run one.

    ``procs`` (:mod:`.processes`) is all that knows whether other processes train alongside.
    """

    def __init__(self, model: torch.nn.Module, settings: TrainSettings, procs, run_id: str):
        self.model, self.settings, self.procs, self.run_id = model, settings, procs, run_id
        self.at = Progress(settings.epochs)
        self.best_state: dict[str, torch.Tensor] | None = None
        self.compile_fn = None  # what compiles the model (fit's compile_fn; None: torch.compile)
        self.early_check: float | None = None  # fit's early_check
        self.saver = Checkpoints(None)  # where and when checkpoints are written (:mod:`.saving`; set by _setup)

    def fit(self, data: TrainData, checkpoint_dir, resume: bool) -> Iterator:
        """RunStarted, the epochs (best epoch, checkpoint, early stopping), then RunFinished or RunStopped."""
        yield self._setup(data, checkpoint_dir, resume)
        at, procs, model, ckpt = self.at, self.procs, self.model, self.ckpt_dir
        elapsed_before, epoch_times = at.elapsed, []
        session_images, session_train_s = 0, 0.0
        finished_reason = "completed"
        for epoch in range(at.epoch + 1, at.epochs + 1):
            t_epoch = time.perf_counter()
            trained = yield from self.train_loop(epoch)
            if trained is None:  # stopped
                self.saver.write()  # the last finished epoch, if not written yet: Resume goes on after it
                if self.best_state is not None:
                    model.load_state_dict(self.best_state)
                yield RunStopped(self.run_id, max(0, epoch - 1), at.best_epoch)
                return
            train_loss, train_acc, images, train_s, paused_s, lr = trained
            session_images += images
            session_train_s += train_s
            if self.val is not None:
                val_loss, val_acc = self.val_loop()
                key = (val_acc, -val_loss)
            else:
                val_loss = val_acc = NAN
                key = (0.0, -train_loss)
            is_best = procs.from_main(not self.settings.validation or _better(key, at.best_key))  # rank 0 decides
            if is_best:
                at.best_key, at.best_epoch = key, epoch
                self.best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            epoch_times.append(time.perf_counter() - t_epoch - paused_s)
            at.epoch, at.elapsed = epoch, elapsed_before + sum(epoch_times)
            eta = (sum(epoch_times) / len(epoch_times)) * (at.epochs - epoch)
            patience = self.settings.early_stopping_patience
            early_stop = bool(patience and epoch - at.best_epoch >= patience and epoch < at.epochs)
            due = False
            if ckpt is not None:
                self.saver.keep(epoch, self._contents, self.best_state, at.best_epoch)
                due = procs.from_main(self.saver.due(epoch == at.epochs or early_stop))  # rank 0's clock
                if due:
                    self.saver.write()
            yield EpochEnd(epoch, at.epochs, train_loss, train_acc, val_loss, val_acc, at.elapsed, eta, is_best,
                           lr, images / max(1e-9, train_s))
            if due:
                yield CheckpointSaved(epoch, str(ckpt / LAST))
            if early_stop:
                finished_reason = "early_stopping"
                break
        if self.best_state is not None:
            model.load_state_dict(self.best_state)
        best_val = at.best_key[0] if (at.best_key is not None and self.val is not None) else NAN
        yield RunFinished(self.run_id, at.epoch, at.best_epoch, best_val, at.elapsed,
                          session_images / max(1e-9, session_train_s) if session_train_s else 0.0, finished_reason,
                          peak_gpu_memory_gb=_peak_memory_gb(self.device))

    def train_loop(self, epoch: int) -> Iterator[BatchEnd]:
        """One epoch of optimiser steps, a :class:`BatchEnd` about every ``batch_event_interval`` seconds.
        Returns (loss, accuracy, images, seconds, seconds paused, last learning rate) over all the
        processes, or None when stopped before the end."""
        procs, settings, forward, optimizer, precision = (self.procs, self.settings, self.forward, self.optimizer,
                                                          self.precision)
        data, aug, device, channels_last, criterion_kw = (self.data, self.aug, self.device, self.channels_last,
                                                          self.criterion_kw)
        bs, batches, total_steps, step = self.bs, self.batches, self.total_steps, self.at.step
        every_s = procs.report_every_s  # one process: a report this often; several: at sync points only
        pause_requested, stop_requested = procs.pause_requested, procs.stop_requested
        t_epoch, paused_s = time.perf_counter(), 0.0
        self.model.train()
        perm, sync_at = procs.start_epoch(torch.randperm(self.n, generator=self.rng), epoch, settings.seed)
        perm = epoch_order(perm, data.train)
        ep_loss = torch.zeros((), device=device)
        ep_correct = torch.zeros((), device=device)
        ep_seen = 0
        win_loss = torch.zeros((), device=device)
        win_correct = torch.zeros((), device=device)
        win_seen, win_t0, last = 0, time.perf_counter(), batches - 1
        check_at = self._check_batch(epoch, batches)
        for b in range(batches):
            if pause_requested():  # never with several processes
                dt = procs.wait_while_paused()
                paused_s += dt
                win_t0 += dt
            if stop_requested():
                return None
            idx = perm[b * bs:(b + 1) * bs]
            x, y = _batch(data, idx, aug, device, channels_last, settings)
            lr = lr_at(step, total_steps, settings)
            for g in optimizer.param_groups:
                g["lr"] = lr
            with precision.autocast():
                logits = forward(x)
            loss = F.cross_entropy(logits.float(), y, **criterion_kw)  # fp32
            optimizer.zero_grad(set_to_none=True)
            precision.backward_step(loss, optimizer)
            step += 1
            m = idx.numel()
            with torch.no_grad():
                ld = loss.detach() * m
                cd = (logits.detach().argmax(1) == y).sum()
                win_loss += ld
                win_correct += cd
            win_seen += m
            if b == check_at:
                t_check = time.perf_counter()
                val_loss, val_acc = self.val_loop()  # back in training mode after it
                dt = time.perf_counter() - t_check
                paused_s += dt
                win_t0 += dt
                yield ValCheck(epoch, b + 1, batches, val_loss, val_acc)
            now = time.perf_counter()
            if b < last and b < sync_at and now - win_t0 < every_s:  # not the time, nor a sync point
                continue
            wl, wc, all_seen, sync_at = procs.report(b, now - win_t0, win_loss, win_correct, win_seen)
            if not math.isfinite(wl):
                raise TrainingDiverged(
                    f"the loss became {'infinite' if math.isinf(wl) else 'NaN (not a number)'} "
                    f"in epoch {epoch}, batch {b + 1}: training diverged")
            ep_loss += win_loss
            ep_correct += win_correct
            ep_seen += win_seen
            yield BatchEnd(epoch, b + 1, batches, wl / all_seen, wc / all_seen, lr,
                           all_seen / max(1e-9, now - win_t0))
            win_loss = torch.zeros((), device=device)
            win_correct = torch.zeros((), device=device)
            win_seen, win_t0 = 0, time.perf_counter()
        self.at.step = step
        train_s = time.perf_counter() - t_epoch - paused_s
        tl, tc, seen = procs.totals(ep_loss, ep_correct, ep_seen)
        return tl / max(1, seen), tc / max(1, seen), seen, train_s, paused_s, lr

    def _check_batch(self, epoch: int, batches: int) -> int:
        """The batch (0-based) after which the first epoch's early check scores validation; -1: none."""
        if not self.early_check or epoch != 1 or self.val is None or batches < 2:
            return -1
        return min(batches - 2, max(0, round(batches * self.early_check) - 1))

    def val_loop(self) -> tuple[float, float]:
        """Loss and accuracy on the validation images (each process scores its share; the sums add up)."""
        self.procs.before_validation(self.model)
        sums = _evaluate_sums(self.model, self.val_part, self.data.preprocess, self.device, self.val_batch,
                              self.channels_last, self.precision)
        loss, correct, n = self.procs.totals(*sums, len(self.val_part))
        return loss / max(1, n), correct / max(1, n)

    def _setup(self, data: TrainData, checkpoint_dir, resume: bool) -> RunStarted:
        """Device, data, optimiser, the checkpoint to resume from and the number of epochs."""
        model, settings, procs = self.model, self.settings, self.procs
        train, val = data.train, (data.val if settings.validation and data.val is not None and len(data.val) else None)
        n = self.n = len(train)
        if n < 2:
            raise DataError("training needs at least two training images")
        procs.check_train_size(n)
        threads = set_threads(procs.threads(settings.threads))
        device = self.device = procs.choose_device(pick_device(settings.device))
        if device.type == "cuda":
            torch.backends.cudnn.benchmark = True  # the fastest convolution for the run's fixed picture size
        if device.type == "cpu":
            torch.set_flush_denormal(True)  # tiny weights/gradients as denormals slow CPU maths by orders of magnitude
        model.to(device)
        self.channels_last = choose_channels_last(settings.channels_last, model, device)
        if self.channels_last:
            model.to(memory_format=torch.channels_last)
        model.train()
        self.precision = Precision.for_run(settings.mixed_precision, device)  # fp32 on the CPU
        if device.type != "cpu":  # keep the uint8 pictures on the GPU when they fit: no copy per batch
            train, val = to_device(train, device), to_device(val, device) if val is not None else None
        self.data = TrainData(train, val, data.preprocess, getattr(data, "class_names", None))
        self.val, self.val_part = val, procs.val_share(val)
        ckpt = self.ckpt_dir = Path(checkpoint_dir) if checkpoint_dir is not None else None
        if ckpt is not None and procs.is_main:
            ckpt.mkdir(parents=True, exist_ok=True)
        self.saver = Checkpoints(ckpt, procs.is_main, self.saver.every_s)

        num_classes = int(train.labels.max()) + 1
        if self.data.class_names:
            num_classes = max(num_classes, len(self.data.class_names))
        weight = class_weights(train.labels, num_classes).to(device) if settings.class_weights == "balanced" else None
        self.criterion_kw = {"weight": weight, "label_smoothing": settings.label_smoothing}
        self.optimizer = make_optimizer(model, settings)
        self.rng = torch.Generator().manual_seed(settings.seed)
        self.aug = Augmenter(settings.augment, procs.augment_generator(self.rng))

        has_last = bool(resume and ckpt is not None and (ckpt / LAST).exists())
        if resume:  # every process must restore the same checkpoint, or none
            procs.agree_on_resume(has_last)
        if has_last:
            saved = restore(ckpt / LAST, model, self.optimizer, self.rng, device, self.precision.scaler)
            if (ckpt / BEST).exists():
                self.best_state = {k: v.to(device) for k, v in read_weights(ckpt / BEST).items()}
            self.at = Progress.from_checkpoint(saved)
            self.saver.best_written = self.at.best_epoch
        else:
            torch.manual_seed(settings.seed)  # dropout and friends: repeatable runs
        notes = setup_auto_batch(self, n)  # may change self.settings (batch size, learning rate)
        self.bs, n_local = procs.local_batches(min(self.settings.batch_size, n), n)
        self.batches = batches_per_epoch(n_local, self.bs)
        val_share = len(self.val_part) if self.val_part is not None and val is not None else 0
        ips = None
        if self.at.epochs == 0:
            ips = self.probe()
            self.at.epochs = procs.from_main(auto_epochs(self.settings, n_local, val_share, ips,
                                                         device.type))  # Auto's one rule
        self.total_steps = self.at.epochs * self.batches
        self.net = self.forward = procs.wrap(model)
        notes += setup_compile(self, n_local, val_share, ips)
        params = sum(p.numel() for p in model.parameters())  # next: on a card more pictures at once (measured once)
        self.val_batch = validation_batch(device, self.settings.eval_batch_size, inference_bytes, model,
                                          self.data.preprocess.input_shape)
        if device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(device)  # the training's own peak, not the Auto search's tries
        return RunStarted(self.run_id, self.at.epochs, self.at.epoch + 1, self.batches, n,
                          len(val) if val is not None else 0, device_name(device), threads, params,
                          self.precision.name, "; ".join(notes))

    def _contents(self) -> tuple[dict, dict]:
        """The run's state now, for its checkpoint (copies where the run is)."""
        return checkpoint_contents(self.model, self.optimizer, self.rng, self.at.to_checkpoint(self.run_id),
                                   self.precision.scaler)

    # ---------------------------------------------------------------- on a graphics card (issue 21)
    def probe(self) -> float:
        """Images per second of a few training steps on a copy of the model."""
        return probe_steps(self.model, self.data, self.settings, self.device, self.channels_last, self.procs.stop,
                           self.bs, self.precision, make_optimizer)


def _peak_memory_gb(device: torch.device) -> float:
    """The most memory the run had in use on its CUDA card since its set-up (GiB); nan on other devices."""
    return round(torch.cuda.max_memory_allocated(device) / 2**30, 2) if device.type == "cuda" else NAN


def _better(key: tuple[float, float], best: tuple | None, min_delta: float = 1e-6) -> bool:
    """Is ``key`` a better epoch than ``best``? Keys are (val accuracy, -val loss), or (0, -train loss)
    without validation data. Higher accuracy wins; at equal accuracy a loss lower by more than 0.1%
    (and ``min_delta``) wins, so noise-level changes do not count for the best epoch or early stopping."""
    if best is None:
        return True
    if abs(key[0] - best[0]) > 1e-9:
        return key[0] > best[0]
    return key[1] > best[1] + max(min_delta, 1e-3 * abs(best[1]))

"""The trainer's loop for one call of :func:`.trainer.fit` (Fabric's ``fit -> train_loop -> val_loop``):
:meth:`RunLoop.fit` sets up (:func:`.run_setup.set_up`), resumes and runs the epochs (best epoch, checkpoint,
early stopping), :meth:`RunLoop.train_loop` is one epoch of batches, :meth:`RunLoop.val_loop` one validation
pass. Each yields its events as it goes (:mod:`cnnstudio.engine.events`). Where the run is (epoch, step, best
epoch, time) is a :class:`~.saving.Progress`, which the checkpoint saves.

``procs`` (:mod:`.processes`) is all that knows whether other processes train alongside.
"""

from __future__ import annotations

import math
import time
from typing import Iterator

import torch
import torch.nn.functional as F

from ..events import NAN, BatchEnd, CheckpointSaved, EpochEnd, RunFinished, RunStopped, ValCheck
from .batches import epoch_order, make_batch, probe_steps
from .checkpoint import LAST, checkpoint_contents
from .loss_accuracy import evaluate_sums
from .run_failure import TrainingDiverged, diverged_words
from .run_setup import TrainData, set_up
from .saving import Checkpoints, Progress
from .settings import TrainSettings
from .step_rules import lr_at, make_optimizer


class RunLoop:
    """One call of :func:`~.trainer.fit`: ``fit`` sets up and runs the epochs, ``train_loop`` / ``val_loop`` run one.

    ``procs`` (:mod:`.processes`) is all that knows whether other processes train alongside.
    """

    def __init__(self, model: torch.nn.Module, settings: TrainSettings, procs, run_id: str):
        self.model, self.settings, self.procs, self.run_id = model, settings, procs, run_id
        self.at = Progress(settings.epochs)
        self.best_state: dict[str, torch.Tensor] | None = None
        self.compile_fn = None  # what compiles the model (fit's compile_fn; None: torch.compile)
        self.early_check: float | None = None  # fit's early_check
        self.saver = Checkpoints(None)  # where and when checkpoints are written (:mod:`.saving`; set by set_up)

    def fit(self, data: TrainData, checkpoint_dir, resume: bool) -> Iterator:
        """RunStarted, the epochs (best epoch, checkpoint, early stopping), then RunFinished or RunStopped."""
        yield set_up(self, data, checkpoint_dir, resume)
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
            is_best = procs.from_main(not self.settings.validation or better(key, at.best_key))  # rank 0 decides
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
            x, y = make_batch(data, idx, aug, device, channels_last, settings)
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
                raise TrainingDiverged(diverged_words(wl, epoch, b + 1))
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
        sums = evaluate_sums(self.model, self.val_part, self.data.preprocess, self.device, self.val_batch,
                             self.channels_last, self.precision)
        loss, correct, n = self.procs.totals(*sums, len(self.val_part))
        return loss / max(1, n), correct / max(1, n)

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


def better(key: tuple[float, float], best: tuple | None, min_delta: float = 1e-6) -> bool:
    """Is ``key`` a better epoch than ``best``? Keys are (val accuracy, -val loss), or (0, -train loss)
    without validation data. Higher accuracy wins; at equal accuracy a loss lower by more than 0.1%
    (and ``min_delta``) wins, so noise-level changes do not count for the best epoch or early stopping."""
    if best is None:
        return True
    if abs(key[0] - best[0]) > 1e-9:
        return key[0] > best[0]
    return key[1] > best[1] + max(min_delta, 1e-3 * abs(best[1]))

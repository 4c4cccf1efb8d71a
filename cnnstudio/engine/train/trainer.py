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

The shape (Fabric's ``fit -> train_loop -> val_loop``), a file for each job: :func:`fit` (here) turns any
failure into a :class:`RunFailed` (:mod:`.run_failure`); :class:`~.epoch_loop.RunLoop` runs the epochs (best epoch,
checkpoint, early stopping), ``train_loop`` one epoch of batches, ``val_loop`` one validation pass
(:mod:`.loss_accuracy`); :mod:`.run_setup` readies it (device, data, optimiser, resume, epochs); the rules of a step
(learning rate, optimiser, class weights) are :mod:`.step_rules`. Where the run is (epoch, step, best epoch, time)
is a :class:`Progress`, which the checkpoint saves. The names other code imports from here stay here.

Several processes (``torchrun``): pass ``dist=`` a :class:`cnnstudio.engine.train.distributed.DistContext`.
All that differs then (shards, seeds, DDP, summed metrics, sync points, rank 0 deciding and writing) is
behind the one object the loop calls (:mod:`cnnstudio.engine.train.processes`); without ``dist`` it is
the trivial ``OneProcess``. The loop reads the same for one or many processes.
"""

from __future__ import annotations

import os
import threading
from typing import Iterator

import torch

from .batches import make_batch, to_device
from .epoch_loop import RunLoop
from .loss_accuracy import evaluate_loss_accuracy
from .processes import processes
from .run_failure import NAN_ADVICE, TrainingDiverged, failed_event
from .run_setup import TrainData
from .saving import CHECKPOINT_EVERY_S
from .settings import TrainSettings
from .step_rules import batches_per_epoch, class_weights, lr_at, make_optimizer

_batch, _to_device = make_batch, to_device  # the learning-rate finder's names for them

__all__ = ["NAN_ADVICE", "TrainData", "TrainingDiverged", "batches_per_epoch", "class_weights",
           "evaluate_loss_accuracy", "fit", "lr_at", "make_optimizer"]


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
    loop = RunLoop(model, settings, procs, run_id)
    loop.compile_fn = compile_fn
    loop.early_check = early_check
    loop.saver.every_s = checkpoint_every_s
    try:
        yield from loop.fit(data, checkpoint_dir, resume)
    except Exception as e:  # noqa: BLE001 - every failure becomes a RunFailed event with advice
        loop.saver.write_quietly()  # the last finished epoch: the run resumes from it (its own errors swallowed)
        yield failed_event(e, run_id, loop.at.epoch, procs)
    finally:
        loop.saver.write_quietly()  # a consumer that stopped reading (nothing kept after a normal end)
        if paused is not None:
            paused.clear()

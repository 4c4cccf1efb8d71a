"""What differs when training runs in several processes, behind the one object the trainer's loop calls.

:func:`cnnstudio.engine.train.trainer.fit` builds one with :func:`processes` and its loop reads the same
for one process or many:

- :class:`OneProcess`, the trivial case: every hook is the identity or a local read, and the two per-batch
  checks are the ``pause`` / ``stop`` events' own ``is_set`` (no call added to the batch step);
- :class:`SeveralProcesses`, built on :class:`~cnnstudio.engine.train.distributed.DistContext`: a sharded
  permutation, per-process seeds, DDP, metrics summed over the processes, stop and reports agreed at sync
  points, rank 0 deciding the best epoch and the number of epochs and alone writing (the list and its
  reasons: :mod:`cnnstudio.engine.train.distributed`).

The hooks, in the order the loop calls them:

=====================  =========================================  =======================================
hook                   one process                                several processes
=====================  =========================================  =======================================
``check_train_size``   nothing (the loop checks two images)       two images per process
``threads``            as asked                                   the physical cores shared out
``choose_device``      as chosen                                  this process's card (or the CPU)
``val_share``          all the validation images                  every ``world``-th one from ``rank``
``augment_generator``  the data generator itself                  its own, reseeded every epoch
``local_batches``      (batch size, images)                       (batch size // world, shard length)
``agree_on_resume``    nothing                                    all have the checkpoint, or none
``from_main``          the value                                  rank 0's value
``wrap``               the model                                  ``DistributedDataParallel``
``start_epoch``        the permutation; no sync point             the shard; seeds; stop agreed
``pause_requested``    ``pause.is_set`` (per batch)               never (pause is not supported)
``stop_requested``     ``stop.is_set`` (per batch)                agreed at the last sync point
``report``             the window's sums read once                summed; stop agreed; next sync point
``totals``             read once                                  summed over the processes
``before_validation``  nothing                                    rank 0's BatchNorm statistics
``lost_peer``          None                                       the reason, if a peer is gone
=====================  =========================================  =======================================
"""

from __future__ import annotations

import math
import threading
import time

import torch

from ..data.prepare import ImageSet
from ..errors import DataError, EngineError
from .distributed import DistContext, is_comm_error, lost_message

NEVER = 1 << 62
"""A batch index no epoch reaches: one process has no sync points."""


def processes(dist: DistContext | None, stop: threading.Event, pause: threading.Event,
              paused: threading.Event | None, interval: float) -> "OneProcess | SeveralProcesses":
    """The object for this run: ``interval`` is the seconds between batch reports."""
    if dist is None:
        return OneProcess(stop, pause, paused, interval)
    return SeveralProcesses(dist, stop, interval)


class OneProcess:
    """Training in this process alone."""
    world_size = 1
    is_main = True

    def __init__(self, stop: threading.Event, pause: threading.Event, paused: threading.Event | None = None,
                 interval: float = 0.1):
        self.stop, self.pause, self.paused = stop, pause, paused
        self.report_every_s = interval  # a report when this much time passed (the loop checks it)
        self.device: torch.device | None = None
        self.stop_requested = stop.is_set  # per batch: the events' own checks, nothing wrapped around them
        self.pause_requested = pause.is_set

    # ---------------------------------------------------------------- set-up
    def check_train_size(self, n: int) -> None:
        pass

    def threads(self, requested: int) -> int:
        return requested

    def choose_device(self, device: torch.device) -> torch.device:
        self.device = device
        return device

    def val_share(self, val: ImageSet | None) -> ImageSet | None:
        return val

    def augment_generator(self, rng: torch.Generator) -> torch.Generator:
        return rng

    def local_batches(self, batch_size: int, n: int) -> tuple[int, int]:
        """(images per step in this process, images per epoch in this process)."""
        return batch_size, n

    def agree_on_resume(self, has_checkpoint: bool) -> None:
        pass

    def from_main(self, value):
        """Rank 0's value of a bool or number."""
        return value

    def wrap(self, model: torch.nn.Module) -> torch.nn.Module:
        return model

    # ---------------------------------------------------------------- each epoch
    def start_epoch(self, perm: torch.Tensor, epoch: int, seed: int) -> tuple[torch.Tensor, int]:
        """This process's order of the training images, and the batch index of the first sync point."""
        return perm, NEVER

    def wait_while_paused(self) -> float:
        """Block while paused, still honouring stop; the seconds waited."""
        if self.stop.is_set():
            return 0.0
        t = time.perf_counter()
        if self.paused is not None:
            self.paused.set()
        while self.pause.is_set() and not self.stop.is_set():
            self.stop.wait(0.05)
        if self.paused is not None:
            self.paused.clear()
        return time.perf_counter() - t

    def report(self, b: int, window_s: float, loss: torch.Tensor, correct: torch.Tensor,
               seen: int) -> tuple[float, float, float, int]:
        """A batch report after batch ``b``: the window's (loss sum, correct, images) and the next sync point."""
        wl, wc = torch.stack([loss, correct]).tolist()
        return wl, wc, seen, NEVER

    def totals(self, loss: torch.Tensor, correct: torch.Tensor, count: int) -> tuple[float, float, int]:
        """(loss sum, correct, images) over all the processes, read in one go."""
        tl, tc = torch.stack([loss, correct]).tolist()
        return tl, tc, count

    def before_validation(self, model: torch.nn.Module) -> None:
        pass

    def lost_peer(self, e: BaseException) -> str | None:
        """What to report when ``e`` means another process is gone; None otherwise."""
        return None


class SeveralProcesses:
    """Training as one of several processes (``torchrun``), through a :class:`DistContext`."""

    def __init__(self, dist: DistContext, stop: threading.Event, interval: float = 0.1):
        self.dist, self.stop, self.paused = dist, stop, None
        self.world_size, self.is_main = dist.world_size, dist.is_main
        self.report_every_s = math.inf  # reports come at sync points, counted in batches
        self.device: torch.device | None = None
        self._interval = interval
        self._stop_now = False
        self._window_b0 = 0  # the first batch of the current report window
        self._aug: torch.Generator | None = None

    def stop_requested(self) -> bool:
        return self._stop_now

    def pause_requested(self) -> bool:
        return False

    # ---------------------------------------------------------------- set-up
    def check_train_size(self, n: int) -> None:
        if n < 2 * self.world_size:
            raise DataError(f"training in {self.world_size} processes needs at least {2 * self.world_size} "
                            "training images")

    def threads(self, requested: int) -> int:
        return self.dist.threads(requested)

    def choose_device(self, device: torch.device) -> torch.device:
        self.device = self.dist.device(device)
        return self.device

    def val_share(self, val: ImageSet | None) -> ImageSet | None:
        return val.subset(self.dist.positions(len(val))) if val is not None else None

    def augment_generator(self, rng: torch.Generator) -> torch.Generator:
        self._aug = torch.Generator()  # the data generator draws the permutation alone
        return self._aug

    def local_batches(self, batch_size: int, n: int) -> tuple[int, int]:
        # batch_size is the global batch: each process takes its part of it
        return max(1, batch_size // self.world_size), self.dist.local_count(n)

    def agree_on_resume(self, has_checkpoint: bool) -> None:
        some, missing = self._reduce(has_checkpoint, not has_checkpoint, op="max")
        if some and missing:
            raise EngineError("resuming needs the run's checkpoint where every training process can read it "
                              "(on every machine, or in a shared folder)")

    def from_main(self, value):
        return type(value)(self.dist.broadcast(torch.tensor([float(value)], device=self.device))[0])

    def wrap(self, model: torch.nn.Module) -> torch.nn.Module:
        return self.dist.wrap(model, self.device)  # DDP: averages the gradients

    # ---------------------------------------------------------------- each epoch
    def start_epoch(self, perm: torch.Tensor, epoch: int, seed: int) -> tuple[torch.Tensor, int]:
        perm = self.dist.shard(perm)  # the same permutation everywhere, this process's shard of it
        self._aug.manual_seed(self.dist.seed(seed, epoch))
        torch.manual_seed(self.dist.seed(seed, epoch, salt=1))  # dropout
        self._stop_now = self._reduce(self.stop.is_set(), op="max")[0] > 0
        self._window_b0 = 0
        return perm, 0

    def wait_while_paused(self) -> float:
        return 0.0

    def report(self, b: int, window_s: float, loss: torch.Tensor, correct: torch.Tensor,
               seen: int) -> tuple[float, float, float, int]:
        # a sync point, the same batch in every process: sum the window, agree on stopping, and rank 0 says
        # when the next one is (about every `interval` seconds)
        k = (max(1, min(10000, int(self._interval * (b + 1 - self._window_b0) / max(1e-9, window_s))))
             if self.is_main else 0)
        wl, wc, all_seen, stops, k = self._reduce(loss, correct, seen, self.stop.is_set(), k)
        self._stop_now, self._window_b0 = stops > 0, b + 1
        return wl, wc, all_seen, b + int(k)

    def totals(self, loss: torch.Tensor, correct: torch.Tensor, count: int) -> tuple[float, float, int]:
        tl, tc, n = self._reduce(loss, correct, count)
        return tl, tc, int(n)

    def before_validation(self, model: torch.nn.Module) -> None:
        self.dist.broadcast_buffers(model)

    def lost_peer(self, e: BaseException) -> str | None:
        if not is_comm_error(e):
            return None
        return str(e) if isinstance(e, EngineError) else lost_message(e)

    def _reduce(self, *values, op: str = "sum") -> list[float]:
        """Reduce a few numbers (tensors or Python numbers) over the processes in one collective."""
        t = torch.stack([v.detach().to(device=self.device, dtype=torch.float64).reshape(())
                         if isinstance(v, torch.Tensor)
                         else torch.tensor(float(v), dtype=torch.float64, device=self.device) for v in values])
        return self.dist.all_reduce(t, op).tolist()

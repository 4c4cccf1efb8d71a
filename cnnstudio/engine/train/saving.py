"""When a run writes its checkpoint, and the :class:`Progress` it carries (used by :mod:`.trainer`).

At the end of every epoch the run's state (weights, optimiser state, random states, :class:`Progress`) is copied
where it is: on a graphics card a copy on the card, with no wait for it (:func:`~.checkpoint.checkpoint_contents`).
That copy is written (``last.safetensors``, and the best epoch's weights to ``best.safetensors``) only:

- at the session's first epoch (a run killed early has something to resume from, and a disk that cannot take
  the checkpoint is found then, not at the end);
- when :data:`CHECKPOINT_EVERY_S` seconds have passed since the last write;
- at the run's last epoch (its end, or early stopping);
- when the run is stopped (before :class:`~cnnstudio.engine.events.RunStopped`) or fails.

So a stopped or failed run still resumes after its last finished epoch, as when every epoch was written. What a
write costs (a copy from the card, a wait for it, a file of the weights and the optimiser's state) is paid at
most every :data:`CHECKPOINT_EVERY_S` seconds: on an H200 an epoch of the MNIST recipe takes 0.1-0.2 s, and a
write every epoch was up to 200 writes in 50 s. The price: a process killed outright (a power cut, the system's
out-of-memory killer) loses at most the last :data:`CHECKPOINT_EVERY_S` seconds of training (the epochs since
the last write), which a resume trains again; the run's row then says the epoch Resume goes on from and the epochs
trained again (project/run_abandoned.resume_point), not the epochs it had reached. On the CPU, where an epoch usually
takes longer than that, every epoch is still written.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ...project.run_checkpoint import checkpoint_marks
from .checkpoint import BEST, LAST, atomic_save, write_checkpoint

CHECKPOINT_EVERY_S = 20.0


@dataclass
class Progress:
    """Where a run is: what its checkpoint carries to the next session (and a failure reports)."""
    epochs: int
    epoch: int = 0  # the last epoch finished (0: none)
    step: int = 0  # optimiser steps taken
    best_epoch: int = 0
    best_key: tuple[float, float] | None = None  # see epoch_loop.better
    elapsed: float = 0.0  # training seconds up to the end of `epoch`, all sessions
    auto_batch: tuple[int, float] | None = None  # (batch, learning rate) Auto chose: a resumed run keeps them

    @classmethod
    def from_checkpoint(cls, saved: dict) -> "Progress":
        auto = saved.get("auto_batch")
        return cls(saved["epochs"], saved["epoch"], saved["step"], saved["best_epoch"],
                   tuple(saved["best_key"]) if saved.get("best_key") else None, saved["elapsed"],
                   (int(auto[0]), float(auto[1])) if auto else None)

    def to_checkpoint(self, run_id: str) -> dict:
        d = {"epoch": self.epoch, "step": self.step, "epochs": self.epochs, "best_epoch": self.best_epoch,
             "best_key": list(self.best_key), "elapsed": self.elapsed, "run_id": run_id}
        if self.auto_batch is not None:
            d["auto_batch"] = list(self.auto_batch)
        return d


class Checkpoints:
    """A run's checkpoints in ``folder`` (None: none are written): the state of the last finished epoch kept in
    memory, written when due. ``writes``: False in the processes other than the first (rank 0 alone writes)."""

    def __init__(self, folder: Path | None, writes: bool = True, every_s: float = CHECKPOINT_EVERY_S,
                 clock: Callable[[], float] = time.monotonic):
        self.folder, self.every_s, self.clock = folder, every_s, clock
        self.writes = writes and folder is not None
        self.written_at: float | None = None  # None: nothing written in this session yet
        self.kept: tuple | None = None  # (epoch, checkpoint contents, best weights, best epoch)
        self.best_written = 0  # the epoch whose weights best.safetensors holds
        # the run's design and classes fingerprints, read once (dataset.json lists every picture): the files they
        # come from do not change while the run trains
        self.marks = checkpoint_marks(folder.parent) if self.writes else {}

    def due(self, last_epoch: bool) -> bool:
        """Write the epoch that just ended? (Every process asks; the first's answer counts.)"""
        return last_epoch or self.written_at is None or self.clock() - self.written_at >= self.every_s

    def keep(self, epoch: int, contents: Callable[[], tuple], best: dict | None, best_epoch: int) -> None:
        """Keep the state at the end of ``epoch`` (``contents()`` copies it) and the best epoch's weights."""
        if self.writes:
            self.kept = None  # the previous copy goes before the next is made
            self.kept = (epoch, contents(), best, best_epoch)

    def write(self) -> int | None:
        """Write what is kept: its epoch, or None when there was nothing new."""
        if self.kept is None:
            return None
        epoch, contents, best, best_epoch = self.kept
        self.kept = None  # a write that fails (a full disk) is not tried again
        if best is not None and best_epoch != self.best_written:
            atomic_save({k: v.to("cpu").contiguous() for k, v in best.items()}, self.folder / BEST,
                        {"epoch": str(best_epoch)})
            self.best_written = best_epoch
        write_checkpoint(self.folder / LAST, contents, self.marks)
        self.written_at = self.clock()
        return epoch

    def write_quietly(self) -> None:
        """:meth:`write` for a run that failed: the failure is what the run reports, not a second one."""
        try:
            self.write()
        except Exception:  # noqa: BLE001 - a full disk, or the failure itself: the previous checkpoint stays
            pass

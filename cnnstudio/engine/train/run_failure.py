"""How a run that fails ends: every failure becomes one :class:`~cnnstudio.engine.events.RunFailed` event with
its reason and what to do (:func:`failed_event`, called by :func:`.trainer.fit` while it handles the error), a loss
that stops being a number is :class:`TrainingDiverged` (raised by :mod:`.epoch_loop`), said with
:data:`NAN_ADVICE` (which the learning-rate finder says too)."""

from __future__ import annotations

import traceback

import torch

from ..device import is_out_of_memory
from ..errors import EngineError
from ..events import RunFailed

NAN_ADVICE = ("lower the learning rate (try 10 times smaller); if it keeps happening, check the pictures "
              "and labels, or use a model with batch normalisation")


class TrainingDiverged(EngineError):
    pass


def failed_event(e: Exception, run_id: str, epoch: int, procs) -> RunFailed:
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

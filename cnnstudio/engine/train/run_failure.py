"""How a run that fails ends: every failure becomes one :class:`~cnnstudio.engine.events.RunFailed` event with
its reason and what to do (:func:`failed_event`, called by :func:`.trainer.fit` while it handles the error), a loss
that stops being a number is :class:`TrainingDiverged` (raised by :mod:`.epoch_loop`), said with
:data:`NAN_ADVICE` (which the learning-rate finder says too)."""

from __future__ import annotations

import math
import re
import traceback
from dataclasses import replace

import torch

from ..device import is_out_of_memory
from ..errors import EngineError
from ..events import RunFailed

NAN_ADVICE = ("lower the learning rate (try 10 times smaller); if it keeps happening, check the pictures "
              "and labels, or use a model with batch normalisation")


class TrainingDiverged(EngineError):
    pass


#: the words of a loss that stopped being a number (:func:`diverged_words`) and how they are read back from a failed
#: run's record (:func:`diverged_epoch`, the advice's evidence: that epoch never reaches metrics.jsonl): one place
_DIVERGED = re.compile(r"the loss became .* in epoch (\d+), batch \d+: training diverged")


def diverged_words(loss: float, epoch: int, batch: int) -> str:
    """"the loss became NaN (not a number) in epoch 2, batch 3: training diverged" (or "infinite")."""
    return (f"the loss became {'infinite' if math.isinf(loss) else 'NaN (not a number)'} "
            f"in epoch {epoch}, batch {batch}: training diverged")


def diverged_epoch(error) -> int | None:
    """The epoch a failed run's ``error`` (its record's words) says its loss stopped being a number in; None for any
    other failure or none."""
    m = _DIVERGED.search(error) if isinstance(error, str) else None
    return int(m.group(1)) if m else None


def shifted(event: RunFailed, shift: int) -> RunFailed:
    """``event`` from a stage whose epochs are numbered after ``shift`` earlier ones (a frozen backbone's
    fine-tuning, after the head's): its epoch, and the epoch its words name when the loss stopped being a number,
    as the Train page and the run's plots number them."""
    m = _DIVERGED.search(event.reason)
    reason = event.reason
    if m:
        reason = reason[:m.start(1)] + str(int(m.group(1)) + shift) + reason[m.end(1):]
    return replace(event, epoch=event.epoch + shift if event.epoch else event.epoch, reason=reason)


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

"""Auto batch size: on a graphics card, the largest batch that fits, and the learning rate scaled with it.

:attr:`TrainSettings.auto_batch_size` asks for it; on the CPU (and MPS) the settings' ``batch_size`` stays,
as before. On a CUDA card (:func:`auto_batch`):

- the candidates are ``batch_size`` doubled again and again (64, 128, 256, ...), bounded by
  :data:`MAX_AUTO_BATCH` and by the data: at least :data:`MIN_STEPS_PER_EPOCH` optimiser steps an epoch
  (a batch of all 4,000 pictures would take one step an epoch and learn little);
- each candidate is tried with one forward and backward pass on a throw-away copy of the model
  (``try_batch``, which the trainer makes); the first that runs out of memory ends the search and the
  largest that fitted is used (the copy's extra weights and gradients leave some room);
- the learning rate follows the batch (:func:`scaled_lr`): the square-root rule for Adam and AdamW
  (Malladi et al. 2022, "On the SDEs and scaling rules for adaptive gradient algorithms"), the linear
  rule for SGD (Goyal et al. 2017, "Accurate, large minibatch SGD"). The run's record says both.
"""

from __future__ import annotations

import math
from typing import Callable

from ..device import is_out_of_memory

MAX_AUTO_BATCH = 2048
MIN_STEPS_PER_EPOCH = 16


def batch_limit(train_images: int, maximum: int = MAX_AUTO_BATCH) -> int:
    """The largest batch Auto may choose for this many training pictures."""
    return max(2, min(maximum, train_images // MIN_STEPS_PER_EPOCH))


def largest_batch(try_batch: Callable[[int], object], start: int, limit: int) -> int:
    """The largest of ``start``, ``2 * start``, ... (at most ``limit``) for which ``try_batch`` did not run
    out of memory; ``start`` (capped at ``limit``) when nothing larger fits. Other errors propagate."""
    best = candidate = max(1, min(start, limit))
    while True:
        try:
            try_batch(candidate)
        except Exception as e:  # noqa: BLE001 - only running out of memory ends the search quietly
            if not is_out_of_memory(e):
                raise
            return best
        best = candidate
        if candidate * 2 > limit:
            return best
        candidate *= 2


def scaled_lr(lr: float, base_batch: int, batch: int, optimizer: str) -> tuple[float, str]:
    """The learning rate for ``batch`` when ``lr`` suited ``base_batch``, and the rule's name."""
    ratio = batch / max(1, base_batch)
    if optimizer == "sgd":
        return lr * ratio, "linear"
    return lr * math.sqrt(ratio), "square-root"


def auto_batch(try_batch: Callable[[int], object], batch_size: int, lr: float, optimizer: str,
               train_images: int) -> tuple[int, float, str]:
    """(batch, learning rate, what was done in words) for Auto on a graphics card."""
    limit = batch_limit(train_images)
    batch = largest_batch(try_batch, batch_size, limit)
    new_lr, rule = scaled_lr(lr, batch_size, batch, optimizer)
    if batch == batch_size:
        return batch, lr, f"batch {batch} (Auto: nothing larger fitted or suited {train_images} pictures)"
    return batch, new_lr, (f"batch {batch} (Auto: the largest that fits, at most {limit}), learning rate "
                           f"{lr:g} -> {new_lr:.3g} ({rule} rule)")

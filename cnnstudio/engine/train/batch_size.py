"""Auto batch size: on a graphics card, the largest batch that fits, and the learning rate scaled with it.

:attr:`TrainSettings.auto_batch_size` asks for it; on the CPU (and MPS) the settings' ``batch_size`` stays,
as before. On a CUDA card (:func:`auto_batch`):

- the candidates are ``batch_size`` doubled again and again (64, 128, 256, ...), bounded by
  :data:`MAX_AUTO_BATCH` and by the data: at least :data:`MIN_STEPS_PER_EPOCH` optimiser steps an epoch
  (a batch of all 4,000 pictures would take one step an epoch and learn little);
- each candidate is tried with one forward and backward pass on a throw-away copy of the model
  (``try_batch``, which the trainer makes); the first that runs out of memory ends the search and the
  largest that fitted is used (the copy's extra weights and gradients leave some room). When the settings'
  batch itself runs out of memory, the search goes down instead (half, a quarter, ...) to the first that fits;
- the learning rate follows the batch, up or down (:func:`scaled_lr`): the square-root rule for Adam and AdamW
  (Malladi et al. 2022, "On the SDEs and scaling rules for adaptive gradient algorithms"), the linear
  rule for SGD (Goyal et al. 2017, "Accurate, large minibatch SGD"). The run's record says both.
"""

from __future__ import annotations

import math
from typing import Callable

from ..device import is_out_of_memory

MAX_AUTO_BATCH = 2048
MIN_STEPS_PER_EPOCH = 16
MIN_AUTO_BATCH = 2  # batch norm cannot train on a single picture


def batch_limit(train_images: int, maximum: int = MAX_AUTO_BATCH) -> int:
    """The largest batch Auto may choose for this many training pictures."""
    return max(2, min(maximum, train_images // MIN_STEPS_PER_EPOCH))


def largest_batch(try_batch: Callable[[int], object], start: int, limit: int) -> int:
    """The largest of ``start``, ``2 * start``, ... (at most ``limit``) for which ``try_batch`` did not run
    out of memory. When ``start`` itself does not fit: the first of ``start // 2``, ``start // 4``, ... that
    does, down to :data:`MIN_AUTO_BATCH` (which is returned even if it does not fit: the run then says so in
    its own words). Other errors propagate."""
    candidate = max(1, min(start, limit))
    if not _fits(try_batch, candidate):
        while candidate > MIN_AUTO_BATCH:
            candidate = max(MIN_AUTO_BATCH, candidate // 2)
            if _fits(try_batch, candidate):
                break
        return candidate
    best = candidate
    while candidate * 2 <= limit:
        candidate *= 2
        if not _fits(try_batch, candidate):
            break
        best = candidate
    return best


def _fits(try_batch: Callable[[int], object], batch: int) -> bool:
    try:
        try_batch(batch)
    except Exception as e:  # noqa: BLE001 - only running out of memory is an answer; other errors propagate
        if not is_out_of_memory(e):
            raise
        return False
    return True


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
    if batch < batch_size:
        return batch, new_lr, (f"batch {batch} (Auto: {batch_size} did not fit on this card), learning rate "
                               f"{lr:g} -> {new_lr:.3g} ({rule} rule)")
    return batch, new_lr, (f"batch {batch} (Auto: the largest that fits, at most {limit}), learning rate "
                           f"{lr:g} -> {new_lr:.3g} ({rule} rule)")

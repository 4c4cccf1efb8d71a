"""The rules of one optimiser step, the same in every run (pure: no state of their own).

:func:`lr_at`: the learning rate before a step, a function of the step alone (no scheduler object to save in a
checkpoint); :func:`make_optimizer`: the optimiser, weight decay on weights only, fused where PyTorch has it;
:func:`class_weights`: the loss's weights with ``class_weights="balanced"``; :func:`batches_per_epoch`: how many
batches an epoch takes. Used by the trainer's loop (:mod:`.epoch_loop`, set up by :mod:`.run_setup`) and the
learning-rate finder (:mod:`.lr_range`).
"""

from __future__ import annotations

import math

import torch

from ..errors import EngineError
from .settings import TrainSettings


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

"""A run's learning rate at every step, drawn again from its files: the Train page's live plot drew the rate of
each batch it was told of, but a run's metrics keep only the rate at the end of each epoch. The schedule is a rule
(:func:`~.step_rules.lr_at`), so the steps are known again once the batches per epoch are: the smallest number for
which the rule gives back every rate the metrics keep. None when no number does (the batch size or the rate
chosen on the card by Auto, a frozen network's head with its own schedule): the plot then draws the epochs'
rates alone."""

from __future__ import annotations

import math

from ..errors import EngineError
from .settings import TrainSettings
from .step_rules import lr_at

MOST_BATCHES = 20_000  # batches per epoch looked for (a million pictures in batches of 50)
MOST_POINTS = 2_000  # points drawn at most (every step of a short run; every few of a long one)


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15)


def schedule_points(settings_json, epochs_planned, rows: list[dict]) -> tuple[list[float], list[float]] | None:
    """``(x, rate)`` at the end of each step as the live plot drew them (x in epochs: step 3 of 10 per epoch at
    0.3), up to the last epoch ``rows`` keep (metrics.jsonl's EpochEnd rows, each with the rate of its last step),
    for a run of ``settings_json`` (its config's settings) that planned ``epochs_planned`` epochs; None when the
    rule does not give back the rates kept, or there are none."""
    kept = [(r.get("epoch"), r.get("lr")) for r in rows if isinstance(r, dict)]
    kept = [(int(e), float(lr)) for e, lr in kept if isinstance(e, int) and e > 0 and isinstance(lr, (int, float))
            and math.isfinite(lr)]
    if not kept or not isinstance(epochs_planned, int) or epochs_planned < max(e for e, _ in kept):
        return None
    try:
        settings = TrainSettings.from_json(settings_json)
    except (EngineError, TypeError, ValueError, AttributeError):
        return None
    first_epoch, first_lr = kept[0]
    for batches in range(1, MOST_BATCHES + 1):
        total = epochs_planned * batches
        if not _same(lr_at(first_epoch * batches - 1, total, settings), first_lr):
            continue
        if all(_same(lr_at(e * batches - 1, total, settings), lr) for e, lr in kept):
            return _points(settings, batches, total, max(e for e, _ in kept))
    return None


def _points(settings: TrainSettings, batches: int, total: int, last_epoch: int) -> tuple[list[float], list[float]]:
    steps = last_epoch * batches
    every = max(1, math.ceil(steps / MOST_POINTS))
    chosen = sorted(set(range(every - 1, steps, every)) | {e * batches - 1 for e in range(1, last_epoch + 1)})
    return [(s + 1) / batches for s in chosen], [lr_at(s, total, settings) for s in chosen]


__all__ = ["schedule_points"]

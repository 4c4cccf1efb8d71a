"""A run's speed (pictures per second) as one steady figure: the median of its full epochs' speeds, over every
epoch it trained (a resumed run's earlier sessions too), so that an epoch cut short by Stop, a first epoch that
warmed up or the newest few batches do not stand for the whole run. Only a run that never finished an epoch is
measured by its batches (their median). The run's summary keeps it (runs/lifecycle.py); the runs list, the
Train page's finished line and clock and the Auto-epochs estimate show what the summary keeps."""

from __future__ import annotations

import math
from statistics import median
from typing import Iterable


def _speeds(values: Iterable) -> list[float]:
    return [float(v) for v in values if isinstance(v, (int, float)) and 0 < v < math.inf]


def steady_speed(epoch_speeds: Iterable, batch_speeds: Iterable = ()) -> float:
    """The run's pictures per second: the median of ``epoch_speeds`` (each full epoch's, as its EpochEnd says),
    or without one the median of ``batch_speeds`` (the BatchEnd figures of the epoch under way); NaN without
    either. Figures that are not positive and finite are left out."""
    for values in (epoch_speeds, batch_speeds):
        kept = _speeds(values)
        if kept:
            return float(median(kept))
    return math.nan


def metrics_speeds(rows: Iterable[dict]) -> list[float]:
    """The epoch speeds a run's metrics rows (metrics.jsonl, one EpochEnd each) keep."""
    return _speeds(r.get("images_per_second") for r in rows if isinstance(r, dict))


__all__ = ["metrics_speeds", "steady_speed"]

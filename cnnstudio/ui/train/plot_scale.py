"""Round numbers for the training plots' axes (Qt-free): a y axis moves only to a round number above the highest
value, so it is laid out again rarely (see :mod:`.plots`); the epoch axis ticks whole epochs only
(:func:`epoch_step`)."""

from __future__ import annotations

import math


def nice_ceiling(v: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k that is >= ``v`` (> 0)."""
    if not (v > 0 and math.isfinite(v)):
        return 1.0
    k = math.floor(math.log10(v))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        top = m * 10.0 ** k
        if top >= v * (1 - 1e-9):
            return top
    return 10.0 ** (k + 1)


EPOCH_TICKS = 4  # at most about this many epoch numbers under a plot: the narrowest (150 pixels) reads them apart


def epoch_step(epochs: float) -> int:
    """The step between the epoch axis's numbers for a run of ``epochs``: a whole number (epochs are whole; a one-epoch
    run read "0.20.40.60.8" under its narrow learning-rate plot), 1, 2, 5, 10, 20, … so that about
    :data:`EPOCH_TICKS` show."""
    want = max(1.0, epochs / EPOCH_TICKS)
    k = 10 ** math.floor(math.log10(want))
    for m in (1, 2, 5, 10):
        if m * k >= want * (1 - 1e-9):
            return int(m * k)
    return int(10 * k)

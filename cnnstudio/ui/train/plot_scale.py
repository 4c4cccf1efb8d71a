"""Round numbers for the training plots' y axes (Qt-free): an axis moves only to a round number above the highest
value, so it is laid out again rarely (see :mod:`.plots`)."""

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

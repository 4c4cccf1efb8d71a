"""How far an accuracy measured on a few pictures can be trusted: the Wilson score interval (stdlib only).

An accuracy of 17 right out of 20 is 85 %, but with 20 pictures the true accuracy (on pictures like these)
could well be anywhere from about 64 % to 95 %. The Wilson interval (Wilson 1927; Agresti & Coull 1998)
is the usual binomial confidence interval for a proportion: unlike "p +- 1.96 * sqrt(p(1-p)/n)" it stays
inside [0, 1] and is honest at 0 % and 100 %. Used wherever a validation or test accuracy is shown
(advice, report, ``cnnstudio evaluate``, the Evaluate page).
"""

from __future__ import annotations

import math

Z95 = 1.959963984540054  # the two-sided 95 % point of the normal distribution


def wilson_interval(correct: int, total: int, z: float = Z95) -> tuple[float, float]:
    """The (low, high) Wilson score interval for ``correct`` successes out of ``total`` (95 % by default).
    ``total == 0`` gives (0.0, 1.0): nothing is known."""
    if total <= 0:
        return 0.0, 1.0
    correct = max(0, min(int(correct), int(total)))
    p = correct / total
    z2 = z * z
    denom = 1.0 + z2 / total
    centre = (p + z2 / (2 * total)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total))
    return max(0.0, centre - half), min(1.0, centre + half)


def accuracy_interval(accuracy: float, total: int, z: float = Z95) -> tuple[float, float]:
    """The interval for an accuracy given as a fraction of ``total`` pictures."""
    return wilson_interval(round(accuracy * total), total, z)


__all__ = ["Z95", "accuracy_interval", "wilson_interval"]

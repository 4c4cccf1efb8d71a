"""How a trained model's numbers are written for people (stdlib only): one rounding rule for every probability and
share the window shows, whether a top-k score says anything, and the 95 % range of a per-class score.

The rounding rule: one decimal ("99.5%"), but never "100%" unless the value is exactly 1 and never "0%" unless
it is exactly 0: a model 99.97 % sure is "> 99.9%", one 0.02 % sure "< 0.1%". A model's probability for a class is
never exactly 1 nor 0 (a softmax over two classes or more), even where float32 rounds it there (a blue rectangle called
"cherries" at 1.0 read "100% sure"), so :func:`probability_percent` never says "100%" nor "0%": the Predict list, its
detail view, the folder table, the camera's label and the Evaluate tables write probabilities with it, so the same
picture reads the same everywhere; shares (an accuracy of exactly 100 %) keep :func:`percent`.
"""

from __future__ import annotations

import math

from .intervals import accuracy_interval, wilson_interval


def percent(value: float) -> str:
    """``value`` (0..1) as a percentage with one decimal; "100%" / "0%" only when it is exactly 1 / 0."""
    if value >= 1.0:
        return "100%"
    if value <= 0.0:
        return "0%"
    text = f"{value * 100:.1f}"
    if text == "100.0":
        return "> 99.9%"
    if text == "0.0":
        return "< 0.1%"
    return text + "%"


def probability_percent(value: float) -> str:
    """A model's probability for a class (0..1) as :func:`percent` writes it, but never "100%" nor "0%": a softmax
    is below 1 and above 0 even where the number reads 1.0 or 0.0, so those read "> 99.9%" and "< 0.1%"."""
    if value >= 1.0:
        return "> 99.9%"
    if value <= 0.0:
        return "< 0.1%"
    return percent(value)


def top_k_says_something(k: int, n_classes: int) -> bool:
    """Whether "top-k accuracy" is worth showing: with k close to the number of classes the true class is
    nearly always among the k answers (top-2 of 2 classes is always 100 %), so it is shown only for
    ``k < n_classes - 1``."""
    return 0 < k < n_classes - 1


def range_text(low: float, high: float) -> str:
    """ "64–95%": a 95 % range of a share, in whole percent (the ends of a range need no decimals)."""
    return f"{low * 100:.0f}–{high * 100:.0f}%"


def score_text(accuracy, total) -> str:
    """ "92.1% (88–95%)": an accuracy with its 95 % interval, short enough for a table cell or a result line
    (the Train page, the runs list); just "92.1%" when the number of pictures is not known; "–" for no score."""
    if not isinstance(accuracy, (int, float)) or not math.isfinite(accuracy):
        return "–"
    if not isinstance(total, int) or total <= 0:
        return percent(accuracy)
    return f"{percent(accuracy)} ({range_text(*accuracy_interval(accuracy, total))})"


def class_ranges(ev: dict) -> dict[str, dict[str, tuple[float, float] | None]]:
    """The Wilson 95 % range of each class's precision and recall in an evaluation (``classes``,
    ``confusion_matrix[true][predicted]``): recall over the pictures of the class, precision over the pictures
    predicted as it. None where there is no picture to count (nothing is known)."""
    classes, matrix = ev["classes"], ev["confusion_matrix"]
    out = {}
    for c, name in enumerate(classes):
        right = matrix[c][c]
        support = sum(matrix[c])
        called = sum(row[c] for row in matrix)
        out[name] = {"recall": wilson_interval(right, support) if support else None,
                     "precision": wilson_interval(right, called) if called else None}
    return out


__all__ = ["class_ranges", "percent", "probability_percent", "range_text", "top_k_says_something"]

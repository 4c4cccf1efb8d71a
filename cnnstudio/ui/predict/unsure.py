"""When the Predict page says the model is unsure (Qt-free: a rule and its words, tested without a window).

A softmax always sums to 1, so a model shown a picture unlike any it learned from still names a class, at 28.7 % or
at 54 % against 46 %. Such an answer is shown with one more line under the headline (:data:`UNSURE`): the model's
top class is under :data:`UNSURE_BELOW`, or the next class is within :data:`CLOSE` of it. A confident answer on a
strange picture cannot be told from the probabilities, so the line is a hint, never a promise.
"""

from __future__ import annotations

import math

from ...engine.use.figures import percent

UNSURE_BELOW = 0.5  # a top class below this is an unsure answer
CLOSE = 0.1  # ... and so is a top class ahead of the next by less than this
UNSURE = "The model is unsure: it may never have seen a picture like this."


def is_unsure(probabilities: dict[str, float]) -> bool:
    """Whether an answer with these class probabilities is an unsure one (see the module's words)."""
    values = sorted((p for p in probabilities.values() if isinstance(p, (int, float)) and math.isfinite(p)),
                    reverse=True)
    if not values:
        return False
    second = values[1] if len(values) > 1 else 0.0
    return values[0] < UNSURE_BELOW or values[0] - second < CLOSE


def unsure_line(probabilities: dict[str, float]) -> str:
    """:data:`UNSURE` for an unsure answer, else ""."""
    return UNSURE if is_unsure(probabilities) else ""


UNSURE_TIP = (f"Said when the model's answer is under {percent(UNSURE_BELOW)} sure, or the next class is less than "
              f"{round(CLOSE * 100)} points behind it")

"""When a model's answer is an unsure one (stdlib only): the one rule the Predict page's detail view, its Folder
tab, the folder CSV's ``unsure`` column and ``cnnstudio predict`` all follow.

A softmax always sums to 1, so a model shown a picture unlike any it learned from still names a class, at 28.7 % or
at 54 % against 46 %. Such an answer is unsure: the model's top class is under :data:`UNSURE_BELOW`, or the next
class is within :data:`CLOSE` of it. A confident answer on a strange picture cannot be told from the probabilities,
so the flag is a hint, never a promise.

A picture that looks unlike the training pictures (:mod:`.novelty`, the CSV's own ``unlike_training`` column) may get
a confident answer all the same (noise called "8" at 96 %): :func:`may_be_guessing` is an unsure answer *or* such a
picture, the one rule for not taking the answer at its word (the Predict page neither says it plainly "sure" nor fills
it in as the picture's class). The CSV keeps the two apart, ``unsure`` (:func:`is_unsure`) and ``unlike_training``, so
``may_be_guessing`` is exactly "either column true".
"""

from __future__ import annotations

import math
from typing import Mapping

from .figures import percent

UNSURE_BELOW = 0.5  # a top class below this is an unsure answer
CLOSE = 0.1  # ... and so is a top class ahead of the next by less than this
# the rule in words, for a tooltip or a command's footnote: "Said when " + RULE_WORDS + "."
RULE_WORDS = (f"the model's answer is under {percent(UNSURE_BELOW)} sure, or the next class is less than "
              f"{round(CLOSE * 100)} points behind it")


def is_unsure(probabilities: Mapping[str, float]) -> bool:
    """Whether an answer with these class probabilities is an unsure one (see the module's words). No finite
    probability, or one class alone at 100 %, is not unsure."""
    values = sorted((p for p in probabilities.values() if isinstance(p, (int, float)) and math.isfinite(p)),
                    reverse=True)
    if not values:
        return False
    second = values[1] if len(values) > 1 else 0.0
    return values[0] < UNSURE_BELOW or values[0] - second < CLOSE


def may_be_guessing(probabilities: Mapping[str, float], unlike_training: bool | None = None) -> bool:
    """Whether the model may be guessing: an unsure answer (:func:`is_unsure`), or a picture that looks unlike the
    training pictures (``unlike_training`` True; None, a model without that hint, counts as not unlike)."""
    return unlike_training is True or is_unsure(probabilities)

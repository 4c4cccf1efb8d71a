"""Which pictures the Evaluate page scores a model on, and what it says about them (Qt-free).

The validation pictures are for comparing models and choosing one: the page opens on them, and they come first in its
list. The test pictures are looked at once, at the end (as :mod:`.mistake_words` says for relabelling): a test score
used to choose a model, or to decide what to change next, is no longer an honest estimate of new pictures. So when the
user picks them, one sentence under the headline says so (:func:`split_note`; its words are
:data:`cnnstudio.project.split_roles.TEST_FOR_THE_END`, which ``cnnstudio train`` and ``cnnstudio evaluate`` say too).
"""

from __future__ import annotations

from ...project.split_roles import TEST_FOR_THE_END  # the sentence the command line says too

SPLITS = (("val", "Validation pictures"), ("test", "Test pictures"))  # the box's order: validation first
FIRST = SPLITS[0][0]  # what the page opens on
SPLIT_TIP = ("Validation pictures: compare models and choose one on these. Test pictures: look at them once, at the "
             "end; they were never used in training, so their score is the honest one.")
AGAIN_TIP = ("Score this model again. It uses the labels it was trained with; labels you changed since count from "
             "the next model you train.")
CANCEL_TIP = "Stop this evaluation: the scores shown before it come back."
EVALUATING = "Evaluating…"
CANCELLED = "Evaluation cancelled: press Evaluate again to score this model on these pictures."


def split_name(split: str) -> str:
    """"validation pictures", "test pictures" (the split's own name for any other)."""
    return dict(SPLITS).get(split, split).lower()


def split_note(split: str) -> str:
    """The sentence under the headline for scores on ``split``: :data:`TEST_FOR_THE_END` on test pictures, else ""."""
    return TEST_FOR_THE_END if split == "test" else ""


__all__ = ["AGAIN_TIP", "CANCELLED", "CANCEL_TIP", "EVALUATING", "FIRST", "SPLITS", "SPLIT_TIP", "TEST_FOR_THE_END",
           "split_name", "split_note"]

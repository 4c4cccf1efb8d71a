"""Which pictures the Evaluate page scores a model on, and what it says about them (Qt-free).

The validation pictures are for comparing models and choosing one: the page opens on them, and they come first in its
list. The test pictures are looked at once, at the end (as :mod:`.mistake_words` says for relabelling): a test score
used to choose a model, or to decide what to change next, is no longer an honest estimate of new pictures. So when the
user picks them, one sentence under the headline says so (:func:`split_note`; its words are
:data:`cnnstudio.project.split_roles.TEST_FOR_THE_END`, which ``cnnstudio train`` and ``cnnstudio evaluate`` say too).

A run trained without validation pictures ("No validation", a Tune final run) cannot be scored on them: the page opens
on its test pictures (:func:`first_split`), says why (:data:`NO_VAL` in place of the sentence above, which would send
the user to pictures the run lacks), and its box offers only the pictures the run has (:func:`has_pictures`).
"""

from __future__ import annotations

from ...project.run_records import scored_pictures
from ...project.split_roles import TEST_FOR_THE_END  # the sentence the command line says too

SPLITS = (("val", "Validation pictures"), ("test", "Test pictures"))  # the box's order: validation first
FIRST = SPLITS[0][0]  # what the page opens on, when the run has validation pictures (first_split)
SPLIT_TIP = ("Validation pictures: compare models and choose one on these. Test pictures: look at them once, at the "
             "end; they were never used in training, so their score is the honest one.")
AGAIN_TIP = ("Score this model again. It uses the labels it was trained with; labels you changed since count from "
             "the next model you train.")
CANCEL_TIP = "Stop this evaluation (Esc): the scores shown before it come back."
EVALUATING = "Evaluating…"
TEST_NOT_SHOWN = "The test score is not shown: choose a model, or its test pictures again, to look at it."
CANCELLED = "Evaluation cancelled: press Evaluate again to score this model on these pictures."
NO_VAL = "This model was trained without validation pictures, so it is scored on the test pictures."
NO_VAL_TIP = "This model was trained without validation pictures, so it cannot be scored on them."
NO_TEST_TIP = "This model has no test pictures: the project had none when it was trained."
NO_VAL_RUN = "no validation pictures"  # in the run box, where a score would be
UNOFFERED = {"val": NO_VAL_TIP, "test": NO_TEST_TIP}  # the box's tooltip on pictures a run has none of


def has_pictures(summary: dict, split: str) -> bool:
    """Whether the run whose record is ``summary`` has pictures in ``split`` to be scored on. A run that recorded no
    counts (made before they were kept) is taken to have them: the engine says so if not."""
    images = summary.get("images")
    if not isinstance(images, dict) or split not in images:
        return True
    return scored_pictures(summary, split) > 0


def first_split(summary: dict) -> str:
    """What the page opens on for that run: the validation pictures when it has some, else the test pictures."""
    return FIRST if has_pictures(summary, FIRST) or not has_pictures(summary, "test") else "test"


def usable_split(summary: dict, split: str) -> str:
    """``split`` when the run has pictures in it, else the pictures it opens on (:func:`first_split`)."""
    return split if has_pictures(summary, split) else first_split(summary)


def split_name(split: str) -> str:
    """"validation pictures", "test pictures" (the split's own name for any other)."""
    return dict(SPLITS).get(split, split).lower()


def split_note(split: str, summary: dict | None = None) -> str:
    """The sentence under the headline for scores on ``split`` of the run recorded in ``summary``: on test pictures
    :data:`NO_VAL` for a run without validation pictures, else :data:`TEST_FOR_THE_END`; "" on others."""
    if split != "test":
        return ""
    return NO_VAL if summary is not None and not has_pictures(summary, FIRST) else TEST_FOR_THE_END


__all__ = ["AGAIN_TIP", "CANCELLED", "CANCEL_TIP", "EVALUATING", "FIRST", "NO_TEST_TIP", "NO_VAL", "NO_VAL_RUN",
           "NO_VAL_TIP", "SPLITS", "SPLIT_TIP", "TEST_FOR_THE_END", "TEST_NOT_SHOWN", "UNOFFERED", "first_split",
           "has_pictures", "split_name", "split_note", "usable_split"]

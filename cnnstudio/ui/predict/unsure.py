"""What the Predict page says when the model is unsure, or the picture looks unlike the training pictures (Qt-free:
words, tested without a window).

The rule itself, top class under 50 % or the next class within 10 points, is the engine's
(:mod:`cnnstudio.engine.use.unsure`), so the folder CSV and ``cnnstudio predict`` flag the same answers. An unsure
answer gets one more line under the headline (:data:`UNSURE`) and a mark in the Folder tab (:data:`UNSURE_MARK`).

A picture that looks unlike the pictures the model learned from (:attr:`~cnnstudio.engine.use.predict.Prediction.\
unlike_training`, measured on what the model sees: :mod:`cnnstudio.engine.use.novelty`) gets its own line, a separate
hint (:data:`UNLIKE`, with :data:`UNLIKE_TIP`), a mark on its row in the picture list (:data:`UNLIKE_ROW`) and in the
Folder tab's column (:data:`UNLIKE_MARK`). A model without the hint (too few validation pictures, a model file)
cannot tell such a picture: the detail view says so beside the answer (:func:`unknown_line`), and its answers are never
called "sure" (:func:`sure_words`) nor filled in as the picture's class (:mod:`.add_choice`): a blue rectangle read
"cherries 100% sure" on a run with 13 validation pictures.
"""

from __future__ import annotations

from ...engine.use.novelty_words import HINT, HINT_TIP, NO_HINT, UNLIKE_LONG, UNLIKE_SHORT
from ...engine.use.figures import probability_percent
from ...engine.use.unsure import CLOSE, RULE_WORDS, UNSURE_BELOW, is_unsure, may_be_guessing

__all__ = ["CLOSE", "UNLIKE", "UNLIKE_COLUMN", "UNLIKE_MARK", "UNLIKE_ROW", "UNLIKE_TIP", "UNSURE", "UNSURE_BELOW",
           "UNSURE_COLUMN_TIP", "UNSURE_MARK", "UNSURE_TIP", "GUESSING", "CANNOT_TELL", "ONLY_ITS_CLASSES",
           "is_unsure", "may_be_guessing", "sure_words", "unknown_line", "unlike_line", "unsure_line"]

UNSURE = "The model is unsure: it may never have seen a picture like this."
UNSURE_MARK = "Unsure"  # the Folder tab's cell for an unsure answer (empty for a sure one), with UNSURE_TIP


def unsure_line(probabilities: dict[str, float]) -> str:
    """:data:`UNSURE` for an unsure answer, else ""."""
    return UNSURE if is_unsure(probabilities) else ""


UNSURE_TIP = f"Said when {RULE_WORDS}."
UNSURE_COLUMN_TIP = f"Marked when {RULE_WORDS}: the picture may be unlike any the model learned from."


UNLIKE = HINT  # "This picture looks unlike the training pictures."
UNLIKE_TIP = HINT_TIP
UNLIKE_ROW = UNLIKE_SHORT  # "unlike training": after the answer on a picture list row
UNLIKE_COLUMN = UNLIKE_SHORT[0].upper() + UNLIKE_SHORT[1:]  # "Unlike training": the Folder tab's column ...
UNLIKE_MARK = "Unlike"  # ... and its cell for such a picture (empty otherwise, and without the hint)


def unlike_line(unlike_training: bool | None) -> str:
    """:data:`UNLIKE` for a picture that looks unlike the training pictures, else "" (also without the hint)."""
    return UNLIKE if unlike_training else ""


CANNOT_TELL = f"CNN Studio cannot tell whether this picture looks {UNLIKE_LONG}"
ONLY_ITS_CLASSES = "Whatever the picture shows, the model answers with one of the classes it knows."


def unknown_line(unlike_training: bool | None, no_hint: str) -> str:
    """For a picture of a model without the hint (``unlike_training`` None; ``no_hint``: why, the loader's sentence,
    e.g. :data:`~cnnstudio.engine.use.novelty_words.NO_VALIDATION`): "CNN Studio cannot tell whether this picture
    looks unlike the training pictures: the run has fewer than 19 validation pictures to measure it on." and that its
    answer is always one of its classes; "" when the hint was worked out (or no reason is known)."""
    if unlike_training is not None or not no_hint:
        return ""
    reason = no_hint.removeprefix(NO_HINT).removeprefix(": ")
    return f"{CANNOT_TELL}{': ' + reason if reason else ''}. {ONLY_ITS_CLASSES}"


GUESSING = "but the model may be guessing"  # after the percent of an answer it may be guessing (may_be_guessing)


def sure_words(confidence: float, probabilities: dict[str, float], unlike_training: bool | None = None) -> str:
    """How the headline says the answer's confidence: "96.0% sure", or "96.0%, but the model may be guessing" when it
    may be (:func:`~cnnstudio.engine.use.unsure.may_be_guessing`: an unsure answer, or a picture unlike the training
    pictures, whose line under the headline says why); "96.0%" alone, never "sure", when nobody can tell whether the
    picture is like the training pictures (``unlike_training`` None: a model without the hint, :func:`unknown_line`)."""
    figure = probability_percent(confidence)
    if may_be_guessing(probabilities, unlike_training):
        return f"{figure}, {GUESSING}"
    return f"{figure} sure" if unlike_training is False else figure

"""What the Predict page says when the model is unsure, or the picture looks unlike the training pictures (Qt-free:
words, tested without a window).

The rule itself, top class under 50 % or the next class within 10 points, is the engine's
(:mod:`cnnstudio.engine.use.unsure`), so the folder CSV and ``cnnstudio predict`` flag the same answers. An unsure
answer gets one more line under the headline (:data:`UNSURE`) and a mark in the Folder tab (:data:`UNSURE_MARK`).

A picture that looks unlike the pictures the model learned from (:attr:`~cnnstudio.engine.use.predict.Prediction.\
unlike_training`, measured on what the model sees: :mod:`cnnstudio.engine.use.novelty`) gets its own line, a separate
hint (:data:`UNLIKE`, with :data:`UNLIKE_TIP`), a mark on its row in the picture list (:data:`UNLIKE_ROW`) and in the
Folder tab's column (:data:`UNLIKE_MARK`). A model without the hint (too few validation pictures) says nothing.
"""

from __future__ import annotations

from ...engine.use.novelty_words import HINT, HINT_TIP, UNLIKE_SHORT
from ...engine.use.figures import percent
from ...engine.use.unsure import CLOSE, RULE_WORDS, UNSURE_BELOW, is_unsure, may_be_guessing

__all__ = ["CLOSE", "UNLIKE", "UNLIKE_COLUMN", "UNLIKE_MARK", "UNLIKE_ROW", "UNLIKE_TIP", "UNSURE", "UNSURE_BELOW",
           "UNSURE_COLUMN_TIP", "UNSURE_MARK", "UNSURE_TIP", "GUESSING", "is_unsure", "may_be_guessing", "sure_words",
           "unlike_line", "unsure_line"]

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


GUESSING = "but the model may be guessing"  # after the percent of an answer it may be guessing (may_be_guessing)


def sure_words(confidence: float, probabilities: dict[str, float], unlike_training: bool | None = None) -> str:
    """How the headline says the answer's confidence: "96.0% sure", or "96.0%, but the model may be guessing" when it
    may be (:func:`~cnnstudio.engine.use.unsure.may_be_guessing`: an unsure answer, or a picture unlike the training
    pictures, whose line under the headline says why)."""
    figure = percent(confidence)
    return f"{figure}, {GUESSING}" if may_be_guessing(probabilities, unlike_training) else f"{figure} sure"

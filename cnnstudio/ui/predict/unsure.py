"""What the Predict page says when the model is unsure (Qt-free: words, tested without a window).

The rule itself, top class under 50 % or the next class within 10 points, is the engine's
(:mod:`cnnstudio.engine.use.unsure`), so the folder CSV and ``cnnstudio predict`` flag the same answers. An unsure
answer gets one more line under the headline (:data:`UNSURE`) and a mark in the Folder tab (:data:`UNSURE_MARK`).
"""

from __future__ import annotations

from ...engine.use.unsure import CLOSE, RULE_WORDS, UNSURE_BELOW, is_unsure

__all__ = ["CLOSE", "UNSURE", "UNSURE_BELOW", "UNSURE_COLUMN_TIP", "UNSURE_MARK", "UNSURE_TIP", "is_unsure",
           "unsure_line"]

UNSURE = "The model is unsure: it may never have seen a picture like this."
UNSURE_MARK = "Unsure"  # the Folder tab's cell for an unsure answer (empty for a sure one), with UNSURE_TIP


def unsure_line(probabilities: dict[str, float]) -> str:
    """:data:`UNSURE` for an unsure answer, else ""."""
    return UNSURE if is_unsure(probabilities) else ""


UNSURE_TIP = f"Said when {RULE_WORDS}."
UNSURE_COLUMN_TIP = f"Marked when {RULE_WORDS}: the picture may be unlike any the model learned from."

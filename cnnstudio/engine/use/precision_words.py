"""How a class's precision is written for people (stdlib only), in the Evaluate page's per-class table and by
``cnnstudio evaluate``: a percentage (:func:`~.figures.percent`), or, for a class the model never answered (no picture
was predicted as it: 0 of 0), a dash, with why (:data:`NEVER_ANSWERED_TIP` in the window, :data:`NEVER_ANSWERED_LINE`
under the command's table). "0%" read as if every answer of that class had been wrong, when there was none (QA)."""

from __future__ import annotations

from .figures import percent

NO_PRECISION = "–"
NEVER_ANSWERED = "the model never answered this class, so there is nothing to be precise about"
NEVER_ANSWERED_TIP = NEVER_ANSWERED[0].upper() + NEVER_ANSWERED[1:] + "."  # the per-class table's tooltip
NEVER_ANSWERED_LINE = f"precision {NO_PRECISION}: {NEVER_ANSWERED}."  # under cnnstudio evaluate's table


def never_answered(ev: dict, name: str) -> bool:
    """Whether no picture of an evaluation (``classes``, ``confusion_matrix[true][predicted]``) was predicted as the
    class ``name``."""
    column = ev["classes"].index(name)
    return sum(row[column] for row in ev["confusion_matrix"]) == 0


def precision_text(ev: dict, name: str) -> str:
    """The precision of the class ``name`` in an evaluation (its ``per_class``): "75.0%", or :data:`NO_PRECISION`
    when the model never answered it (:func:`never_answered`)."""
    return NO_PRECISION if never_answered(ev, name) else percent(ev["per_class"][name]["precision"])


__all__ = ["NEVER_ANSWERED", "NEVER_ANSWERED_LINE", "NEVER_ANSWERED_TIP", "NO_PRECISION", "never_answered",
           "precision_text"]

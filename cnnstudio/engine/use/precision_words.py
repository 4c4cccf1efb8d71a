"""How a class's precision is written for people (stdlib only), in the Evaluate page's per-class table and by
``cnnstudio evaluate``: a percentage (:func:`~.figures.percent`), or, for a class the model never answered (no picture
was predicted as it: 0 of 0), a dash, with why (:data:`NEVER_ANSWERED_TIP` in the window, :data:`NEVER_ANSWERED_LINE`
under the command's table). "0%" read as if every answer of that class had been wrong, when there was none (QA).

The average precision of the classes (the per-class table's Average row, in the window, the command and the report) is
:func:`precision_average`: over the classes with pictures whose precision is defined, a "–" left out rather than
counted as 0 (QA: (57.1% + 0 + 36.4%) / 3 = 31.2% beside a "–"); :func:`average_words` says over how many classes
when some were left out. ``compute_metrics`` keeps the same figure as the evaluation's ``macro`` precision."""

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


def precision_average(ev: dict) -> tuple[float | None, int, int]:
    """The average precision of an evaluation's classes (``classes``, ``per_class``, ``confusion_matrix``), each class
    counting the same: over the classes with pictures (``support``) that the model answered (a precision defined;
    :func:`never_answered`'s "–" is left out, not counted as 0). Returns (average, None when no class has one; how
    many classes it is over; how many classes have pictures). Without the matrix every class counts as answered."""
    values, with_pictures = [], 0
    for name in ev.get("classes") or []:
        m = (ev.get("per_class") or {}).get(name) or {}
        if not m.get("support"):
            continue
        with_pictures += 1
        try:
            unanswered = never_answered(ev, name)
        except (KeyError, ValueError, IndexError, TypeError):
            unanswered = False
        if not unanswered:
            values.append(float(m.get("precision", 0.0)))
    return (sum(values) / len(values) if values else None), len(values), with_pictures


def average_precision_text(ev: dict) -> str:
    """:func:`precision_average` written: "46.8%", or :data:`NO_PRECISION` when no class has a precision."""
    average, _over, _of = precision_average(ev)
    return NO_PRECISION if average is None else percent(average)


def average_words(ev: dict) -> str:
    """Over which classes the average precision is, when a class's "–" was left out of it: "The average precision
    is over the 2 classes it is defined for: a class the model never answered has no precision to count." ("" when
    every class with pictures counts.)"""
    _average, over, of = precision_average(ev)
    if over == of:
        return ""
    if not over:
        return "The average precision is “–”: the model answered none of the classes that have pictures."
    classes = "class" if over == 1 else f"{over} classes"
    return (f"The average precision is over the {classes} it is defined for: a class the model never answered has no "
            "precision to count.")


__all__ = ["NEVER_ANSWERED", "NEVER_ANSWERED_LINE", "NEVER_ANSWERED_TIP", "NO_PRECISION", "average_precision_text",
           "average_words", "never_answered", "precision_average", "precision_text"]

"""The words of the Predict page's picture list, without Qt: a row ("cat  97.1 %" over the file's name; "cat  66.0 %
  · unlike training" for a picture unlike the training pictures), a row whose
picture was added to the dataset ("cat  97.1 %  ✓ added as dog"), and what Cancel leaves ("Predicted 120 of 300
pictures before you cancelled.")."""

from __future__ import annotations

from pathlib import Path

from ...engine.use.figures import probability_percent
from ...project.counting import counted
from .unsure import UNLIKE_ROW


def row_text(label: str, confidence: float, path: str | None, unlike: bool | None = None) -> str:
    """A list row: the model's answer and how sure it is ("· unlike training" after it for a picture that looks
    unlike the training pictures: :mod:`.unsure`), then the file's name on a line of its own."""
    mark = f"  · {UNLIKE_ROW}" if unlike else ""
    return f"{label}  {probability_percent(confidence)}{mark}\n{Path(path).name if path else ''}"


def added_text(text: str, class_name: str) -> str:
    """A row's ``text`` once its picture was added to the dataset as ``class_name``."""
    lines = text.split("\n")
    return lines[0] + f"  ✓ added as {class_name}\n" + lines[-1]


def cancelled_words(done: int, total: int) -> str:
    return f"Predicted {done:,} of {counted(total, 'picture')} before you cancelled."

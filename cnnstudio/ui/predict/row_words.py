"""The words of the Predict page's picture list, without Qt: a row ("cat  97.1 %" over the file's name), a row whose
picture was added to the dataset ("cat  97.1 %  ✓ added as dog"), and what Cancel leaves ("Predicted 120 of 300
pictures before you cancelled.")."""

from __future__ import annotations

from pathlib import Path

from ...engine.use.figures import percent
from ...project.counting import counted


def row_text(label: str, confidence: float, path: str | None) -> str:
    """A list row: the model's answer and how sure it is, then the file's name on a line of its own."""
    return f"{label}  {percent(confidence)}\n{Path(path).name if path else ''}"


def added_text(text: str, class_name: str) -> str:
    """A row's ``text`` once its picture was added to the dataset as ``class_name``."""
    lines = text.split("\n")
    return lines[0] + f"  ✓ added as {class_name}\n" + lines[-1]


def cancelled_words(done: int, total: int) -> str:
    return f"Predicted {done:,} of {counted(total, 'picture')} before you cancelled."

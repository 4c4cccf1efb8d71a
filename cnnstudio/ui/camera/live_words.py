"""The Predict step's "Camera" tab in words, and why its "Add this frame" cannot add now (Qt-free: the rules and
their sentences, tested without a window; :mod:`.live_predict` shows them).

The figures line counts with :func:`~cnnstudio.project.counting.counted` (the one rule of a count and its noun):
"Live picture: 22 frames a second. 5 predictions shown; 1 frame skipped while the model was busy."

The probability chart shows a bar per class while their names fit its height, one above the other
(:data:`BAR_ROW` pixels each); else the most probable classes and one bar for the rest (:func:`shown_bars`).
"""

from __future__ import annotations

from ...project.counting import counted
from ..predict.add_choice import CHOOSE_FIRST
from ..sentence import sentence

SKIPPED_TIP = ("Skipped: frames that came while the model was still busy with an earlier one. They are shown in the "
               "live picture but not predicted, so the answer on the picture is always about a recent frame.")
START_FIRST = "Start the camera first."
WAIT_FOR_FRAME = "Wait for the first picture from the camera."
ADD_TIP = ("Copy the frame on display into the project with the chosen class, to train on it next time (stored the "
           "right way round, even when the preview is mirrored).")
BAR_ROW = 16  # pixels a class's bar and its name need, so that the names do not run into each other
AXIS_ROOM = 30  # pixels of the chart under its bars: the probability axis and its words
ADD_DOING = "add frames to the dataset"  # what a read-only project cannot do (read_only_words)
NO_PREDICTIONS = "The live picture is shown without predictions."


def figures_line(per_second: float, shown: int, skipped: int) -> str:
    """The live figures: frames a second on display, predictions shown, frames the model skipped."""
    return (f"Live picture: {counted(round(per_second), 'frame')} a second. {counted(shown, 'prediction')} shown; "
            f"{counted(skipped, 'frame')} skipped while the model was busy.")


def figures_tip(line: str) -> str:
    """The figures line's tooltip: the whole line (it may end in "…" on a small screen), then what "skipped" means."""
    return f"{line}\n{SKIPPED_TIP}" if line else ""


def add_blocker(read_only: str, running: bool, has_frame: bool, class_chosen: bool) -> str:
    """Why "Add this frame" cannot add now, as a sentence ("" when it can). ``read_only``: the project's sentence
    when it is open for viewing only (:func:`~cnnstudio.ui.read_only_words.read_only_note`), said first: nothing
    else can be fixed there."""
    if read_only:
        return read_only
    if not running:
        return START_FIRST
    if not has_frame:
        return WAIT_FOR_FRAME
    if not class_chosen:
        return sentence(CHOOSE_FIRST)
    return ""


def no_model(error: object) -> str:
    """The panel's line when no model can be loaded: the engine's reason as a sentence, then what still works."""
    return f"{sentence(str(error))} {NO_PREDICTIONS}".strip()


def prediction_failed(error: object) -> str:
    """The panel's line when the model fails on a frame (live prediction stops; the preview goes on)."""
    return sentence(f"the model stopped predicting the live picture: {error}")


def bar_rows(height: int) -> int:
    """How many bars a chart ``height`` pixels high shows with their names apart (at least 3)."""
    return max(3, (height - AXIS_ROOM) // BAR_ROW)


def shown_bars(probabilities: dict[str, float], rows: int) -> list[tuple[str, float]]:
    """The chart's bars, from the bottom up: every class in its order when ``rows`` hold them all; else the most
    probable ``rows - 1`` (the most probable on top) over one bar for the rest, summed ("7 others")."""
    pairs = list(probabilities.items())
    if len(pairs) <= rows:
        return pairs
    ranked = sorted(pairs, key=lambda p: -p[1])
    top, rest = ranked[:rows - 1], ranked[rows - 1:]
    return [(counted(len(rest), "other"), sum(p for _, p in rest)), *reversed(top)]

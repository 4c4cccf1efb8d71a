"""The Predict step's "Camera" tab in words (Qt-free: tested without a window; :mod:`.live_predict` shows them).

The figures line counts with :func:`~cnnstudio.project.counting.counted` (the one rule of a count and its noun):
"Live picture: 22 frames a second. 5 predictions shown; 1 frame skipped while the model was busy."
"""

from __future__ import annotations

from ...project.counting import counted

SKIPPED_TIP = ("Skipped: frames that came while the model was still busy with an earlier one. They are shown in the "
               "live picture but not predicted, so the answer on the picture is always about a recent frame.")


def figures_line(per_second: float, shown: int, skipped: int) -> str:
    """The live figures: frames a second on display, predictions shown, frames the model skipped."""
    return (f"Live picture: {counted(round(per_second), 'frame')} a second. {counted(shown, 'prediction')} shown; "
            f"{counted(skipped, 'frame')} skipped while the model was busy.")


def figures_tip(line: str) -> str:
    """The figures line's tooltip: the whole line (it may end in "…" on a small screen), then what "skipped" means."""
    return f"{line}\n{SKIPPED_TIP}" if line else ""


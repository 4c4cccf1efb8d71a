"""Which class the Predict page's "Add to the dataset as" starts at (Qt-free: a rule and its words, tested without
a window).

The model's answer is filled in only when the model is at least 90 % sure of it; otherwise the choice starts empty
("Choose a class…") and "Add to dataset" waits for the user. So one click never adds a picture under an uncertain
guess: a picture of an 8 the model calls "3" at 30.8 % is exactly the one worth adding, and exactly the one whose
guess is wrong. A picture that looks unlike the training pictures is never filled in either, however sure the model
says it is (noise called "8" at 96 %): :func:`~cnnstudio.engine.use.unsure.may_be_guessing`; nor is a picture nobody
can tell that of (a model without the "unlike the training pictures" hint: a blue rectangle was preset to "cherries").
"""

from __future__ import annotations

import math

from ...engine.use.figures import percent
from ...engine.use.unsure import may_be_guessing

SURE_ENOUGH = 0.9  # the model's answer is filled in from this confidence on
PLACEHOLDER = "Choose a class…"
CHOICE_TIP = (f"The class the picture really shows (the model's answer is filled in only when it is at least "
              f"{percent(SURE_ENOUGH)} sure and the picture looks like the training pictures).")
CHOOSE_FIRST = "Choose the class the picture really shows first."


def preset_class(label: str, confidence: float, classes: list[str], unlike_training: bool | None = None) -> str:
    """The class "Add to the dataset as" starts at for a prediction of ``label`` at ``confidence``: ``label`` when
    the model is at least :data:`SURE_ENOUGH` sure, not guessing, the picture known to look like the training pictures
    (``unlike_training`` False; True: unlike them, None: a model without that hint cannot tell) and the project has
    that class; "" otherwise (the user chooses)."""
    if unlike_training is not False or not isinstance(confidence, (int, float)) or not math.isfinite(confidence):
        return ""
    if may_be_guessing({label: confidence}, unlike_training):
        return ""
    return label if confidence >= SURE_ENOUGH and label in classes else ""

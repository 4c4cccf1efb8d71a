""""How it works" on the Welcome page and in Help > Guide: the workflow's steps in a beginner's words. Qt-free.

The steps, their order and their numbers are the sidebar's (``workspace.STEPS``: 1 Data … 6 Predict, the same
numbers as Ctrl+1 … Ctrl+6); this module only adds what each step is for. A step without words here is a
KeyError the tests catch, so a step added to the sidebar cannot be left out of the guide.
"""

from __future__ import annotations

STEP_WORDS = {
    "data": "Drop pictures or folders onto the window (folder names can become class names). Select pictures "
            "and press a class's number key (the # column of the class list) to give them that class; Backspace "
            "clears, Ctrl+Z undoes.",
    "model": "Pick a ready-made network or build your own, layer by layer, with shapes checked as you go.",
    "train": "Watch loss and accuracy live. Pause, stop, resume; the best epoch is kept.",
    "tune": "Not sure which settings to choose? “Find better settings” lets the computer try many of them for "
            "you, a short training each, and keeps the best. Optional: Train works without it.",
    "evaluate": "See what the network gets wrong: confusion matrix and the misclassified pictures.",
    "predict": "Drop new pictures to classify them, or export the model.",
}


def how_it_works(steps) -> list[tuple[str, str]]:
    """``(title, words)`` per step of ``steps`` (the sidebar's ``(name, tip)`` pairs, in order): the title is the
    sidebar's, "1  Data", and the words say what the step is for."""
    return [(f"{i}  {name}", STEP_WORDS[name.lower()]) for i, (name, _tip) in enumerate(steps, 1)]

""""How it works" on the Welcome page and in Help > Guide: the workflow's steps in a beginner's words. Qt-free.

The steps, their order and their numbers are the sidebar's (``workspace.STEPS``: 1 Data … 6 Predict, the same
numbers as Ctrl+1 … Ctrl+6); this module only adds what each step is for. A step without words here is a
KeyError the tests catch, so a step added to the sidebar cannot be left out of the guide.

"Your first model in 5 steps" (:data:`FIRST_MODEL`) comes above it in Help > Guide: one walk from the pictures to a
prediction, naming the buttons a beginner presses, in the order they press them.
"""

from __future__ import annotations

#: Help > Guide's walkthrough: (title, words) per step, the buttons named as the pages name them
FIRST_MODEL = [
    ("Bring in your pictures",
     "On the Data page, drop a folder of pictures onto the window, one folder inside it per class: the folder "
     "names become the class names. Pictures without a class can be labelled with the number keys."),
    ("Check your data",
     "Still on the Data page, press “Split” on the Split & health tab to set some pictures aside for validation "
     "and test. Then press “Check data” on its tab and look at what it finds, such as copies or labels that may "
     "be wrong."),
    ("Train",
     "On the Train page, press “Start”: the recommended design and settings suit a first model. Watch the "
     "accuracy climb; the best epoch is kept."),
    ("Read what it means",
     "When training ends, read “What this means” on the Train page: it says how good the model is and what to "
     "try next. The Evaluate page shows which pictures it gets wrong."),
    ("Predict",
     "On the Predict page, press “Open pictures…” and choose pictures the model has never seen: it names their "
     "class and how sure it is. From there you can also export the model."),
]

STEP_WORDS = {
    "data": "Drop pictures or folders onto the window (folder names can become class names). Select pictures "
            "and press a class's number key (the # column of the class list) to give them that class; Backspace "
            "clears, Ctrl+Z undoes.",
    "model": "Pick a ready-made network or build your own, layer by layer, with shapes checked as you go.",
    "train": "Press Start, then watch loss and accuracy live. Pause, stop, resume; the best epoch is kept.",
    "tune": "Not sure which settings to choose? “Find better settings” lets the computer try many of them for "
            "you, a short training each, and keeps the best. Optional: Train works without it.",
    "evaluate": "See what the network gets wrong: confusion matrix and the misclassified pictures.",
    "predict": "Drop new pictures to classify them, or export the model.",
}


def how_it_works(steps) -> list[tuple[str, str]]:
    """``(title, words)`` per step of ``steps`` (the sidebar's ``(name, tip)`` pairs, in order): the title is the
    sidebar's, "1  Data", and the words say what the step is for."""
    return [(f"{i}  {name}", STEP_WORDS[name.lower()]) for i, (name, _tip) in enumerate(steps, 1)]

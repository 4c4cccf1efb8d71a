"""Why the Tune page's search cannot start, in words that point at the page where it is fixed. Qt-free.

The Train page's rule first (:func:`~cnnstudio.ui.train.start_blocker.start_blocker`: pictures, labels, at
least two classes, the data, then the design — one rule in one place: an empty project is told to import and
label pictures on the Data page, not to "fix" a design with 0 classes), then what a search alone needs: a
validation score to compare trials by, and the Train page free (one thing trains at a time).
"""

from __future__ import annotations

from ..train.start_blocker import Blocker, start_blocker

NO_VALIDATION = ("A search compares its trials by their validation accuracy, and validation is switched off on "
                 "the Train page (\"No validation\"). Switch it back on there.")
TRAINING = "A model is being trained on the Train page. Wait for it to end, or stop it there first."


def search_blocker(counts: dict, data_error: str | None = None, design_error: str | None = None,
                   validation: bool = True, training: bool = False, weights: str = "",
                   read_only: str = "") -> Blocker | None:
    """Why no search can start, or None when one can.

    ``counts``, ``data_error``, ``design_error``, ``weights``, ``read_only``: as :func:`start_blocker` reads them;
    ``validation``: the Train page's settings keep validation on; ``training``: a run is training on the Train page.
    """
    blocker = start_blocker(counts, data_error, design_error, weights=weights, read_only=read_only)
    if blocker is not None:
        return blocker
    if not validation:
        return Blocker(NO_VALIDATION, "train")
    if training:
        return Blocker(TRAINING, "train")
    return None

"""Why the Tune page's search cannot start, in words that point at the page where it is fixed. Qt-free.

The Train page's rule first (:func:`~cnnstudio.ui.train.start_blocker.start_blocker`: pictures, labels, at
least two classes, the data, then the design — one rule in one place: an empty project is told to import and
label pictures on the Data page, not to "fix" a design with 0 classes), then what a search alone needs: a
validation score to compare trials by (validation on, and pictures enough to keep some aside for it: the engine's
rule, :func:`cnnstudio.engine.tune.validation_pictures.too_few_for_validation`), and the Train page free (one thing
trains at a time).

And whether a search's last run on every training picture can happen (:func:`final_run_applies`): only when the
trials keep training pictures aside to be judged on, that is when the project has no validation pictures (the
engine's count of them, :mod:`cnnstudio.engine.data.planned_pictures`).
"""

from __future__ import annotations

from ...engine.data.planned_pictures import planned_pictures
from ...engine.tune.validation_pictures import too_few_for_validation
from ..train.start_blocker import Blocker, start_blocker

NO_VALIDATION = ("A search compares its trials by their validation accuracy, and validation is switched off on "
                 "the Train page (\"No validation\"). Switch it back on there.")
TRAINING = "A model is being trained on the Train page. Wait for it to end, or stop it there first."
ADD_PICTURES = "Add pictures on the Data page."  # the page's next step after the engine's too-few sentence


def search_blocker(counts: dict, data_error: str | None = None, design_error: str | None = None,
                   validation: bool = True, training: bool = False, weights: str = "",
                   read_only: str = "", frozen: str = "") -> Blocker | None:
    """Why no search can start, or None when one can.

    ``counts``, ``data_error``, ``design_error``, ``weights``, ``read_only``: as :func:`start_blocker` reads them;
    ``validation``: the Train page's settings keep validation on; ``training``: a run is training on the Train page;
    ``frozen``: why the Model page's frozen design leaves nothing to search
    (:func:`cnnstudio.engine.tune.space.frozen_refusal`), fixed on the Model page.
    """
    blocker = start_blocker(counts, data_error, design_error, weights=weights, read_only=read_only)
    if blocker is not None:
        return blocker
    if frozen:
        return Blocker(frozen, "model")
    if not validation:
        return Blocker(NO_VALIDATION, "train")
    too_few = too_few_for_validation(counts)  # every trial would fail "no validation pictures"
    if too_few:
        return Blocker(f"{too_few} {ADD_PICTURES}", "data")
    if training:
        return Blocker(TRAINING, "train")
    return None


def final_run_applies(counts: dict) -> bool:
    """Whether a search's trials hold training pictures out (then its best settings are trained once more on all of
    them): a run of the project, split first the way a search splits it when nothing is split yet, would hold some
    of its training pictures out for validation — the one rule,
    :func:`cnnstudio.engine.data.planned_pictures.planned_pictures`. ``counts`` as ``Project.counts``."""
    return planned_pictures(counts).held_out > 0

"""A run's "unlike the training pictures" hint, given to its Predictor: the run's own pictures (its dataset.json:
training and validation, a held-out one as validation) and its folder for the kept result
(:func:`cnnstudio.engine.use.novelty.load_or_fit`). The Predict page's loading thread and ``cnnstudio predict`` call
it the first time a run is used to predict."""

from __future__ import annotations

import threading

from ...project import run_records
from ...project.store import Project
from ..use.novelty import ProgressFn, load_or_fit


def attach_novelty(predictor, project: Project, run_id: str, progress: ProgressFn | None = None,
                   stop: threading.Event | None = None) -> str:
    """Give ``predictor`` (run ``run_id``'s model) its novelty rule; returns "" or why there is no such hint for this
    run (then ``predictor.novelty`` is None)."""
    from .lifecycle import read_dataset

    _names, entries = read_dataset(project, run_id)
    predictor.novelty, why = load_or_fit(predictor, project.root, run_records.run_dir(project, run_id), entries,
                                         progress, stop)
    return why

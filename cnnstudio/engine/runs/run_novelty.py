"""A run's "unlike the training pictures" hint, given to its Predictor: the run's own pictures (its dataset.json:
training and validation, a held-out one as validation) and its folder for the kept result
(:func:`cnnstudio.engine.use.novelty.load_or_fit`). The Predict page's loading thread and ``cnnstudio predict`` call
it the first time a run is used to predict.

A run whose pretrained backbone stayed frozen (:func:`~cnnstudio.engine.runs.frozen_run.uses_frozen_path`, no
fine-tuning, a head of one fully connected layer behind dropout) has its output layer's inputs already: the backbone's
features the run computed once and kept (:mod:`cnnstudio.engine.use.features`), so they are read, not computed again
(MobileNetV2 on the 1,528 training and validation sample digits at 224 px: 318 s through the model on this project's
loaded 2-core build machine). Without its weights file on this computer the model computes them."""

from __future__ import annotations

import threading
from typing import Sequence

import torch

from ...project import run_records
from ...project.store import Project
from ..data.entries import Entry
from ..data.prepare import drive
from ..errors import WeightsNotFound
from ..use.novelty import FeaturesFn, ProgressFn, load_or_fit, model_features

MESSAGE = "reading the backbone's features of the training pictures"


def attach_novelty(predictor, project: Project, run_id: str, progress: ProgressFn | None = None,
                   stop: threading.Event | None = None) -> str:
    """Give ``predictor`` (run ``run_id``'s model) its novelty rule; returns "" or why there is no such hint for this
    run (then ``predictor.novelty`` is None)."""
    from .lifecycle import read_dataset

    _names, entries = read_dataset(project, run_id)
    predictor.novelty, why = load_or_fit(predictor, project.root, run_records.run_dir(project, run_id), entries,
                                         progress, stop, frozen_features(predictor, project, run_id, progress, stop))
    return why


def frozen_features(predictor, project: Project, run_id: str, progress: ProgressFn | None = None,
                    stop: threading.Event | None = None) -> FeaturesFn | None:
    """For a run whose backbone stayed frozen and whose output layer takes its features as they are: the kept
    features of its pictures (computed and kept when they are not there); None for any other run."""
    from ..train.head_fit import linear_layer
    from ..use.features import iter_features
    from .frozen_run import uses_frozen_path
    from .lifecycle import read_config

    spec, model = predictor.bundle.spec, predictor.model
    layers = getattr(model, "layers", None)
    if not uses_frozen_path(spec, predictor.preprocess) or layers is None or linear_layer(layers) is None:
        return None
    if read_config(project, run_id)[1].fine_tune_epochs:  # the backbone may have changed: its own features
        return None
    by_model = model_features(predictor, project.root, progress, stop)

    def features(entries: Sequence[Entry]) -> torch.Tensor:
        pictures = [(e.sha256, e.file) for e in entries]
        try:
            got = drive(iter_features(project.root, pictures, backbone=spec.backbone.name,
                                      preprocess=predictor.preprocess, weights_file=spec.backbone.weights_file,
                                      stop=stop, device=predictor.device, message=MESSAGE,
                                      cancelled="comparing with the training pictures was stopped"), progress)
        except WeightsNotFound:
            return by_model(entries)
        read = [i for i in range(len(pictures)) if i not in got.unreadable]
        return got.vectors[read].float()

    return features

"""The learning-rate finder on a project: what ``cnnstudio lr-find`` and the Train page's "Find" button run.

:func:`find_lr` resolves the settings and the design exactly as a new run would (:func:`~.lifecycle.plan_run`:
the default recipe sized for the project's pictures when no settings are given, a preset or a spec, the same
checks, the same pictures held out for validation when the project has no validation split), prepares the
run's *training* pictures only (:func:`~cnnstudio.engine.data.prepare.iter_prepare`: the tensor cache is
used and filled, so the run after it decodes nothing; validation and test pictures are never read), builds
the model as the run would (same seed, so the same first weights) and runs the range test of
:mod:`cnnstudio.engine.train.lr_range` on it.

Nothing is written to the project's runs or database; only the tensor cache (``cache/``, safe to delete) may
grow. Not done: a finder for a run being resumed, or for a packed job.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from typing import Any, Callable

import torch

from ...project.store import Project
from ..data.prepare import drive, iter_prepare
from ..device import pick_device
from ..model.build import build_from_json
from ..train.lr_range import END_LR, START_LR, STEPS, LrRangeResult, lr_range_test
from ..train.settings import TrainSettings, default_settings
from .lifecycle import Builder, plan_run

Progress = Callable[[int, int, str], None]


def find_lr(project: Project, settings: TrainSettings | None = None, spec: Any = None, preset: str | None = None,
            stop: threading.Event | None = None, progress: Progress | None = None, *,
            builder: Builder | None = None, start_lr: float = START_LR, end_lr: float = END_LR,
            steps: int = STEPS, on_point: Callable[[float, float], None] | None = None) -> LrRangeResult:
    """The range test for the run ``create_run(project, settings, spec, preset=preset)`` would make.

    ``progress(done, total, message)``: first while the pictures are prepared (total = pictures), then once a
    step (total = ``steps``); ``on_point(lr, smoothed_loss)`` with each point of the curve as it is measured.
    ``stop`` cancels either part (:class:`~cnnstudio.engine.errors.Cancelled`).
    Bad input raises as :func:`~.lifecycle.plan_run` does (``RunError``, ``SpecError``, ``DataError``...).
    The result's ``seconds`` counts everything from this call on.
    """
    t0 = time.perf_counter()
    stop = stop or threading.Event()
    seed = (settings or default_settings()).seed
    made: dict[str, Any] = {}
    build = builder or build_from_json

    def build_once(spec_json: dict, num_classes: int):
        """plan_run builds the design to check it: keep that model (seeded as a run seeds it) for the test."""
        if "model" not in made:
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(seed)
                made["model"] = build(spec_json, num_classes)
        return made["model"]

    plan = plan_run(project, settings, spec, preset=preset, builder=build_once)
    run_settings = plan.settings
    pick_device(run_settings.device)  # a device this computer lacks: said before any picture is decoded
    train_entries = [e for e in plan.entries if e.split == "train"]
    data = drive(iter_prepare(project, run_settings.preprocess, stop=stop, class_names=plan.class_names,
                              entries=train_entries, threads=run_settings.threads), progress)
    _spec, model = made["model"]
    result = lr_range_test(model, data, run_settings, start_lr=start_lr, end_lr=end_lr, steps=steps, stop=stop,
                           progress=progress, on_point=on_point)
    return replace(result, seconds=time.perf_counter() - t0)


__all__ = ["find_lr"]

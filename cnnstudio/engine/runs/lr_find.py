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

Also the finder's one rule and one wording for the window ("Find") and ``cnnstudio lr-find``:

- :func:`finder_refusal`: a design whose run uses no learning rate (a frozen pretrained backbone with the presets'
  one-layer head, fitted exactly: :func:`~cnnstudio.engine.train.head_fit.head_words`) has no rate to find, and one
  that uses it only to fine-tune the whole network after that head (``fine_tune_epochs``) has none the test can
  measure (it would try rates on the frozen head): one sentence, said instead of running the test (Find off with it
  as its tooltip; the CLI exits with it);
- :func:`taken_rate` and :func:`rate_words`: a rate as it is taken and said, two significant figures in plain
  decimals no finer than the Train page's field shows (:data:`RATE_DECIMALS`): "0.0059", never "5.9e-03";
- :func:`suggestion_words`: "Suggested learning rate: 0.0059 (a safer, slower choice: 0.00035)." — the safer rate
  (:func:`safer_rate`, the valley's, lower, when the schedule's rule took the valley's bottom) offered in both.
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
from .frozen_run import has_linear_head, uses_frozen_path
from .lifecycle import Builder, plan_run
from .run_create import RunError, check_input
from .run_naming import describe_design

RATE_DECIMALS = 5  # the Train page's learning-rate field shows five decimals: a rate taken is no finer

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
    refusal = finder_refusal(plan.spec_json, run_settings)
    if refusal:
        raise RunError(refusal)
    pick_device(run_settings.device)  # a device this computer lacks: said before any picture is decoded
    train_entries = [e for e in plan.entries if e.split == "train"]
    data = drive(iter_prepare(project, run_settings.preprocess, stop=stop, class_names=plan.class_names,
                              entries=train_entries, threads=run_settings.threads), progress)
    _spec, model = made["model"]
    result = lr_range_test(model, data, run_settings, start_lr=start_lr, end_lr=end_lr, steps=steps, stop=stop,
                           progress=progress, on_point=on_point)
    return replace(result, seconds=time.perf_counter() - t0)


def finder_refusal(spec: Any, settings: TrainSettings) -> str:
    """Why the finder has no rate to find for ``spec`` trained with ``settings``, in one sentence; "" when the run
    uses its learning rate as the test measures it. A frozen pretrained backbone with a one-layer head (the transfer
    presets') is fitted exactly, its Epochs and learning rate unused (:func:`~cnnstudio.engine.train.head_fit.
    head_words`). With ``fine_tune_epochs`` the whole network is fine-tuned afterwards at ``lr *
    fine_tune_lr_factor`` (:func:`~.frozen_run._fine_tune`), from the head fitted exactly: the test would try rates
    on the frozen network's last layer alone, from its first weights (QA: it suggested 0.07 for a fine-tuning that
    ran at 0.0003), so it is refused too, saying what the rate is used for."""
    from ..errors import EngineError
    from ..model.spec import ModelSpec, spec_to_json

    try:
        spec_json = spec_to_json(spec)
        model_spec = ModelSpec.from_json(spec_json)
    except (EngineError, TypeError, ValueError, KeyError):
        return ""  # a design that cannot be read: its own check says why
    pp = check_input(spec_json, settings.preprocess)
    if not uses_frozen_path(model_spec, pp) or not has_linear_head(model_spec):
        return ""
    if settings.fine_tune_epochs:
        return (f"“{describe_design(spec_json)}” uses its learning rate only to fine-tune the whole network (at "
                f"{settings.fine_tune_lr_factor:g} × it) after its last layer is fitted exactly, which the finder "
                f"cannot measure: lower the rate if the fine-tuning's training loss jumps up.")
    return (f"“{describe_design(spec_json)}” uses no learning rate, so there is none to find: its pretrained network "
            f"stays frozen and only its last layer is fitted, exactly.")


def taken_rate(lr: float) -> float:
    """``lr`` as the field takes it: two significant figures (0.0059, not 0.005923), no finer than
    :data:`RATE_DECIMALS` decimals and at least their smallest step (0.00001)."""
    step = 10.0 ** -RATE_DECIMALS
    return max(step, round(float(f"{lr:.2g}"), RATE_DECIMALS))


def rate_words(lr: float) -> str:
    """A rate as a beginner reads it and types it, in plain decimals, as the field shows it: "0.0059", "0.049",
    "0.00035", "3" (:func:`taken_rate`)."""
    return f"{taken_rate(lr):.{RATE_DECIMALS}f}".rstrip("0").rstrip(".")


def safer_rate(result: LrRangeResult) -> float | None:
    """The safer, slower rate offered beside the suggestion: the valley's (lower) rate when the schedule's rule took
    the bottom of the valley and it reads differently; None otherwise."""
    valley = result.valley_lr
    if result.rule != "valley bottom" or not valley or valley != valley:  # nan: none
        return None
    return valley if rate_words(valley) != rate_words(result.suggested_lr) else None


def suggestion_words(result: LrRangeResult) -> str:
    """ "Suggested learning rate: 0.07 (a safer, slower choice: 0.0014).": the window's and the CLI's sentence."""
    safer = safer_rate(result)
    other = f" (a safer, slower choice: {rate_words(safer)})" if safer is not None else ""
    return f"Suggested learning rate: {rate_words(result.suggested_lr)}{other}."


__all__ = ["RATE_DECIMALS", "find_lr", "finder_refusal", "rate_words", "safer_rate", "suggestion_words", "taken_rate"]

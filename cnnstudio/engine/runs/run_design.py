"""A run's design back: the layers (or backbone), the input and the augmentation a run trained with, read from its
own record, for the Model page's "Use this design" (the runs list) and ``cnnstudio runs --save-design``. Torch-free
but for :func:`run_design`, which checks the input settings against the engine's lists.

config.json holds what :func:`~cnnstudio.engine.runs.lifecycle.create_run` stored: ``spec`` (the ModelSpec as
JSON: the layers, the backbone and the input's size and colours), ``preprocess`` (how pictures were resized and
normalised) and ``settings.augment``. :func:`run_design` turns them into the Model page's own values: its five input
settings (:data:`~cnnstudio.engine.model.design.INPUT_KEYS`) and its augmentation; what an older record lacks is
left as the page has it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...project.run_records import run_settings
from ..errors import SpecError
from ..model.design import INPUT_KEYS

NO_DESIGN = "this run keeps no network design (its record has none), so there is nothing to put back on the Model page"


@dataclass(frozen=True)
class RunDesign:
    spec: object  # the run's ModelSpec
    input: dict  # the Model page's input settings: height, width, channels, resize, normalization
    augment: dict  # AugmentSettings.to_json()


def run_spec(cfg: dict):
    """The ModelSpec run ``cfg`` (its config.json) trained; SpecError with a sentence when it has none or an
    unreadable one."""
    from ..model.spec import ModelSpec

    spec = cfg.get("spec") if isinstance(cfg, dict) else None
    if not isinstance(spec, dict):
        raise SpecError(NO_DESIGN)
    return ModelSpec.from_json(spec)


def has_design(cfg: dict) -> bool:
    """Whether run ``cfg`` holds a design that can go back on the Model page (the runs list's "Use this
    design")."""
    try:
        run_spec(cfg)
    except SpecError:
        return False
    return True


def run_design(cfg: dict, current_input: dict, current_augment: dict) -> RunDesign:
    """What the Model page shows to use run ``cfg``'s design: its spec, the page's input settings with the run's
    size, colours, resizing and normalisation, and the run's augmentation (``current_*`` stand for what an older
    record lacks)."""
    spec = run_spec(cfg)
    settings = run_settings(cfg)
    pp = cfg.get("preprocess") if isinstance(cfg.get("preprocess"), dict) else settings.get("preprocess")
    pp = pp if isinstance(pp, dict) else {}
    values = {k: current_input[k] for k in INPUT_KEYS}
    values.update({k: pp[k] for k in ("resize", "normalization") if isinstance(pp.get(k), str)})
    values.update(height=spec.input.height, width=spec.input.width, channels=spec.input.channels)
    aug = settings.get("augment") if isinstance(settings.get("augment"), dict) else {}
    augment = {**current_augment, **{k: v for k, v in aug.items() if k in current_augment}}
    for k, v in augment.items():  # all checked before anything is shown: the page takes the design whole or not at all
        if not _same_kind(v, current_augment[k]):
            raise SpecError(f"this run's augmentation cannot be used: its {k.replace('_', ' ')} is {v!r}")
    from ..data.preprocess import NORMALIZATIONS, RESIZE_MODES  # (torch: the window has it already)

    for k, known in (("resize", RESIZE_MODES), ("normalization", NORMALIZATIONS)):
        if values[k] not in known:
            raise SpecError(f"this run's input settings cannot be used: its {k} is {values[k]!r}")
    return RunDesign(spec, values, augment)


def _same_kind(value, like) -> bool:
    """``value`` can stand where the page holds ``like``: true/false for a check box, a number for a number box."""
    if isinstance(like, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(like, bool)
    if isinstance(like, (int, float)):
        return isinstance(value, (int, float)) and value == value and abs(value) != float("inf")
    return type(value) is type(like)


def use_run_words(run_name: str) -> str:
    """The undo step: "Use the design of run “Small VGG · 10 epochs”"."""
    return f"Use the design of run “{run_name}”"


def design_used_sentence(run_name: str, changed: bool, undo_key: str = "Ctrl+Z") -> str:
    """What the Model page says when a run's design is put back (``changed``: it differed from the page's)."""
    if not changed:
        return f"The Model page already holds the design of run “{run_name}”."
    return f"The design of run “{run_name}” is on the Model page; {undo_key} brings back the one before."

"""A new run of a project: the preflight (:func:`plan_run`: the settings, the design and the data checked before
anything is written) and :func:`create_run` (config.json, dataset.json and the database row). What a run folder
holds is described in :mod:`.lifecycle`, which trains it."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

import torch

from ...project import run_records
from ...project.disk import disk_writes
from ...project.run_records import CONFIG, DATASET, run_dir
from ...project.store import Project
from ..data.entries import Entry, check_files, check_trainable, dataset_entries, fingerprint, hold_out_validation
from ..data.preprocess import Preprocess
from ..errors import EngineError
from ..model.build import build_from_json
from ..model.spec import spec_to_json
from ..train.settings import DEFAULT_PRESET, TrainSettings
from ..use.bundle import library_versions
from .run_naming import describe_design, new_run_name

Builder = Callable[[dict, int], "tuple[Any, torch.nn.Module]"]

class RunError(EngineError):
    """A run cannot be started, resumed or read."""


def resolve_spec(spec: Any, preset: str | None, pp: Preprocess) -> tuple[dict, str]:
    """The spec JSON to train (given, or a preset made for the input size) and the preset name."""
    if spec is not None:
        if preset:
            raise RunError("give a preset or a model spec, not both")
        return spec_to_json(spec), ""
    from ..model.presets import make_preset

    name = preset or DEFAULT_PRESET
    return make_preset(name, pp.height, pp.width, pp.channels).to_json(), name


def check_input(spec_json: dict, pp: Preprocess) -> Preprocess:
    """Make the preprocessing size match the spec's input size (the spec wins: it is the model)."""
    inp = spec_json.get("input") if isinstance(spec_json, dict) else None
    bb = spec_json.get("backbone") if isinstance(spec_json, dict) else None
    if isinstance(bb, dict) and bb.get("pretrained", True) and pp.normalization != "imagenet":
        pp = replace(pp, normalization="imagenet", mean=(0.0,), std=(1.0,))  # what the pretrained weights expect
    if isinstance(inp, dict) and all(k in inp for k in ("height", "width", "channels")):
        if (inp["height"], inp["width"], inp["channels"]) != (pp.height, pp.width, pp.channels):
            return replace(pp, height=inp["height"], width=inp["width"], channels=inp["channels"],
                           mean=pp.mean[:1], std=pp.std[:1])
    return pp


# ------------------------------------------------------------------ create
@dataclass(frozen=True)
class RunPlan:
    """What a new run of a project would train: checked by :func:`plan_run`."""
    settings: TrainSettings  # the preprocessing sized to the spec's input
    spec_json: dict
    preset: str  # "" for a spec given as such
    class_names: list[str]
    entries: list[Entry]  # as the run uses them: held-out pictures in "val"
    held_out: frozenset[int] = frozenset()  # training pictures held out for validation (no val split)

    def project_entries(self) -> list[Entry]:
        """The entries with the project's own splits (what the data fingerprint covers)."""
        return [replace(e, split="train") if e.id in self.held_out else e for e in self.entries]


def plan_run(project: Project, settings: TrainSettings | None = None, spec: Any = None, *,
             preset: str | None = None, builder: Builder | None = None) -> RunPlan:
    """The run preflight (:func:`create_run`, and packing a job): resolve the settings (default: the default
    recipe sized for the project's pictures) and the design, and check everything that would make
    training fail at once. Raises (``RunError``, ``SpecError``, ``DataError``...) before anything is
    written."""
    if settings is None:
        from .recipe import project_recipe  # here: recipe.py trains through lifecycle.py, which imports this module

        settings = project_recipe(project)
    spec_json, preset_name = resolve_spec(spec, preset, settings.preprocess)
    settings = settings.replace(preprocess=check_input(spec_json, settings.preprocess))
    class_names, entries = dataset_entries(project)
    held: frozenset[int] = frozenset()
    if settings.validation:  # validation off: no hold-out, the entries as they are
        entries, held = hold_out_validation(entries, settings.seed)
    check_trainable(class_names, entries)
    check_files(project.root, entries)  # before the run is made: no failed run left for a file deleted by hand
    (builder or build_from_json)(spec_json, len(class_names))  # the design must build for these classes
    return RunPlan(settings, spec_json, preset_name, class_names, entries, held)


def create_run(project: Project, settings: TrainSettings | None = None, spec: Any = None, *,
               preset: str | None = None, name: str = "", run_id: str | None = None,
               builder: Builder | None = None, design: str = "") -> str:
    """Check everything (:func:`plan_run`), write config.json + dataset.json and the database row; return
    the run id. ``design``: what the run's details say it trains, when not its spec's own words
    (:func:`~.run_naming.describe_design`): a search's trial and final run, whose design the search made.

    Raises (``RunError``, ``SpecError``, ``DataError``...) for anything that would make training fail at
    once, so a caller can report bad input before any event, and :class:`~cnnstudio.project.disk.DiskError` in
    one sentence when the disk says no (read-only, full, the project folder gone); nothing is left behind then.
    """
    made: list[Path] = []
    try:
        with disk_writes(project.root, "train"):
            return _create(project, settings, spec, preset, name, run_id, builder, made, design)
    except BaseException:
        for folder in made:  # a folder without its row would be a run nobody can see
            shutil.rmtree(folder, ignore_errors=True)
        raise


def _create(project: Project, settings, spec, preset, name: str, run_id, builder, made: list,
            design: str = "") -> str:
    plan = plan_run(project, settings, spec, preset=preset, builder=builder)
    settings, spec_json, preset_name = plan.settings, plan.spec_json, plan.preset
    class_names, entries = plan.class_names, plan.entries
    run_id = run_id or run_records.new_run_id()
    name = run_records.check_run_name(name) if name.strip() else ""  # refused before the folder is made
    folder = run_dir(project, run_id)
    if folder.exists() and any(folder.iterdir()):
        raise RunError(f"run folder {folder} already exists")
    if not folder.exists():
        made.append(folder)
    folder.mkdir(parents=True, exist_ok=True)
    config = {"settings": settings.to_json(), "spec": spec_json, "preset": preset_name,
              "design": design.strip() or describe_design(spec_json, preset_name),
              "preprocess": settings.preprocess.to_json(), "versions": library_versions(),
              "created_at": time.time()}
    name = name.strip() or new_run_name(project, settings, spec_json, preset_name)  # what it is (run_naming.py)
    fp = fingerprint(plan.project_entries())
    dataset = {"classes": class_names, "fingerprint": fp, "held_out_for_validation": len(plan.held_out), "images": [
        {"id": e.id, "sha256": e.sha256, "file": e.file, "label": e.label_name, "split": e.split}
        | ({"split": "train", "held_out": True} if e.id in plan.held_out else {}) for e in entries]}
    run_records.write_json_atomic(folder / CONFIG, config)
    run_records.write_json_atomic(folder / DATASET, dataset)
    summary = {"preset": preset_name, "classes": len(class_names),
               "images": {s: sum(1 for e in entries if e.split == s) for s in ("train", "val", "test")},
               "held_out_for_validation": len(plan.held_out)}
    run_records.add_run(project, run_id, name, status="created", config=config, summary=summary,
                        data_fingerprint=fp)
    return run_id


__all__ = ["Builder", "RunError", "RunPlan", "check_input", "create_run", "plan_run", "resolve_spec"]

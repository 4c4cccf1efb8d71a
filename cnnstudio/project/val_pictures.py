"""Which validation pictures a run was scored on (stdlib only), so that the best run is chosen among runs scored on
the same ones: validation scores measured on different pictures say nothing of which run is better (QA: pictures
added and split again, and a run trained before kept being "the best run" over every run trained since).

A run's are kept in its summary (:data:`VAL_PICTURES`), written at its end (engine/runs/lifecycle.py) from its
dataset.json: a fingerprint of the pictures grouped by class, so a class's new name alone changes nothing (it changes
no score); "" for a run scored on none. A run recorded before that, or brought in from a packed job, gets it from its
dataset.json the first time it is needed, kept in its row when the project can be written: choosing the best run
reads no run's files once each run has it.

:func:`same_pictures`: when the runs were scored on different validation pictures, the runs scored on the ones a new
run would be scored on now (the project's validation pictures, or the training pictures a run holds out when there
are none: hold_out.py) are compared; when no run with a model was, all of them, as before.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Iterable

from .errors import ProjectError
from .hold_out import held_out_ids
from .records import ImageFilter
from .run_records import DATASET, RunInfo, run_dir, run_settings, update_run
from .store import Project

VAL_PICTURES = "val_pictures"  # summary key: pictures_fingerprint of the pictures the run was scored on


def pictures_fingerprint(pictures: Iterable[tuple[str, object]]) -> str:
    """A fingerprint of pictures given as (sha256, class): the same pictures in the same groups give the same text,
    whatever the classes are called; "" for none."""
    groups: dict[object, list[str]] = {}
    for sha, group in pictures:
        groups.setdefault(group, []).append(sha)
    if not groups:
        return ""
    h = hashlib.sha256()
    for text in sorted("\n".join(sorted(shas)) for shas in groups.values()):
        h.update(text.encode("utf-8") + b"\n\n")
    return h.hexdigest()


def folder_val_pictures(folder: Path) -> str | None:
    """The fingerprint of the validation pictures of the run in ``folder`` (its dataset.json: the project's
    validation pictures and those held out for it), None when dataset.json cannot be read."""
    try:
        images = json.loads((Path(folder) / DATASET).read_text(encoding="utf-8"))["images"]
        return pictures_fingerprint((str(r["sha256"]), r["label"]) for r in images
                                    if r.get("held_out") or r.get("split") == "val")
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return None


def run_val_pictures(project: Project, info: RunInfo) -> str | None:
    """Run ``info``'s :data:`VAL_PICTURES`: its summary's, else its dataset.json's (then kept in its row when the
    project can be written); None when neither can be read."""
    said = info.summary.get(VAL_PICTURES)
    if isinstance(said, str):
        return said
    found = folder_val_pictures(run_dir(project, info.id))
    if found is not None and not project.read_only:
        try:
            update_run(project, info.id, summary={VAL_PICTURES: found})
        except (ProjectError, sqlite3.Error, OSError):
            pass  # the disk says no: read again next time
    return found


def current_val_pictures(project: Project, seed: int = 0, validation: bool = True) -> str:
    """The fingerprint of the validation pictures a new run with ``seed`` would be scored on now: the project's
    labelled validation pictures; when it has none and ``validation`` is on, the training pictures it would hold
    out (hold_out.py)."""
    names = {c.id: c.name for c in project.classes()}
    val = [r for r in project.records(project.ids(ImageFilter(split="val"))) if r.class_id in names]
    if val or not validation:
        return pictures_fingerprint((r.sha256, r.class_id) for r in val)
    train = [r for r in project.records(project.ids(ImageFilter(split="train"))) if r.class_id in names]
    held = held_out_ids(((r.id, r.sha256, names[r.class_id]) for r in train), seed)
    return pictures_fingerprint((r.sha256, r.class_id) for r in train if r.id in held)


def same_pictures(project: Project, runs: list[RunInfo]) -> tuple[list[RunInfo], list[RunInfo]]:
    """(the runs of ``runs`` to rank by their validation scores, the runs left out). All of them, none left out, when
    they were all scored on the same validation pictures (runs scored on none have no score and are always in);
    otherwise the runs scored on the validation pictures a new run would be scored on now, the others left out, when
    any was; else all of them. The project is read only when the runs' pictures differ."""
    seen = {r.id: run_val_pictures(project, r) for r in runs}
    if len({v for v in seen.values() if v}) <= 1:
        return list(runs), []
    now: dict[tuple, str] = {}

    def current(r: RunInfo) -> str:
        settings = run_settings(r.config)
        seed = settings.get("seed", 0)
        key = (seed if isinstance(seed, int) else 0, settings.get("validation") is not False)
        if key not in now:
            now[key] = current_val_pictures(project, *key)
        return now[key]

    kept = [r for r in runs if seen[r.id] == "" or (seen[r.id] and seen[r.id] == current(r))]
    if not any(seen[r.id] for r in kept):
        return list(runs), []
    ids = {r.id for r in kept}
    return kept, [r for r in runs if r.id not in ids]

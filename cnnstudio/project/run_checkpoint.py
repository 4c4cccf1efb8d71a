"""Whether a run's checkpoint can be resumed from, read without torch (stdlib only), and what is said of it.

A run resumes from ``checkpoint/last.safetensors`` (written by :mod:`cnnstudio.engine.train.checkpoint`). That file
can be gone (the folder deleted by hand: resuming starts again from epoch 1, and says so) or damaged (cut short by a
copy, replaced by another file: the run cannot go on from it and is trained again from the start). A safetensors
file is an 8-byte header length, a JSON header naming every tensor's byte range, then the bytes: it is whole when
the header reads and the ranges end exactly at the file's end, and it is a checkpoint when the header's metadata
says so. A whole checkpoint of another run, copied over this one's, is damaged for this run too when it was written
for another design or other classes (its last layer would not fit, or its outputs would mean other classes): each
checkpoint's metadata holds the :func:`checkpoint_marks` of the run it was written for (the design's fingerprint from
config.json, the class names' from dataset.json, each under its own key), compared here with the run folder's own.
A mark a checkpoint lacks (written before it was kept) is not compared, so old checkpoints still resume, and an
older CNN Studio, which knows only the design's mark, still reads a new checkpoint as whole. That is checked here, in
one place, for every list, command and page.
"""

from __future__ import annotations

import hashlib
import json
import struct
from pathlib import Path

CHECKPOINT_DIR = "checkpoint"  # a run folder's checkpoints (run_records.py names the others)
LAST = "last.safetensors"
BEST = "best.safetensors"
CHECKPOINT_KEY = "cnnstudio_checkpoint"  # the safetensors metadata entry of a CNN Studio checkpoint
DESIGN_KEY = "cnnstudio_design"  # the metadata entry with the design fingerprint of the run it was written for
CLASSES_KEY = "cnnstudio_classes"  # the metadata entry with the fingerprint of that run's class names
_HEADER_LIMIT = 100_000_000  # bytes: safetensors' own limit on a header

WHOLE, NONE, DAMAGED = "whole", "none", "damaged"


def safetensors_whole(path: Path, key: str = "") -> bool:
    """Whether ``path`` is a whole safetensors file (and, with ``key``, one whose metadata has that entry)."""
    return _whole_metadata(path, key) is not None


def _whole_metadata(path: Path, key: str = "") -> dict | None:
    """The metadata of ``path`` when it is a whole safetensors file (with ``key``: one whose metadata has that
    entry), else None."""
    try:
        with open(path, "rb") as f:
            size = f.seek(0, 2)
            f.seek(0)
            raw = f.read(8)
            if len(raw) < 8:
                return None
            n = struct.unpack("<Q", raw)[0]
            if n > min(_HEADER_LIMIT, size - 8):
                return None
            header = json.loads(f.read(n).decode("utf-8"))
    except (OSError, ValueError):  # unreadable, not UTF-8, not JSON
        return None
    if not isinstance(header, dict):
        return None
    meta = header.get("__metadata__") or {}
    if not isinstance(meta, dict):
        if key:
            return None
        meta = {}
    if key and key not in meta:
        return None
    ends = [0]
    for name, t in header.items():
        if name == "__metadata__":
            continue
        offsets = t.get("data_offsets") if isinstance(t, dict) else None
        if not (isinstance(offsets, list) and len(offsets) == 2 and all(isinstance(o, int) for o in offsets)):
            return None
        ends.append(offsets[1])
    return meta if 8 + n + max(ends) == size else None


def spec_fingerprint(spec) -> str:
    """A short fingerprint of a model design (config.json's ``spec``): the same design gives the same text, however
    its JSON was laid out."""
    canonical = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()[:16]


def _read_entry(path: Path, key: str):
    """Entry ``key`` of the JSON object in ``path``; None when the file cannot be read or has no such entry."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get(key) if isinstance(data, dict) else None


def design_fingerprint(folder: Path) -> str:
    """The fingerprint of the design run folder ``folder`` trains (:func:`spec_fingerprint` of its config.json's
    ``spec``); "" when its config.json cannot be read or has no spec (nothing to compare: that is said elsewhere)."""
    from .run_records import CONFIG  # run_records imports this module

    spec = _read_entry(Path(folder) / CONFIG, "spec")
    return spec_fingerprint(spec) if spec else ""


def classes_fingerprint(folder: Path) -> str:
    """The fingerprint of the class names, in order, that run folder ``folder`` trains (its dataset.json's
    ``classes``: the network's outputs, one a class); "" when they cannot be read (nothing to compare)."""
    from .run_records import DATASET  # run_records imports this module

    classes = _read_entry(Path(folder) / DATASET, "classes")
    if not isinstance(classes, list) or not classes:
        return ""
    return spec_fingerprint(classes)


_MARKS = {DESIGN_KEY: design_fingerprint, CLASSES_KEY: classes_fingerprint}  # what a checkpoint was written for


def checkpoint_marks(folder: Path) -> dict[str, str]:
    """The metadata entries a checkpoint of run folder ``folder`` holds (the writer stores them,
    :func:`checkpoint_state` compares them): the design's and the classes' fingerprints, those that can be read."""
    marks = {key: mark(folder) for key, mark in _MARKS.items()}
    return {key: value for key, value in marks.items() if value}


def checkpoint_state(folder: Path) -> str:
    """``"whole"``, ``"none"`` (no last checkpoint: the run starts again from epoch 1) or ``"damaged"`` for the run
    folder ``folder``. A whole checkpoint whose design or classes fingerprint differs from the run's own (another
    run's checkpoint copied over) is damaged; a fingerprint the checkpoint lacks (written before checkpoints held
    it) is not compared: such a checkpoint is taken as whole, as it was then (resuming still finds another design
    out, as damaged)."""
    last = Path(folder) / CHECKPOINT_DIR / LAST
    try:
        if not last.is_file():
            return NONE
    except OSError:
        return NONE
    meta = _whole_metadata(last, CHECKPOINT_KEY)
    if meta is None:
        return DAMAGED
    for key, mark in _MARKS.items():
        written_for = meta.get(key)
        if written_for is not None:
            own = mark(folder)  # read only when the checkpoint has something to compare it with
            if own and written_for != own:
                return DAMAGED
    return WHOLE


def saved_progress(folder: Path, state: str | None = None) -> dict:
    """The scalars run folder ``folder``'s last checkpoint holds ("epoch": the epoch whose end it saved, Resume going
    on with the next; "best_epoch": the best epoch as of then); {} when there is no whole checkpoint
    (:func:`checkpoint_state` is not ``"whole"``; ``state``: that state, already read by the caller)."""
    if (checkpoint_state(folder) if state is None else state) != WHOLE:
        return {}
    meta = _whole_metadata(Path(folder) / CHECKPOINT_DIR / LAST, CHECKPOINT_KEY) or {}
    try:
        progress = json.loads(meta.get(CHECKPOINT_KEY, ""))
    except ValueError:
        return {}
    return progress if isinstance(progress, dict) else {}


def _count(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def saved_epochs(folder: Path, state: str | None = None) -> tuple[int | None, int | None]:
    """The epoch whose end run folder ``folder``'s last checkpoint holds (Resume goes on with the next one) and the
    best epoch as of then (0: none yet), from one read of it; None for either when there is no whole checkpoint or it
    does not say (``state``: as :func:`saved_progress`)."""
    progress = saved_progress(folder, state)
    return _count(progress.get("epoch")), _count(progress.get("best_epoch"))


def saved_metrics(info, metrics: list[dict]) -> list[dict]:
    """The epochs of ``metrics`` (metrics.jsonl) a run's plots, advice and report read: every one of a finished
    run; of a run that did not finish, only those up to the epoch its record says Resume goes on from (``last_epoch``: a run
    killed between two checkpoints is recorded at its checkpoint's epoch, run_abandoned.resume_point, while
    metrics.jsonl keeps the epochs it lost until Resume rewrites it). ``info``: its RunInfo (None: unknown)."""
    summary = info.summary if info is not None and isinstance(info.summary, dict) else {}
    saved = summary.get("last_epoch")
    if info is None or info.status == "finished" or not isinstance(saved, int) or isinstance(saved, bool):
        return metrics
    return [m for m in metrics if not isinstance(m.get("epoch"), int) or m["epoch"] <= saved]


def damaged_sentence(run_id: str) -> str:
    """What is said of a run whose last checkpoint is damaged (each surface adds how to train it again)."""
    return (f"the last checkpoint of run {run_id} is damaged, so the run cannot go on from where it stopped: "
            "train it again from the start")


def no_checkpoint_note(run_id: str) -> str:
    """What is said when a run that trained some epochs is resumed with no checkpoint left."""
    return f"no checkpoint was left for run {run_id}: training starts again from epoch 1"


def resume_kept(folder: Path) -> str:
    """What is kept of a run that failed (a full disk...), for the end of its failure sentence; "" when the run's
    folder is not there (its project folder moved or renamed: its checkpoint went with it, nothing is known here)."""
    try:
        if not Path(folder).is_dir():
            return ""
    except OSError:
        return ""
    if checkpoint_state(folder) == WHOLE:
        return "resuming the run goes on from its last checkpoint"
    return "resuming the run starts it again from epoch 1"


__all__ = ["BEST", "CHECKPOINT_DIR", "CHECKPOINT_KEY", "CLASSES_KEY", "DAMAGED", "DESIGN_KEY", "LAST", "NONE",
           "WHOLE", "checkpoint_marks", "checkpoint_state", "classes_fingerprint", "damaged_sentence",
           "design_fingerprint", "no_checkpoint_note", "resume_kept", "safetensors_whole", "saved_epochs",
           "saved_metrics", "saved_progress", "spec_fingerprint"]

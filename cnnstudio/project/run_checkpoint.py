"""Whether a run's checkpoint can be resumed from, read without torch (stdlib only), and what is said of it.

A run resumes from ``checkpoint/last.safetensors`` (written by :mod:`cnnstudio.engine.train.checkpoint`). That file
can be gone (the folder deleted by hand: resuming starts again from epoch 1, and says so) or damaged (cut short by a
copy, replaced by another file: the run cannot go on from it and is trained again from the start). A safetensors
file is an 8-byte header length, a JSON header naming every tensor's byte range, then the bytes: it is whole when
the header reads and the ranges end exactly at the file's end, and it is a checkpoint when the header's metadata
says so. That is checked here, in one place, for every list, command and page.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

CHECKPOINT_DIR = "checkpoint"  # a run folder's checkpoints (run_records.py names the others)
LAST = "last.safetensors"
BEST = "best.safetensors"
CHECKPOINT_KEY = "cnnstudio_checkpoint"  # the safetensors metadata entry of a CNN Studio checkpoint
_HEADER_LIMIT = 100_000_000  # bytes: safetensors' own limit on a header

WHOLE, NONE, DAMAGED = "whole", "none", "damaged"


def safetensors_whole(path: Path, key: str = "") -> bool:
    """Whether ``path`` is a whole safetensors file (and, with ``key``, one whose metadata has that entry)."""
    try:
        with open(path, "rb") as f:
            size = f.seek(0, 2)
            f.seek(0)
            raw = f.read(8)
            if len(raw) < 8:
                return False
            n = struct.unpack("<Q", raw)[0]
            if n > min(_HEADER_LIMIT, size - 8):
                return False
            header = json.loads(f.read(n).decode("utf-8"))
    except (OSError, ValueError):  # unreadable, not UTF-8, not JSON
        return False
    if not isinstance(header, dict):
        return False
    meta = header.get("__metadata__") or {}
    if key and (not isinstance(meta, dict) or key not in meta):
        return False
    ends = [0]
    for name, t in header.items():
        if name == "__metadata__":
            continue
        offsets = t.get("data_offsets") if isinstance(t, dict) else None
        if not (isinstance(offsets, list) and len(offsets) == 2 and all(isinstance(o, int) for o in offsets)):
            return False
        ends.append(offsets[1])
    return 8 + n + max(ends) == size


def checkpoint_state(folder: Path) -> str:
    """``"whole"``, ``"none"`` (no last checkpoint: the run starts again from epoch 1) or ``"damaged"`` for the run
    folder ``folder``."""
    last = Path(folder) / CHECKPOINT_DIR / LAST
    try:
        if not last.is_file():
            return NONE
    except OSError:
        return NONE
    return WHOLE if safetensors_whole(last, CHECKPOINT_KEY) else DAMAGED


def damaged_sentence(run_id: str) -> str:
    """What is said of a run whose last checkpoint is damaged (each surface adds how to train it again)."""
    return (f"the last checkpoint of run {run_id} is damaged, so the run cannot go on from where it stopped: "
            "train it again from the start")


def no_checkpoint_note(run_id: str) -> str:
    """What is said when a run that trained some epochs is resumed with no checkpoint left."""
    return f"no checkpoint was left for run {run_id}: training starts again from epoch 1"


def resume_kept(folder: Path) -> str:
    """What is kept of a run that failed (a full disk...), for the end of its failure sentence."""
    if checkpoint_state(folder) == WHOLE:
        return "resuming the run goes on from its last checkpoint"
    return "resuming the run starts it again from epoch 1"


__all__ = ["BEST", "CHECKPOINT_DIR", "CHECKPOINT_KEY", "DAMAGED", "LAST", "NONE", "WHOLE", "checkpoint_state",
           "damaged_sentence", "no_checkpoint_note", "resume_kept", "safetensors_whole"]

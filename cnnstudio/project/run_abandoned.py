"""Runs whose process ended without saying so (stdlib only): a run left ``running`` by a process of this computer
that was killed, whose project folder was moved or renamed under it, or whose disk was so full that not even the
failure could be written. :func:`settle_abandoned` marks them failed, so no list shows "running…" for a run nothing
is training, and each says the epoch Resume goes on from (:func:`resume_point`). The process training a run is
recorded in its summary (:data:`~cnnstudio.project.run_records.PROCESS`).
"""

from __future__ import annotations

import json
from pathlib import Path

from .processes import gone
from .run_checkpoint import DAMAGED, checkpoint_state, saved_epochs
from .run_records import METRICS, PROCESS, _real, list_runs, run_dir, update_run
from .store import Project


def resume_point(folder: Path, trained: object) -> tuple[dict | None, str]:
    """Where Resume goes on with the run in ``folder`` whose row recorded ``trained`` epochs: (what its row's summary
    should say — ``last_epoch`` the checkpoint's epoch, ``best_epoch`` and its validation scores as of then — or None
    to leave it; the words, "it can resume from epoch 2: epochs 2–339 were not saved and are trained again"). The
    epochs after the checkpoint are trained again: a checkpoint is written at most every 20 seconds
    (engine/train/saving.py), so a process killed outright loses the epochs since."""
    state = checkpoint_state(folder)
    if state == DAMAGED:
        return None, "its last checkpoint is damaged, so it can only be trained again from the start"
    saved, best = saved_epochs(folder, state)  # the checkpoint read once
    saved = saved or 0
    if saved <= 0:
        return _as_saved(folder, 0, 0), "no checkpoint was saved, so resuming starts again from epoch 1"
    lost = ""
    if isinstance(trained, int) and trained == saved + 1:
        lost = f": epoch {trained} was not saved and is trained again"
    elif isinstance(trained, int) and trained > saved:
        lost = f": epochs {saved + 1}–{trained} were not saved and are trained again"
    return (_as_saved(folder, saved, best or 0),
            f"it can resume from epoch {saved + 1}{lost}")


def _as_saved(folder: Path, epoch: int, best: int) -> dict:
    """A run's summary as of its checkpoint at ``epoch``: its best epoch then, ``best``, with that epoch's validation
    scores from metrics.jsonl (None when it has none), as the trainer recorded them."""
    out: dict = {"last_epoch": epoch, "best_epoch": best, "val_accuracy": None, "val_loss": None}
    if best <= 0:
        return out
    try:
        lines = (Path(folder) / METRICS).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return out
    for line in lines:
        try:
            row = json.loads(line)
        except ValueError:
            continue
        if isinstance(row, dict) and row.get("epoch") == best:
            out.update({k: row[k] if _real(row.get(k)) else None for k in ("val_accuracy", "val_loss")})
    return out


def abandoned_words(trained: object, resume: str) -> str:
    """Why a run left "running" by a process that has ended failed, then ``resume`` (:func:`resume_point`'s words):
    one rule for the runs list, its details and ``cnnstudio runs``."""
    after = f" after epoch {trained}" if isinstance(trained, int) and trained > 0 else ""
    return (f"the training stopped unexpectedly{after} (stopped by force, the project folder moved or renamed, or the "
            f"disk too full to record why); {resume}")


def settle_abandoned(project: Project) -> list[str]:
    """Mark failed, with :func:`abandoned_words` as the reason, every ``running`` run whose process was on this
    computer and has ended; returns their ids. Its summary becomes what its checkpoint holds (:func:`resume_point`),
    so the runs list's epochs and score are where Resume goes on (the epochs after it were not saved). Runs trained
    on another computer, or by a live process, are left alone."""
    settled = []
    if project.read_only:
        return settled
    for r in list_runs(project, "running"):
        if gone(str(r.summary.get(PROCESS, ""))):
            trained = r.summary.get("last_epoch")
            as_saved, words = resume_point(run_dir(project, r.id), trained)
            update_run(project, r.id, status="failed",
                       summary={**(as_saved or {}), "error": abandoned_words(trained, words)})
            settled.append(r.id)
    return settled


"""Which validation pictures a run was scored on (stdlib only), so that the best run is chosen among runs scored on
the same ones: validation scores measured on different pictures say nothing of which run is better (QA: pictures
added and split again, and a run trained before kept being "the best run" over every run trained since).

A run's are kept in its summary (:data:`VAL_FINGERPRINT`), written at its end (engine/runs/lifecycle.py) from its
dataset.json: a fingerprint of the pictures grouped by class, so a class's new name alone changes nothing (it changes
no score, nor which pictures a run holds out: hold_out.py); "" for a run scored on none. A run recorded before that,
or brought in from a packed job, gets it from its dataset.json, kept in memory only: choosing the best run never
writes to the project (the command line's ``predict``, a project opened for viewing).

:func:`same_pictures`: when the runs were scored on different validation pictures, the runs scored on the ones a new
run would be scored on now (the project's validation pictures, or the training pictures a run holds out when there
are none: hold_out.py) are compared; when no run with a model was, all of them, as before. Its answer is kept per
project until the database changes (``PRAGMA data_version`` and this program's own writes), so the many callers of
the best run (Evaluate, Predict, the Train page, reports) read no run's files and no picture again meanwhile.
"""

from __future__ import annotations

import hashlib
import json
import threading
import weakref
from pathlib import Path
from typing import Iterable

from .hold_out import held_out_ids
from .records import ImageFilter
from .run_records import DATASET, RunInfo, run_dir, run_settings
from .store import Project

VAL_FINGERPRINT = "val_fingerprint"  # summary key: pictures_fingerprint of the pictures the run was scored on
_OLD_KEY = "val_pictures"  # its first name (a search's trial counts its validation pictures under it: not a text)


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
    """Run ``info``'s :data:`VAL_FINGERPRINT`: its summary's, else its dataset.json's (kept in memory while that
    file is unchanged; nothing is written); None when neither can be read."""
    for key in (VAL_FINGERPRINT, _OLD_KEY):
        said = info.summary.get(key)
        if isinstance(said, str):
            return said
    path = run_dir(project, info.id) / DATASET
    try:
        st = path.stat()
        stamp = (str(path), st.st_mtime_ns, st.st_size)
    except OSError:
        return None
    memo = _memo(project)
    with memo.lock:
        kept = memo.folders.get(info.id)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    found = folder_val_pictures(path.parent)
    if found is not None:
        with memo.lock:
            memo.folders[info.id] = (stamp, found)
    return found


def current_val_pictures(project: Project, seed: int = 0, validation: bool = True) -> str:
    """The fingerprint of the validation pictures a new run with ``seed`` would be scored on now: the project's
    labelled validation pictures; when it has none and ``validation`` is on, the training pictures it would hold
    out (hold_out.py)."""
    state = _state(project)
    key = (state, seed, validation)
    memo = _memo(project)
    with memo.lock:
        if key in memo.now:
            return memo.now[key]
    found = _current(project, seed, validation)
    with memo.lock:
        memo.now = {k: v for k, v in memo.now.items() if k[0] == state}  # what the database held before: gone
        memo.now[key] = found
    return found


def _current(project: Project, seed: int, validation: bool) -> str:
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
    any was; else all of them. The project is read only when the runs' pictures differ, and again only once the
    database changed."""
    state = _state(project)
    key = (state, tuple((r.id, r.summary.get(VAL_FINGERPRINT), _said(r.summary.get(_OLD_KEY)), _seed(r))
                        for r in runs))
    memo = _memo(project)
    with memo.lock:
        kept = memo.chosen.get(key)
    if kept is None:
        kept = _choose(project, runs)
        with memo.lock:  # what the database held before goes; a ninth choice starts afresh
            memo.chosen = {k: v for k, v in memo.chosen.items() if k[0] == state} if len(memo.chosen) < 8 else {}
            memo.chosen[key] = kept
    pool, left_out = (set(ids) for ids in kept)
    return [r for r in runs if r.id in pool], [r for r in runs if r.id in left_out]


def _choose(project: Project, runs: list[RunInfo]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """:func:`same_pictures`, as the ids of the runs ranked and of those left out."""
    seen = {r.id: run_val_pictures(project, r) for r in runs}
    every = tuple(r.id for r in runs), ()
    if len({v for v in seen.values() if v}) <= 1:
        return every
    kept = [r.id for r in runs if seen[r.id] == "" or (seen[r.id] and seen[r.id] == current_val_pictures(project,
                                                                                                         *_seed(r)))]
    if not any(seen[i] for i in kept):
        return every
    return tuple(kept), tuple(r.id for r in runs if r.id not in kept)


def _seed(r: RunInfo) -> tuple[int, bool]:
    """Run ``r``'s (seed, validation): which pictures it held out, if any."""
    settings = run_settings(r.config)
    seed = settings.get("seed", 0)
    return seed if isinstance(seed, int) else 0, settings.get("validation") is not False


def _said(value: object) -> object:
    return value if isinstance(value, (str, int, float, type(None))) else repr(value)


class _Memo:
    """What :func:`same_pictures` found for one project: kept until the database changes (folders: while their
    dataset.json is unchanged)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.folders: dict[str, tuple[tuple, str]] = {}  # run id -> (its dataset.json's stat, its fingerprint)
        self.now: dict[tuple, str] = {}  # (database state, seed, validation) -> current_val_pictures
        self.chosen: dict[tuple, tuple] = {}  # (database state, the runs) -> (ids ranked, ids left out)


_memos: "weakref.WeakKeyDictionary[Project, _Memo]" = weakref.WeakKeyDictionary()
_memos_lock = threading.Lock()


def _memo(project: Project) -> _Memo:
    with _memos_lock:
        memo = _memos.get(project)
        if memo is None:
            memo = _memos[project] = _Memo()
        return memo


def _state(project: Project) -> tuple:
    """What the database holds, as this thread's connection sees it: another connection's commit moves its
    ``data_version``; this program's own writes (on any of its connections) move their change count."""
    con = project._con()
    version = con.execute("PRAGMA data_version").fetchone()[0]
    return con, version, project.connections.changes_except(None)

"""Which files predicting a folder tries, and the one sentence for a folder with none: the rule
:func:`cnnstudio.engine.use.predict.collect_images` (the CLI's ``predict FOLDER``) and the Predict page's
"Predict a folder…" share. Every regular file found walking the folder (its sub-folders too) is tried (decoding
decides what is a picture, so a stray text file is reported with its reason); system clutter and hidden names are
passed over, as the importer passes them over (:func:`cnnstudio.project.import_walk.walk_paths`). Torch-free: the
window asks :func:`no_pictures_sentence` on its GUI thread before its save dialog, so that answer stops at the first
file to try (:func:`files_to_try`, the import's own walk taken lazily): one folder listing when the folder holds a file
itself; only a folder with none is walked whole, to say why. Predicting walks the folder again, on its thread."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator

from ...project.counting import counted
from ...project.import_walk import CANDIDATE, HIDDEN, Walked, iter_walk, shown, walk_paths


def walk_for_prediction(paths: Iterable[str | os.PathLike]) -> Walked:
    """The files and folders ``paths`` name, walked as prediction walks them (no classes or splits read from
    folder names)."""
    return walk_paths(paths, labels_from_folders=False, keep_split_folders=False)


def no_pictures_sentence(folder: str | os.PathLike) -> str:
    """Why predicting ``folder`` would try no file at all, in one sentence ("“empty” has no pictures to predict
    (looked in its sub-folders too)."), or "" when it holds a file to try, or something of its own to report row by
    row (a sub-folder that cannot be opened, a device file)."""
    folder = Path(folder)
    name = shown(folder.name or folder)
    if next(files_to_try(folder), None) is not None:  # the usual case: one listing, not the whole tree
        return ""
    walked = walk_for_prediction([folder])
    if walked.candidates:
        return ""
    itself = [s for s in walked.skipped if s["path"] == shown(folder)]
    if itself:  # the folder itself cannot be opened (permission): its reason
        return f"“{name}” cannot be predicted: {itself[0]['reason']}."
    if walked.skipped:
        return ""
    looked = " (looked in its sub-folders too)" if _has_sub_folders(folder) else ""
    hidden = sum(1 for p in walked.passed_over if p["kind"] == HIDDEN and not os.path.isdir(p["path"]))
    passed = (f"; {counted(hidden, 'hidden file')} (a name starting with a dot) "
              f"{'was' if hidden == 1 else 'were'} passed over" if hidden else "")
    return f"“{name}” has no pictures to predict{looked}{passed}."


def files_to_try(folder: str | os.PathLike) -> Iterator[Path]:
    """The files predicting ``folder`` tries, one at a time as the walk finds them: :func:`walk_for_prediction`'s
    walk itself (:func:`~cnnstudio.project.import_walk.iter_walk`), so whoever needs only the first reads one
    folder listing, not the whole tree. What cannot be read is left out here (the whole walk says it)."""
    if not os.path.isdir(folder):
        return
    for kind, item in iter_walk([folder], labels_from_folders=False, keep_split_folders=False):
        if kind == CANDIDATE:
            yield item.path


def _has_sub_folders(folder: Path) -> bool:
    try:
        return any(e.is_dir() and not e.name.startswith(".") for e in os.scandir(folder))
    except OSError:
        return False

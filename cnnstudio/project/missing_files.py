"""Pictures whose stored file is gone from the project folder (deleted by hand, a disk restored from an old backup):
the one rule of finding them and the one sentence that says so (QA: thumbnails still showed, the counts included
them and training used the decoded copies it had cached, with nothing said).

Where the files are: each picture's row names its file relative to the project folder, ``images/<2 hex>/<sha256>.<ext>``
(importer.py). Finding the missing ones reads each of those folders once (``os.scandir``: the names, no stat per
file) rather than a stat per picture: 10,000 pictures in about 40 ms instead of 150 ms on a loaded laptop disk
(measured, QA together #8). :func:`missing_pictures` keeps its answer for a project until a picture comes in, goes to
or back from the trash, or a folder of ``images/`` changes (its modification time): the Data page's health reads it at
every label without listing the folders again; the health says them as an error only while training would use one of
them (:func:`training_uses`), as a run refuses only its own pictures. Stdlib only (and splits.py's rules)."""

from __future__ import annotations

import os
import weakref
from typing import Iterable, Sequence

from .counting import counted
from .splits import SPLITS, needs_auto_split

IMAGES = "images"
TRASH_MISSING = "trash_missing"  # a health Warning's fix: the pictures whose files are gone, to the project's trash

_kept: "weakref.WeakKeyDictionary[object, tuple[tuple, list[int]]]" = weakref.WeakKeyDictionary()


def missing_files(root: str | os.PathLike, files: Iterable[str]) -> set[str]:
    """Which of ``files`` (paths relative to the project folder ``root``, as the rows store them) are not there: each
    folder they are in is listed once. A folder that cannot be read says nothing is missing from it (the disk's own
    error comes when a file is opened), and a project folder that is gone says nothing is missing from it: that is said
    in its own sentence (the project moved or deleted: ``Project.gone_error``), not picture by picture."""
    root = os.fspath(root)
    if not os.path.isdir(root):
        return set()
    listed: dict[str, set[str] | None] = {}
    gone: set[str] = set()
    for rel in files:
        folder, _, name = rel.replace("\\", "/").rpartition("/")
        if folder not in listed:
            try:
                names = {e.name for e in os.scandir(os.path.join(root, folder))}
            except (FileNotFoundError, NotADirectoryError):
                names = set()  # the folder itself is gone: so is every file in it
            except OSError:
                names = None
            listed[folder] = names
        names = listed[folder]
        if names is not None and name not in names:
            gone.add(rel)
    return gone


def _signature(project) -> tuple:
    """What changes when the answer of :func:`missing_pictures` may: the pictures not in the trash (count, sum and
    largest id) and the modification times of ``images/`` and its folders."""
    con = project._con()
    rows = con.execute("SELECT COUNT(*), COALESCE(SUM(id), 0), COALESCE(MAX(id), 0) FROM images "
                       "WHERE trashed_at IS NULL").fetchone()
    images = os.path.join(os.fspath(project.root), IMAGES)
    try:
        folders = tuple(sorted((e.name, e.stat(follow_symlinks=False).st_mtime_ns) for e in os.scandir(images)
                               if e.is_dir(follow_symlinks=False)))
        top = os.stat(images).st_mtime_ns
    except OSError:
        folders, top = (), None
    return tuple(rows), top, folders


def missing_pictures(project) -> list[int]:
    """The ids of the pictures not in the trash whose stored file is not in the project folder, in id order."""
    signature = _signature(project)
    kept = _kept.get(project)
    if kept is not None and kept[0] == signature:
        return list(kept[1])
    rows = project._con().execute("SELECT id, file FROM images WHERE trashed_at IS NULL ORDER BY id").fetchall()
    gone = missing_files(project.root, (file for _id, file in rows))
    ids = [i for i, file in rows if file in gone]
    _kept[project] = (signature, ids)
    return list(ids)


def training_uses(project, ids: Sequence[int], counts: dict | None = None) -> list[int]:
    """Which of ``ids`` (pictures not in the trash, as :func:`missing_pictures` gives them) the next training run would
    use, in their order: those with a class the project has, in train, validation or test; while no picture has a split
    yet, every labelled one, as training splits them all first (:func:`.splits.needs_auto_split`). The pictures a run
    reads (``engine/data/entries.dataset_entries``, whose ``check_files`` refuses the missing ones) are these, so the
    Data page's health says a run refused only for the pictures that refuse it. ``counts``: :meth:`Project.counts` if
    the caller has it already."""
    if not ids:
        return []
    classes = {c.id for c in project.classes()}
    every = needs_auto_split(project.counts() if counts is None else counts)
    return [r.id for r in project.records(ids) if r.class_id in classes and (every or r.split in SPLITS)]


def missing_words(n: int) -> str:
    """The one sentence for ``n`` pictures whose files are gone: what happened, the likely why, the two ways out."""
    if n == 1:
        return ("1 picture's file is missing from the project folder (deleted outside CNN Studio?): move it to the "
                "trash, or put the file back.")
    return (f"{counted(n, 'picture')}' files are missing from the project folder (deleted outside CNN Studio?): move "
            "them to the trash, or put the files back.")


def missing_health_words(n: int, used: int) -> str:
    """The Data page's health line for ``n`` pictures whose files are gone, ``used`` of them pictures training would use
    (:func:`training_uses`): while any is, training cannot start (its refusal is :func:`missing_words`); while none is,
    they are still broken pictures, to trash or put back before they get a class or a split."""
    one = n == 1
    gone = ("1 picture's file is missing" if one else f"{counted(n, 'picture')}' files are missing") + (
        " from the project folder (deleted outside CNN Studio?)")
    way_out = f"move {'it' if one else 'them'} to the trash, or put the {'file' if one else 'files'} back."
    if not used:
        return (f"{gone}; training does not use {'it' if one else 'them'}, as {'it has' if one else 'they have'} no "
                f"class or no split, but {way_out}")
    which = ("it" if one else "them") if used == n else f"{used} of them"
    return f"{gone}; training would use {which}, so training cannot start: {way_out}"


def trash_missing_label(n: int) -> str:
    """The Data page's button that moves them to the trash (Ctrl+Z brings them back)."""
    return "Move it to the trash" if n == 1 else f"Move the {counted(n, 'picture')} to the trash"

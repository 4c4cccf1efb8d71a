"""Which images a run uses: :class:`Entry` rows read from the project, their fingerprint, and the check
that they can train a classifier. Torch-free.

A class takes part in a run when it has at least one labelled image in the train/val/test splits
(:func:`trained_class_ids`); this is the one definition of "the classes a run trains on", used by
:func:`dataset_entries` and by the Model page (the size of the output layer).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Sequence

from ...project.hold_out import HOLD_OUT_SHARE, held_out_ids
from ...project.missing_files import missing_files, missing_words
from ...project.splits import SPLITS
from ...project.records import ImageFilter
from ...project.store import Project
from ..errors import DataError


@dataclass(frozen=True)
class Entry:
    """One image as a run uses it."""
    id: int
    sha256: str
    file: str  # relative to the project folder
    label: int  # index into the run's class names
    label_name: str
    split: str  # "train" | "val" | "test"


def trained_class_ids(counts: dict[int | None, dict[str | None, int]], splits: Sequence[str] = SPLITS) -> set[int]:
    """The ids of the classes a run trains on: those with at least one labelled, non-trashed image in ``splits``.

    ``counts`` is :meth:`Project.counts` (images per class id and split, trashed ones left out).
    """
    return {cid for cid, per in counts.items() if cid is not None and any(per.get(s, 0) for s in splits)}


def dataset_entries(project: Project, splits: Sequence[str] = SPLITS) -> tuple[list[str], list[Entry]]:
    """The labelled, split-assigned, non-trashed images, and the class names (in the project's order).

    A class takes part when it has at least one image in these splits; classes are numbered 0.. in the
    project's class order.
    """
    classes = project.classes()
    by_id = {c.id: c.name for c in classes}
    records = []
    for split in splits:  # a class that is not there (a project opened for viewing, not repaired): unlabelled, as
        # Project.counts counts it and opening a project makes it (store.LOST_CLASS)
        records += [r for r in project.records(project.ids(ImageFilter(split=split))) if r.class_id in by_id]
    counts: dict[int | None, dict[str | None, int]] = {}  # of these records (not a second query: the same snapshot)
    for r in records:
        per = counts.setdefault(r.class_id, {})
        per[r.split] = per.get(r.split, 0) + 1
    used = trained_class_ids(counts, splits)
    names = [c.name for c in classes if c.id in used]
    index = {c.id: i for i, c in enumerate(c for c in classes if c.id in used)}
    entries = [Entry(r.id, r.sha256, r.file, index[r.class_id], by_id[r.class_id], r.split) for r in records]
    entries.sort(key=lambda e: e.id)
    return names, entries


def fingerprint(entries: Sequence[Entry]) -> str:
    """sha256 over the sorted (image sha256, class name, split) triples: changes when labels/splits do."""
    h = hashlib.sha256()
    for line in sorted(f"{e.sha256}\t{e.label_name}\t{e.split}\n" for e in entries):
        h.update(line.encode("utf-8"))
    return h.hexdigest()


def hold_out_validation(entries: Sequence[Entry], seed: int = 0,
                        share: float = HOLD_OUT_SHARE) -> tuple[list[Entry], frozenset[int]]:
    """When no entry is in the validation split: a stratified, seeded part of each class's training
    pictures moved to ``val`` for this run only (the rule: :func:`cnnstudio.project.hold_out.held_out_ids`).
    Returns the run's entries and the ids held out (empty when the project has validation pictures)."""
    if any(e.split == "val" for e in entries):
        return list(entries), frozenset()
    held = held_out_ids(((e.id, e.sha256, e.label_name) for e in entries if e.split == "train"), seed, share)
    out = [replace(e, split="val") if e.id in held else e for e in entries]
    return out, held


def held_out_note(count: int) -> str:
    """The one line the CLI and the Train page show for :func:`hold_out_validation`."""
    return (f"no validation split: {count} training picture{'s' if count != 1 else ''} held out for validation "
            "(the project's splits are unchanged)")


#: The one line the CLI and the Train page show for a run trained with validation off (``TrainSettings.validation``).
NO_VALIDATION_NOTE = "no validation: the last epoch is kept"


#: Why a project with fewer than two classes cannot train, and what to do, in the window's words and the command
#: line's alike (the Train page and ``cnnstudio train`` both say it): add a class and give it pictures.
TWO_CLASSES_WORDS = ("training needs at least two classes with labelled pictures: on the Data page, add a class "
                     "(Add) and give it pictures (select them, then press the class's number key), or on the command "
                     "line give pictures a class with 'cnnstudio label DIR IMAGE_ID --class NAME' (a new class is "
                     "made; 'cnnstudio images DIR' lists the ids)")


def check_trainable(class_names: Sequence[str], entries: Sequence[Entry]) -> None:
    train = [e for e in entries if e.split == "train"]
    if len(class_names) < 2:
        raise DataError(TWO_CLASSES_WORDS)
    if not train:
        raise DataError("there are no labelled images in the training split: assign splits first")
    missing = sorted({e.label_name for e in entries} - {e.label_name for e in train})
    if missing:
        raise DataError(f"class {missing[0]!r} has no images in the training split: add some or re-split")


def check_files(root, entries: Sequence[Entry]) -> None:
    """Refuse the pictures whose stored file was deleted by hand from the project folder (the Data page's health says
    them and offers the trash): their cached pixels are never used, as a picture never cached is already refused (its
    file cannot be read), so the pictures the Data page counts are the pictures a run trains on. One listing of each
    images/ folder: 10,000 pictures in about 40 ms (project/missing_files.py)."""
    gone = missing_files(root, [e.file for e in entries])
    if gone:
        raise DataError(missing_words(len(gone)))

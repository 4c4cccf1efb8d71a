"""Stratified train / val / test assignment, the split-before-training rule, and taking a validation part
from train (pure functions; :func:`carve_validation` alone goes through a project's public methods)."""

from __future__ import annotations

import random
from typing import Sequence

SPLITS = ("train", "val", "test")
#: Training with labelled pictures of which none is split yet splits them first, this way (Train page and
#: ``cnnstudio train`` alike): see :func:`needs_auto_split`.
AUTO_SPLIT = (70, 15, 15)
AUTO_SPLIT_SEED = 0
SPLIT_FOLDER_NAMES = {"train": "train", "training": "train", "val": "val", "valid": "val",
                      "validation": "val", "test": "test", "testing": "test"}


def parse_ratios(ratios: Sequence[float] | str) -> tuple[float, float, float]:
    """Accept ``(70, 15, 15)``, ``(0.7, 0.15, 0.15)`` or ``"70,15,15"``; return fractions summing to 1."""
    if isinstance(ratios, str):
        try:
            ratios = [float(x) for x in ratios.replace("/", ",").split(",")]
        except ValueError:
            raise ValueError(f"ratios {ratios!r} must be three numbers like 70,15,15") from None
    vals = [float(x) for x in ratios]
    if len(vals) != 3:
        raise ValueError("give three ratios: train, validation, test (for example 70,15,15)")
    if any(v < 0 for v in vals):
        raise ValueError("ratios cannot be negative")
    total = sum(vals)
    if total <= 0:
        raise ValueError("ratios must not all be zero")
    if vals[0] == 0:
        raise ValueError("the training split cannot be empty: give it a ratio above zero")
    return vals[0] / total, vals[1] / total, vals[2] / total


def target_counts(n: int, ratios: Sequence[float]) -> dict[str, int]:
    """How many of ``n`` images go to each split; every non-empty class keeps at least one train image."""
    train_r, val_r, test_r = parse_ratios(ratios)
    n_val = round(n * val_r)
    n_test = round(n * test_r)
    while n > 0 and n - n_val - n_test < 1:
        if n_test >= n_val and n_test > 0:
            n_test -= 1
        elif n_val > 0:
            n_val -= 1
    return {"train": n - n_val - n_test, "val": n_val, "test": n_test}


def stratified_assignment(free: list[int], fixed: dict[int, str], ratios: Sequence[float],
                          rng: random.Random) -> dict[int, str]:
    """Assign the ``free`` images of one class so the whole class follows ``ratios``.

    ``fixed`` images (kept test images, folder splits) count toward their split's target but are
    not moved. Returns ``{image_id: split}`` for the free images.
    """
    n = len(free) + len(fixed)
    target = target_counts(n, ratios)
    have = {s: 0 for s in SPLITS}
    for split in fixed.values():
        have[split] += 1
    need = {s: max(0, target[s] - have[s]) for s in SPLITS}
    order = list(free)
    rng.shuffle(order)
    out: dict[int, str] = {}
    pos = 0
    for split in ("test", "val"):
        take = min(need[split], len(order) - pos)
        for iid in order[pos:pos + take]:
            out[iid] = split
        pos += take
    for iid in order[pos:]:
        out[iid] = "train"
    return out


def labelled_unsplit(counts: dict[int | None, dict[str | None, int]]) -> int:
    """How many labelled images have no split, from :meth:`Project.counts` (class id -> split -> n)."""
    return sum(by_split.get(None, 0) for class_id, by_split in counts.items() if class_id is not None)


def needs_auto_split(counts: dict[int | None, dict[str | None, int]]) -> bool:
    """The rule before training: labelled images and none of the images split yet -> split them
    :data:`AUTO_SPLIT` (seed :data:`AUTO_SPLIT_SEED`) first. Once any image is split, splitting is left
    to the user. ``counts`` as :meth:`Project.counts` gives them."""
    if any(n for by_split in counts.values() for split, n in by_split.items() if split in SPLITS):
        return False
    return labelled_unsplit(counts) > 0


#: The share of each class's training pictures :func:`carve_validation` moves to validation by default.
CARVE_SHARE = 0.15


def labelled_per_split(counts: dict[int | None, dict[str | None, int]]) -> dict[str, int]:
    """Labelled pictures per split, from :meth:`Project.counts` (or any class id -> split -> n mapping)."""
    return {s: sum(by_split.get(s, 0) for cid, by_split in counts.items() if cid is not None) for s in SPLITS}


def needs_validation(counts: dict[int | None, dict[str | None, int]]) -> bool:
    """Labelled pictures in train and test but none in val (a project imported from ``train/`` and ``test/``
    folders only, whose folder splits a re-split keeps): the fix is :func:`carve_validation`, which the Data
    page's Split does by default then and its health warning offers as a button."""
    n = labelled_per_split(counts)
    return n["train"] > 0 and n["test"] > 0 and n["val"] == 0


def choose_validation(train_by_class: dict[int, Sequence[int]], share: float = CARVE_SHARE,
                      seed: int = AUTO_SPLIT_SEED) -> list[int]:
    """Which training pictures go to validation: per class (stratified), seeded, ``round(share * n)`` of its
    ``n`` pictures, at least one, and never the class's last one (a class of one gives none). Sorted ids."""
    if not 0 < share < 1:
        raise ValueError(f"the validation share must be between 0 and 1, not {share!r}")
    out: list[int] = []
    for cid in sorted(train_by_class):
        ids = sorted(train_by_class[cid])
        if len(ids) < 2:
            continue
        random.Random(f"{seed}:{cid}").shuffle(ids)
        out += ids[:min(len(ids) - 1, max(1, round(share * len(ids))))]
    return sorted(out)


def carve_validation(project, share: float = CARVE_SHARE, seed: int = AUTO_SPLIT_SEED) -> dict:
    """Move :func:`choose_validation` of the project's labelled training pictures to val in one transaction;
    test and everything else stay. Returns the moved pictures' previous (split, source), which
    :meth:`Project.restore_splits` puts back (undo); ``{}`` when nothing moved."""
    from .records import ImageFilter  # records imports this module

    by_class: dict[int, list[int]] = {}
    for r in project.records(project.ids(ImageFilter(split="train"))):
        if r.class_id is not None:
            by_class.setdefault(r.class_id, []).append(r.id)
    chosen = choose_validation(by_class, share, seed)
    return project.set_split(chosen, "val") if chosen else {}

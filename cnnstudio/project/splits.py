"""Stratified train / val / test assignment, and the split-before-training rule (pure functions: no
database here)."""

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

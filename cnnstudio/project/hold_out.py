"""Which training pictures a run holds out for validation when the project has no validation pictures (stdlib only):
the one rule, used by a run as it is made (engine/data/entries.hold_out_validation) and by the choice of the best run,
which needs the validation pictures a new run would be scored on now (val_pictures.py).

A stratified, seeded part of each class's training pictures (:data:`HOLD_OUT_SHARE`, at least one for a class with
:data:`HOLD_OUT_MIN_CLASS` or more). The choice depends on the pictures' content hashes only, not on ids nor on the
class's name, so the same pictures in a packed job or another copy of the project give the same split, and renaming a
class changes none of its held-out pictures (runs before and after the rename stay compared: val_pictures.py).
"""

from __future__ import annotations

import hashlib
import random
from typing import Iterable

HOLD_OUT_SHARE = 0.15  # of each class's training pictures, when a run has no validation pictures
HOLD_OUT_MIN_CLASS = 5  # a class with fewer training pictures gives none


def held_out_count(train: int, share: float = HOLD_OUT_SHARE) -> int:
    """How many of a class's ``train`` training pictures are held out: ``share`` of them, at least one, and none from
    a class with fewer than :data:`HOLD_OUT_MIN_CLASS` (also counted before a run by
    :func:`cnnstudio.engine.data.planned_pictures.planned_pictures`)."""
    return max(1, round(share * train)) if train >= HOLD_OUT_MIN_CLASS else 0


def held_out_ids(train: Iterable[tuple[int, str, object]], seed: int = 0,
                 share: float = HOLD_OUT_SHARE) -> frozenset[int]:
    """The ids held out of the training pictures ``train``, given as (id, sha256, class): each class's shuffle is
    seeded by ``seed`` and its pictures' content hashes, never by the class itself (a rename changes nothing)."""
    by_class: dict[object, list[tuple[int, str, object]]] = {}
    for picture in train:
        by_class.setdefault(picture[2], []).append(picture)
    held: set[int] = set()
    for pictures in by_class.values():  # each class's own shuffle: the order of the classes changes nothing
        group = sorted(pictures, key=lambda p: (p[1], p[0]))
        take = held_out_count(len(group), share)
        if not take:
            continue
        rng = random.Random(f"{seed}:{_content(group)}")
        rng.shuffle(group)
        held.update(p[0] for p in group[:take])
    return frozenset(held)


def _content(group: list[tuple[int, str, object]]) -> str:
    """A digest of a class's pictures' content hashes (``group`` sorted by them)."""
    h = hashlib.sha256()
    for p in group:
        h.update(p[1].encode("utf-8") + b"\n")
    return h.hexdigest()

"""Pictures that must share a split: copies and near copies of one picture (found from the pixels by
:mod:`cnnstudio.engine.runs.split_groups`), kept in one split by Split so that it never puts a picture in training
and its copy in validation or test, where the score would count a picture the model trained on.

:func:`draw_splits` is the draw of :meth:`~cnnstudio.project.store.Project.assign_splits` over every class (each class
stratified by :func:`~cnnstudio.project.splits.stratified_assignment`, seeded per class as always); :func:`together`
and :func:`together_words` say afterwards how many groups share a split, and how many could not (their pictures
keep splits that differ: the test split kept, splits from ``train/``, ``val/`` and ``test/`` folders), in the words
both the Data page's Split and ``cnnstudio split`` print.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from .counting import counted
from .splits import GroupDraw, assign_class

#: why copies are kept together, said after the count (a plain reason for a person who never heard of a leak)
HONEST = "so the test stays honest"


def draw_splits(pictures: Iterable[tuple[int, int, str | None, bool]], ratios: Sequence[float], seed: int,
                groups: Sequence[Sequence[int]] = ()) -> dict[int, str]:
    """``{image id: split}`` for the pictures the draw assigns. ``pictures``: ``(image id, class id, split, fixed)``
    of the labelled pictures, in id order; a fixed one keeps its split. Each class is drawn with
    ``random.Random(f"{seed}:{class id}")`` (the same split as before groups existed, when there are none). A group
    whose pictures have two classes (a copy labelled differently) is drawn with its first class; its pictures of the
    later classes take that split, counted in their class as kept ones."""
    by_class: dict[int, list[tuple[int, str | None, bool]]] = {}
    for iid, cid, split, fixed in pictures:
        by_class.setdefault(cid, []).append((iid, split, fixed))
    out: dict[int, str] = {}
    kept = {iid: split for items in by_class.values() for iid, split, fixed in items if fixed}
    draw = GroupDraw(groups)  # built once: each class's free pictures join it as it is drawn
    draw.know(kept)
    draw.place(kept)
    for cid in sorted(by_class):
        items = by_class[cid]
        fixed = {iid: split for iid, split, f in items if f}
        free = [iid for iid, _, f in items if not f]
        draw.know(free)
        drawn = assign_class(free, fixed, ratios, random.Random(f"{seed}:{cid}"), draw)
        draw.place(drawn)
        out.update(drawn)
    return out


@dataclass(frozen=True)
class Together:
    """How the groups of copies lie after a split (:func:`together`)."""

    kept: int  # groups whose pictures all share one split
    apart: int  # groups whose pictures keep splits that differ (the test split kept, folder splits)
    pairs: bool  # every group counted is two pictures (the words say "pairs")


def together(groups: Sequence[Sequence[int]], split_of: Mapping[int, str | None]) -> Together:
    """How ``groups`` lie in the splits ``split_of`` gives (image id -> split; a picture missing from it, or without
    a split, is not counted: unlabelled, in the trash). A group counts with two or more split pictures."""
    kept = apart = 0
    pairs = True
    for group in groups:
        splits = [split_of.get(i) for i in group]
        splits = [s for s in splits if s is not None]
        if len(splits) < 2:
            continue
        pairs = pairs and len(splits) == 2
        if len(set(splits)) == 1:
            kept += 1
        else:
            apart += 1
    return Together(kept, apart, pairs)


def together_words(t: Together, redraw: str = "re-draw the test and folder splits") -> str:
    """"Kept 14 pairs of near-identical pictures in the same split so the test stays honest.", and for groups left
    across splits what puts them together (``redraw``: in the words of the surface, a command or the page's boxes).
    "" without copies."""
    noun = "pair" if t.pairs else "group"
    words = []
    if t.kept:
        words.append(f"Kept {counted(t.kept, noun)} of near-identical pictures in the same split {HONEST}.")
    if t.apart:
        were = "stays" if t.apart == 1 else "stay"
        words.append(f"{counted(t.apart, noun)} of near-identical pictures {were} in different splits because those "
                     f"splits are kept: {redraw} to put them together.")
    return " ".join(words)


def group_splits(project, groups: Sequence[Sequence[int]]) -> dict[int, str | None]:
    """The split of every labelled picture of ``groups`` in ``project`` (not in the trash), for :func:`together`."""
    ids = [i for g in groups for i in g]
    trashed = project.in_trash(ids)
    return {r.id: r.split for r in project.records(ids) if r.class_id is not None and r.id not in trashed}

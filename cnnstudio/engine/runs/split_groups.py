"""Pictures that must share a split: copies and near copies of one picture, found from the pictures themselves, so
that Split never puts a picture in training and its copy in validation or test (a leak: the score would count
pictures the model trained on). :meth:`~cnnstudio.project.store.Project.assign_splits` keeps each group in one split.

How, without a pretrained model (the data check's rule on the pixels, :mod:`.near_copies`, with its bars):

- **Copies**: the same file content (sha256). The importer stores each content once, so within a project these are
  rare; they cost nothing to find.
- **Near copies** (re-saved, recompressed, resized, slightly shifted): each labelled picture decoded small
  (:func:`decode_sizes`), its :func:`~cnnstudio.engine.data.quality.picture_signature`, linked to the pictures
  :func:`~cnnstudio.engine.runs.near_copies.iter_same_pictures` finds the same (its candidates: the nearest by the
  plain 24 x 24 signature and by the framed one; no pretrained features); the two must have the same colours
  (:func:`~cnnstudio.engine.data.quality.iter_colour_links` within :data:`SAME_COLOURS`, a little looser than the
  check's, read from the pixels already decoded, not the files).
  Linked pictures form sets of pictures all alike (:func:`~cnnstudio.engine.use.neighbours.groups`: look-alikes
  never chain through a third picture); sets that share a picture are one group
  (:func:`~cnnstudio.project.unions.joined`).

Unreadable pictures are in no group. Only labelled pictures in the project (not in its trash) are looked at: Split
assigns nothing else. Progress as the data check's (:class:`~cnnstudio.engine.events.DataProgress`), its words a
sentence for each step (:data:`READING`, :data:`COMPARING`); ``stop`` set:
:class:`~cnnstudio.engine.errors.Cancelled`.

Measured on a shared 2-core machine with other jobs running (load 5 to 7), both sizes looked at: the shipped sample
(1,797 pictures of 8 x 8) 9 s of CPU (3.5 s wall on a quieter moment of that machine), 2,100 pictures of 64 x 64 with
100 planted resized JPEG copies (all found) 12 s of CPU. Most of it is aligning the signatures
(:func:`~cnnstudio.engine.use.neighbours.aligned_similarity`, the data check's own step); comparing the colours of a
linked pair once, not once per way, rule and size, took the 2,100 pictures from 35 s of CPU to 12.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Generator, Sequence

import torch

from ...project.imaging import ImageRejected, open_normalised
from ...project.records import ImageFilter, ImageRecord
from ...project.store import Project
from ..data.prepare import drive
from ..data.preprocess import Preprocess, image_to_uint8
from ..data.quality import (PALETTE_SAME, SIGNATURE_LEN, SIGNATURE_SIDE, colour_palette, iter_colour_links,
                            picture_signature)
from ..errors import Cancelled, WeightsNotFound
from ..model.backbones import find_weights
from ..events import DataProgress
from ..train.settings import suggest_preprocess
from ..use.features import DEFAULT_BACKBONE, feature_size_for
from ...project.unions import joined
from ..use.neighbours import groups
from .near_copies import iter_same_pictures

CHUNK = 256  # pictures decoded, and compared, between two progress reports (and checks of ``stop``)
STOPPED = "looking for copies was stopped: nothing was split"
#: the steps in progress messages, whole sentences a dialog can show under its own first one
READING, COMPARING = "Reading the pictures…", "Comparing the pictures…"
#: how far apart two linked pictures' colours may be (palette_distance): twice the data check's PALETTE_SAME. A JPEG's
#: colour subsampling moves a colourful picture's colours by ~0.045 (a re-saved copy the check's bar parts), one shape
#: on backgrounds of other colours is 0.1 and more apart; two look-alikes kept together cost nothing, a copy split
#: apart is a leak
SAME_COLOURS = 2 * PALETTE_SAME


def labelled_pictures(project: Project) -> list[ImageRecord]:
    """The pictures Split can assign: labelled, not in the trash."""
    return [r for r in project.records(project.ids(ImageFilter())) if r.class_id is not None]


def decode_sizes(project: Project, records: Sequence[ImageRecord]) -> tuple[Preprocess, ...]:
    """How the pictures are decoded for their signatures: as the data check decodes them without the pretrained
    features (the project's suggested input, :func:`~cnnstudio.engine.train.settings.suggest_preprocess`) and, when
    their weights are on this computer, as it decodes them with those features (squashed RGB,
    :func:`~cnnstudio.engine.use.features.feature_size_for`). Near copies at the edge of the bars are found at one
    size and not the other (the sample: 16 pairs at 28 px, 23 at 96 px, 9 of them the same), so each size the check
    may use is looked at: whichever way Check data looks, it finds no copy that Split put apart."""
    sizes = [suggest_preprocess(project)]
    try:
        find_weights(DEFAULT_BACKBONE)
    except WeightsNotFound:
        return tuple(sizes)
    side = feature_size_for(max(r.width, r.height) for r in records)
    return (*sizes, Preprocess(height=side, width=side, channels=3))


def find_split_groups(project: Project, progress: Callable[[int, int, str], None] | None = None,
                      stop: threading.Event | None = None) -> list[list[int]]:
    """:func:`iter_split_groups` with a ``progress(done, total, message)`` callback instead of events."""
    return drive(iter_split_groups(project, stop=stop), progress)


def iter_split_groups(project: Project, *, stop: threading.Event | None = None
                      ) -> Generator[DataProgress, None, list[list[int]]]:
    """The groups of image ids that must share a split (each sorted, two or more; sorted), yielding progress."""
    records = labelled_pictures(project)
    by_sha: dict[str, list[int]] = {}
    for r in records:
        by_sha.setdefault(r.sha256, []).append(r.id)
    sets = [ids for ids in by_sha.values() if len(ids) > 1]
    if len(records) < 2:
        return sets
    sizes = decode_sizes(project, records)
    looks, ids = yield from _looks(project, records, sizes, stop)
    same: dict[tuple[int, int], bool] = {}  # pairs whose colours were compared: once, whichever way and look
    for k, (signatures, _) in enumerate(looks):
        linked, cand, score = yield from _near_copies(signatures, looks[0][1], same, stop, k, len(looks))
        sets += [[ids[m] for m in members] for members in groups(linked, cand, score)]
    yield DataProgress(1, 1, COMPARING)
    return sorted(sorted(g) for g in joined(sets))


def _check(stop) -> None:
    if stop is not None and stop.is_set():
        raise Cancelled(STOPPED)


def _decode(path, sizes: Sequence[Preprocess]) -> list[torch.Tensor] | None:
    """The picture at each size (read once; a large JPEG decoded reduced, still twice the largest size), or None when
    it cannot be read: an unreadable picture is in no group."""
    try:
        image = open_normalised(path, side=2 * max(max(pp.height, pp.width) for pp in sizes))
        return [image_to_uint8(image, pp) for pp in sizes]
    except (ImageRejected, OSError):
        return None


def _looks(project: Project, records: Sequence[ImageRecord], sizes: Sequence[Preprocess], stop) -> Generator:
    """``([(signatures, palettes)] one per size, the readable pictures' image ids)``: decoded in threads, a chunk at
    a time, only the small signatures kept (a few kilobytes a picture, whatever its size)."""
    n = len(records)
    parts: list[list[tuple[torch.Tensor, torch.Tensor]]] = [[] for _ in sizes]
    ids: list[int] = []
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1), thread_name_prefix="split-groups") as pool:
        for a in range(0, n, CHUNK):
            _check(stop)
            yield DataProgress(a, 2 * n, READING)
            chunk = records[a:a + CHUNK]
            got = [(r.id, px) for r, px in zip(chunk, pool.map(lambda r: _decode(project.root / r.file, sizes), chunk))
                   if px is not None]
            ids += [iid for iid, _ in got]
            for k in range(len(sizes)):
                if got:
                    batch = torch.stack([px[k] for _, px in got])
                    parts[k].append((picture_signature(batch), colour_palette(batch)))
    looks = [(torch.cat([sig for sig, _ in part]) if part else torch.empty(0, SIGNATURE_LEN),
              torch.cat([pal for _, pal in part]) if part else torch.empty(0, SIGNATURE_SIDE ** 2, 3))
             for part in parts]
    return looks, ids


def _near_copies(signatures: torch.Tensor, palettes: torch.Tensor, same: dict[tuple[int, int], bool], stop, k: int,
                 sizes: int) -> Generator:
    """``(linked, candidates, score)``, each ``(N, k)``: which candidates of each picture are the same picture (the
    ``k``-th of ``sizes`` looks: its share of the progress). ``same``: the pairs whose colours were compared already
    (a comparison takes a few milliseconds: a pair is linked both ways, by two rules, at two sizes)."""
    n = len(signatures)
    if n < 2:
        empty = torch.empty((n, 0))
        return empty.bool(), empty.long(), empty
    looking = iter_same_pictures(signatures, chunk=CHUNK)
    while True:
        try:
            ev = next(looking)
        except StopIteration as done:
            linked, cand, score = done.value
            break
        _check(stop)
        yield DataProgress(n + (k * n + ev.done) // sizes, 2 * n, COMPARING)
    linked = drive(iter_colour_links(palettes.__getitem__, linked, cand, most=SAME_COLOURS, known=same))
    return linked, cand, score


__all__ = ["COMPARING", "READING", "STOPPED", "decode_sizes", "find_split_groups", "iter_split_groups",
           "labelled_pictures"]

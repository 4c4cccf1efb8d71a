"""When two pictures are the same picture (a copy: re-saved, recompressed, resized, slightly shifted), by their luma
signatures (:func:`~cnnstudio.engine.data.quality.picture_signature`): the one rule the data check
(:mod:`.doctor`: near duplicates and leaks) and Split (:mod:`.split_groups`: the copies it keeps in one split) use.

Two ways, either is enough (:func:`iter_same_pictures`): the nearest picture by the framed luma
(:func:`~cnnstudio.engine.data.quality.framed_luma`: a shifted or rescaled copy is framed like its original) when it is
:data:`FRAMED_SAME` alike and stands out from the next one by :data:`FRAMED_STANDS_OUT`; or a candidate (the nearest
by the plain 24 x 24 signature, and the data check's nearest by features) whose correlation after aligning small
shifts and zooms (:func:`~cnnstudio.engine.use.neighbours.aligned_similarity`) is :data:`CERTAIN`. Both bars are
higher for two smooth, low-detail pictures (:func:`bar`, :data:`DETAIL_BAR`). The luma ignores its level, so each
caller then keeps only the links between pictures of the same colours
(:func:`~cnnstudio.engine.data.quality.iter_colour_links`, with how far apart the colours may be: the check's
:data:`~cnnstudio.engine.data.quality.PALETTE_SAME`, Split twice that).
"""

from __future__ import annotations

from pathlib import Path
from typing import Generator, Sequence

import torch
from PIL import Image

from ..data.quality import SIGNATURE_SIDE
from ..events import DataProgress
from ..use.neighbours import aligned_similarity, nearest, smoothness

FRAMED_SAME = 0.975  # similarity of the framed signatures that makes the nearest picture the same one ...
FRAMED_STANDS_OUT = 0.015  # ... when the next nearest is this much less alike. Measured on MNIST
#   (bench_doctor.py, copy -> original links): 0.975 / 0.015 links 147 of 150 copies and 12 other pictures;
#   0.975 / 0.01: 149 and 30; 0.98 / 0.02: 140 and 2. On 8 x 8 digits scaled up (the sample) different
#   writers' digits reach 0.98-0.99: the gap keeps most of them apart
CERTAIN = 0.99  # aligned correlation of the plain 24 x 24 signatures that makes a near duplicate on its own
DETAIL_BAR = 0.11  # ... both bars raised for two smooth, low-detail pictures: 1 - similarity at most this share of
#   1 - the smoothness (neighbours.smoothness) of the more detailed of the two. The sample (8 x 8 digits scaled up,
#   smoothness ~0.94 plain, ~0.89 framed: bars ~0.993 and ~0.988): 95 findings (56 leaks, one a chain of 12 different
#   "1"s) became 23 pairs, 14 of them across splits; MNIST (smoothness ~0.78: bars as before) 148 of 150 copies,
#   75 / 75 leaks, 18 other pictures (24 before). 0.1: 9 sample leaks, but 147 copies (a rescaled "1" at 0.978)
CANDIDATES = 5  # nearest pictures by the plain signature whose aligned likeness is measured
CHUNK = 256  # pictures aligned between two progress reports
PROGRESS = "looking for near copies"


def iter_same_pictures(signatures: torch.Tensor, by_features: torch.Tensor | None = None, chunk: int = CHUNK
                       ) -> Generator[DataProgress, None, tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    """``(linked, candidates, score)``, each ``(N, k)``: which candidates of each picture are the same picture by
    their luma (the module's rule), yielding ``DataProgress(done, N, PROGRESS)`` before each ``chunk`` of pictures
    is aligned (5 s for 2,000 pictures). ``by_features``: the nearest pictures by other features, whose first
    :data:`CANDIDATES` are candidates too (the data check's pretrained or pixel features); the plain signature's
    nearest come after them, the nearest framed picture last."""
    plain, framed = signatures[:, :SIGNATURE_SIDE ** 2], signatures[:, SIGNATURE_SIDE ** 2:]
    tiny = plain.reshape(-1, SIGNATURE_SIDE, SIGNATURE_SIDE)
    _, by_pixels = nearest(plain - plain.mean(1, keepdim=True), k=CANDIDATES)
    cand = by_pixels if by_features is None else torch.cat([by_features[:, :CANDIDATES], by_pixels], 1)
    n = len(cand)
    score = torch.empty(cand.shape)
    for a in range(0, n, chunk):
        yield DataProgress(a, n, PROGRESS)
        b = min(a + chunk, n)  # these rows, their candidates anywhere: the rows first, then every picture
        score[a:b] = aligned_similarity(torch.cat([tiny[a:b], tiny]), cand[a:b] + (b - a), chunk=b - a)
    linked = score >= bar(CERTAIN, smoothness(tiny), cand)
    near, by_frame = nearest(framed, k=2)
    if by_frame.shape[1] == 0:
        return linked, cand, score
    second = near[:, 1:2] if near.shape[1] > 1 else torch.full_like(near[:, :1], -1.0)
    framed_bar = bar(FRAMED_SAME, smoothness(framed.reshape(tiny.shape)), by_frame[:, :1])
    framed_link = (near[:, :1] >= framed_bar) & (near[:, :1] - second >= FRAMED_STANDS_OUT)
    return (torch.cat([linked, framed_link], 1), torch.cat([cand, by_frame[:, :1]], 1),
            torch.cat([score, near[:, :1]], 1))


def bar(least: float, smooth: torch.Tensor, cand: torch.Tensor) -> torch.Tensor:
    """``(N, k)``: how alike picture ``i`` and ``cand[i, j]`` must be to be the same picture: ``least``, or more for
    two smooth pictures (:data:`DETAIL_BAR`: different smooth pictures of one shape are nearly as alike as copies)."""
    rows = torch.arange(len(cand))[:, None]
    detail = 1.0 - torch.minimum(smooth[rows], smooth[cand])  # the more detailed of the two
    return (1.0 - DETAIL_BAR * detail).clamp_min(least)


def identical(paths: Sequence[Path]) -> bool:
    """Whether these files are exactly one picture: the same bytes, or the same pixels once read (a PNG saved again
    with other metadata, a lossless format for another); a file that cannot be read is not. A JPEG saved again is
    *almost* the same: its pixels differ."""
    first = None
    for path in paths:
        try:
            with Image.open(path) as im:
                seen = (im.size, im.convert("RGBA").tobytes())
        except (OSError, ValueError, Image.DecompressionBombError):
            return False
        if first is None:
            first = seen
        elif seen != first:
            return False
    return first is not None


def copies_words(count: int, same: bool) -> str:
    """What a set of ``count`` near copies is, in the data check's words: "the same picture twice" (or "3 identical
    pictures") when they are exactly one picture (:func:`identical`), else "2 almost identical pictures"."""
    if same:
        return "the same picture twice" if count == 2 else f"{count:,} identical pictures"
    return f"{count:,} almost identical pictures"


__all__ = ["CANDIDATES", "CERTAIN", "DETAIL_BAR", "FRAMED_SAME", "FRAMED_STANDS_OUT", "PROGRESS", "bar",
           "copies_words", "identical", "iter_same_pictures"]

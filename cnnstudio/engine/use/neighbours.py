"""Nearest neighbours in feature space, in chunks: never an N x N matrix in memory.

:func:`nearest` gives each picture its ``k`` most similar others (cosine similarity of L2-normalised
features, ``chunk`` rows at a time: memory ``chunk x N``); :func:`groups` joins linked pictures into sets
whose pictures are all linked to each other, never through a third picture (project/unions.joined joins sets that
share a picture); :func:`outlier_scores` is the mean distance to the nearest neighbours; :func:`smoothness` says
how little detail a picture has.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

CHUNK = 512
SHIFT = 2  # aligned_similarity tries shifts of up to this many signature pixels ...
SCALES = (0.92, 1.0, 1.08)  # ... and these zooms


def normalised(x: torch.Tensor) -> torch.Tensor:
    x = x.float()
    return x / x.norm(dim=1, keepdim=True).clamp_min(1e-8)


def nearest(x: torch.Tensor, k: int = 10, chunk: int = CHUNK) -> tuple[torch.Tensor, torch.Tensor]:
    """``(similarities, indices)``, each ``(N, k)``, most similar first, a picture never its own neighbour."""
    z = normalised(x)
    n = z.shape[0]
    k = max(0, min(k, n - 1))
    sims = torch.empty((n, k))
    idx = torch.empty((n, k), dtype=torch.long)
    if k == 0:
        return sims, idx
    for start in range(0, n, chunk):
        block = z[start:start + chunk] @ z.T
        rows = torch.arange(block.shape[0])
        block[rows, rows + start] = -2.0  # not itself
        s, i = block.topk(k, dim=1)
        sims[start:start + chunk] = s
        idx[start:start + chunk] = i
    return sims, idx


def groups(linked: torch.Tensor, idx: torch.Tensor, score: torch.Tensor | None = None) -> list[list[int]]:
    """Sets of two or more pictures, each linked to every other picture of its set (``linked[i, j]`` links ``i`` and
    ``idx[i, j]``, either way round), every link in a set. Never joined through a third picture: A like B and B like
    C, A not like C, are two sets, {A, B} and {B, C}, not {A, B, C}: look-alikes chain through a class of similar
    pictures (a class of "1"s written alike), while copies of one picture are each like all the others. So a picture
    can be in two sets. The strongest links first (``score[i, j]``, the same shape; without it, in index order): each
    link not yet in a set starts one, which takes every picture linked to all of it, the most alike first."""
    rows, cols = torch.nonzero(linked, as_tuple=True)
    strength = score[rows, cols] if score is not None else torch.zeros(len(rows))
    near: dict[int, dict[int, float]] = {}  # picture -> the pictures linked to it, how strongly
    for a, b, s in zip(rows.tolist(), idx[rows, cols].tolist(), strength.tolist()):
        if a != b:
            for x, y in ((a, b), (b, a)):
                got = near.setdefault(x, {})
                got[y] = max(s, got.get(y, s))
    edges = sorted(((a, b) for a in near for b in near[a] if a < b), key=lambda e: (-near[e[0]][e[1]], e))
    covered: set[tuple[int, int]] = set()
    sets = []
    for a, b in edges:
        if (a, b) in covered:
            continue
        members = [a, b]
        for c in sorted(set(near[a]) & set(near[b]), key=lambda c: (-min(near[a][c], near[b][c]), c)):
            if all(c in near[m] for m in members):
                members.append(c)
        members.sort()
        covered.update((x, y) for x in members for y in members if x < y)
        sets.append(members)
    return sorted(sets)


def outlier_scores(sims: torch.Tensor, k: int = 5) -> torch.Tensor:
    """Mean cosine distance to the ``k`` nearest neighbours: high for a picture unlike all the others."""
    if sims.shape[1] == 0:
        return torch.zeros(sims.shape[0])
    return (1.0 - sims[:, :k]).mean(1)


def _centred(x: torch.Tensor) -> torch.Tensor:
    v = x.flatten(-2)
    v = v - v.mean(-1, keepdim=True)
    return v / v.norm(dim=-1, keepdim=True).clamp_min(1e-6)


def smoothness(pictures: torch.Tensor) -> torch.Tensor:
    """``(N,)``: each tiny picture's (``(N, S, S)``) correlation with itself moved one pixel across or down (the
    lower of the two): near 1 for a smooth, low-detail picture (a small one scaled up), lower the more fine detail it
    has. Two different smooth pictures of one shape correlate almost as well as a copy does."""
    x = pictures.float()
    across = _centred(x[:, :, 1:]) * _centred(x[:, :, :-1])
    down = _centred(x[:, 1:, :]) * _centred(x[:, :-1, :])
    return torch.minimum(across.sum(-1), down.sum(-1))


def _zoomed(x: torch.Tensor, scale: float) -> torch.Tensor:
    """``(N, S, S)`` pictures zoomed by ``scale`` about their centre, cropped or padded back to S x S."""
    s = x.shape[-1]
    if scale == 1.0:
        return x
    n = max(2, round(s * scale))
    z = F.interpolate(x[:, None], size=(n, n), mode="bilinear", align_corners=False)[:, 0]
    if n >= s:
        o = (n - s) // 2
        return z[:, o:o + s, o:o + s]
    o = (s - n) // 2
    return F.pad(z, (o, s - n - o, o, s - n - o))


def aligned_similarity(pictures: torch.Tensor, candidates: torch.Tensor, shift: int = SHIFT,
                       scales=SCALES, chunk: int = CHUNK) -> torch.Tensor:
    """``(N, k)``: for picture ``i`` and each of its ``candidates[i]``, the best correlation of the two
    tiny pictures (``(N, S, S)``, e.g. :func:`cnnstudio.engine.data.quality.picture_signature`) over
    small shifts and zooms of picture ``i``: a re-encoded, shifted or rescaled copy scores near 1."""
    n, k = candidates.shape
    s = pictures.shape[-1]
    out = torch.full((n, k), -1.0)
    padded = F.pad(pictures.float(), (shift,) * 4)
    for start in range(0, n, chunk):
        rows = slice(start, start + chunk)
        others = padded[candidates[rows]]  # (c, k, S+2r, S+2r)
        centre = _centred(others[..., shift:shift + s, shift:shift + s])
        for scale in scales:
            mine = F.pad(_zoomed(pictures[rows].float(), scale)[:, None], (shift,) * 4, mode="replicate")[:, 0]
            for dy in range(2 * shift + 1):
                for dx in range(2 * shift + 1):
                    moved = _centred(mine[:, dy:dy + s, dx:dx + s])  # (c, S*S)
                    out[rows] = torch.maximum(out[rows], (centre * moved[:, None]).sum(-1))
    return out

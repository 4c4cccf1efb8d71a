"""Nearest neighbours in feature space, in chunks: never an N x N matrix in memory.

:func:`nearest` gives each picture its ``k`` most similar others (cosine similarity of L2-normalised
features, ``chunk`` rows at a time: memory ``chunk x N``); :func:`groups` joins linked pairs into sets
(union-find); :func:`outlier_scores` is the mean distance to the nearest neighbours.
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


def groups(linked: torch.Tensor, idx: torch.Tensor) -> list[list[int]]:
    """Sets of two or more pictures joined by links: ``linked[i, j]`` joins ``i`` and ``idx[i, j]``."""
    parent = list(range(linked.shape[0]))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    rows, cols = torch.nonzero(linked, as_tuple=True)
    for r, c in zip(rows.tolist(), idx[rows, cols].tolist()):
        ra, rb = find(r), find(c)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    sets: dict[int, list[int]] = {}
    for i in range(len(parent)):
        sets.setdefault(find(i), []).append(i)
    return sorted((s for s in sets.values() if len(s) > 1), key=lambda s: s[0])


def outlier_scores(sims: torch.Tensor, k: int = 5) -> torch.Tensor:
    """Mean cosine distance to the ``k`` nearest neighbours: high for a picture unlike all the others."""
    if sims.shape[1] == 0:
        return torch.zeros(sims.shape[0])
    return (1.0 - sims[:, :k]).mean(1)


def _centred(x: torch.Tensor) -> torch.Tensor:
    v = x.flatten(-2)
    v = v - v.mean(-1, keepdim=True)
    return v / v.norm(dim=-1, keepdim=True).clamp_min(1e-6)


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

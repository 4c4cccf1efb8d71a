"""Picture quality: cheap statistics of decoded pictures and the rules that flag unusable ones.

:func:`picture_stats` measures each picture once (when the data check decodes it for the backbone, so
the numbers are cached with its features); :func:`quality_problems` reads them against the rest of the
dataset. Most rules are relative (a blurred picture is one much less sharp than the others of this
dataset), so a dataset of small upscaled digits is not "all blurred" and a dataset of night photos is
not "all dark"; only pictures with almost no information (flat), black and white pictures among colour ones (grey)
and odd sizes are flagged on absolute rules. A relative rule lists at most :data:`MAX_FLAGGED` of the pictures, the
most extreme first, and says how many more it passed over; an absolute rule lists every picture it is true of (a
grey picture in a colour project is grey, however many there are). Colour counts
wherever "alike" or "one colour" is said: a blue shape on a purple background of the same brightness is a
picture, not a flat one (:func:`picture_stats`' contrast), and two pictures of one shape on backgrounds of
different colours are not copies of each other (:func:`palette_distance`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Generator, Sequence

import torch
import torch.nn.functional as F

from ...project.imaging import ImageRejected
from ..events import DataProgress
from .preprocess import Preprocess, image_to_uint8

STATS = ("brightness", "contrast", "sharpness", "colourfulness")
SIGNATURE_SIDE = 24  # picture_signature: the luma averaged down to 24 x 24 ...
SIGNATURE_LEN = 2 * SIGNATURE_SIDE ** 2  # ... then the same luma framed by its own moments, 24 x 24
FRAME_RADII = 2.0  # framed_luma: the frame's half-width in radii of gyration (measured: bench_doctor.py)
FLAT_CONTRAST = 0.02  # colour spread (picture_stats' contrast) below this: one colour, no picture. Measured
#   (tests/engine/test_quality.py, bench_doctor.py): a solid colour with pixel noise of std 15 / 255 0.016 (its
#   luma's std: 0.023, not flat before), a sharp blue shape on a purple background of the same brightness 0.055
#   and more (its luma's std: 0.016), a thin white "1" on a pale 640 x 480 background 0.026 and more
FLAT_SIDE = 64  # contrast is measured on the picture averaged down to this: pixel noise is averaged away, a thin
#   stroke is not (at 24 x 24, a thin "1" on a pale background was "flat")
PALETTE_QUANTILE = 0.8  # palette_distance: the colour distance that this share of each picture's cells is within
PALETTE_SAME = 0.04  # palette_distance (RGB in [0, 1]) up to which two pictures have the same colours. Measured on
#   one shape on plain backgrounds (tests/engine/test_quality.py): re-encoded, resized and cropped copies 0.01 at
#   most; the same shape on a background 20 / 255 less red 0.06, on other backgrounds more
TOO_SMALL = 4  # a picture enlarged more than this many times to the model's input size is mostly blur: "too small",
#   said before (and instead of) "less sharp" or "much smaller than the others" (QA: a 5 x 5 picture in a 32 x 32
#   project was called blurred)
MAX_FLAGGED = 0.02  # relative rules (dark, bright, blurred) list at most this share of the pictures, the most
#   extreme first, and say how many more there are: "much darker than the others" is a ranking, so on a varied
#   dataset a few percent always pass and a long list of them buries what is worth a look. Absolute rules (flat,
#   grey, size) are facts about each picture: every one is listed

_LAPLACE = torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]]).view(1, 1, 3, 3)
_LUMA = torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)


def _luma(x: torch.Tensor) -> torch.Tensor:
    return (x * _LUMA).sum(1, keepdim=True) if x.shape[1] == 3 else x[:, :1]


def picture_signature(batch: torch.Tensor) -> torch.Tensor:
    """``(B, C, H, W)`` uint8 -> ``(B, SIGNATURE_LEN)``: two tiny pictures kept as numbers, for near duplicates.

    ``[:, :576]`` the luma averaged down to 24 x 24, in [0, 1] (confirmed after aligning small shifts and
    zooms: :func:`cnnstudio.engine.use.neighbours.aligned_similarity`); ``[:, 576:]`` :func:`framed_luma`, the
    same luma centred and scaled by its own moments, so a shifted or rescaled copy lands on its original."""
    luma = _luma(batch.float() / 255.0)
    return torch.cat([F.adaptive_avg_pool2d(luma, SIGNATURE_SIDE).flatten(1), framed_luma(luma[:, 0])], 1)


def framed_luma(luma: torch.Tensor, side: int = SIGNATURE_SIDE, radii: float = FRAME_RADII) -> torch.Tensor:
    """``(B, H, W)`` luma -> ``(B, side * side)`` unit vectors: each picture resampled in a frame centred on
    its centre of mass and ``radii`` radii of gyration wide, the mass being the distance from the background
    (the median of the 2-pixel border). Moments move and scale with the content, so a shifted or rescaled
    copy (content inside the picture) gives nearly the same vector as its original: measured on MNIST,
    every planted copy's nearest framed vector is its original."""
    n, h, w = luma.shape
    ring = torch.cat([luma[:, :2].flatten(1), luma[:, -2:].flatten(1), luma[:, :, :2].flatten(1),
                      luma[:, :, -2:].flatten(1)], 1)
    fg = luma - ring.median(1).values[:, None, None]
    mass = fg.abs()
    ys, xs = torch.linspace(-1, 1, h), torch.linspace(-1, 1, w)
    total = mass.sum((1, 2)).clamp_min(1e-6)
    cy = (mass.sum(2) * ys).sum(1) / total
    cx = (mass.sum(1) * xs).sum(1) / total
    spread = (mass * ((ys[None, :, None] - cy[:, None, None]) ** 2 + (xs[None, None, :] - cx[:, None, None]) ** 2))
    r = (spread.sum((1, 2)) / total).sqrt().clamp_min(0.05)
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0] = theta[:, 1, 1] = radii * r
    theta[:, 0, 2], theta[:, 1, 2] = cx, cy
    grid = F.affine_grid(theta, [n, 1, side, side], align_corners=False)
    v = F.grid_sample(fg[:, None], grid, mode="bilinear", padding_mode="zeros", align_corners=False).flatten(1)
    v = v - v.mean(1, keepdim=True)
    return v / v.norm(dim=1, keepdim=True).clamp_min(1e-6)


def picture_stats(batch: torch.Tensor) -> torch.Tensor:
    """``(B, C, H, W)`` uint8 -> ``(B, 4)`` float32: :data:`STATS` (contrast: how far the colours spread, the
    standard deviation of each channel of the picture averaged down to :data:`FLAT_SIDE` square, root mean
    square over the channels; the luma's standard deviation for a grey picture. In colour, because a shape of another colour
    but the same brightness is still a shape; averaged down, because pixel noise on one colour is not.
    Sharpness: variance of the Laplacian of the luma at 24 x 24, a standard focus measure, over the variance
    of the luma so that a faint picture is not "blurred"; colourfulness: mean of max - min over channels)."""
    x = batch.float() / 255.0
    luma = _luma(x)
    brightness = luma.mean((1, 2, 3))
    contrast = F.adaptive_avg_pool2d(x, FLAT_SIDE).var((2, 3)).mean(1).sqrt()
    small = F.adaptive_avg_pool2d(luma, SIGNATURE_SIDE)  # blur measured at one scale, whatever the decode size
    sharpness = F.conv2d(small, _LAPLACE).var((1, 2, 3)) / (small.var((1, 2, 3)) + 1e-4)
    colour = (x.amax(1) - x.amin(1)).mean((1, 2)) if x.shape[1] == 3 else torch.zeros_like(brightness)
    return torch.stack([brightness, contrast, sharpness, colour], 1)


def colour_palette(batch: torch.Tensor) -> torch.Tensor:
    """``(B, C, H, W)`` uint8 -> ``(B, 576, 3)``: the colours of each picture averaged down to 24 x 24, one row
    a cell (grey pictures as three equal channels), for :func:`palette_distance`."""
    x = F.adaptive_avg_pool2d(batch.float() / 255.0, SIGNATURE_SIDE).flatten(2).transpose(1, 2)
    return x.expand(-1, -1, 3) if x.shape[2] == 1 else x


def file_palette(path) -> torch.Tensor | None:
    """:func:`colour_palette` of one picture file (decoded as the import reads it), ``None`` when it cannot be
    read."""
    try:
        pixels = image_to_uint8(path, Preprocess(2 * SIGNATURE_SIDE, 2 * SIGNATURE_SIDE, 3))
    except (ImageRejected, OSError):
        return None
    return colour_palette(pixels[None])[0]


def palette_distance(a: torch.Tensor, b: torch.Tensor) -> float:
    """How far apart the colours of two pictures are (their :func:`colour_palette`): for each cell of one, the
    distance to the nearest colour of the other; the :data:`PALETTE_QUANTILE` of those, the larger of the two
    ways. Where the colours are does not matter, only which: a shifted, cropped, rescaled or re-encoded copy
    has its original's colours (0.01 or less), the same shape on another background does not."""
    d = torch.cdist(a.float(), b.float())
    return max(float(d.min(1).values.quantile(PALETTE_QUANTILE)), float(d.min(0).values.quantile(PALETTE_QUANTILE)))


def same_colours(files: Sequence, linked: torch.Tensor, candidates: torch.Tensor) -> torch.Tensor:
    """``linked`` (``(N, k)``: picture ``i`` is the same as its ``candidates[i, j]``, by luma) less the links
    between pictures of other colours (:func:`palette_distance` above :data:`PALETTE_SAME`). The luma's
    correlation ignores its level, so one shape on a yellow and on a green background correlate as copies.
    Only linked pictures are read (``files[i]``; small, once each); one that cannot be read links nothing."""
    gen = iter_same_colours(files, linked, candidates)
    while True:
        try:
            next(gen)
        except StopIteration as done:
            return done.value


def iter_same_colours(files: Sequence, linked: torch.Tensor, candidates: torch.Tensor,
                      every: int = 32) -> Generator[DataProgress, None, torch.Tensor]:
    """:func:`same_colours`, yielding :class:`DataProgress` (links looked at, of all) every ``every`` links: it reads
    files, the data check's longest step before the labels (2,000 shapes on random colours: 20 s of 26 s)."""
    palettes: dict[int, torch.Tensor | None] = {}

    def palette(m: int) -> torch.Tensor | None:
        if m not in palettes:
            palettes[m] = file_palette(files[m])
        return palettes[m]

    return (yield from iter_colour_links(palette, linked, candidates, every))


def iter_colour_links(palette: Callable[[int], torch.Tensor | None], linked: torch.Tensor, candidates: torch.Tensor,
                      every: int = 32, *, most: float = PALETTE_SAME, known: dict[tuple[int, int], bool] | None = None
                      ) -> Generator[DataProgress, None, torch.Tensor]:
    """``linked`` less the links between pictures whose colours are more than ``most`` apart
    (:func:`palette_distance`; ``palette(m)``: picture ``m``'s :func:`colour_palette`, None when it cannot be read:
    it links nothing), yielding :class:`DataProgress` every ``every`` links. ``known``: pairs ``(low, high)`` already
    compared, filled in as they are (a pair linked both ways, or in several looks, is compared once)."""
    out = linked.clone()
    links = torch.nonzero(linked).tolist()
    for n, (i, j) in enumerate(links):
        if n % every == 0:
            yield DataProgress(n, len(links), f"comparing the colours of near copies ({n:,} of {len(links):,})")
        other = int(candidates[i, j])
        pair = (min(i, other), max(i, other))
        if known is not None and pair in known:
            out[i, j] = known[pair]
            continue
        a, b = palette(i), palette(other)
        out[i, j] = same = a is not None and b is not None and palette_distance(a, b) <= most
        if known is not None:
            known[pair] = same
    return out


@dataclass(frozen=True)
class QualityProblem:
    index: int  # position in the stats given
    what: str  # "flat" | "dark" | "bright" | "blurred" | "grey" | "size" | "small"
    score: float  # 0..1, higher is worse
    reason: str
    others: tuple[int, ...] = ()  # further positions the same problem is about (grey: every grey picture at once)

    @property
    def indices(self) -> tuple[int, ...]:
        return (self.index, *self.others)


def _robust_z(values: torch.Tensor) -> torch.Tensor:
    med = values.median()
    mad = (values - med).abs().median() * 1.4826
    return (values - med) / max(float(mad), 1e-6)


def _most_extreme(z: torch.Tensor, limit: float, keep: torch.Tensor) -> list[int]:
    """Positions with ``z < limit`` where ``keep`` holds, the most extreme first."""
    idx = torch.nonzero((z < limit) & keep).flatten()
    order = torch.argsort(z[idx])
    return idx[order].tolist()


def _relative(picked: list[int], cap: int, problem) -> list[QualityProblem]:
    """The first ``cap`` of ``picked`` (most extreme first) as ``problem(i)``; the last one listed says how many
    more the rule passed over (:data:`MAX_FLAGGED`)."""
    out = [problem(i) for i in picked[:cap]]
    more = len(picked) - cap
    if more > 0:
        last = out[-1]
        out[-1] = QualityProblem(last.index, last.what, last.score, f"{last.reason}; {more:,} more less extreme "
                                 f"one{'s' if more != 1 else ''} not listed (only the worst {MAX_FLAGGED:.0%} of the "
                                 "pictures are)")
    return out


def quality_problems(stats: torch.Tensor, sizes: Sequence[tuple[int, int]] | None = None,
                     model_size: tuple[int, int] | None = None) -> list[QualityProblem]:
    """Flag pictures from their :func:`picture_stats` (and original ``(width, height)``; ``model_size``: the
    ``(width, height)`` the model sees, for "too small": :data:`TOO_SMALL`)."""
    n = stats.shape[0]
    if n == 0:
        return []
    cap = max(1, math.ceil(MAX_FLAGGED * n))
    stats = stats.float()
    bright, contrast, sharp, colour = stats.unbind(1)
    out: list[QualityProblem] = []
    flat = set(torch.nonzero(contrast < FLAT_CONTRAST).flatten().tolist())
    for i in sorted(flat):
        out.append(QualityProblem(i, "flat", 1.0 - float(contrast[i]) / FLAT_CONTRAST * 0.5,
                                  "almost one colour: there is next to nothing to learn from"))
    small = set()
    if sizes is not None and len(sizes) == n and model_size is not None:
        mw, mh = model_size
        for i, (w, h) in enumerate(sizes):
            if i not in flat and (w * TOO_SMALL < mw or h * TOO_SMALL < mh):
                small.add(i)
                out.append(QualityProblem(i, "small", 0.8, f"{w}x{h} pixels: too small, the model sees pictures "
                                          f"of {mw}x{mh}, so this one is mostly blur"))
    if n < 20:  # too few pictures to say what is unusual for this dataset
        return out
    not_flat = torch.ones(n, dtype=torch.bool)
    not_flat[sorted(flat | small)] = False  # (and not too small: said already)
    zb = _robust_z(bright)
    out += _relative(_most_extreme(zb, -4.0, not_flat & (bright < 0.5 * bright.median())), cap,
                     lambda i: QualityProblem(i, "dark", min(1.0, -float(zb[i]) / 10),
                                              "much darker than the other pictures"))
    out += _relative(_most_extreme(-zb, -4.0, not_flat & (bright > 0.5 + 0.5 * bright.median())), cap,
                     lambda i: QualityProblem(i, "bright", min(1.0, float(zb[i]) / 10),
                                              "much brighter than the other pictures (overexposed?)"))
    zs = _robust_z(torch.log(sharp + 1e-6))
    out += _relative(_most_extreme(zs, -4.0, not_flat & (sharp < 0.25 * sharp.median())), cap,
                     lambda i: QualityProblem(i, "blurred", min(1.0, -float(zs[i]) / 10),
                                              "much less sharp than the other pictures (blurred or out of focus?)"))
    colourful = colour > 0.08
    if float(colourful.float().mean()) >= 0.8:  # a colour project: every grey picture, in one finding
        grey = [i for i in torch.nonzero(colour < 0.02).flatten().tolist() if i not in flat]
        if grey:
            said = ("a black and white picture" if len(grey) == 1
                    else f"{len(grey):,} pictures are black and white")
            out.append(QualityProblem(grey[0], "grey", 0.5, f"{said} among colour pictures", tuple(grey[1:])))
    if sizes is not None and len(sizes) == n:
        aspect = torch.tensor([math.log(max(w, 1) / max(h, 1)) for w, h in sizes])
        area = torch.tensor([math.log(max(w, 1) * max(h, 1)) for w, h in sizes])
        med_aspect, med_area = float(aspect.median()), float(area.median())
        for i in range(n):
            odd_aspect = abs(float(aspect[i]) - med_aspect) > math.log(2.5)
            tiny = float(area[i]) < med_area - math.log(16)
            if (odd_aspect or tiny) and i not in flat | small:
                w, h = sizes[i]
                what = "a very different shape" if odd_aspect else "much smaller"
                out.append(QualityProblem(i, "size", 0.4, f"{w}x{h} pixels: {what} than the other pictures"))
    return out

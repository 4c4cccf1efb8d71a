"""Data augmentation on whole batches of tensors, with different random values for every image.

torchvision's ``transforms.v2`` draws ONE set of random parameters per call, so applied to a batch it
would rotate every image of the batch by the same angle, and applied per image it is a Python loop.
Here every step is one batched tensor operation with per-image parameters (the same maths as
``v2.RandomAffine`` / ``RandomHorizontalFlip`` / ``ColorJitter`` / ``RandomErasing``):

- geometry (rotation, translation, zoom) is one ``affine_grid`` + ``grid_sample`` for the batch;
- flips are a ``torch.where`` between the batch and its mirror;
- brightness / contrast / saturation are per-image factors broadcast over the pixels;
- random erasing blanks one rectangle per chosen image with mid-grey.

Random numbers come from a seeded CPU ``torch.Generator`` (saved in checkpoints), so a run is repeatable
and a resumed run continues the same sequence, on any device. The random values are drawn on the CPU and
sent to the pictures' device without waiting for it (``non_blocking``): no pause of the graphics card per batch.

Safe defaults: nothing is on unless asked. Flips in particular are off by default because they change
the meaning of many pictures (digits, letters, arrows, left/right body parts); turn them on for photos of
things that look the same mirrored.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F

from ..errors import EngineError

PADDINGS = ("zeros", "border", "reflection")


class AugmentError(EngineError):
    """Augmentation settings out of range."""


@dataclass(frozen=True)
class AugmentSettings:
    hflip: bool = False  # mirror left-right with probability 0.5
    vflip: bool = False  # mirror top-bottom with probability 0.5
    rotation: float = 0.0  # degrees: uniform in [-rotation, +rotation]
    translate: float = 0.0  # fraction of width/height: uniform shift in [-translate, +translate]
    scale_min: float = 1.0  # zoom factor range (crop/zoom): < 1 zooms out, > 1 zooms in
    scale_max: float = 1.0
    brightness: float = 0.0  # factor uniform in [1 - b, 1 + b]
    contrast: float = 0.0
    saturation: float = 0.0  # colour images only
    erasing: float = 0.0  # probability of blanking a random rectangle (2-20% of the picture)
    padding: str = "zeros"  # what shows where a shifted/rotated picture leaves a gap: zeros (black), border, reflection

    def __post_init__(self) -> None:
        for name in ("rotation", "translate", "brightness", "contrast", "saturation", "erasing"):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or isinstance(v, bool) or v < 0:
                raise AugmentError(f"augmentation '{name}' must be a number of at least 0, not {v!r}")
        if self.rotation > 180:
            raise AugmentError("rotation is in degrees and can be at most 180")
        if self.translate > 0.5:
            raise AugmentError("translate is a fraction of the picture size and can be at most 0.5")
        if self.erasing > 1:
            raise AugmentError("erasing is a probability and can be at most 1")
        if not 0.1 <= self.scale_min <= self.scale_max <= 10:
            raise AugmentError("zoom needs 0.1 <= scale_min <= scale_max <= 10")
        for name in ("brightness", "contrast", "saturation"):
            if getattr(self, name) > 1:
                raise AugmentError(f"{name} can be at most 1")
        if self.padding not in PADDINGS:
            raise AugmentError(f"padding must be one of {', '.join(PADDINGS)}")

    @property
    def enabled(self) -> bool:
        return self != AugmentSettings(padding=self.padding)

    @property
    def geometric(self) -> bool:
        return self.rotation > 0 or self.translate > 0 or self.scale_min != 1 or self.scale_max != 1

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict) -> "AugmentSettings":
        if not isinstance(d, dict):
            raise AugmentError("augmentation settings must be a JSON object")
        unknown = set(d) - set(cls.__dataclass_fields__)
        if unknown:
            raise AugmentError(f"unknown augmentation setting(s): {', '.join(sorted(unknown))}")
        return cls(**d)


def _uniform(n: int, lo: float, hi: float, gen: torch.Generator) -> torch.Tensor:
    return torch.rand(n, generator=gen) * (hi - lo) + lo


class Augmenter:
    """``aug(batch)`` for a float batch in [0, 1] of shape (N, C, H, W), on any device."""

    def __init__(self, settings: AugmentSettings, generator: torch.Generator | None = None):
        self.settings = settings
        self.gen = generator if generator is not None else torch.Generator().manual_seed(0)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        s = self.settings
        if not s.enabled:
            return x
        n, c, h, w = x.shape
        dev = x.device
        gen = self.gen
        if s.geometric:
            angle = _uniform(n, -s.rotation, s.rotation, gen) * (math.pi / 180)
            zoom = _uniform(n, s.scale_min, s.scale_max, gen)
            tx = _uniform(n, -s.translate, s.translate, gen) * 2
            ty = _uniform(n, -s.translate, s.translate, gen) * 2
            cos, sin = torch.cos(angle) / zoom, torch.sin(angle) / zoom
            theta = torch.stack([
                torch.stack([cos, -sin * (h / w), tx], 1),
                torch.stack([sin * (w / h), cos, ty], 1),
            ], 1).to(device=dev, dtype=x.dtype, non_blocking=True)
            grid = F.affine_grid(theta, [n, c, h, w], align_corners=False)
            x = F.grid_sample(x.contiguous(), grid, mode="bilinear", padding_mode=s.padding, align_corners=False)
        if s.hflip:
            m = (torch.rand(n, generator=gen) < 0.5).to(dev, non_blocking=True).view(n, 1, 1, 1)
            x = torch.where(m, x.flip(-1), x)
        if s.vflip:
            m = (torch.rand(n, generator=gen) < 0.5).to(dev, non_blocking=True).view(n, 1, 1, 1)
            x = torch.where(m, x.flip(-2), x)
        if s.brightness > 0:
            f = _uniform(n, 1 - s.brightness, 1 + s.brightness, gen).to(dev, x.dtype, non_blocking=True).view(n, 1, 1, 1)
            x = (x * f).clamp_(0, 1)
        if s.contrast > 0:
            f = _uniform(n, 1 - s.contrast, 1 + s.contrast, gen).to(dev, x.dtype, non_blocking=True).view(n, 1, 1, 1)
            grey = _grey(x).mean(dim=(1, 2, 3), keepdim=True)
            x = ((x - grey) * f + grey).clamp_(0, 1)
        if s.saturation > 0 and c == 3:
            f = _uniform(n, 1 - s.saturation, 1 + s.saturation, gen).to(dev, x.dtype, non_blocking=True).view(n, 1, 1, 1)
            grey = _grey(x)
            x = ((x - grey) * f + grey).clamp_(0, 1)
        if s.erasing > 0:
            x = self._erase(x)
        return x

    def _erase(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        gen = self.gen
        apply = torch.rand(n, generator=gen) < self.settings.erasing
        area = _uniform(n, 0.02, 0.2, gen) * (h * w)
        log_ratio = _uniform(n, math.log(0.3), math.log(3.3), gen)
        ratio = torch.exp(log_ratio)
        eh = torch.sqrt(area * ratio).round().clamp(1, h)
        ew = torch.sqrt(area / ratio).round().clamp(1, w)
        y0 = (torch.rand(n, generator=gen) * (h - eh + 1)).floor()
        x0 = (torch.rand(n, generator=gen) * (w - ew + 1)).floor()
        dev = x.device
        yy = torch.arange(h, device=dev).view(1, h, 1)
        xx = torch.arange(w, device=dev).view(1, 1, w)
        y0, x0, eh, ew, apply = (t.to(dev, non_blocking=True) for t in (y0, x0, eh, ew, apply))
        mask = ((yy >= y0.view(n, 1, 1)) & (yy < (y0 + eh).view(n, 1, 1))
                & (xx >= x0.view(n, 1, 1)) & (xx < (x0 + ew).view(n, 1, 1)) & apply.view(n, 1, 1))
        return x.masked_fill(mask.unsqueeze(1), 0.5)


def _grey(x: torch.Tensor) -> torch.Tensor:
    if x.shape[1] == 3:
        return (0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3])
    return x

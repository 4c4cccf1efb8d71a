"""How a picture becomes the model's input: resize, channels, normalisation.

The settings are a small frozen :class:`Preprocess` stored with every run and inside every exported
model bundle, so prediction does exactly what training did. Two steps, kept apart on purpose:

1. :func:`image_to_uint8` decodes and resizes ONE image to a ``(C, H, W)`` uint8 tensor. Training does
   this once per image (the result is cached); prediction does it per picture.
2. :func:`normalize` turns a ``(N, C, H, W)`` uint8 (or [0, 1] float) batch into float32 model input.

Resize modes
  ``squash``       stretch to ``width x height`` (aspect ratio not kept; nothing cut off).
  ``center_crop``  scale so the picture covers the target, then cut the middle out (keeps aspect ratio).
  ``letterbox``    scale so the whole picture fits, pad the rest with black (keeps aspect ratio).

Normalisation
  ``unit``      pixel / 255, i.e. [0, 1].
  ``dataset``   (pixel / 255 - mean) / std with per-channel mean and std measured on the training split
                (:func:`cnnstudio.engine.data.prepare.resolve_preprocess` fills them in before training).
  ``imagenet``  the ImageNet mean / std that pretrained torchvision backbones expect
                (their average for grey pictures).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, replace
from typing import Any

import torch
from PIL import Image

from ...project import imaging
from ..errors import EngineError

RESIZE_MODES = ("squash", "center_crop", "letterbox")
NORMALIZATIONS = ("unit", "dataset", "imagenet")
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)

_RESAMPLE = Image.Resampling.BILINEAR  # Pillow's resize filters antialias when shrinking


class PreprocessError(EngineError):
    """Preprocessing settings that make no sense (unknown mode, bad size...)."""


@dataclass(frozen=True)
class Preprocess:
    height: int = 28
    width: int = 28
    channels: int = 1  # 1 grey, 3 RGB
    resize: str = "squash"  # "squash" | "center_crop" | "letterbox"
    normalization: str = "unit"  # "unit" ([0,1]) | "dataset" (mean/std of the train split) | "imagenet"
    mean: tuple[float, ...] = (0.0,)
    std: tuple[float, ...] = (1.0,)

    def __post_init__(self) -> None:
        for name in ("height", "width"):  # the one rule of the design check and the Model page's Input tab
            problem = imaging.input_side_problem(name, getattr(self, name))
            if problem:
                raise PreprocessError(problem)
        if self.channels not in imaging.INPUT_CHANNELS:
            raise PreprocessError(f"channels must be 1 (grey) or 3 (colour), not {self.channels!r}")
        if self.resize not in RESIZE_MODES:
            raise PreprocessError(f"unknown resize mode {self.resize!r}: use {', '.join(RESIZE_MODES)}")
        if self.normalization not in NORMALIZATIONS:
            raise PreprocessError(
                f"unknown normalisation {self.normalization!r}: use {', '.join(NORMALIZATIONS)}")
        object.__setattr__(self, "mean", tuple(float(m) for m in self.mean))
        object.__setattr__(self, "std", tuple(float(s) for s in self.std))
        for name in ("mean", "std"):
            if len(getattr(self, name)) not in (1, self.channels):
                raise PreprocessError(f"{name} needs 1 or {self.channels} values, not {len(getattr(self, name))}")
        if any(not s > 0 for s in self.std):
            raise PreprocessError("every std value must be above zero")

    # -------------------------------------------------------------- JSON
    def to_json(self) -> dict:
        d = asdict(self)
        d["mean"] = list(self.mean)
        d["std"] = list(self.std)
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Preprocess":
        if not isinstance(d, dict):
            raise PreprocessError("preprocessing settings must be a JSON object")
        known = {"height", "width", "channels", "resize", "normalization", "mean", "std"}
        unknown = set(d) - known
        if unknown:
            raise PreprocessError(f"unknown preprocessing setting(s): {', '.join(sorted(unknown))}")
        kw = dict(d)
        for k in ("mean", "std"):
            if k in kw:
                kw[k] = tuple(kw[k])
        return cls(**kw)

    # -------------------------------------------------------------- derived
    @property
    def input_shape(self) -> tuple[int, int, int]:
        """``(C, H, W)``"""
        return (self.channels, self.height, self.width)

    def effective_mean_std(self) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """The per-channel mean and std :func:`normalize` applies (length ``channels``)."""
        c = self.channels
        if self.normalization == "unit":
            return (0.0,) * c, (1.0,) * c
        if self.normalization == "imagenet":
            if c == 1:
                return (sum(IMAGENET_MEAN) / 3,), (sum(IMAGENET_STD) / 3,)
            return IMAGENET_MEAN, IMAGENET_STD
        mean = self.mean * c if len(self.mean) == 1 else self.mean
        std = self.std * c if len(self.std) == 1 else self.std
        return mean, std

    def decode_key(self) -> str:
        """What decoding depends on (not normalisation): names the tensor cache."""
        return f"{self.resize}-{self.channels}x{self.height}x{self.width}"

    def with_stats(self, mean, std) -> "Preprocess":
        return replace(self, mean=tuple(mean), std=tuple(std))


# ------------------------------------------------------------------ one image -> uint8 tensor
def _resize(im: Image.Image, pp: Preprocess) -> Image.Image:
    w, h = pp.width, pp.height
    if im.size == (w, h):
        return im
    if pp.resize == "squash":
        return im.resize((w, h), _RESAMPLE)
    sw, sh = im.size
    if pp.resize == "center_crop":
        scale = max(w / sw, h / sh)
        nw, nh = max(w, round(sw * scale)), max(h, round(sh * scale))
        im = im.resize((nw, nh), _RESAMPLE)
        left, top = (nw - w) // 2, (nh - h) // 2
        return im.crop((left, top, left + w, top + h))
    # letterbox
    scale = min(w / sw, h / sh)
    nw, nh = max(1, min(w, round(sw * scale))), max(1, min(h, round(sh * scale)))
    im = im.resize((nw, nh), _RESAMPLE)
    canvas = Image.new(im.mode, (w, h), 0)
    canvas.paste(im, ((w - nw) // 2, (h - nh) // 2))
    return canvas


def image_to_uint8(image_or_path: Image.Image | str | os.PathLike, pp: Preprocess) -> torch.Tensor:
    """Decode (if a path) and resize one picture to a ``(C, H, W)`` uint8 tensor.

    Files are read through :func:`cnnstudio.project.imaging.open_normalised`, the same rules as import
    (EXIF rotation, CMYK, 16-bit, transparency on white); raises ``ImageRejected`` for unreadable files.
    A PIL image given directly gets the same normalisation.
    """
    if isinstance(image_or_path, Image.Image):
        im = imaging.normalise(image_or_path)
    else:
        im = imaging.open_normalised(image_or_path)
    im = im.convert("L" if pp.channels == 1 else "RGB")
    im = _resize(im, pp)
    data = torch.frombuffer(bytearray(im.tobytes()), dtype=torch.uint8)
    return data.view(pp.height, pp.width, pp.channels).permute(2, 0, 1).contiguous()


# ------------------------------------------------------------------ batch -> float input
def normalize(batch: torch.Tensor, pp: Preprocess) -> torch.Tensor:
    """``(N, C, H, W)`` uint8 (0..255) or float (0..1) -> float32 model input. Keeps the memory format.

    A ``(C, H, W)`` single image is accepted and returned as a batch of one.
    """
    if batch.dim() == 3:
        batch = batch.unsqueeze(0)
    if batch.dim() != 4 or batch.shape[1] != pp.channels:
        raise PreprocessError(
            f"expected a batch of shape (N, {pp.channels}, H, W), got {tuple(batch.shape)}")
    mean, std = pp.effective_mean_std()
    to_unit = 1.0 / 255.0 if batch.dtype == torch.uint8 else 1.0
    x = batch.to(torch.float32)
    if pp.normalization == "unit":
        return x.mul_(to_unit) if to_unit != 1.0 else (x if x is not batch else x.clone())
    scale = torch.tensor([to_unit / s for s in std], dtype=torch.float32, device=x.device).view(1, -1, 1, 1)
    shift = torch.tensor([-m / s for m, s in zip(mean, std)], dtype=torch.float32, device=x.device).view(1, -1, 1, 1)
    if x is batch:
        x = x.clone()
    return x.mul_(scale).add_(shift)

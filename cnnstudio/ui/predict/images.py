"""Picture helpers of the Predict page: a picture file read at a small size, and the Grad-CAM overlay."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from ...project.imaging import ImageRejected
from ..picture_image import for_screen, picture_image, screen_ratio


def read_scaled(path: str | Path, side: int, ratio: float | None = None) -> QImage:
    """A picture file read at most ``side`` logical pixels wide/high as CNN Studio reads it (upright, transparency on
    white, AVIF too: :func:`~cnnstudio.ui.picture_image.picture_image`), sharp on a screen of device pixel ratio
    ``ratio`` (the application's when None: a list icon made from it is sharp on its highest-ratio screen); a null
    QImage when it cannot be read."""
    try:
        return picture_image(path, side, screen_ratio() if ratio is None else ratio)
    except ImageRejected:
        return QImage()


def list_icon(path: str | Path, side: int, ratio: float) -> QImage:
    """A list row's thumbnail: the picture filling a ``side`` box (a 28 x 28 picture enlarged, its pixels kept sharp,
    as the detail view shows it), so that every row's text starts at the same place; null when it cannot be read.
    Safe in a worker thread (a QImage, no pixmap)."""
    image = read_scaled(path, side, ratio)
    if image.isNull():
        return image
    if max(image.width(), image.height()) / max(image.devicePixelRatio(), 1e-6) < side:
        return for_screen(image, side, side, ratio, Qt.TransformationMode.FastTransformation)
    return image


def overlay_image(picture: np.ndarray, heat: np.ndarray, strength: float = 0.55) -> np.ndarray:
    """Blend a [0, 1] map over an (H, W, 3) uint8 picture with a heat colour map (for the Grad-CAM toggle)."""
    cmap = pg.colormap.get("inferno")
    colours = cmap.map(np.clip(heat, 0, 1), mode="byte")[..., :3].astype(np.float32)
    a = (strength * np.clip(heat, 0, 1))[..., None]
    return (picture.astype(np.float32) * (1 - a) + colours * a).round().clip(0, 255).astype(np.uint8)

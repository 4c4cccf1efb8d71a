"""Picture helpers of the Predict page: a picture file read at a small size, and the Grad-CAM overlay."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QImageReader


def read_scaled(path: str | Path, side: int) -> QImage:
    """A picture file read at most ``side`` pixels wide/high (JPEGs decode at the smaller size directly)."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > side:
        reader.setScaledSize(size.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()


def overlay_image(picture: np.ndarray, heat: np.ndarray, strength: float = 0.55) -> np.ndarray:
    """Blend a [0, 1] map over an (H, W, 3) uint8 picture with a heat colour map (for the Grad-CAM toggle)."""
    cmap = pg.colormap.get("inferno")
    colours = cmap.map(np.clip(heat, 0, 1), mode="byte")[..., :3].astype(np.float32)
    a = (strength * np.clip(heat, 0, 1))[..., None]
    return (picture.astype(np.float32) * (1 - a) + colours * a).round().clip(0, 255).astype(np.uint8)

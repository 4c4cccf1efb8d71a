"""A picture file as a QImage of at most N pixels a side, the way CNN Studio reads it: the one helper every view of
a user's picture file uses (the Data page's preview, the Predict page's list icons and large view).

It shows what the model sees: the pixels come from the project's own Pillow path (:mod:`cnnstudio.project.imaging`:
EXIF rotation applied, transparency on white, CMYK and 16-bit converted, AVIF where that Pillow reads it, its one
size rule), never from Qt's image plugins (which ignore some of that, have no AVIF, and refuse a photo over 256 MB
of pixels). A JPEG is decoded reduced by its decoder (``Image.draft``, in :func:`~cnnstudio.project.imaging.decode`) when a
small image is asked for, so a 75 megapixel photo makes a list icon fast. A file that cannot be read raises
:class:`~cnnstudio.project.imaging.ImageRejected`, whose sentence is imaging's own.
"""

from __future__ import annotations

import os

from PIL import Image
from PySide6.QtGui import QImage

from ..project import imaging


def cannot_show(error: imaging.ImageRejected) -> str:
    """The one sentence shown where a picture that cannot be read would be."""
    return f"This picture cannot be shown: {str(error).rstrip('.')}."


def to_qimage(im: Image.Image) -> QImage:
    """A normalised ("L" or "RGB") Pillow image as a QImage that owns its pixels."""
    if im.mode == "L":
        return QImage(im.tobytes(), im.width, im.height, im.width, QImage.Format.Format_Grayscale8).copy()
    rgb = im if im.mode == "RGB" else im.convert("RGB")
    return QImage(rgb.tobytes(), rgb.width, rgb.height, 3 * rgb.width, QImage.Format.Format_RGB888).copy()


def picture_image(path: str | os.PathLike, side: int) -> QImage:
    """``path`` as CNN Studio reads it, scaled down to at most ``side`` px wide and high (never scaled up).

    Raises :class:`~cnnstudio.project.imaging.ImageRejected` with the reason it cannot be read."""
    im = imaging.open_normalised(path, side)  # a JPEG decoded reduced by its decoder
    if max(im.size) > side:
        im.thumbnail((side, side), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return to_qimage(im)

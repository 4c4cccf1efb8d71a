"""A picture file as a QImage of at most N pixels a side, the way CNN Studio reads it: the one helper every view of
a user's picture file uses (the Data page's preview, the Predict page's list icons and large view).

It shows what the model sees: the pixels come from the project's own Pillow path (:mod:`cnnstudio.project.imaging`:
EXIF rotation applied, transparency on white, CMYK and 16-bit converted, AVIF where that Pillow reads it, its one
size rule), never from Qt's image plugins (which ignore some of that, have no AVIF, and refuse a photo over 256 MB
of pixels). A JPEG is decoded reduced by its decoder (``Image.draft``) when a small image is asked for, so a 75
megapixel photo makes a list icon fast. A file that cannot be read raises
:class:`~cnnstudio.project.imaging.ImageRejected`, whose sentence is imaging's own (read again through
:func:`~cnnstudio.project.imaging.open_normalised`, so the reasons have one source).
"""

from __future__ import annotations

import os

from PIL import Image
from PySide6.QtGui import QImage

from ..project import imaging

_DRAFT_FORMATS = ("JPEG", "MPO")  # what Pillow's draft() decodes reduced


def _reduced(path: str | os.PathLike, side: int) -> Image.Image:
    """The normalised picture: a JPEG decoded reduced (its sides still ``side`` px or more), any other kind whole;
    raises anything Pillow raises (the caller then asks imaging why)."""
    with Image.open(path) as im:
        refused = imaging.size_refusal(im.width, im.height, im.format or "")
        if refused:
            raise imaging.ImageRejected(refused)
        if im.format in _DRAFT_FORMATS:
            im.draft(None, (side, side))  # a scale of 1/2..1/8 that keeps both sides >= side
        im.load()
        out = imaging.normalise(im)
        out.load()
        return out


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
    try:
        im = _reduced(path, side)
    except imaging.ImageRejected:
        raise
    except Exception:  # noqa: BLE001 - any failure: imaging's own decode says why, in its words
        im = imaging.open_normalised(path)  # raises ImageRejected; a file that reads there is shown
    if max(im.size) > side:
        im.thumbnail((side, side), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return to_qimage(im)

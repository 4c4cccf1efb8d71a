"""A picture file as a QImage of at most N pixels a side, the way CNN Studio reads it: the one helper every view of
a user's picture file uses (the Data page's preview, the Predict page's list icons and large view).

It shows what the model sees: the pixels come from the project's own Pillow path (:mod:`cnnstudio.project.imaging`:
EXIF rotation applied, transparency on white, CMYK and 16-bit converted, AVIF where that Pillow reads it, its one
size rule), never from Qt's image plugins (which ignore some of that, have no AVIF, and refuse a photo over 256 MB
of pixels). A JPEG is decoded reduced by its decoder (``Image.draft``, in :func:`~cnnstudio.project.imaging.decode`) when a
small image is asked for, so a 75 megapixel photo makes a list icon fast. A file that cannot be read raises
:class:`~cnnstudio.project.imaging.ImageRejected`, whose sentence is imaging's own.

On a screen that scales by a device pixel ratio (``QT_SCALE_FACTOR``, a 200 % display) a picture is read and scaled
to its box's size times that ratio and tagged with it (``QImage.setDevicePixelRatio``): it takes the same room as at
100 %, drawn with every pixel the screen has instead of enlarged and soft. :func:`drawn_ratio` is that rule for a
picture that is never scaled up, :func:`for_screen` for one scaled to fill its box (a thumbnail); :func:`screen_ratio`
says a widget's ratio and :func:`device_size` how many pixels a box of logical pixels holds.
"""

from __future__ import annotations

import os

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QWidget

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


def screen_ratio(widget: QWidget | None = None) -> float:
    """The device pixel ratio ``widget`` is drawn at (its screen's), or the application's (its highest screen's)."""
    return widget.devicePixelRatioF() if widget is not None else QGuiApplication.instance().devicePixelRatio()


def device_size(width: int, height: int, ratio: float) -> tuple[int, int]:
    """The device pixels of a box ``width`` x ``height`` logical pixels on a screen of device pixel ratio ``ratio``
    (a 200 % screen: twice as many each way): what a picture drawn in that box is scaled to fit."""
    return max(1, round(width * ratio)), max(1, round(height * ratio))


def drawn_ratio(longest: int, side: int, ratio: float) -> float:
    """The device pixel ratio that a picture ``longest`` pixels on its longer side, scaled down to at most
    ``side * ratio``, is drawn at: it covers as many logical pixels as at ratio 1 (``min(longest, side)``), so a
    picture smaller than ``side`` keeps 1 (drawn as it was, never smaller) and one larger than ``side * ratio`` gets
    ``ratio``."""
    if longest <= side or ratio <= 1:
        return 1.0
    return min(longest, side * ratio) / side


def picture_image(path: str | os.PathLike, side: int, ratio: float = 1.0) -> QImage:
    """``path`` as CNN Studio reads it, scaled down to at most ``side`` logical pixels wide and high (never scaled
    up) on a screen of device pixel ratio ``ratio``: read at up to ``side * ratio`` pixels and tagged with
    :func:`drawn_ratio`.

    Raises :class:`~cnnstudio.project.imaging.ImageRejected` with the reason it cannot be read."""
    most = max(1, round(side * max(ratio, 1.0)))
    im = imaging.open_normalised(path, most)  # a JPEG decoded reduced by its decoder
    longest = max(im.size)
    if longest > most:
        im.thumbnail((most, most), Image.Resampling.LANCZOS, reducing_gap=3.0)
    image = to_qimage(im)
    image.setDevicePixelRatio(drawn_ratio(longest, side, ratio))
    return image


def for_screen(image: QImage, width: int, height: int, ratio: float,
               how: Qt.TransformationMode = Qt.TransformationMode.SmoothTransformation) -> QImage:
    """``image`` scaled (up or down, keeping its aspect) to fill a box of ``width`` x ``height`` logical pixels on a
    screen of device pixel ratio ``ratio``: ``ratio`` times as many pixels, tagged with ``ratio``. ``how``: Qt's
    FastTransformation keeps a small picture's pixels sharp."""
    out = image.scaled(*device_size(width, height, ratio), Qt.AspectRatioMode.KeepAspectRatio, how)
    out.setDevicePixelRatio(ratio)
    return out

"""Sizes that follow the application font: the one rule for a text drawn larger or smaller than the body text,
and for a row that holds lines of text.

A size written in pixels ("font-size: 15px") stays 15 px when the user chooses a larger font (the system's text
size, or ``QApplication.setFont``), so a headline meant to stand out ends smaller than the text beside it. A page
says instead how much larger than the body text a text is (:data:`LARGER`: a quarter larger), and :func:`font_px`
turns that into pixels of the application font as it is now. At the default font (9 pt, 12 px at 96 dpi) the sizes
are the pixels the pages used before (:data:`LARGER` 15 px, :data:`LARGEST` 18 px, :data:`SMALLER` 11 px). Under
``QT_SCALE_FACTOR`` these are logical pixels, scaled by Qt like every other size.

A row that shows two lines of text (a score over its range, a finding's first words) asks :func:`lines_height` for
its height in the widget's own font, rather than the style's default row height (30 px, two lines of the default
font and one of a font half as large again).
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontInfo
from PySide6.QtWidgets import QApplication, QWidget

SMALLER = 11 / 12  # a hint under a setting: 11 px at the default font
LARGER = 1.25  # a headline, the step list, an empty page's sentence: 15 px at the default font
LARGEST = 1.5  # the predicted class: 18 px at the default font
ROW_MARGIN = 2  # what a table row adds to its lines: the grid line and a pixel of air (30 px for two default lines)


def body_px(font: QFont | None = None) -> int:
    """The pixel size of ``font`` (the application font when None), however it was set (points or pixels)."""
    return QFontInfo(font if font is not None else QApplication.font()).pixelSize()


def font_px(scale: float, font: QFont | None = None) -> int:
    """``scale`` times the application font's pixel size (of ``font`` when given), in whole pixels (at least 1)."""
    return max(1, round(body_px(font) * scale))


def font_css(scale: float) -> str:
    """A style sheet's ``font-size`` for a text ``scale`` times the application font: "font-size: 15px"."""
    return f"font-size: {font_px(scale)}px"


def scaled_font(font: QFont, scale: float) -> QFont:
    """A copy of ``font`` at ``scale`` times the application font's size (as :func:`font_css` sets it)."""
    f = QFont(font)
    f.setPixelSize(font_px(scale))
    return f


def lines_height(widget: QWidget, lines: int, margin: int = ROW_MARGIN) -> int:
    """The height of ``lines`` lines of ``widget``'s font, plus ``margin``: a row that shows them whole."""
    return lines * widget.fontMetrics().lineSpacing() + margin

"""A one-line label that gives way: narrower than its text, it ends in "…" (the whole text in its tooltip)
instead of pushing the window wider or being cut. It asks for its whole text's width, and for little room at
the least (``minimum_width``), so a layout shortens it only when the window is small.

Names are cut in the middle, the one rule of every place that shows a run's name (:data:`NAME_ELIDE`,
:func:`elide_name`): runs named alike differ at their end ("run 2026-12-03 08:01 default lr 0.001 …" and "… lr
0.01 …"), which a cut at the end hides. :class:`ElidedLabel` (``mode=NAME_ELIDE``), the runs table's name cells
(:class:`NameDelegate`, on two lines) and the run boxes (:class:`NameComboBox`) keep a name's start and end, the
whole name in the tooltip."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel

NAME_ELIDE = Qt.TextElideMode.ElideMiddle  # a name keeps its start and its end: where runs named alike differ


def wrapped_lines(font: QFont, text: str, width: int) -> int:
    """How many lines ``text`` takes wrapped at ``width`` pixels, as an item view wraps a cell's words."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    count = 0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        count += 1
    layout.endLayout()
    return count


def elide_name(font: QFont, text: str, width: int, lines: int = 1) -> str:
    """``text`` whole when it fits ``lines`` lines of ``width`` pixels, else cut in the middle ("run 2026-12-03
    08:01 d…lr 0.001 batch 32") as little as makes it fit."""
    from PySide6.QtGui import QFontMetrics

    if width <= 0 or wrapped_lines(font, text, width) <= lines:
        return text
    metrics = QFontMetrics(font)
    if lines <= 1:
        return metrics.elidedText(text, NAME_ELIDE, width)
    low, high = width, lines * width  # the widest cut text that still wraps to ``lines`` lines
    best = metrics.elidedText(text, NAME_ELIDE, width)
    while low <= high:
        middle = (low + high) // 2
        cut = metrics.elidedText(text, NAME_ELIDE, middle)
        if wrapped_lines(font, cut, width) <= lines:
            best, low = cut, middle + 1
        else:
            high = middle - 1
    return best


class ElidedLabel(QLabel):
    def __init__(self, text: str = "", parent=None, minimum_width: int = 40, tooltip: bool = True,
                 mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight):
        super().__init__(parent)
        self._mode = mode  # NAME_ELIDE for a name
        self._full = ""
        self._minimum_width = minimum_width
        self._tooltip = tooltip  # False: the tooltip is someone else's (a layer card's)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - QLabel's name
        self._full = text
        self.updateGeometry()
        self._elide()

    def text(self) -> str:  # the whole text; what is painted may end in "…"
        return self._full

    def shown_text(self) -> str:
        return super().text()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        m = self.contentsMargins()
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + m.left() + m.right() + 2,
                     super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(min(self._minimum_width, self.sizeHint().width()), super().minimumSizeHint().height())

    def resizeEvent(self, ev) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(ev)
        self._elide()

    def _elide(self) -> None:
        m = self.contentsMargins()
        room = max(1, self.width() - m.left() - m.right())
        shown = self.fontMetrics().elidedText(self._full, self._mode, room)
        if shown != super().text():
            super().setText(shown)
        if self._tooltip:
            self.setToolTip(self._full if shown != self._full else "")

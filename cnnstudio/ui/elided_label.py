"""A one-line label that gives way: narrower than its text, it ends in "…" (the whole text in its tooltip)
instead of pushing the window wider or being cut. It asks for its whole text's width, and for little room at
the least (``minimum_width``), so a layout shortens it only when the window is small."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel


class ElidedLabel(QLabel):
    def __init__(self, text: str = "", parent=None, minimum_width: int = 40, tooltip: bool = True):
        super().__init__(parent)
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
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, room)
        if shown != super().text():
            super().setText(shown)
        if self._tooltip:
            self.setToolTip(self._full if shown != self._full else "")

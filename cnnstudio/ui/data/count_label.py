"""The gallery's picture count (gallery_view.GalleryPanel): a one-line label that, in a narrow window, drops its
noun before it cuts a number."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel

from ..elided_label import ElidedLabel


class CountLabel(ElidedLabel):
    """The gallery's count, "7 of 1,804 pictures": narrower than that it drops the noun ("7 of 1,804") before it
    cuts anything, so the numbers stay whole; only narrower still does it end in "…". The whole text is its
    tooltip whenever less is shown."""

    def set_count(self, text: str, short: str) -> None:
        self._short = short
        self.setText(text)

    def _short_width(self) -> int:
        m = self.contentsMargins()
        return self.fontMetrics().horizontalAdvance(getattr(self, "_short", "")) + m.left() + m.right() + 2

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), min(self._short_width(), self.sizeHint().width())), hint.height())

    def _elide(self) -> None:
        short = getattr(self, "_short", "")
        if not short or self.width() >= self.sizeHint().width():
            super()._elide()
            return
        m = self.contentsMargins()
        shown = self.fontMetrics().elidedText(short, Qt.TextElideMode.ElideRight, max(1, self.width() - m.left()
                                                                                       - m.right()))
        if shown != self.shown_text():
            QLabel.setText(self, shown)
        self.setToolTip(self.text())

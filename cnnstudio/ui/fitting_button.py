"""A push button with a long text and a short one: it shows the long one where it fits and the short one in a
narrow window (1024 px wide), rather than a text cut at both ends ("better settings (15 min")."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QPushButton, QStyle, QStyleOptionButton


class FittingButton(QPushButton):
    def __init__(self, long_text: str, short_text: str, parent=None):
        super().__init__(long_text, parent)
        self.long_text, self.short_text = long_text, short_text

    def _needed(self, text: str) -> int:
        """The width the style wants for ``text`` (the style sheet's padding and font included)."""
        opt = QStyleOptionButton()
        self.initStyleOption(opt)
        opt.text = text
        size = self.fontMetrics().size(0, text)
        return self.style().sizeFromContents(QStyle.ContentsType.CT_PushButton, opt, size, self).width()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name: the layout may shrink it to the short text
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self._needed(self.short_text)), hint.height())

    def resizeEvent(self, ev) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(ev)
        text = self.long_text if self.width() >= self._needed(self.long_text) else self.short_text
        if text != self.text():
            self.setText(text)

"""A push button with a long text and a short one: it shows the long one where it fits and the short one where
the layout squeezes it, rather than a text cut at both ends ("better settings (15 min")."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QPushButton, QSizePolicy, QStyle, QStyleOptionButton


class FittingButton(QPushButton):
    def __init__(self, long_text: str, short_text: str, parent=None):
        super().__init__(long_text, parent)
        self.long_text, self.short_text = long_text, short_text
        # Preferred: a layout may give it less than it wants, down to the short text (a push button's Minimum
        # policy would hold it at its text's width, whichever text)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def _needed(self, text: str) -> int:
        """The width the style wants for ``text`` (the style sheet's padding and font included)."""
        opt = QStyleOptionButton()
        self.initStyleOption(opt)
        opt.text = text
        size = self.fontMetrics().size(0, text)
        return self.style().sizeFromContents(QStyle.ContentsType.CT_PushButton, opt, size, self).width()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name: it always wants the long text, so it gets it back
        hint = super().sizeHint()
        return QSize(max(hint.width(), self._needed(self.long_text)), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name: the layout may shrink it to the short text
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self._needed(self.short_text)), hint.height())

    def resizeEvent(self, ev) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(ev)
        text = self.long_text if self.width() >= self._needed(self.long_text) else self.short_text
        if text != self.text():
            self.setText(text)

"""The Predict page's list of predicted pictures: it takes dropped files and shows a hint while it is empty."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QListWidget

from ..drop import DropMixin

ICON = 56  # the side of a row's thumbnail


class DropList(DropMixin, QListWidget):
    """The list of predicted pictures; dropping files on it predicts them."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setIconSize(QSize(ICON, ICON))
        self.setSpacing(2)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.hint = "Drop pictures here\nor paste one (Ctrl+V)"

    def paintEvent(self, event):  # noqa: N802 - the empty state
        super().paintEvent(event)
        if self.count() == 0:
            from PySide6.QtGui import QPainter

            p = QPainter(self.viewport())
            p.setPen(self.palette().placeholderText().color())
            f = p.font()
            f.setPointSize(f.pointSize() + 3)
            p.setFont(f)
            p.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, self.hint)
            p.end()

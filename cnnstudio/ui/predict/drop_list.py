"""The Predict page's list of predicted pictures: it takes dropped files and shows a hint while it is empty; the
drop handling that remembers which files of a drag it refused (:class:`PredictDrop`, the page's too)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QStyledItemDelegate

from ..drop import DropMixin

ICON = 56  # the side of a row's thumbnail


class PredictDrop(DropMixin):
    """A :class:`~cnnstudio.ui.drop.DropMixin` that keeps the files the last drag refused (``{"path", "reason"}``
    each) in ``refused``, so ``on_drop_refused`` can name them where the user dropped them."""

    refused: list[dict] = []

    def _drop_paths(self, event):
        accepted, rejected = super()._drop_paths(event)
        self.refused = rejected
        return accepted, rejected


class FitWidth(QStyledItemDelegate):
    """Rows no wider than the list: a long file name is shortened in the middle ("IMG_20…_0042.jpg"), never a
    horizontal scroll bar."""

    def sizeHint(self, option, index):  # noqa: N802 - Qt name
        hint = super().sizeHint(option, index)
        return QSize(min(hint.width(), self.parent().viewport().width()), hint.height())


class DropList(PredictDrop, QListWidget):
    """The list of predicted pictures; dropping files on it predicts them."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setIconSize(QSize(ICON, ICON))
        self.setSpacing(2)
        self.setItemDelegate(FitWidth(self))
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)  # rows follow the list's width
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

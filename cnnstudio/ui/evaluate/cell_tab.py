"""The Evaluate page's "Pictures of a cell" tab: a title and the pictures of the confusion-matrix cell clicked, as
thumbnails with their confidence, the surest first (:meth:`CellTab.show`; the page's
:meth:`~.evaluate_page.EvaluatePage.show_cell` asks for it)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QListView, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ...engine.use.figures import probability_percent
from ..keyboard import tab_leaves
from .cell_words import cell_title, picture_tip

NO_CELL = "Click a cell of the confusion matrix to see its pictures."


class CellTab(QWidget):
    def __init__(self, thumb: int, open_picture, parent=None):
        """``thumb``: the thumbnails' side; ``open_picture(image id)``: a double-click or Enter on a picture."""
        super().__init__(parent)
        self.title = QLabel(NO_CELL)
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)  # cell_words.cell_title: a bold count, escaped names
        self.list = QListWidget()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(thumb, thumb))
        self.list.setGridSize(QSize(thumb + 24, thumb + 28))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setUniformItemSizes(True)
        self.list.setToolTip("Double-click a picture to see it large.")
        self.list.setAccessibleName("Pictures of a cell")
        tab_leaves(self.list)
        for sig in (self.list.itemDoubleClicked, self.list.itemActivated):  # a double-click or Enter
            sig.connect(lambda item: open_picture(item.data(Qt.ItemDataRole.UserRole)))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.title)
        lay.addWidget(self.list, 1)

    def clear(self) -> None:
        self.list.clear()
        self.title.setText(NO_CELL)

    def show(self, predictions: list[dict], true: str, predicted: str, request_thumb) -> list[int]:
        """List the pictures of the cell (``true``, ``predicted``) among ``predictions``, the surest first, each
        with its confidence; ``request_thumb(image id, item)`` loads its thumbnail. Returns their ids."""
        preds = [x for x in predictions if x["true"] == true and x["predicted"] == predicted]
        preds.sort(key=lambda x: -x["confidence"])
        self.list.clear()
        for x in preds:
            sure = probability_percent(x["confidence"])
            item = QListWidgetItem(sure)
            item.setData(Qt.ItemDataRole.UserRole, x["id"])
            item.setToolTip(picture_tip(true, predicted, sure))
            self.list.addItem(item)
            request_thumb(x["id"], item)
        self.title.setText(cell_title(len(preds), true, predicted))
        return [x["id"] for x in preds]

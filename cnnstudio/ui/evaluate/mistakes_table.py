"""The Evaluate page's table of mistakes: the picture, "true → predicted", the confidence and a relabel button.

Tab leaves it (:func:`~cnnstudio.ui.keyboard.tab_leaves`); a double-click on a row, or Enter on it, emits
``open_picture(row)`` (the page opens that picture's large preview)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget

from ..elided_label import NAME_ELIDE
from ..keyboard import tab_leaves


CONFIDENCE_TIP = ("How sure the model was of its wrong answer. A mistake it was very sure of is often a picture with "
                  "a wrong label.")


class MistakesTable(QTableWidget):
    open_picture = Signal(int)  # a row: double-clicked, or Enter pressed on it

    def __init__(self, thumb: int, parent=None):
        super().__init__(0, 4, parent)
        tab_leaves(self)
        self.setAccessibleName("Mistakes")
        # two-line header: at 1,024 pixels the column is narrow ("True → predicted" was cut to "ue → predicte")
        self.setHorizontalHeaderLabels(["Picture", "True →\npredicted", "Confidence", ""])
        self.verticalHeader().hide()
        self.setTextElideMode(NAME_ELIDE)  # long class names cut in their middle (the one rule), whole in the tooltip
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setIconSize(QSize(thumb, thumb))
        self.verticalHeader().setDefaultSectionSize(thumb + 6)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.horizontalHeaderItem(0).setToolTip("Double-click a picture (or press Enter) to see it large.")
        self.horizontalHeaderItem(1).setToolTip("The picture's label → what the model took it for.")
        self.horizontalHeaderItem(2).setToolTip(CONFIDENCE_TIP)
        header.setMinimumSectionSize(max(header.fontMetrics().horizontalAdvance(w) for w in ("True →", "predicted"))
                                     + 16)
        self.cellDoubleClicked.connect(lambda row, _col: self.open_picture.emit(row))
        self.activated.connect(lambda index: self.open_picture.emit(index.row()))  # Enter (and a platform's click)

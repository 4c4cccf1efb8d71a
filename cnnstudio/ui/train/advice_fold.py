"""The advice of the run that ended (:class:`~cnnstudio.ui.advice_panel.AdvicePanel`) under a one-line header that
folds it away, so that on a small screen it does not squeeze the plots: the header ("What this means: 3 findings (1
important)", :func:`~cnnstudio.ui.train.run_words.advice_header`) always shows; the findings below it, in a scroll
area of limited height, open and close with a click. The Train page decides whether they open when a run ends (open
when the plots keep their room)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton, QVBoxLayout, QWidget

from .run_words import advice_header
from .scrolled import scrolled


class AdviceFold(QWidget):
    def __init__(self, panel, max_height: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.panel = panel
        self.max_height = max_height
        panel.title.hide()  # the header says it
        self.header = QToolButton()
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setCheckable(True)
        self.header.setAutoRaise(True)
        self.header.setStyleSheet("QToolButton { font-weight: bold; }")
        self.header.toggled.connect(self._fold)
        self.area = scrolled(panel, max_height)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.header)
        lay.addWidget(self.area)
        self._fold(False)
        self.hide()

    @property
    def is_open(self) -> bool:
        return self.header.isChecked()

    def open_height(self) -> int:
        """About the pixels it takes open: the header and the findings (at most ``max_height``)."""
        return self.header.sizeHint().height() + min(self.max_height, self.panel.sizeHint().height())

    def show_advice(self, open_: bool) -> None:
        """Show the panel's findings (hidden when it has none): the header, and the findings when ``open_``."""
        items = self.panel.items
        if not items:
            self.hide()
            return
        self.header.setText(advice_header([a.severity for a in items]))
        self.header.setChecked(open_)
        self._fold(open_)
        self.show()

    def _fold(self, open_: bool) -> None:
        self.header.setArrowType(Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow)
        self.header.setToolTip("Hide the findings" if open_ else "Show the findings and what to do about them")
        self.area.setVisible(open_)

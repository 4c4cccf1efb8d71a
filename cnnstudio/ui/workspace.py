"""An open project: the workflow steps on the left (Data, Model, Train, Evaluate, Predict), the page on the right."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QStackedWidget, QWidget

from .data.data_page import DataPage
from .placeholders import PlaceholderPage
from .session import ProjectSession

STEPS = [("Data", "Collect, label and split your images"), ("Model", "Design the network"),
         ("Train", "Train it and watch it learn"), ("Evaluate", "See what it gets right and wrong"),
         ("Predict", "Use it on new pictures, export it")]


class Workspace(QWidget):
    def __init__(self, session: ProjectSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.nav = QListWidget()
        self.nav.setFixedWidth(130)
        self.nav.setIconSize(QSize(24, 24))
        self.nav.setStyleSheet("QListWidget { font-size: 15px; } QListWidget::item { padding: 12px 8px; }")
        self.pages = QStackedWidget()
        self.data = DataPage(session)
        self.pages.addWidget(self.data)
        for i, (step, tip) in enumerate(STEPS):
            item = QListWidgetItem(f"{i + 1}  {step}")
            item.setToolTip(f"{tip} (Ctrl+{i + 1})")
            self.nav.addItem(item)
            if i:
                self.pages.addWidget(PlaceholderPage(step))
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.setCurrentRow(0)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.nav)
        lay.addWidget(self.pages, 1)
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def show_step(self, index: int) -> None:
        self.nav.setCurrentRow(index)

    def close(self) -> None:
        self.data.close()

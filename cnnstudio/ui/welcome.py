"""The first screen: open the sample project, create or open a project, recent projects, a short guide.

Recent projects: a click selects one, "Open" or Enter opens it, a double-click opens it at once.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from ..resources import icon_path
from .how_it_works import how_it_works
from .settings import recent_projects
from .workspace import STEPS

GUIDE = how_it_works(STEPS)  # "How it works": the sidebar's steps and numbers (1 Data … 6 Predict), in plain words


class RecentList(QListWidget):
    """The recent projects: Enter (or Return) on the selected one asks to open it."""

    open_requested = Signal()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
            self.open_requested.emit()
            return
        super().keyPressEvent(event)


class WelcomePage(QWidget):
    open_sample = Signal()
    new_project = Signal()
    open_project = Signal()
    open_recent = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        icon = QLabel()
        icon.setPixmap(QPixmap(str(icon_path())).scaled(72, 72, Qt.AspectRatioMode.KeepAspectRatio,
                                                        Qt.TransformationMode.SmoothTransformation))
        title = QLabel("<h1>CNN Studio</h1><p>Teach a computer to recognise your pictures — no code, no cloud.</p>")
        head = QHBoxLayout()
        head.addWidget(icon)
        head.addWidget(title, 1)

        self.sample_btn = QPushButton("Open the sample project (handwritten digits)")
        self.sample_btn.setToolTip("1,797 small pictures of the digits 0–9, labelled and ready to train")
        self.new_btn = QPushButton("New project…")
        self.new_btn.setToolTip("Create an empty project folder (Ctrl+N)")
        self.open_btn = QPushButton("Open project…")
        self.open_btn.setToolTip("Open an existing project folder (Ctrl+O)")
        for b in (self.sample_btn, self.new_btn, self.open_btn):
            b.setMinimumHeight(36)
        self.sample_btn.clicked.connect(self.open_sample)
        self.new_btn.clicked.connect(self.new_project)
        self.open_btn.clicked.connect(self.open_project)
        actions = QVBoxLayout()
        actions.addWidget(QLabel("<b>Start</b>"))
        actions.addWidget(self.sample_btn)
        actions.addWidget(self.new_btn)
        actions.addWidget(self.open_btn)
        actions.addSpacing(12)
        self.recent = RecentList()
        self.recent.setToolTip("Click to choose a project, then Open (or press Enter); double-click opens it")
        self.recent.itemDoubleClicked.connect(lambda item: self._open_recent())
        self.recent.open_requested.connect(self._open_recent)
        self.recent.itemSelectionChanged.connect(self._update_open_button)
        self.open_recent_button = QPushButton("Open")
        self.open_recent_button.setToolTip("Open the chosen recent project (Enter)")
        self.open_recent_button.clicked.connect(self._open_recent)
        row = QHBoxLayout()  # the heading and Open on one line: the page stays as short as it was
        row.addWidget(QLabel("<b>Recent projects</b>"))
        row.addStretch(1)
        row.addWidget(self.open_recent_button)
        actions.addLayout(row)
        actions.addWidget(self.recent)

        guide = QVBoxLayout()
        guide.addWidget(QLabel("<b>How it works</b>"))
        for step, text in GUIDE:
            label = QLabel(f"<b>{step}</b><br>{text}")
            label.setWordWrap(True)
            guide.addWidget(label)
        guide.addStretch(1)

        body = QHBoxLayout()
        body.addLayout(actions, 1)
        body.addSpacing(32)
        body.addLayout(guide, 1)
        inner = QWidget()
        inner.setMaximumWidth(1100)
        il = QVBoxLayout(inner)
        il.addLayout(head)
        il.addSpacing(8)
        il.addLayout(body, 1)
        self.recent.setMaximumHeight(220)
        actions.addStretch(1)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(48, 16, 48, 16)  # "How it works" whole in a 576 px tall window (a 1024 x 640 screen)
        lay.addStretch(1)
        lay.addWidget(inner, 10)
        lay.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        self.recent.clear()
        for path in recent_projects():
            item = QListWidgetItem(f"{Path(path).name}    —    {path}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            self.recent.addItem(item)
        if not self.recent.count():
            item = QListWidgetItem("(none yet)")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(item)
        self._update_open_button()

    def chosen_recent(self) -> str | None:
        item = self.recent.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None and item.isSelected() else None

    def _update_open_button(self, *_) -> None:
        self.open_recent_button.setEnabled(self.chosen_recent() is not None)

    def _open_recent(self) -> None:
        path = self.chosen_recent()
        if path:
            self.open_recent.emit(path)

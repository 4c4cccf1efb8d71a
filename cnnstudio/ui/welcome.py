"""The first screen: open the sample project, create or open a project, recent projects, a short guide."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from ..resources import icon_path
from .settings import recent_projects

GUIDE = [
    ("1  Collect", "Drop pictures or folders onto the window. Folder names can become class names."),
    ("2  Label", "Select pictures and press 1–9 to give them a class. 0 clears. Ctrl+Z undoes."),
    ("3  Design", "Pick a ready-made network or build your own, layer by layer, with shapes checked as you go."),
    ("4  Train", "Watch loss and accuracy live. Pause, stop, resume; the best epoch is kept."),
    ("5  Test", "See what the network gets wrong: confusion matrix and the misclassified pictures."),
    ("6  Use", "Drop new pictures to classify them, or export the model."),
]


class WelcomePage(QWidget):
    open_sample = Signal()
    new_project = Signal()
    open_project = Signal()
    open_recent = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        icon = QLabel()
        icon.setPixmap(QPixmap(str(icon_path())).scaled(96, 96, Qt.AspectRatioMode.KeepAspectRatio,
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
        actions.addSpacing(16)
        actions.addWidget(QLabel("<b>Recent projects</b>"))
        self.recent = QListWidget()
        self.recent.itemActivated.connect(lambda item: self.open_recent.emit(item.data(Qt.ItemDataRole.UserRole)))
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
        il.addSpacing(16)
        il.addLayout(body, 1)
        self.recent.setMaximumHeight(220)
        actions.addStretch(1)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(48, 32, 48, 32)
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

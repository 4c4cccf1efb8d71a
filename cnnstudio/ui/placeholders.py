"""Honest placeholders for the workflow steps that are not built yet (issue 6 fills them)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

PLANNED = {
    "Model": "Design the network: a layer stack with shapes and parameter counts checked before training, "
             "presets, and pretrained backbones.",
    "Train": "Train in the background with live loss and accuracy plots; pause, stop, resume, keep the best epoch.",
    "Evaluate": "Confusion matrix, per-class precision and recall, and the misclassified images.",
    "Predict": "Drop images for live class probabilities, batch-predict a folder, export the model.",
}


class PlaceholderPage(QWidget):
    def __init__(self, step: str, parent=None):
        super().__init__(parent)
        label = QLabel(f"<h2>{step}</h2><p>{PLANNED[step]}</p><p><i>This screen is not built yet. "
                       f"The command line already offers it: <code>cnnstudio --help</code>.</i></p>")
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setMaximumWidth(560)
        lay = QVBoxLayout(self)
        lay.addWidget(label, 0, Qt.AlignmentFlag.AlignCenter)

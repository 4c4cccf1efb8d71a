"""The Predict page's left column on its Pictures tab: the list of predicted pictures (:class:`.drop_list.DropList`),
under it the files of the last drop that were not predicted (:class:`.refused_note.RefusedNote`), why the model could
not be loaded (one sentence, :meth:`PictureColumn.say_failed`), the bar of the pictures being predicted or of the model
loading (:class:`.picture_thread.PredictingBar`), and Clear. It shows; the page connects and forwards."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QLabel, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from ..colours import status_colour
from .drop_list import DropList
from .model_choice import failed_note
from .picture_thread import PredictingBar
from .refused_note import RefusedNote
from .row_words import row_text
from .unsure import UNLIKE


class PictureColumn(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.list = DropList()
        self.list.setAccessibleName("Pictures predicted")
        self.clear_button = QPushButton("Clear")
        self.busy = PredictingBar()  # "Predicted 120 of 300 pictures…" and Cancel; "Loading the model…"
        self.refused_note = RefusedNote()  # the files of the last drop that were not predicted, and why
        self.load_note = QLabel()  # why the model could not be loaded: one sentence
        self.load_note.setObjectName("modelLoadFailed")
        self.load_note.setWordWrap(True)
        self.load_note.setStyleSheet(f"color: {status_colour('error', self)};")
        self.load_note.hide()
        self.failed = ""  # its sentence without the pictures that wait
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.refused_note)
        lay.addWidget(self.load_note)
        lay.addWidget(self.busy)
        lay.addWidget(self.clear_button)

    def say_failed(self, sentence: str, waiting: list[Path] = ()) -> None:
        """The model could not be loaded: ``sentence`` under the list, then the pictures ``waiting`` for a model that
        loads ("" hides it)."""
        self.failed = sentence
        self.load_note.setText(failed_note(sentence, list(waiting)))
        self.load_note.setVisible(bool(sentence))

    def add_rows(self, predictions, thumbs) -> None:
        """One row per prediction at the end of the list: its words (:mod:`.row_words`), its path (and whether it
        looks unlike the training pictures) in its tooltip, its thumbnail (a QImage made in the thread) as icon."""
        for pred, img in zip(predictions, thumbs):
            item = QListWidgetItem(row_text(pred.label, pred.confidence, pred.path, pred.unlike_training))
            item.setToolTip(f"{pred.path or ''}\n{UNLIKE}" if pred.unlike_training else pred.path or "")
            if not img.isNull():
                item.setIcon(QIcon(QPixmap.fromImage(img)))
            self.list.addItem(item)

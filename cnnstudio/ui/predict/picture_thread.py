"""The Predict page's dropped, pasted or opened pictures, predicted in a thread: the work (each picture's prediction
and its row's thumbnail, made in that thread too, so a drop of 300 photos never blocks the window) and the bar under
the list that says how far it is ("Predicted 120 of 300 pictures…") with Cancel.

A batch of pictures counts as done once its thumbnails are made too, so the bar moves until the end, and Cancel lists
whole rows: the pictures done so far, each with its thumbnail ("Predicted 120 of 300 pictures before you cancelled.",
also when Cancel came during the last batch).

Each batch carries a number (:attr:`PictureThread.batch`): the page drops what a batch it has cleared or whose model it
has changed brings back, so a row always shows the answer of the model named above it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from ...project.counting import counted
from ..workers import TaskThread
from .drop_list import ICON
from .images import list_icon


def progress_words(done: int, total: int) -> str:
    """"Predicting 3 pictures…", then "Predicted 120 of 300 pictures…"."""
    if done <= 0:
        return f"Predicting {counted(total, 'picture')}…"
    return f"Predicted {done:,} of {counted(total, 'picture')}…"


def picture_work(predictor, paths: list[Path], ratio: float):
    """What the thread runs: ``paths`` (folders searched) predicted with ``predictor``, each prediction's thumbnail
    for the list made with it, before its batch counts as done (``ratio``: the screen's device pixel ratio); returns
    ``(BatchResult, [QImage per prediction])``. Cancelled: the pictures done so far, each with its thumbnail, and
    ``cancelled`` set, also when the cancel came during the last batch (the page says so)."""
    from ...engine.use.predict import collect_images

    def work(progress=None, cancel=None):
        files, skipped = collect_images(paths)
        thumbs = []

        def thumbnail(pred) -> None:  # in the batch's turn: it counts as done with its thumbnails
            thumbs.append(list_icon(pred.path, ICON, ratio) if pred.path else QImage())

        result = predictor.predict_many(files, progress=progress, cancel=cancel, on_prediction=thumbnail)
        result.skipped = skipped + result.skipped
        result.cancelled = result.cancelled or (cancel is not None and cancel.is_set())
        return result, thumbs

    return work


class PictureThread(TaskThread):
    def __init__(self, work, batch: int, paths: list[Path], parent=None):
        super().__init__(work, parent=parent)
        self.batch = batch  # the page's batch number when it started
        self.paths = list(paths)  # what it predicts (given again to the next model when the model changes)


class PredictingBar(QWidget):
    """Under the picture list while pictures are predicted: how far, a bar, and Cancel; while the model loads, what
    it waits for with a busy indicator."""

    cancel = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.words = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumHeight(14)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop predicting: the pictures predicted so far stay in the list.")
        self.cancel_button.clicked.connect(self.cancel)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.words)
        lay.addWidget(self.bar, 1)
        lay.addWidget(self.cancel_button)
        self.hide()

    def start(self) -> None:
        self.bar.setRange(0, 0)
        self.words.setText("Predicting…")
        self.cancel_button.show()
        self.show()

    def loading(self, words: str, waiting: bool) -> None:
        """``words`` ("Loading the model…") with a busy indicator; Cancel only while pictures ``waiting`` for it."""
        self.bar.setRange(0, 0)
        self.words.setText(words)
        self.cancel_button.setVisible(waiting)
        self.show()

    def measuring(self, words: str, done: int, total: int, waiting: bool) -> None:
        """``words`` with how far the model's first-time measuring is; Cancel only while pictures ``waiting``."""
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(done)
        self.words.setText(words)
        self.cancel_button.setVisible(waiting)
        self.show()

    def show_progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(done)
        self.words.setText(progress_words(done, total))

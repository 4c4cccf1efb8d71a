"""The Evaluate page's scores, left of the mistakes: the confusion matrix (a click, Enter or Space on a cell asks for
its pictures: :attr:`ScoresPanel.cell_asked`), the per-class table with its average always in sight, and why a
class's 95 % range is wide (:mod:`.range_words`), said on the page rather than only in a tooltip. Its smallest
height keeps every line of its words, every cell of a small matrix and two classes' rows
(:meth:`ScoresPanel.resizeEvent`), so a page that fits the screen cuts none of them."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ...project.glossary import tip
from .range_words import range_note
from .score_tables import ConfusionModel, ConfusionView, PerClassTable

CONFUSION_TITLE = ("<b>Confusion matrix</b> <small>rows: true class · columns: predicted · click a cell or press Enter "
                   "to see its pictures</small>")


class ScoresPanel(QWidget):
    cell_asked = Signal(int, int)  # true index, predicted index: a cell clicked, or Enter or Space on it

    def __init__(self, parent=None):
        super().__init__(parent)
        self.confusion_model = ConfusionModel(self)
        self.confusion = ConfusionView(self.confusion_model)
        for sig in (self.confusion.clicked, self.confusion.activated, self.confusion.space_pressed):
            sig.connect(lambda idx: self.cell_asked.emit(idx.row(), idx.column()))
        self.confusion.setToolTip(tip("confusion matrix"))
        self.per_class = PerClassTable()
        ll = QVBoxLayout(self)
        ll.setContentsMargins(0, 0, 0, 0)
        self.confusion_title = QLabel(CONFUSION_TITLE)
        self.confusion_title.setWordWrap(True)
        self.confusion_title.setToolTip(tip("confusion matrix"))
        ll.addWidget(self.confusion_title)
        ll.addWidget(self.confusion, 1)  # takes what the per-class table leaves (score_tables.py)
        self.per_class_title = QLabel("<b>Per class</b>")
        self.per_class_title.setToolTip(tip("precision", "recall", "F1", "confidence interval"))
        ll.addWidget(self.per_class_title)
        ll.addWidget(self.per_class)
        ll.addWidget(self.per_class.footer)  # the average, in sight however far the classes scroll
        self.range_note = QLabel()
        self.range_note.setObjectName("range-note")
        self.range_note.setWordWrap(True)
        self.range_note.hide()
        ll.addWidget(self.range_note)
        ll.setSpacing(4)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """The wrapped words keep the lines they need at this width: the splitter the panel sits in does not ask a
        wrapping label its height for a width, and the page's smallest height would leave their last line out (QA at
        1,024 x 614: "More pictures narrow it" cut off, and the tables squeezed)."""
        super().resizeEvent(event)
        self._keep_lines()

    def _keep_lines(self) -> None:
        width = max(1, self.contentsRect().width())
        for label in (self.confusion_title, self.range_note):
            need = label.heightForWidth(width) if label.text() else 0
            if need > 0 and label.minimumHeight() != need:
                label.setMinimumHeight(need)

    def show_scores(self, ev: dict) -> None:
        """Show an evaluation's confusion matrix and per-class scores."""
        classes = ev["classes"]
        self.confusion_model.set_matrix(classes, ev["confusion_matrix"])
        self.confusion.fit(len(classes))
        self.per_class.set_scores(ev)
        self.range_note.setText(range_note(ev))
        self.range_note.setVisible(bool(self.range_note.text()))
        self._keep_lines()  # new words, maybe more lines, at the same width

    def select_cell(self, true_index: int, predicted_index: int) -> None:
        self.confusion.setCurrentIndex(self.confusion_model.index(true_index, predicted_index))

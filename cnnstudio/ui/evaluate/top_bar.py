"""The Evaluate page's top bar: which model ("Model … on …": the run box and the pictures' box), "Evaluate again",
"Save report…", and while an evaluation runs its progress bar and Cancel (Escape too: :mod:`.cancel_key`).

The run box lists the runs that have a model, the best one starred, each with its validation score (or why it has
none); :meth:`EvaluateBar.fill_runs` fills it and returns each run's record summary (which pictures it has). In a
1,024-pixel window, with the progress bar and Cancel beside it, the box may cut its run's name short, in the middle
(:class:`~cnnstudio.ui.elided_names.NameComboBox`: runs named alike differ at their end): its tooltip starts with
the whole of it. The progress bar has no figure on it: it counts only the pictures not in the picture cache, and
Qt's own "37%" would write a share unlike every other on the page (figures.percent); with every picture cached it
moves to and fro until the scores come.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from ...engine.use.figures import score_text
from ...project.glossary import tip

RUN_TIP = "Which trained model to evaluate.\n" + tip("validation", "accuracy")
from ...project.run_records import scored_pictures
from ..elided_names import NameComboBox
from .report_button import SaveReportButton
from .split_box import SplitBox
from .split_words import AGAIN_TIP, CANCEL_TIP, NO_VAL_RUN, has_pictures


class EvaluateBar(QHBoxLayout):
    """The bar's widgets, laid out in the order Tab visits them."""

    def __init__(self, project, run_id, parent: QWidget):
        """``run_id()``: the run shown (the report's); ``parent``: the page (the report's dialogs' parent)."""
        super().__init__()
        self.project = project
        self.run_combo = NameComboBox()  # a long name cut in its middle: runs named alike differ at their end
        self.run_combo.setMinimumWidth(280)
        self.run_combo.setToolTip(RUN_TIP)
        self.run_combo.currentIndexChanged.connect(self._name_run)
        self.split_combo = SplitBox()  # the pictures the chosen run has (split_box.py)
        self.again = QPushButton("Evaluate again")
        self.again.setToolTip(AGAIN_TIP)
        self.save_report = SaveReportButton(project, run_id, parent)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(180)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Evaluation progress")
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip(CANCEL_TIP)
        self.cancel_button.hide()
        self.addWidget(QLabel("Model"))
        self.addWidget(self.run_combo)
        self.addWidget(QLabel("on"))
        self.addWidget(self.split_combo)
        self.addWidget(self.again)
        self.addWidget(self.save_report)
        self.addWidget(self.progress)
        self.addWidget(self.cancel_button)
        self.addStretch(1)

    def _name_run(self, _index: int) -> None:
        """The box's tooltip: the whole name of the run chosen (the box may cut it short), then what the box is."""
        text = self.run_combo.currentText()
        self.run_combo.setToolTip(f"Chosen: {text}.\n\n{RUN_TIP}" if text else RUN_TIP)

    def set_tab_order(self) -> None:
        """Tab in the order on screen (once the bar is in its page: Qt orders widgets of one window only)."""
        for a, b in ((self.run_combo, self.split_combo), (self.split_combo, self.again), (self.again, self.save_report),
                     (self.save_report, self.cancel_button)):  # Save report… beside Evaluate again, as on screen
            QWidget.setTabOrder(a, b)

    def fill_runs(self, project) -> tuple[dict[str, dict], object]:
        """List the runs of ``project`` that have a model (the choice is the caller's); returns each one's record
        summary by run id, and the best run (None for none)."""
        from ...project import run_records as index

        self.run_combo.clear()
        best = index.best_run(project)
        summaries: dict[str, dict] = {}
        for r in index.list_runs(project):
            if index.has_model(project, r.id):
                summaries[r.id] = r.summary
                acc = r.summary.get("val_accuracy")
                extra = (f" — validation {score_text(acc, scored_pictures(r.summary, 'val'))}"
                         if isinstance(acc, (int, float)) else
                         f" — {r.status if has_pictures(r.summary, 'val') else NO_VAL_RUN}")
                self.run_combo.addItem(f"{r.name}{' ★ best' if best and best.id == r.id else ''}{extra}", r.id)
        return summaries, best

    def show_choice(self, run_id: str, split: str, summary: dict) -> None:
        """Name ``run_id`` and ``split`` in the boxes, offering the pictures the run has (``summary``: its record's)."""
        self.split_combo.offer(summary)
        i = self.run_combo.findData(run_id)
        if i >= 0 and i != self.run_combo.currentIndex():
            self.run_combo.setCurrentIndex(i)
        self.split_combo.setCurrentIndex(max(0, self.split_combo.findData(split)))
        if split == "test":  # its test score is looked at now: the Train page's runs list may show it from now on
            self._mark_test_seen(run_id)

    def _mark_test_seen(self, run_id: str) -> None:
        from ...project.errors import ProjectError
        from ...project.seen_scores import mark_test_seen

        try:
            mark_test_seen(self.project, run_id)
        except (OSError, ProjectError):  # not kept (a full disk, a run deleted meanwhile): the runs list stays blank
            pass

    def set_busy(self, busy: bool) -> None:
        """While it evaluates: the progress bar (moving until the first count) and Cancel; not Evaluate again."""
        if busy:
            self.progress.setRange(0, 0)
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.again.setEnabled(not busy and self.run_combo.count() > 0)

    def set_progress(self, done: int, total: int) -> None:
        """``done`` of ``total`` pictures read; none to read (all in the cache): the bar moves to and fro."""
        self.progress.setRange(0, max(0, total))
        self.progress.setValue(done)

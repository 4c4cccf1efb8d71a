"""The Predict page's "Folder" tab: every picture in a folder predicted into a table and a CSV file, by
:func:`cnnstudio.engine.use.predict.predict_folder` in a thread (held by a :class:`~cnnstudio.ui.workers.LatestTask`),
with progress and Cancel. An unsure answer (:mod:`cnnstudio.engine.use.unsure`, the CSV's ``unsure`` column) is
marked in the table's Unsure column, with the rule in its tooltip; a picture that looks unlike the training pictures
(:mod:`cnnstudio.engine.use.novelty`, the CSV's ``unlike_training`` column) in the "Unlike training" column."""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMessageBox,
                               QProgressBar, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ...engine.use.figures import probability_percent
from ..colours import status_qcolor, status_span
from ..keyboard import tab_leaves
from ..settings import last_folder, remember_folder
from ..workers import LatestTask
from .refused import folder_summary, problem_text, shown_path
from .results_place import results_start
from .unsure import (UNLIKE, UNLIKE_COLUMN, UNLIKE_MARK, UNLIKE_TIP, UNSURE, UNSURE_COLUMN_TIP, UNSURE_MARK,
                     UNSURE_TIP)

FILE_WIDTH = 220  # the File column's width at first (the user may drag it); the Problem column takes the rest
COLUMNS = ("File", "Class", "Confidence", "Unsure", UNLIKE_COLUMN, "Problem")
UNSURE_COLUMN, UNLIKE_COLUMN_AT, PROBLEM_COLUMN = (COLUMNS.index("Unsure"), COLUMNS.index(UNLIKE_COLUMN),
                                                   COLUMNS.index("Problem"))


def csv_start(folder: str | Path, project) -> Path:
    """Where the save dialog of ``folder``'s results starts (:func:`.results_place.results_start`): the folder results
    were saved to last time (the settings' "predictions" folder; none while that is the home folder
    :func:`~cnnstudio.ui.settings.last_folder` falls back to), else ``project``'s folder unless it is open for viewing
    only."""
    last = last_folder("predictions")
    home = Path.home()
    root = project.root if project is not None and not project.read_only else None
    return results_start(folder, last if Path(last) != home else None, root, home)


def ask_folder_and_csv(parent: QWidget, project) -> tuple[Path, Path] | None:
    """The folder, then where its results go (:func:`csv_start`: not among or beside the user's pictures, named for
    the folder: "holiday predictions.csv"); both dialogs start where they were last time. None when either is
    cancelled, or when the folder has no pictures to predict: that is said at once
    (:func:`~cnnstudio.engine.use.folder_pictures.no_pictures_sentence`), before any file is asked for. Asked here,
    on the GUI thread: it stops at the first file to try (one folder listing in the usual case); only a folder with
    none is walked whole, to say why."""
    from ...engine.use.folder_pictures import no_pictures_sentence

    folder = QFileDialog.getExistingDirectory(parent, "Predict every picture in a folder", last_folder("predict"))
    if not folder:
        return None
    remember_folder("predict", folder)
    nothing = no_pictures_sentence(folder)
    if nothing:
        QMessageBox.information(parent, "No pictures to predict", nothing)
        return None
    csv_path = QFileDialog.getSaveFileName(parent, "Save the results (a spreadsheet, CSV) as",
                                           str(csv_start(folder, project)), "CSV file (*.csv)")[0]
    if not csv_path:
        return None
    remember_folder("predictions", Path(csv_path).parent)  # the file is not written yet: its folder
    return Path(folder), Path(csv_path)


class FolderPanel(QWidget):
    """Predicts one folder at a time with the Predictor it is given; the page chooses the model and the files."""

    done = Signal(object)  # BatchResult (None if it failed), after the thread ended

    def __init__(self, parent=None):
        super().__init__(parent)
        self.task = LatestTask(self)  # the folder being predicted; one let go of (the project closed) is not heard
        self.task.progress.connect(self._progress)
        self.task.succeeded.connect(self._keep)
        self.task.errored.connect(self._errored)
        self.task.ended.connect(self._done)
        self._result = None
        self._error = ""
        self._folder: Path | None = None
        self._total = 0  # pictures in the folder, as the last progress said
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.horizontalHeaderItem(UNSURE_COLUMN).setToolTip(UNSURE_COLUMN_TIP)
        self.table.horizontalHeaderItem(UNLIKE_COLUMN_AT).setToolTip(f"Marked when: {UNLIKE}\n{UNLIKE_TIP}")
        self.table.verticalHeader().hide()
        tab_leaves(self.table)
        self.table.setAccessibleName("Predictions of the folder")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)  # names from the folder: a sensible width
        header.setSectionResizeMode(PROBLEM_COLUMN, QHeaderView.ResizeMode.Stretch)  # ends in "…", whole in its tip
        self.table.setColumnWidth(0, FILE_WIDTH)
        self.table.setWordWrap(False)
        self.status = QLabel("“Predict a folder…” predicts every picture in a folder and saves a CSV file.")
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel)
        brow = QHBoxLayout()
        brow.addWidget(self.progress, 1)
        brow.addWidget(self.cancel_button)
        bl = QVBoxLayout(self)
        bl.addWidget(self.status)
        bl.addLayout(brow)
        bl.addWidget(self.table, 1)

    def start(self, predictor, folder: Path, csv_path: Path | None) -> bool:
        """Predict the pictures in ``folder`` (and write ``csv_path`` if given); False while one is running."""
        from ...engine.use.predict import predict_folder

        if self.task.busy:
            return False
        self.table.setRowCount(0)
        self._folder, self._total = folder, 0
        self.status.setText(f"Predicting the pictures in {folder}…")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self._result = None
        self._error = ""
        # the save dialog asked before replacing a file: an existing CSV the user chose is theirs to replace
        work = functools.partial(predict_folder, replace_csv=True)
        self.task.run(work, predictor, folder, csv_path)
        return True

    @property
    def thread(self):
        """The thread predicting a folder now (None: none)."""
        return self.task.thread

    @property
    def busy(self) -> bool:
        """A folder is being predicted (it uses the model)."""
        return self.task.busy

    def _keep(self, result) -> None:
        self._result = result

    def _errored(self, message: str, _tb: str) -> None:
        self._error = message

    def _progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self._total = total
        self.status.setText(f"Predicted {done:,} of {total:,} pictures…")

    def cancel(self) -> None:
        """Cancel: the pictures predicted so far are shown (and saved)."""
        self.task.stop()

    def _done(self, _thread) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        result = self._result
        if result is None:
            self.status.setText(status_span("error", f"The folder could not be predicted: {self._error}", self))
            self.done.emit(None)
            return
        self.show_rows(result)
        self.status.setText(folder_summary(result, self._total))
        self.done.emit(result)

    def show_rows(self, result) -> None:
        """One row per picture predicted (its class, how sure, whether the model is unsure, whether the picture looks
        unlike the training pictures), then one per file skipped (why)."""
        rows = [(p.path, p.label, probability_percent(p.confidence), UNSURE_MARK if p.unsure else "",
                 UNLIKE_MARK if p.unlike_training else "", "") for p in result.predictions]
        rows += [(s["path"], "", "", "", "", problem_text(s["reason"])) for s in result.skipped]
        self.table.setRowCount(len(rows))
        warning = QBrush(status_qcolor("warning", self.table))  # as the detail view's unsure line
        for r, (path, *values) in enumerate(rows):
            cells = [(shown_path(path, self._folder), str(path))] + [(str(v), str(v)) for v in values]
            for c, (text, whole) in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (0, PROBLEM_COLUMN) and whole:
                    item.setToolTip(whole)  # the whole path, the whole sentence
                elif c == UNSURE_COLUMN and text:
                    item.setToolTip(f"{UNSURE}\n{UNSURE_TIP}")
                    item.setForeground(warning)
                elif c == UNLIKE_COLUMN_AT and text:
                    item.setToolTip(f"{UNLIKE}\n{UNLIKE_TIP}")
                    item.setForeground(warning)
                self.table.setItem(r, c, item)

    def shutdown(self) -> None:
        self.task.shutdown()

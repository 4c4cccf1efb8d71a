"""Evaluate > "Save report…": one self-contained HTML file about the run shown
(:func:`cnnstudio.engine.runs.report.write_report`), written in a :class:`~cnnstudio.ui.workers.TaskThread`
(the plots take a second or two). A report that shows the run's test score marks it looked at (write_report), and the
status bar says so (:func:`~cnnstudio.project.seen_scores.report_look_words`: a project open for viewing only keeps
no mark, and the words say that instead)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from ...project.seen_scores import report_look_words
from ..settings import last_folder, remember_folder
from ..workers import TaskThread


TIP = ("Save one HTML file about this model — data, design, settings, curves, scores, mistakes and advice — to "
       "keep, print or send. It says which pictures, validation or test, each score comes from. A report is for the "
       "end: it shows the test pictures' score, so that score counts as looked at once it is saved.")
NO_RUN_TIP = "Train a model first: the report is about a trained model, and this project has none yet."


class SaveReportButton(QPushButton):
    """Asks where to save, then writes the report of ``run_id()``. ``saved(path)`` or ``failed(message)`` follows
    (and the thread has ended). Off, with a tooltip saying why, while there is no trained model
    (:meth:`set_available`)."""

    saved = Signal(str)
    failed = Signal(str)

    def __init__(self, project, run_id: Callable[[], str | None], parent=None):
        super().__init__("Save report…", parent)
        self.project = project
        self.run_id = run_id
        self.thread: TaskThread | None = None
        self.available = True
        self._closing = False  # shutdown(): the window is closing, a failure is not asked about
        self.setToolTip(TIP)
        self.clicked.connect(self._ask)

    def set_available(self, available: bool) -> None:
        """Whether there is a trained model to report on: off (saying why) when there is none."""
        self.available = available
        self.setEnabled(available and self.thread is None)
        self.setToolTip(TIP if available else NO_RUN_TIP)

    def _ask(self) -> None:
        run_id = self.run_id()
        if not run_id:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save the report", self.suggested_path(), "Web page (*.html)")
        if path:
            remember_folder("report", Path(path).parent)
            if not path.lower().endswith((".html", ".htm")):
                path += ".html"
            self.save_to(path)

    def suggested_path(self) -> str:
        """Where the save dialog starts: the last report folder, a file named after the run (not its id)."""
        from ...engine.runs.report_paths import suggested_name
        from ...project.run_records import find_run

        run_id = self.run_id() or ""
        run = find_run(self.project, run_id)
        return str(Path(last_folder("report")) / suggested_name(run.name if run else "", run_id))

    def save_to(self, path: str) -> bool:
        """Write the report of the run shown to ``path`` in a thread; False when one is being written."""
        from ...engine.runs.report import shows_test, write_report

        run_id = self.run_id()
        if not run_id or self.thread is not None:
            return False
        project = self.project

        def work(progress=None, cancel=None):
            written = str(write_report(project, run_id, path))
            return written, report_look_words(project, run_id) if shows_test(project, run_id) else ""

        self.setEnabled(False)
        self.setText("Saving report…")
        self._result: tuple[str, str] = ("failed", "the report was not written")
        self.shows_test = False  # the report saved last shows the test score (looked at now, where it could be kept)
        self._look = ""  # what the status bar says of that look (seen_scores.report_look_words)
        self.thread = TaskThread(work, parent=self)
        self.thread.succeeded.connect(self._succeeded)
        self.thread.errored.connect(lambda m, _tb: setattr(self, "_result", ("failed", m)))
        self.thread.finished.connect(self._done)
        self.thread.start()
        return True

    def _succeeded(self, result) -> None:
        written, self._look = result
        self.shows_test = bool(self._look)
        self._result = ("saved", written)

    def _done(self) -> None:
        if self.thread is None:  # ended already: shutdown() ended it, then the thread's own 'finished' came
            return
        self.thread.deleteLater()
        self.thread = None
        self.setEnabled(self.available)
        self.setText("Save report…")
        kind, text = self._result
        if kind == "saved":
            w = self.window()
            if hasattr(w, "statusBar"):
                look = f" {self._look}" if self._look else ""  # the file's name: its folder is the one just chosen
                w.statusBar().showMessage(f"Report saved as “{Path(text).name}”.{look}", 12000 if look else 8000)
            self.saved.emit(text)
        else:
            if self.isVisible() and not self._closing:  # no question box while the window closes
                QMessageBox.warning(self, "Save report", f"The report could not be saved: {text}")
            self.failed.emit(text)

    def shutdown(self) -> None:
        if self.thread is not None:
            self._closing = True
            self.thread.stop_and_wait()
            self._done()

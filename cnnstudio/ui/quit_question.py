"""Quitting, closing the project or opening another while work runs: the one place that asks each job of the window
whether it is busy — training, search, data check, import, export, folder prediction — and asks once, naming what
runs and what stopping each keeps or loses (ui/quit_words.py), keeping every job working by default (Enter and
Escape keep working). A job that ends on its own while the question is shown is no longer asked about: when none is
left, the question goes and the answer is yes. "Yes" is followed by the project closing, which stops each job
cleanly (MainWindow.close_project: the pages' and the importer's shutdown).

:class:`QuitKeys`: Ctrl+Q reaches the window while an import's progress or the export dialog holds it (a dialog that
blocks the window blocks its menu's shortcut: Ctrl+Q did nothing)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from . import quit_words


def _jobs(window) -> list[tuple[quit_words.Job, object]]:
    """Each job running now, with the signal that says it ended."""
    workspace = window.workspace
    if workspace is None:
        return []
    jobs = []
    tune, train = workspace.built("tune"), workspace.built("train")
    if tune is not None and tune.running:
        jobs.append((quit_words.search(), workspace.training_ended))
    elif train is not None and train.running:
        jobs.append((quit_words.training(train.clock.epochs_done), workspace.training_ended))
    check = getattr(workspace.data, "check", None)
    if check is not None and check.task.busy:
        jobs.append((quit_words.data_check(), check.task.ended))
    if window.importer is not None and window.importer.busy:
        jobs.append((quit_words.picture_import(), window.importer.finished))
    predict = workspace.built("predict")
    if predict is not None:
        export = predict.export_dialog
        if export is not None and export.thread is not None:
            jobs.append((quit_words.export(), export.exported))
        if predict.folder_panel.busy:
            csv = predict.folder_csv
            jobs.append((quit_words.folder_prediction(csv.name if csv is not None else None), predict.folder_panel.done))
    return jobs


def may_stop(window, then: str) -> bool:
    """True when no job runs, or the user agrees to stop them all and ``then`` ("quit CNN Studio")."""
    jobs = _jobs(window)
    if not jobs:
        return True
    title, text = quit_words.question([job for job, _ in jobs], then)
    ended = []

    def one_ended(*_) -> None:  # a job ended on its own: once none runs, nothing is left to ask
        if _jobs(window):
            return
        ended.append(True)
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.windowTitle() == title:
            box.done(QMessageBox.StandardButton.Yes)

    signals = {id(signal): signal for _, signal in jobs}.values()
    for signal in signals:
        signal.connect(one_ended)
    try:
        answer = QMessageBox.question(window, title, text, defaultButton=QMessageBox.StandardButton.No)
    finally:
        for signal in signals:
            signal.disconnect(one_ended)
    return bool(ended) or answer == QMessageBox.StandardButton.Yes


def quit_keys() -> list[QKeySequence]:
    """File ▸ Quit's keys: the platform's, else Ctrl+Q (Windows and the offscreen test platform have none)."""
    return QKeySequence.keyBindings(QKeySequence.StandardKey.Quit) or [QKeySequence("Ctrl+Q")]


class QuitKeys(QObject):
    """Ctrl+Q (:func:`quit_keys`) pressed in a dialog that blocks ``window`` (an import's progress, the export
    dialog) closes the window as File ▸ Quit does: the question above is asked first."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() != QEvent.Type.KeyPress or QKeySequence(event.keyCombination()) not in quit_keys():
            return False
        modal = QApplication.activeModalWidget()
        if (modal is None or modal is self.window or isinstance(modal, QMessageBox) or not isinstance(watched, QWidget)
                or watched.window() is not modal):
            return False
        parent = modal.parentWidget()
        if parent is None or parent.window() is not self.window:
            return False
        QTimer.singleShot(0, self.window.close)
        return True

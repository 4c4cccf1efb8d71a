"""File > Open Sample Project (and the welcome page's button, ``cnnstudio --sample``): the bundled sample opened, and
on first use made in a worker thread behind a progress dialog with Cancel (:func:`~cnnstudio.project.sample.
open_sample_project`): its pictures imported, then split with their copies and near copies kept in one split (found as
the Data page's Split finds them, :func:`~cnnstudio.engine.runs.split_groups.find_split_groups`), so Check data finds
no leak in it. Stopped, it is finished the next time it is opened.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from ..project import Project
from ..project.sample import STOPPED, open_sample_project
from ..resources import sample_dataset_dir, user_data_dir
from .sentence import sentence
from .workers import DialogTask

TITLE = "Open Sample Project"
MAKING = "Making the sample project: importing its pictures…"
COPIES = "Making the sample project: looking for copies of a picture, to keep them in one split…"


def _make(progress, cancel) -> Project:
    from ..engine.runs.split_groups import find_split_groups

    def copies(done: int, total: int, step: str) -> None:  # the step ("Reading the pictures…") under its sentence
        progress(done, total, f"{COPIES}\n{step}")

    return open_sample_project(sample_dataset_dir(), user_data_dir() / "sample-project", progress,
                               find_groups=lambda project, _progress, stop: find_split_groups(project, copies, stop),
                               stop=cancel)


class SampleOpener(DialogTask):
    """Opens the sample, then ``show(project)`` on the GUI thread; ``say(sentence)`` when it was stopped."""

    def __init__(self, parent_widget: QWidget, show: Callable[[Project], None], say: Callable[[str], None]):
        super().__init__(parent_widget)
        self.show, self.say = show, say

    def open(self) -> bool:
        """Start opening the sample (False while it already is being made: nothing happens)."""
        return self._start_task(_make, title=TITLE, label=MAKING, on_done=self._opened, on_errored=self._failed)

    def _on_progress(self, done: int, total: int, message: str) -> None:
        super()._on_progress(done, total, message if message.startswith(COPIES) else MAKING)

    def _opened(self, project: Project) -> None:
        self._close_dialog()
        self.show(project)

    def _failed(self, message: str, _details: str) -> None:
        self._close_dialog()
        if message == STOPPED:
            self.say(STOPPED)
        else:
            QMessageBox.warning(self.parent_widget, "Cannot open the sample project", sentence(message))

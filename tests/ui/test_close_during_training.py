"""Closing while a model trains: the question says what happens (stop the training and quit / close the project),
and when the run ends on its own while it is shown, the question goes away and the window goes on closing."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from cnnstudio.engine.events import RunFinished
from tests.ui.test_training_view import open_tiny


def _look_then(window, seen, answer=None):
    """Once the question is up: note its words, and press ``answer`` (None: leave it to the run's end)."""
    def look():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            seen.append(None)
            return
        seen.append((box.text().split("\n")[0], box.isVisible()))
        if answer is not None:
            box.button(answer).click()
    QTimer.singleShot(0, look)


def test_the_question_names_quitting_and_goes_away_when_the_run_ends(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    window.workspace.show_step(2)
    page.settings_form.epochs.setValue(3)
    assert page.start() and window.workspace.training_running()
    seen = []
    _look_then(window, seen, QMessageBox.StandardButton.No)
    window.close_action.trigger()  # File > Close Project: "No" keeps the project and the run
    assert seen == [("Stop the training and close the project?", True)]
    assert window.session is not None and page.running
    seen.clear()
    _look_then(window, seen)  # nobody answers: the run ends on its own while the question is shown
    safety = QTimer()  # a question that never went away fails the test instead of hanging it
    safety.setSingleShot(True)
    safety.timeout.connect(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox)
                           and QApplication.activeModalWidget().done(QMessageBox.StandardButton.No))
    safety.start(90_000)
    window.close()  # the window's close button
    safety.stop()
    assert seen == [("Stop the training and quit CNN Studio?", True)]
    assert isinstance(page.last_event, RunFinished) and page.last_event.epochs == 3  # not stopped: it finished
    assert QApplication.activeModalWidget() is None  # the question is gone
    assert not window.isVisible() and window.session is None

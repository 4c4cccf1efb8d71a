"""QA: quitting while "Check data" ran threw the check away with no word. The window now asks, as it does while a
model trains: "No" (the default, as for every job: ui/quit_question.py) keeps the window and the check going, "Yes"
stops the data check and quits."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from .test_training_view import make_project


def _answer(seen, answer):
    def look():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            seen.append(None)
            return
        seen.append((box.windowTitle(), box.text().split("\n")[0], box.defaultButton() is box.button(answer)))
        box.button(answer).click()
    QTimer.singleShot(0, look)


def test_quitting_during_a_data_check_asks_first(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    panel = window.workspace.data.check
    panel.run.click()
    assert panel.task.busy
    seen = []
    _answer(seen, QMessageBox.StandardButton.No)
    window.close()  # the window's close button: "No" keeps it, and the check goes on
    assert seen == [("The pictures are being checked", "Stop the data check and quit CNN Studio?", True)]
    assert window.isVisible() and window.session is not None and panel.task.busy
    seen.clear()
    _answer(seen, QMessageBox.StandardButton.Yes)  # not the default: Enter keeps the check going
    window.close()
    assert seen == [("The pictures are being checked", "Stop the data check and quit CNN Studio?", False)]
    assert not window.isVisible() and window.session is None


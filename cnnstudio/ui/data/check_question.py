"""Closing while the Data page's "Check data" runs (quitting, closing the project, opening another): the check would
be thrown away with no word, so the window asks first, as it does for a training run. The check changes nothing and
can be run again, so stopping it is the default answer; when it ends on its own while the question is shown, the
question goes (its results are kept: nothing is lost)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox

TITLE = "The pictures are being checked"
MORE = "Nothing has been changed, and “Check data” on the Data page can run the check again."


def check_may_stop(window, then: str) -> bool:
    """True when no data check runs, or the user agrees to stop it and ``then`` ("quit CNN Studio")."""
    workspace = getattr(window, "workspace", None)
    panel = workspace.data.check if workspace is not None else None
    if panel is None or not panel.task.busy:
        return True
    ended = []

    def check_ended(*_) -> None:  # the check ended on its own: nothing left to ask
        ended.append(True)
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.windowTitle() == TITLE:
            box.done(QMessageBox.StandardButton.Yes)

    panel.task.ended.connect(check_ended)
    try:
        answer = QMessageBox.question(window, TITLE, f"Stop the data check and {then}?\n\n{MORE}",
                                      defaultButton=QMessageBox.StandardButton.Yes)
    finally:
        panel.task.ended.disconnect(check_ended)
    return bool(ended) or answer == QMessageBox.StandardButton.Yes

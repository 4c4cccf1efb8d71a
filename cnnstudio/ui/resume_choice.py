"""The question Resume asks when a run cannot go on from where it stopped: its last checkpoint is damaged (train it
again from the start) or was deleted (training starts again from epoch 1). The rules are Qt-free
(project/run_checkpoint.py, engine/runs/lifecycle.resume_note); this only asks. The answer is what the Train page's
Resume passes to :func:`~cnnstudio.engine.runs.child_run.run_in_child`::

    if (how := how_to_resume(self, project, run_id)) is None:
        return False
    ... run_in_child(project, run_id, **how, stop=stop, pause=pause, paused=paused)
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from .sentence import sentence

RESUME, RESTART = {"resume": True}, {"restart": True}  # run_in_child's arguments


def how_to_resume(parent: QWidget | None, project, run_id: str) -> dict | None:
    """``RESUME`` (go on from the checkpoint; with none left, from epoch 1 once the user agreed), ``RESTART`` (the
    checkpoint is damaged and the user agreed to train the run again from the start) or None (cancelled)."""
    from ..engine.runs import lifecycle as runs
    from ..project import run_records
    from ..project.run_checkpoint import damaged_sentence

    info = run_records.find_run(project, run_id)
    if info is None:
        return dict(RESUME)  # the engine says what is wrong
    if run_records.must_restart(project, info):
        text, button, answer = damaged_sentence(run_id), "Train Again from the Start", RESTART
        more = "It keeps its settings and pictures; its earlier epochs are trained again."
    else:
        note = runs.resume_note(project, run_id)
        if not note:
            return dict(RESUME)
        text, button, answer = note, "Train from Epoch 1", RESUME
        more = "It keeps its settings and pictures."
    box = QMessageBox(QMessageBox.Icon.Question, "Resume run", sentence(text), QMessageBox.StandardButton.NoButton,
                      parent)
    box.setObjectName("resume-choice")
    box.setInformativeText(more)
    go = box.addButton(button, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(go)
    box.exec()
    return dict(answer) if box.clickedButton() is go else None


__all__ = ["RESTART", "RESUME", "how_to_resume"]

"""Resume of a run whose checkpoint is damaged asks to train it again from the start (and the answer trains it, in the
window's training child); one whose checkpoint was deleted says it starts again from epoch 1; a whole one asks
nothing. A real dialog clicked as a user would, real runs on a tiny project."""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from cnnstudio.engine.events import EpochEnd, RunFinished, RunStarted, RunStopped
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.runs.child_run import run_in_child
from cnnstudio.project import run_records
from cnnstudio.ui.resume_choice import RESTART, RESUME, how_to_resume
from tests.engine.test_data import make_project, tiny_spec
from tests.engine.test_runs import settings


@pytest.fixture
def stopped(tmp_path):
    p = make_project(tmp_path / "proj")
    run_id = runs.create_run(p, settings(epochs=2), tiny_spec())
    stop = threading.Event()
    for ev in runs.run(p, run_id, stop=stop):
        if isinstance(ev, EpochEnd):
            stop.set()
    assert isinstance(ev, RunStopped)
    yield p, run_id, run_records.run_dir(p, run_id)
    p.close()


def _answer(seen: list, button: str) -> None:
    box = QApplication.activeModalWidget()
    if not isinstance(box, QMessageBox):
        QTimer.singleShot(10, lambda: _answer(seen, button))
        return
    seen.append((box.text(), [b.text() for b in box.buttons()]))
    next(b for b in box.buttons() if b.text().replace("&", "") == button).click()


def test_a_damaged_checkpoint_asks_to_train_again_from_the_start(stopped, qtbot):
    p, run_id, folder = stopped
    os.truncate(folder / "checkpoint" / "last.safetensors", 1000)
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list = []
    QTimer.singleShot(0, lambda: _answer(seen, "Cancel"))
    assert how_to_resume(parent, p, run_id) is None  # cancelled: nothing starts
    QTimer.singleShot(0, lambda: _answer(seen, "Train Again from the Start"))
    how = how_to_resume(parent, p, run_id)
    assert how == RESTART
    assert seen[0][0] == (f"The last checkpoint of run {run_id} is damaged, so the run cannot go on from where it "
                          "stopped: train it again from the start.")
    events = list(run_in_child(p, run_id, **how))
    assert next(ev for ev in events if isinstance(ev, RunStarted)).start_epoch == 1
    assert isinstance(events[-1], RunFinished)


def test_no_checkpoint_left_says_epoch_1_and_a_whole_one_asks_nothing(stopped, qtbot):
    p, run_id, folder = stopped
    parent = QWidget()
    qtbot.addWidget(parent)
    assert how_to_resume(parent, p, run_id) == RESUME  # no question at all
    shutil.rmtree(folder / "checkpoint")
    seen: list = []
    QTimer.singleShot(0, lambda: _answer(seen, "Train from Epoch 1"))
    assert how_to_resume(parent, p, run_id) == RESUME
    assert seen[0][0] == f"No checkpoint was left for run {run_id}: training starts again from epoch 1."

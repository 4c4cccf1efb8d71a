"""The runs list's Resume on a run whose last checkpoint is damaged asks "Train Again from the Start" / Cancel (and
the answer trains it from epoch 1 in the window's training child); on a run with no checkpoint left it asks "Train
from Epoch 1". Real runs on a tiny project, a real dialog clicked as a user would."""

from __future__ import annotations

import os
import shutil

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from cnnstudio.engine.events import RunFinished, RunStarted, RunStopped
from cnnstudio.project import run_records
from tests.ui.test_training_view import open_tiny


def _answer(seen: list, button: str) -> None:
    box = QApplication.activeModalWidget()
    if not isinstance(box, QMessageBox):
        QTimer.singleShot(10, lambda: _answer(seen, button))
        return
    seen.append((box.text(), [b.text().replace("&", "") for b in box.buttons()]))
    next(b for b in box.buttons() if b.text().replace("&", "") == button).click()


def _stopped_run(window, page) -> str:
    """A run of the page's settings stopped after epoch 1 of 3, as Stop leaves it: trained in this process, where the
    stop lands between epochs for sure (through the window a run this small could finish before Stop arrived)."""
    import threading

    from cnnstudio.engine.events import EpochEnd
    from cnnstudio.engine.runs import lifecycle as runs

    page.settings_form.epochs.setValue(3)
    stop = threading.Event()
    for ev in runs.train(window.session.project, page.settings(), window.workspace.model_page.spec(), stop=stop):
        if isinstance(ev, EpochEnd) and ev.epoch == 1:
            stop.set()
    assert isinstance(ev, RunStopped)
    page.runs.refresh()
    return ev.run_id


def _press_resume(page, seen: list, answer: str) -> None:
    QTimer.singleShot(0, lambda: _answer(seen, answer))
    assert page.runs.resume_button.isEnabled()
    page.runs.resume_button.click()


def test_resume_on_a_damaged_checkpoint_asks_to_train_again_from_the_start(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    window.workspace.show_step_key("train")
    run_id = _stopped_run(window, page)
    folder = run_records.run_dir(window.session.project, run_id)
    os.truncate(folder / "checkpoint" / "last.safetensors", 1000)
    page.runs.select([run_id])
    seen: list = []
    _press_resume(page, seen, "Cancel")
    assert not page.running  # cancelled: nothing starts
    assert seen[0][1] == ["Train Again from the Start", "Cancel"] and "is damaged" in seen[0][0]
    starts = []
    with qtbot.waitSignal(page.run_ended, timeout=60_000) as ended:
        _press_resume(page, seen, "Train Again from the Start")
        assert page.running
        page.thread.yielded.connect(lambda ev: starts.append(ev) if isinstance(ev, RunStarted) else None)
    assert isinstance(ended.args[0], RunFinished) and ended.args[0].run_id == run_id
    assert starts and starts[0].start_epoch == 1  # trained again from the start


def test_resume_with_no_checkpoint_left_says_it_trains_from_epoch_1(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    window.workspace.show_step_key("train")
    run_id = _stopped_run(window, page)
    shutil.rmtree(run_records.run_dir(window.session.project, run_id) / "checkpoint")
    page.runs.select([run_id])
    seen: list = []
    _press_resume(page, seen, "Cancel")
    assert not page.running
    assert seen[0] == (f"No checkpoint was left for run {run_id}: training starts again from epoch 1.",
                       ["Train from Epoch 1", "Cancel"])
    with qtbot.waitSignal(page.run_ended, timeout=60_000) as ended:
        _press_resume(page, seen, "Train from Epoch 1")
    assert isinstance(ended.args[0], RunFinished)


def test_resume_on_another_runs_checkpoint_copied_over_asks_to_train_again_from_the_start(window, qtbot, tmp_path):
    """Review: a whole checkpoint of another design passed as whole, so Resume was offered and failed each time."""
    from cnnstudio.engine.model.spec import ModelSpec
    from cnnstudio.engine.runs import lifecycle as runs
    from tests.engine.test_data import layer

    page = open_tiny(window, tmp_path)
    window.workspace.show_step_key("train")
    run_id = _stopped_run(window, page)
    project = window.session.project
    spec = window.workspace.model_page.spec()
    other = ModelSpec.create(spec.input.height, spec.input.width, spec.input.channels, [
        layer("conv2d", out_channels=5, kernel_size=3, padding="same"), layer("relu"), layer("flatten")])
    page.settings_form.epochs.setValue(1)
    other_events = list(runs.train(project, page.settings(), other))
    assert isinstance(other_events[-1], RunFinished)
    shutil.copy(run_records.run_dir(project, other_events[-1].run_id) / "checkpoint" / "last.safetensors",
                run_records.run_dir(project, run_id) / "checkpoint" / "last.safetensors")
    page.runs.refresh()
    page.runs.select([run_id])
    seen: list = []
    _press_resume(page, seen, "Cancel")
    assert not page.running
    assert seen[0][1] == ["Train Again from the Start", "Cancel"] and "is damaged" in seen[0][0]

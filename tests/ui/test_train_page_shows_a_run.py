"""Journey QA #5 and #6: a run shown from its files (the project opened again, a run clicked in the runs list) has
the three plots of its epochs, the learning rate's included (its x axis stayed 0..1, one dot at the right edge); one
click on a run shows that run alone (its curves, how it ended, its advice, Resume for it), Ctrl+click lays a second
one over it. And the Test column's header says that test pictures are for the end (QA #7)."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt

from cnnstudio.project import run_records
from cnnstudio.project.open_lock import LOCK_NAME
from cnnstudio.project.run_records import RunInfo
from cnnstudio.project.split_roles import TEST_FOR_THE_END
from cnnstudio.ui.train.compare import shown_and_compared
from cnnstudio.ui.train.kept_run import plot_epochs, shown_line
from cnnstudio.ui.train.runs_panel import COLUMNS
from tests.ui.test_training_view import open_tiny, train_once


def _run(status, summary, name="Small VGG · 3 epochs"):
    return RunInfo("r1", name, 1.0, status, {}, summary, "")


def test_a_runs_x_axis_and_its_status_line_from_its_record():
    epochs = [{"epoch": e} for e in (1, 2, 3)]
    assert plot_epochs(_run("finished", {"epochs_planned": 40}), epochs) == 3  # finished early: what it trained
    assert plot_epochs(_run("stopped", {"epochs_planned": 30}), epochs) == 30  # stopped: where Resume goes on to
    assert plot_epochs(_run("stopped", {}), epochs) == 3 and plot_epochs(None, []) == 1
    finished = _run("finished", {"best_epoch": 2, "epochs": 3, "val_accuracy": 0.5, "test_accuracy": 0.5,
                                 "val_images": 4})
    line = shown_line(finished)
    assert line.startswith("Shown: “Small VGG · 3 epochs”. Finished: best epoch 2 of 3, validation accuracy 50")
    assert "test" not in line and line.endswith(".")  # test pictures are for the end: not said here
    assert shown_line(_run("stopped", {"last_epoch": 6, "best_epoch": 5})) == (
        "Shown: “Small VGG · 3 epochs”. Stopped after epoch 6: the model of epoch 5 is kept. “Resume” continues the "
        "run.")
    assert shown_line(_run("failed", {"error": "out of memory"})).endswith("Training failed: out of memory.")


def test_one_selected_run_is_shown_alone_and_more_are_compared():
    assert shown_and_compared(["a"], "b") == ("a", [])  # one click: that run, nothing laid over it
    assert shown_and_compared(["b", "a"], "a") == ("a", ["b"])  # Ctrl+click: the run shown stays, the other over it
    assert shown_and_compared(["b", "c", "d"], "a") == ("b", ["c", "d"])  # at most two laid over the one shown
    assert shown_and_compared([], "a") == ("a", [])


def _click(qtbot, table, run_id, ctrl=False):
    row = next(r for r in range(table.rowCount())
               if table.item(r, 0) is not None and table.item(r, 0).data(Qt.ItemDataRole.UserRole) == run_id)
    rect = table.visualItemRect(table.item(row, 0))
    modifier = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def x_range(plot):
    return plot.getPlotItem().vb.viewRange()[0]


def test_a_run_shown_from_its_files_and_one_click_on_another(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    window.workspace.show_step_key("train")
    window.resize(1280, 800)
    three = train_once(qtbot, page, epochs=3).run_id
    stopped = train_once(qtbot, page, epochs=1).run_id
    p = window.session.project
    run_records.update_run(p, stopped, status="stopped", summary={"epochs_planned": 5})  # stopped at 1 of 5
    copy = tmp_path / "copy"
    shutil.copytree(p.root, copy, ignore=shutil.ignore_patterns(LOCK_NAME))
    assert window.open_project(copy)  # reopened: the page shows the newest run, from its files
    page = window.workspace.train_page
    window.workspace.show_step_key("train")
    qtbot.waitUntil(lambda: page.runs.selected_ids() == [stopped])
    plots, table = page.plots, page.runs.table
    for plot in (plots.loss_plot, plots.acc_plot, plots.lr_plot):  # 0..5, as when it stopped (it was 0..1 for lr)
        left, right = x_range(plot)
        assert left <= 0 and 5 <= right < 5.5, (plot, left, right)
    assert list(plots.lr.curve.getData()[0]) == [1]  # the rate of its one epoch, inside that axis

    _click(qtbot, table, three)  # one click: that run alone
    name = page.runs.run_info(three).name
    qtbot.waitUntil(lambda: page.runs.selected_ids() == [three])
    assert page.run_id == three and list(plots.train_loss.curve.getData()[0]) == [1, 2, 3]
    lr_x = list(plots.lr.curve.getData()[0])  # every step's rate, as the live run drew it (lr_curve.py)
    assert lr_x[0] < 1 and lr_x[-1] == 3 and {1, 2, 3} <= set(lr_x) and 3 <= x_range(plots.lr_plot)[1] < 3.5
    assert not any(plots.overlay_names) and plots.compare_note.isHidden()
    assert page.status.text().startswith(f"Shown: “{name}”. Finished: best epoch ")
    assert page.advice.run_id == three and not page.runs.resume_button.isEnabled()  # finished: nothing to resume

    _click(qtbot, table, stopped)
    qtbot.waitUntil(lambda: page.run_id == stopped)
    assert page.status.text().endswith("Stopped after epoch 1: the model of epoch 1 is kept. “Resume” continues "
                                       "the run.")
    assert page.runs.resume_button.isEnabled() and page.advice.run_id == stopped
    assert list(plots.train_loss.curve.getData()[0]) == [1]

    _click(qtbot, table, three, ctrl=True)  # Ctrl+click: the run shown stays, the other laid over it
    qtbot.waitUntil(lambda: sorted(page.runs.selected_ids()) == sorted([three, stopped]))
    assert page.run_id == stopped and plots.overlay_names[0] == name and not plots.compare_note.isHidden()
    assert list(plots.train_loss.curve.getData()[0]) == [1]
    header_words = [w.text() for w in page.runs.findChildren(type(page.runs.empty)) if "Runs" in w.text()]
    assert header_words == ["<b>Runs</b> <small>(Ctrl+click to compare)</small>"]
    assert TEST_FOR_THE_END in table.horizontalHeaderItem(COLUMNS.index("Test accuracy")).toolTip()

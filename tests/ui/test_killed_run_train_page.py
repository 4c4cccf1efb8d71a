"""A run killed between two checkpoints, shown on the real Train page: the page opens on it and plots only the epoch
its checkpoint saved (not the three lost ones metrics.jsonl still holds), and laid over another run with Ctrl+click it
brings the same one epoch (kept_run.saved_metrics, for both). A real killed training process, a real finished run."""

from __future__ import annotations

from cnnstudio.engine.events import RunFinished
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.project import Project, run_abandoned
from tests.engine.test_data import make_project, tiny_spec
from tests.engine.test_killed_run_words import _killed_run
from tests.engine.test_runs import settings
from tests.ui.test_train_page_shows_a_run import _click


def _xs(series) -> list:
    xs = series.curve.getData()[0]
    return [] if xs is None else [int(x) for x in xs]


def test_the_train_page_plots_and_compares_a_killed_run_with_its_saved_epochs_only(window, qtbot, tmp_path):
    root = tmp_path / "proj"
    make_project(root).close()
    killed = _killed_run(root, 4)  # its checkpoint holds epoch 1: epochs 2-4 were lost
    with Project.open(root) as p:
        run_abandoned.settle_abandoned(p)
        assert [m["epoch"] for m in runs.read_metrics(p, killed)] == [1, 2, 3, 4]  # the lost epochs still in the file
        finished = next(e for e in runs.train(p, settings(epochs=2), tiny_spec()) if isinstance(e, RunFinished)).run_id
    assert window.open_project(root)
    page = window.workspace.train_page
    window.workspace.show_step_key("train")
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: page.runs.selected_ids() == [finished])  # the newest run
    plots, table = page.plots, page.runs.table
    assert _xs(plots.train_loss) == [1, 2]

    _click(qtbot, table, killed)  # the killed run alone: its one saved epoch
    qtbot.waitUntil(lambda: page.run_id == killed)
    assert _xs(plots.train_loss) == [1] and _xs(plots.val_acc) == [1]

    _click(qtbot, table, finished)
    qtbot.waitUntil(lambda: page.run_id == finished)
    _click(qtbot, table, killed, ctrl=True)  # laid over the finished run: the same one epoch
    qtbot.waitUntil(lambda: sorted(page.runs.selected_ids()) == sorted([killed, finished]))
    assert page.run_id == finished and plots.overlay_names[0] == page.runs.run_info(killed).name
    assert _xs(plots.overlays[0]["train_loss"]) == [1] and _xs(plots.overlays[0]["val_acc"]) == [1]
    assert _xs(plots.train_loss) == [1, 2]

"""QA: a run opened again draws what its files keep, and the legend above the plots names only the lines drawn
(it said "batches (smoothed)" over a run whose batches were not kept)."""

from __future__ import annotations

import shutil

import pytest

from cnnstudio.engine.events import RunFinished
from cnnstudio.project.open_lock import LOCK_NAME
from cnnstudio.ui.train.plot_style import LEGEND, legend
from tests.ui.test_training_view import open_tiny, train_once

BATCHES = "batches (smoothed)"


def test_the_legend_names_the_lines_drawn():
    assert BATCHES in LEGEND and BATCHES not in legend(batches=False)
    assert "validation" not in legend(validation=False) and "best epoch" in legend(validation=False)


def test_a_reopened_run_names_only_the_lines_it_draws(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    window.workspace.show_step_key("train")
    assert isinstance(train_once(qtbot, page, epochs=2), RunFinished)
    plots = page.plots
    plots.flush()
    live_lr = plots.lr.curve.getData()
    assert BATCHES in plots.legend.text() and "validation" in plots.legend.text()  # the live run drew its batches
    copy = tmp_path / "copy"
    shutil.copytree(window.session.project.root, copy, ignore=shutil.ignore_patterns(LOCK_NAME))
    assert window.open_project(copy)  # opened again: the run from its files, its batches not kept
    page = window.workspace.train_page
    window.workspace.show_step_key("train")
    plots = page.plots
    qtbot.waitUntil(lambda: page.run_id is not None and len(plots.train_loss.x) == 2)
    plots.flush()
    assert len(plots.smooth_loss.x) == 0
    text = plots.legend.text()
    assert BATCHES not in text and "train" in text and "validation" in text and "best epoch" in text
    # the learning rate as the live run drew it: every point it drew lies on the reopened curve, from its start
    reopened = dict(zip((round(float(x), 9) for x in plots.lr.curve.getData()[0]), plots.lr.curve.getData()[1]))
    assert live_lr[0] is not None and len(live_lr[0]) > 0
    assert min(reopened) < 1 and max(reopened) == 2
    for x, y in zip(*live_lr):
        assert reopened[round(float(x), 9)] == pytest.approx(float(y), rel=1e-6), x

"""The Tune page after a search, on a small laptop's screen (1,024 x 614): the trials table keeps its rows (the
summary gives way), the plot titles are whole and a log axis's numbers do not run together."""

from __future__ import annotations

import random

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from cnnstudio.engine.tune.events import StudyEnded, StudyStarted, TrialEnded, TrialEpoch, TrialStarted
from cnnstudio.ui.tune.trials_table import LEAST_ROWS
from cnnstudio.ui.tune.plot_axes import axis_text, log_ticks
from tests.ui.test_training_view import make_project

SAID = ("Best: trial 2 with 98.5% validation accuracy, 1.9 points better than the starting settings (96.7%). The "
        "label smoothing seems to matter most; then weight decay; augmentation strength, network depth, learning "
        "rate, dropout, network width, optimizer, batch size seem to matter little.")


def _a_stopped_search(page) -> None:
    """17 trials over the default learning-rate range (0.0003-0.03, a log axis), then the study ends."""
    page._on_event(StudyStarted("tune-1", "journal", {"epochs": 2, "params": {"lr": {"low": 3e-4, "high": 3e-2,
                                                                                     "log": True}}},
                                "accuracy", True, 0))
    rng = random.Random(1)
    for n in range(17):
        lr = 10 ** rng.uniform(-3.5, -1.5)
        page._on_event(TrialStarted(n, f"run{n}", {"lr": lr}))
        page._on_event(TrialEpoch(n, f"run{n}", 1, 2, 1.0, 0.5, 1.0, 0.9))
        page._on_event(TrialEnded(n, f"run{n}", "complete" if n % 4 == 0 else "pruned", rng.uniform(0.2, 0.98),
                                  0.5, 1000, 2.0, {"lr": lr}))
    page._on_event(StudyEnded("stopped", {"said": SAID, "best": {"number": 1}}))
    page.plots.refresh()


def _label_rects(axis) -> list[QRectF]:
    """Where the axis draws its numbers (pyqtgraph's own drawing specs)."""
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [rect for rect, _flags, text in specs[2] if text]


def test_after_a_search_the_table_keeps_its_rows_and_the_plots_read_on_a_small_screen(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(3)
    page = window.workspace.tune_page
    qtbot.waitUntil(page.isVisible)
    window.resize(1024, 614)
    _a_stopped_search(page)
    QApplication.processEvents()
    assert window.minimumSizeHint().height() <= 614

    table = page.table
    assert table.viewport().height() >= LEAST_ROWS * table.rowHeight(0), table.viewport().height()
    assert page.result.isVisible() and page.result.text() == SAID

    live = page.plots.live_plot
    title = live.getPlotItem().titleLabel
    assert title.text == "Trial 17 (last)"  # Optuna's trial 16, counted from 1
    assert title.item.boundingRect().width() <= live.width()

    slice_axis = page.plots.slice_plot.getAxis("bottom")
    rects = _label_rects(slice_axis)
    assert rects, "the learning-rate axis has numbers"
    for a, b in zip(rects, rects[1:]):  # "0.0010.0030.01" ran together on a plot this narrow
        assert a.right() < b.left(), [r.getRect() for r in rects]


def test_a_log_axis_labels_what_fits_its_length():
    def labels(lo, hi, pixels):
        return [t for _, t in log_ticks(lo, hi, axis_text, pixels=pixels)]

    assert labels(3e-4, 3e-2, 400) == ["3e-4", "0.001", "0.003", "0.01", "0.03"]  # room for every one
    assert labels(3e-4, 3e-2, 120) == ["0.001", "0.01"]  # a narrow plot: the powers of ten
    assert labels(1e-6, 1e-1, 200) == ["1e-6", "1e-4", "0.01"]  # every other power of ten
    assert labels(2e-3, 8e-3, 20) == ["0.003"]  # no power of ten in the range: one number, never none
    assert labels(3e-4, 3e-2, 10_000) == labels(3e-4, 3e-2, None) == [t for _, t in log_ticks(3e-4, 3e-2, axis_text)]


def test_the_note_of_a_trial_with_no_curve_stays_inside_its_narrow_plot(qtbot):
    """A trial pruned at its half-epoch look has no curve: the plot says why, wrapped to the plot's width (at
    1,093 px "Stopped early, part-way through its first epoch" was cut at both sides)."""
    import math

    from cnnstudio.engine.tune import events as T
    from cnnstudio.ui.tune.tune_plots import TunePlots
    from cnnstudio.ui.tune.tune_state import TuneState

    state = TuneState()
    state.apply(T.StudyStarted("s", "here", {}, "accuracy", True, 0))
    state.apply(T.TrialStarted(0, "r0", {"lr": 0.01}))
    state.apply(T.TrialEnded(0, "r0", "pruned", 0.331, math.nan, 1000, 0.5, {"lr": 0.01}))
    assert state.live_note().startswith("Stopped early")
    plots = TunePlots(state)
    qtbot.addWidget(plots)
    plots.resize(430, 260)  # three plots side by side: the middle one about 140 px
    plots.show()
    qtbot.waitExposed(plots)
    plots.refresh()
    vb = plots.live_plot.getViewBox()
    note = plots.live_note
    qtbot.waitUntil(lambda: note.mapRectToScene(note.boundingRect()).width() <= vb.sceneBoundingRect().width())
    inside = vb.sceneBoundingRect().adjusted(-1, -1, 1, 1)
    assert inside.contains(note.mapRectToScene(note.boundingRect())), (note.mapRectToScene(note.boundingRect()),
                                                                        vb.sceneBoundingRect())
